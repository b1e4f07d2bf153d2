from odoo import api, models


class KccCachedConfig(models.AbstractModel):
    """Configuration the intake reads once and keeps (routing rules, working
    hours, holidays): any change clears the cache of every worker."""

    _name = "kcc.cached.config"
    _description = "KCC configuration kept in cache"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

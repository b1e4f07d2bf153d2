from odoo import api, models


class KccCachedConfig(models.AbstractModel):
    """Configuration read once and kept in cache (routing rules, working
    hours, holidays, the groups the access rules list): a change clears the
    cache of every worker, so the next request reads it anew.

    ``_cached_config_fields`` names the fields the cached values depend on;
    creating or writing other fields leaves the cache alone. Empty: every
    field. Deleting records always clears it.
    """

    _name = "kcc.cached.config"
    _description = "KCC configuration kept in cache"

    _cached_config_fields = ()

    def _changes_cached_config(self, vals):
        fields_ = self._cached_config_fields
        return not fields_ or not set(fields_).isdisjoint(vals)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if any(self._changes_cached_config(vals) for vals in vals_list):
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        if self._changes_cached_config(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    kcc_handler_group_ids = fields.Many2many(
        "kcc.handler.group",
        "kcc_handler_group_member_rel",
        "user_id",
        "group_id",
        string="Handler Groups",
        context={"active_test": False},
        help="The handler groups this user is a member of.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        if any(vals.get("kcc_handler_group_ids") for vals in vals_list):
            self.env.registry.clear_cache()  # the access rules list the groups
        return users

    def write(self, vals):
        result = super().write(vals)
        if "kcc_handler_group_ids" in vals:
            self.env.registry.clear_cache()  # the access rules list the groups
        return result

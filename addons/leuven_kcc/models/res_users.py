from odoo import fields, models


class ResUsers(models.Model):
    _name = "res.users"
    _inherit = ["res.users", "kcc.cached.config"]
    # the access rules list the user's handler groups
    _cached_config_fields = ("kcc_handler_group_ids",)

    kcc_handler_group_ids = fields.Many2many(
        "kcc.handler.group",
        "kcc_handler_group_member_rel",
        "user_id",
        "group_id",
        string="Handler Groups",
        context={"active_test": False},
        help="The handler groups this user is a member of.",
    )

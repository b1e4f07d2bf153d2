from odoo import fields, models


class GuidanceStage(models.Model):
    _inherit = "guidance.stage"

    code = fields.Char(
        help="Stable code of the stage, used by the stage rules of its type.",
        index="btree_not_null",
    )

from odoo import fields, models


class KccCaseTransfer(models.Model):
    """One move of a case between handler groups (feeds the reroute KPI)."""

    _name = "kcc.case.transfer"
    _description = "Case Transfer"
    _order = "create_date desc, id desc"

    case_id = fields.Many2one(
        "kcc.case", required=True, ondelete="cascade", index=True, readonly=True
    )
    from_group_id = fields.Many2one(
        "kcc.handler.group", string="From", readonly=True, index="btree_not_null"
    )
    to_group_id = fields.Many2one(
        "kcc.handler.group", string="To", readonly=True, index="btree_not_null"
    )
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True
    )
    reason = fields.Text(required=True, readonly=True)
    kind = fields.Selection(
        [
            ("transfer", "Transfer"),
            ("pull_back", "Pulled back by the KCC"),
            ("hand_back", "Handed back to the KCC"),
        ],
        required=True,
        default="transfer",
        readonly=True,
    )

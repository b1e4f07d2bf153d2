from odoo import api, fields, models
from odoo.exceptions import ValidationError

ROLES = [
    ("owner", "Owner"),
    ("co_owner", "Co-owner"),
    ("tenant", "Tenant"),
    ("landlord", "Landlord"),
    ("occupant", "Occupant"),
]


class GuidanceDwellingHolder(models.Model):
    """A person holding a dwelling in a role (owner, tenant, ...) for a period."""

    _name = "guidance.dwelling.holder"
    _description = "Dwelling Holder"
    _order = "dwelling_id, role, id"

    dwelling_id = fields.Many2one(
        "guidance.dwelling", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Holder", required=True, ondelete="restrict", index=True
    )
    role = fields.Selection(ROLES, required=True, default="owner")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="Until")

    _sql_constraints = [
        (
            "dwelling_partner_role_unique",
            "unique(dwelling_id, partner_id, role)",
            "This person already holds this dwelling in this role.",
        ),
    ]

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for holder in self:
            if (
                holder.date_from
                and holder.date_to
                and holder.date_to < holder.date_from
            ):
                raise ValidationError(
                    self.env._("The end date comes before the start date.")
                )

    @api.model
    def _current_domain(self):
        """Holders whose period has not ended."""
        today = fields.Date.context_today(self)
        return ["|", ("date_to", "=", False), ("date_to", ">=", today)]

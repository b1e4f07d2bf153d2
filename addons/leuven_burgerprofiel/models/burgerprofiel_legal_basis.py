from odoo import fields, models


class BurgerprofielLegalBasis(models.Model):
    """A legal basis an agent may invoke to look up authentic data."""

    _name = "burgerprofiel.legal.basis"
    _description = "Legal Basis for Authentic Data Lookups"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(
        translate=True, help="The regulation or task this basis rests on."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    note_required = fields.Boolean(
        string="Explanation Required",
        help="The agent must explain the lookup in his own words (e.g. 'Other').",
    )

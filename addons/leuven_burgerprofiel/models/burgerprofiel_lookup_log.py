from odoo import api, fields, models
from odoo.exceptions import AccessError

from .burgerprofiel_authentic_source import SOURCES

RESULTS = [
    ("found", "Found"),
    ("not_found", "Not Found"),
    ("error", "Error"),
]


class BurgerprofielLookupLog(models.Model):
    """One lookup in an authentic source: who, when, why, for whom, with what result.

    Written by the lookup wizard only; nobody edits or deletes it. It keeps a
    masked identifier and the partner's name, so it outlives the partner.
    """

    _name = "burgerprofiel.lookup.log"
    _description = "Authentic Data Lookup"
    _order = "lookup_date desc, id desc"
    _rec_name = "identifier_masked"

    lookup_date = fields.Datetime(
        string="When", required=True, readonly=True, default=fields.Datetime.now
    )
    user_id = fields.Many2one(
        "res.users",
        string="Who",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    partner_name = fields.Char(readonly=True)
    source = fields.Selection(SOURCES, required=True, readonly=True)
    identifier_masked = fields.Char(string="Identifier", readonly=True)
    legal_basis_id = fields.Many2one(
        "burgerprofiel.legal.basis", readonly=True, ondelete="restrict"
    )
    legal_basis = fields.Text(
        string="Legal Basis (as given)",
        required=True,
        readonly=True,
        help="The legal basis chosen and the agent's explanation, as they were "
        "at the time of the lookup.",
    )
    result = fields.Selection(RESULTS, required=True, readonly=True, index=True)
    message = fields.Char(readonly=True)
    reference = fields.Char(
        string="MAGDA Reference",
        readonly=True,
        help="Our Referte of the MAGDA message, for MAGDA's support.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("Lookups are logged by the lookup itself, not by hand.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("The log of lookups cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_by_the_system(self):
        if not self.env.su:
            raise AccessError(self.env._("The log of lookups cannot be deleted."))

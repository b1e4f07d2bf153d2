from odoo import api, fields, models


class KccCaseShareWizard(models.TransientModel):
    """Share a case with a partner organisation the citizen consented to."""

    _name = "kcc.case.share.wizard"
    _description = "Share a Case with a Partner Organisation"

    case_id = fields.Many2one("kcc.case", required=True, readonly=True)
    partner_id = fields.Many2one(related="case_id.partner_id")
    consent_id = fields.Many2one(
        "kcc.consent",
        required=True,
        domain="[('partner_id', '=', partner_id), ('state', '=', 'active')]",
    )
    organisation_id = fields.Many2one(
        related="consent_id.organisation_id", string="Partner Organisation"
    )
    purpose = fields.Text(related="consent_id.purpose")

    @api.onchange("case_id")
    def _onchange_case_id(self):
        consents = self.env["kcc.consent"].search(
            [("partner_id", "=", self.case_id.partner_id.id), ("state", "=", "active")]
        )
        if len(consents) == 1:
            self.consent_id = consents

    def action_share(self):
        self.ensure_one()
        self.case_id._share_with(self.consent_id.organisation_id, self.consent_id)
        return {"type": "ir.actions.act_window_close"}

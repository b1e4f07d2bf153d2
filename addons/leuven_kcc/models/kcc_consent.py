import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError

CONSENT_CHANNELS = [
    ("written", "Signed form"),
    ("digital", "Digitally (website, Mijn Burgerprofiel)"),
    ("phone", "By phone"),
    ("counter", "At the counter"),
    ("email", "By e-mail"),
]


class KccConsent(models.Model):
    """A citizen's consent to share his case(s) with a partner organisation."""

    _name = "kcc.consent"
    _description = "Consent to Share with a Partner Organisation"
    _order = "date desc, id desc"
    _inherit = ["mail.thread"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Citizen",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    organisation_id = fields.Many2one(
        "res.partner",
        string="Partner Organisation",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("kcc_is_partner_organisation", "=", True)],
        tracking=True,
    )
    case_ids = fields.Many2many(
        "kcc.case",
        string="Cases",
        domain="[('partner_id', '=', partner_id)]",
        help="The cases the citizen agreed to share.",
    )
    purpose = fields.Text(
        required=True,
        help="Why the organisation gets the case, in the citizen's words.",
    )
    channel = fields.Selection(
        CONSENT_CHANNELS, string="Consent Given", required=True, default="written"
    )
    date = fields.Date(string="Given On", required=True, default=fields.Date.today)
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    date_withdrawn = fields.Datetime(string="Withdrawn On", readonly=True, copy=False)
    state = fields.Selection(
        [("active", "Active"), ("withdrawn", "Withdrawn")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    share_ids = fields.One2many("kcc.case.share", "consent_id", string="Shares")

    @api.depends("date_withdrawn")
    def _compute_state(self):
        for consent in self:
            consent.state = "withdrawn" if consent.date_withdrawn else "active"

    @api.depends("partner_id", "organisation_id")
    def _compute_display_name(self):
        for consent in self:
            names = (consent.partner_id.name or "", consent.organisation_id.name or "")
            consent.display_name = " → ".join(names)

    def action_withdraw(self):
        """The citizen withdraws: the organisation loses access at once, by
        the record rules (the share is no longer active) and by every link it
        may have seen (the case's and the files' access tokens are renewed)."""
        for consent in self.filtered(lambda c: c.state == "active"):
            consent.date_withdrawn = fields.Datetime.now()
            consent.share_ids._revoke_links()
            self.env["kcc.audit.log"]._log(
                "withdraw", consent.partner_id, purpose=consent.purpose
            )
            for case in consent.share_ids.case_id:
                case.message_post(
                    body=self.env._(
                        "The consent to share with %(organisation)s was withdrawn.",
                        organisation=consent.organisation_id.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    def _check_allows(self, case, organisation):
        """Raise unless this consent allows sharing ``case`` with ``organisation``."""
        self.ensure_one()
        _ = self.env._
        if self.state != "active":
            raise UserError(_("This consent was withdrawn."))
        if self.organisation_id != organisation:
            raise UserError(_("This consent is for another organisation."))
        if not case.partner_id or (
            case.partner_id.commercial_partner_id
            != self.partner_id.commercial_partner_id
        ):
            raise UserError(_("This consent was given by another citizen."))
        if self.case_ids and case not in self.case_ids:
            raise UserError(_("The citizen did not agree to share this case."))


class KccCaseShare(models.Model):
    """A case shared with a partner organisation, under a consent."""

    _name = "kcc.case.share"
    _description = "Case Shared with a Partner Organisation"
    _order = "create_date desc, id desc"
    _rec_name = "organisation_id"

    case_id = fields.Many2one(
        "kcc.case", required=True, ondelete="cascade", index=True, readonly=True
    )
    organisation_id = fields.Many2one(
        "res.partner",
        string="Partner Organisation",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    consent_id = fields.Many2one(
        "kcc.consent", required=True, readonly=True, ondelete="restrict", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Shared By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    is_active = fields.Boolean(
        string="Active",
        compute="_compute_is_active",
        store=True,
        index=True,
        help="The consent still holds; withdrawing it removes the access at once.",
    )
    support_started = fields.Boolean(readonly=True)
    support_started_on = fields.Datetime(readonly=True)

    @api.depends("consent_id.state")
    def _compute_is_active(self):
        for share in self:
            share.is_active = share.consent_id.state == "active"

    def unlink(self):
        self._revoke_links()
        return super().unlink()

    def _revoke_links(self):
        """The share ends: no link the organisation may have seen still works.

        The case gets a new access token (the customer's later e-mails carry
        the new one; the signed chatter links depend on it too), and the
        access tokens of its files and of its messages' files are removed
        (the portal makes new ones for the customer when he opens the case).
        """
        cases = self.sudo().case_id.filtered("access_token")
        for case in cases:
            case.access_token = str(uuid.uuid4())
        cases = self.sudo().case_id
        if not cases:
            return
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment.search(
            [
                ("res_model", "=", "kcc.case"),
                ("res_id", "in", cases.ids),
                ("access_token", "!=", False),
            ]
        )
        attachments |= cases.message_ids.attachment_ids.filtered("access_token")
        attachments.write({"access_token": False})

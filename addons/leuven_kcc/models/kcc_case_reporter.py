from odoo import api, fields, models
from odoo.tools import email_normalize

from odoo.addons.base.models.res_partner import _lang_get

from .kcc_case import CITIZEN_STATES

PROGRESS_TEMPLATE = "leuven_kcc.kcc_case_reporter_mail_template_progress"


def reporter_state(citizen_state):
    """The status an additional reporter is told: "waiting for your reply"
    is asked of the customer only, for the others the case is being handled."""
    return "in_treatment" if citizen_state == "waiting" else citizen_state or False


class KccCaseReporter(models.Model):
    """Someone else who reported a problem the city already handles as a case.

    He is told about the progress of the case (its status for the customer,
    and the answer), but he is no follower: he gets no access to the case and
    none of the messages exchanged with its customer.
    """

    _name = "kcc.case.reporter"
    _inherit = ["kcc.channel.mixin"]
    _description = "Additional Reporter"
    _order = "date desc, id desc"

    case_id = fields.Many2one(
        "kcc.case", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Person", ondelete="cascade", index="btree_not_null"
    )
    contact_name = fields.Char(string="Name")
    contact_email = fields.Char(string="E-mail")
    contact_phone = fields.Char(string="Phone")
    channel = fields.Selection(required=True, default="report_form")
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    source_case_id = fields.Many2one(
        "kcc.case",
        string="From Duplicate",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
        help="The case that was marked as a duplicate of this one.",
    )
    lang = fields.Selection(_lang_get, string="Language")
    notified_state = fields.Selection(
        CITIZEN_STATES,
        string="Last Status Sent",
        readonly=True,
        help="The status of the case this person was last told about.",
    )
    status_label = fields.Char(
        string="Status", compute="_compute_status_label", help="As he is told."
    )

    @api.depends("partner_id.name", "contact_name", "contact_email")
    def _compute_display_name(self):
        for reporter in self:
            reporter.display_name = (
                reporter.partner_id.name
                or reporter.contact_name
                or reporter.contact_email
                or reporter.contact_phone
                or ""
            )

    @api.depends("case_id.citizen_state")
    @api.depends_context("lang")
    def _compute_status_label(self):
        labels = dict(
            self.env["kcc.case"]
            ._fields["citizen_state"]
            ._description_selection(self.env)
        )
        for reporter in self:
            state = reporter_state(reporter.case_id.citizen_state)
            reporter.status_label = labels.get(state, "")

    def _email_key(self):
        self.ensure_one()
        return email_normalize(self.partner_id.email or self.contact_email or "")

    @api.model
    def _add_people(self, case, people, channel, source_case=None):
        """Register ``people`` (dicts with partner_id or contact_name,
        contact_email and contact_phone) as additional reporters of ``case``.

        Whoever is already the customer or an additional reporter of the case
        is skipped. Returns the new rows. The caller checks that the people
        may be linked to this case; the rows are written as superuser.
        """
        case.ensure_one()
        case = case.sudo()
        Reporter = self.sudo()
        existing = Reporter.search([("case_id", "=", case.id)])
        partners = case.partner_id | existing.partner_id
        emails = {email_normalize(case.contact_email or "")}
        emails |= {reporter._email_key() for reporter in existing}
        emails.discard(False)
        status = reporter_state(case.citizen_state)
        values = []
        for person in people:
            partner = self.env["res.partner"].sudo().browse(person.get("partner_id"))
            email = email_normalize(
                (partner.email if partner else person.get("contact_email")) or ""
            )
            if (partner and partner in partners) or (email and email in emails):
                continue
            if not partner and not (
                email or person.get("contact_phone") or person.get("contact_name")
            ):
                continue
            partners |= partner
            if email:
                emails.add(email)
            values.append(
                {
                    "case_id": case.id,
                    "partner_id": partner.id,
                    "contact_name": False if partner else person.get("contact_name"),
                    "contact_email": False if partner else person.get("contact_email"),
                    "contact_phone": False if partner else person.get("contact_phone"),
                    "lang": partner.lang or person.get("lang") or self.env.lang,
                    "channel": channel,
                    "source_case_id": source_case.id if source_case else False,
                    "notified_state": status,
                }
            )
        return Reporter.create(values)

    def _notify_progress(self):
        """Tell these reporters the new status of their case (and the answer
        once the case is answered), when it changed since they were last told.

        One queued e-mail per reporter, from the template; nothing about the
        customer or the messages of the case.
        """
        reporters = self.sudo()
        due = reporters.filtered(
            lambda r: reporter_state(r.case_id.citizen_state) != r.notified_state
        )
        if not due:
            return
        template = self.env.ref(PROGRESS_TEMPLATE, raise_if_not_found=False)
        to_mail = due.filtered(lambda r: r._email_key()) if template else due.browse()
        if to_mail:
            # authored by the city, like the acknowledgement
            template.sudo().send_mail_batch(
                to_mail.ids,
                email_values={"author_id": self.env.company.partner_id.id},
            )
            self.env["kcc.case"]._wake_mail_queue()
        for state, group in due.grouped(
            lambda r: reporter_state(r.case_id.citizen_state)
        ).items():
            group.write({"notified_state": state})

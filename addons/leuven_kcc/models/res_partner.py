import re

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL, email_normalize, html2plaintext
from odoo.tools.mail import email_re
from odoo.tools.sql import escape_psql

from leuven.kcc import privacy

HANDLER = "leuven_kcc.group_kcc_handler"
# cases and contacts shown in the customer's history (the latest ones)
HISTORY_LIMIT = 80


class ResPartner(models.Model):
    _inherit = "res.partner"

    kcc_is_association = fields.Boolean(
        string="Association",
        help="An association (vereniging), for routing and the customer's 360° view.",
    )
    kcc_is_partner_organisation = fields.Boolean(
        string="Partner Organisation",
        help="An external organisation (e.g. a welfare partner) that may receive "
        "cases with the citizen's consent.",
    )
    kcc_case_ids = fields.One2many("kcc.case", "partner_id", string="KCC Cases")
    kcc_contact_ids = fields.One2many(
        "kcc.contact", "partner_id", string="KCC Contacts"
    )
    kcc_history_case_ids = fields.Many2many(
        "kcc.case",
        string="Case History",
        compute="_compute_kcc_history",
        groups=HANDLER,
    )
    kcc_history_contact_ids = fields.Many2many(
        "kcc.contact",
        string="Contact History",
        compute="_compute_kcc_history",
        groups=HANDLER,
    )
    kcc_case_count = fields.Integer(compute="_compute_kcc_history", groups=HANDLER)
    kcc_open_case_count = fields.Integer(
        string="Open Cases", compute="_compute_kcc_history", groups=HANDLER
    )
    kcc_closed_case_count = fields.Integer(
        string="Finished Cases", compute="_compute_kcc_history", groups=HANDLER
    )
    kcc_contact_count = fields.Integer(
        string="Contacts", compute="_compute_kcc_history", groups=HANDLER
    )
    kcc_case_reference = fields.Char(
        string="Case Reference",
        compute="_compute_kcc_case_reference",
        search="_search_kcc_case_reference",
        groups=HANDLER,
    )

    def _kcc_history_domain(self):
        """Cases of this customer; a company or association also shows its people's."""
        self.ensure_one()
        return [("commercial_partner_id", "=", self.commercial_partner_id.id)]

    @api.depends("kcc_case_ids", "kcc_contact_ids")
    @api.depends_context("uid")
    def _compute_kcc_history(self):
        Case = self.env["kcc.case"]
        Contact = self.env["kcc.contact"]
        Log = self.env["kcc.audit.log"]
        for partner in self:
            if not partner.id:
                partner.kcc_history_case_ids = partner.kcc_history_contact_ids = False
                partner.kcc_case_count = partner.kcc_open_case_count = 0
                partner.kcc_closed_case_count = partner.kcc_contact_count = 0
                continue
            if not self.env.su:
                # every look at a customer's history by a person is auditable
                Log._log_once("read_360", partner._origin or partner)
            domain = partner._kcc_history_domain()
            # the latest ones on the form; the stat buttons open them all
            partner.kcc_history_case_ids = Case.search(
                domain, order="date_received desc, id desc", limit=HISTORY_LIMIT
            )
            partner.kcc_history_contact_ids = Contact.search(
                domain, order="date desc, id desc", limit=HISTORY_LIMIT
            )
            counts = dict(Case._read_group(domain, ["is_open"], ["__count"]))
            partner.kcc_open_case_count = counts.get(True, 0)
            partner.kcc_closed_case_count = counts.get(False, 0)
            partner.kcc_case_count = sum(counts.values())
            partner.kcc_contact_count = Contact.search_count(domain)

    def web_read(self, specification):
        return super().web_read(specification)

    # the form shows the audited 360° view: it writes a log row, so it opens on
    # a read/write cursor instead of failing and retrying on a read-only one
    web_read._readonly = False

    def _compute_kcc_case_reference(self):
        self.kcc_case_reference = False

    def _search_kcc_case_reference(self, operator, value):
        if operator not in ("ilike", "=", "=ilike"):
            return expression.FALSE_DOMAIN
        cases = self.env["kcc.case"].search([("name", operator, value)])
        return [("id", "in", cases.commercial_partner_id.ids + cases.partner_id.ids)]

    @api.model
    def _kcc_find_customer(self, text):
        """The customer matching a case reference, e-mail, phone or name."""
        text = (text or "").strip()
        if not text:
            return self.browse()
        case = self.env["kcc.case"].search([("name", "=ilike", text)], limit=1)
        if case.partner_id:
            return case.partner_id
        by_phone = self._kcc_search_phone(text)
        if len(by_phone) == 1:
            return by_phone
        for domain in ([("email", "=ilike", text)], [("name", "ilike", text)]):
            partners = self.search(domain, limit=2)
            if len(partners) == 1:
                return partners
        return self.browse()

    @api.model
    def _kcc_search_phone(self, text, limit=2):
        """Partners whose phone or mobile ends in the same 8 digits as ``text``.

        Matches "+32 16 27 20 00", "016 27 20 00" and "016272000" alike. The
        city itself (a company's partner, with the contact centre's number)
        is never the caller.
        """
        digits = re.sub(r"\D", "", text or "")
        if len(digits) < 8:
            return self.browse()
        tail = digits[-8:]
        self.flush_model(["phone", "mobile", "active"])

        def tail_of(column):
            return SQL(
                "right(regexp_replace(coalesce(%s, ''), '\\D', '', 'g'), 8)",
                SQL.identifier(column),
            )

        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE active AND (%s = %s OR %s = %s) "
                "AND id NOT IN (SELECT partner_id FROM res_company) "
                "ORDER BY id LIMIT %s",
                tail_of("phone"),
                tail,
                tail_of("mobile"),
                tail,
                limit,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.search([("id", "in", ids)])

    def action_view_kcc_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_case_action"
        )
        action["domain"] = self._kcc_history_domain()
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_kcc_contacts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_contact_action"
        )
        action["domain"] = self._kcc_history_domain()
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------ citizens' rights

    def _kcc_check_privacy_officer(self):
        """Only the DPO and KCC supervisors export or erase a person's data."""
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("leuven_kcc.group_kcc_dpo")
            or user.has_group("leuven_kcc.group_kcc_supervisor")
        ):
            raise AccessError(
                self.env._(
                    "Only the data protection officer and KCC supervisors may "
                    "export or erase the personal data of a person."
                )
            )

    def _kcc_personal_data(self):
        """Everything the KCC holds about this person, as plain data."""
        self.ensure_one()
        partner = self.sudo()
        env = partner.env
        # what the erasure reaches, the export shows: also what was registered
        # without a customer but with his e-mail address
        Case, Contact = env["kcc.case"], env["kcc.contact"]
        Reporter = env["kcc.case.reporter"]
        cases = Case.search([("partner_id", "=", partner.id)])
        cases |= partner._kcc_same_email(Case, [("partner_id", "=", False)])
        contacts = Contact.search([("partner_id", "=", partner.id)])
        contacts |= partner._kcc_same_email(Contact, [("partner_id", "=", False)])
        reported = Reporter.search([("partner_id", "=", partner.id)])
        reported |= partner._kcc_same_email(Reporter, [("partner_id", "=", False)])
        cases, contacts = cases.sorted("id"), contacts.sorted("id")
        consents = env["kcc.consent"].search(
            [("partner_id", "=", partner.id)], order="id"
        )

        def text(value):
            return str(value) if value else None

        return {
            "person": {
                "id": partner.id,
                "name": partner.name,
                "email": partner.email or None,
                "phone": partner.phone or None,
                "mobile": partner.mobile or None,
                "street": partner.street or None,
                "zip": partner.zip or None,
                "city": partner.city or None,
                "lang": partner.lang or None,
                "created": text(partner.create_date),
            },
            "cases": [
                {
                    "reference": case.name,
                    "type": case.case_type,
                    "channel": case.channel,
                    "state": case.state,
                    "subject": case.subject,
                    "description": case.description_text or None,
                    "resolution": html2plaintext(case.resolution or "") or None,
                    "category": case.category_id.name or None,
                    "handler_group": case.handler_group_id.name or None,
                    "received": text(case.date_received),
                    "answered": text(case.date_answered),
                    "closed": text(case.date_closed),
                    "address": case.street or None,
                    "messages": [
                        {
                            "date": text(message.date),
                            "author": message.author_id.name or None,
                            "body": html2plaintext(message.body or ""),
                        }
                        for message in case.message_ids.sorted("id")
                        if message.body
                    ],
                    "shared_with": [
                        {
                            "organisation": share.organisation_id.name,
                            "active": share.is_active,
                            "support_started": share.support_started,
                        }
                        for share in case.share_ids
                    ],
                }
                for case in cases
            ],
            "contacts": [
                {
                    "date": text(contact.date),
                    "channel": contact.channel,
                    "direction": contact.direction,
                    "summary": contact.summary,
                    "case": contact.case_id.name or None,
                }
                for contact in contacts
            ],
            "reported_again": [
                {
                    "case": reporter.case_id.name,
                    "date": text(reporter.date),
                    "channel": reporter.channel or None,
                }
                for reporter in reported.sorted("id")
            ],
            "consents": [
                {
                    "organisation": consent.organisation_id.name,
                    "purpose": consent.purpose,
                    "channel": consent.channel,
                    "given": text(consent.date),
                    "withdrawn": text(consent.date_withdrawn),
                    "cases": consent.case_ids.mapped("name"),
                }
                for consent in consents
            ],
            "identities": {},
        }

    def _kcc_export_field(self, data, record, fname, masked=None):
        """The value of field ``fname`` of ``record`` for the export ``data``,
        as far as the caller may read that field himself.

        The export gathers everything about the person with sudo, but a field
        restricted to a group the caller lacks (e.g. the national number)
        gives ``masked`` or None, and its label is listed under "withheld" so
        that someone of that group can complete the export.
        """
        field = record._fields[fname]
        if field.is_accessible(self.env):
            return record.sudo()[fname] or None
        label = field._description_string(self.env)
        withheld = data.setdefault("withheld", [])
        if label not in withheld:
            withheld.append(label)
        return masked or None

    def _kcc_export_personal_data(self):
        """The personal data export of this person, logged for the DPO.

        It holds only what the caller may read: the fields of groups he lacks
        are masked or left out (``_kcc_export_field``).
        """
        self.ensure_one()
        self._kcc_check_privacy_officer()
        self.check_access("read")
        data = self._kcc_personal_data()
        self.env["kcc.audit.log"]._log(
            "personal_data_export",
            self,
            purpose=self.env._("Right of access (GDPR art. 15)"),
        )
        return data

    def action_kcc_export_personal_data(self):
        self.ensure_one()
        self._kcc_check_privacy_officer()
        return {
            "type": "ir.actions.act_url",
            "url": f"/kcc/privacy/export/{self.id}",
            "target": "self",
        }

    def _kcc_erase(self):
        """Erase what may be erased; return what was done and what is kept, why.

        Finished cases are anonymised; open cases are kept (the city still owes
        an answer), and so is the person while a case is open or he has a
        user account. Active consents are withdrawn. The cases and contacts
        registered without a customer but with his e-mail address (normalised,
        case-insensitive) are his too, and so are the website forms he sent.
        """
        self.ensure_one()
        self._kcc_check_privacy_officer()
        _ = self.env._
        partner = self.sudo()
        env = partner.env
        reasons = {
            "open_case": _("The case is still open: the city owes an answer."),
        }
        report = {"anonymised": [], "kept": [], "person": None}
        Case = env["kcc.case"]
        cases = Case.search([("partner_id", "=", partner.id)])
        cases |= partner._kcc_same_email(Case, [("partner_id", "=", False)])
        to_anonymise = Case
        for case in cases:
            action, reason = privacy.erasure_decision({"state": case.state})
            if action == "anonymise":
                to_anonymise |= case
            else:
                report["kept"].append((case.name, reasons[reason]))
        report["anonymised"] = to_anonymise.mapped("name")
        to_anonymise._anonymise()
        Contact = env["kcc.contact"]
        contacts = Contact.search(
            [("partner_id", "=", partner.id), ("case_id", "=", False)]
        ) | partner._kcc_same_email(
            Contact, [("partner_id", "=", False), ("case_id", "=", False)]
        )
        contacts.write(
            {
                "partner_id": False,
                "contact_name": False,
                "contact_email": False,
                "contact_phone": False,
                "summary": _("Anonymised contact"),
            }
        )
        env["kcc.consent"].search(
            [("partner_id", "=", partner.id), ("state", "=", "active")]
        ).action_withdraw()
        partner._kcc_erase_web_submissions()
        # he is no longer told about cases he reported again
        reporter_domain = [("partner_id", "=", partner.id)]
        if partner.email:
            same_email = [("contact_email", "=ilike", escape_psql(partner.email))]
            reporter_domain = expression.OR([reporter_domain, same_email])
        env["kcc.case.reporter"].search(reporter_domain).unlink()
        if report["kept"]:
            report["person"] = _("Kept: the person still has open cases.")
        elif partner.with_context(active_test=False).user_ids:
            report["person"] = _(
                "Kept: the person has a user account; deactivate it first."
            )
        else:
            partner._kcc_anonymise_person()
        self.env["kcc.audit.log"]._log(
            "erasure",
            self,
            purpose=_("Right to erasure (GDPR art. 17)"),
            text=privacy.mask_text(partner.display_name) if report["person"] else "",
        )
        return report

    def _kcc_same_email(self, model, domain):
        """The records of ``model`` within ``domain`` whose ``contact_email`` is
        this person's e-mail address, normalised and case-insensitive."""
        self.ensure_one()
        email = email_normalize(self.email or "")
        if not email:
            return model.browse()
        candidates = model.search(
            [*domain, ("contact_email", "ilike", escape_psql(email))]
        )
        return candidates.filtered(
            lambda record: email_normalize(record.contact_email or "") == email
        )

    def _kcc_erase_web_submissions(self):
        """Clear the website forms this person sent that made no case (refused,
        spam, duplicate check): by his account or his e-mail address in the
        form. The forms of his cases go with the anonymised cases."""
        self.ensure_one()
        Submission = self.env["kcc.web.submission"].sudo()
        no_case = [("case_id", "=", False)]
        users = self.with_context(active_test=False).user_ids
        submissions = Submission.browse()
        if users:
            submissions = Submission.search([*no_case, ("user_id", "in", users.ids)])
        email = email_normalize(self.email or "")
        if email:
            candidates = Submission.search(
                [*no_case, ("payload", "ilike", escape_psql(email))]
            )
            for submission in candidates:
                found = email_re.findall(submission.payload or "")
                if email in {address.lower() for address in found}:
                    submissions |= submission
        submissions.write(
            {
                "payload": False,
                "file_names": False,
                "ip_address": False,
                "error": False,
                "user_id": False,
            }
        )

    def _kcc_anonymise_person(self):
        """Remove the identifying data of this person (other addons add theirs)."""
        self.write(
            {
                "name": self.env._("Anonymised person"),
                "email": False,
                "phone": False,
                "mobile": False,
                "street": False,
                "street2": False,
                "zip": False,
                "city": False,
                "website": False,
                "comment": False,
                "function": False,
                "vat": False,
                "image_1920": False,
                "active": False,
            }
        )

    def action_kcc_erase(self):
        self.ensure_one()
        report = self._kcc_erase()
        wizard = self.env["kcc.erasure.report"].create(
            {
                "partner_id": self.id,
                "report": self.env["kcc.erasure.report"]._format(report),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "kcc.erasure.report",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

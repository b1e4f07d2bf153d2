import logging
import uuid
from collections import defaultdict

from lxml import html
from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.http import request
from odoo.tools import formataddr, safe_eval

from .kcc_api_client import CITY_LANG
from .kcc_case import ACK_BATCH_SIZE_PARAM, DEFAULT_ACK_BATCH_SIZE

_logger = logging.getLogger(__name__)

ACK_TEMPLATE = "leuven_kcc.kcc_case_mail_template_ack"
ACK_LAYOUT = "leuven_kcc.kcc_mail_layout_customer"
ACK_QUEUE = "kcc.case.acknowledge"  # pre-commit data: {case id: language}
SENDER_PARAM = "leuven_kcc.customer_email_from"


class KccCase(models.Model):
    """The acknowledgement of receipt: queued in the intake's transaction,
    composed for a whole batch at once."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    def _customer_lang(self):
        """The language of the e-mails to this case's customer: his own, else
        the city's (Dutch), also for an anonymous reporter or a contact
        without a language."""
        self.ensure_one()
        if self.partner_id.lang:
            return self.partner_id.lang
        return CITY_LANG if self.env["res.lang"]._lang_get(CITY_LANG) else "en_US"

    def _customer_email_from(self):
        """The sender of the e-mails to customers: the city, never a user.

        The KCC's own address when one is configured (Settings, parameter
        ``leuven_kcc.customer_email_from``), else the company's address, else
        the default sender of its mail domain; always with the company's
        name."""
        company = self[:1].company_id or self.env.company
        address = (
            self.env["ir.config_parameter"].sudo().get_param(SENDER_PARAM) or ""
        ).strip()
        if address:
            return formataddr((company.name, address))
        if company.email_formatted:
            return company.email_formatted
        if company.default_from_email:
            return formataddr((company.name, company.default_from_email))
        return False

    def _acknowledge(self):
        """Queue the acknowledgements of these cases in the intake's
        transaction: they are composed and stored together with those of
        every case taken in during the transaction, in one batch just before
        it commits (or at the next savepoint), in the customer's language:
        for a customer without one, the language of the website's form he
        sent, else the city's (:meth:`_customer_lang`); the language of
        another context (an API client, a job, an agent) is not his."""
        cr = self.env.cr
        queued = cr.precommit.data.setdefault(ACK_QUEUE, {})
        if not queued:
            cr.precommit.add(self.browse()._acknowledge_queued)
        form_lang = (
            self.env.lang
            if request and getattr(request, "is_frontend", False)
            else None
        )
        for case in self:
            queued[case.id] = form_lang

    def _acknowledge_queued(self):
        """Pre-commit hook: acknowledge the cases taken in. If composing fails
        (e.g. a template an administrator broke), the cases are kept all the
        same and wait for the scheduled job, which tries again."""
        queued = self.env.cr.precommit.data.pop(ACK_QUEUE, {})
        cases = self.sudo().browse(queued)
        try:
            composed = cases._ack_compose(queued)
        except Exception:
            _logger.exception("Acknowledgement of %s deferred", list(queued))
            cases.exists().write({"ack_pending": True})
        else:
            cases._ack_store(composed)
        self.env.flush_all()

    def _send_acknowledgement(self):
        """Queue the acknowledgement of receipt of each case, in one go.

        A customer with an e-mail address gets the acknowledgement template
        in his language as a message in the case's conversation and one
        queued e-mail in the city's layout. The template's body is compiled
        once per text and language and the layout rendered once per language
        (both cached), then filled in per case; the messages, their e-mails
        and their delivery statuses are each created in one statement for
        the batch, and nobody else is notified. A case without an address
        gets a note with its reference. The mail queue's job is woken once.
        """
        self._ack_store(self._ack_compose())

    def _ack_compose(self, langs=None):
        """The acknowledgements of these cases, composed (reads only):
        ``(messages, mails, partners, notes)`` for :meth:`_ack_store`.
        ``langs``: {case id: language of the website's form} for a customer
        without a language; else the template's (his, or the city's). The
        sender is the city (:meth:`_customer_email_from`) and the author its
        company."""
        langs = langs or {}
        cases = self.sudo()
        template = self.env["mail.template"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(ACK_TEMPLATE)
        )
        to_mail = (
            cases.filtered(lambda c: c.partner_id.email or c.contact_email)
            if template
            else cases.browse()
        )
        # a note for the staff, in the city's language whoever takes it in
        city = self.with_context(lang=CITY_LANG).env
        notes = {
            case.id: Markup("<p>%s</p>")
            % city._("Case registered with reference %(ref)s.", ref=case.name)
            for case in cases - to_mail
        }
        if not to_mail:
            return [], [], [], notes
        template = template.sudo()
        company = self.env.company
        author = company.partner_id
        email_from = cases[:1]._customer_email_from()
        # replies find their case by the message's headers: the company's
        # catchall (or the sender) is the reply-to, no look-up per case
        reply_to = self.browse()._notify_get_reply_to(default=email_from)[False]
        subtype = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        base_url = to_mail[:1].get_base_url()  # one website for all cases
        messages, mails, partners = [], [], []
        by_lang = defaultdict(list)
        for lang, (_tmpl, ids) in template._classify_per_lang(to_mail.ids).items():
            for case_id in ids:
                form_lang = (
                    None
                    if cases.browse(case_id).partner_id.lang
                    else langs.get(case_id)
                )
                by_lang[form_lang or lang or CITY_LANG].append(case_id)
        for lang, ids in by_lang.items():
            tmpl = template.with_context(lang=lang)
            batch = cases.browse(ids)
            subjects = tmpl._render_field("subject", ids)
            bodies = batch._ack_render_body(tmpl)
            layout, marks = self._ack_layout(tmpl.env.lang, base_url)
            for case in batch:
                partner = case.partner_id if case.partner_id.email else None
                messages.append(
                    {
                        "model": self._name,
                        "res_id": case.id,
                        "record_name": case.display_name,
                        "message_type": "comment",
                        "subtype_id": subtype,
                        "author_id": author.id,
                        "email_from": email_from,
                        "reply_to": reply_to,
                        "subject": subjects[case.id],
                        "body": bodies[case.id],
                        "partner_ids": [(4, partner.id)] if partner else [],
                    }
                )
                mails.append(
                    {
                        # the token is made at the intake, or here if missing
                        "body_html": layout.replace(marks["body"], bodies[case.id])
                        .replace(marks["name"], escape(case.name))
                        .replace(marks["url"], escape(case._ack_link(base_url))),
                        "email_to": False if partner else case.contact_email,
                        "recipient_ids": [(4, partner.id)] if partner else [],
                        "auto_delete": template.auto_delete,
                        "state": "outgoing",
                    }
                )
                partners.append(partner)
        return messages, mails, partners, notes

    def _ack_link(self, base_url):
        """The link to the case for its customer, with its access token."""
        self.ensure_one()
        if not self.access_token:
            self._portal_ensure_token()
        return f"{base_url}{self.access_url}?access_token={self.access_token}"

    def _ack_store(self, composed):
        """Create what :meth:`_ack_compose` composed: the messages, their
        e-mails and delivery statuses (one ``create`` each), the notes."""
        messages, mails, partners, notes = composed
        if messages:
            created = (
                self.env["mail.message"]
                .sudo()
                .with_context(mail_create_nosubscribe=True)
                .create(messages)
            )
            for mail, message in zip(mails, created, strict=True):
                mail["mail_message_id"] = message.id
            queued = self.env["mail.mail"].sudo().create(mails)
            self.env["mail.notification"].sudo().create(
                [
                    {
                        "mail_message_id": message.id,
                        "mail_mail_id": mail.id,
                        "res_partner_id": partner.id,
                        "notification_type": "email",
                        "notification_status": "ready",
                        "is_read": True,
                    }
                    for message, mail, partner in zip(
                        created, queued, partners, strict=True
                    )
                    if partner
                ]
            )
            self._wake_mail_queue()
        if notes:
            logged = self.sudo().browse(notes)
            logged._message_log_batch(
                bodies=notes,
                message_type="comment",
                author_id=self.env.company.partner_id.id,
                email_from=logged[:1]._customer_email_from(),
            )
        pending = self.sudo().filtered("ack_pending")
        if pending:
            pending.write({"ack_pending": False})

    @api.model
    def _wake_mail_queue(self):
        """Wake the mail queue's job, unless a wake-up is already waiting."""
        cron = (
            self.env["ir.cron"]
            .sudo()
            .browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    "mail.ir_cron_mail_scheduler_action"
                )
            )
        )
        waiting = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count(
                [("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())],
                limit=1,
            )
        )
        if not waiting:
            cron._trigger()

    def _ack_render_body(self, template):
        """{case id: body} of ``template``'s ``body_html`` in the language of
        its context: compiled once (cached per text and language), rendered
        for each case with the variables of a mail template."""
        source = template.body_html
        if not source:
            return dict.fromkeys(self.ids, Markup())
        functions, name = self._ack_compiled_body(str(source), template.env.lang)
        QWeb = self.env["ir.qweb"].with_context(
            lang=template.env.lang, minimal_qcontext=True
        )
        variables = template._render_eval_context()
        Render = self.env["mail.render.mixin"]
        result = {}
        for case in self:
            values = dict(variables, object=case)
            qweb = QWeb._prepare_environment(values)
            safe_eval.check_values(values)
            rendered = "".join(functions[name](qweb, values))[5:-6]  # the <div>
            result[case.id] = Markup(Render._replace_local_links(rendered))
        return result

    @tools.ormcache("source", "lang", cache="templates")
    def _ack_compiled_body(self, source, lang):
        return (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._compile(html.fragment_fromstring(source, create_parent="div"))
        )

    @tools.ormcache(
        "lang",
        "base_url",
        "self.env.company.id",
        "str(self.env.company.write_date)",
        cache="templates",
    )
    def _ack_layout(self, lang, base_url):
        """The city's e-mail layout in ``lang`` with marks where each case's
        body, reference and link go, and the marks; cached until a view or
        the company changes."""
        marks = {
            key: f"kcc-ack-{key}-{uuid.uuid4().hex}" for key in ("body", "name", "url")
        }
        layout = self.env["ir.qweb"]._render(
            ACK_LAYOUT,
            {
                "body": marks["body"],
                "record_name": marks["name"],
                "access_url": marks["url"],
                "company": self.env.company,
                "base_url": base_url,
                "lang": lang,
            },
            minimal_qcontext=True,
            lang=lang,
        )
        return layout, marks

    @api.model
    def _acknowledge_batch(self, limit=None):
        """Acknowledge one batch of new cases; returns ``(done, remaining)``."""
        limit = limit or self._get_param_int(
            ACK_BATCH_SIZE_PARAM, DEFAULT_ACK_BATCH_SIZE
        )
        Case = self.sudo()
        cases = Case.search([("ack_pending", "=", True)], limit=limit, order="id")
        cases._send_acknowledgement()
        return len(cases), Case.search_count([("ack_pending", "=", True)])

    @api.model
    def _cron_acknowledge(self):
        """Scheduled job (every minute): one batch per call; the cron runner
        commits and calls again while there is work left."""
        done, remaining = self._acknowledge_batch()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

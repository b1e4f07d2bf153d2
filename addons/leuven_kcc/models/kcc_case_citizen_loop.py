import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, plaintext2html
from odoo.tools.mail import email_split_tuples

from leuven.kcc import inputs, states

_logger = logging.getLogger(__name__)

#: channels whose description is what the customer wrote himself; on the
#: others (phone, counter, letter, API, the back office) staff wrote it
CUSTOMER_WORDS_CHANNELS = frozenset(
    {"web_form", "report_form", "email", "portal", "assistant", "burgerprofiel"}
)
#: finished cases: the customer can no longer write on them
CLOSED_TO_CUSTOMER = frozenset({states.CLOSED, states.CANCELLED, states.DUPLICATE})
REPLY_MAX_LENGTH = 5000  # characters of a reply from the portal page


class KccCase(models.Model):
    """The conversation with the customer: a question when the case waits on
    him, his reply resumes it, a reason when it is cancelled, the answers
    given, and no more messages on a finished case."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    description_by_customer = fields.Boolean(
        string="Description in the Customer's Words",
        compute="_compute_description_by_customer",
        store=True,
        precompute=True,
        readonly=False,  # set by the intake and by create, not by the compute
        copy=False,
        help="The description is what the customer wrote (web form, e-mail, "
        "portal, assistant): his page shows it as his message. What staff "
        "wrote (phone, counter, back office) stays internal.",
    )
    waiting_question = fields.Text(
        string="Question to the Customer",
        readonly=True,
        copy=False,
        help="What the case waits for: sent to the customer and shown on his page.",
    )
    waiting_question_message_id = fields.Many2one(
        "mail.message", string="Question Message", readonly=True, copy=False
    )
    cancel_reason = fields.Text(
        string="Reason for Cancelling",
        readonly=True,
        copy=False,
        help="Shown to the customer on his page.",
    )
    followup_of_id = fields.Many2one(
        "kcc.case",
        string="Follow-up Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The finished case the customer wrote to again: his e-mail became "
        "this case.",
    )
    answer_ids = fields.One2many(
        "kcc.case.answer",
        "case_id",
        string="Answers Given",
        readonly=True,
        groups="base.group_system",
    )
    answer_history = fields.Html(
        string="Earlier Answers",
        compute="_compute_answer_history",
        sanitize=False,  # built from sanitized answers
        help="Every answer given to the customer, also before a reopening.",
    )

    # ------------------------------------------------------------ computes

    @api.depends()
    def _compute_description_by_customer(self):
        """Only for the cases made before the flag existed (the intake and
        create set it): by their channel."""
        for case in self:
            case.description_by_customer = case.channel in CUSTOMER_WORDS_CHANNELS

    @api.depends("state", "resolution")
    def _compute_answer_history(self):
        answers = self.sudo().answer_ids
        for case in self:
            mine = answers.filtered(
                lambda a, case=case: a.case_id.id == case._origin.id
            )
            if len(mine) < 2 and case.state in ("answered", "closed"):
                case.answer_history = False  # only the answer of the form
                continue
            case.answer_history = Markup("").join(
                Markup('<div class="mb-2"><p class="text-muted mb-0">%s</p>%s</div>')
                % (
                    fields.Datetime.context_timestamp(case, answer.date).strftime(
                        "%d/%m/%Y %H:%M"
                    ),
                    answer.body or Markup(),
                )
                for answer in mine
            )

    # ------------------------------------------------------------ create / write

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "description_by_customer" not in vals:
                # the intake knows the channel; anything else is the back office
                vals["description_by_customer"] = bool(
                    self.env.context.get("kcc_intake")
                    and vals.get("channel") in CUSTOMER_WORDS_CHANNELS
                )
        return super().create(vals_list)

    def write(self, vals):
        target = vals.get("state")
        if (
            target == states.WAITING
            and not (vals.get("waiting_question") or "").strip()
        ):
            if self.filtered(lambda c: c.state != states.WAITING):
                raise UserError(
                    self.env._(
                        "A case waits on the customer only with a question to him: "
                        "use 'Wait on Customer'."
                    )
                )
        if target == states.CANCELLED and not (vals.get("cancel_reason") or "").strip():
            if self.filtered(lambda c: c.state != states.CANCELLED):
                raise UserError(
                    self.env._("A case is cancelled only with a reason: use 'Cancel'.")
                )
        if (
            "description" in vals
            and "description_by_customer" not in vals
            and not self.env.su
            and self.env.user._is_internal()
        ):
            # text typed in the back office is staff's, not the customer's
            vals = {**vals, "description_by_customer": False}
        answered = (
            self.filtered(lambda c: c.state != states.ANSWERED)
            if target == states.ANSWERED
            else self.browse()
        )
        result = super().write(vals)
        if answered:
            self.env["kcc.case.answer"].sudo().create(
                [
                    {
                        "case_id": case.id,
                        "body": case.resolution,
                        "user_id": self.env.user.id,
                    }
                    for case in answered
                ]
            )
        return result

    # ------------------------------------------------------------ waiting

    def _wait_on_customer(self, question):
        """Send ``question`` to the customer and wait for his reply (the
        deadline pauses). The one way into "waiting"."""
        question = (question or "").strip()
        if not question:
            raise UserError(self.env._("Write the question to the customer."))
        for case in self:
            if case.state != states.WAITING:
                case._check_transition(states.WAITING)
            customer_env = case.with_context(lang=case.sudo()._customer_lang()).env
            message = case._message_to_customer(
                question,
                subject=customer_env._(
                    "%(ref)s: a question about your case", ref=case.name
                ),
            )
            case.write(
                {
                    "state": states.WAITING,
                    "waiting_question": question,
                    "waiting_question_message_id": message.id,
                }
            )
        return True

    def _message_to_customer(self, text, subject=None):
        """Post ``text`` from the current user to the case's customer: a
        message of the conversation, e-mailed to him (to the address of an
        anonymous case without a contact) and shown on his page."""
        self.ensure_one()
        case = self.sudo()
        partner = case.partner_id
        if not (partner or case.contact_email):
            raise UserError(
                self.env._(
                    "Case %(ref)s has no customer or e-mail address to send the "
                    "message to.",
                    ref=self.name,
                )
            )
        body = plaintext2html(text)
        message = self.message_post(
            body=body,
            subject=subject,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.env.user.partner_id.id,
            partner_ids=partner.ids,
        )
        if not partner:
            case._mail_to_contact_email(message, body)
        return message

    def _mail_to_contact_email(self, message, body):
        """E-mail ``message`` to the contact address of a case without a
        customer record, in the city's layout with the link to the case."""
        self.ensure_one()
        base_url = self.get_base_url()
        lang = self._customer_lang()
        layout = self.env["ir.qweb"]._render(
            "leuven_kcc.kcc_mail_layout_customer",
            {
                "body": body,
                "record_name": self.name,
                "access_url": self._ack_link(base_url),
                "company": self.company_id,
                "base_url": base_url,
                "lang": lang,
            },
            minimal_qcontext=True,
            lang=lang,
        )
        self.env["mail.mail"].sudo().create(
            {
                "mail_message_id": message.id,
                "body_html": layout,
                "email_to": self.contact_email,
                "auto_delete": True,
                "state": "outgoing",
            }
        )
        self._wake_mail_queue()

    def _kcc_from_customer(self, message):
        """Whether ``message`` is the customer's side of the conversation: a
        public message (portal, e-mail) not written by staff."""
        message = message.sudo()
        if message.message_type not in ("comment", "email"):
            return False
        if message.subtype_id != self.env.ref("mail.mt_comment"):
            return False
        author = message.author_id
        if not author:
            return True  # an address without a partner: the customer's e-mail
        if author == self.env.company.partner_id:
            return False
        staff = author.with_context(active_test=False).user_ids.filtered(
            lambda user: not user.share
        )
        return not staff

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if len(self) == 1 and self.sudo().state == states.WAITING:
            if self._kcc_from_customer(message):
                self.sudo()._resume_on_reply(message)
        return result

    def _resume_on_reply(self, message):
        """The customer replied: the case is handled again (its deadline
        runs again) and its handler is told."""
        self.ensure_one()
        self.write({"state": states.ACTIONS["resume"].target})
        _ = self.env._
        summary = _("Reply from the customer")
        note = _(
            "The customer replied on case %(ref)s: it is back in progress.",
            ref=self.name,
        )
        if self.user_id:
            try:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=note,
                    user_id=self.user_id.id,
                )
            except (AccessError, UserError):  # the assignee may not reach it
                _logger.exception("No activity for the reply on %s", self.name)
            else:
                return
        members = self.handler_group_id.member_ids.filtered("active")
        if members:
            self.message_notify(
                partner_ids=members.partner_id.ids,
                subject=summary,
                body=Markup("<p>%s</p>") % note,
                author_id=self.env.ref("base.partner_root").id,
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _portal_reply(self, text, user):
        """The customer's reply from his page (logged in as ``user``, or
        through the link of his e-mails as the public user): a message of
        the conversation in his name, which resumes a waiting case."""
        self.ensure_one()
        _ = self.env._
        try:
            text = inputs.check_text(
                text, "reply", REPLY_MAX_LENGTH, multiline=True, required=True
            )
        except inputs.InputError as err:
            if err.code == "required":
                raise UserError(_("Write your reply.")) from err
            if err.code == "too_long":
                raise UserError(
                    _(
                        "Your reply is too long: at most %(max)s characters.",
                        max=REPLY_MAX_LENGTH,
                    )
                ) from err
            raise UserError(_("Your reply holds characters we cannot read.")) from err
        case = self.sudo()
        values = {}
        if not user._is_public():
            values["author_id"] = user.partner_id.id
        elif case.partner_id:
            values["author_id"] = case.partner_id.id
        else:  # an anonymous case: the address it was made with
            values.update(author_id=False, email_from=case.contact_email)
        return self.message_post(
            body=plaintext2html(text),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            **values,
        )

    # ------------------------------------------------------------ cancelling

    def _cancel(self, reason):
        """Cancel with ``reason``, told to the customer in the conversation."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for cancelling the case."))
        for case in self:
            case._check_transition(states.CANCELLED)
            case.write({"state": states.CANCELLED, "cancel_reason": reason})
            customer_env = case.with_context(lang=case.sudo()._customer_lang()).env
            body = customer_env._("Case cancelled: %(reason)s", reason=reason)
            if case.sudo().partner_id or case.sudo().contact_email:
                case._message_to_customer(body)
            else:
                case.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    # ------------------------------------------------------------ finished cases

    def message_post(self, **kwargs):
        """A customer (portal, the link of his e-mails) writes no more on a
        closed, cancelled or duplicate case."""
        user = self.env.user
        if (
            len(self) == 1
            and (user._is_public() or user._is_portal())
            and self.sudo().state in CLOSED_TO_CUSTOMER
            and not self._kcc_internal_subtype(kwargs)
        ):
            raise UserError(self._closed_to_customer_text())
        return super().message_post(**kwargs)

    def _kcc_internal_subtype(self, post_values):
        """Whether a message posted with ``post_values`` is internal (a note,
        as the system logs on behalf of a customer), as message_post decides."""
        Subtype = self.env["mail.message.subtype"].sudo()
        if post_values.get("subtype_id"):
            subtype = Subtype.browse(post_values["subtype_id"]).exists()
        else:
            xmlid = post_values.get("subtype_xmlid") or "mail.mt_note"
            subtype = self.env.ref(xmlid, raise_if_not_found=False) or Subtype
        return bool(subtype) and subtype._name == Subtype._name and subtype.internal

    @api.model
    def _kcc_finished_id(self, case_id):
        """Whether the case ``case_id`` is finished for its customer."""
        case = self.sudo().browse(case_id).exists() if case_id else self.browse()
        return bool(case) and case.state in CLOSED_TO_CUSTOMER

    def _closed_to_customer_text(self):
        return self.env._(
            "This case is finished: it takes no new messages. Ask a new "
            "question or report a new problem if you need to."
        )

    def message_update(self, msg_dict, update_vals=None):
        """An e-mail on a finished case is kept on it and becomes a new case,
        linked to the old one, so that it is handled (and acknowledged)."""
        result = super().message_update(msg_dict, update_vals=update_vals)
        author = self.env["res.partner"].sudo().browse(msg_dict.get("author_id"))
        if author.exists() and author.with_context(active_test=False).user_ids.filtered(
            lambda user: not user.share
        ):
            return result  # staff writing on a finished case
        for case in self.sudo():
            if case.state in CLOSED_TO_CUSTOMER and not case.anonymised_on:
                case._followup_from_email(msg_dict)
        return result

    def _followup_from_email(self, msg_dict):
        self.ensure_one()
        _ = self.env._
        values = {
            "subject": (msg_dict.get("subject") or "").strip()[:200] or self.subject,
            "description": html2plaintext(msg_dict.get("body") or ""),
            "case_type": self.case_type,
            "category_id": self.category_id.id,
        }
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        if author:
            values["partner_id"] = author.id
        elif self.partner_id:
            values["partner_id"] = self.partner_id.id
        else:
            parsed = email_split_tuples(msg_dict.get("email_from") or "")
            name, email = parsed[0] if parsed else ("", "")
            values["contact_name"] = name or self.contact_name
            values["contact_email"] = email or self.contact_email
        values = {key: value for key, value in values.items() if value}
        if self.case_type == "report" and self.street:
            values["street"] = self.street
        try:
            with self.env.cr.savepoint():
                new_case = self._intake(values, "email")
        except UserError:
            _logger.exception("E-mail on finished case %s not taken in", self.name)
            return self.browse()
        new_case.sudo().followup_of_id = self
        self.message_post(
            body=_(
                "This e-mail came after the case was finished: it became case %(ref)s.",
                ref=new_case.name,
            ),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.ref("base.partner_root").id,
        )
        new_case.message_post(
            body=_("The customer wrote again on finished case %(ref)s.", ref=self.name),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.ref("base.partner_root").id,
        )
        return new_case

    # ------------------------------------------------------------ privacy

    def _anonymise_linked(self):
        result = super()._anonymise_linked()
        cases = self.sudo()
        cases.answer_ids.unlink()
        cases.write({"waiting_question": False, "cancel_reason": False})
        return result

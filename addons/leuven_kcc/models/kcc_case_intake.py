import json
import logging
import uuid
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import MissingError, UserError
from odoo.tools import email_normalize, html2plaintext
from odoo.tools.mail import email_split_tuples
from odoo.tools.mimetypes import guess_mimetype

from leuven.kcc import inputs

from .kcc_case import CASE_TYPES

_logger = logging.getLogger(__name__)

PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MAX_FILES = 3
MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_FILE_NAME = 120


def file_name(name):
    """The name an uploaded file is kept under: no control characters, capped."""
    return inputs.clip_text(name or "", MAX_FILE_NAME) or "-"


class KccCase(models.Model):
    """Intake: the one entry point of every channel, the mail gateway, the
    contact log and the acknowledgement of receipt."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------ mail gateway

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to a handler group's alias becomes a case of that group."""
        values = dict(custom_values or {})
        values.setdefault("channel", "email")
        values["name"] = self.env._("New")  # the reference comes from the sequence
        values.setdefault(
            "routing_reason", "alias" if values.get("handler_group_id") else False
        )
        values["subject"] = (msg_dict.get("subject") or "").strip() or self.env._(
            "(no subject)"
        )
        values["description"] = html2plaintext(msg_dict.get("body") or "")
        values["description_by_customer"] = True  # the sender's own words
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if author:
            values["partner_id"] = author.id
        else:
            parsed = email_split_tuples(msg_dict.get("email_from") or "")
            if parsed:
                name, email = parsed[0]
                values["contact_name"] = name or email
                values["contact_email"] = email_normalize(email) or False
        if not values.get("routing_reason"):
            values.pop("routing_reason")
        case = super(KccCase, self.with_context(mail_create_nolog=True)).message_new(
            msg_dict, values
        )
        case._log_intake_contact()
        if case.partner_id.email or case.contact_email:
            case._acknowledge()
        else:
            case.message_post(
                body=self.env._(
                    "This e-mail has no usable sender address: the customer cannot "
                    "be answered by e-mail."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return case

    # ------------------------------------------------------------ followers

    def _subscribe_creator_and_customer(self):
        """Make the user who creates the cases (as ``mail.thread`` does) and
        each case's customer followers: one insert per customer, not two
        subscriptions per case."""
        context = self.env.context
        creator = (
            self.env.user.partner_id.ids
            if self.env.user.active
            and not context.get("mail_create_nosubscribe")
            and not context.get("tracking_disable")
            else []
        )
        by_customer = defaultdict(list)
        for case in self:
            by_customer[case.partner_id].append(case.id)
        # only an assignee given at creation was subscribed by mail.thread
        check_existing = bool(self.filtered("user_id"))
        Followers = self.env["mail.followers"]
        for customer, ids in by_customer.items():
            partners = list(dict.fromkeys(creator + customer.ids))
            if partners:
                Followers._insert_followers(
                    self._name,
                    ids,
                    partners,
                    customer_ids=customer.filtered("partner_share").ids,
                    check_existing=check_existing,
                )

    # ------------------------------------------------------------ intake

    _INTAKE_FIELDS = (
        "subject",
        "description",
        "case_type",
        "partner_id",
        "contact_name",
        "contact_email",
        "contact_phone",
        "street",
        "postcode",
        "city",
        "latitude",
        "longitude",
        "category_id",
        "priority",
        "first_line",
    )

    @api.model
    def _intake_fields(self):
        """The values a channel may give; other addons add theirs."""
        return self._INTAKE_FIELDS

    @api.model
    def _intake_check_input(self, values):
        """Types, lengths and coordinates of raw intake values, the same for
        every channel (``leuven.kcc.inputs.INTAKE_TEXT_LIMITS``): text is
        stripped and capped, ids are database ids, a point is finite and in
        range. Returns the checked values; raises UserError."""
        _ = self.env._
        try:
            vals = inputs.intake_text(values)
            for key, value in vals.items():
                field = self._fields.get(key)
                if value and field and field.type == "many2one":
                    vals[key] = inputs.parse_record_id(value, key)
            if "latitude" in vals or "longitude" in vals:
                lat, lon = inputs.parse_point(
                    vals.pop("latitude", None) or None,
                    vals.pop("longitude", None) or None,
                )
                if lat is not None:
                    vals.update(latitude=lat, longitude=lon)
        except inputs.InputError as err:
            if err.field in ("latitude", "longitude", "location"):
                raise UserError(_("The location on the map is not valid.")) from err
            label = (
                self._fields[err.field]._description_string(self.env)
                if err.field in self._fields
                else err.field
            )
            if err.code == "too_long":
                raise UserError(
                    _(
                        "%(field)s is too long: at most %(max)s characters.",
                        field=label,
                        max=inputs.INTAKE_TEXT_LIMITS.get(err.field),
                    )
                ) from err
            raise UserError(_("%(field)s is not valid.", field=label)) from err
        return vals

    @api.model
    def _intake_normalize(self, values, channel):
        """Validate raw intake values; return create values or raise UserError."""
        _ = self.env._
        if channel not in self._fields["channel"].get_values(self.env):
            raise UserError(_("Unknown channel %(channel)s.", channel=channel))
        unknown = set(values) - set(self._intake_fields())
        if unknown:
            raise UserError(
                _("Unknown fields: %(fields)s.", fields=", ".join(sorted(unknown)))
            )
        vals = self._intake_check_input(values)
        if not vals.get("subject"):
            raise UserError(_("A subject is required."))
        case_type = vals.setdefault("case_type", "question")
        if not isinstance(case_type, str) or case_type not in dict(CASE_TYPES):
            raise UserError(_("Unknown case type %(type)s.", type=str(case_type)[:40]))
        # each check reads the record once, with the fields routing and the
        # deadline read next (a missing record raises MissingError)
        if vals.get("category_id"):
            category = self.env["kcc.case.category"].sudo().browse(vals["category_id"])
            try:
                known = category.active
            except MissingError:
                known = False
            if not known:
                raise UserError(_("Unknown category."))
        if vals.get("partner_id"):
            partner = self.env["res.partner"].sudo().browse(vals["partner_id"])
            try:
                known = bool(partner.create_date)
            except MissingError:
                known = False
            if not known:
                raise UserError(_("Unknown customer."))
        elif not (vals.get("contact_email") or vals.get("contact_phone")):
            if channel not in ("phone", "counter", "letter"):
                raise UserError(
                    _("Give an e-mail address or phone number so we can answer you.")
                )
        if vals.get("contact_email"):
            email = email_normalize(vals["contact_email"])
            if not email:
                raise UserError(
                    _(
                        "%(email)s is not a valid e-mail address.",
                        email=vals["contact_email"],
                    )
                )
            vals["contact_email"] = email
        if case_type == "report" and not (
            vals.get("street") or (vals.get("latitude") and vals.get("longitude"))
        ):
            raise UserError(
                _("A report needs a location: an address or a point on the map.")
            )
        vals["channel"] = channel
        return vals

    @api.model
    def _intake_known(self, idempotency_key):
        """The case already taken in under ``idempotency_key``, if any (as
        superuser: the channel that sent it gets its case back)."""
        if not idempotency_key:
            return self.browse()
        return self.sudo().search([("idempotency_key", "=", idempotency_key)], limit=1)

    @api.model
    def _intake_attachment_types(self, channel):
        """The file types (as found in their content) a channel may attach."""
        return PHOTO_MIMETYPES

    @api.model
    def _intake_check_attachments(self, attachments, channel):
        """Check ``attachments`` (``(name, raw bytes)`` pairs, optionally with
        a mimetype, which is found again in the content); returns
        ``(name, raw, mimetype)`` triples or raises UserError."""
        _ = self.env._
        if len(attachments) > MAX_FILES:
            raise UserError(_("Add at most %(count)s photos.", count=MAX_FILES))
        allowed = self._intake_attachment_types(channel)
        result = []
        for attachment in attachments:
            name, data = file_name(attachment[0]), attachment[1]
            if len(data) > MAX_FILE_SIZE:
                raise UserError(
                    _(
                        "%(file)s is larger than %(size)s MB.",
                        file=name,
                        size=MAX_FILE_SIZE // (1024 * 1024),
                    )
                )
            mimetype = guess_mimetype(data)
            if mimetype not in allowed:
                raise UserError(
                    _("%(file)s is not a photo (JPEG, PNG, GIF or WebP).", file=name)
                )
            result.append((name, data, mimetype))
        return result

    @api.model
    def _intake(
        self,
        values,
        channel,
        idempotency_key=None,
        attachments=None,
        contact_summary=None,
        contact=None,
    ):
        """The one entry point of every channel: returns the case.

        Gives the same case back for an ``idempotency_key`` seen before;
        otherwise checks the ``attachments`` (``(name, raw bytes)``) and
        validates and normalises ``values``, routes the case and sets its
        deadline in its create values (one INSERT), keeps the raw submission,
        attaches the files and logs the contact. The acknowledgement to the
        customer follows within a minute (``_cron_acknowledge``): its e-mail
        is composed outside the customer's request.
        Raises :class:`UserError` with a translated message on bad input.
        """
        existing = self._intake_known(idempotency_key)
        if existing:
            return existing
        files = self._intake_check_attachments(list(attachments or ()), channel)
        vals = self._intake_normalize(dict(values), channel)
        vals["idempotency_key"] = idempotency_key or False
        vals["raw_submission"] = json.dumps(
            {"channel": channel, "values": values}, default=str, sort_keys=True
        )
        vals["access_token"] = str(uuid.uuid4())  # the link in the acknowledgement
        # no creation message, no tracking templates (kcc.case has none)
        case = (
            self.sudo()
            .with_context(kcc_intake=True, mail_create_nolog=True, mail_notrack=True)
            .create(vals)
        )
        if files:
            self.env["ir.attachment"].sudo().create(
                [
                    {
                        "name": name,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": "kcc.case",
                        "res_id": case.id,
                    }
                    for name, data, mimetype in files
                ]
            )
        case._log_intake_contact(summary=contact_summary, contact=contact)
        case._acknowledge()
        return case.with_env(self.env)

    def _log_intake_contact(self, summary=None, contact=None):
        """Every case intake is also a customer contact.

        ``contact``: a contact already logged (e.g. an announced phone call)
        that this case came out of; it is completed instead of a new one.
        """
        if contact:
            self.ensure_one()
            contact.sudo().write(
                {
                    "case_id": self.id,
                    "summary": summary or self.subject,
                    "partner_id": self.partner_id.id or contact.partner_id.id,
                }
            )
            return
        user = self.env.user
        agent = (
            user if user._is_internal() and not user._is_superuser() else user.browse()
        )
        self.env["kcc.contact"].sudo().create(
            [
                {
                    "channel": case.channel,
                    "direction": "inbound",
                    "partner_id": case.partner_id.id,
                    "contact_name": case.contact_name,
                    "contact_email": case.contact_email,
                    "contact_phone": case.contact_phone,
                    "user_id": agent.id,
                    "summary": summary or case.subject,
                    "case_id": case.id,
                    "first_line_resolved": False,
                }
                for case in self
            ]
        )

import datetime as dt
import logging

from odoo import api, fields, models

from leuven.burgerprofiel import dosis, identifiers, melding

_logger = logging.getLogger(__name__)

PARAM = "leuven_burgerprofiel.%s"
TARGETS = ("dosis", "dosis_notification")
PUSH_STATES = [
    ("pending", "Waiting to be sent"),
    ("sent", "Sent"),
    ("failed", "Failed"),
]


class KccCase(models.Model):
    _inherit = "kcc.case"

    profile_push_state = fields.Selection(
        PUSH_STATES,
        string="Status in Mijn Burgerprofiel",
        readonly=True,
        copy=False,
        help="Whether the latest status of this case reached the customer's "
        "profile (DOSIS).",
    )
    profile_message_count = fields.Integer(compute="_compute_profile_message_count")

    def _compute_profile_message_count(self):
        counts = dict(
            self.env["kcc.outbox"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "kcc.case"),
                    ("res_id", "in", self.ids),
                    ("target", "in", TARGETS),
                ],
                ["res_id"],
                ["__count"],
            )
        )
        for case in self:
            case.profile_message_count = counts.get(case.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        # a case whose status goes to the profile is created "pending": its
        # status is queued in the same step, without an UPDATE of the case
        if self._profile_push_enabled():
            Case = self.sudo()
            for vals in vals_list:
                if (
                    vals.get("partner_id")
                    and "profile_push_state" not in vals
                    and Case.new(vals)._profile_status() is not None
                ):
                    vals["profile_push_state"] = "pending"
        cases = super().create(vals_list)
        cases._push_profile_status()
        return cases

    @api.model
    def _profile_push_enabled(self):
        return bool(
            self.env["ir.config_parameter"].sudo().get_param(PARAM % "dosis_enabled")
        )

    def write(self, vals):
        if "state" not in vals and "partner_id" not in vals:
            return super().write(vals)
        before = {case.id: (case.citizen_state, case.partner_id) for case in self}
        result = super().write(vals)
        changed = self.filtered(
            lambda c: (c.citizen_state, c.partner_id) != before.get(c.id)
        )
        changed._push_profile_status(
            resolved=changed.filtered(
                lambda c: (
                    c.citizen_state in dosis.RESOLVED
                    and before[c.id][0] not in dosis.RESOLVED
                )
            )
        )
        return result

    def _profile_status(self):
        """The case as DOSIS sees it, or None when its customer is not known."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        if not partner:
            return None
        commercial = partner.commercial_partner_id
        status = dosis.CaseStatus(
            reference=self.name,
            title=self.subject or self.name,
            status_code=self.citizen_state,
            status_label=dict(
                self._fields["citizen_state"]._description_selection(
                    self.with_context(lang="nl_BE").env
                )
            ).get(self.citizen_state, self.citizen_state),
            status_date=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            url=f"{self.get_base_url()}{self.access_url}",
            national_number=partner.national_number or "",
            kbo_number=commercial.kbo_number or "" if commercial.is_company else "",
            vcode=commercial.association_code or "" if commercial.is_company else "",
            product=self._product_name(),
        )
        return status if dosis.agents(status) else None

    def _push_profile_status(self, resolved=None):
        """Queue the status (and, once resolved, a notification) for the profile,
        to the endpoints ``dosis`` and ``dosis_notification``."""
        params = self.env["ir.config_parameter"].sudo()
        if not params.get_param(PARAM % "dosis_enabled"):
            return
        entity = params.get_param(PARAM % "entity_name") or "Stad Leuven"
        entity_kbo = params.get_param(PARAM % "entity_kbo")
        Outbox = self.env["kcc.outbox"].sudo()
        for case in self:
            status = case._profile_status()
            if status is None:
                continue
            sent_before = Outbox.search_count(
                [
                    ("res_model", "=", "kcc.case"),
                    ("res_id", "=", case.id),
                    ("target", "=", "dosis"),
                ]
            )
            key = f"dosis:{case.name}:{sent_before + 1}:{status.status_code}"
            messages = [
                (
                    "dosis",
                    key,
                    dosis.status_message(status, entity, entity_kbo, key),
                )
            ]
            if resolved and case in resolved:
                note_key = f"dosis-notification:{case.name}:{sent_before + 1}"
                messages.append(
                    (
                        "dosis_notification",
                        note_key,
                        dosis.notification_message(
                            status, entity, entity_kbo, note_key
                        ),
                    )
                )
            for target, message_key, payload in messages:
                problems = dosis.problems(payload)
                if problems:
                    _logger.error(
                        "%s: status message not sent: %s", case.name, problems
                    )
                    continue
                Outbox._enqueue(
                    target,
                    message_key,
                    payload,
                    record=case,
                    name=self.env._(
                        "Status %(status)s of %(case)s for Mijn Burgerprofiel",
                        status=status.status_label,
                        case=case.name,
                    ),
                )
            if case.profile_push_state != "pending":
                super(KccCase, case.sudo()).write({"profile_push_state": "pending"})

    def _on_outbox_sent(self, message):
        result = super()._on_outbox_sent(message)
        if message.target in TARGETS:
            pending = (
                self.env["kcc.outbox"]
                .sudo()
                .search_count(
                    [
                        ("res_model", "=", "kcc.case"),
                        ("res_id", "=", self.id),
                        ("target", "in", TARGETS),
                        ("state", "!=", "sent"),
                    ]
                )
            )
            self.profile_push_state = "pending" if pending else "sent"
        return result

    def _on_outbox_failed(self, message):
        result = super()._on_outbox_failed(message)
        if message.target in TARGETS:
            self.profile_push_state = "failed"
            self.message_post(
                body=self.env._(
                    "The status could not be sent to Mijn Burgerprofiel: %(error)s",
                    error=message.last_error or message.last_status,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return result

    def action_view_profile_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_outbox_action"
        )
        action["domain"] = [
            ("res_model", "=", "kcc.case"),
            ("res_id", "=", self.id),
            ("target", "in", TARGETS),
        ]
        return action

    @api.model
    def _intake_attachment_types(self, channel):
        types = super()._intake_attachment_types(channel)
        if channel == "burgerprofiel":
            types = (*types, *melding.MIME_TYPES)
        return types

    @api.model
    def _melding_intake(self, submission, category, claims, idempotency_key):
        """A checked Melding doen report (``leuven.burgerprofiel.melding``)
        becomes a case through the intake service, on the citizen named by
        the access token's national number; its attachments go along.
        Returns ``(case, created)``: a report sent again gives its case back."""
        known = self._intake_known(idempotency_key)
        if known:
            return known, False
        values = {
            "subject": melding.subject(submission, category.name),
            "description": submission.description,
            "case_type": "report",
            "category_id": category.id,
            "street": submission.street,
            "postcode": submission.postcode,
            "city": submission.city,
        }
        if submission.latitude is not None:
            values.update(latitude=submission.latitude, longitude=submission.longitude)
        number = identifiers.digits_only(claims.get("rrn"))
        if identifiers.is_valid_insz(number):
            name = (
                " ".join(
                    p
                    for p in (claims.get("given_name"), claims.get("family_name"))
                    if p and isinstance(p, str)
                )
                or submission.name
                or identifiers.mask_insz(number)
            )
            values["partner_id"] = (
                self.env["res.partner"]
                ._citizen_by_national_number(
                    number,
                    {
                        "name": name
                        or submission.name
                        or identifiers.mask_insz(number),
                        "email": submission.email or False,
                        "phone": submission.phone or False,
                    },
                )
                .id
            )
        else:
            values.update(
                contact_name=submission.name,
                contact_email=submission.email,
                contact_phone=submission.phone,
            )
        values = {k: v for k, v in values.items() if v not in ("", None, False)}
        return self._intake(
            values,
            "burgerprofiel",
            idempotency_key=idempotency_key,
            attachments=[(a.name, a.data) for a in submission.attachments],
        ), True

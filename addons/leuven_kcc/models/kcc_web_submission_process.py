import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from leuven.kcc import inputs

from .kcc_case_intake import MAX_FILES, file_name

_logger = logging.getLogger(__name__)

HONEYPOT = "kcc_website"  # hidden field: people leave it empty, robots fill it
# intake fields a citizen never sets on the website (the rest he may give)
INTERNAL_FIELDS = ("partner_id", "priority", "first_line")
MAX_FORM_FIELDS = 40  # more fields than any form of ours has
REFUSED_EXCERPT = 200  # characters of the subject kept of a refused form
CITIZEN_CASE_TYPES = ("question", "suggestion", "complaint")
ABANDONED_PHOTO_HOURS = 24  # photos kept with a form nobody sent again
KEPT_PHOTO_PREFIX = "drop_photo_"  # "remove this kept photo" checkbox, + its id


class FormError(UserError):
    """A form field the visitor must correct: ``fields`` are the names of
    the inputs to highlight."""

    def __init__(self, message, *fields):
        super().__init__(message)
        self.fields = fields


class KccWebSubmission(models.Model):
    """The website's contact and report forms, from the form as sent to the
    case: the controller only reads the request and renders the outcome."""

    _inherit = "kcc.web.submission"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _website_internal_fields(self):
        """Intake fields a citizen never sets on the website; other addons
        add theirs."""
        return INTERNAL_FIELDS

    @api.model
    def _website_form_labels(self, kind):
        """The labels of the public form ``kind`` as the visitor sees them:
        the form shows them and its errors name them."""
        _ = self.env._
        labels = {
            "case_type": _("What do you want to tell us?"),
            "subject": _("Subject"),
            "description": _("Your message"),
            "category_id": _("Theme (optional)"),
            "contact_name": _("Your name"),
            "contact_email": _("Your e-mail address"),
            "contact_phone": _("Your phone number"),
        }
        if kind == "report":
            labels.update(
                subject=_("Short description"),
                description=_("Details"),
                category_id=_("What is it about?"),
                location=_("Where?"),
                street=_("Street and number"),
                postcode=_("Postcode"),
                city=_("Municipality"),
                attachments=_("Photos (optional)"),
            )
        return labels

    @api.model
    def _check_form_fields(self, kind, post):
        """The checks of a form a visitor corrects himself, each naming the
        field as labelled on the form (raises :class:`FormError`)."""
        _ = self.env._
        labels = self._website_form_labels(kind)
        if not (post.get("subject") or "").strip():
            raise FormError(
                _("Fill in “%(field)s”.", field=labels["subject"]), "subject"
            )
        if kind == "report" and not (
            (post.get("street") or "").strip()
            or (post.get("latitude") and post.get("longitude"))
        ):
            raise FormError(
                _(
                    "Fill in “%(field)s”: give an address or use your location.",
                    field=labels["location"],
                ),
                "street",
            )
        if not self.env.user._is_public():
            return
        email = (post.get("contact_email") or "").strip()
        if not (email or (post.get("contact_phone") or "").strip()):
            raise FormError(
                _(
                    "Fill in “%(email)s” or “%(phone)s” so we can answer you.",
                    email=labels["contact_email"],
                    phone=labels["contact_phone"],
                ),
                "contact_email",
                "contact_phone",
            )
        if email and not email_normalize(email):
            raise FormError(
                _(
                    "“%(field)s”: %(email)s is not a valid e-mail address.",
                    field=labels["contact_email"],
                    email=email,
                ),
                "contact_email",
            )

    @api.model
    def _check_form_category(self, kind, category_id):
        """The category chosen on the form ``kind``: only one the form
        offers (never a confidential one)."""
        Category = self.env["kcc.case.category"]
        offered = Category.sudo().search_count(
            [("id", "=", category_id)] + Category._website_domain(kind), limit=1
        )
        if not offered:
            raise FormError(
                self.env._(
                    "“%(field)s”: choose one of the themes in the list.",
                    field=self._website_form_labels(kind)["category_id"],
                ),
                "category_id",
            )

    @api.model
    def _kept_photos(self, token):
        """The photos kept with the earlier attempts of the form ``token``
        (shown again with possible duplicates or an error)."""
        if not token:
            return self.env["ir.attachment"]
        submissions = self.sudo().search(
            [("token", "=", token), ("case_id", "=", False)]
        )
        if not submissions:
            return self.env["ir.attachment"]
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", submissions.ids),
                ],
                order="id",
            )
        )

    def _keep_photos(self, photos):
        """Keep the checked ``photos`` (``(name, raw, mimetype)``) with this
        submission until the visitor sends the form again."""
        self.ensure_one()
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": raw,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, raw, mimetype in photos
                ]
            )
        )

    @api.model
    def _drop_abandoned_photos(self, limit=1000):
        """Delete the photos kept with forms the visitor never sent again
        (kept longer than ``ABANDONED_PHOTO_HOURS``), at most ``limit`` per
        call; returns ``(deleted, remaining)``. The forms themselves stay, as
        every form sent does."""
        cutoff = fields.Datetime.subtract(
            fields.Datetime.now(), hours=ABANDONED_PHOTO_HOURS
        )
        Attachment = self.env["ir.attachment"].sudo()
        domain = [
            ("res_model", "=", self._name),
            ("create_date", "<", cutoff),
        ]
        # a form that became a case took its photos along (see ``_process``):
        # what is still kept after a day belongs to a form left behind
        photos = Attachment.search(domain, limit=limit, order="id")
        photos.unlink()
        return len(photos), Attachment.search_count(domain)

    @api.model
    def _process(self, form_kind, post, files, ip_address):
        """Take in one website form, as the visitor who sent it.

        ``post``: the form fields as sent; ``files``: the uploaded files as
        ``(name, raw bytes)`` (read with a size cap). Returns a dict, the
        outcome to render: ``result`` is ``"created"`` or ``"known"`` (a new
        or already registered ``case``), ``"followed"`` (the visitor was
        added to a known report, ``case``), ``"spam"``, ``"refused"``
        (``error`` to show with ``http_status``) or ``"duplicates"``
        (``duplicates``: nearby reports he may follow); ``post`` holds the
        form as it may be shown again, ``error_fields`` the inputs to
        highlight and ``kept_photos`` the photos kept for the next attempt
        (the visitor's file input cannot be filled in again).
        """
        kind = "report" if form_kind == "report" else "contact"
        Case = self.env["kcc.case"].sudo()
        Submission = self.sudo()
        token = self._submission_token(post)
        key = f"web:{token}" if token else None
        outcome = {
            "kind": kind,
            "result": "refused",
            "case": Case,
            "post": {},
            "error": None,
            "http_status": 400,
            "duplicates": None,
            "error_fields": (),
            "kept_photos": self.env["ir.attachment"],
        }
        if key:
            existing = Case._intake_known(key)
            if existing:
                return {**outcome, "result": "known", "case": existing}
            followed = Submission.search(
                [
                    ("token", "=", token),
                    ("state", "=", "accepted"),
                    ("case_id", "!=", False),
                ],
                limit=1,
            )
            if followed:
                return {**outcome, "result": "followed", "case": followed.case_id}
        # Sizes are capped before anything is stored: the submission starts
        # as a small summary and holds the (capped) form only once it is not
        # spam, not rate-limited and not expired. The text goes on checked
        # and capped, never as sent.
        spam = bool(post.get(HONEYPOT))
        post, problem, sizes, problem_field = self._check_form_text(post, kind)
        post["submission_token"] = token
        submission = Submission.create(
            {
                "token": token,
                "form_kind": kind,
                "ip_address": ip_address,
                "user_id": self.env.user.id,
                "payload": self._summary_payload(post, sizes),
                "file_names": ", ".join(
                    file_name(name) for name, _data in files[: MAX_FILES + 1]
                ),
            }
        )
        if spam:
            submission.write({"state": "spam"})
            return {**outcome, "result": "spam"}
        if submission._is_rate_limited():
            message = self.env._(
                "Too many forms were sent from your connection. Please try again later."
            )
            submission.write({"state": "rejected", "error": message})
            return {**outcome, "error": message, "http_status": 429}
        outcome["post"] = post
        if not token:
            message = self.env._("The form has expired. Please send it again.")
            submission.write({"state": "rejected", "error": message})
            return {**outcome, "error": message}
        # the whole (capped) form is kept with the outcome, in one UPDATE
        payload = json.dumps(post, ensure_ascii=False, sort_keys=True)
        if problem:
            submission.write(
                {"payload": payload, "state": "rejected", "error": problem}
            )
            return {**outcome, "error": problem, "error_fields": (problem_field,)}
        channel = "report_form" if kind == "report" else "web_form"
        # the photos kept from an earlier attempt of this form go with it,
        # unless the visitor removed them
        kept = self._kept_photos(token).filtered(
            lambda a: not post.get(f"{KEPT_PHOTO_PREFIX}{a.id}")
        )
        photos = []
        try:
            try:
                photos = self.env["kcc.case"]._intake_check_attachments(
                    files, channel
                ) + [(a.name, a.raw, a.mimetype) for a in kept]
                self.env["kcc.case"]._intake_check_attachments(photos, channel)
            except FormError:
                raise
            except UserError as err:
                raise FormError(str(err), "attachments") from err
            self._check_form_fields(kind, post)
            values = self._intake_values(kind, post)
            if kind == "report" and not post.get("confirm_new"):
                # only reports that may be shown to anyone, shown by summary
                nearby = self.env["kcc.case"]._find_nearby_reports(values, public=True)
                follow = post.get("follow_case_id") or ""
                if (
                    follow.isascii()
                    and follow.isdigit()
                    and len(follow) < 12
                    and int(follow) in nearby.ids
                ):
                    # registered as an additional reporter, not as a follower;
                    # his photos are not added to someone else's report
                    self._kept_photos(token).unlink()
                    existing = nearby.browse(int(follow))
                    existing._follow_existing(self._contact_snapshot(values), channel)
                    submission.write(
                        {
                            "payload": payload,
                            "state": "accepted",
                            "case_id": existing.id,
                        }
                    )
                    return {**outcome, "result": "followed", "case": existing}
                if nearby:
                    submission.write({"payload": payload, "state": "duplicate_check"})
                    return {
                        **outcome,
                        "result": "duplicates",
                        "http_status": 200,
                        "duplicates": nearby._public_report_summary(),
                        "kept_photos": kept
                        | submission._keep_photos(photos[: len(photos) - len(kept)]),
                    }
            with self.env.cr.savepoint():
                case = Case.with_context(lang=self.env.lang)._intake(
                    values, channel, idempotency_key=key, attachments=photos
                )
        except UserError as err:
            fields_ = getattr(err, "fields", ())
            submission.write(
                {"payload": payload, "state": "rejected", "error": str(err)}
            )
            if "attachments" not in fields_:
                # a form shown again keeps its checked photos
                kept |= submission._keep_photos(photos[: len(photos) - len(kept)])
            return {
                **outcome,
                "error": str(err),
                "error_fields": fields_,
                "kept_photos": kept,
            }
        except Exception:
            _logger.exception(
                "Website submission %s could not be registered", submission.id
            )
            message = self.env._(
                "Your message could not be registered right now; it was kept and the "
                "city will follow it up."
            )
            submission.write({"payload": payload, "state": "error", "error": message})
            return {**outcome, "error": message, "http_status": 500}
        # the photos are the case's now: the copies kept with the form go
        self._kept_photos(token).unlink()
        submission.write({"payload": payload, "state": "accepted", "case_id": case.id})
        return {**outcome, "result": "created", "case": case}

    @api.model
    def _intake_values(self, kind, post):
        """The intake values of a checked form, for the visitor who sent it."""
        _ = self.env._
        internal = self._website_internal_fields()
        form_fields = [
            f for f in self.env["kcc.case"]._intake_fields() if f not in internal
        ]
        values = {k: post[k] for k in form_fields if post.get(k) not in (None, "")}
        if kind == "report":
            values["case_type"] = "report"
        elif values.get("case_type") not in CITIZEN_CASE_TYPES:
            values["case_type"] = "question"
        try:
            latitude, longitude = inputs.parse_point(
                values.pop("latitude", None), values.pop("longitude", None)
            )
        except inputs.InputError as err:
            raise UserError(_("The location on the map is not valid.")) from err
        if latitude is not None:
            values.update(latitude=latitude, longitude=longitude)
        if "category_id" in values:
            try:
                values["category_id"] = inputs.parse_record_id(
                    values["category_id"], "category_id"
                )
            except inputs.InputError as err:
                raise FormError(_("Unknown category."), "category_id") from err
            self._check_form_category(kind, values["category_id"])
        user = self.env.user
        if not user._is_public():
            values["partner_id"] = user.partner_id.id
            for key in ("contact_name", "contact_email", "contact_phone"):
                values.pop(key, None)
        return values

    @api.model
    def _submission_token(self, post):
        """The form's one-time token, or "" when missing or malformed."""
        try:
            return inputs.check_identifier(
                (post.get("submission_token") or "").strip(),
                "submission_token",
                max_length=64,
            )
        except inputs.InputError:
            return ""

    @api.model
    def _check_form_text(self, post, kind="contact"):
        """Check the form's text against the intake limits, in one place.

        Returns ``(clean, problem, sizes, field)``: ``clean`` holds every
        text field of the form without control characters and cut to its
        limit (what may be stored or shown again), ``problem`` the message to
        show when a field is not acceptable (else ``None``), naming it as
        labelled on the form ``kind``, ``sizes`` the length of each field as
        sent (what is kept of a refused form), ``field`` the name of the field
        refused.
        """
        _ = self.env._
        Case = self.env["kcc.case"]
        labels = self._website_form_labels(kind)
        clean, sizes, problem, total = {}, {}, None, 0
        problem_field = None
        for name, value in post.items():
            if name == "csrf_token" or not isinstance(value, str):
                continue
            total += len(value)
            if len(clean) >= MAX_FORM_FIELDS:
                problem = problem or _("The form is too large.")
                continue
            field_name = inputs.clip_text(name, 64)
            limit = inputs.INTAKE_TEXT_LIMITS.get(name, inputs.OTHER_FIELD_LIMIT)
            clean[field_name] = inputs.clip_text(value, limit)
            sizes[field_name] = len(value)
            if problem:
                continue
            try:
                inputs.check_text(name, "name", 64)
                inputs.check_text(value, name, limit, multiline=True)
            except inputs.InputError as err:
                problem_field = name if name in labels else None
                label = labels.get(name) or (
                    Case._fields[name]._description_string(self.env)
                    if name in inputs.INTAKE_TEXT_LIMITS
                    else _("A field of the form")
                )
                if err.code == "too_long" and err.field == name:
                    problem = _(
                        "%(field)s is too long: at most %(max)s characters.",
                        field=label,
                        max=limit,
                    )
                else:
                    problem = _(
                        "%(field)s contains characters that are not allowed.",
                        field=label,
                    )
        if total > inputs.MAX_FORM_TEXT:
            problem = problem or _("The form is too large.")
        return clean, problem, {"fields": sizes, "total": total}, problem_field

    @api.model
    def _summary_payload(self, post, sizes):
        """What is kept of a form before it is known to be acceptable: its
        sizes and the start of the subject, never the whole text."""
        summary = {
            "sizes": sizes,
            "subject": (post.get("subject") or "")[:REFUSED_EXCERPT],
        }
        return json.dumps(summary, ensure_ascii=False, sort_keys=True)

    @api.model
    def _contact_snapshot(self, values):
        keys = ("partner_id", "contact_name", "contact_email", "contact_phone")
        return {key: values[key] for key in keys if values.get(key)}

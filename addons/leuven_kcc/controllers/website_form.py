import json
import logging
import uuid

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from leuven.kcc import inputs

_logger = logging.getLogger(__name__)

HONEYPOT = "kcc_website"  # hidden field: people leave it empty, robots fill it
# intake fields a citizen never sets on the website (the rest he may give)
INTERNAL_FIELDS = ("partner_id", "priority", "first_line", "catalog_product_id")
ALLOWED_MIMETYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MAX_FILES = 3
MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_FILE_NAME = 120
MAX_FORM_FIELDS = 40  # more fields than any form of ours has
REFUSED_EXCERPT = 200  # characters of the subject kept of a refused form


class KccWebsiteForm(http.Controller):
    """The city's contact and report forms; every submission goes through
    the intake service of `kcc.case`."""

    def _form_values(self, kind, post=None, error=None):
        user = request.env.user
        post = dict(post or {})
        if not user._is_public() and not post.get("contact_email"):
            partner = user.partner_id
            post.setdefault("contact_name", partner.name)
            post.setdefault("contact_email", partner.email)
            post.setdefault("contact_phone", partner.phone)
        categories = request.env["kcc.case.category"].sudo().search([])
        return {
            "form_kind": kind,
            "post": post,
            "error": error,
            "categories": categories,
            "token": post.get("submission_token") or uuid.uuid4().hex,
            "is_logged_in": not user._is_public(),
            "max_files": MAX_FILES,
            "max_file_mb": MAX_FILE_SIZE // (1024 * 1024),
            "duplicates": None,
        }

    @http.route("/kcc/contact", type="http", auth="public", website=True, sitemap=True)
    def kcc_contact_form(self, **kwargs):
        return request.render(
            "leuven_kcc.kcc_contact_form", self._form_values("contact")
        )

    @http.route("/kcc/report", type="http", auth="public", website=True, sitemap=True)
    def kcc_report_form(self, **kwargs):
        return request.render("leuven_kcc.kcc_report_form", self._form_values("report"))

    def _render_error(self, kind, post, message, status=400, duplicates=None):
        template = (
            "leuven_kcc.kcc_report_form"
            if kind == "report"
            else "leuven_kcc.kcc_contact_form"
        )
        values = self._form_values(kind, post, error=message)
        values["duplicates"] = duplicates
        response = request.render(template, values)
        response.status_code = status
        return response

    def _read_files(self):
        """Uploaded photos as (name, bytes, mimetype); UserError when not allowed."""
        _ = request.env._
        files = [
            f for f in request.httprequest.files.getlist("attachments") if f.filename
        ]
        if len(files) > MAX_FILES:
            raise UserError(_("Add at most %(count)s photos.", count=MAX_FILES))
        result = []
        for upload in files:
            data = upload.read(MAX_FILE_SIZE + 1)
            if len(data) > MAX_FILE_SIZE:
                raise UserError(
                    _(
                        "%(file)s is larger than %(size)s MB.",
                        file=self._file_name(upload.filename),
                        size=MAX_FILE_SIZE // (1024 * 1024),
                    )
                )
            mimetype = guess_mimetype(data)
            if mimetype not in ALLOWED_MIMETYPES:
                raise UserError(
                    _(
                        "%(file)s is not a photo (JPEG, PNG, GIF or WebP).",
                        file=self._file_name(upload.filename),
                    )
                )
            result.append((self._file_name(upload.filename), data, mimetype))
        return result

    def _intake_values(self, kind, post):
        _ = request.env._
        form_fields = [
            f
            for f in request.env["kcc.case"]._intake_fields()
            if f not in INTERNAL_FIELDS
        ]
        values = {k: post[k] for k in form_fields if post.get(k) not in (None, "")}
        if kind == "report":
            values["case_type"] = "report"
        elif values.get("case_type") not in ("question", "suggestion", "complaint"):
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
                raise UserError(_("Unknown category.")) from err
        user = request.env.user
        if not user._is_public():
            values["partner_id"] = user.partner_id.id
            for key in ("contact_name", "contact_email", "contact_phone"):
                values.pop(key, None)
        return values

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

    def _check_form_text(self, post):
        """Check the form's text against the intake limits, in one place.

        Returns ``(clean, problem, sizes)``: ``clean`` holds every text field
        of the form without control characters and cut to its limit (what
        may be stored or shown again), ``problem`` the message to show when
        a field is not acceptable (else ``None``), ``sizes`` the length of
        each field as sent (what is kept of a refused form).
        """
        _ = request.env._
        Case = request.env["kcc.case"]
        clean, sizes, problem, total = {}, {}, None, 0
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
                label = (
                    Case._fields[name]._description_string(request.env)
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
        return clean, problem, {"fields": sizes, "total": total}

    def _summary_payload(self, post, sizes):
        """What is kept of a form before it is known to be acceptable: its
        sizes and the start of the subject, never the whole text."""
        summary = {
            "sizes": sizes,
            "subject": (post.get("subject") or "")[:REFUSED_EXCERPT],
        }
        return json.dumps(summary, ensure_ascii=False, sort_keys=True)

    def _file_name(self, name):
        return inputs.clip_text(name, MAX_FILE_NAME) or "-"

    # checks_own_input: the form is checked here and shown again in Dutch;
    # the NUL guard of ir.http (models/ir_http.py) would pre-empt it with a
    # bare 400
    @http.route(
        "/kcc/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
        checks_own_input=True,
    )
    def kcc_submit(self, **post):
        kind = "report" if post.get("form_kind") == "report" else "contact"
        token = self._submission_token(post)
        ip_address = request.httprequest.remote_addr
        Submission = request.env["kcc.web.submission"].sudo()
        Case = request.env["kcc.case"].sudo()
        key = f"web:{token}" if token else None
        if key:
            existing = Case.search([("idempotency_key", "=", key)], limit=1)
            if existing:
                return self._redirect_thanks(existing)
            followed = Submission.search(
                [
                    ("token", "=", token),
                    ("state", "=", "accepted"),
                    ("case_id", "!=", False),
                ],
                limit=1,
            )
            if followed:
                return request.render(
                    "leuven_kcc.kcc_form_thanks",
                    {"case": followed.case_id, "followed": True},
                )
        # Sizes are capped before anything is stored: the submission starts
        # as a small summary and holds the (capped) form only once it is not
        # spam, not rate-limited and not expired. The text goes on checked
        # and capped, never as sent.
        spam = bool(post.get(HONEYPOT))
        post, problem, sizes = self._check_form_text(post)
        post["submission_token"] = token
        files = [
            f for f in request.httprequest.files.getlist("attachments") if f.filename
        ]
        submission = Submission.create(
            {
                "token": token,
                "form_kind": kind,
                "ip_address": ip_address,
                "user_id": request.env.user.id,
                "payload": self._summary_payload(post, sizes),
                "file_names": ", ".join(
                    self._file_name(f.filename) for f in files[: MAX_FILES + 1]
                ),
            }
        )
        if spam:
            submission.write({"state": "spam"})
            return request.render("leuven_kcc.kcc_form_thanks", {"case": Case})
        if Submission._is_rate_limited(ip_address):
            message = request.env._(
                "Too many forms were sent from your connection. Please try again later."
            )
            submission.write({"state": "rejected", "error": message})
            return self._render_error(kind, {}, message, status=429)
        if not token:
            message = request.env._("The form has expired. Please send it again.")
            submission.write({"state": "rejected", "error": message})
            return self._render_error(kind, post, message)
        submission.write(
            {"payload": json.dumps(post, ensure_ascii=False, sort_keys=True)}
        )
        if problem:
            submission.write({"state": "rejected", "error": problem})
            return self._render_error(kind, post, problem)
        channel = "report_form" if kind == "report" else "web_form"
        try:
            values = self._intake_values(kind, post)
            if kind == "report" and not post.get("confirm_new"):
                # only reports that may be shown to anyone, shown by summary
                nearby = request.env["kcc.case"]._find_nearby_reports(
                    values, public=True
                )
                follow = post.get("follow_case_id") or ""
                if (
                    follow.isascii()
                    and follow.isdigit()
                    and len(follow) < 12
                    and int(follow) in nearby.ids
                ):
                    # registered as an additional reporter, not as a follower
                    existing = nearby.browse(int(follow))
                    existing._follow_existing(self._contact_snapshot(values), channel)
                    submission.write({"state": "accepted", "case_id": existing.id})
                    return request.render(
                        "leuven_kcc.kcc_form_thanks",
                        {"case": existing, "followed": True},
                    )
                if nearby:
                    submission.write({"state": "duplicate_check"})
                    return self._render_error(
                        kind,
                        post,
                        None,
                        status=200,
                        duplicates=nearby._public_report_summary(),
                    )
            with request.env.cr.savepoint():
                photos = self._read_files()
                case = Case.with_context(lang=request.env.lang)._intake(
                    values, channel, idempotency_key=key
                )
                if photos:
                    request.env["ir.attachment"].sudo().create(
                        [
                            {
                                "name": name,
                                "raw": data,
                                "mimetype": mimetype,
                                "res_model": "kcc.case",
                                "res_id": case.id,
                            }
                            for name, data, mimetype in photos
                        ]
                    )
        except UserError as err:
            submission.write({"state": "rejected", "error": str(err)})
            return self._render_error(kind, post, str(err))
        except Exception:
            _logger.exception(
                "Website submission %s could not be registered", submission.id
            )
            message = request.env._(
                "Your message could not be registered right now; it was kept and the "
                "city will follow it up."
            )
            submission.write({"state": "error", "error": message})
            return self._render_error(kind, post, message, status=500)
        submission.write({"state": "accepted", "case_id": case.id})
        return self._redirect_thanks(case)

    def _contact_snapshot(self, values):
        keys = ("partner_id", "contact_name", "contact_email", "contact_phone")
        return {key: values[key] for key in keys if values.get(key)}

    def _redirect_thanks(self, case):
        case._portal_ensure_token()
        return request.redirect(
            f"/kcc/thanks/{case.id}?access_token={case.access_token}", local=True
        )

import uuid

from odoo import http
from odoo.http import request

from ..models.kcc_case_intake import MAX_FILE_SIZE, MAX_FILES


class KccWebsiteForm(http.Controller):
    """The city's contact and report forms: the request is read here and the
    outcome rendered; ``kcc.web.submission._process`` takes the form in."""

    def _form_values(self, kind, post=None, error=None):
        user = request.env.user
        post = dict(post or {})
        if not user._is_public() and not post.get("contact_email"):
            partner = user.partner_id
            post.setdefault("contact_name", partner.name)
            post.setdefault("contact_email", partner.email)
            post.setdefault("contact_phone", partner.phone)
        Submission = request.env["kcc.web.submission"]
        return {
            "form_kind": kind,
            "post": post,
            "error": error,
            "error_fields": (),
            "kept_photos": [],
            "labels": Submission._website_form_labels(kind),
            "categories": request.env["kcc.case.category"]._website_categories(kind),
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

    def _render_error(self, kind, post, message, status=400, outcome=None):
        template = (
            "leuven_kcc.kcc_report_form"
            if kind == "report"
            else "leuven_kcc.kcc_contact_form"
        )
        outcome = outcome or {}
        values = self._form_values(kind, post, error=message)
        values.update(
            duplicates=outcome.get("duplicates"),
            # the inputs to highlight, and the photos kept for the next attempt
            error_fields=tuple(outcome.get("error_fields") or ()),
            kept_photos=outcome.get("kept_photos") or [],
        )
        response = request.render(template, values)
        response.status_code = status
        return response

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
        get_redirect="/kcc/contact",  # opened again after an error (ir_http)
    )
    def kcc_submit(self, **post):
        """Read the form and its files (each capped just above the allowed
        size); ``kcc.web.submission._process`` does the rest."""
        uploads = [
            f for f in request.httprequest.files.getlist("attachments") if f.filename
        ]
        files = [
            (upload.filename, upload.read(MAX_FILE_SIZE + 1))
            for upload in uploads[: MAX_FILES + 1]
        ]
        outcome = request.env["kcc.web.submission"]._process(
            post.get("form_kind"), post, files, request.httprequest.remote_addr
        )
        result, case = outcome["result"], outcome["case"]
        if result in ("created", "known"):
            return self._redirect_thanks(case)
        if result in ("followed", "spam"):
            return request.render(
                "leuven_kcc.kcc_form_thanks",
                {"case": case, "followed": result == "followed"},
            )
        return self._render_error(
            outcome["kind"],
            outcome["post"],
            outcome["error"],
            status=outcome["http_status"],
            outcome=outcome,
        )

    def _redirect_thanks(self, case):
        case._portal_ensure_token()
        return request.redirect(
            f"/kcc/thanks/{case.id}?access_token={case.access_token}", local=True
        )

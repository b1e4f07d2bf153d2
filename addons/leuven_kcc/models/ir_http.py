from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    MethodNotAllowed,
    NotFound,
    Unauthorized,
    abort,
)

from odoo import models
from odoo.exceptions import AccessDenied, AccessError
from odoo.http import SessionExpiredException, request

from ..controllers.json_api import key_refused_response


class IrHttp(models.AbstractModel):
    """One guard against NUL characters for every route of the database.

    PostgreSQL refuses text holding a NUL character, so a ``%00`` anywhere a
    route or a website fallback (pages, redirects, attachments) puts into a
    query becomes a 500. No field of ours may hold one: such a request is
    answered 400 before any code runs.

    The URL (path and query string) is checked before routing, since the
    website's fallbacks search the database with the path. Form fields and
    file names are checked once the route is known (``_pre_dispatch``),
    except for routes that declare ``checks_own_input=True``: they check
    their form themselves and answer in the visitor's terms (the website
    forms show the form again with a Dutch message), which this guard would
    pre-empt with a bare 400. JSON bodies are left to each API, which parses them with
    ``leuven.kcc.inputs.loads_json`` and answers with problem details.
    """

    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The website's pages get the texts of the KCC's own scripts (the
        report form) and of ``mail``, whose scripts run the portal's
        conversation of a case ("now", "Send"...): without them a Dutch
        visitor reads them in English."""
        return [*super()._get_translation_frontend_modules_name(), "mail", "leuven_kcc"]

    @classmethod
    def _authenticate(cls, endpoint):
        """A JSON API on Odoo's API keys that declares ``problem_details=True``
        answers a missing, unknown, revoked or mismatched key with a 401
        problem (not Odoo's HTML page or a login redirect)."""
        try:
            return super()._authenticate(endpoint)
        except (
            HTTPException,
            AccessDenied,
            AccessError,
            SessionExpiredException,
            ValueError,  # a key no SQL query can hold (a NUL character)
        ) as exc:
            if not endpoint.routing.get("problem_details"):
                raise
            raise Unauthorized(response=key_refused_response()) from exc

    @classmethod
    def _match(cls, path_info):
        httprequest = request.httprequest
        if "\x00" in path_info and path_info != httprequest.path:
            raise NotFound()  # another address looked up while serving
        if "\x00" in path_info or _holds_nul(httprequest.args):
            raise BadRequest("The address holds a NUL character.")
        try:
            return super()._match(path_info)
        except MethodNotAllowed:
            target = cls._refused_method_target(path_info)
            if not target:
                raise
            abort(request.redirect(target, code=303, local=True))

    @classmethod
    def _refused_method_target(cls, path_info):
        """Where a visitor goes who opens a page of the website that only
        takes a form (``POST``): reloading it after an error, the back button,
        a login from it. The route's ``get_redirect`` (formatted with its
        arguments; the query string is kept), else the home page, instead of
        Werkzeug's English "405 Method Not Allowed". Other routes (the APIs)
        keep their 405."""
        httprequest = request.httprequest
        if httprequest.method not in ("GET", "HEAD"):
            return None
        try:
            rule, args = (
                request.env["ir.http"]
                .routing_map()
                .bind_to_environ(httprequest.environ)
                .match(path_info=path_info, method="POST", return_rule=True)
            )
        except HTTPException:
            return None
        routing = rule.endpoint.routing
        if not routing.get("website") or routing.get("type") != "http":
            return None
        target = (routing.get("get_redirect") or "/").format(**args)
        query = httprequest.query_string.decode(errors="replace")
        return f"{target}?{query}" if query and "?" not in target else target

    @classmethod
    def _pre_dispatch(cls, rule, args):
        # after super(): the body is read within the route's upload limit
        result = super()._pre_dispatch(rule, args)
        httprequest = request.httprequest
        if not rule.endpoint.routing.get("checks_own_input") and (
            _holds_nul(httprequest.form) or _file_names_hold_nul(httprequest.files)
        ):
            raise BadRequest("The form holds a NUL character.")
        return result


def _holds_nul(multidict):
    return any(
        "\x00" in key or "\x00" in value for key, value in multidict.items(multi=True)
    )


def _file_names_hold_nul(files):
    return any(
        "\x00" in key or "\x00" in (upload.filename or "")
        for key, upload in files.items(multi=True)
    )

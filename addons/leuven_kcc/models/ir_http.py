from werkzeug.exceptions import BadRequest, HTTPException, NotFound, Unauthorized

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
        return super()._match(path_info)

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

"""Melding doen: the API Mijn Burgerprofiel calls to report in the city's KCC.

Versioned, HAL+JSON, RFC 9457 problem details like every JSON API of the
suite (``leuven_kcc.controllers.json_api``); every call carries an ACM/IDM
access token (JWT) for this API with scope ``dv_mbp_incidents``, checked with
:mod:`leuven.burgerprofiel.oidc`. The mapping is :mod:`leuven.burgerprofiel.melding`.

Bad input is a 4xx problem, never a 500: the body is parsed with size and
depth limits (:func:`leuven.kcc.inputs.loads_json`), ids and text are checked
before anything is looked up or stored, and problems name no internal detail
(no provider URL, no exception text).
"""

import functools
import logging

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.leuven_kcc.controllers.json_api import (
    ApiError,
    bearer_token,
    json_endpoint,
    json_response,
    read_json_body,
)

from leuven.burgerprofiel import melding
from leuven.burgerprofiel.oidc import OidcError
from leuven.kcc.inputs import InputError

from .acm_idm import provider, setting

_logger = logging.getLogger(__name__)

BASE = "/v1/melding"
MAX_BODY = (melding.MAX_ATTACHMENTS + 1) * melding.MAX_ATTACHMENT_BYTES * 4 // 3


def _json(data, status=200, headers=()):
    return json_response(data, status, content_type=melding.HAL, headers=headers)


def _base_url():
    return request.env["ir.config_parameter"].sudo().get_param("web.base.url")


def _audience():
    return setting("melding_audience") or _base_url().rstrip("/") + BASE


def _claims():
    """The checked access token's claims; ApiError 401/403/503 otherwise."""
    token = bearer_token()
    challenge = f'Bearer realm="melding", scope="{melding.SCOPE}"'
    if not token:
        raise ApiError(
            401,
            "Unauthorized",
            "An ACM/IDM access token is required.",
            headers=[("WWW-Authenticate", challenge)],
        )
    try:
        return provider().verify_access_token(token, _audience(), melding.SCOPE)
    except OidcError as err:
        if err.code == "insufficient_scope":
            raise ApiError(
                403,
                "Forbidden",
                f"The token lacks scope {melding.SCOPE}.",
                headers=[
                    ("WWW-Authenticate", f'{challenge}, error="insufficient_scope"')
                ],
            ) from err
        if err.code in ("provider_unreachable", "issuer_mismatch", "bad_discovery"):
            # the detail (the provider's URL, the network error) is for the
            # log, once per attempt: while backing off, nothing new happened
            log = _logger.debug if err.repeated else _logger.warning
            log("Melding doen: ACM/IDM unavailable: %s", err)
            retry = [("Retry-After", str(err.retry_after))] if err.retry_after else []
            raise ApiError(
                503,
                "Service Unavailable",
                "The identity provider cannot be reached. Try again later.",
                headers=retry,
            ) from err
        raise ApiError(
            401,
            "Unauthorized",
            f"The access token is not valid ({err.code}).",
            headers=[("WWW-Authenticate", f'{challenge}, error="invalid_token"')],
        ) from err


def _endpoint(func):
    """The JSON API's error handling and rollback, once Melding doen is
    enabled and the caller's access token checked; ``func`` gets its claims."""

    @json_endpoint
    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        if not setting("melding_enabled"):
            raise ApiError(404, "Not Found", "Melding doen is not enabled.")
        return func(self, _claims(), *args, **kwargs)

    return wrapper


def _route(path, methods):
    return http.route(
        BASE + path,
        type="http",
        auth="public",
        methods=methods,
        csrf=False,
        save_session=False,
        readonly=False,
    )


class MeldingApi(http.Controller):
    def _categories(self):
        records = (
            request.env["kcc.case.category"]
            .sudo()
            .with_context(lang="nl_BE")
            .search([("melding_reportable", "=", True), ("melding_code", "!=", False)])
        )
        return records, [
            melding.Category(
                c.melding_code, c.name, c.citizen_text or "", c.melding_photo_required
            )
            for c in records
        ]

    def _caller(self, claims):
        for claim in ("client_id", "azp", "sub"):
            if claims.get(claim) and isinstance(claims[claim], str):
                return claims[claim][:200]
        return ""

    def _status(self, case, melding_id):
        label = dict(
            case._fields["citizen_state"]._description_selection(
                case.with_context(lang="nl_BE").env
            )
        ).get(case.citizen_state, case.citizen_state)
        return melding.status(
            melding_id,
            case.name,
            case.citizen_state,
            label,
            case.date_received.isoformat() + "+00:00",
            case.write_date.isoformat() + "+00:00",
            _base_url(),
        )

    @_route("/openapi.json", ["GET"])
    def melding_openapi(self, **kwargs):
        return json_response(melding.OPENAPI)

    @_route("/configuration", ["GET"])
    @_endpoint
    def melding_configuration(self, claims, **kwargs):
        _records, categories = self._categories()
        return _json(melding.configuration(categories, _base_url()))

    @_route("/meldingen", ["POST"])
    @_endpoint
    def melding_submit(self, claims, **kwargs):
        body = read_json_body(MAX_BODY, too_large="The report is too large.")
        records, categories = self._categories()
        try:
            submission = melding.check(body, categories)
        except melding.TooLarge as err:
            raise ApiError(
                413,
                "Payload Too Large",
                f"Attachment {err.index} is larger than "
                f"{melding.MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB.",
            ) from err
        except ValueError as err:
            raise ApiError(
                400,
                "Bad Request",
                "The report does not match the form.",
                errors=err.args[0],
            ) from err
        key = f"melding:{self._caller(claims)}:{submission.melding_id}"
        Case = request.env["kcc.case"].sudo()
        category = records.filtered(
            lambda c: c.melding_code == submission.category_code
        )
        try:
            with request.env.cr.savepoint():
                case, created = Case._melding_intake(submission, category, claims, key)
        except UserError as err:
            raise ApiError(400, "Bad Request", str(err)) from err
        if not created:
            return _json(self._status(case, submission.melding_id))
        location = f"{_base_url().rstrip('/')}{BASE}/meldingen/{submission.melding_id}"
        return _json(
            self._status(case, submission.melding_id),
            201,
            headers=[("Location", location)],
        )

    @_route("/meldingen/<string:melding_id>", ["GET"])
    @_endpoint
    def melding_status(self, claims, melding_id, **kwargs):
        try:
            melding_id = melding.check_melding_id(melding_id)
        except InputError as err:
            raise ApiError(
                400,
                "Bad Request",
                "This is not a meldingId.",
                errors={"meldingId": str(err)},
            ) from err
        # the caller's own reports only: the key is in his namespace
        key = f"melding:{self._caller(claims)}:{melding_id}"
        case = request.env["kcc.case"]._intake_known(key)
        if not case:
            raise ApiError(404, "Not Found", "No report with this id.")
        return _json(self._status(case, melding_id))

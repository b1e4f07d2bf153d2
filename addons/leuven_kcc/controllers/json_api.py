"""The toolkit of the suite's JSON APIs: how they read a request and answer.

Errors are RFC 9457 problem details (``application/problem+json``). A
handler decorated with :func:`json_endpoint` raises :class:`ApiError` for a
request it refuses; whatever goes wrong, what the handler wrote is rolled
back and no traceback or internal detail reaches the caller.

A route on Odoo's API keys (``auth="bearer"``) that declares
``problem_details=True`` gets its refused keys answered the same way (401
problem details, see ``ir.http._authenticate``), never Odoo's HTML pages.

Used by the telephony and planning webhooks of this addon, the assistant API
and Melding doen::

    from odoo.addons.leuven_kcc.controllers.json_api import ApiError, json_endpoint
"""

import functools
import json
import logging
import uuid

from psycopg2 import IntegrityError
from werkzeug.exceptions import HTTPException

from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from leuven.kcc import inputs

_logger = logging.getLogger(__name__)

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"


class ApiError(Exception):
    """A request the API refuses, answered as a problem details object.

    ``members`` become extension members of the problem (``errors={...}``),
    empty ones left out; ``headers`` go with the response
    (``WWW-Authenticate``, ``Retry-After``).
    """

    def __init__(self, status, title, detail="", *, headers=(), **members):
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = list(headers)
        self.members = {key: value for key, value in members.items() if value}


def json_response(data, status=200, *, content_type=JSON, headers=()):
    """``data`` as a JSON response; ``None`` is an empty body."""
    body = "" if data is None else json.dumps(data, ensure_ascii=False)
    return request.make_response(
        body, headers=[("Content-Type", content_type), *headers], status=status
    )


def problem_response(error):
    """The RFC 9457 answer to an :class:`ApiError`."""
    data = {"type": "about:blank", "title": error.title, "status": error.status}
    if error.detail:
        data["detail"] = error.detail
    data.update(error.members)
    return json_response(
        data, error.status, content_type=PROBLEM_JSON, headers=error.headers
    )


def key_refused_response():
    """The 401 of a webhook whose API key Odoo refused (or that has none)."""
    return problem_response(
        ApiError(
            401,
            "Unauthorized",
            "a valid API key is required: Authorization: Bearer <key>",
            headers=[("WWW-Authenticate", 'Bearer realm="kcc"')],
        )
    )


def bearer_token():
    """The token of the request's ``Authorization: Bearer`` header, or ``""``."""
    header = request.httprequest.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def read_json_body(
    max_bytes,
    max_depth=inputs.DEFAULT_MAX_JSON_DEPTH,
    required=(),
    too_large=None,
    allow_empty=False,
):
    """The request's JSON object, parsed by :func:`leuven.kcc.inputs.loads_json`.

    A body longer than ``max_bytes`` is refused (413, with ``too_large`` as
    the detail when given), before it is read when the request says so; a
    body that is no JSON object of at most ``max_depth`` levels is a 400. The
    ``required`` keys must be present and not empty (else 422). An empty
    body reads as ``{}`` when ``allow_empty``.
    """
    httprequest = request.httprequest
    if (httprequest.content_length or 0) > max_bytes:
        detail = too_large or f"at most {max_bytes} bytes"
        raise ApiError(413, "Payload Too Large", detail)
    raw = httprequest.get_data()
    if allow_empty and not raw:
        raw = b"{}"
    try:
        body = inputs.loads_json(raw, max_bytes=max_bytes, max_depth=max_depth)
    except inputs.InputError as err:
        if err.code == "too_large":
            raise ApiError(413, "Payload Too Large", too_large or str(err)) from err
        raise ApiError(400, "Malformed JSON", str(err)) from err
    missing = [
        key
        for key in required
        if body.get(key) is None
        or (isinstance(body[key], str) and not body[key].strip())
    ]
    if missing:
        raise ApiError(422, "Missing fields", ", ".join(missing))
    return body


def checked(check, *args, **kwargs):
    """Run an input check of :mod:`leuven.kcc.inputs`; 422 when it refuses."""
    try:
        return check(*args, **kwargs)
    except inputs.InputError as err:
        raise ApiError(422, "Invalid value", str(err)) from err


def json_endpoint(func=None, *, headers=None):
    """Decorate a JSON API handler (below its ``@http.route``).

    The handler runs in a savepoint: when it fails, what it wrote is rolled
    back and the caller gets a problem response. :class:`ApiError` is
    answered as raised; bad input (:class:`~leuven.kcc.inputs.InputError`)
    and ``UserError`` are a 400, access errors a 403 without detail, as Odoo
    answers them. Anything else is logged once, with a request id, and
    answered 500 with that id only. Concurrency errors go on to Odoo, which
    retries the request.

    ``headers``, when given, is called for the headers added to every
    response of the endpoint (for instance CORS).
    """
    if func is None:
        return functools.partial(json_endpoint, headers=headers)

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        try:
            with request.env.cr.savepoint():
                response = func(self, *args, **kwargs)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo rolls back and serves the request again
        except Exception as exc:
            error = _as_api_error(exc, func.__qualname__)
            if error is None:
                raise
            response = problem_response(error)
        if headers:
            response.headers.extend(headers())
        return response

    return wrapper


def _as_api_error(exc, handler):
    """The :class:`ApiError` that answers ``exc``, raised by ``handler``;
    ``None`` for a redirect, which goes on to Odoo."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, HTTPException):
        return ApiError(exc.code, exc.name) if (exc.code or 0) >= 400 else None
    if isinstance(exc, (AccessDenied, AccessError)):
        return ApiError(403, "Forbidden")
    if isinstance(exc, (inputs.InputError, UserError)):
        return ApiError(400, "Bad Request", str(exc))
    request_id = uuid.uuid4()
    if isinstance(exc, IntegrityError):  # a constraint refused the values
        _logger.info(
            "%s refused by a constraint (request %s): %s", handler, request_id, exc
        )
        return ApiError(400, "Bad Request", instance=request_id.urn)
    _logger.exception("%s failed (request %s)", handler, request_id)
    return ApiError(500, "Internal Server Error", instance=request_id.urn)

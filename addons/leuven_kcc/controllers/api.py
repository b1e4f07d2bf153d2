"""Machine endpoints: the telephone platform and the crews' planning system.

Both authenticate with a bearer token, take a JSON body and answer JSON;
errors are RFC 9457 problem details (application/problem+json).
"""

import json
import secrets

from odoo import http
from odoo.http import request

from leuven.kcc import inputs

from ..models.kcc_case import PLANNING_NOTE_LIMIT, WORK_ORDER_PROGRESS

PLANNING_INBOUND_TOKEN_PARAM = "leuven_kcc.planning_inbound_token"
MAX_BODY = 64 * 1024  # a call or a status update is a few hundred bytes
PRINTABLE = r"[!-~]+"  # identifiers of other systems: printable ASCII, no spaces


class ApiError(Exception):
    def __init__(self, status, title, detail=""):
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail


def _json_response(data, status=200, content_type="application/json"):
    return request.make_response(
        json.dumps(data), headers=[("Content-Type", content_type)], status=status
    )


def _problem(error):
    return _json_response(
        {"type": "about:blank", "title": error.title, "status": error.status,
         "detail": error.detail},
        status=error.status,
        content_type="application/problem+json",
    )  # fmt: skip


def _bearer_token():
    header = request.httprequest.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _json_body(required):
    """The request's JSON object, parsed with size and depth limits; the
    ``required`` keys must be present and not empty."""
    length = request.httprequest.content_length
    if length is not None and length > MAX_BODY:
        raise ApiError(413, "Payload Too Large", f"at most {MAX_BODY} bytes")
    try:
        body = inputs.loads_json(request.httprequest.get_data(), max_bytes=MAX_BODY)
    except inputs.InputError as err:
        if err.code == "too_large":
            raise ApiError(413, "Payload Too Large", str(err)) from err
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


def _checked(check, *args, **kwargs):
    """Run an input check of :mod:`leuven.kcc.inputs`; 422 when it refuses."""
    try:
        return check(*args, **kwargs)
    except inputs.InputError as err:
        raise ApiError(422, "Invalid value", str(err)) from err


def _call_values(body):
    """``(call_id, caller, agent)`` of a call announcement, checked."""
    caller = body["caller"]
    if isinstance(caller, int) and not isinstance(caller, bool):
        caller = str(caller)
    return (
        _checked(
            inputs.check_identifier,
            body["call_id"],
            "call_id",
            max_length=128,
            pattern=PRINTABLE,
        ),
        _checked(inputs.check_text, caller, "caller", 64, required=True),
        _checked(inputs.check_text, body.get("agent"), "agent", 254) or None,
    )


def _work_order_values(body):
    """``(work_order_id, status, date, note)`` of a status update, checked."""
    status = body["status"]
    if not isinstance(status, str) or status not in WORK_ORDER_PROGRESS:
        raise ApiError(
            422,
            "Unknown status",
            f"status must be one of {', '.join(WORK_ORDER_PROGRESS)}",
        )
    return (
        _checked(
            inputs.check_identifier,
            body["work_order_id"],
            "work_order_id",
            max_length=64,
            pattern=PRINTABLE,
        ),
        status,
        _checked(inputs.parse_date, body.get("date"), "date"),
        _checked(
            inputs.check_text,
            body.get("note"),
            "note",
            PLANNING_NOTE_LIMIT,
            multiline=True,
        )
        or None,
    )


class KccApi(http.Controller):
    @http.route(
        "/kcc/api/telephony/call",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def telephony_call(self, **kwargs):
        """An incoming call: {"call_id", "caller", "agent"}."""
        try:
            system = (
                request.env["kcc.telephony.system"]
                .sudo()
                ._authenticate(_bearer_token())
            )
            if not system:
                raise ApiError(401, "Unauthorized", "unknown or missing bearer token")
            body = _json_body(("call_id", "caller"))
            contact, agent, created = system._register_call(*_call_values(body))
        except ApiError as error:
            return _problem(error)
        return _json_response(
            {
                "contact_id": contact.id,
                "customer_known": bool(contact.partner_id),
                "agent_notified": bool(agent) and created,
                "duplicate": not created,
            },
            status=201 if created else 200,
        )

    @http.route(
        "/kcc/api/planning/status",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def planning_status(self, **kwargs):
        """A work-order update: {"work_order_id", "status", "date", "note"}."""
        expected = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param(PLANNING_INBOUND_TOKEN_PARAM)
        )
        try:
            token = _bearer_token()
            if not (
                expected
                and token
                # as bytes: compare_digest refuses non-ASCII text
                and secrets.compare_digest(
                    token.encode("utf-8", "surrogateescape"), expected.encode()
                )
            ):
                raise ApiError(401, "Unauthorized", "unknown or missing bearer token")
            body = _json_body(("work_order_id", "status"))
            work_order_id, status, date, note = _work_order_values(body)
            try:
                result = (
                    request.env["kcc.case"]
                    .sudo()
                    ._planning_status_update(work_order_id, status, date, note)
                )
            except LookupError as err:
                raise ApiError(404, "Unknown work order", work_order_id) from err
            except ValueError as err:
                raise ApiError(422, "Invalid value", str(err)) from err
        except ApiError as error:
            return _problem(error)
        return _json_response({"work_order_id": work_order_id, "result": result})

"""Machine endpoints: the telephone platform and the crews' planning system.

Both authenticate with a bearer token, take a JSON body and answer JSON;
errors are RFC 9457 problem details (application/problem+json).
"""

import json
import secrets

from odoo import http
from odoo.http import request

from ..models.kcc_case import WORK_ORDER_PROGRESS

PLANNING_INBOUND_TOKEN_PARAM = "leuven_kcc.planning_inbound_token"


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
    try:
        body = json.loads(request.httprequest.get_data(as_text=True) or "")
    except ValueError as err:
        raise ApiError(400, "Malformed JSON", str(err)) from err
    if not isinstance(body, dict):
        raise ApiError(400, "Malformed JSON", "the body must be a JSON object")
    missing = [key for key in required if not str(body.get(key) or "").strip()]
    if missing:
        raise ApiError(422, "Missing fields", ", ".join(missing))
    return body


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
            contact, agent, created = system._register_call(
                str(body["call_id"]), str(body["caller"]).strip(), body.get("agent")
            )
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
            if not expected or not token or not secrets.compare_digest(token, expected):
                raise ApiError(401, "Unauthorized", "unknown or missing bearer token")
            body = _json_body(("work_order_id", "status"))
            if body["status"] not in WORK_ORDER_PROGRESS:
                raise ApiError(
                    422,
                    "Unknown status",
                    f"status must be one of {', '.join(WORK_ORDER_PROGRESS)}",
                )
            try:
                result = (
                    request.env["kcc.case"]
                    .sudo()
                    ._planning_status_update(
                        str(body["work_order_id"]),
                        body["status"],
                        body.get("date"),
                        body.get("note"),
                    )
                )
            except LookupError as err:
                raise ApiError(
                    404, "Unknown work order", str(body["work_order_id"])
                ) from err
            except ValueError as err:
                raise ApiError(422, "Invalid value", str(err)) from err
        except ApiError as error:
            return _problem(error)
        return _json_response(
            {"work_order_id": body["work_order_id"], "result": result}
        )

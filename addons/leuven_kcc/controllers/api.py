"""Machine endpoints: the telephone platform and the crews' planning system.

Both authenticate with Odoo's API keys (``auth="bearer"``): each system sends
``Authorization: Bearer <key>``, a key of its own technical user, and the
handler runs as that user, whose groups say what it may do. They take a JSON
body and answer JSON; errors, a refused key included, are RFC 9457 problem
details (application/problem+json).
"""

from odoo import http
from odoo.http import request

from leuven.kcc import inputs

from ..models.kcc_case import PLANNING_NOTE_LIMIT, WORK_ORDER_PROGRESS
from .json_api import (
    ApiError,
    checked,
    json_endpoint,
    json_response,
    read_json_body,
)

MAX_BODY = 64 * 1024  # a call or a status update is a few hundred bytes
PRINTABLE = r"[!-~]+"  # identifiers of other systems: printable ASCII, no spaces


def _call_values(body):
    """``(call_id, caller, agent)`` of a call announcement, checked."""
    caller = body["caller"]
    if isinstance(caller, int) and not isinstance(caller, bool):
        caller = str(caller)
    return (
        checked(
            inputs.check_identifier,
            body["call_id"],
            "call_id",
            max_length=128,
            pattern=PRINTABLE,
        ),
        checked(inputs.check_text, caller, "caller", 64, required=True),
        checked(inputs.check_text, body.get("agent"), "agent", 254) or None,
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
        checked(
            inputs.check_identifier,
            body["work_order_id"],
            "work_order_id",
            max_length=64,
            pattern=PRINTABLE,
        ),
        status,
        checked(inputs.parse_date, body.get("date"), "date"),
        checked(
            inputs.check_text,
            body.get("note"),
            "note",
            PLANNING_NOTE_LIMIT,
            multiline=True,
        )
        or None,
    )


def _speak_as_caller():
    """Texts the call leaves (a contact's summary, a message to the citizen)
    in the language of the key's user, the city's for the technical users."""
    request.update_context(lang=request.env.user.lang)


class KccApi(http.Controller):
    @http.route(
        "/kcc/api/telephony/call",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
        save_session=False,
        problem_details=True,
    )
    @json_endpoint
    def telephony_call(self, **kwargs):
        """An incoming call: {"call_id", "caller", "agent"}."""
        _speak_as_caller()
        # as the key's user: only a telephony system's user reads its system
        system = request.env["kcc.telephony.system"].search(
            [("user_id", "=", request.env.uid)], limit=1
        )
        if not system:
            raise ApiError(403, "Forbidden", "not the key of a telephony system")
        body = read_json_body(MAX_BODY, required=("call_id", "caller"))
        contact, agent, created = system._register_call(*_call_values(body))
        return json_response(
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
        auth="bearer",
        methods=["POST"],
        csrf=False,
        save_session=False,
        problem_details=True,
    )
    @json_endpoint
    def planning_status(self, **kwargs):
        """A work-order update: {"work_order_id", "status", "date", "note"}."""
        _speak_as_caller()
        Case = request.env["kcc.case"]
        Case._check_planning_caller()  # 403 for any key but the planning system's
        body = read_json_body(MAX_BODY, required=("work_order_id", "status"))
        work_order_id, status, date, note = _work_order_values(body)
        try:
            result = Case._planning_status_update(work_order_id, status, date, note)
        except LookupError as err:
            raise ApiError(404, "Unknown work order", work_order_id) from err
        except ValueError as err:
            raise ApiError(422, "Invalid value", str(err)) from err
        return json_response({"work_order_id": work_order_id, "result": result})

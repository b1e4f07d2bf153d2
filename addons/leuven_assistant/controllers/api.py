"""The assistant's HTTP API, used by the ``<leuven-assistant>`` web component.

JSON in and out, errors as RFC 9457 problem details; browsers on the websites
configured in Settings may call it from another origin (CORS, no cookies).
The specification is published at ``/assistant/spec``.
"""

import functools
import re

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from odoo.addons.leuven_kcc.controllers.json_api import (
    ApiError,
    json_endpoint,
    json_response,
    read_json_body,
)

from leuven.assistant import engine
from leuven.kcc.inputs import InputError, check_identifier, check_text

from ..models.res_config_settings import CORS_ORIGINS_PARAM

API = "/assistant/api/v1"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_BODY = 64 * 1024
MAX_DEPTH = 8  # {"answers": {"question": [choice, ...]}} nests 3 levels
# session tokens are secrets.token_urlsafe(24); topic codes are dotted names
TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,64}"
CODE_PATTERN = r"[A-Za-z0-9._-]{1,64}"
ID_PATTERN = r"[0-9]{1,9}"
TEXT_LIMITS = {"name": 200, "email": 254, "phone": 50}
MAX_MESSAGE = 5000


def _allowed_origin():
    origin = request.httprequest.headers.get("Origin")
    if not origin:
        return None
    configured = (
        request.env["ir.config_parameter"].sudo().get_param(CORS_ORIGINS_PARAM) or ""
    )
    allowed = {o.rstrip("/") for o in re.split(r"[\s,]+", configured) if o}
    if "*" in allowed:
        return "*"
    return origin if origin.rstrip("/") in allowed else None


def _api_headers():
    """Headers of every answer: never cached; CORS for the allowed sites."""
    headers = [("Cache-Control", "no-store")]
    origin = _allowed_origin()
    if origin:
        headers += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    return headers


def _preflight():
    response = json_response(None, 204, headers=_api_headers())
    if _allowed_origin():
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "3600"
    return response


def _json_body():
    """The request body as a JSON object: at most ``MAX_BODY`` bytes,
    ``MAX_DEPTH`` levels deep, UTF-8, without NUL characters; empty is ``{}``."""
    return read_json_body(
        MAX_BODY,
        MAX_DEPTH,
        too_large=request.env._("The request is too large."),
        allow_empty=True,
    )


def _input_message(error):
    """The Dutch (translated) message for a field that failed a check."""
    _ = request.env._
    return {
        "type": _("This field must be text."),
        "control_character": _("This field holds characters that are not allowed."),
        "line_break": _("This field must be one line."),
        "too_long": _("This text is too long."),
    }.get(error.code) or _("This value is not valid.")


def _identifier(value, pattern, not_found):
    """``value`` (from the URL or the body) if it has the shape of an
    identifier, else a 404: a NUL, a space or 10 kB are no token."""
    try:
        return check_identifier(value, "identifier", 128, pattern)
    except InputError as err:
        raise ApiError(404, "Not Found", not_found) from err


def _endpoint(func):
    """Preflight for the allowed sites, then the error handling and rollback
    of every JSON API (``json_api.json_endpoint``)."""
    handler = json_endpoint(func, headers=_api_headers)

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        if request.httprequest.method == "OPTIONS":
            return _preflight()
        return handler(self, *args, **kwargs)

    return wrapper


def _route(path, methods):
    return http.route(
        API + path,
        type="http",
        auth="public",
        methods=[*methods, "OPTIONS"],
        csrf=False,
        save_session=False,
        readonly=False,
    )


class AssistantApi(http.Controller):
    def _topic(self, code, preview=None):
        Topic = request.env["assistant.topic"]
        unknown = request.env._("Unknown topic.")
        code = _identifier(code, CODE_PATTERN, unknown)
        if preview:
            if not request.env.user.has_group(
                "leuven_assistant.group_assistant_author"
            ):
                raise ApiError(404, "Not Found", unknown)
            topic = Topic.browse(int(_identifier(preview, ID_PATTERN, unknown)))
            topic = topic.exists()
            if topic and topic.code == code:
                return topic
            raise ApiError(404, "Not Found", unknown)
        topic = Topic.sudo()._published_for(code)
        if not topic:
            raise ApiError(404, "Not Found", request.env._("Unknown topic."))
        return topic

    def _session(self, token):
        Session = request.env["assistant.session"].sudo()
        token = _identifier(token, TOKEN_PATTERN, request.env._("Unknown session."))
        session = Session.search([("token", "=", token)], limit=1)
        if not session:
            raise ApiError(404, "Not Found", request.env._("Unknown session."))
        if session.channel == "agent" and session.user_id != request.env.user:
            raise ApiError(404, "Not Found", request.env._("Unknown session."))
        return session

    @_route("/topics", ["GET"])
    @_endpoint
    def topics(self, **kwargs):
        """The published topics."""
        topics = (
            request.env["assistant.topic"].sudo().search([("state", "=", "published")])
        )
        result = []
        for topic in topics:
            package = topic._package()
            item = {
                "id": topic.code,
                "title": package.get("title"),
                "version": topic.version,
                "illustrative": bool(package.get("illustrative")),
            }
            if package.get("description"):
                item["description"] = package["description"]
            result.append(item)
        return json_response({"topics": result})

    @_route("/topics/<string:code>", ["GET"])
    @_endpoint
    def topic(self, code, preview=None, **kwargs):
        """One topic's package, without its scenarios, with product links."""
        topic = self._topic(code, preview)
        package = dict(topic._package())
        package.pop("scenarios", None)
        base = request.httprequest.host_url.rstrip("/")
        links = request.env["assistant.session"]._product_links(package)
        package["outcomes"] = [
            dict(
                outcome,
                links=[
                    {"title": title, "url": url if "://" in url else base + url}
                    for title, url in links.get(outcome["id"], [])
                ],
            )
            for outcome in package.get("outcomes", [])
        ]
        return json_response(package)

    @_route("/sessions", ["POST"])
    @_endpoint
    def start(self, **kwargs):
        """Start a session: {"topic", "channel", "partner_id"?, "preview"?}."""
        body = _json_body()
        channel = body.get("channel") or "component"
        if not isinstance(channel, str) or channel not in (
            "website",
            "component",
            "agent",
        ):
            raise ApiError(400, "Bad Request", request.env._("Unknown channel."))
        topic = self._topic(body.get("topic"), body.get("preview"))
        Session = request.env["assistant.session"]
        ip_address = request.httprequest.remote_addr
        if Session._is_rate_limited(ip_address):
            raise ApiError(
                429,
                "Too Many Requests",
                request.env._("Too many sessions from your connection; try later."),
            )
        user = request.env.user
        partner = None
        if channel == "agent":
            if not user.has_group("leuven_kcc.group_kcc_agent"):
                raise ApiError(
                    403, "Forbidden", request.env._("Agent mode is for KCC agents.")
                )
            try:
                partner_id = check_identifier(
                    body.get("partner_id") or 0, "partner_id", 9, ID_PATTERN
                )
                partner = request.env["res.partner"].browse(int(partner_id)).exists()
                partner.check_access("read")
            except (InputError, AccessError) as err:
                raise ApiError(
                    400, "Bad Request", request.env._("Unknown customer.")
                ) from err
            partner = partner or None
        elif not user._is_public():
            partner = user.partner_id
        try:  # only kept for the statistics: a strange one is left out
            origin = check_text(
                request.httprequest.headers.get("Origin"), "Origin", 200
            )
        except InputError:
            origin = None
        session = Session._start(topic, channel, partner, origin, ip_address)
        return json_response(
            {"session": session.token, "topic": topic.code, "version": topic.version},
            201,
        )

    @_route("/sessions/<string:token>/answers", ["POST"])
    @_endpoint
    def answers(self, token, **kwargs):
        """Record the answers so far: {"answers": {question id: value}}."""
        session = self._session(token)
        answers = _json_body().get("answers")
        if not isinstance(answers, dict):
            raise ApiError(
                400, "Bad Request", request.env._("The answers must be a JSON object.")
            )
        problems = engine.answer_problems(session.topic_id._package(), answers)
        if problems:
            message = request.env._("This answer does not fit the question.")
            raise ApiError(
                422,
                "Unprocessable Content",
                request.env._("Please check your answers."),
                errors=dict.fromkeys(problems, message),
            )
        state = session._record_answers(answers)
        return json_response(
            {
                "next": [q["id"] for q in state["next"]],
                "outcomes": [o["id"] for o in state["outcomes"]],
                "trace": state["trace"],
                "complete": state["complete"],
            }
        )

    @_route("/sessions/<string:token>/handoff", ["POST"])
    @_endpoint
    def handoff(self, token, **kwargs):
        """Make a case of the session: {"name", "email", "phone", "message"}."""
        session = self._session(token)
        if session.case_id:
            return json_response(self._handoff_result(session), 200)
        body = _json_body()
        _ = request.env._
        text, errors = {}, {}
        limits = {**TEXT_LIMITS, "message": MAX_BODY}
        for key, limit in limits.items():
            try:
                text[key] = check_text(
                    body.get(key), key, limit, multiline=key == "message"
                )
            except InputError as err:
                text[key] = ""
                errors[key] = _input_message(err)
        if errors:
            raise ApiError(
                422, "Unprocessable Content", _("Please check the form."), errors=errors
            )
        if not session.partner_id:
            if not text["name"]:
                errors["name"] = _("Please give your name.")
            if not (text["email"] or text["phone"]):
                errors["email"] = _(
                    "Give an e-mail address or phone number so we can answer you."
                )
            if text["email"] and not EMAIL_RE.match(text["email"]):
                errors["email"] = _("This is not a valid e-mail address.")
        if len(text["message"]) > MAX_MESSAGE:
            errors["message"] = _(
                "Your question is too long (at most 5000 characters)."
            )
        if errors:
            raise ApiError(
                400, "Bad Request", _("Please check the form."), errors=errors
            )
        if session.channel != "agent" and session._is_handoff_limited(
            request.httprequest.remote_addr
        ):
            raise ApiError(
                429, "Too Many Requests", _("Too many questions from your connection.")
            )
        contact = {
            "contact_name": text["name"],
            "contact_email": text["email"],
            "contact_phone": text["phone"],
        }
        session._handoff(text["message"], contact)
        return json_response(self._handoff_result(session), 201)

    def _handoff_result(self, session):
        return {
            "case": session.case_id.name,
            "message": request.env._(
                "Your question was registered under number %(case)s.",
                case=session.case_id.name,
            ),
        }

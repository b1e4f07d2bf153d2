import json
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.leuven_kcc.models.kcc_api_client import CITY_LANG

from leuven.assistant import engine

RATE_LIMIT_PARAM = "leuven_assistant.sessions_per_hour"
DEFAULT_RATE_LIMIT = 120
HANDOFF_LIMIT_PARAM = "leuven_assistant.handoffs_per_hour"
DEFAULT_HANDOFF_LIMIT = 10
SESSION_CHANNELS = [
    ("website", "Website"),
    ("component", "Embedded component"),
    ("agent", "KCC agent"),
]
SESSION_STATES = [
    ("started", "Started"),
    ("answering", "Answering"),
    ("outcome", "Outcome reached"),
    ("handed_off", "Handed off to a case"),
]


class AssistantSession(models.Model):
    """One run of a topic: the answers given, the outcome, the hand-off.

    Website and component sessions are anonymous unless the visitor is logged
    in; agent sessions belong to the caller (the partner) and the agent.
    """

    _name = "assistant.session"
    _inherit = ["kcc.rate.limit.mixin"]
    _description = "Assistant Session"
    _order = "create_date desc, id desc"
    _rec_name = "topic_id"

    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: secrets.token_urlsafe(24),
        groups="base.group_system",
    )
    topic_id = fields.Many2one(
        "assistant.topic", required=True, readonly=True, ondelete="restrict", index=True
    )
    topic_code = fields.Char(readonly=True, index=True)
    topic_version = fields.Char(readonly=True)
    channel = fields.Selection(SESSION_CHANNELS, required=True, readonly=True)
    state = fields.Selection(
        SESSION_STATES, default="started", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index="btree_not_null"
    )
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    case_id = fields.Many2one("kcc.case", readonly=True, index="btree_not_null")
    answers = fields.Text(readonly=True, default="{}")
    step_count = fields.Integer(
        string="Questions Answered", readonly=True, aggregator="avg"
    )
    last_question = fields.Char(
        string="Stopped At",
        readonly=True,
        help="The question the visitor was asked last and did not answer.",
    )
    outcome = fields.Char(
        readonly=True, help="The (first) outcome reached, for the statistics."
    )
    outcome_keys = fields.Char(string="Outcomes", readonly=True)
    trace = fields.Char(string="Rules That Fired", readonly=True)
    origin = fields.Char(
        readonly=True, help="The website the embedded component was used on."
    )
    is_preview = fields.Boolean(
        readonly=True, help="A session on a version that was not published."
    )
    ip_address = fields.Char(readonly=True, groups="base.group_system")
    transcript = fields.Text(compute="_compute_transcript")

    @api.depends("answers", "topic_id")
    def _compute_transcript(self):
        for session in self:
            session.transcript = session._transcript()

    def _answers_dict(self):
        self.ensure_one()
        try:
            answers = json.loads(self.answers or "{}")
        except ValueError:
            return {}
        return answers if isinstance(answers, dict) else {}

    @api.model
    def _start(self, topic, channel, partner=None, origin=None, ip_address=None):
        """A new session on ``topic`` (a published version, or a draft to preview)."""
        return self.sudo().create(
            {
                "topic_id": topic.id,
                "topic_code": topic.code,
                "topic_version": topic.version,
                "channel": channel,
                "partner_id": partner.id if partner else False,
                "user_id": self.env.user.id if channel == "agent" else False,
                "origin": (origin or "")[:200] or False,
                "ip_address": ip_address or False,
                "is_preview": topic.state != "published",
            }
        )

    @api.model
    def _is_rate_limited(self, ip_address):
        """Whether ``ip_address`` may not start another session.

        Counts the sessions started from that address in the last hour: with
        a limit of N (``leuven_assistant.sessions_per_hour``) the N-th session
        within the hour starts, the N+1-th is refused.
        """
        return self._rate_limit_reached(
            ip_address, RATE_LIMIT_PARAM, DEFAULT_RATE_LIMIT
        )

    def _is_handoff_limited(self, ip_address):
        """Whether this session may not be handed off from ``ip_address``.

        Counts the sessions started from that address in the last hour that
        were handed off: with a limit of N (``leuven_assistant.handoffs_per_hour``)
        the N-th question within the hour becomes a case, the N+1-th is refused.
        """
        self.ensure_one()
        return self._rate_limit_reached(
            ip_address,
            HANDOFF_LIMIT_PARAM,
            DEFAULT_HANDOFF_LIMIT,
            domain=[("case_id", "!=", False)],
            current=self,
        )

    @api.model
    def _product_links(self, package):
        """Outcome id -> [(title, url)] of the catalogue products it names.

        Products are named by IPDC id or by name; without the catalogue
        installed there are no links (``kcc.case._product_pages``).
        """
        outcomes = package.get("outcomes", [])
        references = {ref for o in outcomes for ref in o.get("products") or []}
        pages = self.env["kcc.case"]._product_pages(references) if references else {}
        links = {}
        for outcome in outcomes:
            for ref in outcome.get("products") or []:
                if ref in pages:
                    links.setdefault(outcome["id"], []).append(pages[ref])
        return links

    def _record_answers(self, answers):
        """Store the answers that count; returns the engine's evaluation."""
        self.ensure_one()
        if self.state == "handed_off":
            raise UserError(self.env._("This session was already handed off."))
        if not isinstance(answers, dict):
            raise UserError(self.env._("The answers must be a JSON object."))
        package = self.topic_id._package()
        if engine.answer_problems(package, answers):
            raise UserError(self.env._("This answer does not fit the question."))
        kept = engine.relevant_answers(package, answers)
        state = engine.evaluate(package, kept)
        outcome_ids = [o["id"] for o in state["outcomes"]]
        self.sudo().write(
            {
                "answers": json.dumps(kept, ensure_ascii=False),
                "step_count": len(kept),
                "last_question": state["next"][0]["id"] if state["next"] else False,
                "outcome": outcome_ids[0] if outcome_ids else False,
                "outcome_keys": ", ".join(outcome_ids) or False,
                "trace": ", ".join(state["trace"]) or False,
                "state": "outcome"
                if state["complete"] and outcome_ids
                else "answering",
            }
        )
        return state

    def _transcript(self, rules=True):
        """The questions asked, the answers given and the result, in words;
        with ``rules``, the ids of the rules that fired (for the staff: a
        rule's id is an author's key, not a text for the citizen)."""
        self.ensure_one()
        if not self.topic_id:
            return ""
        # the package of the session's own topic: whoever may read the
        # session may read its questions (a citizen has no access to topics)
        package = self.topic_id.sudo()._package()
        lang = (self.env.lang or "nl").split("_")[0]
        answers = engine.relevant_answers(package, self._answers_dict())
        state = engine.evaluate(package, answers)
        lines = [f"{self.env._('Topic')}: {_text(package.get('title'), lang)}"]
        for question in package.get("questions", []):
            if question["id"] not in answers:
                continue
            value = answers[question["id"]]
            lines.append(
                f"- {_text(question.get('label'), lang)}: "
                f"{self._answer_label(question, value, lang)}"
            )
        for outcome in state["outcomes"]:
            lines.append(
                f"{self.env._('Outcome')}: {_text(outcome.get('title'), lang)}"
            )
        if rules and state["trace"]:
            lines.append(f"{self.env._('Rules')}: {', '.join(state['trace'])}")
        return "\n".join(lines)

    def _answer_label(self, question, value, lang):
        _ = self.env._
        if question.get("type") == "yes_no":
            return _("Yes") if value else _("No")
        labels = {
            option["value"]: _text(option.get("label"), lang)
            for option in question.get("options", [])
        }
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))

    def _handoff(self, message=None, contact=None):
        """Turn the session into a KCC case through the intake service.

        ``contact``: name/e-mail/phone of an anonymous visitor; a session with a
        partner (agent mode, logged-in citizen) makes the case on that partner.
        Handing off twice gives the same case.
        """
        self.ensure_one()
        if self.case_id:
            return self.case_id
        package = self.topic_id._package()
        # the case's texts in its customer's language: the citizen's, else
        # the city's (the API's context has no language of the visitor)
        texts = self.with_context(lang=self.partner_id.lang or CITY_LANG)
        lang = texts.env.lang.split("_")[0]
        state = engine.evaluate(package, self._answers_dict())
        title = _text(package.get("title"), lang)
        outcome = ", ".join(_text(o.get("title"), lang) for o in state["outcomes"])
        subject = f"{texts.env._('Assistant')}: {title}"
        if outcome:
            subject = f"{subject} — {outcome}"
        parts = [message.strip()] if message and message.strip() else []
        parts.append(texts._transcript(rules=False))
        values = {
            "subject": subject[:250],
            "description": "\n\n".join(parts),
            "case_type": "question",
        }
        if self.partner_id:
            values["partner_id"] = self.partner_id.id
        else:
            for key in ("contact_name", "contact_email", "contact_phone"):
                if (contact or {}).get(key):
                    values[key] = contact[key]
        channel = "phone" if self.channel == "agent" else "assistant"
        case = self.env["kcc.case"]._intake(
            values,
            channel,
            idempotency_key=f"assistant:{self.id}",
            contact_summary=subject[:250],
        )
        self.sudo().write({"case_id": case.id, "state": "handed_off"})
        return case

    def action_create_case(self):
        """Back office: make a case of an agent's session and open it."""
        self.ensure_one()
        case = self._handoff()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kcc.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }


def _text(value, lang="nl"):
    """The text of a language dict in ``lang``, falling back to Dutch."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("nl") or next(iter(value.values()), "")
    return value or ""

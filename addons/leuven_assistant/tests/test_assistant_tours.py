import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import publish_topic

PARKING = "leuven.bewonersparkeerkaart"


class _StaticSite(BaseHTTPRequestHandler):
    """A plain website of another municipality: one static HTML page."""

    page = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestAssistantTours(HttpCase):
    """The assistant as citizens, agents and other websites use it, in Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "portal", "website", "leuven_kcc", "leuven_assistant"],
            ["nl_BE"],
        )
        cls.topic = publish_topic(cls.env, "bewonersparkeerkaart")
        cls.agent = new_test_user(
            cls.env,
            "tour.assist.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
            lang="nl_BE",
        )
        cls.caller = cls.env["res.partner"].create(
            {"name": "Tour Beller Assistent", "phone": "016 99 88 77"}
        )
        cls.Session = cls.env["assistant.session"]

    def test_citizen_completes_a_topic_and_hands_off_to_a_case(self):
        # a visitor whose browser asks for Dutch (the city's language)
        self.start_tour(
            f"/assistent/{PARKING}",
            "leuven_assistant_citizen_tour",
            cookies={"frontend_lang": "nl_BE"},
        )
        session = self.Session.search([("topic_code", "=", PARKING)])
        self.assertEqual(len(session), 1)
        self.assertEqual(session.channel, "website")
        self.assertEqual(session.outcome, "eerste_kaart")
        case = session.case_id
        self.assertEqual(case.channel, "assistant")
        # the subject is made on the server, in Dutch; no rule id for the citizen
        self.assertTrue(case.subject.startswith("Assistent: "), case.subject)
        self.assertNotIn("Regels:", case.description)
        self.assertEqual(case.contact_name, "Tour Burger Assistent")
        self.assertIn(
            "Krijg ik ook een kaart voor mijn tweede wagen?", case.description
        )
        self.assertIn("Van mij of iemand van mijn gezin", case.description)

    def test_agent_runs_a_topic_for_a_caller(self):
        self.start_tour(
            f"/odoo/res.partner/{self.caller.id}",
            "leuven_assistant_agent_tour",
            login="tour.assist.agent",
        )
        session = self.Session.search([("partner_id", "=", self.caller.id)])
        self.assertEqual(len(session), 1)
        self.assertEqual((session.channel, session.user_id), ("agent", self.agent))
        self.assertEqual(session.outcome, "geen_zone")
        self.assertEqual(session.case_id.partner_id, self.caller)
        self.assertEqual(session.case_id.channel, "phone")

    def test_component_on_a_static_page_of_another_website(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _StaticSite)
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        odoo = self.base_url()
        _StaticSite.page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Gemeente Elders</title>
<script>
window.assistantEvents = [];
for (const name of ["assistant-start", "assistant-answer", "assistant-outcome"]) {{
    document.addEventListener(name, () => window.assistantEvents.push(name));
}}
</script>
<script type="module" src="{odoo}/assistant/component/leuven-assistant.js"></script>
</head><body><h1>Gemeente Elders</h1>
<leuven-assistant topic="{PARKING}" lang="nl" api-base="{odoo}"></leuven-assistant>
</body></html>""".encode()
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            # not yet allowed: the browser refuses the API's answers
            self.browser_js(
                f"{origin}/",
                BLOCKED_JS,
                timeout=60,
                error_checker=_not_a_cors_refusal,
            )
            self.env["ir.config_parameter"].sudo().set_param(
                "leuven_assistant.cors_origins", origin
            )
            self.browser_js(f"{origin}/", EMBEDDED_JS, timeout=60)
        finally:
            server.shutdown()
            server.server_close()
        session = self.Session.search([("origin", "=", origin)])
        self.assertEqual(len(session), 1)
        self.assertEqual((session.channel, session.outcome), ("component", "geen_zone"))


@tagged("post_install", "-at_install")
class TestAssistantAuthoringTour(HttpCase):
    """A topic author builds a rule without JSON; a second author publishes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "leuven_kcc", "leuven_assistant"], ["nl_BE"]
        )
        groups = "base.group_user,leuven_assistant.group_assistant_author"
        cls.author = new_test_user(
            cls.env, "tour.topic.author", groups=groups, lang="nl_BE"
        )
        cls.reviewer = new_test_user(
            cls.env, "tour.topic.reviewer", groups=groups, lang="nl_BE"
        )
        cls.topic = (
            cls.env["assistant.topic"]
            .with_user(cls.author)
            .with_context(lang="nl_BE")
            .create(
                {
                    "name": "Welke glasbak?",
                    "code": "tour.glasbak",
                    "version": "1.0.0",
                    "question_ids": [
                        Command.create(
                            {
                                "key": "kleur",
                                "type": "single_choice",
                                "label": "Welke kleur glas?",
                                "option_ids": [
                                    Command.create(
                                        {"value": "wit", "label": "Wit glas"}
                                    ),
                                    Command.create(
                                        {"value": "gekleurd", "label": "Gekleurd glas"}
                                    ),
                                ],
                            }
                        )
                    ],
                    "outcome_ids": [
                        Command.create({"key": "wit", "title": "Witte glasbak"})
                    ],
                    "rule_ids": [
                        Command.create(
                            {
                                "key": "wit",
                                "condition": '{"===": [{"var": "kleur"}, "wit"]}',
                                "outcome_key": "wit",
                            }
                        )
                    ],
                    "scenario_ids": [
                        Command.create(
                            {"name": "Wit glas", "answers": '{"kleur": "wit"}'}
                        )
                    ],
                }
            )
        )
        cls.topic.scenario_ids.expected_outcome_ids = cls.topic.outcome_ids

    def test_author_builds_a_rule_and_a_second_author_publishes_it(self):
        url = f"/odoo/assistant.topic/{self.topic.id}"
        self.start_tour(url, "leuven_assistant_author_tour", login="tour.topic.author")
        topic = self.topic
        self.assertEqual(
            (topic.state, topic.submitted_by_id), ("to_review", self.author)
        )
        rule = topic.rule_ids.filtered(lambda r: r.outcome_id.key != "wit")
        self.assertEqual(rule.outcome_id.title, "Gekleurde glasbak")
        self.assertEqual(
            json.loads(rule.condition), {"===": [{"var": "kleur"}, "gekleurd"]}
        )
        self.start_tour(
            url, "leuven_assistant_reviewer_tour", login="tour.topic.reviewer"
        )
        self.assertEqual(
            (topic.state, topic.reviewed_by_id), ("published", self.reviewer)
        )
        self.assertEqual(
            self.env["assistant.topic"]._published_for("tour.glasbak"), topic
        )


def _not_a_cors_refusal(message):
    """The browser's own complaints about the refused calls are expected."""
    expected = ("CORS", "Failed to fetch", "ERR_FAILED", "Failed to load resource")
    return not any(text in message for text in expected)


def _page_script(name):
    """A script run in the static page: plain DOM, no Odoo on that page."""
    folder = Path(__file__).resolve().parent.parent / "static" / "tests" / "embedded"
    return (folder / "helpers.js").read_text() + (folder / name).read_text()


EMBEDDED_JS = _page_script("embedded_run.js")
BLOCKED_JS = _page_script("embedded_blocked.js")

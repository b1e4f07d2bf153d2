import json

from odoo.tests import HttpCase, new_test_user, tagged

from leuven.assistant import engine

from .common import publish_topic, shipped_package

API = "/assistant/api/v1"
PARKING = "leuven.bewonersparkeerkaart"
FIRST_CARD = {
    "woont_in_leuven": True,
    "in_zone": True,
    "voertuig": "eigen",
    "kaarten_gezin": "geen",
}


@tagged("post_install", "-at_install")
class TestAssistantApi(HttpCase):
    """The HTTP API of the web component, as a browser on any website uses it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = publish_topic(cls.env, "bewonersparkeerkaart")
        cls.Session = cls.env["assistant.session"]
        cls.agent = new_test_user(
            cls.env,
            "assist.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.author = new_test_user(
            cls.env,
            "assist.author",
            groups="base.group_user,leuven_assistant.group_assistant_author",
        )
        cls.citizen = new_test_user(
            cls.env,
            "assist.citizen",
            groups="base.group_portal",
            name="Ann Peeters",
            email="ann.peeters@example.com",
        )
        cls.caller = cls.env["res.partner"].create(
            {"name": "Jan Beller", "phone": "016 11 22 33"}
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "leuven_assistant.cors_origins", "https://www.gemeente.test"
        )

    def call(self, path, body=None, method=None, headers=None):
        method = method or ("POST" if body is not None else "GET")
        data = json.dumps(body) if isinstance(body, dict) else body
        return self.opener.request(
            method,
            self.base_url() + API + path,
            data=data,
            headers={"Content-Type": "application/json", **(headers or {})},
            timeout=30,
        )

    def start(self, channel="component", **extra):
        response = self.call(
            "/sessions", {"topic": PARKING, "channel": channel, **extra}
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()["session"]

    def find_session(self, token):
        return self.Session.search([("token", "=", token)])

    # topics

    def test_published_topics_are_listed_and_served_without_scenarios(self):
        draft = (
            self.env["assistant.topic"]
            .sudo()
            ._create_from_package(
                dict(shipped_package("bewonersparkeerkaart"), id="leuven.concept")
            )
        )
        listed = self.call("/topics").json()["topics"]
        codes = [t["id"] for t in listed]
        self.assertIn(PARKING, codes)
        self.assertNotIn(draft.code, codes)
        package = self.call(f"/topics/{PARKING}").json()
        self.assertNotIn("scenarios", package)
        self.assertEqual(
            [q["id"] for q in package["questions"]],
            [q["id"] for q in shipped_package("bewonersparkeerkaart")["questions"]],
        )
        self.assertTrue(all("links" in o for o in package["outcomes"]))

    def test_unknown_topic_and_draft_are_not_found(self):
        for path in ("/topics/nope", f"/topics/{PARKING}?preview=999999"):
            response = self.call(path)
            self.assertEqual(response.status_code, 404)
            self.assertEqual(
                response.headers["Content-Type"], "application/problem+json"
            )
            self.assertEqual(response.json()["status"], 404)

    def test_outcomes_link_to_the_catalogue_products_they_name(self):
        if "catalog.product" not in self.env:
            self.skipTest("the catalogue is not installed")
        Product = self.env["catalog.product"]
        Product.create(
            {
                "name": "Bewonersparkeerkaart",
                "ipdc_id": "https://ipdc.test/id/instantie/bewonerskaart",
                "is_published": True,
            }
        )
        # the topic names the product: the first published one of that name
        # (the demo catalogue may hold one already)
        product = Product.search(
            [("is_published", "=", True), ("name", "=ilike", "Bewonersparkeerkaart")],
            limit=1,
        )
        package = self.call(f"/topics/{PARKING}").json()
        links = {o["id"]: o["links"] for o in package["outcomes"]}
        self.assertEqual(links["eerste_kaart"][0]["title"], "Bewonersparkeerkaart")
        self.assertTrue(links["eerste_kaart"][0]["url"].endswith(product.website_url))
        self.assertEqual(links["geen_zone"], [])

    # sessions

    def test_answers_are_evaluated_like_the_engine_and_kept(self):
        token = self.start()
        response = self.call(
            f"/sessions/{token}/answers",
            {"answers": {"woont_in_leuven": True, "in_zone": True}},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {"next": ["voertuig"], "outcomes": [], "trace": [],
             "complete": False},
        )  # fmt: skip
        session = self.find_session(token)
        self.assertEqual(
            (session.state, session.step_count, session.last_question),
            ("answering", 2, "voertuig"),
        )
        response = self.call(f"/sessions/{token}/answers", {"answers": FIRST_CARD})
        expected = engine.evaluate(shipped_package("bewonersparkeerkaart"), FIRST_CARD)
        self.assertEqual(response.json()["outcomes"], ["eerste_kaart"])
        self.assertEqual(response.json()["trace"], expected["trace"])
        self.assertEqual((session.state, session.outcome), ("outcome", "eerste_kaart"))

    def test_going_back_drops_answers_to_questions_no_longer_asked(self):
        token = self.start()
        answers = dict(FIRST_CARD, woont_in_leuven=False)
        body = self.call(f"/sessions/{token}/answers", {"answers": answers}).json()
        self.assertEqual(body["outcomes"], ["geen_leuvenaar"])
        self.assertEqual(
            json.loads(self.find_session(token).answers), {"woont_in_leuven": False}
        )

    def test_bad_requests_get_problem_details(self):
        token = self.start()
        cases = [
            (f"/sessions/{token}/answers", "{not json", 400),
            (f"/sessions/{token}/answers", json.dumps({"answers": [1]}), 400),
            ("/sessions/unknown-token/answers", json.dumps({"answers": {}}), 404),
            ("/sessions", json.dumps({"topic": PARKING, "channel": "fax"}), 400),
            ("/sessions", json.dumps({"topic": "nope"}), 404),
        ]
        for path, body, status in cases:
            with self.subTest(path=path, body=body):
                response = self.call(path, body, method="POST")
                self.assertEqual(response.status_code, status)
                self.assertEqual(
                    response.headers["Content-Type"], "application/problem+json"
                )
                self.assertTrue(response.json()["title"])

    def test_too_many_sessions_from_one_connection(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "leuven_assistant.sessions_per_hour", "2"
        )
        self.start()
        self.start()
        response = self.call("/sessions", {"topic": PARKING})
        self.assertEqual(response.status_code, 429)

    # hand-off

    def test_anonymous_handoff_makes_one_case_with_the_transcript(self):
        token = self.start()
        self.call(f"/sessions/{token}/answers", {"answers": FIRST_CARD})
        url = f"/sessions/{token}/handoff"
        response = self.call(url, {"name": "", "email": "geen-adres", "message": "?"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["errors"]), {"name", "email"})
        self.assertFalse(
            self.find_session(token).case_id, "nothing is made on bad input"
        )
        response = self.call(
            url,
            {"name": "Piet Janssens", "email": "piet@example.com",
             "message": "Moet ik de kaart elk jaar vernieuwen?"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.text)
        case = self.find_session(token).case_id
        self.assertEqual(response.json()["case"], case.name)
        self.assertEqual(case.channel, "assistant")
        self.assertEqual(
            (case.contact_name, case.contact_email),
            ("Piet Janssens", "piet@example.com"),
        )
        self.assertIn("Moet ik de kaart elk jaar vernieuwen?", case.description)
        self.assertIn("Van mij of iemand van mijn gezin", case.description)
        self.assertIn("U hebt recht op een bewonerskaart", case.subject)
        self.assertTrue(case.handler_group_id, "the case is routed like any other")
        again = self.call(url, {"name": "Piet Janssens", "email": "piet@example.com"})
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["case"], case.name)
        self.assertEqual(
            self.env["kcc.case"].search_count(
                [("idempotency_key", "like", "assistant:%")]
            ),
            1,
        )

    def test_logged_in_citizen_hands_off_on_his_own_partner(self):
        self.authenticate("assist.citizen", "assist.citizen")
        token = self.start(channel="website")
        self.call(f"/sessions/{token}/answers", {"answers": {"woont_in_leuven": False}})
        response = self.call(f"/sessions/{token}/handoff", {"message": "Ik verhuis"})
        self.assertEqual(response.status_code, 201, response.text)
        case = self.find_session(token).case_id
        self.assertEqual(case.partner_id, self.citizen.partner_id)
        self.assertIn(case, self.citizen.partner_id.kcc_case_ids)

    # agent mode

    def test_agent_mode_is_for_kcc_agents_only(self):
        body = {"topic": PARKING, "channel": "agent", "partner_id": self.caller.id}
        self.assertEqual(self.call("/sessions", body).status_code, 403)
        self.authenticate("assist.citizen", "assist.citizen")
        self.assertEqual(self.call("/sessions", body).status_code, 403)

    def test_agent_runs_a_topic_for_a_caller_and_makes_a_case(self):
        self.authenticate("assist.agent", "assist.agent")
        token = self.start(channel="agent", partner_id=self.caller.id)
        session = self.find_session(token)
        self.assertEqual(
            (session.partner_id, session.user_id), (self.caller, self.agent)
        )
        self.call(f"/sessions/{token}/answers", {"answers": FIRST_CARD})
        response = self.call(f"/sessions/{token}/handoff", {"message": ""})
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(session.case_id.partner_id, self.caller)
        self.assertEqual(session.case_id.channel, "phone")
        partner = self.caller.with_user(self.agent)
        self.assertEqual(partner.assistant_session_count, 1)
        self.assertIn(session.case_id, partner.kcc_history_case_ids)
        # the token alone does not let anyone else use an agent's session
        self.authenticate("assist.author", "assist.author")
        response = self.call(f"/sessions/{token}/answers", {"answers": {}})
        self.assertEqual(response.status_code, 404)

    def test_agent_makes_a_case_from_the_session_form(self):
        session = self.Session.with_user(self.agent)._start(
            self.topic, "agent", self.caller
        )
        session._record_answers({"woont_in_leuven": True, "in_zone": False})
        action = session.with_user(self.agent).action_create_case()
        case = self.env["kcc.case"].browse(action["res_id"])
        self.assertEqual(case.partner_id, self.caller)
        self.assertIn("U hebt geen bewonerskaart nodig", case.subject)

    # previews and other websites

    def test_authors_preview_a_draft_apart_from_the_statistics(self):
        draft = self.topic.copy()  # a new version, in draft
        path = f"/topics/{PARKING}?preview={draft.id}"
        self.assertEqual(self.call(path).status_code, 404)
        self.authenticate("assist.author", "assist.author")
        self.assertEqual(self.call(path).status_code, 200)
        token = self.start(preview=draft.id)
        self.assertTrue(self.find_session(token).is_preview)
        page = self.url_open(f"/assistent/{PARKING}?preview={draft.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'preview="{draft.id}"', page.text)

    def test_cors_only_for_the_websites_configured(self):
        other = {"Origin": "https://www.elders.test"}
        configured = {"Origin": "https://www.gemeente.test"}
        response = self.call("/topics", headers=other)
        self.assertNotIn("Access-Control-Allow-Origin", response.headers)
        response = self.call("/topics", headers=configured)
        self.assertEqual(
            response.headers["Access-Control-Allow-Origin"], "https://www.gemeente.test"
        )
        preflight = self.call(
            "/sessions",
            method="OPTIONS",
            headers={**configured, "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "content-type"},
        )  # fmt: skip
        self.assertEqual(preflight.status_code, 204)
        self.assertIn("POST", preflight.headers["Access-Control-Allow-Methods"])
        self.assertIn("Content-Type", preflight.headers["Access-Control-Allow-Headers"])
        self.assertEqual(self.Session.search_count([]), 0, "a preflight starts nothing")

    # statistics

    def test_statistics_show_where_people_stop_and_what_they_reach(self):
        stopped = self.start()
        self.call(
            f"/sessions/{stopped}/answers", {"answers": {"woont_in_leuven": True}}
        )
        reached = self.start()
        self.call(f"/sessions/{reached}/answers", {"answers": FIRST_CARD})
        handed = self.start()
        self.call(
            f"/sessions/{handed}/answers", {"answers": {"woont_in_leuven": False}}
        )
        self.call(f"/sessions/{handed}/handoff", {"name": "A", "phone": "016123456"})
        # the author reads the statistics, which hold no personal data
        Session = self.env["assistant.statistics"].with_user(self.author)
        by_state = dict(Session._read_group([], ["state"], ["__count"]))
        self.assertEqual(by_state, {"answering": 1, "outcome": 1, "handed_off": 1})
        stops = dict(
            Session._read_group(
                [("state", "=", "answering")], ["last_question"], ["__count"]
            )
        )
        self.assertEqual(stops, {"in_zone": 1})
        outcomes = dict(Session._read_group([], ["outcome"], ["__count"]))
        self.assertEqual(outcomes["eerste_kaart"], 1)
        self.assertEqual(outcomes["geen_leuvenaar"], 1)


@tagged("post_install", "-at_install")
class TestAssistantWebsite(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = publish_topic(cls.env, "tuinhuis-carport")

    def test_topic_pages_and_the_published_specification(self):
        index = self.url_open("/assistent")
        self.assertEqual(index.status_code, 200)
        self.assertIn(f'/assistent/{self.topic.code}"', index.text)
        page = self.url_open(f"/assistent/{self.topic.code}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("<leuven-assistant", page.text)
        self.assertIn("leuven-assistant.js", page.text)
        self.assertEqual(self.url_open("/assistent/onbekend").status_code, 404)
        schema = self.url_open("/assistant/spec/topic-package.schema.json")
        self.assertEqual(schema.json(), engine.SCHEMA)
        self.assertEqual(schema.headers["Access-Control-Allow-Origin"], "*")
        self.assertEqual(self.url_open("/assistant/spec/../../etc").status_code, 404)

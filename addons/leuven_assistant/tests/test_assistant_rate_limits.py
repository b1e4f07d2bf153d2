import json

from odoo.tests import HttpCase, tagged

from .common import publish_topic

API = "/assistant/api/v1"
PARKING = "leuven.bewonersparkeerkaart"
FIRST_CARD = {
    "woont_in_leuven": True,
    "in_zone": True,
    "voertuig": "eigen",
    "kaarten_gezin": "geen",
}


@tagged("post_install", "-at_install")
class TestAssistantRateLimits(HttpCase):
    """A connection may start N sessions and hand off M questions an hour: the
    N-th (M-th) goes through, the next one is refused until an hour passed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        publish_topic(cls.env, "bewonersparkeerkaart")
        cls.Session = cls.env["assistant.session"]
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("leuven_assistant.sessions_per_hour", "3")
        params.set_param("leuven_assistant.handoffs_per_hour", "2")

    def call(self, path, body):
        return self.opener.post(
            self.base_url() + API + path,
            data=json.dumps(body),
            headers={"Content-Type": "application/json"},
            timeout=30,
        )

    def start(self):
        return self.call("/sessions", {"topic": PARKING, "channel": "component"})

    def hand_off(self, token):
        self.call(f"/sessions/{token}/answers", {"answers": FIRST_CARD})
        return self.call(
            f"/sessions/{token}/handoff",
            {"name": "Piet Janssens", "email": "piet@example.com",
             "message": "Moet ik de kaart elk jaar vernieuwen?"},
        )  # fmt: skip

    def age_sessions(self, minutes):
        """Move every session started so far ``minutes`` into the past."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE assistant_session"
            " SET create_date = create_date - make_interval(mins => %s)",
            [minutes],
        )
        self.env.invalidate_all()

    def setUp(self):
        super().setUp()
        self.age_sessions(24 * 60)  # whatever the database holds is old

    def test_third_session_starts_fourth_refused_until_an_hour_passed(self):
        before = self.Session.search_count([])
        statuses = [self.start().status_code for _n in range(3)]
        self.assertEqual(statuses, [201, 201, 201])
        response = self.start()
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        self.assertEqual(
            self.Session.search_count([]), before + 3, "nothing kept when refused"
        )
        self.age_sessions(59)
        self.assertEqual(self.start().status_code, 429)
        self.age_sessions(2)
        self.assertEqual(self.start().status_code, 201)

    def test_second_question_handed_off_third_refused_until_an_hour_passed(self):
        tokens = [self.start().json()["session"] for _n in range(3)]
        self.assertEqual(self.hand_off(tokens[0]).status_code, 201)
        self.assertEqual(self.hand_off(tokens[1]).status_code, 201)
        response = self.hand_off(tokens[2])
        self.assertEqual(response.status_code, 429)
        session = self.Session.search([("token", "=", tokens[2])])
        self.assertFalse(session.case_id, "no case made for the refused question")
        self.age_sessions(59)
        self.assertEqual(self.hand_off(tokens[2]).status_code, 429)
        self.age_sessions(2)
        response = self.hand_off(tokens[2])
        self.assertEqual(response.status_code, 201, response.text)
        self.assertTrue(session.case_id)

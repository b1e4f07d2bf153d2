import json

from odoo.tests import HttpCase, new_test_user, tagged

from .common import publish_topic

API = "/assistant/api/v1"
PARKING = "leuven.bewonersparkeerkaart"
NUL_IN_URL = 400


def nested(depth):
    return "[" * depth + "]" * depth


@tagged("post_install", "-at_install")
class TestAssistantBadInput(HttpCase):
    """Malformed requests to the assistant's API and pages: a 4xx answer
    (problem details for the API), never a 500, nothing stored, no traceback
    in the log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = publish_topic(cls.env, "bewonersparkeerkaart")
        cls.Session = cls.env["assistant.session"].sudo()
        new_test_user(
            cls.env,
            "bad.author",
            password="bad.author.pw",
            groups="base.group_user,leuven_assistant.group_assistant_author",
        )

    def send(self, method, path, data=None, headers=None):
        if isinstance(data, (dict, list)):
            data = json.dumps(data)
        return self.opener.request(
            method,
            self.base_url() + path,
            data=data,
            headers={"Content-Type": "application/json", **(headers or {})},
            timeout=60,
            allow_redirects=False,
        )

    def start_session(self):
        response = self.send("POST", f"{API}/sessions", {"topic": PARKING})
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()["session"]

    def check(self, requests):
        """Send ``requests`` ((expected status, method, path, body), ...):
        each gets its 4xx, none stores a session or logs an error."""
        before = self.Session.search_count([])
        failures = []
        with self.assertNoLogs(level="ERROR"):
            for expected, method, path, data in requests:
                response = self.send(method, path, data)
                label = f"{method} {path[:80]!r} {str(data)[:60]!r}"
                if response.status_code != expected:
                    failures.append(f"{label}: {response.status_code}, not {expected}")
                # a NUL in the address is refused before routing (plain 400)
                if path.startswith(API) and "%00" not in path:
                    content_type = response.headers.get("Content-Type", "")
                    if content_type != "application/problem+json":
                        failures.append(f"{label}: {content_type}")
                    elif response.json()["status"] != response.status_code:
                        failures.append(f"{label}: {response.text}")
        self.assertEqual(failures, [])
        self.assertEqual(self.Session.search_count([]), before, "a session stored")
        return len(requests)

    def test_malformed_requests_to_start_a_session(self):
        sessions = f"{API}/sessions"
        count = self.check(
            [
                (400, "POST", sessions, '{"topic": ' + nested(5000) + "}"),
                (400, "POST", sessions, nested(30000)),
                (413, "POST", sessions, '{"topic": "' + "x" * 100_000 + '"}'),
                (
                    400,
                    "POST",
                    sessions,
                    '{"topic": "leuven.bewonersparkeerkaart\\u0000"}',
                ),
                (400, "POST", sessions, b'{"topic": "\xff\xfe"}'),
                (400, "POST", sessions, '{"topic": '),
                (400, "POST", sessions, "[]"),
                (400, "POST", sessions, '{"topic": NaN}'),
                (404, "POST", sessions, {"topic": "x" * 500}),
                (404, "POST", sessions, {"topic": {"id": PARKING}}),
                (404, "POST", sessions, {"topic": ["leuven", "x"]}),
                (404, "POST", sessions, {"topic": PARKING + " OR 1=1"}),
                (400, "POST", sessions, {"topic": PARKING, "channel": ["agent"]}),
                (404, "POST", sessions, {"topic": PARKING, "preview": "1" * 30}),
                (NUL_IN_URL, "GET", f"{API}/topics/{PARKING}%00", None),
                (404, "GET", f"{API}/topics/{'x' * 2000}", None),
                (NUL_IN_URL, "GET", f"{API}/topics/{PARKING}?preview=%00", None),
            ]
        )
        self.assertGreaterEqual(count, 15)

    def test_malformed_answers_and_handoffs(self):
        token = self.start_session()
        answers = f"{API}/sessions/{token}/answers"
        handoff = f"{API}/sessions/{token}/handoff"
        count = self.check(
            [
                (
                    NUL_IN_URL,
                    "POST",
                    f"{API}/sessions/%00{token}/answers",
                    {"answers": {}},
                ),
                (
                    NUL_IN_URL,
                    "POST",
                    f"{API}/sessions/{token}%00/answers",
                    {"answers": {}},
                ),
                (404, "POST", f"{API}/sessions/{'a' * 300}/answers", {"answers": {}}),
                (404, "POST", f"{API}/sessions/{'é' * 30}/handoff", {}),
                (400, "POST", answers, {"answers": "woont_in_leuven"}),
                (400, "POST", answers, '{"answers": ' + nested(3000) + "}"),
                (400, "POST", answers, '{"answers": {"woont_in_leuven": "\\u0000"}}'),
                (422, "POST", answers, {"answers": {"woont_in_leuven": "ja"}}),
                (422, "POST", answers, {"answers": {"woont_in_leuven": [True]}}),
                (422, "POST", answers, {"answers": {"voertuig": {"value": "eigen"}}}),
                (422, "POST", answers, {"answers": {"voertuig": ["eigen"]}}),
                (413, "POST", answers, {"answers": {"x": "y" * 70_000}}),
                (422, "POST", handoff, {"name": ["Jan"], "email": "jan@example.com"}),
                (422, "POST", handoff, {"name": "Jan", "email": {"a": 1}}),
                (422, "POST", handoff, {"name": "Jan\x01", "email": "jan@example.com"}),
                (422, "POST", handoff, {"name": "Jan\nPeeters", "phone": "016"}),
                (400, "POST", handoff, {"name": "Jan\x00", "email": "jan@example.com"}),
            ]
        )
        self.assertGreaterEqual(count, 15)
        session = self.Session.search([("token", "=", token)])
        self.assertEqual(session.answers, "{}", "no answer stored")
        self.assertFalse(session.case_id, "no case made")
        # the same session still takes good answers
        response = self.send("POST", answers, {"answers": {"woont_in_leuven": False}})
        self.assertEqual(response.status_code, 200, response.text)

    def test_malformed_requests_to_the_website_pages(self):
        self.check(
            [
                (NUL_IN_URL, "GET", "/assistent/%00", None),
                (NUL_IN_URL, "GET", f"/assistent/{PARKING}%00", None),
                (404, "GET", f"/assistent/{'x' * 3000}", None),
                (404, "GET", f"/assistent/{PARKING}?preview=%C2%B2", None),
                (
                    404,
                    "GET",
                    f"/assistent/{PARKING}?preview=99999999999999999999",
                    None,
                ),
                (NUL_IN_URL, "GET", f"/assistent/{PARKING}?preview=%00", None),
                (NUL_IN_URL, "GET", "/assistant/spec/%00", None),
            ]
        )
        self.authenticate("bad.author", "bad.author.pw")
        self.check(
            [
                (
                    404,
                    "GET",
                    f"/assistent/{PARKING}?preview=99999999999999999999",
                    None,
                ),
                (
                    404,
                    "GET",
                    "/leuven_assistant/topic/99999999999999999999/export",
                    None,
                ),
                (404, "GET", f"/assistent/{PARKING}?preview=%C2%B2", None),
            ]
        )

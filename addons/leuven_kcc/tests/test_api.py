import http.server
import json
import threading

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged


class _PlanningServer(http.server.BaseHTTPRequestHandler):
    """A stand-in for the crews' planning system, on loopback."""

    orders = []
    status = 201

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _PlanningServer.orders.append(
            (self.headers.get("Authorization"), json.loads(body))
        )
        self.send_response(_PlanningServer.status)
        self.end_headers()

    def log_message(self, *args):
        pass


class KccApiCase(HttpCase):
    def post_json(self, url, body, token=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else json.dumps(body)
        return self.url_open(url, data=data, headers=headers)


@tagged("post_install", "-at_install")
class TestPlanning(KccApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = http.server.HTTPServer(("127.0.0.1", 0), _PlanningServer)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.endpoint = cls.env.ref("leuven_kcc.kcc_outbox_endpoint_planning")
        cls.endpoint.write(
            {
                "url": f"http://127.0.0.1:{cls.server.server_port}/orders",
                "auth_type": "bearer",
                "token": "out-token",
            }
        )
        # the planning system's status updates: an API key of its user
        cls.in_key = cls.endpoint._issue_api_key()["context"]["default_key"]
        cls.crews = cls.env["kcc.handler.group"].create(
            {"name": "Crews", "code": "T-CREW"}
        )
        cls.category = cls.env["kcc.case.category"].create(
            {
                "name": "Pothole",
                "handler_group_id": cls.crews.id,
                "planning_system": True,
            }
        )
        cls.citizen = new_test_user(cls.env, "plan.citizen", groups="base.group_portal")

    def setUp(self):
        super().setUp()
        _PlanningServer.orders.clear()
        _PlanningServer.status = 201
        self.case = self.env["kcc.case"]._intake(
            {
                "subject": "Put in de Bondgenotenlaan",
                "case_type": "report",
                "street": "Bondgenotenlaan 1",
                "category_id": self.category.id,
                "partner_id": self.citizen.partner_id.id,
            },
            "report_form",
        )
        self.Outbox = self.env["kcc.outbox"]

    def deliver(self):
        # this case's messages only: the demo's wait for the same endpoint
        self.Outbox.search(
            [*self.Outbox._due_domain(), ("res_id", "=", self.case.id)]
        )._deliver()

    def test_assignment_sends_one_work_order_through_the_outbox(self):
        self.assertFalse(self.case.work_order_ref)
        self.case.write({"state": "assigned"})
        self.case.write({"state": "in_progress"})
        self.case.write({"state": "assigned"})
        message = self.Outbox.search(
            [("res_id", "=", self.case.id), ("target", "=", "planning")]
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(self.case.work_order_state, "queued")
        self.deliver()
        self.assertEqual(message.state, "sent")
        self.assertEqual(self.case.work_order_state, "sent")
        self.assertEqual(len(_PlanningServer.orders), 1)
        token, order = _PlanningServer.orders[0]
        self.assertEqual(token, "Bearer out-token")
        self.assertEqual(order["work_order_id"], self.case.work_order_ref)
        self.assertEqual(order["location"]["street"], "Bondgenotenlaan 1")
        self.deliver()
        self.assertEqual(len(_PlanningServer.orders), 1, "never sent twice")

    def test_endpoint_down_then_back(self):
        _PlanningServer.status = 503
        self.case.write({"state": "assigned"})
        message = self.Outbox.search([("res_id", "=", self.case.id)])
        with freeze_time("2026-11-25 10:00:00"):
            message.next_attempt = "2026-11-25 10:00:00"
            self.deliver()
        self.assertEqual(
            (message.state, message.attempts, message.last_status), ("pending", 1, 503)
        )
        self.assertEqual(str(message.next_attempt), "2026-11-25 10:01:00")
        _PlanningServer.status = 201
        with freeze_time("2026-11-25 10:00:30"):
            self.deliver()  # not due yet
            self.assertEqual(message.state, "pending")
        with freeze_time("2026-11-25 10:02:00"):
            self.deliver()
        self.assertEqual(message.state, "sent")
        self.assertEqual(len(_PlanningServer.orders), 2)

    def test_rejected_work_order_is_visible_on_the_case(self):
        _PlanningServer.status = 400
        self.case.write({"state": "assigned"})
        self.deliver()
        self.assertEqual(self.case.work_order_state, "failed")
        self.assertIn(
            "could not be sent", " ".join(self.case.message_ids.mapped("body"))
        )

    def test_status_updates_reach_the_citizen_and_close_the_work(self):
        self.case.write({"state": "assigned"})
        ref = self.case.work_order_ref
        url = "/kcc/api/planning/status"
        planned = {"work_order_id": ref, "status": "planned", "date": "2026-12-01"}
        response = self.post_json(url, planned, token=self.in_key)
        self.assertEqual(response.json()["result"], "updated")
        self.assertEqual(self.case.work_order_state, "planned")
        replay = self.post_json(
            url, {"work_order_id": ref, "status": "planned"}, token=self.in_key
        )
        self.assertEqual(replay.json()["result"], "unchanged")
        done = self.post_json(
            url,
            {
                "work_order_id": ref,
                "status": "done",
                "date": "2026-12-02",
                "note": "Hersteld.",
            },
            token=self.in_key,
        )
        self.assertEqual(done.status_code, 200)
        self.assertEqual(self.case.state, "answered")
        self.assertIn("Hersteld.", self.case.resolution)
        public = self.case.message_ids.filtered(
            lambda m: m.subtype_id.internal is False
        )
        self.assertTrue(any("2026-12-02" in (m.body or "") for m in public))
        late = self.post_json(
            url, {"work_order_id": ref, "status": "planned"}, token=self.in_key
        )
        self.assertEqual(late.json()["result"], "ignored")
        self.assertEqual(self.case.state, "answered")

    def test_bad_requests_get_problem_details(self):
        url = "/kcc/api/planning/status"
        body = {"work_order_id": "WO-unknown", "status": "done"}
        cases = [
            (self.post_json(url, body), 401),
            (self.post_json(url, body, token="wrong"), 401),
            (self.post_json(url, None, token=self.in_key, raw="{not json"), 400),
            (self.post_json(url, {"status": "done"}, token=self.in_key), 422),
            (self.post_json(url, {**body, "status": "burnt"}, token=self.in_key), 422),
            (self.post_json(url, body, token=self.in_key), 404),
        ]
        for response, status in cases:
            self.assertEqual(response.status_code, status, response.text)
            self.assertEqual(
                response.headers["Content-Type"], "application/problem+json"
            )
            self.assertEqual(response.json()["status"], status)


@tagged("post_install", "-at_install")
class TestTelephony(KccApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system = cls.env["kcc.telephony.system"].create({"name": "Centrale"})
        cls.key = cls.system._issue_api_key()["context"]["default_key"]
        cls.agent = new_test_user(
            cls.env, "tel.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.caller = cls.env["res.partner"].create(
            {"name": "Marc Claes", "phone": "+32 16 11 22 33"}
        )

    def call(self, call_id, caller, token=None, agent="tel.agent"):
        return self.post_json(
            "/kcc/api/telephony/call",
            {"call_id": call_id, "caller": caller, "agent": agent},
            token=token or self.key,
        )

    def test_known_caller_is_logged_and_the_agent_notified(self):
        bus_before = self.env["bus.bus"].search_count([])
        response = self.call("c-1", "016112233")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["customer_known"], True)
        contact = self.env["kcc.contact"].browse(response.json()["contact_id"])
        self.assertEqual(
            (contact.partner_id, contact.user_id), (self.caller, self.agent)
        )
        self.assertEqual(contact.channel, "phone")
        notes = self.env["bus.bus"].search([], order="id desc", limit=1)
        self.assertGreater(self.env["bus.bus"].search_count([]), bus_before)
        self.assertIn("kcc_incoming_call", notes.message)

    def test_unknown_caller_and_replayed_call(self):
        first = self.call("c-2", "+32 470 00 00 01")
        self.assertFalse(first.json()["customer_known"])
        again = self.call("c-2", "+32 470 00 00 01")
        self.assertEqual(again.status_code, 200)
        self.assertTrue(again.json()["duplicate"])
        self.assertEqual(first.json()["contact_id"], again.json()["contact_id"])

    def test_the_agent_completes_the_announced_call(self):
        contact_id = self.call("c-3", "016112233").json()["contact_id"]
        wizard = (
            self.env["kcc.quick.contact"]
            .with_user(self.agent)
            .with_context(
                default_contact_id=contact_id, default_search_text="016112233"
            )
            .create({"summary": "Vraag over de afvalkalender"})
        )
        self.assertEqual(wizard.partner_id, self.caller)
        wizard.action_answered()
        contacts = self.env["kcc.contact"].search([("partner_id", "=", self.caller.id)])
        self.assertEqual(len(contacts), 1, "the call is one contact, not two")
        self.assertTrue(contacts.first_line_resolved)
        self.assertEqual(contacts.summary, "Vraag over de afvalkalender")

    def test_bad_token_and_payloads(self):
        self.assertEqual(self.call("c-4", "016112233", token="nope").status_code, 401)
        self.system.active = False
        self.assertEqual(self.call("c-5", "016112233").status_code, 401)
        self.system.active = True
        missing = self.post_json(
            "/kcc/api/telephony/call", {"call_id": "c-6"}, token=self.key
        )
        self.assertEqual(missing.status_code, 422)
        malformed = self.post_json(
            "/kcc/api/telephony/call", None, token=self.key, raw="[1, 2"
        )
        self.assertEqual(malformed.status_code, 400)
        self.assertFalse(
            self.env["kcc.contact"].search([("external_ref", "like", "c-6")])
        )

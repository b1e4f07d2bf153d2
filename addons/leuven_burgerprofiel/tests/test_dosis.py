import ast
import contextlib
import http.server
import json
import re
import threading
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from leuven.burgerprofiel import dosis


class _ProfileServer(http.server.BaseHTTPRequestHandler):
    """Mijn Burgerprofiel's side: answers as the test script says."""

    script = []  # one behaviour per request: "ok", "500", "400", "timeout", "slow"
    received = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        behaviour = _ProfileServer.script.pop(0) if _ProfileServer.script else "ok"
        _ProfileServer.received.append(
            {
                "key": self.headers.get("Idempotency-Key"),
                "auth": self.headers.get("Authorization"),
                "path": self.path,
                "body": body,
                "behaviour": behaviour,
            }
        )
        if behaviour == "timeout":
            time.sleep(1.5)
        elif behaviour == "slow":
            time.sleep(0.4)
        status = {"500": 500, "400": 400}.get(behaviour, 202)
        # the client may have given up (timeout): a broken pipe is expected then
        with contextlib.suppress(OSError):
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestProfileStatus(TransactionCase):
    """Statuses and notices to Mijn Burgerprofiel: through the outbox, never twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ProfileServer)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        base = f"http://127.0.0.1:{cls.server.server_port}"
        cls.env["ir.config_parameter"].sudo().set_param(
            "leuven_burgerprofiel.dosis_enabled", "1"
        )
        cls.endpoint = cls.env.ref("leuven_burgerprofiel.kcc_outbox_endpoint_dosis")
        for endpoint, path in (
            (cls.endpoint, "/dosis/status"),
            (
                cls.env.ref(
                    "leuven_burgerprofiel.kcc_outbox_endpoint_dosis_notification"
                ),
                "/dosis/notificatie",
            ),
        ):
            endpoint.write(
                {
                    "url": f"{base}{path}",
                    "auth_type": "bearer",
                    "token": "profile-token",
                    "read_timeout": 1,
                }
            )
        cls.citizen = cls.env["res.partner"].create(
            {"name": "Ann Peeters", "national_number": "85073003328"}
        )
        cls.company = cls.env["res.partner"].create(
            {
                "name": "Bakkerij Claes BV",
                "is_company": True,
                "kbo_number": "0207451227",
            }
        )
        cls.bart = cls.env["res.partner"].create(
            {"name": "Bart Claes", "parent_id": cls.company.id}
        )
        cls.handler = new_test_user(
            cls.env,
            "dosis.handler",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.Outbox = cls.env["kcc.outbox"].sudo()

    def setUp(self):
        super().setUp()
        _ProfileServer.script = []
        _ProfileServer.received = []

    def case_for(self, partner, subject="Put in het fietspad"):
        return self.env["kcc.case"]._intake(
            {"subject": subject, "partner_id": partner.id}, "web_form"
        )

    def messages(self, case):
        return self.Outbox.search(
            [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)], order="id"
        )

    def deliver_now(self):
        due = self.Outbox.search([("state", "=", "pending")])
        due.write({"next_attempt": fields.Datetime.now() - timedelta(seconds=1)})
        self.Outbox._cron_deliver()

    def test_new_case_of_a_known_citizen_is_pushed_in_the_documented_format(self):
        case = self.case_for(self.citizen)
        message = self.messages(case)
        self.assertEqual(message.target, "dosis")
        payload = json.loads(message.payload)
        self.assertEqual(dosis.problems(payload), [])
        self.assertEqual(payload["dossier"]["dossiernummer"], case.name)
        self.assertEqual(payload["dossier"]["statusCode"], "received")
        self.assertEqual(
            payload["agenten"], [{"type": "rijksregisternummer", "id": "85073003328"}]
        )
        self.assertTrue(payload["dossier"]["url"].endswith(f"/my/cases/{case.id}"))
        self.assertEqual(case.profile_push_state, "pending")

    def test_a_case_taken_in_is_created_pending_without_an_update(self):
        statements = []
        cr = self.env.cr
        execute = cr.execute

        def recording(query, params=None, log_exceptions=True):
            statements.append(str(getattr(query, "code", query)))
            return execute(query, params, log_exceptions)

        self.env.flush_all()
        with patch.object(cr, "execute", side_effect=recording):
            case = (
                self.env["kcc.case"]
                .with_user(self.handler)
                ._intake(
                    {"subject": "Losse stoeptegel", "partner_id": self.citizen.id},
                    "phone",
                )
            )
            self.env.flush_all()
        self.assertEqual(case.profile_push_state, "pending")
        self.assertEqual(self.messages(case).target, "dosis")
        updates = [
            s
            for s in statements
            if re.match(r'^\s*UPDATE "kcc_case"\s', s) and "profile_push_state" in s
        ]
        self.assertEqual(updates, [])

    def test_failures_and_timeouts_are_retried_and_delivered_once(self):
        case = self.case_for(self.citizen)
        _ProfileServer.script = ["500", "timeout", "slow"]
        self.deliver_now()
        message = self.messages(case)
        self.assertEqual((message.state, message.attempts), ("pending", 1))
        self.assertGreater(message.next_attempt, fields.Datetime.now())
        self.deliver_now()
        self.assertEqual((message.state, message.last_error), ("pending", "timeout"))
        self.deliver_now()
        self.assertEqual((message.state, message.attempts), ("sent", 3))
        self.assertEqual(case.profile_push_state, "sent")
        self.deliver_now()  # nothing left: nothing sent again
        keys = {request["key"] for request in _ProfileServer.received}
        self.assertEqual(len(_ProfileServer.received), 3)
        self.assertEqual(keys, {message.key}, "the same idempotency key every time")
        self.assertEqual(_ProfileServer.received[-1]["auth"], "Bearer profile-token")

    def test_nothing_is_lost_while_the_profile_is_down_for_hours(self):
        case = self.case_for(self.citizen)
        port = self.server.server_port
        self.endpoint.url = "http://127.0.0.1:9/down"
        case.write({"state": "assigned"})
        for _attempt in range(5):  # about five hours of backoff
            self.deliver_now()
        messages = self.messages(case)
        self.assertEqual(set(messages.mapped("state")), {"pending"})
        self.assertTrue(all(m.attempts == 5 for m in messages))
        self.endpoint.url = f"http://127.0.0.1:{port}/dosis/status"
        self.deliver_now()
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        statuses = [r["body"]["dossier"]["statusCode"] for r in _ProfileServer.received]
        self.assertEqual(statuses, ["received", "in_treatment"], "in order, once each")

    def test_resolution_sends_the_status_and_one_notification(self):
        case = self.case_for(self.citizen)
        case.with_user(self.handler).write({"state": "in_progress"})
        case.with_user(self.handler).write(
            {"state": "answered", "resolution": "<p>De put is hersteld.</p>"}
        )
        messages = self.messages(case)
        self.assertEqual(
            messages.mapped("target"), ["dosis", "dosis", "dosis", "dosis_notification"]
        )
        notice = json.loads(messages[-1].payload)
        self.assertEqual(dosis.problems(notice), [])
        self.assertEqual(notice["berichtType"], "notificatie")
        self.assertIn(case.name, notice["notificatie"]["titel"])
        self.assertEqual(len(set(messages.mapped("key"))), 4)
        self.deliver_now()
        paths = sorted(r["path"] for r in _ProfileServer.received)
        self.assertEqual(paths.count("/dosis/notificatie"), 1)

    def test_company_case_is_shown_to_the_company(self):
        case = self.case_for(self.bart, "Terrasvergunning")
        payload = json.loads(self.messages(case).payload)
        self.assertEqual(
            payload["agenten"], [{"type": "kbonummer", "id": "0207451227"}]
        )

    def test_anonymous_cases_are_not_pushed(self):
        case = self.env["kcc.case"]._intake(
            {"subject": "Vraag", "contact_email": "iemand@example.com"}, "web_form"
        )
        self.assertFalse(self.messages(case))
        self.assertFalse(case.profile_push_state)

    def test_a_refused_message_is_visible_on_the_case_and_to_supervisors(self):
        case = self.case_for(self.citizen)
        _ProfileServer.script = ["400"]
        self.deliver_now()
        message = self.messages(case)
        self.assertEqual(message.state, "failed")
        self.assertEqual(case.profile_push_state, "failed")
        self.assertIn("Mijn Burgerprofiel", case.message_ids[0].body)
        supervisor = new_test_user(
            self.env,
            "dosis.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        action = self.env.ref("leuven_burgerprofiel.profile_outbox_action")
        visible = (
            self.env["kcc.outbox"]
            .with_user(supervisor)
            .search([*ast.literal_eval(action.domain), ("state", "=", "failed")])
        )
        self.assertIn(message, visible)

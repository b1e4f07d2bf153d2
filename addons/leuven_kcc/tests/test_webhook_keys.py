"""The webhooks on Odoo's API keys, and the outbox on endpoint records.

A telephone platform and the planning system call as their own technical
user with an API key an administrator issued; any other key, none, a wrong
or a revoked one is refused with problem details, never an HTML page. The
outgoing messages go where their endpoint says, with its credentials and
timeouts, which only administrators read and change.
"""

import contextlib
import http.server
import json
import threading
import time

from odoo import http as odoo_http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

TELEPHONY = "/kcc/api/telephony/call"
PLANNING = "/kcc/api/planning/status"


def issued_key(record):
    """The key shown once to the administrator who issued it."""
    return record._issue_api_key()["context"]["default_key"]


class _Receiver(http.server.BaseHTTPRequestHandler):
    """A stand-in for a remote service, on loopback."""

    received = []
    delay = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append(
            (self.path, self.headers.get("Authorization"), json.loads(body))
        )
        time.sleep(_Receiver.delay)
        with contextlib.suppress(OSError):  # the sender may have given up waiting
            self.send_response(201)
            self.end_headers()

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestWebhookKeys(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            "hook.admin",
            groups="base.group_user,leuven_kcc.group_kcc_admin",
        )
        cls.agent = new_test_user(
            cls.env, "hook.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.system = (
            cls.env["kcc.telephony.system"]
            .with_user(cls.admin)
            .create({"name": "Centrale"})
        )
        cls.key = issued_key(cls.system)
        cls.planning = cls.env.ref("leuven_kcc.kcc_outbox_endpoint_planning")
        cls.planning_key = issued_key(cls.planning.with_user(cls.admin))
        # the agent's own API key, as he would make it in his preferences
        cls.agent_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.agent)
            .sudo()
            ._generate(None, "my scripts", None)
        )
        citizen = new_test_user(cls.env, "hook.citizen", groups="base.group_portal")
        cls.case = cls.env["kcc.case"]._intake(
            {"subject": "Put in de Tiensestraat", "partner_id": citizen.partner_id.id},
            "portal",
        )
        cls.case.work_order_ref = "WO-HOOK-1"

    def post(self, url, body, key=None, scheme="Bearer"):
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["Authorization"] = f"{scheme} {key}"
        return self.url_open(url, data=json.dumps(body), headers=headers)

    def call(self, key, call_id="hook-1"):
        return self.post(TELEPHONY, {"call_id": call_id, "caller": "016112233"}, key)

    def update(self, key):
        body = {"work_order_id": "WO-HOOK-1", "status": "planned"}
        return self.post(PLANNING, body, key)

    def assertProblem(self, response, status):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["status"], status)

    def contacts(self):
        return self.env["kcc.contact"].search([("external_ref", "like", "hook-")])

    def test_the_platform_registers_a_call_as_its_own_user(self):
        response = self.call(self.key)
        self.assertEqual(response.status_code, 201, response.text)
        contact = self.env["kcc.contact"].browse(response.json()["contact_id"])
        self.assertEqual(contact.create_uid, self.system.user_id)
        self.assertEqual(contact.summary, "Inkomende oproep van 016112233", "Dutch")
        user = self.system.user_id
        self.assertFalse(user.share, "an internal user")
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [user.id])
        self.assertFalse(self.env.cr.fetchone()[0], "that cannot log in")
        kcc = self.env.ref("leuven_kcc.module_category_kcc")
        self.assertTrue(user.has_group("leuven_kcc.group_kcc_telephony_webhook"))
        self.assertFalse(
            user.groups_id.filtered(lambda g: g.category_id == kcc),
            "no other KCC right than the webhook's: it reads no cases",
        )

    def test_the_planning_system_updates_its_work_order(self):
        response = self.update(self.planning_key)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.case.work_order_state, "planned")
        message = self.case.message_ids.filtered("body")[:1]  # the newest text
        self.assertEqual(message.author_id, self.planning.user_id.partner_id)
        self.assertIn("gepland", message.body, "the citizen reads it in Dutch")

    def test_a_key_of_another_user_is_refused(self):
        for label, url, key in (
            ("agent on telephony", TELEPHONY, self.agent_key),
            ("planning on telephony", TELEPHONY, self.planning_key),
            ("agent on planning", PLANNING, self.agent_key),
            ("telephony on planning", PLANNING, self.key),
        ):
            with self.subTest(label):
                if url == TELEPHONY:
                    response = self.call(key)
                else:
                    response = self.update(key)
                self.assertProblem(response, 403)
        self.assertFalse(self.contacts())
        self.assertFalse(self.case.work_order_state)

    def test_no_key_or_a_wrong_key_is_401_problem_json(self):
        wrong = self.key[:-1] + ("0" if self.key[-1] != "0" else "1")
        for label, key, scheme in (
            ("no header", None, "Bearer"),
            ("empty", "", "Bearer"),
            ("wrong key", wrong, "Bearer"),
            ("garbage", "nope", "Bearer"),
            ("non-ASCII", "\u00e9t\u00e9", "Bearer"),
            ("basic", "aGVsbG86d29ybGQ=", "Basic"),
        ):
            for url in (TELEPHONY, PLANNING):
                with self.subTest(label, url=url):
                    body = {"call_id": "hook-x", "caller": "016112233"}
                    response = self.post(url, body, key, scheme)
                    self.assertProblem(response, 401)
                    self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        self.assertFalse(self.contacts())

    def test_a_staff_session_without_key_is_refused_with_json(self):
        self.authenticate("hook.agent", "hook.agent")
        self.assertProblem(self.call(None), 401)
        # and a session of one user with the key of another
        self.assertProblem(self.call(self.key), 401)
        self.assertFalse(self.contacts())

    def test_a_revoked_key_is_refused(self):
        self.assertEqual(self.call(self.key, "hook-2").status_code, 201)
        self.system.with_user(self.admin).action_revoke_api_keys()
        self.assertProblem(self.call(self.key, "hook-3"), 401)
        self.assertEqual(self.system.with_user(self.admin).api_key_count, 0)
        # a new key works, the old one stays refused
        new_key = issued_key(self.system.with_user(self.admin))
        self.assertEqual(self.call(new_key, "hook-4").status_code, 201)
        self.assertProblem(self.call(self.key, "hook-5"), 401)

    def test_an_archived_system_is_refused(self):
        self.system.with_user(self.admin).active = False
        self.assertFalse(self.system.user_id.active)
        self.assertProblem(self.call(self.key), 401)
        self.system.with_user(self.admin).active = True
        self.assertEqual(self.call(self.key).status_code, 201)

    def test_a_deleted_system_is_refused(self):
        system = (
            self.env["kcc.telephony.system"]
            .with_user(self.admin)
            .create({"name": "Tijdelijk"})
        )
        key = issued_key(system)
        self.assertEqual(self.call(key, "hook-6").status_code, 201)
        user = system.user_id
        system.unlink()
        self.assertFalse(user.active)
        self.assertProblem(self.call(key, "hook-7"), 401)

    def test_the_administrator_issues_a_key_from_the_form(self):
        session = self.authenticate("hook.admin", "hook.admin")
        button = {
            "model": "kcc.telephony.system",
            "method": "action_new_api_key",
            "args": [[self.system.id]],
            "kwargs": {},
        }
        action = self.make_jsonrpc_request("/web/dataset/call_button", button)
        self.assertEqual(action["res_model"], "res.users.identitycheck")
        # as when he just confirmed his password
        session["identity-check-last"] = time.time()
        odoo_http.root.session_store.save(session)
        action = self.make_jsonrpc_request("/web/dataset/call_button", button)
        self.assertEqual(action["res_model"], "res.users.apikeys.show")
        key = action["context"]["default_key"]
        self.authenticate(None, None)  # the platform has no session
        self.assertEqual(self.call(key, "hook-form").status_code, 201)

    def test_only_an_administrator_issues_keys(self):
        with self.assertRaises(AccessError):
            issued_key(self.system.with_user(self.agent))
        with self.assertRaises(AccessError):
            issued_key(self.planning.with_user(self.agent))
        with self.assertRaises(AccessError):
            self.system.with_user(self.agent).action_revoke_api_keys()
        self.assertEqual(self.call(self.key).status_code, 201, "still valid")


@tagged("post_install", "-at_install")
class TestOutboxEndpoints(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = http.server.HTTPServer(("127.0.0.1", 0), _Receiver)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.base = f"http://127.0.0.1:{cls.server.server_port}"
        cls.admin = new_test_user(
            cls.env,
            "endpoint.admin",
            groups="base.group_user,leuven_kcc.group_kcc_admin",
        )
        cls.agent = new_test_user(
            cls.env,
            "endpoint.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.endpoint = cls.env.ref("leuven_kcc.kcc_outbox_endpoint_planning")
        cls.crews = cls.env["kcc.handler.group"].create(
            {"name": "Crews", "code": "T-ENDP"}
        )
        cls.category = cls.env["kcc.case.category"].create(
            {
                "name": "Pothole",
                "handler_group_id": cls.crews.id,
                "planning_system": True,
            }
        )
        cls.citizen = new_test_user(
            cls.env, "endpoint.citizen", groups="base.group_portal"
        )

    def setUp(self):
        super().setUp()
        _Receiver.received.clear()
        _Receiver.delay = 0

    def work_order(self):
        case = self.env["kcc.case"]._intake(
            {
                "subject": "Put in de Naamsestraat",
                "case_type": "report",
                "street": "Naamsestraat 1",
                "category_id": self.category.id,
                "partner_id": self.citizen.partner_id.id,
            },
            "report_form",
        )
        case.write({"state": "assigned"})
        message = self.env["kcc.outbox"].search([("res_id", "=", case.id)])
        self.assertEqual(message.endpoint_id, self.endpoint)
        return message

    def test_an_administrator_edits_the_endpoint(self):
        endpoint = self.endpoint.with_user(self.admin)
        endpoint.write(
            {"url": f"{self.base}/v2/orders", "auth_type": "basic", "username": "kcc"}
        )
        endpoint.password = "geheim"
        self.assertEqual(endpoint.read(["password"])[0]["password"], "geheim")

    def test_an_agent_reads_the_endpoint_but_not_its_secrets(self):
        self.endpoint.write({"auth_type": "bearer", "token": "out-secret"})
        endpoint = self.endpoint.with_user(self.agent)
        self.assertEqual(endpoint.read(["name"])[0]["name"], self.endpoint.name)
        for secret in ("token", "username", "password"):
            with self.subTest(secret), self.assertRaises(AccessError):
                endpoint.read([secret])
        with self.assertRaises(AccessError):
            endpoint.write({"url": "https://elsewhere.example/orders"})
        # and the web client's form does not send them either
        fields_ = endpoint.fields_get()
        self.assertNotIn("token", fields_)
        self.assertNotIn("password", fields_)

    def test_delivery_uses_the_endpoint_address_and_bearer_token(self):
        self.endpoint.write(
            {"url": f"{self.base}/orders", "auth_type": "bearer", "token": "out-1"}
        )
        message = self.work_order()
        # the administrator moves the service before the message goes out
        self.endpoint.with_user(self.admin).write(
            {"url": f"{self.base}/v2/orders", "token": "out-2"}
        )
        message._deliver()
        self.assertEqual(message.state, "sent")
        self.assertEqual(len(_Receiver.received), 1)
        path, authorization, order = _Receiver.received[0]
        self.assertEqual((path, authorization), ("/v2/orders", "Bearer out-2"))
        self.assertEqual(order["work_order_id"], message.key.split(":", 1)[1])

    def test_delivery_with_basic_authentication(self):
        self.endpoint.write(
            {
                "url": f"{self.base}/orders",
                "auth_type": "basic",
                "username": "kcc",
                "password": "pa:ss",
            }
        )
        message = self.work_order()
        message._deliver()
        self.assertEqual(message.state, "sent")
        # base64 of "kcc:pa:ss"
        self.assertEqual(_Receiver.received[0][1], "Basic a2NjOnBhOnNz")

    def test_delivery_without_authentication(self):
        self.endpoint.write(
            {"url": f"{self.base}/orders", "auth_type": "none", "token": "unused"}
        )
        message = self.work_order()
        message._deliver()
        self.assertEqual(message.state, "sent")
        self.assertIsNone(_Receiver.received[0][1])

    def test_delivery_waits_the_endpoint_read_timeout(self):
        self.endpoint.write({"url": f"{self.base}/slow", "read_timeout": 0.3})
        _Receiver.delay = 1.0
        message = self.work_order()
        message._deliver()
        self.assertEqual(
            (message.state, message.last_error), ("pending", "timeout"), "retried"
        )
        self.endpoint.read_timeout = 5
        message.next_attempt = "2000-01-01 00:00:00"
        message._deliver()
        self.assertEqual(message.state, "sent")

    def test_an_archived_endpoint_holds_its_messages_back(self):
        self.endpoint.write({"url": f"{self.base}/orders", "auth_type": "none"})
        message = self.work_order()
        self.endpoint.with_user(self.admin).active = False
        Outbox = self.env["kcc.outbox"]
        self.assertNotIn(message, Outbox.search(Outbox._due_domain()))
        self.endpoint.with_user(self.admin).active = True
        self.assertIn(message, Outbox.search(Outbox._due_domain()))
        message._deliver()
        self.assertEqual(message.state, "sent")

    def test_an_endpoint_without_address_fails_the_message(self):
        self.endpoint.url = False
        message = self.work_order()
        message._deliver()
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.last_error, "no endpoint configured")

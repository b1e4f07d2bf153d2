"""What every JSON API answers when its handler fails (``controllers/json_api``):
a problem details object, nothing kept of what the handler wrote, and for an
unexpected failure a 500 that names only a request id, logged once."""

import json
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

LOGGER = "odoo.addons.leuven_kcc.controllers.json_api"


@tagged("post_install", "-at_install")
class TestJsonApiFailures(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system = cls.env["kcc.telephony.system"].create({"name": "Centrale"})
        cls.key = cls.system._issue_api_key()["context"]["default_key"]
        cls.planning_key = cls.env.ref(
            "leuven_kcc.kcc_outbox_endpoint_planning"
        )._issue_api_key()["context"]["default_key"]

    def post(self, url, body, token):
        return self.url_open(
            url,
            data=json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
            },
        )

    def call(self):
        """The telephone platform announces a call, with its own API key."""
        return self.post(
            "/kcc/api/telephony/call",
            {"call_id": "c-json-1", "caller": "016112233"},
            self.key,
        )

    def failing(self, model, method, error):
        """Make ``model.method`` rename the telephone system (a write the
        request must not keep), then raise ``error``."""
        system_id = self.system.id

        def fail(records, *args, **kwargs):
            # in the request's own environment, as the handler would
            system = records.env["kcc.telephony.system"].sudo().browse(system_id)
            system.name = "Half done"
            raise error

        return patch.object(type(self.env[model]), method, fail)

    def assertNothingKept(self):
        self.env.invalidate_all()
        self.assertEqual(self.system.name, "Centrale", "the handler's write was kept")

    def assertProblem(self, response, status):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        problem = response.json()
        self.assertEqual(problem["status"], status)
        self.assertEqual(problem["type"], "about:blank")
        self.assertNotIn("Traceback", response.text)
        return problem

    def test_an_unexpected_failure_is_a_500_with_a_request_id_only(self):
        error = RuntimeError("connection to /var/lib/secret refused")
        with (
            self.failing("kcc.telephony.system", "_register_call", error),
            self.assertLogs(LOGGER, "ERROR") as logs,
        ):
            response = self.call()
        problem = self.assertProblem(response, 500)
        self.assertEqual(set(problem), {"type", "title", "status", "instance"}, problem)
        self.assertNotIn("secret", response.text)
        self.assertTrue(problem["instance"].startswith("urn:uuid:"))
        request_id = problem["instance"].removeprefix("urn:uuid:")
        self.assertEqual(len(logs.records), 1, "logged once")
        self.assertIn(request_id, logs.output[0])
        self.assertIn("/var/lib/secret", logs.output[0], "the log has the cause")
        self.assertNothingKept()

    def test_a_refused_request_keeps_nothing_of_what_the_handler_wrote(self):
        with self.failing("kcc.case", "_planning_status_update", LookupError()):
            response = self.post(
                "/kcc/api/planning/status",
                {"work_order_id": "WO-404", "status": "done"},
                self.planning_key,
            )
        self.assertEqual(self.assertProblem(response, 404)["detail"], "WO-404")
        self.assertNothingKept()

    def test_a_user_error_is_a_400_with_its_message(self):
        error = UserError("This call cannot be registered.")
        with self.failing("kcc.telephony.system", "_register_call", error):
            problem = self.assertProblem(self.call(), 400)
        self.assertEqual(problem["detail"], "This call cannot be registered.")
        self.assertNothingKept()

    def test_an_access_error_is_a_403_that_names_no_model(self):
        error = AccessError("You are not allowed to read KCC case (kcc.case) 7.")
        with self.failing("kcc.telephony.system", "_register_call", error):
            response = self.call()
        problem = self.assertProblem(response, 403)
        self.assertNotIn("detail", problem)
        self.assertNotIn("kcc.case", response.text)
        self.assertNothingKept()

import base64
import re
from unittest.mock import patch

from odoo.tests import tagged

from .common import KccCommon

# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
ROUTING_OR_DEADLINE = re.compile(r"handler_group_id|routing_|deadline")
INSERT_CASE = re.compile(r'^\s*INSERT INTO "kcc_case"\s')
UPDATE_CASE = re.compile(r'^\s*UPDATE "kcc_case"\s')


@tagged("post_install", "-at_install")
class TestIntakeService(KccCommon):
    """The website form taken in by the model, as the visitor who sent it:
    the controller only reads the request and renders the outcome."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.env.ref("base.public_user")
        cls.Submission = cls.env["kcc.web.submission"]

    def process(self, user, token, files=(), ip="10.11.12.13", **fields):
        post = {
            "form_kind": "contact",
            "submission_token": token,
            "subject": "Vraag over een formulier",
            "contact_email": "an@example.com",
            **fields,
        }
        return self.Submission.with_user(user)._process(
            post.get("form_kind"), post, list(files), ip
        )

    def test_public_visitor_gets_a_case_with_his_photo(self):
        outcome = self.process(self.public, "svc-1", files=[("put.png", PNG)])
        self.assertEqual(outcome["result"], "created")
        case = outcome["case"]
        self.assertEqual(case.idempotency_key, "web:svc-1")
        self.assertEqual(case.channel, "web_form")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(attachment.name, "put.png")
        self.assertEqual(attachment.mimetype, "image/png")
        submission = self.Submission.search([("case_id", "=", case.id)])
        self.assertEqual(submission.state, "accepted")

    def test_the_same_form_twice_gives_the_case_back(self):
        first = self.process(self.public, "svc-2")
        again = self.process(self.public, "svc-2")
        self.assertEqual(again["result"], "known")
        self.assertEqual(again["case"], first["case"])
        self.assertEqual(
            self.Case.search_count([("idempotency_key", "=", "web:svc-2")]), 1
        )

    def test_a_file_that_is_no_photo_is_refused_without_a_case(self):
        outcome = self.process(
            self.public, "svc-3", files=[("virus.png", b"MZ\x90\x00binary")]
        )
        self.assertEqual(outcome["result"], "refused")
        self.assertEqual(outcome["http_status"], 400)
        self.assertIn("virus.png", outcome["error"])
        self.assertFalse(self.Case.search([("idempotency_key", "=", "web:svc-3")]))
        self.assertEqual(
            self.Submission.search([("token", "=", "svc-3")]).state, "rejected"
        )

    def test_too_many_files_are_refused(self):
        outcome = self.process(
            self.public, "svc-4", files=[(f"{i}.png", PNG) for i in range(4)]
        )
        self.assertEqual(outcome["result"], "refused")
        self.assertFalse(self.Case.search([("idempotency_key", "=", "web:svc-4")]))

    def test_a_filled_honeypot_is_spam(self):
        outcome = self.process(self.public, "svc-5", kcc_website="http://spam")
        self.assertEqual(outcome["result"], "spam")
        self.assertFalse(self.Case.search([("idempotency_key", "=", "web:svc-5")]))
        submission = self.Submission.search([("token", "=", "svc-5")])
        self.assertEqual(submission.state, "spam")

    def test_logged_in_citizen_is_the_customer(self):
        outcome = self.process(
            self.citizen, "svc-6", contact_email="someone.else@example.com"
        )
        case = outcome["case"]
        self.assertEqual(case.partner_id, self.citizen.partner_id)
        self.assertFalse(case.contact_email)

    def test_web_intake_is_one_insert_without_routing_updates(self):
        statements = []
        cr = self.env.cr
        execute = cr.execute

        def recording(query, params=None, log_exceptions=True):
            statements.append(str(getattr(query, "code", query)))
            return execute(query, params, log_exceptions)

        self.env.flush_all()
        with patch.object(cr, "execute", side_effect=recording):
            outcome = self.process(
                self.public, "svc-7", category_id=str(self.category_roads.id)
            )
            self.env.flush_all()
        case = outcome["case"]
        self.assertEqual(outcome["result"], "created")
        self.assertTrue(case.handler_group_id)
        self.assertTrue(case.routing_reason)
        self.assertTrue(case.deadline)
        inserts = [s for s in statements if INSERT_CASE.match(s)]
        self.assertEqual(len(inserts), 1)
        updates = [
            s
            for s in statements
            if UPDATE_CASE.match(s) and ROUTING_OR_DEADLINE.search(s)
        ]
        self.assertEqual(updates, [])

    def test_a_case_given_a_group_keeps_it_as_manual_routing(self):
        case = self.Case.with_user(self.agent).create(
            {
                "subject": "Op de juiste dienst",
                "handler_group_id": self.group_waste.id,
                "category_id": self.category_roads.id,
            }
        )
        self.assertEqual(case.handler_group_id, self.group_waste)
        self.assertEqual(case.routing_reason, "manual")
        self.assertTrue(case.deadline)

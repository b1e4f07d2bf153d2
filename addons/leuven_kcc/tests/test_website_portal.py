import base64
import re
from datetime import timedelta

from odoo import fields, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestWebsiteForms(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["kcc.case"]
        cls.Submission = cls.env["kcc.web.submission"]
        cls.citizen = new_test_user(
            cls.env, "web.citizen", groups="base.group_portal", name="Lies Wouters"
        )
        cls.citizen.partner_id.email = "lies@example.com"
        cls.env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", "50")

    def submit(self, token="tok-1", files=None, **fields_):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        data = {
            "form_kind": "contact",
            "submission_token": token,
            "subject": "Wanneer is het recyclagepark open?",
            "contact_email": "anoniem@example.com",
            "csrf_token": http.Request.csrf_token(self),
            **fields_,
        }
        return self.url_open("/kcc/submit", data=data, files=files)

    def test_form_pages_render(self):
        for url in ("/kcc/contact", "/kcc/report"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn('name="submission_token"', response.text)
            self.assertIn('name="csrf_token"', response.text)
            self.assertIn('name="description"', response.text)

    def test_anonymous_question_lands_in_the_kcc(self):
        response = self.submit()
        self.assertEqual(response.status_code, 200)
        self.assertIn("/kcc/thanks/", response.url)
        case = self.Case.search([("idempotency_key", "=", "web:tok-1")])
        self.assertEqual(len(case), 1)
        self.assertIn(case.name, response.text)
        self.assertEqual(
            (case.channel, case.contact_email), ("web_form", "anoniem@example.com")
        )
        self.assertEqual(case.contact_ids.channel, "web_form")
        submission = self.Submission.search([("token", "=", "tok-1")])
        self.assertEqual((submission.state, submission.case_id), ("accepted", case))

    def test_resubmitted_form_gives_the_same_case(self):
        first = self.submit(token="tok-twice")
        second = self.submit(token="tok-twice")
        self.assertEqual(first.url, second.url)
        self.assertEqual(
            self.Case.search_count([("idempotency_key", "=", "web:tok-twice")]), 1
        )

    def test_bad_input_is_refused_and_kept(self):
        response = self.submit(token="tok-bad", subject="")
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_kcc_form_error", response.text)
        self.assertFalse(self.Case.search([("idempotency_key", "=", "web:tok-bad")]))
        submission = self.Submission.search([("token", "=", "tok-bad")])
        self.assertEqual(submission.state, "rejected")
        self.assertIn("anoniem@example.com", submission.payload)
        # the form comes back with what was typed
        self.assertIn("anoniem@example.com", response.text)

    def test_report_needs_a_location_and_accepts_photos(self):
        response = self.submit(token="tok-report", form_kind="report", subject="Put")
        self.assertEqual(response.status_code, 400)
        response = self.submit(
            token="tok-report2",
            form_kind="report",
            subject="Put in de weg",
            street="Naamsestraat 40",
            latitude="50.8770",
            longitude="4.7005",
            files=[("attachments", ("put.png", PNG, "image/png"))],
        )
        self.assertEqual(response.status_code, 200)
        case = self.Case.search([("idempotency_key", "=", "web:tok-report2")])
        self.assertEqual((case.case_type, case.channel), ("report", "report_form"))
        self.assertAlmostEqual(case.latitude, 50.877)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(attachment.mimetype, "image/png")

    def test_wrong_or_oversized_files_are_refused(self):
        response = self.submit(
            token="tok-exe",
            files=[("attachments", ("virus.png", b"MZ\x90\x00binary", "image/png"))],
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("virus.png", response.text)
        big = PNG + b"\x00" * (5 * 1024 * 1024)
        response = self.submit(
            token="tok-big", files=[("attachments", ("big.png", big, "image/png"))]
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.Case.search(
                [("idempotency_key", "in", ["web:tok-exe", "web:tok-big"])]
            )
        )

    def test_honeypot_and_rate_limit(self):
        response = self.submit(token="tok-spam", kcc_website="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.Case.search([("idempotency_key", "=", "web:tok-spam")]))
        self.assertEqual(
            self.Submission.search([("token", "=", "tok-spam")]).state, "spam"
        )
        self.env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", "2")
        statuses = [self.submit(token=f"tok-rate-{n}").status_code for n in range(2)]
        self.assertEqual(statuses[-1], 429)
        self.assertEqual(
            self.Submission.search([("token", "=", "tok-rate-1")]).state, "rejected"
        )

    def test_missing_csrf_token_is_refused(self):
        response = self.url_open(
            "/kcc/submit",
            data={
                "form_kind": "contact",
                "submission_token": "tok-csrf",
                "subject": "x",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Case.search([("idempotency_key", "=", "web:tok-csrf")]))

    def test_logged_in_citizen_gets_his_data_and_his_case(self):
        self.authenticate("web.citizen", "web.citizen")
        page = self.url_open("/kcc/contact")
        self.assertIn("Lies Wouters", page.text)
        self.submit(token="tok-portal", contact_email="")
        case = self.Case.search([("idempotency_key", "=", "web:tok-portal")])
        self.assertEqual(case.partner_id, self.citizen.partner_id)

    def test_thanks_page_needs_the_token(self):
        self.submit(token="tok-thanks")
        case = self.Case.search([("idempotency_key", "=", "web:tok-thanks")])
        self.assertEqual(self.url_open(f"/kcc/thanks/{case.id}").status_code, 404)
        self.assertEqual(
            self.url_open(f"/kcc/thanks/{case.id}?access_token=guess").status_code, 404
        )


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.citizen = new_test_user(cls.env, "portal.an", groups="base.group_portal")
        cls.other = new_test_user(cls.env, "portal.bert", groups="base.group_portal")
        Case = cls.env["kcc.case"]
        cls.mine = Case._intake(
            {
                "subject": "Mijn vraag over parkeren",
                "partner_id": cls.citizen.partner_id.id,
            },
            "portal",
        )
        cls.theirs = Case._intake(
            {"subject": "Vraag van Bert", "partner_id": cls.other.partner_id.id},
            "portal",
        )

    def answer(self, case):
        case.action_start()
        case.resolution = "<p>U kunt een bewonerskaart aanvragen.</p>"
        case.action_answer()

    def test_list_shows_only_my_cases(self):
        self.authenticate("portal.an", "portal.an")
        page = self.url_open("/my/cases?filterby=all")
        self.assertIn(self.mine.name, page.text)
        self.assertNotIn(self.theirs.name, page.text)
        home = self.url_open("/my")
        self.assertIn("/my/cases", home.text)

    def test_home_counts_what_the_list_shows(self):
        """The home page's count of cases is the number of cases the list
        behind it shows, closed ones included."""
        closed = self.env["kcc.case"]._intake(
            {"subject": "Afgehandelde vraag", "partner_id": self.citizen.partner_id.id},
            "portal",
        )
        self.answer(closed)
        closed.action_close()
        self.assertFalse(closed.is_open)
        self.authenticate("portal.an", "portal.an")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["kcc_case_count"]}
        )
        page = self.url_open("/my/cases")
        shown = [case for case in self.mine | closed if case.name in page.text]
        self.assertEqual(counters["kcc_case_count"], 2)
        self.assertEqual(len(shown), counters["kcc_case_count"])
        self.assertNotIn(self.theirs.name, page.text)
        # "Open" narrows the list to the open case
        page = self.url_open("/my/cases?filterby=open")
        self.assertIn(self.mine.name, page.text)
        self.assertNotIn(closed.name, page.text)

    def test_other_peoples_cases_are_out_of_reach(self):
        self.authenticate("portal.an", "portal.an")
        for url in (
            f"/my/cases/{self.theirs.id}",
            f"/my/cases/{self.theirs.id}?access_token=guessed",
            "/my/cases/999999",
        ):
            response = self.url_open(url)
            self.assertTrue(response.url.endswith("/my"), url)
            self.assertNotIn("Vraag van Bert", response.text)
        self.env["ir.attachment"].create(
            {
                "name": "foto.png",
                "raw": PNG,
                "res_model": "kcc.case",
                "res_id": self.mine.id,
            }
        )
        detail = self.url_open(f"/my/cases/{self.mine.id}")
        self.assertIn("Mijn vraag over parkeren", detail.text)
        self.assertIn("foto.png", detail.text)

    def test_anonymous_with_the_right_token(self):
        self.theirs._portal_ensure_token()
        ok = self.url_open(
            f"/my/cases/{self.theirs.id}?access_token={self.theirs.access_token}"
        )
        self.assertIn("Vraag van Bert", ok.text)

    def test_reply_lands_in_the_case_thread(self):
        self.authenticate("portal.an", "portal.an")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "kcc.case",
                "thread_id": self.mine.id,
                "post_data": {
                    "body": "Ik heb nog een vraag",
                    "message_type": "comment",
                },
            },
        )
        self.assertIn(
            "Ik heb nog een vraag", " ".join(self.mine.message_ids.mapped("body"))
        )
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "kcc.case",
                    "thread_id": self.theirs.id,
                    "post_data": {"body": "Inbraak", "message_type": "comment"},
                },
            )
        self.assertNotIn("Inbraak", " ".join(self.theirs.message_ids.mapped("body")))

    def _reopen(self, case, reason):
        return self.url_open(
            f"/my/cases/{case.id}/reopen",
            data={"reason": reason, "csrf_token": http.Request.csrf_token(self)},
        )

    def test_not_satisfied_reopens_with_a_reason(self):
        self.answer(self.mine)
        self.authenticate("portal.an", "portal.an")
        page = self.url_open(f"/my/cases/{self.mine.id}")
        self.assertIn("o_kcc_reopen_form", page.text)
        response = self._reopen(self.mine, "")
        self.assertIn("o_kcc_portal_error", response.text)
        self.assertEqual(self.mine.state, "answered")
        self._reopen(self.mine, "Ik woon buiten de zone")
        self.assertEqual(self.mine.state, "reopened")
        self.assertIn("buiten de zone", " ".join(self.mine.message_ids.mapped("body")))

    def test_reopen_too_late_and_not_for_others(self):
        self.answer(self.mine)
        self.answer(self.theirs)
        self.mine.date_answered = fields.Datetime.now() - timedelta(days=60)
        self.authenticate("portal.an", "portal.an")
        response = self._reopen(self.mine, "Toch niet")
        self.assertIn("o_kcc_portal_error", response.text)
        self.assertEqual(self.mine.state, "answered")
        self._reopen(self.theirs, "Ik ben Bert niet")
        self.assertEqual(self.theirs.state, "answered")
        self.assertTrue(re.search(r"\d", self.mine.name))

from odoo import http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestWebFormRateLimit(HttpCase):
    """A connection may send N forms an hour (``leuven_kcc.web_rate_limit``):
    the N-th is taken, the next one refused until the oldest is an hour old."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["kcc.case"]
        cls.Submission = cls.env["kcc.web.submission"]
        cls.env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", "3")

    def submit(self, token):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        return self.url_open(
            "/kcc/submit",
            data={
                "form_kind": "contact",
                "submission_token": token,
                "subject": "Wanneer is het recyclagepark open?",
                "contact_email": "anoniem@example.com",
                "csrf_token": http.Request.csrf_token(self),
            },
        )

    def age_submissions(self, minutes):
        """Move every form sent so far ``minutes`` into the past."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE kcc_web_submission"
            " SET create_date = create_date - make_interval(mins => %s)",
            [minutes],
        )
        self.env.invalidate_all()

    def setUp(self):
        super().setUp()
        self.age_submissions(24 * 60)  # whatever the database holds is old

    def case_of(self, token):
        return self.Case.search([("idempotency_key", "=", f"web:{token}")])

    def test_third_form_is_taken_fourth_refused_until_an_hour_passed(self):
        statuses = [self.submit(f"tok-rl-{n}").status_code for n in range(3)]
        self.assertEqual(statuses, [200, 200, 200])
        self.assertTrue(all(self.case_of(f"tok-rl-{n}") for n in range(3)))

        response = self.submit("tok-rl-3")
        self.assertEqual(response.status_code, 429)
        self.assertIn("o_kcc_form_error", response.text)
        self.assertFalse(self.case_of("tok-rl-3"))
        self.assertEqual(
            self.Submission.search([("token", "=", "tok-rl-3")]).state, "rejected"
        )

        # 59 minutes later the four forms (the refused one too) still count
        self.age_submissions(59)
        self.assertEqual(self.submit("tok-rl-4").status_code, 429)
        # an hour after the first ones, only the last refused form counts
        self.age_submissions(2)
        response = self.submit("tok-rl-5")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.case_of("tok-rl-5"))

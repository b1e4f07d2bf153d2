"""Refused website forms are kept small and never echoed; every channel caps
the size of what it stores (issue 17, leak 6)."""

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from leuven.kcc.inputs import INTAKE_TEXT_LIMITS

MEGABYTE = 1024 * 1024
MARKER = "SPAMMARKER"
# small enough to be a summary, far from the megabyte that was sent
SMALL = 4 * 1024


@tagged("post_install", "-at_install")
class TestRefusedSubmissions(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["kcc.case"]
        cls.Submission = cls.env["kcc.web.submission"]
        cls.citizen = new_test_user(
            cls.env, "refused.citizen", groups="base.group_portal", name="Tom Peeters"
        )
        cls.env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", "50")

    def submit(self, token, **fields_):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        data = {
            "form_kind": "contact",
            "submission_token": token,
            "subject": f"Vraag {MARKER}",
            "description": MARKER + "Z" * MEGABYTE,
            "contact_email": "anoniem@example.com",
            "csrf_token": http.Request.csrf_token(self),
            **fields_,
        }
        return self.url_open("/kcc/submit", data=data, timeout=60)

    def submission(self, token):
        submission = self.Submission.search([("token", "=", token)])
        self.assertEqual(len(submission), 1)
        return submission

    def assert_small_and_not_echoed(self, response, token):
        submission = self.submission(token)
        self.assertLess(len(submission.payload or ""), SMALL, "only a summary")
        self.assertNotIn("Z" * 1000, submission.payload)
        self.assertNotIn(MARKER, response.text, "the refused text is not echoed")
        self.assertLess(len(response.content), MEGABYTE // 4)
        self.assertFalse(self.Case.search([("idempotency_key", "=", f"web:{token}")]))
        return submission

    def test_honeypot_megabyte_is_not_stored_nor_echoed(self):
        response = self.submit("tok-spam-mb", kcc_website="http://spam.example")
        self.assertEqual(response.status_code, 200)
        submission = self.assert_small_and_not_echoed(response, "tok-spam-mb")
        self.assertEqual(submission.state, "spam")
        self.assertIn(str(MEGABYTE + len(MARKER)), submission.payload, "its size")

    def test_rate_limited_megabyte_is_not_stored_nor_echoed(self):
        self.env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", "0")
        response = self.submit("tok-rate-mb")
        self.assertEqual(response.status_code, 429)
        submission = self.assert_small_and_not_echoed(response, "tok-rate-mb")
        self.assertEqual(submission.state, "rejected")
        # the form comes back empty, with the message
        self.assertIn("o_kcc_form_error", response.text)
        self.assertNotIn("anoniem@example.com", response.text)

    def test_logged_in_citizen_spam_is_not_stored_nor_echoed(self):
        self.authenticate("refused.citizen", "refused.citizen")
        response = self.submit("tok-spam-citizen", kcc_website="x", contact_email="")
        self.assertEqual(response.status_code, 200)
        submission = self.assert_small_and_not_echoed(response, "tok-spam-citizen")
        self.assertEqual(submission.user_id, self.citizen)

    def test_expired_form_keeps_a_small_record(self):
        response = self.submit("")
        self.assertEqual(response.status_code, 400)
        submission = self.Submission.search(
            [("state", "=", "rejected"), ("token", "in", ("", False))],
            order="id desc",
            limit=1,
        )
        self.assertLess(len(submission.payload), SMALL)
        # the person's own text comes back to send again, capped
        self.assertNotIn("Z" * (INTAKE_TEXT_LIMITS["description"] + 1), response.text)

    def test_overlong_field_is_refused_capped_and_shown_in_dutch(self):
        response = self.submit("tok-long", description="Lang " + "Z" * 20_000)
        self.assertEqual(response.status_code, 400)
        at = response.text.find("o_kcc_form_error")
        self.assertIn("is te lang", response.text, response.text[at : at + 400])
        submission = self.submission("tok-long")
        self.assertEqual(submission.state, "rejected")
        self.assertLess(len(submission.payload), 12_000, "capped to the limits")
        self.assertIn("anoniem@example.com", submission.payload)
        self.assertNotIn("Z" * (INTAKE_TEXT_LIMITS["description"] + 1), response.text)
        self.assertFalse(self.Case.search([("idempotency_key", "=", "web:tok-long")]))

    def test_overlong_subject_is_refused(self):
        limit = INTAKE_TEXT_LIMITS["subject"]
        response = self.submit("tok-subject", subject="S" * (limit + 1), description="")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.Case.search([("idempotency_key", "=", "web:tok-subject")])
        )
        response = self.submit("tok-subject-ok", subject="S" * limit, description="x")
        self.assertEqual(response.status_code, 200)
        case = self.Case.search([("idempotency_key", "=", "web:tok-subject-ok")])
        self.assertEqual(len(case.subject), limit)
        submission = self.submission("tok-subject-ok")
        self.assertEqual(submission.state, "accepted")
        self.assertLess(len(submission.payload), SMALL)


@tagged("post_install", "-at_install")
class TestIntakeCaps(HttpCase):
    """Every channel refuses text over the limits, whoever brings it in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "caps.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.citizen = new_test_user(cls.env, "caps.citizen", groups="base.group_portal")
        cls.public = cls.env.ref("base.public_user")
        cls.users = {
            "web_form": cls.public,
            "report_form": cls.public,
            "assistant": cls.public,
            "portal": cls.citizen,
            "burgerprofiel": cls.citizen,
            "phone": cls.agent,
            "counter": cls.agent,
            "email": cls.agent,
            "letter": cls.agent,
            "api": cls.agent,
        }

    def values(self, **changes):
        values = {
            "subject": "Vraag",
            "case_type": "report",
            "street": "Naamsestraat 1",
            "contact_email": "iemand@example.com",
        }
        values.update(changes)
        return values

    def test_every_channel_caps_every_field(self):
        # the channels the other addons add are there when they are installed
        channels = self.env["kcc.case"]._fields["channel"].get_values(self.env)
        self.assertLessEqual(set(channels), set(self.users))
        for channel in channels:
            Case = self.env["kcc.case"].with_user(self.users[channel])
            for field, limit in INTAKE_TEXT_LIMITS.items():
                with self.subTest(channel=channel, field=field):
                    value = "1" * (limit + 1)
                    if field == "contact_email":
                        value = "a" * (limit - 11) + "@example.com"
                    key = f"caps:{channel}:{field}"
                    with self.assertRaises(UserError):
                        Case._intake(
                            self.values(**{field: value}), channel, idempotency_key=key
                        )
                    self.assertFalse(
                        self.env["kcc.case"].search([("idempotency_key", "=", key)])
                    )

    def test_text_at_the_limit_and_nul_bytes(self):
        Case = self.env["kcc.case"].with_user(self.agent)
        case = Case._intake(
            self.values(description="d" * INTAKE_TEXT_LIMITS["description"]), "phone"
        )
        self.assertEqual(
            len(case.sudo().description), INTAKE_TEXT_LIMITS["description"]
        )
        self.assertLess(len(case.sudo().raw_submission), 12_000)
        for field in ("subject", "description", "contact_name", "street"):
            with self.subTest(field=field), self.assertRaises(UserError):
                Case._intake(self.values(**{field: "a\x00b"}), "phone")
        for point in (("nan", "4.7"), (float("inf"), 4.7), (1e308, 4.7), (999, 4.7)):
            with self.subTest(point=point), self.assertRaises(UserError):
                Case._intake(
                    self.values(latitude=point[0], longitude=point[1]), "phone"
                )

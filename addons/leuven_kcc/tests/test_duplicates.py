from datetime import timedelta

from odoo import fields, http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDuplicateReports(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["kcc.case"]
        group = cls.env["kcc.handler.group"].create(
            {"name": "Licht", "code": "T-LICHT"}
        )
        cls.lighting = cls.env["kcc.case.category"].create(
            {"name": "Lamp", "handler_group_id": group.id}
        )
        cls.waste = cls.env["kcc.case.category"].create({"name": "Afval"})
        cls.known = cls.Case._intake(
            {
                "subject": "Lamp kapot aan de Vismarkt",
                "case_type": "report",
                "category_id": cls.lighting.id,
                "street": "Vismarkt 5",
                "postcode": "3000",
                "latitude": 50.88210,
                "longitude": 4.69890,
                "contact_email": "eerste@example.com",
            },
            "report_form",
        )

    def new_report(self, **values):
        base = {
            "subject": "Straatlamp brandt niet",
            "case_type": "report",
            "category_id": self.lighting.id,
            "street": "Vismarkt 7",
            "latitude": 50.88220,  # about 11 m away
            "longitude": 4.69895,
            "contact_email": "tweede@example.com",
        }
        base.update(values)
        return self.Case._intake(base, "phone")

    def test_agent_sees_the_known_report(self):
        case = self.new_report()
        self.assertEqual(case.possible_duplicate_ids, self.known)
        far = self.new_report(
            latitude=50.8790, longitude=4.7012, street="Grote Markt 9"
        )
        self.assertFalse(far.possible_duplicate_ids)
        other = self.new_report(category_id=self.waste.id)
        self.assertFalse(other.possible_duplicate_ids)
        by_address = self.new_report(
            latitude=0, longitude=0, street="vismarkt 5", postcode="3000"
        )
        self.assertIn(self.known, by_address.possible_duplicate_ids)

    def test_old_reports_are_not_proposed(self):
        self.known.date_received = fields.Datetime.now() - timedelta(days=40)
        self.assertFalse(self.new_report().possible_duplicate_ids)

    def post_report(self, **extra):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        data = {
            "form_kind": "report",
            "submission_token": extra.pop("token", "dup-1"),
            "subject": "Lamp stuk",
            "category_id": str(self.lighting.id),
            "street": "Vismarkt 6",
            "latitude": "50.88212",
            "longitude": "4.69893",
            "contact_email": "buur@example.com",
            "csrf_token": http.Request.csrf_token(self),
            **extra,
        }
        return self.url_open("/kcc/submit", data=data)

    def test_website_shows_the_known_report_and_follows_it(self):
        count = self.Case.search_count([])
        page = self.post_report()
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_kcc_duplicates", page.text)
        self.assertIn(self.known.name, page.text)
        self.assertNotIn("eerste@example.com", page.text, "no personal data of others")
        self.assertEqual(self.Case.search_count([]), count)
        followed = self.post_report(follow_case_id=str(self.known.id))
        self.assertIn(self.known.name, followed.text)
        self.assertEqual(self.Case.search_count([]), count)
        contact = self.known.contact_ids.filtered(
            lambda c: c.contact_email == "buur@example.com"
        )
        self.assertEqual(len(contact), 1)
        again = self.post_report(follow_case_id=str(self.known.id))
        self.assertIn(self.known.name, again.text)
        self.assertEqual(len(self.known.contact_ids), 2, "a replay logs nothing new")

    def test_citizen_may_still_send_a_new_report(self):
        response = self.post_report(token="dup-2", confirm_new="1")
        self.assertIn("/kcc/thanks/", response.url)
        self.assertTrue(self.Case.search([("idempotency_key", "=", "web:dup-2")]))

    def test_unrelated_case_id_cannot_be_followed(self):
        other = self.Case._intake(
            {"subject": "Geheim", "contact_email": "x@example.com"}, "web_form"
        )
        page = self.post_report(token="dup-3", follow_case_id=str(other.id))
        self.assertIn("o_kcc_duplicates", page.text)
        self.assertFalse(
            other.contact_ids.filtered(lambda c: c.contact_email == "buur@example.com")
        )

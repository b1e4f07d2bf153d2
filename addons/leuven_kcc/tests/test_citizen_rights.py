import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestCitizenRights(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dpo = new_test_user(
            cls.env, "rights.dpo", groups="base.group_user,leuven_kcc.group_kcc_dpo"
        )
        Partner = cls.env["res.partner"]
        cls.anna = Partner.create({"name": "Anna Aerts", "email": "anna@example.com"})
        cls.bart = Partner.create({"name": "Bart Bosmans", "email": "bart@example.com"})
        cls.anna_open = cls.make_case(
            cls, subject="Anna vraagt iets", partner_id=cls.anna.id
        )
        cls.anna_done = cls.make_case(
            cls, subject="Anna's oude klacht", partner_id=cls.anna.id
        )
        cls.anna_done.action_start()
        cls.anna_done.resolution = "<p>Opgelost voor Anna</p>"
        cls.anna_done.action_answer()
        cls.anna_done.action_close()
        cls.env["kcc.contact"].create(
            {"partner_id": cls.anna.id, "summary": "Anna belde over haar afval"}
        )
        cls.bart_case = cls.make_case(
            cls, subject="Bart zijn vraag", partner_id=cls.bart.id
        )
        cls.env["kcc.contact"].create(
            {"partner_id": cls.bart.id, "summary": "Bart belde"}
        )

    def test_the_export_holds_everything_of_the_person_and_nothing_else(self):
        data = self.anna.with_user(self.dpo)._kcc_export_personal_data()
        text = json.dumps(data, default=str)
        self.assertEqual(data["person"]["email"], "anna@example.com")
        self.assertEqual(
            {case["reference"] for case in data["cases"]},
            {self.anna_open.name, self.anna_done.name},
        )
        self.assertIn("Opgelost voor Anna", text)
        self.assertIn("Anna belde over haar afval", text)
        self.assertIn("identities", data)
        for other in ("Bart", "bart@example.com", self.bart_case.name):
            self.assertNotIn(other, text)
        log = self.env["kcc.audit.log"].search(
            [("action", "=", "personal_data_export")]
        )
        self.assertEqual((log.res_id, log.user_id), (self.anna.id, self.dpo))

    def test_the_export_reaches_what_the_erasure_reaches(self):
        """Cases and contacts registered without a customer but with her
        e-mail address, and the reports she followed, are hers too."""
        anonymous = self.make_case(
            subject="Anna's vraag zonder account", contact_email="ANNA@example.com"
        )
        lookalike = self.make_case(
            subject="Een ander adres", contact_email="anna@example.org"
        )
        self.env["kcc.contact"].create(
            {"contact_email": "anna@example.com", "summary": "Anna mailde anoniem"}
        )
        self.env["kcc.case.reporter"]._add_people(
            self.bart_case, [{"contact_email": "anna@example.com"}], "report_form"
        )
        data = self.anna.with_user(self.dpo)._kcc_export_personal_data()
        references = {case["reference"] for case in data["cases"]}
        self.assertIn(anonymous.name, references)
        self.assertNotIn(lookalike.name, references)
        self.assertIn("Anna mailde anoniem", json.dumps(data, default=str))
        self.assertEqual(
            [row["case"] for row in data["reported_again"]], [self.bart_case.name]
        )
        # only the reference of the case she followed, nothing of Bart
        self.assertNotIn("Bart zijn vraag", json.dumps(data, default=str))

    def test_agents_may_not_export_or_erase(self):
        with self.assertRaises(AccessError):
            self.anna.with_user(self.agent)._kcc_export_personal_data()
        with self.assertRaises(AccessError):
            self.anna.with_user(self.agent)._kcc_erase()

    def test_erasure_keeps_open_cases_and_says_why(self):
        report = self.anna.with_user(self.dpo)._kcc_erase()
        self.assertEqual(report["anonymised"], [self.anna_done.name])
        self.assertEqual([ref for ref, _why in report["kept"]], [self.anna_open.name])
        self.assertIn("open", report["kept"][0][1])
        self.assertTrue(report["person"])
        self.assertTrue(self.anna_done.anonymised_on)
        self.assertFalse(self.anna_done.partner_id)
        self.assertEqual(self.anna_open.partner_id, self.anna)
        self.assertEqual(self.anna.name, "Anna Aerts")
        self.assertFalse(
            self.env["kcc.contact"].search([("summary", "ilike", "Anna belde")])
        )
        # nothing of Bart was touched
        self.assertEqual(self.bart_case.partner_id, self.bart)
        self.assertEqual(self.bart.email, "bart@example.com")
        # once the last case is finished, the person goes too
        self.anna_open._cancel("Vraag ingetrokken")
        report = self.anna.with_user(self.dpo)._kcc_erase()
        self.assertFalse(report["kept"])
        self.assertFalse(report["person"])
        self.assertNotEqual(self.anna.name, "Anna Aerts")
        self.assertFalse(self.anna.email)
        self.assertFalse(self.anna.active)


@tagged("post_install", "-at_install")
class TestPersonalDataDownload(HttpCase):
    def test_the_dpo_downloads_a_json_file_an_agent_does_not(self):
        new_test_user(
            self.env, "dl.dpo", groups="base.group_user,leuven_kcc.group_kcc_dpo"
        )
        new_test_user(
            self.env, "dl.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        person = self.env["res.partner"].create({"name": "Chris Claes"})
        self.authenticate("dl.dpo", "dl.dpo")
        response = self.url_open(f"/kcc/privacy/export/{person.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertEqual(response.json()["person"]["name"], "Chris Claes")
        self.authenticate("dl.agent", "dl.agent")
        response = self.url_open(f"/kcc/privacy/export/{person.id}")
        self.assertNotEqual(response.status_code, 200)

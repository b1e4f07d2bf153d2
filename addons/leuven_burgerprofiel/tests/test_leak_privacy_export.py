import json

from odoo.tests import HttpCase, new_test_user, tagged

NUMBER = "85073003328"
MASKED = "85.07.30-xxx.xx"


@tagged("post_install", "-at_install")
class TestPrivacyExportNationalNumber(HttpCase):
    """Leak 5: the personal data export holds only what its caller may read;
    the national number only for the group "Read national numbers"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "export.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.privileged = new_test_user(
            cls.env,
            "export.privileged",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor,"
            "leuven_burgerprofiel.group_national_number",
        )
        cls.dpo = new_test_user(
            cls.env, "export.dpo", groups="base.group_user,leuven_kcc.group_kcc_dpo"
        )
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Ann Peeters",
                "email": "ann@example.com",
                "national_number": NUMBER,
            }
        )
        cls.env["kcc.case"]._intake(
            {"subject": "Vraag over mijn adres", "partner_id": cls.person.id},
            "phone",
        )

    def test_without_the_group_the_number_is_masked_and_named_withheld(self):
        for user in (self.supervisor, self.dpo):
            with self.subTest(user=user.login):
                data = self.person.with_user(user)._kcc_export_personal_data()
                self.assertNotIn(NUMBER, json.dumps(data, default=str))
                self.assertEqual(data["identities"]["national_number"], MASKED)
                self.assertTrue(data["withheld"])
                # the rest of the person's data is all there
                self.assertEqual(data["person"]["email"], "ann@example.com")
                self.assertEqual(len(data["cases"]), 1)

    def test_with_the_group_the_number_is_exported(self):
        data = self.person.with_user(self.privileged)._kcc_export_personal_data()
        self.assertEqual(data["identities"]["national_number"], NUMBER)
        self.assertNotIn("National", " ".join(data.get("withheld", [])))

    def test_over_http(self):
        url = f"/kcc/privacy/export/{self.person.id}"
        self.authenticate(self.supervisor.login, self.supervisor.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(NUMBER, response.text)
        self.assertEqual(response.json()["identities"]["national_number"], MASKED)
        self.authenticate(self.privileged.login, self.privileged.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["identities"]["national_number"], NUMBER)

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestPartnerIdentifiers(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "bp.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.privileged = new_test_user(
            cls.env,
            "bp.privileged",
            groups="base.group_user,leuven_kcc.group_kcc_agent,"
            "leuven_burgerprofiel.group_national_number,base.group_partner_manager",
        )
        cls.citizen = cls.env["res.partner"].create(
            {"name": "Jan Peeters", "national_number": "85.07.30-033.28"}
        )

    def test_national_number_is_normalized_and_masked(self):
        self.assertEqual(self.citizen.national_number, "85073003328")
        masked = self.citizen.with_user(self.agent).national_number_masked
        self.assertEqual(masked, "85.07.30-xxx.xx")

    def test_only_the_restricted_group_reads_the_national_number(self):
        with self.assertRaises(AccessError):
            self.citizen.with_user(self.agent).read(["national_number"])
        value = self.citizen.with_user(self.privileged).read(["national_number"])
        self.assertEqual(value[0]["national_number"], "85073003328")

    def test_no_other_way_to_the_national_number(self):
        """search_read, export, search and the form all refuse it to an agent."""
        self.agent.groups_id += self.env.ref("base.group_allow_export")
        Partner = self.env["res.partner"].with_user(self.agent)
        with self.assertRaises(AccessError):
            Partner.search_read([("id", "=", self.citizen.id)], ["national_number"])
        with self.assertRaises(AccessError):
            Partner.browse(self.citizen.id).export_data(["name", "national_number"])
        with self.assertRaises(AccessError):
            Partner.search([("national_number", "=", "85073003328")])
        with self.assertRaises(AccessError):
            Partner.browse(self.citizen.id).web_read({"national_number": {}})
        # what the agent's views read does not contain it
        values = Partner.browse(self.citizen.id).web_read(
            {"name": {}, "national_number_masked": {}}
        )[0]
        self.assertNotIn("85073003328", str(values))

    def test_invalid_identifiers_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "national number"):
            self.env["res.partner"].create(
                {"name": "Fout", "national_number": "85073003329"}
            )
        with self.assertRaisesRegex(ValidationError, "KBO"):
            self.env["res.partner"].create(
                {"name": "Firma", "is_company": True, "kbo_number": "0207.521.504"}
            )
        company = self.env["res.partner"].create(
            {"name": "Stad Leuven", "is_company": True, "kbo_number": "207521503"}
        )
        self.assertEqual(company.kbo_number, "0207.521.503")

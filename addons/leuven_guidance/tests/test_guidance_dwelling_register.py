from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.leuven_kcc.models import kcc_address_lookup as lookup

from leuven.testing.fake_address_register import FakeAddressRegister

from .common import GuidanceFixture


@tagged("post_install", "-at_install")
class TestGuidanceDwellingRegister(GuidanceFixture, TransactionCase):
    """The coach fills a dwelling's address in from the address register (a
    loopback stand-in with the register's format); a failing register
    leaves the dwelling as it was, with a note saying why."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()
        cls.fake = FakeAddressRegister()
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.env["ir.config_parameter"].set_param(
            lookup.REGISTER_URL_PARAM, cls.fake.base_url
        )
        cls.env["ir.config_parameter"].set_param(lookup.TIMEOUT_PARAM, "1")

    def test_the_coach_takes_the_address_from_the_register(self):
        self.rented.address_register_id = "200003"
        result = self.rented.with_user(self.coach).action_address_register_lookup()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self.rented.display_name, "Naamsestraat 40 box 3, 3000 Leuven")
        self.assertAlmostEqual(self.rented.latitude, 50.87512, places=4)

    def test_a_failing_register_leaves_the_dwelling_usable(self):
        self.rented.address_register_id = "200003"
        self.fake.fail_next = 5
        result = self.rented.with_user(self.coach).action_address_register_lookup()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertEqual(self.rented.street, "Tiensestraat")
        self.rented.invalidate_recordset(["message_ids"])
        self.assertIn("did not answer", self.rented.message_ids[0].body)
        self.rented.address_register_id = "999999"
        self.fake.fail_next = 0
        result = self.rented.with_user(self.coach).action_address_register_lookup()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertEqual(self.rented.street, "Tiensestraat")

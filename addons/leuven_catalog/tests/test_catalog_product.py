from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCatalogProduct(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "cat.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.product = cls.env["catalog.product"].create(
            {
                "name": "Identiteitskaart",
                "ipdc_id": "https://ipdc.vlaanderen.be/id/instantie/abc",
                "product_number": "1502",
            }
        )

    def test_ipdc_id_is_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["catalog.product"].create(
                    {"name": "Dubbel", "ipdc_id": self.product.ipdc_id}
                )

    def test_agent_links_a_case_to_a_product_but_cannot_edit_the_catalogue(self):
        case = (
            self.env["kcc.case"]
            .with_user(self.agent)
            .create({"subject": "Kaart verloren", "channel": "phone"})
        )
        case.catalog_product_id = self.product
        self.assertEqual(self.product.with_user(self.agent).case_ids, case)
        with self.assertRaises(AccessError):
            self.product.with_user(self.agent).write({"name": "Anders"})

import json

from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestProfileStatusProduct(TransactionCase):
    """The status on the citizen's profile names the product the case is
    about, when the catalogue knows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("leuven_burgerprofiel.dosis_enabled", "1")
        params.set_param("leuven_burgerprofiel.dosis_url", "http://127.0.0.1:9/dosis")
        cls.citizen = cls.env["res.partner"].create(
            {"name": "Ann Peeters", "national_number": "85073003328"}
        )

    def pushed_product(self, **values):
        case = self.env["kcc.case"]._intake(
            {"subject": "Bewonerskaart", "partner_id": self.citizen.id, **values},
            "web_form",
        )
        message = (
            self.env["kcc.outbox"]
            .sudo()
            .search([("res_model", "=", "kcc.case"), ("res_id", "=", case.id)])
        )
        self.assertEqual(message.target, "dosis")
        return json.loads(message.payload)["dossier"]["product"]

    def test_status_names_the_catalogue_product_of_the_case(self):
        self.assertIsNone(self.pushed_product())
        if "catalog.product" not in self.env:
            self.skipTest("the catalogue is not installed")
        product = self.env["catalog.product"].create(
            {
                "name": "Bewonersparkeerkaart",
                "ipdc_id": "urn:test:bewonerskaart",
                "is_published": True,
            }
        )
        self.assertEqual(
            self.pushed_product(catalog_product_id=product.id), "Bewonersparkeerkaart"
        )

import datetime as dt

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import EnergyFixture


@tagged("post_install", "-at_install")
class TestEnergyPartnerAccess(EnergyFixture, TransactionCase):
    """The dwelling's EPC is the data category "epc": a partner organisation
    reads it where the citizen granted that category, nowhere else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_energy()
        env = cls.env
        cls.trajectory.dwelling_ids = [(6, 0, (cls.owned | cls.rented).ids)]
        cls.owned.write({"epc_label": "C", "epc_score": 250.0})
        cls.rented.write({"epc_label": "F", "epc_score": 560.0})
        Partner = env["res.partner"]
        cls.auditor = Partner.create(
            {
                "name": "EPC-adviseur",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.contractor = Partner.create(
            {
                "name": "Aannemer Dakwerken",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.auditor_user = new_test_user(env, "e.auditor", groups="base.group_portal")
        cls.auditor_user.partner_id.parent_id = cls.auditor
        cls.contractor_user = new_test_user(
            env, "e.contractor", groups="base.group_portal"
        )
        cls.contractor_user.partner_id.parent_id = cls.contractor
        # the auditor: the EPC of the owned dwelling, the contact data of the
        # rented one; the contractor: the technical data, no EPC
        for organisation, codes, dwellings in (
            (cls.auditor, ["epc"], cls.owned),
            (cls.auditor, ["contact"], cls.rented),
            (cls.contractor, ["dwelling"], cls.owned | cls.rented),
        ):
            cls.grant(organisation, codes, dwellings)
        env.cr.precommit.run()

    @classmethod
    def grant(cls, organisation, codes, dwellings):
        categories = cls.env["guidance.data.category"].search([("code", "in", codes)])
        return (
            cls.env["kcc.consent"]
            .with_user(cls.coach)
            .create(
                {
                    "partner_id": cls.citizen.partner_id.id,
                    "organisation_id": organisation.id,
                    "trajectory_id": cls.trajectory.id,
                    "category_ids": [(6, 0, categories.ids)],
                    "dwelling_ids": [(6, 0, dwellings.ids)],
                    "valid_until": fields.Date.today() + dt.timedelta(days=30),
                    "purpose": "EPC-advies",
                }
            )
        )

    def test_the_epc_is_read_with_the_epc_category(self):
        owned = self.owned.with_user(self.auditor_user)
        self.assertEqual(
            owned.read(["epc_label", "epc_score"])[0],
            {"id": self.owned.id, "epc_label": "C", "epc_score": 250.0},
        )
        # the rented one: contact data only, its EPC is blank
        values = self.rented.with_user(self.auditor_user).read()[0]
        self.assertEqual(self.rented.epc_label, "F")
        self.assertIs(values["epc_label"], False)
        self.assertIs(values["epc_score"], False)
        self.assertEqual(values["street"], "Tiensestraat")
        # the contractor: technical data, never the EPC
        with self.assertRaises(AccessError):
            self.owned.with_user(self.contractor_user).read(["epc_label"])
        values = self.owned.with_user(self.contractor_user).read()[0]
        self.assertNotIn("epc_score", values)
        self.assertIn("heating_type", values)
        # each EPC read is logged for the citizen
        logs = self.env["guidance.access.log"].search(
            [("organisation_id", "=", self.auditor.id), ("category", "=", "epc")]
        )
        self.assertEqual(logs.dwelling_id, self.owned)

    def test_the_epc_of_another_dwelling_is_not_found(self):
        Dwelling = self.env["guidance.dwelling"].with_user(self.auditor_user)
        self.assertEqual(Dwelling.search([]), self.owned | self.rented)
        self.assertFalse(Dwelling.search([("epc_label", "=", "F")]))
        self.assertFalse(Dwelling.search([("epc_score", ">", 500)]))
        self.assertEqual(Dwelling.search([("epc_label", "!=", False)]), self.owned)
        groups = Dwelling.read_group([], ["epc_score:max"], ["epc_label"])
        self.assertEqual(
            [(g["epc_label"], g["epc_score"]) for g in groups], [("C", 250.0)]
        )

    def test_withdrawn_epc_grant(self):
        consent = self.env["kcc.consent"].search(
            [
                ("organisation_id", "=", self.auditor.id),
                ("dwelling_ids", "in", self.owned.ids),
            ]
        )
        owned = self.owned.with_user(self.auditor_user)
        self.assertEqual(owned.read(["epc_label"])[0]["epc_label"], "C")
        consent.with_user(self.coach).action_withdraw()
        with self.assertRaises(AccessError):
            owned.read(["epc_label"])

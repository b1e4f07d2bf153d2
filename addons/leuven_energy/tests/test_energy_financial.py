import datetime as dt

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from .common import EnergyFixture

FINANCIAL_FIELDS = ["income_category", "renovation_loan", "premium_application_ids"]


@tagged("post_install", "-at_install")
class TestEnergyFinancial(EnergyFixture, TransactionCase):
    """The financial data of an energy coaching (income category, renovation
    loan, premium applications): the coach keeps them; a partner
    organisation reads them only while the citizen grants it the financial
    category of the dwelling, and each read is logged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_energy()
        env = cls.env
        cls.trajectory.dwelling_ids = [(6, 0, (cls.owned | cls.rented).ids)]
        Partner = env["res.partner"]
        cls.energy_house = Partner.create(
            {
                "name": "Energiehuis Leuven",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.bank = Partner.create(
            {
                "name": "Kredietverlener",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.energy_user = new_test_user(
            env, "e.energy", groups="base.group_portal", name="Els Energiehuis"
        )
        cls.energy_user.partner_id.parent_id = cls.energy_house
        cls.bank_user = new_test_user(
            env, "e.bank", groups="base.group_portal", name="Bart Bank"
        )
        cls.bank_user.partner_id.parent_id = cls.bank
        # the coach fills in the financial data
        trajectory = cls.trajectory.with_user(cls.coach)
        trajectory.write({"income_category": "2", "renovation_loan": True})
        Application = env["energy.premium.application"].with_user(cls.coach)
        cls.roof = Application.create(
            {
                "trajectory_id": cls.trajectory.id,
                "dwelling_id": cls.owned.id,
                "name": "Mijn VerbouwPremie dakisolatie",
                "product_reference": "premium_roof_insulation",
                "amount_requested": 2400.0,
                "amount_granted": 1800.0,
                "state": "granted",
            }
        )
        cls.glazing = Application.create(
            {
                "trajectory_id": cls.trajectory.id,
                "dwelling_id": cls.rented.id,
                "name": "Mijn VerbouwPremie beglazing",
                "amount_requested": 900.0,
            }
        )
        cls.elsewhere = env["energy.premium.application"].create(
            {
                "trajectory_id": cls.other_trajectory.id,
                "name": "Premie van een ander",
                "amount_requested": 500.0,
            }
        )
        categories = env["guidance.data.category"]
        Consent = env["kcc.consent"].with_user(cls.coach)
        valid_until = fields.Date.today() + dt.timedelta(days=30)
        cls.bank_grant = Consent.create(
            {
                "partner_id": cls.citizen.partner_id.id,
                "organisation_id": cls.bank.id,
                "trajectory_id": cls.trajectory.id,
                "category_ids": [
                    (6, 0, categories.search([("code", "=", "financial")]).ids)
                ],
                "dwelling_ids": [(6, 0, cls.owned.ids)],
                "valid_until": valid_until,
                "purpose": "Renovatielening",
            }
        )
        Consent.create(
            {
                "partner_id": cls.citizen.partner_id.id,
                "organisation_id": cls.energy_house.id,
                "trajectory_id": cls.trajectory.id,
                "category_ids": [
                    (
                        6,
                        0,
                        categories.search([("code", "in", ["dwelling", "epc"])]).ids,
                    )
                ],
                "dwelling_ids": [(6, 0, (cls.owned | cls.rented).ids)],
                "valid_until": valid_until,
                "purpose": "Renovatieadvies",
            }
        )
        env.cr.precommit.run()

    def applications(self, user):
        return self.env["energy.premium.application"].with_user(user)

    def test_partner_with_the_financial_category_reads_them(self):
        values = self.trajectory.with_user(self.bank_user).read(FINANCIAL_FIELDS)[0]
        self.assertEqual(values["income_category"], "2")
        self.assertTrue(values["renovation_loan"])
        # the applications of the dwelling granted, not those of the other
        self.assertEqual(values["premium_application_ids"], self.roof.ids)
        self.assertEqual(self.applications(self.bank_user).search([]), self.roof)
        self.assertEqual(
            self.applications(self.bank_user).search_read(
                [], ["name", "amount_requested", "amount_granted", "state"]
            ),
            [
                {
                    "id": self.roof.id,
                    "name": "Mijn VerbouwPremie dakisolatie",
                    "amount_requested": 2400.0,
                    "amount_granted": 1800.0,
                    "state": "granted",
                }
            ],
        )
        with self.assertRaises(AccessError):
            self.glazing.with_user(self.bank_user).read(["name"])
        logs = self.env["guidance.access.log"].search(
            [("organisation_id", "=", self.bank.id)]
        )
        self.assertEqual(set(logs.mapped("category")), {"financial"})
        self.assertEqual(logs.dwelling_id, self.owned)

    def test_partner_without_it_gets_not_found_and_refused_fields(self):
        trajectory = self.trajectory.with_user(self.energy_user)
        self.assertEqual(trajectory.read(["name"])[0]["name"], self.trajectory.name)
        for name in FINANCIAL_FIELDS:
            with self.assertRaises(AccessError):
                trajectory.read([name])
        # reading "everything" leaves them out
        values = trajectory.read()[0]
        self.assertFalse(set(FINANCIAL_FIELDS) & set(values))
        self.assertFalse(self.applications(self.energy_user).search([]))
        for application in self.roof | self.glazing | self.elsewhere:
            with self.assertRaises(AccessError):
                application.with_user(self.energy_user).read(["name"])
        self.assertFalse(
            self.env["guidance.access.log"].search_count(
                [
                    ("organisation_id", "=", self.energy_house.id),
                    ("category", "=", "financial"),
                ]
            )
        )

    def test_withdrawal_ends_the_access_at_once(self):
        self.assertEqual(self.applications(self.bank_user).search([]), self.roof)
        self.bank_grant.with_user(self.coach).action_withdraw()
        self.assertFalse(self.applications(self.bank_user).search([]))
        with self.assertRaises(AccessError):
            self.roof.with_user(self.bank_user).read(["amount_granted"])

    def test_staff_keep_the_applications(self):
        self.assertEqual(
            self.trajectory.with_user(self.coach).premium_application_ids,
            self.glazing | self.roof,
        )
        with self.assertRaises(ValidationError):
            self.applications(self.coach).create(
                {
                    "trajectory_id": self.trajectory.id,
                    "dwelling_id": self.foreign.id,
                    "name": "Premie voor een andere woning",
                }
            )
        # the citizen and a KCC agent do not read them
        for user in (self.citizen, self.agent):
            with self.assertRaises(AccessError):
                self.roof.with_user(user).read(["name"])

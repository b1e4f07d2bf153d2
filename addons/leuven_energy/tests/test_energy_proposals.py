from odoo.tests import TransactionCase, tagged

from .common import EnergyFixture


@tagged("post_install", "-at_install")
class TestEnergyProposals(EnergyFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_energy()

    def test_roof_not_insulated_and_label_e(self):
        self.owned.write({"roof_insulation": "no", "epc_label": "E"})
        trajectory = self.trajectory.with_user(self.coach)
        rows = trajectory._energy_proposals()
        self.assertEqual(
            [(r["measure"], r["product"], r["reason"]) for r in rows],
            [
                (
                    "Roof insulation",
                    "premium_roof_insulation",
                    "The roof is not insulated.",
                ),
                (
                    "Renovation obligation",
                    "info_renovation_obligation",
                    "The EPC label is E or F.",
                ),
                ("Renovation loan", "loan_renovation", "The EPC label is E or F."),
            ],
        )
        self.assertIn("premium_roof_insulation", trajectory.proposals_html)

    def test_nothing_known_nothing_proposed(self):
        trajectory = self.trajectory.with_user(self.coach)
        self.assertEqual(trajectory._energy_proposals(), [])
        self.assertIn("No proposals", trajectory.proposals_html)

    def test_tenant_gets_the_landlord_information(self):
        self.rented.write({"roof_insulation": "no"})
        trajectory = self.env["guidance.trajectory"].create(
            {
                "type_id": self.type_energy.id,
                "partner_id": self.citizen.partner_id.id,
                "dwelling_ids": [(6, 0, self.rented.ids)],
            }
        )
        rows = trajectory.with_user(self.coach)._energy_proposals()
        self.assertEqual([r["product"] for r in rows], ["info_landlord_renovation"])

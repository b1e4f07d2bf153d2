from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tests.common import TransactionCase

from .common import GuidanceFixture


@tagged("post_install", "-at_install")
class TestGuidanceStart(GuidanceFixture, TransactionCase):
    """A KCC agent starts a trajectory from a case or from the customer's 360°."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()
        cls.case = cls.env["kcc.case"]._intake(
            {
                "subject": "Hoe isoleer ik mijn dak?",
                "partner_id": cls.citizen.partner_id.id,
            },
            "phone",
        )
        cls.env.cr.precommit.run()  # its acknowledgement, composed now

    def wizard_form(self, action):
        model = self.env[action["res_model"]].with_user(self.agent)
        return Form(model.with_context(**action["context"]))

    def test_agent_starts_a_trajectory_from_a_case(self):
        action = self.case.with_user(self.agent).action_guidance_start()
        form = self.wizard_form(action)
        form.type_id = self.type_general
        form.coach_id = self.coach
        form.dwelling_ids.add(self.owned)
        result = form.save().action_start()
        trajectory = self.env["guidance.trajectory"].browse(result["res_id"])
        self.assertEqual(trajectory.case_id, self.case)
        self.assertEqual(trajectory.partner_id, self.citizen.partner_id)
        self.assertEqual(trajectory.dwelling_ids, self.owned)
        self.assertEqual(trajectory.stage_id, self.stage_intake)
        self.assertEqual(trajectory.coach_id, self.coach)
        self.assertEqual(trajectory.create_uid, self.agent)
        self.assertEqual(self.case.guidance_trajectory_count, 1)
        self.assertIn(trajectory.name, self.case.message_ids[0].body)

    def test_wizard_offers_only_the_citizens_dwellings(self):
        action = self.case.with_user(self.agent).action_guidance_start()
        form = self.wizard_form(action)
        self.assertEqual(
            set(form.held_dwelling_ids.ids), set((self.owned | self.rented).ids)
        )
        wizard = (
            self.env["guidance.start.wizard"]
            .with_user(self.agent)
            .create(
                {
                    "partner_id": self.citizen.partner_id.id,
                    "type_id": self.type_general.id,
                    "dwelling_ids": [(6, 0, self.foreign.ids)],
                }
            )
        )
        with self.assertRaises(ValidationError):
            wizard.action_start()

    def test_agent_starts_from_the_360_with_a_new_address(self):
        partner = self.citizen.partner_id.with_user(self.agent)
        action = partner.action_guidance_start()
        form = self.wizard_form(action)
        form.type_id = self.type_general
        form.new_address = True
        form.street = "Bondgenotenlaan"
        form.house_number = "12"
        form.postcode = "3000"
        form.role = "tenant"
        result = form.save().action_start()
        trajectory = self.env["guidance.trajectory"].browse(result["res_id"])
        dwelling = trajectory.dwelling_ids
        self.assertEqual(dwelling.display_name, "Bondgenotenlaan 12, 3000 Leuven")
        self.assertEqual(dwelling.holder_ids.partner_id, self.citizen.partner_id)
        self.assertEqual(dwelling.holder_ids.role, "tenant")
        self.assertFalse(trajectory.case_id)
        # the 360° shows it, and his next trajectory finds the dwelling again
        partner.invalidate_recordset()
        self.assertIn(trajectory, partner.guidance_trajectory_ids)
        self.assertEqual(partner.guidance_dwelling_count, 3)
        action = partner.action_view_guidance_trajectories()
        self.assertEqual(
            self.env["guidance.trajectory"]
            .with_user(self.agent)
            .search(action["domain"]),
            self.trajectory | trajectory,
        )

    def test_a_case_without_customer_cannot_start_one(self):
        case = self.env["kcc.case"]._intake(
            {"subject": "Anoniem", "contact_email": "anon@example.com"}, "web_form"
        )
        self.env.cr.precommit.run()
        case.partner_id = False
        with self.assertRaises(UserError):
            case.with_user(self.agent).action_guidance_start()

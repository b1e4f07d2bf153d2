from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.leuven_kcc.models import kcc_address_lookup as lookup

from leuven.testing.fake_address_register import FakeAddressRegister

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


@tagged("post_install", "-at_install")
class TestGuidanceStartRegister(GuidanceFixture, TransactionCase):
    """The new address of the start wizard comes from the address register (a
    loopback stand-in in its format): the agent searches, picks a suggestion
    and, for a building with flats, the citizen's building unit; a dwelling
    the register already identifies is reused; a failing register leaves the
    address to type by hand."""

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

    def setUp(self):
        super().setUp()
        self.fake.fail_next = 0

    def wizard(self, user, role="owner"):
        partner = self.citizen.partner_id.with_user(user)
        action = partner.action_guidance_start()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        form.type_id = self.type_general
        form.new_address = True
        form.role = role
        return form.save()

    def search(self, wizard, text):
        wizard.address_search = text
        action = wizard.action_register_search()
        self.assertEqual(
            (action["res_model"], action["res_id"]), (wizard._name, wizard.id)
        )
        return wizard

    def started(self, wizard):
        result = wizard.action_start()
        return self.env["guidance.trajectory"].browse(result["res_id"])

    def test_agent_picks_an_address_from_the_suggestions(self):
        wizard = self.search(self.wizard(self.agent), "naamsestraat 40")
        self.assertEqual(
            wizard.suggestion_ids.mapped("label"),
            ["Naamsestraat 40, 3000 Leuven", "Naamsestraat 40 bus 3, 3000 Leuven"],
        )
        self.assertFalse(wizard.register_note)
        wizard.suggestion_ids[1].action_choose()
        self.assertTrue(wizard.from_register)
        self.assertFalse(wizard.suggestion_ids)
        # one current building unit (the other is retired): nothing to choose
        self.assertFalse(wizard.unit_line_ids)
        self.assertEqual(
            (wizard.street, wizard.house_number, wizard.box, wizard.postcode),
            ("Naamsestraat", "40", "3", "3000"),
        )
        dwelling = self.started(wizard).dwelling_ids
        self.assertEqual(dwelling.display_name, "Naamsestraat 40 box 3, 3000 Leuven")
        self.assertEqual(dwelling.address_register_id, "200003")
        self.assertFalse(dwelling.building_unit_id)
        self.assertAlmostEqual(dwelling.latitude, 50.87512, places=4)
        self.assertEqual(dwelling.holder_ids.partner_id, self.citizen.partner_id)

    def test_coach_chooses_the_building_unit_of_a_flat(self):
        wizard = self.search(self.wizard(self.coach, "tenant"), "Bondgenotenlaan 10")
        self.assertEqual(len(wizard.suggestion_ids), 1)
        wizard.suggestion_ids.action_choose()
        self.assertEqual(
            wizard.unit_line_ids.mapped("building_unit_id"), ["500004", "500005"]
        )
        with self.assertRaises(UserError):
            wizard.action_start()
        wizard.unit_line_ids.filtered(
            lambda line: line.building_unit_id == "500005"
        ).action_choose()
        trajectory = self.started(wizard)
        dwelling = trajectory.dwelling_ids
        self.assertEqual(
            (dwelling.address_register_id, dwelling.building_unit_id),
            ("200004", "500005"),
        )
        self.assertEqual(dwelling.holder_ids.role, "tenant")
        self.assertEqual(trajectory.create_uid, self.coach)

    def test_a_dwelling_the_register_identifies_is_reused(self):
        flat = self.env["guidance.dwelling"].create(
            {
                "street": "Bondgenotenlaan",
                "house_number": "10",
                "city": "Leuven",
                "address_register_id": "200004",
                "building_unit_id": "500004",
            }
        )
        self.env["guidance.dwelling.holder"].create(
            {"dwelling_id": flat.id, "partner_id": self.landlord.id, "role": "owner"}
        )
        count = self.env["guidance.dwelling"].search_count([])
        wizard = self.search(self.wizard(self.agent, "tenant"), "bondgenotenlaan 10")
        wizard.suggestion_ids.action_choose()
        wizard.unit_line_ids.filtered(
            lambda line: line.building_unit_id == "500004"
        ).action_choose()
        trajectory = self.started(wizard)
        self.assertEqual(trajectory.dwelling_ids, flat)
        self.assertEqual(self.env["guidance.dwelling"].search_count([]), count)
        self.assertEqual(
            {(h.partner_id, h.role) for h in flat.holder_ids},
            {(self.landlord, "owner"), (self.citizen.partner_id, "tenant")},
        )
        # the other flat of the same address is another dwelling
        wizard = self.search(self.wizard(self.agent), "bondgenotenlaan 10")
        wizard.suggestion_ids.action_choose()
        wizard.unit_line_ids.filtered(
            lambda line: line.building_unit_id == "500005"
        ).action_choose()
        other = self.started(wizard).dwelling_ids
        self.assertNotEqual(other, flat)
        self.assertEqual(other.building_unit_id, "500005")

    def test_a_failing_register_leaves_the_address_to_type_by_hand(self):
        self.fake.fail_next = 5
        wizard = self.search(self.wizard(self.agent), "Naamsestraat 40")
        self.assertFalse(wizard.suggestion_ids)
        self.assertIn("did not answer", wizard.register_note)
        self.assertFalse(wizard.from_register)
        wizard.write(
            {"street": "Naamsestraat", "house_number": "40", "postcode": "3000"}
        )
        dwelling = self.started(wizard).dwelling_ids
        self.assertEqual(dwelling.display_name, "Naamsestraat 40, 3000 Leuven")
        self.assertFalse(dwelling.address_register_id)

    def test_an_address_the_register_does_not_know(self):
        wizard = self.search(self.wizard(self.agent), "Onbestaandestraat 1")
        self.assertFalse(wizard.suggestion_ids)
        self.assertIn("knows no address", wizard.register_note)
        wizard = self.search(self.wizard(self.agent), "Grote Markt 9")
        self.fake.fail_next = 5  # the register fails between search and choice
        wizard.suggestion_ids.action_choose()
        self.assertFalse(wizard.from_register)
        self.assertIn("did not answer", wizard.register_note)

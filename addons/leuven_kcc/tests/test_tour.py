from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestKccTour(HttpCase):
    """An agent registers and transfers a case; the handler answers it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "leuven_kcc"], ["nl_BE"]
        )
        cls.agent = new_test_user(
            cls.env,
            "tour.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
            lang="nl_BE",
        )
        cls.handler = new_test_user(
            cls.env,
            "tour.handler",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
            lang="nl_BE",
        )
        cls.group = cls.env["kcc.handler.group"].create(
            {"name": "Tour Groen", "code": "TOUR", "member_ids": cls.handler.ids}
        )

    def test_agent_registers_and_transfers_then_handler_answers(self):
        self.start_tour("/odoo", "leuven_kcc_agent_tour", login="tour.agent")
        case = self.env["kcc.case"].search([("subject", "=", "Boom valt bijna om")])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.handler_group_id, self.group)
        self.assertEqual(case.transfer_ids.reason, "Openbaar groen, niet voor het KCC")
        self.assertEqual(case.transfer_ids.user_id, self.agent)

        self.start_tour("/odoo", "leuven_kcc_handler_tour", login="tour.handler")
        self.assertEqual(case.state, "answered")
        self.assertEqual(case.user_id, self.handler)
        self.assertIn("gesnoeid", case.resolution)
        self.assertTrue(case.message_ids.filtered(lambda m: "Tour Groen" in m.body))

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestChannelTours(HttpCase):
    """The paths people take through the website, the portal and the back office."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "portal", "website", "leuven_kcc"], ["nl_BE"]
        )
        cls.citizen = new_test_user(
            cls.env,
            "tour.citizen",
            groups="base.group_portal",
            lang="nl_BE",
            name="Tour Burger",
            email="tour.burger@example.com",
        )
        cls.agent = new_test_user(
            cls.env,
            "tour.phone",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
            lang="nl_BE",
        )
        cls.handler = new_test_user(
            cls.env,
            "tour.closer",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
            lang="nl_BE",
        )
        cls.group = cls.env["kcc.handler.group"].create(
            {"name": "Tour Burgerzaken", "code": "T-BZ", "member_ids": cls.handler.ids}
        )
        cls.Case = cls.env["kcc.case"]

    def test_citizen_reports_on_the_website_and_follows_it(self):
        self.start_tour(
            "/kcc/report", "leuven_kcc_citizen_report_tour", login="tour.citizen"
        )
        case = self.Case.search([("subject", "=", "Fietspad vol glas")])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.partner_id, self.citizen.partner_id)
        self.assertEqual((case.case_type, case.channel), ("report", "report_form"))

    def test_agent_answers_a_phone_call_in_first_line(self):
        caller = self.env["res.partner"].create(
            {"name": "Tour Beller", "phone": "016445566"}
        )
        self.Case._intake(
            {"subject": "Eerdere vraag over parkeren", "partner_id": caller.id},
            "web_form",
        )
        self.start_tour("/odoo", "leuven_kcc_agent_phone_tour", login="tour.phone")
        contact = self.env["kcc.contact"].search(
            [("partner_id", "=", caller.id), ("first_line_resolved", "=", True)]
        )
        self.assertEqual(len(contact), 1)
        self.assertEqual(contact.user_id, self.agent)
        self.assertIn("containerpark", contact.summary)

    def test_handler_closes_and_citizen_sees_it(self):
        case = self.Case._intake(
            {
                "subject": "Vraag over de bewonerskaart",
                "partner_id": self.citizen.partner_id.id,
            },
            "portal",
        )
        case.handler_group_id = self.group
        case.action_start()
        case.resolution = "<p>U kunt een bewonerskaart aanvragen aan het loket.</p>"
        case.action_answer()
        self.start_tour("/odoo", "leuven_kcc_handler_close_tour", login="tour.closer")
        self.assertEqual(case.state, "closed")
        self.start_tour(
            "/my/cases?filterby=all",
            "leuven_kcc_citizen_sees_closed_tour",
            login="tour.citizen",
        )

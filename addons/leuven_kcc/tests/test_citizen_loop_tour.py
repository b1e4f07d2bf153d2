from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCitizenLoopTour(HttpCase):
    """A handler waits on the citizen with a question, the citizen replies in
    the portal, the case is back in progress for the handler."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "portal", "website", "leuven_kcc"], ["nl_BE"]
        )
        cls.citizen = new_test_user(
            cls.env,
            "loop.tour.citizen",
            groups="base.group_portal",
            lang="nl_BE",
            name="Tour Wachter",
            email="tour.wachter@example.com",
        )
        cls.handler = new_test_user(
            cls.env,
            "loop.tour.handler",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
            lang="nl_BE",
        )
        group = cls.env["kcc.handler.group"].create(
            {"name": "Tour Wegen", "code": "T-LOOPW", "member_ids": cls.handler.ids}
        )
        cls.case = cls.env["kcc.case"]._intake(
            {"subject": "Put in de stoep", "partner_id": cls.citizen.partner_id.id},
            "portal",
        )
        cls.case.write({"handler_group_id": group.id, "user_id": cls.handler.id})
        cls.case.action_start()

    def test_wait_reply_resume(self):
        form = f"/odoo/action-leuven_kcc.kcc_case_action/{self.case.id}"
        self.start_tour(
            form, "leuven_kcc_handler_waits_tour", login="loop.tour.handler"
        )
        self.assertEqual(self.case.state, "waiting")
        self.start_tour(
            f"/my/cases/{self.case.id}",
            "leuven_kcc_citizen_replies_tour",
            login="loop.tour.citizen",
        )
        self.assertEqual(self.case.state, "in_progress")
        self.start_tour(
            form, "leuven_kcc_handler_sees_reply_tour", login="loop.tour.handler"
        )

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestAccess(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roads_case = cls.Case._intake(
            {
                "subject": "Put in de weg",
                "category_id": cls.category_roads.id,
                "partner_id": cls.citizen.partner_id.id,
            },
            "portal",
        )
        cls.waste_case = cls.Case._intake(
            {
                "subject": "Container vol",
                "contact_email": "x@example.com",
                "partner_id": cls.other_citizen.partner_id.id,
            },
            "web_form",
        )
        cls.waste_case.handler_group_id = cls.group_waste

    def visible(self, user):
        return self.Case.with_user(user).search([("id", "in", self.all_ids)])

    @property
    def all_ids(self):
        return (self.roads_case | self.waste_case).ids

    def test_agent_sees_and_writes_everything(self):
        self.assertEqual(self.visible(self.agent), self.roads_case | self.waste_case)
        self.waste_case.with_user(self.agent).write({"priority": "1"})

    def test_handler_sees_only_his_groups(self):
        self.assertEqual(self.visible(self.handler_roads), self.roads_case)
        self.assertEqual(self.visible(self.handler_waste), self.waste_case)
        with self.assertRaises(AccessError):
            self.waste_case.with_user(self.handler_roads).read(["subject"])
        with self.assertRaises(AccessError):
            self.waste_case.with_user(self.handler_roads).write({"priority": "1"})

    def test_portal_user_sees_only_his_own_cases(self):
        self.assertEqual(self.visible(self.citizen), self.roads_case)
        self.assertEqual(self.visible(self.other_citizen), self.waste_case)
        with self.assertRaises(AccessError):
            self.waste_case.with_user(self.citizen).read(["subject"])
        with self.assertRaises(AccessError):
            self.roads_case.with_user(self.citizen).write({"subject": "changed"})

    def test_raw_submission_hidden_from_handlers(self):
        with self.assertRaises(AccessError):
            self.roads_case.with_user(self.handler_roads).read(["submission_text"])
        with self.assertRaises(AccessError):
            self.roads_case.with_user(self.agent).read(["raw_submission"])
        self.assertTrue(self.roads_case.with_user(self.agent).submission_text)

    def _transfer(self, user, case, target, kind="transfer"):
        wizard = (
            self.env["kcc.case.transfer.wizard"]
            .with_user(user)
            .create(
                {
                    "case_id": case.id,
                    "kind": kind,
                    "to_group_id": target.id if target else False,
                    "reason": "Test move",
                }
            )
        )
        wizard.action_transfer()

    def test_transfer_by_kcc_moves_access_and_keeps_history(self):
        deadline = self.roads_case.deadline
        self._transfer(self.agent, self.roads_case, self.group_waste)
        self.assertEqual(self.roads_case.handler_group_id, self.group_waste)
        self.assertEqual(self.roads_case.deadline, deadline)
        transfer = self.roads_case.transfer_ids
        self.assertEqual(len(transfer), 1)
        self.assertEqual(
            (transfer.from_group_id, transfer.to_group_id, transfer.user_id),
            (self.group_roads, self.group_waste, self.agent),
        )
        self.assertIn(self.roads_case, self.visible(self.handler_waste))
        self.assertNotIn(self.roads_case, self.visible(self.handler_roads))

    def test_handler_cannot_transfer_but_can_hand_back(self):
        with self.assertRaisesRegex(UserError, "Only the KCC"):
            self._transfer(self.handler_roads, self.roads_case, self.group_waste)
        self._transfer(self.handler_roads, self.roads_case, None, kind="hand_back")
        self.assertEqual(self.roads_case.handler_group_id, self.kcc_queue)
        self.assertEqual(self.roads_case.transfer_ids.kind, "hand_back")

    def test_handler_cannot_transfer_a_case_of_another_group(self):
        with self.assertRaises(AccessError):
            self._transfer(self.handler_roads, self.waste_case, None, kind="hand_back")

    def test_kcc_pulls_back(self):
        self._transfer(self.agent, self.roads_case, None, kind="pull_back")
        self.assertEqual(self.roads_case.handler_group_id, self.kcc_queue)

import json

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KccCommon

SECRET = "Medewerker Vermeulen schold mij uit aan het loket."


@tagged("post_install", "-at_install")
class TestAgentHiddenText(KccCommon):
    """Leak 3: a KCC agent outside the need-to-know of a sensitive case gets
    its text through no field or model, and cannot unhide the case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "hidden.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.agent.groups_id += cls.env.ref("base.group_allow_export")
        # a group the agent belongs to: moving the case there would show it
        cls.group_front = cls.env["kcc.handler.group"].create(
            {"name": "Onthaal", "code": "T-FRONT", "member_ids": cls.agent.ids}
        )
        cls.case = cls.Case._intake(
            {
                "subject": "Klacht over een medewerker",
                "description": SECRET,
                "contact_email": "klager@example.com",
                "case_type": "complaint",
                "category_id": cls.category_roads.id,
            },
            "web_form",
            idempotency_key="web:hidden-token",
        )
        cls.case.sensitive = True
        cls.ordinary = cls.Case._intake(
            {
                "subject": "Vraag over de markt",
                "description": "Wanneer is de markt?",
                "contact_email": "vraag@example.com",
                "category_id": cls.category_roads.id,
            },
            "web_form",
        )
        Submission = cls.env["kcc.web.submission"]
        payload = json.dumps({"description": SECRET, "subject": "Klacht"})
        # the first attempt was refused, the second (same form) accepted
        cls.refused = Submission.create(
            {
                "token": "hidden-token",
                "form_kind": "contact",
                "payload": payload,
                "file_names": "bewijs-vermeulen.jpg",
                "state": "rejected",
            }
        )
        cls.submission = Submission.create(
            {
                "token": "hidden-token",
                "form_kind": "contact",
                "payload": payload,
                "file_names": "bewijs-vermeulen.jpg",
            }
        )
        cls.submission.write({"state": "accepted", "case_id": cls.case.id})
        cls.ordinary_submission = Submission.create(
            {
                "token": "ordinary-token",
                "form_kind": "contact",
                "payload": json.dumps({"description": "Wanneer is de markt?"}),
                "state": "accepted",
                "case_id": cls.ordinary.id,
            }
        )
        cls.lost = Submission.create(
            {
                "token": "lost-token",
                "form_kind": "report",
                "payload": json.dumps({"description": "Verloren melding"}),
                "state": "error",
            }
        )

    def logs(self, action, case):
        return self.env["kcc.audit.log"].search(
            [("action", "=", action), ("res_model", "=", "kcc.case"),
             ("res_id", "=", case.id)]
        )  # fmt: skip

    # ------------------------------------------------------------ raw submission

    def test_agent_reads_no_raw_submission_of_a_sensitive_case(self):
        case = self.case.with_user(self.agent)
        self.assertTrue(case.description_hidden)
        self.assertNotIn("Vermeulen", case.submission_text)
        row = case.read(["submission_text", "description"])[0]
        self.assertNotIn("Vermeulen", row["submission_text"])
        rows = case.search_read([("id", "=", case.id)], ["submission_text"])
        self.assertNotIn("Vermeulen", rows[0]["submission_text"])
        exported = case.export_data(["submission_text", "description"])["datas"]
        self.assertNotIn("Vermeulen", json.dumps(exported))
        # the stored column and the form's token are out of reach
        for fname in ("raw_submission", "idempotency_key"):
            with self.assertRaises(AccessError, msg=fname):
                case.read([fname])
        # the ordinary case shows its submission to the KCC
        self.assertIn("Wanneer", self.ordinary.with_user(self.agent).submission_text)

    def test_searching_the_raw_text_finds_nothing_hidden(self):
        Case = self.Case.with_user(self.agent)
        self.assertFalse(Case.search([("submission_text", "ilike", "Vermeulen")]))
        self.assertEqual(
            Case.search([("submission_text", "ilike", "Wanneer is de markt")]),
            self.ordinary,
        )
        with self.assertRaises(AccessError):
            Case.search([("raw_submission", "ilike", "Vermeulen")])
        with self.assertRaises(AccessError):
            Case.search([("idempotency_key", "=", "web:hidden-token")])

    def test_need_to_know_groups_read_the_raw_submission(self):
        # an agent who is a member of the case's group, and the supervisors
        self.group_roads.member_ids = [(4, self.agent.id)]
        for user in (self.agent, self.supervisor):
            case = self.case.with_user(user)
            self.assertIn("Vermeulen", case.submission_text)
            self.assertEqual(
                case.search([("submission_text", "ilike", "Vermeulen")]), self.case
            )
        # a department handler outside the KCC never had the raw submission
        with self.assertRaises(AccessError):
            self.case.with_user(self.handler_roads).read(["submission_text"])

    # ------------------------------------------------------------ web submissions

    def test_agent_gets_no_submission_of_a_sensitive_case(self):
        Submission = self.env["kcc.web.submission"].with_user(self.agent)
        visible = Submission.search([])
        self.assertNotIn(self.submission, visible)
        # the refused attempt of the same form went with the case
        self.assertEqual(self.refused.case_id, self.case)
        self.assertNotIn(self.refused, visible)
        # lost submissions stay recoverable, ordinary ones readable
        self.assertIn(self.lost, visible)
        self.assertIn(self.ordinary_submission, visible)
        self.assertFalse(Submission.search([("payload", "ilike", "Vermeulen")]))
        self.assertFalse(Submission.search([("file_names", "ilike", "vermeulen")]))
        groups = Submission.read_group(
            [("payload", "ilike", "Vermeulen")], ["state"], ["state"]
        )
        self.assertFalse(groups)
        for submission in (self.submission, self.refused):
            with self.assertRaises(AccessError):
                Submission.browse(submission.id).read(["payload", "file_names"])
        rows = Submission.search_read([], ["payload", "display_name"])
        self.assertNotIn("Vermeulen", json.dumps(rows))
        exported = visible.export_data(["payload", "file_names"])["datas"]
        self.assertNotIn("Vermeulen", json.dumps(exported))

    def test_no_one_reads_the_submission_token(self):
        for user in (self.agent, self.supervisor):
            Submission = self.env["kcc.web.submission"].with_user(user)
            with self.assertRaises(AccessError):
                Submission.browse(self.lost.id).read(["token"])
            with self.assertRaises(AccessError):
                Submission.search([("token", "=", "lost-token")])
            name = Submission.browse(self.lost.id).display_name
            self.assertNotIn("lost-token", name)

    def test_supervisor_sees_every_submission(self):
        Submission = self.env["kcc.web.submission"].with_user(self.supervisor)
        self.assertEqual(
            Submission.search([("payload", "ilike", "Vermeulen")]),
            self.refused | self.submission,
        )

    def test_the_handler_group_sees_its_cases_submissions_not_others(self):
        # a handler who is not of the KCC has no access to submissions at all
        with self.assertRaises(AccessError):
            self.env["kcc.web.submission"].with_user(self.handler_roads).search([])
        # an agent who is a member of the case's group may read it
        self.group_roads.member_ids = [(4, self.agent.id)]
        Submission = self.env["kcc.web.submission"].with_user(self.agent)
        self.assertIn(self.submission, Submission.search([]))

    # ------------------------------------------------------------ unhiding

    def test_agent_cannot_lift_the_sensitivity(self):
        with self.assertRaises(AccessError):
            self.case.with_user(self.agent).write({"sensitive": False})
        self.assertTrue(self.case.sensitive)
        self.assertFalse(self.logs("sensitivity", self.case))
        # the handler group may, and it is audited
        self.case.with_user(self.handler_roads).write({"sensitive": False})
        self.assertFalse(self.case.sensitive)
        log = self.logs("sensitivity", self.case)
        self.assertEqual(log.user_id, self.handler_roads)

    def test_agent_may_mark_a_case_sensitive(self):
        self.ordinary.with_user(self.agent).write({"sensitive": True})
        self.assertTrue(self.ordinary.sensitive)
        self.assertEqual(self.logs("sensitivity", self.ordinary).user_id, self.agent)
        self.assertTrue(self.ordinary.with_user(self.agent).description_hidden)

    def _transfer(self, user, case, group):
        wizard = (
            self.env["kcc.case.transfer.wizard"]
            .with_user(user)
            .create({"case_id": case.id, "to_group_id": group.id, "reason": "test"})
        )
        wizard.action_transfer()

    def test_agent_cannot_move_the_case_into_his_own_group(self):
        with self.assertRaises(AccessError):
            self._transfer(self.agent, self.case, self.group_front)
        with self.assertRaises(AccessError):
            self.case.with_user(self.agent).write(
                {"handler_group_id": self.group_front.id}
            )
        self.assertEqual(self.case.handler_group_id, self.group_roads)
        self.assertFalse(self.case.transfer_ids)
        self.assertNotIn("Vermeulen", self.case.with_user(self.agent).description)

    def test_agent_transfers_to_another_group_audited_and_still_hidden(self):
        self._transfer(self.agent, self.case, self.group_waste)
        self.assertEqual(self.case.handler_group_id, self.group_waste)
        self.assertEqual(self.logs("move_sensitive", self.case).user_id, self.agent)
        self.assertNotIn("Vermeulen", self.case.with_user(self.agent).description)
        # the new group has the need to know now
        self.assertEqual(self.case.with_user(self.handler_waste).description, SECRET)

    def test_supervisor_moves_the_case_anywhere(self):
        self.group_front.member_ids = [(4, self.supervisor.id)]
        self._transfer(self.supervisor, self.case, self.group_front)
        self.assertEqual(self.case.handler_group_id, self.group_front)
        self.assertTrue(self.logs("move_sensitive", self.case))

    def test_agent_registers_a_sensitive_case_for_his_own_group(self):
        # routing a new case is not a move by the agent: he typed the text
        category = self.env["kcc.case.category"].create(
            {"name": "Onthaal", "handler_group_id": self.group_front.id}
        )
        case = self.Case.with_user(self.agent).create(
            {
                "subject": "Klacht aan het loket",
                "sensitive": True,
                "category_id": category.id,
            }
        )
        self.assertEqual(case.handler_group_id, self.group_front)
        self.assertFalse(case.description_hidden)

    def test_a_move_into_a_confidential_category_is_audited(self):
        group_hr = self.env["kcc.handler.group"].create(
            {"name": "HR", "code": "T-HR9", "member_ids": self.handler_waste.ids}
        )
        secret = self.env["kcc.case.category"].create(
            {"name": "Personeel", "handler_group_id": group_hr.id, "confidential": True}
        )
        self.ordinary.with_user(self.agent).write({"category_id": secret.id})
        self.assertTrue(self.ordinary.is_confidential)
        self.assertEqual(
            self.logs("confidentiality", self.ordinary).user_id, self.agent
        )
        # the agent no longer reaches the case at all
        with self.assertRaises(AccessError):
            self.ordinary.with_user(self.agent).write(
                {"category_id": self.category_roads.id}
            )
        self.assertTrue(self.ordinary.is_confidential)

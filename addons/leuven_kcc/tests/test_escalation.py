from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestEscalation(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "test.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.leader = new_test_user(
            cls.env,
            "test.leader",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
        )
        cls.group_roads.leader_ids = cls.leader
        cls.env["ir.config_parameter"].set_param("leuven_kcc.reminder_days", "2")
        # cases that exist already (demo data) are not part of these scenarios
        cls.env["kcc.case"].search([]).write({"reminder_sent": True, "escalated": True})

    def run_cron_until_done(self, limit=None):
        rounds = 0
        while True:
            _done, remaining = self.Case._escalate_batch(limit=limit)
            rounds += 1
            if not remaining or rounds > 50:
                return rounds

    def activities_for(self, case, user):
        return case.activity_ids.filtered(lambda a: a.user_id == user)

    def test_reminder_then_escalation_each_sent_once(self):
        with freeze_time("2026-11-02 08:00:00"):  # Monday, deadline Monday 9/11
            case = self.make_case(category_id=self.category_roads.id)
            case.with_user(self.handler_roads).action_assign_to_me()
            self.run_cron_until_done()
            self.assertFalse(case.reminder_sent, "too early for a reminder")
        with freeze_time("2026-11-07 08:00:00"):
            self.run_cron_until_done()
            self.run_cron_until_done()
            self.assertTrue(case.reminder_sent)
            self.assertEqual(len(self.activities_for(case, self.handler_roads)), 1)
        with freeze_time("2026-11-10 08:00:00"):
            self.run_cron_until_done()
            self.run_cron_until_done()
            self.assertTrue(case.escalated)
            self.assertEqual(len(self.activities_for(case, self.leader)), 1)
            notes = case.message_ids.filtered(lambda m: "Escalation" in (m.body or ""))
            self.assertEqual(len(notes), 1)
            self.assertIn(self.supervisor.partner_id, notes.partner_ids)
            self.assertIn(self.leader.partner_id, notes.partner_ids)

    def test_waiting_and_closed_cases_are_left_alone(self):
        with freeze_time("2026-11-02 08:00:00"):
            waiting = self.make_case(category_id=self.category_roads.id)
            waiting._wait_on_customer("Welk huisnummer?")
            answered = self.make_case(category_id=self.category_roads.id)
            answered.action_start()
            answered.resolution = "<p>Klaar.</p>"
            answered.action_answer()
        with freeze_time("2026-11-20 08:00:00"):
            self.run_cron_until_done()
            self.assertFalse(waiting.escalated or answered.escalated)

    def test_batches_cover_every_due_case(self):
        with freeze_time("2026-11-02 08:00:00"):
            cases = self.Case.browse()
            for index in range(7):
                cases |= self.make_case(
                    category_id=self.category_roads.id, subject=f"Late {index}"
                )
        with freeze_time("2026-11-20 08:00:00"):
            done, remaining = self.Case._escalate_batch(limit=3)
            self.assertEqual((done, remaining), (3, 4))
            rounds = self.run_cron_until_done(limit=3)
            self.assertEqual(rounds, 2)
            self.assertTrue(all(cases.mapped("escalated")))

    def test_new_deadline_gets_a_new_reminder(self):
        with freeze_time("2026-11-06 08:00:00"):
            case = self.make_case(category_id=self.category_roads.id)
            case.deadline = "2026-11-07"
            self.run_cron_until_done()
            self.assertTrue(case.reminder_sent)
            case.deadline = "2026-11-20"
            self.assertFalse(case.reminder_sent)

    def test_one_email_per_recipient_per_batch(self):
        """Late cases of one cron batch reach a leader in one e-mail that lists
        them all; each case still gets its note and the leader's activity."""
        with freeze_time("2026-11-02 08:00:00"):
            cases = self.Case.browse()
            for index in range(3):
                cases |= self.make_case(
                    category_id=self.category_roads.id, subject=f"Late {index}"
                )
        with freeze_time("2026-11-20 08:00:00"):
            self.run_cron_until_done()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", self.leader.partner_id.ids)])
        )
        self.assertEqual(len(mails), 1)
        for case in cases:
            self.assertIn(case.name, mails.body_html)
            self.assertEqual(len(self.activities_for(case, self.leader)), 1)
            notes = case.message_ids.filtered(lambda m: "Escalation" in (m.body or ""))
            self.assertEqual(len(notes), 1)

    def test_inbox_users_get_notifications_not_emails(self):
        self.supervisor.notification_type = "inbox"
        with freeze_time("2026-11-02 08:00:00"):
            case = self.make_case(category_id=self.category_roads.id)
        with freeze_time("2026-11-20 08:00:00"):
            self.run_cron_until_done()
        note = case.message_ids.filtered(lambda m: "Escalation" in (m.body or ""))
        notification = note.notification_ids.filtered(
            lambda n: n.res_partner_id == self.supervisor.partner_id
        )
        self.assertEqual(notification.notification_type, "inbox")
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", self.supervisor.partner_id.ids)])
        )

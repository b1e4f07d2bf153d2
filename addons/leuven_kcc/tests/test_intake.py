from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestIntake(KccCommon):
    def setUp(self):
        super().setUp()
        # the acknowledgement job's queue holds only this test's cases
        self.Case.search([("ack_pending", "=", True)]).write({"ack_pending": False})

    def test_reference_from_sequence(self):
        case = self.make_case()
        self.assertRegex(case.name, r"^KCC/\d{4}/\d{6}$")
        self.assertEqual(case.state, "new")
        self.assertEqual(case.citizen_state, "received")

    def test_every_channel_is_accepted(self):
        channels = [value for value, _label in self.Case._fields["channel"].selection]
        for channel in channels:
            case = self.make_case(channel=channel, subject=f"via {channel}")
            self.assertEqual(case.channel, channel)

    def test_same_submission_twice_gives_one_case(self):
        first = self.Case._intake(
            {"subject": "Twice", "contact_email": "a@example.com"},
            "web_form",
            idempotency_key="form-123",
        )
        second = self.Case._intake(
            {"subject": "Twice", "contact_email": "a@example.com"},
            "web_form",
            idempotency_key="form-123",
        )
        self.assertEqual(first, second)
        self.assertEqual(self.Case.search_count([("subject", "=", "Twice")]), 1)

    def test_raw_submission_is_kept(self):
        case = self.make_case(subject="  Spaces around  ")
        self.assertEqual(case.subject, "Spaces around")
        self.assertIn("  Spaces around  ", case.raw_submission)

    def test_bad_input_is_refused_with_a_clear_message(self):
        with self.assertRaisesRegex(UserError, "subject"):
            self.make_case(subject="  ")
        with self.assertRaisesRegex(UserError, "category"):
            self.make_case(category_id=999999)
        with self.assertRaisesRegex(UserError, "e-mail"):
            self.make_case(contact_email="not-an-address")
        with self.assertRaisesRegex(UserError, "location"):
            self.make_case(case_type="report")
        with self.assertRaisesRegex(UserError, "channel"):
            self.make_case(channel="pigeon")
        with self.assertRaisesRegex(UserError, "e-mail address or phone"):
            self.make_case(contact_email=False)

    def test_routing_rule_precedence(self):
        Rule = self.env["kcc.routing.rule"]
        general = Rule.create(
            {
                "name": "All reports",
                "sequence": 50,
                "case_type": "report",
                "handler_group_id": self.group_roads.id,
            }
        )
        specific = Rule.create(
            {
                "name": "Waste reports",
                "sequence": 10,
                "case_type": "report",
                "keywords": "afval, sluikstort",
                "handler_group_id": self.group_waste.id,
            }
        )
        waste = self.make_case(
            case_type="report", subject="Sluikstort aan de hoek", street="Markt 1"
        )
        self.assertEqual(waste.handler_group_id, self.group_waste)
        self.assertEqual(waste.routing_rule_id, specific)
        other = self.make_case(
            case_type="report", subject="Boom omgevallen", street="Markt 1"
        )
        self.assertEqual(other.handler_group_id, self.group_roads)
        self.assertEqual(other.routing_rule_id, general)

    def test_category_default_then_kcc_queue(self):
        routed = self.make_case(category_id=self.category_roads.id)
        self.assertEqual(routed.handler_group_id, self.group_roads)
        self.assertEqual(routed.routing_reason, "category")
        unrouted = self.make_case(subject="Something else")
        self.assertEqual(unrouted.handler_group_id, self.kcc_queue)
        self.assertEqual(unrouted.routing_reason, "kcc")

    @freeze_time("2026-11-06 09:00:00")
    def test_deadline_in_working_days_skips_weekend_and_holiday(self):
        calendar = self.group_roads.resource_calendar_id
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Wapenstilstand",
                "calendar_id": calendar.id,
                "date_from": "2026-11-11 00:00:00",
                "date_to": "2026-11-11 23:59:59",
            }
        )
        case = self.make_case(category_id=self.category_roads.id)
        # Friday 6/11 + 5 working days, skipping the weekend and 11/11
        self.assertEqual(str(case.deadline), "2026-11-16")

    def test_acknowledgement_with_reference(self):
        """The customer's acknowledgement is posted by the scheduled job, not
        in the intake: the case waits for it, then carries the reference."""
        case = self.make_case()
        self.assertTrue(case.ack_pending)
        self.assertNotIn(case.name, " ".join(case.message_ids.mapped("body")))
        self.Case._cron_acknowledge()
        self.assertFalse(case.ack_pending)
        bodies = " ".join(case.message_ids.mapped("body"))
        self.assertIn(case.name, bodies)
        # a second run does not acknowledge the case again
        count = len(case.message_ids)
        self.Case._cron_acknowledge()
        self.assertEqual(len(case.message_ids), count)

    def test_acknowledgement_queued_and_queue_woken(self):
        """The acknowledgement e-mail is not sent inside the intake transaction:
        the job puts it in the mail queue, whose cron is triggered right away."""
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Mail = self.env["mail.mail"].sudo()
        case = self.make_case()
        domain = [("model", "=", "kcc.case"), ("res_id", "=", case.id)]
        self.assertFalse(Mail.search(domain))
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        self.Case._cron_acknowledge()
        mails = Mail.search(domain)
        self.assertEqual(mails.mapped("state"), ["outgoing"])
        self.assertIn(case.name, mails.subject)
        self.assertGreater(Trigger.search_count([("cron_id", "=", cron.id)]), before)

    def test_acknowledgements_in_batches(self):
        """Many new cases are acknowledged batch by batch, each once; a case
        without an e-mail address gets a note with its reference instead."""
        cases = self.Case.browse()
        for index in range(5):
            cases |= self.make_case(subject=f"Vraag {index}")
        silent = self.make_case(
            subject="Telefoon", contact_email=False, contact_phone="016 27 20 00"
        )
        done, remaining = self.Case._acknowledge_batch(limit=4)
        self.assertEqual((done, remaining), (4, 2))
        done, remaining = self.Case._acknowledge_batch(limit=4)
        self.assertEqual((done, remaining), (2, 0))
        self.assertFalse((cases | silent).filtered("ack_pending"))
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "kcc.case"), ("res_id", "in", cases.ids)])
        )
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(cases.ids))
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "kcc.case"), ("res_id", "=", silent.id)])
        )
        self.assertIn(silent.name, silent.message_ids[:1].body)


@tagged("post_install", "-at_install")
class TestRoutingTestWizard(KccCommon):
    def test_admin_sees_which_rule_wins(self):
        rule = self.env["kcc.routing.rule"].create(
            {
                "name": "Afval",
                "keywords": "sluikstort",
                "handler_group_id": self.group_waste.id,
            }
        )
        admin = self.env.ref("base.user_admin")
        test = (
            self.env["kcc.routing.test"]
            .with_user(admin)
            .create({"subject": "Sluikstort aan de Vaartkom"})
        )
        self.assertEqual(test.result_rule_id, rule)
        self.assertEqual(test.result_group_id, self.group_waste)
        test.subject = "Iets anders"
        self.assertEqual(test.result_group_id, self.kcc_queue)
        self.assertIn("KCC queue", test.result_explanation)

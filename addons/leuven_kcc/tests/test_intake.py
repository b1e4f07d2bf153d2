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

    def ack_mails(self, case):
        self.env.cr.flush()  # the acknowledgements are composed before the commit
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "kcc.case"), ("res_id", "=", case.id)])
        )

    def test_acknowledgement_queued_in_the_intake(self):
        """The case is only taken in with its acknowledgement: once the intake
        returns, the conversation holds it with the reference and one e-mail
        to the customer waits in the mail queue, whose job is woken."""
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        case = self.Case.with_user(self.agent)._intake(
            {"subject": "Vraag over parkeren", "contact_email": "an@example.com"},
            "phone",
        )
        mails = self.ack_mails(case)
        self.assertFalse(case.sudo().ack_pending)
        message = case.sudo().message_ids.filtered(
            lambda m: m.message_type == "comment" and case.name in m.body
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(mails.mapped("state"), ["outgoing"])
        self.assertEqual(mails.email_to, "an@example.com")
        self.assertIn(case.name, mails.subject)
        self.assertIn("Vraag over parkeren", mails.body_html)
        # the customer's link to his case carries its access token
        self.assertIn(
            f"/my/cases/{case.id}?access_token={case.sudo().access_token}",
            mails.body_html,
        )
        self.assertTrue(Trigger.search_count([("cron_id", "=", cron.id)]))
        # a second intake while the queue's job is already due wakes it once
        again = self.Case.with_user(self.agent)._intake(
            {"subject": "Nog een vraag", "contact_email": "an@example.com"}, "phone"
        )
        self.assertEqual(len(self.ack_mails(again)), 1)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)

    def test_acknowledgement_only_to_the_customer(self):
        """The agent who registers the call follows the case but does not get
        the customer's acknowledgement; the customer gets it once."""
        customer = self.citizen.partner_id
        customer.email = "citizen@example.com"
        case = self.Case.with_user(self.agent).with_context(tracking_disable=False)
        case = case._intake({"subject": "Afspraak", "partner_id": customer.id}, "phone")
        self.assertIn(self.agent.partner_id, case.sudo().message_partner_ids)
        self.assertIn(customer, case.sudo().message_partner_ids)
        mails = self.ack_mails(case)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, customer)
        self.assertFalse(mails.email_to)
        notification = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_mail_id", "=", mails.id)])
        )
        self.assertEqual(notification.res_partner_id, customer)
        self.assertEqual(notification.notification_status, "ready")

    def test_case_without_address_gets_a_note(self):
        case = self.make_case(
            subject="Telefoon", contact_email=False, contact_phone="016 27 20 00"
        )
        self.assertFalse(self.ack_mails(case))
        case.invalidate_recordset(["message_ids"])
        self.assertIn(case.name, case.message_ids[:1].body)
        self.assertTrue(case.message_ids[:1].is_internal)

    def test_broken_template_defers_the_acknowledgement(self):
        """A template an administrator broke does not lose the case: it is
        taken in and waits; the scheduled job acknowledges it, batch by batch,
        once the template works again."""
        # broken in the language the customers without one get: Dutch
        template = self.env.ref("leuven_kcc.kcc_case_mail_template_ack").with_context(
            lang="nl_BE"
        )
        body = template.body_html
        template.body_html = '<p t-out="object.no_such_field"/>'
        cases = self.make_case(subject="Eerste") | self.make_case(subject="Tweede")
        with self.assertLogs(
            "odoo.addons.leuven_kcc.models.kcc_case_acknowledgement", "ERROR"
        ):
            self.assertFalse(self.ack_mails(cases[0]))
        self.assertEqual(cases.mapped("ack_pending"), [True, True])
        template.body_html = body
        self.assertEqual(self.Case._acknowledge_batch(limit=1), (1, 1))
        self.assertEqual(self.Case._acknowledge_batch(limit=1), (1, 0))
        self.assertFalse(cases.filtered("ack_pending"))
        self.assertEqual(len(self.ack_mails(cases[0])), 1)
        self.assertEqual(len(self.ack_mails(cases[1])), 1)
        # a later run does not acknowledge them again
        self.Case._cron_acknowledge()
        self.assertEqual(len(self.ack_mails(cases[0])), 1)


@tagged("post_install", "-at_install")
class TestAcknowledgementLanguage(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(["leuven_kcc"], ["nl_BE"])

    def mail_of(self, case):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "kcc.case"), ("res_id", "=", case.id)])
        )

    def test_customer_without_language_gets_it_in_dutch(self):
        """Two customers without an account are taken in at the same moment,
        one in a Dutch context, one in an English one (an API client, a job):
        outside a website form the context's language is not the customer's,
        both get the acknowledgement in Dutch, the city's language."""
        dutch = self.Case.with_context(lang="nl_BE")._intake(
            {"subject": "Fietsenstalling", "contact_email": "fiets@example.com"},
            "web_form",
        )
        english = self.Case.with_context(lang="en_US")._intake(
            {"subject": "Bicycle shed", "contact_email": "bike@example.com"},
            "web_form",
        )
        self.assertFalse(self.mail_of(dutch))  # composed just before the commit
        self.env.cr.flush()
        mail = self.mail_of(dutch)
        self.assertIn("we hebben uw bericht ontvangen", mail.subject)
        self.assertIn("Uw referentie is", mail.body_html)
        self.assertIn("Volg uw dossier online", mail.body_html)
        self.assertNotIn("We received", mail.body_html)
        mail = self.mail_of(english)
        self.assertIn("we hebben uw bericht ontvangen", mail.subject)
        self.assertIn("Volg uw dossier online", mail.body_html)

    def test_customer_gets_it_in_his_language(self):
        customer = self.citizen.partner_id
        customer.write({"email": "citizen@example.com", "lang": "en_US"})
        dutch = self.other_citizen.partner_id
        dutch.write({"email": "other@example.com", "lang": "nl_BE"})
        Case = self.Case.with_context(lang="nl_BE")
        english = Case._intake({"subject": "A", "partner_id": customer.id}, "phone")
        flemish = Case._intake({"subject": "B", "partner_id": dutch.id}, "phone")
        self.env.cr.flush()
        Mail = self.env["mail.mail"].sudo()
        self.assertIn(
            "we received your message",
            Mail.search(
                [("res_id", "=", english.id), ("model", "=", "kcc.case")]
            ).subject,
        )
        self.assertIn(
            "we hebben uw bericht ontvangen",
            Mail.search(
                [("res_id", "=", flemish.id), ("model", "=", "kcc.case")]
            ).subject,
        )


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

from freezegun import freeze_time

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import KccCommon

MAIL = """Return-Path: <{email_from}>
To: {to}
From: {email_from}
Subject: {subject}
Message-ID: {msg_id}
In-Reply-To: {parent}
References: {parent}
Date: Wed, 25 Nov 2026 10:00:00 +0100
Content-Type: text/plain; charset=utf-8

{body}
"""


def bodies(case):
    return " ".join(case.sudo().message_ids.mapped("body"))


@tagged("post_install", "-at_install")
class TestWaitOnCustomer(KccCommon):
    """The handler asks the customer a question; his reply resumes the case."""

    def setUp(self):
        super().setUp()
        self.case = self.make_case(
            category_id=self.category_roads.id,
            partner_id=self.citizen.partner_id.id,
            contact_email=False,
        )
        self.mine = self.case.with_user(self.handler_roads)
        self.mine.action_assign_to_me()
        self.mine.action_start()

    def wait(self, case, question):
        action = case.action_wait()
        self.assertEqual(action["res_model"], "kcc.case.wait.wizard")
        wizard = (
            self.env[action["res_model"]]
            .with_user(case.env.user)
            .with_context(**action["context"])
            .create({"question": question})
        )
        return wizard.action_confirm()

    def test_waiting_sends_the_question_to_the_customer(self):
        with freeze_time("2026-11-02 10:00:00"):
            self.assertEqual(self.mine.action_wait()["target"], "new")
            self.assertEqual(self.case.state, "in_progress", "the button only asks")
            self.wait(self.mine, "Aan welk huisnummer ligt de put?")
        self.assertEqual(self.case.state, "waiting")
        self.assertTrue(self.case.deadline_paused_on)
        self.assertEqual(self.case.waiting_question, "Aan welk huisnummer ligt de put?")
        message = self.case.waiting_question_message_id
        self.assertIn("welk huisnummer", message.body)
        self.assertEqual(message.author_id, self.handler_roads.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.citizen.partner_id, message.partner_ids)
        # he gets it by e-mail
        self.assertIn(
            self.citizen.partner_id,
            message.notification_ids.filtered(
                lambda n: n.notification_type == "email"
            ).res_partner_id,
        )

    def test_no_waiting_without_a_question(self):
        with self.assertRaisesRegex(UserError, "question"):
            self.mine.write({"state": "waiting"})
        with self.assertRaisesRegex(UserError, "question"):
            self.mine._wait_on_customer("   ")
        self.assertEqual(self.case.state, "in_progress")

    def test_anonymous_customer_gets_the_question_at_his_address(self):
        case = self.make_case(
            category_id=self.category_roads.id, contact_email="anoniem@example.com"
        ).with_user(self.handler_roads)
        case.action_start()
        self.wait(case, "Hebt u een foto van de put?")
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", case.waiting_question_message_id.id)]
        )
        self.assertEqual(mail.email_to, "anoniem@example.com")
        self.assertIn("foto van de put", mail.body_html)
        self.assertIn("access_token=", mail.body_html)

    def test_the_customer_reads_it_in_dutch_whatever_the_handler_speaks(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        self.handler_roads.lang = "en_US"
        case = self.make_case(
            category_id=self.category_roads.id, contact_email="anoniem@example.com"
        ).with_user(self.handler_roads)
        case.action_start()
        self.wait(case, "Welke kleur heeft de paal?")
        message = case.waiting_question_message_id
        self.assertEqual(message.subject, f"{case.name}: een vraag over uw dossier")
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertIn("Uw dossier", mail.body_html)
        case.action_resume()
        case._cancel("Opgelost door de aannemer")
        told = case.message_ids.filtered(lambda m: "aannemer" in (m.body or ""))
        self.assertIn("Dossier geannuleerd", told.body)

    def test_portal_reply_resumes_and_tells_the_assignee(self):
        with freeze_time("2026-11-02 10:00:00"):  # Monday
            self.case.deadline = "2026-11-09"
            self.wait(self.mine, "Welk huisnummer?")
        with freeze_time("2026-11-05 10:00:00"):  # Thursday: 3 working days later
            self.case.with_user(self.citizen).sudo()._portal_reply(
                "Nummer 12", self.citizen
            )
        self.assertEqual(self.case.state, "in_progress")
        self.assertFalse(self.case.deadline_paused_on)
        # paused Monday to Wednesday: three working days later (11 November
        # is a holiday)
        self.assertEqual(str(self.case.deadline), "2026-11-13")
        reply = self.case.message_ids.filtered(lambda m: "Nummer 12" in m.body)
        self.assertEqual(reply.author_id, self.citizen.partner_id)
        activity = self.case.activity_ids.filtered(
            lambda a: a.user_id == self.handler_roads
        )
        self.assertEqual(activity.summary, "Reply from the customer")
        # the handler sees it among his activities
        self.assertIn(
            self.case,
            self.Case.with_user(self.handler_roads).search(
                [("activity_user_id", "=", self.handler_roads.id)]
            ),
        )

    def test_staff_messages_do_not_resume(self):
        self.wait(self.mine, "Welk huisnummer?")
        self.mine.message_post(
            body="Nog geen antwoord", subtype_xmlid="mail.mt_comment"
        )
        self.mine.message_post(body="Interne notitie", subtype_xmlid="mail.mt_note")
        self.assertEqual(self.case.state, "waiting")

    def test_unassigned_case_tells_the_group(self):
        case = self.make_case(
            category_id=self.category_roads.id, contact_email="anoniem@example.com"
        )
        case.with_user(self.handler_roads)._wait_on_customer("Welke straat?")
        case.sudo()._portal_reply("De Naamsestraat", self.env.ref("base.public_user"))
        self.assertEqual(case.state, "in_progress")
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "kcc.case"),
                ("res_id", "=", case.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertIn(self.handler_roads.partner_id, notice.partner_ids)

    def test_email_reply_resumes(self):
        self.wait(self.mine, "Welk huisnummer?")
        question = self.case.waiting_question_message_id
        self.citizen.partner_id.email = "burger@example.com"
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"].sudo().message_process(
                False,
                MAIL.format(
                    to="catchall@example.com",
                    email_from="burger@example.com",
                    subject="Re: vraag",
                    msg_id="<antwoord-1@example.com>",
                    parent=question.message_id,
                    body="Huisnummer 40",
                ),
            )
        self.assertIn("Huisnummer 40", bodies(self.case))
        self.assertEqual(self.case.state, "in_progress")


@tagged("post_install", "-at_install")
class TestCancelAndFinishedCases(KccCommon):
    def test_cancel_asks_a_reason_and_tells_the_customer(self):
        case = self.make_case(
            category_id=self.category_roads.id,
            partner_id=self.citizen.partner_id.id,
            contact_email=False,
        ).with_user(self.handler_roads)
        action = case.action_cancel()
        self.assertEqual(case.state, "new", "the button only asks")
        Wizard = self.env[action["res_model"]].with_user(self.handler_roads)
        with self.assertRaises(UserError):
            case.write({"state": "cancelled"})
        wizard = Wizard.with_context(**action["context"]).create(
            {"reason": "Dubbele melding"}
        )
        wizard.action_confirm()
        self.assertEqual(case.state, "cancelled")
        self.assertEqual(case.cancel_reason, "Dubbele melding")
        told = case.message_ids.filtered(lambda m: "Dubbele melding" in m.body)
        self.assertIn(self.citizen.partner_id, told.partner_ids)

    def test_email_on_a_finished_case_becomes_a_new_case(self):
        case = self.make_case(contact_email="burger@example.com")
        case._cancel("Ingetrokken")
        parent = case.message_ids.filtered("message_id")[:1].message_id
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"].sudo().message_process(
                False,
                MAIL.format(
                    to="catchall@example.com",
                    email_from="burger@example.com",
                    subject="Re: toch nog een vraag",
                    msg_id="<na-afsluiten@example.com>",
                    parent=parent,
                    body="Ik heb toch nog een vraag over mijn vergunning.",
                ),
            )
        self.assertIn("vergunning", bodies(case), "the e-mail is kept on the case")
        followup = self.Case.search([("followup_of_id", "=", case.id)])
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.state, "new")
        self.assertEqual(followup.contact_email, "burger@example.com")
        self.assertIn("vergunning", followup.sudo().description_text)
        self.assertIn(followup.name, bodies(case))
        self.assertEqual(case.state, "cancelled")

    def test_auto_reply_on_a_finished_case_makes_no_new_case(self):
        case = self.make_case(contact_email="burger@example.com")
        case._cancel("Ingetrokken")
        parent = case.message_ids.filtered("message_id")[:1].message_id
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"].sudo().message_process(
                False,
                MAIL.format(
                    to="catchall@example.com",
                    email_from="burger@example.com",
                    subject="Afwezig",
                    msg_id="<afwezig@example.com>",
                    parent=parent,
                    body="Ik ben afwezig.",
                ).replace("Date:", "Auto-Submitted: auto-replied\nDate:"),
            )
        self.assertFalse(self.Case.search([("followup_of_id", "=", case.id)]))


@tagged("post_install", "-at_install")
class TestDescriptionOrigin(KccCommon):
    def test_who_wrote_the_description(self):
        phone = self.make_case(channel="phone", description="Burger belt: put")
        web = self.make_case(channel="web_form", description="Er is een put")
        self.assertFalse(phone.description_by_customer)
        self.assertTrue(web.description_by_customer)
        back_office = self.Case.with_user(self.agent).create(
            {"subject": "Ingetypt", "channel": "email", "description": "Notitie"}
        )
        self.assertFalse(back_office.description_by_customer)
        # staff rewriting the customer's text makes it staff's
        web.with_user(self.agent).description = "Samengevat door het KCC"
        self.assertFalse(web.description_by_customer)


@tagged("post_install", "-at_install")
class TestCitizenPortalLoop(HttpCase):
    """The citizen's page: the question, his reply, the reason, the answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.citizen = new_test_user(
            cls.env, "loop.citizen", groups="base.group_portal", name="Lies Peeters"
        )
        cls.citizen.partner_id.email = "lies@example.com"
        cls.handler = new_test_user(
            cls.env,
            "loop.handler",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
        )
        cls.group = cls.env["kcc.handler.group"].create(
            {"name": "Loop", "code": "T-LOOP", "member_ids": cls.handler.ids}
        )
        cls.Case = cls.env["kcc.case"]

    def make_case(self, channel="portal", **values):
        values = {
            "subject": "Put in de stoep",
            "partner_id": self.citizen.partner_id.id,
            **values,
        }
        case = self.Case._intake(values, channel)
        case.handler_group_id = self.group
        return case.with_user(self.handler)

    def post(self, case, body, **kwargs):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "kcc.case",
                "thread_id": case.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                **kwargs,
            },
        )

    def test_waiting_page_shows_the_question_and_takes_the_reply(self):
        case = self.make_case()
        case.action_start()
        case._apply_deadline()
        case.deadline = "2020-01-01"  # long past: not promised while waiting
        case._wait_on_customer("Aan welk huisnummer ligt de put?")
        self.authenticate("loop.citizen", "loop.citizen")
        page = self.url_open(f"/my/cases/{case.id}")
        self.assertIn("o_kcc_waiting", page.text)
        self.assertIn("Aan welk huisnummer ligt de put?", page.text)
        self.assertIn("o_kcc_reply_form", page.text)
        self.assertIn("o_kcc_deadline_paused", page.text)
        self.assertNotIn("We answer by", page.text)
        self.url_open(
            f"/my/cases/{case.id}/reply",
            data={"body": "Nummer 12", "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(case.state, "in_progress")
        self.assertIn("Nummer 12", bodies(case))
        page = self.url_open(f"/my/cases/{case.id}")
        self.assertNotIn("o_kcc_reply_form", page.text)

    def test_chatter_reply_with_the_link_resumes(self):
        case = self.make_case(
            channel="web_form", partner_id=False, contact_email="anoniem@example.com"
        )
        case.action_start()
        case._wait_on_customer("Welke straat?")
        token = case.sudo().access_token
        self.post(case, "De Naamsestraat", token=token)
        self.assertEqual(case.state, "in_progress")
        self.assertIn("Naamsestraat", bodies(case))

    def test_staff_words_are_not_shown_as_his_message(self):
        phone = self.make_case(channel="phone", description="Burger belt: put")
        web = self.make_case(channel="web_form", description="Er is een put hier")
        self.authenticate("loop.citizen", "loop.citizen")
        page = self.url_open(f"/my/cases/{phone.id}")
        self.assertNotIn("Burger belt", page.text)
        self.assertNotIn("o_kcc_description", page.text)
        page = self.url_open(f"/my/cases/{web.id}")
        self.assertIn("Er is een put hier", page.text)

    def test_cancelled_case_shows_the_reason_and_takes_no_messages(self):
        case = self.make_case()
        case._cancel("U meldde dit al eerder")
        self.authenticate("loop.citizen", "loop.citizen")
        page = self.url_open(f"/my/cases/{case.id}")
        self.assertIn("o_kcc_cancel_reason", page.text)
        self.assertIn("U meldde dit al eerder", page.text)
        self.assertIn("o_kcc_closed_to_customer", page.text)
        self.assertIn('data-allow_composer="0"', page.text)
        count = len(case.sudo().message_ids)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.post(case, "Toch nog iets")
        self.authenticate(None, None)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.post(case, "Via de link", token=case.sudo().access_token)
        self.assertEqual(len(case.sudo().message_ids), count)

    def test_earlier_answer_stays_after_reopening(self):
        case = self.make_case()
        case.action_start()
        case.resolution = "<p>Eerste antwoord: de put wordt gevuld.</p>"
        case.action_answer()
        self.authenticate("loop.citizen", "loop.citizen")
        self.url_open(
            f"/my/cases/{case.id}/reopen",
            data={"reason": "Nog niet", "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(case.state, "reopened")
        page = self.url_open(f"/my/cases/{case.id}")
        self.assertIn("Eerste antwoord", page.text)
        case.action_start()
        case.resolution = "<p>Tweede antwoord: gevuld op maandag.</p>"
        case.action_answer()
        page = self.url_open(f"/my/cases/{case.id}")
        self.assertIn("Eerste antwoord", page.text)
        self.assertIn("Tweede antwoord", page.text)

    def test_empty_conversation_is_announced_in_dutch(self):
        """The portal's conversation box of a case without messages says so
        in Dutch (mail's scripts are translated on the website too)."""
        self.env["res.lang"]._activate_lang("nl_BE")
        self.env["ir.module.module"]._load_module_terms(["mail"], ["nl_BE"])
        self.authenticate(None, None)
        response = self.url_open("/website/translations/loop?lang=nl_BE")
        terms = {
            message["id"]: message["string"]
            for module in response.json()["modules"].values()
            for message in module["messages"]
        }
        self.assertEqual(
            terms.get("The conversation is empty."), "Het gesprek is leeg."
        )

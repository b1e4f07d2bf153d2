from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KccCommon

MAIL = """Return-Path: <{email_from}>
To: {to}
From: {email_from}
Subject: {subject}
Message-ID: {msg_id}
{extra}Date: Wed, 25 Nov 2026 10:00:00 +0100
Content-Type: text/plain; charset=utf-8

{body}
"""


@tagged("post_install", "-at_install")
class TestMailGateway(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {
                "name": "leuven.test",
                "bounce_alias": "bounce",
                "catchall_alias": "catchall",
                "default_from": "notifications",
            }
        )
        cls.group_roads.write(
            {"alias_name": "wegen", "alias_domain_id": cls.alias_domain.id}
        )

    def deliver(self, subject, email_from="Burger <burger@example.com>", **kwargs):
        message = MAIL.format(
            to=kwargs.pop("to", "wegen@leuven.test"),
            email_from=email_from,
            subject=subject,
            msg_id=kwargs.pop("msg_id", f"<{subject.replace(' ', '.')}@example.com>"),
            extra=kwargs.pop("extra", ""),
            body=kwargs.pop("body", "Er ligt een boom over het fietspad."),
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"].sudo().message_process(False, message)
        return self.Case.search([("subject", "=", subject)])

    def test_mail_to_the_alias_becomes_a_case_of_the_group(self):
        case = self.deliver("Boom op fietspad")
        self.assertEqual(len(case), 1)
        self.assertEqual(case.handler_group_id, self.group_roads)
        self.assertEqual(case.channel, "email")
        self.assertEqual(case.contact_email, "burger@example.com")
        self.assertIn("boom over het fietspad", case.description)
        self.assertRegex(case.name, r"^KCC/")

    def test_reply_lands_in_the_same_case(self):
        case = self.deliver("Vraag over parkeren")
        sent = case.message_ids.filtered("message_id")[:1]
        self.deliver(
            "Re: Vraag over parkeren",
            msg_id="<reply-1@example.com>",
            extra=f"In-Reply-To: {sent.message_id}\nReferences: {sent.message_id}\n",
            body="Bedankt, nog een extra vraag.",
        )
        self.assertFalse(
            self.Case.search([("subject", "=", "Re: Vraag over parkeren")])
        )
        self.assertIn("nog een extra vraag", " ".join(case.message_ids.mapped("body")))

    def test_auto_reply_makes_no_case(self):
        case = self.deliver(
            "Afwezigheidsbericht", extra="Auto-Submitted: auto-replied\n"
        )
        self.assertFalse(case)
        bulk = self.deliver("Nieuwsbrief", extra="Precedence: bulk\n")
        self.assertFalse(bulk)

    def test_mail_without_sender_is_kept_with_a_visible_note(self):
        case = self.deliver("Zonder afzender", email_from="")
        self.assertEqual(len(case), 1)
        self.assertIn("no usable sender", " ".join(case.message_ids.mapped("body")))

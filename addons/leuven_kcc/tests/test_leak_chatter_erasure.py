"""Issue 17, leak 9: the chatter of a sensitive case is need-to-know, and the
erasure of a person reaches what was registered with his e-mail address."""

import base64
import json

from markupsafe import Markup

from odoo.tests import HttpCase, new_test_user, tagged

from .common import KccCommon
from .test_consent import ConsentCommon

SECRET = "De wegenwerker schold mij uit"


def post_secret(case):
    """The customer's e-mail with a photo, and a reply of the handler group."""
    case.message_post(
        body=Markup(f"<p>{SECRET} aan de Naamsestraat.</p>"),
        message_type="email",
        subtype_xmlid="mail.mt_comment",
        author_id=case.partner_id.id,
        attachments=[("bewijs-schelden.txt", b"opname")],
    )
    case.message_post(
        body=Markup("<p>Wij spreken de wegenwerker aan over het schelden.</p>"),
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )


@tagged("post_install", "-at_install")
class TestSensitiveChatter(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "chat.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Kim Klager", "email": "kim@example.com"}
        )
        cls.case = cls.make_case(
            cls,
            subject="Klacht over een wegenwerker",
            partner_id=cls.customer.id,
            case_type="complaint",
            category_id=cls.category_roads.id,
        )
        cls.case.sensitive = True
        post_secret(cls.case)
        cls.messages = cls.case.message_ids.filtered("body")

    def read_as(self, user):
        Message = self.env["mail.message"].with_user(user)
        return {
            "message_ids.read": self.case.with_user(user).message_ids.read(
                ["body", "preview", "attachment_ids"]
            ),
            "search_read": Message.search_read(
                [("model", "=", "kcc.case"), ("res_id", "=", self.case.id)],
                ["body", "preview", "attachment_ids"],
            ),
            "web_read": Message.browse(self.messages.ids).web_read(
                {"body": {}, "attachment_ids": {}}
            ),
        }

    def test_an_agent_and_another_groups_handler_read_the_chatter_masked(self):
        # a handler of another group reads the case he is assigned to
        self.case.user_id = self.handler_waste
        for user in (self.agent, self.handler_waste):
            self.assertTrue(self.case.with_user(user).has_access("read"))
            for path, rows in self.read_as(user).items():
                with self.subTest(user=user.login, path=path):
                    rows = [row for row in rows if row["id"] in self.messages.ids]
                    self.assertEqual(len(rows), len(self.messages))
                    text = json.dumps(rows)
                    self.assertNotIn("schold", text)
                    self.assertNotIn("schelden", text)
                    self.assertIn("sensitive case", text)
                    self.assertFalse(any(row["attachment_ids"] for row in rows))

    def test_what_an_agent_wrote_himself_stays_readable(self):
        self.case.with_user(self.agent).message_post(
            body=Markup("<p>Doorverbonden met de dienst wegen.</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        rows = self.case.with_user(self.agent).message_ids.read(["body"])
        self.assertIn("Doorverbonden", json.dumps(rows))
        self.assertNotIn("schold", json.dumps(rows))

    def test_followers_outside_the_need_to_know_get_no_copy(self):
        followers = self.agent.partner_id | self.handler_roads.partner_id
        self.case.message_subscribe(partner_ids=followers.ids)
        message = self.case.message_post(
            body=Markup("<p>Hij schold opnieuw.</p>"),
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            author_id=self.customer.id,
        )
        notified = message.notification_ids.res_partner_id
        self.assertIn(self.handler_roads.partner_id, notified)
        self.assertNotIn(self.agent.partner_id, notified)
        # what is addressed to him reaches him
        message = self.case.message_post(
            body=Markup("<p>Kan jij de klager terugbellen?</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.agent.partner_id.ids,
        )
        self.assertIn(self.agent.partner_id, message.notification_ids.res_partner_id)

    def test_searching_the_text_of_masked_messages_finds_nothing(self):
        """No guessing the words of a masked message by searching for them."""
        domain = [("model", "=", "kcc.case"), ("body", "ilike", "schold")]
        Message = self.env["mail.message"]
        self.assertTrue(Message.with_user(self.handler_roads).search(domain))
        self.assertTrue(Message.with_user(self.supervisor).search_count(domain))
        # a handler of another group reads the case he is assigned to
        self.case.user_id = self.handler_waste
        for user in (self.agent, self.handler_waste):
            with self.subTest(user=user.login):
                self.assertTrue(self.case.with_user(user).has_access("read"))
                self.assertFalse(Message.with_user(user).search(domain))
                self.assertFalse(Message.with_user(user).search_count(domain))
        # his own messages stay searchable
        self.case.with_user(self.agent).message_post(
            body=Markup("<p>Teruggebeld over het schold-incident.</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertEqual(len(Message.with_user(self.agent).search(domain)), 1)

    def test_the_need_to_know_groups_read_it_all(self):
        for user in (self.handler_roads, self.supervisor):
            with self.subTest(user=user.login):
                for path, rows in self.read_as(user).items():
                    rows = [row for row in rows if row["id"] in self.messages.ids]
                    self.assertIn(SECRET, json.dumps(rows), path)
                    self.assertTrue(any(row["attachment_ids"] for row in rows), path)

    def test_an_ordinary_case_is_not_masked(self):
        self.case.sensitive = False
        rows = self.case.with_user(self.agent).message_ids.read(["body"])
        self.assertIn(SECRET, json.dumps(rows))


@tagged("post_install", "-at_install")
class TestSensitiveChatterWebClient(HttpCase):
    """The web client's chatter routes, as an agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env, "chat.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        handler = new_test_user(
            cls.env,
            "chat.roads",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
        )
        group = cls.env["kcc.handler.group"].create(
            {"name": "Wegen (test)", "code": "T-CHAT", "member_ids": handler.ids}
        )
        customer = cls.env["res.partner"].create(
            {"name": "Kim Klager", "email": "kim@example.com"}
        )
        cls.case = cls.env["kcc.case"]._intake(
            {
                "subject": "Klacht over een wegenwerker",
                "partner_id": customer.id,
                "case_type": "complaint",
            },
            "email",
        )
        cls.case.write({"handler_group_id": group.id, "sensitive": True})
        post_secret(cls.case)

    def thread_messages(self):
        return self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "kcc.case", "thread_id": self.case.id},
        )

    def test_the_chatter_routes_mask_the_messages_for_an_agent(self):
        self.authenticate("chat.agent", "chat.agent")
        result = self.thread_messages()
        text = json.dumps(result)
        self.assertTrue(result["data"]["mail.message"])
        self.assertNotIn("schold", text)
        self.assertNotIn("bewijs-schelden", text)
        self.assertIn("sensitive case", text)
        data = self.make_jsonrpc_request(
            "/mail/thread/data",
            {
                "thread_model": "kcc.case",
                "thread_id": self.case.id,
                "request_list": ["attachments", "followers"],
            },
        )
        self.assertNotIn("bewijs-schelden", json.dumps(data))

    def test_the_handler_group_reads_them(self):
        self.authenticate("chat.roads", "chat.roads")
        text = json.dumps(self.thread_messages())
        self.assertIn(SECRET, text)
        self.assertIn("bewijs-schelden.txt", text)


@tagged("post_install", "-at_install")
class TestSensitiveChatterInThePortal(ConsentCommon, HttpCase):
    """A partner organisation sees the messages of a sensitive case masked,
    except its own; the customer sees them all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_consent(cls.env)
        cls.case._share_with(cls.organisation, cls.consent)
        cls.case.sensitive = True
        post_secret(cls.case)

    def fetch(self, **params):
        result = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "kcc.case", "thread_id": self.case.id, **params},
        )
        return result["data"]["mail.message"]

    def test_the_organisation_sees_only_its_own_messages(self):
        self.authenticate("org.welzijn", "org.welzijn")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "kcc.case",
                "thread_id": self.case.id,
                "post_data": {
                    "body": "Wij begeleiden Mia verder.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        messages = self.fetch()
        text = json.dumps(messages)
        self.assertNotIn("schold", text)
        self.assertNotIn("schelden", text)
        self.assertFalse(any(message["attachment_ids"] for message in messages))
        self.assertIn("Wij begeleiden Mia verder", text)
        # and no download link was made for it
        attachment = self.case.message_ids.attachment_ids
        self.assertTrue(attachment)
        self.assertFalse(attachment.access_token)

    def test_the_customer_sees_everything_through_his_link(self):
        token = self.case._portal_ensure_token()
        messages = self.fetch(token=token)
        text = json.dumps(messages)
        self.assertIn(SECRET, text)
        self.assertIn("bewijs-schelden.txt", text)


@tagged("post_install", "-at_install")
class TestErasureByEmail(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dpo = new_test_user(
            cls.env, "erase.dpo", groups="base.group_user,leuven_kcc.group_kcc_dpo"
        )
        cls.person = cls.env["res.partner"].create(
            {"name": "Lotte Lemmens", "email": "Lotte.Lemmens@Example.com"}
        )

    def close(self, case):
        case.action_start()
        case.resolution = "<p>Opgelost</p>"
        case.action_answer()
        case.action_close()

    def test_erasure_reaches_what_carries_the_same_email_address(self):
        anonymous_done = self.make_case(
            subject="Lotte meldt een put",
            description="Lotte Lemmens, Bondgenotenlaan 1",
            contact_name="Lotte Lemmens",
            contact_email="LOTTE.lemmens@example.com",
        )
        self.close(anonymous_done)
        anonymous_open = self.make_case(
            subject="Lotte vraagt nog iets",
            contact_email="Lotte Lemmens <lotte.lemmens@example.com>",
        )
        other = self.make_case(
            subject="Iemand anders",
            contact_name="Charlotte",
            contact_email="charlotte.lemmens@example.com",
        )
        self.close(other)
        Contact = self.env["kcc.contact"]
        contact = Contact.create(
            {
                "summary": "Lotte belde over haar straat",
                "contact_email": "lotte.lemmens@example.com",
            }
        )
        other_contact = Contact.create(
            {
                "summary": "Charlotte belde",
                "contact_email": "charlotte.lemmens@example.com",
            }
        )
        Submission = self.env["kcc.web.submission"]
        payload = {
            "subject": "Lotte meldt een put",
            "contact_email": "lotte.lemmens@example.com",
        }
        refused = Submission.create(
            {"payload": json.dumps(payload), "state": "rejected", "form_kind": "report"}
        )
        of_the_case = Submission.create(
            {
                "payload": json.dumps(payload),
                "state": "accepted",
                "case_id": anonymous_done.id,
                "file_names": "put.jpg",
            }
        )
        of_someone_else = Submission.create(
            {
                "payload": json.dumps(
                    {"contact_email": "charlotte.lemmens@example.com"}
                ),
                "state": "rejected",
            }
        )

        report = self.person.with_user(self.dpo)._kcc_erase()

        self.assertIn(anonymous_done.name, report["anonymised"])
        self.assertTrue(anonymous_done.anonymised_on)
        self.assertFalse(anonymous_done.contact_email)
        self.assertFalse(anonymous_done.contact_name)
        self.assertFalse(anonymous_done.description_text)
        # the open one is kept, and the report says why
        self.assertIn(anonymous_open.name, [ref for ref, _why in report["kept"]])
        self.assertTrue(anonymous_open.contact_email)
        self.assertTrue(report["person"])
        self.assertFalse(contact.contact_email)
        self.assertNotIn("Lotte", contact.summary)
        for submission in (refused, of_the_case):
            self.assertFalse(submission.payload)
        self.assertFalse(of_the_case.file_names)
        # nothing of someone else with a similar address was touched
        self.assertFalse(other.anonymised_on)
        self.assertEqual(other.contact_email, "charlotte.lemmens@example.com")
        self.assertEqual(other_contact.contact_email, "charlotte.lemmens@example.com")
        self.assertIn("charlotte", of_someone_else.payload)

    def test_the_files_of_an_anonymous_case_with_that_address_go(self):
        case = self.make_case(contact_email="lotte.lemmens@example.com")
        self.env["ir.attachment"].create(
            {
                "name": "put.jpg",
                "datas": base64.b64encode(b"foto"),
                "res_model": "kcc.case",
                "res_id": case.id,
            }
        )
        self.close(case)
        self.person.with_user(self.dpo)._kcc_erase()
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)]
            )
        )

from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestAssistantChannel(TransactionCase):
    """The assistant brings its own channel to the KCC: cases, contacts and
    routing rules know it while the addon is installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            "channel.admin",
            groups="base.group_user,leuven_kcc.group_kcc_admin",
        )
        cls.public = cls.env.ref("base.public_user")
        cls.group = cls.env["kcc.handler.group"].create({"name": "Assistent"})

    def handoff(self, key):
        return (
            self.env["kcc.case"]
            .with_user(self.public)
            ._intake(
                {"subject": "Bewonerskaart", "contact_email": "piet@example.com"},
                "assistant",
                idempotency_key=key,
            )
        )

    def test_admin_routes_the_assistant_channel(self):
        with Form(self.env["kcc.routing.rule"].with_user(self.admin)) as form:
            form.name = "Van de digitale assistent"
            form.sequence = 1
            form.channel = "assistant"
            form.handler_group_id = self.group
        rule = form.record
        case = self.handoff("assistant-channel:1").sudo()
        self.assertEqual(case.channel, "assistant")
        self.assertEqual(case.handler_group_id, self.group)
        self.assertEqual(case.routing_rule_id, rule)
        contact = self.env["kcc.contact"].search([("case_id", "=", case.id)])
        self.assertEqual(contact.channel, "assistant")
        self.assertTrue(contact.display_name.startswith("Digital assistant: "))
        contact.invalidate_recordset(["display_name"])
        dutch = contact.with_context(lang="nl_BE")
        self.assertTrue(dutch.display_name.startswith("Digitale assistent: "))

    def test_the_channel_belongs_to_the_assistant(self):
        for model in (
            "kcc.case",
            "kcc.contact",
            "kcc.case.reporter",
            "kcc.routing.rule",
        ):
            with self.subTest(model=model):
                self.assertTrue(
                    self.env.ref(
                        f"leuven_assistant.selection__{model.replace('.', '_')}"
                        "__channel__assistant"
                    )
                )
                self.assertFalse(
                    self.env.ref(
                        f"leuven_kcc.selection__{model.replace('.', '_')}"
                        "__channel__assistant",
                        raise_if_not_found=False,
                    )
                )

    def test_uninstalling_the_assistant_keeps_its_cases(self):
        """What the uninstall does to the records of the channel."""
        rule = self.env["kcc.routing.rule"].create(
            {
                "name": "Van de digitale assistent",
                "channel": "assistant",
                "handler_group_id": self.group.id,
            }
        )
        case = self.handoff("assistant-channel:2").sudo()
        contacts = self.env["kcc.contact"].search([("case_id", "=", case.id)])
        for records in (case, contacts, rule):
            records._fields["channel"].ondelete["assistant"](records)
        self.assertEqual(case.channel, "web_form")
        self.assertEqual(set(contacts.mapped("channel")), {"web_form"})
        self.assertFalse(
            rule.exists(), "a rule of a channel that is gone never matches"
        )

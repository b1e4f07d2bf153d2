from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestBurgerprofielChannel(TransactionCase):
    """Mijn Burgerprofiel brings its own channel to the KCC: cases, contacts
    and routing rules know it while the addon is installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            "profile.channel.admin",
            groups="base.group_user,leuven_kcc.group_kcc_admin",
        )
        cls.citizen = new_test_user(
            cls.env,
            "profile.channel.citizen",
            groups="base.group_portal",
            email="an.citizen@example.com",
        )
        cls.group = cls.env["kcc.handler.group"].create({"name": "Meldingen"})

    def report(self, key):
        return (
            self.env["kcc.case"]
            .with_user(self.citizen)
            ._intake(
                {
                    "subject": "Losliggende tegel",
                    "partner_id": self.citizen.partner_id.id,
                },
                "burgerprofiel",
                idempotency_key=key,
            )
        )

    def test_admin_routes_the_profile_channel(self):
        with Form(self.env["kcc.routing.rule"].with_user(self.admin)) as form:
            form.name = "Uit Mijn Burgerprofiel"
            form.sequence = 1
            form.channel = "burgerprofiel"
            form.handler_group_id = self.group
        case = self.report("profile-channel:1").sudo()
        self.assertEqual(case.channel, "burgerprofiel")
        self.assertEqual(case.handler_group_id, self.group)
        self.assertEqual(case.routing_rule_id, form.record)
        contact = self.env["kcc.contact"].search([("case_id", "=", case.id)])
        self.assertEqual(contact.channel, "burgerprofiel")

    def test_uninstalling_the_addon_keeps_its_cases(self):
        """What the uninstall does to the records of the channel."""
        rule = self.env["kcc.routing.rule"].create(
            {
                "name": "Uit Mijn Burgerprofiel",
                "channel": "burgerprofiel",
                "handler_group_id": self.group.id,
            }
        )
        case = self.report("profile-channel:2").sudo()
        contacts = self.env["kcc.contact"].search([("case_id", "=", case.id)])
        for records in (case, contacts, rule):
            records._fields["channel"].ondelete["burgerprofiel"](records)
        self.assertEqual(case.channel, "portal")
        self.assertEqual(set(contacts.mapped("channel")), {"portal"})
        self.assertFalse(rule.exists())
        self.assertFalse(
            self.env.ref(
                "leuven_kcc.selection__kcc_case__channel__burgerprofiel",
                raise_if_not_found=False,
            ),
            "the channel is the addon's, not the KCC's",
        )

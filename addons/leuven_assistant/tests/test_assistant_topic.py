import json

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

PACKAGE = {
    "id": "afvalkalender",
    "version": "1.0.0",
    "title": {"nl": "Wanneer wordt mijn afval opgehaald?"},
    "questions": [{"id": "postcode", "type": "postcode", "label": {"nl": "Postcode"}}],
    "outcomes": [{"id": "kalender", "title": {"nl": "Bekijk de afvalkalender"}}],
    "rules": [{"if": {"!!": [{"var": "postcode"}]}, "then": "kalender"}],
}


@tagged("post_install", "-at_install")
class TestAssistantTopic(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.author = new_test_user(
            cls.env,
            "topic.author",
            groups="base.group_user,leuven_assistant.group_assistant_author",
        )
        cls.agent = new_test_user(
            cls.env, "topic.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )

    def test_author_publishes_a_valid_package(self):
        topic = (
            self.env["assistant.topic"]
            .with_user(self.author)
            .create({"name": "Afval", "code": "afval", "package": json.dumps(PACKAGE)})
        )
        topic.action_publish()
        self.assertEqual(topic.state, "published")

    def test_broken_package_cannot_be_published(self):
        topic = self.env["assistant.topic"].create(
            {"name": "Kapot", "code": "kapot", "package": "{not json"}
        )
        with self.assertRaisesRegex(ValidationError, "not valid JSON"):
            topic.action_publish()
        broken = dict(PACKAGE, outcomes=[])
        topic.package = json.dumps(broken)
        with self.assertRaisesRegex(ValidationError, "outcome"):
            topic.action_publish()
        self.assertEqual(topic.state, "draft")

    def test_failing_scenario_blocks_publication(self):
        package = dict(
            PACKAGE,
            scenarios=[{"name": "leeg", "answers": {}, "expect": ["kalender"]}],
        )
        topic = self.env["assistant.topic"].create(
            {"name": "Scenario", "code": "scenario", "package": json.dumps(package)}
        )
        with self.assertRaisesRegex(ValidationError, "leeg: expected"):
            topic.action_publish()

    def test_agent_reads_but_cannot_author(self):
        with self.assertRaises(AccessError):
            self.env["assistant.topic"].with_user(self.agent).create(
                {"name": "Nee", "code": "nee"}
            )

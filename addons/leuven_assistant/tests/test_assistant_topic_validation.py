import base64
import json

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AssistantTopicCase

NUMBER_PACKAGE = {
    "id": "tuinhuis-m2",
    "version": "1.0.0",
    "title": {"nl": "Tuinhuis"},
    "questions": [
        {"id": "m2", "type": "number", "label": {"nl": "Hoe groot (m²)?"}},
    ],
    "outcomes": [
        {"id": "klein", "title": {"nl": "Vrijgesteld"}},
        {"id": "groot", "title": {"nl": "Vergunning nodig"}},
    ],
    "rules": [
        {"id": "r-klein", "if": {"<": [{"var": "m2"}, 25]}, "then": "klein"},
        {"id": "r-groot", "if": {">=": [{"var": "m2"}, 25]}, "then": "groot"},
    ],
    "scenarios": [
        {"name": "klein", "answers": {"m2": 10}, "expect": ["klein"]},
        {"name": "groot", "answers": {"m2": 30}, "expect": ["groot"]},
    ],
}


@tagged("post_install", "-at_install")
class TestAssistantTopicValidation(AssistantTopicCase):
    """What validation proves, as the topic author sees it: the form's report,
    publishing and the import of a package from another municipality."""

    def number_package(self, **rule_changes):
        package = json.loads(json.dumps(NUMBER_PACKAGE))
        for index, condition in rule_changes.items():
            package["rules"][int(index[1:])]["if"] = condition
        return package

    def import_file(self, package):
        wizard = (
            self.env["assistant.topic.import"]
            .with_user(self.author)
            .create(
                {
                    "package_file": base64.b64encode(json.dumps(package).encode()),
                    "filename": "topic.json",
                }
            )
        )
        return self.Topic.browse(wizard.action_import()["res_id"])

    def dutch(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        self.env["ir.module.module"]._load_module_terms(["leuven_assistant"], ["nl_BE"])
        return self.Topic.with_context(lang="nl_BE")

    def test_sound_number_topic_is_published(self):
        topic = self.import_file(self.number_package())
        self.assertTrue(topic.validation_ok, topic.validation_report)
        self.assertEqual(topic.validation_report, "No problems found")
        self.publish(topic)
        self.assertEqual(topic.state, "published")

    def test_import_refuses_a_gap_and_names_the_answers(self):
        count = self.Topic.with_context(active_test=False).search_count([])
        gap = self.number_package(r1={">": [{"var": "m2"}, 25]})
        with self.assertRaisesRegex(UserError, r'\{"m2": 25\} reach no outcome'):
            self.import_file(gap)
        never = self.number_package(
            r1={"and": [{"<": [{"var": "m2"}, 0]}, {">": [{"var": "m2"}, 30]}]}
        )
        never["rules"].append(
            {"id": "r-rest", "if": {">=": [{"var": "m2"}, 25]}, "then": "klein"}
        )
        with self.assertRaisesRegex(UserError, "Outcome 'groot' can never be reached"):
            self.import_file(never)
        refused = self.number_package(r1={"log": [{"var": "m2"}]})
        with self.assertRaisesRegex(UserError, "Operator 'log' may not be used"):
            self.import_file(refused)
        self.assertEqual(
            self.Topic.with_context(active_test=False).search_count([]), count
        )

    def test_gap_made_in_the_form_blocks_publishing_in_dutch(self):
        Topic = self.dutch()
        topic = Topic._create_from_package(self.number_package())
        rule = topic.rule_ids.filtered(lambda r: r.key == "r-groot")
        rule.condition = '{">": [{"var": "m2"}, 25]}'
        self.assertFalse(topic.validation_ok)
        expected = 'De antwoorden {"m2": 25} leiden tot geen enkele uitkomst.'
        self.assertIn(expected, topic.validation_report)
        with self.assertRaisesRegex(ValidationError, "kan niet gepubliceerd") as err:
            self.publish(topic)
        self.assertIn(expected, str(err.exception))
        self.assertEqual(topic.state, "draft")
        rule.condition = '{">=": [{"var": "m2"}, 25]}'
        self.assertTrue(topic.validation_ok, topic.validation_report)

    def test_yes_no_compared_with_text_is_shown_and_blocks(self):
        Topic = self.dutch()
        package = self.shipped_packages()["tuinhuis-carport"]
        package["version"] = "99.0.0"  # the demo data has the shipped version
        topic = Topic._create_from_package(package)
        rule = topic.rule_ids.filtered(lambda r: r.key == "klein-en-achteraan")
        rule.condition = json.dumps(
            {
                "and": [
                    {"===": [{"var": "oppervlakte"}, "tot_40"]},
                    {"===": [{"var": "afstand"}, "ja"]},
                    {"===": [{"var": "achter_woning"}, True]},
                ]
            }
        )
        self.assertFalse(topic.validation_ok)
        self.assertIn(
            "Uitkomst 'vrijgesteld' kan nooit bereikt worden", topic.validation_report
        )
        self.assertIn("Waarschuwing: ", topic.validation_report)
        self.assertIn('met "ja"', topic.validation_report)
        with self.assertRaises(ValidationError):
            self.publish(topic)

    def test_warnings_alone_do_not_block(self):
        topic = self.Topic._create_from_package(self.package())
        # a question nobody can see: suspicious, but no citizen gets stuck
        self.env["assistant.question"].with_user(self.author).create(
            {
                "topic_id": topic.id,
                "sequence": 99,
                "key": "nooit",
                "type": "yes_no",
                "label": "Nooit",
                "visible_if": '{"===": [{"var": "soort"}, "glas"]}',
            }
        )
        self.assertTrue(topic.validation_ok, topic.validation_report)
        self.assertIn(
            "Warning: Question 'nooit' can never be shown", topic.validation_report
        )
        self.publish(topic)
        self.assertEqual(topic.state, "published")

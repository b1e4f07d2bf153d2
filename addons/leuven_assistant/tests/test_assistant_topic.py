from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AssistantTopicCase


@tagged("post_install", "-at_install")
class TestAssistantTopicVersions(AssistantTopicCase):
    def test_author_publishes_a_valid_package(self):
        topic = self.Topic._create_from_package(self.package())
        self.assertEqual((topic.state, topic.version), ("draft", "1.0.0"))
        self.assertTrue(topic.validation_ok, topic.validation_report)
        self.assertEqual(topic.validation_report, "No problems found")
        self.publish(topic)
        self.assertEqual(topic.state, "published")
        self.assertEqual(self.Topic._published_for("afvalkalender"), topic)
        self.assertEqual(topic._package(), self.package())

    def test_published_for_unknown_code_is_empty(self):
        published = self.Topic._published_for("bestaat-niet")
        self.assertFalse(published)
        self.assertEqual(published._name, "assistant.topic")

    def test_published_version_is_immutable(self):
        topic = self.Topic._create_from_package(self.package())
        self.publish(topic)
        question = topic.question_ids
        option = question.option_ids[0]
        outcome = topic.outcome_ids[0]
        rule = topic.rule_ids[0]
        scenario = topic.scenario_ids
        changes = [
            (topic, {"name": "Iets anders"}),
            (topic, {"version": "9.9.9"}),
            (topic, {"active": False}),
            (topic, {"state": "draft"}),
            (question, {"label": "Andere vraag"}),
            (question, {"visible_if": '{"===": [1, 1]}'}),
            (option, {"value": "glas"}),
            (outcome, {"title": "Andere uitkomst"}),
            (outcome, {"creates_case": True}),
            (rule, {"condition": "true"}),
            (scenario, {"answers": "{}"}),
        ]
        for record, vals in changes:
            with self.subTest(model=record._name, vals=vals):
                with self.assertRaises(UserError):
                    record.write(vals)
        creations = [
            ("assistant.question", {"topic_id": topic.id, "key": "x", "label": "X"}),
            (
                "assistant.question.option",
                {"question_id": question.id, "value": "glas", "label": "Glas"},
            ),
            ("assistant.outcome", {"topic_id": topic.id, "key": "x", "title": "X"}),
            (
                "assistant.rule",
                {"topic_id": topic.id, "condition": "true", "outcome_key": outcome.key},
            ),
            ("assistant.scenario", {"topic_id": topic.id, "answers": "{}"}),
        ]
        for model, vals in creations:
            with self.subTest(create=model):
                with self.assertRaises(UserError):
                    self.env[model].with_user(self.author).create(vals)
        for record in (scenario, rule, option, question, outcome):
            with self.subTest(unlink=record._name):
                with self.assertRaises(UserError):
                    record.unlink()
        with self.assertRaises(UserError):
            topic.update_field_translations("name", {"en_US": "Other"})
        with self.assertRaises(UserError):
            topic.unlink()
        self.assertEqual(topic._package(), self.package())

    def test_state_only_changes_through_the_buttons(self):
        topic = self.Topic._create_from_package(self.package())
        with self.assertRaises(UserError):
            topic.write({"state": "published"})
        with self.assertRaises(UserError):
            topic.write({"package": "{}"})
        with self.assertRaises(UserError):
            self.Topic.create(
                {"name": "X", "code": "x", "version": "1.0.0", "state": "published"}
            )
        self.assertEqual(topic.state, "draft")

    def test_new_version_is_an_editable_copy(self):
        topic = self.Topic._create_from_package(self.package())
        self.publish(topic)
        action = topic.action_new_version()
        draft = self.Topic.browse(action["res_id"])
        self.assertEqual(
            (draft.state, draft.code, draft.version),
            ("draft", "afvalkalender", "1.1.0"),
        )
        self.assertEqual(draft._package(), dict(self.package(), version="1.1.0"))
        # the lines are copies, the rules lead to the copied outcomes
        self.assertFalse(draft.question_ids & topic.question_ids)
        self.assertEqual(draft.rule_ids.outcome_id, draft.outcome_ids)
        self.assertEqual(draft.scenario_ids.expected_outcome_ids.topic_id, draft)
        # the nl text is the same whether the author works in Dutch or English
        self.env["res.lang"]._activate_lang("nl_BE")
        draft.with_context(lang="en_US").question_ids.label = "Welk soort afval?"
        draft.with_context(lang="nl_BE").outcome_ids[0].title = "Rest: maandag"
        package = draft._package()
        self.assertEqual(package["questions"][0]["label"], {"nl": "Welk soort afval?"})
        self.assertEqual(package["outcomes"][0]["title"], {"nl": "Rest: maandag"})
        self.assertEqual(
            draft.with_context(lang="en_US").outcome_ids[0].title, "Rest: maandag"
        )
        self.assertEqual(topic.question_ids.label, "Welk afval?")
        # a draft can be deleted; the published version is untouched
        draft.unlink()
        self.assertEqual(topic.state, "published")

    def test_publishing_archives_the_previous_version(self):
        first = self.Topic._create_from_package(self.package())
        self.publish(first)
        second = self.Topic.browse(first.action_new_version()["res_id"])
        self.publish(second)
        self.assertEqual((first.state, second.state), ("archived", "published"))
        self.assertEqual(self.Topic._published_for("afvalkalender"), second)
        # an archived version is immutable too, but it can be deleted
        with self.assertRaises(UserError):
            first.name = "Oud"
        third = self.Topic.browse(first.action_new_version()["res_id"])
        self.assertEqual(third.version, "1.2.0")
        first.unlink()

    def break_topic(self, topic):
        """An unknown reference and an outcome no rule leads to (import refuses
        such a package: the author makes these mistakes in the form)."""
        topic.question_ids.visible_if = '{"===": [{"var": "gemeente"}, "x"]}'
        self.env["assistant.outcome"].with_user(self.author).create(
            {"topic_id": topic.id, "key": "glas", "title": "Glas"}
        )
        return topic

    def test_publish_blocked_with_the_report(self):
        topic = self.break_topic(self.Topic._create_from_package(self.package()))
        self.assertFalse(topic.validation_ok)
        self.assertIn("unknown question 'gemeente'", topic.validation_report)
        self.assertIn("Outcome 'glas' is reached by no rule", topic.validation_report)
        with self.assertRaisesRegex(ValidationError, "unknown question 'gemeente'"):
            self.publish(topic)
        with self.assertRaisesRegex(ValidationError, "Outcome 'glas' is reached"):
            self.publish(topic)
        self.assertEqual(topic.state, "draft")

    def test_the_report_speaks_the_authors_language(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        self.env["ir.module.module"]._load_module_terms(["leuven_assistant"], ["nl_BE"])
        topic = self.break_topic(self.Topic._create_from_package(self.package()))
        topic = topic.with_context(lang="nl_BE")
        self.assertIn(
            "Vraag 'soort' hangt af van de onbekende vraag 'gemeente'.",
            topic.validation_report,
        )
        self.assertIn(
            "Geen enkele regel leidt tot uitkomst 'glas'.", topic.validation_report
        )

    def test_report_follows_the_edits(self):
        topic = self.Topic._create_from_package(self.package())
        self.assertTrue(topic.validation_ok)
        self.assertEqual(topic.scenario_ids.result, "pass")
        topic.scenario_ids.expected_outcome_ids = topic.outcome_ids[1]
        self.assertEqual(topic.scenario_ids.result, "fail")
        self.assertIn(
            "Scenario 'rest' fails: it should reach \u201cPMD: dinsdag\u201d (pmd), "
            "but reaches \u201cRestafval: maandag\u201d (rest).",
            topic.validation_report,
        )
        with self.assertRaisesRegex(ValidationError, "should reach"):
            self.publish(topic)
        topic.rule_ids[0].condition = '{"==": [{"var": "soort"}, "rest"]}'
        self.assertIn("Use '===' and '!=='", topic.validation_report)

    def test_json_fields_are_checked_on_save(self):
        topic = self.Topic._create_from_package(self.package())
        with self.assertRaisesRegex(ValidationError, "not valid JSON"):
            topic.question_ids.visible_if = "{var: soort}"
        with self.assertRaisesRegex(ValidationError, "JsonLogic expression"):
            topic.rule_ids[0].condition = '["soort"]'
        with self.assertRaisesRegex(ValidationError, "JSON object"):
            topic.scenario_ids.answers = '"rest"'
        with self.assertRaisesRegex(ValidationError, "not a number"):
            topic.question_ids.option_ids[0].value_type = "number"

    def test_version_unique_and_well_formed(self):
        self.Topic._create_from_package(self.package())
        with self.assertRaisesRegex(ValidationError, "x.y.z"):
            self.Topic.create({"name": "X", "code": "x", "version": "1.0"})
        with self.assertRaisesRegex(UserError, "must be higher"):
            self.Topic._create_from_package(self.package())

    def test_agent_reads_but_cannot_author(self):
        topic = self.Topic._create_from_package(self.package())
        self.publish(topic)
        Topic = self.env["assistant.topic"].with_user(self.agent)
        self.assertEqual(Topic._published_for("afvalkalender"), topic)
        self.assertEqual(Topic.browse(topic.id)._package(), self.package())
        with self.assertRaises(AccessError):
            Topic.create({"name": "Nee", "code": "nee"})
        draft = self.Topic.browse(topic.action_new_version()["res_id"])
        with self.assertRaises(AccessError):
            draft.with_user(self.agent).name = "Nee"
        with self.assertRaises(AccessError):
            draft.question_ids.with_user(self.agent).label = "Nee"
        with self.assertRaises(AccessError):
            self.env["assistant.rule"].with_user(self.agent).create(
                {
                    "topic_id": draft.id,
                    "condition": "true",
                    "outcome_key": draft.outcome_ids[0].key,
                }
            )
        with self.assertRaises(AccessError):
            draft.with_user(self.agent).action_new_version()
        with self.assertRaises(AccessError):
            draft.with_user(self.agent).unlink()
        with self.assertRaises(AccessError):
            self.env["assistant.topic.import"].with_user(self.agent).create(
                {"package_file": b"e30="}
            )

    def test_report_refreshes_in_the_form(self):
        topic = self.Topic._create_from_package(self.package())
        with Form(topic) as form:
            self.assertEqual(form.validation_report, "No problems found")
            with form.rule_ids.edit(1) as rule:
                rule.condition = '{"===": [{"var": "kleur"}, "pmd"]}'
            self.assertIn(
                "Rule r-pmd uses unknown question 'kleur'", form.validation_report
            )
            with form.scenario_ids.new() as scenario:
                scenario.name = "pmd"
                scenario.answers = '{"soort": "pmd"}'
                scenario.expected_outcome_ids.add(topic.outcome_ids[1])
            self.assertIn(
                "Scenario 'pmd' fails: it should reach \u201cPMD: dinsdag\u201d (pmd), "
                "but reaches no outcome.",
                form.validation_report,
            )
            with form.rule_ids.edit(1) as rule:
                rule.condition = '{"===": [{"var": "soort"}, "pmd"]}'
            self.assertEqual(form.validation_report, "No problems found")
        self.assertEqual(len(topic.scenario_ids), 2)
        self.assertTrue(topic.validation_ok)

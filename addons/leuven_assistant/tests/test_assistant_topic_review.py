from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AssistantTopicCase


@tagged("post_install", "-at_install")
class TestAssistantTopicReview(AssistantTopicCase):
    """Publication after a second author's review, with every scenario passing."""

    def dutch(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        self.env["ir.module.module"]._load_module_terms(["leuven_assistant"], ["nl_BE"])
        self.author.lang = "nl_BE"
        self.reviewer.lang = "nl_BE"

    def messages(self, topic):
        return topic.message_ids.mapped("body")

    def test_author_cannot_approve_his_own_submission(self):
        topic = self.Topic._create_from_package(self.package())
        topic.action_submit_review()
        self.assertEqual(
            (topic.state, topic.submitted_by_id), ("to_review", self.author)
        )
        self.assertFalse(topic.can_approve)
        with self.assertRaisesRegex(UserError, "another author must review"):
            topic.action_approve()
        self.assertEqual(topic.state, "to_review")
        self.assertFalse(self.Topic._published_for("afvalkalender"))
        # a second author approves: published, and who and when is kept
        as_reviewer = topic.with_user(self.reviewer)
        self.assertTrue(as_reviewer.can_approve)
        as_reviewer.action_approve()
        self.assertEqual(topic.state, "published")
        self.assertEqual(topic.reviewed_by_id, self.reviewer)
        self.assertTrue(topic.reviewed_date)
        self.assertEqual(self.Topic._published_for("afvalkalender"), topic)
        self.assertTrue(
            any(
                "approved and published by topic.reviewer" in body
                for body in self.messages(topic)
            ),
            self.messages(topic),
        )

    def test_no_publication_without_review(self):
        topic = self.Topic._create_from_package(self.package())
        # approving a draft (not submitted) is refused, and nobody writes the
        # state or the review fields directly
        with self.assertRaisesRegex(UserError, "not submitted for review"):
            topic.with_user(self.reviewer).action_approve()
        for vals in (
            {"state": "published"},
            {"reviewed_by_id": self.reviewer.id},
            {"submitted_by_id": self.reviewer.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                topic.with_user(self.reviewer).write(vals)
        # the old direct publication is gone
        self.assertFalse(hasattr(topic, "action_publish"))
        topic.action_submit_review()
        with self.assertRaises(AccessError):
            topic.with_user(self.agent).action_approve()
        self.assertEqual(topic.state, "to_review")

    def test_edit_after_submission_returns_to_draft(self):
        topic = self.Topic._create_from_package(self.package())
        edits = [
            lambda: topic.write({"name": "Afvalkalender 2027"}),
            lambda: topic.rule_ids[1].write(
                {"condition": '{"!==": [{"var": "soort"}, "rest"]}'}
            ),
            lambda: topic.question_ids.option_ids[1].write({"label": "Plastic"}),
            # the reviewer's own change counts as well
            lambda: (
                topic.outcome_ids[1]
                .with_user(self.reviewer)
                .write({"title": "PMD: woensdag"})
            ),
        ]
        for edit in edits:
            with self.subTest(edit=edit):
                topic.action_submit_review()
                self.assertEqual(topic.state, "to_review")
                edit()
                self.assertEqual(topic.state, "draft")
                self.assertFalse(topic.submitted_by_id)
                with self.assertRaisesRegex(UserError, "not submitted for review"):
                    topic.with_user(self.reviewer).action_approve()
        self.assertTrue(
            any("back to draft" in body for body in self.messages(topic)),
            self.messages(topic),
        )

    def test_failing_scenario_blocks_publishing_in_dutch(self):
        self.dutch()
        topic = self.Topic.with_context(lang="nl_BE")._create_from_package(
            self.package()
        )
        topic.scenario_ids.name = "Restafval op maandag"
        topic.rule_ids[0].outcome_key = "pmd"
        self.assertEqual(topic.scenario_ids.result, "fail")
        expected = (
            "Scenario 'Restafval op maandag' faalt: het moet uitkomen op "
            "\u201cRestafval: maandag\u201d (rest), maar komt uit op "
            "\u201cPMD: dinsdag\u201d (pmd)."
        )
        with self.assertRaises(ValidationError) as err:
            topic.action_submit_review()
        self.assertIn("kan niet gepubliceerd worden", str(err.exception))
        self.assertIn(expected, str(err.exception))
        self.assertEqual(topic.state, "draft")
        # repaired: submitted, and the reviewer publishes it
        topic.rule_ids[0].outcome_key = "rest"
        topic.action_submit_review()
        topic.with_user(self.reviewer).action_approve()
        self.assertEqual(topic.state, "published")

    def test_topic_without_scenarios_cannot_be_published(self):
        self.dutch()
        package = self.package()
        del package["scenarios"]
        topic = self.Topic.with_context(lang="nl_BE")._create_from_package(package)
        self.assertTrue(topic.validation_ok, topic.validation_report)
        with self.assertRaisesRegex(ValidationError, "minstens één testscenario"):
            topic.action_submit_review()
        self.assertEqual(topic.state, "draft")

    def test_rules_pick_outcomes_by_title_before_the_topic_is_saved(self):
        self.dutch()
        Topic = self.Topic.with_context(lang="nl_BE")
        with Form(Topic) as form:
            form.name = "Glasbak"
            form.code = "glasbak"
            with form.question_ids.new() as question:
                question.type = "single_choice"
                question.label = "Welke kleur glas?"
                # the key used in conditions is made from the label
                self.assertEqual(question.key, "welke_kleur_glas")
                question.key = "kleur"
                with question.option_ids.new() as option:
                    option.value = "wit"
                    option.label = "Wit glas"
                with question.option_ids.new() as option:
                    option.value = "gekleurd"
                    option.label = "Gekleurd glas"
            with form.outcome_ids.new() as outcome:
                outcome.title = "Witte glasbak"
                # the technical key is made from the title
                self.assertEqual(outcome.key, "witte_glasbak")
            with form.outcome_ids.new() as outcome:
                outcome.title = "Gekleurde glasbak"
            with form.rule_ids.new() as rule:
                rule.condition = '{"===": [{"var": "kleur"}, "wit"]}'
                rule.outcome_key = "witte_glasbak"
            with form.rule_ids.new() as rule:
                rule.condition = '{"!==": [{"var": "kleur"}, "wit"]}'
                rule.outcome_key = "gekleurde_glasbak"
            self.assertIn("Witte glasbak", form.builder_schema)
        topic = form.record
        self.assertEqual(
            topic.rule_ids.mapped("outcome_id.display_name"),
            ["Witte glasbak", "Gekleurde glasbak"],
        )
        self.assertEqual(
            topic.rule_ids.mapped("condition_text"),
            ["Welke kleur glas? = Wit glas", "Welke kleur glas? \u2260 Wit glas"],
        )
        self.assertTrue(topic.validation_ok, topic.validation_report)
        # renaming an outcome's key keeps its rules
        topic.outcome_ids[0].key = "wit"
        self.assertEqual(topic.rule_ids[0].outcome_key, "wit")
        self.assertEqual(topic._package()["rules"][0]["then"], "wit")

    def test_condition_sentence_in_the_list(self):
        self.dutch()
        topic = self.Topic.with_context(lang="nl_BE")._create_from_package(
            self.package()
        )
        rule = topic.rule_ids[0]
        rule.condition = (
            '{"or": [{"===": [{"var": "soort"}, "rest"]}, '
            '{"!==": [{"var": "soort"}, null]}]}'
        )
        self.assertEqual(
            rule.condition_text, "Welk afval? = Restafval of Welk afval? is beantwoord"
        )
        # what the builder cannot show is shown as it is
        rule.condition = '{"!": {"var": "soort"}}'
        self.assertEqual(rule.condition_text, '{"!":{"var":"soort"}}')

    def test_validation_message_shows_the_rule_as_a_sentence(self):
        self.dutch()
        topic = self.Topic.with_context(lang="nl_BE")._create_from_package(
            self.package()
        )
        topic.rule_ids[1].condition = '{"===": [{"var": "kleur"}, "pmd"]}'
        self.assertIn(
            "Regel r-pmd gebruikt de onbekende vraag 'kleur'. (als kleur = \"pmd\")",
            topic.validation_report,
        )

    def test_published_topics_stay_published_with_their_rules(self):
        # the shipped topics, published before the review existed (and
        # migrated on an existing database), keep their state and outcomes
        for package in self.shipped_packages().values():
            with self.subTest(topic=package["id"]):
                topic = self.Topic._published_for(package["id"])
                self.assertEqual(topic.state, "published")
                self.assertEqual(
                    topic.rule_ids.mapped("outcome_id.key"),
                    [rule["then"] for rule in package["rules"]],
                )
                self.assertEqual(topic._generate_package(), package)

    def test_reviewer_sends_the_version_back_to_draft(self):
        topic = self.Topic._create_from_package(self.package())
        topic.action_submit_review()
        topic.with_user(self.reviewer).action_reject()
        self.assertEqual((topic.state, topic.submitted_by_id.id), ("draft", False))
        self.assertTrue(
            any(
                "Sent back to draft by topic.reviewer" in body
                for body in self.messages(topic)
            ),
            self.messages(topic),
        )
        with self.assertRaisesRegex(UserError, "not submitted for review"):
            topic.with_user(self.reviewer).action_approve()

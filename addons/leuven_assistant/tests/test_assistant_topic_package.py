import base64
import json

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AssistantTopicCase


@tagged("post_install", "-at_install")
class TestAssistantTopicPackage(AssistantTopicCase):
    def _import(self, content, filename="topic.json"):
        if isinstance(content, dict):
            content = json.dumps(content)
        wizard = (
            self.env["assistant.topic.import"]
            .with_user(self.author)
            .create(
                {
                    "package_file": base64.b64encode(content.encode()),
                    "filename": filename,
                }
            )
        )
        action = wizard.action_import()
        return self.Topic.browse(action["res_id"])

    def _topic_count(self):
        return self.Topic.with_context(active_test=False).search_count([])

    def test_round_trip_of_the_shipped_topics(self):
        packages = self.shipped_packages()
        self.assertEqual(len(packages), 4)
        for name, package in packages.items():
            with self.subTest(topic=name):
                package = dict(package, id=f"test.{package['id']}")
                topic = self._import(package, f"{name}.json")
                self.assertEqual(topic.state, "draft")
                self.assertTrue(topic.validation_ok, topic.validation_report)
                self.assertEqual(topic._package(), package)
                self.assertEqual(json.loads(topic._package_json()), package)
                self.publish(topic)
                self.assertEqual(topic._package(), package)
                self.assertEqual(
                    topic._export_filename(), f"{package['id']}-0.1.0.json"
                )

    def test_shipped_topics_are_published_as_demo_data(self):
        self.env["assistant.topic"]._load_demo_topics()  # idempotent
        for name, package in self.shipped_packages().items():
            with self.subTest(topic=name):
                topic = self.Topic._published_for(package["id"])
                self.assertEqual(topic.version, package["version"])
                self.assertEqual(topic._package(), package)
                self.assertEqual(len(topic.scenario_ids), len(package["scenarios"]))
                self.assertEqual(set(topic.scenario_ids.mapped("result")), {"pass"})

    def test_import_a_new_version_of_an_existing_topic(self):
        first = self._import(self.package())
        second = self._import(self.package(version="1.10.0"))
        self.assertEqual(second.code, first.code)
        self.assertEqual(second.state, "draft")
        with self.assertRaisesRegex(UserError, "must be higher"):
            self._import(self.package(version="1.9.0"))
        self.assertEqual(self.Topic._next_version("afvalkalender"), "1.11.0")

    def test_invalid_import_creates_nothing(self):
        count = self._topic_count()
        unknown_outcome = self.package()
        unknown_outcome["rules"][0]["then"] = "glas"
        unknown_expectation = self.package()
        unknown_expectation["scenarios"][0]["expect"] = ["glas"]
        cases = [
            ("{not json", "not a valid JSON file"),
            (b"\xff\xfe".decode("latin-1"), "not a valid JSON file"),
            ("[1, 2]", "not a valid topic package"),
            (self.package(version="1.0"), "version"),
            (self.package(questions=[]), "questions"),
            (self.package(extra=True), "extra"),
            (unknown_outcome, "unknown outcome 'glas'"),
            (unknown_expectation, "expects unknown outcome 'glas'"),
        ]
        for content, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesRegex(UserError, message):
                    self._import(content)
        self.assertEqual(self._topic_count(), count)
        self.assertFalse(self.env["assistant.question"].search([("key", "=", "soort")]))

    def test_translations_are_exported(self):
        self.env["res.lang"]._activate_lang("fr_BE")
        package = self.package()
        package["title"]["fr"] = "Quand mes déchets sont-ils collectés ?"
        package["outcomes"][0]["title"]["fr"] = "Déchets résiduels : lundi"
        topic = self._import(package)
        self.assertEqual(topic._package(), package)
        self.assertEqual(
            topic.with_context(lang="fr_BE").outcome_ids[0].title,
            "Déchets résiduels : lundi",
        )

    def test_preview_and_export_actions(self):
        topic = self._import(self.package())
        preview = topic.action_preview()
        self.assertEqual(preview["type"], "ir.actions.act_url")
        self.assertEqual(preview["url"], f"/assistent/afvalkalender?preview={topic.id}")
        export = topic.action_export()
        self.assertEqual(export["url"], f"/leuven_assistant/topic/{topic.id}/export")

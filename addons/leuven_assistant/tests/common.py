import copy
import json
from pathlib import Path

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

from leuven.assistant import engine

TOPICS = Path(engine.__file__).resolve().parent / "topics"

PACKAGE = {
    "id": "afvalkalender",
    "version": "1.0.0",
    "title": {"nl": "Wanneer wordt mijn afval opgehaald?"},
    "questions": [
        {
            "id": "soort",
            "type": "single_choice",
            "label": {"nl": "Welk afval?"},
            "options": [
                {"value": "rest", "label": {"nl": "Restafval"}},
                {"value": "pmd", "label": {"nl": "PMD"}},
            ],
        }
    ],
    "outcomes": [
        {"id": "rest", "title": {"nl": "Restafval: maandag"}, "case": False},
        {"id": "pmd", "title": {"nl": "PMD: dinsdag"}, "case": False},
    ],
    "rules": [
        {"id": "r-rest", "if": {"===": [{"var": "soort"}, "rest"]}, "then": "rest"},
        {"id": "r-pmd", "if": {"===": [{"var": "soort"}, "pmd"]}, "then": "pmd"},
    ],
    "scenarios": [
        {"name": "rest", "answers": {"soort": "rest"}, "expect": ["rest"]},
    ],
}


def shipped_package(name):
    """One of the illustrative topic packages shipped in ``leuven/assistant``."""
    return json.loads((TOPICS / f"{name}.json").read_text(encoding="utf-8"))


def publish_topic(env, name):
    """The published version of a shipped topic (imported and published as the
    demo data does, if it did not do it already)."""
    package = shipped_package(name)
    Topic = env["assistant.topic"].sudo()
    existing = Topic._published_for(package["id"])
    if existing:
        return existing
    topic = Topic._create_from_package(package)
    topic._publish()
    return topic


class AssistantTopicCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.author = new_test_user(
            cls.env,
            "topic.author",
            groups="base.group_user,leuven_assistant.group_assistant_author",
        )
        cls.reviewer = new_test_user(
            cls.env,
            "topic.reviewer",
            groups="base.group_user,leuven_assistant.group_assistant_author",
        )
        cls.agent = new_test_user(
            cls.env, "topic.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.Topic = cls.env["assistant.topic"].with_user(cls.author)

    def publish(self, topic):
        """The review workflow: the author submits, a second author approves."""
        topic.with_user(self.author).action_submit_review()
        topic.with_user(self.reviewer).action_approve()
        return topic

    @staticmethod
    def package(**changes):
        package = copy.deepcopy(PACKAGE)
        package.update(changes)
        return package

    @staticmethod
    def shipped_packages():
        return {
            path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(TOPICS.glob("*.json"))
        }

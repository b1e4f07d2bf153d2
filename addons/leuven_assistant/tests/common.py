import json
from pathlib import Path

from leuven.assistant import engine

TOPICS = Path(engine.__file__).resolve().parent / "topics"


def shipped_package(name):
    """One of the illustrative topic packages shipped in ``leuven/assistant``."""
    return json.loads((TOPICS / f"{name}.json").read_text())


def publish_topic(env, name):
    """Import a shipped topic package and publish it; returns the version."""
    package = shipped_package(name)
    Topic = env["assistant.topic"]
    existing = Topic._published_for(package["id"])
    if existing:
        return existing
    topic = Topic.create(
        {
            "name": package["title"]["nl"],
            "code": package["id"],
            "version": package["version"],
            "package": json.dumps(package),
        }
    )
    topic.action_publish()
    return topic

import json
from pathlib import Path

import pytest

from leuven.catalog import ldes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ipdc"


def load(name):
    return json.loads((FIXTURES / name).read_text())


def test_full_page_points_to_the_next_page():
    page = ldes.parse_page(load("instancesnapshot-ldes/page-0.json"))
    assert page.next_url.endswith("pageNumber=1")
    assert not page.is_last
    assert page.members and all("isVersionOf" in m for m in page.members)


def test_last_page_has_no_next():
    page = ldes.parse_page(load("instancesnapshot-ldes/page-2.json"))
    assert page.is_last


def test_latest_snapshot_per_instance_wins():
    members = []
    for n in range(3):
        members += ldes.parse_page(load(f"instancesnapshot-ldes/page-{n}.json")).members
    newest = ldes.latest_snapshots(members)
    assert len(newest) < len(members)
    for key, member in newest.items():
        same = [m for m in members if m.get("isVersionOf") == key]
        assert member["generatedAtTime"] == max(m["generatedAtTime"] for m in same)


def test_not_a_page():
    with pytest.raises(ValueError):
        ldes.parse_page({"@type": "EventStream"})

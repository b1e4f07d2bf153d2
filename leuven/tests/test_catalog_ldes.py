import json
from datetime import UTC, datetime
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


def _versions(*times):
    """Snapshots of one real instance, generated at ``times`` (in feed order)."""
    member = load("instancesnapshot-ldes/page-1.json")["member"][0]
    return [
        {**member, "@id": f"{member['@id']}-{n}", "generatedAtTime": time}
        for n, time in enumerate(times)
    ]


def test_fractional_seconds_are_later_than_the_whole_second():
    members = _versions("2024-05-01T10:00:17.94052Z", "2024-05-01T10:00:17Z")
    (newest,) = ldes.latest_snapshots(members).values()
    assert newest["generatedAtTime"] == "2024-05-01T10:00:17.94052Z"


def test_offsets_are_compared_as_moments():
    # 11:00:17+02:00 is 09:00:17 UTC: older, though it sorts later as text
    members = _versions("2024-05-01T10:00:17Z", "2024-05-01T11:00:17+02:00")
    (newest,) = ldes.latest_snapshots(members).values()
    assert newest["generatedAtTime"] == "2024-05-01T10:00:17Z"
    members = _versions("2024-05-01T10:00:17Z", "2024-05-01T12:00:18+02:00")
    (newest,) = ldes.latest_snapshots(members).values()
    assert newest["generatedAtTime"] == "2024-05-01T12:00:18+02:00"


def test_an_unreadable_time_never_replaces_a_readable_one():
    members = _versions("2024-05-01T10:00:17Z", "not a time", None, 17)
    (newest,) = ldes.latest_snapshots(members).values()
    assert newest["generatedAtTime"] == "2024-05-01T10:00:17Z"


def test_the_same_moment_keeps_the_later_snapshot():
    members = _versions("2024-05-01T10:00:17Z", "2024-05-01T12:00:17.000+02:00")
    (newest,) = ldes.latest_snapshots(members).values()
    assert newest["@id"].endswith("-1")


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2024-05-01T10:00:17Z", datetime(2024, 5, 1, 10, 0, 17, tzinfo=UTC)),
        (
            "2024-05-01T10:00:17.94052Z",
            datetime(2024, 5, 1, 10, 0, 17, 940520, tzinfo=UTC),
        ),
        ("2024-05-01T12:00:17+02:00", datetime(2024, 5, 1, 10, 0, 17, tzinfo=UTC)),
        ("2024-05-01T10:00:17", datetime(2024, 5, 1, 10, 0, 17, tzinfo=UTC)),
        (
            {"@value": "2024-02-14T13:59:25.237Z", "@type": "xsd:dateTime"},
            datetime(2024, 2, 14, 13, 59, 25, 237000, tzinfo=UTC),
        ),
        ("yesterday", None),
        ("", None),
        (None, None),
        (1714557617, None),
    ],
)
def test_parse_timestamp(text, utc):
    assert ldes.parse_timestamp(text) == utc


def test_real_feed_times_are_readable():
    for n in range(3):
        for member in load(f"instancesnapshot-ldes/page-{n}.json")["member"]:
            assert ldes.parse_timestamp(member["generatedAtTime"]), member["@id"]

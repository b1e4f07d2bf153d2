import copy

import pytest

from leuven.catalog import client as ipdc
from leuven.catalog.samples import sample_members
from leuven.testing.fake_ipdc import FakeIpdc, synthetic_members

LEUVEN = sample_members()[0]["bevoegdeOverheden"][0]


@pytest.fixture
def fake():
    server = FakeIpdc(synthetic_members(60), page_size=25)
    server.start()
    yield server
    server.stop()


def make_client(fake, **kwargs):
    return ipdc.IpdcClient(
        fake.feed_url, api_key="test-key", sleep=lambda s: None, **kwargs
    )


def collect(client, checkpoint=None, authorities=()):
    members, reached = [], checkpoint
    for _page, member, current in client.changes(checkpoint, authorities):
        reached = current
        if member:
            members.append(member)
    return members, reached


def test_full_read_follows_every_page(fake):
    members, checkpoint = collect(make_client(fake))
    assert len(members) == 60
    assert checkpoint.page_url.endswith("pageNumber=2")
    assert len(checkpoint.done) == 10


def test_incremental_reads_only_what_is_new(fake):
    client = make_client(fake)
    _members, checkpoint = collect(client)
    assert collect(client, checkpoint)[0] == []
    changed = copy.deepcopy(fake.members[3])
    changed["@id"] += "-v2"
    fake.publish(changed)
    for member in synthetic_members(80)[60:]:
        fake.publish(member)
    requests_before = fake.requests
    new, checkpoint = collect(client, checkpoint)
    assert new[0]["@id"] == changed["@id"]
    assert len(new) == 21
    assert fake.requests - requests_before == 2  # the last known page and one more
    assert collect(client, checkpoint)[0] == []


def test_checkpoint_survives_a_round_trip(fake):
    client = make_client(fake)
    _members, checkpoint = collect(client)
    restored = ipdc.Checkpoint.from_dict(checkpoint.to_dict())
    assert collect(client, restored)[0] == []


def test_transient_errors_are_retried(fake):
    fake.fail_next = 2
    members, _ = collect(make_client(fake))
    assert len(members) == 60


def test_gives_up_after_the_retries(fake):
    fake.fail_next = 10
    with pytest.raises(ipdc.IpdcError, match="gave up"):
        collect(make_client(fake, retries=2))


def test_bad_api_key_is_an_error(fake):
    client = ipdc.IpdcClient(fake.feed_url, api_key="wrong", sleep=lambda s: None)
    with pytest.raises(ipdc.IpdcError, match="401"):
        collect(client)


def test_only_the_citys_products(fake):
    other = copy.deepcopy(fake.members[0])
    other["@id"] += "-gent"
    other["isVersionOf"] += "-gent"
    other["bevoegdeOverheden"] = other["uitvoerendeOverheden"] = ["OVO000000"]
    other["aangemaaktDoor"] = "http://example.org/gent"
    fake.publish(other)
    members, _ = collect(make_client(fake), authorities={LEUVEN})
    assert len(members) == 60


def test_not_an_event_stream():
    class Response:
        status_code = 200

        def json(self):
            return {"hello": "world"}

    class Session:
        def get(self, *args, **kwargs):
            return Response()

    client = ipdc.IpdcClient("http://127.0.0.1:1/feed", session=Session())
    with pytest.raises(ipdc.IpdcError, match="not an LDES page"):
        collect(client)

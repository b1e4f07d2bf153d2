"""The EPC connector against its loopback stand-in, and manual entry."""

import datetime as dt

import pytest

from leuven.energy import epc
from leuven.kcc.inputs import InputError
from leuven.testing.fake_epc import FakeEpc

TODAY = dt.date(2026, 3, 3)


@pytest.fixture
def fake():
    server = FakeEpc()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(fake):
    return epc.EpcClient(fake.base_url, timeout=2)


# -- lookup ---------------------------------------------------------------------
def test_lookup_by_address(client, fake):
    record = client.lookup("200002", today=TODAY)
    assert record == epc.EpcRecord(
        "20190612-0002012345-RES-1",
        "E",
        512.0,
        dt.date(2019, 6, 12),
        dt.date(2029, 6, 12),
        (
            epc.Recommendation("dak", "Isoleer het dak."),
            epc.Recommendation(
                "verwarming", "Vervang de oude stookolieketel door een warmtepomp."
            ),
        ),
        "200002",
        "",
        epc.SOURCE_DATABASE,
        TODAY,
    )
    assert record.is_valid(TODAY)
    path, query, headers = fake.requests[-1]
    assert path == "/v1/epc"
    assert query == {"adresObjectId": "200002"}
    assert "x-api-key" not in {k.lower() for k in headers}


def test_lookup_by_building_unit_and_api_key(fake):
    client = epc.EpcClient(fake.base_url, timeout=2, api_key="k-123")
    record = client.lookup(200003, "500003", today=TODAY)
    assert (record.label, record.score, record.building_unit_id) == (
        "C",
        248.5,
        "500003",
    )
    _path, query, headers = fake.requests[-1]
    assert query == {"adresObjectId": "200003", "gebouweenheidObjectId": "500003"}
    assert {k.lower(): v for k, v in headers.items()}["x-api-key"] == "k-123"


def test_the_most_recent_certificate_wins(client):
    record = client.lookup("200004", today=TODAY)
    assert (record.label, record.issued_on) == ("D", dt.date(2024, 9, 20))
    assert record.as_dict()["valid_until"] == "2034-09-20"
    assert record.as_dict()["source"] == "epc_database"


def test_no_certificate_is_not_found(client):
    with pytest.raises(epc.NotFound):
        client.lookup("200001")
    with pytest.raises(epc.NotFound):
        client.lookup("200003", "999999")  # another unit of that address
    with pytest.raises(epc.NotFound):
        client.lookup("12; DROP")
    with pytest.raises(epc.NotFound):
        client.lookup("200003", "unit 3")


@pytest.mark.parametrize("status", [500, 502, 503, 429, 401])
def test_http_failures_are_unavailable(client, fake, status):
    fake.fail_next, fake.fail_status = 1, status
    with pytest.raises(epc.Unavailable):
        client.lookup("200002")
    assert client.lookup("200002", today=TODAY).label == "E"  # recovers


@pytest.mark.parametrize("mode", ["malformed", "not_object", "bad_certificate"])
def test_malformed_answers_are_invalid(client, fake, mode):
    fake.fail_next, fake.fail_mode = 1, mode
    with pytest.raises(epc.InvalidResponse):
        client.lookup("200002")


def test_timeout_is_unavailable(fake):
    fake.delay = 0.5
    slow = epc.EpcClient(fake.base_url, timeout=0.1)
    with pytest.raises(epc.Unavailable):
        slow.lookup("200002")


def test_unreachable_or_unconfigured_is_unavailable(fake):
    base = fake.base_url
    fake.stop()
    with pytest.raises(epc.Unavailable):
        epc.EpcClient(base, timeout=0.5).lookup("200002")
    with pytest.raises(epc.Unavailable):
        epc.EpcClient("").lookup("200002")


def test_all_errors_share_one_base():
    for error in (epc.NotFound, epc.Unavailable, epc.InvalidResponse):
        assert issubclass(error, epc.EpcError)


# -- the payload mapping --------------------------------------------------------
GOOD = {
    "certificaatnummer": "N-1",
    "energielabel": "b",
    "energiescore": "150,5",
    "datumOpmaak": "2021-02-28T10:00:00",
}


def test_parse_certificate_defaults_validity_to_ten_years():
    record = epc.parse_certificate(GOOD)
    assert (record.label, record.score) == ("B", 150.5)
    assert record.valid_until == dt.date(2031, 2, 28)
    leap = epc.parse_certificate({**GOOD, "datumOpmaak": "2024-02-29"})
    assert leap.valid_until == dt.date(2034, 2, 28)


@pytest.mark.parametrize(
    "change",
    [
        {"energielabel": "G"},
        {"energielabel": None},
        {"energiescore": -1},
        {"energiescore": "veel"},
        {"energiescore": True},
        {"datumOpmaak": "gisteren"},
        {"certificaatnummer": ""},
        {"certificaatnummer": "a b"},
        {"geldigTot": 5},
    ],
)
def test_parse_certificate_refuses_bad_fields(change):
    with pytest.raises(epc.InvalidResponse):
        epc.parse_certificate({**GOOD, **change})


@pytest.mark.parametrize("body", [[], {}, {"certificaten": {}}, {"certificaten": [1]}])
def test_parse_answer_refuses_other_shapes(body):
    with pytest.raises(epc.InvalidResponse):
        epc.parse_answer(body)


def test_parse_answer_empty_list_is_not_found():
    with pytest.raises(epc.NotFound):
        epc.parse_answer({"certificaten": []})


def test_label_rank():
    assert epc.label_rank("A+") == 0
    assert epc.label_rank("F") == 6
    assert epc.label_rank("E") > epc.label_rank("C")
    assert epc.label_rank("G") is None
    assert epc.label_steps("E", "C") == 2
    assert epc.label_steps("B", "A+") == 2
    assert epc.label_steps("C", "D") == -1
    assert epc.label_steps(None, "C") is None


# -- manual entry -----------------------------------------------------------------
def test_manual_epc():
    record = epc.manual_epc(
        " e ",
        "412,5",
        "2020-05-04",
        certificate_number="20200504-0001-RES-1",
        recommendations=[{"part": "dak", "text": "Isoleer het dak."}],
        address_id="200002",
        today=TODAY,
    )
    assert record.label == "E"
    assert record.score == 412.5
    assert record.valid_until == dt.date(2030, 5, 4)
    assert record.source == epc.SOURCE_MANUAL
    assert record.retrieved_on == TODAY
    assert record.recommendations == (epc.Recommendation("dak", "Isoleer het dak."),)
    assert epc.manual_epc("A+", 0, dt.date(2026, 3, 3), today=TODAY).label == "A+"


@pytest.mark.parametrize(
    ("args", "kwargs", "code", "field"),
    [
        (("G", 100, "2020-01-01"), {}, "label", "label"),
        ((None, 100, "2020-01-01"), {}, "label", "label"),
        (("C", "veel", "2020-01-01"), {}, "number", "score"),
        (("C", float("nan"), "2020-01-01"), {}, "number", "score"),
        (("C", True, "2020-01-01"), {}, "number", "score"),
        (("C", -5, "2020-01-01"), {}, "range", "score"),
        (("C", 99999, "2020-01-01"), {}, "range", "score"),
        (("C", 100, "2020-13-01"), {}, "date", "issued_on"),
        (("C", 100, "2026-03-04"), {}, "future", "issued_on"),
        (("C", 100, "2001-01-01"), {}, "too_old", "issued_on"),
        (
            ("C", 100, "2020-01-01"),
            {"valid_until": "2019-01-01"},
            "order",
            "valid_until",
        ),
        (
            ("C", 100, "2020-01-01"),
            {"certificate_number": "nr 1"},
            "format",
            "certificate_number",
        ),
        (
            ("C", 100, "2020-01-01"),
            {"certificate_number": "1\n2"},
            "line_break",
            "certificate_number",
        ),
    ],
)
def test_manual_epc_refuses_bad_input(args, kwargs, code, field):
    with pytest.raises(InputError) as err:
        epc.manual_epc(*args, today=TODAY, **kwargs)
    assert (err.value.code, err.value.field) == (code, field)

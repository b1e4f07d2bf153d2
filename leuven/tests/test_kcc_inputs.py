import datetime
import math

import pytest

from leuven.kcc import inputs
from leuven.kcc.inputs import InputError


@pytest.mark.parametrize(
    "value, code",
    [
        ("a\x00b", "control_character"),
        ("a\x07b", "control_character"),
        ("line\r\nbreak", "line_break"),
        (12, "type"),
        (["x"], "type"),
        ("x" * 81, "too_long"),
    ],
)
def test_check_text_refuses(value, code):
    with pytest.raises(InputError) as err:
        inputs.check_text(value, "subject", 80)
    assert err.value.code == code
    assert err.value.field == "subject"


def test_check_text_keeps_good_text():
    assert inputs.check_text("  Put in de straat ", "subject", 80) == "Put in de straat"
    assert inputs.check_text("a\nb\tc", "description", 80, multiline=True) == "a\nb\tc"
    assert inputs.check_text(None, "subject", 80) == ""
    with pytest.raises(InputError):
        inputs.check_text("  ", "subject", 80, required=True)


@pytest.mark.parametrize(
    "value", ["nan", "inf", "-inf", "1e308", "999", "-91", "abc", "1,5", "0x10", True]
)
def test_latitude_refused(value):
    with pytest.raises(InputError):
        inputs.parse_coordinate(value, "latitude", "latitude")


def test_coordinates_accepted():
    assert inputs.parse_coordinate("50.8798", "latitude", "latitude") == 50.8798
    assert inputs.parse_coordinate(-179.5, "longitude", "longitude") == -179.5
    assert inputs.parse_coordinate("", "latitude", "latitude") is None
    with pytest.raises(InputError):
        inputs.parse_coordinate(math.nan, "latitude", "latitude")


def test_point():
    assert inputs.parse_point("50.88", "4.70") == (50.88, 4.70)
    assert inputs.parse_point("", "") == (None, None)
    assert inputs.parse_point("0", "0") == (None, None)
    with pytest.raises(InputError):
        inputs.parse_point("50.88", "")


def test_is_real_point():
    assert inputs.is_real_point(50.88, 4.7)
    assert not inputs.is_real_point(0.0000001, 0.0000001)
    assert not inputs.is_real_point(0, 0)
    assert not inputs.is_real_point(None, 4.7)


def test_identifier():
    assert inputs.check_identifier("M-2026_001", "meldingId") == "M-2026_001"
    for bad in ("a\x00b", "a\r\nb", "", "x" * 200, "a b", None, 1.5):
        with pytest.raises(InputError):
            inputs.check_identifier(bad, "meldingId")


def test_loads_json():
    assert inputs.loads_json(b'{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    cases = {
        b"[" * 100000 + b"]" * 100000: "too_deep",
        b'{"a":' * 50 + b"1" + b"}" * 50: "too_deep",
        b"{": "malformed",
        b"\xff\xfe": "encoding",
        b"[1, 2]": "not_object",
        b'{"a": NaN}': "malformed",
        b'{"a": "x\\u0000y"}': "control_character",
        b'{"a": "' + b"x" * 300000 + b'"}': "too_large",
    }
    for body, code in cases.items():
        with pytest.raises(InputError) as err:
            inputs.loads_json(body)
        assert err.value.code == code, body[:40]


def test_brackets_inside_strings_do_not_count():
    body = '{"text": "' + "[" * 500 + '"}'
    assert inputs.loads_json(body) == {"text": "[" * 500}


def test_intake_text_caps_every_field_of_the_table():
    for field, limit in inputs.INTAKE_TEXT_LIMITS.items():
        with pytest.raises(InputError) as err:
            inputs.intake_text({field: "x" * (limit + 1)})
        assert (err.value.code, err.value.field) == ("too_long", field)
        assert inputs.intake_text({field: "x" * limit})[field] == "x" * limit


def test_intake_text_cleans_and_refuses():
    values = inputs.intake_text(
        {"subject": " Put \n in de\tweg ", "description": "a\nb", "latitude": 5.0}
    )
    assert values == {
        "subject": "Put in de weg",
        "description": "a\nb",
        "latitude": 5.0,
    }
    assert inputs.intake_text({"street": False, "city": None}) == {
        "street": False,
        "city": None,
    }
    with pytest.raises(InputError) as err:
        inputs.intake_text({"contact_name": "Ann\x00"})
    assert err.value.code == "control_character"
    with pytest.raises(InputError) as err:
        inputs.intake_text({"subject": ["x"]})
    assert err.value.code == "type"


def test_clip_text_never_raises():
    assert inputs.clip_text("a\x00b\x07c", 10) == "abc"
    assert inputs.clip_text("x" * 1_000_000, 5) == "xxxxx"
    assert inputs.clip_text(None, 5) == ""
    assert inputs.clip_text(12, 5) == "12"
    assert inputs.clip_text("regel\nregel", 20) == "regel\nregel"


@pytest.mark.parametrize(
    "value, code",
    [
        ("abc", "format"),
        ("9" * 30, "format"),
        ("\u00b2", "format"),
        ("1\x00", "format"),
        ("-5", "format"),
        ("0", "range"),
        (2**31, "range"),
        (True, "type"),
        (1.5, "type"),
        (["1"], "type"),
    ],
)
def test_parse_record_id_refuses(value, code):
    with pytest.raises(InputError) as err:
        inputs.parse_record_id(value, "category_id")
    assert err.value.code == code


def test_parse_record_id_accepts():
    assert inputs.parse_record_id(" 42 ", "x") == 42
    assert inputs.parse_record_id(2**31 - 1, "x") == 2**31 - 1


@pytest.mark.parametrize(
    "value, code",
    [
        (20261231, "type"),
        (["2026-12-01"], "type"),
        ("2026-13-45", "range"),
        ("2026-02-30", "range"),
        ("2026-12-01\x00", "format"),
        ("2026-12-01T10:00:00", "format"),
        ("01/12/2026", "format"),
    ],
)
def test_parse_date_refuses(value, code):
    with pytest.raises(InputError) as err:
        inputs.parse_date(value, "date")
    assert err.value.code == code


def test_parse_date_accepts():
    assert inputs.parse_date("2026-12-01", "date") == datetime.date(2026, 12, 1)
    assert inputs.parse_date(None, "date") is None
    assert inputs.parse_date("", "date") is None


@pytest.mark.parametrize(
    "value",
    ["/my", "/my/cases?page=2", "/kcc/report#map", "/my/cases/7?a=%2F", "/a//b"],
)
def test_local_path_accepts_paths_of_this_site(value):
    assert inputs.local_path(value, "/my") == value


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/%5Cevil.example",
        "/%5cevil.example",
        "/%2Fevil.example",
        "/%2f%2fevil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/%09/evil.example",
        "/my\x00",
        "/my page",
        "https://evil.example/my",
        "javascript:alert(1)",
        "evil.example/my",
        "",
        None,
        ["/my"],
        "/" + "a" * 5000,
    ],
)
def test_local_path_refuses_other_sites_and_odd_values(value):
    assert inputs.local_path(value, "/my") == "/my"

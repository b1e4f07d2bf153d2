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

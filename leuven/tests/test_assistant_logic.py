"""JsonLogic with JavaScript's conversions, without node.

``test_assistant_js_agreement.py`` compares the Python evaluator with
json-logic-js itself; these are the answers json-logic-js gives, written out,
so that they are checked where node is not installed too.
"""

import math

import pytest

from leuven.assistant.logic import apply, js_number, js_string


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (-1e-6, "-0.000001"),
        (1.5e-7, "1.5e-7"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (10**21, "1e+21"),
        (2**53 + 1, "9007199254740992"),
        (1.0, "1"),
        (-0.0, "0"),
        (0.1, "0.1"),
        (123456789.125, "123456789.125"),
        (-1.5e300, "-1.5e+300"),
        (5e-324, "5e-324"),
        (math.nan, "NaN"),
        (-math.inf, "-Infinity"),
    ],
)
def test_numbers_become_text_as_in_javascript(number, text):
    assert js_string(number) == text
    assert apply({"cat": ["<", {"var": "n"}, ">"]}, {"n": number}) == f"<{text}>"


def test_in_finds_the_javascript_text_of_a_number():
    assert apply({"in": [1e-6, "limit 0.000001 mg"]}) is True
    assert apply({"in": [1e-6, "limit 1e-06 mg"]}) is False
    assert apply({"in": [1.0, "v1"]}) is True
    assert apply({"in": [1.0, "v1.0"]}) is True  # "1" is in "v1.0"
    assert apply({"in": [1e21, "1e+21"]}) is True


def test_cat_writes_null_as_nothing():
    assert apply({"cat": ["a", None, [1, None, 2], True]}) == "a1,,2true"


@pytest.mark.parametrize("text", ["٣", "３", "३", "𝟑", "1٣", "²", "\u200b3"])
def test_only_ascii_digits_are_numbers(text):
    assert math.isnan(js_number(text))
    for op in ("<", "<=", ">", ">="):
        assert apply({op: [{"var": "t"}, 5]}, {"t": text}) is False
        assert apply({op: [5, {"var": "t"}]}, {"t": text}) is False


def test_javascript_number_text_still_counts():
    assert js_number(" 3\u00a0") == 3
    assert js_number("0x1F") == 31
    assert js_number(".5") == 0.5
    assert math.isnan(js_number("1_000"))
    assert math.isnan(js_number("inf"))
    assert apply({"<": ["3", 5]}) is True


def test_var_with_a_number_key():
    assert apply({"var": 0}, {"0": "zero"}) == "zero"
    assert apply({"var": [0]}, ["first", "second"]) == "first"
    assert apply({"var": 1}, ["first", "second"]) == "second"
    assert apply({"var": 2}, ["first", "second"]) is None
    assert apply({"var": -1}, ["first"]) is None
    assert apply({"var": 1.5}, {"1": {"5": "deep"}}) == "deep"
    assert apply({"var": 0}, "h\u00e9") == "h"
    assert apply({"var": "a.length"}, {"a": [1, 2, 3]}) == 3
    assert apply({"var": "a.01"}, {"a": [1, 2, 3]}) is None
    assert apply({"missing": [0, 1, 2]}, ["a", ""]) == [1, 2]


def test_var_returns_a_null_it_finds_and_the_default_for_what_is_missing():
    assert apply({"var": ["a", "d"]}, {"a": None}) is None
    assert apply({"var": ["a.b", "d"]}, {"a": None}) == "d"
    assert apply({"var": ["x", "d"]}, {"a": None}) == "d"

"""The rule builder's rows and the JsonLogic stored underneath."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from leuven.assistant import conditions
from leuven.assistant.logic import apply

TOPICS = Path(__file__).resolve().parent.parent / "assistant" / "topics"

QUESTIONS = [
    {"id": "leeftijd", "type": "number", "label": {"nl": "Leeftijd"}},
    {"id": "woont_in_leuven", "type": "yes_no", "label": {"nl": "Woont in Leuven"}},
    {
        "id": "soort",
        "type": "single_choice",
        "label": {"nl": "Soort afval"},
        "options": [
            {"value": "rest", "label": {"nl": "Restafval"}},
            {"value": "pmd", "label": {"nl": "PMD"}},
            {"value": "glas", "label": {"nl": "Glas"}},
        ],
    },
    {"id": "straat", "type": "text", "label": {"nl": "Straat"}},
    {"id": "datum", "type": "date", "label": {"nl": "Datum"}},
]
DUTCH = {
    "and": "en",
    "or": "of",
    "yes": "Ja",
    "no": "Nee",
    "one_of": "is een van",
    "contains": "bevat",
    "between": "tussen %(low)s en %(high)s",
    "answered": "is beantwoord",
    "not_answered": "is niet beantwoord",
}


def row(question, operator, value=None, value2=None):
    item = {"type": "row", "question": question, "operator": operator}
    if operator not in ("answered", "not_answered"):
        item["value"] = value
    if operator == "between":
        item["value2"] = value2
    return item


def group(op, *children):
    return {"type": "group", "op": op, "children": list(children)}


# (rows, answers, expected truth): what an author means by the rows
MEANINGS = [
    (row("leeftijd", "ge", 18), {"leeftijd": 18}, True),
    (row("leeftijd", "ge", 18), {"leeftijd": 17}, False),
    (row("leeftijd", "gt", 18), {"leeftijd": 18}, False),
    (row("leeftijd", "lt", 18), {"leeftijd": 17.5}, True),
    (row("leeftijd", "le", 18), {"leeftijd": 18}, True),
    (row("leeftijd", "is", 18), {"leeftijd": 18}, True),
    (row("leeftijd", "is_not", 18), {"leeftijd": 18}, False),
    (row("leeftijd", "between", 18, 65), {"leeftijd": 65}, True),
    (row("leeftijd", "between", 18, 65), {"leeftijd": 66}, False),
    (row("leeftijd", "between", 18, 65), {"leeftijd": 17}, False),
    (row("datum", "lt", "2025-01-01"), {"datum": "2024-12-31"}, True),
    (row("datum", "ge", "2025-01-01"), {"datum": "2024-12-31"}, False),
    (row("woont_in_leuven", "is", True), {"woont_in_leuven": True}, True),
    (row("woont_in_leuven", "is", True), {"woont_in_leuven": False}, False),
    (row("soort", "is", "pmd"), {"soort": "pmd"}, True),
    (row("soort", "is_not", "pmd"), {"soort": "rest"}, True),
    (row("soort", "one_of", ["rest", "glas"]), {"soort": "glas"}, True),
    (row("soort", "one_of", ["rest", "glas"]), {"soort": "pmd"}, False),
    (row("straat", "is", "Naamsestraat"), {"straat": "Naamsestraat"}, True),
    (row("straat", "contains", "straat"), {"straat": "Naamsestraat"}, True),
    (row("straat", "contains", "plein"), {"straat": "Naamsestraat"}, False),
    (row("straat", "answered"), {"straat": "x"}, True),
    (row("straat", "answered"), {}, False),
    (row("straat", "not_answered"), {}, True),
    (
        group("and", row("leeftijd", "ge", 18), row("woont_in_leuven", "is", True)),
        {"leeftijd": 30, "woont_in_leuven": False},
        False,
    ),
    (
        group("or", row("leeftijd", "ge", 18), row("woont_in_leuven", "is", True)),
        {"leeftijd": 30, "woont_in_leuven": False},
        True,
    ),
    (
        group(
            "and",
            row("soort", "is", "rest"),
            group("or", row("leeftijd", "lt", 12), row("leeftijd", "ge", 65)),
        ),
        {"soort": "rest", "leeftijd": 70},
        True,
    ),
    (
        group(
            "and",
            row("soort", "is", "rest"),
            group("or", row("leeftijd", "lt", 12), row("leeftijd", "ge", 65)),
        ),
        {"soort": "rest", "leeftijd": 30},
        False,
    ),
]


@pytest.mark.parametrize(("rows", "answers", "expected"), MEANINGS)
def test_stored_logic_evaluates_as_the_rows_say(rows, answers, expected):
    logic = conditions.to_logic(rows)
    assert bool(apply(logic, answers)) is expected
    # and the builder reads back the same rows from what it stored
    tree = conditions.to_rows(logic)
    assert conditions.to_logic(tree) == logic
    if rows["type"] == "group":
        assert tree == rows
    else:
        assert tree == group("and", rows)


def test_every_condition_of_the_shipped_topics_is_shown_as_rows():
    for path in sorted(TOPICS.glob("*.json")):
        package = json.loads(path.read_text(encoding="utf-8"))
        logics = [rule["if"] for rule in package["rules"]]
        logics += [q["visible_if"] for q in package["questions"] if "visible_if" in q]
        for logic in logics:
            tree = conditions.to_rows(logic)
            assert tree is not None, (path.name, logic)
            assert conditions.to_logic(tree) == logic


@pytest.mark.parametrize(
    "logic",
    [
        True,
        {"!": {"var": "soort"}},
        {"===": [{"var": "soort"}, {"var": "andere"}]},
        {"===": ["pmd", {"var": "soort"}]},
        {"and": [{"===": [{"var": "soort"}, "pmd"]}]},
        {"and": [{"===": [{"var": "soort"}, "pmd"]}, {"missing": ["leeftijd"]}]},
        {"some": [{"var": "soort"}, {"===": [{"var": ""}, "pmd"]}]},
        {"<": [{"var": "leeftijd"}, 18, 65]},
        {"in": [{"var": "soort"}, []]},
        {"var": "woont_in_leuven"},
    ],
)
def test_what_the_builder_cannot_show_is_left_as_json(logic):
    assert conditions.to_rows(logic) is None
    assert conditions.describe(logic, QUESTIONS) == json.dumps(
        logic, ensure_ascii=False, separators=(",", ":")
    )


def test_empty_builder_stores_no_condition():
    assert conditions.to_rows(None) == group("and")
    assert conditions.to_logic(group("and")) is None
    # a row without a question yet and an empty group are left out
    tree = group("and", row("leeftijd", "ge", 18), row("", "is"), group("or"))
    assert conditions.to_logic(tree) == {">=": [{"var": "leeftijd"}, 18]}


def test_sentence_in_dutch_with_labels_and_option_labels():
    logic = {
        "and": [
            {">=": [{"var": "leeftijd"}, 18]},
            {"===": [{"var": "woont_in_leuven"}, True]},
        ]
    }
    assert (
        conditions.describe(logic, QUESTIONS, DUTCH)
        == "Leeftijd ≥ 18 en Woont in Leuven = Ja"
    )
    logic = {
        "or": [
            {"in": [{"var": "soort"}, ["rest", "glas"]]},
            {
                "and": [
                    {"<=": [18, {"var": "leeftijd"}, 65]},
                    {"in": ["plein", {"var": "straat"}]},
                    {"!==": [{"var": "datum"}, None]},
                ]
            },
        ]
    }
    assert conditions.describe(logic, QUESTIONS, DUTCH) == (
        "Soort afval is een van Restafval, Glas of (Leeftijd tussen 18 en 65 en "
        'Straat bevat "plein" en Datum is beantwoord)'
    )
    # an unknown question is named by its id
    assert (
        conditions.describe({"!==": [{"var": "x"}, "pmd"]}, QUESTIONS, DUTCH)
        == 'x ≠ "pmd"'
    )


BUILDER_JS = (
    Path(__file__).resolve().parents[2]
    / "addons"
    / "leuven_assistant"
    / "static"
    / "src"
    / "condition_builder"
    / "condition_logic.js"
)
RUNNER = """
import { readFileSync } from "node:fs";
import { toLogic, toRows } from "./condition_logic.mjs";
const logics = JSON.parse(readFileSync(0, "utf-8"));
const out = logics.map((logic) => {
    const rows = toRows(logic);
    return { rows, logic: rows === null ? null : toLogic(rows) };
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(not shutil.which("node"), reason="node is not on PATH")
def test_the_builder_in_the_browser_converts_as_the_server(tmp_path):
    """The rule builder's JavaScript reads and writes the same JsonLogic."""
    logics = [conditions.to_logic(rows) for rows, _answers, _truth in MEANINGS]
    for path in sorted(TOPICS.glob("*.json")):
        package = json.loads(path.read_text(encoding="utf-8"))
        logics += [rule["if"] for rule in package["rules"]]
        logics += [q["visible_if"] for q in package["questions"] if "visible_if" in q]
    logics += [
        True,
        {"!": {"var": "soort"}},
        {"===": ["pmd", {"var": "soort"}]},
        {"and": [{"===": [{"var": "soort"}, "pmd"]}]},
        {"<": [{"var": "leeftijd"}, 18, 65]},
        {"in": [{"var": "soort"}, []]},
    ]
    (tmp_path / "condition_logic.mjs").write_text(BUILDER_JS.read_text())
    (tmp_path / "run.mjs").write_text(RUNNER)
    result = subprocess.run(
        [shutil.which("node"), str(tmp_path / "run.mjs")],
        input=json.dumps(logics),
        capture_output=True,
        text=True,
        check=True,
    )
    for logic, js in zip(logics, json.loads(result.stdout), strict=True):
        assert js["rows"] == conditions.to_rows(logic), logic
        if js["rows"] is not None:
            assert js["logic"] == logic

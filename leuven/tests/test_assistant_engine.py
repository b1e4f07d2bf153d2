import copy
import json
from pathlib import Path

import pytest

from leuven.assistant import engine

TOPICS = Path(__file__).resolve().parent.parent / "assistant" / "topics"


def parking():
    return json.loads((TOPICS / "bewonersparkeerkaart.json").read_text())


def test_questions_come_one_after_the_other():
    topic = parking()
    state = engine.evaluate(topic, {})
    assert [q["id"] for q in state["next"]] == ["woont_in_leuven"]
    state = engine.evaluate(topic, {"woont_in_leuven": True})
    assert state["next"][0]["id"] == "in_zone"
    assert not state["complete"] and not state["outcomes"]


def test_outcome_with_its_explanation():
    state = engine.evaluate(
        parking(),
        {
            "woont_in_leuven": True,
            "in_zone": True,
            "voertuig": "eigen",
            "kaarten_gezin": "geen",
        },
    )
    assert state["complete"]
    assert [o["id"] for o in state["outcomes"]] == ["eerste_kaart"]
    assert state["trace"] == ["eerste"]


def test_hidden_questions_are_not_asked():
    state = engine.evaluate(parking(), {"woont_in_leuven": False})
    assert state["complete"]
    assert [o["id"] for o in state["outcomes"]] == ["geen_leuvenaar"]


def test_going_back_and_changing_an_answer_drops_the_hidden_ones():
    # the citizen first said he lives in a zone and answered on, then went
    # back to say he does not live in Leuven: the later answers no longer count
    answers = {
        "woont_in_leuven": False,
        "in_zone": True,
        "voertuig": "eigen",
        "kaarten_gezin": "geen",
    }
    state = engine.evaluate(parking(), answers)
    assert [o["id"] for o in state["outcomes"]] == ["geen_leuvenaar"]
    assert engine.relevant_answers(parking(), answers) == {"woont_in_leuven": False}


@pytest.mark.parametrize("path", sorted(TOPICS.glob("*.json")), ids=lambda p: p.stem)
def test_every_shipped_topic_is_sound_and_passes_its_scenarios(path):
    topic = json.loads(path.read_text())
    assert engine.validate(topic) == []
    assert engine.run_scenarios(topic) == []
    reached = {o for s in topic["scenarios"] for o in s["expect"]}
    assert reached == {o["id"] for o in topic["outcomes"]}, (
        "every outcome has a scenario"
    )


def broken(change):
    topic = parking()
    change(topic)
    return " | ".join(engine.validate(topic))


def test_validation_finds_each_kind_of_defect():
    def unknown_reference(t):
        t["questions"][1]["visible_if"] = {"==": [{"var": "bestaat_niet"}, True]}

    def cycle(t):
        t["questions"][0]["visible_if"] = {"==": [{"var": "in_zone"}, True]}

    def unused_option(t):
        t["questions"][2]["options"].append({"value": "deelauto", "label": {"nl": "x"}})

    def unreachable_outcome(t):
        t["outcomes"].append({"id": "vergeten", "title": {"nl": "x"}})

    def dead_end(t):
        t["rules"] = [r for r in t["rules"] if r["id"] != "extra"]

    def unknown_outcome(t):
        t["rules"][0]["then"] = "nergens"

    assert "unknown question 'bestaat_niet'" in broken(unknown_reference)
    assert "cycle" in broken(cycle)
    assert "option 'deelauto'" in broken(unused_option)
    assert "outcome 'vergeten' is reached by no rule" in broken(unreachable_outcome)
    assert "reach no outcome" in broken(dead_end)
    assert "unknown outcome 'nergens'" in broken(unknown_outcome)

    def loose_equality(t):
        t["rules"][0]["if"] = {"==": [{"var": "woont_in_leuven"}, False]}

    assert "use '===' and '!=='" in broken(loose_equality)


def test_schema_rejects_malformed_packages():
    topic = parking()
    topic["questions"][0]["type"] = "slider"
    del topic["version"]
    topic["extra"] = 1
    problems = engine.validate(topic)
    assert any(
        p.startswith("package: 'version' is a required property") for p in problems
    )
    assert any(p.startswith("questions/0/type") for p in problems)
    assert any("extra" in p for p in problems)
    assert engine.validate([]) == ["package: [] is not of type 'object'"]


def test_scenario_failures_are_reported():
    topic = copy.deepcopy(parking())
    topic["scenarios"][0]["expect"] = ["eerste_kaart"]
    failures = engine.run_scenarios(topic)
    assert failures == [
        "niet in Leuven: expected ['eerste_kaart'], got ['geen_leuvenaar']"
    ]


def test_operators_the_evaluators_disagree_on_are_refused():
    def use(logic):
        def change(t):
            t["rules"][0]["if"] = {"and": [logic, {"var": "woont_in_leuven"}]}

        return broken(change)

    assert "operator '+' is refused: arithmetic" in use({">": [{"+": [1, 1]}, 1]})
    assert "operator 'cat' is refused" in use({"===": [{"cat": ["a", 1]}, "a1"]})
    assert "operator 'max' is refused" in use({"===": [{"max": [1]}, 1]})
    assert "operator 'substr' is refused: not among" in use(
        {"===": [{"substr": ["ab", 1]}, "b"]}
    )
    assert "'var' with a default value is refused" in use(
        {"===": [{"var": ["woont_in_leuven", False]}, False]}
    )
    assert "'or' needs a list of at least one condition" in use({"or": []})
    assert use({"<": [{"var": "woont_in_leuven"}, 1, 2]}).count("refused") == 0


def test_comparisons_follow_json_logic_js():
    from leuven.assistant.logic import apply

    # where panzi-json-logic alone differs from json-logic-js
    assert apply({"===": [True, 1]}) is False
    assert apply({"!==": [0, False]}) is True
    assert apply({"===": [[1], [1]]}) is False
    assert apply({"===": [1, 1.0]}) is True
    assert apply({">": [{"var": "datum"}, "2026-01-01"]}, {"datum": None}) is False
    assert apply({">=": [True, ""]}) is True
    assert apply({"<": ["", 1]}) is True
    assert apply({"in": [True, [1, 2]]}) is False
    assert apply({"in": ["", ""]}) is False
    # and where they agree
    assert apply({"<": ["2025-12-31", "2026-01-01"]}) is True
    assert apply({"<=": [1, {"var": "n"}, 3]}, {"n": 3}) is True
    assert apply({">=": [{"var": "n"}, 100]}, {"n": "100"}) is True
    assert apply({"in": ["eigen", ["eigen", "lease"]]}) is True
    assert apply({"in": ["ven", "Leuven"]}) is True


def _all_types():
    return {
        "questions": [
            {"id": "yn", "type": "yes_no"},
            {"id": "one", "type": "single_choice", "options": [{"value": "a"}]},
            {
                "id": "many",
                "type": "multiple_choice",
                "options": [{"value": "a"}, {"value": 2}],
            },
            {"id": "n", "type": "number"},
            {"id": "d", "type": "date"},
            {"id": "pc", "type": "postcode"},
            {"id": "t", "type": "text"},
        ]
    }


def test_answers_of_the_right_type_are_no_problem():
    answers = {
        "yn": False,
        "one": "a",
        "many": ["a", 2],
        "n": 2.5,
        "d": "2026-02-28",
        "pc": "3000",
        "t": "Naamsestraat 1",
        "unknown": {"nested": [1]},  # does not count
        "t2": None,
    }
    assert engine.answer_problems(_all_types(), answers) == {}
    assert engine.answer_problems(_all_types(), {"yn": None, "many": []}) == {}


@pytest.mark.parametrize(
    ("qid", "value"),
    [
        ("yn", 1),
        ("yn", "true"),
        ("one", "b"),
        ("one", True),
        ("one", ["a"]),
        ("one", {"value": "a"}),
        ("many", "a"),
        ("many", ["a", "2"]),
        ("many", [["a"]]),
        ("many", ["a", 2, "a"]),
        ("n", "3"),
        ("n", True),
        ("n", 1e400),
        ("d", "2026-02-30"),
        ("d", "20260101"),
        ("d", 20260101),
        ("pc", 3000),
        ("t", ["Naamsestraat"]),
        ("t", "x" * (engine.ANSWER_TEXT_MAX + 1)),
    ],
)
def test_answers_of_the_wrong_type_are_problems(qid, value):
    assert set(engine.answer_problems(_all_types(), {qid: value})) == {qid}


def test_answers_must_be_an_object():
    assert engine.answer_problems(_all_types(), ["yn"]) == {"": "not an object"}


def test_every_shipped_scenario_has_answers_of_the_right_type():
    for path in sorted(TOPICS.glob("*.json")):
        package = json.loads(path.read_text())
        for scenario in package.get("scenarios", []):
            problems = engine.answer_problems(package, scenario["answers"])
            assert problems == {}, (path.name, scenario["name"], problems)

"""Validation as a proof over the answer classes: broken and sound packages."""

import copy
import json
from pathlib import Path

import pytest

from leuven.assistant import engine, proof

TOPICS = Path(__file__).resolve().parent.parent / "assistant" / "topics"


def question(qid, kind="yes_no", options=(), visible_if=None):
    item = {"id": qid, "type": kind, "label": {"nl": qid}}
    if options:
        item["options"] = [{"value": v, "label": {"nl": str(v)}} for v in options]
    if visible_if is not None:
        item["visible_if"] = visible_if
    return item


def package(questions, rules, outcomes=None):
    targets = outcomes or sorted({then for _, then in rules})
    return {
        "id": "test",
        "version": "1.0.0",
        "title": {"nl": "Test"},
        "questions": questions,
        "outcomes": [{"id": o, "title": {"nl": o}} for o in targets],
        "rules": [
            {"id": f"r{index + 1}", "if": condition, "then": then}
            for index, (condition, then) in enumerate(rules)
        ],
    }


def var(name):
    return {"var": name}


def codes(problems):
    return sorted(p.code for p in problems)


def by_code(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"no {code} in {list(problems)}"
    return found


def gap_answers(problems):
    return json.loads(by_code(problems, "dead_end")[0].params["answers"])


def reached(topic, answers):
    return sorted(o["id"] for o in engine.evaluate(topic, answers)["outcomes"])


# ------------------------------------------------------------------ never raise


@pytest.mark.parametrize(
    "condition",
    [
        {"regex": [var("a"), "x"]},
        {"log": [var("a")]},
        {"__class__": [var("a")]},
        {"var": "__class__"},
        {"===": [{"var": ["a", "default"]}, True]},
        {"and": []},
        {"+": [var("a"), 1]},
        {"cat": [var("a"), "x"]},
        {"===": [{"method": [var("a"), "upper"]}, "X"]},
    ],
    ids=lambda c: json.dumps(c)[:30],
)
def test_refused_or_unknown_operators_are_reported_never_raised(condition):
    topic = package(
        [question("a"), question("b", visible_if=copy.deepcopy(condition))],
        [(condition, "ja"), ({"===": [var("a"), False]}, "nee")],
    )
    problems = engine.validate(topic)
    assert problems
    assert all(isinstance(p, engine.Problem) for p in problems)
    assert engine.errors(problems), problems
    assert "check_failed" not in codes(problems)


def test_refused_operator_is_never_executed(monkeypatch):
    calls = []
    real = engine.evaluate_logic

    def spy(logic, data=None):
        calls.append(json.dumps(logic))
        return real(logic, data)

    monkeypatch.setattr(engine, "evaluate_logic", spy)
    monkeypatch.setattr(proof, "evaluate_logic", spy)
    topic = package(
        [question("a"), question("n")],
        [({"log": [var("n")]}, "ja"), ({"===": [var("a"), False]}, "nee")],
    )
    problems = engine.validate(topic)
    assert "refused_operator" in codes(problems)
    assert not [c for c in calls if '"log"' in c]


def test_malformed_packages_give_problems():
    for broken in (None, [], "x", 1, {"questions": "x"}, {"rules": [1]}):
        problems = engine.validate(broken)
        assert problems and engine.errors(problems)


def test_a_failing_check_is_reported(monkeypatch):
    def boom(package):
        raise RuntimeError("kapot")

    monkeypatch.setattr(engine, "_proof_problems", boom)
    topic = package([question("a")], [({"===": [var("a"), True]}, "x")])
    problems = engine.validate(topic)
    assert codes(problems) == ["check_failed"]
    assert "kapot" in problems[0]
    assert engine.errors(problems)


# ------------------------------------------------------------------ gaps


def test_number_gap_at_the_boundary():
    topic = package(
        [question("m2", "number")],
        [({"<": [var("m2"), 25]}, "klein"), ({">": [var("m2"), 25]}, "groot")],
    )
    problems = engine.validate(topic)
    assert codes(engine.errors(problems)) == ["dead_end"]
    assert gap_answers(problems) == {"m2": 25}
    assert reached(topic, {"m2": 25}) == []


def test_number_gap_between_two_bounds():
    topic = package(
        [question("m2", "number")],
        [({"<=": [var("m2"), 10]}, "klein"), ({">=": [var("m2"), 40]}, "groot")],
    )
    answers = gap_answers(engine.validate(topic))
    assert 10 < answers["m2"] < 40
    assert reached(topic, answers) == []


def test_number_gap_with_between_operator_and_reversed_operands():
    topic = package(
        [question("m2", "number")],
        [
            ({"<": [0, var("m2"), 25]}, "klein"),
            ({"<": [25, var("m2")]}, "groot"),
        ],
    )
    answers = gap_answers(engine.validate(topic))
    assert answers["m2"] <= 0 or answers["m2"] == 25
    assert reached(topic, answers) == []


def test_number_without_gap_is_sound():
    topic = package(
        [question("m2", "number")],
        [({"<": [var("m2"), 25]}, "klein"), ({">=": [var("m2"), 25]}, "groot")],
    )
    assert engine.validate(topic) == []


def test_date_gap_on_the_day_itself():
    topic = package(
        [question("start", "date")],
        [
            ({"<": [var("start"), "2025-07-01"]}, "oud"),
            ({">": [var("start"), "2025-07-01"]}, "nieuw"),
        ],
    )
    assert gap_answers(engine.validate(topic)) == {"start": "2025-07-01"}


def test_date_gap_between_two_days():
    topic = package(
        [question("start", "date")],
        [
            ({"<=": [var("start"), "2025-01-31"]}, "oud"),
            ({">=": [var("start"), "2025-03-01"]}, "nieuw"),
        ],
    )
    answers = gap_answers(engine.validate(topic))
    assert "2025-01-31" < answers["start"] < "2025-03-01"
    assert reached(topic, answers) == []


def test_date_without_gap_is_sound():
    topic = package(
        [question("start", "date")],
        [
            ({"<": [var("start"), "2025-07-01"]}, "oud"),
            ({">=": [var("start"), "2025-07-01"]}, "nieuw"),
        ],
    )
    assert engine.validate(topic) == []


def test_text_gap_for_anything_else():
    topic = package(
        [question("straat", "text")],
        [({"===": [var("straat"), "Naamsestraat"]}, "centrum")],
    )
    answers = gap_answers(engine.validate(topic))
    assert answers["straat"] != "Naamsestraat"
    assert reached(topic, answers) == []


def test_text_with_a_catch_all_is_sound():
    topic = package(
        [question("straat", "text")],
        [
            ({"===": [var("straat"), "Naamsestraat"]}, "centrum"),
            ({"!==": [var("straat"), "Naamsestraat"]}, "elders"),
        ],
    )
    assert engine.validate(topic) == []


def test_gap_behind_nested_visibility():
    topic = package(
        [
            question("woont", "yes_no"),
            question(
                "zone", "single_choice", ["a", "b"], {"===": [var("woont"), True]}
            ),
            question("m2", "number", visible_if={"===": [var("zone"), "b"]}),
        ],
        [
            ({"===": [var("woont"), False]}, "nee"),
            ({"===": [var("zone"), "a"]}, "zone_a"),
            ({">": [var("m2"), 100]}, "groot"),
        ],
    )
    answers = gap_answers(engine.validate(topic))
    assert answers["woont"] is True and answers["zone"] == "b"
    assert answers["m2"] <= 100
    assert reached(topic, answers) == []


def test_gap_with_choice_questions_names_the_answers():
    topic = package(
        [question("a"), question("b", "single_choice", ["x", "y", "z"])],
        [
            ({"===": [var("a"), True]}, "ja"),
            ({"in": [var("b"), ["x", "y"]]}, "xy"),
        ],
    )
    assert gap_answers(engine.validate(topic)) == {"a": False, "b": "z"}


def test_gap_with_multiple_choice():
    topic = package(
        [question("werken", "multiple_choice", ["dak", "muur", "vloer"])],
        [
            ({"in": ["dak", var("werken")]}, "dak"),
            ({"in": ["muur", var("werken")]}, "muur"),
        ],
    )
    assert gap_answers(engine.validate(topic)) == {"werken": ["vloer"]}


# ------------------------------------------------------------------ outcomes


def test_yes_no_compared_with_text_never_reaches_its_outcome():
    topic = package(
        [question("a")],
        [
            ({"===": [var("a"), "ja"]}, "ja"),
            ({"===": [var("a"), False]}, "nee"),
            ({"===": [var("a"), True]}, "nee"),
        ],
        outcomes=["ja", "nee"],
    )
    problems = engine.validate(topic)
    assert "outcome_never_reached" in codes(engine.errors(problems))
    assert by_code(problems, "outcome_never_reached")[0].path == "outcomes/ja"
    assert by_code(problems, "impossible_comparison_rule")[0].params["question"] == "a"


def test_contradictory_rule_never_reaches_its_outcome():
    topic = package(
        [question("m2", "number")],
        [
            ({"and": [{"<": [var("m2"), 10]}, {">": [var("m2"), 20]}]}, "raar"),
            ({">=": [var("m2"), 0]}, "ok"),
            ({"<": [var("m2"), 0]}, "ok"),
        ],
        outcomes=["raar", "ok"],
    )
    problems = engine.validate(topic)
    assert codes(engine.errors(problems)) == ["outcome_never_reached"]


def test_outcome_behind_a_hidden_question_is_unreachable():
    topic = package(
        [
            question("a"),
            question("b", visible_if={"===": [var("a"), True]}),
        ],
        [
            ({"===": [var("a"), True]}, "ja"),
            ({"===": [var("a"), False]}, "nee"),
            ({"and": [{"===": [var("a"), False]}, {"===": [var("b"), True]}]}, "b"),
        ],
    )
    problems = engine.validate(topic)
    assert "outcome_never_reached" in codes(problems)
    assert by_code(problems, "outcome_never_reached")[0].params["outcome"] == "b"


def test_rule_that_never_fires_is_a_warning():
    topic = package(
        [question("a")],
        [
            ({"===": [var("a"), True]}, "ja"),
            ({"===": [var("a"), False]}, "nee"),
            ({"and": [{"===": [var("a"), True]}, {"!": var("a")}]}, "nee"),
        ],
    )
    problems = engine.validate(topic)
    assert codes(problems) == ["rule_never_fires"]
    assert not engine.errors(problems)
    assert problems[0].path == "rules/r3"


# ------------------------------------------------------------------ questions


def test_question_with_contradictory_condition_is_never_shown():
    topic = package(
        [
            question("a"),
            question(
                "b",
                visible_if={
                    "and": [{"===": [var("a"), True]}, {"===": [var("a"), False]}]
                },
            ),
        ],
        [({"===": [var("a"), True]}, "ja"), ({"===": [var("a"), False]}, "nee")],
    )
    problems = engine.validate(topic)
    assert "question_never_shown" in codes(problems)
    assert by_code(problems, "question_never_shown")[0].path == "questions/b"
    assert not engine.errors(problems)


def test_question_compared_with_a_value_that_is_no_option_is_never_shown():
    topic = package(
        [
            question("zone", "single_choice", ["a", "b"]),
            question("m2", "number", visible_if={"===": [var("zone"), "c"]}),
        ],
        [({"in": [var("zone"), ["a", "b"]]}, "ok")],
    )
    problems = engine.validate(topic)
    assert "question_never_shown" in codes(problems)
    assert "impossible_comparison_question" in codes(problems)


def test_question_depending_on_a_question_hidden_on_that_path_is_never_shown():
    topic = package(
        [
            question("a"),
            question("b", visible_if={"===": [var("a"), True]}),
            question(
                "c",
                visible_if={
                    "and": [{"===": [var("a"), False]}, {"===": [var("b"), True]}]
                },
            ),
        ],
        [({"===": [var("a"), True]}, "ja"), ({"===": [var("a"), False]}, "nee")],
    )
    problems = engine.validate(topic)
    shown = by_code(problems, "question_never_shown")
    assert [p.params["question"] for p in shown] == ["c"]


def test_number_condition_outside_the_range_of_a_previous_rule():
    topic = package(
        [
            question("leeftijd", "number"),
            question(
                "student",
                visible_if={
                    "and": [
                        {"<": [var("leeftijd"), 18]},
                        {">": [var("leeftijd"), 65]},
                    ]
                },
            ),
        ],
        [({">=": [var("leeftijd"), 0]}, "ok"), ({"<": [var("leeftijd"), 0]}, "ok")],
    )
    assert "question_never_shown" in codes(engine.validate(topic))


# ------------------------------------------------------------------ sound


@pytest.mark.parametrize("path", sorted(TOPICS.glob("*.json")), ids=lambda p: p.stem)
def test_shipped_topics_have_no_false_alarm(path):
    assert engine.validate(json.loads(path.read_text())) == []


def test_sound_topic_with_nested_numbers_and_dates():
    topic = package(
        [
            question("eigenaar"),
            question("m2", "number", visible_if={"===": [var("eigenaar"), True]}),
            question("sinds", "date", visible_if={">=": [var("m2"), 25]}),
        ],
        [
            ({"===": [var("eigenaar"), False]}, "geen"),
            ({"<": [var("m2"), 25]}, "klein"),
            ({"<": [var("sinds"), "2020-01-01"]}, "oud"),
            ({">=": [var("sinds"), "2020-01-01"]}, "nieuw"),
        ],
    )
    assert engine.validate(topic) == []


def test_problems_have_severity_path_and_counter_example():
    topic = package(
        [question("m2", "number")],
        [({"<": [var("m2"), 25]}, "klein"), ({">": [var("m2"), 25]}, "groot")],
    )
    (gap,) = engine.validate(topic)
    assert gap.severity == "error"
    assert gap.params["answers"] == '{"m2": 25}'
    assert "reach no outcome" in gap


# ------------------------------------------------------------------ budget


def chain(count, numeric=True):
    questions, rules = [], []
    for index in range(count):
        visible = {">=": [var(f"q{index - 1}"), 10]} if index else None
        questions.append(question(f"q{index}", "number", visible_if=visible))
        rules.append(({"<": [var(f"q{index}"), 10]}, "stop"))
    rules.append(({">=": [var(f"q{count - 1}"), 10]}, "klaar"))
    return package(questions, rules)


def test_large_topic_is_proven():
    assert engine.validate(chain(50)) == []


def test_too_large_topic_says_what_was_proven():
    questions = [question(f"q{i}", "number") for i in range(12)]
    everything = {"and": [{">": [var(f"q{i}"), i]} for i in range(12)]}
    parts = [{"===": [var(f"q{i}"), i]} for i in range(12)]
    topic = package(
        questions,
        [(everything, "alles"), ({"or": parts}, "iets"), ({"!": everything}, "x")],
    )
    problems = engine._proof_problems(topic, budget=50)
    assert codes(problems) == ["not_proven"]
    assert problems[0].severity == "warning"
    assert "of 12 questions" in problems[0]

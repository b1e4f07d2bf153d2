"""The assistant's engine: traversal, outcomes with their explanation, checks.

A topic package (see ``package.py`` for the structure) has ``questions`` (each
with an optional JsonLogic ``visible_if``), ``outcomes`` and ``rules``
(``{"id", "if": <JsonLogic>, "then": <outcome id>}``). Conditions and rules are
JsonLogic, evaluated here with ``panzi-json-logic`` (with the comparisons of
``logic.py``) and in the browser with ``json-logic-js``, so both sides give the
same answers. Packages may use the operators of ``ALLOWED_OPERATORS`` only:
where the two libraries disagree (loose equality, arithmetic, ``cat``, a
``var`` default...), validation refuses the operator.
"""

import datetime
import itertools
import json
import math
import re
from pathlib import Path

import jsonschema

from .logic import apply as evaluate_logic
from .package import structural_problems
from .problems import Problem

SCHEMA = json.loads(
    (Path(__file__).resolve().parent / "topic-package.schema.json").read_text()
)
CHOICE_TYPES = ("single_choice", "multiple_choice", "yes_no")
MAX_COMBINATIONS = 20_000
# Operators that give the same results with panzi-json-logic (+ logic.py) and
# json-logic-js, checked by leuven/tests/test_assistant_js_agreement.py.
ALLOWED_OPERATORS = frozenset(
    ("var", "===", "!==", "!", "!!", "and", "or", "if", "in")
    + ("<", "<=", ">", ">=", "some", "all", "none", "missing")
)
# Why an operator is refused, when there is more to say than "not allowed".
REFUSED_BECAUSE = {
    "==": "loose equality differs between evaluators (null == false); use '==='",
    "!=": "loose equality differs between evaluators (null != false); use '!=='",
    "+": "arithmetic differs between evaluators (null, text, division by zero)",
    "-": "arithmetic differs between evaluators (null, text, division by zero)",
    "*": "arithmetic differs between evaluators (null, text, division by zero)",
    "/": "arithmetic differs between evaluators (null, text, division by zero)",
    "%": "arithmetic differs between evaluators (null, text, division by zero)",
    "min": "min and max of no values differ between evaluators",
    "max": "min and max of no values differ between evaluators",
    "cat": "text of null, booleans and decimals differs between evaluators",
}


class PackageError(ValueError):
    """The package cannot be used; the message says why."""


def _visible(question, answers):
    condition = question.get("visible_if")
    if condition is None:
        return True
    return bool(evaluate_logic(condition, answers))


ANSWER_TEXT_MAX = 2000
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_option(value, options):
    # "1" is not 1 (Python, like JavaScript's ===); a boolean is no option
    return (
        isinstance(value, (str, int, float))
        and not isinstance(value, bool)
        and value in options
    )


def _answer_problem(question, value):
    """Why ``value`` does not fit ``question`` (``None`` when it does)."""
    kind = question.get("type")
    options = [option.get("value") for option in question.get("options", [])]
    if kind == "yes_no":
        return None if isinstance(value, bool) else "not yes or no"
    if kind == "single_choice":
        return None if _is_option(value, options) else "not one of the options"
    if kind == "multiple_choice":
        if not isinstance(value, list) or len(value) > len(options):
            return "not a list of options"
        ok = all(_is_option(v, options) for v in value)
        return None if ok else "not a list of options"
    if kind == "number":
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if number and math.isfinite(value) else "not a number"
    if not isinstance(value, str):
        return "not text"
    if len(value) > ANSWER_TEXT_MAX:
        return "too long"
    if kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return "not a date"
        return None if _DATE.fullmatch(value) else "not a date"
    return None


def answer_problems(package, answers):
    """Answers that do not fit their question: ``{question id: reason}``.

    A yes/no answer is a boolean, a choice one (or a list) of the options, a
    number a finite number, a date ``YYYY-MM-DD``, any other answer text of at
    most ``ANSWER_TEXT_MAX`` characters. Unanswered questions (null, ``""``,
    ``[]``) and answers to unknown questions are no problem: they do not count.
    """
    if not isinstance(answers, dict):
        return {"": "not an object"}
    questions = {q.get("id"): q for q in package.get("questions", [])}
    problems = {}
    for qid, value in answers.items():
        question = questions.get(qid)
        if question is None or value is None or value == "" or value == []:
            continue
        reason = _answer_problem(question, value)
        if reason:
            problems[qid] = reason
    return problems


def relevant_answers(package, answers):
    """The answers that count: given, and to questions visible given the others.

    Questions are taken in order, so an answer to a question that a changed
    earlier answer hides no longer counts (going back and choosing otherwise).
    """
    given = {k: v for k, v in (answers or {}).items() if v not in (None, "", [])}
    kept = {}
    for question in package.get("questions", []):
        qid = question.get("id")
        if qid in given and _visible(question, kept):
            kept[qid] = given[qid]
    return kept


def evaluate(package, answers):
    """Where a session stands given ``answers`` (question id -> value).

    Only the answers to visible questions count (``relevant_answers``).

    Returns ``{"next": [question, ...], "outcomes": [outcome, ...],
    "trace": [rule id, ...], "complete": bool}``: the visible questions still
    to answer (in order; the first is the one to ask now), the outcomes
    reached and the rules that fired (the explanation).
    """
    answers = relevant_answers(package, answers)
    next_questions = [
        q
        for q in package.get("questions", [])
        if q["id"] not in answers and _visible(q, answers)
    ]
    outcomes_by_id = {o["id"]: o for o in package.get("outcomes", [])}
    reached, trace = [], []
    for index, rule in enumerate(package.get("rules", [])):
        if evaluate_logic(rule["if"], answers):
            trace.append(rule.get("id") or f"rule-{index + 1}")
            outcome = outcomes_by_id.get(rule["then"])
            if outcome and outcome not in reached:
                reached.append(outcome)
    return {
        "next": next_questions,
        "outcomes": reached,
        "trace": trace,
        "complete": not next_questions,
    }


def _vars(logic):
    """Names used with ``var`` in a JsonLogic expression."""
    if isinstance(logic, dict):
        for op, args in logic.items():
            if op == "var":
                name = args[0] if isinstance(args, list) else args
                if isinstance(name, str) and name:
                    yield name.split(".")[0]
            else:
                yield from _vars(args)
    elif isinstance(logic, list):
        for item in logic:
            yield from _vars(item)


def _ops(logic):
    if isinstance(logic, dict):
        for op, args in logic.items():
            yield op
            yield from _ops(args)
    elif isinstance(logic, list):
        for item in logic:
            yield from _ops(item)


def _literals(logic):
    if isinstance(logic, dict):
        for op, args in logic.items():
            if op != "var":
                yield from _literals(args)
    elif isinstance(logic, list):
        for item in logic:
            yield from _literals(item)
    elif isinstance(logic, (str, int, float, bool)):
        yield logic


def _answer_values(question):
    if question.get("type") == "yes_no":
        return [True, False]
    values = [option["value"] for option in question.get("options", [])]
    if question.get("type") == "multiple_choice":
        return [list(c) for n in range(1, min(len(values), 3) + 1)
                for c in itertools.combinations(values, n)]  # fmt: skip
    return values


def schema_problems(package):
    """Where ``package`` breaks the published JSON Schema of the format."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [
        Problem(
            "schema",
            "{where}: {message}",
            where="/".join(str(p) for p in error.absolute_path) or "package",
            message=error.message,
        )
        for error in sorted(validator.iter_errors(package), key=lambda e: list(e.path))
    ]


def validate(package):
    """Defects that block publication, as readable sentences (empty: sound)."""
    problems = schema_problems(package) or structural_problems(package)
    if problems:
        return problems
    return (
        _question_problems(package)
        + _rule_problems(package)
        + _usage_problems(package)
        + _dead_ends(package)
    )


def _question_problems(package):
    problems = []
    questions = package.get("questions", [])
    position = {q.get("id"): index for index, q in enumerate(questions)}
    for question in questions:
        refs = set(_vars(question.get("visible_if")))
        for ref in sorted(refs - set(position)):
            problems.append(
                Problem(
                    "unknown_question_ref",
                    "question '{question}' depends on unknown question '{ref}'",
                    question=question["id"],
                    ref=ref,
                )
            )
        for ref in sorted(refs & set(position)):
            if position[ref] >= position[question["id"]]:
                problems.append(
                    Problem(
                        "cycle",
                        "question '{question}' depends on '{ref}', which is not "
                        "asked before it (cycle)",
                        question=question["id"],
                        ref=ref,
                    )
                )
        choice = question.get("type") in ("single_choice", "multiple_choice")
        if choice and not question.get("options"):
            problems.append(
                Problem(
                    "no_options",
                    "question '{question}' has no options",
                    question=question["id"],
                )
            )
    return problems


def _rule_problems(package):
    problems = []
    known = {q.get("id") for q in package.get("questions", [])}
    outcome_ids = {o.get("id") for o in package.get("outcomes", [])}
    for index, rule in enumerate(package.get("rules", [])):
        label = rule.get("id") or f"rule {index + 1}"
        for ref in sorted(set(_vars(rule.get("if"))) - known):
            problems.append(
                Problem(
                    "rule_unknown_question",
                    "{rule} uses unknown question '{ref}'",
                    rule=label,
                    ref=ref,
                )
            )
        if rule.get("then") not in outcome_ids:
            problems.append(
                Problem(
                    "rule_unknown_outcome",
                    "{rule} leads to unknown outcome '{outcome}'",
                    rule=label,
                    outcome=rule.get("then"),
                )
            )
    targeted = {r.get("then") for r in package.get("rules", [])}
    for outcome_id in sorted(outcome_ids - targeted, key=str):
        problems.append(
            Problem(
                "unreachable_outcome",
                "outcome '{outcome}' is reached by no rule",
                outcome=outcome_id,
            )
        )
    return problems


def _usage_problems(package):
    problems = []
    questions = package.get("questions", [])
    conditions = [r.get("if") for r in package.get("rules", [])] + [
        q.get("visible_if") for q in questions
    ]
    used = {name for logic in conditions for name in _vars(logic)}
    literals = {str(v) for logic in conditions for v in _literals(logic)}
    for question in questions:
        if question["id"] not in used and question.get("type") in CHOICE_TYPES:
            problems.append(
                Problem(
                    "unused_question",
                    "question '{question}' is never used by a rule",
                    question=question["id"],
                )
            )
        for option in question.get("options", []):
            if str(option.get("value")) not in literals:
                value, qid = option.get("value"), question["id"]
                problems.append(
                    Problem(
                        "unused_option",
                        "option '{value}' of question '{question}' is never used",
                        value=value,
                        question=qid,
                    )
                )
    problems.extend(operator_problems(conditions))
    return problems


def operator_problems(conditions):
    """Operators the two evaluators (Python, json-logic-js) do not agree on."""
    problems = []
    used = [op for logic in conditions for op in _ops(logic)]
    if any(op in ("==", "!=") for op in used):
        # loose equality differs between evaluators (null == false is true in
        # the Python ones, false in json-logic-js): packages use === and !==
        problems.append(
            Problem("loose_equality", "use '===' and '!==' instead of '==' and '!='")
        )
    for op in sorted(set(used) - ALLOWED_OPERATORS - {"==", "!="}):
        reason = REFUSED_BECAUSE.get(op, "not among the operators a topic may use")
        problems.append(
            Problem(
                "refused_operator",
                "operator '{op}' is refused: {reason}",
                op=op,
                reason=reason,
            )
        )
    for logic in conditions:
        for op, args in _operations(logic):
            if op == "var" and isinstance(args, list) and len(args) > 1:
                problems.append(
                    Problem(
                        "var_default",
                        "'var' with a default value is refused: the evaluators "
                        "differ when the answer is null",
                    )
                )
            if op in ("and", "or") and (not isinstance(args, list) or not args):
                problems.append(
                    Problem(
                        "empty_condition_list",
                        "'{op}' needs a list of at least one condition",
                        op=op,
                    )
                )
    return list(dict.fromkeys(problems))


def _operations(logic):
    if isinstance(logic, dict):
        for op, args in logic.items():
            yield op, args
            yield from _operations(args)
    elif isinstance(logic, list):
        for item in logic:
            yield from _operations(item)


def _dead_ends(package):
    """Complete answer combinations (choice questions) that reach no outcome."""
    questions = [
        q for q in package.get("questions", []) if q.get("type") in CHOICE_TYPES
    ]
    if len(questions) != len(package.get("questions", [])):
        return []  # free-text, number or date questions: covered by scenarios
    domains = [_answer_values(q) for q in questions]
    total = 1
    for domain in domains:
        total *= max(len(domain), 1)
    if total > MAX_COMBINATIONS:
        return []
    problems = []
    for combination in itertools.product(*domains):
        answers = {}
        for question, value in zip(questions, combination):
            if _visible(question, answers):
                answers[question["id"]] = value
        state = evaluate(package, answers)
        if state["complete"] and not state["outcomes"]:
            problems.append(
                Problem(
                    "dead_end",
                    "answers {answers} reach no outcome",
                    answers=json.dumps(answers, ensure_ascii=False),
                )
            )
            if len(problems) >= 5:
                break
    return problems


def run_scenarios(package):
    """Check each scenario (answers -> expected outcome ids); returns failures."""
    failures = []
    for index, scenario in enumerate(package.get("scenarios", [])):
        state = evaluate(package, scenario.get("answers", {}))
        got = sorted(o["id"] for o in state["outcomes"])
        expected = sorted(scenario.get("expect", []))
        if got != expected:
            name = scenario.get("name") or f"scenario {index + 1}"
            failures.append(
                Problem(
                    "scenario_failed",
                    "{name}: expected {expected}, got {got}",
                    name=name,
                    expected=expected,
                    got=got,
                )
            )
    return failures

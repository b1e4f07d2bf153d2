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
import json
import math
import re
from pathlib import Path

import jsonschema

from .logic import apply as evaluate_logic
from .logic import strict_equals
from .package import structural_problems
from .problems import Problem
from .proof import BUDGET as PROOF_BUDGET
from .proof import MAX_SET_OPTIONS, prove

SCHEMA = json.loads(
    (Path(__file__).resolve().parent / "topic-package.schema.json").read_text()
)
CHOICE_TYPES = ("single_choice", "multiple_choice", "yes_no")
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
                name = args[0] if isinstance(args, list) and args else args
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
    """Defects of a topic package as :class:`Problem` sentences (empty: sound).

    Never raises: a check that fails on a package nobody foresaw reports
    that as a problem too. Each problem has a ``severity``: errors (gaps,
    unreachable outcomes, refused operators, bad references, cycles, schema)
    block publishing and import, warnings point at what looks wrong.
    """
    try:
        problems = schema_problems(package) or structural_problems(package)
    except Exception as err:  # noqa: BLE001 - reported, never raised
        return [_check_failed("schema", err)]
    if problems:
        return problems
    for check in (
        _question_problems,
        _rule_problems,
        _usage_problems,
        _comparison_problems,
        _proof_problems,
    ):
        try:
            problems += check(package)
        except Exception as err:  # noqa: BLE001 - reported, never raised
            problems.append(_check_failed(check.__name__.strip("_"), err))
    return problems


def errors(problems):
    """The problems that block publishing and import."""
    return [p for p in problems if getattr(p, "severity", "error") == "error"]


def _check_failed(check, err):
    return Problem(
        "check_failed",
        "the check '{check}' could not be completed: {error}",
        check=check,
        error=f"{type(err).__name__}: {err}",
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


def _refused(logic):
    """Whether ``logic`` uses anything the operator check refuses."""
    return bool(logic is not None and operator_problems([logic]))


def _example(answers):
    return json.dumps(answers, ensure_ascii=False, sort_keys=False)


def _comparison_problems(package):
    """Comparisons of a choice question with a value it can never have
    (a yes/no question with the text "ja", an option that does not exist)."""
    questions = {q.get("id"): q for q in package.get("questions", [])}
    places = [
        ("question", q.get("id"), q.get("visible_if"))
        for q in package.get("questions", [])
    ] + [
        ("rule", r.get("id") or f"rule {index + 1}", r.get("if"))
        for index, r in enumerate(package.get("rules", []))
    ]
    problems = []
    for kind, where, logic in places:
        if logic is None or _refused(logic):
            continue
        for op, args in _operations(logic):
            if op not in ("===", "!==", "in") or not isinstance(args, list):
                continue
            for qid, value in _compared(op, args):
                question = questions.get(qid)
                if question is None or question.get("type") not in CHOICE_TYPES:
                    continue
                if question.get("type") == "yes_no":
                    possible = isinstance(value, bool)
                else:
                    options = [o.get("value") for o in question.get("options", [])]
                    possible = any(strict_equals(value, o) for o in options)
                if not possible:
                    problems.append(
                        Problem(
                            f"impossible_comparison_{kind}",
                            (
                                "the condition of question '{where}'"
                                if kind == "question"
                                else "{where}"
                            )
                            + " compares question '{question}' with {value}, "
                            "which is not one of its answers",
                            where=where,
                            question=qid,
                            value=json.dumps(value, ensure_ascii=False),
                        )
                    )
    return list(dict.fromkeys(problems))


def _compared(op, args):
    """(question id, literal) pairs an ``===``/``!==``/``in`` compares."""
    names = [a["var"] for a in args if isinstance(a, dict) and list(a) == ["var"]]
    names = [n for n in names if isinstance(n, str)]
    if op == "in" and len(args) >= 2:
        needle, haystack = args[0], args[1]
        if isinstance(haystack, list) and names and needle == {"var": names[0]}:
            return [(names[0], v) for v in haystack if not isinstance(v, dict)]
        if isinstance(haystack, dict) and not isinstance(needle, (dict, list)):
            name = haystack.get("var")
            return [(name, needle)] if isinstance(name, str) else []
        return []
    literals = [a for a in args[:2] if not isinstance(a, (dict, list))]
    return [(n, v) for n in names[:1] for v in literals[:1]]


def _proof_problems(package, budget=None):
    """Gaps, unreachable outcomes, dead rules and questions never shown,
    proven over the classes of answers (``proof.py``)."""
    questions = package.get("questions", [])
    kept_questions = []
    for question in questions:
        if _refused(question.get("visible_if")):
            # never evaluated: taken as always shown
            question = {k: v for k, v in question.items() if k != "visible_if"}
        kept_questions.append(question)
    rules, dropped = [], False
    for index, rule in enumerate(package.get("rules", [])):
        if _refused(rule.get("if")):
            dropped = True  # never evaluated
            continue
        rules.append((index, rule.get("if"), rule.get("then")))
    result = prove(kept_questions, rules, **({"budget": budget} if budget else {}))
    labels = {
        index: rule.get("id") or f"rule {index + 1}"
        for index, rule in enumerate(package.get("rules", []))
    }
    outcome_ids = [o.get("id") for o in package.get("outcomes", [])]
    targeted = {r.get("then") for r in package.get("rules", [])}
    problems = []
    if not result.complete:
        problems.append(
            Problem(
                "not_proven",
                "the topic is too large to prove within {budget} answer classes: "
                "{questions} of {question_count} questions and {outcomes} of "
                "{outcome_count} outcomes were shown reachable, gaps and the "
                "other questions and outcomes are not proven",
                budget=budget or PROOF_BUDGET,
                questions=len(result.shown),
                question_count=len(questions),
                outcomes=len(result.outcomes),
                outcome_count=len(outcome_ids),
            )
        )
        return problems
    if not result.exact:
        problems.append(
            Problem(
                "not_exact",
                "a multiple-choice question has more than {limit} options: only "
                "some of its combinations were checked",
                limit=MAX_SET_OPTIONS,
            )
        )
    for question in questions:
        if question.get("id") not in result.shown:
            problems.append(
                Problem(
                    "question_never_shown",
                    "question '{question}' can never be shown: no answers to the "
                    "questions before it make its condition true",
                    question=question.get("id"),
                )
            )
    if dropped:
        return problems  # the refused rules may reach what seems unreachable
    for outcome_id in outcome_ids:
        if outcome_id in targeted and outcome_id not in result.outcomes:
            problems.append(
                Problem(
                    "outcome_never_reached",
                    "outcome '{outcome}' can never be reached: no answers make "
                    "its rules fire",
                    outcome=outcome_id,
                )
            )
    for index, _condition, outcome_id in rules:
        if index not in result.rules and outcome_id in result.outcomes:
            problems.append(
                Problem(
                    "rule_never_fires",
                    "{rule} can never fire (outcome '{outcome}' is reached by "
                    "other rules)",
                    rule=labels[index],
                    outcome=outcome_id,
                )
            )
    if result.gap is not None:
        problems.append(
            Problem(
                "dead_end",
                "answers {answers} reach no outcome",
                answers=_example(result.gap),
            )
        )
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

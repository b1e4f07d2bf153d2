"""The browser (json-logic-js, the committed bundle) and the server (Python)
evaluate topic packages identically.

Runs the node tests of the web component, then compares ``engine.evaluate``
with the bundle's ``evaluate`` on every scenario of every topic and on
generated answer combinations, and panzi-json-logic with json-logic-js on the
official JsonLogic test suite and on a matrix of edge cases. Needs ``node``
(skipped with a clear reason without it); the official suite comes from the
npm package that ships it (``npm ci`` in the component folder, run here when
``npm`` is available).
"""

import itertools
import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from json_logic import jsonLogic

from leuven.assistant import engine
from leuven.assistant.logic import apply as js_compatible

ROOT = Path(__file__).resolve().parents[2]
COMPONENT = ROOT / "addons" / "leuven_assistant" / "component"
TOPICS = ROOT / "leuven" / "assistant" / "topics"
CASES_SCRIPT = COMPONENT / "scripts" / "evaluate-cases.mjs"
OFFICIAL = (
    COMPONENT / "node_modules" / "jsonlogic-official-tests" / "bench" / "tests.json"
)
NODE = shutil.which("node")
NPM = shutil.which("npm")

if NODE is None:
    pytest.skip(
        "NODE IS NOT ON PATH: the Python/JavaScript agreement of the assistant "
        "(leuven/assistant vs the <leuven-assistant> bundle) was NOT checked. "
        "Install Node.js 20+ to run it.",
        allow_module_level=True,
    )


def _same(a, b):
    """Equal as JSON values, with booleans distinct from numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _result(function, logic, data):
    # a fresh copy, as the server parses it: no array shared between answers
    logic, data = json.loads(json.dumps(logic)), json.loads(json.dumps(data))
    try:
        value = function(logic, data)
    except (
        ArithmeticError,
        LookupError,
        TypeError,
        ValueError,
        AttributeError,
    ) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    if isinstance(value, float) and math.isnan(value):
        value = None  # NaN travels as null in JSON, as it does from node
    return {"value": value}


def _agree(python, js):
    if "error" in python or "error" in js:
        return "error" in python and "error" in js
    if "undefined" in js:
        return python["value"] is None
    return _same(python["value"], js["value"])


def _refused(logic):
    return bool(engine.operator_problems([logic]))


def run_js(payload):
    done = subprocess.run(
        [NODE, str(CASES_SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=COMPONENT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def official_suite():
    """The official JsonLogic suite, installed by ``npm ci`` when missing."""
    if not OFFICIAL.exists() and NPM:
        subprocess.run(
            [NPM, "ci", "--no-audit", "--no-fund"],
            cwd=COMPONENT,
            capture_output=True,
            timeout=600,
            check=False,
        )
    if not OFFICIAL.exists():
        pytest.skip(
            f"THE OFFICIAL JSONLOGIC SUITE IS NOT INSTALLED ({OFFICIAL}): run "
            "`npm ci` in addons/leuven_assistant/component"
        )
    payload = run_js({"official": True})
    assert payload["official"], "the node side did not find the official suite"
    return payload["official"]


def test_node_tests_of_the_component_pass(official_suite):
    tests = sorted(
        str(p.relative_to(COMPONENT)) for p in COMPONENT.glob("test/*.test.mjs")
    )
    done = subprocess.run(
        [NODE, "--test", *tests],
        capture_output=True,
        text=True,
        cwd=COMPONENT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout
    assert "# skipped 0" in done.stdout, "a node test was skipped"


def _domain(question, package):
    """Values to try for a question: its options, or typical answers."""
    kind = question["type"]
    if kind == "yes_no":
        return [True, False]
    values = [o["value"] for o in question.get("options", [])]
    if kind == "multiple_choice":
        return [list(c) for n in (1, 2) for c in itertools.combinations(values, n)]
    if values:
        return values
    literals = sorted(
        {v for r in package["rules"] for v in engine._literals(r["if"])}, key=str
    )
    typical = {
        "number": [0, 1, 2.5, 17, 18, 100, 1000],
        "date": ["2025-12-31", "2026-01-01", "2026-07-15"],
        "postcode": ["3000", "3001", "3010", "3012", "3018", "1000"],
    }.get(kind, ["ja", "Leuven", "Grote Markt 9, 3000 Leuven"])
    return typical + [v for v in literals if not isinstance(v, bool)][:10]


def _generated(package, count, seed):
    """Answer combinations: complete, partial, and with answers to hidden questions."""
    rng = random.Random(seed)
    questions = package["questions"]
    cases = []
    for _ in range(count):
        answers = {}
        for question in questions:
            roll = rng.random()
            if roll < 0.15:
                continue  # not answered (yet)
            if roll < 0.2:
                answers[question["id"]] = rng.choice([None, "", []])
            else:
                answers[question["id"]] = rng.choice(_domain(question, package))
        cases.append(answers)
    return cases


def _topics():
    return {p.stem: json.loads(p.read_text()) for p in sorted(TOPICS.glob("*.json"))}


def test_python_and_javascript_evaluate_topics_identically():
    topics = _topics()
    cases = []
    for name, package in topics.items():
        for scenario in package.get("scenarios", []):
            cases.append((name, scenario["answers"]))
        for index, answers in enumerate(_generated(package, 120, name)):
            cases.append((name, answers))
            if index < 5:
                cases.append((name, {}))
    payload = {
        "packages": topics,
        "cases": [{"topic": name, "answers": answers} for name, answers in cases],
    }
    js_results = run_js(payload)["cases"]
    assert len(js_results) == len(cases) >= 400
    differences = []
    for (name, answers), js in zip(cases, js_results):
        state = engine.evaluate(topics[name], answers)
        python = {
            "next": [q["id"] for q in state["next"]],
            "outcomes": [o["id"] for o in state["outcomes"]],
            "trace": state["trace"],
            "complete": state["complete"],
        }
        if python != js:
            differences.append(f"{name} {answers}: python {python}, js {js}")
    assert differences == []


def test_official_jsonlogic_suite_python_and_javascript(official_suite):
    """panzi-json-logic vs json-logic-js on the official suite.

    Every disagreement must be confined to operators that package validation
    refuses (loose equality and the like): those can never reach a package.
    """
    assert len(official_suite) > 250
    disagreements, not_official = [], []
    for case in official_suite:
        python = _result(jsonLogic, case["logic"], case["data"])
        label = f"#{case['index']} ({case['section']}) {json.dumps(case['logic'])}"
        if not _agree(python, case["js"]):
            disagreements.append((label, case["logic"], python, case["js"]))
        if not _agree(python, {"value": case["expected"]}):
            not_official.append(
                f"{label}: python {python}, expected {case['expected']}"
            )
        js_expected = _agree({"value": case["expected"]}, case["js"])
        assert js_expected, f"json-logic-js fails the official {label}"
        if not _refused(case["logic"]):
            compatible = _result(js_compatible, case["logic"], case["data"])
            assert _agree(compatible, case["js"]), f"{label}: {compatible}"
    print(f"\nofficial JsonLogic suite: {len(official_suite)} cases")
    print(f"  panzi-json-logic disagrees with json-logic-js on {len(disagreements)}")
    for label, _, python, js in disagreements:
        print(f"    {label}: python {python}, js {js}")
    print(f"  panzi-json-logic differs from the expected result on {len(not_official)}")
    for line in not_official:
        print(f"    {line}")
    outside = [d[0] for d in disagreements if not _refused(d[1])]
    assert outside == [], "disagreements on operators packages may use"


EDGE_VALUES = [None, True, False, 0, 1, 2.5, -1, "", " ", "0", "1", "abc"] + [
    1e-6,
    1e21,
    "٣",
    "2026-01-05",
    "3000",
    [],
    ["a"],
    [1, 2],
    {},
    {"a": 1},
]


def _edge_cases():
    binary = ["<", "<=", ">", ">=", "in", "===", "!==", "and", "or", "==", "!="]
    binary += ["+", "-", "*", "/", "%", "cat", "min", "max", "merge"]
    for op in binary:
        for a, b in itertools.product(EDGE_VALUES, EDGE_VALUES):
            yield {op: [{"var": "a"}, {"var": "b"}]}, {"a": a, "b": b}
    for a in EDGE_VALUES:
        data = {"a": a}
        yield {"!": [{"var": "a"}]}, data
        yield {"!!": [{"var": "a"}]}, data
        yield {"if": [{"var": "a"}, "ja", "nee"]}, data
        yield {"some": [{"var": "a"}, {"===": [{"var": ""}, "a"]}]}, data
        yield {"all": [{"var": "a"}, {"!!": [{"var": ""}]}]}, data
        yield {"none": [{"var": "a"}, {"in": [{"var": ""}, ["a", 1]]}]}, data
        yield {"missing": ["a", "b"]}, data
        yield {"var": "a.0"}, data
        yield {"var": ["a", "standaard"]}, data
        yield {"<": [1, {"var": "a"}, 3]}, data
        yield {"<=": ["2026-01-01", {"var": "a"}, "2026-12-31"]}, data


def test_edge_cases_agree_on_every_operator_packages_may_use():
    """Where the official suite is silent: a matrix of operand types.

    With the comparisons of ``leuven.assistant.logic`` the Python engine agrees
    with json-logic-js on every allowed operator; what differs is refused.
    """
    cases = list(_edge_cases())
    js_results = run_js({"logic": [{"logic": lg, "data": d} for lg, d in cases]})
    raw, allowed_differences = {}, []
    for (logic, data), js in zip(cases, js_results["logic"]):
        op = next(iter(logic))
        if not _agree(_result(jsonLogic, logic, data), js):
            raw[op] = raw.get(op, 0) + 1
        compatible = _result(js_compatible, logic, data)
        if not _agree(compatible, js) and not _refused(logic):
            allowed_differences.append(f"{json.dumps(logic)} {data}: {compatible} {js}")
    print(f"\nedge cases: {len(cases)}; plain panzi-json-logic disagrees on {raw}")
    assert allowed_differences == []


# Numbers as JavaScript writes them (Number.prototype.toString), and the way
# Python writes some of them, so that ``in`` finds one but not the other when
# the two sides disagree.
NUMBER_TEXTS = [
    (1e-6, "0.000001"),
    (-1e-6, "-0.000001"),
    (1e-7, "1e-7"),
    (1.5e-7, "1.5e-7"),
    (0.000123, "0.000123"),
    (123e-20, "1.23e-18"),
    (0.1, "0.1"),
    (0.30000000000000004, "0.30000000000000004"),
    (1.0, "1"),
    (-0.0, "0"),
    (100.0, "100"),
    (2.5, "2.5"),
    (123456789.125, "123456789.125"),
    (1e16, "10000000000000000"),
    (1e20, "100000000000000000000"),
    (1e21, "1e+21"),
    (-1.5e300, "-1.5e+300"),
    (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (2**53, "9007199254740992"),
    (2**53 + 1, "9007199254740992"),
    (10**21, "1e+21"),
]
PYTHON_TEXTS = sorted(
    {t for n, _ in NUMBER_TEXTS for t in (repr(n), str(n), f"{n:.15g}")}
    | {text for _, text in NUMBER_TEXTS}
)
# text that Python's float() (or int()) reads as a number and JavaScript's
# Number() does not, or the other way round
NUMERIC_TEXTS = [
    "٣",  # Arabic-Indic three
    "٣٠٠٠",
    "１",  # full-width one
    "３",
    "३",  # Devanagari three
    "𝟑",  # mathematical bold three
    "1٣",
    "٠",
    "²",
    " 3 ",
    "\u00a03\u2003",
    "\u200b3",
    "1_000",
    "0x1F",
    "0b101",
    "0o17",
    "-0x10",
    "Infinity",
    "-Infinity",
    "infinity",
    "inf",
    "nan",
    "NaN",
    "1e3",
    ".5",
    "5.",
    "+.5e-1",
    "3",
    "",
]
VAR_DATA = [
    [5, [6, 7], None, "x"],
    ["a", ""],
    {"0": "zero", "1": {"5": "nested"}, "true": "t", "a": "h\u00e9llo\U0001f600"},
    {"a": [10, 20], "b": None, "length": "own"},
    "h\u00e9llo\U0001f600",
    5,
    True,
    None,
]
VAR_KEYS = [0, 1, 2, 3, 5, 6, -1, 1.5, 1.0, -0.0, True, "0", "1", "01", "-0"]
VAR_KEYS += ["length", "a", "a.0", "a.1", "a.length", "a.5", "1.5", "b", "b.c"]
VAR_KEYS += ["true", [0], [[0]], [1, "d"], ["b", "d"], ["a.9", "d"], [None, "d"]]


def _conversion_cases():
    for number, js_text in NUMBER_TEXTS:
        data = {"a": number}
        yield {"cat": [{"var": "a"}]}, data
        yield {"cat": ["<", {"var": "a"}, ">", None, [{"var": "a"}, None]]}, data
        yield {"in": [{"var": "a"}, [str(number), js_text]]}, data
        for text in PYTHON_TEXTS:
            data = {"a": number, "b": text}
            yield {"in": [{"var": "a"}, {"var": "b"}]}, data
            yield {"in": [{"var": "a"}, {"cat": ["[", {"var": "b"}, "]"]}]}, data
    rng = random.Random(17)
    for _ in range(400):  # decimals of every size, as text
        number = rng.choice([1, -1]) * rng.random() * 10.0 ** rng.randint(-323, 307)
        if rng.random() < 0.3:
            number = round(number, rng.randint(0, 8))
        yield {"cat": [{"var": "a"}]}, {"a": number}
    for text in NUMERIC_TEXTS:
        for number in (-1, 0, 0.5, 1, 3, 5, 31, 3000, 1e300):
            data = {"t": text, "n": number}
            for op in ("<", "<=", ">", ">="):
                yield {op: [{"var": "t"}, {"var": "n"}]}, data
                yield {op: [{"var": "n"}, {"var": "t"}]}, data
            yield {"<": [{"var": "n"}, {"var": "t"}, 10**6]}, data
            yield {"<=": [-5, {"var": "t"}, {"var": "n"}]}, data
        yield {"in": [3, {"var": "t"}]}, {"t": text}
        yield {"cat": [{"var": "t"}, 3]}, {"t": text}
    for data in VAR_DATA:
        for key in VAR_KEYS:
            yield {"var": key}, data
            yield {"var": [key]}, data
            yield {"!!": {"var": key}}, data
            yield {"===": [{"var": key}, None]}, data
        yield {"missing": [0, 1, 5, "a", "length", "b"]}, data
        yield {"missing": [[0, 3]]}, data
        yield {"missing_some": [1, [0, 1, 5, "a"]]}, data
        yield {"some": [{"var": "a"}, {"===": [{"var": 0}, 1]}]}, {"a": data}


def test_number_text_non_ascii_digits_and_var_keys_agree():
    """Number to text (``in``, ``cat``), text to number (comparisons) and
    ``var`` keys: the Python evaluator gives json-logic-js's answer on every
    case, refused operator or not."""
    cases = list(_conversion_cases())
    assert len(cases) > 1500
    js_results = run_js({"logic": [{"logic": lg, "data": d} for lg, d in cases]})
    differences = []
    for (logic, data), js in zip(cases, js_results["logic"]):
        python = _result(js_compatible, logic, data)
        if not _agree(python, js):
            differences.append(f"{json.dumps(logic)} {data!r}: {python} {js}")
    assert differences == [], f"{len(differences)} differences:\n" + "\n".join(
        differences[:40]
    )

"""Reachability and gaps of a topic, proven over classes of answers.

Every answer a citizen can give to a question falls in a class that no rule
or condition of the topic can tell apart from the other answers of the class:

- yes/no: yes, no;
- single choice: each option; multiple choice: each set of options;
- number and date: each constant the conditions compare the question with,
  the open intervals between them and beyond the smallest and the largest;
- free text: each constant the conditions compare it with, and anything else;

and "not answered" for a question hidden on that path. One representative per
class gives the same result for every condition as any other member, so
walking the cross product of the representatives (in question order, a hidden
question taking only "not answered") decides for every complete answer set
which outcomes it reaches. The walk memoises on what is left of the rules and
the conditions once the answers so far are filled in, so questions that do
not interact do not multiply; a budget bounds it, and when the budget runs out
the result says so and keeps only what was found (reached questions and
outcomes), never a claim about the rest.
"""

import datetime
import itertools
import json
import math
from dataclasses import dataclass, field

from json_logic.builtins import to_bool

from .logic import apply as evaluate_logic
from .logic import js_number

BUDGET = 200_000
MAX_SET_OPTIONS = 6
COMPARISONS = frozenset(("===", "!==", "<", "<=", ">", ">=", "in", "==", "!="))
_ALL = "*"  # a reference to every question (a ``var`` computed at run time)
_OTHER_TEXT = "\u2063anders"


@dataclass
class Result:
    """What the walk proved; examples are complete answer sets."""

    complete: bool = True
    exact: bool = True
    classes: int = 0
    shown: dict = field(default_factory=dict)  # question id -> example
    outcomes: dict = field(default_factory=dict)  # outcome id -> example
    rules: dict = field(default_factory=dict)  # rule index -> example
    gap: dict | None = None


class _OutOfBudget(Exception):
    pass


def _refs(logic, questions):
    """The question ids ``logic`` reads (``_ALL`` for a computed ``var``)."""
    found = set()
    stack = [logic]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for op, args in node.items():
                if op == "var":
                    name = args[0] if isinstance(args, list) and args else args
                    if isinstance(name, (str, int, float)) and not isinstance(
                        name, bool
                    ):
                        text = str(name).split(".")[0]
                        if text == "":
                            found.add(_ALL)
                        elif text in questions:
                            found.add(text)
                    elif name is not None and name != []:
                        found.add(_ALL)
                        stack.append(args)
                elif op in ("missing", "missing_some"):
                    found.add(_ALL)
                elif op in ("some", "all", "none", "map", "filter", "reduce"):
                    # the inner condition reads the items, not the answers
                    first = args[0] if isinstance(args, list) and args else args
                    stack.append(first)
                else:
                    stack.append(args)
    return frozenset(found)


def _constants(conditions):
    """The literals the conditions compare each question with:
    ``{question id: [literal, ...]}``."""
    found = {}
    stack = list(conditions)
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for op, args in node.items():
                if not isinstance(args, list):
                    args = [args]
                stack.extend(args)
                if op not in COMPARISONS:
                    continue
                names = {_var_name(a) for a in args} - {None}
                literals = []
                for arg in args:
                    if isinstance(arg, list):
                        literals.extend(a for a in arg if not isinstance(a, dict))
                    elif not isinstance(arg, dict):
                        literals.append(arg)
                for name in names:
                    found.setdefault(name, []).extend(literals)
    return found


def _var_name(node):
    if not (isinstance(node, dict) and len(node) == 1 and "var" in node):
        return None
    name = node["var"]
    name = name[0] if isinstance(name, list) and name else name
    return name.split(".")[0] if isinstance(name, str) else None


def _between_numbers(points):
    values = []
    points = sorted(set(points))
    if not points:
        return [1]
    values.append(points[0] - 1)
    for low, high in itertools.pairwise(points):
        values.extend([low, (low + high) / 2])
    values.extend([points[-1], points[-1] + 1])
    return values


def _between_dates(points):
    days = sorted(set(points))
    if not days:
        return ["2025-01-01"]
    one = datetime.timedelta(days=1)
    values = [(days[0] - one).isoformat()]
    for low, high in itertools.pairwise(days):
        values.append(low.isoformat())
        if low + one < high:
            values.append((low + one).isoformat())
    values.extend([days[-1].isoformat(), (days[-1] + one).isoformat()])
    return values


def answer_classes(question, constants):
    """One representative answer per class (see the module); the second value
    says whether the classes are exact (False: a sample of the sets of a
    multiple-choice question with many options)."""
    kind = question.get("type")
    options = [o.get("value") for o in question.get("options", [])]
    if kind == "yes_no":
        return [True, False], True
    if kind == "single_choice":
        return list(options), True
    if kind == "multiple_choice":
        sizes = range(1, len(options) + 1)
        exact = len(options) <= MAX_SET_OPTIONS
        if not exact:
            sizes = [1, 2, len(options)]
        return [list(c) for n in sizes for c in itertools.combinations(options, n)], (
            exact
        )
    constants = constants.get(question.get("id"), [])
    if kind == "number":
        points = []
        for value in constants:
            number = js_number(value)
            if isinstance(number, (int, float)) and math.isfinite(number):
                points.append(number)
        return _between_numbers(points), True
    if kind == "date":
        points = []
        for value in constants:
            try:
                points.append(datetime.date.fromisoformat(value))
            except (TypeError, ValueError):
                continue
        values = _between_dates(points)
        texts = [v for v in constants if isinstance(v, str) and v not in values]
        return values + texts, True
    texts = [v for v in constants if isinstance(v, str)]
    return list(dict.fromkeys(texts)) + [_OTHER_TEXT], True


_SCOPED = frozenset(("some", "all", "none", "map", "filter", "reduce"))


def _decided(refs, unknown):
    return not (refs & unknown) and (_ALL not in refs or not unknown)


def _partial(node, answers, unknown, questions):
    """``node`` with what the answers decide filled in.

    Returns ``(True, value)`` when the answers decide the value, else
    ``(False, residual)``: an equivalent condition that reads only the
    unknown questions (so equal residuals behave alike whatever the answers).
    """
    refs = _refs(node, questions)
    if _decided(refs, unknown):
        return True, evaluate_logic(node, answers)
    if isinstance(node, list):
        return False, [_residual(item, answers, unknown, questions) for item in node]
    if not (isinstance(node, dict) and len(node) == 1):
        return False, node
    op, args = next(iter(node.items()))
    if op == "var" or _ALL in refs:
        return False, node
    if not isinstance(args, list):
        args = [args]
    if op in ("and", "or") and args:
        return _partial_and_or(op, args, answers, unknown, questions)
    if op == "if" and len(args) > 2:
        return _partial_if(args, answers, unknown, questions)
    if op in _SCOPED and args:
        first = _residual(args[0], answers, unknown, questions)
        return False, {op: [first, *args[1:]]}
    return False, {op: [_residual(a, answers, unknown, questions) for a in args]}


def _substitutable(value):
    if isinstance(value, list):
        return all(not isinstance(v, (list, dict)) for v in value)
    return not isinstance(value, dict)


def _residual(node, answers, unknown, questions):
    known, value = _partial(node, answers, unknown, questions)
    if known and not _substitutable(value):
        return node
    return value


def _partial_and_or(op, args, answers, unknown, questions):
    decides = (lambda v: not to_bool(v)) if op == "and" else to_bool
    kept = []
    for index, arg in enumerate(args):
        known, value = _partial(arg, answers, unknown, questions)
        last = index == len(args) - 1
        if known and not _substitutable(value):
            kept.append(arg)
            continue
        if known and decides(value):
            if not kept:
                return True, value
            kept.append(value)
            break
        if known and not last:
            continue  # passes through: the next argument decides
        kept.append(value)
    if len(kept) == 1:
        return False, kept[0]
    return False, {op: kept}


def _partial_if(args, answers, unknown, questions):
    kept = []
    index = 0
    while index < len(args) - 1:
        known, value = _partial(args[index], answers, unknown, questions)
        if known and _substitutable(value):
            if to_bool(value):
                if not kept:
                    return _partial(args[index + 1], answers, unknown, questions)
                branch = _residual(args[index + 1], answers, unknown, questions)
                kept.extend([True, branch])
                return False, {"if": kept}
            index += 2
            continue
        kept.extend([value, _residual(args[index + 1], answers, unknown, questions)])
        index += 2
    rest = args[index] if index < len(args) else None
    if not kept:
        return _partial(rest, answers, unknown, questions)
    kept.append(_residual(rest, answers, unknown, questions))
    return False, {"if": kept}


def _state(condition, answers, unknown, questions):
    """A condition's truth when decided (bool), else its residual."""
    known, value = _partial(condition, answers, unknown, questions)
    return bool(value) if known else value


def prove(questions, rules, budget=BUDGET):
    """Walk the answer classes of ``questions`` (in order) against ``rules``.

    ``rules`` are ``(index, condition, outcome id)``; conditions and the
    questions' ``visible_if`` must only use operators that validation
    accepts. Returns a :class:`Result`; its examples are the answers to the
    visible questions (what a citizen fills in).
    """
    walk = _Walk(questions, rules, budget)
    result = walk.result
    try:
        found = walk.start()
    except _OutOfBudget:
        result.complete = False
        return result
    result.shown = found["shown"]
    result.outcomes = found["outcomes"]
    result.rules = found["rules"]
    result.gap = found["gap"]
    return result


class _Walk:
    """The depth-first walk of ``prove``, memoised on what is left to decide.

    A state is the position (the next question), the rules not decided yet
    (as residuals), whether a decided rule already fired, and the conditions
    of the questions still to come. A subtree reports what is decided in it
    (the rules undecided on entry that fire, the questions shown, a gap),
    with examples of the answers from its position on.
    """

    def __init__(self, questions, rules, budget):
        self.questions, self.rules, self.budget = questions, rules, budget
        self.ids = [q["id"] for q in questions]
        self.id_set = frozenset(self.ids)
        conditions = [c for _, c, _ in rules] + [q.get("visible_if") for q in questions]
        self.result = Result()
        self.domains = []
        constants = _constants(conditions)
        for question in questions:
            values, exact = answer_classes(question, constants)
            self.result.exact = self.result.exact and exact
            self.domains.append(values)
        # unknown[i]: the questions not answered yet when question i is asked
        self.unknown = [frozenset(self.ids[i:]) for i in range(len(self.ids) + 1)]
        self.rule_refs = [_refs(c, self.id_set) for _, c, _ in rules]
        self.visible_refs = [_refs(q.get("visible_if"), self.id_set) for q in questions]
        # a condition reading all the answers: residuals do not say it all
        self.whole = any(_ALL in r for r in self.rule_refs + self.visible_refs)
        self.memo = {}
        self.texts = {}
        self.count = 0

    def text(self, residual):
        """A residual as text, to compare states (computed once per object)."""
        if isinstance(residual, bool):
            return residual
        known = self.texts.get(id(residual))
        if known is None:
            # the object is kept with its text, so that its id stays its own
            known = self.texts[id(residual)] = (
                residual,
                json.dumps(residual, sort_keys=True, default=repr),
            )
        return known[1]

    def state(self, condition, answers, unknown):
        return _state(condition, answers, unknown, self.id_set)

    def start(self):
        rule_state = [self.state(c, {}, self.unknown[0]) for _, c, _ in self.rules]
        visible_state = [
            True
            if q.get("visible_if") is None
            else self.state(q["visible_if"], {}, self.unknown[0] - self.unknown[j])
            for j, q in enumerate(self.questions)
        ]
        found = self.walk(0, {}, rule_state, visible_state)
        self.add_fired(found, [None] * len(rule_state), rule_state, {}, found)
        return found

    def walk(self, position, answers, rule_state, visible_state):
        key = (
            position,
            any(s is True for s in rule_state),
            tuple(None if isinstance(s, bool) else self.text(s) for s in rule_state),
            tuple(map(self.text, visible_state[position:])),
            json.dumps(answers, sort_keys=True) if self.whole else None,
        )
        if key in self.memo:
            return self.memo[key]
        self.count += 1
        if self.count > self.budget:
            raise _OutOfBudget
        if position == len(self.questions):
            found = self.leaf(answers, rule_state)
        else:
            found = self.branch(position, answers, rule_state, visible_state)
        self.memo[key] = found
        return found

    def leaf(self, answers, rule_state):
        self.result.classes += 1
        found = {"shown": {}, "outcomes": {}, "rules": {}, "gap": None}
        fired = any(s is True for s in rule_state)
        for i, state in enumerate(rule_state):
            if isinstance(state, bool):
                continue
            if self.state(self.rules[i][1], answers, frozenset()):
                fired = True
                found["rules"][self.rules[i][0]] = {}
                found["outcomes"].setdefault(self.rules[i][2], {})
        if not fired:
            found["gap"] = {}
        return found

    def branch(self, position, answers, rule_state, visible_state):
        found = {"shown": {}, "outcomes": {}, "rules": {}, "gap": None}
        qid = self.ids[position]
        visible = visible_state[position]
        if not isinstance(visible, bool):
            condition = self.questions[position]["visible_if"]
            visible = self.state(condition, answers, frozenset())
        for value in self.domains[position] if visible else [None]:
            child, own = dict(answers), {}
            if value is not None:
                child[qid] = own[qid] = value
            next_rules = self.next_rules(position, child, rule_state)
            next_visible = self.next_visible(position, child, visible_state)
            sub = self.walk(position + 1, child, next_rules, next_visible)
            if visible and qid not in found["shown"]:
                found["shown"][qid] = {**own, **_any_example(sub)}
            for kind in ("shown", "outcomes", "rules"):
                for name, example in sub[kind].items():
                    if name not in found[kind]:
                        found[kind][name] = {**own, **example}
            if found["gap"] is None and sub["gap"] is not None:
                found["gap"] = {**own, **sub["gap"]}
            self.add_fired(found, rule_state, next_rules, own, sub)
        return found

    def add_fired(self, found, before, after, own, sub):
        """The rules decided true by this step fire on every path below."""
        for i, state in enumerate(after):
            if state is True and not isinstance(before[i], bool):
                index, _, outcome = self.rules[i]
                example = {**own, **_any_example(sub)}
                found["rules"].setdefault(index, example)
                found["outcomes"].setdefault(outcome, example)

    def next_rules(self, position, child, rule_state):
        qid, states = self.ids[position], list(rule_state)
        for i, state in enumerate(rule_state):
            refs = self.rule_refs[i]
            if not isinstance(state, bool) and (qid in refs or _ALL in refs):
                condition = self.rules[i][1] if _ALL in refs else state
                states[i] = self.state(condition, child, self.unknown[position + 1])
        return states

    def next_visible(self, position, child, visible_state):
        qid, states = self.ids[position], list(visible_state)
        for j in range(position + 1, len(self.questions)):
            state, refs = visible_state[j], self.visible_refs[j]
            if not isinstance(state, bool) and (qid in refs or _ALL in refs):
                condition = self.questions[j]["visible_if"] if _ALL in refs else state
                unknown = self.unknown[position + 1] - self.unknown[j]
                states[j] = self.state(condition, child, unknown)
        return states


def _any_example(found):
    for kind in ("outcomes", "shown"):
        for example in found[kind].values():
            return example
    return found["gap"] or {}

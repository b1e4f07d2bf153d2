"""Proactive proposals from a dwelling's facts, no Odoo.

A rule set is data: a list of rules ``{"id", "if": <JsonLogic>, "then":
[{"measure", "product", "reason"}, ...]}``. The conditions are the suite's
JsonLogic (:mod:`leuven.assistant.logic`, the operators of
``leuven.assistant.engine.ALLOWED_OPERATORS``) over the facts of one
dwelling and its holder (:data:`FACTS`). :func:`propose` gives the
:class:`Proposal` values, each (measure, product) once, in rule order:
deterministic, and it never raises. A fact that is missing (absent or
``None``) makes every rule that uses it not fire: "we do not know whether the
roof is insulated" proposes nothing about the roof.

Derived facts are added by :func:`derive`: ``heating_age`` and
``dwelling_age`` (years, from ``heating_year`` / ``year_built`` and
``today``), because JsonLogic arithmetic is refused in the suite.

:func:`validate_rules` checks a rule set (unknown facts, refused or unknown
operators, rules without an outcome, duplicate ids) and returns
:class:`leuven.assistant.problems.Problem` values (``code`` + ``params``).

:data:`ENERGY_RULES` is the energy coaching rule set: the ``product`` values
are catalogue references (the Odoo side finds the catalogue product with that
reference), ``measure`` and ``reason`` codes are translated there.
"""

import datetime
import math
from dataclasses import dataclass

from leuven.assistant.engine import ALLOWED_OPERATORS, operator_problems
from leuven.assistant.logic import apply as evaluate_logic
from leuven.assistant.problems import Problem

EPC_LABELS = ("A+", "A", "B", "C", "D", "E", "F")
# the codes of the dwelling's heating (fuel of the main heating)
HEATING = ("gas", "oil", "electric", "heat_pump", "district", "wood", "other")
GLAZING = ("single", "double", "high_efficiency", "triple")
ROLES = ("owner", "co_owner", "tenant", "landlord", "occupant")
INCOME_CATEGORIES = (1, 2, 3, 4)  # Mijn VerbouwPremie: 1 is the lowest income

#: The facts a rule may use: name → allowed values (``None``: a number).
FACTS = {
    "roof_insulated": (True, False),
    "wall_insulated": (True, False),
    "floor_insulated": (True, False),
    "glazing": GLAZING,
    "heating": HEATING,
    "heating_year": None,
    "heating_age": None,
    "epc_label": EPC_LABELS,
    "year_built": None,
    "dwelling_age": None,
    "role": ROLES,
    "income_category": INCOME_CATEGORIES,
}

_OWNERS = ["owner", "co_owner", "landlord"]

#: The energy coaching rule set.
ENERGY_RULES = [
    {
        "id": "roof_not_insulated",
        "if": {
            "and": [
                {"===": [{"var": "roof_insulated"}, False]},
                {"in": [{"var": "role"}, _OWNERS]},
            ]
        },
        "then": [
            {
                "measure": "roof_insulation",
                "product": "premium_roof_insulation",
                "reason": "roof_not_insulated",
            }
        ],
    },
    {
        "id": "wall_not_insulated",
        "if": {
            "and": [
                {"===": [{"var": "wall_insulated"}, False]},
                {"in": [{"var": "role"}, _OWNERS]},
            ]
        },
        "then": [
            {
                "measure": "wall_insulation",
                "product": "premium_wall_insulation",
                "reason": "wall_not_insulated",
            }
        ],
    },
    {
        "id": "single_glazing",
        "if": {
            "and": [
                {"===": [{"var": "glazing"}, "single"]},
                {"in": [{"var": "role"}, _OWNERS]},
            ]
        },
        "then": [
            {
                "measure": "glazing",
                "product": "premium_glazing",
                "reason": "single_glazing",
            }
        ],
    },
    {
        "id": "old_fossil_heating",
        "if": {
            "and": [
                {"in": [{"var": "heating"}, ["oil", "gas"]]},
                {">": [{"var": "heating_age"}, 15]},
                {"in": [{"var": "role"}, _OWNERS]},
            ]
        },
        "then": [
            {
                "measure": "heat_pump",
                "product": "premium_heat_pump",
                "reason": "old_fossil_heating",
            }
        ],
    },
    {
        "id": "poor_epc_label",
        "if": {"in": [{"var": "epc_label"}, ["E", "F"]]},
        "then": [
            {
                "measure": "renovation_obligation",
                "product": "info_renovation_obligation",
                "reason": "epc_label_e_or_f",
            },
            {
                "measure": "renovation_loan",
                "product": "loan_renovation",
                "reason": "epc_label_e_or_f",
            },
        ],
    },
    {
        "id": "low_income_owner",
        "if": {
            "and": [
                {"in": [{"var": "income_category"}, [1, 2]]},
                {"in": [{"var": "role"}, _OWNERS]},
            ]
        },
        "then": [
            {
                "measure": "renovation_loan",
                "product": "loan_renovation",
                "reason": "low_income",
            }
        ],
    },
    {
        "id": "tenant",
        "if": {"===": [{"var": "role"}, "tenant"]},
        "then": [
            {
                "measure": "landlord_information",
                "product": "info_landlord_renovation",
                "reason": "tenant",
            }
        ],
    },
]


# a dwelling's insulation selection → the fact (partly insulated still
# deserves the proposal; "unknown" is a missing fact)
_INSULATED = {"yes": True, "no": False, "partly": False}


def dwelling_facts(dwelling, role=None, income_category=None, epc_label=None):
    """The facts of one dwelling from its record's values (a dict of the
    ``guidance.dwelling`` fields: ``roof_insulation`` / ``wall_insulation`` /
    ``floor_insulation`` "yes" | "partly" | "no" | "unknown", ``glazing``,
    ``heating_type``, ``heating_installed_year`` (or ``heating_year``),
    ``construction_year``, ``epc_label``)
    plus the holder's ``role``, the ``income_category`` and an ``epc_label``
    from the EPC record (which wins over the dwelling's). Empty values
    (``False``, ``None``, ``""``, "unknown", a year 0) are left out: missing
    facts."""
    dwelling = dwelling if isinstance(dwelling, dict) else {}
    facts = {}
    for field, fact in (
        ("roof_insulation", "roof_insulated"),
        ("wall_insulation", "wall_insulated"),
        ("floor_insulation", "floor_insulated"),
    ):
        value = dwelling.get(field)
        if isinstance(value, bool):
            facts[fact] = value if value else None
        elif value in _INSULATED:
            facts[fact] = _INSULATED[value]
    for field, fact in (
        ("glazing", "glazing"),
        ("heating_type", "heating"),
        ("heating", "heating"),
        ("heating_installed_year", "heating_year"),
        ("heating_year", "heating_year"),
        ("construction_year", "year_built"),
        ("year_built", "year_built"),
        ("epc_label", "epc_label"),
    ):
        value = dwelling.get(field)
        if fact in ("heating_year", "year_built") and value == 0:
            continue  # an empty Integer field
        if value not in (None, False, "") and facts.get(fact) is None:
            facts[fact] = value
    for fact, value in (
        ("role", role),
        ("income_category", income_category),
        ("epc_label", epc_label),
    ):
        if value not in (None, False, ""):
            facts[fact] = value
    return {name: value for name, value in facts.items() if value is not None}


@dataclass(frozen=True)
class Proposal:
    """What to propose: ``measure`` (code), ``product`` (catalogue
    reference), ``reason`` (code) and the ``rule`` id that proposed it."""

    measure: str
    product: str
    reason: str
    rule: str


def _age(today, year):
    if isinstance(year, bool) or not isinstance(year, (int, float)):
        return None
    if not math.isfinite(year) or not 1000 <= year <= today.year:
        return None  # no year (0) or not a plausible one
    return today.year - int(year)


def derive(facts, today=None):
    """A copy of ``facts`` (a dict) with ``heating_age`` and ``dwelling_age``
    added from ``heating_year`` and ``year_built`` (whole years at ``today``,
    a date, default today) when those are numbers, and selection spellings
    normalised (``"co-owner"`` → ``"co_owner"``, ``"e"`` → ``"E"``, income
    category ``"2"`` → ``2``). Never raises."""
    facts = dict(facts or {}) if isinstance(facts, dict) else {}
    today = today or datetime.date.today()
    # the spellings an Odoo selection may hold
    if isinstance(facts.get("role"), str):
        facts["role"] = facts["role"].strip().replace("-", "_")
    if isinstance(facts.get("epc_label"), str):
        facts["epc_label"] = facts["epc_label"].strip().upper()
    income = facts.get("income_category")
    if isinstance(income, str) and income.strip().isdigit():
        facts["income_category"] = int(income.strip())
    for source, target in (
        ("heating_year", "heating_age"),
        ("year_built", "dwelling_age"),
    ):
        if facts.get(target) is None:
            age = _age(today, facts.get(source))
            if age is not None:
                facts[target] = age
    return facts


def _vars(logic):
    """Fact names used with ``var`` in a JsonLogic value (first path part)."""
    if isinstance(logic, dict):
        for op, args in logic.items():
            if op == "var":
                name = args[0] if isinstance(args, list) and args else args
                if isinstance(name, (str, int)) and not isinstance(name, bool):
                    yield str(name).split(".")[0]
            else:
                yield from _vars(args)
    elif isinstance(logic, list):
        for item in logic:
            yield from _vars(item)


def _fires(rule, facts):
    condition = rule.get("if")
    names = set(_vars(condition))
    if any(facts.get(name) is None for name in names):
        return False
    try:
        return bool(evaluate_logic(condition, facts))
    except Exception:  # noqa: BLE001 - a broken rule does not fire
        return False


def _outcomes(rule):
    then = rule.get("then")
    if isinstance(then, dict):
        then = [then]
    if not isinstance(then, list):
        return []
    return [
        item
        for item in then
        if isinstance(item, dict)
        and all(
            isinstance(item.get(k), str) and item.get(k) for k in ("measure", "reason")
        )
    ]


def propose(facts, rules=None, today=None):
    """The :class:`Proposal` values for one dwelling's ``facts`` (a dict of
    :data:`FACTS` names; derived facts are added, see :func:`derive`) under
    ``rules`` (default :data:`ENERGY_RULES`), in rule order, each
    (measure, product) once (the first rule that proposes it gives the
    reason). Missing facts, facts of the wrong type, malformed rules: the rule
    does not fire; never raises."""
    facts = derive(facts, today)
    seen = set()
    proposals = []
    for rule in ENERGY_RULES if rules is None else rules or ():
        if not isinstance(rule, dict) or not _fires(rule, facts):
            continue
        for item in _outcomes(rule):
            key = (item["measure"], item.get("product") or "")
            if key in seen:
                continue
            seen.add(key)
            proposals.append(
                Proposal(
                    item["measure"],
                    item.get("product") or "",
                    item["reason"],
                    str(rule.get("id") or ""),
                )
            )
    return proposals


def new_proposals(proposals, known):
    """The proposals of ``proposals`` whose (measure, product) is not in
    ``known`` (an iterable of such pairs, e.g. the ones already proposed to
    this trajectory), so the citizen is told each thing once."""
    known = {tuple(pair) for pair in known or ()}
    return [p for p in proposals if (p.measure, p.product) not in known]


def validate_rules(rules, facts=None):
    """Defects of a rule set as :class:`Problem` values (empty: sound).

    ``facts``: the known fact names and their values (default :data:`FACTS`).
    Codes: ``not_a_list``, ``not_a_rule``, ``missing_id``, ``duplicate_id``,
    ``no_condition``, ``no_outcome``, ``bad_outcome``, ``unknown_fact``,
    ``unknown_value``, ``unknown_operator`` and the operator checks of the
    assistant (``refused_operator``, ``loose_equality``, ``var_default``,
    ``empty_condition_list``). Never raises."""
    known = FACTS if facts is None else facts
    if not isinstance(rules, list):
        return [Problem("not_a_list", "the rule set is not a list")]
    problems = []
    ids = set()
    conditions = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            problems.append(
                Problem("not_a_rule", "item {index} is not a rule", index=index)
            )
            continue
        rule_id = rule.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            problems.append(
                Problem("missing_id", "rule {index} has no id", index=index)
            )
            rule_id = f"#{index}"
        elif rule_id in ids:
            problems.append(
                Problem("duplicate_id", "rule id {rule} is used twice", rule=rule_id)
            )
        ids.add(rule_id)
        condition = rule.get("if")
        if not isinstance(condition, dict) or not condition:
            problems.append(
                Problem("no_condition", "rule {rule} has no condition", rule=rule_id)
            )
        else:
            conditions.append(condition)
            problems += _condition_problems(rule_id, condition, known)
        then = rule.get("then")
        items = [then] if isinstance(then, dict) else then
        if not isinstance(items, list) or not items:
            problems.append(
                Problem("no_outcome", "rule {rule} proposes nothing", rule=rule_id)
            )
        elif len(_outcomes(rule)) != len(items):
            problems.append(
                Problem(
                    "bad_outcome",
                    "rule {rule}: each outcome needs a measure and a reason",
                    rule=rule_id,
                )
            )
    try:
        problems += operator_problems(conditions)
    except Exception as err:  # noqa: BLE001 - reported, never raised
        problems.append(Problem("check_failed", "check failed: {err}", err=err))
    return list(dict.fromkeys(problems))


def _condition_problems(rule_id, condition, known):
    problems = []
    for name in sorted(set(_vars(condition))):
        if name not in known:
            problems.append(
                Problem(
                    "unknown_fact",
                    "rule {rule} uses the unknown fact {fact}",
                    rule=rule_id,
                    fact=name,
                )
            )
    for op, args in _operations(condition):
        if op not in ALLOWED_OPERATORS and op not in _KNOWN_ELSEWHERE:
            problems.append(
                Problem(
                    "unknown_operator",
                    "rule {rule} uses the unknown operator {op}",
                    rule=rule_id,
                    op=op,
                )
            )
        problems += _value_problems(rule_id, op, args, known)
    return problems


# operators the assistant's check reports with its own reason
_KNOWN_ELSEWHERE = frozenset(
    ("==", "!=", "+", "-", "*", "/", "%", "min", "max", "cat", "substr", "merge")
    + ("missing_some", "log", "?:", "xor", "reduce", "map", "filter")
)


def _operations(logic):
    if isinstance(logic, dict):
        for op, args in logic.items():
            yield op, args
            yield from _operations(args)
    elif isinstance(logic, list):
        for item in logic:
            yield from _operations(item)


def _fact_of(node):
    if isinstance(node, dict) and len(node) == 1 and "var" in node:
        name = node["var"]
        if isinstance(name, str):
            return name
    return None


def _value_problems(rule_id, op, args, known):
    """A fact compared with a value it never has (``{"===": [{"var":
    "epc_label"}, "G"]}``): the rule could never fire as meant."""
    if op not in ("===", "!==", "in") or not isinstance(args, list) or len(args) != 2:
        return []
    fact = _fact_of(args[0])
    values = args[1] if op == "in" and isinstance(args[1], list) else [args[1]]
    if op == "in" and not isinstance(args[1], list):
        return []
    allowed = known.get(fact) if fact else None
    if not allowed:
        return []
    return [
        Problem(
            "unknown_value",
            "rule {rule} compares {fact} with {value!r}, which it never is",
            rule=rule_id,
            fact=fact,
            value=value,
        )
        for value in values
        if not any(value == a and type(value) is type(a) for a in allowed)
    ]

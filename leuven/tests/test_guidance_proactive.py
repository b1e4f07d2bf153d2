"""Proactive proposals from a dwelling's facts, and rule set validation."""

import copy
import datetime as dt

import pytest

from leuven.guidance import proactive as pro

TODAY = dt.date(2026, 3, 3)


def measures(facts, rules=None):
    return [p.measure for p in pro.propose(facts, rules, today=TODAY)]


def test_default_rule_set_is_sound():
    assert pro.validate_rules(pro.ENERGY_RULES) == []


def test_roof_not_insulated_proposes_the_roof_premium():
    proposals = pro.propose({"roof_insulated": False, "role": "owner"}, today=TODAY)
    assert proposals == [
        pro.Proposal(
            "roof_insulation",
            "premium_roof_insulation",
            "roof_not_insulated",
            "roof_not_insulated",
        )
    ]
    assert measures({"roof_insulated": True, "role": "owner"}) == []


def test_a_missing_fact_never_fires_a_rule():
    # "not insulated" must not be read into "we do not know"
    assert measures({"role": "owner"}) == []
    assert measures({"roof_insulated": None, "role": "owner"}) == []
    assert measures({"roof_insulated": False}) == []  # role unknown
    assert measures({}) == []
    assert measures(None) == []
    assert measures("not a dict") == []
    negation = [
        {
            "id": "not_insulated",
            "if": {"!": {"var": "roof_insulated"}},
            "then": [{"measure": "roof_insulation", "reason": "roof_not_insulated"}],
        }
    ]
    assert measures({}, negation) == []
    assert measures({"roof_insulated": False}, negation) == ["roof_insulation"]


def test_epc_label_e_or_f_proposes_obligation_info_and_loan():
    assert measures({"epc_label": "E"}) == ["renovation_obligation", "renovation_loan"]
    assert measures({"epc_label": "F"}) == ["renovation_obligation", "renovation_loan"]
    assert measures({"epc_label": "D"}) == []


def test_old_fossil_boiler_proposes_a_heat_pump():
    owner = {"role": "owner", "heating": "gas"}
    assert measures({**owner, "heating_year": 2008}) == ["heat_pump"]  # 18 years
    assert measures({**owner, "heating_year": 2011}) == []  # 15 years: not older
    assert measures({**owner, "heating": "heat_pump", "heating_year": 1990}) == []
    assert measures(owner) == []  # age unknown
    assert measures({**owner, "heating_year": "old"}) == []  # not a number
    assert measures({**owner, "heating_age": 20}) == ["heat_pump"]


def test_tenant_gets_landlord_information_not_premiums():
    facts = {"role": "tenant", "roof_insulated": False, "glazing": "single"}
    assert measures(facts) == ["landlord_information"]


def test_each_proposal_once_in_rule_order():
    facts = {
        "role": "landlord",
        "roof_insulated": False,
        "wall_insulated": False,
        "glazing": "single",
        "heating": "oil",
        "heating_year": 1995,
        "epc_label": "F",
        "income_category": 1,
    }
    proposals = pro.propose(facts, today=TODAY)
    assert [p.measure for p in proposals] == [
        "roof_insulation",
        "wall_insulation",
        "glazing",
        "heat_pump",
        "renovation_obligation",
        "renovation_loan",
    ]
    # the loan comes from the EPC rule first, the income rule adds nothing
    assert proposals[-1].reason == "epc_label_e_or_f"
    assert pro.propose(facts, today=TODAY) == proposals  # deterministic
    assert measures({"role": "owner", "income_category": 2}) == ["renovation_loan"]


def test_new_proposals_leave_out_what_was_proposed():
    proposals = pro.propose({"epc_label": "E"}, today=TODAY)
    known = [("renovation_obligation", "info_renovation_obligation")]
    assert [p.measure for p in pro.new_proposals(proposals, known)] == [
        "renovation_loan"
    ]
    assert pro.new_proposals(proposals, None) == proposals


def test_selection_spellings_are_normalised():
    assert measures({"role": "co-owner", "roof_insulated": False}) == [
        "roof_insulation"
    ]
    assert measures({"epc_label": "e"}) == ["renovation_obligation", "renovation_loan"]
    assert measures({"role": "owner", "income_category": "1"}) == ["renovation_loan"]
    assert measures({"role": "owner", "income_category": "3"}) == []


def test_facts_from_the_dwelling_record():
    record = {
        "roof_insulation": "partly",
        "wall_insulation": "unknown",
        "floor_insulation": False,
        "glazing": "single",
        "heating_type": "oil",
        "construction_year": 1965,
        "heating_year": 0,  # an empty Integer field in Odoo is 0
        "epc_label": "D",
        "street": "Naamsestraat",
    }
    facts = pro.dwelling_facts(record, role="owner", epc_label="E")
    assert facts == {
        "roof_insulated": False,
        "glazing": "single",
        "heating": "oil",
        "year_built": 1965,
        "epc_label": "E",
        "role": "owner",
    }
    assert pro.dwelling_facts({"roof_insulation": "yes"}) == {"roof_insulated": True}
    assert pro.dwelling_facts(None, income_category=False) == {}


def test_the_dwelling_heating_installed_year_feeds_the_heat_pump_rule():
    record = {"heating_type": "gas", "heating_installed_year": 2004}
    facts = pro.dwelling_facts(record, role="owner")
    assert facts == {"heating": "gas", "heating_year": 2004, "role": "owner"}
    assert measures(facts) == ["heat_pump"]  # 22 years old
    recent = pro.dwelling_facts({**record, "heating_installed_year": 2020}, "owner")
    assert measures(recent) == []
    # an empty Integer field (0) is an unknown year: no proposal
    empty = pro.dwelling_facts({**record, "heating_installed_year": 0}, "owner")
    assert "heating_year" not in empty and measures(empty) == []
    # a tenant is not proposed the landlord's boiler
    assert measures(pro.dwelling_facts(record, role="tenant")) == [
        "landlord_information"
    ]


def test_a_proposal_told_once_is_not_told_again_when_it_fires_again():
    told = pro.propose({"role": "owner", "roof_insulated": False}, today=TODAY)
    known = [(p.measure, p.product) for p in told]
    # the roof was insulated, then the EPC came: only the EPC's proposals
    now = pro.propose({"role": "owner", "epc_label": "E"}, today=TODAY)
    assert [p.measure for p in pro.new_proposals(now, known)] == [
        "renovation_obligation",
        "renovation_loan",
    ]
    # the roof rule fires again: it was told already
    again = pro.propose(
        {"role": "owner", "roof_insulated": False, "epc_label": "E"}, today=TODAY
    )
    known += [(p.measure, p.product) for p in now]
    assert pro.new_proposals(again, known) == []


def test_derived_ages():
    facts = pro.derive({"heating_year": 2000, "year_built": 1930}, TODAY)
    assert facts["heating_age"] == 26 and facts["dwelling_age"] == 96
    assert "heating_age" not in pro.derive({"heating_year": True}, TODAY)
    assert "heating_age" not in pro.derive({"heating_year": float("nan")}, TODAY)
    assert "heating_age" not in pro.derive({"heating_year": 0}, TODAY)
    assert "heating_age" not in pro.derive({"heating_year": 2030}, TODAY)
    owner = {"role": "owner", "heating": "gas", "heating_year": 0}
    assert measures(owner) == []  # an empty year is no 2026-year-old boiler
    # a given age is kept
    assert (
        pro.derive({"heating_year": 2000, "heating_age": 3}, TODAY)["heating_age"] == 3
    )


def test_wrong_types_and_broken_rules_never_raise():
    facts = {"roof_insulated": "no", "role": ["owner"], "epc_label": 5}
    assert measures(facts) == []
    broken = [
        "not a rule",
        {
            "id": "x",
            "if": {"no_such_op": [1]},
            "then": [{"measure": "m", "reason": "r"}],
        },
        {"id": "y", "if": {"===": [{"var": "role"}, "owner"]}, "then": "nothing"},
        {"id": "z", "if": {"===": [{"var": "role"}, "owner"]}},
        {"id": "w", "if": {"===": [{"var": "role"}, "owner"]}, "then": [{"x": 1}]},
        {
            "id": "ok",
            "if": {"===": [{"var": "role"}, "owner"]},
            "then": {"measure": "m", "reason": "r"},
        },
    ]
    proposals = pro.propose({"role": "owner"}, broken, today=TODAY)
    assert proposals == [pro.Proposal("m", "", "r", "ok")]
    assert pro.propose({"role": "owner"}, [], today=TODAY) == []


# -- validation -------------------------------------------------------------------
def codes(rules):
    return sorted(p.code for p in pro.validate_rules(rules))


def test_validation_finds_unknown_facts_and_values():
    rules = copy.deepcopy(pro.ENERGY_RULES)
    rules[0]["if"]["and"][0] = {"===": [{"var": "roof_insulation"}, False]}
    rules[4]["if"] = {"in": [{"var": "epc_label"}, ["E", "G"]]}
    problems = pro.validate_rules(rules)
    assert [(p.code, p.params.get("fact")) for p in problems] == [
        ("unknown_fact", "roof_insulation"),
        ("unknown_value", "epc_label"),
    ]
    assert problems[1].params["value"] == "G"
    assert problems[0].path == "rules/roof_not_insulated"


def test_validation_refuses_operators_the_suite_refuses():
    rule = {
        "id": "a",
        "if": {"==": [{"var": "role"}, "owner"]},
        "then": [{"measure": "m", "reason": "r"}],
    }
    assert codes([rule]) == ["loose_equality"]
    rule["if"] = {">": [{"+": [{"var": "heating_age"}, 1]}, 15]}
    assert codes([rule]) == ["refused_operator"]
    rule["if"] = {"frobnicate": [{"var": "heating_age"}]}
    assert codes([rule]) == ["refused_operator", "unknown_operator"]
    rule["if"] = {"var": ["role", "owner"]}
    assert codes([rule]) == ["var_default"]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ("not a list", ["not_a_list"]),
        ([1], ["not_a_rule"]),
        (
            [{"if": {"var": "role"}, "then": {"measure": "m", "reason": "r"}}],
            ["missing_id"],
        ),
        ([{"id": "a", "then": {"measure": "m", "reason": "r"}}], ["no_condition"]),
        ([{"id": "a", "if": {"var": "role"}}], ["no_outcome"]),
        (
            [{"id": "a", "if": {"var": "role"}, "then": [{"measure": "m"}]}],
            ["bad_outcome"],
        ),
        (
            [
                {
                    "id": "a",
                    "if": {"var": "role"},
                    "then": {"measure": "m", "reason": "r"},
                },
                {
                    "id": "a",
                    "if": {"var": "role"},
                    "then": {"measure": "n", "reason": "r"},
                },
            ],
            ["duplicate_id"],
        ),
    ],
)
def test_validation_of_the_rule_shape(rules, expected):
    assert codes(rules) == expected


def test_validation_with_other_facts():
    rule = {
        "id": "a",
        "if": {"===": [{"var": "debt"}, True]},
        "then": [{"measure": "m", "reason": "r"}],
    }
    assert codes([rule]) == ["unknown_fact"]
    assert pro.validate_rules([rule], facts={"debt": (True, False)}) == []

from leuven.kcc import routing

RULES = [
    {"id": 1, "sequence": 20, "group_id": 100, "types": ["report"]},
    {
        "id": 2,
        "sequence": 10,
        "group_id": 200,
        "types": ["report"],
        "keywords": ["straatlamp", "verlichting"],
    },
    {"id": 3, "sequence": 30, "group_id": 300, "postcodes": ["3010"]},
    {"id": 4, "sequence": 5, "group_id": 400, "partner_kinds": ["company"]},
]


def case(**values):
    base = {"type": "question", "channel": "web", "subject": "", "description": ""}
    base.update(values)
    return base


def test_lower_sequence_wins_when_both_match():
    result = routing.route(RULES, case(type="report", subject="Straatlamp kapot"))
    assert result == (200, 2, "rule")


def test_keywords_ignore_case_and_accents():
    rule = {"group_id": 1, "keywords": ["verlichting"]}
    assert routing.rule_matches(rule, case(description="De VERLICHTING is stuk"))
    assert not routing.rule_matches(rule, case(description="Een put in de weg"))


def test_keyword_is_a_word_not_a_fragment():
    rule = {"group_id": 1, "keywords": ["lamp"]}
    assert not routing.rule_matches(rule, case(subject="De lampenkap"))


def test_general_rule_when_specific_does_not_match():
    assert routing.route(RULES, case(type="report", subject="Put in de weg"))[0] == 100


def test_partner_kind_and_postcode():
    assert routing.route(RULES, case(partner_kind="company"))[0] == 400
    assert routing.route(RULES, case(postcode=" 3010 "))[0] == 300


def test_fallback_to_category_then_kcc():
    assert routing.route(RULES, case(), category_default_group_id=9) == (
        9,
        None,
        "category",
    )
    assert routing.route(RULES, case()) == (None, None, "kcc")


def test_split_keywords():
    assert routing.split_keywords("lamp, paal\nverlichting;;") == [
        "lamp",
        "paal",
        "verlichting",
    ]

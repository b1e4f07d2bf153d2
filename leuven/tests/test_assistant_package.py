from leuven.assistant.package import structural_problems

GOOD = {
    "id": "t",
    "version": "1.0.0",
    "title": {"nl": "T"},
    "questions": [{"id": "q1"}],
    "outcomes": [{"id": "o1"}],
    "rules": [{"if": True, "then": "o1"}],
}


def test_sound_package_has_no_problems():
    assert structural_problems(GOOD) == []


def test_problems_are_reported_by_name():
    bad = dict(GOOD, outcomes=[{"id": "o1"}, {"id": "o1"}], rules=[{"then": "o9"}])
    del bad["version"]
    problems = structural_problems(bad)
    assert "missing key 'version'" in problems
    assert "outcome id 'o1' is used twice" in problems
    assert "rule 1 leads to unknown outcome 'o9'" in problems
    assert structural_problems([]) == ["the package must be a JSON object"]

"""Stage rules of a trajectory type and time per stage."""

import datetime as dt

import pytest

from leuven.guidance import stages as st

RULES = st.ENERGY_COACHING
ALL_FACTS = {
    st.APPOINTMENT_DONE,
    st.DWELLING_TECHNICAL_DATA,
    st.ADVICE_GIVEN,
    st.QUOTE_RECEIVED,
}


def test_home_visit_needs_an_appointment_done():
    with pytest.raises(st.MoveRefused) as err:
        st.check_move(RULES, "intake", "home_visit", set())
    assert err.value.code == "requirements_missing"
    assert err.value.missing == (st.APPOINTMENT_DONE,)
    assert err.value.target == "home_visit"
    st.check_move(RULES, "intake", "home_visit", {st.APPOINTMENT_DONE})
    st.check_move(RULES, "intake", "home_visit", {st.APPOINTMENT_DONE: True})
    with pytest.raises(st.MoveRefused):
        st.check_move(RULES, "intake", "home_visit", {st.APPOINTMENT_DONE: False})


def test_advice_needs_technical_data_and_works_done_a_quote():
    assert st.missing_requirements(RULES, "advice", set()) == (
        st.DWELLING_TECHNICAL_DATA,
    )
    assert st.missing_requirements(RULES, "works_done", set()) == (st.QUOTE_RECEIVED,)
    assert st.missing_requirements(RULES, "works_done", ALL_FACTS) == ()


def test_allowed_moves_forward_with_skips_and_back_always():
    assert st.allowed_moves(RULES, "advice", set()) == [
        "intake",
        "home_visit",
        "epc_after",
        "closed",
    ]
    assert st.allowed_moves(RULES, "advice", ALL_FACTS) == [
        "intake",
        "home_visit",
        "quotes",
        "premiums",
        "works_done",
        "epc_after",
        "closed",
    ]


def test_not_yet_in_a_stage():
    assert st.allowed_moves(RULES, None, set()) == ["intake", "epc_after", "closed"]
    assert st.allowed_moves(RULES, "deleted_stage", set())[0] == "intake"


def test_without_skipping_only_the_next_stage():
    rules = st.StageRules(
        (st.Stage("a"), st.Stage("b", ("x",)), st.Stage("c")), allow_skip=False
    )
    assert st.allowed_moves(rules, "a", {"x"}) == ["b"]
    assert st.allowed_moves(rules, "a", set()) == []
    assert st.allowed_moves(rules, "c", set()) == ["a", "b"]
    with pytest.raises(st.MoveRefused) as err:
        st.check_move(rules, "a", "c", {"x"})
    assert err.value.code == "skip_refused"
    assert st.allowed_moves(rules, None, set()) == ["a"]


def test_refused_moves_carry_a_code():
    for current, target, code in (
        ("intake", "nowhere", "unknown_stage"),
        ("intake", "intake", "same_stage"),
    ):
        with pytest.raises(st.MoveRefused) as err:
            st.check_move(RULES, current, target, ALL_FACTS)
        assert err.value.code == code
        assert err.value.missing == ()


def test_closed_trajectory_only_reopens_backwards():
    assert st.allowed_moves(RULES, "closed", ALL_FACTS) == list(RULES.codes[:-1])
    rules = st.StageRules((st.Stage("a"), st.Stage("z", final=True), st.Stage("b")))
    with pytest.raises(st.MoveRefused) as err:
        st.check_move(rules, "z", "b", set())
    assert err.value.code == "closed"


def test_stage_list_as_plain_stages_and_unique_codes():
    stages = [st.Stage("a"), st.Stage("b", ("x",)), st.Stage("c")]
    assert st.allowed_moves(stages, "a", {"x"}) == ["b"]  # no skip by default
    assert st.allowed_moves(stages, "a", {"x": 1}) == ["b"]
    assert st.allowed_moves(stages, "a", {"x": 0}) == []
    assert not st.StageRules(tuple(stages)).allow_skip
    as_tuples = st.StageRules((("a",), ("b", ("x",))))
    assert as_tuples.stages[1] == st.Stage("b", ("x",))
    assert st.allowed_moves(["a", "b", "c"], "b", set()) == ["a", "c"]
    with pytest.raises(TypeError):
        st.StageRules((1,))
    with pytest.raises(ValueError):
        st.StageRules((st.Stage("a"), st.Stage("a")))


# -- time per stage -------------------------------------------------------------
T0 = dt.datetime(2026, 1, 1, 9, 0)


def at(days):
    return T0 + dt.timedelta(days=days)


def test_time_per_stage_of_one_trajectory():
    history = [
        ("home_visit", at(3)),  # any order
        ("intake", at(0)),
        ("advice", at(10)),
        ("home_visit", at(12)),  # back for a second visit
        ("advice", at(13)),
    ]
    assert st.time_per_stage(history) == {
        "intake": dt.timedelta(days=3),
        "home_visit": dt.timedelta(days=8),
        "advice": dt.timedelta(days=2),
    }
    assert st.time_per_stage(history, now=at(20))["advice"] == dt.timedelta(days=9)
    periods = st.stage_periods(history)
    assert periods[-1].left_at is None and periods[-1].duration is None
    assert periods[0] == st.StagePeriod("intake", at(0), at(3), dt.timedelta(days=3))


def test_repeated_entries_and_missing_times():
    history = [
        ("intake", at(0)),
        ("intake", at(1)),
        ("advice", None),
        ("advice", at(4)),
    ]
    assert st.time_per_stage(history) == {"intake": dt.timedelta(days=4)}
    assert st.time_per_stage([]) == {}
    assert st.stage_periods(None) == []


def test_median_per_stage():
    histories = [
        [("intake", at(0)), ("home_visit", at(2))],
        [("intake", at(0)), ("home_visit", at(4))],
        [("intake", at(0)), ("home_visit", at(9))],
        [("intake", at(0))],  # still in intake: not counted without now
    ]
    medians = st.median_per_stage(histories)
    assert medians["intake"] == (dt.timedelta(days=4), 3)
    assert "home_visit" not in medians
    with_now = st.median_per_stage(histories, now=at(10))
    assert with_now["intake"] == (dt.timedelta(days=6.5), 4)
    assert with_now["home_visit"] == (dt.timedelta(days=6), 3)

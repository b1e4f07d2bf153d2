import pytest

from leuven.kcc import states


def test_every_state_has_a_transition_row():
    assert set(states.TRANSITIONS) == set(states.STATES)
    for targets in states.TRANSITIONS.values():
        assert targets <= set(states.STATES)


@pytest.mark.parametrize(
    "current,target",
    [
        ("new", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "closed"),
        ("answered", "reopened"),
        ("reopened", "in_progress"),
        ("new", "waiting"),
        ("waiting", "in_progress"),
        ("new", "cancelled"),
        ("in_progress", "duplicate"),
    ],
)
def test_allowed_transitions(current, target):
    states.check_transition(current, target)


@pytest.mark.parametrize(
    "current,target",
    [
        ("new", "answered"),
        ("closed", "in_progress"),
        ("cancelled", "new"),
        ("answered", "in_progress"),
        ("waiting", "answered"),
        ("duplicate", "new"),
    ],
)
def test_forbidden_transitions(current, target):
    with pytest.raises(states.TransitionError) as err:
        states.check_transition(current, target)
    assert err.value.current == current and err.value.target == target


def test_unknown_state_is_rejected():
    with pytest.raises(KeyError):
        states.check_transition("new", "solved")


def test_final_states_are_final():
    for state in ("closed", "cancelled", "duplicate"):
        assert not states.allowed_targets(state)


def test_every_state_has_a_status_for_the_customer():
    assert set(states.CITIZEN_STATE_OF) == set(states.STATES)
    assert set(states.CITIZEN_STATE_OF.values()) == {
        "received", "in_treatment", "waiting", "answered", "closed", "cancelled"
    }  # fmt: skip


def test_every_citizen_status_is_listed_once():
    assert len(states.CITIZEN_STATES) == len(set(states.CITIZEN_STATES))
    assert set(states.CITIZEN_STATE_OF.values()) == set(states.CITIZEN_STATES)


def test_actions_only_offer_allowed_transitions():
    for target, offered in states.ACTIONS.values():
        assert target in states.STATES
        for state in offered or ():
            assert target in states.allowed_targets(state)


@pytest.mark.parametrize(
    "current,expected",
    [
        ("new", {"assign_to_me", "start", "wait", "cancel", "mark_duplicate"}),
        ("assigned", {"assign_to_me", "start", "wait", "cancel", "mark_duplicate"}),
        ("in_progress", {"answer", "wait", "cancel", "mark_duplicate"}),
        ("waiting", {"resume", "cancel"}),
        ("answered", {"close", "reopen"}),
        ("reopened", {"assign_to_me", "start"}),
        ("closed", set()),
        ("cancelled", set()),
        ("duplicate", set()),
    ],
)
def test_available_actions(current, expected):
    assert states.available_actions(current) == expected


def test_available_actions_of_unknown_state():
    with pytest.raises(KeyError):
        states.available_actions("solved")


def test_selection_follows_the_table_order():
    labels = {key: key.title() for key in reversed(states.STATES)}
    assert [key for key, _label in states.selection(labels)] == list(states.STATES)


def test_selection_rejects_missing_or_extra_labels():
    labels = {key: key for key in states.STATES}
    with pytest.raises(ValueError):
        states.selection({**labels, "solved": "Solved"})
    del labels["waiting"]
    with pytest.raises(ValueError):
        states.selection(labels)

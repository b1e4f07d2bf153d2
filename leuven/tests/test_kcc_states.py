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

"""The case life cycle: one explicit transition table, used by every caller."""

from typing import NamedTuple

NEW = "new"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
WAITING = "waiting"
ANSWERED = "answered"
REOPENED = "reopened"
CLOSED = "closed"
CANCELLED = "cancelled"
DUPLICATE = "duplicate"

STATES = (
    NEW,
    ASSIGNED,
    IN_PROGRESS,
    WAITING,
    ANSWERED,
    REOPENED,
    CLOSED,
    CANCELLED,
    DUPLICATE,
)

#: state -> states it may move to
TRANSITIONS = {
    NEW: frozenset({ASSIGNED, IN_PROGRESS, WAITING, CANCELLED, DUPLICATE}),
    ASSIGNED: frozenset({IN_PROGRESS, WAITING, ASSIGNED, CANCELLED, DUPLICATE}),
    IN_PROGRESS: frozenset({ANSWERED, WAITING, ASSIGNED, CANCELLED, DUPLICATE}),
    WAITING: frozenset({IN_PROGRESS, CANCELLED}),
    ANSWERED: frozenset({CLOSED, REOPENED}),
    REOPENED: frozenset({IN_PROGRESS, ASSIGNED}),
    CLOSED: frozenset(),
    CANCELLED: frozenset(),
    DUPLICATE: frozenset(),
}

#: states in which the case is still being handled (deadline runs)
OPEN_STATES = frozenset({NEW, ASSIGNED, IN_PROGRESS, WAITING, REOPENED})
#: states in which the case is finished
DONE_STATES = frozenset({ANSWERED, CLOSED, CANCELLED, DUPLICATE})


class TransitionError(ValueError):
    """A state change the life cycle does not allow."""

    def __init__(self, current, target):
        super().__init__(f"{current} -> {target}")
        self.current = current
        self.target = target


def allowed_targets(current):
    """The states a case in ``current`` may move to."""
    if current not in TRANSITIONS:
        raise KeyError(current)
    return TRANSITIONS[current]


def check_transition(current, target):
    """Raise :class:`TransitionError` unless ``current -> target`` is allowed."""
    if target not in TRANSITIONS:
        raise KeyError(target)
    if target not in allowed_targets(current):
        raise TransitionError(current, target)


#: state -> the status the customer sees (portal, profile, Melding doen)
CITIZEN_STATE_OF = {
    NEW: "received",
    ASSIGNED: "in_treatment",
    IN_PROGRESS: "in_treatment",
    REOPENED: "in_treatment",
    WAITING: "waiting",
    ANSWERED: "answered",
    CLOSED: "closed",
    CANCELLED: "cancelled",
    DUPLICATE: "in_treatment",
}

#: the statuses the customer sees, in display order
CITIZEN_STATES = (
    "received",
    "in_treatment",
    "waiting",
    "answered",
    "closed",
    "cancelled",
)


class Action(NamedTuple):
    """A button of the case form: the state it moves to and the states it is
    offered in (``None``: every state that may move to ``target``)."""

    target: str
    offered: frozenset | None = None


#: the form's actions, by the name of their ``action_<name>`` method
ACTIONS = {
    "assign_to_me": Action(ASSIGNED, frozenset({NEW, ASSIGNED, REOPENED})),
    "start": Action(IN_PROGRESS, frozenset({NEW, ASSIGNED, REOPENED})),
    "resume": Action(IN_PROGRESS, frozenset({WAITING})),
    "wait": Action(WAITING),
    "answer": Action(ANSWERED),
    "close": Action(CLOSED),
    "reopen": Action(REOPENED),
    "cancel": Action(CANCELLED),
    "mark_duplicate": Action(DUPLICATE),
}


def available_actions(current):
    """The actions of :data:`ACTIONS` offered for a case in ``current``."""
    targets = allowed_targets(current)
    return frozenset(
        name
        for name, (target, offered) in ACTIONS.items()
        if target in targets and (offered is None or current in offered)
    )


def selection(labels, keys=STATES):
    """``(key, label)`` pairs in the order of ``keys``; ``labels`` must name
    exactly these keys, so a selection cannot drift from this table."""
    if set(labels) != set(keys):
        raise ValueError(
            f"labels {sorted(set(labels) ^ set(keys))} do not match the states"
        )
    return [(key, labels[key]) for key in keys]

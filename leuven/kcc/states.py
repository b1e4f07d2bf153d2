"""The case life cycle: one explicit transition table, used by every caller."""

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

"""Stage rules of a guidance trajectory type, and time per stage, no Odoo.

A trajectory type has its stages in order (:class:`Stage`), each with
optional **entry requirements**: codes of facts that must hold before a
trajectory may enter it ("home visit" needs ``appointment_done``, "advice"
needs ``dwelling_technical_data``, "works done" needs ``quote_received``).
The Odoo side computes the facts of one trajectory (a set of requirement
codes that hold, or a ``{code: bool}`` mapping) and asks:

- :func:`allowed_moves` — the stage codes the trajectory may move to now;
- :func:`check_move` — the same for one target, raising :class:`MoveRefused`
  with a ``code`` and the ``missing`` requirement codes (translated there).

Moving back to an earlier stage is always allowed (a correction); moving
forward needs the target's requirements, and, unless the type allows
skipping (``StageRules.allow_skip``), the target must be the next stage.

For the KPIs: :func:`stage_periods`, :func:`time_per_stage` of one stage
history (a list of ``(stage_code, entered_at)``) and :func:`median_per_stage`
over many trajectories.
"""

import datetime
import statistics
from dataclasses import dataclass

#: Requirement codes of the energy coaching type (the Odoo side translates them).
APPOINTMENT_DONE = "appointment_done"
DWELLING_TECHNICAL_DATA = "dwelling_technical_data"
QUOTE_RECEIVED = "quote_received"
ADVICE_GIVEN = "advice_given"


@dataclass(frozen=True)
class Stage:
    """A stage: ``code`` (stable, e.g. ``"home_visit"``), ``requires`` (the
    requirement codes to enter it) and ``final`` (the trajectory is closed
    there: no move forward from it)."""

    code: str
    requires: tuple = ()
    final: bool = False

    def __post_init__(self):
        object.__setattr__(self, "requires", tuple(self.requires or ()))


def _stage(value):
    """A :class:`Stage` from a Stage, a code or a tuple of Stage arguments."""
    if isinstance(value, Stage):
        return value
    if isinstance(value, str):
        return Stage(value)
    if isinstance(value, (tuple, list)):
        return Stage(*value)
    raise TypeError(f"not a stage: {value!r}")


@dataclass(frozen=True)
class StageRules:
    """The stages of a trajectory type in order, and whether a move may skip
    stages forward (``allow_skip``). A stage may be given as a :class:`Stage`,
    a bare code (no requirements) or a tuple ``(code, requires, final)``."""

    stages: tuple
    allow_skip: bool = False

    def __post_init__(self):
        stages = tuple(_stage(s) for s in self.stages)
        codes = [s.code for s in stages]
        if len(set(codes)) != len(codes):
            raise ValueError("stage codes must be unique")
        object.__setattr__(self, "stages", stages)

    @property
    def codes(self):
        return tuple(s.code for s in self.stages)

    def index(self, code):
        """The position of stage ``code``, or ``None`` when unknown."""
        for i, stage in enumerate(self.stages):
            if stage.code == code:
                return i
        return None


#: The energy coaching trajectory (the first type).
ENERGY_COACHING = StageRules(
    (
        Stage("intake"),
        Stage("home_visit", (APPOINTMENT_DONE,)),
        Stage("advice", (DWELLING_TECHNICAL_DATA,)),
        Stage("quotes", (ADVICE_GIVEN,)),
        Stage("premiums", (QUOTE_RECEIVED,)),
        Stage("works_done", (QUOTE_RECEIVED,)),
        Stage("epc_after"),
        Stage("closed", final=True),
    ),
    allow_skip=True,
)


class MoveRefused(ValueError):
    """A stage move that is not allowed.

    ``code``: ``"unknown_stage"`` (the target is not a stage of the type),
    ``"same_stage"``, ``"closed"`` (forward from a final stage),
    ``"skip_refused"`` (forward past the next stage when skipping is not
    allowed) or ``"requirements_missing"``; ``missing``: the requirement codes
    that do not hold (in the stage's order); ``target`` the stage asked."""

    def __init__(self, code, target, missing=()):
        self.code = code
        self.target = target
        self.missing = tuple(missing)
        detail = f" (missing: {', '.join(self.missing)})" if self.missing else ""
        super().__init__(f"move to {target!r} refused: {code}{detail}")


def _holds(facts):
    """A predicate: whether a requirement code holds in ``facts`` (a set /
    list of codes that hold, or a mapping code → truthy)."""
    if facts is None:
        return lambda code: False
    if isinstance(facts, dict):
        return lambda code: bool(facts.get(code))
    held = frozenset(facts)
    return lambda code: code in held


def _rules(stages):
    return stages if isinstance(stages, StageRules) else StageRules(tuple(stages))


def missing_requirements(stages, target, facts):
    """The requirement codes of stage ``target`` that do not hold in
    ``facts`` (empty tuple: it may be entered; unknown stage: empty too)."""
    rules = _rules(stages)
    index = rules.index(target)
    if index is None:
        return ()
    holds = _holds(facts)
    return tuple(code for code in rules.stages[index].requires if not holds(code))


def check_move(stages, current, target, facts):
    """Raise :class:`MoveRefused` unless a trajectory in stage ``current``
    (``None`` or an unknown code: not yet in a stage) may move to ``target``
    given ``facts``. ``stages``: a :class:`StageRules` or a sequence of
    stages (:class:`Stage`, codes or tuples: no skipping)."""
    rules = _rules(stages)
    to = rules.index(target)
    if to is None:
        raise MoveRefused("unknown_stage", target)
    here = rules.index(current)
    if here is not None and to == here:
        raise MoveRefused("same_stage", target)
    if here is not None and to < here:
        return  # back: a correction, always allowed
    if here is not None and rules.stages[here].final:
        raise MoveRefused("closed", target)
    start = -1 if here is None else here
    if not rules.allow_skip and to != start + 1:
        raise MoveRefused("skip_refused", target)
    missing = missing_requirements(rules, target, facts)
    if missing:
        raise MoveRefused("requirements_missing", target, missing)


def allowed_moves(stages, current, facts):
    """The stage codes a trajectory in ``current`` may move to given
    ``facts``, in stage order (see :func:`check_move`)."""
    rules = _rules(stages)
    allowed = []
    for code in rules.codes:
        try:
            check_move(rules, current, code, facts)
        except MoveRefused:
            continue
        allowed.append(code)
    return allowed


# -- time per stage ----------------------------------------------------------
@dataclass(frozen=True)
class StagePeriod:
    """One stay in a stage: from ``entered_at`` until ``left_at`` (``None``:
    still there), ``duration`` a timedelta (until ``now`` when still there
    and ``now`` was given, else ``None``)."""

    stage: str
    entered_at: datetime.datetime
    left_at: datetime.datetime | None
    duration: datetime.timedelta | None


def stage_periods(history, now=None):
    """The stays of one trajectory from its stage ``history`` (an iterable of
    ``(stage_code, entered_at)``, in any order; entries without a time are
    left out), oldest first. Consecutive entries of the same stage are one
    stay."""
    rows = sorted(
        ((stage, at) for stage, at in history or () if at is not None),
        key=lambda row: row[1],
    )
    merged = []
    for stage, at in rows:
        if merged and merged[-1][0] == stage:
            continue
        merged.append((stage, at))
    periods = []
    for i, (stage, at) in enumerate(merged):
        left = merged[i + 1][1] if i + 1 < len(merged) else None
        end = left if left is not None else now
        periods.append(StagePeriod(stage, at, left, end - at if end else None))
    return periods


def time_per_stage(history, now=None):
    """``{stage_code: timedelta}``: the total time one trajectory spent in
    each stage (stays added up; the current stay counts until ``now`` when
    given, else not at all)."""
    totals = {}
    for period in stage_periods(history, now):
        if period.duration is None:
            continue
        totals[period.stage] = totals.get(period.stage, datetime.timedelta()) + (
            period.duration
        )
    return totals


def median_per_stage(histories, now=None):
    """``{stage_code: (median timedelta, number of trajectories)}`` over many
    trajectories' histories (an iterable of histories), each trajectory's
    time in a stage counted once (:func:`time_per_stage`)."""
    samples = {}
    for history in histories or ():
        for stage, spent in time_per_stage(history, now).items():
            samples.setdefault(stage, []).append(spent.total_seconds())
    return {
        stage: (datetime.timedelta(seconds=statistics.median(values)), len(values))
        for stage, values in samples.items()
    }

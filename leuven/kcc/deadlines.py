"""Deadline maths: working days on a calendar, calendar days, pauses.

A calendar is described by plain data: the weekdays that are worked
(0 = Monday) and a set of dates that are holidays.
"""

import datetime as dt

WEEKDAYS = frozenset(range(5))


def is_working_day(day, workdays=WEEKDAYS, holidays=frozenset()):
    return day.weekday() in workdays and day not in holidays


def add_working_days(start, days, workdays=WEEKDAYS, holidays=frozenset()):
    """The date ``days`` working days after ``start`` (a date).

    The day of ``start`` itself never counts: a case received on Friday with
    a two-working-day deadline is due on Tuesday.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    if not workdays:
        raise ValueError("a calendar needs at least one working weekday")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, workdays, holidays):
            remaining -= 1
    return day


def compute_deadline(
    start, days, unit="working", workdays=WEEKDAYS, holidays=frozenset()
):
    """Deadline date for a case received on ``start``.

    ``unit`` is ``"working"`` (on the calendar) or ``"calendar"`` days; a
    calendar-day deadline that falls on a non-working day moves to the next
    working day.
    """
    if unit == "working":
        return add_working_days(start, days, workdays, holidays)
    if unit != "calendar":
        raise ValueError(f"unknown deadline unit {unit!r}")
    day = start + dt.timedelta(days=days)
    while not is_working_day(day, workdays, holidays):
        day += dt.timedelta(days=1)
    return day


def extend_for_pause(
    deadline, paused_from, resumed_on, workdays=WEEKDAYS, holidays=frozenset()
):
    """Push ``deadline`` by the working days a case spent waiting.

    The waiting period runs from ``paused_from`` (date) up to, not including,
    ``resumed_on``; only its working days move the deadline.
    """
    if resumed_on <= paused_from:
        return deadline
    lost = sum(
        1
        for offset in range((resumed_on - paused_from).days)
        if is_working_day(paused_from + dt.timedelta(days=offset), workdays, holidays)
    )
    return add_working_days(deadline, lost, workdays, holidays)

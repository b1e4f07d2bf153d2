import datetime as dt

import pytest

from leuven.kcc import deadlines

FRIDAY = dt.date(2026, 11, 6)
ARMISTICE = dt.date(2026, 11, 11)  # a Wednesday, public holiday in Belgium


def test_working_days_skip_the_weekend():
    assert deadlines.add_working_days(FRIDAY, 1) == dt.date(2026, 11, 9)
    assert deadlines.add_working_days(FRIDAY, 2) == dt.date(2026, 11, 10)


def test_working_days_skip_public_holidays():
    due = deadlines.add_working_days(FRIDAY, 3, holidays={ARMISTICE})
    assert due == dt.date(2026, 11, 12)


def test_calendar_days_move_off_a_weekend():
    # 8 calendar days after Friday 6/11 is Saturday 14/11 -> Monday 16/11
    assert deadlines.compute_deadline(FRIDAY, 8, unit="calendar") == dt.date(
        2026, 11, 16
    )


def test_pause_pushes_deadline_by_working_days_lost():
    deadline = dt.date(2026, 11, 20)
    # waiting from Friday 6/11 to Tuesday 10/11: Friday and Monday were lost
    pushed = deadlines.extend_for_pause(
        deadline, dt.date(2026, 11, 6), dt.date(2026, 11, 10)
    )
    assert pushed == dt.date(2026, 11, 24)


def test_zero_length_pause_changes_nothing():
    day = dt.date(2026, 11, 20)
    assert deadlines.extend_for_pause(day, day, day) == day


def test_bad_input():
    with pytest.raises(ValueError):
        deadlines.add_working_days(FRIDAY, -1)
    with pytest.raises(ValueError):
        deadlines.compute_deadline(FRIDAY, 1, unit="weeks")
    with pytest.raises(ValueError):
        deadlines.add_working_days(FRIDAY, 1, workdays=frozenset())

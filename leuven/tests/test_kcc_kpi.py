import datetime as dt

from leuven.kcc import kpi

T0 = dt.datetime(2026, 11, 2, 9, 0)


def test_rate_and_target():
    assert kpi.rate(3, 5) == 60.0
    assert kpi.rate(0, 0) == 0.0
    assert kpi.first_line_status(60.0) == "met"
    assert kpi.first_line_status(59.9) == "below"


def test_median_hours_per_group():
    rows = [
        {"group": "A", "received": T0, "answered": T0 + dt.timedelta(hours=2)},
        {"group": "A", "received": T0, "answered": T0 + dt.timedelta(hours=4)},
        {"group": "A", "received": T0, "answered": T0 + dt.timedelta(hours=30)},
        {"group": "B", "received": T0, "answered": T0 + dt.timedelta(hours=1)},
        {"group": "B", "received": T0, "answered": None},
    ]
    assert kpi.median_hours_by(rows, "group") == {"A": 4.0, "B": 1.0}


def test_median_of_nothing():
    assert kpi.median([]) is None
    assert kpi.median([None, 3, 1]) == 2

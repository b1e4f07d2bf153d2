"""KPI formulas of the KCC, on plain numbers (the addon gathers them)."""

import statistics

FIRST_LINE_TARGET = 60.0  # % of customer contacts resolved by the KCC itself


def rate(part, whole):
    """``part`` as a percentage of ``whole`` (0.0 when there is nothing)."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def median(values):
    """Median of ``values``; None for an empty list."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def hours_between(start, end):
    """Hours from ``start`` to ``end`` (datetimes)."""
    return (end - start).total_seconds() / 3600.0


def median_hours_by(rows, key):
    """Median hours to answer per key.

    ``rows``: iterables of dicts with ``key``, ``received`` and ``answered``.
    """
    groups = {}
    for row in rows:
        if row.get("received") and row.get("answered"):
            groups.setdefault(row[key], []).append(
                hours_between(row["received"], row["answered"])
            )
    return {k: round(median(v), 1) for k, v in groups.items()}


def first_line_status(rate_value, target=FIRST_LINE_TARGET):
    """'met' or 'below' the city's first-line target."""
    return "met" if rate_value >= target else "below"

"""Privacy rules of the KCC on plain data: masking, retention and erasure."""

import re

DEFAULT_RETENTION_MONTHS = 60
RETAINED_STATES = ("closed", "cancelled")


def mask_text(text, visible=1):
    """Keep the first ``visible`` letters of each word: ``"Jan Peeters"`` ->
    ``"J** P******"``. Digits are always hidden (house numbers, ids)."""
    if not text:
        return ""

    def mask_word(match):
        word = match.group(0)
        shown = "" if word[:1].isdigit() else word[:visible]
        return shown + "*" * (len(word) - len(shown))

    return re.sub(r"\w+", mask_word, str(text))


def add_months(day, months):
    """``day`` shifted by ``months`` (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def retention_cutoff(now, months):
    """Cases finished before the returned moment are past their retention."""
    months = months if months and months > 0 else DEFAULT_RETENTION_MONTHS
    return add_months(now, -months)


def erasure_decision(case):
    """What erasure may do with one case, as ``(action, reason_code)``.

    ``case`` is a dict with ``state``. Open cases are kept: the city still
    owes an answer; a finished case is anonymised.
    """
    if case.get("state") not in RETAINED_STATES + ("answered", "duplicate"):
        return "keep", "open_case"
    return "anonymise", None

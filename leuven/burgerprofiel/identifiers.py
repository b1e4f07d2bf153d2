"""Belgian identifiers: national number (INSZ/rijksregisternummer), KBO number
and VCode (association register).

The national and KBO numbers end in a mod-97 check number. These functions
only look at the format; whether a number exists is for the authentic source
(MAGDA) to say.

Only ASCII digits count, with the usual separators (``.``, ``-``, space)
between them: anything else, letters or digits of other scripts (full-width
``０``, Arabic-Indic ``٠``) included, makes the value malformed; it is never
silently dropped.
"""

import calendar
import re

# ASCII only: \d and str.isdigit() also accept the digits of other scripts
_SPELLING = re.compile(r"[0-9][0-9. -]*")
_SEPARATORS = re.compile(r"[. -]")
_VCODE = re.compile(r"V[0-9]{7}")


def digits_only(value):
    """The ASCII digits of ``value`` without separators (``85073003328`` from
    ``85.07.30-033.28``), or ``""`` when it holds anything else (a letter,
    another script's digit, a control character) or is not text."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not _SPELLING.fullmatch(value):
        return ""
    return _SEPARATORS.sub("", value)


def _insz_century(number):
    """1900 or 2000 from the check number of 11 digits, ``None`` if wrong."""
    base, check = int(number[:9]), int(number[9:])
    if check == 97 - base % 97:
        return 1900
    if check == 97 - int("2" + number[:9]) % 97:
        return 2000
    return None


def _insz_date_possible(number, century):
    """Whether the birth date part can be a birth date.

    The month is raised by 20 or 40 in BIS numbers. A month or day of 00
    stands for a birth date that is not (fully) known, as the registers
    document; otherwise the day must exist in that month (29 February only in
    a leap year).
    """
    year = century + int(number[:2])
    month, day = int(number[2:4]), int(number[4:6])
    if month >= 40:
        month -= 40
    elif month >= 20:
        month -= 20
    if month > 12 or day > 31:
        return False
    if month == 0 or day == 0:
        return True
    return day <= calendar.monthrange(year, month)[1]


def is_valid_insz(value):
    """Whether ``value`` is a well-formed INSZ (national or BIS number).

    Eleven digits: birth date YYMMDD (month +20/+40 for BIS numbers), a
    serial number and a check number of 97 - (first nine digits mod 97); for
    people born from 2000 on, a 2 is put in front of the nine digits. The
    birth date must be possible (or documented as unknown, 00).
    """
    number = digits_only(value)
    if len(number) != 11:
        return False
    century = _insz_century(number)
    return century is not None and _insz_date_possible(number, century)


def normalize_insz(value):
    """``85073003328`` from ``85.07.30-033.28``; raises ``ValueError`` if malformed."""
    number = digits_only(value)
    if not is_valid_insz(number):
        raise ValueError("invalid national number")
    return number


def mask_insz(value):
    """Show only the birth date part: ``85.07.30-xxx.xx``."""
    number = digits_only(value)
    if len(number) != 11:
        return ""
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-xxx.xx"


_VAT_PREFIX = re.compile(r"^BE ?", re.IGNORECASE)


def _kbo_digits(value):
    """The ten (or nine, old style) digits of a KBO number. The VAT notation
    ``BE 0207.521.503`` of the same number is accepted: ``BE`` is the one
    prefix Belgian enterprises print, any other letter makes it malformed."""
    if isinstance(value, str):
        value = _VAT_PREFIX.sub("", value.strip(), count=1)
    number = digits_only(value)
    return "0" + number if len(number) == 9 else number


def is_valid_kbo(value):
    """Whether ``value`` is a well-formed KBO (enterprise) number.

    Ten digits starting with 0 or 1; the last two are 97 - (first eight mod 97).
    """
    number = _kbo_digits(value)
    if len(number) != 10 or number[0] not in "01":
        return False
    return int(number[8:]) == 97 - int(number[:8]) % 97


def format_kbo(value):
    """``0207.521.503`` from any spelling; raises ``ValueError`` if malformed."""
    number = _kbo_digits(value)
    if not is_valid_kbo(number):
        raise ValueError("invalid KBO number")
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def is_valid_vcode(value):
    """Whether ``value`` is a VCode: ``V`` and seven ASCII digits (any case,
    surrounding spaces allowed)."""
    return isinstance(value, str) and bool(_VCODE.fullmatch(value.strip().upper()))


def normalize_vcode(value):
    """``V0001027`` from ``v0001027``/`` V0001027 ``; ``ValueError`` if malformed."""
    if not is_valid_vcode(value):
        raise ValueError("a VCode is V followed by 7 digits, e.g. V0001027")
    return value.strip().upper()

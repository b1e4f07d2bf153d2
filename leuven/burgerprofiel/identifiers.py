"""Belgian identifiers: national number (INSZ/rijksregisternummer) and KBO number.

Both end in a mod-97 check number. These functions only look at the format;
whether a number exists is for the authentic source (MAGDA) to say.
"""

import re

_DIGITS = re.compile(r"\D")


def digits_only(value):
    return _DIGITS.sub("", value or "")


def is_valid_insz(value):
    """Whether ``value`` is a well-formed INSZ (national or BIS number).

    Eleven digits: birth date YYMMDD (month +20/+40 for BIS numbers), a
    serial number and a check number of 97 - (first nine digits mod 97); for
    people born from 2000 on, a 2 is put in front of the nine digits.
    """
    number = digits_only(value)
    if len(number) != 11:
        return False
    base, check = int(number[:9]), int(number[9:])
    return check in (97 - base % 97, 97 - int("2" + number[:9]) % 97)


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


def is_valid_kbo(value):
    """Whether ``value`` is a well-formed KBO (enterprise) number.

    Ten digits starting with 0 or 1; the last two are 97 - (first eight mod 97).
    """
    number = digits_only(value)
    if len(number) == 9:
        number = "0" + number
    if len(number) != 10 or number[0] not in "01":
        return False
    return int(number[8:]) == 97 - int(number[:8]) % 97


def format_kbo(value):
    """``0207.521.503`` from any spelling; raises ``ValueError`` if malformed."""
    number = digits_only(value)
    if len(number) == 9:
        number = "0" + number
    if not is_valid_kbo(number):
        raise ValueError("invalid KBO number")
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"

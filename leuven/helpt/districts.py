"""The districts (deelgemeenten) of Leuven Helpt and their postcodes.

A help request is placed in a district from its address's postcode; a
volunteer chooses the districts where he helps (or a radius around his
home). The Odoo side keeps the same five as ``helpt.district`` records.
"""

import re

#: (code, name, postcodes) of each district.
DISTRICTS = (
    ("leuven", "Leuven", ("3000",)),
    ("heverlee", "Heverlee", ("3001",)),
    ("kessel_lo", "Kessel-Lo", ("3010",)),
    ("wilsele", "Wilsele", ("3012",)),
    ("wijgmaal", "Wijgmaal", ("3018",)),
)

_BY_POSTCODE = {
    postcode: code for code, _name, postcodes in DISTRICTS for postcode in postcodes
}
_NAMES = {code: name for code, name, _postcodes in DISTRICTS}
_POSTCODE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def district_of(postcode):
    """The district code of a postcode (``"3001"``, ``3001``, ``" 3001 "``,
    ``"B-3001"``, ``"3001 Heverlee"``), or None outside Leuven or when there
    is no four-digit postcode in it."""
    if postcode is None or isinstance(postcode, bool):
        return None
    match = _POSTCODE.search(str(postcode))
    return _BY_POSTCODE.get(match.group(1)) if match else None


def district_name(code):
    """The display name of a district code ("Kessel-Lo"), or None."""
    return _NAMES.get(code)

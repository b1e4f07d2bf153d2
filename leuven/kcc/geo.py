"""Small geographic helpers for reports in public space."""

import math
import re
import unicodedata

EARTH_RADIUS_M = 6371008.8


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def degrees_box(lat, radius_m):
    """(dlat, dlon) in degrees that cover ``radius_m`` around latitude ``lat``."""
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    return dlat, dlon


def normalize_address(street, postcode=""):
    """'Naamsestraat 40' and 'naamsestraat  40 ' give the same key."""
    text = unicodedata.normalize("NFKD", f"{street or ''} {postcode or ''}")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"str\b\.?", "straat", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def street_name(street, max_length=60):
    """The street of an address without house number, box or postcode: a
    coarse location that may be shown to anyone ('Naamsestraat 40 bus 3'
    gives 'Naamsestraat'). Empty when nothing but a number is left."""
    text = " ".join(str(street or "").split())
    text = re.split(r"\d", text, maxsplit=1)[0]
    text = re.sub(r"(\b(nr|no|n°)\.?)?[\s,.;:/-]*$", "", text, flags=re.IGNORECASE)
    return text[:max_length].strip()

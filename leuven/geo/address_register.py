"""The Flemish address register (Adressenregister) and reverse lookup, no Odoo.

Two public services of Digitaal Vlaanderen, both without an API key:

- the address register's REST API (``base_url``, production
  ``https://api.basisregisters.vlaanderen.be``):
  ``GET /v2/adressen/zoeken?q=…&gemeenteNaam=…`` gives suggestions
  (``{"resultaten": [{"id", "objectId", "detail", "resultaat"}]}``, addresses
  and street names), ``GET /v2/adressen/{objectId}`` one address with its
  street, house number, box, postcode, municipality and its position as GML
  in Belgian Lambert 72 (``adresPositie.geometrie.gml``), turned into WGS84
  here (:mod:`leuven.geo.lambert`);
- the register has no "nearest address" query, so the reverse lookup of a
  point on the map uses the Geolocation service (``geolocation_url``,
  production ``https://geo.api.vlaanderen.be/geolocation/v4``), which serves
  the same addresses: ``GET /Location?latlon=<lat>,<lon>&c=1`` gives
  ``{"LocationResult": [{"FormattedAddress", "Thoroughfarename",
  "Housenumber", "Zipcode", "Municipality", "Location": {"Lat_WGS84",
  "Lon_WGS84", "X_Lambert72", "Y_Lambert72"}}]}``.

The building register (same host) lists the building units (gebouweenheden)
at an address: ``GET /v2/gebouweenheden?adresObjectId=…`` gives
``{"gebouweenheden": [{"identificator": {"objectId"}, "detail",
"gebouweenheidStatus"}]}`` (a dwelling is an address id plus, for a flat, a
building unit id).

Every answer becomes a small :class:`Address` or :class:`Suggestion`; any
failure (timeout, refused connection, HTTP error, a body that is not the
documented JSON) raises :class:`Unavailable`, an unknown address
:class:`NotFound`. A local stand-in: :mod:`leuven.testing.fake_address_register`.
"""

import math
import re
from dataclasses import asdict, dataclass

import requests

from leuven.geo import lambert
from leuven.kcc.geo import distance_m

PRODUCTION_URL = "https://api.basisregisters.vlaanderen.be"
GEOLOCATION_URL = "https://geo.api.vlaanderen.be/geolocation/v4"
DEFAULT_TIMEOUT = 5.0
MAX_RESULTS = 10
# a reverse lookup farther than this from the point names another place
MAX_REVERSE_DISTANCE_M = 150.0
_MAX_BODY = 512 * 1024
_POS = re.compile(r"<(?:\w+:)?pos[^>]*>\s*([-0-9.eE+]+)\s+([-0-9.eE+]+)\s*<")
_SRS = re.compile(r"EPSG(?:/0/|::|:)(\d+)")


class AddressRegisterError(Exception):
    """The register gave no usable answer."""


class Unavailable(AddressRegisterError):
    """The service failed, could not be reached or answered something else
    than the documented JSON."""


class NotFound(AddressRegisterError):
    """No address with this id (HTTP 404 or 410)."""


@dataclass(frozen=True)
class Suggestion:
    address_id: str
    label: str

    def as_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class Address:
    address_id: str  # the register's objectId, "" when not known
    label: str  # "Naamsestraat 40 bus 3, 3000 Leuven"
    street: str = ""
    house_number: str = ""
    box: str = ""
    postcode: str = ""
    municipality: str = ""
    latitude: float | None = None  # WGS84
    longitude: float | None = None

    @property
    def street_line(self):
        """Street, number and box as one line of a form ("Naamsestraat 40 bus 3")."""
        line = " ".join(p for p in (self.street, self.house_number) if p)
        return f"{line} bus {self.box}" if self.box and line else line

    def as_dict(self):
        return {**asdict(self), "street_line": self.street_line}


def _get(data, *path):
    """``data[path[0]][path[1]]…`` with keys matched case-insensitively
    (the register writes ``adresPositie``, its examples ``AdresPositie``);
    ``None`` when a step is missing."""
    for key in path:
        if not isinstance(data, dict):
            return None
        if key in data:
            data = data[key]
            continue
        lowered = key.lower()
        data = next((v for k, v in data.items() if k.lower() == lowered), None)
    return data


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _spelling(data, *path):
    """The ``geografischeNaam.spelling`` under ``path``."""
    return _text(_get(data, *path, "geografischeNaam", "spelling"))


def parse_position(geometry):
    """(lat, lon) in WGS84 of ``adresPositie.geometrie`` (GML in Lambert 72
    or Lambert 2008, or a GeoJSON-like point with a ``crs``); ``(None, None)``
    when there is none or it cannot be read."""
    if not isinstance(geometry, dict):
        return None, None
    gml = _get(geometry, "gml")
    try:
        if isinstance(gml, str):
            pos = _POS.search(gml)
            srs = _SRS.search(gml)
            if not pos:
                return None, None
            x, y = float(pos.group(1)), float(pos.group(2))
            epsg = int(srs.group(1)) if srs else 31370
        else:
            coordinates = _get(geometry, "coordinates")
            x, y = float(coordinates[0]), float(coordinates[1])
            crs = str(_get(geometry, "crs", "properties", "name") or "")
            srs = _SRS.search(crs)
            epsg = int(srs.group(1)) if srs else 31370
        if not (math.isfinite(x) and math.isfinite(y)):
            return None, None
        if epsg == 4326:
            return y, x
        return lambert.to_wgs84(x, y, epsg)
    except (TypeError, ValueError, IndexError, KeyError):
        return None, None


def parse_address(data):
    """An :class:`Address` from ``GET /v2/adressen/{id}``."""
    if not isinstance(data, dict):
        raise Unavailable("the address is not a JSON object")
    address_id = _text(str(_get(data, "identificator", "objectId") or ""))
    street = _spelling(data, "straatnaam", "straatnaam")
    house_number = _text(_get(data, "huisnummer"))
    box = _text(_get(data, "busnummer"))
    postcode = _text(str(_get(data, "postinfo", "objectId") or ""))
    municipality = _spelling(data, "gemeente", "gemeentenaam")
    label = _spelling(data, "volledigAdres")
    if not label:
        line = " ".join(p for p in (street, house_number) if p)
        if box:
            line = f"{line} bus {box}"
        label = ", ".join(
            p for p in (line, " ".join(q for q in (postcode, municipality) if q)) if p
        )
    if not (address_id and label):
        raise Unavailable("the address lacks an id or a name")
    lat, lon = parse_position(_get(data, "adresPositie", "geometrie"))
    return Address(
        address_id, label, street, house_number, box, postcode, municipality, lat, lon
    )


def parse_suggestions(data, limit=MAX_RESULTS):
    """Address suggestions from ``GET /v2/adressen/zoeken`` (street names,
    which have no position of their own, are left out)."""
    results = _get(data, "resultaten")
    if not isinstance(results, list):
        raise Unavailable("the search answer holds no list of results")
    suggestions = []
    for item in results:
        if not isinstance(item, dict):
            continue
        detail = _text(_get(item, "detail"))
        if detail and "/adressen/" not in detail:
            continue  # a street name
        address_id = _text(str(_get(item, "objectId") or ""))
        label = _text(_get(item, "resultaat"))
        if address_id.isdigit() and label:
            suggestions.append(Suggestion(address_id, label))
        if len(suggestions) >= limit:
            break
    return suggestions


def parse_location(data):
    """The first :class:`Address` of a Geolocation ``Location`` answer, or
    ``None`` when it holds none."""
    results = _get(data, "LocationResult")
    if not isinstance(results, list):
        raise Unavailable("the location answer holds no LocationResult")
    for item in results:
        if not isinstance(item, dict):
            continue
        location = _get(item, "Location") or {}
        try:
            lat = float(_get(location, "Lat_WGS84"))
            lon = float(_get(location, "Lon_WGS84"))
        except (TypeError, ValueError):
            try:
                lat, lon = lambert.to_wgs84(
                    float(_get(location, "X_Lambert72")),
                    float(_get(location, "Y_Lambert72")),
                )
            except (TypeError, ValueError):
                continue
        if not (math.isfinite(lat) and math.isfinite(lon)):
            continue
        label = _text(_get(item, "FormattedAddress"))
        if not label:
            continue
        return Address(
            "",
            label,
            street=_text(_get(item, "Thoroughfarename")),
            house_number=_text(str(_get(item, "Housenumber") or "")),
            postcode=_text(str(_get(item, "Zipcode") or "")),
            municipality=_text(_get(item, "Municipality")),
            latitude=lat,
            longitude=lon,
        )
    return None


#: Statuses of a building unit that exist or will (the others are retired).
BUILDING_UNIT_CURRENT = ("gepland", "gerealiseerd")
MAX_BUILDING_UNITS = 100


@dataclass(frozen=True)
class BuildingUnit:
    """A building unit (gebouweenheid) of the building register: ``unit_id``
    its ``objectId``, ``status`` ``gepland`` / ``gerealiseerd`` /
    ``nietGerealiseerd`` / ``gehistoreerd``."""

    unit_id: str
    status: str = ""

    @property
    def current(self):
        """Whether the unit exists or is planned (not retired)."""
        return self.status in BUILDING_UNIT_CURRENT

    def as_dict(self):
        return {**asdict(self), "current": self.current}


def parse_building_units(data):
    """The :class:`BuildingUnit` values of ``GET /v2/gebouweenheden``
    (``{"gebouweenheden": [{"identificator": {"objectId"}, "detail",
    "gebouweenheidStatus"}], "volgende"}``), ordered by id."""
    items = _get(data, "gebouweenheden")
    if not isinstance(items, list):
        raise Unavailable("the answer holds no list of building units")
    units = {}
    for item in items:
        unit_id = _text(str(_get(item, "identificator", "objectId") or ""))
        if unit_id.isdigit():
            units[unit_id] = BuildingUnit(
                unit_id, _text(_get(item, "gebouweenheidStatus"))
            )
    return sorted(units.values(), key=lambda unit: int(unit.unit_id))


class AddressRegister:
    """A client of the address register and the Geolocation service.

    ``municipality``: search within this municipality only (``gemeenteNaam``),
    e.g. "Leuven"; ``timeout``: seconds for connecting and for reading.
    """

    def __init__(
        self,
        base_url=PRODUCTION_URL,
        geolocation_url=GEOLOCATION_URL,
        timeout=DEFAULT_TIMEOUT,
        municipality="",
        session=None,
    ):
        self.base_url = (base_url or "").rstrip("/")
        self.geolocation_url = (geolocation_url or "").rstrip("/")
        self.timeout = timeout
        self.municipality = municipality
        self.session = session or requests.Session()

    # -- requests -------------------------------------------------------------
    def search_request(self, text, limit=5):
        """(url, params) of a search, for tests and logs."""
        params = {"q": text, "limit": max(1, min(int(limit), MAX_RESULTS))}
        if self.municipality:
            params["gemeenteNaam"] = self.municipality
        return f"{self.base_url}/v2/adressen/zoeken", params

    def address_request(self, address_id):
        if not str(address_id).isdigit():
            raise NotFound(f"{address_id!r} is not an address id")
        return f"{self.base_url}/v2/adressen/{int(address_id)}", {}

    def building_units_request(self, address_id):
        """(url, params) of the building units at an address (the building
        register, same base URL)."""
        if not str(address_id).isdigit():
            raise NotFound(f"{address_id!r} is not an address id")
        return f"{self.base_url}/v2/gebouweenheden", {
            "adresObjectId": int(address_id),
            "limit": MAX_BUILDING_UNITS,
        }

    def reverse_request(self, lat, lon):
        return (
            f"{self.geolocation_url}/Location",
            {"latlon": f"{float(lat):.7f},{float(lon):.7f}", "c": 1},
        )

    def _get_json(self, url, params):
        if not url.startswith(("http://", "https://")):
            raise Unavailable("the service has no address configured")
        try:
            response = self.session.get(
                url,
                params=params,
                timeout=self.timeout,
                headers={"Accept": "application/json, application/ld+json"},
                allow_redirects=False,
            )
        except requests.RequestException as err:
            raise Unavailable(f"{url}: {err.__class__.__name__}") from err
        if response.status_code in (404, 410):
            raise NotFound(f"{url}: HTTP {response.status_code}")
        if response.status_code != 200:
            raise Unavailable(f"{url}: HTTP {response.status_code}")
        if len(response.content) > _MAX_BODY:
            raise Unavailable(f"{url}: the answer is too large")
        try:
            return response.json()
        except ValueError as err:
            raise Unavailable(f"{url}: the answer is not JSON") from err

    # -- lookups --------------------------------------------------------------
    def search(self, text, limit=5):
        """Suggestions (address id and label) for what a person typed."""
        url, params = self.search_request(text, limit)
        try:
            data = self._get_json(url, params)
        except NotFound:
            return []
        return parse_suggestions(data, params["limit"])

    def address(self, address_id):
        """One :class:`Address`, with its position in WGS84."""
        return parse_address(self._get_json(*self.address_request(address_id)))

    def building_units(self, address_id, current_only=True):
        """The :class:`BuildingUnit` values at an address (the dwelling's
        ``building_unit_id`` is one of them), only the existing and planned
        ones unless ``current_only`` is false; ``[]`` when there are none;
        :class:`NotFound` when ``address_id`` is not an address id."""
        url, params = self.building_units_request(address_id)
        try:
            data = self._get_json(url, params)
        except NotFound:
            return []
        units = parse_building_units(data)
        return [unit for unit in units if unit.current or not current_only]

    def reverse(self, lat, lon, max_distance_m=MAX_REVERSE_DISTANCE_M):
        """The address nearest to a WGS84 point, or ``None`` when there is
        none within ``max_distance_m`` metres."""
        try:
            data = self._get_json(*self.reverse_request(lat, lon))
        except NotFound:
            return None
        found = parse_location(data)
        if found is None:
            return None
        if distance_m(lat, lon, found.latitude, found.longitude) > max_distance_m:
            return None
        return found

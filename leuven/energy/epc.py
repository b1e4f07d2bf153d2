"""The energy performance certificate (EPC) of a dwelling, no Odoo.

The Flemish EPC database (Vlaams Energie- en Klimaatagentschap) and the
woningpas publish **no public API and no test environment** (see
``/work/shared/flemish-apis.md``, "EPC database / woningpas"). This module is
the one interface the suite uses for it:

- :class:`EpcClient` ``.lookup(address_id, building_unit_id=None)`` →
  :class:`EpcRecord`: the most recent certificate of a dwelling identified by
  its address register id (``adresObjectId``) and, for a flat, its building
  unit (``gebouweenheidObjectId``);
- the payload mapping in one place (:data:`FIELDS`, :func:`parse_certificate`,
  :func:`parse_answer`), so the day the real interface is known only this
  mapping changes;
- typed errors: :class:`NotFound` (no certificate), :class:`Unavailable`
  (timeout, refused connection, HTTP error), :class:`InvalidResponse` (an
  answer that is not the expected JSON);
- :func:`manual_epc`: the record a coach enters by hand (the fallback when
  the lookup fails or the dwelling is not found), validated, with
  ``source="manual"``.

**The payload format is assumed** (built from what an EPC shows: certificate
number, energy label A+…F, energy score in kWh/m² per year, date of issue,
validity of ten years, recommendations per building part); the loopback
stand-in :mod:`leuven.testing.fake_epc` serves it::

    GET {base}/v1/epc?adresObjectId=<id>[&gebouweenheidObjectId=<id>]
    200 {"certificaten": [{"certificaatnummer": "20240315-0003123456-RES-1",
         "energielabel": "D", "energiescore": 312.4,
         "datumOpmaak": "2024-03-15", "geldigTot": "2034-03-15",
         "adresObjectId": "200002", "gebouweenheidObjectId": "",
         "aanbevelingen": [{"onderdeel": "dak", "tekst": "…"}]}]}
    404 (problem+json) or an empty list: no certificate
"""

import datetime
import math
import re
from dataclasses import dataclass, replace

import requests

from leuven.kcc.inputs import InputError, check_text, loads_json

DEFAULT_TIMEOUT = 5.0
_MAX_BODY = 256 * 1024
#: Energy labels of a residential EPC, best first.
LABELS = ("A+", "A", "B", "C", "D", "E", "F")
#: An EPC is valid ten years from its date of issue.
VALIDITY_YEARS = 10
#: The first Flemish residential EPCs date from November 2008.
FIRST_EPC = datetime.date(2008, 11, 1)
MAX_SCORE = 2000.0  # kWh/m² per year; the published scale ends far below
SOURCE_DATABASE = "epc_database"
SOURCE_MANUAL = "manual"
_CERTIFICATE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}")

#: The assumed payload: our field → the answer's key (the one place to change).
FIELDS = {
    "list": "certificaten",
    "certificate_number": "certificaatnummer",
    "label": "energielabel",
    "score": "energiescore",
    "issued_on": "datumOpmaak",
    "valid_until": "geldigTot",
    "address_id": "adresObjectId",
    "building_unit_id": "gebouweenheidObjectId",
    "recommendations": "aanbevelingen",
    "part": "onderdeel",
    "text": "tekst",
}
#: Query parameters of the lookup.
PARAM_ADDRESS = "adresObjectId"
PARAM_BUILDING_UNIT = "gebouweenheidObjectId"


class EpcError(Exception):
    """The EPC lookup gave no record."""


class NotFound(EpcError):
    """No certificate is known for this dwelling."""


class Unavailable(EpcError):
    """The service failed, timed out or could not be reached."""


class InvalidResponse(EpcError):
    """The service answered something else than the expected JSON."""


@dataclass(frozen=True)
class Recommendation:
    """One recommendation of the certificate: the building ``part`` ("dak",
    "muren", "vensters", "vloer", "verwarming", ...) and its ``text``."""

    part: str
    text: str


@dataclass(frozen=True)
class EpcRecord:
    """An energy performance certificate.

    ``label`` one of :data:`LABELS`; ``score`` kWh/m² per year (a float);
    ``issued_on`` and ``valid_until`` dates; ``source`` :data:`SOURCE_DATABASE`
    or :data:`SOURCE_MANUAL`; ``retrieved_on`` the day it was looked up or
    entered (for "from EPC database on 3 March")."""

    certificate_number: str
    label: str
    score: float
    issued_on: datetime.date
    valid_until: datetime.date
    recommendations: tuple = ()
    address_id: str = ""
    building_unit_id: str = ""
    source: str = SOURCE_DATABASE
    retrieved_on: datetime.date | None = None

    def is_valid(self, today):
        """Whether the certificate is still valid on ``today`` (a date)."""
        return self.issued_on <= today <= self.valid_until

    def as_dict(self):
        """Plain values (dates as ISO text) for a record's fields or JSON."""
        return {
            "certificate_number": self.certificate_number,
            "label": self.label,
            "score": self.score,
            "issued_on": self.issued_on.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "recommendations": [
                {"part": r.part, "text": r.text} for r in self.recommendations
            ],
            "address_id": self.address_id,
            "building_unit_id": self.building_unit_id,
            "source": self.source,
            "retrieved_on": self.retrieved_on.isoformat()
            if self.retrieved_on
            else None,
        }


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def label_rank(label):
    """0 for A+ … 6 for F (``None`` for anything else): lower is better, to
    compare a dwelling's EPC before and after."""
    try:
        return LABELS.index(label)
    except ValueError:
        return None


def label_steps(before, after):
    """How many label steps a dwelling improved from ``before`` to ``after``
    (``"E"`` → ``"C"`` is 2; worse is negative), ``None`` when either is not
    a label: the KPI "dwellings improved (EPC before/after)"."""
    old, new = label_rank(before), label_rank(after)
    if old is None or new is None:
        return None
    return old - new


def _label(value, field="label"):
    if isinstance(value, str):
        text = value.strip().upper().replace(" ", "")
        if text in LABELS:
            return text
    raise InputError("label", f"{field} is not an EPC label (A+ to F)", field)


def _score(value, field="score"):
    if isinstance(value, bool):
        raise InputError("number", f"{field} must be a number", field)
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise InputError("number", f"{field} must be a number", field) from None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError("number", f"{field} must be a number", field)
    if not 0 <= value <= MAX_SCORE:
        raise InputError(
            "range", f"{field} must be between 0 and {MAX_SCORE:g} kWh/m²", field
        )
    return float(value)


def _date(value, field):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InputError("date", f"{field} is not a date", field)


def _certificate_number(value, required):
    text = check_text(value, "certificate_number", 64)
    if not text:
        if required:
            raise InputError(
                "required", "certificate_number is required", "certificate_number"
            )
        return ""
    if not _CERTIFICATE_NUMBER.fullmatch(text):
        raise InputError(
            "format",
            "certificate_number is not a certificate number",
            "certificate_number",
        )
    return text


def _recommendations(items):
    result = []
    for item in items or ():
        if isinstance(item, Recommendation):
            result.append(item)
            continue
        if not isinstance(item, dict):
            raise InputError("type", "a recommendation must be an object")
        part = check_text(item.get("part", ""), "part", 64)
        text = check_text(item.get("text", ""), "text", 2000, multiline=True)
        if text:
            result.append(Recommendation(part, text))
    return tuple(result)


def manual_epc(
    label,
    score,
    issued_on,
    certificate_number="",
    valid_until=None,
    recommendations=(),
    address_id="",
    building_unit_id="",
    today=None,
):
    """The record a coach enters by hand, validated.

    ``label`` "A+"…"F" (case and spaces ignored); ``score`` kWh/m² per year, a
    number or text ("312,4"), 0…:data:`MAX_SCORE`; ``issued_on`` a date or ISO
    text, not in the future nor before :data:`FIRST_EPC`; ``valid_until``
    defaults to ten years later and must come after ``issued_on``;
    ``certificate_number`` optional (letters, digits, ``-/_.``);
    ``recommendations`` dicts ``{"part", "text"}``. Raises
    :class:`leuven.kcc.inputs.InputError` (``code`` and ``field``) on bad
    input; returns an :class:`EpcRecord` with ``source="manual"``."""
    today = today or datetime.date.today()
    label = _label(label)
    score = _score(score)
    issued = _date(issued_on, "issued_on")
    if issued > today:
        raise InputError("future", "issued_on is in the future", "issued_on")
    if issued < FIRST_EPC:
        raise InputError("too_old", "issued_on is before the first EPC", "issued_on")
    until = (
        _add_years(issued, VALIDITY_YEARS)
        if valid_until in (None, "")
        else _date(valid_until, "valid_until")
    )
    if until <= issued:
        raise InputError(
            "order", "valid_until must come after issued_on", "valid_until"
        )
    return EpcRecord(
        _certificate_number(certificate_number, required=False),
        label,
        score,
        issued,
        until,
        _recommendations(recommendations),
        check_text(str(address_id or ""), "address_id", 64),
        check_text(str(building_unit_id or ""), "building_unit_id", 64),
        SOURCE_MANUAL,
        today,
    )


# -- the payload mapping -----------------------------------------------------
def parse_certificate(item, retrieved_on=None):
    """An :class:`EpcRecord` from one certificate of the answer; raises
    :class:`InvalidResponse` when a field is missing or not of its kind."""
    if not isinstance(item, dict):
        raise InvalidResponse("a certificate is not a JSON object")
    try:
        issued = _date(item.get(FIELDS["issued_on"]), "issued_on")
        until_value = item.get(FIELDS["valid_until"])
        until = (
            _add_years(issued, VALIDITY_YEARS)
            if until_value in (None, "")
            else _date(until_value, "valid_until")
        )
        recommendations = []
        for entry in item.get(FIELDS["recommendations"]) or ():
            if isinstance(entry, dict):
                recommendations.append(
                    {
                        "part": str(entry.get(FIELDS["part"]) or ""),
                        "text": str(entry.get(FIELDS["text"]) or ""),
                    }
                )
        return EpcRecord(
            _certificate_number(
                str(item.get(FIELDS["certificate_number"]) or ""), required=True
            ),
            _label(item.get(FIELDS["label"])),
            _score(item.get(FIELDS["score"])),
            issued,
            until,
            _recommendations(recommendations),
            str(item.get(FIELDS["address_id"]) or ""),
            str(item.get(FIELDS["building_unit_id"]) or ""),
            SOURCE_DATABASE,
            retrieved_on,
        )
    except InputError as err:
        raise InvalidResponse(f"certificate: {err}") from err


def parse_answer(data, building_unit_id=None, retrieved_on=None):
    """The most recent certificate (latest ``issued_on``, then the highest
    number) in a lookup answer, for ``building_unit_id`` when given (a
    certificate of another unit of the same address is left out). Raises
    :class:`NotFound` when there is none, :class:`InvalidResponse` when the
    answer or a certificate is malformed."""
    if not isinstance(data, dict):
        raise InvalidResponse("the answer is not a JSON object")
    items = data.get(FIELDS["list"])
    if not isinstance(items, list):
        raise InvalidResponse("the answer holds no list of certificates")
    records = [parse_certificate(item, retrieved_on) for item in items]
    if building_unit_id:
        records = [
            r
            for r in records
            if not r.building_unit_id or r.building_unit_id == str(building_unit_id)
        ]
    if not records:
        raise NotFound("no certificate for this dwelling")
    return max(records, key=lambda r: (r.issued_on, r.certificate_number))


class EpcClient:
    """A client of the EPC lookup.

    ``base_url``: the service (no production address is known; empty means
    "not configured": every lookup raises :class:`Unavailable`);
    ``timeout``: seconds for connecting and for reading; ``api_key``: sent as
    ``x-api-key`` when given; ``session``: a ``requests.Session`` (tests)."""

    def __init__(self, base_url="", timeout=DEFAULT_TIMEOUT, api_key="", session=None):
        self.base_url = (base_url or "").rstrip("/")
        self.timeout = timeout
        self.api_key = api_key
        self.session = session or requests.Session()

    def lookup_request(self, address_id, building_unit_id=None):
        """(url, params) of a lookup, for tests and logs; raises
        :class:`NotFound` when ``address_id`` is not a register id."""
        address_id = str(address_id or "").strip()
        if not address_id.isdigit():
            raise NotFound(f"{address_id!r} is not an address id")
        params = {PARAM_ADDRESS: address_id}
        unit = str(building_unit_id or "").strip()
        if unit:
            if not unit.isdigit():
                raise NotFound(f"{unit!r} is not a building unit id")
            params[PARAM_BUILDING_UNIT] = unit
        return f"{self.base_url}/v1/epc", params

    def _get_json(self, url, params):
        if not url.startswith(("http://", "https://")):
            raise Unavailable("the EPC service has no address configured")
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["x-api-key"] = self.api_key
        try:
            response = self.session.get(
                url,
                params=params,
                timeout=self.timeout,
                headers=headers,
                allow_redirects=False,
            )
        except requests.RequestException as err:
            raise Unavailable(f"{url}: {err.__class__.__name__}") from err
        if response.status_code in (404, 410):
            raise NotFound(f"{url}: HTTP {response.status_code}")
        if response.status_code != 200:
            raise Unavailable(f"{url}: HTTP {response.status_code}")
        try:
            return loads_json(response.content, max_bytes=_MAX_BODY)
        except InputError as err:
            raise InvalidResponse(f"{url}: {err}") from err

    def lookup(self, address_id, building_unit_id=None, today=None):
        """The most recent :class:`EpcRecord` of the dwelling at
        ``address_id`` (the address register's ``objectId``) and
        ``building_unit_id`` (optional), with ``retrieved_on`` = ``today``.
        Raises :class:`NotFound`, :class:`Unavailable` or
        :class:`InvalidResponse`."""
        url, params = self.lookup_request(address_id, building_unit_id)
        data = self._get_json(url, params)
        record = parse_answer(
            data, params.get(PARAM_BUILDING_UNIT), today or datetime.date.today()
        )
        if not record.address_id:
            record = replace(record, address_id=params[PARAM_ADDRESS])
        return record

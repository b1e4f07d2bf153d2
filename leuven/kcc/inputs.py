"""Checks of untrusted input shared by every public entry point.

Web forms, portal actions, JSON APIs and webhooks take text, numbers and JSON
from people and machines nobody here controls. These helpers turn bad input
into an :class:`InputError` (a message in English for logs and problem
details, plus a machine ``code``) instead of a crash further down: PostgreSQL
refuses NUL bytes, ``float('nan')`` passes every range check, and a deeply
nested JSON document exhausts Python's recursion limit.

Each entry point calls them in one place, maps ``InputError`` to its own
answer (a 400/422 problem, or the form shown again with a Dutch message) and
stores nothing before they passed.
"""

import datetime
import json
import math
import re
import urllib.parse

# JSON bodies of the APIs: small documents, shallow structures
DEFAULT_MAX_JSON_BYTES = 256 * 1024
DEFAULT_MAX_JSON_DEPTH = 20
# control characters other than tab, line feed and carriage return
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")


class InputError(ValueError):
    """Bad input: ``code`` names the problem, ``field`` where it is."""

    def __init__(self, code, message, field=None):
        super().__init__(message)
        self.code = code
        self.field = field


def check_text(value, field, max_length, multiline=False, required=False):
    """Return ``value`` as a stripped ``str`` (``""`` when empty).

    Refuses non-strings, NUL and other control characters, line breaks in a
    one-line field, and text longer than ``max_length`` characters.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InputError("type", f"{field} must be text", field)
    if _CONTROL.search(value):
        raise InputError(
            "control_character", f"{field} holds control characters", field
        )
    if not multiline and _LINE_BREAK.search(value):
        raise InputError("line_break", f"{field} must be one line", field)
    value = value.strip()
    if len(value) > max_length:
        raise InputError(
            "too_long", f"{field} is longer than {max_length} characters", field
        )
    if required and not value:
        raise InputError("required", f"{field} is required", field)
    return value


def check_identifier(value, field, max_length=128, pattern=r"[A-Za-z0-9._:-]+"):
    """An identifier from a URL or a body (a token, an id): ASCII only, no
    spaces or control characters, at most ``max_length`` characters."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError("type", f"{field} must be text", field)
    value = str(value)
    if not value or len(value) > max_length or not re.fullmatch(pattern, value):
        raise InputError("format", f"{field} is not a valid identifier", field)
    return value


def parse_coordinate(value, field, kind):
    """A WGS84 latitude (``kind='latitude'``) or longitude as a float.

    ``None`` and ``""`` give ``None`` (no point given). Refuses text that is
    not a number, NaN and infinities, and values outside the valid range.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InputError("type", f"{field} must be a number", field)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 32 or not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text):
            raise InputError("format", f"{field} is not a number", field)
        value = float(text)
    elif isinstance(value, (int, float)):
        value = float(value)
    else:
        raise InputError("type", f"{field} must be a number", field)
    limit = 90.0 if kind == "latitude" else 180.0
    if not math.isfinite(value) or abs(value) > limit:
        raise InputError("range", f"{field} is outside -{limit} .. {limit}", field)
    return value


def parse_point(latitude, longitude):
    """(lat, lon) of a real point, or ``(None, None)``.

    Both or neither must be given; (0, 0), in the ocean off Africa, is what
    an empty map widget sends and counts as no point.
    """
    lat = parse_coordinate(latitude, "latitude", "latitude")
    lon = parse_coordinate(longitude, "longitude", "longitude")
    if (lat is None) != (lon is None):
        raise InputError("incomplete", "give both latitude and longitude", "location")
    if lat is None or (lat == 0.0 and lon == 0.0):
        return None, None
    return lat, lon


def is_real_point(latitude, longitude, min_abs=1e-4):
    """Whether stored coordinates designate a place (not a default 0/0 or a
    value so close to 0 that it is a leftover, not a location)."""
    try:
        lat, lon = float(latitude or 0.0), float(longitude or 0.0)
    except (TypeError, ValueError):
        return False
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return abs(lat) >= min_abs and abs(lon) >= min_abs


def json_depth_ok(data, max_depth):
    """Whether ``data`` (parsed JSON) nests at most ``max_depth`` levels.

    Iterative, so that it never hits the recursion limit itself.
    """
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > max_depth:
                return False
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return True


def _max_bracket_depth(text):
    """Nesting depth of brackets outside strings, without parsing."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def loads_json(
    data,
    max_bytes=DEFAULT_MAX_JSON_BYTES,
    max_depth=DEFAULT_MAX_JSON_DEPTH,
    require_object=True,
):
    """Parse an untrusted JSON body (``bytes`` or ``str``).

    Raises :class:`InputError` with code ``too_large``, ``encoding``,
    ``malformed``, ``too_deep`` or ``not_object``; never ``RecursionError``.
    NUL characters inside strings are refused (``control_character``), since
    no field of ours may hold one.
    """
    if data is None:
        data = b""
    if len(data) > max_bytes:
        raise InputError("too_large", f"the body is larger than {max_bytes} bytes")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError("encoding", "the body is not UTF-8") from err
    if _max_bracket_depth(data) > max_depth:
        raise InputError("too_deep", f"the body nests deeper than {max_depth} levels")
    try:
        body = json.loads(data, parse_constant=_refuse_constant)
    except RecursionError as err:  # pragma: no cover - guarded above
        raise InputError("too_deep", "the body nests too deeply") from err
    except ValueError as err:
        raise InputError("malformed", f"malformed JSON: {err}") from err
    if not json_depth_ok(body, max_depth):
        raise InputError("too_deep", f"the body nests deeper than {max_depth} levels")
    if _holds_nul(body):
        raise InputError("control_character", "the body holds NUL characters")
    if require_object and not isinstance(body, dict):
        raise InputError("not_object", "the body must be a JSON object")
    return body


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _holds_nul(data):
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


# The longest text each intake field may hold, in characters, whatever the
# channel (website, phone, counter, assistant, Melding doen...): one table, so
# that every entry point caps the same way before anything is stored.
INTAKE_TEXT_LIMITS = {
    "subject": 250,
    "description": 10_000,
    "contact_name": 128,
    "contact_email": 254,
    "contact_phone": 32,
    "street": 200,
    "postcode": 16,
    "city": 100,
}
# intake fields that may span several lines
INTAKE_MULTILINE = frozenset({"description"})
# any other field of a form, and all text of one form together
OTHER_FIELD_LIMIT = 200
MAX_FORM_TEXT = 16_000
_MAX_RECORD_ID = 2**31 - 1  # PostgreSQL integer


def intake_text(values, limits=None):
    """Check the text fields of an intake dict against INTAKE_TEXT_LIMITS.

    Returns a copy with those fields stripped and one-line fields on one line
    (runs of white space become one space); other keys are kept as given.
    Empty values (``None``, ``False``, ``""``) stay as they are. Raises
    :class:`InputError` for non-text, control characters or overlong text.
    """
    limits = INTAKE_TEXT_LIMITS if limits is None else limits
    result = dict(values)
    for field, limit in limits.items():
        value = result.get(field)
        if value in (None, False, ""):
            continue
        if isinstance(value, str) and len(value) > 2 * limit:
            # not even stored as received (surrounding white space included)
            raise InputError(
                "too_long", f"{field} is longer than {limit} characters", field
            )
        text = check_text(value, field, limit, multiline=True)
        if field not in INTAKE_MULTILINE:
            text = " ".join(text.split())
        result[field] = text
    return result


def clip_text(value, max_length):
    """``value`` as text safe to store or show again: control characters
    removed, at most ``max_length`` characters. Never raises."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = text[: max_length * 2]
    return _CONTROL.sub("", text)[:max_length]


def parse_record_id(value, field):
    """A database id from a form or a body: a positive 32-bit integer given
    as ASCII digits or an ``int`` (not a bool)."""
    if isinstance(value, bool):
        raise InputError("type", f"{field} must be a number", field)
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{1,10}", value.strip()):
            raise InputError("format", f"{field} is not a number", field)
        value = int(value.strip())
    elif not isinstance(value, int):
        raise InputError("type", f"{field} must be a number", field)
    if not 0 < value <= _MAX_RECORD_ID:
        raise InputError("range", f"{field} is out of range", field)
    return value


def parse_date(value, field):
    """An ISO 8601 calendar date (``YYYY-MM-DD``) as a ``datetime.date``;
    ``None`` and ``""`` give ``None``. Refuses other types and impossible
    dates such as ``2026-13-45``."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError("type", f"{field} must be a date as text", field)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise InputError("format", f"{field} is not a date (YYYY-MM-DD)", field)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as err:
        raise InputError("range", f"{field} is not an existing date", field) from err


# what browsers strip from URLs or read as a separator: "/\tevil", "/\evil"
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def local_path(value, default=None, max_length=2048):
    """``value`` if it is a path on this site to redirect to, else ``default``.

    Only ``/something`` counts: no scheme, no host. Refused are what browsers
    turn into another site: ``//evil``, ``/\\evil`` and ``\\\\evil`` (a
    backslash is a slash to them), the same with ``%5C``/``%2F`` encoded,
    control characters and spaces (tabs and line breaks are stripped, so
    ``/\\t/evil`` is ``//evil``), and overlong values.
    """
    if not isinstance(value, str) or not value or len(value) > max_length:
        return default
    decoded = urllib.parse.unquote(value)
    for text in (value, decoded):
        if not text.startswith("/") or text[1:2] in ("/", "\\"):
            return default
        if _UNSAFE_IN_PATH.search(text):
            return default
    parts = urllib.parse.urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value

"""Reading pages of an IPDC Linked Data Event Stream (JSON-LD, compact form).

Each page holds full snapshots (``member``); a page with a
``GreaterThanOrEqualToRelation`` is complete and points to the next one, the
last page has none and keeps growing. See shared IPDC notes, section 1.3.

Timestamps (``generatedAtTime``, ``laatstGewijzigd``) are compared as
moments, never as text: ``2024-05-01T10:00:17Z`` and
``2024-05-01T10:00:17.94052Z`` or ``2024-05-01T12:00:17+02:00`` sort by the
time they designate, not by their characters.
"""

from datetime import UTC, datetime

NEXT_RELATION = "GreaterThanOrEqualToRelation"


class LdesPage:
    """One page: its members and the URL of the next page (None when last)."""

    def __init__(self, url, members, next_url):
        self.url = url
        self.members = members
        self.next_url = next_url

    @property
    def is_last(self):
        return self.next_url is None


def _types(node):
    value = node.get("@type", [])
    return value if isinstance(value, list) else [value]


def parse_page(document):
    """Parse one decoded JSON-LD page into an :class:`LdesPage`."""
    if not isinstance(document, dict) or "member" not in document:
        raise ValueError("not an LDES page: no 'member' list")
    view = document.get("view") or {}
    relations = view.get("relation") or []
    if isinstance(relations, dict):
        relations = [relations]
    next_url = next(
        (r.get("node") for r in relations if NEXT_RELATION in _types(r)), None
    )
    members = document.get("member") or []
    if isinstance(members, dict):
        members = [members]
    return LdesPage(view.get("@id") or document.get("@id"), members, next_url)


def parse_timestamp(value):
    """An ISO 8601 date-time of the feed as an aware UTC ``datetime``.

    Takes ``Z`` or an offset (``+02:00``), any number of fractional digits
    and a JSON-LD value object (``{"@value": ...}``); a time without offset
    is UTC. Returns ``None`` for anything else.
    """
    if isinstance(value, dict):
        value = value.get("@value")
    if not isinstance(value, str) or not 10 <= len(value.strip()) <= 64:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _generated(member):
    """Sort key of a snapshot: its ``generatedAtTime`` (unreadable first)."""
    moment = parse_timestamp(member.get("generatedAtTime"))
    return (moment is not None, moment or datetime.min.replace(tzinfo=UTC))


def latest_snapshots(members):
    """Keep the newest snapshot per ``isVersionOf`` (ties: the later one wins).

    Returns a dict ``{version_of: member}``; members without ``isVersionOf``
    are keyed on their own ``@id``. A snapshot whose ``generatedAtTime`` is
    missing or unreadable never replaces one with a readable time.
    """
    newest = {}
    for member in members:
        key = member.get("isVersionOf") or member.get("@id")
        current = newest.get(key)
        if current is None or _generated(member) >= _generated(current):
            newest[key] = member
    return newest

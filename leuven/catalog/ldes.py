"""Reading pages of an IPDC Linked Data Event Stream (JSON-LD, compact form).

Each page holds full snapshots (``member``); a page with a
``GreaterThanOrEqualToRelation`` is complete and points to the next one, the
last page has none and keeps growing. See shared IPDC notes, section 1.3.
"""

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


def latest_snapshots(members):
    """Keep the newest snapshot per ``isVersionOf`` (ties: the later one wins).

    Returns a dict ``{version_of: member}``; members without ``isVersionOf``
    are keyed on their own ``@id``.
    """
    newest = {}
    for member in members:
        key = member.get("isVersionOf") or member.get("@id")
        current = newest.get(key)
        if current is None or (member.get("generatedAtTime") or "") >= (
            current.get("generatedAtTime") or ""
        ):
            newest[key] = member
    return newest

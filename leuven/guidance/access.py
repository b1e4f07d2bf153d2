"""Which data of a guidance trajectory a partner organisation may read, no Odoo.

The citizen (with his coach) grants a partner organisation chosen **data
categories** for chosen **dwellings** during a period, and can withdraw the
grant at once. A grant is one consent of the suite's consent mechanism
(``kcc.consent``); the Odoo side turns its records into :class:`Grant` values
and asks this module, on every request, what the partner may see:

- :func:`may_read` — one yes/no for (partner, category, dwelling) at ``now``;
- :func:`readable` — every dwelling the partner may read and the categories
  for each (to build a domain: ``dwelling_id in readable(...)``);
- :func:`fields_for` / :func:`mask` — which fields of a record the partner
  may see given the readable categories, so the rest is left out.

Expiry and withdrawal take effect at ``now``: there is no cron. A grant that
has not started, has expired, was withdrawn or does not exist gives
**nothing** (the Odoo side then answers "not found", never partial data).

Every partner read is logged (:class:`ReadLogEntry`, :func:`read_entries`) and
listed for the citizen (:func:`summarise_log`: structured rows, the sentence
"Energiehuis bekeek EPC van Naamsestraat 10 op 3 maart" is the Odoo side's).

Times are ``datetime`` values in one frame chosen by the caller (Odoo: naive
UTC); ``valid_until`` may be a ``date`` (the grant then holds through that
whole day, compared with ``now.date()``).
"""

import datetime
from dataclasses import dataclass, field

CONTACT = "contact"  # name, address, phone, e-mail of the citizen
DWELLING = "dwelling"  # technical data of the dwelling (insulation, heating, ...)
EPC = "epc"  # energy performance certificate: label, score, number
FINANCIAL = "financial"  # income category, loans, premiums granted
NOTES = "notes"  # the coach's notes and the trajectory's messages
DOCUMENTS = "documents"  # attachments: quotes, invoices, plans, photos

#: Every data category, in the order a form lists them.
CATEGORIES = (CONTACT, DWELLING, EPC, FINANCIAL, NOTES, DOCUMENTS)


class UnknownCategory(ValueError):
    """A category code that is not one of :data:`CATEGORIES`.

    ``code`` is ``"unknown_category"`` and ``category`` the offending value,
    for a translated message."""

    code = "unknown_category"

    def __init__(self, category):
        super().__init__(f"unknown data category {category!r}")
        self.category = category


def check_categories(categories):
    """``categories`` (an iterable of codes) as a frozenset; raises
    :class:`UnknownCategory` for the first code that is not known. Use it when
    a grant is written; reading never raises."""
    result = frozenset(categories or ())
    for category in sorted(result, key=str):
        if category not in CATEGORIES:
            raise UnknownCategory(category)
    return result


def _moment(value):
    """A ``date`` or ``datetime`` or ``None`` as given (no conversion)."""
    if value is None or isinstance(value, (datetime.date, datetime.datetime)):
        return value
    raise TypeError(f"a date or datetime expected, got {value!r}")


def _before(now, limit):
    """Whether ``now`` is before ``limit`` (a datetime: strictly before; a
    date: on or before that day)."""
    if isinstance(limit, datetime.datetime):
        return now < limit
    return now.date() <= limit


def _reached(now, start):
    """Whether ``start`` (datetime: that instant; date: that day) has come."""
    if isinstance(start, datetime.datetime):
        return start <= now
    return start <= now.date()


@dataclass(frozen=True)
class Grant:
    """One consent: ``partner_id`` (the organisation's partner id) may read
    ``categories`` of ``dwelling_ids`` from ``valid_from`` (``None``: from the
    start) until ``valid_until`` (``None``: no end; a datetime is exclusive, a
    date includes that day), unless ``withdrawn_at`` (``None``: not withdrawn)
    has come. ``grant_id`` is the consent record's id, for the read log.

    ``categories`` and ``dwelling_ids`` may be any iterables; they are kept as
    frozensets. Unknown categories in a stored grant grant nothing."""

    partner_id: int
    categories: frozenset = field(default_factory=frozenset)
    dwelling_ids: frozenset = field(default_factory=frozenset)
    valid_from: datetime.datetime | datetime.date | None = None
    valid_until: datetime.datetime | datetime.date | None = None
    withdrawn_at: datetime.datetime | None = None
    grant_id: int | None = None

    def __post_init__(self):
        for name in ("categories", "dwelling_ids"):
            value = getattr(self, name)
            if isinstance(value, (str, int)):  # one code or id, not its letters
                value = (value,)
            object.__setattr__(self, name, frozenset(value or ()))
        for name in ("valid_from", "valid_until", "withdrawn_at"):
            _moment(getattr(self, name))

    def active(self, now):
        """Whether the grant holds at ``now`` (a datetime)."""
        if self.valid_from is not None and not _reached(now, self.valid_from):
            return False
        if self.valid_until is not None and not _before(now, self.valid_until):
            return False
        return self.withdrawn_at is None or _before(now, self.withdrawn_at)

    def covers(self, category, dwelling_id):
        return (
            category in CATEGORIES
            and category in self.categories
            and dwelling_id in self.dwelling_ids
        )


def active_grants(grants, partner_id, now):
    """The grants of ``partner_id`` that hold at ``now``, in the given order."""
    return [g for g in grants or () if g.partner_id == partner_id and g.active(now)]


def may_read(grants, partner_id, category, dwelling_id, now):
    """Whether ``partner_id`` may read ``category`` of ``dwelling_id`` at
    ``now``, given all ``grants`` (of any partner; others are ignored).

    An unknown category, a missing partner or dwelling id, no grant, or only
    grants not yet started, expired or withdrawn: ``False``. Two overlapping
    grants add up."""
    if not partner_id or dwelling_id is None or category not in CATEGORIES:
        return False
    return any(
        g.covers(category, dwelling_id) for g in active_grants(grants, partner_id, now)
    )


def readable(grants, partner_id, now):
    """``{dwelling_id: frozenset(categories)}`` that ``partner_id`` may read
    at ``now`` (the union of its active grants; unknown categories left out,
    dwellings with no category left out). Empty when nothing is granted."""
    result = {}
    if not partner_id:
        return result
    for grant in active_grants(grants, partner_id, now):
        categories = grant.categories.intersection(CATEGORIES)
        if not categories:
            continue
        for dwelling_id in grant.dwelling_ids:
            result[dwelling_id] = result.get(dwelling_id, frozenset()) | categories
    return result


def dwellings_for(grants, partner_id, category, now):
    """The dwelling ids whose ``category`` ``partner_id`` may read at ``now``
    (a frozenset; for a search domain)."""
    return frozenset(
        dwelling_id
        for dwelling_id, categories in readable(grants, partner_id, now).items()
        if category in categories
    )


def next_change(grants, partner_id, now):
    """The first moment after ``now`` at which what ``partner_id`` may read
    changes (a grant starts, expires or is withdrawn), or ``None``. A date
    limit changes at the start of the next day. For caches; the decision
    itself never needs it."""
    moments = []
    for grant in grants or ():
        if grant.partner_id != partner_id:
            continue
        for value, end in (
            (grant.valid_from, False),
            (grant.valid_until, True),
            (grant.withdrawn_at, False),
        ):
            if value is None:
                continue
            if not isinstance(value, datetime.datetime):
                day = value + datetime.timedelta(days=1) if end else value
                value = datetime.datetime.combine(day, datetime.time(), now.tzinfo)
            if value > now:
                moments.append(value)
    return min(moments, default=None)


def fields_for(categories, field_map, base_fields=()):
    """The field names a reader of ``categories`` may see: the union of
    ``field_map[category]`` (``{category: iterable of field names}``) for each
    readable category, plus ``base_fields`` (e.g. the record's name) when at
    least one category is readable. No category: an empty frozenset."""
    categories = frozenset(categories or ()).intersection(CATEGORIES)
    if not categories:
        return frozenset()
    names = set(base_fields or ())
    for category in categories:
        names.update(field_map.get(category, ()))
    return frozenset(names)


def mask(values, categories, field_map, base_fields=()):
    """``values`` (a dict of field name → value) with only the fields of
    :func:`fields_for`; the others are left out, not blanked."""
    allowed = fields_for(categories, field_map, base_fields)
    return {name: value for name, value in values.items() if name in allowed}


# -- the read log ------------------------------------------------------------
@dataclass(frozen=True)
class ReadLogEntry:
    """One partner read: ``partner_id`` (organisation) read ``category`` of
    ``dwelling_id`` (``None``: data of the citizen, e.g. contact data) in
    ``trajectory_id`` at ``read_at``; ``user_id`` is the partner's user,
    ``grant_id`` the grant that allowed it."""

    partner_id: int
    category: str
    read_at: datetime.datetime
    dwelling_id: int | None = None
    trajectory_id: int | None = None
    user_id: int | None = None
    grant_id: int | None = None


def read_entries(
    grants,
    partner_id,
    categories,
    dwelling_id,
    now,
    trajectory_id=None,
    user_id=None,
):
    """The log entries of one read: one :class:`ReadLogEntry` per category
    of ``categories`` the partner may read of ``dwelling_id`` at ``now`` (in
    :data:`CATEGORIES` order), with the first grant that allows it. Categories
    it may not read give no entry (they were not shown)."""
    entries = []
    active = active_grants(grants, partner_id, now)
    wanted = frozenset(categories or ())
    for category in CATEGORIES:
        if category not in wanted:
            continue
        grant = next((g for g in active if g.covers(category, dwelling_id)), None)
        if grant is None:
            continue
        entries.append(
            ReadLogEntry(
                partner_id,
                category,
                now,
                dwelling_id,
                trajectory_id,
                user_id,
                grant.grant_id,
            )
        )
    return entries


@dataclass(frozen=True)
class LogRow:
    """One line of the citizen's "who looked at what" list: ``partner_id``
    read ``category`` of ``dwelling_id`` on ``day`` (``count`` times, first at
    ``first_at``, last at ``last_at``), in ``trajectory_ids``."""

    partner_id: int
    category: str
    dwelling_id: int | None
    day: datetime.date
    first_at: datetime.datetime
    last_at: datetime.datetime
    count: int
    trajectory_ids: tuple = ()


def summarise_log(entries, since=None, limit=None):
    """The citizen's portal list of partner reads: ``entries`` (any iterable
    of :class:`ReadLogEntry`) grouped per (partner, category, dwelling, day),
    newest day first, then by partner, dwelling and category order. ``since``
    (a datetime) leaves older reads out; ``limit`` keeps the first rows."""
    groups = {}
    for entry in entries or ():
        if since is not None and entry.read_at < since:
            continue
        key = (
            entry.partner_id,
            entry.category,
            entry.dwelling_id,
            entry.read_at.date(),
        )
        group = groups.get(key)
        if group is None:
            groups[key] = [entry.read_at, entry.read_at, 1, []]
            group = groups[key]
        else:
            group[0] = min(group[0], entry.read_at)
            group[1] = max(group[1], entry.read_at)
            group[2] += 1
        if entry.trajectory_id is not None and entry.trajectory_id not in group[3]:
            group[3].append(entry.trajectory_id)
    order = {category: i for i, category in enumerate(CATEGORIES)}
    rows = [
        LogRow(partner, category, dwelling, day, first, last, count, tuple(sorted(t)))
        for (partner, category, dwelling, day), (first, last, count, t) in (
            groups.items()
        )
    ]
    rows.sort(
        key=lambda row: (
            -row.day.toordinal(),
            row.partner_id,
            (row.dwelling_id is not None, row.dwelling_id or 0),
            order.get(row.category, len(order)),
            row.category,
        )
    )
    return rows[:limit] if limit is not None else rows

"""Ranking of volunteers for one help request, no Odoo.

The coordinator of Leuven Helpt sees, for a request (a :class:`Request`),
the volunteers (:class:`Volunteer`) best suited to it, best first
(:func:`rank`), each with the reasons of his place (:attr:`Suggestion.reasons`,
in Dutch by :func:`explain`).

**Exclusions** (:func:`exclusion`): a volunteer is never suggested when

- he is not screened or withdrew (``state != "active"``): ``not_active``;
- he does not offer the kind of help asked: ``kind``;
- he already has his maximum of active matches: ``full``;
- he is absent on the requested date (a recurring request: on its first
  date; no date asked: today, as he would be asked to answer now): ``absent``;
- the kind needs a certificate of good conduct and his is missing or
  expired: ``good_conduct``;
- the request excludes him (he declined, or is already proposed): ``excluded``;
- the request is outside his radius and not in one of his districts:
  ``too_far``. Without a known position on either side only the district
  counts. A volunteer who set neither a radius nor districts helps anywhere.

**Score** of the others: a weighted sum of criteria, each between 0 and 1,
scaled to 0..100 (:data:`WEIGHTS`):

- ``distance``: ``1 / (1 + km / DISTANCE_HALF_KM)`` (2 km gives 0.5); with no
  known distance, :data:`DISTRICT_ONLY` when the request is in one of his
  districts, else 0;
- ``availability``: his weekly slots cover the requested time (``start`` to
  ``start + duration_h``, on ``start``'s weekday, across midnight into the
  next day): fully 1; partly :data:`PARTIAL_FACTOR` times the part covered;
  not at all 0; no time asked: :data:`NEUTRAL` for everyone;
- ``load``: ``1 - active_matches / max_active`` (fewer active matches is
  better);
- ``continuity``: 1 when he helped this person before;
- ``language``: 1 when he speaks the requester's language, else 0; no
  language asked: :data:`NEUTRAL` for everyone (``"fr"`` and ``"fr_BE"`` are
  the same language);
- ``fairness``: days since he was last asked, up to :data:`FAIRNESS_DAYS`
  (never asked: the full bonus), so that the same few are not always asked.

The ranking is deterministic: best score first, equal scores (rounded to 3
decimals) by volunteer id. Coordinates 0/0 or False (Odoo's empty floats)
are no position.

**Reasons** of a suggestion, in this order, as ``(code, params)``:
``distance`` {km} or ``district`` {district}; ``available``,
``partly_available`` {share} or ``not_available`` {weekday, part} when a time
is asked; ``helped_before``; ``language`` {lang} when asked and spoken;
``load`` {active, max}; ``never_asked`` or ``not_asked_lately`` {days} from
:data:`NOT_ASKED_REASON_DAYS` days.
"""

import datetime
import functools
import heapq
import math
from dataclasses import dataclass, field

from leuven.helpt.districts import district_name
from leuven.kcc.geo import EARTH_RADIUS_M
from leuven.kcc.inputs import is_real_point

#: Weight of each criterion in the score. Continuity weighs most (the same
#: volunteer for the same person), distance and availability at the
#: requested time next; load and language count as much as each other;
#: fairness is small: it orders volunteers otherwise equal.
WEIGHTS = {
    "distance": 30.0,
    "availability": 25.0,
    "load": 15.0,
    "continuity": 40.0,
    "language": 15.0,
    "fairness": 5.0,
}
#: The criteria, in the order of Suggestion.components.
CRITERIA = ("distance", "availability", "load", "continuity", "language", "fairness")
#: Distance (km) at which the distance criterion is worth half.
DISTANCE_HALF_KM = 2.0
#: Distance criterion when no distance is known but the district matches.
DISTRICT_ONLY = 0.5
#: Value of a criterion the request does not ask for (time, language).
NEUTRAL = 0.5
#: A partly covered time counts this much times the part covered.
PARTIAL_FACTOR = 0.5
#: Days without being asked at which the fairness bonus is full.
FAIRNESS_DAYS = 60
#: Days without being asked from which it is given as a reason.
NOT_ASKED_REASON_DAYS = 14
#: Exclusion codes, in the order they are checked.
EXCLUSIONS = (
    "not_active", "kind", "full", "absent", "good_conduct", "excluded", "too_far",
)  # fmt: skip

_EARTH_KM = EARTH_RADIUS_M / 1000.0
_EPSILON = 1e-9
_LATER = object()  # a distance not computed yet


def _position(instance):
    """No position (both None) unless both coordinates name a place: Odoo's
    empty float fields give 0.0 or False."""
    if instance.latitude is None and instance.longitude is None:
        return
    if is_real_point(instance.latitude, instance.longitude):
        object.__setattr__(instance, "latitude", float(instance.latitude))
        object.__setattr__(instance, "longitude", float(instance.longitude))
    else:
        object.__setattr__(instance, "latitude", None)
        object.__setattr__(instance, "longitude", None)


@dataclass(frozen=True)
class Slot:
    """A weekly availability: ``weekday`` 0 = Monday, hours as floats
    (9.5 = 09:30); ``end`` may be 24."""

    weekday: int
    start: float
    end: float


@dataclass(frozen=True)
class Volunteer:
    id: int
    kinds: frozenset  # help kind codes
    latitude: float | None
    longitude: float | None
    districts: frozenset  # district codes
    radius_km: float | None  # None or <= 0: no radius
    weekly: tuple  # of Slot
    absences: tuple  # of (date_from, date_to), inclusive
    max_active: int
    active_matches: int
    languages: frozenset  # 'nl', 'fr', 'en', ... ('fr_BE' is 'fr')
    state: str  # 'applied' | 'active' | 'withdrawn'; only 'active' is matched
    good_conduct: bool  # certificate of good conduct valid
    last_asked: datetime.datetime | None

    def __post_init__(self):
        _position(self)
        for name in ("kinds", "districts", "languages"):
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(value or ()))
        for name in ("weekly", "absences"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value or ()))


@dataclass(frozen=True)
class Request:
    kind: str
    needs_good_conduct: bool
    latitude: float | None
    longitude: float | None
    district: str | None
    start: datetime.datetime | None  # naive local time; None: no time asked
    duration_h: float = 1.0
    recurring: bool = False  # weekly on start's weekday
    language: str | None = None
    helped_before: frozenset = frozenset()  # volunteer ids
    excluded: frozenset = frozenset()  # declined or already proposed

    def __post_init__(self):
        _position(self)
        for name in ("helped_before", "excluded"):
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(value or ()))


@dataclass(frozen=True)
class Suggestion:
    volunteer_id: int
    score: float  # 0..100, rounded to 3 decimals
    distance_km: float | None
    reasons: tuple  # of (code, params), see explain()
    #: (criterion, value 0..1) of each criterion of WEIGHTS, in its order
    components: tuple = field(default=(), compare=False)


# ---------------------------------------------------------------- helpers


def _language(code):
    """'fr_BE', 'fr-be', 'FR' -> 'fr'; None stays None."""
    if not code:
        return None
    return str(code).replace("-", "_").split("_", 1)[0].strip().lower() or None


def _naive(moment):
    """A naive datetime (an aware one in UTC) so that both sides subtract."""
    if moment is not None and moment.tzinfo is not None:
        return moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def _known(latitude, longitude):
    return latitude is not None and longitude is not None


def part_of_day(hour):
    """'morning' before 12 h, 'afternoon' before 17 h, else 'evening'."""
    if hour < 12:
        return "morning"
    if hour < 17:
        return "afternoon"
    return "evening"


class _Prepared:
    """What one request needs for every volunteer, computed once."""

    __slots__ = (
        "cos_phi", "day", "district", "duration", "excluded", "helped", "hour",
        "kind", "known", "lam", "language", "now", "phi", "prunable", "request",
        "scale", "weekday", "weight_list",
    )  # fmt: skip

    def __init__(self, request, now, weights=None):
        self.request = request
        self.kind = request.kind
        self.district = request.district
        self.excluded = request.excluded
        self.helped = request.helped_before
        self.language = _language(request.language)
        self.known = _known(request.latitude, request.longitude)
        if self.known:
            self.phi = math.radians(request.latitude)
            self.lam = math.radians(request.longitude)
            self.cos_phi = math.cos(self.phi)
        self.now = _naive(now)
        start = _naive(request.start)
        # the date on which he must be present: the (first) requested date,
        # or today when no date is asked
        if start is not None:
            self.day = start.date()
            self.weekday = start.weekday()
            self.hour = start.hour + start.minute / 60 + start.second / 3600
            self.duration = max(float(request.duration_h or 0.0), 0.0)
        else:
            self.day = self.now.date() if self.now is not None else None
            self.weekday = self.hour = self.duration = None
        weights = WEIGHTS if weights is None else weights
        self.weight_list = tuple(float(weights.get(name, 0.0)) for name in CRITERIA)
        self.scale = 100.0 / (sum(self.weight_list) or 1.0)
        # the bound of rank() holds for weights >= 0 only
        self.prunable = all(weight >= 0 for weight in self.weight_list)

    def distance_km(self, volunteer):
        """Haversine distance from the request to his home, or None."""
        if not self.known or not _known(volunteer.latitude, volunteer.longitude):
            return None
        phi = math.radians(volunteer.latitude)
        dphi = phi - self.phi
        dlam = math.radians(volunteer.longitude) - self.lam
        a = (
            math.sin(dphi / 2) ** 2
            + self.cos_phi * math.cos(phi) * math.sin(dlam / 2) ** 2
        )
        return 2 * _EARTH_KM * math.asin(math.sqrt(min(a, 1.0)))

    def cheap_exclusion(self, volunteer):
        """The first, cheapest exclusions: state, kind, load."""
        if volunteer.state != "active":
            return "not_active"
        if self.kind not in volunteer.kinds:
            return "kind"
        if volunteer.active_matches >= volunteer.max_active:
            return "full"
        return None

    def exclusion(self, volunteer):
        """(exclusion code or None, distance in km or None)."""
        reason = self.cheap_exclusion(volunteer)
        if reason:
            return reason, None
        return self.other_exclusion(volunteer)

    def other_exclusion(self, volunteer, lazy=False):
        """:meth:`exclusion` after :meth:`cheap_exclusion` found none; with
        ``lazy``, the distance is :data:`_LATER` when the exclusion did not
        need it."""
        day = self.day
        if day is not None:
            for date_from, date_to in volunteer.absences:
                if date_from <= day <= date_to:
                    return "absent", None
        if self.request.needs_good_conduct and not volunteer.good_conduct:
            return "good_conduct", None
        if volunteer.id in self.excluded:
            return "excluded", None
        radius = volunteer.radius_km
        has_radius = radius is not None and radius > 0
        if (not has_radius and not volunteer.districts) or (
            # no limit set: anywhere; or in one of his districts
            self.district is not None and self.district in volunteer.districts
        ):
            return None, _LATER if lazy else self.distance_km(volunteer)
        distance = self.distance_km(volunteer)
        if has_radius and distance is not None and distance <= radius + _EPSILON:
            return None, distance
        return "too_far", distance


def _covered(slots, weekday, start, end):
    """Hours of [start, end) on ``weekday`` covered by the union of slots."""
    pieces = sorted(
        (max(slot.start, start), min(slot.end, end))
        for slot in slots
        if slot.weekday == weekday and slot.end > start and slot.start < end
    )
    covered = 0.0
    reach = start
    for low, high in pieces:
        low = max(low, reach)
        if high > low:
            covered += high - low
            reach = high
    return covered


def coverage(weekly, weekday, hour, duration_h):
    """The part (0..1) of ``duration_h`` hours from ``hour`` on ``weekday``
    that the weekly slots cover; a time past midnight continues on the next
    day. A duration of 0 is covered when a slot holds that moment."""
    if duration_h <= 0:
        held = any(
            slot.weekday == weekday and slot.start <= hour < slot.end for slot in weekly
        )
        return 1.0 if held else 0.0
    covered = 0.0
    remaining = duration_h
    day, start = weekday, hour
    for _ in range(8):  # at most a week and a day
        end = min(24.0, start + remaining)
        covered += _covered(weekly, day, start, end)
        remaining -= end - start
        if remaining <= _EPSILON:
            break
        day, start = (day + 1) % 7, 0.0
    return min(covered / duration_h, 1.0)


@functools.lru_cache(maxsize=4096)
def _languages(codes):
    """The normalised language codes of a frozenset ('fr_BE' -> 'fr')."""
    return frozenset(_language(code) for code in codes) - {None}


def _coverage_fast(weekly, weekday, hour, duration_h):
    """:func:`coverage`, answered at once when one slot holds the whole time
    or none touches it (most volunteers)."""
    end = hour + duration_h
    if duration_h > 0 and end <= 24.0:
        overlaps = False
        for slot in weekly:
            if slot.weekday == weekday and slot.start < end and slot.end > hour:
                if slot.start <= hour and end <= slot.end:
                    return 1.0
                overlaps = True
        if not overlaps:
            return 0.0
    return coverage(weekly, weekday, hour, duration_h)


def _known_values(prepared, volunteer):
    """The criteria that need no distance nor time: (their weighted sum,
    load, continuity, language, fairness, days since last asked)."""
    maximum = volunteer.max_active if volunteer.max_active > 0 else 1
    active = max(volunteer.active_matches, 0)
    c_load = max(0.0, 1.0 - active / maximum)

    c_continuity = 1.0 if volunteer.id in prepared.helped else 0.0

    language = prepared.language
    if language is None:
        c_language = NEUTRAL
    elif language in volunteer.languages or language in _languages(volunteer.languages):
        c_language = 1.0
    else:
        c_language = 0.0

    last = volunteer.last_asked
    if last is None:
        days = None
        c_fairness = 1.0
    else:
        now = prepared.now
        if last.tzinfo is not None:
            last = _naive(last)
        days = max((now - last).days, 0) if now is not None else 0
        c_fairness = min(days, FAIRNESS_DAYS) / FAIRNESS_DAYS

    _distance, _available, w_load, w_continuity, w_language, w_fairness = (
        prepared.weight_list
    )
    partial = (
        w_load * c_load
        + w_continuity * c_continuity
        + w_language * c_language
        + w_fairness * c_fairness
    )
    return partial, c_load, c_continuity, c_language, c_fairness, days


def _availability(prepared, volunteer):
    """(part of the requested time his weekly slots cover or None when no
    time is asked, value of the availability criterion)."""
    if prepared.hour is None:
        return None, NEUTRAL
    part = _coverage_fast(
        volunteer.weekly, prepared.weekday, prepared.hour, prepared.duration
    )
    return part, 1.0 if part >= 1.0 - _EPSILON else PARTIAL_FACTOR * part


def _values(prepared, volunteer, distance, known=None, available=None):
    """(score, values of the criteria, part of the time covered, days since
    last asked) of a volunteer that is not excluded."""
    if distance is not None:
        c_distance = 1.0 / (1.0 + distance / DISTANCE_HALF_KM)
    elif prepared.district is not None and prepared.district in volunteer.districts:
        c_distance = DISTRICT_ONLY
    else:
        c_distance = 0.0

    part, c_available = available or _availability(prepared, volunteer)
    partial, c_load, c_continuity, c_language, c_fairness, days = (
        known or _known_values(prepared, volunteer)
    )
    values = (c_distance, c_available, c_load, c_continuity, c_language, c_fairness)
    w_distance, w_available = prepared.weight_list[:2]
    total = w_distance * c_distance + w_available * c_available + partial
    return round(total * prepared.scale, 3), values, part, days


def _suggestion(prepared, volunteer, distance, computed=None):
    """The :class:`Suggestion` of a volunteer that is not excluded, with the
    reasons of his score."""
    score, values, part, days = computed or _values(prepared, volunteer, distance)
    c_distance, _available, _load, c_continuity, c_language, _fairness = values
    reasons = []
    if distance is not None:
        reasons.append(("distance", {"km": round(distance, 1)}))
    elif c_distance:
        reasons.append(("district", {"district": prepared.district}))
    if part is not None:
        params = {"weekday": prepared.weekday, "part": part_of_day(prepared.hour)}
        if part >= 1.0 - _EPSILON:
            reasons.append(("available", params))
        elif part > _EPSILON:
            reasons.append(("partly_available", {**params, "share": round(part, 2)}))
        else:
            reasons.append(("not_available", params))
    if c_continuity:
        reasons.append(("helped_before", {}))
    if prepared.language is not None and c_language:
        reasons.append(("language", {"lang": prepared.language}))
    reasons.append(
        (
            "load",
            {"active": max(volunteer.active_matches, 0), "max": volunteer.max_active},
        )
    )
    if days is None:
        reasons.append(("never_asked", {}))
    elif days >= NOT_ASKED_REASON_DAYS:
        reasons.append(("not_asked_lately", {"days": days}))
    return Suggestion(
        volunteer_id=volunteer.id,
        score=score,
        distance_km=None if distance is None else round(distance, 3),
        reasons=tuple(reasons),
        components=tuple(zip(CRITERIA, values)),
    )


# ---------------------------------------------------------------- API


def exclusion(request, volunteer, now):
    """Why ``volunteer`` is never suggested for ``request`` (a code of
    :data:`EXCLUSIONS`), or None when he may be."""
    return _Prepared(request, now).exclusion(volunteer)[0]


def score(request, volunteer, now, weights=None):
    """The :class:`Suggestion` of one volunteer, or None when excluded."""
    prepared = _Prepared(request, now, weights)
    reason, distance = prepared.exclusion(volunteer)
    if reason:
        return None
    return _suggestion(prepared, volunteer, distance)


def rank(request, volunteers, now, limit=10, weights=None):
    """The best ``limit`` volunteers for ``request`` (all with ``limit=None``)
    as :class:`Suggestion`, best first, equal scores by volunteer id; only
    volunteers without an exclusion. ``now`` (naive, like the volunteers'
    ``last_asked``) dates the fairness criterion and, without a requested
    date, the absences."""
    if limit is not None and limit <= 0:
        return []
    prepared = _Prepared(request, now, weights)
    kind = prepared.kind
    other = prepared.other_exclusion
    prune = limit is not None and prepared.prunable
    w_distance, w_available = prepared.weight_list[:2]
    scale = prepared.scale
    # the best so far, the worst on top: (score, -id, order, volunteer,
    # distance, computed); once it holds ``limit``, a volunteer whose best
    # possible score is below its worst is not computed further
    heap = []
    for order, volunteer in enumerate(volunteers):
        # cheap_exclusion() inline: most are out here, before any arithmetic
        if (
            volunteer.state != "active"
            or kind not in volunteer.kinds
            or volunteer.active_matches >= volunteer.max_active
        ):
            continue
        reason, distance = other(volunteer, lazy=prune)
        if reason is not None:
            continue
        known = _known_values(prepared, volunteer)
        available = _availability(prepared, volunteer)
        if prune and len(heap) >= limit:
            if distance is _LATER or distance is None:
                c_distance = 1.0
            else:
                c_distance = 1.0 / (1.0 + distance / DISTANCE_HALF_KM)
            upper = w_distance * c_distance + w_available * available[1] + known[0]
            if round(upper * scale, 3) < heap[0][0]:
                continue
        if distance is _LATER:
            distance = prepared.distance_km(volunteer)
        computed = _values(prepared, volunteer, distance, known, available)
        entry = (computed[0], -volunteer.id, order, volunteer, distance, computed)
        if limit is None or len(heap) < limit:
            heapq.heappush(heap, entry)
        elif entry[:3] > heap[0][:3]:
            heapq.heapreplace(heap, entry)
    best = sorted(heap, key=lambda entry: (-entry[0], -entry[1], entry[2]))
    # the reasons only for those returned
    return [
        _suggestion(prepared, volunteer, distance, computed)
        for _score, _id, _order, volunteer, distance, computed in best
    ]


# ---------------------------------------------------------------- Dutch

WEEKDAYS_NL = (
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
)  # fmt: skip
PARTS_NL = {"morning": "voormiddag", "afternoon": "namiddag", "evening": "avond"}
LANGUAGES_NL = {
    "nl": "Nederlands", "fr": "Frans", "en": "Engels", "de": "Duits",
    "es": "Spaans", "it": "Italiaans", "pt": "Portugees", "pl": "Pools",
    "ro": "Roemeens", "bg": "Bulgaars", "ru": "Russisch", "uk": "Oekraïens",
    "tr": "Turks", "ar": "Arabisch", "fa": "Perzisch", "ps": "Pasjtoe",
    "so": "Somalisch", "ti": "Tigrinya", "am": "Amhaars", "zh": "Chinees",
    "hi": "Hindi", "ur": "Urdu", "sq": "Albanees", "el": "Grieks",
}  # fmt: skip


def _km(value):
    return f"{value:.1f}".replace(".", ",") + " km"


def _moment(params):
    return WEEKDAYS_NL[params["weekday"] % 7] + PARTS_NL[params["part"]]


def explain(suggestion):
    """The reasons of a suggestion as Dutch phrases, e.g. ``["2,1 km",
    "vrij op donderdagvoormiddag", "hielp eerder", "spreekt Frans",
    "1 van 3 hulpvragen lopend", "al 40 dagen niet gevraagd"]``."""
    phrases = []
    for code, params in suggestion.reasons:
        if code == "distance":
            phrases.append(_km(params["km"]))
        elif code == "district":
            name = district_name(params["district"]) or params["district"]
            phrases.append(f"helpt in {name}")
        elif code == "available":
            phrases.append(f"vrij op {_moment(params)}")
        elif code == "partly_available":
            phrases.append(f"deels vrij op {_moment(params)}")
        elif code == "not_available":
            phrases.append(f"niet vrij op {_moment(params)}")
        elif code == "helped_before":
            phrases.append("hielp eerder")
        elif code == "language":
            lang = params["lang"]
            phrases.append(f"spreekt {LANGUAGES_NL.get(lang, lang)}")
        elif code == "load":
            phrases.append(f"{params['active']} van {params['max']} hulpvragen lopend")
        elif code == "not_asked_lately":
            days = params["days"]
            unit = "dag" if days == 1 else "dagen"
            phrases.append(f"al {days} {unit} niet gevraagd")
        elif code == "never_asked":
            phrases.append("nog nooit gevraagd")
    return phrases

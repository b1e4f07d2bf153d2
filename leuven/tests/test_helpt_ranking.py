"""Ranking of volunteers for a help request, on a generated population.

Each criterion test adds two volunteers to the population that differ only
in that criterion; the better one has the HIGHER id, so that were the
criterion ignored, the tie-break by id would put the worse one first.
"""

import dataclasses
import datetime as dt
import math
import random
import re

import pytest

from leuven.helpt import ranking as rk
from leuven.kcc.geo import distance_m

KINDS = ("groceries", "transport", "company", "small_jobs", "paperwork")
DISTRICTS = ("leuven", "heverlee", "kessel_lo", "wilsele", "wijgmaal")
LANGUAGES = ("nl", "fr", "en", "ar", "tr", "pl")
CENTRE = (50.8798, 4.7005)  # Grote Markt
HEVERLEE = (50.8640, 4.6960)
NOW = dt.datetime(2026, 11, 29, 12, 0)
THURSDAY = dt.datetime(2026, 12, 3, 10, 0)  # a Thursday morning
KM_PER_DEGREE = math.pi * 6371.0088 / 180


def north_of(point, km):
    """A point ``km`` north of ``point``."""
    return point[0] + km / KM_PER_DEGREE, point[1]


def population(count=500, seed=22):
    """Volunteers with random kinds, places, weekly slots, absences, loads."""
    rng = random.Random(seed)
    volunteers = []
    for vid in range(1, count + 1):
        weekly = []
        for _ in range(rng.randint(0, 5)):
            start = rng.choice((8, 9, 9.5, 13, 14, 18))
            weekly.append(rk.Slot(rng.randrange(7), start, start + rng.choice((2, 3))))
        absences = []
        for _ in range(rng.randint(0, 2)):
            first = NOW.date() + dt.timedelta(days=rng.randint(-10, 60))
            absences.append((first, first + dt.timedelta(days=rng.randint(0, 14))))
        maximum = rng.randint(0, 4)
        known = rng.random() < 0.9
        volunteers.append(
            rk.Volunteer(
                id=vid,
                kinds=frozenset(rng.sample(KINDS, rng.randint(1, 4))),
                latitude=CENTRE[0] + rng.uniform(-0.04, 0.04) if known else None,
                longitude=CENTRE[1] + rng.uniform(-0.06, 0.06) if known else None,
                districts=frozenset(rng.sample(DISTRICTS, rng.randint(0, 3))),
                radius_km=rng.choice((None, 0.0, 1.0, 2.5, 5.0, 10.0)),
                weekly=tuple(weekly),
                absences=tuple(absences),
                max_active=maximum,
                active_matches=rng.randint(0, maximum),
                languages=frozenset({"nl"} | set(rng.sample(LANGUAGES, 1))),
                state=rng.choice(("active",) * 8 + ("applied", "withdrawn")),
                good_conduct=rng.random() < 0.7,
                last_asked=(
                    None
                    if rng.random() < 0.2
                    else NOW - dt.timedelta(days=rng.randint(0, 120))
                ),
            )
        )
    return volunteers


POPULATION = population()


def request(**changes):
    values = {
        "kind": "groceries",
        "needs_good_conduct": False,
        "latitude": HEVERLEE[0],
        "longitude": HEVERLEE[1],
        "district": "heverlee",
        "start": THURSDAY,
        "duration_h": 1.5,
        "language": "fr",
    }
    values.update(changes)
    return rk.Request(**values)


def templates(req, count=5):
    """The first ``count`` volunteers of the population eligible for ``req``."""
    found = [v for v in POPULATION if rk.exclusion(req, v, NOW) is None]
    assert len(found) >= count
    return found[:count]


def order(req, volunteers, now=NOW):
    return [s.volunteer_id for s in rk.rank(req, volunteers, now, limit=None)]


def pair(template, better, worse):
    """Two copies of ``template`` (new ids; the better one's is higher)."""
    worse_v = dataclasses.replace(template, id=10_001, **worse)
    better_v = dataclasses.replace(template, id=10_002, **better)
    return better_v, worse_v


def assert_before(req, better, worse, now=NOW):
    ids = order(req, [*POPULATION, worse, better], now)
    assert better.id in ids and worse.id in ids
    assert ids.index(better.id) < ids.index(worse.id)
    first, second = rk.score(req, better, now), rk.score(req, worse, now)
    assert first.score > second.score


def in_reach(**values):
    """A volunteer's fields that keep him in reach of the Heverlee request."""
    return {"districts": frozenset({"heverlee"}), "radius_km": None, **values}


# ---------------------------------------------------------------- criteria


def test_closer_wins():
    req = request()
    near, far = north_of(HEVERLEE, 0.5), north_of(HEVERLEE, 3.0)
    for template in templates(req):
        better, worse = pair(
            template,
            in_reach(latitude=near[0], longitude=near[1]),
            in_reach(latitude=far[0], longitude=far[1]),
        )
        assert_before(req, better, worse)


def test_without_known_position_only_the_district_counts():
    req = request()
    for template in templates(req):
        better, worse = pair(
            template,
            in_reach(latitude=None, longitude=None),
            {"districts": frozenset(), "radius_km": None, "latitude": None},
        )
        assert_before(req, better, worse)
        assert rk.score(req, better, NOW).distance_km is None
    # the request without a position: the district decides too
    req = request(latitude=None, longitude=None)
    for template in templates(req):
        better, worse = pair(
            template,
            in_reach(),
            {"districts": frozenset(), "radius_km": None},
        )
        assert_before(req, better, worse)


@pytest.mark.parametrize(
    ("better_slots", "worse_slots"),
    [
        ((rk.Slot(3, 9, 12),), (rk.Slot(3, 10.5, 12),)),  # full over partial
        ((rk.Slot(3, 10.5, 12),), (rk.Slot(3, 13, 17),)),  # partial over none
        ((rk.Slot(3, 9, 12),), (rk.Slot(2, 9, 12),)),  # the right weekday
        ((rk.Slot(3, 9, 10.5), rk.Slot(3, 10.5, 11.5)), (rk.Slot(3, 9, 11),)),
    ],
)
def test_available_wins(better_slots, worse_slots):
    req = request()
    for template in templates(req):
        better, worse = pair(
            template, {"weekly": better_slots}, {"weekly": worse_slots}
        )
        assert_before(req, better, worse)


def test_no_time_asked_makes_availability_neutral():
    req = request(start=None)
    for template in templates(req):
        one, other = pair(template, {"weekly": (rk.Slot(3, 9, 12),)}, {"weekly": ()})
        assert rk.score(req, one, NOW).score == rk.score(req, other, NOW).score
        assert order(req, [one, other]) == [other.id, one.id]  # ties by id
        codes = {code for code, _ in rk.score(req, one, NOW).reasons}
        assert not codes & {"available", "partly_available", "not_available"}


def test_less_loaded_wins():
    req = request()
    for template in templates(req):
        better, worse = pair(
            template,
            {"max_active": 3, "active_matches": 0},
            {"max_active": 3, "active_matches": 2},
        )
        assert_before(req, better, worse)


def test_helped_before_wins():
    for template in templates(request()):
        better, worse = pair(template, {}, {})
        req = request(helped_before=frozenset({better.id}))
        assert_before(req, better, worse)


def test_language_wins():
    req = request(language="fr_BE")
    for template in templates(req):
        better, worse = pair(
            template,
            {"languages": frozenset({"nl", "fr"})},
            {"languages": frozenset({"nl", "en"})},
        )
        assert_before(req, better, worse)
        assert ("language", {"lang": "fr"}) in rk.score(req, better, NOW).reasons


def test_no_language_asked_makes_languages_neutral():
    req = request(language=None)
    for template in templates(req):
        one, other = pair(
            template,
            {"languages": frozenset({"nl", "fr"})},
            {"languages": frozenset({"ar"})},
        )
        assert rk.score(req, one, NOW).score == rk.score(req, other, NOW).score


@pytest.mark.parametrize(("better_days", "worse_days"), [(40, 3), (None, 1), (59, 30)])
def test_not_asked_lately_wins_among_equals(better_days, worse_days):
    req = request()

    def asked(days):
        return None if days is None else NOW - dt.timedelta(days=days)

    for template in templates(req):
        better, worse = pair(
            template,
            {"last_asked": asked(better_days)},
            {"last_asked": asked(worse_days)},
        )
        assert_before(req, better, worse)


def test_fairness_is_small_next_to_the_other_criteria():
    req = request()
    for template in templates(req):
        # asked yesterday but one hour of the time more available
        better, worse = pair(
            template,
            in_reach(weekly=(rk.Slot(3, 9, 12),), last_asked=NOW),
            in_reach(weekly=(rk.Slot(3, 10.5, 12),), last_asked=None),
        )
        assert_before(req, better, worse)


# ---------------------------------------------------------------- exclusions


def star(vid=20_000, **changes):
    """A volunteer with the best score there is for ``request()``."""
    values = {
        "id": vid,
        "kinds": frozenset(KINDS),
        "latitude": HEVERLEE[0],
        "longitude": HEVERLEE[1],
        "districts": frozenset({"heverlee"}),
        "radius_km": 3.0,
        "weekly": (rk.Slot(3, 8, 18),),
        "absences": (),
        "max_active": 3,
        "active_matches": 0,
        "languages": frozenset({"nl", "fr"}),
        "state": "active",
        "good_conduct": True,
        "last_asked": None,
    }
    values.update(changes)
    return rk.Volunteer(**values)


FAR = north_of(HEVERLEE, 8.0)
DEC_3 = THURSDAY.date()


@pytest.mark.parametrize(
    ("changes", "req_changes", "code"),
    [
        ({"state": "applied"}, {}, "not_active"),
        ({"state": "withdrawn"}, {}, "not_active"),
        ({"kinds": frozenset({"company", "transport"})}, {}, "kind"),
        ({"active_matches": 3}, {}, "full"),
        ({"max_active": 0}, {}, "full"),
        ({"absences": ((DEC_3, DEC_3),)}, {}, "absent"),
        ({"absences": ((DEC_3 - dt.timedelta(days=9), DEC_3),)}, {}, "absent"),
        ({"absences": ((DEC_3, DEC_3),)}, {"recurring": True}, "absent"),
        ({"absences": ((NOW.date(), NOW.date()),)}, {"start": None}, "absent"),
        ({"good_conduct": False}, {"needs_good_conduct": True}, "good_conduct"),
        ({}, {"excluded": frozenset({20_000})}, "excluded"),
        (
            {"latitude": FAR[0], "longitude": FAR[1], "districts": frozenset()},
            {},
            "too_far",
        ),
        (
            {"latitude": FAR[0], "longitude": FAR[1]},
            {"district": "kessel_lo"},
            "too_far",
        ),
        ({"radius_km": None, "districts": frozenset({"wilsele"})}, {}, "too_far"),
        ({"latitude": None}, {"district": None}, "too_far"),
    ],
)
def test_each_exclusion_keeps_the_best_volunteer_out(changes, req_changes, code):
    req = request(helped_before=frozenset({20_000}), **req_changes)
    best = star()
    plain = dataclasses.replace(req, excluded=frozenset())
    assert rk.exclusion(plain, best, NOW) is None
    assert order(plain, [*POPULATION, best])[0] == best.id  # first without it
    excluded = star(**changes)
    assert rk.exclusion(req, excluded, NOW) == code
    assert excluded.id not in order(req, [*POPULATION, excluded])
    assert rk.score(req, excluded, NOW) is None


@pytest.mark.parametrize(
    ("changes", "req_changes"),
    [
        # absences are inclusive on both ends, around the requested date only
        ({"absences": ((DEC_3 + dt.timedelta(days=1), DEC_3 + dt.timedelta(9)),)}, {}),
        ({"absences": ((DEC_3 - dt.timedelta(days=5), DEC_3 - dt.timedelta(1)),)}, {}),
        # recurring: only the first date counts
        (
            {"absences": ((DEC_3 + dt.timedelta(7), DEC_3 + dt.timedelta(7)),)},
            {"recurring": True},
        ),
        # the certificate only where the kind needs it
        ({"good_conduct": False}, {}),
        # in his radius though not in his districts, and the other way round
        ({"districts": frozenset({"wilsele"})}, {}),
        ({"latitude": FAR[0], "longitude": FAR[1]}, {}),
        # neither radius nor districts: anywhere
        ({"radius_km": None, "districts": frozenset()}, {"district": None}),
        ({"radius_km": 0.0, "districts": frozenset(), "latitude": None}, {}),
        # a full volunteer under his maximum
        ({"active_matches": 2}, {}),
    ],
)
def test_close_to_an_exclusion_is_still_suggested(changes, req_changes):
    req = request(**req_changes)
    volunteer = star(**changes)
    assert rk.exclusion(req, volunteer, NOW) is None
    assert volunteer.id in order(req, [*POPULATION, volunteer])


def test_rank_leaves_out_exactly_the_excluded():
    for req in (
        request(),
        request(kind="paperwork", needs_good_conduct=True, start=None),
        request(kind="transport", latitude=None, longitude=None, recurring=True),
        request(district=None, language=None, duration_h=4),
    ):
        expected = {v.id for v in POPULATION if rk.exclusion(req, v, NOW) is None}
        ranked = order(req, POPULATION)
        assert set(ranked) == expected
        assert len(ranked) == len(expected) > 10
        excluded = {rk.exclusion(req, v, NOW) for v in POPULATION} - {None}
        assert excluded >= {"not_active", "kind", "full", "too_far"}


# ---------------------------------------------------------------- combination


def test_combination_of_criteria():
    """Weighted as documented: who helped before and is free comes first; a
    free neighbour who speaks the language beats who helped before but is
    neither free nor near; the language then decides; being near does not
    make up for not being free at all."""
    req = request()
    near = north_of(HEVERLEE, 0.5)
    nearest = north_of(HEVERLEE, 0.3)
    four_km = north_of(HEVERLEE, 4.0)
    eight_km = north_of(HEVERLEE, 8.0)
    free, busy = (rk.Slot(3, 9, 12),), (rk.Slot(5, 9, 12),)
    base = star(radius_km=10.0, max_active=2)
    people = {
        "helped_free_4km": dataclasses.replace(
            base, id=5, latitude=four_km[0], weekly=free
        ),
        "free_neighbour_fr": dataclasses.replace(
            base, id=4, latitude=near[0], weekly=free
        ),
        "helped_busy_8km": dataclasses.replace(
            base, id=3, latitude=eight_km[0], weekly=busy
        ),
        "free_neighbour_nl": dataclasses.replace(
            base, id=2, latitude=near[0], weekly=free, languages=frozenset({"nl"})
        ),
        "busy_nearest": dataclasses.replace(
            base, id=1, latitude=nearest[0], weekly=busy
        ),
    }
    req = request(helped_before=frozenset({5, 3}))
    names = {v.id: name for name, v in people.items()}
    ranked = [names[i] for i in order(req, list(people.values()))]
    assert ranked == [
        "helped_free_4km",
        "free_neighbour_fr",
        "helped_busy_8km",
        "free_neighbour_nl",
        "busy_nearest",
    ]


def test_score_is_the_documented_weighted_sum():
    req = request(helped_before=frozenset({7, 8, 9}))
    total = sum(rk.WEIGHTS.values())
    for suggestion in rk.rank(req, POPULATION, NOW, limit=None):
        parts = dict(suggestion.components)
        assert list(parts) == list(rk.WEIGHTS)
        assert all(0.0 <= value <= 1.0 for value in parts.values())
        expected = 100 * sum(rk.WEIGHTS[k] * v for k, v in parts.items()) / total
        assert suggestion.score == pytest.approx(expected, abs=0.001)
        assert 0.0 <= suggestion.score <= 100.0


def test_weights_can_be_given_per_call():
    req = request()
    near, far = north_of(HEVERLEE, 0.5), north_of(HEVERLEE, 3.0)
    close = star(vid=1, latitude=near[0], weekly=())
    free = star(vid=2, latitude=far[0])
    assert order(req, [close, free]) == [2, 1]
    only_distance = dict.fromkeys(rk.WEIGHTS, 0.0) | {"distance": 1.0}
    ids = [
        s.volunteer_id for s in rk.rank(req, [close, free], NOW, None, only_distance)
    ]
    assert ids == [1, 2]


# ---------------------------------------------------------------- determinism


def test_same_input_same_output_and_shuffled_input_same_output():
    req = request(helped_before=frozenset({11, 12}), excluded=frozenset({13}))
    first = rk.rank(req, POPULATION, NOW, limit=25)
    assert rk.rank(req, POPULATION, NOW, limit=25) == first
    rng = random.Random(22)
    for _ in range(5):
        shuffled = POPULATION[:]
        rng.shuffle(shuffled)
        assert rk.rank(req, shuffled, NOW, limit=25) == first
        assert rk.rank(req, tuple(reversed(shuffled)), NOW, limit=25) == first
    assert rk.rank(req, iter(POPULATION), NOW, limit=25) == first


def test_order_is_by_score_then_id_and_limit_is_the_head():
    req = request(start=None, language=None)  # many equal scores
    everyone = rk.rank(req, POPULATION, NOW, limit=None)
    keys = [(-s.score, s.volunteer_id) for s in everyone]
    assert keys == sorted(keys)
    assert len({s.score for s in everyone}) < len(everyone)  # ties happened
    for limit in (1, 3, 10, 40):
        assert rk.rank(req, POPULATION, NOW, limit=limit) == everyone[:limit]
    assert rk.rank(req, POPULATION, NOW) == everyone[:10]
    assert rk.rank(req, POPULATION, NOW, limit=0) == []
    clones = [dataclasses.replace(star(), id=vid) for vid in (9, 3, 7)]
    assert order(req, clones) == [3, 7, 9]


# ---------------------------------------------------------------- availability


def test_coverage_of_the_requested_time():
    weekly = (rk.Slot(3, 9, 11), rk.Slot(3, 10, 12), rk.Slot(4, 0, 2))
    assert rk.coverage(weekly, 3, 10, 2) == 1.0  # overlapping slots merged
    assert rk.coverage(weekly, 3, 11, 2) == 0.5
    assert rk.coverage(weekly, 3, 12, 1) == 0.0
    assert rk.coverage(weekly, 2, 10, 1) == 0.0
    assert rk.coverage((rk.Slot(3, 22, 24),), 3, 23, 2) == 0.5
    # across midnight into Friday
    assert rk.coverage((rk.Slot(3, 22, 24), rk.Slot(4, 0, 2)), 3, 23, 2) == 1.0
    # Sunday night into Monday
    assert rk.coverage((rk.Slot(6, 23, 24), rk.Slot(0, 0, 1)), 6, 23, 2) == 1.0
    assert rk.coverage(weekly, 3, 9, 0) == 1.0
    assert rk.coverage(weekly, 3, 12, 0) == 0.0


def test_partial_availability_counts_less_than_full_more_than_none():
    req = request(duration_h=2)
    full = rk.score(req, star(weekly=(rk.Slot(3, 10, 12),)), NOW)
    half = rk.score(req, star(weekly=(rk.Slot(3, 11, 12),)), NOW)
    none = rk.score(req, star(weekly=()), NOW)
    assert dict(full.components)["availability"] == 1.0
    assert 0.0 < dict(half.components)["availability"] < 0.5
    assert dict(none.components)["availability"] == 0.0
    assert ("partly_available", {"weekday": 3, "part": "morning", "share": 0.5}) in (
        half.reasons
    )


# ---------------------------------------------------------------- explanations


def test_explanation_of_a_suggestion_in_dutch():
    req = request(start=THURSDAY, helped_before=frozenset({20_000}))
    point = north_of(HEVERLEE, 2.1)
    volunteer = star(
        latitude=point[0],
        longitude=point[1],
        max_active=3,
        active_matches=1,
        last_asked=NOW - dt.timedelta(days=40, hours=3),
    )
    (suggestion,) = rk.rank(req, [volunteer], NOW)
    assert suggestion.distance_km == pytest.approx(2.1, abs=0.001)
    assert rk.explain(suggestion) == [
        "2,1 km",
        "vrij op donderdagvoormiddag",
        "hielp eerder",
        "spreekt Frans",
        "1 van 3 hulpvragen lopend",
        "al 40 dagen niet gevraagd",
    ]
    assert ", ".join(rk.explain(suggestion)).startswith("2,1 km, vrij op donderdag")


def test_explanation_without_position_time_or_language():
    req = request(latitude=None, longitude=None, start=None, language=None)
    volunteer = star(latitude=None, last_asked=None, active_matches=0, max_active=2)
    (suggestion,) = rk.rank(req, [volunteer], NOW)
    assert rk.explain(suggestion) == [
        "helpt in Heverlee",
        "0 van 2 hulpvragen lopend",
        "nog nooit gevraagd",
    ]


@pytest.mark.parametrize(
    ("start", "slot", "phrase"),
    [
        (dt.datetime(2026, 11, 30, 11, 59), (0, 11, 13), "vrij op maandagvoormiddag"),
        (dt.datetime(2026, 12, 1, 12, 0), (1, 11, 13), "vrij op dinsdagnamiddag"),
        (dt.datetime(2026, 12, 2, 16, 59), (2, 16, 19), "vrij op woensdagnamiddag"),
        (dt.datetime(2026, 12, 4, 17, 0), (4, 16, 19), "vrij op vrijdagavond"),
        (
            dt.datetime(2026, 12, 5, 9, 0),
            (5, 13, 15),
            "niet vrij op zaterdagvoormiddag",
        ),
        (dt.datetime(2026, 12, 6, 20, 0), (6, 20, 21), "deels vrij op zondagavond"),
    ],
)
def test_explanation_names_weekday_and_part_of_day(start, slot, phrase):
    req = request(start=start, duration_h=2 if "deels" in phrase else 0.5)
    (suggestion,) = rk.rank(req, [star(weekly=(rk.Slot(*slot),))], NOW)
    assert phrase in rk.explain(suggestion)


def test_every_suggestion_of_the_population_is_explained():
    req = request(helped_before=frozenset(range(1, 500, 7)))
    suggestions = rk.rank(req, POPULATION, NOW, limit=None)
    assert len(suggestions) > 10
    for suggestion in suggestions:
        phrases = rk.explain(suggestion)
        assert len(phrases) == len(suggestion.reasons)
        assert all(isinstance(p, str) and p for p in phrases)
        if suggestion.distance_km is not None:
            assert re.fullmatch(r"\d+,\d km", phrases[0])
        lines = "\n".join(phrases)
        assert re.search(r"^\d van \d hulpvragen lopend$", lines, re.MULTILINE)


def test_small_words():
    assert rk.explain(rk.Suggestion(1, 50.0, 12.34, (("distance", {"km": 12.3}),)))
    one_day = rk.Suggestion(1, 1.0, None, (("not_asked_lately", {"days": 1}),))
    assert rk.explain(one_day) == ["al 1 dag niet gevraagd"]
    other = rk.Suggestion(1, 1.0, None, (("language", {"lang": "xx"}),))
    assert rk.explain(other) == ["spreekt xx"]


# ---------------------------------------------------------------- geometry


def test_distance_is_the_haversine_of_the_suite():
    req = request()
    rng = random.Random(22)
    for _ in range(50):
        lat = CENTRE[0] + rng.uniform(-0.05, 0.05)
        lon = CENTRE[1] + rng.uniform(-0.05, 0.05)
        got = rk.score(req, star(latitude=lat, longitude=lon, radius_km=50), NOW)
        expected = distance_m(HEVERLEE[0], HEVERLEE[1], lat, lon) / 1000
        assert got.distance_km == pytest.approx(expected, abs=0.001)


def test_radius_edge_and_inputs_as_plain_collections():
    req = request(district=None)
    point = north_of(HEVERLEE, 2.0)
    inside = rk.Volunteer(
        1, ["groceries"], point[0], point[1], [], 2.01, [], [], 2, 0, ["nl"],
        "active", True, None,
    )  # fmt: skip
    assert isinstance(inside.kinds, frozenset) and isinstance(inside.weekly, tuple)
    assert rk.exclusion(req, inside, NOW) is None
    outside = dataclasses.replace(inside, radius_km=1.99)
    assert rk.exclusion(req, outside, NOW) == "too_far"


def test_aware_and_naive_times_mix():
    aware_now = NOW.replace(tzinfo=dt.UTC)
    volunteer = star(last_asked=NOW - dt.timedelta(days=30))
    suggestion = rk.score(request(), volunteer, aware_now)
    assert ("not_asked_lately", {"days": 30}) in suggestion.reasons


def test_quick_coverage_agrees_with_the_full_computation():
    rng = random.Random(22)
    for volunteer in POPULATION:
        for _ in range(5):
            weekday = rng.randrange(7)
            hour = rng.choice((0, 8, 9, 9.5, 10, 11, 12.5, 14, 18, 22, 23.5))
            duration = rng.choice((0, 0.5, 1, 1.5, 2, 3, 5))
            assert rk._coverage_fast(
                volunteer.weekly, weekday, hour, duration
            ) == pytest.approx(rk.coverage(volunteer.weekly, weekday, hour, duration))
    adjacent = (rk.Slot(3, 9, 10), rk.Slot(3, 10, 11))
    assert rk._coverage_fast(adjacent, 3, 10, 0) == 1.0
    assert rk._coverage_fast(adjacent, 3, 9.5, 1) == 1.0


def test_top_of_the_ranking_equals_the_head_of_the_full_ranking():
    """rank() stops computing volunteers who cannot reach the top: the top
    must still be exactly the head of the full ranking, for many requests."""
    rng = random.Random(22)
    everyone_open = [
        dataclasses.replace(
            v, state="active", kinds=frozenset(KINDS), max_active=9, absences=()
        )
        for v in POPULATION
    ]
    for _ in range(40):
        req = request(
            kind=rng.choice(KINDS),
            latitude=rng.choice((None, CENTRE[0] + rng.uniform(-0.03, 0.03))),
            district=rng.choice((None, *DISTRICTS)),
            start=rng.choice((None, THURSDAY + dt.timedelta(hours=rng.randint(0, 90)))),
            duration_h=rng.choice((0.5, 1, 3)),
            language=rng.choice((None, "fr", "ar")),
            helped_before=frozenset(rng.sample(range(1, 501), 20)),
        )
        for pool in (POPULATION, everyone_open):
            full = rk.rank(req, pool, NOW, limit=None)
            for limit in (1, 5, 10, 30):
                assert rk.rank(req, pool, NOW, limit=limit) == full[:limit]
    negative = dict(rk.WEIGHTS, fairness=-5.0)  # no shortcut with these
    full = rk.rank(request(), POPULATION, NOW, limit=None, weights=negative)
    assert rk.rank(request(), POPULATION, NOW, limit=10, weights=negative) == full[:10]


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(0.0, 0.0), (False, False), (50.86, None), (None, 4.7)]
)
def test_empty_coordinates_are_no_position(latitude, longitude):
    volunteer = star(latitude=latitude, longitude=longitude)
    assert (volunteer.latitude, volunteer.longitude) == (None, None)
    req = request(latitude=latitude, longitude=longitude)
    assert (req.latitude, req.longitude) == (None, None)
    # in his district: suggested, without a distance
    assert rk.score(request(), volunteer, NOW).distance_km is None
    assert rk.score(req, star(), NOW).distance_km is None

#!/usr/bin/env python3
"""Leuven Helpt: suggestions for one request among N volunteers (pure ranking).

Generates (seeded) volunteers with weekly availability patterns, absences,
kinds, districts or a radius, loads, languages and screening states, and many
help requests; then times ``leuven.helpt.ranking.rank`` for one request at a
time, in this process, over the already built dataclasses.

Included: the exclusions and the score of every volunteer, the sort and the
top 10 (``rank(..., limit=10)``); in the second row also ``explain`` of those
10. NOT included: reading the volunteers and the case from the database and
building the dataclasses (the addon's ``_helpt_suggestions``), nor any HTTP.

    .venv/bin/python bench/helpt_ranking.py [--volunteers 5000 --requests 500]
"""

import argparse
import dataclasses
import datetime as dt
import gc
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

import common

from leuven.helpt import ranking as rk
from leuven.helpt.districts import DISTRICTS

KINDS = ("groceries", "transport", "company", "small_jobs", "paperwork")
NEEDS_GOOD_CONDUCT = {"transport", "company"}
LANGUAGES = ("fr", "en", "ar", "tr", "pl", "es", "de", "so")
# rough centres of the five districts (latitude, longitude)
CENTRES = {
    "leuven": (50.8798, 4.7005),
    "heverlee": (50.8640, 4.6960),
    "kessel_lo": (50.8880, 4.7300),
    "wilsele": (50.9020, 4.6970),
    "wijgmaal": (50.9280, 4.7000),
}
NOW = dt.datetime(2026, 11, 29, 12, 0)
LIMIT = 10
TARGET_MS = 50.0  # pure ranking's share of the 200 ms per suggestion list


def _weekly(rng):
    """A weekly pattern: a few fixed half-days, sometimes evenings/weekend."""
    slots = []
    for _ in range(rng.randint(1, 6)):
        day = rng.choices(range(7), weights=(5, 5, 5, 5, 5, 3, 2))[0]
        start = rng.choice((8.0, 9.0, 9.5, 10.0, 13.0, 13.5, 14.0, 17.0, 18.5))
        slots.append(rk.Slot(day, start, min(start + rng.choice((2, 3, 4)), 24.0)))
    return tuple(slots)


def volunteers(count, seed=22):
    rng = random.Random(seed)
    codes = [code for code, _name, _postcodes in DISTRICTS]
    result = []
    for vid in range(1, count + 1):
        home = rng.choice(codes)
        lat, lon = CENTRES[home]
        known = rng.random() < 0.95
        absences = []
        for _ in range(rng.choices((0, 1, 2, 3), weights=(5, 3, 1, 1))[0]):
            first = NOW.date() + dt.timedelta(days=rng.randint(-20, 120))
            absences.append((first, first + dt.timedelta(days=rng.randint(0, 21))))
        maximum = rng.randint(1, 4)
        districts = {home} | set(rng.sample(codes, rng.randint(0, 2)))
        result.append(
            rk.Volunteer(
                id=vid,
                kinds=frozenset(rng.sample(KINDS, rng.randint(1, 3))),
                latitude=lat + rng.gauss(0, 0.008) if known else None,
                longitude=lon + rng.gauss(0, 0.012) if known else None,
                districts=frozenset(districts) if rng.random() < 0.6 else frozenset(),
                radius_km=rng.choice((None, 2.0, 3.0, 5.0, 8.0)),
                weekly=_weekly(rng),
                absences=tuple(absences),
                max_active=maximum,
                active_matches=rng.choices(
                    range(maximum + 1), weights=[4] + [2] * maximum
                )[0],
                languages=frozenset(
                    {"nl"} | set(rng.sample(LANGUAGES, rng.randint(0, 2)))
                ),
                state=rng.choices(("active", "applied", "withdrawn"), (85, 10, 5))[0],
                good_conduct=rng.random() < 0.6,
                last_asked=(
                    None
                    if rng.random() < 0.25
                    else NOW
                    - dt.timedelta(days=rng.randint(0, 180), hours=rng.randint(0, 23))
                ),
            )
        )
    return result


def requests(count, population_size, seed=23):
    rng = random.Random(seed)
    codes = [code for code, _name, _postcodes in DISTRICTS]
    result = []
    for _ in range(count):
        kind = rng.choice(KINDS)
        district = rng.choice(codes)
        lat, lon = CENTRES[district]
        located = rng.random() < 0.9
        timed = rng.random() < 0.85
        start = NOW + dt.timedelta(
            days=rng.randint(0, 30),
            hours=rng.randint(-4, 8),
            minutes=rng.choice((0, 30)),
        )
        result.append(
            rk.Request(
                kind=kind,
                needs_good_conduct=kind in NEEDS_GOOD_CONDUCT,
                latitude=lat + rng.gauss(0, 0.008) if located else None,
                longitude=lon + rng.gauss(0, 0.012) if located else None,
                district=district,
                start=start if timed else None,
                duration_h=rng.choice((0.5, 1.0, 1.5, 2.0, 3.0)),
                recurring=rng.random() < 0.3,
                language=rng.choice((None, None, "nl", "fr", "en", "ar")),
                helped_before=frozenset(
                    rng.sample(range(1, population_size + 1), rng.randint(0, 3))
                ),
                excluded=frozenset(
                    rng.sample(range(1, population_size + 1), rng.randint(0, 5))
                ),
            )
        )
    return result


def open_everyone(population):
    """The worst case: every volunteer active, offering every kind, no load
    limit reached, no absence, no geographic limit: all are scored."""
    return [
        dataclasses.replace(
            v,
            kinds=frozenset(KINDS),
            districts=frozenset(),
            radius_km=None,
            absences=(),
            max_active=5,
            active_matches=0,
            state="active",
            good_conduct=True,
        )
        for v in population
    ]


def _time(population, reqs, with_explain=False, warmup=20):
    """Wall and CPU milliseconds of each request's ranking, and how many
    volunteers the first 100 requests scored (not excluded)."""
    wall, cpu, eligible = [], [], []
    for index, request in enumerate([*reqs[:warmup], *reqs]):
        started, started_cpu = time.perf_counter(), time.thread_time()
        suggestions = rk.rank(request, population, NOW, limit=LIMIT)
        if with_explain:
            for suggestion in suggestions:
                rk.explain(suggestion)
        if index >= warmup:
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
    for request in reqs[:100]:
        eligible.append(len(rk.rank(request, population, NOW, limit=None)))
    return wall, cpu, eligible


def run(volunteer_count=5000, request_count=500, seed=22):
    common.info(f"helpt: {volunteer_count} volunteers, {request_count} requests")
    population = volunteers(volunteer_count, seed)
    reqs = requests(request_count, volunteer_count, seed + 1)
    scale = f"{volunteer_count:,} volunteers, {request_count} requests"
    rows = []
    measures = (
        ("Helpt: rank() top 10 of one request (pure)", population, False),
        ("Helpt: rank() top 10 + explain() of the 10 (pure)", population, True),
        ("Helpt: rank() worst case: none excluded (pure)", open_everyone(population),
         False),
    )  # fmt: skip
    for label, pool, with_explain in measures:
        gc.collect()
        wall, cpu, eligible = _time(pool, reqs, with_explain)
        _p50, p95 = common.latency(wall)
        cpu_p50, cpu_p95 = common.latency(cpu)
        result = (
            f"{common.fmt_latency(wall)}; CPU p95 {cpu_p95:.1f} ms, p50 "
            f"{cpu_p50:.1f} ms; eligible volunteers per request: median "
            f"{statistics.median(eligible):.0f}, max {max(eligible)}"
        )
        rows.append(
            common.Row(
                label, scale, result, f"p95 < {TARGET_MS:.0f} ms", ok=p95 < TARGET_MS
            )
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volunteers", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args(argv)
    rows = run(args.volunteers, args.requests, args.seed)
    common.print_table(rows, "Leuven Helpt ranking")
    print(
        "Included: exclusions, score, sort and top 10 over dataclasses already in\n"
        "memory (and explain() of the 10 where said); wall time, and CPU time of\n"
        "the thread. NOT included: the addon's loading of volunteers and case\n"
        "from the database into the dataclasses."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

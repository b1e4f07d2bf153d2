#!/usr/bin/env python3
"""KCC read latency at scale, as the real users see it.

On a database filled by ``kcc_data`` (a copy of the template): the customer
360° view (the partner form's KCC history) as a KCC agent, a handler's "my
groups' open cases" list, the KCC "late cases" list, both through
``web_search_read`` with the list view's fields (limit 80) as the web client
calls it, and a citizen's portal page ``/my/cases`` over HTTP with a logged-in
portal session against Odoo on loopback. p50/p95 over the samples, after a
warm-up; the ORM cache is emptied between samples (one request each).

    .venv/bin/python bench/kcc_latency.py [--partners 200000 --cases 1000000
        --contacts 3000000] [--samples 200] [--db kcc_bench_data --reuse]
"""

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import kcc_data

NAMED = {"fields": {"display_name": {}}}
CASE_LIST_SPEC = {
    "priority": {},
    "name": {},
    "subject": {},
    "case_type": {},
    "channel": {},
    "partner_id": NAMED,
    "category_id": NAMED,
    "handler_group_id": NAMED,
    "user_id": NAMED,
    "date_received": {},
    "deadline": {},
    "state": {},
    "is_late": {},
    "is_open": {},
}
# the partner form's KCC part: stat buttons and the two history lists
PARTNER_360_SPEC = {
    "display_name": {},
    "kcc_open_case_count": {},
    "kcc_case_count": {},
    "kcc_contact_count": {},
    "kcc_history_case_ids": {
        "fields": {
            "name": {},
            "date_received": {},
            "subject": {},
            "partner_id": NAMED,
            "handler_group_id": NAMED,
            "citizen_state": {},
            "state": {},
            "is_late": {},
            "is_open": {},
        },
        "limit": 40,
    },
    "kcc_history_contact_ids": {
        "fields": {
            "date": {},
            "channel": {},
            "summary": {},
            "case_id": NAMED,
            "user_id": NAMED,
        },
        "limit": 40,
    },
}
# what the web client's list view sends (countLimit 10000 + 1)
COUNT_LIMIT = 10001
# the "My Groups" and "Open" filters of the handler's queue
MY_GROUPS = [("in_my_groups", "=", True), ("is_open", "=", True)]
LATE = [("is_late", "=", True), ("is_open", "=", True)]


def timed(func, samples, warmup, invalidate):
    for index in range(warmup):
        func(index)
        invalidate()
    timings = []
    for index in range(samples):
        invalidate()
        started = time.perf_counter()
        func(index)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def users(env):
    Users = env["res.users"].with_context(active_test=False)
    by_login = {u.login: u for u in Users.search([("login", "like", "bench.%")])}
    staff = [u for login, u in sorted(by_login.items()) if "staff" in login]
    citizens = [u for login, u in sorted(by_login.items()) if "citizen" in login]
    return by_login["bench.agent"], [by_login["bench.handler"], *staff], citizens


def orm_latencies(dbname, samples, warmup=20):
    rows = []
    with common.environment(dbname) as (env, cr):
        agent, handlers, _citizens = users(env)
        # customers the way agents meet them: the partner of a random case
        cr.execute(
            "SELECT partner_id FROM kcc_case WHERE partner_id IS NOT NULL "
            "ORDER BY random() LIMIT %s",
            [samples + warmup],
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT max(n) FROM (SELECT count(*) n FROM kcc_case "
            "WHERE commercial_partner_id IS NOT NULL GROUP BY commercial_partner_id) t"
        )
        heaviest = cr.fetchone()[0]
        Partner = env["res.partner"].with_user(agent)

        def partner_360(index):
            Partner.browse(partner_ids[index % len(partner_ids)]).web_read(
                PARTNER_360_SPEC
            )

        timings = timed(partner_360, samples, warmup, env.invalidate_all)
        _p50, p95 = common.latency(timings)
        rows.append(
            common.Row(
                "customer 360° (agent, partner form)",
                f"{samples} customers, up to {heaviest:,} cases each",
                common.fmt_latency(timings),
                "p95 < 50 ms",
                ok=p95 < 50,
                key="customer_lookup",
                value=p95,
            )
        )

        def queue(index):
            user = handlers[index % len(handlers)]
            env["kcc.case"].with_user(user).web_search_read(
                MY_GROUPS, CASE_LIST_SPEC, limit=80, count_limit=COUNT_LIMIT
            )

        timings = timed(queue, samples, warmup, env.invalidate_all)
        _p50, p95 = common.latency(timings)
        open_count = env["kcc.case"].search_count([("is_open", "=", True)])
        rows.append(
            common.Row(
                "handler: my groups' open cases (list, 80)",
                f"{len(handlers)} handlers, {open_count:,} open cases",
                common.fmt_latency(timings),
                "p95 < 50 ms",
                ok=p95 < 50,
                key="team_queue",
                value=p95,
            )
        )
        Case = env["kcc.case"].with_user(agent)

        def late(index):
            Case.web_search_read(
                LATE, CASE_LIST_SPEC, limit=80, count_limit=COUNT_LIMIT
            )

        timings = timed(late, samples, warmup, env.invalidate_all)
        _p50, p95 = common.latency(timings)
        late_count = env["kcc.case"].search_count(LATE)
        rows.append(
            common.Row(
                "KCC: late cases filter (list, 80)",
                f"{late_count:,} late of {open_count:,} open",
                common.fmt_latency(timings),
                "p95 < 50 ms",
                ok=p95 < 50,
            )
        )
        cr.rollback()
    return rows


def login(session, url, login_name, password=kcc_data.PASSWORD):
    page = session.get(f"{url}/web/login", timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(
        f"{url}/web/login",
        data={"login": login_name, "password": password, "csrf_token": token},
        timeout=60,
        allow_redirects=False,
    )
    if response.status_code not in (302, 303):
        raise RuntimeError(f"login of {login_name} failed ({response.status_code})")
    return session


def portal_latency(dbname, samples, warmup=20):
    import requests

    with common.environment(dbname) as (env, _cr):
        _agent, _handlers, citizens = users(env)
        logins = [c.login for c in citizens]
        sizes = [
            env["kcc.case"].search_count(
                [("partner_id", "child_of", c.partner_id.commercial_partner_id.id)]
            )
            for c in citizens
        ]
    with common.Server(dbname, workers=2) as server:
        sessions = [login(requests.Session(), server.url, name) for name in logins]
        timings = []
        for index in range(warmup + samples):
            session = sessions[index % len(sessions)]
            started = time.perf_counter()
            response = session.get(f"{server.url}/my/cases", timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200 or "o_portal" not in response.text:
                raise RuntimeError(f"/my/cases answered {response.status_code}")
            if index >= warmup:
                timings.append(elapsed)
    _p50, p95 = common.latency(timings)
    return [
        common.Row(
            "citizen: portal /my/cases (HTTP)",
            f"{len(logins)} citizens, {min(sizes)}-{max(sizes)} cases each",
            common.fmt_latency(timings),
            "p95 < 300 ms",
            ok=p95 < 300,
            key="portal_list",
            value=p95,
        )
    ]


def run(dbname, samples=200):
    return orm_latencies(dbname, samples) + portal_latency(dbname, samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=200000)
    parser.add_argument("--cases", type=int, default=1000000)
    parser.add_argument("--contacts", type=int, default=3000000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--db", default=f"{common.PREFIX}data")
    parser.add_argument(
        "--reuse", action="store_true", help="use --db as it is (made by kcc_data)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    rows = []
    try:
        if not args.reuse:
            rows += kcc_data.build(args.db, args.partners, args.cases, args.contacts)[0]
        rows += run(args.db, args.samples)
        common.print_table(rows, "KCC latency at scale")
    finally:
        if not (args.keep or args.reuse):
            common.drop_db(args.db)


if __name__ == "__main__":
    random.seed(1)
    main()

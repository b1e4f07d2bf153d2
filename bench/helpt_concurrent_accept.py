#!/usr/bin/env python3
"""Leuven Helpt: 20 concurrent accepts of one proposal, exactly one wins.

On a copy of a template with ``leuven_helpt`` installed (no demo data), one
request is proposed to one volunteer; Odoo serves it on loopback (several
workers) and 20 sessions open the link of the volunteer's e-mail and press
"Accept" at the same moment (POST with each session's CSRF token). A session
wins when it is sent back to the page without a refusal; the database must
then hold exactly one accepted match. Bounded: 20 requests, 60 s timeout.

    .venv/bin/python bench/helpt_concurrent_accept.py [--sessions 20]
        [--workers 4] [--keep]
"""

import argparse
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TEMPLATE = "kcc_bench_helpt_tpl"
DB = "kcc_bench_helpt_accept"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def prepare(dbname):
    """One request proposed to one screened volunteer; (match id, token)."""
    with common.environment(dbname) as (env, cr):
        kind = env["helpt.help.kind"].search([], limit=1)
        category = env["kcc.case.category"].create(
            {
                "name": "Leuven Helpt (bench)",
                "handler_group_id": env.ref("leuven_kcc.kcc_handler_group_kcc").id,
                "is_helpt": True,
            }
        )
        partner = env["res.partner"].create(
            {"name": "Vrijwilliger Bench", "email": "bench.vrijwilliger@example.com"}
        )
        volunteer = env["helpt.volunteer"].create(
            {"partner_id": partner.id, "state": "active", "kind_ids": kind.ids}
        )
        case = env["kcc.case"]._intake(
            {
                "subject": "Boodschappen (bench)",
                "contact_name": "Aanvrager Bench",
                "contact_phone": "+32 16 00 00 00",
                "postcode": "3000",
                "category_id": category.id,
            },
            "phone",
        )
        case.write({"helpt_kind_id": kind.id, "helpt_urgency": "week"})
        match = case._helpt_propose(volunteer)
        cr.commit()
        return match.id, match.access_token


def accept(url, match_id, token, barrier, results, index):
    import requests

    session = requests.Session()
    page = f"{url}/my/helpt/{match_id}?access_token={token}"
    try:
        found = CSRF.search(session.get(page, timeout=60).text)
        if not found:
            results[index] = "no form"
            return
        barrier.wait(timeout=60)
        response = session.post(
            f"{url}/my/helpt/{match_id}/accept",
            data={"csrf_token": found.group(1), "access_token": token},
            allow_redirects=False,
            timeout=60,
        )
        location = response.headers.get("Location", "")
        if response.status_code in (302, 303) and "error=" not in location:
            results[index] = "won"
        elif "error=" in location:
            results[index] = "refused"
        else:
            results[index] = f"HTTP {response.status_code}"
    except Exception as err:  # noqa: BLE001 - reported, not hidden
        results[index] = f"{type(err).__name__}: {err}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    sessions = max(2, min(args.sessions, 50))
    common.ensure_template(TEMPLATE, ["leuven_helpt"])
    common.copy_db(TEMPLATE, DB)
    try:
        match_id, token = prepare(DB)
        with common.Server(DB, workers=args.workers) as server:
            barrier = threading.Barrier(sessions)
            results = [None] * sessions
            threads = [
                threading.Thread(
                    target=accept,
                    args=(server.url, match_id, token, barrier, results, index),
                )
                for index in range(sessions)
            ]
            started = time.time()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
            elapsed = time.time() - started
        accepted = common.psql(
            DB,
            "SELECT count(*) FROM helpt_match "
            f"WHERE id = {int(match_id)} AND state = 'accepted'",
        )
        won = results.count("won")
        print(
            f"{sessions} concurrent accepts in {elapsed:.1f}s: {won} won, "
            f"{results.count('refused')} refused, accepted matches in the "
            f"database: {accepted}"
        )
        others = [r for r in results if r not in ("won", "refused")]
        if others:
            print("other outcomes:", others)
        return 0 if won == 1 and accepted == "1" else 1
    finally:
        if not args.keep:
            common.drop_db(DB)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Escalation cron at scale: wall time and queries against open and due cases.

A copy of the template gets ``--open`` open cases (COPY), ``2 x --due`` of
which are past their deadline. The cron's work is run as the cron runner does
it: one batch (``_escalate_batch``), commit, again while work remains. Three
runs show what its cost follows: (open, due), (open, 2 x due) and
(open / 2, due).

    .venv/bin/python bench/kcc_escalation.py [--open 100000 --due 2000]
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import kcc_data

DB = f"{common.PREFIX}escalation"


def plain_org(org):
    """What the rows need, read before COPY starts (no query during COPY)."""
    categories = [(c.id, c.handler_group_id.id) for c in org["categories"]]
    members = {g.id: g.member_ids.ids for g in org["groups"]}
    return categories, members


def open_case_rows(first_id, count, late, plain, partners, rng, now, company_id):
    """``count`` open cases; the first ``late`` are past their deadline."""
    today = now.date()
    categories, members = plain
    for index in range(count):
        cid = first_id + index
        category, group = categories[index % len(categories)]
        if index < late:
            deadline = today - dt.timedelta(days=rng.randint(1, 30))
        else:
            deadline = today + dt.timedelta(days=rng.randint(4, 40))
        received = now - dt.timedelta(days=rng.randint(1, 40))
        state = rng.choice(("new", "assigned", "in_progress"))
        user = rng.choice(members[group]) if state != "new" else None
        partner, commercial = partners[rng.randrange(len(partners))]
        yield kcc_data.line(
            (cid, f"ESC/{cid:07d}", "Put in het voetpad", "bench", "report",
             "phone", partner, commercial, None, None, "Naamsestraat 1", "3000",
             "Leuven", category, group, user, "0", state,
             kcc_data.CITIZEN_STATE_OF[state], True, received, deadline, None, None,
             None, False, index < late, True, False, "category", company_id,
             received, received, 1, 1)
        )  # fmt: skip


def prepare(open_count, due):
    """The database with ``open_count`` open cases, ``2 * due`` of them late."""
    common.ensure_template(kcc_data.TEMPLATE, ["leuven_kcc"])
    common.copy_db(kcc_data.TEMPLATE, DB)
    rng = random.Random(11)
    now = dt.datetime.now().replace(microsecond=0)
    with common.environment(DB) as (env, cr):
        org = kcc_data.make_organisation(env, rng=rng)
        cr.commit()
        company_id = env.company.id
        first = kcc_data.next_id(cr, "res_partner")
        partners = []

        def partner_lines():
            for text, key in kcc_data.partner_rows(first, 5000, company_id, rng, now):
                partners.append(key)
                yield text

        kcc_data.copy_rows(cr, "res_partner", kcc_data.PARTNER_COLUMNS, partner_lines())
        kcc_data.set_sequence(cr, "res_partner")
        first_case = kcc_data.next_id(cr, "kcc_case")
        kcc_data.copy_rows(
            cr,
            "kcc_case",
            kcc_data.CASE_COLUMNS,
            open_case_rows(
                first_case,
                open_count,
                2 * due,
                plain_org(org),
                partners,
                rng,
                now,
                company_id,
            ),
        )
        kcc_data.set_sequence(cr, "kcc_case")
        cr.execute("ANALYZE res_partner, kcc_case")
        cr.commit()
        return first_case


def reset(cr, first_case, open_count, due, total_open):
    """Make ``due`` late cases not escalated yet and ``open_count`` cases open."""
    from odoo.tools import SQL

    cr.execute(
        SQL(
            "UPDATE kcc_case SET escalated = (id >= %s), "
            "is_open = (id < %s), state = CASE WHEN id < %s THEN 'in_progress' "
            "ELSE 'closed' END, citizen_state = CASE WHEN id < %s "
            "THEN 'in_treatment' ELSE 'closed' END WHERE id >= %s",
            first_case + due,
            first_case + open_count,
            first_case + open_count,
            first_case + open_count,
            first_case,
        )
    )
    cr.execute("ANALYZE kcc_case")
    cr.commit()


def escalate(env, cr):
    """The cron runner's loop: one batch, commit, again; (seconds, queries)."""
    import odoo.sql_db

    Case = env["kcc.case"]
    queries = odoo.sql_db.sql_counter
    started = time.perf_counter()
    batches = handled = 0
    while True:
        done, remaining = Case._escalate_batch()
        cr.commit()
        env.invalidate_all()
        batches += 1
        handled += done
        if not done or not remaining:
            break
    return (
        time.perf_counter() - started,
        odoo.sql_db.sql_counter - queries,
        batches,
        handled,
    )


def run(open_count=100000, due=2000):
    rows = []
    started = time.perf_counter()
    first_case = prepare(open_count, due)
    rows.append(
        common.Row(
            "escalation data (COPY)",
            f"{open_count:,} open cases",
            f"{time.perf_counter() - started:.1f} s",
        )
    )
    runs = [(open_count, due), (open_count, 2 * due), (open_count // 2, due)]
    results = []
    with common.environment(DB) as (env, cr):
        for index, (opened, late) in enumerate(runs):
            reset(cr, first_case, opened, late, open_count)
            seconds, queries, batches, handled = escalate(env, cr)
            results.append((opened, late, seconds, queries, handled))
            target = "< 10 s" if index == 0 else ""
            rows.append(
                common.Row(
                    "escalation cron, wall time",
                    f"{opened:,} open, {late:,} due",
                    f"{seconds:.1f} s, {queries:,} queries, {batches} batches, "
                    f"{handled:,} handled ({queries / max(handled, 1):.1f} q/case)",
                    target,
                    ok=seconds < 10 if index == 0 else None,
                )
            )
    base, double_due, half_open = results
    rows.append(
        common.Row(
            "escalation cost follows due cases",
            "2x due / 1x; 1/2 open / 1x",
            f"time x{double_due[2] / base[2]:.2f}, queries x"
            f"{double_due[3] / base[3]:.2f}; time x{half_open[2] / base[2]:.2f}, "
            f"queries x{half_open[3] / base[3]:.2f}",
            "~2x; ~1x",
        )
    )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=100000)
    parser.add_argument("--due", type=int, default=2000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    try:
        rows = run(args.open, args.due)
        common.print_table(rows, "KCC escalation cron")
    finally:
        if not args.keep:
            common.drop_db(DB)


if __name__ == "__main__":
    main()

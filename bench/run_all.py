#!/usr/bin/env python3
"""Every KCC benchmark in one command, one table.

Data at scale (COPY), read latency as the real users, intake in-process and
over HTTP, the escalation cron, the same intake and lookups on the OCA
``helpdesk_mgmt`` 18.0 addon for comparison, then a bounded load run (5
minutes, ``--minutes 30`` for the full one) and the planning endpoint down,
and the fault run (``faults``: the load again with the planning and DOSIS
endpoints down for ``--outage-minutes`` and PostgreSQL restarted mid-run),
and ``guidance``: trajectories, dwellings and partner organisations' grants,
the citizen's portal and the partners' lists with the plans of the access
rules' SQL, and ``helpt``: Leuven Helpt's ranking of volunteers (pure, no
database).
Each part makes and drops its own ``kcc_bench_*`` database, talks to
127.0.0.1 only and stops by itself.

The defaults (a tenth of the city's volume) are meant to take 10-15 minutes
on 2 cores; ``--full`` uses the issue's volume (200,000 partners, 1,000,000
cases, 3,000,000 contacts).

    make bench                      # or .venv/bin/python bench/run_all.py
    make bench BENCH_ARGS=--full
    make bench BENCH_ARGS="--only data,latency --cases 300000"

``make bench`` finds Odoo like ``make run`` (``ODOO_PATH`` or an importable
``odoo``) and uses the virtualenv of ``LEUVEN_VENV`` (``tools/devenv.py``).
"""

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

PARTS = (
    "data", "latency", "intake", "escalation", "peer", "load", "faults", "guidance",
    "helpt",
)  # fmt: skip
FULL = {"partners": 200000, "cases": 1000000, "contacts": 3000000}
DEFAULT = {"partners": 20000, "cases": 100000, "contacts": 300000}


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the issue's volume")
    parser.add_argument("--partners", type=int)
    parser.add_argument("--cases", type=int)
    parser.add_argument("--contacts", type=int)
    parser.add_argument("--samples", type=int, default=200, help="per latency")
    parser.add_argument("--intake-cases", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200, help="per HTTP run")
    parser.add_argument("--open", type=int, default=100000, help="escalation")
    parser.add_argument("--due", type=int, default=2000, help="escalation")
    parser.add_argument("--minutes", type=float, default=5, help="load run")
    parser.add_argument("--rate", type=float, default=4.0, help="load run, req/s")
    parser.add_argument("--outage-minutes", type=float, default=10, help="faults")
    parser.add_argument("--drain-minutes", type=float, default=30, help="faults")
    parser.add_argument("--trajectories", type=int, default=20000, help="guidance")
    parser.add_argument("--dwellings", type=int, default=30000, help="guidance")
    parser.add_argument("--organisations", type=int, default=50, help="guidance")
    parser.add_argument("--volunteers", type=int, default=5000, help="helpt")
    parser.add_argument("--help-requests", type=int, default=500, help="helpt")
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma separated: {', '.join(PARTS)}"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data database")
    args = parser.parse_args(argv)
    volume = FULL if args.full else DEFAULT
    for key, value in volume.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.only = {p.strip() for p in args.only.split(",") if p.strip()}
    unknown = args.only - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return args


def part(rows, name, func, *args):
    """Run one benchmark; a failure is a row, the others still run."""
    common.info(f"{name}: start (load {common.load_now()})")
    started = time.perf_counter()
    try:
        result = func(*args)
    except Exception as exc:  # noqa: BLE001 - reported in the table
        traceback.print_exc()
        rows.append(common.Row(name, "", f"FAILED: {exc}"[:120], ok=False))
        return None
    common.info(f"{name}: done in {time.perf_counter() - started:.0f}s")
    return result


def compare(rows, peer):
    """Fill the ours/peer column where both sides measured the same thing."""
    for row in rows:
        if row.key and row.key in peer and peer[row.key]:
            row.peer = f"{row.value / peer[row.key]:.2f}x"


def main(argv=None):
    args = parse(argv)
    import guidance_access
    import helpdesk_peer
    import helpt_ranking
    import kcc_data
    import kcc_escalation
    import kcc_intake
    import kcc_latency
    import kcc_load

    rows = []
    data_db = f"{common.PREFIX}data"
    scale = f"{args.partners:,} partners, {args.cases:,} cases"
    started = time.perf_counter()
    try:
        if args.only & {"data", "latency", "intake"}:
            built = part(
                rows,
                "data",
                kcc_data.build,
                data_db,
                args.partners,
                args.cases,
                args.contacts,
            )
            if built:
                rows += built[0]
                if "latency" in args.only:
                    rows += part(rows, "latency", kcc_latency.run, data_db,
                                 args.samples) or []  # fmt: skip
                if "intake" in args.only:
                    rows += part(rows, "intake", kcc_intake.run, data_db,
                                 args.intake_cases, args.requests) or []  # fmt: skip
            if not args.keep:
                common.drop_db(data_db)
        if "escalation" in args.only:
            rows += (
                part(rows, "escalation", kcc_escalation.run, args.open, args.due) or []
            )
            common.drop_db(kcc_escalation.DB)
        if "peer" in args.only:
            peer = part(
                rows,
                "peer",
                helpdesk_peer.run,
                args.partners,
                args.cases,
                args.samples,
                args.intake_cases,
                args.requests,
            )
            if peer:
                peer_rows, figures = peer
                rows += peer_rows
                compare(rows, figures)
        if "load" in args.only:
            rows += part(rows, "load", kcc_load.run, args.minutes, args.rate) or []
        if "faults" in args.only:
            rows += part(rows, "faults", kcc_load.fault_run,
                         args.outage_minutes + 4, args.rate, args.outage_minutes,
                         args.drain_minutes) or []  # fmt: skip
        if "guidance" in args.only:
            rows += part(rows, "guidance", guidance_access.build_and_run,
                         args.trajectories, args.dwellings, args.organisations,
                         args.samples, args.keep) or []  # fmt: skip
        if "helpt" in args.only:
            rows += part(rows, "helpt", helpt_ranking.run, args.volunteers,
                         args.help_requests) or []  # fmt: skip
    finally:
        if not args.keep:
            common.drop_db(data_db)
    common.print_table(rows, f"KCC benchmarks ({scale})")
    print(
        f"total {time.perf_counter() - started:.0f} s; ours/peer: above 1 is "
        "better for rates (cases/s), below 1 is better for latencies"
    )
    return 1 if any(r.result.startswith("FAILED") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

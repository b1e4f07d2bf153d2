#!/usr/bin/env python3
"""Bounded load and fault runs.

Load: for ``--minutes`` (default 5; 30 for the full run) requests start at a
fixed rate (open loop, ``--rate`` per second) against Odoo on loopback
(``--workers=2``): website forms ``/kcc/submit`` (half), citizens' portal
``/my/cases`` (30 %), agents' actions over JSON-RPC (20 %: the open-case list,
then "assign to me" on one case). Checks: no error, every accepted form is
exactly one case (its idempotency key); the server's memory is sampled.

Outbox outage: the crews' planning endpoint (a stand-in on loopback) answers
503 while work orders are queued and the delivery cron runs; when it is back
(and the retry time has come) everything queued is delivered, each work
order exactly once (counted by its ``Idempotency-Key`` at the endpoint), and
running the cron again sends nothing more.

Faults (``--faults``): the same load with ``leuven_burgerprofiel`` installed
and the server's own cron worker running; the agents assign citizens' cases
of a planning category, so every action queues a work order and a status for
Mijn Burgerprofiel (DOSIS). The planning and DOSIS stand-ins answer 503 for
``--outage-minutes`` (default 10) and PostgreSQL is restarted in the middle
of the outage (``pg_ctlcluster ... restart``; reported as not run when that
is not allowed). Visitors retry a failed form with the same submission token,
as the browser does. Afterwards the run waits (at most ``--drain-minutes``)
for the outbox to empty by itself, with the product's back-off. Checks: no
submitted form lost or doubled, every queued message delivered, each key
exactly once at the endpoint.

    .venv/bin/python bench/kcc_load.py [--minutes 5] [--rate 4]
    .venv/bin/python bench/kcc_load.py --faults [--outage-minutes 10]
"""

import argparse
import json
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import kcc_data
import kcc_intake
import kcc_latency

CITIZENS = 5
SHARES = {"form": 50, "portal": 30, "agent": 20}
FORM_RETRIES = 20  # a visitor tries again every 3 s for a minute
BP_TEMPLATE = f"{common.PREFIX}bp_template"


def national_number(serial):
    """A well-formed INSZ of someone born on 1 January 1980."""
    base = int(f"800101{serial:03d}")
    return f"{base:09d}{97 - base % 97:02d}"


def prepare(dbname, pool=0):
    """Citizens with a portal login and some cases each; with ``pool``, that
    many new cases of those citizens in a planning category for the agents."""
    rng = random.Random(9)
    with common.environment(dbname) as (env, cr):
        cr.execute(
            "SELECT id FROM res_partner WHERE partner_share ORDER BY id LIMIT 50"
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        citizens = partner_ids[:CITIZENS]
        kcc_data.make_portal_users(env, partner_ids, CITIZENS)
        categories = env["kcc.case.category"].search([]).ids
        planning = env["kcc.case.category"].browse(categories[0])
        if pool:
            planning.planning_system = True
            for serial, pid in enumerate(citizens, start=1):
                env["res.partner"].browse(pid).national_number = national_number(serial)
        for index, pid in enumerate(citizens * 20):
            values = kcc_intake.intake_values(rng, index, [pid], categories)
            values["partner_id"] = pid
            env["kcc.case"]._intake(values, "portal", idempotency_key=f"load:{index}")
        for index in range(pool):
            values = kcc_intake.intake_values(rng, index, [], [planning.id])
            values.update(partner_id=citizens[index % CITIZENS], case_type="report")
            values.update(street="Naamsestraat 12", postcode="3000", city="Leuven")
            env["kcc.case"]._intake(values, "phone", idempotency_key=f"pool:{index}")
        cr.commit()
        return categories, planning.id


class Faults:
    """What goes wrong during a fault run, at which second of the load."""

    def __init__(self, dbname, endpoints, outage, restart_at, category, drain):
        self.dbname = dbname
        self.drain_minutes = drain
        self.endpoints = endpoints
        self.outage = outage  # (start, end) in seconds
        self.restart_at = restart_at
        self.category = category
        self.restart = None  # (started, seconds, error) once done

    def tick(self, elapsed):
        """Called by the load loop; changes the world when its time has come."""
        self.endpoints.up = not (self.outage[0] <= elapsed < self.outage[1])
        if self.restart is None and elapsed >= self.restart_at:
            self.restart = (elapsed, None, None)
            threading.Thread(target=self._restart, daemon=True).start()

    def _restart(self):
        started = time.perf_counter()
        error = restart_postgres()
        self.restart = (self.restart[0], time.perf_counter() - started, error)


def restart_postgres():
    """Restart the local PostgreSQL cluster; returns None or why it was not."""
    try:
        clusters = subprocess.run(
            ["pg_lsclusters", "--no-header"],
            check=False,
            capture_output=True,
            text=True,
        ).stdout.split()
    except OSError as exc:
        return f"pg_lsclusters: {exc}"
    if len(clusters) < 2:
        return "no local cluster found (pg_lsclusters)"
    result = subprocess.run(
        ["pg_ctlcluster", clusters[0], clusters[1], "restart", "-m", "fast"],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return (result.stderr or result.stdout).strip()[:200] or "restart refused"
    return None


class Visitors:
    """The load's users: visitors with forms, citizens, agents; what they see."""

    def __init__(self, server, dbname, run_id, categories, faults):
        import requests

        self.requests = requests
        self.server = server
        self.dbname = dbname
        self.faults = faults
        self.stats = {kind: [] for kind in ("form", "portal", "agent")}
        self.errors = []
        self.accepted = []
        self.submitted = set()
        self.retried = Counter()
        self.memory = []
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.local = threading.local()
        self.citizens = [
            kcc_latency.login(requests.Session(), server.url, f"bench.citizen{i:02d}")
            for i in range(CITIZENS)
        ]
        self.form = kcc_intake.web_form_submit(server.url, run_id, categories)
        self.agent_domain = [("is_open", "=", True)]
        if faults:  # citizens' cases of the planning category
            self.agent_domain += [
                ("state", "=", "new"),
                ("category_id", "=", faults.category),
            ]

    def call(self, model, method, args, kwargs=None):
        if not hasattr(self.local, "agent"):
            self.local.agent = kcc_intake.jsonrpc_login(
                self.server.url, self.dbname, "bench.agent"
            )
        response = self.local.agent.post(
            f"{self.server.url}/web/dataset/call_kw/{model}/{method}",
            json={"jsonrpc": "2.0", "method": "call",
                  "params": {"model": model, "method": method, "args": args,
                             "kwargs": kwargs or {}}},
            timeout=60,
        ).json()  # fmt: skip
        if response.get("error"):
            raise RuntimeError(response["error"]["data"]["message"])
        return response.get("result")  # a method returning None: no "result"

    def submit_form(self, index):
        """A visitor sends the form and, when it fails, sends it again."""
        for attempt in range(FORM_RETRIES):
            try:
                self.form(self.requests.Session(), 0, index, on_post=self.submitted.add)
                break
            except Exception:
                if attempt + 1 == FORM_RETRIES:
                    raise
                with self.lock:
                    self.retried["form"] += 1
                time.sleep(3)
        with self.lock:
            self.accepted.append(index)

    def portal(self, index):
        response = self.citizens[index % CITIZENS].get(
            f"{self.server.url}/my/cases", timeout=60
        )
        if response.status_code != 200:
            raise RuntimeError(f"/my/cases {response.status_code}")

    def agent(self, index):
        page = self.call(
            "kcc.case", "web_search_read",
            [self.agent_domain, kcc_latency.CASE_LIST_SPEC],
            {"limit": 80, "count_limit": 10001},
        )  # fmt: skip
        new = [r["id"] for r in page["records"] if r["state"] == "new"]
        if new:
            pick = new[index % len(new)] if self.faults else new[0]
            self.call("kcc.case", "action_assign_to_me", [[pick]])

    def one(self, index, kind):
        started = time.perf_counter()
        action = {"form": self.submit_form, "portal": self.portal, "agent": self.agent}
        try:
            action[kind](index)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            with self.lock:
                when = time.monotonic() - self.start
                self.errors.append((when, f"{kind}: {exc!r}"[:200]))
            return
        with self.lock:
            self.stats[kind].append((time.perf_counter() - started) * 1000)


def load_run(dbname, minutes, rate, categories, faults=None):
    run_id = uuid.uuid4().hex[:8]
    extra = {"max_cron_threads": "1"} if faults else None
    with common.Server(dbname, workers=2, extra=extra) as server:
        visitors = Visitors(server, dbname, run_id, categories, faults)
        rng = random.Random(4)
        deadline = time.monotonic() + minutes * 60
        next_sample = 0.0
        with ThreadPoolExecutor(max_workers=16) as pool:
            index = 0
            start = visitors.start = time.monotonic()
            while time.monotonic() < deadline:
                if faults:
                    faults.tick(time.monotonic() - start)
                draw = rng.random()
                kind = "form" if draw < 0.5 else "portal" if draw < 0.8 else "agent"
                pool.submit(visitors.one, index, kind)
                index += 1
                if time.monotonic() >= next_sample:
                    visitors.memory.append(server.rss_mb())
                    next_sample = time.monotonic() + 10
                time.sleep(max(0.0, start + index / rate - time.monotonic()))
        visitors.memory.append(server.rss_mb())
        drained = drain(dbname, faults) if faults else None
    return load_rows(dbname, run_id, minutes, rate, visitors, faults, drained)


def load_rows(dbname, run_id, minutes, rate, visitors, faults, drained):
    """The table of a load run, checked against the cases in the database."""
    stats, errors, accepted = visitors.stats, visitors.errors, visitors.accepted
    submitted, retried, memory = visitors.submitted, visitors.retried, visitors.memory
    with common.environment(dbname) as (_env, cr):
        cr.execute(
            "SELECT idempotency_key, count(*) FROM kcc_case "
            "WHERE idempotency_key LIKE %s GROUP BY 1",
            [f"web:{run_id}-%"],
        )
        cases = dict(cr.fetchall())
    sent = sum(len(v) for v in stats.values()) + len(errors)
    title = "faults" if faults else "load"
    during = []
    if faults and faults.restart and faults.restart[1] is not None:
        # while PostgreSQL restarts (and 30 s after) requests may fail: the
        # visitors retry their forms; what fails then is counted apart
        begin, seconds, _error = faults.restart
        during = [m for t, m in errors if begin <= t <= begin + seconds + 30]
        errors = [(t, m) for t, m in errors if not begin <= t <= begin + seconds + 30]
    messages = [m for _t, m in errors]
    rows = [
        common.Row(
            f"{title}: {kind} ({SHARES[kind]} %)",
            f"{minutes:g} min at {rate:g}/s, {len(stats[kind])} requests",
            common.fmt_latency(stats[kind]) if stats[kind] else "none",
        )
        for kind in stats
    ]
    keys = {f"web:{token}" for token in submitted}
    lost = keys - cases.keys()
    doubled = [key for key, count in cases.items() if count > 1]
    rows += [
        common.Row(
            f"{title}: errors" + (" outside the database restart" if faults else ""),
            f"{sent} requests"
            + (f", {retried['form']} form retries" if faults else ""),
            f"{len(messages)}"
            + (f" ({Counter(messages).most_common(1)[0][0]})" if messages else ""),
            "0",
            ok=not messages,
        ),
        common.Row(
            f"{title}: every submitted form is one case",
            f"{len(submitted)} forms submitted, {len(accepted)} acknowledged",
            f"{len(cases)} cases; lost {len(lost)}, doubled {len(doubled)}",
            "lost 0, doubled 0",
            ok=not lost and not doubled and len(cases) == len(submitted),
        ),
        common.Row(
            f"{title}: server memory (all workers)",
            f"{len(memory)} samples",
            f"{memory[0]:.0f} MB at start, max {max(memory):.0f} MB, "
            f"{memory[-1]:.0f} MB at the end",
        ),
    ]
    if faults:
        rows.append(
            common.Row(
                "faults: requests failed while the database restarted",
                "restart + 30 s",
                f"{len(during)}"
                + (f" ({Counter(during).most_common(1)[0][0]})" if during else ""),
            )
        )
        rows += fault_rows(faults, drained)
    return rows


# ---------------------------------------------------------------- endpoints


class Endpoints(BaseHTTPRequestHandler):
    """The remote services: down (503) or up (201); keys counted per path."""

    up = False
    keys = Counter()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not Endpoints.up:
            self.send_response(503)
            self.end_headers()
            return
        Endpoints.keys[(self.path, self.headers.get("Idempotency-Key"))] += 1
        body = json.dumps({"ok": True}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class EndpointServer:
    """The stand-ins on a loopback port, started and stopped with ``with``."""

    def __enter__(self):
        Endpoints.keys.clear()
        Endpoints.up = True
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoints)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    @property
    def up(self):
        return Endpoints.up

    @up.setter
    def up(self, value):
        Endpoints.up = value

    def received(self, path):
        return Counter({k: v for (p, k), v in Endpoints.keys.items() if p == path})

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def configure_endpoints(env, base):
    """Point the outbox's endpoints at the stand-ins (no authentication)."""
    paths = {"planning": "/work-orders"}
    if "national_number" in env["res.partner"]._fields:
        env["ir.config_parameter"].set_param("leuven_burgerprofiel.dosis_enabled", "1")
        paths["dosis"] = "/dosis/status"
        paths["dosis_notification"] = "/dosis/notificatie"
    Endpoint = env["kcc.outbox.endpoint"].with_context(active_test=False)
    for code, path in paths.items():
        endpoint = Endpoint.search([("code", "=", code)], limit=1)
        endpoint.write(
            {
                "url": f"{base}{path}",
                "auth_type": "none",
                "read_timeout": 2,
                "active": True,
            }
        )


# ---------------------------------------------------------------- outbox outage


def outbox_outage(dbname, orders=50):
    rng = random.Random(6)
    with EndpointServer() as endpoints, common.environment(dbname) as (env, cr):
        configure_endpoints(env, endpoints.base)
        category = env["kcc.case.category"].search([], limit=1)
        category.planning_system = True
        agent = env["res.users"].search([("login", "=", "bench.agent")])
        cases = env["kcc.case"]
        for index in range(orders):
            values = kcc_intake.intake_values(rng, 0, [], [category.id])
            values["subject"] = f"Wegdek verzakt {index}"
            cases |= env["kcc.case"]._intake(values, "phone")
        cases.with_user(agent).action_assign_to_me()
        cr.commit()
        Outbox = env["kcc.outbox"]
        keys = set(Outbox.search([("target", "=", "planning")]).mapped("key"))
        endpoints.up = False
        for _round in range(3):  # the cron runs while the endpoint is down
            Outbox._cron_deliver()
            cr.commit()
            cr.execute(  # the retry time comes (instead of waiting for it)
                "UPDATE kcc_outbox SET next_attempt = date_trunc('second', "
                "now() at time zone 'UTC') - interval '1 second' "
                "WHERE state = 'pending'"
            )
        attempts_down = sum(
            Outbox.search([("key", "in", list(keys))]).mapped("attempts")
        )
        endpoints.up = True
        for _round in range(10):
            Outbox._cron_deliver()
            cr.commit()
            if not Outbox.search_count(Outbox._due_domain()):
                break
        Outbox._cron_deliver()  # once more: nothing may go out twice
        cr.commit()
        env.invalidate_all()
        sent = Outbox.search_count([("key", "in", list(keys)), ("state", "=", "sent")])
        states = Counter(cases.mapped("work_order_state"))
        received = endpoints.received("/work-orders")
    received = Counter({k: v for k, v in received.items() if k in keys})
    once = all(received[k] == 1 for k in keys)
    return [
        common.Row(
            "outbox: planning endpoint down, then back",
            f"{len(keys)} work orders, {attempts_down} failed attempts while down",
            f"{sent} sent, received {sum(received.values())} "
            f"({len(received)} distinct keys), work orders {dict(states)}",
            "all, exactly once",
            ok=sent == len(keys) and once and len(received) == len(keys),
        )
    ]


# ---------------------------------------------------------------- fault run


def drain(dbname, faults, limit_minutes=None):
    """Wait until the server's cron has delivered the whole outbox."""
    limit_minutes = limit_minutes or faults.drain_minutes
    started = time.monotonic()
    pending = None
    while time.monotonic() - started < limit_minutes * 60:
        try:
            with common.environment(dbname) as (_env, cr):
                cr.execute("SELECT count(*) FROM kcc_outbox WHERE state = 'pending'")
                pending = cr.fetchone()[0]
        except Exception:  # noqa: BLE001 - the database may still be coming back
            pending = None
        if pending == 0:
            break
        time.sleep(15)
    return pending, time.monotonic() - started


def fault_rows(faults, drained):
    pending, waited = drained
    with common.environment(faults.dbname) as (_env, cr):
        cr.execute(
            "SELECT target, state, count(*), sum(attempts) FROM kcc_outbox "
            "GROUP BY 1, 2 ORDER BY 1, 2"
        )
        by_target = cr.fetchall()
        cr.execute("SELECT target, key FROM kcc_outbox")
        queued = cr.fetchall()
    paths = {
        "planning": "/work-orders",
        "dosis": "/dosis/status",
        "dosis_notification": "/dosis/notificatie",
    }
    received = {t: faults.endpoints.received(p) for t, p in paths.items()}
    twice = sum(1 for counts in received.values() for n in counts.values() if n > 1)
    missing = sum(1 for target, key in queued if not received[target].get(key))
    summary = ", ".join(
        f"{target} {state} {count} ({attempts} attempts)"
        for target, state, count, attempts in by_target
    )
    started, seconds, error = faults.restart or (None, None, "not reached")
    return [
        common.Row(
            "faults: PostgreSQL restarted mid-run",
            f"at {started:.0f} s" if started is not None else "",
            f"restarted in {seconds:.1f} s" if not error else f"not run: {error}",
            "",
        ),
        common.Row(
            "faults: planning and DOSIS endpoints down",
            f"{(faults.outage[1] - faults.outage[0]) / 60:g} min",
            f"outbox empty {waited / 60:.1f} min after the load"
            if pending == 0
            else f"{pending} still pending after {waited / 60:.1f} min",
            "all delivered",
            ok=pending == 0,
        ),
        common.Row(
            "faults: every queued message delivered, once",
            f"{len(queued)} queued: {summary}",
            f"missing {missing}, received twice {twice}",
            "missing 0, twice 0",
            ok=missing == 0 and twice == 0,
        ),
    ]


def fault_database():
    """Like the intake's small database, with Mijn Burgerprofiel installed."""
    common.ensure_template(
        BP_TEMPLATE,
        ["leuven_kcc", "leuven_burgerprofiel"],
        digest_paths=[
            common.ROOT / "addons" / "leuven_kcc",
            common.ROOT / "addons" / "leuven_burgerprofiel",
        ],
    )
    return kcc_intake.small_database(
        template=BP_TEMPLATE, name=f"{common.PREFIX}faults"
    )


def fault_run(minutes, rate, outage_minutes, drain_minutes):
    dbname = fault_database()
    try:
        pool = int(minutes * 60 * rate * SHARES["agent"] / 100 * 1.5) + 50
        with EndpointServer() as endpoints:
            with common.environment(dbname) as (env, cr):
                configure_endpoints(env, endpoints.base)
                # the delivery job every minute instead of every five
                env.ref("leuven_kcc.ir_cron_kcc_outbox").interval_number = 1
                cr.commit()
            categories, planning = prepare(dbname, pool=pool)
            start = 60.0
            faults = Faults(
                dbname,
                endpoints,
                outage=(start, start + outage_minutes * 60),
                restart_at=start + outage_minutes * 30,
                category=planning,
                drain=drain_minutes,
            )
            return load_run(dbname, minutes, rate, categories, faults=faults)
    finally:
        common.drop_db(dbname)


def run(minutes=5, rate=4.0):
    dbname = kcc_intake.small_database()
    try:
        categories, _planning = prepare(dbname)
        rows = load_run(dbname, minutes, rate, categories)
        rows += outbox_outage(dbname)
    finally:
        common.drop_db(dbname)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--rate", type=float, default=4.0, help="requests/s")
    parser.add_argument("--faults", action="store_true", help="the fault run")
    parser.add_argument("--outage-minutes", type=float, default=10)
    parser.add_argument("--drain-minutes", type=float, default=30)
    args = parser.parse_args()
    if args.faults:
        minutes = args.minutes or args.outage_minutes + 4
        rows = fault_run(minutes, args.rate, args.outage_minutes, args.drain_minutes)
        common.print_table(rows, "KCC faults")
    else:
        rows = run(args.minutes or 5, args.rate)
        common.print_table(rows, "KCC load and faults")


if __name__ == "__main__":
    main()

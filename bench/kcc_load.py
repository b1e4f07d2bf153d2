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

PostgreSQL restarted mid-run is not part of it: the cluster is shared with
other work on this machine.

    .venv/bin/python bench/kcc_load.py [--minutes 5] [--rate 4]
"""

import argparse
import json
import random
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


def prepare(dbname):
    """Citizens with a portal login and some cases each."""
    rng = random.Random(9)
    with common.environment(dbname) as (env, cr):
        cr.execute(
            "SELECT id FROM res_partner WHERE partner_share ORDER BY id LIMIT 50"
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        kcc_data.make_portal_users(env, partner_ids, CITIZENS)
        categories = env["kcc.case.category"].search([]).ids
        for index, pid in enumerate(partner_ids[:CITIZENS] * 20):
            values = kcc_intake.intake_values(rng, index, [pid], categories)
            values["partner_id"] = pid
            env["kcc.case"]._intake(values, "portal", idempotency_key=f"load:{index}")
        cr.commit()
        return categories


def load_run(dbname, minutes, rate, categories):
    import requests

    run_id = uuid.uuid4().hex[:8]
    stats = {kind: [] for kind in ("form", "portal", "agent")}
    errors = []
    accepted = []
    memory = []
    lock = threading.Lock()
    local = threading.local()
    with common.Server(dbname, workers=2) as server:
        citizens = [
            kcc_latency.login(requests.Session(), server.url, f"bench.citizen{i:02d}")
            for i in range(CITIZENS)
        ]
        form = kcc_intake.web_form_submit(server.url, run_id, categories)

        def agent_session():
            if not hasattr(local, "agent"):
                local.agent = kcc_intake.jsonrpc_login(
                    server.url, dbname, "bench.agent"
                )
            return local.agent

        def call(session, model, method, args, kwargs=None):
            response = session.post(
                f"{server.url}/web/dataset/call_kw/{model}/{method}",
                json={"jsonrpc": "2.0", "method": "call",
                      "params": {"model": model, "method": method, "args": args,
                                 "kwargs": kwargs or {}}},
                timeout=60,
            ).json()  # fmt: skip
            if response.get("error"):
                raise RuntimeError(response["error"]["data"]["message"])
            return response.get("result")  # a method returning None: no "result"

        def one(index, kind):
            started = time.perf_counter()
            try:
                if kind == "form":
                    form(requests.Session(), 0, index)
                    with lock:
                        accepted.append(index)
                elif kind == "portal":
                    response = citizens[index % CITIZENS].get(
                        f"{server.url}/my/cases", timeout=60
                    )
                    if response.status_code != 200:
                        raise RuntimeError(f"/my/cases {response.status_code}")
                else:
                    session = agent_session()
                    page = call(
                        session, "kcc.case", "web_search_read",
                        [[("is_open", "=", True)], kcc_latency.CASE_LIST_SPEC],
                        {"limit": 80, "count_limit": 10001},
                    )  # fmt: skip
                    new = [r["id"] for r in page["records"] if r["state"] == "new"]
                    if new:
                        call(session, "kcc.case", "action_assign_to_me", [new[:1]])
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{kind}: {exc!r}"[:200])
                return
            with lock:
                stats[kind].append((time.perf_counter() - started) * 1000)

        rng = random.Random(4)
        deadline = time.monotonic() + minutes * 60
        next_sample = 0.0
        with ThreadPoolExecutor(max_workers=16) as pool:
            index = 0
            start = time.monotonic()
            while time.monotonic() < deadline:
                draw = rng.random()
                kind = "form" if draw < 0.5 else "portal" if draw < 0.8 else "agent"
                pool.submit(one, index, kind)
                index += 1
                if time.monotonic() >= next_sample:
                    memory.append(server.rss_mb())
                    next_sample = time.monotonic() + 10
                time.sleep(max(0.0, start + index / rate - time.monotonic()))
        memory.append(server.rss_mb())
    with common.environment(dbname) as (env, _cr):
        cases = env["kcc.case"].search_count(
            [("idempotency_key", "=like", f"web:{run_id}-%")]
        )
    sent = sum(len(v) for v in stats.values()) + len(errors)
    rows = [
        common.Row(
            f"load: {kind} ({SHARES[kind]} %)",
            f"{minutes} min at {rate}/s, {len(stats[kind])} requests",
            common.fmt_latency(stats[kind]) if stats[kind] else "none",
        )
        for kind in stats
    ]
    rows += [
        common.Row(
            "load: errors",
            f"{sent} requests",
            f"{len(errors)}"
            + (f" ({Counter(errors).most_common(1)[0][0]})" if errors else ""),
            "0",
            ok=not errors,
        ),
        common.Row(
            "load: every accepted form is one case",
            f"{len(accepted)} forms accepted",
            f"{cases} cases",
            "equal",
            ok=cases == len(accepted),
        ),
        common.Row(
            "load: server memory (all workers)",
            f"{len(memory)} samples",
            f"{memory[0]:.0f} MB at start, max {max(memory):.0f} MB, "
            f"{memory[-1]:.0f} MB at the end",
        ),
    ]
    return rows


# ---------------------------------------------------------------- outbox outage


class Planning(BaseHTTPRequestHandler):
    """The crews' planning system: down (503) or up (201, keys counted)."""

    up = False
    keys = Counter()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not Planning.up:
            self.send_response(503)
            self.end_headers()
            return
        Planning.keys[self.headers.get("Idempotency-Key")] += 1
        body = json.dumps({"ok": True}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def outbox_outage(dbname, orders=50):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Planning)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/work-orders"
    rng = random.Random(6)
    try:
        with common.environment(dbname) as (env, cr):
            env["ir.config_parameter"].set_param("leuven_kcc.planning_url", url)
            env["ir.config_parameter"].set_param("leuven_kcc.outbox_read_timeout", 2)
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
            Planning.up = False
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
            Planning.up = True
            for _round in range(10):
                Outbox._cron_deliver()
                cr.commit()
                if not Outbox.search_count(Outbox._due_domain()):
                    break
            Outbox._cron_deliver()  # once more: nothing may go out twice
            cr.commit()
            env.invalidate_all()
            sent = Outbox.search_count(
                [("key", "in", list(keys)), ("state", "=", "sent")]
            )
            states = Counter(cases.mapped("work_order_state"))
    finally:
        server.shutdown()
    received = Counter({k: v for k, v in Planning.keys.items() if k in keys})
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


def run(minutes=5, rate=4.0):
    dbname = kcc_intake.small_database()
    try:
        categories = prepare(dbname)
        rows = load_run(dbname, minutes, rate, categories)
        rows += outbox_outage(dbname)
    finally:
        common.drop_db(dbname)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--rate", type=float, default=4.0, help="requests/s")
    args = parser.parse_args()
    rows = run(args.minutes, args.rate)
    common.print_table(rows, "KCC load and faults")


if __name__ == "__main__":
    main()

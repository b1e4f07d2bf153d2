#!/usr/bin/env python3
"""Guidance trajectories at scale: the citizen's portal and the partner
organisations' access, with the plans of the access rules' SQL.

On a database filled by ``guidance_data`` (20,000 trajectories, 30,000
dwellings, 50 partner organisations with their grants):

* a citizen's portal page of one of his trajectories and his list
  (``/my/trajectories/<id>``, ``/my/trajectories``), over HTTP with a
  logged-in portal session against Odoo on loopback (2 workers);
* a partner organisation user's trajectory list and dwelling list as the web
  client asks them (``web_search_read`` with the list view's fields, limit 80,
  in-process ``with_user``), and his portal list over HTTP;
* the SQL those lists run (captured from the cursor), each with
  ``EXPLAIN (ANALYZE, BUFFERS)``: no sequential scan of ``guidance_trajectory``,
  ``guidance_dwelling`` or ``kcc_consent`` may appear.

p50/p95 over the samples, after a warm-up; the ORM cache is emptied between
samples (one request each); the queries per request are counted, by the
function they come from. ``--addons FOLDER`` measures the addons of that
folder (e.g. ``git archive <commit> addons`` unpacked) instead of the working
tree's. Exit status 1 when a target is missed.

    .venv/bin/python bench/guidance_access.py [--trajectories 20000
        --dwellings 30000 --organisations 50] [--samples 200]
        [--db kcc_bench_guidance --reuse] [--keep] [--addons FOLDER]
"""

import argparse
import contextlib
import re
import statistics
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import guidance_data
import kcc_latency

NAMED = {"fields": {"display_name": {}}}
# the list views' fields (guidance_trajectory_view_list, guidance_dwelling_view_list)
TRAJECTORY_LIST_SPEC = {
    "name": {},
    "partner_id": NAMED,
    "type_id": NAMED,
    "stage_id": NAMED,
    "coach_id": NAMED,
    "date_start": {},
    "next_appointment": {},
}
DWELLING_LIST_SPEC = {
    "display_name": {},
    "address_register_id": {},
    "construction_year": {},
    "heating_type": {},
}
# the fields every reader of a granted record may see: the list when the list
# view's fields fail for a partner user (a record without the category)
TRAJECTORY_BASE_SPEC = {
    name: spec for name, spec in TRAJECTORY_LIST_SPEC.items() if name != "partner_id"
}
DWELLING_BASE_SPEC = {
    "display_name": {},
    "address_register_id": {},
    "postcode": {},
    "city": {},
}
COUNT_LIMIT = kcc_latency.COUNT_LIMIT
WATCHED = ("guidance_trajectory", "guidance_dwelling", "kcc_consent")
TARGET_PAGE = 150
TARGET_PARTNER_LIST = 100
CITIZEN_LOGINS = 12
PARTNER_LOGINS = 6
PAGE = "citizen: portal trajectory page (HTTP)"
LIST = "citizen: portal /my/trajectories (HTTP)"
PARTNER_LIST = "partner: portal /my/trajectories (HTTP)"


# ---------------------------------------------------------------- queries


@contextlib.contextmanager
def captured_queries():
    """Every query this thread runs meanwhile: [(sql, params, ms)]."""
    queries = []
    thread = threading.current_thread()
    hooks = list(getattr(thread, "query_hooks", ()))

    def hook(_cr, query, params, _start, delay):
        queries.append((str(query), params, delay * 1000, origin()))

    thread.query_hooks = [*hooks, hook]
    try:
        yield queries
    finally:
        thread.query_hooks = hooks


def origin():
    """The innermost function of the suite's addons on the stack (where the
    query comes from), else the innermost of Odoo's addons."""
    stack = traceback.extract_stack()[:-3]
    for frame in reversed(stack):
        if "/leuven_" in frame.filename and "/addons/" in frame.filename:
            path = Path(frame.filename)
            return (
                f"{path.parent.parent.name}/{path.parent.name}/{path.name}:{frame.name}"
            )
    for frame in reversed(stack):
        if "/addons/" in frame.filename:
            return f"{Path(frame.filename).name}:{frame.name}"
    return "odoo"


def main_table(sql):
    found = re.search(r'\bFROM\s+"?([a-z_]+)"?', sql, flags=re.IGNORECASE)
    return found and found.group(1)


def explain(cr, sql, params, seqscan=True):
    """The plan of ``sql``; ``seqscan=False``: the plan PostgreSQL makes when
    it may not scan a table (which index the query can use, and its cost)."""
    if not seqscan:
        # its cost then exceeds the JIT's threshold: not what the query costs
        cr.execute("SET enable_seqscan = off; SET jit = off")
    try:
        cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cr.fetchall())
    finally:
        if not seqscan:
            cr.execute("RESET enable_seqscan; RESET jit")


def execution_ms(plan):
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return float(found.group(1)) if found else 0.0


def indexes_in(plan, table):
    return sorted(
        set(re.findall(rf"Index (?:Only )?Scan using (\w+) on {table}\b", plan))
        | set(re.findall(rf"Bitmap Index Scan on ({table}\w*)", plan))
    )


def seq_scanned(plan):
    return {table for table in WATCHED if re.search(rf"Seq Scan on {table}\b", plan)}


# ---------------------------------------------------------------- in-process


def timed(func, samples, warmup, invalidate):
    return kcc_latency.timed(func, samples, warmup, invalidate)


def users(env):
    Users = env["res.users"].with_context(active_test=False)
    citizens = Users.search([("login", "like", "bench.citizen%")], order="login")
    partners = Users.search([("login", "like", "bench.partner%")], order="login")
    return citizens, partners


def grant_counts(cr, organisation_ids):
    cr.execute(
        "SELECT organisation_id, count(*) FROM kcc_consent "
        "WHERE trajectory_id IS NOT NULL AND state = 'active' "
        "AND (valid_until IS NULL OR valid_until >= current_date) "
        "AND organisation_id = ANY(%s) GROUP BY organisation_id",
        [organisation_ids],
    )
    return dict(cr.fetchall())


def orm_latencies(dbname, samples, warmup=20, addons=()):
    """The partner user's lists in-process; returns (rows, plans, queries,
    failures)."""
    rows, plans, profile, failures = [], [], [], []
    guidance_data.use_addons(dbname, addons)
    with common.environment(dbname, addons) as (env, cr):
        _citizens, partners = users(env)
        counts = grant_counts(
            cr, [u.partner_id.commercial_partner_id.id for u in partners]
        )
        lows, highs = min(counts.values()), max(counts.values())
        cr.execute("SELECT count(*) FROM guidance_trajectory")
        n_trajectories = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM guidance_dwelling")
        n_dwellings = cr.fetchone()[0]
        scale = (
            f"{len(partners)} organisations, {lows}-{highs} active grants each, "
            f"{n_trajectories:,} trajectories"
        )
        cases = (
            ("trajectory", "guidance.trajectory", TRAJECTORY_LIST_SPEC,
             TRAJECTORY_BASE_SPEC, "partner: trajectory list (web_search_read, 80)",
             scale),
            ("dwelling", "guidance.dwelling", DWELLING_LIST_SPEC, DWELLING_BASE_SPEC,
             "partner: dwelling list (web_search_read, 80)",
             f"{len(partners)} organisations, {n_dwellings:,} dwellings"),
        )  # fmt: skip
        for key, model, spec, base_spec, label, size in cases:
            checked = partners[:5]
            failed = list_view_failures(env, checked, model, spec)
            if failed:
                failures.append((label, failed, len(checked)))
                spec = base_spec
                label = label.replace(", 80)", ", 80, base fields)")

            def listing(index, model=model, spec=spec):
                user = partners[index % len(partners)]
                return (
                    env[model]
                    .with_user(user)
                    .web_search_read([], spec, limit=80, count_limit=COUNT_LIMIT)
                )

            timings = timed(listing, samples, warmup, env.invalidate_all)
            _p50, p95 = common.latency(timings)
            # one more request, its queries counted and the SQL kept
            env.invalidate_all()
            with captured_queries() as queries:
                result = listing(0)
            profile.append((label, queries, result["length"]))
            for sql, params, _ms, _origin in queries:
                table = main_table(sql)
                if table in WATCHED and sql.lstrip().upper().startswith("SELECT"):
                    plan = explain(cr, sql, params)
                    forced = None
                    if seq_scanned(plan):
                        forced = explain(cr, sql, params, seqscan=False)
                    plans.append((label, table, sql, params, plan, forced))
            rows.append(
                common.Row(
                    label,
                    size,
                    common.fmt_latency(timings) + f", {len(queries)} queries",
                    f"p95 < {TARGET_PARTNER_LIST} ms",
                    ok=p95 < TARGET_PARTNER_LIST,
                    key=f"guidance_partner_{key}_list",
                    value=p95,
                )
            )
        cr.rollback()
    return rows, plans, profile, failures


def list_view_failures(env, partners, model, spec):
    """``{error: count}`` of the partner users whose list with the list
    view's fields fails."""
    failed = {}
    for user in partners:
        try:
            with env.cr.savepoint():
                env[model].with_user(user).web_search_read(
                    [], spec, limit=80, count_limit=COUNT_LIMIT
                )
        except Exception as error:  # noqa: BLE001 - reported
            text = f"{type(error).__name__}: {error}"[:100]
            failed[text] = failed.get(text, 0) + 1
        env.invalidate_all()
    return failed


# ---------------------------------------------------------------- HTTP


def request_queries(log_path, start_offset, path_pattern):
    """Queries per request of ``path_pattern`` in the server's werkzeug log
    (Odoo appends ``query count, query time, remaining time``)."""
    counts = []
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        handle.seek(start_offset)
        for text in handle:
            found = re.search(
                r'"GET (\S+) HTTP/[\d.]+" 200 - (\d+) ([\d.]+) ([\d.]+)', text
            )
            if found and re.fullmatch(path_pattern, found.group(1)):
                counts.append(int(found.group(2)))
    return counts


def server_error(log_path, start_offset, url):
    """The answer's status and the server's error for ``url``."""
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        handle.seek(start_offset)
        text = handle.read()
    errors = re.findall(r"^(\w+Error: .*)$", text, flags=re.MULTILINE)
    status = re.findall(rf'"GET {re.escape(url)} HTTP/[\d.]+" (\d+)', text)
    return f"{url} answered {status[-1] if status else '?'}" + (
        f" ({errors[-1]})" if errors else ""
    )


def http_latencies(dbname, samples, warmup=20, addons=()):
    import requests

    with common.environment(dbname, addons) as (env, cr):
        citizens, partners = users(env)
        Trajectory = env["guidance.trajectory"]
        mine = {}
        for user in citizens[:CITIZEN_LOGINS]:
            commercial = user.partner_id.commercial_partner_id
            mine[user.login] = Trajectory.search(
                [("commercial_partner_id", "=", commercial.id)]
            ).ids
        partner_logins = [u.login for u in partners[:PARTNER_LOGINS]]
        cr.rollback()
    pages = [(login, tid) for login, ids in mine.items() for tid in ids]
    per_citizen = sorted(len(ids) for ids in mine.values())
    rows = []
    extra = {"log_handler": "werkzeug:INFO"}
    with common.Server(dbname, workers=2, extra_addons=addons, extra=extra) as server:
        logins = [*mine, *partner_logins]
        # a login hashes the password (seconds here): two at a time
        with ThreadPoolExecutor(2) as pool:
            sessions = dict(
                zip(
                    logins,
                    pool.map(
                        lambda name: kcc_latency.login(
                            requests.Session(), server.url, name
                        ),
                        logins,
                    ),
                )
            )

        def measure(urls, marker):
            offset = server.log.stat().st_size if server.log.exists() else 0
            timings = []
            for index in range(warmup + samples):
                login, url = urls[index % len(urls)]
                started = time.perf_counter()
                response = sessions[login].get(f"{server.url}{url}", timeout=60)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200 or marker not in response.text:
                    time.sleep(0.5)
                    return None, offset, server_error(server.log, offset, url)
                if index >= warmup:
                    timings.append(elapsed)
            time.sleep(0.5)  # the log line is written after the answer
            return timings, offset, len(response.content)

        measured = (
            (PAGE,
             [(login, f"/my/trajectories/{tid}") for login, tid in pages],
             r"/my/trajectories/\d+",
             f"{len(mine)} citizens, {per_citizen[0]}-{per_citizen[-1]} trajectories",
             TARGET_PAGE, "guidance_portal_page"),
            (LIST,
             [(login, "/my/trajectories") for login in mine],
             r"/my/trajectories", f"{len(mine)} citizens", TARGET_PAGE,
             "guidance_portal_list"),
            (PARTNER_LIST,
             [(login, "/my/trajectories") for login in partner_logins],
             r"/my/trajectories", f"{len(partner_logins)} organisations' users",
             None, "guidance_partner_portal_list"),
        )  # fmt: skip
        details = []
        for label, urls, pattern, scale, target, key in measured:
            timings, offset, size = measure(urls, "o_portal")
            if timings is None:
                rows.append(common.Row(label, scale, f"FAILED: {size}"[:160], ok=False))
                continue
            queries = request_queries(server.log, offset, pattern)
            _p50, p95 = common.latency(timings)
            median_queries = statistics.median(queries) if queries else "?"
            rows.append(
                common.Row(
                    label,
                    scale,
                    common.fmt_latency(timings) + f", {median_queries} queries",
                    f"p95 < {target} ms" if target else "",
                    ok=(p95 < target) if target else None,
                    key=key,
                    value=p95,
                )
            )
            details.append((label, size))
    return rows, details


# ---------------------------------------------------------------- report


def print_conditions(samples, http_details):
    kib = {label: f"~{size / 1024:.0f} KiB" for label, size in http_details}
    http = "HTTP GET, requests.Session logged in (portal)"
    server = "odoo-bin on 127.0.0.1, 2 HTTP workers, no cron, local PostgreSQL"
    fresh = "new ORM cache per request (new transaction); registry, ormcache warm"
    orm = "in-process: env[model].with_user(partner user).web_search_read"
    lines = [
        ["measure", "how", "server", "cache state", "payload"],
        ["citizen: trajectory page", http, server, fresh,
         f"HTML page {kib.get(PAGE, '')}: trajectory, dwellings, chatter"],
        ["citizen: /my/trajectories", http, server, fresh,
         f"HTML page {kib.get(LIST, '')}: his 1-2 trajectories"],
        ["partner: /my/trajectories", http, server, fresh,
         f"HTML page {kib.get(PARTNER_LIST, '')}: 20 granted trajectories + count"],
        ["partner: trajectory list", orm, "this process, no HTTP/JSON",
         "env.invalidate_all() before each sample; registry, ormcache warm",
         ("80 records (name, type, stage, coach, start, next appointment; "
          "the citizen too unless FAILED below) + count (limit 10001)")],
        ["partner: dwelling list", orm, "this process, no HTTP/JSON",
         "as above", ("80 dwellings (address, register id, year, heating) + "
                      "count; a read log row per dwelling and category")],
    ]  # fmt: skip
    print(f"\nWhat each measurement includes ({samples} samples after 20 warm-up)")
    widths = [max(len(str(line[i])) for line in lines) for i in range(5)]
    for index, line in enumerate(lines):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def print_profile(profile):
    print("\nQueries per partner list request (in-process, one request)")
    for label, queries, length in profile:
        per_table = {}
        per_origin = {}
        for sql, _params, ms, where in queries:
            table = main_table(sql) or "?"
            count, total = per_table.get(table, (0, 0.0))
            per_table[table] = (count + 1, total + ms)
            per_origin[where] = per_origin.get(where, 0) + 1
        spent = sum(q[2] for q in queries)
        print(f"- {label}: {len(queries)} queries, {spent:.1f} ms in SQL, "
              f"{length} records counted")  # fmt: skip
        for table, (count, total) in sorted(per_table.items(), key=lambda i: -i[1][0]):
            print(f"    {count:3d} x {table} ({total:.1f} ms)")
        print("  from (innermost addon function):")
        for where, count in sorted(per_origin.items(), key=lambda i: -i[1]):
            print(f"    {count:3d} x {where}")


def print_plans(plans):
    """Each watched SQL with its plan; returns {table: index used}."""
    verdict = {table: True for table in WATCHED}
    notes = {table: [] for table in WATCHED}
    seen = set()
    for label, table, sql, params, plan, forced in plans:
        shape = (table, re.sub(r"\d+", "N", sql))
        if shape in seen:
            continue
        seen.add(shape)
        shown = params if len(str(params)) < 300 else f"{str(params)[:300]}..."
        print(f"\n-- {label}: {table}\n{sql}\n-- params: {shown}\n{plan}")
        if forced:
            print(f"-- the same with enable_seqscan = off:\n{forced}")
        for scanned in seq_scanned(plan):
            verdict[scanned] = False
            usable = indexes_in(forced or "", scanned)
            notes[scanned].append(
                f"{label}: Seq Scan {execution_ms(plan):.1f} ms; "
                f"with enable_seqscan=off {', '.join(usable) or 'no index'} "
                f"{execution_ms(forced or ''):.1f} ms"
            )
    print("\nAccess rules' SQL (EXPLAIN ANALYZE above):")
    for table in WATCHED:
        queried = any(plan[1] == table for plan in plans)
        state = "yes" if verdict[table] else "no"
        if not queried:
            state = "not queried"
        print(f"  {table}: index used: {state}")
        for note in dict.fromkeys(notes[table]):
            print(f"      {note}")
    return verdict


def run(dbname, samples=200, addons=()):
    orm_rows, plans, profile, failures = orm_latencies(dbname, samples, addons=addons)
    http_rows, details = http_latencies(dbname, samples, addons=addons)
    rows = http_rows + orm_rows
    print_conditions(samples, details)
    print_profile(profile)
    for label, failed, users_count in failures:
        for text, count in failed.items():
            print(
                f"\nFAILED with the list view's fields, {label}: {count} of "
                f"{users_count} partner users checked: {text} (measured with the base "
                "fields instead)"
            )
    verdict = print_plans(plans)
    scanned = [table for table, ok in verdict.items() if not ok]
    rows.append(
        common.Row(
            "access rules use indexes (EXPLAIN)",
            ", ".join(WATCHED),
            "Seq Scan on " + ", ".join(scanned) if scanned else "index scans only",
            "no Seq Scan",
            ok=not scanned,
        )
    )
    return rows


def build_and_run(trajectories, dwellings, organisations, samples=200, keep=False):
    """For ``run_all``: data in ``kcc_bench_guidance``, the measures, the
    database dropped unless ``keep``."""
    dbname = f"{common.PREFIX}guidance"
    try:
        rows = guidance_data.build(dbname, trajectories, dwellings, organisations)[0]
        return rows + run(dbname, samples)
    finally:
        if not keep:
            common.drop_db(dbname)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trajectories", type=int, default=20000)
    parser.add_argument("--dwellings", type=int, default=30000)
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--db", default=f"{common.PREFIX}guidance")
    parser.add_argument(
        "--reuse", action="store_true", help="use --db as it is (made before)"
    )
    parser.add_argument("--addons", help="an addons folder used before addons/")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    addons = guidance_data.addons_paths(args.addons)
    if args.reuse and not common.pg().database_exists(args.db):
        parser.error(f"--reuse: no database {args.db} (run once with --keep)")
    rows = []
    started = time.perf_counter()
    try:
        if not args.reuse:
            rows += guidance_data.build(
                args.db, args.trajectories, args.dwellings, args.organisations, addons
            )[0]
        rows += run(args.db, args.samples, addons)
        common.print_table(rows, "Guidance access at scale")
        print(f"total {time.perf_counter() - started:.0f} s")
    finally:
        if not (args.keep or args.reuse):
            common.drop_db(args.db)
    return 1 if any(row.ok is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

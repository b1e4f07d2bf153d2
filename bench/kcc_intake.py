#!/usr/bin/env python3
"""Case intake throughput and latency: through ``kcc.case._intake`` in-process
(one by one, commit each; and in batches, commit per batch), then over HTTP
against Odoo on loopback (``--workers=2``): the website form ``/kcc/submit``
(GET the form for its CSRF and submission tokens, time the POST) and JSON-RPC
``create`` on ``kcc.case`` as a KCC agent (``_intake`` is private and there is
no public JSON intake endpoint in ``leuven_kcc``; ``create`` routes and sets
the deadline but does not log the contact nor queue the acknowledgement),
sequentially and with 4 concurrent clients. Every submitted form is checked to
be exactly one case afterwards.

    .venv/bin/python bench/kcc_intake.py [--cases 500] [--requests 200]
        [--db kcc_bench_data --reuse]
"""

import argparse
import random
import re
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import kcc_data

DB = f"{common.PREFIX}intake"
WEB_FORM_P95_MS = 60  # the web form with one visitor, acknowledgement included
SUBJECTS = [
    ("report", "Straatlamp defect aan de hoek"),
    ("report", "Sluikstort naast de glasbol"),
    ("question", "Wanneer wordt het grofvuil opgehaald?"),
    ("question", "Openingsuren van het stadskantoor"),
    ("complaint", "Geen antwoord op mijn e-mail"),
    ("suggestion", "Meer fietsenstallingen aan het station"),
]


def intake_values(rng, index, partner_ids, category_ids):
    case_type, subject = SUBJECTS[index % len(SUBJECTS)]
    values = {
        "subject": f"{subject} ({index})",
        "description": "Gemeld via de benchmark.\nTweede regel.",
        "case_type": case_type,
        "category_id": rng.choice(category_ids),
    }
    if rng.random() < 0.6 and partner_ids:
        values["partner_id"] = rng.choice(partner_ids)
    else:
        values["contact_name"] = f"Burger {index}"
        values["contact_email"] = f"burger.intake{index}@example.com"
    if case_type == "report":
        values.update(street="Naamsestraat 12", postcode="3000", city="Leuven")
    return values


def small_database(template=None, name=None):
    """A template copy with the organisation and 5,000 customers."""
    if template is None:
        template = common.ensure_template(kcc_data.TEMPLATE, ["leuven_kcc"])
    name = name or DB
    common.copy_db(template, name)
    rng = random.Random(5)
    with common.environment(name) as (env, cr):
        kcc_data.make_organisation(env, rng=rng)
        first = kcc_data.next_id(cr, "res_partner")
        lines = [
            text
            for text, _key in kcc_data.partner_rows(
                first, 5000, env.company.id, rng, kcc_data.dt.datetime.now()
            )
        ]
        kcc_data.copy_rows(cr, "res_partner", kcc_data.PARTNER_COLUMNS, iter(lines))
        kcc_data.set_sequence(cr, "res_partner")
        cr.execute("ANALYZE res_partner")
        cr.commit()
    return name


def orm_intake(dbname, count, batch=50):
    rows = []
    rng = random.Random(3)
    run_id = uuid.uuid4().hex[:8]
    with common.environment(dbname) as (env, cr):
        agent = env["res.users"].search([("login", "=", "bench.agent")])
        cr.execute(
            "SELECT id FROM res_partner WHERE partner_share ORDER BY id LIMIT 5000"
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        category_ids = env["kcc.case.category"].search([]).ids
        Case = env["kcc.case"].with_user(agent)
        channels = ["phone", "counter", "email", "web_form"]

        def one(index):
            return Case._intake(
                intake_values(rng, index, partner_ids, category_ids),
                channels[index % len(channels)],
                idempotency_key=f"orm:{run_id}:{index}",
            )

        for index in range(10):  # warm-up
            one(-1 - index)
        cr.commit()
        timings = []
        started = time.perf_counter()
        for index in range(count):
            begin = time.perf_counter()
            one(index)
            cr.commit()
            timings.append((time.perf_counter() - begin) * 1000)
        elapsed = time.perf_counter() - started
        rows.append(
            common.Row(
                "intake _intake, one by one (commit each)",
                f"{count} cases: routing, deadline, contact, acknowledgement queued",
                f"{count / elapsed:.1f} cases/s; {common.fmt_latency(timings)}",
                key="intake_one",
                value=count / elapsed,
            )
        )
        started = time.perf_counter()
        for first in range(count, 2 * count, batch):
            for index in range(first, min(first + batch, 2 * count)):
                one(index)
            cr.commit()
        elapsed = time.perf_counter() - started
        rows.append(
            common.Row(
                f"intake _intake, batches of {batch} (commit per batch)",
                f"{count} cases, the same work",
                f"{count / elapsed:.1f} cases/s",
                key="intake_batch",
                value=count / elapsed,
            )
        )
        rows.append(check_intake(env, f"orm:{run_id}:%", 2 * count + 10))
    return rows, partner_ids, category_ids


def check_intake(env, key_pattern, expected):
    """Every case taken in is one case with one contact and its
    acknowledgement: an e-mail in the mail queue for a customer with an
    address, a note with the reference otherwise; none left for the job."""
    Case = env["kcc.case"].sudo()
    cases = Case.search([("idempotency_key", "=like", key_pattern)])
    contacts = env["kcc.contact"].search_count([("case_id", "in", cases.ids)])
    mailed = cases.filtered(lambda c: c.partner_id.email or c.contact_email)
    env.cr.execute(
        "SELECT count(*), count(DISTINCT res_id) FROM mail_message m"
        " JOIN mail_mail mm ON mm.mail_message_id = m.id"
        " WHERE m.model = 'kcc.case' AND m.res_id = ANY(%s)",
        [mailed.ids],
    )
    mails, mailed_cases = env.cr.fetchone()
    waiting = cases.filtered("ack_pending")
    ok = (
        len(cases) == expected
        and contacts == expected
        and mails == mailed_cases == len(mailed)
        and not waiting
    )
    return common.Row(
        "every intake: one case, one contact, its acknowledgement queued",
        f"{expected} intakes",
        f"{len(cases)} cases, {contacts} contacts, {mails} e-mails queued for "
        f"{len(mailed)} customers with an address, {len(waiting)} left waiting",
        "all",
        ok=ok,
    )


# ---------------------------------------------------------------- HTTP clients


def run_clients(clients, per_client, make_session, request):
    """``clients`` threads, each with its own session, ``per_client`` requests.

    ``request(session, client, index)`` does one request and returns the
    milliseconds to count. Returns (timings, errors, wall seconds).
    """
    timings, errors = [], []
    lock = threading.Lock()

    def worker(client):
        session = make_session(client)
        for index in range(per_client):
            try:
                elapsed = request(session, client, index)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                timings.append(elapsed)

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started


TOKEN = re.compile(r'name="(csrf_token|submission_token)" value="([^"]+)"')


def web_form_submit(url, run_id, category_ids):
    def request(session, client, index, on_post=None):
        page = session.get(f"{url}/kcc/contact", timeout=60)
        tokens = dict(TOKEN.findall(page.text))
        form = {
            "form_kind": "contact",
            "case_type": "question",
            "subject": f"Vraag via het webformulier {client}-{index}",
            "description": "Benchmark",
            "category_id": str(category_ids[index % len(category_ids)]),
            "contact_name": f"Burger {client}-{index}",
            "contact_email": f"web.{client}.{index}@example.com",
            "csrf_token": tokens["csrf_token"],
            "submission_token": f"{run_id}-{client}-{index}",
            "kcc_website": "",
        }
        if on_post:
            on_post(form["submission_token"])
        started = time.perf_counter()
        response = session.post(
            f"{url}/kcc/submit", data=form, timeout=60, allow_redirects=False
        )
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code not in (302, 303) or "/kcc/thanks/" not in (
            response.headers.get("Location", "")
        ):
            raise RuntimeError(f"/kcc/submit answered {response.status_code}")
        return elapsed

    return request


def jsonrpc_login(url, dbname, login):
    import requests

    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": dbname, "login": login, "password": kcc_data.PASSWORD},
        },
        timeout=60,
    ).json()
    if response.get("error"):
        raise RuntimeError(f"login of {login} failed: {response['error']}")
    return session


def timed_create(session, url, model, values):
    """JSON-RPC ``create`` of one record; returns the milliseconds it took."""
    started = time.perf_counter()
    response = session.post(
        f"{url}/web/dataset/call_kw/{model}/create",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": "create",
                "args": [[values]],
                "kwargs": {},
            },
        },
        timeout=60,
    ).json()
    elapsed = (time.perf_counter() - started) * 1000
    if response.get("error"):
        raise RuntimeError(response["error"]["data"]["message"])
    return elapsed


def jsonrpc_create(url, run_id, category_ids):
    def request(session, client, index):
        values = {
            "subject": f"Telefoon {client}-{index}",
            "case_type": "question",
            "channel": "phone",
            "category_id": category_ids[index % len(category_ids)],
            "contact_name": f"Beller {client}-{index}",
            "contact_phone": "+32 16 27 20 00",
        }
        return timed_create(session, url, "kcc.case", values)

    return request


def http_intake(dbname, requests_count, category_ids, clients=4):
    import requests

    rows = []
    run_id = uuid.uuid4().hex[:8]
    with common.Server(dbname, workers=2) as server:
        per_client = max(requests_count // clients, 1)

        def agent_session(_client):
            return jsonrpc_login(server.url, dbname, "bench.agent")

        scenarios = [
            ("web form POST /kcc/submit", "public visitor", "http_form",
             lambda c: requests.Session(), web_form_submit, "p95 < 60 ms"),
            ("JSON-RPC create kcc.case", "KCC agent", "http_jsonrpc",
             agent_session, jsonrpc_create, ""),
        ]  # fmt: skip
        for name, who, key, session, make_request, target in scenarios:
            for concurrency, per in ((1, requests_count), (clients, per_client)):
                tag = f"{run_id}-{concurrency}"
                # one warm-up request per client, not counted
                run_clients(
                    concurrency,
                    1,
                    session,
                    make_request(server.url, f"w{tag}", category_ids),
                )
                timings, errors, wall = run_clients(
                    concurrency,
                    per,
                    session,
                    make_request(server.url, tag, category_ids),
                )
                _p50, p95 = common.latency(timings) if timings else (0, 0)
                check = target and concurrency == 1
                rows.append(
                    common.Row(
                        f"intake HTTP: {name}",
                        f"{who}, {concurrency} client(s) x {per}",
                        f"{len(timings) / wall:.1f} cases/s; "
                        + (common.fmt_latency(timings) if timings else "no answer")
                        + (f"; {len(errors)} errors ({errors[0]})" if errors else ""),
                        target if check else "",
                        ok=(p95 < WEB_FORM_P95_MS and not errors) if check else None,
                        key=f"{key}_{concurrency}",
                        value=p95 if concurrency == 1 else len(timings) / wall,
                    )
                )
        web_sent = requests_count + clients * per_client
    with common.environment(dbname) as (env, _cr):
        found = env["kcc.case"].search_count(
            [("idempotency_key", "=like", f"web:{run_id}-%")]
        )
    rows.append(
        common.Row(
            "web form: every submission is one case",
            f"{web_sent} forms sent",
            f"{found} cases",
            "equal",
            ok=found == web_sent,
        )
    )
    return rows


def run(dbname=None, cases=500, requests_count=200):
    own = dbname is None
    dbname = dbname or small_database()
    try:
        rows, _partners, category_ids = orm_intake(dbname, cases)
        rows += http_intake(dbname, requests_count, category_ids)
    finally:
        if own:
            common.drop_db(dbname)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", help="a database made by kcc_data (kept)")
    args = parser.parse_args()
    rows = run(args.db, args.cases, args.requests)
    common.print_table(rows, "KCC intake")


if __name__ == "__main__":
    main()

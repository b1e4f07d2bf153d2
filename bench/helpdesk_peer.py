#!/usr/bin/env python3
"""The same intake and lookups on the OCA ``helpdesk_mgmt`` 18.0 addon.

The addon is fetched as the published wheel (``pip download --no-deps``) and
unpacked into a temporary addons path outside the repository; it is installed
(with ``mail`` and ``portal`` from the stock Odoo tree, no demo data) in its
own template database. Its copy gets the same partners and as many tickets as
the KCC has cases (COPY), then: ticket ``create`` one by one and in batches
as a helpdesk user, over HTTP the portal form ``/submitted/ticket`` (its only
web form needs a logged-in portal user) and JSON-RPC ``create``, the
customer's tickets (the partner's ticket counts and the ticket list the
partner's button opens) as a helpdesk user, a team member's open tickets of
his teams, and a citizen's portal page ``/my/tickets``.

    .venv/bin/python bench/helpdesk_peer.py [--partners 20000 --tickets 100000]
"""

import argparse
import datetime as dt
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import kcc_data
import kcc_intake
import kcc_latency

TEMPLATE = f"{common.PREFIX}peer_template"
DB = f"{common.PREFIX}peer"
REQUIREMENT = "odoo-addon-helpdesk_mgmt>=18.0,<18.1"
NAMED = kcc_latency.NAMED
TICKET_LIST_SPEC = {
    "priority": {},
    "sequence": {},
    "number": {},
    "name": {},
    "partner_id": NAMED,
    "partner_name": {},
    "user_id": NAMED,
    "category_id": NAMED,
    "stage_id": NAMED,
    "team_id": NAMED,
    "unattended": {},
    "closed": {},
}
PARTNER_SPEC = {
    "display_name": {},
    "helpdesk_ticket_count": {},
    "helpdesk_ticket_active_count": {},
    "helpdesk_ticket_count_string": {},
}


def addons_path():
    """The unpacked wheel's addons folder (downloaded once per machine)."""
    folder = Path(tempfile.gettempdir()) / "kcc_bench" / "peer"
    addons = folder / "unpacked" / "odoo" / "addons"
    if (addons / "helpdesk_mgmt" / "__manifest__.py").exists():
        return addons
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(common.devenv.venv_python()), "-m", "pip", "download", "--no-deps",
         "-q", "-d", str(folder), REQUIREMENT],
        check=True,
    )  # fmt: skip
    wheel = max(folder.glob("odoo_addon_helpdesk_mgmt-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(folder / "unpacked")
    return addons


def version(addons):
    text = (addons / "helpdesk_mgmt" / "__manifest__.py").read_text()
    return re.search(r'"version":\s*"([^"]+)"', text).group(1)


# ---------------------------------------------------------------- data


def make_organisation(env, rng, teams=40, categories=60):
    ref = env.ref
    Users = env["res.users"].with_context(no_reset_password=True)

    def user(login, xmlids):
        return Users.create(
            {
                "name": login,
                "login": login,
                "password": kcc_data.PASSWORD,
                "email": f"{login}@bench.invalid",
                "groups_id": [(6, 0, [ref(x).id for x in xmlids])],
            }
        )

    agent = user("bench.agent", ["helpdesk_mgmt.group_helpdesk_user"])
    handler = user("bench.handler", ["helpdesk_mgmt.group_helpdesk_user_team"])
    staff = [
        user(f"bench.staff{i:02d}", ["helpdesk_mgmt.group_helpdesk_user_team"])
        for i in range(20)
    ]
    team_records = env["helpdesk.ticket.team"].create(
        [
            {
                "name": f"Dienst {i:02d}",
                "user_ids": [(6, 0, [staff[i % 20].id, staff[(i + 7) % 20].id])],
            }
            for i in range(teams)
        ]
    )
    (team_records[0] | team_records[5] | team_records[25]).write(
        {"user_ids": [(4, handler.id)]}
    )
    category_records = env["helpdesk.ticket.category"].create(
        [{"name": f"Categorie {i:02d}"} for i in range(categories)]
    )
    return agent, handler, staff, team_records, category_records


TICKET_COLUMNS = (
    "id", "number", "name", "description", "stage_id", "team_id", "user_id",
    "partner_id", "commercial_partner_id", "partner_name", "partner_email",
    "company_id", "channel_id", "category_id", "priority", "kanban_state", "active",
    "unattended", "sequence", "last_stage_update", "assigned_date", "closed_date",
    "create_date", "write_date", "create_uid", "write_uid",
)  # fmt: skip


def ticket_rows(first_id, count, plain, partners, rng, now, company_id):
    """Tickets with the case generator's distributions (age, customer, state)."""
    teams, weights, members, categories, stages, channel = plain
    span = 3 * 365
    for index in range(count):
        tid = first_id + index
        age = span * (1 - rng.random() ** 0.8)
        created = now - dt.timedelta(days=age, seconds=rng.randint(0, 28800))
        partner = commercial = None
        if rng.random() < 0.85:
            partner, commercial = partners[int(len(partners) * rng.random() ** 1.5)]
        team = rng.choices(teams, weights)[0]
        state = kcc_data.case_state(rng, age)
        is_open = state in kcc_data.OPEN
        stage = stages[
            {"new": 0, "assigned": 1, "in_progress": 1, "waiting": 2, "reopened": 1,
             "answered": 3, "closed": 3, "cancelled": 4, "duplicate": 4}[state]
        ]  # fmt: skip
        user = rng.choice(members[team]) if state != "new" else None
        closed = None if is_open else min(created + dt.timedelta(days=9), now)
        subject = rng.choice(kcc_data.SUBJECTS["report"])
        yield kcc_data.line(
            (tid, f"HT{tid:07d}", subject, f"<p>{subject} (bench)</p>", stage, team,
             user, partner, commercial, f"Klant {partner}" if partner else "Burger",
             f"klant{partner}@example.com" if partner else f"burger{tid}@example.com",
             company_id, channel, rng.choice(categories), "1", "normal", True,
             stage == stages[0], 10, closed or created, created if user else None,
             closed, created, closed or created, 1, 1)
        )  # fmt: skip


def build(partners, tickets, seed=2026):
    addons = addons_path()
    common.ensure_template(
        TEMPLATE,
        ["helpdesk_mgmt"],
        extra_addons=[addons],
        digest_paths=[addons / "helpdesk_mgmt"],
    )
    common.copy_db(TEMPLATE, DB)
    rng = random.Random(seed)
    now = dt.datetime.now().replace(microsecond=0)
    rows = []
    with common.environment(DB, [addons]) as (env, cr):
        started = time.perf_counter()
        _agent, _handler, _staff, teams, categories = make_organisation(env, rng)
        company_id = env.company.id
        first = kcc_data.next_id(cr, "res_partner")
        keys = []

        def partner_lines():
            for text, key in kcc_data.partner_rows(
                first, partners, company_id, rng, now, kcc=False
            ):
                keys.append(key)
                yield text

        kcc_data.copy_rows(
            cr, "res_partner", kcc_data.PEER_PARTNER_COLUMNS, partner_lines()
        )
        kcc_data.set_sequence(cr, "res_partner")
        stages = env["helpdesk.ticket.stage"].search([], order="sequence").ids
        plain = (
            teams.ids,
            [1 / (i + 1) for i in range(len(teams))],
            {t.id: t.user_ids.ids for t in teams},
            categories.ids,
            stages,
            env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
        )
        first_ticket = kcc_data.next_id(cr, "helpdesk_ticket")
        copy_started = time.perf_counter()
        kcc_data.copy_rows(
            cr,
            "helpdesk_ticket",
            TICKET_COLUMNS,
            ticket_rows(first_ticket, tickets, plain, keys, rng, now, company_id),
        )
        copied = time.perf_counter() - copy_started
        kcc_data.set_sequence(cr, "helpdesk_ticket")
        cr.execute(
            "INSERT INTO mail_followers (res_model, res_id, partner_id) "
            "SELECT 'helpdesk.ticket', id, partner_id FROM helpdesk_ticket "
            "WHERE partner_id IS NOT NULL"
        )
        cr.execute("ANALYZE res_partner, helpdesk_ticket, mail_followers")
        cr.commit()
        cr.execute(
            "SELECT partner_id, count(*) FROM helpdesk_ticket WHERE partner_id IS "
            "NOT NULL GROUP BY partner_id ORDER BY 2 DESC"
        )
        counted = [row[0] for row in cr.fetchall()]
        sample = counted[:5] + counted[len(counted) // 10 :: 997][:15]
        portal = env.ref("base.group_portal")
        Users = env["res.users"].with_context(no_reset_password=True)
        for index, pid in enumerate(sample):
            Users.create(
                {
                    "login": f"bench.citizen{index:02d}",
                    "password": kcc_data.PASSWORD,
                    "partner_id": pid,
                    "groups_id": [(6, 0, [portal.id])],
                }
            )
        cr.commit()
        rows.append(
            common.Row(
                "peer data: partners + tickets (generate + COPY)",
                f"{partners:,} partners, {tickets:,} tickets",
                f"{time.perf_counter() - started:.1f} s (tickets "
                f"{tickets / copied:,.0f} rows/s)",
            )
        )
    return rows, addons


# ---------------------------------------------------------------- workloads


def lookups(addons, samples, warmup=20):
    rows, figures = [], {}
    with common.environment(DB, [addons]) as (env, cr):
        users = {
            u.login: u for u in env["res.users"].search([("login", "like", "bench.%")])
        }
        agent = users["bench.agent"]
        handlers = [users["bench.handler"]] + [
            u for login, u in sorted(users.items()) if "staff" in login
        ]
        citizens = [u for login, u in sorted(users.items()) if "citizen" in login]
        cr.execute(
            "SELECT partner_id FROM helpdesk_ticket WHERE partner_id IS NOT NULL "
            "ORDER BY random() LIMIT %s",
            [samples + warmup],
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        Partner = env["res.partner"].with_user(agent)
        Ticket = env["helpdesk.ticket"].with_user(agent)

        def customer(index):
            partner = Partner.browse(partner_ids[index % len(partner_ids)])
            partner.web_read(PARTNER_SPEC)
            Ticket.web_search_read(
                [("partner_id", "child_of", partner.id)],
                TICKET_LIST_SPEC,
                limit=80,
                count_limit=kcc_latency.COUNT_LIMIT,
            )

        timings = kcc_latency.timed(customer, samples, warmup, env.invalidate_all)
        figures["customer_lookup"] = common.latency(timings)[1]
        rows.append(
            common.Row(
                "peer: customer's tickets (counts + list)",
                f"{samples} customers",
                common.fmt_latency(timings),
            )
        )

        def team_queue(index):
            user = handlers[index % len(handlers)]
            env["helpdesk.ticket"].with_user(user).web_search_read(
                [("team_id", "in", user.helpdesk_team_ids.ids), ("closed", "=", False)],
                TICKET_LIST_SPEC,
                limit=80,
                count_limit=kcc_latency.COUNT_LIMIT,
            )

        timings = kcc_latency.timed(team_queue, samples, warmup, env.invalidate_all)
        figures["team_queue"] = common.latency(timings)[1]
        rows.append(
            common.Row(
                "peer: team member's open tickets (list, 80)",
                f"{len(handlers)} team members",
                common.fmt_latency(timings),
            )
        )
        logins = [c.login for c in citizens]
        category_ids = env["helpdesk.ticket.category"].search([]).ids
        cr.rollback()
    return rows, figures, logins, category_ids


def mail_counts(cr):
    """(messages, queued e-mails, followers) of the tickets so far."""
    cr.execute(
        "SELECT (SELECT count(*) FROM mail_message WHERE model = 'helpdesk.ticket'),"
        " (SELECT count(*) FROM mail_mail mm JOIN mail_message m"
        "  ON m.id = mm.mail_message_id WHERE m.model = 'helpdesk.ticket'),"
        " (SELECT count(*) FROM mail_followers WHERE res_model = 'helpdesk.ticket')"
    )
    return cr.fetchone()


def orm_create(addons, count, batch=50):
    rows, figures = [], {}
    rng = random.Random(3)
    with common.environment(DB, [addons]) as (env, cr):
        agent = env["res.users"].search([("login", "=", "bench.agent")])
        cr.execute(
            "SELECT id FROM res_partner WHERE partner_share ORDER BY id LIMIT 5000"
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        teams = env["helpdesk.ticket.team"].search([]).ids
        categories = env["helpdesk.ticket.category"].search([]).ids
        Ticket = env["helpdesk.ticket"].with_user(agent)

        def one(index):
            values = kcc_intake.intake_values(rng, index, partner_ids, categories)
            Ticket.create(
                {
                    "name": values["subject"],
                    "description": values["description"],
                    "partner_id": values.get("partner_id"),
                    "partner_name": values.get("contact_name"),
                    "partner_email": values.get("contact_email"),
                    "category_id": values["category_id"],
                    "team_id": rng.choice(teams),
                }
            )

        for index in range(10):
            one(-1 - index)
        cr.commit()
        start = 0
        # first as installed (the New stage sends no e-mail), then with the
        # customer's e-mail the way helpdesk_mgmt sends one: a mail template
        # on the New stage, sent when the ticket is created. The second is
        # the same work as the KCC's intake and the one compared with it.
        new_stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        env["res.lang"]._activate_lang("nl_BE")  # the customers' language
        # the mail composer makes a contact for an e-mail address without one
        agent.groups_id = [(4, env.ref("base.group_partner_manager").id)]
        for variant, template in (
            ("as installed", False),
            ("with the customer's e-mail", "helpdesk_mgmt.changed_stage_template"),
        ):
            new_stage.mail_template_id = template and env.ref(template)
            cr.commit()
            before = mail_counts(cr)
            timings = []
            started = time.perf_counter()
            for index in range(start, start + count):
                begin = time.perf_counter()
                one(index)
                cr.commit()
                timings.append((time.perf_counter() - begin) * 1000)
            elapsed = time.perf_counter() - started
            made = [after - prior for after, prior in zip(mail_counts(cr), before)]
            rows.append(
                common.Row(
                    f"peer: ticket create {variant}, one by one (commit each)",
                    f"{count} tickets; they made {made[0]} messages, {made[1]} "
                    f"queued e-mails, {made[2]} followers",
                    f"{count / elapsed:.1f} tickets/s; {common.fmt_latency(timings)}",
                )
            )
            one_by_one = count / elapsed
            started = time.perf_counter()
            for first in range(start + count, start + 2 * count, batch):
                for index in range(first, min(first + batch, start + 2 * count)):
                    one(index)
                cr.commit()
            elapsed = time.perf_counter() - started
            rows.append(
                common.Row(
                    f"peer: ticket create {variant}, batches of {batch}",
                    f"{count} tickets",
                    f"{count / elapsed:.1f} tickets/s",
                )
            )
            start += 2 * count
            if template:
                figures["intake_one"] = one_by_one
                figures["intake_batch"] = count / elapsed
    return rows, figures


def portal_form(url, run_id, category_ids):
    def request(session, client, index):
        page = session.get(f"{url}/new/ticket", timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        started = time.perf_counter()
        response = session.post(
            f"{url}/submitted/ticket",
            data={
                "csrf_token": token,
                "subject": f"Vraag {run_id} {client}-{index}",
                "description": "Benchmark",
                "category": str(category_ids[index % len(category_ids)]),
            },
            timeout=60,
            allow_redirects=False,
        )
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code not in (302, 303):
            raise RuntimeError(f"/submitted/ticket answered {response.status_code}")
        return elapsed

    return request


def jsonrpc_create(url, run_id, category_ids):
    def request(session, client, index):
        values = {
            "name": f"Telefoon {client}-{index}",
            "description": "Benchmark",
            "partner_name": f"Beller {client}-{index}",
            "category_id": category_ids[index % len(category_ids)],
        }
        return kcc_intake.timed_create(session, url, "helpdesk.ticket", values)

    return request


def http(addons, logins, category_ids, requests_count, samples, clients=4):
    import requests

    rows, figures = [], {}
    run_id = uuid.uuid4().hex[:8]
    with common.Server(DB, workers=2, extra_addons=[addons]) as server:

        def citizen(client):
            return kcc_latency.login(
                requests.Session(), server.url, logins[client % len(logins)]
            )

        def agent(_client):
            return kcc_intake.jsonrpc_login(server.url, DB, "bench.agent")

        per_client = max(requests_count // clients, 1)
        scenarios = [
            ("portal form POST /submitted/ticket", "portal user", "http_form",
             citizen, portal_form),
            ("JSON-RPC create helpdesk.ticket", "helpdesk user", "http_jsonrpc",
             agent, jsonrpc_create),
        ]  # fmt: skip
        for name, who, key, session, make_request in scenarios:
            for concurrency, per in ((1, requests_count), (clients, per_client)):
                tag = f"{run_id}-{concurrency}"
                kcc_intake.run_clients(
                    concurrency, 1, session, make_request(server.url, "w", category_ids)
                )
                timings, errors, wall = kcc_intake.run_clients(
                    concurrency,
                    per,
                    session,
                    make_request(server.url, tag, category_ids),
                )
                _p50, p95 = common.latency(timings) if timings else (0, 0)
                figures[f"{key}_{concurrency}"] = (
                    p95 if concurrency == 1 else len(timings) / wall
                )
                rows.append(
                    common.Row(
                        f"peer HTTP: {name}",
                        f"{who}, {concurrency} client(s) x {per}",
                        f"{len(timings) / wall:.1f} tickets/s; "
                        + (common.fmt_latency(timings) if timings else "no answer")
                        + (f"; {len(errors)} errors ({errors[0]})" if errors else ""),
                    )
                )
        sessions = [citizen(i) for i in range(len(logins))]
        timings = []
        for index in range(20 + samples):
            started = time.perf_counter()
            response = sessions[index % len(sessions)].get(
                f"{server.url}/my/tickets", timeout=60
            )
            if response.status_code != 200:
                raise RuntimeError(f"/my/tickets answered {response.status_code}")
            if index >= 20:
                timings.append((time.perf_counter() - started) * 1000)
        figures["portal_list"] = common.latency(timings)[1]
        rows.append(
            common.Row(
                "peer: portal /my/tickets (HTTP)",
                f"{len(logins)} citizens",
                common.fmt_latency(timings),
            )
        )
    return rows, figures


def run(partners=20000, tickets=100000, samples=200, count=300, requests_count=200):
    """(rows, figures by key) for the comparison in run_all."""
    try:
        rows, addons = build(partners, tickets)
        rows[0].measure += f" (helpdesk_mgmt {version(addons)})"
        more, figures, logins, category_ids = lookups(addons, samples)
        rows += more
        more, extra = orm_create(addons, count)
        rows += more
        figures.update(extra)
        more, extra = http(addons, logins, category_ids, requests_count, samples)
        rows += more
        figures.update(extra)
    finally:
        common.drop_db(DB)
    return rows, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=20000)
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    rows, _figures = run(
        args.partners, args.tickets, args.samples, args.count, args.requests
    )
    common.print_table(rows, "OCA helpdesk_mgmt, same workloads")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""KCC data at scale: partners, cases and contacts written with SQL COPY.

The organisation (handler groups, categories, routing rules, users) is made
through the ORM, as an administrator would; the bulk rows (partners, cases,
contacts, followers) are streamed with ``COPY ... FROM STDIN``. Stored computed
fields (``is_open``, ``citizen_state``, ``commercial_partner_id``) are written
in the COPY with the values the ORM would compute; deadlines are the category's
days counted as calendar days (working days x 7/5) from the received date.

    .venv/bin/python bench/kcc_data.py [--partners 200000 --cases 1000000
        --contacts 3000000] [--keep]

prints the generation time per table and the raw COPY rate of the case rows.
"""

import argparse
import datetime as dt
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

from leuven.kcc.states import CITIZEN_STATE_OF

TEMPLATE = f"{common.PREFIX}template"
PASSWORD = "bench-Secret-1"

OPEN = ("new", "assigned", "in_progress", "waiting", "reopened")
CASE_TYPES = (("question", 55), ("report", 30), ("suggestion", 7), ("complaint", 8))
# the share of each channel in the city's contacts; the channels themselves
# are those of the database (see channel_weights): a listed one that is not
# installed is left out, one an addon brings that is not listed weighs 1
CHANNEL_WEIGHTS = {
    "phone": 35, "web_form": 18, "report_form": 14, "email": 14, "counter": 8,
    "assistant": 4, "portal": 3, "burgerprofiel": 2, "letter": 1, "api": 1,
}  # fmt: skip
SUBJECTS = {
    "question": ["Openingsuren stadskantoor", "Vraag over afvalfactuur",
                 "Aanvraag identiteitskaart", "Parkeerkaart bewoners"],
    "report": ["Put in het voetpad", "Straatlamp defect", "Sluikstort",
               "Omgevallen verkeersbord", "Verstopte riolering"],
    "suggestion": ["Meer fietsenstallingen", "Extra zitbanken"],
    "complaint": ["Geen antwoord op mijn e-mail", "Lange wachttijd loket"],
}  # fmt: skip
STREETS = [
    "Naamsestraat", "Tiensestraat", "Diestsestraat", "Brusselsestraat",
    "Bondgenotenlaan", "Parijsstraat", "Mechelsestraat", "Kapucijnenvoer",
]  # fmt: skip
POSTCODES = ["3000", "3001", "3010", "3012", "3018"]


def channel_weights(env):
    """(channel, weight) pairs of the channels the database knows: the
    selection of ``kcc.channel.mixin`` with what the installed addons add."""
    channels = env["kcc.channel.mixin"]._fields["channel"].get_values(env)
    return tuple((channel, CHANNEL_WEIGHTS.get(channel, 1)) for channel in channels)


def weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


class RowStream(io.RawIOBase):
    """A file-like object COPY reads from, fed by a generator of text lines."""

    def __init__(self, lines, chunk=20000):
        self._lines = lines
        self._chunk = chunk
        self._buffer = b""

    def readable(self):
        return True

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            batch = [line for _i, line in zip(range(self._chunk), self._lines)]
            if not batch:
                break
            self._buffer += "".join(batch).encode()
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def copy_rows(cr, table, columns, source):
    """COPY ``source`` (a file or a line generator) into ``table``; rows/s."""
    from odoo.tools import SQL

    statement = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(c) for c in columns),
    )
    stream = source if hasattr(source, "read") else RowStream(source)
    cr._obj.copy_expert(statement.code, stream, size=1 << 20)


def cell(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def line(values):
    return "\t".join(cell(v) for v in values) + "\n"


# ---------------------------------------------------------------- organisation


def make_organisation(env, groups=40, categories=60, rng=None):
    """Handler groups, categories, routing rules and the users who measure."""
    rng = rng or random.Random(7)
    ref = env.ref
    Users = env["res.users"].with_context(no_reset_password=True)

    def user(login, group_xmlids, share=False):
        return Users.create(
            {
                "name": login.replace(".", " ").title(),
                "login": login,
                "password": PASSWORD,
                "email": f"{login}@bench.leuven.invalid",
                "groups_id": [(6, 0, [ref(x).id for x in group_xmlids])],
            }
        )

    agent = user("bench.agent", ["leuven_kcc.group_kcc_agent"])
    supervisor = user("bench.supervisor", ["leuven_kcc.group_kcc_supervisor"])
    handler = user("bench.handler", ["leuven_kcc.group_kcc_handler"])
    staff = [
        user(f"bench.staff{i:02d}", ["leuven_kcc.group_kcc_handler"]) for i in range(20)
    ]
    kcc = env["kcc.handler.group"].search([("is_kcc", "=", True)], limit=1)
    kcc.write({"member_ids": [(4, agent.id)], "leader_ids": [(4, supervisor.id)]})
    group_records = env["kcc.handler.group"].create(
        [
            {
                "name": f"Dienst {i:02d}",
                "code": f"D{i:02d}",
                "member_ids": [(6, 0, [staff[i % 20].id, staff[(i + 7) % 20].id])],
                "leader_ids": [(6, 0, [staff[(i + 3) % 20].id])],
            }
            for i in range(groups)
        ]
    )
    # the measured handler is in three groups: a large, a middle, a small one
    handler_groups = group_records[0] | group_records[5] | group_records[25]
    handler_groups.write({"member_ids": [(4, handler.id)]})
    # group sizes follow a long tail: group i gets weight 1 / (i + 1)
    group_weights = [1 / (i + 1) for i in range(groups)]
    category_records = env["kcc.case.category"].create(
        [
            {
                "name": f"Categorie {i:02d}",
                "handler_group_id": rng.choices(group_records.ids, group_weights)[0],
                "deadline_days": rng.choice([5, 10, 10, 15, 20, 30]),
                "deadline_unit": rng.choice(["working", "working", "calendar"]),
            }
            for i in range(categories)
        ]
    )
    env["kcc.routing.rule"].create(
        [
            {
                "name": f"Regel {i:02d}",
                "sequence": i,
                "keywords": rng.choice(["lamp", "riolering", "sluikstort", "bord"]),
                "postcodes": rng.choice(["", "3000", "3010, 3012"]),
                "handler_group_id": group_records[i % groups].id,
            }
            for i in range(20)
        ]
    )
    env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", 1000000)
    return {
        "agent": agent,
        "supervisor": supervisor,
        "handler": handler,
        "staff": staff,
        "kcc": kcc,
        "groups": group_records,
        "categories": category_records,
        "channels": channel_weights(env),
    }


# ---------------------------------------------------------------- bulk rows


def next_id(cr, table):
    from odoo.tools import SQL

    cr.execute(SQL("SELECT coalesce(max(id), 0) + 1 FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


def set_sequence(cr, table):
    from odoo.tools import SQL

    cr.execute(
        SQL(
            "SELECT setval(%s, (SELECT max(id) FROM %s))",
            f"{table}_id_seq",
            SQL.identifier(table),
        )
    )


def partner_rows(first_id, count, company_id, rng, now, kcc=True):
    """(line, (id, commercial id)) for ``count`` partners.

    ``kcc=False``: without the KCC's association flag (for the peer's database).
    """
    companies = []
    for index in range(count):
        pid = first_id + index
        draw = rng.random()
        is_company = draw < 0.10
        association = 0.10 <= draw < 0.15
        organisation = is_company or association
        parent = None
        if not (is_company or association) and companies and rng.random() < 0.05:
            parent = rng.choice(companies)
        if is_company or association:
            companies.append(pid)
        name = ("Bedrijf " if is_company else "Vereniging " if association else "") + (
            f"Klant {pid}"
        )
        street = f"{rng.choice(STREETS)} {rng.randint(1, 200)}"
        email = f"klant{pid}@example.com"
        phone = f"+32 16 {pid % 100:02d} {pid % 10000:04d}"
        values = (
            pid, name, name, company_id, "contact", True, organisation, association,
            parent, parent or pid, email, email, phone, street, rng.choice(POSTCODES),
            "Leuven", "nl_BE", now, now, 1, 1, True,
        )  # fmt: skip
        if not kcc:
            values = values[:7] + values[8:]
        yield line(values), (pid, parent or pid)


PARTNER_COLUMNS = (
    "id", "name", "complete_name", "company_id", "type", "active", "is_company",
    "kcc_is_association", "parent_id", "commercial_partner_id", "email",
    "email_normalized", "phone", "street", "zip", "city", "lang", "create_date",
    "write_date", "create_uid", "write_uid", "partner_share",
)  # fmt: skip
PEER_PARTNER_COLUMNS = tuple(c for c in PARTNER_COLUMNS if c != "kcc_is_association")

CASE_COLUMNS = (
    "id", "name", "subject", "description_text", "case_type", "channel", "partner_id",
    "commercial_partner_id", "contact_name", "contact_email", "street", "postcode",
    "city", "category_id", "handler_group_id", "user_id", "priority", "state",
    "citizen_state", "is_open", "date_received", "deadline", "deadline_paused_on",
    "date_answered", "date_closed", "answered_late", "reminder_sent", "escalated",
    "first_line", "routing_reason", "company_id", "create_date", "write_date",
    "create_uid", "write_uid",
)  # fmt: skip


def case_state(rng, age_days):
    """A state that fits the age of the case: old cases are mostly finished."""
    if age_days > 60:
        open_share = 0.01
    elif age_days > 20:
        open_share = 0.25
    else:
        open_share = 0.75
    if rng.random() < open_share:
        return weighted(
            rng,
            (("new", 15), ("assigned", 30), ("in_progress", 35), ("waiting", 12),
             ("reopened", 8)),
        )  # fmt: skip
    return weighted(
        rng, (("closed", 80), ("answered", 12), ("cancelled", 6), ("duplicate", 2))
    )


def case_rows(first_id, count, org, partners, rng, now, company_id):
    """Case lines; also records (case id, partner, commercial partner)."""
    categories = [
        (c.id, c.handler_group_id.id, c.deadline_days, c.deadline_unit)
        for c in org["categories"]
    ]
    members = {g.id: g.member_ids.ids for g in org["groups"]}
    members[org["kcc"].id] = org["kcc"].member_ids.ids
    group_ids = org["groups"].ids
    kcc_id = org["kcc"].id
    today = now.date()
    span = 3 * 365
    n_partners = len(partners)
    for index in range(count):
        cid = first_id + index
        # recent cases are more numerous than old ones (growing use)
        age = span * (1 - rng.random() ** 0.8)
        received = now - dt.timedelta(days=age, seconds=rng.randint(0, 28800))
        case_type = weighted(rng, CASE_TYPES)
        channel = weighted(rng, org["channels"])
        partner = commercial = None
        contact_email = contact_name = None
        if rng.random() < 0.85:
            # a long tail: a few customers have many cases
            partner, commercial = partners[int(n_partners * rng.random() ** 1.5)]
        else:
            contact_name = f"Burger {cid}"
            contact_email = f"burger{cid}@example.com"
        category = rng.choice(categories) if rng.random() < 0.92 else None
        if category:
            group = category[1] if rng.random() < 0.8 else rng.choice(group_ids)
            days = category[2] * (7 / 5 if category[3] == "working" else 1)
            deadline = received.date() + dt.timedelta(days=round(days))
            reason = "category"
        else:
            group, deadline, reason = kcc_id, None, "kcc"
        state = case_state(rng, age)
        is_open = state in OPEN
        user = None
        if state != "new" and members.get(group) and rng.random() < 0.9:
            user = rng.choice(members[group])
        paused = received.date() + dt.timedelta(days=2) if state == "waiting" else None
        answered = closed = None
        late_answer = False
        if state in ("answered", "closed"):
            answered = received + dt.timedelta(days=rng.uniform(0.1, 25))
            answered = min(answered, now)
            late_answer = bool(deadline and answered.date() > deadline)
            if state == "closed":
                closed = min(answered + dt.timedelta(days=rng.uniform(1, 14)), now)
        # history: late cases were escalated and reminded long ago
        overdue = bool(is_open and deadline and deadline < today)
        near = bool(is_open and deadline and deadline <= today + dt.timedelta(days=2))
        street = postcode = city = None
        if case_type == "report":
            street = f"{rng.choice(STREETS)} {rng.randint(1, 200)}"
            postcode, city = rng.choice(POSTCODES), "Leuven"
        subject = rng.choice(SUBJECTS[case_type])
        yield (
            line(
                (cid, f"KCC/{received.year}/{cid:07d}", subject, f"{subject} (bench)",
                 case_type, channel, partner, commercial, contact_name, contact_email,
                 street, postcode, city, category and category[0], group, user,
                 "1" if rng.random() < 0.05 else "0", state, CITIZEN_STATE_OF[state],
                 is_open, received, deadline, paused, answered, closed, late_answer,
                 near or overdue, overdue, bool(group == kcc_id and answered), reason,
                 company_id, received, closed or answered or received, 1, 1)
            ),
            (cid, partner, commercial, received, group),
        )  # fmt: skip


CONTACT_COLUMNS = (
    "id", "date", "channel", "direction", "partner_id", "commercial_partner_id",
    "contact_name", "contact_email", "user_id", "summary", "case_id",
    "first_line_resolved", "company_id", "create_date", "write_date", "create_uid",
    "write_uid", "handler_group_id",
)  # fmt: skip


def contact_rows(
    first_id, count, cases, partners, agent_ids, channels, rng, now, company_id
):
    """One intake contact per case first, then follow-ups and stand-alone calls."""
    n_partners = len(partners)
    for index in range(count):
        kid = first_id + index
        if index < len(cases):
            cid, partner, commercial, when, group = cases[index]
            direction, summary = "inbound", "Intake"
        elif rng.random() < 0.35:
            cid, partner, commercial, received, group = cases[rng.randrange(len(cases))]
            when = received + dt.timedelta(days=rng.uniform(0, 20))
            direction = rng.choice(("inbound", "outbound"))
            summary = "Opvolging"
        else:
            cid = group = None
            partner = commercial = None
            if rng.random() < 0.7:
                partner, commercial = partners[int(n_partners * rng.random() ** 1.5)]
            when = now - dt.timedelta(days=3 * 365 * (1 - rng.random() ** 0.8))
            direction, summary = "inbound", "Vraag beantwoord in eerste lijn"
        when = min(when, now)
        yield line(
            (kid, when, weighted(rng, channels), direction, partner, commercial,
             None if partner else f"Beller {kid}", None, rng.choice(agent_ids),
             summary, cid, cid is None, company_id, when, when, 1, 1, group)
        )  # fmt: skip


# ---------------------------------------------------------------- portal users


def make_portal_users(env, partner_ids, count=20):
    """Portal logins for customers who have cases (the heavier ones first)."""
    portal = env.ref("base.group_portal")
    Users = env["res.users"].with_context(no_reset_password=True)
    users = Users.browse()
    for index, pid in enumerate(partner_ids[:count]):
        users |= Users.create(
            {
                "login": f"bench.citizen{index:02d}",
                "password": PASSWORD,
                "partner_id": pid,
                "groups_id": [(6, 0, [portal.id])],
            }
        )
    return users


# ---------------------------------------------------------------- main entry


def generate(dbname, partners=200000, cases=1000000, contacts=3000000, seed=2026):
    """Fill ``dbname`` (a copy of the template); returns (rows, facts)."""
    rng = random.Random(seed)
    rows = []
    now = dt.datetime.now().replace(microsecond=0)
    with common.environment(dbname) as (env, cr):
        started = time.perf_counter()
        org = make_organisation(env, rng=rng)
        cr.commit()
        rows.append(
            common.Row(
                "organisation through the ORM",
                f"{len(org['groups']) + 1} groups, {len(org['categories'])} categories",
                f"{time.perf_counter() - started:.1f} s",
            )
        )
        company_id = env.company.id
        # partners
        first = next_id(cr, "res_partner")
        keys = []

        def partner_lines():
            for text, key in partner_rows(first, partners, company_id, rng, now):
                keys.append(key)
                yield text

        started = time.perf_counter()
        copy_rows(cr, "res_partner", PARTNER_COLUMNS, partner_lines())
        set_sequence(cr, "res_partner")
        cr.commit()
        elapsed = time.perf_counter() - started
        rows.append(
            common.Row(
                "generate + COPY partners",
                f"{partners:,}",
                f"{elapsed:.1f} s ({partners / elapsed:,.0f} rows/s)",
            )
        )
        # cases: generated into a file first, so that COPY alone is timed
        first_case = next_id(cr, "kcc_case")
        case_keys = []
        started = time.perf_counter()
        with tempfile.TemporaryFile("w+b") as handle:
            for text, key in case_rows(
                first_case, cases, org, keys, rng, now, company_id
            ):
                handle.write(text.encode())
                case_keys.append(key)
            generated = time.perf_counter() - started
            size = handle.tell()
            handle.seek(0)
            started = time.perf_counter()
            copy_rows(cr, "kcc_case", CASE_COLUMNS, handle)
            cr.commit()
            copied = time.perf_counter() - started
        set_sequence(cr, "kcc_case")
        rows.append(
            common.Row(
                "generate case rows (Python)",
                f"{cases:,}",
                f"{generated:.1f} s ({cases / generated:,.0f} rows/s)",
            )
        )
        rows.append(
            common.Row(
                "COPY case rows (physical limit)",
                f"{cases:,}, {size / 2**20:.0f} MB",
                f"{copied:.1f} s ({cases / copied:,.0f} rows/s, "
                f"{size / 2**20 / copied:.0f} MB/s)",
            )
        )
        sequence = env["ir.sequence"].search([("code", "=", "kcc.case")], limit=1)
        sequence.number_next = first_case + cases
        # followers: the customer follows his case (as create() does)
        started = time.perf_counter()
        first_follower = next_id(cr, "mail_followers")
        followed = [(cid, p) for cid, p, _c, _w, _g in case_keys if p]
        copy_rows(
            cr,
            "mail_followers",
            ("id", "res_model", "res_id", "partner_id"),
            (
                line((first_follower + i, "kcc.case", cid, pid))
                for i, (cid, pid) in enumerate(followed)
            ),
        )
        set_sequence(cr, "mail_followers")
        cr.commit()
        elapsed = time.perf_counter() - started
        rows.append(
            common.Row(
                "generate + COPY followers",
                f"{len(followed):,}",
                f"{elapsed:.1f} s ({len(followed) / max(elapsed, 1e-9):,.0f} rows/s)",
            )
        )
        # contacts
        agents = [org["agent"].id, org["supervisor"].id] + [
            u.id for u in org["staff"][:5]
        ]
        started = time.perf_counter()
        first_contact = next_id(cr, "kcc_contact")
        copy_rows(
            cr,
            "kcc_contact",
            CONTACT_COLUMNS,
            contact_rows(
                first_contact,
                contacts,
                case_keys,
                keys,
                agents,
                org["channels"],
                rng,
                now,
                company_id,
            ),
        )
        set_sequence(cr, "kcc_contact")
        cr.commit()
        elapsed = time.perf_counter() - started
        rows.append(
            common.Row(
                "generate + COPY contacts",
                f"{contacts:,}",
                f"{elapsed:.1f} s ({contacts / elapsed:,.0f} rows/s)",
            )
        )
        # as autovacuum leaves a live database: statistics and visibility map
        started = time.perf_counter()
        common.psql(
            dbname, "VACUUM ANALYZE res_partner, kcc_case, kcc_contact, mail_followers"
        )
        rows.append(
            common.Row(
                "VACUUM ANALYZE", "4 tables", f"{time.perf_counter() - started:.1f} s"
            )
        )
        # citizens with a portal login: customers that have cases
        counted = {}
        for _cid, pid, _c, _w, _g in case_keys:
            if pid:
                counted[pid] = counted.get(pid, 0) + 1
        by_weight = sorted(counted, key=lambda p: -counted[p])
        sample = (
            by_weight[:5]
            + [by_weight[i] for i in range(len(by_weight) // 10, len(by_weight), 997)][
                :15
            ]
        )
        citizens = make_portal_users(env, sample)
        cr.commit()
        facts = {
            "agent": org["agent"].id,
            "supervisor": org["supervisor"].id,
            "handler": org["handler"].id,
            "citizens": citizens.ids,
            "citizen_logins": citizens.mapped("login"),
            "partner_ids": [pid for pid, _c in keys],
        }
    return rows, facts


def build(dbname, partners, cases, contacts):
    common.ensure_template(TEMPLATE, ["leuven_kcc"])
    common.copy_db(TEMPLATE, dbname)
    started = time.perf_counter()
    rows, facts = generate(dbname, partners, cases, contacts)
    total = time.perf_counter() - started
    rows.append(
        common.Row(
            "data generation, total",
            f"{partners:,} partners, {cases:,} cases, {contacts:,} contacts",
            f"{total:.1f} s",
        )
    )
    return rows, facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=200000)
    parser.add_argument("--cases", type=int, default=1000000)
    parser.add_argument("--contacts", type=int, default=3000000)
    parser.add_argument("--db", default=f"{common.PREFIX}data")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    try:
        rows, _facts = build(args.db, args.partners, args.cases, args.contacts)
        common.print_table(rows, "KCC data generation")
    finally:
        if not args.keep:
            common.drop_db(args.db)


if __name__ == "__main__":
    main()

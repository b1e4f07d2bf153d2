#!/usr/bin/env python3
"""Guidance data at scale: citizens, dwellings and their holders,
trajectories, partner organisations and their grants (``kcc.consent``).

The organisation (50 partner organisations with a portal user each, coaches,
citizens' portal logins) is made through the ORM; the bulk rows are streamed
with ``COPY`` (helpers of ``kcc_data``). Stored computed fields are written in
the COPY with the values the ORM computes (``commercial_partner_id``,
``is_closed``, the consent's ``state``); the energy figures of the
trajectories (``epc_label_now``, ``epc_steps``, ``epc_improved``) are
recomputed through the ORM afterwards.

    .venv/bin/python bench/guidance_data.py [--trajectories 20000
        --dwellings 30000 --organisations 50] [--keep]
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import kcc_data
from kcc_data import copy_rows, line, next_id, set_sequence

TEMPLATE = f"{common.PREFIX}guidance_template"
MODULES = ["leuven_guidance", "leuven_energy"]
# the template is remade when any addon it holds changes
DIGEST_ADDONS = (
    "leuven_kcc", "leuven_burgerprofiel", "leuven_guidance", "leuven_energy",
)  # fmt: skip
PASSWORD = kcc_data.PASSWORD
CITIZEN_LOGINS = 20
EPC_LABELS = ("A+", "A", "B", "C", "D", "E", "F")
HEATING = ("gas", "oil", "electric", "heat_pump", "district", "wood")
INSULATION = ("yes", "partly", "no", "unknown")
GLAZING = ("single", "double", "high_efficiency", "triple")
CATEGORY_WEIGHTS = {
    "contact": 0.8, "dwelling": 0.7, "epc": 0.5, "financial": 0.3,
    "notes": 0.3, "documents": 0.3,
}  # fmt: skip


def partner_lines(first_id, count, company_id, now, rng):
    """Citizens: persons without a company (their own commercial partner)."""
    for index in range(count):
        pid = first_id + index
        name = f"Burger {pid}"
        email = f"burger{pid}@example.com"
        street = f"{rng.choice(kcc_data.STREETS)} {rng.randint(1, 200)}"
        yield line(
            (pid, name, name, company_id, "contact", True, False, False, None, pid,
             email, email, f"+32 16 {pid % 100:02d} {pid % 10000:04d}", street,
             rng.choice(kcc_data.POSTCODES), "Leuven", "nl_BE", now, now, 1, 1, True)
        )  # fmt: skip


DWELLING_COLUMNS = (
    "id", "street", "house_number", "box", "postcode", "city",
    "address_register_id", "building_unit_id", "latitude", "longitude",
    "construction_year", "heating_type", "roof_insulation", "wall_insulation",
    "glazing", "epc_label", "active", "company_id", "create_date", "write_date",
    "create_uid", "write_uid",
)  # fmt: skip
HOLDER_COLUMNS = (
    "id", "dwelling_id", "partner_id", "role", "date_from", "date_to",
    "create_date", "write_date", "create_uid", "write_uid",
)  # fmt: skip
TRAJECTORY_COLUMNS = (
    "id", "name", "type_id", "stage_id", "is_closed", "partner_id",
    "commercial_partner_id", "coach_id", "date_start", "date_end", "active",
    "company_id", "advice_given", "quote_received", "epc_steps", "epc_improved",
    "create_date", "write_date", "create_uid", "write_uid",
)  # fmt: skip
CONSENT_COLUMNS = (
    "id", "partner_id", "organisation_id", "purpose", "channel", "date", "user_id",
    "date_withdrawn", "state", "trajectory_id", "valid_until", "create_date",
    "write_date", "create_uid", "write_uid",
)  # fmt: skip


def set_passwords(env, users):
    """The same password for ``users``, hashed once (a hash takes seconds on
    a small machine; the ORM would hash it once per user)."""
    env.flush_all()
    hashed = env["res.users"]._crypt_context().hash(PASSWORD)
    env.cr.execute(
        "UPDATE res_users SET password = %s WHERE id = ANY(%s)", [hashed, users.ids]
    )
    env.invalidate_all()


def make_organisation(env, organisations, rng):
    """Partner organisations with one portal user each, and coaches."""
    ref = env.ref
    Users = env["res.users"].with_context(no_reset_password=True)
    Partner = env["res.partner"]
    portal = ref("base.group_portal")
    orgs = Partner.create(
        [
            {
                "name": f"Partnerorganisatie {i:02d}",
                "is_company": True,
                "kcc_is_partner_organisation": True,
                "email": f"partner{i:02d}@bench.leuven.invalid",
            }
            for i in range(organisations)
        ]
    )
    contacts = Partner.create(
        [
            {
                "name": f"Medewerker {org.name}",
                "parent_id": org.id,
                "email": f"medewerker{i:02d}@bench.leuven.invalid",
            }
            for i, org in enumerate(orgs)
        ]
    )
    users = Users.browse()
    for i, contact in enumerate(contacts):
        users |= Users.create(
            {
                "login": f"bench.partner{i:02d}",
                "partner_id": contact.id,
                "groups_id": [(6, 0, [portal.id])],
            }
        )
    coaches = Users.browse()
    for i in range(10):
        coaches |= Users.create(
            {
                "name": f"Coach {i:02d}",
                "login": f"bench.coach{i:02d}",
                "groups_id": [(6, 0, [ref("leuven_guidance.group_guidance_coach").id])],
            }
        )
    return orgs, users, coaches


def dwelling_and_holder_lines(
    first_dwelling,
    first_holder,
    count,
    citizens,
    others,
    company_id,
    now,
    rng,
    holders_out,
):
    """Dwellings; every citizen holds one, some two; 25 % of the dwellings
    have 2-3 holders, 10 % a former holder whose period ended."""  # fmt: skip
    today = now.date()
    holder_id = first_holder
    n_citizens = len(citizens)
    for index in range(count):
        did = first_dwelling + index
        if index < n_citizens:
            main = citizens[index]
        elif index < n_citizens * 1.2:
            main = citizens[rng.randrange(n_citizens)]
        else:
            main = rng.choice(others)
        people = [(main, rng.choice(("owner", "owner", "owner", "tenant")))]
        draw = rng.random()
        if draw < 0.25:
            extra = 1 if draw < 0.17 else 2
            for _i in range(extra):
                role = "co_owner" if people[0][1] == "owner" else "occupant"
                people.append((rng.choice(others + citizens[:2000]), role))
        if people[0][1] == "tenant":
            people.append((rng.choice(others), "landlord"))
        seen = set()
        for partner, role in people:
            if (partner, role) in seen:
                continue
            seen.add((partner, role))
            since = today - dt.timedelta(days=rng.randint(30, 8000))
            holders_out.append((did, partner, role, None))
            yield (
                "holder",
                line((holder_id, did, partner, role, since, None, now, now, 1, 1)),
            )
            holder_id += 1
        former = rng.choice(others)
        if rng.random() < 0.10 and (former, "owner") not in seen:
            until = today - dt.timedelta(days=rng.randint(1, 2000))
            holders_out.append((did, former, "owner", until))
            yield "holder", line(
                (holder_id, did, former, "owner", until - dt.timedelta(days=3000),
                 until, now, now, 1, 1)
            )  # fmt: skip
            holder_id += 1
        unit = f"{did}" if rng.random() < 0.2 else None
        yield "dwelling", line(
            (did, rng.choice(kcc_data.STREETS), str(rng.randint(1, 250)),
             unit and f"{rng.randint(1, 9)}", rng.choice(kcc_data.POSTCODES), "Leuven",
             f"https://data.vlaanderen.be/id/adres/{2000000 + did}", unit,
             50.87 + rng.random() * 0.03, 4.69 + rng.random() * 0.04,
             rng.randint(1880, 2024), rng.choice(HEATING), rng.choice(INSULATION),
             rng.choice(INSULATION), rng.choice(GLAZING),
             rng.choice(EPC_LABELS) if rng.random() < 0.4 else None, True,
             company_id, now, now, 1, 1)
        )  # fmt: skip


def generate(
    dbname, trajectories=20000, dwellings=30000, organisations=50, seed=21, addons=()
):
    """Fill ``dbname`` (a copy of the template); returns (rows, facts)."""
    rng = random.Random(seed)
    rows = []
    now = dt.datetime.now().replace(microsecond=0)
    today = now.date()
    n_citizens = max(1, round(trajectories * 0.75))
    n_others = max(10, round(n_citizens / 3))
    use_addons(dbname, addons)
    with common.environment(dbname, addons) as (env, cr):
        started = time.perf_counter()
        orgs, partner_users, coaches = make_organisation(env, organisations, rng)
        env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", 1000000)
        cr.commit()
        rows.append(
            common.Row(
                "organisations, users through the ORM",
                f"{organisations} organisations + users, 10 coaches",
                f"{time.perf_counter() - started:.1f} s",
            )
        )
        company_id = env.company.id
        # citizens and the other holders
        started = time.perf_counter()
        first = next_id(cr, "res_partner")
        total = n_citizens + n_others
        copy_rows(cr, "res_partner", kcc_data.PARTNER_COLUMNS,
                  partner_lines(first, total, company_id, now, rng))  # fmt: skip
        set_sequence(cr, "res_partner")
        citizens = list(range(first, first + n_citizens))
        others = list(range(first + n_citizens, first + total))
        # dwellings and holders
        first_dwelling = next_id(cr, "guidance_dwelling")
        first_holder = next_id(cr, "guidance_dwelling_holder")
        holders = []
        dwelling_text, holder_text = [], []
        for kind, text in dwelling_and_holder_lines(
            first_dwelling, first_holder, dwellings, citizens, others, company_id,
            now, rng, holders,
        ):  # fmt: skip
            (dwelling_text if kind == "dwelling" else holder_text).append(text)
        copy_rows(cr, "guidance_dwelling", DWELLING_COLUMNS, iter(dwelling_text))
        copy_rows(cr, "guidance_dwelling_holder", HOLDER_COLUMNS, iter(holder_text))
        set_sequence(cr, "guidance_dwelling")
        set_sequence(cr, "guidance_dwelling_holder")
        cr.commit()
        rows.append(
            common.Row(
                "COPY citizens, dwellings, holders",
                f"{total:,} partners, {dwellings:,} dwellings, "
                f"{len(holder_text):,} holders",
                f"{time.perf_counter() - started:.1f} s",
            )
        )
        # trajectories: citizens[i % n] so a quarter of them have two
        started = time.perf_counter()
        held = {}
        for did, partner, _role, until in holders:
            if until is None:
                held.setdefault(partner, []).append(did)
        stages = {
            t.id: [(s.id, s.is_closed) for s in t.stage_ids]
            for t in env["guidance.trajectory.type"].search([])
            if t.stage_ids
        }
        energy = env.ref("leuven_energy.guidance_type_energy", raise_if_not_found=False)
        type_ids = list(stages)
        type_weights = [4 if energy and t == energy.id else 1 for t in type_ids]
        coach_ids = coaches.ids
        first_trajectory = next_id(cr, "guidance_trajectory")
        trajectory_text, link_text = [], []
        facts_trajectories = []  # (id, partner, dwelling ids)
        for index in range(trajectories):
            tid = first_trajectory + index
            partner = citizens[index % n_citizens]
            type_id = rng.choices(type_ids, type_weights)[0]
            start = today - dt.timedelta(days=int(900 * rng.random() ** 1.3))
            stage_id, closed = rng.choice(stages[type_id])
            end = start + dt.timedelta(days=rng.randint(30, 400)) if closed else None
            trajectory_text.append(
                line(
                    (tid, f"BEG/{start.year}/{tid:06d}", type_id, stage_id, closed,
                     partner, partner, rng.choice(coach_ids), start,
                     min(end, today) if end else None, True, company_id,
                     rng.random() < 0.4, rng.random() < 0.2, 0, False, now, now, 1, 1)
                )
            )  # fmt: skip
            own = held.get(partner, [])
            linked = own[: 2 if rng.random() < 0.2 else 1]
            for did in linked:
                link_text.append(line((tid, did)))
            facts_trajectories.append((tid, partner, linked))
        copy_rows(cr, "guidance_trajectory", TRAJECTORY_COLUMNS, iter(trajectory_text))
        copy_rows(cr, "guidance_trajectory_dwelling_rel",
                  ("trajectory_id", "dwelling_id"), iter(link_text))  # fmt: skip
        set_sequence(cr, "guidance_trajectory")
        # the followers the ORM adds: the citizen follows his trajectory
        first_follower = next_id(cr, "mail_followers")
        copy_rows(
            cr,
            "mail_followers",
            ("id", "res_model", "res_id", "partner_id"),
            (
                line((first_follower + i, "guidance.trajectory", tid, partner))
                for i, (tid, partner, _d) in enumerate(facts_trajectories)
            ),
        )
        set_sequence(cr, "mail_followers")
        cr.commit()
        # the energy figures through the ORM (stored computed fields)
        Trajectory = env["guidance.trajectory"]
        all_trajectories = Trajectory.browse(
            range(first_trajectory, first_trajectory + trajectories)
        )
        for name in ("epc_label_now", "epc_steps", "epc_improved"):
            if name in Trajectory._fields:
                env.add_to_compute(Trajectory._fields[name], all_trajectories)
        Trajectory.flush_model()
        env.invalidate_all()
        cr.commit()
        rows.append(
            common.Row(
                "COPY trajectories (+ ORM recompute of EPC figures)",
                f"{trajectories:,} trajectories over {n_citizens:,} citizens, "
                f"{len(link_text):,} dwelling links",
                f"{time.perf_counter() - started:.1f} s",
            )
        )
        # grants: each organisation 200-800 active ones, plus withdrawn and
        # expired ones (25 % and 15 % on top)
        started = time.perf_counter()
        categories = {c.code: c.id for c in env["guidance.data.category"].search([])}
        first_consent = next_id(cr, "kcc_consent")
        consent_text, category_text, dwelling_link_text = [], [], []
        cid = first_consent
        with_dwellings = [t for t in facts_trajectories if t[2]]
        active_per_org = {}
        for org in orgs:
            active = rng.randint(200, 800)
            if trajectories < 20000:
                active = max(5, active * trajectories // 20000)
            withdrawn = round(active * 0.25)
            expired = round(active * 0.15)
            active_per_org[org.id] = active
            wanted = min(len(with_dwellings), active + withdrawn + expired)
            chosen = rng.sample(with_dwellings, wanted)
            for position, (tid, partner, linked) in enumerate(chosen):
                given = today - dt.timedelta(days=rng.randint(1, 700))
                withdrawn_at = valid_until = None
                if position < active:
                    if rng.random() < 0.6:
                        valid_until = today + dt.timedelta(days=rng.randint(1, 700))
                elif position < active + withdrawn:
                    withdrawn_at = now - dt.timedelta(days=rng.randint(0, 300))
                else:
                    valid_until = today - dt.timedelta(days=rng.randint(1, 300))
                consent_text.append(
                    line(
                        (cid, partner, org.id, "Begeleiding (bench)",
                         rng.choice(("written", "digital", "counter")), given, 1,
                         withdrawn_at, "withdrawn" if withdrawn_at else "active",
                         tid, valid_until, now, now, 1, 1)
                    )
                )  # fmt: skip
                codes = [
                    code
                    for code, weight in CATEGORY_WEIGHTS.items()
                    if code in categories and rng.random() < weight
                ] or ["contact"]
                for code in codes:
                    category_text.append(line((cid, categories[code])))
                for did in linked:
                    dwelling_link_text.append(line((cid, did)))
                cid += 1
        copy_rows(cr, "kcc_consent", CONSENT_COLUMNS, iter(consent_text))
        copy_rows(cr, "guidance_consent_category_rel", ("consent_id", "category_id"),
                  iter(category_text))  # fmt: skip
        copy_rows(cr, "guidance_consent_dwelling_rel", ("consent_id", "dwelling_id"),
                  iter(dwelling_link_text))  # fmt: skip
        set_sequence(cr, "kcc_consent")
        cr.commit()
        rows.append(
            common.Row(
                "COPY grants (kcc.consent)",
                f"{len(consent_text):,} consents, {min(active_per_org.values())}-"
                f"{max(active_per_org.values())} active per organisation",
                f"{time.perf_counter() - started:.1f} s",
            )
        )
        started = time.perf_counter()
        common.psql(
            dbname,
            "VACUUM ANALYZE res_partner, guidance_dwelling, guidance_dwelling_holder, "
            "guidance_trajectory, guidance_trajectory_dwelling_rel, kcc_consent, "
            "guidance_consent_category_rel, guidance_consent_dwelling_rel, "
            "mail_followers",
        )
        rows.append(
            common.Row(
                "VACUUM ANALYZE", "9 tables", f"{time.perf_counter() - started:.1f} s"
            )
        )
        # citizens with a portal login: half with two trajectories
        two = [c for c in citizens[: trajectories - n_citizens]][: CITIZEN_LOGINS // 2]
        one = citizens[trajectories - n_citizens :][: CITIZEN_LOGINS - len(two)]
        portal = env.ref("base.group_portal")
        citizen_users = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "login": f"bench.citizen{index:02d}",
                        "partner_id": pid,
                        "groups_id": [(6, 0, [portal.id])],
                    }
                    for index, pid in enumerate(two + one)
                ]
            )
        )
        set_passwords(env, citizen_users | partner_users | coaches)
        cr.commit()
        facts = {
            "citizens": citizen_users.ids,
            "partner_users": partner_users.ids,
            "organisations": orgs.ids,
        }
    return rows, facts


def addons_paths(addons):
    """``--addons FOLDER``: the addons taken from there (e.g. an unpacked
    ``git archive`` of a commit) rather than from the working tree."""
    return (Path(addons).resolve(),) if addons else ()


def use_addons(dbname, addons):
    """Put ``addons`` first in this process's addons path (Odoo appends the
    configured folders after those it already knows)."""
    if not addons:
        return
    odoo = common.odoo_setup(dbname, addons)
    paths = odoo.addons.__path__
    for folder in reversed(addons):
        folder = os.path.normcase(str(folder))
        if folder in paths:
            paths.remove(folder)
        paths.insert(0, folder)


def build(dbname, trajectories, dwellings, organisations, addons=()):
    root = addons[0] if addons else common.ROOT / "addons"
    common.ensure_template(
        TEMPLATE,
        MODULES,
        extra_addons=addons,
        digest_paths=[root / name for name in DIGEST_ADDONS],
    )
    common.copy_db(TEMPLATE, dbname)
    started = time.perf_counter()
    rows, facts = generate(
        dbname, trajectories, dwellings, organisations, addons=addons
    )
    rows.append(
        common.Row(
            "guidance data generation, total",
            f"{trajectories:,} trajectories, {dwellings:,} dwellings, "
            f"{organisations} organisations",
            f"{time.perf_counter() - started:.1f} s",
        )
    )
    return rows, facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trajectories", type=int, default=20000)
    parser.add_argument("--dwellings", type=int, default=30000)
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--db", default=f"{common.PREFIX}guidance")
    parser.add_argument("--addons", help="an addons folder used before addons/")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    try:
        rows, _facts = build(
            args.db,
            args.trajectories,
            args.dwellings,
            args.organisations,
            addons_paths(args.addons),
        )
        common.print_table(rows, "Guidance data generation")
    finally:
        if not args.keep:
            common.drop_db(args.db)


if __name__ == "__main__":
    main()

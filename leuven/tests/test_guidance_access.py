"""Partner access to guidance data: categories per dwelling, in time."""

import datetime as dt

import pytest

from leuven.guidance import access as acc

NOW = dt.datetime(2026, 3, 3, 10, 0)
ENERGY_HOUSE = 11
RENOVATION_NETWORK = 12
NAAMSESTRAAT, BONDGENOTENLAAN = 101, 102


def grant(partner=ENERGY_HOUSE, categories=(acc.EPC,), dwellings=(NAAMSESTRAAT,), **kw):
    return acc.Grant(partner, categories, dwellings, **kw)


# -- may_read ------------------------------------------------------------------
def test_partner_reads_its_category_of_its_dwelling_only():
    grants = [grant(categories=(acc.EPC, acc.DWELLING))]
    assert acc.may_read(grants, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, NOW)
    assert acc.may_read(grants, ENERGY_HOUSE, acc.DWELLING, NAAMSESTRAAT, NOW)
    assert not acc.may_read(grants, ENERGY_HOUSE, acc.FINANCIAL, NAAMSESTRAAT, NOW)
    assert not acc.may_read(grants, ENERGY_HOUSE, acc.EPC, BONDGENOTENLAAN, NOW)
    assert not acc.may_read(grants, RENOVATION_NETWORK, acc.EPC, NAAMSESTRAAT, NOW)


def test_no_grant_gives_nothing():
    assert not acc.may_read([], ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, NOW)
    assert acc.readable([], ENERGY_HOUSE, NOW) == {}
    assert not acc.may_read(None, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, NOW)


def test_expiry_exactly_at_now_has_taken_effect():
    grants = [grant(valid_until=NOW)]
    assert not acc.may_read(grants, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, NOW)
    before = NOW - dt.timedelta(microseconds=1)
    assert acc.may_read(grants, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, before)
    assert acc.readable(grants, ENERGY_HOUSE, NOW) == {}


def test_a_date_limit_includes_that_whole_day():
    grants = [grant(valid_until=NOW.date())]
    late = dt.datetime.combine(NOW.date(), dt.time(23, 59, 59))
    assert acc.may_read(grants, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, late)
    next_day = late + dt.timedelta(seconds=1)
    assert not acc.may_read(grants, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, next_day)


def test_grant_not_yet_started_gives_nothing():
    grants = [grant(valid_from=NOW + dt.timedelta(hours=1))]
    assert not acc.may_read(grants, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, NOW)
    starts_now = [grant(valid_from=NOW)]
    assert acc.may_read(starts_now, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, NOW)


def test_withdrawal_takes_effect_at_once():
    grants = [grant(withdrawn_at=NOW)]
    assert not acc.may_read(grants, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, NOW)
    earlier = NOW - dt.timedelta(seconds=1)
    assert acc.may_read(grants, ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, earlier)


def test_two_overlapping_grants_add_up_and_one_expiring_leaves_the_other():
    grants = [
        grant(categories=(acc.EPC,), valid_until=NOW + dt.timedelta(days=1)),
        grant(
            categories=(acc.EPC, acc.DWELLING),
            dwellings=(NAAMSESTRAAT, BONDGENOTENLAAN),
            valid_until=NOW + dt.timedelta(days=10),
        ),
        grant(partner=RENOVATION_NETWORK, categories=(acc.FINANCIAL,)),
    ]
    assert acc.readable(grants, ENERGY_HOUSE, NOW) == {
        NAAMSESTRAAT: {acc.EPC, acc.DWELLING},
        BONDGENOTENLAAN: {acc.EPC, acc.DWELLING},
    }
    # the first grant has expired, the second still gives the same
    later = NOW + dt.timedelta(days=2)
    assert acc.readable(grants, ENERGY_HOUSE, later) == acc.readable(
        grants, ENERGY_HOUSE, NOW
    )
    # withdrawing the wider grant leaves what the first one gives
    withdrawn = [grants[0], acc.Grant(**{**grants[1].__dict__, "withdrawn_at": NOW})]
    assert acc.readable(withdrawn, ENERGY_HOUSE, NOW) == {NAAMSESTRAAT: {acc.EPC}}
    assert not acc.may_read(withdrawn, ENERGY_HOUSE, acc.EPC, BONDGENOTENLAAN, NOW)
    assert acc.readable(withdrawn, ENERGY_HOUSE, later) == {}


def test_unknown_category_is_never_readable_and_refused_when_written():
    grants = [grant(categories=("epc", "bank_account"))]
    assert not acc.may_read(grants, ENERGY_HOUSE, "bank_account", NAAMSESTRAAT, NOW)
    assert acc.readable(grants, ENERGY_HOUSE, NOW) == {NAAMSESTRAAT: {acc.EPC}}
    only_unknown = [grant(categories=("bank_account",))]
    assert acc.readable(only_unknown, ENERGY_HOUSE, NOW) == {}
    with pytest.raises(acc.UnknownCategory) as err:
        acc.check_categories(["epc", "bank_account"])
    assert err.value.code == "unknown_category"
    assert err.value.category == "bank_account"
    assert acc.check_categories(["epc", "notes"]) == {"epc", "notes"}


def test_missing_partner_or_dwelling_gives_nothing():
    grants = [grant(partner=0)]
    assert not acc.may_read(grants, 0, acc.EPC, NAAMSESTRAAT, NOW)
    assert not acc.may_read(grants, False, acc.EPC, NAAMSESTRAAT, NOW)
    assert acc.readable(grants, None, NOW) == {}
    assert not acc.may_read([grant()], ENERGY_HOUSE, acc.EPC, None, NOW)


def test_one_category_or_dwelling_given_alone():
    single = acc.Grant(ENERGY_HOUSE, "epc", NAAMSESTRAAT)
    assert single.categories == {"epc"} and single.dwelling_ids == {NAAMSESTRAAT}
    assert acc.may_read([single], ENERGY_HOUSE, acc.EPC, NAAMSESTRAAT, NOW)


def test_dates_must_be_dates():
    with pytest.raises(TypeError):
        acc.Grant(ENERGY_HOUSE, (acc.EPC,), (NAAMSESTRAAT,), valid_until="2026-01-01")


def test_dwellings_for_a_category():
    grants = [
        grant(categories=(acc.EPC,), dwellings=(NAAMSESTRAAT,)),
        grant(categories=(acc.CONTACT,), dwellings=(BONDGENOTENLAAN,)),
    ]
    assert acc.dwellings_for(grants, ENERGY_HOUSE, acc.EPC, NOW) == {NAAMSESTRAAT}
    assert acc.dwellings_for(grants, ENERGY_HOUSE, acc.NOTES, NOW) == frozenset()


def test_next_change():
    grants = [
        grant(valid_until=NOW + dt.timedelta(days=3)),
        grant(withdrawn_at=NOW + dt.timedelta(hours=2)),
        grant(valid_until=NOW.date()),  # ends at midnight
        grant(partner=RENOVATION_NETWORK, valid_until=NOW + dt.timedelta(minutes=1)),
    ]
    assert acc.next_change(grants, ENERGY_HOUSE, NOW) == NOW + dt.timedelta(hours=2)
    assert acc.next_change(grants[:1], ENERGY_HOUSE, NOW) == NOW + dt.timedelta(days=3)
    assert acc.next_change(grants[2:3], ENERGY_HOUSE, NOW) == dt.datetime(2026, 3, 4)
    assert acc.next_change([], ENERGY_HOUSE, NOW) is None


# -- fields ----------------------------------------------------------------------
FIELD_MAP = {
    acc.DWELLING: ["year_built", "heating", "roof_insulated"],
    acc.EPC: ["epc_label", "epc_score"],
    acc.FINANCIAL: ["income_category"],
}
RECORD = {
    "name": "Naamsestraat 10",
    "year_built": 1965,
    "heating": "oil_boiler",
    "roof_insulated": False,
    "epc_label": "E",
    "epc_score": 512,
    "income_category": 2,
}


def test_fields_for_the_readable_categories():
    assert acc.fields_for({acc.EPC}, FIELD_MAP, ["name"]) == {
        "name",
        "epc_label",
        "epc_score",
    }
    assert acc.fields_for({acc.EPC, acc.FINANCIAL}, FIELD_MAP) == {
        "epc_label",
        "epc_score",
        "income_category",
    }
    # a category without fields in the map still shows the base fields
    assert acc.fields_for({acc.NOTES}, FIELD_MAP, ["name"]) == {"name"}


def test_no_category_means_no_field_not_even_the_name():
    assert acc.fields_for(set(), FIELD_MAP, ["name"]) == frozenset()
    assert acc.fields_for({"bank_account"}, FIELD_MAP, ["name"]) == frozenset()
    assert acc.mask(RECORD, set(), FIELD_MAP, ["name"]) == {}


def test_mask_leaves_the_other_fields_out():
    assert acc.mask(RECORD, {acc.EPC}, FIELD_MAP, ["name"]) == {
        "name": "Naamsestraat 10",
        "epc_label": "E",
        "epc_score": 512,
    }


# -- the read log ----------------------------------------------------------------
def test_read_entries_log_only_what_was_shown():
    grants = [grant(categories=(acc.EPC, acc.DWELLING), grant_id=7)]
    entries = acc.read_entries(
        grants,
        ENERGY_HOUSE,
        [acc.FINANCIAL, acc.EPC, acc.DWELLING],
        NAAMSESTRAAT,
        NOW,
        trajectory_id=5,
        user_id=99,
    )
    assert entries == [
        acc.ReadLogEntry(ENERGY_HOUSE, acc.DWELLING, NOW, NAAMSESTRAAT, 5, 99, 7),
        acc.ReadLogEntry(ENERGY_HOUSE, acc.EPC, NOW, NAAMSESTRAAT, 5, 99, 7),
    ]
    assert acc.read_entries(grants, ENERGY_HOUSE, [acc.EPC], NAAMSESTRAAT, NOW) != []
    expired = [grant(valid_until=NOW)]
    assert acc.read_entries(expired, ENERGY_HOUSE, [acc.EPC], NAAMSESTRAAT, NOW) == []


def test_summary_groups_reads_per_day_newest_first():
    day1 = dt.datetime(2026, 3, 1, 9, 0)
    day2 = dt.datetime(2026, 3, 3, 14, 0)
    log = [
        acc.ReadLogEntry(ENERGY_HOUSE, acc.EPC, day1, NAAMSESTRAAT, 5),
        acc.ReadLogEntry(
            ENERGY_HOUSE, acc.EPC, day1 + dt.timedelta(hours=2), NAAMSESTRAAT, 6
        ),
        acc.ReadLogEntry(ENERGY_HOUSE, acc.DWELLING, day1, NAAMSESTRAAT, 5),
        acc.ReadLogEntry(RENOVATION_NETWORK, acc.FINANCIAL, day2, BONDGENOTENLAAN, 8),
        acc.ReadLogEntry(ENERGY_HOUSE, acc.CONTACT, day2, None, 5),
        acc.ReadLogEntry(ENERGY_HOUSE, acc.EPC, day2, NAAMSESTRAAT, 5),
    ]
    rows = acc.summarise_log(log)
    assert [(r.day.day, r.partner_id, r.dwelling_id, r.category) for r in rows] == [
        (3, ENERGY_HOUSE, None, acc.CONTACT),
        (3, ENERGY_HOUSE, NAAMSESTRAAT, acc.EPC),
        (3, RENOVATION_NETWORK, BONDGENOTENLAAN, acc.FINANCIAL),
        (1, ENERGY_HOUSE, NAAMSESTRAAT, acc.DWELLING),
        (1, ENERGY_HOUSE, NAAMSESTRAAT, acc.EPC),
    ]
    epc_day1 = rows[-1]
    assert epc_day1.count == 2
    assert epc_day1.first_at == day1
    assert epc_day1.last_at == day1 + dt.timedelta(hours=2)
    assert epc_day1.trajectory_ids == (5, 6)
    assert acc.summarise_log(log, since=day2) == rows[:3]
    assert acc.summarise_log(log, limit=1) == rows[:1]
    assert acc.summarise_log([]) == []

import datetime as dt

from leuven.kcc import privacy


def test_mask_text_keeps_first_letters_and_hides_digits():
    assert privacy.mask_text("Klacht over Jan Peeters") == "K***** o*** J** P******"
    assert privacy.mask_text("Naamsestraat 12") == "N*********** **"
    assert privacy.mask_text("") == ""
    assert privacy.mask_text(None) == ""


def test_add_months_clamps_to_month_end():
    assert privacy.add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert privacy.add_months(dt.date(2024, 1, 15), -60) == dt.date(2019, 1, 15)
    assert privacy.add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)


def test_retention_cutoff_falls_back_to_default():
    now = dt.datetime(2026, 6, 1, 12, 0)
    assert privacy.retention_cutoff(now, 12) == dt.datetime(2025, 6, 1, 12, 0)
    assert privacy.retention_cutoff(now, 0) == dt.datetime(2021, 6, 1, 12, 0)


def test_erasure_decision_keeps_open_cases():
    assert privacy.erasure_decision({"state": "closed"}) == ("anonymise", None)
    assert privacy.erasure_decision({"state": "new"}) == ("keep", "open_case")
    assert privacy.erasure_decision({"state": "waiting"}) == ("keep", "open_case")
    assert privacy.erasure_decision({"state": "answered"}) == ("anonymise", None)

import pytest

from leuven.burgerprofiel import identifiers as ids


@pytest.mark.parametrize("value", ["85.07.30-033.28", "85073003328", "00010100105"])
def test_valid_national_numbers(value):
    assert ids.is_valid_insz(value)


@pytest.mark.parametrize(
    "value", ["85073003329", "00010100174", "8507300332", "", None, "abc"]
)
def test_invalid_national_numbers(value):
    assert not ids.is_valid_insz(value)


def test_normalize_and_mask():
    assert ids.normalize_insz("85.07.30-033.28") == "85073003328"
    assert ids.mask_insz("85073003328") == "85.07.30-xxx.xx"
    with pytest.raises(ValueError):
        ids.normalize_insz("12345678901")


def test_kbo_of_the_city_of_leuven():
    assert ids.is_valid_kbo("0207.521.503")
    assert ids.format_kbo("207521503") == "0207.521.503"
    assert not ids.is_valid_kbo("0207.521.504")
    with pytest.raises(ValueError):
        ids.format_kbo("2207521503")


def _script(ascii_digits, zero):
    """The same number in the digits of another script (``zero`` is its 0)."""
    return "".join(chr(zero + int(digit)) for digit in ascii_digits)


def _insz(first_nine, century=1900):
    """An INSZ with the right check number for these nine digits."""
    base = int(first_nine) if century == 1900 else int("2" + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


@pytest.mark.parametrize(
    "value",
    [
        _insz("851330033"),  # month 13
        _insz("859930033"),  # month 99
        _insz("850732033"),  # 32 July
        _insz("850230033"),  # 30 February
        _insz("850229033"),  # 29 February 1985: no leap year
        _insz("010229033", 2000),  # 29 February 2001
        _insz("850431033"),  # 31 April
        _insz("853330033"),  # BIS month 13 (+20)
        _insz("855330033"),  # BIS month 13 (+40)
        _insz("856130033"),  # month 61
        _insz("852230033"),  # BIS 30 February
    ],
)
def test_impossible_birth_dates_are_refused_despite_the_check_number(value):
    assert not ids.is_valid_insz(value)
    with pytest.raises(ValueError):
        ids.normalize_insz(value)


@pytest.mark.parametrize(
    "value",
    [
        _insz("840229033"),  # 29 February 1984, a leap year
        _insz("000229033", 2000),  # 29 February 2000
        _insz("852730033"),  # BIS number, month +20
        _insz("854730033"),  # BIS number, month +40
        _insz("850700033"),  # day not known
        _insz("850000033"),  # birth date not known
        _insz("852000033"),  # BIS number, birth date not known
        _insz("854000033"),  # BIS number, birth date not known
    ],
)
def test_possible_and_documented_unknown_birth_dates_are_accepted(value):
    assert ids.is_valid_insz(value)
    assert ids.normalize_insz(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "85073003328",
        "85.07.30-033.28",
        " 85 07 30 033 28 ",
        "850730-03328",
    ],
)
def test_usual_separators_are_accepted(value):
    assert ids.normalize_insz(value) == "85073003328"


@pytest.mark.parametrize(
    "value",
    [
        "85073003328x",  # a letter is not stripped away
        "A85073003328",
        "85.07.30/033.28",
        "850730\n03328",
        "8507300332\x008",
        _script("85073003328", 0xFF10),  # full-width digits
        _script("85073003328", 0x0660),  # Arabic-Indic digits
        "8507300332\u0668",  # one Arabic-Indic digit
        85073003328,  # not text
    ],
)
def test_letters_and_other_scripts_digits_are_refused(value):
    assert not ids.is_valid_insz(value)
    assert ids.digits_only(value) == ""
    assert ids.mask_insz(value) == ""
    with pytest.raises(ValueError):
        ids.normalize_insz(value)


@pytest.mark.parametrize(
    "value",
    [
        "0207.521.503x",
        "XE0207521503",
        "0207BE521503",
        "BEBE0207521503",
        _script("0207521503", 0xFF10),  # full-width digits
        "0207.521.50\u0663",  # Arabic-Indic 3
        "０207521503",
    ],
)
def test_kbo_numbers_only_of_ascii_digits(value):
    assert not ids.is_valid_kbo(value)
    with pytest.raises(ValueError):
        ids.format_kbo(value)


def test_kbo_with_usual_separators():
    assert ids.format_kbo("0207 521 503") == "0207.521.503"
    assert ids.format_kbo("0207-521-503") == "0207.521.503"


def test_kbo_in_vat_notation():
    """The VAT notation of the same number, as printed on invoices."""
    assert ids.format_kbo("BE0207521503") == "0207.521.503"
    assert ids.format_kbo("be 0207.521.503") == "0207.521.503"


@pytest.mark.parametrize("value", ["V0001027", "v0001027", " V0001027 "])
def test_vcodes(value):
    assert ids.is_valid_vcode(value)
    assert ids.normalize_vcode(value) == "V0001027"


@pytest.mark.parametrize(
    "value",
    [
        "V000102",
        "V00010270",
        "X0001027",
        "V000\n1027",
        "V000102\uff17",  # full-width 7
        "V000102\u0667",  # Arabic-Indic 7
        "V\u0660\u0660\u0660\u0661\u0660\u0662\u0667",
        "\uff360001027",  # full-width V
        None,
        1027,
    ],
)
def test_malformed_vcodes_are_refused(value):
    assert not ids.is_valid_vcode(value)
    with pytest.raises(ValueError):
        ids.normalize_vcode(value)

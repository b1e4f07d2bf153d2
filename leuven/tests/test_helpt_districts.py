"""Districts of Leuven Helpt from postcodes."""

import pytest

from leuven.helpt import districts


@pytest.mark.parametrize(
    ("postcode", "code"),
    [
        ("3000", "leuven"),
        ("3001", "heverlee"),
        ("3010", "kessel_lo"),
        ("3012", "wilsele"),
        ("3018", "wijgmaal"),
        (3001, "heverlee"),
        (" 3010 ", "kessel_lo"),
        ("B-3012", "wilsele"),
        ("3018 Wijgmaal", "wijgmaal"),
    ],
)
def test_postcodes_of_leuven_give_their_district(postcode, code):
    assert districts.district_of(postcode) == code


@pytest.mark.parametrize(
    "postcode", ["1000", "3020", "30010", "300", "", None, "Leuven", True, "13000"]
)
def test_other_or_no_postcodes_give_no_district(postcode):
    assert districts.district_of(postcode) is None


def test_five_districts_with_unique_codes_and_postcodes():
    codes = [code for code, _name, _postcodes in districts.DISTRICTS]
    postcodes = [p for _code, _name, ps in districts.DISTRICTS for p in ps]
    assert codes == ["leuven", "heverlee", "kessel_lo", "wilsele", "wijgmaal"]
    assert len(set(postcodes)) == len(postcodes) == 5
    assert districts.district_name("kessel_lo") == "Kessel-Lo"
    assert districts.district_name("elsewhere") is None

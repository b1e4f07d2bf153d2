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

"""Association register (public API) and company lookup via MAGDA, on loopback."""

import pytest

from leuven.burgerprofiel import magda, registers
from leuven.tests.fake_authentic_sources import FakeAssociationRegister, FakeMagda


@pytest.fixture
def register():
    with FakeAssociationRegister(api_key="secret-key", max_seconds=60) as server:
        yield server


def test_association_found_and_mapped(register):
    found = registers.fetch_association(
        "v0001027", base_url=register.base_url, api_key="secret-key"
    )
    assert found.name == "Buurtcomité Sint-Maartensdal"
    assert found.short_name == "BSM"
    assert found.vcode == "V0001027"
    assert found.kbo_number == "0207.521.503"
    assert found.email == "info@bsm.example"
    assert found.phone == "016 12 34 56"
    assert found.website == "https://bsm.example"
    # the primary location, not the first one
    assert found.address.street == "Sint-Maartensstraat"
    assert (found.address.number, found.address.box) == ("12", "B")
    assert (found.address.postcode, found.address.municipality) == ("3000", "Leuven")
    assert found.address.country_code == "BE"
    method, path, headers, _body = register.requests[0]
    assert (method, path) == ("GET", "/v1/verenigingen/V0001027")
    assert headers.get("vr-api-key") == "secret-key"


def test_association_not_found(register):
    with pytest.raises(registers.NotFound):
        registers.fetch_association(
            "V0009999", base_url=register.base_url, api_key="secret-key"
        )


def test_missing_or_wrong_api_key(register):
    with pytest.raises(registers.ApiKeyRefused, match="API key"):
        registers.fetch_association("V0001027", base_url=register.base_url)
    with pytest.raises(registers.ApiKeyRefused, match="API key"):
        registers.fetch_association(
            "V0001027", base_url=register.base_url, api_key="wrong"
        )


def test_no_key_header_when_none_configured():
    with FakeAssociationRegister(api_key="", max_seconds=60) as server:
        registers.fetch_association("V0001027", base_url=server.base_url)
        assert "vr-api-key" not in {k.lower() for k in server.requests[0][2]}


def test_server_error(register):
    register.mode = "error"
    with pytest.raises(registers.TechnicalError, match="500"):
        registers.fetch_association(
            "V0001027", base_url=register.base_url, api_key="secret-key"
        )


def test_malformed_vcode_is_refused(register):
    with pytest.raises(ValueError):
        registers.fetch_association("1027", base_url=register.base_url)
    assert register.requests == []


def test_company_by_kbo_through_magda():
    with FakeMagda(max_seconds=60) as fake:
        config = magda.MagdaConfig(
            sender_id="kbo.0207521503",
            capacity="1234",
            environment="custom",
            company_url=fake.company_url,
        )
        company = registers.fetch_company(magda.MagdaClient(config), "0207.521.503")
        assert company.name == "Stad Leuven"
        assert company.kbo_number == "0207.521.503"
        assert company.legal_form == "Gemeente"
        assert company.address.municipality == "Leuven"
        assert company.reference
        with pytest.raises(magda.NotFound):
            registers.fetch_company(magda.MagdaClient(config), "0403.170.701")

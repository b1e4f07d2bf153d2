"""The MAGDA client against a local endpoint answering in MAGDA's format."""

import socket

import pytest
from lxml import etree

from leuven.burgerprofiel import magda
from leuven.tests.fake_authentic_sources import (
    FakeMagda,
    body_element,
    magda_response,
    schema,
)

UNKNOWN_INSZ = "90010100123"  # well-formed, not in the fake register
UNKNOWN_KBO = "0403.170.701"


def _config(fake, **values):
    data = {
        "sender_id": "kbo.0207521503",
        "capacity": "1234",
        "environment": "custom",
        "person_url": fake.person_url,
        "company_url": fake.company_url,
        "read_timeout": 5,
    }
    data.update(values)
    return magda.MagdaConfig(**data)


@pytest.fixture
def fake():
    with FakeMagda(max_seconds=60) as server:
        yield server


def test_person_found(fake):
    person = magda.MagdaClient(_config(fake)).lookup_person("85.07.30-033.28")
    assert person.national_number == "85073003328"
    assert person.first_names == ("Ann", "Maria")
    assert person.last_name == "Peeters"
    assert person.name == "Ann Peeters"
    assert person.birth_date == "1985-07-30"
    assert person.address == magda.Address(
        street="Naamsestraat",
        number="96",
        box="0101",
        postcode="3000",
        municipality="Leuven",
        country_code="BE",
    )
    assert person.reference
    assert fake.errors == []


def test_company_found(fake):
    company = magda.MagdaClient(_config(fake)).lookup_company("0207521503")
    assert company.kbo_number == "0207.521.503"
    assert company.name == "Stad Leuven"
    assert company.legal_form == "Gemeente"
    assert (company.status, company.status_code) == ("Actief", "AC")
    assert company.address.street == "Professor Van Overstraetenplein"
    assert company.address.postcode == "3000"
    assert company.address.country_code == "BE"


def test_person_not_found(fake):
    with pytest.raises(magda.NotFound) as info:
        magda.MagdaClient(_config(fake)).lookup_person(UNKNOWN_INSZ)
    assert info.value.code == "30003"
    assert info.value.reference
    assert fake.errors == []


def test_company_not_found(fake):
    with pytest.raises(magda.NotFound) as info:
        magda.MagdaClient(_config(fake)).lookup_company(UNKNOWN_KBO)
    assert info.value.code == "40046"


def test_no_permission(fake):
    fake.mode = "no_permission"
    with pytest.raises(magda.NoPermission, match="machtiging"):
        magda.MagdaClient(_config(fake)).lookup_person("85073003328")


def test_server_error_with_soap_fault(fake):
    fake.mode = "fault"
    with pytest.raises(magda.TechnicalError, match="SOAP fault") as info:
        magda.MagdaClient(_config(fake)).lookup_person("85073003328")
    assert not isinstance(info.value, magda.NotFound)


def test_timeout(fake):
    fake.mode, fake.delay = "slow", 2
    client = magda.MagdaClient(_config(fake, read_timeout=0.3))
    with pytest.raises(magda.Timeout):
        client.lookup_person("85073003328")


def test_unreachable_endpoint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = magda.MagdaConfig(
        sender_id="x",
        capacity="1",
        environment="custom",
        person_url=f"http://127.0.0.1:{port}/soap",
    )
    with pytest.raises(magda.TechnicalError, match="cannot be reached"):
        magda.MagdaClient(config).lookup_person("85073003328")


def test_malformed_numbers_are_refused_before_any_call(fake):
    client = magda.MagdaClient(_config(fake))
    with pytest.raises(ValueError):
        client.lookup_person("85073003329")
    with pytest.raises(ValueError):
        client.lookup_company("0207521504")
    assert fake.requests == []


def test_request_validates_and_carries_sender_capacity_fresh_references(fake):
    client = magda.MagdaClient(
        _config(fake, sender_id="kbo.0207521503", capacity="6001")
    )
    client.lookup_person("85073003328")
    client.lookup_person("85073003328")
    client.lookup_company("0207521503")
    references = set()
    for (_method, _path, _headers, body), operation in zip(
        fake.requests, ["GeefPersoon", "GeefPersoon", "GeefOnderneming"]
    ):
        request = body_element(body)
        assert etree.QName(request).localname == operation
        request_schema = schema(operation)
        assert request_schema.validate(request), request_schema.error_log
        context = request.find("Verzoek/Context")
        assert context.findtext("Naam") == operation
        assert context.findtext("Versie") in ("02.02.0000", "02.00.0000")
        bericht = context.find("Bericht")
        assert bericht.findtext("Type") == "VRAAG"
        assert bericht.findtext("Tijdstip/Datum")
        assert bericht.findtext("Afzender/Identificatie") == "kbo.0207521503"
        assert bericht.findtext("Afzender/Hoedanigheid") == "6001"
        assert bericht.findtext("Ontvanger/Identificatie") == "vip.vlaanderen.be"
        references.add(bericht.findtext("Afzender/Referte"))
        references.add(request.findtext("Verzoek/Vragen/Vraag/Referte"))
    assert len(references) == 6, "every message and question has its own Referte"
    person_request = body_element(fake.requests[0][3])
    inhoud = person_request.find("Verzoek/Vragen/Vraag/Inhoud")
    assert inhoud.findtext("Bron") == "KSZ"
    assert inhoud.findtext("Taal") == "nl"
    assert inhoud.findtext("Criteria/INSZ") == "85073003328"
    assert inhoud.findtext("Criteria/OpvragingenKSZ/BasisPersoonsgegevens") == "1"
    company_request = body_element(fake.requests[2][3])
    assert (
        company_request.findtext(
            "Verzoek/Vragen/Vraag/Inhoud/Criteria/Ondernemingsnummer"
        )
        == "0207521503"
    )


def test_fake_answers_are_valid_against_the_response_schemas():
    for operation, number_tag, numbers in (
        ("GeefPersoon", "INSZ", ["85073003328", UNKNOWN_INSZ]),
        ("GeefOnderneming", "Ondernemingsnummer", ["0207521503", "0403170701"]),
    ):
        for number in numbers:
            ns = (
                "http://magda.vlaanderen.be/persoon/soap/geefpersoon/v02_02"
                if operation == "GeefPersoon"
                else "http://webservice.geefondernemingdienst-02_00"
                ".onderneming-02_00.vip.vlaanderen.be"
            )
            request = etree.fromstring(
                f'<m:{operation} xmlns:m="{ns}"><Verzoek><Context><Bericht>'
                "<Afzender><Identificatie>x</Identificatie><Referte>r1</Referte>"
                "<Hoedanigheid>1</Hoedanigheid></Afzender></Bericht></Context>"
                "<Vragen><Vraag><Referte>r2</Referte><Inhoud><Criteria>"
                f"<{number_tag}>{number}</{number_tag}>"
                f"</Criteria></Inhoud></Vraag></Vragen></Verzoek></m:{operation}>"
            )
            answer = body_element(magda_response(operation, request))
            response_schema = schema(f"{operation}Response")
            assert response_schema.validate(answer), response_schema.error_log


class _MarkingSigner:
    """Stands in for a real XML-DSig signer: records what it was given."""

    def __init__(self):
        self.seen = []

    def sign(self, envelope):
        body = envelope.find("{*}Body")
        self.seen.append(body.get("Id"))
        header = envelope.find("{*}Header")
        if header is None:
            header = etree.Element(etree.QName(envelope, "Header"))
            envelope.insert(0, header)
        etree.SubElement(header, "{http://www.w3.org/2000/09/xmldsig#}Signature")
        return envelope


def test_signer_is_called_on_the_body_with_id(fake):
    signer = _MarkingSigner()
    client = magda.MagdaClient(_config(fake, signer=signer))
    client.lookup_person("85073003328")
    assert signer.seen == ["Body"]
    sent = etree.fromstring(fake.requests[0][3])
    assert (
        sent.find("{*}Header/{http://www.w3.org/2000/09/xmldsig#}Signature") is not None
    )
    assert sent.find("{*}Body").get("Id") == "Body"


def test_production_needs_certificate_and_signer():
    config = magda.MagdaConfig(sender_id="x", capacity="1")
    assert config.endpoint(magda.PERSON).startswith("https://magdapersoondienst.")
    assert config.endpoint(magda.COMPANY).startswith("https://magdaondernemingdienst.")
    with pytest.raises(magda.ConfigurationError, match="certificate"):
        magda.MagdaClient(config).lookup_person("85073003328")
    config.cert_file, config.key_file = "/etc/magda/client.crt", "/etc/magda/client.key"
    with pytest.raises(magda.ConfigurationError, match="signed"):
        magda.MagdaClient(config).lookup_person("85073003328")


def test_test_environment_needs_its_endpoints():
    config = magda.MagdaConfig(sender_id="x", capacity="1", environment="test")
    with pytest.raises(magda.ConfigurationError, match="endpoint"):
        config.endpoint(magda.PERSON)
    with pytest.raises(magda.ConfigurationError):
        magda.MagdaConfig(sender_id="x", capacity="1", environment="acceptance")


def test_sender_and_capacity_are_required(fake):
    with pytest.raises(magda.ConfigurationError, match="Hoedanigheid"):
        magda.MagdaClient(_config(fake, capacity="")).lookup_person("85073003328")


def test_mutual_tls_session():
    config = magda.MagdaConfig(
        sender_id="x",
        capacity="1",
        cert_file="/etc/magda/client.crt",
        key_file="/etc/magda/client.key",
        ca_bundle="/etc/magda/ca.pem",
    )
    session = magda.MagdaClient(config).session
    assert session.cert == ("/etc/magda/client.crt", "/etc/magda/client.key")
    assert session.verify == "/etc/magda/ca.pem"
    plain = magda.MagdaClient(magda.MagdaConfig(sender_id="x", capacity="1")).session
    assert plain.verify is True

import base64

import jsonschema
import pytest

from leuven.burgerprofiel import melding

CATEGORIES = [
    melding.Category("wegdek", "Put in de weg"),
    melding.Category("sluikstort", "Sluikstort", photo_required=True),
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _body(**changes):
    body = {
        "meldingId": "mbp-123",
        "categorie": "wegdek",
        "omschrijving": "Diepe put in het fietspad",
        "locatie": {
            "adres": {
                "straat": "Naamsestraat",
                "huisnummer": "12",
                "postcode": "3000",
                "gemeente": "Leuven",
            }
        },
    }
    body.update(changes)
    return body


def test_the_configuration_conforms_to_its_own_description():
    config = melding.configuration(CATEGORIES, "https://www.leuven.be")
    jsonschema.validate(config, melding.component_schema("Configuration"))
    jsonschema.Draft202012Validator.check_schema(config["formulierSchema"])
    jsonschema.validate(_body(), config["formulierSchema"])


def test_a_good_report():
    submission = melding.check(_body(), CATEGORIES)
    assert (submission.street, submission.postcode) == ("Naamsestraat 12", "3000")
    assert submission.category_code == "wegdek"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"categorie": "onbekend"}, "categorie"),
        ({"omschrijving": ""}, "omschrijving"),
        ({"locatie": {}}, "locatie"),
        (
            {"locatie": {"adres": {"straat": "X", "postcode": "30"}}},
            "locatie/adres/postcode",
        ),
        ({"extra": 1}, "melding"),
        ({"categorie": "sluikstort"}, "melding"),
    ],
)
def test_schema_violations_say_which_field(changes, field):
    with pytest.raises(ValueError) as err:
        melding.check(_body(**changes), CATEGORIES)
    assert field in err.value.args[0]


def test_attachments_are_checked_by_content_and_size():
    good = {
        "bestandsnaam": "put.png",
        "mimeType": "image/png",
        "inhoud": base64.b64encode(PNG).decode(),
    }
    assert melding.check(_body(bijlagen=[good]), CATEGORIES).attachments[0].data == PNG
    fake = dict(good, inhoud=base64.b64encode(b"MZ not a png").decode())
    with pytest.raises(ValueError) as err:
        melding.check(_body(bijlagen=[fake]), CATEGORIES)
    assert "bijlagen/0" in err.value.args[0]
    big = dict(
        good,
        inhoud=base64.b64encode(PNG + b"\0" * melding.MAX_ATTACHMENT_BYTES).decode(),
    )
    with pytest.raises(melding.TooLarge):
        melding.check(_body(bijlagen=[big]), CATEGORIES)


def test_status_conforms():
    document = melding.status(
        "mbp-123", "KCC/2026/000001", "in_treatment", "In behandeling",
        "2026-11-25T10:00:00+00:00", "2026-11-25T11:00:00+00:00", "https://www.leuven.be",
    )  # fmt: skip
    jsonschema.validate(document, melding.component_schema("Status"))


def _address(**changes):
    address = {"straat": "Naamsestraat", "postcode": "3000", **changes}
    return {"adres": address}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"meldingId": "mbp\r\n123"}, "meldingId"),
        ({"meldingId": "mbp 123"}, "meldingId"),
        ({"meldingId": "mbp\x00"}, "meldingId"),
        ({"meldingId": "x" * 101}, "meldingId"),
        ({"meldingId": "mbp/../1"}, "meldingId"),
        ({"omschrijving": "Put\x00 in de weg"}, "omschrijving"),
        ({"omschrijving": "Put \x1b[31m in de weg"}, "omschrijving"),
        ({"locatie": _address(straat="Naamse\x00straat")}, "locatie/adres/straat"),
        ({"locatie": _address(straat="Naamse\r\nstraat")}, "locatie/adres/straat"),
        ({"locatie": _address(straat="x" * 201)}, "locatie/adres/straat"),
        ({"locatie": _address(gemeente="Leu\x07ven")}, "locatie/adres/gemeente"),
        ({"contact": {"naam": "Ann\nPeeters"}}, "contact/naam"),
    ],
)
def test_control_characters_line_breaks_and_odd_ids_are_refused(changes, field):
    with pytest.raises(ValueError) as err:
        melding.check(_body(**changes), CATEGORIES)
    assert field in err.value.args[0]


@pytest.mark.parametrize(
    "point",
    [
        {"lat": float("nan"), "lon": 4.7},
        {"lat": float("inf"), "lon": 4.7},
        {"lat": 999, "lon": 4.7},
        {"lat": "50.8", "lon": 4.7},
        {"lat": True, "lon": 4.7},
        {"lat": 50.8},
        {"lat": 50.8, "lon": None},
    ],
)
def test_impossible_coordinates_are_refused(point):
    with pytest.raises(ValueError):
        melding.check(_body(locatie={"coordinaten": point}), CATEGORIES)


def test_coordinates_are_kept_as_floats():
    submission = melding.check(
        _body(locatie={"coordinaten": {"lat": 50.87, "lon": 4.7}}), CATEGORIES
    )
    assert (submission.latitude, submission.longitude) == (50.87, 4.7)

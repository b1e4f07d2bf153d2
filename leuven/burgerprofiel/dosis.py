"""Status of a case for the customer's profile (DOSIS / Mijn Burgerprofiel).

The one place that maps a case to what is pushed: a ``dossierStatus`` message
when a case of a known customer is created or changes citizen-facing status,
and a ``notificatie`` when it is resolved. The format is published as JSON
Schema (``dosis-status.schema.json``); when the real interface is published,
only this module changes.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from . import identifiers

SCHEMA = json.loads(
    (Path(__file__).resolve().parent / "dosis-status.schema.json").read_text()
)
SOURCE_SYSTEM = "Stad Leuven KCC"
#: citizen-facing statuses that ask something of the customer
ACTION_NEEDED = {"waiting": "Beantwoord de vraag van de stad in uw dossier."}
RESOLVED = ("answered", "closed")


@dataclass
class CaseStatus:
    """What the push needs to know about a case (filled in by the addon)."""

    reference: str
    title: str
    status_code: str
    status_label: str
    status_date: str  # ISO 8601 with time zone
    url: str
    national_number: str = ""
    kbo_number: str = ""
    vcode: str = ""
    product: str = ""


def agents(case):
    """The customer identifiers the dossier is shown to (DOSIS 'agenten')."""
    result = []
    if case.national_number and identifiers.is_valid_insz(case.national_number):
        result.append(
            {
                "type": "rijksregisternummer",
                "id": identifiers.digits_only(case.national_number),
            }
        )
    if case.kbo_number and identifiers.is_valid_kbo(case.kbo_number):
        result.append(
            {"type": "kbonummer", "id": identifiers.digits_only(case.kbo_number)}
        )
    if case.vcode:
        result.append({"type": "vcode", "id": case.vcode})
    return result


def status_message(case, entity_name, entity_kbo=None, key=None):
    """The ``dossierStatus`` message for ``case`` (a :class:`CaseStatus`)."""
    return {
        "berichtType": "dossierStatus",
        "idempotentieSleutel": key or f"{case.reference}:{case.status_code}",
        "dossier": {
            "dossiernummer": case.reference,
            "titel": case.title,
            "product": case.product or None,
            "status": case.status_label,
            "statusCode": case.status_code,
            "statusDatum": case.status_date,
            "actieNodig": case.status_code in ACTION_NEEDED,
            "actie": ACTION_NEEDED.get(case.status_code),
            "url": case.url,
        },
        "agenten": agents(case),
        "entiteit": {"naam": entity_name, "kbonummer": entity_kbo or None},
        "bron": {"systeem": SOURCE_SYSTEM, "referentie": case.reference},
    }


def notification_message(case, entity_name, entity_kbo=None, key=None):
    """The ``notificatie`` sent once when ``case`` is resolved."""
    message = status_message(case, entity_name, entity_kbo, key)
    message["berichtType"] = "notificatie"
    message["idempotentieSleutel"] = key or f"{case.reference}:notificatie"
    message["notificatie"] = {
        "titel": f"Uw dossier {case.reference} is afgehandeld",
        "tekst": (
            f"De stad heeft uw vraag '{case.title}' beantwoord. "
            f"U leest het antwoord in uw dossier: {case.url}"
        ),
    }
    return message


def problems(message):
    """Where ``message`` breaks the published format (empty: it conforms)."""
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or 'message'}: {error.message}"
        for error in validator.iter_errors(message)
    ]

"""The city's "Melding doen" API for Mijn Burgerprofiel: the one mapping.

Mijn Burgerprofiel (and the Flemish municipal app) call the city: first the
configuration (categories, a JSON Schema of the form, attachment rules), then
to submit a report and follow it up. The configuration endpoint is documented
by Digitaal Vlaanderen; the submit and status endpoints are not public, so
they are designed here in the same style (versioned, HAL+JSON, problem+json)
and described in ``melding-openapi.json``. Everything that depends on the
real specification is in this module.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from leuven.kcc.inputs import InputError, check_identifier, check_text, parse_point

OPENAPI = json.loads(
    (Path(__file__).resolve().parent / "melding-openapi.json").read_text()
)
SCOPE = "dv_mbp_incidents"
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
#: accepted attachment types and the bytes their files start with
MIME_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
HAL = "application/hal+json"
#: what a meldingId may hold: it comes back in URLs and keys
MELDING_ID_PATTERN = r"[A-Za-z0-9._:-]+"
MELDING_ID_MAX = 100
#: one-line text fields of the form: path in the body, maximum length
_TEXT_FIELDS = (
    (("locatie", "adres", "straat"), 200),
    (("locatie", "adres", "huisnummer"), 20),
    (("locatie", "adres", "gemeente"), 100),
    (("contact", "naam"), 200),
    (("contact", "email"), 200),
    (("contact", "telefoon"), 50),
)


@dataclass
class Category:
    """A KCC category that citizens may report in."""

    code: str
    name: str
    description: str = ""
    photo_required: bool = False


@dataclass
class Attachment:
    name: str
    mimetype: str
    data: bytes


@dataclass
class Submission:
    """A checked report, ready for the KCC intake."""

    melding_id: str
    category_code: str
    description: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    email: str = ""
    phone: str = ""
    name: str = ""
    attachments: list = field(default_factory=list)


def form_schema(categories):
    """JSON Schema of what the form sends, for these categories."""
    codes = [c.code for c in categories]
    photo = [c.code for c in categories if c.photo_required]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Melding",
        "type": "object",
        "required": ["meldingId", "categorie", "omschrijving", "locatie"],
        "properties": {
            "meldingId": {
                "type": "string",
                "minLength": 1,
                "maxLength": MELDING_ID_MAX,
                "pattern": f"^{MELDING_ID_PATTERN}$",
                "description": "The caller's id of the report: sent again, it makes "
                "no new report.",
            },
            "categorie": {"enum": codes},
            "omschrijving": {"type": "string", "minLength": 3, "maxLength": 4000},
            "locatie": {
                "type": "object",
                "properties": {
                    "adres": {
                        "type": "object",
                        "required": ["straat", "postcode"],
                        "properties": {
                            "straat": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": 200,
                            },
                            "huisnummer": {"type": "string", "maxLength": 20},
                            "postcode": {
                                "type": "string",
                                "pattern": "^[1-9][0-9]{3}$",
                            },
                            "gemeente": {"type": "string", "maxLength": 100},
                        },
                        "additionalProperties": False,
                    },
                    "coordinaten": {
                        "type": "object",
                        "required": ["lat", "lon"],
                        "properties": {
                            "lat": {"type": "number", "minimum": 49.4, "maximum": 51.6},
                            "lon": {"type": "number", "minimum": 2.5, "maximum": 6.5},
                        },
                        "additionalProperties": False,
                    },
                },
                "anyOf": [{"required": ["adres"]}, {"required": ["coordinaten"]}],
                "additionalProperties": False,
            },
            "contact": {
                "type": "object",
                "properties": {
                    "naam": {"type": "string", "maxLength": 200},
                    "email": {"type": "string", "format": "email", "maxLength": 200},
                    "telefoon": {"type": "string", "maxLength": 50},
                },
                "additionalProperties": False,
            },
            "bijlagen": {
                "type": "array",
                "maxItems": MAX_ATTACHMENTS,
                "items": {
                    "type": "object",
                    "required": ["bestandsnaam", "mimeType", "inhoud"],
                    "properties": {
                        "bestandsnaam": {"type": "string", "maxLength": 200},
                        "mimeType": {"enum": sorted(MIME_TYPES)},
                        "inhoud": {
                            "type": "string",
                            "contentEncoding": "base64",
                            "description": "The file, base64 encoded.",
                        },
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
    if photo:
        schema["allOf"] = [
            {
                "if": {"properties": {"categorie": {"enum": photo}}},
                "then": {
                    "required": ["bijlagen"],
                    "properties": {"bijlagen": {"minItems": 1}},
                },
            }
        ]
    return schema


def configuration(categories, base_url, municipality="Leuven", nis_code="24062"):
    """The configuration document Mijn Burgerprofiel fetches first."""
    base = base_url.rstrip("/")
    return {
        "_links": {
            "self": {"href": f"{base}/v1/melding/configuration"},
            "meldingen": {"href": f"{base}/v1/melding/meldingen"},
            "melding": {
                "href": f"{base}/v1/melding/meldingen/{{meldingId}}",
                "templated": True,
            },
            "specificatie": {"href": f"{base}/v1/melding/openapi.json"},
        },
        "gemeente": {"naam": municipality, "nisCode": nis_code},
        "categorieen": [
            {
                "code": c.code,
                "naam": c.name,
                "omschrijving": c.description or None,
                "fotoVerplicht": c.photo_required,
            }
            for c in categories
        ],
        "formulierSchema": form_schema(categories),
        "bijlagen": {
            "maxAantal": MAX_ATTACHMENTS,
            "maxGrootte": MAX_ATTACHMENT_BYTES,
            "mimeTypes": sorted(MIME_TYPES),
        },
    }


def component_schema(name):
    """A schema of the OpenAPI description, resolvable on its own."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{name}",
        "components": OPENAPI["components"],
    }


def _errors(validator, document):
    return {
        "/".join(str(p) for p in error.absolute_path) or "melding": error.message
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    }


def check_melding_id(value):
    """The caller's id of a report, from a body or a URL; ``InputError`` when
    it is not 1 to 100 characters of ``A-Z a-z 0-9 . _ : -``."""
    return check_identifier(value, "meldingId", MELDING_ID_MAX, MELDING_ID_PATTERN)


def _text_errors(body):
    """Control characters, line breaks in one-line fields, overlong text."""
    errors = {}
    checks = [(("omschrijving",), 4000, True)]
    checks += [(path, length, False) for path, length in _TEXT_FIELDS]
    checks += [
        (("bijlagen", index, "bestandsnaam"), 200, False)
        for index in range(len(body.get("bijlagen") or []))
    ]
    for path, length, multiline in checks:
        value = body
        for step in path:
            value = value.get(step) if isinstance(value, dict) else value[step]
            if value is None:
                break
        name = "/".join(str(step) for step in path)
        try:
            check_text(value, name, length, multiline=multiline)
        except InputError as err:
            errors[name] = str(err)
    try:
        check_melding_id(body["meldingId"])
    except InputError as err:
        errors["meldingId"] = str(err)
    point = body["locatie"].get("coordinaten")
    if point:
        try:
            parse_point(point["lat"], point["lon"])
        except InputError as err:
            errors["locatie/coordinaten"] = str(err)
    return errors


def check(body, categories):
    """A :class:`Submission`, or raise ``ValueError(errors)`` (field -> message).

    ``errors`` has the key ``"bijlagen/<n>"`` for a bad attachment; an
    attachment over the size limit raises :class:`TooLarge` instead. Text
    with control characters (NUL included), line breaks in one-line fields
    and coordinates that are not finite numbers are refused here too.
    """
    validator = jsonschema.Draft202012Validator(
        form_schema(categories), format_checker=jsonschema.FormatChecker()
    )
    errors = _errors(validator, body) or _text_errors(body)
    if errors:
        raise ValueError(errors)
    attachments = []
    for index, item in enumerate(body.get("bijlagen") or []):
        try:
            data = base64.b64decode(item["inhoud"], validate=True)
        except (binascii.Error, ValueError) as err:
            raise ValueError({f"bijlagen/{index}": "geen geldige base64"}) from err
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise TooLarge(index, len(data))
        if not data.startswith(MIME_TYPES[item["mimeType"]]):
            raise ValueError(
                {f"bijlagen/{index}": f"de inhoud is geen {item['mimeType']}"}
            )
        attachments.append(Attachment(item["bestandsnaam"], item["mimeType"], data))
    location = body["locatie"]
    address = location.get("adres") or {}
    point = location.get("coordinaten") or {}
    latitude, longitude = parse_point(point.get("lat"), point.get("lon"))
    contact = body.get("contact") or {}
    street = " ".join(
        p.strip()
        for p in (address.get("straat"), address.get("huisnummer"))
        if p and p.strip()
    )
    return Submission(
        melding_id=body["meldingId"],
        category_code=body["categorie"],
        description=body["omschrijving"].strip(),
        street=street,
        postcode=address.get("postcode", ""),
        city=address.get("gemeente", "").strip(),
        latitude=latitude,
        longitude=longitude,
        email=contact.get("email", "").strip(),
        phone=contact.get("telefoon", "").strip(),
        name=contact.get("naam", "").strip(),
        attachments=attachments,
    )


class TooLarge(ValueError):
    def __init__(self, index, size):
        super().__init__(f"attachment {index} has {size} bytes")
        self.index, self.size = index, size


def subject(submission, category_name):
    text = submission.description.splitlines()[0] if submission.description else ""
    return f"{category_name}: {text}"[:120]


def status(
    melding_id, reference, status_code, status_label, received, updated, base_url
):
    """The follow-up document of one report, in citizen-facing terms."""
    base = base_url.rstrip("/")
    return {
        "_links": {"self": {"href": f"{base}/v1/melding/meldingen/{melding_id}"}},
        "meldingId": melding_id,
        "dossiernummer": reference,
        "status": status_code,
        "statusOmschrijving": status_label,
        "ontvangen": received,
        "laatstGewijzigd": updated,
        "afgehandeld": status_code in ("answered", "closed"),
    }

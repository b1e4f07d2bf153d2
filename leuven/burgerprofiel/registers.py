"""Association and company registers, no Odoo.

- :func:`fetch_association`: an association by its VCode from the public API
  of the Verenigingsregister, ``GET {base}/v1/verenigingen/{vCode}``, with the
  API key in the header ``vr-api-key`` when one is configured.
- :func:`fetch_company`: a company by KBO number through MAGDA
  ``GeefOnderneming`` (see :mod:`leuven.burgerprofiel.magda`).

Both give the same small shape, :class:`Organisation`, to fill a partner.
"""

from dataclasses import dataclass, field

import requests

from . import identifiers
from .magda import Address

ENVIRONMENTS = {
    "production": "https://publiek.verenigingen.vlaanderen.be",
    "staging": "https://publiek.verenigingen.staging-vlaanderen.be",
}


class RegisterError(Exception):
    """A register lookup did not give data."""


class NotFound(RegisterError):
    """No association with this VCode."""


class ApiKeyRefused(RegisterError):
    """The register refuses the API key (missing or wrong): HTTP 403."""


class TechnicalError(RegisterError):
    """The register failed or could not be reached."""


@dataclass(frozen=True)
class Organisation:
    name: str
    short_name: str = ""
    kbo_number: str = ""  # formatted 0207.521.503, "" when none
    vcode: str = ""
    legal_form: str = ""
    status: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    address: Address = field(default_factory=Address)
    reference: str = ""  # MAGDA Referte for a company


normalize_vcode = identifiers.normalize_vcode


def _pick(contacts, kind):
    """The primary contact of one type (e-mail, telefoon, website), else the first."""
    matching = [
        c
        for c in contacts
        if (c.get("contactgegeventype") or "").lower().replace("-", "") == kind
        and c.get("waarde")
    ]
    primary = [c for c in matching if c.get("isPrimair")]
    return ((primary or matching) or [{}])[0].get("waarde", "")


def _kbo_from_keys(keys):
    for key in keys or []:
        source = (key.get("bron") or key.get("codeerSysteem") or "").upper()
        if source != "KBO":
            continue
        number = key.get("waarde") or (
            key.get("gestructureerdeIdentificator") or {}
        ).get("nummer", "")
        if identifiers.is_valid_kbo(number):
            return identifiers.format_kbo(number)
    return ""


def _address(locations):
    located = [loc for loc in locations or [] if loc.get("adres")]
    primary = [loc for loc in located if loc.get("isPrimair")]
    if not located:
        return Address()
    adres = (primary or located)[0]["adres"]
    country = (adres.get("land") or "").strip().lower()
    return Address(
        street=adres.get("straatnaam") or "",
        number=adres.get("huisnummer") or "",
        box=adres.get("busnummer") or "",
        postcode=adres.get("postcode") or "",
        municipality=adres.get("gemeente") or "",
        country_code="BE" if country in ("belgië", "belgie", "belgium", "be") else "",
    )


def parse_association(document):
    """:class:`Organisation` from the JSON of ``GET /v1/verenigingen/{vCode}``."""
    data = document.get("vereniging") or {}
    contacts = data.get("contactgegevens") or []
    legal_form = data.get("verenigingstype") or {}
    status = data.get("status") or ""
    return Organisation(
        name=data.get("naam") or "",
        short_name=data.get("korteNaam") or "",
        kbo_number=_kbo_from_keys(data.get("sleutels")),
        vcode=data.get("vCode") or "",
        legal_form=legal_form.get("naam", "") if isinstance(legal_form, dict) else "",
        status=status if isinstance(status, str) else "",
        email=_pick(contacts, "email"),
        phone=_pick(contacts, "telefoon"),
        website=_pick(contacts, "website"),
        address=_address(data.get("locaties")),
    )


def fetch_association(vcode, base_url=None, api_key="", timeout=(5, 15), session=None):
    """The association with this VCode; raises a :class:`RegisterError`."""
    vcode = normalize_vcode(vcode)
    base = (base_url or ENVIRONMENTS["production"]).rstrip("/")
    headers = {"Accept": "application/json"}
    if api_key:
        headers["vr-api-key"] = api_key
    http = session or requests
    try:
        response = http.get(
            f"{base}/v1/verenigingen/{vcode}", headers=headers, timeout=timeout
        )
    except requests.Timeout as exc:
        raise TechnicalError("the association register did not answer in time") from exc
    except requests.RequestException as exc:
        raise TechnicalError(
            f"the association register cannot be reached: {exc.__class__.__name__}"
        ) from exc
    if response.status_code == 404:
        raise NotFound(f"no association {vcode} in the association register")
    if response.status_code in (401, 403):
        raise ApiKeyRefused(
            "the association register refuses the API key: "
            + (
                "check it in the settings"
                if api_key
                else "configure one in the settings"
            )
        )
    if response.status_code != 200:
        raise TechnicalError(
            f"the association register answered HTTP {response.status_code}"
        )
    try:
        document = response.json()
    except ValueError as exc:
        raise TechnicalError("the association register sent no JSON") from exc
    return parse_association(document)


def fetch_company(client, kbo_number):
    """The company with this KBO number, through a :class:`~.magda.MagdaClient`.

    Raises the MAGDA client's exceptions (``NotFound``, ``NoPermission`` …).
    """
    company = client.lookup_company(kbo_number)
    return Organisation(
        name=company.name,
        kbo_number=company.kbo_number,
        legal_form=company.legal_form,
        status=company.status,
        address=company.address,
        reference=company.reference,
    )

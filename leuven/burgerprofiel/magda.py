"""MAGDA (the Flemish service integrator) over SOAP with zeep, no Odoo.

Two services, from their published WSDLs (copied in ``magda_wsdl/``):

- ``GeefPersoon`` 02.02: a person by national number (INSZ): first names,
  last name, birth date and main address (Rijksregister through the KSZ).
- ``GeefOnderneming`` 02.00: a company by KBO number: name, legal form,
  status and registered address.

Every request carries MAGDA's envelope: ``Context`` (service name, version,
``Bericht`` of type ``VRAAG`` with the time, the ``Afzender`` (our sender id,
a fresh ``Referte`` and the ``Hoedanigheid``, the capacity code granted to us
for the legal basis) and the ``Ontvanger`` ``vip.vlaanderen.be``) and one
``Vraag`` with its own fresh ``Referte``.

Transport: a ``requests.Session`` with the client certificate and key
(mutual TLS, ``cert=``) and the CA bundle that signs MAGDA's server
certificate (``verify=``), with connect/read timeouts.

Signature: MAGDA also wants the SOAP body signed (XML-DSig, enveloped,
reference ``#Body`` on ``<Body Id="Body">``, ``X509Data`` key info) with the
same key. That is a pluggable step here: pass a ``signer`` (an object with
``sign(envelope) -> envelope`` working on the lxml tree just before it is
sent). No signer ships with this module: the Python bindings that do XML-DSig
cleanly (``xmlsec``, ``signxml``) need newer ``lxml``/``cryptography`` than
Odoo 18 pins, so the production deployment must provide one (see the
addon's CONFIGURE). Without a signer the client refuses the ``production`` and
``test`` environments, so an unsigned request never leaves for MAGDA.

Answers: MAGDA reports problems as ``Uitzondering`` elements (on the
``Repliek`` or on the ``Antwoord``), of type ``FOUT``, ``WAARSCHUWING`` or
``INFORMATIE``. Only ``FOUT`` stops a lookup; it becomes :class:`NotFound`,
:class:`NoPermission` or :class:`TechnicalError`. A SOAP fault, an HTTP
error or a timeout is a :class:`TechnicalError` (:class:`Timeout`).
"""

import datetime
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
import zeep
from lxml import etree
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError

from . import identifiers

WSDL_DIR = Path(__file__).resolve().parent / "magda_wsdl"
RECEIVER_ID = "vip.vlaanderen.be"
RECEIVER_NAME = "VIP"

PERSON = "person"
COMPANY = "company"


@dataclass(frozen=True)
class _Service:
    wsdl: str
    binding: str
    operation: str
    name: str
    version: str
    production_url: str


SERVICES = {
    PERSON: _Service(
        wsdl="Persoon.GeefPersoonDienst-02.02/WebService/GeefPersoon.wsdl",
        binding="{http://magda.vlaanderen.be/persoon/soap/geefpersoon/v02_02}"
        "Persoon.GeefPersoonHttpBinding",
        operation="GeefPersoon",
        name="GeefPersoon",
        version="02.02.0000",
        production_url="https://magdapersoondienst.vlaanderen.be"
        "/GeefPersoonDienst-02.02/soap/WebService",
    ),
    COMPANY: _Service(
        wsdl="Onderneming.GeefOndernemingDienst-02.00/WebService/GeefOnderneming.wsdl",
        binding="{http://webservice.geefondernemingdienst-02_00"
        ".onderneming-02_00.vip.vlaanderen.be}Onderneming.GeefOndernemingHttpBinding",
        operation="GeefOnderneming",
        name="GeefOnderneming",
        version="02.00.0000",
        production_url="https://magdaondernemingdienst.vlaanderen.be"
        "/GeefOndernemingDienst-02.00/soap/WebService",
    ),
}

# production: the addresses in the WSDLs (overridable); test: MAGDA hands out
# its test addresses with the integration, so they must be configured;
# custom: any address (a local endpoint), the only one that may go unsigned.
ENVIRONMENTS = ("production", "test", "custom")

# Uitzondering codes (``Identificatie``) that mean "no such person/company".
# 30001-30004, 13202 (GeefPersoon) and 40046 (GeefOnderneming) are the ones
# the Verenigingsregister treats as caused by the number asked for.
NOT_FOUND_CODES = frozenset({"30001", "30002", "30003", "30004", "13202", "40046"})
# MAGDA does not publish one code for "no permission"; the diagnosis text
# tells. Codes met in practice can be added here.
NO_PERMISSION_CODES = frozenset()
_NO_PERMISSION_WORDS = ("machtiging", "gemachtigd", "toegang", "hoedanigheid")


# ---------------------------------------------------------------- errors


class MagdaError(Exception):
    """A MAGDA lookup did not give data; ``reference`` is our ``Referte``."""

    def __init__(self, message, reference="", code="", diagnosis=""):
        super().__init__(message)
        self.reference = reference
        self.code = code
        self.diagnosis = diagnosis


class ConfigurationError(MagdaError):
    """The client is not configured well enough to call MAGDA."""


class NotFound(MagdaError):
    """MAGDA knows no person/company with this number."""


class NoPermission(MagdaError):
    """MAGDA refuses: no authorisation for this service or capacity code."""


class TechnicalError(MagdaError):
    """MAGDA or the network failed; trying again later may work."""


class Timeout(TechnicalError):
    """MAGDA did not answer in time."""


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Address:
    street: str = ""
    number: str = ""
    box: str = ""
    postcode: str = ""
    municipality: str = ""
    country_code: str = ""  # ISO 3166 alpha-2 when known, e.g. "BE"


@dataclass(frozen=True)
class Person:
    national_number: str
    first_names: tuple = ()
    last_name: str = ""
    birth_date: str = ""  # YYYY-MM-DD; 00 for an unknown month or day
    address: Address = field(default_factory=Address)
    reference: str = ""  # our Referte of the question

    @property
    def name(self):
        return " ".join(filter(None, [*self.first_names[:1], self.last_name]))


@dataclass(frozen=True)
class Company:
    kbo_number: str
    name: str = ""
    legal_form: str = ""
    status: str = ""  # StatusKBO description, e.g. "Actief" (code AC)
    status_code: str = ""
    address: Address = field(default_factory=Address)
    reference: str = ""


# ---------------------------------------------------------------- configuration


@dataclass
class MagdaConfig:
    """Where and as whom to call MAGDA; one per environment."""

    sender_id: str  # Afzender/Identificatie granted by MAGDA
    capacity: str  # Afzender/Hoedanigheid (capacity code of the legal basis)
    environment: str = "production"
    person_url: str = ""  # empty: the WSDL's address (production only)
    company_url: str = ""
    cert_file: str = ""  # client certificate (PEM) for mutual TLS
    key_file: str = ""  # its private key (PEM)
    ca_bundle: str = ""  # CA bundle for MAGDA's server certificate; "" = system
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    language: str = "nl"
    signer: object = None  # has sign(envelope) -> envelope; see the module doc

    def __post_init__(self):
        if self.environment not in ENVIRONMENTS:
            raise ConfigurationError(f"unknown MAGDA environment {self.environment!r}")

    def endpoint(self, kind):
        url = self.person_url if kind == PERSON else self.company_url
        if url:
            return url
        if self.environment == "production":
            return SERVICES[kind].production_url
        raise ConfigurationError(
            f"no MAGDA endpoint configured for the {kind} lookup "
            f"({self.environment} environment)"
        )

    def check(self, kind):
        """Raise :class:`ConfigurationError` when a call cannot be made."""
        if not self.sender_id or not self.capacity:
            raise ConfigurationError(
                "the MAGDA sender id and capacity code (Hoedanigheid) are required"
            )
        self.endpoint(kind)
        if bool(self.cert_file) != bool(self.key_file):
            raise ConfigurationError(
                "the client certificate and its key go together: set both or none"
            )
        if self.environment != "custom":
            if not self.cert_file:
                raise ConfigurationError(
                    "MAGDA needs the client certificate and key (mutual TLS)"
                )
            if self.signer is None:
                raise ConfigurationError(
                    "MAGDA needs a signed SOAP body and no signer is configured"
                )


# ---------------------------------------------------------------- signing hook


class _SignaturePlugin:
    """zeep's ``wsse`` hook around a MAGDA body signer.

    Marks ``<Body Id="Body">`` (the reference MAGDA expects) and hands the
    envelope to the signer just before it is sent.
    """

    def __init__(self, signer):
        self.signer = signer

    def apply(self, envelope, headers):
        body = envelope.find("{*}Body")
        if body is not None:
            body.set("Id", "Body")
        return self.signer.sign(envelope), headers

    def verify(self, envelope):
        verify = getattr(self.signer, "verify", None)
        if verify:
            verify(envelope)
        return envelope


# ---------------------------------------------------------------- client


def _now():
    return datetime.datetime.now()


class MagdaClient:
    """``lookup_person`` and ``lookup_company``; one instance per configuration."""

    def __init__(self, config, session=None, wsdl_dir=WSDL_DIR):
        self.config = config
        self.wsdl_dir = Path(wsdl_dir)
        self.session = session or self._session()
        self._clients = {}

    def _session(self):
        session = requests.Session()
        if self.config.cert_file:
            session.cert = (self.config.cert_file, self.config.key_file)
        session.verify = self.config.ca_bundle or True
        return session

    def _client(self, kind):
        if kind not in self._clients:
            service = SERVICES[kind]
            transport = zeep.Transport(
                session=self.session,
                timeout=self.config.connect_timeout,  # loading local files only
                operation_timeout=(
                    self.config.connect_timeout,
                    self.config.read_timeout,
                ),
            )
            wsse = _SignaturePlugin(self.config.signer) if self.config.signer else None
            self._clients[kind] = zeep.Client(
                str(self.wsdl_dir / service.wsdl),
                transport=transport,
                wsse=wsse,
                settings=zeep.Settings(strict=True, xml_huge_tree=False),
            )
        return self._clients[kind]

    # -- envelope

    def _context(self, service, reference):
        now = _now()
        return {
            "Naam": service.name,
            "Versie": service.version,
            "Bericht": {
                "Type": "VRAAG",
                "Tijdstip": {
                    "Datum": now.strftime("%Y-%m-%d"),
                    "Tijd": now.strftime("%H:%M:%S.")
                    + f"{now.microsecond // 1000:03d}",
                },
                "Afzender": {
                    "Identificatie": self.config.sender_id,
                    "Referte": reference,
                    "Hoedanigheid": self.config.capacity,
                },
                "Ontvanger": {"Identificatie": RECEIVER_ID, "Naam": RECEIVER_NAME},
            },
        }

    def _call(self, kind, criteria):
        """Send one question; the answer's ``Inhoud`` and our ``Referte``."""
        self.config.check(kind)
        service = SERVICES[kind]
        client = self._client(kind)
        proxy = client.create_service(service.binding, self.config.endpoint(kind))
        reference = str(uuid.uuid4())
        question = {"Referte": str(uuid.uuid4()), "Inhoud": criteria}
        request = {
            "Context": self._context(service, reference),
            "Vragen": {"Vraag": question},
        }
        try:
            reply = getattr(proxy, service.operation)(Verzoek=request)
        except requests.Timeout as exc:
            raise Timeout(
                f"MAGDA {service.name} did not answer in time", reference
            ) from exc
        except requests.RequestException as exc:
            raise TechnicalError(
                f"MAGDA {service.name} cannot be reached: {exc.__class__.__name__}",
                reference,
            ) from exc
        except Fault as exc:
            raise TechnicalError(
                f"MAGDA {service.name} answered with a SOAP fault: {exc.message}",
                reference,
                code=str(exc.code or ""),
            ) from exc
        except TransportError as exc:
            raise TechnicalError(
                f"MAGDA {service.name} answered HTTP {exc.status_code}", reference
            ) from exc
        except (ZeepError, etree.XMLSyntaxError) as exc:
            raise TechnicalError(
                f"MAGDA {service.name} sent an answer that cannot be read: {exc}",
                reference,
            ) from exc
        return self._answer(service, reply, reference), reference

    def _answer(self, service, reply, reference):
        """The ``Inhoud`` of the answer, or the exception its Uitzonderingen say."""
        repliek = getattr(reply, "Repliek", reply)
        if repliek is None:
            raise TechnicalError(
                f"MAGDA {service.name} sent an empty answer", reference
            )
        _raise_for(repliek.Uitzonderingen, reference)
        antwoord = repliek.Antwoorden.Antwoord if repliek.Antwoorden else None
        if antwoord is None:
            raise TechnicalError(f"MAGDA {service.name} sent no answer", reference)
        _raise_for(antwoord.Uitzonderingen, reference)
        if antwoord.Inhoud is None:
            raise NotFound("MAGDA found no data for this number", reference)
        return antwoord.Inhoud

    # -- the two lookups

    def lookup_person(self, national_number):
        """:class:`Person` for an INSZ (any spelling); ``ValueError`` if malformed."""
        insz = identifiers.normalize_insz(national_number)
        criteria = {
            "Criteria": {
                "INSZ": insz,
                "OpvragingenKSZ": {"BasisPersoonsgegevens": "1"},
            },
            "Bron": "KSZ",
            "Taal": self.config.language,
        }
        inhoud, reference = self._call(PERSON, criteria)
        return _person(inhoud.Persoon, insz, reference)

    def lookup_company(self, kbo_number):
        """:class:`Company` for a KBO number; ``ValueError`` if malformed."""
        number = identifiers.digits_only(identifiers.format_kbo(kbo_number))
        criteria = {
            "Criteria": {"Ondernemingsnummer": number, "Basisgegevens": "1"},
            "Taal": self.config.language,
        }
        inhoud, reference = self._call(COMPANY, criteria)
        return _company(inhoud.Onderneming, number, reference)


# ---------------------------------------------------------------- parsing


def _raise_for(uitzonderingen, reference):
    if not uitzonderingen:
        return
    errors = [u for u in uitzonderingen.Uitzondering if u.Type == "FOUT"]
    if not errors:
        return
    for error in errors:
        code, diagnosis = str(error.Identificatie or ""), str(error.Diagnose or "")
        if code in NOT_FOUND_CODES:
            raise NotFound(
                f"MAGDA: {diagnosis or 'not found'} ({code})",
                reference,
                code,
                diagnosis,
            )
    for error in errors:
        code, diagnosis = str(error.Identificatie or ""), str(error.Diagnose or "")
        lowered = diagnosis.lower()
        if code in NO_PERMISSION_CODES or any(
            word in lowered for word in _NO_PERMISSION_WORDS
        ):
            raise NoPermission(
                f"MAGDA refuses the question: {diagnosis} ({code})",
                reference,
                code,
                diagnosis,
            )
    error = errors[0]
    code, diagnosis = str(error.Identificatie or ""), str(error.Diagnose or "")
    raise TechnicalError(f"MAGDA error {code}: {diagnosis}", reference, code, diagnosis)


def _text(value):
    """The text of a zeep value: plain, simpleContent (``_value_1``) or TaalString."""
    if value is None:
        return ""
    for attr in ("_value_1", "String"):
        if hasattr(value, attr):
            return _text(getattr(value, attr))
    return str(value).strip()


def _current(items):
    """The entries without an end date (else all), in document order."""
    items = list(items or [])
    open_ = [i for i in items if not getattr(i, "DatumEinde", None)]
    return open_ or items


def _person(persoon, insz, reference):
    naam = persoon.Naam
    first_names, last_name = (), ""
    if naam is not None:
        if naam.Voornamen is not None:
            first_names = tuple(_text(v) for v in naam.Voornamen.Voornaam)
        last_name = " ".join(_text(a) for a in naam.Achternamen.Achternaam)
    birth = _text(persoon.Geboorte.Datum) if persoon.Geboorte is not None else ""
    address = Address()
    adressen = persoon.Adressen
    if adressen is not None and adressen.Hoofdverblijfplaats is not None:
        main = adressen.Hoofdverblijfplaats
        address = Address(
            street=_text(main.Straatnaam),
            number=_text(main.Huisnummer),
            box=_text(main.Busnummer),
            postcode=_text(main.Postcode),
            municipality=_text(main.Gemeentenaam),
            country_code="BE",
        )
    return Person(
        national_number=insz,
        first_names=first_names,
        last_name=last_name,
        birth_date=birth,
        address=address,
        reference=reference,
    )


REGISTERED_OFFICE = "001"  # address type code of the maatschappelijke zetel


def _company(onderneming, number, reference):
    name = ""
    if onderneming.Namen is not None and onderneming.Namen.MaatschappelijkeNamen:
        names = _current(onderneming.Namen.MaatschappelijkeNamen.MaatschappelijkeNaam)
        dutch = [n for n in names if _text(n.Taalcode).lower() == "nl"]
        name = _text((dutch or names)[0].Naam)
    legal_form = ""
    if onderneming.Rechtsvormen is not None:
        forms = _current(onderneming.Rechtsvormen.Rechtsvorm)
        if forms:
            form = forms[0]
            legal_form = _text(form.Afkorting) or _text(form.Omschrijving)
            if not legal_form:
                legal_form = getattr(form.Code, "Beschrijving", "") or _text(form.Code)
    status = status_code = ""
    if onderneming.StatusKBO is not None:
        status_code = _text(onderneming.StatusKBO.Code)
        status = (
            _text(onderneming.StatusKBO.Omschrijving)
            or getattr(onderneming.StatusKBO.Code, "Beschrijving", "")
            or status_code
        )
    address = Address()
    if onderneming.Adressen is not None:
        adressen = _current(onderneming.Adressen.Adres)
        seats = [a for a in adressen if _text(a.Type.Code) == REGISTERED_OFFICE]
        if adressen:
            adres = (seats or adressen)[0]
            gemeente = adres.Gemeente
            land = adres.Land
            address = Address(
                street=_text(adres.Straat.Naam) if adres.Straat is not None else "",
                number=_text(adres.Huisnummer),
                box=_text(adres.Busnummer),
                postcode=_text(gemeente.PostCode) if gemeente is not None else "",
                municipality=_text(gemeente.Naam) if gemeente is not None else "",
                country_code=(_text(land.ISOCode) if land is not None else "")[:2],
            )
    return Company(
        kbo_number=identifiers.format_kbo(number),
        name=name,
        legal_form=legal_form,
        status=status,
        status_code=status_code,
        address=address,
        reference=reference,
    )

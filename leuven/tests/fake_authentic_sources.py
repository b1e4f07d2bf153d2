"""Local stand-ins for MAGDA (SOAP) and the Verenigingsregister (JSON), for tests.

Both run ``http.server`` on loopback in a daemon thread, answer from a small
in-memory register, and are bounded: a request body over 256 kB is refused,
a slow answer sleeps at most ``MAX_DELAY`` seconds, and the server stops by
itself after ``max_seconds``.

:class:`FakeMagda` answers ``GeefPersoon`` and ``GeefOnderneming`` in the real
service's message format: every response is checked against the response
XSD of ``magda_wsdl/`` before it is sent (an invalid one becomes a 500 and is
kept in ``errors``, so a test sees it). Unknown numbers get the
``Uitzondering`` MAGDA sends. Modes: ``"normal"``, ``"fault"`` (HTTP 500
with a SOAP fault), ``"slow"`` (sleeps before answering), ``"no_permission"``
(an Uitzondering about the capacity code).
"""

import contextlib
import datetime
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.sax.saxutils import escape

from lxml import etree

from leuven.burgerprofiel.magda import SERVICES, WSDL_DIR

MAX_BODY = 256 * 1024
MAX_DELAY = 10.0
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"

PERSON_PATH = "/GeefPersoonDienst-02.02/soap/WebService"
COMPANY_PATH = "/GeefOndernemingDienst-02.00/soap/WebService"

_SCHEMAS = {}


def schema(name):
    """The lxml schema of one message: ``GeefPersoon``, ``GeefPersoonResponse`` …"""
    if name not in _SCHEMAS:
        kind = "person" if name.startswith("GeefPersoon") else "company"
        folder = (WSDL_DIR / SERVICES[kind].wsdl).parent
        _SCHEMAS[name] = etree.XMLSchema(etree.parse(str(folder / f"{name}.xsd")))
    return _SCHEMAS[name]


def body_element(envelope_bytes):
    """The first element in the SOAP body of a message."""
    root = etree.fromstring(envelope_bytes)
    body = root.find(f"{{{SOAP_NS}}}Body")
    return body[0]


# ---------------------------------------------------------------- registers

PERSONS = {
    # INSZ: data as GeefPersoon gives it
    "85073003328": {
        "first_names": ["Ann", "Maria"],
        "last_name": "Peeters",
        "birth_date": "1985-07-30",
        "street": "Naamsestraat",
        "number": "96",
        "box": "0101",
        "postcode": "3000",
        "municipality": "Leuven",
    },
}
COMPANIES = {
    "0207521503": {
        "name": "Stad Leuven",
        "legal_form_code": "416",
        "legal_form": "Gemeente",
        "legal_form_short": "",
        "status_code": "AC",
        "status": "Actief",
        "street": "Professor Van Overstraetenplein",
        "number": "1",
        "box": "",
        "postcode": "3000",
        "municipality": "Leuven",
    },
}
NOT_FOUND = {
    "GeefPersoon": ("30003", "Onbestaand INSZ"),
    "GeefOnderneming": ("40046", "Gevraagde ondernemingsnummer bestaat niet in KBO"),
}
NO_PERMISSION = ("12345", "Geen machtiging voor deze hoedanigheid")


def _e(value):
    return escape(str(value))


def _now():
    now = datetime.datetime.now()
    return now.strftime("%Y-%m-%d"), now.strftime("%H:%M:%S.") + "000"


def _uitzondering(code, diagnose):
    datum, tijd = _now()
    return (
        "<Uitzonderingen><Uitzondering>"
        f"<Identificatie>{_e(code)}</Identificatie><Oorsprong>MAGDA</Oorsprong>"
        f"<Type>FOUT</Type><Tijdstip><Datum>{datum}</Datum><Tijd>{tijd}</Tijd>"
        f"</Tijdstip><Diagnose>{_e(diagnose)}</Diagnose>"
        "</Uitzondering></Uitzonderingen>"
    )


def _taalstring(tag, value):
    return f"<{tag}><String>{_e(value)}</String><Taal>nl</Taal></{tag}>"


def _persoon(insz, data):
    voornamen = "".join(f"<Voornaam>{_e(v)}</Voornaam>" for v in data["first_names"])
    box = f"<Busnummer>{_e(data['box'])}</Busnummer>" if data.get("box") else ""
    return (
        f"<Persoon><INSZ>{insz}</INSZ>"
        f"<Naam><Achternamen><Achternaam>{_e(data['last_name'])}</Achternaam>"
        f"</Achternamen><Voornamen>{voornamen}</Voornamen></Naam>"
        f"<Geboorte><Datum>{_e(data['birth_date'])}</Datum></Geboorte>"
        "<Adressen><Hoofdverblijfplaats>"
        + _taalstring("Straatnaam", data["street"])
        + f"<Huisnummer>{_e(data['number'])}</Huisnummer>{box}"
        + _taalstring("Gemeentenaam", data["municipality"])
        + f"<Postcode>{_e(data['postcode'])}</Postcode>"
        "</Hoofdverblijfplaats></Adressen></Persoon>"
    )


def _onderneming(number, data):
    box = f"<Busnummer>{_e(data['box'])}</Busnummer>" if data.get("box") else ""
    short = (
        f"<Afkorting>{_e(data['legal_form_short'])}</Afkorting>"
        if data.get("legal_form_short")
        else ""
    )
    return (
        f"<Onderneming><Ondernemingsnummer>{number}</Ondernemingsnummer>"
        '<AuthentiekBron><Code Beschrijving="KBO">KBO</Code></AuthentiekBron>'
        '<OndernemingOfVestiging><Code Beschrijving="Onderneming">1</Code>'
        "</OndernemingOfVestiging>"
        f"<StatusKBO><Code>{_e(data['status_code'])}</Code>"
        f"<Omschrijving>{_e(data['status'])}</Omschrijving></StatusKBO>"
        "<Namen><MaatschappelijkeNamen><MaatschappelijkeNaam DatumBegin='1990-01-01'>"
        f"<Naam>{_e(data['name'])}</Naam><Taalcode>nl</Taalcode>"
        "</MaatschappelijkeNaam></MaatschappelijkeNamen></Namen>"
        "<Adressen><Adres>"
        f"<Straat><Naam>{_e(data['street'])}</Naam></Straat>"
        f"<Huisnummer>{_e(data['number'])}</Huisnummer>{box}"
        f"<Gemeente><PostCode>{_e(data['postcode'])}</PostCode>"
        f"<Naam>{_e(data['municipality'])}</Naam></Gemeente>"
        "<Land><NISCode>150</NISCode><ISOCode>BE</ISOCode><Naam>België</Naam></Land>"
        "<Type><Code>001</Code></Type>"
        "</Adres></Adressen>"
        f"<Rechtsvormen><Rechtsvorm><Code>{_e(data['legal_form_code'])}</Code>"
        f"<Omschrijving>{_e(data['legal_form'])}</Omschrijving>{short}"
        "</Rechtsvorm></Rechtsvormen>"
        "</Onderneming>"
    )


def magda_response(
    operation, request_body, persons=None, companies=None, mode="normal"
):
    """The response envelope (bytes) MAGDA would send for one request body."""
    persons = PERSONS if persons is None else persons
    companies = COMPANIES if companies is None else companies
    service = SERVICES["person" if operation == "GeefPersoon" else "company"]
    namespace = request_body.tag.split("}")[0][1:]
    verzoek = request_body.find("Verzoek")
    afzender = verzoek.find("Context/Bericht/Afzender")
    question_ref = verzoek.findtext("Vragen/Vraag/Referte")
    criteria = verzoek.find("Vragen/Vraag/Inhoud/Criteria")
    datum, tijd = _now()
    hoedanigheid = afzender.findtext("Hoedanigheid") or ""
    context = (
        f"<Context><Naam>{service.name}</Naam><Versie>{service.version}</Versie>"
        f"<Bericht><Type>ANTWOORD</Type><Tijdstip><Datum>{datum}</Datum>"
        f"<Tijd>{tijd}</Tijd></Tijdstip>"
        f"<Afzender><Identificatie>vip.vlaanderen.be</Identificatie><Naam>VIP</Naam>"
        f"<Referte>{uuid.uuid4()}</Referte></Afzender>"
        f"<Ontvanger><Identificatie>{_e(afzender.findtext('Identificatie'))}"
        f"</Identificatie><Referte>{_e(afzender.findtext('Referte'))}</Referte>"
        + (f"<Hoedanigheid>{_e(hoedanigheid)}</Hoedanigheid>" if hoedanigheid else "")
        + "</Ontvanger></Bericht></Context>"
    )
    if mode == "no_permission":
        antwoord = _uitzondering(*NO_PERMISSION)
    elif operation == "GeefPersoon":
        insz = criteria.findtext("INSZ")
        data = persons.get(insz)
        antwoord = (
            f"<Inhoud>{_persoon(insz, data)}</Inhoud>"
            if data
            else _uitzondering(*NOT_FOUND[operation])
        )
    else:
        number = criteria.findtext("Ondernemingsnummer")
        data = companies.get(number)
        antwoord = (
            f"<Inhoud>{_onderneming(number, data)}</Inhoud>"
            if data
            else _uitzondering(*NOT_FOUND[operation])
        )
    xml = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}"><soapenv:Body>'
        f'<m:{operation}Response xmlns:m="{namespace}"><Repliek>{context}'
        f"<Antwoorden><Antwoord><Referte>{_e(question_ref)}</Referte>{antwoord}"
        f"</Antwoord></Antwoorden></Repliek></m:{operation}Response>"
        "</soapenv:Body></soapenv:Envelope>"
    )
    return xml.encode("utf-8")


SOAP_FAULT = (
    f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}"><soapenv:Body><soapenv:Fault>'
    "<faultcode>soapenv:Server</faultcode>"
    "<faultstring>Interne fout bij de verwerking</faultstring>"
    "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
).encode()


# ---------------------------------------------------------------- servers


class _Server:
    """A bounded loopback HTTP server in a thread; subclasses set ``handler``."""

    def __init__(self, max_seconds=120):
        self.max_seconds = max_seconds
        self.requests = []  # (method, path, headers, body)
        self.errors = []
        self._httpd = None
        self._thread = None
        self._timer = None

    @property
    def base_url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        owner = self

        class Handler(self.handler):
            server_owner = owner

        self._httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.timeout = 5
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        self._timer = threading.Timer(self.max_seconds, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self):
        if self._timer:
            self._timer.cancel()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    server_owner = None

    def log_message(self, *args):  # keep test output clean
        pass

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, b"too large", "text/plain")
            return None
        return self.rfile.read(length) if length else b""

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


class _MagdaHandler(_Handler):
    def do_POST(self):
        owner = self.server_owner
        body = self._read_body()
        if body is None:
            return
        owner.requests.append(("POST", self.path, dict(self.headers), body))
        if owner.mode == "slow":
            time.sleep(min(owner.delay, MAX_DELAY))
        if owner.mode == "fault":
            self._send(500, SOAP_FAULT, "text/xml; charset=utf-8")
            return
        try:
            request = body_element(body)
            operation = etree.QName(request).localname
            if operation not in ("GeefPersoon", "GeefOnderneming"):
                raise ValueError(f"unknown operation {operation}")
            response = magda_response(
                operation, request, owner.persons, owner.companies, owner.mode
            )
            response_schema = schema(f"{operation}Response")
            answer = body_element(response)
            if not response_schema.validate(answer):
                raise ValueError(str(response_schema.error_log))
        except Exception as exc:  # noqa: BLE001 - the test sees it, the client a 500
            owner.errors.append(repr(exc))
            self._send(500, SOAP_FAULT, "text/xml; charset=utf-8")
            return
        self._send(200, response, "text/xml; charset=utf-8")


class FakeMagda(_Server):
    """``GeefPersoon``/``GeefOnderneming`` on loopback; see the module doc."""

    handler = _MagdaHandler

    def __init__(self, persons=None, companies=None, mode="normal", delay=3.0, **kw):
        super().__init__(**kw)
        self.persons = dict(PERSONS if persons is None else persons)
        self.companies = dict(COMPANIES if companies is None else companies)
        self.mode = mode
        self.delay = delay

    @property
    def person_url(self):
        return self.base_url + PERSON_PATH

    @property
    def company_url(self):
        return self.base_url + COMPANY_PATH


# ---------------------------------------------------------------- association register

ASSOCIATIONS = {
    "V0001027": {
        "vCode": "V0001027",
        "verenigingstype": {"code": "FV", "naam": "Feitelijke vereniging"},
        "naam": "Buurtcomité Sint-Maartensdal",
        "korteNaam": "BSM",
        "status": "Actief",
        "contactgegevens": [
            {
                "contactgegeventype": "E-mail",
                "waarde": "info@bsm.example",
                "beschrijving": "",
                "isPrimair": True,
            },
            {
                "contactgegeventype": "Telefoon",
                "waarde": "016 12 34 56",
                "beschrijving": "",
                "isPrimair": False,
            },
            {
                "contactgegeventype": "Website",
                "waarde": "https://bsm.example",
                "beschrijving": "",
                "isPrimair": False,
            },
        ],
        "locaties": [
            {
                "locatietype": "Activiteiten",
                "isPrimair": False,
                "naam": "Zaal",
                "adres": {
                    "straatnaam": "Andere straat",
                    "huisnummer": "5",
                    "busnummer": "",
                    "postcode": "3010",
                    "gemeente": "Kessel-Lo",
                    "land": "België",
                },
                "adresvoorstelling": "Andere straat 5, 3010 Kessel-Lo, België",
            },
            {
                "locatietype": "Correspondentie",
                "isPrimair": True,
                "naam": "",
                "adres": {
                    "straatnaam": "Sint-Maartensstraat",
                    "huisnummer": "12",
                    "busnummer": "B",
                    "postcode": "3000",
                    "gemeente": "Leuven",
                    "land": "België",
                },
                "adresvoorstelling": (
                    "Sint-Maartensstraat 12 bus B, 3000 Leuven, België"
                ),
            },
        ],
        "sleutels": [
            {
                "bron": "VR",
                "waarde": "V0001027",
                "codeerSysteem": "VR",
                "gestructureerdeIdentificator": {"nummer": "V0001027"},
            },
            {
                "bron": "KBO",
                "waarde": "0207521503",
                "codeerSysteem": "KBO",
                "gestructureerdeIdentificator": {"nummer": "0207521503"},
            },
        ],
    },
}


class _RegisterHandler(_Handler):
    def do_GET(self):
        owner = self.server_owner
        owner.requests.append(("GET", self.path, dict(self.headers), b""))
        if owner.api_key and self.headers.get("vr-api-key") != owner.api_key:
            body = {
                "type": "urn:associationregistry:forbidden",
                "title": "Forbidden",
                "status": 403,
                "detail": "Geen geldige API-sleutel.",
            }
            self._send(403, json.dumps(body).encode(), "application/problem+json")
            return
        prefix = "/v1/verenigingen/"
        vcode = self.path[len(prefix) :] if self.path.startswith(prefix) else ""
        data = owner.associations.get(vcode)
        if owner.mode == "error":
            self._send(500, b'{"title": "Internal Server Error"}', "application/json")
        elif data is None:
            body = {
                "type": "urn:associationregistry:not-found",
                "title": "Not Found",
                "status": 404,
                "detail": "De gevraagde vereniging werd niet gevonden.",
            }
            self._send(404, json.dumps(body).encode(), "application/problem+json")
        else:
            document = {
                "@context": f"{owner.base_url}/v1/contexten/publiek/"
                "detail-vereniging-context.json",
                "vereniging": data,
                "metadata": {"datumLaatsteAanpassing": "2026-01-05"},
            }
            self._send(200, json.dumps(document).encode(), "application/ld+json")


class FakeAssociationRegister(_Server):
    """``GET /v1/verenigingen/{vCode}`` of the public API; 403 without the key."""

    handler = _RegisterHandler

    def __init__(self, associations=None, api_key="", mode="normal", **kw):
        super().__init__(**kw)
        self.associations = dict(ASSOCIATIONS if associations is None else associations)
        self.api_key = api_key
        self.mode = mode

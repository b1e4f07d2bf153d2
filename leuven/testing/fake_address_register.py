"""A local stand-in for the Flemish address register and the Geolocation
service (loopback only), in their documented JSON formats.

- ``GET /v2/adressen/zoeken?q=…[&gemeenteNaam=…][&limit=…]``: suggestions,
  addresses and street names (``{"resultaten": [...]}``);
- ``GET /v2/adressen/{objectId}``: one address, its position as GML in
  Belgian Lambert 72 (404 with a problem document when unknown);
- ``GET /geolocation/v4/Location?latlon=<lat>,<lon>&c=1``: the nearest
  address (``{"LocationResult": [...]}``);
- ``GET /v2/gebouweenheden?adresObjectId=…``: the building units at an
  address (``{"gebouweenheden": [...]}``, the building register's format).

It can be told to fail or to be slow, for tests, the demo and screenshots:

    python -m leuven.testing.fake_address_register --port 8766
"""

import argparse
import threading
import time
import unicodedata
import urllib.parse

from leuven.geo import lambert
from leuven.kcc.geo import distance_m
from leuven.testing.loopback import JsonHandler, LoopbackServer

NAMESPACE = "https://data.vlaanderen.be/id/adres"
GEOLOCATION_PATH = "/geolocation/v4"

# (objectId, street, house number, box, postcode, municipality, lat, lon)
SAMPLE_ADDRESSES = [
    ("200001", "Grote Markt", "9", "", "3000", "Leuven", 50.87885, 4.70104),
    ("200002", "Naamsestraat", "40", "", "3000", "Leuven", 50.87512, 4.70057),
    ("200003", "Naamsestraat", "40", "3", "3000", "Leuven", 50.87512, 4.70057),
    ("200004", "Bondgenotenlaan", "10", "", "3000", "Leuven", 50.88015, 4.70386),
    ("200005", "Tiensestraat", "2", "", "3000", "Leuven", 50.87779, 4.70403),
    (
        "200006",
        "Professor Van Overstraetenplein",
        "1",
        "",
        "3000",
        "Leuven",
        50.88142,
        4.71553,
    ),
    ("200007", "Diestsesteenweg", "120", "", "3010", "Leuven", 50.89208, 4.72386),
    ("200008", "Kerkstraat", "1", "", "3001", "Leuven", 50.86150, 4.68830),
    ("300001", "Kerkstraat", "1", "", "3080", "Tervuren", 50.82310, 4.51470),
]


# (building unit objectId, address objectId, status)
SAMPLE_BUILDING_UNITS = [
    ("500001", "200001", "gerealiseerd"),
    ("500002", "200002", "gerealiseerd"),
    ("500003", "200003", "gerealiseerd"),
    ("500009", "200003", "gehistoreerd"),
    ("500004", "200004", "gerealiseerd"),
    ("500005", "200004", "gepland"),
]
BUILDING_UNIT_NAMESPACE = "https://data.vlaanderen.be/id/gebouweenheid"


def _fold(text):
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _label(street, number, box, postcode, municipality):
    line = f"{street} {number}" + (f" bus {box}" if box else "")
    return f"{line}, {postcode} {municipality}"


class FakeAddressRegister(LoopbackServer):
    def __init__(self, addresses=None, building_units=None):
        self.addresses = list(SAMPLE_ADDRESSES if addresses is None else addresses)
        self.building_units = list(
            SAMPLE_BUILDING_UNITS if building_units is None else building_units
        )
        self.fail_next = 0
        self.fail_status = 503
        self.delay = 0.0  # seconds before each answer
        self.requests = []  # (path, query dict) of every request
        self._server = None

    # -- documents ------------------------------------------------------------
    def detail(self, row, base_url):
        object_id, street, number, box, postcode, municipality, lat, lon = row
        x, y = lambert.from_wgs84(lat, lon, 31370)
        gml = (
            '<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/31370" '
            'xmlns:gml="http://www.opengis.net/gml/3.2">'
            f"<gml:pos>{x:.2f} {y:.2f}</gml:pos></gml:Point>"
        )
        document = {
            "@context": "https://docs.basisregisters.vlaanderen.be/context/adres/"
            "2023-03-13/adres_detail.jsonld",
            "@type": "Adres",
            "identificator": {
                "id": f"{NAMESPACE}/{object_id}",
                "naamruimte": NAMESPACE,
                "objectId": object_id,
                "versieId": "2024-01-01T00:00:00+01:00",
            },
            "gemeente": {
                "objectId": "24062",
                "detail": f"{base_url}/v2/gemeenten/24062",
                "gemeentenaam": {
                    "geografischeNaam": {"spelling": municipality, "taal": "nl"}
                },
            },
            "postinfo": {
                "objectId": postcode,
                "detail": f"{base_url}/v2/postinfo/{postcode}",
            },
            "straatnaam": {
                "objectId": "1" + object_id[-3:],
                "detail": f"{base_url}/v2/straatnamen/1{object_id[-3:]}",
                "straatnaam": {"geografischeNaam": {"spelling": street, "taal": "nl"}},
            },
            "huisnummer": number,
            "volledigAdres": {
                "geografischeNaam": {
                    "spelling": _label(street, number, box, postcode, municipality),
                    "taal": "nl",
                }
            },
            "adresPositie": {
                "geometrie": {"type": "Point", "gml": gml},
                "positieGeometrieMethode": "aangeduidDoorBeheerder",
                "positieSpecificatie": "ingang",
            },
            "adresStatus": "inGebruik",
            "officieelToegekend": True,
        }
        if box:
            document["busnummer"] = box
        return document

    def search(self, query, municipality, limit, base_url):
        words = _fold(query).replace(",", " ").split()
        results, streets = [], []
        for row in self.addresses:
            object_id, street, number, box, postcode, town, _lat, _lon = row
            if municipality and _fold(town) != _fold(municipality):
                continue
            label = _label(street, number, box, postcode, town)
            if words and all(w in _fold(label) for w in words):
                results.append(
                    {
                        "id": f"{NAMESPACE}/{object_id}",
                        "objectId": object_id,
                        "detail": f"{base_url}/v2/adressen/{object_id}",
                        "resultaat": label,
                    }
                )
            street_label = f"{street}, {town}"
            if (
                words
                and all(w in _fold(street_label) for w in words)
                and street_label not in streets
            ):
                streets.append(street_label)
        street_results = [
            {
                "id": f"https://data.vlaanderen.be/id/straatnaam/{900 + i}",
                "objectId": str(900 + i),
                "detail": f"{base_url}/v2/straatnamen/{900 + i}",
                "resultaat": name,
            }
            for i, name in enumerate(streets)
        ]
        return {"resultaten": (street_results + results)[:limit]}

    def units_at(self, address_id, base_url):
        """The building-register list of the units at ``address_id``."""
        return {
            "@context": "https://docs.basisregisters.vlaanderen.be/context/"
            "gebouweenheid/2022-01-11/gebouweenheden_list.jsonld",
            "gebouweenheden": [
                {
                    "@type": "Gebouweenheid",
                    "identificator": {
                        "id": f"{BUILDING_UNIT_NAMESPACE}/{unit_id}",
                        "naamruimte": BUILDING_UNIT_NAMESPACE,
                        "objectId": unit_id,
                        "versieId": "2024-01-01T00:00:00+01:00",
                    },
                    "detail": f"{base_url}/v2/gebouweenheden/{unit_id}",
                    "gebouweenheidStatus": status,
                }
                for unit_id, unit_address, status in self.building_units
                if unit_address == address_id
            ],
        }

    def location(self, lat, lon):
        nearest = min(
            self.addresses,
            key=lambda row: distance_m(lat, lon, row[6], row[7]),
            default=None,
        )
        if nearest is None:
            return {"LocationResult": []}
        object_id, street, number, _box, postcode, town, a_lat, a_lon = nearest
        x, y = lambert.from_wgs84(a_lat, a_lon, 31370)
        return {
            "LocationResult": [
                {
                    "Municipality": town,
                    "Zipcode": postcode,
                    "Thoroughfarename": street,
                    "Housenumber": number,
                    "ID": int(object_id),
                    "FormattedAddress": f"{street} {number}, {postcode} {town}",
                    "Location": {
                        "Lat_WGS84": a_lat,
                        "Lon_WGS84": a_lon,
                        "X_Lambert72": round(x, 2),
                        "Y_Lambert72": round(y, 2),
                    },
                    "LocationType": "crab_huisnummer_afgeleidVanGebouw",
                }
            ]
        }

    # -- server ---------------------------------------------------------------
    def start(self, port=0):
        fake = self

        class Handler(JsonHandler):
            def do_GET(self):
                parsed = urllib.parse.urlparse(self.path)
                query = {
                    k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()
                }
                fake.requests.append((parsed.path, query))
                if fake.delay:
                    time.sleep(fake.delay)
                if fake.fail_next:
                    fake.fail_next -= 1
                    return self._send(fake.fail_status, {"title": "unavailable"})
                base = f"http://{self.headers.get('Host')}"
                path = parsed.path.rstrip("/")
                if path == "/v2/adressen/zoeken":
                    try:
                        limit = max(1, min(int(query.get("limit", 10)), 100))
                    except ValueError:
                        limit = 10
                    return self._send(
                        200,
                        fake.search(
                            query.get("q", ""),
                            query.get("gemeenteNaam", ""),
                            limit,
                            base,
                        ),
                    )
                if path == "/v2/gebouweenheden":
                    # the register reads query names case-insensitively
                    lowered = {k.lower(): v for k, v in query.items()}
                    return self._send(
                        200,
                        fake.units_at(lowered.get("adresobjectid", ""), base),
                        "application/ld+json",
                    )
                if path.startswith("/v2/adressen/"):
                    object_id = path.rsplit("/", 1)[1]
                    for row in fake.addresses:
                        if row[0] == object_id:
                            return self._send(
                                200, fake.detail(row, base), "application/ld+json"
                            )
                    return self._send(
                        404,
                        {
                            "type": "urn:be.vlaanderen.basisregisters.api:address:"
                            "not-found",
                            "title": "Er heeft zich een fout voorgedaan.",
                            "detail": "Onbestaand adres.",
                            "status": 404,
                        },
                        "application/problem+json",
                    )
                if path == f"{GEOLOCATION_PATH}/Location":
                    try:
                        lat, lon = (float(v) for v in query["latlon"].split(","))
                    except (KeyError, ValueError):
                        return self._send(400, {"error": "latlon expected"})
                    return self._send(200, fake.location(lat, lon))
                return self._send(404, {"error": "not found"})

        self._serve(Handler, port)
        return self.base_url

    @property
    def geolocation_url(self):
        return f"{self.base_url}{GEOLOCATION_PATH}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    fake = FakeAddressRegister()
    base = fake.start(args.port)
    print(f"address register on {base}, geolocation {fake.geolocation_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()

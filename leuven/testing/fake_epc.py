"""A local stand-in for the EPC lookup (loopback only), in the assumed format
of :mod:`leuven.energy.epc`:

- ``GET /v1/epc?adresObjectId=<id>[&gebouweenheidObjectId=<id>]``:
  ``{"certificaten": [...]}`` (the certificates of that address, of that
  building unit when given), 404 with a problem document when there is none.

It can be told to fail, to answer something malformed or to be slow, for
tests, the demo and screenshots:

    python -m leuven.testing.fake_epc --port 8767
"""

import argparse
import threading
import time
import urllib.parse

from leuven.testing.loopback import JsonHandler, LoopbackServer

# (address id, building unit id, number, label, score, issued, valid until,
#  recommendations [(part, text)])
SAMPLE_CERTIFICATES = [
    (
        "200002",
        "",
        "20190612-0002012345-RES-1",
        "E",
        512.0,
        "2019-06-12",
        "2029-06-12",
        [
            ("dak", "Isoleer het dak."),
            ("verwarming", "Vervang de oude stookolieketel door een warmtepomp."),
        ],
    ),
    (
        "200003",
        "500003",
        "20230301-0003045678-RES-1",
        "C",
        248.5,
        "2023-03-01",
        "2033-03-01",
        [("vensters", "Vervang het dubbel glas door hoogrendementsglas.")],
    ),
    (
        "200004",
        "",
        "20150105-0001000042-RES-1",
        "F",
        735.0,
        "2015-01-05",
        "2025-01-05",
        [],
    ),
    (
        "200004",
        "",
        "20240920-0004001234-RES-2",
        "D",
        380.0,
        "2024-09-20",
        "2034-09-20",
        [("muren", "Isoleer de buitenmuren.")],
    ),
    # the demo dwelling of leuven_energy (Naamsestraat 96)
    (
        "900096",
        "",
        "20180115-0009000096-RES-1",
        "E",
        498.0,
        "2018-01-15",
        "2028-01-15",
        [("dak", "Isoleer het dak.")],
    ),
]


def certificate_document(row):
    """One certificate in the assumed format."""
    address_id, unit_id, number, label, score, issued, until, recs = row
    return {
        "certificaatnummer": number,
        "energielabel": label,
        "energiescore": score,
        "datumOpmaak": issued,
        "geldigTot": until,
        "adresObjectId": address_id,
        "gebouweenheidObjectId": unit_id,
        "aanbevelingen": [{"onderdeel": part, "tekst": text} for part, text in recs],
    }


class FakeEpc(LoopbackServer):
    def __init__(self, certificates=None):
        self.certificates = list(
            SAMPLE_CERTIFICATES if certificates is None else certificates
        )
        self.fail_next = 0
        self.fail_status = 503
        # "status" (fail_status), "malformed" (not JSON), "not_object" (a JSON
        # list), "bad_certificate" (a certificate without a label)
        self.fail_mode = "status"
        self.delay = 0.0  # seconds before each answer
        self.requests = []  # (path, query dict, headers dict) of every request
        self._server = None

    def lookup(self, address_id, unit_id=""):
        return [
            certificate_document(row)
            for row in self.certificates
            if row[0] == address_id and (not unit_id or row[1] in ("", unit_id))
        ]

    def start(self, port=0):
        fake = self

        class Handler(JsonHandler):
            def do_GET(self):
                parsed = urllib.parse.urlparse(self.path)
                query = {
                    k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()
                }
                fake.requests.append((parsed.path, query, dict(self.headers)))
                if fake.delay:
                    time.sleep(fake.delay)
                if fake.fail_next:
                    fake.fail_next -= 1
                    if fake.fail_mode == "malformed":
                        return self._raw(200, b'{"certificaten": [', "application/json")
                    if fake.fail_mode == "not_object":
                        return self._send(200, [])
                    if fake.fail_mode == "bad_certificate":
                        return self._send(
                            200, {"certificaten": [{"certificaatnummer": "X-1"}]}
                        )
                    return self._send(fake.fail_status, {"title": "unavailable"})
                if parsed.path.rstrip("/") != "/v1/epc":
                    return self._send(404, {"title": "not found"})
                address_id = query.get("adresObjectId", "")
                found = fake.lookup(address_id, query.get("gebouweenheidObjectId", ""))
                if not found:
                    return self._send(
                        404,
                        {
                            "type": "urn:epc:not-found",
                            "title": "Geen EPC gevonden.",
                            "status": 404,
                        },
                        "application/problem+json",
                    )
                return self._send(200, {"certificaten": found})

        self._serve(Handler, port)
        return self.base_url


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    fake = FakeEpc()
    print(f"EPC lookup on {fake.start(args.port)}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()

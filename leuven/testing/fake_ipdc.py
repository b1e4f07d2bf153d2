"""A local stand-in for IPDC's instance-snapshot event stream (loopback only).

It serves members in pages exactly as the real feed does (JSON-LD
``EventStream`` pages with a ``GreaterThanOrEqualToRelation`` to the next
page, the last page without one), checks the ``X-API-KEY`` header, and can be
told to fail a number of requests, for tests, the demo and the benchmarks.

    python -m leuven.testing.fake_ipdc --port 8765 [--synthetic 5000]
"""

import argparse
import copy
import threading
import urllib.parse

from leuven.catalog.samples import sample_members
from leuven.testing.loopback import JsonHandler, LoopbackServer

FEED_PATH = "/doc/instantiesnapshot"
CONTEXT = [
    "https://productencatalogus.data.vlaanderen.be/ns/ipdc-lpdc.jsonld",
    "https://productencatalogus.data.vlaanderen.be/ns/ldes.jsonld",
]


def synthetic_members(count):
    """``count`` distinct products built from the samples (for benchmarks)."""
    base = sample_members()
    members = []
    for index in range(count):
        member = copy.deepcopy(base[index % len(base)])
        suffix = f"{index:06d}"
        member["@id"] = f"{member['@id']}-{suffix}"
        member["isVersionOf"] = f"{member['isVersionOf']}-{suffix}"
        member["naam"] = {k: f"{v} {suffix}" for k, v in member["naam"].items()}
        members.append(member)
    return members


class FakeIpdc(LoopbackServer):
    def __init__(self, members=None, page_size=25, api_key="test-key"):
        self.members = list(sample_members() if members is None else members)
        self.page_size = page_size
        self.api_key = api_key
        self.fail_next = 0
        self.fail_status = 503
        self.requests = 0
        self._server = None

    # -- feed -----------------------------------------------------------------
    def page(self, number, base_url):
        start = number * self.page_size
        members = self.members[start : start + self.page_size]
        url = f"{base_url}{FEED_PATH}?pageNumber={number}"
        view = {"@id": url, "@type": "Node", "relation": []}
        if number > 0:
            view["relation"].append(
                {
                    "@type": "LessThanOrEqualToRelation",
                    "node": f"{base_url}{FEED_PATH}?pageNumber={number - 1}",
                    "path": "generatedAtTime",
                }
            )
        if start + self.page_size < len(self.members):
            view["relation"].append(
                {
                    "@type": "GreaterThanOrEqualToRelation",
                    "node": f"{base_url}{FEED_PATH}?pageNumber={number + 1}",
                    "path": "generatedAtTime",
                }
            )
        return {
            "@context": CONTEXT,
            "@id": url,
            "@type": "EventStream",
            "timestampPath": "generatedAtTime",
            "versionOfPath": "isVersionOf",
            "view": view,
            "member": members,
        }

    def publish(self, member):
        """Append a new snapshot, as the real feed does on a change."""
        self.members.append(member)

    # -- server ---------------------------------------------------------------
    def start(self, port=0):
        fake = self

        class Handler(JsonHandler):
            def do_GET(self):
                fake.requests += 1
                parsed = urllib.parse.urlparse(self.path)
                if fake.fail_next:
                    fake.fail_next -= 1
                    return self._send(fake.fail_status, {"error": "unavailable"})
                if fake.api_key and self.headers.get("X-API-KEY") != fake.api_key:
                    return self._send(401, {"error": "bad api key"})
                if parsed.path != FEED_PATH:
                    return self._send(404, {"error": "not found"})
                query = urllib.parse.parse_qs(parsed.query)
                number = int((query.get("pageNumber") or ["0"])[0])
                host = f"http://{self.headers.get('Host')}"
                return self._send(200, fake.page(number, host))

            content_type = "application/ld+json"

        self._serve(Handler, port)
        return self.feed_url

    @property
    def feed_url(self):
        return f"{self.base_url}{FEED_PATH}?pageNumber=0"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--synthetic", type=int, default=0)
    parser.add_argument("--api-key", default="test-key")
    args = parser.parse_args()
    members = synthetic_members(args.synthetic) if args.synthetic else None
    fake = FakeIpdc(members, api_key=args.api_key)
    print(
        f"IPDC feed on {fake.start(args.port)} (X-API-KEY: {args.api_key})", flush=True
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()

"""Identity and Melding doen under attack: what a visitor or a caller of the
API notices when the identity provider misbehaves or the input is hostile.

ACM/IDM is played by a small provider on loopback that this module controls:
it can leave ``aud`` out of the ID token, forget the RFC 9207 ``iss`` in its
answer, be down or slow, and it counts the calls it receives.
"""

import base64
import contextlib
import http.server
import itertools
import json
import threading
import time
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlparse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from odoo.tests import HttpCase, tagged

from leuven.burgerprofiel import melding

CLIENT_ID = "leuven-kcc"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 128


def _pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


KEY = _pem()
_CODES = itertools.count(1)  # codes are never reused, as at a real provider


class FakeAcm:
    """What the provider does; one per server. ``mode`` is ``up``, ``down``
    (503 at once) or ``slow`` (answers after ``delay`` seconds)."""

    def __init__(self):
        self.issuer = ""
        self.mode = "up"
        self.delay = 2.0
        self.calls = []
        self.codes = {}
        self.id_claims = {}  # overrides; None leaves the claim out
        self.send_iss = True

    def id_token(self, nonce):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "acm-leak-ann",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "given_name": "Ann",
            "family_name": "Lek",
            "rrn": "85073003328",
        }
        claims.update(self.id_claims)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "acm"})


class _Handler(http.server.BaseHTTPRequestHandler):
    def _send(self, status, body=None, headers=()):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _misbehave(self):
        acm = self.server.acm
        acm.calls.append(self.path)
        if acm.mode == "slow":
            time.sleep(acm.delay)
        if acm.mode in ("down", "slow"):
            # a slow answer may find the client gone: a broken pipe is fine
            with contextlib.suppress(OSError):
                self._send(503, {"error": "temporarily_unavailable"})
            return True
        return False

    def do_GET(self):
        if self._misbehave():
            return
        acm = self.server.acm
        url = urlparse(self.path)
        if url.path.endswith("/.well-known/openid-configuration"):
            self._send(
                200,
                {
                    "issuer": acm.issuer,
                    "authorization_endpoint": f"{acm.issuer}/auth",
                    "token_endpoint": f"{acm.issuer}/token",
                    "jwks_uri": f"{acm.issuer}/keys",
                    "response_types_supported": ["code"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "authorization_response_iss_parameter_supported": True,
                },
            )
        elif url.path.endswith("/keys"):
            public = jwk.construct(KEY, "RS256").public_key().to_dict()
            self._send(
                200, {"keys": [{**public, "kid": "acm", "use": "sig", "alg": "RS256"}]}
            )
        elif url.path.endswith("/auth"):
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            code = f"code-{next(_CODES)}"
            acm.codes[code] = query["nonce"]
            answer = {"code": code, "state": query["state"]}
            if acm.send_iss:
                answer["iss"] = acm.issuer
            location = f"{query['redirect_uri']}?{urlencode(answer)}"
            self._send(302, headers=[("Location", location)])
        else:
            self._send(404, {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if self._misbehave():
            return
        acm = self.server.acm
        nonce = acm.codes.pop(form.get("code"), None)
        if not urlparse(self.path).path.endswith("/token") or nonce is None:
            self._send(400, {"error": "invalid_grant"})
            return
        self._send(
            200,
            {
                "id_token": acm.id_token(nonce),
                "access_token": "opaque",
                "token_type": "Bearer",
            },
        )

    def log_message(self, *args):
        pass


class LeakIdentityCase(HttpCase):
    @classmethod
    def start_acm(cls):
        """A provider on loopback for the rest of the class; its state."""
        acm = FakeAcm()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.acm = acm
        acm.issuer = f"http://127.0.0.1:{server.server_port}/op"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        cls.addClassCleanup(server.server_close)
        cls.addClassCleanup(server.shutdown)
        return acm

    @classmethod
    def use_acm(cls, acm):
        Param = cls.env["ir.config_parameter"].sudo()
        Param.set_param("leuven_burgerprofiel.issuer", acm.issuer)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acm = cls.start_acm()
        cls.audience = "https://www.leuven.be/v1/melding"
        params = {
            "leuven_burgerprofiel.enabled": "1",
            "leuven_burgerprofiel.environment": "custom",
            "leuven_burgerprofiel.client_id": CLIENT_ID,
            "leuven_burgerprofiel.client_secret": "s3cret",
            "leuven_burgerprofiel.auth_method": "client_secret_post",
            "leuven_burgerprofiel.melding_enabled": "1",
            "leuven_burgerprofiel.melding_audience": cls.audience,
            "web.base.url": cls.base_url(),
        }
        Param = cls.env["ir.config_parameter"].sudo()
        for key, value in params.items():
            Param.set_param(key, value)
        cls.use_acm(cls.acm)

    def setUp(self):
        super().setUp()
        self.acm.id_claims = {}
        self.acm.send_iss = True
        self.acm.mode = "up"

    def browse(self, url):
        """Follow the redirects like a browser; every (url, response)."""
        hops = []
        for _hop in range(10):
            response = self.opener.get(url, allow_redirects=False, timeout=30)
            hops.append((url, response))
            location = response.headers.get("Location")
            if not location or response.status_code not in (301, 302, 303, 307):
                return hops
            url = urljoin(url, location)
        raise AssertionError("too many redirects")

    def login(self, redirect=None):
        url = f"{self.base_url()}/auth/burgerprofiel/login"
        if redirect is not None:
            url += f"?redirect={quote(redirect, safe='')}"
        return self.browse(url)

    def callback_response(self, hops):
        return next(r for u, r in hops if "/auth/burgerprofiel/callback" in u)

    def user(self):
        return (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("burgerprofiel_sub", "=", "acm-leak-ann")])
        )


@tagged("post_install", "-at_install")
class TestLoginLeaks(LeakIdentityCase):
    def test_the_fake_provider_logs_a_citizen_in(self):
        """The baseline: the same flow with a good answer logs in."""
        hops = self.login("/my/cases")
        callback = self.callback_response(hops)
        self.assertEqual(callback.status_code, 303, callback.text[:500])
        self.assertEqual(urlparse(callback.headers["Location"]).path, "/my/cases")
        self.assertTrue(self.user())

    def test_an_id_token_without_audience_is_an_error_page_not_a_500(self):
        self.acm.id_claims = {"aud": None}
        with self.assertNoLogs("odoo.http", level="ERROR"):
            hops = self.login()
        response = hops[-1][1]
        self.assertIn(response.status_code, (400, 401), response.text[:500])
        self.assertIn("o_burgerprofiel_error", response.text)
        self.assertIn('data-code="wrong_audience"', response.text)
        self.assertNotIn(self.acm.issuer, response.text)
        self.assertFalse(self.user(), "nobody is logged in or made")

    def test_an_id_token_for_another_party_is_refused(self):
        self.acm.id_claims = {"azp": "someone-else"}
        response = self.login()[-1][1]
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.user())

    def test_a_callback_without_the_issuer_the_provider_promised_is_refused(self):
        self.acm.send_iss = False
        response = self.login()[-1][1]
        self.assertEqual(response.status_code, 400)
        self.assertIn('data-code="issuer_mismatch"', response.text)
        self.assertFalse(self.user())

    def test_the_redirect_after_the_login_stays_on_the_site(self):
        for target in (
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%2F/evil.example",
            "/\t/evil.example",
            "https://evil.example/my",
            "javascript:alert(1)",
            "/my\r\nSet-Cookie: x=1",
        ):
            with self.subTest(target=target):
                self.opener.cookies.clear()
                callback = self.callback_response(self.login(target))
                self.assertEqual(callback.status_code, 303)
                location = urlparse(callback.headers["Location"])
                self.assertEqual(location.path, "/my")
                self.assertIn(location.netloc, ("", urlparse(self.base_url()).netloc))

    def test_a_callback_with_garbage_is_a_400_page(self):
        callback = f"{self.base_url()}/auth/burgerprofiel/callback"
        cases = {
            "NUL in state": {"state": "ab\x00cd", "code": "c"},
            "NUL in code": {"state": "abcd", "code": "c\x00"},
            "CRLF in state": {"state": "ab\r\ncd", "code": "c"},
            "very long code": {"state": "abcd", "code": "c" * 20000},
            "very long state": {"state": "s" * 5000, "code": "c"},
            "non-ASCII state": {"state": "é" * 40, "code": "c"},
            "NUL in error": {"error": "access\x00denied", "state": "abcd"},
            "NUL in iss": {"state": "abcd", "code": "c", "iss": "x\x00"},
        }
        # a NUL in the address is refused before any route (leuven_kcc's guard)
        bare = ("NUL in state", "NUL in code", "NUL in error", "NUL in iss")
        with self.assertNoLogs("odoo.http", level="ERROR"):
            for why, query in cases.items():
                with self.subTest(why):
                    self.opener.get(
                        f"{self.base_url()}/auth/burgerprofiel/login",
                        allow_redirects=False,
                        timeout=30,
                    )
                    response = self.opener.get(
                        f"{callback}?{urlencode(query)}",
                        allow_redirects=False,
                        timeout=30,
                    )
                    self.assertEqual(response.status_code, 400, why)
                    if why not in bare:
                        self.assertIn("o_burgerprofiel_error", response.text)
        self.assertFalse(self.user())


@tagged("post_install", "-at_install")
class TestProviderDown(LeakIdentityCase):
    """A slow or dead ACM/IDM costs one attempt per back-off, not one per
    request, and its address never reaches the caller."""

    def token(self):
        now = int(time.time())
        claims = {
            "iss": self.env["ir.config_parameter"]
            .sudo()
            .get_param("leuven_burgerprofiel.issuer"),
            "aud": self.audience,
            "sub": "mbp-client",
            "client_id": "mbp",
            "scope": melding.SCOPE,
            "iat": now,
            "exp": now + 300,
        }
        return jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "acm"})

    def configuration(self):
        return self.opener.get(
            f"{self.base_url()}/v1/melding/configuration",
            headers={"Authorization": f"Bearer {self.token()}"},
            timeout=30,
        )

    def assertUnavailableWithoutDetail(self, response, acm):
        self.assertEqual(response.status_code, 503, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        self.assertNotIn(acm.issuer, response.text)
        self.assertNotIn("127.0.0.1", response.text)
        self.assertNotIn("Connection", response.text)
        self.assertTrue(response.headers.get("Retry-After"))

    def test_a_provider_that_is_down_is_not_asked_on_every_request(self):
        down = self.start_acm()
        down.mode = "down"
        self.use_acm(down)
        with self.assertNoLogs("odoo.http", level="ERROR"):
            first = self.configuration()
            self.assertUnavailableWithoutDetail(first, down)
            self.assertEqual(len(down.calls), 1)
            for _ in range(5):
                self.assertUnavailableWithoutDetail(self.configuration(), down)
            # the login button does not try either
            start = self.opener.get(
                f"{self.base_url()}/auth/burgerprofiel/login",
                allow_redirects=False,
                timeout=30,
            )
        self.assertIn(
            "burgerprofiel_error=provider_unreachable", start.headers["Location"]
        )
        self.assertEqual(len(down.calls), 1, "one call, then the back-off")

    def test_a_slow_provider_costs_one_short_timeout(self):
        slow = self.start_acm()
        slow.mode, slow.delay = "slow", 1.5
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("leuven_burgerprofiel.read_timeout", "0.3")
        self.use_acm(slow)
        for _ in range(4):
            self.assertUnavailableWithoutDetail(self.configuration(), slow)
        self.assertEqual(len(slow.calls), 1)

    def test_an_access_token_without_audience_is_refused(self):
        now = int(time.time())
        claims = {
            "iss": self.acm.issuer,
            "sub": "mbp-client",
            "client_id": "mbp",
            "scope": melding.SCOPE,
            "iat": now,
            "exp": now + 300,
        }
        token = jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "acm"})
        response = self.opener.get(
            f"{self.base_url()}/v1/melding/configuration",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        self.assertEqual(response.status_code, 401, response.text)
        self.assertIn("invalid_token", response.headers["WWW-Authenticate"])


@tagged("post_install", "-at_install")
class TestMeldingBadInput(LeakIdentityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = cls.env["kcc.handler.group"].create(
            {"name": "Wegen (lek)", "code": "T-LEK"}
        )
        cls.env["kcc.case.category"].create(
            {
                "name": "Put in de weg (lek)",
                "handler_group_id": group.id,
                "melding_reportable": True,
                "melding_code": "lek-wegdek",
            }
        )

    def headers(self):
        now = int(time.time())
        claims = {
            "iss": self.acm.issuer,
            "aud": self.audience,
            "sub": "mbp-client",
            "client_id": "mbp",
            "scope": melding.SCOPE,
            "rrn": "85073003328",
            "iat": now,
            "exp": now + 300,
        }
        token = jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "acm"})
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def report(self, **changes):
        body = {
            "meldingId": "lek-0001",
            "categorie": "lek-wegdek",
            "omschrijving": "Diepe put in het fietspad",
            "locatie": {"adres": {"straat": "Naamsestraat", "postcode": "3000"}},
        }
        body.update(changes)
        return json.dumps(body)

    def stored(self):
        cases = (
            self.env["kcc.case"]
            .sudo()
            .search([("idempotency_key", "like", "melding:%")])
        )
        return (
            len(cases),
            self.env["ir.attachment"]
            .sudo()
            .search_count([("res_model", "=", "kcc.case")]),
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("national_number", "=", "85073003328")]),
        )

    def test_malformed_requests_are_problems_and_store_nothing(self):
        base = f"{self.base_url()}/v1/melding"
        point = {"adres": {"straat": "Naamsestraat", "postcode": "3000"}}
        photo = base64.b64encode(PNG + b"\0" * melding.MAX_ATTACHMENT_BYTES).decode()
        too_big = [
            {"bestandsnaam": "groot.png", "mimeType": "image/png", "inhoud": photo}
        ]
        gets = {
            "NUL in meldingId": "/meldingen/lek%00id",
            "CRLF in meldingId": "/meldingen/lek%0D%0ASet-Cookie:%20x",
            "overlong meldingId": "/meldingen/" + "x" * 500,
            "space in meldingId": "/meldingen/lek%20id",
            "non-ASCII meldingId": "/meldingen/%C3%A9",
        }
        posts = {
            "deep JSON": "[" * 5000 + "]" * 5000,
            "deep object": '{"a":' * 3000 + "1" + "}" * 3000,
            "NUL in a string": self.report(omschrijving="Put\u0000 in de weg"),
            "NUL in meldingId": self.report(meldingId="lek\u0000"),
            "CRLF in meldingId": self.report(meldingId="lek\r\n0001"),
            "NaN coordinates": self.report(locatie=point).replace(
                '"adres"', '"coordinaten": {"lat": NaN, "lon": 4.7}, "adres"'
            ),
            "Infinity": self.report(locatie=point).replace(
                '"adres"', '"coordinaten": {"lat": 1e400, "lon": 4.7}, "adres"'
            ),
            "lat=999": self.report(locatie={"coordinaten": {"lat": 999, "lon": 4.7}}),
            "lat as text": self.report(
                locatie={"coordinaten": {"lat": "50.8", "lon": 4.7}}
            ),
            "description a number": self.report(omschrijving=12345),
            "location a string": self.report(locatie="Leuven"),
            "meldingId a number": self.report(meldingId=5),
            "a list": json.dumps([self.report()]),
            "control character": self.report(
                locatie={"adres": {"straat": "Naamse\x01straat", "postcode": "3000"}}
            ),
            "line break in street": self.report(
                locatie={"adres": {"straat": "Naamse\nstraat", "postcode": "3000"}}
            ),
            "overlong description": self.report(omschrijving="x" * 100000),
            "not UTF-8": b'{"meldingId": "\xff\xfe"}',
            "not JSON": "{meldingId: lek}",
            "oversize attachment": self.report(bijlagen=too_big),
        }
        before = self.stored()
        with self.assertNoLogs("odoo.http", level="ERROR"):
            for why, path in gets.items():
                with self.subTest(why):
                    response = self.opener.get(
                        base + path, headers=self.headers(), timeout=30
                    )
                    # a NUL in the address is refused before any route
                    self.assertProblem(response, why, problem="NUL" not in why)
            for why, data in posts.items():
                with self.subTest(why):
                    response = self.opener.post(
                        f"{base}/meldingen",
                        data=data,
                        headers=self.headers(),
                        timeout=60,
                    )
                    self.assertProblem(response, why)
        self.assertGreaterEqual(len(gets) + len(posts), 12)
        self.assertEqual(self.stored(), before, "nothing half stored")
        # the same API still takes a good report
        response = self.opener.post(
            f"{base}/meldingen", data=self.report(), headers=self.headers(), timeout=30
        )
        self.assertEqual(response.status_code, 201, response.text)

    def assertProblem(self, response, why, problem=True):
        self.assertIn(
            response.status_code, (400, 413, 422), f"{why}: {response.text[:300]}"
        )
        if problem:
            self.assertEqual(
                response.headers["Content-Type"], "application/problem+json", why
            )
        self.assertNotIn("Traceback", response.text)

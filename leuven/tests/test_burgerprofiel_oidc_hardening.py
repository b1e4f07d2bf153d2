"""The relying party under answers and tokens nobody here would send.

RFC 9207 issuer in the callback, claims of the wrong type, a token without
audience, and a provider that is slow or down: the login and the Melding
doen API must fail fast and cleanly (an :class:`OidcError`, never a
``TypeError``), and must not wait for a dead provider on every request.
"""

import base64
import http.server
import json
import socket
import threading
import time

import pytest
import requests
from jose import jwt

from leuven.burgerprofiel.oidc import ClientConfig, OidcError, Provider

from .test_burgerprofiel_oidc import CLIENT, ISSUER, REDIRECT, FakeProvider, Response

API = "https://kcc.leuven.be/v1/melding"


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now


class IssuerAwareProvider(FakeProvider):
    """A provider that names itself in its answers (RFC 9207)."""

    def get(self, url, headers=None, timeout=None):
        response = super().get(url, headers, timeout)
        if url.endswith("/.well-known/openid-configuration"):
            response._body["authorization_response_iss_parameter_supported"] = True
        return response


class DownProvider(FakeProvider):
    """Counts the calls; answers 503 while ``down``."""

    def __init__(self):
        super().__init__()
        self.down = True
        self.timeouts = []

    def get(self, url, headers=None, timeout=None):
        self.timeouts.append(timeout)
        if self.down:
            self.gets.append(url)
            raise requests.ConnectionError(f"cannot connect to {url}")
        return super().get(url, headers, timeout)


def _rp(op, clock=None, **config):
    values = {"issuer": ISSUER, "client_id": CLIENT, "redirect_uri": REDIRECT}
    values.update(config)
    values.setdefault("client_secret", "s3cret")
    return Provider(ClientConfig(**values), session=op, clock=clock or time.time)


# RFC 9207


def _callback(op, rp, **extra):
    pending = rp.login_request()
    op.issued["code-1"] = pending.nonce
    return rp.complete(pending, {"state": pending.state, "code": "code-1", **extra})


@pytest.mark.parametrize(
    "extra",
    [{}, {"iss": "https://evil.example/op"}, {"iss": ""}, {"iss": ISSUER + "/"}],
)
def test_a_provider_that_names_itself_must_do_so_in_the_callback(extra):
    op = IssuerAwareProvider()
    with pytest.raises(OidcError) as err:
        _callback(op, _rp(op), **extra)
    assert err.value.code == "issuer_mismatch"
    assert not op.posts, "no code is exchanged"


def test_the_right_issuer_in_the_callback_is_accepted():
    op = IssuerAwareProvider()
    assert _callback(op, _rp(op), iss=ISSUER).claims["sub"] == "acm-123"


def test_another_issuer_is_refused_even_when_not_advertised():
    op = FakeProvider()
    with pytest.raises(OidcError) as err:
        _callback(op, _rp(op), iss="https://evil.example/op")
    assert err.value.code == "issuer_mismatch"


@pytest.mark.parametrize("state", ["é" * 32, "\x00", ["a"], 12, "x" * 10000])
def test_garbage_state_is_a_state_mismatch_not_a_crash(state):
    op = FakeProvider()
    rp = _rp(op)
    pending = rp.login_request()
    with pytest.raises(OidcError) as err:
        rp.complete(pending, {"state": state, "code": "c"})
    assert err.value.code == "state_mismatch"


# claims


def _strip(token, claim, op):
    """``token`` signed again without ``claim``."""
    claims = jwt.get_unverified_claims(token)
    claims.pop(claim, None)
    pem, kid = op.signing
    return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid})


def _id_token(op, **overrides):
    """An ID token with these claims; a claim set to ``None`` is left out."""
    token = op.id_token("n-1", **overrides)
    for name, value in overrides.items():
        if value is None:
            token = _strip(token, name, op)
    return token


@pytest.mark.parametrize(
    "overrides",
    [
        {"iat": "yesterday"},
        {"iat": str(int(time.time()))},
        {"iat": [1]},
        {"iat": {"a": 1}},
        {"iat": True},
        {"iat": float("inf")},
        {"iat": float("nan")},
        {"exp": "tomorrow"},
        {"exp": str(int(time.time()) + 300)},
        {"exp": [int(time.time()) + 300]},
        {"exp": float("inf")},
        {"exp": True},
        {"nbf": "now"},
        {"nbf": [0]},
        {"nbf": float("nan")},
        {"iat": None},
        {"exp": None},
    ],
)
def test_non_numeric_dates_are_an_oidc_error(overrides):
    op = FakeProvider()
    with pytest.raises(OidcError) as err:
        _rp(op).verify_id_token(_id_token(op, **overrides), "n-1")
    assert err.value.code in ("bad_claims", "expired")


@pytest.mark.parametrize("sub", ["", "   ", None, 123, ["acm-123"], {"id": 1}])
def test_an_empty_or_non_text_subject_is_refused(sub):
    op = FakeProvider()
    with pytest.raises(OidcError) as err:
        _rp(op).verify_id_token(_id_token(op, sub=sub), "n-1")
    assert err.value.code == "bad_claims"


@pytest.mark.parametrize("azp", ["other-app", "", 5, [CLIENT]])
def test_the_authorized_party_must_be_us(azp):
    op = FakeProvider()
    with pytest.raises(OidcError) as err:
        _rp(op).verify_id_token(_id_token(op, azp=azp), "n-1")
    assert err.value.code in ("wrong_audience", "bad_claims")


def test_azp_naming_us_is_fine():
    op = FakeProvider()
    assert _rp(op).verify_id_token(_id_token(op, azp=CLIENT), "n-1")["azp"] == CLIENT


@pytest.mark.parametrize("aud", [None, [], "", [""], [5]])
def test_an_id_token_without_audience_is_refused(aud):
    op = FakeProvider()
    with pytest.raises(OidcError) as err:
        _rp(op).verify_id_token(_id_token(op, aud=aud), "n-1")
    assert err.value.code in ("wrong_audience", "bad_claims")


def test_a_login_with_an_id_token_without_audience_is_refused():
    op = FakeProvider()
    signed = op.id_token
    op.id_token = lambda nonce, **claims: _strip(signed(nonce, **claims), "aud", op)
    with pytest.raises(OidcError) as err:
        _callback(op, _rp(op))
    assert err.value.code == "wrong_audience"


def _access_token(op, **overrides):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": API,
        "sub": "mbp-app",
        "client_id": "mbp",
        "scope": "dv_mbp_incidents",
        "iat": now,
        "exp": now + 300,
    }
    claims.update(overrides)
    pem, kid = op.signing
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid})


@pytest.mark.parametrize(
    "overrides",
    [{"aud": None}, {"aud": []}, {"iat": "now"}, {"sub": ""}, {"exp": "later"}],
)
def test_access_tokens_need_an_audience_and_proper_claims(overrides):
    op = FakeProvider()
    rp = _rp(op)
    assert rp.verify_access_token(_access_token(op), API, "dv_mbp_incidents")
    with pytest.raises(OidcError):
        rp.verify_access_token(_access_token(op, **overrides), API, "dv_mbp_incidents")


def test_a_non_ascii_nonce_is_a_mismatch_not_a_crash():
    op = FakeProvider()
    with pytest.raises(OidcError) as err:
        _rp(op).verify_id_token(op.id_token("ñønce"), "n-1")
    assert err.value.code == "nonce_mismatch"


# caching and back-off


def _discoveries(op):
    return sum(url.endswith("/openid-configuration") for url in op.gets)


def test_discovery_and_keys_are_cached_for_their_lifetime():
    op, clock = FakeProvider(), Clock()
    rp = _rp(op, clock)
    for _ in range(5):
        rp.verify_access_token(_access_token(op), API, "dv_mbp_incidents")
    assert _discoveries(op) == 1
    assert sum(url.endswith("/v1/keys") for url in op.gets) == 1
    clock.now += 3601
    rp.verify_access_token(_access_token(op), API, "dv_mbp_incidents")
    assert _discoveries(op) == 2
    assert sum(url.endswith("/v1/keys") for url in op.gets) == 2


def test_a_provider_that_is_down_is_asked_again_only_after_a_growing_pause():
    op, clock = DownProvider(), Clock()
    rp = _rp(op, clock)
    with pytest.raises(OidcError) as err:
        rp.verify_access_token(_access_token(op), API, "dv_mbp_incidents")
    assert err.value.code == "provider_unreachable"
    assert err.value.retry_after == 30
    assert not err.value.repeated, "a real attempt failed: worth a log line"
    assert len(op.gets) == 1
    # every request of the next 30 s fails at once, without a call
    for _ in range(20):
        with pytest.raises(OidcError) as err:
            rp.login_request()
        assert err.value.code == "provider_unreachable"
        assert err.value.repeated
    assert len(op.gets) == 1
    # then one attempt, and a pause twice as long, up to 5 minutes
    pauses = []
    for _ in range(6):
        clock.now += 1000
        with pytest.raises(OidcError) as err:
            rp.login_request()
        pauses.append(err.value.retry_after)
    assert pauses == [60, 120, 240, 300, 300, 300]
    assert len(op.gets) == 7
    # the provider is back: the next attempt succeeds and the pause is reset
    op.down = False
    clock.now += 301
    assert rp.login_request().url.startswith(ISSUER)
    assert rp._discovery.failures == 0


def test_a_failed_refresh_keeps_the_documents_fetched_before():
    op, clock = DownProvider(), Clock()
    op.down = False
    rp = _rp(op, clock)
    rp.verify_access_token(_access_token(op), API, "dv_mbp_incidents")
    op.down = True
    clock.now += 3601
    calls = len(op.gets)
    # expired, the refresh fails: the old discovery and keys still serve
    for _ in range(5):
        rp.verify_access_token(_access_token(op), API, "dv_mbp_incidents")
    assert len(op.gets) - calls == 2, "one attempt for discovery, one for the keys"


def test_timeouts_are_short_and_configurable():
    op = DownProvider()
    op.down = False
    _rp(op).login_request()
    assert op.timeouts == [(3.0, 5.0)]
    op.timeouts.clear()
    _rp(op, connect_timeout=1, read_timeout=2).login_request()
    assert op.timeouts == [(1, 2)]
    with pytest.raises(ValueError):
        ClientConfig(ISSUER, CLIENT, REDIRECT, read_timeout=0)


def test_the_error_shown_to_callers_is_only_the_code():
    """The message names the URL (for the log); the code is what callers map."""
    op = DownProvider()
    with pytest.raises(OidcError) as err:
        _rp(op).login_request()
    assert err.value.code == "provider_unreachable"
    assert ISSUER not in err.value.code


class _Slow(http.server.BaseHTTPRequestHandler):
    calls = []
    delay = 2.0

    def do_GET(self):
        _Slow.calls.append(self.path)
        time.sleep(_Slow.delay)
        try:
            self.send_response(503)
            self.end_headers()
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_provider():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Slow.calls = []
    yield f"http://127.0.0.1:{server.server_port}/op"
    server.shutdown()
    server.server_close()


def test_a_slow_provider_costs_one_short_timeout_not_one_per_request(slow_provider):
    rp = Provider(
        ClientConfig(
            slow_provider,
            CLIENT,
            REDIRECT,
            client_secret="s",
            connect_timeout=0.5,
            read_timeout=0.3,
        )
    )
    started = time.monotonic()
    for _ in range(10):
        with pytest.raises(OidcError) as err:
            rp.verify_access_token("a.b.c", API, "dv_mbp_incidents")
        assert err.value.code in ("provider_unreachable", "malformed_token")
    with pytest.raises(OidcError) as err:
        rp.login_request()
    assert err.value.code == "provider_unreachable"
    assert len(_Slow.calls) == 1
    assert time.monotonic() - started < 1.8, "one read timeout, not eleven"


def test_an_unreachable_provider_fails_fast():
    # nothing listens on this port any more
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    rp = Provider(
        ClientConfig(f"http://127.0.0.1:{port}/op", CLIENT, REDIRECT, client_secret="s")
    )
    started = time.monotonic()
    for _ in range(10):
        with pytest.raises(OidcError) as err:
            rp.login_request()
        assert err.value.code == "provider_unreachable"
    assert rp._discovery.failures == 1
    assert time.monotonic() - started < 3.5


def test_answers_that_are_not_objects_are_unreachable_not_crashes():
    class ListProvider(FakeProvider):
        def get(self, url, headers=None, timeout=None):
            self.gets.append(url)
            return Response(200, ["not", "an", "object"])

    with pytest.raises(OidcError) as err:
        _rp(ListProvider()).login_request()
    assert err.value.code == "provider_unreachable"


def _raw_token(header, claims):
    def part(data):
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}.c2ln"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a.b.c",
        "\x00.\x00.\x00",
        "é.é.é",
        _raw_token(["RS256"], {}),
        _raw_token({"alg": ["RS256"], "kid": "a"}, {}),
        _raw_token({"alg": "RS256", "kid": ["a"]}, {}),
        _raw_token({"alg": "RS256", "kid": {"a": 1}}, {}),
        _raw_token({"alg": "RS256"}, {}),
        _raw_token({"alg": "RS256", "kid": "a"}, ["not", "claims"]),
        _raw_token({"alg": "RS256", "kid": "a"}, "claims"),
    ],
)
def test_odd_tokens_are_an_oidc_error(token):
    op = FakeProvider()
    with pytest.raises(OidcError):
        _rp(op).verify_access_token(token, API, "dv_mbp_incidents")

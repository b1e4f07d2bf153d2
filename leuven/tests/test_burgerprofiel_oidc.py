"""Every check of an ACM/IDM login, each with a token or answer made to fail it."""

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from leuven.burgerprofiel.oidc import ClientConfig, OidcError, Provider

ISSUER = "https://authenticatie-ti.vlaanderen.be/op"
CLIENT = "leuven-kcc"
REDIRECT = "https://kcc.leuven.be/auth/burgerprofiel/callback"


def _rsa_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _public_jwk(pem, kid):
    public = jwk.construct(pem, "RS256").public_key().to_dict()
    return {**public, "kid": kid, "use": "sig", "alg": "RS256"}


KEY_A, KEY_B, FORGER = _rsa_pem(), _rsa_pem(), _rsa_pem()


class Response:
    def __init__(self, status, body):
        self.status_code, self._body = status, body

    def json(self):
        if isinstance(self._body, str):
            raise ValueError("not JSON")  # noqa: TRY004 - as requests does
        return self._body

    def raise_for_status(self):
        if self.status_code >= 400:
            import requests

            raise requests.HTTPError(f"{self.status_code}")


class FakeProvider:
    """The provider's side, in process: discovery, keys, token, userinfo."""

    def __init__(self):
        self.keys = [_public_jwk(KEY_A, "a")]
        self.signing = (KEY_A, "a")
        self.gets, self.posts = [], []
        self.claims = {}
        self.token_error = None
        self.issued = {}

    def id_token(self, token_nonce, **overrides):
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT,
            "sub": "acm-123",
            "iat": now,
            "exp": now + 300,
            "nonce": token_nonce,
            "given_name": "Ann",
            "family_name": "Peeters",
            "rrn": "85073003328",
        }
        claims.update(self.claims)
        claims.update(overrides)
        pem, kid = self.signing
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid})

    def get(self, url, headers=None, timeout=None):
        self.gets.append(url)
        if url.endswith("/.well-known/openid-configuration"):
            return Response(
                200,
                {
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/v1/auth",
                    "token_endpoint": f"{ISSUER}/v1/token",
                    "userinfo_endpoint": f"{ISSUER}/v1/userinfo",
                    "end_session_endpoint": f"{ISSUER}/v1/logout",
                    "jwks_uri": f"{ISSUER}/v1/keys",
                    "response_types_supported": ["code"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["plain", "S256"],
                },
            )
        if url.endswith("/v1/keys"):
            return Response(200, {"keys": list(self.keys)})
        if url.endswith("/v1/userinfo"):
            assert headers["Authorization"] == "Bearer access-1"
            return Response(200, {"sub": "acm-123", "vo_doelgroepcode": "BUR"})
        return Response(404, {})

    def post(self, url, data=None, auth=None, timeout=None):
        self.posts.append({"url": url, "data": data, "auth": auth})
        if self.token_error:
            return Response(400, {"error": self.token_error})
        nonce = self.issued.get(data["code"])
        return Response(
            200,
            {"id_token": self.id_token(nonce), "access_token": "access-1"},
        )


@pytest.fixture
def op():
    return FakeProvider()


def provider(op, **config):
    values = {"issuer": ISSUER, "client_id": CLIENT, "redirect_uri": REDIRECT}
    values.update(config)
    values.setdefault("client_secret", "s3cret")
    return Provider(ClientConfig(**values), session=op)


def login(op, rp, code="code-1"):
    pending = rp.login_request()
    op.issued[code] = pending.nonce
    return pending, rp.complete(pending, {"state": pending.state, "code": code})


def test_login_request_uses_pkce_state_and_nonce(op):
    pending = provider(op).login_request()
    url = urlparse(pending.url)
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/op/v1/auth"
    assert params["response_type"] == "code"
    assert params["scope"] == "openid profile rrn vo"
    assert (params["state"], params["nonce"]) == (pending.state, pending.nonce)
    digest = hashlib.sha256(pending.code_verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] == expected


def test_a_good_login_gives_the_citizen_claims(op):
    rp = provider(op)
    pending, result = login(op, rp)
    assert result.claims["rrn"] == "85073003328"
    assert result.identity["given_name"] == "Ann"
    assert result.identity["vo_doelgroepcode"] == "BUR"
    token_call = op.posts[0]
    assert token_call["auth"] == (CLIENT, "s3cret")
    assert token_call["data"]["code_verifier"] == pending.code_verifier
    assert "client_secret" not in token_call["data"]


def test_client_secret_post_and_private_key_jwt(op):
    login(op, provider(op, auth_method="client_secret_post"))
    assert op.posts[-1]["auth"] is None
    assert op.posts[-1]["data"]["client_secret"] == "s3cret"
    rp = provider(
        op, auth_method="private_key_jwt", private_key_pem=KEY_B, client_secret=""
    )
    login(op, rp, code="code-2")
    data = op.posts[-1]["data"]
    assert "client_secret" not in data
    assertion = jwt.decode(
        data["client_assertion"],
        _public_jwk(KEY_B, "b"),
        algorithms=["RS256"],
        audience=ISSUER,
    )
    assert assertion["iss"] == assertion["sub"] == CLIENT
    assert assertion["exp"] - assertion["iat"] <= 600


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"state": "other", "code": "c"}, "state_mismatch"),
        ({"code": "c"}, "state_mismatch"),
        ({"error": "access_denied", "state": "x"}, "access_denied"),
    ],
)
def test_flow_errors(op, query, code):
    rp = provider(op)
    pending = rp.login_request()
    if query.get("state") == "x":
        query["state"] = pending.state
    with pytest.raises(OidcError) as err:
        rp.complete(pending, query)
    assert err.value.code == code
    assert not op.posts, "no code is exchanged when the return is wrong"


def test_a_replayed_code_is_refused(op):
    rp = provider(op)
    pending, _result = login(op, rp)
    with pytest.raises(OidcError) as err:
        rp.complete(pending, {"state": pending.state, "code": "code-1"})
    assert err.value.code == "code_replayed"
    assert len(op.posts) == 1


def test_provider_refusing_the_code(op):
    op.token_error = "invalid_grant"
    with pytest.raises(OidcError) as err:
        login(op, provider(op))
    assert err.value.code == "invalid_grant"


def _verify(op, token, nonce="n-1"):
    return provider(op).verify_id_token(token, nonce)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"exp": int(time.time()) - 600}, "expired"),
        ({"aud": "someone-else"}, "wrong_audience"),
        ({"aud": [CLIENT, "other"]}, "wrong_audience"),
        ({"iss": "https://evil.example/op"}, "wrong_issuer"),
        ({"nonce": "another"}, "nonce_mismatch"),
        (
            {"iat": int(time.time()) + 3600, "exp": int(time.time()) + 4000},
            "bad_claims",
        ),
    ],
)
def test_token_claims_are_checked(op, overrides, code):
    with pytest.raises(OidcError) as err:
        _verify(op, op.id_token("n-1", **overrides))
    assert err.value.code == code


def test_several_audiences_are_fine_when_we_are_the_authorized_party(op):
    token = op.id_token("n-1", aud=[CLIENT, "other"], azp=CLIENT)
    assert _verify(op, token)["sub"] == "acm-123"


def _unsigned(claims, header):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def test_alg_none_is_refused(op):
    claims = jwt.get_unverified_claims(op.id_token("n-1"))
    token = _unsigned(claims, {"alg": "none", "kid": "a"})
    with pytest.raises(OidcError) as err:
        _verify(op, token)
    assert err.value.code == "bad_algorithm"


def test_hmac_signed_with_the_public_key_is_refused(op):
    # algorithm confusion: HS256 with the provider's public key as the secret
    claims = jwt.get_unverified_claims(op.id_token("n-1"))
    public_pem = jwk.construct(KEY_A, "RS256").public_key().to_pem()
    signing_input = _unsigned(claims, {"alg": "HS256", "kid": "a"})[:-1]
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    with pytest.raises(OidcError) as err:
        _verify(op, token)
    assert err.value.code == "bad_algorithm"


def test_forged_signature_with_a_known_key_id(op):
    op.signing = (FORGER, "a")
    with pytest.raises(OidcError) as err:
        _verify(op, op.id_token("n-1"))
    assert err.value.code == "bad_signature"


def test_key_embedded_in_the_token_is_refused(op):
    claims = jwt.get_unverified_claims(op.id_token("n-1"))
    token = jwt.encode(
        claims,
        FORGER,
        algorithm="RS256",
        headers={"kid": "a", "jwk": _public_jwk(FORGER, "a")},
    )
    with pytest.raises(OidcError) as err:
        _verify(op, token)
    assert err.value.code == "bad_algorithm"


def test_unknown_key_id(op):
    op.signing = (FORGER, "forged")
    with pytest.raises(OidcError) as err:
        _verify(op, op.id_token("n-1"))
    assert err.value.code == "unknown_key"


def test_key_rotation_is_followed_but_forged_key_ids_do_not_flood_the_provider(op):
    clock = [time.time()]
    rp = Provider(
        ClientConfig(ISSUER, CLIENT, REDIRECT, client_secret="s"),
        session=op,
        min_refresh=60,
        clock=lambda: clock[0],
    )
    rp.verify_id_token(op.id_token("n"), "n")  # keys fetched once
    # the provider rotates to key b
    op.keys.append(_public_jwk(KEY_B, "b"))
    op.signing = (KEY_B, "b")
    clock[0] += 120
    assert rp.verify_id_token(op.id_token("n"), "n")["sub"] == "acm-123"
    key_fetches = sum(url.endswith("/v1/keys") for url in op.gets)
    assert key_fetches == 2
    # a burst of tokens with made-up key ids: at most one more fetch
    op.signing = (FORGER, "made-up")
    for _ in range(5):
        with pytest.raises(OidcError):
            rp.verify_id_token(op.id_token("n"), "n")
    assert sum(url.endswith("/v1/keys") for url in op.gets) == key_fetches


def test_not_a_jwt(op):
    with pytest.raises(OidcError) as err:
        _verify(op, "not-a-token")
    assert err.value.code == "malformed_token"


def test_discovery_for_another_issuer_is_refused(op):
    rp = provider(op, issuer="https://authenticatie.vlaanderen.be/op")
    with pytest.raises(OidcError) as err:
        rp.login_request()
    assert err.value.code == "issuer_mismatch"


def test_logout_url(op):
    rp = provider(op, post_logout_redirect_uri="https://kcc.leuven.be/")
    url = urlparse(rp.logout_url(id_token="tok", state="s"))
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/op/v1/logout"
    assert params == {
        "client_id": CLIENT,
        "post_logout_redirect_uri": "https://kcc.leuven.be/",
        "id_token_hint": "tok",
        "state": "s",
    }


def test_configuration_mistakes_are_caught_early():
    with pytest.raises(ValueError):
        ClientConfig(ISSUER, CLIENT, REDIRECT, auth_method="none")
    with pytest.raises(ValueError):
        ClientConfig(ISSUER, CLIENT, REDIRECT, scopes=("profile",))


def _access_token(op, **overrides):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "https://kcc.leuven.be/v1/melding",
        "sub": "mbp-app",
        "client_id": "mbp",
        "scope": "dv_mbp_incidents",
        "rrn": "85073003328",
        "iat": now,
        "exp": now + 300,
    }
    claims.update(overrides)
    pem, kid = op.signing
    return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid})


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"scope": "profile"}, "insufficient_scope"),
        ({"aud": "https://other.api"}, "wrong_audience"),
        ({"exp": int(time.time()) - 600}, "expired"),
        ({"iss": "https://evil.example/op"}, "wrong_issuer"),
    ],
)
def test_access_tokens_for_our_api(op, overrides, code):
    rp = provider(op)
    audience = "https://kcc.leuven.be/v1/melding"
    claims = rp.verify_access_token(_access_token(op), audience, "dv_mbp_incidents")
    assert claims["rrn"] == "85073003328"
    with pytest.raises(OidcError) as err:
        rp.verify_access_token(
            _access_token(op, **overrides), audience, "dv_mbp_incidents"
        )
    assert err.value.code == code

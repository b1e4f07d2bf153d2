"""OpenID Connect relying party for ACM/IDM (Vlaams Toegangsbeheer), no Odoo.

Authorization code flow with PKCE (S256), ``state`` and ``nonce``; client
authentication by ``client_secret_basic``, ``client_secret_post`` or
``private_key_jwt``; ID tokens checked with python-jose against the provider's
published keys only (no ``none``, no HMAC with a public key, no key from the
token itself), issuer, audience, expiry and nonce; userinfo; logout URL.

The provider is described by its discovery document; it and the keys (JWKS)
are cached for ``cache_ttl`` seconds, and the keys are fetched again when a
token names a key id not seen yet (key rotation), at most once per
``min_refresh`` seconds so a forged token cannot make us hammer the provider.
A failed fetch is remembered too: for 30 seconds, doubling up to 5 minutes
while the provider stays down, every call fails at once (or goes on with the
document fetched before) instead of waiting for the provider's timeout again.
Timeouts are short (3 s to connect, 5 s to read) and configurable.

Error messages (``str(OidcError)``) may name the provider's URLs: they are
for the server's log. Callers show people only what ``code`` stands for.
"""

import base64
import hashlib
import math
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from jose import jwk, jwt
from jose.exceptions import ExpiredSignatureError, JWTClaimsError, JWTError

ENVIRONMENTS = {
    "production": "https://authenticatie.vlaanderen.be/op",
    "test": "https://authenticatie-ti.vlaanderen.be/op",
}
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256")
CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post", "private_key_jwt")
DEFAULT_SCOPES = ("openid", "profile", "rrn", "vo")


class OidcError(Exception):
    """A login cannot go on; ``code`` says why (for logs and tests).

    ``retry_after`` is set when the provider cannot be reached: the seconds
    until the next attempt; ``repeated`` then says that this is the failure
    of an earlier attempt given again (no call was made, nothing new to log).
    """

    def __init__(self, code, message, retry_after=None, repeated=False):
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after
        self.repeated = repeated


@dataclass
class ClientConfig:
    """How this application is registered at the provider."""

    issuer: str
    client_id: str
    redirect_uri: str
    client_secret: str = ""
    auth_method: str = "client_secret_basic"
    private_key_pem: str = ""  # for private_key_jwt
    private_key_id: str = ""
    scopes: tuple = DEFAULT_SCOPES
    post_logout_redirect_uri: str = ""
    leeway: int = 60
    connect_timeout: float = 3.0
    read_timeout: float = 5.0

    def __post_init__(self):
        if self.auth_method not in CLIENT_AUTH_METHODS:
            raise ValueError(f"unknown client authentication {self.auth_method!r}")
        if "openid" not in self.scopes:
            raise ValueError("the scopes must contain 'openid'")
        if not (self.connect_timeout > 0 and self.read_timeout > 0):
            raise ValueError("the timeouts must be positive")

    @property
    def timeout(self):
        """``(connect, read)`` for requests."""
        return (self.connect_timeout, self.read_timeout)


@dataclass
class LoginRequest:
    """What the browser is sent to, and what we keep to check its return."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass
class Login:
    """A completed login: the checked ID token's claims and the userinfo."""

    claims: dict
    userinfo: dict = field(default_factory=dict)
    id_token: str = ""
    access_token: str = ""

    @property
    def identity(self):
        """The claims of both, the ID token's winning on conflicts."""
        return {**self.userinfo, **self.claims}


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pkce_pair():
    """A PKCE code verifier and its S256 challenge (RFC 7636)."""
    verifier = _b64url(secrets.token_bytes(48))
    challenge = _b64url(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge


class _Remote:
    """A document fetched from the provider: the last good value, when it was
    fetched, and the back-off after failures."""

    def __init__(self):
        self.value = None
        self.fetched = 0.0
        self.failures = 0
        self.retry_at = 0.0
        self.error = None  # the last OidcError

    def fresh(self, now, ttl):
        return self.value is not None and now - self.fetched < ttl

    def succeeded(self, value, now):
        self.value, self.fetched = value, now
        self.failures, self.retry_at, self.error = 0, 0.0, None

    def failed(self, error, now, backoff_min, backoff_max):
        self.failures += 1
        delay = min(backoff_max, backoff_min * 2 ** min(self.failures - 1, 16))
        self.retry_at = now + delay
        self.error = error

    def backing_off(self, now):
        return now < self.retry_at

    def cached_error(self, now, repeated=True):
        """A new OidcError like the last one, with the time left to wait."""
        return OidcError(
            self.error.code,
            str(self.error),
            retry_after=max(1, math.ceil(self.retry_at - now)),
            repeated=repeated,
        )


class Provider:
    """An OpenID provider as seen by one client; thread-safe caches."""

    def __init__(
        self,
        config,
        session=None,
        min_refresh=60,
        clock=time.time,
        cache_ttl=3600,
        backoff_min=30,
        backoff_max=300,
    ):
        self.config = config
        self.http = session or requests.Session()
        self.min_refresh = min_refresh
        self.clock = clock
        self.cache_ttl = cache_ttl
        self.backoff_min, self.backoff_max = backoff_min, backoff_max
        self._discovery = _Remote()
        self._jwks = _Remote()
        self._lock = threading.Lock()
        self._discovery_lock = threading.Lock()
        self._used_codes = {}

    # discovery and keys

    def _get_json(self, url, what):
        try:
            response = self.http.get(url, timeout=self.config.timeout)
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as err:
            raise OidcError("provider_unreachable", f"{what}: {err}") from err
        if not isinstance(data, dict):
            raise OidcError("provider_unreachable", f"{what}: not a JSON object")
        return data

    def _fetch_metadata(self):
        url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
        metadata = self._get_json(url, "discovery")
        if metadata.get("issuer") != self.config.issuer:
            raise OidcError(
                "issuer_mismatch",
                f"discovery names issuer {metadata.get('issuer')!r}, "
                f"expected {self.config.issuer!r}",
            )
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not metadata.get(key) or not isinstance(metadata[key], str):
                raise OidcError("bad_discovery", f"discovery lacks {key}")
        return metadata

    def _fetched(self, remote, fetch, fresh):
        """``remote``'s value, fetched again unless ``fresh``; while the
        provider fails, the last good value or, without one, the last error
        at once. Call with the lock that guards ``remote``."""
        now = self.clock()
        if fresh:
            return remote.value
        if remote.backing_off(now):
            if remote.value is not None:
                return remote.value
            raise remote.cached_error(now)
        try:
            value = fetch()
        except OidcError as err:
            remote.failed(err, now, self.backoff_min, self.backoff_max)
            if remote.value is not None:
                return remote.value
            raise remote.cached_error(now, repeated=False) from err
        remote.succeeded(value, now)
        return value

    @property
    def metadata(self):
        with self._discovery_lock:
            remote = self._discovery
            return self._fetched(
                remote,
                self._fetch_metadata,
                remote.fresh(self.clock(), self.cache_ttl),
            )

    def _signing_algorithms(self):
        published = self.metadata.get("id_token_signing_alg_values_supported") or [
            "RS256"
        ]
        return [alg for alg in published if alg in ALLOWED_ALGORITHMS]

    def _fetch_keys(self):
        data = self._get_json(self.metadata["jwks_uri"], "keys")
        keys = {}
        listed = data.get("keys")
        for key in listed if isinstance(listed, list) else []:
            if not isinstance(key, dict) or not isinstance(key.get("kid"), str):
                continue
            if key.get("use", "sig") == "sig" and key.get("kty") in ("RSA", "EC"):
                keys[key["kid"]] = key
        return keys

    def _refresh_keys(self, force=False):
        """The provider's signing keys by key id.

        Fetched again when older than ``cache_ttl``, or on ``force`` (a key id
        not seen yet) when older than ``min_refresh``.
        """
        with self._lock:
            remote = self._jwks
            now = self.clock()
            fresh = remote.fresh(now, self.cache_ttl) and (
                not force or now - remote.fetched < self.min_refresh
            )
            return self._fetched(remote, self._fetch_keys, fresh)

    def _key_for(self, kid):
        if not isinstance(kid, str):
            raise OidcError("unknown_key", "the token names no key id")
        keys = self._refresh_keys()
        if kid not in keys:
            # the provider may have rotated its keys
            keys = self._refresh_keys(force=True)
        if kid not in keys:
            raise OidcError(
                "unknown_key", f"the token is signed with unknown key {kid!r}"
            )
        return keys[kid]

    # the flow

    def login_request(self, extra_params=None):
        """Where to send the browser; keep the returned state, nonce, verifier."""
        if "code" not in self.metadata.get("response_types_supported", ["code"]):
            raise OidcError(
                "bad_discovery", "the provider does not offer the code flow"
            )
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        verifier, challenge = pkce_pair()
        params = {
            "response_type": "code",
            "client_id": self.config.client_id,
            "redirect_uri": self.config.redirect_uri,
            "scope": " ".join(self.config.scopes),
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            **(extra_params or {}),
        }
        url = f"{self.metadata['authorization_endpoint']}?{urlencode(params)}"
        return LoginRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)

    def complete(self, pending, query):
        """Finish the login from the redirect's query parameters.

        ``pending`` is the :class:`LoginRequest` kept for this browser (its
        state, nonce and verifier). Raises :class:`OidcError` on any problem.
        """
        if query.get("error"):
            error = str(query["error"])[:64]
            raise OidcError(error, str(query.get("error_description") or error)[:256])
        if not pending or not _same(query.get("state"), pending.state):
            raise OidcError("state_mismatch", "the login's state does not match")
        if "iss" in query or self.metadata.get(
            "authorization_response_iss_parameter_supported"
        ):
            # RFC 9207: a provider that names itself in its answers must do so
            # in every answer; another name is another provider (mix-up attack)
            if not _same(query.get("iss"), self.config.issuer):
                raise OidcError(
                    "issuer_mismatch", "the answer does not name our issuer"
                )
        code = query.get("code")
        if not code:
            raise OidcError("missing_code", "the provider returned no code")
        self._remember_code(code)
        tokens = self._exchange(code, pending.code_verifier)
        claims = self.verify_id_token(tokens.get("id_token", ""), pending.nonce)
        userinfo = {}
        if tokens.get("access_token") and self.metadata.get("userinfo_endpoint"):
            userinfo = self.userinfo(tokens["access_token"])
            if userinfo.get("sub") != claims["sub"]:
                raise OidcError("sub_mismatch", "userinfo is about another subject")
        return Login(
            claims=claims,
            userinfo=userinfo,
            id_token=tokens.get("id_token", ""),
            access_token=tokens.get("access_token", ""),
        )

    def _remember_code(self, code):
        """Refuse a code seen before (a replayed redirect), even if the
        provider would not."""
        now = self.clock()
        with self._lock:
            self._used_codes = {
                c: t for c, t in self._used_codes.items() if now - t < 600
            }
            if code in self._used_codes:
                raise OidcError("code_replayed", "this login code was already used")
            self._used_codes[code] = now

    def _client_assertion(self):
        now = int(self.clock())
        claims = {
            "iss": self.config.client_id,
            "sub": self.config.client_id,
            "aud": self.config.issuer,
            "jti": str(uuid.uuid4()),
            "iat": now,
            "exp": now + 300,
        }
        headers = (
            {"kid": self.config.private_key_id} if self.config.private_key_id else None
        )
        return jwt.encode(
            claims, self.config.private_key_pem, algorithm="RS256", headers=headers
        )

    def _exchange(self, code, verifier):
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.config.redirect_uri,
            "code_verifier": verifier,
        }
        auth = None
        method = self.config.auth_method
        if method == "client_secret_basic":
            auth = (self.config.client_id, self.config.client_secret)
        elif method == "client_secret_post":
            data.update(
                client_id=self.config.client_id, client_secret=self.config.client_secret
            )
        else:
            data.update(
                client_id=self.config.client_id,
                client_assertion_type=(
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                ),
                client_assertion=self._client_assertion(),
            )
        try:
            response = self.http.post(
                self.metadata["token_endpoint"],
                data=data,
                auth=auth,
                timeout=self.config.timeout,
            )
        except requests.RequestException as err:
            raise OidcError("provider_unreachable", f"token: {err}") from err
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if response.status_code != 200:
            raise OidcError(
                str(body.get("error") or "token_error")[:64],
                str(
                    body.get("error_description")
                    or f"token endpoint: {response.status_code}"
                )[:256],
            )
        if not body.get("id_token") or not isinstance(body["id_token"], str):
            raise OidcError("missing_id_token", "the provider returned no ID token")
        if not isinstance(body.get("access_token") or "", str):
            raise OidcError("bad_token_response", "the access token is not text")
        return body

    def _verified_claims(self, token, audience, what):
        """Claims of a JWT signed by the provider for ``audience``: signature
        with a published key and a published algorithm, issuer, audience,
        expiry and issue time."""
        try:
            header = jwt.get_unverified_header(token)
        except JWTError as err:
            raise OidcError("malformed_token", f"not a JWT: {err}") from err
        algorithm = header.get("alg")
        allowed = self._signing_algorithms()
        if algorithm not in allowed:
            # "none", HMAC with the public key as secret, anything unpublished
            raise OidcError("bad_algorithm", f"algorithm {algorithm!r} is refused")
        if "jwk" in header or "jku" in header or "x5u" in header:
            raise OidcError("bad_algorithm", "keys named by the token are refused")
        key = self._key_for(header.get("kid"))
        if key.get("alg") and key["alg"] != algorithm:
            raise OidcError("bad_algorithm", "the key is not for this algorithm")
        try:
            claims = jwt.decode(
                token,
                jwk.construct(key, algorithm).to_dict(),
                algorithms=[algorithm],
                audience=audience,
                issuer=self.config.issuer,
                # exp, iat, sub and aud are required by _check_claim_types
                options={"leeway": self.config.leeway, "verify_at_hash": False},
            )
        except ExpiredSignatureError as err:
            raise OidcError("expired", f"the {what} has expired") from err
        except JWTClaimsError as err:
            message = str(err)
            code = "wrong_audience" if "audience" in message.lower() else "bad_claims"
            if "issuer" in message.lower():
                code = "wrong_issuer"
            raise OidcError(code, message) from err
        except JWTError as err:
            raise OidcError("bad_signature", str(err)) from err
        except (TypeError, ValueError, OverflowError) as err:
            # a claim of the wrong type that python-jose does not expect
            raise OidcError("bad_claims", f"the {what} has malformed claims") from err
        _check_claim_types(claims, what)
        if claims["iat"] > self.clock() + self.config.leeway:
            raise OidcError("bad_claims", f"the {what} is issued in the future")
        return claims

    def verify_id_token(self, token, nonce=None, max_age=None):
        """The claims of ``token`` once every check passed; OidcError otherwise."""
        claims = self._verified_claims(token, self.config.client_id, "ID token")
        audiences = (
            claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        )
        if len(audiences) > 1 and claims.get("azp") != self.config.client_id:
            raise OidcError("wrong_audience", "several audiences and we are not azp")
        if "azp" in claims and claims["azp"] != self.config.client_id:
            # OpenID Connect Core 3.1.3.7: the authorized party must be us
            raise OidcError("wrong_audience", "the ID token is for another party")
        if nonce is not None and not _same(claims.get("nonce"), nonce):
            raise OidcError("nonce_mismatch", "the ID token's nonce does not match")
        if max_age:
            auth_time = claims.get("auth_time", 0)
            if not _numeric_date(auth_time):
                raise OidcError("bad_claims", "auth_time is not a number")
            if auth_time + max_age < self.clock():
                raise OidcError("stale_login", "the login is too old")
        return claims

    def verify_access_token(self, token, audience, scope):
        """Claims of a JWT access token (RFC 9068) given to this resource server.

        Checks as for ID tokens, with ``audience`` being this API, and that
        the token carries ``scope``.
        """
        claims = self._verified_claims(token, audience, "access token")
        granted = claims.get("scope") or claims.get("scp") or ""
        if isinstance(granted, str):
            granted = granted.split()
        if scope not in granted:
            raise OidcError("insufficient_scope", f"the token lacks scope {scope}")
        return claims

    def userinfo(self, access_token):
        try:
            response = self.http.get(
                self.metadata["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=self.config.timeout,
            )
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as err:
            raise OidcError("userinfo_failed", f"userinfo: {err}") from err
        if not isinstance(data, dict):
            raise OidcError("userinfo_failed", "userinfo: not a JSON object")
        return data

    def logout_url(self, id_token=None, state=None):
        """Where to send the browser to end the SSO session at the provider."""
        endpoint = self.metadata.get("end_session_endpoint")
        if not endpoint:
            return None
        params = {"client_id": self.config.client_id}
        if self.config.post_logout_redirect_uri:
            params["post_logout_redirect_uri"] = self.config.post_logout_redirect_uri
        if id_token:
            params["id_token_hint"] = id_token
        if state:
            params["state"] = state
        return f"{endpoint}?{urlencode(params)}"


def _same(given, expected):
    """Constant-time comparison of an untrusted value with a secret string;
    ``False`` for anything but a string (no TypeError on other types or on
    non-ASCII text)."""
    if not isinstance(given, str) or not isinstance(expected, str):
        return False
    return secrets.compare_digest(given.encode(), expected.encode())


def _numeric_date(value):
    """Whether ``value`` is a JSON number usable as a NumericDate."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _check_claim_types(claims, what):
    """The registered claims we rely on exist and have the right types.

    ``exp`` and ``iat`` are required numbers (``nbf`` a number when given);
    ``sub`` a non-empty string; ``aud`` is required, a non-empty string or
    list of strings: a token that names no audience is for nobody in
    particular and is refused (RFC 7519 4.1.3, OpenID Connect Core 2).
    """
    for claim in ("exp", "iat", "nbf"):
        if claim in claims and not _numeric_date(claims[claim]):
            raise OidcError("bad_claims", f"{claim} of the {what} is not a number")
    for claim in ("exp", "iat"):
        if claim not in claims:
            raise OidcError("bad_claims", f"the {what} lacks {claim}")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip():
        raise OidcError("bad_claims", f"the {what} names no subject")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if not audiences or not all(isinstance(a, str) and a for a in audiences):
        raise OidcError("wrong_audience", f"the {what} names no audience")
    azp = claims.get("azp")
    if azp is not None and not isinstance(azp, str):
        raise OidcError("bad_claims", f"azp of the {what} is not a string")

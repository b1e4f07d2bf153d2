"""The relying party against a real, certified OpenID provider on loopback."""

from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests

from leuven.burgerprofiel.oidc import ClientConfig, OidcError, Provider
from leuven.testing.oidc_provider import provider_unavailable, running_provider

REDIRECT = "http://127.0.0.1:9/auth/burgerprofiel/callback"
REASON = provider_unavailable()
pytestmark = pytest.mark.skipif(
    bool(REASON), reason=f"LOGIN TESTS AGAINST A REAL PROVIDER SKIPPED: {REASON}"
)


@pytest.fixture(scope="module")
def issuer():
    with running_provider(
        "leuven-kcc", "s3cret", [REDIRECT], ["http://127.0.0.1:9/"], max_seconds=120
    ) as url:
        yield url


def _browser_to_callback(url):
    """Follow the provider's redirects like a browser, up to our callback."""
    browser = requests.Session()
    for _hop in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        location = response.headers.get("Location")
        assert location, f"the provider stopped at {url}: {response.status_code}"
        url = urljoin(url, location)
        if url.startswith(REDIRECT):
            return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    raise AssertionError("too many redirects")


def _rp(issuer, **config):
    values = {
        "client_secret": "s3cret",
        "post_logout_redirect_uri": "http://127.0.0.1:9/",
    }
    values.update(config)
    return Provider(ClientConfig(issuer, "leuven-kcc", REDIRECT, **values))


def test_citizen_logs_in_with_acm_claims(issuer):
    rp = _rp(issuer)
    pending = rp.login_request({"login_hint": "acm-ann"})
    query = _browser_to_callback(pending.url)
    identity = rp.complete(pending, query).identity
    assert identity["rrn"] == "85073003328"
    assert (identity["given_name"], identity["family_name"]) == ("Ann", "Peeters")
    assert identity["vo_doelgroepcode"] == "BUR"


def test_company_representative_gets_the_organisation(issuer):
    rp = _rp(issuer, auth_method="client_secret_post")
    pending = rp.login_request({"login_hint": "acm-bart"})
    identity = rp.complete(pending, _browser_to_callback(pending.url)).identity
    assert (identity["vo_doelgroepcode"], identity["vo_orgcode"]) == (
        "EA",
        "0207451227",
    )


def test_replayed_code_is_refused_by_us_and_by_the_provider(issuer):
    rp = _rp(issuer)
    pending = rp.login_request()
    query = _browser_to_callback(pending.url)
    rp.complete(pending, query)
    with pytest.raises(OidcError) as err:
        rp.complete(pending, query)
    assert err.value.code == "code_replayed"
    fresh = _rp(issuer)  # another worker that never saw the code
    with pytest.raises(OidcError) as err:
        fresh.complete(pending, query)
    assert err.value.code == "invalid_grant"


def test_wrong_client_secret_and_wrong_verifier(issuer):
    rp = _rp(issuer, client_secret="wrong")
    pending = rp.login_request()
    with pytest.raises(OidcError) as err:
        rp.complete(pending, _browser_to_callback(pending.url))
    assert err.value.code == "invalid_client"
    rp = _rp(issuer)
    pending = rp.login_request()
    query = _browser_to_callback(pending.url)
    pending.code_verifier = "x" * 64  # an attacker holding the code only
    with pytest.raises(OidcError) as err:
        rp.complete(pending, query)
    assert err.value.code == "invalid_grant"


def test_state_and_nonce_of_another_login(issuer):
    rp = _rp(issuer)
    first, second = rp.login_request(), rp.login_request()
    query = _browser_to_callback(first.url)
    with pytest.raises(OidcError) as err:
        rp.complete(second, query)
    assert err.value.code == "state_mismatch"
    # same state and verifier, but the ID token carries the first login's nonce
    second.state, second.code_verifier = first.state, first.code_verifier
    with pytest.raises(OidcError) as err:
        rp.complete(second, query)
    assert err.value.code == "nonce_mismatch"


def test_token_for_another_client_is_refused(issuer):
    rp = _rp(issuer)
    pending = rp.login_request()
    tokens = rp._exchange(
        _browser_to_callback(pending.url)["code"], pending.code_verifier
    )
    other = Provider(ClientConfig(issuer, "other-app", REDIRECT, client_secret="x"))
    with pytest.raises(OidcError) as err:
        other.verify_id_token(tokens["id_token"], pending.nonce)
    assert err.value.code == "wrong_audience"


def test_logout_ends_the_provider_session(issuer):
    rp = _rp(issuer)
    url = rp.logout_url(state="bye")
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert "logout" in response.text.lower()

"""A real OpenID provider on loopback, configured like ACM/IDM.

It runs panva/node-oidc-provider (OpenID Certified) from
``tests/oidc-provider`` of the source tree; ``make setup`` installs it with
npm. :func:`provider_unavailable` says why it cannot run here (no node, not
installed), so tests can skip with that reason.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

PROVIDER_DIR = Path(__file__).resolve().parents[2] / "tests" / "oidc-provider"
ACCOUNTS = PROVIDER_DIR / "accounts.json"


def provider_unavailable():
    """Why the loopback provider cannot run, or ``None`` when it can."""
    if not shutil.which("node"):
        return "node is not installed: the login tests need node 20+"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return (
            f"the test OpenID provider is not installed: run `make setup` "
            f"(npm ci in {PROVIDER_DIR})"
        )
    return None


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_provider(
    client_id, client_secret, redirect_uris, post_logout_redirect_uris=(), **env
):
    """Run the provider for the block; yields its issuer URL."""
    reason = provider_unavailable()
    if reason:
        raise RuntimeError(reason)
    port = _free_port()
    environment = dict(
        os.environ,
        PORT=str(port),
        CLIENT_ID=client_id,
        CLIENT_SECRET=client_secret,
        REDIRECT_URIS=",".join(redirect_uris),
        POST_LOGOUT_REDIRECT_URIS=",".join(post_logout_redirect_uris),
        ACCOUNTS=str(ACCOUNTS),
        DEFAULT_ACCOUNT=env.pop("default_account", "acm-ann"),
        MAX_SECONDS=str(env.pop("max_seconds", 600)),
    )
    process = subprocess.Popen(
        ["node", str(PROVIDER_DIR / "provider.mjs")],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        line = ""
        while time.monotonic() < deadline and not line.startswith("listening"):
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                raise RuntimeError("the test OpenID provider stopped at start")
        if not line.startswith("listening"):
            raise RuntimeError("the test OpenID provider did not start in 20 s")
        yield line.split()[1]
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()

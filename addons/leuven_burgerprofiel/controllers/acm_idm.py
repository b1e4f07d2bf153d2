"""The settings of this addon and the ACM/IDM provider they describe, shared
by the login (:mod:`.login`) and Melding doen (:mod:`.melding`)."""

import math
import threading
from dataclasses import asdict

from odoo.http import request

from leuven.burgerprofiel.oidc import ENVIRONMENTS, ClientConfig, Provider

CALLBACK = "/auth/burgerprofiel/callback"
_providers = {}
_providers_lock = threading.Lock()


def setting(name, default=""):
    """The system parameter ``leuven_burgerprofiel.<name>``."""
    return (
        request.env["ir.config_parameter"]
        .sudo()
        .get_param(f"leuven_burgerprofiel.{name}", default)
    )


def burgerprofiel_enabled():
    return bool(setting("enabled")) and bool(setting("client_id"))


def provider():
    """The provider for the current settings; its keys stay cached per worker."""
    environment = setting("environment", "test")
    issuer = setting("issuer") if environment == "custom" else ENVIRONMENTS[environment]
    base = request.env["ir.config_parameter"].sudo().get_param("web.base.url")
    config = ClientConfig(
        issuer=issuer,
        client_id=setting("client_id"),
        client_secret=setting("client_secret"),
        auth_method=setting("auth_method", "client_secret_basic"),
        private_key_pem=setting("private_key"),
        redirect_uri=base.rstrip("/") + CALLBACK,
        scopes=tuple((setting("scopes") or "openid profile rrn vo").split()),
        post_logout_redirect_uri=base.rstrip("/") + "/",
        connect_timeout=_seconds("connect_timeout", 3.0),
        read_timeout=_seconds("read_timeout", 5.0),
    )
    key = (request.db, *asdict(config).values())
    with _providers_lock:
        if key not in _providers:
            _providers[key] = Provider(config)
        return _providers[key]


def _seconds(name, default):
    """A timeout from the system parameters, in seconds (0.1 to 60)."""
    try:
        value = float(setting(name) or default)
    except ValueError:
        return default
    return min(max(value, 0.1), 60.0) if math.isfinite(value) else default

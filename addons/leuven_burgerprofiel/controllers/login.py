"""Log in with Mijn Burgerprofiel: the OpenID Connect code flow with ACM/IDM.

``/auth/burgerprofiel/login`` sends the browser to the provider, with PKCE,
state and nonce kept in the server-side session; ``/callback`` checks the
answer with :mod:`leuven.burgerprofiel.oidc`, finds or makes the portal user
and logs him in; ``/logout`` ends both sessions.
"""

import logging
import threading
from dataclasses import asdict

from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.home import Home

from leuven.burgerprofiel.oidc import (
    ENVIRONMENTS,
    ClientConfig,
    LoginRequest,
    OidcError,
    Provider,
)

from ..models.res_users import BurgerprofielLoginError

_logger = logging.getLogger(__name__)

PENDING_KEY = "burgerprofiel_pending"
ID_TOKEN_KEY = "burgerprofiel_id_token"
CALLBACK = "/auth/burgerprofiel/callback"
_providers = {}
_providers_lock = threading.Lock()


def _param(name, default=""):
    return (
        request.env["ir.config_parameter"]
        .sudo()
        .get_param(f"leuven_burgerprofiel.{name}", default)
    )


def burgerprofiel_enabled():
    return bool(_param("enabled")) and bool(_param("client_id"))


def _provider():
    """The provider for the current settings; its keys stay cached per worker."""
    environment = _param("environment", "test")
    issuer = _param("issuer") if environment == "custom" else ENVIRONMENTS[environment]
    base = request.env["ir.config_parameter"].sudo().get_param("web.base.url")
    config = ClientConfig(
        issuer=issuer,
        client_id=_param("client_id"),
        client_secret=_param("client_secret"),
        auth_method=_param("auth_method", "client_secret_basic"),
        private_key_pem=_param("private_key"),
        redirect_uri=base.rstrip("/") + CALLBACK,
        scopes=tuple((_param("scopes") or "openid profile rrn vo").split()),
        post_logout_redirect_uri=base.rstrip("/") + "/",
    )
    key = (request.db, *asdict(config).values())
    with _providers_lock:
        if key not in _providers:
            _providers[key] = Provider(config)
        return _providers[key]


def _local(path):
    return path if path and path.startswith("/") and not path.startswith("//") else None


def _error_redirect(code):
    return request.redirect("/web/login?" + url_encode({"burgerprofiel_error": code}))


class BurgerprofielLogin(http.Controller):
    @http.route("/auth/burgerprofiel/login", type="http", auth="public", sitemap=False)
    def burgerprofiel_login(self, redirect=None, login_hint=None, **kwargs):
        if not burgerprofiel_enabled():
            return _error_redirect("disabled")
        extra = {"login_hint": login_hint} if login_hint else None
        try:
            pending = _provider().login_request(extra)
        except OidcError as err:
            _logger.warning("Mijn Burgerprofiel login cannot start: %s", err)
            return _error_redirect("provider_unreachable")
        request.session[PENDING_KEY] = dict(
            asdict(pending), redirect=_local(redirect) or "/my"
        )
        return request.redirect(pending.url, local=False)

    @http.route(CALLBACK, type="http", auth="public", sitemap=False, readonly=False)
    def burgerprofiel_callback(self, **query):
        stored = request.session.pop(PENDING_KEY, None)
        if not burgerprofiel_enabled():
            return _error_redirect("disabled")
        pending = None
        if stored:
            redirect = stored.pop("redirect", "/my")
            pending = LoginRequest(**stored)
        try:
            result = _provider().complete(pending, query)
            login, token = (
                request.env["res.users"].sudo()._burgerprofiel_signin(result.identity)
            )
        except (OidcError, BurgerprofielLoginError) as err:
            _logger.warning("Mijn Burgerprofiel login refused: %s (%s)", err.code, err)
            request.env.cr.rollback()
            return _error_redirect(err.code)
        request.env.cr.commit()  # the new user must be visible to authenticate()
        request.session.authenticate(
            request.db, {"login": login, "token": token, "type": "burgerprofiel"}
        )
        request.session[ID_TOKEN_KEY] = result.id_token
        return request.redirect(_local(redirect) or "/my")

    @http.route("/auth/burgerprofiel/logout", type="http", auth="public", sitemap=False)
    def burgerprofiel_logout(self, **kwargs):
        id_token = request.session.get(ID_TOKEN_KEY)
        request.session.logout(keep_db=True)
        url = None
        if id_token and burgerprofiel_enabled():
            try:
                url = _provider().logout_url(id_token=id_token)
            except OidcError:
                url = None
        return request.redirect(url or "/", local=not url)


def _login_error(code):
    _ = request.env._
    messages = {
        "disabled": _("Logging in with Mijn Burgerprofiel is not available."),
        "provider_unreachable": _(
            "Mijn Burgerprofiel cannot be reached right now. Please try again in a "
            "few minutes."
        ),
        "access_denied": _("You cancelled the login with Mijn Burgerprofiel."),
        "no_national_number": _(
            "Mijn Burgerprofiel did not give your national number; we cannot log "
            "you in."
        ),
        "not_a_portal_account": _(
            "This identity belongs to a staff account: city staff log in with their "
            "e-mail address and password."
        ),
        "unknown_organisation": _(
            "The organisation you chose in Mijn Burgerprofiel is not known."
        ),
    }
    return messages.get(code) or _(
        "The login with Mijn Burgerprofiel failed. Please try again."
    )


class BurgerprofielHome(Home):
    @http.route()
    def web_login(self, *args, **kwargs):
        response = super().web_login(*args, **kwargs)
        if response.is_qweb:
            code = request.params.get("burgerprofiel_error")
            response.qcontext["burgerprofiel_enabled"] = burgerprofiel_enabled()
            if code:
                response.qcontext["burgerprofiel_error"] = _login_error(code)
        return response

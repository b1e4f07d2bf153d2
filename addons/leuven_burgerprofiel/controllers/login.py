"""Log in with Mijn Burgerprofiel: the OpenID Connect code flow with ACM/IDM.

``/auth/burgerprofiel/login`` sends the browser to the provider, with PKCE,
state and nonce kept in the server-side session; ``/callback`` checks the
answer with :mod:`leuven.burgerprofiel.oidc`, finds or makes the portal user
and logs him in; ``/logout`` ends both sessions.

A refused callback answers a page that says why in the visitor's words (400,
or 503 when the provider cannot be reached); the details go to the log only.
After the login the browser goes back only to a path on this site.
"""

import logging
from dataclasses import asdict

from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.home import Home

from leuven.burgerprofiel.oidc import LoginRequest, OidcError
from leuven.kcc.inputs import InputError, check_identifier, check_text, local_path

from ..models.res_users import BurgerprofielLoginError
from .acm_idm import CALLBACK, burgerprofiel_enabled, provider

_logger = logging.getLogger(__name__)

PENDING_KEY = "burgerprofiel_pending"
ID_TOKEN_KEY = "burgerprofiel_id_token"
DEFAULT_REDIRECT = "/my"


def _local(path):
    """Where to go after the login: a path on this site, else ``/my``."""
    return local_path(path, DEFAULT_REDIRECT)


def _callback_query(query):
    """The callback's parameters once they look like what a provider sends;
    ``InputError`` for anything else (NUL bytes, line breaks, megabytes)."""
    checked = {}
    if query.get("error"):
        checked["error"] = check_identifier(query["error"], "error", 64)
        checked["error_description"] = check_text(
            query.get("error_description"), "error_description", 1024
        )
    for name, length in (("state", 128), ("code", 2048)):
        if query.get(name):
            checked[name] = check_identifier(
                query[name], name, length, pattern=r"[\x21-\x7e]+"
            )
    if "iss" in query:
        checked["iss"] = check_text(query["iss"], "iss", 512)
    return checked


def _login_failed(code, status=400):
    """The page a refused login ends on: what happened, in Dutch, and the way
    back to the login; nothing of the provider's answer."""
    request.env.cr.rollback()
    return request.render(
        "leuven_burgerprofiel.login_failed",
        {
            "burgerprofiel_error": _login_error(code),
            "burgerprofiel_code": code,
            "additional_title": request.env._("Login failed"),
        },
        status=status,
    )


def _error_redirect(code):
    return request.redirect("/web/login?" + url_encode({"burgerprofiel_error": code}))


class BurgerprofielLogin(http.Controller):
    @http.route("/auth/burgerprofiel/login", type="http", auth="public", sitemap=False)
    def burgerprofiel_login(self, redirect=None, login_hint=None, **kwargs):
        if not burgerprofiel_enabled():
            return _error_redirect("disabled")
        try:
            hint = check_text(login_hint, "login_hint", 256)
        except InputError:
            hint = ""
        extra = {"login_hint": hint} if hint else None
        try:
            pending = provider().login_request(extra)
        except OidcError as err:
            log = _logger.debug if err.repeated else _logger.warning
            log("Mijn Burgerprofiel login cannot start: %s", err)
            return _error_redirect("provider_unreachable")
        request.session[PENDING_KEY] = dict(asdict(pending), redirect=_local(redirect))
        return request.redirect(pending.url, local=False)

    @http.route(
        CALLBACK,
        type="http",
        auth="public",
        sitemap=False,
        readonly=False,
        website=True,
        multilang=False,
    )
    def burgerprofiel_callback(self, **query):
        stored = request.session.pop(PENDING_KEY, None)
        if not burgerprofiel_enabled():
            return _login_failed("disabled", 404)
        try:
            query = _callback_query(query)
        except InputError as err:
            _logger.warning("Mijn Burgerprofiel callback refused: bad %s", err.field)
            return _login_failed("bad_request")
        pending, redirect = None, DEFAULT_REDIRECT
        if stored:
            redirect = stored.pop("redirect", DEFAULT_REDIRECT)
            pending = LoginRequest(**stored)
        try:
            result = provider().complete(pending, query)
            login, token = (
                request.env["res.users"].sudo()._burgerprofiel_signin(result.identity)
            )
        except (OidcError, BurgerprofielLoginError) as err:
            _logger.warning("Mijn Burgerprofiel login refused: %s (%s)", err.code, err)
            status = 503 if err.code == "provider_unreachable" else 400
            return _login_failed(err.code, status)
        request.env.cr.commit()  # the new user must be visible to authenticate()
        request.session.authenticate(
            request.db, {"login": login, "token": token, "type": "burgerprofiel"}
        )
        request.session[ID_TOKEN_KEY] = result.id_token
        return request.redirect(_local(redirect))

    @http.route("/auth/burgerprofiel/logout", type="http", auth="public", sitemap=False)
    def burgerprofiel_logout(self, **kwargs):
        id_token = request.session.get(ID_TOKEN_KEY)
        request.session.logout(keep_db=True)
        url = None
        if id_token and burgerprofiel_enabled():
            try:
                url = provider().logout_url(id_token=id_token)
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

import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from leuven.geo import address_register
from leuven.kcc import inputs

_logger = logging.getLogger(__name__)

MIN_QUERY = 3
MAX_QUERY = 100


class KccGeo(http.Controller):
    """Address search and reverse lookup for the map of the report form
    (through the Flemish address register, :mod:`leuven.geo.address_register`),
    and the optional public map of open reports.

    The lookups are public JSON routes: their input is checked with
    :mod:`leuven.kcc.inputs`, each connection has an hourly limit, and a
    remote failure or timeout is a 503; every refusal carries a Dutch
    message the page can show."""

    # -- helpers --------------------------------------------------------------
    def _error(self, status, code, message):
        return request.make_json_response(
            {"error": {"code": code, "message": message}}, status=status
        )

    def _bad_input(self, message):
        return self._error(400, "bad_input", message)

    def _lookup(self, kind, call):
        """Run ``call(client)`` within the hourly limit; a JSON response."""
        Lookup = request.env["kcc.address.lookup"].sudo()
        _ = request.env._
        if Lookup._refused(request.httprequest.remote_addr, kind):
            return self._error(
                429,
                "rate_limited",
                _("Too many address lookups; try again later or type the address."),
            )
        try:
            return request.make_json_response(call(Lookup._address_register()))
        except address_register.NotFound:
            return self._error(404, "not_found", _("This address is not known."))
        except address_register.Unavailable as err:
            _logger.warning("address lookup failed: %s", err)
            return self._error(
                503,
                "unavailable",
                _(
                    "The address register cannot be reached right now; "
                    "type the address yourself."
                ),
            )

    # -- lookups --------------------------------------------------------------
    @http.route(
        "/kcc/address/search",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def kcc_address_search(self, q=None, **kwargs):
        _ = request.env._
        try:
            text = inputs.check_text(q, "q", MAX_QUERY)
        except inputs.InputError:
            return self._bad_input(
                _(
                    "Type an address of at most %(max)s characters on one line.",
                    max=MAX_QUERY,
                )
            )
        if len(text) < MIN_QUERY:
            return self._bad_input(
                _("Type at least %(min)s characters of an address.", min=MIN_QUERY)
            )
        return self._lookup(
            "search",
            lambda client: {"results": [s.as_dict() for s in client.search(text)]},
        )

    @http.route(
        "/kcc/address/detail",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def kcc_address_detail(self, id=None, **kwargs):  # pylint: disable=redefined-builtin
        try:
            address_id = inputs.check_identifier(id, "id", 12, r"[0-9]+")
        except inputs.InputError:
            return self._bad_input(request.env._("This is not an address id."))
        return self._lookup(
            "detail", lambda client: {"address": client.address(address_id).as_dict()}
        )

    @http.route(
        "/kcc/address/reverse",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def kcc_address_reverse(self, lat=None, lon=None, **kwargs):
        _ = request.env._
        try:
            lat, lon = inputs.parse_point(lat, lon)
        except inputs.InputError:
            lat = None
        if lat is None:
            return self._bad_input(_("Give a point: a latitude and a longitude."))
        if not request.env["kcc.address.lookup"].sudo()._in_bounds(lat, lon):
            return self._bad_input(_("This point lies outside the city."))

        def reverse(client):
            found = client.reverse(lat, lon)
            return {"address": found.as_dict() if found else None}

        return self._lookup("reverse", reverse)

    # -- public map of open reports ----------------------------------------------
    def _check_public_map(self):
        if not request.env["kcc.address.lookup"].sudo()._public_map_enabled():
            raise NotFound()

    @http.route(
        "/kcc/meldingen/kaart",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def kcc_public_map(self, **kwargs):
        self._check_public_map()
        config = request.env["kcc.address.lookup"].sudo()._map_config()
        return request.render("leuven_kcc.kcc_public_map", {"map_config": config})

    @http.route(
        "/kcc/meldingen/kaart.json",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def kcc_public_map_data(self, **kwargs):
        self._check_public_map()
        reports = request.env["kcc.case"].sudo()._public_map_reports()
        response = request.make_json_response({"reports": reports})
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

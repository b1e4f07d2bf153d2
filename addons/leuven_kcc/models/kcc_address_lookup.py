import datetime as dt
import logging

from odoo import api, fields, models
from odoo.modules import module

from leuven.geo import address_register

_logger = logging.getLogger(__name__)

RATE_LIMIT_PARAM = "leuven_kcc.address_rate_limit"
DEFAULT_RATE_LIMIT = 300
REGISTER_URL_PARAM = "leuven_kcc.address_register_url"
GEOLOCATION_URL_PARAM = "leuven_kcc.geolocation_url"
TILE_URL_PARAM = "leuven_kcc.map_tile_url"
TILE_ATTRIBUTION_PARAM = "leuven_kcc.map_tile_attribution"
PUBLIC_MAP_PARAM = "leuven_kcc.public_map"
BOUNDS_PARAM = "leuven_kcc.map_bounds"
MUNICIPALITY_PARAM = "leuven_kcc.address_municipality"
TIMEOUT_PARAM = "leuven_kcc.address_timeout"
# south, west, north, east: the territory of Leuven with a margin
DEFAULT_BOUNDS = (50.80, 4.60, 50.95, 4.82)
DEFAULT_CENTER = (50.8792, 4.7009)  # Grote Markt
DEFAULT_TIMEOUT = 4.0
_LOOPBACK = ("http://127.0.0.1", "http://localhost")


def parse_bounds(value):
    """(south, west, north, east) from "50.80,4.60,50.95,4.82"; the default
    box of Leuven when the value is empty or unreadable."""
    try:
        south, west, north, east = (float(v) for v in str(value or "").split(","))
    except ValueError:
        return DEFAULT_BOUNDS
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        return DEFAULT_BOUNDS
    return south, west, north, east


class KccAddressLookup(models.Model):
    """One address search or reverse lookup asked from the website, kept an
    hour or two to limit the lookups per connection (they reach a public
    service of the Flemish government on the city's behalf); also the place
    where the map and address register settings are read."""

    _name = "kcc.address.lookup"
    _description = "Address Lookup"
    _inherit = ["kcc.rate.limit.mixin"]
    _order = "id desc"
    _log_access = True

    ip_address = fields.Char(readonly=True, index=True)
    kind = fields.Selection(
        [("search", "Search"), ("detail", "Address"), ("reverse", "Reverse")],
        readonly=True,
    )

    @api.model
    def _refused(self, ip_address, kind):
        """Count this lookup; whether it goes beyond the hourly limit."""
        refused = self._rate_limit_reached(
            ip_address, RATE_LIMIT_PARAM, DEFAULT_RATE_LIMIT
        )
        self.sudo().create({"ip_address": ip_address, "kind": kind})
        return refused

    @api.autovacuum
    def _gc_lookups(self):
        limit = fields.Datetime.now() - dt.timedelta(hours=2)
        self.sudo().search([("create_date", "<", limit)]).unlink()

    # -- settings -------------------------------------------------------------
    @api.model
    def _param(self, key, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(key, default) or ""

    @api.model
    def _address_register(self):
        """The client of the address register, as configured."""
        try:
            timeout = float(self._param(TIMEOUT_PARAM, DEFAULT_TIMEOUT))
        except ValueError:
            timeout = DEFAULT_TIMEOUT
        return address_register.AddressRegister(
            self._param(REGISTER_URL_PARAM),
            self._param(GEOLOCATION_URL_PARAM),
            timeout=min(max(timeout, 0.5), 15.0),
            municipality=self._param(MUNICIPALITY_PARAM, "Leuven"),
        )

    @api.model
    def _map_config(self):
        """What a map on a page needs: the tile URL template and its
        attribution (none: a map without background), the box a pin must
        stay in and where the map opens. While tests run, a tile server that
        is not on this machine is left out: tests never reach a third party."""
        tile_url = self._param(TILE_URL_PARAM).strip()
        if module.current_test and not tile_url.startswith(_LOOPBACK):
            tile_url = ""
        bounds = parse_bounds(self._param(BOUNDS_PARAM))
        return {
            "tile_url": tile_url,
            "attribution": self._param(TILE_ATTRIBUTION_PARAM),
            "bounds": list(bounds),
            "center": list(DEFAULT_CENTER)
            if bounds == DEFAULT_BOUNDS
            else [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2],
        }

    @api.model
    def _public_map_enabled(self):
        return self._param(PUBLIC_MAP_PARAM) in ("True", "1", "true")

    @api.model
    def _in_bounds(self, lat, lon):
        south, west, north, east = parse_bounds(self._param(BOUNDS_PARAM))
        return south <= lat <= north and west <= lon <= east

    @api.model
    def get_map_config(self):
        """The map settings for the back office's map widget (nothing secret:
        the same as every public page carries)."""
        return self._map_config()

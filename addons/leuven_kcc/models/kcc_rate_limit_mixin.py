from odoo import api, models

from leuven.kcc import ratelimit


class KccRateLimitMixin(models.AbstractModel):
    """A limit on the requests of one connection per hour, for a model that
    keeps one record per request with the connection's ``ip_address``.

    What is counted: the records of the model created from that address in
    the last hour (``leuven.kcc.ratelimit.WINDOW``), refused ones included,
    the record of the request being judged excluded. With a limit of N the
    N-th request within the hour is allowed and the N+1-th refused
    (``leuven.kcc.ratelimit.is_refused``).
    """

    _name = "kcc.rate.limit.mixin"
    _description = "Requests per Connection Limit"

    @api.model
    def _rate_limit_reached(
        self, ip_address, param, default, domain=None, current=None
    ):
        """Whether the request from ``ip_address`` is refused.

        ``param``: the system parameter holding the limit (``default`` when
        unset); ``domain``: what else a counted record must meet (e.g. only
        sessions handed off); ``current``: the record of this request, when
        it is kept before the check.
        """
        value = self.env["ir.config_parameter"].sudo().get_param(param, default)
        limit = ratelimit.parse_limit(value, default)
        counted = [
            ("ip_address", "=", ip_address),
            ("create_date", ">=", ratelimit.window_start(self.env.cr.now())),
            *(domain or []),
        ]
        if current:
            counted.append(("id", "not in", current.ids))
        earlier = self.sudo().search_count(counted)
        return ratelimit.is_refused(earlier, limit)

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from leuven.kcc import outbox as delivery

ADMIN = "leuven_kcc.group_kcc_admin"


class KccOutboxEndpoint(models.Model):
    """A remote service the outbox sends to: address, authentication, timeouts.

    An outgoing message names its endpoint by code (the message's target);
    the administrator changes the address or the credentials here, and every
    message still waiting goes out with the new ones.
    """

    _name = "kcc.outbox.endpoint"
    _description = "Outbox Endpoint"
    _inherit = ["kcc.api.client.mixin"]
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Destination of the outgoing messages that go to this endpoint.",
    )
    url = fields.Char(
        string="URL", help="Where the messages are posted (JSON). Empty: not sent."
    )
    auth_type = fields.Selection(
        [
            ("none", "None"),
            ("bearer", "Bearer token"),
            ("basic", "User name and password (HTTP Basic)"),
        ],
        string="Authentication",
        default="bearer",
        required=True,
    )
    # the secrets: only the administrators who configure the endpoints
    token = fields.Char(copy=False, groups=ADMIN)
    username = fields.Char(string="User Name", copy=False, groups=ADMIN)
    password = fields.Char(copy=False, groups=ADMIN)
    connect_timeout = fields.Float(
        string="Connect Timeout (s)", default=delivery.TIMEOUT[0]
    )
    read_timeout = fields.Float(string="Read Timeout (s)", default=delivery.TIMEOUT[1])
    active = fields.Boolean(
        default=True, help="Archived: its messages wait until it is active again."
    )
    message_count = fields.Integer(compute="_compute_message_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each endpoint needs its own code."),
    ]

    @api.constrains("connect_timeout", "read_timeout")
    def _check_timeouts(self):
        for endpoint in self:
            if not (
                0 < endpoint.connect_timeout <= 300 and 0 < endpoint.read_timeout <= 300
            ):
                raise ValidationError(
                    self.env._("Timeouts are between 0 and 300 seconds.")
                )

    def _compute_message_count(self):
        counts = dict(
            self.env["kcc.outbox"]._read_group(
                [("endpoint_id", "in", self.ids)], ["endpoint_id"], ["__count"]
            )
        )
        for endpoint in self:
            endpoint.message_count = counts.get(endpoint, 0)

    @api.model
    def _for_target(self, target):
        """The endpoint of the messages to ``target`` (archived ones included)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("code", "=", target)], limit=1)
        )

    def _delivery_options(self):
        """Keyword arguments of :func:`leuven.kcc.outbox.post_json`."""
        self.ensure_one()
        endpoint = self.sudo()
        options = {"timeout": (endpoint.connect_timeout, endpoint.read_timeout)}
        if endpoint.auth_type == "bearer" and endpoint.token:
            options["token"] = endpoint.token
        elif endpoint.auth_type == "basic" and endpoint.username:
            options["basic"] = (endpoint.username, endpoint.password or "")
        return options

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_outbox_action"
        )
        action["domain"] = [("endpoint_id", "=", self.id)]
        return action

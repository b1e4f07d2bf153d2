import ast

from odoo import fields, models


class KccHandlerGroup(models.Model):
    """A team that handles cases (behandelaarsgroep); replaces a group mailbox."""

    _name = "kcc.handler.group"
    _description = "Handler Group"
    _inherit = ["mail.thread", "mail.alias.mixin", "kcc.cached.config"]
    _order = "sequence, name"
    # the routing rules of archived groups are left out; the access rules
    # list a user's groups; a deleted group takes its routing rules along
    _cached_config_fields = ("active", "member_ids")

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(help="Short code, e.g. ROADS.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_kcc = fields.Boolean(
        string="KCC Queue",
        help="The KCC's own queue: cases that no other group gets land here.",
    )
    description = fields.Text()
    member_ids = fields.Many2many(
        "res.users",
        "kcc_handler_group_member_rel",
        "group_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
    )
    leader_ids = fields.Many2many(
        "res.users",
        "kcc_handler_group_leader_rel",
        "group_id",
        "user_id",
        string="Group Leaders",
        domain=[("share", "=", False)],
    )
    escalation_partner_ids = fields.Many2many(
        "res.partner",
        string="Escalation Contacts",
        help="Notified when a case of this group is late.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working days and public holidays used for deadlines.",
    )
    default_response_days = fields.Integer(
        string="Default Response Time (working days)",
        default=lambda self: self.env["kcc.case"]._get_param_int(
            "leuven_kcc.default_response_days", 10
        ),
        help="Deadline of a case of this group whose category sets none (or that "
        "has no category), in working days on the group's calendar. 0: the "
        "company-wide default of the KCC settings.",
    )
    case_ids = fields.One2many("kcc.case", "handler_group_id", string="Cases")
    open_case_count = fields.Integer(compute="_compute_open_case_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a handler group must be unique."),
        (
            "default_response_days_positive",
            "CHECK(default_response_days >= 0)",
            "The default response time of a handler group cannot be negative.",
        ),
    ]

    def _compute_open_case_count(self):
        counts = dict(
            self.env["kcc.case"]._read_group(
                [("handler_group_id", "in", self.ids), ("is_open", "=", True)],
                ["handler_group_id"],
                ["__count"],
            )
        )
        for group in self:
            group.open_case_count = counts.get(group, 0)

    def action_open_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_case_action"
        )
        action["domain"] = [("handler_group_id", "=", self.id)]
        action["context"] = {
            "default_handler_group_id": self.id,
            "search_default_open": 1,
        }
        return action

    def _alias_get_creation_values(self):
        """E-mail to the group's alias becomes a case of this group."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("kcc.case")
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults.update(handler_group_id=self.id, channel="email")
            values["alias_defaults"] = defaults
        return values

    def _kcc_queue(self):
        """The KCC's own queue (first active group marked as such)."""
        return self.sudo().search([("is_kcc", "=", True)], limit=1)

from odoo import api, fields, models, tools

from leuven.kcc import routing

from .kcc_case import CASE_TYPES, PARTNER_KINDS


class KccRoutingRule(models.Model):
    """An ordered rule: a case that meets all its conditions goes to its group."""

    _name = "kcc.routing.rule"
    _inherit = ["kcc.cached.config", "kcc.channel.mixin"]  # _plain_rules
    _description = "Routing Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    case_type = fields.Selection(CASE_TYPES, string="Type")
    category_ids = fields.Many2many("kcc.case.category", string="Categories")
    keywords = fields.Text(
        help="Comma or newline separated; one of them must appear as a word in "
        "the subject or the description.",
    )
    postcodes = fields.Char(help="Comma separated postcodes, e.g. 3000, 3010.")
    partner_kind = fields.Selection(PARTNER_KINDS, string="Customer Kind")
    handler_group_id = fields.Many2one(
        "kcc.handler.group", required=True, ondelete="cascade"
    )
    note = fields.Text()

    def _channel_removed(self, fallback):
        """A rule for a channel that is gone can never match again."""
        self.unlink()

    def _to_plain(self):
        """The rule as the plain dict `leuven.kcc.routing` expects."""
        self.ensure_one()
        return {
            "id": self.id,
            "sequence": self.sequence,
            "group_id": self.handler_group_id.id,
            "types": [self.case_type] if self.case_type else [],
            "channels": [self.channel] if self.channel else [],
            "category_ids": self.category_ids.ids,
            "keywords": routing.split_keywords(self.keywords),
            "postcodes": routing.split_keywords(self.postcodes),
            "partner_kinds": [self.partner_kind] if self.partner_kind else [],
        }

    @api.model
    def _plain_rules(self):
        """The active rules as plain dicts (read-only).

        Cached until a rule or a handler group changes: every intake routes,
        the rules change a few times a year.
        """
        return self._plain_rules_cached()

    @tools.ormcache()
    def _plain_rules_cached(self):
        rules = self.sudo().search([("handler_group_id.active", "=", True)])
        return tuple(rule._to_plain() for rule in rules)

    @api.model
    def _route(self, case_values, category=None, plain_rules=None):
        """Return ``(handler group, rule, reason)`` for plain case values.

        ``reason`` is ``"rule"``, ``"category"`` or ``"kcc"``.
        """
        if plain_rules is None:
            plain_rules = self._plain_rules()
        default_group = category.handler_group_id if category else False
        group_id, rule_id, reason = routing.route(
            plain_rules,
            case_values,
            category_default_group_id=default_group.id if default_group else None,
        )
        group = self.env["kcc.handler.group"].browse(group_id)
        if not group:
            group = self.env["kcc.handler.group"]._kcc_queue()
        return group, self.browse(rule_id), reason

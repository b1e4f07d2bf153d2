from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AssistantRule(models.Model):
    """A JsonLogic condition on the answers that leads to an outcome."""

    _name = "assistant.rule"
    _description = "Assistant Rule"
    _inherit = ["assistant.topic.line"]
    _order = "topic_id, sequence, id"

    topic_id = fields.Many2one(
        "assistant.topic", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    key = fields.Char(help="The id of the rule, shown in the explanation (trace).")
    condition = fields.Text(
        required=True,
        help="JsonLogic condition on the answers; use === and !==.",
    )
    outcome_id = fields.Many2one(
        "assistant.outcome",
        required=True,
        ondelete="cascade",
        domain="[('topic_id', '=', topic_id)]",
        string="Then",
    )

    @api.depends("key", "sequence")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = rule.key or self.env._(
                "Rule %(sequence)s", sequence=rule.sequence
            )

    @api.constrains("condition")
    def _check_condition(self):
        for rule in self:
            rule._parse_json("condition", "logic", required=True)

    @api.constrains("outcome_id", "topic_id")
    def _check_outcome_topic(self):
        for rule in self:
            if rule.outcome_id.topic_id != rule.topic_id:
                raise ValidationError(
                    self.env._(
                        "%(rule)s leads to an outcome of another topic version.",
                        rule=rule.display_name,
                    )
                )

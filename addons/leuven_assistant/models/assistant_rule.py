from odoo import api, fields, models


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
    condition_text = fields.Char(
        string="Condition (text)", compute="_compute_condition_text"
    )
    # The rule leads to an outcome by its key, as in the package: the form
    # picks it by title among the topic's outcomes, saved or not yet.
    outcome_key = fields.Char(
        string="Then",
        required=True,
        help="The outcome the rule leads to, chosen by its title.",
    )
    outcome_id = fields.Many2one(
        "assistant.outcome",
        compute="_compute_outcome_id",
        store=True,
        index=True,
        ondelete="set null",
    )

    @api.depends("key", "sequence")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = rule.key or self.env._(
                "Rule %(sequence)s", sequence=rule.sequence
            )

    @api.depends("outcome_key", "topic_id.outcome_ids.key")
    def _compute_outcome_id(self):
        for rule in self:
            rule.outcome_id = rule.topic_id.outcome_ids.filtered(
                lambda o, key=rule.outcome_key: key and o.key == key
            )[:1]

    @api.depends(
        "condition",
        "topic_id.question_ids.key",
        "topic_id.question_ids.label",
        "topic_id.question_ids.option_ids.value",
        "topic_id.question_ids.option_ids.label",
    )
    def _compute_condition_text(self):
        for rule in self:
            rule.condition_text = rule.topic_id._describe_condition(rule.condition)

    @api.constrains("condition")
    def _check_condition(self):
        for rule in self:
            rule._parse_json("condition", "logic", required=True)

from odoo import api, fields, models
from odoo.exceptions import UserError


class AssistantOutcome(models.Model):
    """What the assistant tells a person at the end: an answer and next steps."""

    _name = "assistant.outcome"
    _description = "Assistant Outcome"
    _inherit = ["assistant.topic.line"]
    _order = "topic_id, sequence, id"
    _rec_name = "key"

    topic_id = fields.Many2one(
        "assistant.topic", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    key = fields.Char(
        required=True, help="The id of the outcome in the package, used by rules."
    )
    title = fields.Char(required=True, translate=True)
    explanation = fields.Text(translate=True)
    legal_basis = fields.Text(translate=True)
    next_steps = fields.Text(translate=True)
    product_names = fields.Text(
        string="Products",
        help="The catalogue products to link, one name (or IPDC id) per line.",
    )
    creates_case = fields.Boolean(
        string="Offers a Case", help="Whether the outcome offers to make a case."
    )
    rule_ids = fields.One2many("assistant.rule", "outcome_id", string="Rules")

    def _products(self):
        self.ensure_one()
        lines = (self.product_names or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_rules(self):
        used = self.rule_ids
        if used:
            raise UserError(
                self.env._(
                    "Outcome %(outcome)s is used by rule(s) %(rules)s: change or "
                    "delete those rules first.",
                    outcome=used[0].outcome_id.display_name,
                    rules=", ".join(used.mapped("display_name")),
                )
            )

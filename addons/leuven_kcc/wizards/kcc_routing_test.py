from odoo import api, fields, models

from ..models.kcc_case import CASE_TYPES, PARTNER_KINDS


class KccRoutingTest(models.TransientModel):
    """Try the routing rules on a sample case without creating it."""

    _name = "kcc.routing.test"
    _inherit = ["kcc.channel.mixin"]
    _description = "Test the Routing"

    case_type = fields.Selection(CASE_TYPES, string="Type", default="question")
    channel = fields.Selection(default="web_form")
    category_id = fields.Many2one("kcc.case.category")
    subject = fields.Char()
    description = fields.Text()
    postcode = fields.Char()
    partner_kind = fields.Selection(PARTNER_KINDS, string="Customer Kind")
    result_group_id = fields.Many2one(
        "kcc.handler.group", string="Handler Group", compute="_compute_result"
    )
    result_rule_id = fields.Many2one(
        "kcc.routing.rule", string="Winning Rule", compute="_compute_result"
    )
    result_explanation = fields.Char(string="Why", compute="_compute_result")

    @api.depends(
        "case_type",
        "channel",
        "category_id",
        "subject",
        "description",
        "postcode",
        "partner_kind",
    )
    def _compute_result(self):
        Rule = self.env["kcc.routing.rule"]
        for test in self:
            group, rule, reason = Rule._route(
                {
                    "type": test.case_type,
                    "channel": test.channel,
                    "category_id": test.category_id.id,
                    "subject": test.subject,
                    "description": test.description,
                    "postcode": test.postcode,
                    "partner_kind": test.partner_kind,
                },
                test.category_id,
            )
            test.result_group_id = group
            test.result_rule_id = rule
            test.result_explanation = {
                "rule": self.env._("Rule '%(rule)s' matches.", rule=rule.name),
                "category": self.env._(
                    "No rule matches: the category's default group is used."
                ),
                "kcc": self.env._(
                    "No rule matches and the category has no group: KCC queue."
                ),
            }[reason]

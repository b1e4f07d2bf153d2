import json

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from leuven.assistant import engine


class AssistantScenario(models.Model):
    """A test of a topic version: given these answers, these outcomes."""

    _name = "assistant.scenario"
    _description = "Assistant Scenario"
    _inherit = ["assistant.topic.line"]
    _order = "topic_id, sequence, id"

    topic_id = fields.Many2one(
        "assistant.topic", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char()
    answers = fields.Text(
        required=True,
        default="{}",
        help='The answers as a JSON object: {"question": value, ...}.',
    )
    expected_outcome_ids = fields.Many2many(
        "assistant.outcome",
        string="Expected Outcomes",
        domain="[('topic_id', '=', topic_id)]",
    )
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail")], compute="_compute_result"
    )
    result_message = fields.Char(compute="_compute_result", string="Result Details")

    @api.depends("name", "sequence")
    def _compute_display_name(self):
        for scenario in self:
            scenario.display_name = scenario.name or self.env._(
                "Scenario %(sequence)s", sequence=scenario.sequence
            )

    @api.constrains("answers")
    def _check_answers(self):
        for scenario in self:
            scenario._parse_json("answers", "object", required=True)

    @api.constrains("expected_outcome_ids", "topic_id")
    def _check_expected_topic(self):
        for scenario in self:
            if scenario.expected_outcome_ids.topic_id - scenario.topic_id:
                raise ValidationError(
                    self.env._(
                        "%(scenario)s expects an outcome of another topic version.",
                        scenario=scenario.display_name,
                    )
                )

    @api.depends(
        "answers",
        "expected_outcome_ids",
        "topic_id.state",
        "topic_id.question_ids.key",
        "topic_id.question_ids.visible_if",
        "topic_id.rule_ids.condition",
        "topic_id.rule_ids.outcome_key",
        "topic_id.rule_ids.sequence",
        "topic_id.outcome_ids.key",
        "topic_id.outcome_ids.title",
    )
    def _compute_result(self):
        for scenario in self:
            scenario.result, scenario.result_message = scenario._run()

    def _run(self):
        """(``"pass"``/``"fail"``, message) of this scenario on its topic version."""
        self.ensure_one()
        try:
            answers = json.loads(self.answers or "{}")
            package = self.topic_id._package(translations=False)
            state = engine.evaluate(package, answers)
        except Exception as err:  # noqa: BLE001 - any defect fails the scenario
            return "fail", self.env._("Cannot run: %(error)s", error=err)
        got = sorted(outcome["id"] for outcome in state["outcomes"])
        expected = sorted(self.expected_outcome_ids.mapped("key"))
        names = self.topic_id._outcome_names
        if got == expected:
            return "pass", self.env._("Reaches %(outcomes)s", outcomes=names(got))
        return "fail", self.env._(
            "Should reach %(expected)s, but reaches %(got)s",
            expected=names(expected),
            got=names(got),
        )

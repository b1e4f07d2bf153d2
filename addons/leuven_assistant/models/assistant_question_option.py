from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AssistantQuestionOption(models.Model):
    """An answer a person can choose for a choice question."""

    _name = "assistant.question.option"
    _description = "Assistant Question Option"
    _inherit = ["assistant.topic.line"]
    _order = "question_id, sequence, id"
    _rec_name = "value"

    question_id = fields.Many2one(
        "assistant.question", required=True, ondelete="cascade", index=True
    )
    topic_id = fields.Many2one(
        related="question_id.topic_id", store=True, index=True, string="Topic"
    )
    sequence = fields.Integer(default=10)
    value = fields.Char(
        required=True, help="The value of the answer, used in conditions and rules."
    )
    value_type = fields.Selection(
        [("string", "Text"), ("number", "Number")],
        required=True,
        default="string",
        help="Whether the value is a text or a number in the package and its "
        "conditions.",
    )
    label = fields.Char(required=True, translate=True)

    def _package_value(self):
        """The value as it appears in the package (a string or a number)."""
        self.ensure_one()
        if self.value_type == "number":
            number = float(self.value)
            return int(number) if number.is_integer() else number
        return self.value

    @api.constrains("value", "value_type")
    def _check_value(self):
        for option in self.filtered(lambda o: o.value_type == "number"):
            try:
                float(option.value)
            except ValueError as err:
                raise ValidationError(
                    self.env._(
                        "Option %(value)s of question %(question)s is not a number.",
                        value=option.value,
                        question=option.question_id.key,
                    )
                ) from err

from odoo import api, fields, models

from .assistant_outcome import key_from_title

QUESTION_TYPES = [
    ("single_choice", "Single choice"),
    ("multiple_choice", "Multiple choice"),
    ("yes_no", "Yes/no"),
    ("number", "Number"),
    ("date", "Date"),
    ("postcode", "Postcode"),
    ("address", "Address"),
    ("text", "Text"),
]
CHOICE_TYPES = ("single_choice", "multiple_choice")


class AssistantQuestion(models.Model):
    """A question of a topic version, shown when its condition holds."""

    _name = "assistant.question"
    _description = "Assistant Question"
    _inherit = ["assistant.topic.line"]
    _order = "topic_id, sequence, id"
    _rec_name = "key"

    topic_id = fields.Many2one(
        "assistant.topic", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    key = fields.Char(
        required=True,
        help="The id of the question in the package, used in conditions and rules "
        'as {"var": "key"}: lowercase letters, digits and _.',
    )
    type = fields.Selection(QUESTION_TYPES, required=True, default="single_choice")
    label = fields.Char(required=True, translate=True)
    help = fields.Text(translate=True)
    visible_if = fields.Text(
        help="JsonLogic condition on the earlier answers; empty: always asked.",
    )
    visible_if_text = fields.Char(
        string="Asked When", compute="_compute_visible_if_text"
    )
    option_ids = fields.One2many("assistant.question.option", "question_id", copy=True)

    @api.depends(
        "visible_if",
        "topic_id.question_ids.key",
        "topic_id.question_ids.label",
        "topic_id.question_ids.option_ids.value",
        "topic_id.question_ids.option_ids.label",
    )
    def _compute_visible_if_text(self):
        for question in self:
            question.visible_if_text = question.topic_id._describe_condition(
                question.visible_if
            )

    @api.onchange("label")
    def _onchange_label_key(self):
        # a new question gets its key (used in conditions) from its label
        if self.label and not self.key:
            key = key_from_title(self.label)
            taken = set(self.topic_id.question_ids.mapped("key"))
            base, number = key, 2
            while key in taken:
                key, number = f"{base}_{number}", number + 1
            self.key = key

    @api.constrains("visible_if")
    def _check_visible_if(self):
        for question in self:
            question._parse_json("visible_if", "logic")

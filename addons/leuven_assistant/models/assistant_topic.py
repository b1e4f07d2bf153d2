import json

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from leuven.assistant import engine


class AssistantTopic(models.Model):
    """A topic of the digital assistant: one versioned topic package."""

    _name = "assistant.topic"
    _description = "Assistant Topic"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, help="The id of the topic package.")
    package = fields.Text(
        string="Topic Package (JSON)",
        help="The topic package: metadata, questions, outcomes and rules.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published")],
        default="draft",
        required=True,
        tracking=True,
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A topic with this code already exists."),
    ]

    @api.constrains("package", "state")
    def _check_package(self):
        self.filtered(lambda t: t.state == "published")._validate_package()

    def _validate_package(self):
        for topic in self:
            try:
                data = json.loads(topic.package or "")
            except ValueError as err:
                raise ValidationError(
                    self.env._(
                        "The topic package is not valid JSON: %(error)s", error=err
                    )
                ) from err
            problems = engine.validate(data) or engine.run_scenarios(data)
            if problems:
                raise ValidationError(
                    self.env._(
                        "Topic %(topic)s cannot be published:\n%(problems)s",
                        topic=topic.name,
                        problems="\n".join(problems),
                    )
                )

    def action_publish(self):
        self._validate_package()
        self.write({"state": "published"})

    def action_draft(self):
        self.write({"state": "draft"})

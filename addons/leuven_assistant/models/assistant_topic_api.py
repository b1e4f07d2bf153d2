import json

from odoo import api, fields, models


class AssistantTopic(models.Model):
    _inherit = "assistant.topic"

    version = fields.Char(default="0.1.0")

    def _package(self):
        self.ensure_one()
        return json.loads(self.package or "{}")

    @api.model
    def _published_for(self, code):
        return self.search([("code", "=", code), ("state", "=", "published")], limit=1)

import base64
import binascii
import json

from odoo import fields, models
from odoo.exceptions import UserError


class AssistantTopicImport(models.TransientModel):
    """Import a topic package (JSON file) as a new draft version."""

    _name = "assistant.topic.import"
    _description = "Import Assistant Topic Package"

    package_file = fields.Binary(required=True)
    filename = fields.Char()

    def _read_package(self):
        self.ensure_one()
        try:
            text = base64.b64decode(self.package_file or b"").decode("utf-8")
            return json.loads(text)
        except (binascii.Error, UnicodeDecodeError, ValueError) as err:
            raise UserError(
                self.env._(
                    "%(file)s is not a valid JSON file: %(error)s",
                    file=self.filename or self.env._("The file"),
                    error=err,
                )
            ) from err

    def action_import(self):
        self.ensure_one()
        topic = self.env["assistant.topic"]._create_from_package(self._read_package())
        return {
            "type": "ir.actions.act_window",
            "res_model": "assistant.topic",
            "res_id": topic.id,
            "view_mode": "form",
            "target": "current",
        }

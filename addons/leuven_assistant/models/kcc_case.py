from odoo import models


class KccCase(models.Model):
    _inherit = "kcc.case"

    def _anonymise_linked(self):
        """Sessions handed off to an anonymised case lose their answers too."""
        result = super()._anonymise_linked()
        sessions = (
            self.env["assistant.session"].sudo().search([("case_id", "in", self.ids)])
        )
        sessions.write(
            {
                "partner_id": False,
                "answers": "{}",
                "origin": False,
                "ip_address": False,
            }
        )
        return result

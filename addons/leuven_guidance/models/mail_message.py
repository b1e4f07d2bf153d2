from odoo import api, models

TRAJECTORY = "guidance.trajectory"


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        """Searching messages (the chatter's /mail/thread/messages) finds no
        message of a trajectory for an employee outside the guidance staff,
        except his own (allowed before this is asked)."""
        if doc_model == TRAJECTORY and self.env[TRAJECTORY]._guidance_hides_thread():
            return set()
        return super()._find_allowed_model_wise(doc_model, doc_dict)

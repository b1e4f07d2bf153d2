import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")


def is_automatic_message(message):
    """Whether an incoming e-mail was sent by a machine (auto-reply, bulk, bounce)."""
    auto_submitted = (message.get("Auto-Submitted") or "no").strip().lower()
    if auto_submitted != "no":
        return True
    precedence = (message.get("Precedence") or "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return True
    return any(message.get(header) for header in AUTO_REPLY_HEADERS)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _detect_loop_sender(self, message, message_dict, routes):
        """Auto-replies and bulk mail never open a new KCC case."""
        new_case = any(
            route[0] == "kcc.case" and not route[1] for route in routes or []
        )
        if new_case and is_automatic_message(message):
            _logger.info(
                "Ignored automatic e-mail from %s to %s: no case is made of it",
                message_dict.get("email_from"),
                message_dict.get("to"),
            )
            return True
        return super()._detect_loop_sender(message, message_dict, routes)

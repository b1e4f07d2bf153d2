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
        """Auto-replies and bulk mail never open a new KCC case, nor a
        follow-up of a finished one (see ``kcc.case.message_update``)."""
        new_case = any(
            route[0] == "kcc.case"
            and (not route[1] or self.env["kcc.case"]._kcc_finished_id(route[1]))
            for route in routes or []
        )
        if new_case and is_automatic_message(message):
            _logger.info(
                "Ignored automatic e-mail from %s to %s: no case is made of it",
                message_dict.get("email_from"),
                message_dict.get("to"),
            )
            return True
        return super()._detect_loop_sender(message, message_dict, routes)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """Portal credentials that cannot be right give no access instead of an
        error: a token or hash that is not text, a partner id that is not a
        number, a token for a record that has none (an anonymised case) or a
        model without tokens."""
        token, hash_, pid = (kwargs.get(key) for key in ("token", "hash", "pid"))
        if token is not None or hash_ is not None or pid is not None:
            kwargs = dict(kwargs)
            if not isinstance(token, str):
                kwargs.pop("token", None)
            elif isinstance(thread_id, int):
                field = self._fields.get(getattr(self, "_mail_post_token_field", ""))
                thread = self.browse(thread_id).sudo()
                if not field or not (thread.exists() and thread[field.name]):
                    kwargs.pop("token", None)
            if not isinstance(hash_, str) or not str(pid).isdigit():
                kwargs.pop("hash", None)
                kwargs.pop("pid", None)
        return super()._get_thread_with_access(thread_id, mode, **kwargs)

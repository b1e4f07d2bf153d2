from odoo import api, models

from odoo.addons.mail.tools.discuss import Store

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
        if doc_model == TRAJECTORY:
            allowed = self.env[TRAJECTORY]._guidance_ids_with("notes")
            if allowed is not None:
                doc_dict = {k: v for k, v in doc_dict.items() if k in allowed}
        return super()._find_allowed_model_wise(doc_model, doc_dict)

    def _to_store(self, store: Store, /, **kwargs):
        """A partner organisation reads the files of a trajectory's messages
        only with the documents category granted: without it the messages
        come without their files."""
        super()._to_store(store, **kwargs)
        Trajectory = self.env[TRAJECTORY]
        allowed = None if self.env.su else Trajectory._guidance_ids_with("documents")
        if allowed is None:
            return
        # sudo: the messages were read above; their files are what is asked
        for message in self.sudo():
            if message.model != TRAJECTORY or message.res_id in allowed:
                continue
            attachments = message.attachment_ids
            if not attachments:
                continue
            store.add(
                "mail.message",
                {"id": message.id, "attachment_ids": Store.many(attachments.browse())},
            )
            stored = store.data.get("ir.attachment", {})
            for attachment in attachments:
                stored.pop((attachment.id,), None)

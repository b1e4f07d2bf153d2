from odoo import api, models

from odoo.addons.mail.tools.discuss import Store

from leuven.guidance import access

TRAJECTORY = "guidance.trajectory"
NO_LOG = "guidance_no_read_log"


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

    def _guidance_log_notes(self):
        """Log that the current partner organisation's user read these
        messages of trajectories (the category notes)."""
        if self.env.su or self.env.context.get(NO_LOG):
            return
        Trajectory = self.env[TRAJECTORY]
        if not Trajectory._guidance_partner_organisation():
            return
        Trajectory._guidance_log_thread_read(
            [
                m.res_id
                for m in self.sudo().with_context(prefetch_fields=False)
                if m.model == TRAJECTORY
            ],
            access.NOTES,
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        self.browse([values["id"] for values in result])._guidance_log_notes()
        return result

    def _portal_message_format(self, properties_names, options=None):
        """The portal's chatter: a partner organisation gets the files of a
        trajectory's messages only with the documents category granted."""
        allowed = (
            None
            if self.env.su
            else self.env[TRAJECTORY]._guidance_ids_with("documents")
        )
        result = super()._portal_message_format(properties_names, options=options)
        if allowed is None:
            return result
        hidden = {
            message.id
            for message in self.sudo().with_context(prefetch_fields=False)
            if message.model == TRAJECTORY and message.res_id not in allowed
        }
        for values in result:
            if values.get("id") in hidden and "attachment_ids" in values:
                values["attachment_ids"] = []
        return result

    def _to_store(self, store: Store, /, **kwargs):
        """A partner organisation reads the files of a trajectory's messages
        only with the documents category granted: without it the messages
        come without their files. The read is logged once for the list."""
        self._guidance_log_notes()
        super(MailMessage, self.with_context(**{NO_LOG: True}))._to_store(
            store, **kwargs
        )
        if not self.env.su and not self.env.context.get(NO_LOG):
            # the files listed with the messages (where documents are granted)
            self.env[TRAJECTORY]._guidance_log_thread_read(
                [
                    m.res_id
                    for m in self.sudo().with_context(prefetch_fields=False)
                    if m.model == TRAJECTORY and m.attachment_ids
                ],
                access.DOCUMENTS,
            )
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

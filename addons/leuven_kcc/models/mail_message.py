from markupsafe import Markup

from odoo import models
from odoo.osv import expression

from odoo.addons.mail.tools.discuss import Store

# the fields of a message that carry its content; tracking values, author,
# date and subtype stay visible
MASKED_FIELDS = {"body", "preview", "attachment_ids"}
# searching on these would tell whether a masked message holds some words
SEARCHED_CONTENT = {"body", "preview", "attachment_ids", "subject"}


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _kcc_masked(self):
        """The messages among these whose content the current user may not see.

        A message on a sensitive case is need-to-know like the case's
        description: only the case's handler group, KCC supervisors and the
        customer himself see its text and files. Anyone else (a KCC agent, a
        handler of another group, a partner organisation the case is shared
        with) sees it masked, unless he wrote it or it was addressed to him.
        """
        if self.env.su or not self:
            return self.browse()
        messages = self.sudo()
        case_ids = {
            message.res_id
            for message in messages
            if message.model == "kcc.case" and message.res_id
        }
        if not case_ids:
            return self.browse()
        hidden = self.env["kcc.case"].browse(case_ids)._need_to_know_hidden_ids()
        if not hidden:
            return self.browse()
        partner = self.env.user.partner_id
        return self.browse(
            message.id
            for message in messages
            if message.model == "kcc.case"
            and message.res_id in hidden
            and message.author_id != partner
            and partner not in message.partner_ids
        )

    def _search(self, domain, offset=0, limit=None, order=None):
        """A search on the content of messages never looks into the masked
        messages of sensitive cases (no guessing their text by searching);
        the user's own messages stay searchable."""
        if not self.env.su and _searches_content(domain):
            hidden = self.env["ir.attachment"]._kcc_hidden_cases()
            if not isinstance(hidden, list):  # a subquery; [] for supervisors
                domain = expression.AND(
                    [
                        domain,
                        [
                            "|",
                            "|",
                            "|",
                            ("model", "!=", "kcc.case"),
                            ("res_id", "=", False),
                            ("res_id", "not in", hidden),
                            ("author_id", "=", self.env.user.partner_id.id),
                        ],
                    ]
                )
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _kcc_masked_body(self):
        return Markup("<p>%s</p>") % self.env._(
            "Hidden: this message belongs to a sensitive case."
        )

    def _read_format(self, fnames, load="_classic_read"):
        """Every read of messages (read, search_read, web_read, the chatter's
        store and the portal chatter) goes through here."""
        result = super()._read_format(fnames, load=load)
        if not MASKED_FIELDS & set(fnames or ()):
            return result
        masked = set(self._kcc_masked().ids)
        if not masked:
            return result
        body = self._kcc_masked_body()
        for values in result:
            if values.get("id") not in masked:
                continue
            if "body" in values:
                values["body"] = body
            if "preview" in values:
                values["preview"] = self.env._(
                    "Hidden: this message belongs to a sensitive case."
                )
            if "attachment_ids" in values:
                values["attachment_ids"] = []
        return result

    def _to_store(self, store: Store, /, **kwargs):
        """The chatter of the web client: the files and link previews of a
        masked message are left out (the body is masked by _read_format)."""
        super()._to_store(store, **kwargs)
        masked = self._kcc_masked()
        if not masked:
            return
        masked_sudo = masked.sudo()
        visible_sudo = (self - masked).sudo()
        for message in masked:
            store.add(
                message,
                {
                    "attachment_ids": Store.many(self.env["ir.attachment"]),
                    "linkPreviews": Store.many(self.env["mail.link.preview"]),
                },
            )
        # super() added the records themselves (file names, URLs): drop them
        for model_name, records in (
            (
                "ir.attachment",
                masked_sudo.attachment_ids - visible_sudo.attachment_ids,
            ),
            (
                "mail.link.preview",
                masked_sudo.link_preview_ids - visible_sudo.link_preview_ids,
            ),
        ):
            data = store.data.get(model_name, {})
            for record in records:
                data.pop((record.id,), None)

    def _portal_message_format(self, properties_names, options=None):
        """The portal chatter: no files (nor access tokens for them) of a
        masked message."""
        masked = self._kcc_masked()
        if not masked or "attachment_ids" not in properties_names:
            return super()._portal_message_format(properties_names, options=options)
        values_by_id = {}
        for messages, names in (
            (self - masked, set(properties_names)),
            (masked, set(properties_names) - {"attachment_ids"}),
        ):
            if messages:
                for values in super(MailMessage, messages)._portal_message_format(
                    names, options=options
                ):
                    values_by_id[values["id"]] = values
        for message in masked:
            values_by_id[message.id]["attachment_ids"] = []
        return [values_by_id[message.id] for message in self]


def _searches_content(domain):
    """Whether a domain has a condition on the content of a message."""
    for leaf in domain or ():
        if isinstance(leaf, (list, tuple)) and len(leaf) == 3:
            path = leaf[0] if isinstance(leaf[0], str) else ""
            if path.split(".", 1)[0] in SEARCHED_CONTENT:
                return True
    return False

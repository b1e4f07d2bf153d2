from odoo import api, fields, models

CHANNELS = [
    ("web_form", "Contact form"),
    ("report_form", "Report form"),
    ("phone", "Phone"),
    ("counter", "Counter"),
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("letter", "Letter"),
    ("api", "API"),
]


class KccChannelMixin(models.AbstractModel):
    """The channel a contact came in by, one list for the cases, the contacts,
    the reporters and the routing rules.

    An addon that brings a channel adds it here with ``selection_add``; its
    ``ondelete`` policy calls :meth:`_channel_removed` with the channel its
    records fall back to when the addon is uninstalled.
    """

    _name = "kcc.channel.mixin"
    _description = "KCC Channel"

    channel = fields.Selection(CHANNELS)

    def _channel_removed(self, fallback):
        """The channel of these records is gone: they move to ``fallback``."""
        self.write({"channel": fallback})

    @api.model
    def _channel_label(self, channel):
        """The channel's name in the user's language."""
        labels = dict(self._fields["channel"]._description_selection(self.env))
        return labels.get(channel, channel)

from odoo import fields, models


class KccChannelMixin(models.AbstractModel):
    _inherit = "kcc.channel.mixin"

    channel = fields.Selection(
        selection_add=[("burgerprofiel", "Mijn Burgerprofiel")],
        ondelete={"burgerprofiel": lambda records: records._channel_removed("portal")},
    )

from odoo import fields, models


class KccChannelMixin(models.AbstractModel):
    _inherit = "kcc.channel.mixin"

    channel = fields.Selection(
        selection_add=[("assistant", "Digital assistant"), ("portal",)],
        ondelete={"assistant": lambda records: records._channel_removed("web_form")},
    )

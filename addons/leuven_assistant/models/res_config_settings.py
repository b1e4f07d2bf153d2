from odoo import fields, models

CORS_ORIGINS_PARAM = "leuven_assistant.cors_origins"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    assistant_cors_origins = fields.Char(
        string="Websites Allowed to Embed the Assistant",
        config_parameter=CORS_ORIGINS_PARAM,
        help="Origins (scheme://host[:port]) of other websites that may use the "
        "assistant's API from the browser, separated by commas or spaces; * allows "
        "every website.",
    )

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kcc_customer_email_from = fields.Char(
        string="Sender of Customer E-mails",
        config_parameter="leuven_kcc.customer_email_from",
        help="The address the e-mails to customers come from (e.g. "
        "kcc@leuven.be); empty: the company's address.",
    )
    kcc_reopen_days = fields.Integer(
        string="Reopen Within (days)",
        config_parameter="leuven_kcc.reopen_days",
        default=14,
        help="How many days after the answer a customer may reopen a case.",
    )
    kcc_reminder_days = fields.Integer(
        string="Remind Before Deadline (days)",
        config_parameter="leuven_kcc.reminder_days",
        default=2,
        help="The assignee is reminded this many days before the deadline.",
    )
    kcc_default_response_days = fields.Integer(
        string="Default Response Time (working days)",
        config_parameter="leuven_kcc.default_response_days",
        default=10,
        help="Deadline of a case whose category and handler group set none.",
    )
    kcc_web_rate_limit = fields.Integer(
        string="Website Forms per Hour",
        config_parameter="leuven_kcc.web_rate_limit",
        default=10,
        help="Forms accepted per hour from one internet address.",
    )
    kcc_escalation_batch_size = fields.Integer(
        string="Escalation Batch Size",
        config_parameter="leuven_kcc.escalation_batch_size",
        default=500,
        help="Cases handled per batch by the escalation job.",
    )
    kcc_retention_months = fields.Integer(
        string="Keep Finished Cases (months)",
        config_parameter="leuven_kcc.retention_months",
        default=60,
        help="Default retention of a new category: closed and cancelled cases "
        "are anonymised this many months after they were finished.",
    )
    kcc_retention_batch_size = fields.Integer(
        string="Anonymisation Batch Size",
        config_parameter="leuven_kcc.retention_batch_size",
        default=200,
        help="Cases anonymised per batch by the retention job.",
    )
    # -- maps and addresses (defaults in data/kcc_map_data.xml) --------------
    kcc_address_register_url = fields.Char(
        string="Address Register",
        config_parameter="leuven_kcc.address_register_url",
        help="Base address of the Flemish address register's API "
        "(https://api.basisregisters.vlaanderen.be); empty: no address search.",
    )
    kcc_geolocation_url = fields.Char(
        string="Reverse Lookup Service",
        config_parameter="leuven_kcc.geolocation_url",
        help="Base address of the Geolocation service that names the address "
        "nearest to a point (https://geo.api.vlaanderen.be/geolocation/v4); "
        "empty: the address is not filled in from the map.",
    )
    kcc_map_tile_url = fields.Char(
        string="Map Tiles",
        config_parameter="leuven_kcc.map_tile_url",
        help="URL template of the map's background tiles, with {z}, {x} and "
        "{y}; empty: maps without background.",
    )
    kcc_map_tile_attribution = fields.Char(
        string="Map Attribution",
        config_parameter="leuven_kcc.map_tile_attribution",
        help="The source of the tiles, shown on the map as their licence asks.",
    )
    kcc_public_map = fields.Boolean(
        string="Public Map of Reports",
        config_parameter="leuven_kcc.public_map",
        help="Show the open reports in public space on a map of the website "
        "(category, status, date and a rounded location; nothing about the "
        "reporter).",
    )
    kcc_address_rate_limit = fields.Integer(
        string="Address Lookups per Hour",
        config_parameter="leuven_kcc.address_rate_limit",
        default=300,
        help="Address searches and lookups accepted per hour from one "
        "internet address.",
    )

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    catalog_feed_url = fields.Char(
        string="IPDC Feed",
        config_parameter="leuven_catalog.feed_url",
        help="First page of the IPDC instance-snapshot event stream, e.g. "
        "https://ipdc.vlaanderen.be/doc/instantiesnapshot?limit=25&pageNumber=0",
    )
    catalog_api_key = fields.Char(
        string="IPDC API Key", config_parameter="leuven_catalog.api_key"
    )
    catalog_authority_ids = fields.Char(
        string="City in IPDC",
        config_parameter="leuven_catalog.authority_ids",
        help="Comma separated IRIs or OVO codes of the city: only its products "
        "are taken.",
    )

    def action_catalog_sync(self):
        self.env["catalog.product"]._sync(full=False)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_catalog.catalog_sync_log_action"
        )

    def action_catalog_sync_full(self):
        self.env["catalog.product"]._sync(full=True)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_catalog.catalog_sync_log_action"
        )

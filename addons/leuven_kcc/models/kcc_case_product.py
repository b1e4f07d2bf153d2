from odoo import api, models


class KccCase(models.Model):
    """The product or service a case is about, as other addons need it.

    Without a catalogue a case names no product; the catalogue addon
    (``leuven_catalog``) extends these methods.
    """

    _inherit = "kcc.case"

    def _product_name(self):
        """The name of the product the case is about ("" when none)."""
        self.ensure_one()
        return ""

    @api.model
    def _product_pages(self, references):
        """``{reference: (title, url)}`` of the published products named by
        ``references`` (an IPDC id or a product name); unknown ones left out.
        """
        return {}

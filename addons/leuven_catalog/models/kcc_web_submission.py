import re

from odoo import api, models

# a record id from a form or a link: digits that fit PostgreSQL's integer
PRODUCT_ID = re.compile(r"[0-9]{1,9}")


class KccWebSubmission(models.Model):
    """The contact form knows the product a question is about."""

    _inherit = "kcc.web.submission"

    @api.model
    def _website_internal_fields(self):
        # the product is taken only when it is published (see _intake_values)
        return (*super()._website_internal_fields(), "catalog_product_id")

    @api.model
    def _intake_values(self, kind, post):
        values = super()._intake_values(kind, post)
        raw = post.get("catalog_product_id")
        if isinstance(raw, str) and PRODUCT_ID.fullmatch(raw):
            product = (
                self.env["catalog.product"]
                .sudo()
                .search([("id", "=", int(raw)), ("website_published", "=", True)])
            )
            if product:
                values["catalog_product_id"] = product.id
        return values

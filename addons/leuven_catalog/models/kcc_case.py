from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class KccCase(models.Model):
    _inherit = "kcc.case"

    catalog_product_id = fields.Many2one(
        "catalog.product",
        string="Product",
        index="btree_not_null",
        tracking=True,
        help="The product or service of the catalogue the case is about.",
    )
    suggested_product_ids = fields.Many2many(
        "catalog.product",
        string="Suggested Products",
        compute="_compute_suggested_product_ids",
        help="Products of the catalogue that match the subject of the case.",
    )

    @api.model
    def _intake_fields(self):
        return (*super()._intake_fields(), "catalog_product_id")

    def _product_name(self):
        return self.catalog_product_id.name or super()._product_name()

    @api.model
    def _product_pages(self, references):
        """The first published product with that IPDC id, else with that name."""
        pages = super()._product_pages(references)
        Product = self.env["catalog.product"].sudo()
        for ref in references:
            if ref in pages or not isinstance(ref, str):
                continue
            product = Product.search(
                [("is_published", "=", True), ("ipdc_id", "=", ref)], limit=1
            ) or Product.search(
                [("is_published", "=", True), ("name", "=ilike", ref)], limit=1
            )
            if product:
                pages[ref] = (product.name, product.website_url)
        return pages

    @api.depends("subject", "category_id")
    def _compute_suggested_product_ids(self):
        Product = self.env["catalog.product"]
        for case in self:
            text = " ".join(filter(None, [case.subject, case.category_id.name]))
            case.suggested_product_ids = Product._suggest(text) if text else Product

    def _product_answer(self, product):
        """The answer text built from a product, with a link to its page."""
        url = f"{product.get_base_url()}{product.website_url}"
        return (
            Markup("<p><strong>%s</strong></p>") % product.name
            + (product.description or Markup())
            + Markup('<p><a href="%s">%s</a></p>')
            % (url, self.env._("More about %(product)s", product=product.name))
        )

    def action_answer_with_product(self):
        """One click: answer the case with the product's text and mark it answered."""
        product = self.env["catalog.product"].browse(self.env.context.get("product_id"))
        for case in self:
            chosen = product or case.catalog_product_id
            if not chosen:
                raise UserError(self.env._("Choose a product of the catalogue first."))
            case.write(
                {
                    "catalog_product_id": chosen.id,
                    "resolution": case._product_answer(chosen),
                    "first_line": case.handler_group_id.is_kcc or case.first_line,
                }
            )
            if case.state in ("new", "assigned", "reopened", "waiting"):
                case.write({"state": "in_progress"})
            case.write({"state": "answered"})
        return True

from odoo import fields, models


class KccCase(models.Model):
    _inherit = "kcc.case"

    catalog_product_id = fields.Many2one(
        "catalog.product",
        string="Product",
        index="btree_not_null",
        tracking=True,
        help="The product or service of the catalogue the case is about.",
    )

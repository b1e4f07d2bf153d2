from odoo import fields, models


class CatalogProduct(models.Model):
    """A product or service of the city, as published in IPDC/LPDC."""

    _name = "catalog.product"
    _description = "Catalogue Product"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    ipdc_id = fields.Char(
        string="IPDC Id",
        required=True,
        index=True,
        help="The stable IRI of the instance in IPDC (isVersionOf).",
    )
    product_number = fields.Char(help="The human product number in IPDC.")
    description = fields.Html(translate=True, sanitize=True)
    source_url = fields.Char(string="Source")
    modified_at = fields.Datetime(string="Modified at Source", readonly=True)
    active = fields.Boolean(
        default=True, help="Archived when the product is withdrawn at the source."
    )
    case_ids = fields.One2many("kcc.case", "catalog_product_id", string="Cases")

    _sql_constraints = [
        (
            "ipdc_id_uniq",
            "unique(ipdc_id)",
            "A product with this IPDC id already exists.",
        ),
    ]

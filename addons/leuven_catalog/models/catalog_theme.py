from odoo import fields, models


class CatalogTheme(models.Model):
    """A theme of the Flemish product catalogue (IPDC codelist 'Thema')."""

    _name = "catalog.theme"
    _description = "Catalogue Theme"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    product_ids = fields.Many2many("catalog.product", string="Products")

    _sql_constraints = [("code_uniq", "unique(code)", "This theme already exists.")]

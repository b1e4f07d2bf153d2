from odoo import fields, models


class CatalogTargetGroup(models.Model):
    """A target group of the product catalogue (IPDC codelist 'Doelgroep')."""

    _name = "catalog.target.group"
    _description = "Catalogue Target Group"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    product_ids = fields.Many2many("catalog.product", string="Products")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "This target group already exists.")
    ]

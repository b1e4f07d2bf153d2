from odoo import api, fields, models


class KccCaseCategory(models.Model):
    _inherit = "kcc.case.category"

    melding_reportable = fields.Boolean(
        string="Reportable in Mijn Burgerprofiel",
        help="Citizens can report in this category from Mijn Burgerprofiel and the "
        "Flemish municipal app (Melding doen).",
    )
    melding_code = fields.Char(
        string="Code for Melding Doen",
        copy=False,
        help="Stable code of the category in the Melding doen configuration.",
    )
    melding_photo_required = fields.Boolean(
        string="Photo Required", help="A report in this category needs a photo."
    )

    _sql_constraints = [
        ("melding_code_uniq", "unique(melding_code)", "This code is already used."),
    ]

    def write(self, vals):
        result = super().write(vals)
        for category in self.filtered(
            lambda c: c.melding_reportable and not c.melding_code
        ):
            category.melding_code = f"categorie-{category.id}"
        return result

    @api.model_create_multi
    def create(self, vals_list):
        categories = super().create(vals_list)
        for category in categories.filtered(
            lambda c: c.melding_reportable and not c.melding_code
        ):
            category.melding_code = f"categorie-{category.id}"
        return categories

from odoo import api, fields, models

from leuven.helpt.districts import district_of


class HelptHelpKind(models.Model):
    """A kind of help that volunteers offer and requesters ask for."""

    _name = "helpt.help.kind"
    _description = "Kind of Help"
    _order = "sequence, name"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    needs_good_conduct = fields.Boolean(
        string="Needs Certificate of Good Conduct",
        help="Only volunteers with a certificate of good conduct less than a "
        "year old are screened for and suggested for this kind of help.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a kind of help must be unique."),
    ]


class HelptDistrict(models.Model):
    """A district of Leuven, known by its postcodes."""

    _name = "helpt.district"
    _description = "District"
    _order = "name"

    code = fields.Char(required=True)
    name = fields.Char(required=True)
    postcodes = fields.Char(help="Comma-separated postcodes of the district.")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a district must be unique."),
    ]

    @api.model
    def _for_postcode(self, postcode):
        """The district of ``postcode`` (empty outside Leuven)."""
        code = district_of(postcode)
        if not code:
            return self.browse()
        return self.search([("code", "=", code)], limit=1)

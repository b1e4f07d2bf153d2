from odoo import api, fields, models
from odoo.exceptions import ValidationError

WEBSITE_FORMS = [
    ("none", "Not on the website"),
    ("contact", "Contact form"),
    ("report", "Report form"),
    ("both", "Contact and report form"),
]


class KccCaseCategory(models.Model):
    """The subject of a case: who handles it by default and how fast."""

    _name = "kcc.case.category"
    _description = "Case Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    handler_group_id = fields.Many2one(
        "kcc.handler.group",
        string="Default Handler Group",
        help="Used when no routing rule matches.",
    )
    deadline_days = fields.Integer(
        string="Deadline",
        default=10,
        help="Number of days to answer the case.",
    )
    deadline_unit = fields.Selection(
        [("working", "Working days"), ("calendar", "Calendar days")],
        string="Deadline In",
        default="working",
        required=True,
    )
    citizen_text = fields.Text(
        string="Text for Citizens",
        translate=True,
        help="Shown on the website and in the acknowledgement.",
    )
    confidential = fields.Boolean(
        help="Cases of this category are seen only by their handler group and "
        "KCC supervisors, not by KCC agents or other handlers.",
    )
    retention_months = fields.Integer(
        string="Retention (months)",
        default=lambda self: self.env["kcc.case"]._default_retention_months(),
        help="Closed and cancelled cases of this category are anonymised this "
        "many months after they were finished.",
    )
    planning_system = fields.Boolean(
        string="Send to Planning System",
        help="Reports in this category go to the public-domain crews.",
    )
    website_form = fields.Selection(
        WEBSITE_FORMS,
        string="On the Website",
        compute="_compute_website_form",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="The public form on which citizens can choose this category. "
        "Confidential categories are never offered on the website.",
    )

    _sql_constraints = [
        (
            "deadline_positive",
            "CHECK(deadline_days >= 0)",
            "The deadline of a category cannot be negative.",
        ),
        (
            "retention_positive",
            "CHECK(retention_months >= 0)",
            "The retention period of a category cannot be negative.",
        ),
    ]

    @api.depends("confidential")
    def _compute_website_form(self):
        for category in self:
            if category.confidential:
                category.website_form = "none"
            elif not category.website_form:
                category.website_form = "both"

    @api.constrains("confidential", "website_form")
    def _check_website_form(self):
        for category in self:
            if category.confidential and category.website_form != "none":
                raise ValidationError(
                    self.env._(
                        "The confidential category %(category)s cannot be offered "
                        "on the website.",
                        category=category.name,
                    )
                )

    @api.model
    def _website_domain(self, form_kind):
        """The categories a visitor may choose on the public form
        ``form_kind`` (``"contact"`` or ``"report"``): never a confidential
        one."""
        return [
            ("website_form", "in", (form_kind, "both")),
            ("confidential", "=", False),
        ]

    @api.model
    def _website_categories(self, form_kind):
        """The categories offered on the public form ``form_kind``, as
        superuser (the visitor may not read categories)."""
        return self.sudo().search(self._website_domain(form_kind))

    def write(self, vals):
        if "confidential" in vals and not self.env.su:
            # who sees the cases of the category changes: audited (only KCC
            # administrators, who are supervisors, may change a category)
            confidential = bool(vals["confidential"])
            changed = self.filtered(lambda c: c.confidential != confidential)
            for category in changed:
                self.env["kcc.audit.log"]._log(
                    "confidentiality",
                    category,
                    purpose=self.env._("Made confidential")
                    if confidential
                    else self.env._("No longer confidential"),
                )
        return super().write(vals)

from odoo import fields, models


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

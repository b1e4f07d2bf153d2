from odoo import fields, models


class GuidanceTrajectoryType(models.Model):
    """A kind of guidance (energy coaching, debt guidance, ...) with its stages."""

    _name = "guidance.trajectory.type"
    _description = "Guidance Trajectory Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short unique code, used by integrations.")
    sequence = fields.Integer(default=10)
    stage_ids = fields.One2many("guidance.stage", "type_id", string="Stages")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a trajectory type is unique."),
    ]

from odoo import fields, models


class GuidanceStage(models.Model):
    """A stage of the trajectories of one type."""

    _name = "guidance.stage"
    _description = "Guidance Stage"
    _order = "type_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one(
        "guidance.trajectory.type",
        string="Trajectory Type",
        required=True,
        ondelete="cascade",
        index=True,
    )
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage", help="A trajectory in this stage is finished."
    )

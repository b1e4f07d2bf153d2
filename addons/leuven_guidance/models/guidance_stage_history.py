from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists


class GuidanceStageHistory(models.Model):
    """One stay of a trajectory in a stage: when it entered it, when it left
    it (empty: it is there now) and who moved it. Written by the system on
    every stage change, whatever the path (form, kanban, code)."""

    _name = "guidance.stage.history"
    _description = "Guidance Stage History"
    _order = "trajectory_id, entered_at, id"
    _rec_name = "stage_id"

    trajectory_id = fields.Many2one(
        "guidance.trajectory",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    stage_id = fields.Many2one(
        "guidance.stage", required=True, readonly=True, index=True, ondelete="cascade"
    )
    type_id = fields.Many2one(
        related="stage_id.type_id", string="Trajectory Type", store=True
    )
    entered_at = fields.Datetime(string="Entered On", required=True, readonly=True)
    left_at = fields.Datetime(string="Left On", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Moved By", readonly=True, ondelete="set null"
    )

    def init(self):
        """One stay, from the start date, for each trajectory without a
        history (the trajectories that existed before the history)."""
        cr = self.env.cr
        if not table_exists(cr, "guidance_trajectory") or not column_exists(
            cr, "guidance_trajectory", "stage_id"
        ):
            return
        cr.execute(
            SQL(
                """
                INSERT INTO guidance_stage_history
                       (trajectory_id, stage_id, type_id, entered_at, user_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT t.id, t.stage_id, s.type_id, t.date_start::timestamp,
                       t.create_uid, %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM guidance_trajectory t
                  JOIN guidance_stage s ON s.id = t.stage_id
                 WHERE NOT EXISTS (
                       SELECT 1 FROM guidance_stage_history h
                        WHERE h.trajectory_id = t.id)
                """,
                uid=self.env.uid,
            )
        )


class GuidanceTrajectory(models.Model):
    _inherit = "guidance.trajectory"

    @api.model_create_multi
    def create(self, vals_list):
        trajectories = super().create(vals_list)
        trajectories._guidance_record_stages({})
        return trajectories

    def write(self, vals):
        # the stage follows the type when the type changes
        if "stage_id" not in vals and "type_id" not in vals:
            return super().write(vals)
        before = {trajectory.id: trajectory.stage_id.id for trajectory in self}
        result = super().write(vals)
        self._guidance_record_stages(before)
        return result

    def _guidance_record_stages(self, before):
        """Close the current stay and open one in the new stage of the
        trajectories whose stage is not the one in ``before`` (``{trajectory
        id: stage id}``)."""
        moved = self.filtered(
            lambda trajectory: trajectory.stage_id.id != before.get(trajectory.id)
        )
        if not moved:
            return
        now = fields.Datetime.now()
        History = self.env["guidance.stage.history"].sudo()
        History.search(
            [("trajectory_id", "in", moved.ids), ("left_at", "=", False)]
        ).write({"left_at": now})
        History.create(
            [
                {
                    "trajectory_id": trajectory.id,
                    "stage_id": trajectory.stage_id.id,
                    "entered_at": now,
                    "user_id": self.env.uid,
                }
                for trajectory in moved
                if trajectory.stage_id
            ]
        )

from odoo import fields, models
from odoo.tools import SQL


class GuidanceTrajectoryReport(models.Model):
    """Trajectory figures for the pivot and the graph: one row per stay of a
    trajectory in a stage (the stage history), of the trajectories the
    current user may read (their access rules are applied inside the query),
    without the citizen or the notes: only what is counted.

    ``trajectory_count`` counts the trajectories in the stage now (one row of
    each trajectory is its current stay), ``stay_count`` the trajectories
    that went through the stage, ``days_in_stage`` the days of the stay (up
    to now for the current one), averaged.
    """

    _name = "guidance.trajectory.report"
    _description = "Trajectory Analysis"
    _auto = False
    _order = "entered_at desc, id desc"
    _rec_name = "id"
    _depends = {
        "guidance.stage.history": [
            "trajectory_id",
            "stage_id",
            "type_id",
            "entered_at",
            "left_at",
        ],
        "guidance.trajectory": [
            "coach_id",
            "date_start",
            "date_end",
            "is_closed",
            "company_id",
        ],
    }

    trajectory_id = fields.Many2one("guidance.trajectory", readonly=True)
    type_id = fields.Many2one(
        "guidance.trajectory.type", string="Trajectory Type", readonly=True
    )
    stage_id = fields.Many2one("guidance.stage", readonly=True)
    coach_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Date(string="Start Date", readonly=True)
    date_end = fields.Date(string="End Date", readonly=True)
    entered_at = fields.Datetime(string="Entered Stage On", readonly=True)
    left_at = fields.Datetime(string="Left Stage On", readonly=True)
    is_current = fields.Boolean(
        string="Current Stage", readonly=True, help="The trajectory is in it now."
    )
    is_closed = fields.Boolean(
        string="Closed", readonly=True, help="The trajectory is closed now."
    )
    trajectory_count = fields.Integer(
        string="Trajectories",
        readonly=True,
        aggregator="sum",
        help="Trajectories in the stage now.",
    )
    stay_count = fields.Integer(
        string="Passages",
        readonly=True,
        aggregator="sum",
        help="Trajectories that went through the stage.",
    )
    days_in_stage = fields.Float(
        string="Days in Stage",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days from entering the stage to leaving it (up to now for the "
        "current stage), on average.",
    )

    @property
    def _table_query(self):
        # the trajectories the user may read, as the trajectory list shows
        visible = self.env["guidance.trajectory"]._search([])
        return SQL(
            """
            SELECT h.id,
                   h.trajectory_id,
                   h.type_id,
                   h.stage_id,
                   t.coach_id,
                   t.company_id,
                   t.date_start,
                   t.date_end,
                   h.entered_at,
                   h.left_at,
                   h.left_at IS NULL AS is_current,
                   COALESCE(t.is_closed, FALSE) AS is_closed,
                   CASE WHEN h.left_at IS NULL THEN 1 ELSE 0 END AS trajectory_count,
                   1 AS stay_count,
                   EXTRACT(EPOCH FROM COALESCE(h.left_at, %(now)s) - h.entered_at)
                       / 86400.0 AS days_in_stage
              FROM guidance_stage_history h
              JOIN guidance_trajectory t ON t.id = h.trajectory_id
             WHERE h.trajectory_id IN (%(visible)s)
            """,
            now=fields.Datetime.now(),
            visible=visible.subselect(),
        )

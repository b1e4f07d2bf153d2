from odoo import fields, models
from odoo.tools import SQL


class GuidancePartnerReport(models.Model):
    """Partner organisations' figures: per organisation, the trajectories it
    holds an active grant of now (one row per organisation and trajectory)
    and its reads of trajectory data (one row per read of the read log).

    The grants and reads the current user may read only (the access rules of
    ``kcc.consent`` and ``guidance.access.log`` are applied inside the query:
    a coach counts the reads of his own trajectories, a manager all).
    """

    _name = "guidance.partner.report"
    _description = "Partner Organisation Figures"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "id"
    _depends = {
        "kcc.consent": [
            "organisation_id",
            "trajectory_id",
            "date",
            "valid_until",
            "date_withdrawn",
        ],
        "guidance.access.log": [
            "organisation_id",
            "trajectory_id",
            "category",
            "read_at",
        ],
        "guidance.trajectory": ["type_id", "coach_id"],
    }

    organisation_id = fields.Many2one(
        "res.partner", string="Partner Organisation", readonly=True
    )
    trajectory_id = fields.Many2one("guidance.trajectory", readonly=True)
    type_id = fields.Many2one(
        "guidance.trajectory.type", string="Trajectory Type", readonly=True
    )
    coach_id = fields.Many2one("res.users", readonly=True)
    category_id = fields.Many2one(
        "guidance.data.category", string="Data Category", readonly=True
    )
    date = fields.Datetime(
        readonly=True, help="The day the grant was given, or the moment of the read."
    )
    grant_count = fields.Integer(
        string="Trajectories Granted",
        readonly=True,
        aggregator="sum",
        help="Trajectories the organisation holds an active grant of now.",
    )
    read_count = fields.Integer(
        string="Reads",
        readonly=True,
        aggregator="sum",
        help="Reads of trajectory data by the organisation's users.",
    )

    @property
    def _table_query(self):
        consents = self.env["kcc.consent"]._search([("trajectory_id", "!=", False)])
        logs = self.env["guidance.access.log"]._search([])
        now = fields.Datetime.now()
        # ids: even for the grants (consent id), odd for the reads (log id)
        return SQL(
            """
            SELECT r.id,
                   r.organisation_id,
                   r.trajectory_id,
                   t.type_id,
                   t.coach_id,
                   r.category_id,
                   r.date,
                   r.grant_count,
                   r.read_count
              FROM (
                   (SELECT DISTINCT ON (c.organisation_id, c.trajectory_id)
                           c.id * 2 AS id,
                           c.organisation_id,
                           c.trajectory_id,
                           NULL::integer AS category_id,
                           c.date::timestamp AS date,
                           1 AS grant_count,
                           0 AS read_count
                      FROM kcc_consent c
                     WHERE c.id IN (%(consents)s)
                       AND c.organisation_id IS NOT NULL
                       AND c.date <= %(today)s
                       AND (c.valid_until IS NULL OR c.valid_until >= %(today)s)
                       AND (c.date_withdrawn IS NULL OR c.date_withdrawn > %(now)s)
                  ORDER BY c.organisation_id, c.trajectory_id, c.id)
                    UNION ALL
                    SELECT l.id * 2 + 1,
                           l.organisation_id,
                           l.trajectory_id,
                           dc.id,
                           l.read_at,
                           0,
                           1
                      FROM guidance_access_log l
                 LEFT JOIN guidance_data_category dc ON dc.code = l.category
                     WHERE l.id IN (%(logs)s)
                   ) r
              JOIN guidance_trajectory t ON t.id = r.trajectory_id
            """,
            consents=consents.subselect(),
            logs=logs.subselect(),
            today=now.date(),
            now=now,
        )

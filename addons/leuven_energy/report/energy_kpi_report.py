from odoo import fields, models
from odoo.tools import SQL

from ..models.guidance_dwelling import EPC_LABELS
from ..models.guidance_trajectory import ENERGY_TYPE


class EnergyImprovementReport(models.Model):
    """Improved dwellings: one row per energy coaching trajectory the current
    user may read (their access rules are applied inside the query), with its
    dwelling's EPC label before and now. A trajectory of several dwellings
    counts once (its label is that of its first dwelling, as on the
    trajectory). ``epc_steps`` is left empty when a label is unknown, so the
    average is over the trajectories with both labels."""

    _name = "energy.improvement.report"
    _description = "Improved Dwellings"
    _auto = False
    _order = "date_start desc, id desc"
    _rec_name = "trajectory_id"
    _depends = {
        "guidance.trajectory": [
            "type_id",
            "stage_id",
            "coach_id",
            "date_start",
            "date_end",
            "is_closed",
            "epc_label_start",
            "epc_label_now",
            "epc_steps",
            "epc_improved",
            "dwelling_ids",
        ],
        "guidance.stage.history": ["trajectory_id", "entered_at", "left_at"],
    }

    trajectory_id = fields.Many2one("guidance.trajectory", readonly=True)
    dwelling_id = fields.Many2one("guidance.dwelling", readonly=True)
    stage_id = fields.Many2one("guidance.stage", readonly=True)
    coach_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Date(string="Start Date", readonly=True)
    date_closed = fields.Date(
        string="Closed On",
        readonly=True,
        help="The end date of the closed trajectory, else the day it entered "
        "its closing stage.",
    )
    is_closed = fields.Boolean(string="Closed", readonly=True)
    epc_label_start = fields.Selection(
        EPC_LABELS, string="EPC Label Before", readonly=True
    )
    epc_label_now = fields.Selection(EPC_LABELS, string="EPC Label Now", readonly=True)
    is_improved = fields.Boolean(string="Improved", readonly=True)
    trajectory_count = fields.Integer(
        string="Trajectories", readonly=True, aggregator="sum"
    )
    measured_count = fields.Integer(
        string="Labels Before and Now Known",
        readonly=True,
        aggregator="sum",
    )
    improved_count = fields.Integer(
        string="Dwellings Improved",
        readonly=True,
        aggregator="sum",
        help="Trajectories whose dwelling has a better EPC label now than at "
        "the start.",
    )
    epc_steps = fields.Float(
        string="EPC Label Steps Gained",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Label steps gained (E to C is 2), on average over the "
        "trajectories whose labels before and now are known.",
    )

    @property
    def _table_query(self):
        visible = self.env["guidance.trajectory"]._search([])
        energy = self.env.ref(ENERGY_TYPE, raise_if_not_found=False)
        known = SQL("(t.epc_label_start IS NOT NULL AND t.epc_label_now IS NOT NULL)")
        return SQL(
            """
            SELECT t.id,
                   t.id AS trajectory_id,
                   first_dwelling.dwelling_id,
                   t.stage_id,
                   t.coach_id,
                   t.company_id,
                   t.date_start,
                   CASE WHEN t.is_closed
                        THEN COALESCE(t.date_end, closing.entered_at::date)
                   END AS date_closed,
                   COALESCE(t.is_closed, FALSE) AS is_closed,
                   t.epc_label_start,
                   t.epc_label_now,
                   COALESCE(t.epc_improved, FALSE) AS is_improved,
                   1 AS trajectory_count,
                   CASE WHEN %(known)s THEN 1 ELSE 0 END AS measured_count,
                   CASE WHEN t.epc_improved THEN 1 ELSE 0 END AS improved_count,
                   CASE WHEN %(known)s THEN t.epc_steps END AS epc_steps
              FROM guidance_trajectory t
         LEFT JOIN LATERAL (
                   SELECT rel.dwelling_id
                     FROM guidance_trajectory_dwelling_rel rel
                     JOIN guidance_dwelling d ON d.id = rel.dwelling_id
                    WHERE rel.trajectory_id = t.id
                 ORDER BY d.city, d.street, d.house_number, d.box, d.id
                    LIMIT 1
                   ) first_dwelling ON TRUE
         LEFT JOIN LATERAL (
                   SELECT h.entered_at
                     FROM guidance_stage_history h
                    WHERE h.trajectory_id = t.id AND h.stage_id = t.stage_id
                 ORDER BY h.entered_at DESC, h.id DESC
                    LIMIT 1
                   ) closing ON TRUE
             WHERE t.type_id = %(energy)s
               AND t.id IN (%(visible)s)
            """,
            known=known,
            energy=energy.id if energy else None,
            visible=visible.subselect(),
        )

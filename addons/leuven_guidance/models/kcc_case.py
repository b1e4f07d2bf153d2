from odoo import api, fields, models


class KccCase(models.Model):
    _inherit = "kcc.case"

    guidance_trajectory_ids = fields.One2many(
        "guidance.trajectory", "case_id", string="Guidance Trajectories"
    )
    guidance_trajectory_count = fields.Integer(
        compute="_compute_guidance_trajectory_count"
    )

    @api.depends("guidance_trajectory_ids")
    def _compute_guidance_trajectory_count(self):
        for case in self:
            case.guidance_trajectory_count = len(case.guidance_trajectory_ids)

    def action_guidance_start(self):
        """The wizard that starts a trajectory for the case's customer."""
        self.ensure_one()
        self.check_access("read")
        return self.env["guidance.start.wizard"]._action_open(
            self.partner_id, case=self
        )

    def action_view_guidance_trajectories(self):
        self.ensure_one()
        return self.guidance_trajectory_ids._guidance_action()

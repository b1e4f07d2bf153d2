from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression

TRAJECTORY = "guidance.trajectory"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def check(self, mode, values=None):
        """The documents of a trajectory are the guidance staff's and the
        citizen's: an employee who may only list trajectories (a KCC agent)
        opens none of them, except the ones he uploaded himself."""
        super().check(mode, values=values)
        Trajectory = self.env[TRAJECTORY]
        allowed = None if self.env.su else Trajectory._guidance_ids_with("documents")
        if allowed is not None and any(
            attachment.res_model == TRAJECTORY and attachment.res_id not in allowed
            for attachment in self.sudo()
        ):
            raise AccessError(
                self.env._("This information was not shared with your organisation.")
            )
        if self.env.su or not Trajectory._guidance_hides_thread():
            return
        names = {(values or {}).get("res_model")} if values else set()
        if any(
            attachment.res_model == TRAJECTORY
            and attachment.create_uid != self.env.user
            for attachment in self.sudo()
        ):
            names.add(TRAJECTORY)
        if TRAJECTORY in names and mode != "create":
            raise AccessError(
                self.env._(
                    "The documents of a guidance trajectory are not yours to see."
                )
            )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su and self.env[TRAJECTORY]._guidance_hides_thread():
            domain = expression.AND(
                [
                    domain,
                    [
                        "|",
                        "|",
                        ("res_model", "!=", TRAJECTORY),
                        ("res_model", "=", False),
                        ("create_uid", "=", self.env.uid),
                    ],
                ]
            )
        Trajectory = self.env[TRAJECTORY]
        allowed = None if self.env.su else Trajectory._guidance_ids_with("documents")
        if allowed is not None:
            domain = expression.AND(
                [
                    domain,
                    [
                        "|",
                        "|",
                        ("res_model", "!=", TRAJECTORY),
                        ("res_model", "=", False),
                        ("res_id", "in", sorted(allowed)),
                    ],
                ]
            )
        return super()._search(domain, offset=offset, limit=limit, order=order)

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

from leuven.guidance import access

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

    def validate_access(self, access_token):
        """A link to a document of a trajectory (``/web/content`` with its
        access token) opens it for who may read it now, not for whoever holds
        the link: a partner organisation's link stops working the moment its
        grant is withdrawn or expires. A partner's download is logged."""
        record = super().validate_access(access_token)
        if self.env.su:
            return record
        # not through the cache: a value read in sudo there would be served
        # to the user without his access being checked
        rows = self.env.execute_query(
            SQL("SELECT res_model, res_id FROM ir_attachment WHERE id = %s", self.id)
        )
        if rows and rows[0][0] == TRAJECTORY:
            if access_token:
                self._guidance_check_link(rows[0][1])
            self._guidance_log_documents([rows[0][1]])
        return record

    def _guidance_check_link(self, trajectory_id):
        """Whether the current user may open this document of a trajectory
        with its link: an employee by his rights on the file, anyone else
        (the citizen, a partner organisation, no one logged in) by his
        access to the trajectory now, with the documents category granted
        for a partner organisation."""
        if self.env.user._is_internal():
            self.check("read")
            return
        trajectory = self.env[TRAJECTORY].browse(trajectory_id)
        trajectory.check_access("read")
        allowed = trajectory._guidance_ids_with(access.DOCUMENTS)
        if allowed is not None and trajectory.id not in allowed:
            raise AccessError(
                self.env._("This information was not shared with your organisation.")
            )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        self.browse([values["id"] for values in result])._guidance_log_documents()
        return result

    def _guidance_log_documents(self, trajectory_ids=None):
        """Log that the current partner organisation's user read these
        documents of trajectories (the category documents)."""
        if self.env.su or self.env.context.get("guidance_no_read_log"):
            return
        Trajectory = self.env[TRAJECTORY]
        if not Trajectory._guidance_partner_organisation():
            return
        if trajectory_ids is None:
            attachments = self.sudo().with_context(prefetch_fields=False)
            trajectory_ids = [
                a.res_id for a in attachments if a.res_model == TRAJECTORY
            ]
        Trajectory._guidance_log_thread_read(trajectory_ids, access.DOCUMENTS)

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

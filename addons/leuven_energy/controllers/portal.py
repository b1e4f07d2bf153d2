from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.leuven_guidance.controllers.portal import GuidanceCustomerPortal


class EnergyCustomerPortal(GuidanceCustomerPortal):
    """The citizen's consent to proactive proposals, on his trajectory page."""

    @http.route(
        "/my/trajectories/<int:trajectory_id>/proposals",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_trajectory_proposals(self, trajectory_id, opt_in=None, **kwargs):
        """Set or withdraw the consent: the citizen of the trajectory only (a
        partner organisation's user, another citizen or an employee gets "not
        found")."""
        trajectory = self._guidance_record("guidance.trajectory", trajectory_id)
        if trajectory._guidance_partner_organisation():
            raise NotFound()
        user = request.env.user
        # checked above: he may read the trajectory; now: it is his own
        trajectory_sudo = trajectory.sudo()
        if (
            not user.share
            or trajectory_sudo.commercial_partner_id
            != user.partner_id.commercial_partner_id
            or not trajectory_sudo.is_energy
        ):
            raise NotFound()
        # tracked with him as the author (sudo keeps the user)
        trajectory_sudo.write({"proposal_opt_in": opt_in == "1"})
        return request.redirect(f"/my/trajectories/{trajectory.id}#energy_proposals")

from odoo import api, fields, models
from odoo.tools import SQL

# who sees a customer's trajectories in his 360°
VIEWERS = "leuven_kcc.group_kcc_handler,leuven_guidance.group_guidance_coach"


class ResPartner(models.Model):
    _inherit = "res.partner"

    guidance_trajectory_ids = fields.Many2many(
        "guidance.trajectory",
        string="Guidance Trajectories",
        compute="_compute_guidance_trajectories",
        groups=VIEWERS,
    )
    guidance_trajectory_count = fields.Integer(
        string="Trajectories",
        compute="_compute_guidance_trajectories",
        groups=VIEWERS,
    )
    guidance_dwelling_count = fields.Integer(
        string="Dwellings",
        compute="_compute_guidance_trajectories",
        groups=VIEWERS,
    )

    # a partner organisation's active grants, read once per transaction (the
    # ORM cache: a new request, a rollback or a changed consent reads them
    # again); whether each holds is decided at every use, so expiry acts at
    # once
    guidance_grant_data = fields.Json(
        string="Active Partner Access Grants",
        compute="_compute_guidance_grant_data",
        groups="base.group_system",
    )

    @api.depends_context("uid")
    def _compute_guidance_trajectories(self):
        Trajectory = self.env["guidance.trajectory"]
        Dwelling = self.env["guidance.dwelling"]
        for partner in self:
            if not partner.id:
                partner.guidance_trajectory_ids = False
                partner.guidance_trajectory_count = partner.guidance_dwelling_count = 0
                continue
            domain = partner._guidance_trajectory_domain()
            partner.guidance_trajectory_ids = Trajectory.search(domain)
            partner.guidance_trajectory_count = len(partner.guidance_trajectory_ids)
            partner.guidance_dwelling_count = Dwelling.search_count(
                Dwelling._held_by_domain(partner._origin)
            )

    def _guidance_trajectory_domain(self):
        self.ensure_one()
        return [("commercial_partner_id", "=", self.commercial_partner_id.id)]

    def action_view_guidance_trajectories(self):
        self.ensure_one()
        trajectories = self.env["guidance.trajectory"].search(
            self._guidance_trajectory_domain()
        )
        action = trajectories._guidance_action()
        action["domain"] = self._guidance_trajectory_domain()
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_guidance_dwellings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_guidance.guidance_dwelling_action"
        )
        action["domain"] = self.env["guidance.dwelling"]._held_by_domain(self)
        return action

    def action_guidance_start(self):
        self.ensure_one()
        self.check_access("read")
        return self.env["guidance.start.wizard"]._action_open(self)

    def write(self, vals):
        result = super().write(vals)
        if "kcc_is_partner_organisation" in vals:
            # the guidance portal rules depend on it, and rules are cached
            self.env.registry.clear_cache()
        return result

    def _compute_guidance_grant_data(self):
        # one query for all the organisations' active grants (a request asks
        # for them at every read, search and rule check: see
        # guidance.partner.access.mixin._guidance_memo)
        rows = {}
        if self.ids:
            Consent = self.env["kcc.consent"]
            Consent.flush_model(
                [
                    "organisation_id",
                    "trajectory_id",
                    "state",
                    "date",
                    "valid_until",
                    "date_withdrawn",
                    "category_ids",
                    "dwelling_ids",
                ]
            )
            self.env["guidance.data.category"].flush_model(["code"])
            self.env.cr.execute(
                SQL(
                    """
                SELECT c.organisation_id, c.trajectory_id, c.id,
                       ARRAY(SELECT cat.code
                               FROM guidance_consent_category_rel rel
                               JOIN guidance_data_category cat
                                 ON cat.id = rel.category_id
                              WHERE rel.consent_id = c.id
                              ORDER BY cat.code),
                       ARRAY(SELECT rel.dwelling_id
                               FROM guidance_consent_dwelling_rel rel
                              WHERE rel.consent_id = c.id
                              ORDER BY rel.dwelling_id),
                       c.date, c.valid_until, c.date_withdrawn
                  FROM kcc_consent c
                 WHERE c.organisation_id = ANY(%s)
                   AND c.trajectory_id IS NOT NULL
                   AND c.state = 'active'
                 ORDER BY c.id
                    """,
                    list(self.ids),
                )
            )
            for row in self.env.cr.fetchall():
                organisation_id, trajectory_id, consent_id, codes, dwellings = row[:5]
                given_on, valid_until, withdrawn_at = row[5:]
                rows.setdefault(organisation_id, []).append(
                    [
                        trajectory_id,
                        consent_id,
                        list(codes),
                        list(dwellings),
                        fields.Date.to_string(given_on) or None,
                        fields.Date.to_string(valid_until) or None,
                        fields.Datetime.to_string(withdrawn_at) or None,
                    ]
                )
        for partner in self:
            partner.guidance_grant_data = rows.get(partner.id, [])

import datetime as dt

from odoo import api, fields, models

from leuven.kcc import inputs

PUBLIC_MAP_DAYS = 90
PUBLIC_MAP_LIMIT = 500
# three decimals: about 110 m north-south and 70 m east-west in Leuven
PUBLIC_MAP_DECIMALS = 3


class KccCase(models.Model):
    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    can_move_pin = fields.Boolean(
        compute="_compute_can_move_pin",
        help="The user may move the case's pin on the map: its assignee, a "
        "member or leader of its handler group, or a KCC supervisor, while the "
        "case is open.",
    )

    @api.depends_context("uid")
    @api.depends("is_open", "user_id", "handler_group_id")
    def _compute_can_move_pin(self):
        user = self.env.user
        supervisor = user.has_group("leuven_kcc.group_kcc_supervisor")
        for case in self:
            group = case.handler_group_id.sudo()
            case.can_move_pin = case.is_open and (
                supervisor
                or case.user_id == user
                or user in group.member_ids
                or user in group.leader_ids
            )

    @api.model
    def _public_map_reports(self):
        """The open reports anyone may see on the public map: made in the
        last days, not sensitive, not in a confidential category, with a real
        point inside the map's box. Only the category, the status as the
        customer sees it, the date and the point rounded to about a hundred
        metres: no reference, subject, description, address or name."""
        Lookup = self.env["kcc.address.lookup"]
        since = fields.Datetime.now() - dt.timedelta(days=PUBLIC_MAP_DAYS)
        cases = self.sudo().search(
            [
                ("case_type", "=", "report"),
                ("is_open", "=", True),
                ("sensitive", "=", False),
                ("is_confidential", "=", False),
                ("date_received", ">=", since),
                ("latitude", "!=", 0.0),
                ("longitude", "!=", 0.0),
            ],
            order="date_received desc",
            limit=PUBLIC_MAP_LIMIT,
        )
        labels = dict(self._fields["citizen_state"]._description_selection(self.env))
        reports = []
        for case in cases:
            if not inputs.is_real_point(case.latitude, case.longitude):
                continue
            if not Lookup._in_bounds(case.latitude, case.longitude):
                continue
            reports.append(
                {
                    "category": case.category_id.name or "",
                    "status": labels.get(case.citizen_state, ""),
                    "date": fields.Date.to_string(
                        fields.Date.context_today(case, case.date_received)
                    ),
                    "lat": round(case.latitude, PUBLIC_MAP_DECIMALS),
                    "lon": round(case.longitude, PUBLIC_MAP_DECIMALS),
                }
            )
        return reports

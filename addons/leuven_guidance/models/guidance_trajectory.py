from odoo import api, fields, models
from odoo.exceptions import ValidationError

COACH = "leuven_guidance.group_guidance_coach"


class GuidanceTrajectory(models.Model):
    """A citizen followed for months by a coach about one or more of his
    dwellings, through the stages of the trajectory's type."""

    _name = "guidance.trajectory"
    _description = "Guidance Trajectory"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    # the citizen posts on his own trajectory from the portal
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    type_id = fields.Many2one(
        "guidance.trajectory.type",
        required=True,
        index=True,
        tracking=True,
    )
    stage_id = fields.Many2one(
        "guidance.stage",
        index=True,
        tracking=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        domain="[('type_id', '=', type_id)]",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Citizen",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    dwelling_ids = fields.Many2many(
        "guidance.dwelling",
        "guidance_trajectory_dwelling_rel",
        "trajectory_id",
        "dwelling_id",
        string="Dwellings",
    )
    coach_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    case_id = fields.Many2one(
        "kcc.case", string="Origin Case", index="btree_not_null", copy=False
    )
    partner_organisation_ids = fields.Many2many(
        "res.partner",
        "guidance_trajectory_organisation_rel",
        "trajectory_id",
        "partner_id",
        string="Partner Organisations",
        domain=[("is_company", "=", True)],
    )
    date_start = fields.Date(
        string="Start Date", default=fields.Date.context_today, required=True
    )
    date_end = fields.Date(string="End Date", tracking=True)
    note = fields.Html(string="Coach's Notes", groups=COACH)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    next_appointment = fields.Datetime(compute="_compute_next_appointment")
    meeting_count = fields.Integer(compute="_compute_meeting_count")

    @api.depends("type_id")
    def _compute_stage_id(self):
        for trajectory in self:
            if trajectory.type_id and trajectory.stage_id.type_id != trajectory.type_id:
                trajectory.stage_id = trajectory.type_id.stage_ids[:1]
            elif not trajectory.type_id:
                trajectory.stage_id = False

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """Every stage of the types shown (one type when the list is filtered
        on it), so empty columns show in the kanban."""
        type_id = self.env.context.get("default_type_id")
        if type_id:
            return stages.search([("type_id", "=", type_id)])
        types = (
            self.search(domain).type_id
            if domain
            else self.env["guidance.trajectory.type"].search([])
        )
        return stages.search([("type_id", "in", types.ids)])

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].sudo().next_by_code("guidance.trajectory")
                    or "/"
                )
        return super().create(vals_list)

    @api.constrains("dwelling_ids", "partner_id")
    def _check_dwellings_held(self):
        """A trajectory concerns dwellings its citizen holds."""
        Dwelling = self.env["guidance.dwelling"].sudo()
        for trajectory in self:
            if not trajectory.dwelling_ids:
                continue
            held = Dwelling.with_context(active_test=False).search(
                Dwelling._held_by_domain(trajectory.partner_id)
                + [("id", "in", trajectory.dwelling_ids.ids)]
            )
            if trajectory.dwelling_ids.sudo() - held:
                raise ValidationError(
                    self.env._(
                        "A trajectory only concerns dwellings its citizen holds."
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for trajectory in self:
            if trajectory.date_end and trajectory.date_end < trajectory.date_start:
                raise ValidationError(
                    self.env._("The end date comes before the start date.")
                )

    def _compute_access_url(self):
        for trajectory in self:
            trajectory.access_url = f"/my/trajectories/{trajectory.id}"

    def _meeting_domain(self):
        return [
            ("res_model", "=", self._name),
            ("res_id", "in", self.ids),
        ]

    def _compute_meeting_count(self):
        # the calendar's own rules decide which meetings a user sees; the
        # count and the date come from the trajectory, visible to its readers
        Event = self.env["calendar.event"].sudo()
        counts = (
            dict(Event._read_group(self._meeting_domain(), ["res_id"], ["__count"]))
            if self.ids
            else {}
        )
        for trajectory in self:
            trajectory.meeting_count = counts.get(trajectory.id, 0)

    def _compute_next_appointment(self):
        """The first meeting to come, else the first open activity's day."""
        now = fields.Datetime.now()
        Event = self.env["calendar.event"].sudo()
        Activity = self.env["mail.activity"].sudo()
        firsts = {}
        if self.ids:
            for res_id, start in Event._read_group(
                self._meeting_domain() + [("start", ">=", now)],
                ["res_id"],
                ["start:min"],
            ):
                firsts[res_id] = start
            for res_id, deadline in Activity._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("date_deadline", ">=", now.date()),
                ],
                ["res_id"],
                ["date_deadline:min"],
            ):
                if res_id not in firsts:
                    firsts[res_id] = fields.Datetime.to_datetime(deadline)
        for trajectory in self:
            trajectory.next_appointment = firsts.get(trajectory.id, False)

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "calendar.action_calendar_event"
        )
        action["domain"] = self._meeting_domain()
        action["context"] = {
            "default_res_model": self._name,
            "default_res_id": self.id,
            "default_name": self.name,
            "default_partner_ids": [
                self.partner_id.id,
                self.env.user.partner_id.id,
            ],
        }
        return action

    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        """The coach's notes and documents are read by the guidance staff and
        (the public messages) by the citizen himself: another employee who
        may list the trajectories (a KCC agent in the 360°) needs the right
        to work on the trajectory to read its conversation."""
        operation = super()._get_mail_message_access(
            res_ids, operation, model_name=model_name
        )
        if (
            operation == "read"
            and self.env["guidance.trajectory"]._guidance_hides_thread()
        ):
            return "write"
        return operation

    @api.model
    def _guidance_hides_thread(self, user=None):
        """Whether the conversation and files of trajectories are hidden from
        this user: an employee outside the guidance staff."""
        user = user or self.env.user
        if self.env.su and user == self.env.user and user._is_superuser():
            return False
        return user._is_internal() and not user.has_group(COACH)

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        # the citizen's mail links to his portal page
        for group_name, _group_method, group_data in groups:
            if group_name == "portal_customer":
                group_data["has_button_access"] = True
        return groups

    def _guidance_action(self):
        """The trajectories' window: their form for one, their list else."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_guidance.guidance_trajectory_action"
        )
        action["domain"] = [("id", "in", self.ids)]
        if len(self) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=self.id)
        return action

    def _portal_documents(self):
        """The files the citizen sees: those of the trajectory's public
        messages (a coach's message to him, his own uploads), never those of
        internal notes."""
        self.ensure_one()
        messages = self.message_ids.filtered(
            lambda m: (
                m.message_type in ("comment", "email")
                and not m.is_internal
                and m.subtype_id
                and not m.subtype_id.internal
            )
        )
        return messages.attachment_ids.sorted("id")

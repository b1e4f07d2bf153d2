import datetime as dt
import logging

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize, is_html_empty
from odoo.tools.sql import create_index

from leuven.kcc import deadlines, states

from .sql_index import ensure_index

_logger = logging.getLogger(__name__)

CASE_TYPES = [
    ("question", "Question"),
    ("report", "Report"),
    ("suggestion", "Suggestion"),
    ("complaint", "Complaint"),
]
PARTNER_KINDS = [
    ("person", "Person"),
    ("company", "Company"),
    ("association", "Association"),
]
# labels stay literal here for the translations; keys and order come from the
# life cycle table in leuven.kcc.states (selection() fails if they disagree)
STATE_LABELS = {
    "new": "New",
    "assigned": "Assigned",
    "in_progress": "In Progress",
    "waiting": "Waiting on Customer",
    "answered": "Answered",
    "reopened": "Reopened",
    "closed": "Closed",
    "cancelled": "Cancelled",
    "duplicate": "Duplicate",
}
STATES = states.selection(STATE_LABELS)
CITIZEN_STATE_LABELS = {
    "received": "Received",
    "in_treatment": "Being handled",
    "waiting": "Waiting for your reply",
    "answered": "Answered",
    "closed": "Closed",
    "cancelled": "Cancelled",
}
CITIZEN_STATES = states.selection(CITIZEN_STATE_LABELS, states.CITIZEN_STATES)
WORK_ORDER_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent to the crews"),
    ("planned", "Planned"),
    ("in_progress", "Work in progress"),
    ("done", "Work done"),
    ("failed", "Could not be sent"),
]
WORK_ORDER_PROGRESS = ("planned", "in_progress", "done")
PLANNING_NOTE_LIMIT = 2000  # characters of a planning note the citizen may read
DUPLICATE_DAYS_PARAM = "leuven_kcc.duplicate_days"
DUPLICATE_RADIUS_PARAM = "leuven_kcc.duplicate_radius_m"
REOPEN_DAYS_PARAM = "leuven_kcc.reopen_days"
DEFAULT_RESPONSE_DAYS_PARAM = "leuven_kcc.default_response_days"
DEFAULT_RESPONSE_DAYS = 10  # working days, when neither category nor group says
DEFAULT_REOPEN_DAYS = 14
REMINDER_DAYS_PARAM = "leuven_kcc.reminder_days"
DEFAULT_REMINDER_DAYS = 2
BATCH_SIZE_PARAM = "leuven_kcc.escalation_batch_size"
DEFAULT_BATCH_SIZE = 500
ACK_BATCH_SIZE_PARAM = "leuven_kcc.acknowledgement_batch_size"
DEFAULT_ACK_BATCH_SIZE = 200
RETENTION_MONTHS_PARAM = "leuven_kcc.retention_months"
RETENTION_BATCH_PARAM = "leuven_kcc.retention_batch_size"
DEFAULT_RETENTION_BATCH = 200


class KccCase(models.Model):
    """A question, report, suggestion or complaint, followed until answered."""

    _name = "kcc.case"
    _description = "KCC Case"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "kcc.channel.mixin",
    ]
    _order = "priority desc, date_received desc, id desc"
    _rec_names_search = ["name", "subject", "contact_email"]
    _mail_post_access = "read"  # customers reply from the portal

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    subject = fields.Char(required=True, tracking=True, index="trigram")
    description = fields.Text(
        compute="_compute_description",
        inverse="_inverse_description",
        search="_search_description",
        help="Hidden from users outside the need-to-know groups when the case "
        "is sensitive.",
    )
    description_text = fields.Text(
        string="Description (stored)", groups="base.group_system", copy=True
    )
    sensitive = fields.Boolean(
        tracking=True,
        help="E.g. a complaint about a staff member: the description and the "
        "attachments are shown only to the handler group and KCC supervisors.",
    )
    is_confidential = fields.Boolean(
        string="Confidential",
        related="category_id.confidential",
        store=True,
        precompute=True,
        index=True,
        help="The category is confidential: only its handler group and KCC "
        "supervisors see the case.",
    )
    case_type = fields.Selection(
        CASE_TYPES, string="Type", required=True, default="question", tracking=True
    )
    channel = fields.Selection(required=True, default="phone")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, index="btree_not_null"
    )
    # indexed with the date for the customer's history (see init)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, precompute=True
    )
    partner_kind = fields.Selection(
        PARTNER_KINDS, compute="_compute_partner_kind", string="Customer Kind"
    )
    contact_name = fields.Char()
    contact_email = fields.Char()
    contact_phone = fields.Char()
    street = fields.Char(string="Address")
    postcode = fields.Char()
    city = fields.Char()
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    category_id = fields.Many2one(
        "kcc.case.category", tracking=True, index="btree_not_null"
    )
    handler_group_id = fields.Many2one("kcc.handler.group", tracking=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assignee",
        tracking=True,
        index="btree_not_null",
        domain=[("share", "=", False)],
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")], default="0"
    )
    state = fields.Selection(
        STATES, required=True, default="new", tracking=True, index=True, copy=False
    )
    citizen_state = fields.Selection(
        CITIZEN_STATES,
        string="Status for the Customer",
        compute="_compute_citizen_state",
        store=True,
        precompute=True,
    )
    is_open = fields.Boolean(
        compute="_compute_is_open", store=True, precompute=True, index=True
    )
    # which actions of the life cycle table the form offers (not stored)
    can_assign_to_me = fields.Boolean(compute="_compute_can_actions")
    can_start = fields.Boolean(compute="_compute_can_actions")
    can_resume = fields.Boolean(compute="_compute_can_actions")
    can_wait = fields.Boolean(compute="_compute_can_actions")
    can_answer = fields.Boolean(compute="_compute_can_actions")
    can_close = fields.Boolean(compute="_compute_can_actions")
    can_reopen = fields.Boolean(compute="_compute_can_actions")
    can_cancel = fields.Boolean(compute="_compute_can_actions")
    can_mark_duplicate = fields.Boolean(compute="_compute_can_actions")
    in_my_groups = fields.Boolean(
        compute="_compute_in_my_groups",
        search="_search_in_my_groups",
        help="The case is handled by one of the current user's handler groups.",
    )
    date_received = fields.Datetime(
        string="Received On", default=fields.Datetime.now, required=True, readonly=True
    )
    deadline = fields.Date(tracking=True, copy=False)
    deadline_paused_on = fields.Date(string="Waiting Since", copy=False, readonly=True)
    date_answered = fields.Datetime(string="Answered On", copy=False, readonly=True)
    date_closed = fields.Datetime(string="Closed On", copy=False, readonly=True)
    answered_late = fields.Boolean(copy=False, readonly=True)
    reminder_sent = fields.Boolean(
        copy=False, readonly=True, help="The assignee was reminded of the deadline."
    )
    escalated = fields.Boolean(
        copy=False, readonly=True, help="Group leaders and supervisors were alerted."
    )
    ack_pending = fields.Boolean(
        string="Acknowledgement pending",
        copy=False,
        readonly=True,
        help="The acknowledgement of receipt could not be queued at the intake: "
        "a scheduled job tries again every minute.",
    )
    is_late = fields.Boolean(
        string="Late", compute="_compute_is_late", search="_search_is_late"
    )
    first_line = fields.Boolean(
        string="Resolved in First Line",
        help="Answered by the KCC itself, without a department.",
    )
    resolution = fields.Html(sanitize=True)
    duplicate_of_id = fields.Many2one("kcc.case", copy=False, index="btree_not_null")
    routing_rule_id = fields.Many2one("kcc.routing.rule", readonly=True, copy=False)
    routing_reason = fields.Selection(
        [
            ("rule", "Routing rule"),
            ("category", "Category default"),
            ("kcc", "KCC queue"),
            ("manual", "Chosen by hand"),
            ("alias", "E-mail to the group"),
            ("error", "Routing failed"),
        ],
        readonly=True,
        copy=False,
    )
    # the customer's link is his alone: with it, logged out, the portal shows
    # a sensitive case's text and files. Nobody reads it, not even who may read
    # the case: the notifications to the customer and the portal pages make
    # it with sudo
    access_token = fields.Char(groups="base.group_system")
    # the key of a website form is its submission token: whoever knows it gets
    # the customer's link to the case (the form answers a resubmission with it)
    idempotency_key = fields.Char(
        copy=False, readonly=True, index="btree_not_null", groups="base.group_system"
    )
    # as received by the channel; shown to the KCC through ``submission_text``,
    # which hides it like the description
    raw_submission = fields.Text(
        string="Raw Submission (stored)",
        copy=False,
        readonly=True,
        groups="base.group_system",
    )
    submission_text = fields.Text(
        string="Raw Submission",
        compute="_compute_submission_text",
        search="_search_submission_text",
        groups="leuven_kcc.group_kcc_agent",
        help="The values as the channel sent them; hidden like the description "
        "when the case is sensitive.",
    )
    transfer_ids = fields.One2many("kcc.case.transfer", "case_id", string="Transfers")
    contact_ids = fields.One2many("kcc.contact", "case_id", string="Contacts")
    share_ids = fields.One2many(
        "kcc.case.share", "case_id", string="Shared With", readonly=True
    )
    reporter_ids = fields.One2many(
        "kcc.case.reporter",
        "case_id",
        string="Additional Reporters",
        readonly=True,
        groups="leuven_kcc.group_kcc_handler",
        help="People who reported the same problem later: they are told about "
        "the status and the answer, without access to the case.",
    )
    transfer_count = fields.Integer(compute="_compute_transfer_count")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "idempotency_key_uniq",
            "unique(idempotency_key)",
            "This submission was already registered.",
        ),
    ]

    def init(self):
        # the escalation cron and the "late" list only look at open cases; the
        # late list is counted from the index alone (the columns of the "late"
        # condition and of the access rules are included)
        cr = self.env.cr
        ensure_index(
            cr,
            "kcc_case_open_deadline_idx",
            self._table,
            ["deadline"],
            include=[
                "deadline_paused_on",
                "answered_late",
                "is_confidential",
                "handler_group_id",
                "is_open",  # the "late" condition repeats it inside an OR
            ],
            where="is_open",
        )
        # a customer's history: his latest cases, counted per open/finished
        ensure_index(
            cr,
            "kcc_case_customer_history_idx",
            self._table,
            ["commercial_partner_id", "date_received DESC", "id DESC"],
            include=["is_open", "is_confidential", "handler_group_id"],
            where="commercial_partner_id IS NOT NULL",
        )
        # a handler's queue: the open cases of his groups, in the list's order;
        # with the assignee and confidentiality included, the queue is counted
        # and the handler's record rule checked on the index alone
        ensure_index(
            cr,
            "kcc_case_open_group_idx",
            self._table,
            ["handler_group_id", "priority DESC", "date_received DESC", "id DESC"],
            include=["user_id", "is_confidential"],
            where="is_open",
        )
        # the attachment rule of internal users lists the sensitive cases
        # outside their groups on every attachment query (a few among millions)
        create_index(
            self.env.cr,
            "kcc_case_sensitive_idx",
            self._table,
            ["handler_group_id"],
            where="sensitive",
        )
        # the acknowledgement job reads only the cases still waiting for one
        create_index(
            self.env.cr,
            "kcc_case_ack_pending_idx",
            self._table,
            ["id"],
            where="ack_pending",
        )
        # the open and late lists of the KCC, in the list's order: the first
        # page is read from the index instead of sorting every open case
        create_index(
            self.env.cr,
            "kcc_case_open_order_idx",
            self._table,
            ["priority DESC", "date_received DESC", "id DESC"],
            where="is_open",
        )

    # ------------------------------------------------------------ computes

    @api.depends("handler_group_id")
    @api.depends_context("uid")
    def _compute_in_my_groups(self):
        mine = self.env.user.kcc_handler_group_ids
        for case in self:
            case.in_my_groups = case.handler_group_id in mine

    def _search_in_my_groups(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'In My Groups'."))
        # the group ids as a list: PostgreSQL then reads the queue in the
        # list's order from its index instead of sorting all open cases
        domain = [("handler_group_id", "in", self.env.user.kcc_handler_group_ids.ids)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("partner_id.is_company", "partner_id.kcc_is_association")
    def _compute_partner_kind(self):
        for case in self:
            partner = case.partner_id.commercial_partner_id
            if not partner:
                case.partner_kind = False
            elif partner.kcc_is_association:
                case.partner_kind = "association"
            elif partner.is_company:
                case.partner_kind = "company"
            else:
                case.partner_kind = "person"

    @api.depends("state")
    def _compute_can_actions(self):
        for case in self:
            offered = states.available_actions(case.state or states.NEW)
            for action in states.ACTIONS:
                case[f"can_{action}"] = action in offered

    @api.depends("state")
    def _compute_citizen_state(self):
        for case in self:
            case.citizen_state = states.CITIZEN_STATE_OF.get(case.state)

    @api.depends("state")
    def _compute_is_open(self):
        for case in self:
            case.is_open = case.state in states.OPEN_STATES

    @api.depends("deadline", "state", "deadline_paused_on")
    @api.depends_context("tz")
    def _compute_is_late(self):
        # late means one thing everywhere (lists, dashboard, reports): still
        # open and past its deadline today; a case answered after its
        # deadline is "answered late" (``answered_late``), no longer late
        today = fields.Date.context_today(self)
        for case in self:
            case.is_late = bool(
                case.is_open
                and case.deadline
                and not case.deadline_paused_on
                and case.deadline < today
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on late cases."))
        late = self._late_domain()
        positive = (operator == "=") == value
        return late if positive else ["!", *late]

    @api.model
    def _late_domain(self):
        """Open cases past their deadline today (the user's day)."""
        return [
            ("is_open", "=", True),
            ("deadline_paused_on", "=", False),
            ("deadline", "<", fields.Date.context_today(self)),
        ]

    def _compute_transfer_count(self):
        counts = dict(
            self.env["kcc.case.transfer"]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
        )
        for case in self:
            case.transfer_count = counts.get(case, 0)

    def _compute_access_url(self):
        for case in self:
            case.access_url = f"/my/cases/{case.id}"

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for case in self:
            case.display_name = f"{case.name} {case.subject or ''}".strip()

    # ------------------------------------------------------------ constraints

    @api.constrains("duplicate_of_id")
    def _check_duplicate_of(self):
        for case in self:
            if case.duplicate_of_id == case:
                raise ValidationError(self.env._("A case cannot duplicate itself."))

    @api.constrains("contact_email")
    def _check_contact_email(self):
        for case in self:
            if case.contact_email and not email_normalize(case.contact_email):
                raise ValidationError(
                    self.env._(
                        "%(email)s is not a valid e-mail address.",
                        email=case.contact_email,
                    )
                )

    # ------------------------------------------------------------ create / write

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("kcc.case")
            if vals.get("handler_group_id") and not vals.get("routing_reason"):
                vals["routing_reason"] = "manual"
            if self.env.su and "description" in vals:
                # no inverse (an UPDATE) needed: the system may write the text
                vals.setdefault("description_text", vals.pop("description"))
        # routing and deadline go into the values, before the INSERT: one
        # statement per case, no UPDATE after it; routing before deadlines,
        # as the group's calendar sets the deadline
        unrouted = self._prepare_routing_deadline(vals_list)
        thread_context = {"mail_create_nosubscribe": True}
        if self.env.context.get("kcc_intake"):
            # no creation message, no tracking, subscriptions below: nothing
            # is left for mail.thread's create to do
            thread_context["tracking_disable"] = True
        Thread = super(KccCase, self.with_context(**thread_context))
        cases = Thread.create(vals_list).with_env(self.env)
        cases._subscribe_creator_and_customer()
        for index in unrouted:
            cases[index].message_post(
                body=self.env._("Routing failed; the case was put in the KCC queue."),
                subtype_xmlid="mail.mt_note",
            )
        return cases

    @api.model
    def _prepare_routing_deadline(self, vals_list):
        """Set the routing (group, rule, reason) and the deadline of new cases
        in their create values; returns the indexes whose routing failed."""
        Case = self.sudo()
        Rule = self.env["kcc.routing.rule"].sudo()
        defaults = Case.default_get(
            ["case_type", "channel", "company_id", "date_received"]
        )
        plain_rules = None
        calendars = {}  # one read of each calendar for the whole batch
        failed = []
        for index, vals in enumerate(vals_list):
            route = not vals.get("handler_group_id")
            # every case gets a deadline: its category's, else its group's
            schedule = not vals.get("deadline")
            if not (route or schedule):
                continue
            draft = Case.new({**defaults, **vals})
            if route:
                if plain_rules is None:
                    plain_rules = Rule._plain_rules()
                try:  # the rules are evaluated in memory: no savepoint needed
                    group, rule, reason = Rule._route(
                        draft._routing_values(), draft.category_id, plain_rules
                    )
                except Exception:
                    _logger.exception("Routing of case %s failed", vals.get("name"))
                    group = self.env["kcc.handler.group"].sudo()._kcc_queue()
                    rule, reason = Rule, "error"
                    failed.append(index)
                vals.update(
                    handler_group_id=group.id,
                    routing_rule_id=rule.id,
                    routing_reason=reason,
                )
                draft.handler_group_id = group
            if schedule:
                calendar = (
                    draft.handler_group_id.resource_calendar_id
                    or draft.company_id.resource_calendar_id
                )
                if calendar not in calendars:
                    calendars[calendar] = self._calendar_days(calendar)
                workdays, holidays = calendars[calendar]
                days, unit = draft._deadline_terms()
                vals["deadline"] = deadlines.compute_deadline(
                    self._calendar_date(calendar, draft.date_received),
                    days,
                    unit=unit,
                    workdays=workdays,
                    holidays=holidays,
                )
        return failed

    def write(self, vals):
        if {"sensitive", "category_id", "handler_group_id"} & vals.keys():
            self._check_need_to_know_change(vals)
        if {"sensitive", "handler_group_id"} & vals.keys():
            self.invalidate_recordset(["description", "submission_text"])
        if "deadline" in vals:
            # a new deadline gets its own reminder and escalation
            vals = {**vals, "reminder_sent": False, "escalated": False}
        if "state" not in vals:
            return super().write(vals)
        target = vals["state"]
        for case in self:
            if case.state != target:
                case._check_transition(target)
        result = True
        assigned = self.browse()
        moved = self.filtered(lambda c: c.state != target)
        for case in self:
            extra = case._state_side_effects(target) if case.state != target else {}
            if target == "assigned" and case.state != target:
                assigned |= case
            result &= super(KccCase, case).write({**vals, **extra})
        assigned._queue_work_order()
        moved._notify_reporters()
        return result

    # ------------------------------------------------------------ routing & deadline

    def _routing_values(self):
        self.ensure_one()
        return {
            "type": self.case_type,
            "channel": self.channel,
            "category_id": self.category_id.id,
            "subject": self.subject,
            "description": self.description,
            "postcode": self.postcode or self.partner_id.zip,
            "partner_kind": self.partner_kind,
        }

    def _apply_routing(self):
        """Route each case to a handler group; on failure, to the KCC queue."""
        Rule = self.env["kcc.routing.rule"]
        plain_rules = Rule._plain_rules() if self else []
        for case in self:
            try:
                with self.env.cr.savepoint():
                    group, rule, reason = Rule._route(
                        case._routing_values(), case.category_id, plain_rules
                    )
            except Exception:
                _logger.exception("Routing of case %s failed", case.name)
                group = self.env["kcc.handler.group"]._kcc_queue()
                rule, reason = Rule, "error"
                case.message_post(
                    body=self.env._(
                        "Routing failed; the case was put in the KCC queue."
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            case.write(
                {
                    "handler_group_id": group.id,
                    "routing_rule_id": rule.id,
                    "routing_reason": reason,
                }
            )

    def _deadline_calendar(self):
        """(workdays, holidays) of the case's handler group calendar."""
        self.ensure_one()
        return self._calendar_days(
            self.handler_group_id.resource_calendar_id
            or self.company_id.resource_calendar_id
        )

    @api.model
    def _calendar_days(self, calendar):
        """(working weekdays, holiday dates) of ``calendar`` as plain data.

        Cached per calendar and day until a calendar, its hours or a leave
        changes (``resource_calendar.py``): every intake sets a deadline.
        """
        if not calendar:
            return deadlines.WEEKDAYS, frozenset()
        return self._calendar_days_cached(calendar.id, fields.Date.today())

    @api.model
    def _calendar_date(self, calendar, moment):
        """The date of ``moment`` (UTC) where ``calendar`` works: its time
        zone, else the user's."""
        tz = calendar and self._calendar_tz(calendar.id)
        if not tz:
            return fields.Date.context_today(self, moment)
        return pytz.utc.localize(moment).astimezone(pytz.timezone(tz)).date()

    @tools.ormcache("calendar_id")
    def _calendar_tz(self, calendar_id):
        return self.env["resource.calendar"].sudo().browse(calendar_id).tz or False

    @tools.ormcache("calendar_id", "today")
    def _calendar_days_cached(self, calendar_id, today):
        calendar = self.env["resource.calendar"].sudo().browse(calendar_id)
        workdays = (
            frozenset(
                int(att.dayofweek)
                for att in calendar.attendance_ids
                if att.display_type != "line_section"
            )
            or deadlines.WEEKDAYS
        )
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("calendar_id", "in", [calendar.id, False]),
                    ("resource_id", "=", False),
                    ("date_to", ">=", today - dt.timedelta(days=400)),
                ]
            )
        )
        holidays = set()
        for leave in leaves:
            day = leave.date_from.date()
            while day <= leave.date_to.date():
                holidays.add(day)
                day += dt.timedelta(days=1)
        return workdays, frozenset(holidays)

    def _deadline_terms(self):
        """(days, unit) to answer this case: its category's deadline, else its
        handler group's default response time, else the company-wide one."""
        self.ensure_one()
        category = self.category_id.sudo()
        if category:
            return category.deadline_days, category.deadline_unit
        days = self.handler_group_id.sudo().default_response_days
        if not days:
            days = self._get_param_int(
                DEFAULT_RESPONSE_DAYS_PARAM, DEFAULT_RESPONSE_DAYS
            )
        return max(days, 0), "working"

    def _apply_deadline(self):
        """(Re)compute the deadline from the day the case was received."""
        calendars = {}  # one read of each calendar for the whole batch
        for case in self:
            calendar = (
                case.handler_group_id.resource_calendar_id
                or case.company_id.resource_calendar_id
            )
            if calendar not in calendars:
                calendars[calendar] = self._calendar_days(calendar)
            workdays, holidays = calendars[calendar]
            days, unit = case._deadline_terms()
            case.deadline = deadlines.compute_deadline(
                self._calendar_date(calendar, case.date_received),
                days,
                unit=unit,
                workdays=workdays,
                holidays=holidays,
            )

    # ------------------------------------------------------------ states

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    def _check_transition(self, target):
        self.ensure_one()
        try:
            states.check_transition(self.state, target)
        except (states.TransitionError, KeyError) as err:
            raise UserError(
                self.env._(
                    "Case %(ref)s cannot go from '%(current)s' to '%(target)s'.",
                    ref=self.name,
                    current=self._state_label(self.state),
                    target=self._state_label(target)
                    if target in dict(STATES)
                    else target,
                )
            ) from err
        if target == "reopened":
            days = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(REOPEN_DAYS_PARAM, DEFAULT_REOPEN_DAYS)
            )
            limit = (self.date_answered or fields.Datetime.now()) + dt.timedelta(
                days=days
            )
            if fields.Datetime.now() > limit:
                raise UserError(
                    self.env._(
                        "Case %(ref)s was answered more than %(days)s days ago and "
                        "can no longer be reopened; please submit a new question.",
                        ref=self.name,
                        days=days,
                    )
                )

    def _state_side_effects(self, target):
        """Values that go with moving this case to ``target``."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        extra = {}
        if target == "waiting":
            extra["deadline_paused_on"] = today
        elif self.state == "waiting" and self.deadline_paused_on:
            workdays, holidays = self._deadline_calendar()
            if self.deadline:
                extra["deadline"] = deadlines.extend_for_pause(
                    self.deadline,
                    self.deadline_paused_on,
                    today,
                    workdays=workdays,
                    holidays=holidays,
                )
            extra["deadline_paused_on"] = False
        if target == "answered":
            extra["date_answered"] = fields.Datetime.now()
            if self.deadline and self.deadline < today:
                extra["answered_late"] = True
        elif target in ("closed", "cancelled"):
            # the retention period of a finished case runs from this date
            extra["date_closed"] = fields.Datetime.now()
        return extra

    def action_assign_to_me(self):
        for case in self:
            values = {"user_id": self.env.user.id}
            target = states.ACTIONS["assign_to_me"].target
            if case.state != target and case.can_assign_to_me:
                values["state"] = target
            case.write(values)

    def action_start(self):
        self.write({"state": states.ACTIONS["start"].target})

    def action_wait(self):
        """Wait on the customer: the question to him is asked first (the
        wizard sends it, see ``_wait_on_customer``)."""
        self.ensure_one()
        self._check_transition(states.ACTIONS["wait"].target)
        return self._open_citizen_wizard(
            "kcc.case.wait.wizard", self.env._("Wait on Customer")
        )

    def action_resume(self):
        self.write({"state": states.ACTIONS["resume"].target})

    def action_answer(self):
        for case in self:
            if is_html_empty(case.resolution):
                raise UserError(
                    self.env._(
                        "Write the answer in the Resolution field before marking "
                        "case %(ref)s as answered.",
                        ref=case.name,
                    )
                )
        self.write({"state": states.ACTIONS["answer"].target})

    def action_close(self):
        self.write({"state": states.ACTIONS["close"].target})

    def action_reopen(self):
        self.write({"state": states.ACTIONS["reopen"].target})

    def _portal_reopen(self, reason, user):
        """The customer is not satisfied with the answer and says why."""
        self.ensure_one()
        _ = self.env._
        reason = (reason or "").strip()
        organisation = user.partner_id.commercial_partner_id
        if organisation != self.partner_id.commercial_partner_id and (
            self.sudo().share_ids.filtered(lambda s: s.organisation_id == organisation)
        ):
            raise UserError(_("Only the customer can reopen the case."))
        if not self.can_reopen:
            raise UserError(_("Only an answered case can be reopened."))
        if not reason:
            raise UserError(_("Tell us why you are not satisfied with the answer."))
        self.write({"state": "reopened"})
        self.message_post(
            body=_("Not satisfied with the answer: %(reason)s", reason=reason),
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def action_cancel(self):
        """Cancel the case: the reason is asked first (see ``_cancel``)."""
        self.ensure_one()
        self._check_transition(states.ACTIONS["cancel"].target)
        return self._open_citizen_wizard(
            "kcc.case.cancel.wizard", self.env._("Cancel Case")
        )

    def _open_citizen_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_open_transfer_wizard(self):
        self.ensure_one()
        kind = "transfer"
        if not self.env.user.has_group("leuven_kcc.group_kcc_agent"):
            kind = "hand_back"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer Case"),
            "res_model": "kcc.case.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id, "default_kind": kind},
        }

    def _transfer_to(self, group, reason, kind="transfer"):
        """Move the case to ``group``; the deadline is kept."""
        self.ensure_one()
        self._check_need_to_know_change({"handler_group_id": group.id})
        previous = self.handler_group_id
        self.env["kcc.case.transfer"].sudo().create(
            {
                "case_id": self.id,
                "from_group_id": previous.id,
                "to_group_id": group.id,
                "reason": reason,
                "kind": kind,
                "user_id": self.env.user.id,
            }
        )
        values = {"handler_group_id": group.id, "routing_reason": "manual"}
        if self.user_id and self.user_id not in group.member_ids:
            values["user_id"] = False
        if self.state == "in_progress":
            values["state"] = "assigned"
        self.message_post(
            body=self.env._(
                "Moved from %(old)s to %(new)s by %(user)s: %(reason)s",
                old=previous.name or "-",
                new=group.name,
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.sudo().write(values)

    def action_view_transfers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfers"),
            "res_model": "kcc.case.transfer",
            "view_mode": "list,form",
            "domain": [("case_id", "=", self.id)],
        }

    # ------------------------------------------------------------ settings

    def _get_param_int(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

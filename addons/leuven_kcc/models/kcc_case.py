import datetime as dt
import json
import logging
import random

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv.expression import OR as expression_or
from odoo.tools import email_normalize, html2plaintext, is_html_empty
from odoo.tools.mail import email_split_tuples
from odoo.tools.sql import create_index, escape_psql

from leuven.kcc import deadlines, geo, inputs, privacy, states

from .sql_index import ensure_index

_logger = logging.getLogger(__name__)

CASE_TYPES = [
    ("question", "Question"),
    ("report", "Report"),
    ("suggestion", "Suggestion"),
    ("complaint", "Complaint"),
]
CHANNELS = [
    ("web_form", "Contact form"),
    ("report_form", "Report form"),
    ("phone", "Phone"),
    ("counter", "Counter"),
    ("email", "E-mail"),
    ("assistant", "Digital assistant"),
    ("portal", "Portal"),
    ("letter", "Letter"),
    ("api", "API"),
    ("burgerprofiel", "Mijn Burgerprofiel"),
]
PARTNER_KINDS = [
    ("person", "Person"),
    ("company", "Company"),
    ("association", "Association"),
]
STATES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting on Customer"),
    ("answered", "Answered"),
    ("reopened", "Reopened"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
    ("duplicate", "Duplicate"),
]
CITIZEN_STATES = [
    ("received", "Received"),
    ("in_treatment", "Being handled"),
    ("waiting", "Waiting for your reply"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
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
PLANNING_URL_PARAM = "leuven_kcc.planning_url"
PLANNING_TOKEN_PARAM = "leuven_kcc.planning_token"
DUPLICATE_DAYS_PARAM = "leuven_kcc.duplicate_days"
DUPLICATE_RADIUS_PARAM = "leuven_kcc.duplicate_radius_m"
REOPEN_DAYS_PARAM = "leuven_kcc.reopen_days"
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
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
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
        index=True,
        help="The category is confidential: only its handler group and KCC "
        "supervisors see the case.",
    )
    need_to_know = fields.Boolean(
        compute="_compute_need_to_know",
        help="The current user belongs to the need-to-know groups of this case.",
    )
    description_hidden = fields.Boolean(compute="_compute_need_to_know")
    case_type = fields.Selection(
        CASE_TYPES, string="Type", required=True, default="question", tracking=True
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, index="btree_not_null"
    )
    # indexed with the date for the customer's history (see init)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True
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
    )
    is_open = fields.Boolean(compute="_compute_is_open", store=True, index=True)
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
        help="The acknowledgement of receipt is posted by a scheduled job "
        "within a minute of the intake.",
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
    raw_submission = fields.Text(copy=False, readonly=True, groups="base.group_system")
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
    possible_duplicate_ids = fields.Many2many(
        "kcc.case",
        string="Possible Duplicates",
        compute="_compute_possible_duplicate_ids",
        help="Open reports in the same category near the same place, made recently.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    work_order_ref = fields.Char(
        string="Work Order", copy=False, readonly=True, index="btree_not_null"
    )
    work_order_state = fields.Selection(
        WORK_ORDER_STATES, copy=False, readonly=True, tracking=True
    )
    work_order_date = fields.Date(copy=False, readonly=True)
    work_order_note = fields.Text(copy=False, readonly=True)
    anonymised_on = fields.Datetime(
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The personal data and free text of this case were removed on this "
        "date; type, category, group, dates and states were kept for the figures.",
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

    # ------------------------------------------------------------ need to know

    def _need_to_know_map(self):
        """{case id: bool}: may the current user see the free text of the case?

        The need-to-know groups are the case's handler group and the KCC
        supervisors; the customer himself may see his own case.
        """
        env = self.env
        if env.su or env.user.has_group("leuven_kcc.group_kcc_supervisor"):
            return dict.fromkeys(self._ids, True)
        user = env.user
        commercial = user.partner_id.commercial_partner_id
        result = {}
        for case in self.sudo():
            result[case._origin.id or case.id] = bool(
                user in case.handler_group_id.member_ids
                or (
                    user.share
                    and case.partner_id
                    and case.partner_id.commercial_partner_id == commercial
                )
            )
        return result

    def _portal_hides_private(self, user):
        """Whether the portal page of this case hides its free text and files
        from ``user``: the customer (logged in, or through the link of his
        e-mails) and the need-to-know groups see them, a partner organisation
        the sensitive case is shared with does not."""
        self.ensure_one()
        if not self.sensitive:
            return False
        viewer = self.with_user(user)
        if not viewer.has_access("read"):  # came through the customer's link
            return False
        return not viewer._need_to_know_map()[self.id]

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        """The access token is the customer's link: a logged-in portal user who
        reads the case through his own access (a partner organisation it is
        shared with) is sent to the page without it."""
        user = self.env.user
        if share_token and user.share and not user._is_public():
            share_token = not self.has_access("read")
        return super()._get_share_url(
            redirect=redirect,
            signup_partner=signup_partner,
            pid=pid,
            share_token=share_token,
        )

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """The messages of a sensitive case reach, besides those they are
        addressed to, only its need-to-know groups and the customer: another
        follower (e.g. the agent who registered it) is not sent their text."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if len(self) != 1 or not self.sudo().sensitive:
            return recipients
        if msg_vals and "partner_ids" in msg_vals:
            addressed = set(msg_vals["partner_ids"] or [])
        else:
            addressed = set(message.sudo().partner_ids.ids)
        customer = self.sudo().partner_id.commercial_partner_id
        Partner = self.env["res.partner"].sudo()
        kept = []
        for recipient in recipients:
            partner = Partner.browse(recipient["id"])
            uid = recipient.get("uid")
            if (
                recipient["id"] in addressed
                or (customer and partner.commercial_partner_id == customer)
                or (uid and self.with_user(uid)._need_to_know_map()[self.id])
            ):
                kept.append(recipient)
        return kept

    @api.depends("sensitive", "handler_group_id", "partner_id")
    @api.depends_context("uid")
    def _compute_need_to_know(self):
        allowed = self._need_to_know_map()
        for case in self:
            case.need_to_know = allowed.get(case._origin.id or case.id, True)
            case.description_hidden = case.sensitive and not case.need_to_know

    @api.depends("description_text")
    @api.depends_context("uid")
    def _compute_description(self):
        # not depending on ``sensitive``: a description typed in a new case's
        # form must survive a change of handler group; write() invalidates it
        hidden_text = self.env._("Hidden: this case is sensitive.")
        for case in self:
            text = case.sudo().description_text
            case.description = hidden_text if text and case.description_hidden else text

    def _inverse_description(self):
        for case in self:
            if case.description_hidden:
                raise AccessError(
                    self.env._(
                        "Only the handler group and KCC supervisors may change "
                        "the description of a sensitive case."
                    )
                )
            case.sudo().description_text = case.description

    def _search_need_to_know_text(self, stored_field, operator, value):
        """Search a stored text of the case, but never into the sensitive
        cases the user may not read (no guessing their text by searching)."""
        matching = self.sudo()._search([(stored_field, operator, value)])
        domain = [("id", "in", matching)]
        if self.env.su or self.env.user.has_group("leuven_kcc.group_kcc_supervisor"):
            return domain
        return domain + [
            "|",
            ("sensitive", "=", False),
            ("handler_group_id.member_ids", "in", self.env.uid),
        ]

    def _search_description(self, operator, value):
        return self._search_need_to_know_text("description_text", operator, value)

    @api.depends("raw_submission")
    @api.depends_context("uid")
    def _compute_submission_text(self):
        # the raw submission repeats the description: the same need-to-know
        hidden_text = self.env._("Hidden: this case is sensitive.")
        for case in self:
            text = case.sudo().raw_submission
            hidden = text and case.description_hidden
            case.submission_text = hidden_text if hidden else text

    def _search_submission_text(self, operator, value):
        return self._search_need_to_know_text("raw_submission", operator, value)

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
    def _compute_citizen_state(self):
        for case in self:
            case.citizen_state = states.CITIZEN_STATE_OF.get(case.state)

    @api.depends("state")
    def _compute_is_open(self):
        for case in self:
            case.is_open = case.state in states.OPEN_STATES

    @api.depends("deadline", "state", "answered_late", "deadline_paused_on")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for case in self:
            if case.answered_late:
                case.is_late = True
            elif case.is_open and case.deadline and not case.deadline_paused_on:
                case.is_late = case.deadline < today
            else:
                case.is_late = False

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on late cases."))
        today = fields.Date.context_today(self)
        late = [
            "|",
            ("answered_late", "=", True),
            "&",
            "&",
            ("is_open", "=", True),
            ("deadline_paused_on", "=", False),
            ("deadline", "<", today),
        ]
        positive = (operator == "=") == value
        return late if positive else ["!", *late]

    def _compute_transfer_count(self):
        counts = dict(
            self.env["kcc.case.transfer"]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
        )
        for case in self:
            case.transfer_count = counts.get(case, 0)

    @api.depends(
        "case_type", "category_id", "street", "postcode", "latitude", "longitude"
    )
    @api.depends_context("uid")
    def _compute_possible_duplicate_ids(self):
        # searched as the current user: only the cases he may read
        for case in self:
            if case.case_type != "report" or case.state not in ("new", "assigned"):
                case.possible_duplicate_ids = False
                continue
            case.possible_duplicate_ids = self._find_nearby_reports(
                {
                    "category_id": case.category_id.id,
                    "street": case.street,
                    "postcode": case.postcode,
                    "latitude": case.latitude,
                    "longitude": case.longitude,
                },
                exclude=case._origin,
            )

    @api.model
    def _find_nearby_reports(self, values, exclude=None, limit=5, public=False):
        """Open reports of the same category near the same location, made
        within the configured number of days (newest first).

        Searched as the current user (his access rules apply). With ``public``
        (the report form of the website, also for anonymous visitors) searched
        as superuser among the reports that may be shown to anyone: not
        sensitive, not in a confidential category; show them with
        :meth:`_public_report_summary` only. Only a real point (not 0/0 or a
        value next to it) or a real street address is compared.
        """
        get = self._get_param_int
        days = get(DUPLICATE_DAYS_PARAM, 14)
        radius = get(DUPLICATE_RADIUS_PARAM, 50)
        since = fields.Datetime.now() - dt.timedelta(days=days)
        domain = [
            ("case_type", "=", "report"),
            ("is_open", "=", True),
            ("date_received", ">=", since),
        ]
        Case = self
        if public:
            Case = self.sudo()
            domain += [("sensitive", "=", False), ("is_confidential", "=", False)]
        if values.get("category_id"):
            domain.append(("category_id", "=", values["category_id"]))
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        found = Case.browse()
        try:
            lat, lon = inputs.parse_point(
                values.get("latitude") or None, values.get("longitude") or None
            )
        except inputs.InputError:
            lat = lon = None
        if lat is not None and inputs.is_real_point(lat, lon):
            dlat, dlon = geo.degrees_box(lat, radius)
            box = [
                ("latitude", ">=", lat - dlat),
                ("latitude", "<=", lat + dlat),
                ("longitude", ">=", lon - dlon),
                ("longitude", "<=", lon + dlon),
            ]
            found = Case.search(domain + box, order="date_received desc").filtered(
                lambda c: geo.distance_m(lat, lon, c.latitude, c.longitude) <= radius
            )
        street = values.get("street")
        street = street.strip() if isinstance(street, str) else ""
        if geo.normalize_address(street):
            key = geo.normalize_address(street, values.get("postcode"))
            same_street = Case.search(
                domain + [("street", "=ilike", escape_psql(street))],
                order="date_received desc",
            ).filtered(lambda c: geo.normalize_address(c.street, c.postcode) == key)
            found |= same_street
        return found.sorted("date_received", reverse=True)[:limit]

    def _public_report_summary(self):
        """What the report form may show anyone about these reports: the
        reference, the category, the street without house number, the status
        for the customer and the date; never a subject, description or name."""
        labels = dict(self._fields["citizen_state"]._description_selection(self.env))
        return [
            {
                "id": case.id,
                "reference": case.name,
                "category": case.category_id.name or "",
                "street": geo.street_name(case.street),
                "status": labels.get(case.citizen_state, ""),
                "date": fields.Date.context_today(case, case.date_received),
            }
            for case in self.sudo()
        ]

    def _follow_existing(self, contact_values, channel):
        """Someone reports a problem that is already known: log the contact on
        this case instead of opening a new one, and register him as an
        additional reporter, who is told about the progress. He does not
        become a follower: no access to the case, none of its messages."""
        self.ensure_one()
        contact = (
            self.env["kcc.contact"]
            .sudo()
            .create(
                {
                    **contact_values,
                    "channel": channel,
                    "case_id": self.id,
                    "summary": self.env._("Reported the same problem again"),
                }
            )
        )
        self.sudo().message_post(
            body=self.env._("The same problem was reported again (%(channel)s).",
                            channel=dict(CHANNELS).get(channel, channel)),
            subtype_xmlid="mail.mt_note",
        )  # fmt: skip
        self.env["kcc.case.reporter"]._add_people(
            self, [{**contact_values, "lang": self.env.lang}], channel
        )
        return contact

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
        cases = super().create(vals_list)
        to_route = to_schedule = self.browse()
        for case, vals in zip(cases, vals_list):
            if not vals.get("handler_group_id"):
                to_route |= case
            elif not vals.get("routing_reason"):
                case.routing_reason = "manual"
            if not vals.get("deadline"):
                to_schedule |= case
            if case.partner_id:
                case.message_subscribe(partner_ids=case.partner_id.ids)
        # routing before deadlines: the group's calendar sets the deadline;
        # like the values given to create, they are not tracked as changes
        # routing a new case is the system's move, not the user's (see
        # _check_need_to_know_change: the user typed the text himself)
        to_route.sudo().with_context(mail_notrack=True)._apply_routing()
        to_schedule.with_context(mail_notrack=True)._apply_deadline()
        return cases

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

    def _notify_reporters(self):
        """Tell the additional reporters of these cases their new status (and
        the answer), in one batch of queued e-mails."""
        if self:
            self.env["kcc.case.reporter"].sudo().search(
                [("case_id", "in", self.ids)]
            )._notify_progress()

    def _check_need_to_know_change(self, vals):
        """Who may hide or unhide a case, and the audit of every such change.

        - ``sensitive``: whoever may write the case may mark it sensitive (the
          first line protects a complaint at intake); lifting it is reserved
          to the need-to-know groups (the handler group and supervisors).
        - ``category_id``: the same for a move out of a confidential category
          (only the need-to-know groups can write a confidential case anyway).
        - ``handler_group_id`` of a sensitive case: the KCC still transfers it
          without reading it, and the new group then has the need to know. But
          a user without the need to know may not move it into a group he is
          a member of (he would read it by moving it): a supervisor or a
          member of its group does that.
        Each of these changes is written to the audit log. The moves the system
        makes itself (routing at intake, transfers after their checks) run
        with sudo and are not checked again here.
        """
        if self.env.su:
            return
        _ = self.env._
        Log = self.env["kcc.audit.log"]
        allowed = self._need_to_know_map()
        Category = self.env["kcc.case.category"].sudo()
        category = Category.browse(vals.get("category_id") or ())
        Group = self.env["kcc.handler.group"].sudo()
        group = Group.browse(vals.get("handler_group_id") or ())
        for case in self:
            need_to_know = allowed.get(case.id, False)
            if "sensitive" in vals and bool(vals["sensitive"]) != case.sensitive:
                if not vals["sensitive"] and not need_to_know:
                    raise AccessError(
                        _(
                            "Only the handler group of case %(ref)s and KCC "
                            "supervisors may lift its sensitivity.",
                            ref=case.name,
                        )
                    )
                Log._log(
                    "sensitivity",
                    case,
                    purpose=_("Marked sensitive")
                    if vals["sensitive"]
                    else _("No longer sensitive"),
                )
            if "category_id" in vals and category.confidential != case.is_confidential:
                if case.is_confidential and not need_to_know:
                    raise AccessError(
                        _(
                            "Only the handler group of case %(ref)s and KCC "
                            "supervisors may lift its confidentiality.",
                            ref=case.name,
                        )
                    )
                Log._log(
                    "confidentiality",
                    case,
                    purpose=_("Made confidential")
                    if category.confidential
                    else _("No longer confidential"),
                )
            if (
                "handler_group_id" in vals
                and case.sensitive
                and group != case.handler_group_id
            ):
                case._check_sensitive_move(group, need_to_know)

    def _check_sensitive_move(self, group, need_to_know):
        """Refuse or audit the move of this sensitive case to ``group``."""
        self.ensure_one()
        _ = self.env._
        if not need_to_know and self.env.user in group.sudo().member_ids:
            raise AccessError(
                _(
                    "Case %(ref)s is sensitive: you would see its text by moving "
                    "it to your own group %(group)s. Ask a KCC supervisor.",
                    ref=self.name,
                    group=group.name,
                )
            )
        self.env["kcc.audit.log"]._log(
            "move_sensitive",
            self,
            purpose=_(
                "Sensitive case moved from %(old)s to %(new)s",
                old=self.sudo().handler_group_id.name or "-",
                new=group.name or "-",
            ),
        )

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

    def _apply_deadline(self):
        calendars = {}  # one read of each calendar for the whole batch
        for case in self.filtered("category_id"):
            calendar = (
                case.handler_group_id.resource_calendar_id
                or case.company_id.resource_calendar_id
            )
            if calendar not in calendars:
                calendars[calendar] = self._calendar_days(calendar)
            workdays, holidays = calendars[calendar]
            start = fields.Date.context_today(case, case.date_received)
            case.deadline = deadlines.compute_deadline(
                start,
                case.category_id.deadline_days,
                unit=case.category_id.deadline_unit,
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
            if case.state in ("new", "reopened"):
                values["state"] = "assigned"
            case.write(values)

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_wait(self):
        self.write({"state": "waiting"})

    def action_resume(self):
        self.write({"state": "in_progress"})

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
        self.write({"state": "answered"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_reopen(self):
        self.write({"state": "reopened"})

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
        if self.state != "answered":
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
        self.write({"state": "cancelled"})

    def action_mark_duplicate(self):
        for case in self:
            if not case.duplicate_of_id:
                raise UserError(
                    self.env._("Choose the original case in 'Duplicate Of' first.")
                )
        # whoever may mark a case a duplicate of the original may read it
        self.duplicate_of_id.check_access("read")
        self.write({"state": "duplicate"})
        Reporter = self.env["kcc.case.reporter"]
        for case in self:
            original = case.duplicate_of_id
            case.message_post(
                body=self.env._(
                    "Your question is already being handled under reference "
                    "%(ref)s; you will be informed there.",
                    ref=original.name,
                ),
                subtype_xmlid="mail.mt_comment",
                partner_ids=case.partner_id.ids,
            )
            # the customer of the duplicate and its own additional reporters
            # are told about the original's progress; they do not follow it
            people = [
                {
                    "partner_id": case.partner_id.id,
                    "contact_name": case.contact_name,
                    "contact_email": case.contact_email,
                    "contact_phone": case.contact_phone,
                }
            ]
            people += [
                {
                    "partner_id": reporter.partner_id.id,
                    "contact_name": reporter.contact_name,
                    "contact_email": reporter.contact_email,
                    "contact_phone": reporter.contact_phone,
                    "lang": reporter.lang,
                }
                for reporter in case.sudo().reporter_ids
            ]
            Reporter._add_people(original, people, case.channel, source_case=case)

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

    # ------------------------------------------------------------ escalation

    def _get_param_int(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

    def _reminder_domain(self):
        today = fields.Date.context_today(self)
        days = self._get_param_int(REMINDER_DAYS_PARAM, DEFAULT_REMINDER_DAYS)
        return [
            ("is_open", "=", True),
            ("deadline_paused_on", "=", False),
            ("reminder_sent", "=", False),
            ("deadline", ">=", today),
            ("deadline", "<=", today + dt.timedelta(days=days)),
        ]

    def _escalation_domain(self):
        return [
            ("is_open", "=", True),
            ("deadline_paused_on", "=", False),
            ("escalated", "=", False),
            ("deadline", "<", fields.Date.context_today(self)),
        ]

    def _supervisor_users(self):
        group = self.env.ref("leuven_kcc.group_kcc_supervisor")
        return group.sudo().users.filtered(lambda u: u.active and not u.share)

    def _send_reminder(self):
        """Remind the assignee (or the group's leader) of a near deadline."""
        _ = self.env._
        plans = []
        for case in self:
            users = case.user_id or case.handler_group_id.leader_ids
            plans.append(
                (
                    case,
                    users[:1],
                    users.partner_id,
                    _(
                        "Reminder: the deadline of %(date)s is near.",
                        date=case.deadline,
                    ),
                )
            )
        self._notify_deadline(
            plans,
            summary=_("Deadline approaching"),
            note=_("Case %(ref)s must be answered by %(date)s."),
            digest_subject=_("%(count)s cases must be answered soon"),
            with_deadline=True,
        )
        self.write({"reminder_sent": True})

    def _send_escalation(self):
        """Alert group leaders, KCC supervisors and the escalation contacts."""
        _ = self.env._
        supervisors = self._supervisor_users()
        plans = []
        for case in self:
            leaders = case.handler_group_id.leader_ids
            users = leaders | supervisors
            plans.append(
                (
                    case,
                    (leaders or supervisors)[:1],
                    users.partner_id | case.handler_group_id.escalation_partner_ids,
                    _("Escalation: the deadline of %(date)s has passed.",
                      date=case.deadline),
                )
            )  # fmt: skip
        self._notify_deadline(
            plans,
            summary=_("Case is late"),
            note=_("Case %(ref)s passed its deadline of %(date)s."),
            digest_subject=_("%(count)s cases passed their deadline"),
        )
        self.write({"escalated": True})

    def _notify_deadline(
        self, plans, summary, note, digest_subject, with_deadline=False
    ):
        """One batch of deadline alerts, written in bulk.

        ``plans``: (case, activity owner, partners to alert, note body) per
        case. Each case gets its to-do activity and a note that names the
        partners; each partner gets the notes in his inbox and, if he reads
        his notifications by e-mail (or is no user), one e-mail listing all
        his cases of the batch instead of one e-mail per case.
        """
        if not plans:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        # the digest below tells the owner; no assignment e-mail per activity
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": case.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": note % {"ref": case.name, "date": case.deadline},
                    "user_id": owner.id,
                    **({"date_deadline": case.deadline} if with_deadline else {}),
                }
                for case, owner, _partners, _body in plans
                if owner
            ]
        )
        by_partners = {}
        for case, _owner, partners, body in plans:
            by_partners.setdefault(partners, {})[case.id] = Markup("<p>%s</p>") % body
        messages = self.env["mail.message"]
        for partners, bodies in by_partners.items():
            messages |= self.browse(list(bodies))._message_log_batch(
                bodies, partner_ids=partners.ids
            )
        inbox, by_mail = {}, {}
        for message in messages:
            for partner in message.partner_ids:
                users = partner.user_ids
                if users and all(u.notification_type == "inbox" for u in users):
                    inbox.setdefault(partner, []).append(message)
                else:
                    by_mail.setdefault(partner, []).append(message)
        self.env["mail.notification"].sudo().create(
            [
                {
                    "mail_message_id": message.id,
                    "res_partner_id": partner.id,
                    "notification_type": "inbox",
                    "is_read": False,
                }
                for partner, partner_messages in inbox.items()
                for message in partner_messages
            ]
        )
        self._send_deadline_digest(by_mail, digest_subject)

    def _send_deadline_digest(self, by_partner, subject):
        """One queued e-mail per partner with the list of his cases."""
        if not by_partner:
            return
        base_url = self.browse().get_base_url()
        cases = self.browse(
            {m.res_id for messages in by_partner.values() for m in messages}
        )
        names = {case.id: case for case in cases}
        mails = []
        for partner, messages in by_partner.items():
            lines = Markup("").join(
                Markup('<li><a href="%s/odoo/kcc.case/%s">%s</a> %s: %s</li>')
                % (
                    base_url,
                    message.res_id,
                    names[message.res_id].name,
                    names[message.res_id].subject,
                    html2plaintext(message.body or ""),
                )
                for message in messages
            )
            mails.append(
                {
                    "subject": subject % {"count": len(messages)},
                    "body_html": Markup("<ul>%s</ul>") % lines,
                    "recipient_ids": [(4, partner.id)],
                    "email_from": self.env.company.email_formatted
                    or self.env.user.email_formatted,
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(mails)
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()

    @api.model
    def _escalate_batch(self, limit=None):
        """Handle one batch of due reminders and escalations.

        Returns ``(done, remaining)``. Only open cases that are due are read,
        through the partial index on open deadlines.
        """
        limit = limit or self._get_param_int(BATCH_SIZE_PARAM, DEFAULT_BATCH_SIZE)
        cases = self.sudo().with_context(mail_notify_force_send=False)
        late = cases.search(cases._escalation_domain(), limit=limit, order="deadline")
        late._send_escalation()
        reminders = self.browse()
        if len(late) < limit:
            reminders = cases.search(
                cases._reminder_domain(), limit=limit - len(late), order="deadline"
            )
            reminders._send_reminder()
        remaining = cases.search_count(cases._escalation_domain()) + cases.search_count(
            cases._reminder_domain()
        )
        return len(late) + len(reminders), remaining

    @api.model
    def _cron_escalate(self):
        """Scheduled job: one batch per call; the cron runner commits and
        calls again while there is work left."""
        done, remaining = self._escalate_batch()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    # ------------------------------------------------------------ audit

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields=fields, load=load)
        if not self.env.su:
            Log = self.env["kcc.audit.log"]
            for case in self.sudo().filtered("is_confidential"):
                Log._log_once("read_confidential", case.with_env(self.env))
        return result

    def web_read(self, specification):
        return super().web_read(specification)

    # opening a confidential case is audited: read/write cursor (see read())
    web_read._readonly = False

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if self and not self.env.su:
            self.env["kcc.audit.log"]._log(
                "export", self, text=self.env._("%(count)s cases", count=len(self))
            )
        return result

    # ------------------------------------------------------------ sharing

    def _share_with(self, organisation, consent):
        """Share this case with a partner organisation under ``consent``."""
        self.ensure_one()
        self.check_access("write")
        consent._check_allows(self, organisation)
        Share = self.env["kcc.case.share"].sudo()
        share = Share.search(
            [
                ("case_id", "=", self.id),
                ("organisation_id", "=", organisation.id),
                ("consent_id", "=", consent.id),
            ],
            limit=1,
        ) or Share.create(
            {
                "case_id": self.id,
                "organisation_id": organisation.id,
                "consent_id": consent.id,
                "user_id": self.env.uid,
            }
        )
        self.env["kcc.audit.log"]._log("share", self, purpose=consent.purpose)
        self.message_post(
            body=self.env._(
                "Shared with %(organisation)s with the customer's consent.",
                organisation=organisation.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return share

    def action_open_share_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Share with a Partner Organisation"),
            "res_model": "kcc.case.share.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def _portal_support_started(self, user):
        """The partner organisation of ``user`` starts supporting the citizen."""
        self.ensure_one()
        organisation = user.partner_id.commercial_partner_id
        share = self.sudo().share_ids.filtered(
            lambda s: s.is_active and s.organisation_id == organisation
        )[:1]
        if not share:
            raise UserError(self.env._("This case is not shared with you."))
        if not share.support_started:
            share.write(
                {"support_started": True, "support_started_on": fields.Datetime.now()}
            )
            self.sudo().message_post(
                body=self.env._(
                    "%(organisation)s started supporting the customer.",
                    organisation=organisation.name,
                ),
                author_id=user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        return share

    # ------------------------------------------------------------ retention

    @api.model
    def _default_retention_months(self):
        return self._get_param_int(
            RETENTION_MONTHS_PARAM, privacy.DEFAULT_RETENTION_MONTHS
        )

    @api.model
    def _retention_domain(self, now=None):
        """Finished cases past the retention of their category, not yet anonymised."""
        now = now or fields.Datetime.now()
        default = self._default_retention_months()
        categories = self.env["kcc.case.category"].with_context(active_test=False)
        months_of = {
            category.id: category.retention_months or default
            for category in categories.sudo().search([])
        }
        by_months = {}
        for category_id, months in months_of.items():
            by_months.setdefault(months, []).append(category_id)
        parts = []
        for months, category_ids in sorted(by_months.items()):
            cutoff = privacy.retention_cutoff(now, months)
            parts.append(
                [
                    "&",
                    ("category_id", "in", category_ids),
                    *self._finished_before(cutoff),
                ]
            )
        cutoff = privacy.retention_cutoff(now, default)
        parts.append(["&", ("category_id", "=", False), *self._finished_before(cutoff)])
        return [
            ("state", "in", list(privacy.RETAINED_STATES)),
            ("anonymised_on", "=", False),
            *expression_or(parts),
        ]

    @api.model
    def _finished_before(self, cutoff):
        """Closed or cancelled before ``cutoff``; older cancelled cases without a
        closing date count from their last change."""
        return [
            "|",
            ("date_closed", "<", cutoff),
            "&",
            ("date_closed", "=", False),
            ("write_date", "<", cutoff),
        ]

    def _anonymise(self):
        """Remove the personal data and free text of these cases.

        Kept: type, channel, category, handler group, assignee, dates, states,
        deadline and first-line flag, so that the KPI figures do not change.
        Removed: customer link and contact snapshot, street and coordinates,
        subject (made generic), description, resolution, raw submission, the
        chatter's bodies, tracking values and attachments, followers,
        activities, and the personal data of the linked contacts and transfers.
        """
        if not self:
            return
        cases = self.sudo().with_context(tracking_disable=True, mail_notrack=True)
        generic = self.env._("Anonymised case")
        env = cases.env
        env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", cases.ids)]
        ).unlink()
        messages = env["mail.message"].search(
            [("model", "=", self._name), ("res_id", "in", cases.ids)]
        )
        messages.attachment_ids.unlink()
        messages.tracking_value_ids.unlink()
        messages.notification_ids.unlink()
        messages.write(
            {
                "body": "",
                "subject": False,
                "email_from": False,
                "author_id": False,
                "reply_to": False,
                "record_name": False,
                "partner_ids": [fields.Command.clear()],
            }
        )
        env["mail.followers"].search(
            [("res_model", "=", self._name), ("res_id", "in", cases.ids)]
        ).unlink()
        cases.activity_ids.unlink()
        cases.contact_ids.write(
            {
                "partner_id": False,
                "contact_name": False,
                "contact_email": False,
                "contact_phone": False,
                "summary": generic,
            }
        )
        cases.transfer_ids.write({"reason": generic})
        # the website forms as sent repeat the contact details and the text
        env["kcc.web.submission"].search([("case_id", "in", cases.ids)]).write(
            {
                "payload": False,
                "file_names": False,
                "ip_address": False,
                "error": False,
                "user_id": False,
            }
        )
        # additional reporters of these cases, and the customers of these
        # cases registered on the original of a duplicate
        env["kcc.case.reporter"].search(
            ["|", ("case_id", "in", cases.ids), ("source_case_id", "in", cases.ids)]
        ).unlink()
        cases.write(
            {
                "subject": generic,
                "description_text": False,
                "resolution": False,
                "partner_id": False,
                "contact_name": False,
                "contact_email": False,
                "contact_phone": False,
                "street": False,
                "latitude": 0.0,
                "longitude": 0.0,
                "raw_submission": False,
                "work_order_note": False,
                "access_token": False,
                "sensitive": False,
                "anonymised_on": fields.Datetime.now(),
            }
        )
        cases._anonymise_linked()

    def _anonymise_linked(self):
        """Hook: other addons clear their own data linked to these cases."""
        return True

    @api.model
    def _anonymise_expired_batch(self, limit=None):
        """Anonymise one batch of expired cases; returns ``(done, remaining)``."""
        limit = limit or self._get_param_int(
            RETENTION_BATCH_PARAM, DEFAULT_RETENTION_BATCH
        )
        Case = self.sudo()
        domain = Case._retention_domain()
        cases = Case.search(domain, limit=limit, order="date_closed, id")
        cases._anonymise()
        if cases:
            self.env["kcc.audit.log"]._log(
                "anonymise",
                cases,
                purpose=self.env._("Retention period passed"),
                text=self.env._("%(count)s cases", count=len(cases)),
            )
        return len(cases), Case.search_count(domain)

    @api.model
    def _cron_anonymise_expired(self):
        """Scheduled job: one batch per call; the cron runner commits and calls
        again while there is work left."""
        done, remaining = self._anonymise_expired_batch()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    # ------------------------------------------------------------ planning system

    def _work_order_payload(self):
        self.ensure_one()
        base_url = self.get_base_url()
        return {
            "work_order_id": self.work_order_ref,
            "case_reference": self.name,
            "category": self.category_id.name,
            "subject": self.subject,
            # the crews get the text whoever moved the case (an agent may not
            # read a sensitive case's description, the planning system needs it)
            "description": self.sudo().description_text or "",
            "priority": self.priority,
            "deadline": self.deadline,
            "location": {
                "street": self.street or "",
                "postcode": self.postcode or "",
                "city": self.city or "",
                "latitude": self.latitude or None,
                "longitude": self.longitude or None,
            },
            "status_callback": f"{base_url}/kcc/api/planning/status",
        }

    def _queue_work_order(self):
        """Send public-domain work to the crews' planning system, via the outbox."""
        url = self.env["ir.config_parameter"].sudo().get_param(PLANNING_URL_PARAM)
        for case in self.filtered(
            lambda c: c.category_id.planning_system and not c.work_order_ref
        ):
            case.sudo().write(
                {"work_order_ref": f"WO-{case.name}", "work_order_state": "queued"}
            )
            self.env["kcc.outbox"]._enqueue(
                "planning",
                f"planning:{case.work_order_ref}",
                url,
                case._work_order_payload(),
                record=case,
                token_param=PLANNING_TOKEN_PARAM,
                name=self.env._("Work order %(ref)s", ref=case.work_order_ref),
            )

    def _on_outbox_sent(self, message):
        if message.target == "planning" and self.work_order_state == "queued":
            self.work_order_state = "sent"

    def _on_outbox_failed(self, message):
        if message.target == "planning":
            self.work_order_state = "failed"
            self.message_post(
                body=self.env._(
                    "The work order could not be sent to the planning system: "
                    "%(error)s",
                    error=message.last_error or message.last_status,
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _planning_status_update(self, work_order_ref, status, date=None, note=None):
        """Apply a status update from the planning system.

        Returns ``"updated"``, ``"unchanged"`` (a replay) or ``"ignored"`` (an
        older status arriving late). Raises ``LookupError`` for an unknown
        work order and ``ValueError`` for a bad status or date.
        """
        if not isinstance(status, str) or status not in WORK_ORDER_PROGRESS:
            raise ValueError(f"unknown status {str(status)[:40]!r}")
        if date and not isinstance(date, (str, dt.date)):
            raise ValueError("the date must be a date (YYYY-MM-DD)")
        when = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        if note is not None and not isinstance(note, str):
            raise ValueError("the note must be text")
        # machine text reaches the citizen: plain text, capped, never markup
        note = inputs.clip_text(note, PLANNING_NOTE_LIMIT).strip()
        case = self.sudo().search([("work_order_ref", "=", work_order_ref)], limit=1)
        if not case:
            raise LookupError(work_order_ref)
        current = case.work_order_state
        if current == status:
            return "unchanged"
        if current in WORK_ORDER_PROGRESS and WORK_ORDER_PROGRESS.index(
            current
        ) > WORK_ORDER_PROGRESS.index(status):
            return "ignored"
        case.write(
            {
                "work_order_state": status,
                "work_order_date": when,
                "work_order_note": note or False,
            }
        )
        _ = self.env._
        texts = {
            "planned": _("The work is planned for %(date)s.", date=when),
            "in_progress": _("The crews started the work on %(date)s.", date=when),
            "done": _("The work was done on %(date)s.", date=when),
        }
        lines = [texts[status], *note.splitlines()]
        body = Markup("<p>%s</p>") % Markup("<br/>").join(
            line.strip() for line in lines if line.strip()
        )
        if status == "done" and case.is_open:
            if case.state != "in_progress":
                if case.state == "new":
                    case.write({"state": "assigned"})
                case.write({"state": "in_progress"})
            case.write({"resolution": body, "first_line": False})
            case.write({"state": "answered"})
        case.message_post(
            body=body,
            subtype_xmlid="mail.mt_comment",
            partner_ids=case.partner_id.ids,
        )
        return "updated"

    # ------------------------------------------------------------ mail gateway

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to a handler group's alias becomes a case of that group."""
        values = dict(custom_values or {})
        values.setdefault("channel", "email")
        values["name"] = self.env._("New")  # the reference comes from the sequence
        values.setdefault(
            "routing_reason", "alias" if values.get("handler_group_id") else False
        )
        values["subject"] = (msg_dict.get("subject") or "").strip() or self.env._(
            "(no subject)"
        )
        values["description"] = html2plaintext(msg_dict.get("body") or "")
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if author:
            values["partner_id"] = author.id
        else:
            parsed = email_split_tuples(msg_dict.get("email_from") or "")
            if parsed:
                name, email = parsed[0]
                values["contact_name"] = name or email
                values["contact_email"] = email_normalize(email) or False
        if not values.get("routing_reason"):
            values.pop("routing_reason")
        values["ack_pending"] = bool(
            values.get("partner_id") or values.get("contact_email")
        )
        case = super(KccCase, self.with_context(mail_create_nolog=True)).message_new(
            msg_dict, values
        )
        case._log_intake_contact()
        if not case.ack_pending:
            case.message_post(
                body=self.env._(
                    "This e-mail has no usable sender address: the customer cannot "
                    "be answered by e-mail."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return case

    # ------------------------------------------------------------ intake

    _INTAKE_FIELDS = (
        "subject",
        "description",
        "case_type",
        "partner_id",
        "contact_name",
        "contact_email",
        "contact_phone",
        "street",
        "postcode",
        "city",
        "latitude",
        "longitude",
        "category_id",
        "priority",
        "first_line",
    )

    @api.model
    def _intake_fields(self):
        """The values a channel may give; other addons add theirs."""
        return self._INTAKE_FIELDS

    @api.model
    def _intake_check_input(self, values):
        """Types, lengths and coordinates of raw intake values, the same for
        every channel (``leuven.kcc.inputs.INTAKE_TEXT_LIMITS``): text is
        stripped and capped, ids are database ids, a point is finite and in
        range. Returns the checked values; raises UserError."""
        _ = self.env._
        try:
            vals = inputs.intake_text(values)
            for key in ("category_id", "partner_id", "catalog_product_id"):
                if vals.get(key):
                    vals[key] = inputs.parse_record_id(vals[key], key)
            if "latitude" in vals or "longitude" in vals:
                lat, lon = inputs.parse_point(
                    vals.pop("latitude", None) or None,
                    vals.pop("longitude", None) or None,
                )
                if lat is not None:
                    vals.update(latitude=lat, longitude=lon)
        except inputs.InputError as err:
            if err.field in ("latitude", "longitude", "location"):
                raise UserError(_("The location on the map is not valid.")) from err
            label = (
                self._fields[err.field]._description_string(self.env)
                if err.field in self._fields
                else err.field
            )
            if err.code == "too_long":
                raise UserError(
                    _(
                        "%(field)s is too long: at most %(max)s characters.",
                        field=label,
                        max=inputs.INTAKE_TEXT_LIMITS.get(err.field),
                    )
                ) from err
            raise UserError(_("%(field)s is not valid.", field=label)) from err
        return vals

    @api.model
    def _intake_normalize(self, values, channel):
        """Validate raw intake values; return create values or raise UserError."""
        _ = self.env._
        if channel not in dict(CHANNELS):
            raise UserError(_("Unknown channel %(channel)s.", channel=channel))
        unknown = set(values) - set(self._intake_fields())
        if unknown:
            raise UserError(
                _("Unknown fields: %(fields)s.", fields=", ".join(sorted(unknown)))
            )
        vals = self._intake_check_input(values)
        if not vals.get("subject"):
            raise UserError(_("A subject is required."))
        case_type = vals.setdefault("case_type", "question")
        if not isinstance(case_type, str) or case_type not in dict(CASE_TYPES):
            raise UserError(_("Unknown case type %(type)s.", type=str(case_type)[:40]))
        if vals.get("category_id"):
            category = self.env["kcc.case.category"].sudo().browse(vals["category_id"])
            if not category.exists() or not category.active:
                raise UserError(_("Unknown category."))
        if vals.get("partner_id"):
            if not self.env["res.partner"].sudo().browse(vals["partner_id"]).exists():
                raise UserError(_("Unknown customer."))
        elif not (vals.get("contact_email") or vals.get("contact_phone")):
            if channel not in ("phone", "counter", "letter"):
                raise UserError(
                    _("Give an e-mail address or phone number so we can answer you.")
                )
        if vals.get("contact_email"):
            email = email_normalize(vals["contact_email"])
            if not email:
                raise UserError(
                    _(
                        "%(email)s is not a valid e-mail address.",
                        email=vals["contact_email"],
                    )
                )
            vals["contact_email"] = email
        if case_type == "report" and not (
            vals.get("street") or (vals.get("latitude") and vals.get("longitude"))
        ):
            raise UserError(
                _("A report needs a location: an address or a point on the map.")
            )
        vals["channel"] = channel
        return vals

    @api.model
    def _intake(
        self, values, channel, idempotency_key=None, contact_summary=None, contact=None
    ):
        """The one entry point of every channel: returns the case.

        Validates and normalises ``values``, gives the same case back for an
        ``idempotency_key`` seen before, routes the case, sets its deadline,
        keeps the raw submission and logs the contact. The acknowledgement
        to the customer follows within a minute (``_cron_acknowledge``): its
        e-mail is composed outside the customer's request.
        Raises :class:`UserError` with a translated message on bad input.
        """
        if idempotency_key:
            existing = self.sudo().search(
                [("idempotency_key", "=", idempotency_key)], limit=1
            )
            if existing:
                return existing
        vals = self._intake_normalize(dict(values), channel)
        vals["idempotency_key"] = idempotency_key or False
        vals["raw_submission"] = json.dumps(
            {"channel": channel, "values": values}, default=str, sort_keys=True
        )
        vals["ack_pending"] = True
        case = self.sudo().with_context(mail_create_nolog=True).create(vals)
        case._log_intake_contact(summary=contact_summary, contact=contact)
        return case.with_env(self.env)

    def _log_intake_contact(self, summary=None, contact=None):
        """Every case intake is also a customer contact.

        ``contact``: a contact already logged (e.g. an announced phone call)
        that this case came out of; it is completed instead of a new one.
        """
        if contact:
            self.ensure_one()
            contact.sudo().write(
                {
                    "case_id": self.id,
                    "summary": summary or self.subject,
                    "partner_id": self.partner_id.id or contact.partner_id.id,
                }
            )
            return
        user = self.env.user
        agent = (
            user if user._is_internal() and not user._is_superuser() else user.browse()
        )
        self.env["kcc.contact"].sudo().create(
            [
                {
                    "channel": case.channel,
                    "direction": "inbound",
                    "partner_id": case.partner_id.id,
                    "contact_name": case.contact_name,
                    "contact_email": case.contact_email,
                    "contact_phone": case.contact_phone,
                    "user_id": agent.id,
                    "summary": summary or case.subject,
                    "case_id": case.id,
                    "first_line_resolved": False,
                }
                for case in self
            ]
        )

    def _send_acknowledgement(self):
        """Post the acknowledgement of each case; the e-mails go through the
        mail queue, whose cron is woken up once for all of them."""
        template = self.env.ref(
            "leuven_kcc.kcc_case_mail_template_ack", raise_if_not_found=False
        )
        cases = self.with_context(mail_notify_force_send=False)
        to_mail = (
            cases.filtered(lambda c: c.partner_id or c.contact_email)
            if template
            else cases.browse()
        )
        if to_mail:
            to_mail.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
            self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        for case in cases - to_mail:
            case.message_post(
                body=self.env._(
                    "Case registered with reference %(ref)s.", ref=case.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.write({"ack_pending": False})

    @api.model
    def _acknowledge_batch(self, limit=None):
        """Acknowledge one batch of new cases; returns ``(done, remaining)``."""
        limit = limit or self._get_param_int(
            ACK_BATCH_SIZE_PARAM, DEFAULT_ACK_BATCH_SIZE
        )
        Case = self.sudo()
        cases = Case.search([("ack_pending", "=", True)], limit=limit, order="id")
        cases._send_acknowledgement()
        return len(cases), Case.search_count([("ack_pending", "=", True)])

    @api.model
    def _cron_acknowledge(self):
        """Scheduled job (every minute): one batch per call; the cron runner
        commits and calls again while there is work left."""
        done, remaining = self._acknowledge_batch()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    # ------------------------------------------------------------ demo data

    @api.model
    def _demo_generate_cases(self, count=300, seed=2026):
        """Demo only: ``count`` cases across types, channels and states."""
        rng = random.Random(seed)
        categories = self.env["kcc.case.category"].search([])
        partners = self.env["res.partner"].search(
            [("email", "!=", False), ("is_company", "=", False)], limit=40
        )
        streets = ["Naamsestraat", "Tiensestraat", "Diestsestraat", "Brusselsestraat"]
        subjects = {
            "question": [
                "Openingsuren van het stadskantoor",
                "Vraag over mijn afvalfactuur",
            ],
            "report": [
                "Put in het voetpad",
                "Straatlamp defect",
                "Sluikstort op de hoek",
            ],
            "suggestion": ["Meer fietsenstallingen aan het station", "Extra zitbanken"],
            "complaint": [
                "Geen antwoord op mijn e-mail",
                "Lange wachttijd aan het loket",
            ],
        }
        channels = [value for value, _label in CHANNELS]
        paths = [
            [],
            ["assigned"],
            ["assigned", "in_progress"],
            ["in_progress", "waiting"],
            ["in_progress", "answered"],
            ["in_progress", "answered", "closed"],
            ["cancelled"],
        ]
        agent = self.env.ref("leuven_kcc.demo_user_agent", raise_if_not_found=False)
        cases = self.browse()
        for index in range(count):
            case_type = rng.choice(list(subjects))
            values = {
                "subject": rng.choice(subjects[case_type]),
                "case_type": case_type,
                "category_id": rng.choice(categories).id if categories else False,
                "description": "Demo",
            }
            if partners and rng.random() < 0.7:
                values["partner_id"] = rng.choice(partners).id
            else:
                values["contact_email"] = f"burger{index}@example.com"
            if case_type == "report":
                values.update(
                    street=f"{rng.choice(streets)} {rng.randint(1, 120)}",
                    postcode="3000",
                    city="Leuven",
                )
            case = self._intake(
                values, rng.choice(channels), idempotency_key=f"demo-{seed}-{index}"
            )
            cases |= case
            case.date_received = fields.Datetime.now() - dt.timedelta(
                days=rng.randint(0, 40), hours=rng.randint(0, 8)
            )
            case._apply_deadline()
            for state in rng.choice(paths):
                if state == "answered":
                    case.resolution = "<p>Beantwoord (demo).</p>"
                    case.first_line = case.handler_group_id.is_kcc
                if state == "assigned" and agent:
                    case.user_id = agent
                case.write({"state": state})
        cases._send_acknowledgement()  # the demo's history: acknowledged long ago
        return True

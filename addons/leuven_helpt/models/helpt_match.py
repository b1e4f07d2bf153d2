import datetime as dt
import math

from markupsafe import Markup
from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

#: hours a volunteer has to answer a proposal, by the request's urgency
ANSWER_HOURS = {"urgent": 4, "week": 24, "flexible": 72}
DEFAULT_ANSWER_HOURS = 24
EXPIRE_BATCH_PARAM = "leuven_helpt.expire_batch_size"
DEFAULT_EXPIRE_BATCH = 200
OPEN_TO_ANSWER = "proposed"
#: states in which the volunteer may see who he helps
ACCEPTED_STATES = ("accepted", "done")
URGENCY = [
    ("urgent", "Within 24 hours"),
    ("week", "This week"),
    ("flexible", "Flexible"),
]


def _distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance between two points, in km."""
    if not (lat1 or lon1) or not (lat2 or lon2):
        return None
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat = rlat2 - rlat1
    dlon = math.radians(lon2 - lon1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


class HelptMatch(models.Model):
    """A request for help (a case) proposed to one volunteer.

    The volunteer reads his own matches only (record rule); the case stays
    closed to him. What he learns of the request before he accepts is copied
    on the match when it is proposed (kind, date, district, distance,
    urgency); the requester's name, address and phone are computed from the
    case only once the match is accepted."""

    _name = "helpt.match"
    _description = "Match of a Help Request and a Volunteer"
    _inherit = ["mail.thread", "portal.mixin"]
    _order = "proposed_at desc, id desc"
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    case_id = fields.Many2one(
        "kcc.case",
        string="Request",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        groups="leuven_helpt.group_helpt_coordinator,leuven_kcc.group_kcc_agent",
    )
    volunteer_id = fields.Many2one(
        "helpt.volunteer", required=True, ondelete="cascade", index=True, readonly=True
    )
    volunteer_user_id = fields.Many2one(
        "res.users",
        related="volunteer_id.user_id",
        store=True,
        index="btree_not_null",
        string="Volunteer's User",
    )
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
            ("done", "Done"),
        ],
        default="proposed",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    proposed_at = fields.Datetime(default=fields.Datetime.now, readonly=True)
    proposed_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        groups="leuven_helpt.group_helpt_coordinator,leuven_kcc.group_kcc_agent",
    )
    answer_deadline = fields.Datetime(readonly=True)
    answered_at = fields.Datetime(readonly=True)
    score = fields.Float(
        readonly=True,
        groups="leuven_helpt.group_helpt_coordinator,leuven_kcc.group_kcc_agent",
    )
    explanation = fields.Char(
        readonly=True,
        groups="leuven_helpt.group_helpt_coordinator,leuven_kcc.group_kcc_agent",
    )
    # what the volunteer learns of the request before he answers
    kind_id = fields.Many2one("helpt.help.kind", string="Kind of Help", readonly=True)
    help_date = fields.Datetime(string="When", readonly=True)
    help_duration = fields.Float(string="Duration (hours)", readonly=True)
    recurring = fields.Boolean(string="Every Week", readonly=True)
    urgency = fields.Selection(URGENCY, readonly=True)
    district_id = fields.Many2one("helpt.district", readonly=True)
    distance_km = fields.Float(string="Distance (km)", readonly=True)
    distance_text = fields.Char(string="Distance", compute="_compute_distance_text")
    # who he helps: only once he accepted
    requester_name = fields.Char(compute="_compute_requester", compute_sudo=False)
    requester_address = fields.Char(compute="_compute_requester", compute_sudo=False)
    requester_phone = fields.Char(compute="_compute_requester", compute_sudo=False)
    occurrence_ids = fields.One2many(
        "helpt.match.occurrence", "match_id", string="Occurrences"
    )
    hours = fields.Float(compute="_compute_hours", store=True)

    def init(self):
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS helpt_match_one_accepted_per_case
                ON helpt_match (case_id) WHERE state = 'accepted'
            """
        )

    @api.depends("case_id.name")
    def _compute_name(self):
        for match in self.sudo():
            match.name = match.case_id.name or ""

    @api.depends("distance_km")
    def _compute_distance_text(self):
        for match in self:
            match.distance_text = (
                f"{match.distance_km:.1f} km".replace(".", ",")
                if match.distance_km
                else ""
            )

    @api.depends("state")
    def _compute_requester(self):
        for match in self:
            match.requester_name = False
            match.requester_address = False
            match.requester_phone = False
            # the state is checked before anything of the case is read
            if match.state not in ACCEPTED_STATES:
                continue
            case = match.sudo().case_id
            partner = case.partner_id
            address = ", ".join(
                part
                for part in (
                    case.street or partner.street,
                    " ".join(
                        p
                        for p in (
                            case.postcode or partner.zip,
                            case.city or partner.city,
                        )
                        if p
                    ),
                )
                if part
            )
            match.requester_name = partner.name or case.contact_name or False
            match.requester_address = address or False
            match.requester_phone = (
                case.contact_phone or partner.phone or partner.mobile or False
            )

    @api.depends("occurrence_ids.hours", "occurrence_ids.state")
    def _compute_hours(self):
        for match in self:
            match.hours = sum(
                occ.hours for occ in match.occurrence_ids if occ.state == "done"
            )

    def _compute_access_url(self):
        for match in self:
            match.access_url = f"/my/helpt/{match.id}"

    def _helpt_portal_link(self):
        """The absolute link of the proposal, with its access token."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

    def _helpt_when_text(self):
        """The date and time of the help, in the reader's language."""
        self.ensure_one()
        if not self.help_date:
            return self.env._("to be agreed")
        lang = self.env.context.get("lang") or "nl_BE"
        return format_datetime(
            self.env,
            self.help_date,
            tz="Europe/Brussels",
            dt_format="EEEE d MMMM y, HH:mm",
            lang_code=lang,
        )

    def _helpt_urgency_text(self):
        self.ensure_one()
        labels = dict(self._fields["urgency"]._description_selection(self.env))
        return labels.get(self.urgency, "")

    # ------------------------------------------------------------ answers

    def _helpt_refuse(self, reason):
        raise UserError(
            self.env._("This proposal is no longer open: %(reason)s", reason=reason)
        )

    def _helpt_why_closed(self):
        """Why this match cannot be answered any more (None: it can)."""
        self.ensure_one()
        _ = self.env._
        if self.state == "accepted":
            return _("it was already accepted.")
        if self.state == "done":
            return _("the help is done.")
        if self.state == "declined":
            return _("it was declined.")
        if self.state == "cancelled":
            return _("the request was given to another volunteer or withdrawn.")
        if self.state == "expired" or (
            self.answer_deadline and self.answer_deadline <= fields.Datetime.now()
        ):
            return _("the time to answer is over.")
        return None

    def _helpt_check_answerer(self, user):
        """Only the volunteer himself answers: through his account, or
        through the link of his e-mail (public visitor with the token)."""
        self.ensure_one()
        if user._is_public():
            return
        if user != self.sudo().volunteer_id.user_id:
            self._helpt_refuse(self.env._("it is meant for another volunteer."))

    def _helpt_answer(self, new_state):
        """Move a proposal to ``new_state`` in one conditional UPDATE: of
        concurrent answers exactly one finds it still proposed and open."""
        self.ensure_one()
        now = fields.Datetime.now()
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        """
                        UPDATE helpt_match
                           SET state = %(state)s, answered_at = %(now)s,
                               write_date = %(now)s, write_uid = %(uid)s
                         WHERE id = %(id)s AND state = 'proposed'
                           AND (answer_deadline IS NULL OR answer_deadline > %(now)s)
                     RETURNING id
                        """,
                        state=new_state,
                        now=now,
                        uid=self.env.uid,
                        id=self.id,
                    )
                )
                won = self.env.cr.fetchone()
        except IntegrityError:
            # the partial unique index: another match of the case is accepted
            won = None
            self.invalidate_recordset()
            self._helpt_refuse(
                self.env._("another volunteer already accepted this request.")
            )
        self.invalidate_recordset()
        if not won:
            self._helpt_refuse(
                self._helpt_why_closed() or self.env._("it was already answered.")
            )
        return True

    def action_accept(self):
        """The volunteer accepts (his own match; see ``_helpt_accept``)."""
        if not self.env.su:
            self.check_access("read")
        for match in self:
            match._helpt_accept(self.env.user)
        return True

    def action_decline(self):
        """The volunteer declines (his own match; see ``_helpt_decline``)."""
        if not self.env.su:
            self.check_access("read")
        for match in self:
            match._helpt_decline(self.env.user)
        return True

    def _helpt_accept(self, user):
        """``user`` accepts: he now sees whom he helps; the other proposals
        of the request are cancelled. The caller checked that ``user`` may
        read the match (his own, or the link of his e-mail)."""
        self.ensure_one()
        self._helpt_check_answerer(user)
        match = self.sudo()
        match._helpt_answer("accepted")
        others = match.case_id.helpt_match_ids.filtered(
            lambda m: m.state == "proposed" and m != match
        )
        others.write({"state": "cancelled"})
        match.message_post(
            body=self.env._("The volunteer accepted the proposal."),
            subtype_xmlid="mail.mt_note",
        )
        match.case_id.message_post(
            body=self.env._(
                "Volunteer %(name)s accepted to help.", name=match.volunteer_id.name
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _helpt_decline(self, user):
        """``user`` declines: the coordinator is told and proposes the next
        suggestion."""
        self.ensure_one()
        self._helpt_check_answerer(user)
        match = self.sudo()
        match._helpt_answer("declined")
        match.case_id._helpt_todo("declined", match)

    def action_cancel(self):
        self.filtered(lambda m: m.state in ("proposed", "accepted")).write(
            {"state": "cancelled"}
        )
        return True

    # ------------------------------------------------------------ follow-up

    def _helpt_report(self, date, happened, hours, confirmed_by="volunteer"):
        """Record whether the help happened on ``date`` and for how long."""
        self.ensure_one()
        _ = self.env._
        if self.state != "accepted":
            raise UserError(_("Only accepted help can be reported."))
        try:
            date = fields.Date.to_date(date)
        except (TypeError, ValueError):
            date = None
        if not date:
            raise UserError(_("Give the date of the help."))
        if date > fields.Date.context_today(self):
            raise UserError(_("The help cannot be reported before its date."))
        try:
            hours = float(hours or 0)
        except (TypeError, ValueError):
            hours = -1
        if not 0 <= hours <= 24 or not math.isfinite(hours):
            raise UserError(_("Give the hours as a number between 0 and 24."))
        values = {
            "state": "done" if happened else "not_done",
            "hours": hours if happened else 0.0,
            "confirmed_by": confirmed_by,
        }
        occurrence = self.occurrence_ids.filtered(lambda o: o.date == date)[:1]
        if occurrence:
            occurrence.write(values)
        else:
            occurrence = self.env["helpt.match.occurrence"].create(
                dict(values, match_id=self.id, date=date)
            )
        if happened and not self.recurring:
            self.action_done()
        return occurrence

    def action_done(self):
        """The help is done: the match is done and the request answered
        through the suite's way of answering a case."""
        for match in self.filtered(lambda m: m.state == "accepted"):
            match.write({"state": "done"})
            match.sudo().case_id._helpt_answer_done(match)
        return True

    # ------------------------------------------------------------ cron

    @api.model
    def _expire_batch(self, limit=None):
        """Flag proposals past their answer deadline; returns (done,
        remaining)."""
        if limit is None:
            limit = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(EXPIRE_BATCH_PARAM, DEFAULT_EXPIRE_BATCH)
            )
        domain = [
            ("state", "=", "proposed"),
            ("answer_deadline", "<=", fields.Datetime.now()),
        ]
        Match = self.sudo()
        matches = Match.search(domain, limit=limit, order="answer_deadline, id")
        for match in matches:
            match.write({"state": "expired"})
            match.case_id._helpt_todo("expired", match)
        return len(matches), Match.search_count(domain)

    @api.model
    def _cron_expire(self):
        done, remaining = self._expire_batch()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)


class HelptMatchOccurrence(models.Model):
    """One date on which the volunteer helped (or did not)."""

    _name = "helpt.match.occurrence"
    _description = "Occurrence of a Match"
    _order = "date desc, id desc"

    match_id = fields.Many2one(
        "helpt.match", required=True, ondelete="cascade", index=True
    )
    date = fields.Date(required=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("not_done", "Did Not Happen")],
        default="planned",
        required=True,
    )
    hours = fields.Float()
    confirmed_by = fields.Selection(
        [("volunteer", "Volunteer"), ("requester", "Requester"), ("kcc", "KCC")]
    )
    requester_confirmed = fields.Boolean(
        help="The requester confirmed that the help happened."
    )

    _sql_constraints = [
        (
            "match_date_unique",
            "unique(match_id, date)",
            "A match has one occurrence per date.",
        ),
    ]

    def action_requester_confirmed(self):
        """The KCC records that the requester confirmed (by phone)."""
        self.write({"requester_confirmed": True, "confirmed_by": "kcc"})
        return True


class KccCase(models.Model):
    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    def _helpt_propose(self, volunteer, suggestion=None):
        """Propose this request to ``volunteer``: a match waiting for his
        answer until the deadline of the request's urgency, and an e-mail
        with the link to answer it. ``suggestion``: the ranking's Suggestion
        (score, distance and explanation)."""
        self.ensure_one()
        _ = self.env._
        Match = self.env["helpt.match"]
        Match.check_access("create")
        volunteer = volunteer.sudo()
        if volunteer.state != "active":
            raise UserError(_("Only a screened, active volunteer can be proposed."))
        matches = self.sudo().helpt_match_ids
        if matches.filtered(lambda m: m.state in ("accepted", "done")):
            raise UserError(_("A volunteer already accepted this request."))
        if matches.filtered(
            lambda m: m.volunteer_id == volunteer and m.state == "proposed"
        ):
            raise UserError(_("This request is already proposed to this volunteer."))
        now = fields.Datetime.now()
        hours = ANSWER_HOURS.get(self.helpt_urgency, DEFAULT_ANSWER_HOURS)
        distance = suggestion.distance_km if suggestion else None
        if distance is None:
            distance = _distance_km(
                volunteer.latitude,
                volunteer.longitude,
                self.latitude,
                self.longitude,
            )
        explanation = False
        if suggestion:
            from leuven.helpt import ranking

            explanation = ", ".join(ranking.explain(suggestion))
        match = Match.create(
            {
                "case_id": self.id,
                "volunteer_id": volunteer.id,
                "proposed_at": now,
                "proposed_by_id": self.env.user.id,
                "answer_deadline": now + dt.timedelta(hours=hours),
                "score": suggestion.score if suggestion else 0.0,
                "explanation": explanation,
                "kind_id": self.helpt_kind_id.id,
                "help_date": self.helpt_date,
                "help_duration": self.helpt_duration,
                "recurring": self.helpt_recurring,
                "urgency": self.helpt_urgency,
                "district_id": self.helpt_district_id.id,
                "distance_km": distance or 0.0,
            }
        )
        volunteer.last_asked_at = now
        match.sudo()._portal_ensure_token()
        template = self.env.ref("leuven_helpt.mail_template_helpt_proposal")
        match.sudo().with_context(
            mail_notify_force_send=False
        ).message_post_with_source(
            template,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.env.company.partner_id.id,
            email_from=self._customer_email_from(),
        )
        self.message_post(
            body=_(
                "Proposed to volunteer %(name)s.",
                name=volunteer.name or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        return match

    def _helpt_todo(self, reason, match):
        """A to-do on the request for its coordinator (the case's handler,
        else who proposed), in his language: the volunteer of ``match``
        declined (``reason`` "declined") or did not answer ("expired")."""
        for case in self.sudo():
            responsible = case.user_id or match.sudo().proposed_by_id
            if not responsible or responsible.share:
                responsible = self.env.ref("base.user_admin")
            env = case.with_context(lang=responsible.lang or "nl_BE").env
            name = match.sudo().volunteer_id.name or ""
            if reason == "declined":
                summary = env._("Volunteer declined")
                note = env._(
                    "%(name)s declined the request: propose the next suggestion.",
                    name=name,
                )
            else:
                summary = env._("No answer from volunteer")
                note = env._(
                    "%(name)s did not answer in time: propose the next suggestion.",
                    name=name,
                )
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=note,
                user_id=responsible.id,
            )

    def _helpt_answer_done(self, match):
        """The help is done: the request is answered as every case is
        (resolution, answered state, a message to the customer)."""
        self.ensure_one()
        if not self.is_open:
            return
        lang = self._customer_lang()
        case = self.with_context(lang=lang)
        body = Markup("<p>%s</p>") % (
            case.env._(
                "A volunteer of Leuven Helpt helped you. Thank you for your "
                "trust; call us again whenever you need help."
            )
        )
        if case.state == "new":
            case.write({"state": "assigned"})
        if case.state in ("assigned", "reopened", "waiting"):
            case.write({"state": "in_progress"})
        case.write({"resolution": body})
        case.write({"state": "answered"})
        case.message_post(
            body=body,
            subtype_xmlid="mail.mt_comment",
            partner_ids=case.partner_id.ids,
            author_id=self.env.company.partner_id.id,
        )

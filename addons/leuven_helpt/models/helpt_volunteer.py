from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from leuven.helpt import ranking

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
GOOD_CONDUCT_VALID_DAYS = 365
# the matches that count against a volunteer's maximum
OPEN_MATCH_STATES = ("proposed", "accepted")


class HelptVolunteer(models.Model):
    """A neighbour who offers help; matched only once a coordinator screened
    him (state ``active``)."""

    _name = "helpt.volunteer"
    _description = "Volunteer"
    _inherit = ["mail.thread"]
    _order = "name, id"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="restrict"
    )
    user_id = fields.Many2one(
        "res.users",
        ondelete="set null",
        help="The account with which the volunteer signs in to the portal.",
    )
    name = fields.Char(related="partner_id.name", store=True)
    state = fields.Selection(
        [("applied", "Applied"), ("active", "Screened"), ("withdrawn", "Withdrawn")],
        default="applied",
        required=True,
        tracking=True,
        help="Only screened volunteers are suggested for requests.",
    )
    intake_done = fields.Boolean(string="Intake Talk Done", tracking=True)
    good_conduct_date = fields.Date(
        string="Certificate of Good Conduct",
        tracking=True,
        help="Date the certificate of good conduct was issued; valid for a year.",
    )
    good_conduct_valid = fields.Boolean(
        string="Certificate Valid", compute="_compute_good_conduct_valid"
    )
    kind_ids = fields.Many2many("helpt.help.kind", string="Kinds of Help")
    district_ids = fields.Many2many("helpt.district", string="Districts")
    radius_km = fields.Float(
        string="Radius (km)", help="How far from home the volunteer will go."
    )
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    max_active_matches = fields.Integer(string="Maximum Active Requests", default=2)
    # also the languages the interface is not offered in
    language_ids = fields.Many2many(
        "res.lang", string="Languages", context={"active_test": False}
    )
    availability_ids = fields.One2many(
        "helpt.volunteer.availability", "volunteer_id", string="Weekly Availability"
    )
    absence_ids = fields.One2many(
        "helpt.volunteer.absence", "volunteer_id", string="Absences"
    )
    last_asked_at = fields.Datetime(string="Last Asked", readonly=True)
    active_match_count = fields.Integer(
        string="Active Requests", compute="_compute_active_match_count"
    )

    _sql_constraints = [
        (
            "max_active_matches_positive",
            "CHECK(max_active_matches >= 0)",
            "The maximum number of active requests cannot be negative.",
        ),
        ("radius_positive", "CHECK(radius_km >= 0)", "The radius cannot be negative."),
    ]

    @api.depends("good_conduct_date")
    def _compute_good_conduct_valid(self):
        today = fields.Date.context_today(self)
        for volunteer in self:
            volunteer.good_conduct_valid = volunteer._good_conduct_valid_on(today)

    def _good_conduct_valid_on(self, day):
        self.ensure_one()
        issued = self.good_conduct_date
        return bool(
            issued
            and issued <= day
            and day - issued < timedelta(days=GOOD_CONDUCT_VALID_DAYS)
        )

    def _compute_active_match_count(self):
        counts = {}
        if self.ids:
            groups = (
                self.env["helpt.match"]
                .sudo()
                ._read_group(
                    [
                        ("volunteer_id", "in", self.ids),
                        ("state", "in", OPEN_MATCH_STATES),
                    ],
                    ["volunteer_id"],
                    ["__count"],
                )
            )
            counts = {volunteer.id: count for volunteer, count in groups}
        for volunteer in self:
            volunteer.active_match_count = counts.get(volunteer.id, 0)

    # ------------------------------------------------------------ screening

    def action_screened(self):
        """The coordinator screened the volunteer: he may now be matched."""
        _ = self.env._
        today = fields.Date.context_today(self)
        for volunteer in self:
            if volunteer.state == "withdrawn":
                raise UserError(
                    _("%(name)s withdrew and cannot be screened.", name=volunteer.name)
                )
            if not volunteer.intake_done:
                raise UserError(
                    _(
                        "Do the intake talk with %(name)s first and tick "
                        "'Intake Talk Done'.",
                        name=volunteer.name,
                    )
                )
            needing = volunteer.kind_ids.filtered("needs_good_conduct")
            if needing and not volunteer._good_conduct_valid_on(today):
                raise UserError(
                    _(
                        "%(name)s offers %(kinds)s: that needs a certificate of "
                        "good conduct less than a year old.",
                        name=volunteer.name,
                        kinds=", ".join(needing.mapped("name")),
                    )
                )
        self.write({"state": "active"})
        return True

    def action_withdraw(self):
        """The volunteer stops: he is never suggested again."""
        self.write({"state": "withdrawn"})
        return True

    # ------------------------------------------------------------ ranking

    def _helpt_ranking_volunteer(self):
        """This volunteer as the ranking sees him (:class:`ranking.Volunteer`)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        has_point = bool(self.latitude or self.longitude)
        return ranking.Volunteer(
            id=self.id,
            kinds=frozenset(self.kind_ids.mapped("code")),
            latitude=self.latitude if has_point else None,
            longitude=self.longitude if has_point else None,
            districts=frozenset(self.district_ids.mapped("code")),
            radius_km=self.radius_km or None,
            weekly=tuple(
                ranking.Slot(
                    weekday=int(slot.weekday), start=slot.hour_from, end=slot.hour_to
                )
                for slot in self.availability_ids
            ),
            absences=tuple(
                (absence.date_from, absence.date_to or absence.date_from)
                for absence in self.absence_ids
            ),
            max_active=self.max_active_matches,
            active_matches=self.active_match_count,
            languages=frozenset(
                (lang.code or "").split("_")[0] for lang in self.language_ids
            ),
            state=self.state,
            good_conduct=self._good_conduct_valid_on(today),
            last_asked=self.last_asked_at or None,
        )


class HelptVolunteerAvailability(models.Model):
    """A weekly slot in which the volunteer is free."""

    _name = "helpt.volunteer.availability"
    _description = "Weekly Availability of a Volunteer"
    _order = "volunteer_id, weekday, hour_from"

    volunteer_id = fields.Many2one(
        "helpt.volunteer", required=True, ondelete="cascade", index=True
    )
    weekday = fields.Selection(WEEKDAYS, required=True, default="0")
    hour_from = fields.Float(string="From", required=True, default=9.0)
    hour_to = fields.Float(string="To", required=True, default=12.0)

    _sql_constraints = [
        (
            "hours_valid",
            "CHECK(hour_from >= 0 AND hour_to <= 24 AND hour_from < hour_to)",
            "A slot starts before it ends, within the day.",
        ),
    ]


class HelptVolunteerAbsence(models.Model):
    """A period in which the volunteer is not available (inclusive)."""

    _name = "helpt.volunteer.absence"
    _description = "Absence of a Volunteer"
    _order = "volunteer_id, date_from"

    volunteer_id = fields.Many2one(
        "helpt.volunteer", required=True, ondelete="cascade", index=True
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)

    _sql_constraints = [
        (
            "dates_valid",
            "CHECK(date_from <= date_to)",
            "An absence ends on or after the day it starts.",
        ),
    ]

from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from leuven.helpt import ranking
from leuven.kcc import inputs

LOCAL_TZ = pytz.timezone("Europe/Brussels")
MAX_DURATION_HOURS = 24
MAX_NEEDS = 2000
# earlier matches of the same customer that show who helped him before
HELPED_STATES = ("accepted", "done")
# the volunteers of this request's matches are not suggested again, except
# after a cancellation by the coordinator
NOT_AGAIN_STATES = ("proposed", "accepted", "declined", "expired", "done")


class KccCaseCategory(models.Model):
    _inherit = "kcc.case.category"

    is_helpt = fields.Boolean(
        string="Leuven Helpt",
        help="Cases of this category are help requests matched to volunteers.",
    )


class KccCase(models.Model):
    """A Leuven Helpt request is a case of a Leuven Helpt category."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    is_helpt = fields.Boolean(
        related="category_id.is_helpt", store=True, string="Leuven Helpt Request"
    )
    helpt_kind_id = fields.Many2one(
        "helpt.help.kind", string="Kind of Help", tracking=True
    )
    helpt_date = fields.Datetime(string="Help Wanted On")
    helpt_duration = fields.Float(string="Duration (hours)", default=1.0)
    helpt_recurring = fields.Boolean(
        string="Every Week", help="The help is wanted every week at that time."
    )
    helpt_urgency = fields.Selection(
        [
            ("urgent", "Within 24 hours"),
            ("week", "This week"),
            ("flexible", "Flexible"),
        ],
        string="Urgency",
        default="flexible",
    )
    helpt_needs = fields.Text(
        string="Special Needs",
        groups="leuven_helpt.group_helpt_coordinator",
        help="Health or social details: only Leuven Helpt coordinators read them.",
    )
    helpt_needs_entry = fields.Text(
        string="Add Special Needs",
        compute="_compute_helpt_needs_entry",
        inverse="_inverse_helpt_needs_entry",
        help="Health or social details the requester tells: they are added to "
        "the special needs, which only Leuven Helpt coordinators read.",
    )
    helpt_district_id = fields.Many2one(
        "helpt.district",
        string="District",
        compute="_compute_helpt_district_id",
        store=True,
        readonly=False,
    )
    helpt_language_id = fields.Many2one("res.lang", string="Language")
    helpt_match_ids = fields.One2many("helpt.match", "case_id", string="Matches")

    @api.depends("postcode", "partner_id.zip")
    def _compute_helpt_district_id(self):
        District = self.env["helpt.district"]
        for case in self:
            postcode = case.postcode or case.partner_id.zip
            district = District._for_postcode(postcode)
            if district or not case.helpt_district_id:
                case.helpt_district_id = district

    def _compute_helpt_needs_entry(self):
        self.helpt_needs_entry = False

    def _inverse_helpt_needs_entry(self):
        for case in self:
            text = (case.helpt_needs_entry or "").strip()
            if not text:
                continue
            stored = case.sudo()
            stored.helpt_needs = "\n".join(filter(None, [stored.helpt_needs, text]))
        # written, never read back: the form shows an empty field again
        self.invalidate_recordset(["helpt_needs_entry"])

    # ------------------------------------------------------------ intake

    _HELPT_INTAKE_FIELDS = (
        "helpt_kind_id",
        "helpt_date",
        "helpt_duration",
        "helpt_recurring",
        "helpt_urgency",
        "helpt_needs",
        "helpt_language_id",
    )

    @api.model
    def _intake_fields(self):
        """Every channel may give the request fields (the phone request's
        page is filled in after the quick contact)."""
        return tuple(super()._intake_fields()) + self._HELPT_INTAKE_FIELDS

    @api.model
    def _intake_normalize(self, values, channel):
        vals = super()._intake_normalize(values, channel)
        return self._helpt_check_intake(vals)

    @api.model
    def _helpt_check_intake(self, vals):
        """Types and ranges of the request fields given at intake; raises
        UserError in the words of the field."""
        _ = self.env._

        def refuse(field):
            label = self._fields[field]._description_string(self.env)
            return UserError(_("%(field)s is not valid.", field=label))

        for field, model in (
            ("helpt_kind_id", "helpt.help.kind"),
            ("helpt_language_id", "res.lang"),
        ):
            if vals.get(field):
                record = self.env[model].sudo().browse(vals[field]).exists()
                if not record or not record.active:
                    raise refuse(field)
        if vals.get("helpt_date"):
            try:
                vals["helpt_date"] = fields.Datetime.to_datetime(vals["helpt_date"])
            except (TypeError, ValueError) as err:
                raise refuse("helpt_date") from err
            if not isinstance(vals["helpt_date"], datetime):
                raise refuse("helpt_date")
        if "helpt_duration" in vals:
            duration = vals["helpt_duration"]
            if (
                isinstance(duration, bool)
                or not isinstance(duration, (int, float))
                or not 0 < duration <= MAX_DURATION_HOURS
            ):
                raise refuse("helpt_duration")
        if "helpt_recurring" in vals and not isinstance(vals["helpt_recurring"], bool):
            raise refuse("helpt_recurring")
        if vals.get("helpt_urgency") and vals["helpt_urgency"] not in dict(
            self._fields["helpt_urgency"].selection
        ):
            raise refuse("helpt_urgency")
        if vals.get("helpt_needs"):
            try:
                vals["helpt_needs"] = inputs.check_text(
                    vals["helpt_needs"], "helpt_needs", MAX_NEEDS, multiline=True
                )
            except inputs.InputError as err:
                raise refuse("helpt_needs") from err
        return vals

    # ------------------------------------------------------------ suggestions

    def _helpt_local_start(self):
        """The requested time as naive local (Brussels) time, or None."""
        self.ensure_one()
        if not self.helpt_date:
            return None
        utc = pytz.utc.localize(self.helpt_date)
        return utc.astimezone(LOCAL_TZ).replace(tzinfo=None)

    def _helpt_volunteers_of_matches(self, domain):
        Match = self.env["helpt.match"].sudo()
        return frozenset(
            volunteer.id
            for [volunteer] in Match._read_group(domain, ["volunteer_id"])
            if volunteer
        )

    def _helpt_ranking_request(self):
        """This request as the ranking sees it (:class:`ranking.Request`)."""
        self.ensure_one()
        case = self.sudo()
        has_point = bool(case.latitude or case.longitude)
        helped = frozenset()
        customer = case.partner_id.commercial_partner_id
        if customer:
            helped = self._helpt_volunteers_of_matches(
                [
                    ("case_id.commercial_partner_id", "=", customer.id),
                    ("state", "in", HELPED_STATES),
                ]
            )
        excluded = frozenset()
        if case.id:
            excluded = self._helpt_volunteers_of_matches(
                [("case_id", "=", case.id), ("state", "in", NOT_AGAIN_STATES)]
            )
        return ranking.Request(
            kind=case.helpt_kind_id.code or "",
            needs_good_conduct=case.helpt_kind_id.needs_good_conduct,
            latitude=case.latitude if has_point else None,
            longitude=case.longitude if has_point else None,
            district=case.helpt_district_id.code or None,
            start=case._helpt_local_start(),
            duration_h=case.helpt_duration or 1.0,
            recurring=case.helpt_recurring,
            language=(case.helpt_language_id.code or "").split("_")[0] or None,
            helped_before=helped,
            excluded=excluded,
        )

    def _helpt_suggestions(self, limit=10):
        """The volunteers suggested for this request, best first: a list of
        ``(helpt.volunteer, ranking.Suggestion)``; all of them with ``limit=None``.

        Whoever may read the case sees its suggestions (names and the
        explanation); the volunteers are read as superuser, in one query
        for the records and one for their open matches.
        """
        self.ensure_one()
        self.check_access("read")
        if not self.is_helpt:
            raise UserError(self.env._("This case is not a Leuven Helpt request."))
        if not self.helpt_kind_id:
            raise UserError(self.env._("Choose the kind of help first."))
        request = self._helpt_ranking_request()
        Volunteer = self.env["helpt.volunteer"].sudo()
        volunteers = Volunteer.search(
            [("state", "=", "active"), ("kind_ids", "in", self.helpt_kind_id.ids)]
        )
        # one read per relation for all of them, one read_group for the load
        volunteers.mapped("kind_ids.code")
        volunteers.mapped("district_ids.code")
        volunteers.mapped("language_ids.code")
        volunteers.availability_ids.mapped("hour_to")
        volunteers.absence_ids.mapped("date_to")
        volunteers.mapped("active_match_count")
        population = [volunteer._helpt_ranking_volunteer() for volunteer in volunteers]
        suggestions = ranking.rank(
            request, population, fields.Datetime.now(), limit=limit
        )
        return [
            (Volunteer.browse(suggestion.volunteer_id), suggestion)
            for suggestion in suggestions
        ]

    def action_helpt_suggestions(self):
        """Open the ranked suggestions of this request."""
        self.ensure_one()
        wizard = self.env["helpt.suggestion.wizard"]._for_case(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Suggestions for %(case)s", case=self.name),
            "res_model": "helpt.suggestion.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------ demo

    @api.model
    def _helpt_demo_requests(self):
        """Demo only: a phone request of each kind of help."""
        category = self.env.ref("leuven_helpt.case_category_helpt")
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        requests = [
            # kind, subject, name, phone, street, postcode, point, days, hour (UTC)
            (
                "groceries",
                "Boodschappen voor een oudere dame",
                "Maria Verbeeck",
                "+32 16 00 11 01",
                "Naamsestraat 60",
                "3000",
                (50.8730, 4.7010),
                3,
                8,
            ),
            (
                "transport",
                "Vervoer naar het ziekenhuis",
                "Jozef Lemmens",
                "+32 16 00 11 02",
                "Kapeldreef 10",
                "3001",
                (50.8625, 4.6890),
                2,
                12,
            ),
            (
                "company",
                "Wekelijks gezelschap",
                "Simone Dewit",
                "+32 16 00 11 03",
                "Holsbeeksesteenweg 5",
                "3010",
                (50.8905, 4.7245),
                4,
                13,
            ),
            (
                "small_jobs",
                "Gordijnen ophangen",
                "Louis Mertens",
                "+32 16 00 11 04",
                "Wilselsesteenweg 40",
                "3012",
                (50.8990, 4.6985),
                5,
                8,
            ),
            (
                "paperwork",
                "Hulp bij het invullen van formulieren",
                "Fatima Benali",
                "+32 16 00 11 05",
                "Parkstraat 90",
                "3000",
                (50.8760, 4.7040),
                1,
                9,
            ),
        ]
        for index, request in enumerate(requests):
            kind, subject, name, phone, street, postcode, point, days, hour = request
            case = self._intake(
                {
                    "subject": subject,
                    "description": subject,
                    "contact_name": name,
                    "contact_phone": phone,
                    "street": street,
                    "postcode": postcode,
                    "city": "Leuven",
                    "latitude": point[0],
                    "longitude": point[1],
                    "category_id": category.id,
                },
                "phone",
                idempotency_key=f"helpt-demo-{index}",
            )
            case.write(
                {
                    "helpt_kind_id": self.env.ref(f"leuven_helpt.help_kind_{kind}").id,
                    "helpt_date": now.replace(hour=hour) + timedelta(days=days),
                    "helpt_duration": 1.5,
                    "helpt_recurring": kind == "company",
                    "helpt_urgency": "urgent" if days <= 2 else "week",
                }
            )
        return True

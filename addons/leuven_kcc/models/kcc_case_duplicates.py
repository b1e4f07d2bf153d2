import datetime as dt

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import escape_psql

from leuven.kcc import geo, inputs, states

from .kcc_api_client import CITY_LANG
from .kcc_case import DUPLICATE_DAYS_PARAM, DUPLICATE_RADIUS_PARAM


class KccCase(models.Model):
    """Reports of a problem that is already known: nearby reports, possible
    duplicates, additional reporters and marking a duplicate."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    possible_duplicate_ids = fields.Many2many(
        "kcc.case",
        string="Possible Duplicates",
        compute="_compute_possible_duplicate_ids",
        help="Open reports in the same category near the same place, made recently.",
    )

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
        # a note for the staff: in the city's language, whoever reports
        city = self.with_context(lang=CITY_LANG)
        self.sudo().message_post(
            body=city.env._("The same problem was reported again (%(channel)s).",
                            channel=city._channel_label(channel)),
            subtype_xmlid="mail.mt_note",
        )  # fmt: skip
        self.env["kcc.case.reporter"]._add_people(
            self, [{**contact_values, "lang": self.env.lang}], channel
        )
        return contact

    # ------------------------------------------------------------ additional reporters

    def _notify_reporters(self):
        """Tell the additional reporters of these cases their new status (and
        the answer), in one batch of queued e-mails."""
        if self:
            self.env["kcc.case.reporter"].sudo().search(
                [("case_id", "in", self.ids)]
            )._notify_progress()

    def action_mark_duplicate(self):
        for case in self:
            if not case.duplicate_of_id:
                raise UserError(
                    self.env._("Choose the original case in 'Duplicate Of' first.")
                )
        # whoever may mark a case a duplicate of the original may read it
        self.duplicate_of_id.check_access("read")
        self.write({"state": states.ACTIONS["mark_duplicate"].target})
        Reporter = self.env["kcc.case.reporter"]
        for case in self:
            original = case.duplicate_of_id
            case.message_post(
                # to the customer: in his language (Dutch if he has none)
                body=self.with_context(lang=case.sudo()._customer_lang()).env._(
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

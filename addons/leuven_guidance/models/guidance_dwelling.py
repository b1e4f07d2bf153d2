import datetime as dt

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from leuven.geo import address_register

HEATING = [
    ("gas", "Natural gas"),
    ("oil", "Heating oil"),
    ("electric", "Electric"),
    ("heat_pump", "Heat pump"),
    ("district", "District heating"),
    ("wood", "Wood or pellets"),
    ("other", "Other"),
]
INSULATION = [
    ("yes", "Insulated"),
    ("partly", "Partly insulated"),
    ("no", "Not insulated"),
    ("unknown", "Unknown"),
]
GLAZING = [
    ("single", "Single glazing"),
    ("double", "Double glazing"),
    ("high_efficiency", "High-efficiency glazing"),
    ("triple", "Triple glazing"),
]
FIRST_YEAR = 1500
# the fields the citizen completes and corrects himself in the portal
CITIZEN_FIELDS = (
    "construction_year",
    "heating_type",
    "roof_insulation",
    "wall_insulation",
    "glazing",
)


class GuidanceDwelling(models.Model):
    """A dwelling, apart from the people who hold it (owners, tenants...).

    Identified by its address in the Flemish address register (the address's
    persistent id, and the building unit when the address has several)."""

    _name = "guidance.dwelling"
    _description = "Dwelling"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "city, street, house_number, box, id"
    _rec_names_search = ["street", "city", "postcode", "address_register_id"]

    street = fields.Char(required=True, tracking=True)
    house_number = fields.Char(tracking=True)
    box = fields.Char(tracking=True)
    postcode = fields.Char(tracking=True)
    city = fields.Char(tracking=True, default="Leuven")
    address_register_id = fields.Char(
        string="Address Register ID",
        tracking=True,
        index="btree_not_null",
        help="The persistent id of the address in the Flemish address register.",
    )
    building_unit_id = fields.Char(
        string="Building Unit ID",
        tracking=True,
        help="The building unit (gebouweenheid) of the address register, when the "
        "address has several.",
    )
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    holder_ids = fields.One2many("guidance.dwelling.holder", "dwelling_id", "Holders")
    trajectory_ids = fields.Many2many(
        "guidance.trajectory",
        "guidance_trajectory_dwelling_rel",
        "dwelling_id",
        "trajectory_id",
        string="Trajectories",
        readonly=True,
    )
    construction_year = fields.Integer(string="Year of Construction", tracking=True)
    heating_type = fields.Selection(HEATING, string="Heating", tracking=True)
    roof_insulation = fields.Selection(INSULATION, tracking=True)
    wall_insulation = fields.Selection(INSULATION, tracking=True)
    glazing = fields.Selection(GLAZING, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    _sql_constraints = [
        (
            "register_unit_unique",
            "unique(address_register_id, building_unit_id)",
            "A dwelling with this address register id and building unit exists.",
        ),
    ]

    def init(self):
        # unique(a, b) lets two rows with the same address and no building
        # unit through (NULLs are distinct): the partial index closes that
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS guidance_dwelling_register_no_unit "
            "ON guidance_dwelling (address_register_id) "
            "WHERE address_register_id IS NOT NULL AND building_unit_id IS NULL"
        )

    @api.depends("street", "house_number", "box", "postcode", "city")
    def _compute_display_name(self):
        for dwelling in self:
            line = " ".join(p for p in (dwelling.street, dwelling.house_number) if p)
            if dwelling.box:
                line = self.env._("%(line)s box %(box)s", line=line, box=dwelling.box)
            place = " ".join(p for p in (dwelling.postcode, dwelling.city) if p)
            dwelling.display_name = ", ".join(p for p in (line, place) if p)

    @api.constrains("construction_year")
    def _check_construction_year(self):
        for dwelling in self:
            error = dwelling._construction_year_error(dwelling.construction_year)
            if error:
                raise ValidationError(error)

    def _construction_year_error(self, year):
        """The Dutch message for an impossible year of construction, or None."""
        if not year:
            return None
        last = dt.date.today().year + 5
        if not FIRST_YEAR <= year <= last:
            return self.env._(
                "The year of construction must lie between %(first)s and %(last)s.",
                first=FIRST_YEAR,
                last=last,
            )
        return None

    def _portal_choices(self):
        """The options of the citizen's form, labels in his language."""
        return {
            name: self._fields[name]._description_selection(self.env)
            for name in CITIZEN_FIELDS
            if self._fields[name].type == "selection"
        }

    def _portal_parse(self, form):
        """(values to write, errors per field) from the citizen's form: every
        value checked here, on the server, with a Dutch message."""
        vals, errors = {}, {}
        choices = self._portal_choices()
        for name in CITIZEN_FIELDS:
            raw = form.get(name, "")
            if name == "construction_year":
                if not raw:
                    vals[name] = 0
                    continue
                if not raw.isdigit() or len(raw) > 4:
                    errors[name] = self.env._("Fill in a year, e.g. 1975.")
                    continue
                error = self._construction_year_error(int(raw))
                if error:
                    errors[name] = error
                else:
                    vals[name] = int(raw)
                continue
            if not raw:
                vals[name] = False
            elif raw in dict(choices[name]):
                vals[name] = raw
            else:
                errors[name] = self.env._("Choose one of the options.")
        return vals, errors

    def action_address_register_lookup(self):
        """Fill the address and position in from the address register. A
        register that does not answer (or does not know the id) changes
        nothing: the dwelling stays usable and its chatter says why."""
        self.ensure_one()
        self.check_access("write")
        if not (self.address_register_id or "").strip():
            raise UserError(self.env._("Fill in the address register id first."))
        register = self.env["kcc.address.lookup"]._address_register()
        try:
            found = register.address(self.address_register_id.strip())
        except address_register.NotFound:
            note = self.env._(
                "The address register does not know the address id %(id)s: "
                "the address was not changed.",
                id=self.address_register_id,
            )
        except address_register.AddressRegisterError:
            note = self.env._(
                "The address register did not answer: the address was not "
                "changed. Try again later or fill it in by hand."
            )
        else:
            self.write(
                {
                    "street": found.street or self.street,
                    "house_number": found.house_number,
                    "box": found.box,
                    "postcode": found.postcode,
                    "city": found.municipality,
                    "latitude": found.latitude or 0.0,
                    "longitude": found.longitude or 0.0,
                }
            )
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._("Address taken from the address register."),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        self.message_post(body=note, subtype_xmlid="mail.mt_note")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "warning", "message": note, "sticky": True},
        }

    @api.model
    def _held_by_domain(self, partner):
        """Dwellings currently held by this person (or his company)."""
        commercial = partner.commercial_partner_id
        return [
            (
                "holder_ids",
                "any",
                [("partner_id", "child_of", commercial.id)]
                + self.env["guidance.dwelling.holder"]._current_domain(),
            )
        ]

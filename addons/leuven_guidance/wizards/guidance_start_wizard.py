from odoo import api, fields, models
from odoo.exceptions import UserError

from leuven.geo import address_register
from leuven.kcc import inputs

from ..models.guidance_dwelling_holder import ROLES

MAX_SEARCH_LENGTH = 200
SUGGESTIONS = 8


class GuidanceStartWizard(models.TransientModel):
    """Start a guidance trajectory for a customer, from a case or his 360°."""

    _name = "guidance.start.wizard"
    _description = "Start a Guidance Trajectory"

    partner_id = fields.Many2one("res.partner", string="Citizen", required=True)
    case_id = fields.Many2one("kcc.case", string="Origin Case")
    type_id = fields.Many2one("guidance.trajectory.type", required=True)
    coach_id = fields.Many2one(
        "res.users",
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("leuven_guidance.group_guidance_coach").ids,
            )
        ],
    )
    held_dwelling_ids = fields.Many2many(
        "guidance.dwelling",
        "guidance_start_wizard_held_rel",
        string="Dwellings of the Citizen",
        compute="_compute_held_dwelling_ids",
    )
    dwelling_ids = fields.Many2many(
        "guidance.dwelling",
        "guidance_start_wizard_dwelling_rel",
        string="Dwellings",
        domain="[('id', 'in', held_dwelling_ids)]",
    )
    new_address = fields.Boolean(string="Add a New Address")
    street = fields.Char()
    house_number = fields.Char()
    box = fields.Char()
    postcode = fields.Char()
    city = fields.Char(default="Leuven")
    address_register_id = fields.Char(string="Address Register ID")
    building_unit_id = fields.Char(string="Building Unit ID")
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    role = fields.Selection(ROLES, string="Role of the Citizen", default="owner")
    # the address register: what the agent typed, its suggestions, the
    # building units of the chosen address and why it did not help
    address_search = fields.Char(string="Search the Address Register")
    suggestion_ids = fields.One2many(
        "guidance.start.wizard.line",
        "wizard_id",
        string="Suggestions",
        domain=[("kind", "=", "address")],
    )
    unit_line_ids = fields.One2many(
        "guidance.start.wizard.line",
        "wizard_id",
        string="Building Units",
        domain=[("kind", "=", "unit")],
    )
    from_register = fields.Boolean(
        readonly=True, help="The new address was taken from the address register."
    )
    register_note = fields.Char(readonly=True)

    @api.depends("partner_id")
    def _compute_held_dwelling_ids(self):
        Dwelling = self.env["guidance.dwelling"]
        for wizard in self:
            wizard.held_dwelling_ids = (
                Dwelling.search(Dwelling._held_by_domain(wizard.partner_id))
                if wizard.partner_id
                else False
            )

    @api.model
    def _action_open(self, partner, case=None):
        if not partner:
            raise UserError(
                self.env._("Link the case to a customer before starting a trajectory.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Start a Guidance Trajectory"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_case_id": case.id if case else False,
            },
        }

    def _reopen(self):
        """Show this wizard again (after a step of the address search)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Start a Guidance Trajectory"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": dict(self.env.context),
        }

    def _clear_register_choice(self, note=False):
        self.suggestion_ids.unlink()
        self.unit_line_ids.unlink()
        self.write({"from_register": False, "register_note": note})

    def action_register_search(self):
        """The address register's suggestions for what the agent typed; when
        the register fails, a note and the address typed by hand as before."""
        self.ensure_one()
        try:
            text = inputs.check_text(
                self.address_search, "address_search", MAX_SEARCH_LENGTH
            )
        except inputs.InputError:
            text = ""
        self._clear_register_choice()
        self.new_address = True
        if len(text) < 2:
            self.register_note = self.env._(
                "Type a street and house number to search the address register."
            )
            return self._reopen()
        register = self.env["kcc.address.lookup"]._address_register()
        try:
            suggestions = register.search(text, limit=SUGGESTIONS)
        except address_register.AddressRegisterError:
            self.register_note = self._register_down_note()
            return self._reopen()
        if not suggestions:
            self.register_note = self.env._(
                "The address register knows no address for %(text)s: check the "
                "spelling or fill in the address by hand.",
                text=text,
            )
            return self._reopen()
        self.env["guidance.start.wizard.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "kind": "address",
                    "address_register_id": suggestion.address_id,
                    "label": suggestion.label,
                }
                for suggestion in suggestions
            ]
        )
        return self._reopen()

    def _register_down_note(self):
        return self.env._(
            "The address register did not answer: fill in the address by hand "
            "or try again later."
        )

    def _choose_address(self, address_id):
        """Take the address ``address_id`` from the register; when it has
        several current building units, offer them to choose one."""
        self.ensure_one()
        register = self.env["kcc.address.lookup"]._address_register()
        try:
            found = register.address(address_id)
        except address_register.NotFound:
            self._clear_register_choice(
                self.env._(
                    "The address register does not know this address any more: "
                    "search again or fill it in by hand."
                )
            )
            return self._reopen()
        except address_register.AddressRegisterError:
            self._clear_register_choice(self._register_down_note())
            return self._reopen()
        note = False
        try:
            units = register.building_units(address_id)
        except address_register.AddressRegisterError:
            units = []
            note = self.env._(
                "The address register did not give the building units of this "
                "address: fill in the building unit id by hand if it has several."
            )
        self._clear_register_choice(note)
        self.write(
            {
                "new_address": True,
                "from_register": True,
                "street": found.street or found.label,
                "house_number": found.house_number,
                "box": found.box,
                "postcode": found.postcode,
                "city": found.municipality,
                "address_register_id": found.address_id,
                "building_unit_id": False,
                "latitude": found.latitude or 0.0,
                "longitude": found.longitude or 0.0,
            }
        )
        if len(units) > 1:
            self.env["guidance.start.wizard.line"].create(
                [
                    {
                        "wizard_id": self.id,
                        "kind": "unit",
                        "address_register_id": found.address_id,
                        "building_unit_id": unit.unit_id,
                        "label": self._unit_label(unit),
                    }
                    for unit in units
                ]
            )
        return self._reopen()

    def _unit_label(self, unit):
        status = {
            "gepland": self.env._("planned"),
            "gerealiseerd": self.env._("built"),
        }.get(unit.status, unit.status)
        return self.env._(
            "Building unit %(unit)s (%(status)s)", unit=unit.unit_id, status=status
        )

    def action_register_clear(self):
        """Leave the register's address: search again or type it by hand."""
        self.ensure_one()
        self._clear_register_choice()
        self.write(
            {
                "street": False,
                "house_number": False,
                "box": False,
                "postcode": False,
                "address_register_id": False,
                "building_unit_id": False,
                "latitude": 0.0,
                "longitude": 0.0,
            }
        )
        return self._reopen()

    def action_start(self):
        self.ensure_one()
        if self.case_id:
            self.case_id.check_access("read")
        self.partner_id.check_access("read")
        dwellings = self.dwelling_ids
        if self.new_address:
            if not (self.street or "").strip():
                raise UserError(self.env._("Fill in the street of the new address."))
            if self.unit_line_ids and not self.building_unit_id:
                raise UserError(
                    self.env._(
                        "This address has several building units: choose the "
                        "citizen's (his flat or box)."
                    )
                )
            dwellings |= self._new_dwelling()
        trajectory = self.env["guidance.trajectory"].create(
            {
                "type_id": self.type_id.id,
                "partner_id": self.partner_id.id,
                "case_id": self.case_id.id,
                "coach_id": self.coach_id.id,
                "dwelling_ids": [fields.Command.set(dwellings.ids)],
            }
        )
        if self.case_id:
            self.case_id.message_post(
                body=self.env._(
                    "Guidance trajectory %(name)s started.", name=trajectory.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return trajectory._guidance_action()

    def _new_dwelling(self):
        """The new address as a dwelling held by the citizen; an address the
        register knows already is reused, not made twice."""
        Dwelling = self.env["guidance.dwelling"]
        register_id = (self.address_register_id or "").strip()
        unit_id = (self.building_unit_id or "").strip() if register_id else ""
        dwelling = Dwelling
        if register_id:
            # archived too: the register id and unit identify one dwelling
            dwelling = Dwelling.with_context(active_test=False).search(
                [
                    ("address_register_id", "=", register_id),
                    ("building_unit_id", "=", unit_id or False),
                ],
                limit=1,
            )
        if not dwelling:
            dwelling = Dwelling.create(
                {
                    "street": self.street.strip(),
                    "house_number": (self.house_number or "").strip(),
                    "box": (self.box or "").strip(),
                    "postcode": (self.postcode or "").strip(),
                    "city": (self.city or "").strip(),
                    "address_register_id": register_id or False,
                    "building_unit_id": unit_id or False,
                    "latitude": self.latitude,
                    "longitude": self.longitude,
                }
            )
        Holder = self.env["guidance.dwelling.holder"]
        if not Holder.search_count(
            [
                ("dwelling_id", "=", dwelling.id),
                ("partner_id", "=", self.partner_id.id),
                ("role", "=", self.role or "owner"),
            ]
        ):
            Holder.create(
                {
                    "dwelling_id": dwelling.id,
                    "partner_id": self.partner_id.id,
                    "role": self.role or "owner",
                }
            )
        return dwelling


class GuidanceStartWizardLine(models.TransientModel):
    """A suggestion of the address register (an address, or a building unit
    of the chosen address) the agent picks in the start wizard."""

    _name = "guidance.start.wizard.line"
    _description = "Address Register Suggestion"
    _order = "id"

    wizard_id = fields.Many2one(
        "guidance.start.wizard", required=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [("address", "Address"), ("unit", "Building Unit")], required=True
    )
    address_register_id = fields.Char(string="Address Register ID", readonly=True)
    building_unit_id = fields.Char(string="Building Unit ID", readonly=True)
    label = fields.Char(string="Address", readonly=True)

    def action_choose(self):
        self.ensure_one()
        wizard = self.wizard_id
        if self.kind == "unit":
            wizard.building_unit_id = self.building_unit_id
            return wizard._reopen()
        return wizard._choose_address(self.address_register_id)

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.guidance_dwelling_holder import ROLES


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
    role = fields.Selection(ROLES, string="Role of the Citizen", default="owner")

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

    def action_start(self):
        self.ensure_one()
        if self.case_id:
            self.case_id.check_access("read")
        self.partner_id.check_access("read")
        dwellings = self.dwelling_ids
        if self.new_address:
            if not (self.street or "").strip():
                raise UserError(self.env._("Fill in the street of the new address."))
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
        dwelling = Dwelling
        if register_id:
            dwelling = Dwelling.search(
                [
                    ("address_register_id", "=", register_id),
                    ("building_unit_id", "=", False),
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

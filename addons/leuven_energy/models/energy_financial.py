from odoo import api, fields, models
from odoo.exceptions import ValidationError

from leuven.guidance import access, proactive

COACH_GROUP = "leuven_guidance.group_guidance_coach"
# the trajectory's fields of the financial data category
TRAJECTORY_FINANCIAL_FIELDS = (
    "income_category",
    "renovation_loan",
    "premium_application_ids",
)
# a premium application's fields a reader of the financial category sees
APPLICATION_FIELDS = (
    "name",
    "product_reference",
    "trajectory_id",
    "dwelling_id",
    "currency_id",
    "amount_requested",
    "amount_granted",
    "date_applied",
    "state",
    "company_id",
)
INCOME_LABELS = {
    1: "Category 1 (lowest income)",
    2: "Category 2",
    3: "Category 3",
    4: "Category 4 (highest income)",
}
STATES = [
    ("requested", "Requested"),
    ("granted", "Granted"),
    ("refused", "Refused"),
]


class GuidanceTrajectory(models.Model):
    """The financial data of a trajectory: the household's income category
    (Mijn VerbouwPremie), a renovation loan and the premiums applied for. A
    partner organisation reads them only with the financial category."""

    _inherit = "guidance.trajectory"  # pylint: disable=consider-merging-classes-inherited

    income_category = fields.Selection(
        [(str(code), INCOME_LABELS[code]) for code in proactive.INCOME_CATEGORIES],
        tracking=True,
        help="The household's income category of Mijn VerbouwPremie (1 is the "
        "lowest income): it decides the premiums and the renovation loan.",
    )
    renovation_loan = fields.Boolean(
        tracking=True, help="The citizen has or applies for a renovation loan."
    )
    premium_application_ids = fields.One2many(
        "energy.premium.application", "trajectory_id", string="Premium Applications"
    )

    @api.model
    def _guidance_field_map(self):
        field_map = dict(super()._guidance_field_map())
        field_map[access.FINANCIAL] = (
            tuple(field_map.get(access.FINANCIAL, ())) + TRAJECTORY_FINANCIAL_FIELDS
        )
        return field_map


class EnergyPremiumApplication(models.Model):
    """A premium or subsidy applied for in a trajectory, for one of its
    dwellings: what was asked, what was granted. Staff (coaches) manage them;
    a partner organisation reads those of the dwellings whose financial data
    the citizen granted it, and every such read is logged."""

    _name = "energy.premium.application"
    _description = "Premium Application"
    _inherit = ["guidance.partner.access.mixin"]
    _order = "date_applied desc, id desc"
    # the fields of its order: every application a partner reads is one of
    # the financial category (the record rule), the others are not found
    _guidance_base_fields = ("id", "display_name", "date_applied")

    trajectory_id = fields.Many2one(
        "guidance.trajectory", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(string="Premium", required=True)
    product_reference = fields.Char(
        string="Catalogue Reference",
        help="The catalogue reference of the premium (as in the proposals), "
        "e.g. premium_roof_insulation.",
    )
    dwelling_id = fields.Many2one(
        "guidance.dwelling",
        ondelete="restrict",
        domain="[('trajectory_ids', 'in', trajectory_id)]",
    )
    company_id = fields.Many2one(
        related="trajectory_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_requested = fields.Monetary()
    amount_granted = fields.Monetary()
    date_applied = fields.Date(default=fields.Date.context_today)
    state = fields.Selection(STATES, required=True, default="requested")
    guidance_granted_to_me = fields.Boolean(
        compute="_compute_guidance_granted_to_me",
        search="_search_guidance_granted",
        help="A partner organisation's user: an active grant of the financial "
        "data lets him read it.",
    )

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(amount_requested >= 0 AND amount_granted >= 0)",
            "The amounts of a premium application cannot be negative.",
        ),
    ]

    @api.constrains("trajectory_id", "dwelling_id")
    def _check_dwelling(self):
        for application in self.sudo():
            if (
                application.dwelling_id
                and application.dwelling_id
                not in application.trajectory_id.dwelling_ids
            ):
                raise ValidationError(
                    self.env._(
                        "A premium application is for a dwelling of its trajectory."
                    )
                )

    @api.model
    def _guidance_field_map(self):
        return {access.FINANCIAL: APPLICATION_FIELDS}

    def _guidance_pairs(self, readable, with_record=False):
        """(trajectory, dwelling, categories) of each application: its own
        dwelling, or every dwelling of its trajectory when it names none."""
        rows = []
        for application in self.sudo():
            trajectory_id = application.trajectory_id.id
            dwellings = readable.get(trajectory_id, {})
            if application.dwelling_id:
                dwelling_id = application.dwelling_id.id
                pairs = (
                    [(dwelling_id, dwellings[dwelling_id])]
                    if dwelling_id in dwellings
                    else []
                )
            else:
                pairs = list(dwellings.items())
            for dwelling_id, granted in pairs:
                if access.FINANCIAL not in granted:
                    continue  # no other category shows an application
                rows.append(
                    (application.id, trajectory_id, dwelling_id, granted)
                    if with_record
                    else (trajectory_id, dwelling_id, granted)
                )
        return rows

    @api.model
    def _guidance_granted_ids(self, readable):
        trajectory_ids = [
            trajectory_id
            for trajectory_id, dwellings in readable.items()
            if any(access.FINANCIAL in cats for cats in dwellings.values())
        ]
        if not trajectory_ids:
            return []
        candidates = self.sudo().search([("trajectory_id", "in", trajectory_ids)])
        return sorted(
            {row[0] for row in candidates._guidance_pairs(readable, with_record=True)}
        )

    @api.model
    def _guidance_ids_with_category(self, readable, category):
        if category != access.FINANCIAL:
            return set()
        return set(self._guidance_granted_ids(readable))

    def _compute_guidance_granted_to_me(self):
        # the record rule's check evaluates this in sudo: the user's grants
        organisation = self._guidance_partner_organisation(ignore_su=True)
        ids = set(self._guidance_granted_ids(self._guidance_readable(organisation)))
        for application in self:
            application.guidance_granted_to_me = application.id in ids

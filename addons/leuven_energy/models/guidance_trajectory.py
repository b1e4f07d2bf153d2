from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from leuven.energy import epc
from leuven.guidance import proactive, stages

from .guidance_dwelling import EPC_LABELS

ENERGY_TYPE = "leuven_energy.guidance_type_energy"
# the stages after which the dwelling's label is no longer its label "before"
AFTER_WORKS = ("works_done", "epc_after", "closed")
# the dwelling's fields that make its technical data complete
TECHNICAL_FIELDS = (
    "construction_year",
    "heating_type",
    "roof_insulation",
    "wall_insulation",
)


class GuidanceTrajectory(models.Model):
    """Energy coaching: the stage rules, the EPC before and after and the
    proposals for the coach."""

    _inherit = "guidance.trajectory"

    is_energy = fields.Boolean(compute="_compute_is_energy")
    advice_given = fields.Boolean(
        tracking=True, help="The coach gave the renovation advice."
    )
    quote_received = fields.Boolean(
        tracking=True, help="The citizen received a quote for the works."
    )
    epc_label_start = fields.Selection(
        EPC_LABELS,
        string="EPC Label Before",
        readonly=True,
        copy=False,
        help="The dwelling's EPC label when the coaching started.",
    )
    epc_label_now = fields.Selection(
        EPC_LABELS,
        string="EPC Label Now",
        compute="_compute_epc_improvement",
        store=True,
    )
    epc_steps = fields.Integer(
        string="EPC Label Steps Gained",
        compute="_compute_epc_improvement",
        store=True,
    )
    epc_improved = fields.Boolean(
        string="Dwelling Improved", compute="_compute_epc_improvement", store=True
    )
    proposals_html = fields.Html(
        string="Proposals",
        compute="_compute_proposals_html",
        sanitize=False,
        groups="leuven_guidance.group_guidance_coach",
    )

    @api.depends("type_id")
    def _compute_is_energy(self):
        energy = self.env.ref(ENERGY_TYPE, raise_if_not_found=False)
        for trajectory in self:
            trajectory.is_energy = bool(energy) and trajectory.type_id == energy

    @api.depends("type_id", "dwelling_ids.epc_label", "epc_label_start")
    def _compute_epc_improvement(self):
        for trajectory in self:
            now = trajectory.dwelling_ids[:1].epc_label or False
            steps = epc.label_steps(trajectory.epc_label_start, now) or 0
            if not trajectory.is_energy:
                now, steps = False, 0
            trajectory.epc_label_now = now
            trajectory.epc_steps = steps
            trajectory.epc_improved = steps > 0

    # -- stage rules ---------------------------------------------------------
    def _energy_facts(self):
        """The requirement codes of :mod:`leuven.guidance.stages` that hold
        for this trajectory."""
        self.ensure_one()
        facts = set()
        past = (
            self.env["calendar.event"]
            .sudo()
            .search_count(
                self._meeting_domain() + [("stop", "<=", fields.Datetime.now())],
                limit=1,
            )
        )
        if past:
            facts.add(stages.APPOINTMENT_DONE)
        dwellings = self.dwelling_ids.sudo()
        if dwellings and all(
            all(d[name] and d[name] != "unknown" for name in TECHNICAL_FIELDS)
            for d in dwellings
        ):
            facts.add(stages.DWELLING_TECHNICAL_DATA)
        if self.advice_given:
            facts.add(stages.ADVICE_GIVEN)
        if self.quote_received:
            facts.add(stages.QUOTE_RECEIVED)
        return facts

    def _requirement_labels(self):
        return {
            stages.APPOINTMENT_DONE: self.env._(
                "a home visit that took place (a past meeting in the calendar of "
                "the trajectory)"
            ),
            stages.DWELLING_TECHNICAL_DATA: self.env._(
                "the dwelling's technical data (year of construction, heating, "
                "roof and wall insulation)"
            ),
            stages.ADVICE_GIVEN: self.env._("the renovation advice (Advice given)"),
            stages.QUOTE_RECEIVED: self.env._("a quote (Quote received)"),
        }

    def _check_energy_move(self, stage):
        """Raise a UserError unless the trajectory may move to ``stage``."""
        self.ensure_one()
        try:
            stages.check_move(
                stages.ENERGY_COACHING,
                self.stage_id.code or None,
                stage.code,
                self._energy_facts(),
            )
        except stages.MoveRefused as refused:
            if refused.code == "same_stage":
                return
            if refused.code == "requirements_missing":
                labels = self._requirement_labels()
                raise UserError(
                    self.env._(
                        "%(ref)s cannot move to the stage %(stage)s yet. Missing: "
                        "%(missing)s.",
                        ref=self.name,
                        stage=stage.name,
                        missing="; ".join(labels.get(c, c) for c in refused.missing),
                    )
                ) from refused
            if refused.code == "closed":
                raise UserError(
                    self.env._(
                        "%(ref)s is closed: it cannot move forward.", ref=self.name
                    )
                ) from refused
            raise UserError(
                self.env._(
                    "%(ref)s cannot move to the stage %(stage)s.",
                    ref=self.name,
                    stage=stage.name,
                )
            ) from refused

    def write(self, vals):
        if vals.get("stage_id"):
            stage = self.env["guidance.stage"].browse(vals["stage_id"])
            for trajectory in self:
                if (
                    trajectory.is_energy
                    and stage.type_id == trajectory.type_id
                    and trajectory.stage_id != stage
                ):
                    trajectory._check_energy_move(stage)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        trajectories = super().create(vals_list)
        for trajectory in trajectories:
            label = trajectory.dwelling_ids[:1].epc_label
            if label and trajectory.is_energy:
                trajectory.epc_label_start = label
        return trajectories

    def _energy_note_label(self, dwelling):
        """Keep the dwelling's first known label as the label "before" of
        its open trajectories that have not reached the works."""
        for trajectory in self:
            if (
                trajectory.is_energy
                and not trajectory.epc_label_start
                and not trajectory.is_closed
                and trajectory.stage_id.code not in AFTER_WORKS
                and trajectory.dwelling_ids[:1] == dwelling
            ):
                trajectory.epc_label_start = dwelling.epc_label

    # -- proposals -----------------------------------------------------------
    # the dwelling's fields the proposals are made of (a change of one of
    # them may bring new proposals)
    _energy_proposal_fields = (
        "roof_insulation",
        "wall_insulation",
        "glazing",
        "heating_type",
        "heating_installed_year",
        "construction_year",
        "epc_label",
    )

    def _measure_labels(self):
        """The Dutch (translated) names of the measures and reasons of
        :data:`leuven.guidance.proactive.ENERGY_RULES`: the one table."""
        _ = self.env._
        return {
            "roof_insulation": _("Roof insulation"),
            "wall_insulation": _("Wall insulation"),
            "glazing": _("High-efficiency glazing"),
            "heat_pump": _("Heat pump"),
            "renovation_obligation": _("Renovation obligation"),
            "renovation_loan": _("Renovation loan"),
            "landlord_information": _("Information for the landlord"),
        }, {
            "roof_not_insulated": _("The roof is not insulated."),
            "wall_not_insulated": _("The outer walls are not insulated."),
            "single_glazing": _("The windows have single glazing."),
            "old_fossil_heating": _(
                "The gas or oil heating is more than 15 years old."
            ),
            "epc_label_e_or_f": _("The EPC label is E or F."),
            "low_income": _("The household has a low income."),
            "tenant": _("The citizen rents the dwelling."),
        }

    def _energy_proposals(self):
        """The proposals for the coach: dicts with ``dwelling``, ``measure``,
        ``product`` (catalogue reference) and ``reason`` (Dutch), per
        dwelling of the trajectory, from :func:`leuven.guidance.proactive.propose`;
        ``dwelling_id`` and ``proposal`` (the
        :class:`~leuven.guidance.proactive.Proposal`, its codes) too."""
        self.ensure_one()
        measures, reasons = self._measure_labels()
        today = fields.Date.context_today(self)
        result = []
        Holder = self.env["guidance.dwelling.holder"].sudo()
        for dwelling in self.dwelling_ids.sudo():
            holder = Holder.search(
                [
                    ("dwelling_id", "=", dwelling.id),
                    ("partner_id", "child_of", self.commercial_partner_id.id),
                ]
                + Holder._current_domain(),
                limit=1,
            )
            values = dwelling.read(list(self._energy_proposal_fields))[0]
            facts = proactive.dwelling_facts(
                values,
                role=holder.role or None,
                # the household's income category (the financial data), when
                # that part is installed
                income_category=self.sudo()["income_category"] or None
                if "income_category" in self._fields
                else None,
            )
            for proposal in proactive.propose(facts, today=today):
                result.append(
                    {
                        "dwelling": dwelling.display_name,
                        "measure": measures.get(proposal.measure, proposal.measure),
                        "product": proposal.product,
                        "reason": reasons.get(proposal.reason, proposal.reason),
                        "dwelling_id": dwelling.id,
                        "proposal": proposal,
                    }
                )
        return result

    @api.depends(
        "dwelling_ids.roof_insulation",
        "dwelling_ids.wall_insulation",
        "dwelling_ids.glazing",
        "dwelling_ids.heating_type",
        "dwelling_ids.heating_installed_year",
        "dwelling_ids.construction_year",
        "dwelling_ids.epc_label",
    )
    def _compute_proposals_html(self):
        for trajectory in self:
            rows = trajectory._energy_proposals() if trajectory.is_energy else []
            if not rows:
                trajectory.proposals_html = Markup("<p>%s</p>") % self.env._(
                    "No proposals: the dwelling's data give no reason for one yet."
                )
                continue
            head = Markup(
                "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
            ) % (
                self.env._("Dwelling"),
                self.env._("Measure"),
                self.env._("Catalogue Reference"),
                self.env._("Reason"),
            )
            body = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</td></tr>"
                )
                % (row["dwelling"], row["measure"], row["product"], row["reason"])
                for row in rows
            )
            trajectory.proposals_html = (
                Markup('<table class="table table-sm o_energy_proposals">')
                + head
                + Markup("<tbody>")
                + body
                + Markup("</tbody></table>")
            )

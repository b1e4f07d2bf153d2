from odoo import api, fields, models
from odoo.exceptions import UserError

from leuven.helpt import ranking


class HelptSuggestionWizard(models.TransientModel):
    """The ranked volunteers for one request, each with a button to propose."""

    _name = "helpt.suggestion.wizard"
    _description = "Suggested Volunteers for a Help Request"

    case_id = fields.Many2one("kcc.case", string="Request", required=True)
    line_ids = fields.One2many(
        "helpt.suggestion.wizard.line", "wizard_id", string="Suggestions"
    )

    @api.model
    def _for_case(self, case):
        """A wizard with the current suggestions of ``case``."""
        suggestions = case._helpt_suggestions()
        return self.create(
            {
                "case_id": case.id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "sequence": position,
                            "volunteer_id": volunteer.id,
                            "volunteer_name": volunteer.name,
                            "score": suggestion.score,
                            "explanation": ", ".join(ranking.explain(suggestion)),
                        }
                    )
                    for position, (volunteer, suggestion) in enumerate(
                        suggestions, start=1
                    )
                ],
            }
        )


class HelptSuggestionWizardLine(models.TransientModel):
    """One suggested volunteer: his name, score and why (not his address or
    phone: those are for the coordinator and, after accepting, the volunteer
    and requester)."""

    _name = "helpt.suggestion.wizard.line"
    _description = "Suggested Volunteer"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "helpt.suggestion.wizard", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(string="Rank")
    volunteer_id = fields.Many2one("helpt.volunteer", required=True)
    volunteer_name = fields.Char(string="Name")
    score = fields.Float(digits=(6, 2))
    explanation = fields.Char(string="Why")

    def action_propose(self):
        """Propose the request to this volunteer, if he is still suggested
        (his load, absences or the request may have changed meanwhile)."""
        self.ensure_one()
        case = self.wizard_id.case_id
        current = {
            volunteer.id: suggestion
            for volunteer, suggestion in case._helpt_suggestions(limit=None)
        }
        suggestion = current.get(self.volunteer_id.id)
        if suggestion is None:
            raise UserError(
                self.env._(
                    "%(name)s is no longer available for this request: open the "
                    "suggestions again.",
                    name=self.volunteer_name,
                )
            )
        volunteer = self.env["helpt.volunteer"].sudo().browse(suggestion.volunteer_id)
        case._helpt_propose(volunteer, suggestion)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The request was proposed to %(name)s.", name=self.volunteer_name
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

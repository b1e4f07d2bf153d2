from odoo import fields, models


class KccCaseWaitWizard(models.TransientModel):
    """Wait on the customer: the question to him is required and sent."""

    _name = "kcc.case.wait.wizard"
    _description = "Wait on Customer"

    case_id = fields.Many2one("kcc.case", required=True, readonly=True)
    question = fields.Text(
        required=True,
        help="Sent to the customer by e-mail and shown on his page; the case "
        "resumes when he replies.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.case_id.check_access("write")
        self.case_id._wait_on_customer(self.question)
        return {"type": "ir.actions.act_window_close"}


class KccCaseCancelWizard(models.TransientModel):
    """Cancel a case with a reason, which the customer is told."""

    _name = "kcc.case.cancel.wizard"
    _description = "Cancel Case"

    case_id = fields.Many2one("kcc.case", required=True, readonly=True)
    reason = fields.Text(required=True, help="Told to the customer.")

    def action_confirm(self):
        self.ensure_one()
        self.case_id.check_access("write")
        self.case_id._cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}

from odoo import fields, models


class KccCaseAnswer(models.Model):
    """An answer given to the customer, kept when the case is reopened and
    answered again: his page shows every answer he got."""

    _name = "kcc.case.answer"
    _description = "KCC Case Answer"
    _order = "date, id"

    case_id = fields.Many2one(
        "kcc.case", required=True, ondelete="cascade", index=True, readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    body = fields.Html(string="Answer", sanitize=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Answered By", readonly=True)

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kcc_reopen_days = fields.Integer(
        string="Reopen Within (days)",
        config_parameter="leuven_kcc.reopen_days",
        default=14,
        help="How many days after the answer a customer may reopen a case.",
    )
    kcc_reminder_days = fields.Integer(
        string="Remind Before Deadline (days)",
        config_parameter="leuven_kcc.reminder_days",
        default=2,
        help="The assignee is reminded this many days before the deadline.",
    )
    kcc_escalation_batch_size = fields.Integer(
        string="Escalation Batch Size",
        config_parameter="leuven_kcc.escalation_batch_size",
        default=500,
        help="Cases handled per batch by the escalation job.",
    )

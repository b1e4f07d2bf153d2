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
    kcc_web_rate_limit = fields.Integer(
        string="Website Forms per Hour",
        config_parameter="leuven_kcc.web_rate_limit",
        default=10,
        help="Forms accepted per hour from one internet address.",
    )
    kcc_escalation_batch_size = fields.Integer(
        string="Escalation Batch Size",
        config_parameter="leuven_kcc.escalation_batch_size",
        default=500,
        help="Cases handled per batch by the escalation job.",
    )
    kcc_retention_months = fields.Integer(
        string="Keep Finished Cases (months)",
        config_parameter="leuven_kcc.retention_months",
        default=60,
        help="Default retention of a new category: closed and cancelled cases "
        "are anonymised this many months after they were finished.",
    )
    kcc_retention_batch_size = fields.Integer(
        string="Anonymisation Batch Size",
        config_parameter="leuven_kcc.retention_batch_size",
        default=200,
        help="Cases anonymised per batch by the retention job.",
    )

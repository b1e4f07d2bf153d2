from odoo import api, fields, models
from odoo.exceptions import UserError


class KccCaseTransferWizard(models.TransientModel):
    """Move a case to another handler group, with a mandatory reason."""

    _name = "kcc.case.transfer.wizard"
    _description = "Transfer Case"

    case_id = fields.Many2one("kcc.case", required=True)
    kind = fields.Selection(
        [
            ("transfer", "Transfer to another group"),
            ("pull_back", "Pull back to the KCC"),
            ("hand_back", "Hand back to the KCC (not ours)"),
        ],
        required=True,
        default="transfer",
    )
    from_group_id = fields.Many2one(related="case_id.handler_group_id")
    to_group_id = fields.Many2one(
        "kcc.handler.group",
        string="New Handler Group",
        compute="_compute_to_group_id",
        store=True,
        readonly=False,
    )
    reason = fields.Text(required=True)
    is_kcc = fields.Boolean(compute="_compute_is_kcc")

    @api.depends("kind")
    def _compute_to_group_id(self):
        queue = self.env["kcc.handler.group"]._kcc_queue()
        for wizard in self:
            if wizard.kind in ("pull_back", "hand_back"):
                wizard.to_group_id = queue
            elif wizard.to_group_id == queue:
                wizard.to_group_id = False

    def _compute_is_kcc(self):
        is_kcc = self.env.user.has_group("leuven_kcc.group_kcc_agent")
        for wizard in self:
            wizard.is_kcc = is_kcc

    def action_transfer(self):
        self.ensure_one()
        case = self.case_id
        _ = self.env._
        if self.kind in ("transfer", "pull_back") and not self.env.user.has_group(
            "leuven_kcc.group_kcc_agent"
        ):
            raise UserError(
                _("Only the KCC can transfer a case; hand it back to the KCC instead.")
            )
        case.check_access("write")
        if not (self.reason or "").strip():
            raise UserError(_("Give a reason for the transfer."))
        target = self.to_group_id or self.env["kcc.handler.group"]._kcc_queue()
        if not target:
            raise UserError(_("Choose the handler group that takes over the case."))
        if target == case.handler_group_id:
            raise UserError(
                _("The case is already in group %(group)s.", group=target.name)
            )
        case._transfer_to(target, self.reason.strip(), self.kind)
        return {"type": "ir.actions.act_window_close"}

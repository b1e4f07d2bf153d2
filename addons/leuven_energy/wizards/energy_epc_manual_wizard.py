from odoo import fields, models
from odoo.exceptions import UserError

from leuven.energy import epc
from leuven.kcc.inputs import InputError

from ..models.guidance_dwelling import EPC_LABELS


class EnergyEpcManualWizard(models.TransientModel):
    """The coach enters a dwelling's EPC by hand (the citizen shows his
    certificate, or the EPC database does not know it)."""

    _name = "energy.epc.manual.wizard"
    _description = "Enter an EPC by Hand"

    dwelling_id = fields.Many2one("guidance.dwelling", required=True)
    label = fields.Selection(EPC_LABELS, string="EPC Label")
    score = fields.Char(string="EPC Score (kWh/m²·year)", help="For example 312,4")
    issued_on = fields.Date()
    valid_until = fields.Date(help="Empty: ten years after the date of issue.")
    certificate_number = fields.Char()

    def _error_message(self, error):
        """The Dutch message of an :class:`InputError` of ``manual_epc``."""
        _ = self.env._
        if error.field == "label":
            return _("Choose an EPC label from A+ to F.")
        if error.field == "score":
            if error.code == "range":
                most = f"{epc.MAX_SCORE:g}"
                return _(
                    "The EPC score lies between 0 and %(max)s kWh/m² per year.",
                    max=most,
                )
            return _("The EPC score is a number, e.g. 312,4.")
        if error.field == "issued_on":
            if error.code == "future":
                return _("The date of issue cannot lie in the future.")
            if error.code == "too_old":
                return _("The date of issue lies before the first EPCs (2008).")
            return _("Fill in the date of issue.")
        if error.field == "valid_until":
            return _("The end of validity must come after the date of issue.")
        if error.field == "certificate_number":
            return _("The certificate number holds only letters, digits and - / _ .")
        return _("The EPC could not be saved: check its data.")

    def action_confirm(self):
        self.ensure_one()
        dwelling = self.dwelling_id
        dwelling.check_access("write")
        try:
            record = epc.manual_epc(
                self.label or "",
                (self.score or "").strip(),
                self.issued_on or "",
                certificate_number=self.certificate_number or "",
                valid_until=self.valid_until or None,
                today=fields.Date.context_today(self),
            )
        except InputError as error:
            raise UserError(self._error_message(error)) from error
        dwelling._epc_write(record, "manual")
        score = f"{record.score:g}"
        dwelling.message_post(
            body=self.env._(
                "EPC entered by hand by %(user)s: label %(label)s, %(score)s kWh/m² "
                "per year.",
                user=self.env.user.name,
                label=record.label,
                score=score,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}

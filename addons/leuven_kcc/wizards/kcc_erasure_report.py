from odoo import api, fields, models


class KccErasureReport(models.TransientModel):
    """What an erasure did, and what had to be kept and why."""

    _name = "kcc.erasure.report"
    _description = "Erasure Report"

    partner_id = fields.Many2one("res.partner", readonly=True)
    report = fields.Text(readonly=True)

    @api.model
    def _format(self, report):
        _ = self.env._
        lines = [_("Anonymised cases: %(count)s", count=len(report["anonymised"]))]
        lines += [f"  - {reference}" for reference in report["anonymised"]]
        lines.append(_("Kept cases: %(count)s", count=len(report["kept"])))
        lines += [f"  - {reference}: {reason}" for reference, reason in report["kept"]]
        lines.append(report["person"] or _("The person was anonymised."))
        return "\n".join(lines)

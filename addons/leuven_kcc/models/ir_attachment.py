from odoo import api, fields, models
from odoo.osv import expression


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    kcc_hidden = fields.Boolean(
        string="Hidden Sensitive Attachment",
        compute="_compute_kcc_hidden",
        search="_search_kcc_hidden",
        help="Attached to a sensitive case outside the user's need-to-know groups.",
    )

    @api.model
    def _kcc_hidden_cases(self):
        """The sensitive cases whose free text and files the user may not see
        (``kcc.case._need_to_know_hidden_domain``), as a subquery of the
        attachment rule (it reads the partial index of the sensitive cases),
        or an empty list when there are none.

        Record rules are evaluated in sudo mode, so this looks at the user,
        not at ``env.su``.
        """
        Case = self.env["kcc.case"]
        domain = Case._need_to_know_hidden_domain(self.env.user)
        if domain == expression.FALSE_DOMAIN:
            return []
        return Case.sudo().with_context(active_test=False)._search(domain)

    @api.depends_context("uid")
    def _compute_kcc_hidden(self):
        case_ids = {
            attachment.res_id
            for attachment in self.sudo()
            if attachment.res_model == "kcc.case" and attachment.res_id
        }
        cases = self.env["kcc.case"].browse(case_ids)
        hidden = cases._need_to_know_hidden_ids(self.env.user)
        for attachment in self:
            attachment.kcc_hidden = (
                attachment.res_model == "kcc.case" and attachment.res_id in hidden
            )

    def _search_kcc_hidden(self, operator, value):
        if operator not in ("=", "!="):
            return expression.FALSE_DOMAIN
        hidden_cases = self._kcc_hidden_cases()
        if (operator == "=") == bool(value):
            return [("res_model", "=", "kcc.case"), ("res_id", "in", hidden_cases)]
        return [
            "|",
            "|",
            ("res_model", "!=", "kcc.case"),
            ("res_id", "=", False),
            ("res_id", "not in", hidden_cases),
        ]

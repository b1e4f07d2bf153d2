from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    kcc_hidden = fields.Boolean(
        string="Hidden Sensitive Attachment",
        compute="_compute_kcc_hidden",
        search="_search_kcc_hidden",
        help="Attached to a sensitive case outside the user's need-to-know groups.",
    )

    @api.model
    def _kcc_hidden_case_ids(self):
        """Sensitive cases whose free text and files the user may not see.

        Record rules are evaluated in sudo mode, so this looks at the user,
        not at ``env.su``.
        """
        if self.env.user.has_group("leuven_kcc.group_kcc_supervisor"):
            return []
        Case = self.env["kcc.case"]
        Case.flush_model(["sensitive", "handler_group_id"])
        self.env["kcc.handler.group"].flush_model(["member_ids"])
        rows = self.env.execute_query(
            SQL(
                """SELECT c.id FROM kcc_case c
                    WHERE c.sensitive AND NOT EXISTS (
                        SELECT 1 FROM kcc_handler_group_member_rel m
                         WHERE m.group_id = c.handler_group_id
                           AND m.user_id = %s)""",
                self.env.uid,
            )
        )
        return [row[0] for row in rows]

    @api.depends_context("uid")
    def _compute_kcc_hidden(self):
        hidden = set(self._kcc_hidden_case_ids())
        for attachment in self:
            attachment.kcc_hidden = (
                attachment.res_model == "kcc.case" and attachment.res_id in hidden
            )

    def _search_kcc_hidden(self, operator, value):
        if operator not in ("=", "!="):
            return expression.FALSE_DOMAIN
        hidden = [
            ("res_model", "=", "kcc.case"),
            ("res_id", "in", self._kcc_hidden_case_ids()),
        ]
        positive = (operator == "=") == bool(value)
        return hidden if positive else ["!", *expression.normalize_domain(hidden)]

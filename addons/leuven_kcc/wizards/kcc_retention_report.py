from odoo import api, fields, models


class KccRetentionReport(models.TransientModel):
    """Dry run of the retention job: how many cases per category would be
    anonymised now, before anything is removed."""

    _name = "kcc.retention.report"
    _description = "Retention Dry Run"

    line_ids = fields.One2many("kcc.retention.report.line", "report_id", readonly=True)
    total_count = fields.Integer(string="Cases to Anonymise", readonly=True)
    cron_active = fields.Boolean(string="Retention Job Active", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._fill_lines()
        return reports

    @api.model
    def _expired_counts(self):
        """{category id or False: count} of the cases past their retention."""
        Case = self.env["kcc.case"].sudo()
        return {
            category.id: count
            for category, count in Case._read_group(
                Case._retention_domain(), ["category_id"], ["__count"]
            )
        }

    def _fill_lines(self):
        """Count, per category, the cases the retention job would anonymise."""
        counts = self._expired_counts()
        default = self.env["kcc.case"]._default_retention_months()
        categories = self.env["kcc.case.category"].browse(
            [category_id for category_id in counts if category_id]
        )
        cron = self.env.ref(
            "leuven_kcc.ir_cron_kcc_retention", raise_if_not_found=False
        )
        for report in self:
            commands = [fields.Command.clear()]
            for category in categories.sorted("name"):
                commands.append(
                    fields.Command.create(
                        {
                            "category_id": category.id,
                            "retention_months": category.retention_months or default,
                            "case_count": counts[category.id],
                        }
                    )
                )
            if counts.get(False):
                commands.append(
                    fields.Command.create(
                        {"retention_months": default, "case_count": counts[False]}
                    )
                )
            report.write(
                {
                    "line_ids": commands,
                    "total_count": sum(counts.values()),
                    "cron_active": bool(cron and cron.sudo().active),
                }
            )

    def action_view_cases(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_case_action"
        )
        action["domain"] = self.env["kcc.case"]._retention_domain()
        action["context"] = {}
        return action

    def action_start(self):
        """Switch the retention job on and run it now; it works in batches."""
        cron = self.env.ref("leuven_kcc.ir_cron_kcc_retention").sudo()
        cron.active = True
        cron._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The retention job is active and starts now; it anonymises "
                    "the cases in batches."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class KccRetentionReportLine(models.TransientModel):
    _name = "kcc.retention.report.line"
    _description = "Retention Dry Run Line"

    report_id = fields.Many2one("kcc.retention.report", ondelete="cascade")
    category_id = fields.Many2one("kcc.case.category")
    retention_months = fields.Integer(string="Retention (months)")
    case_count = fields.Integer(string="Cases to Anonymise")

import datetime as dt

from odoo import api, fields, models

from leuven.kcc import kpi

from ..models.kcc_case import CASE_TYPES


class KccKpiDashboard(models.TransientModel):
    """The supervisors' dashboard: the city's KCC targets over a period."""

    _name = "kcc.kpi.dashboard"
    _description = "KCC Dashboard"

    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.today() - dt.timedelta(days=30)
    )
    date_to = fields.Date(required=True, default=fields.Date.today)
    contact_count = fields.Integer(string="Contacts", compute="_compute_figures")
    first_line_count = fields.Integer(
        string="Resolved in First Line", compute="_compute_figures"
    )
    first_line_rate = fields.Float(
        string="First-Line Resolution (%)", compute="_compute_figures", digits=(5, 1)
    )
    first_line_target = fields.Float(
        string="Target (%)", default=kpi.FIRST_LINE_TARGET, readonly=True
    )
    first_line_status = fields.Selection(
        [("met", "Target met"), ("below", "Below target")], compute="_compute_figures"
    )
    case_count = fields.Integer(string="Cases Received", compute="_compute_figures")
    open_case_count = fields.Integer(string="Open Cases", compute="_compute_figures")
    late_case_count = fields.Integer(string="Late Cases", compute="_compute_figures")
    transfers_per_case = fields.Float(compute="_compute_figures", digits=(5, 2))
    median_hours_to_answer = fields.Float(
        string="Median Hours to Answer", compute="_compute_figures", digits=(6, 1)
    )
    active_channel_count = fields.Integer(
        string="Channels Used", compute="_compute_figures"
    )
    group_mailbox_count = fields.Integer(
        string="Group Mailboxes",
        compute="_compute_figures",
        help="Handler groups that receive e-mail (the city's decentral channels).",
    )
    line_ids = fields.One2many(
        "kcc.kpi.dashboard.line", "dashboard_id", compute="_compute_figures"
    )

    def _period_bounds(self):
        start = dt.datetime.combine(self.date_from, dt.time.min)
        end = dt.datetime.combine(self.date_to, dt.time.max)
        return start, end

    @api.depends("date_from", "date_to")
    def _compute_figures(self):
        Case = self.env["kcc.case"]
        Contact = self.env["kcc.contact"]
        for board in self:
            start, end = board._period_bounds()
            period = [("date", ">=", start), ("date", "<=", end)]
            contacts = Contact.search_fetch(
                period, ["first_line_resolved", "case_id", "channel"]
            )
            resolved = contacts.filtered(
                lambda c: (
                    c.first_line_resolved
                    or (
                        c.case_id.first_line
                        and c.case_id.state in ("answered", "closed")
                    )
                )
            )
            board.contact_count = len(contacts)
            board.first_line_count = len(resolved)
            board.first_line_rate = kpi.rate(len(resolved), len(contacts))
            board.first_line_status = kpi.first_line_status(board.first_line_rate)
            board.active_channel_count = len(set(contacts.mapped("channel")))
            board.group_mailbox_count = self.env["kcc.handler.group"].search_count(
                [("alias_name", "!=", False)]
            )
            received = [("date_received", ">=", start), ("date_received", "<=", end)]
            cases = Case.search(received)
            board.case_count = len(cases)
            transfers = self.env["kcc.case.transfer"].search_count(
                [("case_id", "in", cases.ids)]
            )
            board.transfers_per_case = transfers / len(cases) if cases else 0.0
            board.open_case_count = Case.search_count([("is_open", "=", True)])
            board.late_case_count = Case.search_count(
                [("is_open", "=", True), ("is_late", "=", True)]
            )
            answered = Case.search_fetch(
                [("date_answered", ">=", start), ("date_answered", "<=", end)],
                ["date_received", "date_answered", "handler_group_id", "case_type"],
            )
            rows = [
                {
                    "group": case.handler_group_id.id,
                    "type": case.case_type,
                    "all": "all",
                    "received": case.date_received,
                    "answered": case.date_answered,
                }
                for case in answered
            ]
            board.median_hours_to_answer = kpi.median_hours_by(rows, "all").get(
                "all", 0.0
            )
            board.line_ids = board._group_lines(rows)

    def _group_lines(self, rows):
        Case = self.env["kcc.case"]
        open_by_group = dict(
            Case._read_group(
                [("is_open", "=", True)], ["handler_group_id"], ["__count"]
            )
        )
        late_by_group = dict(
            Case._read_group(
                [("is_open", "=", True), ("is_late", "=", True)],
                ["handler_group_id"],
                ["__count"],
            )
        )
        median_by_group = kpi.median_hours_by(rows, "group")
        per_type = {}
        for case_type, _label in CASE_TYPES:
            typed = [r for r in rows if r["type"] == case_type]
            for group_id, hours in kpi.median_hours_by(typed, "group").items():
                per_type.setdefault(group_id, {})[case_type] = hours
        groups = self.env["kcc.handler.group"].search([])
        commands = [fields.Command.clear()]
        for group in groups:
            types = per_type.get(group.id, {})
            commands.append(
                fields.Command.create(
                    {
                        "handler_group_id": group.id,
                        "open_count": open_by_group.get(group, 0),
                        "late_count": late_by_group.get(group, 0),
                        "median_hours": median_by_group.get(group.id, 0.0),
                        "median_hours_question": types.get("question", 0.0),
                        "median_hours_report": types.get("report", 0.0),
                        "median_hours_complaint": types.get("complaint", 0.0),
                    }
                )
            )
        return commands

    def action_open_contacts_graph(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_contact_action"
        )
        action.update(view_mode="graph,pivot,list", views=False)
        start, end = self._period_bounds()
        action["domain"] = [("date", ">=", start), ("date", "<=", end)]
        return action

    def action_open_cases_pivot(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_case_action"
        )
        action.update(view_mode="pivot,graph,list", views=False, context={})
        return action


class KccKpiDashboardLine(models.TransientModel):
    _name = "kcc.kpi.dashboard.line"
    _description = "KCC Dashboard Line"

    dashboard_id = fields.Many2one("kcc.kpi.dashboard", ondelete="cascade")
    handler_group_id = fields.Many2one("kcc.handler.group")
    open_count = fields.Integer(string="Open")
    late_count = fields.Integer(string="Late")
    median_hours = fields.Float(string="Median Hours to Answer", digits=(6, 1))
    median_hours_question = fields.Float(string="Questions", digits=(6, 1))
    median_hours_report = fields.Float(string="Reports", digits=(6, 1))
    median_hours_complaint = fields.Float(string="Complaints", digits=(6, 1))

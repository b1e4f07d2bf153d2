import datetime as dt

from odoo import api, fields, models
from odoo.tools import SQL

from leuven.kcc import kpi

from ..models.kcc_case import CASE_TYPES, STATES
from ..models.kcc_case_board import state_order_sql


class KccCaseReport(models.Model):
    """Case figures for the dashboard, the pivot and the graph.

    One row per case the current user may read (the case's access rules are
    applied inside the query), without its subject, text or customer: only
    what is counted. "Late" is the condition of the case list: open and past
    its deadline today (the user's day).
    """

    _name = "kcc.case.report"
    _inherit = ["kcc.channel.mixin"]
    _description = "Case Figures"
    _auto = False
    _order = "date_received desc, id desc"
    _rec_name = "id"
    _depends = {
        "kcc.case": [
            "date_received",
            "date_answered",
            "case_type",
            "channel",
            "handler_group_id",
            "category_id",
            "state",
            "is_open",
            "deadline",
            "deadline_paused_on",
            "answered_late",
            "first_line",
            "company_id",
        ],
    }

    date_received = fields.Datetime(string="Received On", readonly=True)
    date_answered = fields.Datetime(string="Answered On", readonly=True)
    case_type = fields.Selection(CASE_TYPES, string="Type", readonly=True)
    channel = fields.Selection(readonly=True)
    handler_group_id = fields.Many2one("kcc.handler.group", readonly=True)
    category_id = fields.Many2one("kcc.case.category", readonly=True)
    state = fields.Selection(STATES, string="Status", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    deadline = fields.Date(readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    is_late = fields.Boolean(
        string="Late", readonly=True, help="Open and past its deadline today."
    )
    answered_late = fields.Boolean(readonly=True)
    first_line = fields.Boolean(string="Resolved in First Line", readonly=True)
    case_count = fields.Integer(string="Cases", readonly=True, aggregator="sum")
    open_count = fields.Integer(string="Open Cases", readonly=True, aggregator="sum")
    late_count = fields.Integer(string="Late Cases", readonly=True, aggregator="sum")
    answered_late_count = fields.Integer(
        string="Answered Late Cases", readonly=True, aggregator="sum"
    )
    first_line_count = fields.Integer(
        string="Cases Resolved in First Line", readonly=True, aggregator="sum"
    )
    response_hours = fields.Float(
        string="Response Time (hours)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Hours from receipt to the answer.",
    )

    @property
    def _table_query(self):
        # the cases the user may read, as the case list shows them: the
        # access rules of kcc.case, applied for the current user
        visible = self.env["kcc.case"]._search([])
        today = fields.Date.context_today(self)
        late = SQL(
            "(c.is_open AND c.deadline_paused_on IS NULL AND c.deadline < %s)", today
        )
        return SQL(
            """
            SELECT c.id,
                   c.date_received,
                   c.date_answered,
                   c.case_type,
                   c.channel,
                   c.handler_group_id,
                   c.category_id,
                   c.state,
                   c.company_id,
                   c.deadline,
                   COALESCE(c.is_open, FALSE) AS is_open,
                   COALESCE(%(late)s, FALSE) AS is_late,
                   COALESCE(c.answered_late, FALSE) AS answered_late,
                   COALESCE(c.first_line, FALSE) AS first_line,
                   1 AS case_count,
                   CASE WHEN c.is_open THEN 1 ELSE 0 END AS open_count,
                   CASE WHEN %(late)s THEN 1 ELSE 0 END AS late_count,
                   CASE WHEN c.answered_late THEN 1 ELSE 0 END AS answered_late_count,
                   CASE WHEN c.first_line AND c.state IN ('answered', 'closed')
                        THEN 1 ELSE 0 END AS first_line_count,
                   EXTRACT(EPOCH FROM c.date_answered - c.date_received) / 3600.0
                       AS response_hours
              FROM kcc_case c
             WHERE c.id IN (%(visible)s)
            """,
            late=late,
            visible=visible.subselect(),
        )

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        # states in the life cycle's order, as on the board
        if "state" in groupby_terms:
            groupby_terms = dict(
                groupby_terms, state=state_order_sql(groupby_terms["state"])
            )
        return super()._read_group_orderby(order, groupby_terms, query)

    # ------------------------------------------------------------ dashboard

    @api.model
    def get_dashboard(self, date_from=None, date_to=None):
        """The figures of the KCC dashboard for the period (dates, inclusive;
        the last 30 days by default), as plain data for the client action.

        The KPI formulas are those of ``leuven.kcc.kpi``.
        """
        today = fields.Date.context_today(self)
        date_to = fields.Date.to_date(date_to) or today
        date_from = fields.Date.to_date(date_from) or date_to - dt.timedelta(days=30)
        start = dt.datetime.combine(date_from, dt.time.min)
        end = dt.datetime.combine(date_to, dt.time.max)
        first_line = self._first_line_figures(start, end)
        received = [("date_received", ">=", start), ("date_received", "<=", end)]
        answered = [("date_answered", ">=", start), ("date_answered", "<=", end)]
        rows = self.search_fetch(
            answered,
            ["date_received", "date_answered", "handler_group_id", "channel"],
        )
        plain = [
            {
                "group": row.handler_group_id.id,
                "channel": row.channel,
                "all": "all",
                "received": row.date_received,
                "answered": row.date_answered,
            }
            for row in rows
        ]
        channel_labels = dict(self._fields["channel"]._description_selection(self.env))
        return {
            "trend_view_id": self.env.ref(
                "leuven_kcc.kcc_case_report_view_graph_trend"
            ).id,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "first_line": first_line,
            "received_count": self.search_count(received),
            "open_count": self.search_count([("is_open", "=", True)]),
            "late_count": self.search_count([("is_late", "=", True)]),
            "answered_late_count": self.search_count(
                [*answered, ("answered_late", "=", True)]
            ),
            "median_hours": kpi.median_hours_by(plain, "all").get("all"),
            "transfers_per_case": self._transfers_per_case(received),
            "by_channel": self._dashboard_lines(
                "channel",
                received,
                kpi.median_hours_by(plain, "channel"),
                lambda key: channel_labels.get(key, key),
            ),
            "by_group": self._dashboard_lines(
                "handler_group_id",
                received,
                kpi.median_hours_by(plain, "group"),
            ),
        }

    @api.model
    def _first_line_figures(self, start, end):
        """Customer contacts of the period resolved by the KCC itself: at
        once, or in a case the KCC answered in first line."""
        contacts = self.env["kcc.contact"].search_fetch(
            [("date", ">=", start), ("date", "<=", end)],
            ["first_line_resolved", "case_id", "channel"],
        )
        resolved = contacts.filtered(
            lambda c: (
                c.first_line_resolved
                or (c.case_id.first_line and c.case_id.state in ("answered", "closed"))
            )
        )
        rate = kpi.rate(len(resolved), len(contacts))
        return {
            "contacts": len(contacts),
            "resolved": len(resolved),
            "rate": rate,
            "target": kpi.FIRST_LINE_TARGET,
            "status": kpi.first_line_status(rate),
            "channels_used": len(set(contacts.mapped("channel"))),
            "group_mailboxes": self.env["kcc.handler.group"].search_count(
                [("alias_name", "!=", False)]
            ),
        }

    @api.model
    def _transfers_per_case(self, received):
        cases = self.search(received)
        if not cases:
            return 0.0
        transfers = self.env["kcc.case.transfer"].search_count(
            [("case_id", "in", cases.ids)]
        )
        return round(transfers / len(cases), 2)

    @api.model
    def _dashboard_lines(self, groupby, received, medians, label=None):
        """Per ``groupby``: cases received in the period, open and late now,
        answered late in the period, median hours to answer."""
        now = self._read_group(
            [("is_open", "=", True)], [groupby], ["__count", "late_count:sum"]
        )
        period = dict(self._read_group(received, [groupby], ["__count"]))
        lines = {}
        for key, open_count, late_count in now:
            lines[key] = {"open": open_count, "late": late_count}
        for key, count in period.items():
            lines.setdefault(key, {"open": 0, "late": 0})["received"] = count
        result = []
        for key, figures in lines.items():
            if isinstance(key, models.BaseModel):
                ident, name = key.id, key.display_name or self.env._("None")
            else:
                ident, name = key, label(key) if (label and key) else self.env._("None")
            result.append(
                {
                    "id": ident or False,
                    "name": name,
                    "received": figures.get("received", 0),
                    "open": figures["open"],
                    "late": figures["late"],
                    "median_hours": medians.get(ident or False),
                }
            )
        result.sort(key=lambda line: (-line["late"], -line["open"], line["name"]))
        return result

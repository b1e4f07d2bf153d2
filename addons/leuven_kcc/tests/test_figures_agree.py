import datetime as dt
import importlib.util
from pathlib import Path

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from leuven.kcc import states

from .common import KccCommon


def action_domain(env, xmlid, extra_defaults=None):
    """The domain a user gets when he opens the window action ``xmlid``: its
    domain and its default filters, combined as the search panel does
    (filters of one group OR-ed, groups AND-ed)."""
    action = env["ir.actions.act_window"]._for_xml_id(xmlid)
    model = env[action["res_model"]]
    eval_context = {
        "uid": env.uid,
        "context_today": lambda: fields.Date.context_today(model),
        "relativedelta": relativedelta,
        "datetime": safe_datetime,
    }
    context = safe_eval(action.get("context") or "{}", eval_context)
    context.update(extra_defaults or {})
    domains = [safe_eval(action.get("domain") or "[]", eval_context)]
    search_view_id = action["search_view_id"] and action["search_view_id"][0]
    arch = model.get_views([(search_view_id, "search")])["views"]["search"]["arch"]
    groups, current = [], []
    for node in etree.fromstring(arch):
        if node.tag == "filter":
            current.append(node)
            continue
        groups.append(current)
        current = []
    groups.append(current)
    for group in groups:
        chosen = [
            safe_eval(node.get("domain"), eval_context)
            for node in group
            if node.get("domain") and context.get(f"search_default_{node.get('name')}")
        ]
        if chosen:
            domains.append(expression.OR(chosen))
    return expression.AND(domains)


@tagged("post_install", "-at_install")
class TestFiguresAgree(TransactionCase):
    """On the demo data: the late list, the dashboard and the pivots give the
    same number of late cases, for each user and each period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "figures.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.agent = new_test_user(
            cls.env,
            "figures.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )

    def late_figures(self, user, period=None):
        env = self.env(user=user)
        Case, Report = env["kcc.case"], env["kcc.case.report"]
        received = []
        if period:
            start, end = (fields.Date.to_date(day) for day in period)
            received = [
                ("date_received", ">=", dt.datetime.combine(start, dt.time.min)),
                ("date_received", "<=", dt.datetime.combine(end, dt.time.max)),
            ]
        late_list = Case.search_count(
            expression.AND(
                [action_domain(env, "leuven_kcc.kcc_case_action_late"), received]
            )
        )
        # the Cases Analysis pivot (group by handler group and status) with
        # the filter "Late"
        analysis = expression.AND(
            [
                action_domain(
                    env,
                    "leuven_kcc.kcc_case_action_analysis",
                    {"search_default_late": 1},
                ),
                received,
            ]
        )
        case_pivot = sum(
            row["__count"]
            for row in Case.read_group(
                analysis, ["__count"], ["handler_group_id", "state"], lazy=False
            )
        )
        # the case figures' pivot, measure "Late Cases"
        report_pivot = sum(
            row["late_count"]
            for row in Report.read_group(
                received, ["late_count:sum"], ["handler_group_id", "state"], lazy=False
            )
        )
        if period:
            board = Report.get_dashboard(*period)
            dashboard = sum(line["late"] for line in board["by_group"])
            return late_list, case_pivot, report_pivot, dashboard
        board = Report.get_dashboard()
        by_group = sum(line["late"] for line in board["by_group"])
        by_channel = sum(line["late"] for line in board["by_channel"])
        return (
            late_list,
            case_pivot,
            report_pivot,
            board["late_count"],
            by_group,
            by_channel,
        )

    def test_late_list_dashboard_and_pivot_agree(self):
        for user in (self.supervisor, self.agent):
            with self.subTest(user=user.login):
                figures = self.late_figures(user)
                self.assertEqual(len(set(figures)), 1, figures)
                self.assertGreater(figures[0], 0, "the demo data has late cases")

    def test_late_figures_agree_for_a_period(self):
        today = fields.Date.context_today(self.env(user=self.supervisor)["kcc.case"])
        period = (today - dt.timedelta(days=20), today)
        # the dashboard's lines count the late cases now, per group and channel;
        # for a period, the list and the pivots narrowed to the cases received
        # in it agree with each other
        late_list, case_pivot, report_pivot, _board = self.late_figures(
            self.supervisor, period
        )
        self.assertEqual((late_list, case_pivot), (report_pivot, report_pivot))
        self.assertGreater(late_list, 0)

    def test_late_list_shows_only_open_late_cases(self):
        env = self.env(user=self.supervisor)
        domain = action_domain(env, "leuven_kcc.kcc_case_action_late")
        cases = env["kcc.case"].search(domain)
        self.assertTrue(cases)
        today = fields.Date.context_today(cases)
        for case in cases:
            self.assertTrue(case.is_open, case.name)
            self.assertLess(case.deadline, today, case.name)
            self.assertFalse(case.deadline_paused_on, case.name)
        answered_late = env["kcc.case"].search([("answered_late", "=", True)])
        self.assertTrue(answered_late, "the demo data has cases answered late")
        self.assertFalse(answered_late & cases, "an answered case is no longer late")

    def test_open_and_late_filters_combine_with_and(self):
        env = self.env(user=self.supervisor)
        both = action_domain(
            env,
            "leuven_kcc.kcc_case_action",
            {"search_default_open": 1, "search_default_late": 1},
        )
        Case = env["kcc.case"]
        self.assertEqual(
            Case.search_count(both), Case.search_count([("is_late", "=", True)])
        )
        self.assertLess(
            Case.search_count(both), Case.search_count([("is_open", "=", True)])
        )


@tagged("post_install", "-at_install")
class TestDeadlineForEveryCase(KccCommon):
    def case_of(self, group):
        return self.Case.create(
            {
                "subject": "Zonder categorie",
                "contact_email": "someone@example.com",
                "handler_group_id": group.id,
            }
        )

    def test_case_without_category_gets_its_groups_deadline(self):
        self.group_waste.default_response_days = 3
        with freeze_time("2026-11-02 10:00:00"):  # Monday
            case = self.case_of(self.group_waste)
        self.assertEqual(str(case.deadline), "2026-11-05")

    def test_company_default_when_group_gives_none(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "leuven_kcc.default_response_days", 4
        )
        self.group_waste.default_response_days = 0
        with freeze_time("2026-11-02 10:00:00"):
            case = self.case_of(self.group_waste)
        self.assertEqual(str(case.deadline), "2026-11-06")

    def test_new_group_gets_the_company_default(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "leuven_kcc.default_response_days", 7
        )
        group = self.env["kcc.handler.group"].create({"name": "Parken"})
        self.assertEqual(group.default_response_days, 7)

    def test_category_deadline_wins(self):
        self.group_roads.default_response_days = 20
        with freeze_time("2026-11-02 10:00:00"):
            case = self.make_case(category_id=self.category_roads.id)
        self.assertEqual(case.handler_group_id, self.group_roads)
        self.assertEqual(str(case.deadline), "2026-11-09")  # the category's 5 days

    def test_transfer_gives_a_deadline_to_a_case_without_one(self):
        self.group_roads.default_response_days = 2
        with freeze_time("2026-11-02 10:00:00"):
            case = self.make_case()
            case.sudo().deadline = False  # a case from before every case had one
        with freeze_time("2026-11-10 10:00:00"):
            self.env["kcc.case.transfer.wizard"].with_user(self.agent).create(
                {"case_id": case.id, "to_group_id": self.group_roads.id, "reason": "x"}
            ).action_transfer()
            self.assertEqual(str(case.deadline), "2026-11-04")
            self.assertTrue(case.with_user(self.agent).is_late)

    def test_transfer_keeps_an_existing_deadline(self):
        with freeze_time("2026-11-02 10:00:00"):
            case = self.make_case(category_id=self.category_roads.id)
            deadline = case.deadline
            self.env["kcc.case.transfer.wizard"].with_user(self.agent).create(
                {"case_id": case.id, "to_group_id": self.group_waste.id, "reason": "x"}
            ).action_transfer()
        self.assertEqual(case.deadline, deadline)

    def test_migration_dates_open_cases_without_deadline(self):
        with freeze_time("2026-11-02 10:00:00"):
            open_case = self.case_of(self.group_waste)
            done = self.case_of(self.group_waste)
            done.action_start()
            done.resolution = "<p>Ok</p>"
            done.action_answer()
        (open_case | done).sudo().write({"deadline": False})
        self.group_waste.default_response_days = 1
        path = (
            Path(__file__).parent.parent
            / "migrations"
            / "18.0.1.5.0"
            / "post-deadlines.py"
        )
        spec = importlib.util.spec_from_file_location("kcc_post_deadlines", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        self.env.flush_all()
        script.migrate(self.env.cr, "18.0.1.4.0")
        open_case.invalidate_recordset()
        done.invalidate_recordset()
        self.assertEqual(str(open_case.deadline), "2026-11-03")
        self.assertFalse(done.deadline)


@tagged("post_install", "-at_install")
class TestBoardOrderAndDrag(KccCommon):
    def test_states_in_workflow_order_on_board_and_pivot(self):
        supervisor = new_test_user(
            self.env,
            "board.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        Case = self.env["kcc.case"].with_user(supervisor)
        order = list(states.STATES)
        # the board (lazy read_group with the columns filled in)
        columns = [
            group["state"]
            for group in Case.web_read_group(
                [("is_open", "=", True)], ["state"], ["state"]
            )["groups"]
        ]
        self.assertEqual(columns, sorted(columns, key=order.index))
        self.assertEqual(columns[:3], ["new", "assigned", "in_progress"])
        # the pivot and the graph (eager read_group)
        for model in ("kcc.case", "kcc.case.report"):
            rows = (
                self.env[model]
                .with_user(supervisor)
                .read_group([], ["__count"], ["state"], lazy=False)
            )
            seen = [row["state"] for row in rows]
            self.assertEqual(seen, sorted(seen, key=order.index), model)
            self.assertGreater(len(seen), 3, model)

    def test_drag_where_the_life_cycle_allows_it(self):
        case = self.make_case(category_id=self.category_roads.id)
        board = case.with_user(self.handler_roads)
        board.web_save({"state": "in_progress"}, {})
        self.assertEqual(case.state, "in_progress")
        with self.assertRaisesRegex(UserError, "cannot go from"):
            board.web_save({"state": "closed"}, {})
        self.assertEqual(case.state, "in_progress")

    def test_drag_to_waiting_or_cancelled_needs_the_button(self):
        case = self.make_case(category_id=self.category_roads.id)
        board = case.with_user(self.handler_roads).with_context(lang="nl_BE")
        with self.assertRaisesRegex(UserError, "Wachten op klant"):
            board.web_save({"state": "waiting"}, {})
        with self.assertRaisesRegex(UserError, "Annuleren"):
            board.web_save({"state": "cancelled"}, {})
        with self.assertRaisesRegex(UserError, "kan niet van"):
            board.web_save({"state": "closed"}, {})
        self.assertEqual(case.state, "new")


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    """An agent opens the dashboard in Dutch; its late cases open the late
    list with as many cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "leuven_kcc"], ["nl_BE"]
        )
        cls.agent = new_test_user(
            cls.env,
            "dashboard.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
            lang="nl_BE",
        )

    def test_agent_reads_the_dashboard(self):
        self.start_tour("/odoo", "leuven_kcc_dashboard_tour", login="dashboard.agent")


@tagged("post_install", "-at_install")
class TestCaseFiguresAccess(KccCommon):
    """The case figures show each user the cases he may read, and nothing of
    their content."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "access.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        hr = cls.env["kcc.handler.group"].create({"name": "Personeel", "code": "T-HR"})
        category = cls.env["kcc.case.category"].create(
            {"name": "Klacht over personeel", "handler_group_id": hr.id}
        )
        category.confidential = True
        cls.secret = cls.Case._intake(
            {
                "subject": "Klacht over een collega",
                "contact_email": "els@example.com",
                "category_id": category.id,
            },
            "web_form",
        )

    def test_agent_figures_leave_out_what_he_cannot_read(self):
        for user in (self.agent, self.supervisor):
            with self.subTest(user=user.login):
                Report = self.env["kcc.case.report"].with_user(user)
                Case = self.env["kcc.case"].with_user(user)
                self.assertEqual(Report.search_count([]), Case.search_count([]))
                seen = bool(Report.search([("id", "=", self.secret.id)]))
                self.assertEqual(seen, user == self.supervisor)

    def test_figures_carry_no_content(self):
        Report = self.env["kcc.case.report"]
        for name in ("subject", "description", "partner_id", "contact_email"):
            self.assertNotIn(name, Report._fields)

    def test_handler_has_no_case_figures(self):
        with self.assertRaises(AccessError):
            self.env["kcc.case.report"].with_user(self.handler_roads).search([])

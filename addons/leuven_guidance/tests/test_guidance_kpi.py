import datetime as dt

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import GuidanceFixture

REPORTS = ("guidance.trajectory.report", "guidance.partner.report")


@tagged("post_install", "-at_install")
class TestGuidanceKpi(GuidanceFixture, TransactionCase):
    """The stage history and the trajectory analysis, as the coach sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()
        cls.stage_closed = cls.env.ref("leuven_guidance.guidance_stage_general_closed")
        Partner = cls.env["res.partner"]
        cls.energy_house = Partner.create(
            {
                "name": "Energiehuis Leuven",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.energy_user = new_test_user(
            cls.env, "g.energy", groups="base.group_portal", name="Els Energiehuis"
        )
        cls.energy_user.partner_id.parent_id = cls.energy_house

    def start(self, day):
        with freeze_time(day):
            return (
                self.env["guidance.trajectory"]
                .with_user(self.coach)
                .create(
                    {
                        "type_id": self.type_general.id,
                        "partner_id": self.citizen.partner_id.id,
                        "coach_id": self.coach.id,
                        "dwelling_ids": [(6, 0, self.owned.ids)],
                    }
                )
            )

    def figures(self, trajectories, groupby="stage_id"):
        """``{group: (trajectories now, passages, average days)}`` of the
        analysis as the coach reads it."""
        Report = self.env["guidance.trajectory.report"].with_user(self.coach)
        return {
            key: (count, stays, round(days, 1))
            for key, count, stays, days in Report._read_group(
                [("trajectory_id", "in", trajectories.ids)],
                [groupby],
                ["trajectory_count:sum", "stay_count:sum", "days_in_stage:avg"],
            )
        }

    def test_every_stage_change_is_recorded(self):
        first = self.start("2027-01-04 09:00:00")
        history = self.env["guidance.stage.history"].with_user(self.coach)
        with freeze_time("2027-01-14 09:00:00"):
            # a drag in the kanban: a write of the stage
            first.write({"stage_id": self.stage_progress.id})
        with freeze_time("2027-01-20 21:00:00"):
            first.stage_id = self.stage_closed
        rows = history.search([("trajectory_id", "=", first.id)])
        self.assertEqual(
            [(r.stage_id, r.entered_at, r.left_at, r.user_id) for r in rows],
            [
                (
                    self.stage_intake,
                    dt.datetime(2027, 1, 4, 9),
                    dt.datetime(2027, 1, 14, 9),
                    self.coach,
                ),
                (
                    self.stage_progress,
                    dt.datetime(2027, 1, 14, 9),
                    dt.datetime(2027, 1, 20, 21),
                    self.coach,
                ),
                (self.stage_closed, dt.datetime(2027, 1, 20, 21), False, self.coach),
            ],
        )
        self.assertEqual(rows.type_id, self.type_general)
        # a write that does not change the stage adds nothing
        first.write({"stage_id": self.stage_closed.id, "date_end": "2027-01-20"})
        self.assertEqual(len(history.search([("trajectory_id", "=", first.id)])), 3)

    def test_days_in_stage_and_counts(self):
        first = self.start("2027-01-04 09:00:00")
        second = self.start("2027-01-06 09:00:00")
        with freeze_time("2027-01-14 09:00:00"):
            first.stage_id = self.stage_progress
        with freeze_time("2027-01-16 09:00:00"):
            second.stage_id = self.stage_progress
        with freeze_time("2027-01-21 09:00:00"):
            first.stage_id = self.stage_closed
        with freeze_time("2027-01-26 09:00:00"):
            figures = self.figures(first | second)
            # intake: 10 and 10 days, both left it
            self.assertEqual(figures[self.stage_intake], (0, 2, 10.0))
            # in progress: 7 days (first) and 10 days up to now (second)
            self.assertEqual(figures[self.stage_progress], (1, 2, 8.5))
            self.assertEqual(figures[self.stage_closed], (1, 1, 5.0))
            # open and closed trajectories: one current row each
            by_state = self.figures(first | second, "is_closed")
            self.assertEqual(by_state[True][0], 1)
            self.assertEqual(by_state[False][0], 1)
            by_month = self.figures(first | second, "date_start:month")
            self.assertEqual(sum(count for count, _s, _d in by_month.values()), 2)

    def test_type_change_moves_the_stage(self):
        trajectory = self.start("2027-02-01 09:00:00")
        other_type = self.env["guidance.trajectory.type"].create(
            {"name": "Schuldbegeleiding", "code": "DEBT_KPI"}
        )
        other_stage = self.env["guidance.stage"].create(
            {"name": "Aanmelding", "type_id": other_type.id}
        )
        with freeze_time("2027-02-03 09:00:00"):
            trajectory.with_user(self.coach).type_id = other_type
            self.assertEqual(trajectory.stage_id, other_stage)
        figures = self.figures(trajectory, "type_id")
        self.assertEqual(figures[other_type][:2], (1, 1))
        self.assertEqual(figures[self.type_general][:2], (0, 1))

    def test_existing_trajectories_have_a_history(self):
        # the demo trajectories, created before the analysis, have one stay
        Report = self.env["guidance.trajectory.report"].with_user(self.manager)
        trajectories = self.env["guidance.trajectory"].search([])
        self.assertTrue(trajectories)
        current = Report.search([("is_current", "=", True)])
        self.assertEqual(current.trajectory_id, trajectories)
        self.assertEqual(len(current), len(trajectories))
        # a trajectory without a history gets one stay from its start date
        History = self.env["guidance.stage.history"]
        History.sudo().search([("trajectory_id", "=", self.trajectory.id)]).unlink()
        self.trajectory.date_start = "2026-05-04"
        self.env.flush_all()
        History.init()
        History.invalidate_model()
        row = History.with_user(self.coach).search(
            [("trajectory_id", "=", self.trajectory.id)]
        )
        self.assertEqual(
            (row.stage_id, row.entered_at, row.left_at),
            (self.stage_intake, dt.datetime(2026, 5, 4), False),
        )

    def test_partner_figures(self):
        Consent = self.env["kcc.consent"].with_user(self.coach)
        categories = self.env["guidance.data.category"].search(
            [("code", "in", ["dwelling", "epc"])]
        )
        values = {
            "partner_id": self.citizen.partner_id.id,
            "organisation_id": self.energy_house.id,
            "trajectory_id": self.trajectory.id,
            "category_ids": [(6, 0, categories.ids)],
            "dwelling_ids": [(6, 0, self.owned.ids)],
            "valid_until": fields.Date.today() + dt.timedelta(days=30),
            "purpose": "Renovatieadvies",
        }
        # two grants of one trajectory count as one trajectory granted
        Consent.create(values)
        Consent.create(values)
        Consent.create(values).action_withdraw()
        # the system logs the organisation's reads: two of the coach's
        # trajectory, one of a trajectory of nobody
        Log = self.env["guidance.access.log"].sudo()
        for trajectory, day in (
            (self.trajectory, "2027-03-01 10:00:00"),
            (self.trajectory, "2027-03-02 10:00:00"),
            (self.other_trajectory, "2027-03-02 11:00:00"),
        ):
            Log.create(
                {
                    "organisation_id": self.energy_house.id,
                    "trajectory_id": trajectory.id,
                    "dwelling_id": trajectory.dwelling_ids[:1].id,
                    "category": "dwelling",
                    "read_at": day,
                }
            )
        for user, reads in ((self.coach, 2), (self.manager, 3)):
            Report = self.env["guidance.partner.report"].with_user(user)
            self.assertEqual(
                Report._read_group(
                    [("organisation_id", "=", self.energy_house.id)],
                    ["organisation_id"],
                    ["grant_count:sum", "read_count:sum"],
                ),
                [(self.energy_house, 1, reads)],
            )
        dwelling = self.env.ref("leuven_guidance.data_category_dwelling")
        by_category = Report._read_group(
            [("organisation_id", "=", self.energy_house.id), ("read_count", "=", 1)],
            ["category_id"],
            ["__count"],
        )
        self.assertEqual(by_category, [(dwelling, 3)])

    def test_who_sees_the_figures(self):
        for model in REPORTS + ("guidance.stage.history",):
            for user in (self.coach, self.manager):
                self.env[model].with_user(user).search([])
            for user in (self.agent, self.citizen, self.energy_user):
                with self.subTest(model=model, user=user.login):
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).search([])
                    if model in REPORTS:
                        with self.assertRaises(AccessError):
                            self.env[model].with_user(user).read_group(
                                [], ["id:count"], []
                            )

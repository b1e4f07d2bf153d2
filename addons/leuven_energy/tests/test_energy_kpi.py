import datetime as dt

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import EnergyFixture

REPORT = "energy.improvement.report"


@tagged("post_install", "-at_install")
class TestEnergyKpi(EnergyFixture, TransactionCase):
    """Improved dwellings: the EPC label before and now of the energy
    coachings, as the coach reads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_energy()

    def label(self, dwelling, label, issued_on):
        wizard = (
            self.env["energy.epc.manual.wizard"]
            .with_user(self.coach)
            .create(
                {
                    "dwelling_id": dwelling.id,
                    "label": label,
                    "score": "300",
                    "issued_on": issued_on,
                }
            )
        )
        wizard.action_confirm()

    def start(self, partner, dwellings):
        return (
            self.env["guidance.trajectory"]
            .with_user(self.coach)
            .create(
                {
                    "type_id": self.type_energy.id,
                    "partner_id": partner.id,
                    "coach_id": self.coach.id,
                    "dwelling_ids": [(6, 0, dwellings.ids)],
                }
            )
        )

    def test_improved_dwellings_per_year_closed(self):
        citizen = self.citizen.partner_id
        with freeze_time("2027-01-04 09:00:00"):
            # the fixture's coaching of the owned dwelling: E before
            self.label(self.owned, "E", "2019-06-12")
            # a coaching of both dwellings: its first dwelling (the owned one)
            self.label(self.rented, "D", "2020-03-01")
            both = self.start(citizen, self.owned | self.rented)
            rented = self.start(citizen, self.rented)
            # no label known: counted, not in the average
            unknown = self.start(self.other_citizen.partner_id, self.foreign)
        self.assertEqual(both.epc_label_start, "E")
        self.assertEqual(rented.epc_label_start, "D")
        with freeze_time("2027-05-10 09:00:00"):
            # after the works: E → C (2 steps); the rented dwelling: D → F
            self.label(self.owned, "C", "2027-05-02")
            self.label(self.rented, "F", "2027-05-03")
            self.trajectory.with_user(self.coach).stage_id = self.stage["closed"]
        with freeze_time("2028-02-01 09:00:00"):
            both.with_user(self.coach).write(
                {"stage_id": self.stage["closed"].id, "date_end": "2028-01-31"}
            )
        trajectories = self.trajectory | both | rented | unknown
        Report = self.env[REPORT].with_user(self.coach)
        domain = [("trajectory_id", "in", trajectories.ids)]
        # each coaching once, even of two dwellings
        rows = Report.search(domain)
        self.assertEqual(rows.trajectory_id, trajectories)
        self.assertEqual(len(rows), 4)
        row = rows.filtered(lambda r: r.trajectory_id == both)
        self.assertEqual(
            (row.dwelling_id, row.epc_label_start, row.epc_label_now, row.epc_steps),
            (self.owned, "E", "C", 2.0),
        )
        [(count, measured, improved, steps)] = Report._read_group(
            domain,
            [],
            [
                "trajectory_count:sum",
                "measured_count:sum",
                "improved_count:sum",
                "epc_steps:avg",
            ],
        )
        self.assertEqual((count, measured, improved), (4, 3, 2))
        # (2 + 2 - 2) / 3: the coaching without labels is left out
        self.assertAlmostEqual(steps, 2 / 3, places=2)
        per_year = {
            year: (count, improved)
            for year, count, improved in Report._read_group(
                domain,
                ["date_closed:year"],
                ["trajectory_count:sum", "improved_count:sum"],
            )
        }
        self.assertEqual(
            per_year,
            {
                dt.date(2027, 1, 1): (1, 1),
                dt.date(2028, 1, 1): (1, 1),
                False: (2, 0),
            },
        )
        closed = Report.search(domain + [("is_closed", "=", True)])
        self.assertEqual(
            sorted(closed.mapped("date_closed")),
            [dt.date(2027, 5, 10), dt.date(2028, 1, 31)],
        )

    def test_other_types_are_left_out(self):
        general = self.env["guidance.trajectory"].create(
            {
                "type_id": self.type_general.id,
                "partner_id": self.citizen.partner_id.id,
                "dwelling_ids": [(6, 0, self.owned.ids)],
            }
        )
        Report = self.env[REPORT].with_user(self.manager)
        self.assertTrue(Report.search([("trajectory_id", "=", self.trajectory.id)]))
        self.assertFalse(Report.search([("trajectory_id", "=", general.id)]))

    def test_who_sees_the_figures(self):
        organisation = self.env["res.partner"].create(
            {
                "name": "Energiehuis Leuven",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        partner_user = new_test_user(
            self.env, "g.energy", groups="base.group_portal", name="Els Energiehuis"
        )
        partner_user.partner_id.parent_id = organisation
        for user in (self.coach, self.manager):
            self.assertTrue(self.env[REPORT].with_user(user).search([]))
        for user in (self.agent, self.citizen, partner_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env[REPORT].with_user(user).read_group(
                    [], ["improved_count:sum"], []
                )

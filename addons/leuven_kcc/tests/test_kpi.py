from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestKpiDashboard(KccCommon):
    def test_figures_on_known_data(self):
        Contact = self.env["kcc.contact"]
        with freeze_time("2027-03-01 09:00:00"):
            # 3 contacts answered at once by the KCC, 1 case answered by the KCC
            # in first line, 2 cases handled by Roads: 4 of 6 contacts first line
            for index in range(3):
                Contact.create(
                    {"summary": f"Vraag {index}", "first_line_resolved": True}
                )
            kcc_case = self.make_case(subject="Eerste lijn")
            roads = [
                self.make_case(subject=f"Weg {n}", category_id=self.category_roads.id)
                for n in range(2)
            ]
            wizard = self.env["kcc.case.transfer.wizard"].with_user(self.agent)
            wizard.create(
                {
                    "case_id": roads[0].id,
                    "to_group_id": self.group_waste.id,
                    "reason": "x",
                }
            ).action_transfer()
            wizard.create(
                {
                    "case_id": roads[0].id,
                    "to_group_id": self.group_roads.id,
                    "reason": "y",
                }
            ).action_transfer()
        with freeze_time("2027-03-01 11:00:00"):
            kcc_case.write({"first_line": True})
            kcc_case.action_start()
            kcc_case.resolution = "<p>Ok</p>"
            kcc_case.action_answer()
        with freeze_time("2027-03-02 15:00:00"):
            roads[1].action_start()
            roads[1].resolution = "<p>Ok</p>"
            roads[1].action_answer()
        with freeze_time("2027-03-20 12:00:00"):
            board = (
                self.env["kcc.kpi.dashboard"]
                .with_user(self.supervisor())
                .create({"date_from": "2027-03-01", "date_to": "2027-03-31"})
            )
            self.assertEqual(board.contact_count, 6)
            self.assertEqual(board.first_line_count, 4)
            self.assertEqual(board.first_line_rate, 66.7)
            self.assertEqual(board.first_line_status, "met")
            self.assertEqual(board.case_count, 3)
            self.assertAlmostEqual(board.transfers_per_case, 2 / 3, places=2)
            # answered after 2 h (KCC) and 30 h (Roads): median 16 h
            self.assertEqual(board.median_hours_to_answer, 16.0)
            line = board.line_ids.filtered(
                lambda x: x.handler_group_id == self.group_roads
            )
            self.assertEqual((line.open_count, line.late_count), (1, 1))
            self.assertEqual(line.median_hours, 30.0)
            self.assertEqual(line.median_hours_question, 30.0)
            self.assertGreaterEqual(board.active_channel_count, 2)

    def supervisor(self):
        return new_test_user(
            self.env,
            "kpi.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )

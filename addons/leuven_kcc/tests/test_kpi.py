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
                self.env["kcc.case.report"]
                .with_user(self.supervisor())
                .get_dashboard("2027-03-01", "2027-03-31")
            )
            first_line = board["first_line"]
            self.assertEqual(first_line["contacts"], 6)
            self.assertEqual(first_line["resolved"], 4)
            self.assertEqual(first_line["rate"], 66.7)
            self.assertEqual(first_line["target"], 60.0)
            self.assertEqual(first_line["status"], "met")
            self.assertGreaterEqual(first_line["channels_used"], 2)
            self.assertEqual(board["received_count"], 3)
            self.assertAlmostEqual(board["transfers_per_case"], 2 / 3, places=2)
            # answered after 2 h (KCC) and 30 h (Roads): median 16 h
            self.assertEqual(board["median_hours"], 16.0)
            self.assertEqual(board["answered_late_count"], 0)
            # roads[0] is open and past its deadline of 8 March
            line = next(
                line for line in board["by_group"] if line["id"] == self.group_roads.id
            )
            self.assertEqual((line["open"], line["late"]), (1, 1))
            self.assertEqual(line["received"], 2)
            self.assertEqual(line["median_hours"], 30.0)
            web_form = next(
                line for line in board["by_channel"] if line["id"] == "web_form"
            )
            self.assertEqual(web_form["received"], 3)

    def test_first_line_below_target(self):
        Contact = self.env["kcc.contact"]
        with freeze_time("2027-04-01 09:00:00"):
            Contact.create({"summary": "Snel antwoord", "first_line_resolved": True})
            for index in range(2):
                Contact.create({"summary": f"Doorverwezen {index}"})
            board = (
                self.env["kcc.case.report"]
                .with_user(self.supervisor())
                .get_dashboard("2027-04-01", "2027-04-01")
            )
        self.assertEqual(board["first_line"]["rate"], 33.3)
        self.assertEqual(board["first_line"]["status"], "below")

    def supervisor(self):
        return new_test_user(
            self.env,
            "kpi.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )

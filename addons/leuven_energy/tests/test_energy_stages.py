import datetime as dt

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import EnergyFixture


@tagged("post_install", "-at_install")
class TestEnergyStages(EnergyFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_energy()

    def as_coach(self):
        return self.trajectory.with_user(self.coach)

    def test_stages_match_the_rules(self):
        """The type's stages carry the codes of the stage rules, in order."""
        self.assertEqual(
            self.type_energy.stage_ids.mapped("code"),
            [
                "intake",
                "home_visit",
                "advice",
                "quotes",
                "premiums",
                "works_done",
                "epc_after",
                "closed",
            ],
        )
        self.assertEqual(self.trajectory.stage_id, self.stage["intake"])

    def test_home_visit_needs_a_past_meeting(self):
        trajectory = self.as_coach()
        with self.assertRaises(UserError) as refused:
            trajectory.stage_id = self.stage["home_visit"]
        self.assertIn("home visit", str(refused.exception))
        self.assertEqual(self.trajectory.stage_id, self.stage["intake"])
        # a meeting to come is not enough
        now = fields.Datetime.now()
        meeting = (
            self.env["calendar.event"]
            .with_user(self.coach)
            .create(
                {
                    "name": "Huisbezoek",
                    "start": now + dt.timedelta(days=2),
                    "stop": now + dt.timedelta(days=2, hours=1),
                    "res_model_id": self.env["ir.model"]._get_id("guidance.trajectory"),
                    "res_id": self.trajectory.id,
                }
            )
        )
        with self.assertRaises(UserError):
            trajectory.stage_id = self.stage["home_visit"]
        meeting.write(
            {
                "start": now - dt.timedelta(days=1, hours=1),
                "stop": now - dt.timedelta(days=1),
            }
        )
        trajectory.stage_id = self.stage["home_visit"]
        self.assertEqual(self.trajectory.stage_id, self.stage["home_visit"])

    def test_advice_needs_the_technical_data(self):
        trajectory = self.as_coach()
        with self.assertRaises(UserError) as refused:
            trajectory.stage_id = self.stage["advice"]
        self.assertIn("technical data", str(refused.exception))
        self.owned.with_user(self.coach).write(
            {
                "construction_year": 1932,
                "heating_type": "gas",
                "roof_insulation": "no",
                "wall_insulation": "unknown",
            }
        )
        with self.assertRaises(UserError):
            trajectory.stage_id = self.stage["advice"]
        self.owned.with_user(self.coach).wall_insulation = "partly"
        trajectory.stage_id = self.stage["advice"]
        self.assertEqual(self.trajectory.stage_id, self.stage["advice"])

    def test_refusal_in_dutch(self):
        """A Dutch-speaking coach reads what is missing in Dutch."""
        self.env["res.lang"]._activate_lang("nl_BE")
        self.coach.lang = "nl_BE"
        trajectory = self.as_coach().with_context(lang="nl_BE")
        with self.assertRaises(UserError) as refused:
            trajectory.stage_id = self.stage["premiums"]
        self.assertIn("kan nog niet naar de fase Premies", str(refused.exception))
        self.assertIn("een offerte (Offerte ontvangen)", str(refused.exception))

    def test_works_need_a_quote_and_back_is_allowed(self):
        trajectory = self.as_coach()
        with self.assertRaises(UserError) as refused:
            trajectory.stage_id = self.stage["works_done"]
        self.assertIn("quote", str(refused.exception))
        trajectory.quote_received = True
        trajectory.stage_id = self.stage["works_done"]
        # a correction back is always allowed
        trajectory.stage_id = self.stage["intake"]
        self.assertEqual(self.trajectory.stage_id, self.stage["intake"])

    def test_closed_does_not_move_forward(self):
        trajectory = self.as_coach()
        trajectory.stage_id = self.stage["closed"]
        # back is a correction
        trajectory.stage_id = self.stage["epc_after"]
        self.assertEqual(self.trajectory.stage_id, self.stage["epc_after"])

    def test_other_types_are_not_checked(self):
        general = self.env["guidance.trajectory"].create(
            {
                "type_id": self.type_general.id,
                "partner_id": self.citizen.partner_id.id,
                "coach_id": self.coach.id,
            }
        )
        last = self.type_general.stage_ids[-1:]
        general.with_user(self.coach).stage_id = last
        self.assertEqual(general.stage_id, last)

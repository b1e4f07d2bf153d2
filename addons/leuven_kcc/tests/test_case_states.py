from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from leuven.kcc import states
from leuven.kcc.states import TRANSITIONS

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestCaseStates(KccCommon):
    def test_happy_path_to_closed(self):
        case = self.make_case(category_id=self.category_roads.id).with_user(
            self.handler_roads
        )
        case.action_assign_to_me()
        self.assertEqual((case.state, case.user_id), ("assigned", self.handler_roads))
        case.action_start()
        case.resolution = "<p>Hersteld.</p>"
        case.action_answer()
        self.assertEqual(case.state, "answered")
        self.assertEqual(case.citizen_state, "answered")
        self.assertFalse(case.is_open)
        case.action_close()
        self.assertTrue(case.date_closed)

    def test_forbidden_transition_is_refused(self):
        case = self.make_case()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            case.write({"state": "answered"})
        case._cancel("Ingetrokken")
        with self.assertRaisesRegex(UserError, "cannot go from"):
            case.action_start()

    def test_answer_needs_a_resolution(self):
        case = self.make_case()
        case.action_start()
        with self.assertRaisesRegex(UserError, "Resolution"):
            case.action_answer()

    def test_waiting_pauses_the_deadline(self):
        with freeze_time("2026-11-02 10:00:00"):  # Monday
            case = self.make_case(category_id=self.category_roads.id)
            self.assertEqual(str(case.deadline), "2026-11-09")
            case._wait_on_customer("Welk huisnummer?")
        with freeze_time("2026-11-12 10:00:00"):  # Thursday, 8 working days later
            self.assertFalse(case.is_late, "a waiting case is not late")
            case.action_resume()
            self.assertEqual(str(case.deadline), "2026-11-19")

    def test_late_case_is_answered_late(self):
        with freeze_time("2026-11-02 10:00:00"):
            case = self.make_case(category_id=self.category_roads.id)
            case.action_start()
        with freeze_time("2026-11-20 10:00:00"):
            self.assertTrue(case.is_late)
            self.assertIn(case, self.Case.search([("is_late", "=", True)]))
            case.resolution = "<p>Eindelijk.</p>"
            case.action_answer()
            # late means open and past its deadline: an answered case is no
            # longer late, it stays counted as answered late
            self.assertFalse(case.is_late)
            self.assertNotIn(case, self.Case.search([("is_late", "=", True)]))
            self.assertTrue(case.answered_late)
            self.assertIn(case, self.Case.search([("answered_late", "=", True)]))

    def test_reopen_only_within_allowed_days(self):
        case = self.make_case()
        case.action_start()
        case.resolution = "<p>Antwoord.</p>"
        case.action_answer()
        case.action_reopen()
        self.assertEqual(case.state, "reopened")
        case.action_start()
        case.action_answer()
        case.date_answered = fields.Datetime.now() - timedelta(days=30)
        with self.assertRaisesRegex(UserError, "can no longer be reopened"):
            case.action_reopen()

    def test_duplicate_links_and_tells_the_citizen(self):
        original = self.make_case(subject="Original")
        duplicate = self.make_case(subject="Same again")
        with self.assertRaisesRegex(UserError, "original case"):
            duplicate.action_mark_duplicate()
        duplicate.duplicate_of_id = original
        duplicate.action_mark_duplicate()
        self.assertEqual(duplicate.state, "duplicate")
        self.assertIn(original.name, duplicate.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestTransitionTable(KccCommon):
    """Every pair of states, through the ORM: allowed iff the table says so."""

    def test_every_allowed_and_forbidden_transition(self):
        states_list = [value for value, _label in self.Case._fields["state"].selection]
        case = self.make_case()
        required = {
            "waiting": {"waiting_question": "Welk huisnummer?"},
            "cancelled": {"cancel_reason": "Ingetrokken"},
        }
        outcomes = {}
        for current in states_list:
            for target in states_list:
                if current == target:
                    continue
                self.env.cr.execute(
                    "UPDATE kcc_case SET state = %s, date_answered = now() "
                    "WHERE id = %s",
                    [current, case.id],
                )
                case.invalidate_recordset()
                try:
                    with self.env.cr.savepoint():
                        # waiting needs its question, cancelling its reason
                        case.write({"state": target, **required.get(target, {})})
                    outcomes[(current, target)] = True
                except UserError:
                    outcomes[(current, target)] = False
        expected = {
            (current, target): target in TRANSITIONS[current]
            for current in states_list
            for target in states_list
            if current != target
        }
        self.assertEqual(outcomes, expected)
        self.assertTrue(any(outcomes.values()) and not all(outcomes.values()))

    def test_selections_follow_the_table(self):
        Case = self.Case.with_user(self.handler_roads)
        self.assertEqual(
            [key for key, _label in Case._fields["state"].selection],
            list(states.STATES),
        )
        self.assertEqual(
            [key for key, _label in Case._fields["citizen_state"].selection],
            list(states.CITIZEN_STATES),
        )

    def test_form_offers_the_actions_of_the_table(self):
        case = self.make_case(category_id=self.category_roads.id)
        for current in states.STATES:
            self.env.cr.execute(
                "UPDATE kcc_case SET state = %s WHERE id = %s", [current, case.id]
            )
            case.invalidate_recordset()
            seen = case.with_user(self.handler_roads)
            offered = {action for action in states.ACTIONS if seen[f"can_{action}"]}
            self.assertEqual(offered, states.available_actions(current), current)

    def test_form_buttons_use_the_table_not_state_lists(self):
        arch = self.Case.with_user(self.handler_roads).get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        header = etree.fromstring(arch).find(".//header")
        buttons = {
            button.get("name"): button.get("invisible") or ""
            for button in header.iter("button")
        }
        for action in states.ACTIONS:
            invisible = buttons[f"action_{action}"]
            self.assertIn(f"can_{action}", invisible)
            self.assertNotIn("state", invisible)

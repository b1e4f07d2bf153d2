import datetime as dt

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestQueuesAndHistory(KccCommon):
    """The lists a handler and an agent work from, as those users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group_hr = cls.env["kcc.handler.group"].create(
            {"name": "Personeel", "code": "T-HR2"}
        )
        cls.category_hr = cls.env["kcc.case.category"].create(
            {
                "name": "Klacht over personeel",
                "handler_group_id": cls.group_hr.id,
                "confidential": True,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Jan Veelbeller", "email": "jan@example.com"}
        )

    def test_history_shows_the_latest_and_counts_them_all(self):
        Contact = self.env["kcc.contact"]
        start = dt.datetime(2026, 1, 1, 9, 0)
        Contact.create(
            [
                {
                    "partner_id": self.customer.id,
                    "summary": f"Telefoon {index}",
                    "date": start + dt.timedelta(days=index),
                }
                for index in range(85)
            ]
        )
        case = self.make_case(partner_id=self.customer.id, contact_email=False)
        partner = self.customer.with_user(self.agent)
        history = partner.kcc_history_contact_ids
        self.assertEqual(len(history), 80)
        self.assertEqual(partner.kcc_contact_count, 86)
        # newest first: the intake contact of today, then the calls backwards
        self.assertEqual(history[0].case_id, case)
        self.assertEqual(history[1].summary, "Telefoon 84")
        self.assertNotIn("Telefoon 0", history.mapped("summary"))
        self.assertEqual(partner.kcc_history_case_ids, case)
        self.assertEqual((partner.kcc_case_count, partner.kcc_open_case_count), (1, 1))

    def test_history_counts_only_what_the_user_may_see(self):
        self.make_case(partner_id=self.customer.id, contact_email=False)
        self.make_case(
            partner_id=self.customer.id,
            contact_email=False,
            category_id=self.category_hr.id,
            case_type="complaint",
        )
        partner = self.customer.with_user(self.agent)
        self.assertEqual(partner.kcc_case_count, 1)
        self.assertEqual(partner.kcc_contact_count, 1)

    def test_membership_takes_effect_at_once(self):
        """The access rules list a user's groups; joining or leaving a group
        changes what he sees immediately, in both directions."""
        secret = self.make_case(
            subject="Klacht over een medewerker",
            category_id=self.category_hr.id,
            case_type="complaint",
        )
        Case = self.Case.with_user(self.handler_roads)
        self.assertFalse(Case.search([("id", "=", secret.id)]))
        self.group_hr.member_ids += self.handler_roads
        self.assertEqual(Case.search([("id", "=", secret.id)]), secret)
        self.assertTrue(
            self.env["kcc.contact"]
            .with_user(self.handler_roads)
            .search([("case_id", "=", secret.id)])
        )
        self.handler_roads.write({"kcc_handler_group_ids": [(3, self.group_hr.id)]})
        self.assertFalse(Case.search([("id", "=", secret.id)]))
        with self.assertRaises(AccessError):
            Case.browse(secret.id).read(["subject"])

    def test_agent_sees_confidential_cases_of_his_own_groups_only(self):
        secret = self.make_case(category_id=self.category_hr.id, case_type="complaint")
        Case = self.Case.with_user(self.agent)
        self.assertFalse(Case.search([("id", "=", secret.id)]))
        self.group_hr.member_ids += self.agent
        self.assertEqual(Case.search([("id", "=", secret.id)]), secret)

    def test_my_groups_filter(self):
        roads = self.make_case(category_id=self.category_roads.id)
        other = self.make_case(subject="Iets anders")
        Case = self.Case.with_user(self.handler_roads)
        mine = Case.search([("in_my_groups", "=", True)])
        self.assertIn(roads, mine)
        self.assertNotIn(other, mine)
        self.assertTrue(Case.browse(roads.id).in_my_groups)
        agent_cases = self.Case.with_user(self.agent)
        self.assertIn(other, agent_cases.search([("in_my_groups", "=", False)]))
        self.assertNotIn(roads, agent_cases.search([("in_my_groups", "=", True)]))

    def test_contacts_follow_their_case_to_the_new_group(self):
        case = self.make_case(category_id=self.category_roads.id)
        Contact = self.env["kcc.contact"]
        self.assertEqual(case.contact_ids.handler_group_id, self.group_roads)
        self.assertTrue(
            Contact.with_user(self.handler_roads).search([("case_id", "=", case.id)])
        )
        self.assertFalse(
            Contact.with_user(self.handler_waste).search([("case_id", "=", case.id)])
        )
        case.handler_group_id = self.group_waste
        self.assertEqual(case.contact_ids.handler_group_id, self.group_waste)
        self.assertTrue(
            Contact.with_user(self.handler_waste).search([("case_id", "=", case.id)])
        )


@tagged("post_install", "-at_install")
class TestIntakeReadsChanges(KccCommon):
    """Routing rules and calendars are read once and kept: a change made by
    an administrator still counts for the very next case."""

    def test_new_rule_and_archived_group_route_the_next_case(self):
        self.make_case(subject="Sluikstort aan de Vaartkom")  # rules read
        rule = self.env["kcc.routing.rule"].create(
            {
                "name": "Afval",
                "keywords": "sluikstort",
                "handler_group_id": self.group_waste.id,
            }
        )
        case = self.make_case(subject="Sluikstort aan de Dijle")
        self.assertEqual(case.routing_rule_id, rule)
        self.assertEqual(case.handler_group_id, self.group_waste)
        self.group_waste.action_archive()
        case = self.make_case(subject="Sluikstort aan het station")
        self.assertEqual(case.handler_group_id, self.kcc_queue)

    @freeze_time("2026-11-06 09:00:00")
    def test_holiday_added_later_moves_the_next_deadline(self):
        # Friday 6/11 + 5 working days, without the weekend and 11/11
        first = self.make_case(category_id=self.category_roads.id)
        self.assertEqual(str(first.deadline), "2026-11-16")
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Brugdag",
                "calendar_id": self.group_roads.resource_calendar_id.id,
                "date_from": "2026-11-12 00:00:00",
                "date_to": "2026-11-12 23:59:59",
            }
        )
        second = self.make_case(category_id=self.category_roads.id)
        self.assertEqual(str(second.deadline), "2026-11-17")

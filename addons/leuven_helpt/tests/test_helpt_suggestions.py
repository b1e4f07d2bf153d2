from datetime import date, datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

# a Thursday, 10:00 in Leuven (summer time: UTC+2)
THURSDAY_10H_UTC = datetime(2030, 7, 4, 8, 0)
POINT = (50.8745, 4.7005)  # Naamsestraat, Leuven


@tagged("post_install", "-at_install")
class TestHelptSuggestions(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.agent = new_test_user(
            cls.env,
            "test.helpt.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.coordinator = new_test_user(
            cls.env,
            "test.helpt.coordinator",
            groups="base.group_user,leuven_helpt.group_helpt_coordinator",
        )
        cls.helpt_group = cls.env.ref("leuven_helpt.handler_group_helpt")
        cls.helpt_group.member_ids = [fields.Command.link(cls.coordinator.id)]
        cls.category = cls.env.ref("leuven_helpt.case_category_helpt")
        cls.kind = cls.env.ref("leuven_helpt.help_kind_groceries")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Maria Verbeeck", "phone": "+32 16 11 22 33", "zip": "3000"}
        )
        # the demo volunteers would take part in the ranking too
        cls.env["helpt.volunteer"].search([]).write({"state": "withdrawn"})
        cls.near = cls.make_volunteer("Dichtbij", 50.8750, 4.7010)
        cls.further = cls.make_volunteer("Verderop", 50.8800, 4.7200)
        cls.withdrawn = cls.make_volunteer("Gestopt", 50.8746, 4.7006, "withdrawn")
        cls.applied = cls.make_volunteer(
            "Nog Niet Gescreend", 50.8746, 4.7006, "applied"
        )
        cls.full = cls.make_volunteer("Vol", 50.8746, 4.7006, max_active_matches=0)

    @classmethod
    def make_volunteer(cls, name, lat, lon, state="active", **values):
        partner = cls.env["res.partner"].create(
            {"name": name, "street": "Geheimstraat 1", "phone": "+32 470 99 99 99"}
        )
        vals = {
            "partner_id": partner.id,
            "state": state,
            "intake_done": True,
            "kind_ids": [fields.Command.set(cls.kind.ids)],
            "district_ids": [
                fields.Command.set(cls.env.ref("leuven_helpt.district_leuven").ids)
            ],
            "radius_km": 5.0,
            "latitude": lat,
            "longitude": lon,
            "availability_ids": [
                fields.Command.create({"weekday": "3", "hour_from": 9, "hour_to": 12})
            ],
        }
        vals.update(values)
        return cls.env["helpt.volunteer"].create(vals)

    def take_phone_request(self, **helpt_values):
        """The agent's quick contact: a phone call of the customer, category
        Leuven Helpt, turned into a case; then the Leuven Helpt page."""
        wizard = (
            self.env["kcc.quick.contact"]
            .with_user(self.agent)
            .create(
                {
                    "channel": "phone",
                    "search_text": self.customer.phone,
                    "summary": "Mevrouw vraagt hulp bij haar boodschappen.",
                    "subject": "Boodschappen",
                    "category_id": self.category.id,
                }
            )
        )
        wizard.partner_id = self.customer
        action = wizard.action_create_case()
        case = self.env["kcc.case"].with_user(self.agent).browse(action["res_id"])
        values = {
            "helpt_kind_id": self.kind.id,
            "helpt_date": THURSDAY_10H_UTC,
            "helpt_urgency": "week",
            "postcode": "3000",
            "latitude": POINT[0],
            "longitude": POINT[1],
        }
        values.update(helpt_values)
        case.write(values)
        return case

    def test_phone_request_is_a_helpt_case(self):
        case = self.take_phone_request()
        self.assertTrue(case.is_helpt)
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.helpt_district_id.code, "leuven")
        case.postcode = "3001"
        self.assertEqual(case.helpt_district_id.code, "heverlee")
        self.assertEqual(case.sudo().handler_group_id, self.helpt_group)
        # the "Leuven Helpt" page shows only on Leuven Helpt cases
        arch = case.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="helpt"', arch)
        self.assertIn('invisible="not is_helpt"', arch)

    def test_needs_hidden_from_agent(self):
        """The agent writes the special needs down; only coordinators read them."""
        case = self.take_phone_request(helpt_needs_entry="Diabetes, slecht ter been")
        self.assertFalse(case.helpt_needs_entry)
        with self.assertRaises(AccessError):
            case.read(["helpt_needs"])
        arch = case.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="helpt_needs"', arch)
        self.assertNotIn("Diabetes", str(case.read()))
        as_coordinator = case.with_user(self.coordinator)
        self.assertEqual(as_coordinator.helpt_needs, "Diabetes, slecht ter been")
        case.helpt_needs_entry = "Spreekt weinig Nederlands"
        self.assertEqual(
            as_coordinator.helpt_needs,
            "Diabetes, slecht ter been\nSpreekt weinig Nederlands",
        )
        arch = as_coordinator.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="helpt_needs"', arch)

    def test_suggestions_ranked_and_explained(self):
        case = self.take_phone_request()
        action = case.action_helpt_suggestions()
        wizard = (
            self.env[action["res_model"]].with_user(self.agent).browse(action["res_id"])
        )
        lines = wizard.line_ids
        self.assertEqual(lines.mapped("volunteer_name"), ["Dichtbij", "Verderop"])
        self.assertGreater(lines[0].score, lines[1].score)
        self.assertIn("km", lines[0].explanation)
        self.assertIn("donderdagvoormiddag", lines[0].explanation)
        # agents see a name and why, not the volunteer's record
        with self.assertRaises(AccessError):
            lines[0].volunteer_id.read(["partner_id"])

    def test_never_suggested(self):
        """Withdrawn, not screened, full, absent: never suggested."""
        self.near.absence_ids = [
            fields.Command.create(
                {"date_from": date(2030, 7, 1), "date_to": date(2030, 7, 10)}
            )
        ]
        case = self.take_phone_request()
        suggested = [volunteer for volunteer, _s in case._helpt_suggestions()]
        self.assertEqual(suggested, [self.further])

    def test_excluded_and_helped_before(self):
        Match = self.env["helpt.match"]
        earlier = self.take_phone_request()
        Match.create(
            {"case_id": earlier.id, "volunteer_id": self.further.id, "state": "done"}
        )
        case = self.take_phone_request()
        suggestions = dict(case._helpt_suggestions())
        self.assertIn(
            ("helped_before", {}), suggestions[self.further].reasons, suggestions
        )
        self.assertNotIn(("helped_before", {}), suggestions[self.near].reasons)
        action = case.action_helpt_suggestions()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        line = wizard.line_ids.filtered(lambda line: line.volunteer_id == self.further)
        self.assertIn("hielp eerder", line.explanation)
        # a volunteer who declined this request is not suggested again
        Match.create(
            {"case_id": case.id, "volunteer_id": self.near.id, "state": "declined"}
        )
        suggested = [volunteer for volunteer, _s in case._helpt_suggestions()]
        self.assertEqual(suggested, [self.further])

    def test_suggestions_query_count_does_not_grow(self):
        """The volunteers and their load are read in a fixed number of queries."""
        case = self.take_phone_request()

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = case._helpt_suggestions()
            return self.env.cr.sql_log_count - before, len(result)

        # the same relations filled in for every volunteer
        (self.near | self.further).write(
            {
                "absence_ids": [
                    fields.Command.create(
                        {"date_from": date(2031, 1, 1), "date_to": date(2031, 1, 2)}
                    )
                ],
                "language_ids": [fields.Command.set(self.env.ref("base.lang_fr").ids)],
            }
        )
        few, found = count_queries()
        self.assertEqual(found, 2)
        for index in range(15):
            self.make_volunteer(
                f"Extra {index}",
                50.87 + index / 1000,
                4.70,
                absence_ids=[
                    fields.Command.create(
                        {"date_from": date(2031, 1, 1), "date_to": date(2031, 1, 2)}
                    )
                ],
                language_ids=[fields.Command.set(self.env.ref("base.lang_fr").ids)],
            )
        many, found = count_queries()
        self.assertEqual(found, 10)
        self.assertEqual(many, few)

    def test_agent_proposes_first_suggestion_in_two_clicks(self):
        case = self.take_phone_request()
        # click 1: "Suggestions"
        action = case.action_helpt_suggestions()
        self.assertEqual(action["target"], "new")
        wizard = (
            self.env[action["res_model"]].with_user(self.agent).browse(action["res_id"])
        )
        # click 2: "Propose" on the first line
        result = wizard.line_ids[0].action_propose()
        self.assertEqual(result["params"]["type"], "success")
        matches = case.sudo().helpt_match_ids
        self.assertEqual(matches.volunteer_id, self.near)
        self.assertEqual(matches.state, "proposed")
        # the proposed volunteer is not suggested again
        suggested = [volunteer for volunteer, _s in case._helpt_suggestions()]
        self.assertEqual(suggested, [self.further])

    def test_propose_a_volunteer_no_longer_available(self):
        case = self.take_phone_request()
        action = case.action_helpt_suggestions()
        wizard = (
            self.env[action["res_model"]].with_user(self.agent).browse(action["res_id"])
        )
        self.near.state = "withdrawn"
        with self.assertRaisesRegex(Exception, "no longer available"):
            wizard.line_ids[0].action_propose()
        self.assertFalse(case.sudo().helpt_match_ids)

    def test_not_helpt_case_has_no_suggestions(self):
        case = self.take_phone_request(category_id=False)
        self.assertFalse(case.is_helpt)
        with self.assertRaisesRegex(Exception, "not a Leuven Helpt request"):
            case._helpt_suggestions()

    def test_suggestion_time_is_local(self):
        """09:00 UTC in winter is 10:00 in Leuven: the morning slot fits."""
        case = self.take_phone_request(helpt_date=datetime(2030, 1, 3, 9, 0))
        start = case._helpt_ranking_request().start
        self.assertEqual(start, datetime(2030, 1, 3, 10, 0))


@tagged("post_install", "-at_install")
class TestHelptIntake(TransactionCase):
    """Other channels give the request fields to the one intake service."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            "test.helpt.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.category = cls.env.ref("leuven_helpt.case_category_helpt")
        cls.kind = cls.env.ref("leuven_helpt.help_kind_transport")

    def intake(self, **values):
        vals = {
            "subject": "Vervoer naar de dokter",
            "contact_name": "Jozef Lemmens",
            "contact_phone": "+32 16 00 11 02",
            "postcode": "3010",
            "category_id": self.category.id,
        }
        vals.update(values)
        return self.env["kcc.case"].with_user(self.agent)._intake(vals, "phone")

    def test_request_fields_at_intake(self):
        case = self.intake(
            helpt_kind_id=str(self.kind.id),
            helpt_date="2030-07-04 08:00:00",
            helpt_duration=2,
            helpt_recurring=True,
            helpt_urgency="urgent",
            helpt_needs="Rolstoel",
        )
        self.assertEqual(case.helpt_kind_id, self.kind)
        self.assertEqual(case.helpt_date, datetime(2030, 7, 4, 8, 0))
        self.assertEqual(case.helpt_duration, 2)
        self.assertTrue(case.helpt_recurring)
        self.assertEqual(case.helpt_district_id.code, "kessel_lo")
        self.assertEqual(case.sudo().helpt_needs, "Rolstoel")
        with self.assertRaises(AccessError):
            case.read(["helpt_needs"])

    def test_bad_request_fields_refused(self):
        Case = self.env["kcc.case"].sudo()
        before = Case.search_count([])
        for bad in (
            {"helpt_kind_id": 999999},
            {"helpt_kind_id": "groceries"},
            {"helpt_date": "volgende donderdag"},
            {"helpt_date": 12},
            {"helpt_duration": -1},
            {"helpt_duration": 100},
            {"helpt_duration": "2"},
            {"helpt_recurring": "yes"},
            {"helpt_urgency": "now"},
            {"helpt_needs": "x" * 5000},
            {"helpt_needs": "bad\x00text"},
            {"helpt_language_id": 999999},
        ):
            with self.subTest(bad=bad), self.assertRaises(UserError):
                self.intake(**bad)
        self.assertEqual(Case.search_count([]), before)

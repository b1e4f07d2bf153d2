from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class HelptVolunteerCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.coordinator = new_test_user(
            cls.env,
            "test.helpt.coordinator",
            groups="base.group_user,leuven_helpt.group_helpt_coordinator",
        )
        cls.agent = new_test_user(
            cls.env,
            "test.helpt.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.volunteer_user = new_test_user(
            cls.env, "test.helpt.volunteer", groups="base.group_portal"
        )
        cls.other_volunteer_user = new_test_user(
            cls.env, "test.helpt.volunteer2", groups="base.group_portal"
        )
        cls.kind_groceries = cls.env.ref("leuven_helpt.help_kind_groceries")
        cls.kind_company = cls.env.ref("leuven_helpt.help_kind_company")
        cls.district_heverlee = cls.env.ref("leuven_helpt.district_heverlee")
        cls.Volunteer = cls.env["helpt.volunteer"]

    @classmethod
    def make_volunteer(cls, name, **values):
        partner = cls.env["res.partner"].create(
            {"name": name, "street": "Naamsestraat 1", "phone": "+32 470 12 34 56"}
        )
        vals = {
            "partner_id": partner.id,
            "kind_ids": [fields.Command.set(cls.kind_groceries.ids)],
        }
        vals.update(values)
        return cls.Volunteer.create(vals)


class TestHelptVolunteerScreening(HelptVolunteerCommon):
    def test_screened_needs_intake(self):
        volunteer = self.make_volunteer("Jan Zonder Intake").with_user(self.coordinator)
        with self.assertRaisesRegex(UserError, "intake"):
            volunteer.action_screened()
        self.assertEqual(volunteer.state, "applied")
        volunteer.intake_done = True
        volunteer.action_screened()
        self.assertEqual(volunteer.state, "active")

    def test_screened_needs_recent_good_conduct(self):
        """Company needs a certificate of good conduct less than a year old."""
        volunteer = self.make_volunteer(
            "Mieke Gezelschap",
            intake_done=True,
            kind_ids=[fields.Command.set(self.kind_company.ids)],
        ).with_user(self.coordinator)
        with self.assertRaisesRegex(UserError, "good conduct"):
            volunteer.action_screened()
        volunteer.good_conduct_date = date.today() - timedelta(days=400)
        self.assertFalse(volunteer.good_conduct_valid)
        with self.assertRaisesRegex(UserError, "less than a year old"):
            volunteer.action_screened()
        self.assertEqual(volunteer.state, "applied")
        volunteer.good_conduct_date = date.today() - timedelta(days=90)
        volunteer.action_screened()
        self.assertEqual(volunteer.state, "active")

    def test_groceries_need_no_certificate(self):
        volunteer = self.make_volunteer("Piet Boodschap", intake_done=True)
        volunteer.with_user(self.coordinator).action_screened()
        self.assertEqual(volunteer.state, "active")

    def test_withdraw(self):
        volunteer = self.make_volunteer("Lies Stopt", intake_done=True)
        volunteer = volunteer.with_user(self.coordinator)
        volunteer.action_screened()
        volunteer.action_withdraw()
        self.assertEqual(volunteer.state, "withdrawn")
        with self.assertRaisesRegex(UserError, "withdrew"):
            volunteer.action_screened()
        self.assertFalse(volunteer._helpt_ranking_volunteer().state == "active")


class TestHelptVolunteerRanking(HelptVolunteerCommon):
    def test_ranking_volunteer(self):
        volunteer = self.make_volunteer(
            "Sofie Frans",
            intake_done=True,
            state="active",
            kind_ids=[
                fields.Command.set((self.kind_groceries | self.kind_company).ids)
            ],
            district_ids=[fields.Command.set(self.district_heverlee.ids)],
            radius_km=3.0,
            latitude=50.864,
            longitude=4.6975,
            max_active_matches=3,
            good_conduct_date=date.today() - timedelta(days=30),
            language_ids=[
                fields.Command.set(
                    (self.env.ref("base.lang_fr") | self.env.ref("base.lang_nl_BE")).ids
                )
            ],
            availability_ids=[
                fields.Command.create({"weekday": "3", "hour_from": 9, "hour_to": 12})
            ],
            absence_ids=[
                fields.Command.create(
                    {"date_from": date(2030, 7, 1), "date_to": date(2030, 7, 14)}
                )
            ],
        )
        result = volunteer.with_user(self.coordinator)._helpt_ranking_volunteer()
        self.assertEqual(result.id, volunteer.id)
        self.assertEqual(result.kinds, frozenset({"groceries", "company"}))
        self.assertEqual(result.districts, frozenset({"heverlee"}))
        self.assertEqual(result.languages, frozenset({"fr", "nl"}))
        self.assertEqual(result.weekly[0].weekday, 3)
        self.assertEqual((result.weekly[0].start, result.weekly[0].end), (9.0, 12.0))
        self.assertEqual(result.absences, ((date(2030, 7, 1), date(2030, 7, 14)),))
        self.assertEqual(result.radius_km, 3.0)
        self.assertEqual(result.max_active, 3)
        self.assertEqual(result.state, "active")
        self.assertTrue(result.good_conduct)
        self.assertEqual(result.active_matches, 0)

    def test_active_match_count_counts_open_matches(self):
        volunteer = self.make_volunteer("Tom Druk", intake_done=True, state="active")
        category = self.env.ref("leuven_helpt.case_category_helpt")
        Case = self.env["kcc.case"]
        Match = self.env["helpt.match"]
        for state in ("proposed", "accepted", "declined", "done"):
            case = Case._intake(
                {
                    "subject": f"Hulp {state}",
                    "contact_phone": "+32 16 00 00 00",
                    "category_id": category.id,
                },
                "phone",
            )
            case.helpt_kind_id = self.kind_groceries
            Match.create(
                {"case_id": case.id, "volunteer_id": volunteer.id, "state": state}
            )
        volunteer.invalidate_recordset(["active_match_count"])
        self.assertEqual(volunteer.with_user(self.coordinator).active_match_count, 2)
        self.assertEqual(volunteer._helpt_ranking_volunteer().active_matches, 2)


class TestHelptVolunteerRecordAccess(HelptVolunteerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls.make_volunteer(
            "Eigen Vrijwilliger", user_id=cls.volunteer_user.id
        )
        cls.other = cls.make_volunteer(
            "Andere Vrijwilliger", user_id=cls.other_volunteer_user.id
        )

    def test_volunteer_reads_only_his_own_record(self):
        Volunteer = self.Volunteer.with_user(self.volunteer_user)
        self.assertEqual(Volunteer.search([]), self.own)
        self.assertEqual(self.own.with_user(self.volunteer_user).name, self.own.name)
        with self.assertRaises(AccessError):
            self.other.with_user(self.volunteer_user).read(["name"])
        with self.assertRaises(AccessError):
            self.own.with_user(self.volunteer_user).write({"max_active_matches": 9})

    def test_agent_has_no_access_to_volunteers(self):
        with self.assertRaises(AccessError):
            self.Volunteer.with_user(self.agent).search([])
        with self.assertRaises(AccessError):
            self.own.with_user(self.agent).read(["latitude"])

    def test_coordinator_manages_volunteers(self):
        Volunteer = self.Volunteer.with_user(self.coordinator)
        self.assertEqual(
            Volunteer.search([("id", "in", (self.own | self.other).ids)]),
            self.own | self.other,
        )
        partner = self.env["res.partner"].create({"name": "Nieuwe Vrijwilliger"})
        volunteer = Volunteer.create({"partner_id": partner.id})
        self.assertEqual(volunteer.state, "applied")
        volunteer.write(
            {
                "availability_ids": [
                    fields.Command.create(
                        {"weekday": "0", "hour_from": 9, "hour_to": 12}
                    )
                ]
            }
        )
        self.assertEqual(len(volunteer.availability_ids), 1)


class TestHelptDutch(HelptVolunteerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(["leuven_helpt"], ["nl_BE"])
        (cls.coordinator | cls.agent).lang = "nl_BE"

    def test_screening_refused_in_dutch(self):
        volunteer = self.make_volunteer(
            "Mieke Gezelschap",
            intake_done=True,
            kind_ids=[fields.Command.set(self.kind_company.ids)],
        )
        volunteer = volunteer.with_user(self.coordinator).with_context(lang="nl_BE")
        with self.assertRaisesRegex(UserError, "bewijs van goed gedrag en zeden"):
            volunteer.action_screened()
        volunteer.intake_done = False
        with self.assertRaisesRegex(UserError, "Voer eerst het intakegesprek"):
            volunteer.action_screened()
        labels = dict(volunteer._fields["state"]._description_selection(volunteer.env))
        self.assertEqual(labels["active"], "Gescreend")

    def test_buttons_in_dutch(self):
        Case = self.env["kcc.case"].with_user(self.agent).with_context(lang="nl_BE")
        arch = Case.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('string="Suggesties"', arch)
        self.assertIn('string="Leuven Helpt"', arch)
        Wizard = self.env["helpt.suggestion.wizard"].with_user(self.agent)
        arch = Wizard.with_context(lang="nl_BE").get_views([(False, "form")])
        self.assertIn('string="Voorstellen"', arch["views"]["form"]["arch"])

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestContactsAnd360(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.company = Partner.create({"name": "Brouwerij Leuven", "is_company": True})
        cls.employee = Partner.create(
            {
                "name": "Els Vermeulen",
                "parent_id": cls.company.id,
                "email": "els@brouwerij.example",
                "phone": "+32 16 27 20 00",
            }
        )

    def quick(self, **values):
        form = Form(self.env["kcc.quick.contact"].with_user(self.agent))
        for key, value in values.items():
            setattr(form, key, value)
        return form

    def test_every_intake_logs_its_contact(self):
        case = self.make_case(channel="counter", contact_phone="016 00 00 00")
        contact = case.contact_ids
        self.assertEqual(len(contact), 1)
        self.assertEqual((contact.channel, contact.summary), ("counter", case.subject))
        self.assertFalse(contact.first_line_resolved)

    def test_caller_found_by_any_phone_notation(self):
        for text in ("016 27 20 00", "+3216272000", "0032 16 272 000"):
            self.assertEqual(self.quick(search_text=text).partner_id, self.employee)
        self.assertEqual(
            self.quick(search_text="els@brouwerij.example").partner_id, self.employee
        )

    def test_found_by_case_reference_and_history_shown(self):
        case = self.make_case(partner_id=self.employee.id, contact_email=False)
        form = self.quick(search_text=case.name)
        self.assertEqual(form.partner_id, self.employee)
        self.assertIn(case, form.history_case_ids[:])
        self.assertEqual(form.open_case_count, 1)
        self.assertEqual(form.contact_count, 1)

    def test_answered_in_first_line_without_case(self):
        form = self.quick(search_text="016 27 20 00", summary="Openingsuren gevraagd")
        wizard = form.save()
        wizard.action_answered()
        contact = self.env["kcc.contact"].search(
            [("summary", "=", "Openingsuren gevraagd")]
        )
        self.assertEqual(len(contact), 1)
        self.assertTrue(contact.first_line_resolved)
        self.assertFalse(contact.case_id)
        self.assertEqual(
            (contact.partner_id, contact.user_id), (self.employee, self.agent)
        )

    def test_unknown_caller_becomes_a_case_in_one_step(self):
        form = self.quick(
            search_text="0499 12 34 56", summary="Lamp stuk\nIn mijn straat"
        )
        self.assertFalse(form.partner_id)
        action = form.save().action_create_case()
        case = self.Case.browse(action["res_id"])
        self.assertEqual(case.subject, "Lamp stuk")
        self.assertEqual(case.contact_phone, "0499 12 34 56")
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.contact_ids.summary, "Lamp stuk\nIn mijn straat")

    def test_summary_is_required(self):
        wizard = self.quick(search_text="x").save()
        with self.assertRaisesRegex(UserError, "summary"):
            wizard.action_answered()

    def test_company_360_shows_cases_of_its_people(self):
        case = self.make_case(partner_id=self.employee.id, contact_email=False)
        company = self.company.with_user(self.agent)
        self.assertIn(case, company.kcc_history_case_ids)
        self.assertEqual(company.kcc_open_case_count, 1)
        case._cancel("Ingetrokken")
        company.invalidate_recordset()
        self.assertEqual(
            (company.kcc_open_case_count, company.kcc_closed_case_count), (0, 1)
        )
        found = (
            self.env["res.partner"]
            .with_user(self.agent)
            .search([("kcc_case_reference", "ilike", case.name)])
        )
        self.assertIn(self.company, found)
        self.assertIn(self.employee, found)

    def test_handler_sees_contacts_of_his_cases_only(self):
        mine = self.make_case(category_id=self.category_roads.id)
        other = self.make_case()
        loose = self.env["kcc.contact"].create({"summary": "Los contact"})
        visible = (
            self.env["kcc.contact"]
            .with_user(self.handler_roads)
            .search([("id", "in", (mine.contact_ids | other.contact_ids | loose).ids)])
        )
        self.assertEqual(visible, mine.contact_ids)

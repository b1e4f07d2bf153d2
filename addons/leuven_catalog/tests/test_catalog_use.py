from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCatalogUse(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["catalog.product"]
        cls.published = Product.create(
            {
                "name": "Bewonersparkeerkaart",
                "ipdc_id": "urn:test:parking",
                "description": "<p>Parkeren zonder tijdslimiet in uw zone.</p>",
                "keywords": "parkeren, bewonerskaart",
                "is_published": True,
            }
        )
        cls.hidden = Product.create(
            {
                "name": "Intern product",
                "ipdc_id": "urn:test:hidden",
                "is_published": False,
            }
        )
        cls.agent = new_test_user(
            cls.env, "cat.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.citizen = new_test_user(cls.env, "cat.citizen", groups="base.group_portal")

    def test_knowledge_search_and_suggestions(self):
        Product = self.env["catalog.product"].with_user(self.agent)
        self.assertIn(
            self.published, Product._knowledge_search("bewonerskaart parkeren")
        )
        self.assertNotIn(self.published, Product._knowledge_search("huwelijk"))
        case = (
            self.env["kcc.case"]
            .with_user(self.agent)
            .create(
                {
                    "subject": "Vraag over een bewonerskaart om te parkeren",
                    "channel": "phone",
                }
            )
        )
        # among the first: the demo catalogue may hold a product of that name
        self.assertIn(self.published, case.suggested_product_ids[:2])

    def test_agent_answers_from_the_product_in_one_click(self):
        case = (
            self.env["kcc.case"]
            .with_user(self.agent)
            .create({"subject": "Bewonerskaart?", "channel": "phone"})
        )
        self.published.with_user(self.agent).with_context(
            case_id=case.id
        ).action_answer_case()
        self.assertEqual(case.state, "answered")
        self.assertEqual(case.catalog_product_id, self.published)
        self.assertIn("/producten/", case.resolution)
        self.assertIn("tijdslimiet", case.resolution)
        with self.assertRaises(AccessError):
            self.published.with_user(self.agent).write({"name": "x"})

    def test_public_and_portal_see_only_published_products(self):
        for user in (self.env.ref("base.public_user"), self.citizen):
            visible = (
                self.env["catalog.product"]
                .with_user(user)
                .search([("id", "in", (self.published | self.hidden).ids)])
            )
            self.assertEqual(visible, self.published)

    def test_website_pages(self):
        overview = self.url_open("/producten?search=bewonerskaart")
        self.assertEqual(overview.status_code, 200)
        self.assertIn("Bewonersparkeerkaart", overview.text)
        self.assertNotIn("Intern product", self.url_open("/producten").text)
        page = self.url_open(self.published.website_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn('"@type": "GovernmentService"', page.text)
        self.assertIn(f"/kcc/contact?product_id={self.published.id}", page.text)
        hidden = self.url_open(f"/producten/intern-product-{self.hidden.id}")
        self.assertIn(hidden.status_code, (403, 404))
        self.assertNotIn("Intern product", hidden.text)

    def test_question_about_a_product_from_the_website(self):
        form = self.url_open(f"/kcc/contact?product_id={self.published.id}")
        self.assertIn("o_catalog_form_product", form.text)
        self.authenticate(None, None)
        self.url_open(
            "/kcc/submit",
            data={
                "form_kind": "contact",
                "submission_token": "prod-1",
                "subject": "Hoe lang is de kaart geldig?",
                "contact_email": "x@example.com",
                "catalog_product_id": str(self.published.id),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        case = self.env["kcc.case"].search([("idempotency_key", "=", "web:prod-1")])
        self.assertEqual(case.catalog_product_id, self.published)

    def test_website_form_ignores_a_product_that_is_not_published(self):
        self.authenticate(None, None)
        response = self.url_open(
            "/kcc/submit",
            data={
                "form_kind": "contact",
                "submission_token": "prod-hidden",
                "subject": "Een vraag",
                "contact_email": "x@example.com",
                "catalog_product_id": str(self.hidden.id),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        case = self.env["kcc.case"].search(
            [("idempotency_key", "=", "web:prod-hidden")]
        )
        self.assertTrue(case)
        self.assertFalse(case.catalog_product_id)

from urllib.parse import urljoin, urlparse

from odoo.tests import HttpCase, new_test_user, tagged

from leuven.testing.oidc_provider import provider_unavailable, running_provider

REASON = provider_unavailable()


class BurgerprofielLoginCase(HttpCase):
    """Logins through a real OpenID provider on loopback, set up like ACM/IDM."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if REASON:
            cls.skipTest(cls, f"LOGIN TESTS SKIPPED: {REASON}")
        base = cls.base_url()
        cls.provider = running_provider(
            "leuven-kcc",
            "s3cret",
            [f"{base}/auth/burgerprofiel/callback"],
            [f"{base}/"],
            max_seconds=900,
        )
        cls.issuer = cls.provider.__enter__()
        cls.addClassCleanup(cls.provider.__exit__, None, None, None)
        params = {
            "enabled": "1",
            "environment": "custom",
            "issuer": cls.issuer,
            "client_id": "leuven-kcc",
            "client_secret": "s3cret",
            "auth_method": "client_secret_basic",
            "scopes": "openid profile rrn vo",
        }
        Param = cls.env["ir.config_parameter"].sudo()
        for key, value in params.items():
            Param.set_param(f"leuven_burgerprofiel.{key}", value)
        Param.set_param("web.base.url", base)
        cls.Users = cls.env["res.users"].sudo()
        cls.Partner = cls.env["res.partner"].sudo()

    def login_as(self, account, redirect="/my"):
        """Go through Odoo and the provider like a browser; returns the last URL."""
        url = f"{self.base_url()}/auth/burgerprofiel/login?login_hint={account}"
        url += f"&redirect={redirect}"
        for _hop in range(15):
            response = self.opener.get(url, allow_redirects=False, timeout=30)
            location = response.headers.get("Location")
            if not location:
                return url, response
            url = urljoin(url, location)
        raise AssertionError("too many redirects")

    def user_of(self, sub, orgcode=False):
        return self.Users.with_context(active_test=False).search(
            [("burgerprofiel_sub", "=", sub), ("burgerprofiel_orgcode", "=", orgcode)]
        )


@tagged("post_install", "-at_install")
class TestBurgerprofielLogin(BurgerprofielLoginCase):
    def test_new_citizen_becomes_a_portal_user_with_the_token_data(self):
        url, response = self.login_as("acm-ann")
        self.assertEqual(urlparse(url).path, "/my", "in Dutch, the city's language")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ann Peeters", response.text)
        user = self.user_of("acm-ann")
        self.assertTrue(user.share and user.has_group("base.group_portal"))
        self.assertEqual(user.partner_id.name, "Ann Peeters")
        self.assertEqual(user.partner_id.national_number, "85073003328")
        # a second login is the same user, names refreshed from the token
        user.partner_id.name = "Typo Peeters"
        self.opener.cookies.clear()
        self.login_as("acm-ann")
        self.assertEqual(self.user_of("acm-ann"), user)
        self.assertEqual(user.partner_id.name, "Ann Peeters")

    def test_citizen_known_by_national_number_is_matched(self):
        known = self.Partner.create(
            {"name": "A. Peeters", "national_number": "85.07.30-033.28"}
        )
        self.login_as("acm-ann")
        user = self.user_of("acm-ann")
        self.assertEqual(user.partner_id, known)
        self.assertEqual(known.name, "Ann Peeters")
        self.assertEqual(
            self.Partner.search_count([("national_number", "=", "85073003328")]), 1
        )

    def test_staff_accounts_are_never_used(self):
        staff = new_test_user(self.env, "staff.ann", groups="base.group_user")
        staff.partner_id.sudo().national_number = "85073003328"
        url, response = self.login_as("acm-ann")
        self.assertTrue(urlparse(url).path.endswith("/auth/burgerprofiel/callback"))
        self.assertEqual(response.status_code, 400)
        self.assertIn('data-code="not_a_portal_account"', response.text)
        self.assertFalse(self.user_of("acm-ann"))
        response = self.opener.get(f"{self.base_url()}/my", allow_redirects=False)
        self.assertEqual(response.status_code, 303, "not logged in")

    def test_company_representative_sees_the_company_cases(self):
        self.login_as("acm-bart")
        user = self.user_of("acm-bart", "0207.451.227")
        company = user.partner_id.parent_id
        self.assertEqual(company.kbo_number, "0207.451.227")
        self.assertEqual(company.name, "Bakkerij Claes BV")
        self.assertEqual(user.partner_id.name, "Bart Claes")
        colleague = self.Partner.create({"name": "Collega", "parent_id": company.id})
        Case = self.env["kcc.case"].sudo()
        of_company = Case._intake(
            {"subject": "Terras vergunning", "partner_id": colleague.id}, "web_form"
        )
        other = Case._intake(
            {"subject": "Iets anders", "contact_email": "x@example.com"}, "web_form"
        )
        visible = self.env["kcc.case"].with_user(user).search([])
        self.assertIn(of_company, visible)
        self.assertNotIn(other, visible)

    def test_association_representative(self):
        self.login_as("acm-chris")
        user = self.user_of("acm-chris", "V0001027")
        association = user.partner_id.parent_id
        self.assertEqual(association.association_code, "V0001027")
        self.assertTrue(association.kcc_is_association)

    def test_a_callback_that_was_not_asked_for_is_refused(self):
        response = self.opener.get(
            f"{self.base_url()}/auth/burgerprofiel/callback?code=stolen&state=x",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_burgerprofiel_error", response.text)
        self.assertIn('data-code="state_mismatch"', response.text)
        self.assertIn('href="/web/login"', response.text)
        page = self.url_open("/web/login?burgerprofiel_error=provider_unreachable")
        self.assertIn("o_burgerprofiel_error", page.text)

    def test_logged_in_citizen_files_a_question_without_typing_his_data(self):
        self.login_as("acm-ann")
        page = self.opener.get(f"{self.base_url()}/kcc/contact", timeout=30)
        self.assertNotIn("o_burgerprofiel_hint", page.text)
        user = self.user_of("acm-ann")
        response = self.opener.post(
            f"{self.base_url()}/kcc/submit",
            data={
                "csrf_token": self._csrf(page.text),
                "form_kind": "contact",
                "submission_token": "bp-form-1",
                "case_type": "question",
                "subject": "Wanneer is het containerpark open?",
                "description": "Ook op zondag?",
            },
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        case = (
            self.env["kcc.case"]
            .sudo()
            .search([("idempotency_key", "=", "web:bp-form-1")])
        )
        self.assertEqual(case.partner_id, user.partner_id)
        self.assertIn(case, user.partner_id.kcc_case_ids)

    def _csrf(self, html):
        marker = 'name="csrf_token" value="'
        start = html.index(marker) + len(marker)
        return html[start : html.index('"', start)]

    def test_the_login_page_offers_the_button(self):
        page = self.url_open("/web/login")
        self.assertIn("/auth/burgerprofiel/login", page.text)


@tagged("post_install", "-at_install")
class TestBurgerprofielTour(BurgerprofielLoginCase):
    def test_citizen_logs_in_and_files_a_report(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("leuven_burgerprofiel.dosis_enabled", "1")
        Param.set_param("leuven_burgerprofiel.dosis_url", "http://127.0.0.1:9/dosis")
        self.start_tour("/web/login", "leuven_burgerprofiel_login_tour")
        user = self.user_of("acm-ann")
        case = (
            self.env["kcc.case"]
            .sudo()
            .search([("subject", "=", "Put in het fietspad")])
        )
        self.assertEqual(case.partner_id, user.partner_id)
        # the status push for his profile is recorded, waiting for the cron
        push = (
            self.env["kcc.outbox"]
            .sudo()
            .search([("res_model", "=", "kcc.case"), ("res_id", "=", case.id)])
        )
        self.assertEqual(push.target, "dosis")
        self.assertIn('"rijksregisternummer"', push.payload)
        self.assertEqual(case.profile_push_state, "pending")

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KccCommon


class ConsentCommon:
    @classmethod
    def setup_consent(cls, env):
        Partner = env["res.partner"]
        cls.organisation = Partner.create(
            {
                "name": "OCMW Welzijn",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.other_organisation = Partner.create(
            {
                "name": "CAW Oost",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.org_user = new_test_user(
            env, "org.welzijn", groups="base.group_portal", name="Medewerker Welzijn"
        )
        cls.org_user.partner_id.parent_id = cls.organisation
        cls.other_org_user = new_test_user(env, "org.caw", groups="base.group_portal")
        cls.other_org_user.partner_id.parent_id = cls.other_organisation
        cls.agent_user = new_test_user(
            env, "consent.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.citizen_partner = Partner.create(
            {"name": "Mia Hulpvraag", "email": "mia@example.com"}
        )
        Case = env["kcc.case"]
        cls.case = Case._intake(
            {
                "subject": "Hulp bij energiefactuur",
                "partner_id": cls.citizen_partner.id,
            },
            "phone",
        )
        cls.unshared = Case._intake(
            {"subject": "Andere vraag van Mia", "partner_id": cls.citizen_partner.id},
            "phone",
        )
        cls.consent = (
            env["kcc.consent"]
            .with_user(cls.agent_user)
            .create(
                {
                    "partner_id": cls.citizen_partner.id,
                    "organisation_id": cls.organisation.id,
                    "case_ids": [(6, 0, cls.case.ids)],
                    "purpose": "Begeleiding bij de energiefactuur",
                    "channel": "phone",
                }
            )
        )


@tagged("post_install", "-at_install")
class TestConsentAndSharing(ConsentCommon, KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_consent(cls.env)

    def visible_to(self, user):
        return self.env["kcc.case"].with_user(user).search([])

    def test_nothing_is_visible_before_sharing(self):
        self.assertFalse(self.visible_to(self.org_user))
        self.assertEqual(self.consent.user_id, self.agent_user)

    def test_sharing_needs_an_active_consent_for_that_case(self):
        case = self.case.with_user(self.agent_user)
        with self.assertRaises(UserError):
            case._share_with(self.other_organisation, self.consent)
        with self.assertRaises(UserError):
            self.unshared.with_user(self.agent_user)._share_with(
                self.organisation, self.consent
            )
        stranger = self.make_case(subject="Iemand anders")
        with self.assertRaises(UserError):
            stranger.with_user(self.agent_user)._share_with(
                self.organisation, self.consent
            )
        self.consent.action_withdraw()
        with self.assertRaises(UserError):
            case._share_with(self.organisation, self.consent)

    def test_the_organisation_sees_only_what_is_shared_until_withdrawal(self):
        wizard = (
            self.env["kcc.case.share.wizard"]
            .with_user(self.agent_user)
            .create({"case_id": self.case.id, "consent_id": self.consent.id})
        )
        wizard.action_share()
        self.assertEqual(self.visible_to(self.org_user), self.case)
        self.assertEqual(
            self.case.with_user(self.org_user).read(["subject"])[0]["subject"],
            "Hulp bij energiefactuur",
        )
        with self.assertRaises(AccessError):
            self.unshared.with_user(self.org_user).read(["subject"])
        with self.assertRaises(AccessError):
            self.case.with_user(self.org_user).write({"subject": "x"})
        # another organisation sees nothing
        self.assertFalse(self.visible_to(self.other_org_user))
        # the organisation marks that its support started; the KCC sees it
        self.case.with_user(self.org_user)._portal_support_started(self.org_user)
        share = self.case.share_ids
        self.assertTrue(share.support_started)
        self.assertTrue(share.support_started_on)
        self.assertIn("started supporting", self.case.message_ids[0].body)
        self.assertTrue(self.case.with_user(self.agent_user).share_ids.support_started)
        log = self.env["kcc.audit.log"].search([("action", "=", "share")])
        self.assertEqual((log.res_id, log.user_id), (self.case.id, self.agent_user))
        # withdrawing removes the access at once
        self.consent.with_user(self.agent_user).action_withdraw()
        self.assertEqual(self.consent.state, "withdrawn")
        self.assertFalse(self.visible_to(self.org_user))
        with self.assertRaises(AccessError):
            self.case.with_user(self.org_user).read(["subject"])
        self.assertTrue(self.env["kcc.audit.log"].search([("action", "=", "withdraw")]))
        with self.assertRaises(UserError):
            self.case._portal_support_started(self.org_user)

    def test_the_organisation_cannot_reopen_the_citizens_case(self):
        self.case._share_with(self.organisation, self.consent)
        self.case.action_start()
        self.case.resolution = "<p>Ok</p>"
        self.case.action_answer()
        with self.assertRaises(UserError):
            self.case.sudo()._portal_reopen("Niet tevreden", self.org_user)


@tagged("post_install", "-at_install")
class TestConsentPortal(ConsentCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_consent(cls.env)
        cls.case._share_with(cls.organisation, cls.consent)

    def test_organisation_user_in_the_portal(self):
        self.authenticate("org.welzijn", "org.welzijn")
        listing = self.url_open("/my/cases?filterby=all")
        self.assertIn(self.case.name, listing.text)
        self.assertNotIn(self.unshared.name, listing.text)
        page = self.url_open(f"/my/cases/{self.case.id}")
        self.assertIn("Hulp bij energiefactuur", page.text)
        self.assertIn("support_started", page.text)
        response = self.url_open(
            f"/my/cases/{self.case.id}/support_started",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.case.share_ids.support_started)
        self.consent.action_withdraw()
        response = self.url_open(f"/my/cases/{self.case.id}")
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn("Hulp bij energiefactuur", response.text)

    def test_sensitive_shared_case_keeps_its_text_and_files_from_the_organisation(self):
        # his own words (a phone case's description is internal otherwise)
        self.case.write(
            {
                "sensitive": True,
                "description": "Schulden bij de energieleverancier.",
                "description_by_customer": True,
            }
        )
        self.env["ir.attachment"].create(
            {
                "name": "loonfiche.pdf",
                "datas": "JVBERi0xLjQK",
                "res_model": "kcc.case",
                "res_id": self.case.id,
            }
        )
        self.authenticate("org.welzijn", "org.welzijn")
        page = self.url_open(f"/my/cases/{self.case.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Hulp bij energiefactuur", page.text)
        self.assertNotIn("Schulden bij de energieleverancier", page.text)
        self.assertNotIn("loonfiche.pdf", page.text)
        # the citizen himself, through the link of his e-mails, sees both
        self.authenticate(None, None)
        url = (
            f"/my/cases/{self.case.id}?access_token={self.case._portal_ensure_token()}"
        )
        page = self.url_open(url)
        self.assertIn("Schulden bij de energieleverancier", page.text)
        self.assertIn("loonfiche.pdf", page.text)

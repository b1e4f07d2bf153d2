"""Issue 17, leak 2: the customer's access token is his alone.

A partner organisation a case is shared with reads and posts as itself; the
page never carries the customer's token, and withdrawing the consent ends
every path at once, including the links the organisation may have kept.
"""

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .test_consent import ConsentCommon

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@tagged("post_install", "-at_install")
class TestPartnerOrganisationToken(ConsentCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_consent(cls.env)
        cls.case._share_with(cls.organisation, cls.consent)
        # the customer's link, as in the e-mails he received
        cls.token = cls.case._portal_ensure_token()
        cls.photo = cls.env["ir.attachment"].create(
            {
                "name": "factuur.png",
                "raw": PNG,
                "res_model": "kcc.case",
                "res_id": cls.case.id,
            }
        )

    def post(self, body, **params):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "kcc.case",
                "thread_id": self.case.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                **params,
            },
        )

    def fetch(self, **params):
        return self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "kcc.case", "thread_id": self.case.id, **params},
        )

    def test_the_organisation_never_sees_the_customers_token(self):
        self.authenticate("org.welzijn", "org.welzijn")
        for url in (
            "/my/cases?filterby=all",
            f"/my/cases/{self.case.id}",
            f"/mail/view?model=kcc.case&res_id={self.case.id}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn("Hulp bij energiefactuur", response.text)
                self.assertNotIn(self.token, response.text)
                self.assertNotIn(self.token, response.url)
        # the chatter works without it: the organisation reads and posts as
        # itself, through the access the share gives it
        self.post("Wij nemen contact op met Mia.")
        message = self.case.message_ids.filtered(
            lambda m: "Wij nemen contact op" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.org_user.partner_id)
        bodies = [m["body"] for m in self.fetch()["data"]["mail.message"]]
        self.assertTrue(any("Wij nemen contact op" in body for body in bodies))

    def test_staff_in_the_portal_do_not_see_the_token_either(self):
        self.authenticate("consent.agent", "consent.agent")
        page = self.url_open(f"/my/cases/{self.case.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(self.token, page.text)

    def test_the_customer_through_his_link_keeps_his_chatter(self):
        self.case.action_start()
        self.case.resolution = "<p>Zie bijlage</p>"
        self.case.action_answer()
        page = self.url_open(f"/my/cases/{self.case.id}?access_token={self.token}")
        self.assertIn("Hulp bij energiefactuur", page.text)
        # his token goes back into the chatter and the "not satisfied" form
        self.assertIn(f'data-token="{self.token}"', page.text)
        self.assertIn(f'name="access_token" value="{self.token}"', page.text)
        self.post("Bedankt", token=self.token)
        message = self.case.message_ids.filtered(lambda m: "Bedankt" in (m.body or ""))
        self.assertEqual(message.author_id, self.citizen_partner)

    def test_withdrawing_the_consent_ends_every_path(self):
        # the organisation opens the case: the photo gets a download link
        self.authenticate("org.welzijn", "org.welzijn")
        page = self.url_open(f"/my/cases/{self.case.id}")
        self.assertIn("factuur.png", page.text)
        photo_token = self.photo.access_token
        self.assertTrue(photo_token)
        self.assertIn(photo_token, page.text)
        download = f"/web/content/{self.photo.id}?access_token={photo_token}"
        self.assertEqual(self.url_open(download).status_code, 200)
        # say the customer's link leaked to it anyway (as it did before)
        old_token = self.token

        self.consent.with_user(self.agent_user).action_withdraw()

        self.assertNotEqual(self.case.access_token, old_token)
        self.assertFalse(self.photo.access_token)
        for login in ("org.welzijn", None):
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self.url_open(
                    f"/my/cases/{self.case.id}?access_token={old_token}"
                )
                self.assertNotIn("/my/cases/", response.url)
                self.assertNotIn("Hulp bij energiefactuur", response.text)
                self.assertIn(self.url_open(download).status_code, (403, 404))
                with self.assertRaises(JsonRpcException):
                    self.post("Als de burger gepost", token=old_token)
                self.assertNotIn(
                    "Als de burger gepost",
                    " ".join(self.case.message_ids.mapped("body")),
                )
                response = self.url_open(
                    f"/my/cases/{self.case.id}/reopen",
                    data={
                        "reason": "Niet tevreden",
                        "access_token": old_token,
                        "csrf_token": http.Request.csrf_token(self),
                    },
                )
                self.assertNotIn("/my/cases/", response.url)
        # the customer's later e-mails carry the new link, which works
        new_url = self.case.get_portal_url()
        self.assertNotIn(old_token, new_url)
        self.assertIn(self.case.access_token, new_url)
        page = self.url_open(new_url)
        self.assertIn("Hulp bij energiefactuur", page.text)
        self.assertIn("factuur.png", page.text)

    def test_credentials_that_cannot_be_right_give_no_access_and_no_error(self):
        attempts = [
            {"token": 5},
            {"token": ["a"]},
            {"hash": 5, "pid": "abc"},
            {"hash": "abc", "pid": "1 OR 1=1"},
        ]
        for params in attempts:
            with self.subTest(params=params):
                with self.assertRaises(JsonRpcException) as caught:
                    self.post("Hallo", **params)
                self.assertEqual(str(caught.exception), "werkzeug.exceptions.NotFound")
        # an anonymised case has no token left: any token is simply wrong
        self.case._anonymise()
        with self.assertRaises(JsonRpcException) as caught:
            self.post("Hallo", token="x")
        self.assertEqual(str(caught.exception), "werkzeug.exceptions.NotFound")

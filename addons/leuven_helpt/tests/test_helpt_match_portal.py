import json

from lxml import html

from odoo import http
from odoo.tests import HttpCase, tagged

from odoo.addons.leuven_kcc.tests.test_customer_dutch import english_in

from .test_helpt_match import PHONE, PRIVATE, REQUESTER, helpt_fixtures, make_request


def page_text(response):
    root = html.fromstring(response.text)
    for node in root.xpath("//script|//style|//head"):
        node.drop_tree()
    return " ".join(root.text_content().split())


@tagged("post_install", "-at_install")
class TestHelptPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        helpt_fixtures(cls)
        cls.case = make_request(cls.env, cls)
        cls.match = cls.case.with_user(cls.agent)._helpt_propose(cls.volunteer)

    def url(self, suffix="", token=False):
        url = f"/my/helpt/{self.match.id}{suffix}"
        return f"{url}?access_token={self.match.access_token}" if token else url

    def csrf(self):
        return http.Request.csrf_token(self)

    def post(self, action, token=False):
        data = {"csrf_token": self.csrf()}
        if token:
            data["access_token"] = self.match.access_token
        response = self.url_open(f"/my/helpt/{self.match.id}/{action}", data=data)
        self.env.invalidate_all()
        return response

    def assert_private_absent(self, text, what):
        for word in PRIVATE:
            self.assertNotIn(word, text, f"{word!r} in {what}")

    def rpc(self, model, method, args, kwargs=None):
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_volunteer_sees_the_requester_only_after_accepting(self):
        self.authenticate("hm.volunteer0", "hm.volunteer0")
        listing = self.url_open("/my/helpt")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.url(), listing.text)
        self.assert_private_absent(page_text(listing), "his list")
        page = self.url_open(self.url())
        self.assertEqual(page.status_code, 200)
        text = page_text(page)
        self.assertIn("Aanvaarden", text)
        self.assertIn(self.match.district_id.name, text)
        self.assertIn(self.match.distance_text, text)
        self.assert_private_absent(text, "the proposal page")
        self.assertEqual(english_in(text), [])
        # JSON-RPC as the volunteer: his match without the requester, never
        # the request itself
        rows = self.rpc("helpt.match", "search_read", [[]])
        self.assertEqual([row["id"] for row in rows["result"]], self.match.ids)
        self.assert_private_absent(json.dumps(rows), "search_read")
        self.assertIn("error", self.rpc("kcc.case", "read", [self.case.ids, ["name"]]))
        messages = self.rpc(
            "mail.message",
            "search_read",
            [[["model", "=", "helpt.match"], ["res_id", "=", self.match.id]]],
            {"fields": ["body", "subject", "attachment_ids", "author_id"]},
        )
        self.assertTrue(messages["result"])
        self.assert_private_absent(json.dumps(messages), "the messages")
        # accept: the page now tells whom he helps
        response = self.post("accept")
        self.assertEqual(response.status_code, 200)
        text = page_text(self.url_open(self.url()))
        self.assertIn(REQUESTER, text)
        self.assertIn("Tiensestraat 12", text)
        self.assertIn(PHONE, text)
        self.assertEqual(english_in(text), [])
        self.assertEqual(self.match.state, "accepted")
        rows = self.rpc("helpt.match", "read", [self.match.ids, ["requester_name"]])
        self.assertEqual(rows["result"][0]["requester_name"], REQUESTER)
        self.assertIn("error", self.rpc("kcc.case", "read", [self.case.ids, ["name"]]))

    def test_link_of_the_email_and_a_second_accept(self):
        self.authenticate(None, None)
        self.assertNotIn("Aanvaarden", page_text(self.url_open(self.url())))
        page = self.url_open(self.url(token=True))
        self.assertIn("Aanvaarden", page_text(page))
        self.assert_private_absent(page_text(page), "the page of the link")
        wrong = f"/my/helpt/{self.match.id}?access_token=x{self.match.access_token}"
        self.assertNotIn("Aanvaarden", page_text(self.url_open(wrong)))
        self.post("accept", token=True)
        self.assertEqual(self.match.state, "accepted")
        self.assertIn(REQUESTER, page_text(self.url_open(self.url(token=True))))
        again = page_text(self.post("accept", token=True))
        self.assertIn("Dit voorstel is niet meer open: het werd al aanvaard.", again)

    def test_another_volunteer_is_refused(self):
        self.authenticate("hm.volunteer1", "hm.volunteer1")
        # no access to the other's page without the link
        self.assertNotIn("Aanvaarden", page_text(self.url_open(self.url())))
        self.post("accept")
        self.assertEqual(self.match.state, "proposed")
        # with the other's link: told it is meant for someone else
        text = page_text(self.post("accept", token=True))
        self.assertIn("Dit voorstel is niet meer open", text)
        self.assertIn("andere vrijwilliger", text)
        self.assertEqual(self.match.state, "proposed")
        self.assert_private_absent(text, "the refusal")

    def test_decline_and_report_from_the_portal(self):
        self.authenticate("hm.volunteer0", "hm.volunteer0")
        self.post("decline")
        self.assertEqual(self.match.state, "declined")
        self.assertTrue(self.case.activity_ids)
        second = self.case.with_user(self.agent)._helpt_propose(self.other)
        self.authenticate("hm.volunteer1", "hm.volunteer1")
        self.url_open(f"/my/helpt/{second.id}/accept", data={"csrf_token": self.csrf()})
        self.env.invalidate_all()
        self.assertEqual(second.state, "accepted")
        today = str(second.create_date.date())
        self.url_open(
            f"/my/helpt/{second.id}/report",
            data={
                "csrf_token": self.csrf(),
                "date": today,
                "happened": "yes",
                "hours": "2",
            },
        )
        self.env.invalidate_all()
        self.assertEqual(second.state, "done")
        self.assertEqual(second.hours, 2)
        self.assertEqual(self.case.state, "answered")

    def test_answers_need_a_post_with_csrf(self):
        self.authenticate("hm.volunteer0", "hm.volunteer0")
        self.url_open(f"/my/helpt/{self.match.id}/accept")  # GET: back to the page
        self.url_open(f"/my/helpt/{self.match.id}/accept", data={"x": "1"})
        self.env.invalidate_all()
        self.assertEqual(self.match.state, "proposed")

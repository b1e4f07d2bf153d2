"""Text from machines reaches people as plain text, and a telephone platform
names one agent exactly (issue 17, leak 8: planning note, telephony agent)."""

import json

from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

NOTE = (
    'Hersteld. <a href="https://evil.example/login">Klik hier</a>'
    '<img src="https://evil.example/pixel.png">\nTweede regel'
)


class MachineCase(HttpCase):
    def post_json(self, url, body, token):
        return self.url_open(
            url,
            data=json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
            },
        )


@tagged("post_install", "-at_install")
class TestPlanningNoteIsPlainText(MachineCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls.env.ref(
            "leuven_kcc.kcc_outbox_endpoint_planning"
        )._issue_api_key()["context"]["default_key"]
        cls.citizen = new_test_user(
            cls.env, "note.citizen", groups="base.group_portal", name="An Wouters"
        )
        cls.case = cls.env["kcc.case"]._intake(
            {
                "subject": "Put in de Bondgenotenlaan",
                "case_type": "report",
                "street": "Bondgenotenlaan 1",
                "partner_id": cls.citizen.partner_id.id,
            },
            "report_form",
        )
        cls.case.write({"work_order_ref": "WO-NOTE-1", "state": "assigned"})

    def done(self, **changes):
        body = {
            "work_order_id": "WO-NOTE-1",
            "status": "done",
            "date": "2026-12-02",
            "note": NOTE,
        }
        body.update(changes)
        return self.post_json("/kcc/api/planning/status", body, self.key)

    def test_note_reaches_the_citizen_without_links_or_images(self):
        response = self.done()
        self.assertEqual(response.status_code, 200, response.text)
        case = self.case.with_user(self.citizen)
        self.assertEqual(case.state, "answered")
        message = self.case.message_ids.filtered(lambda m: "Hersteld." in m.body)
        self.assertTrue(message.partner_ids & self.citizen.partner_id)
        for body in (case.resolution, message.body):
            with self.subTest(body=body):
                self.assertIn("Hersteld.", body)
                self.assertIn("Tweede regel", body)
                self.assertNotIn("<a", body)
                self.assertNotIn("<img", body)
                self.assertIn("&lt;a href=", body, "shown as the text it is")
        self.authenticate("note.citizen", "note.citizen")
        page = self.url_open(f"/my/cases/{self.case.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Hersteld.", page.text)
        tree = html.fromstring(page.content)
        self.assertFalse(tree.xpath("//a[contains(@href, 'evil.example')]"))
        self.assertFalse(tree.xpath("//img[contains(@src, 'evil.example')]"))
        answer = tree.xpath("//div[hasclass('o_kcc_resolution')]")[0].text_content()
        self.assertIn('<a href="https://evil.example/login">Klik hier</a>', answer)

    def test_overlong_or_odd_notes_and_dates_are_refused(self):
        cases = {
            "overlong note": {"note": "n" * 2001},
            "number note": {"note": 12},
            "number date": {"date": 20261202},
            "impossible date": {"date": "2026-13-45"},
        }
        for label, changes in cases.items():
            with self.subTest(label):
                response = self.done(**changes)
                self.assertEqual(response.status_code, 422, response.text)
                self.assertEqual(
                    response.headers["Content-Type"], "application/problem+json"
                )
        self.assertEqual(self.case.state, "assigned", "nothing half-done")
        self.assertFalse(self.case.work_order_note)


@tagged("post_install", "-at_install")
class TestTelephonyAgentIsExact(MachineCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system = cls.env["kcc.telephony.system"].create({"name": "Centrale"})
        cls.key = cls.system._issue_api_key()["context"]["default_key"]
        cls.agent = new_test_user(
            cls.env,
            "exact.agent",
            email="exact.agent@example.com",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )

    def call(self, call_id, agent):
        response = self.post_json(
            "/kcc/api/telephony/call",
            {"call_id": call_id, "caller": "+32 470 11 22 33", "agent": agent},
            self.key,
        )
        self.assertEqual(response.status_code, 201, response.text)
        return self.env["kcc.contact"].browse(response.json()["contact_id"])

    def test_wildcards_match_nobody(self):
        for n, agent in enumerate(("%", "_%", "exact_agent", "exact.%", "%@%", "\\%")):
            with self.subTest(agent=agent):
                contact = self.call(f"wild-{n}", agent)
                self.assertFalse(contact.user_id, f"{agent!r} names no agent")

    def test_exact_login_or_email_still_match(self):
        for n, agent in enumerate(("exact.agent", "EXACT.AGENT@example.com")):
            with self.subTest(agent=agent):
                contact = self.call(f"exact-{n}", agent)
                self.assertEqual(contact.user_id, self.agent)

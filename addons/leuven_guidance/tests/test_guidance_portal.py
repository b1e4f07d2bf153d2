from odoo import http
from odoo.tests import HttpCase, tagged

from .common import GuidanceFixture


@tagged("post_install", "-at_install")
class TestGuidancePortal(GuidanceFixture, HttpCase):
    """Mijn begeleidingen: the citizen follows his trajectories and completes
    the data of the dwellings he holds; nothing of another citizen's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()
        (cls.citizen | cls.other_citizen | cls.coach).write({"lang": "nl_BE"})
        trajectory = cls.trajectory.with_user(cls.coach)
        trajectory.message_post(
            body="Uw offerte voor het dak",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            attachments=[("offerte-dak.pdf", b"%PDF-1.4 offerte")],
        )
        trajectory.message_post(
            body="Interne inschatting",
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            attachments=[("interne-inschatting.txt", b"intern")],
        )
        cls.env["calendar.event"].create(
            {
                "name": "Huisbezoek",
                "start": "2099-03-02 09:00:00",
                "stop": "2099-03-02 10:00:00",
                "res_model_id": cls.env["ir.model"]._get_id("guidance.trajectory"),
                "res_id": cls.trajectory.id,
            }
        )

    def post_dwelling(self, dwelling, **values):
        data = {"csrf_token": http.Request.csrf_token(self), **values}
        return self.url_open(f"/my/dwellings/{dwelling.id}", data=data)

    def test_the_citizen_follows_his_trajectory(self):
        self.authenticate("g.citizen", "g.citizen")
        home = self.url_open("/my/home")
        self.assertIn("/my/trajectories", home.text)
        response = self.url_open("/my/trajectories")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.trajectory.name, response.text)
        self.assertNotIn(self.other_trajectory.name, response.text)
        page = self.url_open(f"/my/trajectories/{self.trajectory.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Sofie Coach", page.text)
        self.assertIn(self.stage_intake.with_context(lang="nl_BE").name, page.text)
        self.assertIn("2099", page.text)  # the next appointment
        self.assertIn("offerte-dak.pdf", page.text)
        self.assertNotIn("interne-inschatting", page.text)
        self.assertNotIn("g.coach@example.com", page.text)
        self.assertIn("/my/account", page.text)
        self.assertIn("Naamsestraat 96", page.text)

    def test_another_citizens_records_are_not_found(self):
        self.authenticate("g.other", "g.other")
        for url in (
            f"/my/trajectories/{self.trajectory.id}",
            f"/my/dwellings/{self.owned.id}",
            "/my/dwellings/999999",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Naamsestraat", response.text)
        response = self.post_dwelling(self.owned, construction_year="1900")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.owned.construction_year)
        listing = self.url_open("/my/dwellings")
        self.assertIn("Brusselsestraat", listing.text)
        self.assertNotIn("Naamsestraat", listing.text)

    def test_the_citizen_corrects_his_dwelling_and_the_coach_sees_who(self):
        self.authenticate("g.citizen", "g.citizen")
        response = self.post_dwelling(
            self.owned,
            construction_year="1932",
            heating_type="heat_pump",
            roof_insulation="no",
            wall_insulation="",
            glazing="double",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_guidance_saved", response.text)
        self.assertEqual(self.owned.construction_year, 1932)
        self.assertEqual(self.owned.heating_type, "heat_pump")
        # the coach reads the change in the dwelling's chatter, with its author
        messages = self.owned.with_user(self.coach).message_ids
        tracked = messages.sudo().filtered("tracking_value_ids")
        self.assertEqual(len(tracked), 1)
        self.assertIn(tracked, messages)
        self.assertEqual(
            tracked.with_user(self.coach).author_id, self.citizen.partner_id
        )
        self.assertIn(
            "heating_type", tracked.tracking_value_ids.field_id.mapped("name")
        )

    def test_bad_input_is_shown_again_in_dutch_with_what_he_typed(self):
        self.authenticate("g.citizen", "g.citizen")
        response = self.post_dwelling(
            self.rented,
            construction_year="19x5",
            heating_type="heat_pump",
            glazing="plastic",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Vul een jaar in", response.text)
        self.assertIn("Kies een van de mogelijkheden", response.text)
        self.assertIn('value="19x5"', response.text)
        self.assertRegex(response.text, r'value="heat_pump"\s+selected')
        self.assertFalse(self.rented.construction_year)
        self.assertFalse(self.rented.heating_type)
        response = self.post_dwelling(self.rented, construction_year="1200")
        self.assertEqual(response.status_code, 400)
        self.assertIn("1500", response.text)

    def test_the_citizen_uploads_a_document_on_his_trajectory(self):
        self.authenticate("g.citizen", "g.citizen")
        upload = self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "thread_id": self.trajectory.id,
                "thread_model": "guidance.trajectory",
                "is_pending": "true",
            },
            files={"ufile": ("factuur-isolatie.pdf", b"%PDF-1.4 factuur")},
        )
        self.assertEqual(upload.status_code, 200)
        stored = upload.json()["data"]["ir.attachment"][0]
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "guidance.trajectory",
                "thread_id": self.trajectory.id,
                "post_data": {
                    "body": "De factuur van de isolatie",
                    "attachment_ids": [stored["id"]],
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                "attachment_tokens": [stored["access_token"]],
            },
        )
        message = self.trajectory.message_ids[0]
        self.assertEqual(message.author_id, self.citizen.partner_id)
        self.assertEqual(message.attachment_ids.name, "factuur-isolatie.pdf")
        page = self.url_open(f"/my/trajectories/{self.trajectory.id}")
        self.assertIn("factuur-isolatie.pdf", page.text)

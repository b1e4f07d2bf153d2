import datetime as dt

from freezegun import freeze_time

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GuidanceFixture


@tagged("post_install", "-at_install")
class TestGuidancePartnerAccess(GuidanceFixture, HttpCase):
    """The matrix: a citizen with two dwellings in one trajectory, two partner
    organisations granted different categories of different dwellings; each
    reads exactly its part, through every path, while its grant holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()
        env = cls.env
        cls.trajectory.dwelling_ids = [(6, 0, (cls.owned | cls.rented).ids)]
        cls.owned.construction_year = 1962
        cls.rented.construction_year = 1988
        Partner = env["res.partner"]
        cls.energy_house = Partner.create(
            {
                "name": "Energiehuis Leuven",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.rental_office = Partner.create(
            {
                "name": "Sociaal Verhuurkantoor",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.energy_user = new_test_user(
            env, "g.energy", groups="base.group_portal", name="Els Energiehuis"
        )
        cls.energy_user.partner_id.parent_id = cls.energy_house
        cls.rental_user = new_test_user(
            env, "g.rental", groups="base.group_portal", name="Rik Verhuurkantoor"
        )
        cls.rental_user.partner_id.parent_id = cls.rental_office
        trajectory = cls.trajectory.with_user(cls.coach)
        trajectory.message_post(
            body="Huisbezoek gepland",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        trajectory.message_post(
            body="Uw offerte",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            attachments=[("offerte.pdf", b"%PDF-1.4 offerte")],
        )
        cls.valid_until = fields.Date.today() + dt.timedelta(days=30)
        Consent = env["kcc.consent"].with_user(cls.coach)
        cls.energy_grant = Consent.create(
            cls.grant_values(
                cls.energy_house, ["contact", "dwelling", "epc", "notes"], cls.owned
            )
        )
        cls.rental_grant = Consent.create(
            cls.grant_values(
                cls.rental_office, ["contact", "financial", "documents"], cls.rented
            )
        )
        env.cr.precommit.run()

    @classmethod
    def grant_values(cls, organisation, codes, dwellings):
        categories = cls.env["guidance.data.category"].search([("code", "in", codes)])
        return {
            "partner_id": cls.citizen.partner_id.id,
            "organisation_id": organisation.id,
            "trajectory_id": cls.trajectory.id,
            "category_ids": [(6, 0, categories.ids)],
            "dwelling_ids": [(6, 0, dwellings.ids)],
            "valid_until": cls.valid_until,
            "purpose": "Renovatieadvies",
        }

    def as_user(self, user, model):
        return self.env[model].with_user(user)

    def test_each_partner_reads_its_dwelling_only(self):
        for user, mine, other in (
            (self.energy_user, self.owned, self.rented),
            (self.rental_user, self.rented, self.owned),
        ):
            Dwelling = self.as_user(user, "guidance.dwelling")
            self.assertEqual(Dwelling.search([]), mine)
            with self.assertRaises(AccessError):
                other.with_user(user).read(["street"])
            self.assertEqual(
                Dwelling.search_read([], ["street"]),
                [{"id": mine.id, "street": mine.street}],
            )
        Trajectory = self.as_user(self.energy_user, "guidance.trajectory")
        self.assertEqual(Trajectory.search([]), self.trajectory)
        self.assertFalse(Trajectory.search([("id", "=", self.other_trajectory.id)]))
        # the trajectory lists only the dwelling granted
        values = self.trajectory.with_user(self.energy_user).read(["dwelling_ids"])
        self.assertEqual(values[0]["dwelling_ids"], self.owned.ids)

    def test_each_partner_reads_exactly_its_categories(self):
        # the energy house: dwelling technical data; the rental office: not
        owned = self.owned.with_user(self.energy_user)
        self.assertEqual(
            owned.read(["construction_year"])[0]["construction_year"], 1962
        )
        rented = self.rented.with_user(self.rental_user)
        with self.assertRaises(AccessError):
            rented.read(["construction_year"])
        with self.assertRaises(AccessError):
            self.as_user(self.rental_user, "guidance.dwelling").search_read(
                [], ["construction_year"]
            )
        # a partner organisation's user does not export (the portal's rights)
        for record in (owned, rented):
            with self.assertRaises(UserError):
                record.export_data(["construction_year"])
        # a read without field names gives only the fields granted
        values = rented.read()[0]
        self.assertNotIn("construction_year", values)
        self.assertNotIn("heating_type", values)
        self.assertEqual(values["street"], "Tiensestraat")
        values = self.trajectory.with_user(self.rental_user).read()[0]
        self.assertEqual(values["partner_id"][0], self.citizen.partner_id.id)
        self.assertNotIn("message_ids", values)
        self.assertNotIn("case_id", values)
        # read_group on a granted field; never on a field not granted
        groups = self.as_user(self.rental_user, "guidance.trajectory").read_group(
            [], ["partner_id"], ["partner_id"]
        )
        self.assertEqual(groups[0]["partner_id_count"], 1)
        with self.assertRaises(AccessError):
            self.as_user(self.rental_user, "guidance.dwelling").read_group(
                [], ["heating_type"], ["heating_type"]
            )

    def test_chatter_follows_the_notes_category(self):
        Message = self.env["mail.message"]
        domain = [
            ("model", "=", "guidance.trajectory"),
            ("res_id", "=", self.trajectory.id),
            ("body", "ilike", "Huisbezoek gepland"),
        ]
        message = Message.with_user(self.energy_user).search(domain)
        self.assertTrue(message)
        self.assertFalse(Message.with_user(self.rental_user).search(domain))
        with self.assertRaises(AccessError):
            message.with_user(self.rental_user).read(["body"])

    def test_chatter_over_http(self):
        self.authenticate("g.rental", "g.rental")
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "guidance.trajectory", "thread_id": self.trajectory.id},
        )
        self.assertNotIn("Huisbezoek gepland", str(result))
        self.authenticate("g.energy", "g.energy")
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "guidance.trajectory", "thread_id": self.trajectory.id},
        )
        self.assertIn("Huisbezoek gepland", str(result))
        # the messages, not their files: no documents category
        self.assertIn("Uw offerte", str(result))
        self.assertNotIn("offerte.pdf", str(result))

    def test_withdrawal_takes_effect_on_the_next_request(self):
        Trajectory = self.as_user(self.energy_user, "guidance.trajectory")
        self.assertEqual(Trajectory.search([]), self.trajectory)
        self.energy_grant.with_user(self.coach).action_withdraw()
        self.assertFalse(Trajectory.search([]))
        self.assertFalse(self.as_user(self.energy_user, "guidance.dwelling").search([]))
        with self.assertRaises(AccessError):
            self.trajectory.with_user(self.energy_user).read(["name"])
        # the other organisation keeps its own access
        self.assertEqual(
            self.as_user(self.rental_user, "guidance.trajectory").search([]),
            self.trajectory,
        )

    def test_expiry_takes_effect_without_a_cron(self):
        Trajectory = self.as_user(self.rental_user, "guidance.trajectory")
        with freeze_time(self.valid_until):
            self.assertEqual(Trajectory.search([]), self.trajectory)
        with freeze_time(self.valid_until + dt.timedelta(days=1)):
            self.assertFalse(Trajectory.search([]))
            with self.assertRaises(AccessError):
                self.rented.with_user(self.rental_user).read(["street"])

    def test_portal_page_and_not_found(self):
        url = f"/my/trajectories/{self.trajectory.id}"
        self.authenticate("g.rental", "g.rental")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tiensestraat", page.text)
        self.assertNotIn("Naamsestraat", page.text)
        self.assertIn("offerte.pdf", page.text)
        self.assertNotIn("Who looked at my data", page.text)
        self.assertEqual(self.url_open(url + "/access").status_code, 404)
        # the holder's edit page is not the partner's: not found, no change
        response = self.url_open(
            f"/my/dwellings/{self.rented.id}",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "construction_year": "1900",
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.rented.construction_year, 1988)
        self.assertEqual(
            self.url_open(f"/my/trajectories/{self.other_trajectory.id}").status_code,
            404,
        )
        self.authenticate("g.energy", "g.energy")
        page = self.url_open(url)
        self.assertIn("Naamsestraat", page.text)
        self.assertNotIn("Tiensestraat", page.text)
        self.assertNotIn("offerte.pdf", page.text)
        self.energy_grant.with_user(self.coach).action_withdraw()
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_every_read_is_logged_and_listed_for_the_citizen(self):
        self.owned.with_user(self.energy_user).read(["construction_year"])
        self.trajectory.with_user(self.rental_user).read(["partner_id"])
        Log = self.env["guidance.access.log"]
        logs = Log.with_user(self.citizen).search([])
        self.assertEqual(
            {(log.organisation_id, log.category, log.dwelling_id) for log in logs},
            {
                (self.energy_house, "dwelling", self.owned),
                (self.rental_office, "contact", self.rented),
            },
        )
        self.assertEqual(Log.with_user(self.coach).search([]), logs)
        # on the trajectory's form, tab "Toegang partner"
        form = self.trajectory.with_user(self.coach).get_views([(False, "form")])
        self.assertIn("access_log_ids", str(form))
        self.assertEqual(self.trajectory.with_user(self.coach).access_log_ids, logs)
        self.assertFalse(Log.with_user(self.other_citizen).search([]))
        self.assertFalse(Log.with_user(self.energy_user).search([]))
        with self.assertRaises(AccessError):
            Log.with_user(self.citizen).create(
                {
                    "organisation_id": self.energy_house.id,
                    "trajectory_id": self.trajectory.id,
                    "category": "epc",
                    "read_at": fields.Datetime.now(),
                }
            )
        self.citizen.lang = "nl_BE"
        self.authenticate("g.citizen", "g.citizen")
        page = self.url_open(f"/my/trajectories/{self.trajectory.id}/access")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Energiehuis Leuven", page.text)
        self.assertIn("Sociaal Verhuurkantoor", page.text)
        # in Dutch, the category's name, the dwelling, the organisation
        self.assertIn("Technische gegevens van de woning", page.text)
        self.assertIn("Contactgegevens", page.text)

    def test_a_grant_covers_the_citizens_dwellings_only(self):
        Consent = self.env["kcc.consent"].with_user(self.coach)
        with self.assertRaises(ValidationError):
            Consent.create(
                self.grant_values(self.energy_house, ["contact"], self.foreign)
            )
        with self.assertRaises(ValidationError):
            Consent.create(self.grant_values(self.energy_house, [], self.owned))

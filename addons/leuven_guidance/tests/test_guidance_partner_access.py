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

    ENERGY = ("contact", "dwelling", "epc", "notes")

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
            cls.grant_values(cls.energy_house, cls.ENERGY, cls.owned)
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
        # nor is the holders' list of dwellings, nor its counter
        self.assertEqual(self.url_open("/my/dwellings").status_code, 404)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["guidance_dwelling_count", "guidance_trajectory_count"]},
        )
        self.assertEqual(counters["guidance_dwelling_count"], 0)
        self.assertEqual(counters["guidance_trajectory_count"], 1)
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

    def logged(self, organisation):
        return {
            (log.category, log.dwelling_id)
            for log in self.env["guidance.access.log"].search(
                [("organisation_id", "=", organisation.id)]
            )
        }

    def offer(self):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "guidance.trajectory"), ("name", "=", "offerte.pdf")]
        )

    def test_chatter_and_documents_reads_are_logged(self):
        # the notes: the chatter as the web client and the portal fetch it
        self.authenticate("g.energy", "g.energy")
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "guidance.trajectory", "thread_id": self.trajectory.id},
        )
        self.assertIn("Huisbezoek gepland", str(result))
        self.assertEqual(self.logged(self.energy_house), {("notes", self.owned)})
        # the portal's chatter: the messages, not the files (no documents)
        result = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "guidance.trajectory", "thread_id": self.trajectory.id},
        )
        self.assertIn("Uw offerte", str(result))
        self.assertNotIn("offerte.pdf", str(result))
        self.assertNotIn("access_token", str(result))
        # the documents: downloaded with the link of the portal page
        self.authenticate("g.rental", "g.rental")
        page = self.url_open(f"/my/trajectories/{self.trajectory.id}")
        self.assertIn("offerte.pdf", page.text)
        self.env["guidance.access.log"].search([]).unlink()
        response = self.url_open(self.link(self.offer()))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 offerte")
        self.assertEqual(self.logged(self.rental_office), {("documents", self.rented)})
        # a group by a category's field
        self.env["guidance.access.log"].search([]).unlink()
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/guidance.trajectory/web_read_group",
            {
                "model": "guidance.trajectory",
                "method": "web_read_group",
                "args": [],
                "kwargs": {
                    "domain": [],
                    "fields": ["partner_id"],
                    "groupby": ["partner_id"],
                },
            },
        )
        self.assertEqual(self.logged(self.rental_office), {("contact", self.rented)})
        # all of it on the citizen's page "Wie bekeek mijn gegevens"
        self.citizen.lang = "nl_BE"
        self.authenticate("g.citizen", "g.citizen")
        page = self.url_open(f"/my/trajectories/{self.trajectory.id}/access")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Notities en berichten van de begeleider", page.text)
        self.assertIn("Contactgegevens", page.text)
        self.assertIn("Energiehuis Leuven", page.text)
        self.assertIn("Sociaal Verhuurkantoor", page.text)

    def link(self, offer):
        offer.invalidate_recordset(["access_token"])
        return (
            f"/web/content/{offer.id}?download=true&access_token={offer.access_token}"
        )

    def test_document_links_stop_at_withdrawal(self):
        offer = self.offer()
        self.authenticate("g.rental", "g.rental")
        page = self.url_open(f"/my/trajectories/{self.trajectory.id}")
        self.assertIn("offerte.pdf", page.text)
        link = self.link(offer)
        self.assertIn(link.replace("&", "&amp;"), page.text)
        self.assertEqual(self.url_open(link).status_code, 200)
        # without the link a portal user opens no file (Odoo's rule)
        self.assertNotEqual(self.url_open(f"/web/content/{offer.id}").status_code, 200)
        # the citizen's own link keeps working
        self.authenticate("g.citizen", "g.citizen")
        self.assertEqual(self.url_open(link).status_code, 200)
        # the link is no pass for whoever holds it: not without a session,
        # not for another organisation's user without the documents
        self.authenticate("g.energy", "g.energy")
        self.assertNotEqual(self.url_open(link).status_code, 200)
        self.authenticate(None, None)
        self.assertNotEqual(self.url_open(link).status_code, 200)
        # withdrawn: the next request no longer opens it, link or not
        self.rental_grant.with_user(self.coach).action_withdraw()
        self.authenticate("g.rental", "g.rental")
        self.assertNotEqual(self.url_open(link).status_code, 200)
        self.assertNotEqual(self.url_open(f"/web/content/{offer.id}").status_code, 200)

    def test_document_link_stops_at_expiry(self):
        offer = self.offer().sudo()
        offer.generate_access_token()
        as_partner = offer.with_user(self.rental_user)
        with freeze_time(self.valid_until):
            self.assertTrue(as_partner.validate_access(offer.access_token))
        with freeze_time(self.valid_until + dt.timedelta(days=1)):
            with self.assertRaises(AccessError):
                as_partner.validate_access(offer.access_token)

    def test_grants_are_read_once_per_request(self):
        Trajectory = self.as_user(self.energy_user, "guidance.trajectory")
        first = Trajectory._guidance_readable()
        self.assertEqual(
            first, {self.trajectory.id: {self.owned.id: frozenset(self.ENERGY)}}
        )
        # every later check of the request (reads, searches, record rules)
        # asks the database nothing more
        with self.assertQueryCount(0):
            for _i in range(20):
                self.assertEqual(Trajectory._guidance_readable(), first)
        # a consent given or withdrawn in the same request counts at once
        documents = self.grant_values(self.energy_house, ["documents"], self.owned)
        consent = self.env["kcc.consent"].with_user(self.coach).create(documents)
        self.assertIn(
            "documents",
            Trajectory._guidance_readable()[self.trajectory.id][self.owned.id],
        )
        consent.with_user(self.coach).action_withdraw()
        self.assertEqual(Trajectory._guidance_readable(), first)
        self.energy_grant.with_user(self.coach).action_withdraw()
        self.assertEqual(Trajectory._guidance_readable(), {})

    def test_a_grant_covers_the_citizens_dwellings_only(self):
        Consent = self.env["kcc.consent"].with_user(self.coach)
        with self.assertRaises(ValidationError):
            Consent.create(
                self.grant_values(self.energy_house, ["contact"], self.foreign)
            )
        with self.assertRaises(ValidationError):
            Consent.create(self.grant_values(self.energy_house, [], self.owned))


@tagged("post_install", "-at_install")
class TestGuidancePartnerPerRecord(GuidanceFixture, HttpCase):
    """One organisation, different categories on different records: a
    category's field filters, groups and sorts only the records where that
    category is granted, never the others (through the ORM and over HTTP)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()
        env = cls.env
        cls.trajectory.dwelling_ids = [(6, 0, (cls.owned | cls.rented).ids)]
        cls.owned.heating_type = "gas"
        cls.rented.heating_type = "electric"
        cls.foreign.heating_type = "wood"
        cls.cooperative = env["res.partner"].create(
            {
                "name": "Renovatiecoöperatie",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.reno_user = new_test_user(
            env, "g.reno", groups="base.group_portal", name="Rita Renovatie"
        )
        cls.reno_user.partner_id.parent_id = cls.cooperative
        Consent = env["kcc.consent"].with_user(cls.coach)
        valid_until = fields.Date.today() + dt.timedelta(days=30)
        for citizen, trajectory, codes, dwellings in (
            (cls.citizen, cls.trajectory, ["dwelling"], cls.owned),
            (cls.citizen, cls.trajectory, ["contact"], cls.rented),
            (
                cls.other_citizen,
                cls.other_trajectory,
                ["notes", "dwelling"],
                cls.foreign,
            ),
        ):
            categories = env["guidance.data.category"].search([("code", "in", codes)])
            Consent.create(
                {
                    "partner_id": citizen.partner_id.id,
                    "organisation_id": cls.cooperative.id,
                    "trajectory_id": trajectory.id,
                    "category_ids": [(6, 0, categories.ids)],
                    "dwelling_ids": [(6, 0, dwellings.ids)],
                    "valid_until": valid_until,
                    "purpose": "Renovatieadvies",
                }
            )
        env.cr.precommit.run()

    def call_kw(self, model, method, kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": [], "kwargs": kwargs},
        )

    def test_a_domain_finds_only_where_the_category_is_granted(self):
        Dwelling = self.env["guidance.dwelling"].with_user(self.reno_user)
        # all three are listed (some category each) ...
        self.assertEqual(Dwelling.search([]), self.owned | self.rented | self.foreign)
        # ... but the heating of the rented one (contact data only) is not
        # found, whichever way the condition is put
        self.assertFalse(Dwelling.search([("heating_type", "=", "electric")]))
        self.assertEqual(Dwelling.search([("heating_type", "!=", "gas")]), self.foreign)
        self.assertEqual(
            Dwelling.search([("heating_type", "in", ["gas", "electric"])]), self.owned
        )
        self.assertEqual(Dwelling.search_count([("heating_type", "=", False)]), 0)
        self.assertFalse(
            Dwelling.search(["!", ("heating_type", "in", ["gas", "wood"])])
            - self.rented
        )
        Trajectory = self.env["guidance.trajectory"].with_user(self.reno_user)
        self.assertEqual(Trajectory.search([]), self.trajectory | self.other_trajectory)
        # the contact data of the first trajectory only
        self.assertFalse(
            Trajectory.search([("partner_id", "=", self.other_citizen.partner_id.id)])
        )
        self.assertEqual(
            Trajectory.search([("partner_id", "!=", self.citizen.partner_id.id)]),
            Trajectory.browse(),
        )
        self.assertEqual(
            Trajectory.search([("partner_id", "=", self.citizen.partner_id.id)]),
            self.trajectory,
        )
        # through a trajectory's dwellings too
        self.assertEqual(
            Trajectory.search([("dwelling_ids.heating_type", "=", "electric")]),
            Trajectory.browse(),
        )

    def test_order_and_groups_tell_nothing_of_other_records(self):
        Dwelling = self.env["guidance.dwelling"].with_user(self.reno_user)
        # "electric" sorts before "gas": the rented one would come first
        self.assertEqual(
            Dwelling.search([], order="heating_type, id").ids,
            [self.owned.id, self.foreign.id, self.rented.id],
        )
        groups = Dwelling.read_group([], ["heating_type"], ["heating_type"], lazy=False)
        self.assertEqual(
            {(g["heating_type"], g["__count"]) for g in groups},
            {("gas", 1), ("wood", 1)},
        )
        Trajectory = self.env["guidance.trajectory"].with_user(self.reno_user)
        groups = Trajectory.read_group([], ["partner_id"], ["partner_id"])
        self.assertEqual(
            [(g["partner_id"][0], g["partner_id_count"]) for g in groups],
            [(self.citizen.partner_id.id, 1)],
        )
        # the groups read are logged for the citizens
        logs = self.env["guidance.access.log"].search(
            [("organisation_id", "=", self.cooperative.id)]
        )
        self.assertEqual(
            {(log.category, log.dwelling_id) for log in logs},
            {
                ("dwelling", self.owned),
                ("dwelling", self.foreign),
                ("contact", self.rented),
            },
        )

    def test_over_http(self):
        self.authenticate("g.reno", "g.reno")
        domain = [("heating_type", "=", "electric")]
        self.assertEqual(
            self.call_kw(
                "guidance.dwelling",
                "search_read",
                {"domain": domain, "fields": ["street"]},
            ),
            [],
        )
        result = self.call_kw(
            "guidance.dwelling",
            "web_search_read",
            {"domain": domain, "specification": {"street": {}}},
        )
        self.assertEqual(result["length"], 0)
        result = self.call_kw(
            "guidance.dwelling",
            "web_read_group",
            {
                "domain": [],
                "fields": ["heating_type"],
                "groupby": ["heating_type"],
            },
        )
        self.assertNotIn("electric", str(result))
        self.assertEqual(result["length"], 2)
        result = self.call_kw(
            "guidance.trajectory",
            "search_read",
            {
                "domain": [("partner_id", "=", self.other_citizen.partner_id.id)],
                "fields": ["name"],
            },
        )
        self.assertEqual(result, [])

    def test_the_list_of_the_web_client_shows_blanks_not_an_error(self):
        """The partner's trajectory list asks the citizen column of every
        row: granted on one trajectory, blank on the other, never an error."""
        self.authenticate("g.reno", "g.reno")
        result = self.call_kw(
            "guidance.trajectory",
            "web_search_read",
            {
                "domain": [],
                "specification": {
                    "name": {},
                    "partner_id": {"fields": {"display_name": {}}},
                    "dwelling_ids": {},
                },
            },
        )
        rows = {row["id"]: row for row in result["records"]}
        self.assertEqual(set(rows), {self.trajectory.id, self.other_trajectory.id})
        self.assertEqual(
            rows[self.trajectory.id]["partner_id"]["id"], self.citizen.partner_id.id
        )
        self.assertFalse(rows[self.other_trajectory.id]["partner_id"])
        self.assertNotIn(
            self.other_citizen.partner_id.name, str(rows[self.other_trajectory.id])
        )

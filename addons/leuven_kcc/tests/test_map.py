import urllib.parse

from odoo.tests import HttpCase, new_test_user, tagged

from leuven.kcc.geo import distance_m
from leuven.testing.fake_address_register import FakeAddressRegister

from ..models import kcc_address_lookup as lookup


class MapCase(HttpCase):
    """The address register and the Geolocation service are the loopback
    stand-in; no map tiles (the tests reach no third-party service)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeAddressRegister()
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "website", "leuven_kcc"], ["nl_BE"]
        )
        cls.set_params(
            {
                lookup.REGISTER_URL_PARAM: cls.fake.base_url,
                lookup.GEOLOCATION_URL_PARAM: cls.fake.geolocation_url,
                lookup.TILE_URL_PARAM: "",
                lookup.MUNICIPALITY_PARAM: "Leuven",
            }
        )

    @classmethod
    def set_params(cls, values):
        params = cls.env["ir.config_parameter"].sudo()
        for key, value in values.items():
            params.set_param(key, value)

    def get_json(self, path, **params):
        if params:
            path = f"{path}?{urllib.parse.urlencode(params)}"
        response = self.url_open(path)
        return response.status_code, response.json()


@tagged("post_install", "-at_install")
class TestAddressLookup(MapCase):
    """An anonymous visitor of the report form searches an address and
    places a pin; bad input is a 400, a failing register a 503, each with a
    Dutch message the form shows."""

    def test_search_suggests_addresses_of_leuven(self):
        status, data = self.get_json("/kcc/address/search", q="kerkstraat 1")
        self.assertEqual(status, 200)
        self.assertEqual(
            data["results"],
            [{"address_id": "200008", "label": "Kerkstraat 1, 3001 Leuven"}],
        )
        self.assertEqual(
            self.fake.requests[-1][1]["gemeenteNaam"], "Leuven", "only in Leuven"
        )

    def test_detail_gives_the_point_in_wgs84(self):
        status, data = self.get_json("/kcc/address/detail", id="200007")
        self.assertEqual(status, 200)
        address = data["address"]
        self.assertEqual(address["street_line"], "Diestsesteenweg 120")
        self.assertEqual(
            (address["postcode"], address["municipality"]), ("3010", "Leuven")
        )
        self.assertLess(
            distance_m(address["latitude"], address["longitude"], 50.89208, 4.72386), 1
        )

    def test_reverse_names_the_address_of_the_pin(self):
        status, data = self.get_json(
            "/kcc/address/reverse", lat="50.8789", lon="4.7011"
        )
        self.assertEqual(status, 200)
        self.assertEqual(data["address"]["label"], "Grote Markt 9, 3000 Leuven")
        # in the Heverleebos no address is near: nothing to fill in
        status, data = self.get_json("/kcc/address/reverse", lat="50.842", lon="4.690")
        self.assertEqual((status, data), (200, {"address": None}))

    def test_bad_input_is_refused_in_dutch(self):
        cases = [
            ("/kcc/address/search", {"q": "ab"}, "minstens 3 tekens"),
            ("/kcc/address/search", {"q": "x" * 101}, "hoogstens 100 tekens"),
            ("/kcc/address/search", {"q": "Grote\nMarkt"}, "hoogstens 100 tekens"),
            ("/kcc/address/detail", {"id": "12; DROP"}, "geen adres"),
            ("/kcc/address/reverse", {"lat": "50.88"}, "breedtegraad"),
            ("/kcc/address/reverse", {"lat": "nan", "lon": "4.7"}, "breedtegraad"),
            ("/kcc/address/reverse", {"lat": "50.85", "lon": "4.35"}, "buiten de stad"),
        ]
        before = len(self.fake.requests)
        for path, params, words in cases:
            with self.subTest(path=path, params=params):
                status, data = self.get_json(path, **params)
                self.assertEqual(status, 400)
                self.assertEqual(data["error"]["code"], "bad_input")
                self.assertIn(words, data["error"]["message"])
        self.assertEqual(len(self.fake.requests), before, "nothing asked remotely")

    def test_unknown_address_is_a_404(self):
        status, data = self.get_json("/kcc/address/detail", id="999999")
        self.assertEqual(status, 404)
        self.assertIn("niet gekend", data["error"]["message"])

    def test_failing_register_is_a_503_in_dutch(self):
        self.fake.fail_next = 1
        status, data = self.get_json("/kcc/address/search", q="Grote Markt")
        self.assertEqual(status, 503)
        self.assertIn("adressenregister", data["error"]["message"])
        # a register nobody answers at (a closed port) is the same
        self.set_params({lookup.GEOLOCATION_URL_PARAM: "http://127.0.0.1:9/geo"})
        status, data = self.get_json(
            "/kcc/address/reverse", lat="50.8789", lon="4.7011"
        )
        self.assertEqual(status, 503)
        # so is one that takes too long
        self.set_params({lookup.TIMEOUT_PARAM: "0.5"})
        self.fake.delay = 1.0
        try:
            status, _data = self.get_json("/kcc/address/search", q="Grote Markt")
        finally:
            self.fake.delay = 0.0
        self.assertEqual(status, 503)

    def test_lookups_per_connection_are_limited(self):
        self.set_params({lookup.RATE_LIMIT_PARAM: "2"})
        for _i in range(2):
            status, _data = self.get_json("/kcc/address/search", q="Grote Markt")
            self.assertEqual(status, 200)
        asked = len(self.fake.requests)
        status, data = self.get_json("/kcc/address/search", q="Grote Markt")
        self.assertEqual(status, 429)
        self.assertIn("Te veel", data["error"]["message"])
        self.assertEqual(len(self.fake.requests), asked, "the register is spared")

    def test_form_works_without_script_and_loads_no_third_party_tiles(self):
        html = self.url_open("/kcc/report").text
        # the map block is hidden until its script shows it: the address
        # fields alone do the work without JavaScript
        self.assertIn('class="o_kcc_map_picker d-none', html)
        self.assertIn('name="street"', html)
        self.assertIn('name="latitude"', html)
        self.assertIn('data-tile-url=""', html)
        self.assertNotIn("geo.api.vlaanderen.be", html)
        self.assertNotIn("tile.openstreetmap", html)


@tagged("post_install", "-at_install")
class TestPublicMap(MapCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["kcc.case.category"]
        cls.lamps = Category.create({"name": "Straatverlichting"})
        cls.secret = Category.create(
            {"name": "Vertrouwelijke test", "confidential": True}
        )
        Case = cls.env["kcc.case"]

        def report(subject, lat, lon, **values):
            vals = {
                "subject": subject,
                "description": f"Beschrijving van {subject}",
                "contact_name": f"Melder {subject}",
                "contact_email": "melder.map@example.com",
                "street": "Naamsestraat 40 bus 3",
                "case_type": "report",
                "category_id": cls.lamps.id,
                "latitude": lat,
                "longitude": lon,
            }
            vals.update(values)
            return Case._intake(vals, "report_form")

        cls.shown = report("Lamp stuk", 50.8791234, 4.7012345)
        cls.confidential = report(
            "Geheime melding", 50.8801, 4.7021, category_id=cls.secret.id
        )
        cls.sensitive = report("Gevoelige melding", 50.8802, 4.7022)
        cls.sensitive.sensitive = True
        cls.answered = report("Al beantwoord", 50.8803, 4.7023)
        cls.answered.action_start()
        cls.answered.resolution = "<p>Hersteld.</p>"
        cls.answered.action_answer()
        cls.question = report("Een vraag", 50.8804, 4.7024, case_type="question")
        cls.far_away = report("In Brussel", 50.8467, 4.3525)

    def test_off_by_default_the_map_does_not_exist(self):
        self.assertFalse(
            self.env["ir.config_parameter"].sudo().get_param(lookup.PUBLIC_MAP_PARAM)
        )
        self.assertEqual(self.url_open("/kcc/meldingen/kaart").status_code, 404)
        self.assertEqual(self.url_open("/kcc/meldingen/kaart.json").status_code, 404)

    def test_open_reports_without_personal_data(self):
        self.set_params({lookup.PUBLIC_MAP_PARAM: "True"})
        page = self.url_open("/kcc/meldingen/kaart")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_kcc_public_map", page.text)
        response = self.url_open("/kcc/meldingen/kaart.json")
        self.assertEqual(response.status_code, 200)
        reports = response.json()["reports"]
        mine = [r for r in reports if r["category"] == "Straatverlichting"]
        self.assertEqual(
            mine,
            [
                {
                    "category": "Straatverlichting",
                    "status": "Ontvangen",
                    "date": mine[0]["date"],
                    "lat": 50.879,
                    "lon": 4.701,
                }
            ],
            "only the open, public report inside the city, rounded",
        )
        body = response.text
        for case in (
            self.shown,
            self.confidential,
            self.sensitive,
            self.answered,
            self.question,
        ):
            for personal in (
                case.name,
                case.subject,
                "Beschrijving",
                "Melder",
                "melder.map@example.com",
                "Naamsestraat",
            ):
                self.assertNotIn(personal, body)
        self.assertNotIn("Vertrouwelijke test", body)
        self.assertEqual(
            set().union(*(r.keys() for r in reports)),
            {"category", "status", "date", "lat", "lon"},
        )


@tagged("post_install", "-at_install")
class TestCaseFormMap(MapCase):
    def test_only_the_handlers_move_the_pin(self):
        handler = new_test_user(
            self.env,
            "map.handler",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
        )
        other = new_test_user(
            self.env, "map.other", groups="base.group_user,leuven_kcc.group_kcc_handler"
        )
        agent = new_test_user(
            self.env, "map.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        supervisor = new_test_user(
            self.env,
            "map.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        group = self.env["kcc.handler.group"].create(
            {"name": "Kaart", "code": "T-MAP", "member_ids": handler.ids}
        )
        case = self.env["kcc.case"]._intake(
            {
                "subject": "Put in de weg",
                "contact_email": "put@example.com",
                "case_type": "report",
                "latitude": 50.8792,
                "longitude": 4.7009,
            },
            "report_form",
        )
        case.handler_group_id = group
        self.assertTrue(case.with_user(handler).can_move_pin)
        self.assertTrue(case.with_user(supervisor).can_move_pin)
        self.assertFalse(case.with_user(agent).can_move_pin)
        self.assertFalse(case.with_user(other).can_move_pin)
        arch = (
            self.env["kcc.case"]
            .with_user(handler)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('widget="kcc_map"', arch)
        # the map shows the pin: the widget's settings come from the server
        config = self.env["kcc.address.lookup"].with_user(agent).get_map_config()
        self.assertEqual(config["tile_url"], "")
        self.assertEqual(len(config["bounds"]), 4)

    def test_tiles_on_this_machine_are_kept_in_tests(self):
        url = "http://127.0.0.1:8069/tiles/{z}/{x}/{y}.png"
        self.set_params({lookup.TILE_URL_PARAM: url})
        self.assertEqual(self.env["kcc.address.lookup"]._map_config()["tile_url"], url)
        self.set_params(
            {lookup.TILE_URL_PARAM: "https://tile.openstreetmap.org/{z}/{x}/{y}.png"}
        )
        self.assertEqual(self.env["kcc.address.lookup"]._map_config()["tile_url"], "")


@tagged("post_install", "-at_install")
class TestReportMapTour(MapCase):
    def test_anonymous_report_with_the_map_pin_is_acknowledged_in_dutch(self):
        self.start_tour("/kcc/report", "leuven_kcc_report_map_tour")
        case = self.env["kcc.case"].search([("subject", "=", "Losliggende stoeptegel")])
        self.assertEqual(len(case), 1)
        self.assertFalse(case.partner_id)
        # the pin came from the address search, the address fields with it
        self.assertEqual(
            (case.street, case.postcode, case.city),
            ("Diestsesteenweg 120", "3010", "Leuven"),
        )
        self.assertLess(distance_m(case.latitude, case.longitude, 50.89208, 4.72386), 1)
        self.env.cr.flush()  # the acknowledgement is composed before the commit
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "kcc.case"), ("res_id", "=", case.id)])
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(
            "melder.kaart@example.com", mail.email_to or mail.recipient_ids.email
        )
        self.assertIn("we hebben uw bericht ontvangen", mail.subject)
        self.assertIn("Uw referentie is", mail.body_html)
        self.assertNotIn("Dear", mail.body_html)
        self.assertNotIn("Kind regards", mail.body_html)
        # from the city, not from OdooBot
        self.assertNotEqual(mail.author_id, self.env.ref("base.partner_root"))
        self.assertEqual(mail.author_id, self.env.company.partner_id)
        self.assertEqual(mail.email_from, case._customer_email_from())
        self.assertIn(case.name, mail.subject + mail.body_html)

    def test_handler_moves_the_pin_on_the_case_form(self):
        handler = new_test_user(
            self.env,
            "map.tour.handler",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
        )
        group = self.env["kcc.handler.group"].create(
            {"name": "Kaart", "code": "T-MAPT", "member_ids": handler.ids}
        )
        case = self.env["kcc.case"]._intake(
            {
                "subject": "Put in de weg",
                "contact_email": "put@example.com",
                "case_type": "report",
                "latitude": 50.8792,
                "longitude": 4.7009,
            },
            "report_form",
        )
        case.handler_group_id = group
        self.start_tour(
            f"/odoo/action-leuven_kcc.kcc_case_action/{case.id}",
            "leuven_kcc_case_map_tour",
            login="map.tour.handler",
        )
        case.invalidate_recordset()
        self.assertNotEqual((case.latitude, case.longitude), (50.8792, 4.7009))
        self.assertAlmostEqual(case.latitude, 50.8792, delta=0.001)
        self.assertGreater(case.longitude, 4.7009)

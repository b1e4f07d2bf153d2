import base64
import re
from datetime import timedelta

from freezegun import freeze_time
from lxml import html

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import file_open

# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
FONT_SERVICES = ("fonts.googleapis.com", "fonts.gstatic.com", "fonts.odoocdn.com")
ODOO_FILLER = (
    "YourCompany",
    "yourcompany",
    "+1 555-555-5556",
    "We are a team of passionate people",
    "Useful Links",
    "My Website",
    "Company name",
    "gratis website",
)


@tagged("post_install", "-at_install")
class TestPublicWebsite(HttpCase):
    """The city's public website as a visitor sees it, anonymous or logged in."""

    browser_size = "1280x900"  # a laptop's screen

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["kcc.case"]
        cls.Submission = cls.env["kcc.web.submission"]
        cls.env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", "100")
        cls.citizen = new_test_user(
            cls.env, "site.citizen", groups="base.group_portal", name="Jef Peeters"
        )
        cls.citizen.partner_id.email = "jef@example.com"
        cls.kcc_admin = new_test_user(
            cls.env,
            "site.admin",
            groups="base.group_user,leuven_kcc.group_kcc_admin",
        )
        Category = cls.env["kcc.case.category"]
        cls.pothole = Category.create(
            {"name": "Putten in het fietspad", "website_form": "report"}
        )
        cls.grants = Category.create(
            {"name": "Premies voor isolatie", "website_form": "contact"}
        )
        cls.litter = Category.create({"name": "Zwerfvuil", "website_form": "both"})
        cls.internal = Category.create(
            {"name": "Interne opvolging", "website_form": "none"}
        )
        cls.secret = Category.create(
            {"name": "Integriteitsmelding", "confidential": True}
        )

    # ------------------------------------------------------------ helpers

    def page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def submit(self, kind="contact", token="site-1", files=None, **values):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        data = {
            "form_kind": kind,
            "submission_token": token,
            "subject": "Wanneer komt de vuilniswagen?",
            "contact_email": "bezoeker@example.com",
            "csrf_token": http.Request.csrf_token(self),
        }
        if kind == "report":
            data.update(street="Naamsestraat 40", postcode="3000")
        data.update(values)
        return self.url_open("/kcc/submit", data=data, files=files)

    def options(self, response):
        tree = html.fromstring(response.text)
        return {
            option.text_content().strip()
            for option in tree.xpath("//select[@name='category_id']/option")
        }

    def field(self, response, name):
        tree = html.fromstring(response.text)
        return tree.xpath(f"//form[hasclass('o_kcc_form')]//*[@name='{name}']")[0]

    # ------------------------------------------------------------ categories

    def test_each_form_lists_its_own_categories(self):
        for login in (None, "site.citizen"):
            self.authenticate(login, login)
            report = self.options(self.page("/kcc/report"))
            contact = self.options(self.page("/kcc/contact"))
            self.assertIn("Putten in het fietspad", report, login)
            self.assertIn("Zwerfvuil", report, login)
            self.assertNotIn("Premies voor isolatie", report, login)
            self.assertIn("Premies voor isolatie", contact, login)
            self.assertIn("Zwerfvuil", contact, login)
            self.assertNotIn("Putten in het fietspad", contact, login)
            for hidden in ("Interne opvolging", "Integriteitsmelding"):
                self.assertNotIn(hidden, report | contact, login)

    def test_demo_categories_sit_on_their_form(self):
        report = self.options(self.page("/kcc/report"))
        contact = self.options(self.page("/kcc/contact"))
        for xmlid in ("demo_category_subsidies", "demo_category_civil"):
            category = self.env.ref(f"leuven_kcc.{xmlid}", raise_if_not_found=False)
            if category:
                name = category.with_context(lang="nl_BE").name
                self.assertNotIn(name, report)
                self.assertIn(name, contact)
        lighting = self.env.ref(
            "leuven_kcc.demo_category_lighting", raise_if_not_found=False
        )
        if lighting:
            self.assertIn(lighting.with_context(lang="nl_BE").name, report)

    def test_a_confidential_category_is_never_offered(self):
        self.assertEqual(self.secret.website_form, "none")
        secret = self.secret.with_user(self.kcc_admin)
        with self.assertRaises(ValidationError):
            secret.website_form = "contact"
        litter = self.litter.with_user(self.kcc_admin)
        litter.confidential = True
        self.assertEqual(litter.website_form, "none", "made confidential: withdrawn")
        self.assertNotIn("Zwerfvuil", self.options(self.page("/kcc/report")))

    def test_a_category_not_offered_is_refused_when_posted(self):
        for kind, category in (
            ("contact", self.secret),
            ("contact", self.internal),
            ("contact", self.pothole),
            ("report", self.grants),
        ):
            token = f"site-cat-{kind}-{category.id}"
            response = self.submit(
                kind,
                token,
                category_id=str(category.id),
                description="Wat ik typte",
            )
            self.assertEqual(response.status_code, 400, category.name)
            self.assertIn("kies een van de thema", response.text)
            self.assertFalse(
                self.Case.search([("idempotency_key", "=", f"web:{token}")])
            )
            select = self.field(response, "category_id")
            self.assertIn("is-invalid", select.get("class"))
            self.assertNotIn(category.name, self.options(response))
            # what was typed comes back
            self.assertEqual(self.field(response, "subject").get("value"),
                             "Wanneer komt de vuilniswagen?")  # fmt: skip
            self.assertIn("Wat ik typte", self.field(response, "description").text)
        response = self.submit(
            "contact", "site-cat-ok", category_id=str(self.litter.id)
        )
        self.assertIn("/kcc/thanks/", response.url)
        case = self.Case.search([("idempotency_key", "=", "web:site-cat-ok")])
        self.assertEqual(case.category_id, self.litter)

    # ------------------------------------------------------------ labels

    def test_required_fields_are_marked(self):
        for url in ("/kcc/contact", "/kcc/report"):
            response = self.page(url)
            tree = html.fromstring(response.text)
            self.assertTrue(tree.xpath("//*[hasclass('o_kcc_required_legend')]"), url)
            self.assertIn("verplicht", response.text)
            subject = self.field(response, "subject")
            self.assertEqual(subject.get("required"), "required")
            label = tree.xpath("//label[@for='subject']")[0].text_content()
            self.assertIn("*", label, url)

    def test_contact_form_has_one_subject_label(self):
        tree = html.fromstring(self.page("/kcc/contact").text)
        labels = [
            " ".join(label.text_content().split()) for label in tree.xpath("//label")
        ]
        self.assertEqual(
            [label for label in labels if label.startswith("Onderwerp")],
            ["Onderwerp *"],
        )
        self.assertIn("Thema (optioneel)", labels)

    def test_failing_field_is_named_and_highlighted(self):
        for kind, label in (("report", "Korte beschrijving"), ("contact", "Onderwerp")):
            response = self.submit(
                kind, f"site-req-{kind}", subject="", description="Heel de straat"
            )
            self.assertEqual(response.status_code, 400)
            tree = html.fromstring(response.text)
            error = tree.xpath("//*[hasclass('o_kcc_form_error')]")[0].text_content()
            self.assertIn(f"Vul “{label}” in.", error)
            subject = self.field(response, "subject")
            self.assertIn("is-invalid", subject.get("class"))
            self.assertEqual(subject.get("aria-invalid"), "true")
            message = tree.xpath(f"//*[@id='{subject.get('aria-describedby')}']")
            self.assertIn(label, message[0].text_content())
            self.assertEqual(
                self.field(response, "contact_email").get("value"),
                "bezoeker@example.com",
            )
            self.assertIn("Heel de straat", self.field(response, "description").text)
        # an anonymous report without any way to answer: both fields marked
        response = self.submit("report", "site-req-mail", contact_email="")
        self.assertEqual(response.status_code, 400)
        for name in ("contact_email", "contact_phone"):
            self.assertIn("is-invalid", self.field(response, name).get("class"))
        self.assertIn("Uw e-mailadres", response.text)
        self.assertEqual(self.field(response, "street").get("value"), "Naamsestraat 40")

    # ------------------------------------------------------------ thank you

    def test_thank_you_page_says_how_to_follow_the_case(self):
        response = self.submit(token="site-thanks-mail")
        case = self.Case.search([("idempotency_key", "=", "web:site-thanks-mail")])
        self.assertIn(case.name, response.text)
        self.assertIn("We stuurden een bevestiging naar", response.text)
        self.assertIn("bezoeker@example.com", response.text)
        self.assertIn("Met de link in de bevestigingsmail", response.text)
        self.assertIn("016 27 20 00", response.text)
        self.assertIn(case.get_portal_url(), response.text)

        response = self.submit(
            token="site-thanks-phone", contact_email="", contact_phone="0470 12 34 56"
        )
        self.assertIn("Er werd geen bevestiging gemaild", response.text)
        self.assertNotIn("We stuurden een bevestiging", response.text)

        self.authenticate("site.citizen", "site.citizen")
        response = self.submit(token="site-thanks-citizen", contact_email="")
        self.assertIn("jef@example.com", response.text)
        tree = html.fromstring(response.text)
        self.assertTrue(
            tree.xpath("//ul[hasclass('o_kcc_follow')]//a[@href='/my/cases']")
        )

    # ------------------------------------------------------------ duplicates

    def test_duplicate_suggestion_keeps_the_photo_and_the_submit_button(self):
        known = self.Case._intake(
            {
                "subject": "Put in het fietspad",
                "case_type": "report",
                "category_id": self.pothole.id,
                "street": "Naamsestraat 40",
                "postcode": "3000",
                "latitude": 50.8770,
                "longitude": 4.7005,
                "contact_email": "eerste@example.com",
            },
            "report_form",
        )
        values = {
            "category_id": str(self.pothole.id),
            "latitude": "50.87702",
            "longitude": "4.70052",
            "subject": "Diepe put",
        }
        response = self.submit(
            "report",
            "site-dup",
            files=[("attachments", ("put.png", PNG, "image/png"))],
            **values,
        )
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn(known.name, text)
        # the suggestion comes first, the form stays whole and can be sent
        self.assertLess(text.find("o_kcc_duplicates"), text.find('name="subject"'))
        tree = html.fromstring(text)
        send = tree.xpath("//button[hasclass('o_kcc_send_new')]")
        self.assertEqual(send[0].get("name"), "confirm_new")
        self.assertIn("Toch een nieuwe melding indienen", send[0].text_content())
        self.assertIn("Foto bewaard", text)
        self.assertIn("put.png", text)
        self.assertEqual(self.field(response, "subject").get("value"), "Diepe put")

        response = self.submit("report", "site-dup", confirm_new="1", **values)
        self.assertIn("/kcc/thanks/", response.url)
        case = self.Case.search([("idempotency_key", "=", "web:site-dup")])
        photos = self.env["ir.attachment"].search(
            [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(photos.mapped("name"), ["put.png"])
        self.assertEqual(photos.raw, PNG)
        kept = self.env["ir.attachment"].search(
            [("res_model", "=", "kcc.web.submission"), ("name", "=", "put.png")]
        )
        self.assertFalse(kept, "the copy kept with the form is gone")

    def test_photo_of_an_abandoned_form_is_deleted_after_a_day(self):
        values = {"category_id": str(self.pothole.id), "subject": ""}
        self.submit(
            "report",
            "site-gone",
            files=[("attachments", ("weg.png", PNG, "image/png"))],
            **values,
        )
        Attachment = self.env["ir.attachment"]
        kept = Attachment.search(
            [("res_model", "=", "kcc.web.submission"), ("name", "=", "weg.png")]
        )
        self.assertEqual(len(kept), 1, "kept while the visitor may send it again")
        self.env["kcc.case"]._cron_anonymise_expired()
        self.assertTrue(kept.exists(), "a recent form keeps its photo")
        with freeze_time(fields.Datetime.now() + timedelta(hours=25)):
            self.env["kcc.case"]._cron_anonymise_expired()
        self.assertFalse(kept.exists())

    def test_kept_photo_can_be_removed(self):
        self.Case._intake(
            {
                "subject": "Zwerfvuil aan de Dijle",
                "case_type": "report",
                "category_id": self.litter.id,
                "street": "Naamsestraat 40",
                "latitude": 50.8770,
                "longitude": 4.7005,
                "contact_email": "eerste@example.com",
            },
            "report_form",
        )
        values = {
            "category_id": str(self.litter.id),
            "latitude": "50.87701",
            "longitude": "4.70051",
        }
        response = self.submit(
            "report",
            "site-drop",
            files=[("attachments", ("zak.png", PNG, "image/png"))],
            **values,
        )
        match = re.search(r'name="(drop_photo_\d+)"', response.text)
        self.assertTrue(match)
        response = self.submit(
            "report", "site-drop", confirm_new="1", **{match.group(1): "1"}, **values
        )
        case = self.Case.search([("idempotency_key", "=", "web:site-drop")])
        self.assertTrue(case)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)]
            )
        )

    def test_photo_of_another_form_cannot_be_taken(self):
        other = self.Submission.sudo().search([], limit=1) or self.Submission.create(
            {"token": "other", "form_kind": "report"}
        )
        photo = self.env["ir.attachment"].create(
            {
                "name": "van-iemand-anders.png",
                "raw": PNG,
                "res_model": "kcc.web.submission",
                "res_id": other.id,
            }
        )
        response = self.submit(
            "report", "site-steal", confirm_new="1", **{f"drop_photo_{photo.id}": ""}
        )
        case = self.Case.search([("idempotency_key", "=", "web:site-steal")])
        self.assertTrue(case, response.text[:500])
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)]
            )
        )
        self.assertTrue(photo.exists())

    # ------------------------------------------------------------ home page

    def test_home_page_shows_the_ways_to_reach_the_city(self):
        for login in (None, "site.citizen"):
            self.authenticate(login, login)
            response = self.page("/")
            tree = html.fromstring(response.text)
            tiles = tree.xpath("//*[hasclass('o_kcc_home_tiles')]//a/@href")
            for url in ("/kcc/contact", "/kcc/report", "/my/cases"):
                self.assertIn(url, tiles, login)
            modules = self.env["ir.module.module"]
            if modules._get("leuven_assistant").state == "installed":
                self.assertIn("/assistent", tiles)
            if modules._get("leuven_catalog").state == "installed":
                self.assertIn("/producten", tiles)
            contact = tree.xpath("//*[hasclass('o_kcc_home_contact')]")[0]
            text = contact.text_content()
            for data in (
                "016 27 20 00",
                "info@leuven.be",
                "Professor Van Overstraetenplein 1",
                "3000 Leuven",
                "Openingsuren",
            ):
                self.assertIn(data, text, login)
            self.assertIn("Welkom bij Stad Leuven", response.text)
            for filler in ODOO_FILLER:
                self.assertNotIn(filler, response.text, login)

    def test_menu_entries_are_labelled(self):
        tree = html.fromstring(self.page("/").text)
        menu = tree.xpath("//ul[@id='top_menu']")[0]
        entries = {
            link.get("href"): link.text_content().strip()
            for link in menu.xpath(".//a[hasclass('nav-link')]")
        }
        self.assertEqual(entries.get("/kcc/report"), "Meld een probleem")
        self.assertEqual(entries.get("/kcc/contact"), "Stel een vraag")
        self.assertNotIn("/contactus", entries, "Odoo's example contact page")
        self.assertTrue(all(entries.values()), entries)
        header = tree.xpath("//header")[0]
        self.assertFalse(header.xpath(".//a[@href='/contactus']"))
        self.assertNotIn("555", header.text_content())
        # the city's forms come first: the last entries are the ones that move
        # into the "+" of a narrow screen
        self.assertEqual(list(entries)[1:3], ["/kcc/report", "/kcc/contact"])
        # the city's logo, not Odoo's "YourLogo"
        with file_open("website/static/src/img/website_logo.svg", "rb") as default:
            odoo_logo = base64.b64encode(default.read())
        logo = self.env.ref("website.default_website").logo
        self.assertTrue(logo)
        self.assertNotEqual(logo, odoo_logo)

    def test_menu_shows_every_entry_in_the_browser(self):
        self.start_tour("/", "leuven_kcc_home_menu_tour")

    # ------------------------------------------------------------ fonts

    def test_fonts_are_served_by_the_site(self):
        bundles = set()
        for url in ("/", "/kcc/report", "/kcc/contact"):
            text = self.page(url).text
            for service in FONT_SERVICES:
                self.assertNotIn(service, text, url)
            bundles.update(
                re.findall(
                    r'href="(/web/assets/[^"]*web\.assets_frontend[^"]*\.css)"', text
                )
            )
        self.assertTrue(bundles)
        for bundle in bundles:
            css = self.page(bundle).text
            for service in FONT_SERVICES:
                self.assertNotIn(service, css, bundle)
            self.assertIn(
                "/web/static/fonts/google/Open_Sans/Open_Sans-Regular.ttf", css
            )
        font = self.url_open("/web/static/fonts/google/Open_Sans/Open_Sans-Regular.ttf")
        self.assertEqual(font.status_code, 200)

"""Everything the suite shows or sends to a customer is in Dutch.

Data-driven: every mail template of the suite's addons and every public GET
route of their controllers must be listed below (as a customer text to check,
or as internal / no page, with the reason), so a new one cannot escape. The
customer texts are rendered for an anonymous customer and a logged-in one and
their visible text is searched for English words; every text of the suite
must have its Dutch translation.
"""

import re
from collections import Counter

import polib
from lxml import html

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import file_open
from odoo.tools.translate import PoFileReader, TranslationModuleReader

SUITE = (
    "leuven_kcc",
    "leuven_catalog",
    "leuven_assistant",
    "leuven_burgerprofiel",
    "leuven_guidance",
    "leuven_energy",
    "leuven_helpt",
)

# English words that no Dutch text of the suite holds, matched as whole words
# (case-sensitive) in the visible text of a page or an e-mail.
ENGLISH = (
    "Dear",
    "Hello",
    "Regards",
    "Kind regards",
    "Thank you",
    "Thanks",
    "Please",
    "Your",
    "your",
    "You",
    "you",
    "Subject",
    "Submit",
    "Send",
    "Message",
    "Messages",
    "Description",
    "Location",
    "Location added",
    "now",
    "empty",
    "Method Not Allowed",
    "Not Found",
    "Assistant",
    "Report form",
    "Contact form",
    "hours/week",
    "the",
    "The",
    "and",
    "with",
    "received",
    "Reference",
    "Sign in",
    "Log in",
    "Search",
    "Cancel",
    "Follow",
    "Case",
    "Cases",
    "Answer",
    "Previous",
    "Next",
    "Useful Links",
    "About us",
    "Powered by",
)
ENGLISH_RE = re.compile(
    r"(?<![\w/-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w/-])"
)

# mail.template records of the suite: what a customer receives (rendered and
# checked here) and what only the staff receive (listed with the reason).
CUSTOMER_TEMPLATES = (
    "leuven_kcc.kcc_case_mail_template_ack",
    "leuven_kcc.kcc_case_reporter_mail_template_progress",
    # rendered for the trajectories of the demo data
    "leuven_energy.mail_template_energy_proposals",
    # rendered for a proposal to the customer as a volunteer
    "leuven_helpt.mail_template_helpt_proposal",
)
INTERNAL_TEMPLATES = {}
# the QWeb layouts around the e-mails to customers
CUSTOMER_LAYOUTS = ("leuven_kcc.kcc_mail_layout_customer",)

# Public GET routes of the suite's controllers (and the customer's pages of
# Odoo's portal). PAGES: (url, as anonymous, as the portal customer), the url
# formatted with the test's records; False: not a page for that visitor (a
# login, or only for the other one). NOT_PAGES: no page a citizen reads, with
# the reason. A route of the suite in neither list fails the test.
PAGES = {
    "/": ("/", True, True),
    "/my": ("/my", False, True),
    "/my/home": ("/my/home", False, True),
    "/my/cases": ("/my/cases", False, True),
    # Odoo's own pages of the customer's portal
    "/my/account": ("/my/account", False, True),
    "/my/security": ("/my/security", False, True),
    "/my/cases/page/<int:page>": ("/my/cases/page/1", False, True),
    "/my/cases/<int:case_id>": ("/my/cases/{case.id}{token}", True, True),
    "/kcc/contact": ("/kcc/contact", True, True),
    "/kcc/report": ("/kcc/report", True, True),
    "/kcc/thanks/<int:case_id>": ("/kcc/thanks/{case.id}{token}", True, True),
    "/kcc/meldingen/kaart": ("/kcc/meldingen/kaart", True, True),
    "/assistent": ("/assistent", True, True),
    "/assistant/spec": ("/assistant/spec", True, True),
    "/assistent/<string:code>": ("/assistent/{topic_code}", True, True),
    "/producten": ("/producten", True, True),
    '/producten/<model("catalog.product"):product>': (
        "/producten/{product_slug}",
        True,
        True,
    ),
    "/web/login": ("/web/login", True, False),
    "/my/trajectories": ("/my/trajectories", False, True),
    "/my/trajectories/page/<int:page>": ("/my/trajectories/page/1", False, True),
    "/my/trajectories/<int:trajectory_id>": (
        "/my/trajectories/{trajectory_id}",
        False,
        True,
    ),
    "/my/trajectories/<int:trajectory_id>/access": (
        "/my/trajectories/{trajectory_id}/access",
        False,
        True,
    ),
    "/my/dwellings": ("/my/dwellings", False, True),
    "/my/dwellings/<int:dwelling_id>": ("/my/dwellings/{dwelling_id}", False, True),
    "/my/helpt": ("/my/helpt", False, True),
    "/my/helpt/<int:match_id>": ("/my/helpt/{match_id}{match_token}", True, True),
}
NOT_PAGES = {
    "/assistant/spec/<string:name>": "JSON specification files",
    "/assistant/spec/topic-package.schema.json": "JSON schema",
    "/assistant/component/leuven-assistant.js": "the component's script",
    "/assistant/component/demo.html": "the component's demo for web developers",
    "/leuven_assistant/topic/<int:topic_id>/export": "a topic file for authors",
    "/kcc/privacy/export/<int:partner_id>": "a JSON export for the staff",
    "/kcc/meldingen/kaart.json": "GeoJSON of the public map",
    "/kcc/address/search": "JSON address look-up of the report form",
    "/kcc/address/reverse": "JSON address look-up of the report form",
    "/kcc/address/detail": "JSON address look-up of the report form",
    "/auth/burgerprofiel/login": "a redirect to the identity provider",
    "/auth/burgerprofiel/callback": "the identity provider's return",
    "/auth/burgerprofiel/logout": "a redirect after logging out",
}
# JSON APIs (for systems, with problem details), by path prefix
API_PREFIXES = ("/kcc/api/", "/assistant/api/", "/burgerprofiel/api/", "/v1/melding/")
# settings that switch the optional pages on (each is checked)
PAGE_SETTINGS = {"leuven_kcc.public_map": "True"}


def visible_text(markup):
    """The text a reader sees: no scripts, styles, templates or markup."""
    if not markup or not markup.strip():
        return ""
    root = html.fromstring(markup)
    hidden = "//script|//style|//template|//head|//noscript|//svg"
    # the names of the world's countries and states are proper names
    places = "//select[@name='country_id' or @name='state_id']"
    for node in root.xpath(f"{hidden}|{places}"):
        node.drop_tree()
    texts = [root.text_content()]
    texts += root.xpath("//input/@placeholder|//textarea/@placeholder")
    return " ".join(" ".join(texts).split())


def english_in(text):
    """The English words of ``text``, each with a bit of its context."""
    return [
        f"{match.group(1)!r} in '{text[max(start - 40, 0) : start + 50]}'"
        for match in ENGLISH_RE.finditer(text)
        for start in [match.start()]
    ]


@tagged("post_install", "-at_install")
class TestCustomerDutch(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.customer = new_test_user(
            cls.env,
            "dutch.customer",
            groups="base.group_portal",
            name="Lies Wouters",
            email="lies.wouters@example.com",
            lang="nl_BE",
        )
        Case = cls.env["kcc.case"]
        cls.case = Case._intake(
            {
                "subject": "Kapotte stoeptegel in de Naamsestraat",
                "partner_id": cls.customer.partner_id.id,
            },
            "web_form",
        )
        # taken in with English in the context: the customer has no language
        cls.anonymous_case = Case.with_context(lang="en_US")._intake(
            {
                "subject": "Zwerfvuil aan het station",
                "contact_name": "Jan Peeters",
                "contact_email": "jan.peeters@example.com",
            },
            "report_form",
        )
        cls.anonymous_case._portal_ensure_token()
        for key, value in PAGE_SETTINGS.items():
            cls.env["ir.config_parameter"].set_param(key, value)
        cls.env.cr.flush()  # the acknowledgements, composed before the commit

    # ------------------------------------------------------------ e-mails

    def suite_records(self, model):
        data = self.env["ir.model.data"].search(
            [("model", "=", model), ("module", "in", SUITE)]
        )
        return {f"{d.module}.{d.name}" for d in data}

    def test_every_template_of_the_suite_is_listed(self):
        """A new template is either a customer's (checked below) or an
        internal one, with its reason: none escapes the check."""
        listed = set(CUSTOMER_TEMPLATES) | set(INTERNAL_TEMPLATES)
        self.assertFalse(self.suite_records("mail.template") - listed)

    def assert_dutch(self, text, what):
        self.assertTrue(text.strip(), f"{what} is empty")
        self.assertEqual(english_in(text), [], f"English in {what}")

    def test_customer_templates_render_in_dutch_from_the_city(self):
        """Each customer template, for an anonymous customer, one whose
        contact has no language and a logged-in one: Dutch, from the city's
        address, never a user's."""
        company = self.env.company
        no_lang = self.env["res.partner"].create(
            {"name": "Zonder Taal", "email": "zonder.taal@example.com", "lang": False}
        )
        no_lang_case = self.env["kcc.case"]._intake(
            {"subject": "Vraag zonder taal", "partner_id": no_lang.id}, "phone"
        )
        Reporter = self.env["kcc.case.reporter"]
        reporters = Reporter._add_people(
            self.case,
            [{"contact_name": "Mia", "contact_email": "mia@example.com"}],
            "report_form",
        ) | Reporter._add_people(self.case, [{"partner_id": no_lang.id}], "phone")
        records = {
            "kcc.case": self.case | self.anonymous_case | no_lang_case,
            "kcc.case.reporter": reporters,
        }
        for xmlid in CUSTOMER_TEMPLATES:
            template = self.env.ref(xmlid, raise_if_not_found=False)
            module = xmlid.split(".")[0]
            if not template and not self.env["ir.module.module"].search_count(
                [("name", "=", module), ("state", "=", "installed")]
            ):
                continue  # its addon is not installed in this database
            if template.model == "helpt.match":
                records[template.model] = self.helpt_match()
            if template.model not in records:
                records[template.model] = self.env[template.model].search([], limit=3)
                self.assertTrue(records[template.model], f"{xmlid}: no record")
            for record in records[template.model]:
                what = f"{xmlid} for {record.display_name}"
                lang = template._render_lang(record.ids)[record.id]
                self.assertEqual(lang, "nl_BE", what)
                tmpl = template.with_context(lang=lang)
                for field in ("subject", "body_html"):
                    rendered = tmpl._render_field(field, record.ids)[record.id]
                    self.assert_dutch(visible_text(str(rendered)), f"{what}: {field}")
                sender = tmpl._render_field("email_from", record.ids)[record.id]
                self.assertIn(company.email, sender, what)
                self.assertNotIn("odoobot", sender.lower(), what)

    def ack(self, case):
        mail = self.env["mail.mail"].search(
            [("model", "=", "kcc.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(len(mail), 1, case.name)
        return mail, mail.mail_message_id

    def test_acknowledgement_of_an_anonymous_reporter(self):
        """The acknowledgement an anonymous reporter gets: Dutch, posted and
        sent by the city (its company), not by OdooBot or a user, also when
        the case was taken in with another language in the context."""
        mail, message = self.ack(self.anonymous_case)
        self.assertEqual(message.author_id, self.env.company.partner_id)
        self.assertEqual(message.email_from, self.env.company.email_formatted)
        self.assert_dutch(message.subject, "the acknowledgement's subject")
        self.assert_dutch(visible_text(message.body), "the acknowledgement")
        self.assert_dutch(visible_text(mail.body_html), "the acknowledgement e-mail")
        self.assertIn("Beste Jan Peeters", visible_text(mail.body_html))

    def test_acknowledgement_by_the_scheduled_job(self):
        """Composed by the scheduled job (OdooBot, no language in its
        context): still Dutch, from the KCC's configured address, authored by
        the city."""
        self.env["ir.config_parameter"].set_param(
            "leuven_kcc.customer_email_from", "kcc@leuven.example"
        )
        case = self.env["kcc.case"]._intake(
            {"subject": "Lek in de waterleiding", "contact_email": "an@example.com"},
            "report_form",
        )
        self.env.cr.flush()
        self.ack(case)[1].unlink()  # as if composing had failed at the intake
        case.ack_pending = True
        self.env["kcc.case"].with_context(lang=None)._acknowledge_batch()
        mail, message = self.ack(case)
        self.assertEqual(message.author_id, self.env.company.partner_id)
        self.assertNotIn(message.author_id, self.env.ref("base.partner_root"))
        self.assertIn("kcc@leuven.example", message.email_from)
        self.assertIn(self.env.company.name, message.email_from)
        self.assert_dutch(message.subject, "the acknowledgement's subject")
        self.assert_dutch(visible_text(mail.body_html), "the acknowledgement e-mail")

    def test_message_to_the_customer_in_odoos_layout(self):
        """A message of the city to a customer with an account comes in
        Odoo's notification layout: in Dutch, as the rest."""
        case = self.case.with_context(mail_notify_force_send=False)
        message = case.message_post(
            body="<p>Wij hebben de stoeptegel laten herstellen.</p>",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.partner_id.ids,
            author_id=self.env.company.partner_id.id,
        )
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertTrue(mail)
        for body in mail.mapped("body_html"):
            self.assert_dutch(visible_text(body), "the notification e-mail")

    def test_agent_working_in_english_writes_to_the_customer_in_dutch(self):
        """What the city posts to a customer is in the customer's language,
        not in that of the agent who clicks."""
        agent = new_test_user(
            self.env,
            "english.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
            lang="en_US",
        )
        duplicate = self.env["kcc.case"]._intake(
            {
                "subject": "Nog eens de stoeptegel",
                "partner_id": self.customer.partner_id.id,
            },
            "web_form",
        )
        duplicate.duplicate_of_id = self.case
        duplicate.with_user(agent).action_mark_duplicate()
        message = duplicate.message_ids.filtered(
            lambda m: self.case.name in (m.body or "") and not m.is_internal
        )
        self.assertTrue(message)
        self.assert_dutch(visible_text(message[:1].body), "the message")

    def test_customer_layouts_in_dutch(self):
        Case = self.env["kcc.case"]
        for xmlid in CUSTOMER_LAYOUTS:
            layout, marks = Case._ack_layout("nl_BE", self.case.get_base_url())
            self.assertIn(marks["body"], layout, xmlid)
            self.assert_dutch(visible_text(layout), xmlid)

    # ------------------------------------------------------------ pages

    def suite_get_routes(self):
        """{route: routing} of the GET routes of the suite's controllers."""
        routes = {}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            endpoint = rule.endpoint
            module = getattr(endpoint, "__module__", "") or ""
            if not module.startswith(tuple(f"odoo.addons.{m}." for m in SUITE)):
                continue
            routing = endpoint.routing
            methods = routing.get("methods")
            if routing.get("type") != "http" or (methods and "GET" not in methods):
                continue
            routes[rule.rule] = routing
        return routes

    def test_every_public_route_is_listed(self):
        """A new page of the suite is checked below, or listed as no page
        for citizens: none escapes."""
        unlisted = {
            route
            for route in self.suite_get_routes()
            if route not in PAGES
            and route not in NOT_PAGES
            and not route.startswith(API_PREFIXES)
        }
        self.assertFalse(unlisted, "routes of the suite in neither list")

    def page_values(self):
        values = {
            "case": self.anonymous_case,
            "token": f"?access_token={self.anonymous_case.access_token}",
            "topic_code": "",
            "product_slug": "",
            "trajectory_id": "",
            "dwelling_id": "",
            "match_id": "",
            "match_token": "",
        }
        if "helpt.match" in self.env:
            match = self.helpt_match()
            values.update(
                match_id=match.id, match_token=f"?access_token={match.access_token}"
            )
        if "guidance.trajectory" in self.env:
            dwelling = self.env["guidance.dwelling"].create(
                {"street": "Naamsestraat", "house_number": "40", "postcode": "3000"}
            )
            self.env["guidance.dwelling.holder"].create(
                {"dwelling_id": dwelling.id, "partner_id": self.customer.partner_id.id}
            )
            trajectory = self.env["guidance.trajectory"].create(
                {
                    "type_id": self.env.ref("leuven_guidance.guidance_type_general").id,
                    "partner_id": self.customer.partner_id.id,
                    "dwelling_ids": [(6, 0, dwelling.ids)],
                }
            )
            values.update(trajectory_id=trajectory.id, dwelling_id=dwelling.id)
        if "assistant.topic" in self.env:
            topic = self.env["assistant.topic"].search(
                [("state", "=", "published")], limit=1
            )
            values["topic_code"] = topic.code or ""
        if "catalog.product" in self.env:
            product = self.env["catalog.product"].search(
                [("is_published", "=", True)], limit=1
            )
            if product:
                values["product_slug"] = self.env["ir.http"]._slug(product)
        return values

    def helpt_match(self):
        """A Leuven Helpt request proposed to the customer as a volunteer."""
        env = self.env
        kind = env.ref("leuven_helpt.help_kind_groceries")
        volunteer = env["helpt.volunteer"].create(
            {
                "partner_id": self.customer.partner_id.id,
                "user_id": self.customer.id,
                "state": "active",
                "intake_done": True,
                "kind_ids": [(6, 0, kind.ids)],
            }
        )
        case = env["kcc.case"]._intake(
            {
                "subject": "Boodschappen",
                "contact_name": "Maria Janssens",
                "contact_phone": "016 12 34 56",
                "category_id": env.ref("leuven_helpt.case_category_helpt").id,
                "helpt_kind_id": kind.id,
            },
            "phone",
        )
        match = case._helpt_propose(volunteer)
        match._portal_ensure_token()
        return match

    def assert_page_dutch(self, url, who):
        response = self.url_open(url, allow_redirects=True)
        self.assertLess(response.status_code, 400, f"{url} ({who})")
        self.assert_dutch(visible_text(response.text), f"{url} ({who})")

    def test_pages_in_dutch_for_anonymous_and_logged_in_customers(self):
        routes = {rule.rule for rule in self.env["ir.http"].routing_map().iter_rules()}
        values = self.page_values()
        checked = 0
        for route, (url, anonymous, logged_in) in PAGES.items():
            if route not in routes:
                continue  # the addon of this page is not installed
            if "{topic_code}" in url and not values["topic_code"]:
                continue
            if "{product_slug}" in url and not values["product_slug"]:
                continue
            for who, visit in (("anonymous", anonymous), ("customer", logged_in)):
                if not visit:
                    continue
                checked += 1
                with self.subTest(route=route, who=who):
                    if who == "anonymous":
                        self.authenticate(None, None)
                        case_values = values
                    else:
                        self.authenticate("dutch.customer", "dutch.customer")
                        case_values = dict(values, case=self.case, token="")
                    self.assert_page_dutch(url.format(**case_values), who)
        self.assertGreater(checked, 10)

    def test_refused_method_is_a_redirect_not_an_english_page(self):
        """A form's address opened again (reload, back button, login from
        it) leads to the form, never to Werkzeug's English 405."""
        self.authenticate(None, None)
        response = self.url_open("/kcc/submit", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/kcc/contact"))
        self.assert_page_dutch("/kcc/submit", "anonymous")
        self.authenticate("dutch.customer", "dutch.customer")
        response = self.url_open(
            f"/my/cases/{self.case.id}/reopen", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/my/cases/{self.case.id}", response.headers["Location"])
        # the machines' APIs keep their 405
        api = self.url_open("/kcc/api/telephony/call", allow_redirects=False)
        self.assertEqual(api.status_code, 405)

    def test_frontend_scripts_get_their_dutch_texts(self):
        """The portal's conversation (mail's scripts: "now") and the report
        form's script ("Location added.") speak Dutch on the website."""
        self.authenticate(None, None)
        response = self.url_open("/website/translations/h2?lang=nl_BE")
        terms = {
            message["id"]: message["string"]
            for module in response.json()["modules"].values()
            for message in module["messages"]
        }
        self.assertEqual(terms.get("now"), "nu")
        self.assertEqual(terms.get("Location added."), "Locatie toegevoegd.")

    def test_standard_calendar_has_a_dutch_name(self):
        calendar = self.env.ref("leuven_kcc.kcc_handler_group_kcc").resource_calendar_id
        self.assertTrue(calendar)
        self.assert_dutch(calendar.name, "the KCC's calendar")

    # ------------------------------------------------------------ translations

    def test_every_text_of_the_suite_has_its_dutch_translation(self):
        """Every term of each installed addon (code, views, data) has a
        non-empty Dutch translation in its i18n/nl.po, code terms flagged for
        where they are used (Python, JavaScript); its .pot holds nothing that
        nl.po lacks and nl.po no empty translation."""
        installed = self.env["ir.module.module"].search(
            [("name", "in", SUITE), ("state", "=", "installed")]
        )
        problems = []
        for module in installed.mapped("name"):
            po = {}
            po_path = f"{get_module_path(module)}/i18n/nl.po"
            with file_open(po_path, "rb") as handle:
                for entry in PoFileReader(handle):
                    po.setdefault(entry["src"], []).append(entry)
            problems += [
                (module, "empty msgstr", src[:70])
                for src, entries in po.items()
                if not all(entry["value"] for entry in entries)
            ]
            problems += [
                (module, "msgid twice", src[:70])
                for src, count in Counter(
                    entry.msgid for entry in polib.pofile(po_path) if entry.msgid
                ).items()
                if count > 1
            ]
            pot_path = f"{get_module_path(module)}/i18n/{module}.pot"
            with open(pot_path, "rb") as handle:
                pot = {entry["src"] for entry in PoFileReader(handle)}
            problems += [(module, "not in nl.po", src[:70]) for src in pot - set(po)]
            reader = TranslationModuleReader(self.env.cr, modules=[module])
            for term in reader:
                source, comments = term[4], term[6] or []
                if term[0] != module or not source.strip():
                    continue
                entries = po.get(source)
                if not entries or not any(entry["value"] for entry in entries):
                    problems.append((module, f"untranslated {term[3]}", source[:70]))
                    continue
                for flag in ("odoo-python", "odoo-javascript"):
                    if flag in comments and not any(
                        flag in (entry.get("comments") or []) for entry in entries
                    ):
                        problems.append((module, f"not {flag}", source[:70]))
        self.assertFalse(sorted(set(problems)), "texts without their Dutch")

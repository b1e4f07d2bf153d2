"""Leak 1 of issue 17: following a known report ("this is my problem too")
must not grant access to the case nor copy its messages; the report form's
suggestion shows only what may be shown to anyone."""

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

# the Vismarkt in Leuven; a point 11 m further
POINT = ("50.88210", "4.69890")
NEAR = ("50.88220", "4.69895")
# the Ladeuzeplein, 1 km away: the cases of the public suggestion test
OTHER_POINT = (50.87617, 4.70732)


@tagged("post_install", "-at_install")
class TestFollowReport(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("nl_BE")
        env["ir.module.module"]._load_module_terms(["leuven_kcc"], ["nl_BE"])
        handler = "base.group_user,leuven_kcc.group_kcc_handler"
        cls.handler_a = new_test_user(env, "leak1.handler.a", groups=handler)
        cls.handler_b = new_test_user(env, "leak1.handler.b", groups=handler)
        cls.agent = new_test_user(
            env, "leak1.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.owner = new_test_user(
            env, "leak1.owner", groups="base.group_portal", name="Jan Peeters"
        )
        cls.citizen = new_test_user(
            env,
            "leak1.citizen",
            groups="base.group_portal",
            email="buur@example.com",
            lang="nl_BE",
        )
        Group = env["kcc.handler.group"]
        cls.group_a = Group.create(
            {"name": "Parks", "code": "L1-A", "member_ids": cls.handler_a.ids}
        )
        cls.group_b = Group.create(
            {"name": "Lighting", "code": "L1-B", "member_ids": cls.handler_b.ids}
        )
        Category = env["kcc.case.category"]
        cls.lighting = Category.create(
            {"name": "Street lamp broken", "handler_group_id": cls.group_b.id}
        )
        cls.litter = Category.create(
            {"name": "Litter", "handler_group_id": cls.group_b.id}
        )
        cls.secret = Category.create(
            {
                "name": "Integrity report",
                "handler_group_id": cls.group_b.id,
                "confidential": True,
            }
        )
        cls.Case = env["kcc.case"]
        cls.known = cls.Case._intake(
            {
                "subject": "Lamp kapot voor het huis van Jan Peeters",
                "description": "Bel mij op 0470 12 34 56, ik ben overdag thuis.",
                "case_type": "report",
                "category_id": cls.lighting.id,
                "street": "Vismarkt 5",
                "postcode": "3000",
                "latitude": float(POINT[0]),
                "longitude": float(POINT[1]),
                "partner_id": cls.owner.partner_id.id,
            },
            "report_form",
        )
        cls.known.handler_group_id = cls.group_b  # whatever the routing rules say
        cls.Reporter = env["kcc.case.reporter"]

    def post_report(self, **extra):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        data = {
            "form_kind": "report",
            "submission_token": extra.pop("token", "leak1-1"),
            "subject": "Lamp stuk",
            "category_id": str(self.lighting.id),
            "street": "Vismarkt 7",
            "latitude": NEAR[0],
            "longitude": NEAR[1],
            "contact_email": "anoniem@example.com",
            "csrf_token": http.Request.csrf_token(self),
            **extra,
        }
        data = {key: value for key, value in data.items() if value is not None}
        return self.url_open("/kcc/submit", data=data)

    def assert_no_access(self, user, case):
        as_user = case.with_user(user)
        self.assertFalse(self.Case.with_user(user).search([("id", "=", case.id)]))
        with self.assertRaises(AccessError):
            as_user.read(["subject"])
        with self.assertRaises(AccessError):
            as_user.write({"priority": "2"})

    # (a) ---------------------------------------------------------------

    def test_handler_who_follows_gets_no_access(self):
        """A handler of another group reports the same lamp from the website
        and follows the known case: he is an additional reporter, and still
        cannot read or change the case of the lighting group."""
        self.assert_no_access(self.handler_a, self.known)
        self.authenticate("leak1.handler.a", "leak1.handler.a")
        page = self.post_report(token="leak1-a")
        self.assertIn(self.known.name, page.text, "the known report is proposed")
        followed = self.post_report(token="leak1-a", follow_case_id=str(self.known.id))
        self.assertEqual(followed.status_code, 200)
        self.assertIn(self.known.name, followed.text)
        reporter = self.Reporter.search([("case_id", "=", self.known.id)])
        self.assertEqual(reporter.partner_id, self.handler_a.partner_id)
        self.assert_no_access(self.handler_a, self.known)
        self.assertNotIn(self.handler_a.partner_id, self.known.message_partner_ids)
        self.assertFalse(
            self.Reporter.with_user(self.handler_a).search(
                [("case_id", "=", self.known.id)]
            ),
            "he does not see the other reporters of the case either",
        )
        # the lighting group sees who reported it again
        self.assertEqual(
            self.known.with_user(self.handler_b).reporter_ids.ids, reporter.ids
        )

    def test_backend_suggestion_shows_only_readable_cases(self):
        mine = self.Case.create(
            {
                "subject": "Lamp in het park",
                "case_type": "report",
                "category_id": self.lighting.id,
                "handler_group_id": self.group_a.id,
                "latitude": float(NEAR[0]),
                "longitude": float(NEAR[1]),
                "contact_email": "x@example.com",
            }
        )
        self.assertEqual(mine.with_user(self.agent).possible_duplicate_ids, self.known)
        self.assertFalse(mine.with_user(self.handler_a).possible_duplicate_ids)

    # (b) ---------------------------------------------------------------

    def test_citizen_who_follows_is_told_the_status_not_the_messages(self):
        self.authenticate("leak1.citizen", "leak1.citizen")
        self.post_report(token="leak1-b", follow_case_id=str(self.known.id))
        self.authenticate(None, None)
        self.post_report(
            token="leak1-b2",
            follow_case_id=str(self.known.id),
            contact_email="voorbijganger@example.com",
        )
        partner = self.citizen.partner_id
        self.assertEqual(
            {reporter._email_key() for reporter in self.known.reporter_ids},
            {"buur@example.com", "voorbijganger@example.com"},
        )
        # the customer and the city talk about the case
        self.known.with_user(self.owner).message_post(
            body="Mijn gsm-nummer is 0470 99 88 77.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.known.with_user(self.handler_b).message_post(
            body="Beste meneer Peeters, we komen morgen langs.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.owner.partner_id.ids,
        )
        # ... and the case makes progress
        case = self.known.with_user(self.handler_b)
        case.action_assign_to_me()
        case.action_start()  # still "being handled" for the customer: no mail
        case.resolution = "<p>De lamp is vervangen.</p>"
        case.action_answer()

        messages = self.env["mail.message"].search(
            [("model", "=", "kcc.case"), ("res_id", "=", self.known.id)]
        )
        self.assertFalse(
            messages.notification_ids.filtered(lambda n: n.res_partner_id == partner),
            "no copy of the case's messages",
        )
        mails = self.env["mail.mail"].search(
            [
                "|",
                ("recipient_ids", "in", partner.ids),
                ("email_to", "ilike", "buur@example.com"),
            ],
            order="id",
        )
        self.assertEqual(len(mails), 2, "one for the new status, one for the answer")
        for mail in mails:
            self.assertIn(self.known.name, mail.body_html)
            # the phone numbers in full: a case reference may hold "0470"
            for private in (
                "0470 12",
                "0470 99",
                "Peeters",
                "Lamp kapot",
                "Beste meneer",
            ):
                self.assertNotIn(private, mail.body_html)
                self.assertNotIn(private, mail.subject)
            self.assertEqual(mail.state, "outgoing", "queued, not sent in the request")
        self.assertIn("In behandeling", mails[0].body_html)
        self.assertNotIn("vervangen", mails[0].body_html)
        self.assertIn("Beantwoord", mails[1].body_html)
        self.assertIn("De lamp is vervangen.", mails[1].body_html)
        self.assertIn("referentie", mails[1].body_html, "in Dutch")
        self.assertNotIn(partner, self.known.message_partner_ids)
        anonymous = self.env["mail.mail"].search(
            [("email_to", "ilike", "voorbijganger@example.com")]
        )
        self.assertEqual(len(anonymous), 2)
        self.assertNotIn("0470 12", "".join(anonymous.mapped("body_html")))

    # (c) ---------------------------------------------------------------

    def test_anonymous_suggestion_shows_only_safe_reports(self):
        lat, lon = OTHER_POINT

        def report(subject, sensitive=False, **values):
            case = self.Case._intake(
                {
                    "subject": subject,
                    "description": f"Omschrijving van {subject}",
                    "case_type": "report",
                    "category_id": self.litter.id,
                    "street": "Ladeuzeplein 21",
                    "latitude": lat,
                    "longitude": lon,
                    "contact_email": "melder@example.com",
                    **values,
                },
                "report_form",
            )
            case.sensitive = sensitive
            return case

        public = report("Vuilniszakken van mevrouw Janssens")
        sensitive = report("Klacht over buurman Karel", sensitive=True)
        secret = report("Fraude bij de aannemer", category_id=self.secret.id)
        question = report("Vraag van Piet over afval", case_type="question")
        page = self.post_report(
            token="leak1-c",
            category_id=None,  # no category: every category nearby is compared
            street="Ladeuzeplein 22",
            latitude=str(lat),
            longitude=str(lon),
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_kcc_duplicates", page.text)
        self.assertIn(public.name, page.text)
        self.assertIn("Litter", page.text, "the category names the problem")
        self.assertIn("Ladeuzeplein", page.text)
        self.assertNotIn("Ladeuzeplein 21", page.text, "no house number")
        for case in (public, sensitive, secret, question):
            self.assertNotIn(case.subject, page.text)
            self.assertNotIn(case.description_text, page.text)
        for case in (sensitive, secret, question):
            self.assertNotIn(case.name, page.text)
            self.assertNotIn(f'value="{case.id}"', page.text)
        # a case that is not proposed cannot be followed either
        self.post_report(token="leak1-c2", follow_case_id=str(sensitive.id))
        self.assertFalse(sensitive.reporter_ids)

    # (d) ---------------------------------------------------------------

    def test_tiny_coordinates_match_nothing(self):
        without_point = self.Case._intake(
            {
                "subject": "Zwerfvuil",
                "case_type": "report",
                "category_id": self.litter.id,
                "street": "Tiensestraat 10",
                "contact_email": "melder@example.com",
            },
            "report_form",
        )
        self.assertFalse(without_point.latitude)
        tiny = {
            "category_id": self.litter.id,
            "latitude": 0.0000001,
            "longitude": 0.0000001,
        }
        self.assertFalse(self.Case._find_nearby_reports(tiny))
        self.assertFalse(self.Case._find_nearby_reports(tiny, public=True))
        page = self.post_report(
            token="leak1-d",
            category_id=str(self.litter.id),
            street="Een heel andere straat 1",
            latitude="0.0000001",
            longitude="0.0000001",
        )
        self.assertNotIn("o_kcc_duplicates", page.text)
        self.assertNotIn(without_point.name, page.text)
        # a wildcard is no address
        self.assertFalse(
            self.Case._find_nearby_reports(
                {"category_id": self.litter.id, "street": "%"}, public=True
            )
        )

    # (e) ---------------------------------------------------------------

    def test_duplicate_registers_an_additional_reporter(self):
        duplicate = self.Case._intake(
            {
                "subject": "Lamp Vismarkt",
                "case_type": "report",
                "category_id": self.lighting.id,
                "street": "Vismarkt 9",
                "partner_id": self.citizen.partner_id.id,
            },
            "phone",
        )
        duplicate.with_user(self.agent).duplicate_of_id = self.known
        duplicate.with_user(self.agent).action_mark_duplicate()
        self.assertEqual(duplicate.state, "duplicate")
        reporter = self.known.reporter_ids
        self.assertEqual(reporter.partner_id, self.citizen.partner_id)
        self.assertEqual(reporter.source_case_id, duplicate)
        self.assertNotIn(self.citizen.partner_id, self.known.message_partner_ids)
        self.assertFalse(
            self.Case.with_user(self.citizen).search([("id", "=", self.known.id)])
        )
        with self.assertRaises(AccessError):
            self.Reporter.with_user(self.citizen).search([])
        self.known.with_user(self.handler_b).action_assign_to_me()
        self.assertTrue(
            self.env["mail.mail"].search(
                [("recipient_ids", "in", self.citizen.partner_id.ids)]
            ),
            "he is told about the original's progress",
        )

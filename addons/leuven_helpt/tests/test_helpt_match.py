import datetime as dt

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.leuven_kcc.tests.test_customer_dutch import english_in, visible_text

REQUESTER = "Maria Janssens"
STREET = "Tiensestraat 12"
PHONE = "+32 16 99 88 77"
PRIVATE = (REQUESTER, "Janssens", "Tiensestraat", "99 88 77")


def helpt_fixtures(cls, volunteers=2):
    """A request of Maria Janssens for groceries, an agent, a coordinator and
    screened volunteers with a portal account (class attributes)."""
    env = cls.env
    cls.coordinator = new_test_user(
        env,
        "hm.coordinator",
        groups="base.group_user,leuven_helpt.group_helpt_coordinator",
        lang="nl_BE",
    )
    cls.agent = new_test_user(
        env,
        "hm.agent",
        groups="base.group_user,leuven_kcc.group_kcc_agent",
        lang="nl_BE",
    )
    cls.kind = env["helpt.help.kind"].search([("code", "=", "groceries")], limit=1)
    if not cls.kind:
        cls.kind = env["helpt.help.kind"].create(
            {"code": "groceries", "name": "Groceries"}
        )
    cls.district = env["helpt.district"].search([("code", "=", "leuven")], limit=1)
    if not cls.district:
        cls.district = env["helpt.district"].create(
            {"code": "leuven", "name": "Leuven", "postcodes": "3000"}
        )
    cls.category = env["kcc.case.category"].create(
        {
            "name": "Leuven Helpt (test)",
            "handler_group_id": env.ref("leuven_kcc.kcc_handler_group_kcc").id,
            "is_helpt": True,
        }
    )
    cls.requester = env["res.partner"].create(
        {
            "name": REQUESTER,
            "street": STREET,
            "zip": "3000",
            "city": "Leuven",
            "phone": PHONE,
            "lang": "nl_BE",
        }
    )
    cls.volunteer_users = env["res.users"]
    cls.volunteers = env["helpt.volunteer"]
    for index in range(volunteers):
        user = new_test_user(
            env,
            f"hm.volunteer{index}",
            groups="base.group_portal",
            name=f"Vrijwilliger {index}",
            email=f"vrijwilliger{index}@example.com",
            lang="nl_BE",
        )
        cls.volunteer_users |= user
        cls.volunteers |= env["helpt.volunteer"].create(
            {
                "partner_id": user.partner_id.id,
                "user_id": user.id,
                "state": "active",
                "intake_done": True,
                "kind_ids": [(6, 0, cls.kind.ids)],
                "district_ids": [(6, 0, cls.district.ids)],
                "latitude": 50.88,
                "longitude": 4.71,
            }
        )
    cls.volunteer, cls.other = cls.volunteers[0], cls.volunteers[1]
    cls.volunteer_user, cls.other_user = cls.volunteer_users[:2]


def make_request(env, cls, urgency="urgent", recurring=False):
    """A phone request taken in by the KCC, then completed with what help,
    when and how urgent (as the agent does in the form)."""
    case = (
        env["kcc.case"]
        .sudo()
        ._intake(
            {
                "subject": "Boodschappen",
                "partner_id": cls.requester.id,
                "contact_phone": PHONE,
                "street": STREET,
                "postcode": "3000",
                "city": "Leuven",
                "latitude": 50.879,
                "longitude": 4.70,
                "category_id": cls.category.id,
            },
            "phone",
        )
    )
    case.write(
        {
            "helpt_kind_id": cls.kind.id,
            "helpt_date": fields.Datetime.now() + dt.timedelta(days=1),
            "helpt_urgency": urgency,
            "helpt_recurring": recurring,
            "helpt_needs": "Rolstoel, diabetes",
        }
    )
    return case.with_env(env)


class HelptMatchCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        helpt_fixtures(cls)

    def setUp(self):
        super().setUp()
        self.case = make_request(self.env, self)

    def propose(self, volunteer=None, case=None):
        case = case or self.case
        return case.with_user(self.agent)._helpt_propose(volunteer or self.volunteer)

    def assert_private_absent(self, text, what):
        for word in PRIVATE:
            self.assertNotIn(word, text or "", f"{word!r} in {what}")


@tagged("post_install", "-at_install")
class TestHelptPropose(HelptMatchCommon):
    def test_agent_proposes_with_deadline_of_the_urgency(self):
        before = fields.Datetime.now()
        match = self.propose()
        self.assertEqual(match.state, "proposed")
        self.assertEqual(match.volunteer_id, self.volunteer)
        self.assertEqual(match.kind_id, self.kind)
        self.assertEqual(match.district_id, self.case.helpt_district_id)
        self.assertGreater(match.distance_km, 0)
        deadline = match.answer_deadline - before
        self.assertGreaterEqual(deadline, dt.timedelta(hours=4))
        self.assertLess(deadline, dt.timedelta(hours=4, minutes=5))
        self.assertTrue(self.volunteer.last_asked_at)
        flexible = make_request(self.env, self, urgency="flexible")
        later = self.propose(case=flexible)
        self.assertGreaterEqual(later.answer_deadline - before, dt.timedelta(hours=72))

    def test_only_screened_volunteers_and_not_twice(self):
        self.other.state = "applied"
        with self.assertRaises(UserError):
            self.propose(self.other)
        self.propose()
        with self.assertRaises(UserError):
            self.propose()

    def test_volunteer_cannot_propose(self):
        with self.assertRaises(AccessError):
            self.case.with_user(self.volunteer_user)._helpt_propose(self.volunteer)

    def test_mail_says_what_when_where_but_not_who(self):
        self.env["ir.config_parameter"].set_param(
            "leuven_kcc.customer_email_from", "helpt@leuven.example"
        )
        match = self.propose()
        mails = self.env["mail.mail"].search(
            [("model", "=", "helpt.match"), ("res_id", "=", match.id)]
        )
        self.assertTrue(mails, "no e-mail to the volunteer")
        self.assertIn(self.volunteer.partner_id, mails.recipient_ids)
        body = " ".join(mails.mapped("body_html"))
        self.assertIn(self.kind.with_context(lang="nl_BE").name, body)
        self.assertIn(match.district_id.name, body)
        self.assertIn(match.distance_text, body)
        self.assertIn(f"/my/helpt/{match.id}?access_token={match.access_token}", body)
        self.assertIn("Aanvaarden of weigeren", body)
        for mail in mails:
            self.assertEqual(english_in(visible_text(mail.body_html)), [])
            self.assertEqual(english_in(mail.subject), [])
            self.assertIn("kunt u helpen?", mail.subject)
        self.assertIn("helpt@leuven.example", mails[0].email_from)
        self.assert_private_absent(body, "the e-mail")
        self.assert_private_absent(" ".join(mails.mapped("subject")), "the subject")
        self.assertNotIn("Rolstoel", body)


@tagged("post_install", "-at_install")
class TestHelptVolunteerAccess(HelptMatchCommon):
    FIELDS = ["requester_name", "requester_address", "requester_phone"]

    def test_requester_hidden_until_accepted_on_every_path(self):
        match = self.propose()
        as_volunteer = self.env["helpt.match"].with_user(self.volunteer_user)
        rows = as_volunteer.search_read([])
        self.assertEqual([row["id"] for row in rows], match.ids)
        self.assert_private_absent(repr(rows), "search_read before accepting")
        mine = as_volunteer.browse(match.id)
        self.assertEqual(mine.read(self.FIELDS)[0]["requester_name"], False)
        # his chatter and attachments
        messages = (
            self.env["mail.message"]
            .with_user(self.volunteer_user)
            .search_read(
                [("model", "=", "helpt.match"), ("res_id", "=", match.id)],
                ["body", "subject", "attachment_ids"],
            )
        )
        self.assertTrue(messages)
        self.assert_private_absent(repr(messages), "the match's messages")
        domain = [("res_model", "=", "helpt.match"), ("res_id", "=", match.id)]
        try:
            attachments = (
                self.env["ir.attachment"]
                .with_user(self.volunteer_user)
                .search_read(domain, ["name", "raw"])
            )
        except AccessError:
            attachments = []  # a portal user lists no attachments at all
        self.assert_private_absent(repr(attachments), "the match's attachments")
        # nor is there any file on the match that holds them
        files = self.env["ir.attachment"].search_read(domain, ["name", "raw"])
        self.assert_private_absent(repr(files), "the files of the match")
        mine.action_accept()
        values = mine.read(self.FIELDS)[0]
        self.assertEqual(values["requester_name"], REQUESTER)
        self.assertIn(STREET, values["requester_address"])
        self.assertEqual(values["requester_phone"], PHONE)

    def test_volunteer_never_reads_the_case_nor_others_matches(self):
        match = self.propose()
        other_match = self.propose(self.other)
        Case = self.env["kcc.case"].with_user(self.volunteer_user)
        with self.assertRaises(AccessError):
            Case.browse(self.case.id).read(["subject"])
        self.assertFalse(Case.search([("id", "=", self.case.id)]))
        mine = self.env["helpt.match"].with_user(self.volunteer_user)
        with self.assertRaises(AccessError):
            mine.browse(match.id).read(["case_id"])
        with self.assertRaises(AccessError):
            mine.browse(other_match.id).read(["state"])
        with self.assertRaises(AccessError):
            mine.browse(other_match.id).action_accept()
        mine.browse(match.id).action_accept()
        # accepted: still no access to the request itself
        with self.assertRaises(AccessError):
            Case.browse(self.case.id).read(["helpt_needs"])
        with self.assertRaises(AccessError):
            mine.browse(match.id).write({"state": "done"})


@tagged("post_install", "-at_install")
class TestHelptAnswers(HelptMatchCommon):
    @classmethod
    def setUpClass(cls):
        super(HelptMatchCommon, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        helpt_fixtures(cls, volunteers=20)

    def refusal(self, call):
        with self.assertRaises(UserError) as caught:
            call()
        message = str(caught.exception)
        self.assertTrue(message.startswith("Dit voorstel is niet meer open: "), message)
        return message

    def test_twenty_accepts_of_one_proposal_one_wins(self):
        """20 sessions answer the link of one proposal (the e-mail's token,
        as the portal page does): one wins, 19 are told it is taken."""
        match = self.propose()
        public = self.env.ref("base.public_user")
        results = []
        for _session in range(20):
            # the portal page's way: the match read in sudo after the token check
            record = match.with_context(lang="nl_BE").sudo()
            try:
                record._helpt_accept(public)
                results.append("won")
            except UserError as err:
                results.append(str(err))
        self.assertEqual(results.count("won"), 1)
        self.assertEqual(results[0], "won")
        for refusal in results[1:]:
            self.assertEqual(
                refusal, "Dit voorstel is niet meer open: het werd al aanvaard."
            )
        self.assertEqual(
            self.case.helpt_match_ids.filtered(lambda m: m.state == "accepted"), match
        )

    def test_twenty_volunteers_one_request_one_accepted(self):
        """The request proposed to 20 volunteers at once: the first accept
        wins, the other proposals are cancelled and refused clearly."""
        matches = [self.propose(volunteer) for volunteer in self.volunteers]
        won = 0
        for match, user in zip(matches, self.volunteer_users, strict=True):
            try:
                match.with_user(user).with_context(lang="nl_BE").action_accept()
                won += 1
            except UserError as err:
                self.assertIn("niet meer open", str(err))
        self.assertEqual(won, 1)
        accepted = self.case.helpt_match_ids.filtered(lambda m: m.state == "accepted")
        self.assertEqual(len(accepted), 1)

    def test_partial_unique_index_one_accepted_per_case(self):
        first, second = self.propose(), self.propose(self.other)
        first.with_user(self.volunteer_user).action_accept()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE helpt_match SET state = 'accepted' WHERE id = %s",
                    [second.id],
                )

    def test_another_volunteer_cannot_accept(self):
        match = self.propose()
        # with the link of the other's e-mail, logged in as himself
        other = match.with_context(lang="nl_BE").sudo()
        message = self.refusal(lambda: other._helpt_accept(self.other_user))
        self.assertIn("andere vrijwilliger", message)
        self.assertEqual(match.state, "proposed")

    def test_expired_or_cancelled_proposal_refused(self):
        match = self.propose()
        match.answer_deadline = fields.Datetime.now() - dt.timedelta(minutes=1)
        mine = match.with_user(self.volunteer_user).with_context(lang="nl_BE")
        self.assertIn("tijd om te antwoorden", self.refusal(mine.action_accept))
        self.assertEqual(match.state, "proposed")
        cancelled = self.propose(self.other)
        cancelled.with_user(self.coordinator).action_cancel()
        theirs = cancelled.with_user(self.other_user).with_context(lang="nl_BE")
        self.refusal(theirs.action_accept)

    def test_decline_tells_the_coordinator(self):
        match = self.propose()
        mine = match.with_user(self.volunteer_user).with_context(lang="nl_BE")
        mine.action_decline()
        self.assertEqual(match.state, "declined")
        activity = self.case.activity_ids.filtered(
            lambda a: a.summary == "Vrijwilliger weigerde"
        )
        self.assertTrue(activity)
        self.refusal(mine.action_accept)
        # the next volunteer can be proposed and accept
        nxt = self.propose(self.other)
        nxt.with_user(self.other_user).action_accept()
        self.assertEqual(nxt.state, "accepted")

    def test_cron_flags_unanswered_proposals_in_batches(self):
        late = self.propose() | self.propose(self.other)
        fresh = self.propose(self.volunteers[2])
        late.answer_deadline = fields.Datetime.now() - dt.timedelta(hours=1)
        Match = self.env["helpt.match"]
        self.assertEqual(Match._expire_batch(limit=1), (1, 1))
        self.assertEqual(Match._expire_batch(limit=1), (1, 0))
        self.assertEqual(late.mapped("state"), ["expired", "expired"])
        self.assertEqual(fresh.state, "proposed")
        summaries = self.case.activity_ids.mapped("summary")
        self.assertEqual(summaries.count("Geen antwoord van vrijwilliger"), 2)
        Match._cron_expire()  # nothing left, no error


@tagged("post_install", "-at_install")
class TestHelptFollowUp(HelptMatchCommon):
    def accepted(self, case=None):
        match = self.propose(case=case)
        match.with_user(self.volunteer_user).action_accept()
        return match

    def test_one_off_help_done_answers_the_request(self):
        match = self.accepted()
        today = fields.Date.context_today(match)
        match.sudo()._helpt_report(today, True, "1.5")
        self.assertEqual(match.state, "done")
        self.assertEqual(match.hours, 1.5)
        self.assertEqual(match.occurrence_ids.confirmed_by, "volunteer")
        self.assertEqual(self.case.state, "answered")
        self.assertTrue(self.case.answer_ids)
        self.assertIn("vrijwilliger van Leuven Helpt", self.case.resolution)
        message = self.case.message_ids.filtered(
            lambda m: self.requester in m.partner_ids
        )
        self.assertTrue(message, "the requester is not told")

    def test_recurring_help_is_one_match_with_occurrences(self):
        case = make_request(self.env, self, recurring=True)
        match = self.accepted(case)
        today = fields.Date.context_today(match)
        match.sudo()._helpt_report(today - dt.timedelta(days=7), True, 2)
        match.sudo()._helpt_report(today, False, 0)
        self.assertEqual(match.state, "accepted")
        self.assertEqual(len(match.occurrence_ids), 2)
        self.assertEqual(match.hours, 2)
        # the KCC notes the requester's confirmation given by phone
        occurrence = match.occurrence_ids.filtered(lambda o: o.state == "done")
        occurrence.with_user(self.agent).action_requester_confirmed()
        self.assertTrue(occurrence.requester_confirmed)
        self.assertEqual(occurrence.confirmed_by, "kcc")
        self.assertEqual(case.state != "answered", True)
        match.with_user(self.coordinator).action_done()
        self.assertEqual(match.state, "done")
        self.assertEqual(case.state, "answered")

    def test_bad_reports_refused(self):
        match = self.propose()
        with self.assertRaises(UserError):
            match.sudo()._helpt_report(fields.Date.today(), True, 1)
        match.with_user(self.volunteer_user).action_accept()
        for date, hours in (
            ("not a date", 1),
            (fields.Date.today() + dt.timedelta(days=2), 1),
            (fields.Date.today(), "nan"),
            (fields.Date.today(), 99),
            (fields.Date.today(), "x"),
        ):
            with self.subTest(date=date, hours=hours), self.assertRaises(UserError):
                match.sudo()._helpt_report(date, True, hours)
        self.assertFalse(match.occurrence_ids)

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import KccCommon


class PrivacyCommon(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "priv.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.dpo = new_test_user(
            cls.env, "priv.dpo", groups="base.group_user,leuven_kcc.group_kcc_dpo"
        )
        cls.handler_hr = new_test_user(
            cls.env, "priv.hr", groups="base.group_user,leuven_kcc.group_kcc_handler"
        )
        cls.group_hr = cls.env["kcc.handler.group"].create(
            {"name": "Personeel", "code": "T-HR", "member_ids": cls.handler_hr.ids}
        )
        cls.category_hr = cls.env["kcc.case.category"].create(
            {
                "name": "Klacht over personeel",
                "handler_group_id": cls.group_hr.id,
                "confidential": True,
            }
        )
        export = cls.env.ref("base.group_allow_export")
        (cls.agent | cls.handler_roads).groups_id += export
        cls.person = cls.env["res.partner"].create(
            {"name": "Els Vertrouwelijk", "email": "els@example.com"}
        )


@tagged("post_install", "-at_install")
class TestConfidentialCases(PrivacyCommon):
    """A confidential case, as each user himself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secret = cls.Case._intake(
            {
                "subject": "Klacht over een loketmedewerker",
                "description": "De medewerker was onbeleefd.",
                "case_type": "complaint",
                "category_id": cls.category_hr.id,
                "partner_id": cls.person.id,
            },
            "phone",
        )
        cls.plain = cls.make_case(cls, subject="Gewone vraag")

    def assert_hidden_from(self, user):
        Case = self.Case.with_user(user)
        self.assertNotIn(self.secret, Case.search([]))
        self.assertFalse(Case.search([("name", "=", self.secret.name)]))
        rows = Case.search_read([("id", "=", self.secret.id)], ["subject"])
        self.assertEqual(rows, [])
        with self.assertRaises(AccessError):
            Case.browse(self.secret.id).read(["subject"])
        with self.assertRaises(AccessError):
            Case.browse(self.secret.id).export_data(["subject", "description"])
        with self.assertRaises(AccessError):
            Form(Case.browse(self.secret.id))
        with self.assertRaises(AccessError):
            Case.browse(self.secret.id).web_read({"subject": {}})
        contacts = self.env["kcc.contact"].with_user(user).search([])
        self.assertFalse(contacts & self.secret.contact_ids)

    def test_the_case_is_confidential_through_its_category(self):
        self.assertTrue(self.secret.is_confidential)
        self.assertEqual(self.secret.handler_group_id, self.group_hr)
        self.assertFalse(self.plain.is_confidential)

    def test_agent_and_other_handlers_cannot_reach_it(self):
        for user in (self.agent, self.handler_roads):
            with self.subTest(user=user.login):
                self.assert_hidden_from(user)
        # the agent still sees ordinary cases
        self.assertIn(self.plain, self.Case.with_user(self.agent).search([]))

    def test_agent_registering_a_confidential_case_is_told_where_it_went(self):
        form = Form(self.env["kcc.quick.contact"].with_user(self.agent))
        form.partner_id = self.person
        form.summary = "Beller klaagt over de houding van een medewerker"
        form.category_id = self.category_hr
        action = form.save().action_create_case()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(self.group_hr.display_name, action["params"]["message"])
        case = self.Case.search([("id", ">", self.secret.id)], order="id desc", limit=1)
        self.assertEqual(case.category_id, self.category_hr)
        self.assert_hidden_from(self.agent)

    def test_following_the_case_gives_no_access(self):
        self.secret.message_subscribe(partner_ids=self.agent.partner_id.ids)
        self.assert_hidden_from(self.agent)

    def test_handler_group_and_supervisors_see_it(self):
        for user in (self.handler_hr, self.supervisor):
            with self.subTest(user=user.login):
                Case = self.Case.with_user(user)
                self.assertIn(self.secret, Case.search([]))
                self.assertEqual(
                    Case.browse(self.secret.id).read(["subject"])[0]["subject"],
                    "Klacht over een loketmedewerker",
                )
                self.assertIn(
                    self.secret.contact_ids,
                    self.env["kcc.contact"].with_user(user).search([]),
                )

    def test_the_customers_history_leaves_it_out_for_the_agent(self):
        partner = self.person.with_user(self.agent)
        self.assertNotIn(self.secret, partner.kcc_history_case_ids)
        partner = self.person.with_user(self.handler_hr)
        self.assertIn(self.secret, partner.kcc_history_case_ids)


@tagged("post_install", "-at_install")
class TestSensitiveCases(PrivacyCommon):
    """A sensitive case: visible, but its description and files are need-to-know."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls.make_case(
            cls,
            subject="Klacht over de behandeling",
            description="De wegenwerker schold mij uit.",
            case_type="complaint",
            category_id=cls.category_roads.id,
        )
        cls.case.sensitive = True
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "bewijs.txt",
                "raw": b"bewijs",
                "res_model": "kcc.case",
                "res_id": cls.case.id,
            }
        )

    def test_agent_sees_the_case_but_not_its_description_or_files(self):
        case = self.case.with_user(self.agent)
        self.assertEqual(case.subject, "Klacht over de behandeling")
        self.assertTrue(case.description_hidden)
        self.assertNotIn("uitgescholden", case.description)
        self.assertNotIn("schold", case.description)
        rows = case.search_read([("id", "=", case.id)], ["description"])
        self.assertNotIn("schold", rows[0]["description"])
        self.assertNotIn("schold", case.read(["description"])[0]["description"])
        exported = case.export_data(["description"])["datas"]
        self.assertNotIn("schold", exported[0][0])
        self.assertFalse(case.search([("description", "ilike", "schold")]))
        with self.assertRaises(AccessError):
            case.read(["description_text"])
        Attachment = self.env["ir.attachment"].with_user(self.agent)
        found = Attachment.search([("res_model", "=", "kcc.case")])
        self.assertNotIn(self.attachment, found)
        with self.assertRaises(AccessError):
            Attachment.browse(self.attachment.id).read(["raw"])
        with self.assertRaises(AccessError):
            case.write({"description": "Overschreven"})

    def test_need_to_know_groups_see_everything(self):
        for user in (self.handler_roads, self.supervisor):
            with self.subTest(user=user.login):
                case = self.case.with_user(user)
                self.assertFalse(case.description_hidden)
                self.assertEqual(case.description, "De wegenwerker schold mij uit.")
                self.assertTrue(case.search([("description", "ilike", "schold")]))
                Attachment = self.env["ir.attachment"].with_user(user)
                self.assertIn(
                    self.attachment,
                    Attachment.search([("res_model", "=", "kcc.case")]),
                )
                self.assertEqual(Attachment.browse(self.attachment.id).raw, b"bewijs")

    def test_an_ordinary_case_is_not_masked(self):
        self.case.sensitive = False
        case = self.case.with_user(self.agent)
        self.assertEqual(case.description, "De wegenwerker schold mij uit.")
        self.assertIn(
            self.attachment,
            self.env["ir.attachment"].with_user(self.agent).search([]),
        )


@tagged("post_install", "-at_install")
class TestConfidentialPortal(HttpCase):
    def test_agent_cannot_open_a_confidential_case_in_the_portal(self):
        agent = new_test_user(
            self.env,
            "priv.portal.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        group = self.env["kcc.handler.group"].create({"name": "HR", "code": "T-HR2"})
        category = self.env["kcc.case.category"].create(
            {
                "name": "Vertrouwelijk",
                "handler_group_id": group.id,
                "confidential": True,
            }
        )
        case = self.env["kcc.case"]._intake(
            {
                "subject": "Geheime klacht",
                "contact_email": "x@example.com",
                "category_id": category.id,
            },
            "web_form",
        )
        self.authenticate(agent.login, agent.login)
        response = self.url_open(f"/my/cases/{case.id}")
        # like every case out of reach: back to the portal home, nothing shown
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn("Geheime klacht", response.text)
        self.assertNotIn(case.name, response.text)


@tagged("post_install", "-at_install")
class TestAuditLog(PrivacyCommon):
    def logs(self, action, record):
        return self.env["kcc.audit.log"].search(
            [
                ("action", "=", action),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
            ]
        )

    def test_opening_the_customers_history_is_logged(self):
        self.make_case(subject="Vraag van Els", partner_id=self.person.id)
        partner = self.person.with_user(self.agent)
        partner.web_read({"kcc_history_case_ids": {"fields": {"name": {}}}})
        log = self.logs("read_360", self.person)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.agent)
        self.assertEqual(log.record_text, "E** V************")
        # reading it again while the form is open adds no row
        partner.invalidate_recordset()
        partner.read(["kcc_history_case_ids"])
        self.assertEqual(len(self.logs("read_360", self.person)), 1)
        # the quick contact screen shows the same history: logged too
        wizard = Form(self.env["kcc.quick.contact"].with_user(self.supervisor))
        wizard.search_text = "els@example.com"
        self.assertEqual(wizard.open_case_count, 1)
        log = self.logs("read_360", self.person) - log
        self.assertEqual(log.user_id, self.supervisor)

    def test_opening_a_confidential_case_is_logged(self):
        case = self.make_case(subject="Klacht", category_id=self.category_hr.id)
        case.with_user(self.handler_hr).web_read({"subject": {}, "description": {}})
        log = self.logs("read_confidential", case)
        self.assertEqual(log.user_id, self.handler_hr)
        self.assertEqual(log.record_text, f"{case.name} K*****")

    def test_exports_are_logged(self):
        cases = self.make_case(subject="Een") | self.make_case(subject="Twee")
        cases.with_user(self.agent).export_data(["name", "subject"])
        log = self.env["kcc.audit.log"].search([("action", "=", "export")])
        self.assertEqual(log.record_count, 2)
        self.assertEqual(log.user_id, self.agent)

    def test_only_the_dpo_reads_it_and_nobody_changes_it(self):
        self.person.with_user(self.agent).kcc_history_case_ids  # noqa: B018
        log = self.logs("read_360", self.person)
        for user in (self.agent, self.supervisor):
            with self.assertRaises(AccessError):
                self.env["kcc.audit.log"].with_user(user).search([])
        self.assertEqual(
            self.env["kcc.audit.log"].with_user(self.dpo).search([("id", "=", log.id)]),
            log,
        )
        with self.assertRaises(AccessError):
            log.with_user(self.dpo).write({"purpose": "x"})
        with self.assertRaises(AccessError):
            log.with_user(self.dpo).unlink()
        with self.assertRaises(AccessError):
            self.env["kcc.audit.log"].with_user(self.dpo).create({"action": "export"})
        with self.assertRaises(AccessError):
            log.write({"purpose": "x"})

    def test_the_trail_survives_the_record(self):
        case = self.make_case(subject="Weg ermee", category_id=self.category_hr.id)
        case.with_user(self.supervisor).read(["subject"])
        log = self.logs("read_confidential", case)
        case.unlink()
        self.assertTrue(log.exists())
        self.assertEqual(log.res_id, case.id)


@tagged("post_install", "-at_install")
class TestRetention(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_roads.retention_months = 12
        cls.category_hr.retention_months = 24

    def finished_case(self, when, state="closed", **values):
        with freeze_time(when):
            case = self.make_case(partner_id=self.person.id, **values)
            case.description = "Persoonlijke uitleg"
            if state == "closed":
                case.action_start()
                case.resolution = "<p>Antwoord aan Els</p>"
                case.action_answer()
                case.action_close()
            else:
                case._cancel("Ingetrokken door de burger")
            case.message_post(body="Notitie over Els", subtype_xmlid="mail.mt_note")
            self.env["ir.attachment"].create(
                {
                    "name": "els.txt",
                    "raw": b"x",
                    "res_model": "kcc.case",
                    "res_id": case.id,
                }
            )
            self.env.flush_all()
        return case

    def kpis(self):
        return (
            self.env["kcc.case.report"]
            .with_user(self.supervisor)
            .get_dashboard("2020-01-01", "2026-12-31")
        )

    def test_exactly_the_expired_cases_are_anonymised_and_the_kpis_stay(self):
        roads = {"category_id": self.category_roads.id}
        hr = {"category_id": self.category_hr.id}
        expired = [
            self.finished_case("2024-01-10 10:00:00", **roads),  # 12 months passed
            self.finished_case("2024-01-10 10:00:00", state="cancelled", **roads),
            self.finished_case("2023-01-10 10:00:00", **hr),  # 24 months passed
            self.finished_case("2019-01-10 10:00:00"),  # no category: 60 months
        ]
        kept = [
            self.finished_case("2025-09-10 10:00:00", **roads),  # too recent
            self.finished_case("2024-01-10 10:00:00", **hr),  # 24 months not over
            self.finished_case("2023-01-10 10:00:00"),  # 60 months not over
        ]
        with freeze_time("2024-01-10 10:00:00"):
            still_open = self.make_case(
                partner_id=self.person.id, description="Persoonlijke uitleg", **roads
            )
        with freeze_time("2025-12-01 08:00:00"):
            before = self.kpis()
            report = self.env["kcc.retention.report"].create({})
            counts = {line.category_id: line.case_count for line in report.line_ids}
            self.assertEqual(report.total_count, 4)
            self.assertEqual(counts[self.category_roads], 2)
            self.assertEqual(counts[self.category_hr], 1)
            self.assertEqual(counts[self.env["kcc.case.category"]], 1)
            # the dry run changed nothing
            self.assertFalse(any(case.anonymised_on for case in expired))
            done, remaining = self.Case._anonymise_expired_batch(limit=3)
            self.assertEqual((done, remaining), (3, 1))
            done, remaining = self.Case._anonymise_expired_batch(limit=3)
            self.assertEqual((done, remaining), (1, 0))
            after = self.kpis()
        self.assertEqual(before, after)
        for case in expired:
            self.assertTrue(case.anonymised_on)
            self.assertFalse(case.partner_id)
            self.assertFalse(case.contact_email)
            self.assertFalse(case.description)
            self.assertFalse(case.resolution)
            self.assertNotIn("Test case", case.subject)
            self.assertIn(case.state, ("closed", "cancelled"))
            self.assertTrue(case.category_id or case == expired[3])
            self.assertFalse(
                self.env["ir.attachment"].search(
                    [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)]
                )
            )
            bodies = " ".join(str(m.body) for m in case.message_ids)
            self.assertNotIn("Els", bodies)
            self.assertFalse(case.message_ids.tracking_value_ids)
            self.assertFalse(case.contact_ids.partner_id)
            self.assertFalse(case.contact_ids.contact_email)
        for case in [*kept, still_open]:
            self.assertFalse(case.anonymised_on)
            self.assertEqual(case.partner_id, self.person)
            self.assertEqual(case.description, "Persoonlijke uitleg")
        log = self.env["kcc.audit.log"].search([("action", "=", "anonymise")])
        self.assertEqual(sum(log.mapped("record_count")), 4)

    def test_new_categories_take_the_retention_from_the_settings(self):
        self.env["ir.config_parameter"].set_param("leuven_kcc.retention_months", 36)
        category = self.env["kcc.case.category"].create({"name": "Nieuw"})
        self.assertEqual(category.retention_months, 36)

    def test_the_cron_reports_its_progress(self):
        self.finished_case("2015-01-10 10:00:00")
        cron = self.env.ref("leuven_kcc.ir_cron_kcc_retention")
        self.assertFalse(cron.active, "the job waits for the dry run")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        self.Case.with_context(
            ir_cron_progress_id=progress.id
        )._cron_anonymise_expired()
        self.assertEqual((progress.done, progress.remaining), (1, 0))


@tagged("post_install", "-at_install")
class TestAuditLogFromTheWebClient(HttpCase):
    def test_opening_the_partner_form_leaves_one_row(self):
        new_test_user(
            self.env, "audit.web", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        person = self.env["res.partner"].create({"name": "Dirk Dossier"})
        self.authenticate("audit.web", "audit.web")
        spec = {"name": {}, "kcc_history_case_ids": {"fields": {"name": {}}}}
        for _attempt in range(2):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.partner/web_read",
                {
                    "model": "res.partner",
                    "method": "web_read",
                    "args": [[person.id]],
                    "kwargs": {"specification": spec},
                },
            )
        logs = self.env["kcc.audit.log"].search(
            [("action", "=", "read_360"), ("res_id", "=", person.id)]
        )
        self.assertEqual(len(logs), 2, "one row per opening")
        self.assertEqual(
            logs.mapped("user_name"),
            ["audit.web (base.group_user,leuven_kcc.group_kcc_agent)"] * 2,
        )

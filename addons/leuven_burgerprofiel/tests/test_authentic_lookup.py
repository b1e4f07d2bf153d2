from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from leuven.tests.fake_authentic_sources import FakeAssociationRegister, FakeMagda

PARAM = "leuven_burgerprofiel.%s"


@tagged("post_install", "-at_install")
class TestAuthenticLookup(TransactionCase):
    """Lookups by KCC agents against local MAGDA and register endpoints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.magda = FakeMagda(max_seconds=600).start()
        cls.addClassCleanup(cls.magda.stop)
        cls.register = FakeAssociationRegister(api_key="vr-key", max_seconds=600)
        cls.register.start()
        cls.addClassCleanup(cls.register.stop)
        params = {
            "magda_environment": "custom",
            "magda_person_url": cls.magda.person_url,
            "magda_company_url": cls.magda.company_url,
            "magda_sender_id": "kbo.0207521503",
            "magda_capacity": "1234",
            "magda_timeout": "5",
            "association_register_url": cls.register.base_url,
            "association_register_api_key": "vr-key",
        }
        Param = cls.env["ir.config_parameter"].sudo()
        for key, value in params.items():
            Param.set_param(PARAM % key, value)
        cls.agent = new_test_user(
            cls.env,
            "lookup.agent",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.privileged_agent = new_test_user(
            cls.env,
            "lookup.agent.rrn",
            groups="base.group_user,leuven_kcc.group_kcc_agent,"
            "leuven_burgerprofiel.group_national_number",
        )
        cls.supervisor = new_test_user(
            cls.env,
            "lookup.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.handler = new_test_user(
            cls.env,
            "lookup.handler",
            groups="base.group_user,leuven_kcc.group_kcc_handler",
        )
        Partner = cls.env["res.partner"].sudo()
        cls.person = Partner.create(
            {"name": "A. Peeters", "national_number": "85073003328"}
        )
        cls.company = Partner.create(
            {"name": "Stad", "is_company": True, "kbo_number": "0207521503"}
        )
        cls.association = Partner.create(
            {"name": "BSM", "is_company": True, "association_code": "V0001027"}
        )
        cls.basis = cls.env.ref("leuven_burgerprofiel.legal_basis_own_request")
        cls.basis_other = cls.env.ref("leuven_burgerprofiel.legal_basis_other")

    def _wizard(self, user, partner, **values):
        Wizard = self.env["burgerprofiel.lookup.wizard"].with_user(user)
        form = Form(Wizard.with_context(default_partner_id=partner.id))
        form.legal_basis_id = values.pop("legal_basis_id", self.basis)
        for key, value in values.items():
            setattr(form, key, value)
        return form.save()

    def _logs(self):
        return self.env["burgerprofiel.lookup.log"].sudo().search([], order="id")

    # -- who may look up

    def test_agent_without_national_number_group_cannot_look_up_a_person(self):
        wizard = (
            self.env["burgerprofiel.lookup.wizard"]
            .with_user(self.agent)
            .create(
                {
                    "partner_id": self.person.id,
                    "source": "person",
                    "identifier": "85073003328",
                    "legal_basis_id": self.basis.id,
                }
            )
        )
        logs, calls = len(self._logs()), len(self.magda.requests)
        with self.assertRaises(AccessError):
            wizard.action_look_up()
        self.assertEqual(len(self.magda.requests), calls, "MAGDA was not asked")
        self.assertEqual(len(self._logs()), logs)
        self.assertFalse(wizard.may_look_up_person)

    def test_agent_does_not_get_the_national_number_as_default(self):
        wizard = self._wizard(self.agent, self.person)
        self.assertEqual(wizard.source, "person")
        self.assertFalse(wizard.identifier)

    def test_handler_cannot_look_up(self):
        with self.assertRaises(AccessError):
            self.env["burgerprofiel.lookup.wizard"].with_user(self.handler).create(
                {
                    "partner_id": self.company.id,
                    "source": "company",
                    "identifier": "0207521503",
                    "legal_basis_id": self.basis.id,
                }
            )

    # -- lookups, the log and the apply step

    def test_person_lookup_logs_and_applies(self):
        wizard = self._wizard(
            self.privileged_agent,
            self.person,
            legal_basis_note="case KCC/2026/000042",
        )
        self.assertEqual(wizard.identifier, "85073003328")
        wizard.action_look_up()
        self.assertEqual(wizard.state, "found")
        self.assertEqual(wizard.found_name, "Ann Peeters")
        self.assertEqual(wizard.found_birth_date, "1985-07-30")
        self.assertEqual(wizard.current_name, "A. Peeters")
        log = self._logs()[-1]
        self.assertEqual(log.user_id, self.privileged_agent)
        self.assertEqual(log.partner_id, self.person)
        self.assertEqual(log.source, "person")
        self.assertEqual(log.result, "found")
        self.assertEqual(log.identifier_masked, "85.07.30-xxx.xx")
        self.assertEqual(log.legal_basis_id, self.basis)
        self.assertIn("case KCC/2026/000042", log.legal_basis)
        self.assertIn(self.basis.name, log.legal_basis)
        self.assertTrue(log.reference)
        wizard.action_apply()
        self.assertEqual(self.person.name, "Ann Peeters")
        self.assertEqual(self.person.street, "Naamsestraat 96 bus 0101")
        self.assertEqual((self.person.zip, self.person.city), ("3000", "Leuven"))
        self.assertEqual(self.person.country_id, self.env.ref("base.be"))

    def test_company_lookup_by_agent_applies(self):
        wizard = self._wizard(self.agent, self.company)
        self.assertEqual(wizard.source, "company")
        wizard.action_look_up()
        self.assertEqual(wizard.state, "found", wizard.message)
        self.assertEqual(wizard.found_legal_form, "Gemeente")
        wizard.action_apply()
        self.assertEqual(self.company.name, "Stad Leuven")
        self.assertEqual(self.company.street, "Professor Van Overstraetenplein 1")
        self.assertEqual(self._logs()[-1].result, "found")

    def test_association_lookup_fills_contact_data(self):
        wizard = self._wizard(self.agent, self.association)
        self.assertEqual(wizard.source, "association")
        wizard.action_look_up()
        self.assertEqual(wizard.state, "found", wizard.message)
        wizard.action_apply()
        self.assertEqual(self.association.name, "Buurtcomité Sint-Maartensdal")
        self.assertEqual(self.association.email, "info@bsm.example")
        self.assertEqual(self.association.phone, "016 12 34 56")
        self.assertEqual(self.association.kbo_number, "0207.521.503")
        self.assertEqual(self.association.street, "Sint-Maartensstraat 12 bus B")
        log = self._logs()[-1]
        self.assertEqual(
            (log.source, log.identifier_masked), ("association", "V0001027")
        )

    def test_not_found_and_errors_are_logged_too(self):
        wizard = self._wizard(
            self.agent, self.company, source="company", identifier="0403170701"
        )
        wizard.action_look_up()
        self.assertEqual(wizard.state, "failed")
        self.assertEqual(self._logs()[-1].result, "not_found")
        self.magda.mode = "fault"
        self.addCleanup(setattr, self.magda, "mode", "normal")
        wizard = self._wizard(self.agent, self.company)
        wizard.action_look_up()
        self.assertEqual(wizard.state, "failed")
        log = self._logs()[-1]
        self.assertEqual(log.result, "error")
        self.assertIn("SOAP fault", log.message)
        self.assertEqual(self.company.name, "Stad", "nothing applied")

    def test_register_refusing_the_key_is_an_error_in_the_log(self):
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM % "association_register_api_key", "wrong"
        )
        wizard = self._wizard(self.agent, self.association)
        wizard.action_look_up()
        self.assertEqual(wizard.state, "failed")
        self.assertIn("API key", wizard.message)
        self.assertEqual(self._logs()[-1].result, "error")

    def test_explanation_required_for_other(self):
        wizard = (
            self.env["burgerprofiel.lookup.wizard"]
            .with_user(self.agent)
            .create(
                {
                    "partner_id": self.company.id,
                    "source": "company",
                    "identifier": "0207521503",
                    "legal_basis_id": self.basis_other.id,
                }
            )
        )
        with self.assertRaises(UserError):
            wizard.action_look_up()

    # -- the log itself

    def test_log_is_read_only_and_restricted(self):
        self._wizard(self.agent, self.company).action_look_up()
        log = self._logs()[-1]
        Log = self.env["burgerprofiel.lookup.log"]
        # agents (without the national-number group) do not read it
        with self.assertRaises(AccessError):
            Log.with_user(self.agent).browse(log.id).read(["result"])
        # supervisors read it, nobody changes or deletes it
        self.assertEqual(Log.with_user(self.supervisor).browse(log.id).result, "found")
        self.assertTrue(
            Log.with_user(self.privileged_agent).search([("id", "=", log.id)])
        )
        for user in (self.agent, self.supervisor, self.privileged_agent):
            with self.assertRaises(AccessError):
                Log.with_user(user).browse(log.id).write({"result": "error"})
            with self.assertRaises(AccessError):
                Log.with_user(user).browse(log.id).unlink()
            with self.assertRaises(AccessError):
                Log.with_user(user).create(
                    {
                        "user_id": user.id,
                        "source": "company",
                        "legal_basis": "x",
                        "result": "found",
                    }
                )

    def test_log_outlives_the_partner(self):
        partner = (
            self.env["res.partner"]
            .sudo()
            .create(
                {"name": "Tijdelijk", "is_company": True, "kbo_number": "0207521503"}
            )
        )
        self._wizard(self.agent, partner).action_look_up()
        log = self._logs()[-1]
        partner.unlink()
        log.invalidate_recordset()
        self.assertTrue(log.exists())
        self.assertFalse(log.partner_id)
        self.assertEqual(log.partner_name, "Tijdelijk")
        self.assertEqual(log.identifier_masked, "0207.521.503")

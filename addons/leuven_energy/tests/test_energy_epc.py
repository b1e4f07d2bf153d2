import datetime as dt

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from leuven.testing.fake_epc import SAMPLE_CERTIFICATES, FakeEpc

from .common import EnergyFixture


@tagged("post_install", "-at_install")
class TestEnergyEpc(EnergyFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_energy()
        # the sample certificate of "2990002" under an address id of its own
        # (the demo's dwelling may hold "2990002")
        cls.fake = FakeEpc([("2990002", *SAMPLE_CERTIFICATES[0][1:])])
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.endpoint = cls.env.ref("leuven_energy.kcc_outbox_endpoint_epc")
        cls.endpoint.write(
            {"url": cls.fake.base_url, "connect_timeout": 2, "read_timeout": 2}
        )

    def setUp(self):
        super().setUp()
        self.fake.fail_next = 0
        self.fake.delay = 0.0
        self.fake.fail_mode = "status"

    def dwelling(self, register_id):
        self.owned.address_register_id = register_id
        return self.owned.with_user(self.coach)

    def last_note(self):
        """The bodies of the dwelling's notes (a failure posts one)."""
        return " ".join(self.owned.message_ids.mapped(lambda m: str(m.body or "")))

    def test_lookup_found(self):
        dwelling = self.dwelling("2990002")
        dwelling.action_epc_lookup()
        self.assertEqual(dwelling.epc_label, "E")
        self.assertEqual(dwelling.epc_score, 512.0)
        self.assertEqual(dwelling.epc_certificate_number, "20190612-0002012345-RES-1")
        self.assertEqual(dwelling.epc_issued_on, dt.date(2019, 6, 12))
        self.assertEqual(dwelling.epc_source, "lookup")
        self.assertEqual(dwelling.epc_checked_on, fields.Date.today())
        self.assertIn("EPC database", self.last_note())
        # the trajectory keeps it as its label "before"
        self.assertEqual(self.trajectory.epc_label_start, "E")
        self.assertFalse(self.trajectory.epc_improved)
        self.assertEqual(self.fake.requests[-1][1], {"adresObjectId": "2990002"})

    def test_lookup_not_found_leaves_the_dwelling(self):
        dwelling = self.dwelling("2999999")
        action = dwelling.action_epc_lookup()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertFalse(dwelling.epc_label)
        self.assertIn("no certificate", self.last_note())

    def test_lookup_unavailable(self):
        self.fake.fail_next = 1
        dwelling = self.dwelling("2990002")
        dwelling.action_epc_lookup()
        self.assertFalse(dwelling.epc_label)
        self.assertIn("did not answer", self.last_note())

    def test_lookup_timeout(self):
        self.endpoint.read_timeout = 0.3
        self.fake.delay = 1.0
        dwelling = self.dwelling("2990002")
        dwelling.action_epc_lookup()
        self.assertFalse(dwelling.epc_label)
        self.assertIn("did not answer", self.last_note())

    def test_lookup_malformed(self):
        self.fake.fail_next = 1
        self.fake.fail_mode = "malformed"
        dwelling = self.dwelling("2990002")
        dwelling.action_epc_lookup()
        self.assertFalse(dwelling.epc_label)
        self.assertIn("could not be read", self.last_note())

    def test_lookup_not_configured(self):
        self.endpoint.url = False
        dwelling = self.dwelling("2990002")
        dwelling.action_epc_lookup()
        self.assertFalse(dwelling.epc_label)
        self.assertIn("did not answer", self.last_note())

    def test_lookup_needs_an_address_id(self):
        self.owned.address_register_id = False
        with self.assertRaises(UserError):
            self.owned.with_user(self.coach).action_epc_lookup()

    def test_lookup_refused_to_a_kcc_agent(self):
        self.owned.address_register_id = "2990002"
        with self.assertRaises(AccessError):
            self.owned.with_user(self.agent).action_epc_lookup()
        self.assertFalse(self.owned.epc_label)

    def manual(self, **values):
        wizard = (
            self.env["energy.epc.manual.wizard"]
            .with_user(self.coach)
            .create({"dwelling_id": self.owned.id, **values})
        )
        return wizard.action_confirm()

    def test_manual_entry(self):
        self.manual(
            label="D", score="380,5", issued_on="2024-09-20", certificate_number="X-1"
        )
        self.assertEqual(self.owned.epc_label, "D")
        self.assertEqual(self.owned.epc_score, 380.5)
        self.assertEqual(self.owned.epc_source, "manual")
        self.assertEqual(self.owned.epc_valid_until, dt.date(2034, 9, 20))
        self.assertIn("by hand", self.last_note())

    def test_manual_entry_refused(self):
        today = fields.Date.today()
        cases = [
            ({"score": "300", "issued_on": "2024-01-01"}, "label"),
            ({"label": "C", "score": "veel", "issued_on": "2024-01-01"}, "number"),
            ({"label": "C", "score": "5000", "issued_on": "2024-01-01"}, "between"),
            ({"label": "C", "score": "300"}, "date of issue"),
            (
                {
                    "label": "C",
                    "score": "300",
                    "issued_on": today + dt.timedelta(days=3),
                },
                "future",
            ),
            ({"label": "C", "score": "300", "issued_on": "2001-01-01"}, "first EPCs"),
            (
                {
                    "label": "C",
                    "score": "300",
                    "issued_on": "2024-01-01",
                    "valid_until": "2023-01-01",
                },
                "after the date of issue",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaises(UserError) as err:
                self.manual(**values)
            self.assertIn(message, str(err.exception))
        self.assertFalse(self.owned.epc_label)

    def test_improvement_before_after(self):
        self.manual(label="E", score="512", issued_on="2019-06-12")
        self.assertEqual(self.trajectory.epc_label_start, "E")
        self.trajectory.with_user(self.coach).quote_received = True
        self.trajectory.with_user(self.coach).stage_id = self.stage["works_done"]
        self.manual(label="C", score="240", issued_on="2024-05-02")
        self.assertEqual(self.trajectory.epc_label_start, "E")
        self.assertEqual(self.trajectory.epc_label_now, "C")
        self.assertEqual(self.trajectory.epc_steps, 2)
        self.assertTrue(self.trajectory.epc_improved)
        improved = (
            self.env["guidance.trajectory"]
            .with_user(self.coach)
            .search(
                [("epc_improved", "=", True), ("dwelling_ids", "in", self.owned.ids)]
            )
        )
        self.assertEqual(improved.filtered("dwelling_ids"), self.trajectory)

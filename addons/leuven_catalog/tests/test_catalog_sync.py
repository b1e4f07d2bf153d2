import copy
from datetime import datetime

from odoo import sql_db
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from leuven.catalog.client import IpdcClient
from leuven.testing.fake_ipdc import FakeIpdc, synthetic_members


@tagged("post_install", "-at_install")
class TestCatalogSync(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeIpdc(synthetic_members(12), page_size=5)
        feed = cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        params = cls.env["ir.config_parameter"]
        params.set_param("leuven_catalog.feed_url", feed)
        params.set_param("leuven_catalog.api_key", "test-key")
        cls.Product = cls.env["catalog.product"].with_context(active_test=False)

    def setUp(self):
        super().setUp()
        self.fake.members = synthetic_members(12)
        self.fake.fail_next = 0
        self.ids = [m["isVersionOf"] for m in self.fake.members]

    def sync(self, full=False):
        client = IpdcClient(
            self.fake.feed_url, api_key="test-key", sleep=lambda seconds: None
        )
        return self.Product._sync(full=full, client=client)

    def products(self):
        return self.Product.search([("ipdc_id", "in", self.ids)])

    def test_first_sync_creates_the_products_in_dutch(self):
        log = self.sync()
        self.assertEqual(
            (log.state, log.created_count, log.failed_count), ("done", 12, 0)
        )
        products = self.products()
        self.assertEqual(len(products), 12)
        first = products.filtered(lambda p: p.ipdc_id == self.ids[0])
        dutch = first.with_context(lang="nl_BE")
        self.assertTrue(dutch.name.startswith("Elektronische identiteitskaart"))
        self.assertIn("Stadskantoor", dutch.description)
        if "en_US" in dict(self.env["res.lang"].get_installed()):
            # without English installed, the source text is the Dutch one
            self.assertEqual(first.with_context(lang="en_US").name[:8], "Electron")
        self.assertEqual(first.theme_ids.code, "BurgerOverheid")
        self.assertEqual(first.target_group_ids.mapped("code"), ["Burger"])
        self.assertIn("016 27 20 00", first.contact_points)
        self.assertIn("Afspraak maken", dutch.procedure)
        self.assertEqual(first.product_number, "1502")
        self.assertTrue(first.is_published)

    def test_second_run_changes_nothing(self):
        self.sync()
        before = {p.id: (p.write_date, p.snapshot_id) for p in self.products()}
        requests = self.fake.requests
        log = self.sync()
        self.assertEqual((log.created_count, log.updated_count), (0, 0))
        self.assertLessEqual(self.fake.requests - requests, 1)
        full = self.sync(full=True)
        self.assertEqual(
            (full.created_count, full.updated_count, full.unchanged_count), (0, 0, 12)
        )
        self.assertEqual(
            before, {p.id: (p.write_date, p.snapshot_id) for p in self.products()}
        )

    def test_changes_and_withdrawals_are_taken_over(self):
        self.sync()
        changed = copy.deepcopy(self.fake.members[2])
        changed["@id"] += "-v2"
        changed["naam"]["nl-BE-x-formal"] = "Nieuwe naam"
        withdrawn = copy.deepcopy(self.fake.members[4])
        withdrawn["@id"] += "-v2"
        withdrawn["gearchiveerd"] = True
        self.fake.publish(changed)
        self.fake.publish(withdrawn)
        log = self.sync()
        self.assertEqual((log.updated_count, log.archived_count), (1, 1))
        product = self.Product.search([("ipdc_id", "=", changed["isVersionOf"])])
        self.assertEqual(product.with_context(lang="nl_BE").name, "Nieuwe naam")
        gone = self.Product.search([("ipdc_id", "=", withdrawn["isVersionOf"])])
        self.assertFalse(gone.active)

    def test_a_broken_product_does_not_stop_the_others(self):
        broken = copy.deepcopy(self.fake.members[1])
        del broken["naam"]
        broken["zomaarveld"] = 1
        self.fake.members[1] = broken
        log = self.sync()
        self.assertEqual((log.created_count, log.failed_count), (11, 1))
        errors = log.line_ids.filtered(lambda line: line.level == "error")
        self.assertEqual(errors.product_ref, broken["isVersionOf"])
        self.assertIn("zomaarveld", " ".join(log.line_ids.mapped("message")))

    def test_a_product_without_a_dutch_title_is_reported_not_taken_over(self):
        english = copy.deepcopy(self.fake.members[1])
        english["naam"] = {"en": "Electronic identity card", "fr": "Carte"}
        self.fake.members[1] = english
        log = self.sync()
        self.assertEqual((log.created_count, log.failed_count), (11, 1))
        error = log.line_ids.filtered(lambda line: line.level == "error")
        self.assertEqual(error.product_ref, english["isVersionOf"])
        self.assertIn("no Dutch title", error.message)
        self.assertFalse(
            self.Product.search([("ipdc_id", "=", english["isVersionOf"])])
        )

    def test_source_times_with_an_offset_are_stored_in_utc(self):
        dated = self.fake.members[2]
        dated["laatstGewijzigd"] = "2024-05-01T12:00:17.94052+02:00"
        self.sync()
        product = self.Product.search([("ipdc_id", "=", dated["isVersionOf"])])
        self.assertEqual(product.modified_at, datetime(2024, 5, 1, 10, 0, 17))

    def test_unreachable_feed_fails_visibly_and_keeps_the_checkpoint(self):
        self.sync()
        self.fake.fail_next = 50
        log = self.sync()
        self.assertEqual(log.state, "failed")
        self.assertIn("gave up", log.error)
        self.fake.fail_next = 0
        self.assertEqual(self.sync().created_count, 0)

    def test_concurrent_runs_are_prevented(self):
        # another server process holds the lock: a second, real connection
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_advisory_lock(74637001)")
            try:
                with self.assertRaisesRegex(UserError, "already running"):
                    self.sync()
            finally:
                other.execute("SELECT pg_advisory_unlock(74637001)")

    def test_missing_configuration(self):
        self.env["ir.config_parameter"].set_param("leuven_catalog.feed_url", "")
        with self.assertRaisesRegex(UserError, "IPDC feed"):
            self.Product._sync()

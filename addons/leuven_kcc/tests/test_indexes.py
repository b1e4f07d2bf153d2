from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestIndexes(TransactionCase):
    """The open-case lists are served by partial indexes (bench/README.md)."""

    def index_definition(self, name):
        self.env.cr.execute(
            SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", name)
        )
        row = self.env.cr.fetchone()
        return row[0] if row else ""

    def test_handler_queue_index_covers_the_record_rule(self):
        definition = self.index_definition("kcc_case_open_group_idx")
        self.assertIn("(handler_group_id, priority DESC", definition)
        self.assertIn("INCLUDE (user_id, is_confidential)", definition)
        self.assertIn("WHERE is_open", definition)

    def test_open_list_index_in_list_order(self):
        definition = self.index_definition("kcc_case_open_order_idx")
        self.assertIn("(priority DESC, date_received DESC, id DESC)", definition)
        self.assertIn("WHERE is_open", definition)
        order = self.env["kcc.case"]._order
        self.assertEqual(order, "priority desc, date_received desc, id desc")

    def test_customer_history_indexes_latest_first(self):
        """The 360° reads a customer's latest cases and contacts, and counts
        them, from these indexes (with the columns the access rules need)."""
        cases = self.index_definition("kcc_case_customer_history_idx")
        self.assertIn("(commercial_partner_id, date_received DESC, id DESC)", cases)
        self.assertIn("INCLUDE (is_open, is_confidential, handler_group_id)", cases)
        contacts = self.index_definition("kcc_contact_customer_history_idx")
        self.assertIn("(commercial_partner_id, date DESC, id DESC)", contacts)
        self.assertIn("INCLUDE (case_confidential, handler_group_id)", contacts)

    def test_late_list_counted_from_the_deadline_index(self):
        definition = self.index_definition("kcc_case_open_deadline_idx")
        self.assertIn("(deadline)", definition)
        self.assertIn(
            "INCLUDE (deadline_paused_on, answered_late, is_confidential, "
            "handler_group_id, is_open)",
            definition,
        )
        self.assertIn("WHERE is_open", definition)

    def test_sensitive_cases_indexed_for_the_attachment_rule(self):
        definition = self.index_definition("kcc_case_sensitive_idx")
        self.assertIn("(handler_group_id)", definition)
        self.assertIn("WHERE sensitive", definition)

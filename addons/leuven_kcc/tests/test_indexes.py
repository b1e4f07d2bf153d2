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
        self.assertIn("INCLUDE (user_id)", definition)
        self.assertIn("WHERE is_open", definition)

    def test_open_list_index_in_list_order(self):
        definition = self.index_definition("kcc_case_open_order_idx")
        self.assertIn("(priority DESC, date_received DESC, id DESC)", definition)
        self.assertIn("WHERE is_open", definition)
        order = self.env["kcc.case"]._order
        self.assertEqual(order, "priority desc, date_received desc, id desc")

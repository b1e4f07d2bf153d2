"""Every open case gets a deadline.

A case without a category had none (not even after a transfer) and could
never be late. Open cases without a deadline get the one of their handler
group's default response time (``default_response_days``, set on every group
by its default), counted from the day they were received.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

BATCH = 500


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    cr.execute("SELECT id FROM kcc_case WHERE deadline IS NULL AND is_open")
    ids = [row[0] for row in cr.fetchall()]
    Case = env["kcc.case"]
    for start in range(0, len(ids), BATCH):
        cases = Case.browse(ids[start : start + BATCH])
        cases._apply_deadline()
        cases.flush_recordset()
        cases.invalidate_recordset()
    _logger.info("Deadline set on %s open cases that had none", len(ids))

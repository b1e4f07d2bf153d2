"""The digital assistant and Mijn Burgerprofiel channels now belong to their
addons (``selection_add`` on ``kcc.channel.mixin``). A database without one of
them may still hold records of its channel (the demo generator used every
channel): they move to the channel they fall back to when the addon is
uninstalled, and routing rules of the missing channel are removed.
"""

from odoo.tools.sql import SQL

# channel: (the addon that brings it, its fallback)
MOVED = {
    "assistant": ("leuven_assistant", "web_form"),
    "burgerprofiel": ("leuven_burgerprofiel", "portal"),
}
TABLES = ("kcc_case", "kcc_contact", "kcc_case_reporter")


def migrate(cr, version):
    for channel, (addon, fallback) in MOVED.items():
        cr.execute(
            "SELECT 1 FROM ir_module_module WHERE name = %s "
            "AND state IN ('installed', 'to upgrade', 'to install')",
            [addon],
        )
        if cr.fetchone():
            continue
        for table in TABLES:
            cr.execute(
                SQL(
                    "UPDATE %s SET channel = %s WHERE channel = %s",
                    SQL.identifier(table),
                    fallback,
                    channel,
                )
            )
        cr.execute("DELETE FROM kcc_routing_rule WHERE channel = %s", [channel])

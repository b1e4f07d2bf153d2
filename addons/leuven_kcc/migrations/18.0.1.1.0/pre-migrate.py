"""The case description moves to ``description_text``; ``description`` is now
computed (masked on sensitive cases for users outside the need-to-know groups)."""

from odoo.tools.sql import column_exists, rename_column


def migrate(cr, version):
    if column_exists(cr, "kcc_case", "description") and not column_exists(
        cr, "kcc_case", "description_text"
    ):
        rename_column(cr, "kcc_case", "description", "description_text")

"""Contacts keep their case's handler group (for the access rules); the
customer's history and the late list get covering indexes.

The new column is filled in one statement instead of a recomputation of
every contact through the ORM; the indexes that are replaced are dropped
and the new ones are made by ``init()``.
"""

from odoo.tools.sql import SQL, column_exists, create_column, drop_index


def migrate(cr, version):
    if not column_exists(cr, "kcc_contact", "handler_group_id"):
        create_column(cr, "kcc_contact", "handler_group_id", "int4")
        cr.execute(
            SQL(
                "UPDATE kcc_contact AS contact SET handler_group_id = c.handler_group_id "
                "FROM kcc_case AS c WHERE c.id = contact.case_id "
                "AND c.handler_group_id IS NOT NULL"
            )
        )
    # replaced by the history indexes (customer first, latest first)
    drop_index(cr, "kcc_contact__commercial_partner_id_index", "kcc_contact")
    drop_index(cr, "kcc_case__commercial_partner_id_index", "kcc_case")
    # remade with the columns the late list, the queue and the rules need
    drop_index(cr, "kcc_case_open_deadline_idx", "kcc_case")
    drop_index(cr, "kcc_case_open_group_idx", "kcc_case")

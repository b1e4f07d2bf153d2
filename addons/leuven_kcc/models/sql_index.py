"""Indexes the ORM cannot declare: several columns, ``INCLUDE`` and ``WHERE``."""

from odoo.tools import SQL
from odoo.tools.sql import index_exists


def ensure_index(cr, name, table, columns, include=(), where=None):
    """Create index ``name`` on ``table`` unless it exists.

    ``columns``, ``include`` and ``where`` are SQL fragments written in the
    code (never user input), e.g. ``["priority DESC", "id DESC"]``.
    """
    if index_exists(cr, name):
        return
    cr.execute(
        SQL(
            "CREATE INDEX %s ON %s (%s)%s%s",
            SQL.identifier(name),
            SQL.identifier(table),
            SQL(", ".join(columns)),
            SQL(" INCLUDE (%s)", SQL(", ".join(include))) if include else SQL(),
            SQL(" WHERE %s", SQL(where)) if where else SQL(),
        )
    )

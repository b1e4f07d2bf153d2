"""Case logic without Odoo: states, routing-rule matching, deadline maths."""

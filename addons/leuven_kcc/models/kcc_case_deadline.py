from odoo import models

from leuven.kcc import states


class KccCase(models.Model):
    """Every open case has a deadline: one without when it gets a category
    or moves to another group (a transfer) gets it then, computed from the
    day it was received, as at the intake."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        undated = self.browse()
        if {"category_id", "handler_group_id"} & vals.keys() and "deadline" not in vals:
            undated = self.filtered(
                lambda c: not c.deadline and c.state in states.OPEN_STATES
            )
        result = super().write(vals)
        if undated:
            undated._apply_deadline()
        return result

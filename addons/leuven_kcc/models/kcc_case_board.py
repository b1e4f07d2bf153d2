from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from leuven.kcc import states

#: states a card may not be dragged to on the board: their button asks for
#: more (the question to the customer, the answer, the reason, the original)
BUTTON_STATES = frozenset(
    {states.WAITING, states.ANSWERED, states.CANCELLED, states.DUPLICATE}
)


def state_order_sql(column):
    """SQL ordering ``column`` (a state) in the life cycle's order."""
    cases = SQL(" ").join(
        SQL("WHEN %s THEN %s", state, rank) for rank, state in enumerate(states.STATES)
    )
    return SQL("CASE %s %s ELSE %s END", column, cases, len(states.STATES))


class KccCase(models.Model):
    """The cases on the board and in the reports: states in the order of the
    life cycle, cards moved only where the life cycle allows it."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    state = fields.Selection(group_expand="_group_expand_states")

    @api.model
    def _group_expand_states(self, values, domain):
        """The board's columns: the open states and any other state that has
        cases, in the life cycle's order."""
        shown = set(values) | states.OPEN_STATES - {states.REOPENED}
        return [state for state in states.STATES if state in shown]

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        # group by state (pivot, graph, kanban): in the life cycle's order,
        # not by the alphabet of the keys
        if "state" in groupby_terms:
            groupby_terms = dict(
                groupby_terms, state=state_order_sql(groupby_terms["state"])
            )
        return super()._read_group_orderby(order, groupby_terms, query)

    def web_save(self, vals, specification, next_id=None):
        # the web client writes a state only when a card is dragged on the
        # board (the form's status bar is not clickable)
        if "state" in vals:
            self._check_drag(vals["state"])
        return super().web_save(vals, specification, next_id=next_id)

    def _check_drag(self, target):
        for case in self:
            if case.state == target:
                continue
            if target in BUTTON_STATES:
                raise UserError(case._drag_refused_message(target))
            case._check_transition(target)

    def _drag_refused_message(self, target):
        _ = self.env._
        button = {
            states.WAITING: _("Wait on Customer"),
            states.ANSWERED: _("Mark as Answered"),
            states.CANCELLED: _("Cancel"),
            states.DUPLICATE: _("Mark as Duplicate"),
        }[target]
        return _(
            "Case %(ref)s cannot be moved to '%(state)s' on the board: open the "
            "case and use the button '%(button)s'.",
            ref=self.name,
            state=self._state_label(target),
            button=button,
        )

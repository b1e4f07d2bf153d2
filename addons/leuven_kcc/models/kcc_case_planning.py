import datetime as dt

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError

from leuven.kcc import inputs

from .kcc_case import (
    PLANNING_NOTE_LIMIT,
    WORK_ORDER_PROGRESS,
    WORK_ORDER_STATES,
)

PLANNING_GROUP = "leuven_kcc.group_kcc_planning_webhook"


class KccCase(models.Model):
    """Work orders for the crews' planning system, sent through the outbox."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    work_order_ref = fields.Char(
        string="Work Order", copy=False, readonly=True, index="btree_not_null"
    )
    work_order_state = fields.Selection(
        WORK_ORDER_STATES, copy=False, readonly=True, tracking=True
    )
    work_order_date = fields.Date(copy=False, readonly=True)
    work_order_note = fields.Text(copy=False, readonly=True)

    def _work_order_payload(self):
        self.ensure_one()
        base_url = self.get_base_url()
        return {
            "work_order_id": self.work_order_ref,
            "case_reference": self.name,
            "category": self.category_id.name,
            "subject": self.subject,
            # the crews get the text whoever moved the case (an agent may not
            # read a sensitive case's description, the planning system needs it)
            "description": self.sudo().description_text or "",
            "priority": self.priority,
            "deadline": self.deadline,
            "location": {
                "street": self.street or "",
                "postcode": self.postcode or "",
                "city": self.city or "",
                "latitude": self.latitude or None,
                "longitude": self.longitude or None,
            },
            "status_callback": f"{base_url}/kcc/api/planning/status",
        }

    def _queue_work_order(self):
        """Send public-domain work to the crews' planning system, via the outbox
        (its endpoint ``planning``)."""
        for case in self.filtered(
            lambda c: c.category_id.planning_system and not c.work_order_ref
        ):
            case.sudo().write(
                {"work_order_ref": f"WO-{case.name}", "work_order_state": "queued"}
            )
            self.env["kcc.outbox"]._enqueue(
                "planning",
                f"planning:{case.work_order_ref}",
                case._work_order_payload(),
                record=case,
                name=self.env._("Work order %(ref)s", ref=case.work_order_ref),
            )

    def _on_outbox_sent(self, message):
        if message.target == "planning" and self.work_order_state == "queued":
            self.work_order_state = "sent"

    def _on_outbox_failed(self, message):
        if message.target == "planning":
            self.work_order_state = "failed"
            self.message_post(
                body=self.env._(
                    "The work order could not be sent to the planning system: "
                    "%(error)s",
                    error=message.last_error or message.last_status,
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _check_planning_caller(self):
        """Refuse anyone but the planning system's technical user (or the
        system itself) to report on work orders."""
        if not (self.env.su or self.env.user.has_group(PLANNING_GROUP)):
            raise AccessError(
                self.env._("Only the planning system reports on work orders.")
            )

    @api.model
    def _planning_status_update(self, work_order_ref, status, date=None, note=None):
        """Apply a status update from the planning system.

        Returns ``"updated"``, ``"unchanged"`` (a replay) or ``"ignored"`` (an
        older status arriving late). Raises ``LookupError`` for an unknown
        work order and ``ValueError`` for a bad status or date; only the
        planning system's technical user (or the system itself) may call it.
        """
        self._check_planning_caller()
        if not isinstance(status, str) or status not in WORK_ORDER_PROGRESS:
            raise ValueError(f"unknown status {str(status)[:40]!r}")
        if date and not isinstance(date, (str, dt.date)):
            raise ValueError("the date must be a date (YYYY-MM-DD)")
        when = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        if note is not None and not isinstance(note, str):
            raise ValueError("the note must be text")
        # machine text reaches the citizen: plain text, capped, never markup
        note = inputs.clip_text(note, PLANNING_NOTE_LIMIT).strip()
        case = self.sudo().search([("work_order_ref", "=", work_order_ref)], limit=1)
        if not case:
            raise LookupError(work_order_ref)
        current = case.work_order_state
        if current == status:
            return "unchanged"
        if current in WORK_ORDER_PROGRESS and WORK_ORDER_PROGRESS.index(
            current
        ) > WORK_ORDER_PROGRESS.index(status):
            return "ignored"
        case.write(
            {
                "work_order_state": status,
                "work_order_date": when,
                "work_order_note": note or False,
            }
        )
        _ = self.env._
        texts = {
            "planned": _("The work is planned for %(date)s.", date=when),
            "in_progress": _("The crews started the work on %(date)s.", date=when),
            "done": _("The work was done on %(date)s.", date=when),
        }
        lines = [texts[status], *note.splitlines()]
        body = Markup("<p>%s</p>") % Markup("<br/>").join(
            line.strip() for line in lines if line.strip()
        )
        if status == "done" and case.is_open:
            if case.state != "in_progress":
                if case.state == "new":
                    case.write({"state": "assigned"})
                case.write({"state": "in_progress"})
            case.write({"resolution": body, "first_line": False})
            case.write({"state": "answered"})
        case.message_post(
            body=body,
            subtype_xmlid="mail.mt_comment",
            partner_ids=case.partner_id.ids,
        )
        return "updated"

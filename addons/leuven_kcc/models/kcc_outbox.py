import json
import logging

from odoo import api, fields, models
from odoo.tools import SQL

from leuven.kcc import outbox as delivery

_logger = logging.getLogger(__name__)

BATCH_PARAM = "leuven_kcc.outbox_batch_size"


class KccOutbox(models.Model):
    """A message for a remote service, sent by a cron with retry and backoff.

    The business transaction only records the message; a remote failure never
    blocks or loses the record it is about, and the outcome is visible here.
    Where and how it goes (address, credentials, timeouts) is its endpoint's,
    read when it is sent.
    """

    _name = "kcc.outbox"
    _description = "Outgoing Message"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    target = fields.Char(required=True, readonly=True, index=True)
    key = fields.Char(
        required=True, readonly=True, help="Idempotency key: one message per key."
    )
    endpoint_id = fields.Many2one(
        "kcc.outbox.endpoint", readonly=True, index=True, ondelete="restrict"
    )
    # the case's text (and a national number for Mijn Burgerprofiel):
    # only the administrators, who configure the endpoints, read it
    payload = fields.Text(readonly=True, groups="leuven_kcc.group_kcc_admin")
    res_model = fields.Char(readonly=True)
    res_id = fields.Many2oneReference(model_field="res_model", readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("sent", "Sent"),
            ("failed", "Failed"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(
        default=fields.Datetime.now, readonly=True, index=True
    )
    last_status = fields.Integer(string="Last HTTP Status", readonly=True)
    last_error = fields.Text(readonly=True)
    sent_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("key_uniq", "unique(key)", "This message was already queued."),
    ]

    @api.model
    def _enqueue(self, target, key, payload, record=None, name=None):
        """Queue a message for the endpoint whose code is ``target``, once
        per ``key``; returns the outbox row."""
        existing = self.sudo().search([("key", "=", key)], limit=1)
        if existing:
            return existing
        endpoint = self.env["kcc.outbox.endpoint"]._for_target(target)
        return self.sudo().create(
            {
                "name": name or key,
                "target": target,
                "key": key,
                "endpoint_id": endpoint.id,
                "payload": json.dumps(payload, default=str, ensure_ascii=False),
                "res_model": record._name if record else False,
                "res_id": record.id if record else False,
            }
        )

    def _due_domain(self):
        """Messages to send now: pending, their time come, their endpoint not
        archived (an archived endpoint holds its messages back)."""
        return [
            ("state", "=", "pending"),
            ("next_attempt", "<=", fields.Datetime.now()),
            "|",
            ("endpoint_id", "=", False),
            ("endpoint_id.active", "=", True),
        ]

    def _deliver(self):
        """One attempt for each row; rows are locked so two runs never send twice."""
        if not self:
            return
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM kcc_outbox WHERE id IN %s AND state = 'pending' "
                "FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        locked_ids = {row[0] for row in self.env.cr.fetchall()}
        locked = self.filtered(lambda row: row.id in locked_ids)  # in self's order
        for row in locked:
            endpoint = row.endpoint_id.sudo()
            if not endpoint.url:
                row._record_failure(
                    delivery.Outcome(False, False, detail="no endpoint configured")
                )
                continue
            outcome = delivery.post_json(
                endpoint.url,
                json.loads(row.sudo().payload or "{}"),
                idempotency_key=row.key,
                **endpoint._delivery_options(),
            )
            if outcome.ok:
                row.write(
                    {
                        "state": "sent",
                        "attempts": row.attempts + 1,
                        "sent_at": fields.Datetime.now(),
                        "last_status": outcome.status,
                        "last_error": False,
                    }
                )
                row._notify_source("_on_outbox_sent")
            else:
                row._record_failure(outcome)

    def _record_failure(self, outcome):
        self.ensure_one()
        attempts = self.attempts + 1
        retry_at = (
            delivery.next_attempt(fields.Datetime.now(), attempts)
            if outcome.retry
            else None
        )
        self.write(
            {
                "attempts": attempts,
                "last_status": outcome.status or 0,
                "last_error": outcome.detail,
                "state": "pending" if retry_at else "failed",
                "next_attempt": retry_at or self.next_attempt,
            }
        )
        _logger.info(
            "Outbox %s (%s) attempt %s failed: %s",
            self.id,
            self.target,
            attempts,
            outcome,
        )
        if not retry_at:
            self._notify_source("_on_outbox_failed")

    def _notify_source(self, method):
        if self.res_model and self.res_id and self.res_model in self.env:
            record = self.env[self.res_model].sudo().browse(self.res_id).exists()
            if record and hasattr(record, method):
                getattr(record, method)(self)

    def action_retry(self):
        self.filtered(lambda r: r.state != "sent").write(
            {"state": "pending", "next_attempt": fields.Datetime.now()}
        )

    @api.model
    def _cron_deliver(self):
        """Scheduled job: one batch per call, the cron runner commits and repeats."""
        limit = int(self.env["ir.config_parameter"].sudo().get_param(BATCH_PARAM, 100))
        rows = self.sudo().search(
            self._due_domain(), limit=limit, order="next_attempt, id"
        )
        rows._deliver()
        remaining = self.sudo().search_count(self._due_domain())
        self.env["ir.cron"]._notify_progress(done=len(rows), remaining=remaining)

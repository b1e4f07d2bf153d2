from odoo import api, fields, models
from odoo.osv.expression import OR as expression_or

from leuven.kcc import privacy

from .kcc_case import (
    DEFAULT_RETENTION_BATCH,
    RETENTION_BATCH_PARAM,
    RETENTION_MONTHS_PARAM,
)


class KccCase(models.Model):
    """The retention period: anonymising finished cases once it has passed."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    anonymised_on = fields.Datetime(
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The personal data and free text of this case were removed on this "
        "date; type, category, group, dates and states were kept for the figures.",
    )

    @api.model
    def _default_retention_months(self):
        return self._get_param_int(
            RETENTION_MONTHS_PARAM, privacy.DEFAULT_RETENTION_MONTHS
        )

    @api.model
    def _retention_domain(self, now=None):
        """Finished cases past the retention of their category, not yet anonymised."""
        now = now or fields.Datetime.now()
        default = self._default_retention_months()
        categories = self.env["kcc.case.category"].with_context(active_test=False)
        months_of = {
            category.id: category.retention_months or default
            for category in categories.sudo().search([])
        }
        by_months = {}
        for category_id, months in months_of.items():
            by_months.setdefault(months, []).append(category_id)
        parts = []
        for months, category_ids in sorted(by_months.items()):
            cutoff = privacy.retention_cutoff(now, months)
            parts.append(
                [
                    "&",
                    ("category_id", "in", category_ids),
                    *self._finished_before(cutoff),
                ]
            )
        cutoff = privacy.retention_cutoff(now, default)
        parts.append(["&", ("category_id", "=", False), *self._finished_before(cutoff)])
        return [
            ("state", "in", list(privacy.RETAINED_STATES)),
            ("anonymised_on", "=", False),
            *expression_or(parts),
        ]

    @api.model
    def _finished_before(self, cutoff):
        """Closed or cancelled before ``cutoff``; older cancelled cases without a
        closing date count from their last change."""
        return [
            "|",
            ("date_closed", "<", cutoff),
            "&",
            ("date_closed", "=", False),
            ("write_date", "<", cutoff),
        ]

    def _anonymise(self):
        """Remove the personal data and free text of these cases.

        Kept: type, channel, category, handler group, assignee, dates, states,
        deadline and first-line flag, so that the KPI figures do not change.
        Removed: customer link and contact snapshot, street and coordinates,
        subject (made generic), description, resolution, raw submission, the
        chatter's bodies, tracking values and attachments, followers,
        activities, and the personal data of the linked contacts and transfers.
        """
        if not self:
            return
        cases = self.sudo().with_context(tracking_disable=True, mail_notrack=True)
        generic = self.env._("Anonymised case")
        env = cases.env
        env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", cases.ids)]
        ).unlink()
        messages = env["mail.message"].search(
            [("model", "=", self._name), ("res_id", "in", cases.ids)]
        )
        messages.attachment_ids.unlink()
        messages.tracking_value_ids.unlink()
        messages.notification_ids.unlink()
        messages.write(
            {
                "body": "",
                "subject": False,
                "email_from": False,
                "author_id": False,
                "reply_to": False,
                "record_name": False,
                "partner_ids": [fields.Command.clear()],
            }
        )
        env["mail.followers"].search(
            [("res_model", "=", self._name), ("res_id", "in", cases.ids)]
        ).unlink()
        cases.activity_ids.unlink()
        cases.contact_ids.write(
            {
                "partner_id": False,
                "contact_name": False,
                "contact_email": False,
                "contact_phone": False,
                "summary": generic,
            }
        )
        cases.transfer_ids.write({"reason": generic})
        # the website forms as sent repeat the contact details and the text
        env["kcc.web.submission"].search([("case_id", "in", cases.ids)]).write(
            {
                "payload": False,
                "file_names": False,
                "ip_address": False,
                "error": False,
                "user_id": False,
            }
        )
        # additional reporters of these cases, and the customers of these
        # cases registered on the original of a duplicate
        env["kcc.case.reporter"].search(
            ["|", ("case_id", "in", cases.ids), ("source_case_id", "in", cases.ids)]
        ).unlink()
        cases.write(
            {
                "subject": generic,
                "description_text": False,
                "resolution": False,
                "partner_id": False,
                "contact_name": False,
                "contact_email": False,
                "contact_phone": False,
                "street": False,
                "latitude": 0.0,
                "longitude": 0.0,
                "raw_submission": False,
                "work_order_note": False,
                "access_token": False,
                "sensitive": False,
                "anonymised_on": fields.Datetime.now(),
            }
        )
        cases._anonymise_linked()

    def _anonymise_linked(self):
        """Hook: other addons clear their own data linked to these cases."""
        return True

    @api.model
    def _anonymise_expired_batch(self, limit=None):
        """Anonymise one batch of expired cases; returns ``(done, remaining)``."""
        limit = limit or self._get_param_int(
            RETENTION_BATCH_PARAM, DEFAULT_RETENTION_BATCH
        )
        Case = self.sudo()
        domain = Case._retention_domain()
        cases = Case.search(domain, limit=limit, order="date_closed, id")
        cases._anonymise()
        if cases:
            self.env["kcc.audit.log"]._log(
                "anonymise",
                cases,
                purpose=self.env._("Retention period passed"),
                text=self.env._("%(count)s cases", count=len(cases)),
            )
        return len(cases), Case.search_count(domain)

    @api.model
    def _cron_anonymise_expired(self):
        """Scheduled job: one batch per call; the cron runner commits and calls
        again while there is work left."""
        done, remaining = self._anonymise_expired_batch()
        # the photos of forms a visitor abandoned go with the same job
        photos_done, photos_left = self.env[
            "kcc.web.submission"
        ]._drop_abandoned_photos()
        self.env["ir.cron"]._notify_progress(
            done=done + photos_done, remaining=remaining + photos_left
        )

import datetime as dt

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import html2plaintext

from .kcc_case import (
    BATCH_SIZE_PARAM,
    DEFAULT_BATCH_SIZE,
    DEFAULT_REMINDER_DAYS,
    REMINDER_DAYS_PARAM,
)


class KccCase(models.Model):
    """Deadline reminders and escalations, sent in batches by a scheduled job."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    def _reminder_domain(self):
        today = fields.Date.context_today(self)
        days = self._get_param_int(REMINDER_DAYS_PARAM, DEFAULT_REMINDER_DAYS)
        return [
            ("is_open", "=", True),
            ("deadline_paused_on", "=", False),
            ("reminder_sent", "=", False),
            ("deadline", ">=", today),
            ("deadline", "<=", today + dt.timedelta(days=days)),
        ]

    def _escalation_domain(self):
        return [
            ("is_open", "=", True),
            ("deadline_paused_on", "=", False),
            ("escalated", "=", False),
            ("deadline", "<", fields.Date.context_today(self)),
        ]

    def _supervisor_users(self):
        group = self.env.ref("leuven_kcc.group_kcc_supervisor")
        return group.sudo().users.filtered(lambda u: u.active and not u.share)

    def _send_reminder(self):
        """Remind the assignee (or the group's leader) of a near deadline."""
        _ = self.env._
        plans = []
        for case in self:
            users = case.user_id or case.handler_group_id.leader_ids
            plans.append(
                (
                    case,
                    users[:1],
                    users.partner_id,
                    _(
                        "Reminder: the deadline of %(date)s is near.",
                        date=case.deadline,
                    ),
                )
            )
        self._notify_deadline(
            plans,
            summary=_("Deadline approaching"),
            note=_("Case %(ref)s must be answered by %(date)s."),
            digest_subject=_("%(count)s cases must be answered soon"),
            with_deadline=True,
        )
        self.write({"reminder_sent": True})

    def _send_escalation(self):
        """Alert group leaders, KCC supervisors and the escalation contacts."""
        _ = self.env._
        supervisors = self._supervisor_users()
        plans = []
        for case in self:
            leaders = case.handler_group_id.leader_ids
            users = leaders | supervisors
            plans.append(
                (
                    case,
                    (leaders or supervisors)[:1],
                    users.partner_id | case.handler_group_id.escalation_partner_ids,
                    _("Escalation: the deadline of %(date)s has passed.",
                      date=case.deadline),
                )
            )  # fmt: skip
        self._notify_deadline(
            plans,
            summary=_("Case is late"),
            note=_("Case %(ref)s passed its deadline of %(date)s."),
            digest_subject=_("%(count)s cases passed their deadline"),
        )
        self.write({"escalated": True})

    def _notify_deadline(
        self, plans, summary, note, digest_subject, with_deadline=False
    ):
        """One batch of deadline alerts, written in bulk.

        ``plans``: (case, activity owner, partners to alert, note body) per
        case. Each case gets its to-do activity and a note that names the
        partners; each partner gets the notes in his inbox and, if he reads
        his notifications by e-mail (or is no user), one e-mail listing all
        his cases of the batch instead of one e-mail per case.
        """
        if not plans:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        # the digest below tells the owner; no assignment e-mail per activity
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": case.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": note % {"ref": case.name, "date": case.deadline},
                    "user_id": owner.id,
                    **({"date_deadline": case.deadline} if with_deadline else {}),
                }
                for case, owner, _partners, _body in plans
                if owner
            ]
        )
        by_partners = {}
        for case, _owner, partners, body in plans:
            by_partners.setdefault(partners, {})[case.id] = Markup("<p>%s</p>") % body
        messages = self.env["mail.message"]
        for partners, bodies in by_partners.items():
            messages |= self.browse(list(bodies))._message_log_batch(
                bodies, partner_ids=partners.ids
            )
        inbox, by_mail = {}, {}
        for message in messages:
            for partner in message.partner_ids:
                users = partner.user_ids
                if users and all(u.notification_type == "inbox" for u in users):
                    inbox.setdefault(partner, []).append(message)
                else:
                    by_mail.setdefault(partner, []).append(message)
        self.env["mail.notification"].sudo().create(
            [
                {
                    "mail_message_id": message.id,
                    "res_partner_id": partner.id,
                    "notification_type": "inbox",
                    "is_read": False,
                }
                for partner, partner_messages in inbox.items()
                for message in partner_messages
            ]
        )
        self._send_deadline_digest(by_mail, digest_subject)

    def _send_deadline_digest(self, by_partner, subject):
        """One queued e-mail per partner with the list of his cases."""
        if not by_partner:
            return
        base_url = self.browse().get_base_url()
        cases = self.browse(
            {m.res_id for messages in by_partner.values() for m in messages}
        )
        names = {case.id: case for case in cases}
        mails = []
        for partner, messages in by_partner.items():
            lines = Markup("").join(
                Markup('<li><a href="%s/odoo/kcc.case/%s">%s</a> %s: %s</li>')
                % (
                    base_url,
                    message.res_id,
                    names[message.res_id].name,
                    names[message.res_id].subject,
                    html2plaintext(message.body or ""),
                )
                for message in messages
            )
            mails.append(
                {
                    "subject": subject % {"count": len(messages)},
                    "body_html": Markup("<ul>%s</ul>") % lines,
                    "recipient_ids": [(4, partner.id)],
                    "email_from": self.env.company.email_formatted
                    or self.env.user.email_formatted,
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(mails)
        self._wake_mail_queue()

    @api.model
    def _escalate_batch(self, limit=None):
        """Handle one batch of due reminders and escalations.

        Returns ``(done, remaining)``. Only open cases that are due are read,
        through the partial index on open deadlines.
        """
        limit = limit or self._get_param_int(BATCH_SIZE_PARAM, DEFAULT_BATCH_SIZE)
        cases = self.sudo().with_context(mail_notify_force_send=False)
        late = cases.search(cases._escalation_domain(), limit=limit, order="deadline")
        late._send_escalation()
        reminders = self.browse()
        if len(late) < limit:
            reminders = cases.search(
                cases._reminder_domain(), limit=limit - len(late), order="deadline"
            )
            reminders._send_reminder()
        remaining = cases.search_count(cases._escalation_domain()) + cases.search_count(
            cases._reminder_domain()
        )
        return len(late) + len(reminders), remaining

    @api.model
    def _cron_escalate(self):
        """Scheduled job: one batch per call; the cron runner commits and
        calls again while there is work left."""
        done, remaining = self._escalate_batch()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

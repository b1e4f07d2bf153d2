import datetime as dt
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models

from odoo.addons.leuven_kcc.models.kcc_api_client import CITY_LANG

from leuven.burgerprofiel import dosis
from leuven.guidance import proactive

from .guidance_trajectory import ENERGY_TYPE

_logger = logging.getLogger(__name__)

NOTIFY_QUEUE = "energy.proposal.notify"  # pre-commit data: trajectory ids
MAIL_TEMPLATE = "leuven_energy.mail_template_energy_proposals"
DOSIS_TARGET = "dosis_notification"
DOSIS_PARAM = "leuven_burgerprofiel.%s"
BATCH_PARAM = "leuven_energy.proposal_notice_batch_size"
DEFAULT_BATCH_SIZE = 100
MAIL_ATTEMPTS = 5  # a failed e-mail is queued again this many times
CHANNELS = [("burgerprofiel", "Mijn Burgerprofiel"), ("email", "E-mail")]


class EnergyProposalNotice(models.Model):
    """A proposal (measure and catalogue product for one dwelling) told to
    the citizen of a trajectory: each one is told once."""

    _name = "energy.proposal.notice"
    _description = "Proposal Told to the Citizen"
    _order = "id desc"

    trajectory_id = fields.Many2one(
        "guidance.trajectory",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    dwelling_id = fields.Many2one(
        "guidance.dwelling", readonly=True, index=True, ondelete="cascade"
    )
    measure = fields.Char(string="Measure Code", required=True, readonly=True)
    product = fields.Char(string="Catalogue Reference", readonly=True)
    reason = fields.Char(string="Reason Code", readonly=True)
    measure_label = fields.Char(string="Measure", compute="_compute_labels")
    reason_label = fields.Char(string="Reason", compute="_compute_labels")
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    outbox_id = fields.Many2one(
        "kcc.outbox",
        string="Outgoing Message",
        readonly=True,
        ondelete="set null",
        groups="base.group_system",
    )
    mail_id = fields.Many2one(
        "mail.mail",
        string="E-mail",
        readonly=True,
        ondelete="set null",
        groups="base.group_system",
    )
    mail_attempts = fields.Integer(readonly=True, groups="base.group_system")

    _sql_constraints = [
        (
            "proposal_once",
            "unique(trajectory_id, dwelling_id, measure, product)",
            "This proposal was already told to the citizen.",
        ),
    ]

    @api.depends("measure", "reason")
    def _compute_labels(self):
        measures, reasons = self.env["guidance.trajectory"]._measure_labels()
        for notice in self:
            notice.measure_label = measures.get(notice.measure, notice.measure)
            notice.reason_label = reasons.get(notice.reason, notice.reason)


class GuidanceTrajectory(models.Model):
    """The citizen's consent to proactive proposals, and the notices that
    tell him (Mijn Burgerprofiel or e-mail, through the outgoing queues)."""

    _inherit = "guidance.trajectory"  # pylint: disable=consider-merging-classes-inherited

    proposal_opt_in = fields.Boolean(
        string="Send me proposals for premiums and measures",
        default=False,
        tracking=True,
        copy=False,
        help="The citizen agreed to be told (in Mijn Burgerprofiel or by e-mail) "
        "which premiums, loans and measures fit his dwelling's data, each once. "
        "He sets it himself in the portal; the coach sets it when he asked by "
        "phone.",
    )
    proposal_checked_on = fields.Date(
        string="Proposals Checked On", readonly=True, copy=False
    )
    proposal_notice_ids = fields.One2many(
        "energy.proposal.notice",
        "trajectory_id",
        string="Proposals Told",
        readonly=True,
        groups="leuven_guidance.group_guidance_coach",
    )

    def write(self, vals):
        before = (
            {t.id: t.proposal_opt_in for t in self} if "proposal_opt_in" in vals else {}
        )
        result = super().write(vals)
        if "proposal_opt_in" in vals:
            if vals["proposal_opt_in"]:
                # he asked: he is told what fits now, at the end of the step
                self.filtered(lambda t: not before[t.id])._energy_queue_notice()
            else:
                self._energy_withdraw_notices()
        return result

    def _energy_may_notify(self):
        self.ensure_one()
        return (
            self.proposal_opt_in
            and self.is_energy
            and self.active
            and not self.is_closed
        )

    def _energy_queue_notice(self):
        """Tell the citizens of these trajectories their new proposals once,
        just before the transaction commits (one message per trajectory,
        whatever was changed in the transaction)."""
        due = self.sudo().filtered(lambda t: t._energy_may_notify())
        if not due:
            return
        cr = self.env.cr
        queued = cr.precommit.data.setdefault(NOTIFY_QUEUE, set())
        if not queued:
            cr.precommit.add(self.browse()._energy_notify_queued)
        queued.update(due.ids)

    def _energy_notify_queued(self):
        """Pre-commit hook: the queued trajectories. A failure never loses
        the change that queued them: the daily job tries again."""
        ids = self.env.cr.precommit.data.pop(NOTIFY_QUEUE, set())
        trajectories = self.sudo().browse(sorted(ids)).exists()
        self.env.flush_all()
        try:
            # no flushing savepoint: it would run the other pre-commit hooks
            with self.env.cr.savepoint(flush=False):
                trajectories._energy_notify_proposals()
                self.env.flush_all()
        except Exception:
            self.env.invalidate_all(flush=False)
            _logger.exception("Proposals of trajectories %s deferred", sorted(ids))

    def _energy_notify_proposals(self):
        """For each opted-in energy trajectory, queue ONE message to its
        citizen with the proposals he was not told yet
        (:func:`leuven.guidance.proactive.new_proposals`), and remember them.
        Returns the number of messages queued."""
        Notice = self.env["energy.proposal.notice"].sudo()
        queued = 0
        for trajectory in self.sudo():
            if not trajectory._energy_may_notify():
                continue
            rows = trajectory._energy_proposals()
            if not rows:
                continue
            told = defaultdict(set)
            for notice in Notice.search([("trajectory_id", "=", trajectory.id)]):
                told[notice.dwelling_id.id].add((notice.measure, notice.product or ""))
            new = [
                row
                for row in rows
                if proactive.new_proposals([row["proposal"]], told[row["dwelling_id"]])
            ]
            channel = trajectory._energy_notice_channel() if new else None
            if not channel:
                continue
            notices = Notice.create(
                [
                    {
                        "trajectory_id": trajectory.id,
                        "dwelling_id": row["dwelling_id"],
                        "measure": row["proposal"].measure,
                        "product": row["proposal"].product or False,
                        "reason": row["proposal"].reason,
                        "channel": channel,
                    }
                    for row in new
                ]
            )
            if channel == "burgerprofiel":
                notices.outbox_id = trajectory._energy_notice_dosis(notices)
            else:
                notices.mail_id = trajectory._energy_notice_mail(notices)
            trajectory._message_log(
                body=Markup("%s<ul>%s</ul>")
                % (
                    self.env._(
                        "Proposals told to the citizen (%(channel)s):",
                        channel=dict(CHANNELS)[channel],
                    ),
                    Markup("").join(
                        Markup("<li>%s (%s)</li>") % (line["measure"], line["dwelling"])
                        for line in trajectory._energy_notice_lines(notices.ids)
                    ),
                )
            )
            queued += 1
        return queued

    def _energy_withdraw_notices(self):
        """The citizen withdrew his consent: what is still waiting to be sent
        is not sent."""
        notices = (
            self.env["energy.proposal.notice"]
            .sudo()
            .search([("trajectory_id", "in", self.ids)])
        )
        mails = notices.mail_id.filtered(lambda m: m.state in ("outgoing", "exception"))
        mails.write({"state": "cancel"})
        pending = notices.outbox_id.filtered(lambda r: r.state == "pending")
        pending.write(
            {
                "state": "failed",
                "last_error": self.env._("The citizen withdrew his consent."),
            }
        )

    # -- the message ---------------------------------------------------------
    def _energy_notice_lang(self):
        self.ensure_one()
        if self.partner_id.lang:
            return self.partner_id.lang
        return CITY_LANG if self.env["res.lang"]._lang_get(CITY_LANG) else "en_US"

    def _energy_notice_email_from(self):
        """The city's sender, as for the KCC's e-mails to customers."""
        self.ensure_one()
        Case = self.env["kcc.case"].with_company(self.company_id or self.env.company)
        return Case._customer_email_from() or False

    def _energy_notice_lines(self, notice_ids):
        """``[{"measure", "reason", "dwelling", "product"}]`` of the notices
        (their labels in this environment's language)."""
        notices = self.env["energy.proposal.notice"].sudo().browse(notice_ids or [])
        notices = notices.filtered(lambda n: n.trajectory_id.id in self.ids)
        measures, reasons = self._measure_labels()
        return [
            {
                "measure": measures.get(n.measure, n.measure),
                "reason": reasons.get(n.reason, n.reason),
                "dwelling": n.dwelling_id.display_name or "",
                "product": n.product or "",
            }
            for n in notices.sorted("id")
        ]

    def _energy_notice_channel(self):
        """``"burgerprofiel"`` for a citizen who logs in with Mijn
        Burgerprofiel (the notifications are on), ``"email"`` for one with an
        address, else None (he cannot be told)."""
        self.ensure_one()
        if self._energy_dosis_status() is not None:
            return "burgerprofiel"
        template = self.env.ref(MAIL_TEMPLATE, raise_if_not_found=False)
        if template and self.partner_id.email:
            return "email"
        return None

    def _energy_dosis_status(self):
        """The trajectory as a dossier of the citizen's profile (DOSIS), or
        None when it cannot go there."""
        self.ensure_one()
        params = self.env["ir.config_parameter"].sudo()
        if not params.get_param(DOSIS_PARAM % "dosis_enabled"):
            return None
        partner = self.partner_id.sudo()
        profile_users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [("partner_id", "=", partner.id), ("burgerprofiel_sub", "!=", False)]
            )
        )
        if not profile_users:
            return None
        nl = self.with_context(lang=self._energy_notice_lang())
        status = dosis.CaseStatus(
            reference=self.name,
            title=nl.type_id.name,
            status_code="in_treatment",
            status_label=dict(
                self.env["kcc.case"]
                ._fields["citizen_state"]
                ._description_selection(nl.env)
            ).get("in_treatment", "in_treatment"),
            status_date=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            url=f"{self.get_base_url()}{self.access_url}",
            national_number=partner.national_number or "",
        )
        return status if dosis.agents(status) else None

    def _energy_notice_text(self, notices):
        """(title, text) of the Mijn Burgerprofiel notification, in the
        citizen's language."""
        self.ensure_one()
        trajectory = self.with_context(lang=self._energy_notice_lang())
        _ = trajectory.env._
        lines = trajectory._energy_notice_lines(notices.ids)
        proposals = "; ".join(
            f"{line['measure']} ({line['dwelling']})" for line in lines
        )
        url = self.get_base_url() + self.access_url
        return (
            _("New proposals for your dwelling"),
            _(
                "Based on the data of your dwelling, the city proposes: "
                "%(proposals)s. Read more on your trajectory page: %(url)s",
                proposals=proposals,
                url=url,
            ),
        )

    def _energy_notice_dosis(self, notices):
        """Queue the Mijn Burgerprofiel notification; the outbox sends it
        and tries again when it fails."""
        self.ensure_one()
        status = self._energy_dosis_status()
        params = self.env["ir.config_parameter"].sudo()
        entity = params.get_param(DOSIS_PARAM % "entity_name") or "Stad Leuven"
        entity_kbo = params.get_param(DOSIS_PARAM % "entity_kbo")
        key = f"energy-proposals:{self.name}:{min(notices.ids)}"
        payload = dosis.notification_message(status, entity, entity_kbo, key)
        title, text = self._energy_notice_text(notices)
        payload["notificatie"] = {"titel": title, "tekst": text}
        problems = dosis.problems(payload)
        if problems:
            _logger.error("%s: proposals not sent: %s", self.name, problems)
            raise ValueError(problems)
        return self.env["kcc.outbox"]._enqueue(
            DOSIS_TARGET,
            key,
            payload,
            record=self,
            name=self.env._(
                "Proposals of %(trajectory)s for Mijn Burgerprofiel",
                trajectory=self.name,
            ),
        )

    def _energy_notice_mail(self, notices):
        """Queue the e-mail (the mail queue sends it; the daily job queues a
        failed one again)."""
        self.ensure_one()
        template = self.env.ref(MAIL_TEMPLATE).sudo()
        mail_id = template.with_context(energy_notice_ids=notices.ids).send_mail(
            self.id,
            email_values={"author_id": self.env.company.partner_id.id},
        )
        self.env["kcc.case"]._wake_mail_queue()
        return mail_id

    # -- the daily job -------------------------------------------------------
    @api.model
    def _energy_notice_due_domain(self, today):
        energy = self.env.ref(ENERGY_TYPE, raise_if_not_found=False)
        return [
            ("type_id", "=", energy.id if energy else False),
            ("proposal_opt_in", "=", True),
            ("is_closed", "=", False),
            "|",
            ("proposal_checked_on", "=", False),
            ("proposal_checked_on", "<", today),
        ]

    @api.model
    def _energy_notice_batch(self, limit=None):
        """Check one batch of opted-in trajectories not checked today;
        returns ``(done, remaining)``."""
        params = self.env["ir.config_parameter"].sudo()
        limit = limit or int(params.get_param(BATCH_PARAM, DEFAULT_BATCH_SIZE))
        today = fields.Date.context_today(self)
        Trajectory = self.sudo()
        domain = Trajectory._energy_notice_due_domain(today)
        trajectories = Trajectory.search(domain, limit=limit, order="id")
        for trajectory in trajectories:
            try:
                with self.env.cr.savepoint():
                    trajectory._energy_notify_proposals()
            except Exception:
                _logger.exception("Proposals of %s not sent", trajectory.name)
        trajectories.write({"proposal_checked_on": today})
        self._energy_retry_mails()
        return len(trajectories), Trajectory.search_count(domain)

    @api.model
    def _energy_retry_mails(self):
        """Queue the failed e-mails of opted-in citizens again, a few times."""
        notices = (
            self.env["energy.proposal.notice"]
            .sudo()
            .search(
                [
                    ("mail_id.state", "=", "exception"),
                    ("mail_attempts", "<", MAIL_ATTEMPTS),
                    ("trajectory_id.proposal_opt_in", "=", True),
                ]
            )
        )
        for mail, group in notices.grouped("mail_id").items():
            mail.mark_outgoing()
            for notice in group:
                notice.mail_attempts += 1
        if notices:
            self.env["kcc.case"]._wake_mail_queue()

    @api.model
    def _cron_energy_notify(self):
        """Scheduled job: one batch per call; the cron runner commits and
        calls again while there is work left."""
        done, remaining = self._energy_notice_batch()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

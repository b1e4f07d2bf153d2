from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression


class KccCase(models.Model):
    """Need to know: who may read the free text of a sensitive case, its
    masking and searches, and the audit of reads, exports and sensitivity
    changes."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    need_to_know = fields.Boolean(
        compute="_compute_need_to_know",
        help="The current user belongs to the need-to-know groups of this case.",
    )
    description_hidden = fields.Boolean(compute="_compute_need_to_know")

    @api.model
    def _need_to_know_domain(self, user=None):
        """The need to know, defined once: the domain of the cases whose free
        text, files and messages ``user`` (by default the current user) may
        read even when they are sensitive.

        The need-to-know groups are the case's handler group and the KCC
        supervisors; the customer himself (a portal user whose commercial
        partner is the case's) may read his own case. Without ``user``, sudo
        mode reads everything; with it, only that user counts (record rules
        are evaluated in sudo mode). The masking, the text searches, the
        attachment rule (``ir.attachment.kcc_hidden``), the chatter and the
        notifications derive from it; the record rules that cannot call it
        (``kcc.web.submission``) say the same with
        ``user.kcc_handler_group_ids`` and a test checks that they agree.
        """
        if user is None:
            if self.env.su:
                return expression.TRUE_DOMAIN
            user = self.env.user
        if user._is_superuser() or user.has_group("leuven_kcc.group_kcc_supervisor"):
            return expression.TRUE_DOMAIN
        user = user.sudo()
        domain = [("handler_group_id", "in", user.kcc_handler_group_ids.ids)]
        if user.share:
            commercial = user.partner_id.commercial_partner_id
            domain = expression.OR(
                [domain, [("partner_id.commercial_partner_id", "=", commercial.id)]]
            )
        return domain

    @api.model
    def _need_to_know_hidden_domain(self, user=None):
        """The sensitive cases whose free text and files ``user`` (by default
        the current user) may not read: the complement of
        :meth:`_need_to_know_domain` among the sensitive cases."""
        domain = self._need_to_know_domain(user)
        if domain == expression.TRUE_DOMAIN:
            return expression.FALSE_DOMAIN
        return expression.AND(
            [[("sensitive", "=", True)], ["!", *expression.normalize_domain(domain)]]
        )

    def _need_to_know_hidden_ids(self, user=None):
        """The ids of these cases that ``user`` (by default the current user)
        may not read in full: one query."""
        domain = self._need_to_know_hidden_domain(user)
        if not self or domain == expression.FALSE_DOMAIN:
            return set()
        cases = self.sudo().with_context(active_test=False)
        return set(cases._search(expression.AND([[("id", "in", self.ids)], domain])))

    def _need_to_know_map(self):
        """{case id: bool}: may the current user see the free text of the case?
        (:meth:`_need_to_know_domain`, evaluated on the records in memory, so
        also on a case being edited in a form)."""
        domain = self._need_to_know_domain()
        if domain == expression.TRUE_DOMAIN:
            return dict.fromkeys(self._ids, True)
        cases = self.sudo()
        allowed = set(cases.filtered_domain(domain)._ids)
        return {case._origin.id or case.id: case.id in allowed for case in cases}

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """The messages of a sensitive case reach, besides those they are
        addressed to, only its need-to-know groups and the customer: another
        follower (e.g. the agent who registered it) is not sent their text."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if len(self) != 1 or not self.sudo().sensitive:
            return recipients
        if msg_vals and "partner_ids" in msg_vals:
            addressed = set(msg_vals["partner_ids"] or [])
        else:
            addressed = set(message.sudo().partner_ids.ids)
        case = self.sudo()
        customer = case.partner_id.commercial_partner_id
        # one evaluation of the need to know per user among the recipients
        uids = {recipient["uid"] for recipient in recipients if recipient.get("uid")}
        users = self.env["res.users"].sudo().browse(uids)
        knowing = {
            user.id
            for user in users
            if case.filtered_domain(self._need_to_know_domain(user))
        }
        Partner = self.env["res.partner"].sudo()
        kept = []
        for recipient in recipients:
            partner = Partner.browse(recipient["id"])
            if (
                recipient["id"] in addressed
                or (customer and partner.commercial_partner_id == customer)
                or recipient.get("uid") in knowing
            ):
                kept.append(recipient)
        return kept

    # ------------------------------------------------------------ masked texts

    @api.depends("sensitive", "handler_group_id", "partner_id")
    @api.depends_context("uid")
    def _compute_need_to_know(self):
        allowed = self._need_to_know_map()
        for case in self:
            case.need_to_know = allowed.get(case._origin.id or case.id, True)
            case.description_hidden = case.sensitive and not case.need_to_know

    @api.depends("description_text")
    @api.depends_context("uid")
    def _compute_description(self):
        # not depending on ``sensitive``: a description typed in a new case's
        # form must survive a change of handler group; write() invalidates it
        hidden_text = self.env._("Hidden: this case is sensitive.")
        for case in self:
            text = case.sudo().description_text
            case.description = hidden_text if text and case.description_hidden else text

    def _inverse_description(self):
        for case in self:
            if case.description_hidden:
                raise AccessError(
                    self.env._(
                        "Only the handler group and KCC supervisors may change "
                        "the description of a sensitive case."
                    )
                )
            case.sudo().description_text = case.description

    def _search_need_to_know_text(self, stored_field, operator, value):
        """Search a stored text of the case, but never into the sensitive
        cases the user may not read (no guessing their text by searching)."""
        matching = self.sudo()._search([(stored_field, operator, value)])
        domain = [("id", "in", matching)]
        need_to_know = self._need_to_know_domain()
        if need_to_know == expression.TRUE_DOMAIN:
            return domain
        return expression.AND(
            [domain, expression.OR([[("sensitive", "=", False)], need_to_know])]
        )

    def _search_description(self, operator, value):
        return self._search_need_to_know_text("description_text", operator, value)

    @api.depends("raw_submission")
    @api.depends_context("uid")
    def _compute_submission_text(self):
        # the raw submission repeats the description: the same need-to-know
        hidden_text = self.env._("Hidden: this case is sensitive.")
        for case in self:
            text = case.sudo().raw_submission
            hidden = text and case.description_hidden
            case.submission_text = hidden_text if hidden else text

    def _search_submission_text(self, operator, value):
        return self._search_need_to_know_text("raw_submission", operator, value)

    # ------------------------------------------------------------ sensitivity changes

    def _check_need_to_know_change(self, vals):
        """Who may hide or unhide a case, and the audit of every such change.

        - ``sensitive``: whoever may write the case may mark it sensitive (the
          first line protects a complaint at intake); lifting it is reserved
          to the need-to-know groups (the handler group and supervisors).
        - ``category_id``: the same for a move out of a confidential category
          (only the need-to-know groups can write a confidential case anyway).
        - ``handler_group_id`` of a sensitive case: the KCC still transfers it
          without reading it, and the new group then has the need to know. But
          a user without the need to know may not move it into a group he is
          a member of (he would read it by moving it): a supervisor or a
          member of its group does that.
        Each of these changes is written to the audit log. The moves the system
        makes itself (routing at intake, transfers after their checks) run
        with sudo and are not checked again here.
        """
        if self.env.su:
            return
        _ = self.env._
        Log = self.env["kcc.audit.log"]
        allowed = self._need_to_know_map()
        Category = self.env["kcc.case.category"].sudo()
        category = Category.browse(vals.get("category_id") or ())
        Group = self.env["kcc.handler.group"].sudo()
        group = Group.browse(vals.get("handler_group_id") or ())
        for case in self:
            need_to_know = allowed.get(case.id, False)
            if "sensitive" in vals and bool(vals["sensitive"]) != case.sensitive:
                if not vals["sensitive"] and not need_to_know:
                    raise AccessError(
                        _(
                            "Only the handler group of case %(ref)s and KCC "
                            "supervisors may lift its sensitivity.",
                            ref=case.name,
                        )
                    )
                Log._log(
                    "sensitivity",
                    case,
                    purpose=_("Marked sensitive")
                    if vals["sensitive"]
                    else _("No longer sensitive"),
                )
            if "category_id" in vals and category.confidential != case.is_confidential:
                if case.is_confidential and not need_to_know:
                    raise AccessError(
                        _(
                            "Only the handler group of case %(ref)s and KCC "
                            "supervisors may lift its confidentiality.",
                            ref=case.name,
                        )
                    )
                Log._log(
                    "confidentiality",
                    case,
                    purpose=_("Made confidential")
                    if category.confidential
                    else _("No longer confidential"),
                )
            if (
                "handler_group_id" in vals
                and case.sensitive
                and group != case.handler_group_id
            ):
                case._check_sensitive_move(group, need_to_know)

    def _check_sensitive_move(self, group, need_to_know):
        """Refuse or audit the move of this sensitive case to ``group``."""
        self.ensure_one()
        _ = self.env._
        if not need_to_know and self.env.user in group.sudo().member_ids:
            raise AccessError(
                _(
                    "Case %(ref)s is sensitive: you would see its text by moving "
                    "it to your own group %(group)s. Ask a KCC supervisor.",
                    ref=self.name,
                    group=group.name,
                )
            )
        self.env["kcc.audit.log"]._log(
            "move_sensitive",
            self,
            purpose=_(
                "Sensitive case moved from %(old)s to %(new)s",
                old=self.sudo().handler_group_id.name or "-",
                new=group.name or "-",
            ),
        )

    # ------------------------------------------------------------ audit

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields=fields, load=load)
        if not self.env.su:
            Log = self.env["kcc.audit.log"]
            for case in self.sudo().filtered("is_confidential"):
                Log._log_once("read_confidential", case.with_env(self.env))
        return result

    def web_read(self, specification):
        return super().web_read(specification)

    # opening a confidential case is audited: read/write cursor (see read())
    web_read._readonly = False

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if self and not self.env.su:
            self.env["kcc.audit.log"]._log(
                "export", self, text=self.env._("%(count)s cases", count=len(self))
            )
        return result

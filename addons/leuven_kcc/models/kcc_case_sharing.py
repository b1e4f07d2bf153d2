from odoo import fields, models
from odoo.exceptions import UserError


class KccCase(models.Model):
    """Sharing with a partner organisation, and what its portal users see."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------ portal

    def _portal_hides_private(self, user):
        """Whether the portal page of this case hides its free text and files
        from ``user``: the customer (logged in, or through the link of his
        e-mails) and the need-to-know groups see them, a partner organisation
        the sensitive case is shared with does not."""
        self.ensure_one()
        if not self.sensitive:
            return False
        viewer = self.with_user(user)
        if not viewer.has_access("read"):  # came through the customer's link
            return False
        return not viewer._need_to_know_map()[self.id]

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        """The access token is the customer's link: a logged-in portal user who
        reads the case through his own access (a partner organisation it is
        shared with) is sent to the page without it."""
        user = self.env.user
        if share_token and user.share and not user._is_public():
            share_token = not self.has_access("read")
        return super()._get_share_url(
            redirect=redirect,
            signup_partner=signup_partner,
            pid=pid,
            share_token=share_token,
        )

    # ------------------------------------------------------------ sharing

    def _share_with(self, organisation, consent):
        """Share this case with a partner organisation under ``consent``."""
        self.ensure_one()
        self.check_access("write")
        consent._check_allows(self, organisation)
        Share = self.env["kcc.case.share"].sudo()
        share = Share.search(
            [
                ("case_id", "=", self.id),
                ("organisation_id", "=", organisation.id),
                ("consent_id", "=", consent.id),
            ],
            limit=1,
        ) or Share.create(
            {
                "case_id": self.id,
                "organisation_id": organisation.id,
                "consent_id": consent.id,
                "user_id": self.env.uid,
            }
        )
        self.env["kcc.audit.log"]._log("share", self, purpose=consent.purpose)
        self.message_post(
            body=self.env._(
                "Shared with %(organisation)s with the customer's consent.",
                organisation=organisation.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return share

    def action_open_share_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Share with a Partner Organisation"),
            "res_model": "kcc.case.share.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def _portal_support_started(self, user):
        """The partner organisation of ``user`` starts supporting the citizen."""
        self.ensure_one()
        organisation = user.partner_id.commercial_partner_id
        share = self.sudo().share_ids.filtered(
            lambda s: s.is_active and s.organisation_id == organisation
        )[:1]
        if not share:
            raise UserError(self.env._("This case is not shared with you."))
        if not share.support_started:
            share.write(
                {"support_started": True, "support_started_on": fields.Datetime.now()}
            )
            self.sudo().message_post(
                body=self.env._(
                    "%(organisation)s started supporting the customer.",
                    organisation=organisation.name,
                ),
                author_id=user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        return share

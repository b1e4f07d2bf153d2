from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.base.models.res_users import check_identity

CITY_LANG = "nl_BE"


class KccApiClientMixin(models.AbstractModel):
    """A remote system that calls the KCC's webhooks.

    It calls as its own technical user: an internal user without password
    (it cannot log in) whose only KCC right is the webhook it calls. The
    system sends an API key of that user (``Authorization: Bearer <key>``),
    which Odoo stores hashed: an administrator issues a new key here, sees it
    once, and revokes the keys of a system that no longer needs them.
    """

    _name = "kcc.api.client.mixin"
    _description = "Caller of the KCC Webhooks"

    user_id = fields.Many2one(
        "res.users",
        string="Calls As",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="The technical user whose API keys the system sends.",
    )
    api_key_count = fields.Integer(
        string="API Keys",
        compute="_compute_api_key_count",
    )

    def _compute_api_key_count(self):
        Keys = self.env["res.users.apikeys"].sudo()
        for system in self:
            system.api_key_count = (
                Keys.search_count([("user_id", "=", system.user_id.id)])
                if system.user_id
                else 0
            )

    @api.model
    def _create_api_user(self, name, login, group_xmlid):
        """A technical user for a system that calls ``group_xmlid``'s webhook."""
        lang = CITY_LANG if self.env["res.lang"]._lang_get(CITY_LANG) else False
        return (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=True, mail_create_nosubscribe=True)
            .create(
                {
                    "name": name,
                    "login": login,
                    "lang": lang,
                    "groups_id": [
                        Command.set(
                            [
                                self.env.ref("base.group_user").id,
                                self.env.ref(group_xmlid).id,
                            ]
                        )
                    ],
                }
            )
        )

    @check_identity
    def action_new_api_key(self):
        """Issue an API key for the system and show it once."""
        return self._issue_api_key()

    def _issue_api_key(self):
        self.ensure_one()
        self.check_access("write")
        if not self.user_id:
            raise UserError(self.env._("This system has no technical user to call as."))
        name = self.env._(
            "%(system)s, issued by %(user)s",
            system=self.display_name,
            user=self.env.user.name,
        )
        # the key belongs to the technical user; without expiry (Odoo lets
        # only a system user make one, hence sudo), revoked here when needed
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_id)
            .sudo()
            ._generate(None, name, None)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.apikeys.show",
            "name": self.env._("API Key Ready"),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key},
        }

    def action_revoke_api_keys(self):
        """Revoke every API key of the systems: their calls are refused."""
        self.check_access("write")
        self.env["res.users.apikeys"].sudo().search(
            [("user_id", "in", self.user_id.ids)]
        )._remove()
        return True

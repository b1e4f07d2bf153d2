from odoo import api, fields, models
from odoo.tools.sql import escape_psql

TELEPHONY_GROUP = "leuven_kcc.group_kcc_telephony_webhook"


class KccTelephonySystem(models.Model):
    """A telephone platform allowed to announce incoming calls.

    It calls ``/kcc/api/telephony/call`` with an API key of its technical
    user (see :class:`~.kcc_api_client.KccApiClientMixin`); archiving the
    system archives that user, so its keys stop working.
    """

    _name = "kcc.telephony.system"
    _description = "Telephony System"
    _inherit = ["kcc.api.client.mixin"]

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "user_uniq",
            "unique(user_id)",
            "Each telephony system calls as its own user.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        systems = super().create(vals_list)
        for system in systems.filtered(lambda s: not s.user_id):
            system._ensure_api_user()
        return systems

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals:
            users = self.user_id.sudo().with_context(active_test=False)
            users.filtered(lambda u: u.active != vals["active"]).write(
                {"active": vals["active"]}
            )
        if "name" in vals:
            for system in self.filtered("user_id"):
                system.user_id.sudo().name = system._api_user_name()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_retire_api_user(self):
        """A deleted system's keys are revoked and its user archived."""
        users = self.user_id.sudo()
        self.env["res.users.apikeys"].sudo().search(
            [("user_id", "in", users.ids)]
        )._remove()
        users.active = False

    def _api_user_name(self):
        return self.env._("Telephony: %(system)s", system=self.name)

    def _ensure_api_user(self):
        """Give the system its technical user (on creation and migration)."""
        for system in self.filtered(lambda s: not s.user_id):
            user = self._create_api_user(
                system._api_user_name(), f"kcc-telephony-{system.id}", TELEPHONY_GROUP
            )
            user.active = system.active
            system.sudo().user_id = user

    @api.model
    def _find_agent(self, agent_login):
        """The internal user whose login or e-mail is exactly ``agent_login``
        (case aside), or an empty recordset. ``%``, ``_`` and ``\\`` are
        matched as themselves, never as wildcards."""
        Users = self.env["res.users"].sudo()
        if not agent_login:
            return Users.browse()
        pattern = escape_psql(agent_login)
        return Users.search(
            [
                ("share", "=", False),
                "|",
                ("login", "=ilike", pattern),
                ("email", "=ilike", pattern),
            ],
            limit=1,
        )

    def _register_call(self, call_id, caller, agent_login=None):
        """Log an incoming call and open the caller's 360° for the agent.

        Idempotent on ``call_id``: a repeated announcement returns the same
        contact. Returns ``(contact, agent, created)``.
        """
        self.ensure_one()
        Contact = self.env["kcc.contact"].sudo()
        ref = f"tel:{self.id}:{call_id}"
        existing = Contact.search([("external_ref", "=", ref)], limit=1)
        if existing:
            return existing, existing.user_id, False
        agent = self._find_agent(agent_login)
        partner = self.env["res.partner"].sudo()._kcc_search_phone(caller, limit=2)
        partner = partner if len(partner) == 1 else partner.browse()
        contact = Contact.create(
            {
                "channel": "phone",
                "direction": "inbound",
                "partner_id": partner.id,
                "contact_phone": caller,
                "user_id": agent.id,
                "summary": self.env._("Incoming call from %(caller)s", caller=caller),
                "external_ref": ref,
            }
        )
        if agent:
            self.env["bus.bus"]._sendone(
                agent.partner_id,
                "kcc_incoming_call",
                {
                    "contact_id": contact.id,
                    "caller": caller,
                    "partner_id": partner.id,
                    "partner_name": partner.display_name or "",
                },
            )
        return contact, agent, True

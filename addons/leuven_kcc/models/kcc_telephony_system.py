import secrets

from odoo import api, fields, models
from odoo.tools.sql import escape_psql


class KccTelephonySystem(models.Model):
    """A telephone platform allowed to announce incoming calls."""

    _name = "kcc.telephony.system"
    _description = "Telephony System"

    name = fields.Char(required=True)
    token = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(32),
        groups="leuven_kcc.group_kcc_admin",
        help="Sent by the platform as 'Authorization: Bearer <token>'.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("token_uniq", "unique(token)", "Each telephony system needs its own token."),
    ]

    @api.model
    def _authenticate(self, token):
        """The active system owning ``token``, or an empty recordset."""
        if not token:
            return self.browse()
        given = token.encode("utf-8", "surrogateescape")
        systems = self.sudo().search([("active", "=", True)])
        for system in systems:
            # as bytes: compare_digest refuses non-ASCII text
            if secrets.compare_digest(system.token.encode(), given):
                return system
        return self.browse()

    def action_regenerate_token(self):
        for system in self:
            system.token = secrets.token_urlsafe(32)

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

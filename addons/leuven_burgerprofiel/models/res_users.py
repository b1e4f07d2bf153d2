import hashlib
import logging
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessDenied

from leuven.burgerprofiel import identifiers

_logger = logging.getLogger(__name__)

LOGIN_TOKEN_TTL = timedelta(minutes=2)


class BurgerprofielLoginError(Exception):
    """A Mijn Burgerprofiel login that cannot be accepted; ``code`` says why."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ResUsers(models.Model):
    _inherit = "res.users"

    burgerprofiel_sub = fields.Char(
        string="ACM/IDM Subject",
        copy=False,
        index="btree_not_null",
        groups="base.group_system",
        help="The person's id at ACM/IDM (the 'sub' claim).",
    )
    burgerprofiel_orgcode = fields.Char(
        string="Represented Organisation",
        copy=False,
        groups="base.group_system",
        help="KBO number or VCode of the organisation this login represents.",
    )
    burgerprofiel_token_hash = fields.Char(copy=False, groups="base.group_system")
    burgerprofiel_token_expiry = fields.Datetime(copy=False, groups="base.group_system")

    _sql_constraints = [
        (
            "burgerprofiel_identity_uniq",
            "unique(burgerprofiel_sub, burgerprofiel_orgcode)",
            "This Mijn Burgerprofiel identity already has a user.",
        ),
    ]

    @api.model
    def _burgerprofiel_signin(self, identity):
        """The portal user for a checked ACM/IDM identity, and a one-time token.

        A citizen is matched by national number (an existing partner, e.g.
        made by an agent, is reused); a company or association representative
        gets a user on a contact of that organisation, so he sees its cases.
        Names always come from the token. Staff accounts are never used.
        Returns ``(login, token)`` for :meth:`_check_credentials`.
        """
        sub = identity.get("sub")
        if not sub:
            raise BurgerprofielLoginError("no_subject")
        orgcode = self._burgerprofiel_orgcode(identity)
        Users = self.sudo().with_context(active_test=False)
        user = Users.search(
            [("burgerprofiel_sub", "=", sub), ("burgerprofiel_orgcode", "=", orgcode)],
            limit=1,
        )
        if not user:
            user = (
                self._burgerprofiel_representative(identity, orgcode)
                if orgcode
                else self._burgerprofiel_citizen(identity)
            )
        if not user.active or not user.share:
            raise BurgerprofielLoginError("not_a_portal_account")
        user._burgerprofiel_update(identity)
        token = secrets.token_urlsafe(32)
        user.sudo().write(
            {
                "burgerprofiel_token_hash": _hash(token),
                "burgerprofiel_token_expiry": fields.Datetime.now() + LOGIN_TOKEN_TTL,
            }
        )
        return user.login, token

    @api.model
    def _burgerprofiel_orgcode(self, identity):
        code = identity.get("vo_orgcode") or ""
        if not isinstance(code, str):
            raise BurgerprofielLoginError("unknown_organisation")
        code = code.strip()
        if not code or identity.get("vo_doelgroepcode") == "BUR":
            return False
        if identifiers.is_valid_vcode(code):
            return identifiers.normalize_vcode(code)
        if identifiers.is_valid_kbo(code):
            return identifiers.format_kbo(code)
        raise BurgerprofielLoginError("unknown_organisation")

    @api.model
    def _burgerprofiel_citizen(self, identity):
        number = identifiers.digits_only(identity.get("rrn"))
        if not identifiers.is_valid_insz(number):
            raise BurgerprofielLoginError("no_national_number")
        partner = self.env["res.partner"]._citizen_by_national_number(
            number, {"name": _full_name(identity)}
        )
        if partner.user_ids:
            user = partner.user_ids[:1]
            if not user.share:
                # a staff member logs in with his own staff account
                raise BurgerprofielLoginError("not_a_portal_account")
            user.sudo().burgerprofiel_sub = identity["sub"]
            return user
        return self._burgerprofiel_create_user(partner, identity, False)

    @api.model
    def _burgerprofiel_representative(self, identity, orgcode):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        key = (
            "association_code" if identifiers.is_valid_vcode(orgcode) else "kbo_number"
        )
        organisation = Partner.search(
            [(key, "=", orgcode), ("is_company", "=", True)], limit=1
        )
        if not organisation:
            values = {
                "name": identity.get("vo_orgnaam") or orgcode,
                "is_company": True,
                key: orgcode,
            }
            if key == "association_code":
                values["kcc_is_association"] = True
            organisation = Partner.create(values)
        contact = Partner.create(
            {
                "name": _full_name(identity),
                "parent_id": organisation.id,
                "type": "contact",
            }
        )
        return self._burgerprofiel_create_user(contact, identity, orgcode)

    @api.model
    def _burgerprofiel_create_user(self, partner, identity, orgcode):
        suffix = f"-{orgcode}" if orgcode else ""
        dutch = self.env["res.lang"]._lang_get("nl_BE")
        return (
            self.sudo()
            .with_context(no_reset_password=True, mail_create_nosubscribe=True)
            .create(
                {
                    "partner_id": partner.id,
                    "login": f"burgerprofiel-{identity['sub']}{suffix}",
                    "burgerprofiel_sub": identity["sub"],
                    "burgerprofiel_orgcode": orgcode,
                    "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
                    "lang": dutch.code if dutch.active else self.env.lang,
                }
            )
        )

    def _burgerprofiel_update(self, identity):
        """Known data from the token: the name (never typed again), an e-mail."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        values = {}
        name = _full_name(identity)
        if name and partner.name != name:
            values["name"] = name
        email = identity.get("vo_email")
        if email and isinstance(email, str) and not partner.email:
            values["email"] = email
        if values:
            partner.write(values)

    def _check_credentials(self, credential, env):
        try:
            return super()._check_credentials(credential, env)
        except AccessDenied:
            if credential.get("type") != "burgerprofiel" or not credential.get("token"):
                raise
            user = self.sudo().search([("id", "=", self.env.uid)])
            valid = (
                user.burgerprofiel_token_hash
                and user.burgerprofiel_token_expiry
                and user.burgerprofiel_token_expiry >= fields.Datetime.now()
                and secrets.compare_digest(
                    user.burgerprofiel_token_hash, _hash(credential["token"])
                )
            )
            if not valid:
                raise
            # one time only
            user.write(
                {"burgerprofiel_token_hash": False, "burgerprofiel_token_expiry": False}
            )
            return {"uid": user.id, "auth_method": "burgerprofiel", "mfa": "skip"}


def _full_name(identity):
    return " ".join(
        part
        for part in (identity.get("given_name"), identity.get("family_name"))
        if part and isinstance(part, str)
    ).strip()

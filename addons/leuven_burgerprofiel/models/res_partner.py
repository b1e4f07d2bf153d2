from odoo import api, fields, models
from odoo.exceptions import ValidationError

from leuven.burgerprofiel import identifiers

NATIONAL_NUMBER_GROUP = "leuven_burgerprofiel.group_national_number"


class ResPartner(models.Model):
    _inherit = "res.partner"

    national_number = fields.Char(
        copy=False,
        index="btree_not_null",
        groups=NATIONAL_NUMBER_GROUP,
        help="INSZ / rijksregisternummer: sensitive, readable by a restricted group.",
    )
    national_number_masked = fields.Char(
        string="National Number (masked)",
        compute="_compute_national_number_masked",
        compute_sudo=True,
    )
    kbo_number = fields.Char(string="KBO Number", copy=False, index="btree_not_null")
    association_code = fields.Char(
        string="VCode", copy=False, help="Id in the Verenigingsregister."
    )

    _sql_constraints = [
        (
            "national_number_uniq",
            "unique(national_number)",
            "Another person already has this national number.",
        ),
    ]

    @api.depends("national_number")
    def _compute_national_number_masked(self):
        for partner in self:
            partner.national_number_masked = identifiers.mask_insz(
                partner.national_number
            )

    @api.constrains("national_number")
    def _check_national_number(self):
        for partner in self.sudo():
            if partner.national_number and not identifiers.is_valid_insz(
                partner.national_number
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s: the national number is not valid.", name=partner.name
                    )
                )

    @api.constrains("kbo_number")
    def _check_kbo_number(self):
        for partner in self:
            if partner.kbo_number and not identifiers.is_valid_kbo(partner.kbo_number):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid KBO number.",
                        number=partner.kbo_number,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_identifiers(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_identifiers(vals)
        return super().write(vals)

    @api.model
    def _normalize_identifiers(self, vals):
        number = vals.get("national_number")
        if number and identifiers.is_valid_insz(number):
            vals["national_number"] = identifiers.digits_only(number)
        kbo = vals.get("kbo_number")
        if kbo and identifiers.is_valid_kbo(kbo):
            vals["kbo_number"] = identifiers.format_kbo(kbo)

    def _kcc_personal_data(self):
        data = super()._kcc_personal_data()
        partner = self.sudo()
        users = partner.with_context(active_test=False).user_ids
        # only what the caller may read himself (see _kcc_export_field)
        field = self._kcc_export_field
        data["identities"].update(
            {
                "national_number": field(
                    data,
                    partner,
                    "national_number",
                    masked=partner.national_number_masked,
                ),
                "kbo_number": partner.kbo_number or None,
                "association_code": partner.association_code or None,
                "burgerprofiel_accounts": [
                    {
                        "sub": field(data, user, "burgerprofiel_sub"),
                        "orgcode": field(data, user, "burgerprofiel_orgcode"),
                    }
                    for user in users
                    if user.burgerprofiel_sub
                ],
            }
        )
        return data

    def _kcc_anonymise_person(self):
        self.sudo().write({"national_number": False})
        return super()._kcc_anonymise_person()

    @api.model
    def _citizen_by_national_number(self, number, values=None):
        """The partner with this national number, made from ``values`` when the
        city does not know him yet (logins, Melding doen)."""
        Partner = self.sudo().with_context(active_test=False)
        partner = Partner.search([("national_number", "=", number)], limit=1)
        return partner or Partner.create({**(values or {}), "national_number": number})

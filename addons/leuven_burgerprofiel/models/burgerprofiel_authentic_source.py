import logging

from odoo import api, models

from leuven.burgerprofiel import magda, registers

_logger = logging.getLogger(__name__)

PARAM = "leuven_burgerprofiel.%s"

SOURCES = [
    ("person", "Person (MAGDA GeefPersoon)"),
    ("company", "Company (MAGDA GeefOnderneming)"),
    ("association", "Association (Verenigingsregister)"),
]


class BurgerprofielAuthenticSource(models.AbstractModel):
    """The authentic sources (MAGDA, Verenigingsregister) as configured.

    Reads the settings, builds the clients of ``leuven.burgerprofiel`` and
    turns what they find into partner values. It does not check who asks:
    that is the lookup wizard's job.
    """

    _name = "burgerprofiel.authentic.source"
    _description = "Authentic Data Sources"

    @api.model
    def _param(self, key, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(PARAM % key, default)

    @api.model
    def _magda_signer(self):
        """The MAGDA body signer (``sign(envelope) -> envelope``), or ``None``.

        None ships with this addon: a deployment that talks to MAGDA's test or
        production environment overrides this method (see CONFIGURE).
        """

    @api.model
    def _magda_config(self):
        def timeout(key, default):
            try:
                return float(self._param(key) or default)
            except ValueError:
                return default

        return magda.MagdaConfig(
            sender_id=self._param("magda_sender_id"),
            capacity=self._param("magda_capacity"),
            environment=self._param("magda_environment") or "production",
            person_url=self._param("magda_person_url"),
            company_url=self._param("magda_company_url"),
            cert_file=self._param("magda_cert_file"),
            key_file=self._param("magda_key_file"),
            ca_bundle=self._param("magda_ca_bundle"),
            read_timeout=timeout("magda_timeout", 20.0),
            signer=self._magda_signer(),
        )

    @api.model
    def _magda_client(self):
        return magda.MagdaClient(self._magda_config())

    @api.model
    def _partner_address_values(self, address):
        values = {
            "street": " ".join(
                filter(
                    None,
                    [
                        address.street,
                        address.number,
                        f"bus {address.box}" if address.box else "",
                    ],
                )
            ),
            "zip": address.postcode,
            "city": address.municipality,
        }
        if address.country_code:
            country = self.env["res.country"].search(
                [("code", "=", address.country_code.upper())], limit=1
            )
            values["country_id"] = country.id
        return {key: value for key, value in values.items() if value}

    @api.model
    def _lookup(self, source, identifier):
        """Ask one source; returns ``(values, details, reference)``.

        ``values`` are partner field values, ``details`` extra facts to show
        (birth date, legal form, status). Raises the ``leuven.burgerprofiel``
        exceptions, and ``ValueError`` for a malformed identifier.
        """
        if source == "person":
            person = self._magda_client().lookup_person(identifier)
            values = {"name": person.name}
            values.update(self._partner_address_values(person.address))
            details = {
                "first_names": " ".join(person.first_names),
                "last_name": person.last_name,
                "birth_date": person.birth_date,
            }
            return values, details, person.reference
        if source == "company":
            company = registers.fetch_company(self._magda_client(), identifier)
            values = {"name": company.name, "kbo_number": company.kbo_number}
            values.update(self._partner_address_values(company.address))
            details = {"legal_form": company.legal_form, "status": company.status}
            return values, details, company.reference
        if source == "association":
            found = registers.fetch_association(
                identifier,
                base_url=self._param("association_register_url")
                or registers.ENVIRONMENTS["production"],
                api_key=self._param("association_register_api_key"),
            )
            values = {
                "name": found.name,
                "email": found.email,
                "phone": found.phone,
                "website": found.website,
                "association_code": found.vcode,
                "kbo_number": found.kbo_number,
            }
            values = {key: value for key, value in values.items() if value}
            values.update(self._partner_address_values(found.address))
            details = {"legal_form": found.legal_form, "status": found.status}
            return values, details, ""
        raise ValueError(f"unknown source {source!r}")

from odoo import fields, models

PARAM = "leuven_burgerprofiel.%s"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    burgerprofiel_enabled = fields.Boolean(
        string="Log In With Mijn Burgerprofiel",
        config_parameter=PARAM % "enabled",
    )
    burgerprofiel_environment = fields.Selection(
        [
            ("production", "Production (authenticatie.vlaanderen.be)"),
            ("test", "Test and integration (authenticatie-ti.vlaanderen.be)"),
            ("custom", "Other provider"),
        ],
        string="ACM/IDM Environment",
        default="test",
        config_parameter=PARAM % "environment",
    )
    burgerprofiel_issuer = fields.Char(
        string="Issuer",
        config_parameter=PARAM % "issuer",
        help="Only for another provider: its issuer URL (discovery is read from "
        "<issuer>/.well-known/openid-configuration).",
    )
    burgerprofiel_client_id = fields.Char(
        string="ACM/IDM Client ID", config_parameter=PARAM % "client_id"
    )
    burgerprofiel_client_secret = fields.Char(
        string="ACM/IDM Client Secret", config_parameter=PARAM % "client_secret"
    )
    burgerprofiel_auth_method = fields.Selection(
        [
            ("client_secret_basic", "Client secret (HTTP Basic)"),
            ("client_secret_post", "Client secret (in the form)"),
            ("private_key_jwt", "Signed with our private key (private_key_jwt)"),
        ],
        string="Client Authentication",
        default="client_secret_basic",
        config_parameter=PARAM % "auth_method",
    )
    burgerprofiel_private_key = fields.Char(
        string="Private Key (PEM)", config_parameter=PARAM % "private_key"
    )
    burgerprofiel_scopes = fields.Char(
        string="Scopes",
        default="openid profile rrn vo",
        config_parameter=PARAM % "scopes",
        help="As granted in the ACM/IDM integration file; openid is required.",
    )

    burgerprofiel_dosis_enabled = fields.Boolean(
        string="Status to Mijn Burgerprofiel",
        config_parameter=PARAM % "dosis_enabled",
    )
    burgerprofiel_entity_name = fields.Char(
        string="Providing Organisation",
        default="Stad Leuven",
        config_parameter=PARAM % "entity_name",
    )
    burgerprofiel_entity_kbo = fields.Char(
        string="Its KBO Number",
        default="0207.521.503",
        config_parameter=PARAM % "entity_kbo",
    )
    burgerprofiel_melding_enabled = fields.Boolean(
        string="Melding Doen",
        config_parameter=PARAM % "melding_enabled",
        help="Mijn Burgerprofiel and the Flemish municipal app may send reports "
        "to the KCC through /v1/melding.",
    )
    burgerprofiel_melding_audience = fields.Char(
        string="Audience of the Access Tokens",
        config_parameter=PARAM % "melding_audience",
        help="As registered at ACM/IDM for this API; empty: <website>/v1/melding.",
    )
    # Authentic sources: MAGDA and the Verenigingsregister
    magda_environment = fields.Selection(
        [
            ("production", "MAGDA production"),
            ("test", "MAGDA test (addresses from the integration file)"),
            ("custom", "Other endpoint (unsigned, for tests)"),
        ],
        string="MAGDA Environment",
        default="production",
        config_parameter=PARAM % "magda_environment",
    )
    magda_person_url = fields.Char(
        string="GeefPersoon Endpoint",
        config_parameter=PARAM % "magda_person_url",
        help="Empty in production: MAGDA's address from the WSDL.",
    )
    magda_company_url = fields.Char(
        string="GeefOnderneming Endpoint",
        config_parameter=PARAM % "magda_company_url",
        help="Empty in production: MAGDA's address from the WSDL.",
    )
    magda_sender_id = fields.Char(
        string="Sender (Afzender)",
        config_parameter=PARAM % "magda_sender_id",
        help="The sender identification MAGDA granted to the city.",
    )
    magda_capacity = fields.Char(
        string="Capacity Code (Hoedanigheid)",
        config_parameter=PARAM % "magda_capacity",
        help="The capacity code granted for the legal basis of the lookups.",
    )
    magda_cert_file = fields.Char(
        string="Client Certificate File",
        config_parameter=PARAM % "magda_cert_file",
        groups="base.group_system",
        help="Path on the server of the PEM certificate for mutual TLS.",
    )
    magda_key_file = fields.Char(
        string="Client Key File",
        config_parameter=PARAM % "magda_key_file",
        groups="base.group_system",
        help="Path on the server of the PEM private key of that certificate.",
    )
    magda_ca_bundle = fields.Char(
        string="CA Bundle File",
        config_parameter=PARAM % "magda_ca_bundle",
        groups="base.group_system",
        help="Path of the CA certificates that sign MAGDA's server certificate; "
        "empty: the system's.",
    )
    association_register_url = fields.Char(
        string="Association Register URL",
        default="https://publiek.verenigingen.vlaanderen.be",
        config_parameter=PARAM % "association_register_url",
    )
    association_register_api_key = fields.Char(
        string="Association Register API Key",
        config_parameter=PARAM % "association_register_api_key",
        groups="base.group_system",
    )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Leuven Mijn Burgerprofiel",
    "summary": "Login with Mijn Burgerprofiel (ACM/IDM), status to the profile, "
    "authentic data",
    "version": "18.0.1.1.0",
    "category": "Services/KCC",
    "author": "Stad Leuven",
    "website": "https://www.leuven.be",
    "license": "AGPL-3",
    "depends": ["leuven_kcc", "portal"],
    "external_dependencies": {
        "python": ["jsonschema", "python-jose", "requests", "zeep"],
    },
    "data": [
        "security/burgerprofiel_security.xml",
        "security/ir.model.access.csv",
        "data/burgerprofiel_legal_basis_data.xml",
        "data/burgerprofiel_endpoint_data.xml",
        "wizards/burgerprofiel_lookup_wizard_views.xml",
        "views/burgerprofiel_lookup_log_views.xml",
        "views/res_partner_views.xml",
        "views/login_templates.xml",
        "views/res_config_settings_views.xml",
        "views/kcc_case_views.xml",
        "views/kcc_case_category_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "leuven_burgerprofiel/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Leuven KCC",
    "summary": "Customer contact centre: questions, reports, suggestions and "
    "complaints followed until answered",
    "version": "18.0.1.0.0",
    "category": "Services/KCC",
    "author": "Stad Leuven",
    "website": "https://www.leuven.be",
    "license": "AGPL-3",
    "depends": ["mail", "portal", "resource", "website"],
    "data": [
        "security/kcc_security.xml",
        "security/ir.model.access.csv",
        "data/kcc_case_sequence.xml",
        "data/kcc_mail_templates.xml",
        "data/kcc_data.xml",
        "data/kcc_cron.xml",
        "data/kcc_holidays.xml",
        "data/kcc_website_data.xml",
        "views/kcc_case_views.xml",
        "views/kcc_handler_group_views.xml",
        "views/kcc_case_category_views.xml",
        "views/kcc_routing_rule_views.xml",
        "views/kcc_contact_views.xml",
        "views/kcc_web_submission_views.xml",
        "views/kcc_telephony_system_views.xml",
        "views/res_partner_views.xml",
        "views/website_templates.xml",
        "views/portal_templates.xml",
        "wizards/kcc_case_transfer_wizard_views.xml",
        "wizards/kcc_routing_test_views.xml",
        "wizards/kcc_quick_contact_views.xml",
        "wizards/kcc_kpi_dashboard_views.xml",
        "views/res_config_settings_views.xml",
        "views/kcc_menus.xml",
    ],
    "demo": [
        "demo/kcc_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "leuven_kcc/static/src/js/kcc_incoming_call_service.js",
        ],
        "web.assets_frontend": [
            "leuven_kcc/static/src/js/kcc_report_form.js",
        ],
        "web.assets_tests": [
            "leuven_kcc/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}

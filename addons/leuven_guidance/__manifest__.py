# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Leuven Guidance",
    "summary": "Guidance trajectories: a citizen followed for months by a coach, "
    "his dwellings apart from him",
    "version": "18.0.1.0.0",
    "category": "Services/KCC",
    "author": "Stad Leuven",
    "website": "https://www.leuven.be",
    "license": "AGPL-3",
    "depends": ["calendar", "leuven_kcc", "leuven_burgerprofiel"],
    "data": [
        "security/guidance_security.xml",
        "security/ir.model.access.csv",
        "data/guidance_sequence.xml",
        "data/guidance_data.xml",
        "data/guidance_access_data.xml",
        "views/guidance_trajectory_views.xml",
        "views/guidance_dwelling_views.xml",
        "views/guidance_config_views.xml",
        "views/kcc_case_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "wizards/guidance_start_wizard_views.xml",
        "report/guidance_report_views.xml",
        "views/guidance_menus.xml",
    ],
    "demo": [
        "demo/guidance_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "leuven_guidance/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Leuven Helpt",
    "summary": "Help requests taken in by the KCC, matched to screened volunteers "
    "and partner organisations, followed until the help is done",
    "version": "18.0.1.0.0",
    "category": "Services/KCC",
    "author": "Stad Leuven",
    "website": "https://www.leuven.be",
    "license": "AGPL-3",
    "depends": ["leuven_kcc", "leuven_guidance"],
    "data": [
        "security/helpt_security.xml",
        "security/ir.model.access.csv",
        "data/helpt_data.xml",
        "views/helpt_volunteer_views.xml",
        "views/helpt_config_views.xml",
        "views/kcc_case_views.xml",
        "data/helpt_mail_templates.xml",
        "data/helpt_cron.xml",
        "views/helpt_portal_templates.xml",
        "wizards/helpt_suggestion_wizard_views.xml",
        "views/helpt_menus.xml",
        "views/helpt_match_views.xml",
    ],
    "demo": [
        "demo/helpt_demo.xml",
    ],
    "installable": True,
}

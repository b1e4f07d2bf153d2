# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Leuven Energy Coaching",
    "summary": "Energy coaching trajectories: stage rules, the dwelling's EPC and "
    "proposals of premiums and measures for the coach",
    "version": "18.0.1.0.0",
    "category": "Services/KCC",
    "author": "Stad Leuven",
    "website": "https://www.leuven.be",
    "license": "AGPL-3",
    "depends": ["leuven_guidance"],
    "data": [
        "security/ir.model.access.csv",
        "security/energy_financial_security.xml",
        "data/energy_data.xml",
        "data/energy_endpoint_data.xml",
        "data/energy_cron.xml",
        "data/energy_mail_templates.xml",
        "views/guidance_dwelling_views.xml",
        "views/guidance_trajectory_views.xml",
        "views/energy_financial_views.xml",
        "views/energy_proposal_notice_views.xml",
        "views/guidance_dwelling_heating_views.xml",
        "views/energy_portal_templates.xml",
        "wizards/energy_epc_manual_wizard_views.xml",
        "report/energy_kpi_report_views.xml",
    ],
    "demo": [
        "demo/energy_demo.xml",
    ],
    "installable": True,
}

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
        "data/energy_data.xml",
        "data/energy_endpoint_data.xml",
        "views/guidance_dwelling_views.xml",
        "views/guidance_trajectory_views.xml",
        "wizards/energy_epc_manual_wizard_views.xml",
    ],
    "demo": [
        "demo/energy_demo.xml",
    ],
    "installable": True,
}

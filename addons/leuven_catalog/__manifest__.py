# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Leuven Product Catalogue",
    "summary": "The city's product and service catalogue, synced from IPDC/LPDC",
    "version": "18.0.1.0.0",
    "category": "Services/KCC",
    "author": "Stad Leuven",
    "website": "https://www.leuven.be",
    "license": "AGPL-3",
    "depends": ["leuven_kcc", "website"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/catalog_security.xml",
        "security/ir.model.access.csv",
        "data/catalog_data.xml",
        "views/catalog_product_views.xml",
        "views/kcc_case_views.xml",
        "views/res_config_settings_views.xml",
        "views/website_templates.xml",
        "views/catalog_home_templates.xml",
    ],
    "demo": [
        "demo/catalog_demo.xml",
    ],
    "installable": True,
}

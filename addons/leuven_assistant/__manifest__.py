# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Leuven Digital Assistant",
    "summary": "Guided questions per topic, with hand-off to a case",
    "version": "18.0.1.1.0",
    "category": "Services/KCC",
    "author": "Stad Leuven",
    "website": "https://www.leuven.be",
    "license": "AGPL-3",
    "depends": ["leuven_kcc", "website"],
    "external_dependencies": {"python": ["jsonschema", "panzi-json-logic"]},
    "data": [
        "security/assistant_security.xml",
        "security/ir.model.access.csv",
        "wizards/assistant_topic_import_views.xml",
        "views/assistant_topic_views.xml",
        "views/assistant_session_views.xml",
        "views/assistant_website_templates.xml",
        "views/assistant_home_templates.xml",
        "views/res_config_settings_views.xml",
        "data/assistant_website_data.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "leuven_assistant/static/src/agent/*",
            "leuven_assistant/static/src/condition_builder/*",
        ],
        "web.assets_tests": [
            "leuven_assistant/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/assistant_topic_demo.xml",
    ],
    "installable": True,
}

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Leuven Mijn Burgerprofiel",
    "summary": "Login with Mijn Burgerprofiel (ACM/IDM), status to the profile, "
    "authentic data",
    "version": "18.0.1.0.0",
    "category": "Services/KCC",
    "author": "Stad Leuven",
    "website": "https://www.leuven.be",
    "license": "AGPL-3",
    "depends": ["leuven_kcc", "auth_oauth", "portal"],
    "data": [
        "security/burgerprofiel_security.xml",
        "views/res_partner_views.xml",
    ],
    "installable": True,
}

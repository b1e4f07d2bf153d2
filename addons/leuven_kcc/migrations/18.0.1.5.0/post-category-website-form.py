# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Categories get the public form that offers them (``website_form``).

The new column is computed when the module is updated: a category stays on
both forms, as before, except a confidential one, which is on none (made
sure of here whatever the update order). The administrator chooses the form
of each category; the demonstration categories, which an update does not
load again, get the form they have in a new database.
"""

DEMO_FORMS = {
    "demo_category_road_damage": "report",
    "demo_category_lighting": "report",
    "demo_category_green": "report",
    "demo_category_waste": "both",
    "demo_category_civil": "contact",
    "demo_category_permits": "contact",
    "demo_category_parking": "contact",
    "demo_category_subsidies": "contact",
}


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE kcc_case_category
           SET website_form = 'none'
         WHERE confidential
           AND website_form IS DISTINCT FROM 'none'
        """
    )
    for xmlid, form in DEMO_FORMS.items():
        cr.execute(
            """
            UPDATE kcc_case_category category
               SET website_form = %s
              FROM ir_model_data data
             WHERE data.module = 'leuven_kcc'
               AND data.name = %s
               AND data.model = 'kcc.case.category'
               AND data.res_id = category.id
               AND category.website_form = 'both'
               AND NOT coalesce(category.confidential, false)
            """,
            (form, xmlid),
        )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The city's website: its contact data instead of Odoo's placeholders, its
logo, no menu entry for Odoo's example contact page (new databases get the
same from data/kcc_website_data.xml)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["website"]._kcc_setup_city_site()

from odoo import api, models

from .kcc_api_client import CITY_LANG

STANDARD_CALENDAR = "resource.resource_calendar_std"
STANDARD_CALENDAR_NAMES = {"Standard 40 hours/week": "Standaard 40 uren/week"}


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _kcc_load_city_language(self):
        """Activate the city's language and load its terms for every installed
        module (run at each install and upgrade of the KCC).

        A module installed after the language was activated gets its terms at
        its installation; the modules installed before the KCC (web, mail,
        portal, website...) do not, unless the database was made with
        ``--load-language``: their pages, menus and e-mail layouts would stay
        in English for a Dutch visitor. Terms already there are kept. The
        company's standard calendar gets its Dutch name unless renamed."""
        self._activate_lang(CITY_LANG)
        self.env["ir.module.module"].search(
            [("state", "=", "installed")]
        )._update_translations(CITY_LANG)
        # the default calendar of the handler groups, the KCC's included: its
        # name is no translatable text, Odoo makes it in English
        calendar = self.env.ref(STANDARD_CALENDAR, raise_if_not_found=False)
        if calendar and calendar.name in STANDARD_CALENDAR_NAMES:
            calendar.name = STANDARD_CALENDAR_NAMES[calendar.name]

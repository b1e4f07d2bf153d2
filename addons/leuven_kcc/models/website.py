import base64
from collections import defaultdict

from odoo import api, models, tools

# what Odoo puts in a new database, replaced by the city's own data
PLACEHOLDER_COMPANY_NAMES = ("My Company", "YourCompany")
PLACEHOLDER_WEBSITE_NAMES = ("My Website",)
DEFAULT_LOGO = "website/static/src/img/website_logo.svg"
CITY_LOGO = "leuven_kcc/static/src/img/leuven_logo.png"


def _file_base64(path):
    with tools.file_open(path, "rb") as file:
        return base64.b64encode(file.read())


class Website(models.Model):
    _inherit = "website"

    @api.model
    def _kcc_city_company_values(self):
        """The city's contact data, shown on the home page and in the footer."""
        return {
            "name": "Stad Leuven",
            "street": "Professor Van Overstraetenplein 1",
            "street2": False,
            "zip": "3000",
            "city": "Leuven",
            "state_id": False,
            "country_id": self.env.ref("base.be").id,
            "phone": "016 27 20 00",
            "email": "info@leuven.be",
            "website": "https://www.leuven.be",
        }

    @api.model
    def _kcc_setup_city_site(self):
        """Replace what Odoo puts in a new database on the city's website:
        the placeholder company (name, address, phone, e-mail), the default
        logo and website name, and the "Contact us" menu of Odoo's example
        contact page (the city's forms have their own entries).

        Data a person entered is kept: only Odoo's placeholders are replaced,
        so this may run again (module installation and update)."""
        company = self.env.ref("base.main_company")
        if company.name in PLACEHOLDER_COMPANY_NAMES:
            company.partner_id.write(self._kcc_city_company_values())
            company.name = company.partner_id.name
        default_logo = _file_base64(DEFAULT_LOGO)
        for website in self.search([]):
            if website.name in PLACEHOLDER_WEBSITE_NAMES:
                website.name = website.company_id.name
            if not website.logo or website.logo == default_logo:
                website.logo = _file_base64(CITY_LOGO)
        contact_menu = self.env.ref("website.menu_contactus", raise_if_not_found=False)
        if contact_menu:
            # with its copies on each website (same address)
            contact_menu.unlink()
        # the header leaves its room to the menu: Odoo's call to action leads
        # to its example contact page, the phone number (the company's, see
        # the header's text element) is on the home page and in the footer
        for xmlid in ("website.header_call_to_action", "website.header_text_element"):
            view = self.env.ref(xmlid, raise_if_not_found=False)
            if view:
                view.active = False
        # the city's forms first: on a narrow screen the last entries move
        # into the menu's "+"
        for url, sequence in (("/kcc/report", 20), ("/kcc/contact", 21)):
            self.env["website.menu"].search([("url", "=", url)]).sequence = sequence

    def _kcc_opening_hours(self):
        """The opening hours of the city's contact centre, from the working
        hours of the website's company: ``[(day, "08:30–12:30, …"), …]``."""
        self.ensure_one()
        calendar = self.company_id.resource_calendar_id.sudo()
        Attendance = self.env["resource.calendar.attendance"]
        days = dict(Attendance._fields["dayofweek"]._description_selection(self.env))
        hours = defaultdict(list)
        for attendance in calendar.attendance_ids.sorted(
            lambda a: (int(a.dayofweek), a.hour_from)
        ):
            if attendance.day_period == "lunch" or attendance.display_type:
                continue
            span = f"{_hour(attendance.hour_from)}–{_hour(attendance.hour_to)}"
            if span not in hours[attendance.dayofweek]:  # two-week calendars
                hours[attendance.dayofweek].append(span)
        return [(days[day], ", ".join(ranges)) for day, ranges in hours.items()]


def _hour(value):
    hours, minutes = divmod(round(value * 60), 60)
    return f"{hours:02d}:{minutes:02d}"

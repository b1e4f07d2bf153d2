import re

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

HANDLER = "leuven_kcc.group_kcc_handler"


class ResPartner(models.Model):
    _inherit = "res.partner"

    kcc_is_association = fields.Boolean(
        string="Association",
        help="An association (vereniging), for routing and the customer's 360° view.",
    )
    kcc_is_partner_organisation = fields.Boolean(
        string="Partner Organisation",
        help="An external organisation (e.g. a welfare partner) that may receive "
        "cases with the citizen's consent.",
    )
    kcc_case_ids = fields.One2many("kcc.case", "partner_id", string="KCC Cases")
    kcc_contact_ids = fields.One2many(
        "kcc.contact", "partner_id", string="KCC Contacts"
    )
    kcc_history_case_ids = fields.Many2many(
        "kcc.case",
        string="Case History",
        compute="_compute_kcc_history",
        groups=HANDLER,
    )
    kcc_history_contact_ids = fields.Many2many(
        "kcc.contact",
        string="Contact History",
        compute="_compute_kcc_history",
        groups=HANDLER,
    )
    kcc_case_count = fields.Integer(compute="_compute_kcc_history", groups=HANDLER)
    kcc_open_case_count = fields.Integer(
        string="Open Cases", compute="_compute_kcc_history", groups=HANDLER
    )
    kcc_closed_case_count = fields.Integer(
        string="Finished Cases", compute="_compute_kcc_history", groups=HANDLER
    )
    kcc_contact_count = fields.Integer(
        string="Contacts", compute="_compute_kcc_history", groups=HANDLER
    )
    kcc_case_reference = fields.Char(
        string="Case Reference",
        compute="_compute_kcc_case_reference",
        search="_search_kcc_case_reference",
        groups=HANDLER,
    )

    def _kcc_history_domain(self):
        """Cases of this customer; a company or association also shows its people's."""
        self.ensure_one()
        return [("commercial_partner_id", "=", self.commercial_partner_id.id)]

    @api.depends("kcc_case_ids", "kcc_contact_ids")
    @api.depends_context("uid")
    def _compute_kcc_history(self):
        Case = self.env["kcc.case"]
        Contact = self.env["kcc.contact"]
        Log = self.env["kcc.audit.log"]
        for partner in self:
            if not partner.id:
                partner.kcc_history_case_ids = partner.kcc_history_contact_ids = False
                partner.kcc_case_count = partner.kcc_open_case_count = 0
                partner.kcc_closed_case_count = partner.kcc_contact_count = 0
                continue
            if not self.env.su:
                # every look at a customer's history by a person is auditable
                Log._log_once("read_360", partner._origin or partner)
            domain = partner._kcc_history_domain()
            cases = Case.search(domain, order="date_received desc, id desc")
            contacts = Contact.search(domain, order="date desc, id desc")
            partner.kcc_history_case_ids = cases
            partner.kcc_history_contact_ids = contacts
            partner.kcc_case_count = len(cases)
            partner.kcc_open_case_count = len(cases.filtered("is_open"))
            partner.kcc_closed_case_count = len(cases) - partner.kcc_open_case_count
            partner.kcc_contact_count = len(contacts)

    def _compute_kcc_case_reference(self):
        self.kcc_case_reference = False

    def _search_kcc_case_reference(self, operator, value):
        if operator not in ("ilike", "=", "=ilike"):
            return expression.FALSE_DOMAIN
        cases = self.env["kcc.case"].search([("name", operator, value)])
        return [("id", "in", cases.commercial_partner_id.ids + cases.partner_id.ids)]

    @api.model
    def _kcc_find_customer(self, text):
        """The customer matching a case reference, e-mail, phone or name."""
        text = (text or "").strip()
        if not text:
            return self.browse()
        case = self.env["kcc.case"].search([("name", "=ilike", text)], limit=1)
        if case.partner_id:
            return case.partner_id
        by_phone = self._kcc_search_phone(text)
        if len(by_phone) == 1:
            return by_phone
        for domain in ([("email", "=ilike", text)], [("name", "ilike", text)]):
            partners = self.search(domain, limit=2)
            if len(partners) == 1:
                return partners
        return self.browse()

    @api.model
    def _kcc_search_phone(self, text, limit=2):
        """Partners whose phone or mobile ends in the same 8 digits as ``text``.

        Matches "+32 16 27 20 00", "016 27 20 00" and "016272000" alike.
        """
        digits = re.sub(r"\D", "", text or "")
        if len(digits) < 8:
            return self.browse()
        tail = digits[-8:]
        self.flush_model(["phone", "mobile", "active"])

        def tail_of(column):
            return SQL(
                "right(regexp_replace(coalesce(%s, ''), '\\D', '', 'g'), 8)",
                SQL.identifier(column),
            )

        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE active AND (%s = %s OR %s = %s) "
                "ORDER BY id LIMIT %s",
                tail_of("phone"),
                tail,
                tail_of("mobile"),
                tail,
                limit,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.search([("id", "in", ids)])

    def action_view_kcc_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_case_action"
        )
        action["domain"] = self._kcc_history_domain()
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_kcc_contacts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_contact_action"
        )
        action["domain"] = self._kcc_history_domain()
        action["context"] = {"default_partner_id": self.id}
        return action

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.kcc_case import CASE_TYPES


class KccQuickContact(models.TransientModel):
    """The phone and counter screen: find the caller, see his history, log the
    contact and either answer it in first line or turn it into a case."""

    _name = "kcc.quick.contact"
    _description = "Register a Customer Contact"

    contact_id = fields.Many2one(
        "kcc.contact",
        string="Announced Call",
        help="The call the telephone platform logged.",
    )
    search_text = fields.Char(
        string="Find Customer",
        help="Name, e-mail address, phone number or case reference.",
    )
    channel = fields.Selection(
        [("phone", "Phone"), ("counter", "Counter"), ("letter", "Letter")],
        required=True,
        default="phone",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
    )
    contact_name = fields.Char(string="Name")
    contact_phone = fields.Char(string="Phone")
    contact_email = fields.Char(string="Email")
    history_case_ids = fields.Many2many(
        "kcc.case", string="Cases", compute="_compute_history"
    )
    history_contact_ids = fields.Many2many(
        "kcc.contact", string="Earlier Contacts", compute="_compute_history"
    )
    open_case_count = fields.Integer(compute="_compute_history")
    contact_count = fields.Integer(compute="_compute_history")
    summary = fields.Text(help="What did the customer ask, and what was answered?")
    case_type = fields.Selection(CASE_TYPES, string="Type", default="question")
    category_id = fields.Many2one("kcc.case.category")
    subject = fields.Char(help="Subject of the case, when one is made.")

    @api.depends("search_text")
    def _compute_partner_id(self):
        Partner = self.env["res.partner"]
        for wizard in self:
            found = Partner._kcc_find_customer(wizard.search_text)
            if found or not wizard.partner_id:
                wizard.partner_id = found

    @api.depends("partner_id")
    def _compute_history(self):
        for wizard in self:
            partner = wizard.partner_id
            if partner:
                wizard.history_case_ids = partner.kcc_history_case_ids
                wizard.history_contact_ids = partner.kcc_history_contact_ids
                wizard.open_case_count = partner.kcc_open_case_count
                wizard.contact_count = partner.kcc_contact_count
            else:
                wizard.history_case_ids = wizard.history_contact_ids = False
                wizard.open_case_count = wizard.contact_count = 0

    def _caller_values(self):
        self.ensure_one()
        if self.partner_id:
            return {"partner_id": self.partner_id.id}
        phone = self.contact_phone
        if (
            not phone
            and self.search_text
            and sum(c.isdigit() for c in self.search_text) >= 8
        ):
            phone = self.search_text
        return {
            "contact_name": self.contact_name,
            "contact_phone": phone,
            "contact_email": self.contact_email,
        }

    def _check_summary(self):
        if not (self.summary or "").strip():
            raise UserError(self.env._("Write a short summary of the contact first."))

    def action_answered(self):
        """The KCC answered the customer: log the contact as first-line resolved."""
        self.ensure_one()
        self._check_summary()
        values = {
            **self._caller_values(),
            "channel": self.channel,
            "summary": self.summary.strip(),
            "first_line_resolved": True,
        }
        if self.contact_id:
            contact = self.contact_id
            contact.write({k: v for k, v in values.items() if v or k == "summary"})
        else:
            contact = self.env["kcc.contact"].create(values)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Contact logged as answered in first line."),
                "next": {"type": "ir.actions.act_window_close"},
            },
            "context": {"kcc_contact_id": contact.id},
        }

    def action_create_case(self):
        """Turn the contact into a case in one step and open it."""
        self.ensure_one()
        self._check_summary()
        subject = (self.subject or "").strip() or self.summary.strip().splitlines()[0]
        values = {
            **self._caller_values(),
            "subject": subject[:200],
            "description": self.summary.strip(),
            "case_type": self.case_type,
            "category_id": self.category_id.id,
        }
        values = {k: v for k, v in values.items() if v}
        case = self.env["kcc.case"]._intake(
            values,
            self.channel,
            contact_summary=self.summary.strip(),
            contact=self.contact_id,
        )
        if not case.with_env(self.env).has_access("read"):
            # a confidential category: the case went to its handler group,
            # which the agent is not in; say where it went instead of failing
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "title": self.env._("Case %(case)s registered", case=case.name),
                    "message": self.env._(
                        "This is a confidential case: only %(group)s and the KCC "
                        "supervisors can open it.",
                        group=case.sudo().handler_group_id.display_name,
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "kcc.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }

from odoo import api, fields, models

from .sql_index import ensure_index


class KccContact(models.Model):
    """One customer contact (klantcontact) on any channel, with or without a case."""

    _name = "kcc.contact"
    _inherit = ["kcc.channel.mixin"]
    _description = "Customer Contact"
    _order = "date desc, id desc"
    _rec_name = "summary"

    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    channel = fields.Selection(required=True, default="phone", index=True)
    direction = fields.Selection(
        [("inbound", "Incoming"), ("outbound", "Outgoing")],
        required=True,
        default="inbound",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index="btree_not_null"
    )
    # indexed with the date for the customer's history (see init)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, precompute=True
    )
    contact_name = fields.Char()
    contact_email = fields.Char()
    contact_phone = fields.Char()
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        default=lambda self: self.env.user if not self.env.user.share else False,
        index="btree_not_null",
    )
    summary = fields.Text(required=True)
    case_id = fields.Many2one("kcc.case", ondelete="set null", index="btree_not_null")
    handler_group_id = fields.Many2one(
        related="case_id.handler_group_id",
        store=True,
        precompute=True,
        string="Handler Group",
        help="The group handling the contact's case; kept on the contact for the "
        "access rules, like its confidentiality.",
    )
    case_confidential = fields.Boolean(
        related="case_id.is_confidential",
        store=True,
        precompute=True,
        help="Kept on the contact so the access rules need no look-up of the case "
        "for each of millions of contacts.",
    )
    first_line_resolved = fields.Boolean(
        string="Resolved in First Line",
        help="The customer got the answer during this contact, from the KCC.",
    )
    external_ref = fields.Char(
        string="External Reference",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Id of the call or message in the system that announced it.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "external_ref_uniq",
            "unique(external_ref)",
            "This contact was already logged.",
        ),
    ]

    def init(self):
        # a customer's history: his latest contacts and their count, read from
        # the index alone (with the columns the access rules look at)
        ensure_index(
            self.env.cr,
            "kcc_contact_customer_history_idx",
            self._table,
            ["commercial_partner_id", "date DESC", "id DESC"],
            include=["case_confidential", "handler_group_id"],
            where="commercial_partner_id IS NOT NULL",
        )

    @api.depends("summary", "date", "channel")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for contact in self:
            lines = (contact.summary or "").strip().splitlines()
            channel = channels.get(contact.channel, "")
            contact.display_name = f"{channel}: {lines[0]}" if lines else channel

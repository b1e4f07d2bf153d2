from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    kcc_is_association = fields.Boolean(
        string="Association",
        help="An association (vereniging), for routing and the customer's 360° view.",
    )
    kcc_case_ids = fields.One2many("kcc.case", "partner_id", string="KCC Cases")
    kcc_case_count = fields.Integer(
        compute="_compute_kcc_case_count", groups="leuven_kcc.group_kcc_handler"
    )

    def _compute_kcc_case_count(self):
        counts = dict(
            self.env["kcc.case"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.kcc_case_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_kcc_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_case_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

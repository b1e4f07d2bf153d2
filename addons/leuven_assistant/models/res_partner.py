from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    assistant_session_ids = fields.One2many(
        "assistant.session", "partner_id", string="Assistant Sessions"
    )
    assistant_session_count = fields.Integer(compute="_compute_assistant_session_count")

    def _compute_assistant_session_count(self):
        counts = dict(
            self.env["assistant.session"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.assistant_session_count = counts.get(partner, 0)

    def action_open_assistant(self):
        """Run a topic of the assistant for this caller (agent mode)."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "leuven_assistant.agent_assistant",
            "name": self.env._("Assistant for %(partner)s", partner=self.display_name),
            "params": {"partner_id": self.id, "partner_name": self.display_name},
        }

    def action_view_assistant_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_assistant.assistant_session_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _kcc_personal_data(self):
        data = super()._kcc_personal_data()
        sessions = (
            self.env["assistant.session"]
            .sudo()
            .search([("partner_id", "=", self.id)], order="id")
        )
        data["assistant_sessions"] = [
            {
                "topic": session.topic_id.name,
                "date": str(session.create_date),
                "channel": session.channel,
                "state": session.state,
                "answers": session._answers_dict(),
                "outcome": session.outcome or None,
                "case": session.case_id.name or None,
            }
            for session in sessions
        ]
        return data

    def _kcc_anonymise_person(self):
        self.env["assistant.session"].sudo().search(
            [("partner_id", "in", self.ids)]
        ).write({"partner_id": False, "answers": "{}"})
        return super()._kcc_anonymise_person()

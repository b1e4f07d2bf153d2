from odoo import api, fields, models
from odoo.exceptions import UserError

from leuven.energy import epc
from leuven.guidance import access

EPC_LABELS = [(label, label) for label in epc.LABELS]
EPC_ENDPOINT = "epc_lookup"
# the dwelling's fields of the data category "epc" (leuven.guidance.access.EPC)
EPC_FIELDS = (
    "epc_label",
    "epc_score",
    "epc_certificate_number",
    "epc_issued_on",
    "epc_valid_until",
    "epc_source",
    "epc_checked_on",
)


class GuidanceDwelling(models.Model):
    """The dwelling's energy performance certificate (EPC), from the EPC
    database or entered by the coach, with the source and day of the value."""

    _inherit = "guidance.dwelling"

    epc_label = fields.Selection(EPC_LABELS, string="EPC Label", tracking=True)
    epc_score = fields.Float(
        string="EPC Score (kWh/m²·year)", digits=(10, 1), tracking=True
    )
    epc_certificate_number = fields.Char(string="EPC Certificate Number", tracking=True)
    epc_issued_on = fields.Date(string="EPC Issued On", tracking=True)
    epc_valid_until = fields.Date(string="EPC Valid Until", tracking=True)
    epc_source = fields.Selection(
        [("lookup", "EPC database"), ("manual", "Entered by the coach")],
        string="EPC Source",
        tracking=True,
    )
    epc_checked_on = fields.Date(string="EPC Checked On", tracking=True)

    @api.model
    def _guidance_field_map(self):
        # a partner organisation reads the EPC with the category "epc" granted
        field_map = dict(super()._guidance_field_map())
        field_map[access.EPC] = tuple(field_map.get(access.EPC, ())) + EPC_FIELDS
        return field_map

    def _epc_client(self):
        """The EPC lookup client, configured by its outbox endpoint record
        (address, timeouts, key)."""
        endpoint = self.env["kcc.outbox.endpoint"]._for_target(EPC_ENDPOINT)
        if not endpoint or not endpoint.active:
            return epc.EpcClient("")
        endpoint = endpoint.sudo()
        return epc.EpcClient(
            endpoint.url or "",
            timeout=(endpoint.connect_timeout, endpoint.read_timeout),
            api_key=endpoint.token if endpoint.auth_type == "bearer" else "",
        )

    def _epc_write(self, record, source):
        """Write an :class:`leuven.energy.epc.EpcRecord` on the dwelling."""
        self.ensure_one()
        self.write(
            {
                "epc_label": record.label,
                "epc_score": record.score,
                "epc_certificate_number": record.certificate_number or False,
                "epc_issued_on": record.issued_on,
                "epc_valid_until": record.valid_until,
                "epc_source": source,
                "epc_checked_on": record.retrieved_on
                or fields.Date.context_today(self),
            }
        )
        self.sudo().trajectory_ids._energy_note_label(self.sudo())

    def action_epc_lookup(self):
        """Look the EPC up in the EPC database. A failing lookup changes
        nothing: the dwelling stays usable and its chatter says why."""
        self.ensure_one()
        self.check_access("write")
        if not (self.address_register_id or "").strip():
            raise UserError(
                self.env._(
                    "Fill in the address register id first: the EPC is looked "
                    "up by address."
                )
            )
        today = fields.Date.context_today(self)
        try:
            record = self._epc_client().lookup(
                self.address_register_id.strip(), self.building_unit_id, today=today
            )
        except epc.NotFound:
            note = self.env._(
                "The EPC database has no certificate for this dwelling: the EPC "
                "was not changed. Enter it by hand when the citizen has one."
            )
        except epc.InvalidResponse:
            note = self.env._(
                "The EPC database gave an answer that could not be read: the EPC "
                "was not changed. Try again later or enter it by hand."
            )
        except epc.EpcError:
            note = self.env._(
                "The EPC database did not answer: the EPC was not changed. Try "
                "again later or enter it by hand."
            )
        else:
            self._epc_write(record, "lookup")
            score = f"{record.score:g}"
            message = self.env._(
                "EPC taken from the EPC database on %(day)s: label %(label)s, "
                "%(score)s kWh/m² per year.",
                day=today.strftime("%d/%m/%Y"),
                label=record.label,
                score=score,
            )
            self.message_post(body=message, subtype_xmlid="mail.mt_note")
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": message,
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        self.message_post(body=note, subtype_xmlid="mail.mt_note")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "warning", "message": note, "sticky": True},
        }

    def action_epc_manual(self):
        """The form in which the coach enters the EPC by hand."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Enter EPC"),
            "res_model": "energy.epc.manual.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dwelling_id": self.id},
        }

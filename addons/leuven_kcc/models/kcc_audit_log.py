from odoo import api, fields, models
from odoo.exceptions import AccessError

from leuven.kcc import privacy

AUDIT_ACTIONS = [
    ("read_360", "Customer history opened"),
    ("read_confidential", "Confidential case opened"),
    ("export", "Export"),
    ("share", "Shared with a partner organisation"),
    ("withdraw", "Consent withdrawn"),
    ("personal_data_export", "Personal data exported"),
    ("erasure", "Erasure"),
    ("anonymise", "Anonymised (retention)"),
    ("sensitivity", "Sensitivity changed"),
    ("confidentiality", "Confidentiality changed"),
    ("move_sensitive", "Sensitive case moved"),
]


class KccAuditLog(models.Model):
    """Who read or handed out which personal data, when and why.

    Rows refer to records by model and id (no foreign key), so that
    anonymising or deleting a case or a person never erases its trail.
    """

    _name = "kcc.audit.log"
    _description = "KCC Audit Log"
    _order = "date desc, id desc"
    _rec_name = "record_text"
    _log_access = True

    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", readonly=True, ondelete="set null", index=True
    )
    user_name = fields.Char(readonly=True)
    action = fields.Selection(AUDIT_ACTIONS, required=True, readonly=True, index=True)
    res_model = fields.Char(string="Model", readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", readonly=True, index=True)
    record_text = fields.Char(
        string="Record", readonly=True, help="Reference and masked subject or name."
    )
    record_count = fields.Integer(string="Records", readonly=True, default=1)
    purpose = fields.Char(readonly=True)

    def write(self, vals):
        if vals:
            raise AccessError(self.env._("The audit log cannot be changed."))
        return super().write(vals)

    @api.model
    def _log(self, action, records=None, purpose=None, text=None, count=None):
        """Add one row for ``records`` (one record, or a batch: the first id is
        kept with the count). Never fails the caller's operation."""
        records = records if records is not None else self.env["res.partner"]
        user = self.env.user
        first = records[:1]
        values = {
            "action": action,
            "user_id": user.id,
            "user_name": user.name,
            "res_model": records._name if records else False,
            "res_id": first.id or False,
            "record_text": text
            if text is not None
            else (self._record_text(first) if first else False),
            "record_count": count if count is not None else len(records),
            "purpose": purpose or self.env.context.get("kcc_audit_purpose") or False,
        }
        # on a read-only cursor this raises and Odoo retries the request on a
        # read/write one; the forms that are audited open read/write already
        return self.sudo().create(values)

    @api.model
    def _record_text(self, record):
        """Reference and masked subject of a case; masked name otherwise."""
        record = record.sudo()
        if record._name == "kcc.case":
            return f"{record.name} {privacy.mask_text(record.subject)}"
        return privacy.mask_text(record.display_name)

    @api.model
    def _log_once(self, action, record, purpose=None):
        """Log ``action`` on ``record`` once per transaction and user (a form
        reads its record several times while it is open)."""
        Log = self.sudo()
        Log.flush_model()
        if Log.search_count(
            [
                ("user_id", "=", self.env.uid),
                ("action", "=", action),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("create_date", "=", self.env.cr.now()),
            ],
            limit=1,
        ):
            return self.browse()
        return self._log(action, record, purpose=purpose)

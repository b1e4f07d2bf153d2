from odoo import fields, models


class CatalogSyncLog(models.Model):
    """One run of the IPDC synchronisation, with its counts and problems."""

    _name = "catalog.sync.log"
    _description = "Catalogue Synchronisation"
    _order = "id desc"
    _rec_name = "started_at"

    started_at = fields.Datetime(default=fields.Datetime.now, readonly=True)
    finished_at = fields.Datetime(readonly=True)
    mode = fields.Selection(
        [("incremental", "Incremental"), ("full", "Full")], readonly=True, required=True
    )
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="running",
        readonly=True,
    )
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    archived_count = fields.Integer(string="Archived", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    skipped_count = fields.Integer(
        string="Other Governments", readonly=True, help="Products of other governments."
    )
    error = fields.Text(readonly=True)
    line_ids = fields.One2many("catalog.sync.log.line", "log_id", string="Problems")


class CatalogSyncLogLine(models.Model):
    _name = "catalog.sync.log.line"
    _description = "Catalogue Synchronisation Problem"
    _order = "id"

    log_id = fields.Many2one(
        "catalog.sync.log", required=True, ondelete="cascade", index=True
    )
    product_ref = fields.Char(string="Product", readonly=True)
    level = fields.Selection(
        [("warning", "Warning"), ("error", "Error")], default="warning", readonly=True
    )
    message = fields.Text(readonly=True)

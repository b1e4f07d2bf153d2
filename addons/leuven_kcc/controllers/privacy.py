import json

from odoo import http
from odoo.http import request


class KccPrivacy(http.Controller):
    @http.route("/kcc/privacy/export/<int:partner_id>", type="http", auth="user")
    def export_personal_data(self, partner_id, **kwargs):
        """Right of access: everything about one person, as a JSON file."""
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            return request.not_found()
        data = partner._kcc_export_personal_data()  # checks the user's rights
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                (
                    "Content-Disposition",
                    f'attachment; filename="personal-data-{partner.id}.json"',
                ),
            ],
        )

from odoo import api, fields, models

RATE_LIMIT_PARAM = "leuven_kcc.web_rate_limit"
DEFAULT_RATE_LIMIT = 10  # submissions per IP address per hour


class KccWebSubmission(models.Model):
    """Every form sent from the website, kept as received, whatever happens to it."""

    _name = "kcc.web.submission"
    _inherit = ["kcc.rate.limit.mixin"]
    _description = "Website Submission"
    _order = "create_date desc, id desc"
    _rec_names_search = ["ip_address"]

    # whoever knows the token gets the customer's link to the case (the form
    # answers a resubmission with it): it is never shown to anyone
    token = fields.Char(readonly=True, index=True, groups="base.group_system")
    form_kind = fields.Selection(
        [("contact", "Contact form"), ("report", "Report form")], readonly=True
    )
    ip_address = fields.Char(readonly=True, index=True)
    user_id = fields.Many2one("res.users", readonly=True)
    payload = fields.Text(readonly=True, help="The form fields as sent (JSON).")
    file_names = fields.Char(readonly=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("duplicate_check", "Shown possible duplicates"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("spam", "Spam"),
            ("error", "Error"),
        ],
        default="received",
        readonly=True,
        index=True,
    )
    error = fields.Text(readonly=True)
    case_id = fields.Many2one("kcc.case", readonly=True, index="btree_not_null")

    @api.depends("form_kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["form_kind"]._description_selection(self.env))
        for submission in self:
            kind = kinds.get(submission.form_kind) or self.env._("Submission")
            submission.display_name = f"{kind} #{submission.id or ''}"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("case_id"):
            # the earlier attempts of the same form (refused, then sent again
            # with the same token) carry the same text: they go with the case,
            # and with its need-to-know (see the access rules)
            tokens = [token for token in self.sudo().mapped("token") if token]
            if tokens:
                self.sudo().search(
                    [
                        ("token", "in", tokens),
                        ("case_id", "=", False),
                        ("id", "not in", self.ids),
                    ]
                ).write({"case_id": vals["case_id"]})
        return result

    def _is_rate_limited(self):
        """Whether this submission came from a connection that sent more forms
        in the last hour than allowed (``leuven_kcc.web_rate_limit``).

        Every form sent counts, spam and refused ones included: with a limit
        of N the N-th form within the hour is taken, the N+1-th refused.
        """
        self.ensure_one()
        return self._rate_limit_reached(
            self.ip_address, RATE_LIMIT_PARAM, DEFAULT_RATE_LIMIT, current=self
        )

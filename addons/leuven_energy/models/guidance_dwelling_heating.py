import datetime as dt

from odoo import api, fields, models
from odoo.exceptions import ValidationError

FIRST_HEATING_YEAR = 1900


class GuidanceDwelling(models.Model):
    """The age of the dwelling's heating: an old gas or oil boiler brings the
    proposal of a heat pump (:mod:`leuven.guidance.proactive`); a change of
    the data the proposals are made of tells the citizens who asked for them
    (see ``energy_proposal_notice.py``)."""

    _inherit = "guidance.dwelling"  # pylint: disable=consider-merging-classes-inherited

    heating_installed_year = fields.Integer(
        string="Year the heating was installed",
        tracking=True,
        help="The year the main heating (the boiler) was installed; empty when "
        "not known.",
    )

    @api.constrains("heating_installed_year")
    def _check_heating_installed_year(self):
        last = dt.date.today().year
        for dwelling in self:
            year = dwelling.heating_installed_year
            if year and not FIRST_HEATING_YEAR <= year <= last:
                raise ValidationError(
                    self.env._(
                        "The year the heating was installed must lie between "
                        "%(first)s and %(last)s.",
                        first=FIRST_HEATING_YEAR,
                        last=last,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        fields_used = self.env["guidance.trajectory"]._energy_proposal_fields
        if set(vals).intersection(fields_used):
            self.sudo().trajectory_ids._energy_queue_notice()
        return result

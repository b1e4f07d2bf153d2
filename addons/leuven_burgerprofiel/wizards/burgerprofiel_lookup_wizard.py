import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from leuven.burgerprofiel import identifiers, magda, registers

from ..models.burgerprofiel_authentic_source import SOURCES
from ..models.res_partner import NATIONAL_NUMBER_GROUP

_logger = logging.getLogger(__name__)

AGENT_GROUP = "leuven_kcc.group_kcc_agent"
# what the apply step may fill on the partner, and nothing else
APPLICABLE_FIELDS = (
    "name",
    "street",
    "zip",
    "city",
    "country_id",
    "email",
    "phone",
    "website",
    "kbo_number",
    "association_code",
)


class BurgerprofielLookupWizard(models.TransientModel):
    """Look up a partner in an authentic source, compare, and apply.

    Step 1 asks the legal basis and looks the partner up; every lookup is
    logged, found or not. Step 2 shows what the source says next to the
    partner's data; *Apply* copies it onto the partner.
    """

    _name = "burgerprofiel.lookup.wizard"
    _description = "Look Up Authentic Data"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    source = fields.Selection(SOURCES, required=True)
    identifier = fields.Char(
        help="National number, KBO number or VCode, as the source needs."
    )
    legal_basis_id = fields.Many2one("burgerprofiel.legal.basis", required=True)
    legal_basis_note = fields.Char(
        string="Explanation", help="Why this lookup is needed, e.g. the case number."
    )
    note_required = fields.Boolean(related="legal_basis_id.note_required")
    # for the form only; action_look_up checks the group itself
    may_look_up_person = fields.Boolean(
        default=lambda self: self.env.user.has_group(NATIONAL_NUMBER_GROUP)
    )
    state = fields.Selection(
        [("ask", "Ask"), ("found", "Found"), ("failed", "Failed")], default="ask"
    )
    log_id = fields.Many2one("burgerprofiel.lookup.log", readonly=True)
    message = fields.Char(readonly=True)

    # what the partner has now
    current_name = fields.Char(related="partner_id.name", string="Current Name")
    current_street = fields.Char(related="partner_id.street", string="Current Street")
    current_zip = fields.Char(related="partner_id.zip", string="Current Zip")
    current_city = fields.Char(related="partner_id.city", string="Current City")
    current_email = fields.Char(related="partner_id.email", string="Current Email")
    current_phone = fields.Char(related="partner_id.phone", string="Current Phone")

    # what the source says
    found_name = fields.Char(string="Name")
    found_street = fields.Char(string="Street")
    found_zip = fields.Char(string="Zip")
    found_city = fields.Char(string="City")
    found_country_id = fields.Many2one("res.country", string="Country")
    found_email = fields.Char(string="Email")
    found_phone = fields.Char(string="Phone")
    found_website = fields.Char(string="Website")
    found_kbo_number = fields.Char(string="KBO Number")
    found_association_code = fields.Char(string="VCode")
    found_birth_date = fields.Char(string="Birth Date")
    found_first_names = fields.Char(string="First Names")
    found_legal_form = fields.Char(string="Legal Form")
    found_status = fields.Char(string="Status")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner = self.env["res.partner"].browse(values.get("partner_id"))
        if partner:
            source, identifier = self._default_source(partner)
            values.setdefault("source", source)
            values.setdefault("identifier", identifier)
        return values

    @api.model
    def _default_source(self, partner):
        if partner.association_code:
            return "association", partner.association_code
        if partner.is_company or partner.kbo_number:
            return "company", partner.kbo_number or ""
        if self.env.user.has_group(NATIONAL_NUMBER_GROUP):
            return "person", partner.national_number or ""
        return "person", ""

    @api.onchange("source")
    def _onchange_source(self):
        partner = self.partner_id
        if self.source == "association":
            self.identifier = partner.association_code or ""
        elif self.source == "company":
            self.identifier = partner.kbo_number or ""
        elif self.source == "person" and self.env.user.has_group(NATIONAL_NUMBER_GROUP):
            self.identifier = partner.national_number or ""
        else:
            self.identifier = ""

    # ------------------------------------------------------------ checks

    def _check_may_look_up(self):
        self.ensure_one()
        if not self.env.user.has_group(AGENT_GROUP):
            raise AccessError(self.env._("Only KCC agents may look up authentic data."))
        self.partner_id.check_access("read")
        if self.source == "person" and not self.env.user.has_group(
            NATIONAL_NUMBER_GROUP
        ):
            raise AccessError(
                self.env._(
                    "Only users of the group 'Read national numbers' may look up a "
                    "person by national number."
                )
            )
        if not (self.identifier or "").strip():
            raise UserError(self.env._("Fill in the number to look up."))
        if self.note_required and not (self.legal_basis_note or "").strip():
            raise UserError(
                self.env._("This legal basis needs an explanation of the lookup.")
            )

    def _masked_identifier(self):
        if self.source == "person":
            return identifiers.mask_insz(self.identifier) or "x" * 11
        return (self.identifier or "").strip()

    def _legal_basis_text(self):
        text = self.legal_basis_id.name
        if self.legal_basis_note:
            text = f"{text}: {self.legal_basis_note.strip()}"
        return text

    # ------------------------------------------------------------ actions

    def action_look_up(self):
        """Ask the source, log the lookup whatever happens, show the result."""
        self._check_may_look_up()
        Source = self.env["burgerprofiel.authentic.source"]
        result, message, reference = "found", "", ""
        values, details = {}, {}
        try:
            values, details, reference = Source._lookup(
                self.source, self.identifier.strip()
            )
        except ValueError as exc:
            result, message = "error", self.env._("Malformed number: %s", exc)
        except (magda.NotFound, registers.NotFound) as exc:
            result, message = "not_found", str(exc)
            reference = getattr(exc, "reference", "")
        except magda.NoPermission as exc:
            result, message = "error", str(exc)
            reference = exc.reference
        except (magda.MagdaError, registers.RegisterError) as exc:
            result, message = "error", str(exc)
            reference = getattr(exc, "reference", "")
            _logger.warning("authentic data lookup failed: %s", exc)
        # the log is written by the system, after the checks above
        log = (
            self.env["burgerprofiel.lookup.log"]
            .sudo()
            .create(
                {
                    "user_id": self.env.user.id,
                    "partner_id": self.partner_id.id,
                    "partner_name": self.partner_id.display_name,
                    "source": self.source,
                    "identifier_masked": self._masked_identifier(),
                    "legal_basis_id": self.legal_basis_id.id,
                    "legal_basis": self._legal_basis_text(),
                    "result": result,
                    "message": (message or "")[:500],
                    "reference": reference,
                }
            )
        )
        update = {
            "log_id": log.id,
            "state": "found" if result == "found" else "failed",
            "message": message,
        }
        for key in APPLICABLE_FIELDS:
            update[f"found_{key}"] = values.get(key) or False
        for key in ("birth_date", "first_names", "legal_form", "status"):
            update[f"found_{key}"] = details.get(key) or False
        self.write(update)
        return self._reopen()

    def action_apply(self):
        """Copy what the source found onto the partner."""
        self.ensure_one()
        if self.state != "found":
            raise UserError(self.env._("Look the partner up first."))
        if not self.env.user.has_group(AGENT_GROUP):
            raise AccessError(self.env._("Only KCC agents may apply authentic data."))
        partner = self.partner_id
        partner.check_access("read")
        values = {}
        for key in APPLICABLE_FIELDS:
            value = self[f"found_{key}"]
            if value:
                values[key] = value.id if key == "country_id" else value
        if not values:
            raise UserError(self.env._("The source gave nothing to apply."))
        if self.source == "person" and self.identifier:
            values["national_number"] = identifiers.digits_only(self.identifier)
        # agents may not edit partners in general: they may apply these fields,
        # checked above (agent, partner readable, lookup done by this user)
        target = partner if partner.has_access("write") else partner.sudo()
        target.write(values)
        source = dict(self._fields["source"]._description_selection(self.env))[
            self.source
        ]
        partner.sudo().message_post(
            body=self.env._(
                "Data applied from %(origin)s by %(user)s.",
                origin=source,
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}

    def action_back(self):
        self.write({"state": "ask", "message": False})
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Look Up Authentic Data"),
        }

import re
import unicodedata

from odoo import api, fields, models
from odoo.exceptions import UserError


def key_from_title(title):
    """A package id made of a title: "Restafval: maandag" -> "restafval_maandag"."""
    text = unicodedata.normalize("NFKD", title or "")
    text = text.encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if key and not key[0].isalpha():
        key = f"u_{key}"
    return key[:40].rstrip("_")


class AssistantOutcome(models.Model):
    """What the assistant tells a person at the end: an answer and next steps."""

    _name = "assistant.outcome"
    _description = "Assistant Outcome"
    _inherit = ["assistant.topic.line"]
    _order = "topic_id, sequence, id"
    _rec_name = "title"
    _rec_names_search = ["title", "key"]

    topic_id = fields.Many2one(
        "assistant.topic", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    key = fields.Char(
        required=True, help="The id of the outcome in the package, used by rules."
    )
    title = fields.Char(required=True, translate=True)
    explanation = fields.Text(translate=True)
    legal_basis = fields.Text(translate=True)
    next_steps = fields.Text(translate=True)
    product_names = fields.Text(
        string="Products",
        help="The catalogue products to link, one name (or IPDC id) per line.",
    )
    creates_case = fields.Boolean(
        string="Offers a Case", help="Whether the outcome offers to make a case."
    )
    rule_ids = fields.One2many("assistant.rule", "outcome_id", string="Rules")

    @api.onchange("title")
    def _onchange_title_key(self):
        # a new outcome gets its technical key from its title
        if self.title and not self.key:
            key = key_from_title(self.title)
            taken = set(self.topic_id.outcome_ids.mapped("key"))
            base, number = key, 2
            while key in taken:
                key, number = f"{base}_{number}", number + 1
            self.key = key

    def write(self, vals):
        renamed = {}
        if "key" in vals:
            renamed = {o: o.key for o in self if o.key and o.key != vals["key"]}
        result = super().write(vals)
        # the rules follow their outcome to its new key
        for outcome, old_key in renamed.items():
            outcome.topic_id.rule_ids.filtered(
                lambda r, old=old_key: r.outcome_key == old
            ).write({"outcome_key": outcome.key})
        return result

    def _products(self):
        self.ensure_one()
        lines = (self.product_names or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_rules(self):
        used = self.rule_ids
        if used:
            raise UserError(
                self.env._(
                    "Outcome %(outcome)s is used by rule(s) %(rules)s: change or "
                    "delete those rules first.",
                    outcome=used[0].outcome_id.display_name,
                    rules=", ".join(used.mapped("display_name")),
                )
            )

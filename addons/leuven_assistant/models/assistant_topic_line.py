import json

from odoo import api, models
from odoo.exceptions import ValidationError


def sync_dutch_texts(records, vals):
    """Keep a text written in Dutch or in the base language the same in both.

    The package's ``nl`` text is held by the base language (en_US) and the
    installed Dutch languages alike, whichever language the author works in.
    """
    names = [
        name
        for name, value in vals.items()
        if value and getattr(records._fields.get(name), "translate", None) is True
    ]
    if not names or not records or records.env.context.get("assistant_text_sync"):
        return
    installed = records.env["res.lang"].get_installed()
    slots = {"en_US"} | {code for code, _name in installed if code.startswith("nl")}
    lang = records.env.lang or "en_US"
    if lang not in slots:
        return
    for record in records.with_context(assistant_text_sync=True):
        for name in names:
            record.update_field_translations(
                name, {other: vals[name] for other in slots - {lang}}
            )


class AssistantTopicLine(models.AbstractModel):
    """Common behaviour of the lines of a topic version (questions, options,
    outcomes, rules, scenarios): they can only change while the version is a
    draft, and their JSON fields are checked on save."""

    _name = "assistant.topic.line"
    _description = "Assistant Topic Line"

    def _line_topics(self):
        """The topic versions these lines belong to."""
        return self.mapped("topic_id")

    def _check_topic_editable(self):
        self._line_topics()._check_editable()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_topic_editable()
        return records

    def write(self, vals):
        self._check_topic_editable()
        result = super().write(vals)
        self._check_topic_editable()
        sync_dutch_texts(self, vals)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        self._check_topic_editable()

    def _update_field_translations(self, field_name, translations, *args, **kwargs):
        self._check_topic_editable()
        return super()._update_field_translations(
            field_name, translations, *args, **kwargs
        )

    def _parse_json(self, field_name, expect, required=False):
        """The value of the JSON field ``field_name`` (``None`` when empty).

        ``expect`` is ``"logic"`` (a JSON object or true/false) or ``"object"``;
        a value of another kind raises a ValidationError that names the line.
        """
        self.ensure_one()
        text = (self[field_name] or "").strip()
        label = self._fields[field_name]._description_string(self.env)
        if not text:
            if required:
                raise ValidationError(
                    self.env._(
                        "%(line)s: %(field)s is required.",
                        line=self.display_name,
                        field=label,
                    )
                )
            return None
        try:
            value = json.loads(text)
        except ValueError as err:
            raise ValidationError(
                self.env._(
                    "%(line)s: %(field)s is not valid JSON (%(error)s).",
                    line=self.display_name,
                    field=label,
                    error=err,
                )
            ) from err
        if expect == "logic" and not isinstance(value, (dict, bool)):
            raise ValidationError(
                self.env._(
                    "%(line)s: %(field)s must be a JsonLogic expression: a JSON "
                    'object such as {"===": [{"var": "question"}, "value"]}, '
                    "or true/false.",
                    line=self.display_name,
                    field=label,
                )
            )
        if expect == "object" and not isinstance(value, dict):
            raise ValidationError(
                self.env._(
                    '%(line)s: %(field)s must be a JSON object such as {"question": '
                    '"value"}.',
                    line=self.display_name,
                    field=label,
                )
            )
        return value

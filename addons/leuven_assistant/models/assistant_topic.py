import json
import re
from pathlib import Path

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from leuven.assistant import conditions, engine
from leuven.assistant.package import structural_problems

from .assistant_topic_line import sync_dutch_texts

VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+$")
# Only the model itself changes the state (and freezes the package); it passes
# this object in the context, which no client can forge.
_STATE_CHANGE = object()
# written by the review workflow only, like the state
REVIEW_FIELDS = (
    "package",
    "published_date",
    "submitted_by_id",
    "submitted_date",
    "reviewed_by_id",
    "reviewed_date",
)
TEXT_FIELDS = {
    "question": ("label", "help"),
    "option": ("label",),
    "outcome": ("title", "explanation", "legal_basis", "next_steps"),
}

# what the package of a draft is generated from (validation is refreshed on edit)
PACKAGE_DEPENDS = (
    "state",
    "package",
    "code",
    "version",
    "name",
    "question_ids.key",
    "question_ids.type",
    "question_ids.label",
    "question_ids.visible_if",
    "question_ids.sequence",
    "question_ids.option_ids.value",
    "question_ids.option_ids.value_type",
    "question_ids.option_ids.label",
    "outcome_ids.key",
    "outcome_ids.title",
    "rule_ids.key",
    "rule_ids.condition",
    "rule_ids.outcome_key",
    "rule_ids.sequence",
    "scenario_ids.name",
    "scenario_ids.answers",
    "scenario_ids.expected_outcome_ids",
)


def version_key(version):
    """``"1.10.0"`` -> ``(1, 10, 0)``, to compare versions."""
    return tuple(int(part) for part in (version or "0.0.0").split("."))


class AssistantTopic(models.Model):
    """One version of a topic of the digital assistant.

    A version is a draft (edited in the forms: questions, options, outcomes,
    rules and scenarios), published (at most one per code, immutable, its
    package frozen at publication) or archived (replaced by a newer published
    version, immutable).
    """

    _name = "assistant.topic"
    _description = "Assistant Topic"
    _inherit = ["mail.thread"]
    _order = "name, id desc"

    name = fields.Char(string="Title", required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        index=True,
        tracking=True,
        help="The id of the topic package, the same for all versions of the topic.",
    )
    version = fields.Char(
        required=True, default="0.1.0", tracking=True, help="Version x.y.z."
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_review", "To Review"),
            ("published", "Published"),
            ("archived", "Archived"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    owner = fields.Char(help="Who is responsible for the content of the topic.")
    languages = fields.Char(
        help="The languages of the topic as package codes, comma-separated (nl, fr)."
    )
    illustrative = fields.Boolean(
        help="An example that is not legal advice.",
    )
    valid_from = fields.Date()
    valid_until = fields.Date()
    question_ids = fields.One2many("assistant.question", "topic_id", string="Questions")
    outcome_ids = fields.One2many("assistant.outcome", "topic_id", string="Outcomes")
    rule_ids = fields.One2many("assistant.rule", "topic_id", string="Rules")
    scenario_ids = fields.One2many("assistant.scenario", "topic_id", string="Scenarios")
    package = fields.Text(
        string="Published Package (JSON)",
        readonly=True,
        copy=False,
        help="The topic package frozen when this version was published.",
    )
    published_date = fields.Datetime(readonly=True, copy=False)
    submitted_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="The author who submitted this version for review.",
    )
    submitted_date = fields.Datetime(readonly=True, copy=False)
    reviewed_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="The second author who approved and published this version.",
    )
    reviewed_date = fields.Datetime(readonly=True, copy=False)
    can_approve = fields.Boolean(compute="_compute_can_approve")
    builder_schema = fields.Text(
        compute="_compute_builder_schema",
        help="The questions and outcomes the rule builder offers (JSON).",
    )
    package_preview = fields.Text(
        string="Package (JSON)", compute="_compute_package_preview"
    )
    validation_report = fields.Text(compute="_compute_validation_report")
    validation_ok = fields.Boolean(compute="_compute_validation_report")

    _sql_constraints = [
        (
            "code_version_uniq",
            "unique(code, version)",
            "This topic already has a version with this number.",
        ),
    ]

    def init(self):
        # at most one published version per code, also under concurrency
        index = "assistant_topic_published_code_uniq"
        if not index_exists(self.env.cr, index):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX %s ON %s (code) WHERE state = 'published'",
                    SQL.identifier(index),
                    SQL.identifier(self._table),
                )
            )

    # ------------------------------------------------------------ constraints

    @api.constrains("version")
    def _check_version(self):
        for topic in self:
            if not VERSION_PATTERN.match(topic.version or ""):
                raise ValidationError(
                    self.env._(
                        "Version %(version)s is not of the form x.y.z (e.g. 1.2.0).",
                        version=topic.version,
                    )
                )

    @api.constrains("code", "state", "active")
    def _check_one_published(self):
        for topic in self.filtered(lambda t: t.state == "published"):
            if self.with_context(active_test=False).search_count(
                [
                    ("code", "=", topic.code),
                    ("state", "=", "published"),
                    ("id", "!=", topic.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "Topic %(code)s already has a published version.",
                        code=topic.code,
                    )
                )

    # ------------------------------------------------------------ immutability

    def _immutable_message(self):
        self.ensure_one()
        state = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "Version %(version)s of topic %(topic)s is %(state)s and cannot be "
            "changed. Use 'New version' to make a draft copy and edit that.",
            version=self.version,
            topic=self.code,
            state=state[self.state].lower(),
        )

    def _check_editable(self):
        """Refuse a change to a published or archived version; a change to a
        version under review sends it back to draft (the review was of the
        version as submitted)."""
        for topic in self:
            if topic.state == "to_review":
                topic._back_to_draft(
                    self.env._("Changed after its submission: back to draft.")
                )
            elif topic.state != "draft":
                raise UserError(topic._immutable_message())

    def _state_change_allowed(self):
        return self.env.context.get("assistant_topic_state_change") is _STATE_CHANGE

    @api.model_create_multi
    def create(self, vals_list):
        if not self._state_change_allowed():
            for vals in vals_list:
                if vals.get("state", "draft") != "draft" or any(
                    vals.get(name) for name in REVIEW_FIELDS
                ):
                    raise UserError(
                        self.env._(
                            "A topic version is created as a draft; submit it for "
                            "review to publish it."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self._state_change_allowed():
            if any(name in vals for name in REVIEW_FIELDS):
                raise UserError(
                    self.env._(
                        "The package is frozen when a version is published, and "
                        "only the review records who submitted and approved it."
                    )
                )
            if "state" in vals and any(t.state != vals["state"] for t in self):
                raise UserError(
                    self.env._(
                        "Use the Submit for Review, Approve and Publish and New "
                        "Version buttons to change the state of a topic version."
                    )
                )
            if set(vals) - set(self.env["mail.thread"]._fields) - {"state"}:
                self._check_editable()
        result = super().write(vals)
        sync_dutch_texts(self, vals)
        return result

    def _update_field_translations(self, field_name, translations, *args, **kwargs):
        self._check_editable()
        return super()._update_field_translations(
            field_name, translations, *args, **kwargs
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        for topic in self.filtered(lambda t: t.state == "published"):
            raise UserError(
                self.env._(
                    "Version %(version)s of topic %(topic)s is published and cannot "
                    "be deleted; publish another version first.",
                    version=topic.version,
                    topic=topic.code,
                )
            )

    def _set_state(self, vals):
        """Write a state change (and the frozen package) as the model itself."""
        return self.with_context(assistant_topic_state_change=_STATE_CHANGE).write(vals)

    # ------------------------------------------------------------ versions

    @api.model
    def _published_for(self, code):
        """The published version of topic ``code`` (an empty recordset if none).

        Searched with the caller's access rights; a public page calls it on
        ``sudo()`` after deciding that the topic may be shown.
        """
        return self.search([("code", "=", code), ("state", "=", "published")], limit=1)

    @api.model
    def _next_version(self, code):
        """The next minor version after the highest version of ``code``."""
        versions = (
            self.with_context(active_test=False)
            .search([("code", "=", code)])
            .mapped("version")
        )
        if not versions:
            return "0.1.0"
        major, minor, _patch = max(version_key(v) for v in versions)
        return f"{major}.{minor + 1}.0"

    def copy_data(self, default=None):
        vals_list = super().copy_data(default)
        default = default or {}
        for topic, vals in zip(self, vals_list):
            if "version" not in default:
                vals["version"] = self._next_version(vals.get("code") or topic.code)
        return vals_list

    def copy(self, default=None):
        new_topics = super().copy(default)
        for topic, new_topic in zip(self, new_topics):
            topic._copy_lines(new_topic)
        return new_topics

    def _copy_lines(self, new_topic):
        """Copy the questions (with options), outcomes, rules and scenarios."""
        self.ensure_one()
        outcomes = {}
        for outcome in self.outcome_ids:
            outcomes[outcome] = outcome.copy({"topic_id": new_topic.id})
        for question in self.question_ids:
            question.copy({"topic_id": new_topic.id})
        for rule in self.rule_ids:
            # the rule follows its outcome by key to the copy
            rule.copy({"topic_id": new_topic.id})
        for scenario in self.scenario_ids:
            expected = [outcomes[o].id for o in scenario.expected_outcome_ids]
            scenario.copy(
                {
                    "topic_id": new_topic.id,
                    "expected_outcome_ids": [Command.set(expected)],
                }
            )

    # ------------------------------------------------------------ the package

    @api.model
    def _nl_lang(self):
        """The installed language holding the package's ``nl`` texts.

        nl_BE when installed (else another Dutch language), otherwise the base
        language en_US, whose value Odoo shows when a translation is missing.
        """
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        dutch = sorted(code for code in installed if code.startswith("nl"))
        if "nl_BE" in dutch:
            return "nl_BE"
        return dutch[0] if dutch else "en_US"

    @api.model
    def _translation_langs(self):
        """{installed language: package key} of the languages besides ``nl``."""
        langs = {}
        for code, _name in sorted(self.env["res.lang"].get_installed()):
            key = code.split("_")[0]
            if code == "en_US" or key == "nl" or key in langs.values():
                continue
            langs[code] = key
        return langs

    def _package(self, translations=True):
        """The topic package of this version, as a dict.

        Published and archived versions: the package frozen at publication.
        Drafts: generated from the lines; texts are ``{"nl": text}`` plus the
        translations in the other installed languages (when ``translations``,
        the default; without them texts are read in the current language,
        as the validation of a form being edited needs).
        """
        self.ensure_one()
        if self.state != "draft" and self.package:
            return json.loads(self.package)
        return self._generate_package(translations=translations)

    def _generate_package(self, translations=True):
        self.ensure_one()
        topic = self
        langs = {}
        if translations:
            topic = self.with_context(lang=self._nl_lang())
            langs = self._translation_langs()

        def text(record, field_name):
            value = {"nl": record[field_name] or ""}
            if langs and isinstance(record.id, int):
                for lang, key in langs.items():
                    other = record.with_context(lang=lang)[field_name]
                    if other and other != value["nl"]:
                        value[key] = other
            return value

        package = {"id": topic.code or "", "version": topic.version or ""}
        if topic.illustrative:
            package["illustrative"] = True
        package["title"] = text(topic, "name")
        if topic.description:
            package["description"] = text(topic, "description")
        if topic.languages:
            package["languages"] = [
                lang.strip() for lang in topic.languages.split(",") if lang.strip()
            ]
        if topic.owner:
            package["owner"] = topic.owner
        if topic.valid_from:
            package["valid_from"] = topic.valid_from.isoformat()
        if topic.valid_until:
            package["valid_until"] = topic.valid_until.isoformat()
        package["questions"] = [
            topic._question_package(question, text) for question in topic.question_ids
        ]
        package["outcomes"] = [
            topic._outcome_package(outcome, text) for outcome in topic.outcome_ids
        ]
        package["rules"] = []
        for rule in topic.rule_ids:
            item = {"id": rule.key} if rule.key else {}
            item["if"] = self._loads(rule.condition)
            item["then"] = rule.outcome_key or ""
            package["rules"].append(item)
        if topic.scenario_ids:
            package["scenarios"] = []
        for scenario in topic.scenario_ids:
            item = {"name": scenario.name} if scenario.name else {}
            item["answers"] = self._loads(scenario.answers)
            item["expect"] = scenario.expected_outcome_ids.sorted(
                lambda o: (o.sequence, o.id or 0)
            ).mapped("key")
            package["scenarios"].append(item)
        return package

    @api.model
    def _loads(self, text):
        """Parsed JSON text; text that is not JSON is kept as a string, so
        that the validation reports it instead of failing."""
        try:
            return json.loads(text)
        except (TypeError, ValueError):
            return text

    def _question_package(self, question, text):
        item = {"id": question.key or "", "type": question.type}
        item["label"] = text(question, "label")
        if question.help:
            item["help"] = text(question, "help")
        if question.option_ids:
            item["options"] = []
            for option in question.option_ids:
                try:
                    value = option._package_value()
                except (TypeError, ValueError):
                    value = option.value
                item["options"].append({"value": value, "label": text(option, "label")})
        if question.visible_if and question.visible_if.strip():
            item["visible_if"] = self._loads(question.visible_if)
        return item

    def _outcome_package(self, outcome, text):
        item = {"id": outcome.key or "", "title": text(outcome, "title")}
        for field_name in ("explanation", "legal_basis", "next_steps"):
            if outcome[field_name]:
                item[field_name] = text(outcome, field_name)
        if outcome._products():
            item["products"] = outcome._products()
        item["case"] = outcome.creates_case
        return item

    def _package_json(self):
        """The package as the JSON text of an exported file."""
        return json.dumps(self._package(), ensure_ascii=False, indent=1) + "\n"

    def _export_filename(self):
        self.ensure_one()
        return f"{self.code}-{self.version}.json"

    # ------------------------------------------------------------ validation

    def _problems(self):
        """The engine's problems and the failing scenarios (empty: sound)."""
        self.ensure_one()
        package = self._package(translations=False)
        try:
            problems = engine.validate(package)
            if not (engine.schema_problems(package) or structural_problems(package)):
                problems += engine.run_scenarios(package)
        except Exception as err:  # noqa: BLE001 - the evaluator rejects a condition
            problems = [self.env._("The conditions cannot be evaluated: %s", err)]
        return problems

    @api.model
    def _problem_text(self, problem):
        """A problem of the engine in the user's language."""
        _ = self.env._
        params = getattr(problem, "params", {})
        if getattr(problem, "code", None) == "scenario_failed":
            params = dict(
                params,
                expected=self._outcome_names(params["expected"]),
                got=self._outcome_names(params["got"]),
            )
        texts = {
            "schema": lambda: _("%(where)s: %(message)s", **params),
            "not_an_object": lambda: _("The package must be a JSON object."),
            "missing_key": lambda: _("The key '%(key)s' is missing.", **params),
            "no_outcome": lambda: _("A topic needs at least one outcome."),
            "missing_id": lambda: _("Every %(kind)s needs an id.", **params),
            "duplicate_id": lambda: _(
                "The %(kind)s id '%(ident)s' is used twice.", **params
            ),
            "unknown_question_ref": lambda: _(
                "Question '%(question)s' depends on unknown question '%(ref)s'.",
                **params,
            ),
            "cycle": lambda: _(
                "Question '%(question)s' depends on '%(ref)s', which is not asked "
                "before it (cycle).",
                **params,
            ),
            "no_options": lambda: _(
                "Question '%(question)s' has no options.", **params
            ),
            "rule_unknown_question": lambda: _(
                "Rule %(rule)s uses unknown question '%(ref)s'.", **params
            ),
            "rule_unknown_outcome": lambda: _(
                "Rule %(rule)s leads to unknown outcome '%(outcome)s'.", **params
            ),
            "unreachable_outcome": lambda: _(
                "Outcome '%(outcome)s' is reached by no rule.", **params
            ),
            "unused_question": lambda: _(
                "Question '%(question)s' is never used by a rule.", **params
            ),
            "unused_option": lambda: _(
                "Option '%(value)s' of question '%(question)s' is never used.",
                **params,
            ),
            "loose_equality": lambda: _(
                "Use '===' and '!==' instead of '==' and '!='."
            ),
            "refused_operator": lambda: _(
                "Operator '%(op)s' may not be used in a topic (%(reason)s).", **params
            ),
            "var_default": lambda: _(
                "'var' with a default value may not be used: the evaluators differ "
                "when the answer is empty."
            ),
            "empty_condition_list": lambda: _(
                "'%(op)s' needs a list of at least one condition.", **params
            ),
            "dead_end": lambda: _(
                "The answers %(answers)s reach no outcome.", **params
            ),
            "check_failed": lambda: _(
                "The check '%(check)s' could not be completed: %(error)s", **params
            ),
            "impossible_comparison_rule": lambda: _(
                "Rule %(where)s compares question '%(question)s' with %(value)s, "
                "which is not one of its answers.",
                **params,
            ),
            "impossible_comparison_question": lambda: _(
                "The condition of question '%(where)s' compares question "
                "'%(question)s' with %(value)s, which is not one of its answers.",
                **params,
            ),
            "question_never_shown": lambda: _(
                "Question '%(question)s' can never be shown: no answers to the "
                "questions before it make its condition true.",
                **params,
            ),
            "outcome_never_reached": lambda: _(
                "Outcome '%(outcome)s' can never be reached: no answers make its "
                "rules fire.",
                **params,
            ),
            "rule_never_fires": lambda: _(
                "Rule %(rule)s can never fire (outcome '%(outcome)s' is reached by "
                "other rules).",
                **params,
            ),
            "not_proven": lambda: _(
                "The topic is too large to prove within %(budget)s answer classes: "
                "%(questions)s of %(question_count)s questions and %(outcomes)s of "
                "%(outcome_count)s outcomes were shown reachable; gaps and the other "
                "questions and outcomes are not proven.",
                **params,
            ),
            "not_exact": lambda: _(
                "A multiple-choice question has more than %(limit)s options: only "
                "some of its combinations were checked.",
                **params,
            ),
            "scenario_failed": lambda: _(
                "Scenario '%(name)s' fails: it should reach %(expected)s, but reaches "
                "%(got)s.",
                **params,
            ),
        }
        code = getattr(problem, "code", None)
        text = texts.get(code)
        text = text() if text else str(problem)
        # a rule's problem shows the rule's condition as a sentence
        rule = params.get("where" if code == "impossible_comparison_rule" else "rule")
        sentence = self._rule_sentence(rule)
        if sentence:
            text = _("%(problem)s (if %(condition)s)", problem=text, condition=sentence)
        if getattr(problem, "severity", "error") == "warning":
            return _("Warning: %s", text)
        return text

    @api.model
    def _rule_sentence(self, label):
        """The condition, as a sentence, of the rule named ``label`` in the
        engine's problems (its key, or "rule N"); empty when not found."""
        if len(self) != 1 or not isinstance(label, str):
            return ""
        for index, rule in enumerate(self.rule_ids, start=1):
            if (rule.key or f"rule {index}") == label:
                return self._describe_condition(rule.condition)
        return ""

    @api.model
    def _outcome_names(self, keys):
        """Outcome keys as the author knows them: "title" (key), or "none"."""
        titles = {}
        if len(self) == 1:
            titles = {o.key: o.title for o in self.outcome_ids if o.key}
        names = [
            f"\u201c{titles[key]}\u201d ({key})" if titles.get(key) else f"'{key}'"
            for key in keys
        ]
        return ", ".join(names) if names else self.env._("no outcome")

    @api.model
    def _problem_list(self, problems):
        """The problems as a bulleted list, errors first, in the user's language."""
        errors = engine.errors(problems)
        ordered = errors + [p for p in problems if p not in errors]
        return "\n".join(f"• {self._problem_text(p)}" for p in ordered)

    @api.depends(*PACKAGE_DEPENDS)
    def _compute_validation_report(self):
        for topic in self:
            problems = topic._problems()
            topic.validation_ok = not engine.errors(problems)
            topic.validation_report = (
                topic._problem_list(problems)
                if problems
                else self.env._("No problems found")
            )

    def _builder_questions(self):
        """The questions as the rule builder and the sentences of conditions
        use them: id, type, label and options (value as in the package)."""
        self.ensure_one()
        questions = []
        for question in self.question_ids:
            options = []
            for option in question.option_ids:
                try:
                    value = option._package_value()
                except (TypeError, ValueError):
                    value = option.value
                options.append({"value": value, "label": option.label or ""})
            questions.append(
                {
                    "id": question.key or "",
                    "type": question.type,
                    "label": question.label or "",
                    "options": options,
                }
            )
        return questions

    @api.depends(
        "question_ids.key",
        "question_ids.type",
        "question_ids.label",
        "question_ids.sequence",
        "question_ids.option_ids.value",
        "question_ids.option_ids.value_type",
        "question_ids.option_ids.label",
        "question_ids.option_ids.sequence",
        "outcome_ids.key",
        "outcome_ids.title",
        "outcome_ids.sequence",
    )
    def _compute_builder_schema(self):
        for topic in self:
            schema = {
                "questions": topic._builder_questions(),
                "outcomes": [
                    {"id": outcome.key or "", "title": outcome.title or ""}
                    for outcome in topic.outcome_ids
                ],
            }
            topic.builder_schema = json.dumps(schema, ensure_ascii=False)

    @api.model
    def _condition_words(self):
        """The words of a condition's sentence in the user's language."""
        _ = self.env._
        return {
            "and": _("and"),
            "or": _("or"),
            "yes": _("Yes"),
            "no": _("No"),
            "one_of": _("is one of"),
            "contains": _("contains"),
            "between": _("between %(low)s and %(high)s"),
            "answered": _("is answered"),
            "not_answered": _("is not answered"),
        }

    def _describe_condition(self, text):
        """A JsonLogic condition (JSON text) as a sentence for lists."""
        self.ensure_one()
        if not text or not text.strip():
            return ""
        logic = self._loads(text)
        if isinstance(logic, str):
            return text
        return conditions.describe(
            logic, self._builder_questions(), self._condition_words()
        )

    @api.depends(*PACKAGE_DEPENDS)
    def _compute_package_preview(self):
        for topic in self:
            # a form being edited shows its texts in the current language
            package = topic._package(translations=isinstance(topic.id, int))
            topic.package_preview = json.dumps(package, ensure_ascii=False, indent=1)

    # ------------------------------------------------------------ actions

    def _publish_problems(self):
        """Why this version cannot be published (empty: it can): the errors of
        the validation, every failing scenario, or no scenario at all."""
        self.ensure_one()
        problems = []
        if not self.scenario_ids:
            problems.append(
                self.env._(
                    "A topic needs at least one test scenario before it is "
                    "published: add the answers of a citizen and the outcomes they "
                    "must reach on the Scenarios tab."
                )
            )
        # warnings do not block: only what breaks a citizen's way
        return problems + engine.errors(self._problems())

    def _check_publishable(self):
        for topic in self:
            problems = topic._publish_problems()
            if problems:
                raise ValidationError(
                    self.env._(
                        "Version %(version)s of %(topic)s cannot be published:\n"
                        "%(problems)s",
                        version=topic.version,
                        topic=topic.code,
                        problems=topic._problem_list(problems),
                    )
                )

    def _back_to_draft(self, reason):
        """A version under review back to draft, with ``reason`` in the chatter."""
        for topic in self.filtered(lambda t: t.state == "to_review"):
            topic._set_state(
                {"state": "draft", "submitted_by_id": False, "submitted_date": False}
            )
            topic.message_post(body=reason)

    def action_submit_review(self):
        """The author submits a sound draft; another author approves it."""
        for topic in self:
            if topic.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft can be submitted for review; version "
                        "%(version)s of %(topic)s is not a draft.",
                        version=topic.version,
                        topic=topic.code,
                    )
                )
        self._check_publishable()
        for topic in self:
            topic._set_state(
                {
                    "state": "to_review",
                    "submitted_by_id": self.env.uid,
                    "submitted_date": fields.Datetime.now(),
                }
            )
            topic.message_post(
                body=self.env._(
                    "Submitted for review by %(user)s: another author approves and "
                    "publishes it.",
                    user=self.env.user.name,
                )
            )
        return True

    @api.depends_context("uid")
    @api.depends("state", "submitted_by_id")
    def _compute_can_approve(self):
        for topic in self:
            topic.can_approve = (
                topic.state == "to_review" and topic.submitted_by_id != self.env.user
            )

    def action_approve(self):
        """A second author approves the version under review and publishes it,
        when the validation finds no error and every scenario passes."""
        if not self.env.user.has_group("leuven_assistant.group_assistant_author"):
            raise AccessError(self.env._("Only topic authors review topic versions."))
        self.check_access("write")
        for topic in self:
            if topic.state != "to_review":
                raise UserError(
                    self.env._(
                        "Version %(version)s of %(topic)s is not submitted for review.",
                        version=topic.version,
                        topic=topic.code,
                    )
                )
            if topic.submitted_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You submitted version %(version)s of %(topic)s yourself: "
                        "another author must review and publish it.",
                        version=topic.version,
                        topic=topic.code,
                    )
                )
        self._publish(reviewer=self.env.user)
        for topic in self:
            topic.message_post(
                body=self.env._(
                    "Reviewed, approved and published by %(user)s.",
                    user=self.env.user.name,
                )
            )
        return True

    def action_reject(self):
        """The reviewer sends the version back to its author as a draft."""
        self.check_access("write")
        for topic in self:
            if topic.state != "to_review":
                raise UserError(
                    self.env._(
                        "Version %(version)s of %(topic)s is not submitted for review.",
                        version=topic.version,
                        topic=topic.code,
                    )
                )
        self._back_to_draft(
            self.env._("Sent back to draft by %(user)s.", user=self.env.user.name)
        )
        return True

    def _publish(self, reviewer=None):
        """Publish these versions (drafts or under review) when they pass the
        checks; the previously published version is archived. The review is
        the caller's business (``action_approve``)."""
        for topic in self:
            if topic.state not in ("draft", "to_review"):
                raise UserError(
                    self.env._(
                        "Only a draft can be published; version %(version)s of "
                        "%(topic)s is not a draft.",
                        version=topic.version,
                        topic=topic.code,
                    )
                )
        self._check_publishable()
        for topic in self:
            previous = self.with_context(active_test=False).search(
                [("code", "=", topic.code), ("state", "=", "published")]
            )
            if previous:
                previous._set_state({"state": "archived"})
                previous.flush_recordset(["state"])
            now = fields.Datetime.now()
            vals = {
                "state": "published",
                "package": topic._package_json(),
                "published_date": now,
            }
            if reviewer:
                vals.update(reviewed_by_id=reviewer.id, reviewed_date=now)
            topic._set_state(vals)
        return True

    def action_new_version(self):
        """Copy this version with all its lines as a draft of the next version."""
        self.ensure_one()
        new_topic = self.copy()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new_topic.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_export(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/leuven_assistant/topic/{self.id}/export",
            "target": "download",
        }

    def action_preview(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/assistent/{self.code}?preview={self.id}",
            "target": "new",
        }

    # ------------------------------------------------------------ import

    @api.model
    def _package_problems(self, package):
        """Why ``package`` cannot be imported (empty: it can)."""
        problems = engine.schema_problems(package) or structural_problems(package)
        if problems:
            return problems
        # the same proof as publishing: a package from another municipality
        # with a gap or an unreachable outcome is refused
        problems = engine.errors(engine.validate(package))
        outcome_ids = {outcome["id"] for outcome in package["outcomes"]}
        for index, scenario in enumerate(package.get("scenarios", [])):
            for key in scenario["expect"]:
                if key not in outcome_ids:
                    name = scenario.get("name") or f"scenario {index + 1}"
                    problems.append(f"{name} expects unknown outcome '{key}'")
        return problems

    @api.model
    def _create_from_package(self, package):
        """Create a draft version from a package (dict); returns the topic.

        A new code makes a new topic; an existing code needs a version higher
        than all its versions. Raises a UserError, creating nothing, when the
        package breaks the schema or its structure.
        """
        problems = self._package_problems(package)
        if problems:
            raise UserError(
                self.env._(
                    "The file is not a valid topic package:\n%(problems)s",
                    problems=self._problem_list(problems),
                )
            )
        code, version = package["id"], package["version"]
        versions = (
            self.with_context(active_test=False)
            .search([("code", "=", code)])
            .mapped("version")
        )
        highest = max(versions, key=version_key) if versions else None
        if highest and version_key(version) <= version_key(highest):
            raise UserError(
                self.env._(
                    "Topic %(code)s already has version %(highest)s: the imported "
                    "version (%(version)s) must be higher.",
                    code=code,
                    highest=highest,
                    version=version,
                )
            )
        nl_self = self.with_context(lang=self._nl_lang())
        topic = nl_self.create(
            {
                "code": code,
                "version": version,
                "name": package["title"]["nl"],
                "description": package.get("description", {}).get("nl"),
                "languages": ", ".join(package.get("languages", [])),
                "owner": package.get("owner"),
                "illustrative": package.get("illustrative", False),
                "valid_from": package.get("valid_from"),
                "valid_until": package.get("valid_until"),
            }
        )
        translate = [(topic, "name", package["title"])]
        if package.get("description"):
            translate.append((topic, "description", package["description"]))
        topic._import_lines(package, translate)
        langs = self._translation_langs()
        for record, field_name, texts in translate:
            values = {lang: texts[key] for lang, key in langs.items() if texts.get(key)}
            if values:
                record.update_field_translations(field_name, values)
        return topic.with_env(self.env)

    def _import_lines(self, package, translate):
        """Create the lines of ``package``; collect texts to translate."""
        self.ensure_one()
        for sequence, data in enumerate(package["questions"], start=1):
            question = self.env["assistant.question"].create(
                {
                    "topic_id": self.id,
                    "sequence": sequence,
                    "key": data["id"],
                    "type": data["type"],
                    "label": data["label"]["nl"],
                    "help": data.get("help", {}).get("nl"),
                    "visible_if": self._dump_logic(data.get("visible_if")),
                }
            )
            translate.append((question, "label", data["label"]))
            if data.get("help"):
                translate.append((question, "help", data["help"]))
            for option_sequence, option_data in enumerate(data.get("options", []), 1):
                value = option_data["value"]
                option = self.env["assistant.question.option"].create(
                    {
                        "question_id": question.id,
                        "sequence": option_sequence,
                        "value": str(value),
                        "value_type": "string" if isinstance(value, str) else "number",
                        "label": option_data["label"]["nl"],
                    }
                )
                translate.append((option, "label", option_data["label"]))
        outcomes = {}
        for sequence, data in enumerate(package["outcomes"], start=1):
            outcome = self.env["assistant.outcome"].create(
                {
                    "topic_id": self.id,
                    "sequence": sequence,
                    "key": data["id"],
                    "title": data["title"]["nl"],
                    "explanation": data.get("explanation", {}).get("nl"),
                    "legal_basis": data.get("legal_basis", {}).get("nl"),
                    "next_steps": data.get("next_steps", {}).get("nl"),
                    "product_names": "\n".join(data.get("products", [])),
                    "creates_case": data.get("case", False),
                }
            )
            outcomes[outcome.key] = outcome
            for field_name in TEXT_FIELDS["outcome"]:
                if data.get(field_name):
                    translate.append((outcome, field_name, data[field_name]))
        self.env["assistant.rule"].create(
            [
                {
                    "topic_id": self.id,
                    "sequence": sequence,
                    "key": data.get("id"),
                    "condition": self._dump_logic(data["if"]),
                    "outcome_key": outcomes[data["then"]].key,
                }
                for sequence, data in enumerate(package["rules"], start=1)
            ]
        )
        self.env["assistant.scenario"].create(
            [
                {
                    "topic_id": self.id,
                    "sequence": sequence,
                    "name": data.get("name"),
                    "answers": self._dump_logic(data["answers"]),
                    "expected_outcome_ids": [
                        Command.set([outcomes[key].id for key in data["expect"]])
                    ],
                }
                for sequence, data in enumerate(package.get("scenarios", []), start=1)
            ]
        )

    @api.model
    def _dump_logic(self, value):
        if value is None:
            return False
        return json.dumps(value, ensure_ascii=False, indent=2)

    @api.model
    def _load_demo_topics(self):
        """Import and publish the illustrative topics of ``leuven/assistant/topics``
        (a version already present is left alone)."""
        folder = Path(engine.__file__).resolve().parent / "topics"
        for path in sorted(folder.glob("*.json")):
            package = json.loads(path.read_text(encoding="utf-8"))
            if self.with_context(active_test=False).search_count(
                [("code", "=", package["id"]), ("version", "=", package["version"])]
            ):
                continue
            # shipped with the module: published without a second author
            self._create_from_package(package)._publish()

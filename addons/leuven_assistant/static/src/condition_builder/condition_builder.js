import { Component, onWillUpdateProps, toRaw, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import {
    ALWAYS,
    OPERATORS,
    conditionText,
    makeGroup,
    makeRow,
    parseCondition,
    toRows,
} from "./condition_logic";

function operatorLabels() {
    return {
        is: _t("is"),
        is_not: _t("is not"),
        one_of: _t("is one of"),
        lt: "<",
        le: "≤",
        gt: ">",
        ge: "≥",
        between: _t("between"),
        contains: _t("contains"),
        answered: _t("is answered"),
        not_answered: _t("is not answered"),
    };
}

/**
 * The questions and outcomes of the topic being edited, as its form holds
 * them (saved or not): the topic's builder_schema, recomputed by the form.
 */
export function topicSchema(record) {
    let topic = record;
    while (topic && topic.resModel !== "assistant.topic") {
        topic = topic._parentRecord;
    }
    const text = topic?.data?.builder_schema;
    if (text) {
        try {
            return JSON.parse(text);
        } catch {
            // fall through: no schema, the builder offers JSON only
        }
    }
    return { questions: [], outcomes: [] };
}

/** One row: question / operator / value. */
export class ConditionRow extends Component {
    static template = "leuven_assistant.ConditionRow";
    static props = {
        row: Object,
        questions: Array,
        readonly: Boolean,
        onChange: Function,
        onRemove: Function,
    };

    get question() {
        return this.props.questions.find((q) => q.id === this.props.row.question);
    }

    get type() {
        return this.question?.type || "text";
    }

    get operators() {
        const labels = operatorLabels();
        const ops = [...(OPERATORS[this.type] || OPERATORS.text), ...ALWAYS];
        if (!ops.includes(this.props.row.operator)) {
            ops.unshift(this.props.row.operator);
        }
        return ops.map((op) => ({ value: op, label: labels[op] || op }));
    }

    get options() {
        return this.question?.options || [];
    }

    get needsValue() {
        return !ALWAYS.includes(this.props.row.operator);
    }

    get valueKind() {
        const op = this.props.row.operator;
        if (this.type === "yes_no") {
            return "yes_no";
        }
        if (["single_choice", "multiple_choice"].includes(this.type)) {
            return op === "one_of" ? "options" : "option";
        }
        if (this.type === "number") {
            return "number";
        }
        if (this.type === "date") {
            return "date";
        }
        return "text";
    }

    /** The index of the option holding ``value`` ("" when none). */
    optionIndex(value) {
        const index = this.options.findIndex(
            (o) => o.value === value && typeof o.value === typeof value
        );
        return index < 0 ? "" : String(index);
    }

    isSelectedOption(index) {
        return this.optionIndex(this.props.row.value) === String(index);
    }

    get unknownValue() {
        const value = this.props.row.value;
        return value !== null && value !== undefined && this.optionIndex(value) === "";
    }

    isChecked(option) {
        return (this.props.row.value || []).some(
            (v) => v === option.value && typeof v === typeof option.value
        );
    }

    inputValue(value) {
        return value === null || value === undefined ? "" : String(value);
    }

    defaultValue(question, operator) {
        if (ALWAYS.includes(operator)) {
            return null;
        }
        if (question?.type === "yes_no") {
            return true;
        }
        if (operator === "one_of") {
            return [];
        }
        if (["single_choice", "multiple_choice"].includes(question?.type)) {
            return question.options.length ? question.options[0].value : null;
        }
        return null;
    }

    update(changes) {
        Object.assign(this.props.row, changes);
        this.props.onChange();
    }

    onQuestion(ev) {
        const question = this.props.questions.find((q) => q.id === ev.target.value);
        const operator = (OPERATORS[question?.type] || OPERATORS.text)[0];
        const row = makeRow(ev.target.value, operator, this.defaultValue(question, operator));
        for (const key of Object.keys(this.props.row)) {
            delete this.props.row[key];
        }
        this.update(row);
    }

    onOperator(ev) {
        const operator = ev.target.value;
        const row = this.props.row;
        let value = row.value;
        if (operator === "one_of") {
            value = value === null || value === undefined || Array.isArray(value) ? value || [] : [value];
        } else if (Array.isArray(value)) {
            value = value.length ? value[0] : this.defaultValue(this.question, operator);
        } else if (value === undefined || ALWAYS.includes(row.operator)) {
            value = this.defaultValue(this.question, operator);
        }
        const next = makeRow(row.question, operator, value, row.value2 ?? null);
        delete row.value;
        delete row.value2;
        this.update(next);
    }

    parse(text) {
        if (this.valueKind === "number") {
            if (text === "") {
                return null;
            }
            const number = Number(text);
            return Number.isFinite(number) ? number : null;
        }
        return text === "" && this.valueKind === "date" ? null : text;
    }

    onValue(ev, field = "value") {
        const kind = this.valueKind;
        let value;
        if (kind === "yes_no") {
            value = ev.target.value === "true";
        } else if (kind === "option") {
            const option = this.options[Number(ev.target.value)];
            value = option ? option.value : null;
        } else {
            value = this.parse(ev.target.value);
        }
        this.update({ [field]: value });
    }

    onToggleOption(option, ev) {
        const values = (this.props.row.value || []).filter(
            (v) => !(v === option.value && typeof v === typeof option.value)
        );
        if (ev.target.checked) {
            values.push(option.value);
        }
        // in the order of the options
        const order = (v) =>
            this.options.findIndex((o) => o.value === v && typeof o.value === typeof v);
        values.sort((a, b) => order(a) - order(b));
        this.update({ value: values });
    }
}

/** A group: all (and) or any (or) of its rows and groups. */
export class ConditionGroup extends Component {
    static template = "leuven_assistant.ConditionGroup";
    static components = { ConditionRow };
    static props = {
        group: Object,
        questions: Array,
        readonly: Boolean,
        onChange: Function,
        onRemove: { type: Function, optional: true },
        isRoot: { type: Boolean, optional: true },
    };

    onOp(ev) {
        this.props.group.op = ev.target.value;
        this.props.onChange();
    }

    addRow() {
        const question = this.props.questions[0];
        const operator = (OPERATORS[question?.type] || OPERATORS.text)[0];
        const row = makeRow(question?.id || "", operator);
        if (question) {
            row.value = ConditionRow.prototype.defaultValue(question, operator);
        }
        this.props.group.children.push(row);
        this.props.onChange();
    }

    addGroup() {
        this.props.group.children.push(makeGroup(this.props.group.op === "and" ? "or" : "and"));
        this.props.onChange();
    }

    removeAt(index) {
        this.props.group.children.splice(index, 1);
        this.props.onChange();
    }
}
ConditionGroup.components.ConditionGroup = ConditionGroup;

/**
 * The JsonLogic condition of a rule or a question as rows of question /
 * operator / value in and/or groups; the JsonLogic is what is saved. A
 * condition the rows cannot show is shown as JSON, and "Edit as JSON" lets
 * an advanced author change it by hand.
 */
export class ConditionBuilderField extends Component {
    static template = "leuven_assistant.ConditionBuilderField";
    static components = { ConditionGroup };
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ tree: null, asJson: false, json: "", jsonError: false });
        this.written = null;
        this.load(this.value);
        onWillUpdateProps((nextProps) => {
            const value = nextProps.record.data[nextProps.name] || "";
            if (value !== this.written) {
                this.load(value);
            }
        });
    }

    get value() {
        return this.props.record.data[this.props.name] || "";
    }

    get questions() {
        const own =
            this.props.record.resModel === "assistant.question"
                ? this.props.record.data.key
                : null;
        return topicSchema(this.props.record).questions.filter((q) => q.id && q.id !== own);
    }

    get canUseRows() {
        const parsed = parseCondition(this.state.json);
        return parsed.ok && toRows(parsed.logic) !== null;
    }

    load(text) {
        this.written = text;
        const parsed = parseCondition(text);
        this.state.tree = parsed.ok ? toRows(parsed.logic) : null;
        this.state.json = text;
        this.state.jsonError = false;
        if (!this.state.tree) {
            this.state.asJson = false;
        }
    }

    async write(text) {
        this.written = text;
        await this.props.record.update({ [this.props.name]: text });
    }

    onChange() {
        // a new tree, so that every row and group renders again
        const tree = JSON.parse(JSON.stringify(toRaw(this.state.tree)));
        this.state.tree = tree;
        const text = conditionText(tree);
        this.state.json = text;
        this.write(text);
    }

    editAsJson() {
        this.state.json = this.value;
        this.state.asJson = true;
    }

    onJsonInput(ev) {
        this.state.json = ev.target.value;
        this.state.jsonError = !parseCondition(ev.target.value).ok;
    }

    onJsonChange(ev) {
        this.write(ev.target.value);
    }

    useRows() {
        const parsed = parseCondition(this.state.json);
        const tree = parsed.ok ? toRows(parsed.logic) : null;
        if (tree) {
            this.state.tree = tree;
            this.state.asJson = false;
        }
    }
}

registry.category("fields").add("assistant_condition", {
    component: ConditionBuilderField,
    displayName: _t("Condition builder"),
    supportedTypes: ["text", "char"],
});

/** The outcome of a rule, chosen by its title among the topic's outcomes. */
export class OutcomeField extends Component {
    static template = "leuven_assistant.OutcomeField";
    static props = { ...standardFieldProps };

    get value() {
        return this.props.record.data[this.props.name] || "";
    }

    get outcomes() {
        return topicSchema(this.props.record).outcomes.filter((o) => o.id);
    }

    get current() {
        return this.outcomes.find((o) => o.id === this.value);
    }

    get title() {
        return this.current ? this.current.title || this.value : this.value;
    }

    onChange(ev) {
        this.props.record.update({ [this.props.name]: ev.target.value || false });
    }
}

registry.category("fields").add("assistant_outcome", {
    component: OutcomeField,
    displayName: _t("Outcome by title"),
    supportedTypes: ["char"],
});

/**
 * JsonLogic conditions as the rule builder's rows, and back: the same
 * conversion as leuven/assistant/conditions.py (see there for the operators
 * and their JsonLogic). toRows returns null for what the builder cannot show;
 * toLogic(toRows(logic)) is logic for everything toRows reads.
 */

export const COMPARE = { lt: "<", le: "<=", gt: ">", ge: ">=" };
const COMPARE_OPS = Object.fromEntries(Object.entries(COMPARE).map(([k, v]) => [v, k]));
export const ALWAYS = ["answered", "not_answered"];
export const OPERATORS = {
    single_choice: ["is", "is_not", "one_of"],
    multiple_choice: ["contains"],
    yes_no: ["is"],
    number: ["is", "is_not", "lt", "le", "gt", "ge", "between"],
    date: ["is", "is_not", "lt", "le", "gt", "ge", "between"],
    text: ["is", "contains"],
    postcode: ["is", "contains"],
    address: ["is", "contains"],
};

function questionOf(node) {
    if (node && typeof node === "object" && !Array.isArray(node)) {
        const keys = Object.keys(node);
        if (keys.length === 1 && keys[0] === "var" && typeof node.var === "string" && node.var) {
            return node.var;
        }
    }
    return null;
}

function isScalar(value) {
    return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function isValue(value) {
    return value !== null && isScalar(value);
}

export function makeRow(question = "", operator = "is", value = null, value2 = null) {
    const row = { type: "row", question, operator };
    if (!ALWAYS.includes(operator)) {
        row.value = value;
    }
    if (operator === "between") {
        row.value2 = value2;
    }
    return row;
}

export function makeGroup(op = "and", children = []) {
    return { type: "group", op, children };
}

function readRow(op, args) {
    if (!Array.isArray(args)) {
        return null;
    }
    if ((op === "===" || op === "!==") && args.length === 2) {
        const question = questionOf(args[0]);
        const value = args[1];
        if (!question || !isScalar(value)) {
            return null;
        }
        if (value === null) {
            return makeRow(question, op === "===" ? "not_answered" : "answered");
        }
        return makeRow(question, op === "===" ? "is" : "is_not", value);
    }
    if (op in COMPARE_OPS && args.length === 2) {
        const question = questionOf(args[0]);
        return question && isValue(args[1])
            ? makeRow(question, COMPARE_OPS[op], args[1])
            : null;
    }
    if (op === "<=" && args.length === 3) {
        const question = questionOf(args[1]);
        return question && isValue(args[0]) && isValue(args[2])
            ? makeRow(question, "between", args[0], args[2])
            : null;
    }
    if (op === "in" && args.length === 2) {
        const [first, second] = args;
        let question = questionOf(first);
        if (question && Array.isArray(second) && second.length) {
            return second.every(isValue) ? makeRow(question, "one_of", [...second]) : null;
        }
        question = questionOf(second);
        if (question && isValue(first)) {
            return makeRow(question, "contains", first);
        }
    }
    return null;
}

function read(logic) {
    if (!logic || typeof logic !== "object" || Array.isArray(logic)) {
        return null;
    }
    const keys = Object.keys(logic);
    if (keys.length !== 1) {
        return null;
    }
    const op = keys[0];
    const args = logic[op];
    if (op === "and" || op === "or") {
        if (!Array.isArray(args) || args.length < 2) {
            return null;
        }
        const children = args.map(read);
        return children.includes(null) ? null : makeGroup(op, children);
    }
    return readRow(op, args);
}

/** The builder's tree of a parsed JsonLogic value (null: not representable). */
export function toRows(logic) {
    if (logic === null || logic === undefined) {
        return makeGroup("and", []);
    }
    const tree = read(logic);
    if (!tree) {
        return null;
    }
    return tree.type === "row" ? makeGroup("and", [tree]) : tree;
}

/** The JsonLogic of a builder tree (null when it holds no condition). */
export function toLogic(tree) {
    if (!tree) {
        return null;
    }
    if (tree.type === "group") {
        const parts = (tree.children || []).map(toLogic).filter((part) => part !== null);
        if (!parts.length) {
            return null;
        }
        return parts.length === 1 ? parts[0] : { [tree.op || "and"]: parts };
    }
    if (!tree.question) {
        return null;
    }
    const v = { var: tree.question };
    const value = tree.value === undefined ? null : tree.value;
    switch (tree.operator) {
        case "answered":
            return { "!==": [v, null] };
        case "not_answered":
            return { "===": [v, null] };
        case "is":
            return { "===": [v, value] };
        case "is_not":
            return { "!==": [v, value] };
        case "between":
            return { "<=": [value, v, tree.value2 === undefined ? null : tree.value2] };
        case "one_of":
            return { in: [v, [...(value || [])]] };
        case "contains":
            return { in: [value, v] };
        default:
            if (tree.operator in COMPARE) {
                return { [COMPARE[tree.operator]]: [v, value] };
            }
            throw new Error(`unknown operator ${tree.operator}`);
    }
}

/** Parse the text of a condition field: {ok, logic} or {ok: false}. */
export function parseCondition(text) {
    if (!text || !text.trim()) {
        return { ok: true, logic: null };
    }
    try {
        return { ok: true, logic: JSON.parse(text) };
    } catch {
        return { ok: false };
    }
}

/** The text stored for a tree ("" for no condition), as the server writes it. */
export function conditionText(tree) {
    const logic = toLogic(tree);
    return logic === null ? "" : JSON.stringify(logic, null, 2);
}

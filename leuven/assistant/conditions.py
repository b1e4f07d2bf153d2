"""JsonLogic conditions as rows of question / operator / value, and back.

The rule builder of the authoring form shows a condition as a tree: groups
(``and`` / ``or``) of rows, each row a question, an operator and a value.
The JsonLogic stays the stored form; :func:`to_rows` reads the conditions the
builder can show (``None`` for any other JsonLogic, which the form then shows
as JSON so that nothing is lost) and :func:`to_logic` writes them, so that
``to_logic(to_rows(logic)) == logic`` for every condition ``to_rows`` reads.
The builder in the browser (``static/src/condition_builder``) does the same
conversion. :func:`describe` renders a condition as a readable sentence
("Leeftijd ≥ 18 en Woont in Leuven = Ja") for lists and messages.

A row is ``{"type": "row", "question": id, "operator": op, "value": v}``
(``"value2"`` too for ``between``); a group is ``{"type": "group", "op":
"and" | "or", "children": [...]}``. The operators and their JsonLogic
(``q`` is ``{"var": question}``)::

    is, is_not        {"===": [q, v]}, {"!==": [q, v]}
    one_of            {"in": [q, [v, ...]]}
    lt, le, gt, ge    {"<": [q, v]}, {"<=": [q, v]}, {">": [q, v]}, {">=": [q, v]}
    between           {"<=": [v, q, v2]}   (v <= answer <= v2)
    contains          {"in": [v, q]}       (text contains v, a choice list holds v)
    answered          {"!==": [q, null]}
    not_answered      {"===": [q, null]}
"""

import json

COMPARE = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_COMPARE_OPS = {op: name for name, op in COMPARE.items()}
SYMBOLS = {
    "is": "=",
    "is_not": "≠",
    "lt": "<",
    "le": "≤",
    "gt": ">",
    "ge": "≥",
}
CHOICE = ("single_choice",)
ORDERED = ("number", "date")
# The operators the builder offers per question type, in the order shown.
OPERATORS = {
    "single_choice": ("is", "is_not", "one_of"),
    "multiple_choice": ("contains",),
    "yes_no": ("is",),
    "number": ("is", "is_not", "lt", "le", "gt", "ge", "between"),
    "date": ("is", "is_not", "lt", "le", "gt", "ge", "between"),
    "text": ("is", "contains"),
    "postcode": ("is", "contains"),
    "address": ("is", "contains"),
}
ALWAYS = ("answered", "not_answered")

# The words of a sentence; an application passes them in the user's language.
WORDS = {
    "and": "and",
    "or": "or",
    "yes": "Yes",
    "no": "No",
    "one_of": "is one of",
    "contains": "contains",
    "between": "between %(low)s and %(high)s",
    "answered": "is answered",
    "not_answered": "is not answered",
}


def _question_of(node):
    if isinstance(node, dict) and len(node) == 1 and "var" in node:
        name = node["var"]
        if isinstance(name, str) and name:
            return name
    return None


def _scalar(value):
    return value is None or isinstance(value, (str, int, float, bool))


def _row(question, operator, value=None, value2=None):
    row = {"type": "row", "question": question, "operator": operator}
    if operator not in ALWAYS:
        row["value"] = value
    if operator == "between":
        row["value2"] = value2
    return row


def _read_row(op, args):
    """The row of one comparison, or None."""
    if not isinstance(args, list):
        return None
    if op in ("===", "!==") and len(args) == 2:
        question, value = _question_of(args[0]), args[1]
        if question is None or not _scalar(value) or _question_of(value):
            return None
        if value is None:
            return _row(question, "not_answered" if op == "===" else "answered")
        return _row(question, "is" if op == "===" else "is_not", value)
    if op in _COMPARE_OPS and len(args) == 2:
        question, value = _question_of(args[0]), args[1]
        if question and _scalar(value) and value is not None:
            return _row(question, _COMPARE_OPS[op], value)
        return None
    if op == "<=" and len(args) == 3:
        low, question, high = args
        question = _question_of(question)
        if question and all(_scalar(v) and v is not None for v in (low, high)):
            return _row(question, "between", low, high)
        return None
    if op == "in" and len(args) == 2:
        first, second = args
        question = _question_of(first)
        if question and isinstance(second, list) and second:
            if all(_scalar(v) and v is not None for v in second):
                return _row(question, "one_of", list(second))
            return None
        question = _question_of(second)
        if question and _scalar(first) and first is not None:
            return _row(question, "contains", first)
    return None


def to_rows(logic):
    """The builder's tree of ``logic`` (a parsed JsonLogic value), or ``None``
    when the builder cannot show it. ``None`` (no condition) gives an empty
    ``and`` group."""
    if logic is None:
        return {"type": "group", "op": "and", "children": []}
    tree = _read(logic)
    if tree is None:
        return None
    if tree["type"] == "row":
        return {"type": "group", "op": "and", "children": [tree]}
    return tree


def _read(logic):
    if not isinstance(logic, dict) or len(logic) != 1:
        return None
    ((op, args),) = logic.items()
    if op in ("and", "or"):
        if not isinstance(args, list) or len(args) < 2:
            # a group of one would not come back as it was
            return None
        children = [_read(arg) for arg in args]
        if any(child is None for child in children):
            return None
        return {"type": "group", "op": op, "children": children}
    return _read_row(op, args)


def to_logic(tree):
    """The JsonLogic of a builder tree (``None`` for an empty tree).

    Empty groups and rows without a question are left out; a group of one
    is that one condition."""
    if not tree:
        return None
    if tree.get("type") == "group":
        parts = [to_logic(child) for child in tree.get("children", [])]
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return {tree.get("op") or "and": parts}
    question = tree.get("question")
    if not question:
        return None
    var = {"var": question}
    operator = tree.get("operator")
    value = tree.get("value")
    if operator == "answered":
        return {"!==": [var, None]}
    if operator == "not_answered":
        return {"===": [var, None]}
    if operator == "is":
        return {"===": [var, value]}
    if operator == "is_not":
        return {"!==": [var, value]}
    if operator in COMPARE:
        return {COMPARE[operator]: [var, value]}
    if operator == "between":
        return {"<=": [value, var, tree.get("value2")]}
    if operator == "one_of":
        return {"in": [var, list(value or [])]}
    if operator == "contains":
        return {"in": [value, var]}
    raise ValueError(f"unknown operator {operator!r}")


def _value_text(question, value, words):
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    for option in (question or {}).get("options", []):
        if option.get("value") == value and type(option.get("value")) is type(value):
            label = option.get("label")
            if isinstance(label, dict):
                label = label.get("nl") or next(iter(label.values()), None)
            return label or str(value)
    if isinstance(value, str):
        return f'"{value}"'
    return json.dumps(value)


def _label(question, key):
    label = (question or {}).get("label")
    if isinstance(label, dict):
        label = label.get("nl") or next(iter(label.values()), None)
    return label or key


def describe(logic, questions=(), words=None):
    """``logic`` as a sentence: "Leeftijd ≥ 18 en Woont in Leuven = Ja".

    ``questions`` are the package's questions (labels and option labels);
    ``words`` the words of :data:`WORDS` in the reader's language. What the
    builder cannot show is given as compact JSON."""
    words = {**WORDS, **(words or {})}
    by_id = {q.get("id"): q for q in questions or ()}
    if logic is None:
        return ""
    tree = _read(logic)
    if tree is None:
        return json.dumps(logic, ensure_ascii=False, separators=(",", ":"))
    return _sentence(tree, by_id, words, top=True)


def _sentence(tree, questions, words, top=False):
    if tree["type"] == "group":
        joiner = f" {words[tree['op']]} "
        text = joiner.join(
            _sentence(child, questions, words) for child in tree["children"]
        )
        return text if top else f"({text})"
    question = questions.get(tree["question"])
    label = _label(question, tree["question"])
    operator = tree["operator"]
    if operator in ALWAYS:
        return f"{label} {words[operator]}"
    value = _value_text(question, tree.get("value"), words)
    if operator in SYMBOLS:
        return f"{label} {SYMBOLS[operator]} {value}"
    if operator == "between":
        high = _value_text(question, tree.get("value2"), words)
        return f"{label} {words['between'] % {'low': value, 'high': high}}"
    if operator == "one_of":
        values = ", ".join(_value_text(question, v, words) for v in tree["value"])
        return f"{label} {words['one_of']} {values}"
    return f"{label} {words['contains']} {value}"

"""JsonLogic as json-logic-js evaluates it, on top of ``panzi-json-logic``.

The browser evaluates topic packages with json-logic-js; the server with
panzi-json-logic. Both pass the official JsonLogic test suite, but they differ
where the suite is silent: strict equality of a boolean and a number
(``true === 1`` is true in Python), of two equal arrays, ordering comparisons
of null or booleans with strings, and ``in`` with a boolean needle. The
operators here follow JavaScript's rules so that both sides give the same
answers (``leuven/tests/test_assistant_js_agreement.py`` checks it); the
operators packages may use at all are listed in ``engine.ALLOWED_OPERATORS``.
"""

import math
import re

from json_logic import jsonLogic
from json_logic.builtins import BUILTINS

_JS_NUMBER = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_JS_RADIX = re.compile(r"0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)")
_JS_SPACE = " \t\n\v\f\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def js_string(value):
    """JavaScript's String(value) for JSON values."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        if isinstance(value, float):
            if math.isnan(value):
                return "NaN"
            if math.isinf(value):
                return "Infinity" if value > 0 else "-Infinity"
            if value.is_integer() and abs(value) < 1e21:
                return str(int(value))
            text = repr(value)
            return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)
        return str(value)
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def js_number(value):
    """JavaScript's Number(value) for JSON values (NaN when not a number)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if _is_number(value):
        return value
    if isinstance(value, (list, dict)):
        return js_number(js_string(value))
    text = str(value).strip(_JS_SPACE)
    if not text:
        return 0
    if _JS_RADIX.fullmatch(text):
        return int(text, 0)
    if _JS_NUMBER.fullmatch(text):
        return float(text.replace("Infinity", "inf"))
    return math.nan


def _primitive(value):
    return js_string(value) if isinstance(value, (list, dict)) else value


def _utf16(text):
    return text.encode("utf-16-be", "surrogatepass")


def js_less(a, b):
    """``a < b`` in JavaScript: True, False or None (undefined: a NaN)."""
    a, b = _primitive(a), _primitive(b)
    if isinstance(a, str) and isinstance(b, str):
        return _utf16(a) < _utf16(b)
    x, y = js_number(a), js_number(b)
    if math.isnan(x) or math.isnan(y):
        return None
    return x < y


def _lt(a, b):
    return js_less(a, b) is True


def _le(a, b):
    return js_less(b, a) is False


def strict_equals(a, b):
    """``a === b`` in JavaScript for JSON values (arrays and objects by identity)."""
    if isinstance(a, (list, dict)) or isinstance(b, (list, dict)):
        return a is b
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b


def _between(compare):
    def operation(data=None, a=None, b=None, *rest):
        if not rest:
            return compare(a, b)
        return compare(a, b) and compare(b, rest[0])

    return operation


def _in(data=None, needle=None, haystack=None, *_ignored):
    if isinstance(haystack, list):
        return any(strict_equals(needle, item) for item in haystack)
    if isinstance(haystack, str) and haystack:
        return js_string(needle) in haystack
    return False


OPERATIONS = {
    **BUILTINS,
    "===": lambda data=None, a=None, b=None, *_: strict_equals(a, b),
    "!==": lambda data=None, a=None, b=None, *_: not strict_equals(a, b),
    "<": _between(_lt),
    "<=": _between(_le),
    ">": lambda data=None, a=None, b=None, *_: _lt(b, a),
    ">=": lambda data=None, a=None, b=None, *_: _le(b, a),
    "in": _in,
}


def apply(logic, data=None):
    """Evaluate ``logic`` on ``data`` as json-logic-js does."""
    return jsonLogic(logic, data, OPERATIONS)

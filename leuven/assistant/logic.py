"""JsonLogic as json-logic-js evaluates it, on top of ``panzi-json-logic``.

The browser evaluates topic packages with json-logic-js; the server with
panzi-json-logic. Both pass the official JsonLogic test suite, but they differ
where the suite is silent: strict equality of a boolean and a number
(``true === 1`` is true in Python), of two equal arrays, ordering comparisons
of null or booleans with strings, and ``in`` with a boolean needle. The
operators here follow JavaScript's rules so that both sides give the same
answers (``leuven/tests/test_assistant_js_agreement.py`` checks it); the
operators packages may use at all are listed in ``engine.ALLOWED_OPERATORS``.

Numbers become text as JavaScript's ``Number.prototype.toString`` writes
them (``1e-6`` is ``"0.000001"``, ``1e21`` is ``"1e+21"``, ``1.0`` is
``"1"``) in ``in``, ``cat`` and ``var`` paths; text becomes a number only
with ASCII digits (``Number("٣")`` is NaN); ``var`` looks keys up as
JavaScript's property access does (``{"var": 0}`` is the key ``"0"`` of an
object, the first item of an array or the first UTF-16 unit of a text).
"""

import math
import re

from json_logic import jsonLogic
from json_logic.builtins import BUILTINS

# ASCII digits only: Python's \d and float() also take Arabic-Indic,
# full-width and other digits, JavaScript's Number() does not
_JS_NUMBER = re.compile(
    r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
)
_JS_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
# integers beyond this are not exact in a JavaScript number
_JS_SAFE_INTEGER = 2**53
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
        return _number_text(value)
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def _number_text(value):
    """``Number.prototype.toString()`` (radix 10) of an int or a float."""
    if isinstance(value, int):
        if abs(value) < _JS_SAFE_INTEGER:
            return str(value)
        try:
            value = float(value)  # what JavaScript parsed from the same JSON
        except OverflowError:
            value = math.inf if value > 0 else -math.inf
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"  # also -0
    if value < 0:
        return "-" + _number_text(-value)
    # the shortest digits that read back as the same float (repr and
    # JavaScript both choose them) and the position n of the decimal point:
    # value = 0.digits * 10**n
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= point <= 21:
        return digits + "0" * (point - k)
    if 0 < point <= 21:
        return f"{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    power = point - 1
    sign = "+" if power >= 0 else "-"
    fraction = f".{digits[1:]}" if k > 1 else ""
    return f"{digits[0]}{fraction}e{sign}{abs(power)}"


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


_UNDEFINED = object()


def _property(data, key):
    """``data[key]`` in JavaScript for a JSON value and a property name
    (``_UNDEFINED`` when there is none; inherited members are not data)."""
    if isinstance(data, dict):
        return data.get(key, _UNDEFINED)
    if isinstance(data, str):
        units = _utf16(data)
        if key == "length":
            return len(units) // 2
        if _JS_ARRAY_INDEX.fullmatch(key) and int(key) < len(units) // 2:
            index = int(key) * 2
            return units[index : index + 2].decode("utf-16-be", "surrogatepass")
        return _UNDEFINED
    if isinstance(data, list):
        if key == "length":
            return len(data)
        if _JS_ARRAY_INDEX.fullmatch(key) and int(key) < len(data):
            return data[int(key)]
    return _UNDEFINED


def _var(data=None, key=None, default=None, *_ignored):
    """json-logic-js ``var``: the key as text (``String(key)``), split on dots;
    a null on the way or a missing property gives the default, a null found
    at the end is returned as it is."""
    if key is None or (isinstance(key, str) and key == ""):
        return data
    for name in js_string(key).split("."):
        if data is None:
            return default
        data = _property(data, name)
        if data is _UNDEFINED:
            return default
    return data


def _missing(data=None, *args):
    keys = args[0] if args and isinstance(args[0], list) else args
    return [key for key in keys if _var(data, key) in (None, "")]


def _missing_some(data=None, need_count=None, keys=None, *_ignored):
    missing = _missing(data, keys)
    present = len(keys) - len(missing) if isinstance(keys, list) else math.nan
    return [] if js_less(present, need_count) is False else missing


def _cat(data=None, *args):
    """``Array.prototype.join.call(arguments, "")``: null is empty."""
    return "".join("" if value is None else js_string(value) for value in args)


OPERATIONS = {
    **BUILTINS,
    "var": _var,
    "missing": _missing,
    "missing_some": _missing_some,
    "cat": _cat,
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

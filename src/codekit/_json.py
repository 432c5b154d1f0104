"""Plain JSON-ready data from codekit's values (attrs classes, enums, dates), and the
fast JSON reader claims are read with when ``orjson`` is installed."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["big_number", "fast_loads", "jsonable", "not_json"]

_orjson_loads: Callable[[str | bytes], Any] | None
try:  # the optional accelerator (``pip install 'codekit[fast]'``)
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - the test extras install it
    _orjson_loads = None

#: ``orjson.loads`` when orjson is installed, else None. It reads JSON text as
#: ``json.loads`` does, about 2.8x faster on a claim line, with one difference on text both
#: accept: an integer outside -2**63..2**64-1 becomes a float (``json`` keeps the int). It
#: rejects what ``json`` reads beyond the standard (``NaN``, ``Infinity``, ``1e400``, lone
#: surrogates, a byte-order mark); a caller reads such text again with ``json``, so every
#: answer is ``json``'s (``Claim.from_json``; ``tests/test_fast_json.py``).
fast_loads: Callable[[str | bytes], Any] | None = _orjson_loads


def big_number(value: Any) -> bool:
    """Whether ``value`` (JSON data) holds a float of 2**63 or more, where ``orjson`` may
    have read an integer ``json`` keeps exact.

    >>> big_number({"a": [1.5, {"b": 9.3e18}]}), big_number({"a": [1.5, 2**70]})
    (True, False)
    """
    if type(value) is float:
        return abs(value) >= 2.0 ** 63
    if type(value) is dict:
        return any(big_number(v) for v in value.values())
    if type(value) is list:
        return any(big_number(v) for v in value)
    return False


def jsonable(obj: Any) -> Any:
    """``obj`` as dicts, lists, strings and numbers (dates as ISO strings).

    >>> jsonable({"on": dt.date(2025, 10, 1), "ranges": ((dt.date(2025, 10, 1), None),)})
    {'on': '2025-10-01', 'ranges': [['2025-10-01', None]]}
    """
    if isinstance(obj, enum.Enum):
        return obj.value
    if attrs.has(type(obj)):
        return {k: jsonable(v) for k, v in attrs.asdict(obj, recurse=False).items()}
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def not_json(error: BaseException) -> str:
    """Why text is not JSON, as a user can act on it (Python's own advice on its number
    limit is no advice to them).

    >>> import json
    >>> try:
    ...     json.loads("[" + "9" * 5000 + "]")
    ... except ValueError as e:
    ...     print(not_json(e))
    a number of 5000 digits (JSON numbers of codekit's input have at most 4300)
    """
    text = str(error)
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if text.startswith("Exceeds the limit (") and "digits" in text:
        limit = text[len("Exceeds the limit ("):].split(" ", 1)[0]
        found = text.rsplit("value has ", 1)[-1].split(" ", 1)[0]
        return (f"a number of {found} digits (JSON numbers of codekit's input have at most "
                f"{limit})")
    return text[:200]

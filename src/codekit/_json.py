"""Plain JSON-ready data from codekit's values (attrs classes, enums, dates), and the
fast JSON reader claims are read with when ``orjson`` is installed."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["AGAIN_DEPTH", "FAST_MAX_DEPTH", "deeper_than", "fast_loads", "jsonable", "not_json",
           "read_again", "shallow"]

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

#: The deepest nesting a text may have to be given to :data:`fast_loads`: orjson before
#: 3.9.15 has no limit and overflows the C stack on an object nested some 50,000 deep (a
#: crash of the process, CVE-2024-27454); 3.9.15 and later refuse more than 1,024 levels
#: themselves. A claim nests 4 deep. Text that could nest deeper is read with ``json``,
#: which says ``RecursionError`` (a typed "nested too deeply" for the caller).
FAST_MAX_DEPTH = 1024
#: Data ``orjson`` read nested deeper than this is read again with ``json``
#: (:func:`read_again`).
AGAIN_DEPTH = 256


def shallow(text: str | bytes) -> bool:
    """Whether ``text`` cannot nest deeper than :data:`FAST_MAX_DEPTH` (it has no more
    opening brackets than that: a bound, strings included, that costs a pass over the
    text; callers first let any text of at most that many characters through).

    >>> shallow('{"a": [1, 2]}'), shallow('[' * 2000), shallow(b'{"a":' * 2000)
    (True, False, False)
    """
    if isinstance(text, str):
        return text.count("{") + text.count("[") <= FAST_MAX_DEPTH
    if isinstance(text, bytes | bytearray):
        return text.count(b"{") + text.count(b"[") <= FAST_MAX_DEPTH
    return False


def read_again(value: Any) -> bool:
    """Whether ``json`` could read the text of ``value`` (JSON data ``orjson`` read)
    otherwise: it holds a float of 2**63 or more (``orjson`` may have read an integer
    ``json`` keeps exact), or nests more than :data:`AGAIN_DEPTH` levels (``json`` reads a
    thousand or so, fewer the deeper its caller's stack: the answer must be its own).
    Walked without recursion.

    >>> read_again({"a": [1.5, {"b": 9.3e18}]}), read_again({"a": [1.5, 2**70]})
    (True, False)
    >>> deep: dict = {}
    >>> for _ in range(AGAIN_DEPTH - 1):  # AGAIN_DEPTH objects, one in another
    ...     deep = {"a": deep}
    >>> read_again(deep), read_again([deep])
    (False, True)
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind is float:
            if abs(item) >= 2.0 ** 63:
                return True
        elif kind is dict or kind is list:
            if depth > AGAIN_DEPTH:
                return True
            stack.extend((v, depth + 1) for v in (item.values() if kind is dict else item))
    return False


def deeper_than(value: Any, levels: int) -> bool:
    """Whether ``value`` (JSON data) nests more than ``levels`` objects and arrays deep;
    walked without recursion.

    >>> deeper_than({"a": [1]}, 2), deeper_than({"a": [[1]]}, 2)
    (False, True)
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if type(item) is dict or type(item) is list:
            if depth > levels:
                return True
            stack.extend((v, depth + 1) for v in (item.values() if type(item) is dict
                                                  else item))
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

"""Plain JSON-ready data from codekit's values (attrs classes, enums, dates)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

__all__ = ["jsonable", "not_json"]


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

"""Plain JSON-ready data from codekit's values (attrs classes, enums, dates)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

__all__ = ["jsonable"]


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

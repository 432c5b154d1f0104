"""A value shown in a message, whatever it is (core: imports nothing from codekit).

Messages quote what the caller passed. A hostile value must not break the message: an
integer of more than 4,300 digits makes ``repr`` raise ``ValueError``, a list nested
thousands deep ``RecursionError``, an object's own ``__repr__`` anything; and a 10 MB value
must not make a 10 MB message.

>>> shown("E11.65")
"'E11.65'"
>>> shown(10 ** 5000)
'<an int of about 5,001 digits>'
>>> shown("x" * 1000)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (1,000 characters)"
>>> nested: list = []
>>> for _ in range(100_000):
...     nested = [nested]
>>> shown(nested)
'<a list nested too deep to show>'

Claims and resources mostly arrive as JSON: a message about a value of the wrong kind
names it in JSON's words (``got NoneType`` means nothing to a sender who wrote ``null``):

>>> [json_kind(v) for v in (None, True, 5, "E11.9")]
['null', 'a boolean (true)', 'a number (5)', "a string ('E11.9')"]
>>> [json_kind(v) for v in ([1], {"a": 1}, {1})]
['an array', 'an object', 'a Python set']
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

__all__ = ["json_kind", "shown"]


def shown(value: object, width: int = 80) -> str:
    """``repr(value)`` cut to about ``width`` characters; never raises."""
    if isinstance(value, str) and len(value) > width:
        return f"{value[:width - 20]!r}... ({len(value):,} characters)"
    if isinstance(value, int) and value.bit_length() > 4000:  # repr would raise past 4,300 digits
        digits = int(value.bit_length() * 0.30103) + 1
        return f"<an int of about {digits:,} digits>"
    try:
        text = repr(value)
    except RecursionError:
        return f"<a {type(value).__name__} nested too deep to show>"
    except Exception:  # an int too long to print, a hostile __repr__
        return f"<{type(value).__name__}>"
    return text if len(text) <= width else f"{text[:width - 10]}... ({len(text):,} characters)"


def json_kind(value: object) -> str:
    """What ``value`` is, in JSON's words (with the value, for the scalars); its Python
    type for what JSON does not have (``a Python object``, not ``a object``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, numbers.Number):
        return f"a number ({shown(value, 40)})"
    if isinstance(value, str):
        return f"a string ({shown(value, 40)})"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return f"a Python {type(value).__name__}"  # not JSON: said as such ("a Python set")

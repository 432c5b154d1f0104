"""Dates of service as arguments: ``on=`` accepts a date, a datetime or an ISO string."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence

from .errors import InvalidArgument

__all__ = ["ICD10_START", "coerce_date", "covered", "date_key", "fiscal_year", "mask_ranges",
           "subtract", "today"]

#: ICD-10-CM and ICD-10-PCS replaced ICD-9-CM for services (discharges) from this date.
ICD10_START = dt.date(2015, 10, 1)

_today_cache: tuple[float, dt.date] = (0.0, dt.date.today())


#: The start of an ISO 8601 week date (``2025-W40-3``, ``2025W403``, ``2025-W40``).
_WEEK_DATE = re.compile(r"\d{4}-?[Ww]\d")

#: A date ordinal later than any real date: the end of an open-ended range.
OPEN = 10**7


def today() -> dt.date:
    """Today's date, re-read at most once a second (cheap on hot paths)."""
    global _today_cache
    now = time.monotonic()
    if now - _today_cache[0] > 1.0:
        _today_cache = (now, dt.date.today())
    return _today_cache[1]


def coerce_date(on: object, name: str = "on") -> dt.date:
    """``None`` -> today; a date; a datetime or a pandas/NumPy timestamp (its own date, in
    its own time zone); text (blanks around it ignored) -> its date, in one of three ISO
    8601 forms:

    - ``"YYYY-MM-DD"`` (``2025-11-03``);
    - ``"YYYYMMDD"``, the basic form (``20251103``, as X12 837 files write dates);
    - an ISO date-time whose date is ``YYYY-MM-DD``, then ``T`` or a space, then a time
      and an optional offset (``2025-11-03T09:00:00-05:00``, ``2025-11-03 09:00``): the
      date as written (the offset does not move it to another day).

    Anything else raises :class:`~codekit.InvalidArgument` naming the argument: a missing
    value (NaT), other date layouts (``11/03/2025``), and ISO week dates (``2025-W40-3``,
    ``2025W403``, ``2025-W40``), which Python reads but claims never carry: a typo there
    would silently be another date.

    >>> coerce_date("2025-10-01"), coerce_date("20251001"), coerce_date("2025-11-03T09:00:00-05:00")
    (datetime.date(2025, 10, 1), datetime.date(2025, 10, 1), datetime.date(2025, 11, 3))
    >>> coerce_date("10/01/2025")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidArgument: on='10/01/2025': expected a date, 'YYYY-MM-DD' or an ...
    >>> coerce_date("2025-W40-3")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidArgument: on='2025-W40-3': an ISO week date is not read as a date ...
    """
    if type(on) is dt.date:  # the hot path: a date object
        return on
    if on is None:
        return today()
    if isinstance(on, dt.datetime):
        if on != on:  # pandas NaT is a datetime that equals nothing
            raise InvalidArgument(f"{name}=NaT: a missing date")
        return on.date()
    if isinstance(on, dt.date):
        return on
    why = ": expected a date, 'YYYY-MM-DD' or an ISO date-time"
    if isinstance(on, str):
        text = on.strip()
        n = len(text)
        # Python's fromisoformat also reads week dates (2025-W40-3): only the three forms
        # documented above reach it
        if (n == 8 and text.isascii() and text.isdigit()) or (
                n >= 10 and text[4:5] == "-" and text[7:8] == "-"):
            if n <= 10:
                try:
                    return dt.date.fromisoformat(text)
                except ValueError:
                    pass
            elif n <= 40 and text[10] in ("T", " "):
                try:
                    return dt.datetime.fromisoformat(text).date()
                except ValueError:
                    pass
        elif _WEEK_DATE.match(text):
            why = (": an ISO week date is not read as a date of service (a typo in it "
                   "would be another date); expected a date, 'YYYY-MM-DD', 'YYYYMMDD' or "
                   "an ISO date-time")
    elif type(on).__name__ == "datetime64":  # NumPy: via its ISO text ("NaT" when missing)
        text = str(on)
        if text == "NaT":
            raise InvalidArgument(f"{name}=NaT: a missing date")
        return coerce_date(text[:10], name)
    try:
        shown = repr(on)
    except Exception:  # a hostile __repr__
        shown = f"<{type(on).__name__}>"
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise InvalidArgument(f"{name}={shown}{why}")


def date_key(value: object) -> object:
    """A cell of a date field of a claim as the claim reader reads it, to compare two
    cells of one claim field: its date (:func:`coerce_date`: ``"2025-11-03"``,
    ``"2025-11-03T08:00:00"`` and a timestamp of that day are one date), or the value
    unchanged when it is no date (the reader says why) or None.

    >>> date_key("2025-11-03T08:00:00") == date_key(" 2025-11-03") == dt.date(2025, 11, 3)
    True
    >>> date_key("11/03/2025"), date_key(None)
    ('11/03/2025', None)
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    try:
        return coerce_date(value, "date")
    except Exception:  # InvalidArgument, or a hostile object's own exception
        return value


def covered(span: tuple[dt.date, dt.date] | None, on: object) -> bool:
    """Whether the date ``on`` (read as every ``on=``; None is today) lies in ``span``,
    a ``(first, last)`` of the dates some data describes (None: it describes none): the
    body of every ``covers(on=)``.

    >>> covered((dt.date(2019, 7, 1), dt.date(2026, 6, 30)), "2026-07-01"), covered(None, None)
    (False, False)
    """
    day = coerce_date(on)
    return span is not None and span[0] <= day <= span[1]


def fiscal_year(day: dt.date) -> int:
    """The US federal fiscal year (ICD-10-CM release year) a date falls in.

    >>> fiscal_year(dt.date(2025, 10, 1)), fiscal_year(dt.date(2025, 9, 30))
    (2026, 2025)
    """
    return day.year + 1 if day.month >= 10 else day.year


def mask_ranges(mask: int, starts: Sequence[dt.date],
                ends: Sequence[dt.date | None]) -> list[tuple[dt.date, dt.date | None]]:
    """The date ranges of the periods whose bit is set in ``mask``, runs of neighbours
    merged: period *i* runs from ``starts[i]`` to ``ends[i]`` (inclusive; None = open).

    >>> d = dt.date
    >>> mask_ranges(0b1011, [d(2024, 1, 1), d(2024, 4, 1), d(2024, 7, 1), d(2024, 10, 1)],
    ...             [d(2024, 3, 31), d(2024, 6, 30), d(2024, 9, 30), None])
    [(datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)), (datetime.date(2024, 10, 1), None)]
    """
    out: list[tuple[dt.date, dt.date | None]] = []
    n = len(starts)
    i = 0
    while i < n:
        if mask >> i & 1:
            j = i
            while j + 1 < n and mask >> (j + 1) & 1:
                j += 1
            out.append((starts[i], ends[j]))
            i = j + 1
        else:
            i += 1
    return out


def subtract(spans: Sequence[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    """The days of ``spans`` (date ordinals, both ends inclusive) outside ``cut``, in the
    order of ``spans``.

    >>> subtract([(1, 10), (20, 30)], (5, 22))
    [(1, 4), (23, 30)]
    """
    a, b = cut
    out = []
    for s, e in spans:
        if e < a or s > b:
            out.append((s, e))
            continue
        if s < a:
            out.append((s, a - 1))
        if e > b:
            out.append((b + 1, e))
    return out

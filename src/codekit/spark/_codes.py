"""What runs on the executors for a code column: a batch of (code, date) pairs in, one
answer per row out, each distinct pair of the batch validated once.

No pyspark here: :func:`validate_series` is the body of a pandas UDF (pandas Series in,
a DataFrame out) and :func:`validate_pairs` is plain Python, tested without Spark.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import Any

from .. import cells, codesystem
from .._dates import coerce_date
from ..errors import CodekitError, DataError, InvalidArgument, ValidationError

__all__ = ["VALIDATION_COLUMNS", "validate_pairs", "validate_series"]

#: (name, Spark SQL type) of each answer field.
VALIDATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("valid", "boolean"), ("error", "string"), ("message", "string"),
    ("fix", "array<string>"), ("title", "string"))

Answer = tuple[bool | None, str | None, str | None, list[str] | None, str | None]


def _missing(value: object) -> bool:
    """A null cell as pandas or Arrow hands it over: None, NaN, NaT."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    return type(value).__name__ == "NaTType"  # pandas' missing timestamp


def _date_key(value: object) -> dt.date | str:
    """The date of a cell, or the text of why it is not one."""
    if _missing(value):
        return "no date of service (the date is null)"
    try:
        return coerce_date(value, "date")
    except InvalidArgument as e:
        return str(e).replace("date=", "the date ", 1)


def _number(system_name: str, code: object) -> tuple[object, str | None]:
    """A procedure code stored as a number (a CSV column Spark inferred as ``int``, which
    reaches Python as floats when it has nulls) read as the pandas front door reads it:
    ``(the code's text, how it was read)``; anything else is judged as it is."""
    if isinstance(code, int | float) and not isinstance(code, bool):
        reading = cells.read(code, system_name)
        if reading.codes:
            return reading.codes[0], reading.note
    return code, None


def _no_code(system_name: str, code: object) -> Answer | None:
    """The answer for a cell that holds no code to judge, as the pandas front door gives
    it (both read it with :func:`codekit.cells.read`): missing, blank or a missing-value
    marker (``CODE_MISSING``), a value that is not text (the system's format error)."""
    problem = cells.read(code, system_name).problem
    if problem is None:
        return None
    return (False, problem[0], problem[1], [], None)


def _answer(system: Any, code: object, day: dt.date | str, note: str | None = None) -> Answer:
    if isinstance(day, str):
        return (None, InvalidArgument.code, day, None, None)
    try:
        entry = system.validate(code, on=day)
    except ValidationError as e:
        title = None
        with contextlib.suppress(CodekitError):  # a code no release knows has no title
            title = system.lookup(code, on=day).title
        return (False, e.code, f"{note}; {e}" if note else str(e), list(e.fix), title)
    except DataError:  # damaged or missing data: the job fails loudly, never "invalid"
        raise
    except CodekitError as e:  # a code system's other refusal: said, not raised
        return (False, e.code, str(e), [], None)
    # a date the data does not describe is said (the entry's note), as the errors say it
    past = None if getattr(entry, "covered", True) else getattr(entry, "note", None)
    return (True, None, "; ".join(n for n in (note, past) if n) or None, [], entry.title)


def _quirk(system_name: str, code: str) -> bool:
    """The cell is no code as written that the pandas door reads leniently: an invisible
    character, a trailing dot, several codes in one cell, a modifier or side glued on
    (:func:`codekit.cells.read`)."""
    reading = cells.read(code, system_name)
    return reading.problem is None and (not reading.as_written
                                        or reading.attached is not None)


def _lenient(system_name: str, system: Any, code: str, day: dt.date) -> Answer:
    """The answer :func:`codekit.cells.check` gives a spreadsheet's cell, as the pandas
    door answers it: what was forgiven (its ``note``) leads the message."""
    c = cells.check(code, system=system_name, on=day)
    message = c.note if c.valid else f"{c.note}; {c.message}" if c.note else c.message
    titles = [e.title for e in c.entries if getattr(e, "title", None)] if c.valid else []
    title = " | ".join(titles) if titles else None
    if title is None and len(c.codes) == 1:
        with contextlib.suppress(CodekitError):  # a code no release knows has no title
            title = system.lookup(c.codes[0], on=day).title
    return (c.valid, c.rule, message, list(c.fix), title)


def validate_pairs(system_name: str, codes: Sequence[object],
                   dates: Sequence[object]) -> list[Answer]:
    """One answer per (code, date) row -- (valid, error code, message, fix, title) --
    working each distinct pair out once.

    >>> [a[:2] for a in validate_pairs("icd10cm", ["E11.9", "E11", "E11.9", None],
    ...                                ["2025-11-03"] * 4)]
    [(True, None), (False, 'DX_NOT_BILLABLE'), (True, None), (False, 'CODE_MISSING')]

    A spreadsheet's quirks are read as the pandas door reads them (:mod:`codekit.cells`):

    A valid code on a date codekit's data does not describe says so in its message:

    >>> validate_pairs("icd10cm", ["I10"], ["2030-01-01"])[0][2][:70]
    "2030-01-01 is after the last date codekit's data describes (2027-03-31"

    >>> [a[:3] for a in validate_pairs("icd10cm", ["I10.", "M17.11RT"], ["2025-11-03"] * 2)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(True, None, "read as I10: the trailing '.' was dropped"),
     (False, 'DX_MODIFIER_ATTACHED', "'M17.11RT': RT (right side) is a procedure modifier
     glued to the diagnosis M17.11; a diagnosis carries its side in the code itself:
     report M17.11 (Unilateral primary osteoarthritis, right knee)")]
    """
    system = codesystem.get(system_name)
    empty = cells.read(None, system_name).problem or (cells.MISSING, "no code")
    missing: Answer = (False, empty[0], empty[1], [], None)
    fmt = cells.format_rule(system_name)
    days: dict[object, dt.date | str] = {}
    seen: dict[tuple[object, dt.date | str], Answer] = {}
    out: list[Answer] = []
    for code, raw in zip(codes, dates, strict=True):
        if _missing(code):  # said whatever the date (as the pandas door says it)
            out.append(missing)
            continue
        try:
            day = days[raw]
        except (KeyError, TypeError):  # TypeError: an unhashable cell
            day = _date_key(raw)
            with contextlib.suppress(TypeError):  # an unhashable cell is not remembered
                days[raw] = day
        key: tuple[object, dt.date | str] | None = (code, day)
        try:
            answer = seen.get(key)  # type: ignore[arg-type]
        except TypeError:  # an unhashable code (a list): answered, not remembered
            answer, key = None, None
        if answer is None:
            if type(code) is str:
                answer = _answer(system, code, day)
                if answer[1] == fmt:  # no code at all ("", "N/A"), or a malformed one
                    answer = _no_code(system_name, code) or answer
                # a quirk the pandas door forgives: an invalid code, or a valid one with
                # an invisible character in it (a valid ASCII code is as written)
                if (answer[0] is False or (answer[0] and not code.isascii())) and \
                        _quirk(system_name, code):
                    answer = _lenient(system_name, system, code, day)  # type: ignore[arg-type]
            else:
                read, note = _number(system_name, code)
                answer = (None if isinstance(day, str) else
                          _no_code(system_name, code)) or _answer(system, read, day, note)
            if key is not None:
                seen[key] = answer
        out.append(answer)
    return out


def _cells(values: Any) -> list[Any]:
    """A pandas UDF argument's cells: a Series' values, or for a struct column (which
    arrives as a DataFrame) each row as a dict, answered like any value of the wrong type."""
    import numpy as np
    import pandas as pd

    if isinstance(values, pd.DataFrame):  # a null struct: a row of nothing but nulls
        return [None if all(_missing(v) for v in row.values()) else row
                for row in values.to_dict("records")]
    # an array column's cells arrive as NumPy arrays: each as the list Spark holds
    return [v.tolist() if isinstance(v, np.ndarray) else v for v in values.tolist()]


def validate_series(system_name: str, fixed: str | None, codes: Any, dates: Any) -> Any:
    """The pandas UDF: ``codes`` and ``dates`` are pandas Series (``fixed``, an ISO date,
    stands for every date when given); a DataFrame of :data:`VALIDATION_COLUMNS` back."""
    import pandas as pd

    code_list = _cells(codes)
    date_list = [fixed] * len(code_list) if fixed is not None else _cells(dates)
    answers = validate_pairs(system_name, code_list, date_list)
    names = [name for name, _ in VALIDATION_COLUMNS]
    columns = list(zip(*answers, strict=True)) if answers else [()] * len(names)
    return pd.DataFrame({name: pd.Series(list(col), dtype=object)
                         for name, col in zip(names, columns, strict=True)})

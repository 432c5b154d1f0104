"""ICD-10-PCS (Procedure Coding System): the procedure codes of inpatient hospital claims,
answered for a date of service, each of their seven characters explained.

>>> from codekit import icd10pcs
>>> icd10pcs.is_valid("0DTJ4ZZ", on="2025-06-01"), icd10pcs.compact(" 0dtj4zz ")
(True, '0DTJ4ZZ')
>>> e = icd10pcs.validate("0DTJ4ZZ", on="2025-06-01")
>>> e.title
'Resection of Appendix, Percutaneous Endoscopic Approach'
>>> print(e.axes[4])
5 Approach: 4 = Percutaneous Endoscopic
>>> icd10pcs.validate("0DTJXZZ", on="2025-06-01")
Traceback (most recent call last):
...
codekit.errors.ValueNotAllowed: '0DTJXZZ': character 5 (approach) 'X' is not allowed ...

Validity by date runs from 2015-10-01 to the end of the CMS Medicare Code Editor table
bundled with codekit (2027-03-31); titles come from the CMS order file of the date's fiscal
year (FY2016-FY2026), axis meanings from the FY2026 tables and definitions. No FY2027 PCS
titles or tables are bundled: ``Entry.note`` says so for FY2027 dates, and
``codekit data add-pcs`` loads the CMS files. See ``docs/icd10pcs.md``.
"""

from __future__ import annotations

import datetime as _dt

from .. import _cache
from ..errors import ValidationError as _ValidationError
from ._codes import Resolved, codes, explain, is_valid, lookup, resolve, search, suggest, validate
from ._format import AXES, FAST_PATTERN, PcsCode, compact, parse
from ._format import format_code as format
from ._store import Store, default_store
from .entry import Axis, Entry, MceFlags

__all__ = ["AXES", "CODE_PATTERN", "SYSTEM", "Axis", "Entry", "MceFlags", "PcsCode",
           "Resolved", "Store", "codes", "compact", "coverage", "covers", "default_store",
           "explain", "format", "is_valid", "lookup", "parse", "preload", "resolve",
           "search", "suggest", "valid_ranges", "validate"]

#: The system's name among :data:`codekit.codesystem.SYSTEMS`.
SYSTEM = "icd10pcs"

#: A well-formed, compact ICD-10-PCS code (the fast path of ``grammars/icd10pcs.lark``).
CODE_PATTERN = FAST_PATTERN


def preload() -> None:
    """Read every ICD-10-PCS table now instead of on first use (a service calls this once
    at start-up)."""
    default_store().load()


def _coverage_now() -> tuple[_dt.date, _dt.date]:
    from ._codes import ICD10_START

    return ICD10_START, default_store().last_known


_COVERAGE = _cache.Once("icd10pcs.coverage", _coverage_now)


def coverage() -> tuple[_dt.date, _dt.date]:
    """The first and the last date codekit's ICD-10-PCS data describes: 2015-10-01 (when
    ICD-10-PCS took effect) and the end of the CMS MCE validity table (or of a release you
    added). A later date is answered from the newest data, and the claim report says so
    (``ICD10PCS_DATE_NOT_COVERED``).

    >>> coverage()
    (datetime.date(2015, 10, 1), datetime.date(2027, 3, 31))
    """
    return _COVERAGE.get()


def covers(*, on: object = None, store: Store | None = None) -> bool:
    """Whether codekit's ICD-10-PCS data describes ``on`` (default today): from 2015-10-01
    to the end of the CMS MCE table (2027-03-31), or of a release you added. Later dates
    are answered from the newest data (entries say so in ``covered`` and ``note``).

    >>> covers(on="2026-12-02"), covers(on="2027-04-01"), covers(on="2015-09-30")
    (True, False, False)
    """
    from .._dates import coerce_date
    from ._codes import ICD10_START

    day = coerce_date(on)
    return ICD10_START <= day <= (store or default_store()).last_known


def valid_ranges(code: object) -> tuple[tuple[_dt.date, _dt.date | None], ...]:
    """Every ``(start, end)`` date range (``end`` inclusive, None = open) in which ``code``
    may be reported; empty for malformed or unknown input.

    >>> valid_ranges("0370046")
    ((datetime.date(2016, 10, 1), datetime.date(2019, 9, 30)),)
    """
    try:
        key = compact(code)
    except _ValidationError:
        return ()
    return tuple(default_store().validity.ranges(key))

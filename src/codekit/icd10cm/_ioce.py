"""The I/OCE's list of diagnoses unacceptable as the principal diagnosis of an outpatient
claim (edit 113), by date.

``data/icd10cm/ioce_principal.ckt`` (written by :mod:`codekit.build.ioce` from the IOCE
diagnosis table: the ``unacceptable_pdx`` flag minus the ``unacceptable_pdx_exclusion``
flag). It is read by :attr:`codekit.icd10cm.Facts.ioce_unacceptable_principal`; the
dates on which the list changes are part of what makes two dates of service answer alike
(:func:`codekit.icd10cm.date_view`).
"""

from __future__ import annotations

import datetime as dt

from .. import _cache
from .._paths import bundled_data_dir
from .._ranges import CodeRanges

__all__ = ["EDIT_START", "coverage", "ioce_principal", "on_list", "period"]

#: I/OCE edit 113 runs from version 20.3 (2019-10-01).
EDIT_START = dt.date(2019, 10, 1)

_TABLE = _cache.Once("icd10cm.ioce_principal", lambda: CodeRanges.open(
    bundled_data_dir() / "icd10cm" / "ioce_principal.ckt"), tables=True)


def ioce_principal() -> CodeRanges:
    """The bundled list (opened once)."""
    return _TABLE.get()


def on_list(code: str, day: dt.date) -> bool:
    """Whether the I/OCE rejects ``code`` (compact) as an outpatient principal diagnosis
    on ``day``."""
    return ioce_principal().on_list(code, day)


def period(day: dt.date) -> int:
    """Equal for two dates on which the list is the same."""
    return ioce_principal().period(day)


def coverage() -> tuple[dt.date, dt.date]:
    """The first and the last day the list's I/OCE versions describe (later dates are
    answered as of the last one)."""
    first, last = ioce_principal().meta["coverage"]
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)

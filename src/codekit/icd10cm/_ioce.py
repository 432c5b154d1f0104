"""The I/OCE's lists of diagnoses unacceptable as the principal diagnosis of an outpatient
claim (edit 113, in its outpatient and inpatient forms), and its diagnosis age limits
where they differ from the MCE's (edit 2), by date.

``data/icd10cm/ioce_principal.ckt`` (written by :mod:`codekit.build.ioce` from the IOCE
diagnosis table: the ``unacceptable_pdx`` flag minus the ``unacceptable_pdx_exclusion``
flag). It is read by :attr:`codekit.icd10cm.Facts.ioce_unacceptable_principal`; the
dates on which the list changes are part of what makes two dates of service answer alike
(:func:`codekit.icd10cm.date_view`).

``data/icd10cm/ioce_principal_inpatient.ckt`` (the same build): the codes the I/OCE's
inpatient form of edit 113 (the paths of types of bill 12x, 22x, 81x and 82x) adds to that
list, by date (F02-F07, F09, R53.81-R53.83, R54, R62.7 from 2025-04-01), read by
:attr:`codekit.icd10cm.Facts.ioce_unacceptable_principal_inpatient`; its dates split date
views too.

``data/icd10cm/ioce_age.ckt`` (the same build, from the diagnosis table's ``lo_age`` and
``hi_age``): the I/OCE's age limit of a diagnosis on the dates it differs from the MCE age
band codekit's data gives (the build compares them), read by
:func:`codekit.icd10cm.ioce_age_limit`. Its dates split date views too.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from typing import NamedTuple

from .. import _artifact, _cache
from .._paths import bundled_data_dir
from .._ranges import CodeRanges
from ..errors import DataError

__all__ = ["EDIT_START", "AgeLimit", "IoceAges", "age_limit", "code_first", "coverage",
           "ioce_ages", "ioce_principal", "ioce_principal_inpatient", "mental_health",
           "on_inpatient_list", "on_list", "period"]

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


_INPATIENT = _cache.Once("icd10cm.ioce_principal_inpatient", lambda: CodeRanges.open(
    bundled_data_dir() / "icd10cm" / "ioce_principal_inpatient.ckt"), tables=True)


def ioce_principal_inpatient() -> CodeRanges:
    """The codes the list's inpatient form adds (opened once)."""
    return _INPATIENT.value or _INPATIENT.get()


def on_inpatient_list(code: str, day: dt.date) -> bool:
    """Whether the I/OCE's inpatient form of edit 113 (types of bill 12x, 22x, 81x, 82x)
    rejects ``code`` (compact) as the principal diagnosis on ``day``: the outpatient list
    and the codes whose exclusion flag that form disregards."""
    return on_list(code, day) or ioce_principal_inpatient().on_list(code, day)


_MENTAL_HEALTH = _cache.Once("icd10cm.ioce_mental_health", lambda: CodeRanges.open(
    bundled_data_dir() / "icd10cm" / "ioce_mental_health.ckt"), tables=True)
_CODE_FIRST = _cache.Once("icd10cm.ioce_code_first", lambda: CodeRanges.open(
    bundled_data_dir() / "icd10cm" / "ioce_code_first.ckt"), tables=True)


def mental_health(code: str, day: dt.date) -> bool:
    """Whether ``code`` (compact) is on the I/OCE's mental health list on ``day``."""
    return (_MENTAL_HEALTH.value or _MENTAL_HEALTH.get()).on_list(code, day)


def code_first(code: str, day: dt.date) -> bool:
    """Whether ``code`` (compact) is one of the I/OCE's "code first" diagnoses on ``day``."""
    return (_CODE_FIRST.value or _CODE_FIRST.get()).on_list(code, day)


class AgeLimit(NamedTuple):
    """The I/OCE's age limit of a diagnosis on a date (edit 2): ages ``min_age`` to
    ``max_age`` (0-124: none), and the MCE band of that range on the date (``"pediatric"``;
    None when no band has it)."""

    min_age: int
    max_age: int
    band: str | None


class IoceAges:
    """The I/OCE's diagnosis age limits on the dates they differ from the MCE's (the
    ``ioce-dx-age`` table; rows ``code, effective, last day, min age, max age, band``,
    dates as ordinals)."""

    __slots__ = ("_bounds", "meta", "rows")

    def __init__(self, rows: dict[str, tuple[tuple[int, int, AgeLimit], ...]],
                 meta: dict[str, object]) -> None:
        self.rows = rows
        self.meta = meta
        self._bounds = sorted({b for ranges in rows.values() for eff, end, _ in ranges
                               for b in (eff, end + 1)})

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> IoceAges:
        t = _artifact.Table(path)
        if t.meta.get("kind") != "ioce-dx-age":
            raise DataError(f"{path}: not the I/OCE diagnosis age table (kind "
                            f"{t.meta.get('kind')!r})")
        rows: dict[str, list[tuple[int, int, AgeLimit]]] = {}
        try:
            for line in _artifact.StringColumn(t.section("rows")):
                code, eff, end, lo, hi, band = line.split("\t")
                rows.setdefault(code, []).append(
                    (int(eff), int(end), AgeLimit(int(lo), int(hi), band or None)))
        except ValueError as e:
            raise DataError(f"{path}: corrupt I/OCE age table: {e}") from e
        return cls({c: tuple(r) for c, r in rows.items()}, t.meta)

    def limit(self, code: str, day: dt.date) -> AgeLimit | None:
        """The I/OCE's limit of ``code`` (compact) on ``day`` where it differs from the
        MCE's; None where they agree."""
        ranges = self.rows.get(code)
        if ranges:
            n = day.toordinal()
            for eff, end, limit in ranges:
                if eff <= n <= end:
                    return limit
        return None

    @property
    def periods(self) -> int:
        """How many values :meth:`period` takes."""
        return len(self._bounds) + 1

    def period(self, day: dt.date) -> int:
        """Equal for two dates on which every code's limit is the same."""
        return bisect.bisect_right(self._bounds, day.toordinal())


_AGES = _cache.Once("icd10cm.ioce_ages", lambda: IoceAges.open(
    bundled_data_dir() / "icd10cm" / "ioce_age.ckt"), tables=True)


def ioce_ages() -> IoceAges:
    """The bundled age table (opened once)."""
    return _AGES.value or _AGES.get()


def age_limit(code: str, day: dt.date) -> AgeLimit | None:
    """The I/OCE's age limit of ``code`` (compact) on ``day`` where it differs from the
    MCE band codekit's data gives then; None where they agree."""
    return ioce_ages().limit(code, day)


def period(day: dt.date) -> int:
    """Equal for two dates on which the lists and the age limits are the same."""
    ages, inpatient = ioce_ages(), ioce_principal_inpatient()
    return (ioce_principal().period(day) * inpatient.periods + inpatient.period(day)) \
        * ages.periods + ages.period(day)


def coverage() -> tuple[dt.date, dt.date]:
    """The first and the last day the list's I/OCE versions describe (later dates are
    answered as of the last one)."""
    first, last = ioce_principal().meta["coverage"]
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)

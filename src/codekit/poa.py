"""Present-on-admission (POA) indicators and the CDC lists of codes exempt from them.

Inpatient claims report, with every diagnosis, whether it was present when the patient
was admitted: ``Y`` (yes), ``N`` (no), ``U`` (documentation insufficient), ``W``
(clinically undetermined), or a blank for a code on the CDC POA-exempt list. The 5010
837I (005010X223A2 HI0x-9) takes Y, N, U and W only: an exempt code's indicator is left
out. ``1`` is the older form of that blank (the 4010A 837I, where blanks were undesirable,
and some UB-04 forms); codekit still reads it as exempt, but never asks for it. The exempt
list changes every fiscal year; codekit bundles FY2019-FY2026 (``data/poa/exempt.ckt``,
built from the CDC files by ``python -m codekit.build pcs``).

>>> from codekit import poa
>>> poa.is_exempt("Z37.0", on="2025-11-03"), poa.is_exempt("I10", on="2025-11-03")
(True, False)
>>> poa.is_exempt("I10", on="2016-06-01") is None  # FY2016: no list bundled
True
"""

from __future__ import annotations

import datetime as dt
import operator
from array import array

from . import _artifact, _cache
from ._dates import coerce_date, fiscal_year
from ._paths import bundled_data_dir
from ._show import shown
from .errors import DataError, InvalidArgument

__all__ = ["EXEMPT_VALUES", "INDICATORS", "REPORTED", "exempt_codes", "fiscal_years",
           "is_exempt"]

#: Every POA value and its meaning (CMS Claims Processing Manual ch.3 §20.2.1).
INDICATORS = {
    "Y": "present at the time of inpatient admission",
    "N": "not present at the time of inpatient admission",
    "U": "documentation insufficient to determine if present at admission",
    "W": "clinically undetermined",
    "1": "exempt from POA reporting: the 4010A form of a blank (5010 has no 1: leave the "
         "indicator blank)",
}
#: The values for a diagnosis that is not exempt.
REPORTED = frozenset("YNUW")
#: The values for an exempt diagnosis: blank (None or ""), or 1 (4010A's blank, still read).
EXEMPT_VALUES = frozenset({"", "1"})

def _open() -> tuple[dict[str, int], list[int]]:
    path = bundled_data_dir() / "poa" / "exempt.ckt"
    t = _artifact.Table(path)
    codes = t.section("codes").decode("ascii").split("\n")
    years = array("B")
    years.frombytes(t.section("years"))
    if len(years) != len(codes):
        raise DataError(f"{path}: codes and years differ in length")
    return dict(zip(codes, years, strict=True)), list(t.meta["years"])


_TABLE = _cache.Once("poa.exempt", _open, tables=True)


def _load() -> tuple[dict[str, int], list[int]]:
    return _TABLE.get()


_by_year: dict[int, frozenset[str] | None] = {}
_cache.register("poa.exempt_by_year", _by_year.clear, _by_year.__len__, tables=True)


def exempt_codes(fiscal_year: int) -> frozenset[str] | None:
    """The compact codes on the CDC POA-exempt list of ``fiscal_year`` (None when that
    year's list is not bundled); made once per year.

    >>> "Z370" in exempt_codes(2026), exempt_codes(2027) is None
    (True, True)

    A year that is not an integer (``"2026"``, ``2026.5``, ``True``) raises
    :class:`~codekit.InvalidArgument` rather than answer "no list" for a year that has one.
    """
    if type(fiscal_year) is not int:
        try:
            if isinstance(fiscal_year, bool):
                raise TypeError
            fiscal_year = operator.index(fiscal_year)  # NumPy integers
        except TypeError:
            raise InvalidArgument(f"fiscal_year={shown(fiscal_year, 40)}: expected a fiscal "
                                  "year as an integer, e.g. 2026 (October 2025 to September "
                                  "2026)") from None
    found = _by_year.get(fiscal_year, False)
    if found is False:
        masks, years = _load()
        found = None if fiscal_year not in years else frozenset(
            c for c, m in masks.items() if m >> years.index(fiscal_year) & 1)
        _by_year[fiscal_year] = found
    return found  # type: ignore[return-value]


def fiscal_years() -> list[int]:
    """The fiscal years whose CDC POA-exempt list is bundled.

    >>> fiscal_years()[0], fiscal_years()[-1]
    (2019, 2026)
    """
    return list(_load()[1])


def is_exempt(code: str, *, on: object = None) -> bool | None:
    """Whether ``code`` (ICD-10-CM, dotted or not) is on the CDC POA-exempt list of the
    fiscal year of ``on`` (the discharge date); None when no list for that year is
    bundled (before FY2019, after FY2026). A code that is not a string raises
    :class:`~codekit.InvalidArgument`."""
    if not isinstance(code, str):
        raise InvalidArgument(f"code={shown(code, 40)}: expected an ICD-10-CM code as a string")
    day: dt.date = coerce_date(on)
    masks, years = _load()
    fy = fiscal_year(day)
    if fy not in years:
        return None
    key = code.replace(".", "").strip().upper()
    return bool(masks.get(key, 0) >> years.index(fy) & 1)

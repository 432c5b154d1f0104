"""NCCI medically unlikely edits (MUE): the most units of a code per line or per day.

MUE adjudication indicator (MAI): **1** per claim line; **2** per day, absolute (policy);
**3** per day, clinical (can be appealed).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from .._dates import coerce_date, covered
from .._files import FileLimits, Problems, RowProblem, norm_header, rows_after_header
from ..errors import InvalidArgument
from ..procedure import CODE_PATTERN as FAST_CODE
from ..procedure import compact
from ._names import check_path_arg, check_setting_arg, effective_of, quarter_end, setting_of

__all__ = ["MueEdit", "MueTable", "load_mue"]

_MAI_TEXT = {1: "line edit", 2: "date of service edit: policy",
             3: "date of service edit: clinical"}


@attrs.frozen
class MueEdit:
    """The MUE of one code: at most ``units`` units, counted as ``mai`` says."""

    code: str
    units: int
    mai: int
    rationale: str | None = None
    effective: dt.date | None = None

    @property
    def per_day(self) -> bool:
        """True for MAI 2 and 3: units are summed over all lines of the date of service."""
        return self.mai in (2, 3)

    @property
    def adjudication(self) -> str:
        """What the MAI means (``"line edit"``, ``"date of service edit: policy"``...)."""
        return _MAI_TEXT.get(self.mai, "unknown")


def _from_rows(rows: dict[str, tuple[int, int, str]], meta: dict[str, Any],
               problems: tuple[RowProblem, ...]) -> MueTable:
    return MueTable(rows, meta, problems=problems)


_UNSEEN: Any = object()


class MueTable:
    """One quarter's MUE values (practitioner, outpatient hospital or DME supplier).

    ``effective`` is the first date the table applies to (from the ``effective=`` argument
    or the CMS file name, ``..._Eff_04-01-2026.csv``) and it applies to the end of that
    quarter (:attr:`end`); asking about a date before or after raises
    :class:`~codekit.InvalidArgument`, because MUE values change every quarter. A table
    whose effective date is unknown (made by hand without one) covers no date: it answers
    only without ``on=``.
    """

    __slots__ = ("_edits", "_rows", "meta", "problems")

    def __init__(self, rows: dict[str, tuple[int, int, str]], meta: dict[str, Any], *,
                 problems: Sequence[RowProblem] = ()) -> None:
        self._rows = rows
        self.meta = meta
        self.problems: tuple[RowProblem, ...] = tuple(problems)
        #: code -> its MueEdit, made once (edits are immutable; a table never changes)
        self._edits: dict[str, MueEdit | None] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_from_rows, (self._rows, self.meta, self.problems))

    def __repr__(self) -> str:
        return (f"<MueTable {self.setting or ''} {len(self)} codes, effective "
                f"{self.effective}, from {self.meta.get('source')}>")

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._rows

    @property
    def effective(self) -> dt.date | None:
        """The first day the table applies to (from the CMS file name, or the
        ``effective=`` given to :func:`load_mue`); None for a table made without one."""
        e = self.meta.get("effective")
        return dt.date.fromisoformat(e) if e else None

    @property
    def setting(self) -> str | None:
        """``"practitioner"``, ``"hospital"`` or ``"dme"`` when the file name says so."""
        return self.meta.get("setting")

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code the table gives an MUE for, sorted."""
        return tuple(sorted(self._rows))

    @property
    def end(self) -> dt.date | None:
        """The last day the table applies to: the end of the quarter of its effective date
        (MUE values change every quarter)."""
        eff = self.effective
        return None if eff is None else quarter_end(eff)

    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """(:attr:`effective`, :attr:`end`): the first and the last day the table applies
        to; None when its effective date is unknown (a table made by hand without one)."""
        eff = self.effective
        return None if eff is None else (eff, quarter_end(eff))

    def covers(self, on: object = None) -> bool:
        """True when the table applies to the date ``on`` (default today): from its
        effective date to the end of that quarter (never when its effective date is
        unknown)."""
        return covered(self.coverage(), on)

    def get(self, code: str, *, on: object = None) -> MueEdit | None:
        """The MUE of ``code`` (None when the table has none). With ``on=``, first checks
        that the table applies to that date."""
        if on is not None and not self.covers(on):
            if self.effective is None:
                raise InvalidArgument(
                    f"on={on!r}: this MUE table's effective date is unknown, so it cannot "
                    "answer for a date; load it with load_mue(..., effective=)")
            if coerce_date(on) < self.effective:
                raise InvalidArgument(
                    f"on={on!r}: this MUE table takes effect on {self.effective}; load the "
                    "MUE file of the quarter of the date of service")
            raise InvalidArgument(
                f"on={on!r}: this MUE table is for {self.effective} to {self.end} (one "
                "quarter: MUE values change every quarter); load the MUE file of the "
                "quarter of the date of service")
        if type(code) is str:
            made = self._edits.get(code, _UNSEEN)
            if made is not _UNSEEN:
                return made
        raw = code
        row = self._rows.get(code) if isinstance(code, str) else None
        edit = None
        if row is None:
            code = compact(code)
            row = self._rows.get(code)
        if row is not None:
            units, mai, rationale = row
            edit = MueEdit(code, units, mai, rationale or None, self.effective)
        # remembered under the code as given, an edit or None (most codes of a claim
        # stream have no MUE: each is compacted and looked up once, not once a line)
        if type(raw) is str and len(raw) <= 16:
            if len(self._edits) >= 65536:
                self._edits.clear()
            self._edits[raw] = edit
        return edit


# --------------------------------------------------------------------------------------
# loading

_MAI = re.compile(r"([123])(?:\.0)?(?:\s+(.*))?", re.S)
_MAX_UNITS = 999_999_999


def _mai(text: str) -> int | None:
    """The MAI of a cell: ``1``, ``2.0`` or CMS's ``2 Date of Service Edit: Policy`` (the
    text must be the one of its digit), else None."""
    m = _MAI.fullmatch(text)
    if m is None:
        return None
    mai = int(m[1])
    if m[2] is not None and norm_header(m[2]) != norm_header(_MAI_TEXT[mai]):
        return None
    return mai


def _columns(cells: list[str]) -> dict[str, int] | None:
    norm = [norm_header(c) for c in cells]
    cols: dict[str, int] = {}
    for i, n in enumerate(norm):
        if not n:
            continue
        if "rationale" in n:
            cols.setdefault("rationale", i)
        elif "adjudication" in n or n == "mai" or n.endswith("mai"):
            cols.setdefault("mai", i)
        elif "muevalue" in n or n in ("mue", "mueunits", "units", "value"):
            cols.setdefault("units", i)
        elif n.startswith(("hcpcs", "cpt")) or n == "code":
            cols.setdefault("code", i)
    return cols if {"code", "units", "mai"} <= cols.keys() else None


def load_mue(path: str | os.PathLike[str], *, effective: object = None,
             setting: str | None = None, errors: str = "raise",
             limits: FileLimits | None = None) -> MueTable:
    """Read one CMS MUE file (practitioner, outpatient hospital or DME; the CSV exactly as
    CMS publishes it, copyright notice and all, gzipped or not, or the xlsx) or a plain CSV
    with columns ``code,mue,mai`` (``rationale`` optional; MAI 1, 2 or 3 or CMS's "2 Date
    of Service Edit: Policy" text).

    ``effective`` defaults to the date in a CMS file name (``Eff_04-01-2026``, or a quarter
    such as ``2026q2``); a file whose name has none needs ``effective=``
    (:class:`~codekit.DataError` otherwise: an MUE table holds one quarter, and an undated
    one would answer for every date). ``setting`` is ``"practitioner"``, ``"hospital"`` or
    ``"dme"`` (default: a word of the file name). A code listed again with another MUE or
    MAI, a whole number over 999,999,999 and an MAI text that is not CMS's are malformed
    rows. ``limits`` bounds what the file may cost (:class:`~codekit.FileLimits`).
    """
    p = Path(check_path_arg(path))
    check_setting_arg(setting)
    probs = Problems(p, errors, limits)
    eff = coerce_date(effective, "effective") if effective is not None else \
        effective_of(p.name)
    rows: dict[str, tuple[int, int, str]] = {}
    fast = FAST_CODE.fullmatch
    for line, cells, cols in rows_after_header(
            p, _columns, probs, "no MUE header found (expected columns such as 'HCPCS/CPT "
            "Code', '... MUE Values', 'MUE Adjudication Indicator', or code,mue,mai)"):
        try:
            code = cells[cols["code"]].strip().upper()
            units_text = cells[cols["units"]].strip()
            mai_text = cells[cols["mai"]].strip()
            rationale = cells[cols["rationale"]].strip() if "rationale" in cols and \
                cols["rationale"] < len(cells) else ""
        except IndexError:
            probs.add(line, f"expected {max(cols.values()) + 1} columns, found {len(cells)}",
                      cells)
            continue
        if fast(code) is None:
            probs.add(line, f"not a CPT or HCPCS code: {code!r}", cells)
            continue
        if units_text.endswith(".0"):
            units_text = units_text[:-2]
        if not (units_text.isascii() and units_text.isdigit()):
            probs.add(line, f"MUE value must be a whole number, not {units_text!r}", cells)
            continue
        if len(units_text.lstrip("0")) > 9 or int(units_text) > _MAX_UNITS:
            probs.add(line, f"MUE value {units_text} is larger than the largest codekit "
                      f"accepts ({_MAX_UNITS:,})", cells)
            continue
        mai = _mai(mai_text)
        if mai is None:
            probs.add(line, f"MUE adjudication indicator must be 1, 2 or 3 (or CMS's text, "
                      f"'2 Date of Service Edit: Policy'), not {mai_text!r}", cells)
            continue
        row = (int(units_text), mai, rationale)
        old = rows.get(code)
        if old is not None and old[:2] != row[:2]:
            probs.add(line, f"{code} appears again with a different MUE ({old[0]}, MAI "
                      f"{old[1]} before)", cells)
            continue
        rows.setdefault(code, row)
    if not rows and not probs.items:
        raise probs.fail("no MUE rows after the header")
    if eff is None:  # checked last, so the rows' own problems are said first
        raise probs.fail(
            "the file name says no effective date (CMS names end Eff_MM-DD-YYYY; or "
            "name the quarter, e.g. mue_practitioner_2026q2.csv): an MUE table holds one "
            "quarter, so pass effective='YYYY-MM-DD' (the first day of its quarter)")
    meta = {"kind": "ncci-mue", "source": p.name, "effective": eff.isoformat(),
            "setting": setting or setting_of(p.name),
            "files": [probs.source.record()] if probs.source is not None else []}
    return MueTable(rows, meta, problems=probs.items)


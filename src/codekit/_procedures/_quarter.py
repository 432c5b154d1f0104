"""Reading a quarterly list of CPT and HCPCS codes (OPPS Addendum B, IOCE-style extracts).

CMS publishes, each quarter, the list of every CPT and HCPCS Level II code the outpatient
code editor knows, with its OPPS status indicator: Addendum B of the OPPS rule ("January
2027 Addendum B", xlsx or csv; columns ``HCPCS Code``, ``Short Descriptor``, ``SI``,
``APC`` ...). The IOCE itself is distributed as a program whose tables are not a
documented file format, so this public list is what codekit reads to answer for a quarter
after its bundled data. A CSV with ``code`` and ``status_indicator`` columns (optionally
``date_approved``/``date_terminated``, the IOCE's mid-quarter dates) reads too.

Only code numbers, status indicators and dates are kept: the short descriptors of CPT
codes in Addendum B are AMA-copyrighted and are dropped as the file is read.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import attrs

from .._dates import coerce_date
from .._files import (
    FileIdentity,
    FileLimits,
    Problems,
    RowProblem,
    identify,
    norm_header,
    parse_date,
    reread,
    rows_after_header,
)
from ..errors import DataError
from ._format import FAST_CODE

__all__ = ["QuarterCode", "QuarterFile", "load_quarter"]

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_NAME = re.compile(r"(?:(20\d\d)[ _.-]*(jan|apr|jul|oct)[a-z]*|(jan|apr|jul|oct)[a-z]*"
                   r"[ _.-]*(20\d\d))", re.I)


@attrs.frozen
class QuarterCode:
    """One code of a quarterly list: its status indicator and, when the file gives them,
    the days inside the quarter it may be reported between."""

    code: str
    status_indicator: str | None
    approved: dt.date | None = None
    terminated: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.approved is None or self.approved <= day) and \
            (self.terminated is None or day <= self.terminated)


class QuarterFile:
    """A loaded quarterly code list: every code active in the quarter from ``effective``."""

    __slots__ = ("codes", "effective", "label", "path", "problems", "source")

    def __init__(self, path: Path, effective: dt.date, codes: dict[str, QuarterCode],
                 problems: tuple[RowProblem, ...] = (),
                 source: FileIdentity | None = None) -> None:
        self.path = path
        #: The file's absolute path, size and sha256 of the bytes its rows were parsed
        #: from, hashed in the same read (what reading it again in a worker process
        #: checks).
        self.source = source if source is not None else identify(path)
        self.effective = effective
        self.label = path.stem
        self.codes = codes
        self.problems = problems

    def __reduce__(self) -> tuple[Any, ...]:
        # read again as it was read (row problems collected, not refused), checked
        return (reread, (load_quarter, self.source, {
            "effective": self.effective.isoformat(),
            "errors": "collect" if self.problems else "raise"}))

    def __repr__(self) -> str:
        return f"<QuarterFile {self.label} effective {self.effective}: {len(self.codes)} codes>"


_HEADER = {"code": ("hcpcscode", "hcpcs", "code", "cptcode", "hcpc"),
           "si": ("si", "statusindicator", "opps si", "status"),
           "approved": ("dateapproved", "approved", "effectivedate", "adddt"),
           "terminated": ("dateterminated", "terminated", "terminationdate", "termdt")}


def _columns(cells: list[str]) -> dict[str, int] | None:
    norm = [norm_header(c) for c in cells]
    found = {}
    for key, names in _HEADER.items():
        for n in names:
            if n.replace(" ", "") in norm:
                found[key] = norm.index(n.replace(" ", ""))
                break
    return found if "code" in found and "si" in found else None


def load_quarter(path: str | os.PathLike[str], *, effective: object = None,
                 errors: str = "raise", limits: FileLimits | None = None) -> QuarterFile:
    """Read a quarterly CPT/HCPCS code list (OPPS Addendum B, or a CSV with ``code`` and
    ``status_indicator`` columns). ``effective`` (the first day of the quarter) defaults
    to the quarter in the file name (``January 2027 Addendum B`` → 2027-01-01).

    A malformed row raises :class:`~codekit.MalformedFile` (file and line); with
    ``errors="collect"`` it is listed in ``problems`` and the file still loads.
    ``limits`` bounds what the file may cost (:class:`~codekit.FileLimits`).
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"no such file: {p}")
    probs = Problems(p, errors, limits)
    codes: dict[str, QuarterCode] = {}
    for line, cells, cols in rows_after_header(
            p, _columns, probs, "no code list header found (expected columns such as "
            "HCPCS Code and SI, as in OPPS Addendum B)"):
        try:
            code = cells[cols["code"]].strip().upper()
            si = cells[cols["si"]].strip().upper() or None
            dates = [cells[cols[k]] if k in cols and cols[k] < len(cells) else ""
                     for k in ("approved", "terminated")]
        except IndexError:
            probs.add(line, f"expected at least {max(cols.values()) + 1} columns", cells)
            continue
        if FAST_CODE.fullmatch(code) is None:
            probs.add(line, f"not a CPT or HCPCS code: {code!r}", cells)
            continue
        try:
            approved, terminated = (parse_date(d) if d.strip() and d.strip() != "0" else None
                                    for d in dates)
        except ValueError as e:
            probs.add(line, str(e), cells)
            continue
        codes[code] = QuarterCode(code, si, approved, terminated)
    if not codes:
        raise probs.fail("no codes found after the header")
    if effective is not None:
        eff = coerce_date(effective, "effective")
    elif m := _NAME.search(p.name):
        year, month = (m[1], m[2]) if m[1] else (m[4], m[3])
        eff = dt.date(int(year), _MONTHS[month[:3].lower()], 1)
    else:
        raise probs.fail("cannot tell which quarter the file is for: pass effective=")
    return QuarterFile(p, eff, codes, tuple(probs.items), probs.source)

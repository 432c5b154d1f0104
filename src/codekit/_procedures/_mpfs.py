"""Global surgery days from the CMS Medicare Physician Fee Schedule RVU file (PPRRVU).

The MPFS relative value file carries, per CPT/HCPCS code, its global surgery period:
``000`` (minor procedure, no postoperative days), ``010`` (minor, 10 days), ``090``
(major, 90 days), ``XXX`` (the concept does not apply), ``YYY`` (set by the contractor),
``ZZZ`` (an add-on within another service's global period), ``MMM`` (maternity). The
claim edits use it to tell modifier 25 (an E/M beside a minor procedure) from 57 (the
decision for a major surgery). codekit reads only the code, its modifier and the global
days of the file the user downloads from CMS (the descriptor column holds CPT text:
never kept); a plain CSV with ``code,global_days`` columns works too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .._files import FileLimits, Problems, RowProblem, norm_header, rows_after_header
from ._format import FAST_CODE

__all__ = ["GLOBAL_DAYS", "MpfsTable", "load_mpfs"]

#: The global surgery indicators of the MPFS, with what each means.
GLOBAL_DAYS = {
    "000": "minor procedure, no postoperative days",
    "010": "minor procedure, 10 postoperative days",
    "090": "major surgery, 90 postoperative days",
    "MMM": "maternity",
    "XXX": "global concept does not apply",
    "YYY": "global period set by the contractor",
    "ZZZ": "within the global period of another service",
}


class MpfsTable:
    """Code -> global surgery days, from one MPFS RVU file."""

    __slots__ = ("global_days", "path", "problems")

    def __init__(self, path: Path, global_days: dict[str, str],
                 problems: tuple[RowProblem, ...] = ()) -> None:
        self.path = path
        self.global_days = global_days
        self.problems = problems

    def __reduce__(self) -> tuple[Any, ...]:
        return (load_mpfs, (str(self.path),))

    def __repr__(self) -> str:
        return f"<MpfsTable {len(self.global_days)} codes from {self.path.name}>"

    def __len__(self) -> int:
        return len(self.global_days)


def _columns(cells: list[str]) -> tuple[int, int, int] | None:
    """(code, modifier or -1, global days) of a header row, or None."""
    norm = [norm_header(c) for c in cells]
    code = next((i for i, n in enumerate(norm) if n in ("hcpcs", "code", "hcpcscode",
                                                         "cpthcpcs", "hcpcscd")), None)
    days = next((i for i, n in enumerate(norm) if n in ("globdays", "glob", "globaldays",
                                                         "globalsurgery", "days")), None)
    if code is None or days is None:
        return None
    mod = next((i for i, n in enumerate(norm) if n in ("mod", "modifier")), -1)
    return code, mod, days


def load_mpfs(path: str | os.PathLike[str], *, errors: str = "raise",
              limits: FileLimits | None = None) -> MpfsTable:
    """Read the global surgery days of a CMS MPFS RVU file (``PPRRVU*.csv``/``.txt``/
    ``.xlsx``, any of them gzipped) or a ``code,global_days`` CSV. Rows with a payment
    modifier (26, TC, 53) are skipped: the code's own row decides. Malformed rows raise
    :class:`~codekit.errors.MalformedFile` naming the file and line, or with
    ``errors="collect"`` are listed in ``problems``. ``limits`` bounds what the file may
    cost (:class:`~codekit.FileLimits`)."""
    p = Path(path)
    probs = Problems(p, errors, limits)
    days: dict[str, str] = {}
    for line, cells, (ic, im, idays) in rows_after_header(
            p, _columns, probs, "no header row with HCPCS and GLOB DAYS columns"):
        if max(ic, idays, im) >= len(cells):
            probs.add(line, "row shorter than the header", cells)
            continue
        code = cells[ic].strip().upper()
        if im >= 0 and cells[im].strip():
            continue
        value = cells[idays].strip().upper()
        if FAST_CODE.fullmatch(code) is None:
            probs.add(line, f"not a CPT or HCPCS code: {code!r}", [code, value])
            continue
        if value not in GLOBAL_DAYS:
            probs.add(line, f"{code}: global days {value!r} is not one of "
                      f"{', '.join(GLOBAL_DAYS)}", [code, value])
            continue
        days[code] = value
    if not days and not probs.items:
        raise probs.fail("no code rows with global days found")
    return MpfsTable(p, days, tuple(probs.items))

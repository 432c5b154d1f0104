"""Reading the CMS HCPCS Level II alpha-numeric file of a quarter (``HCPC2025_OCT_ANWEB``).

CMS publishes it as an Excel workbook and as a fixed-width text file (320 characters a
record; long descriptions continue on following records). Both carry, per code and
per modifier: long and short description, ``XREF1``-``XREF5`` (cross-references: for a
discontinued code, the code CMS names in its place), ``ADD DT`` (added), ``ACT EFF DT``
(date of the last action), ``TERM DT`` (last day valid) and ``ACTION CD``. A CSV or
tab-delimited export with the same column names reads too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from .._dates import coerce_date
from .._files import (
    FileIdentity,
    FileLimits,
    Fingerprint,
    Problems,
    RowProblem,
    identify,
    limit_error,
    norm_header,
    open_text,
    parse_date,
    reread,
    rows_after_header,
)
from ..errors import DataError
from ._format import FAST_CODE, FAST_MODIFIER

__all__ = ["HcpcsRecord", "HcpcsRelease", "load_release"]

_NAME = re.compile(r"(20\d\d)[ _-]?(JAN|APR|JUL|OCT)", re.I)
_MONTHS = {"JAN": 1, "APR": 4, "JUL": 7, "OCT": 10}
_FIXED = re.compile(r"[ A-Z0-9]{5}\d{5}[1-8]")
# Fixed-width layout of the ANWEB text file (0-based slices; the CMS record layout puts the
# five 5-character cross-reference codes at positions 205-229).
_FW = {"hcpc": (0, 5), "recid": (10, 11), "long": (11, 91), "short": (91, 119),
       **{f"xref{i}": (199 + 5 * i, 204 + 5 * i) for i in range(1, 6)},
       "add": (268, 276), "acteff": (276, 284), "term": (284, 292), "action": (292, 293)}
_XREFS = tuple(f"xref{i}" for i in range(1, 6))


@attrs.frozen
class HcpcsRecord:
    """One HCPCS Level II code or modifier as the CMS quarterly file describes it."""

    code: str
    long_description: str
    short_description: str
    added: dt.date | None
    action_effective: dt.date | None
    terminated: dt.date | None
    action: str | None
    is_modifier: bool = False
    #: The file's cross-reference codes (``XREF1``-``XREF5``), as listed: for a
    #: discontinued code, the code(s) CMS names in its place (C9058 -> Q5120).
    cross_references: tuple[str, ...] = ()

    def valid_on(self, day: dt.date) -> bool:
        """True when ``day`` falls between the date added and the termination date."""
        return (self.added is None or self.added <= day) and \
            (self.terminated is None or day <= self.terminated)

    @property
    def start(self) -> dt.date | None:
        """The first day the code may be reported: the file's date added,
        None when the file gives none."""
        return self.added


class HcpcsRelease:
    """A loaded CMS HCPCS file: Level II codes and modifiers with descriptions and dates."""

    __slots__ = ("codes", "effective", "has_cdt", "label", "modifiers", "path", "problems",
                 "source")

    def __init__(self, path: Path, effective: dt.date, codes: dict[str, HcpcsRecord],
                 modifiers: dict[str, HcpcsRecord], problems: tuple[RowProblem, ...] = (),
                 source: FileIdentity | None = None) -> None:
        self.path = path
        #: The file's absolute path, size and sha256 of the bytes its rows were parsed
        #: from, hashed in the same read (what reading it again in a worker process
        #: checks).
        self.source = source if source is not None else identify(path)
        self.effective = effective
        self.label = path.stem
        self.codes = codes
        self.modifiers = modifiers
        self.problems = problems
        #: Whether the file lists CDT (D) codes: the CMS file does not (the ADA's
        #: copyright), so it answers for no D code and the bundled quarters do.
        self.has_cdt = any(c[:1] == "D" for c in codes)

    def __reduce__(self) -> tuple[Any, ...]:
        # read again as it was read: a file whose load collected row problems is
        # rebuilt collecting them, not refused for them; checked to be the content loaded
        return (reread, (load_release, self.source, {
            "effective": self.effective.isoformat(),
            "errors": "collect" if self.problems else "raise"}))

    def __repr__(self) -> str:
        return (f"<HcpcsRelease {self.label} effective {self.effective}: {len(self.codes)} "
                f"codes, {len(self.modifiers)} modifiers>")


def _xrefs(code: str, cells: list[str], is_mod: bool) -> tuple[str, ...]:
    """The well-formed cross-reference codes of a record (modifiers for a modifier), in
    the file's order, without repeats or the code itself."""
    shape = FAST_MODIFIER if is_mod else FAST_CODE
    out: list[str] = []
    for cell in cells:
        x = cell.strip().upper()
        if x and x != code and x not in out and shape.fullmatch(x):
            out.append(x)
    return tuple(out)


def _record(code: str, recid: str, long: str, short: str, add: str, acteff: str, term: str,
            action: str, xrefs: list[str] | None = None) -> HcpcsRecord:
    is_mod = recid in ("7", "8")
    return HcpcsRecord(code, long.strip(), short.strip(), parse_date(add),
                       parse_date(acteff), parse_date(term), action.strip() or None,
                       is_mod, _xrefs(code, xrefs or [], is_mod))


def _fixed_rows(path: Path, limits: FileLimits,
                fingerprint: Fingerprint) -> Iterator[tuple[int, dict[str, str]]]:
    with open_text(path, limits, fingerprint) as f:
        for n, line in enumerate(f, 1):
            if n > limits.max_rows:
                raise limit_error(path, limits, "max_rows")
            line = line.rstrip("\r\n")
            if not _FIXED.match(line):
                continue
            yield n, {k: line[a:b] for k, (a, b) in _FW.items()}


def _is_fixed(path: Path, limits: FileLimits) -> bool:
    if path.suffix.lower() in (".xlsx", ".xls", ".csv"):
        return False
    with open_text(path, limits) as f:
        for _, line in zip(range(200), f, strict=False):
            if "\t" in line:
                return False
            if _FIXED.match(line) and len(line.rstrip("\r\n")) >= 250:
                return True
    return False


_HEADER = {"hcpc": ("hcpc", "hcpcs", "code"), "recid": ("recid",),
           "long": ("longdescription",), "short": ("shortdescription",),
           "add": ("adddt", "adddate"), "acteff": ("acteffdt", "actioneffectivedate"),
           "term": ("termdt", "terminationdate"), "action": ("actioncd", "actioncode"),
           **{x: (x,) for x in _XREFS}}


def _columns(cells: list[str]) -> dict[str, int] | None:
    norm = [norm_header(c) for c in cells]
    found = {k: norm.index(n) for k, names in _HEADER.items() for n in names if n in norm}
    return found if {"hcpc", "long", "term"} <= found.keys() else None


def _delimited_rows(path: Path, probs: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    for line, cells, cols in rows_after_header(
            path, _columns, probs, "no HCPCS header found (expected HCPC, LONG DESCRIPTION, "
            "..., TERM DT columns, or the CMS fixed-width ANWEB text file)"):
        yield line, {k: (cells[i] if i < len(cells) else "") for k, i in cols.items()}


def load_release(path: str | os.PathLike[str], *, effective: object = None,
                 errors: str = "raise", limits: FileLimits | None = None) -> HcpcsRelease:
    """Read a CMS HCPCS alpha-numeric file (``HCPC2025_OCT_ANWEB.xlsx`` or ``.txt``).

    ``effective`` (the first date the file answers for) defaults to the quarter in the
    file name (``2025_OCT`` → 2025-10-01), else the quarter of the latest ``ACT EFF DT``.
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"no such file: {p}")
    probs = Problems(p, errors, limits)
    lim = probs.limits
    fixed = Fingerprint(p) if _is_fixed(p, lim) else None
    rows = _fixed_rows(p, lim, fixed) if fixed is not None else _delimited_rows(p, probs)
    codes: dict[str, HcpcsRecord] = {}
    modifiers: dict[str, HcpcsRecord] = {}
    last: HcpcsRecord | None = None
    latest_action: dt.date | None = None
    for line, r in rows:
        code = r["hcpc"].strip().upper()
        recid = r.get("recid", "").strip()
        if recid in ("4", "8") and last is not None and last.code == code:
            more = r["long"].strip()
            if len(last.long_description) + len(more) > lim.max_row_chars:
                raise limit_error(p, lim, "max_row_chars", extra=f" (the description of "
                                  f"{code}, continued on line {line})")
            target = modifiers if last.is_modifier else codes
            last = target[code] = attrs.evolve(
                last, long_description=f"{last.long_description} {more}".strip())
            continue
        is_mod = recid in ("7", "8") or (not recid and len(code) == 2)
        if (is_mod and FAST_MODIFIER.fullmatch(code) is None) or \
                (not is_mod and (FAST_CODE.fullmatch(code) is None or code[0].isdigit())):
            probs.add(line, f"not a HCPCS Level II {'modifier' if is_mod else 'code'}: "
                      f"{code!r}", list(r.values()))
            continue
        try:
            rec = _record(code, recid or ("7" if is_mod else "3"), r["long"],
                          r.get("short", ""), r.get("add", ""), r.get("acteff", ""),
                          r.get("term", ""), r.get("action", ""),
                          [r.get(x, "") for x in _XREFS])
        except ValueError as e:
            probs.add(line, str(e), list(r.values()))
            continue
        (modifiers if is_mod else codes)[code] = rec
        last = rec
        if rec.action_effective and (latest_action is None or
                                     rec.action_effective > latest_action):
            latest_action = rec.action_effective
    if not codes and not modifiers:
        raise probs.fail("no HCPCS codes or modifiers found")
    if effective is not None:
        eff = coerce_date(effective, "effective")
    elif m := _NAME.search(p.name):
        eff = dt.date(int(m[1]), _MONTHS[m[2].upper()], 1)
    elif latest_action is not None:
        eff = dt.date(latest_action.year, (latest_action.month - 1) // 3 * 3 + 1, 1)
    else:
        raise probs.fail("cannot tell which quarter the file is for: pass effective=")
    return HcpcsRelease(p, eff, codes, modifiers, tuple(probs.items),
                        fixed.identity() if fixed is not None else probs.source)

"""Reading NCCI PTP edits from the files CMS publishes each quarter, or a plain CSV.

CMS layout (tab-delimited text, or the same columns in xlsx): column 1, column 2,
"*=in existence prior to 1996", effective date, deletion date (``*`` = none), modifier
indicator 0/1/9, PTP edit rationale, after a copyright line and one or more header rows.
"""

from __future__ import annotations

import datetime as dt
import os
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .._dates import OPEN
from .._files import (
    FileLimits,
    Problems,
    RowProblem,
    check_errors_arg,
    check_limits_arg,
    limit_error,
    norm_header,
    open_rows,
    parse_date,
)
from ..errors import DataError
from ..procedure import CODE_PATTERN as FAST_CODE
from ._names import check_path_arg, check_setting_arg, setting_of
from ._ptp import PtpTable, pack_ptp

__all__ = ["load_ptp"]


_COLUMNS = {
    "column_1": ("column1", "col1", "comprehensive"),
    "column_2": ("column2", "col2", "component"),
    "effective": ("effective",),
    "deletion": ("deletion",),
    "modifier": ("modifier",),
    "rationale": ("ptpeditrationale", "rationale"),
}


def _header_map(cells: list[str]) -> dict[str, int] | None:
    norm = [norm_header(c) for c in cells]
    found: dict[str, int] = {}
    for key, prefixes in _COLUMNS.items():
        for i, n in enumerate(norm):
            if n and any(n.startswith(p) for p in prefixes) and i not in found.values():
                found[key] = i
                break
    if "column_1" in found and "column_2" in found:
        return found
    return None


def _positional(cells: list[str]) -> dict[str, int]:
    """The CMS layout: column 1, column 2, prior-to-1996 flag, effective, deletion, modifier,
    rationale."""
    m = {"column_1": 0, "column_2": 1, "effective": 3, "deletion": 4, "modifier": 5}
    if len(cells) > 6:
        m["rationale"] = 6
    return m


def _continues_header(cells: list[str], cols: dict[str, int]) -> bool:
    """Whether a row after the header is more of the header (CMS spreads its header over
    several rows): both code cells blank and no modifier indicator. Any other row is an
    edit, read (or reported) as one."""
    def cell(key: str) -> str:
        i = cols.get(key, -1)
        return cells[i].strip() if 0 <= i < len(cells) else ""
    return not cell("column_1") and not cell("column_2") and \
        cell("modifier") not in ("0", "1", "9")


def _edit_shaped(cells: list[str]) -> bool:
    """Whether a row before any header has the shape of a CMS PTP row (a code-like first
    cell and a modifier indicator in the sixth): an edit with a typo, not a preamble."""
    return len(cells) >= 6 and cells[5].strip() in ("0", "1", "9") and \
        bool(cells[0].strip()) and cells[0].strip().isalnum()


class _Reader:
    """Accumulates PTP rows from one or more files into column arrays."""

    def __init__(self, errors: str, limits: FileLimits) -> None:
        self.errors = errors
        self.limits = limits
        self.codes: dict[str, int] = {}
        self.keys: dict[str, int] = {}  # raw cell text → code position (incl. unstripped)
        # raw cell text → day; separate maps because a blank means 0 for an effective
        # date but OPEN for a deletion date
        self.eff_days: dict[str, int] = {}
        self.del_days: dict[str, int] = {}
        self.rationales: dict[str, int] = {"": 0}
        self.rat_keys: dict[str, int] = {"": 0}  # raw cell text → rationale index
        self.c1, self.c2 = array("I"), array("I")
        self.eff, self.end = array("I"), array("I")
        self.mi = bytearray()
        self.rat = array("I")
        self.problems: list[RowProblem] = []
        #: the positions of rows to find again (to name the rows that conflict) and, once
        #: read, their (file, line, cells)
        self.want: set[int] | None = None
        self.found: dict[int, tuple[str, int, list[str]]] = {}
        #: each file read: its name, size and sha256 (of the bytes parsed, in one read)
        self.files: list[dict[str, Any]] = []

    def _code(self, text: str) -> int | None:
        t = text.strip().upper()
        k = self.codes.get(t)
        if k is None:
            if FAST_CODE.fullmatch(t) is None:
                return None
            k = self.codes[t] = len(self.codes)
        self.keys[text] = k
        return k

    @staticmethod
    def _day(days: dict[str, int], text: str, default: int) -> int:
        parsed = parse_date(text)  # ValueError for a bad date
        d = default if parsed is None else parsed.toordinal()
        days[text] = d
        return d

    def slow_row(self, cells: list[str], cols: dict[str, int], probs: Problems,
                 line: int) -> None:
        """Validate one row the fast path could not take; append it or report it."""
        if not any(c.strip() for c in cells):
            return
        try:
            a = self._code(cells[cols["column_1"]])
            b = self._code(cells[cols["column_2"]])
            if a is None or b is None:
                bad = cells[cols["column_1"]] if a is None else cells[cols["column_2"]]
                probs.add(line, f"not a CPT or HCPCS code: {bad!r}", cells)
                return
            mtext = cells[cols["modifier"]].strip()
            if mtext not in ("0", "1", "9"):
                probs.add(line, f"modifier indicator must be 0, 1 or 9, not {mtext!r}", cells)
                return
            try:
                e = self._day(self.eff_days, cells[cols["effective"]], 0) \
                    if "effective" in cols else 0
                d = self._day(self.del_days, cells[cols["deletion"]], OPEN)
            except ValueError as ex:
                probs.add(line, str(ex), cells)
                return
            if e > d:
                probs.add(line, f"effective date {dt.date.fromordinal(e)} is after the "
                          f"deletion date {dt.date.fromordinal(d)}", cells)
                return
            r = 0
            if "rationale" in cols and cols["rationale"] < len(cells):
                text = cells[cols["rationale"]]
                clean = " ".join(text.split())  # one line, whatever the cell held
                r = self.rationales.get(clean, -1)
                if r < 0:
                    r = self.rationales[clean] = len(self.rationales)
                self.rat_keys[text] = r
        except IndexError:
            probs.add(line, f"expected at least {max(cols.values()) + 1} columns, found "
                      f"{len(cells)}", cells)
            return
        self.c1.append(a)
        self.c2.append(b)
        self.eff.append(e)
        self.end.append(d)
        self.mi.append(int(mtext))
        self.rat.append(r)
        if self.want is not None and len(self.c1) - 1 in self.want:
            self.found[len(self.c1) - 1] = (probs.path, line, cells)

    def read(self, path: Path) -> None:
        probs = Problems(path, self.errors, self.limits)
        cols: dict[str, int] | None = None
        fast = FAST_CODE.fullmatch
        preamble = 0
        with open_rows(path, self.limits) as src:
            it = iter(src)
            for cells in it:
                if not any(c.strip() for c in cells):
                    continue
                if fast(cells[0].strip().upper()) is None:
                    # A copyright preamble or a (continued) header row before the first
                    # edit -- or the first edit, with a typo: read (and reported) as one
                    hm = _header_map(cells)
                    if hm is not None:
                        cols = hm
                    if hm is not None or (not _edit_shaped(cells) if cols is None
                                          else _continues_header(cells, cols)):
                        preamble += 1
                        if preamble > self.limits.max_preamble_rows:
                            raise limit_error(path, self.limits, "max_preamble_rows",
                                              extra=": no PTP edits found")
                        continue
                if cols is None:
                    cols = _positional(cells)
                self._check_columns(cols, probs, f"line {src.line}: ")
                self.slow_row(cells, cols, probs, src.line)
                break
            else:
                # no edit row: a header alone, or nothing PTP-shaped at all
                if cols is not None:
                    self._check_columns(cols, probs, "")
                    raise probs.fail("no PTP edits after the header")
            if cols is None:
                raise probs.fail(
                    "no PTP edits found: expected CMS PTP rows (column 1, column 2, *, "
                    "effective, deletion, modifier, rationale) or a CSV with column_1,"
                    "column_2,...,deletion_date,modifier_indicator")
            self._fast_rows(it, cols, probs, src)
            if self.want is None:  # (not when read again to name conflicting rows)
                self.files.append(src.identity().record())
        self.problems.extend(probs.items)

    @staticmethod
    def _check_columns(cols: dict[str, int], probs: Problems, where: str) -> None:
        missing = [k for k in ("column_1", "column_2", "deletion", "modifier") if k not in cols]
        if missing:
            raise probs.fail(f"{where}the header names no {', '.join(missing)} column")

    def _fast_rows(self, it: Iterator[list[str]], cols: dict[str, int], probs: Problems,
                   src: Any) -> None:
        keys, effs, dels, rats = self.keys, self.eff_days, self.del_days, self.rat_keys
        i1, i2, idl, imi = cols["column_1"], cols["column_2"], cols["deletion"], \
            cols["modifier"]
        ie = cols.get("effective", -1)
        ir = cols.get("rationale", -1)
        mis = {"0": 0, "1": 1, "9": 9}
        c1a, c2a, effa, enda, mia, rata = (self.c1.append, self.c2.append, self.eff.append,
                                            self.end.append, self.mi.append, self.rat.append)
        want, found, rows = self.want, self.found, self.c1
        for cells in it:
            try:
                a = keys[cells[i1]]
                b = keys[cells[i2]]
                d = dels[cells[idl]]
                e = effs[cells[ie]] if ie >= 0 else 0
                m = mis[cells[imi]]
                r = rats[cells[ir]] if ir >= 0 else 0
            except (KeyError, IndexError):
                self.slow_row(cells, cols, probs, src.line)
                continue
            if e > d:  # effective after its deletion: slow_row says so
                self.slow_row(cells, cols, probs, src.line)
                continue
            c1a(a)
            c2a(b)
            effa(e)
            enda(d)
            mia(m)
            rata(r)
            if want is not None and len(rows) - 1 in want:
                found[len(rows) - 1] = (probs.path, src.line, cells)

    def drop(self, rows: set[int]) -> None:
        """Forget the rows at positions ``rows``."""
        keep = [k for k in range(len(self.c1)) if k not in rows]
        for name in ("c1", "c2", "eff", "end", "rat"):
            old = getattr(self, name)
            setattr(self, name, array(old.typecode, map(old.__getitem__, keep)))
        self.mi = bytearray(map(self.mi.__getitem__, keep))


def load_ptp(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
             setting: str | None = None, errors: str = "raise",
             limits: FileLimits | None = None) -> PtpTable:
    """Read NCCI PTP edits from the CMS quarterly files or a plain CSV.

    ``path`` is one file or a list of files (CMS splits the practitioner edits into four
    files, ``ccipra-v***r0-f1`` … ``f4``); ``.txt`` (tab-delimited, with CMS's header rows),
    ``.csv``, ``.xlsx``, a ``.txt`` or ``.csv`` gzipped (not an ``.xlsx``; nor CMS's
    ``.zip``: unzip it first), or a ``.ckt`` written by
    :meth:`PtpTable.save`. A plain CSV names its columns ``column_1,column_2,
    effective_date,deletion_date,modifier_indicator`` (``effective_date`` and a trailing
    ``rationale`` optional). Deletion date ``*`` or blank means still in effect; a
    deletion date is the last day the edit applies. Where rows of one pair overlap in
    time, the one that takes effect later wins from its effective date.

    ``errors="collect"`` keeps reading past malformed rows and lists them in the table's
    ``problems`` instead of raising :class:`MalformedFile` at the first one. ``limits``
    bounds what each file may cost (:class:`~codekit.FileLimits`).
    """
    check_errors_arg(errors)
    lim = check_limits_arg(limits)
    check_setting_arg(setting)
    if isinstance(path, str | os.PathLike):
        paths = [path]
    elif isinstance(path, Sequence | Iterator):
        paths = [check_path_arg(p, "path[]") for p in path]
    else:
        paths = [check_path_arg(path)]  # raises InvalidArgument
    if not paths:
        raise DataError("load_ptp: no file given")
    if len(paths) == 1 and str(paths[0]).endswith(".ckt"):
        return PtpTable.open(paths[0])
    reader = _Reader(errors, lim)
    for p in paths:
        reader.read(Path(p))
    names = [Path(p).name for p in paths]
    meta = {"source": ", ".join(names),
            "setting": setting or setting_of(" ".join(names)), "files": reader.files}
    conflicts: list[tuple[int, int]] = []
    packed = pack_ptp(list(reader.codes), reader.c1, reader.c2, reader.eff, reader.end,
                      reader.mi, reader.rat, list(reader.rationales), meta,
                      conflicts=conflicts)
    if conflicts:
        _report_conflicts(reader, conflicts, paths)  # raises when errors="raise"
        reader.drop({later for _, later in conflicts})
        packed = pack_ptp(list(reader.codes), reader.c1, reader.c2, reader.eff, reader.end,
                          reader.mi, reader.rat, list(reader.rationales), meta)
    return PtpTable(*packed, problems=reader.problems)


def _report_conflicts(reader: _Reader, conflicts: list[tuple[int, int]],
                      paths: list[str | os.PathLike[str]]) -> None:
    """Report the rows of a pair listed again with the same dates and another modifier
    indicator (the first row wins, as for MUE values). Their lines are found by reading
    the files again (conflicts are rare; the first reading keeps no line numbers)."""
    again = _Reader("collect", reader.limits)
    again.want = {k for c in conflicts for k in c}
    for p in paths:
        again.read(Path(p))
    found = again.found
    codes = list(reader.codes)
    order = {str(Path(p)): i for i, p in enumerate(paths)}
    probs: dict[str, Problems] = {}
    for first, later in sorted(conflicts, key=lambda c: (order.get(found[c[1]][0], 0),
                                                          found[c[1]][1])):
        path, line, cells = found[later]
        fpath, fline, _ = found[first]
        where = f"line {fline}" if fpath == path else f"{Path(fpath).name}:{fline}"
        day = reader.eff[later]
        when = f"effective {dt.date.fromordinal(day)}" if day else "no effective date"
        end = reader.end[later]
        when += f", deleted {dt.date.fromordinal(end)}" if end != OPEN else ", not deleted"
        pr = probs.setdefault(path, Problems(path, reader.errors, reader.limits))
        pr.add(line, f"{codes[reader.c1[later]]}/{codes[reader.c2[later]]} appears again "
               f"with the same dates ({when}) and a different modifier indicator "
               f"({reader.mi[later]}; {reader.mi[first]} on {where})", cells)
    for pr in probs.values():
        reader.problems.extend(pr.items)
    reader.problems.sort(key=lambda q: (order.get(q.path, 0), q.line))

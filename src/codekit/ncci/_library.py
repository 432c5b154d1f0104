"""A library of NCCI tables by kind, setting and the dates each covers.

Real claims span quarters and settings: a practitioner claim of 2025-11-03 needs the
practitioner PTP and MUE tables of 2025 Q4, an outpatient claim of the same day the
hospital ones. A :class:`TableLibrary` holds the tables -- the bundled hospital PTP and
add-on tables, the quarterly CMS files in a directory, tables loaded by hand -- and picks,
for a claim line, the table of the claim's setting whose quarter covers the line's date.

A table covers its quarter: from its effective date (the date in a CMS file name, e.g.
``Eff_04-01-2026``, or the quarter of its NCCI version, ``ccipra-v322r0`` = 2026-07-01) to
the day before the next table of the same kind and setting takes effect, the last one to
the end of its quarter. For a date before the first table there is no table (the edit is
not run, and the report says why). For a date after the last table's quarter, the library
answers from the last table and says so in a notice (``extrapolate=False``: not run).

Tables load lazily and once per process (a library pickles as the files it was made of,
so worker processes open them once each).

>>> lib = TableLibrary()
>>> t, note = lib.ptp("hospital", dt.date(2025, 6, 1))
>>> t.setting, note
('hospital', None)
>>> lib.ptp("practitioner", dt.date(2025, 6, 1))[0] is None
True
>>> print(lib.why_none("ptp", "practitioner", dt.date(2025, 6, 1)))
no NCCI practitioner PTP table covers 2025-06-01: load the quarterly CMS file ...
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from .. import _cache
from ..errors import DataError, InvalidArgument

__all__ = ["TableLibrary", "quarter_of_name"]

KINDS = ("ptp", "mue", "addon")
SETTINGS = ("practitioner", "hospital", "dme")
_VERSION = re.compile(r"v(\d{2})(\d)r\d", re.I)  # ccipra-v322r0: NCCI version 32.2
_EFF = re.compile(r"eff[_ -]?(\d{1,2})[-_](\d{1,2})[-_](\d{4})", re.I)
_QUARTER = re.compile(r"(20\d\d)[_ -]?q([1-4])", re.I)


def quarter_of_name(name: str) -> dt.date | None:
    """The first day a CMS NCCI file takes effect, read from its name, or None.

    >>> quarter_of_name("ccipra-v322r0_f1.txt"), quarter_of_name("MCR_MUE_DME_Eff_04-01-2026.csv")
    (datetime.date(2026, 7, 1), datetime.date(2026, 4, 1))
    >>> quarter_of_name("ncci_mue_practitioner_2024q3.csv")
    datetime.date(2024, 7, 1)
    """
    if m := _EFF.search(name):
        try:
            return dt.date(int(m[3]), int(m[1]), int(m[2]))
        except ValueError:
            return None
    if m := _QUARTER.search(name):
        return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
    if m := _VERSION.search(name):  # NCCI version NN.Q takes effect in year 1994+NN
        minor = int(m[2])
        if minor <= 3:
            return dt.date(1994 + int(m[1]), 1 + 3 * minor, 1)
    return None


def _quarter_end(start: dt.date) -> dt.date:
    month = start.month - (start.month - 1) % 3 + 3
    year = start.year + (month > 12)
    return dt.date(year, (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)


def _kind_of(name: str) -> tuple[str, str | None] | None:
    """(kind, setting) of a CMS NCCI file by its name, or None for other files."""
    n = name.lower()
    if n.endswith((".ckt",)) or "ptp" in n or n.startswith(("ccipra", "ccioph", "ccipr", "ccioh")):
        setting = "practitioner" if ("ccipra" in n or "practitioner" in n or "ccipr" in n) \
            else "hospital" if ("ccioph" in n or "hospital" in n or "outpatient" in n
                                or "ccioh" in n) else None
        if "ptp" in n or n.startswith("cci"):
            return "ptp", setting
    if "mue" in n:
        setting = "dme" if "dme" in n else "hospital" if (
            "hospital" in n or "outpatient" in n or "facility" in n) else \
            "practitioner" if ("practitioner" in n or "physician" in n) else None
        return "mue", setting
    if "aoc" in n or "addon" in n or "add-on" in n or "add_on" in n:
        return "addon", None
    return None


@attrs.define(eq=False)
class _Entry:
    """One table in the library: what it is, when it applies, and how to open it."""

    kind: str
    setting: str | None
    start: dt.date | None
    opener: Callable[[], Any]
    label: str
    end: dt.date | None = None
    _table: Any = None
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    @property
    def table(self) -> Any:
        if self._table is None:
            with self._lock:
                if self._table is None:
                    self._table = self.opener()
        return self._table


_OPENED: dict[tuple[str, ...], Any] = _cache.owned("ncci.library_files", {}, tables=True)
_OPENED_LOCK = threading.Lock()


def _open_files(kind: str, setting: str | None, paths: tuple[str, ...]) -> Any:
    """The table of ``paths``, opened once per process (what unpickled libraries share)."""
    key = (kind, setting or "", *paths)
    table = _OPENED.get(key)
    if table is None:
        with _OPENED_LOCK:
            table = _OPENED.get(key)
            if table is None:
                from . import load_addon, load_mue, load_ptp

                if kind == "ptp":
                    table = load_ptp(list(paths), setting=setting)
                elif kind == "mue":
                    table = load_mue(paths[0], setting=setting)
                else:
                    table = load_addon(paths[0])
                _OPENED[key] = table
    return table


class TableLibrary:
    """NCCI PTP, MUE and add-on tables by setting and date; see the module doc.

    ``tables`` are tables already loaded (``codekit.ncci.load_ptp(...)`` ...): each must
    know its setting (from its file name, or ``setting=`` when loading) and, to cover a
    quarter, its effective date (an undated table covers every date). ``directory``
    adds every CMS NCCI file in it (quarterly PTP parts, MUE and add-on files, by their
    names). ``bundled`` adds the bundled hospital PTP and add-on tables (2019-07-01 on).
    """

    def __init__(self, tables: Iterable[Any] = (), *, directory: str | os.PathLike[str] |
                 None = None, bundled: bool = True, extrapolate: bool = True) -> None:
        self._tables = tuple(tables)
        self._directory = None if directory is None else str(directory)
        self.bundled = bundled
        self.extrapolate = extrapolate
        entries: list[_Entry] = []
        if bundled:
            entries += _bundled_entries()
        if directory is not None:
            entries += _directory_entries(Path(directory))
        for t in self._tables:
            entries.append(_table_entry(t))
        self._entries = _with_ends(entries)
        self._memo: dict[tuple[str, str | None, dt.date], tuple[Any, str | None]] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self._tables, self._directory, self.bundled, self.extrapolate))

    def __repr__(self) -> str:
        kinds = ", ".join(f"{e.kind}/{e.setting or 'any'} {e.start or '-'}..{e.end or ''}"
                          for e in self._entries)
        return f"<TableLibrary {kinds}>"

    @property
    def entries(self) -> tuple[tuple[str, str | None, dt.date | None, dt.date | None, str], ...]:
        """(kind, setting, first day, last day, source) of every table, by kind."""
        return tuple((e.kind, e.setting, e.start, e.end, e.label) for e in self._entries)

    def ptp(self, setting: str, day: dt.date) -> tuple[Any, str | None]:
        """The PTP table of ``setting`` for ``day`` and a note when it is used past its
        quarter; (None, why) when no table of the setting covers the day."""
        return self.table("ptp", setting, day)

    def mue(self, setting: str, day: dt.date) -> tuple[Any, str | None]:
        """The MUE table of ``setting`` for ``day`` (see :meth:`ptp`)."""
        return self.table("mue", setting, day)

    def addon(self, day: dt.date) -> tuple[Any, str | None]:
        """The add-on code table for ``day`` (one for every setting; see :meth:`ptp`)."""
        return self.table("addon", None, day)

    def table(self, kind: str, setting: str | None, day: dt.date) -> tuple[Any, str | None]:
        """(the table, a note when it is used past its quarter), or (None, why not)."""
        key = (kind, setting, day)
        hit = self._memo.get(key)
        if hit is None:
            table, note = self._pick(kind, setting, day)
            hit = (table, note) if table is not None else \
                (None, self.why_none(kind, setting, day))
            if len(self._memo) >= 4096:
                self._memo.clear()
            self._memo[key] = hit
        return hit

    def _candidates(self, kind: str, setting: str | None) -> list[_Entry]:
        return [e for e in self._entries if e.kind == kind
                and (kind == "addon" or e.setting == setting)]

    def _pick(self, kind: str, setting: str | None, day: dt.date) -> tuple[Any, str | None]:
        found = self._candidates(kind, setting)
        for e in found:
            if (e.start is None or e.start <= day) and (e.end is None or day <= e.end):
                return e.table, None
        older = [e for e in found if e.start is not None and e.start <= day]
        if older and self.extrapolate:
            last = older[-1]
            what = _what(kind, setting)
            return last.table, (f"the {what} table ({last.label}, {last.start} to "
                                f"{last.end}) answers for {day}, after its last quarter: "
                                "load the CMS file of the quarter of the date of service")
        return None, None

    def why_none(self, kind: str, setting: str | None, day: dt.date) -> str:
        """Why :meth:`table` has no table for ``day`` (for the report's not-run list)."""
        what = _what(kind, setting)
        found = self._candidates(kind, setting)
        if found and found[0].start is not None and day < found[0].start:
            return (f"no {what} table covers {day}: the first one loaded takes effect on "
                    f"{found[0].start}")
        load = {"ptp": "codekit.ncci.load_ptp() or --ptp FILE",
                "mue": "codekit.ncci.load_mue() or --mue FILE",
                "addon": "codekit.ncci.load_addon() or --addon FILE"}[kind]
        extra = (" (CMS does not publish the practitioner PTP edits on a registry, so "
                 "codekit cannot bundle them)" if (kind, setting) == ("ptp", "practitioner")
                 else "")
        if found and not self.extrapolate:
            return (f"no {what} table covers {day}: the last one loaded ends on "
                    f"{found[-1].end}; load the quarterly CMS file of that date with {load}")
        return (f"no {what} table covers {day}: load the quarterly CMS file with {load}, "
                f"or a directory of them with codekit.ncci.TableLibrary(directory=...) or "
                f"--ncci DIR{extra}")


def _what(kind: str, setting: str | None) -> str:
    return f"NCCI {setting + ' ' if setting else ''}{'add-on' if kind == 'addon' else kind.upper()}"


def _restore(tables: Sequence[Any], directory: str | None, bundled: bool,
             extrapolate: bool) -> TableLibrary:
    return TableLibrary(tables, directory=directory, bundled=bundled, extrapolate=extrapolate)


def _bundled_entries() -> list[_Entry]:
    from .. import _artifact
    from .._paths import bundled_data_dir
    from . import addons, hospital_ptp

    # the IOCE quarters the bundled tables were built from (the header only: no section
    # is read until a claim needs the table)
    v = _artifact.Table(bundled_data_dir() / "ncci" / "ptp_hospital.ckt").meta["versions"]
    first = dt.date.fromisoformat(v[0]["start"])
    last = _quarter_end(dt.date.fromisoformat(v[-1]["start"]))
    return [_Entry("ptp", "hospital", first, hospital_ptp, "bundled hospital PTP (IOCE)",
                   end=last),
            _Entry("addon", None, first, addons, "bundled add-on table (IOCE)", end=last)]


def _directory_entries(folder: Path) -> list[_Entry]:
    if not folder.is_dir():
        raise InvalidArgument(f"directory={str(folder)!r}: not a directory")
    groups: dict[tuple[str, str | None, dt.date | None, str], list[str]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        what = _kind_of(path.name)
        if what is None:
            continue
        kind, setting = what
        start = quarter_of_name(path.name)
        # the four parts of a CMS practitioner PTP release share their version prefix
        stem = re.sub(r"[_-]f\d+\b.*$", "", path.name.lower()) if kind == "ptp" else path.name
        groups.setdefault((kind, setting, start, stem), []).append(str(path))
    out = []
    for (kind, setting, start, _), paths in groups.items():
        if kind != "addon" and setting is None:
            raise DataError(f"{paths[0]}: cannot tell the setting of this NCCI file from its "
                            "name (practitioner, hospital/outpatient or DME); load it with "
                            "setting= and pass the table instead")
        out.append(_Entry(kind, setting, start,
                          functools.partial(_open_files, kind, setting, tuple(paths)),
                          ", ".join(Path(p).name for p in paths)))
    return out


def _table_entry(table: Any) -> _Entry:
    kind = type(table).__name__
    kind = {"PtpTable": "ptp", "MueTable": "mue", "AddonTable": "addon"}.get(kind, "")
    if not kind:
        raise InvalidArgument(f"{table!r}: not an NCCI table (PtpTable, MueTable, AddonTable)")
    setting = getattr(table, "setting", None)
    if kind != "addon" and setting not in SETTINGS:
        raise InvalidArgument(f"{table!r}: its setting is unknown; load it with setting="
                              "'practitioner', 'hospital' or 'dme'")
    meta = getattr(table, "meta", {}) or {}
    start = None
    if meta.get("effective"):
        start = dt.date.fromisoformat(meta["effective"])
    elif meta.get("source"):
        start = quarter_of_name(str(meta["source"]))
    entry = _Entry(kind, setting, start, functools.partial(_same, table),
                   str(meta.get("source") or kind))
    entry._table = table
    return entry


def _same(table: Any) -> Any:
    return table


def _with_ends(entries: list[_Entry]) -> tuple[_Entry, ...]:
    """Entries sorted by kind, setting and start; each dated one ends the day before the
    next of its kind and setting starts (the last at the end of its quarter). A table
    given later replaces one of the same kind, setting and start."""
    unique: dict[tuple[str, str | None, dt.date | None], _Entry] = {}
    for e in entries:
        unique[(e.kind, e.setting, e.start)] = e
    ordered = sorted(unique.values(), key=lambda e: (e.kind, e.setting or "",
                                                     e.start or dt.date.min))
    for a, b in itertools.pairwise(ordered):
        if (a.kind, a.setting) == (b.kind, b.setting) and a.start is not None and \
                b.start is not None:
            a.end = b.start - dt.timedelta(days=1) if a.end is None or a.end >= b.start \
                else a.end
    for e in ordered:
        if e.end is None and e.start is not None:
            e.end = _quarter_end(e.start)
    return tuple(ordered)

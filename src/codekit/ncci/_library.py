"""A library of NCCI tables by kind, setting and the dates each covers.

Real claims span quarters and settings: a practitioner claim of 2025-11-03 needs the
practitioner PTP and MUE tables of 2025 Q4, an outpatient claim of the same day the
hospital ones. A :class:`TableLibrary` holds the tables -- the bundled hospital PTP and
add-on tables, the quarterly CMS files in a directory, tables loaded by hand -- and picks,
for a claim line, the table of the claim's setting whose quarter covers the line's date.

A table covers its quarter: from its effective date (the date in a CMS file name, e.g.
``Eff_04-01-2026``, or the quarter of its NCCI version, ``ccipra-v322r0`` = 2026-07-01) to
the end of that quarter, or to the day before the next table of the same kind and setting
takes effect when that is sooner (CMS publishes the PTP, MUE and add-on files every
quarter). For a date before the first table there is no table (the edit is not run, and
the report says why). For a date after a table's quarter and before the next table (a
quarter missing from a folder) or after the last table's quarter, the library answers
from the table before the date and says so in a notice (``extrapolate=False``: not run).

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
from .._dates import coerce_date
from ..errors import DataError, InvalidArgument
from ._names import SETTINGS, coverage_of, effective_of, quarter_end, setting_of, words

__all__ = ["SETTINGS", "TableLibrary", "quarter_of_name"]

KINDS = ("ptp", "mue", "addon")
_PTP_PREFIXES = ("ccipra", "ccipr", "ccioph", "ccioh")  # CMS practitioner / hospital parts


def quarter_of_name(name: str) -> dt.date | None:
    """The first day a CMS NCCI file takes effect, read from its name, or None.

    >>> quarter_of_name("ccipra-v322r0_f1.txt"), quarter_of_name("MCR_MUE_DME_Eff_04-01-2026.csv")
    (datetime.date(2026, 7, 1), datetime.date(2026, 4, 1))
    >>> quarter_of_name("ncci_mue_practitioner_2024q3.csv")
    datetime.date(2024, 7, 1)
    """
    try:
        return effective_of(name)
    except DataError:  # a date that is not one (Eff_13-01-2026, 2019q5)
        return None


def _kind_of(name: str) -> tuple[str, str | None] | None:
    """(kind, setting) of a CMS NCCI file by the words of its name, or None for other
    files: ``ptp`` (or a CMS part, ``ccipra-...``, ``ccioph-...``), ``mue``, ``aoc`` /
    ``addon`` / ``add-on``; the setting from a whole word (``practitioner``, ``hospital``,
    ``outpatient``, ``dme``...).

    >>> _kind_of("readme_mue.txt"), _kind_of("MCR_MUE_DMESupplierServices_Eff_04-01-2026.csv")
    (('mue', None), ('mue', 'dme'))
    >>> _kind_of("practitioner_edits_2025q4.csv") is None
    True
    """
    w = words(name)
    if "ptp" in w or (w and w[0] in _PTP_PREFIXES):
        return "ptp", setting_of(name)
    if "mue" in w:
        return "mue", setting_of(name)
    if "aoc" in w or "addon" in w or "addons" in w or any(
            a == "add" and b == "on" for a, b in itertools.pairwise(w)):
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


def _open_files(kind: str, setting: str | None, paths: tuple[str, ...],
                effective: dt.date | None = None) -> Any:
    """The table of ``paths``, opened once per process (what unpickled libraries share);
    ``effective``: the first day of an MUE file (read from its name)."""
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
                    table = load_mue(paths[0], setting=setting, effective=effective)
                else:
                    table = load_addon(paths[0])
                _OPENED[key] = table
    return table


class TableLibrary:
    """NCCI PTP, MUE and add-on tables by setting and date; see the module doc.

    ``tables`` are tables already loaded (``codekit.ncci.load_ptp(...)`` ...): each must
    know its setting (from its file name, or ``setting=`` when loading) and, to cover a
    quarter, its effective date (an undated PTP or add-on table covers every date: its
    rows carry their own dates; an MUE table must have one). ``directory`` adds every
    CMS NCCI file in it (quarterly PTP parts, MUE and add-on files, by the words of their
    names: ``ptp``/``ccipra``/``ccioph``, ``mue``, ``aoc``/``addon``, and a setting word);
    a file of unknown setting, an MUE file whose name has no date and a name whose date
    is not one are a :class:`~codekit.DataError`. ``bundled`` adds the bundled hospital
    PTP and add-on tables (2019-07-01 on).

    Nothing is dropped silently: :attr:`skipped` (also in the repr) lists the directory's
    entries the library does not read (folders, files whose names are not NCCI file
    names) and the tables another of the same kind, setting and first day replaced (a
    table given later replaces an earlier one: bundled, then directory, then ``tables``).
    """

    def __init__(self, tables: Iterable[Any] = (), *, directory: str | os.PathLike[str] |
                 None = None, bundled: bool = True, extrapolate: bool = True) -> None:
        self._tables = tuple(tables)
        # absolute: its files are opened on first use, here or in a worker process, which
        # must find them after an os.chdir
        self._directory = None if directory is None else os.path.abspath(directory)
        self.bundled = bundled
        self.extrapolate = extrapolate
        entries: list[_Entry] = []
        skipped: list[tuple[str, str]] = []
        if bundled:
            entries += _bundled_entries()
        if self._directory is not None:
            entries += _directory_entries(Path(self._directory), skipped)
        for t in self._tables:
            entries.append(_table_entry(t))
        self._entries = _with_ends(entries, skipped)
        self._skipped = tuple(skipped)
        self._memo: dict[tuple[str, str | None, dt.date], tuple[Any, str | None]] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self._tables, self._directory, self.bundled, self.extrapolate))

    def __repr__(self) -> str:
        kinds = ", ".join(f"{e.kind}/{e.setting or 'any'} {e.start or '-'}..{e.end or ''}"
                          for e in self._entries)
        skipped = "".join(f"; skipped {name}: {why}" for name, why in self._skipped)
        return f"<TableLibrary {kinds or '(no tables)'}{skipped}>"

    @property
    def skipped(self) -> tuple[tuple[str, str], ...]:
        """(name, why) of what the library does not use: entries of the directory it does
        not read (a folder, a file whose name is not an NCCI file name) and tables another
        of the same kind, setting and first day replaced."""
        return self._skipped

    @property
    def entries(self) -> tuple[tuple[str, str | None, dt.date | None, dt.date | None, str], ...]:
        """(kind, setting, first day, last day, source) of every table, by kind."""
        return tuple((e.kind, e.setting, e.start, e.end, e.label) for e in self._entries)

    def ptp(self, setting: str, day: object) -> tuple[Any, str | None]:
        """The PTP table of ``setting`` for ``day`` and a note when it is used past its
        quarter; (None, why) when no table of the setting covers the day."""
        return self.table("ptp", setting, day)

    def mue(self, setting: str, day: object) -> tuple[Any, str | None]:
        """The MUE table of ``setting`` for ``day`` (see :meth:`ptp`)."""
        return self.table("mue", setting, day)

    def addon(self, day: object) -> tuple[Any, str | None]:
        """The add-on code table for ``day`` (one for every setting; see :meth:`ptp`)."""
        return self.table("addon", None, day)

    def table(self, kind: str, setting: str | None, day: object) -> tuple[Any, str | None]:
        """(the table, a note when it is used past its quarter), or (None, why not).

        ``kind`` is ``"ptp"``, ``"mue"`` or ``"addon"``; ``setting`` one of
        :data:`SETTINGS` (ignored for add-on tables, which serve every setting); ``day`` a
        date, a datetime or ``"YYYY-MM-DD"`` (None: today). Anything else is an
        :class:`~codekit.InvalidArgument`."""
        if type(day) is not dt.date:  # (a claim line's date is one already)
            day = coerce_date(day, "day")
        key = (kind, setting, day)
        hit = self._memo.get(key)
        if hit is None:
            _check_kind_setting(kind, setting)
            table, note = self._pick(kind, setting, day)
            hit = (table, note) if table is not None else \
                (None, self.why_none(kind, setting, day))
            if len(self._memo) >= 16384:  # (kinds x settings x days: years of them)
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
                if e.start is None:  # said, not answered silently for every date
                    return e.table, (
                        f"the {_what(kind, setting)} table ({e.label}) names no quarter: "
                        f"its rows' own dates were read for {day}, but edits CMS added "
                        "after the file was made are not in it; name the file with its "
                        "quarter (e.g. ..._2026q2.csv) to use it for that quarter only")
                return e.table, None
        older = [e for e in found if e.start is not None and e.start <= day]
        if older and self.extrapolate:
            last = older[-1]
            what = _what(kind, setting)
            return last.table, (f"the {what} table ({last.label}, {last.start} to "
                                f"{last.end}) answers for {day}, after its last quarter: "
                                "load the CMS file of the quarter of the date of service")
        return None, None

    def why_none(self, kind: str, setting: str | None, day: object) -> str:
        """Why :meth:`table` has no table for ``day`` (for the report's not-run list)."""
        if type(day) is not dt.date:
            day = coerce_date(day, "day")
        _check_kind_setting(kind, setting)
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
        if (kind, setting) == ("ptp", "dme") and not found:
            return (f"no {what} table covers {day}: CMS publishes none (the NCCI PTP edits "
                    "are for practitioner and outpatient hospital claims; a DME supplier's "
                    "claim gets the DME MUE edits), so there is nothing to check; load a "
                    "table of your own with setting='dme' to check one")
        if found and not self.extrapolate:
            later = [e for e in found if e.start is not None and e.start > day]
            ends = (f"the one before it ends on "
                    f"{max(e.end for e in found if e.end is not None and e.end < day)} and "
                    f"the next takes effect on {later[0].start}") if later else \
                f"the last one loaded ends on {found[-1].end}"
            return (f"no {what} table covers {day}: {ends}; load the quarterly CMS file of "
                    f"that date with {load}")
        return (f"no {what} table covers {day}: load the quarterly CMS file with {load}, "
                f"or a directory of them with codekit.ncci.TableLibrary(directory=...) or "
                f"--ncci DIR{extra}")


def _check_kind_setting(kind: object, setting: object) -> None:
    """InvalidArgument for a kind or setting no table can have (asked once per key)."""
    if kind not in KINDS:
        raise InvalidArgument(f"kind={kind!r}: expected 'ptp', 'mue' or 'addon'")
    if kind != "addon" and setting not in SETTINGS:
        raise InvalidArgument(f"setting={setting!r}: expected 'practitioner', 'hospital' or "
                              "'dme' (an outpatient hospital claim is 'hospital')")


def _what(kind: str, setting: str | None) -> str:
    """``NCCI practitioner PTP``, ``NCCI DME supplier MUE``, ``NCCI add-on``."""
    said = "DME supplier" if setting == "dme" else setting
    return f"NCCI {said + ' ' if said else ''}{'add-on' if kind == 'addon' else kind.upper()}"


def _restore(tables: Sequence[Any], directory: str | None, bundled: bool,
             extrapolate: bool) -> TableLibrary:
    return TableLibrary(tables, directory=directory, bundled=bundled, extrapolate=extrapolate)


def _bundled_entries() -> list[_Entry]:
    from . import addons, hospital_ptp
    from ._ptp import bundled_coverage

    # the IOCE quarters the bundled tables were built from (the header only: no section
    # is read until a claim needs the table)
    first, last = bundled_coverage()
    return [_Entry("ptp", "hospital", first, hospital_ptp, "bundled hospital PTP (IOCE)",
                   end=last),
            _Entry("addon", None, first, addons, "bundled add-on table (IOCE)", end=last)]


def _directory_entries(folder: Path, skipped: list[tuple[str, str]]) -> list[_Entry]:
    if not folder.is_dir():
        raise InvalidArgument(f"directory={str(folder)!r}: not a directory")
    groups: dict[tuple[str, str | None, dt.date | None, str], list[str]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            skipped.append((path.name + "/", "not a file: only the files directly in the "
                            "directory are read"))
            continue
        what = _kind_of(path.name)
        if what is None:
            skipped.append((path.name, "not an NCCI file name: a name holds the word ptp "
                            "(or is a CMS ccipra-/ccioph- part), mue, or aoc/addon"))
            continue
        kind, setting = what
        if kind != "addon" and setting is None:
            raise DataError(f"{path}: cannot tell the setting of this NCCI file from its "
                            "name (a word: practitioner, hospital/outpatient or DME); rename "
                            "it, or load it with setting= and pass the table instead")
        try:
            start = effective_of(path.name, "rename the file (or load it with its date and "
                                 "pass the table)")
        except DataError as e:  # a date that is not one: never taken for an undated file
            raise DataError(f"{path.parent}{os.sep}{e}") from None
        if kind == "mue" and start is None:
            raise DataError(f"{path}: the name of this MUE file says no effective date "
                            "(CMS names end Eff_MM-DD-YYYY; or name its quarter, e.g. "
                            "mue_practitioner_2026q2.csv): an MUE table holds one quarter; "
                            "rename it, or load it with codekit.ncci.load_mue(path, "
                            "effective=) and pass the table")
        # the four parts of a CMS practitioner PTP release share their version prefix
        stem = re.sub(r"[_-]f\d+\b.*$", "", path.name.lower()) if kind == "ptp" else path.name
        groups.setdefault((kind, setting, start, stem), []).append(str(path))
    out = []
    for (kind, setting, start, _), paths in groups.items():
        out.append(_Entry(kind, setting, start,
                          functools.partial(_open_files, kind, setting, tuple(paths), start),
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
    # the dates the table says it describes (its covers() and coverage()): a table whose
    # file names no quarter is undated, and answers every date with a note
    coverage = getattr(table, "coverage", None)
    meta = getattr(table, "meta", {}) or {}
    span = coverage() if callable(coverage) else coverage_of(meta)
    if kind == "mue" and span is None:
        raise InvalidArgument(f"{table!r}: its effective date is unknown, and an MUE table "
                              "holds one quarter; load it with effective=")
    entry = _Entry(kind, setting, span[0] if span else None,
                   functools.partial(_same, table), str(meta.get("source") or kind),
                   end=span[1] if span else None)
    entry._table = table
    return entry


def _same(table: Any) -> Any:
    return table


def _with_ends(entries: list[_Entry], skipped: list[tuple[str, str]]
               ) -> tuple[_Entry, ...]:
    """Entries sorted by kind, setting and start; each dated one ends the day before the
    next of its kind and setting starts (the last at the end of its quarter). A table
    given later replaces one of the same kind, setting and start (said in ``skipped``)."""
    unique: dict[tuple[str, str | None, dt.date | None], _Entry] = {}
    for e in entries:
        key = (e.kind, e.setting, e.start)
        old = unique.get(key)
        if old is not None:
            skipped.append((old.label, f"replaced by {e.label} (the same kind, setting and "
                            f"first day: {e.kind} {e.setting or 'any'} {e.start or 'undated'})"))
        unique[key] = e
    ordered = sorted(unique.values(), key=lambda e: (e.kind, e.setting or "",
                                                     e.start or dt.date.min))
    for a, b in itertools.pairwise(ordered):
        if (a.kind, a.setting) == (b.kind, b.setting) and a.start is not None and \
                b.start is not None:
            # a file of a folder covers its quarter only (a loaded table, its coverage):
            # a quarter missing before the next file is a gap, answered with a note
            end = quarter_end(a.start) if a.end is None else a.end
            a.end = min(end, b.start - dt.timedelta(days=1))
    for e in ordered:
        if e.end is None and e.start is not None:
            e.end = quarter_end(e.start)
    return tuple(ordered)

"""Reading procedure-code data lazily: codes and modifiers by quarter, user-loaded files.

Bundled files (format: :mod:`codekit._artifact`), in ``data/procedures/``:

- ``codes.ckt`` (``meta.kind == "procedure-codes"``): one row per code and run of IOCE
  quarters with equal attributes: sections ``codes``, ``lo``/``hi`` (first and last
  quarter, one byte each), ``status`` (OPPS status indicator), ``ages`` (two bytes: lowest
  and highest age), ``flags`` (u32, bit names in ``meta.flags``), ``descriptions`` (HCPCS
  Level II short descriptors; empty for CPT), ``approved``/``terminated`` (u32 date
  ordinals, 0 = none: the days inside the row's quarters the code may be reported
  between) and ``date_edit`` (one byte: the IOCE edit enforcing them, 0 = none).
  ``meta.versions`` lists the quarters.
- ``modifiers.ckt`` (``"procedure-modifiers"``): ``codes``, ``lo``, ``hi``, ``flags``.
- ``xref.ckt`` (``"procedure-cross-references"``, :mod:`._xref`): the codes CMS's HCPCS
  file names in place of discontinued Level II codes, read on first use.
- ``hcpcs_dates.ckt`` (``"procedure-hcpcs-dates"``, :mod:`._hcpcs_dates`): the ``ADD DT``
  and ``TERM DT`` CMS's HCPCS file gives Level II codes, read on first use. Level II
  validity follows them (and the IOCE quarters listing the code); the IOCE's own date
  edits stay in ``codes.ckt`` for the outpatient edits (:meth:`ProcedureStore.date_limit`).

Users add the CMS HCPCS file of a quarter (:mod:`._release`) and their licensed CPT
descriptors (:mod:`._descriptors`); both stay in memory, never in ``data/``. A
:class:`ProcedureStore` pickles as the paths it was built from.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sys
import threading
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import _artifact, _cache
from .._dates import OPEN, mask_ranges, subtract
from .._paths import bundled_data_dir
from ..errors import DataError
from ._entries import DateLimit

if TYPE_CHECKING:
    from ._descriptors import CptDescriptors
    from ._hcpcs_dates import HcpcsDates
    from ._mpfs import MpfsIndicators, MpfsTable
    from ._quarter import QuarterFile
    from ._release import HcpcsRelease
    from ._xref import CrossReferences

    #: A store's user files (:meth:`ProcedureStore.user_files`).
    UserFiles = tuple[list[HcpcsRelease], list[CptDescriptors], list[MpfsTable],
                      list[QuarterFile]]

#: a loaded user file with an effective date (a CMS HCPCS file, a quarterly code list)
F = TypeVar("F", "HcpcsRelease", "QuarterFile")

__all__ = ["CodeTable", "ModifierTable", "ProcedureStore", "Quarters", "default_store"]

Range = tuple[dt.date, dt.date | None]


class Quarters:
    """The IOCE quarters the bundled data is organised in (the last one open-ended)."""

    def __init__(self, versions: Sequence[dict[str, Any]]) -> None:
        self.ids = [v["id"] for v in versions]
        self.starts = [dt.date.fromisoformat(v["start"]) for v in versions]
        self.ends: list[dt.date | None] = [
            dt.date.fromisoformat(v["end"]) if v.get("end") else None for v in versions]
        self.first = self.starts[0]
        #: The last date the data was made for (the end of the last quarter's 3 months).
        last = self.starts[-1]
        self.last_known = dt.date(last.year + (last.month + 2) // 12,
                                  (last.month + 2) % 12 + 1, 1) - dt.timedelta(days=1)
        self._cache: dict[dt.date, int] = {}

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, day: dt.date) -> int:
        """The quarter answering for ``day`` (the first one for earlier dates)."""
        q = self._cache.get(day)
        if q is None:
            q = max(0, bisect.bisect_right(self.starts, day) - 1)
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[day] = q
        return q

    def ranges(self, mask: int) -> list[Range]:
        """Date ranges (end inclusive, None = open) of the quarters set in ``mask``."""
        return mask_ranges(mask, self.starts, self.ends)


def _u32(raw: bytes) -> array:
    a = array("I")
    a.frombytes(raw)
    if sys.byteorder != "little":
        a.byteswap()
    return a


class _RowTable:
    """Rows of (code, first quarter, last quarter) loaded on first use."""

    kind = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._table: _artifact.Table | None = None
        self._index: dict[str, tuple[int, int]] | None = None
        self._masks: dict[str, int] = {}
        self._known: frozenset[str] | None = None
        self._codes: list[str] = []
        self._lo = b""
        self._hi = b""
        self._flags: array | None = None

    @property
    def table(self) -> _artifact.Table:
        if self._table is None:
            t = _artifact.Table(self.path)
            if t.meta.get("kind") != self.kind:
                raise DataError(f"{self.path}: not a {self.kind} table")
            self._table = t
        return self._table

    @property
    def meta(self) -> dict[str, Any]:
        return self.table.meta

    def _load(self) -> dict[str, tuple[int, int]]:
        with self._lock:
            if self._index is None:
                t = self.table
                codes = t.section("codes").decode("ascii").split("\n")
                lo, hi = t.section("lo"), t.section("hi")
                flags = _u32(t.section("flags"))
                if not len(codes) == len(lo) == len(hi) == len(flags):
                    raise DataError(f"{self.path}: columns differ in length")
                index: dict[str, tuple[int, int]] = {}
                masks: dict[str, int] = {}
                for i, c in enumerate(codes):
                    first, n = index.get(c, (i, 0))
                    index[c] = (first, n + 1)
                    masks[c] = masks.get(c, 0) | ((1 << (hi[i] + 1)) - (1 << lo[i]))
                self._codes, self._lo, self._hi, self._flags = codes, lo, hi, flags
                self._masks = masks
                self._index = index
        return self._index

    @property
    def index(self) -> dict[str, tuple[int, int]]:
        return self._index if self._index is not None else self._load()

    @property
    def masks(self) -> dict[str, int]:
        """Code → bit mask of the quarters it is active in."""
        if self._index is None:
            self._load()
        return self._masks

    @property
    def known(self) -> frozenset[str]:
        """Every code of the table, active in any quarter (made once)."""
        known = self._known
        if known is None:
            known = self._known = frozenset(self.masks)
        return known

    def row(self, code: str, q: int) -> int | None:
        """The row of ``code`` active in quarter ``q``."""
        span = self.index.get(code)
        if span is None:
            return None
        for i in range(span[0], span[0] + span[1]):
            if self._lo[i] <= q <= self._hi[i]:
                return i
        return None

    def nearest_row(self, code: str, q: int) -> int | None:
        """The row of ``code`` closest in time to quarter ``q`` (for codes not active in
        ``q``)."""
        span = self.index.get(code)
        if span is None:
            return None
        rows = range(span[0], span[0] + span[1])
        return min(rows, key=lambda i: (0 if self._lo[i] <= q <= self._hi[i] else
                                        min(abs(self._lo[i] - q), abs(self._hi[i] - q)),
                                        -i))

    def nearest_quarter(self, i: int, q: int) -> int:
        """The quarter of row ``i`` nearest to quarter ``q``."""
        return min(max(q, self._lo[i]), self._hi[i])

    def flag_names(self, i: int) -> tuple[str, ...]:
        bits = self._flags[i] if self._flags is not None else 0
        names = self.meta["flags"]
        return tuple(n for b, n in enumerate(names) if bits >> b & 1)

    def codes_in(self, q: int) -> list[str]:
        """Sorted codes active in quarter ``q``."""
        return sorted(c for c, m in self.masks.items() if m >> q & 1)


class CodeTable(_RowTable):
    """CPT and HCPCS Level II codes by quarter (``data/procedures/codes.ckt``)."""

    kind = "procedure-codes"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._status: list[str] | None = None
        self._ages = b""
        self._desc: _artifact.StringColumn | None = None
        self._limits: dict[int, DateLimit] | None = None  # row -> its date limit
        self._dated: frozenset[str] | None = None

    def _read_limits(self) -> dict[int, DateLimit]:
        limits = self._limits
        if limits is None:
            self.index  # noqa: B018 - the rows
            t = self.table
            limits = {}
            if "date_edit" in t:  # tables built before day precision have none
                edits = t.section("date_edit")
                approved, terminated = _u32(t.section("approved")), _u32(t.section("terminated"))
                for i, e in enumerate(edits):
                    if e:
                        a, b = approved[i], terminated[i]
                        limits[i] = DateLimit(e, dt.date.fromordinal(a) if a else None,
                                              dt.date.fromordinal(b) if b else None)
            self._dated = frozenset(self._codes[i] for i in limits)
            self._limits = limits
        return limits

    @property
    def dated(self) -> frozenset[str]:
        """Codes with a date limit in some quarter (validity there is exact to the day)."""
        if self._dated is None:
            self._read_limits()
        return self._dated  # type: ignore[return-value]

    def limit(self, i: int) -> DateLimit | None:
        """The date limit of row ``i``, if the code has one in those quarters."""
        return self._read_limits().get(i)

    def status(self, i: int) -> str | None:
        if self._status is None:
            self._status = self.table.section("status").decode("ascii").split("\n")
        return self._status[i] or None

    def ages(self, i: int) -> tuple[int | None, int | None]:
        """(lowest, highest) age the code is for; None where there is no limit."""
        if not self._ages:
            self._ages = self.table.section("ages")
        lo, hi = self._ages[2 * i], self._ages[2 * i + 1]
        return (lo if lo > 0 else None, hi if hi < 124 else None)

    def description(self, i: int) -> str | None:
        if self._desc is None:
            self._desc = _artifact.StringColumn(self.table.section("descriptions"))
        return self._desc[i] or None


class ModifierTable(_RowTable):
    """Modifiers by quarter (``data/procedures/modifiers.ckt``)."""

    kind = "procedure-modifiers"


# --------------------------------------------------------------------------------------
# date intervals (ordinals, end inclusive, OPEN = open)


def normalise(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(r for r in ranges if r[0] <= r[1]):
        if out and s <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def to_ordinals(ranges: Sequence[Range]) -> list[tuple[int, int]]:
    return [(a.toordinal(), OPEN if b is None else b.toordinal()) for a, b in ranges]


def to_dates(ranges: Sequence[tuple[int, int]]) -> list[Range]:
    return [(dt.date.fromordinal(a), None if b >= OPEN else dt.date.fromordinal(b))
            for a, b in ranges]


# --------------------------------------------------------------------------------------


def _restore(bundled: Path | None, files: UserFiles) -> ProcedureStore:
    s = ProcedureStore(bundled)
    s.add_user_files(files)
    return s


#: bundled table file -> its opened table (read once, shared while the file is unchanged)
_SHARED: _cache.Shared[Any] = _cache.Shared("procedure.bundled", max_paths=12)


class ProcedureStore:
    """The procedure-code data codekit answers from: bundled quarters plus the user's files.

    >>> s = default_store()
    >>> s.quarters.first, s.quarters.ids[-1]
    (datetime.date(2019, 7, 1), '27.1.0')
    """

    def __init__(self, bundled: Path | None = None) -> None:
        self._bundled = bundled
        base = (bundled if bundled is not None else bundled_data_dir()) / "procedures"
        #: the bundled tables, shared by every store over the same unchanged files
        self.codes: CodeTable = _SHARED.get(base / "codes.ckt", CodeTable)
        self.modifiers: ModifierTable = _SHARED.get(base / "modifiers.ckt", ModifierTable)
        self._base = base
        self._xrefs: CrossReferences | None = None
        self._hcpcs_dates: HcpcsDates | None = None
        self._precise: frozenset[str] | None = None
        self._quarters: Quarters | None = None
        self.releases: list[HcpcsRelease] = []
        self.descriptors: list[CptDescriptors] = []
        #: Loaded MPFS RVU files (payment indicators, global surgery days), by the date
        #: each takes effect (:meth:`mpfs_for`).
        self.mpfs: list[MpfsTable] = []
        #: (first ordinal, last ordinal, table) of each loaded MPFS file, newest first
        self._mpfs_windows: list[tuple[int, int, MpfsTable]] = []
        #: loaded quarterly code lists (OPPS Addendum B ...), oldest first
        self.quarter_files: list[QuarterFile] = []
        self._qwindows: list[tuple[int, int, QuarterFile]] = []
        self._lock = threading.Lock()
        self._windows: list[tuple[int, int, HcpcsRelease]] = []
        self._titles: dict[str, str] | None = None
        self.generation = 0  # bumped whenever user files are added
        #: Built entries by (code, date), the explanations of invalid ones, the codes active
        #: on a date: bounded (entries and bytes), held by the store, emptied when user
        #: files change.
        self.entry_cache: _cache.BoundedCache[Any, Any] = _ENTRIES.of(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # each file pickles itself (its path, dates and how it was read)
        return (_restore, (self._bundled, self.user_files()))

    def load(self) -> ProcedureStore:
        """Read the code and modifier tables now instead of on first use."""
        self.codes.index  # noqa: B018
        self.modifiers.index  # noqa: B018
        self.quarters  # noqa: B018
        return self

    @property
    def cross_references(self) -> CrossReferences:
        """The bundled cross-references of discontinued Level II codes (``xref.ckt``),
        read on first use."""
        xrefs = self._xrefs
        if xrefs is None:
            from ._xref import CrossReferences

            xrefs = self._xrefs = _SHARED.get(self._base / "xref.ckt", CrossReferences.open)
        return xrefs

    @property
    def hcpcs_dates(self) -> HcpcsDates:
        """The bundled ``ADD DT`` / ``TERM DT`` of Level II codes (``hcpcs_dates.ckt``,
        CMS's HCPCS file), read on first use."""
        dates = self._hcpcs_dates
        if dates is None:
            from ._hcpcs_dates import HcpcsDates

            dates = self._hcpcs_dates = _SHARED.get(self._base / "hcpcs_dates.ckt",
                                                    HcpcsDates.open)
        return dates

    def by_hcpcs_file(self, code: str) -> bool:
        """Whether the validity of the (compact) ``code`` follows CMS's HCPCS file rather
        than the I/OCE's date edits: a Level II code, not CDT (D), with the file's dates
        bundled (a data folder built before them has none: the date edits decide)."""
        first = code[0]
        return not first.isdigit() and first != "D" and \
            self.hcpcs_dates.through is not None

    @property
    def day_precise(self) -> frozenset[str]:
        """Codes whose bundled answer may differ between two days of one quarter: an IOCE
        date edit inside the quarter (:attr:`CodeTable.dated`), or a Level II ``ADD DT`` /
        ``TERM DT`` of CMS's HCPCS file inside one."""
        precise = self._precise
        if precise is None:
            precise = self._precise = self.codes.dated | self.hcpcs_dates.day_precise
        return precise

    @property
    def quarters(self) -> Quarters:
        """The IOCE quarters of the bundled procedure data (their ids, first and last
        days), which answer for a date of service no loaded file covers."""
        if self._quarters is None:
            self._quarters = Quarters(self.codes.meta["versions"])
        return self._quarters

    # ---- user files ---------------------------------------------------------------------

    def add_release(self, release: HcpcsRelease) -> None:
        """Let ``release`` (a CMS HCPCS file) answer for HCPCS Level II codes and modifiers
        from its effective date until the next bundled quarter (or for good, after the
        bundled data ends: as the nearest data past its own quarter, which is all it
        describes, :func:`described_until`)."""
        with self._lock, _cache.changing():
            releases = sorted([*[r for r in self.releases if r.path != release.path],
                               release], key=lambda r: r.effective)
            # worked out before the store changes: a failure (the bundled quarters unread)
            # leaves it as it was, not listing a file it has no window for
            windows = self._compute_windows(releases)
            self.releases, self._windows = releases, windows
            self._changed()

    def add_quarter(self, quarter: QuarterFile) -> None:
        """Let ``quarter`` (a quarterly CPT/HCPCS code list, :func:`load_quarter`) answer
        for CPT and Level II validity from its effective date until the next bundled
        quarter or loaded list (or for good, after the bundled data ends: as the nearest
        data past its own quarter, which is all it describes, :func:`described_until`). A
        loaded CMS HCPCS file still answers first for Level II codes in its own window."""
        with self._lock, _cache.changing():
            quarters = sorted(
                [*[q for q in self.quarter_files if q.path != quarter.path], quarter],
                key=lambda q: q.effective)
            windows = self._compute_windows(quarters)  # first, as in add_release
            self.quarter_files, self._qwindows = quarters, windows
            self._changed()

    def remove_quarters(self) -> None:
        """Forget every loaded quarterly code list."""
        with self._lock, _cache.changing():
            self.quarter_files, self._qwindows = [], []
            self._changed()

    def add_descriptors(self, descriptors: CptDescriptors) -> None:
        """Use ``descriptors`` (a licensed CPT descriptor file) for CPT titles."""
        with self._lock, _cache.changing():
            self.descriptors = [*[d for d in self.descriptors if d.path != descriptors.path],
                                descriptors]
            self._titles = None
            self._changed()

    def add_mpfs(self, table: MpfsTable) -> None:
        """Use ``table`` (a CMS MPFS RVU file) for the payment indicators and global
        surgery days of codes on the dates it answers for (:meth:`mpfs_for`)."""
        with self._lock, _cache.changing():
            mpfs = sorted([*[m for m in self.mpfs if m.path != table.path], table],
                          key=lambda m: m.effective)
            windows = []  # first, as in add_release
            for i, m in enumerate(mpfs):
                end = m.through
                if end is None:
                    end = dt.date(m.effective.year, 12, 31)
                    later = next((n.effective for n in mpfs[i + 1:]
                                  if n.effective > m.effective), None)
                    if later is not None and later.year == m.effective.year:
                        end = later - dt.timedelta(days=1)
                windows.append((m.effective.toordinal(), end.toordinal(), m))
            self.mpfs, self._mpfs_windows = mpfs, windows[::-1]
            self._changed()

    def user_files(self) -> UserFiles:
        """The user files loaded in this store, read together: (HCPCS releases, CPT
        descriptor files, MPFS files, quarterly code lists), each of which pickles as its
        path, dates and how it was read (:meth:`add_user_files` adds them to a store)."""
        with self._lock:
            return (list(self.releases), list(self.descriptors), list(self.mpfs),
                    list(self.quarter_files))

    def add_user_files(self, files: UserFiles) -> None:
        """Add the user files of another store (:meth:`user_files`, unpickled): what a
        pickled store and a spawned worker of ``check_many`` load."""
        releases, descriptors, mpfs, quarters = files
        for release in releases:
            self.add_release(release)
        for table in descriptors:
            self.add_descriptors(table)
        for rvu in mpfs:
            self.add_mpfs(rvu)
        for quarter in quarters:
            self.add_quarter(quarter)

    def remove_mpfs(self) -> None:
        """Forget every loaded MPFS file."""
        with self._lock, _cache.changing():
            self.mpfs, self._mpfs_windows = [], []
            self._changed()

    def mpfs_for(self, day: dt.date) -> MpfsTable | None:
        """The loaded MPFS file that answers for ``day``: of those whose dates hold it, the
        one taking effect last (the last loaded of two of one date). A file holds the
        dates from its effective date to its ``through``, else to the end of its calendar
        year or the day before the next loaded file of that year. None when none holds
        ``day`` (or none is loaded)."""
        o = day.toordinal()
        for first, last, table in self._mpfs_windows:
            if first <= o <= last:
                return table
        return None

    def mpfs_window(self, table: MpfsTable) -> tuple[dt.date, dt.date]:
        """The first and last dates the loaded ``table`` answers for (see
        :meth:`mpfs_for`)."""
        for first, last, t in self._mpfs_windows:
            if t is table:
                return dt.date.fromordinal(first), dt.date.fromordinal(last)
        raise KeyError(table.path.name)

    def mpfs_gap(self, day: dt.date) -> str | None:
        """Why no MPFS file answers for ``day`` while some are loaded (the reason the
        edits that need one give for not running); None when one does, or none is
        loaded."""
        if not self._mpfs_windows or self.mpfs_for(day) is not None:
            return None
        held = "; ".join(
            f"{t.path.name}: {dt.date.fromordinal(a)} to {dt.date.fromordinal(b)}"
            for a, b, t in reversed(self._mpfs_windows))
        return (f"no loaded MPFS RVU file covers {day} ({held}): load the CMS RVU file of "
                f"CY {day.year} with codekit.procedure.load_mpfs() (a file answers for "
                "its own calendar year only)")

    def mpfs_by_quarter(self) -> bool:
        """Whether every loaded MPFS file's dates start and end at the edges of calendar
        quarters (as those named by CMS do), so that a code's MPFS answer is the same on
        every day of a quarter."""
        for first, last, _ in self._mpfs_windows:
            a, b = dt.date.fromordinal(first), dt.date.fromordinal(last + 1)
            if a.day != 1 or a.month % 3 != 1 or b.day != 1 or b.month % 3 != 1:
                return False
        return True

    def global_days(self, code: str, day: dt.date) -> str | None:
        """The MPFS global surgery days of ``code`` (``"000"``, ``"010"``, ``"090"``...)
        on ``day`` when a loaded MPFS file answers for it, else None."""
        table = self.mpfs_for(day) if self._mpfs_windows else None
        return None if table is None else table.global_days.get(code)

    def mpfs_row(self, code: str, day: dt.date) -> MpfsIndicators | None:
        """The MPFS payment indicators of ``code`` on ``day`` when a loaded MPFS file
        answers for it and has its row, else None."""
        table = self.mpfs_for(day) if self._mpfs_windows else None
        return None if table is None else table.indicators.get(code)

    def remove_descriptors(self) -> None:
        """Forget every loaded CPT descriptor file."""
        with self._lock, _cache.changing():
            self.descriptors = []
            self._titles = None
            self._changed()

    def remove_releases(self) -> None:
        """Forget every loaded HCPCS release."""
        with self._lock, _cache.changing():
            self.releases, self._windows = [], []
            self._changed()

    def clear_user_files(self) -> None:
        """Forget every loaded HCPCS release, quarterly code list and CPT descriptor file."""
        with self._lock, _cache.changing():
            self.releases, self.descriptors, self._windows = [], [], []
            self.quarter_files, self._qwindows = [], []
            self._titles = None
            self._changed()

    def _changed(self) -> None:
        """The user files changed (inside :func:`codekit._cache.changing`, which empties
        every answer derived from procedure data, everywhere, when it ends)."""
        self.generation += 1
        self.entry_cache.clear()

    def _compute_windows(self, files: Sequence[F]) -> list[tuple[int, int, F]]:
        """Each file's window (ordinals): from its effective date to the end of the bundled
        quarter it falls in (open after the bundled data), or the next file's date."""
        qs = self.quarters
        out = []
        for k, r in enumerate(files):
            q = bisect.bisect_right(qs.starts, r.effective) - 1
            if q < 0:
                stop = qs.starts[0].toordinal() - 1
            else:
                end = qs.ends[q]
                stop = OPEN if end is None else end.toordinal()
            if k + 1 < len(files):
                stop = min(stop, files[k + 1].effective.toordinal() - 1)
            out.append((r.effective.toordinal(), stop, r))
        return out

    def quarter_windows(self) -> list[tuple[int, int, QuarterFile]]:
        """The loaded quarterly code lists with the dates (ordinals) each answers for."""
        return list(self._qwindows)

    def quarter_for(self, day: dt.date) -> QuarterFile | None:
        """The loaded quarterly code list that answers for ``day``, if any."""
        if not self._qwindows:
            return None
        d = day.toordinal()
        for start, stop, q in self._qwindows:
            if start <= d <= stop:
                return q
        return None

    def release_covers(self, kind: str, code: str, day: dt.date) -> bool:
        """Whether a loaded HCPCS file describes the Level II ``code`` (``kind``:
        ``"codes"`` or ``"modifiers"``) on ``day``: a file of that date (answering for it,
        within its own quarter), unless ``code`` is a CDT (D) code and the file, as CMS
        publishes it, has none."""
        if not self._windows or _level_i(kind, code):
            return False
        rel = self.release_for(day)
        return rel is not None and day <= described_until(rel) and _answers(rel, kind, code)

    def quarter_covers(self, day: dt.date) -> bool:
        """Whether a loaded quarterly code list describes ``day``: the list answering for
        it, within its own quarter."""
        qf = self.quarter_for(day) if self.quarter_files else None
        return qf is not None and day <= described_until(qf)

    def release_for(self, day: dt.date) -> HcpcsRelease | None:
        """The loaded HCPCS release that answers for Level II codes on ``day``, if any."""
        if not self._windows:
            return None
        d = day.toordinal()
        for start, stop, r in self._windows:
            if start <= d <= stop:
                return r
        return None

    def windows(self) -> list[tuple[int, int, HcpcsRelease]]:
        """The loaded HCPCS releases with the days each answers for Level II codes:
        ``(first, last, release)``, the days as proleptic ordinals
        (:meth:`datetime.date.toordinal`), in date order; ``[]`` when none is loaded."""
        return list(self._windows)

    def valid_on(self, kind: str, code: str, day: dt.date) -> bool:
        """Whether a code (``kind="codes"``) or modifier (``"modifiers"``) may be reported
        on ``day``: a loaded HCPCS release answers for Level II in its window, the bundled
        quarters otherwise, to the day where CMS approved or ended a code mid-quarter."""
        if not _level_i(kind, code):
            rel = self.release_for(day) if self.releases else None
            if rel is not None:
                rec = getattr(rel, kind).get(code)
                if rec is not None:
                    return rec.valid_on(day)
                if _answers(rel, kind, code):
                    return False
                # a CDT (D) code, which CMS leaves out of the file: the quarters answer
        if kind != "codes":
            return bool(self.modifiers.masks.get(code, 0) >> self.quarters.index(day) & 1)
        if self.quarter_files:
            qf = self.quarter_for(day)
            if qf is not None:
                qrec = qf.codes.get(code)
                return qrec is not None and qrec.valid_on(day)
        table = self.codes
        if not table.masks.get(code, 0) >> self.quarters.index(day) & 1:
            return False
        if self.by_hcpcs_file(code):  # CMS's HCPCS file: ADD DT, TERM DT (the IOCE's
            # date edits are the outpatient edits of date_limit, not the code's existence)
            return self.hcpcs_dates.allows(code, day, self.quarters.first)
        dated = table._dated
        if code in (dated if dated is not None else table.dated):  # ~240 codes
            limit = self.date_limit(code, day)
            return limit is None or limit.allows(day)
        return True

    def date_limit(self, code: str, day: dt.date) -> DateLimit | None:
        """The date limit of ``code`` in the bundled quarter of ``day`` (None when it has
        none, or is not in that quarter): the I/OCE date edit, which narrows validity for
        CPT (and CDT) codes; a Level II code's validity follows CMS's HCPCS file instead,
        and the limit is the outpatient edit alone."""
        t = self.codes
        if code not in t.dated or (self.quarter_files and self.quarter_for(day) is not None):
            return None  # (a loaded quarterly list answers for that day, with its dates)
        i = t.row(code, self.quarters.index(day))
        return None if i is None else t.limit(i)

    def ioce_ranges(self, code: str) -> list[tuple[dt.date, dt.date | None]]:
        """The date ranges (end inclusive, None = open) the bundled IOCE quarters give
        ``code``, narrowed by their date edits (67, 68, 69, 83, 110, 134, 136): what the
        I/OCE accepts, whatever CMS's HCPCS file says (build checks, cross-checks)."""
        if code in self.codes.dated:
            return to_dates(self._code_spans(code))
        return self.quarters.ranges(self.codes.masks.get(code, 0))

    def _level_ii_spans(self, code: str) -> list[tuple[int, int]]:
        """The bundled date spans (ordinals) of a Level II code, exact to the day: the
        IOCE quarters listing it, cut to CMS's HCPCS file's ``ADD DT`` / ``TERM DT``."""
        qs = self.quarters
        return self.hcpcs_dates.narrow(
            code, to_ordinals(qs.ranges(self.codes.masks.get(code, 0))), qs.first)

    def _code_spans(self, code: str) -> list[tuple[int, int]]:
        """The bundled date spans (ordinals) of a code, exact to the day: the IOCE
        quarters narrowed by their date edits."""
        t, qs = self.codes, self.quarters
        span = t.index.get(code)
        if span is None:
            return []
        out = []
        for i in range(span[0], span[0] + span[1]):
            a = qs.starts[t._lo[i]].toordinal()
            end = qs.ends[t._hi[i]]
            b = OPEN if end is None else end.toordinal()
            limit = t.limit(i)
            if limit is not None:
                if limit.approved is not None:
                    a = max(a, limit.approved.toordinal())
                if limit.terminated is not None:
                    b = min(b, limit.terminated.toordinal())
            out.append((a, b))
        return normalise(out)

    def ranges(self, kind: str, code: str) -> list[tuple[dt.date, dt.date | None]]:
        """Every date range (end inclusive, None = open) in which a code or modifier may be
        reported, loaded HCPCS releases replacing the bundled quarters in their windows."""
        table = self.codes if kind == "codes" else self.modifiers
        if kind == "codes" and self.by_hcpcs_file(code):
            base = to_dates(self._level_ii_spans(code))
        elif kind == "codes" and code in self.codes.dated:
            base = to_dates(self._code_spans(code))
        else:
            base = self.quarters.ranges(table.masks.get(code, 0))
        if kind == "codes" and self.quarter_files:
            qspans = to_ordinals(base)
            for start, stop, qf in self._qwindows:
                qspans = subtract(qspans, (start, stop))
                qrec = qf.codes.get(code)
                if qrec is not None:
                    a = max(start, qrec.approved.toordinal() if qrec.approved else start)
                    b = min(stop, qrec.terminated.toordinal() if qrec.terminated else stop)
                    qspans.append((a, b))
            base = to_dates(normalise(qspans))
        if _level_i(kind, code) or not self.releases:
            return base
        spans = to_ordinals(base)
        for start, stop, rel in self.windows():
            if not _answers(rel, kind, code):
                continue  # a CDT code, which the file leaves out: the quarters answer
            spans = subtract(spans, (start, stop))
            rec = getattr(rel, kind).get(code)
            if rec is not None:
                a = max(start, rec.added.toordinal() if rec.added else start)
                b = min(stop, rec.terminated.toordinal() if rec.terminated else stop)
                spans.append((a, b))
        return to_dates(normalise(spans))

    def cpt_title(self, code: str) -> str | None:
        """The licensed descriptor of a CPT code, when the user loaded one."""
        if not self.descriptors:
            return None
        if self._titles is None:
            titles: dict[str, str] = {}
            for d in self.descriptors:
                titles.update(d.titles)
            self._titles = titles
        return self._titles.get(code)

    def titles(self) -> dict[str, str]:
        """The licensed CPT descriptors the user loaded, by code (``{}`` when none was:
        codekit ships none)."""
        self.cpt_title("")
        return dict(self._titles or {})


# Each store's built entries (ProcedureStore.entry_cache). A distinct date of service is
# a distinct key, so the bound in bytes matters: a day's list of active codes is ~150 KB.
_ENTRIES: _cache.PerOwner[Any, Any] = _cache.PerOwner("procedure.entries", max_entries=100_000)


def described_until(file: HcpcsRelease | QuarterFile) -> dt.date:
    """The last day a loaded CMS file (a HCPCS file, a quarterly code list) describes: the
    end of the calendar quarter of its effective date. CMS publishes both every quarter,
    and a quarter's list knows nothing of the codes of the next one, so a date past it is
    answered from the file as the nearest data, and said (``covered``, ``note``, the
    claim's ``PROCEDURE_DATE_NOT_COVERED``), never described.

    >>> import types
    >>> described_until(types.SimpleNamespace(effective=dt.date(2026, 7, 1)))
    datetime.date(2026, 9, 30)
    """
    eff = file.effective
    month = eff.month - (eff.month - 1) % 3 + 3  # the first month of the next quarter
    return dt.date(eff.year + (month > 12), (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)


def _answers(release: HcpcsRelease, kind: str, code: str) -> bool:
    """Whether ``release`` answers for the Level II ``code``: always, but for a CDT (D)
    code when the file lists none (the CMS HCPCS file leaves the ADA's dental codes out;
    such a file says nothing of them, and the bundled quarters answer)."""
    return kind != "codes" or code[0] != "D" or release.has_cdt or code in release.codes


def _level_i(kind: str, code: str) -> bool:
    """CPT (HCPCS Level I) codes and modifiers: no CMS HCPCS file describes them."""
    if kind == "codes":
        return code[0].isdigit()
    from ._modmeta import is_cpt_modifier

    return is_cpt_modifier(code)


_default: ProcedureStore | None = None
_default_lock = threading.Lock()


def default_store() -> ProcedureStore:
    """The store over the bundled data (opened once per process)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = ProcedureStore()
    return _default

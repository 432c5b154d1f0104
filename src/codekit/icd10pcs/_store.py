"""Reading ``data/icd10pcs/`` (written by :mod:`codekit.build.icd10pcs`) and the user's
ICD-10-PCS releases (``codekit data add-pcs``).

- ``validity.ckt``: ``codes`` (sorted) and ``masks`` (u64 each: bit *i* set when the code
  may be reported in period *i* of ``meta["periods"]``), ``mce``: the MCE flag rows
  ``code\\tstart\\tend\\tflags`` (end empty = open) of the codes that have flags.
- ``titles.ckt``: ``codes`` (every code and table of every order file, sorted), ``years``
  (u16 each: bit *k* for ``meta["years"][k]``), ``long``/``short`` (the latest titles),
  ``variants``: ``code\\tyears\\tlong\\tshort`` for older titles.
- ``tables.ckt``: ``tables``: ``table\\t{json}`` lines (sorted), ``definitions``: JSON.
- a user release ``<user dir>/icd10pcs/<id>.ckt``: ``codes``, ``valid`` (1 byte each),
  ``long``, ``short`` and, when the user gave the tables XML, ``tables``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import os
import re
import sys
import threading
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import _artifact, _cache
from .._dates import fiscal_year
from .._fuzzy import FuzzyCodes
from .._paths import bundled_data_dir, user_data_dir
from ..errors import DataError

__all__ = ["Store", "Tables", "UserRelease", "default_store"]

_D = dt.date.fromisoformat
#: how many lookups :meth:`Validity.mask` answers by bisection before it makes the dict
PROBES = 256
MceRow = tuple[dt.date, dt.date | None, tuple[str, ...]]


class Tables:
    """The PCS tables of one version: one JSON line per table, decoded on demand."""

    def __init__(self, blob: bytes, version: str, definitions: bytes | None = None) -> None:
        self.version = version
        self._column = _artifact.StringColumn(blob)
        self._keys = [line[:3] for line in self._column]
        self._decoded: dict[str, dict[str, Any] | None] = {}
        self._defs_blob = definitions
        self._defs: dict[str, Any] | None = None
        #: what :func:`codekit.icd10pcs.entry.axes_of` made of these tables: a table's
        #: first three axes by its key, a later axis by (table, row, position, value)
        self.axes_memo: dict[Any, Any] = {}

    def table(self, key: str) -> dict[str, Any] | None:
        """``{"titles", "labels", "definition", "rows"}`` of a table, or None."""
        if key in self._decoded:
            return self._decoded[key]
        i = bisect.bisect_left(self._keys, key)
        found = None
        if i < len(self._keys) and self._keys[i] == key:
            found = json.loads(self._column[i][4:])
        if len(self._decoded) < 4096:
            self._decoded[key] = found
        return found

    def table_keys(self) -> list[str]:
        return list(self._keys)

    def definitions(self) -> dict[str, Any]:
        if self._defs is None:
            self._defs = json.loads(self._defs_blob) if self._defs_blob else {}
        return self._defs


class Validity(_artifact.DatedMasks):
    """Which codes may be reported in which periods, and their MCE flags by date.

    :meth:`mask` is ``masks.get(code)``, without making :attr:`masks` for a process's first
    lookups: up to :data:`PROBES` are answered by bisecting the table's sorted codes
    (about 2 µs each). A script that validates a few codes then never builds the dict
    of 82,000 codes, most of a cold start's first validation (the cold target of
    issue 17); a process that goes on builds it once and answers from it. (A copy
    with a user release has its dict made: :meth:`with_release`.)

    >>> v = default_store().validity
    >>> v.mask("0DTJ4ZZ") == v.masks["0DTJ4ZZ"], v.mask("0DTJ4Z"), v.mask("XXXXXXX")
    (True, None, None)
    """

    def __init__(self, table: _artifact.Table) -> None:
        super().__init__(table)
        self._mce: dict[str, tuple[MceRow, ...]] | None = None
        self._flag_bounds: list[dt.date] | None = None

    def _probe_limit(self) -> int:
        return PROBES

    def _check(self, codes: bytes, masks: array[int]) -> None:
        # every code is 7 characters: record i at bytes 8i..8i+7 (see the build)
        if len(codes) != 8 * len(masks) - 1 or codes[7::8].strip(b"\n"):
            raise DataError(f"{self.table.path}: codes are not 7 characters each, or codes "
                            "and masks differ in length")

    def _make(self, codes: bytes, masks: array[int]) -> dict[str, int]:
        # no interning, no sharing of equal masks: this is the cold path of the first
        # is_valid, and 82,000 small ints cost little memory
        return dict(zip(codes.decode("ascii").split("\n"), masks.tolist(), strict=True))

    def _find(self, blob: bytes, values: array[int], code: str) -> int | None:
        if len(code) != 7 or not code.isascii():
            return None
        key = code.encode("ascii")
        lo, hi = 0, len(values)
        while lo < hi:
            mid = (lo + hi) >> 1
            at = mid * 8
            if blob[at:at + 7] < key:
                lo = mid + 1
            else:
                hi = mid
        at = lo * 8
        return values[lo] if lo < len(values) and blob[at:at + 7] == key else None

    def mce_rows(self, code: str) -> tuple[MceRow, ...]:
        if self._mce is None:
            with self._lock:
                if self._mce is None:
                    found: dict[str, list[MceRow]] = {}
                    dates: dict[str, dt.date] = {}
                    for line in _artifact.StringColumn(self.table.section("mce")):
                        c, a, b, flags = line.split("\t")
                        start = dates.setdefault(a, _D(a))
                        end = dates.setdefault(b, _D(b)) if b else None
                        found.setdefault(sys.intern(c), []).append(
                            (start, end, tuple(flags.split(","))))
                    self._mce = {c: tuple(rows) for c, rows in found.items()}
        return self._mce.get(code, ())

    def flags(self, code: str, on: dt.date) -> tuple[str, ...]:
        """The MCE flags of ``code`` on ``on`` (empty when none, or when no row covers it)."""
        for start, end, flags in self.mce_rows(code):
            if start <= on and (end is None or on <= end):
                return flags
        return ()

    def flag_period(self, on: dt.date) -> int:
        """The same number for two dates exactly when :meth:`flags` answers alike on both
        for every code: the place of ``on`` among the dates where some code's MCE rows
        start or end (a few dozen; worked out once)."""
        bounds = self._flag_bounds
        if bounds is None:
            self.mce_rows("")  # the rows, read once
            every = [row for rows in (self._mce or {}).values() for row in rows]
            day = dt.timedelta(days=1)
            found = {start for start, _, _ in every}
            found.update(end + day for _, end, _ in every if end is not None)
            bounds = self._flag_bounds = sorted(found)
        return bisect.bisect_right(bounds, on)

    def with_release(self, rel: UserRelease) -> Validity:
        """A copy in which ``rel``'s valid codes decide the dates it covers."""
        v = self._with_release_masks(rel.id, rel.effective, rel.until, rel.valid_codes())
        v._mce, v._flag_bounds = self._mce, self._flag_bounds
        return v


class Titles:
    """Codes and titles of every bundled fiscal year's order file."""

    def __init__(self, table: _artifact.Table) -> None:
        self.table = table
        self._years: list[int] | None = None
        self._lock = threading.Lock()
        self._loaded = False

    @property
    def years(self) -> list[int]:
        """The bundled fiscal years, oldest first (read from the table's header on first
        use: a validation reads no title, and the table is opened, and checked, lazily)."""
        years = self._years
        if years is None:
            years = self._years = list(self.table.meta["years"])
        return years

    def year_for(self, day: dt.date) -> int:
        """The fiscal year whose titles answer for ``day``: its own, else the nearest
        bundled one (FY2027 dates get FY2026's titles)."""
        years = self.years
        return min(max(fiscal_year(day), years[0]), years[-1])

    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            t = self.table
            codes = t.section("codes").decode("ascii").split("\n")
            self.index = {c: i for i, c in enumerate(codes)}
            ym = array("H")
            ym.frombytes(t.section("years"))
            if sys.byteorder != "little":  # pragma: no cover
                ym.byteswap()
            self.year_masks = ym
            self.long = _artifact.StringColumn(t.section("long"))
            self.short = _artifact.StringColumn(t.section("short"))
            variants: dict[str, list[tuple[int, str, str]]] = {}
            for line in _artifact.StringColumn(t.section("variants")):
                c, mask, long, short = line.split("\t")
                variants.setdefault(c, []).append((int(mask), long, short))
            self.variants = variants
            self._loaded = True

    def row(self, code: str) -> int | None:
        if not self._loaded:
            self._load()
        return self.index.get(code)

    def years_of(self, code: str) -> list[int]:
        """The fiscal years whose order file holds ``code``."""
        i = self.row(code)
        if i is None:
            return []
        m = self.year_masks[i]
        return [y for k, y in enumerate(self.years) if m >> k & 1]

    def titles(self, code: str, year: int) -> tuple[str, str, int] | None:
        """(long, short, year) of ``code`` from the order file of ``year``, or of the
        nearest year whose file holds it (later first on a tie); None when none does."""
        i = self.row(code)
        if i is None:
            return None
        years = self.years
        k = years.index(year) if years[0] <= year <= years[-1] and year in years else -1
        if k >= 0 and self.year_masks[i] >> k & 1:  # in the file of its year: the usual
            best = year
        else:
            held = self.years_of(code)
            best = min(held, key=lambda y: (abs(y - year), -y))
            k = years.index(best)
        for mask, long, short in self.variants.get(code, ()):
            if mask >> k & 1:
                return long, short, best
        return self.long[i], self.short[i], best


_CODE_OR_TABLE = re.compile(r"[0-9A-HJ-NP-Z]{3}(?:[0-9A-HJ-NP-Z]{4})?")


class UserRelease:
    """An ICD-10-PCS release a user added (``codekit data add-pcs``)."""

    def __init__(self, table: _artifact.Table) -> None:
        meta = table.meta
        self.table = table
        self.id, self.effective, self.until = _artifact.release_meta(table)
        self.label: str = meta.get("label") or self.id
        self.counts: dict[str, int] = meta.get("counts", {})
        self._index: dict[str, int] | None = None
        self.tables: Tables | None = None

    def check(self) -> None:
        """Read every section now, so that a damaged release (or a table another tool
        wrote) is a :class:`DataError` when the store opens, never a UnicodeDecodeError or
        a wrong answer in the middle of one."""
        t = self.table
        try:
            codes = t.section("codes").decode("ascii").split("\n")
            bad = next((c for c in codes if not _CODE_OR_TABLE.fullmatch(c)), None)
            if bad is not None:
                raise DataError(f"{t.path}: {bad[:20]!r} is not an ICD-10-PCS code or table")
            if len(t.section("valid")) != len(codes):
                raise DataError(f"{t.path}: codes and valid flags differ in length")
            for name in ("long", "short"):
                rows = t.section(name).decode("utf-8").count("\n") + 1
                if rows != len(codes):
                    raise DataError(f"{t.path}: section {name!r} has {rows} rows for "
                                    f"{len(codes)} codes")
            if "tables" in t:
                tables = Tables(t.section("tables"), str(t.meta.get("tables_version")))
                for key in tables.table_keys():
                    tables.table(key)  # every line parses
                self.tables = tables
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
            raise DataError(f"{t.path}: unreadable ICD-10-PCS release ({e!r}); add it "
                            "again with codekit data add-pcs") from None

    def covers(self, day: dt.date) -> bool:
        return self.effective <= day and (self.until is None or day <= self.until)

    def _load(self) -> dict[str, int]:
        if self._index is None:
            codes = self.table.section("codes").decode("ascii").split("\n")
            self._valid = self.table.section("valid")
            self._long = _artifact.StringColumn(self.table.section("long"))
            self._short = _artifact.StringColumn(self.table.section("short"))
            self._index = {c: i for i, c in enumerate(codes)}
        return self._index

    def valid_codes(self) -> list[str]:
        index = self._load()
        return [c for c, i in index.items() if self._valid[i]]

    def titles(self, code: str) -> tuple[str, str] | None:
        i = self._load().get(code)
        return None if i is None else (self._long[i], self._short[i])


#: bundled folder -> its (validity, titles, tables) tables: every Store over the same
#: unchanged files shares them (read and checked once: a caller's ``Store(user=...)``
#: costs only its user releases); files changed on disk are opened again.
_BUNDLED: _cache.Shared[tuple[Validity, Titles, _artifact.Table]] = \
    _cache.Shared("icd10pcs.bundled")


def _open_bundled(folder: Path) -> tuple[Validity, Titles, _artifact.Table]:
    try:
        vt = _artifact.Table(folder / "validity.ckt")
        # read (and checked against the manifest) on first use: a validation reads
        # neither the titles nor the tables
        tt = _artifact.Table(folder / "titles.ckt", lazy=True)
        xt = _artifact.Table(folder / "tables.ckt", lazy=True)
    except DataError as e:
        raise DataError(f"{e}; rebuild data/ with: python -m codekit.build pcs "
                        "--reference DIR") from None
    return Validity(vt), Titles(tt), xt


class Store:
    """Everything codekit knows about ICD-10-PCS: validity by date, titles by fiscal year,
    the tables, and the user's releases.

    >>> s = default_store()
    >>> s.validity.table_end, s.titles.years[-1]
    (datetime.date(2027, 3, 31), 2026)
    """

    def __init__(self, bundled: str | os.PathLike[str] | None = None,
                 user: str | os.PathLike[str] | None = None) -> None:
        self._paths = (bundled, user)
        folder = Path(bundled if bundled is not None else bundled_data_dir()) / "icd10pcs"
        ufolder = Path(user if user is not None else user_data_dir()) / "icd10pcs"
        shared = _BUNDLED.get(folder, _open_bundled)
        self.base_validity, self.titles, self._tables_table = shared
        self._tables: Tables | None = None
        self.user: list[UserRelease] = []
        #: user releases that cannot be read: (id, effective, until, the error), raised by
        #: every answer for a date they cover (never by the answers of other dates)
        self.broken: list[tuple[str, dt.date, dt.date | None, DataError]] = []
        if ufolder.is_dir():
            for p in sorted(ufolder.glob("*.ckt")):
                t = _artifact.Table(p)
                if t.meta.get("kind") == "icd10pcs-release":
                    rel = UserRelease(t)  # a header without its dates: DataError here
                    try:
                        rel.check()
                    except DataError as e:
                        self.broken.append((rel.id, rel.effective, rel.until, e))
                        continue
                    self.user.append(rel)
        self.user.sort(key=lambda r: (r.effective, r.id))
        self._validity: Validity | None = None
        self._lock = threading.Lock()
        self._valid_lists: dict[int, list[str]] = {}
        self._fuzzy: dict[int, FuzzyCodes] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (open_store, self._paths)

    @property
    def validity(self) -> Validity:
        """Which codes are valid in which fiscal-year periods, and their MCE flags: the
        bundled validity table with the store's user releases applied (made on first
        use). :attr:`codekit.icd10pcs.Entry.valid_ranges` reads it."""
        if self._validity is None:
            with self._lock:
                if self._validity is None:
                    v = self.base_validity
                    for r in self.user:
                        v = v.with_release(r)
                    if self.broken:
                        v = v.with_broken([(eff, end, e) for _, eff, end, e in self.broken])
                    self._validity = v
        return self._validity

    @property
    def tables(self) -> Tables:
        """The bundled CMS ICD-10-PCS tables and definitions (the labels of each
        character), read on first use; :meth:`tables_for` gives those of a date."""
        if self._tables is None:
            t = self._tables_table
            self._tables = Tables(t.section("tables"), str(t.meta.get("version")),
                                  t.section("definitions"))
        return self._tables

    def user_release_for(self, day: dt.date) -> UserRelease | None:
        """The release a user added (``codekit data add-pcs``) that covers ``day`` (the
        one taking effect last when several do), or None (the bundled data answers)."""
        found = None
        for r in self.user:
            if r.covers(day):
                found = r
        return found

    def tables_for(self, day: dt.date) -> Tables:
        """The tables that explain codes on ``day``: those of the user release covering
        it when it came with a tables file, else the bundled :attr:`tables`."""
        rel = self.user_release_for(day)
        return rel.tables if rel is not None and rel.tables is not None else self.tables

    @property
    def last_known(self) -> dt.date:
        """The last date of service the store's data describes: the end of the bundled
        validity table, or of a user release when one ends later (a release without
        ``until`` runs to the end of its fiscal year). Later dates are answered from the
        newest data, with a note."""
        ends = [self.base_validity.table_end]
        ends += [r.until or dt.date(fiscal_year(r.effective), 9, 30) for r in self.user]
        return max(ends)

    def valid_list(self, period: int) -> list[str]:
        """The codes valid in ``period``, sorted (for prefix questions and suggestions)."""
        found = self._valid_lists.get(period)
        if found is None:
            found = sorted(c for c, m in self.validity.masks.items() if m >> period & 1) \
                if period >= 0 else []
            with self._lock:
                self._valid_lists[period] = found
        return found

    def valid_fuzzy(self, period: int) -> FuzzyCodes:
        """:meth:`valid_list` ready for did-you-mean (:class:`~codekit._fuzzy.FuzzyCodes`)."""
        found = self._fuzzy.get(period)
        if found is None:
            found = FuzzyCodes(self.valid_list(period))
            with self._lock:
                found = self._fuzzy.setdefault(period, found)
        return found

    def ever_list(self) -> list[str]:
        """Every code valid on some date the store knows, sorted (what a code is judged
        against when its table has no code valid on the date asked)."""
        found = self._valid_lists.get(-2)
        if found is None:
            found = sorted(c for c, m in self.validity.masks.items() if m)
            self._valid_lists[-2] = found
        return found

    def load(self) -> Store:
        """Read every table now instead of on first use; returns the store."""
        self.validity.masks  # noqa: B018
        self.validity.mce_rows("")
        self.titles.row("")
        self.tables.table_keys()
        return self


_stores = _cache.Stores("icd10pcs.stores", Store)


def open_store(bundled: Path | None = None, user: Path | None = None) -> Store:
    """The process-wide store for these folders (opened once; what unpickling returns)."""
    return _stores.open(bundled, user)


def forget_stores() -> None:
    """Drop the opened stores: the next :func:`default_store` reads the folders again."""
    _stores.forget()


def default_store() -> Store:
    """The store over the bundled data and the user data directory (opened once)."""
    return _stores.default()


def prefix_range(codes: Sequence[str], prefix: str) -> tuple[int, int]:
    """The slice of sorted ``codes`` that start with ``prefix``."""
    i = bisect.bisect_left(codes, prefix)
    j = bisect.bisect_left(codes, prefix + "~", i)
    return i, j

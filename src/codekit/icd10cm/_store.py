"""Reading ICD-10-CM data tables lazily: releases, validity by date, MCE flags.

Files (format: :mod:`codekit._artifact`), in the bundled ``data/icd10cm/`` and in the user
data directory's ``icd10cm/``:

- ``<release>.ckt`` (``meta.kind == "icd10cm-release"``): sections ``codes`` (sorted,
  undotted), ``flags`` (one byte a row: 1 billable, 2 a node of the tabular), ``long``,
  ``short`` (titles, row-aligned) and, when the release came with a tabular XML, ``details``
  (row-aligned JSON: parsed notes, ``seven``, ``seven_note``) and ``structure`` (chapters
  and blocks with their notes, each block with the categories it holds).
- The bundled releases share their codes and titles (``meta.titles == "titles.ckt"``):
  instead of ``codes``, ``flags``, ``long`` and ``short`` they hold ``rows`` (a byte per
  code of ``titles.ckt``: 0 when the release lacks it, else 0x80 | its flags) and
  ``long_over``/``short_over`` (u32 pairs: code row of ``titles.ckt``, string) where a
  title is not the code's base title (:class:`Titles`).
- ``titles.ckt`` (``meta.kind == "icd10cm-titles"``): ``codes`` (every code of any bundled
  release, sorted), ``long`` and ``short``: string *j* below the number of codes is code
  *j*'s title in the newest release that has it, other titles follow. ``meta.tabular_order``:
  where the tabular orders the codes of a category otherwise than alphabetically, prefix
  -> the characters that follow it in the tabular's order (``"S060X": "012345678A9"``),
  from every year's order file (:func:`codekit.build.icd10cm.tabular_order`).
- ``validity.ckt`` (``meta.kind == "icd10cm-validity"``): ``codes`` (sorted), ``masks`` (a
  little-endian u64 a code: bit *i* set when the code is billable in period *i*; the periods
  start on the dates in ``meta.periods``, the last one open) and ``mce`` (the MCE master
  rows: code, start, end, flags).
- ``conversion.ckt`` (``meta.kind == "icd10cm-conversion"``, bundled only): the CDC
  ICD-10-CM conversion table (current code -> previous code(s), effective date), section
  ``rows`` (:class:`Conversion`, written by :func:`pack_conversion`).

Nothing is read until a question needs it, and each table is read once. A :class:`Store`
pickles as the paths it was opened from, so it is cheap to send to worker processes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import json
import os
import re
import sys
import threading
from array import array
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .. import _artifact, _cache
from .._dates import fiscal_year
from .._paths import bundled_data_dir, user_data_dir
from ..errors import DataError
from ._format import COMPACT_PATTERN

__all__ = ["Conversion", "ReleaseTable", "Store", "Titles", "Validity", "default_store",
           "open_store", "pack_conversion"]

#: An MCE master row: (start, end or None when open, flags).
MceRow = tuple[dt.date, dt.date | None, tuple[str, ...]]

ROW_BILLABLE = 1
ROW_TABULAR = 2
#: how many look-ups :meth:`Validity.mask` answers by bisection before it makes the dict
PROBES = 64
_D = dt.date.fromisoformat
_NO_PRESENT_BIT = bytes(range(128)) * 2  # translate: drop the 0x80 "present" bit


# A ``codes`` section of a release written in the user data directory: compact codes of
# the grammar (its fast path without the optional dot), one a line. Bundled tables are
# checked by their sha256 instead (codekit._artifact).
_ONE_CODE = COMPACT_PATTERN.pattern
_CODES_SECTION = re.compile(f"(?:{_ONE_CODE})(?:\n(?:{_ONE_CODE}))*".encode("ascii"))


def _user_codes(table: _artifact.Table) -> tuple[str, ...]:
    """The codes of a user release table, checked: grammar, sorted, no repeats."""
    raw = table.section("codes")
    if not _CODES_SECTION.fullmatch(raw):
        bad = next((i for i, line in enumerate(raw.split(b"\n"), 1)
                    if not _CODES_SECTION.fullmatch(line)), 0)
        raise DataError(f"{table.path}: code row {bad} is not an ICD-10-CM code; this user "
                        "release is unusable: add it again with codekit data add")
    codes = tuple([sys.intern(c) for c in raw.decode("ascii").split("\n")])
    if any(a >= b for a, b in itertools.pairwise(codes)):
        raise DataError(f"{table.path}: codes are not sorted and unique; this user release "
                        "is unusable: add it again with codekit data add")
    return codes


def _u32_pairs(raw: bytes) -> dict[int, int]:
    a = array("I")
    a.frombytes(raw)
    if sys.byteorder != "little":  # pragma: no cover
        a.byteswap()
    return dict(zip(a[0::2], a[1::2], strict=True))


class Titles:
    """The codes and titles the bundled releases share (``titles.ckt``), read on first use."""

    def __init__(self, table: _artifact.Table) -> None:
        self.table = table
        self.id: str = table.meta["id"]
        self._lock = threading.Lock()
        self._codes: tuple[str, ...] | None = None
        self._long: _artifact.StringColumn | None = None
        self._short: _artifact.StringColumn | None = None
        self._found: dict[bytes, frozenset[int]] = {}
        self._index: dict[str, int] | None = None
        #: The tabular's order inside categories where it is not alphabetical, over every
        #: code of the table: prefix -> the characters that follow it in that order
        #: (``{"C84": "01467AZ9", ...}``; empty in tables written before it was kept).
        self.tabular_order: dict[str, str] = dict(table.meta.get("tabular_order") or {})

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code of any bundled release, sorted (interned: releases share them)."""
        if self._codes is None:
            with self._lock:
                if self._codes is None:
                    text = io.StringIO(self.table.section("codes").decode("ascii"))
                    self._codes = tuple([sys.intern(line.rstrip("\n")) for line in text])
        return self._codes

    @property
    def index(self) -> dict[str, int]:
        """Code -> its row in :attr:`codes` (made on first use)."""
        found = self._index
        if found is None:
            found = self._index = {c: j for j, c in enumerate(self.codes)}
        return found

    @property
    def long(self) -> _artifact.StringColumn:
        if self._long is None:
            self._long = _artifact.StringColumn(self.table.section("long"))
        return self._long

    @property
    def short(self) -> _artifact.StringColumn:
        if self._short is None:
            self._short = _artifact.StringColumn(self.table.section("short"))
        return self._short

    def long_containing(self, needle: bytes) -> frozenset[int]:
        """Strings of ``long`` containing ``needle`` (lower case; ASCII case ignored),
        remembered: every release asks the same question of the shared table."""
        found = self._found.get(needle)
        if found is None:
            found = frozenset(self.long.rows_containing(needle, fold=True))
            if len(self._found) >= 64:
                self._found.clear()
            self._found[needle] = found
        return found


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def readable_release(release_id: str, effective: dt.date) -> str:
    """How a message names a release: a mid-year update (an id ``FY<year>-<month>``
    taking effect in that month, not October) as its fiscal year and the update, the id
    of any other (the id stays the machine name: fields, ``codekit data`` options).

    >>> readable_release("FY2025-04", dt.date(2025, 4, 1))
    'FY2025 (April 2025 update)'
    >>> readable_release("FY2026", dt.date(2025, 10, 1))
    'FY2026'
    >>> readable_release("acme", dt.date(2026, 1, 1))
    'acme'
    """
    fy, _, month = release_id.partition("-")
    if fy[:2] == "FY" and fy[2:].isdigit() and month.isdigit() and \
            int(month) == effective.month != 10:
        return f"{fy} ({_MONTHS[effective.month - 1]} {effective.year} update)"
    return release_id


class ReleaseTable:
    """One code-set release: codes, billable flags, titles, and (maybe) tabular details."""

    def __init__(self, table: _artifact.Table, *, user: bool = False,
                 titles: Titles | None = None) -> None:
        meta = table.meta
        self.table = table
        self.user = user
        #: the shared title table this release indexes (None: titles in the file itself)
        self.titles: Titles | None = None
        if meta.get("titles"):
            if titles is None or titles.id != meta.get("titles_id"):
                raise DataError(f"{table.path}: needs the title table {meta['titles']} "
                                f"{meta.get('titles_id')}, found "
                                f"{titles.id if titles else 'none'}; rebuild data/")
            self.titles = titles
        self._pos: array | None = None  # row -> code row of the title table
        self._rows = b""  # code row of the title table -> 0, or 0x80 | flags
        self._long_over: dict[int, int] | None = None
        self._short_over: dict[int, int] | None = None
        self.id, self.effective, self.until = _artifact.release_meta(table)
        self.label: str = str(meta.get("label", self.id))
        #: The release as messages name it (:func:`readable_release`): "FY2025 (April 2025
        #: update)" for the mid-year update FY2025-04; the id of any other.
        self.readable: str = readable_release(self.id, self.effective)
        self.has_tabular: bool = bool(meta.get("has_tabular"))
        self.notes_from: str | None = meta.get("notes_from")
        self.counts: dict[str, int] = meta.get("counts", {})
        self.meta = meta
        self._lock = threading.Lock()
        self._codes: tuple[str, ...] | None = None
        self._flags = b""
        self._long: _artifact.StringColumn | None = None
        self._short: _artifact.StringColumn | None = None
        self._details: _artifact.StringColumn | None = None
        self._details_cache: dict[int, dict[str, Any]] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._structure: dict[str, Any] | None = None
        self._billable: frozenset[str] | None = None
        self._noted: dict[str, frozenset[str]] = {}

    def __repr__(self) -> str:
        return f"<ReleaseTable {self.id} effective {self.effective}>"

    def _load(self) -> tuple[str, ...]:
        with self._lock:
            if self._codes is None and self.titles is not None:
                rows = self.table.section("rows")
                every = self.titles.codes
                if len(rows) != len(every):
                    raise DataError(f"{self.table.path}: rows and title table differ in length")
                self._rows = rows
                self._pos = array("I", itertools.compress(range(len(rows)), rows))
                self._flags = rows.replace(b"\0", b"").translate(_NO_PRESENT_BIT)
                self._codes = tuple(itertools.compress(every, rows))
            elif self._codes is None:
                # A user release (checked against the grammar). Interned: the same code
                # strings then serve every release and the validity table. A tuple, not a
                # list: a tuple of strings is untracked by the cyclic garbage collector.
                codes = _user_codes(self.table)
                flags = self.table.section("flags")
                if len(flags) != len(codes):
                    raise DataError(f"{self.table.path}: codes and flags differ in length")
                self._flags = flags
                self._codes = codes
        return self._codes

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code of the release, sorted (headers and billable codes)."""
        codes = self._codes
        return codes if codes is not None else self._load()

    def load(self) -> None:
        """Read the codes, titles and tabular details now instead of on first use."""
        self.codes  # noqa: B018 - loads them
        self.long_title(0)
        self.short_title(0)
        if self.has_tabular:
            if self._details is None:
                self._details = _artifact.StringColumn(self.table.section("details"))
            self.structure  # noqa: B018

    def row(self, code: str) -> int | None:
        """Row number of ``code`` in this release, or None.

        A binary search over the sorted codes: a dictionary would cost ~8 MB a release.
        Once the shared title table's index exists (bulk readers make it), a code the
        release lacks is answered from it without the search.
        """
        codes = self._codes if self._codes is not None else self._load()
        titles = self.titles
        if titles is not None and titles._index is not None:
            j = titles._index.get(code)
            if j is None or not self._rows[j]:
                return None
        i = bisect.bisect_left(codes, code)
        return i if i < len(codes) and codes[i] == code else None

    def is_billable_row(self, i: int) -> bool:
        return bool(self._flags[i] & ROW_BILLABLE)

    def billable_codes(self) -> frozenset[str]:
        if self._billable is None:
            codes = self.codes
            self._billable = frozenset(c for c, f in zip(codes, self._flags, strict=True)
                                       if f & ROW_BILLABLE)
        return self._billable

    def _string(self, i: int, kind: str) -> int:
        """The title table's string of row ``i`` (``kind`` "long" or "short")."""
        if self._pos is None:
            self._load()
        j = self._pos[i]  # type: ignore[index]
        over = self._long_over if kind == "long" else self._short_over
        if over is None:
            over = _u32_pairs(self.table.section(kind + "_over"))
            if kind == "long":
                self._long_over = over
            else:
                self._short_over = over
        return over.get(j, j)

    def long_titles(self, codes: Sequence[str],
                    memo: dict[int, str] | None = None) -> list[str | None]:
        """The long titles of many (compact) codes at once, None for a code the release
        lacks: what a whole column of codes needs (:mod:`codekit.pandas`). With the shared
        title table each distinct title is decoded once (``memo``, shared by the calls of
        every release of the table, keeps them).

        >>> from codekit.icd10cm._store import default_store
        >>> default_store().release("FY2026").long_titles(["E119", "NOPE"])
        ['Type 2 diabetes mellitus without complications', None]
        """
        if self.titles is None:
            return [None if (i := self.row(c)) is None else self.long_title(i) for c in codes]
        if self._pos is None:
            self._load()
        self._string(0, "long")  # reads the overrides
        over, rows = self._long_over or {}, self._rows
        index, strings = self.titles.index, self.titles.long
        memo = {} if memo is None else memo
        out: list[str | None] = []
        append, find, remembered = out.append, index.get, memo.get
        for c in codes:
            j = find(c)
            if j is None or not rows[j]:
                append(None)
                continue
            k = over.get(j, j) if over else j
            title = remembered(k)
            if title is None:
                title = memo[k] = strings[k]
            append(title)
        return out

    def title_layout(self) -> tuple[Titles, bytes, dict[int, int]] | None:
        """How this release sits on the shared title table, for readers of whole columns
        (:mod:`codekit.pandas`): the table, one byte per code row of it (0: the release
        lacks the code) and the rows whose long title is another string of the table
        (code row -> string row; every other row's title is the string of its own row).
        None for a release with titles of its own (a user release).

        >>> titles, rows, over = default_store().release("FY2026").title_layout()
        >>> j = titles.index["E119"]
        >>> bool(rows[j]), titles.long[over.get(j, j)]
        (True, 'Type 2 diabetes mellitus without complications')
        """
        if self.titles is None:
            return None
        if self._pos is None:
            self._load()
        self._string(0, "long")  # reads the overrides
        return self.titles, self._rows, self._long_over or {}

    def long_title(self, i: int) -> str:
        if self.titles is not None:
            return self.titles.long[self._string(i, "long")]
        if self._long is None:
            self._long = _artifact.StringColumn(self.table.section("long"))
        return self._long[i]

    def rows_titled(self, words: str) -> list[int]:
        """Rows whose long title contains ``words`` (any case), found in the packed
        titles without decoding them one by one.

        >>> from codekit.icd10cm._store import default_store
        >>> rel = default_store().release("FY2026")
        >>> [rel.codes[i] for i in rel.rows_titled("in diseases classified elsewhere")][:3]
        ['D7218', 'D77', 'E20811']
        """
        needle = words.lower().encode("utf-8")
        if self.titles is None:
            if self._long is None:
                self._long = _artifact.StringColumn(self.table.section("long"))
            return self._long.rows_containing(needle, fold=True)
        found = self.titles.long_containing(needle)
        self.long_title(0)  # reads the overrides
        over = self._long_over or {}
        every = self.titles.codes
        candidates = {j for j in found if j < len(every)} | \
            {j for j, k in over.items() if k in found}
        rows = []
        for j in candidates:
            i = self.row(every[j])
            if i is not None and over.get(j, j) in found:
                rows.append(i)
        return sorted(rows)

    def short_title(self, i: int) -> str:
        if self.titles is not None:
            return self.titles.short[self._string(i, "short")]
        if self._short is None:
            self._short = _artifact.StringColumn(self.table.section("short"))
        return self._short[i]

    def check_user(self) -> None:
        """Read a user release's codes and text sections now, so that a table another tool
        wrote (or a damaged one) is a :class:`DataError` when the store opens, never a
        ``UnicodeDecodeError`` in the middle of an answer."""
        n = len(self.codes)
        names = ["long", "short"] + (["details"] if self.has_tabular else [])
        for name in names:
            raw = self.table.section(name)
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise DataError(f"{self.table.path}: section {name!r} is not UTF-8 ({e}); "
                                "add the release again with codekit data add") from None
            rows = raw.count(b"\n") + 1
            if rows != n:
                raise DataError(f"{self.table.path}: section {name!r} has {rows} rows for "
                                f"{n} codes")
        if self.has_tabular:
            try:
                self.structure  # noqa: B018 - parsed now
            except (KeyError, TypeError, ValueError, AttributeError) as e:
                raise DataError(f"{self.table.path}: section 'structure' is unreadable "
                                f"({e!r})") from None

    def details(self, code: str) -> dict[str, Any]:
        """Tabular details of ``code`` (notes, 7th characters) or ``{}``."""
        i = self._details_row(code)
        if i is None:
            return {}
        cached = self._details_cache.get(i)
        if cached is None:
            text = self._details[i]  # type: ignore[index]
            try:
                cached = json.loads(text) if text else {}
            except ValueError:
                raise DataError(f"{self.table.path}: the details of {code} are not JSON"
                                ) from None
            self._details_cache[i] = cached
        return cached

    def details_text(self, code: str) -> str:
        """The tabular details of ``code`` as stored (JSON text, "" when none): a quick
        look before parsing them."""
        i = self._details_row(code)
        return "" if i is None else self._details[i]  # type: ignore[index]

    def noted(self, kind: str) -> frozenset[str]:
        """The codes whose tabular details name notes of ``kind`` (``excludes1``: their
        text holds ``"excludes1"``, what a look at :meth:`details_text` tests before
        parsing them), found once in the packed details without decoding them: most codes
        have no note of a kind (2,576 of the FY2026 tabular's 46,881 nodes have an
        Excludes1 note), and a code not in it is answered without its details read.

        >>> from codekit.icd10cm._store import default_store
        >>> tab = default_store().release("FY2026")
        >>> "E11" in tab.noted("excludes1"), "M1711" in tab.noted("excludes1")
        (True, False)
        """
        found = self._noted.get(kind)
        if found is None:
            found = frozenset()
            if self.has_tabular:
                codes, flags = self.codes, self._flags
                if self._details is None:
                    self._details = _artifact.StringColumn(self.table.section("details"))
                found = frozenset(
                    codes[i] for i in self._details.rows_containing(f'"{kind}"'.encode())
                    if flags[i] & ROW_TABULAR)
            self._noted[kind] = found
        return found

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The shorter codes of this release that ``code`` extends, nearest first (its
        parent, grandparent... up to the category); remembered per parent, which siblings
        share."""
        if len(code) <= 3:
            return ()
        up = code[:-1]
        found = self._ancestors.get(up)
        if found is None:
            found = ((up,) if self.row(up) is not None else ()) + self.ancestors(up)
            if len(self._ancestors) >= 1 << 16:
                self._ancestors.clear()
            self._ancestors[up] = found
        return found

    def in_tabular(self, code: str) -> bool:
        """``code`` (compact) is a node of this release's tabular (a ``<diag>``): False for
        a code that only an order file lists, such as a 7th-character extension
        (S72.001A), and for every code of a release without a tabular."""
        if not self.has_tabular:
            return False
        i = self.row(code)
        return i is not None and bool(self._flags[i] & ROW_TABULAR)

    def _details_row(self, code: str) -> int | None:
        if not self.has_tabular:
            return None
        i = self.row(code)
        if i is None or not self._flags[i] & ROW_TABULAR:
            return None
        if self._details is None:
            self._details = _artifact.StringColumn(self.table.section("details"))
        return i

    @property
    def structure(self) -> dict[str, Any]:
        if self._structure is None:
            if not self.has_tabular:
                return {"chapters": [], "blocks": [], "_by_category": {}, "_by_id": {},
                        "_chapters": {}, "_legacy": False}
            s = self.table.json("structure")
            s["_chapters"] = {c["chapter"]: c for c in s["chapters"]}
            s["_by_id"] = {b["block"]: b for b in s["blocks"]}
            by_category: dict[str, dict[str, Any]] = {}
            for b in s["blocks"]:
                for c in b.get("categories", ()):
                    by_category.setdefault(c, b)
            s["_by_category"] = by_category
            # tables written before blocks listed their categories
            s["_legacy"] = any("categories" not in b for b in s["blocks"])
            # Sections that hold no category themselves enclose others ("V00-V99
            # Transport accidents" holds V00-V09 ...): their notes apply to every block
            # inside them, outermost first.
            outer = [b for b in s["blocks"] if b.get("categories") == []]
            for b in s["blocks"]:
                if b.get("categories"):
                    b["_enclosing"] = [o for o in outer if o["chapter"] == b["chapter"]
                                       and o["first"] <= b["first"] and b["last"] <= o["last"]]
            self._structure = s
        return self._structure

    def block_of(self, code: str) -> dict[str, Any] | None:
        """The block (section) of the tabular that holds ``code``'s category, or None when
        the tabular lacks the category.

        Membership is the tabular's own (each block lists its categories): a range such as
        C76-C80 does not tell it, since C7A and C7B sort inside it but are blocks of their
        own, and C4A sits in C43-C44.

        >>> rel = default_store().release("FY2026")
        >>> [rel.block_of(c)["block"] for c in ("C7A", "C76", "C4A", "Z77", "U09")]
        ['C7A', 'C76-C80', 'C43-C44', 'Z77-Z99', 'U00-U49']
        """
        s = self.structure
        cat = code[:3]
        found = s["_by_category"].get(cat)
        if found is not None or not s["_legacy"]:
            return found
        # an older table: a block of this category alone, else the latest-starting block
        # whose range holds it
        holding = [b for b in s["blocks"] if b["first"] <= cat <= b["last"]]
        return max(holding, key=lambda b: (b["first"] == b["last"] == cat, b["first"]),
                   default=None)

    def block_by_id(self, block_id: str) -> dict[str, Any] | None:
        """The block named ``block_id`` (``"K65-K68"``) in this release's tabular."""
        return self.structure["_by_id"].get(block_id)

    @property
    def inferred_blocks(self) -> dict[str, str]:
        """Blocks of categories the release's tabular lacks, inferred at build time from
        their place in the release's order file (category -> block id)."""
        found: dict[str, str] = self.meta.get("inferred_blocks") or {}
        return found

    def chapter_of(self, block: dict[str, Any] | None) -> dict[str, Any] | None:
        if block is None:
            return None
        return self.structure["_chapters"].get(block["chapter"])

    def children_of(self, code: str) -> list[str]:
        """Codes whose parent is ``code`` (rows are sorted, so descendants follow it)."""
        i = self.row(code)
        if i is None:
            return []
        codes = self.codes
        out: list[str] = []
        j = i + 1
        # Sorted rows: the descendants of a direct child follow it, so the next direct
        # child is the first row past them ("~" sorts after every code character).
        while j < len(codes) and codes[j].startswith(code):
            out.append(codes[j])
            j = bisect.bisect_left(codes, codes[j] + "~", j + 1)
        return out

    def billable_descendants(self, code: str) -> list[str]:
        i = self.row(code)
        if i is None:
            return []
        codes, flags = self.codes, self._flags
        out = []
        j = i + 1
        while j < len(codes) and codes[j].startswith(code):
            if flags[j] & ROW_BILLABLE:
                out.append(codes[j])
            j += 1
        return out


class Validity(_artifact.DatedMasks):
    """Which codes are billable in which date periods, and the MCE flags by date.

    :meth:`mask` is ``masks.get(code)`` for a compact code, without making :attr:`masks` for a
    process's first look-ups: up to :data:`PROBES` are answered by bisecting the
    table's sorted codes section (each then counts the lines before the code: from
    about 6 µs for A00.0 to 0.2 ms for Z99.89, 0.1 ms on average). A script that
    validates a few codes never makes the dict of 75,909 codes (262 M instructions,
    most of a cold first ``is_valid``); a process that goes on makes it once, from
    the sections the bisection read, and answers from it.

    >>> v = default_store().validity
    >>> v.mask("E119") == v.masks["E119"], v.mask("E11"), v.mask("E11.9")
    (True, None, None)
    """

    def __init__(self, table: _artifact.Table) -> None:
        super().__init__(table)
        self.age_bands: list[dict[str, Any]] = table.meta.get("age_bands", [])
        self._mce: dict[str, tuple[MceRow, ...]] = {}
        self._mce_all: dict[str, tuple[MceRow, ...]] | None = None  # see load_mce
        self._mce_codes: tuple[str, ...] | None = None
        self._mce_column: _artifact.StringColumn | None = None

    def _probe_limit(self) -> int:
        return PROBES

    def _check(self, codes: bytes, masks: array[int]) -> None:
        if codes.count(b"\n") + 1 != len(masks):
            raise DataError(f"{self.table.path}: codes and masks differ in length")

    def _make(self, codes: bytes, masks: array[int]) -> dict[str, int]:
        names = [sys.intern(c) for c in codes.decode("ascii").split("\n")]
        shared: dict[int, int] = {}  # one int object per distinct mask
        return dict(zip(names, (shared.setdefault(m, m) for m in masks), strict=True))

    def _find(self, blob: bytes, values: array[int], code: str) -> int | None:
        if not (code.isascii() and code.isalnum()):
            return None  # not a compact code (the table holds no other)
        key = code.encode("ascii")
        # the first line >= key, bisecting byte offsets: lo is always a line's start
        lo, hi = 0, len(blob) + 1
        while lo < hi:
            mid = (lo + hi) >> 1
            start = blob.rfind(b"\n", lo, mid) + 1 or lo
            end = blob.find(b"\n", start)
            if end < 0:
                end = len(blob)
            if blob[start:end] < key:
                lo = end + 1
            else:
                hi = start
        end = blob.find(b"\n", lo)  # (lo past the end: no line, b"" below)
        if blob[lo:end if end >= 0 else len(blob)] != key:
            return None
        return values[blob.count(b"\n", 0, lo)]

    def mce_rows(self, code: str) -> tuple[MceRow, ...]:
        """The MCE rows of ``code``: ``(start, end or None, flags)``, oldest first.

        Until :meth:`load_mce` reads them all (``Store.load`` does), the rows stay one text
        blob (sorted by code) and are parsed per code on demand.
        """
        every = self._mce_all
        if every is not None:
            return every.get(code, ())
        cached = self._mce.get(code)
        if cached is not None:
            return cached
        if self._mce_codes is None:
            with self._lock:
                if self._mce_codes is None:
                    read = _artifact.StringColumn(self.table.section("mce"))
                    self._mce_column = read
                    self._mce_codes = tuple([sys.intern(line[:line.index("\t")])
                                             for line in read])
        codes, column = self._mce_codes, self._mce_column
        assert column is not None  # set before _mce_codes, under the lock
        i = bisect.bisect_left(codes, code)
        found = []
        while i < len(codes) and codes[i] == code:
            _, start, end, flags = column[i].split("\t")
            found.append((_D(start), _D(end) if end else None,
                          tuple(flags.split(",")) if flags else ()))
            i += 1
        rows = tuple(found)  # of tuples of dates and strings: untracked by the GC
        if len(self._mce) >= 1 << 15:
            self._mce.clear()
        self._mce[code] = rows
        return rows

    def load_mce(self) -> None:
        """Parse every MCE row now (about 0.1 s and 15 MB), so that no question parses
        any later: identical dates, flag sets and row sequences are shared."""
        if self._mce_all is not None:
            return
        self.mce_rows("")  # reads the column
        column = self._mce_column
        dates: dict[str, dt.date] = {}
        flag_sets: dict[str, tuple[str, ...]] = {}
        shared: dict[tuple[MceRow, ...], tuple[MceRow, ...]] = {}
        found: dict[str, list[MceRow]] = {}
        for line in column or ():
            code, start, end, flags = line.split("\t")
            a = dates.get(start) or dates.setdefault(start, _D(start))
            b = (dates.get(end) or dates.setdefault(end, _D(end))) if end else None
            f = flag_sets.get(flags)
            if f is None:
                f = flag_sets[flags] = tuple(flags.split(",")) if flags else ()
            found.setdefault(sys.intern(code), []).append((a, b, f))
        every = {}
        for code, rows in found.items():
            t = tuple(rows)
            every[code] = shared.setdefault(t, t)
        with self._lock:
            self._mce_all = every

    def mce_codes(self) -> list[str]:
        """Every code the MCE table has rows for, sorted."""
        self.mce_rows("")
        return sorted(set(self._mce_codes or ()))

    def flags(self, code: str, on: dt.date) -> tuple[str, ...] | None:
        """MCE flags of ``code`` on ``on`` (None when no MCE row covers the date)."""
        rows = self.mce_rows(code)
        for start, end, flags in rows:
            if start <= on and (end is None or on <= end):
                return flags
        if rows and on > self.table_end:
            return rows[-1][2] if rows[-1][1] is None else None
        return None

    def with_release(self, release: ReleaseTable) -> Validity:
        """A copy in which ``release``'s billable codes answer for its dates."""
        v = self._with_release_masks(release.id, release.effective, release.until,
                                     release.billable_codes())
        v.age_bands, v._mce = self.age_bands, {}
        v._mce_codes, v._mce_column = self._mce_codes, self._mce_column
        v._mce_all = self._mce_all
        return v


#: A token of the conversion table's previous codes: a compact code (``G35``: the code and
#: the codes below it) or a span of codes (``H3520-H3523``: from the first to the last,
#: with the codes below the last).
_CONVERSION_TOKEN = re.compile(f"({_ONE_CODE})(?:-({_ONE_CODE}))?")


def pack_conversion(rows: Sequence[tuple[str, dt.date, Sequence[str]]],
                    meta: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The conversion table ``rows`` -- (current code, the date it took effect, its
    previous codes as tokens: ``G35``, ``H3520-H3523``), compact -- as (meta, sections)
    (the data build writes them into ``conversion.ckt``). One text line a row, sorted:
    ``current<TAB>YYYY-MM-DD<TAB>token token ...``."""
    lines = []
    for current, effective, tokens in sorted({(c, e, tuple(t)) for c, e, t in rows}):
        if not COMPACT_PATTERN.fullmatch(current):
            raise ValueError(f"{current!r} is not a compact code")
        for t in tokens:
            if not _CONVERSION_TOKEN.fullmatch(t):
                raise ValueError(f"{current}: {t!r} is not a compact code or span of codes")
        lines.append(f"{current}\t{effective.isoformat()}\t{' '.join(tokens)}")
    return ({**meta, "kind": "icd10cm-conversion", "rows": len(lines)},
            {"rows": _artifact.pack_strings(lines)})


class Conversion:
    """The CDC ICD-10-CM conversion table: for each code added since FY2017, the date it
    took effect and the code(s) used for it before (its "previous code(s) assignment").

    Read on first use (the error path of a code not valid on a date needs it, nothing
    else does). Tokens are compact codes (``G35``: that code and those below it) or spans
    (``H3520-H3523``).

    >>> conv = default_store().conversion
    >>> conv.previous("G35A")
    ((datetime.date(2025, 10, 1), ('G35',)),)
    >>> conv.replaced_by("W451XXA", dt.date(2016, 10, 1))
    ['W262XXA']
    """

    def __init__(self, table: _artifact.Table) -> None:
        self.table = table
        self.meta = table.meta
        self._lock = threading.Lock()
        self._previous: dict[str, tuple[tuple[dt.date, tuple[str, ...]], ...]] | None = None
        #: a token that is one code -> (date, current code) of the rows that name it
        self._named: dict[str, list[tuple[dt.date, str]]] = {}
        #: spans: (first, last, date, current code)
        self._spans: list[tuple[str, str, dt.date, str]] = []
        self._last: dt.date | None = None

    def _load(self) -> dict[str, tuple[tuple[dt.date, tuple[str, ...]], ...]]:
        with self._lock:
            if self._previous is None:
                previous: dict[str, list[tuple[dt.date, tuple[str, ...]]]] = {}
                named: dict[str, list[tuple[dt.date, str]]] = {}
                spans: list[tuple[str, str, dt.date, str]] = []
                for line in _artifact.StringColumn(self.table.section("rows")):
                    try:
                        current, day, text = line.split("\t")
                        effective = _D(day)
                    except ValueError:
                        raise DataError(f"{self.table.path}: bad row {line[:80]!r}") from None
                    tokens = tuple(text.split())
                    previous.setdefault(sys.intern(current), []).append((effective, tokens))
                    for t in tokens:
                        first, _, last = t.partition("-")
                        if last:
                            spans.append((first, last, effective, current))
                        else:
                            named.setdefault(t, []).append((effective, current))
                self._named, self._spans = named, spans
                self._last = max((day for dated in previous.values() for day, _ in dated),
                                 default=None)
                self._previous = {c: tuple(v) for c, v in previous.items()}
        return self._previous

    def load(self) -> None:
        """Read the table now instead of on first use (:meth:`Store.load`)."""
        if self._previous is None:
            self._load()

    @property
    def last_effective(self) -> dt.date | None:
        """The latest date a row of the table took effect (2025-10-01 for CDC's FY2026
        table): the codes of a later update are not in it. None for an empty table.

        >>> default_store().conversion.last_effective
        datetime.date(2025, 10, 1)
        """
        if self._previous is None:
            self._load()
        return self._last

    def previous(self, code: str) -> tuple[tuple[dt.date, tuple[str, ...]], ...]:
        """``(effective date, previous-code tokens)`` of each row of ``code`` (compact),
        oldest first; () for a code the table does not list."""
        rows = self._previous if self._previous is not None else self._load()
        return rows.get(code, ())

    def replaced_by(self, code: str, effective: dt.date) -> list[str]:
        """The current codes, sorted, of the rows effective on ``effective`` whose previous
        codes include ``code`` (compact): name it, a code above it, or a span holding it."""
        if self._previous is None:
            self._load()
        found = {current for n in range(len(code), 2, -1)
                 for day, current in self._named.get(code[:n], ()) if day == effective}
        found.update(current for first, last, day, current in self._spans
                     if day == effective and first <= code
                     and (code <= last or code.startswith(last)))
        return sorted(found)


def _tables(folder: Path) -> Iterator[_artifact.Table]:
    """The tables (``*.ckt``) of ``folder``, by name."""
    if folder.is_dir():
        for path in sorted(folder.glob("*.ckt")):
            yield _artifact.Table(path)


class _Bundled(NamedTuple):
    """The tables of one bundled folder, shared by every :class:`Store` opened on it."""

    titles: Titles | None
    validity: Validity | None
    releases: tuple[ReleaseTable, ...]
    conversion: Conversion | None


#: bundled folder -> its opened tables: every Store over the same unchanged files shares
#: them (read, checked and interned once: a caller's ``Store(user=...)`` costs only its
#: user releases); files changed on disk are opened again.
_BUNDLED: _cache.Shared[_Bundled] = _cache.Shared("icd10cm.bundled")


def _store_reads(name: str) -> bool:
    """A bundled file the store reads: not the search index (``search.ckt``, read by the
    first search) nor an I/OCE list (``ioce_*.ckt``, read by the code that asks it), which
    their own modules open by name. Their bytes are checked when those open them: a cold
    validation no longer hashes the 2.8 MB index (about 77 M instructions). Nor the header
    index, read first (:func:`_open_bundled`)."""
    return name != "search.ckt" and not name.startswith("ioce_") and \
        name != _artifact.HEADERS


def _open_bundled(folder: Path) -> _Bundled:
    """The tables of a bundled folder. With its header index (the bundled data), each
    table is opened lazily with its recorded header: a file is checked (hashed) when a
    section of it is first read, so a first ``is_valid`` hashes the validity table (and
    the index) only, not the 17 releases, the titles and the conversion table (2.3 MB,
    about 64 M instructions). A file the index lacks is opened at once (an unlisted one is
    then the manifest's :class:`DataError`)."""
    if not folder.is_dir():
        return _Bundled(None, None, (), None)
    headers = _artifact.bundled_headers(folder) or {}
    tables = []
    for p in sorted(folder.glob("*.ckt")):
        if _store_reads(p.name):
            meta = headers.get(p.name)
            tables.append(_artifact.Table(p) if meta is None else
                          _artifact.Table(p, lazy=True, meta=meta))
    titles = next((Titles(t) for t in tables if t.meta.get("kind") == "icd10cm-titles"),
                  None)
    validity = next((Validity(t) for t in tables
                     if t.meta.get("kind") == "icd10cm-validity"), None)
    releases = tuple(ReleaseTable(t, titles=titles) for t in tables
                     if t.meta.get("kind") == "icd10cm-release")
    conversion = next((Conversion(t) for t in tables
                       if t.meta.get("kind") == "icd10cm-conversion"), None)
    return _Bundled(titles, validity, releases, conversion)


def _bundled_tables(folder: Path) -> _Bundled:
    """The bundled tables of ``folder``: opened once, shared while the files are unchanged."""
    return _BUNDLED.get(folder, _open_bundled)


class Store:
    """All ICD-10-CM releases codekit knows: bundled plus the user's, and validity by date.

    >>> store = default_store()
    >>> [r.id for r in store.releases][:2]
    ['FY2016', 'FY2017']
    """

    def __init__(self, bundled: str | os.PathLike[str] | None = None,
                 user: str | os.PathLike[str] | None = None) -> None:
        self._paths = (bundled, user)
        bundled = Path(bundled if bundled is not None else bundled_data_dir())
        user = Path(user if user is not None else user_data_dir())
        releases: dict[str, ReleaseTable] = {}
        broken: list[tuple[str, dt.date, dt.date | None, DataError]] = []
        shared = _bundled_tables(bundled / "icd10cm")
        titles, validity = shared.titles, shared.validity
        releases.update((r.id, r) for r in shared.releases)
        for t in _tables(user / "icd10cm"):
            if t.meta.get("kind") == "icd10cm-release":
                # A bad user release fails loudly for its own dates (and its id), never
                # for the bundled answers: its header must give those dates.
                rid, eff, end = _artifact.release_meta(t)
                try:
                    rel = ReleaseTable(t, user=True, titles=None)
                    rel.check_user()  # now, not in the middle of an answer
                except DataError as e:
                    broken.append((rid, eff, end, e))
                    continue
                releases[rid] = rel
        #: user releases that cannot be read: (id, effective, until, the error), raised by
        #: every answer for a date they cover and by :meth:`release` of their id
        self.broken = broken
        self.titles = titles
        #: the bundled CDC conversion table (None: the bundled folder has none)
        self.conversion: Conversion | None = shared.conversion
        if validity is None:
            raise DataError(f"no ICD-10-CM validity table in {bundled / 'icd10cm'}; "
                            "rebuild data/ with: python -m codekit.build bundled")
        if not releases:
            raise DataError(f"no ICD-10-CM release tables in {bundled / 'icd10cm'}")
        # a user release starting on the day a bundled one does answers for its dates
        # (its titles, as its codes decide validity), whatever the ids
        self.releases: list[ReleaseTable] = sorted(releases.values(),
                                                   key=lambda r: (r.effective, r.user, r.id))
        self.by_id = {r.id: r for r in self.releases}
        self._base_validity = validity
        self._validity: Validity | None = None
        self._user_releases = [r for r in self.releases if r.user]
        self._lock = threading.Lock()
        self._known: dict[str, None] | None = None
        self._by_distance: dict[dt.date, tuple[ReleaseTable, ...]] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (open_store, self._paths)

    @property
    def validity(self) -> Validity:
        """Which codes are billable in which date periods, and the MCE flags by date: the
        bundled validity table with the store's user releases applied (made on first
        use). :attr:`codekit.icd10cm.Entry.valid_ranges` reads it."""
        if self._validity is None:
            with self._lock:
                if self._validity is None:
                    v = self._base_validity
                    for r in self._user_releases:
                        v = v.with_release(r)
                    if self.broken:
                        v = v.with_broken([(eff, end, e) for _, eff, end, e in self.broken])
                    self._validity = v
        return self._validity

    def load(self) -> Store:
        """Read every table now instead of on first use (a service does this once at
        start-up, so that no request pays for it); returns the store.

        >>> default_store().load() is default_store()
        True
        """
        for r in self.releases:
            r.load()
        self.validity.masks  # noqa: B018
        self.validity.load_mce()
        self.known_codes()
        if self.conversion is not None:
            self.conversion.load()
        return self

    def known_codes(self) -> Mapping[str, None]:
        """Every code of every release (headers included) and of the validity table."""
        if self._known is None:
            with self._lock:
                if self._known is None:
                    known = set(self._base_validity.masks)
                    if self.titles is not None:  # every code of the bundled releases
                        known.update(self.titles.codes)
                    for r in self.releases:
                        if r.titles is None:
                            known.update(r.codes)
                    # a dict of strings, not a set: the garbage collector untracks it
                    self._known = dict.fromkeys(known)
        return self._known

    @property
    def last_known(self) -> dt.date:
        """The last date the data describes (the MCE table end, or a user release's)."""
        ends = [self._base_validity.table_end]
        # an open user release describes at least the rest of its fiscal year
        ends += [r.until or dt.date(fiscal_year(r.effective), 9, 30)
                 for r in self._user_releases]
        return max(ends)

    def release(self, release_id: str) -> ReleaseTable:
        """The release table of ``release_id`` (``"FY2026"``, or a release a user added);
        :class:`~codekit.DataError` for an id the store does not know (naming the ones it
        knows) or a user release that cannot be read.

        >>> default_store().release("FY2026").effective
        datetime.date(2025, 10, 1)
        """
        for rid, _, _, error in self.broken:
            if rid == release_id:
                raise DataError(str(error))
        try:
            return self.by_id[release_id]
        except KeyError:
            known = ", ".join(self.by_id)
            raise DataError(f"unknown ICD-10-CM release {release_id!r}; known: {known}") from None

    def release_for(self, on: dt.date) -> tuple[ReleaseTable, bool]:
        """The release whose titles answer for ``on``, and whether it covers ``on`` exactly.

        The newest release effective on or before ``on`` whose ``until`` has not passed;
        otherwise the release nearest in time (FY2022 dates get FY2021 titles, FY2027
        dates get FY2026 titles until the FY2027 files are added).
        """
        best: ReleaseTable | None = None
        for r in self.releases:
            if r.effective <= on and (r.until is None or on <= r.until):
                best = r
        if best is not None:
            return best, True

        def distance(r: ReleaseTable) -> tuple[int, int]:
            if on < r.effective:
                return ((r.effective - on).days, 1)
            return ((on - (r.until or r.effective)).days, 0)

        return min(self.releases, key=distance), False

    def releases_by_distance(self, on: dt.date) -> Sequence[ReleaseTable]:
        """All releases, the one covering ``on`` (or nearest to it) first."""
        cached = self._by_distance.get(on)
        if cached is not None:
            return cached

        def distance(r: ReleaseTable) -> int:
            if r.effective <= on and (r.until is None or on <= r.until):
                return 0
            if on < r.effective:
                return (r.effective - on).days
            return (on - (r.until or r.effective)).days

        order = tuple(sorted(self.releases,
                             key=lambda r: (distance(r), -r.effective.toordinal(),
                                            not r.user)))
        if len(self._by_distance) > 4096:
            self._by_distance.clear()
        self._by_distance[on] = order
        return order


_stores = _cache.Stores("icd10cm.stores", Store)


def open_store(bundled: Path | None = None, user: Path | None = None) -> Store:
    """The process-wide store for these folders (opened once; what unpickling returns)."""
    return _stores.open(bundled, user)


def forget_stores() -> None:
    """Drop the opened stores: the next :func:`default_store` reads the folders again."""
    _stores.forget()


def default_store() -> Store:
    """The store over the bundled data and the user data directory (opened once)."""
    return _stores.default()

"""NCCI procedure-to-procedure (PTP) edits: a compact, date-aware table of code pairs.

Layout (one row per edit, rows grouped by column-1 code and sorted by column-2 code):

- ``codes``: every code in the table, sorted; a code is known by its position;
- ``start``: for column-1 code *i*, its rows are ``start[i]:start[i+1]`` (u32);
- ``c2``: the column-2 code of each row (u16 positions);
- ``lo``/``hi``: the first and last date *period* in which the row is in effect. Period
  *k* ≥ 1 begins on ``meta["bounds"][k-1]`` (date ordinals; 0 = "since before the data")
  and the last one is open; period 0 lies before every bound. A row deleted on day *d*
  (inclusive) ends in the period that ends on *d*; ``hi < lo`` marks a row never in
  effect;
- ``mi``: modifier indicator (0, 1 or 9) and ``rat`` the index of its rationale text.

A lookup is two dict hits (code → position), a binary search inside one column-1 group
and a period comparison; the 1.6 million bundled hospital edits take about 11 MB and load
in a few hundredths of a second.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
import os
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from .. import _artifact, _cache
from .._dates import OPEN, coerce_date, covered, today
from .._files import RowProblem
from ..errors import DataError, InvalidArgument
from ..procedure import compact
from ._names import coverage_of

__all__ = ["BUNDLED", "PtpEdit", "PtpTable", "bundled_coverage", "pack_ptp"]

#: Day number of an open deletion date.
#: Prefix of the origin of tables bundled with codekit (pickled by name, not path).
BUNDLED = "bundled:"
_LITTLE = sys.byteorder == "little"
_EDIT_CACHE_MAX = 200_000
#: The answers of :meth:`PtpTable.among`, by (table serial, period, the codes' positions in
#: the table, sorted): claims repeat their sets of procedure codes (an office visit and its
#: labs) far more than they repeat anything else, so each set is searched once per table
#: and period. Keyed by a serial, not the table, so the cache never keeps a table alive or
#: answers for another one made at the same address; codes the table does not know are
#: never part of a key.
_AMONG: dict[tuple[Any, ...], tuple[PtpEdit, ...]] = _cache.owned(
    "ncci.ptp_among", {}, max_entries=65_536, max_bytes=8 << 20)
_SERIALS = itertools.count()
_MI_TEXT = {0: "not allowed", 1: "allowed", 9: "not applicable"}


@attrs.frozen
class PtpEdit:
    """One NCCI PTP edit: report ``column_2`` with ``column_1`` only as the indicator says.

    ``modifier_indicator``: 0 = no modifier bypasses the edit; 1 = an NCCI-associated
    modifier on the column-2 code (59, XE/XP/XS/XU, anatomic, 25, 91...) bypasses it when
    the services were distinct; 9 = the edit no longer applies. ``effective`` None means
    "in effect since before the first date the data describes"; ``deletion`` None means
    still in effect (``*`` in the CMS files); a deletion date is the last day in effect.
    """

    column_1: str
    column_2: str
    modifier_indicator: int
    effective: dt.date | None
    deletion: dt.date | None
    rationale: str | None = None

    @property
    def modifier_allowed(self) -> bool:
        """True when an NCCI-associated modifier may bypass the edit (indicator 1)."""
        return self.modifier_indicator == 1

    @property
    def applies(self) -> bool:
        """False for indicator 9 (the edit is not applied)."""
        return self.modifier_indicator != 9

    @property
    def modifier_meaning(self) -> str:
        """The modifier indicator in words: 0 ``"not allowed"`` (no modifier lets the
        pair be billed), 1 ``"allowed"`` (an NCCI-associated modifier may, where the
        services were distinct), 9 ``"not applicable"`` (the edit was deleted)."""
        return _MI_TEXT.get(self.modifier_indicator, "unknown")


def _arr(typecode: str, raw: bytes) -> array:
    a = array(typecode)
    a.frombytes(raw)
    if not _LITTLE:
        a.byteswap()
    return a


def _bytes(a: array) -> bytes:
    if _LITTLE:
        return a.tobytes()
    b = array(a.typecode, a)
    b.byteswap()
    return b.tobytes()


def _typecode(n: int) -> str:
    return "B" if n <= 0xFF else "H" if n <= 0xFFFF else "I"


def _resolve_overlaps(pairs: list[int], lo: array, hi: array) -> int:
    """Make the rows of each pair disjoint in time, so a lookup can stop at the first row in
    effect. Rows are sorted by pair, effective and deletion date. Where two rows overlap, a
    row that takes effect later replaces the earlier one from its effective date; rows with
    the same effective date follow one another (the one deleted first, then the other);
    exact duplicates keep one row. Returns how many overlaps were resolved."""
    n = len(pairs)
    overlaps = 0
    anchor = -1  # the last row in effect of the current pair
    for k in itertools.compress(range(1, n), map(operator.eq, pairs, pairs[1:])):
        if anchor < 0 or pairs[anchor] != pairs[k]:
            anchor = k - 1
        a = anchor
        if lo[a] > hi[a] or hi[a] < lo[k]:
            anchor = k
            continue
        overlaps += 1
        if lo[k] > lo[a]:
            hi[a] = lo[k] - 1
            anchor = k
        elif hi[k] > hi[a]:
            lo[k] = hi[a] + 1
            anchor = k
        else:
            lo[k], hi[k] = 1, 0  # never in effect
    return overlaps


def _sort_runs(pk: list[int], order: list[int], eff: Sequence[int], end: Sequence[int]) -> None:
    """Sort the rows of each pair (runs of equal ``pk``) by effective, deletion date."""
    k, n = 1, len(pk)
    dups = itertools.compress(range(1, n), map(operator.eq, pk, itertools.islice(pk, 1, None)))
    for k in dups:
        if k > 1 and pk[k - 2] == pk[k]:
            continue  # inside a run already sorted
        j = k + 1
        while j < n and pk[j] == pk[k]:
            j += 1
        order[k - 1:j] = sorted(order[k - 1:j], key=lambda i: (eff[i], end[i]))


def _same_dates_other_indicator(pk: Sequence[int], lo: Sequence[int], hi: Sequence[int],
                                mi: bytes) -> list[tuple[int, int]]:
    """(first, later) sorted positions of rows of one pair with the same dates as an
    earlier row and another modifier indicator (rows of a pair are sorted by dates, so
    rows with the same dates are next to each other)."""
    out = []
    run = prev = -2
    for k in itertools.compress(range(1, len(pk)), map(operator.eq, pk,
                                                       itertools.islice(pk, 1, None))):
        if lo[k] != lo[k - 1] or hi[k] != hi[k - 1]:
            continue
        if prev != k - 1:
            run = k - 1  # the first row of a run with the same dates
        prev = k
        if mi[k] != mi[run]:
            out.append((run, k))
    return out


def pack_ptp(codes: Sequence[str], c1: Sequence[int], c2: Sequence[int], eff: Sequence[int],
             end: Sequence[int], mi: Sequence[int], rat: Sequence[int],
             rationales: Sequence[str], meta: dict[str, Any], *,
             conflicts: list[tuple[int, int]] | None = None) -> tuple[dict[str, Any],
                                                                     dict[str, bytes]]:
    """Sections of a PTP table from row columns.

    ``codes[k]`` names code *k* (any order); ``c1``/``c2`` hold such *k*; ``eff`` and
    ``end`` are date ordinals (``eff`` 0 = since before the data, ``end`` :data:`OPEN`);
    ``rat`` indexes ``rationales`` (0 = none, so ``rationales[0]`` is ``""``).
    ``conflicts``, when given, receives (first, later) row positions of rows of one pair
    with the same dates as an earlier row but another modifier indicator (the later row
    is packed as never in effect: the first wins).
    """
    n = len(c1)
    order_codes = sorted(range(len(codes)), key=codes.__getitem__)
    sorted_codes = [codes[k] for k in order_codes]
    if len(set(sorted_codes)) != len(sorted_codes):
        raise ValueError("duplicate codes")
    remap = [0] * len(codes)
    for new, old in enumerate(order_codes):
        remap[old] = new
    ncodes = len(sorted_codes)
    r1 = array("I", map(remap.__getitem__, c1))
    r2 = array("I", map(remap.__getitem__, c2))
    pk = list(map(operator.add, map(operator.mul, r1, itertools.repeat(ncodes)), r2))
    # Rows sorted by pair, effective date, deletion date (files from CMS already are).
    dup = list(itertools.compress(range(1, n), map(operator.eq, pk, itertools.islice(pk, 1, None))))
    in_order = all(map(operator.le, pk, itertools.islice(pk, 1, None))) and all(
        (eff[k - 1], end[k - 1]) <= (eff[k], end[k]) for k in dup)
    if in_order:
        order: Sequence[int] | None = None
        pick: Any = lambda seq: seq  # noqa: E731
    else:
        order = sorted(range(n), key=pk.__getitem__)  # stable: file order within a pair
        pk = list(map(pk.__getitem__, order))
        _sort_runs(pk, order, eff, end)

        def pick(seq: Sequence[int]) -> Iterator[int]:
            return map(seq.__getitem__, order)

    # Period k (1-based) runs from bounds[k-1] to the day before bounds[k]; period 0 is
    # before every bound. A row is in effect in periods lo..hi (hi < lo: never).
    bounds = sorted({*eff, *(e + 1 for e in set(end) if e != OPEN)})
    index = {b: i for i, b in enumerate(bounds)}
    bmap = {b: i + 1 for i, b in enumerate(bounds)}
    hmap = {e: len(bounds) if e == OPEN else index[e + 1] for e in set(end)}
    ptc = _typecode(len(bounds) + 1)
    lo = array(ptc, map(bmap.__getitem__, pick(eff)))
    hi = array(ptc, map(hmap.__getitem__, pick(end)))
    mib = bytes(pick(mi))
    if conflicts is not None:
        conflicts.extend((a, b) if order is None else (order[a], order[b])
                         for a, b in _same_dates_other_indicator(pk, lo, hi, mib))
    overlaps = _resolve_overlaps(pk, lo, hi)
    del pk
    c2tc = _typecode(ncodes) if ncodes > 0xFF else "H"
    col2 = array(c2tc, pick(r2))
    counts = Counter(r1)
    start = array("I", itertools.accumulate((counts.get(i, 0) for i in range(ncodes)),
                                            initial=0))
    rtc = _typecode(len(rationales))
    rata = array(rtc, pick(rat))
    meta = {**meta, "kind": "ncci-ptp", "rows": n, "codes": ncodes, "bounds": bounds,
            "overlapping_rows_resolved": overlaps,
            "typecodes": {"c2": c2tc, "period": ptc, "rat": rtc}}
    sections = {
        "codes": _artifact.pack_strings(sorted_codes),
        "start": _bytes(start),
        "c2": _bytes(col2),
        "lo": _bytes(lo),
        "hi": _bytes(hi),
        "mi": mib,
        "rat": _bytes(rata),
        "rationales": _artifact.pack_strings(rationales),
    }
    return meta, sections


def bundled_coverage() -> tuple[dt.date, dt.date]:
    """(first, last) day of the IOCE quarters the bundled NCCI tables were built from: the
    header of the bundled hospital PTP table (no section is read)."""
    from .._paths import bundled_data_dir

    meta = _artifact.Table(bundled_data_dir() / "ncci" / "ptp_hospital.ckt").meta
    span = coverage_of(meta)
    if span is None:
        raise DataError("the bundled NCCI hospital PTP table names no IOCE quarter")
    return span


def _open_ckt(path: str, content: str | None = None) -> PtpTable:
    if path.startswith(BUNDLED):
        from .._paths import bundled_data_dir

        return PtpTable.open(bundled_data_dir() / path[len(BUNDLED):])
    table = PtpTable.open(path)  # (a user's file: the content opened before, or an error)
    _artifact.check_content(path, table._content or "", content)
    return table


def _from_sections(meta: dict[str, Any], sections: dict[str, bytes],
                   problems: tuple[RowProblem, ...]) -> PtpTable:
    return PtpTable(meta, sections, problems=problems)


class PtpTable:
    """NCCI PTP edits with date-aware lookups. Immutable; pickles cheaply.

    >>> from codekit import ncci
    >>> ptp = ncci.hospital_ptp()
    >>> e = ptp.pair("0001U", "0030U", on="2025-06-01")
    >>> (e.column_1, e.column_2, e.modifier_indicator, e.deletion)
    ('0001U', '0030U', 1, None)
    >>> ptp.pair("0001U", "99213", on="2025-06-01") is None
    True
    """

    __slots__ = ("_bounds", "_c2", "_codes", "_content", "_edits", "_fast", "_groups", "_hi",
                 "_index", "_lo", "_mi", "_origin", "_pcache", "_rat", "_rationales", "_serial",
                 "_start", "meta", "problems")

    def __init__(self, meta: dict[str, Any], sections: dict[str, bytes], *,
                 origin: str | None = None, problems: Sequence[RowProblem] = (),
                 content: str | None = None) -> None:
        try:
            tc = meta["typecodes"]
            self._codes = sections["codes"].decode("ascii").split("\n") \
                if sections["codes"] else []
            self._start = _arr("I", sections["start"])
            # Kept packed (2 bytes a row): over the whole table, lookups are bound by memory
            # traffic, and a list of int objects measured no faster.
            self._c2 = _arr(tc["c2"], sections["c2"])
            self._lo = _arr(tc["period"], sections["lo"])
            self._hi = _arr(tc["period"], sections["hi"])
            self._mi = sections["mi"]
            self._rationales = sections["rationales"].decode("utf-8").split("\n")
            # A table without rationales (the bundled one) keeps no rationale column.
            self._rat = _arr(tc["rat"], sections["rat"]) if len(self._rationales) > 1 \
                else None
            bounds = meta["bounds"]
        except (KeyError, ValueError, IndexError, UnicodeDecodeError) as e:
            raise DataError(f"corrupt PTP table ({origin or 'in memory'}): {e}") from e
        n = len(self._c2)
        if not (len(self._lo) == len(self._hi) == len(self._mi) == n
                and (self._rat is None or len(self._rat) == n)
                and len(self._start) == len(self._codes) + 1 and
                (not self._start or self._start[-1] == n)):
            raise DataError(f"corrupt PTP table ({origin or 'in memory'}): column lengths "
                            "differ")
        self._index = {c: i for i, c in enumerate(self._codes)}
        st = self._start
        self._groups = {c: (i, st[i], st[i + 1]) for i, c in enumerate(self._codes)
                        if st[i + 1] > st[i]}
        self._bounds = [dt.date.fromordinal(max(b, 1)) for b in bounds]
        self._origin = origin
        #: the content id of the .ckt file it was opened from (_artifact.Table.content_id)
        self._content = content
        self._pcache: dict[Any, int] = {}
        self._edits: dict[int, PtpEdit] = {}
        self._serial = next(_SERIALS)
        self._fast = (self._groups, self._index, self._c2, self._lo, self._hi, self._pcache,
                      self._edits)
        self.meta = meta
        self.problems: tuple[RowProblem, ...] = tuple(problems)

    # ---- construction, persistence ----------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, bundled_name: str | None = None
             ) -> PtpTable:
        """A table saved with :meth:`save` (or bundled with codekit)."""
        t = _artifact.Table(path)
        if t.meta.get("kind") != "ncci-ptp":
            raise DataError(f"{path}: not an NCCI PTP table (kind {t.meta.get('kind')!r})")
        sections = {name: t.section(name) for name in t.names()}
        return cls(t.meta, sections,
                   origin=BUNDLED + bundled_name if bundled_name else os.path.abspath(path),
                   content=t.content_id())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the table to a ``.ckt`` file that :meth:`open` reads in milliseconds."""
        _artifact.write(path, self.meta, self._all_sections())

    def _all_sections(self) -> dict[str, bytes]:
        tc = self.meta["typecodes"]
        n = len(self._c2)
        return {
            "codes": _artifact.pack_strings(self._codes),
            "start": _bytes(self._start),
            "c2": _bytes(self._c2),
            "lo": _bytes(self._lo),
            "hi": _bytes(self._hi),
            "mi": bytes(self._mi),
            "rat": _bytes(self._rat if self._rat is not None else array(tc["rat"], [0]) * n),
            "rationales": _artifact.pack_strings(self._rationales),
        }

    def __reduce__(self) -> tuple[Any, ...]:
        if self._origin is not None:  # opened again by its absolute path: the same
            return (_open_ckt, (self._origin, self._content))  # content, or an error
        return (_from_sections, (self.meta, self._all_sections(), self.problems))

    def __repr__(self) -> str:
        src = self.meta.get("source", "?")
        return f"<PtpTable {self.meta.get('setting') or ''} {len(self)} edits from {src}>"

    def __len__(self) -> int:
        return len(self._c2)

    @property
    def source(self) -> str:
        """Where the edits came from (a file name, or the bundled IOCE release)."""
        return str(self.meta.get("source", ""))

    @property
    def setting(self) -> str | None:
        """``"hospital"`` (outpatient hospital, 837I) or ``"practitioner"`` (837P), if known."""
        return self.meta.get("setting")

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code that appears in the table."""
        return tuple(self._codes)

    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """The first and the last day the table describes: the IOCE quarters of the
        bundled table; for a loaded one, the quarter its file name names (``ccipra-v322r0``,
        ``..._2026q2.csv``), from its first day to its last. None when the name names no
        quarter: its rows carry their own dates, but edits CMS added after the file was
        made are not in it, so it describes no date for certain (a
        :class:`~codekit.ncci.TableLibrary` answers from it with a note, the notice
        ``NCCI_TABLE_PAST_QUARTER`` on a claim).

        >>> from codekit import ncci
        >>> ncci.hospital_ptp().coverage()
        (datetime.date(2019, 7, 1), datetime.date(2026, 6, 30))
        """
        return coverage_of(self.meta)

    def covers(self, on: object = None) -> bool:
        """Whether the table describes the date ``on`` (default today): within
        :meth:`coverage`; never for a table whose file names no quarter. The look-ups
        answer any date from the rows' own dates, without a note: ask this first.

        >>> from codekit import ncci
        >>> ptp = ncci.hospital_ptp()
        >>> ptp.covers(on="2026-06-30"), ptp.covers(on="2026-07-01"), ptp.covers(on="2019-06-30")
        (True, False, False)
        """
        return covered(self.coverage(), on)

    # ---- lookups ------------------------------------------------------------------------

    def _code_index(self, value: object) -> int | None:
        return self._index.get(compact(value))

    def _period(self, on: object) -> int:
        if on is None:
            on = today()
        elif type(on) is not dt.date and type(on) is not str:
            # Remembered by the day only: aware datetimes of one instant in two zones are
            # equal (and hash alike) but fall on different days; a NumPy month equals its
            # first day but is not a date.
            on = coerce_date(on)
        try:
            p = self._pcache.get(on)
        except TypeError:
            p = None
        if p is None:
            day = coerce_date(on)
            p = bisect.bisect_right(self._bounds, day)
            if len(self._pcache) > 10_000:
                self._pcache.clear()
            self._pcache[on] = p
        return p

    def _row(self, i1: int, i2: int, p: int) -> int:
        c2 = self._c2
        end = self._start[i1 + 1]
        j = bisect.bisect_left(c2, i2, self._start[i1], end)
        lo, hi = self._lo, self._hi
        while j < end and c2[j] == i2:
            if lo[j] <= p <= hi[j]:
                return j
            j += 1
        return -1

    def _edit(self, i1: int, j: int) -> PtpEdit:
        e = self._edits.get(j)
        if e is None:
            lo, hi = self._lo[j], self._hi[j]
            b = self._bounds
            eff = None if lo == 0 or self.meta["bounds"][lo - 1] == 0 else b[lo - 1]
            dele = None if hi >= len(b) else b[hi] - dt.timedelta(days=1)
            r = self._rat[j] if self._rat is not None else 0
            e = PtpEdit(self._codes[i1], self._codes[self._c2[j]], self._mi[j], eff, dele,
                        self._rationales[r] if r else None)
            if len(self._edits) >= _EDIT_CACHE_MAX:
                self._edits.clear()
            self._edits[j] = e
        return e

    def _slow(self, column_1: object, column_2: object, on: object) -> tuple[int, int]:
        """(column-1 position, row) for inputs that missed the fast path; row -1 = none."""
        index = self._index
        if isinstance(column_1, str) and isinstance(column_2, str) and \
                column_1 in index and column_2 in index:
            return -1, -1  # known codes, but column_1 is never a column-1 code
        i1 = self._code_index(column_1)
        i2 = self._code_index(column_2)
        if i1 is None or i2 is None or self._start[i1] == self._start[i1 + 1]:
            return -1, -1
        return i1, self._row(i1, i2, self._period(on))

    def pair(self, column_1: str, column_2: str, *, on: object = None) -> PtpEdit | None:
        """The edit in effect on ``on`` (default today) with ``column_1`` as the column-1
        code and ``column_2`` as the column-2 code, or None.

        The order matters: NCCI lists each pair once, the column-2 code being the one that
        is denied. Malformed codes raise :class:`~codekit.InvalidFormat`. Any date is
        answered from the rows' own dates: :meth:`covers` says whether the table describes
        it.
        """
        groups, index, c2, lo, hi, pc, edits = self._fast
        try:
            g = groups.get(column_1)
            i2 = index.get(column_2)
        except TypeError:  # unhashable input: _slow raises InvalidFormat
            g = i2 = None
        if g is None or i2 is None:
            if g is None and i2 is not None and type(column_1) is str and column_1 in index:
                return None  # a known code that is never a column-1 code (as _slow says)
            i1, j = self._slow(column_1, column_2, on)
            return None if j < 0 else self._edit(i1, j)
        try:
            p = pc[on] if type(on) is dt.date or type(on) is str else self._period(on)
        except KeyError:
            p = self._period(on)
        end = g[2]
        j = bisect.bisect_left(c2, i2, g[1], end)
        while j < end and c2[j] == i2:
            if lo[j] <= p <= hi[j]:
                e = edits.get(j)
                return e if e is not None else self._edit(g[0], j)
            j += 1
        return None

    def indicator(self, column_1: str, column_2: str, *, on: object = None) -> int | None:
        """Just the modifier indicator of :meth:`pair` (0, 1 or 9), or None: the fastest
        question the table answers."""
        # The search is the one in pair(), written out again on purpose: a shared helper
        # costs a call per look-up on the table's hottest path.
        groups, index, c2, lo, hi, pc, _ = self._fast
        try:
            g = groups.get(column_1)
            i2 = index.get(column_2)
        except TypeError:
            g = i2 = None
        if g is None or i2 is None:
            _, j = self._slow(column_1, column_2, on)
            return None if j < 0 else self._mi[j]
        try:
            p = pc[on] if type(on) is dt.date or type(on) is str else self._period(on)
        except KeyError:
            p = self._period(on)
        end = g[2]
        j = bisect.bisect_left(c2, i2, g[1], end)
        while j < end and c2[j] == i2:
            if lo[j] <= p <= hi[j]:
                return self._mi[j]
            j += 1
        return None

    def edits(self, column_1: str, *, on: object = None) -> list[PtpEdit]:
        """Every edit in effect on ``on`` whose column-1 code is ``column_1``."""
        i1 = self._index.get(column_1) if isinstance(column_1, str) else None
        if i1 is None and (i1 := self._code_index(column_1)) is None:
            return []
        p = self._period(on)
        lo, hi = self._lo, self._hi
        return [self._edit(i1, j) for j in range(self._start[i1], self._start[i1 + 1])
                if lo[j] <= p <= hi[j]]

    def among(self, codes: Iterable[str], *, on: object = None) -> list[PtpEdit]:
        """Every edit in effect on ``on`` between two of ``codes`` (the procedure codes of
        one claim and date of service), sorted by column 1 then column 2.

        >>> from codekit import ncci
        >>> [(e.column_1, e.column_2, e.modifier_indicator)
        ...  for e in ncci.hospital_ptp().among(["93005", "93000", "36415"], on="2025-06-01")]
        [('93000', '93005', 1)]
        """
        if isinstance(codes, str):  # one code, not its characters
            raise InvalidArgument(f"codes={codes!r}: expected the codes of a claim as a "
                                  f"list (e.g. [{codes!r}]), not one string")
        p = self._period(on)
        idx: dict[int, None] = {}
        for c in codes:
            i = self._index.get(c) if isinstance(c, str) else None
            if i is None:
                i = self._code_index(c)
            if i is not None:
                idx[i] = None
        if len(idx) < 2:  # one code (or none) on the date: no pair to ask about
            return []
        order = sorted(idx)
        key = (self._serial, p, *order)
        hit = _AMONG.get(key)
        if hit is None:
            hit = _AMONG[key] = tuple([self._edit(i1, j) for i1 in order for i2 in order
                                       if i1 != i2 and (j := self._row(i1, i2, p)) >= 0])
        return list(hit)

    def count(self, *, on: object = None) -> int:
        """How many edits are in effect on ``on``."""
        p = self._period(on)
        lo, hi = self._lo, self._hi
        return sum(1 for j in range(len(lo)) if lo[j] <= p <= hi[j])

    def rows(self) -> Iterator[PtpEdit]:
        """Every row of the table, whatever its dates (column 1, column 2, effective), as
        the table answers them: a row listed twice is one row, and a row that another row
        of the pair replaces from the day it takes effect ends the day before (rows of
        the file that are never in effect are not rows of the table)."""
        start, lo, hi = self._start, self._lo, self._hi
        for i1 in range(len(self._codes)):
            for j in range(start[i1], start[i1 + 1]):
                if lo[j] <= hi[j]:
                    yield self._edit(i1, j)

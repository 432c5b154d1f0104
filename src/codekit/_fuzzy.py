"""Did-you-mean over a list of codes: rapidfuzz ``fuzz.ratio``, with an exact prefilter.

``process.extract(text, codes, scorer=fuzz.ratio)`` compares a mistyped code with every
code of the list: 74,000 ICD-10-CM codes take about 6 ms, and a batch of distinct junk
codes (every one gets its suggestions) spends nearly all its time there. Most codes
cannot reach the similarity floor, and a bound says which: ``fuzz.ratio`` is
``200 * LCS / (len(a) + len(b))``, and the longest common subsequence of two texts is
at most the characters they share, counted with repeats. :class:`FuzzyCodes` keeps, for
each character and each count, the set of codes holding that character at least that
many times as one big integer (a bit per code), so the shared-character count of every
code is a handful of bitwise additions on 10 KB integers. rapidfuzz then scores the
codes level by level, those with the best bound first, and stops once ``limit`` codes
score more than any code left could; the codes below the floor are never scored. A
distinct mistyped ICD-10-CM code costs 0.46 ms instead of 6.7 (``bench/bench_suggest.py``).
The answer is the same list, in the same order (ties by list position), as the
unfiltered ``process.extract``: ``tests/test_fuzzy.py`` compares the two on random and
code-shaped texts over the real code lists.

>>> codes = FuzzyCodes(["E1110", "E1165", "E119", "I10", "Z0000"])
>>> codes.extract("E1T65", limit=2, cutoff=50)
['E1165']
>>> codes.extract("E11", limit=3, cutoff=50)  # a tie goes to the earlier code
['E119', 'E1110', 'E1165']
>>> codes.extract("%%%", limit=2, cutoff=50)
[]
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = ["FuzzyCodes"]

#: Levels of fewer candidates than this are compared together with the next level.
_BATCH = 64
#: Sets of more members than this are unpacked a byte per member, in C.
_DENSE = 1500
#: For each bit b, the table mapping a byte to its bit b (translate).
_PLANES = [bytes(v >> b & 1 for v in range(256)) for b in range(8)]
_ONE = re.compile(b"\x01")


class FuzzyCodes:
    """The codes of one list (sorted, as the callers keep them) with the bit sets of
    their characters (made at once: about 0.2 s for 74,000 codes; a cache weighing this
    object by ``sys.getsizeof`` counts them)."""

    __slots__ = ("_by_length", "_planes", "_sets", "codes")

    def __init__(self, codes: Sequence[str]) -> None:
        self.codes: Sequence[str] = codes
        size = (len(codes) + 7) // 8
        rows: dict[tuple[str, int], bytearray] = {}
        lengths: dict[int, bytearray] = {}
        for i, code in enumerate(codes):
            byte, bit = i >> 3, 1 << (i & 7)
            row = lengths.get(len(code))
            if row is None:
                row = lengths[len(code)] = bytearray(size)
            row[byte] |= bit
            seen: dict[str, int] = {}
            for ch in code:
                j = seen[ch] = seen.get(ch, 0) + 1
                row = rows.get((ch, j))
                if row is None:
                    row = rows[(ch, j)] = bytearray(size)
                row[byte] |= bit
        self._by_length = {n: int.from_bytes(r, "little") for n, r in lengths.items()}
        # the shared-character count of a code is at most its length
        self._planes = max(self._by_length, default=0).bit_length()
        self._sets = {k: int.from_bytes(r, "little") for k, r in rows.items()}

    def __sizeof__(self) -> int:
        return object.__sizeof__(self) + sum(
            (v.bit_length() + 7) // 8 + 64 for v in (*self._sets.values(),
                                                     *self._by_length.values()))

    def allowed(self, keep: Iterable[bool]) -> int:
        """The bit set of the codes to answer from (``keep``: one flag per position of
        :attr:`codes`), for :meth:`extract`'s ``allowed``.

        >>> FuzzyCodes(["A", "B", "C"]).allowed([True, False, True])
        5
        """
        row = bytearray((len(self.codes) + 7) // 8)
        for i, k in enumerate(keep):
            if k:
                row[i >> 3] |= 1 << (i & 7)
        return int.from_bytes(row, "little")

    def extract(self, text: str, *, limit: int, cutoff: float,
                allowed: int | None = None) -> list[str]:
        """The codes ``process.extract(text, codes, scorer=fuzz.ratio, limit=limit,
        score_cutoff=cutoff)`` gives, best first; with ``allowed`` (:meth:`allowed`), the
        same over the codes of that set only (one index serves every subset: the
        billable codes of each period of a code set)."""
        from rapidfuzz import fuzz, process

        if not text or not self.codes or allowed == 0:
            return []
        sets = self._sets
        # Per code, the characters it shares with ``text`` (with repeats), as bit planes
        # of a counter: plane k holds bit k of every code's count.
        planes = [0] * self._planes
        for ch, count in Counter(text).items():
            for j in range(1, count + 1):
                carry = sets.get((ch, j), 0)
                if not carry:
                    break  # no code holds ``ch`` j times, nor more
                for k in range(len(planes)):
                    plane = planes[k]
                    planes[k] = plane ^ carry
                    carry &= plane
                    if not carry:
                        break
        # Codes by the best score they could reach (200 * shared / (len(text) + length)),
        # best first: compare level after level, and stop once ``limit`` codes score more
        # than any code left could.
        n = len(text)
        levels: dict[float, list[tuple[int, int]]] = {}
        for length in self._by_length:
            for shared in range(length, -1, -1):
                bound = 200 * shared / (n + length)
                if bound < cutoff - 1e-9:
                    break
                levels.setdefault(round(bound, 9), []).append((length, shared))
        order = sorted(levels, reverse=True)
        found: list[tuple[float, int, str]] = []
        seen = new = 0
        everyone = -1 if allowed is None else allowed
        total = len(self.codes) if allowed is None else allowed.bit_count()
        for at, bound in enumerate(order):
            for length, shared in levels[bound]:
                new |= self._by_length[length] & _at_least(planes, shared)
            new &= ~seen & everyone
            rest = order[at + 1] if at + 1 < len(order) else -1.0
            count = new.bit_count()
            if rest >= 0 and count < _BATCH:
                continue  # too few to be worth a pass: take the next level along
            if not count:
                continue
            seen |= new
            if not found and count * 3 > total:
                # most codes may reach this level: no list worth making
                pool = self.codes if allowed is None else \
                    [self.codes[i] for i in _members(allowed, total)]
                return [c for c, _s, _ in process.extract(
                    text, pool, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)]
            idx = _members(new, count)
            new = 0
            got = process.extract(text, [self.codes[i] for i in idx], scorer=fuzz.ratio,
                                  limit=limit, score_cutoff=cutoff)
            found += [(score, idx[k], c) for c, score, k in got]
            found.sort(key=lambda t: (-t[0], t[1]))
            del found[limit:]
            if len(found) >= limit and found[-1][0] > rest + 1e-6:
                break  # no code left can reach the last one kept, nor tie with it
        return [c for _s, _i, c in found]


def _at_least(planes: list[int], need: int) -> int:
    """The bit set of the counters (bit planes, lowest first) that are ``>= need``."""
    if need <= 0:
        return -1  # every code
    if need >> len(planes):
        return 0  # more than any counter holds
    out = -1
    for k in range(len(planes)):  # lowest bit up: out = (count mod 2**(k+1)) >= need mod ..
        if need >> k & 1:
            out &= planes[k]
        else:
            out |= planes[k]
    return out


def _members(bits: int, count: int) -> list[int]:
    """The positions of the ``count`` set bits, lowest first."""
    if count > _DENSE:
        # a byte a position (each bit plane of the bytes picked out by one translate),
        # then the positions of the ones, all in C
        raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        flags = bytearray(len(raw) * 8)
        for b, table in enumerate(_PLANES):
            flags[b::8] = raw.translate(table)
        return [m.start() for m in _ONE.finditer(flags)]
    size = (bits.bit_length() + 63) // 64
    words = array("Q", bits.to_bytes(size * 8, sys.byteorder))
    out: list[int] = []
    for k, w in enumerate(words):
        if w:
            base = k * 64
            while w:
                low = w & -w
                out.append(base + low.bit_length() - 1)
                w ^= low
    return out

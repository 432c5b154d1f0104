"""Did-you-mean for mistyped codes, and description search (rapidfuzz)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import _cache
from .._dates import coerce_date
from .._fuzzy import FuzzyCodes
from .._text import MAX_SUGGEST, MIN_SIMILARITY, limit_arg, query_arg
from ..codesystem import WEAK, SearchHit
from ..errors import InvalidFormat
from ._format import FAST_PATTERN, Icd10cmCode, clean, other_system
from ._store import ReleaseTable, Store, default_store

if TYPE_CHECKING:
    from ._results import DatedSearchResults

__all__ = ["SearchHit", "search", "suggest"]

#: Characters commonly typed (or OCR'd) for one another.
CONFUSIONS: dict[str, str] = {
    "O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B",
    "Z": "2", "2": "Z", "L": "1", "G": "6", "6": "G",
}


def _dotted(code: str) -> str:
    return Icd10cmCode(code[:3], code[3:6], code[6:]).dotted


def _variants(text: str) -> Iterator[tuple[int, str]]:
    """(cost, candidate) pairs: one character too many at the end (I10.0 for I10, J44.90
    for J44.9: the commonest slip, before any look-alike), confusions, transpositions,
    missing placeholder X, a character too many elsewhere."""
    code = text.replace(".", "")
    n = len(code)
    if n >= 4:
        yield 0, code[:-1]
    for i, ch in enumerate(code):
        alt = CONFUSIONS.get(ch)
        if alt:
            yield 1, code[:i] + alt + code[i + 1:]
    for i in range(n - 1):
        if code[i] != code[i + 1]:
            yield 1, code[:i] + code[i + 1] + code[i] + code[i + 2:]
    if 4 <= n <= 6:
        yield 1, code[:-1].ljust(6, "X") + code[-1]  # T78.40A -> T78.40XA
    for i, ch in enumerate(code):
        alt = CONFUSIONS.get(ch)
        if alt:
            for j in range(i + 1, n):
                alt2 = CONFUSIONS.get(code[j])
                if alt2:
                    yield 2, code[:i] + alt + code[i + 1:j] + alt2 + code[j + 1:]
    for i in range(n):
        yield 2, code[:i] + code[i + 1:]  # an extra character


class _Index:
    """Per (release, period) lists of billable codes and searchable texts, held by each
    store (a store a caller made and dropped takes its lists along)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: _cache.PerOwner[tuple[str, int], list[str]] = \
            _cache.PerOwner("icd10cm.suggest_codes", tables=True, max_entries=16)
        # the FuzzyCodes of every code the store knows (one), and per period the bit set
        # of its billable codes in that index (a few KB each; 18 periods today)
        self._fuzzy: _cache.PerOwner[str, FuzzyCodes] = \
            _cache.PerOwner("icd10cm.suggest_fuzzy", tables=True, max_entries=2)
        self._allowed: _cache.PerOwner[int, int] = \
            _cache.PerOwner("icd10cm.suggest_allowed", tables=True, max_entries=256)
        self._texts: _cache.PerOwner[tuple[str, int], tuple[list[str], list[str]]] = \
            _cache.PerOwner("icd10cm.suggest_index", tables=True, max_entries=4)
        # per (release, header) its default code (_search.default_code; "" for none):
        # reading the titles of S72's 2,466 codes takes ~10 ms, asked once
        self._defaults: _cache.PerOwner[tuple[str, str], str] = \
            _cache.PerOwner("icd10cm.suggest_defaults", tables=True, max_entries=4096)

    def billable(self, store: Store, rel: ReleaseTable, day: dt.date) -> list[str]:
        v = store.validity
        p = v.period(day)
        if p < 0:  # before ICD-10-CM: nothing is billable
            return []
        key = (rel.id, p)
        cache = self._codes.of(store)
        with self._lock:
            found = cache.get(key)
            if found is None:
                found = cache[key] = sorted(c for c, m in v.masks.items() if m >> p & 1)
            return found

    def fuzzy(self, store: Store, day: dt.date) -> tuple[FuzzyCodes, int]:
        """The did-you-mean index (:class:`~codekit._fuzzy.FuzzyCodes`) of every code the
        store knows, one per store, and the bit set of those billable on ``day``: one
        index serves every period (an index per period, 0.2 s to make, kept four at a
        time, was made again and again by a column of dates over ten years: 91 times,
        26 s, for 200,000 rows)."""
        v = store.validity
        p = v.period(day)
        cache = self._fuzzy.of(store)
        with self._lock:
            index = cache.get("index")
        if index is None:
            index = FuzzyCodes(sorted(v.masks))
            with self._lock:
                index = cache.setdefault("index", index)
        sets = self._allowed.of(store)
        with self._lock:
            allowed = sets.get(p)
        if allowed is None:
            masks = v.masks
            allowed = index.allowed(bool(masks[c] >> p & 1) for c in index.codes)
            with self._lock:
                allowed = sets.setdefault(p, allowed)
        return index, allowed

    def default(self, store: Store, rel: ReleaseTable, header: str) -> str | None:
        """The default code of ``header`` in ``rel`` (:func:`._search.default_code`, the
        one definition search uses too: R05 Cough -> R05.9, E11 -> E11.9), or None."""
        from ._search import default_code

        key = (rel.id, header)
        cache = self._defaults.of(store)
        with self._lock:
            found = cache.get(key)
        if found is None:
            found = default_code(rel, header) or ""
            with self._lock:
                cache[key] = found
        return found or None

    def texts(self, store: Store, rel: ReleaseTable, day: dt.date) -> tuple[list[str], list[str]]:
        v = store.validity
        p = v.period(day)
        key = (rel.id, p)
        codes = self.billable(store, rel, day)
        cache = self._texts.of(store)
        with self._lock:
            found = cache.get(key)
            if found is not None:
                return found
        texts: list[str] = []
        owners: list[str] = []
        billable = set(codes)
        for c in codes:
            i = rel.row(c)
            if i is not None:
                texts.append(rel.long_title(i))
                owners.append(c)
        tab = rel if rel.has_tabular else store.by_id.get(rel.notes_from or "")
        if tab is not None:
            for c in tab.codes:
                d = tab.details(c) if tab.has_tabular else {}
                for text, _refs in d.get("notes", {}).get("inclusionTerm", []):
                    # An inclusion term on a header points to its first billable code only
                    # when the header has exactly one; otherwise keep the header's own code.
                    if c in billable:
                        texts.append(text)
                        owners.append(c)
        with self._lock:
            cache[key] = (texts, owners)
        return texts, owners


_INDEX = _Index()


def suggest(code: object, *, on: object = None, limit: int = 5,
            store: Store | None = None) -> list[str]:
    """Valid billable codes (dotted) close to a mistyped ``code``, best first.

    Tries the code without its last character first (``I10.0``: I10), then the usual
    confusions (O/0, I/1, S/5, B/8, Z/2, swapped neighbours, missing placeholder X), then
    the children of a header, then fuzzy matches.

    >>> suggest("E11.6S", on="2025-06-01")[:1]
    ['E11.65']
    >>> suggest("T78.40A", on="2025-06-01")[:1]
    ['T78.40XA']
    >>> suggest("I10.0", on="2025-06-01")[:1]
    ['I10']
    """
    limit = limit_arg(limit)
    try:
        text = clean(code)
    except InvalidFormat:
        return []
    if len(text) > MAX_SUGGEST:  # no code is near such a text
        return []
    s = store or default_store()
    day = coerce_date(on)
    if len(text.replace(".", "").replace("-", "")) < 2:
        # one character tells nothing of a 3-7 character code: "0" got A09, A70, A90...
        return []
    v = s.validity
    p = v.period(day)
    if p < 0:  # before ICD-10-CM took effect: no code is valid, none to suggest
        return []
    rel, _ = s.release_for(day)
    # the answer depends on the date only through its validity period and the release in
    # force (a stream's typos recur on many days of one period): remembered per both
    key = (text, p, rel.id, limit) if s is default_store() else None
    if key is not None:
        found = _SUGGESTED.get(key)
        if found is not None:
            return list(found)
    out = _suggest(s, text, day, p, rel, limit)
    if key is not None:
        _SUGGESTED[key] = tuple(out)
    return out


#: (text, validity period, release, limit) -> the suggestions (default store only)
_SUGGESTED: dict[tuple[str, int, str, int], tuple[str, ...]] = _cache.owned(
    "icd10cm.suggested", {}, max_entries=1 << 14)


def _suggest(s: Store, text: str, day: dt.date, p: int, rel: ReleaseTable,
             limit: int) -> list[str]:
    """:func:`suggest` of a cleaned ``text`` on ``day`` (validity period ``p``, release
    ``rel`` in force)."""
    v = s.validity
    masks = v.masks
    text = written = text.replace("-", "")
    if "." in text and text.index(".") != 3:
        text = text.replace(".", "")
    plain = text.replace(".", "")
    if not plain[:1].isdigit() and other_system(written) is not None:
        # an ICD-9-CM E code with its dot (E885.9, a fall): no ICD-10-CM code is near it
        # (E85.89 is amyloidosis); the error says to convert it with a GEM/crosswalk
        return []
    out: list[str] = []

    def add(c: str) -> None:
        if c not in out and masks.get(c, 0) >> p & 1:
            out.append(c)

    if masks.get(plain, 0) >> p & 1:
        add(plain)
    if rel.row(plain) is not None:  # a header: its own codes come first, its default first
        default = _INDEX.default(s, rel, plain)  # R05: R05.9 (unspecified), E11: E11.9
        if default is not None:
            add(default)
        for c in rel.billable_descendants(plain):
            add(c)
            if len(out) >= limit:
                break
    if len(plain) > 7:  # too long: a code with more after it (E11.9123456: E11.9 first)
        for k in range(7, 2, -1):
            add(plain[:k])
    for _, cand in sorted(_variants(plain), key=lambda t: t[0]):
        if FAST_PATTERN.fullmatch(cand):
            add(cand)
    # Text that starts with a digit is an ICD-10-CM code only through a look-alike
    # (566829A: S66.829A, 20000: Z00.00; the variants above) or a dropped first letter
    # (14153D: S14.153D; the fuzzy match below). Neither is a code of another system (ICD-9
    # 401.9 is not G40.019, CPT 99213 not O99.213), and seven characters leave no room for
    # a dropped letter (0DTJ4ZZ, a PCS code, is not D46.Z): those get look-alikes only.
    fuzzy = not plain[:1].isdigit() or (len(plain) < 7 and other_system(plain) is None)
    if len(out) < limit and plain and fuzzy:
        index, allowed = _INDEX.fuzzy(s, day)
        for cand in index.extract(plain, limit=limit, cutoff=MIN_SIMILARITY, allowed=allowed):
            add(cand)
    return [_dotted(c) for c in out[:limit]]


def search(text: str, *, on: object = None, limit: int = 10,
           store: Store | None = None) -> DatedSearchResults:
    """Codes billable on ``on`` whose titles, inclusion terms or index-like notes match
    ``text`` (words, abbreviations such as ``htn``, lay terms such as ``heart attack``),
    best first, each with its confidence (see :class:`~codekit.codesystem.SearchHit`;
    ``results.good`` is False when none is a good match). When none is, the results also
    say which codes of other dates match well (``results.later``: valid only after ``on``,
    the concept had no code yet; ``results.earlier``: only before it; see
    :class:`~codekit.icd10cm.DatedSearchResults`).

    >>> [h.formatted for h in search("type 2 diabetes with hyperglycemia", on="2025-06-01")][:1]
    ['E11.65']
    >>> [(h.formatted, h.confidence) for h in search("htn", on="2025-06-01")][:1]
    [('I10', 1.0)]
    >>> search("quantum chromodynamics", on="2025-06-01").good
    False
    """
    text = query_arg(text)
    limit = limit_arg(limit)
    from ._codes import ICD10_START
    from ._details import release_note
    from ._results import DatedSearchResults
    from ._search import indexes_for, other_dates, slot_of

    s = store or default_store()
    day = coerce_date(on)
    v = s.validity
    p = v.period(day)
    masks = v.masks
    rel, _ = s.release_for(day)

    def valid(code: str) -> bool:
        return p >= 0 and bool(masks.get(code, 0) >> p & 1)

    best: dict[str, tuple[str, float]] = {}
    for index in indexes_for(s):
        found = index.search(text, accept=valid, limit=limit, slot=slot_of(index, s, rel))
        for code, matched, score in found:
            if code not in best or score > best[code][1]:
                best[code] = (matched, score)
    # by score; of codes as good, in the order the index gave them (a code the query as
    # written found before one a rewrite found: Index.search)
    ranked = sorted(best.items(), key=lambda kv: -round(kv[1][1], 6))[:limit]
    # what answered, and whether the data describes the date (as an entry's note says it)
    covered = ICD10_START <= day <= s.last_known
    # no good match on the date: do codes of other dates match? (the concept had no code
    # yet, or no more: docs/search.md); a good match on the date costs nothing more
    top = ranked[0][1][1] if ranked else 0.0
    later, earlier = other_dates(s, text, day, limit, top) if top < WEAK else (None, None)
    hits = DatedSearchResults(
        query=text, on=day, release=rel.id, later=later, earlier=earlier,
        note=None if covered else release_note(s, rel.id, rel.id, True, "", day))
    for code, (matched, score) in ranked:
        holder = rel if rel.row(code) is not None else next(
            (r for r in s.releases_by_distance(day) if r.row(code) is not None), None)
        i = holder.row(code) if holder is not None else None
        title = holder.long_title(i) if holder is not None and i is not None else matched
        hits.append(SearchHit(code, _dotted(code), title, matched, round(100 * score, 1),
                              round(score, 3)))
    return hits

"""ICD-10-PCS search: the titles of the codes valid on a date as word postings, and the
ranking.

An index is made on a store's first search of a period (a few tenths of a second) and
kept by the store (``icd10pcs.search_index``): for every word of the titles, the titles
holding it as one bit set (a Python integer, one bit a title). A query is answered from
those sets, never by reading the titles: its words (as written and as
:func:`codekit.icd10pcs._words.readings` reads them) split the titles that hold any of
them into classes that hold the same words, and only the best classes are looked into,
so a search costs about a millisecond whatever the query.

The score has the form of :mod:`codekit._search`'s (every other system's search):
``coverage² x (0.35 + 0.65 x precision)``, *coverage* the share of the query's words
(weighted by rarity, ``log(1 + titles / titles holding it)``) a title has, *precision*
the share of the title's words the query named; a word completed (``append``:
*Appendix*) or corrected (``pleurl``) counts less. PCS titles are made of the values of
their axes, so precision counts words, not their rarity: *Left* and *Right*, or
*Common*, *Internal* and *External*, weigh the same, and a query naming none of them
finds the plainer title first: fewer words (a word of the approach weighs a quarter:
see :class:`TitleIndex`), then the device more titles name (*with Synthetic
Substitute* before *with Articulating Spacer*), then the shorter title.

>>> from codekit.icd10pcs._store import default_store
>>> import datetime as dt
>>> codes, titles, ranked = rank(default_store(), dt.date(2025, 6, 1),
...                              "resection appendix percutaneous endoscopic", 1)
>>> [(codes[i], titles[i], round(score)) for i, score in ranked]
[('0DTJ4ZZ', 'Resection of Appendix, Percutaneous Endoscopic Approach', 94), \
('0DTJ8ZZ', 'Resection of Appendix, Via Natural or Artificial Opening Endoscopic', 71)]
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
import re
from array import array
from collections import Counter
from collections.abc import Sequence

from .. import _cache, _search
from .._dates import ICD10_START
from ..codesystem import WEAK, OtherDates, SearchHit, other_dates_of
from ._store import Store
from ._words import OPERATIONS, readings, spelled

__all__ = ["NOT_TITLE_WORDS", "TitleIndex", "index_for", "other_dates", "other_index",
           "query_words", "rank", "release_on"]

#: Words a query may say that tell nothing about a title (besides :data:`_search.STOP`):
#: nearly every title has them, or they join its parts.
STOP = frozenset(("with", "without", "via", "using"))
#: How much less each reading of a query after the first counts (``appendectomy``: a
#: resection before an excision of the same words).
READING_STEP = 0.002
#: What a word of a title's approach weighs in its precision (another word weighs 1).
APPROACH_WORD = 0.25
#: A word of a query this long or longer also stands for the words of titles that begin
#: as it does but for its last three letters (``anesthesia``: *Anesthetic*).
FAMILY = 8
#: What a word of a query that names a root operation (one of
#: :data:`~codekit.icd10pcs._words.OPERATIONS`, or a word it stands for: ``transplant``
#: for *Transplantation*) counts for, as a factor of a title's score, when the title says
#: it elsewhere than as its operation (*Fusion* of *Revision of Interbody Fusion Device in
#: Lumbar Vertebral Joint*, *Transplant* of *Ultrasonography of Kidney Transplant*) and
#: the query names not the title's own operation (its root operation, or the first word of
#: a title of no root operation: *Ultrasonography*): ``lumbar fusion`` is the Fusion of a
#: lumbar vertebral joint (0SG0-), not the revision of a fusion device; ``kidney
#: transplant`` the Transplantation of a kidney, not the imaging of a transplanted one
#: (``ultrasound kidney transplant`` names the imaging: BT49ZZZ).
OFF_OPERATION = 0.6
#: The most query words (the rarest first) that split the titles; a longer query (a page
#: of text) still counts every word in its coverage.
MAX_GROUPS = 12
#: A part of a title that names its approach.
_APPROACH = re.compile(r"(?:[^,]* Approach|Via Natural or Artificial Opening[^,]*|Open|"
                       r"External|Percutaneous(?: Endoscopic)?)")
_PAREN = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[a-z0-9]+")
#: Words of queries that no title says and that are read as no title word (not completed
#: nor corrected into one of another meaning): a line is a catheter (``arterial line``),
#: which titles name by its device, never a hip's *Liner*; an abscess (``i&d abscess``) is
#: no vascular *Access*. They still count in a title's coverage, as a word it misses.
NOT_TITLE_WORDS = frozenset(("line", "lines", "abscess", "abscesses"))
_NEW = (-1, False)  # a word not read yet
_NONE: frozenset[int] = frozenset()


class _Part:
    """A part of titles (see :class:`TitleIndex`), its words read as
    :func:`codekit._search.tokens` reads them, as word ids: words in parentheses and
    filler words are nonessential (``Computerized Tomography (CT Scan)``)."""

    __slots__ = ("approach", "device", "essential", "optional", "weight", "words")

    def __init__(self, text: str, word_id: dict[str, int],
                 token_of: dict[str, tuple[int, bool] | None], first: bool = False) -> None:
        ess: set[int] = set()
        opt: set[int] = set()
        low = text.lower()
        if "'" in low or "\u2019" in low:
            low = low.replace("'s", "").replace("\u2019s", "").replace("'", "")
        outer, inner = (_PAREN.sub(" ", low), " ".join(_PAREN.findall(low))) \
            if "(" in low else (low, "")
        for words, out in ((outer, ess), (inner, opt)):
            if not words:
                continue
            for raw in _WORD.findall(words):
                found = token_of.get(raw, _NEW)
                if found is _NEW:  # (a stop word is None)
                    tokens = [w for w in _search.tokens(raw) if w not in STOP]
                    found = token_of[raw] = (word_id.setdefault(tokens[0], len(word_id)),
                                             tokens[0] in _search.FILLER) if tokens else None
                if found is not None:
                    (opt if found[1] else out).add(found[0])
        self.essential = frozenset(ess)
        self.optional = frozenset(opt - ess) if opt else _NONE
        self.words = self.essential | self.optional if opt else self.essential
        #: the words of the approach the part names (essential words too)
        self.approach = _NONE
        if first:  # the operation and body part: no approach
            pass
        elif _APPROACH.fullmatch(text):
            self.approach = self.essential
        elif ", " in text:
            app: set[int] = set()
            for piece in text.split(", "):
                if _APPROACH.fullmatch(piece):
                    app |= _Part(piece, word_id, token_of).essential
            self.approach = frozenset(app)
        #: what its words weigh in a title's precision
        self.weight = len(ess) - (1 - APPROACH_WORD) * len(self.approach)
        #: the words after "with" (the device or substance: ``with Synthetic Substitute``)
        self.device = _NONE
        at = low.find(" with ") if " with " in low else -1
        if at >= 0:
            read = [token_of.get(raw) for raw in _WORD.findall(low[at + 6:].split(",")[0])]
            self.device = frozenset(f[0] for f in read if f is not None and not f[1])


class TitleIndex:
    """The titles of the codes valid in one period, as word postings (see the module
    doc). ``codes`` (sorted) and ``titles`` are parallel; the postings number titles by
    *rank*: by weight (what their essential words weigh), so that among titles holding
    the same query words a lower rank never scores less, then by length and code;
    ``position[rank]`` is the title's place in ``codes``.

    A word of a title's approach (``Percutaneous Endoscopic Approach``, ``Via Natural or
    Artificial Opening``) weighs :data:`APPROACH_WORD`: a query naming no approach finds
    the approach of fewest words first (open, external and percutaneous, the shortest
    first), then percutaneous endoscopic, then via natural or artificial opening.

    A title is read as two parts, its first (the operation and body part, ``Excision of
    Back Skin``) and the rest (``External Approach, Diagnostic``), each read once: the
    79,115 titles valid on 2025-11-03 have 29,534 first parts, 1,690 rests and 1,638
    words.
    """

    def __init__(self, codes: list[str], titles: list[str]) -> None:
        self.codes = codes
        self.titles = titles
        n = self.n = len(codes)
        word_id: dict[str, int] = {}
        token_of: dict[str, tuple[int, bool] | None] = {}
        part_no: dict[str, int] = {}
        parts: list[_Part] = []
        # the operation of each first part (see :func:`_operation`), by part, by its first
        # word (-2: one naming no root operation) and by its words before "of"
        part_op: dict[int, int] = {}
        first_op: dict[str, int] = {}
        head_op: dict[str, int] = {}
        firsts: list[int] = []
        rests: list[int] = []
        get = part_no.get
        for title in titles:
            first, _, rest = title.partition(", ")
            k = get(first)
            if k is None:
                k = part_no[first] = len(parts)
                parts.append(_Part(first, word_id, token_of, True))
                # (most begin with their root operation: read by their first word)
                head = first.partition(" ")[0]
                op = first_op.get(head)
                if op is None:
                    op = first_op[head] = _operation(head, token_of) \
                        if head.lower() in OPERATIONS else -2
                if op == -2:
                    head = first.partition(" of ")[0]
                    op = head_op.get(head)
                    if op is None:
                        op = head_op[head] = _operation(head, token_of)
                if op >= 0:
                    part_op[k] = op
            firsts.append(k)
            k = get(rest)
            if k is None:
                k = part_no[rest] = len(parts)
                parts.append(_Part(rest, word_id, token_of))
            rests.append(k)
        self.vocab = list(word_id)  # by word id
        self.word_id = word_id
        self.sorted_vocab = sorted(word_id)
        self._sorted_ids = [word_id[w] for w in self.sorted_vocab]
        # titles holding each word, and each title's weight: its parts', a word both
        # parts have counted once
        df = [0] * len(word_id)
        for k, c in (Counter(firsts) + Counter(rests)).items():
            for w in parts[k].words:
                df[w] += c
        weight = [parts[f].weight + parts[r].weight for f, r in zip(firsts, rests, strict=True)]
        for i in [i for i, (f, r) in enumerate(zip(firsts, rests, strict=True))
                  if parts[f].words & parts[r].words]:
            first_part, rest_part = parts[firsts[i]], parts[rests[i]]
            for w in first_part.words & rest_part.words:
                df[w] -= 1
            for w in first_part.essential & rest_part.essential:
                weight[i] -= APPROACH_WORD if w in first_part.approach else 1.0
        self.df = df
        # among titles of one weight, the device most titles name first (``with
        # Synthetic Substitute`` before ``with Articulating Spacer``), then the shorter
        idf = [math.log(1 + n / max(c, 1)) for c in df]
        device = [sum(idf[w] for w in parts[f].device | parts[r].device)
                  if parts[f].device or parts[r].device else 0.0
                  for f, r in zip(firsts, rests, strict=True)]
        keys = list(zip(weight, device, map(len, titles), codes, strict=True))
        order = sorted(range(n), key=keys.__getitem__)
        self.position = array("I", order)
        self.weight = array("d", (weight[i] for i in order))
        # the ranks of each part's titles, then each word's as one integer's bits
        ranks: list[list[int]] = [[] for _ in parts]
        for r, i in enumerate(order):
            ranks[firsts[i]].append(r)
            ranks[rests[i]].append(r)
        by_operation: dict[int, list[int]] = {}
        for k, op in part_op.items():
            by_operation.setdefault(op, []).extend(ranks[k])
        #: per word of a title's operation (see :func:`_operation`): the ranks of its titles
        #: (their bits are made on first need: :meth:`operation_bits`)
        self._by_operation = {w: array("I", rs) for w, rs in by_operation.items()}
        self._operation_bits: dict[int, int] = {}
        #: the word ids of the root operations (:data:`OPERATIONS`)
        self.root_operations = frozenset(word_id[w] for w in OPERATIONS if w in word_id)
        self._ranks = [array("I", rs) for rs in ranks]  # (a quarter of lists' memory)
        self._part_bits: dict[int, int] = {}  # a part shared by many titles -> its bits
        #: per word: the parts holding it (its bits are made on first need: :meth:`bits`)
        self._parts_of: list[list[int]] = [[] for _ in word_id]
        self._bits: list[int | None] = [None] * len(word_id)
        #: per word of an approach: the ranks of the titles whose approach it names
        self.approach_bits: dict[int, int] = {}
        #: per word: the ranks of the titles holding it only as a nonessential word
        self.optional: dict[int, set[int]] = {}
        for k, part in enumerate(parts):
            for w in part.words:
                self._parts_of[w].append(k)
            for w in part.approach:
                self.approach_bits[w] = self.approach_bits.get(w, 0) | self._bits_of_part(k)
            for w in part.optional:
                self.optional.setdefault(w, set()).update(ranks[k])
        for w, rs in list(self.optional.items()):  # essential in the title's other part
            rs -= {r for r in rs if w in parts[firsts[order[r]]].essential
                   or w in parts[rests[order[r]]].essential}
            if not rs:
                del self.optional[w]

    def _bits_of_part(self, k: int) -> int:
        found = self._part_bits.get(k)
        if found is None:
            found = self._part_bits[k] = _bitset(self._ranks[k])
        return found

    def operation_bits(self, w: int) -> int:
        """The ranks of the titles whose operation is word ``w`` (0 for none), as one
        integer's bits."""
        found = self._operation_bits.get(w)
        if found is None:
            ranks = self._by_operation.get(w)
            found = self._operation_bits[w] = _bitset(ranks) if ranks is not None else 0
        return found

    def bits(self, w: int) -> int:
        """The ranks of the titles holding word ``w``, as one integer's bits."""
        found = self._bits[w]
        if found is None:
            found = 0
            few: list[int] = []
            for k in self._parts_of[w]:
                if len(self._ranks[k]) > 64:  # shared by many titles: its bits kept
                    found |= self._bits_of_part(k)
                else:
                    few += self._ranks[k]
            found |= _bitset(few)
            self._bits[w] = found
        return found

    def alternatives(self, token: str) -> list[tuple[int, float]]:
        """(word id, weight) a query word stands for: itself (and, for a long word, its
        family: see :data:`FAMILY`), else the words of titles it begins (``append``:
        *appendix*, the nearest in length first), else close spellings (one edit in a
        word of five letters or less, two in a longer one)."""
        vocab, ids = self.sorted_vocab, self._sorted_ids
        w = self.word_id.get(token)
        if w is not None:
            if len(token) < FAMILY:
                return [(w, 1.0)]
            # a long word: also the words of its family (anesthesia: anesthetic)
            stem = token[:len(token) - 3]
            i = bisect.bisect_left(vocab, stem)
            out = [(w, 1.0)]
            while i < len(vocab) and vocab[i].startswith(stem) and len(out) < 4:
                if ids[i] != w:
                    out.append((ids[i], 0.8))
                i += 1
            return out
        if len(token) < 4 or token.isdigit() or token in NOT_TITLE_WORDS:
            return []
        out = []
        i = bisect.bisect_left(vocab, token)
        while i < len(vocab) and vocab[i].startswith(token) and len(out) < 40:
            out.append((ids[i], 0.9 - 0.005 * min(len(vocab[i]) - len(token), 10)))
            i += 1
        if out:
            out.sort(key=lambda t: (-t[1], -self.df[t[0]]))
            return out[:6]
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        cutoff = 1 if len(token) <= 5 else 2
        for _, dist, j in process.extract(token, self.sorted_vocab,
                                          scorer=Levenshtein.distance, score_cutoff=cutoff,
                                          limit=3):
            out.append((ids[j], 0.85 if dist <= 1 else 0.7))
        return out

    def top(self, words: list[str], k: int) -> list[tuple[float, int]]:
        """The best ``k`` titles for ``words`` (query words, stemmed), as (score 0-1,
        rank), best first."""
        groups: list[tuple[float, list[tuple[int, float]]]] = []
        for t in dict.fromkeys(words):
            alts = self.alternatives(t)
            df = sum(self.df[w] for w, _ in alts)
            groups.append((math.log(1 + self.n / max(df, 1)), alts))
        total = sum(g[0] for g in groups)
        used = sorted((g for g in groups if g[1]), key=lambda g: -g[0])[:MAX_GROUPS]
        if total <= 0 or not used:
            return []
        # the titles holding any word, split into classes by the words they hold (and by
        # whether a word is one of their approach): (bits, {group: (word, penalty,
        # the word's weight in the title)}); a class's titles differ only by weight
        universe = 0
        roots = self.root_operations
        naming = set()  # the groups naming a root operation
        for g, (_, alts) in enumerate(used):
            for w, _ in alts:
                universe |= self.bits(w)
                if w in roots:
                    naming.add(g)
        unnamed = 0  # the titles of an operation the query names not (when it names one)
        if naming:
            named = 0
            for _, alts in used:
                for w, _ in alts:
                    if w in self._by_operation:
                        named |= self.operation_bits(w)
            unnamed = ~named
        classes: list[tuple[int, dict[int, tuple[int, float, float]]]] = [(universe, {})]
        for g, (_, alts) in enumerate(used):
            for w, pen in alts:
                b = self.bits(w)
                app = self.approach_bits.get(w, 0)
                # a root operation's word in titles of an operation the query names not
                off = b & unnamed if g in naming else 0
                split: list[tuple[int, dict[int, tuple[int, float, float]]]] = []
                for bits, held in classes:
                    inside = 0 if g in held else bits & b  # (one word of a group counts)
                    if not inside:
                        split.append((bits, held))
                        continue
                    if off and inside & off:
                        split.append((inside & off, {**held, g: (w, pen * OFF_OPERATION, 1.0)}))
                        if inside != bits:
                            split.append((bits ^ inside, held))
                        inside ^= inside & off
                        if not inside:
                            continue
                        bits = inside
                    as_app = inside & app
                    if as_app:
                        split.append((as_app, {**held, g: (w, pen, APPROACH_WORD)}))
                    if as_app != inside:
                        split.append((inside ^ as_app, {**held, g: (w, pen, 1.0)}))
                    if inside != bits:
                        split.append((bits ^ inside, held))
                classes = split
        scored = []
        for bits, held in classes:
            cover = sum(used[g][0] for g in held) / total
            pen = math.prod(p for _, p, _ in held.values())
            scored.append((cover, cover * cover * pen, bits, list(held.values())))
        floor = max(c for c, _, _, _ in scored) * 0.5
        scored.sort(key=lambda t: -t[1])
        heap: list[tuple[float, int]] = []  # (score, -rank): the worst kept on top
        weight, optional = self.weight, self.optional
        for cover, head, bits, matched in scored:
            if cover < floor:
                continue
            if len(heap) >= k and head < heap[0][0]:
                break  # no title of this class or a later one scores more
            full = sum(x for _, _, x in matched)
            rare = [(x, optional[w]) for w, _, x in matched if w in optional]
            while bits:
                low = bits & -bits
                r = low.bit_length() - 1
                bits ^= low
                dw = weight[r]
                m = full - sum(x for x, ranks in rare if r in ranks) if rare else full
                score = head * (0.35 + 0.65 * (min(m / dw, 1.0) if dw > 0 else 1.0))
                item = (score, -r)
                if len(heap) < k:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
                elif not rare:
                    break  # later ranks weigh more and lose a tie: none of them is better
        return [(score, -neg) for score, neg in sorted(heap, reverse=True)]


def _operation(head: str, token_of: dict[str, tuple[int, bool] | None]) -> int:
    """The word id of what a title whose first part begins with ``head`` (its words
    before "of") says is done: its root operation (the first word naming one: *Manual
    Extraction*), else its first word (*Ultrasonography*); -1 when none."""
    words = _WORD.findall(head.lower())
    op = next((w for w in words if w in OPERATIONS), words[0] if words else None)
    found = token_of.get(op) if op is not None else None
    return found[0] if found is not None and found is not _NEW else -1


def _bitset(ranks: Sequence[int]) -> int:
    """The integer whose bits are ``ranks``."""
    if not ranks:
        return 0
    raw = bytearray((max(ranks) >> 3) + 1)
    for r in ranks:
        raw[r >> 3] |= 1 << (r & 7)
    return int.from_bytes(raw, "little")


def _titles(s: Store, day: dt.date, codes: list[str]) -> tuple[list[str], list[str]]:
    """The codes of ``codes`` with a title on ``day`` and those titles (of the user
    release covering ``day``, else of its fiscal year's order file, or the nearest
    year's), as :func:`codekit.icd10pcs.lookup` gives them."""
    user = s.user_release_for(day)
    t = s.titles
    year = t.year_for(day)
    k = t.years.index(year)
    t.row("")  # loaded
    rows, masks, variants = t.index, t.year_masks, t.variants
    latest = list(t.long)
    out_codes: list[str] = []
    out_titles: list[str] = []
    for c in codes:
        title: str | None = None
        if user is not None:
            found = user.titles(c)
            title = found[0] if found is not None else None
        if title is None:
            i = rows.get(c)
            if i is None:
                continue
            if masks[i] >> k & 1 and c not in variants:
                title = latest[i]
            else:
                held = t.titles(c, year)
                title = held[0] if held is not None else None
        if title:
            out_codes.append(c)
            out_titles.append(title)
    return out_codes, out_titles


#: per store: (period, fiscal year of the titles, user release) -> its index
_BY: _cache.PerOwner[tuple[int, int, str | None], TitleIndex] = \
    _cache.PerOwner("icd10pcs.search_index", tables=True, max_entries=8)


def index_for(s: Store, day: dt.date) -> TitleIndex:
    """The index of the codes valid on ``day`` (made on first use, kept by ``s``)."""
    p = s.validity.period(day) if day >= ICD10_START else -1
    user = s.user_release_for(day)
    key = (p, s.titles.year_for(day), None if user is None else user.id)
    by = _BY.of(s)
    found = by.get(key)
    if found is None:
        found = by[key] = TitleIndex(*_titles(s, day, s.valid_list(p)))
    return found


def query_words(reading: str) -> list[str]:
    """The words of a reading of a query that are searched (stemmed; no stop words, no
    single letters).

    >>> query_words("drainage of the pleural cavities with a tube")
    ['drainage', 'pleural', 'cavity', 'tube']
    """
    return [w for w in _search.tokens(reading) if len(w) > 1 and w not in STOP]


def rank(s: Store, day: dt.date, text: str,
         limit: int) -> tuple[list[str], list[str], list[tuple[int, float]]]:
    """(codes, titles, ranked) for a search of ``text`` on ``day``: the codes valid then
    with a title (sorted) and their titles, and the best ``limit`` + 1 of them as
    (position in ``codes``, score 0-100), best first. Each reading of the query
    (:func:`~codekit.icd10pcs._words.readings`) is searched; a title's score is its best
    reading's."""
    index = index_for(s, day)
    return index.codes, index.titles, _ranked(index, text, limit)


def _ranked(index: TitleIndex, text: str, limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` + 1 titles of ``index`` for ``text`` as (position in
    ``index.codes``, score 0-100), best first (see :func:`rank`)."""
    from rapidfuzz import utils

    best: dict[int, float] = {}  # rank -> its best score over the readings
    query = spelled(utils.default_process(_search.fold(text)), index.word_id)
    for n, reading in enumerate(readings(query)):
        words = query_words(reading)
        if not words:
            continue
        for score, r in index.top(words, limit + 1):
            score *= 1 - READING_STEP * n  # an earlier reading wins a tie
            if score > best.get(r, -1.0):
                best[r] = score
    ranked = sorted(best.items(), key=lambda t: (-t[1], t[0]))[:limit + 1]
    pos = index.position
    return [(pos[r], sc * 100) for r, sc in ranked]


# -- codes of other dates: a search of the date found no good match ----------------------

#: per store: period -> the index of the codes valid in some other period
_OTHER: _cache.PerOwner[int, TitleIndex] = \
    _cache.PerOwner("icd10pcs.search_other", tables=True, max_entries=4)


def other_index(s: Store, p: int) -> TitleIndex:
    """The titles of the codes not valid in period ``p`` but valid in another (3,252 to
    10,353 titles, the bundled periods; made on first use in 25-100 ms, kept by ``s``),
    each code with its title of the order file nearest the period (or of the user release
    that makes it valid)."""
    by = _OTHER.of(s)
    found = by.get(p)
    if found is not None:
        return found
    v = s.validity
    codes = sorted(c for c, m in v.masks.items() if m and not m >> p & 1)
    t = s.titles
    year = t.year_for(v.periods[p])
    out_codes: list[str] = []
    out_titles: list[str] = []
    for c in codes:
        held = t.titles(c, year)
        title = held[0] if held is not None else next(
            (u[0] for u in (r.titles(c) for r in reversed(s.user)) if u is not None), None)
        if title:
            out_codes.append(c)
            out_titles.append(title)
    found = by[p] = TitleIndex(out_codes, out_titles)
    return found


def other_dates(s: Store, text: str, code: str, day: dt.date, limit: int, best: float
                ) -> tuple[OtherDates | None, OtherDates | None]:
    """(later, earlier): the codes not valid on ``day`` whose titles match ``text`` well
    (confidence at least :data:`~codekit.codesystem.WEAK` and above ``best``, the date's
    best hit; ``code``, the query read as a code, first with 1.0), split by whether they
    are valid after ``day`` or were before it, as ICD-10-CM's search says them
    (:func:`codekit.icd10cm._search.other_dates`). Run only when the date's own search
    found no good match, and only for a date in ICD-10-PCS (2015-10-01 on)."""
    v = s.validity
    if day < ICD10_START or v.broken:  # before ICD-10-PCS (the note says so); dates unknown
        return None, None
    p = v.period(day)
    index = other_index(s, p)
    found: dict[str, tuple[float, str]] = {}  # code -> (confidence, the text matched)
    i = bisect.bisect_left(index.codes, code) if code else 0
    if code and i < len(index.codes) and index.codes[i] == code:
        found[code] = (1.0, code)
    for i, score in _ranked(index, text, limit):
        c, conf = index.codes[i], round(score / 100, 3)
        if conf >= WEAK and conf > best and c not in found:
            found[c] = (conf, index.titles[i])

    def hit(c: str, conf: float, matched: str, on: dt.date) -> SearchHit:
        return SearchHit(c, c, _title_on(s, c, on) or matched, matched, round(100 * conf, 1),
                         conf)

    return other_dates_of(((c, conf, matched) for c, (conf, matched)
                           in list(found.items())[:limit]), day, v.ranges, hit,
                          lambda on: release_on(s, on))


def release_on(s: Store, day: dt.date) -> str:
    """The release that answers for ``day``, as entries and searches name it."""
    user = s.user_release_for(day)
    return user.id if user is not None else f"FY{s.titles.year_for(day)}"


def _title_on(s: Store, code: str, day: dt.date) -> str | None:
    """The long title of ``code`` on ``day``, as its entry gives it (the user release
    covering ``day``, else the order file of its fiscal year or the nearest)."""
    from ._codes import _release_and_title  # (it imports this module)

    return _release_and_title(s, code, day)[1]

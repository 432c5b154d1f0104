"""ICD-10-CM search: the documents of the search index, and the index by data store.

The index (``data/icd10cm/search.ckt``, :mod:`codekit._search` format) is built with the
data (``python -m codekit.build search``) from the release tables: every code that was
ever billable, with

- its long title in each release (every distinct title of the code, each on the releases
  that have it: 1,008 older titles of 1,000 codes, FY2016-FY2027) and its own inclusion
  terms and "includes" notes (from each bundled tabular that has the code);
- the title, inclusion terms and "includes" notes of each header of each tabular,
  pointing to the header's *default* code (:func:`default_code`): the billable
  descendant a coder assigns when nothing more is said -- the one whose inclusion term
  is the header's title with "NOS", else the one that says no more than the header but
  the classification's default wording, "unspecified", "without complications", "not
  having achieved remission", "initial encounter" (``E11`` -> ``E11.9``, ``C90.0`` ->
  ``C90.00``, ``W54.0`` -> ``W54.0XXA``), when there is one and only one;
- each Excludes1/Excludes2 note that names exactly one code or header: the note's words
  point to that code ("diarrhea NOS (R19.7)" -> R19.7);
- a history code's "Conditions classifiable to ..." as the history of each category it
  names, in the code's title's words (:func:`_classifiable`: Z85.038 "Personal history of
  malignant neoplasm of colon"; a header's for its default code, when no code below it
  names categories of its own).

A query is read as a clinical one (:data:`codekit._search.CLINICAL`: "history of",
"status post", sides, the kinds a text names).

**Dates.** Every text is held with the releases (the index's *slots*, in
``meta["releases"]``) whose dates it may answer for, and a search on a date matches only
the texts of the release in force then (:func:`slot_of`): never words the classification
did not have on the date, as far as the bundled data can say.

- A title answers for the releases whose order file gives it (G31.83 is "Dementia with
  Lewy bodies" through FY2022-04, "Neurocognitive disorder with Lewy bodies" from
  FY2023).
- A tabular text (an inclusion term, an "includes" note, a header's words, an Excludes
  note's words) answers for the releases from the one after the previous bundled
  tabular's release through the one before the next tabular's release
  (:func:`tabular_slots`): codekit bundles the tabulars of January 2021 (FY2021-01),
  April 2025 (FY2025-04) and FY2026 (CDC's April 2026 file), so on a date a text is
  matched when a tabular between the last one in force on or before the date and the
  first one in force on or after it (the date's *bracket*) has it. On a date a tabular is
  in force for, only that tabular's texts match. The rule is coarse between tabulars:
  a term first seen in the April 2025 tabular ("COVID-19 associated coagulopathy" under
  D68.8) is matched on every date after the January 2021 tabular's release
  (2021-10-01 on), as codekit cannot tell when between the two it came, and a term the
  April 2025 tabular dropped is matched until that tabular's release; before the first
  tabular (2015-10-01 to 2020-12-31) the January 2021 texts answer, as no older
  tabular is bundled (the codes' own validity still limits what is found: U07.1 and its
  terms from 2020-04-01).
- A word known only from texts of other releases is read as an unknown word on the date
  (completed or corrected: "hypercarotinemia", E67.1's title until FY2018, is corrected
  to "hypercarotenemia" on later dates).

A data store without the file (a folder of your own), or with one written before the
texts were dated, gets its index built in memory on first search (a few seconds). Codes of
releases the user added (``codekit data add``) that the bundled index does not have are
indexed in memory on first search (their texts on every date: their codes' validity
decides); a date of a user's release is answered with the texts of the newest bundled
release effective on or before it.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import _artifact, _cache, _search
from ..codesystem import WEAK, SearchHit, other_dates_of
from ._details import dotted
from ._results import DatedSearchResults, OtherDates
from ._store import ReleaseTable, Store

__all__ = ["FILE", "DatedSearchResults", "OtherDates", "default_code", "documents",
           "index_for", "indexes_for", "other_dates", "pack_search", "slot_of",
           "tabular_slots"]

FILE = "search.ckt"
_REF_TEXT = re.compile(r"\s*\([^()]*\b[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z-]*)?[^()]*\)")


#: The classification's default, as its titles write it out: what a code says when nothing
#: more was said ("without complications", "not having achieved remission", "not specified
#: as recurrent", "initial encounter for closed fracture": a fracture not said to be open
#: is closed, one not said to be nondisplaced is displaced, a poisoning of unknown intent
#: is accidental). Not "not elsewhere classified": that is the "other" code of a category.
_DEFAULT_WORDING = re.compile("|".join((
    r"\bnot having achieved remission\b", r"\bnot in remission\b",
    r"\bnot specified as [a-z]+", r"\bnot intractable\b", r"\bnot applicable or unspecified\b",
    r"\binitial encounter for (?:closed )?fracture\b", r"\binitial encounter\b",
    r"\baccidental_unintentional\b", r"\bwith unspecified severity\b",
    r"\bwithout [^,]*?(?=,| with | without | in | not |$)",  # "without coma", not "in remission"
    r"\bin pregnancy\b",  # "Diabetes, gestational (in pregnancy)"
    r"\bunspecified (?:whether|as to) [^,]*",  # "unspecified as to partial or complete"
    r",(?: [a-z]+){1,3} unspecified(?=,|$)",  # ", organ involvement unspecified"
    r"\bdisplaced\b", r"\bcomplete(?= traumatic amputation)", r"\buncomplicated\b",
    r"\bnos\b")))
#: "unspecified" and the words it leaves unspecified ("unspecified ear", "unspecified
#: lacrimal passage"), never a side or a with/without phrase.
_UNSPECIFIED = re.compile(
    r"\bunspecified(?: (?!with\b|without\b|unspecified\b|right\b|left\b|bilateral\b)[a-z]+){0,2}")
_NOS = re.compile(r"\bnos\b")
_PAREN = re.compile(r"\([^()]*\)")
_BRACKET = re.compile(r"\[[^\[\]]*\]")
#: Header words a default code need not repeat.
_GENERIC = _search.FILLER | {"other", "with", "or", "related", "not"}


def _lower(title: str) -> str:
    return title.lower().replace("accidental (unintentional)", "accidental_unintentional")


def _essential(text: str) -> frozenset[str]:
    return frozenset(_search.tokens(_PAREN.sub(" ", text)))


def _depth(code: str) -> int:
    return len(code.replace("X", ""))


def _nearest(found: list[str]) -> str | None:
    """The one code of ``found`` nearest the header; None when two are as near."""
    found = sorted(set(found), key=_depth)
    if not found or (len(found) > 1 and _depth(found[1]) == _depth(found[0])):
        return None
    return found[0]


def _named_nos(rel: ReleaseTable, kids: list[str], title: str) -> str | None:
    """The descendant whose inclusion term is the header's title with "NOS": the
    classification's own default (C90.00 "Multiple myeloma NOS" under C90.0 "Multiple
    myeloma", B37.31 "Candidiasis of vulva and vagina NOS")."""
    want = _essential(title.lower())
    found = []
    for k in kids:
        for text, _refs in rel.details(k).get("notes", {}).get("inclusionTerm", []):
            low = text.lower()
            if _NOS.search(low) and _essential(_NOS.sub(" ", low)) == want:
                found.append(k)
    return _nearest(found)


def _says_no_more(kid_title: str, header_title: str) -> tuple[int, int, int] | None:
    """How a descendant's title says no more than its header's but the default wording:
    (0 if it says "unspecified"/"NOS" else 1, words left once the default wording is
    taken out, -number of default phrases); None when it says more (a "with", "other",
    a site, a subtype...) or leaves a word of the header out."""
    head_text = _lower(header_title)
    text = _PAREN.sub(" ", _lower(kid_title))
    unspecified = "unspecified" in text or bool(_NOS.search(text))
    found = 0

    def take(m: re.Match[str]) -> str:
        nonlocal found
        if m.group(0).strip(" ,") in head_text:  # the header's own words ("aura without
            return m.group(0)                   # cerebral infarction") are no default
        found += 1
        return " "

    text = _DEFAULT_WORDING.sub(take, text)
    head = Counter(_search.tokens(head_text))
    if _essential(_BRACKET.sub(" ", head_text)) - _GENERIC - set(_search.tokens(text)):
        return None  # a header word the descendant leaves out: a part of the header
    skip = {"or", "affecting"}
    if [w for w in (Counter(_search.tokens(_UNSPECIFIED.sub(" ", text))) - head).elements()
            if w not in skip]:
        return None
    left = [w for w in (Counter(_search.tokens(text.replace("unspecified", " "))) -
                        head).elements() if w not in skip | {"site", "organism"}]
    return 0 if unspecified else 1, len(left), -(found + text.count("unspecified"))


def default_code(rel: ReleaseTable, header: str, *,
                 memo: dict[tuple[str, str], tuple[int, int, int] | None] | None = None
                 ) -> str | None:
    """The billable descendant of ``header`` a coder assigns when nothing more is said:
    the one whose inclusion term is the header's title with "NOS"; else the nearest whose
    title says nothing the header does not but the classification's default wording
    ("unspecified", "without ...", "not having achieved remission", "not specified as
    recurrent", "initial encounter for closed fracture"...); None when there is none, or
    two are as good (better no default than a wrong one).

    >>> from codekit.icd10cm._store import default_store
    >>> rel = default_store().release("FY2026")
    >>> [default_code(rel, h) for h in ("E11", "E10", "I21", "W540", "S022")]
    ['E119', 'E109', 'I219', 'W540XXA', 'S022XXA']
    >>> [default_code(rel, h) for h in ("E050", "C900", "A047", "B373", "G435")]
    ['E0500', 'C9000', 'A0472', 'B3731', 'G43509']
    >>> default_code(rel, "R11") is None  # nausea and vomiting: no kid says just that
    True

    ``memo`` keeps what each (descendant title, header title) pair says, for a caller
    asking of many tabulars (the index build: most titles are those of every year).
    """
    kids = rel.billable_descendants(header)
    if len(kids) == 1:
        return kids[0]
    i = rel.row(header)
    if i is None or not kids:
        return None
    title = rel.long_title(i)
    named = _named_nos(rel, kids, title)
    if named is not None:
        return named
    ranked = []
    for k in kids:
        j = rel.row(k)
        if j is None:
            continue
        if memo is None:
            how = _says_no_more(rel.long_title(j), title)
        else:
            pair = (rel.long_title(j), title)
            how = memo[pair] if pair in memo else memo.setdefault(pair, _says_no_more(*pair))
        if how is not None:
            ranked.append(((_depth(k), *how), k))
    ranked.sort()
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def _ref_target(tab: ReleaseTable, ref: str, default: Callable[[str], str | None]
                ) -> str | None:
    if ref.endswith("-") and "-" not in ref[:-1]:
        node = ref[:-1]
    elif "-" in ref:
        return None  # a range
    else:
        node = ref
    i = tab.row(node)
    if i is None:
        return None
    return node if tab.is_billable_row(i) else default(node)


def _tabular_documents(tab: ReleaseTable, codes: list[str],
                       memo: dict[tuple[str, str], tuple[int, int, int] | None]
                       ) -> Iterator[tuple[str, str, int]]:
    """The documents one tabular gives: the inclusion terms and "includes" notes of
    ``codes`` (those it has), then its headers' and Excludes notes' (module doc)."""
    defaults: dict[str, str | None] = {}

    def default(header: str) -> str | None:
        if header not in defaults:
            defaults[header] = default_code(tab, header, memo=memo)
        return defaults[header]

    for code in codes:
        if tab.row(code) is None:
            continue
        notes = tab.details(code).get("notes", {})
        for kind in ("inclusionTerm", "includes"):
            for text, refs in notes.get(kind, []):
                yield code, text, _search.INCLUSION
                for words in _classifiable(tab, code, text, refs):
                    yield code, words, _search.CLASSIFIABLE
    classified = {c[:k] for c in codes if tab.row(c) is not None
                  and any(_CLASSIFIABLE.match(text) for text, _ in
                          tab.details(c).get("notes", {}).get("inclusionTerm", []))
                  for k in range(3, len(c))}  # headers above a code with its own
    for code in tab.codes:
        i = tab.row(code)
        assert i is not None
        notes = tab.details(code).get("notes", {})
        if not tab.is_billable_row(i):
            target = default(code)
            if target is not None:
                yield target, tab.long_title(i), _search.HEADER
                for kind in ("inclusionTerm", "includes"):
                    for text, refs in notes.get(kind, []):
                        yield target, text, _search.HEADER
                        if code not in classified:
                            for words in _classifiable(tab, code, text, refs):
                                yield target, words, _search.CLASSIFIABLE
        for kind in ("excludes1", "excludes2"):
            for text, refs in notes.get(kind, []):
                if len(refs) != 1 or not isinstance(refs[0], str) or \
                        text.rstrip().endswith(":"):
                    continue
                target = _ref_target(tab, refs[0], default)
                words = _REF_TEXT.sub("", text).strip(" ,;")
                if target is not None and words:
                    yield target, words, _search.EXCLUDES_REF


#: A history code's inclusion term naming the codes of the conditions it is the history of
#: (Z85.038 "Conditions classifiable to C18"; Z86.32 "Personal history of conditions
#: classifiable to O24.4-"), and the history its title says.
_CLASSIFIABLE = re.compile(r"(?i)(?:[a-z ]*history of )?conditions classifiable to ")
_HISTORY_OF = re.compile(r"(?i)^(?:personal |family )?history of\b")


def _classifiable(tab: ReleaseTable, code: str, text: str, refs: list[Any]) -> Iterator[str]:
    """The texts a history code's "Conditions classifiable to C18" stands for: its title's
    history ("Personal history of", "Family history of") with the title of each category
    (or code) the note names: Z85.038 "Personal history of malignant neoplasm of colon",
    Z80.0 "Family history of malignant neoplasm of colon" (C15-C26), the history the
    Index lists under "History, personal" and "History, family" by condition.

    >>> from codekit.icd10cm._store import default_store
    >>> tab = default_store().release("FY2026")
    >>> list(_classifiable(tab, "Z85038", "Conditions classifiable to C18", ["C18"]))
    ['Personal history of malignant neoplasm of colon']
    """
    i = tab.row(code)
    head = _HISTORY_OF.match(tab.long_title(i)) if i is not None else None
    if head is None or not _CLASSIFIABLE.match(text):
        return
    for ref in refs:
        if not isinstance(ref, str):
            continue
        first, _, last = ref.rstrip("-").partition("-")
        nodes = [first] if not last else [
            c for c in tab.codes if len(c) == len(first) and first <= c <= last]
        for node in nodes:
            j = tab.row(node)
            if j is None:
                continue
            title = tab.long_title(j)
            # each name of the title its own text: "Thyrotoxicosis [hyperthyroidism]" is
            # the history of thyrotoxicosis and of hyperthyroidism (a bracket left in
            # would be a text of its own, without the history)
            for name in (_BRACKET.sub(" ", title), *_BRACKET.findall(title)):
                name = " ".join(name.split()).strip("[] ")
                if name:
                    yield f"{head.group(0)} {name[:1].lower()}{name[1:]}"


def tabular_slots(store: Store) -> list[tuple[ReleaseTable, int, int]]:
    """Per tabular of ``store`` (oldest first): (the tabular, the first and the last
    position in ``store.releases`` of the releases its text may answer for: see the
    module doc)."""
    releases = store.releases
    tabulars = [r for r in releases if r.has_tabular]
    out = []
    for k, tab in enumerate(tabulars):
        after = tabulars[k + 1] if k + 1 < len(tabulars) else None
        before = tabulars[k - 1] if k else None
        # from the first release after the previous tabular's, through the last one
        # before the next tabular's (every release, before the first and after the last)
        first = 0 if before is None else releases.index(before) + 1
        last = len(releases) - 1 if after is None else releases.index(after) - 1
        out.append((tab, first, last))
    return out


def documents(store: Store) -> Iterator[tuple[str, str, int, int]]:
    """The (code, text, source, release bits) documents of the search index (see the
    module doc): bit *i* set when the text is the code's in ``store.releases[i]``."""
    releases = store.releases
    every = (1 << len(releases)) - 1
    spans = tabular_slots(store)
    billable = sorted(store.validity.masks)
    # per tabular text (code, text, source): the releases whose dates it may answer for
    terms: dict[tuple[str, str, int], int] = {}
    order: list[tuple[str, str, int]] = []
    memo: dict[tuple[str, str], tuple[int, int, int] | None] = {}
    for tab, first, last in reversed(spans):  # newest first: its order wins
        bits = ((1 << (last + 1)) - 1) & ~((1 << first) - 1)
        for doc in _tabular_documents(tab, billable, memo):
            if doc not in terms:
                order.append(doc)
                terms[doc] = 0
            terms[doc] |= bits
    own: dict[str, list[tuple[str, str, int]]] = {}
    rest = []
    for doc in order:
        if doc[2] == _search.INCLUSION:
            own.setdefault(doc[0], []).append(doc)
        else:
            rest.append(doc)
    for code in billable:
        titles: dict[str, int] = {}
        for k in range(len(releases) - 1, -1, -1):  # newest first
            i = releases[k].row(code)
            if i is not None:
                title = releases[k].long_title(i)
                titles[title] = titles.get(title, 0) | 1 << k
        if not titles:
            continue
        newest = next(iter(titles))
        present = 0
        for bits in titles.values():
            present |= bits
        titles[newest] |= every & ~present  # a release without the code: the newest title
        for title, bits in titles.items():
            yield code, title, _search.TITLE, bits
        for doc in own.get(code, ()):
            yield (*doc, terms[doc])
    for doc in rest:
        yield (*doc, terms[doc])


def pack_search(store: Store) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The search index of ``store`` as (meta, sections) (the data build writes it)."""
    releases = [r.id for r in store.releases]
    return _search.pack_index(documents(store), slots=len(releases), meta={
        "system": "icd10cm", "releases": releases,
        "tabulars": [tab.id for tab, _, _ in tabular_slots(store)],
        "tabular": next((r.id for r in reversed(store.releases) if r.has_tabular), None)})


def slot_of(index: _search.Index, store: Store, rel: ReleaseTable) -> int | None:
    """The slot of ``index`` answering for the dates of ``rel`` (the release in force on
    a date, :meth:`Store.release_for`): its position in the releases the index was built
    from (for a release the index does not know, such as one the user added, the newest
    it knows effective on or before it); None for an index without slots."""
    ids = index.meta.get("releases")
    if not index.slots or not ids:
        return None
    if rel.id in ids:
        return int(ids.index(rel.id))
    by_id = store.by_id
    known = [k for k, r in enumerate(ids) if r in by_id and by_id[r].effective <= rel.effective]
    return known[-1] if known else 0


# Per store, held by it (a store a caller made and dropped takes its index along).
_INDEXES: _cache.PerOwner[str, list[_search.Index]] = \
    _cache.PerOwner("icd10cm.search_index", tables=True, max_entries=1)
_LOCK = threading.Lock()


def index_for(store: Store) -> _search.Index:
    """The bundled search index of ``store`` (see :func:`indexes_for`)."""
    return indexes_for(store)[0]


def indexes_for(store: Store) -> list[_search.Index]:
    """The search indexes of ``store``: its bundled ``search.ckt``, read once (built in
    memory for a store without one), and, when the user added releases (``codekit data
    add``), an index of their codes the bundled one does not have, built in memory."""
    cache = _INDEXES.of(store)
    hit = cache.get("indexes")
    if hit is not None:
        return hit
    with _LOCK:
        hit = cache.get("indexes")
        if hit is not None:
            return hit
        path = _bundled(store) / FILE
        index = _search.Index.open(path) if path.exists() else None
        if index is None or not index.slots:  # none, or one written before dated texts
            meta, sections = pack_search(store)
            index = _search.Index(meta, sections)
        found = [index]
        added = _user_documents(store, frozenset(index.owners))
        if added:
            meta, sections = _search.pack_index(added, meta={"system": "icd10cm"})
            found.append(_search.Index(meta, sections))
        for one in found:  # "history of", "status post", newborn's texts, sides
            one.reading = _search.CLINICAL
            one.items = _search.alone_table()  # "on eliquis": its long term use
        cache["indexes"] = found
        return found


def _user_documents(store: Store, known: frozenset[str]) -> list[tuple[str, str, int]]:
    """Documents of the billable codes of the user's releases that ``known`` lacks."""
    docs: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    for rel in reversed([r for r in store.releases if r.user]):
        for code in rel.billable_codes() - known - seen:
            seen.add(code)
            i = rel.row(code)
            if i is None:
                continue
            docs.append((code, rel.long_title(i), _search.TITLE))
            if rel.has_tabular:
                notes = rel.details(code).get("notes", {})
                for kind in ("inclusionTerm", "includes"):
                    docs += [(code, text, _search.INCLUSION)
                             for text, _refs in notes.get(kind, [])]
    return docs


def _bundled(store: Store) -> Path:
    from .._paths import bundled_data_dir

    folder = store._paths[0]
    return Path(folder if folder is not None else bundled_data_dir()) / "icd10cm"


del _artifact


# -- codes of other dates: a concept with no code yet (or no more) on the date ------------


def other_dates(store: Store, text: str, day: dt.date, limit: int, best: float
                ) -> tuple[OtherDates | None, OtherDates | None]:
    """(later, earlier): the codes not valid on ``day`` whose texts (of any release)
    match ``text`` well (confidence at least WEAK, and above ``best``, the date's best
    hit), split by whether they are valid after ``day`` or were before it. Run only when
    the date's own search found no good match: one more index search over every
    release's texts, a millisecond or two."""
    v = store.validity
    p = v.period(day)
    if p < 0 or v.broken:  # before ICD-10 (the results' note says so); dates unknown
        return None, None
    masks = v.masks

    def elsewhere(code: str) -> bool:
        m = masks.get(code, 0)
        return m != 0 and not m >> p & 1

    found: dict[str, tuple[str, float]] = {}
    for index in indexes_for(store):
        for code, matched, score in index.search(text, accept=elsewhere, limit=limit):
            if score >= WEAK and score > best and (code not in found or
                                                   score > found[code][1]):
                found[code] = (matched, score)
    if not found:
        return None, None
    ranked = sorted(found.items(), key=lambda kv: (-kv[1][1], len(kv[0]), kv[0]))[:limit]

    def hit(code: str, score: float, matched: str, on: dt.date) -> SearchHit:
        rel, _ = store.release_for(on)
        i = rel.row(code)
        title = rel.long_title(i) if i is not None else matched
        return SearchHit(code, dotted(code), title, matched, round(100 * score, 1),
                         round(score, 3))

    return other_dates_of(((code, score, matched) for code, (matched, score) in ranked),
                          day, v.ranges, hit, lambda on: store.release_for(on)[0].id)

"""ICD-10-CM search: the documents of the search index, and the index by data store.

The index (``data/icd10cm/search.ckt``, :mod:`codekit._search` format) is built with the
data (``python -m codekit.build search``) from the release tables: every code that was
ever billable, with

- its long title (from the newest release that has it) and its own inclusion terms and
  "includes" notes (from the newest release with a tabular that has it);
- the title, inclusion terms and "includes" notes of each header of the newest tabular,
  pointing to the header's *default* code (:func:`default_code`): the billable
  descendant a coder assigns when nothing more is said -- the one whose inclusion term
  is the header's title with "NOS", else the one that says no more than the header but
  the classification's default wording, "unspecified", "without complications", "not
  having achieved remission", "initial encounter" (``E11`` -> ``E11.9``, ``C90.0`` ->
  ``C90.00``, ``W54.0`` -> ``W54.0XXA``), when there is one and only one;
- each Excludes1/Excludes2 note that names exactly one code or header: the note's words
  point to that code ("diarrhea NOS (R19.7)" -> R19.7).

A data store without the file (a folder of your own) gets its index built in memory on
first search (a few seconds). Codes of releases the user added (``codekit data add``)
that the bundled index does not have are indexed in memory on first search.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import _artifact, _cache, _search
from ._store import ReleaseTable, Store

__all__ = ["FILE", "default_code", "documents", "index_for", "indexes_for", "pack_search"]

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


def default_code(rel: ReleaseTable, header: str) -> str | None:
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
        how = _says_no_more(rel.long_title(j), title) if j is not None else None
        if how is not None:
            ranked.append(((_depth(k), *how), k))
    ranked.sort()
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def _ref_target(tab: ReleaseTable, ref: str) -> str | None:
    if ref.endswith("-") and "-" not in ref[:-1]:
        node = ref[:-1]
    elif "-" in ref:
        return None  # a range
    else:
        node = ref
    i = tab.row(node)
    if i is None:
        return None
    return node if tab.is_billable_row(i) else default_code(tab, node)


def documents(store: Store) -> Iterator[tuple[str, str, int]]:
    """The (code, text, source) documents of the search index (see the module doc)."""
    releases = list(reversed(store.releases))  # newest first
    tabulars = [r for r in releases if r.has_tabular]
    billable = store.validity.masks
    for code in sorted(billable):
        holder = next((r for r in releases if r.row(code) is not None), None)
        if holder is None:
            continue
        i = holder.row(code)
        assert i is not None
        yield code, holder.long_title(i), _search.TITLE
        tab = next((r for r in tabulars if r.row(code) is not None), None)
        if tab is not None:
            notes = tab.details(code).get("notes", {})
            for kind in ("inclusionTerm", "includes"):
                for text, _refs in notes.get(kind, []):
                    yield code, text, _search.INCLUSION
    if not tabulars:
        return
    tab = tabulars[0]
    for code in tab.codes:
        i = tab.row(code)
        assert i is not None
        notes = tab.details(code).get("notes", {})
        if not tab.is_billable_row(i):
            target = default_code(tab, code)
            if target is not None:
                yield target, tab.long_title(i), _search.HEADER
                for kind in ("inclusionTerm", "includes"):
                    for text, _refs in notes.get(kind, []):
                        yield target, text, _search.HEADER
        for kind in ("excludes1", "excludes2"):
            for text, refs in notes.get(kind, []):
                if len(refs) != 1 or not isinstance(refs[0], str) or \
                        text.rstrip().endswith(":"):
                    continue
                target = _ref_target(tab, refs[0])
                words = _REF_TEXT.sub("", text).strip(" ,;")
                if target is not None and words:
                    yield target, words, _search.EXCLUDES_REF


def pack_search(store: Store) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The search index of ``store`` as (meta, sections) (the data build writes it)."""
    releases = [r.id for r in store.releases]
    return _search.pack_index(documents(store), meta={
        "system": "icd10cm", "releases": releases,
        "tabular": next((r.id for r in reversed(store.releases) if r.has_tabular), None)})


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
        if path.exists():
            index = _search.Index.open(path)
        else:
            meta, sections = pack_search(store)
            index = _search.Index(meta, sections)
        found = [index]
        added = _user_documents(store, frozenset(index.owners))
        if added:
            meta, sections = _search.pack_index(added, meta={"system": "icd10cm"})
            found.append(_search.Index(meta, sections))
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

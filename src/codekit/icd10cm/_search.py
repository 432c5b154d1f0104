"""ICD-10-CM search: the documents of the search index, and the index by data store.

The index (``data/icd10cm/search.ckt``, :mod:`codekit._search` format) is built with the
data (``python -m codekit.build search``) from the release tables: every code that was
ever billable, with

- its long title (from the newest release that has it) and its own inclusion terms and
  "includes" notes (from the newest release with a tabular that has it);
- the title, inclusion terms and "includes" notes of each header of the newest tabular,
  pointing to the header's *default* code: its billable descendant that says
  "unspecified", "without complications" or "initial encounter" (``E11`` -> ``E11.9``,
  ``W54.0`` -> ``W54.0XXA``), when it has one;
- each Excludes1/Excludes2 note that names exactly one code or header: the note's words
  point to that code ("diarrhea NOS (R19.7)" -> R19.7).

A data store without the file (a folder of your own) gets its index built in memory on
first search (a few seconds). Codes of releases the user added (``codekit data add``)
that the bundled index does not have are indexed in memory on first search.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import _artifact, _cache, _search
from ._store import ReleaseTable, Store

__all__ = ["FILE", "default_code", "documents", "index_for", "indexes_for", "pack_search"]

FILE = "search.ckt"
_REF_TEXT = re.compile(r"\s*\([^()]*\b[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z-]*)?[^()]*\)")


def default_code(rel: ReleaseTable, header: str) -> str | None:
    """The billable descendant of ``header`` a search for the header's words means: the
    one that says "unspecified" / "without complications" / "initial encounter", nearest
    the header; None when no descendant says so (and it has more than one).

    >>> from codekit.icd10cm._store import default_store
    >>> rel = default_store().release("FY2026")
    >>> default_code(rel, "E11"), default_code(rel, "I21"), default_code(rel, "W540")
    ('E119', 'I219', 'W540XXA')
    """
    kids = rel.billable_descendants(header)
    if len(kids) == 1:
        return kids[0]
    best: tuple[float, str] | None = None
    for k in kids:
        i = rel.row(k)
        title = rel.long_title(i).lower() if i is not None else ""
        words = set(re.findall(r"[a-z]+", title))
        score = 0.0
        if "unspecified" in words and "with unspecified" not in title:
            score += 2 + 0.5 * (title.count("unspecified") - 1)
            if ", unspecified" in title or title.startswith("unspecified"):
                score += 1  # the concept itself unspecified, not a site of it
        if "nos" in words or "not otherwise specified" in title:
            score += 2
        if "without" in words or "uncomplicated" in words:
            score += 2
        if "initial encounter" in title:
            score += 1
        if "with" in words:
            score -= 2
        if "other" in words:
            score -= 2
        score -= 0.5 * (len(k.replace("X", "")) - len(header))
        if score > 0 and (best is None or score > best[0]):
            best = (score, k)
    return best[1] if best else None


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

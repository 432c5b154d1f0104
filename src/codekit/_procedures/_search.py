"""Procedure search: the HCPCS Level II index built with the data, and the indexes of
the files a user loads.

The bundled index (``data/procedures/search.ckt``, :mod:`codekit._search` format) holds
every Level II code of the bundled IOCE quarters with its CMS short descriptors, their
abbreviations expanded (``Colon ca scrn not hi rsk ind`` is indexed as "colon cancer
screening not high risk individual"). A loaded CMS HCPCS file adds its long descriptions,
and a loaded CPT descriptor file its descriptors, each in an index of its own built in
memory when first searched (a fraction of a second).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from .. import _cache, _search
from ._store import ProcedureStore

__all__ = ["FILE", "documents", "indexes_for", "pack_search"]

FILE = "search.ckt"
_TERMS = _search.Terms.of_tables()


def documents(store: ProcedureStore) -> Iterator[tuple[str, str, int]]:
    """(code, short descriptor, source) of every Level II code of the bundled quarters."""
    table = store.codes
    for code, (first, n) in sorted(table.index.items()):
        if code[0].isdigit():
            continue  # CPT: AMA text is not shipped
        texts = []
        for i in range(first, first + n):
            d = table.description(i)
            if d and d not in texts:
                texts.append(d)
        for d in reversed(texts):  # the newest first
            yield code, d, _search.SHORT


def pack_search(store: ProcedureStore) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The bundled search index as (meta, sections) (the data build writes it)."""
    return _search.pack_index(documents(store), expand=True, meta={
        "system": "hcpcs", "quarters": list(store.quarters.ids)})


_INDEXES: dict[tuple[int, str], tuple[ProcedureStore, int, list[_search.Index]]] = {}
_LOCK = threading.Lock()
_cache.register("procedure.search_index", _INDEXES.clear, _INDEXES.__len__, tables=True)


def indexes_for(store: ProcedureStore, system: str) -> list[_search.Index]:
    """The indexes to search for ``system`` (``"hcpcs"`` or ``"cpt"``) in ``store``."""
    key = (id(store), system)
    hit = _INDEXES.get(key)
    if hit is not None and hit[0] is store and hit[1] == store.generation:
        return hit[2]
    with _LOCK:
        out: list[_search.Index] = []
        if system == "hcpcs":
            path = store.codes.path.with_name(FILE)
            if path.exists():
                out.append(_search.Index.open(path))
            else:
                meta, sections = pack_search(store)
                out.append(_search.Index(meta, sections))
            docs = [(c, rec.long_description, _search.TITLE)
                    for r in store.releases for c, rec in r.codes.items()
                    if rec.long_description]
        else:
            docs = [(c, t, _search.TITLE) for d in store.descriptors
                    for c, t in d.titles.items()]
        if docs:
            meta, sections = _search.pack_index(docs, expand=system == "hcpcs")
            out.append(_search.Index(meta, sections))
        if system == "hcpcs":  # drug and supply texts: salts, routes, parts
            for index in out:
                index.terms = _TERMS
                index.items = _search.item_table()
        _INDEXES[key] = (store, store.generation, out)
        return out

"""Did-you-mean and search for modifiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import _cache
from .._dates import coerce_date
from .._text import MAX_SUGGEST, limit_arg, query_arg
from ..codesystem import SearchHit, SearchResults
from ._format import FAST_MODIFIER, X_SHORTHAND, modifier_pieces
from ._modmeta import LABELS
from ._store import ProcedureStore, default_store

__all__ = ["search", "suggest"]

#: Characters commonly typed (or OCR'd) for one another.
_CONFUSIONS = {"O": "0", "0": "O", "I": "1", "1": "I", "L": "1", "S": "5", "5": "S",
               "B": "8", "8": "B", "Z": "2", "2": "Z"}


def _active(store: ProcedureStore, day: dt.date) -> list[str]:
    """Modifiers active on ``day`` (bundled quarters and loaded HCPCS files), sorted."""
    key = ("active-modifiers", day)
    cache = store.entry_cache
    found = cache.get(key)
    if found is None:
        since = _cache.changes()  # kept only if no data change began meanwhile
        known = set(store.modifiers.masks) | {m for r in store.releases for m in r.modifiers}
        found = sorted(m for m in known if store.valid_on("modifiers", m, day))
        cache.put(key, found, since)
    return found


def suggest(modifier: object, *, on: object = None, limit: int = 5,
            store: ProcedureStore | None = None) -> list[str]:
    """Modifiers active on ``on`` close to a mistyped ``modifier``, best first: the
    modifier itself, a confusable character swapped (``5O`` -> ``50``), the two swapped
    (``TR`` -> ``RT``), then others sharing a character; for three characters, first the
    modifiers one character less makes (``LTT`` -> ``LT``); for text holding several
    modifiers, each of them (``25RT`` -> ``25``, ``RT``, when both are active); nothing for
    longer text (a procedure or diagnosis code written as a modifier is near none).

    >>> suggest("25RT", on="2025-06-01"), suggest("LTT", on="2025-06-01")[:1]
    (['25', 'RT'], ['LT'])
    >>> suggest("E11.9", on="2025-06-01"), suggest("G2211", on="2025-06-01")
    ([], [])
    """
    limit = limit_arg(limit)
    day = coerce_date(on)
    if not isinstance(modifier, str):
        return []
    if len(modifier) > MAX_SUGGEST:  # no modifier is near such a text
        return []
    text = "".join(modifier.split()).upper().lstrip("-")
    s = store or default_store()
    active = _active(s, day)
    out: list[str] = []

    def add(m: str) -> None:
        if m not in out and FAST_MODIFIER.fullmatch(m) and m in active_set:
            out.append(m)

    active_set = set(active)
    shorthand = X_SHORTHAND.fullmatch(text)
    if shorthand:  # CMS's X{EPSU}: the modifiers it names, active on the date
        return [m for m in dict.fromkeys("X" + c for c in shorthand[1]) if m in active_set]
    if len(text) > 3:
        pieces = modifier_pieces(text)
        return pieces if pieces and all(p in active_set for p in pieces) else []
    if len(text) == 3:
        for i in (2, 1, 0):  # a character too many: the last typed first
            add(text[:i] + text[i + 1:])
    if len(text) == 2:
        add(text)
        for i, ch in enumerate(text):
            alt = _CONFUSIONS.get(ch)
            if alt:
                add(text[:i] + alt + text[i + 1:])
        add(text[::-1])
    for m in active:
        if len(out) >= limit:
            break
        if text and (m[0] == text[0] or (len(text) > 1 and m[1] == text[1])):
            add(m)
    return out[:limit]


_MOD_INDEX: dict[int, tuple[ProcedureStore, int, Any]] = {}
_cache.register("modifiers.search_index", _MOD_INDEX.clear, _MOD_INDEX.__len__, tables=True)


def search(text: str, *, on: object = None, limit: int = 10,
           store: ProcedureStore | None = None) -> SearchResults:
    """Modifiers active on ``on`` whose label (codekit's: CPT modifiers and the Level II
    ones it labels) or CMS description (from a loaded HCPCS file) matches ``text``, best
    first, each with its
    confidence (:class:`~codekit.codesystem.SearchHit`)."""
    text = query_arg(text)
    limit = limit_arg(limit)
    from .. import _search

    s = store or default_store()
    day = coerce_date(on)
    hit = _MOD_INDEX.get(id(s))
    if hit is None or hit[0] is not s or hit[1] != s.generation:
        docs = [(m, t, _search.TITLE) for m, t in LABELS.items()]
        docs += [(m, rec.long_description, _search.TITLE) for r in s.releases
                 for m, rec in r.modifiers.items() if rec.long_description]
        meta, sections = _search.pack_index(docs, expand=True)
        hit = _MOD_INDEX[id(s)] = (s, s.generation, _search.Index(meta, sections))
    active = set(_active(s, day))
    found = hit[2].search(text, accept=active.__contains__, limit=limit)
    return SearchResults([SearchHit(m, m, _title(s, m) or matched, matched,
                                    round(100 * score, 1), round(score, 3))
                          for m, matched, score in found], query=text)


def _title(store: ProcedureStore, m: str) -> str | None:
    for r in reversed(store.releases):
        rec = r.modifiers.get(m)
        if rec is not None and rec.long_description:
            return rec.long_description
    return LABELS.get(m)

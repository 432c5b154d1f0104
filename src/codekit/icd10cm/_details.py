"""Reading an entry's details out of the tables (shared by entries and error messages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .._dates import fiscal_year
from ._store import ReleaseTable, Store
from .entry import NOTE_ATTRIBUTES, MceFlags, RawNote
from .notes import CodeRef

__all__ = ["ancestors", "dotted", "mce_flags", "nearest_with", "note_refs", "raw_notes",
           "release_note", "seven_defs", "stem", "tabular_for"]


def dotted(code: str) -> str:
    return code if len(code) <= 3 else code[:3] + "." + code[3:]


def ancestors(rel: ReleaseTable, code: str) -> list[str]:
    out = []
    p = rel.parent_of(code)
    while p is not None:
        out.append(p)
        p = rel.parent_of(p)
    return out


def tabular_for(store: Store, rel: ReleaseTable) -> ReleaseTable | None:
    """The release whose tabular (notes, 7th characters, chapters) serves ``rel``."""
    if rel.has_tabular:
        return rel
    if rel.notes_from and rel.notes_from in store.by_id:
        return store.by_id[rel.notes_from]
    for r in reversed(store.releases):
        if r.has_tabular:
            return r
    return None


def stem(code: str) -> str:
    """The tabular node a code sits on: a 7-character code's first six, placeholders off."""
    return code[:6].rstrip("X") if len(code) == 7 else code


def seven_defs(tab: ReleaseTable | None, chain: list[str]) -> tuple[str, dict[str, str]] | None:
    """The closest ``sevenChrDef`` along ``chain`` (the code, then its ancestors)."""
    if tab is None:
        return None
    for c in chain:
        seven = tab.details(c).get("seven")
        if seven:
            return c, seven
    return None


def raw_notes(tab: ReleaseTable, chain: list[str], block: dict | None,
              chapter: dict | None) -> tuple[RawNote, ...]:
    """Notes that apply to the first code of ``chain``, as (origin, kind, text, refs)."""
    out: list[RawNote] = []
    places: list[tuple[str, dict[str, Any], int]] = [
        (c, tab.details(c).get("notes", {}), 0 if n == 0 else 1) for n, c in enumerate(chain)
    ]
    if block is not None:
        places.append((block["block"], block.get("notes", {}), 2))
    if chapter is not None:
        places.append(("chapter " + chapter["chapter"], chapter.get("notes", {}), 2))
    for origin, notes, level in places:
        for kind, items in notes.items():
            reach = NOTE_ATTRIBUTES.get(kind, ("", "ancestors"))[1]
            if (reach == "own" and level > 0) or (reach == "ancestors" and level > 1):
                continue
            for text, refs in items:
                out.append((origin, kind, text, tuple(refs)))
    return tuple(out)


def age_bands(store: Store, day: dt.date) -> dict[str, tuple[int, int]]:
    """The MCE age bands in force on ``day``: band -> (min age, max age)."""
    v = store.validity
    iso = day.isoformat()
    bands = {}
    for b in v.age_bands:
        if b["start"] <= iso <= b["end"] or (day > v.table_end and
                                            b["end"] >= v.table_end.isoformat()):
            bands[b["band"]] = (b["min_age"], b["max_age"])
    return bands


def mce_row(store: Store, code: str,
            day: dt.date) -> tuple[dt.date, dt.date | None, tuple[str, ...]] | None:
    """The MCE row ``(start, end, flags)`` of ``code`` covering ``day``, or None."""
    for row in store.validity.mce_rows(code):
        start, end, _ = row
        if start <= day and (end is None or day <= end):
            return row
    return None


#: (tabular release, code or block, note kind) -> its references, parsed once: siblings share
#: most of their notes (those of their category, block and chapter).
_ORIGIN_REFS: dict[tuple[int, str, str], tuple[tuple[CodeRef, str, str], ...]] = {}


def note_refs(store: Store, release: ReleaseTable, base: ReleaseTable, code: str,
              kind: str) -> tuple[tuple[CodeRef, str, str], ...]:
    """``(reference, note text, origin)`` of every ``kind`` note (``excludes1``,
    ``codeFirst``...) that applies to ``code``: the references of the entry's notes of that
    kind (see :attr:`Entry.excludes1`), with ``base`` the release holding the code."""
    tab = tabular_for(store, release)
    if tab is None:
        return ()
    reach = NOTE_ATTRIBUTES.get(kind, ("", "ancestors"))[1]
    st = stem(code)
    chain = [st, *(a for a in ancestors(base, code) if len(a) < len(st))]
    if reach == "own":
        del chain[1:]
    places: list[tuple[str, dict[str, Any] | None]] = [(c, None) for c in chain]
    if reach == "all":
        block = tab.block_of(code)
        chapter = tab.chapter_of(block)
        if block is not None:
            places.append((block["block"], block))
        if chapter is not None:
            places.append(("chapter " + chapter["chapter"], chapter))
    out: list[tuple[CodeRef, str, str]] = []
    for origin, holder in places:
        # a block may be named like a code (the "B20" block holds category B20)
        key = (id(tab), origin if holder is None else "block " + origin, kind)
        refs = _ORIGIN_REFS.get(key)
        if refs is None:
            notes = (holder if holder is not None else tab.details(origin)).get("notes", {})
            refs = tuple((CodeRef.from_json(r), text, origin)
                         for text, items in notes.get(kind, ()) for r in items)
            if len(_ORIGIN_REFS) >= 1 << 15:
                _ORIGIN_REFS.clear()
            _ORIGIN_REFS[key] = refs
        out += refs
    return tuple(out)


def mce_flags(store: Store, code: str, day: dt.date) -> MceFlags | None:
    row = mce_row(store, code, day)
    if row is None:
        return None
    return MceFlags.from_flags(row[2], row[0], row[1], age_bands(store, day))


def nearest_with(store: Store, code: str, day: dt.date) -> ReleaseTable | None:
    """The release nearest ``day`` that has a row for ``code``."""
    for r in store.releases_by_distance(day):
        if r.row(code) is not None:
            return r
    return None


def release_note(store: Store, release: str, holder: str | None, exact: bool, code: str,
                 day: dt.date) -> str | None:
    rel = store.by_id[release]
    parts = []
    if holder is not None and holder != release:
        parts.append(f"{dotted(code)} is not in {rel.label}; shown as in "
                     f"{store.by_id[holder].label}.")
    elif holder is None:
        parts.append(f"{dotted(code)} has no title in the releases codekit has.")
    if day > store.last_known:
        parts.append(f"{day} is after the last date codekit's data describes "
                     f"({store.last_known}); answered with {rel.label}. Add newer CDC/CMS "
                     "files with `codekit data add` (see docs/icd10cm.md).")
    elif not exact:
        fy = fiscal_year(day)
        fix = ""
        if day > rel.effective:
            fix = (f" To get FY{fy} titles, add the CDC/CMS FY{fy} files: `codekit data add "
                   f"--id FY{fy} --effective {fy - 1}-10-01 --addenda "
                   f"icd10cm_order_addenda_{fy}.txt --base {rel.id}` (or --tabular/--order).")
        parts.append(f"No FY{fy} files are bundled: titles and notes from {rel.label}; "
                     f"validity on {day} from the CMS MCE table.{fix}")
    return " ".join(parts) or None

"""Reading an entry's details out of the tables (shared by entries and error messages)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import Any

from .. import _cache
from .._dates import ICD10_START, fiscal_year
from ._store import MceRow, ReleaseTable, Store
from .entry import NOTE_ATTRIBUTES, MceFlags, RawNote
from .notes import CodeRef

__all__ = ["OTHER_CATEGORY", "RefGroup", "ancestors", "block_for", "category_bit", "dotted",
           "mce_flags", "nearest_with", "note_groups", "notes_note", "raw_notes", "release_note",
           "row_on", "seven_defs", "stem", "tabular_for"]


def dotted(code: str) -> str:
    return code if len(code) <= 3 else code[:3] + "." + code[3:]


def ancestors(rel: ReleaseTable, code: str) -> list[str]:
    """The shorter codes of ``rel`` that ``code`` extends, nearest first (its parent,
    grandparent... up to the category): each parent is the nearest shorter one."""
    return list(rel.ancestors(code))


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


#: block_for's answer: (block, chapter, the release whose tabular holds them, how found:
#: "" in the notes' tabular, "inferred" from the release's order file, "other" from the
#: tabular of another year).
BlockAnswer = tuple[dict[str, Any] | None, dict[str, Any] | None, ReleaseTable | None, str]


def block_for(store: Store, rel: ReleaseTable, code: str) -> BlockAnswer:
    """The block and chapter of ``code`` for release ``rel``: those of the tabular that
    serves ``rel`` (:func:`tabular_for`); for a category it lacks, the block the build
    inferred for ``rel`` (FY2027's new categories), else the block of the nearest tabular
    that has the category."""
    tab = tabular_for(store, rel)
    if tab is None:
        return None, None, None, ""
    block = tab.block_of(code)
    if block is not None:
        return block, tab.chapter_of(block), tab, ""
    inferred = rel.inferred_blocks.get(code[:3])
    if inferred is not None:
        block = tab.block_by_id(inferred)
        if block is not None:
            return block, tab.chapter_of(block), tab, "inferred"
    for other in store.releases_by_distance(rel.effective):
        if other.has_tabular and other is not tab:
            block = other.block_of(code)
            if block is not None:
                return block, other.chapter_of(block), other, "other"
    return None, None, tab, ""


def notes_note(store: Store, release: str, code: str) -> str | None:
    """Where ``code``'s notes, 7th characters and block come from when not from the
    tabular of ``release`` itself (None when they do)."""
    rel = store.by_id[release]
    tab = tabular_for(store, rel)
    if tab is None:
        return "No release codekit has came with a tabular XML: there are no notes."
    parts = []
    if tab is not rel:
        why = rel.meta.get("notes_unavailable") or \
            f"{rel.readable} came without a tabular XML."
        parts.append(f"Notes and 7th characters from the {tab.readable} tabular: {why}")
    st = stem(code, tab)
    if tab.row(st) is None:
        parts.append(f"{dotted(st)} is not in the {tab.readable} tabular: only notes written "
                     "above it (its categories, block and chapter) apply.")
    block, _, holder, how = block_for(store, rel, code)
    if block is not None and how == "inferred":
        parts.append(f"Its block {block['block']} is inferred from its place in the "
                     f"{rel.readable} order file.")
    elif block is not None and how == "other" and holder is not None:
        parts.append(f"Its block and chapter are those of the {holder.readable} tabular.")
    return " ".join(parts) or None


def stem(code: str, tab: ReleaseTable | None = None) -> str:
    """The tabular node a code sits on: the code itself, but for a 7-character code that
    is not a node of the tabular ``tab`` (a 7th-character extension: S72.001A) its first
    six, placeholders off. A code of seven characters the tabular writes as a node of its
    own (Z91.0111, with an Excludes1 note of its own) is its own node; without ``tab``,
    every 7-character code is taken for an extension.

    >>> stem("S72001A"), stem("T7840XA"), stem("E119")
    ('S72001', 'T7840', 'E119')
    """
    if len(code) != 7 or (tab is not None and tab.in_tabular(code)):
        return code
    return code[:6].rstrip("X")


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
        for outer in reversed(block.get("_enclosing", ())):
            places.append((outer["block"], outer.get("notes", {}), 2))
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


def mce_row(store: Store, code: str, day: dt.date) -> MceRow | None:
    """The MCE row ``(start, end, flags)`` of ``code`` covering ``day``, or None."""
    return row_on(store.validity.mce_rows(code), day)


def row_on(rows: Sequence[MceRow], day: dt.date) -> MceRow | None:
    """The row of ``rows`` (a code's MCE rows) covering ``day``, or None."""
    for row in rows:
        start, end, _ = row
        if start <= day and (end is None or day <= end):
            return row
    return None


Ref = tuple[CodeRef, str, str]  # (reference, note text, origin)
_NONE: frozenset[str] = frozenset()

#: The bit of a category no rank has (a third character that is a letter, ``O9A``, or
#: any other shape): every range's mask includes it (see :func:`category_bit`).
OTHER_CATEGORY = 1


def category_bit(category: str) -> int:
    """The bit that stands for a 3-character category in the masks of :class:`RefGroup`
    (which categories a group of note references may name): a letter and two digits
    (``E11``) rank in the order of the codes, one bit each; every other category shares
    :data:`OTHER_CATEGORY`. Fixed for every process (no data is read), so masks made at
    any time agree.

    >>> category_bit("A00"), category_bit("A01"), category_bit("O9A") == OTHER_CATEGORY
    (2, 4, True)
    """
    bit = _BITS.get(category)
    if bit is None:
        rank = _rank(category)
        if rank is None:
            return OTHER_CATEGORY
        bit = _BITS[category] = 2 << rank
    return bit


#: category -> its bit: one int object per category, shared by every code of it. A bit is
#: an integer of up to 2,600 bits (350 bytes for a Z category); made per code, one date
#: view over every FY2026 code held 74,224 bit objects (17.4 MB) for 1,908 values. (A
#: memory saving only: checking claims was not measurably faster.)
_BITS: dict[str, int] = _cache.owned("icd10cm.category_bits", {}, max_entries=4096,
                                     long_keys=True)
#: mask value -> the one int object of that value (see :func:`shared_mask`)
_MASKS: dict[int, int] = _cache.owned("icd10cm.note_masks", {}, max_entries=1 << 16,
                                      long_keys=True)


def shared_mask(mask: int) -> int:
    """The one int object of ``mask``'s value: what :class:`RefGroup` and the note indexes
    keep (the masks of the notes every code of a category inherits are equal: 15,622 mask
    objects of one date view over every FY2026 code, 4.3 MB, had 1,844 values).

    >>> shared_mask(int("1" * 40)) is shared_mask(int("1" * 40))
    True
    """
    found = _MASKS.get(mask)
    if found is None:
        found = _MASKS[mask] = mask
    return found


def _rank(category: str) -> int | None:
    """0 for A00 ... 2599 for Z99 (ASCII order of letter-digit-digit categories)."""
    if len(category) != 3:
        return None
    a, b, c = category[0], category[1], category[2]
    if not ("A" <= a <= "Z" and "0" <= b <= "9" and "0" <= c <= "9"):
        return None
    return (ord(a) - 65) * 100 + (ord(b) - 48) * 10 + ord(c) - 48


def _range_bits(start: str, end: str) -> int:
    """The bits of every ranked category a range reference ``start``-``end`` may match,
    and :data:`OTHER_CATEGORY`. A code of category ``c`` can match only when
    ``start[:3] <= c <= end[:3]`` (:meth:`CodeRef.matches`, ASCII order); a bound that is
    not ranked (``O9A``) is moved to the ranked categories on its side of it."""
    lo = _bound(start[:3], up=True)
    hi = _bound(end[:3], up=False)
    if lo is None or hi is None:
        return -1  # a bound of another shape: every category
    if lo > hi:
        return OTHER_CATEGORY
    return ((2 << hi) - (1 << lo)) << 1 | OTHER_CATEGORY


def _bound(category: str, *, up: bool) -> int | None:
    """The rank of the first ranked category at or after ``category`` (``up``), or of the
    last at or before it; None when ``category`` is not a letter, a digit and a digit or
    capital letter (nothing then says where it sorts among the ranked ones)."""
    rank = _rank(category)
    if rank is not None:
        return rank
    if len(category) != 3:
        return None
    a, b, c = category[0], category[1], category[2]
    if not ("A" <= a <= "Z" and "0" <= b <= "9" and "A" <= c <= "Z"):
        return None
    # letters sort after digits: L dX lies between L d9 and L (d+1)0
    last_before = (ord(a) - 65) * 100 + (ord(b) - 48) * 10 + 9
    return last_before + 1 if up else last_before


class RefGroup:
    """The references of one origin's notes of one kind, indexed by their first code so
    that "which of them names this code" costs a few dictionary look-ups, not a scan."""

    __slots__ = ("_by_start", "adverse_effects_only", "categories", "mask", "ranges", "refs")

    def __init__(self, refs: tuple[Ref, ...], adverse_effects_only: bool = False) -> None:
        self.refs = refs
        #: The notes apply to adverse effects only: the T36-T50 block's "Code first, for
        #: adverse effects, the nature of the adverse effect, such as: ..." (a poisoning
        #: or an underdosing code is listed before its manifestations: Guideline
        #: I.C.19.e.5.b)
        self.adverse_effects_only = adverse_effects_only
        by_start: dict[str, list[int]] = {}
        ranges = []
        mask = 0
        for i, (ref, _, _) in enumerate(refs):
            if ref.kind == "range":
                ranges.append(i)
                mask |= _range_bits(ref.start, ref.end)
            else:  # a code or a prefix: matches the codes that start with it
                by_start.setdefault(ref.start, []).append(i)
        self._by_start = by_start
        #: the categories of its code and prefix references; the range references
        self.categories = frozenset(start[:3] for start in by_start) if by_start else _NONE
        self.ranges = ranges
        #: :func:`category_bit` of every category a reference may name: a code whose
        #: category's bit is not in it is named by none (one integer AND says so)
        for category in self.categories:
            mask |= category_bit(category)
        self.mask = shared_mask(mask)

    def first(self, code: str) -> Ref | None:
        """The first reference (in note order) that matches undotted ``code``."""
        if code[:3] in self.categories:
            by_start = self._by_start
            found = [i for n in range(3, min(len(code), 7) + 1)
                     for i in by_start.get(code[:n], ())]
            found += self.ranges
        elif self.ranges:  # most codes are of another category: one look-up says so
            found = list(self.ranges)
        else:
            return None
        if len(found) > 1:
            found.sort()
        refs = self.refs
        for i in found:
            if refs[i][0].matches(code):
                return refs[i]
        return None

    def below(self, code: str, year: ReleaseTable) -> Ref | None:
        """The first code or prefix reference naming a code below undotted ``code`` that
        release ``year`` does not have (a later child of ``code``, or one ``year`` folded
        into it): for ``code`` billable in ``year`` and notes of another year's tabular.
        Only asked once no reference matches ``code`` itself."""
        if code[:3] not in self.categories:
            return None
        n = len(code)
        for ref in self.refs:
            r = ref[0]
            start = r.start
            if r.kind != "range" and len(start) > n and start.startswith(code) \
                    and r.qualifier is None and year.row(start) is None:
                return ref
        return None


#: (tabular release, code or block, note kind) -> its references, parsed once: siblings
#: share most of their notes (those of their category, block and chapter). A code
#: without notes of the kind is not kept: :meth:`ReleaseTable.noted` tells it in one set
#: look-up (keeping them crowded out the shared origins, and cost a write each).
# Per tabular release (held by it, so that it goes with its store): (name, kind) -> refs.
_ORIGIN_REFS: _cache.PerOwner[tuple[str, str], RefGroup] = \
    _cache.PerOwner("icd10cm.note_refs", max_entries=1 << 15)


_NO_REFS = RefGroup(())
#: how far notes of a kind reach (NOTE_ATTRIBUTES): the code's own node, its ancestors,
#: or also its block and chapter (any other reach)
_REACH = {"own": 0, "ancestors": 1}


#: (release, release holding the code, the code's nearest shorter ancestor ("" for none),
#: its category, kinds) -> for each kind, the groups of the notes written above a code: its
#: ancestors', block's and chapter's, which all its siblings share (per tabular).
def _weigh_above(key: tuple[str, ...], value: tuple[tuple[RefGroup, ...], ...]) -> int:
    """What weighing an entry of :data:`_ABOVE` says (``_cache.entry_weight``: a tuple of
    ASCII strings -- release ids, codes, note kinds -- and a tuple of tuples of
    :class:`RefGroup`), summed from the parts that vary in a few C calls (a test holds
    them equal): a stream writes one for each new parent of a code it meets, and
    weighing them was most of their cost."""
    return _ABOVE_FIXED + (8 + _STR) * len(key) + len("".join(key)) + \
        (8 + _TUPLE) * len(value) + (8 + _REF_GROUP) * sum(map(len, value))


_STR, _TUPLE = sys.getsizeof(""), sys.getsizeof(())  # ASCII strings: _STR + their length
_REF_GROUP = sys.getsizeof(_NO_REFS)
_ABOVE_FIXED = 2 * _TUPLE + _cache.ENTRY_OVERHEAD
_ABOVE: _cache.PerOwner[tuple[str, ...], tuple[tuple[RefGroup, ...], ...]] = \
    _cache.PerOwner("icd10cm.notes_above", max_entries=1 << 16, weigher=_weigh_above)


def note_groups(store: Store, release: ReleaseTable, base: ReleaseTable, code: str,
                *kinds: str) -> tuple[tuple[RefGroup, ...], ...]:
    """For each of ``kinds`` (``excludes1``, ``codeFirst``...), the references of every
    note of that kind that applies to ``code``, one group per origin (the code, its
    ancestors, then for kinds that reach so far its block and chapter), empty origins left
    out: the references of the entry's notes of that kind (see :attr:`Entry.excludes1`),
    with ``base`` the release holding the code."""
    tab = tabular_for(store, release)
    if tab is None:
        return tuple(() for _ in kinds)
    st = stem(code, tab)
    # the groups above the code are its siblings' too: worked out once per parent
    up = None
    for a in base.ancestors(code):
        if len(a) < len(st):
            up = a
            break
    key = (release.id, base.id, up or "", code[:3], *kinds)
    shared = _ABOVE.of(tab)
    above = shared.get(key)
    if above is None:
        tops = _TOPS.get(kinds)
        if tops is None:
            tops = _TOPS[kinds] = tuple(
                _REACH.get(NOTE_ATTRIBUTES.get(kind, ("", "ancestors"))[1], 2)
                for kind in kinds)
        if up is None:
            above = shared[key] = _groups(store, release, tab, code, [], kinds, tops)
        else:
            # the block's and chapter's, which every code of the category shares: those
            # above a code of no shorter ancestor (the category's own entry)
            top_key = (release.id, base.id, "", code[:3], *kinds)
            top = shared.get(top_key)
            if top is None:
                top = shared[top_key] = _groups(store, release, tab, code, [], kinds, tops)
            chain = _groups(store, release, tab, code, [up, *base.ancestors(up)], kinds,
                            tops, blocks=False)
            above = shared[key] = tuple((*c, *t) if c else t
                                        for c, t in zip(chain, top, strict=True))
    own = _own_groups(tab, st, kinds)
    if own is None:  # most codes: no note of these kinds on their own node
        return above
    return tuple((o, *a) if o is not None else a for o, a in zip(own, above, strict=True))


#: kinds -> how far each reaches (see _REACH)
_TOPS: dict[tuple[str, ...], tuple[int, ...]] = {}


def _own_groups(tab: ReleaseTable, st: str, kinds: tuple[str, ...]
                ) -> list[RefGroup | None] | None:
    """Per kind, the group of the notes on the code's own node ``st`` (None for a kind it
    has none of); None when it has none of any kind: the path every new code takes. A
    node without notes of a kind is not remembered (:meth:`ReleaseTable.noted` says so in
    a set look-up)."""
    refs = _ORIGIN_REFS.of(tab)
    out: list[RefGroup | None] | None = None
    text: str | None = None  # the node's raw details, read once for every kind
    for k, kind in enumerate(kinds):
        if st not in tab.noted(kind):  # most nodes: not one note of the kind
            continue
        group = refs.get((st, kind))
        if group is None:
            if text is None:
                text = tab.details_text(st)
            notes = _raw_notes(tab, st, kind, text)
            if not notes:
                continue
            group = refs[(st, kind)] = _ref_group(notes, st)
        if group.refs:
            if out is None:
                out = [None] * len(kinds)
            out[k] = group
    return out


def _raw_notes(tab: ReleaseTable, node: str, kind: str, text: str) -> Any:
    """The notes of ``kind`` on ``node`` as stored, given its raw details ``text``: most
    nodes have none, and their details are not parsed."""
    return tab.details(node).get("notes", {}).get(kind) if f'"{kind}"' in text else None


def _ref_group(notes: Any, origin: str) -> RefGroup:
    return RefGroup(tuple((CodeRef.from_json(r), text, origin)
                          for text, items in notes for r in items),
                    bool(notes) and notes[0][0].startswith(ADVERSE_EFFECTS_ONLY))


#: How a note list that applies to adverse effects only begins (the T36-T50 block's
#: "Code first, for adverse effects, the nature of the adverse effect, such as:").
ADVERSE_EFFECTS_ONLY = ", for adverse effects,"


def drug_intent(code: str) -> str:
    """The 6th character of a drug code (T36-T50: 1-4 poisoning, 5 adverse effect, 6
    underdosing) of undotted ``code``; "" for any other code."""
    return code[5:6] if code[:1] == "T" and "T36" <= code[:3] <= "T50" else ""


def adverse_effect(code: str) -> bool:
    """Undotted ``code`` is an adverse effect: T36-T50 with 6th character 5."""
    return drug_intent(code) == "5"


def _groups(store: Store, release: ReleaseTable, tab: ReleaseTable, code: str,
            chain: list[str], kinds: tuple[str, ...], tops: tuple[int, ...],
            blocks: bool = True) -> tuple[tuple[RefGroup, ...], ...]:
    """The non-empty groups of ``kinds`` (reaching as far as ``tops`` says) of the notes
    above a code: at ``chain`` (its ancestors), then (with ``blocks``) its block and
    chapter."""
    places: list[tuple[str, str, dict[str, Any] | None, int]] = [
        (c, c, None, 1) for c in chain]
    if blocks and 2 in tops:
        block, chapter, block_tab, _ = block_for(store, release, code)
        # a block may be named like a code (the "B20" block holds category B20); one of
        # another year's tabular is remembered under that tabular's name
        where = "" if block_tab is tab or block_tab is None else "@" + block_tab.id
        if block is not None:
            places.append((block["block"], "block " + block["block"] + where, block, 2))
            for outer in reversed(block.get("_enclosing", ())):
                places.append((outer["block"], "block " + outer["block"] + where, outer, 2))
        if chapter is not None:
            name = "chapter " + chapter["chapter"]
            places.append((name, "block " + name + where, chapter, 2))
    out: list[list[RefGroup]] = [[] for _ in kinds]
    refs = _ORIGIN_REFS.of(tab)
    noted = [tab.noted(kind) for kind in kinds]
    for origin, name, holder, at in places:
        text: str | None = None  # the origin's raw details, read once for every kind
        for k, kind in enumerate(kinds):
            if at > tops[k] or (holder is None and origin not in noted[k]):
                continue  # (a code without a note of the kind: most of them)
            key = (name, kind)
            group = refs.get(key)
            if group is None:
                if holder is None:
                    if text is None:
                        text = tab.details_text(origin)
                    notes = _raw_notes(tab, origin, kind, text)
                else:
                    notes = holder.get("notes", {}).get(kind)
                group = refs[key] = _ref_group(notes, origin) if notes else _NO_REFS
            if group.refs:
                out[k].append(group)
    return tuple(tuple(groups) for groups in out)


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


#: ICD-10-CM took effect on this date: no code is valid before it.


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
    elif day < ICD10_START:
        parts.append(f"{day} is before ICD-10-CM took effect ({ICD10_START}): no ICD-10-CM "
                     f"code is valid then (use ICD-9-CM); titles and notes from {rel.label}.")
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

"""The notes that apply to a code, worked out per parent, equal the walk of every origin.

``_details.note_groups`` remembers the groups written above a code (its ancestors', block's
and chapter's) once per (release, holding release, nearest shorter ancestor, category), and
does not remember a code's own node when it has no such notes. These tests compare it, code
by code, with the plain walk (the code's node, each ancestor, the blocks, the chapter) on
real codes of every kind of release: with their own tabular (FY2026), borrowing another
year's (FY2016 from FY2021-01, FY2027 from FY2026), and codes held by another release.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from codekit.icd10cm import _details, clear_caches, default_store
from codekit.icd10cm._details import RefGroup, block_for, stem, tabular_for
from codekit.icd10cm.entry import NOTE_ATTRIBUTES
from codekit.icd10cm.notes import CodeRef

KINDS = ("excludes1", "codeFirst")


def plain_walk(release: Any, base: Any, code: str, kinds: tuple[str, ...]
               ) -> list[list[tuple[Any, ...]]]:
    """Every origin's notes read afresh, in order: the reference the fast path must equal."""
    store = default_store()
    tab = tabular_for(store, release)
    assert tab is not None
    st = stem(code, tab)
    chain = [st, *(a for a in base.ancestors(code) if len(a) < len(st))]
    places: list[tuple[dict[str, Any] | None, str, int]] = [
        (None, c, 0 if n == 0 else 1) for n, c in enumerate(chain)]
    # a block's notes come from it as "K65-K68", a chapter's as "chapter 11"
    block, chapter, _, _ = block_for(store, release, code)
    if block is not None:
        places.append((block, block["block"], 2))
        places += [(outer, outer["block"], 2)
                   for outer in reversed(block.get("_enclosing", ()))]
    if chapter is not None:
        places.append((chapter, "chapter " + chapter["chapter"], 2))
    out: list[list[tuple[Any, ...]]] = []
    for kind in kinds:
        top = {"own": 0, "ancestors": 1}.get(NOTE_ATTRIBUTES[kind][1], 2)
        groups = []
        for holder, origin, level in places:
            if level > top:
                continue
            raw = (holder if holder is not None else tab.details(origin)).get(
                "notes", {}).get(kind)
            refs = tuple((CodeRef.from_json(r), text, origin)
                         for text, items in raw or () for r in items)
            if refs:
                groups.append(refs)
        out.append(groups)
    return out


def texts(groups: tuple[tuple[RefGroup, ...], ...]) -> list[list[tuple[Any, ...]]]:
    """(reference, note text, origin) of each group of each kind."""
    return [[tuple(g.refs) for g in kind] for kind in groups]


def sample(rng: random.Random, release_id: str, n: int) -> list[str]:
    codes = default_store().release(release_id).codes
    picked = [codes[rng.randrange(len(codes))] for _ in range(n)]
    # siblings and 7th-character codes, so that parents are shared and reused
    sevens = [c for c in codes if len(c) == 7]
    picked += [sevens[rng.randrange(len(sevens))] for _ in range(n // 4)]
    picked += [c for c in codes if c.startswith(("E11", "S72", "O09", "T36", "I25", "Z9101"))]
    rng.shuffle(picked)
    return picked


@pytest.mark.parametrize("release_id", ["FY2026", "FY2016", "FY2027", "FY2025"])
def test_per_parent_groups_equal_the_plain_walk(release_id: str) -> None:
    clear_caches()
    store = default_store()
    release = store.release(release_id)
    rng = random.Random(20261203)
    codes = sample(rng, release_id, 1500)
    assert len(codes) > 1500
    with_notes = 0
    for code in codes:
        fast = _details.note_groups(store, release, release, code, *KINDS)
        want = plain_walk(release, release, code, KINDS)
        assert texts(fast) == want, code
        with_notes += any(fast)
    # the sample is not vacuous: most codes have an Excludes1 note somewhere above them
    assert with_notes > len(codes) // 2


def test_a_code_held_by_another_release() -> None:
    """A code answered on a date whose release lacks it (shown as in the release holding
    it): the ancestors are those of the holding release, the notes the date's tabular's."""
    clear_caches()
    store = default_store()
    release, base = store.release("FY2026"), store.release("FY2016")
    gone = sorted(set(base.codes) - set(release.codes))
    assert len(gone) > 100
    for code in gone[::max(1, len(gone) // 400)]:
        fast = _details.note_groups(store, release, base, code, *KINDS)
        want = plain_walk(release, base, code, KINDS)
        assert texts(fast) == want, code


def test_the_same_answer_warm_and_cold() -> None:
    """Asked again with the caches filled by its siblings, a code's groups are the same."""
    clear_caches()
    store = default_store()
    release = store.release("FY2026")
    codes = [c for c in release.codes if c.startswith("S72")][:600]
    cold = [texts(_details.note_groups(store, release, release, c, *KINDS)) for c in codes]
    warm = [texts(_details.note_groups(store, release, release, c, *KINDS)) for c in codes]
    assert cold == warm
    # S72.001A: "Excludes1" notes above it (S72's traumatic amputation note, the block's
    # and chapter's) reach it through its parents
    s72001a = texts(_details.note_groups(store, release, release, "S72001A", *KINDS))
    assert s72001a[0], "S72.001A has Excludes1 notes above it"


def test_a_seven_character_node_of_the_tabular_has_notes_of_its_own() -> None:
    """Z91.0111 is a node of the FY2026 tabular (seven characters, no 7th-character
    extension), with an Excludes1 note of its own naming Z91.0112: the first group of its
    Excludes1 notes, before those above it (Z91.011's "lactose intolerance")."""
    clear_caches()
    store = default_store()
    release = store.release("FY2026")
    assert stem("Z910111", release) == "Z910111"
    assert stem("S72001A", release) == stem("S72001A") == "S72001"
    groups = texts(_details.note_groups(store, release, release, "Z910111", *KINDS))[0]
    assert [(str(r), origin) for r, _, origin in groups[0]] == [("Z91.0112", "Z910111")]
    assert [origin for g in groups[1:] for _, _, origin in g] == ["Z91011"]

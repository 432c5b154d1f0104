"""Category masks of note references: the Excludes1 and Code-first rules pass over a
diagnosis whose notes name none of the claim's categories with one integer AND
(``RefGroup.mask``, ``NoteIndex.mask``, ``Facts.category_bit``). A mask may say "maybe"
wrongly (the note lookup then says no), never "no" wrongly: these tests hold every real
reference to that, and the two rules to a pairwise look-up without masks."""

from __future__ import annotations

import bisect
import itertools

import pytest

from codekit import Checker, Claim, icd10cm
from codekit.icd10cm._details import OTHER_CATEGORY, RefGroup, category_bit
from codekit.icd10cm.notes import CodeRef
from codekit.rules import conventions

from .claims_gen import make_inpatient, make_professional

ON = "2025-06-01"


def _bit(code: str) -> int:
    return category_bit(code.replace(".", "")[:3])


def _mask(*refs: CodeRef) -> int:
    return RefGroup(tuple((r, "note", "X00") for r in refs)).mask


def test_category_bits_follow_the_code_order() -> None:
    assert category_bit("A00") == 2 and category_bit("A01") == 4
    assert category_bit("Z99") == 2 << 2599
    for odd in ("O9A", "C4A", "M1A", "Z3A", "E1", "E110", "e11", "1AB"):
        assert category_bit(odd) == OTHER_CATEGORY, odd


def test_bits_and_masks_are_one_object_per_value() -> None:
    """Every code of a category holds the same bit object, and codes whose notes have the
    same mask hold one mask object: a claim stream's Facts do not keep thousands of copies
    of a few hundred 350-byte integers (memory). After clear_caches, the same values."""
    e119, e1165 = icd10cm.facts("E11.9", on=ON), icd10cm.facts("E11.65", on=ON)
    z7984, z7901 = icd10cm.facts("Z79.84", on=ON), icd10cm.facts("Z79.01", on=ON)
    assert e119 is not None and e1165 is not None and z7984 is not None \
        and z7901 is not None
    assert e119.category_bit is e1165.category_bit == category_bit("E11")
    assert z7984.category_bit is z7901.category_bit == 2 << 2579  # Z79: rank 25 * 100 + 79
    # E11.9 and E11.65 inherit the Excludes1 notes of E11 (E10.-, E08.-, ...)
    a, b = e119.excludes1_index.mask, e1165.excludes1_index.mask
    assert a == b and a is b and a & category_bit("E10")
    assert _mask(CodeRef("code", "Z99", "Z99")) is _mask(CodeRef("code", "Z99", "Z99"))
    k21 = category_bit("K21")
    from codekit import clear_caches

    clear_caches()
    assert category_bit("K21") == k21


def test_range_masks_at_their_bounds() -> None:
    pregnancy = _mask(CodeRef("range", "O00", "O9A"))
    for inside in ("O00", "O09", "O10", "O99", "O9A"):
        assert pregnancy & category_bit(inside), inside
    for outside in ("N99", "P00", "A00", "Z99"):
        assert not pregnancy & category_bit(outside), outside
    # a bound with a letter third character sorts after its digits: C4A-C49 is empty of
    # ranked categories, C4A-C50 holds C50 only; C00-C4A ends at C49
    assert _mask(CodeRef("range", "C4A", "C50")) == category_bit("C50") | OTHER_CATEGORY
    c00_c4a = _mask(CodeRef("range", "C00", "C4A"))
    assert c00_c4a & category_bit("C49") and not c00_c4a & category_bit("C50")
    # ranges inside a category: the category's bit
    assert _mask(CodeRef("range", "B270", "B279")) == category_bit("B27") | OTHER_CATEGORY
    # a code or prefix: its category's bit only
    assert _mask(CodeRef("prefix", "E10", "E10"), CodeRef("code", "G63", "G63")) == \
        category_bit("E10") | category_bit("G63")
    assert _mask(CodeRef("code", "O9A1", "O9A1")) == OTHER_CATEGORY


def _all_codes() -> list[str]:
    store = icd10cm._store.default_store()  # every code ever valid, FY2016 on
    return sorted(store.validity.masks)


def test_every_reference_of_the_tabular_is_covered_by_its_mask() -> None:
    """Each Excludes1 / Code-first reference of every code of FY2026: every code it
    matches has its category's bit in the reference's mask (ranges: every code of the
    categories at and beside both bounds, where an off-by-one would hide)."""
    codes = _all_codes()
    cats = sorted({c[:3] for c in codes})
    by_cat: dict[str, list[str]] = {}
    for c in codes:
        by_cat.setdefault(c[:3], []).append(c)
    refs: set[CodeRef] = set()
    for code in codes:
        f = icd10cm.facts(code, on=ON)
        if f is not None:
            refs.update(r for r, _, _ in f.excludes1 + f.code_first)
    assert len(refs) > 2000  # the FY2026 tabular's references, many of them
    ranges = 0
    for ref in refs:
        mask = _mask(ref)
        if ref.kind != "range":
            near = [ref.start[:3]]
        else:
            ranges += 1
            near = []
            for bound in (ref.start[:3], ref.end[:3]):
                i = bisect.bisect_left(cats, bound)
                near += cats[max(0, i - 2):i + 2]
        for cat in near:
            for code in by_cat.get(cat, ()):
                if ref.matches(code):
                    assert mask & category_bit(cat), (str(ref), code)
    assert ranges > 250


def _pairs_by_lookup(ctx: object, kind: str) -> set[tuple[int, str, str]]:
    """What the rule must find, by asking every pair without masks."""
    valid = ctx.valid_hits  # type: ignore[attr-defined]
    out = set()
    for (xi, x), (yi, y) in itertools.permutations(valid, 2):
        if x.code == y.code:
            continue
        if kind == "excludes1" and x.excludes1_note(y.code) is not None and not (
                conventions.is_substance(x.code) and conventions.is_substance(y.code)):
            # two substances are each coded (conventions.is_substance): no conflict
            out.add((max(xi, yi), *sorted((x.dotted, y.dotted))))
        if kind == "code_first" and yi > xi and \
                conventions._code_first(x, y.code) is not None:
            out.add((xi, x.dotted, y.dotted))
    return out


def _claim(dx: list[str]) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": ON,
        "patient": {"sex": "F", "birth_date": "1990-01-01"}, "diagnoses": dx,
        "service_lines": [{"procedure_code": "99213", "diagnosis_pointers": [1]}]})


@pytest.mark.parametrize(("dx", "expected"), [
    # a range note ending in a category the masks cannot rank (O00-O9A)
    (["Z34.90", "O9A.111"], {(1, "O9A.111", "Z34.90")}),
    (["E11.9", "E10.9", "I10"], {(1, "E10.9", "E11.9")}),
    (["I10", "R10.9", "K21.9"], set()),
])
def test_excludes1_with_masks_finds_what_every_pair_finds(
        dx: list[str], expected: set[tuple[int, str, str]]) -> None:
    ctx = Checker().context(_claim(dx))
    found = {(h.location[1], *sorted(h.codes)) for h in conventions.excludes1.check(ctx)}
    assert found == _pairs_by_lookup(ctx, "excludes1") == expected


def test_both_rules_agree_with_every_pair_on_generated_claims() -> None:
    checkers = (Checker(), Checker(profile="medicare-inpatient", policies=()))
    claims = [(checkers[0], d) for d in make_professional(400)] + \
        [(checkers[1], d) for d in make_inpatient(400)]
    seen = {"excludes1": 0, "code_first": 0}
    for checker, d in claims:
        ctx = checker.context(Claim.from_dict(d))
        ex1 = {(h.location[1], *sorted(h.codes)) for h in conventions.excludes1.check(ctx)}
        cf = {(h.location[1], *h.codes) for h in conventions.code_first.check(ctx)}
        assert ex1 == _pairs_by_lookup(ctx, "excludes1"), d["diagnoses"]
        # the rule reports the first code a note names, per code with the note
        want = _pairs_by_lookup(ctx, "code_first")
        assert cf <= want and {p[0] for p in cf} == {p[0] for p in want}, d["diagnoses"]
        seen["excludes1"] += len(ex1)
        seen["code_first"] += len(cf)
    assert seen["excludes1"] > 50 and seen["code_first"] > 5, seen


def test_the_claims_categories_follow_line_dates() -> None:
    """A diagnosis invalid on a line's date leaves the claim's mask (professional)."""
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-09-30",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "diagnoses": ["G35", "I10"],
        "service_lines": [{"procedure_code": "99213", "diagnosis_pointers": [1],
                           "date_of_service": "2025-10-01"}]})
    ctx = Checker().context(claim)
    assert ctx.valid_categories == _bit("I10")

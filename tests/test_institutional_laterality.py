"""LATERALITY_MISMATCH and MOD_LATERALITY_MISSING on 837I lines, which point to no
diagnosis: the side modifier against the claim's diagnoses of the modifier's body region
(quiet unless every one of them names the other side), as PCS_LATERALITY_MISMATCH judges a
PCS body part. Professional claims keep their pointer-based findings."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim

CHECKER = Checker()
RULES = ("LATERALITY_MISMATCH", "MOD_LATERALITY_MISSING")


def _outpatient(dx: list[str], code: str, mods: list[str]) -> Claim:
    return Claim.from_dict({
        "claim_type": "institutional", "bill_type": "131", "payer": "medicare",
        "patient": {"sex": "F", "age": 70}, "statement_period": ["2025-03-10", "2025-03-10"],
        "diagnoses": dx, "service_lines": [{
            "procedure_code": code, "modifiers": mods, "revenue_code": "0360",
            "date_of_service": "2025-03-10", "units": 1}]})


def _professional(dx: list[str], code: str, mods: list[str]) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "patient": {"sex": "F", "age": 70},
        "date_of_service": "2025-03-10", "diagnoses": dx, "service_lines": [{
            "procedure_code": code, "modifiers": mods, "units": 1,
            "diagnosis_pointers": list(range(1, len(dx) + 1))}]})


def _found(claim: Claim) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity.value, f.location, f.codes, f.fix, f.message)
            for f in CHECKER.check(claim).findings if f.rule in RULES]


@pytest.mark.parametrize(("dx", "code", "mod", "fix", "said"), [
    ("H25.11", "66984", "LT", "RT", "LT (left side of the body) does not match the claim's "
     "diagnoses (an institutional line points to none): H25.11 (right)."),
    ("S93.402A", "73610", "RT", "LT", "RT (right side of the body) does not match the "
     "claim's diagnoses (an institutional line points to none): S93.402A (left)."),
    ("S61.412A", "12002", "RT", "LT", "RT (right side of the body) does not match the "
     "claim's diagnoses (an institutional line points to none): S61.412A (left)."),
])
def test_a_side_modifier_against_the_claims_diagnosis_of_the_other_side(
        dx: str, code: str, mod: str, fix: str, said: str) -> None:
    assert _found(_outpatient([dx], code, [mod])) == [(
        "LATERALITY_MISMATCH", "error", ("service_lines", 0, "modifiers", 0),
        (code, mod, dx), (fix,),
        f"Line 1: modifier {said} Correct the modifier or the diagnosis.")]


def test_modifier_50_against_one_sided_diagnoses() -> None:
    assert _found(_outpatient(["H25.11"], "66984", ["50"])) == [(
        "LATERALITY_MISMATCH", "error", ("service_lines", 0, "modifiers", 0),
        ("66984", "50", "H25.11"), ("RT",),
        "Line 1: modifier 50 means both sides, but the claim's diagnosis (H25.11) names the "
        "right side only: bill RT instead of 50, or add a diagnosis of the left side.")]


def test_a_finger_modifier_against_the_other_hand() -> None:
    # M65.331 trigger finger, right middle finger; FA is the left thumb: fix F7
    (f,) = _found(_outpatient(["M65.331"], "26055", ["FA"]))
    assert f[:5] == ("LATERALITY_MISMATCH", "error", ("service_lines", 0, "modifiers", 0),
                     ("26055", "FA", "M65.331"), ("F7",))


def test_a_missing_side_modifier() -> None:
    assert _found(_outpatient(["H25.11"], "66984", [])) == [(
        "MOD_LATERALITY_MISSING", "warning", ("service_lines", 0, "modifiers"),
        ("66984", "H25.11"), ("RT",),
        "Line 1 (66984) has no side modifier, but the claim's diagnoses (H25.11) name the "
        "right side: add RT (or RT/LT/50 as performed).")]


@pytest.mark.parametrize(("dx", "code", "mods"), [
    (["H25.11", "H25.12"], "66984", ["LT"]),   # a right and a left eye
    (["H25.11", "H25.12"], "66984", []),       # no one side to suggest
    (["H25.12", "H25.11"], "66984", ["50"]),   # both sides named
    (["H25.13"], "66984", ["LT"]),             # bilateral cataract
    (["H25.10"], "66984", ["LT"]),             # an eye, no side stated
    (["H25.11", "H25.10"], "66984", ["LT"]),   # one eye of no stated side
    (["H25.10"], "66984", []),
    (["I10"], "66984", ["LT"]),                # no diagnosis of a sided region
    (["I10"], "66984", []),
    (["H25.11"], "66984", ["RT"]),             # the line's side
    # a right diagnosis of no region of the table (the right middle cerebral artery):
    # a professional line pointing to every diagnosis would find RT fits it
    (["S93.402A", "I63.511"], "73610", ["RT"]),
    # the thumb of the right hand, a modifier of the right hand: not the other side
    (["M65.311"], "26055", ["F7"]),
])
def test_quiet(dx: list[str], code: str, mods: list[str]) -> None:
    assert _found(_outpatient(dx, code, mods)) == []


@pytest.mark.parametrize(("dx", "code", "mod", "rule"), [
    ("H25.11", "66984", "LT", "LATERALITY_MISMATCH"),
    ("S61.412A", "12002", "RT", "LATERALITY_MISMATCH"),
    ("H25.11", "66984", "", "MOD_LATERALITY_MISSING"),
])
def test_professional_claims_keep_the_pointed_diagnoses_wording(
        dx: str, code: str, mod: str, rule: str) -> None:
    ((got, *_, message),) = _found(_professional([dx], code, [mod] if mod else []))
    assert got == rule and "claim's" not in message and "point" in message

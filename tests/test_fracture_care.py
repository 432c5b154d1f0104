"""DX_ENCOUNTER_CHARACTER_CONFLICT: a fracture coded for a subsequent encounter of routine
healing beside the reduction of that bone (ICD-10-CM Guidelines I.C.19.a, I.C.19.c.1), on
real codes of FY2025 (discharge 2025-03-01)."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim

RULE = "DX_ENCOUNTER_CHARACTER_CONFLICT"


def _found(dx: list[str], procs: list[str], *, bill_type: str = "111"
           ) -> list[tuple[Any, ...]]:
    claim = Claim.from_dict({
        "claim_id": "fx", "payer": "medicare", "claim_type": "institutional",
        "bill_type": bill_type, "statement_period": ["2025-02-25", "2025-03-01"],
        "patient": {"sex": "F", "birth_date": "1950-01-01"},
        "diagnoses": [{"code": c, "poa": "Y"} for c in dx],
        "procedures": [{"code": p, "date": "2025-02-26"} for p in procs]})
    return [(f.severity.value, tuple(f.location), f.codes, f.fix, f.message)
            for f in Checker().check(claim).findings if f.rule == RULE]


def test_an_open_reduction_of_the_femur_coded_as_routine_healing() -> None:
    assert _found(["S72.001D"], ["0QS604Z"]) == [(
        "warning", ("diagnoses", 0), ("S72.001D", "0QS604Z"), ("S72.001A",),
        "Diagnosis 1 S72.001D is a subsequent encounter with routine healing (7th character "
        "D), but procedure 1 0QS604Z reduces the fracture (Reposition, Upper Femur, Right): "
        "an encounter of active treatment, surgery included, takes the initial-encounter "
        "character: S72.001A (Guidelines I.C.19.a).")]


@pytest.mark.parametrize(("dx", "procs", "codes", "fix"), [
    # S42 has no E or F: its D is for a closed or an open fracture
    (["S42.201D"], ["0PSC04Z"], ("S42.201D", "0PSC04Z"), ("S42.201A", "S42.201B")),
    # an open type I/II fracture in routine healing, the tibia reduced
    (["I10", "S82.201E"], ["0QSG04Z"], ("S82.201E", "0QSG04Z"), ("S82.201B",)),
    (["S82.201F"], ["0QSG04Z"], ("S82.201F", "0QSG04Z"), ("S82.201C",)),
    # the side of the fracture unspecified: the right femur's reduction is still its own
    (["S72.009D"], ["0QS604Z"], ("S72.009D", "0QS604Z"), ("S72.009A",)),
])
def test_fires_with_the_initial_character_of_its_kind(
        dx: list[str], procs: list[str], codes: tuple[str, ...],
        fix: tuple[str, ...]) -> None:
    (got,) = _found(dx, procs)
    assert got[2:4] == (codes, fix)


@pytest.mark.parametrize(("dx", "procs"), [
    (["S72.001A"], ["0QS604Z"]),            # initial encounter: right
    (["S72.001G"], ["0QS604Z"]),            # delayed healing: surgery treats it
    (["S72.001K"], ["0QS604Z"]),            # nonunion
    (["S72.002D"], ["0QS604Z"]),            # the other femur (PCS_LATERALITY_MISMATCH's)
    (["S72.001D"], ["0PSC04Z"]),            # the humerus reduced, not the femur
    (["S72.001D"], ["0QP604Z"]),            # hardware removed: no reduction
    (["S72.001D", "M16.11"], ["0SR90J9"]),  # a hip replaced: no reduction of the fracture
])
def test_quiet(dx: list[str], procs: list[str]) -> None:
    assert _found(dx, procs) == []


def test_an_outpatient_claim_too() -> None:
    assert [f[3] for f in _found(["S52.501D"], ["0PSH04Z"], bill_type="131")] == [
        ("S52.501A",)]


@pytest.mark.parametrize("new", ["S72.001A", "M80.051A"])
def test_a_new_fracture_of_the_region_is_what_the_reduction_treats(new: str) -> None:
    # a right femoral shaft fracture in routine healing (S72.301D, right) and a new right
    # femoral neck fracture, traumatic or pathological (initial encounter), reduced: the
    # reduction is the new fracture's; each injury is coded for its own encounter
    # (Guidelines I.C.19.a, I.C.19.b)
    assert _found([new, "S72.301D", "W19.XXXA"], ["0QS604Z"]) == []


def test_a_new_fracture_of_the_other_side_does_not_explain_the_reduction() -> None:
    assert [f[2:4] for f in _found(["S72.002A", "S72.001D"], ["0QS604Z"])] == [
        (("S72.001D", "0QS604Z"), ("S72.001A",))]

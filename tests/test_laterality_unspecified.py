"""DX_LATERALITY_UNSPECIFIED: a line whose RT or LT states a side, pointing to a diagnosis
of unspecified side when the classification has the code of that side (Guidelines
I.B.13); quiet where no code of one side of the same title exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from codekit import Checker, Claim
from codekit.rules.laterality import sided_code

CHECKER = Checker()
RULE = "DX_LATERALITY_UNSPECIFIED"


def _claim(dx: list[str], code: str, mods: list[str], **extra: Any) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "place_of_service": "11",
        "patient": {"sex": "F", "birth_date": "1952-05-14"}, "date_of_service": "2025-06-10",
        "diagnoses": dx, "service_lines": [{
            "procedure_code": code, "modifiers": mods, "units": 1,
            "diagnosis_pointers": list(range(1, len(dx) + 1))}], **extra})


def _found(claim: Claim) -> list[tuple[Any, ...]]:
    return [(f.severity.value, f.path, f.codes, f.fix)
            for f in CHECKER.check(claim).findings if f.rule == RULE]


def test_unspecified_knee_with_rt_is_told_the_right_knee_code() -> None:
    report = CHECKER.check(_claim(["M17.10"], "20610", ["RT"]))
    assert [(f.rule, f.severity.value, f.path, f.codes, f.fix, f.message)
            for f in report.findings] == [(
                RULE, "warning", "$.diagnoses[0]", ("M17.10", "20610", "RT"), ("M17.11",),
                "Line 1 (20610-RT) points to M17.10 (Unilateral primary osteoarthritis, "
                "unspecified knee), of unspecified side, but its modifier RT states the right "
                "side: report M17.11 (Guidelines I.B.13: the unspecified side only when the "
                "record does not identify it).")]


@pytest.mark.parametrize(("dx", "code", "mod", "fix"), [
    (["S52.509A"], "25600", "RT", "S52.501A"),  # the 7th character kept
    (["S52.509A"], "25600", "LT", "S52.502A"),
    (["H25.10"], "66984", "RT", "H25.11"),
    (["E11.9", "M25.569"], "73562", "LT", "M25.562"),  # the second pointer
    # seven characters, none of them a 7th-character extension: the code's own siblings
    (["T86.8409"], "65710", "RT", "T86.8401"),
    (["T86.8419"], "65710", "LT", "T86.8412"),
    # the eye is the 7th character (E08-E13 .32-.35, .37: "9 unspecified eye")
    (["E11.3419"], "67028", "RT", "E11.3411"),
    (["E11.3599"], "67028", "LT", "E11.3592"),
    (["E11.37X9"], "67028", "RT", "E11.37X1"),
])
def test_the_code_of_the_modifiers_side(dx: list[str], code: str, mod: str,
                                        fix: str) -> None:
    at = f"$.diagnoses[{len(dx) - 1}]"
    assert _found(_claim(dx, code, [mod])) == [("warning", at, (dx[-1], code, mod), (fix,))]


@pytest.mark.parametrize(("dx", "code", "mods"), [
    (["M17.11"], "20610", ["RT"]),        # the side stated already
    (["M17.10"], "20610", []),            # no side modifier: nothing states the side
    (["M17.10"], "20610", ["50"]),        # the bilateral code is not a one-word change
    (["M17.10"], "20610", ["RT", "LT"]),  # both sides on one line
    (["M20.40"], "28285", ["TA", "RT"]),  # the left great toe with RT: a conflict
    (["M79.609"], "20610", ["RT"]),       # arm/leg codes, none of one side of this title
    (["H40.10X0"], "65855", ["RT"]),      # no side in this subcategory
    (["E11.3413"], "67028", ["RT"]),      # the bilateral eye character: a side stated
    (["E11.9"], "20610", ["RT"]),         # a condition without sides
    (["S61.209A"], "12001", ["F1"]),      # a finger modifier: not judged (RT/LT only)
])
def test_quiet(dx: list[str], code: str, mods: list[str]) -> None:
    assert _found(_claim(dx, code, mods)) == []


def test_beside_a_diagnosis_of_the_other_side_only_the_unspecified_side_is_said() -> None:
    """The line also points to M17.10, which states no side: LATERALITY_MISMATCH does not
    judge it (spec F5, "unspecified-side or no-laterality dx -> no edit"); the unspecified
    knee is told to name the right one, which fits RT."""
    found = [(f.rule, f.path, f.fix)
             for f in CHECKER.check(_claim(["M17.10", "M17.12"], "20610", ["RT"])).findings]
    assert found == [(RULE, "$.diagnoses[0]", ("M17.11",))]


def test_sided_code_is_none_for_a_code_with_no_sibling_of_that_title() -> None:
    day = dt.date(2025, 6, 10)
    assert sided_code("M79.609", "Pain in unspecified limb", "right", day) is None
    assert sided_code("M17.10", "Unilateral primary osteoarthritis, unspecified knee",
                      "left", day) == "M17.12"
    # the first date of ICD-10-CM: the same siblings
    assert sided_code("M17.10", "Unilateral primary osteoarthritis, unspecified knee",
                      "left", dt.date(2015, 10, 1)) == "M17.12"


def test_a_code_of_seven_characters_whose_side_is_its_sixth() -> None:
    """L98.A391 (ulcer of an unspecified hand, limited to breakdown of skin): no sibling
    names a side, the right hand's code of the same severity is L98.A311."""
    claim = _claim(["L98.A391"], "97597", ["RT"], date_of_service="2025-11-03")
    assert _found(claim) == [("warning", "$.diagnoses[0]", ("L98.A391", "97597", "RT"),
                              ("L98.A311",))]

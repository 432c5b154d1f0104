"""DX_COMBINATION_CODE_EXPECTED: two codes the guidelines say are one combination code.

The rule is in ``codekit.rules.combinations``; these tests add it to a checker
(``Checker.with_rules``), so they hold whether or not the built-in rules list it yet.
Real codes; dates 2025-11-03 (FY2026), 2019-06-01 (N18.3 still a code) and 2016-06-01.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from codekit import Checker, Claim, icd10cm
from codekit.rules import builtin_rules, combinations
from codekit.rules.combinations import COMBINATION, COMPANIONS, DIABETES, HYPERTENSIVE, LINKS
from tests.test_additional_codes import claim as additional_claim
from tests.test_guidelines import SCENARIOS
from tests.test_guidelines import claim as guideline_claim

ID = "DX_COMBINATION_CODE_EXPECTED"
DAY = "2025-11-03"
PROFILES = ("medicare-professional", "medicare-outpatient", "medicare-inpatient", "commercial")
CHECKERS = {p: Checker(profile=p).with_rules(*combinations.RULES) for p in PROFILES}
KIND = {"prof": "medicare-professional", "inp": "medicare-inpatient",
        "out": "medicare-outpatient", "commercial": "commercial"}

Found = list[tuple[tuple[object, ...], tuple[str, ...], tuple[str, ...], str, str]]


def claim(kind: str, dx: list[str], day: str = DAY) -> dict[str, Any]:
    """A professional (or ``kind`` "inp": bill type 111, "commercial") claim of a woman
    born 1950-02-14 (tests/test_additional_codes.py's claims)."""
    return additional_claim(kind, dx, day, born="1950-02-14")


def found(kind: str, dx: list[str], day: str = DAY) -> Found:
    report = CHECKERS[KIND[kind]].check(Claim.from_dict(claim(kind, dx, day)))
    return [(f.location, f.codes, f.fix, f.message, f.severity.value)
            for f in report.findings if f.rule == ID]


def linked(at: int, codes: tuple[str, ...], fix: str, what: str, guideline: str) -> Any:
    """The "presumed linked" finding."""
    return (("diagnoses", at), codes, (fix,),
            f"{codes[0]} with {' and '.join(codes[1:])}: {what} is presumed linked and coded "
            f"{fix} (Guideline {guideline}), unless the provider documents them as "
            "unrelated.", "warning")


I11_0 = "hypertensive heart disease with heart failure"
I11_9 = "hypertensive heart disease without heart failure"
I12_0 = ("hypertensive chronic kidney disease with stage 5 chronic kidney disease or end "
         "stage renal disease")
I12_9 = ("hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney "
         "disease, or unspecified chronic kidney disease")
I13_0 = ("hypertensive heart and chronic kidney disease with heart failure and stage 1 "
         "through stage 4 chronic kidney disease, or unspecified chronic kidney disease")
I13_10 = ("hypertensive heart and chronic kidney disease without heart failure, with stage 1 "
          "through stage 4 chronic kidney disease, or unspecified chronic kidney disease")


def contradicts(at: int, x: str, y: str, fix: str, says_x: str, says_fix: str,
                guideline: str) -> Any:
    return (("diagnoses", at), (x, y), (fix,),
            f"{x} with {y}: {x} is for {says_x}; with {y} the code is {fix}, {says_fix} "
            f"(Guideline {guideline}).", "warning")


def uncomplicated(at: int, x: str, y: str) -> Any:
    return (("diagnoses", at), (x, y), (y,),
            f"{x} with {y}: {x} is diabetes without complications, but {y} codes a "
            f"complication of the same diabetes: remove {x} (Guideline I.C.4.a: as many "
            "codes of the category as needed to describe all of the complications).",
            "warning")


def diabetic_ckd(at: int, x: str, n: str, fix: str) -> Any:
    return (("diagnoses", at), (x, n), (fix,),
            f"{x} with {n}: diabetes with chronic kidney disease is presumed linked and coded "
            f"{fix} (Guideline I.A.15; Alphabetic Index: Diabetes, with, chronic kidney "
            "disease), unless the provider documents them as unrelated.", "warning")


def diabetic(at: int, x: str, companions: tuple[str, ...], subterms: tuple[str, ...],
             fixes: tuple[str, ...], replaced: tuple[tuple[str, str], ...] = ()) -> Any:
    """The finding on the diabetes "without complications" code ``x`` linked to
    ``companions`` by the Index's "Diabetes, with" ``subterms``; ``replaced``: (fix,
    companion) pairs whose companion the combination code replaces."""
    with_ = [f"with {s}" for s in subterms]
    said = with_[0] if len(with_) == 1 else ", ".join(with_[:-1]) + " and " + with_[-1]
    names = list(companions)
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    fix_list = list(fixes)
    coded = (fix_list[0] if len(fix_list) == 1
             else ", ".join(fix_list[:-1]) + " and " + fix_list[-1])
    message = (f"{x} with {joined}: diabetes {said} is presumed linked and coded {coded} "
               f"(Guideline I.A.15; Alphabetic Index: Diabetes, with, "
               f"{'; with, '.join(subterms)}), unless the provider documents them as "
               "unrelated.")
    for fix, companion in replaced:
        message += f" {fix} also says {companion}, which it replaces (Guideline I.B.9)."
    return (("diagnoses", at), (x, *companions), fixes, message, "warning")


def replaced(at: int, companion: str, x: str, fix: str, says: str) -> Any:
    """The finding on a companion the combination code replaces."""
    return (("diagnoses", at), (companion, x), (fix,),
            f"{companion} with {x}: {fix} ({says}) includes what {companion} says: report "
            f"{fix} in place of {companion} and {x} (Guidelines I.A.15, I.B.9), unless the "
            "provider documents them as unrelated.", "warning")


def coded(at: int, companion: str, combination: str, says: str) -> Any:
    """The finding on a companion beside the combination code that says all of it."""
    return (("diagnoses", at), (companion, combination), (combination,),
            f"{companion} with {combination}: {combination} ({says}) includes what "
            f"{companion} says: remove {companion} (Guideline I.B.9: no multiple coding "
            "where a combination code identifies all the elements of the diagnosis).",
            "warning")


E11_51 = "type 2 diabetes mellitus with diabetic peripheral angiopathy without gangrene"

#: I50.4x's titles by acuity (the 5th character)
I50_4 = {"I50.40": "unspecified", "I50.41": "acute", "I50.42": "chronic",
         "I50.43": "acute on chronic"}


def failure(at: int, x: str, others: tuple[str, ...], fix: str, both: str,
            acuities: str = "") -> Any:
    """Systolic beside diastolic heart failure: the finding at ``x``, fix the combined
    code (``I50.4-`` when the acuities differ, which ``acuities`` then lists)."""
    target = (f"{fix} ({I50_4[fix]} combined systolic (congestive) and diastolic "
              "(congestive) heart failure)" if fix in I50_4 else
              "a code of I50.4- (combined systolic (congestive) and diastolic (congestive) "
              "heart failure)")
    tail = f", of the acuity the record documents{acuities}" if acuities else ""
    return (("diagnoses", at), (x, *others), (fix,),
            f"{x} with {' and '.join(others)}: systolic and diastolic heart failure "
            f"together are combined systolic and diastolic heart failure, one code: report "
            f"{target} in place of {both}{tail} (Guideline I.B.9; the Excludes1 notes of "
            "I50.2 and I50.3).", "warning")

HTN_CKD, HTN_HF = "hypertension with chronic kidney disease", "hypertension with heart failure"
HTN_HF_CKD = "hypertension with heart failure and chronic kidney disease"
HTN_HEART_CKD = "hypertension with heart disease and chronic kidney disease"

# (setting, diagnoses, the findings)
FIRES: list[tuple[str, list[str], Found]] = [
    # I.C.9.a.2: I10 with N18.- is I12.-, the stage choosing the code
    ("prof", ["I10", "N18.30"], [linked(0, ("I10", "N18.30"), "I12.9", HTN_CKD, "I.C.9.a.2")]),
    ("prof", ["N18.30", "I10"], [linked(1, ("I10", "N18.30"), "I12.9", HTN_CKD, "I.C.9.a.2")]),
    ("inp", ["I10", "N18.6", "Z99.2"],
     [linked(0, ("I10", "N18.6"), "I12.0", HTN_CKD, "I.C.9.a.2")]),
    # I.C.9.a.1: I10 with heart failure is I11.0, with the other heart conditions I11.9
    ("prof", ["I50.9", "I10"], [linked(1, ("I10", "I50.9"), "I11.0", HTN_HF, "I.C.9.a.1")]),
    ("inp", ["I50.22", "I10"], [linked(1, ("I10", "I50.22"), "I11.0", HTN_HF, "I.C.9.a.1")]),
    ("prof", ["I10", "I51.7"], [linked(0, ("I10", "I51.7"), "I11.9",
                                       "hypertension with heart disease", "I.C.9.a.1")]),
    # I.C.9.a.3: both, or I11 with CKD, or I12 with heart failure: I13.-
    ("prof", ["I10", "I50.9", "N18.4"],
     [linked(0, ("I10", "I50.9", "N18.4"), "I13.0", HTN_HF_CKD, "I.C.9.a.3")]),
    ("inp", ["I11.0", "I50.22", "N18.6"],
     [linked(0, ("I11.0", "N18.6"), "I13.2", HTN_HF_CKD, "I.C.9.a.3")]),
    ("prof", ["I12.9", "N18.4", "I50.32"],
     [linked(0, ("I12.9", "I50.32"), "I13.0", HTN_HF_CKD, "I.C.9.a.3")]),
    # I11.9 with I12.9: each is replaced by I13.10 (one finding on each)
    ("prof", ["I11.9", "I12.9", "N18.30"],
     [linked(0, ("I11.9", "N18.30"), "I13.10", HTN_HEART_CKD, "I.C.9.a.3"),
      linked(1, ("I12.9", "I11.9"), "I13.10", HTN_HEART_CKD, "I.C.9.a.3")]),
    # a code whose title says otherwise than its companion
    ("prof", ["I11.9", "I50.9"],
     [contradicts(0, "I11.9", "I50.9", "I11.0", I11_9, I11_0, "I.C.9.a.1")]),
    ("inp", ["I11.9", "I50.9"],
     [contradicts(0, "I11.9", "I50.9", "I11.0", I11_9, I11_0, "I.C.9.a.1")]),
    ("prof", ["I12.9", "N18.6", "Z99.2"],
     [contradicts(0, "I12.9", "N18.6", "I12.0", I12_9, I12_0, "I.C.9.a.2")]),
    ("prof", ["I12.0", "N18.4"],
     [contradicts(0, "I12.0", "N18.4", "I12.9", I12_0, I12_9, "I.C.9.a.2")]),
    ("prof", ["I13.10", "I50.9", "N18.4"],
     [contradicts(0, "I13.10", "I50.9", "I13.0", I13_10, I13_0, "I.C.9.a.3")]),
    # I.B.9: the combination code on the claim already says the hypertension
    ("prof", ["I12.9", "N18.30", "I10"], [(
        ("diagnoses", 2), ("I10", "I12.9"), ("I12.9",),
        f"I10 with I12.9: I12.9 ({I12_9}) includes what I10 says: report I12.9 alone "
        "(Guidelines I.C.9.a.2, I.B.9).", "warning")]),
    # I.C.4.a: "without complications" beside a complication of the same diabetes
    ("prof", ["E11.9", "E11.65"], [uncomplicated(0, "E11.9", "E11.65")]),
    ("inp", ["E11.65", "E11.9"], [uncomplicated(1, "E11.9", "E11.65")]),
    ("prof", ["E10.9", "E10.649"], [uncomplicated(0, "E10.9", "E10.649")]),
    ("prof", ["E11.9", "E11.22", "N18.4"], [uncomplicated(0, "E11.9", "E11.22")]),
    # I.A.15 with the Index: diabetes with CKD is E1x.22
    ("prof", ["E11.9", "N18.30"], [diabetic_ckd(0, "E11.9", "N18.30", "E11.22")]),
    ("inp", ["N18.5", "E10.9"], [diabetic_ckd(1, "E10.9", "N18.5", "E10.22")]),
    ("prof", ["E13.9", "N18.9"], [diabetic_ckd(0, "E13.9", "N18.9", "E13.22")]),
    # both families on one claim: one finding each
    ("prof", ["E11.9", "I10", "N18.31"],
     [linked(1, ("I10", "N18.31"), "I12.9", HTN_CKD, "I.C.9.a.2"),
      diabetic_ckd(0, "E11.9", "N18.31", "E11.22")]),
    # the Index's other "Diabetes, with" subterms (Guideline I.A.15). The combination code
    # says all I73.9 says: I73.9 is replaced too, by its own finding (Guideline I.B.9)
    ("prof", ["E11.9", "I73.9"],
     [diabetic(0, "E11.9", ("I73.9",), ("peripheral angiopathy",), ("E11.51",),
               (("E11.51", "I73.9"),)),
      replaced(1, "I73.9", "E11.9", "E11.51", E11_51)]),
    ("inp", ["I73.9", "E10.9"],
     [diabetic(1, "E10.9", ("I73.9",), ("peripheral angiopathy",), ("E10.51",),
               (("E10.51", "I73.9"),)),
      replaced(0, "I73.9", "E10.9", "E10.51",
               "type 1 diabetes mellitus with diabetic peripheral angiopathy without gangrene")]),
    ("prof", ["E11.9", "G62.9"],
     [diabetic(0, "E11.9", ("G62.9",), ("polyneuropathy",), ("E11.42",),
               (("E11.42", "G62.9"),)),
      replaced(1, "G62.9", "E11.9", "E11.42",
               "type 2 diabetes mellitus with diabetic polyneuropathy")]),
    ("prof", ["E11.9", "E16.2"],
     [diabetic(0, "E11.9", ("E16.2",), ("hypoglycemia",), ("E11.649",),
               (("E11.649", "E16.2"),)),
      replaced(1, "E16.2", "E11.9", "E11.649",
               "type 2 diabetes mellitus with hypoglycemia without coma")]),
    ("prof", ["E13.9", "R73.9"],
     [diabetic(0, "E13.9", ("R73.9",), ("hyperglycemia",), ("E13.65",),
               (("E13.65", "R73.9"),)),
      replaced(1, "R73.9", "E13.9", "E13.65",
               "other specified diabetes mellitus with hyperglycemia")]),
    ("prof", ["E11.9", "M14.671"],
     [diabetic(0, "E11.9", ("M14.671",), ("Charcot's joints",), ("E11.610",),
               (("E11.610", "M14.671"),)),
      replaced(1, "M14.671", "E11.9", "E11.610",
               "type 2 diabetes mellitus with diabetic neuropathic arthropathy")]),
    # the companion stays: a "use additional code" note of the combination code (L97 with
    # E11.621, L98.4 with E11.622, M86 with E11.69), K31.84's "code first" note; the type
    # of cataract and of periodontal disease
    ("prof", ["E11.9", "L97.412"],
     [diabetic(0, "E11.9", ("L97.412",), ("foot ulcer",), ("E11.621",))]),
    ("prof", ["E09.9", "L97.521"],
     [diabetic(0, "E09.9", ("L97.521",), ("foot ulcer",), ("E09.621",))]),
    ("prof", ["E11.9", "L97.212"],
     [diabetic(0, "E11.9", ("L97.212",), ("skin ulcer",), ("E11.622",))]),
    ("prof", ["E11.9", "L98.491"],
     [diabetic(0, "E11.9", ("L98.491",), ("skin ulcer",), ("E11.622",))]),
    ("prof", ["E11.9", "K31.84"],
     [diabetic(0, "E11.9", ("K31.84",), ("gastroparesis",), ("E11.43",))]),
    ("prof", ["E08.9", "K31.84"],
     [diabetic(0, "E08.9", ("K31.84",), ("gastroparesis",), ("E08.43",))]),
    ("prof", ["E11.9", "H25.13"],
     [diabetic(0, "E11.9", ("H25.13",), ("cataract",), ("E11.36",))]),
    ("prof", ["H26.9", "E10.9"],
     [diabetic(1, "E10.9", ("H26.9",), ("cataract",), ("E10.36",))]),
    ("prof", ["E11.9", "K05.321"],
     [diabetic(0, "E11.9", ("K05.321",), ("periodontal disease",), ("E11.630",))]),
    ("prof", ["E11.9", "M86.171"],
     [diabetic(0, "E11.9", ("M86.171",), ("osteomyelitis",), ("E11.69",))]),
    # several conditions: one finding on E11.9 with a code for each (I.C.4.a), in the
    # order of their first companion, and one on each companion it replaces
    ("prof", ["E11.9", "L97.412", "I73.9", "N18.31", "L97.521"],
     [diabetic(0, "E11.9", ("L97.412", "L97.521", "I73.9", "N18.31"),
               ("foot ulcer", "peripheral angiopathy", "chronic kidney disease"),
               ("E11.621", "E11.51", "E11.22"), (("E11.51", "I73.9"),)),
      replaced(2, "I73.9", "E11.9", "E11.51", E11_51)]),
    # atherosclerosis of the native arteries of the extremities is a peripheral
    # angiopathy (Coding Clinic 3Q2018): E11.51, with gangrene (I70.26-) E11.52; the I70.2-
    # code stays. Beside an ulcer it causes (I70.23-, L97's "code first"), the angiopathy
    # is linked and the ulcer left to the coder.
    ("prof", ["E11.9", "I70.211"],
     [diabetic(0, "E11.9", ("I70.211",), ("peripheral angiopathy",), ("E11.51",))]),
    ("inp", ["I70.262", "E10.9"],
     [diabetic(1, "E10.9", ("I70.262",), ("peripheral angiopathy with gangrene",),
               ("E10.52",))]),
    ("prof", ["E11.9", "I70.234", "L97.412"],
     [diabetic(0, "E11.9", ("I70.234",), ("peripheral angiopathy",), ("E11.51",))]),
    # and so is the atherosclerosis of the extremities' bypass grafts (I70.3-I70.7: I73.9's
    # Excludes1, "atherosclerosis of the extremities (I70.2-I70.7-)")
    ("prof", ["E11.9", "I70.311"],
     [diabetic(0, "E11.9", ("I70.311",), ("peripheral angiopathy",), ("E11.51",))]),
    ("prof", ["E10.9", "I70.511"],
     [diabetic(0, "E10.9", ("I70.511",), ("peripheral angiopathy",), ("E10.51",))]),
    ("inp", ["I70.662", "E11.9"],
     [diabetic(1, "E11.9", ("I70.662",), ("peripheral angiopathy with gangrene",),
               ("E11.52",))]),
    # I73.9 beside I70.2- (I73.9's Excludes1 pairs them): E11.51 is named once
    ("prof", ["E11.9", "I73.9", "I70.201"],
     [diabetic(0, "E11.9", ("I73.9", "I70.201"), ("peripheral angiopathy",), ("E11.51",),
               (("E11.51", "I73.9"),)),
      replaced(1, "I73.9", "E11.9", "E11.51", E11_51)]),
    # with gangrene and without: the gangrene's code alone
    ("prof", ["E11.9", "I70.261", "I70.211"],
     [diabetic(0, "E11.9", ("I70.261",), ("peripheral angiopathy with gangrene",),
               ("E11.52",))]),
    # systolic beside diastolic heart failure: combined heart failure, I50.4- (I.B.9; the
    # Excludes1 notes of I50.2 and I50.3), of the acuity both say, else the subcategory
    ("prof", ["I50.21", "I50.31"],
     [failure(0, "I50.21", ("I50.31",), "I50.41", "I50.21 and I50.31"),
      failure(1, "I50.31", ("I50.21",), "I50.41", "I50.21 and I50.31")]),
    ("inp", ["I50.33", "I48.91", "I50.23"],
     [failure(0, "I50.33", ("I50.23",), "I50.43", "I50.33 and I50.23"),
      failure(2, "I50.23", ("I50.33",), "I50.43", "I50.33 and I50.23")]),
    ("prof", ["I50.20", "I50.30"],
     [failure(0, "I50.20", ("I50.30",), "I50.40", "I50.20 and I50.30"),
      failure(1, "I50.30", ("I50.20",), "I50.40", "I50.20 and I50.30")]),
    ("prof", ["I50.21", "I50.32"],
     [failure(0, "I50.21", ("I50.32",), "I50.4-", "I50.21 and I50.32",
              " (I50.21 is acute, I50.32 is chronic)"),
      failure(1, "I50.32", ("I50.21",), "I50.4-", "I50.21 and I50.32",
              " (I50.21 is acute, I50.32 is chronic)")]),
    # beside hypertension: its own finding too (I11.0), in the claim's order
    ("prof", ["I10", "I50.22", "I50.32"],
     [linked(0, ("I10", "I50.22"), "I11.0", HTN_HF, "I.C.9.a.1"),
      failure(1, "I50.22", ("I50.32",), "I50.42", "I50.22 and I50.32"),
      failure(2, "I50.32", ("I50.22",), "I50.42", "I50.22 and I50.32")]),
    # the combination code coded beside the companion it says all of: the companion is
    # removed (Guideline I.B.9; no Excludes1 note of I73.9 or G62.9 names the pair)
    ("prof", ["E11.51", "I73.9"], [coded(1, "I73.9", "E11.51", E11_51)]),
    ("inp", ["I73.9", "E10.51"],
     [coded(0, "I73.9", "E10.51", "type 1 diabetes mellitus with diabetic peripheral "
            "angiopathy without gangrene")]),
    ("prof", ["E11.42", "G62.9", "E11.9"],
     [coded(1, "G62.9", "E11.42", "type 2 diabetes mellitus with diabetic polyneuropathy"),
      uncomplicated(2, "E11.9", "E11.42")]),
]


@pytest.mark.parametrize(("kind", "dx", "expected"), FIRES,
                         ids=[f"{k}-{'+'.join(dx)}" for k, dx, _ in FIRES])
def test_codes_the_guidelines_combine(kind: str, dx: list[str], expected: Found) -> None:
    assert found(kind, dx) == expected


CLEAN: list[tuple[str, list[str]]] = [
    # the combination code with its companions, in either order (order is another edit's)
    ("prof", ["I12.9", "N18.30"]), ("inp", ["N18.30", "I12.9"]),
    ("prof", ["I12.0", "N18.6", "Z99.2"]), ("prof", ["I11.0", "I50.22"]),
    ("prof", ["I13.0", "I50.9", "N18.4"]), ("inp", ["I13.2", "I50.9", "N18.5"]),
    ("prof", ["I13.11", "I51.9", "N18.6"]), ("prof", ["I11.9", "I51.7"]),
    ("prof", ["E11.22", "N18.31", "Z79.4"]), ("prof", ["E11.65", "E11.22", "N18.4"]),
    ("prof", ["E11.621", "L97.412"]), ("prof", ["E10.22", "I12.9", "N18.30"]),
    # not linked by the classification: hypertension and diabetes; heart conditions
    # outside I.C.9.a.1 (I51.81 Takotsubo, FY2026 text); secondary hypertension
    ("prof", ["I10", "E11.9", "E78.5"]), ("prof", ["I10", "I25.10"]),
    ("prof", ["I10", "I51.81"]), ("prof", ["I15.8", "N18.30"]), ("prof", ["I10", "I48.91"]),
    # E11.9 with another diabetes type is DX_EXCLUDES1_CONFLICT's; E11.A says it too
    ("prof", ["E11.9", "E10.9"]), ("prof", ["E11.9", "E11.A"]),
    # a lone code, or the same code twice (DX_DUPLICATE's)
    ("prof", ["I10"]), ("prof", ["I10", "I10"]), ("prof", ["E11.9", "E11.9"]),
    # the diabetic complication coded: E11.51 with I73.9 is not this edit's
    # the combination code beside a companion an Excludes1 note pairs with it (E16.2's,
    # R73's, M14.6's): DX_EXCLUDES1_CONFLICT's
    ("prof", ["E11.649", "E16.2"]), ("prof", ["R73.9", "E11.65"]),
    ("prof", ["E11.610", "M14.671"]),
    ("prof", ["E11.43", "K31.84"]), ("prof", ["E11.36", "H25.13"]),
    ("prof", ["E10.649", "Z79.4"]), ("prof", ["E11.69", "M86.171"]),
    # another cause on the claim: the ulcer of atherosclerosis of the leg or of varicose
    # veins (L97's "code first" note), gastroparesis of scleroderma or anorexia nervosa
    # (K31.84's), Charcot's joint of tabes dorsalis (M14.6's Excludes1)
    ("prof", ["E11.9", "I83.013", "L97.412"]),
    ("prof", ["E11.9", "I87.311", "L97.212"]), ("prof", ["E11.9", "M34.9", "K31.84"]),
    ("prof", ["E10.9", "F50.019", "K31.84"]), ("prof", ["E11.9", "A52.16", "M14.671"]),
    # a code that names its cause, or not the condition the Index links: alcoholic
    # polyneuropathy, polyneuropathy in a disease classified elsewhere (G63: not diabetes,
    # its Excludes1), traumatic cataract, gingivitis, Raynaud's, other hypoglycemia,
    # prediabetes (R73.03: DX_EXCLUDES1_CONFLICT's), a pressure ulcer, arthropathy in
    # another disease (M14.8-: its "code first" names other diseases)
    ("prof", ["E11.9", "G62.1"]), ("prof", ["E11.9", "G63"]), ("prof", ["E11.9", "H26.101"]),
    ("prof", ["E11.9", "K05.10"]), ("prof", ["E11.9", "I73.00"]), ("prof", ["E11.9", "E16.1"]),
    ("prof", ["E11.9", "R73.03"]), ("prof", ["E11.9", "L89.153"]),
    ("prof", ["E11.9", "M14.871"]),
    # two types of diabetes: which is the patient's is DX_EXCLUDES1_CONFLICT's
    ("prof", ["E11.9", "E10.9", "I73.9"]),
    # the diabetic angiopathy coded, with the atherosclerosis that specifies it (of a
    # native artery or a bypass graft); atherosclerosis of no said site (I70.9-)
    ("prof", ["E11.51", "I70.211"]), ("prof", ["E11.52", "I70.261"]),
    ("prof", ["E11.51", "I70.311"]), ("prof", ["E11.9", "I70.90"]),
    # heart failure: combined coded; one type in two acuities, or beside unspecified
    # heart failure, is not this edit's; I50.4- beside I50.2- is the Excludes1 note's
    ("prof", ["I50.43"]), ("prof", ["I50.21", "I50.22"]), ("prof", ["I50.31", "I50.9"]),
    ("prof", ["I50.41", "I50.21"]), ("inp", ["I11.0", "I50.42"]),
]


@pytest.mark.parametrize(("kind", "dx"), CLEAN, ids=[f"{k}-{'+'.join(d)}" for k, d in CLEAN])
def test_combination_coded_or_nothing_to_combine(kind: str, dx: list[str]) -> None:
    assert found(kind, dx) == []


def test_hypertension_in_pregnancy_is_classified_in_chapter_15() -> None:
    """O10-O16 hold hypertension in pregnancy (I10's Excludes1 says the pair): no
    hypertensive combination is asked for beside them."""
    d = claim("prof", ["O10.012", "I10", "N18.30", "Z3A.20"])
    d["patient"]["birth_date"] = "1995-01-01"
    report = CHECKERS["medicare-professional"].check(Claim.from_dict(d))
    assert [f for f in report.findings if f.rule == ID] == []
    assert "DX_EXCLUDES1_CONFLICT" in {f.rule for f in report.findings}


def test_a_code_not_valid_on_the_date_does_not_count() -> None:
    """N18.3 became N18.30-N18.32 on 2020-10-01: invalid then (its validity finding says
    so), a CKD code before."""
    assert found("prof", ["I10", "N18.3"]) == []
    assert found("prof", ["E11.9", "N18.3"]) == []
    assert found("prof", ["I10", "N18.3"], day="2019-06-01") == [
        linked(0, ("I10", "N18.3"), "I12.9", HTN_CKD, "I.C.9.a.2")]
    assert found("prof", ["E11.9", "N18.3"], day="2019-06-01") == [
        diabetic_ckd(0, "E11.9", "N18.3", "E11.22")]


@pytest.mark.parametrize(("dx", "fy2016", "fy2017"), [
    # FY2016 I.C.9.a.1: I11 only "when a causal relationship is stated ... or implied"
    (["I10", "I50.9"], [], [linked(0, ("I10", "I50.9"), "I11.0", HTN_HF, "I.C.9.a.1")]),
    (["I11.9", "I50.9"], [],
     [contradicts(0, "I11.9", "I50.9", "I11.0", I11_9, I11_0, "I.C.9.a.1")]),
    (["I12.9", "I50.9", "N18.4"], [],
     [linked(0, ("I12.9", "I50.9"), "I13.0", HTN_HF_CKD, "I.C.9.a.3")]),
    # the FY2017 I.A.15 first says the Index's "with" is presumed (Coding Clinic's before)
    (["E11.9", "N18.3"], [], [diabetic_ckd(0, "E11.9", "N18.3", "E11.22")]),
    # presumed from the first day: hypertension with CKD (FY2016 I.C.9.a.2) and its stage
    (["I10", "N18.3"], [linked(0, ("I10", "N18.3"), "I12.9", HTN_CKD, "I.C.9.a.2")],
     [linked(0, ("I10", "N18.3"), "I12.9", HTN_CKD, "I.C.9.a.2")]),
    (["I12.0", "N18.4"], [contradicts(0, "I12.0", "N18.4", "I12.9", I12_0, I12_9, "I.C.9.a.2")],
     [contradicts(0, "I12.0", "N18.4", "I12.9", I12_0, I12_9, "I.C.9.a.2")]),
    (["E11.9", "E11.65"], [uncomplicated(0, "E11.9", "E11.65")],
     [uncomplicated(0, "E11.9", "E11.65")]),
], ids=["I10+I50.9", "I11.9+I50.9", "I12.9+I50.9+N18.4", "E11.9+N18.3", "I10+N18.3",
        "I12.0+N18.4", "E11.9+E11.65"])
def test_the_presumption_of_the_fy2017_guidelines(dx: list[str], fy2016: Found,
                                                   fy2017: Found) -> None:
    """The FY2017 guidelines (2016-10-01) first presume hypertension with heart disease,
    and the Index's "with", linked; FY2016 presumed hypertension with CKD only."""
    assert found("prof", dx, day="2016-09-30") == fy2016
    assert found("prof", dx, day="2016-10-01") == fy2017


def test_the_presumption_of_the_index_links_from_fy2017() -> None:
    """The Index's "with" is presumed from the FY2017 guidelines (2016-10-01), osteomyelitis
    from 2021-10-01 (its Index entry is in the FY2022 Index; its first year could not be
    verified)."""
    assert found("prof", ["E11.9", "L97.412"], day="2016-09-30") == []
    assert found("prof", ["E11.9", "L97.412"], day="2016-10-01") == [
        diabetic(0, "E11.9", ("L97.412",), ("foot ulcer",), ("E11.621",))]
    assert found("prof", ["E11.9", "M86.171"], day="2021-09-30") == []
    assert found("prof", ["E11.9", "M86.171"], day="2021-10-01") == [
        diabetic(0, "E11.9", ("M86.171",), ("osteomyelitis",), ("E11.69",))]
    # before it, the other links of the claim still hold
    assert found("prof", ["E11.9", "M86.171", "H25.13"], day="2021-09-30") == [
        diabetic(0, "E11.9", ("H25.13",), ("cataract",), ("E11.36",))]


def test_it_replaces_the_excludes1_finding_of_a_companion_it_replaces() -> None:
    """R73 excludes diabetes mellitus: DX_EXCLUDES1_CONFLICT says "keep the one that fits";
    the combination code E11.65 says both (one mistake, one finding)."""
    from codekit.rules import builtin_rules as rules

    d = claim("prof", ["E11.9", "R73.9"])
    report = Checker(profile="medicare-professional").check(Claim.from_dict(d))
    assert [(f.rule, f.location, f.fix) for f in report.findings] == [
        (ID, ("diagnoses", 0), ("E11.65",)), (ID, ("diagnoses", 1), ("E11.65",))]
    without = Checker(profile="medicare-professional",
                      rules=tuple(r for r in rules() if r.id != ID))
    assert [f.rule for f in without.check(Claim.from_dict(d)).findings] == [
        "DX_EXCLUDES1_CONFLICT"]


@pytest.mark.parametrize("profile", PROFILES)
def test_a_warning_in_every_profile(profile: str) -> None:
    kind = {"medicare-inpatient": "inp", "commercial": "commercial"}.get(profile, "prof")
    d = claim(kind, ["I10", "N18.30"])
    if profile == "medicare-outpatient":
        d = guideline_claim("out", ["I10", "N18.30"], "1950-02-14", "F")
    report = CHECKERS[profile].check(Claim.from_dict(d))
    assert [(f.rule, f.severity.value, f.location, f.fix) for f in report.findings
            if f.rule == ID] == [(ID, "warning", ("diagnoses", 0), ("I12.9",))]


def test_it_replaces_the_missing_additional_code_finding() -> None:
    """I12.9 with N18.6: DX_ADDITIONAL_CODE_MISSING would ask I12.9 for a stage 1-4 code;
    the stage is there, the code is the wrong one (I12.0): one mistake, one finding."""
    from codekit.rules import additional_codes as additional
    checker = Checker(profile="medicare-professional").with_rules(
        *additional.RULES, *combinations.RULES)
    report = checker.check(Claim.from_dict(claim("prof", ["I12.9", "N18.6", "Z99.2"])))
    assert [(f.rule, f.fix) for f in report.findings if f.rule.startswith("DX_")] == [
        (ID, ("I12.0",))]
    # without this rule the other finding stands
    without = Checker(profile="medicare-professional",
                      rules=tuple(r for r in builtin_rules() if r.id != ID))
    report = without.with_rules(*additional.RULES).check(
        Claim.from_dict(claim("prof", ["I12.9", "N18.6", "Z99.2"])))
    assert [f.rule for f in report.findings if f.rule.startswith("DX_")] == [
        "DX_ADDITIONAL_CODE_MISSING"]


@pytest.mark.parametrize(("section", "kind", "dx", "born", "sex", "expected"), SCENARIOS,
                         ids=[f"{s[0]}-{s[1]}-{'+'.join(s[2])}" for s in SCENARIOS])
def test_the_guideline_scenarios_stay_clean(section: str, kind: str, dx: list[str],
                                            born: str, sex: str, expected: object) -> None:
    """The claims of tests/test_guidelines.py are coded as the guidelines say (or with
    another edit's error): none is a combination this edit asks for."""
    report = CHECKERS[KIND[kind]].check(Claim.from_dict(guideline_claim(kind, dx, born, sex)))
    assert [f.message for f in report.findings if f.rule == ID] == [], section


def test_the_precision_claims_stay_clean() -> None:
    from tests.test_precision import CLEAN as PRECISION

    for name, d, profiles in PRECISION:
        for profile in profiles:
            report = CHECKERS[profile].check(Claim.from_dict(d))
            assert [f.message for f in report.findings if f.rule == ID] == [], name


def _leaves(code: str, day: str) -> list[str]:
    entry = icd10cm.lookup(code, on=day)
    if entry.billable:
        return [entry.code]
    out: list[str] = []
    for child in entry.children:
        out += _leaves(child if isinstance(child, str) else child.code, day)
    return out


LAST = icd10cm.coverage()[1].isoformat()


@pytest.mark.parametrize("day", ["2015-10-01", "2016-06-01", "2020-10-01", DAY, LAST])
def test_the_tables_are_grounded_in_the_code_set(day: str) -> None:
    """Every code of the tables is a valid code, and every prefix a category or
    subcategory, on every date from FY2016 to the last codekit covers; HYPERTENSIVE holds
    every code of I10-I13 and COMBINATION every pair of axes."""
    hypertensive = [c for cat in ("I10", "I11", "I12", "I13") for c in _leaves(cat, day)]
    assert sorted(hypertensive) == sorted(HYPERTENSIVE)
    assert len(COMBINATION) == len(HYPERTENSIVE)
    for plain, kidney in DIABETES.values():
        assert icd10cm.is_valid(plain, on=day) and icd10cm.is_valid(kidney, on=day)
    for prefix, _, _ in COMPANIONS:
        entry = icd10cm.lookup(prefix, on=day)
        assert entry.code == prefix and (entry.billable or entry.children), prefix
    # the companions of I.C.9.a.1 are the codes its FY2016 and FY2026 texts both name
    heart = sorted(p for p, axis, _ in COMPANIONS if axis == "heart" and p != "I50")
    assert heart == ["I514", "I515", "I517", "I5189", "I519"]
    assert all(icd10cm.is_valid(c, on=day) for c in heart)
    # N18's stage-5 codes and the other stages: every N18 code is one or the other
    assert set(_leaves("N18", day)) >= {"N185", "N186", "N189"}
    # every diabetes link: a combination code in each category, companions and other
    # causes that are codes or headers, no companion in two links
    for link in LINKS:
        for category in DIABETES:
            assert icd10cm.is_valid(category + link.suffix, on=day), (category, link)
        for prefix in (*link.prefixes, *link.other_causes):
            entry = icd10cm.lookup(prefix, on=day)
            assert entry.code == prefix and (entry.billable or entry.children), prefix
    prefixes = [p for link in LINKS for p in link.prefixes]
    assert not [(a, b) for a in prefixes for b in prefixes if a != b and a.startswith(b)]


def test_the_last_date_is_covered() -> None:
    assert dt.date.fromisoformat(LAST) >= dt.date(2026, 10, 1)


def test_every_code_a_combination_replaces_carries_the_facts_bit() -> None:
    """``icd10cm.Facts.COMBINATION`` gates the rule (the claim feature
    ``dx-combination``): every code the rule starts from must carry it, or the rule would
    never run on it."""
    bit = icd10cm.Facts.COMBINATION
    for code in [*HYPERTENSIVE, *(plain for plain, _ in DIABETES.values()),
                 *_billable("I502"), *_billable("I503")]:
        assert icd10cm.facts(code, on=DAY).bits & bit, code


def _billable(prefix: str) -> list[str]:
    entry = icd10cm.lookup(prefix, on=DAY)
    if entry.billable:
        return [entry.code]
    return [c for child in entry.children for c in _billable(child)]


def test_every_code_that_calls_for_a_combination_carries_the_companion_bit() -> None:
    """The feature ``dx-combination`` needs a ``Facts.COMBINATION_COMPANION`` code too:
    every companion of the tables (I50, the I51 heart conditions, N18, the conditions of
    the diabetes links: I73.9, L97...), every hypertensive
    code but I10 (a second hypertensive category) and every diabetes code but the "without
    complications" ones (a complication of the same diabetes) must carry it, or a claim
    with it would never be judged; I10 and E11.9 must not (I10 with E11.9 is no pair)."""
    bit = icd10cm.Facts.COMBINATION_COMPANION
    prefixes = [p for p, _, _ in COMPANIONS] + ["I11", "I12", "I13", *DIABETES] + [
        p for link in LINKS for p in link.prefixes]
    plain = {p for p, _ in DIABETES.values()} | {"I10"}
    for prefix in prefixes:
        for code in _billable(prefix):
            facts = icd10cm.facts(code, on=DAY)
            assert facts is not None
            assert bool(facts.bits & bit) == (code.replace(".", "") not in plain), code
    # the codes of the links' categories that are no companion do not run the rule
    for code in ("I73.00", "G62.1", "K31.89", "H26.101", "E16.1", "R73.03", "M14.871",
                 "K05.10", "L98.8", "M25.571"):
        facts = icd10cm.facts(code, on=DAY)
        assert facts is not None and not facts.bits & bit, code

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
from codekit.rules.combinations import COMBINATION, COMPANIONS, DIABETES, HYPERTENSIVE
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


def test_the_last_date_is_covered() -> None:
    assert dt.date.fromisoformat(LAST) >= dt.date(2026, 10, 1)


def test_every_code_a_combination_replaces_carries_the_facts_bit() -> None:
    """``icd10cm.Facts.COMBINATION`` gates the rule (the claim feature
    ``dx-combination``): every code the rule starts from must carry it, or the rule would
    never run on it."""
    bit = icd10cm.Facts.COMBINATION
    for code in [*HYPERTENSIVE, *(plain for plain, _ in DIABETES.values())]:
        assert icd10cm.facts(code, on=DAY).bits & bit, code


def _billable(prefix: str) -> list[str]:
    entry = icd10cm.lookup(prefix, on=DAY)
    if entry.billable:
        return [entry.code]
    return [c for child in entry.children for c in _billable(child)]


def test_every_code_that_calls_for_a_combination_carries_the_companion_bit() -> None:
    """The feature ``dx-combination`` needs a ``Facts.COMBINATION_COMPANION`` code too:
    every companion of the tables (I50, the I51 heart conditions, N18), every hypertensive
    code but I10 (a second hypertensive category) and every diabetes code but the "without
    complications" ones (a complication of the same diabetes) must carry it, or a claim
    with it would never be judged; I10 and E11.9 must not (I10 with E11.9 is no pair)."""
    bit = icd10cm.Facts.COMBINATION_COMPANION
    prefixes = [p for p, _, _ in COMPANIONS] + ["I11", "I12", "I13", *DIABETES]
    plain = {p for p, _ in DIABETES.values()} | {"I10"}
    for prefix in prefixes:
        for code in _billable(prefix):
            facts = icd10cm.facts(code, on=DAY)
            assert facts is not None
            assert bool(facts.bits & bit) == (code.replace(".", "") not in plain), code

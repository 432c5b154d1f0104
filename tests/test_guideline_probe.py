"""DX_GUIDELINE_CONFLICT and DX_GUIDELINE_SEQUENCE on claims coded right that they flagged,
and on errors of their own guidelines that they missed (an adversarial review of both edits).

Every claim is written by hand with real codes; only the two guideline edits are compared.
"""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim

RULES = {"DX_GUIDELINE_CONFLICT", "DX_GUIDELINE_SEQUENCE"}
ADULT = "1970-05-01"
CHECKERS = {"prof": Checker(profile="medicare-professional"),
            "inp": Checker(profile="medicare-inpatient")}
Found = list[tuple[str, int, tuple[str, ...], tuple[str, ...]]]


def claim(kind: str, dx: list[Any], day: str) -> dict[str, Any]:
    patient = {"sex": "F", "birth_date": ADULT}
    if kind == "inp":  # an inpatient stay, bill type 111: the first code is the principal
        return {"claim_type": "institutional", "payer": "medicare", "bill_type": "111",
                "date_of_service": day, "admission_date": "2025-10-30", "patient": patient,
                "diagnoses": dx, "service_lines": []}
    return {"claim_type": "professional", "payer": "medicare", "date_of_service": day,
            "patient": patient, "diagnoses": dx,
            "service_lines": [{"line": 1, "procedure_code": "99214", "units": 1,
                               "diagnosis_pointers": list(range(1, min(len(dx), 4) + 1))}]}


def found(kind: str, dx: list[Any], day: str = "2025-11-03") -> Found:
    report = CHECKERS[kind].check(Claim.from_dict(claim(kind, dx, day)))
    return [(f.rule, f.location[1], f.codes, f.fix) for f in report.findings
            if f.rule in RULES]


@pytest.mark.parametrize(("kind", "dx", "expected"), [
    # I.B.10, I.C.19.a: a sequela's condition is sequenced first, the poisoning code with
    # 7th character S after it: not a poisoning to list first
    ("prof", ["G93.40", "T40.2X1S"], []),
    ("prof", ["R41.840", "T42.4X2S", "F32.A"], []),
    # the same poisoning for the initial encounter still goes first (I.C.19.e.5.b)
    ("prof", ["G93.40", "T40.2X1A"],
     [("DX_GUIDELINE_SEQUENCE", 0, ("G93.40", "T40.2X1A"), ("T40.2X1A",))]),
    # I.C.19.d.5: a current burn (A) and the sequela of an old one (S) on one record: the
    # current burn's site is the one to list before T31, even of a lower degree
    ("prof", ["T31.10", "T22.211A", "T24.301S"],
     [("DX_GUIDELINE_SEQUENCE", 0, ("T31.10", "T22.211A"), ("T22.211A",))]),
])
def test_a_sequela_is_never_the_code_to_list_first(kind: str, dx: list[str],
                                                    expected: Found) -> None:
    assert found(kind, dx) == expected


def test_a_poisoning_not_present_on_admission_is_not_the_principal() -> None:
    # Section II: the principal diagnosis occasioned the admission; a medication error
    # during the stay (POA N) is a secondary diagnosis after it
    dx: list[Any] = [{"code": "J18.9", "poa": "Y"}, {"code": "T40.2X1A", "poa": "N"}]
    assert found("inp", dx) == []
    dx[1] = {"code": "T40.2X1A", "poa": "n"}
    assert found("inp", dx) == []
    # present on admission: the poisoning occasioned the stay and goes first
    dx[1] = {"code": "T40.2X1A", "poa": "Y"}
    assert found("inp", dx) == [
        ("DX_GUIDELINE_SEQUENCE", 0, ("J18.9", "T40.2X1A"), ("T40.2X1A",))]
    # of two poisonings, the one present on admission is the fix
    dx = [{"code": "J18.9", "poa": "Y"}, {"code": "T40.2X1A", "poa": "N"},
          {"code": "T42.4X1A", "poa": "Y"}]
    assert found("inp", dx) == [
        ("DX_GUIDELINE_SEQUENCE", 0, ("J18.9", "T42.4X1A"), ("T42.4X1A",))]


@pytest.mark.parametrize(("day", "dx", "expected"), [
    # before Z85.4A (valid from 2025-10-01), a fallopian tube malignancy's history was
    # Z85.44, "other female genital organs" (Z85.4: conditions classifiable to C51-C63)
    ("2024-11-04", ["C57.01", "Z85.44"],
     [("DX_GUIDELINE_CONFLICT", 1, ("Z85.44", "C57.01"), ("C57.01",))]),
    ("2025-09-30", ["C57.02", "Z85.44"],
     [("DX_GUIDELINE_CONFLICT", 1, ("Z85.44", "C57.02"), ("C57.02",))]),
    # from FY2026 the fallopian tube has Z85.4A: Z85.44 is another site
    ("2025-10-01", ["C57.01", "Z85.44"], []),
    ("2025-10-01", ["C57.01", "Z85.4A"],
     [("DX_GUIDELINE_CONFLICT", 1, ("Z85.4A", "C57.01"), ("C57.01",))]),
    # the other sites of Z85.44 on either side of the day
    ("2024-11-04", ["C51.9", "Z85.44"],
     [("DX_GUIDELINE_CONFLICT", 1, ("Z85.44", "C51.9"), ("C51.9",))]),
    ("2025-11-03", ["C51.9", "Z85.44"],
     [("DX_GUIDELINE_CONFLICT", 1, ("Z85.44", "C51.9"), ("C51.9",))]),
    # the placenta is one of Z85.44's "other female genital organs" (C51-C58)
    ("2025-11-03", ["C58", "Z85.44"],
     [("DX_GUIDELINE_CONFLICT", 1, ("Z85.44", "C58"), ("C58",))]),
    ("2025-11-03", ["C57.7", "Z85.44"],
     [("DX_GUIDELINE_CONFLICT", 1, ("Z85.44", "C57.7"), ("C57.7",))]),
    # a current malignancy that names no organ of the history's may be another organ:
    # adnexa unspecified (an ovary?), overlapping sites, a genital organ unspecified
    ("2024-11-04", ["C57.4", "Z85.44"], []),
    ("2025-11-03", ["C57.8", "Z85.44"], []),
    ("2025-11-03", ["C57.9", "Z85.44"], []),
    ("2025-11-03", ["C63.8", "Z85.49"], []),
    ("2025-11-03", ["C63.9", "Z85.49"], []),
    ("2025-11-03", ["C63.7", "Z85.49"],
     [("DX_GUIDELINE_CONFLICT", 1, ("Z85.49", "C63.7"), ("C63.7",))]),
])
def test_the_history_of_a_fallopian_tube_malignancy_by_date(day: str, dx: list[str],
                                                           expected: Found) -> None:
    assert found("prof", dx, day) == expected


@pytest.mark.parametrize(("dx", "expected"), [
    # I.C.15.i: treated with both diet and insulin, only the insulin-controlled code
    (["O24.414", "O24.410", "Z3A.30"],
     [("DX_GUIDELINE_CONFLICT", 1, ("O24.410", "O24.414"), ("O24.414",))]),
    # ... with diet and oral hypoglycemic drugs, only the oral one
    (["O24.410", "O24.415", "Z3A.30"],
     [("DX_GUIDELINE_CONFLICT", 0, ("O24.410", "O24.415"), ("O24.415",))]),
    (["O24.424", "O24.420", "Z37.0", "Z3A.39"],
     [("DX_GUIDELINE_CONFLICT", 1, ("O24.420", "O24.424"), ("O24.424",))]),
    (["O24.410", "Z3A.30"], []),
    (["O24.414", "Z3A.30"], []),
])
def test_gestational_diabetes_treated_with_diet_and_a_drug(dx: list[str],
                                                           expected: Found) -> None:
    assert found("prof", dx) == expected


def test_the_diet_message() -> None:
    report = CHECKERS["prof"].check(Claim.from_dict(claim(
        "prof", ["O24.414", "O24.410", "Z3A.30"], "2025-11-03")))
    assert [f.message for f in report.findings if f.rule in RULES] == [
        "O24.410 with O24.414: gestational diabetes treated with diet and with insulin or "
        "oral hypoglycemic drugs is coded by the drug alone (O24.414): remove O24.410 "
        "(Guideline I.C.15.i)."]


def test_a_finding_after_the_edition_the_tables_follow_says_so() -> None:
    """The tables follow the FY2026 Official Guidelines: on a FY2027 date a finding says
    that codekit has no later edition, on the last day of FY2026 it does not."""
    on_last_day = CHECKERS["prof"].check(Claim.from_dict(claim(
        "prof", ["U07.1", "Z20.822"], "2026-09-30")))
    later = CHECKERS["prof"].check(Claim.from_dict(claim(
        "prof", ["U07.1", "Z20.822"], "2026-11-02")))
    assert [f.message for f in on_last_day.findings if f.rule in RULES] == [
        "Z20.822 with U07.1: contact with or suspected exposure to COVID-19 is not coded "
        "once COVID-19 is confirmed: remove Z20.822 (Guideline I.C.1.g.1.e)."]
    assert [f.message for f in later.findings if f.rule in RULES] == [
        "Z20.822 with U07.1: contact with or suspected exposure to COVID-19 is not coded "
        "once COVID-19 is confirmed: remove Z20.822 (Guideline I.C.1.g.1.e; FY2026 "
        "edition, the latest codekit has)."]
    sequence = CHECKERS["prof"].check(Claim.from_dict(claim(
        "prof", ["R40.20", "T40.2X1A"], "2026-11-02")))
    assert [f.message.rsplit(" (", 1)[1] for f in sequence.findings if f.rule in RULES] == [
        "Guideline I.C.19.e.5.b; FY2026 edition, the latest codekit has)."]


@pytest.mark.parametrize(("dx", "expected"), [
    # I.C.19.d.1: the highest degree first when more than one burn is present
    (["T22.111A", "T23.301A"],
     [("DX_GUIDELINE_SEQUENCE", 0, ("T22.111A", "T23.301A"), ("T23.301A",))]),
    # of several, the highest degree is the fix; corrosions count by degree too
    (["T24.211A", "T22.111A", "T21.71XA", "T23.301A"],
     [("DX_GUIDELINE_SEQUENCE", 0, ("T24.211A", "T21.71XA"), ("T21.71XA",))]),
    # already first, or of the same degree: clean
    (["T23.301A", "T22.111A"], []),
    (["T22.211A", "T24.211A"], []),
    # one site and side in two degrees is coded once, at the highest (I.C.19.d.2): a
    # conflict, not a sequencing matter
    (["T22.111A", "T22.311A"],
     [("DX_GUIDELINE_CONFLICT", 0, ("T22.111A", "T22.311A"), ("T22.311A",))]),
    # an unspecified degree is the lowest
    (["T20.00XA", "T22.211A"],
     [("DX_GUIDELINE_SEQUENCE", 0, ("T20.00XA", "T22.211A"), ("T22.211A",))]),
])
def test_the_burn_of_the_highest_degree_goes_first(dx: list[str], expected: Found) -> None:
    assert found("prof", dx) == expected


def test_the_burn_message() -> None:
    report = CHECKERS["prof"].check(Claim.from_dict(claim(
        "prof", ["T22.111A", "T23.301A"], "2025-11-03")))
    assert [f.message for f in report.findings if f.rule in RULES] == [
        "T23.301A should be listed before T22.111A: when more than one burn or corrosion is "
        "present, the code of the highest degree is sequenced first, T22.111A after it "
        "(Guideline I.C.19.d.1)."]


@pytest.mark.parametrize(("dx", "expected"), [
    # I.C.15.i: no other code of category O24 with a code of O24.4
    (["O24.113", "O24.414", "Z3A.30"],
     [("DX_GUIDELINE_CONFLICT", 1, ("O24.414", "O24.113"), ("O24.113",))]),
    (["O24.414", "O24.913", "Z3A.30"],
     [("DX_GUIDELINE_CONFLICT", 0, ("O24.414", "O24.913"), ("O24.913",))]),
    (["O24.113", "Z3A.30"], []),
    (["O24.414", "Z3A.30"], []),
])
def test_gestational_diabetes_with_another_o24_code(dx: list[str], expected: Found) -> None:
    assert found("prof", dx) == expected


@pytest.mark.parametrize(("dx", "expected"), [
    # I.C.19.d.2: one site and side in two degrees is coded once, at the highest
    (["T22.311A", "T22.111A"],
     [("DX_GUIDELINE_CONFLICT", 1, ("T22.111A", "T22.311A"), ("T22.311A",))]),
    (["T22.111A", "T22.311A"],
     [("DX_GUIDELINE_CONFLICT", 0, ("T22.111A", "T22.311A"), ("T22.311A",))]),
    # the other side, another site, a corrosion beside a burn, another encounter, a
    # sequela: clean
    (["T22.311A", "T22.112A"], []),
    (["T22.311A", "T23.101A"], []),
    (["T22.311A", "T22.611A"], []),
    (["T22.311A", "T22.111D"], []),
    (["T22.311A", "T22.111S"], []),
])
def test_one_burn_site_in_two_degrees_is_coded_once(dx: list[str], expected: Found) -> None:
    assert found("prof", dx) == expected


@pytest.mark.parametrize(("day", "expected"), [
    # the FY2026 I.C.15.i names Z79.85 (injectable non-insulin antidiabetic drugs) beside
    # Z79.4 and Z79.84; the row holds from FY2026 (the edition that first named it between
    # FY2023, when Z79.85 became valid, and FY2026 is not confirmed)
    ("2025-11-03", [("DX_GUIDELINE_CONFLICT", 1, ("Z79.85", "O24.414"), ("O24.414",))]),
    ("2025-10-01", [("DX_GUIDELINE_CONFLICT", 1, ("Z79.85", "O24.414"), ("O24.414",))]),
    ("2025-09-30", []),
])
def test_gestational_diabetes_with_an_injectable_non_insulin_drug(
        day: str, expected: Found) -> None:
    assert found("prof", ["O24.414", "Z79.85", "Z3A.30"], day) == expected


def test_the_long_term_drug_message() -> None:
    report = CHECKERS["prof"].check(Claim.from_dict(claim(
        "prof", ["O24.414", "Z79.85", "Z3A.30"], "2025-11-03")))
    assert [f.message for f in report.findings if f.rule in RULES] == [
        "Z79.85 with O24.414: O24.4- codes say how the gestational diabetes is controlled "
        "(diet, insulin or oral hypoglycemic drugs: here O24.414), and the long-term "
        "(current) drug therapy code Z79.85 is not assigned with them: remove Z79.85 "
        "(Guideline I.C.15.i)."]


def test_a_fix_keeps_no_code_another_finding_removes() -> None:
    """Z79.84 beside O24.410 and O24.415: the diet code is removed too (I.C.15.i), so the
    Z79.84 finding's fix is O24.415 alone, as the diet finding's."""
    assert found("prof", ["O24.410", "O24.415", "Z79.84", "Z3A.30"]) == [
        ("DX_GUIDELINE_CONFLICT", 0, ("O24.410", "O24.415"), ("O24.415",)),
        ("DX_GUIDELINE_CONFLICT", 2, ("Z79.84", "O24.410", "O24.415"), ("O24.415",))]


@pytest.mark.parametrize(("dx", "expected"), [
    # I.C.14.a.1: a stage of CKD and ESRD both documented: N18.6 only
    (["I12.0", "N18.6", "N18.4"],
     [("DX_GUIDELINE_CONFLICT", 2, ("N18.4", "N18.6"), ("N18.6",))]),
    (["I12.0", "N18.30", "N18.6"],
     [("DX_GUIDELINE_CONFLICT", 1, ("N18.30", "N18.6"), ("N18.6",))]),
    (["I12.0", "N18.6", "Z99.2"], []),
    (["I12.9", "N18.4"], []),
])
def test_a_stage_of_ckd_beside_esrd(dx: list[str], expected: Found) -> None:
    assert found("prof", dx) == expected

"""The words of the findings a biller reads: line and diagnosis numbers, codes shown the
way the rest of the report shows them, plurals, and advice that fits the claim type (a
bypass the claim cannot use is not advice)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, ncci
from codekit.findings import Finding


def _claim(dx: list[Any], lines: list[dict[str, Any]], *, kind: str = "prof",
           sex: str = "F", age: int = 40, dos: str = "2025-11-03",
           **extra: Any) -> Claim:
    d: dict[str, Any] = {
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": sex, "age": age}, "date_of_service": dos, "diagnoses": dx,
        "service_lines": [{"units": 1, **({} if kind != "prof" else
                                          {"diagnosis_pointers": [1]}), **ln}
                          for ln in lines],
        **extra,
    }
    if kind != "prof":
        d.update(claim_type="institutional", bill_type=kind)
        if kind.startswith("11"):
            d.setdefault("admitting_diagnosis", "R07.9")
    return Claim.from_dict(d)


def _one(c: Claim, rule: str) -> Finding:
    found = [f for f in Checker().check(c).findings if f.rule == rule]
    assert len(found) == 1, found
    return found[0]


# -- sex edits: the bypass named is the one the claim type honours (catalog, precedence 6)

def test_dx_sex_conflict_on_a_professional_claim_names_kx_only() -> None:
    f = _one(_claim(["N40.0"], [{"line": 1, "procedure_code": "99213"}]), "DX_SEX_CONFLICT")
    assert f.message == (
        "N40.0 (Benign prostatic hyperplasia without lower urinary tract symptoms) is a "
        "male-only diagnosis but the patient's sex is F: check the code or the sex "
        "(modifier KX on a line that points to it when it is correct).")


def test_dx_sex_conflict_on_an_institutional_claim_names_condition_code_45_only() -> None:
    f = _one(_claim(["N40.0"], [{"line": 1, "procedure_code": "99213"}], kind="131"),
             "DX_SEX_CONFLICT")
    assert f.message.endswith("check the code or the sex (condition code 45 when it is "
                              "correct).")
    assert "KX" not in f.message


def test_proc_sex_conflict_names_its_line_and_the_bypass_of_the_claim_type() -> None:
    lines = [{"line": 1, "procedure_code": "99213"}, {"line": 7, "procedure_code": "55700"}]
    f = _one(_claim(["R39.9"], lines), "PROC_SEX_CONFLICT")
    assert f.location == ("service_lines", 1, "procedure_code")
    assert f.message == ("Line 7: 55700 is a male-only procedure but the patient's sex is "
                         "F: check the code or the sex (modifier KX on the line when it is "
                         "correct).")
    g = _one(_claim(["R39.9"], lines, kind="131"), "PROC_SEX_CONFLICT")
    assert g.message == ("Line 7: 55700 is a male-only procedure but the patient's sex is "
                         "F: check the code or the sex (condition code 45 when it is "
                         "correct).")


def test_proc_age_conflict_names_its_line() -> None:
    lines = [{"line": 2, "procedure_code": "99397"}]
    f = _one(_claim(["Z00.00"], lines, age=30), "PROC_AGE_CONFLICT")
    assert f.message == ("Line 2: 99397 is for ages 65-124 but the patient is 30 on "
                         "2025-11-03: use 99395, the code of its kind for ages 18-39.")


# -- a code typed otherwise is quoted as typed and shown normalized

def test_dx_duplicate_quotes_the_code_as_typed_and_shows_it_dotted() -> None:
    c = _claim(["E11.9", "I10", "e119"], [{"line": 1, "procedure_code": "99213",
                                           "diagnosis_pointers": [1, 2]}])
    f = _one(c, "DX_DUPLICATE")
    assert f.location == ("diagnoses", 2)
    assert f.message == "Diagnosis 3 'e119' repeats diagnosis 1 (E11.9): remove the duplicate."


# -- PCS_LOS_INCONSISTENT: plural, and a fix that fits the stay

def _los(admission: str) -> Finding:
    c = _claim([{"code": "J96.01", "poa": "Y"}], [], kind="111", dos="2025-03-04",
               age=70, admission_date=admission, procedures=["5A1955Z"])
    return _one(c, "PCS_LOS_INCONSISTENT")


def test_a_stay_of_one_day_is_one_day() -> None:
    f = _los("2025-03-03")
    assert f.message == (
        "Procedure 1 5A1955Z (ventilation over 96 consecutive hours) on a stay of 1 day "
        "(2025-03-03 to 2025-03-04): it needs at least 4 days; check the code (5A1945Z: "
        "24-96 hours) or the dates.")
    assert f.fix == ("5A1945Z",)
    assert "3 days (2025-03-01" in _los("2025-03-01").message


def test_a_same_day_stay_is_not_told_to_use_the_24_to_96_hour_code() -> None:
    f = _los("2025-03-04")
    assert f.message == (
        "Procedure 1 5A1955Z (ventilation over 96 consecutive hours) on a stay of 0 days "
        "(2025-03-04 to 2025-03-04): it needs at least 4 days; check the code (5A1935Z: "
        "less than 24 hours) or the dates.")
    assert f.fix == ("5A1935Z",)


# -- a list cut short says so

def test_a_deleted_code_with_more_than_eight_successors_says_the_list_goes_on() -> None:
    c = _claim(["O35.0XX0"], [{"line": 1, "procedure_code": "99213"}], age=30,
               dos="2022-10-01")
    f = _one(c, "DX_NOT_VALID_ON_DOS")
    assert f.message == (
        "Diagnosis 1 'O35.0XX0': not valid on 2022-10-01: it was deleted after 2022-09-30: "
        "use one of the codes that replaced it on 2022-10-01, O35.00X0, O35.01X0, O35.02X0, "
        "O35.03X0, O35.04X0, O35.05X0, O35.06X0, O35.07X0 ... (10 codes). Valid: 2015-10-01 "
        "to 2022-09-30")
    assert len(f.fix) == 10 and f.fix[-1] == "O35.09X0"


# -- the I/OCE date edits: a code ended by an NCD was accepted up to that day, not on it only

def test_after_ncd_noncoverage_says_through_the_last_covered_day() -> None:
    c = _claim(["R50.9"], [{"line": 1, "procedure_code": "87450"}], kind="131",
               dos="2020-10-06")
    f = _one(c, "PROC_AFTER_NCD_NONCOVERAGE")
    assert f.message == (
        "Line 1 (87450): 2020-10-06 is after the last day of its coverage, ended by a "
        "National Coverage Determination of non-coverage, 2020-10-05 (IOCE edit 83); CMS "
        "accepts 87450 through 2020-10-05.")
    g = _one(_claim(["Z23"], [{"line": 1, "procedure_code": "0001A"}], kind="131",
                    dos="2023-07-15"), "PROC_OUTSIDE_APPROVAL_PERIOD")
    assert g.message.endswith("CMS accepts 0001A on 2020-12-11 to 2023-04-17 only.")


# -- MUE: one unit is "1 unit ... exceeds" (an MUE of 0: a code CMS allows no units of)

def test_one_unit_over_an_mue_of_zero_is_singular(tmp_path: Path) -> None:
    table = tmp_path / "mue.csv"
    table.write_text("code,mue,mai\n99213,0,2\nJ3301,0,1\n")
    checker = Checker(mue=ncci.load_mue(table, effective="2025-10-01",
                                        setting="practitioner"))
    c = _claim(["I10"], [{"line": 1, "procedure_code": "99213"},
                         {"line": 2, "procedure_code": "J3301"},
                         {"line": 3, "procedure_code": "J3301", "units": 2}])
    found = [(f.location, f.message) for f in checker.check(c).findings
             if f.rule == "MUE_EXCEEDED"]
    # an MUE of 0 is no unit at all: neither splitting the line nor an appeal of the
    # count helps, and there is no units fix (0 units is no line; it was "0")
    assert found == [
        (("service_lines", 0, "units"),
         "Line 1: 1 unit of 99213: its practitioner MUE is 0 (MAI 2): CMS allows no units of "
         "99213 in this setting; remove the line, or bill the code the payer covers for the "
         "service; a service Medicare excludes by statute, billed for the denial, takes GY."),
        (("service_lines", 1, "units"),
         "Line 2: 1 unit of J3301: its practitioner MUE is 0 (MAI 1): CMS allows no units of "
         "J3301 in this setting; remove the line, or bill the code the payer covers for the "
         "service; a service Medicare excludes by statute, billed for the denial, takes GY."),
        (("service_lines", 2, "units"),
         "Line 3: 2 units of J3301: its practitioner MUE is 0 (MAI 1): CMS allows no units of "
         "J3301 in this setting; remove the line, or bill the code the payer covers for the "
         "service; a service Medicare excludes by statute, billed for the denial, takes GY."),
    ]
    assert {f.fix for f in checker.check(c).findings if f.rule == "MUE_EXCEEDED"} == {()}


# -- two findings must not send the biller in circles

def test_an_inpatient_z_code_the_mce_bars_as_principal_is_not_told_to_move_first() -> None:
    dx = [{"code": "I10", "poa": "Y"}, {"code": "Z00.00", "poa": "1"}]
    f = _one(_claim(dx, [], kind="111"), "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST")
    assert f.message == (
        "Z00.00 may only be reported as the principal/first-listed diagnosis, but is in "
        "position 2: drop it (the MCE does not accept it as the principal diagnosis of an "
        "inpatient claim either).")
    # moved first, it is the MCE's error: the advice above does not lead there
    moved = Checker().check(_claim(dx[::-1], [], kind="111")).findings
    assert [g.rule for g in moved] == ["DX_SECONDARY_ONLY_FIRST_LISTED"]
    # an outpatient claim may list it first
    g = _one(_claim(["I10", "Z00.00"], [{"line": 1, "procedure_code": "99213"}],
                    kind="131"), "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST")
    assert g.message.endswith("but is in position 2: move it first or drop it.")


def test_dx_duplicate_of_an_invalid_code_shows_it_dotted_too() -> None:
    c = _claim(["E11.99", "I10", "E1199"], [{"line": 1, "procedure_code": "99213"}])
    f = _one(c, "DX_DUPLICATE")
    assert f.message == ("Diagnosis 3 'E1199' repeats diagnosis 1 (E11.99): remove the "
                         "duplicate.")


def test_laterality_mismatch_names_a_diagnosis_pointed_to_twice_once() -> None:
    """M17.11 written twice (M17.11, M1711) and pointed to by both pointers was listed
    twice: "M17.11 (right), M17.11 (right)"."""


    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
        "patient": {"sex": "F", "age": 70}, "diagnoses": ["M17.11", "I10", "M1711"],
        "service_lines": [{"procedure_code": "20610", "modifiers": ["LT"], "units": 1,
                           "diagnosis_pointers": [1, 3]}]})
    [finding] = [f for f in Checker().check(claim).findings
                 if f.rule == "LATERALITY_MISMATCH"]
    assert (finding.message, finding.codes) == (
        "Line 1: modifier LT (left side of the body) does not match the diagnoses it points "
        "to: M17.11 (right). Correct the modifier or the diagnosis.", ("20610", "LT", "M17.11"))


@pytest.mark.parametrize(("dx", "pointers", "message", "fix"), [
    (["M17.11"], [1], "Line 1: modifier 50 means both sides, but the diagnosis it points to "
     "(M17.11) names the right side only: bill RT instead of 50, or point the line to a "
     "diagnosis of the left side too.", ("RT",)),
    (["M17.12", "I10", "M1712"], [1, 3], "Line 1: modifier 50 means both sides, but the "
     "diagnosis it points to (M17.12) names the left side only: bill LT instead of 50, or "
     "point the line to a diagnosis of the right side too.", ("LT",)),
    (["M17.11", "M23.221"], [1, 2], "Line 1: modifier 50 means both sides, but the diagnoses "
     "it points to (M17.11, M23.221) name the right side only: bill RT instead of 50, or "
     "point the line to a diagnosis of the left side too.", ("RT",)),
])
def test_laterality_mismatch_of_50_is_one_sentence_advising_its_fix(
        dx: list[str], pointers: list[int], message: str, fix: tuple[str, ...]) -> None:
    """20610 50 on a right-knee diagnosis said "modifier 50 (both sides of the body
    (bilateral procedure)) does not match ...": parentheses in parentheses, and advice
    ("correct the modifier or the diagnosis") that did not say the fix (RT)."""
    claim = _claim(dx, [{"procedure_code": "20610", "modifiers": ["50"],
                         "diagnosis_pointers": pointers}])
    [finding] = [f for f in Checker().check(claim).findings
                 if f.rule == "LATERALITY_MISMATCH"]
    assert (finding.message, finding.fix, finding.location) == (
        message, fix, ("service_lines", 0, "modifiers", 0))
    assert finding.codes == ("20610", "50", *sorted({d[:3] + "." + d[3:].lstrip(".")
                                                     for d in dx if d != "I10"}))


def test_a_pointer_past_the_diagnoses_counts_them_in_words() -> None:


    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
        "patient": {"sex": "F", "age": 70}, "diagnoses": ["I10"],
        "service_lines": [{"procedure_code": "99213", "units": 1,
                           "diagnosis_pointers": [1, 2]}]})
    [finding] = [f for f in Checker().check(claim).findings if f.rule == "PTR_INVALID"]
    assert finding.message == ("Line 1: pointer 2 points to diagnosis 2, but the claim has 1 "
                               "diagnosis.")


def test_a_first_listed_z_code_repeated_later_is_only_a_duplicate() -> None:
    """Z00.00 first and again (Z0000) in position 3: DX_Z_FIRST_LISTED_ONLY_NOT_FIRST told
    the biller to move first a code that is first; the repeat is DX_DUPLICATE's."""
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
        "patient": {"sex": "F", "age": 70}, "diagnoses": ["Z00.00", "I10", "Z0000"],
        "service_lines": [{"procedure_code": "99397", "units": 1,
                           "diagnosis_pointers": [1, 2]}]})
    assert [(f.rule, f.location) for f in Checker().check(claim).findings
            if f.rule.startswith("DX_")] == [("DX_DUPLICATE", ("diagnoses", 2))]


def test_a_policy_names_the_code_as_read_and_a_diagnosis_pointed_to_twice_once() -> None:
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
        "patient": {"sex": "F", "age": 70}, "diagnoses": ["Z00.00", "I10", "Z0000"],
        "service_lines": [{"procedure_code": "g0008", "units": 1,
                           "diagnosis_pointers": [1, 3]}]})
    [finding] = [f for f in Checker().check(claim).findings
                 if f.rule == "MED_NECESSITY_DX_NOT_COVERED"]
    assert finding.message == ("Line 1: G0008 (vaccine administration) must point to Z23; it "
                               "points to Z00.00")


def test_a_one_character_modifier_is_one_character() -> None:
    from codekit import modifiers
    from codekit.errors import InvalidModifier

    with pytest.raises(InvalidModifier) as e:
        modifiers.validate("5", on="2025-11-03")
    assert str(e.value).endswith("got 1 character")


def test_poa_invalid_shows_the_code_as_poa_missing_does() -> None:
    """"Diagnosis 1 (i214): POA indicator 'Q'..." showed the code as typed, in
    parentheses; POA_MISSING says "Diagnosis 2 R50.9 needs...": both show it dotted now."""
    claim = Claim.from_dict({
        "claim_type": "institutional", "bill_type": "111", "payer": "medicare",
        "date_of_service": "2025-11-05", "admission_date": "2025-11-01",
        "statement_period": ["2025-11-01", "2025-11-05"],
        "patient": {"sex": "F", "age": 70},
        "diagnoses": [{"code": "i214", "poa": "Q"}, {"code": "I10", "poa": "Y"}]})
    [finding] = [f for f in Checker().check(claim).findings if f.rule == "POA_INVALID"]
    assert finding.message.startswith("Diagnosis 1 I21.4: POA indicator 'Q' is not one of")


@pytest.mark.parametrize(("kind", "n", "text"), [
    ("0131", 26, "26 diagnoses: an institutional claim carries at most 25; move the extra "
                 "ones to another claim or drop the least relevant."),
    ("prof", 13, "13 diagnoses: a professional claim carries at most 12; move the extra "
                 "ones to another claim or drop the least relevant."),
])
def test_too_many_diagnoses_says_an_institutional_claim(kind: str, n: int,
                                                        text: str) -> None:
    dx = ["I10", "E11.9", "J45.909", "K21.9", "M54.50", "R51.9", "Z79.4", "E78.5",
          "I25.10", "N18.30", "F32.A", "G47.33", "M17.11", "M17.12", "E66.9", "Z68.30",
          "K59.00", "R10.9", "R11.0", "R19.7", "Z87.891", "I48.91", "D64.9", "E03.9",
          "J44.9", "N39.0"][:n]
    line = {"procedure_code": "99283", **({"revenue_code": "0450"} if kind != "prof" else {})}
    assert _one(_claim(dx, [line], kind=kind), "DX_COUNT_EXCEEDED").message == text

"""Every edit of the rules catalog: it fires on a real-code claim, it stays quiet on the
nearest correct claim, and the precedence cases of catalog section 0.3 hold."""

from __future__ import annotations

import copy
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, CheckerError, Claim, ClaimFormatError, Severity, check, ncci
from codekit.rules import Profile, builtin_rules

CATALOG = Path(__file__).resolve().parents[1] / "docs" / "catalog.md"

BASE: dict[str, Any] = {
    "claim_type": "professional",
    "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1960-05-17"},
    "date_of_service": "2025-11-03",
    "diagnoses": ["E11.9", "I10"],
    "service_lines": [
        {"line": 1, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1, 2]},
    ],
}

PTP_CSV = """column_1,column_2,effective_date,deletion_date,modifier_indicator
20610,99213,2000-01-01,,1
12002,64450,2000-01-01,,1
0001U,0030U,2018-07-01,,1
0001U,0029U,2018-07-01,2026-06-30,1
80053,80048,2000-01-01,,0
17000,99213,2000-01-01,,1
"""
MUE_CSV = """code,mue,mai
0001U,1,2
0009U,2,3
17000,1,2
J3301,16,3
"""


def claim(**changes: Any) -> Claim:
    d = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key == "lines":
            d["service_lines"] = [{"units": 1, "diagnosis_pointers": [1], **ln} for ln in value]
        elif key == "patient":
            d["patient"] = value
        else:
            d[key] = value
    return Claim.from_dict(d)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    folder = tmp_path_factory.mktemp("ncci")
    (folder / "ptp.csv").write_text(PTP_CSV)
    (folder / "mue.csv").write_text(MUE_CSV)
    return Checker(ptp=ncci.load_ptp(folder / "ptp.csv", setting="practitioner"),
                   mue=ncci.load_mue(folder / "mue.csv", effective="2025-10-01",
                                     setting="practitioner"))


def rules_of(c: Claim, checker: Checker | None = None) -> list[str]:
    return [f.rule for f in (checker or Checker()).check(c).findings]


def findings(c: Claim, rule: str, checker: Checker | None = None) -> list:
    return [f for f in (checker or Checker()).check(c).findings if f.rule == rule]


def test_base_claim_is_clean() -> None:
    report = Checker().check(claim())
    assert report.findings == ()
    assert report.ok
    assert report.profile == "medicare-professional"


# -- A: diagnosis validity ---------------------------------------------------------------


def test_dx_missing() -> None:
    # one mistake, one finding: the pointers have nothing to point to until it is fixed
    assert rules_of(claim(diagnoses=[])) == ["DX_MISSING"]
    f = findings(claim(diagnoses=["", "I10"]), "DX_MISSING")
    assert f[0].location == ("diagnoses", 0)
    assert findings(claim(), "DX_MISSING") == []


@pytest.mark.parametrize(("code", "rule"), [
    ("250.00", "DX_FORMAT_INVALID"), ("4019", "DX_FORMAT_INVALID"), ("R5.09", "DX_FORMAT_INVALID"),
    ("E11.99", "DX_CODE_UNKNOWN"), ("I1O", "DX_CODE_UNKNOWN"), ("J06.9XXA", "DX_CODE_UNKNOWN"),
    ("E11", "DX_NOT_BILLABLE"), ("I25.1", "DX_NOT_BILLABLE"), ("M17.1", "DX_NOT_BILLABLE"),
    ("S52.521", "DX_SEVENTH_CHAR_MISSING"), ("W19", "DX_SEVENTH_CHAR_MISSING"),
    ("T78.40X", "DX_SEVENTH_CHAR_MISSING"),
    ("S93.401B", "DX_SEVENTH_CHAR_INVALID"), ("M80.08XB", "DX_SEVENTH_CHAR_INVALID"),
    ("T78.40A", "DX_PLACEHOLDER_X_MISSING"), ("T15.02A", "DX_PLACEHOLDER_X_MISSING"),
    ("G35", "DX_NOT_VALID_ON_DOS"), ("Z91.011", "DX_NOT_VALID_ON_DOS"),
    ("R10.2", "DX_NOT_VALID_ON_DOS"), ("Z86.010", "DX_NOT_VALID_ON_DOS"),
])
def test_dx_validity_one_finding_per_code(code: str, rule: str) -> None:
    c = claim(diagnoses=["I10", code])
    assert rules_of(c) == [rule]  # the most specific edit only (0.3 rule 2)
    (f,) = findings(c, rule)
    assert f.location == ("diagnoses", 1)
    assert f.codes == (code,)
    assert f.severity is Severity.ERROR


@pytest.mark.parametrize(("code", "good"), [("E11.99", "E11.9"), ("G35", "G35.A"),
                                             ("T78.40A", "T78.40XA"), ("S52.521", "S52.521A")])
def test_dx_validity_quiet_on_the_nearest_correct_code(code: str, good: str) -> None:
    assert rules_of(claim(diagnoses=["I10", good])) == []


def test_dx_not_valid_on_dos_before_icd10_and_new_codes() -> None:
    assert rules_of(claim(diagnoses=["E11.9"], date_of_service="2015-09-30",
                          lines=[{"procedure_code": "99213"}])) == ["DX_NOT_VALID_ON_DOS"]
    one = [{"procedure_code": "99213"}]
    assert rules_of(claim(diagnoses=["E11.A"], date_of_service="2025-09-30", lines=one)) == [
        "DX_NOT_VALID_ON_DOS"]
    assert rules_of(claim(diagnoses=["E11.A"], date_of_service="2025-10-01", lines=one)) == []


def test_dx_duplicate() -> None:
    f = findings(claim(diagnoses=["E11.9", "I10", "E119"]), "DX_DUPLICATE")
    assert [x.location for x in f] == [("diagnoses", 2)]
    assert findings(claim(diagnoses=["E11.9", "I10", "E11.65"]), "DX_DUPLICATE") == []


def test_dx_count_exceeded() -> None:
    many = ["E11.9", "I10", "E78.5", "J45.909", "K21.9", "M54.50", "R51.9", "F41.1", "G47.00",
            "N39.0", "R05.9", "L40.0", "H52.4"]
    assert "DX_COUNT_EXCEEDED" in rules_of(claim(diagnoses=many))
    assert "DX_COUNT_EXCEEDED" not in rules_of(claim(diagnoses=many[:12]))
    inst = claim(diagnoses=many, claim_type="institutional", bill_type="131",
                 lines=[{"procedure_code": "99213", "revenue_code": "0510"}])
    assert "DX_COUNT_EXCEEDED" not in rules_of(inst)


# -- B: conventions ----------------------------------------------------------------------


@pytest.mark.parametrize(("x", "y"), [("E11.9", "E10.9"), ("M54.50", "M54.42"),
                                      ("F32.A", "F33.1"), ("Z33.1", "O21.0"),
                                      ("E11.42", "G63"), ("E11.9", "E11.A"),
                                      ("G30.9", "R41.81"),
                                      # notes of seven-character codes of their own
                                      ("Z91.0111", "Z91.0112"), ("Z91.0122", "Z91.0121")])
def test_excludes1_conflict(x: str, y: str) -> None:
    f = findings(claim(diagnoses=[x, y]), "DX_EXCLUDES1_CONFLICT")
    assert len(f) == 1
    assert f[0].location == ("diagnoses", 1)
    assert set(f[0].codes) == {x, y}
    assert f[0].severity is Severity.WARNING


@pytest.mark.parametrize(("dx", "at", "fix", "says"), [
    # I.C.5.b.2: dependence over abuse over use of one substance, wherever the two sit
    (["F10.10", "F10.20"], 0, "F10.20", "When abuse and dependence of one substance are "
     "documented, only the code for dependence is assigned (Guideline I.C.5.b.2): remove "
     "F10.10."),
    (["F10.20", "F10.10"], 1, "F10.20", "When abuse and dependence"),
    (["F12.90", "F12.20"], 0, "F12.20", "When use and dependence"),
    (["F11.10", "F11.90"], 1, "F11.10", "When use and abuse"),
    # I.C.1.a.2.d, I.C.1.a.2.e: HIV disease is coded B20, not Z21 nor R75
    (["B20", "Z21"], 1, "B20", "Z21 (asymptomatic HIV infection status) is not used for a "
     "patient with HIV disease, who is coded B20 (Guideline I.C.1.a.2.d): remove Z21."),
    (["R75", "B20"], 0, "B20", "R75 is for inconclusive HIV serology with no definitive "
     "diagnosis, and B20 is one (Guideline I.C.1.a.2.e): remove R75."),
], ids=["abuse-dependence", "dependence-abuse", "use-dependence", "abuse-use", "b20-z21",
        "r75-b20"])
def test_excludes1_whose_keeper_a_guideline_names(dx: list[str], at: int, fix: str,
                                                  says: str) -> None:
    """Where a guideline says which of an Excludes1 pair to keep, the finding is at the
    other code and its fix is the keeper."""
    (f,) = findings(claim(diagnoses=dx), "DX_EXCLUDES1_CONFLICT")
    assert (f.location, f.codes, f.fix) == (("diagnoses", at), tuple(dx), (fix,))
    assert says in f.message and "Keep the one that fits" not in f.message
    # a pair no guideline decides keeps its message, at the later code, with no fix
    (g,) = findings(claim(diagnoses=["Z21", "R75"]), "DX_EXCLUDES1_CONFLICT")
    assert (g.location, g.fix) == (("diagnoses", 1), ())
    assert "Keep the one that fits the patient" in g.message


@pytest.mark.parametrize(("x", "y"), [("K21.9", "K44.9"), ("R51.9", "G43.909"),
                                      ("E11.9", "I10")])
def test_excludes2_and_unrelated_never_fire(x: str, y: str) -> None:
    assert findings(claim(diagnoses=[x, y]), "DX_EXCLUDES1_CONFLICT") == []


def test_excludes1_within_a_category_among_other_categories() -> None:
    """E11.9's Excludes1 names E11.A, of its own category: the note is read only when the
    claim repeats the category (ClaimContext.repeated_categories), wherever the two sit."""
    from codekit import icd10cm

    dx = ["I10", "E11.9", "K21.9", "O9A.211", "O9A.311", "E11.A"]
    f = findings(claim(diagnoses=dx), "DX_EXCLUDES1_CONFLICT")
    assert [(x.location, x.codes) for x in f] == [(("diagnoses", 5), ("E11.9", "E11.A"))]
    ctx = Checker().context(claim(diagnoses=dx))
    e11 = icd10cm.Facts.category_bit_of("E11")
    other = icd10cm.Facts.category_bit_of("O9A")  # the bit every unranked category shares
    assert ctx.repeated_categories == e11 | other
    assert Checker().context(claim(diagnoses=dx[:5])).repeated_categories == other
    assert Checker().context(claim(diagnoses=dx[:3])).repeated_categories == 0
    assert findings(claim(diagnoses=dx[:3]), "DX_EXCLUDES1_CONFLICT") == []


def test_excludes1_not_between_a_code_and_itself_nor_invalid_codes() -> None:
    assert findings(claim(diagnoses=["E11.9", "E11.9"]), "DX_EXCLUDES1_CONFLICT") == []
    # E10.99 is not a code: validity fires, Excludes1 is not evaluated for it (0.3 rule 1)
    assert rules_of(claim(diagnoses=["E11.9", "E10.99"])) == ["DX_CODE_UNKNOWN"]


@pytest.mark.parametrize("code", ["F02.80", "N08", "G63"])
def test_manifestation_first_listed(code: str) -> None:
    c = claim(diagnoses=[code, "G30.9" if code == "F02.80" else "M10.9"])
    f = findings(c, "DX_MANIFESTATION_FIRST_LISTED")
    assert [x.location for x in f] == [("diagnoses", 0)]
    # the right order: etiology first
    assert findings(claim(diagnoses=list(reversed(c.diagnoses))),
                    "DX_MANIFESTATION_FIRST_LISTED") == []


def test_code_first_order() -> None:
    f = findings(claim(diagnoses=["L97.412", "E11.621"]), "DX_CODE_FIRST_ORDER")
    assert len(f) == 1 and f[0].codes == ("L97.412", "E11.621")
    assert findings(claim(diagnoses=["E11.621", "L97.412"]), "DX_CODE_FIRST_ORDER") == []


def test_etiology_missing() -> None:
    f = findings(claim(diagnoses=["E11.9", "G63"]), "DX_ETIOLOGY_MISSING")
    assert f == []  # E11.9 is an etiology
    f = findings(claim(diagnoses=["Z79.4", "G63"]), "DX_ETIOLOGY_MISSING")
    assert [x.codes for x in f] == [("G63",)]


@pytest.mark.parametrize("first", ["W19.XXXA", "V43.52XA"])
def test_external_cause_first_listed(first: str) -> None:
    injury = "S72.001A" if first.startswith("W") else "S13.4XXA"
    f = findings(claim(diagnoses=[first, injury]), "DX_EXTERNAL_CAUSE_FIRST_LISTED")
    assert [x.location for x in f] == [("diagnoses", 0)]
    assert findings(claim(diagnoses=[injury, first]), "DX_EXTERNAL_CAUSE_FIRST_LISTED") == []


def test_z_first_listed_only() -> None:
    f = findings(claim(diagnoses=["I10", "Z00.00"]), "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST")
    assert [x.location for x in f] == [("diagnoses", 1)]
    f = findings(claim(diagnoses=["C50.911", "Z51.11"]), "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST")
    assert len(f) == 1
    assert findings(claim(diagnoses=["Z00.00", "I10"]), "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST") == []
    # exceptions: Z00.6 and Z52.9
    assert findings(claim(diagnoses=["I10", "Z00.6"]), "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST") == []


@pytest.mark.parametrize(("first", "second"), [("Z37.0", "O80"), ("B96.20", "N39.0"),
                                               ("Z68.41", "E66.01")])
def test_secondary_only_first_listed(first: str, second: str) -> None:
    f = findings(claim(diagnoses=[first, second]), "DX_SECONDARY_ONLY_FIRST_LISTED")
    assert [x.location for x in f] == [("diagnoses", 0)]
    assert f[0].severity is Severity.WARNING
    assert findings(claim(diagnoses=[second, first]), "DX_SECONDARY_ONLY_FIRST_LISTED") == []


def test_unacceptable_principal_only_on_inpatient_claims() -> None:
    outpatient = claim(diagnoses=["Z00.00", "I10"])
    assert findings(outpatient, "DX_SECONDARY_ONLY_FIRST_LISTED") == []
    inpatient = claim(diagnoses=["Z00.00", "I10"], claim_type="institutional", bill_type="111",
                      lines=[{"procedure_code": "99223", "revenue_code": "0450"}])
    (f,) = findings(inpatient, "DX_SECONDARY_ONLY_FIRST_LISTED")
    assert f.severity is Severity.ERROR  # REJECT on inpatient


# -- C: age and sex ----------------------------------------------------------------------


def test_patient_age_and_sex_invalid() -> None:
    c = claim(patient={"sex": "F", "birth_date": "2026-05-01"}, date_of_service="2026-04-15")
    assert "PATIENT_AGE_INVALID" in rules_of(c)
    assert "PATIENT_AGE_INVALID" in rules_of(claim(patient={"sex": "F", "age": 130}))
    assert "PATIENT_AGE_INVALID" in rules_of(claim(patient={"sex": "F", "age": -1}))
    assert rules_of(claim(patient={"sex": "X", "age": 40})) == ["PATIENT_SEX_INVALID"]
    assert rules_of(claim(patient={"sex": "U", "age": 40})) == []
    # a word for a sex (FHIR's codes) names its letter as the fix
    (f,) = findings(claim(patient={"sex": "female", "age": 40}), "PATIENT_SEX_INVALID")
    assert (f.message, f.fix) == ("Sex 'FEMALE' is not M, F or U: write F.", ("F",))
    (f,) = findings(claim(patient={"sex": "X", "age": 40}), "PATIENT_SEX_INVALID")
    assert (f.message, f.fix) == ("Sex 'X' is not M, F or U.", ())


def test_a_line_dated_before_the_birth_is_an_invalid_age() -> None:
    """A newborn's claim dated its birthday, 2025-11-02, with a line of its own dated
    2025-10-30: the claim's date passed, and the line before the birth was not judged."""
    born = {"sex": "F", "birth_date": "2025-11-02"}
    newborn = [{"procedure_code": "99460"},
               {"procedure_code": "99462", "date_of_service": "2025-10-30"}]
    c = claim(patient=born, date_of_service="2025-11-02", diagnoses=["Z38.00"], lines=newborn)
    (f,) = Checker().check(c).findings
    assert (f.rule, f.location, f.codes) == (
        "PATIENT_AGE_INVALID", ("service_lines", 1, "date_of_service"), ("99462",))
    assert f.message == ("Line 2 (99462) is dated 2025-10-30, before the birth date "
                         "2025-11-02: a service is on or after the day of birth; correct "
                         "the line's date or the birth date.")
    newborn[1]["date_of_service"] = "2025-11-03"
    assert rules_of(claim(patient=born, date_of_service="2025-11-02", diagnoses=["Z38.00"],
                          lines=newborn)) == []
    # an institutional line outside the statement period is LINE_DATE_OUTSIDE_PERIOD's
    stay = claim(patient=born, claim_type="institutional", bill_type="131",
                 date_of_service=None, statement_period=["2025-11-02", "2025-11-03"],
                 diagnoses=["Z38.00"], lines=[
                     {"procedure_code": "99460", "revenue_code": "0510",
                      "diagnosis_pointers": [], "date_of_service": "2025-10-30"}])
    assert rules_of(stay) == ["LINE_DATE_OUTSIDE_PERIOD"]


@pytest.mark.parametrize(("code", "sex"), [("N40.0", "F"), ("C53.9", "M"), ("C61", "F")])
def test_dx_sex_conflict(code: str, sex: str) -> None:
    c = claim(diagnoses=[code], patient={"sex": sex, "age": 60})
    (f,) = findings(c, "DX_SEX_CONFLICT")
    assert f.codes == (code,)
    other = "M" if sex == "F" else "F"
    assert findings(claim(diagnoses=[code], patient={"sex": other, "age": 60}),
                    "DX_SEX_CONFLICT") == []


def test_dx_sex_bypasses_and_the_2024_inpatient_stop() -> None:
    # KX on a line pointing to the diagnosis bypasses it (professional)
    kx = claim(diagnoses=["N40.0"], patient={"sex": "F", "age": 60},
               lines=[{"procedure_code": "99213", "modifiers": ["KX"]}])
    assert findings(kx, "DX_SEX_CONFLICT") == []
    # condition code 45 bypasses it on institutional claims
    inst: dict[str, Any] = {
        "claim_type": "institutional", "bill_type": "131",
        "lines": [{"procedure_code": "99213", "revenue_code": "0510"}],
        "diagnoses": ["N40.0"], "patient": {"sex": "F", "age": 60}}
    (f,) = findings(claim(**inst), "DX_SEX_CONFLICT")
    # a warning: I/OCE edit 3 is inactive in every version 2019-07 to 2026 (issue 10.2)
    assert f.severity is Severity.WARNING
    assert findings(claim(**inst, condition_codes=["45"]), "DX_SEX_CONFLICT") == []
    # the MCE (inpatient) sex edit stopped on 2024-10-01; other profiles keep the lists
    inpat = {**inst, "bill_type": "111"}
    (f,) = findings(claim(**inpat, date_of_service="2024-09-30"), "DX_SEX_CONFLICT")
    # an error there, as PCS_SEX_CONFLICT: the MCE raises its edit 5 on both (a CCS's review)
    assert f.severity is Severity.ERROR
    assert findings(claim(**inpat, date_of_service="2024-10-01"), "DX_SEX_CONFLICT") == []
    assert len(findings(claim(diagnoses=["N40.0"], patient={"sex": "F", "age": 60},
                              date_of_service="2025-11-03"), "DX_SEX_CONFLICT")) == 1


@pytest.mark.parametrize(("code", "age"), [("Z38.00", 31), ("O80", 0), ("Z00.129", 40),
                                           ("Z00.00", 8), ("Z00.129", 18)])
def test_dx_age_conflict(code: str, age: int) -> None:
    c = claim(diagnoses=[code], patient={"sex": "F", "age": age})
    assert [f.codes for f in findings(c, "DX_AGE_CONFLICT")] == [(code,)]


@pytest.mark.parametrize(("code", "age"), [("Z38.00", 0), ("O80", 30), ("Z00.129", 17),
                                           ("Z00.00", 40), ("P07.30", 45)])
def test_dx_age_ok(code: str, age: int) -> None:
    # P07.30: perinatal codes may be used for life (Guideline I.C.16.a.4)
    assert findings(claim(diagnoses=[code], patient={"sex": "F", "age": age}),
                    "DX_AGE_CONFLICT") == []


def test_age_in_completed_years_on_the_birthday() -> None:
    c = claim(diagnoses=["Z00.129"], patient={"sex": "F", "birth_date": "2007-11-03"})
    assert len(findings(c, "DX_AGE_CONFLICT")) == 1  # 18 today
    c = claim(diagnoses=["Z00.129"], patient={"sex": "F", "birth_date": "2007-11-04"})
    assert findings(c, "DX_AGE_CONFLICT") == []  # 17 until tomorrow


def test_proc_sex_conflict() -> None:
    c = claim(patient={"sex": "M", "age": 50}, diagnoses=["N87.1"],
              lines=[{"procedure_code": "57454"}], date_of_service="2025-06-02")
    assert [f.codes for f in findings(c, "PROC_SEX_CONFLICT")] == [("57454",)]
    c2 = claim(patient={"sex": "F", "age": 60}, diagnoses=["R97.20"],
               lines=[{"procedure_code": "55700"}], date_of_service="2025-06-02")
    assert len(findings(c2, "PROC_SEX_CONFLICT")) == 1
    c3 = claim(patient={"sex": "F", "age": 60}, diagnoses=["R97.20"],
               lines=[{"procedure_code": "55700", "modifiers": ["KX"]}],
               date_of_service="2025-06-02")
    assert findings(c3, "PROC_SEX_CONFLICT") == []


def test_proc_age_conflict() -> None:
    c = claim(patient={"sex": "F", "age": 30}, diagnoses=["Z00.00"],
              lines=[{"procedure_code": "99397"}])
    assert [f.codes for f in findings(c, "PROC_AGE_CONFLICT")] == [("99397",)]
    c = claim(patient={"sex": "F", "age": 70}, diagnoses=["Z00.00"],
              lines=[{"procedure_code": "99397"}])
    assert findings(c, "PROC_AGE_CONFLICT") == []


def test_proc_age_on_the_lines_own_date() -> None:
    """99397 (65+) on a line of 2025-11-01: the patient born 1960-11-05 is 64 that day,
    although 65 on the claim's date 2025-11-10."""
    c = claim(patient={"sex": "M", "birth_date": "1960-11-05"}, diagnoses=["Z00.00"],
              date_of_service="2025-11-10",
              lines=[{"procedure_code": "99397", "date_of_service": "2025-11-01"},
                     {"procedure_code": "99397", "date_of_service": "2025-11-10"}])
    (f,) = findings(c, "PROC_AGE_CONFLICT")
    assert f.location == ("service_lines", 0, "procedure_code")
    assert "is 64 on 2025-11-01" in f.message


def test_proc_age_on_a_line_that_fails_a_date_edit() -> None:
    """0081A (a vaccine administration for ages 0-4) on 2022-06-01, before its marketing
    date 2022-06-17, for a patient of 14: two mistakes, both reported (the I/OCE gives
    edits 110 and 7); a code unknown on the date has no age to judge."""
    c = claim(patient={"sex": "F", "birth_date": "2008-01-01"}, diagnoses=["Z23"],
              date_of_service="2022-06-01", lines=[{"procedure_code": "0081A"}])
    assert rules_of(c) == ["PROC_AGE_CONFLICT", "PROC_NOT_VALID_ON_DOS"]
    out = claim(claim_type="institutional", bill_type="131",
                patient={"sex": "F", "birth_date": "2008-01-01"}, diagnoses=["Z23"],
                date_of_service="2022-06-01",
                lines=[{"procedure_code": "0081A", "revenue_code": "0771",
                        "diagnosis_pointers": []}])
    assert rules_of(out) == ["PROC_AGE_CONFLICT", "PROC_BEFORE_MARKETING_DATE"]
    later = claim(patient={"sex": "F", "birth_date": "2008-01-01"}, diagnoses=["Z23"],
                  date_of_service="2024-01-02", lines=[{"procedure_code": "0081A"}])
    # ended 2023-04-17, gone from the I/OCE quarters from 2024: no limits to judge
    assert rules_of(later) == ["PROC_NOT_VALID_ON_DOS"]


# -- D and H2: procedure codes and units --------------------------------------------------


@pytest.mark.parametrize(("code", "rule"), [
    ("9921", "PROC_FORMAT_INVALID"), ("99213-25", "PROC_FORMAT_INVALID"),
    ("W1234", "PROC_FORMAT_INVALID"), ("00000", "PROC_CODE_UNKNOWN"),
    ("G0000", "PROC_CODE_UNKNOWN"), ("99201", "PROC_NOT_VALID_ON_DOS"),
    ("99241", "PROC_NOT_VALID_ON_DOS"),
])
def test_procedure_validity(code: str, rule: str) -> None:
    c = claim(lines=[{"procedure_code": code, "modifiers": ["RT", "LT"]}])
    # one finding, and modifier edits skipped for an invalid code (0.3 rule 3)
    assert rules_of(c) == [rule]
    (f,) = findings(c, rule)
    assert f.location == ("service_lines", 0, "procedure_code")


def test_revenue_only_institutional_line_is_not_a_malformed_procedure() -> None:
    """837I room and board is billed by revenue code alone (SV202 situational); an empty
    procedure code there is no PROC_FORMAT_INVALID -- but it is on a professional line, or
    an institutional line with no revenue code either."""
    inst = {"claim_type": "institutional", "bill_type": "111",
            "statement_period": ["2025-11-01", "2025-11-03"]}
    room = claim(**inst, lines=[{"procedure_code": "", "revenue_code": "0120", "units": 2,
                                 "diagnosis_pointers": []}])
    assert "PROC_FORMAT_INVALID" not in rules_of(room)
    blank = claim(**inst, lines=[{"procedure_code": "", "units": 2, "diagnosis_pointers": []}])
    assert "PROC_FORMAT_INVALID" in rules_of(blank)
    prof = claim(lines=[{"procedure_code": "", "revenue_code": "0120"}])
    assert "PROC_FORMAT_INVALID" in rules_of(prof)


def test_units_invalid() -> None:
    assert rules_of(claim(lines=[{"procedure_code": "99213", "units": 0}])) == ["UNITS_INVALID"]
    d = copy.deepcopy(BASE)
    del d["service_lines"][0]["units"]
    assert rules_of(Claim.from_dict(d)) == ["UNITS_INVALID"]
    # negative units are the edit's, as from an 837 or a FHIR Claim (spec D3), and the
    # rest of the claim is still checked
    neg = findings(claim(lines=[{"procedure_code": "99213", "units": -1},
                                {"procedure_code": "99999", "units": 1}]), "UNITS_INVALID")
    assert [(f.message, f.location) for f in neg] == [
        ("Line 1 (99213): units are -1; report at least 1.", ("service_lines", 0, "units"))]
    assert "PROC_CODE_UNKNOWN" in rules_of(claim(lines=[
        {"procedure_code": "99213", "units": -1}, {"procedure_code": "99999", "units": 1}]))
    with pytest.raises(ClaimFormatError):
        claim(lines=[{"procedure_code": "99213", "units": "two"}])


def test_a_claim_without_lines_says_only_its_diagnoses_were_checked() -> None:
    # an 837P (or an outpatient 837I) carries at least one line: not silently "clean"
    prof = check(claim(lines=[]))
    assert prof.ok and prof.findings == ()
    assert [(n.code, n.location) for n in prof.notices] == [
        ("NO_SERVICE_LINES", ("service_lines",))]
    assert prof.notices[0].message.endswith("and an 837P carries at least one)")
    outpatient = check(claim(claim_type="institutional", bill_type="131", lines=[]))
    assert [n.code for n in outpatient.notices] == ["NO_SERVICE_LINES"]
    assert "an outpatient 837I" in outpatient.notices[0].message
    # the MCE judges an inpatient claim by its diagnoses and procedures: no notice
    inpatient = check(claim(claim_type="institutional", bill_type="0111", lines=[],
                            diagnoses=[{"code": "I10", "poa": "Y"}]))
    assert inpatient.profile == "medicare-inpatient" and inpatient.notices == ()
    assert check(claim()).notices == ()


# -- E: modifiers ------------------------------------------------------------------------


def test_mod_invalid() -> None:
    f = findings(claim(lines=[{"procedure_code": "99213", "modifiers": ["88"]}]), "MOD_INVALID")
    assert [x.location for x in f] == [("service_lines", 0, "modifiers", 0)]
    jg = claim(lines=[{"procedure_code": "J3301", "modifiers": ["JG"], "units": 1}],
               date_of_service="2025-01-01")
    assert len(findings(jg, "MOD_INVALID")) == 1
    ok = claim(lines=[{"procedure_code": "J3301", "modifiers": ["JG"], "units": 1}],
               date_of_service="2024-12-31")
    assert findings(ok, "MOD_INVALID") == []


def test_modifier_validity_is_judged_on_a_line_whose_code_failed_validity() -> None:
    """99201 (deleted 2020-12-31) with the unknown modifier 88: two mistakes, two findings
    (the I/OCE reports edits 6 and 22); the edits comparing modifiers with the code skip
    the line (spec 0.3 rule 3): RT and LT together are not a laterality conflict there."""
    c = claim(lines=[{"procedure_code": "99201", "modifiers": ["88", "RT", "LT", "XS", "KX"]}])
    assert rules_of(c) == ["PROC_NOT_VALID_ON_DOS", "MOD_INVALID", "MOD_COUNT_EXCEEDED"]
    assert [f.location for f in findings(c, "MOD_INVALID")] == [
        ("service_lines", 0, "modifiers", 0)]


def test_mod_count_exceeded() -> None:
    c = claim(diagnoses=["M17.11"],
              lines=[{"procedure_code": "20610", "modifiers": ["RT", "59", "XS", "KX", "GA"]}])
    assert len(findings(c, "MOD_COUNT_EXCEEDED")) == 1
    c = claim(diagnoses=["M17.11"],
              lines=[{"procedure_code": "20610", "modifiers": ["RT", "59", "XS", "KX"]}])
    assert findings(c, "MOD_COUNT_EXCEEDED") == []


@pytest.mark.parametrize(("code", "mods"), [("69210", ["RT", "LT"]), ("20610", ["50", "RT"])])
def test_mod_laterality_conflict(code: str, mods: list[str]) -> None:
    c = claim(diagnoses=["M17.0", "H61.23"], lines=[{"procedure_code": code, "modifiers": mods}])
    assert len(findings(c, "MOD_LATERALITY_CONFLICT")) == 1
    c = claim(diagnoses=["M17.0", "H61.23"], lines=[{"procedure_code": code,
                                                    "modifiers": ["50"]}])
    assert findings(c, "MOD_LATERALITY_CONFLICT") == []


def test_mod_laterality_missing() -> None:
    c = claim(diagnoses=["M17.11"], lines=[{"procedure_code": "20610"}])
    (f,) = findings(c, "MOD_LATERALITY_MISSING")
    assert "add RT" in f.message
    c = claim(diagnoses=["M17.11"], lines=[{"procedure_code": "20610", "modifiers": ["RT"]}])
    assert findings(c, "MOD_LATERALITY_MISSING") == []
    c = claim(diagnoses=["M17.9"], lines=[{"procedure_code": "20610"}])  # no side stated
    assert findings(c, "MOD_LATERALITY_MISSING") == []
    # both sides stated beside an unspecified type (H65.93, "Unspecified nonsuppurative
    # otitis media, bilateral"): 50 or the side operated on, as for any bilateral code
    c = claim(diagnoses=["H65.93"], lines=[{"procedure_code": "69436"}])
    (f,) = findings(c, "MOD_LATERALITY_MISSING")
    assert f.fix == ("50",) and "H65.93 (bilateral)" in f.message
    c = claim(diagnoses=["H65.90"], lines=[{"procedure_code": "69436"}])  # unspecified ear
    assert findings(c, "MOD_LATERALITY_MISSING") == []


def test_a_bilateral_diagnosis_of_an_unspecified_type_fits_either_side() -> None:
    """Spec F5: "bilateral" is compatible with RT, LT and 50: H65.93 pointed to by a line
    with RT is no LATERALITY_MISMATCH (one ear treated of an otitis of both)."""
    for mods in (["RT"], ["LT"], ["50"]):
        c = claim(diagnoses=["H65.93"], lines=[{"procedure_code": "69436", "modifiers": mods}])
        assert findings(c, "LATERALITY_MISMATCH") == [], mods


def test_em_without_25_needs_the_ptp_table(tables: Checker) -> None:
    c = claim(diagnoses=["M17.11"], lines=[{"procedure_code": "99213"},
                                           {"procedure_code": "20610", "modifiers": ["RT"]}])
    assert "practitioner PTP" in dict(Checker().check(c).not_run)["EM_MINOR_PROC_NO_MOD25"]
    (f,) = findings(c, "EM_MINOR_PROC_NO_MOD25", tables)
    assert f.location == ("service_lines", 0, "modifiers")
    # one mistake, one finding: the PTP edit 20610/99213 it explains is not repeated
    assert findings(c, "NCCI_PTP_CONFLICT", tables) == []
    # ...but it still reports when E5 is switched off
    quiet = tables.with_profile(Profile("no-e5", disabled=frozenset({"EM_MINOR_PROC_NO_MOD25"}),
                                        options={"ncci": True}))
    assert [x.codes for x in findings(c, "NCCI_PTP_CONFLICT", quiet)] == [("20610", "99213")]
    c25 = claim(diagnoses=["M17.11"], lines=[{"procedure_code": "99213", "modifiers": ["25"]},
                                             {"procedure_code": "20610", "modifiers": ["RT"]}])
    assert findings(c25, "EM_MINOR_PROC_NO_MOD25", tables) == []


# -- F: pointers and laterality ----------------------------------------------------------


def test_pointer_edits() -> None:
    assert rules_of(claim(lines=[{"procedure_code": "99213", "diagnosis_pointers": []}])) == [
        "PTR_MISSING"]
    f = findings(claim(lines=[{"procedure_code": "99213", "diagnosis_pointers": [3]}]),
                 "PTR_INVALID")
    assert [x.location for x in f] == [("service_lines", 0, "diagnosis_pointers", 0)]
    assert len(findings(claim(lines=[{"procedure_code": "99213",
                                      "diagnosis_pointers": [13]}]), "PTR_INVALID")) == 1
    five = claim(diagnoses=["E11.9", "I10", "E78.5", "J45.909", "K21.9"],
                 lines=[{"procedure_code": "99213", "diagnosis_pointers": [1, 2, 3, 4, 5]}])
    assert rules_of(five) == ["PTR_TOO_MANY"]
    assert rules_of(claim(lines=[{"procedure_code": "99213", "diagnosis_pointers": [2, 2]}])) \
        == ["PTR_DUPLICATE"]
    inst = claim(claim_type="institutional", bill_type="131",
                 lines=[{"procedure_code": "99213", "revenue_code": "0510",
                         "diagnosis_pointers": []}])
    assert "PTR_MISSING" not in rules_of(inst)


@pytest.mark.parametrize(("dx", "code", "mod"), [
    ("M17.11", "20610", "LT"), ("H25.11", "66984", "LT"), ("H02.831", "15823", "E1"),
    ("M65.311", "26055", "FA"),
])
def test_laterality_mismatch(dx: str, code: str, mod: str) -> None:
    c = claim(diagnoses=[dx], lines=[{"procedure_code": code, "modifiers": [mod]}])
    (f,) = findings(c, "LATERALITY_MISMATCH")
    assert f.location == ("service_lines", 0, "modifiers", 0)
    assert dx in f.codes


@pytest.mark.parametrize(("dx", "code", "mod"), [
    ("M17.0", "20610", "RT"), ("M17.11", "20610", "RT"), ("H02.831", "15823", "E3"),
    ("M65.311", "26055", "F5"), ("M17.9", "20610", "LT"),
])
def test_laterality_compatible(dx: str, code: str, mod: str) -> None:
    c = claim(diagnoses=[dx], lines=[{"procedure_code": code, "modifiers": [mod]}])
    assert findings(c, "LATERALITY_MISMATCH") == []


@pytest.mark.parametrize(("code", "side"), [
    ("M17.12", "left"), ("H25.11", "right"), ("M17.0", "bilateral"),
    ("I50.1", None),  # Left ventricular failure: heart anatomy, not a side
    ("I45.10", None),  # right bundle-branch block
    ("Q23.4", None),  # hypoplastic left heart syndrome
    ("K51.50", None),  # left sided colitis
    ("T81.500A", None),  # foreign body accidentally left in body
    ("S36.500A", None),  # ascending [right] colon
])
def test_side_of_a_diagnosis(code: str, side: str | None) -> None:
    from codekit import icd10cm
    assert icd10cm.facts(code, on="2025-11-03").side == side


def test_heart_anatomy_is_not_laterality() -> None:
    c = claim(diagnoses=["I25.10", "I50.1"],
              lines=[{"procedure_code": "92928", "modifiers": ["RC"],
                      "diagnosis_pointers": [1, 2]}])
    assert rules_of(c) == []


def test_bilateral_modifier_needs_both_sides() -> None:
    c = claim(diagnoses=["M17.11"], lines=[{"procedure_code": "20610", "modifiers": ["50"]}])
    assert len(findings(c, "LATERALITY_MISMATCH")) == 1
    c = claim(diagnoses=["M17.11", "M17.12"],
              lines=[{"procedure_code": "20610", "modifiers": ["50"],
                      "diagnosis_pointers": [1, 2]}])
    assert findings(c, "LATERALITY_MISMATCH") == []


def test_laterality_skips_invalid_diagnoses() -> None:
    c = claim(diagnoses=["M17.1"], lines=[{"procedure_code": "20610", "modifiers": ["LT"]}])
    assert "LATERALITY_MISMATCH" not in rules_of(c)  # M17.1 is a header (validity wins)


# -- G: NCCI ------------------------------------------------------------------------------


def test_ptp_conflict_professional(tables: Checker) -> None:
    c = claim(diagnoses=["S01.01XA"], lines=[{"procedure_code": "12002"},
                                             {"procedure_code": "64450"}])
    (f,) = findings(c, "NCCI_PTP_CONFLICT", tables)
    assert f.location == ("service_lines", 1, "procedure_code")
    assert f.codes == ("12002", "64450")
    # indicator 1: an NCCI-associated modifier on the column-2 line bypasses it
    c59 = claim(diagnoses=["S01.01XA"], lines=[{"procedure_code": "12002"},
                                               {"procedure_code": "64450", "modifiers": ["59"]}])
    assert findings(c59, "NCCI_PTP_CONFLICT", tables) == []
    # without the practitioner table the edit is reported as not run, not silently skipped
    report = Checker().check(c)
    assert "NCCI_PTP_CONFLICT" in dict(report.not_run)


def test_ptp_dates(tables: Checker) -> None:
    lines = [{"procedure_code": "0001U"}, {"procedure_code": "0029U"}]
    on = claim(diagnoses=["D57.1"], lines=lines, date_of_service="2026-06-30")
    after = claim(diagnoses=["D57.1"], lines=lines, date_of_service="2026-07-01")
    assert len(findings(on, "NCCI_PTP_CONFLICT", tables)) == 1
    assert findings(after, "NCCI_PTP_CONFLICT", tables) == []


def test_ptp_indicator_0_on_outpatient_claims_with_the_bundled_table() -> None:
    c = claim(claim_type="institutional", bill_type="131", diagnoses=["E11.9"],
              lines=[{"procedure_code": "80053", "revenue_code": "0301"},
                     {"procedure_code": "80048", "revenue_code": "0301", "modifiers": ["59"]}])
    (f,) = findings(c, "NCCI_PTP_CONFLICT")
    assert "indicator 0" in f.message and "no modifier bypasses it" in f.message


def test_mue(tables: Checker) -> None:
    c = claim(diagnoses=["D57.1"], lines=[{"procedure_code": "0001U", "units": 2}])
    (f,) = findings(c, "MUE_EXCEEDED", tables)
    assert "MAI 2" in f.message
    two_lines = claim(diagnoses=["C61"], lines=[{"procedure_code": "0009U", "units": 2},
                                                {"procedure_code": "0009U", "units": 1}])
    (f,) = findings(two_lines, "MUE_EXCEEDED", tables)
    assert f.location == ("service_lines", 1, "units")
    ok = claim(diagnoses=["C61"], lines=[{"procedure_code": "0009U", "units": 2}])
    assert findings(ok, "MUE_EXCEEDED", tables) == []
    assert "MUE_EXCEEDED" in dict(Checker().check(c).not_run)
    # a table for a later quarter cannot judge an earlier date: reported as not run
    early = claim(diagnoses=["D57.1"], lines=[{"procedure_code": "0001U", "units": 2}],
                  date_of_service="2025-06-02")
    report = tables.check(early)
    assert "no NCCI practitioner MUE table covers 2025-06-02" in \
        dict(report.not_run)["MUE_EXCEEDED"]
    assert "MUE_EXCEEDED" not in report.by_rule()


@pytest.mark.parametrize(("lines", "fires"), [
    (["17003"], True), (["17000", "17003"], False), (["99292"], True),
    (["99291", "99292"], False), (["64490", "64484"], True), (["64483", "64484"], False),
])
def test_addon_without_primary(lines: list[str], fires: bool) -> None:
    c = claim(diagnoses=["L57.0"], lines=[{"procedure_code": x} for x in lines])
    assert bool(findings(c, "ADDON_WITHOUT_PRIMARY")) is fires


def test_ncci_on_commercial_claims(tables: Checker) -> None:
    """commercial runs the add-on edit on professional claims (CPT's add-on convention, a
    warning) and lists the MUE edit as not run (configured only with ncci=True)."""
    c = claim(payer="aetna", diagnoses=["L57.0"], lines=[{"procedure_code": "17003"}])
    assert [(f.severity.value, f.fix) for f in findings(c, "ADDON_WITHOUT_PRIMARY")] == [
        ("warning", ("17000",))]
    report = Checker().check(c)
    assert report.profile == "commercial"
    assert [rule for rule, _ in report.not_run] == ["MUE_EXCEEDED"]


# -- engine, profiles, reports ----------------------------------------------------------


def test_profile_selection() -> None:
    assert check(claim()).profile == "medicare-professional"
    out = claim(claim_type="institutional", bill_type="131",
                lines=[{"procedure_code": "99213", "revenue_code": "0510"}])
    assert check(out).profile == "medicare-outpatient"
    inp = claim(claim_type="institutional", bill_type="111",
                lines=[{"procedure_code": "99223", "revenue_code": "0450"}])
    assert check(inp).profile == "medicare-inpatient"
    assert check(claim(payer="BCBS-TX")).profile == "commercial"


def test_a_type_of_bill_with_blanks_around_it_is_read_as_written_without_them() -> None:
    """The first two digits of the type of bill were read in ten places, some dropping the
    blanks around it and some not: ``" 111"`` was no inpatient claim to Claim.is_inpatient
    (routed to medicare-outpatient) while the I/OCE rule read it as 11x, so a hospital
    inpatient stay got BILL_TYPE_INVALID ("the I/OCE processes ... not 11x")."""
    from codekit.claims import bill_class

    for written in ("111", "0111", " 111", "111 ", " 0111 "):
        inp = claim(claim_type="institutional", bill_type=written,
                    lines=[{"procedure_code": "99223", "revenue_code": "0450"}])
        assert (inp.bill_class, inp.is_inpatient) == ("11", True), written
        assert bill_class(written) == "11", written  # what the doors read before a Claim
        report = check(inp)
        assert report.profile == "medicare-inpatient", written
        assert "BILL_TYPE_INVALID" not in report.by_rule(), written
    out = claim(claim_type="institutional", bill_type=" 0131",
                lines=[{"procedure_code": "99213", "revenue_code": "0510"}])
    assert (out.bill_class, out.is_inpatient, check(out).profile) == (
        "13", False, "medicare-outpatient")
    assert claim().bill_class == "" and not claim().is_inpatient


def test_user_profile_switches_rules_and_severities() -> None:
    strict = Profile("strict-payer").evolve(severities={"DX_EXCLUDES1_CONFLICT": "error"},
                                            disable=["PTR_DUPLICATE"])
    checker = Checker().with_profile(strict)
    c = claim(diagnoses=["E11.9", "E10.9"],
              lines=[{"procedure_code": "99213", "diagnosis_pointers": [1, 1]}])
    report = checker.check(c)
    assert [f.rule for f in report.findings] == ["DX_EXCLUDES1_CONFLICT"]
    assert report.findings[0].severity is Severity.ERROR
    assert not report.ok


def test_a_misspelt_id_in_a_profile_is_a_typed_error_naming_the_closest() -> None:
    """A profile's ``disabled`` and ``severities`` took any text: the knee injection claim
    (docs/examples) kept its DX_EXCLUDES1_CONFLICT warning and LATERALITY_MISMATCH error
    under ``disable=["LATERALITY_MISMACH"]``, ``severities={"DX_EXCLUDES1_CONFLCT":
    "info"}``, without a word."""
    from codekit import UnknownEdit

    base = Checker().profiles["medicare-professional"]
    for typo, where, meant in (
            ({"disable": ["LATERALITY_MISMACH"]}, "disabled", "LATERALITY_MISMATCH"),
            ({"severities": {"DX_EXCLUDES1_CONFLCT": "info"}}, "severities",
             "DX_EXCLUDES1_CONFLICT"),
            ({"disable": ["MCR-CMT-SUBLUXATION-PRIMAR"]}, "disabled",
             "MCR-CMT-SUBLUXATION-PRIMARY")):
        with pytest.raises(UnknownEdit) as info:
            Checker(profile=base.evolve(**typo))  # type: ignore[arg-type]
        e = info.value
        name = next(iter(typo.get("disable") or typo["severities"]))  # type: ignore[call-overload]
        assert (e.name, e.fix[0], e.code) == (name, meant, "CHECKER_UNKNOWN_EDIT")
        assert str(e).startswith(f"profile 'medicare-professional': {where} names {name!r}, "
                                 "which is neither an edit nor a payer policy of this "
                                 f"checker; did you mean {meant}")
    # a profile among profiles= and one given by with_profile are checked too
    with pytest.raises(UnknownEdit, match="'PTR_DUPLICAT'"):
        Checker(profiles={**Checker().profiles, "mine": Profile("mine", disabled=frozenset(
            {"PTR_DUPLICAT"}))})
    with pytest.raises(UnknownEdit, match="'XYZZY'"):
        Checker().with_profile(Profile("mine").evolve(disable=["XYZZY"]))
    # what a profile may name: an edit, a policy's rule ID or finding ID (the shipped
    # policies' too, on a checker without them), a rule of the checker's own; the
    # built-in profiles stay good on a checker with rules of its own
    for name in ("PTR_DUPLICATE", "MCR-G2211-MOD25", "COVERAGE_CRITERIA_NOT_MET"):
        Checker(policies=(), profile=base.evolve(disable=[name]))
    rules = tuple(r for r in Checker().rules if r.id != "PTR_DUPLICATE")
    Checker(rules=rules, profile=base.evolve(disable=["PTR_DUPLICATE"]))
    # enable= names what is disabled, or it changes nothing
    with pytest.raises(UnknownEdit, match=r"enable names 'NCCI_PTP_CONFLICT', which is not "
                       r"disabled \(disabled: MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING\)"):
        base.evolve(enable=["NCCI_PTP_CONFLICT"])
    dme = Checker().profiles["medicare-dme"]
    with pytest.raises(UnknownEdit) as info:
        dme.evolve(enable=["NCCI_PTP_CONFLCT"])
    assert info.value.fix == ("NCCI_PTP_CONFLICT",)
    assert "NCCI_PTP_CONFLICT" not in dme.evolve(enable=["NCCI_PTP_CONFLICT"]).disabled


def test_report_shapes() -> None:
    c = claim(diagnoses=["E11.9", "E10.9", "G35"])
    report = Checker().check(c)
    assert set(report.by_rule()) == {"DX_EXCLUDES1_CONFLICT", "DX_NOT_VALID_ON_DOS"}
    d = report.to_dict()
    assert d["errors"] == 1 and d["warnings"] == 1
    assert d["findings"][0]["path"] == "$.diagnoses[2]"
    assert "NOT OK (medicare-professional)" in str(report)
    assert report.to_json()


def test_every_finding_id_has_its_catalog_entry() -> None:
    """docs/catalog.md has a ``### ID`` entry for every built-in edit and every finding ID
    the shipped policies raise, so a finding's ``catalog`` link always lands."""
    from codekit.policies import default_policies

    ids = [r.id for r in builtin_rules()]
    assert len(ids) == len(set(ids))
    for r in builtin_rules():
        assert r.reference and r.doc, r.id
    ids += sorted({p.finding for p in default_policies()})
    headings = set(re.findall(r"^### ([A-Z0-9_]+)$", CATALOG.read_text(), re.M))
    assert [i for i in ids if i not in headings] == []


def test_a_finding_cites_its_catalog_entry() -> None:
    f = check(Claim.from_dict({**BASE, "diagnoses": ["E11"]})).findings[0]
    assert (f.rule, f.catalog) == ("DX_NOT_BILLABLE", "docs/catalog.md#dx_not_billable")
    assert f.to_dict()["catalog"] == f.catalog


def test_policies_must_be_policy_sets() -> None:
    for bad in ("medicare", 42, ["medicare"]):
        with pytest.raises(CheckerError, match="polic"):
            Checker(policies=bad)


def test_checker_pickles_and_claims_are_values(tables: Checker) -> None:
    back = pickle.loads(pickle.dumps(tables))
    c = claim(diagnoses=["S01.01XA"], lines=[{"procedure_code": "12002"},
                                             {"procedure_code": "64450"}])
    assert back.check(c) == tables.check(c)
    assert Claim.from_dict(c.to_dict()) == c
    assert pickle.loads(pickle.dumps(c)) == c


def test_coverage_rules_apply_to_medicare_claims_by_default() -> None:
    chiro = claim(diagnoses=["M54.50", "M99.03"],
                  lines=[{"procedure_code": "98941", "modifiers": ["AT"],
                          "diagnosis_pointers": [1, 2]}])
    (f,) = findings(chiro, "MED_NECESSITY_DX_NOT_COVERED")
    assert f.location == ("service_lines", 0, "diagnosis_pointers", 0)
    assert "M99.00-M99.05" in f.message
    ok = claim(diagnoses=["M99.03", "M54.50"],
               lines=[{"procedure_code": "98941", "modifiers": ["AT"],
                       "diagnosis_pointers": [1, 2]}])
    assert findings(ok, "MED_NECESSITY_DX_NOT_COVERED") == []
    # a commercial claim gets none of the Medicare policies; policies=() turns them off
    assert findings(claim(payer="commercial", diagnoses=["M54.50", "M99.03"],
                          lines=[{"procedure_code": "98941", "diagnosis_pointers": [1, 2]}]),
                    "MED_NECESSITY_DX_NOT_COVERED") == []
    assert findings(chiro, "MED_NECESSITY_DX_NOT_COVERED", Checker(policies=())) == []
    (g,) = findings(claim(diagnoses=["I10"], lines=[{"procedure_code": "93668"}]),
                    "MED_NECESSITY_DX_NOT_COVERED")
    assert "93668" in g.codes


def test_a_custom_rule_is_checked_when_it_is_made() -> None:
    # a lower-case ID made reports the report schema rejects; a bad severity was a bare
    # ValueError
    from codekit import InvalidArgument
    from codekit.rules import rule

    def check_nothing(ctx: Any) -> list[Any]:
        return []

    with pytest.raises(InvalidArgument, match=r"rule id 'my_rule': expected capitals"):
        rule("my_rule", "X", "error", "ours")(check_nothing)
    with pytest.raises(InvalidArgument, match=r"severity 'fatal': expected one of error"):
        rule("MY_RULE", "X", "fatal", "ours")
    with pytest.raises(InvalidArgument, match=r"decorates a check function, got str"):
        rule("MY_RULE", "X", "error", "ours")("not a function")  # type: ignore[arg-type]
    mine = rule("ACME-01.2", "X", "warning", "ours")(check_nothing)
    assert mine.id == "ACME-01.2" and Checker().with_rules(mine).check(claim()).ok


def test_a_profile_with_a_misspelt_ncci_setting_is_refused_when_made() -> None:
    # the tables are picked by the setting per claim: every claim checked under it failed
    from codekit import InvalidArgument

    with pytest.raises(InvalidArgument, match=r"ncci_setting='outpatient': expected one of "
                       r"practitioner, hospital, dme"):
        Profile("mine", options={"ncci": True, "ncci_setting": "outpatient"})
    base = Checker().profiles["medicare-professional"]
    with pytest.raises(InvalidArgument, match=r"ncci_setting='Hospital'"):
        base.evolve(options={"ncci_setting": "Hospital"})
    assert base.evolve(options={"ncci_setting": "hospital"}).option("ncci_setting") == \
        "hospital"


def test_a_line_dated_outside_the_statement_period() -> None:
    """Each line of an institutional claim dated outside its statement covers period is
    said, before or after; lines inside it and lines without a date are not."""
    claim = Claim.from_dict({
        "claim_type": "institutional", "bill_type": "131", "payer": "medicare",
        "date_of_service": "2025-11-05", "statement_period": ["2025-11-01", "2025-11-05"],
        "patient": {"sex": "F", "birth_date": "1950-01-01"}, "diagnoses": ["I10"],
        "service_lines": [
            {"procedure_code": "99283", "revenue_code": "0450", "units": 1,
             "date_of_service": "2025-10-15"},
            {"procedure_code": "80053", "revenue_code": "0300", "units": 1,
             "date_of_service": "2025-11-03"},
            {"revenue_code": "0250", "units": 1, "date_of_service": "2025-11-09"},
            {"revenue_code": "0250", "units": 1}]})
    report = Checker().check(claim)
    assert [(f.rule, f.location, f.codes, f.message) for f in report.findings] == [
        ("LINE_DATE_OUTSIDE_PERIOD", ("service_lines", 0, "date_of_service"), ("99283",),
         "Line 1 is dated 2025-10-15, before the period starts (the statement covers "
         "2025-11-01 to 2025-11-05): correct the line's date or the period, or bill the "
         "line on the claim of its date."),
        ("LINE_DATE_OUTSIDE_PERIOD", ("service_lines", 2, "date_of_service"), (),
         "Line 3 is dated 2025-11-09, after the period ends (the statement covers "
         "2025-11-01 to 2025-11-05): correct the line's date or the period, or bill the "
         "line on the claim of its date.")]


# -- I: the MCE's questionable admission (edit 8) ------------------------------------------


def _stay(day: str, *dx: str, payer: str = "medicare") -> Claim:
    """A Medicare inpatient claim (111) with no lines, each diagnosis present on admission."""
    return Claim.from_dict({
        "claim_type": "institutional", "bill_type": "111", "payer": payer,
        "patient": {"sex": "M", "birth_date": "1950-01-01"}, "date_of_service": day,
        "diagnoses": [{"code": c, "poa": "Y"} for c in dx], "admitting_diagnosis": "R07.9",
        "service_lines": []})


def test_a_principal_on_the_mce_questionable_admission_list() -> None:
    """I10 as the principal diagnosis of an inpatient stay (MCE flag qadm): a warning at
    diagnosis 1 saying why and what to do, and no other finding."""
    report = Checker().check(_stay("2025-03-01", "I10"))
    assert [(f.rule, f.severity, f.location, f.codes, f.fix, f.message)
            for f in report.findings] == [
        ("DX_ADMISSION_QUESTIONABLE", Severity.WARNING, ("diagnoses", 0), ("I10",), (),
         "The principal diagnosis I10 (Essential (primary) hypertension) is on the MCE's "
         "questionable-admission list on 2025-03-01: it rarely requires an inpatient "
         "admission, so Medicare may review the stay. If the patient was admitted for "
         "another condition, list that condition first; if not, keep the documentation "
         "that supports the admission.")]
    assert report.profile == "medicare-inpatient"
    # whatever the secondary diagnoses, as the MCE (Z21: asymptomatic HIV status)
    assert rules_of(_stay("2025-03-01", "Z21", "J18.9")) == ["DX_ADMISSION_QUESTIONABLE"]


@pytest.mark.parametrize(("c", "rules"), [
    # a listed code after the principal is not judged
    (_stay("2025-03-01", "J18.9", "I10", "E11.9"), []),
    # the list of the discharge date: E66.813 is on it in FY2025 only, E66.8 a code to
    # 2024-09-30 (a header then: validity, not the list)
    (_stay("2025-09-30", "E66.813"), ["DX_ADMISSION_QUESTIONABLE"]),
    (_stay("2025-10-01", "E66.813"), []),
    (_stay("2024-09-30", "E66.8"), ["DX_ADMISSION_QUESTIONABLE"]),
    (_stay("2024-10-01", "E66.8"), ["DX_NOT_VALID_ON_DOS"]),
    # the MCE edits inpatient claims only: not a commercial payer's, an outpatient's, an 837P
    (_stay("2025-03-01", "I10", payer="aetna"), []),
    (claim(diagnoses=["I10"], claim_type="institutional", bill_type="131",
           lines=[{"procedure_code": "G0463", "revenue_code": "0510"}]), []),
    (claim(diagnoses=["I10"], date_of_service="2025-03-01",
           lines=[{"procedure_code": "99223"}]), []),
])
def test_questionable_admission_judges_the_principal_of_an_inpatient_stay(
        c: Claim, rules: list[str]) -> None:
    assert rules_of(c) == rules


def test_a_combination_code_for_the_principal_replaces_the_questionable_admission() -> None:
    """I10 with N18.30 is coded I12.9 (Guideline I.C.9.a.2), which is not on the list: one
    mistake, one finding. A profile without the combination edit gets the MCE's back."""
    stay = _stay("2025-03-01", "I10", "N18.30")
    assert rules_of(stay) == ["DX_COMBINATION_CODE_EXPECTED"]
    plain = Checker().profiles["medicare-inpatient"].evolve(
        disable=["DX_COMBINATION_CODE_EXPECTED"])
    assert rules_of(stay, Checker().with_profile(plain)) == ["DX_ADMISSION_QUESTIONABLE"]

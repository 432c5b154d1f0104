"""CODE_NOT_ASCII: a code written with characters outside ASCII that codekit reads as an
ASCII code (a review's finding: ``"E1\\u200b1.65"`` with a zero-width space and a
full-width ``"９９２１４"`` gave a clean claim and exit 0; the claim as sent holds
characters an 837 cannot carry)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim
from codekit.cli import main

ROOT = Path(__file__).resolve().parents[1]
CLEAN = json.loads((ROOT / "docs" / "examples" / "office_visit_clean.json").read_text())
CHECKER = Checker()
MESSAGE = "(an 837 carries codes in ASCII only, and a payer's translator rejects other characters)."


def _findings(data: dict[str, Any]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    report = CHECKER.check(Claim.from_dict(data))
    return [(f.rule, f.severity.value, f.path, f.fix) for f in report.findings]


def _changed(dx0: str | None = None, code0: str | None = None,
             mods0: list[str] | None = None) -> dict[str, Any]:
    data = copy.deepcopy(CLEAN)
    if dx0 is not None:
        data["diagnoses"][0] = dx0
    if code0 is not None:
        data["service_lines"][0]["procedure_code"] = code0
    if mods0 is not None:
        data["service_lines"][0]["modifiers"] = mods0
    return data


def test_the_red_teams_claim() -> None:
    """A zero-width space in a diagnosis and a full-width procedure code: clean, exit 0."""
    data = _changed(dx0="E1\u200b1.65", code0="\uff19\uff19\uff12\uff11\uff14")
    report = CHECKER.check(Claim.from_dict(data))
    assert [(f.rule, f.path, f.codes, f.fix, f.message) for f in report.findings] == [
        ("CODE_NOT_ASCII", "$.diagnoses[0]", ("E1\u200b1.65",), ("E11.65",),
         "Diagnosis 1 'E1\\u200b1.65' holds U+200B (zero width space) at character 3: "
         f"codekit read it as E11.65; send E11.65 {MESSAGE}"),
        ("CODE_NOT_ASCII", "$.service_lines[0].procedure_code",
         ("\uff19\uff19\uff12\uff11\uff14",), ("99214",),
         "Line 1: the procedure code '\uff19\uff19\uff12\uff11\uff14' holds U+FF19 (fullwidth "
         "digit nine) at characters 1 and 2, U+FF12 (fullwidth digit two) at character 3, "
         "U+FF11 (fullwidth digit one) at character 4, U+FF14 (fullwidth digit four) at "
         f"character 5: codekit read it as 99214; send 99214 {MESSAGE}")]
    assert report.warnings and report.ok  # judged as read: a warning, not an error


@pytest.mark.parametrize(("data", "expected"), [
    (_changed(dx0="M17\u00a0.11"),  # a no-break space
     [("CODE_NOT_ASCII", "warning", "$.diagnoses[0]", ("M17.11",))]),
    (_changed(dx0="\uff2d\uff11\uff17.\uff11\uff11"),  # what FHIR answered like M17.11
     [("CODE_NOT_ASCII", "warning", "$.diagnoses[0]", ("M17.11",))]),
    (_changed(dx0="E11.65\ufeff"),  # a byte order mark
     [("CODE_NOT_ASCII", "warning", "$.diagnoses[0]", ("E11.65",))]),
    (_changed(mods0=["\uff12\uff15"]),
     [("CODE_NOT_ASCII", "warning", "$.service_lines[0].modifiers[0]", ("25",))]),
    (_changed(dx0="\uff25\uff11\uff11\uff0e\uff16\uff15"),  # a full-width dot too
     [("CODE_NOT_ASCII", "warning", "$.diagnoses[0]", ("E11.65",))]),
    # read as M17.1, which is not billable: both are said
    (_changed(dx0="\uff2d\uff11\uff17.\uff11"),
     [("DX_NOT_BILLABLE", "error", "$.diagnoses[0]", ("M17.10", "M17.11", "M17.12")),
      ("CODE_NOT_ASCII", "warning", "$.diagnoses[0]", ("M17.1",))]),
    # no ASCII reading: the code is not read, its validity edit says so (an error) alone
    (_changed(code0="\u0669\u0669\u0662\u0661\u0664"),
     [("PROC_FORMAT_INVALID", "error", "$.service_lines[0].procedure_code", ())]),
    (_changed(dx0="\u041511.65"),  # a Cyrillic E
     [("DX_FORMAT_INVALID", "error", "$.diagnoses[0]",
       ("E11.65", "C16.5", "D16.5", "G11.5", "G11.6"))]),
    (_changed(dx0="\u200b"),  # nothing but an invisible character: blank
     [("DX_FORMAT_INVALID", "error", "$.diagnoses[0]", ())]),
    # ASCII is not this edit's concern
    (_changed(dx0=" e11.65 "), []),
])
def test_each_kind_of_character(data: dict[str, Any],
                                expected: list[tuple[str, str, str, tuple[str, ...]]]) -> None:
    assert _findings(data) == expected


def test_the_arabic_indic_digits_are_named() -> None:
    """PROC_FORMAT_INVALID said "'٤' ends no CPT code: after 4 digits comes a digit"
    (str.isdigit() takes an Arabic-Indic digit for one)."""
    report = CHECKER.check(Claim.from_dict(_changed(code0="\u0669\u0669\u0662\u0661\u0664")))
    assert [f.message for f in report.findings] == [
        "Line 1: '\u0669\u0669\u0662\u0661\u0664': '\u0669' (U+0669, arabic-indic digit nine) "
        "is no letter A-Z or digit 0-9, and has none it stands for: a procedure code is 5 of "
        "them (e.g. 99213, 0001U, G0121)"]


def test_institutional_codes() -> None:
    """The admitting diagnosis, a reason for visit and an ICD-10-PCS code (which reads
    ASCII only, but for the blanks around it: a no-break space after it was dropped
    silently; a full-width digit is its own PCS_FORMAT_INVALID)."""
    stay = {"claim_type": "institutional", "payer": "medicare", "bill_type": "111",
            "patient": {"sex": "M", "age": 67},
            "statement_period": ["2025-11-01", "2025-11-03"], "admission_date": "2025-11-01",
            "date_of_service": "2025-11-03",
            "diagnoses": [{"code": "I21.4", "poa": "Y"}, {"code": "I10", "poa": "Y"}],
            "admitting_diagnosis": "R07.9",
            "procedures": [{"code": "02703DZ", "date": "2025-11-02"}],
            "service_lines": [{"line": 1, "revenue_code": "0120", "units": 2}]}
    assert _findings(stay) == []
    odd = {**stay, "admitting_diagnosis": "R07.\uff19",
           "procedures": [{"code": "02703DZ\u00a0", "date": "2025-11-02"}]}
    assert _findings(odd) == [
        ("CODE_NOT_ASCII", "warning", "$.admitting_diagnosis", ("R07.9",)),
        ("CODE_NOT_ASCII", "warning", "$.procedures[0].code", ("02703DZ",))]
    wide = {**stay, "procedures": [{"code": "0270\uff13DZ", "date": "2025-11-02"}]}
    assert _findings(wide) == [("PCS_FORMAT_INVALID", "error", "$.procedures[0].code",
                                ("02703DZ",))]
    visit = {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
             "patient": {"sex": "F", "age": 50}, "date_of_service": "2025-11-03",
             "diagnoses": ["R10.9"], "visit_reasons": ["R10.9\u2060"],
             "service_lines": [{"line": 1, "procedure_code": "74177", "revenue_code": "0350",
                                "units": 1}]}
    report = CHECKER.check(Claim.from_dict(visit))
    assert [(f.rule, f.path, f.fix, f.message) for f in report.findings] == [
        ("CODE_NOT_ASCII", "$.visit_reasons[0]", ("R10.9",),
         "The patient's reason for visit 1 'R10.9\\u2060' holds U+2060 (word joiner) at "
         f"character 6: codekit read it as R10.9; send R10.9 {MESSAGE}")]


def test_many_characters_are_counted_not_listed() -> None:
    from codekit.rules.code_text import characters

    assert characters("\uff21" * 5 + "\uff22\uff23\uff24\uff25\uff26\uff27") == (
        "U+FF21 (fullwidth latin capital letter a) at characters 1, 2, 3 and 2 more, "
        "U+FF22 (fullwidth latin capital letter b) at character 6, U+FF23 (fullwidth latin "
        "capital letter c) at character 7, U+FF24 (fullwidth latin capital letter d) at "
        "character 8, U+FF25 (fullwidth latin capital letter e) at character 9, and 2 more "
        "characters outside ASCII")
    assert characters("A\x85") == "U+0085 at character 2"  # a control character: no name


def test_an_ascii_claim_has_no_such_feature() -> None:
    """The edit is gated: a claim whose codes are ASCII (the usual one) does not run it."""
    assert "code-not-ascii" not in CHECKER.context(Claim.from_dict(CLEAN)).features
    assert "code-not-ascii" in CHECKER.context(
        Claim.from_dict(_changed(mods0=["\uff12\uff15"]))).features


def test_the_command_exits_1_not_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "claim.json"
    src.write_text(json.dumps(_changed(dx0="E1\u200b1.65", code0="\uff19\uff19\uff12\uff11\uff14")))
    assert main(["check", str(src), "--quiet"]) == 1
    assert "CODE_NOT_ASCII" in capsys.readouterr().out


def test_fhir() -> None:
    """FHIR answered a full-width ``Ｍ１７.１１`` like M17.11, silently; the issue is said at
    its FHIRPath."""
    fhir = pytest.importorskip("codekit.fhir")
    from tests.test_fhir import claim

    resource = claim()
    resource["item"][1]["modifier"][0]["coding"][0]["code"] = "RT"  # the right knee's side
    resource["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["code"] = \
        "\uff2d\uff11\uff17.\uff11\uff11"
    out = fhir.check(resource)
    issues = [i for i in out["issue"] if i["details"]["coding"][-1]["code"] == "finding"]
    assert [(i["details"]["coding"][0]["code"], i["expression"], i["severity"])
            for i in issues] == [("CODE_NOT_ASCII", ["Claim.diagnosis[0].diagnosisCodeableConcept"],
                                  "warning")]

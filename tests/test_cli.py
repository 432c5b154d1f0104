"""The codekit command: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codekit.cli import main


def test_lookup_prints_the_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "E11.65", "--on", "2025-06-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("E11.65  Type 2 diabetes mellitus with hyperglycemia")
    assert "block       : E08-E13 Diabetes mellitus (E08-E13)" in out
    assert "excludes1" in out


def test_lookup_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "G35", "--on", "2025-10-01", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["billable"] is False and entry["kind"] == "category"
    assert entry["children"][:2] == ["G35A", "G35B"]
    assert entry["valid_ranges"] == [["2015-10-01", "2025-09-30"]]


def test_validate_exit_code_and_messages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "E11.65", "--on", "2025-06-01"]) == 0
    assert main(["validate", "E11.65", "G35", "--on", "2025-10-01"]) == 1
    out = capsys.readouterr().out
    assert "E11.65: valid" in out
    assert "G35: DX_NOT_VALID_ON_DOS" in out


def test_validate_json_carries_the_error_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "T78.40A", "I1O", "--on", "2025-06-01", "--json"]) == 1
    a, b = json.loads(capsys.readouterr().out)
    assert a["error"] == "DX_PLACEHOLDER_X_MISSING" and a["suggestion"] == "T78.40XA"
    assert b["error"] == "DX_CODE_UNKNOWN" and b["suggestions"][0] == "I10"


def test_search(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "type 2 diabetes with hyperglycemia", "--on", "2025-06-01",
                 "--limit", "3"]) == 0
    assert capsys.readouterr().out.startswith("E11.65")


def test_releases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["releases"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("FY2016") and lines[-1].startswith("FY2027")


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "E11.9", "--on", "06/01/2025"]) == 3
    assert "expected a date" in capsys.readouterr().err


def test_data_add_from_addenda(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import reference

    addenda = reference("icd10cm_fy2027_addenda", "icd10cm_order_addenda_2027.txt")
    assert main(["data", "add", "--id", "FY2027", "--effective", "2026-10-01", "--addenda",
                 str(addenda), "--base", "FY2026", "--data-dir", str(tmp_path)]) == 0
    assert "74879 billable" in capsys.readouterr().out
    assert (tmp_path / "icd10cm" / "FY2027.ckt").exists()


EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def test_check_the_readme_example(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's main job: the knee injection claim has one error and one warning."""
    assert main(["check", str(EXAMPLES / "knee_injection.json")]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "NOT OK (medicare-professional): 1 error(s), 1 warning(s)"
    assert out[1].startswith("  WARNING DX_EXCLUDES1_CONFLICT at $.diagnoses[2]: E11.9 and "
                             "E10.9 should not be reported together")
    assert out[2].startswith("  ERROR   LATERALITY_MISMATCH at $.service_lines[1].modifiers[0]:"
                             " Line 2: modifier LT")


def test_check_json_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / "knee_injection.json"), "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert (report["ok"], report["profile"], report["errors"], report["warnings"]) == \
        (False, "medicare-professional", 1, 1)
    assert [(f["rule"], f["path"]) for f in report["findings"]] == [
        ("DX_EXCLUDES1_CONFLICT", "$.diagnoses[2]"),
        ("LATERALITY_MISMATCH", "$.service_lines[1].modifiers[0]")]
    assert main(["check", str(EXAMPLES / "office_visit_clean.json")]) == 0
    assert capsys.readouterr().out.startswith("OK (medicare-professional): 0 error(s)")


def test_check_reads_standard_input(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    import io

    claim = json.loads((EXAMPLES / "knee_injection.json").read_text())
    claim["service_lines"][1]["modifiers"] = ["RT"]
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(claim)))
    assert main(["check", "-"]) == 1  # warnings only
    assert "DX_EXCLUDES1_CONFLICT" in capsys.readouterr().out


def test_check_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A claim that cannot be read is a result (exit 2); a file that is no claim file at
    all, or cannot be read, a usage error (exit 3)."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"claim_type": "dental"}')
    assert main(["check", str(bad)]) == 2
    out = capsys.readouterr().out
    assert "ERROR   CLAIM_FORMAT_INVALID at $.claim_type: must be 'professional' or " \
        "'institutional', got 'dental'" in out
    assert main(["check", str(tmp_path / "missing.json")]) == 3
    assert "cannot read" in capsys.readouterr().err
    bad.write_text("not json")
    assert main(["check", str(bad), "--json"]) == 3
    assert "not a claim file codekit knows" in capsys.readouterr().err


def test_the_installed_command_runs_the_main_job() -> None:
    """``codekit check`` as the README runs it: the console script, a fresh process."""
    import shutil
    import subprocess
    import sys

    exe = str(Path(sys.executable).parent / "codekit")  # this environment's own
    if not Path(exe).exists():
        exe = shutil.which("codekit") or exe
    out = subprocess.run([exe, "check", str(EXAMPLES / "knee_injection.json")],
                         capture_output=True, text=True)
    assert out.returncode == 2, out.stderr
    assert "LATERALITY_MISMATCH" in out.stdout


def test_lookup_and_validate_answer_pcs_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "0DTJ4ZZ", "--on", "2025-11-03"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("0DTJ4ZZ  Resection of Appendix, Percutaneous Endoscopic Approach")
    assert "5 Approach          : 4 Percutaneous Endoscopic" in out
    assert main(["validate", "0DTJ4ZZ", "S72.001A", "--on", "2025-11-03"]) == 0
    out = capsys.readouterr().out
    assert "0DTJ4ZZ: valid  0DTJ4ZZ Resection of Appendix" in out
    assert "S72.001A: valid  S72.001A Fracture" in out  # PCS-shaped, but ICD-10-CM
    assert main(["validate", "0DTJXZZ", "ODTJ4ZZ", "0370046", "--on", "2025-11-03",
                 "--json"]) == 1
    a, b, c = json.loads(capsys.readouterr().out)
    assert (a["error"], a["position"], a["axis"]) == ("PCS_CODE_UNKNOWN", 5, "Approach")
    assert a["allowed"]["4"] == "Percutaneous Endoscopic"
    assert b["error"] == "PCS_FORMAT_INVALID" and "did you mean 0DTJ4ZZ" in b["message"]
    assert c["error"] == "PCS_NOT_VALID_ON_DOS"
    assert c["valid_ranges"] == [["2016-10-01", "2019-09-30"]]
    # malformed PCS codes get PCS's own error, not an ICD-10-CM syntax error
    assert main(["validate", "0OTJ4ZZ", "0DTJ.4ZZ", "0DTJ4Z", "99213", "--on",
                 "2025-11-03", "--json"]) == 1
    o, dot, short, cpt = json.loads(capsys.readouterr().out)
    assert (o["error"], o["message"]) == (
        "PCS_FORMAT_INVALID", "'0OTJ4ZZ': ICD-10-PCS never uses the letters I and O "
        "(character 2 'O'); did you mean 00TJ4ZZ?")
    assert (dot["error"], dot["message"]) == (
        "PCS_FORMAT_INVALID", "'0DTJ.4ZZ': ICD-10-PCS codes have no dot or hyphen: write "
        "0DTJ4ZZ")
    assert "too short (6 characters)" in short["message"]
    assert cpt["error"] == "DX_FORMAT_INVALID" and "looks like a CPT code" in cpt["message"]
    assert main(["validate", "99213", "--on", "2025-11-03"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("99213: DX_FORMAT_INVALID: '99213': looks like a CPT code")
    assert "did you mean" not in out  # it was O99.213, a pregnancy complication
    assert main(["lookup", "028F3Z0", "--on", "2026-11-03", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["system"] == "icd10pcs" and entry["title"] is None
    assert "no FY2027 ICD-10-PCS order file" in entry["note"]

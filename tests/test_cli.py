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
    # G35 is described (a category on that date), and not valid then: exit 1, as a PCS
    # code or a CPT code not valid on the date
    assert main(["lookup", "G35", "--on", "2025-10-01", "--json"]) == 1
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["valid"] is False and entry["system"] == "icd10cm"
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
    releases = lines[:lines.index("")]  # then the dates of each system (test_cli_codes)
    assert releases[0].startswith("FY2016") and releases[-1].startswith("FY2027")


@pytest.mark.parametrize("command", ["lookup", "validate", "suggest"])
def test_bad_date_is_a_usage_error(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad --on was said after the tables were read, by its Python parameter's name
    (`codekit: on='06/01/2025': ...`): it is a usage error naming the option."""
    with pytest.raises(SystemExit) as e:
        main([command, "E11.9", "--on", "06/01/2025"])
    assert e.value.code == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"codekit {command}: error: argument --on: expected a date, 'YYYY-MM-DD' or an ISO "
        "date-time, got '06/01/2025'")


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
    """A claim that cannot be read is a result (exit 2), and so is a file that holds no
    claim file at all (one result saying why); a file that cannot be opened is a usage
    error (exit 3)."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"claim_type": "dental"}')
    assert main(["check", str(bad)]) == 2
    out = capsys.readouterr().out
    # judged under no profile: it said "NOT OK ():"
    assert out.splitlines()[0] == "NOT OK (not read): 4 error(s), 0 warning(s)"
    assert "ERROR   CLAIM_FORMAT_INVALID at $.claim_type: must be 'professional' or " \
        "'institutional', got 'dental'" in out
    assert main(["check", str(tmp_path / "missing.json")]) == 3
    assert "cannot read" in capsys.readouterr().err
    bad.write_text("not json")
    assert main(["check", str(bad), "--json"]) == 2
    [report] = [json.loads(capsys.readouterr().out)]
    assert [f["message"] for f in report["findings"]] == [  # each format once
        "not a claim file codekit knows (a JSON claim, a JSON list of claims, JSON lines, "
        "FHIR, X12 837)"]


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
    assert main(["validate", "0OTJ4ZZ", "0DTJ.4ZZ", "0DTJ4Z", "401.9", "--on",
                 "2025-11-03", "--json"]) == 1
    o, dot, short, icd9 = json.loads(capsys.readouterr().out)
    assert (o["error"], o["message"]) == (
        "PCS_FORMAT_INVALID", "'0OTJ4ZZ': ICD-10-PCS never uses the letters I and O "
        "(character 2 'O'); read with the digits 0 and 1, 00TJ4ZZ is not valid on "
        "2025-11-03 either: did you mean 00T74ZZ?")  # (it named 00TJ4ZZ, no code)
    assert (dot["error"], dot["message"]) == (
        "PCS_FORMAT_INVALID", "'0DTJ.4ZZ': ICD-10-PCS codes have no dot or hyphen: write "
        "0DTJ4ZZ")
    assert "too short (6 characters)" in short["message"]
    assert (icd9["system"], icd9["error"], icd9["fix"]) == ("icd10cm", "DX_FORMAT_INVALID", [])
    assert "looks like an ICD-9-CM code" in icd9["message"]
    assert main(["validate", "401.9", "--on", "2025-11-03"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("401.9: DX_FORMAT_INVALID: '401.9': looks like an ICD-9-CM code")
    assert "did you mean" not in out  # it was G40.019, an epilepsy code
    assert main(["lookup", "028F3Z0", "--on", "2026-11-03", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["system"] == "icd10pcs" and entry["title"] is None
    assert "no FY2027 ICD-10-PCS order file" in entry["note"]


def test_validate_answers_every_code_system(capsys: pytest.CaptureFixture[str]) -> None:
    # as lookup does: CPT, HCPCS, modifiers and service lines too, not only diagnoses and
    # PCS (99213 was "DX_FORMAT_INVALID: looks like a CPT code"); 99213-25 and 99213 RT
    # are lines (99213-25 was a PCS code with a hyphen: "write 9921325")
    codes = ["99213", "G0438", "25", "99213-25", "99213 RT", "99213RT", "E1165", "0DTJ4ZZ"]
    assert main(["validate", *codes, "--on", "2025-11-03", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["input"], i["system"], i["valid"], i["code"]) for i in items] == [
        ("99213", "cpt", True, "99213"), ("G0438", "hcpcs", True, "G0438"),
        ("25", "modifiers", True, "25"), ("99213-25", "procedure", True, "99213"),
        ("99213 RT", "procedure", True, "99213"), ("99213RT", "procedure", True, "99213"),
        ("E1165", "icd10cm", True, "E11.65"), ("0DTJ4ZZ", "icd10pcs", True, "0DTJ4ZZ")]
    assert [i.get("modifiers") for i in items[3:6]] == [["25"], ["RT"], ["RT"]]
    assert items[0]["title"] == "CPT Category I"  # no AMA descriptor is shipped
    assert items[1]["title"] == "Ppps, initial visit" and items[1]["note"] is None
    assert main(["validate", "99213-25", "G0438", "--on", "2025-11-03"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "99213-25: valid  99213-25 CPT Category I", "G0438: valid  G0438 Ppps, initial visit"]


def test_validate_and_lookup_json_carry_the_fix(capsys: pytest.CaptureFixture[str]) -> None:
    # every error item has the one machine-readable fix of the code systems (the text
    # output showed it as "did you mean"; the JSON had only some systems' extra fields)
    codes = ["99999", "ZZ", "99213-ZZ", "0DTJ.4ZZ", "G35.0", "E11.6", "401.9"]
    assert main(["validate", *codes, "--on", "2025-11-03", "--json"]) == 1
    items = json.loads(capsys.readouterr().out)
    assert [(i["system"], i["valid"], i["error"], i["fix"][:2]) for i in items] == [
        ("cpt", False, "PROC_CODE_UNKNOWN", ["29999", "49999"]),
        ("modifiers", False, "MOD_INVALID", ["AZ", "GZ"]),
        ("modifiers", False, "MOD_INVALID", ["AZ", "GZ"]),
        ("icd10pcs", False, "PCS_FORMAT_INVALID", ["0DTJ4ZZ", "0DTJ4ZG"]),
        ("icd10cm", False, "DX_CODE_UNKNOWN", ["G35.B0", "G35.C0"]),
        ("icd10cm", False, "DX_NOT_BILLABLE", ["E11.610", "E11.618"]),
        ("icd10cm", False, "DX_FORMAT_INVALID", [])]
    assert main(["lookup", "0DTJ.4ZZ", "99999", "--on", "2025-11-03", "--json"]) == 1
    pcs, cpt = json.loads(capsys.readouterr().out)
    assert (pcs["system"], pcs["valid"], pcs["fix"][0]) == ("icd10pcs", False, "0DTJ4ZZ")
    assert (cpt["system"], cpt["valid"], cpt["fix"][0]) == ("cpt", False, "29999")


def test_validate_says_when_the_date_is_past_the_data(
        capsys: pytest.CaptureFixture[str]) -> None:
    # E11.9 on 2028-01-01 is answered with FY2027: the answer says so (it was only "valid")
    assert main(["validate", "E11.9", "--on", "2028-01-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "E11.9: valid  E11.9 Type 2 diabetes mellitus without complications"
    assert out[1].startswith("  note: 2028-01-01 is after the last date codekit's data "
                             "describes (2027-03-31)")
    assert main(["validate", "E11.9", "--on", "2025-06-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["note"] is None


def _order_file(tmp_path: Path) -> Path:
    from .test_icd10cm_userdata import ORDER

    order = tmp_path / "icd10cm_order_2099.txt"
    order.write_text(ORDER)
    return order


def test_data_add_an_order_file_given_as_addenda_exits_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the order file was read as an addenda that changed nothing: "added U9", exit 0
    order = _order_file(tmp_path)
    assert main(["data", "add", "--id", "U9", "--effective", "2030-10-01", "--addenda",
                 str(order), "--base", "FY2025", "--data-dir", str(tmp_path / "u")]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{order}:1: addenda line 1: an order-file line, not an addenda line" in \
        captured.err
    assert not (tmp_path / "u" / "icd10cm").exists()


def test_data_add_with_a_data_dir_that_is_a_file_exits_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # NotADirectoryError with a traceback, exit 1
    order = _order_file(tmp_path)
    assert main(["data", "add", "--id", "U6", "--effective", "2030-10-01", "--order",
                 str(order), "--data-dir", str(order)]) == 3
    err = capsys.readouterr().err
    assert err == (f"codekit: data directory {order} is a file, not a folder (give the "
                   "folder to write releases to)\n")


def _same_rule_in_two_folders(tmp_path: Path) -> tuple[Path, Path]:
    rule = 'rule DUP\n  source: "x"\n  deny\nend\n'
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.policy").write_text(rule, encoding="utf-8")
    return tmp_path / "a", tmp_path / "b"


@pytest.mark.parametrize("cmd", ["test", "check"])
def test_policy_command_refuses_one_rule_id_in_two_paths(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], cmd: str) -> None:
    # `codekit policy test pol/a pol/b` passed (exit 0) with rule DUP in both
    a, b = _same_rule_in_two_folders(tmp_path)
    assert main(["policy", cmd, str(a), str(b)]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"{b / 'b.policy'}:1:6: duplicate rule ID 'DUP' (first defined in "
                          f"{a / 'a.policy'} line 1)\n")


def test_check_mue_file_without_a_quarter_needs_mue_effective(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An MUE file whose name gives no quarter answered for every date; now it needs its
    first day, on the command line --mue-effective."""
    mue = tmp_path / "mue_practitioner.csv"
    mue.write_text("HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication "
                   "Indicator,MUE Rationale\n20610,1,2 Date of Service Edit: Policy,x\n")
    claim = str(Path(__file__).parent.parent / "docs" / "examples" / "knee_injection.json")
    assert main(["check", claim, "--mue", str(mue), "--quiet"]) == 3
    assert capsys.readouterr().err.rstrip().endswith(
        "on the command line: --mue-effective YYYY-MM-DD")
    assert main(["check", claim, "--mue", str(mue), "--mue-effective", "2025-10-01",
                 "--quiet", "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert "MUE_EXCEEDED" not in [r for r, _ in report["not_run"]]


def test_check_with_a_policy_folder_that_holds_no_policy(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a mistyped or wrong folder added no rule and the claim was "checked with" it: exit 3
    (tmp_path / "rules.txt").write_text("rule X\n", encoding="utf-8")
    claim = str(EXAMPLES / "knee_injection.json")
    assert main(["check", claim, "--policies", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert f"{tmp_path}: no .policy file in this folder or below it" in err
    (tmp_path / "acme.policy").write_text(
        'rule ACME-1\n  title: "t"\n  source: "s"\n  payer: acme\n  deny\nend\n',
        encoding="utf-8")
    # with a policy file there, the claim is checked as without it (an acme rule)
    assert main(["check", claim, "--policies", str(tmp_path)]) == main(["check", claim])

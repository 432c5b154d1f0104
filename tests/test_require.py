"""``Checker(require=...)`` and ``codekit check --require``: an edit a pipeline requires
that could not judge a claim (no table covers its date, no table loaded) is an
``EDIT_REQUIRED_NOT_RUN`` error, never a clean report.

J1885 (ketorolac, 15 mg a unit) has a practitioner MUE of 8 units, MAI 3 (the row of the
CMS file ``MCR_MUE_PractitionerServices_Eff_04-01-2026.csv``, written here alone); codekit
bundles no practitioner MUE table.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, CheckerError, Claim, UnknownEdit, ncci
from codekit.cli import main

NO_MUE = ("no NCCI practitioner MUE table covers 2025-11-03: load the quarterly CMS file "
          "with codekit.ncci.load_mue() or --mue FILE, or a directory of them with "
          "codekit.ncci.TableLibrary(directory=...) or --ncci DIR")
REFERENCE = "codekit.Checker(require=...); codekit check --require"


def ketorolac(day: str = "2025-11-03", *lines: dict[str, Any]) -> dict[str, Any]:
    """A Medicare professional claim: J1885 x30 for low back pain (M54.50)."""
    return {"claim_id": "K-1", "claim_type": "professional", "payer": "medicare",
            "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": day,
            "diagnoses": ["M54.50"],
            "service_lines": list(lines) or [
                {"procedure_code": "J1885", "units": 30, "diagnosis_pointers": [1]}]}


def found(report: Any) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(f.rule, f.severity.value, f.path, f.codes) for f in report.findings]


@pytest.fixture
def mue(tmp_path: Path) -> Any:
    """The practitioner MUE table of 2026-04-01 to 2026-06-30, holding J1885's row."""
    path = tmp_path / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
    path.write_text("code,mue,mai\nJ1885,8,3\n")
    return ncci.load_mue(path)


def test_a_required_edit_without_its_table_is_an_error() -> None:
    claim = Claim.from_dict(ketorolac())
    plain = Checker(policies=()).check(claim)
    assert plain.ok and plain.findings == () and plain.not_run == (("MUE_EXCEEDED", NO_MUE),)
    report = Checker(policies=(), require=["MUE_EXCEEDED"]).check(claim)
    assert not report.ok and report.not_run == plain.not_run
    (f,) = report.findings
    assert (f.rule, f.severity.value, f.location, f.codes, f.fix, f.reference) == (
        "EDIT_REQUIRED_NOT_RUN", "error", (), ("MUE_EXCEEDED",), (), REFERENCE)
    assert f.message == ("The required edit MUE_EXCEEDED did not run on this claim, so the "
                         f"claim was not judged by it: {NO_MUE}.")
    # the group names it too; the PTP edit has no pair to look at on a claim of one line
    # (not planned, not "not run"), and the add-on edit ran (the bundled table)
    assert found(Checker(policies=(), require="ncci").check(claim)) == [
        ("EDIT_REQUIRED_NOT_RUN", "error", "$", ("MUE_EXCEEDED",))]


def test_a_required_edit_that_ran_gives_its_own_finding(mue: Any) -> None:
    claim = Claim.from_dict(ketorolac("2026-05-04"))
    report = Checker(mue=mue, policies=(), require=["MUE_EXCEEDED"]).check(claim)
    assert found(report) == [("MUE_EXCEEDED", "error", "$.service_lines[0].units",
                              ("J1885",))]
    assert report.findings[0].message.startswith(
        "Line 1: J1885: 30 units on 2026-05-04 exceed its MUE of 8 per day (MAI 3, ")
    assert report.not_run == () and report.notices == ()


def test_dates_no_table_covers_are_named(mue: Any) -> None:
    line = {"procedure_code": "J1885", "units": 2, "diagnosis_pointers": [1]}
    claim = Claim.from_dict(ketorolac("2026-03-31", {**line, "date_of_service": "2026-03-31"},
                                      {**line, "date_of_service": "2026-07-01"}))
    # after the last quarter the library answers from it, with a notice: the edit ran
    report = Checker(mue=mue, policies=(), require=["MUE_EXCEEDED"]).check(claim)
    assert [f.message.split("judged by it: ")[1] for f in report.findings] == [
        "no NCCI practitioner MUE table covers 2026-03-31: the first one loaded takes "
        "effect on 2026-04-01."]
    assert [n.message for n in report.notices if n.code == "NCCI_TABLE_PAST_QUARTER"
            and "MUE" in n.message] == [
        "the NCCI practitioner MUE table (MCR_MUE_PractitionerServices_Eff_04-01-2026.csv, "
        "2026-04-01 to 2026-06-30) answers for 2026-07-01, after its last quarter: load the "
        "CMS file of the quarter of the date of service"]
    strict = ncci.TableLibrary([mue], extrapolate=False)
    report = Checker(tables=strict, policies=(), require=["ncci"]).check(claim)
    assert [(f.rule, f.codes, f.message.split("judged by it: ")[1])
            for f in report.findings] == [
        ("EDIT_REQUIRED_NOT_RUN", ("MUE_EXCEEDED",), "no NCCI practitioner MUE table covers "
         "2026-03-31: the first one loaded takes effect on 2026-04-01."),
        ("EDIT_REQUIRED_NOT_RUN", ("MUE_EXCEEDED",), "no NCCI practitioner MUE table covers "
         "2026-07-01: the last one loaded ends on 2026-06-30; load the quarterly CMS file of "
         "that date with codekit.ncci.load_mue() or --mue FILE.")]


OFF = ("the profile commercial runs the NCCI PTP and MUE edits only when configured (many "
       "payers apply NCCI): evolve it with options={'ncci': True} and load the CMS tables "
       "(codekit.ncci.load_ptp, load_mue)")


def test_an_edit_the_profile_does_not_run_is_not_required() -> None:
    """commercial runs the NCCI PTP and MUE edits only once configured: the report lists
    them not run, with how to run them (it said nothing, so a user could not tell that no
    MUE judged the claim), but they are not edits the profile runs, and require asks
    nothing of them (as of medicare-inpatient's, which it does not list)."""
    claim = Claim.from_dict({**ketorolac(), "payer": "aetna"})
    report = Checker(policies=(), require=["ncci"]).check(claim)
    assert report.profile == "commercial" and report.ok and report.findings == ()
    assert report.not_run == (("MUE_EXCEEDED", OFF),)
    # configured, the edit is the profile's, and requiring it asks for its table
    on = Checker(policies=(), require=["ncci"]).with_profile(
        Checker().profiles["commercial"].evolve(name="acme", options={"ncci": True}))
    assert found(on.check(claim)) == [
        ("EDIT_REQUIRED_NOT_RUN", "error", "$", ("MUE_EXCEEDED",))]


@pytest.mark.parametrize(("require", "suggestions"), [
    ("NCCI_MUE_EXCEEDED", ("MUE_EXCEEDED", "ncci")),
    ("mue_exceeded", ("MUE_EXCEEDED",)),
    ("NCCI", ("ncci",)),
    ("PTP", ("NCCI_PTP_CONFLICT",)),
    ("XYZZY", ()),
])
def test_an_unknown_edit_is_a_typed_error(require: str, suggestions: tuple[str, ...]) -> None:
    with pytest.raises(UnknownEdit) as info:
        Checker(require=["MUE_EXCEEDED", require])
    e = info.value
    assert (e.name, e.suggestions, e.fix, e.code) == (
        require, suggestions, suggestions, "CHECKER_UNKNOWN_EDIT")
    assert isinstance(e, CheckerError)
    assert str(e).startswith(f"require: {require!r} is neither an edit of this checker "
                             "nor a group")
    assert (f"did you mean {' or '.join(suggestions)}?" in str(e)) is bool(suggestions)
    with pytest.raises(CheckerError, match="is not an edit ID or group"):
        Checker(require=[1])
    # a checker's own rules are edits it can require; without them, they are unknown
    rules = tuple(r for r in Checker().rules if r.id != "MUE_EXCEEDED")
    with pytest.raises(UnknownEdit):
        Checker(rules=rules, require="MUE_EXCEEDED")


def test_the_checker_keeps_require_through_pickling_and_processes() -> None:
    checker = Checker(policies=(), require=("MUE_EXCEEDED",))
    copy = pickle.loads(pickle.dumps(checker))
    assert copy == checker and copy.require == ("MUE_EXCEEDED",)
    claims = [ketorolac(), {**ketorolac(), "claim_id": "K-2", "payer": "aetna"}] * 3
    one = [r.to_dict() for r in checker.check_many(claims)]
    assert [r["ok"] for r in one] == [False, True] * 3
    assert [r.to_dict() for r in copy.check_many(claims)] == one
    assert [r.to_dict() for r in checker.check_many(claims, processes=2, chunk_size=2)] \
        == one


def test_the_command_requires(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(ketorolac()) + "\n")
    assert main(["check", "--format", "jsonl", str(path), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["check", "--format", "jsonl", str(path), "--quiet",
                 "--require", "MUE_EXCEEDED", "--require", "ncci"]) == 2
    (report,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(f["rule"], f["codes"]) for f in report["findings"]] == [
        ("EDIT_REQUIRED_NOT_RUN", ["MUE_EXCEEDED"])]
    assert main(["check", str(path), "--require", "NCCI_MUE_EXCEEDED"]) == 3
    assert "did you mean MUE_EXCEEDED or ncci?" in capsys.readouterr().err


def test_the_dataframe_door_passes_require_down() -> None:
    pd = pytest.importorskip("pandas")
    from codekit import pandas as ckpd

    lines = pd.DataFrame({"claim_id": ["K-1"], "payer": "medicare", "sex": "F",
                          "birth_date": "1960-01-01", "date_of_service": "2025-11-03",
                          "dx1": "M54.50", "line_id": ["K-1-1"], "procedure_code": "J1885",
                          "units": [30], "pointer1": 1})
    assert ckpd.check_claims(lines).empty
    found = ckpd.check_claims(lines, checker=Checker(require=["ncci"]))
    assert found[["claim_id", "line_id", "rule", "severity", "path"]].to_dict("records") == [
        {"claim_id": "K-1", "line_id": None, "rule": "EDIT_REQUIRED_NOT_RUN",
         "severity": "error", "path": "$"}]

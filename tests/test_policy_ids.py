"""A payer policy's finding names its policy's rule ID as data (``Finding.policy``), on every
path of the policy runtime and through every door that carries findings: the report's dict
and JSON, its rows, the text and notebook views, the X12 rows, the pandas frame, the JSONL
command line, the FHIR OperationOutcome. A built-in edit's finding has none (None, null).
The Spark findings table: tests/test_spark.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import codekit
from codekit import Checker, Claim, fhir, policies
from codekit.cli import main
from codekit.findings import Finding, Report, Severity

CHECKER = Checker()
G2211_ID = "MCR-G2211-MOD25"
G2211_MESSAGE = (
    "Line 2: G2211 (the E/M visit complexity add-on) is not paid when its office/outpatient "
    "E/M visit carries modifier 25, unless the other service of the day is an annual "
    "wellness visit, a vaccine administration or a Part B preventive service (CMS-1807-F), "
    "and no line of that day is one: remove G2211, or modifier 25 if no other service of "
    "the day needed it")
G2211_REFERENCE = (
    "CY2025 PFS final rule CMS-1807-F (89 FR 97710): G2211 payable with an O/O E/M reported "
    "with modifier 25 only when the other service is an annual wellness visit, vaccine "
    "administration or a Medicare Part B preventive service; MLN MM13887 (transmittal 13015) "
    "[policy MCR-G2211-MOD25]")


def g2211_claim(**kw: Any) -> dict[str, Any]:
    """Medicare, 2025-03-04: 99213-25, G2211 and 20610-LT for a diagnosis of the right knee:
    MCR-G2211-MOD25 on line 2 (a line rule of the general interpreter: 'any other line on
    the same day') and the built-in LATERALITY_MISMATCH on line 3."""
    return {"claim_id": "G-1", "claim_type": "professional", "payer": "medicare",
            "place_of_service": "11", "patient": {"sex": "F", "birth_date": "1952-05-14"},
            "date_of_service": "2025-03-04", "diagnoses": ["M17.11", "E11.9"],
            "service_lines": [
                {"line_id": "L1", "procedure_code": "99213", "modifiers": ["25"], "units": 1,
                 "diagnosis_pointers": [2, 1], "charge": 110},
                {"line_id": "L2", "procedure_code": "G2211", "units": 1,
                 "diagnosis_pointers": [2], "charge": 16},
                {"line_id": "L3", "procedure_code": "20610", "modifiers": ["LT"], "units": 1,
                 "diagnosis_pointers": [1], "charge": 90}], **kw}


def _report(d: dict[str, Any], checker: Checker = CHECKER) -> Report:
    return checker.check(Claim.from_dict(d))


# -- the Finding and the report ------------------------------------------------------------


def test_the_g2211_finding_names_its_policy_and_the_built_in_edit_none() -> None:
    report = _report(g2211_claim())
    assert [(f.rule, f.policy, f.location) for f in report.findings] == [
        ("LATERALITY_MISMATCH", None, ("service_lines", 2, "modifiers", 0)),
        ("COVERAGE_CRITERIA_NOT_MET", G2211_ID, ("service_lines", 1))]
    policy = report.findings[1]
    assert policy == Finding("COVERAGE_CRITERIA_NOT_MET", Severity.ERROR, G2211_MESSAGE,
                             ("service_lines", 1), ("G2211", "E11.9"), G2211_REFERENCE,
                             policy=G2211_ID)
    assert policy != attrs.evolve(policy, policy=None)  # the field is part of the value
    assert str(policy) == ("ERROR   COVERAGE_CRITERIA_NOT_MET (policy MCR-G2211-MOD25) at "
                           f"$.service_lines[1]: {G2211_MESSAGE}")
    assert str(report.findings[0]).startswith("ERROR   LATERALITY_MISMATCH at $.service_")


def test_to_dict_to_json_and_rows_carry_it_null_for_a_built_in_edit() -> None:
    report = _report(g2211_claim())
    builtin, policy = report.to_dict()["findings"]
    assert policy == {
        "rule": "COVERAGE_CRITERIA_NOT_MET", "severity": "error", "message": G2211_MESSAGE,
        "location": ["service_lines", 1], "path": "$.service_lines[1]",
        "codes": ["G2211", "E11.9"], "reference": G2211_REFERENCE,
        "catalog": "docs/catalog.md#coverage_criteria_not_met", "fix": [],
        "policy": G2211_ID, "line": 2, "line_id": "L2"}
    assert builtin["rule"] == "LATERALITY_MISMATCH" and builtin["policy"] is None
    assert json.loads(report.to_json()) == report.to_dict()
    assert '"policy": null' in report.to_json()
    assert [(r["line_id"], r["rule"], r["policy"]) for r in report.rows()] == [
        ("L3", "LATERALITY_MISMATCH", None), ("L2", "COVERAGE_CRITERIA_NOT_MET", G2211_ID)]
    # the key is added last: no column of a table written from the rows moves
    assert list(report.rows()[0]) == ["claim_id", "line", "line_id", "rule", "severity",
                                      "path", "codes", "message", "fix", "catalog", "policy"]


def test_the_report_schema_takes_the_policy_and_still_takes_a_report_without_it() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(codekit.schema("report"))
    d = _report(g2211_claim()).to_dict()
    validator.validate(d)
    for f in d["findings"]:  # a report of schema 1.0 (no policy key) is still valid
        del f["policy"]
    validator.validate(d)
    d["findings"][0]["policy"] = 7
    assert not validator.is_valid(d)


def test_a_finding_made_as_before_has_no_policy() -> None:
    # positional and keyword construction of before the field: unchanged
    f = Finding("DX_NOT_BILLABLE", Severity.ERROR, "E11 is a header", ("diagnoses", 0),
                ("E11",), "ref", ("E11.9",))
    assert f.policy is None and f.to_dict()["policy"] is None
    assert str(f) == "ERROR   DX_NOT_BILLABLE at $.diagnoses[0]: E11 is a header"
    # an ID no policy file can hold is shown quoted: it cannot forge a line of the text
    odd = Finding("X", Severity.INFO, "m", policy="A\nERROR   FAKE")
    assert str(odd) == "INFO    X (policy 'A\\nERROR   FAKE') at $: m"


def test_the_notebook_view_shows_the_policy_under_the_rule() -> None:
    report = _report(g2211_claim())
    html = report._repr_html_()
    assert "policy <code>MCR-G2211-MOD25</code>" in html
    assert html.count("policy <code>") == 1  # not under the built-in edit
    assert "policy <code>MCR-G2211-MOD25</code>" in report.findings[1]._repr_html_()


# -- every path of the policy runtime -------------------------------------------------------


def test_the_fast_path_sets_it_too() -> None:
    # MCR-CMT-SUBLUXATION-PRIMARY is a 'require first pointed dx' rule: Policy._run_fast
    medicare = policies.default_policies()
    assert medicare.get("MCR-CMT-SUBLUXATION-PRIMARY").fast is not None
    report = _report({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1955-02-11"}, "date_of_service": "2025-11-03",
        "diagnoses": ["M54.50", "M99.03"],
        "service_lines": [{"procedure_code": "98941", "modifiers": ["AT"], "units": 1,
                           "diagnosis_pointers": [1, 2]}]})
    assert [(f.rule, f.policy, f.location) for f in report.findings] == [
        ("MED_NECESSITY_DX_NOT_COVERED", "MCR-CMT-SUBLUXATION-PRIMARY",
         ("service_lines", 0, "diagnosis_pointers", 0))]


def test_a_single_policy_checked_alone_sets_it() -> None:
    from codekit.rules import ClaimContext

    claim = Claim.from_dict(g2211_claim())
    policy = policies.default_policies().get(G2211_ID)
    ctx = ClaimContext(claim, CHECKER.route(claim).profile, payer="medicare")
    assert [(f.rule, f.policy) for f in policy.check(ctx)] == [
        ("COVERAGE_CRITERIA_NOT_MET", G2211_ID)]


USER_POLICIES = '''
rule ACME-KNEE-INJECTION-OA
  payer:   acme
  source:  "Acme Health medical policy MP-114, 2025"
  for each line where procedure in 20610
  require any pointed dx in M17.0-M17.9
end

rule ACME.LDCT_AGE-2025
  finding: COVERAGE_CRITERIA_NOT_MET
  payer:   acme
  source:  "Acme Health medical policy MP-201, 2025"
  when any line where (procedure in 71271)
  require age between 50 and 77
  message: "Screening LDCT on {dos} for a patient aged {age}"
end
'''


@pytest.fixture
def user_policies(tmp_path: Path) -> Path:
    path = tmp_path / "acme.policy"
    path.write_text(USER_POLICIES, encoding="utf-8")
    return path


def acme_claim() -> dict[str, Any]:
    """An acme claim, 2025-06-02, age 45: 20610-RT for a right shoulder diagnosis (M75.101,
    not knee osteoarthritis: the line rule, on the fast path) and 71271 (the claim rule:
    age 45 is not 50-77)."""
    return {"claim_id": "A-1", "claim_type": "professional", "payer": "acme",
            "patient": {"sex": "M", "birth_date": "1980-01-15"}, "date_of_service": "2025-06-02",
            "diagnoses": ["M75.101", "Z87.891"],
            "service_lines": [{"procedure_code": "20610", "modifiers": ["RT"], "units": 1,
                               "diagnosis_pointers": [1]},
                              {"procedure_code": "71271", "units": 1, "diagnosis_pointers": [2]}]}


def test_a_user_policy_files_rule_ids_come_through_line_and_claim_rules(
        user_policies: Path) -> None:
    mine = policies.load(user_policies)
    assert mine.get("ACME-KNEE-INJECTION-OA").fast is not None
    assert mine.get("ACME.LDCT_AGE-2025").scope == "claim"
    checker = Checker(policies=[policies.default_policies(), mine])
    report = _report(acme_claim(), checker)
    assert [(f.rule, f.policy, f.location) for f in report.findings] == [
        ("MED_NECESSITY_DX_NOT_COVERED", "ACME-KNEE-INJECTION-OA",
         ("service_lines", 0, "diagnosis_pointers")),
        ("COVERAGE_CRITERIA_NOT_MET", "ACME.LDCT_AGE-2025", ("patient",))]
    assert report.findings[1].message == "Screening LDCT on 2025-06-02 for a patient aged 45"


def test_a_profile_regrade_by_policy_rule_id_keeps_it() -> None:
    profile = CHECKER.profiles["medicare-professional"]
    graded = Checker(profile=profile.evolve(severities={G2211_ID: "warning"}))
    found = [(f.rule, f.severity, f.policy) for f in _report(g2211_claim(), graded).findings]
    assert found == [("LATERALITY_MISMATCH", Severity.ERROR, None),
                     ("COVERAGE_CRITERIA_NOT_MET", Severity.WARNING, G2211_ID)]
    by_finding_id = Checker(profile=profile.evolve(
        severities={"COVERAGE_CRITERIA_NOT_MET": "info"}))
    assert [(f.severity, f.policy) for f in _report(g2211_claim(), by_finding_id).findings
            ][1:] == [(Severity.INFO, G2211_ID)]
    off = Checker(profile=profile.evolve(disable=[G2211_ID]))
    assert [f.rule for f in _report(g2211_claim(), off).findings] == ["LATERALITY_MISMATCH"]


# -- the doors ------------------------------------------------------------------------------


def test_the_pandas_frame_has_a_policy_column() -> None:
    pd = pytest.importorskip("pandas")
    ckpd = pytest.importorskip("codekit.pandas")
    lines = pd.DataFrame({
        "claim_id": "G-1", "payer": "medicare", "sex": "F", "birth_date": "1952-05-14",
        "date_of_service": "2025-03-04", "place_of_service": "11", "dx1": "M17.11",
        "dx2": "E11.9", "line_id": ["L1", "L2", "L3"],
        "procedure_code": ["99213", "G2211", "20610"], "modifier1": ["25", None, "LT"],
        "units": 1, "pointer1": [2, 2, 1], "pointer2": [1, None, None]})
    found = ckpd.check_claims(lines)
    # policy came after the columns before it, and row (the input's index label) after it
    assert tuple(found.columns) == ckpd.FINDING_COLUMNS
    assert found.columns[-2:].tolist() == ["policy", "row"]
    assert found["policy"].dtype == object
    assert found[["line_id", "rule", "policy"]].values.tolist() == [
        ["L3", "LATERALITY_MISMATCH", None], ["L2", "COVERAGE_CRITERIA_NOT_MET", G2211_ID]]
    assert found.groupby("policy").size().to_dict() == {G2211_ID: 1}
    # a notice row has no policy either
    late = ckpd.check_claims(lines.assign(date_of_service="2040-01-02"))
    assert set(late.loc[late.kind == "notice", "policy"]) == {None}


def test_the_jsonl_command_line_writes_it(tmp_path: Path, user_policies: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps(g2211_claim()) + "\n" + json.dumps(acme_claim()) + "\n",
                      encoding="utf-8")
    main(["check", str(claims), "--format", "jsonl", "--policies", str(user_policies)])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [[(f["rule"], f["policy"]) for f in r["findings"]] for r in out] == [
        [("LATERALITY_MISMATCH", None), ("COVERAGE_CRITERIA_NOT_MET", G2211_ID)],
        [("MED_NECESSITY_DX_NOT_COVERED", "ACME-KNEE-INJECTION-OA"),
         ("COVERAGE_CRITERIA_NOT_MET", "ACME.LDCT_AGE-2025")]]
    main(["check", str(claims), "--policies", str(user_policies)])  # the text
    text = capsys.readouterr().out
    assert "  ERROR   COVERAGE_CRITERIA_NOT_MET (policy MCR-G2211-MOD25) at $.service_lines[1]:" \
        in text
    assert "  ERROR   LATERALITY_MISMATCH at $.service_lines[2].modifiers[0]:" in text


def test_the_fhir_operation_outcome_codes_it_under_the_policy_system() -> None:
    pytest.importorskip("fhir.resources")
    resource = fhir.from_claim(Claim.from_dict(g2211_claim()))
    outcome = fhir.check(resource, checker=CHECKER)
    found = [i for i in outcome["issue"] if i["details"]["coding"][1]["code"] == "finding"]
    assert [(i["details"]["coding"], i["expression"]) for i in found] == [
        ([{"system": fhir.RULE_SYSTEM, "code": "LATERALITY_MISMATCH"},
          {"system": fhir.OUTCOME_SYSTEM, "code": "finding"}],
         ["Claim.item[2].modifier[0]"]),
        ([{"system": fhir.RULE_SYSTEM, "code": "COVERAGE_CRITERIA_NOT_MET"},
          {"system": fhir.OUTCOME_SYSTEM, "code": "finding"},
          {"system": "urn:codekit:fhir:policy", "code": G2211_ID}],
         ["Claim.item[1]"])]
    assert fhir.POLICY_SYSTEM == "urn:codekit:fhir:policy"
    from fhir.resources.R4B.operationoutcome import OperationOutcome

    OperationOutcome.model_validate(outcome)


def test_the_x12_rows_carry_it() -> None:
    pytest.importorskip("pyx12")
    from codekit.x12 import check, write_837

    d = g2211_claim(billing_provider="1234567893", total_charge=216, frequency_code="1",
                    filing_indicator="MB")
    d["patient"] = {**d["patient"], "id": "M1", "name": "ROE, ANN"}
    text = write_837([Claim.from_dict(d)], date=dt.date(2025, 3, 10))
    (result,) = check(text, CHECKER)
    rows = [(r["rule"], r["policy"]) for r in result.rows()]
    assert ("COVERAGE_CRITERIA_NOT_MET", G2211_ID) in rows
    assert ("LATERALITY_MISMATCH", None) in rows
    assert all(list(r)[-1] == "policy" for r in result.rows())
    assert [f["policy"] for f in result.to_dict()["findings"]] == [p for _, p in rows]

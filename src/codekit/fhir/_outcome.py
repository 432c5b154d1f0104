"""Findings -> FHIR OperationOutcome; several outcomes -> a batch-response Bundle.

Every finding is one ``issue``: its severity, an ``issue.code`` of the FHIR IssueType value
set that fits the edit, ``details.coding`` with the rule ID under :data:`RULE_SYSTEM` (and,
for a finding of a payer policy, the policy's rule ID under :data:`POLICY_SYSTEM`), the
message as ``diagnostics``, the FHIRPath of the element as ``expression``, and the
machine-readable fix (``Finding.fix``) as one :data:`FIX_EXTENSION` per code, best first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..findings import Finding, Severity
from . import _systems as S

__all__ = [
    "CODES_EXTENSION",
    "DIAGNOSIS_SEQUENCE_EXTENSION",
    "FIX_EXTENSION",
    "OUTCOME_SYSTEM",
    "POLICY_SYSTEM",
    "RULE_SYSTEM",
    "fatal_outcome",
    "fix_extensions",
    "issue",
    "issue_code",
    "operation_outcome",
    "outcome_bundle",
]

#: ``details.coding.system`` of every issue codekit writes; the code is the rule ID of
#: ``docs/catalog.md`` (``DX_CODE_UNKNOWN``, ``FHIR_DX_SYSTEM_UNSUPPORTED``...).
RULE_SYSTEM = f"{S.CODEKIT}:rule"
#: A second ``details.coding`` that says what kind of issue it is: ``finding`` (an edit
#: fired), ``not-run`` (an edit could not run on this claim), ``clean`` (nothing found),
#: ``notice`` (how the claim was judged: a payer not routed...), ``input`` (the input
#: could not be read).
OUTCOME_SYSTEM = f"{S.CODEKIT}:outcome"
#: A third ``details.coding``, on the issue of a payer policy's finding only: the policy's
#: rule ID (``MCR-G2211-MOD25``: :attr:`codekit.Finding.policy`), which of the policies
#: that raise the same finding ID (``COVERAGE_CRITERIA_NOT_MET``) raised it. Read a
#: coding by its ``system``, not by its place.
POLICY_SYSTEM = f"{S.CODEKIT}:policy"
#: The fix, one extension per code (``valueCode``), best first.
FIX_EXTENSION = f"{S.CODEKIT}:fix"
#: The codes the finding is about, one extension per code.
CODES_EXTENSION = f"{S.CODEKIT}:codes"
#: On an issue about a diagnosis (or a line's pointer to one): the diagnosis's
#: ``sequence`` in the Claim (the pointer's value as written), ``valueInteger``. codekit's
#: messages number the diagnoses in their order, principal first; this is the resource's.
DIAGNOSIS_SEQUENCE_EXTENSION = f"{S.CODEKIT}:diagnosis-sequence"
#: On the OperationOutcome: the claim's identifier and the profile it was checked under.
CLAIM_ID_EXTENSION = f"{S.CODEKIT}:claim-id"
PROFILE_EXTENSION = f"{S.CODEKIT}:profile"

_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "information"}

#: IssueType (http://hl7.org/fhir/issue-type) per rule ID; rules not listed get one by
#: prefix (_PREFIX_CODES), then ``business-rule``.
_CODES = {
    "DX_MISSING": "required", "PTR_MISSING": "required",
    "DX_FORMAT_INVALID": "code-invalid", "DX_CODE_UNKNOWN": "code-invalid",
    "DX_NOT_BILLABLE": "code-invalid", "DX_SEVENTH_CHAR_MISSING": "code-invalid",
    "DX_SEVENTH_CHAR_INVALID": "code-invalid", "DX_PLACEHOLDER_X_MISSING": "code-invalid",
    "DX_NOT_VALID_ON_DOS": "code-invalid", "PROC_FORMAT_INVALID": "code-invalid",
    "PROC_CODE_UNKNOWN": "code-invalid", "PROC_NOT_VALID_ON_DOS": "code-invalid",
    "MOD_INVALID": "code-invalid",
    "UNITS_INVALID": "value", "PATIENT_AGE_INVALID": "value", "PATIENT_SEX_INVALID": "value",
    "CHARGE_NEGATIVE": "value", "CORRECTED_CLAIM_ID_MISSING": "required",
    "PTR_INVALID": "value", "PTR_TOO_MANY": "value", "PTR_DUPLICATE": "value",
    "DX_DUPLICATE": "duplicate", "LINE_DUPLICATE": "duplicate", "DX_COUNT_EXCEEDED": "value",
    "LINE_ID_DUPLICATE": "duplicate", "CLAIM_FREQUENCY_INVALID": "value",
    "PCS_COUNT_EXCEEDED": "value",
    "MOD_COUNT_EXCEEDED": "value",
    "FHIR_STRUCTURE_INVALID": "structure", "FHIR_FORMAT_INVALID": "structure",
    "FHIR_CLAIM_TYPE_UNSUPPORTED": "not-supported",
    "FHIR_DX_SYSTEM_UNSUPPORTED": "not-supported",
    "FHIR_ITEM_SYSTEM_UNSUPPORTED": "not-supported",
    "FHIR_MODIFIER_SYSTEM_UNSUPPORTED": "not-supported",
    "FHIR_PROCEDURE_SYSTEM_UNSUPPORTED": "not-supported",
    "FHIR_REFERENCE_UNRESOLVED": "not-found", "FHIR_PATIENT_UNRESOLVED": "not-found",
    "FHIR_PATIENT_INCOMPLETE": "incomplete", "FHIR_DATE_OF_SERVICE_MISSING": "required",
    "FHIR_DIAGNOSIS_SEQUENCE_UNKNOWN": "value", "FHIR_TOO_MANY_ITEMS": "too-costly",
    "FHIR_MODIFIER_EXTENSION_UNKNOWN": "extension",
    "CLAIM_CHECK_FAILED": "exception",
}
_PREFIX_CODES = (("FHIR_", "invalid"),)
_CODE_TEXT = re.compile(r"[^\s]+(\s[^\s]+)*")


def issue_code(rule: str) -> str:
    """The FHIR IssueType of a finding's rule.

    >>> issue_code("DX_CODE_UNKNOWN"), issue_code("NCCI_PTP_CONFLICT"), issue_code("DX_MISSING")
    ('code-invalid', 'business-rule', 'required')
    """
    code = _CODES.get(rule)
    if code is not None:
        return code
    for prefix, value in _PREFIX_CODES:
        if rule.startswith(prefix):
            return value
    return "business-rule"


def _value(code: str) -> dict[str, str]:
    return {"valueCode": code} if _CODE_TEXT.fullmatch(code) else {"valueString": code}


def fix_extensions(fix: Iterable[str]) -> list[dict[str, str]]:
    """A fix as issue extensions: one :data:`FIX_EXTENSION` per code, best first, each a
    ``valueCode`` (a ``valueString`` for text that cannot be a FHIR code).

    >>> fix_extensions(["E11.9", ""])
    [{'url': 'urn:codekit:fhir:fix', 'valueCode': 'E11.9'}]
    """
    return [{"url": FIX_EXTENSION, **_value(c)} for c in fix if c]


def _where(expression: str) -> dict[str, list[str]]:
    """``expression`` of an issue: none when there is no path (FHIR has no blank strings)."""
    return {"expression": [expression]} if expression.strip() else {}


def _text(message: str, fallback: str) -> str:
    """A ``diagnostics`` text: never blank (FHIR has no blank strings)."""
    return message if message.strip() else fallback


def issue(finding: Finding, expression: str, sequence: int | None = None
          ) -> dict[str, Any]:
    """One OperationOutcome issue for a finding at ``expression`` (a FHIRPath);
    ``sequence``: the FHIR sequence of the diagnosis it is about
    (:data:`DIAGNOSIS_SEQUENCE_EXTENSION`)."""
    out: dict[str, Any] = {}
    ext: list[dict[str, Any]] = list(fix_extensions(finding.fix))
    ext += [{"url": CODES_EXTENSION, **_value(c)} for c in finding.codes if c]
    if sequence is not None and -2**31 <= sequence < 2**31:  # a FHIR integer
        ext.append({"url": DIAGNOSIS_SEQUENCE_EXTENSION, "valueInteger": sequence})
    if ext:
        out["extension"] = ext
    out["severity"] = _SEVERITY[finding.severity]
    out["code"] = issue_code(finding.rule)
    details: dict[str, Any] = {"coding": [
        {"system": RULE_SYSTEM, "code": finding.rule},
        {"system": OUTCOME_SYSTEM, "code": "finding"}]}
    if finding.policy is not None:
        details["coding"].append({"system": POLICY_SYSTEM, "code": finding.policy})
    if finding.reference:
        details["text"] = finding.reference
    out["details"] = details
    out["diagnostics"] = _text(finding.message, finding.rule)
    out.update(_where(expression))
    return out


def not_run_issue(rule: str, reason: str, expression: str) -> dict[str, Any]:
    return {"severity": "information", "code": "informational",
            "details": {"coding": [{"system": RULE_SYSTEM, "code": rule},
                                   {"system": OUTCOME_SYSTEM, "code": "not-run"}]},
            "diagnostics": f"{rule} was not run" + (f": {reason}" if reason.strip() else ""),
            **_where(expression)}


def notice_issue(code: str, message: str, expression: str) -> dict[str, Any]:
    """A report notice (data that does not cover the date, a payer not routed...)."""
    return {"severity": "information", "code": "informational",
            "details": {"coding": [{"system": RULE_SYSTEM, "code": code},
                                   {"system": OUTCOME_SYSTEM, "code": "notice"}]},
            "diagnostics": _text(message, code), **_where(expression)}


def operation_outcome(issues: Sequence[dict[str, Any]], *, claim_id: str | None = None,
                      profile: str | None = None, root: str = "Claim",
                      checked: bool = True) -> dict[str, Any]:
    """An OperationOutcome of ``issues``; one ``information`` issue when there is none
    (FHIR requires at least one)."""
    out: dict[str, Any] = {"resourceType": "OperationOutcome"}
    ext = []
    if claim_id is not None and claim_id.strip():  # FHIR has no blank strings
        ext.append({"url": CLAIM_ID_EXTENSION, "valueString": claim_id})
    if profile is not None and profile.strip():
        ext.append({"url": PROFILE_EXTENSION, "valueString": profile})
    if ext:
        out["extension"] = ext
    if not any(i["severity"] != "information" or
               i["details"]["coding"][1]["code"] == "finding" for i in issues) and checked:
        who = f"claim {claim_id}" if claim_id and claim_id.strip() else "the claim"
        issues = [{"severity": "information", "code": "informational",
                   "details": {"coding": [{"system": OUTCOME_SYSTEM, "code": "clean"}]},
                   "diagnostics": f"No issues: {who} passed every edit that ran"
                                  + (f" ({profile})." if profile else "."),
                   "expression": [root]}, *issues]
    out["issue"] = list(issues) or [{
        "severity": "information", "code": "informational",
        "details": {"coding": [{"system": OUTCOME_SYSTEM, "code": "clean"}]},
        "diagnostics": "No issues.", "expression": [root]}]
    return out


def fatal_outcome(problems: Iterable[tuple[str, str]], code: str = "structure"
                  ) -> dict[str, Any]:
    """The OperationOutcome of input that could not be read at all (severity ``fatal``)."""
    issues = []
    for where, message in problems:
        i: dict[str, Any] = {
            "severity": "fatal", "code": code,
            "details": {"coding": [{"system": RULE_SYSTEM, "code": "FHIR_FORMAT_INVALID"},
                                   {"system": OUTCOME_SYSTEM, "code": "input"}]},
            "diagnostics": _text(message, "the input could not be read")}
        if where and where.strip():
            i["expression"] = [where]
        issues.append(i)
    return {"resourceType": "OperationOutcome", "issue": issues or [{
        "severity": "fatal", "code": code, "diagnostics": "no claim to check"}]}


def outcome_bundle(entries: Iterable[tuple[dict[str, Any], str | None, str]]
                   ) -> dict[str, Any]:
    """A ``batch-response`` Bundle: one entry per (OperationOutcome, the claim's reference,
    HTTP status), in order."""
    out = []
    for oo, ref, status in entries:
        response: dict[str, Any] = {"status": status}
        if ref:
            response["location"] = ref
        out.append({"resource": oo, "response": response})
    return {"resourceType": "Bundle", "type": "batch-response", "entry": out}

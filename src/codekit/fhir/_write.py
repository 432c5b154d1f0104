"""codekit :class:`~codekit.claims.Claim` -> FHIR R4 Claim (JSON data).

The resource uses the standard elements wherever FHIR has a home for a field (type,
identifier, billablePeriod, diagnosis with sequence, type and onAdmission, procedure,
item with productOrService, modifier, quantity, diagnosisSequence, servicedDate,
locationCodeableConcept, revenue, net, detail NDC; supportingInfo for the type of bill,
condition codes, occurrence codes (timingDate), occurrence spans (timingPeriod) and value
codes (valueQuantity) in the NUBC code systems, admission date, discharge status,
frequency code and filing indicator;
the patient contained), and codekit's own extensions (``urn:codekit:fhir:*``) only for what FHIR has
none for (a claim-level place of service, the OPPS flag, a DMEPOS supplier's claim
(``dme-supplier``), an ambulatory surgical center's facility claim (``asc-facility``),
an age without a birth date, a sex other than M/F/U, line ids, ``extra``). Read back
with :func:`codekit.fhir.read`, it gives the same claim.

What FHIR cannot hold is refused with :class:`~codekit.errors.InvalidArgument` naming the
field, never written as invalid FHIR or dropped: blank text (FHIR has no empty strings), a
code with leading, trailing or doubled spaces, a number that is not finite, is 10^12 or
more, or has more digits than JSON's numbers carry (17 significant), an ``extra`` that
is not JSON (its keys text, its values JSON values). A blank sex is written as no gender
(read back ``U``, with ``FHIR_PATIENT_INCOMPLETE``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from ..claims import MAX_TEXT, Claim, ServiceLine
from ..errors import InvalidArgument, format_path
from . import _systems as S

__all__ = ["from_claim"]

_GENDER = {"M": "male", "F": "female", "U": "unknown"}


def _ext(name: str, **value: Any) -> dict[str, Any]:
    return {"url": f"{S.CODEKIT}:{name}", **value}


#: FHIR's code: no leading, trailing or doubled whitespace (R4 datatypes).
_CODE = re.compile(r"[^\s]+(\s[^\s]+)*")
Path = tuple[str | int, ...]


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _check(claim: Claim) -> None:
    """Refuse what a FHIR Claim cannot hold (see the module docstring)."""
    who = f"claim {claim.claim_id[:40]!r}" if claim.claim_id else "a claim without claim_id"

    def fail(path: Path, why: str) -> None:
        raise InvalidArgument(f"{who}: {format_path(path)} {why}: a FHIR Claim cannot "
                              "hold it")

    def text(path: Path, value: str | None) -> None:
        if value is not None and not value.strip():
            fail(path, f"is {value!r}: FHIR has no blank strings")
        if value is not None and len(value) > MAX_TEXT:
            fail(path, f"is {len(value):,} characters long (at most {MAX_TEXT:,})")

    def code(path: Path, value: str | None) -> None:
        if value is not None and not _CODE.fullmatch(value):
            fail(path, f"{value[:40]!r} is not a FHIR code (blank, or leading, trailing or "
                 "doubled spaces)")
        text(path, value)

    def number(path: Path, value: Decimal | None) -> None:
        if value is None:
            return
        if not value.is_finite() or value.adjusted() > 11:
            fail(path, f"is {value}, not a finite number below 10^12")
        if value != value.to_integral_value() and Decimal(repr(float(value))) != value:
            fail(path, f"{value} has more digits than a JSON number keeps")

    p = claim.patient
    for key in ("claim_id", "billing_provider", "rendering_provider", "corrected_claim_id"):
        text((key,), getattr(claim, key))
    text(("payer",), claim.payer)
    text(("patient", "id"), p.id)
    text(("patient", "name"), p.name)
    if p.sex:
        text(("patient", "sex"), p.sex)
    for key in ("place_of_service", "bill_type", "frequency_code", "filing_indicator",
                "admitting_diagnosis", "discharge_status"):
        code((key,), getattr(claim, key))
    for key in ("diagnoses", "condition_codes", "visit_reasons", "poa"):
        for i, value in enumerate(getattr(claim, key)):
            code((key, i), value)
    for i, proc in enumerate(claim.procedures):
        code(("procedures", i), proc.code)
    for key in ("occurrence_codes", "occurrence_spans", "value_codes"):
        for i, entry in enumerate(getattr(claim, key)):
            code((key, i, "code"), entry.code)
            if key == "value_codes":
                number((key, i, "amount"), entry.amount)
    number(("total_charge",), claim.total_charge)
    for k, ln in enumerate(claim.service_lines):
        at: Path = ("service_lines", k)
        if ln.procedure_code or ln.revenue_code is None:
            code((*at, "procedure_code"), ln.procedure_code)
        elif not claim.is_institutional:
            fail((*at, "procedure_code"), "is blank: only an institutional item is read "
                 "without one (a revenue-code-only line)")
        for j, m in enumerate(ln.modifiers):
            code((*at, "modifiers", j), m)
        for key in ("revenue_code", "place_of_service", "ndc"):
            code((*at, key), getattr(ln, key))
        text((*at, "line_id"), ln.line_id)
        # item.sequence and item.diagnosisSequence are positiveInt in FHIR R4
        if ln.line < 1:
            fail((*at, "line"), f"is {ln.line}: an item's sequence is 1 or more")
        for j, ptr in enumerate(ln.diagnosis_pointers):
            if ptr < 1:
                fail((*at, "diagnosis_pointers", j), f"is {ptr}: a diagnosisSequence is 1 "
                     "or more")
        number((*at, "units"), ln.units)
        number((*at, "charge"), ln.charge)
    if claim.extra:
        try:
            back = json.loads(json.dumps(dict(claim.extra), allow_nan=False))
        except (TypeError, ValueError, RecursionError) as e:
            fail(("extra",), f"is not JSON ({e})")
        if back != _plain(claim.extra):
            fail(("extra",), "is not JSON (a key that is not text)")


def _plain(value: Any) -> Any:
    """``value`` as JSON reads it back, tuples as lists (what JSON may change)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cc(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def _info(seq: int, category: tuple[str, str], **rest: Any) -> dict[str, Any]:
    return {"sequence": seq, "category": _cc(*category), **rest}


def from_claim(claim: Claim) -> dict[str, Any]:
    """The FHIR R4 Claim of a codekit claim, as JSON data (see the module docstring)."""
    _check(claim)
    out: dict[str, Any] = {"resourceType": "Claim"}
    ext: list[dict[str, Any]] = []
    if claim.place_of_service is not None:
        ext.append(_ext("place-of-service", valueCoding={"system": S.POS,
                                                         "code": claim.place_of_service}))
    if claim.opps is not None:
        ext.append(_ext("opps", valueBoolean=claim.opps))
    if claim.dme_supplier is not None:
        ext.append(_ext("dme-supplier", valueBoolean=claim.dme_supplier))
    if claim.asc_facility is not None:
        ext.append(_ext("asc-facility", valueBoolean=claim.asc_facility))
    if claim.extra:  # JSON (_check)
        ext.append(_ext("extra", valueString=json.dumps(dict(claim.extra))))
    patient = _patient(claim)
    out["contained"] = [patient]
    if claim.claim_id is not None:
        out["identifier"] = [{"value": claim.claim_id}]
    out["status"] = "active"
    out["type"] = _cc(S.CLAIM_TYPE, claim.claim_type)
    out["use"] = "claim"
    out["patient"] = {"reference": "#patient"}
    period = claim.statement_period
    if period is not None:
        out["billablePeriod"] = {"start": period[0].isoformat(), "end": period[1].isoformat()}
        derived = period[1] if claim.is_institutional else period[0]
    else:
        # a professional claim's date is its first day; an institutional claim's its
        # through date (the discharge), the end of its billablePeriod
        out["billablePeriod"] = {"end" if claim.is_institutional else "start":
                                 claim.date_of_service.isoformat()}
        derived = claim.date_of_service
    if derived != claim.date_of_service:
        ext.append(_ext("date-of-service", valueDate=claim.date_of_service.isoformat()))
    out["created"] = claim.date_of_service.isoformat()
    if claim.payer != "unknown":
        out["insurer"] = {"display": claim.payer}
    out["provider"] = {"identifier": {"system": S.NPI, "value": claim.billing_provider}} \
        if claim.billing_provider is not None else {"display": "unknown"}
    if claim.corrected_claim_id is not None:  # the claim a replacement or void corrects
        out["related"] = [{"claim": {"identifier": {"value": claim.corrected_claim_id}},
                           "relationship": _cc(S.RELATED_CLAIM, "prior")}]
    out["priority"] = _cc("http://terminology.hl7.org/CodeSystem/processpriority", "normal")
    team: list[dict[str, Any]] = []
    if claim.rendering_provider is not None:
        team.append({"sequence": 1, "provider": {
            "identifier": {"system": S.NPI, "value": claim.rendering_provider}},
            "role": _cc(S.C4BB_CARE_TEAM_ROLE, "rendering")})
    # a line's own rendering provider: a member in role performing (not rendering, which
    # is the claim's), named by the item's careTeamSequence
    seq_of: dict[str, int] = {}
    for line in claim.service_lines:
        npi = line.rendering_provider
        if npi is not None and npi not in seq_of:
            seq_of[npi] = len(team) + 1
            team.append({"sequence": seq_of[npi], "provider": {
                "identifier": {"system": S.NPI, "value": npi}},
                "role": _cc(S.C4BB_CARE_TEAM_ROLE, "performing")})
    if team:
        out["careTeam"] = team
    info = _supporting_info(claim)
    if info:
        out["supportingInfo"] = info
    out["diagnosis"] = _diagnoses(claim)
    if not out["diagnosis"]:
        del out["diagnosis"]
    if claim.procedures:
        out["procedure"] = []
        for k, p in enumerate(claim.procedures):
            row: dict[str, Any] = {"sequence": k + 1}
            if p.date is not None:
                row["date"] = p.date.isoformat()
            row["procedureCodeableConcept"] = _cc(S.ICD10PCS, p.code)
            out["procedure"].append(row)
    out["insurance"] = [{"sequence": 1, "focal": True, "coverage": {
        "display": claim.payer}}]
    if claim.service_lines:
        out["item"] = [_item(line) for line in claim.service_lines]
        for item, line in zip(out["item"], claim.service_lines, strict=True):
            if line.rendering_provider is not None:
                item["careTeamSequence"] = [seq_of[line.rendering_provider]]
    if claim.total_charge is not None:
        out["total"] = {"value": _num(claim.total_charge), "currency": "USD"}
    if ext:
        out["extension"] = ext
    # FHIR's order of elements: extension first (json key order is not significant, but
    # people read it).
    return {"resourceType": "Claim", **({"extension": ext} if ext else {}),
            **{k: v for k, v in out.items() if k not in ("resourceType", "extension")}}


def _patient(claim: Claim) -> dict[str, Any]:
    p = claim.patient
    out: dict[str, Any] = {"resourceType": "Patient", "id": "patient"}
    ext = []
    if p.sex not in _GENDER and p.sex:  # a blank sex: no gender (FHIR has no blank text)
        ext.append(_ext("sex", valueString=p.sex))
    if p.age is not None:
        ext.append(_ext("age", valueInteger=p.age))
    if ext:
        out["extension"] = ext
    if p.id is not None:
        out["identifier"] = [{"type": _cc("http://terminology.hl7.org/CodeSystem/v2-0203",
                                          "MB"), "value": p.id}]
    if p.name is not None:
        out["name"] = [{"text": p.name}]
    if p.sex in _GENDER:
        out["gender"] = _GENDER[p.sex]
    if p.birth_date is not None:
        out["birthDate"] = p.birth_date.isoformat()
    return out


def _supporting_info(claim: Claim) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    info = (S.INFO_CATEGORY, "info")
    if claim.bill_type is not None:
        out.append(_info(len(out) + 1, (S.C4BB_INFO, "typeofbill"),
                         code=_cc(S.NUBC_BILL_TYPE, claim.bill_type)))
    if claim.admission_date is not None:
        out.append(_info(len(out) + 1, (S.C4BB_INFO, "admissionperiod"),
                         timingPeriod={"start": claim.admission_date.isoformat()}))
    if claim.discharge_status is not None:
        out.append(_info(len(out) + 1, (S.C4BB_INFO, "discharge-status"),
                         code=_cc(S.NUBC_DISCHARGE_STATUS, claim.discharge_status)))
    for code in claim.condition_codes:
        out.append(_info(len(out) + 1, info, code=_cc(S.NUBC_CONDITION, code)))
    for o in claim.occurrence_codes:
        out.append(_info(len(out) + 1, info, code=_cc(S.NUBC_OCCURRENCE, o.code),
                         timingDate=o.date.isoformat()))
    for span in claim.occurrence_spans:
        out.append(_info(len(out) + 1, info, code=_cc(S.NUBC_OCCURRENCE_SPAN, span.code),
                         timingPeriod={"start": span.start.isoformat(),
                                       "end": span.end.isoformat()}))
    for v in claim.value_codes:
        out.append(_info(len(out) + 1, info, code=_cc(S.NUBC_VALUE, v.code),
                         valueQuantity={"value": _num(v.amount)}))
    if claim.frequency_code is not None:
        out.append(_info(len(out) + 1, info, code=_cc(S.X12_FREQUENCY, claim.frequency_code)))
    if claim.filing_indicator is not None:
        out.append(_info(len(out) + 1, info,
                         code=_cc(S.X12_FILING_INDICATOR, claim.filing_indicator)))
    return out


def _diagnoses(claim: Claim) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    poa = claim.poa
    for k, code in enumerate(claim.diagnoses):
        row: dict[str, Any] = {"sequence": k + 1,
                               "diagnosisCodeableConcept": _cc(S.ICD10CM, code)}
        if k == 0 and claim.is_institutional:
            row["type"] = [_cc(S.DIAGNOSIS_TYPE, "principal")]
        if k < len(poa) and poa[k] is not None:
            row["onAdmission"] = _cc(S.NUBC_POA, poa[k])  # type: ignore[arg-type]
        out.append(row)
    # The admitting diagnosis and reasons for visit come after a gap, so no pointer of the
    # claim (even one past the last diagnosis) names them.
    seq = max([len(claim.diagnoses), *(p for ln in claim.service_lines
                                       for p in ln.diagnosis_pointers)]) + 1
    if claim.admitting_diagnosis is not None:
        out.append({"extension": [_ext("role", valueCode="admitting")], "sequence": seq,
                    "diagnosisCodeableConcept": _cc(S.ICD10CM, claim.admitting_diagnosis),
                    "type": [_cc(S.DIAGNOSIS_TYPE, "admitting")]})
        seq += 1
    for code in claim.visit_reasons:
        out.append({"extension": [_ext("role", valueCode="visit-reason")], "sequence": seq,
                    "diagnosisCodeableConcept": _cc(S.ICD10CM, code),
                    "type": [_cc(S.C4BB_DIAGNOSIS_TYPE, "patientreasonforvisit")]})
        seq += 1
    return out


def _item(line: ServiceLine) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if line.line_id is not None:
        out["extension"] = [_ext("line-id", valueString=line.line_id)]
    out["sequence"] = line.line
    if line.diagnosis_pointers:
        out["diagnosisSequence"] = list(line.diagnosis_pointers)
    if line.revenue_code is not None:
        out["revenue"] = _cc(S.NUBC_REVENUE, line.revenue_code)
    system = S.HCPCS if line.procedure_code[:1].isalpha() else S.CPT
    # a revenue-code-only line (837I SV202 is situational): FHIR requires productOrService
    out["productOrService"] = _cc(system, line.procedure_code) if line.procedure_code or \
        line.revenue_code is None else _cc(S.DATA_ABSENT, "not-applicable")
    if line.modifiers:
        out["modifier"] = [_cc(system, m) for m in line.modifiers]
    if line.date_of_service is not None:
        out["servicedDate"] = line.date_of_service.isoformat()
    if line.place_of_service is not None:
        out["locationCodeableConcept"] = _cc(S.POS, line.place_of_service)
    if line.units is not None:
        out["quantity"] = {"value": _num(line.units)}
    if line.charge is not None:
        out["net"] = {"value": _num(line.charge), "currency": "USD"}
    if line.ndc is not None:
        out["detail"] = [{"sequence": 1, "productOrService": _cc(S.NDC, line.ndc)}]
    return out

"""Group A (diagnosis validity), H1 (diagnosis valid on the date of service) and the
edits of an institutional claim's statement period (a diagnosis across a code-set change,
a line dated outside the period).

One diagnosis gets one validity finding, the most specific (``docs/catalog.md#precedence``):
the classification is :func:`codekit.icd10cm.validate`'s, whose errors carry the catalog
IDs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from .. import icd10cm
from .._show import shown
from ..claims import bill_class, is_total_line
from ..errors import CodekitError
from ..findings import Hit
from .context import ClaimContext
from .engine import rule

GUIDELINES = "ICD-10-CM Official Guidelines for Coding and Reporting FY2026"


@rule("DX_MISSING", "A", "error", "I/OCE edit 1; MCE edit 1; 837P HI segment (NUCC item 21)",
      when=["dx-missing"])
def dx_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """The claim has no diagnosis, or position 1 is blank."""
    if not ctx.dx:
        yield Hit("The claim has no diagnosis: add the principal/first-listed ICD-10-CM code.",
                  ("diagnoses",))
    elif not ctx.dx[0].raw.strip():
        yield Hit("Diagnosis position 1 is blank: the principal/first-listed diagnosis is "
                  "required.", ("diagnoses", 0))


def _validity(rule_id: str, doc: str) -> Callable[[ClaimContext], Iterator[Hit]]:
    def check(ctx: ClaimContext) -> Iterator[Hit]:
        if rule_id == "DX_FORMAT_INVALID":
            raws = ctx.claim.diagnoses  # one per position, as ctx.dx
            for i in range(1, len(raws)):
                if not raws[i].strip():
                    yield Hit(f"Diagnosis {i + 1} is blank: remove the empty position.",
                              ("diagnoses", i), (raws[i],))
        for d in ctx.dx_errors.get(rule_id, ()):
            err = d.error
            if d.day != ctx.day:
                where = f" (the date of line {', '.join(map(str, d.lines))}, which points to it)"
            elif rule_id == "DX_NOT_VALID_ON_DOS" and ctx.claim.is_inpatient:
                where = _discharge(ctx, d.raw)
            else:
                where = ""
            if rule_id == "DX_FORMAT_INVALID":
                where += _json_object_hint(d.raw)
            yield Hit(f"Diagnosis {d.index + 1} {err}{where}", ("diagnoses", d.index),
                      (d.raw,), err.fix if err is not None else ())
        for at, raw, err in ctx.memo.get("other_dx", ()):  # admitting dx, reasons for visit
            if err.code == rule_id:
                what = "The admitting diagnosis" if at[0] == "admitting_diagnosis" else \
                    f"The patient's reason for visit {int(at[1]) + 1}"
                yield Hit(f"{what} {err}", at, (raw,), err.fix)

    check.__doc__ = doc
    return check


def _json_object_hint(raw: str) -> str:
    """For a diagnosis that is a diagnosis object's JSON text (``'{"code": "E87.1", "poa":
    "N"}'``: what Spark's ``spark.read.json`` makes of objects in an array it reads as
    strings, or a caller's ``json.dumps`` too many): say so, and what to give instead."""
    text = raw.strip()
    if not (text.startswith("{") and text.endswith("}")) or len(text) > 1_000:
        return ""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return ""
    if not isinstance(obj, dict) or not isinstance(obj.get("code"), str):
        return ""
    return (f" (this is a diagnosis object written as JSON text: give the object itself, "
            f"{{\"code\": {json.dumps(obj['code'])}, ...}}, or the code; a Spark "
            "array of diagnoses holds one type: docs/spark.md)")


def _discharge(ctx: ClaimContext, raw: str) -> str:
    """For an inpatient stay that began under another release than its discharge's, and a
    diagnosis valid when it began: why the discharge's codes apply (only asked for a
    diagnosis that is not valid on the discharge date)."""
    claim = ctx.claim
    began = claim.admission_date or (claim.statement_period[0] if claim.statement_period
                                     else None)
    if began is None or began >= ctx.day:
        return ""
    view = icd10cm.date_view(began)
    if view is icd10cm.date_view(ctx.day) or view.resolve(raw) is False:
        return ""
    return (f" ({ctx.day} is the discharge date: an inpatient stay is coded with the codes "
            f"in effect at discharge, though it began on {began}, when the code was valid)")


dx_format = rule("DX_FORMAT_INVALID", "A", "error",
                 "ICD-10-CM Guidelines I.B.2; HIPAA code set 45 CFR 162.1002",
                 when=["DX_FORMAT_INVALID"])(
    _validity("DX_FORMAT_INVALID", "The code is not ICD-10-CM syntax."))
dx_unknown = rule("DX_CODE_UNKNOWN", "A", "error", "I/OCE edit 1; MCE edit 1",
                  when=["DX_CODE_UNKNOWN"])(
    _validity("DX_CODE_UNKNOWN", "Valid syntax, but the code is in no ICD-10-CM release."))
dx_not_billable = rule("DX_NOT_BILLABLE", "A", "error", "ICD-10-CM Guidelines I.B.2",
                       when=["DX_NOT_BILLABLE"])(
    _validity("DX_NOT_BILLABLE", "The code is a category or subcategory with children."))
dx_seventh_missing = rule("DX_SEVENTH_CHAR_MISSING", "A", "error",
                          "ICD-10-CM Guidelines I.A.5, I.B.2, I.C.19.a",
                          when=["DX_SEVENTH_CHAR_MISSING"])(
    _validity("DX_SEVENTH_CHAR_MISSING", "A required 7th character is missing."))
dx_seventh_invalid = rule("DX_SEVENTH_CHAR_INVALID", "A", "error",
                          "ICD-10-CM tabular sevenChrDef", when=["DX_SEVENTH_CHAR_INVALID"])(
    _validity("DX_SEVENTH_CHAR_INVALID", "The 7th character is not defined for the code."))
dx_placeholder = rule("DX_PLACEHOLDER_X_MISSING", "A", "error",
                      "ICD-10-CM Guidelines I.A.4 (placeholder character)",
                      when=["DX_PLACEHOLDER_X_MISSING"])(
    _validity("DX_PLACEHOLDER_X_MISSING", "A 7th character was added without placeholder X."))
dx_not_valid_on_dos = rule("DX_NOT_VALID_ON_DOS", "H", "error",
                           "HIPAA code-set effective dates; CMS/CDC ICD-10-CM addenda",
                           when=["DX_NOT_VALID_ON_DOS"])(
    _validity("DX_NOT_VALID_ON_DOS", "The code is billable in another release, not on the "
              "date of service (or the date is before 2015-10-01)."))


@rule("DX_DUPLICATE", "A", "error", "MCE edit 3 (duplicate of principal diagnosis)",
      when=["dx-repeat"])
def dx_duplicate(ctx: ClaimContext) -> Iterator[Hit]:
    """The same code appears twice (dotted and undotted forms are the same code)."""
    seen: dict[str, int] = {}
    for d in ctx.dx:
        code = d.code or (d.error.value if d.error is not None and d.error.code not in
                          ("DX_FORMAT_INVALID",) else None)
        if code is None:
            continue
        key = str(code).replace(".", "").strip().upper()
        if key in seen:
            first = seen[key]
            same = d.facts.dotted if d.facts is not None else _dotted(str(code))
            yield Hit(f"Diagnosis {d.index + 1} {shown(d.raw)} repeats diagnosis {first + 1} "
                      f"({same}): remove the duplicate.", ("diagnoses", d.index), (d.raw,))
        else:
            seen[key] = d.index


def _dotted(code: str) -> str:
    """An invalid code with its dot (``E1199`` -> ``E11.99``), as typed if it has no form."""
    try:
        return icd10cm.format(code)
    except CodekitError:
        return code


@rule("DX_COUNT_EXCEEDED", "A", "error",
      "X12 837P HI (12 diagnoses); NUCC item 21 A-L; 837I HI (principal + 24)",
      when=["dx-many"])
def dx_count(ctx: ClaimContext) -> Iterator[Hit]:
    """More than 12 diagnoses (professional) or 25 (institutional)."""
    limit = 25 if ctx.claim.is_institutional else 12
    n = len(ctx.dx_hits)  # one per position, as ctx.dx (whose DxInfo are not needed)
    if n > limit:
        kind = "an institutional" if ctx.claim.is_institutional else \
            f"a {ctx.claim.claim_type}"
        yield Hit(f"{n} diagnoses: {kind} claim carries at most {limit}; move the extra "
                  "ones to another claim or drop the least relevant.", ("diagnoses", limit))


#: The type of bill (first two digits) of a home health agency's claim of a PPS period:
#: coded for its through date when it spans a code-set change (CMS CR 7492, MLN MM7492).
HOME_HEALTH_PPS = "32"


@rule("DX_SPANS_CODE_SET_CHANGE", "H", "warning",
      "HIPAA code-set effective dates; Medicare Claims Processing Manual (claims spanning "
      "a code-set change are split)", when=["period-outpatient"])
def dx_spans_code_set_change(ctx: ClaimContext) -> Iterator[Hit]:
    """An outpatient institutional claim whose statement period spans an ICD-10-CM release
    (October 1, or an April update) carries a diagnosis that is not valid on the period's
    first day: split the claim at the release date, or code each part for its own dates.
    (Inpatient claims are coded for the discharge date; professional lines are checked on
    their own dates by the validity edits; a home health agency's claim of a PPS period,
    32x, is coded for its through date and not split: CMS CR 7492, MLN MM7492 / SE1408,
    where its Part B claims, 34x, and hospices', 81x and 82x, are. A skilled nursing
    facility's and a swing bed's inpatient claims, 21x and 18x, are split at October 1:
    Claims Processing Manual ch.6 §30, a bill for each federal fiscal year.)"""
    claim = ctx.claim
    period = claim.statement_period
    if period is None or claim.is_inpatient or claim.claim_type != "institutional" or \
            bill_class(claim.bill_type) == HOME_HEALTH_PPS:
        return
    start = period[0]
    view = icd10cm.date_view(start)
    if view is icd10cm.date_view(ctx.day):
        return
    for d in ctx.valid_dx:
        if view.resolve(d.raw) is False:
            err = view.error(d.raw, start)
            yield Hit(f"Diagnosis {d.index + 1} ({d.facts.dotted}) is valid on {ctx.day} but "
                      f"not on {start}, where the statement period starts ({err.reason}): "
                      "the period spans an ICD-10-CM release; split the claim at the release "
                      "date or code each part for its dates.", ("diagnoses", d.index),
                      (d.facts.dotted,), err.fix)


@rule("LINE_DATE_OUTSIDE_PERIOD", "H", "error",
      "NUBC UB-04 FL 6 (statement covers period) and FL 45 (line item service date); 837I "
      "2300 DTP*434 and 2400 DTP*472", when=["line-outside-period"])
def line_date_outside_period(ctx: ClaimContext) -> Iterator[Hit]:
    """A line of an institutional claim dated outside the claim's statement covers period:
    the period spans every service the claim bills, so one of the two dates is wrong (or
    the line belongs to another claim). Not the UB-04's total line (revenue code 0001,
    :func:`codekit.claims.is_total_line`), whose FL 45 holds the bill's creation date."""
    period = ctx.claim.statement_period
    if period is None:
        return
    start, end = period
    for i, line in enumerate(ctx.claim.service_lines):
        on = line.date_of_service
        if on is not None and not start <= on <= end and not is_total_line(line):
            side = "before the period starts" if on < start else "after the period ends"
            yield Hit(f"Line {line.line} is dated {on}, {side} (the statement covers "
                      f"{start} to {end}): correct the line's date or the period, or bill the "
                      "line on the claim of its date.",
                      ("service_lines", i, "date_of_service"), (line.procedure_code,)
                      if line.procedure_code else ())


RULES = (dx_missing, dx_format, dx_not_valid_on_dos, dx_seventh_missing, dx_seventh_invalid,
         dx_placeholder, dx_not_billable, dx_unknown, dx_duplicate, dx_count,
         dx_spans_code_set_change, line_date_outside_period)

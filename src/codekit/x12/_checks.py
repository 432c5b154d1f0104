"""The 837 rules pyx12's maps cannot say and codekit's edits need: what the guides' notes
and code sources say of single elements (SNIP 2: no negative charges, the NUBC formats of
the 837I facility type and revenue codes; the REF*F8 a replacement or void needs; codes
as the 837 sends them, as ``_codes`` defines them for the reader and write_837: no decimal
point in an ICD code, no leading space, upper case, an 11-digit NDC, two letters or digits
in an HI condition, occurrence, occurrence span or value code),
balancing (SNIP 3), situational rules (SNIP 4,
with a CLM01 repeated in the file) and the diagnosis code set of the qualifiers (SNIP 5).

Balancing follows the TR3s' balancing sections: the claim charge equals the sum of the
line charges; for each other payer, a line's charge less its adjustments equals what the
payer paid on it (2430 SVD02), and the claim charge less the payer's claim and line
adjustments equals what it paid on the claim (2320 AMT*D). Amounts are compared exactly
(they are decimal text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .._dates import ICD10_START
from ..claims import CORRECTIONS, REOPENING, bill_class
from ._codes import NUBC_NAMES, ndc_11, nubc, sent_as, usual
from ._engine import Problem

if TYPE_CHECKING:
    from ..claims import ServiceLine
    from ._mapper import Path, Pos, _Claim, _Level

__all__ = ["ANESTHESIA_COUNTED", "ICD10_START", "INPATIENT_BILLS", "LINE_DATE_BILLS",
           "check_claim", "code_formats", "is_anesthesia_time", "number_lines"]

#: Types of bill (first two digits) that are inpatient claims, whose admission date
#: (DTP*435) the 837I requires: hospital and SNF inpatient (Part A and Part B only), swing
#: beds, religious non-medical inpatient.
INPATIENT_BILLS = frozenset({"11", "12", "18", "21", "22", "28", "41"})
#: Types of bill on which every revenue line needs its own service date (NUBC UB-04
#: manual; X12 RFI 1435).
LINE_DATE_BILLS = frozenset({"12", "13", "14", "22", "23", "32", "33", "34", "71", "72",
                             "73", "74", "75", "76", "81", "82", "83", "85"})


#: How a claim sent before is corrected (X12 RFI 2499: not with negative charges).
_CORRECT = ("a claim sent before is corrected by a replacement (CLM05-3 7) or a void (8), "
            "not by negative amounts")


#: SV101-1 / SV202-1 qualifiers of procedure codes that are not CPT/HCPCS, and what they
#: are: codekit keeps such a code in the claim's extra and does not check it.
OTHER_CODE_SETS = {"ER": "a jurisdiction-specific code", "HP": "a HIPPS rate code",
                   "IV": "a home infusion EDI coalition code",
                   "WK": "an advanced billing concepts code"}


#: Anesthesia codes (CPT 00100-01999) whose 837P quantity is a count, not minutes: 01996
#: (daily management of an epidural or subarachnoid drug infusion: its descriptor names its
#: period) and 01953 (each further share of body surface of a burn excision, beside 01952).
ANESTHESIA_COUNTED = frozenset({"01953", "01996"})


def is_anesthesia_time(code: str) -> bool:
    """Whether an 837P line of ``code`` reports anesthesia time, in minutes (SV103 ``MJ``):
    a CPT anesthesia code (00100-01999) but those of :data:`ANESTHESIA_COUNTED`
    (005010X222A1 SV103: MJ "required for anesthesia claims"; X12 RFI 1110, 1571).

    >>> is_anesthesia_time("00840"), is_anesthesia_time("01968")
    (True, True)
    >>> is_anesthesia_time("01996"), is_anesthesia_time("99100"), is_anesthesia_time("0010T")
    (False, False, False)
    """
    return len(code) == 5 and code.isdigit() and "00100" <= code <= "01999" and \
        code not in ANESTHESIA_COUNTED




#: HI qualifiers of ICD codes: ICD-10-CM diagnoses (principal, other, admitting, reason
#: for visit, external cause), ICD-10-PCS procedures, and their ICD-9-CM forms. The TR3s'
#: HI notes: the decimal point of a diagnosis code is implied, not sent.
_ICD_QUALIFIERS = frozenset({"ABK", "ABF", "ABN", "ABJ", "APR", "BK", "BF", "BN", "BJ", "PR",
                             "BBR", "BBQ", "BR", "BQ"})


def code_formats(c: _Claim) -> list[tuple[Problem, Pos]]:
    """Where a code of the claim is not written as the 837 sends it (``_codes``, the one
    definition write_837 refuses by too): X12_CODE_FORMAT where it stands for a code
    (:func:`~codekit.x12._codes.sent_as`: a decimal point in an HI ICD code, a leading
    space, lower case; in HI ICD codes, SV101-2/SV202-2 CPT/HCPCS codes and their
    modifiers, HI BG/BH/BI/BE NUBC codes), and where a LIN03 NDC (N4) is not 11 digits
    (:func:`~codekit.x12._codes.ndc_11`), the fix the value to send where there is one;
    X12_ELEMENT_CODE_INVALID where an HI condition, occurrence, occurrence span or value
    code is not two letters or digits, the shape of every code of its NUBC list
    (:func:`~codekit.x12._codes.nubc`). (Every claim pays for it: the usual code,
    upper-case letters and digits, is let by without a call.)"""
    out: list[tuple[Problem, Pos]] = []
    for qualifier, parts, pos, ref in c.hi:
        if len(parts) < 2 or not parts[1]:
            continue
        code = parts[1]
        if qualifier in _ICD_QUALIFIERS:
            if not usual(code):
                _code_format(out, code, True, f"{ref}-2", pos, "2300")
        elif qualifier in NUBC_NAMES and not (len(code) == 2 and usual(code)):
            _nubc_code(out, qualifier, code, f"{ref}-2", pos)
    for ln in c.lines:
        code = ln.get("code") or ""
        if code and "sv" in ln and ln.get("qualifier") not in OTHER_CODE_SETS:
            el = "SV101" if ln["sv"] == "SV1" else "SV202"
            if not usual(code):
                _code_format(out, code, False, f"{el}-2", ln["sv_pos"], "2400")
            for m, at in ln["mods"]:
                if not usual(m):
                    _code_format(out, m, False, f"{el}-{at}", ln["sv_pos"], "2400")
        ndc: str | None = ln.get("ndc")
        if not ndc or (len(ndc) == 11 and ndc.isascii() and ndc.isdigit()):
            continue
        got = ndc_11(ndc)
        if got is None:
            continue
        fixed, why = got
        send = f": send {fixed}" if fixed else ""
        out.append((Problem(
            "X12_CODE_FORMAT", "error", f"LIN03 {ndc!r} is not an NDC as LIN02 N4 sends it "
            f"(the 5-4-2 format: 11 digits, no hyphens): {why}{send}", "LIN03", ndc, "2410",
            None, (ndc,), (fixed,) if fixed else ()), ln["ndc_pos"]))
    return out


def _code_format(out: list[tuple[Problem, Pos]], code: str, icd: bool, element: str,
                 pos: Pos, loop: str) -> None:
    """X12_CODE_FORMAT of ``code`` at ``element`` into ``out``, when :func:`sent_as` finds
    something wrong with it."""
    got = sent_as(code, icd)
    if got is None:
        return
    fixed, what = got
    out.append((Problem(
        "X12_CODE_FORMAT", "error", f"{element} {code!r} is not written as the 837 sends a "
        f"code: it has {' and '.join(what)}: send {fixed}", element, code, loop, None,
        (code,), (fixed,)), pos))


def _nubc_code(out: list[tuple[Problem, Pos]], qualifier: str, code: str, element: str,
               pos: Pos) -> None:
    """X12_CODE_FORMAT (a code it stands for, with the fix) or X12_ELEMENT_CODE_INVALID
    (no code of its list has its shape) of an HI condition (BG), occurrence (BH),
    occurrence span (BI) or value (BE) code at ``element`` into ``out``, when
    :func:`nubc` finds something wrong with it. The claim keeps it as sent (a condition
    code without the spaces around it, as every door's claim does)."""
    got = nubc(code)
    if got is None:
        return
    fixed, why = got
    name, plural = NUBC_NAMES[qualifier]
    if fixed is not None:
        out.append((Problem(
            "X12_CODE_FORMAT", "error", f"{element} {code!r} is not written as the 837 "
            f"sends a code: it has {why}: send {fixed}", element, code, "2300", None,
            (code,), (fixed,)), pos))
        return
    out.append((Problem(
        "X12_ELEMENT_CODE_INVALID", "error", f"({code}) is not a valid code for {name} "
        f"({element}): NUBC {plural} (code source 132) are two letters or digits, and "
        f"{why}", element, code, "2300", None, (code,)), pos))


def _money(d: Decimal) -> str:
    return f"{d:,.2f}"


def _digits(text: str, n: int) -> bool:
    """Whether ``text`` is ``n`` ASCII digits."""
    return len(text) == n and text.isascii() and text.isdigit()


def number_lines(lines: list[dict[str, Any]]) -> bool:
    """Give each 2400 line of a claim (``lines``: every LX, in order) the number codekit
    reads it as (``ln["number"]``): its LX01 when the claim's LX01s are whole numbers from
    1 to 999999 that tell its lines apart (1, 2, 3... as the guides want; out of order or
    with gaps: kept, :func:`check_claim` says it), else every line's position in the claim
    (an LX01 of 0, or not a number, or two lines of one number could not be told apart in
    a report). Whether the lines were numbered by position."""
    numbers = [ln["lx"] for ln in lines]
    by_position = any(n is None or not 0 < n <= 999_999 for n in numbers) or \
        len(set(numbers)) != len(numbers)
    for i, ln in enumerate(lines):
        ln["number"] = i + 1 if by_position else ln["lx"]
    return by_position


def _lx_sequence(lines: list[dict[str, Any]], by_position: bool,
                 line_path: Callable[..., Path]) -> list[tuple[Problem, Pos, Path]]:
    """X12_LX_SEQUENCE at each LX whose LX01 is not its position in the claim (the 837
    guides: LX01 counts 1, 2, 3... within the claim), saying the number the line is read
    as."""
    out: list[tuple[Problem, Pos, Path]] = []
    if not by_position and all(ln["lx"] == i + 1 for i, ln in enumerate(lines)):
        return out  # the usual claim
    given = ", ".join(ln["lx_text"] or "(empty)" for ln in lines[:8]) + \
        (", ..." if len(lines) > 8 else "")
    for i, ln in enumerate(lines):
        if ln["lx"] == i + 1:
            continue
        text = ln["lx_text"]
        shown = repr(text) if text else "empty"
        why = (f"the claim's LX01s ({given}) are not whole numbers from 1 to 999999, each "
               "its own, so every line is read as its position in the claim: this one as "
               f"line {ln['number']}" if by_position else
               f"the line is read as line {ln['number']}, its LX01")
        out.append((Problem(
            "X12_LX_SEQUENCE", "error",
            f"LX01 is {shown}, but this is line {i + 1} of the claim: the 2400 lines of a "
            f"claim are numbered 1, 2, 3... in order (LX01); {why}", "LX01", text or None,
            "2400"), ln["lx_pos"], line_path(ln, "line")))
    return out


def check_claim(c: _Claim, *, institutional: bool, lines: list[ServiceLine], dx: list[str],
                statement: tuple[dt.date, dt.date] | None, admission: dt.date | None,
                icd9: list[tuple[str, Pos, str]], patient_present: bool,
                subscriber: _Level, bill_type: str | None,
                line_days: list[tuple[dt.date, Pos]], dos: dt.date | None,
                first_line: int | None = None, by_position: bool = False,
                ) -> list[tuple[Problem, Pos, Path]]:
    """The findings of levels 2-5 codekit adds to a claim (see the module); ``first_line``
    is the line of an earlier claim of the file with the same CLM01; ``by_position``: the
    lines were numbered by their position (:func:`number_lines`)."""
    out: list[tuple[Problem, Pos, Path]] = []
    raw_lines = [ln for ln in c.lines if "sv" in ln]
    # the lines the claim has (an 837P line whose code is not CPT/HCPCS is not one of
    # them): a finding on one of those has the claim's path
    checked = [ln for ln in raw_lines if not ln.get("other")]
    index = {id(ln): k for k, ln in enumerate(checked)}

    def line_path(ln: dict[str, Any], *rest: str | int) -> Path:
        k = index.get(id(ln))
        return () if k is None else ("service_lines", k, *rest)

    sv = "SV203" if institutional else "SV102"
    # -- 2: what the guide's element notes and code sources say ---------------------------
    out += _lx_sequence(c.lines, by_position, line_path)
    if c.total is not None and c.total < 0:
        out.append((Problem(
            "X12_AMOUNT_NEGATIVE", "error",
            f"CLM02, the total claim charge ({c.total}), is negative: a charge is zero or "
            f"more; {_CORRECT}", "CLM02", str(c.total), "2300"), c.pos, ("total_charge",)))
    for k, ln in enumerate(raw_lines):
        charge = ln["charge"]
        if charge is not None and charge < 0:
            out.append((Problem(
                "X12_AMOUNT_NEGATIVE", "error",
                f"line {k + 1}: {sv}, the line item charge ({charge}), is negative: a "
                f"charge is zero or more; {_CORRECT}", sv, str(charge), "2400"),
                ln["sv_pos"], line_path(ln, "charge")))
    if not institutional:
        for ln in raw_lines:
            code = (ln.get("code") or "").strip()
            if ln.get("basis") == "UN" and ln.get("qualifier") in (None, "", "HC") and \
                    is_anesthesia_time(code):
                units = ln.get("units")
                out.append((Problem(
                    "X12_ANESTHESIA_NOT_MINUTES", "warning",
                    f"line {ln['number']}: {code} is an anesthesia service sent in units "
                    f"(SV103 UN, SV104 {units}): an 837P reports anesthesia time in minutes, "
                    "SV103 MJ with the minutes in SV104 (005010X222A1 SV103: MJ is required "
                    "for anesthesia claims; X12 RFI 1571); codekit reads the line as "
                    f"{units} units of service", "SV103", "UN", "2400"),
                    ln["sv_pos"], line_path(ln, "units")))
    if institutional:
        # (longer than 2 is pyx12's X12_ELEMENT_LENGTH)
        if c.facility and len(c.facility) <= 2 and not _digits(c.facility, 2):
            out.append((Problem(
                "X12_ELEMENT_CODE_INVALID", "error",
                f"({c.facility}) is not a valid code for Facility Type Code (CLM05-1): it is "
                "the first two digits of the type of bill (NUBC; code source 236)",
                "CLM05-1", c.facility, "2300"), c.pos, ("bill_type",)))
        for k, ln in enumerate(raw_lines):
            rev = ln.get("revenue")
            if rev and not _digits(rev, 4):
                hint = f" (0{rev}?)" if _digits(rev, 3) else ""
                out.append((Problem(
                    "X12_ELEMENT_CODE_INVALID", "error",
                    f"({rev}) is not a valid code for Service Line Revenue Code (SV201) on "
                    f"line {k + 1}: NUBC revenue codes (code source 132) are four digits"
                    f"{hint}", "SV201", rev, "2400"), ln["sv_pos"],
                    ("service_lines", k, "revenue_code")))
            if ln.get("sv") == "SV2" and str(ln.get("code") or "").strip() and \
                    not ln.get("qualifier"):
                # SV202-1 is required when SV202 is sent; pyx12 does not say an empty
                # one (SV2*0730*:93005), which would otherwise pass as HC without a word
                out.append((Problem(
                    "X12_ELEMENT_MISSING", "error",
                    f'Mandatory data element "Product or Service ID Qualifier" (SV202-01) '
                    f"is missing on line {ln['number']}: {ln['code']} is sent without its "
                    "code set (HC for CPT/HCPCS); codekit reads it as CPT/HCPCS", "SV202-1",
                    "", "2400"), ln["sv_pos"], line_path(ln, "procedure_code")))
    if first_line is not None:
        out.append((Problem(
            "X12_CLAIM_ID_DUPLICATE", "warning",
            f"CLM01 {c.claim_id!r} is also the claim ID of the claim at line {first_line} of "
            "this file: the 835 and 277 answer a claim by its CLM01, so two claims with one "
            "ID cannot be told apart (a claim sent twice?)", "CLM01", c.claim_id, "2300"),
            c.pos, ("claim_id",)))
    # -- 3: balancing --------------------------------------------------------------------
    charges = [ln["charge"] for ln in raw_lines]
    if c.total is not None and raw_lines and all(ch is not None for ch in charges):
        total = sum(charges, Decimal(0))
        if total != c.total:
            out.append((Problem(
                "X12_CLAIM_TOTAL_MISMATCH", "error",
                f"CLM02 total charge {_money(c.total)} does not equal the sum of the "
                f"{len(raw_lines)} line charge(s) ({sv}), {_money(total)}: the claim must "
                "balance", "CLM02", str(c.total), "2300"), c.pos, ("total_charge",)))
    for k, ln in enumerate(raw_lines):
        charge = ln["charge"]
        for adj in ln["adjudications"]:
            if charge is None or adj["paid"] is None:
                continue
            expected = charge - adj["cas"]
            if expected != adj["paid"]:
                out.append((Problem(
                    "X12_LINE_ADJUDICATION_MISMATCH", "error",
                    f"line {k + 1}: the charge {_money(charge)} less the line adjustments "
                    f"(CAS) {_money(adj['cas'])} of payer {adj['payer'] or '?'} is "
                    f"{_money(expected)}, but SVD02 says it paid {_money(adj['paid'])}",
                    "SVD02", str(adj["paid"]), "2430"), adj["pos"],
                    line_path(ln, "charge")))
    for other in c.cob:
        paid = other.get("paid")
        if paid is None or c.total is None:
            continue
        payer = other.get("payer")
        line_adj = Decimal(0)
        line_paid = Decimal(0)
        any_line = False
        for ln in raw_lines:
            for adj in ln["adjudications"]:
                if payer and adj["payer"] == payer:
                    any_line = True
                    line_adj += adj["cas"]
                    line_paid += adj["paid"] or 0
        expected = c.total - other["cas"] - line_adj
        if expected != paid:
            detail = (f"; its lines (2430 SVD02) paid {_money(line_paid)}" if any_line
                      else "")
            out.append((Problem(
                "X12_PAYER_PAID_MISMATCH", "error",
                f"other payer {payer or '?'}: the claim charge {_money(c.total)} less its "
                f"claim adjustments {_money(other['cas'])} and line adjustments "
                f"{_money(line_adj)} is {_money(expected)}, but AMT*D says it paid "
                f"{_money(paid)}{detail}", "AMT02", str(paid), "2320"),
                other["paid_pos"], ("total_charge",)))
    # -- 4: situational rules ------------------------------------------------------------
    tob2 = bill_class(bill_type)
    if institutional and tob2 in INPATIENT_BILLS and admission is None:
        out.append((Problem(
            "X12_ADMISSION_DATE_MISSING", "error",
            f"type of bill {bill_type} is an inpatient claim: the admission date (2300 "
            "DTP*435) is required", "", None, "2300"), c.pos, ("admission_date",)))
    if c.frequency in CORRECTIONS and c.original is None:
        out.append((Problem(
            "X12_SEGMENT_MISSING", "error",
            f"CLM05-3 is {c.frequency!r} ({CORRECTIONS[c.frequency]} of a claim sent "
            "before): the payer's claim control number of the claim it corrects (2300 "
            "REF*F8) is required, so the payer can find that claim", "CLM05-3",
            c.frequency, "2300", "REF"), c.pos, ("frequency_code",)))
    if c.frequency and c.frequency not in CORRECTIONS and c.frequency != REOPENING \
            and c.original is not None:
        # the TR3s' 2300 REF*F8: "Required when CLM05-3 ... indicates this claim is a
        # replacement or void ... If not required by this implementation guide, do not
        # send" (X12 RFI 2110: not on a type of bill xx1; RFI 2173: a reopening, Q, may
        # send it)
        out.append((Problem(
            "X12_SEGMENT_NOT_USED", "error",
            f"REF*F8 names a claim this one corrects ({c.original!r}), but CLM05-3 is "
            f"{c.frequency!r}, neither a replacement (7) nor a void (8): the payer's claim "
            "control number is sent on those only (if not required, do not send), and a "
            "payer may read this claim as a correction of that one", "REF02", c.original,
            "2300"), c.paths[("corrected_claim_id",)][0], ("corrected_claim_id",)))
    through = statement[1] if statement is not None else None
    if admission is not None and through is not None and admission > through:
        out.append((Problem(
            "X12_ADMISSION_AFTER_DISCHARGE", "error",
            f"the admission date (2300 DTP*435) {admission} is after the statement period's "
            f"end (2300 DTP*434) {through}: a stay cannot end before it starts", "DTP03",
            admission.strftime("%Y%m%d"), "2300"), c.pos, ("admission_date",)))
    if institutional and tob2 in LINE_DATE_BILLS:
        for k, ln in enumerate(raw_lines):
            if not ln.get("date"):
                out.append((Problem(
                    "X12_SERVICE_DATE_MISSING", "error",
                    f"line {k + 1} (revenue code {ln.get('revenue') or '?'}) has no service "
                    f"date (2400 DTP*472): type of bill {bill_type} needs one on every line",
                    "", None, "2400"), ln["sv_pos"], ("service_lines", k, "date_of_service")))
    if dos is None:
        where = ("2300 DTP*434 statement period or 2400 DTP*472" if institutional else
                 "2400 DTP*472 on its lines")
        out.append((Problem(
            "X12_SERVICE_DATE_MISSING", "error",
            f"the claim has no valid service date anywhere ({where}): its codes cannot be "
            "checked for a date", "", None, "2300"), c.pos, ("date_of_service",)))
    sub = subscriber.data
    relationship = sub.get("sbr02") or ""
    if not patient_present and relationship != "18":
        out.append((Problem(
            "X12_PATIENT_MISSING", "error",
            "the subscriber is not the patient (SBR02 is "
            f"{relationship or 'empty'}, not 18) and there is no patient loop (2000C): the "
            "patient's sex and birth date are unknown", "SBR02", relationship or None,
            "2000B"), subscriber.pos.get("sbr", (c.pos, ""))[0], ("patient",)))
    elif not patient_present and "dmg" not in subscriber.pos:
        out.append((Problem(
            "X12_PATIENT_MISSING", "error",
            "the subscriber is the patient but 2010BA has no DMG segment: the patient's sex "
            "and birth date are unknown", "", None, "2010BA"),
            subscriber.pos.get("person", (c.pos, ""))[0], ("patient",)))
    if not institutional:
        blank = {i + 1 for i, code in enumerate(dx) if not code.strip()}
        for k, line in enumerate(lines):
            at = checked[k].get("pointer_at") or []
            for j, p in enumerate(line.diagnosis_pointers):
                if p in blank:
                    element = f"SV107-{at[j] if j < len(at) else j + 1}"
                    out.append((Problem(
                        "X12_POINTER_NOT_DIAGNOSIS", "error",
                        f"line {line.line}: pointer {p} ({element}) points at HI{p:02d}, "
                        "which holds no diagnosis code", element, str(p), "2400"),
                        checked[k]["sv_pos"], ("service_lines", k, "diagnosis_pointers", j)))
    # -- 5: procedure codes of other code sets (kept, not checked) ----------------------
    for ln in raw_lines:
        qualifier = ln.get("qualifier")
        if qualifier in OTHER_CODE_SETS and ln.get("code"):
            element = "SV101" if ln["sv"] == "SV1" else "SV202"
            out.append((Problem(
                "X12_PROCEDURE_CODE_SET", "info",
                f"line {ln['number']}: {element}-1 {qualifier} "
                f"({OTHER_CODE_SETS[qualifier]}): {ln['code']} is not a CPT/HCPCS code; "
                "codekit does not check it (it is kept in the claim's extra, "
                "x12_other_procedure_codes)", f"{element}-1", qualifier, "2400"),
                ln["sv_pos"], line_path(ln)))
    # -- 5: the diagnosis code set -------------------------------------------------------
    if icd9:
        quals = sorted({q for q, _, _ in icd9})
        first = icd9[0]
        if dos is not None and dos >= ICD10_START:
            out.append((Problem(
                "X12_DX_CODE_SET", "error",
                f"HI qualifier(s) {', '.join(quals)} mark ICD-9-CM codes, but the services are "
                f"on or after {ICD10_START} (date of service {dos}): use ICD-10-CM (ABK, ABF, "
                "ABJ, APR, ABN; BBR, BBQ for procedures)", f"{first[2]}-1", first[0], "2300"),
                first[1], ("diagnoses",)))
        else:
            out.append((Problem(
                "X12_DX_CODE_SET", "warning",
                f"HI qualifier(s) {', '.join(quals)} mark ICD-9-CM codes (services before "
                f"{ICD10_START}): codekit checks ICD-10-CM, so its diagnosis findings on "
                "them do not apply", f"{first[2]}-1", first[0], "2300"), first[1],
                ("diagnoses",)))
    return out

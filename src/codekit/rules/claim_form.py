"""Group D: a claim's own consistency, as a claim scrubber checks it before the claim is
sent: its charges, and the claim a replacement or void corrects.

- ``CLAIM_TOTAL_MISMATCH``: the total charge is not the sum of the lines' charges (837P
  and 837I CLM02 balanced against SV102 / SV203; CMS-1500 item 28 against the lines' 24F;
  UB-04 FL 47, the 0001 total line). Judged only when the total and every line's charge
  are given: a claim checked for its coding before it is priced carries no charges, and a
  total given without the lines' charges (or a line left uncharged) cannot be balanced. A
  UB-04's total line (revenue code 0001), which states the total, is not added.
- ``CHARGE_NEGATIVE``: a negative total or line charge (a charge is zero or more; X12 RFI
  2499: a claim sent before is corrected by a replacement or a void, not by negative
  amounts). A $0.00 line (a quality-data code, 3074F) is a charge of zero, and right.
- ``CLAIM_FREQUENCY_INVALID``: a professional claim's frequency other than 1, 7 or 8
  (837P CLM05-3; CMS-1500 item 22), or an institutional claim's ``frequency_code`` other
  than its type of bill's last character (UB-04 FL 4; the 837I's CLM05-3 is both).
- ``CORRECTED_CLAIM_ID_MISSING`` / ``CORRECTED_CLAIM_ID_UNEXPECTED``: a replacement (claim
  frequency 7) or void (8) that does not name the payer's claim control number of the
  claim it corrects (``corrected_claim_id``: 837 2300 REF*F8, FHIR ``related`` prior),
  and a claim that names one but is neither (the TR3s' REF*F8: required on a replacement
  or void; "if not required by this implementation guide, do not send"; X12 RFI 2110),
  but a reopening (frequency Q), which may name it (X12 RFI 2173).
  The frequency is an institutional claim's type of bill's last digit (UB-04 FL 4), else
  ``frequency_code`` (837P CLM05-3; CMS-1500 item 22); none given is an original claim.
- ``LINE_ID_DUPLICATE``: a line's ``line_id`` (837 REF*6R) that an earlier line has (the
  TR3: unique within the claim, for the remittance to match its lines).
- ``LINE_DUPLICATE`` (a warning): a line that repeats an earlier line exactly (code,
  modifiers, date, units, place of service, provider, revenue code, NDC, charge), which
  Medicare's duplicate edits deny since CMS CR 8121 unless a modifier says the service was
  repeated (76, 77, 91).

The 837 front door judges the same from the 837 itself (``X12_CLAIM_TOTAL_MISMATCH``,
``X12_AMOUNT_NEGATIVE``, ``X12_SEGMENT_MISSING`` and ``X12_SEGMENT_NOT_USED`` at CLM02,
SV102/SV203, CLM05-3 and REF*F8, counting lines no claim carries: an 837P line of
another code set, SV101-1 ER, IV, WK), so an 837's report says each once, at its
element (the X12 door leaves these four out of an 837 claim's report); every other door
(a claim dict or JSON line, the command line, a FHIR Claim, a pandas or Spark row) gets
these findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from ..claims import CORRECTIONS, REOPENING, is_total_line
from ..findings import Hit
from ..modifiers import PLACEMENT, level2_kind
from ..procedure import is_em_or_telemedicine
from .context import ClaimContext, LineInfo, is_quality_data
from .engine import rule
from .ncci_edits import INITIAL_ADMIN, repair_group

if TYPE_CHECKING:
    from ..claims import Claim

__all__ = ["PROFESSIONAL_FREQUENCIES", "REPEAT_MODIFIERS", "RULES", "frequency_of"]


def frequency_of(claim: Claim) -> tuple[str | None, tuple[str]]:
    """The claim frequency code of ``claim`` and where it is said: an institutional
    claim's type of bill's last digit (UB-04 FL 4; the 837I sends it as CLM05-3), else
    ``frequency_code`` (837P CLM05-3), without the spaces around it; None when neither is
    given (an original claim).

    >>> from codekit import Claim
    >>> c = Claim.from_dict({"claim_type": "institutional", "bill_type": "0137",
    ...     "patient": {"sex": "F", "age": 70}, "date_of_service": "2025-11-03",
    ...     "diagnoses": ["I10"], "service_lines": []})
    >>> frequency_of(c)
    ('7', ('bill_type',))
    """
    bill = claim.bill_type
    if claim.claim_type == "institutional" and bill is not None and bill.strip():
        return bill.strip()[-1], ("bill_type",)
    given = (claim.frequency_code or "").strip()
    return (given or None), ("frequency_code",)


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


@rule("CLAIM_TOTAL_MISMATCH", "D", "error",
      "837P/837I TR3 CLM02 (total claim charge: the sum of the service lines' charges, "
      "SV102 / SV203); CMS-1500 item 28 (the total of all charges in item 24F: NUCC and "
      "Claims Processing Manual ch.26); UB-04 FL 47 (total charges, revenue code 0001)",
      when=["charges", "lines"])
def claim_total_mismatch(ctx: ClaimContext) -> Iterator[Hit]:
    """The claim's total charge is not the sum of its lines' charges, compared exactly (as
    decimals: 33.33 three times is 99.99, not 100.00). Judged when the total and every
    line's charge are given. A UB-04's total line (revenue code 0001, :func:`is_total_line`),
    which a claim read from the form may carry, states the total and is not added."""
    claim = ctx.claim
    total = claim.total_charge
    lines = claim.service_lines
    if total is None or not lines:
        return
    summed = Decimal(0)
    n = 0
    for ln in lines:
        if is_total_line(ln):
            continue  # the UB-04's total line states the total: not a charge to add
        if ln.charge is None:
            return  # a line without its charge: the claim cannot be balanced
        summed += ln.charge
        n += 1
    if n and summed != total:
        yield Hit(f"The total charge {_money(total)} is not the sum of the {n} line "
                  f"charge{'s' if n > 1 else ''}, {_money(summed)}: correct the total or the "
                  "line charge that is wrong (the claim must balance).", ("total_charge",))


@rule("CHARGE_NEGATIVE", "D", "error",
      "837P/837I TR3 CLM02, SV102, SV203 (charges, zero or more); X12 RFI 2499 (no "
      "negative charges: a claim is corrected by a replacement or void, CLM05-3 7 or 8); "
      "NUCC 1500 items 24F and 28 (negative dollar amounts are not allowed)",
      when=["charges"])
def charge_negative(ctx: ClaimContext) -> Iterator[Hit]:
    """The total charge or a line's charge is negative. A charge is zero or more (a $0.00
    line is right); a claim sent before is corrected by a replacement or a void, not by
    negative amounts."""
    claim = ctx.claim
    how = "a claim sent before is corrected by a replacement (frequency 7) or a void (8), " \
          "not by negative amounts"
    if claim.total_charge is not None and claim.total_charge < 0:
        yield Hit(f"The total charge ({claim.total_charge}) is negative: a charge is zero or "
                  f"more; {how}.", ("total_charge",))
    for i, ln in enumerate(claim.service_lines):
        if ln.charge is not None and ln.charge < 0:
            yield Hit(f"Line {ln.line}: the charge ({ln.charge}) is negative: a charge is zero "
                      f"or more; {how}.", ("service_lines", i, "charge"),
                      (ln.procedure_code,) if ln.procedure_code else ())


#: The claim frequency codes of a professional claim (837P CLM05-3; CMS-1500 item 22, the
#: resubmission code): an original claim, and the two that correct one sent before. The
#: others (interim bills 2-4, late charges 5, a reopening Q...) are an institutional
#: claim's, the last character of its type of bill (UB-04 FL 4).
PROFESSIONAL_FREQUENCIES = {"1": "an original claim", **CORRECTIONS}


@rule("CLAIM_FREQUENCY_INVALID", "D", "error",
      "837P TR3 CLM05-3 (claim frequency type code: 1 original, 7 replacement, 8 void); "
      "NUCC 1500 reference instruction manual and Claims Processing Manual ch.26 item 22 "
      "(resubmission code 7 or 8); UB-04 FL 4 and 837I CLM05-1/CLM05-3 (an institutional "
      "claim's frequency is its type of bill's last character)", when=["correction"])
def claim_frequency_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """The claim's ``frequency_code`` is not one its claim type takes: on a professional
    claim, other than 1 (original), 7 (replacement) or 8 (void)
    (:data:`PROFESSIONAL_FREQUENCIES`: ``"Q"``, ``"9"``, ``"5"``); on an institutional
    claim with a type of bill, other than the type of bill's last character, which is
    the frequency codekit reads (:func:`frequency_of`) and the 837I sends (CLM05-3 is
    both): the two say different claims (``bill_type`` 131, an original, with
    ``frequency_code`` 7). An institutional claim's frequency letters and digits
    themselves are not judged (the I/OCE takes any, ``BILL_TYPE_INVALID``)."""
    claim = ctx.claim
    given = (claim.frequency_code or "").strip()
    if not given:
        return
    if claim.claim_type == "institutional":
        bill = (claim.bill_type or "").strip()
        if bill and bill[-1] != given:
            yield Hit(f"The claim frequency code {given!r} is not the last character of the "
                      f"type of bill {bill} ({bill[-1]!r}), which is an institutional "
                      "claim's frequency (UB-04 FL 4; the 837I's CLM05-3 is both) and the one "
                      "read: give the type of bill whose last character is the frequency "
                      "meant, or leave frequency_code out.", ("frequency_code",))
        return
    if given not in PROFESSIONAL_FREQUENCIES:
        other = (" (Q, a reopening, is an institutional claim's type of bill xxQ)"
                 if given == REOPENING else "")
        yield Hit(f"The claim frequency code {given!r} is not one a professional claim takes: "
                  "1 (an original claim), 7 (a replacement) or 8 (a void of a claim sent "
                  f"before) (837P CLM05-3; CMS-1500 item 22){other}: give the frequency "
                  "of the claim.", ("frequency_code",))


@rule("CORRECTED_CLAIM_ID_MISSING", "D", "error",
      "837P/837I TR3 2300 REF*F8 (payer claim control number: required when CLM05-3 is 7 "
      "or 8); CMS-1500 item 22 (resubmission code and original reference number); UB-04 "
      "FL 64 (document control number)", when=["correction"])
def corrected_claim_id_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A replacement (frequency 7) or void (8) that does not name the payer's claim control
    number of the claim it corrects (``corrected_claim_id``): the payer cannot find the
    claim to replace or void."""
    claim = ctx.claim
    frequency, where = frequency_of(claim)
    if frequency in CORRECTIONS and not (claim.corrected_claim_id or "").strip():
        yield Hit(f"The claim frequency is {frequency} ({CORRECTIONS[frequency]} of a claim "
                  "sent before) but the claim does not name the payer's claim control number "
                  "of the claim it corrects (corrected_claim_id; 837 REF*F8): give it, so the "
                  "payer can find that claim.", where)


@rule("CORRECTED_CLAIM_ID_UNEXPECTED", "D", "error",
      "837P/837I TR3 2300 REF*F8 (sent on a replacement or void only: if not required, do "
      "not send); X12 RFI 2110", when=["correction"])
def corrected_claim_id_unexpected(ctx: ClaimContext) -> Iterator[Hit]:
    """The claim names a claim it corrects (``corrected_claim_id``) but is neither a
    replacement (7) nor a void (8): an original claim (frequency 1, or none given) or
    another frequency. A payer may read it as a correction of that claim. A reopening
    (frequency Q, :data:`REOPENING`) may name the claim it reopens (X12 RFI 2173)."""
    claim = ctx.claim
    given = claim.corrected_claim_id
    if given is None or not given.strip():
        return
    frequency, _ = frequency_of(claim)
    if frequency not in CORRECTIONS and frequency != REOPENING:
        # not given: the 837 then sends 1, an original claim; a FHIR Claim's related
        # "prior" says a claim sent before, not whether this one replaces or voids it
        what = f"is {frequency}" if frequency else \
            "is not given (an 837 sends 1, an original claim, then)"
        yield Hit(f"The claim names {given.strip()!r} as the claim it corrects, but its "
                  f"frequency {what}, neither a replacement (7) nor a void (8): the claim "
                  "control number is sent on those only; leave corrected_claim_id out, or "
                  "give the frequency of the correction.", ("corrected_claim_id",))


@rule("LINE_ID_DUPLICATE", "D", "error",
      "837P/837I TR3 2400 REF*6R (line item control number), note 1: unique within a "
      "patient control number, CLM01 (X12 RFI 1917); 835 2110 REF*6R returns it",
      when=["line-ids"])
def line_id_duplicate(ctx: ClaimContext) -> Iterator[Hit]:
    """A line whose ``line_id`` (837 2400 REF*6R, the line item control number; FHIR
    ``item`` line id) is that of an earlier line of the claim, compared as written (X12:
    leading spaces are significant in an AN element, RFI 2224). The TR3 asks it unique
    within the claim (CLM01): the payer returns it on each line of the remittance (835
    2110 REF*6R) for the provider to match payments to lines, which two lines of one id
    defeat."""
    seen: dict[str, int] = {}
    for i, ln in enumerate(ctx.claim.service_lines):
        given = ln.line_id
        if given is None:
            continue
        first = seen.setdefault(given, i)
        if first != i:
            earlier = ctx.claim.service_lines[first].line
            yield Hit(f"Line {ln.line}: its line id {given!r} (837 REF*6R, the line item "
                      f"control number) is also that of line {earlier}: "
                      "each line of a claim has an id of its own, which the payer returns on "
                      "the remittance (835 REF*6R) to match its payment to the line; give this "
                      "line another id.", ("service_lines", i, "line_id"))


#: The modifiers that say a service was repeated on its date (CPT Appendix A: 76 repeat
#: procedure or service by the same practitioner, 77 by another, 91 repeat clinical
#: diagnostic laboratory test), which the duplicate edits accept on a second line.
REPEAT_MODIFIERS = frozenset({"76", "77", "91"})
#: Where 91 (repeat clinical diagnostic laboratory test) belongs: a laboratory code.
_LAB_REPEAT = PLACEMENT["91"]


def _same_service(ctx: ClaimContext, ln: LineInfo) -> tuple[object, ...]:
    """What makes two lines the same service: everything a line says but its pointers and
    its ids (a duplicate is the same service billed twice, whatever diagnosis it names)."""
    line = ln.line
    claim = ctx.claim
    # (an institutional claim has no place of service, UB-04 and 837I: one given, which
    # a FHIR item's location may be, does not tell two of its lines apart)
    pos = None if claim.claim_type == "institutional" else \
        line.place_of_service or claim.place_of_service
    return (ln.code or line.procedure_code, tuple(sorted(ln.modifiers)), ln.day, line.units,
            pos, line.rendering_provider, line.revenue_code, line.ndc, line.charge)


@rule("LINE_DUPLICATE", "D", "warning",
      "CMS CR 8121 (MLN Matters MM8121, 2013-07-01: the duplicate edits compare the lines "
      "of the same claim; exact duplicates are denied, CARC 18); CPT Appendix A (modifiers "
      "76, 77, 91)", when=["lines-repeat"])
def line_duplicate(ctx: ClaimContext) -> Iterator[Hit]:
    """A line that is an exact duplicate of an earlier line of the claim: the same code,
    modifiers, date, units, place of service, rendering provider, revenue code, NDC and
    charge (its pointers may differ). Medicare's duplicate edits deny such a line since
    CMS CR 8121 (2013-07-01: they compare the lines of the same claim), unless a modifier
    says the service was repeated. A service done again that day is billed as one line of
    more units where the code allows, or with the modifier that says it was repeated (76,
    77, or 91 for a laboratory test: the ``fix``; an E/M visit takes neither, and is
    billed once a date; a quality-data code, no service, is reported once; an initial drug
    administration service, :data:`~codekit.rules.ncci_edits.INITIAL_ADMIN`, is reported
    once a date and another drug's after it with its sequential code, the ``fix``, or
    with 59 or XU at a separate IV site; a drug's doses
    are its units, :func:`codekit.modifiers.level2_kind`; wound repairs of one group are
    summed into one code, :func:`~codekit.rules.ncci_edits.repair_group`); lines with no
    procedure code (a revenue code alone) are not judged. ``MUE_EXCEEDED``,
    ``BILATERAL_REPEATED`` and ``MOD_AMBULANCE_TRIP_MISSING`` replace it on their line.
    Located at the line's modifiers when the fix adds one, else at its procedure code
    (the line goes, or its count becomes the units of one line)."""
    first: dict[tuple[object, ...], LineInfo] = {}
    for ln in ctx.lines:
        if not ln.line.procedure_code:
            continue
        key = _same_service(ctx, ln)
        other = first.setdefault(key, ln)
        if other is ln:
            continue
        code = ln.code or ln.line.procedure_code
        lab = ln.entry is not None and _LAB_REPEAT.takes(ln.entry.section, code)
        fix: tuple[str, ...] = ("91",) if lab else ("76", "77")
        repeated = REPEAT_MODIFIERS.intersection(ln.modifiers)
        if is_em_or_telemedicine(code):  # 76/77 are no E/M modifiers (CPT Appendix A)
            how = ("a practitioner's visits of one date are one E/M visit (Claims "
                   "Processing Manual ch.12 §30.6.7: the day's visits billed once, at the "
                   "level of their combined work, but for unrelated problems that could not "
                   "be handled at one encounter): remove the line")
            fix = ()
        elif is_quality_data(ln):  # no service to repeat: a measure's action, reported once
            how = ("a quality-data code reports a quality measure's action for the visit, "
                   "once: remove the line")
            fix = ()
        elif repair_group(code) is not None:  # (MUE_EXCEEDED says it, with the MUE table)
            how = ("repairs of one classification and anatomic group are reported once, with "
                   "the code of the wounds' summed length (CPT repair guidelines, multiple "
                   "wounds): add the lengths and bill the code of the total, 1 unit, on one "
                   "line")
            fix = ()
        elif code in INITIAL_ADMIN:  # 76/77 do not make a second initial service
            kind, _, seq = INITIAL_ADMIN[code]
            how = (f"{code} is an initial drug administration service ({kind}), reported once "
                   "a date, or an encounter for a hospital (CPT's drug administration "
                   "guidelines; NCCI Policy Manual ch.XI): bill another drug's "
                   f"administration after it as {seq} in place of this line, and more time of "
                   "the same one as its additional-hour code; a second initial service only "
                   "if a separate IV site was required, with 59 or XU on this line; if it "
                   "was billed twice by mistake, remove the line")
            fix = (seq,)
        elif ln.entry is not None and level2_kind(code, ln.entry.status_indicator) == "drug":
            how = ("a drug's doses are the units of its line (76 and 77 say a repeated "
                   "procedure or service): bill the doses given that day as the units of one "
                   "line; if it was billed twice by mistake, remove the line")
            fix = ()
        elif repeated:
            how = (f"it already carries {', '.join(sorted(repeated))}: a third instance is "
                   "denied as a duplicate all the same; bill the instances as the units "
                   "of one line where the code allows, or as the payer asks (the number of "
                   "times in the line's note, 837 NTE)")
            fix = ()
        else:
            how = ("if it was done again that day, bill it as one line of more units where "
                   f"the code allows, or add {' or '.join(fix)} ("
                   + ("repeat clinical laboratory test" if lab else
                      "repeat procedure by the same practitioner, or by another")
                   + ") to this line; if it was billed twice by mistake, remove the line")
        # at the modifiers when the fix adds one (837 SV101-3); else the line itself goes,
        # its count becomes units, or its code is another (an initial administration's
        # sequential code): at its code (SV101-2), as the edits that say remove it
        at = "modifiers" if fix and code not in INITIAL_ADMIN else "procedure_code"
        yield Hit(f"Line {ln.line.line} ({code}) is an exact duplicate of line "
                  f"{other.line.line} (the same code, modifiers, date, units, place of "
                  "service, provider and charge), which payers deny as a duplicate "
                  f"(Medicare since CMS CR 8121, CARC 18); {how}.",
                  ("service_lines", ln.index, at), (code,), fix)


RULES = (claim_total_mismatch, charge_negative, claim_frequency_invalid,
         corrected_claim_id_missing, corrected_claim_id_unexpected, line_id_duplicate,
         line_duplicate)

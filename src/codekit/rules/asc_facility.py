"""Groups D and E: an ambulatory surgical center's facility claim, and the facilities'
modifiers 73 and 74 on a physician's claim.

An ambulatory surgical center (ASC) bills Medicare its facility fee on the 837P (Form
CMS-1500) with place of service 24 (Claims Processing Manual ch.14 §50), as the surgeon
who operated there bills his own service: nothing in the codes tells one claim from the
other. ``Claim.asc_facility`` says it (true: the ASC's facility claim; false: not an
ASC's; None: not known), set by the sender or read from an 837P whose billing provider's
taxonomy (2000A ``PRV*BI``) is :data:`codekit.claims.ASC_TAXONOMY`.

- ``PROC_NOT_ASC_FACILITY_SERVICE``: an anesthesia code (CPT 00100-01999) or an E/M visit
  on an ASC's facility claim, under a profile with the option ``asc_edits``
  (``medicare-professional``): neither is an ASC facility service (ch.14 §10; 42 CFR
  416.164(a)(13)-(14) packages only the anesthesia materials and the surgeon's
  supervision of an anesthetist into the ASC's payment; the ASC is paid for covered
  surgical procedures, 416.166, and covered ancillary services, 416.164(b)): the
  anesthesiologist, CRNA or physician bills it on a claim of their own.
- ``MOD_73_74_PROFESSIONAL``: modifier 73 or 74 on a professional claim that is not an
  ASC's: those are the facility's modifiers for a discontinued procedure (hospital
  outpatient, ch.4 §20.6.4; ASC, ch.14 §40.4); the physician reports 53.
- ``MOD_53_FACILITY`` (``modifier_edits``) judges 53 on an ASC's facility claim too, on
  the 837P and on the 837I.

An ASC that bills on the 837I (other payers take its facility claim so) says what it is by
its type of bill, 83x (``Claim.is_asc_facility``). That claim goes where its payer sends
institutional claims (Medicare's: ``medicare-outpatient``, whose I/OCE edits 83x as a
hospital outpatient department's bill); the two edits here are the 837P's: on the 837I
the I/OCE takes anesthesia and visit codes, and 73 and 74 are right.

The ASC covered procedures list (the ASC payment system's addendum AA) is not shipped:
no edit says that a code is not payable in an ASC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import procedure
from ..findings import Hit
from .context import ClaimContext, is_anesthesia_line
from .engine import rule

__all__ = ["ASC_POS", "FACILITY_MODIFIERS", "RULES"]

#: The CMS place of service code of an ambulatory surgical center.
ASC_POS = "24"
#: The modifiers of a procedure a facility (hospital outpatient department, ASC)
#: discontinued before (73) or after (74) anesthesia: the physician's is 53.
FACILITY_MODIFIERS = ("73", "74")


@rule("PROC_NOT_ASC_FACILITY_SERVICE", "D", "error",
      "Claims Processing Manual ch.14 §10 (ASC facility services; services furnished in "
      "an ASC that are not ASC facility services); 42 CFR 416.164 (the scope of ASC "
      "services: the anesthesia materials and the surgeon's supervision of an "
      "anesthetist, not the anesthesia service; covered ancillary services) and 416.166 "
      "(covered surgical procedures)",
      when=["asc-facility"], options=["asc_edits"],
      supersedes=["MOD_ANESTHESIA_PAYMENT_MISSING", "MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING",
                  "PROC_ANESTHESIA_MULTIPLE", "EM_MINOR_PROC_NO_MOD25",
                  "EM_PLACE_OF_SERVICE_MISMATCH"])
def not_asc_facility_service(ctx: ClaimContext) -> Iterable[Hit]:
    """Under a profile with the option ``asc_edits`` (``medicare-professional``), on an
    ambulatory surgical center's facility claim (``Claim.asc_facility`` true), a valid
    line of a practitioner's service the ASC is not paid for: an anesthesia code (CPT
    00100-01999, the add-on codes and 01996 among them: the anesthesiologist's or CRNA's,
    on a claim of their own) or an evaluation and management visit
    (``procedure.is_em``: the physician's). The line is to be removed (no ``fix``); the
    finding replaces the anesthesia modifier, E/M modifier 25 and E/M place of service
    findings of the same line."""
    claim = ctx.claim
    if claim.claim_type == "institutional" or not claim.asc_facility:
        return ()
    return _not_asc_facility_service(ctx)


def _not_asc_facility_service(ctx: ClaimContext) -> Iterator[Hit]:
    for ln in ctx.valid_lines:
        if is_anesthesia_line(ln):
            yield Hit(f"Line {ln.line.line}: {ln.code} is an anesthesia service, which is not "
                      "an ambulatory surgical center's facility service (the ASC's payment "
                      "covers only the anesthesia materials and the surgeon's supervision "
                      "of an anesthetist): the anesthesiologist or CRNA bills it on a claim "
                      "of their own; remove the line from the ASC's claim.",
                      ("service_lines", ln.index, "procedure_code"), (ln.code or "",))
        elif procedure.is_em(ln.code):
            yield Hit(f"Line {ln.line.line}: {ln.code} is an evaluation and management "
                      "visit, a physician's service, not an ambulatory surgical center's "
                      "facility service (the ASC is paid for covered surgical procedures and "
                      "their covered ancillary services): the physician bills it on a claim "
                      "of his own; remove the line from the ASC's claim.",
                      ("service_lines", ln.index, "procedure_code"), (ln.code or "",))


@rule("MOD_73_74_PROFESSIONAL", "E", "warning",
      "Claims Processing Manual ch.4 §20.6.4 and ch.14 §40.4 (73 and 74: a procedure a "
      "hospital outpatient department or an ASC discontinued); CMS program memorandum "
      "AB-03-114 (an interrupted colonoscopy: 53 on the professional claim, 73 or 74 on "
      "the facility's); CPT modifiers 53, 73, 74",
      when=["mods-73-74"])
def mod_73_74_professional(ctx: ClaimContext) -> Iterable[Hit]:
    """On a professional claim that is not an ambulatory surgical center's facility claim,
    modifier 73 or 74 on a line: they are the facility's modifiers for a procedure
    discontinued before or after anesthesia; the physician reports 53. A claim is not an
    ASC's when ``Claim.asc_facility`` is false, or, when it is not known, when the line's
    place of service (else the claim's) is not 24 (ASC): at 24 with ``asc_facility``
    unknown the claim may be the ASC's, and is not judged. Every line is judged, one whose
    code failed validity too."""
    claim = ctx.claim
    if claim.claim_type == "institutional" or claim.asc_facility:
        return ()
    return _mod_73_74_professional(ctx)


def _mod_73_74_professional(ctx: ClaimContext) -> Iterator[Hit]:
    claim = ctx.claim
    said = claim.asc_facility is False
    for ln in ctx.lines:
        mod = next((m for m in ln.modifiers if m in FACILITY_MODIFIERS), None)
        if mod is None:
            continue
        pos = ln.line.place_of_service or claim.place_of_service
        if not said and pos == ASC_POS:
            continue  # it may be the ASC's facility claim
        code = ln.code or ln.line.procedure_code
        yield Hit(f"Line {ln.line.line} ({code}): modifier {mod} is a facility's (a hospital "
                  "outpatient department's or an ambulatory surgical center's) for a "
                  f"procedure discontinued {'before' if mod == '73' else 'after'} anesthesia; "
                  "on a physician's claim a discontinued procedure takes 53.",
                  ("service_lines", ln.index, "modifiers", ln.modifiers.index(mod)),
                  (ln.code or "", mod), ("53",))


RULES = (not_asc_facility_service, mod_73_74_professional)

"""Group E: the Medicare modifiers of a screening that turned diagnostic the same day.

A colorectal cancer screening (a flexible sigmoidoscopy or colonoscopy begun as G0104,
G0105 or G0121) that became diagnostic or therapeutic is reported with the diagnostic or
therapeutic CPT code and modifier PT, which waives the Part B deductible (CMS MLN MM7012,
CR 7012, from 2011-01-01; Claims Processing Manual ch.18 §60). A diagnostic mammography
on the day of a screening one carries modifier GG (Claims Processing Manual ch.18 §20,
from 2002-01-01). On an outpatient institutional claim the I/OCE returns a claim with PT
on a day without a colorectal procedure (edit 120). The anesthesia of a screening
colonoscopy is 00812 for Medicare, and 00811 with PT when the screening became
diagnostic or therapeutic (CMS MLN MM10181, from 2018-01-01).

Every rule runs under a profile with the option ``screening_modifiers``
(``medicare-professional``, ``medicare-outpatient``): PT and GG are Medicare's (other
payers use modifier 33 for a preventive service, and set their own rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .. import procedure
from ..findings import Hit
from .context import ClaimContext, DxInfo, LineInfo, lines_on
from .engine import rule
from .ioce_status import ioce_runs

#: The screening diagnoses of a colorectal cancer screening, first-listed when the
#: encounter is the screening (ICD-10-CM Guidelines I.C.21.c.5): Z12.11 (colon), Z12.12
#: (rectum). A history or family-history code listed first (Z86.010-, Z80.0) is left out:
#: it may head a surveillance that is diagnostic from the start.
CRC_SCREENING = frozenset({"Z1211", "Z1212"})
#: Modifiers of a procedure reduced or discontinued: such a line is not judged (a
#: screening colonoscopy interrupted is G0105-53 or G0121-53, not a conversion).
DISCONTINUED = frozenset({"52", "53", "73", "74"})
#: The Medicare colorectal cancer screening endoscopy codes: PT goes on the diagnostic or
#: therapeutic code reported instead of them (CMS MLN MM7012), never on them.
SCREENING_ENDOSCOPY = {"G0104": "flexible sigmoidoscopy", "G0105": "colonoscopy",
                       "G0121": "colonoscopy"}
#: The I/OCE's HCPCS flag of edit 120: a code on whose day modifier PT is accepted
#: (``procedure.ioce_companion_flags``: 44388-44406, 45190, 45300-45399 where they exist).
COLORECTAL = "colorectal"


def _finding(dxs: Iterable[DxInfo]) -> DxInfo | None:
    """The first valid diagnosis of ``dxs`` outside chapter 21 (Z codes: screening,
    history, status): what the screening found."""
    return next((d for d in dxs if d.valid and d.facts.code[0] != "Z"), None)


@rule("MOD_PT_MISSING", "E", "warning",
      "CMS MLN MM7012 (CR 7012: modifier PT, from 2011-01-01); Claims Processing Manual "
      "ch.18 §60; ICD-10-CM Guidelines I.C.21.c.5 (a screening listed first)",
      when=["proc-screening", "dx-several"], options=["screening_modifiers"])
def pt_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A flexible sigmoidoscopy or colonoscopy CPT code (45330-45350, 45378-45398:
    ``procedure.COLORECTAL_ENDOSCOPY``) without modifier PT whose first-listed diagnosis
    is a colorectal cancer screening (Z12.11, Z12.12: on an 837P the line's first pointed
    diagnosis, on an 837I the claim's principal) beside a diagnosis of what it found (a
    valid code outside chapter 21: K63.5, D12.5...; on an 837P one the line points to):
    a screening that became diagnostic or therapeutic, which Medicare takes with PT. So
    is, on an 837P, the anesthesia of such a colonoscopy reported as 00811
    (``procedure.COLONOSCOPY_ANESTHESIA``: 00811 with PT, CMS MLN MM10181; the
    anesthesia of a screening that stayed one is 00812). Not on a line reduced or
    discontinued (52, 53, 73, 74). Under a profile with the option
    ``screening_modifiers``."""
    inst = ctx.claim.is_institutional
    claim_dx: tuple[DxInfo | None, DxInfo | None] | None = None
    for ln in ctx.valid_lines:
        anesthesia = not inst and ln.code == procedure.COLONOSCOPY_ANESTHESIA
        if (ln.code not in procedure.COLORECTAL_ENDOSCOPY and not anesthesia) or \
                "PT" in ln.modifiers or not DISCONTINUED.isdisjoint(ln.modifiers):
            continue
        if inst:
            if claim_dx is None:
                dx = ctx.dx
                claim_dx = (dx[0], _finding(dx[1:])) if dx else (None, None)
            first, found = claim_dx
        else:
            pointed = ctx.pointed(ln)
            first = pointed[0] if pointed else None
            found = _finding(pointed[1:])
        if first is None or not first.valid or first.facts.code not in CRC_SCREENING \
                or found is None:
            continue
        where = "first-listed" if inst else "the line's first diagnosis"
        if anesthesia:
            yield Hit(f"Line {ln.line.line} ({ln.code}) is the anesthesia of a colorectal "
                      f"cancer screening ({first.facts.dotted}, {where}) that found "
                      f"{found.facts.dotted}: Medicare takes the anesthesia of a screening "
                      f"colonoscopy that became diagnostic or therapeutic as {ln.code} with "
                      "modifier PT (the deductible does not apply; CMS MLN MM10181): add "
                      "PT; if the colonoscopy stayed a screening, report "
                      f"{procedure.SCREENING_COLONOSCOPY_ANESTHESIA} instead.",
                      ("service_lines", ln.index, "modifiers"),
                      (ln.code or "", first.facts.dotted, found.facts.dotted), ("PT",))
            continue
        screening = "G0104" if (ln.code or "") < "45378" else "G0121 or G0105"
        yield Hit(f"Line {ln.line.line} ({ln.code}) reports a colorectal cancer screening "
                  f"({first.facts.dotted}, {where}) that found {found.facts.dotted}: "
                  "Medicare takes a screening that became diagnostic or therapeutic as "
                  f"{ln.code} with modifier PT (the deductible does not apply): add PT; if "
                  f"no diagnostic or therapeutic service was done, report {screening} "
                  "instead.", ("service_lines", ln.index, "modifiers"),
                  (ln.code or "", first.facts.dotted, found.facts.dotted), ("PT",))


@rule("MOD_PT_NOT_APPLICABLE", "E", "warning",
      "I/OCE edit 120 (incorrect reporting of modifier PT); CMS MLN MM7012 (CR 7012: PT "
      "on the diagnostic code reported instead of the screening code)",
      when=["mods-pt"], options=["screening_modifiers"])
def pt_not_applicable(ctx: ClaimContext) -> Iterable[Hit]:
    """Modifier PT where it does not apply. On an outpatient institutional claim under a
    profile with the option ``ioce`` (``medicare-outpatient``), as the I/OCE's edit 120:
    every line with PT on a date of service with no line of a code the I/OCE flags
    ``colorectal`` (44388-44406, 45190, 45300-45399 where they exist: G0105 and G0121 are
    not), on the I/OCE paths that run it (12x; 13x without condition code 41, 89 or 92;
    85x without 89). On an 837P, PT on the screening code itself (G0104, G0105, G0121):
    PT goes on the diagnostic or therapeutic code reported instead (CMS MLN MM7012); and PT
    on the anesthesia of a screening colonoscopy, 00812
    (``procedure.SCREENING_COLONOSCOPY_ANESTHESIA``): a screening that became diagnostic
    is 00811 with PT (CMS MLN MM10181)."""
    if ctx.claim.is_institutional:
        if not ctx.profile.option("ioce") or not ioce_runs(ctx, 120):
            return ()
        return _pt_without_colorectal(ctx)
    return _pt_on_screening_code(ctx)


def _colorectal(ln: LineInfo) -> bool:
    return COLORECTAL in procedure.ioce_companion_flags(ln.code, on=ln.day)


def _pt_without_colorectal(ctx: ClaimContext) -> Iterator[Hit]:
    for day, lines in lines_on(ctx).items():
        pt = [ln for ln in lines if "PT" in ln.modifiers]
        if not pt or any(_colorectal(ln) for ln in lines):
            continue
        for ln in pt:
            yield Hit(f"Line {ln.line.line} ({ln.code}) has modifier PT, a colorectal cancer "
                      "screening that became diagnostic or therapeutic, and no line of "
                      f"{day} reports a colorectal procedure the I/OCE takes PT with (I/OCE "
                      "edit 120, the claim is returned): put PT on the colonoscopy or "
                      "sigmoidoscopy code the screening became (e.g. 45380, 45385), or "
                      "remove it.", ("service_lines", ln.index, "modifiers",
                                     ln.modifiers.index("PT")), (ln.code or "", "PT"))


def _pt_on_screening_code(ctx: ClaimContext) -> Iterator[Hit]:
    for ln in ctx.valid_lines:
        if "PT" not in ln.modifiers:
            continue
        if ln.code == procedure.SCREENING_COLONOSCOPY_ANESTHESIA:
            yield Hit(f"Line {ln.line.line}: {ln.code} is the anesthesia of a screening "
                      "colonoscopy, which Medicare pays without deductible or coinsurance, "
                      "and modifier PT says a screening became diagnostic or therapeutic: "
                      "Medicare takes the anesthesia of such a colonoscopy as "
                      f"{procedure.COLONOSCOPY_ANESTHESIA} with PT (CMS MLN MM10181): report "
                      f"{procedure.COLONOSCOPY_ANESTHESIA} with PT, or remove PT if the "
                      "colonoscopy stayed a screening.",
                      ("service_lines", ln.index, "modifiers", ln.modifiers.index("PT")),
                      (ln.code or "", "PT"))
            continue
        kind = SCREENING_ENDOSCOPY.get(ln.code or "")
        if kind is None:
            continue
        yield Hit(f"Line {ln.line.line}: {ln.code} is the screening {kind} itself, and "
                  "modifier PT says a screening became diagnostic or therapeutic: PT goes on "
                  "the diagnostic or therapeutic CPT code reported instead of the screening "
                  "code (CMS MLN MM7012): report that code (e.g. 45380, 45385) with PT, or "
                  f"remove PT if the {kind} stayed a screening.",
                  ("service_lines", ln.index, "modifiers", ln.modifiers.index("PT")),
                  (ln.code or "", "PT"))


@rule("MOD_GG_MISSING", "E", "warning",
      "Claims Processing Manual ch.18 §20 (modifier GG: a screening and a diagnostic "
      "mammography on the same patient the same day, from 2002-01-01)",
      when=["proc-screening", "lines-several"], options=["screening_modifiers"])
def gg_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A diagnostic mammography (77065, 77066) without modifier GG on the date of service
    of a screening mammography (77067) of the same claim: Medicare pays both, the
    diagnostic one with GG. Under a profile with the option ``screening_modifiers``."""
    for day, lines in lines_on(ctx).items():
        screening = next((ln for ln in lines if ln.code in procedure.MAMMOGRAPHY_SCREENING),
                         None)
        if screening is None:
            continue
        for ln in lines:
            if ln.code in procedure.MAMMOGRAPHY_DIAGNOSTIC and "GG" not in ln.modifiers:
                yield _gg(ln, screening, day)


def _gg(ln: LineInfo, screening: LineInfo, day: dt.date) -> Hit:
    return Hit(f"Line {ln.line.line} ({ln.code}) is a diagnostic mammography on {day}, the "
               f"day of the screening mammography on line {screening.line.line} "
               f"({screening.code}): Medicare pays both when the diagnostic one carries "
               "modifier GG: add GG.", ("service_lines", ln.index, "modifiers"),
               (ln.code or "", screening.code or ""), ("GG",))


RULES = (pt_missing, pt_not_applicable, gg_missing)

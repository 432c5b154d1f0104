"""Group E: the therapy discipline modifiers GN, GO, GP, and the assistant modifiers CQ
and CO on an evaluation (``MOD_THERAPY_ASSISTANT_EVALUATION``: the therapist evaluates).

Outpatient physical therapy, occupational therapy and speech-language pathology lines
carry the modifier of the plan of care they were furnished under: GN (speech-language
pathology), GO (occupational therapy), GP (physical therapy) (Medicare Claims Processing
Manual ch.5 §20.1). A Medicare "always therapy" code takes one whoever furnishes it, and
CMS CR 10176 (Transmittal 3814, effective 2018-01-01) has the professional claims system
return a claim without it as unprocessable; 14 codes take one discipline only (GN on
92521-92524, 92597, 92607; GO on 97165-97168; GP on 97161-97164). The institutional
claims system requires one on every line of revenue code 042x, 043x, 044x, and only the
revenue code's own (042x GP, 043x GO, 044x GN).

The codes are those of ``procedure.ALWAYS_THERAPY`` (the CR 10176 codes, 92507, 92508,
92526, and the physical medicine codes the CMS therapy code list marks "always therapy":
97110, 97140, 97530, the modalities 97012-97036, G0283...; "sometimes therapy" codes such
as 97597 or 95851 are never judged). Every rule runs under
a profile with the option ``therapy_modifiers`` (``medicare-professional``,
``medicare-outpatient``, ``medicare-dme``; ``commercial`` as warnings: many payers follow
CMS's always-therapy list, not all); on an institutional claim only on the types of bill
that bill outpatient therapy (``context.THERAPY_BILL_TYPES``: 12x, 13x, 22x, 23x, 34x,
74x, 75x, 85x), never on an inpatient stay or a home health plan of care (32x).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .. import procedure
from ..claims import bill_class
from ..findings import Hit
from .context import THERAPY_BILL_TYPES, ClaimContext, LineInfo
from .engine import rule

ALWAYS_THERAPY = procedure.ALWAYS_THERAPY
DISCIPLINES = procedure.THERAPY_DISCIPLINES
THERAPY_MODIFIERS = procedure.THERAPY_MODIFIERS
THERAPY_REVENUE = procedure.THERAPY_REVENUE
#: The therapy assistant modifiers and the discipline each goes with (CQ: a physical
#: therapist assistant, GP; CO: an occupational therapy assistant, GO).
ASSISTANT = {"CQ": "GP", "CO": "GO"}
#: The first date Medicare pays a line with CQ or CO at 85 % of its fee (Social Security
#: Act §1834(v), CY 2022 PFS final rule).
REDUCED_FROM = dt.date(2022, 1, 1)
#: The fix of a line that may take any discipline: the three, in the order of the manual.
ANY = ("GN", "GO", "GP")

SOURCE = ("CMS CR 10176 (Transmittal 3814: always therapy codes, their discipline "
          "modifiers, effective 2018-01-01); CMS therapy code list (Annual Therapy Update: "
          "always therapy codes); Medicare Claims Processing Manual ch.5 §20.1")


def _a(words: str) -> str:
    """``words`` with its indefinite article ("an occupational therapy")."""
    return ("an " if words[:1] in ("a", "e", "i", "o", "u") else "a ") + words


class _Need:
    """What a line needs: the always-therapy row of its code (when on the list on the
    line's date) and the modifier it takes, if one only (``code_discipline``); on an 837I,
    its therapy revenue code and the modifier that takes (``rev_discipline``)."""

    __slots__ = ("code_discipline", "rev", "rev_discipline", "row")

    def __init__(self, row: procedure.TherapyCode | None, rev: str | None) -> None:
        self.row = row
        self.rev = rev
        self.code_discipline = row.discipline if row is not None else None
        self.rev_discipline = THERAPY_REVENUE.get(rev[:3]) if rev is not None else None


def _needs(ctx: ClaimContext, bare: bool) -> Iterator[tuple[LineInfo, _Need]]:
    """The valid lines that must carry a discipline modifier: an always-therapy code on
    the line's date, or (an institutional claim) a therapy revenue code; none on an
    institutional claim of a type of bill that does not bill outpatient therapy, nor on
    one a profile with the option ``inpatient`` judges (an inpatient stay). ``bare``:
    only the lines without any of GN, GO, GP (``MOD_THERAPY_MISSING``'s); else only those
    with one, whose code or revenue code takes a discipline of its own
    (``MOD_THERAPY_WRONG_DISCIPLINE``'s: on an 837P, a discipline-specific code). Most
    therapy claims carry their modifiers: the cheap tests come first."""
    inst = ctx.claim.is_institutional
    if inst and (ctx.inpatient or bill_class(ctx.claim.bill_type) not in THERAPY_BILL_TYPES):
        return  # (a profile with inpatient=True judges its 837Is as inpatient stays)
    for ln in ctx.valid_lines:
        if THERAPY_MODIFIERS.isdisjoint(ln.modifiers) is not bare:
            continue
        row = ALWAYS_THERAPY.get(ln.code or "")
        if row is not None and not (row.start <= ln.day and (row.end is None
                                                             or ln.day <= row.end)):
            row = None
        rev = None
        if inst:
            written = (ln.line.revenue_code or "").strip()
            if written.isdigit() and len(written) <= 4 and \
                    written.zfill(4)[:3] in THERAPY_REVENUE:
                rev = written.zfill(4)
        elif not bare and (row is None or row.discipline is None):
            continue  # any discipline is right on an 837P line of it
        if row is not None or rev is not None:
            yield ln, _Need(row, rev)


@rule("MOD_THERAPY_MISSING", "E", "error", SOURCE, when=["therapy"],
      options=["therapy_modifiers"])
def therapy_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A line without any therapy discipline modifier (GN, GO, GP) whose code is a
    Medicare "always therapy" code on its date (``procedure.ALWAYS_THERAPY``), or, on an
    institutional claim of a type of bill that bills outpatient therapy (12x, 13x, 22x,
    23x, 34x, 74x, 75x, 85x), whose revenue code is 042x, 043x or 044x. The fix is the
    modifier the code (a discipline-specific code of CR 10176) or the revenue code says
    (then the codes name the revenue code too), else the one CQ or CO on the line goes
    with, else GN, GO and GP. The message says
    that Medicare returns such a claim as unprocessable; on another payer's claim, that
    Medicare does and that payers who follow its list may."""
    medicare = ctx.payer == "medicare"
    for ln, need in _needs(ctx, True):
        want = need.code_discipline or need.rev_discipline or next(
            (ASSISTANT[m] for m in ln.modifiers if m in ASSISTANT), None)
        code = ln.code or ""
        add = (f"add {want} ({DISCIPLINES[want]})" if want else
               "add the modifier of the plan of care it was furnished under: GN "
               "(speech-language pathology), GO (occupational therapy) or GP (physical "
               "therapy)")
        if need.code_discipline:
            why = (f"{code} is reported only under {_a(DISCIPLINES[want or ''])} plan of "
                   f"care, with modifier {want} (CMS CR 10176)")
        elif need.rev_discipline:
            why = (f"revenue code {need.rev} is {DISCIPLINES[want or '']}, whose lines "
                   f"take modifier {want} (Claims Processing Manual ch.5 §20.1)")
        else:
            why = (f"{code} is an \"always therapy\" code, which takes the modifier of its "
                   "plan of care whoever furnishes it (Claims Processing Manual ch.5 §20.1)")
        returned = ("Medicare returns the claim without it as unprocessable" if medicare
                    else "Medicare returns a claim without it as unprocessable, and payers "
                    "that follow Medicare's always-therapy list may too")
        yield Hit(f"Line {ln.line.line} ({code}) has no therapy modifier: {why}, and "
                  f"{returned}: {add}.",
                  ("service_lines", ln.index, "modifiers"),
                  (code, need.rev) if need.rev and not need.code_discipline else (code,),
                  (want,) if want else ANY)


@rule("MOD_THERAPY_WRONG_DISCIPLINE", "E", "error", SOURCE, when=["therapy", "modifiers"],
      options=["therapy_modifiers"])
def therapy_wrong_discipline(ctx: ClaimContext) -> Iterator[Hit]:
    """A line with one therapy discipline modifier that is not the one its code or its
    revenue code takes: a discipline-specific code of CR 10176 (GN only on 92521-92524,
    92597, 92607; GO only on 97165-97168; GP only on 97161-97164) with another, or, on an
    institutional claim of a type of bill that bills outpatient therapy, a line of revenue
    code 042x without GP, 043x without GO, 044x without GN. A line with two of them is
    ``MOD_COMBINATION_INVALID``'s. Location: the modifier; the fix, the one it takes."""
    for ln, need in _needs(ctx, False):
        have = [m for m in ln.modifiers if m in THERAPY_MODIFIERS]
        if len(have) != 1:
            continue
        got = have[0]
        code = ln.code or ""
        where = ("service_lines", ln.index, "modifiers", ln.modifiers.index(got))
        if need.code_discipline and got != need.code_discipline:
            want = need.code_discipline
            yield Hit(f"Line {ln.line.line} ({code}) has modifier {got} "
                      f"({DISCIPLINES[got]}), but {code} is reported only under "
                      f"{_a(DISCIPLINES[want])} plan of care, with {want} (CMS CR 10176: "
                      f"Medicare returns the claim): replace {got} with {want}.", where,
                      (code, got), (want,))
        elif need.rev_discipline and got != need.rev_discipline and (
                need.code_discipline is None or need.code_discipline == need.rev_discipline):
            want = need.rev_discipline
            yield Hit(f"Line {ln.line.line} ({code}) has modifier {got} "
                      f"({DISCIPLINES[got]}) under revenue code {need.rev} "
                      f"({DISCIPLINES[want]}), whose lines take only {want} (Claims "
                      f"Processing Manual ch.5 §20.1): replace {got} with {want}, or "
                      "correct the revenue code.", where, (code, got), (want,))


@rule("MOD_THERAPY_ASSISTANT_EVALUATION", "E", "warning",
      "Medicare Benefit Policy Manual (Pub. 100-02) ch.15 §230.1, §230.2 (physical and "
      "occupational therapy assistants do not evaluate), §230.3; Claims Processing Manual "
      "ch.5 §20.1 (CQ, CO); CY 2020 PFS final rule, 84 FR 62702-62707 (CQ/CO de minimis "
      "standard)", when=["mods-assistant"], options=["therapy_modifiers"])
def therapy_assistant_evaluation(ctx: ClaimContext) -> Iterator[Hit]:
    """A therapy evaluation or re-evaluation (``procedure.THERAPY_EVALUATIONS``:
    97161-97168, 92521-92524, 92610) with CQ or CO, the modifiers of a service furnished
    in whole or in part by a physical therapist assistant or an occupational therapy
    assistant: the therapist evaluates, an assistant does not (Benefit Policy Manual ch.15
    §230.1, §230.2; Medicare covers no speech-language pathology assistant, §230.3), so
    either the modifier is wrong (the therapist evaluated: remove it, or Medicare pays 85 %
    of the line) or the evaluation is not one Medicare covers. Not on a line whose CQ or
    CO contradicts another modifier of it (CQ with CO, GN or GO; CO with GN or GP):
    ``MOD_COMBINATION_INVALID``'s, one finding for one mistake; never on an inpatient
    stay. Location: the CQ or CO; no fix (the modifier is to go)."""
    if ctx.inpatient:
        return
    medicare = ctx.payer == "medicare"
    evaluations = procedure.THERAPY_EVALUATIONS
    for ln in ctx.valid_lines:
        if ln.code not in evaluations:
            continue
        mods = ln.modifiers
        assistants = [m for m in mods if m in ASSISTANT]
        if len(set(assistants)) != 1:
            continue  # none, or CQ and CO (a contradiction)
        m = assistants[0]
        own = ASSISTANT[m]
        if any(d != own for d in mods if d in THERAPY_MODIFIERS):
            continue  # CQ with GN or GO, CO with GN or GP
        who = ("a physical therapist assistant" if m == "CQ" else
               "an occupational therapy assistant")
        cut = (" (with it Medicare pays 85 % of the line)" if medicare
               and ln.day >= REDUCED_FROM else "")
        yield Hit(f"Line {ln.line.line} ({ln.code}) is an evaluation with {m} (furnished "
                  f"in whole or in part by {who}): the therapist evaluates, an assistant "
                  "does not (Benefit Policy Manual ch.15 §230.1, §230.2): if the therapist "
                  f"evaluated, remove {m}{cut}; an evaluation an assistant furnished is not "
                  "billed as the therapist's.",
                  ("service_lines", ln.index, "modifiers", mods.index(m)),
                  (ln.code or "", m))


RULES = (therapy_missing, therapy_wrong_discipline, therapy_assistant_evaluation)

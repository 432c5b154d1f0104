"""Group E: modifiers -- valid on the date, how many, sides, and E/M modifier 25."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from decimal import Decimal

from .. import _cache
from .. import modifiers as _modifiers
from ..claims import bill_class
from ..errors import ModifierNotValidOnDate, ValidationError
from ..findings import Hit, NotRun
from ..procedure import (
    CPT_VACCINE_ADMINISTRATION,
    GLOBAL_DAYS,
    PART_B_VACCINE_ADMINISTRATION,
    cs_waiver_eligible,
    default_store,
    em_setting,
    is_em_or_eye_exam,
    is_em_or_telemedicine,
    resolve,
)
from .context import (
    OTHER_SIDE,
    PAYMENT_CATEGORIES,
    TELEHEALTH_POS,
    ClaimContext,
    DxInfo,
    LineInfo,
    NcciOffTables,
    is_dmepos,
    is_quality_data,
    lines_on,
)
from .context import TELEHEALTH_MODIFIERS as PROFESSIONAL_TELEHEALTH
from .engine import rule
from .fee_schedule import medicare_code
from .ioce_status import ioce_path, ioce_runs, professional_revenue
from .laterality import MODIFIER_OF_SIDE, claim_region_dxs
from .ncci_edits import HOSPITAL_VISIT_CODES, VISIT_CODES, one_biller
from .professional_edits import office_visit_of, telemedicine_advice

NCCI_ASSOCIATED = _modifiers.NCCI_ASSOCIATED

ANATOMIC = _modifiers.ANATOMIC
CONTRADICTIONS = _modifiers.CONTRADICTIONS
IOCE_CONFLICTS = _modifiers.IOCE_CONFLICTS
#: A HIPPS code line (revenue code 0023): the I/OCE's edit 102 leaves it alone on 32x.
HIPPS_REVENUE = "0023"
PLACEMENT = _modifiers.PLACEMENT
NOT_ON_EM = _modifiers.NOT_ON_EM
#: The procedures' modifiers of a postoperative period among :data:`NOT_ON_EM` (58, 78,
#: 79): on an E/M the ``fix`` is 24, the E/M's modifier of a postoperative period.
POSTOPERATIVE_PROCEDURE = _modifiers.POSTOPERATIVE_PROCEDURE
NOT_ON_LAB = _modifiers.NOT_ON_LAB
is_clinical_lab = _modifiers.is_clinical_lab
level2_kind_why = _modifiers.level2_kind_why
LEVEL2_KINDS = _modifiers.LEVEL2_KINDS
#: Modifiers that say on which side a procedure was done.
SIDE_MODIFIERS = frozenset(ANATOMIC)


def is_ambulance(ln: LineInfo) -> bool:
    """An ambulance line: revenue code 054x, or a HCPCS transportation code A0021-A0999
    (a professional claim has no revenue code)."""
    rev = (ln.line.revenue_code or "").strip()
    if rev.isdigit() and rev.zfill(4).startswith("054"):
        return True
    code = ln.code or ""
    return code.startswith("A0") and "A0021" <= code <= "A0999"


@rule("MOD_INVALID", "E", "error",
      "I/OCE edit 22; CMS HCPCS Level II file (modifiers); CPT Appendix A and NCCI Policy "
      "Manual ch.I §D (25, 57: E/M only); Claims Processing Manual ch.12 §20.4.3; CPT "
      "Appendix D (add-on codes are exempt from 51)", when=["modifiers"])
def mod_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """A modifier is not a CPT/HCPCS modifier, or not active on the date of service. On an
    ambulance line (revenue code 054x, or HCPCS A0021-A0999) the origin/destination
    modifiers (two of D, E, G, H, I, J, N, P, R, S and X, e.g. RH) are valid; on any other
    line they are not; a modifier CMS ended (JG after 2024-12-31) that is also such a pair
    keeps its own reason there. A modifier that belongs on one kind of code only
    (:data:`codekit.modifiers.PLACEMENT`: P1-P6 on anesthesia codes; 47 on surgery codes;
    90, 91, 92 and QW
    on laboratory codes; 8P on Category II codes; JW, JZ and the 340B modifiers JG and TB
    on a drug's line; the DMEPOS
    modifiers NU, RR, UE, KH, KI, KJ and MS never on a CPT code) fires on a valid code of
    another kind, and JW, JZ and the DMEPOS modifiers on a HCPCS Level II code of a kind
    that never takes them (:func:`codekit.modifiers.level2_kind`: JW on equipment, E0601;
    RR on a drug, J9035; KH on a procedure, G0121),
    except under a profile with the option ``ioce`` (``medicare-outpatient``), whose edit
    22 takes a valid modifier on any code but refuses the Category II modifiers 1P, 2P and
    3P its list lacks (:func:`_ioce_unlisted`). So do 25 and 57 on a CPT code that is no E/M
    (they go on the E/M line of the date) and 24 (an unrelated E/M in a postoperative
    period), and 80, 81, 82, AS, 26 and TC on an E/M, and 58, 78 and 79 (a procedure's
    modifiers of a postoperative period: an E/M there takes 24)
    (:data:`codekit.modifiers.NOT_ON_EM`), 76 and 77 on a clinical laboratory test
    (:data:`codekit.modifiers.NOT_ON_LAB`: a repeated test takes 91), and 51 on an add-on code
    (:attr:`codekit.procedure.ProcedureEntry.addon_type`: CPT Appendix D exempts add-on
    codes from 51; 11045-51: remove 51).

    Every line is judged, a line whose procedure code failed validity too: whether a
    modifier exists does not depend on the code, so an unknown modifier beside an invalid
    code is a second mistake, and the I/OCE reports both (edits 6 and 22). The modifier
    edits that compare the modifier with the code skip such a line (spec 0.3 rule 3).
    """
    for ln in ctx.lines:
        for j, m in enumerate(ln.line.modifiers):
            # (junk longer than a modifier can be is answered, not remembered)
            problem = _modifier_problem(m, ln.day) if _cache.cacheable(m) else \
                _modifier_problem.__wrapped__(m, ln.day)
            if not problem:
                continue
            trip = _modifiers.origin_destination(m)
            od = m.strip().upper()
            if trip is None and len(od) == 2 and od[0] == "X" \
                    and od[1] in _modifiers.ORIGIN_DESTINATION and is_ambulance(ln):
                problem = (f"{od}: X (an intermediate stop at a physician's office) is an "
                           "ambulance destination only; the origin comes first (e.g. "
                           f"{od[1]}X).", (), False)
            elif trip is not None:
                if is_ambulance(ln):
                    continue
                if not problem[2]:  # a modifier CMS ended keeps its reason (JG in 2025)
                    problem = (f"{od} is an ambulance origin/destination modifier "
                               f"({trip[0]} to {trip[1]}): it belongs on an ambulance line "
                               "(revenue code 054x, HCPCS A0021-A0999) only.", (), False)
            fix = problem[1]
            if fix and ctx.profile.option("ioce") and \
                    not _modifiers.IOCE_UNLISTED.isdisjoint(fix):  # no fix there (1P)
                fix = _ioce_suggestions(m, ln.day, len(fix))
            yield Hit(f"Line {ln.line.line}, modifier {m!r}: {problem[0]}",
                      ("service_lines", ln.index, "modifiers", j), (m,), fix)
    if "mods-placed" in ctx.features:  # (1P, 2P, 3P are PLACEMENT's: they give it)
        if not ctx.profile.option("ioce"):
            yield from _misplaced(ctx)  # the I/OCE's edit 22 takes a valid modifier anywhere
        else:
            yield from _ioce_unlisted(ctx)


def _ioce_suggestions(modifier: str, day: dt.date, n: int) -> tuple[str, ...]:
    """The ``n`` modifiers nearest ``modifier`` on ``day`` that the I/OCE takes (not
    :data:`codekit.modifiers.IOCE_UNLISTED`): an unknown modifier's fix on an outpatient
    hospital claim (1T: T1, AT, CT, ET, FT; a practitioner's gets T1, 1P, AT, CT, ET)."""
    near = _modifiers.suggest(modifier, on=day, limit=n + len(_modifiers.IOCE_UNLISTED))
    return tuple(m for m in near if m not in _modifiers.IOCE_UNLISTED)[:n]


def _ioce_unlisted(ctx: ClaimContext) -> Iterator[Hit]:
    """Under a profile with the option ``ioce`` (``medicare-outpatient``): a modifier valid
    on its date that the I/OCE's modifier list lacks (:data:`codekit.modifiers.IOCE_UNLISTED`:
    the CPT Category II exclusions 1P, 2P, 3P, which a practitioner reports on a quality
    line), which the I/OCE's edit 22 takes as invalid: 3046F-1P on a 131 claim."""
    for ln in ctx.lines:
        for j, m in enumerate(ln.modifiers):
            if m not in _modifiers.IOCE_UNLISTED or _modifier_problem(m, ln.day):
                continue  # (a modifier not valid on its date: told above)
            raw = ln.line.modifiers[j]
            yield Hit(f"Line {ln.line.line}, modifier {raw!r}: {m} is a CPT Category II "
                      "(performance measurement) modifier of a practitioner's quality line, "
                      "not on the I/OCE's modifier list: an outpatient hospital claim does "
                      "not take it (I/OCE edit 22); remove it.",
                      ("service_lines", ln.index, "modifiers", j), (raw,))


def _misplaced(ctx: ClaimContext) -> Iterator[Hit]:
    """A modifier that belongs on one kind of code only, on a valid code of another kind
    (:data:`codekit.modifiers.PLACEMENT`; a HCPCS Level II code by its kind,
    :func:`codekit.modifiers.level2_kind`); an E/M modifier (25, 57) there is told to move
    to the E/M line of its date, or to go. A modifier an E/M never takes
    (:data:`codekit.modifiers.NOT_ON_EM`: 80, 81, 82, AS, 26, TC; 58, 78, 79, whose
    ``fix`` is 24) on an E/M (:func:`codekit.procedure.is_em`, or a telemedicine visit of
    CPT's E/M section, 98000-98015: 98005-26). A repeat-procedure modifier (76, 77:
    :data:`codekit.modifiers.NOT_ON_LAB`) on a clinical laboratory test: 91 in its place."""
    for ln in ctx.valid_lines:
        for j, m in enumerate(ln.modifiers):
            place = PLACEMENT.get(m)
            if m == "51" and ln.entry.addon_type is not None:
                yield Hit(f"Line {ln.line.line}, modifier {ln.line.modifiers[j]!r}: {ln.code} "
                          "is an add-on code, exempt from the multiple procedure modifier 51 "
                          "(CPT Appendix D; NCCI add-on code type "
                          f"{ln.entry.addon_type}): remove 51.",
                          ("service_lines", ln.index, "modifiers", j), (m,))
                continue
            if place is None:
                why = NOT_ON_EM.get(m)
                if why is not None and is_em_or_telemedicine(ln.code):
                    yield Hit(f"Line {ln.line.line}, modifier {ln.line.modifiers[j]!r}: {m} "
                              f"is {why}: remove it from {ln.code}.",
                              ("service_lines", ln.index, "modifiers", j), (m,),
                              ("24",) if m in POSTOPERATIVE_PROCEDURE else ())
                why = NOT_ON_LAB.get(m)
                if why is not None and ln.entry.system == "cpt" and \
                        is_clinical_lab(ln.entry.section, ln.code or ""):
                    how = "remove it (the line has 91)" if "91" in ln.modifiers else \
                        f"use 91 on {ln.code} in its place"
                    yield Hit(f"Line {ln.line.line}, modifier {ln.line.modifiers[j]!r}: {m} "
                              f"is {why}: {how}.",
                              ("service_lines", ln.index, "modifiers", j), (m,),
                              () if "91" in ln.modifiers else ("91",))
                continue
            if _modifier_problem(m, ln.day) or (
                    _modifiers.origin_destination(m) is not None and is_ambulance(ln)):
                continue  # not valid on its date (told above: JG after 2024), or a trip (JG)
            where = _misplacement(ln, place)
            if where is None:
                continue
            if not where and place.moves:
                where = _where_it_goes(ctx, ln, m)
            yield Hit(f"Line {ln.line.line}, modifier {ln.line.modifiers[j]!r}: {m} is "
                      f"{place.what}: it belongs on {place.codes}, not on {ln.code}{where}.",
                      ("service_lines", ln.index, "modifiers", j), (m,))


def _misplacement(ln: LineInfo, place: _modifiers.Placement) -> str | None:
    """None when the placement modifier of ``place`` (:data:`codekit.modifiers.PLACEMENT`)
    is on a valid line ``ln`` of a kind that takes it, or that is not judged; else what to
    add to the message: a HCPCS Level II code's kind (it is judged by its kind only: JW on
    E0601, RR on J9035), nothing for a CPT code."""
    if place.cpt_only and ln.entry.system != "cpt":
        kind, why = level2_kind_why(ln.code or "", ln.entry.status_indicator) \
            if place.level2 else (None, "")
        if kind not in place.level2:
            return None
        return f" ({LEVEL2_KINDS[kind]}{': ' + why if why else ''})"
    return None if place.takes(ln.entry.section, ln.code or "") else ""


def _where_it_goes(ctx: ClaimContext, ln: LineInfo, m: str) -> str:
    """What to do with E/M modifier ``m`` misplaced on line ``ln``: move it to the first
    E/M line of the date without it, or remove it (the E/M line has it already, or the
    date has none)."""
    place = PLACEMENT[m]
    ems = [o for o in ctx.valid_lines if o is not ln and o.day == ln.day
           and o.entry.system == "cpt" and place.takes(o.entry.section, o.code or "")]
    bare = next((o for o in ems if m not in o.modifiers), None)
    if bare is not None:
        return f": move it to line {bare.line.line} ({bare.code})"
    if ems:
        return f": remove it (line {ems[0].line.line}, {ems[0].code}, carries it)"
    return ": remove it"


@functools.lru_cache(maxsize=1 << 14)
def _modifier_problem(modifier: str, day: object) -> tuple[str, tuple[str, ...], bool] | None:
    """(why, the modifiers to use instead, whether it is valid on other dates) when
    ``modifier`` is not valid on ``day``."""
    try:
        _modifiers.validate(modifier, on=day)
    except ValidationError as e:
        return e.reason or str(e), e.fix, isinstance(e, ModifierNotValidOnDate)
    return None


_cache.owned("rules.modifier_problems", _modifier_problem)


@rule("MOD_COMBINATION_INVALID", "E", "error",
      "CMS MLN fact sheet on modifiers 59 and X{EPSU}; CMS Claims Processing Manual ch.30 "
      "(ABN modifiers GA, GZ; GX, CR 6563); MPFS PC/TC indicator (26, TC); CMS JW/JZ "
      "policy; Claims Processing Manual ch.12 §50 (anesthesia), ch.5 §20.1 (therapy), "
      "ch.15 §30 (ambulance), ch.20 (DMEPOS)", when=["mods-pair"])
def mod_combination(ctx: ClaimContext) -> Iterator[Hit]:
    """A modifier written twice on one line, or two that cannot share a line: 59 with
    XE, XP, XS or XU; 26 with TC; GA with GZ; GX with GA or GZ; JW with JZ; two of the
    anesthesia physical-status modifiers P1-P6; two of the anesthesia payment modifiers
    AA, AD, QK, QY, QX, QZ; two therapy disciplines (GN, GO, GP), CQ with CO, CQ without
    GP's discipline, CO without GO's; two of NU, RR, UE; two of KH, KI, KJ; QM with QN
    (:data:`codekit.modifiers.CONTRADICTIONS`); KI or KJ on an item that may be rented
    without RR, NU or UE (a rental month without RR: :func:`_rental_month_alone`); two
    ambulance origin/destination modifiers on an ambulance line (one trip a line). Any
    line: the modifiers contradict each other whatever the code (the rental month without
    RR: an E, K or B9 code's line only). Under a profile with the option ``ioce``
    (``medicare-outpatient``) also the pairs the I/OCE does not allow on one line (its
    edit 102, :data:`codekit.modifiers.IOCE_CONFLICTS`: two of CT, FX, FY; two of ER, PN,
    PO), on the I/OCE paths that run edit 102 (:data:`codekit.rules.ioce_status.PATHS`;
    on 32x not a HIPPS code line, revenue code 0023)."""
    ioce: bool | None = None
    for ln in ctx.lines:
        mods = ln.modifiers
        if "KI" in mods or "KJ" in mods:
            yield from _rental_month_alone(ln, mods)
        if len(mods) < 2:
            continue
        seen: set[str] = set()
        for j, m in enumerate(mods):
            if m in seen:
                yield Hit(f"Line {ln.line.line} has {m} twice: report a modifier once.",
                          ("service_lines", ln.index, "modifiers", j), (m,))
            seen.add(m)
        for pair, why, keep in CONTRADICTIONS:
            if pair <= seen:
                first, second = sorted(pair, key=mods.index)
                yield Hit(f"Line {ln.line.line} has {first} and {second}: {why}.",
                          ("service_lines", ln.index, "modifiers", mods.index(second)),
                          (first, second), keep)
        for pair, why, keep in IOCE_CONFLICTS:
            if not pair <= seen:
                continue
            if ioce is None:
                ioce = bool(ctx.profile.option("ioce")) and ioce_runs(ctx, 102)
            if not ioce or (bill_class(ctx.claim.bill_type) == "32"
                            and (ln.line.revenue_code or "").strip().zfill(4) == HIPPS_REVENUE):
                break
            first, second = sorted(pair, key=mods.index)
            yield Hit(f"Line {ln.line.line} has {first} and {second}: {why}; the I/OCE "
                      "does not allow them on one line (I/OCE edit 102, the claim is "
                      "returned): report the one that applies.",
                      ("service_lines", ln.index, "modifiers", mods.index(second)),
                      (first, second), keep)
        trips = [m for m in dict.fromkeys(mods) if _modifiers.origin_destination(m)]
        if len(trips) > 1 and is_ambulance(ln):
            yield Hit(f"Line {ln.line.line} has {trips[0]} and {trips[1]}: an ambulance line "
                      "carries one origin/destination modifier (origin first, one trip): "
                      "bill each trip on its own lines (Claims Processing Manual ch.15 "
                      "§30).", ("service_lines", ln.index, "modifiers",
                                mods.index(trips[1])), (trips[0], trips[1]))


def _rental_month_alone(ln: LineInfo, mods: tuple[str, ...]) -> Iterator[Hit]:
    """KI or KJ with none of RR, NU, UE on a valid line of an item that may be rented:
    durable medical equipment (HCPCS E codes), wheelchairs and power mobility (K codes), a
    parenteral or enteral nutrition pump (B9000-B9999): a rental month billed without
    RR, the rental modifier (Claims Processing Manual ch.20 §30.5: a capped rental item's
    month is billed with RR and its month modifier). With NU or UE the contradiction is
    :data:`codekit.modifiers.CONTRADICTIONS`'s; on a CPT code or a Level II drug the month
    modifier is the mistake (``MOD_INVALID``), and on another Level II code (a lens) RR is
    not the answer: not judged here."""
    code = ln.code or ""
    if PAYMENT_CATEGORIES.intersection(mods) or ln.entry is None or \
            ln.entry.system != "hcpcs" or not (code[:1] in ("E", "K") or code[:2] == "B9"):
        return
    for m in ("KI", "KJ"):
        if m in mods:
            yield Hit(f"Line {ln.line.line} has {m} (the {_MONTHS[m]} month of a rental) "
                      f"without RR: a rental month is billed with RR and its month modifier "
                      f"(Claims Processing Manual ch.20 §30.5); add RR to {ln.code}, or, "
                      f"if the item was bought, remove {m}.",
                      ("service_lines", ln.index, "modifiers", mods.index(m)), (m,), ("RR",))
            return


#: The DMEPOS rental months a line of a rental carries with RR: KI the second and third
#: month of a capped rental or of a PEN pump, KJ the fourth to fifteenth (KH, the first
#: month or the initial claim of a purchase, may go without RR).
_MONTHS = {"KI": "second or third", "KJ": "fourth to fifteenth"}


@rule("MOD_JZ_WITH_JW", "E", "warning",
      "Claims Processing Manual ch.17 §40 (discarded drugs: JW, JZ); CMS JW/JZ modifier "
      "policy FAQ; MLN MM13056", when=["mods-jw", "mods-jz", "lines-several"])
def mod_jz_with_jw(ctx: ClaimContext) -> Iterator[Hit]:
    """A drug's line with JZ (none of it discarded) and a line of the same code and date
    with JW (an amount of it discarded): with an amount discarded, the administered amount
    is billed on a line without JZ and the discarded amount on the JW line (JZ on one line
    with JW is ``MOD_COMBINATION_INVALID``'s). A warning: two administrations of the drug
    that day, from different containers, may each have been billed so. Location: JZ; no
    fix (a modifier to remove is no code to use)."""
    by_day: dict[tuple[dt.date, str], list[LineInfo]] = {}
    for ln in ctx.valid_lines:
        mods = ln.modifiers
        if ("JW" in mods) != ("JZ" in mods):
            by_day.setdefault((ln.day, ln.code or ""), []).append(ln)
    for (day, code), lines in by_day.items():
        jw = next((ln for ln in lines if "JW" in ln.modifiers), None)
        if jw is None:
            continue
        for ln in lines:
            if "JZ" in ln.modifiers:
                yield Hit(f"Line {ln.line.line} ({code}-JZ) says none of the drug was "
                          f"discarded, but line {jw.line.line} ({code}-JW) bills an amount of "
                          f"it discarded on {day}: with an amount discarded, bill the amount "
                          "given on a line without JZ and the amount discarded with JW (or, "
                          "if none was discarded, remove the JW line).",
                          ("service_lines", ln.index, "modifiers", ln.modifiers.index("JZ")),
                          (code, "JZ", "JW"))


@rule("MOD_JW_WITHOUT_ADMINISTERED", "E", "error",
      "Claims Processing Manual ch.17 §40 (discarded drugs: the amount discarded is billed "
      "with JW on a line of its own beside the amount administered); CMS JW/JZ modifier "
      "policy FAQ; First Coast (JN) \"Bill drug wastage correctly using the JW modifier\"",
      when=["mods-jw"])
def mod_jw_without_administered(ctx: ClaimContext) -> Iterator[Hit]:
    """A drug's line with JW (an amount of a single-dose container discarded) and no line of
    the same code and date without JW (the amount administered): Medicare pays the amount
    discarded after a dose of the container was given, billed on a line of its own beside
    the line of the dose (Claims Processing Manual ch.17 §40; the MACs: First Coast rejects
    a claim holding only the JW line). Not on a line JW does not belong on (a code that is
    no drug: ``MOD_INVALID``'s, where it judges placement), nor on one with JZ too
    (``MOD_COMBINATION_INVALID``'s). Location: JW; codes: the drug, JW; no ``fix`` (the
    line to add is the same code, of the dose given)."""
    given = {(ln.day, ln.code) for ln in ctx.valid_lines if "JW" not in ln.modifiers}
    told: set[tuple[dt.date, str | None]] = set()
    for ln in ctx.valid_lines:
        mods = ln.modifiers
        if "JW" not in mods or "JZ" in mods or (ln.day, ln.code) in given \
                or (ln.day, ln.code) in told or _misplacement(ln, PLACEMENT["JW"]) is not None:
            continue
        told.add((ln.day, ln.code))
        yield Hit(f"Line {ln.line.line} ({ln.code}-JW) bills an amount of the drug discarded "
                  f"on {ln.day}, but no line bills {ln.code} administered that day: the "
                  "amount discarded from a single-dose container is paid beside the dose "
                  "given, on a line of its own, so bill the dose given on a line of "
                  f"{ln.code} without JW (its units the dose over the code's dose per unit) "
                  "and keep the JW line for the rest of the container (Claims Processing "
                  "Manual ch.17 §40); a drug none of which was given is not billed.",
                  ("service_lines", ln.index, "modifiers", mods.index("JW")),
                  (ln.code or "", "JW"))


@rule("MOD_COUNT_EXCEEDED", "E", "error", "837P SV101-3..6; NUCC item 24D (4 modifiers)",
      when=["mods-many"])
def mod_count(ctx: ClaimContext) -> Iterator[Hit]:
    """More than four modifiers on a line (any line: the count does not depend on the
    code)."""
    for ln in ctx.lines:
        if len(ln.modifiers) > 4:
            yield Hit(f"Line {ln.line.line} has {len(ln.modifiers)} modifiers "
                      f"({', '.join(ln.modifiers)}); a line carries at most 4.",
                      ("service_lines", ln.index, "modifiers", 4), ln.modifiers)


@rule("MOD_LATERALITY_CONFLICT", "E", "error",
      "Medicare Claims Processing Manual ch.12 §40.7; MPFS bilateral indicator",
      when=["mods-conflict"], supersedes=["LATERALITY_MISMATCH"])
def mod_laterality_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """Contradictory side modifiers on one line: RT with LT, 50 with RT or LT, or an
    eyelid, finger or toe modifier with RT or LT of the other side (F5, the right thumb,
    with LT). It replaces a ``LATERALITY_MISMATCH`` on the same line (one of the two sides
    must go). On a code the IOCE designates inherently bilateral (the code covers both
    sides) the message says to bill it once without side modifiers."""
    for ln in ctx.valid_lines:
        mods = set(ln.modifiers)
        bad: tuple[str, ...]
        inherent = getattr(ln.entry, "bilateral", None) == "inherent"
        if {"RT", "LT"} <= mods:
            bad = ("RT", "LT")
            fix = ("the code covers both sides (IOCE bilateral designation inherent): bill "
                   "it once, without RT, LT or 50" if inherent else
                   "a DMEPOS item for each side is billed on two lines, one RT and one LT, "
                   "1 unit each (DME MAC joint publication of 2018-12-06: RT and LT on one "
                   "line are rejected)" if is_dmepos(ln) else
                   "bill both sides with 50 (1 unit) or on two lines, one RT and one LT")
        elif "50" in mods and mods & {"RT", "LT"}:
            bad = ("50", *sorted(mods & {"RT", "LT"}))
            fix = ("the code covers both sides (IOCE bilateral designation inherent): drop "
                   "50 and RT/LT" if inherent else
                   "50 already means both sides: drop RT/LT, or drop 50 for one side")
        else:
            finer = next((m for m in ln.modifiers if OTHER_SIDE.get(m) in mods), None)
            if finer is None:
                continue
            other = OTHER_SIDE[finer]
            bad = (finer, other)
            fix = (f"they name opposite sides ({finer}: {ANATOMIC[finer].site}): keep the "
                   f"side treated ({finer} names its side; {other} is not needed)")
        j = ln.modifiers.index(bad[1])
        yield Hit(f"Line {ln.line.line} ({ln.code}) has {' and '.join(bad)}: {fix}.",
                  ("service_lines", ln.index, "modifiers", j), (ln.code or "", *bad))


def _dx_side(d: DxInfo) -> str | None:
    return d.facts.side if d.valid else None


def _claim_side(ctx: ClaimContext) -> tuple[tuple[DxInfo, ...], str | None]:
    """(the claim's valid diagnoses of a sided body region, the one side they all name);
    the side is None when there are none, when one names no side ("unspecified knee"),
    or when they name different sides (a right eye and a left knee): nothing to suggest."""
    related = tuple(claim_region_dxs(ctx, None))
    sides = {d.facts.side for d in related}
    return related, sides.pop() if len(sides) == 1 else None


@rule("MOD_LATERALITY_MISSING", "E", "warning",
      "MAC LCD billing articles (e.g. 20610/20611 RT/LT/50); IOCE/MPFS bilateral indicator",
      when=["proc-sided"])
def mod_laterality_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A procedure that can be done on either side, a pointed diagnosis that states a side,
    and no side modifier on the line. On a line that points to no diagnosis (an 837I
    line) the claim's diagnoses of a sided body region take their place, when every one
    of them names one and the same side (:func:`_claim_side`)."""
    claim_side: tuple[tuple[DxInfo, ...], str | None] | None = None
    for ln in ctx.valid_lines:
        if getattr(ln.entry, "bilateral", None) not in ("conditional", "independent"):
            continue
        if SIDE_MODIFIERS & set(ln.modifiers):
            continue
        if not ln.line.diagnosis_pointers and ctx.claim.is_institutional:
            if claim_side is None:
                claim_side = _claim_side(ctx)
            related, side = claim_side
            if side is not None:
                mod = MODIFIER_OF_SIDE[side]
                dx = ", ".join(d.facts.dotted for d in related)
                yield Hit(f"Line {ln.line.line} ({ln.code}) has no side modifier, but the "
                          f"claim's diagnoses ({dx}) name the {side} side: add {mod} (or "
                          "RT/LT/50 as performed).", ("service_lines", ln.index, "modifiers"),
                          (ln.code or "", *(d.facts.dotted for d in related)), (mod,))
            continue
        sided = [d for d in ctx.pointed(ln) if _dx_side(d)]
        if sided:
            d = sided[0]
            mod = MODIFIER_OF_SIDE[d.facts.side or "right"]
            yield Hit(f"Line {ln.line.line} ({ln.code}) points to {d.facts.dotted} "
                      f"({d.facts.side}) but has no side modifier: add {mod} (or RT/LT/50 "
                      "as performed).", ("service_lines", ln.index, "modifiers"),
                      (ln.code or "", d.facts.dotted), (mod,))


@rule("EM_MINOR_PROC_NO_MOD25", "E", "error",
      "Medicare Claims Processing Manual ch.12 §30.6.6, §40.1; NCCI Policy Manual ch.I and XI "
      "(E/M column-2 PTP edits, indicator 1)", needs=("ptp",), when=["lines-several"],
      supersedes=["NCCI_PTP_CONFLICT"])
def em_without_25(ctx: ClaimContext) -> Iterable[Hit | NotRun]:
    """An E/M service without modifier 25 on the same date as a minor procedure (0 or 10
    global days) that bundles it (an NCCI PTP edit of the claim's setting, E/M in column 2,
    modifier indicator 1); 57 there is the wrong modifier (it is for the decision for a
    major surgery). A major procedure (90 global days) is not this edit: the E/M needs 57
    there, and without 25 or 57 the PTP edit itself reports it. A service without a global
    period (XXX: an injection, a nebulizer treatment) is judged as a minor procedure: 25
    is the one modifier, 57 is wrong. Global days come from a loaded MPFS file
    (:func:`codekit.procedure.load_mpfs`); without one, an E/M with 57 is accepted and one
    with neither modifier is told to use 25 or 57 and to load the file; with one that
    leaves it open (YYY, ZZZ, MMM), 25 or 57. A drug or vaccine administration (96372,
    90471: :func:`_administration`) is never a major surgery: 25 only, MPFS file or not.
    E/M: :func:`codekit.procedure.is_em` (critical care 99291 beside a central line 36556
    takes 25 too), the telemedicine visits 98000-98015 (CPT's E/M section from 2025: 98005
    beside 95004 takes 25) and the eye examinations 92002-92014, which NCCI treats as
    visits (:func:`codekit.procedure.is_em_or_eye_exam`: 92012 beside 65222 takes 25). On a
    professional claim, a visit of a setting (:func:`_package_visit`)
    beside a procedure whose global days the MPFS file gives as 000, 010 or 090 is judged
    by the global surgery package where no PTP pair bundles them (:func:`_package_hit`:
    99283 beside 12002 takes 25, beside 25600 57; ch.12 §40.1). Not on a claim no CMS
    editor takes (:data:`NO_CMS_EDITOR`: its tables say nothing)."""
    tables = ctx.tables
    if type(tables) is NcciOffTables:  # no PTP table on any date: not run where one would
        return tables.not_run if _asks_for_ptp(ctx) else ()  # be asked for
    return _em_without_25(ctx)


def _asks_for_ptp(ctx: ClaimContext) -> bool:
    """Whether :func:`em_without_25` asks for the PTP table of a date on the claim: for an
    E/M it judges (:func:`_judged_ems`) without 25, or with 25 beside a major surgery of
    its date; on a claim of several lines (its ``when``: an E/M alone on its claim is not
    listed). Where it does and the profile has no table, the edit did not run."""
    if len(ctx.claim.service_lines) < 2:
        return False
    lines = ctx.valid_lines
    return any(not with_25 or next(_majors_beside(em, lines), None) is not None
               for em, with_25 in _judged_ems(ctx, lines))


def _judged_ems(ctx: ClaimContext,
                lines: list[LineInfo]) -> Iterator[tuple[LineInfo, bool]]:
    """The E/M lines :func:`em_without_25` judges against a PTP table, each with whether
    it carries 25: one with 25 (and not 57) only when its global days are known (an MPFS
    file loaded) and the bypass is the manual's, to be judged beside a major surgery; one
    without 25, unless it carries 57 under the I/OCE's bypass (which takes any
    NCCI-associated modifier)."""
    ioce = ctx.profile.option("ncci_bypass", "manual") == "ioce"
    for em in lines:
        if not is_em_or_eye_exam(em.code):
            continue
        mods = em.modifiers
        if "25" in mods:
            # an E/M has global days (XXX) only when an MPFS file is loaded: without one
            # no procedure's are known either
            if not ioce and "57" not in mods and em.entry.global_days is not None:
                yield em, True
        elif not ioce or "57" not in mods:
            yield em, False


def _majors_beside(em: LineInfo, lines: list[LineInfo]) -> Iterator[LineInfo]:
    """The major surgeries (090 global days) of ``em``'s date on other lines."""
    for proc in lines:
        if proc is not em and proc.day == em.day and proc.entry.global_days == "090" \
                and not is_em_or_eye_exam(proc.code):
            yield proc


def _em_without_25(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """:func:`em_without_25` with the profile's tables."""
    lines = ctx.valid_lines
    ioce = ctx.profile.option("ncci_bypass", "manual") == "ioce"
    for em, with_25 in _judged_ems(ctx, lines):
        if with_25:
            yield from _25_beside_major(ctx, em, lines)
            continue
        has57 = "57" in em.modifiers
        ptp, missing = ctx.table_on("ptp", em.day)
        if missing is not None:
            yield missing
            continue
        for proc in lines:
            if proc is em or proc.day != em.day or is_em_or_eye_exam(proc.code) or \
                    proc.code in HOSPITAL_VISIT_CODES or not one_biller(ctx, em, proc):
                continue  # (one_biller: a CAH's facility line and its practitioner's)
            if ioce and (NCCI_ASSOCIATED.intersection(proc.modifiers)
                         or NCCI_ASSOCIATED.intersection(em.modifiers)):
                continue  # the CMS I/OCE bypasses on either line (see ncci_edits.bypassed)
            days = proc.entry.global_days
            if days in _PACKAGE_DAYS and _package_visit(ctx, em) and \
                    ptp.pair(proc.code, em.code, on=em.day) is None:
                hit = _package_hit(em, proc, days, has57)
                if hit is not None:
                    yield hit
                    break
                continue  # 57 beside a major surgery: right
            admin = days is None and _administration(proc.code)
            if days == "090" or (has57 and days not in ("000", "010", "XXX") and not admin
                                 and proc.code not in VISIT_CODES):
                continue  # a major surgery, or 57 where codekit cannot tell: not this edit
            edit = ptp.pair(proc.code, em.code, on=em.day)
            if edit is None or edit.modifier_indicator != 1:
                continue
            where = ("service_lines", em.index, "modifiers")
            codes = (em.code or "", proc.code or "")
            if proc.code in VISIT_CODES:
                yield Hit(f"Line {em.line.line}: {em.code} is reported on the same day as "
                          f"{proc.code} (line {proc.line.line}), a preventive or annual "
                          "wellness visit that includes it: "
                          + ("57 is for the decision for a major surgery; use 25 "
                             if has57 else "append 25 ")
                          + "if the E/M was a significant, separately identifiable "
                          f"problem-oriented visit, otherwise remove it."
                          f"{_not_for_em(em, proc)}", where, codes,
                          ("25",))
            elif days in ("000", "010", "XXX") or admin:
                what = ("a drug or vaccine administration (never a major surgery)" if admin
                        else f"a minor procedure ({days} global days)" if days != "XXX" else
                        "a service without a global period (XXX)")
                if has57:
                    yield Hit(f"Line {em.line.line}: {em.code} carries 57, the modifier for "
                              f"the decision for a major surgery, but {proc.code} (line "
                              f"{proc.line.line}) is {what}: "
                              "use 25 if the E/M was significant and separately "
                              f"identifiable, otherwise remove it.{_not_for_em(em, proc)}",
                              where, codes, ("25",))
                else:
                    yield Hit(f"Line {em.line.line}: {em.code} is reported on the same day as "
                              f"{proc.code} (line {proc.line.line}), {what} that includes "
                              "the E/M: append 25 if "
                              "the E/M was significant and separately identifiable, "
                              f"otherwise remove it.{_not_for_em(em, proc)}", where, codes,
                              ("25",))
            elif days is not None:
                # YYY (set by the contractor), ZZZ (within another service's global
                # period), MMM (maternity): the MPFS file is loaded but does not tell
                yield Hit(f"Line {em.line.line}: {em.code} is reported on the same day as "
                          f"{proc.code} (line {proc.line.line}), which includes the E/M "
                          f"(global days {days}: {GLOBAL_DAYS.get(days, days)}): append "
                          "25 if the E/M was significant and separately identifiable (a "
                          "minor procedure), 57 if it was the decision for a major surgery; "
                          f"otherwise remove it.{_not_for_em(em, proc)}", where, codes,
                          ("25", "57"))
            else:
                # no global days: no MPFS file loaded, none for the date, or one without
                # the procedure's row
                store = default_store()
                tell = ("(Load the MPFS RVU file to tell which: "
                        "codekit.procedure.load_mpfs.)" if not store.mpfs else
                        f"(The loaded MPFS RVU file has no global days for {proc.code}.)"
                        if store.mpfs_for(proc.day) is not None else
                        f"(No loaded MPFS RVU file answers for {proc.day}: load the one of "
                        f"CY {proc.day.year} to tell which, codekit.procedure.load_mpfs.)")
                yield Hit(f"Line {em.line.line}: {em.code} is reported on the same day as "
                          f"{proc.code} (line {proc.line.line}), which includes the E/M: "
                          "append 25 if the E/M was significant and separately "
                          "identifiable (a minor procedure, 0 or 10 global days), 57 if it "
                          "was the decision for a major surgery (90 global days); "
                          f"otherwise remove it. {tell}{_not_for_em(em, proc)}", where,
                          codes, ("25", "57"))
            break


#: The immunization administration code for COVID-19 vaccines from 2023-09-11 (CPT
#: 90480), beside :data:`codekit.procedure.CPT_VACCINE_ADMINISTRATION` and Medicare's G0008,
#: G0009, G0010.
COVID_VACCINE_ADMINISTRATION = "90480"


def _administration(code: str | None) -> bool:
    """A drug administration code (CPT 96360-96549: hydration, injections, infusions,
    chemotherapy administration) or a vaccine administration code (90460, 90471-90474,
    90480, G0008-G0010): none is a surgery with a 90-day global period, so an E/M beside
    one takes 25 (if separate), never 57, whether or not an MPFS file gives its global
    days."""
    if code is None or len(code) != 5:
        return False
    return code in CPT_VACCINE_ADMINISTRATION or code in PART_B_VACCINE_ADMINISTRATION or \
        code == COVID_VACCINE_ADMINISTRATION or (code.isdigit() and "96360" <= code <= "96549")


#: NCCI-associated modifiers that never bypass an edit of an E/M (NCCI Policy Manual ch.I
#: §E: 59 and X{EPSU} are not used to report an E/M separate; 25 is).
NOT_FOR_EM = _modifiers.DISTINCT_SERVICE


def _not_for_em(em: LineInfo, proc: LineInfo) -> str:
    """What to add to the message when the E/M or the procedure carries 59 or X{EPSU}:
    a coder who put one there meant the E/M to be separate, and it does not say so."""
    on = [f"{m} on line {ln.line.line}" for ln in (em, proc) for m in ln.modifiers
          if m in NOT_FOR_EM]
    if not on:
        return ""
    verb = "does" if len(on) == 1 else "do"
    return (f" ({', '.join(on)} {verb} not make an E/M separate: 59 and X{{EPSU}} are not used "
            "for E/M services, 25 on the E/M is: NCCI Policy Manual ch.I §E.)")


#: The global periods of the MPFS file whose surgical package includes a visit on the
#: day of the procedure (Claims Processing Manual ch.12 §40.1.A, §40.1.C): minor (000,
#: 010) and major (090) surgeries.
_PACKAGE_DAYS = frozenset({"000", "010", "090"})


def _package_visit(ctx: ClaimContext, em: LineInfo) -> bool:
    """Whether ``em`` is a visit the global surgery package of a same-day procedure
    includes where no PTP pair says so: on a professional claim (the package is the
    practitioner's payment rule, ch.12 §40.1), a visit of a setting (office, hospital,
    emergency department, nursing facility, home: :func:`codekit.procedure.em_setting`;
    not critical care, preventive visits or consultations), without FT or 24 (an unrelated
    E/M, judged by the payer with the record)."""
    return not ctx.claim.is_institutional and em_setting(em.code or "") is not None \
        and not {"FT", "24"} & set(em.modifiers)


def _package_hit(em: LineInfo, proc: LineInfo, days: str, has57: bool) -> Hit | None:
    """The finding of a visit without 25 on the day of ``proc``, a procedure of global
    period ``days`` (000, 010 or 090) that no PTP pair bundles it into, by the global
    surgery package (ch.12 §40.1.A, §40.1.C: "Visits by the same physician on the same
    day as a minor surgery or endoscopy are included in the payment for the procedure,
    unless a significant, separately identifiable service is also performed"); None for
    57 beside a major surgery (the decision for it, §40.2.A.4)."""
    where = ("service_lines", em.index, "modifiers")
    codes = (em.code or "", proc.code or "")
    if days == "090":
        if has57:
            return None
        return Hit(f"Line {em.line.line}: {em.code} is reported on the same day as "
                   f"{proc.code} (line {proc.line.line}), a major surgery (090 global days) "
                   "whose global surgical package includes a visit of its day unless it was "
                   "the decision for the surgery (Claims Processing Manual ch.12 §40.1.A, "
                   "§40.2.A.4): append 57 if so, otherwise remove it."
                   f"{_not_for_em(em, proc)}", where, codes, ("57",))
    what = (f"a minor procedure ({days} global days) whose global surgical package "
            "includes a visit of its day unless a significant, separately identifiable "
            "service was also performed (Claims Processing Manual ch.12 §40.1.C)")
    if has57:
        return Hit(f"Line {em.line.line}: {em.code} carries 57, the modifier for the decision "
                   f"for a major surgery, but {proc.code} (line {proc.line.line}) is {what}: "
                   "use 25 if the E/M was significant and separately identifiable, otherwise "
                   f"remove it.{_not_for_em(em, proc)}", where, codes, ("25",))
    return Hit(f"Line {em.line.line}: {em.code} is reported on the same day as {proc.code} "
               f"(line {proc.line.line}), {what}: "
               "append 25 if the E/M was significant and separately identifiable, otherwise "
               f"remove it.{_not_for_em(em, proc)}", where, codes, ("25",))


def _25_beside_major(ctx: ClaimContext, em: LineInfo,
                     lines: list[LineInfo]) -> Iterator[Hit | NotRun]:
    """The finding of an E/M with 25 (and not 57) on the day of a major surgery (90
    global days, known from a loaded MPFS file) that bundles it (PTP, indicator 1; with no
    pair, a professional visit of a setting, :func:`_package_visit`, by the global
    package): on the day of a major surgery only 57 makes the E/M payable (ch.12
    §40.2.A.4)."""
    for proc in _majors_beside(em, lines):
        if not one_biller(ctx, em, proc):
            continue  # a CAH's facility line and its practitioner's (85x)
        ptp, missing = ctx.table_on("ptp", em.day)
        if missing is not None:
            yield missing
            return
        edit = ptp.pair(proc.code, em.code, on=em.day)
        if edit is None and not _package_visit(ctx, em):
            continue  # no pair: judged by the global package on professional visits only
        if edit is not None and edit.modifier_indicator != 1:
            continue
        yield Hit(f"Line {em.line.line}: {em.code} carries 25, but {proc.code} (line "
                  f"{proc.line.line}) is a major surgery (090 global days): an E/M on the "
                  "day of a major surgery is part of its global package unless it was the "
                  "decision for the surgery, which is 57 (25 is for a minor procedure): "
                  "use 57 if so, otherwise remove the E/M.",
                  ("service_lines", em.index, "modifiers", em.modifiers.index("25")),
                  (em.code or "", proc.code or ""), ("57",))
        return


#: The COVID-19 public health emergency: modifier CS (cost-sharing waiver for testing-related
#: services) applies from 2020-03-18 to its end, 2023-05-11 (I/OCE edits 114 and 123). The
#: I/OCE applies edit 114 until its version 24.2 starts (2023-07-01).
CS_FROM, PHE_END, IOCE_114_END = dt.date(2020, 3, 18), dt.date(2023, 5, 11), dt.date(2023, 6, 30)


def _cs(ctx: ClaimContext) -> Iterator[tuple[LineInfo, int]]:
    """(line, position) of every modifier CS on a valid line."""
    for ln in ctx.valid_lines:
        if "CS" in ln.modifiers:
            yield ln, ln.modifiers.index("CS")


@rule("MOD_CS_AFTER_PHE", "E", "warning",
      "I/OCE edit 123; CMS MLN MM12549 (cost-sharing waiver ends with the PHE, 2023-05-11)",
      when=["mods-cs"])
def cs_after_phe(ctx: ClaimContext) -> Iterator[Hit]:
    """Modifier CS (the COVID-19 cost-sharing waiver) on a line dated after the public
    health emergency ended on 2023-05-11."""
    for ln, j in _cs(ctx):
        if ln.day > PHE_END:
            yield Hit(f"Line {ln.line.line} ({ln.code}): modifier CS waives cost sharing for "
                      "COVID-19 testing-related services only through the end of the public "
                      f"health emergency (2023-05-11); the line is dated {ln.day}: remove CS.",
                      ("service_lines", ln.index, "modifiers", j), (ln.code or "", "CS"))


@rule("MOD_CS_NOT_ELIGIBLE", "E", "warning",
      "I/OCE edit 114; CMS MLN SE20011 (services eligible for the cost-sharing waiver)",
      when=["mods-cs"])
def cs_not_eligible(ctx: ClaimContext) -> Iterator[Hit]:
    """Modifier CS on a service the COVID-19 cost-sharing waiver does not cover (the
    I/OCE's list of eligible codes), dated from 2020-03-18 to the end of the public health
    emergency (2023-05-11); under a profile with the option ``ioce``
    (``medicare-outpatient``) to 2023-06-30, as the I/OCE does (with
    ``MOD_CS_AFTER_PHE`` after 2023-05-11)."""
    end = IOCE_114_END if ctx.profile.option("ioce") else PHE_END
    for ln, j in _cs(ctx):
        if CS_FROM <= ln.day <= end and not cs_waiver_eligible(ln.code, on=ln.day):
            yield Hit(f"Line {ln.line.line}: {ln.code} is not a service the COVID-19 "
                      "cost-sharing waiver covers (visits and testing-related services "
                      "that lead to a COVID-19 test): remove modifier CS.",
                      ("service_lines", ln.index, "modifiers", j), (ln.code or "", "CS"))


# -- the I/OCE's bilateral and telehealth edits (17, 74, 37, 126): medicare-outpatient ------------

#: I/OCE edit 126 runs from version 24.2 (2023-07-01), on types of bill 85x.
TELEHEALTH_FROM = dt.date(2023, 7, 1)
#: The modifiers the I/OCE flags as telehealth (95, GT, GQ: from 2023-07-01); a modifier's
#: own flag on the date decides (``codekit.modifiers.lookup(...).flags``).
TELEHEALTH_MODIFIERS = frozenset({"95", "GT", "GQ"})
# PROFESSIONAL_TELEHEALTH (imported): the modifiers that bill a professional line as
# telehealth, these and 93 (audio-only) and FQ (audio-only at an RHC or FQHC).
_ONE = Decimal(1)

_RPM = "remote physiologic monitoring"
_RTM = "remote therapeutic monitoring"
_CHECK_IN = "a virtual check-in (a communication technology-based service)"
_IMAGES = "a remote evaluation of recorded images (a communication technology-based service)"
_E_VISIT = "an online digital assessment (e-visit)"
_CONSULT = "an interprofessional consultation"
_CARE = "care management, billed for a calendar month"
_BHI = "behavioral health integration (care management), billed for a calendar month"
_DEVICE = ("remote monitoring of an implanted cardiac device (a remote interrogation, "
           "covering a period of 30 or 90 days)")
#: Services CMS pays under the physician fee schedule as furnished remotely by their
#: nature, each with its kind: not Medicare telehealth services (Social Security Act
#: §1834(m) and the Medicare Telehealth Services List are for services that stand in for
#: an in-person visit), so they take no telehealth modifier (95, GT, GQ, 93, FQ) and no
#: telehealth place of service (02, 10). Sources: CY 2019 PFS final rule, §II.D
#: (communication technology-based services: the virtual check-in G2012, the remote
#: evaluation G2010, the interprofessional consultations 99446-99449, 99451, 99452,
#: remote physiologic monitoring 99453, 99454, 99457; 99091 paid since CY 2018); CY 2020
#: (online digital assessments 99421-99423; 99458); CY 2021 (G2250, G2251, G2252); CY 2022
#: (remote therapeutic monitoring 98975-98977, 98980, 98981; chronic and principal care
#: management 99424-99427, 99437); CY 2023 (98970-98972 for the e-visits of practitioners
#: who do not bill E/M; 98978); CY 2025 (98016 for G2012; the interprofessional
#: consultations G0546-G0551 of practitioners who do not bill E/M); CY 2026 (99445, 99470,
#: 98979, 98984, 98985, 98986). The remote interrogation device evaluations of implanted
#: cardiac devices (93294-93298: the device's data transmitted to the practitioner for a
#: period, with no encounter) are services that interpret medical information without an
#: interaction with the patient, which CMS does not count as Medicare telehealth services
#: (CY 2018 PFS final rule, CMS-1676-F, on remote monitoring; 42 CFR 410.78: telehealth
#: stands in for an interactive visit). Care management (99490, 99439, 99491, 99487,
#: 99489 and the codes above) is a non-face-to-face service of a calendar month; its
#: place of service is the billing location (CMS, Frequently Asked Questions about
#: Billing the Physician Fee Schedule for CCM Services, 2016). Only the codes the I/OCE
#: does not flag telehealth on the line's date reach the message (98966-98968, G0506,
#: 99495, 99496 are on the list).
#: Behavioral health integration (99484 from 2017, the psychiatric collaborative care
#: 99492-99494 from 2018, G2214 from 2021) is care management too, furnished over a calendar
#: month (CY 2017 and CY 2018 PFS final rules; CMS MLN909432, Behavioral Health Integration
#: Services), on no bundled quarter's telehealth list. Left out: advanced primary care
#: management (G0556-G0558), whose status codekit has not checked.
REMOTE_SERVICES: dict[str, str] = {
    **dict.fromkeys(("99091", "99445", "99453", "99454", "99457", "99458", "99470"), _RPM),
    **dict.fromkeys(("98975", "98976", "98977", "98978", "98979", "98980", "98981",
                     "98984", "98985", "98986"), _RTM),
    **dict.fromkeys(("93294", "93295", "93296", "93297", "93298"), _DEVICE),
    **dict.fromkeys(("G2012", "G2251", "G2252", "98016"), _CHECK_IN),
    **dict.fromkeys(("G2010", "G2250"), _IMAGES),
    **dict.fromkeys(("99421", "99422", "99423", "98970", "98971", "98972"), _E_VISIT),
    **dict.fromkeys(("99446", "99447", "99448", "99449", "99451", "99452", "G0546",
                     "G0547", "G0548", "G0549", "G0550", "G0551"), _CONSULT),
    **dict.fromkeys(("99490", "99439", "99491", "99437", "99487", "99489", "99424",
                     "99425", "99426", "99427"), _CARE),
    **dict.fromkeys(("99484", "99492", "99493", "99494", "G2214"), _BHI),
}


def _units(ln: LineInfo) -> Decimal:
    """The line's units as the I/OCE counts them: missing, zero or below one count 1."""
    u = ln.line.units
    return u if u is not None and u >= _ONE else _ONE


def _many(ln: LineInfo) -> bool:
    """Units greater than one, as written."""
    u = ln.line.units
    return u is not None and u > _ONE


def _n(u: Decimal) -> str:
    return str(u.normalize()) if u == u.to_integral_value() else str(u)


def _bilateral_edits(ctx: ClaimContext, edit: int) -> bool:
    """The I/OCE's bilateral edit ``edit`` (17, 74, 37) runs: an outpatient claim under a
    profile with the option ``ioce`` whose I/OCE processing path runs it
    (:func:`codekit.rules.ioce_status.ioce_runs`: e.g. not 13x with condition code 89,
    not 32x; 34x only on its OPPS branch)."""
    return bool(ctx.profile.option("ioce")) and ioce_runs(ctx, edit)


def _cah_bypass(ctx: ClaimContext, day: dt.date, code: str) -> bool:
    """On a critical access hospital claim (type of bill 85x), a code billed once by the
    facility and once under a professional-fee revenue code (2 units in all on the day),
    or with an assistant surgeon's line too (3 units, two professional lines, one with an
    assistant-surgeon modifier), is one procedure billed by its parts: I/OCE edit 17 does
    not apply."""
    same = [ln for ln in ctx.lines if ln.day == day and ln.code == code]
    total = sum((_units(ln) for ln in same), Decimal(0))
    prof = [ln for ln in same if professional_revenue(ln)]
    if not prof or len(prof) == len(same):
        return False
    return total == 2 or (total == 3 and len(prof) >= 2 and any(
        _modifier_flag(m, day, "assistant_surgeon") for ln in prof for m in ln.modifiers))


@rule("BILATERAL_REPEATED", "E", "error",
      "I/OCE edit 17 (inappropriate specification of bilateral procedure)", when=["lines"],
      options=["ioce"], supersedes=["LINE_DUPLICATE"])
def bilateral_repeated(ctx: ClaimContext) -> Iterable[Hit]:
    """A code the IOCE designates inherently bilateral (the code covers both sides)
    reported more than once on a date of service -- on two lines, or with units greater
    than one -- under a profile with the option ``ioce`` (``medicare-outpatient``). A line
    with modifier 76 or 77 (a repeat procedure) does not count toward the units, so a true
    repeat is accepted; a code with status indicator V on a claim with condition code G0
    (distinct visits) is not edited; on a critical access hospital claim (85x) a code
    billed by the facility and under a professional-fee revenue code is one procedure.
    Every line of the code on the date is reported (the I/OCE rejects them all)."""
    return _edit_17(ctx)


def bilateral_rejected(ctx: ClaimContext) -> set[int]:
    """The indexes of the lines the I/OCE rejects with edit 17 (what
    ``BILATERAL_REPEATED`` reports); empty where the claim's path does not run it. Edit 21
    (``VISIT_SAME_DAY_PROCEDURE_NO_MOD25``) leaves them out, as the I/OCE does."""
    return {int(h.location[1]) for h in _edit_17(ctx)}


def _edit_17(ctx: ClaimContext) -> tuple[Hit, ...]:
    """Edit 17's findings on the claim (none where its path does not run it), worked out
    once a claim (``ctx.memo``): ``BILATERAL_REPEATED`` reports them, edit 21 leaves
    their lines out."""
    found = ctx.memo.get("bilateral_repeated")
    if found is None:
        found = ctx.memo["bilateral_repeated"] = \
            tuple(_bilateral_repeated(ctx)) if _bilateral_edits(ctx, 17) else ()
    return found


def _bilateral_repeated(ctx: ClaimContext) -> Iterator[Hit]:
    cah = bill_class(ctx.claim.bill_type) == "85"
    g0 = "G0" in ctx.claim.condition_codes
    for day, lines in lines_on(ctx).items():
        groups: dict[str, list[LineInfo]] = {}
        for ln in lines:
            if getattr(ln.entry, "bilateral", None) == "inherent" and ln.code:
                groups.setdefault(ln.code, []).append(ln)
        for code, same in groups.items():
            if len(same) == 1 and not _many(same[0]):
                continue
            counted = sum((_units(ln) for ln in same if not {"76", "77"} & set(ln.modifiers)),
                          Decimal(0))
            if counted <= 1 or (cah and _cah_bypass(ctx, day, code)):
                continue
            first = same[0]
            for ln in same:
                if g0 and getattr(ln.entry, "status_indicator", None) == "V":
                    continue
                where = (f"on {len(same)} lines" if len(same) > 1 else
                         f"with {_n(ln.line.units or _ONE)} units")
                msg = (f"Line {ln.line.line}: {code} covers both sides (IOCE bilateral "
                       f"designation inherent) and is reported {where} on {day}: bill "
                       f"{code} once, on one line with 1 unit and without 50")
                if len(same) == 1:
                    yield Hit(msg + ".", ("service_lines", ln.index, "units"), (code,), ("1",))
                elif ln is first:
                    yield Hit(msg + "; if it was repeated, add 76 or 77 to the repeat line.",
                              ("service_lines", ln.index, "procedure_code"), (code,))
                else:
                    yield Hit(msg + "; if it was repeated, add 76 or 77 to this line.",
                              ("service_lines", ln.index, "procedure_code"), (code,),
                              ("76", "77"))


@rule("BILATERAL_UNITS_WITH_50", "E", "error",
      "I/OCE edit 74 (units greater than one for bilateral procedure billed with modifier "
      "50)", when=["mods-50"])
def bilateral_units_with_50(ctx: ClaimContext) -> Iterable[Hit]:
    """Modifier 50 with units greater than one on a code the IOCE designates conditionally
    or independently bilateral, under a profile with the option ``ioce``
    (``medicare-outpatient``): 50 already says both sides, so the line has 1 unit. On a
    critical access hospital claim (85x) the I/OCE edits the lines under a
    professional-fee revenue code (0960-0989) with no modifier but 50, their units summed
    per code and revenue code. Under a profile with the option ``pfs``
    (``medicare-professional``), the same on a professional line: Medicare takes a
    bilateral procedure on a single line with 50 and 1 unit (Claims Processing Manual
    ch.12 §40.7.B, which the message cites; the rule's reference stays the I/OCE's, as
    its outpatient findings have it)."""
    if ctx.profile.option("ioce"):
        if not _bilateral_edits(ctx, 74):
            return ()
        if bill_class(ctx.claim.bill_type) == "85":
            return _units_with_50_cah(ctx)
        return _units_with_50(ctx)
    if ctx.profile.option("pfs") and not ctx.claim.is_institutional:
        return _units_with_50(ctx, professional=True)
    return ()


def _units_with_50(ctx: ClaimContext, professional: bool = False) -> Iterator[Hit]:
    for ln in ctx.valid_lines:
        if "50" in ln.modifiers and _units(ln) > 1 and getattr(ln.entry, "bilateral", None) \
                in ("conditional", "independent"):
            why = "50 already means both sides" + (
                ", and Medicare takes a bilateral procedure on a single line with 1 unit "
                "(Claims Processing Manual ch.12 §40.7.B)" if professional else "")
            yield Hit(f"Line {ln.line.line} ({ln.code}) has modifier 50 and "
                      f"{_n(_units(ln))} units: {why}; bill "
                      f"{ln.code} once with modifier 50 and 1 unit.",
                      ("service_lines", ln.index, "units"), (ln.code or "", "50"), ("1",))


def _units_with_50_cah(ctx: ClaimContext) -> Iterator[Hit]:
    for day, lines in lines_on(ctx).items():
        groups: dict[tuple[str, str], list[LineInfo]] = {}
        for ln in lines:
            if getattr(ln.entry, "bilateral", None) not in ("conditional", "independent") \
                    or not professional_revenue(ln) or ln.modifiers not in ((), ("50",)):
                continue
            key = (ln.code or "", (ln.line.revenue_code or "").strip())
            groups.setdefault(key, []).append(ln)
        for (code, rev), same in groups.items():
            total = sum((_units(ln) for ln in same), Decimal(0))
            if total <= 1 or not any("50" in ln.modifiers for ln in same):
                continue
            for ln in same:
                yield Hit(f"Line {ln.line.line} ({code}, revenue code {rev}): {code} is "
                          f"billed with modifier 50 and {_n(total)} units in all on {day}: "
                          f"50 already means both sides; bill {code} once with modifier 50 "
                          "and 1 unit.", ("service_lines", ln.index, "units"),
                          (code, "50"), ("1",))


@rule("MOD_TERMINATED_MULTIPLE", "E", "error",
      "I/OCE edit 37 (terminated bilateral procedure or terminated procedure with units "
      "greater than one)", when=["modifiers"], options=["ioce"])
def terminated_multiple(ctx: ClaimContext) -> Iterable[Hit]:
    """Modifier 52 or 73 (a procedure reduced or discontinued) on a line that reports more
    than one procedure: units greater than one, or modifier 50 on a code the IOCE
    designates conditionally or independently bilateral. Under a profile with the option
    ``ioce`` (``medicare-outpatient``), on OPPS claims (``Claim.opps`` not False) and
    critical access hospital claims (85x), as the I/OCE."""
    if not _bilateral_edits(ctx, 37):  # (37 runs on non-OPPS claims of 85x only)
        return ()
    return _terminated_multiple(ctx)


def _terminated_multiple(ctx: ClaimContext) -> Iterator[Hit]:
    for ln in ctx.valid_lines:
        term = next((m for m in ln.modifiers if m in ("52", "73")), None)
        if term is None:
            continue
        if _many(ln):
            yield Hit(f"Line {ln.line.line} ({ln.code}) has modifier {term} and "
                      f"{_n(ln.line.units or _ONE)} units: a terminated procedure is billed "
                      "with 1 unit; bill each procedure that was completed on its own line.",
                      ("service_lines", ln.index, "units"), (ln.code or "", term), ("1",))
        elif "50" in ln.modifiers and getattr(ln.entry, "bilateral", None) in (
                "conditional", "independent"):
            yield Hit(f"Line {ln.line.line} ({ln.code}) has modifiers {term} and 50: a "
                      "terminated procedure is not billed as bilateral; bill the side "
                      f"terminated with RT or LT and {term}, and a side completed on its own "
                      "line.", ("service_lines", ln.index, "modifiers",
                                ln.modifiers.index("50")), (ln.code or "", term, "50"),
                      ("RT", "LT"))


#: What a hospital reports for a discontinued procedure instead of 53 (Claims Processing
#: Manual ch.4 §20.6.4): 74 after anesthesia (local, regional, moderate sedation, general)
#: or after the procedure started, 73 before anesthesia once the patient was prepared and
#: taken to the room, 52 for a service that needs no anesthesia (radiology...).
FACILITY_DISCONTINUED = ("74", "73", "52")


@rule("MOD_53_FACILITY", "E", "warning",
      "Claims Processing Manual ch.4 §20.6.4 (discontinued services on hospital outpatient "
      "claims: modifiers 73, 74, 52) and ch.14 §40.4 (terminated procedures on an "
      "ambulatory surgical center's claim: 73, 74, 52); CMS program memorandum AB-03-114 "
      "(an interrupted colonoscopy: 53 on the professional claim, 73 or 74 on the "
      "facility's)",
      when=["mods-53"])
def mod_53_facility(ctx: ClaimContext) -> Iterable[Hit]:
    """Modifier 53 (a procedure discontinued: the physician's modifier) on a facility's
    claim: under a profile with the option ``ioce`` (``medicare-outpatient``), a hospital
    outpatient claim (type of bill 13x) or an ambulatory surgery center's 837I (type of
    bill 83x, ``Claim.is_asc_facility``); under a profile with the option ``asc_edits``
    (``medicare-professional``), an ambulatory surgical center's facility claim on the
    837P (``Claim.asc_facility`` true). The facility reports 73 or 74 (a procedure that
    needs anesthesia, discontinued before or after it) or 52 (one that needs none). Not on
    a hospital line under a professional-fee revenue code (0960-0989), which bills the
    physician's part. Every line is judged, one whose code failed validity too: 53 is not
    a facility modifier whatever the code (the I/OCE takes it: no edit)."""
    claim = ctx.claim
    if claim.claim_type != "institutional":
        if claim.asc_facility and ctx.profile.option("asc_edits"):
            return _mod_53_facility(ctx, "an ambulatory surgical center's facility claim")
        return ()
    if not ctx.profile.option("ioce") or claim.is_inpatient:
        return ()
    if claim.is_asc_facility:  # type of bill 83x
        return _mod_53_facility(ctx, "an ambulatory surgery center's claim (type of bill "
                                f"{claim.bill_type.strip() if claim.bill_type else ''})")
    if bill_class(claim.bill_type) != "13":
        return ()
    return _mod_53_facility(ctx, "a hospital outpatient claim")


def _mod_53_facility(ctx: ClaimContext, whose: str) -> Iterator[Hit]:
    for ln in ctx.lines:
        if "53" not in ln.modifiers or professional_revenue(ln):
            continue
        radiology = ln.entry is not None and ln.entry.section == "Radiology"
        fix: tuple[str, ...] = ("52",) if radiology else FACILITY_DISCONTINUED
        how = ("report 52 (a radiology service discontinued)" if radiology else
               "report 74 (discontinued after anesthesia was given or the procedure "
               "started), 73 (before anesthesia, the patient prepared and in the room) or "
               "52 (a service that needs no anesthesia)")
        yield Hit(f"Line {ln.line.line} ({ln.code or ln.line.procedure_code}): modifier 53 is "
                  f"the physician's for a discontinued procedure; {whose} does not use it: "
                  f"{how}.",
                  ("service_lines", ln.index, "modifiers", ln.modifiers.index("53")),
                  (ln.code or "", "53"), fix)


@rule("MOD_TELEHEALTH_NOT_ELIGIBLE", "E", "error",
      "I/OCE edit 126 (incorrect reporting of telehealth modifier, from version 24.2); "
      "professional: Claims Processing Manual ch.12 §190 (Medicare Telehealth Services "
      "List)", when=["telehealth"])
def telehealth_not_eligible(ctx: ClaimContext) -> Iterable[Hit]:
    """A telehealth modifier (95, GT or GQ: those the I/OCE flags on the date) on a code
    the I/OCE does not flag as a telehealth service, on a line dated from 2023-07-01,
    under a profile with the option ``ioce`` (``medicare-outpatient``) on a critical access
    hospital claim (type of bill 85x): the I/OCE applies edit 126 on that type of bill
    only. Under a profile with the option ``telehealth_list`` (``medicare-professional``),
    a line billed as telehealth (modifier 95, GT, GQ, 93 or FQ, or place of service 02 or
    10, the line's or else the claim's) whose code is not on the Medicare Telehealth
    Services List on its date (the I/OCE's telehealth flag, from 2023-07-01)."""
    if ctx.profile.option("ioce"):
        if ioce_path(ctx) != "85":  # not 85x, or one the I/OCE returns first (edit 118)
            return ()
        return _telehealth_not_eligible(ctx)
    if ctx.profile.option("telehealth_list") and not ctx.claim.is_institutional:
        return _telehealth_not_listed(ctx)
    return ()


def _telehealth_not_eligible(ctx: ClaimContext) -> Iterator[Hit]:
    for ln in ctx.valid_lines:
        if ln.day < TELEHEALTH_FROM or "telehealth" in ln.entry.flags:
            continue
        for j, m in enumerate(ln.modifiers):
            if m in TELEHEALTH_MODIFIERS and _modifier_flag(m, ln.day, "telehealth"):
                kind = REMOTE_SERVICES.get(ln.code or "")
                yield Hit(f"Line {ln.line.line}: {ln.code} is not a service the I/OCE "
                          f"accepts as telehealth on {ln.day}: remove {m} " + (
                              f"({ln.code} is {kind}, a service furnished remotely by its "
                              "nature, not a Medicare telehealth service)." if kind else
                              "(or bill the telehealth service's own code)."),
                          ("service_lines", ln.index, "modifiers", j), (ln.code or "", m))
                break


def _telehealth_not_listed(ctx: ClaimContext) -> Iterator[Hit]:
    """The professional check: the first telehealth modifier of a line, else its place of
    service 02 or 10, on a code not on the telehealth list. A telemedicine visit
    (98000-98015) is never "furnished in person": its line is told what Medicare pays
    in its place (the office visit of its level, billed as telehealth), at its code. A
    quality-data code (:func:`~codekit.rules.context.is_quality_data`: 3074F, G8427 of MPFS
    status M) is no service: it reports a measure's action for the visit of its claim,
    telehealth or not, and Medicare never pays it (remark N365), so the list does not
    judge it."""
    claim_pos = ctx.claim.place_of_service
    for ln in ctx.valid_lines:
        if ln.day < TELEHEALTH_FROM or "telehealth" in ln.entry.flags or \
                is_quality_data(ln):
            continue
        j = next((j for j, m in enumerate(ln.modifiers) if m in PROFESSIONAL_TELEHEALTH), -1)
        office = office_visit_of(ln.code or "")
        if office is not None and (
                j >= 0 or (ln.line.place_of_service or claim_pos) in TELEHEALTH_POS):
            yield Hit(f"Line {ln.line.line}: {ln.code} is a CPT telemedicine visit (furnished "
                      "by telecommunication by its nature), not on the Medicare Telehealth "
                      f"Services List on {ln.day}: {telemedicine_advice(ln.code or '')}.",
                      ("service_lines", ln.index, "procedure_code"), (ln.code or "",),
                      (office,))
            continue
        other = medicare_code(ctx, ln)
        if other is not None and "telehealth" in getattr(
                resolve(other, on=ln.day).entry, "flags", ()) and (
                j >= 0 or (ln.line.place_of_service or claim_pos) in TELEHEALTH_POS):
            # 99417 beside 99215: Medicare's code for the time is G2212, on the list
            yield Hit(f"Line {ln.line.line}: {ln.code} is not on the Medicare Telehealth "
                      f"Services List on {ln.day}: Medicare does not recognize it (MPFS "
                      f"status I) and pays that prolonged time as {other}, which is on the "
                      f"list: report {other} in its place, billed as telehealth.",
                      ("service_lines", ln.index, "procedure_code"), (ln.code or "",),
                      (other,))
            continue
        kind = REMOTE_SERVICES.get(ln.code or "")
        if j >= 0:
            m = ln.modifiers[j]
            how = f"modifier {m} bills it as telehealth: remove {m} if it was furnished " \
                "in person"
            remote = f" and is billed without a telehealth modifier: remove {m}."
            pos = ln.line.place_of_service or claim_pos
            if pos in TELEHEALTH_POS:
                remote = (" and is billed without a telehealth modifier, with the place of "
                          f"service of the practice that bills it: remove {m}, and report "
                          f"that place of service instead of {pos}.")
            at: tuple[str | int, ...] = ("service_lines", ln.index, "modifiers", j)
            codes: tuple[str, ...] = (ln.code or "", m)
        else:
            pos = ln.line.place_of_service or claim_pos
            if pos not in TELEHEALTH_POS:
                continue
            how = f"place of service {pos} bills it as telehealth: report the place " \
                "where it was furnished in person"
            remote = (f", and place of service {pos} is for telehealth: report the place of "
                      "service of the practice that bills it (where its practitioner would "
                      "see the patient in person).")
            at = ("service_lines", ln.index, "place_of_service") \
                if ln.line.place_of_service else ("place_of_service",)
            codes = (ln.code or "",)
        if kind:
            # a service remote by its nature: never "furnished in person", never telehealth
            yield Hit(f"Line {ln.line.line}: {ln.code} is {kind}, a service furnished "
                      "remotely by its nature: it is not a Medicare telehealth service (not "
                      f"on the Medicare Telehealth Services List on {ln.day}, not subject to "
                      f"its conditions){remote}", at, codes)
            continue
        yield Hit(f"Line {ln.line.line}: {ln.code} is not on the Medicare Telehealth "
                  f"Services List on {ln.day} (the I/OCE's telehealth flag), and {how}; "
                  "a service not on the list is not paid as telehealth.",
                  at, codes)


@functools.lru_cache(maxsize=1 << 12)
def _modifier_flag(modifier: str, day: dt.date, flag: str) -> bool:
    """Whether the I/OCE flags ``modifier`` with ``flag`` (``telehealth``,
    ``assistant_surgeon``) on ``day``; False for a modifier not valid then."""
    try:
        return flag in _modifiers.lookup(modifier, on=day).flags
    except ValidationError:
        return False


_cache.owned("rules.modifier_flags", _modifier_flag)


RULES = (mod_invalid, mod_count, mod_combination, mod_jz_with_jw, mod_jw_without_administered,
         mod_laterality_conflict, mod_laterality_missing, bilateral_repeated,
         bilateral_units_with_50, terminated_multiple, mod_53_facility, telehealth_not_eligible,
         em_without_25, cs_after_phe, cs_not_eligible)

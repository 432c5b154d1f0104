"""Group B: pairs of diagnoses the ICD-10-CM Official Guidelines do not report together, the
order they set for two codes, the chapter 15 code they call for beside another chapter's,
where no tabular note codekit reads says it, and signs and symptoms integral to a disease.

Four tables of :mod:`codekit.icd10cm.guidelines` hold what the edits know, one row a
guideline, by compact code prefix:

- ``CONFLICTS`` (``DX_GUIDELINE_CONFLICT``): a code the guideline says is not assigned
  beside another. Z20.822 (contact with or suspected exposure to COVID-19) with U07.1
  (I.C.1.g.1.e; Z20's Excludes1 says "diagnosed current infectious or parasitic disease -
  see Alphabetic Index", which names no code); O80 with another chapter 15 code or an
  outcome of delivery other than Z37.0 (I.C.15.n.1, I.C.15.n.3; O80's inclusion note);
  Z79.4 or Z79.84 with gestational diabetes O24.4- (I.C.15.i), and a diet-controlled O24.4- code
  (O24.410, O24.420, O24.430) beside the insulin or oral drug one, and O24.4- with
  another code of category O24 (I.C.15.i); one burn site and side in two degrees
  (I.C.19.d.2: coded once, at the highest); a Z85
  personal history of malignant neoplasm with a current malignancy of the same site
  (I.C.2.d, I.C.2.m: ``HISTORY_SITES``; Z85.44 with C57.0- until Z85.4A took the fallopian
  tube on 2025-10-01, ``HISTORY_UNTIL``); an orthopedic or surgical aftercare Z code with an
  injury coded for a subsequent encounter (I.C.21.c.7; the Excludes1 notes of Z47 and Z48
  say it in words, not codes). The finding is at the code to remove; ``codes`` are it and
  the codes that rule it out; ``fix`` the codes that stay in its place (the partners;
  none for O80 beside Z37.2: the delivery's codes are not on the claim). O80 with no
  other chapter 15 code is also judged against the claim's weeks of gestation (Z3A before
  37 completed weeks, or from 41) and delivery procedures (a cesarean, an extraction):
  O80 is a spontaneous, full-term, vaginal delivery (I.C.15.n.1, its inclusion note).
  Also A41.9 beside a sepsis of a specified organism (I.C.1.d.1.a), and, on a claim of
  one encounter (an inpatient stay, or lines all on the claim's date; on an inpatient
  claim not beside a code not present on admission, a new event of the stay), one injury
  for a subsequent and the initial encounter (I.C.19.a), the adverse effect and a
  poisoning of one drug (I.C.19.e.5), and a second activity or external cause status
  code (Y93, Y99: I.C.20.c, I.C.20.k; ``Conflict.once``, the later one removed) and a
  leukemia or myeloma in a second status of its 5th character (C91.01 after C91.00:
  I.C.2.n; ``REMISSION``, no fix: the record says which). Besides the rows, an external
  cause code (V00-Y38) whose 7th character says another encounter than every injury
  code's (W19.XXXD with S52.521A: I.C.20.a.2, fix W19.XXXA), and a superficial injury
  (S00, S10 ... S90) beside a fracture, dislocation, open wound, crushing injury or
  amputation of the same site and side (S80.01XA with S82.001A: I.C.19.b.1). A
  place, activity or status code (Y92, Y93, Y99) where every encounter code is for a
  later encounter (``Conflict.later``: I.C.20.b, I.C.20.c, I.C.20.k); a perpetrator code
  (Y07) beside suspected abuse only (``Conflict.unless``: I.C.19.f); the extent of burns
  (T31) beside corrosions only, of corrosions (T32) beside burns only (``Conflict.swap``:
  I.C.19.d.6).
- ``SEQUENCES`` (``DX_GUIDELINE_SEQUENCE``): a code listed first that the guideline
  sequences after another code of the claim. A condition of chapters 1-18 first-listed
  before a poisoning (T36-T50, 6th character 1-4: I.C.19.e.5.b, "use additional code(s) for
  all manifestations of poisonings"); T31 or T32 (burns or corrosions by extent of body
  surface) first-listed beside a burn or corrosion of a specified site, T20-T25 (I.C.19.d.6
  and the categories' note); a burn or corrosion of a specified site first-listed before
  one of a higher degree at another site or side (I.C.19.d.1); on an inpatient claim, a
  localized infection first-listed before a sepsis code, both present on admission
  (I.C.1.d.4, ``Sequence.admitted``); a respiratory manifestation of COVID-19 first-listed
  before U07.1 (I.C.1.g.1.a, I.C.1.g.1.b; not beside a code of sepsis, severe sepsis or a
  transplant complication, ``Sequence.unless``). Besides the rows, a sequela
  code (S00-T88, 7th character S) first-listed before a code that may be its residual
  condition (I.B.10, I.C.19.a). The finding is at ``diagnoses[0]``; ``fix`` is the code to
  list first (for burns, the one of the highest degree, I.C.19.d.1). Never a sequela (7th
  character S: its condition goes first, I.B.10, I.C.19.a), nor, on an inpatient claim, a
  code not present on admission (POA N: Section II).
- ``INTEGRAL`` (``DX_SYMPTOM_INTEGRAL``): ``Conflict`` rows too, a sign or symptom (the
  code to remove) and the diseases it is routinely part of (I.B.5, I.C.18.b: R07.9 with
  I21.4, R05.9 with J18.9, R10.9 with K35.80...), judged as the rows of one encounter
  are (``Conflict.encounter``), unless the classification instructs to code both
  (:func:`instructed`), and on an inpatient claim not beside diseases of two categories
  (comparative or contrasting diagnoses). ``Facts.SYMPTOM_INTEGRAL`` and
  ``Facts.SYMPTOM_DISEASE`` mark the codes, the feature ``dx-symptom-integral`` gates it.
- ``IN_PREGNANCY`` (``DX_OBSTETRIC_CODE_MISSING``): hypertension (I10-I13, I15) or
  diabetes (E08-E13) beside a chapter 15 code of a pregnancy, childbirth or the
  puerperium, without the chapter 15 code that classifies it (O10-O11, O13-O16; O24):
  I.C.15.a.1, I.C.15.d, I.C.15.g. The claim context's feature ``dx-obstetric-condition``
  gates it.

Two edits of chapters 15 and 16 read no table: ``DX_TRIMESTER_WEEKS_CONFLICT`` (a
chapter 15 code's trimester against the claim's weeks of gestation, Z3A: I.C.15.a.3-5,
:func:`codekit.icd10cm.guidelines.trimester`) and ``DX_PERINATAL_ON_MATERNAL_RECORD``
(P00-P08, P95, P96.4 on the mother's record: I.C.16.a.1); the features ``dx-weeks`` and
``dx-perinatal-maternal`` gate them.

Each row has the first date it holds (``since``): a code not valid on the date
of service takes no part anyway (Z20.822 is valid from 2021-01-01, U07.1 from 2020-04-01),
and a row never reaches back before its guideline.

Only diagnoses that passed the validity edits are considered (``docs/catalog.md#precedence``,
rule 2). The diagnoses' facts carry the bits ``Facts.GUIDELINE_DROP`` (``GUIDELINE_SAME``
for the rows whose partner is of the code's own category, ``GUIDELINE_KIN`` for their
partners), ``GUIDELINE_PARTNER``, ``GUIDELINE_FIRST``, ``GUIDELINE_AFTER`` and
``SEQUELA``, and the claim context the features ``dx-guideline-pair`` (a code to remove
and one that may rule it out, or a chapter 15 code; for ``GUIDELINE_SAME``, on a claim
two of whose codes share a key of ``Facts.guideline_kin``; or two codes of one category
with ``Facts.BILATERAL``, one side and the other or the bilateral code: I.B.13; an
external cause code whose 7th character no injury code of the claim has: I.C.20.a.2; a
superficial injury, ``Facts.SUPERFICIAL``, beside another injury of its body region:
I.C.19.b.1) and
``dx-guideline-first`` (a code to list first after position 1, and first-listed a code it
goes before: a condition, T31, T32; or a sequela first): the edits run only on claims with
them. The
sequence edit leaves alone a first-listed code another group B edit judges in that place
(as ``DX_OBSTETRIC_NOT_FIRST`` does), and a claim with a chapter 15 code after it, which
``DX_OBSTETRIC_NOT_FIRST`` moves first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .. import _cache, icd10cm
from ..findings import Hit
from ..icd10cm import Facts
from ..icd10cm.guidelines import (
    CONFLICTS,
    NOT_PREGNANT,
    POST_TERM_FROM,
    PRETERM_BEFORE,
    SEQUENCES,
    Conflict,
    degree,
    edition,
    gestation_weeks,
    in_pregnancy,
    integral_rows,
    trimester,
    trimesters_of,
)
from .context import ClaimContext, one_encounter
from .engine import rule
from .ioce_status import ioce_principal_list
from .laterality import dx_region_bits, dx_regions, region_bits

__all__ = ["ANTEPARTUM_PACKAGES", "MATERNAL_ONLY", "PERINATAL_OF_PREGNANCY", "RULES",
           "guideline_conflict", "guideline_sequence", "instructed",
           "obstetric_code_missing", "perinatal_on_maternal_record", "symptom_integral",
           "trimester_weeks_conflict"]

#: a code some row may remove (beside a code of any category, or of its own only)
_DROP = Facts.GUIDELINE_DROP | Facts.GUIDELINE_SAME
#: every partner of a CONFLICTS row has one of these bits (chapter 15 codes: OBSTETRIC)
_MAY_PARTNER = Facts.GUIDELINE_PARTNER | Facts.OBSTETRIC
_FIRST, _OBSTETRIC = Facts.GUIDELINE_FIRST, Facts.OBSTETRIC
#: a code some SEQUENCES row may find first-listed (its ``first``)
_AFTER = Facts.GUIDELINE_AFTER
#: a sequela of chapter 19 (S00-T88, 7th character S)
_SEQUELA = Facts.SEQUELA
#: a code of a pair of one category (removed, or ruling one out)
_KIN = Facts.GUIDELINE_SAME | Facts.GUIDELINE_PARTNER
#: a code a row may remove beside a code of any category
_APART = Facts.GUIDELINE_DROP
#: a sign or symptom an INTEGRAL row may remove
_SYMPTOM = Facts.SYMPTOM_INTEGRAL
#: a code of a subcategory with a code of one side and its bilateral code (:func:`_bilateral`)
_BILATERAL = Facts.BILATERAL
#: an external cause code (V00-Y99: :func:`_external_encounter`)
_EXTERNAL = Facts.EXTERNAL_CAUSE
#: a superficial injury (S00, S10 ... S90: :func:`_superficial`)
_SUPERFICIAL = Facts.SUPERFICIAL


#: code (compact) -> the CONFLICTS rows whose codes to remove it is one of (its
#: ``Facts.GUIDELINE_DROP`` bit says it has some): one look-up instead of a test a row
_ROWS: dict[str, tuple[Conflict, ...]] = _cache.owned("rules.guideline_rows", {},
                                                      max_entries=1 << 14)


def _rows(code: str) -> tuple[Conflict, ...]:
    found = _ROWS.get(code)
    if found is None:
        found = _ROWS[code] = tuple(r for r in CONFLICTS if r.drops(code))
    return found


def _groups(valid: list[tuple[int, Facts]]) -> dict[str, list[tuple[int, Facts]]]:
    """Category -> the claim's codes of it that a row of one category may remove, or
    that may rule one out (``Facts.GUIDELINE_SAME``, ``GUIDELINE_PARTNER``)."""
    groups: dict[str, list[tuple[int, Facts]]] = {}
    for j, y in valid:
        if y.bits & _KIN:
            groups.setdefault(y.code[:3], []).append((j, y))
    return groups


def _joined(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]


#: Delivery procedures O80 rules out (its inclusion note: a spontaneous, vaginal delivery
#: "requiring minimal or no assistance ... without fetal manipulation [e.g., rotation
#: version] or instrumentation [forceps]"): ICD-10-PCS Extraction of the products of
#: conception ("pulling ... by the use of force"), open (10D00-: cesarean) or via the
#: natural opening (10D07-: forceps, vacuum, internal version, other), compact prefix ->
#: what it is.
O80_PCS = {"10D00": "a cesarean delivery", "10D07": "an assisted (extraction) delivery"}
#: CPT codes of a cesarean delivery (maternity care and delivery): the professional claim's
#: delivery.
O80_CPT = frozenset({"59510", "59514", "59515", "59618", "59620", "59622"})


def _claim_days(ctx: ClaimContext) -> int:
    """The days between the claim's first and last dates (admission or statement period
    start, the date of service, the lines' dates): how far a delivery may lie after the
    day its weeks of gestation were counted (an inpatient stay's are its admission's)."""
    claim = ctx.claim
    first = last = ctx.day
    if claim.admission_date is not None:
        first = min(first, claim.admission_date)
    period = claim.statement_period
    if period is not None:
        first, last = min(first, period[0]), max(last, period[1])
    for ln in ctx.lines:
        first, last = min(first, ln.day), max(last, ln.day)
    return (last - first).days


def _o80_delivery(ctx: ClaimContext, i: int, x: Facts,
                  valid: list[tuple[int, Facts]]) -> Hit | None:
    """O80 (no other chapter 15 code beside it) with a weeks-of-gestation code that puts
    the delivery before 37 completed weeks (preterm, O60.1-: counted on the claim's first
    day, so the delivery is at most its week's 6 days and the claim's days later) or over
    40 completed weeks (Z3A.41 on: post-term, O48.-), or with a cesarean or an assisted
    delivery (ICD-10-PCS 10D00-, 10D07-; CPT 59510...): not the spontaneous, full-term,
    vaginal delivery requiring minimal or no assistance O80 is (Guideline I.C.15.n.1; O80's
    inclusion note)."""
    names: list[str] = []
    whys: list[str] = []
    fix: list[str] = []
    days: int | None = None
    for _, y in valid:
        weeks = gestation_weeks(y.code)
        if weeks is None:
            continue
        if weeks >= POST_TERM_FROM:
            post = ("O48.0",) if weeks < 42 else ("O48.1",) if weeks > 42 else \
                ("O48.0", "O48.1")
            names.append(y.dotted)
            whys.append(f"{y.dotted} puts the delivery over 40 completed weeks, post-term "
                        f"({' or '.join(post)})")
            fix += post
            continue
        if days is None:
            days = _claim_days(ctx)
        if weeks * 7 + 6 + days < PRETERM_BEFORE * 7:
            names.append(y.dotted)
            whys.append(f"{y.dotted} puts the delivery before 37 completed weeks, preterm "
                        "(O60.1-)")
            fix.append("O60.1-")
    for r in ctx.pcs_resolved:
        code = r.code
        if r.entry is None or code is None or code[:5] not in O80_PCS:
            continue
        names.append(code)
        whys.append(f"{code} ({r.entry.title}) is {O80_PCS[code[:5]]}")
    for ln in ctx.valid_lines:
        if ln.code in O80_CPT:
            names.append(ln.code)
            whys.append(f"{ln.code} is a cesarean delivery")
    if not names:
        return None
    names = list(dict.fromkeys(names))
    ys = _joined(names)
    cesarean = any(n[:5] == "10D00" or n in O80_CPT for n in names)
    return Hit(f"{x.dotted} with {ys}: O80 is a spontaneous, full-term, vaginal delivery of a "
               "single liveborn infant requiring minimal or no assistance, without "
               f"instrumentation or fetal manipulation, but {'; '.join(dict.fromkeys(whys))}: "
               "remove O80 and code what the delivery was"
               + (" (a cesarean's indication, or O82 without one)" if cesarean else "")
               + f", unless {ys} {'is' if len(names) == 1 else 'are'} in error (Guideline "
               f"I.C.15.n.1 and O80's inclusion note{edition(ctx.day)}).", ("diagnoses", i),
               (x.dotted, *names), tuple(dict.fromkeys(fix)))


@rule("DX_GUIDELINE_CONFLICT", "B", "warning",
      "ICD-10-CM Guidelines I.C.1.g.1.e, I.C.1.d.1.a, I.C.1.d.2, I.C.5.b.2, I.B.9, "
      "I.C.9.b, I.C.9.e.1, I.C.14.a.1, I.C.15.n.1, I.C.15.n.3, I.C.15.i, I.C.19.d.2, "
      "I.C.2.d, I.C.2.m, I.C.21.c.7, I.C.19.a, I.C.19.e.5, I.C.20.c, I.C.20.k, I.C.20.b, I.C.19.f, "
      "I.C.19.d.6, I.B.13, I.C.7.a.2, I.C.2.n, I.C.20.a.2, I.C.19.b.1; the notes of Y92, "
      "Y07, T31 and T32", when=["dx-guideline-pair"])
def guideline_conflict(ctx: ClaimContext) -> Iterable[Hit]:
    """Two diagnoses the guidelines do not report together, where no Excludes1 note names
    the pair: Z20.822 with U07.1 (I.C.1.g.1.e); A41.9 with A41.51 (I.C.1.d.1.a: A41.9
    when the organism is not specified); R65.20 with R65.21 (I.C.1.d.2: septic shock);
    I21.4 with I21.09 (I.C.9.e.1: an NSTEMI evolved to a STEMI, one encounter); I25.10
    with I25.119 (I.C.9.b, I.B.9: ASHD without and with angina, one encounter);
    the "uncomplicated" code of a substance's pattern of use beside another code of the
    pattern (F10.20 with F10.239 or F10.21, F17.210 with F17.213: I.C.5.b.2, I.B.9);
    N18.4 with N18.6 (I.C.14.a.1); O80 with another
    chapter 15 code or an outcome of delivery other than Z37.0 (I.C.15.n); Z79.4 or Z79.84
    with gestational diabetes, O24.4- (I.C.15.i), and O24.410 beside O24.414 (diet and
    insulin: I.C.15.i); a Z85 history code with a current malignancy of its site
    (Z85.3 with C50.911: I.C.2.d, I.C.2.m); an aftercare Z code (Z47.-, Z48.0-, Z48.1,
    Z48.81-, Z48.89) with an injury coded for a subsequent encounter (S72.001D:
    I.C.21.c.7). Of one encounter (an inpatient stay, or a claim whose lines are all on
    its date; on an inpatient claim never beside a code not present on admission): one
    injury for a subsequent and the initial encounter (S72.001D with S72.001A: I.C.19.a);
    the adverse effect and a poisoning of one drug (T42.4X5A with T42.4X1A: I.C.19.e.5);
    a second activity or external cause status code (Y93.02 after Y93.01: I.C.20.c;
    Y99.9 after Y99.8: I.C.20.k; not a pair an Excludes1 note names). A place, activity
    or status code (Y92, Y93, Y99) beside codes for a subsequent encounter or a sequela
    when none is for an initial encounter (Y92.009 with S72.001D, W19.XXXD: I.C.20.b,
    I.C.20.c, I.C.20.k, Y92's note); a perpetrator code (Y07) beside suspected abuse (T76)
    without confirmed abuse (T74, O9A.3-O9A.5: I.C.19.f, Y07's note); T31 beside
    corrosions of a site only, T32 beside burns only (I.C.19.d.6, their notes: the fix is
    the other category's code, T31.10 for T32.10). And O80 beside a
    weeks-of-gestation code of a preterm or post-term delivery (Z3A.34, Z3A.41), or beside
    a cesarean or an assisted delivery (10D00Z1, 10D07Z3; CPT 59510): O80 is a
    spontaneous, full-term, vaginal delivery with minimal or no assistance (I.C.15.n.1,
    O80's inclusion note). One condition on both sides coded by side, or a side beside
    its bilateral code, where the classification has it (H25.11 with H25.12 or H25.13:
    I.B.13; glaucoma of one type and stage, H40.1111 with H40.1121: I.C.7.a.2;
    :func:`_bilateral`). One leukemia or myeloma in two statuses of its 5th
    character (C91.00 with C91.01: I.C.2.n; no fix, the record says which). An external
    cause code of another encounter than every injury's (W19.XXXD with S52.521A:
    I.C.20.a.2, :func:`_external_encounter`; fix W19.XXXA); a superficial injury beside a
    more severe injury of the same site and side (S80.01XA with S82.001A: I.C.19.b.1,
    :func:`_superficial`). The finding is at the code to remove."""
    valid = ctx.valid_hits
    day = ctx.day
    # of one encounter (asked once, when a row needs it): None, or whether the claim is
    # an inpatient stay
    single: bool | None = None
    inpatient = False
    # category -> its codes that may be removed or rule out beside their own category
    # (made once, when a row of one category is asked first)
    groups: dict[str, list[tuple[int, Facts]]] | None = None
    found: list[tuple[int, Facts, Conflict, list[Facts]]] = []
    done: list[Facts] = []  # a code written twice is judged once
    o80: Hit | None = None
    every = 0  # the bits of the claim's codes
    rows_may = "dx-guideline-rows" in ctx.features  # else no row can pair two codes
    for i, x in valid:
        bits = x.bits
        every |= bits
        if not rows_may or not bits & _DROP or x in done:
            continue
        code = x.code
        kin: list[tuple[int, Facts]] | None = None  # x's category's codes
        if not bits & _APART:  # only a row of one category may remove x: is one here?
            if groups is None:
                groups = _groups(valid)
            kin = groups[code[:3]]
            if len(kin) < 2:
                continue
        rows = _ROWS.get(code)
        for row in rows if rows is not None else _rows(code):
            if day < row.since:
                continue
            if row.encounter:  # of one encounter only, and not a new event of the stay
                if single is None:
                    single = one_encounter(ctx)
                    inpatient = ctx.claim.is_inpatient
                if not single or (inpatient and _after_admission(ctx, i)):
                    continue
            if not row.own_category:
                partners = [y for j, y in valid
                            if y.bits & _MAY_PARTNER and row.applies(code, y.code, day)
                            and not (row.encounter and inpatient
                                     and _after_admission(ctx, j))]
                if partners and (row.unless or row.later) and \
                        row.cancelled(y.code for _, y in valid):
                    continue
            else:
                # the partner is of x's own category: most claims have none beside x
                if kin is None:
                    if groups is None:
                        groups = _groups(valid)
                    kin = groups[code[:3]]
                    if len(kin) < 2:
                        continue
                partners = [y for j, y in kin
                            if y is not x and y.bits & _MAY_PARTNER
                            and (not row.once or j < i) and row.applies(code, y.code, day)
                            and not (row.encounter and inpatient
                                     and _after_admission(ctx, j))
                            # two codes of a category recorded once that an Excludes1
                            # note pairs (Y99.8 with Y99.0): DX_EXCLUDES1_CONFLICT's
                            and not (row.once and (x.excludes1_note(y.code) is not None
                                                   or y.excludes1_note(code) is not None))]
            if partners:
                done.append(x)
                found.append((i, x, row, partners))
                break
        else:
            if code == "O80":  # no other chapter 15 code: its weeks, its procedure
                done.append(x)
                o80 = _o80_delivery(ctx, i, x, valid)
    hits: list[Hit] = []
    if o80 is not None:
        hits.append(o80)
    for i, x, row, partners in found:
        names = list(dict.fromkeys(y.dotted for y in partners))
        # the fix keeps no code another finding of this edit removes (Z79.84 beside
        # O24.410 and O24.415: O24.415 alone, the diet code is removed too)
        fix = tuple(dict.fromkeys(y.dotted for y in partners
                                  if (not row.fix or y.code.startswith(row.fix))
                                  and y not in done))
        xd, ys = x.dotted, _joined(names)
        if row.swap:  # replaced, not removed (T31.10 by T32.10)
            fix = (row.swap + xd[3:],)
        elif row.remove_only:  # nothing takes its place (Y92.009 at a follow-up)
            fix = ()
        which = "Guidelines" if "," in row.guideline else "Guideline"
        why = row.why.format(x=xd, ys=ys, to=fix[0] if row.swap else "")
        hits.append(Hit(f"{xd} with {ys}: {why} ({which} "
                        f"{row.guideline}{edition(day)}).", ("diagnoses", i),
                        (xd, *names), fix))
    # the checks that read no row: one condition on both sides (I.B.13), an external
    # cause of another encounter (I.C.20.a.2), a superficial injury (I.C.19.b.1)
    more = _bilateral(ctx, valid, done, day) if ctx.repeated_categories else []
    if every & _EXTERNAL:
        more += _external_encounter(valid, done, day)
    if every & _SUPERFICIAL:
        more += _superficial(ctx, valid, done, day)
    if more:
        hits.extend(more)
    if (o80 is not None or more) and len(hits) > 1:  # in the claim's order
        hits.sort(key=lambda h: h.location[1])
    return hits


#: an encounter (:func:`~codekit.icd10cm.guidelines.encounter`: also the 7th character an
#: external cause code takes for it) -> what the message calls it
_ENCOUNTER_WORDS = {"A": "the initial encounter", "D": "a subsequent encounter",
                    "S": "a sequela"}


def _external_encounter(valid: list[tuple[int, Facts]], done: list[Facts],
                        day: dt.date) -> list[Hit]:
    """An external cause code (V00-Y38) whose 7th character says another encounter than
    every injury code of the claim (S00-T88, and the fractures of chapter 13: M48.4-,
    M48.5-, M80, M84.3-M84.6): W19.XXXD beside S52.521A only. "Assign the external cause
    code, with the appropriate 7th character (initial encounter, subsequent encounter or
    sequela) for each encounter for which the injury or condition is being treated"
    (Guideline I.C.20.a.2; the injury's 7th character, I.C.19.a). Not judged: a claim
    with no injury code of an encounter (an external cause beside a condition of another
    chapter, M54.50 with X50.0XXA, takes the condition's encounter, which no code says),
    and an external cause matching one injury's encounter (a claim of two injuries, one
    at its initial, one at a subsequent encounter). At the external cause; codes it and
    the injuries; fix the same code with the injuries' 7th character when they have one
    and the classification has it."""
    causes: list[tuple[int, Facts, str]] = []
    injuries: list[tuple[Facts, str]] = []
    for i, x in valid:
        found = x.encounter
        if found is not None:
            if x.external_cause:
                causes.append((i, x, found))
            else:
                injuries.append((x, found))
    kinds = {e for _, e in injuries}
    hits: list[Hit] = []
    seen: list[Facts] = []
    for i, x, e in causes:
        if e in kinds or x in done or x in seen or not injuries:
            continue
        seen.append(x)
        names = list(dict.fromkeys(y.dotted for y, _ in injuries))
        fix: tuple[str, ...] = ()
        if len(kinds) == 1:
            want = icd10cm.facts(x.code[:6] + next(iter(kinds)), on=day)
            fix = (want.dotted,) if want is not None else ()
        ys = _joined(names)
        said = " and ".join(dict.fromkeys(_ENCOUNTER_WORDS[k] for _, k in injuries))
        todo = f"report {fix[0]}" if fix else \
            "report the external cause with the 7th character of its injury's encounter"
        hits.append(Hit(f"{x.dotted} with {ys}: an external cause code takes the 7th character "
                        f"of the encounter for which the injury is treated, and {x.dotted} is "
                        f"for {_ENCOUNTER_WORDS[e]} but {ys} {'is' if len(names) == 1 else 'are'}"
                        f" for {said}: {todo}, unless it is of another condition (Guidelines "
                        f"I.C.20.a.2, I.C.19.a{edition(day)}).", ("diagnoses", i),
                        (x.dotted, *names), fix))
    return hits


#: Words of a title of an injury more severe than a superficial one of its site: a
#: fracture, a dislocation or subluxation, an open wound (laceration, puncture wound, open
#: bite), a crushing injury, a traumatic amputation. Not a sprain or strain, an injury of a
#: nerve or vessel, nor "other" and "unspecified" injuries: whether they are more severe
#: than a contusion of the site, their codes do not say.
_SEVERE = re.compile(r"\b(?:fracture|dislocation|subluxation|laceration|puncture wound|"
                     r"open bite|crushing|amputation)\b", re.I)


def _superficial(ctx: ClaimContext, valid: list[tuple[int, Facts]], done: list[Facts],
                 day: dt.date) -> list[Hit]:
    """A superficial injury (S00, S10 ... S90: an abrasion, a contusion...) beside a more
    severe injury of the same site: "Superficial injuries such as abrasions or contusions
    are not coded when associated with more severe injuries of the same site" (Guideline
    I.C.19.b.1). The same site: an injury of the superficial one's body region (the same
    first two characters: S80.01XA, contusion of right knee, with S82.001A, fracture of
    right patella) whose title names the same side and a body part of the same region
    (:func:`~codekit.rules.laterality.dx_regions`: the knee; S82.201A, the shaft of the
    tibia, is the lower leg's, not the knee's) and the same finger, toe or eyelid if
    either names one (:attr:`~codekit.icd10cm.Facts.detail`: S60.011A, the right thumb,
    with S62.501A; not S60.021A, the index finger), for the same encounter (7th
    character);
    more severe: a fracture, dislocation, open wound, crushing injury or amputation
    (:data:`_SEVERE`). Not judged: a claim of several encounters, on an inpatient claim a
    code not present on admission (a new event of the stay), a title naming no side or no
    region (S00.83XA, other part of head), a pair an Excludes1 note names. At the
    superficial injury; codes it and the severe injuries; fix the severe injuries (the
    codes that stay)."""
    hits: list[Hit] = []
    single: bool | None = None
    inpatient = ctx.claim.is_inpatient
    seen: list[Facts] = []
    for i, x in valid:
        if not x.bits & _SUPERFICIAL or x in done or x in seen:
            continue
        side = x.side
        if side not in ("right", "left"):
            continue
        region = dx_region_bits(x)
        if not region:
            continue
        code, kind, detail = x.code, x.encounter, x.detail
        severe: list[Facts] = []
        for j, y in valid:
            other = y.code
            if other[:2] != code[:2] or y.bits & _SUPERFICIAL or y in severe or \
                    y.side != side or y.encounter != kind or y.detail != detail or \
                    not dx_region_bits(y) & region or not _SEVERE.search(y.title):
                continue
            if single is None:
                single = one_encounter(ctx)
            if not single:
                return hits
            if inpatient and (_after_admission(ctx, i) or _after_admission(ctx, j)):
                continue
            if x.excludes1_note(other) is not None or y.excludes1_note(code) is not None:
                continue
            severe.append(y)
        if not severe:
            continue
        seen.append(x)
        names = [y.dotted for y in severe]
        ys = _joined(names)
        where = ", ".join(sorted(dx_regions(x.title)))
        hits.append(Hit(f"{x.dotted} with {ys}: superficial injuries such as abrasions or "
                        "contusions are not coded when associated with more severe injuries "
                        f"of the same site, and {ys} {'is' if len(names) == 1 else 'are'} of "
                        f"the same site ({side} {where}): remove {x.dotted} (Guideline "
                        f"I.C.19.b.1{edition(day)}).", ("diagnoses", i),
                        (x.dotted, *names), tuple(names)))
    return hits


def _bilateral(ctx: ClaimContext, valid: list[tuple[int, Facts]], done: list[Facts],
               day: dt.date) -> list[Hit]:
    """One condition on both sides coded by side where the classification has the
    bilateral code (Guideline I.B.13; for glaucoma I.C.7.a.2: "report only the code for
    the type of glaucoma, bilateral, with the seventh character for the stage"): H25.11
    (right) with H25.12 (left), at the later code, fix the bilateral code (H25.13); and the
    bilateral code beside a code of one side of the same condition (H25.13 with H25.11), at
    the one-side code, fix the bilateral code. The bilateral code is
    :attr:`codekit.icd10cm.Facts.bilateral` (a sibling, H65.91 with H65.92: H65.93, the
    type unspecified alike on both sides; or for "unilateral" codes the category's
    "bilateral" code, M17.11 with M17.12: M17.0): not two sides of different stages or
    types (H40.1111 with H40.1122: I.C.7.a.3, a code for each eye), nor of "stage
    unspecified" (the stages may differ), nor a bilateral code beside one side of another
    stage or kind (which code is wrong, the record says). A claim of one encounter only (an
    inpatient stay, or lines all on its date): a bilateral condition treated at separate
    encounters is coded by the side left at the later one (I.B.13's cataract example)."""
    sided = [(i, x) for i, x in valid if x.bits & _BILATERAL and x not in done]
    if len(sided) < 2 or not one_encounter(ctx):
        return []
    hits: list[Hit] = []
    flagged: set[int] = set()
    # the bilateral code on the claim first: a side beside it is removed (H25.11 and
    # H25.12 beside H25.13: two removals, not a replacement)
    found = [(i, x, j, y) for a, (i, x) in enumerate(sided) for j, y in sided[a + 1:]
             if x.category_bit == y.category_bit and x.code != y.code]
    for one_side in (True, False):
        for i, x, j, y in found:
            if i in flagged or j in flagged:
                continue
            bx, by = x.bilateral, y.bilateral
            if one_side:
                if bx is not None and bx.code == y.code:
                    one, bil, at = x, y, i
                elif by is not None and by.code == x.code:
                    one, bil, at = y, x, j
                else:
                    continue
                other, hit_code, fix = bil, one.dotted, bil.dotted
                said = f"remove {one.dotted}"
            elif bx is not None and by is not None and bx.code == by.code:  # right, left
                at, other, hit_code, fix = j, x, y.dotted, bx.dotted
                said = f"report {fix} in place of {x.dotted} and {y.dotted}"
            else:
                continue
            flagged.add(at)
            if x.code.startswith("H40"):
                said = (f"{fix} already reports this type and stage of glaucoma in both "
                        f"eyes: {said}" if one_side else
                        f"glaucoma of one type and stage in both eyes is reported with the "
                        f"bilateral code only: {said}")
                guideline = "I.C.7.a.2"
            else:
                said = (f"{fix} already reports this condition on both sides: {said}"
                        if one_side else
                        f"one condition on both sides is reported with its bilateral code "
                        f"where the classification has one: {said}")
                guideline = "I.B.13"
            hits.append(Hit(f"{hit_code} with {other.dotted}: {said} (Guideline "
                            f"{guideline}{edition(day)}).", ("diagnoses", at),
                            (hit_code, other.dotted), (fix,)))
    if len(hits) > 1:
        hits.sort(key=lambda h: h.location[1])
    return hits


@rule("DX_OBSTETRIC_CODE_MISSING", "B", "warning",
      "ICD-10-CM Guidelines I.C.15.a.1, I.C.15.d, I.C.15.g; Excludes1 note at I10; "
      "inclusion notes at O10.0-O10.4", when=["dx-obstetric-condition"],
      supersedes=["DX_OBSTETRIC_NOT_FIRST"])
def obstetric_code_missing(ctx: ClaimContext) -> Iterable[Hit]:
    """Hypertension or diabetes beside a chapter 15 code of a pregnancy, childbirth or the
    puerperium (not O00-O08, abortive outcomes, nor O94, sequelae after the puerperium)
    without the chapter 15 code that classifies it: O10-O11, O13-O16 for hypertension
    (I10 with O09.523: O10.0- in place of I10, I10's Excludes1; I11-I13 and I15: O10.1- to
    O10.4- first, the I code after it), O24 for diabetes (E11.9 with O09.523: O24.1- first,
    followed by E11.9; Guideline I.C.15.g). Not on a claim with Z33.1 (pregnant state,
    incidental: in place of any chapter 15 code, I.C.15.a.1). One finding per condition
    code, at it; codes (it, the first chapter 15 code); fix the chapter 15 code it calls
    for. It replaces ``DX_OBSTETRIC_NOT_FIRST`` on the same pair (one mistake: the
    chapter 15 code it names goes first)."""
    valid = ctx.valid_hits
    pregnancy: Facts | None = None
    for _, y in valid:
        if y.code == "Z331":
            return ()  # the pregnancy is incidental: no chapter 15 code (I.C.15.a.1)
        if pregnancy is None and y.bits & _OBSTETRIC and not y.code.startswith(NOT_PREGNANT):
            pregnancy = y
    if pregnancy is None:
        return ()
    hits: list[Hit] = []
    seen: set[str] = set()
    for i, x in valid:
        code = x.code
        if code[0] not in "EI" or code in seen:
            continue
        row = in_pregnancy(code)
        if row is None:
            continue
        seen.add(code)
        if any(y.code.startswith(row.chapter15) for _, y in valid):
            continue
        xd, yd = x.dotted, pregnancy.dotted
        hits.append(Hit(f"{xd} with {yd}: {row.why.format(x=xd)}, unless the pregnancy is "
                        "incidental to the encounter (Z33.1 then, in place of the chapter 15 "
                        f"codes) (Guidelines {row.guideline}{edition(ctx.day)}).",
                        ("diagnoses", i), (xd, yd), (row.fix,)))
    return hits


def _judged_first(ctx: ClaimContext, f: Facts) -> bool:
    """The first-listed code is one another group B edit judges in that place (external
    cause, additional code only, never first, first-listed only, manifestation; the MCE's
    and the I/OCE's unacceptable principal diagnoses under the profiles that apply them)."""
    if f.external_cause or f.secondary_only or f.never_first or f.first_listed_only \
            or f.manifestation:
        return True
    profile = ctx.profile
    if profile.option("inpatient") and f.unacceptable_principal:
        return True
    if not profile.option("ioce") or ctx.claim.is_inpatient or not (
            f.ioce_unacceptable_principal_inpatient):
        return False
    which = ioce_principal_list(ctx)  # the list of the claim's I/OCE path, as edit 113's
    return which == "inpatient" or (which == "outpatient" and f.ioce_unacceptable_principal)


def _poa(ctx: ClaimContext, i: int) -> str:
    """The POA indicator of diagnosis ``i`` as written, upper-cased ("" when none)."""
    poa = ctx.claim.poa
    value = poa[i] if i < len(poa) else None
    return value.strip().upper() if value is not None else ""


def _after_admission(ctx: ClaimContext, i: int) -> bool:
    """Diagnosis ``i`` of an inpatient claim is reported not present on admission (POA
    ``N``): it arose during the stay, so it cannot be the principal diagnosis, "the
    condition established after study to be chiefly responsible for occasioning the
    admission" (Section II). (:func:`_poa`'s test, inlined: the sequela edit asks it of
    every candidate residual.)"""
    poa = ctx.claim.poa
    value = poa[i] if i < len(poa) else None
    return value is not None and value.strip().upper() == "N"


@rule("DX_GUIDELINE_SEQUENCE", "B", "warning",
      "ICD-10-CM Guidelines I.C.19.e.5.b, I.C.19.d.1, I.C.19.d.6, I.B.10, I.C.1.d.4, "
      "I.C.1.g.1.a, I.C.1.g.1.b; tabular note at T31, T32",
      when=["dx-guideline-first"])
def guideline_sequence(ctx: ClaimContext) -> Iterable[Hit]:
    """The first-listed diagnosis is one the guidelines sequence after another code of the
    claim: a condition (chapters 1-18 but 15) before a poisoning, T36-T50 with 6th
    character 1-4 (R40.20 before T40.2X1A: I.C.19.e.5.b); T31 or T32 (extent of body
    surface) before a burn or corrosion of a specified site, T20-T25 (T31.10 before
    T22.211A: I.C.19.d.6); on an inpatient claim, a localized infection before a sepsis
    code, both present on admission (J18.9 before A41.9, POA Y: I.C.1.d.4); a respiratory
    manifestation of COVID-19 before U07.1 (J96.01 before U07.1: I.C.1.g.1.a, I.C.1.g.1.b;
    not beside a code of sepsis or severe sepsis or a transplant complication, T86.-,
    which the guideline sequences first). Not when another group B edit judges the
    first-listed code in that place, when its "Code first" note names the code
    (``DX_CODE_FIRST_ORDER`` says it:
    E09.9 before T38.3X1A), nor when ``DX_OBSTETRIC_NOT_FIRST`` moves a chapter 15 code
    first. On an inpatient claim a code reported not present on admission (POA N) is never
    the one to list first (Section II: J18.9 with T42.4X1A arisen during the stay); a
    sequela (7th character S) never is (I.B.10, I.C.19.a). A sequela code (S00-T88, 7th
    character S) listed first before a code that may be its residual condition is the
    other way round (S72.002S before M25.552: I.B.10)."""
    valid = ctx.valid_hits
    if not valid or valid[0][0] != 0:
        return ()
    inpatient = ctx.claim.is_inpatient
    f = valid[0][1]
    code = f.code
    # a code no row finds first-listed (Facts.GUIDELINE_AFTER: an injury's sequela...)
    # tries none
    for row in SEQUENCES if f.bits & _AFTER else ():
        if not code.startswith(row.first) or ctx.day < row.since:
            continue
        # present on admission, both (an inpatient claim's POA Y): I.C.1.d.4
        if row.admitted and not (inpatient and _poa(ctx, 0) == "Y"):
            continue
        if row.unless and any(y.code.startswith(row.unless) for _, y in valid):
            continue  # another guideline sequences a code of the claim first
        ys = [y for i, y in valid if i > 0 and y.bits & _FIRST and row.applies(code, y.code)
              and not (inpatient and _after_admission(ctx, i))
              and (not row.admitted or _poa(ctx, i) == "Y")]
        if not ys:
            continue  # another row, or a sequela first (below)
        # a chapter 15 code after it: DX_OBSTETRIC_NOT_FIRST moves that one first
        if _judged_first(ctx, f) or any(y.bits & _OBSTETRIC for _, y in valid):
            return ()
        y = max(ys, key=lambda y: degree(y.code)) if row.degree else ys[0]
        if f.code_first_note(y.code) is not None:
            return ()  # DX_CODE_FIRST_ORDER says it, from the tabular's own note
        fd, yd = f.dotted, y.dotted
        which = "Guidelines" if "," in row.guideline else "Guideline"
        return [Hit(f"{yd} should be listed before {fd}: {row.why.format(x=fd)} ({which} "
                    f"{row.guideline}{edition(ctx.day)}).", ("diagnoses", 0), (fd, yd),
                    (yd,))]
    # a sequela first: after the rows (a burn sequela before a current burn of a higher
    # degree is the burn row's: the current burn goes first, I.C.19.d.1)
    if f.bits & _SEQUELA and not _judged_first(ctx, f):
        return _sequela_first(ctx, valid)
    return ()


def _sequela_first(ctx: ClaimContext, valid: list[tuple[int, Facts]]) -> list[Hit]:
    """A sequela code (chapter 19, 7th character S) listed first before a code that may be
    its residual condition: not a Z code, an injury (chapter 19) or external cause, a code
    never listed first, nor one whose "Code first" note names the sequela (I.B.10:
    "the condition or nature of the sequela is sequenced first. The sequela code is
    sequenced second"). The message names the first of them that may be the residual
    (:func:`_may_be_residual`: a scar, or a condition of the sequela's body region or one
    beside it), which is the fix; with none such it names no code (S72.001S before I10:
    hypertension is no residual of a hip fracture) and gives no fix."""
    inpatient = ctx.claim.is_inpatient
    f = valid[0][1]
    seq = f.code
    near = _NEAR_OF.get(f)  # the bits of the sequela's regions and those beside them
    if near is None:
        near = _NEAR_OF[f] = _near(f)
    found = False  # a code that may be the residual is on the claim
    residual: Facts | None = None  # the first whose title may be (_may_be_residual)
    for i, y in valid:  # in one walk with the test:
        if y.bits & _OBSTETRIC:  # a chapter 15 code: DX_OBSTETRIC_NOT_FIRST moves it first
            return []
        if i == 0 or residual is not None:
            continue
        c = y.code
        if found and not (c.startswith(_SCARS) or (near and near & _residual_bits(y))):
            continue  # the finding is sure already: only a residual to name is looked for
        # not a residual: a Z code, an injury or external cause (chapters 19, 20: a
        # sequela, a current injury), a code never listed first (a manifestation,
        # additional only, R65.2-...), one whose "Code first" note names the sequela
        # (F02.80 after S06.2X9S: already in order)
        if c[0] in "ZST" or y.external_cause or y.manifestation or y.secondary_only or \
                y.never_first or (inpatient and _after_admission(ctx, i)):
            continue
        plausible = _may_be_residual(f, y, near)
        if found and not plausible:
            continue
        if y.code_first_note(seq) is not None:
            continue
        found = True
        if plausible:
            residual = y
    if not found:
        return []
    fd = f.dotted
    said = (f"{fd} is a sequela (7th character S) and is listed first: the residual "
            "condition goes first and the sequela code after it (Guidelines I.B.10, "
            f"I.C.19.a{edition(ctx.day)})")
    # no code whose title may be the residual: none is named (I10 is no residual of a hip
    # fracture; the residual may be missing from the claim)
    if residual is None:
        return [Hit(f"{said}: list the residual condition (the condition {fd} left) first, "
                    "adding its code if the claim lacks it.", ("diagnoses", 0), (fd,))]
    yd = residual.dotted
    return [Hit(f"{said}: list {yd} first if it is the residual of {fd}.",
                ("diagnoses", 0), (fd, yd), (yd,))]


#: Body regions beside one another: the residual of an injury may be in the joint or bone
#: next to it (arthritis or pain of the hip after a fracture of the neck of the femur:
#: M25.552 after S72.002S). The limbs' and paired organs' regions are
#: :func:`~codekit.rules.laterality.dx_regions`'s; the head's, the neck's and the trunk's
#: (:data:`_AXIAL_SEQUELAE`, :data:`_AXIAL_RESIDUALS`) are read for this test only: a skull
#: fracture's residual may be of the brain, the face or the ear (the temporal bone: hearing
#: loss), a facial fracture's of the skull or the eye (the orbit: diplopia), a neck injury's
#: of the cervical spine and back, a fracture of the pelvis's of the hip or the lumbosacral
#: spine. The spine's levels are not beside one another: a cervical injury's paraplegia, or
#: a lumbar injury's quadriplegia, is no residual of it.
_NEAR: dict[str, frozenset[str]] = {r: frozenset(near) for r, near in (
    ("hip", ("femur", "leg", "pelvis")), ("femur", ("hip", "knee", "leg")),
    ("knee", ("femur", "lower leg", "leg")), ("lower leg", ("knee", "ankle", "leg")),
    ("ankle", ("lower leg", "foot", "leg")), ("foot", ("ankle", "leg")),
    ("leg", ("hip", "femur", "knee", "lower leg", "ankle", "foot")),
    ("shoulder", ("humerus",)), ("humerus", ("shoulder", "elbow")),
    ("elbow", ("humerus", "forearm")), ("forearm", ("elbow", "wrist")),
    ("wrist", ("forearm", "hand")), ("hand", ("wrist",)),
    ("kidney", ("ureter",)), ("ureter", ("kidney",)),
    ("ovary", ("fallopian tube",)), ("fallopian tube", ("ovary",)),
    ("brain", ("head",)), ("head", ("brain", "face", "ear")), ("face", ("head", "eye")),
    ("neck", ("cervical spine",)), ("cervical spine", ("neck",)),
    ("lumbosacral spine", ("pelvis",)), ("pelvis", ("lumbosacral spine", "hip")))}

#: (words of the title of an injury's sequela, S01-S39, the regions of the head, the neck
#: and the trunk it names). Not of :data:`_NO_AXIAL_RESIDUAL`.
_AXIAL_SEQUELAE: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(words), regions) for words, regions in (
        # S06: concussion, cerebral edema, brain injury, cerebrum, cerebellum, brainstem,
        # epidural, subdural and subarachnoid hemorrhage, other intracranial injury
        (r"\bconcussion (?:with|without)\b|\bcerebral edema|\bbrain\b|\bcerebrum\b|"
         r"\bcerebellum\b|\bbrainstem\b|\bintracranial\b|\b(?:epidural|subdural|subarachnoid) "
         r"hemorrhage", ("brain",)),
        # S02.0, S02.1 (base of skull, occiput), S07.1, S07.9, S09.8, S09.90
        # (not the head of the pancreas, S36.22-)
        (r"\bskull\b|\bocciput\b|\boccipital condyle|(?<!superficial )\binjury of head\b"
         r"(?! of)|\binjuries of head\b", ("head",)),
        # S02.2-S02.6, S02.92, S03.0-S03.4, S04.3, S04.5, S07.0, S08.81, S09.92, S09.93
        (r"\bnasal bones\b|\bseptal cartilage of nose\b|\bmalar\b|\bmaxilla|\bzygomatic\b|"
         r"\blefort\b|\bmandible\b|\bjaw\b|\bfacial bones\b|\btooth\b|\btemporomandibular\b|"
         r"\btrigeminal nerve\b|\bfacial nerve\b|\binjury of (?:face|nose)\b|"
         r"\bamputation of nose\b", ("face",)),
        # S11-S19 but the cervical spine: "neck" (not the neck of a bone), the larynx
        (r"(?<!surgical )(?<!anatomical )\bneck\b(?! of)|\blarynx\b|\bvocal cord\b|"
         r"\bcervical trachea\b", ("neck",)),
        (r"\bcervical (?:vertebrae?|spinal cord|spine|intervertebral disc)\b|\bdens\b",
         ("cervical spine",)),
        (r"\bthoracic (?:vertebrae?|spinal cord|spine|intervertebral disc)\b|"
         r"\bt\d+-t\d+ vertebra\b|\bback wall of thorax\b", ("thoracic spine",)),
        (r"\blumbar (?:vertebrae?|spinal cord|spine|intervertebral disc)\b|"
         r"\bsacral (?:spinal cord|spine)\b|\bsacrum\b|\bcoccyx\b|\bsacroiliac\b|"
         r"\bsacrococcygeal\b|\bcauda equina\b|\blumbosacral\b|\blower back\b",
         ("lumbosacral spine",)),
        (r"\bthorax\b|\bribs?\b|\bsternum\b|\bsternal\b|\bmanubrium\b|\bxiphoid\b|"
         r"\bflail chest\b|\bcrushed chest\b|\bchondrosternal\b", ("chest",)),
        (r"(?<!renal )\bpelvis\b|\bpelvic ring\b|\bilium\b|\bischium\b|\bpubis\b",
         ("pelvis",)),
    ))
#: Categories whose sequelae name none of these regions: a superficial injury (S00, S10,
#: S20, S30) leaves a scar (:data:`_SCARS`), an injury of the blood vessels of the neck,
#: the thorax, the abdomen, lower back and pelvis (S15, S25, S35) a vascular condition.
_NO_AXIAL_RESIDUAL = frozenset({"S00", "S10", "S20", "S30", "S15", "S25", "S35"})
#: (words of a title that may be the residual of an injury of the head, the neck or the
#: trunk, the regions it is of): conditions that follow such injuries (I.B.10: "the
#: residual effect (condition produced) after the acute phase of an illness or injury has
#: terminated", its example "deviated septum due to a nasal fracture"; a cognitive deficit
#: after a brain injury, a paraplegia after a spinal cord injury), written out one by one,
#: not every title naming the part: a metabolic or toxic encephalopathy, a stroke's
#: cognitive deficit (I69.-), an ankylosing spondylitis, an idiopathic scoliosis, a
#: spondylosis or a cluster headache is no injury's residual.
_AXIAL_RESIDUALS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(words), regions) for words, regions in (
        # G93.40, G93.49, G93.89, G93.9; R41.0-R41.4, R41.84-, R41.89, R41.9; F07.81;
        # G44.3- (post-traumatic headache), G91.3 (post-traumatic hydrocephalus)
        # (not a stroke's: I69.01-, "Attention and concentration deficit following
        # nontraumatic subarachnoid hemorrhage")
        (r"^encephalopathy, unspecified$|^other encephalopathy$|"
         r"^(?:other specified disorders|disorder) of brain(?:, unspecified)?$|"
         r"^disorientation, unspecified$|^(?:anterograde|retrograde|other) amnesia$|"
         r"^neurologic neglect syndrome$|^cognitive communication deficit$|"
         r"^(?:other|unspecified) symptoms and signs involving cognitive functions and "
         r"awareness$|^(?:attention and concentration|visuospatial|psychomotor|frontal lobe "
         r"and executive function) deficit$|^postconcussional syndrome$|"
         r"^(?:acute |chronic )?post-traumatic (?:headache|hydrocephalus)\b", ("brain",)),
        (r"^(?:acute |chronic )?post-traumatic headache\b|\bacquired deformity of head$",
         ("head",)),
        # M95.0, J34.2, J34.82-, M26.4, M26.6-, K08.11-, K08.41-, G50.-, G51.8, G51.9,
        # R29.810
        (r"\bacquired deformity of nose\b|\bdeviated nasal septum\b|\bnasal valve collapse\b|"
         r"^malocclusion, unspecified$|\btemporomandibular joint\b|"
         r"\bloss of teeth due to trauma\b|^trigeminal neuralgia$|^atypical facial pain$|"
         r"\bof trigeminal nerve\b|\bof facial nerve\b|^facial weakness$", ("face",)),
        # M95.3, M43.6, M54.2, J38.0-, J38.6
        (r"\bacquired deformity of neck\b|^torticollis$|^cervicalgia$|"
         r"\bparalysis of vocal cords and larynx\b|^stenosis of larynx$", ("neck",)),
        # M54.2, G44.86, G82.5-, G83.0; M50 (cervical disc), the dorsopathies below
        (r"^cervicalgia$|^torticollis$|\bcervicogenic headache\b|^quadriplegia\b|"
         r"^diplegia of upper limbs$|^cervical disc\b", ("cervical spine",)),
        (r"^pain in thoracic spine$", ("thoracic spine",)),
        # M54.3-, M54.4-, M54.5-, G83.4, M53.3
        (r"^sciatica\b|^lumbago with sciatica\b|\blow back pain\b|^cauda equina syndrome$|"
         r"^sacrococcygeal disorders\b", ("lumbosacral spine",)),
        # G82.2-, M54.89, M54.9, G95.81
        (r"^paraplegia\b|^other dorsalgia$|^dorsalgia, unspecified$|"
         r"^conus medullaris syndrome$", ("thoracic spine", "lumbosacral spine")),
        # G83.81-G83.83, G95.0, G95.2-, G95.89, G95.9: the spinal cord, at any level
        (r"^(?:brown-sequard|anterior cord|posterior cord) syndrome$|^syringomyelia\b|"
         r"\bcord compression\b|\bdiseases? of spinal cord\b",
         ("cervical spine", "thoracic spine", "lumbosacral spine")),
        # M95.4, R07.1, R07.81, R07.82, R07.89, R07.9
        (r"\bacquired deformity of chest\b|^chest pain\b|^other chest pain$|"
         r"^intercostal pain$|^pleurodynia$", ("chest",)),
        # M95.5, R10.20-R10.23
        (r"\bacquired deformity of pelvis\b|^pelvic and perineal pain\b", ("pelvis",)),
        # H53.2: a fracture of the orbit or the face (the eye's own titles name the eye)
        (r"^diplopia$", ("eye",)),
    ))
#: The dorsopathies that may follow an injury of the spine (M43.0, M43.1, M43.8X-, M48.0-,
#: M48.3-, M50-M51, M53.2X-, M53.8-, M54.1-, M99.0-, M99.1-, M99.5-), of the level their
#: title names (the M chapter's "cervical region"...).
_DORSOPATHY = re.compile(
    r"^(?:spondylolysis|spondylolisthesis|other specified deforming dorsopathies|"
    r"spinal stenosis|traumatic spondylopathy|spinal instabilities|"
    r"radiculopathy|other specified dorsopathies|segmental and somatic dysfunction|"
    r"subluxation complex|(?:other )?intervertebral (?:disc|annulus)|(?:other )?cervical disc)\b")
_LEVELS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(rf"\b{words} region\b"), regions) for words, regions in (
        ("(?:occipito-atlanto-axial|cervical)", ("cervical spine",)),
        ("cervicothoracic", ("cervical spine", "thoracic spine")),
        ("thoracic", ("thoracic spine",)),
        ("thoracolumbar", ("thoracic spine", "lumbosacral spine")),
        ("(?:lumbar|lumbosacral|sacral and sacrococcygeal)", ("lumbosacral spine",)),
    ))
#: The regions of this test only, each its bit above those of
#: :func:`~codekit.rules.laterality.region_bits`.
_AXIAL_BITS: dict[str, int] = {r: 1 << (256 + k) for k, r in enumerate(
    ("brain", "head", "face", "neck", "cervical spine", "thoracic spine",
     "lumbosacral spine", "chest", "pelvis"))}
#: The residual the guidelines name for any injury or burn: a scar (I.B.10 "scar tissue
#: resulting from a burn"; I.C.19.a "the specific type of sequela (e.g. scar) is
#: sequenced first"): L90.5 scar conditions and fibrosis of skin, L91.0 hypertrophic scar.
_SCARS = ("L905", "L910")
_SIDES = ("right", "left")


def _bits(regions: Iterable[str]) -> int:
    """The bits of regions of :func:`~codekit.rules.laterality.dx_regions` and of
    :data:`_AXIAL_BITS`."""
    regions = frozenset(regions)
    bits = region_bits(regions)
    for r in regions:
        bits |= _AXIAL_BITS.get(r, 0)
    return bits


def axial_sequela_regions(f: Facts) -> frozenset[str]:
    """The regions of the head, the neck and the trunk an injury's sequela names
    (:data:`_AXIAL_SEQUELAE`; none for a code not of S01-S39, nor of
    :data:`_NO_AXIAL_RESIDUAL`).

    >>> from codekit import icd10cm
    >>> sorted(axial_sequela_regions(icd10cm.facts("S02.0XXS", on="2025-11-03")))
    ['head']
    >>> sorted(axial_sequela_regions(icd10cm.facts("S32.810S", on="2025-11-03")))
    ['pelvis']
    >>> axial_sequela_regions(icd10cm.facts("S00.33XS", on="2025-11-03"))  # nose contusion
    frozenset()
    """
    code = f.code
    if code[0] != "S" or not "01" <= code[1:3] <= "39" or code[:3] in _NO_AXIAL_RESIDUAL:
        return frozenset()
    low = f.title.lower()
    return frozenset(r for pattern, regions in _AXIAL_SEQUELAE if pattern.search(low)
                     for r in regions)


def axial_residual_regions(title: str) -> frozenset[str]:
    """The regions of the head, the neck and the trunk whose injury a condition of this
    title may be the residual of (:data:`_AXIAL_RESIDUALS`, the dorsopathies of
    :data:`_DORSOPATHY` at the level they name).

    >>> axial_residual_regions("Postconcussional syndrome")
    frozenset({'brain'})
    >>> sorted(axial_residual_regions("Spinal stenosis, thoracolumbar region"))
    ['lumbosacral spine', 'thoracic spine']
    >>> axial_residual_regions("Ankylosing spondylitis of cervical region")
    frozenset()
    """
    low = title.lower()
    found = {r for pattern, regions in _AXIAL_RESIDUALS if pattern.search(low)
             for r in regions}
    if _DORSOPATHY.search(low):
        found.update(r for pattern, regions in _LEVELS if pattern.search(low)
                     for r in regions)
    return frozenset(found)


def _residual_bits(y: Facts) -> int:
    """The region bits of ``y`` as a residual: its title's regions of
    :func:`~codekit.rules.laterality.dx_regions` and of :func:`axial_residual_regions`,
    remembered per facts."""
    bits = _RESIDUAL_OF.get(y)
    if bits is None:
        bits = _RESIDUAL_OF[y] = dx_region_bits(y) | _bits(axial_residual_regions(y.title))
    return bits


#: the facts of a diagnosis -> :func:`_residual_bits` of it
_RESIDUAL_OF: dict[Facts, int] = _cache.owned(
    "rules.residual_regions", {}, max_entries=8192, weigher=lambda k, v: 120)


def _may_be_residual(sequela: Facts, y: Facts, near: int | None = None) -> bool:
    """Whether ``y`` may be the residual of ``sequela`` (a chapter 19 code with 7th
    character S) as far as their titles say: a scar (:data:`_SCARS`), or a condition of
    the same body region or one beside it (:data:`_NEAR`; regions as
    :func:`~codekit.rules.laterality.dx_regions` reads them, and for the head, the neck
    and the trunk :func:`axial_sequela_regions` and :func:`axial_residual_regions`), not
    of the other side, not itself a sequela (M84.642S: a 7th character S names a cause,
    never the residual) nor congenital (Q00-Q99: present at birth, no injury's effect).
    A title naming no region (I10, G93.41) is not nominated: the message then names no
    code. ``near``: :func:`_near` of ``sequela``, when the caller has it.

    >>> from codekit import icd10cm
    >>> f = icd10cm.facts("S72.002S", on="2025-11-03")
    >>> [_may_be_residual(f, icd10cm.facts(c, on="2025-11-03"))
    ...  for c in ("M25.552", "M25.551", "I10", "L90.5", "M17.12")]
    [True, False, False, True, True]
    >>> f = icd10cm.facts("S06.2X9S", on="2025-11-03")
    >>> [_may_be_residual(f, icd10cm.facts(c, on="2025-11-03"))
    ...  for c in ("G93.40", "R41.840", "F07.81", "G93.41", "I10", "M17.12")]
    [True, True, True, False, False, False]
    """
    if y.code.startswith(_SCARS):
        return True
    if near is None:
        near = _NEAR_OF.get(sequela)
        if near is None:
            near = _NEAR_OF[sequela] = _near(sequela)
    return bool(near and near & _residual_bits(y)) and y.code[6:] != "S" and \
        y.code[0] != "Q" and not (
            sequela.side in _SIDES and y.side in _SIDES and sequela.side != y.side)


def _near(sequela: Facts) -> int:
    """The bits (:func:`_bits`) of the regions the title of ``sequela`` names
    (:func:`~codekit.rules.laterality.dx_regions`, :func:`axial_sequela_regions`) and of
    those beside them (:data:`_NEAR`)."""
    mine = dx_regions(sequela.title) | axial_sequela_regions(sequela)
    return _bits(mine.union(*(_NEAR.get(r, ()) for r in mine)))


#: the facts of a sequela -> :func:`_near` of it
_NEAR_OF: dict[Facts, int] = _cache.owned(
    "rules.sequela_regions", {}, max_entries=4096, weigher=lambda k, v: 120)


#: symptom code (compact) -> the INTEGRAL rows that may remove it (its
#: ``Facts.SYMPTOM_INTEGRAL`` bit says it has some)
_INTEGRAL_ROWS: dict[str, tuple[Conflict, ...]] = _cache.owned("rules.integral_rows", {},
                                                               max_entries=1 << 12)


def instructed(x: Facts, y: Facts) -> bool:
    """The classification instructs to code sign or symptom ``x`` beside disease ``y``
    ("unless otherwise instructed by the classification", Guideline I.B.5): a "Use
    additional code" or "Code also" note of ``y`` names ``x`` (N40.1's: R35.0, R39.14...),
    or a "Code first" note of ``x`` names ``y`` (R50.81's: D57.-, sickle-cell disease)."""
    if x.code_first_note(y.code) is not None:
        return True
    entry = y.entry
    return entry.use_additional_code.matches(x.code) or entry.code_also.matches(x.code)


@rule("DX_SYMPTOM_INTEGRAL", "B", "warning",
      "ICD-10-CM Guidelines I.B.5, I.B.6, I.C.18.b, I.C.18.c, I.C.9.a.7, II.H, III.C, IV.D, "
      "IV.H", when=["dx-symptom-integral"])
def symptom_integral(ctx: ClaimContext) -> Iterable[Hit]:
    """A sign or symptom coded beside a disease it is routinely part of: "Signs and
    symptoms that are associated routinely with a disease process should not be assigned
    as additional codes, unless otherwise instructed by the classification" (I.B.5,
    I.C.18.b). The pairs are ``codekit.icd10cm.guidelines.INTEGRAL``: chest pain with an
    acute myocardial infarction or unstable angina (R07.9 with I21.4), abdominal pain with
    appendicitis (R10.9 with K35.80), cough with pneumonia (R05.9 with J18.9) and with
    influenza with respiratory manifestations (J11.1), fever and headache with influenza
    (R50.9 with J11.1), nausea, vomiting and diarrhea with viral gastroenteritis (R11.2 with
    A08.4), dysuria with acute cystitis (R30.0 with N30.00), an elevated blood-pressure
    reading "without diagnosis of hypertension" with hypertension (R03.0 with I10,
    I.C.9.a.7). Not when the classification instructs to code both (:func:`instructed`), a
    pair an Excludes1 note names (``DX_EXCLUDES1_CONFLICT``'s), a claim of several
    encounters (lines on several days: a symptom before its diagnosis), on an inpatient
    claim beside a disease not present on admission (POA N: the symptom at admission was
    not it), nor, on an inpatient claim, beside diseases of two categories (R07.9 with
    I20.0 and I21.4: comparative or contrasting diagnoses are coded as if established,
    II.D, and the symptom may be what they were documented for). The finding is at the
    symptom; ``codes`` it and its diseases; ``fix`` the diseases (the code stays, the
    symptom goes). The message says the exceptions by setting: an outpatient claim codes
    no uncertain diagnosis, its symptoms instead (IV.H); an inpatient claim codes one
    documented at discharge as if established (II.H, III.C)."""
    valid = ctx.valid_hits
    day = ctx.day
    single: bool | None = None  # one encounter (asked at the first pair)
    inpatient = False
    hits: list[Hit] = []
    done: list[str] = []  # a code written twice is judged once
    for i, x in valid:
        code = x.code
        if not x.bits & _SYMPTOM or code in done:
            continue
        done.append(code)
        rows = _INTEGRAL_ROWS.get(code)
        if rows is None:
            rows = _INTEGRAL_ROWS[code] = integral_rows(code)
        found: list[Facts] = []
        used: list[Conflict] = []
        for row in rows:
            if day < row.since:
                continue
            for j, y in valid:
                if y in found or not row.applies(code, y.code, day):
                    continue
                if single is None:
                    single, inpatient = one_encounter(ctx), ctx.claim.is_inpatient
                if not single:
                    return hits  # several encounters: a symptom may precede its diagnosis
                if (inpatient and _after_admission(ctx, j)) or \
                        x.excludes1_note(y.code) is not None or \
                        y.excludes1_note(code) is not None or instructed(x, y):
                    continue
                found.append(y)
                if row not in used:
                    used.append(row)
        if not found:
            continue
        if inpatient and len({y.code[:3] for y in found}) > 1:
            continue  # comparative or contrasting diagnoses, maybe (II.D)
        names = [y.dotted for y in found]
        xd, ys = x.dotted, _joined(names)
        guideline = ", ".join(dict.fromkeys(g for r in used for g in r.guideline.split(", ")))
        if inpatient:
            tail = ("; a diagnosis documented at discharge as probable or suspected is coded "
                    "as if established")
            guideline += ", II.H, III.C"
        else:
            tail = (f"; if {ys} {'was' if len(names) == 1 else 'were'} not confirmed, code "
                    f"{xd} and not {ys}: an outpatient claim codes no uncertain diagnosis")
            guideline += ", IV.D, IV.H"
        hits.append(Hit(f"{xd} with {ys}: {used[0].why.format(x=xd, ys=ys)}{tail} "
                        f"(Guidelines {guideline}{edition(day)}).", ("diagnoses", i),
                        (xd, *names), tuple(names)))
    return hits


# -- the trimester of a chapter 15 code against the weeks of gestation (I.C.15.a.3-5) -------

#: CPT maternity care packages that include the antepartum care (numbers only): a claim
#: with one bills months of visits on one line, whose diagnoses may be of every trimester,
#: so its trimesters are not judged against its weeks of gestation.
ANTEPARTUM_PACKAGES = frozenset({"59400", "59425", "59426", "59510", "59610", "59618"})
_ORDINAL = {0: "unspecified", 1: "first", 2: "second", 3: "third"}
_TRIMESTER_TEXT = re.compile(r"\b(first|second|third|unspecified) trimester\b")


def _trimester_code(f: Facts, target: int, ctx: ClaimContext) -> str | None:
    """The code (dotted) of ``f``'s kind for trimester ``target`` valid on the claim's
    date: the same code with its trimester character changed, whose title is ``f``'s with
    the trimester named changed (O26.891 -> O26.893; O36.5930 -> O36.5910); None when the
    classification has none (O60.1- has no first trimester)."""
    want = _TRIMESTER_TEXT.sub(f"{_ORDINAL[target]} trimester", f.title.lower())
    code = f.code
    for k in range(4, len(code)):
        if code[k] not in "1239":
            continue
        other = code[:k] + str(target) + code[k + 1:]
        if other == code:
            continue
        g = icd10cm.facts(other, on=ctx.day)
        if g is not None and g.title.lower() == want:
            return g.dotted
    return None


def _of_age(f: Facts, age: int | None) -> bool:
    """``f``'s MCE age band holds ``age`` (or either is unknown): a maternal code outside
    it is ``DX_AGE_CONFLICT``'s mistake, not judged again."""
    rng = f.age_range
    return age is None or rng is None or rng[0] <= age <= rng[1]


@rule("DX_TRIMESTER_WEEKS_CONFLICT", "B", "warning",
      "ICD-10-CM Guidelines I.C.15.a.3, I.C.15.a.4, I.C.15.a.5; tabular note at chapter 15 "
      "(trimesters)", when=["dx-weeks"])
def trimester_weeks_conflict(ctx: ClaimContext) -> Iterable[Hit]:
    """A chapter 15 code whose title names a trimester the claim's weeks of gestation
    (Z3A) rule out: the tabular's note at chapter 15 counts the 1st trimester as less than
    14 weeks 0 days, the 2nd as 14 weeks 0 days to less than 28 weeks 0 days, the 3rd
    from 28 weeks 0 days, and the trimester character is the one of the current
    admission or encounter (Guideline I.C.15.a.3: O26.891, first trimester, with Z3A.30);
    or a code of "unspecified trimester" beside a Z3A code of known weeks, the trimester
    being documented (I.C.15.a.5: O26.899 with Z3A.30). The weeks are read over the
    claim's days: a code's trimester is judged against every day from the weeks counted
    on the claim's first day to those on its last (an inpatient stay across a trimester:
    the trimester in which a complication developed, I.C.15.a.4), so only a trimester no
    day of the claim reaches is a conflict. Not judged: a claim with no Z3A code of known
    weeks (Z3A.00), a code outside its MCE ages (maternity 9-64: ``DX_AGE_CONFLICT``
    says it), a title naming two trimesters (O60.13), and a claim with a maternity
    package that includes the antepartum care (:data:`ANTEPARTUM_PACKAGES`: 59400, 59425,
    59426, 59510, 59610, 59618), whose diagnoses may come from months of visits. One
    finding per code, at it; codes (it, the Z3A codes); fix the code of the trimester of
    the claim's weeks when they lie in one trimester and the classification has it. The
    feature ``dx-weeks`` (a chapter 15 code and a Z3A code) gates it."""
    valid = ctx.valid_hits
    age = ctx.age
    weeks = [(w, y) for _, y in valid if (w := gestation_weeks(y.code)) is not None
             and _of_age(y, age)]
    if not weeks or any(ln.code in ANTEPARTUM_PACKAGES for ln in ctx.valid_lines):
        return ()
    span = _claim_days(ctx)
    low = min(w for w, _ in weeks) * 7 - span
    high = max(w for w, _ in weeks) * 7 + 6 + span
    reached = trimesters_of(max(low, 0), high)
    z3a = tuple(dict.fromkeys(y.dotted for _, y in weeks))
    said = z3a[0] if len(z3a) == 1 else _joined(list(z3a))
    hits: list[Hit] = []
    seen: set[str] = set()
    for i, x in valid:
        if not x.bits & _OBSTETRIC or x.code in seen or not _of_age(x, age):
            continue
        seen.add(x.code)
        n = trimester(x.title)
        if n is None or n in reached:
            continue
        where = " and ".join(_ORDINAL[t] for t in reached)
        trimesters = "trimester" if len(reached) == 1 else "trimesters"
        fix = _trimester_code(x, reached[0], ctx) if len(reached) == 1 else None
        if fix:
            todo = f"report {fix} if the weeks are right, or correct the weeks of gestation"
        elif len(reached) == 1:
            todo = (f"no code of its kind is of the {where} trimester: check the code and "
                    "the weeks of gestation")
        else:
            todo = (f"report the code of the {where} {trimesters} if the weeks are right, or "
                    "correct the weeks of gestation")
        if n == 0:
            why = (f"{x.dotted} is of unspecified trimester but {said} documents the weeks of "
                   f"gestation ({where} {trimesters}), and the unspecified trimester is only "
                   "for a record that does not say it")
            guideline = "I.C.15.a.5"
        else:
            why = (f"{x.dotted} is of the {_ORDINAL[n]} trimester but {said} puts the "
                   f"{'encounter' if span == 0 else 'stay' if ctx.claim.is_inpatient else 'claim'}"
                   f" in the {where} {trimesters} "
                   "(1st: less than 14 weeks 0 days, 2nd: 14 weeks 0 days to less than 28 "
                   "weeks 0 days, 3rd: 28 weeks 0 days until delivery, the tabular's note "
                   "at chapter 15)")
            guideline = "I.C.15.a.3" if span == 0 else "I.C.15.a.3, I.C.15.a.4"
        which = "Guidelines" if "," in guideline else "Guideline"
        hits.append(Hit(f"{why}: {todo} ({which} {guideline}{edition(ctx.day)}).",
                        ("diagnoses", i), (x.dotted, *z3a), (fix,) if fix else ()))
    return hits


# -- perinatal codes on the mother's record (I.C.16.a.1) ------------------------------------

#: The codes only the mother's record carries besides chapter 15: Z37 (outcome of delivery,
#: "on the mother's record") and Z3A (weeks of gestation, "only on the maternal record").
MATERNAL_ONLY = ("Z37", "Z3A")
#: The chapter 16 codes (compact prefixes) of a newborn as the product of the pregnancy:
#: affected by maternal factors and complications of pregnancy, labor and delivery
#: (P00-P04), its length of gestation and fetal growth (P05-P08), stillbirth (P95),
#: affected by a termination of pregnancy (P96.4). On a mother's record they are the
#: infant's. The chapter's other codes are left alone: a condition of the perinatal period
#: "may be used throughout the life of the patient if the condition is still present"
#: (I.C.16.a.1), and a mother may have one (P27.1, bronchopulmonary dysplasia).
PERINATAL_OF_PREGNANCY = ("P00", "P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08",
                          "P95", "P964")


@rule("DX_PERINATAL_ON_MATERNAL_RECORD", "B", "warning",
      "ICD-10-CM Guidelines I.C.16.a.1; tabular notes at chapter 16, Z37, Z3A",
      when=["dx-perinatal-maternal"])
def perinatal_on_maternal_record(ctx: ClaimContext) -> Iterable[Hit]:
    """A chapter 16 code of the newborn as the product of the pregnancy
    (:data:`PERINATAL_OF_PREGNANCY`: P00-P08, affected by maternal factors or the
    pregnancy, labor and delivery, length of gestation and fetal growth; P95, stillbirth;
    P96.4, affected by a termination of pregnancy) on the mother's record: a claim with a
    chapter 15 code, of a patient aged 1 or more. "Codes in this
    chapter are never for use on the maternal record" (Guideline I.C.16.a.1; the tabular's
    note at chapter 16: "for use on newborn records only, never on maternal records"): the
    mother's care for a condition of the fetus is O35-O36, her preterm labor O60.1-, a
    stillbirth Z37.1 (P07.37 with O60.14X0 and Z37.0; P05.19 with O36.5930). Not on a
    newborn's record: a patient aged 0 or of unknown age, or a claim with a Z38 code, nor
    beside a maternal code outside its MCE ages (the maternal code is the mistake there,
    which ``DX_AGE_CONFLICT`` says: maternity ages 9-64), nor for a pair an Excludes1 note
    names (P95 with Z37.1 or O36.4: ``DX_EXCLUDES1_CONFLICT``). The chapter's other codes
    are left alone: a condition of the perinatal period may be coded through life while it
    is present (I.C.16.a.1), a mother's own (P27.1) too. One finding per chapter 16 code,
    at it; codes (it, the first chapter 15 code); no fix. The feature
    ``dx-perinatal-maternal`` (a code of P00-P08, P95 or P96 and a chapter 15 code) gates
    it: a claim of Z37 or Z3A without a chapter 15 code is not judged."""
    age = ctx.age
    if age is None or age < 1:
        return ()
    valid = ctx.valid_hits
    mother: Facts | None = None
    for _, y in valid:
        code = y.code
        if code.startswith("Z38"):
            return ()
        if y.bits & _OBSTETRIC or code.startswith(MATERNAL_ONLY):
            if not _of_age(y, age):
                return ()  # a maternal code outside its ages: DX_AGE_CONFLICT's
            if mother is None and y.bits & _OBSTETRIC:
                mother = y
    if mother is None:
        return ()
    hits: list[Hit] = []
    seen: set[str] = set()
    for i, x in valid:
        code = x.code
        if not code.startswith(PERINATAL_OF_PREGNANCY) or code in seen:
            continue
        seen.add(code)
        if any(x.excludes1_note(y.code) is not None or y.excludes1_note(code) is not None
               for _, y in valid if y.bits & _OBSTETRIC or y.code.startswith(MATERNAL_ONLY)):
            continue
        md = mother.dotted
        hits.append(Hit(f"{x.dotted} ({x.title}) is a perinatal code, for the newborn's "
                        f"record only, but {md} makes this the mother's record: remove "
                        f"{x.dotted} and code the mother's own condition with chapter 15 "
                        "(maternal care for a fetal problem O35-O36, preterm labor O60.1-, "
                        "the outcome of delivery Z37) (Guideline I.C.16.a.1; the tabular's "
                        f"note at chapter 16{edition(ctx.day)}).", ("diagnoses", i),
                        (x.dotted, md)))
    return hits


RULES = (guideline_conflict, guideline_sequence, obstetric_code_missing, symptom_integral,
         trimester_weeks_conflict, perinatal_on_maternal_record)

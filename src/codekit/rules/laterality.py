"""Group F5: the side a modifier names against the side of the diagnoses the line points
to (on an institutional line, which points to none, the claim's diagnoses of the
modifier's body region); and the side of an ICD-10-PCS procedure's body part against the
side of the claim's diagnoses of the same body region (``PCS_LATERALITY_MISMATCH``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from .. import _cache, icd10cm, icd10pcs
from .. import modifiers as _modifiers
from ..errors import CodekitError
from ..findings import Hit
from ..icd10cm import Facts
from .context import ClaimContext, DxInfo, LineInfo
from .engine import rule

ANATOMIC = _modifiers.ANATOMIC
#: The region of the coronary modifiers (LC, LD, LM, RC, RI), as ``modifiers.ANATOMIC``
#: names it. A diagnosis title's coronary artery (I21.01, I21.02, I21.11, I21.21: the
#: STEMI's culprit vessel) names no side: ``icd10cm.Facts.side`` reads the "left" or "right"
#: of a structure of the heart as none (a vessel of the heart, not a side of the body).
_CORONARY = "coronary artery"


#: The side modifier of a diagnosis's side (the fix of a RT/LT/50 mismatch).
MODIFIER_OF_SIDE = {"right": "RT", "left": "LT", "bilateral": "50"}


def _compatible(mod: str, dxs: list[DxInfo]) -> bool:
    anatomy = ANATOMIC[mod]
    sides = {d.facts.side for d in dxs}
    if mod == "50":
        return "bilateral" in sides or {"right", "left"} <= sides
    for d in dxs:
        if d.facts.side not in (anatomy.side, "bilateral"):
            continue
        detail = d.facts.detail
        if detail and anatomy.region in ("eyelid", "hand", "foot") \
                and not _fits_detail(anatomy.region, anatomy.site, detail):
            continue
        return True
    return False


#: The digit of a finger a diagnosis title names, as the F modifiers name it (FA/F5 the
#: thumb, F1/F6 the second digit ... F4/F9 the fifth: HCPCS Level II modifiers).
_FINGER_DIGIT = {"thumb": "thumb", "index finger": "second digit",
                 "middle finger": "third digit", "ring finger": "fourth digit",
                 "little finger": "fifth digit"}


def _fits_detail(region: str | None, site: str, detail: str) -> bool:
    """Whether an eyelid, finger or toe modifier's ``site`` is the part a diagnosis's
    finer side (``Facts.detail``) names: upper/lower eyelid, the digit of a finger, the
    great toe or a lesser one (T1-T4, T6-T9). A part of another region does not fit."""
    if detail in ("upper eyelid", "lower eyelid"):
        return region == "eyelid" and detail.split()[0] in site
    if detail in _FINGER_DIGIT:
        return region == "hand" and _FINGER_DIGIT[detail] in site
    if detail == "great toe":
        return region == "foot" and "great toe" in site
    if detail == "lesser toe":
        return region == "foot" and "great toe" not in site
    return True


def _part_modifier(mod: str, sided: list[DxInfo]) -> tuple[str, ...]:
    """The fix of an eyelid, finger or toe modifier: the one modifier of its region whose
    side and site are those every diagnosis in ``sided`` names (H02.831, right upper
    eyelid: E3; M65.331, right middle finger: F7); none when they name no such part or
    several (a lesser toe is T1-T4 or T6-T9)."""
    region = ANATOMIC[mod].region
    if region not in ("eyelid", "hand", "foot"):
        return ()
    parts = {(d.facts.side, d.facts.detail) for d in sided}
    if len(parts) != 1:
        return ()
    side, detail = parts.pop()
    if side not in ("right", "left") or not detail:
        return ()
    found = tuple(k for k, a in ANATOMIC.items()
                  if a.region == region and a.side == side and _fits_detail(region, a.site,
                                                                             detail))
    return found if len(found) == 1 else ()


@rule("LATERALITY_MISMATCH", "F", "error",
      "ICD-10-CM Guidelines I.B.13; CPT/HCPCS anatomic modifiers", when=["mods-side"])
def laterality_mismatch(ctx: ClaimContext) -> Iterable[Hit]:
    """A side modifier none of whose pointed diagnoses fits, on a line whose valid pointed
    diagnoses all state a side (one with no side, E11.42, keeps the line quiet:
    :func:`_line_mismatch`; on a line pointing to none on an institutional claim:
    :func:`_institutional_mismatch`).
    The coronary modifiers (LC, LD, LM, RC, RI) are never judged: they name the vessel a
    procedure treated, and the only titles naming a coronary artery (I21.01, I21.02,
    I21.11, I21.21) name the infarct's culprit vessel, which a multivessel PCI in the same
    session, or a staged one while the I21 code still applies (four weeks, Guideline
    I.C.9.e.1), rightly differs from; and a title's "left" or "right" coronary artery is
    no side of the body for RT, LT or 50 either (``Facts.side`` is None: nor is a heart
    chamber's, a bundle branch's or a fascicle's, I44.4 "Left anterior fascicular
    block"). Whether a line fires is remembered per (its modifiers, the facts of its valid
    pointed diagnoses): most lines fit, and are passed with one look-up."""
    hits: list[Hit] | None = None
    dx = ctx.dx
    n = len(dx)
    misfits = _MISFITS
    for ln in ctx.valid_lines:
        ptrs = ln.line.diagnosis_pointers
        if not ptrs and ctx.claim.is_institutional:
            found = list(_institutional_mismatch(ctx, ln))
        else:
            key = (ln.modifiers, tuple([dx[p - 1].facts for p in ptrs
                                        if 0 < p <= n and dx[p - 1].valid]))
            misfit = misfits.get(key)
            if misfit is None:
                misfit = misfits[key] = any(True for _ in _line_mismatch(ctx, ln))
            if not misfit:
                continue
            found = list(_line_mismatch(ctx, ln))
        if found:
            hits = found if hits is None else hits + found
    return () if hits is None else hits


#: (a line's modifiers, the facts of its valid pointed diagnoses) -> whether a side
#: modifier of the line fits none of them (:func:`laterality_mismatch` fires)
_MISFITS: dict[tuple[tuple[str, ...], tuple[Facts, ...]], bool] = _cache.owned(
    "rules.side_misfits", {}, max_entries=1 << 15,
    weigher=lambda k, v: 120 + 8 * len(k[0]) + 8 * len(k[1]))


#: how the title of an acquired absence begins (Z89 of a limb, Z90 of an organ: "Acquired
#: absence of right great toe", "Acquired total absence of pancreas"), lower case: the side
#: no longer there, which judges no procedure's side (:func:`_line_mismatch`,
#: :func:`dx_regions`)
_ABSENCE = ("acquired absence", "acquired total absence", "acquired partial absence")


def _line_mismatch(ctx: ClaimContext, ln: LineInfo) -> Iterator[Hit]:
    """:func:`laterality_mismatch` on a professional line (one that points to its
    diagnoses). A line that points to a valid diagnosis whose title states no side (E11.42,
    M17.10, I44.4) is not judged (spec F5: "unspecified-side or no-laterality dx -> no
    edit"): the side may be the one that diagnosis concerns, as diabetic shoes for both
    feet (A5500-RT and A5500-LT, LCD L33369) pointing to E11.42 and a right toe's
    amputation, Z89.411. An acquired absence (Z89, Z90: a limb, a breast, an organ lost
    before) is the side no longer there, which a procedure on the other side rightly
    follows (a mammogram of the remaining right breast for Z90.12, a shoe for the other
    foot): it is no side the line could contradict, and the line is not judged either."""
    pointed = []
    for d in ctx.pointed(ln):
        if not d.valid:
            continue
        if d.facts.side is None or d.facts.title.lower().startswith(_ABSENCE):
            return
        pointed.append(d)
    if not pointed:
        return
    for j, m in enumerate(ln.modifiers):
        anatomy = ANATOMIC.get(m)
        # LC/LD/LM/RC name the vessel treated, not a side: laterality_mismatch's docstring
        if anatomy is None or anatomy.side is None or anatomy.region == _CORONARY:
            continue
        sided = pointed
        if not _compatible(m, sided):
            # a diagnosis the line points to twice (pointers 1 and 3 to one code) is
            # named once
            sided = list({d.facts.dotted: d for d in sided}.values())
            dx = ", ".join(f"{d.facts.dotted} ({d.facts.side}"
                           + (f" {d.facts.detail}" if d.facts.detail else "") + ")"
                           for d in sided)
            sides = {d.facts.side or "" for d in sided}
            side = sides.pop() if len(sides) == 1 else ""
            fix = (MODIFIER_OF_SIDE[side],) if side in MODIFIER_OF_SIDE and \
                m in MODIFIER_OF_SIDE.values() else _part_modifier(m, sided)
            codes = (ln.code or "", m, *(d.facts.dotted for d in sided))
            at = ("service_lines", ln.index, "modifiers", j)
            if m == "50":
                if _covers_both(ln):
                    fix = ()
                yield Hit(_bilateral_message(ln.line.line, sided, side, fix,
                                             both=_covers_both(ln) and (ln.code or "")),
                          at, codes, fix)
                continue
            yield Hit(f"Line {ln.line.line}: modifier {m} ({ANATOMIC[m].site}) does not "
                      f"match the diagnoses it points to: {dx}. Correct the modifier or "
                      "the diagnosis.", at, codes, fix)


#: The words a title changes between the codes of one condition on either side.
_SIDE_WORDS = re.compile(r"\b(?:unspecified|right|left)\b")
#: a side of the body in a 7th character's label ("right eye": :func:`sided_code`)
_SIDES_ONLY = re.compile(r"\b(?:right|left)\b")


@rule("DX_LATERALITY_UNSPECIFIED", "F", "warning",
      "ICD-10-CM Guidelines I.B.13 (laterality: the unspecified side only when the record "
      "does not identify it), I.B.18", when=["mods-side"])
def laterality_unspecified(ctx: ClaimContext) -> Iterable[Hit]:
    """A line with RT or LT that points to a diagnosis of unspecified side (M17.10, in the
    unspecified knee, beside 20610-RT) when the classification has the code of that side
    (M17.11): the modifier documents the side, and the unspecified side is for a record
    that does not state it. Only where one code of the same condition names the side (its
    title the same but for the side: :func:`sided_code`), which is the fix; a line whose
    side modifiers name two sides (RT with LT, TA or 50) is not judged."""
    hits: list[Hit] | None = None
    dx = ctx.dx
    n = len(dx)
    one_side, fixes = _ONE_SIDE, _SIDE_FIXES
    for ln in ctx.valid_lines:
        mods = ln.modifiers
        stated = one_side.get(mods)
        if stated is None:
            stated = one_side[mods] = _one_side(mods)
        if not stated:
            continue
        mod, side = stated
        done: tuple[Facts, ...] | None = None
        for p in ln.line.diagnosis_pointers:
            if not 1 <= p <= n:
                continue
            d = dx[p - 1]
            if not d.valid:
                continue
            f = d.facts
            key = (f, side)  # facts answer for a class of dates: so do their siblings
            fix = fixes.get(key)
            if fix is None:
                fix = fixes[key] = _side_fix(f, side, ctx.day) or ""
            if not fix or (done is not None and f in done):
                continue
            done = (done or ()) + (f,)
            if hits is None:
                hits = []
            hits.append(Hit(
                f"Line {ln.line.line} ({ln.code}-{mod}) points to {f.dotted} ({f.title}), of "
                f"unspecified side, but its modifier {mod} states the {side} side: report "
                f"{fix} (Guidelines I.B.13: the unspecified side only when the record does "
                "not identify it).", ("diagnoses", d.index), (f.dotted, ln.code or "", mod),
                (fix,)))
    return () if hits is None else hits  # no generator for the claims it passes (nearly all)


#: a line's modifiers -> (RT or LT, "right" or "left") when they state one side with RT
#: or LT and no other side (TA, the left great toe, with RT, or 50: another question),
#: else () (:func:`laterality_unspecified`)
_ONE_SIDE: dict[tuple[str, ...], tuple[str, str] | tuple[()]] = _cache.owned(
    "rules.one_side_modifiers", {}, max_entries=4096,
    weigher=lambda k, v: 120 + 8 * len(k))
#: (the facts of a pointed diagnosis, a side) -> the code of that side when the diagnosis
#: is of unspecified side (:func:`sided_code`), else ""
_SIDE_FIXES: dict[tuple[Facts, str], str] = _cache.owned(
    "rules.side_fixes", {}, max_entries=8192, weigher=lambda k, v: 200)


def _one_side(mods: tuple[str, ...]) -> tuple[str, str] | tuple[()]:
    if ("RT" in mods) == ("LT" in mods):
        return ()
    mod, side = ("RT", "right") if "RT" in mods else ("LT", "left")
    if any(m in ANATOMIC and ANATOMIC[m].side not in (None, side) for m in mods):
        return ()
    return mod, side


def _side_fix(f: Facts, side: str, day: dt.date) -> str | None:
    """The code of ``side`` of the diagnosis of ``f`` (resolved for ``day``) when its
    title names no side and says "unspecified" (:func:`sided_code`)."""
    if f.side is not None or "unspecified" not in f.title.lower():
        return None
    return sided_code(f.dotted, f.title, side, day)


def sided_code(code: str, title: str, side: str, day: dt.date) -> str | None:
    """The code (dotted) of the same condition as ``code`` (dotted, of unspecified side,
    ``title`` its title) on ``side`` ("right" or "left"), valid on ``day``: the one code
    among its siblings (7th character kept) whose title names that side and is otherwise
    the same; None when there is none or more than one. A code of seven characters that
    the tabular writes as a node of its own (no 7th-character extension: T86.8409) is
    compared with its own siblings (T86.8401), and when none of them names the side, with
    the codes of the same last character below its parent's siblings (L98.A391, whose side
    is its 6th character: L98.A311). A code whose 7th character is the eye (E11.3419: the
    tabular's 7th characters of E08-E13 .32-.35 and .37, "9 unspecified eye") takes the
    7th character of that eye (E11.3411).

    >>> import datetime as dt
    >>> d = dt.date(2025, 6, 10)
    >>> sided_code("M17.10", "Unilateral primary osteoarthritis, unspecified knee", "right", d)
    'M17.11'
    >>> sided_code("S52.509A", "Unspecified fracture of the lower end of unspecified radius, "
    ...            "initial encounter for closed fracture", "left", d)
    'S52.502A'
    >>> print(sided_code("E11.9", "Type 2 diabetes mellitus without complications", "right", d))
    None
    >>> sided_code("T86.8409", "Corneal transplant rejection, unspecified eye", "right", d)
    'T86.8401'
    >>> sided_code("E11.3419", "Type 2 diabetes mellitus with severe nonproliferative "
    ...            "diabetic retinopathy with macular edema, unspecified eye", "right", d)
    'E11.3411'
    """
    compact = code.replace(".", "")
    want = _SIDE_WORDS.sub(" ", title.lower()).replace(",", " ").split()
    if len(compact) != 7:
        found = _sided_among(compact, "", want, side, day)
    else:
        try:
            sevenths = icd10cm.lookup(compact, on=day).seventh_characters
        except CodekitError:
            return None
        extension = bool(sevenths)
        if extension and "unspecified" in sevenths.get(compact[6], "").lower() and \
                any(_SIDES_ONLY.search(label.lower()) for label in sevenths.values()):
            # the side is the 7th character itself (E11.3419, "9 unspecified eye")
            return _sided_seventh(compact[:6], sevenths, side, day)
        # a 7th-character extension (S52.509A): the siblings are its first six's
        found = [] if extension else _sided_among(compact, "", want, side, day)
        if not found:
            found = _sided_among(compact[:6], compact[6], want, side, day)
    return found[0] if len(found) == 1 else None


def _sided_seventh(stem: str, sevenths: dict[str, str], side: str,
                   day: dt.date) -> str | None:
    """The code (dotted) of ``stem`` (six characters) with the one 7th character of
    ``sevenths`` (the tabular's, character -> label) whose label names ``side`` alone
    ("1": "right eye"), valid on ``day`` and of that side; None otherwise."""
    chars = [c for c, label in sevenths.items()
             if side in _SIDE_WORDS.findall(label.lower())
             and len(_SIDE_WORDS.findall(label.lower())) == 1]
    if len(chars) != 1:
        return None
    f = icd10cm.facts(stem + chars[0], on=day)
    return f.dotted if f is not None and f.side == side else None


def _sided_among(base: str, seventh: str, want: list[str], side: str,
                 day: dt.date) -> list[str]:
    """The codes (dotted) of :func:`sided_code`: each sibling of ``base`` followed by
    ``seventh``, valid on ``day``, whose title names ``side`` and whose other words are
    ``want``."""
    if len(base) < 4:
        return []
    try:
        siblings = icd10cm.lookup(base[:-1], on=day).children
    except CodekitError:
        return []
    found = []
    for sib in siblings:
        if sib == base:
            continue
        f = icd10cm.facts(sib + seventh, on=day)
        if f is None or f.side != side:
            continue
        if _SIDE_WORDS.sub(" ", f.title.lower()).replace(",", " ").split() == want:
            found.append(f.dotted)
    return found


#: The first discharge date of the MCE's edit 20 (CR 12471).
UNSPECIFIED_FROM = dt.date(2022, 4, 1)


@rule("DX_UNSPECIFIED_CODE", "I", "warning",
      "Medicare Code Editor, edit 20 (unspecified code; CR 12471, from 2022-04-01; FY2022 "
      "IPPS/LTCH PPS final rule); ICD-10-CM Guidelines I.B.13", when=["dx-unspecified-mce"])
def unspecified_code(ctx: ClaimContext) -> Iterable[Hit]:
    """On an inpatient claim (a profile with the option ``inpatient``), a diagnosis in any
    position on the MCE's list of unspecified codes on the discharge date (MCE flag
    ``unspecified``: edit 20, from 2022-04-01; a code of unspecified side whose codes of
    each side exist, G81.00, H05.019...). The MCE raises it for the hospital to code the
    documented side; the unspecified side stays for a record that does not identify it
    (Guideline I.B.13), which CMS lets the claim say, and the claim model does not carry:
    a warning. The fix: the codes of the right and the left side (:func:`sided_code`),
    when the classification has one of each of the same title."""
    if not ctx.inpatient:
        return ()
    hits = []
    flag = Facts.UNSPECIFIED_MCE
    for i, f in enumerate(ctx.dx_hits):  # the valid diagnoses' facts: no DxInfo made
        if f is False or not f.bits & flag:  # type: ignore[union-attr]
            continue
        said = _UNSPECIFIED_SAID.get(f)  # type: ignore[arg-type]
        if said is None:
            said = _UNSPECIFIED_SAID[f] = _unspecified_said(  # type: ignore[index]
                f, ctx.day)  # type: ignore[arg-type]
        text, codes, fix = said
        hits.append(Hit(f"Diagnosis {i + 1} {text}", ("diagnoses", i), codes, fix))
    return hits


#: the facts of a diagnosis on the MCE's unspecified list -> what its finding says after
#: "Diagnosis N ", its codes and its fix (:func:`unspecified_code`)
_UNSPECIFIED_SAID: dict[Facts, tuple[str, tuple[str, ...], tuple[str, ...]]] = \
    _cache.owned("rules.unspecified_said", {}, max_entries=8192, weigher=lambda k, v: 600)


def _unspecified_said(f: Facts, day: dt.date) -> tuple[str, tuple[str, ...],
                                                         tuple[str, ...]]:
    fix = tuple(c for c in (_side_fix(f, "right", day), _side_fix(f, "left", day)) if c)
    sides = (f"report the side the record documents ({' or '.join(fix)})" if fix else
             "report the side the record documents")
    return (f"{f.dotted} ({f.title}) is on the Medicare Code Editor's list of unspecified "
            f"codes (edit 20, from 2022-04-01): {sides}; keep the unspecified side only "
            "when the record does not identify it (Guideline I.B.13).", (f.dotted,), fix)


def _covers_both(ln: LineInfo) -> bool:
    """The line's code covers both sides by itself: the IOCE designates it inherently
    bilateral (77066, 92014), or a loaded MPFS file gives it bilateral indicator 2
    (priced as bilateral already)."""
    entry = ln.entry
    if getattr(entry, "bilateral", None) == "inherent":
        return True
    row = getattr(entry, "mpfs", None)
    return row is not None and row.bilateral == "2"


def _bilateral_message(number: int, sided: list[DxInfo], side: str,
                       fix: tuple[str, ...], claim: bool = False,
                       both: str | bool = False) -> str:
    """Modifier 50 on a line whose diagnoses name one side only, in one sentence that
    advises what ``fix`` holds (the side's modifier), when it holds one. ``claim``: the
    diagnoses are the claim's (an institutional line points to none). ``both``: the
    line's code, when it covers both sides by itself (:func:`_covers_both`): 50 goes,
    and RT/LT are no answer either."""
    dx = ", ".join(d.facts.dotted for d in sided)
    if claim:
        what = f"the claim's diagnosis ({dx}) names" if len(sided) == 1 else \
            f"the claim's diagnoses ({dx}) name"
    else:
        what = f"the diagnosis it points to ({dx}) names" if len(sided) == 1 else \
            f"the diagnoses it points to ({dx}) name"
    if both:
        one = f"the {side} side only" if side in ("right", "left") else \
            "no bilateral condition"
        return (f"Line {number}: modifier 50 means both sides, but {what} {one}, and "
                f"{both} covers both sides by itself: remove 50 (for a procedure done on "
                "one side only, bill its one-side code where CPT has one).")
    if not fix:
        return (f"Line {number}: modifier 50 means both sides, but {what} no bilateral "
                "condition, nor a right and a left one: correct the modifier or the "
                "diagnoses.")
    other = "left" if side == "right" else "right"
    also = f"add a diagnosis of the {other} side" if claim else \
        f"point the line to a diagnosis of the {other} side too"
    return (f"Line {number}: modifier 50 means both sides, but {what} the {side} side only: "
            f"bill {fix[0]} instead of 50, or {also}.")


#: The body region of :data:`_DX_REGIONS` an eyelid, finger or toe modifier lies in.
_MOD_REGION = {"eyelid": "eye", "hand": "hand", "foot": "foot"}


def claim_region_dxs(ctx: ClaimContext, region: str | None) -> list[DxInfo]:
    """The claim's valid diagnoses (each code once) of the body region of an anatomic
    modifier (``Anatomy.region``): for RT, LT and 50 (no region: the whole body) those
    whose title names a region of :data:`_DX_REGIONS` (an eye, a knee, a hand...), for an
    eyelid, finger or toe modifier those of the eye, hand or foot (none for a coronary
    modifier: :func:`laterality_mismatch` judges none). Stated side or not: a diagnosis of
    the region with no side ("unspecified knee") is one of them."""
    if region == _CORONARY:
        return []
    found: dict[str, DxInfo] = {}
    dx_of = _DX
    want = _MOD_REGION.get(region or "")
    for d in ctx.dx:
        if not d.valid:
            continue
        f = d.facts
        known = dx_of.get(f)
        if known is None:
            known = _dx_known(f)
        if not (known[1] if want is None else want in known[1]):
            continue
        found.setdefault(f.dotted, d)
    return list(found.values())


def _institutional_mismatch(ctx: ClaimContext, ln: LineInfo) -> Iterator[Hit]:
    """``LATERALITY_MISMATCH`` on a line that points to no diagnosis (an 837I line):
    its side modifier against the claim's diagnoses of the modifier's region
    (:func:`claim_region_dxs`), as ``PCS_LATERALITY_MISMATCH`` judges a PCS body part.
    It fires only when every such diagnosis names the other side (for 50: one and the
    same side), and only when the line would fire on a professional claim pointing to
    all of the claim's diagnoses (no valid diagnosis of the claim fits the modifier)."""
    every: list[DxInfo] | None = None
    for j, m in enumerate(ln.modifiers):
        anatomy = ANATOMIC.get(m)
        if anatomy is None or anatomy.side is None or anatomy.region == _CORONARY:
            continue
        related = claim_region_dxs(ctx, anatomy.region)
        sides = {d.facts.side for d in related}
        if len(sides) != 1:
            continue
        side = sides.pop()
        if side not in _OTHER or (m != "50" and side != _OTHER.get(anatomy.side or "")):
            continue
        if every is None:
            every = [d for d in ctx.dx if d.valid and d.facts.side]
        sided = every
        if _compatible(m, sided):
            continue  # a diagnosis of another region fits: a professional line may point to it
        fix = (MODIFIER_OF_SIDE[side],) if m in MODIFIER_OF_SIDE.values() else \
            _part_modifier(m, related)
        codes = (ln.code or "", m, *(d.facts.dotted for d in related))
        at = ("service_lines", ln.index, "modifiers", j)
        if m == "50":
            if _covers_both(ln):
                fix = ()
            yield Hit(_bilateral_message(ln.line.line, related, side, fix, claim=True,
                                         both=_covers_both(ln) and (ln.code or "")),
                      at, codes, fix)
            continue
        dx = ", ".join(f"{d.facts.dotted} ({d.facts.side}"
                       + (f" {d.facts.detail}" if d.facts.detail else "") + ")"
                       for d in related)
        yield Hit(f"Line {ln.line.line}: modifier {m} ({anatomy.site}) does not match the "
                  f"claim's diagnoses (an institutional line points to none): {dx}. Correct "
                  "the modifier or the diagnosis.", at, codes, fix)


# -- ICD-10-PCS body part side against the diagnoses -----------------------------------------
#
# A PCS code names its side in the body part value (character 4 of the Medical and Surgical
# and New Technology sections): "Knee Joint, Right" (0SRC0J9), "Breast, Bilateral" (0HTV0ZZ).
# The label comes from the CMS tables (``icd10pcs.lookup(...).axes[3]``), the side of a
# diagnosis from its title (``icd10cm.Facts.side``, as LATERALITY_MISMATCH reads it). What
# ties a procedure to its diagnoses is the body REGION: a word of the body part label and a
# word of the diagnosis title name the same region (below). Regions left out (no finding):
# vessels, lymphatics, the heart, nerves, skull and face bones, sinuses, glands of the head
# and neck, muscles and skin of the trunk, buttock, axilla, inguinal and femoral regions,
# whole extremities and the forequarter/hindquarter: their diagnoses rarely state a side,
# or name it of a broader or narrower site than the body part.

#: The sections whose character 4 is a body part of the patient's own anatomy.
_PCS_SECTIONS = frozenset("0X")
_PCS_SIDE = re.compile(r"\b(Right|Left|Bilateral)\b")
#: Body part labels that name a side of something other than the limbs and paired organs
#: the regions describe (the heart's chambers, the vessels, the lymphatics).
_PCS_NOT_A_REGION = re.compile(
    r"\b(arter(?:y|ies)|veins?|lymphatic|heart|atrium|ventricle)\b")
#: (words of a PCS body part label, the regions it lies in). A hip joint and the upper femur
#: are also the femur (a femoral neck fracture is replaced by a hip prosthesis), a
#: shoulder joint and the humeral head the humerus, the lower femur the knee.
_PCS_REGIONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(rf"\b(?:{words})\b"), regions) for words, regions in (
        ("hip joint|upper femur", ("hip", "femur")),
        ("hip|acetabulum", ("hip",)),
        ("lower femur", ("knee", "femur")),
        ("femoral shaft|upper leg", ("femur",)),
        ("knee|patella", ("knee",)),
        ("tibia|fibula|lower leg", ("lower leg",)),
        ("ankle", ("ankle",)),
        ("foot|tarsal|metatarsal|tarsometatarsal|toe", ("foot",)),
        # the parts of a leg an amputation or its skin is coded to, which a diagnosis of
        # "the left leg" (gangrene, an ulcer, a stump's infection) is of (not the whole
        # "Lower Extremity", nor the "Femoral Region": the groin)
        ("upper leg|knee region|lower leg|ankle region|foot|toe", ("leg",)),
        ("shoulder joint|humeral head", ("shoulder", "humerus")),
        ("shoulder|glenoid cavity|acromioclavicular|scapula|clavicle", ("shoulder",)),
        ("humeral shaft|upper arm", ("humerus",)),
        ("elbow", ("elbow",)),
        ("radius|ulna|lower arm", ("forearm",)),
        ("wrist|carpal", ("wrist",)),
        ("hand|metacarpal|metacarpophalangeal|carpometacarpal|finger|thumb", ("hand",)),
        ("eye|eyelid|cornea|retina|retinal|lens|iris|choroid|sclera|vitreous|conjunctiva|"
         "anterior chamber|extraocular|lacrimal gland|lacrimal duct|orbit", ("eye",)),
        ("ear|auditory ossicle|tympanic membrane|eustachian tube|external auditory canal|"
         "mastoid sinus", ("ear",)),
        ("breast|nipple", ("breast",)),
        ("kidneys?", ("kidney",)),
        ("ureters?", ("ureter",)),
        ("adrenal glands?", ("adrenal gland",)),
        ("lungs?|bronchus|pleura|pleural cavity", ("lung",)),
        ("ovary|ovaries", ("ovary",)),
        ("fallopian tubes?", ("fallopian tube",)),
        ("testis|testes|spermatic cords?|epididymis|vas deferens|tunica vaginalis",
         ("testis",)),
    ))
#: (words of an ICD-10-CM title, the region they name).
_DX_REGIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b(?:{words})\b"), region) for words, region in (
        ("hip|acetabulum|acetabular", "hip"),
        ("femur|thigh", "femur"),
        # a fracture of the lower end of the femur is of the knee too (a knee prosthesis
        # may be its treatment), as the PCS body part "Lower Femur" is
        ("lower end of (?:right |left |unspecified )?femur", "knee"),
        ("knee|patella", "knee"),
        ("tibia|fibula|lower leg", "lower leg"),
        ("ankle|malleolus", "ankle"),
        ("foot|feet|toes?|heel|midfoot|calcaneus|talus|tarsal|metatarsal", "foot"),
        # the whole leg: not a "lower leg" (a region of its own, beside the toes' foot)
        ("(?<!lower )(?<!upper )legs?|lower limbs?|lower extremit(?:y|ies)", "leg"),
        ("shoulder|scapula|clavicle|glenoid|acromioclavicular|rotator cuff", "shoulder"),
        ("humerus|upper arm", "humerus"),
        ("elbow", "elbow"),
        ("radius|ulna|forearm", "forearm"),
        ("wrist|carpal", "wrist"),
        ("hand|fingers?|thumb|metacarpal", "hand"),
        ("eyes?|eyelids?|orbit|orbital|lacrimal|cornea|corneal|retina|retinal|conjunctiva|"
         "iris|sclera|vitreous|choroid|lens", "eye"),
        ("ears?|mastoid|tympanic|eustachian|auditory canal|ossicles?", "ear"),
        ("breasts?|nipple", "breast"),
        ("kidneys?|renal pelvis", "kidney"),
        ("ureters?|ureteral|ureteric", "ureter"),
        ("adrenal", "adrenal gland"),
        ("lungs?|bronchus|pleura|pleural", "lung"),
        ("ovary|ovaries|ovarian", "ovary"),
        ("fallopian|tubal", "fallopian tube"),
        ("testis|testes|testicles?|testicular|epididymis|spermatic cord|vas deferens|"
         "tunica vaginalis", "testis"),
    ))
#: Any word of :data:`_DX_REGIONS`: a title without one (most) is searched once, not once
#: a region.
_ANY_DX_REGION = re.compile("|".join(pattern.pattern for pattern, _ in _DX_REGIONS))
_OTHER = {"right": "left", "left": "right"}
#: Regions whose bilateral procedures are routine beside a diagnosis of one side: the
#: healthy ovary and tube come out with the diseased one (a salpingo-oophorectomy with a
#: hysterectomy, staging of an ovarian cancer) and a sterilization closes both tubes, with
#: no diagnosis of the other side to code.
_BOTH_ROUTINE = frozenset({"ovary", "fallopian tube"})

#: body part label -> (its side, its regions); codekit's own text (CMS table labels)
_LABELS: dict[str, tuple[str | None, frozenset[str]]] = _cache.owned(
    "rules.pcs_body_part", {}, max_entries=4096, long_keys=True)
#: code -> (release, (body part label, side, regions) or None: no sided region)
_PROCS: dict[str, tuple[str, tuple[str, str, frozenset[str]] | None]] = _cache.owned(
    "rules.pcs_sided", {}, max_entries=1 << 14)
#: diagnosis title -> the regions it names; codekit's own text (ICD-10-CM titles)
_TITLES: dict[str, frozenset[str]] = _cache.owned(
    "rules.dx_regions", {}, max_entries=1 << 15, long_keys=True)


def body_part_side(label: str) -> tuple[str | None, frozenset[str]]:
    """(the side a PCS body part label names, the body regions it lies in).

    >>> body_part_side("Knee Joint, Right")
    ('right', frozenset({'knee'}))
    >>> body_part_side("Hip Joint, Left") == ("left", frozenset({"hip", "femur"}))
    True
    >>> body_part_side("Kidneys, Bilateral")
    ('bilateral', frozenset({'kidney'}))
    >>> body_part_side("Foot Artery, Right"), body_part_side("Appendix")
    ((None, frozenset()), (None, frozenset()))
    """
    found = _LABELS.get(label)
    if found is None:
        m = _PCS_SIDE.search(label)
        low = label.lower()
        if m is None or _PCS_NOT_A_REGION.search(low):
            found = (None, frozenset())
        else:
            found = (m.group(1).lower(), frozenset(
                r for pattern, regions in _PCS_REGIONS if pattern.search(low)
                for r in regions))
            if not found[1]:
                found = (None, frozenset())
        _LABELS[label] = found
    return found


def dx_regions(title: str) -> frozenset[str]:
    """The body regions an ICD-10-CM title names (words of :data:`_DX_REGIONS`).

    >>> sorted(dx_regions("Fracture of unspecified part of neck of right femur, initial "
    ...                   "encounter for closed fracture"))
    ['femur']
    >>> dx_regions("Unilateral primary osteoarthritis, left knee")
    frozenset({'knee'})
    >>> dx_regions("Atherosclerosis of native arteries of extremities with gangrene, left leg")
    frozenset({'leg'})
    >>> dx_regions("Acquired absence of right leg below knee")
    frozenset()
    """
    found = _TITLES.get(title)
    if found is None:
        low = title.lower()
        # the absence of a part (Z89) is no diagnosis of the part operated on: a right
        # leg lost before is no reason to doubt the left leg's amputation now
        found = _TITLES[title] = frozenset() if low.startswith(_ABSENCE) or \
            not _ANY_DX_REGION.search(low) else \
            frozenset(region for pattern, region in _DX_REGIONS if pattern.search(low))
    return found


def _sided(code: str | None, entry: icd10pcs.Entry | None
           ) -> tuple[str, str, frozenset[str]] | None:
    """(body part label, side, regions) of a valid procedure whose body part names a side
    in a region of :data:`_PCS_REGIONS`; else None. Remembered per code, with the release
    whose tables answered (a release you add may label a body part anew)."""
    if entry is None or code is None:
        return None
    hit = _PROCS.get(code)
    if hit is not None and hit[0] == entry.release:
        return hit[1]
    found: tuple[str, str, frozenset[str]] | None = None
    if code[0] in _PCS_SECTIONS:
        axis = entry.axes[3]
        if axis.name == "Body Part" and axis.label:
            side, regions = body_part_side(axis.label)
            if side is not None:
                found = (axis.label, side, regions)
    _PROCS[code] = (entry.release, found)
    return found


#: the values a PCS character may take (digits, letters but I and O)
_VALUES = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _stem_words(label: str) -> list[str]:
    return _PCS_SIDE.sub("", label).lower().replace(",", " ").split()


def _same_part(a: str, b: str) -> bool:
    """Whether two body part labels, their side words set aside, name the same part
    ("Kidneys, Bilateral" and "Kidney, Right"; "Testes" and "Testis")."""
    wa, wb = _stem_words(a), _stem_words(b)
    if len(wa) != len(wb):
        return False
    for x, y in zip(wa, wb, strict=True):
        if x == y:
            continue
        n = 0
        while n < min(len(x), len(y)) and x[n] == y[n]:
            n += 1
        if n < 4 or n < max(len(x), len(y)) - 3:
            return False
    return True


#: (code, side, date) -> what :func:`_other_side_code` answers
_OTHER_CODES: dict[tuple[str, str, dt.date], tuple[str, str] | None] = _cache.owned(
    "rules.pcs_other_side", {}, max_entries=4096)


def _other_side_code(code: str, label: str, side: str, day: dt.date) -> tuple[str, str] | None:
    """The code of the same procedure on ``side`` (its body part value the only change)
    valid on ``day``, with its body part label; None when no single one is. Remembered."""
    key = (code, side, day)
    if key in _OTHER_CODES:
        return _OTHER_CODES[key]
    found: list[tuple[str, str]] = []
    for v in _VALUES:
        if v == code[3]:
            continue
        other = code[:3] + v + code[4:]
        if not icd10pcs.is_valid(other, on=day):
            continue
        lab = icd10pcs.lookup(other, on=day).axes[3].label or ""
        if body_part_side(lab)[0] == side and _same_part(lab, label):
            found.append((other, lab))
    answer = _OTHER_CODES[key] = found[0] if len(found) == 1 else None
    return answer


#: region name -> its bit (:func:`_mask`): the per-claim test is one ``&`` of ints
_REGION_BITS: dict[str, int] = {r: 1 << k for k, r in enumerate(dict.fromkeys(
    region for _, region in _DX_REGIONS))}


def _mask(regions: frozenset[str]) -> int:
    bits = 0
    for r in regions:
        bits |= _REGION_BITS.get(r, 0)
    return bits


def _dx_known(f: Facts) -> tuple[int, frozenset[str]]:
    """(region bits, regions) a valid diagnosis's title names, remembered per facts."""
    regions = dx_regions(f.title)
    known = _DX[f] = (_mask(regions), regions)
    return known


def region_bits(regions: frozenset[str] | set[str]) -> int:
    """The bits of body regions (names :func:`dx_regions` gives), one a region: two sets
    of regions meet when their bits do (``&``).

    >>> region_bits({"hip"}) & region_bits({"hip", "femur"}) == region_bits({"hip"})
    True
    """
    return _mask(frozenset(regions))


def dx_region_bits(f: Facts) -> int:
    """The :func:`region_bits` of the regions a valid diagnosis's title names
    (:func:`dx_regions`), remembered per facts."""
    known = _DX.get(f)
    if known is None:
        known = _dx_known(f)
    return known[0]


_Part = tuple[str, str, frozenset[str]]  # (body part label, side, regions)


#: A device value naming the patient's own tissue ("Autologous Tissue Substitute",
#: "Autologous Venous Tissue"; not "Nonautologous ...").
_AUTOLOGOUS = re.compile(r"\bAutologous\b")


def _harvest(code: str, ctx: ClaimContext) -> bool:
    """Whether the procedure ``code`` may be the harvest of an autograft: an Excision
    (section 0, root operation B) that is no biopsy (qualifier Z) on a claim with a
    procedure placing the patient's own tissue (a device value "Autologous ...": a skin
    graft 0HRJX74, a bypass with autologous vein). ICD-10-PCS Official Guidelines B3.9:
    an autograft obtained from a different procedure site is coded as a separate
    procedure, at the donor site, which no diagnosis names (a right thigh's skin for a
    left thigh's burn)."""
    if code[0] != "0" or code[2] != "B" or code[6] != "Z":
        return False
    for q in ctx.valid_procs:
        label = q.entry.axes[5].label if q.entry is not None and q.code is not None \
            and q.code[0] == "0" else None
        if label and _AUTOLOGOUS.search(label):
            return True
    return False


def _resolved(r: icd10pcs.Resolved) -> tuple[icd10pcs.Resolved, _Part | None, int]:
    """(r, :func:`_sided` of it, its region bits), remembered by the identity of ``r``
    (the entry holds ``r``, so its id is not reused while it is remembered)."""
    part = _sided(r.code, r.entry)
    hit = _RESOLVED[id(r)] = (r, part, _mask(part[2]) if part is not None else 0)
    return hit


def sided_part(r: icd10pcs.Resolved) -> tuple[str, str, frozenset[str]] | None:
    """(body part label, side, regions) of a resolved ICD-10-PCS procedure whose body part
    names a side in a region :func:`body_part_side` knows; else None. Remembered."""
    hit = _RESOLVED.get(id(r))
    if hit is None or hit[0] is not r:
        hit = _resolved(r)
    return hit[1]


#: id(icd10pcs.Resolved) -> :func:`_resolved`
_RESOLVED: dict[int, tuple[icd10pcs.Resolved, _Part | None, int]] = _cache.owned(
    "rules.pcs_sided_resolved", {}, max_entries=1 << 15, weigher=lambda k, v: 200)


#: diagnosis facts -> (region bits, regions) of its title: a claim's diagnoses are tested
#: with one look-up each (the facts are the date view's own, held while its data is)
_DX: dict[Facts, tuple[int, frozenset[str]]] = _cache.owned(
    "rules.dx_region_bits", {}, max_entries=1 << 15, weigher=lambda k, v: 200)


@rule("PCS_LATERALITY_MISMATCH", "F", "warning",
      "ICD-10-PCS Official Guidelines B4.1, B4.2 (body part value; bilateral body part "
      "values); ICD-10-CM Guidelines I.B.13 (laterality)", when=["pcs"])
def pcs_laterality_mismatch(ctx: ClaimContext) -> Iterator[Hit]:
    """A valid ICD-10-PCS procedure whose body part names a side (``Knee Joint, Right``)
    where every valid diagnosis of the claim naming the same body region names the other
    side only; or a bilateral body part (``Breast, Bilateral``) where every such diagnosis
    names one and the same side (not of the ovaries and fallopian tubes, which come out or
    are closed together routinely). A diagnosis of the region of the procedure's side, of
    both sides, or of no stated side ("unspecified knee") keeps it quiet, and so does a
    claim with no diagnosis of the region: the other knee's diagnosis may be a
    comorbidity. Nor is the harvest of an autograft judged: a non-diagnostic Excision
    on a claim with a procedure placing the patient's own tissue (ICD-10-PCS Guidelines
    B3.9: the donor site is coded apart, and no diagnosis names it)."""
    sided: list[tuple[int, tuple[str, str, frozenset[str]]]] = []
    wanted = 0  # the region bits of the sided procedures
    seen = _RESOLVED
    for i, r in enumerate(ctx.pcs_resolved):
        # the resolutions are icd10pcs's own, remembered per (code, date): known by identity
        hit = seen.get(id(r))
        if hit is None or hit[0] is not r:
            hit = _resolved(r)
        if hit[1] is not None:
            sided.append((i, hit[1]))
            wanted |= hit[2]
    if not sided:
        return
    dx_of = _DX
    # the valid diagnoses naming a region of a sided procedure: (code, side, regions)
    dxs: list[tuple[str, str | None, frozenset[str]]] = []
    for _, f in ctx.valid_hits:
        known = dx_of.get(f)
        if known is None:
            known = _dx_known(f)
        if known[0] & wanted:
            dxs.append((f.dotted, f.side, known[1]))
    if not dxs:
        return
    day = ctx.day
    for i, (label, side, regions) in sided:
        related = {code: s for code, s, r in dxs if not r.isdisjoint(regions)}
        if not related:
            continue
        shared = frozenset().union(*(r & regions for _, _, r in dxs))
        sides = set(related.values())
        if len(sides) != 1:
            continue
        dx_side = next(iter(sides))
        if side == "bilateral":
            if dx_side not in _OTHER or regions <= _BOTH_ROUTINE:
                continue
        elif dx_side != _OTHER[side]:
            continue
        procs = ctx.procs
        p = procs[i]
        if _harvest(p.code or "", ctx):
            continue  # an autograft's donor site: no diagnosis is of it (B3.9)
        region = " or ".join(sorted(shared))  # the regions the diagnoses name
        dx = ", ".join(related)
        other = _other_side_code(p.code or "", label, dx_side, day)
        if other is not None and any(q.code == other[0] for q in procs):
            other = None  # both sides coded: the diagnosis of this one is what is missing
        fix = (other[0],) if other else ()
        instead = f" ({other[0]}, {other[1]})" if other else ""
        n = p.index + 1
        code = p.code or ""
        if side == "bilateral":
            missing = _OTHER[dx_side]
            msg = (f"Procedure {n} {code} is on both sides (body part {code[3]} = "
                   f"{label}), but the claim's diagnoses of the {region} ({dx}) name the "
                   f"{dx_side} side only: code the {dx_side} side's body part{instead} if "
                   f"one side was operated on, or add the diagnosis of the {missing} side.")
        else:
            msg = (f"Procedure {n} {code} is on the {side} side (body part {code[3]} = "
                   f"{label}), but the claim's diagnoses of the {region} ({dx}) name the "
                   f"{dx_side} side only: correct the body part{instead} or add the "
                   f"diagnosis of the {side} side.")
        yield Hit(msg, ("procedures", p.index, "code"), (code, *related), fix)


RULES = (laterality_mismatch, laterality_unspecified, pcs_laterality_mismatch,
         unspecified_code)

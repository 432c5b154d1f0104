"""Group B: two codes the guidelines say are one combination code (presumed linked).

The classification presumes a causal relationship between conditions the Alphabetic Index
links by "with" (Guideline I.A.15): hypertension with heart disease or chronic kidney
disease (Guideline I.C.9.a), diabetes with chronic kidney disease (I.C.4.a and the Index's
"Diabetes, ..., with, chronic kidney disease"). They are coded as related, by one
combination code, "unless the documentation clearly states the conditions are unrelated":
codes cannot tell that, so the finding is a warning that says so.

Two tables hold what the edit knows, by compact ICD-10-CM code or prefix:

- :data:`HYPERTENSIVE`: every code of categories I10-I13, with what it says of the heart
  (heart failure, heart disease without heart failure) and of the kidneys (CKD stage 5 or
  end stage renal disease; stage 1-4 or unspecified). The code a claim should carry is the
  one whose two axes are those of its companion codes (:data:`COMPANIONS`: I50.- heart
  failure; I51.4, I51.5, I51.7, I51.89, I51.9 the heart conditions of Guideline I.C.9.a.1;
  N18.- chronic kidney disease, N18.5 and N18.6 stage 5 and ESRD), an axis with no
  companion keeping what the claim's hypertensive codes say. Each hypertensive code other
  than that one is a finding: I10 with N18.30 (code I12.9), I10 with I50.9 (I11.0), I11.9
  with I50.9 (I11.9 says "without heart failure": I11.0), I12.0 with N18.4 (I12.0 is stage
  5/ESRD: I12.9), I11.9 with I12.9 (I13.10), I10 beside I12.9 (I12.9 includes it).
- :data:`DIABETES`: per category E08, E09, E10, E11, E13, its "without complications"
  code (E11.9) and its chronic kidney disease code (E11.22). E11.9 with another E11 code
  of a complication (E11.0-E11.8) contradicts itself; E11.9 with N18.- is E11.22.

The finding is on the code to replace (``("diagnoses", i)``); ``codes`` are that code and
the codes that call for the combination; ``fix`` is the one code that replaces it (when
the fix is already on the claim, the located code is simply removed: E11.9 with E11.65
has ``fix == ("E11.65",)``).

The presumption of heart disease and of diabetes "with" chronic kidney disease holds from
2016-10-01 (:data:`PRESUMED_FROM`, the FY2017 guidelines); hypertension with chronic kidney
disease and its stage, and "without complications" beside a complication, from the first
day of ICD-10-CM.

Only diagnoses that passed the validity edits are considered (``docs/catalog.md#precedence``,
rule 2). Every code of the tables is valid from 2015-10-01 to the last date codekit covers
(N18.3 is N18.30-N18.32 from 2020-10-01: the prefix holds both). A claim none of whose
valid diagnoses is of I10-I13 or E08-E13 returns at one integer AND
(:attr:`ClaimContext.valid_categories`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .. import icd10cm
from ..findings import Hit
from ..icd10cm import Facts
from .context import ClaimContext
from .engine import rule

__all__ = ["COMBINATION", "COMPANIONS", "DIABETES", "HYPERTENSIVE", "PRESUMED_FROM", "RULES",
           "combination_code_expected"]

#: The heart axis: heart failure (I50.-), heart disease without heart failure.
FAILURE, HEART = "heart failure", "heart disease"
#: The kidney axis: CKD stage 5 or ESRD (N18.5, N18.6); stage 1-4 or unspecified.
STAGE_5, STAGE_1_4 = "stage 5", "stage 1-4"

#: Every code of categories I10-I13 (compact) -> (heart, kidney): what its title says.
HYPERTENSIVE: dict[str, tuple[str | None, str | None]] = {
    "I10": (None, None),            # essential (primary) hypertension
    "I110": (FAILURE, None),        # hypertensive heart disease with heart failure
    "I119": (HEART, None),          # ... without heart failure
    "I120": (None, STAGE_5),        # hypertensive CKD with stage 5 CKD or ESRD
    "I129": (None, STAGE_1_4),      # ... with stage 1 through stage 4 CKD, or unspecified
    "I130": (FAILURE, STAGE_1_4),   # hypertensive heart and CKD with heart failure and 1-4
    "I1310": (HEART, STAGE_1_4),    # ... without heart failure, with stage 1-4
    "I1311": (HEART, STAGE_5),      # ... without heart failure, with stage 5 or ESRD
    "I132": (FAILURE, STAGE_5),     # ... with heart failure and stage 5 or ESRD
}
#: (heart, kidney) -> the one code that says both (the inverse of HYPERTENSIVE).
COMBINATION: dict[tuple[str | None, str | None], str] = {
    axes: code for code, axes in HYPERTENSIVE.items()}

#: Companion codes (compact prefixes, most specific first) -> (axis, value). I.C.9.a.1
#: (FY2026): "Hypertension with heart conditions classified to I50.-, ... I51.4, ...
#: I51.89, ... and I51.9 ... [or to] I51.5 ... or I51.7 ... is assigned to a code from
#: category I11"; the FY2016-FY2025 text said "I50.- or I51.4-I51.9", whose other codes
#: (I51.81, Takotsubo) FY2026 dropped: only the codes both texts name are here.
#: I.C.9.a.2: "a condition classifiable to category N18".
COMPANIONS: tuple[tuple[str, str, str], ...] = (
    ("I50", "heart", FAILURE),
    ("I514", "heart", HEART), ("I515", "heart", HEART), ("I517", "heart", HEART),
    ("I5189", "heart", HEART), ("I519", "heart", HEART),
    ("N185", "kidney", STAGE_5), ("N186", "kidney", STAGE_5),
    ("N18", "kidney", STAGE_1_4),
)

#: The first day of the FY2017 guidelines, whose I.A.15 and I.C.9.a first say the
#: classification *presumes* the link of conditions the Index joins by "with": before it,
#: hypertension and heart disease were coded separately unless the provider linked them
#: (FY2016 I.C.9.a.1: "when a causal relationship is stated ... or implied"), and the
#: presumption of diabetes "with" its conditions was Coding Clinic's (1Q2016), not the
#: guidelines'. Hypertension with CKD was presumed from the first day (FY2016 I.C.9.a.2).
PRESUMED_FROM = dt.date(2016, 10, 1)

#: Diabetes category -> (its "without complications" code, its "with diabetic chronic
#: kidney disease" code), compact.
DIABETES: dict[str, tuple[str, str]] = {
    "E08": ("E089", "E0822"), "E09": ("E099", "E0922"), "E10": ("E109", "E1022"),
    "E11": ("E119", "E1122"), "E13": ("E139", "E1322"),
}

#: What the combination links (by its code, else its category), and the guideline.
_LINKS = {"I110": ("hypertension with heart failure", "I.C.9.a.1"),
          "I11": ("hypertension with heart disease", "I.C.9.a.1"),
          "I12": ("hypertension with chronic kidney disease", "I.C.9.a.2"),
          "I132": ("hypertension with heart failure and chronic kidney disease", "I.C.9.a.3"),
          "I130": ("hypertension with heart failure and chronic kidney disease", "I.C.9.a.3"),
          "I13": ("hypertension with heart disease and chronic kidney disease", "I.C.9.a.3")}


def _bits(categories: tuple[str, ...]) -> int:
    mask = 0
    for c in categories:
        mask |= Facts.category_bit_of(c)
    return mask


#: The categories of the codes a finding starts from: hypertensive (I10-I13), diabetes.
_HYPERTENSIVE, _DIABETES = _bits(("I10", "I11", "I12", "I13")), _bits(tuple(DIABETES))
_GATE = _HYPERTENSIVE | _DIABETES
#: The categories of the companions: a hypertensive code needs one (or a second
#: hypertensive category) to be judged, a diabetes code chronic kidney disease (or a
#: second code of its category).
_COMPANIONS = _bits(("I50", "I51", "N18"))
_CKD = Facts.category_bit_of("N18")
#: Hypertension in pregnancy, childbirth and the puerperium (O10-O16): classified there,
#: not to I10-I13 (I10's Excludes1), so no hypertensive combination is asked for.
_PREGNANCY = _bits(("O10", "O11", "O12", "O13", "O14", "O15", "O16"))


def _companion(code: str) -> tuple[str, str] | None:
    for prefix, axis, value in COMPANIONS:
        if code.startswith(prefix):
            return axis, value
    return None


def _says(code: str, day: dt.date) -> tuple[str, str]:
    """(dotted code, its title as a message's words) of compact ``code`` on ``day``: what
    the classification calls the combination the finding asks for."""
    f = icd10cm.facts(code, on=day)
    if f is None:  # the tables hold codes valid on every date codekit covers (a test)
        return code, code
    return f.dotted, f.title[:1].lower() + f.title[1:]


def _joined(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]


def _hypertension(valid: list[tuple[int, Facts]], day: dt.date) -> Iterator[Hit]:
    presumed = day >= PRESUMED_FROM
    hyp: list[tuple[int, Facts]] = []
    # the first companion of each axis value, and the first hypertensive code saying it
    said: dict[tuple[str, str], Facts] = {}
    claimed: dict[tuple[str, str], Facts] = {}
    for i, f in valid:
        code = f.code
        c3 = code[:3]
        if c3 in ("I10", "I11", "I12", "I13"):
            axes = HYPERTENSIVE.get(code)
            if axes is None:
                return  # a code the table does not know (a later release): no judgement
            hyp.append((i, f))
            heart, kidney = axes
            if heart is not None:
                claimed.setdefault(("heart", heart), f)
            if kidney is not None:
                claimed.setdefault(("kidney", kidney), f)
        elif c3[0] in "IN":
            found = _companion(code)
            if found is not None and (presumed or found[0] == "kidney"):
                said.setdefault(found, f)
    if not hyp or (len(hyp) == 1 and not said):
        return
    source: dict[str, Facts] = {}  # axis -> the code that sets it
    chosen: dict[str, str | None] = {}
    for axis, values in (("heart", (FAILURE, HEART)), ("kidney", (STAGE_5, STAGE_1_4))):
        chosen[axis] = None
        # a companion code says the axis; else the claim's hypertensive codes do
        for table in (said, claimed):
            value = next((v for v in values if (axis, v) in table), None)
            if value is not None:
                chosen[axis], source[axis] = value, table[(axis, value)]
                break
    expected = COMBINATION[(chosen["heart"], chosen["kidney"])]
    present = {f.code: f for _, f in hyp}
    if len(present) == 1 and expected in present:
        return
    want, says = _says(expected, day)
    link, guideline = _LINKS.get(expected) or _LINKS[expected[:3]]
    done: set[str] = set()
    for i, x in hyp:
        if x.code == expected or x.code in done:
            continue
        done.add(x.code)
        mine = dict(zip(("heart", "kidney"), HYPERTENSIVE[x.code], strict=True))
        # the codes that call for the combination: those that set the axes x says
        # otherwise or not at all (N18.30 for I10); the combination itself when it is on
        # the claim and x says nothing against it (I12.9 for I10)
        contradicts = any(mine[a] is not None and mine[a] != chosen[a] for a in mine)
        partners: list[Facts] = []
        if expected in present and not contradicts:
            partners.append(present[expected])
        else:
            for axis in ("heart", "kidney"):
                p = source.get(axis)
                if mine[axis] != chosen[axis] and p is not None and p is not x \
                        and p not in partners:
                    partners.append(p)
            if not partners:
                partners.append(present.get(expected, x))
        names = [p.dotted for p in partners]
        xd, others = x.dotted, _joined(names)
        if expected in present and not contradicts:
            message = (f"{xd} with {others}: {want} ({says}) includes what {xd} "
                       f"says: report {want} alone (Guidelines {guideline}, I.B.9).")
        elif contradicts:
            message = (f"{xd} with {others}: {xd} is for {_says(x.code, day)[1]}; with "
                       f"{others} the code is {want}, {says} (Guideline {guideline}).")
        else:
            message = (f"{xd} with {others}: {link} is presumed linked and coded {want} "
                       f"(Guideline {guideline}), unless the provider documents them as "
                       "unrelated.")
        yield Hit(message, ("diagnoses", i), (xd, *names), (want,))


def _diabetes(valid: list[tuple[int, Facts]], day: dt.date) -> Iterator[Hit]:
    ckd: Facts | None = None
    if day >= PRESUMED_FROM:
        for _, f in valid:
            if f.code[:3] == "N18":
                ckd = f
                break
    done: set[str] = set()
    for i, x in valid:
        code = x.code
        plain, kidney = DIABETES.get(code[:3], ("", ""))
        if code != plain or code in done:
            continue
        done.add(code)
        category = code[:3]
        # a complication code of the same diabetes: E11.0-E11.8 (E11.A, "without
        # complications in remission", is no complication: its Excludes1 says the pair)
        other = next((y for _, y in valid if y.code[:3] == category
                      and "0" <= y.code[3:4] <= "8"), None)
        xd = x.dotted
        if other is not None:
            yd = other.dotted
            yield Hit(f"{xd} with {yd}: {xd} is diabetes without complications, but {yd} "
                      f"codes a complication of the same diabetes: remove {xd} (Guideline "
                      "I.C.4.a: as many codes of the category as needed to describe all of "
                      "the complications).", ("diagnoses", i), (xd, yd),
                      (yd,))
        elif ckd is not None:
            want = _says(kidney, day)[0]
            yield Hit(f"{xd} with {ckd.dotted}: diabetes with chronic kidney disease is "
                      f"presumed linked and coded {want} (Guideline I.A.15; Alphabetic "
                      "Index: Diabetes, with, chronic kidney disease), unless the provider "
                      "documents them as unrelated.", ("diagnoses", i), (xd, ckd.dotted),
                      (want,))


@rule("DX_COMBINATION_CODE_EXPECTED", "B", "warning",
      "ICD-10-CM Guidelines I.A.15, I.B.9, I.C.4.a, I.C.9.a", when=["dx-combination"],
      supersedes=["DX_ADDITIONAL_CODE_MISSING", "DX_ADMISSION_QUESTIONABLE"])
def combination_code_expected(ctx: ClaimContext) -> Iterable[Hit]:
    """Two diagnoses the guidelines presume linked and code by one combination code:
    hypertension (I10-I13) with heart failure (I50.-), the heart conditions of Guideline
    I.C.9.a.1 or chronic kidney disease (N18.-) not coded by the I11-I13 code that says
    them (or coded by one that says otherwise: I11.9 with I50.9, I12.0 with N18.4); a
    diabetes "without complications" code (E11.9) with a complication of the same
    diabetes, or with chronic kidney disease (E11.22). It replaces the missing-additional-
    code finding on the same code (I12.9 with N18.6: I12.0, whose stage N18.6 is), and
    the questionable-admission finding on a principal it replaces (I10 with N18.30 on an
    inpatient claim: I12.9, which is not on the MCE's list, is the principal)."""
    # a plain function, not a generator: most claims it runs on return at the first test
    here = ctx.valid_categories
    if not here & _GATE:
        return ()
    hits: list[Hit] = []
    hyp = here & _HYPERTENSIVE
    if hyp and (here & _COMPANIONS or hyp & (hyp - 1)) and not here & _PREGNANCY:
        hits += _hypertension(ctx.valid_hits, ctx.day)
    dm = here & _DIABETES
    if dm and (here & _CKD or ctx.repeated_categories & dm):
        hits += _diabetes(ctx.valid_hits, ctx.day)
    return hits


RULES = (combination_code_expected,)

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
  of a complication (E11.0-E11.8) contradicts itself; E11.9 with a condition
  :data:`LINKS` holds is the category's combination code: the subterms of the Index's
  "Diabetes, by type, with" whose companion code says only that condition (N18.- chronic
  kidney disease: E11.22; I73.9 peripheral angiopathy: E11.51, and the atherosclerosis of
  the extremities' native arteries, I70.2-, which is one (Coding Clinic 3Q2018), and of
  their bypass grafts, I70.3-I70.7 (I73.9's Excludes1: "atherosclerosis of the
  extremities (I70.2-I70.7-)"): E11.51, with gangrene, I70.26-, I70.36-... E11.52; G62.9
  polyneuropathy:
  E11.42; K31.84 gastroparesis: E11.43; L97.4-, L97.5- foot ulcer: E11.621; the other
  L97 and L98.4 codes, skin ulcer: E11.622; H25.-, H26.9 cataract: E11.36; E16.2
  hypoglycemia: E11.649; R73.9 hyperglycemia: E11.65; M14.6- Charcot's joints: E11.610;
  K05.2-K05.6 periodontal disease: E11.630; M86.- osteomyelitis: E11.69). The companion
  stays beside the combination code (a "use additional code" note: N18, L97, L98.4, M86;
  a "code first" note: K31.84), unless the combination code says all it says (I73.9,
  G62.9, E16.2, R73.9, M14.6-: Guideline I.B.9), when it is replaced too; beside the
  combination code itself (E11.51 with I73.9) such a companion is removed, where no
  Excludes1 note already pairs the two (E16.2, R73.9, M14.6- have theirs).

- Heart failure: systolic (I50.2-) beside diastolic (I50.3-) is combined systolic and
  diastolic heart failure, I50.4- (Guideline I.B.9; I50.2's and I50.3's Excludes1 notes
  name I50.4-), of the acuity the two codes share (I50.21 with I50.31: I50.41), else the
  subcategory, whose acuity the record gives (I50.21 with I50.32: I50.4-); a finding at
  each of the codes, fix the combination.

The finding is on the code to replace (``("diagnoses", i)``); ``codes`` are that code and
the codes that call for the combination; ``fix`` is the code that replaces it (when the
fix is already on the claim, the located code is simply removed: E11.9 with E11.65 has
``fix == ("E11.65",)``); E11.9 with several linked conditions has one code for each
(E11.9 with L97.412 and I73.9: ``("E11.621", "E11.51")``), and a companion the
combination code replaces has its own finding, whose fix is that code (I73.9 beside
E11.9: ``("E11.51",)``, which the fix of E11.9 brings: I73.9 is removed).

The presumption of heart disease and of diabetes "with" its linked conditions holds from
2016-10-01 (:data:`PRESUMED_FROM`, the FY2017 guidelines; osteomyelitis from 2021-10-01);
hypertension with chronic kidney disease and its stage, and "without complications"
beside a complication, from the first day of ICD-10-CM.

Only diagnoses that passed the validity edits are considered (``docs/catalog.md#precedence``,
rule 2). Every code of the tables is valid from 2015-10-01 to the last date codekit covers
(N18.3 is N18.30-N18.32 from 2020-10-01: the prefix holds both). A claim none of whose
valid diagnoses is of I10-I13, E08-E13 or I50 returns at one integer AND
(:attr:`ClaimContext.valid_categories`), and so does one with a diabetes code and none of
the categories of :data:`LINKS`, and one with a single I50 code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from .. import icd10cm
from ..findings import Hit
from ..icd10cm import Facts
from .context import ClaimContext
from .engine import rule

__all__ = ["COMBINATION", "COMPANIONS", "DIABETES", "HYPERTENSIVE", "LINKS", "PRESUMED_FROM",
           "RULES", "Link", "combination_code_expected"]

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


@attrs.frozen
class Link:
    """A condition the Alphabetic Index links to diabetes ("Diabetes, by type, with ..."),
    which Guideline I.A.15 presumes linked: a claim with the category's "without
    complications" code (E11.9) and a companion code should carry the combination code
    (the category and :attr:`suffix`: E11 + "51")."""

    #: The companion codes (compact prefixes): codes that say the condition and no cause.
    prefixes: tuple[str, ...]
    #: The Index's subterm under "with" (the message's words).
    subterm: str
    #: The combination code's characters after the category: "51" for E08.51 ... E13.51.
    suffix: str
    #: The combination code says all the companion says (Guideline I.B.9): the companion
    #: is replaced too. False when a note keeps it beside the combination code ("use
    #: additional code": N18, L97, L98.4, M86; "code first": K31.84), or to say more.
    replaces: bool = False
    #: Codes (compact prefixes) naming, on the claim, another cause of the condition: the
    #: causes the companion's "code first" notes list (L97: atherosclerosis of a limb with
    #: ulceration, varicose veins with ulcer...; K31.84: anorexia nervosa, scleroderma) or
    #: its Excludes1 names (M14.6: tabes dorsalis). With one of them the link is left to
    #: the coder.
    other_causes: tuple[str, ...] = ()
    #: The first day the presumption holds.
    since: dt.date = PRESUMED_FROM


#: The ulcers of L97 (and L98.4) whose "code first" notes name a cause other than diabetes.
_ULCER_CAUSES = ("I7023", "I7024", "I7025", "I7033", "I7034", "I7035", "I7043", "I7044",
                 "I7045", "I7053", "I7054", "I7055", "I7063", "I7064", "I7065", "I7073",
                 "I7074", "I7075", "I8701", "I8703", "I8731", "I8733", "I830", "I832")

#: The Index's "Diabetes, by type, with" subterms whose companion codes say the
#: condition alone, and the combination code each is (checked against the FY2016-FY2027
#: tabular: every combination code is valid for E08, E09, E10, E11 and E13 on every date,
#: and the companion's notes say the pair: I73.8 and I79.8 exclude diabetic angiopathy,
#: G63 diabetic polyneuropathy, H28 cataract in diabetes, E16.2 diabetes with
#: hypoglycemia, R73 diabetes mellitus, M14.6 Charcot's joint in diabetes; K31.84 and
#: L97 ask for diabetes first). Osteomyelitis holds from 2021-10-01 only: the first year
#: of its Index entry could not be verified (it is in the FY2022 Index).
LINKS: tuple[Link, ...] = (
    Link(("N18",), "chronic kidney disease", "22"),
    Link(("I739",), "peripheral angiopathy", "51", replaces=True),
    # atherosclerosis of the native arteries of the extremities is a peripheral
    # angiopathy (Index: Angiopathy, peripheral - see Disease, vascular, peripheral;
    # Coding Clinic 3Q2018: diabetes with it is E11.51, the I70.2- code beside it for the
    # kind of atherosclerosis); with gangrene (I70.26-) it is "with peripheral angiopathy,
    # with gangrene": .52. The I70.2- code stays (it says more than .51).
    Link(("I7026",), "peripheral angiopathy with gangrene", "52"),
    Link(("I7020", "I7021", "I7022", "I7023", "I7024", "I7025", "I7029"),
         "peripheral angiopathy", "51"),
    # and so is the atherosclerosis of the extremities' bypass grafts (I70.3-I70.7): the
    # tabular groups them with the native arteries as "atherosclerosis of the
    # extremities (I70.2-I70.7-)", the peripheral angiopathy I73.9 ("Peripheral
    # angiopathy NOS") excludes, so the Index's "Diabetes, with, peripheral angiopathy"
    # reaches them by the "with" convention (I.A.15) as it reaches I70.2-; with gangrene
    # (I70.36-, I70.46-... I70.76-) .52
    Link(("I7036", "I7046", "I7056", "I7066", "I7076"),
         "peripheral angiopathy with gangrene", "52"),
    Link(tuple(f"I70{g}{k}" for g in "34567" for k in "0123459"),
         "peripheral angiopathy", "51"),
    Link(("G629",), "polyneuropathy", "42", replaces=True),
    Link(("K3184",), "gastroparesis", "43", other_causes=("F500", "M34")),
    Link(("L974", "L975"), "foot ulcer", "621", other_causes=_ULCER_CAUSES),
    Link(("L971", "L972", "L973", "L978", "L979", "L984"), "skin ulcer", "622",
         other_causes=_ULCER_CAUSES),
    Link(("H25", "H269"), "cataract", "36"),
    Link(("E162",), "hypoglycemia", "649", replaces=True),
    Link(("R739",), "hyperglycemia", "65", replaces=True),
    Link(("M146",), "Charcot's joints", "610", replaces=True, other_causes=("A5216",)),
    Link(("K052", "K053", "K054", "K055", "K056"), "periodontal disease", "630"),
    Link(("M86",), "osteomyelitis", "69", since=dt.date(2021, 10, 1)),
)

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
#: Heart failure, I50: systolic beside diastolic (two codes of the category).
_I50 = Facts.category_bit_of("I50")
_GATE = _HYPERTENSIVE | _DIABETES | _I50
#: The categories of the companions: a hypertensive code needs one (or a second
#: hypertensive category) to be judged, a diabetes code a companion of :data:`LINKS` (or
#: a second code of its category).
_COMPANIONS = _bits(("I50", "I51", "N18"))
#: The categories of the diabetes links' companions.
_LINKED = _bits(tuple(sorted({p[:3] for link in LINKS for p in link.prefixes})))
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


#: The 5th character of I50.2- (systolic), I50.3- (diastolic) and I50.4- (combined
#: systolic and diastolic heart failure): the acuity, alike in the three subcategories.
_ACUITY = {"0": "unspecified", "1": "acute", "2": "chronic", "3": "acute on chronic"}


def _heart_failure(valid: list[tuple[int, Facts]], day: dt.date) -> Iterator[Hit]:
    """Systolic (I50.2-) beside diastolic (I50.3-) heart failure: the classification's
    code for both is combined systolic and diastolic heart failure, I50.4- (its title and
    inclusion terms; the Excludes1 notes of I50.2 and I50.3 name it; Guideline I.B.9),
    of the acuity the two share (I50.21 with I50.31: I50.41), else the subcategory
    (I50.21 with I50.32: the record says the combined failure's acuity). One finding at
    each code it replaces, fix the combination."""
    kinds: dict[str, list[tuple[int, Facts]]] = {"I502": [], "I503": []}
    for i, f in valid:
        found = kinds.get(f.code[:4])
        if found is not None and len(f.code) == 5 and all(g.code != f.code for _, g in found):
            found.append((i, f))
    systolic, diastolic = kinds["I502"], kinds["I503"]
    if not systolic or not diastolic:
        return
    codes = sorted((*systolic, *diastolic), key=lambda p: p[0])  # in the claim's order
    acuities = {f.code[4] for _, f in codes}
    if len(acuities) == 1:
        want, says = _says("I504" + acuities.pop(), day)
        target, tail = f"{want} ({says})", ""
    else:
        want = "I50.4-"
        target = ("a code of I50.4- (combined systolic (congestive) and diastolic "
                  "(congestive) heart failure)")
        tail = ", of the acuity the record documents (" + ", ".join(
            f"{f.dotted} is {_ACUITY[f.code[4]]}" for _, f in codes) + ")"
    both = _joined([f.dotted for _, f in codes])
    for i, x in codes:
        others = [f.dotted for _, f in (diastolic if x.code[:4] == "I502" else systolic)]
        yield Hit(f"{x.dotted} with {_joined(others)}: systolic and diastolic heart failure "
                  f"together are combined systolic and diastolic heart failure, one code: "
                  f"report {target} in place of {both}{tail} (Guideline I.B.9; the "
                  "Excludes1 notes of I50.2 and I50.3).", ("diagnoses", i),
                  (x.dotted, *others), (want,))


def _linked(valid: list[tuple[int, Facts]],
            day: dt.date) -> list[tuple[Link, list[tuple[int, Facts]]]]:
    """The links of :data:`LINKS` the claim's valid codes make on ``day``, in the order of
    their first companion, each with its companions (one per code)."""
    found: dict[Link, list[tuple[int, Facts]]] = {}
    for i, f in valid:
        code = f.code
        for link in LINKS:
            if code.startswith(link.prefixes):
                if day >= link.since:
                    companions = found.setdefault(link, [])
                    if all(c.code != code for _, c in companions):
                        companions.append((i, f))
                break
    # peripheral angiopathy with gangrene (.52) says the angiopathy too: no .51 beside it
    gangrene = any(link.suffix == "52" for link in found)
    return [(link, companions) for link, companions in found.items()
            if not (link.other_causes and any(f.code.startswith(link.other_causes)
                                              for _, f in valid))
            and not (gangrene and link.suffix == "51")]


def _replaced(valid: list[tuple[int, Facts]]) -> Iterator[Hit]:
    """A companion a combination code of the claim says all of (I73.9 beside E11.51,
    G62.9 beside E11.42: the links that :attr:`Link.replaces`): the combination code
    replaces it (Guideline I.B.9). Not where an Excludes1 note names the pair (E16.2
    beside E11.649, R73.9 beside E11.65: ``DX_EXCLUDES1_CONFLICT``'s), nor beside a code
    of another cause of the condition (:attr:`Link.other_causes`)."""
    combos = [f for _, f in valid if f.code[:3] in DIABETES]
    for j, c in valid:
        code = c.code
        link = next((k for k in LINKS if code.startswith(k.prefixes)), None)
        if link is None or not link.replaces or (link.other_causes and any(
                f.code.startswith(link.other_causes) for _, f in valid)):
            continue
        for f in combos:
            if f.code[3:] == link.suffix and c.excludes1_note(f.code) is None \
                    and f.excludes1_note(code) is None:
                cd, want = c.dotted, f.dotted
                title = f.title[:1].lower() + f.title[1:]
                yield Hit(f"{cd} with {want}: {want} ({title}) includes what {cd} says: "
                          f"remove {cd} (Guideline I.B.9: no multiple coding where a "
                          "combination code identifies all the elements of the diagnosis).",
                          ("diagnoses", j), (cd, want), (want,))
                break


def _diabetes(valid: list[tuple[int, Facts]], day: dt.date) -> Iterator[Hit]:
    yield from _replaced(valid)
    links: list[tuple[Link, list[tuple[int, Facts]]]] | None = None
    # two types of diabetes: which one is the patient's is DX_EXCLUDES1_CONFLICT's
    types = {f.code[:3] for _, f in valid if f.code[:3] in DIABETES}
    done: set[str] = set()
    for i, x in valid:
        code = x.code
        plain = DIABETES.get(code[:3], ("", ""))[0]
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
            continue
        if len(types) > 1 or day < PRESUMED_FROM:
            continue
        if links is None:
            links = _linked(valid, day)
        if not links:
            continue
        wants = [_says(category + link.suffix, day) for link, _ in links]
        names = [f.dotted for _, companions in links for _, f in companions]
        # two links of one combination (I73.9 and I70.2-: E11.51) name it once
        subterms = list(dict.fromkeys(link.subterm for link, _ in links))
        codes = list(dict.fromkeys(w for w, _ in wants))
        message = (f"{xd} with {_joined(names)}: diabetes "
                   f"{_joined(['with ' + s for s in subterms])} is presumed linked and "
                   f"coded {_joined(codes)} "
                   f"(Guideline I.A.15; Alphabetic Index: Diabetes, with, "
                   f"{'; with, '.join(subterms)}), unless the provider documents them as "
                   "unrelated.")
        for (link, companions), (want, _) in zip(links, wants, strict=True):
            if link.replaces:
                message += (f" {want} also says {_joined([f.dotted for _, f in companions])}"
                            ", which it replaces (Guideline I.B.9).")
        yield Hit(message, ("diagnoses", i), (xd, *names), tuple(codes))
        for (link, companions), (want, says) in zip(links, wants, strict=True):
            if not link.replaces:
                continue
            for j, f in companions:
                yield Hit(f"{f.dotted} with {xd}: {want} ({says}) includes what {f.dotted} "
                          f"says: report {want} in place of {f.dotted} and {xd} (Guidelines "
                          "I.A.15, I.B.9), unless the provider documents them as unrelated.",
                          ("diagnoses", j), (f.dotted, xd), (want,))


@rule("DX_COMBINATION_CODE_EXPECTED", "B", "warning",
      "ICD-10-CM Guidelines I.A.15, I.B.9, I.C.4.a, I.C.9.a; Excludes1 notes of I50.2, "
      "I50.3", when=["dx-combination"],
      supersedes=["DX_ADDITIONAL_CODE_MISSING", "DX_ADMISSION_QUESTIONABLE",
                  "DX_EXCLUDES1_CONFLICT"])
def combination_code_expected(ctx: ClaimContext) -> Iterable[Hit]:
    """Two diagnoses the guidelines presume linked and code by one combination code:
    hypertension (I10-I13) with heart failure (I50.-), the heart conditions of Guideline
    I.C.9.a.1 or chronic kidney disease (N18.-) not coded by the I11-I13 code that says
    them (or coded by one that says otherwise: I11.9 with I50.9, I12.0 with N18.4); a
    diabetes "without complications" code (E11.9) with a complication of the same
    diabetes, or with a condition the Alphabetic Index links to diabetes (:data:`LINKS`:
    N18.- E11.22, I73.9 or I70.2- E11.51, L97.412 E11.621...); systolic beside diastolic
    heart failure (I50.21 with I50.31: I50.41). It replaces the missing-additional-
    code finding on the same code (I12.9 with N18.6: I12.0, whose stage N18.6 is), the
    questionable-admission finding on a principal it replaces (I10 with N18.30 on an
    inpatient claim: I12.9, which is not on the MCE's list, is the principal) and the
    Excludes1 finding on a companion it replaces (R73.9 with E11.9: R73's Excludes1 names
    diabetes; E11.65 replaces both). A combination code beside a companion it says all of
    (E11.51 with I73.9; no Excludes1 note pairs them): remove the companion (I.B.9)."""
    # a plain function, not a generator: most claims it runs on return at the first test
    here = ctx.valid_categories
    if not here & _GATE:
        return ()
    hits: list[Hit] = []
    hyp = here & _HYPERTENSIVE
    if hyp and (here & _COMPANIONS or hyp & (hyp - 1)) and not here & _PREGNANCY:
        hits += _hypertension(ctx.valid_hits, ctx.day)
    dm = here & _DIABETES
    if dm and (here & _LINKED or ctx.repeated_categories & dm):
        hits += _diabetes(ctx.valid_hits, ctx.day)
    if here & _I50 and ctx.repeated_categories & _I50:
        failure = list(_heart_failure(ctx.valid_hits, ctx.day))
        if failure:
            hits = sorted(hits + failure, key=lambda h: h.location[1]) if hits else failure
    return hits


RULES = (combination_code_expected,)

"""Group B: "Use additional code" notes that the ICD-10-CM guidelines make mandatory.

Most "Use additional code" notes of the tabular ask for a code *if* the record supports it
(Guideline I.B.7: "where a secondary code is useful to fully describe a condition"):
"if applicable", "if known", "such as", "to identify control using: insulin (Z79.4)..."
depend on what the patient has or takes. A few the guidelines make mandatory: hypertensive
heart disease with heart failure is reported with the type of heart failure (I50), every
hypertensive chronic kidney disease with its stage (N18), an encounter for antineoplastic
chemotherapy or immunotherapy (Z51.1-) with the neoplasm treated (I.C.2.e.2: Z51's "Code
also" note, the one row read from a note of that kind), and so on. Only those fire: they
are listed in :data:`MANDATORY`, one row a guideline, each row naming the note's phrase as
the tabular writes it and the codes it applies to. A note that only matches the phrase
while also saying "if applicable", "if known" or "such as" is never taken.

Some rows read no note: the guideline alone asks for the code. I22 (a subsequent myocardial
infarction within four weeks) "must be used in conjunction with a code from category I21"
(I.C.9.e.4), and no note of I22 names I21. D70.1 (agranulocytosis secondary to cancer
chemotherapy) is a drug's effect by its title, coded "followed by the appropriate code for
the adverse effect of the drug (T36-T50)" (I.C.19.e.5.a); its note's "if applicable" is
about which code names the drug (T45.1X5-, or a poisoning T45.1X1-T45.1X4, or an agent the
Table of Drugs classifies elsewhere), so any T36-T50 code satisfies it, and only a claim
with none is a finding. The other codes of chapter 3 whose title names a drug as the cause
(D52.1, D59.0, D59.2, D61.1, D61.810, D61.811, D64.81, D70.2, D72.12, D75.82-, D84.821)
are read the same way, with D70.1's note or none (I.C.19.e.5.a; D64.81 also I.C.2.c.2), and
so are the codes of the other chapters whose title names a drug as the cause and whose
note is D70.1's (E16.0, G25.1, G62.0, H40.6-, L27.0, M10.2-, M87.1-...: found by that note,
a test holds the rows to it; not those whose agent may be no drug, :data:`DRUG_LEFT_OUT`).

The companion's codes are the note's own references (:class:`codekit.icd10cm.notes.CodeRef`,
ranges, prefixes and qualifiers read by the note parser): a claim with any valid diagnosis
they admit is clean. An invalid companion (not valid on the date) does not count: its
validity finding says what to fix.

Only diagnoses that passed the validity edits are considered (``docs/catalog.md#precedence``,
rule 2). ``icd10cm.Facts.ADDITIONAL_CODE`` marks the codes of :data:`SCOPES`
(``icd10cm.ADDITIONAL_CODE_NOTES``: a test holds the two equal) and the claim context makes
the feature ``dx-additional`` of it: the rule runs only on claims with such a code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from .. import _cache
from ..findings import Hit
from ..icd10cm import Facts
from ..icd10cm.notes import CodeRef, Note
from .context import ClaimContext
from .engine import rule

__all__ = ["DRUG_LEFT_OUT", "LEFT_OUT", "MANDATORY", "RULES", "SCOPES", "Found", "Mandatory",
           "additional_code_missing", "mandatory_notes"]


@attrs.frozen
class Mandatory:
    """One mandatory "Use additional code" note: the ``phrase`` its text contains (a
    regular expression, matched case-insensitively), the code ``scope`` it is mandatory
    for (prefixes of compact codes: the guideline's own), and the ``guideline`` section.

    ``listed``: the note introduces a list ("code to identify the type of HIV disease:")
    whose items, the notes after it at the same place, hold the codes. ``says``: the
    guideline's words the message quotes."""

    phrase: str
    scope: tuple[str, ...]
    guideline: str
    listed: bool = False
    #: what the guideline says, quoted after its section in the message (the tabular's
    #: "to further identify any manifestations" reads optional; I.C.15.g makes the code
    #: itself mandatory)
    says: str = ""
    #: the entry's notes the phrase is looked for in: its "Use additional code" notes, or
    #: (``"code_also"``) its "Code also" notes; ``""``: none, the guideline alone says it
    #: (I22 with I21: no tabular note names I21; D70.1's note says "if applicable") and
    #: :attr:`refs` and :attr:`what` say the codes
    notes: str = "use_additional_code"
    #: the codes that satisfy the note when the note names none (Z51's "Code also condition
    #: requiring care": the neoplasm chapter, C00-D49, I.C.2.e.2), and what the message
    #: calls them
    refs: tuple[CodeRef, ...] = ()
    what: str = ""

    def applies(self, code: str, text: str) -> bool:
        return code.startswith(self.scope) and re.search(self.phrase, text, re.I) is not None


#: A guideline-only row's refs: category I21 (I.C.9.e.4); the drug of an adverse effect
#: or poisoning, T36-T50 (the note's T45.1X5- first: I.C.19.e.5)
_I21 = (CodeRef("prefix", "I21", "I21"),)
_DRUG = (CodeRef("prefix", "T451X5", "T451X5"), CodeRef("range", "T36", "T50"))
#: the drug of another drug-induced blood disorder: any of T36-T50 (an anemia due to
#: antineoplastic chemotherapy: T45.1X5- or T45.AX5- first, I.C.2.c.2; heparin: T45.515-)
_ANY_DRUG = (CodeRef("range", "T36", "T50"),)
_CHEMOTHERAPY = (CodeRef("prefix", "T451X5", "T451X5"), CodeRef("prefix", "T45AX5", "T45AX5"),
                 CodeRef("range", "T36", "T50"))
_HEPARIN = (CodeRef("prefix", "T45515", "T45515"), CodeRef("range", "T36", "T50"))
#: a neuroleptic's adverse effect, G21.11's note (T43.3X5-, T43.4X5-, T43.505-, T43.595-)
_NEUROLEPTIC = (CodeRef("prefix", "T433X5", "T433X5"), CodeRef("prefix", "T434X5", "T434X5"),
                CodeRef("prefix", "T43505", "T43505"), CodeRef("prefix", "T43595", "T43595"),
                CodeRef("range", "T36", "T50"))
_DRUG_SAYS = ("the nature of the adverse effect, followed by the code for the adverse effect "
              "of the drug, T36-T50")
_DRUG_WHAT = "code identifying the drug"


_DIABETES = ("E08", "E09", "E10", "E11", "E13")
_CKD_STAGE = r"\bto identify (?:the )?stage of chronic kidney disease\b"

#: The "Use additional code" notes the guidelines make mandatory (FY2026 guidelines). The
#: scopes are the codes that carry the note (tests hold that no other code of their
#: categories does, on the dates tested): a row reaches no code the guideline does not name.
MANDATORY: tuple[Mandatory, ...] = (
    # I.C.9.a.1: "Use additional code from category I50, Heart failure, to identify the
    # type of heart failure" (I11.0)
    Mandatory(r"\bto identify type of heart failure\b", ("I110",), "I.C.9.a.1"),
    # I.C.9.a.2: "The appropriate code from category N18 ... should be used as a secondary
    # code with a code from category I12 to identify the stage of chronic kidney disease"
    Mandatory(_CKD_STAGE, ("I120", "I129"), "I.C.9.a.2"),
    # I.C.9.a.3: I13 with "an additional code from category I50 ... to identify the type of
    # heart failure" and "the appropriate code from category N18 ... to identify the stage
    # of chronic kidney disease"
    Mandatory(r"\bto identify type of heart failure\b", ("I130", "I132"), "I.C.9.a.3"),
    Mandatory(_CKD_STAGE, ("I130", "I131", "I132"), "I.C.9.a.3"),
    # I.C.4.a: diabetes, "as many codes ... as needed to describe all of the
    # complications"; the tabular's instruction at .22 and .621/.622 names the codes
    Mandatory(_CKD_STAGE, tuple(f"{c}22" for c in _DIABETES), "I.C.4.a"),
    Mandatory(r"\bto identify site of ulcer\b",
              tuple(f"{c}62{k}" for c in _DIABETES for k in "12"), "I.C.4.a"),
    # I.C.1.a.2.f and I.C.15.f: O98.7- followed by B20 (HIV disease) or Z21 (asymptomatic)
    Mandatory(r"\bto identify the type of HIV disease:", ("O987",), "I.C.1.a.2.f",
              listed=True),
    # I.C.15.d: "When assigning one of the O10 codes that includes hypertensive heart
    # disease or hypertensive chronic kidney disease, it is necessary to add a secondary
    # code from the appropriate hypertension category"
    Mandatory(r"\bto identify the type of hypertensive (?:heart and )?chronic kidney disease\b",
              ("O102", "O103"), "I.C.15.d"),
    # I.C.15.g: "Pregnant women who are diabetic should be assigned a code from category
    # O24 ... first, followed by the appropriate diabetes code(s) (E08-E13) from Chapter
    # 4"; the tabular's note at each subcategory of pre-existing diabetes names the
    # category: O24.0- type 1 "code from category E10 to further identify any
    # manifestations", O24.1- type 2 and O24.3- unspecified E11, O24.8- other "from
    # categories E08, E09 and E13". Not O24.9- (diabetes in pregnancy unspecified, not
    # said pre-existing: :data:`LEFT_OUT`) nor O24.4- (gestational: no E code, I.C.15.i).
    Mandatory(r"\bfrom categor(?:y|ies) E\d\d\b.* to further identify any manifestations?\b",
              ("O240", "O241", "O243", "O248"), "I.C.15.g",
              says="a code from category O24 first, followed by the appropriate diabetes "
                   "code(s) (E08-E13)"),
    # I.C.2.e.2: an encounter for antineoplastic chemotherapy or immunotherapy is coded
    # Z51.11 or Z51.12, and "The malignancy for which the therapy is being administered
    # should be assigned as a secondary diagnosis" (I.C.2.d: while therapy is directed to
    # an excised primary, its C code, not Z85); Z51's note "Code also condition requiring
    # care" names no code, and Z51.1's Excludes2 codes chemotherapy for a nonneoplastic
    # condition to the condition, never Z51.1-. Any code of the neoplasm chapter will do
    # (D46.9, myelodysplastic syndrome, takes chemotherapy too).
    Mandatory(r"^condition requiring care$", ("Z511",), "I.C.2.e.2",
              says="the malignancy for which the therapy is being administered should be "
                   "assigned as a secondary diagnosis",
              notes="code_also", refs=(CodeRef("range", "C00", "D49"),),
              what="code of the neoplasm the therapy is for"),
    # I.C.9.e.4: "A code from category I22 must be used in conjunction with a code from
    # category I21" (FY2016-FY2026); I22's own notes name no I21 code
    Mandatory("", ("I22",), "I.C.9.e.4", notes="", refs=_I21,
              says="a code from category I22 must be used in conjunction with a code from "
                   "category I21",
              what="code of the acute myocardial infarction of the last four weeks"),
    # I.C.19.e.5.a: an adverse effect is coded by its nature "followed by the appropriate
    # code for the adverse effect of the drug (T36-T50)". D70.1 is agranulocytosis
    # *secondary to cancer chemotherapy*: always a drug's effect. Its note, "Use additional
    # code for adverse effect, if applicable, to identify drug (T45.1X5)", says "if
    # applicable" because the drug may be coded otherwise (a poisoning, T45.1X1-T45.1X4,
    # I.C.19.e.5.b; an agent the Table of Drugs classifies elsewhere, T45.AX5-, T38.-):
    # any code of T36-T50 satisfies it, none at all leaves the drug unsaid
    Mandatory("", ("D701",), "I.C.19.e.5.a", notes="", refs=_DRUG,
              says=_DRUG_SAYS, what=_DRUG_WHAT),
    # The other blood disorders (chapter 3) whose title names a drug as their cause, read
    # as D70.1 is: drug-induced folate deficiency anemia (D52.1), autoimmune and
    # nonautoimmune hemolytic anemia (D59.0, D59.2), aplastic anemia (D61.1),
    # agranulocytosis (D70.2), drug rash with eosinophilia and systemic symptoms (D72.12),
    # heparin-induced thrombocytopenia (D75.82-), immunodeficiency due to drugs (D84.821):
    # each one's note is D70.1's ("Use additional code for adverse effect, if applicable,
    # to identify drug (T36-T50 with fifth or sixth character 5)"; D75.82-: "(T45.515-)"),
    # whose "if applicable" cannot be "if a drug caused it" (the title says one did); and
    # antineoplastic chemotherapy induced pancytopenia (D61.810), other drug-induced
    # pancytopenia (D61.811) and anemia due to antineoplastic chemotherapy (D64.81), which
    # carry no such note in the FY2016-FY2026 tabular but are adverse effects by their
    # titles (I.C.19.e.5.a; for D64.81 also I.C.2.c.2: the anemia "followed by the
    # appropriate codes for the neoplasm and the adverse effect (T45.1X5-, T45.AX5-)").
    # Not the codes whose note says "if applicable" of a cause the title does not name:
    # myelodysplastic syndromes (D46), myelofibrosis (D75.81), immune reconstitution
    # syndrome (D89.3), cytokine release syndrome (D89.83-); nor those whose agent may be
    # no drug: sideroblastic anemia "due to drugs and toxins" (D64.2: lead is T56.0),
    # "extrinsic circulating anticoagulants" (D68.32: a rodenticide is T60.4).
    Mandatory("", ("D521", "D590", "D592", "D611", "D61811", "D702", "D7212", "D84821"),
              "I.C.19.e.5.a", notes="", refs=_ANY_DRUG, says=_DRUG_SAYS, what=_DRUG_WHAT),
    Mandatory("", ("D61810",), "I.C.19.e.5.a", notes="", refs=_DRUG, says=_DRUG_SAYS,
              what=_DRUG_WHAT),
    Mandatory("", ("D6481",), "I.C.2.c.2, I.C.19.e.5.a", notes="", refs=_CHEMOTHERAPY,
              says="the anemia code followed by the appropriate codes for the neoplasm and "
                   "the adverse effect (T45.1X5-, T45.AX5-)", what=_DRUG_WHAT),
    Mandatory("", ("D7582",), "I.C.19.e.5.a", notes="", refs=_HEPARIN, says=_DRUG_SAYS,
              what=_DRUG_WHAT),
    # The codes of the other chapters whose title names a drug (a medicament, a
    # neuroleptic, a contrast medium) as the cause and whose note is D70.1's, "Use
    # additional code for adverse effect, if applicable, to identify drug (T36-T50 with
    # fifth or sixth character 5)" (G21.11:
    # "(T43.3X5, T43.4X5, T43.505, T43.595)"), read as D70.1 is (a test finds them by that
    # note and holds the scopes to it: :data:`DRUG_LEFT_OUT` names the codes with the note
    # that are not rows): drug-induced thyroiditis, hypoglycemia, hypopituitarism,
    # Cushing's syndrome, adrenocortical insufficiency, obesity (E06.4, E16.0, E23.1, E24.2,
    # E27.3, E66.1); parkinsonism, dystonia, tremor, chorea, tics, movement disorders,
    # headache, polyneuropathy, myotonia, myopathy (G21.11, G21.19, G24.0-, G25.1, G25.4,
    # G25.61, G25.7-, G44.4-, G62.0, G71.14, G72.0); cataract, glaucoma (H26.3-, H40.6-);
    # hypotension (I95.2); interstitial lung disorders (J70.2-J70.4); oral mucositis,
    # constipation, acute pancreatitis (K12.32, K59.03, K85.3-); pemphigus, epidermolysis
    # bullosa, contact dermatitis, skin eruption, lichenoid reaction, phototoxic and
    # photoallergic response, androgenic alopecia (L10.5, L12.31, L23.3, L24.4, L25.1,
    # L27.0, L27.1, L43.2, L56.0, L56.1, L64.0); gout, lupus, osteomalacia, osteonecrosis
    # (M1A.2-, M10.2-, M32.0, M83.5, M87.1-); nephropathy (N14.1-, N14.2: contrast-induced,
    # a contrast medium is T50.8X5-, and other drugs); reactions to drugs administered to a
    # newborn (P93.8); retention of urine, fever (R33.0, R50.2).
    Mandatory("", ("E064", "E160", "E231", "E242", "E273", "E661", "G2119", "G240", "G251",
                   "G254", "G2561", "G257", "G444", "G620", "G7114", "G720", "H263", "H406",
                   "I952", "J702", "J703", "J704", "K1232", "K5903", "K853", "L105", "L1231",
                   "L233", "L244", "L251", "L270", "L271", "L432", "L560", "L561", "L640",
                   "M1A2", "M102", "M320", "M835", "M871", "N141", "N142", "P938", "R330",
                   "R502"),
              "I.C.19.e.5.a", notes="", refs=_ANY_DRUG, says=_DRUG_SAYS, what=_DRUG_WHAT),
    Mandatory("", ("G2111",), "I.C.19.e.5.a", notes="", refs=_NEUROLEPTIC, says=_DRUG_SAYS,
              what=_DRUG_WHAT),
)

#: The codes whose note is D70.1's adverse-effect note ("Use additional code for adverse
#: effect, if applicable, to identify drug"), whose title names a drug, and that no row of
#: :data:`MANDATORY` reads as D70.1 is: the agent may be no drug, as D64.2's (lead) and
#: D68.32's (a rodenticide) may: hypothyroidism "due to medicaments and other exogenous
#: substances" (E03.2), "drug or chemical induced" diabetes (E09), cardiomyopathy "due to
#: drug and external agent" (I42.7), systemic sclerosis "induced by drug and chemical"
#: (M34.2), neonatal jaundice "due to drugs or toxins" (P58.4-); malignant neuroleptic
#: syndrome (G21.0: its title names a class of drugs as no cause, the syndrome's name); and
#: chapter 19 (T36-T88), whose adverse effects are coded by their own rules.
DRUG_LEFT_OUT: tuple[str, ...] = ("D642", "D6832", "E032", "E09", "I427", "M342", "P584",
                                  "G210", "T")

#: Codes of a row's categories that carry one of its notes but no guideline makes it
#: mandatory for: O24.9- (unspecified diabetes in pregnancy, childbirth and the
#: puerperium: its note names E08, E09 and E13 as O24.8-'s does, but I.C.15.g's "pregnant
#: women who are diabetic" are those of pre-existing diabetes, and a diabetes not said
#: pre-existing or gestational has no E08-E13 code the record must give); Z51.0, Z51.5,
#: Z51.6, Z51.8- and Z51.A (Z51's note, but no neoplasm need be treated: the Index leads
#: radiotherapy of a benign condition, a keloid, to Z51.0 too; palliative care;
#: desensitization to allergens; other aftercare; sepsis aftercare).
LEFT_OUT: tuple[str, ...] = ("O249", "Z510", "Z515", "Z516", "Z518", "Z51A")

#: Every code a row applies to starts with one of these.
SCOPES: tuple[str, ...] = tuple(dict.fromkeys(p for row in MANDATORY for p in row.scope))

#: Words that make a note optional whatever its phrase.
_OPTIONAL = re.compile(r"\bif applicable\b|\bif known\b|\bsuch as\b", re.I)

#: One mandatory note of a code: the row, the note's text, the codes that satisfy it.
Found = tuple[Mandatory, str, tuple[CodeRef, ...]]
#: What the rule keeps of one: the message, the fix, the references and the category bits
#: they may name (-1: any).
_Kept = tuple[str, tuple[str, ...], tuple[CodeRef, ...], int]

_BIT = Facts.ADDITIONAL_CODE  # the codes of SCOPES (icd10cm's ADDITIONAL_CODE_NOTES)

# Facts (a code on a class of dates) -> its mandatory notes; () for most codes. Facts
# are made once per code and date class, so a stream of claims reads a code's notes once.
_NOTES: dict[Facts, tuple[_Kept, ...]] = _cache.owned("rules.mandatory_notes", {},
                                                     max_entries=1 << 14)


def mandatory_notes(facts: Facts) -> tuple[Found, ...]:
    """The mandatory "Use additional code" notes of a valid diagnosis (its :class:`Facts`
    on a date), as ``(row, note text, references)``.

    >>> from codekit import icd10cm
    >>> [(row.guideline, text, [str(r) for r in refs]) for row, text, refs in
    ...  mandatory_notes(icd10cm.facts("I13.2", on="2025-11-03"))]  # doctest: +NORMALIZE_WHITESPACE
    [('I.C.9.a.3', 'code to identify type of heart failure (I50.-)', ['I50.-']),
     ('I.C.9.a.3', 'code to identify the stage of chronic kidney disease (N18.5, N18.6)',
      ['N18.5', 'N18.6'])]
    >>> mandatory_notes(icd10cm.facts("E11.9", on="2025-11-03"))
    ()
    """
    rows = [row for row in MANDATORY if facts.code.startswith(row.scope)]
    if not rows:
        return ()
    out: list[Found] = [(row, row.what, row.refs) for row in rows if not row.notes]
    for kind in dict.fromkeys(row.notes for row in rows if row.notes):
        notes = list(getattr(facts.entry, kind))
        of_kind = [row for row in rows if row.notes == kind]
        for k, note in enumerate(notes):
            text = note.text
            if _OPTIONAL.search(text):
                continue
            for row in of_kind:
                if not row.applies(facts.code, text):
                    continue
                refs: tuple[CodeRef, ...] = row.refs or note.refs
                if row.listed:
                    refs = _listed(notes[k + 1:], getattr(note, "origin", ""))
                if refs:
                    out.append((row, text, refs))
                break
    return tuple(out)


def _kept(facts: Facts) -> tuple[_Kept, ...]:
    """:func:`mandatory_notes` as the rule reads them, remembered per facts."""
    found = _NOTES.get(facts)
    if found is None:
        caveat = facts.notes_caveat
        note = f" (Note from the {caveat[len('notes of the '):]})" if caveat else ""
        kept = []
        for row, text, refs in mandatory_notes(facts):
            fix = tuple(dict.fromkeys(str(r) for r in refs))
            mask = 0
            for r in refs:
                if r.start[:3] != r.end[:3]:
                    mask = -1
                    break
                mask |= Facts.category_bit_of(r.start[:3])
            says = f": {row.says}" if row.says else ""
            what = f"{row.what} ({', '.join(fix)})" if row.what else _described(text, fix)
            kept.append((f"{facts.dotted} needs an additional {what}: add it (Guideline "
                         f"{row.guideline}{says}).{note}", fix, refs, mask))
        found = _NOTES[facts] = tuple(kept)
    return found


def _listed(after: Iterable[Note], origin: str) -> tuple[CodeRef, ...]:
    """The references of the items of a list note: the notes after it at the same place
    (an entry's notes are :class:`~codekit.icd10cm.entry.SourcedNote`), up to the next
    instruction ("code ...")."""
    refs: list[CodeRef] = []
    for note in after:
        if getattr(note, "origin", "") != origin or note.text.lower().startswith("code"):
            break
        refs += note.refs
    return tuple(dict.fromkeys(refs))


def _described(text: str, fix: tuple[str, ...]) -> str:
    """The note's text as the message's object: "code to identify type of heart failure
    (I50.-)"; a list note's colon becomes its items' codes."""
    text = text.strip()
    if text.startswith("from "):  # an item of a list note "code (for):" (O24.1-'s)
        text = f"code {text}"
    if text.endswith(":"):
        return f"{text[:-1].rstrip()} ({', '.join(fix)})"
    return text


def _missing(ctx: ClaimContext) -> list[Hit] | tuple[()]:
    """A diagnosis whose "Use additional code" note the guidelines make mandatory
    (hypertensive heart disease with heart failure and the type of heart failure, the stage
    of hypertensive or diabetic chronic kidney disease, the site of a diabetic ulcer, the
    type of HIV disease in pregnancy, the neoplasm an antineoplastic chemotherapy treats...)
    with none of the note's codes on the claim; and those the guideline alone asks for:
    I22 without an I21 code, D70.1 and the other codes a drug caused by their titles
    (D61.1, D64.81, E16.0, G62.0...) without a T36-T50 code."""
    valid = ctx.valid_hits
    notes = _NOTES
    out: list[Hit] | None = None
    reported: list[Facts] = []  # a code written twice is reported once
    for i, x in valid:
        if not x.bits & _BIT:
            continue  # no row of MANDATORY applies to it (most of the claim's codes)
        kept = notes.get(x)
        if kept is None:
            kept = _kept(x)
        if not kept or x in reported:
            continue
        reported.append(x)
        here = ctx.valid_categories
        for message, fix, refs, mask in kept:
            # none of the claim's categories is one the references name: missing
            if here & mask and any(r.matches(y.code) for _, y in valid if y is not x
                                   and y.category_bit & mask for r in refs):
                continue
            if out is None:
                out = []
            out.append(Hit(message, ("diagnoses", i), (x.dotted,), fix))
    return out or ()


additional_code_missing = rule(
    "DX_ADDITIONAL_CODE_MISSING", "B", "warning",
    "ICD-10-CM Guidelines I.C.9.a.1-3, I.C.4.a, I.C.1.a.2.f, I.C.15.d, I.C.15.g, I.C.2.e.2, "
    "I.C.9.e.4, I.C.19.e.5.a, I.C.2.c.2; "
    "tabular \"Use additional code\" notes, Z51's \"Code also\" note", when=["dx-additional"],
)(_missing)

RULES = (additional_code_missing,)

"""DX_ADDITIONAL_CODE_MISSING: "Use additional code" notes the guidelines make mandatory.

The rule is in ``codekit.rules.additional_codes``; these tests add it to a checker
(``Checker.with_rules``), so they hold whether or not the built-in rules list it yet.
Real codes, dates 2025-11-03 (FY2026) and 2019-06-01 (FY2019, whose release came without a
tabular: its notes are the FY2021-01 tabular's).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from codekit import Checker, Claim, icd10cm
from codekit.icd10cm import _facts
from codekit.rules import additional_codes
from codekit.rules.additional_codes import (
    MANDATORY,
    SCOPES,
    additional_code_missing,
    mandatory_notes,
)
from codekit.rules.context import ClaimContext

ID = "DX_ADDITIONAL_CODE_MISSING"
DAY, OLD = "2025-11-03", "2019-06-01"
PROFILES = ("medicare-professional", "medicare-outpatient", "medicare-inpatient", "commercial")
CHECKERS = {p: Checker(profile=p).with_rules(*additional_codes.RULES) for p in PROFILES}
CAVEAT_2019 = (" (Note from the FY2021 (January 2021 update) tabular: FY2019 came without a "
               "tabular XML.)")

Found = list[tuple[tuple[object, ...], tuple[str, ...], tuple[str, ...], str, str]]


def claim(kind: str, dx: list[str], day: str = DAY, sex: str = "F",
          born: str = "1990-01-01") -> dict[str, Any]:
    patient = {"sex": sex, "birth_date": born}
    if kind == "inp":  # an inpatient stay, bill type 111
        return {"claim_type": "institutional", "payer": "medicare", "bill_type": "111",
                "date_of_service": day, "admission_date": day, "patient": patient,
                "diagnoses": dx, "admitting_diagnosis": "R07.9", "service_lines": []}
    return {"claim_type": "professional", "payer": "aetna" if kind == "commercial" else
            "medicare", "date_of_service": day, "patient": patient, "diagnoses": dx,
            "service_lines": [{"line": 1, "procedure_code": "99214", "units": 1,
                               "diagnosis_pointers": [1]}]}


PROFILE_OF = {"prof": "medicare-professional", "inp": "medicare-inpatient",
              "commercial": "commercial"}


def found(kind: str, dx: list[str], day: str = DAY, sex: str = "F") -> Found:
    report = CHECKERS[PROFILE_OF[kind]].check(Claim.from_dict(claim(kind, dx, day, sex)))
    return [(f.location, f.codes, f.fix, f.message, f.severity.value)
            for f in report.findings if f.rule == ID]


def hit(at: int, code: str, fix: tuple[str, ...], what: str, guideline: str,
        caveat: str = "") -> tuple[tuple[object, ...], tuple[str, ...], tuple[str, ...], str,
                                   str]:
    return (("diagnoses", at), (code,), fix,
            f"{code} needs an additional {what}: add it (Guideline {guideline}).{caveat}",
            "warning")


#: I.C.15.g, quoted by the message of the O24 rows
O24_G = ("I.C.15.g: a code from category O24 first, followed by the appropriate diabetes "
         "code(s) (E08-E13)")


HF = "code to identify type of heart failure (I50.-)"
CKD_1_4 = "code to identify the stage of chronic kidney disease (N18.1-N18.4, N18.9)"
CKD_5_6 = "code to identify the stage of chronic kidney disease (N18.5, N18.6)"
CKD_DM = "code to identify stage of chronic kidney disease (N18.1-N18.6)"
N18_1_4, N18_5_6 = ("N18.1-N18.4", "N18.9"), ("N18.5", "N18.6")
NEOPLASM = "code of the neoplasm the therapy is for (C00-D49)"
Z51_G = ("I.C.2.e.2: the malignancy for which the therapy is being administered should be "
         "assigned as a secondary diagnosis")

I22_WHAT = "code of the acute myocardial infarction of the last four weeks (I21.-)"
I22_G = ("I.C.9.e.4: a code from category I22 must be used in conjunction with a code from "
         "category I21")
DRUG_WHAT = "code identifying the drug (T45.1X5-, T36-T50)"
ANY_DRUG = "code identifying the drug (T36-T50)"
DRUG_G = ("I.C.19.e.5.a: the nature of the adverse effect, followed by the code for the "
          "adverse effect of the drug, T36-T50")

# (diagnoses, the findings without the companion) -- each phrase of MANDATORY fires
MISSING: list[tuple[list[str], Found]] = [
    (["I11.0"], [hit(0, "I11.0", ("I50.-",), HF, "I.C.9.a.1")]),
    (["I12.9"], [hit(0, "I12.9", N18_1_4, CKD_1_4, "I.C.9.a.2")]),
    (["I12.0", "Z99.2"], [hit(0, "I12.0", N18_5_6, CKD_5_6, "I.C.9.a.2")]),
    # I12.9 is CKD stage 1-4 or unspecified: with ESRD (N18.6) the code is I12.0, which
    # DX_COMBINATION_CODE_EXPECTED says instead (it replaces this finding: tests/
    # test_combinations.py)
    (["I12.9", "N18.6"], []),
    (["I13.0"], [hit(0, "I13.0", ("I50.-",), HF, "I.C.9.a.3"),
                 hit(0, "I13.0", N18_1_4, "code to identify stage of chronic kidney disease "
                     "(N18.1-N18.4, N18.9)", "I.C.9.a.3")]),
    (["I13.0", "N18.4"], [hit(0, "I13.0", ("I50.-",), HF, "I.C.9.a.3")]),
    (["I13.2", "I50.9"], [hit(0, "I13.2", N18_5_6, CKD_5_6, "I.C.9.a.3")]),
    (["I13.10"], [hit(0, "I13.10", N18_1_4, CKD_1_4, "I.C.9.a.3")]),
    (["I13.11"], [hit(0, "I13.11", N18_5_6, CKD_5_6, "I.C.9.a.3")]),
    (["E11.22", "Z79.4"], [hit(0, "E11.22", ("N18.1-N18.6",), CKD_DM, "I.C.4.a")]),
    (["E10.22"], [hit(0, "E10.22", ("N18.1-N18.6",), CKD_DM, "I.C.4.a")]),
    (["E11.621", "Z79.84"], [hit(0, "E11.621", ("L97.4-", "L97.5-"),
                                 "code to identify site of ulcer (L97.4-, L97.5-)", "I.C.4.a")]),
    (["E13.622"], [hit(0, "E13.622", ("L97.1-L97.9", "L98.41-L98.49"),
                       "code to identify site of ulcer (L97.1-L97.9, L98.41-L98.49)",
                       "I.C.4.a")]),
    (["O98.711", "Z3A.10"], [hit(0, "O98.711", ("B20", "Z21"),
                                 "code to identify the type of HIV disease (B20, Z21)",
                                 "I.C.1.a.2.f")]),
    (["O10.211", "Z3A.20"], [hit(0, "O10.211", ("I12",), "code from I12 to identify the type "
                                 "of hypertensive chronic kidney disease", "I.C.15.d")]),
    (["O10.311", "Z3A.20"], [hit(0, "O10.311", ("I13",), "code from I13 to identify the type "
                                 "of hypertensive heart and chronic kidney disease",
                                 "I.C.15.d")]),
    # I.C.15.g: pre-existing diabetes in pregnancy, the O24 code followed by the diabetes
    # code of the category its tabular note names
    (["O24.011", "Z3A.10"], [hit(0, "O24.011", ("E10",), "code from category E10 to "
                                 "further identify any manifestations", O24_G)]),
    (["O24.113", "Z79.4", "Z3A.30"], [hit(0, "O24.113", ("E11",), "code from category E11 "
                                          "to further identify any manifestations", O24_G)]),
    (["O24.32"], [hit(0, "O24.32", ("E11",), "code from category E11 to further identify "
                      "any manifestation", O24_G)]),
    (["O24.812", "Z3A.20"], [hit(0, "O24.812", ("E08", "E09", "E13"), "code from "
                                 "categories E08, E09 and E13 to further identify any "
                                 "manifestation", O24_G)]),
    # type 1 in pregnancy coded with a type 2 code: not the E10 the note asks for
    (["O24.011", "E11.9", "Z3A.10"], [hit(0, "O24.011", ("E10",), "code from category E10 "
                                          "to further identify any manifestations", O24_G)]),
    # I.C.2.e.2: chemotherapy or immunotherapy without the neoplasm it treats (a Z85
    # history code is none: I.C.2.d)
    (["Z51.11"], [hit(0, "Z51.11", ("C00-D49",), NEOPLASM, Z51_G)]),
    (["Z51.12", "Z85.3"], [hit(0, "Z51.12", ("C00-D49",), NEOPLASM, Z51_G)]),
    # I.C.9.e.4: a subsequent MI (I22) with no I21 code (I25.2, old MI, is none); no note
    # names I21, the guideline does
    (["I22.1", "I25.2"], [hit(0, "I22.1", ("I21.-",), I22_WHAT, I22_G)]),
    (["I10", "I22.0"], [hit(1, "I22.0", ("I21.-",), I22_WHAT, I22_G)]),
    # I.C.19.e.5.a: agranulocytosis secondary to cancer chemotherapy with no code of the
    # drug (the neoplasm is none)
    (["D70.1", "C50.911"], [hit(0, "D70.1", ("T45.1X5-", "T36-T50"), DRUG_WHAT, DRUG_G)]),
    # the other blood disorders a drug caused by their titles: the same note as D70.1's
    # (D61.1, D70.2, D59.0...), or none (D61.810, D61.811, D64.81: I.C.19.e.5.a, and for
    # the anemia due to chemotherapy I.C.2.c.2)
    (["D61.1"], [hit(0, "D61.1", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["D70.2", "R50.81"], [hit(0, "D70.2", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["D59.0"], [hit(0, "D59.0", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["D61.811"], [hit(0, "D61.811", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["D75.822"], [hit(0, "D75.822", ("T45.515-", "T36-T50"),
                       "code identifying the drug (T45.515-, T36-T50)", DRUG_G)]),
    (["C34.90", "D61.810"], [hit(1, "D61.810", ("T45.1X5-", "T36-T50"), DRUG_WHAT,
                                 DRUG_G)]),
    (["D64.81", "C50.911"], [hit(0, "D64.81", ("T45.1X5-", "T45.AX5-", "T36-T50"),
                                 "code identifying the drug (T45.1X5-, T45.AX5-, T36-T50)",
                                 "I.C.2.c.2, I.C.19.e.5.a: the anemia code followed by the "
                                 "appropriate codes for the neoplasm and the adverse effect "
                                 "(T45.1X5-, T45.AX5-)")]),
    # the other chapters' codes whose title names a drug as the cause and whose note is
    # D70.1's, found by that note: drug-induced hypoglycemia, polyneuropathy, gout of the
    # right ankle, skin eruption, glaucoma; a neuroleptic's parkinsonism (its note's T43
    # codes first)
    (["E16.0"], [hit(0, "E16.0", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["G62.0", "E11.9"], [hit(0, "G62.0", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["M10.271"], [hit(0, "M10.271", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["R21", "L27.0"], [hit(1, "L27.0", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["H40.61X2"], [hit(0, "H40.61X2", ("T36-T50",), ANY_DRUG, DRUG_G)]),
    (["G21.11"], [hit(0, "G21.11", ("T43.3X5-", "T43.4X5-", "T43.505-", "T43.595-",
                                    "T36-T50"),
                      "code identifying the drug (T43.3X5-, T43.4X5-, T43.505-, T43.595-, "
                      "T36-T50)", DRUG_G)]),
    # the finding is on the code that carries the note, wherever it is listed
    (["R07.9", "I11.0"], [hit(1, "I11.0", ("I50.-",), HF, "I.C.9.a.1")]),
    # written twice: one finding, on the first
    (["I11.0", "R07.9", "I11.0"], [hit(0, "I11.0", ("I50.-",), HF, "I.C.9.a.1")]),
]

# each claim of MISSING with its companion: clean
COMPLETE: list[list[str]] = [
    ["I11.0", "I50.22"], ["I12.9", "N18.30"], ["I12.9", "N18.9"], ["I12.0", "N18.6", "Z99.2"],
    ["I13.0", "I50.9", "N18.4"], ["I13.2", "I50.42", "N18.5"], ["I13.10", "N18.2"],
    ["I13.11", "N18.5"], ["E11.22", "N18.31", "Z79.4"], ["E10.22", "N18.6"],
    ["E11.621", "L97.412", "Z79.84"], ["E11.621", "L97.523"], ["E13.622", "L98.491"],
    ["E13.622", "L97.119"], ["O98.711", "B20", "Z3A.10"], ["O98.711", "Z21", "Z3A.10"],
    ["O10.211", "I12.9", "N18.4", "Z3A.20"], ["O10.311", "I13.0", "I50.9", "N18.2", "Z3A.20"],
    ["O24.011", "E10.9", "Z3A.10"], ["O24.113", "E11.65", "Z79.4", "Z3A.30"],
    ["O24.32", "E11.9"], ["O24.812", "E13.9", "Z3A.20"], ["O24.812", "E09.9", "Z3A.20"],
    # the companion first: the rule asks for the code, not an order (DX_CODE_FIRST_ORDER)
    ["I50.22", "I11.0"],
    # any neoplasm: a malignancy, a secondary site, myelodysplastic syndrome (D46.9)
    ["Z51.11", "C50.911"], ["Z51.12", "C79.51", "Z85.3"], ["Z51.11", "Z51.12", "D46.9"],
    # I22 with the MI of the last four weeks, either order (I.C.9.e.4: "sequenced depending
    # on the circumstances of the encounter")
    ["I21.4", "I22.1"], ["I22.0", "I21.09"],
    # D70.1 with the drug's adverse effect, or with a poisoning by it, or an agent the
    # Table of Drugs classifies elsewhere (the note's "if applicable")
    ["D70.1", "C50.911", "T45.1X5A"], ["T45.1X1A", "D70.1"], ["D70.1", "T38.6X5A"],
    ["D61.1", "T36.0X5A"], ["D70.2", "T37.0X1A"], ["D64.81", "C50.911", "T45.AX5A"],
    ["D61.810", "C34.90", "T45.1X5D"], ["D75.822", "T45.515A"], ["D59.0", "T36.1X5S"],
    # a cause the title does not name ("if applicable"), or an agent that may be no drug
    ["D46.9"], ["D75.81"], ["D64.2"], ["D68.32"], ["D89.3"],
    # the other chapters' drug-induced codes with their drug (an adverse effect, a
    # poisoning), and those whose agent may be no drug (a chemical, an external agent,
    # exogenous substances, a toxin) or whose title names no cause
    ["E16.0", "T38.3X5A"], ["G62.0", "T45.1X1D"], ["G21.11", "T43.595A"],
    ["L27.0", "T36.0X5A"], ["E09.9"], ["I42.7"], ["E03.2"], ["M34.2"], ["G21.0"],
    ["K71.9"], ["H91.01"],
]


@pytest.mark.parametrize("kind", ["prof", "inp"])
@pytest.mark.parametrize(("dx", "expected"), MISSING, ids=[" ".join(d) for d, _ in MISSING])
def test_mandatory_note_without_its_codes(kind: str, dx: list[str], expected: Found) -> None:
    assert found(kind, dx) == expected


@pytest.mark.parametrize("kind", ["prof", "inp"])
@pytest.mark.parametrize("dx", COMPLETE, ids=[" ".join(d) for d in COMPLETE])
def test_with_the_companion_the_claim_is_clean(kind: str, dx: list[str]) -> None:
    assert found(kind, dx) == []


@pytest.mark.parametrize("dx", [
    ["G30.9"],  # "Use additional code, if applicable, to identify: ... (F02.8-)"
    ["N18.6"],  # "Use additional code to identify dialysis status (Z99.2)": not every ESRD
    ["E11.9"],  # "Use additional code to identify control using: insulin (Z79.4) ..."
    ["E11.65"],
    ["I09.81"],  # the type of heart failure: no guideline makes it mandatory (I.C.9.a only
                 # names I11 and I13)
    ["I70.233"],  # "to identify severity of ulcer (L97.-)": not a mandatory phrase
    ["Q87.81"],  # Alport syndrome: the CKD-stage note, but no guideline for it
    ["I10"], ["R07.9", "J18.9"],
    # gestational diabetes takes no E08-E13 code (I.C.15.i); diabetes in pregnancy not
    # said pre-existing (O24.9-: LEFT_OUT)
    ["O24.414", "Z3A.30"], ["O24.913", "Z3A.30"],
    # Z51's "Code also" note on radiation therapy (a benign condition's too), palliative
    # care and other aftercare (LEFT_OUT)
    ["Z51.0", "L91.0"], ["Z51.5"], ["Z51.89"],
], ids=lambda dx: " ".join(dx))
def test_optional_notes_never_fire(dx: list[str]) -> None:
    for kind in ("prof", "inp"):
        assert found(kind, dx) == []


def test_a_companion_not_valid_on_the_date_does_not_count() -> None:
    # N18.3 has been a header since 2020-10-01 (N18.30-N18.32): its own validity finding says
    # so, and the stage is still missing
    report = CHECKERS["medicare-professional"].check(Claim.from_dict(
        claim("prof", ["E11.22", "N18.3"])))
    assert [(f.rule, f.location) for f in report.findings] == [
        ("DX_NOT_VALID_ON_DOS", ("diagnoses", 1)), (ID, ("diagnoses", 0))]
    # an unknown code does not count either
    report = CHECKERS["medicare-inpatient"].check(Claim.from_dict(
        claim("inp", ["I11.0", "I50.X9"])))
    assert [(f.rule, f.location) for f in report.findings if f.rule != "POA_MISSING"] == [
        ("DX_CODE_UNKNOWN", ("diagnoses", 1)), (ID, ("diagnoses", 0))]


def test_an_older_date() -> None:
    """2019-06-01: N18.3 is billable then (and N18.30 not yet); the notes are those of the
    FY2021-01 tabular, which the message says."""
    assert found("prof", ["E11.22", "N18.3"], day=OLD) == []
    assert found("inp", ["I11.0", "I50.9"], day=OLD) == []
    assert found("prof", ["E11.22", "N18.30"], day=OLD) == [
        hit(0, "E11.22", ("N18.1-N18.6",), CKD_DM, "I.C.4.a", CAVEAT_2019)]
    assert found("inp", ["I11.0"], day=OLD) == [
        hit(0, "I11.0", ("I50.-",), HF, "I.C.9.a.1", CAVEAT_2019)]
    assert found("prof", ["O98.711"], day=OLD) == [
        hit(0, "O98.711", ("B20", "Z21"), "code to identify the type of HIV disease (B20, Z21)",
            "I.C.1.a.2.f", CAVEAT_2019)]
    assert found("prof", ["O24.112"], day=OLD) == [
        hit(0, "O24.112", ("E11",), "code from category E11 to further identify any "
            "manifestations", O24_G, CAVEAT_2019)]
    assert found("prof", ["O24.112", "E11.9"], day=OLD) == []


@pytest.mark.parametrize("profile", PROFILES)
def test_a_warning_in_every_profile(profile: str) -> None:
    kind = "inp" if profile == "medicare-inpatient" else "prof"
    data = claim(kind, ["I11.0"])
    if profile == "medicare-outpatient":
        data = {**claim("inp", ["I11.0"]), "bill_type": "131", "service_lines": [
            {"line": 1, "procedure_code": "99284", "revenue_code": "0450", "units": 1}]}
    elif profile == "commercial":
        data = claim("commercial", ["I11.0"])
    report = CHECKERS[profile].check(Claim.from_dict(data))
    assert report.profile == profile
    assert [(f.rule, f.severity.value, f.reference) for f in report.findings
            if f.rule == ID] == [(ID, "warning", additional_code_missing.reference)]


def test_the_table_is_grounded_in_the_tabular() -> None:
    """Every row's phrase is in the bundled notes of 2025-11-03 on codes it applies to; the
    codes each row reaches (as the catalog says)."""
    reached: dict[tuple[str, str], set[str]] = {}
    for row in MANDATORY:
        if not row.notes:  # the guideline's own (I22, D70.1): test_the_guideline_rows
            continue
        codes = reached.setdefault((row.phrase, row.guideline), set())
        for prefix in row.scope:
            for code in _billable_below(prefix[:3]):
                if not code.startswith(prefix):
                    continue
                for note in getattr(icd10cm.lookup(code, on=DAY), row.notes):
                    if re.search(row.phrase, note.text, re.I):
                        codes.add(code)
        assert codes, row
    counts = {k: len(v) for k, v in reached.items()}
    # the O24 row: O24.011-O24.03, O24.111-O24.13, O24.311-O24.33, O24.811-O24.83; the
    # Z51.1 row: Z51.11, Z51.12
    assert list(counts.values()) == [1, 2, 2, 4, 5, 10, 6, 12, 24, 2], counts
    # and the rule reads the same notes: every reached code has its mandatory notes
    for (phrase, guideline), codes in reached.items():
        for code in codes:
            notes = mandatory_notes(icd10cm.facts(code, on=DAY))  # type: ignore[arg-type]
            assert any(row.phrase == phrase and row.guideline == guideline
                       for row, _, _ in notes), code


@pytest.mark.parametrize("day", [DAY, OLD])
def test_no_other_code_of_the_categories_carries_a_mandatory_phrase(day: str) -> None:
    """The scopes are complete: a code of the rows' categories whose notes have a row's
    phrase is in that row's scope, or left out by name (a new tabular adding the note
    elsewhere fails here)."""
    from codekit.rules.additional_codes import _OPTIONAL, LEFT_OUT

    for category in sorted({p[:3] for p in SCOPES}):
        for code in _billable_below(category, day):
            if code.startswith(LEFT_OUT):
                continue
            entry = icd10cm.lookup(code, on=day)
            for row in MANDATORY:
                if not row.notes:
                    continue
                for note in getattr(entry, row.notes):
                    if re.search(row.phrase, note.text, re.I) and not _OPTIONAL.search(
                            note.text) and code[:3] in {p[:3] for p in row.scope}:
                        assert any(r.phrase == row.phrase and code.startswith(r.scope)
                                   for r in MANDATORY), (code, note.text)


@pytest.mark.parametrize("day", [DAY, OLD])
def test_the_guideline_rows(day: str) -> None:
    """The rows that read no note: I22 (I.C.9.e.4) has no note naming I21 on either date,
    D70.1's note names T45.1X5 but says "if applicable" (so no note row could take it);
    every billable code of their scopes carries the row."""
    rows = [row for row in MANDATORY if not row.notes]
    assert [(row.scope, row.guideline) for row in rows] == [
        (("I22",), "I.C.9.e.4"), (("D701",), "I.C.19.e.5.a"),
        (("D521", "D590", "D592", "D611", "D61811", "D702", "D7212", "D84821"),
         "I.C.19.e.5.a"), (("D61810",), "I.C.19.e.5.a"),
        (("D6481",), "I.C.2.c.2, I.C.19.e.5.a"), (("D7582",), "I.C.19.e.5.a"),
        (("E064", "E160", "E231", "E242", "E273", "E661", "G2119", "G240", "G251", "G254",
          "G2561", "G257", "G444", "G620", "G7114", "G720", "H263", "H406", "I952", "J702",
          "J703", "J704", "K1232", "K5903", "K853", "L105", "L1231", "L233", "L244", "L251",
          "L270", "L271", "L432", "L560", "L561", "L640", "M1A2", "M102", "M320", "M835",
          "M871", "N141", "N142", "P938", "R330", "R502"), "I.C.19.e.5.a"),
        (("G2111",), "I.C.19.e.5.a")]
    i22 = _billable_below("I22", day)
    assert i22 == ["I220", "I221", "I222", "I228", "I229"]
    for code in i22:
        entry = icd10cm.lookup(code, on=day)
        assert not any("I21" in str(r) for n in (*entry.use_additional_code,
                                                   *entry.code_also, *entry.code_first)
                       for r in n.refs), code
        assert [row.guideline for row, _, _ in mandatory_notes(
            icd10cm.facts(code, on=day))] == ["I.C.9.e.4"]  # type: ignore[arg-type]
    notes = [n.text for n in icd10cm.lookup("D70.1", on=day).use_additional_code]
    assert "code for adverse effect, if applicable, to identify drug (T45.1X5)" in notes
    assert [(row.guideline, [str(r) for r in refs]) for row, _, refs in mandatory_notes(
        icd10cm.facts("D70.1", on=day))] == [  # type: ignore[arg-type]
        ("I.C.19.e.5.a", ["T45.1X5-", "T36-T50"])]
    # the other drug-induced blood disorders: every billable code of their scopes on the
    # date names a drug as its cause, and its adverse-effect note (if any) says "if
    # applicable" as D70.1's does
    drug = _DRUG_CAUSE
    for row in rows[2:]:
        for prefix in row.scope:
            dotted = prefix[:3] + "." + prefix[3:]
            try:
                codes = _billable_below(dotted, day)
            except Exception:  # D72.12, D84.821: not yet a code on 2019-06-01
                assert day == OLD and prefix in ("D7212", "D84821"), prefix
                continue
            for code in codes:
                entry = icd10cm.lookup(code, on=day)
                assert drug.search(entry.title), code
                assert all("if applicable" in n.text for n in entry.use_additional_code
                           if "adverse effect" in n.text), code


#: a title naming what a drug-induced code of a row is caused by
_DRUG_CAUSE = re.compile(r"drug|chemotherapy|heparin|neuroleptic|contrast", re.I)
#: D70.1's adverse-effect note, as the tabular writes it at the codes of the rows read as
#: D70.1 is (D59.39's "code, if applicable, for adverse effect to identify drug" too)
_ADVERSE_NOTE = re.compile(r"\badverse effect\b.*\bto identify drug\b", re.I)
#: a title naming a drug (or medicament, a neuroleptic, a contrast medium: T50.8X5-) as the
#: cause
_DRUG_TITLE = re.compile(r"\bdrugs?\b|\bmedicaments?\b|\bneuroleptic\b|\bcontrast-induced\b",
                         re.I)


@pytest.mark.slow
@pytest.mark.parametrize("day", [DAY, OLD])
def test_the_drug_rows_are_found_by_their_note(day: str) -> None:
    """The codes read as D70.1 is are those whose note is D70.1's adverse-effect note and
    whose title names a drug as the cause (scans every category of the release: a new
    tabular adding the note at a drug-induced code fails here), but the codes whose agent
    may be no drug and chapter 19 (``DRUG_LEFT_OUT``). And a code of a row has the title,
    the note, or (D61.810, D61.811, D64.81) the title alone."""
    from codekit.rules.additional_codes import DRUG_LEFT_OUT

    drug_rows = tuple(p for row in MANDATORY if row.guideline.endswith("I.C.19.e.5.a")
                      for p in row.scope)
    found: set[str] = set()
    for code in icd10cm.codes(on=day):  # every billable code of the release
        entry = icd10cm.lookup(code, on=day)
        if any(_ADVERSE_NOTE.search(n.text) for n in entry.use_additional_code) \
                and _DRUG_TITLE.search(entry.title) and not code.startswith(DRUG_LEFT_OUT):
            found.add(code)
        if code.startswith(drug_rows):
            assert _DRUG_CAUSE.search(entry.title), code
    assert all(c.startswith(drug_rows) for c in found), sorted(
        c for c in found if not c.startswith(drug_rows))
    # every prefix of the rows outside chapter 3 reaches a code found by its note
    for prefix in MANDATORY[-2].scope + MANDATORY[-1].scope:
        assert any(c.startswith(prefix) for c in found), prefix
    assert len(found) == {DAY: 196, OLD: 194}[day], len(found)


def test_the_optional_words_are_never_taken() -> None:
    """A note with a mandatory phrase and "if applicable" (none today) is not taken."""
    from codekit.rules.additional_codes import _OPTIONAL

    assert _OPTIONAL.search("code to identify the severity of any ulcer (L97.-, L98.49-), "
                            "if applicable")
    assert _OPTIONAL.search("code, if known, to identify type of heart failure")
    assert not _OPTIONAL.search(HF)


def test_a_claim_without_such_a_code_reads_no_note(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate: a claim without a code of the table lacks the feature ``dx-additional``
    (``icd10cm.Facts.ADDITIONAL_CODE``), so the engine skips the rule and no note is
    read."""
    def boom(*_: object) -> None:
        raise AssertionError("notes read")

    checker = CHECKERS["medicare-professional"]
    monkeypatch.setattr(additional_codes, "mandatory_notes", boom)
    for dx in (["I10", "R07.9"], ["J18.9", "Z79.4", "N18.6"], ["G30.9", "F02.80"],
               ["E11.9", "I10"]):
        c = Claim.from_dict(claim("prof", dx))
        ctx = ClaimContext(c, checker.route(c).profile)
        assert "dx-additional" not in ctx.features
        assert found("prof", dx) == []
    monkeypatch.undo()
    for dx, feature in ((["E11.9", "I10"], False), (["R07.9", "I11.0"], True),
                        (["O98.711"], True)):
        c = Claim.from_dict(claim("prof", dx))
        ctx = ClaimContext(c, checker.route(c).profile)
        assert ("dx-additional" in ctx.features) is feature, dx
    assert additional_code_missing.when == frozenset({"dx-additional"})
    assert set(_facts.ADDITIONAL_CODE_NOTES) == set(SCOPES)


def _billable_below(code: str, day: str = DAY) -> list[str]:
    entry = icd10cm.lookup(code, on=day)
    if entry.billable:
        return [entry.code]
    return [c for child in entry.children for c in _billable_below(child, day)]


def test_the_facts_bit_marks_exactly_the_codes_of_the_table() -> None:
    """``icd10cm.Facts.ADDITIONAL_CODE`` (the feature ``dx-additional`` that gates the
    rule) marks the codes the table's rows apply to and no other."""
    bit = icd10cm.Facts.ADDITIONAL_CODE
    for category in [*sorted({p[:3] for p in SCOPES}), "N18", "I50", "L97"]:
        for code in _billable_below(category):
            facts = icd10cm.facts(code, on=DAY)
            assert facts is not None
            assert bool(facts.bits & bit) == code.startswith(SCOPES), code

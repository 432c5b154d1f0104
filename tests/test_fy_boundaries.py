"""The October 1 and April 1 ICD-10-CM updates, on both sides of each boundary: a code
deleted outright names the codes that replaced it, notes of another year's tabular apply
by the year's own codes, and an inpatient stay spanning October 1 is coded for its
discharge and says so. Expected answers are those of the CMS order files, addenda and
conversion table (cross-checked against ../shared when present)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import codekit
from codekit import Checker, Claim, icd10cm

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "reference"
CONVERSION = REFERENCE / "icd10_conversion_fy2026" / "icd10cm_conversion_fy2026.csv"


def _not_valid(code: str, on: str) -> codekit.NotValidOnDate:
    with pytest.raises(codekit.NotValidOnDate) as info:
        icd10cm.validate(code, on=on)
    return info.value


@pytest.mark.parametrize(("code", "last", "replacements"), [
    # FY2026 addenda: S30.1XXA deleted, S30.11XA/S30.12XA/S30.13XA added
    ("S30.1XXA", "2025-09-30", ("S30.11XA", "S30.12XA", "S30.13XA")),
    ("S30.1XXS", "2025-09-30", ("S30.11XS", "S30.12XS", "S30.13XS")),
    # FY2027 addenda: T52.8X- deleted, T52.81-/T52.82-/T52.89- added (intent kept)
    ("T52.8X1A", "2026-09-30", ("T52.811A", "T52.821A", "T52.891A")),
    ("T52.8X4S", "2026-09-30", ("T52.814S", "T52.824S", "T52.894S")),
    # FY2020: H81.41 and H81.49 folded back into H81.4
    ("H81.41", "2019-09-30", ("H81.4",)),
    # moved to none (S43.6- existed before; FY2027, after the bundled conversion table):
    # nothing codekit can name, and the message says why (W45.1XXA, which moved to another
    # category, names the conversion table's W26.2XXA: tests/test_icd10cm_conversion.py)
    ("S23.420A", "2026-09-30", ()),
])
def test_a_deleted_code_names_the_codes_that_replaced_it(
        code: str, last: str, replacements: tuple[str, ...]) -> None:
    day_before = dt.date.fromisoformat(last)
    day_after = day_before + dt.timedelta(days=1)
    assert icd10cm.validate(code, on=day_before).billable
    err = _not_valid(code, str(day_after))
    assert err.replacements == err.fix == replacements
    said = f"it was deleted after {last}"
    if replacements:
        said += (f": use one of the codes that replaced it on {day_after}, "
                 + ", ".join(replacements))
    elif day_after > dt.date(2025, 10, 1):  # a change the bundled FY2026 table predates
        said += (" (codekit's CDC conversion table lists the changes up to 2025-10-01, not "
                 f"those of {day_after}, so it cannot name the code that replaced it: see "
                 "the CDC conversion table of FY2027)")
    assert f"not valid on {day_after}: {said}. Valid: 2015-10-01 to {last}" in str(err)
    # a year later too (the codes that replaced it, still valid then)
    later = _not_valid(code, str(day_after.replace(year=day_after.year + 1)))
    assert later.replacements == replacements
    # and with release=
    release = icd10cm.lookup("E11.9", on=day_after).release
    with pytest.raises(codekit.NotValidOnDate) as info:
        icd10cm.validate(code, release=release)
    assert info.value.replacements == replacements


PROFESSIONAL: dict[str, Any] = {
    "claim_type": "professional", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1960-05-17"},
    "service_lines": [{"line": 1, "procedure_code": "99213", "units": 1,
                       "diagnosis_pointers": [1]}],
}
INPATIENT: dict[str, Any] = {
    "claim_type": "institutional", "bill_type": "111", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1950-01-01"}, "admitting_diagnosis": "R07.9",
    "service_lines": [{"procedure_code": "", "revenue_code": "0100", "units": 5}],
}


def _findings(claim: dict[str, Any], profile: str | None = None
              ) -> list[tuple[str, tuple[Any, ...], tuple[str, ...], tuple[str, ...]]]:
    report = Checker(profile=profile, policies=()).check(Claim.from_dict(claim))
    return [(f.rule, f.location, f.codes, f.fix) for f in report.findings]


def test_claims_with_a_deleted_code_carry_its_replacements_as_the_fix() -> None:
    prof = {**PROFESSIONAL, "diagnoses": ["S30.1XXA"]}
    assert _findings({**prof, "date_of_service": "2025-09-30"}) == []
    assert _findings({**prof, "date_of_service": "2025-10-01"}) == [
        ("DX_NOT_VALID_ON_DOS", ("diagnoses", 0), ("S30.1XXA",),
         ("S30.11XA", "S30.12XA", "S30.13XA"))]
    stay = {**INPATIENT, "diagnoses": [{"code": "T52.8X1A", "poa": "Y"}],
            "statement_period": ["2026-10-02", "2026-10-05"], "admission_date": "2026-10-02"}
    assert _findings(stay, "medicare-inpatient") == [
        ("DX_NOT_VALID_ON_DOS", ("diagnoses", 0), ("T52.8X1A",),
         ("T52.811A", "T52.821A", "T52.891A"))]


@pytest.mark.skipif(not CONVERSION.exists(), reason="../shared reference data absent")
def test_the_replacements_agree_with_the_cms_conversion_table() -> None:
    """Every code deleted outright from FY2016 to FY2026: the codes codekit names are the
    conversion table's (597 of 604: by the prefix rule, else from the bundled CDC table for
    the codes that moved to another category). The six V29.81X-/V29.88X- codes split on
    2022-10-01 into V29.811-/V29.818- and V29.881-/V29.888-, which the extract lists under
    V29.80X-/V29.89X-; for T84.048D the table gives M97.8XXS (another encounter), which
    codekit does not name."""
    table: dict[tuple[str, str], set[str]] = defaultdict(set)
    with CONVERSION.open(newline="") as f:
        for row in csv.DictReader(f):
            previous = row["previous_code"].strip()
            if previous and " " not in previous:
                table[previous, row["effective_date"]].add(row["current_code"])
    store = icd10cm.Store()
    masks = store.validity.masks
    agree = named_elsewhere = 0
    other: list[str] = []
    for effective in sorted({e for _, e in table}):
        day = dt.datetime.strptime(effective, "%Y%m%d").date()
        before = store.validity.period(day - dt.timedelta(days=1))
        now = store.validity.period(day)
        release = store.release_for(day)[0]
        for code, mask in masks.items():
            if not (mask >> before & 1) or mask >> now & 1 or release.row(code) is not None:
                continue
            try:
                icd10cm.validate(code, on=day, store=store)
            except codekit.NotValidOnDate as e:
                named = {r.replace(".", "") for r in e.replacements}
            else:
                pytest.fail(f"{code} is valid on {day}")
            official = table.get((code, effective), set())
            if named == official:
                agree += 1
            elif not named:
                named_elsewhere += 1
            else:
                other.append(code)
    assert (agree, named_elsewhere) == (597, 0)
    assert sorted(other) == ["T84048D", "V2981XA", "V2981XD", "V2981XS", "V2988XA",
                             "V2988XD", "V2988XS"]


def test_a_later_tabulars_note_names_the_years_own_code() -> None:
    """FY2020 has no tabular of its own: its notes are the FY2021-01 tabular's, where
    G44's Excludes1 says 'headache NOS (R51.9)'. On 2020-05-01 headache NOS is R51
    (billable until 2020-09-30; R51.9 is from 2020-10-01): the note names R51 then."""
    g44 = icd10cm.facts("G44.209", on="2020-05-01")
    assert g44 is not None and g44.excludes1_note("R51") == ("headache NOS (R51.9)", "G44")
    for dx in (["G44.209", "R51"], ["R51", "G44.209"]):
        report = Checker(policies=()).check(Claim.from_dict(
            {**PROFESSIONAL, "date_of_service": "2020-05-01", "diagnoses": dx}))
        (f,) = report.findings
        assert (f.rule, f.location, f.codes) == (
            "DX_EXCLUDES1_CONFLICT", ("diagnoses", 1), ("G44.209", "R51"))
        assert f.message == (
            "G44.209 and R51 should not be reported together: the Excludes1 note of G44.209 "
            "(at G44) says 'headache NOS (R51.9)'. Keep the one that fits the patient, "
            "unless the conditions are unrelated (Guideline I.A.12.a exception). (Note from "
            "the FY2021 (January 2021 update) tabular: FY2020 (April 2020 update) came "
            "without a tabular XML.)")
    # FY2017 (O90.6 says 'puerperal psychosis (F53.1)'; F53 is billable until FY2024)
    assert _findings({**PROFESSIONAL, "date_of_service": "2017-03-01",
                      "patient": {"sex": "F", "birth_date": "1990-05-17"},
                      "diagnoses": ["O90.6", "F53"]}) == [
        ("DX_EXCLUDES1_CONFLICT", ("diagnoses", 1), ("O90.6", "F53"), ())]
    # the date's own codes, unchanged: R51.9 from 2020-10-01; R52 names no R51 sibling
    assert _findings({**PROFESSIONAL, "date_of_service": "2020-10-01",
                      "diagnoses": ["G44.209", "R51.9"]}) == [
        ("DX_EXCLUDES1_CONFLICT", ("diagnoses", 1), ("G44.209", "R51.9"), ())]
    assert _findings({**PROFESSIONAL, "date_of_service": "2020-05-01",
                      "diagnoses": ["G44.209", "R52"]}) == []


def _notes_notices(day: str, dx: list[str]) -> list[tuple[str, str, tuple[Any, ...]]]:
    report = Checker(policies=()).check(Claim.from_dict(
        {**PROFESSIONAL, "date_of_service": day, "diagnoses": dx}))
    return [(n.code, n.message, n.location) for n in report.notices
            if n.code == "ICD10CM_NOTES_NOT_COVERED"]


def test_a_claim_says_which_diagnoses_the_notes_year_does_not_have() -> None:
    """FY2027 dates read the FY2026 tabular (the FY2027 tabular XML is not available);
    I42.01 and K31.B took effect on 2026-10-01 and are not in it, so only the notes above
    them were read. A clean claim of 2026-11-10 said nothing of it (codekit lookup did,
    per code); it now carries a notice naming them, once each, at the first. A claim
    whose codes are all in that tabular, or of a date whose release has a tabular of
    its own, carries none. FY2023 read the FY2021 (January 2021) tabular, which has no
    D59.30 (new on 2021-10-01): said the same way."""
    why = ("The FY2027 tabular XML (FY2027's own notes, 7th characters and blocks) is not "
           "available to codekit.")
    assert _notes_notices("2026-11-10", ["I10", "I42.01"]) == [(
        "ICD10CM_NOTES_NOT_COVERED", "I42.01 is not in the FY2026 tabular, whose notes "
        "codekit reads on 2026-11-10: the convention edits (Excludes1, code first, use "
        "additional code, 7th characters) read only the notes written above it (its "
        "categories, block and chapter), not its own. " + why, ("diagnoses", 1))]
    assert _notes_notices("2026-11-10", ["K31.B", "I10", "I42.01", "K31.B"]) == [(
        "ICD10CM_NOTES_NOT_COVERED", "K31.B and I42.01 are not in the FY2026 tabular, whose "
        "notes codekit reads on 2026-11-10: the convention edits (Excludes1, code first, "
        "use additional code, 7th characters) read only the notes written above them "
        "(their categories, blocks and chapters), not their own. " + why, ("diagnoses", 0))]
    assert _notes_notices("2026-11-10", ["I42.9", "I10", "K31.84"]) == []  # FY2026's codes
    assert _notes_notices("2026-05-01", ["I42.9", "I10"]) == []
    # the bit is on such codes only: I42.01 on a date of the FY2026 tabular's own is not
    assert icd10cm.facts("I42.01", on="2026-11-10").bits & icd10cm.Facts.UNTABULATED
    assert not icd10cm.facts("I42.9", on="2026-11-10").bits & icd10cm.Facts.UNTABULATED
    assert not icd10cm.facts("I42.9", on="2026-05-01").bits & icd10cm.Facts.UNTABULATED
    assert _notes_notices("2022-11-01", ["I10", "D59.30"]) == [(
        "ICD10CM_NOTES_NOT_COVERED", "D59.30 is not in the FY2021 (January 2021 update) "
        "tabular, whose notes codekit reads on 2022-11-01: the convention edits "
        "(Excludes1, code first, use additional code, 7th characters) read only the notes "
        "written above it (its categories, block and chapter), not its own. FY2023 came "
        "without a tabular XML.", ("diagnoses", 1))]


def test_an_inpatient_stay_spanning_october_1_is_coded_for_its_discharge() -> None:
    """Admitted 2025-09-28 (FY2025), discharged 2025-10-03 (FY2026): the FY2026 codes
    apply (MCE and grouper use the discharge date). G35, valid at admission, is a header at
    discharge, and the finding says why the discharge date decides; G35.A, valid only from
    2025-10-01, is right."""
    stay = {**INPATIENT, "admission_date": "2025-09-28",
            "statement_period": ["2025-09-28", "2025-10-03"]}
    report = Checker(profile="medicare-inpatient", policies=()).check(Claim.from_dict(
        {**stay, "diagnoses": [{"code": "G35", "poa": "Y"}, {"code": "I10", "poa": "Y"}]}))
    (f,) = report.findings
    assert (f.rule, f.location, f.fix[:2]) == (
        "DX_NOT_VALID_ON_DOS", ("diagnoses", 0), ("G35.A", "G35.B0"))
    assert f.message.startswith("Diagnosis 1 'G35': not valid on 2025-10-03: ")
    assert f.message.endswith(
        "Valid: 2015-10-01 to 2025-09-30 (2025-10-03 is the discharge date: an inpatient "
        "stay is coded with the codes in effect at discharge, though it began on "
        "2025-09-28, when the code was valid)")
    assert _findings({**stay, "diagnoses": [{"code": "G35.A", "poa": "Y"},
                                            {"code": "I10", "poa": "Y"}]},
                     "medicare-inpatient") == []
    # a stay inside FY2026: the plain message
    inside = {**stay, "admission_date": "2025-10-01",
              "statement_period": ["2025-10-01", "2025-10-03"]}
    report = Checker(profile="medicare-inpatient", policies=()).check(Claim.from_dict(
        {**inside, "diagnoses": [{"code": "G35", "poa": "Y"}]}))
    (f,) = report.findings
    assert f.message.endswith("Valid: 2015-10-01 to 2025-09-30")


@pytest.mark.parametrize(("code", "before", "after"), [
    # April updates: new codes the day before are not valid yet, their parents are
    ("Z28.310", "2022-03-31", "2022-04-01"),
    ("T74.A1XA", "2023-03-31", "2023-04-01"),
    ("U07.1", "2020-03-31", "2020-04-01"),
    ("M35.81", "2020-12-31", "2021-01-01"),
    # October: new children
    ("G35.A", "2025-09-30", "2025-10-01"),
    ("D69.11", "2026-09-30", "2026-10-01"),
])
def test_a_new_code_takes_effect_on_its_date(code: str, before: str, after: str) -> None:
    err = _not_valid(code, before)
    assert f"it takes effect on {after}" in str(err)
    assert icd10cm.validate(code, on=after).billable


@pytest.mark.parametrize(("code", "last", "children"), [
    ("Z28.3", "2022-03-31", ("Z28.310", "Z28.311", "Z28.39")),
    ("Z59.1", "2023-03-31", ("Z59.10", "Z59.11", "Z59.12", "Z59.19")),
    ("D69.1", "2026-09-30", ("D69.11", "D69.19")),
    ("I42.0", "2026-09-30", ("I42.00", "I42.01", "I42.09")),
])
def test_a_code_that_became_a_header_offers_its_children(
        code: str, last: str, children: tuple[str, ...]) -> None:
    assert icd10cm.validate(code, on=last).billable
    first = dt.date.fromisoformat(last) + dt.timedelta(days=1)
    err = _not_valid(code, str(first))
    assert err.replacements == children
    assert icd10cm.lookup(code, on=first).billable is False


@pytest.mark.parametrize(("code", "before", "after", "old", "new"), [
    ("L03.312", "2026-09-30", "2026-10-01", "Cellulitis of back [any part except buttock]",
     "Cellulitis of back [any part except buttock and flank]"),
    ("M21.159", "2025-09-30", "2025-10-01",
     "Varus deformity, not elsewhere classified, unspecified",
     "Varus deformity, not elsewhere classified, unspecified hip"),
    ("Z29.14", "2026-09-30", "2026-10-01", "Encounter for prophylactic rabies immune globin",
     "Encounter for prophylactic rabies immune globulin"),
    ("S62.90XA", "2025-09-30", "2025-10-01",
     "Unspecified fracture of unspecified wrist and hand, initial encounter for closed "
     "fracture", "Unspecified fracture of unspecified hand, initial encounter for closed "
     "fracture"),
])
def test_a_revised_title_is_each_dates_own(code: str, before: str, after: str, old: str,
                                           new: str) -> None:
    assert icd10cm.lookup(code, on=before).title == old
    assert icd10cm.lookup(code, on=after).title == new

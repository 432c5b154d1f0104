"""The I/OCE's own diagnosis age limits (edit 2) under ``medicare-outpatient``.

The I/OCE's diagnosis table (v25.0, 2024-01-01) limits Z02.84 to ages 0-17 and Z13.32 to
9-64 from 2024-01-01; the MCE table adds the same limits on 2024-04-01. The data build
compares the two tables on every date (``codekit.build.ioce``) and keeps where they differ
in ``data/icd10cm/ioce_age.ckt``: these two codes in 2024-Q1 only.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, icd10cm

OUT, PROF = "medicare-outpatient", "medicare-professional"
AGE = "DX_AGE_CONFLICT"
Z_LATER = ("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", ("diagnoses", 1))  # Z02.84 is first-listed only
DATA = Path(__file__).resolve().parents[1] / "data"


def _claim(day: str, dx: list[str], age: int) -> dict[str, Any]:
    """A type-of-bill 131 claim with one emergency visit line."""
    return {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
            "patient": {"sex": "F", "age": age}, "date_of_service": day,
            "statement_period": [day, day], "diagnoses": dx,
            "service_lines": [{"line": 1, "procedure_code": "99283", "modifiers": [],
                               "units": 1, "revenue_code": "0450"}]}


def _check(claim: dict[str, Any], profile: str) -> list[tuple[str, tuple[Any, ...], str]]:
    report = Checker(profile=profile, policies=()).check(Claim.from_dict(claim))
    return [(f.rule, tuple(f.location), f.message) for f in report.findings]


# -- the accessor ------------------------------------------------------------------------


def test_the_ioce_limits_of_the_first_quarter_of_2024() -> None:
    assert icd10cm.ioce_age_limit("Z02.84", on="2024-01-12") == (0, 17, "pediatric")
    assert icd10cm.ioce_age_limit("Z13.32", on="2024-01-12") == (9, 64, "maternity")
    limit = icd10cm.ioce_age_limit("z1332", on=dt.date(2024, 3, 31))
    assert limit is not None and (limit.min_age, limit.max_age, limit.band) == (9, 64,
                                                                                 "maternity")


@pytest.mark.parametrize("day", ["2023-12-31", "2024-04-01", "2019-06-30", "2027-04-01"])
def test_no_difference_outside_that_quarter(day: str) -> None:
    """2023-Q4 (I/OCE v24.3): neither table limits them; from 2024-04-01 both do alike."""
    assert icd10cm.ioce_age_limit("Z02.84", on=day) is None
    assert icd10cm.ioce_age_limit("Z13.32", on=day) is None


def test_the_mce_adds_the_limits_a_quarter_later() -> None:
    assert icd10cm.facts("Z02.84", on="2024-01-12").age_range is None  # type: ignore[union-attr]
    assert icd10cm.facts("Z02.84", on="2024-04-01").age_range == (0, 17)  # type: ignore[union-attr]
    assert icd10cm.facts("Z13.32", on="2024-04-01").age_range == (9, 64)  # type: ignore[union-attr]


@pytest.mark.parametrize("code", ["I10", "O80", "Z00.129", "", "Z02.8.4", None, 4])
def test_codes_where_the_two_tables_agree_or_no_code(code: object) -> None:
    assert icd10cm.ioce_age_limit(code, on="2024-01-12") is None


def test_the_table_and_its_provenance() -> None:
    rec = next(f for f in json.loads((DATA / "PROVENANCE.json").read_text())["ioce"]["files"]
               if f["file"] == "icd10cm/ioce_age.ckt")
    assert (rec["rows"], rec["codes"]) == (2, ["Z0284", "Z1332"])


def test_the_quarter_is_a_date_view_of_its_own() -> None:
    """Dates on which the I/OCE's age limits differ never share a date view."""
    assert icd10cm.date_view("2023-12-31") is not icd10cm.date_view("2024-01-01")
    assert icd10cm.date_view("2024-01-01") is icd10cm.date_view("2024-03-31")
    assert icd10cm.date_view("2024-03-31") is not icd10cm.date_view("2024-04-01")


# -- DX_AGE_CONFLICT ----------------------------------------------------------------------


def test_z0284_pediatric_on_2024_01_12_under_the_outpatient_profile() -> None:
    assert _check(_claim("2024-01-12", ["I10", "Z02.84"], 40), OUT) == [
        (*Z_LATER, "Z02.84 may only be reported as the principal/first-listed diagnosis, "
                   "but is in position 2: move it first or drop it."),
        (AGE, ("diagnoses", 1), "Z02.84 is a pediatric diagnosis (ages 0-17 in the I/OCE's "
                                "diagnosis table) but the patient is 40 on 2024-01-12.")]


def test_z1332_maternity_on_2024_01_12_under_the_outpatient_profile() -> None:
    assert _check(_claim("2024-01-12", ["I10", "Z13.32"], 70), OUT) == [
        (AGE, ("diagnoses", 1), "Z13.32 is a maternity diagnosis (ages 9-64 in the I/OCE's "
                                "diagnosis table) but the patient is 70 on 2024-01-12.")]
    assert _check(_claim("2024-01-12", ["I10", "Z13.32"], 64), OUT) == []
    assert _check(_claim("2024-01-12", ["I10", "Z13.32"], 8), OUT)[0][:2] == (
        AGE, ("diagnoses", 1))


def test_beside_an_mce_band() -> None:
    """A claim that has an MCE-banded diagnosis too (O80, maternity 9-64): both found."""
    assert [f[:2] for f in _check(_claim("2024-01-12", ["O80", "Z13.32"], 70), OUT)] == [
        (AGE, ("diagnoses", 0)), (AGE, ("diagnoses", 1))]


def test_not_under_the_professional_profile() -> None:
    """The MCE's bands there: Z02.84 and Z13.32 have none on 2024-01-12."""
    assert _check(_claim("2024-01-12", ["I10", "Z02.84"], 40), PROF) == [
        (*Z_LATER, "Z02.84 may only be reported as the principal/first-listed diagnosis, "
                   "but is in position 2: move it first or drop it.")]
    assert _check(_claim("2024-01-12", ["I10", "Z13.32"], 70), PROF) == []


def test_not_on_2023_12_31() -> None:
    """The I/OCE of 2023-Q4 (v24.3) had no limit on either code."""
    assert [f[0] for f in _check(_claim("2023-12-31", ["I10", "Z02.84"], 40), OUT)] == [
        Z_LATER[0]]
    assert _check(_claim("2023-12-31", ["I10", "Z13.32"], 70), OUT) == []


def test_from_2024_04_01_the_mce_band_says_the_same() -> None:
    assert _check(_claim("2024-04-01", ["I10", "Z13.32"], 70), OUT) == [
        (AGE, ("diagnoses", 1), "Z13.32 is a maternity diagnosis (ages 9-64) but the "
                                "patient is 70 on 2024-04-01.")]
    assert _check(_claim("2024-04-01", ["I10", "Z13.32"], 70), PROF)[0][:2] == (
        AGE, ("diagnoses", 1))


def test_a_code_newer_than_the_last_ioce_quarter_is_aged_by_the_mce_and_said() -> None:
    """K31.B took effect on 2026-10-01 (CMS FY2027 code list; MCE v44: pediatric, 0-17).
    The last I/OCE quarter codekit has (27.1, to 2026-06-30) does not list it, so its
    age limit is the MCE's of the date: the edit fires, and the notice says whose limit
    it is (it said nothing). Z02.84, which that quarter lists with the MCE's limit, gets
    no such notice; nor does K31.B under the professional profile (no I/OCE)."""
    def notices(dx: list[str], age: int, profile: str = OUT) -> list[tuple[str, str, Any]]:
        report = Checker(profile=profile, policies=()).check(
            Claim.from_dict(_claim("2026-11-10", dx, age)))
        return [(n.code, n.message, n.location) for n in report.notices
                if n.code == "IOCE_DATE_NOT_COVERED"]

    assert icd10cm.ioce_age_limit("K31.B", on="2026-11-10") is None
    assert _check(_claim("2026-11-10", ["K31.B"], 40), OUT) == [
        (AGE, ("diagnoses", 0), "K31.B is a pediatric diagnosis (ages 0-17) but the patient "
                                "is 40 on 2026-11-10.")]
    said = [("IOCE_DATE_NOT_COVERED", "K31.B took effect on 2026-10-01, after the last I/OCE "
             "quarter codekit has (to 2026-06-30): that quarter's diagnosis table does not "
             "know it, so its age limit (I/OCE edit 2) is the MCE's of 2026-11-10",
             ("diagnoses", 1))]
    assert notices(["I10", "K31.B"], 40) == said
    assert notices(["I10", "K31.B"], 5) == said  # judged by that limit, whatever the answer
    assert notices(["I10", "Z02.84"], 40) == []
    assert notices(["I10", "K31.B"], 40, PROF) == []

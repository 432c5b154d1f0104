"""An MPFS RVU file answers for its own calendar year only (``procedure.load_mpfs``): item 3
of a review of data edges, 2026-12-06 (a CY 2023 file marked G2211 bundled on a 2024 claim,
silently).

G2211 (the visit complexity add-on) has MPFS status B in the CY 2023 file and is paid,
status A, from 2024-01-01 (CY 2024 PFS final rule, CMS-1784-F); 99213 has status A. The
files below carry those rows (and 20610, 000 global days) only, in the plain-CSV form the
loader takes.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, procedure
from codekit.errors import InvalidArgument
from tests.claims_gen import loaded_mpfs, ptp_checker

CY2023 = "code,status,pctc,bilateral,assistant,global_days\n99213,A,0,0,1,XXX\n" \
         "G2211,B,9,9,9,XXX\n20610,A,0,1,1,000\n"
CY2024 = "code,status,pctc,bilateral,assistant,global_days\n99213,A,0,0,1,XXX\n" \
         "G2211,A,9,9,9,ZZZ\n"
#: What a line on a date the CY 2023 file does not cover is told, in ``not_run``.
GAP_2024 = ("no loaded MPFS RVU file covers 2024-06-01 (PPRRVU23_JAN.csv: 2023-01-01 to "
            "2023-12-31): load the CMS RVU file of CY 2024 with "
            "codekit.procedure.load_mpfs() (a file answers for its own calendar year only)")
#: The fee schedule edits planned on a claim of 99213 and G2211 without modifiers.
STATUS_EDITS = ("PROC_MEDICARE_USES_OTHER_CODE", "PROC_NOT_COVERED_BY_MEDICARE",
                "PROC_BUNDLED_BY_MEDICARE")


def load(folder: Path, name: str, text: str, **dates: str) -> procedure.MpfsTable:
    """The MPFS file ``text`` written as ``folder / name`` and loaded (the test unloads)."""
    (folder / name).write_text(text)
    return procedure.load_mpfs(folder / name, **dates)


@pytest.fixture
def unload() -> Iterator[None]:
    """Every MPFS file a test loads is unloaded after it."""
    try:
        yield
    finally:
        procedure.unload_mpfs()


@pytest.fixture
def cy2023(tmp_path: Path) -> Iterator[procedure.MpfsTable]:
    yield from loaded_mpfs(tmp_path / "PPRRVU23_JAN.csv", CY2023)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(policies=())


def visit(day: str) -> Claim:
    """A Medicare professional claim of 99213 and G2211 for I10 on ``day``."""
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "place_of_service": "11",
        "patient": {"sex": "F", "birth_date": "1951-04-12"}, "date_of_service": day,
        "diagnoses": ["I10"], "service_lines": [
            {"procedure_code": c, "units": 1, "diagnosis_pointers": [1]}
            for c in ("99213", "G2211")]})


def mpfs_not_run(report: Any) -> list[tuple[str, str]]:
    return [(r, why) for r, why in report.not_run if "MPFS" in why]


def test_a_cy2023_file_answers_2023_and_not_2024(checker: Checker,
                                                 cy2023: procedure.MpfsTable) -> None:
    assert procedure.validate("G2211", on="2023-06-01").mpfs.status == "B"  # type: ignore[union-attr]
    r23 = checker.check(visit("2023-06-01"))
    assert [(f.rule, f.severity.value, f.location, f.codes) for f in r23.findings] == [
        ("PROC_BUNDLED_BY_MEDICARE", "info", ("service_lines", 1, "procedure_code"),
         ("G2211",))]
    assert mpfs_not_run(r23) == []
    # 2024: G2211 is paid; the 2023 file does not answer, and says so
    entry = procedure.validate("G2211", on="2024-06-01")
    assert entry.mpfs is None and entry.global_days is None
    # the entry says why it has no MPFS answer (a code without a row would not)
    assert entry.note == f"N{GAP_2024[1:]}."
    assert procedure.validate("G2211", on="2023-06-01").note is None
    r24 = checker.check(visit("2024-06-01"))
    assert r24.findings == ()
    assert mpfs_not_run(r24) == [(rule, GAP_2024) for rule in STATUS_EDITS]
    # the last day of the year is the file's, the first of the next is not
    assert procedure.validate("G2211", on="2023-12-31").mpfs is not None
    assert procedure.validate("G2211", on="2024-01-01").mpfs is None
    assert procedure.validate("G2211", on="2022-12-31").mpfs is None
    assert (cy2023.effective, cy2023.through) == (dt.date(2023, 1, 1), None)


def test_two_years_loaded_each_answers_its_own(tmp_path: Path, checker: Checker,
                                               cy2023: procedure.MpfsTable) -> None:
    load(tmp_path, "PPRRVU24_JAN.csv", CY2024)  # (cy2023's fixture unloads both)
    assert [f.rule for f in checker.check(visit("2023-06-01")).findings] == [
        "PROC_BUNDLED_BY_MEDICARE"]
    r24 = checker.check(visit("2024-06-01"))
    assert r24.findings == () and mpfs_not_run(r24) == []
    assert procedure.validate("G2211", on="2024-06-01").global_days == "ZZZ"
    assert procedure.validate("G2211", on="2023-06-01").global_days == "XXX"
    r25 = checker.check(visit("2025-01-02"))
    assert {r for r, _ in mpfs_not_run(r25)} == set(STATUS_EDITS)
    assert "(PPRRVU23_JAN.csv: 2023-01-01 to 2023-12-31; PPRRVU24_JAN.csv: 2024-01-01 " \
           "to 2024-12-31)" in mpfs_not_run(r25)[0][1]


@pytest.mark.parametrize(("name", "first"), [
    ("PPRRVU23_JAN.csv", dt.date(2023, 1, 1)), ("PPRRVU23_APR.csv", dt.date(2023, 4, 1)),
    ("PPRRVU19_JUL.txt", dt.date(2019, 7, 1)), ("PPRRVU22_OCT.xlsx", dt.date(2022, 10, 1)),
    ("PPRRVU24_A.csv", dt.date(2024, 1, 1)), ("PPRRVU24_D.csv.gz", dt.date(2024, 10, 1)),
    ("RVU25A.csv", dt.date(2025, 1, 1)), ("rvu25c.csv", dt.date(2025, 7, 1)),
    ("RVU21AR.csv", dt.date(2021, 1, 1)), ("PPRRVU2026_JAN.csv", dt.date(2026, 1, 1)),
    ("PPRRVU2026_Jan_nonQPP.csv", dt.date(2026, 1, 1)),
    ("PPRRVU2026_APR_QPP.xlsx", dt.date(2026, 4, 1)), ("PPRRVU25.csv", dt.date(2025, 1, 1)),
    ("mpfs.csv", None), ("PPRRVU_JAN.csv", None), ("fees_2025.csv", None),
    ("XRVU25A.csv", None), ("RVU2301.csv", None),
])
def test_the_year_and_quarter_of_a_cms_name(name: str, first: dt.date | None) -> None:
    assert procedure.dates_of_name(name) == first


def test_the_quarters_of_a_year_hand_over(tmp_path: Path, checker: Checker,
                                          unload: None) -> None:
    store = procedure.default_store()
    jan = load(tmp_path, "PPRRVU24_JAN.csv", CY2023)
    apr = load(tmp_path, "PPRRVU24_APR.csv", CY2024)
    assert store.mpfs_window(jan) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert store.mpfs_window(apr) == (dt.date(2024, 4, 1), dt.date(2024, 12, 31))
    assert store.mpfs_for(dt.date(2024, 3, 31)) is jan
    assert store.mpfs_for(dt.date(2024, 4, 1)) is apr
    assert [f.rule for f in checker.check(visit("2024-03-29")).findings] == [
        "PROC_BUNDLED_BY_MEDICARE"]
    assert checker.check(visit("2024-04-01")).findings == ()


def test_effective_and_through_win_over_the_name(tmp_path: Path, checker: Checker,
                                                 unload: None) -> None:
    table = load(tmp_path, "PPRRVU23_JAN.csv", CY2023, effective="2024-02-01",
                 through="2024-02-29")
    assert (table.effective, table.through) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert [f.rule for f in checker.check(visit("2024-02-29")).findings] == [
        "PROC_BUNDLED_BY_MEDICARE"]
    late = checker.check(visit("2024-03-01"))
    assert late.findings == ()
    assert mpfs_not_run(late)[0][1].startswith(
        "no loaded MPFS RVU file covers 2024-03-01 (PPRRVU23_JAN.csv: 2024-02-01 to "
        "2024-02-29)")
    assert procedure.validate("G2211", on="2023-06-01").mpfs is None
    # a file whose dates do not start a quarter: answers to the day, not the quarter
    assert procedure.validate("G2211", on="2024-01-31").mpfs is None
    assert procedure.validate("G2211", on="2024-02-01").mpfs is not None
    # pickled (worker processes): the table and the store keep the dates
    again = pickle.loads(pickle.dumps(table))
    assert (again.effective, again.through) == (table.effective, table.through)
    store = pickle.loads(pickle.dumps(procedure.default_store()))
    (kept,) = store.mpfs
    assert store.mpfs_window(kept) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert store.mpfs_row("G2211", dt.date(2024, 2, 10)) is not None
    assert store.mpfs_row("G2211", dt.date(2024, 3, 1)) is None


def test_a_name_without_a_year_needs_effective(tmp_path: Path, unload: None) -> None:
    with pytest.raises(InvalidArgument, match=r"cannot tell which calendar year the MPFS RVU "
                       r"file fees.csv is for: .* pass effective="):
        load(tmp_path, "fees.csv", CY2023)
    assert procedure.default_store().mpfs == []
    with pytest.raises(InvalidArgument, match="through=2024-12-31 is before"):
        load(tmp_path, "fees.csv", CY2023, effective="2025-01-01", through="2024-12-31")
    table = load(tmp_path, "fees.csv", CY2023, effective="2025-01-01")
    assert procedure.default_store().mpfs_window(table) == (dt.date(2025, 1, 1),
                                                            dt.date(2025, 12, 31))


def test_the_global_days_of_another_year_are_not_used(tmp_path: Path,
                                                      cy2023: procedure.MpfsTable) -> None:
    """EM_MINOR_PROC_NO_MOD25 judges a line no loaded file covers as without a file (25 or
    57), and says why it cannot tell them apart; in 2023 the file's 000 says 25."""
    checker = ptp_checker(tmp_path, "column_1,column_2,effective_date,deletion_date,"
                          "modifier_indicator\n20610,99213,2012-01-01,,1\n")

    def knee(day: str) -> Any:
        c = Claim.from_dict({
            "claim_type": "professional", "payer": "medicare", "place_of_service": "11",
            "patient": {"sex": "F", "birth_date": "1951-04-12"}, "date_of_service": day,
            "diagnoses": ["M17.11"], "service_lines": [
                {"procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]},
                {"procedure_code": "20610", "modifiers": ["RT"], "units": 1,
                 "diagnosis_pointers": [1]}]})
        (f,) = [f for f in checker.check(c).findings if f.rule == "EM_MINOR_PROC_NO_MOD25"]
        return f

    assert knee("2023-06-01").fix == ("25",)
    f = knee("2024-06-01")
    assert f.fix == ("25", "57")
    assert f.message.endswith("otherwise remove it. (No loaded MPFS RVU file answers for "
                              "2024-06-01: load the one of CY 2024 to tell which, "
                              "codekit.procedure.load_mpfs.)")

"""The MPFS RVU file's payment indicators (``procedure.load_mpfs``) and the fee schedule
edits that read them (``codekit.rules.fee_schedule``): the misses a certified coder's
review of 837P claims found (2026-12-06): RD03-RD05, BI01, BI02, BI10, BI15, SG04, SG05, EM24.

The file below is written in the CMS PPRRVU CSV layout (title rows, the column names split
over the header rows, the last one starting with HCPCS; descriptions left blank: CPT text
is not ours to write). Indicator values: 99213 (status A, PC/TC 0, XXX, surgery indicators
0) and 77067 (bilateral 2, PC/TC 1) as in the 2019 PPRRVU rows public parsers test with;
93000/93005/93010 (PC/TC 4/3/2) the record layout's own examples of the global test, the
technical and the professional component only codes; 71046 a diagnostic radiology test
(PC/TC 1, rows 26 and TC); 99417 status I (CY 2021 PFS final rule: Medicare pays G2212);
20610 bilateral 1 and assistant 1, 27447 assistant 2, 77066 and 92014 bilateral 2, 99397
status N, 99024 status B, as the review's report and the MACs' modifier pages give them.
The multiple-procedure, co-surgeon and team cells no edit reads are what the loader test
reads back, not values to quote; the RVU cells are blank.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, procedure
from codekit._procedures._mpfs import load_mpfs
from codekit.errors import DataError
from tests.claims_gen import loaded_mpfs, ptp_checker

DOS = "2025-06-10"

#: The columns of the PPRRVU CSV up to CONV FACTOR (the later ones are left out: the
#: loader reads columns by name): two title rows, then the names over three rows.
_NAMES = [
    ["", "", "", "", "NOT USED"],
    ["", "", "", "STATUS", "FOR MEDICARE", "WORK", "NON-FAC", "NA", "FACILITY", "NA", "MP",
     "NON-FACILITY", "FACILITY", "PCTC", "GLOB", "PRE", "INTRA", "POST", "MULT", "BILAT",
     "ASST", "CO-", "TEAM", "ENDO", "CONV"],
    ["HCPCS", "MOD", "DESCRIPTION", "CODE", "PAYMENT", "RVU", "PE RVU", "INDICATOR", "PE RVU",
     "INDICATOR", "RVU", "TOTAL", "TOTAL", "IND", "DAYS", "OP", "OP", "OP", "PROC", "SURG",
     "SURG", "SURG", "SURG", "BASE", "FACTOR"],
]
#: (code, modifier, status, PC/TC, global days, multiple procedure, bilateral, assistant,
#: co-surgeons, team) of each row; the RVU and conversion factor cells are left blank (the
#: loader does not read them, and they are not ours to guess).
_ROWS = [
    ("20610", "", "A", "0", "000", "2", "1", "1", "0", "0"),
    ("27447", "", "A", "0", "090", "2", "1", "2", "1", "0"),
    ("71046", "", "A", "1", "XXX", "0", "0", "9", "9", "9"),
    ("71046", "26", "A", "1", "XXX", "0", "0", "9", "9", "9"),
    ("71046", "TC", "A", "1", "XXX", "0", "0", "9", "9", "9"),
    ("77066", "", "A", "1", "XXX", "4", "2", "9", "9", "9"),
    ("92014", "", "A", "0", "XXX", "0", "2", "9", "9", "9"),
    ("93000", "", "A", "4", "XXX", "0", "0", "9", "9", "9"),
    ("93005", "", "A", "3", "XXX", "0", "0", "9", "9", "9"),
    ("93010", "", "A", "2", "XXX", "0", "0", "9", "9", "9"),
    ("99024", "", "B", "9", "XXX", "9", "9", "9", "9", "9"),
    ("99205", "", "A", "0", "XXX", "0", "0", "0", "0", "0"),
    ("99213", "", "A", "0", "XXX", "0", "0", "0", "0", "0"),
    ("99214", "", "A", "0", "XXX", "0", "0", "0", "0", "0"),
    ("99215", "", "A", "0", "XXX", "0", "0", "0", "0", "0"),
    ("99397", "", "N", "9", "XXX", "9", "9", "9", "9", "9"),
    ("99417", "", "I", "9", "ZZZ", "0", "9", "9", "9", "9"),
    ("98005", "", "I", "9", "XXX", "0", "9", "9", "9", "9"),
]


def _csv_row(code: str, mod: str, status: str, pctc: str, glob: str,
             *surgery: str) -> str:
    """One PPRRVU row: the description blank, RVUs blank, PRE/INTRA/POST OP blank."""
    return ",".join([code, mod, "", status, "", *[""] * 8, pctc, glob, "", "", "",
                     *surgery, "", ""]) + "\n"


PPRRVU = "".join(
    ",," + title + "\n" for title in (
        "2025 National Physician Fee Schedule Relative Value File January Release",
        "CPT codes and descriptions only are copyright 2024 American Medical Association.")
) + "".join(",".join(row) + "\n" for row in _NAMES) + "".join(
    _csv_row(*row) for row in _ROWS)

FEE_SCHEDULE = {"MOD_26_MISSING", "MOD_PCTC_NOT_ALLOWED", "MOD_50_NOT_BILATERAL",
                "MOD_BILATERAL_TWO_LINES", "MOD_ASSISTANT_NOT_PAID",
                "PROC_MEDICARE_USES_OTHER_CODE", "PROC_NOT_COVERED_BY_MEDICARE",
                "PROC_BUNDLED_BY_MEDICARE"}


@pytest.fixture
def rvu(tmp_path: Path) -> Iterator[procedure.MpfsTable]:
    yield from loaded_mpfs(tmp_path / "PPRRVU25_JAN.csv", PPRRVU)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(policies=())


def claim(dx: list[str], lines: list[dict[str, Any]], pos: str = "11",
          payer: str = "medicare") -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": payer, "place_of_service": pos,
        "patient": {"sex": "F", "birth_date": "1952-05-14"}, "date_of_service": DOS,
        "diagnoses": dx, "service_lines": [
            {"units": 1, "diagnosis_pointers": [1], **ln} for ln in lines]})


def line(code: str, *mods: str, units: int = 1) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), "units": units}


def found(checker: Checker, c: Claim) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity.value, f.location, f.codes, f.fix)
            for f in checker.check(c).findings]


def message(checker: Checker, c: Claim, rule: str) -> str:
    (f,) = [f for f in checker.check(c).findings if f.rule == rule]
    return f.message


# -- the loader --------------------------------------------------------------------------

def test_the_split_header_of_the_cms_file(rvu: procedure.MpfsTable) -> None:
    assert len(rvu) == 16 and rvu.problems == ()
    assert rvu.indicators["71046"] == procedure.MpfsIndicators(
        status="A", pctc="1", global_days="XXX", bilateral="0", assistant="9",
        co_surgeons="9", team_surgery="9", modifiers=("26", "TC"))
    assert rvu.indicators["27447"] == procedure.MpfsIndicators(
        status="A", pctc="0", global_days="090", bilateral="1", assistant="2",
        co_surgeons="1", team_surgery="0")
    assert rvu.global_days["20610"] == "000"
    entry = procedure.validate("99417", on=DOS)
    assert entry.mpfs is not None and entry.mpfs.status == "I" and entry.global_days == "ZZZ"
    assert procedure.resolve("71046", on=DOS).bits & procedure.Resolved.MPFS
    assert not procedure.resolve("36415", on=DOS).bits & procedure.Resolved.MPFS


def test_a_plain_csv_and_spreadsheet_digits(tmp_path: Path) -> None:
    f = tmp_path / "mpfs.csv"
    f.write_text("code,status,pctc,bilateral,assistant\n71046,A,1.0,0,09\n99417,I,9,9,9\n")
    table = load_mpfs(f, effective="2025-01-01")
    assert table.indicators["71046"] == procedure.MpfsIndicators(
        status="A", pctc="1", bilateral="0", assistant="9")
    assert table.global_days == {}


def test_a_value_outside_the_record_layout_is_a_problem(tmp_path: Path) -> None:
    f = tmp_path / "mpfs.csv"
    f.write_text("HCPCS,MOD,STATUS CODE,PCTC IND,GLOB DAYS\n71046,,A,1,XXX\n"
                 "93000,,A,Q,XXX\n20610,,A,0,000\n")
    table = load_mpfs(f, effective="2025-01-01", errors="collect")
    assert sorted(table.indicators) == ["20610", "71046"]
    (p,) = table.problems
    assert p.line == 3 and "93000: pctc 'Q' is not one of 0, 1" in p.reason
    # pickled (a spawned worker of check_many), read again as it was read: not refused
    back = pickle.loads(pickle.dumps(table))
    assert (sorted(back.indicators), [p.line for p in back.problems]) == \
        (["20610", "71046"], [3])
    with pytest.raises(DataError, match="93000: pctc 'Q'"):
        load_mpfs(f, effective="2025-01-01")


# -- the review's claims --------------------------------------------------------------------

def test_rd05_a_global_test_at_an_inpatient_hospital(checker: Checker,
                                                      rvu: procedure.MpfsTable) -> None:
    c = claim(["J18.9"], [line("71046")], pos="21")
    assert found(checker, c) == [
        ("MOD_26_MISSING", "error", ("service_lines", 0, "modifiers"), ("71046",), ("26",))]
    assert message(checker, c, "MOD_26_MISSING") == (
        "Line 1: 71046 has a professional and a technical component (MPFS PC/TC indicator "
        "1) and is billed whole at place of service 21 (inpatient hospital): the hospital "
        "bills the technical component of its patient's test; append 26 to bill the "
        "interpretation (Claims Processing Manual ch.13 §20.1).")
    for clean in (claim(["J18.9"], [line("71046", "26")], pos="21"),
                  claim(["J18.9"], [line("71046")], pos="11"),
                  claim(["J18.9"], [{**line("71046"), "place_of_service": "11"}], pos="22")):
        assert found(checker, clean) == []


def test_rd04_26_on_a_global_test_only_code(checker: Checker,
                                             rvu: procedure.MpfsTable) -> None:
    c = claim(["I10"], [line("93000", "26")])
    assert found(checker, c) == [("MOD_PCTC_NOT_ALLOWED", "error",
                                  ("service_lines", 0, "modifiers", 0), ("93000", "26"),
                                  ("93010",))]
    assert message(checker, c, "MOD_PCTC_NOT_ALLOWED") == (
        "Line 1: 93000 is a global test only code (MPFS PC/TC indicator 4): its "
        "professional component has a code of its own: bill 93010 instead of 93000-26.")
    assert found(checker, claim(["I10"], [line("93000", "TC")]))[0][4] == ("93005",)
    assert found(checker, claim(["I10"], [line("93010", "26")])) == [
        ("MOD_PCTC_NOT_ALLOWED", "error", ("service_lines", 0, "modifiers", 0),
         ("93010", "26"), ())]
    assert found(checker, claim(["J18.9"], [line("71046", "TC")])) == []


def test_rd03_26_on_an_em_is_mod_invalid_alone(checker: Checker,
                                               rvu: procedure.MpfsTable) -> None:
    assert [r for r, *_ in found(checker, claim(["I10"], [line("99213", "26")]))] == \
        ["MOD_INVALID"]


def test_bi15_bi10_50_on_a_code_priced_as_bilateral(checker: Checker,
                                                    rvu: procedure.MpfsTable) -> None:
    assert found(checker, claim(["H40.1133"], [line("92014", "50")])) == [
        ("MOD_50_NOT_BILATERAL", "warning", ("service_lines", 0, "modifiers", 0),
         ("92014", "50"), ())]
    # 77066 50 for a right breast lump: one finding, no "bill RT instead of 50"
    c = claim(["N63.10"], [line("77066", "50", units=2)])
    assert found(checker, c) == [
        ("MOD_50_NOT_BILATERAL", "warning", ("service_lines", 0, "modifiers", 0),
         ("77066", "50"), ())]
    assert message(checker, c, "MOD_50_NOT_BILATERAL") == (
        "Line 1: 77066 is priced as bilateral already (MPFS bilateral surgery indicator 2: "
        "the code covers both sides): remove 50 (for a procedure done on one side only, "
        "bill its one-side code where CPT has one).")
    assert found(checker, claim(["M17.0"], [line("20610", "50")])) == []


def test_bi01_right_and_left_on_two_lines(checker: Checker, rvu: procedure.MpfsTable) -> None:
    c = claim(["M17.0"], [line("20610", "RT"), line("20610", "LT")])
    assert found(checker, c) == [
        ("MOD_BILATERAL_TWO_LINES", "warning", ("service_lines", 1, "modifiers", 0),
         ("20610", "RT", "LT"), ("50",))]
    assert message(checker, c, "MOD_BILATERAL_TWO_LINES") == (
        "Lines 1 and 2 bill 20610 on the right and the left side on 2025-06-10: Medicare "
        "takes a bilateral procedure (MPFS bilateral surgery indicator 1) on a single line "
        "with modifier 50 and 1 unit (Claims Processing Manual ch.12 §40.7.B): bill 20610 "
        "once with 50 instead of the two lines.")
    assert found(checker, claim(["M17.0"], [line("20610", "RT"), line("20610", "LT", "76")])) \
        == []


def test_sg05_an_assistant_where_none_is_paid(checker: Checker,
                                              rvu: procedure.MpfsTable) -> None:
    c = claim(["M17.11"], [line("20610", "80", "RT")])
    assert found(checker, c) == [
        ("MOD_ASSISTANT_NOT_PAID", "error", ("service_lines", 0, "modifiers", 0),
         ("20610", "80"), ())]
    assert found(checker, claim(["M17.11"], [line("27447", "80", "RT")])) == []
    assert [r for r, *_ in found(checker, claim(["M17.11"], [line("99213", "80")]))] == \
        ["MOD_INVALID"]


def test_em24_99417_is_g2212_for_medicare(checker: Checker, rvu: procedure.MpfsTable) -> None:
    c = claim(["I10", "E11.65"], [line("99215"), line("99417")])
    assert found(checker, c) == [
        ("PROC_MEDICARE_USES_OTHER_CODE", "error", ("service_lines", 1, "procedure_code"),
         ("99417",), ("G2212",))]
    assert message(checker, c, "PROC_MEDICARE_USES_OTHER_CODE") == (
        "Line 2: 99417 is not valid for Medicare (MPFS status I: Medicare uses another code "
        "for the service): report G2212 instead.")
    # beside 99214 (no primary of 99417: ADDON_WITHOUT_PRIMARY too) no code is named
    beside_99214 = found(checker, claim(["I10"], [line("99214"), line("99417")]))
    assert [(r, fix) for r, _, _, _, fix in beside_99214 if r in FEE_SCHEDULE] == [
        ("PROC_MEDICARE_USES_OTHER_CODE", ())]


def test_99417_billed_as_telehealth_is_told_g2212(checker: Checker) -> None:
    """A telehealth coder's review (2026-12-06): 99215-95 with 99417-95 at place of service 10 was
    told "99417 is not on the list ... remove 95 if it was furnished in person"; removing 95 does
    not get 99417 paid (MPFS status I): Medicare's code for the time is G2212, on the list. Without
    an MPFS file the status-I finding says it, as with one (the telehealth edit said
    it alone, and 99417 billed in person was told nothing)."""
    c = claim(["I10"], [line("99215", "95"), line("99417", "95")], pos="10")
    assert [(f.rule, f.location, f.codes, f.fix, f.message) for f in checker.check(c).findings
            ] == [("PROC_MEDICARE_USES_OTHER_CODE", ("service_lines", 1, "procedure_code"),
                   ("99417",), ("G2212",),
                   "Line 2: 99417 is not valid for Medicare (MPFS status I: Medicare uses "
                   "another code for the service): report G2212 instead.")]
    # with the status-I edit off, the telehealth edit names G2212 itself
    quiet = checker.with_profile(checker.profiles["medicare-professional"].evolve(
        name="no-status-i", disable=["PROC_MEDICARE_USES_OTHER_CODE"]))
    assert [(f.rule, f.fix, f.message) for f in quiet.check(c).findings] == [
        ("MOD_TELEHEALTH_NOT_ELIGIBLE", ("G2212",),
         "Line 2: 99417 is not on the Medicare Telehealth Services List on 2025-06-10: "
         "Medicare does not recognize it (MPFS status I) and pays that prolonged time as "
         "G2212, which is on the list: report G2212 in its place, billed as telehealth.")]
    # beside 99214 Medicare names no code for it (and 99417 has no primary there)
    c = claim(["I10"], [line("99214", "95"), line("99417", "95")], pos="10")
    assert [(f.rule, f.fix) for f in checker.check(c).findings
            if f.rule != "ADDON_WITHOUT_PRIMARY"] == [("PROC_MEDICARE_USES_OTHER_CODE", ())]
    assert [f.message.split(" (the I/OCE")[0] for f in quiet.check(c).findings
            if f.rule == "MOD_TELEHEALTH_NOT_ELIGIBLE"] == [
        "Line 2: 99417 is not on the Medicare Telehealth Services List on 2025-06-10"]


@pytest.mark.parametrize(("lines", "pos", "fix"), [
    ([line("99215"), line("99417")], "11", "G2212"),
    ([line("99205"), line("99417")], "22", "G2212"),
    ([line("99350"), line("99417")], "12", "G0318"),
    ([line("99223"), line("99418")], "21", "G0316"),
    ([line("99310"), line("99418")], "31", "G0317"),
])
def test_99417_and_99418_in_person_without_the_file(checker: Checker, lines: list[Any],
                                                    pos: str, fix: str) -> None:
    """99215 + 99417 in an office on 2025-06-10, with no MPFS file loaded, was
    told nothing, while the same 99417 billed as telehealth was told G2212. Both codes
    have MPFS status I from their first day (99417: CY 2021 PFS final rule, G2212; 99418:
    CY 2023 PFS final rule, G0316-G0318), which codekit knows without the file
    (``procedure.PROLONGED_STATUS_I``)."""
    code = lines[1]["procedure_code"]
    assert found(checker, claim(["I10"], lines, pos=pos)) == [
        ("PROC_MEDICARE_USES_OTHER_CODE", "error", ("service_lines", 1, "procedure_code"),
         (code,), (fix,))]
    # other payers recognize them; a date before 99417 existed is the validity edit's
    assert found(checker, claim(["I10"], lines, pos=pos, payer="aetna")) == []
    early = claim(["I10"], lines, pos=pos).to_dict()
    early["date_of_service"] = "2020-06-10"
    assert [r for r, *_ in found(checker, Claim.from_dict(early))] == ["PROC_NOT_VALID_ON_DOS"]


def test_the_status_codekit_knows_is_the_one_it_names_codes_for() -> None:
    """The codes judged without a file are those :data:`MEDICARE_CODE` names Medicare's
    code for."""
    from codekit.rules.fee_schedule import MEDICARE_CODE

    assert frozenset(MEDICARE_CODE) == procedure.PROLONGED_STATUS_I


def test_99417_telehealth_with_the_rvu_file(checker: Checker, rvu: procedure.MpfsTable
                                            ) -> None:
    """With an MPFS file loaded, PROC_MEDICARE_USES_OTHER_CODE says it, alone."""
    c = claim(["I10"], [line("99215", "95"), line("99417", "95")], pos="10")
    assert found(checker, c) == [
        ("PROC_MEDICARE_USES_OTHER_CODE", "error", ("service_lines", 1, "procedure_code"),
         ("99417",), ("G2212",))]


def test_non_covered_and_bundled(checker: Checker, rvu: procedure.MpfsTable) -> None:
    assert found(checker, claim(["Z00.00"], [line("99397")])) == [
        ("PROC_NOT_COVERED_BY_MEDICARE", "warning", ("service_lines", 0, "procedure_code"),
         ("99397",), ())]
    assert found(checker, claim(["Z00.00"], [line("99397", "GY")])) == []
    assert found(checker, claim(["Z09"], [line("99024")])) == [
        ("PROC_BUNDLED_BY_MEDICARE", "info", ("service_lines", 0, "procedure_code"),
         ("99024",), ())]


# -- where they do not run ---------------------------------------------------------------------

RED_TEAM = [(["J18.9"], [line("71046")], "21"), (["I10"], [line("93000", "26")], "11"),
            (["M17.0"], [line("20610", "RT"), line("20610", "LT")], "11"),
            (["N63.10"], [line("77066", "50")], "11"),
            (["M17.11"], [line("20610", "80", "RT")], "11"),
            (["I10"], [line("99215"), line("99417")], "11"),
            (["Z00.00"], [line("99397")], "11")]


def test_without_the_file_they_are_silent_and_not_planned(checker: Checker) -> None:
    """But for 99417, whose status codekit knows without the file (above)."""
    for dx, lines, pos in RED_TEAM:
        if lines[-1]["procedure_code"] in procedure.PROLONGED_STATUS_I:
            continue
        report = checker.check(claim(dx, lines, pos=pos))
        assert not FEE_SCHEDULE & {f.rule for f in report.findings}
        assert not FEE_SCHEDULE & {r for r, _ in report.not_run}


def test_other_payers_and_dme_suppliers(rvu: procedure.MpfsTable) -> None:
    checker = Checker(policies=())
    for dx, lines, pos in RED_TEAM:
        commercial = checker.check(claim(dx, lines, pos=pos, payer="aetna"))
        assert not FEE_SCHEDULE & {f.rule for f in commercial.findings}
        dme = checker.check(Claim.from_dict({**claim(dx, lines, pos=pos).to_dict(),
                                             "dme_supplier": True}))
        assert dme.profile == "medicare-dme"
        assert not FEE_SCHEDULE & {f.rule for f in dme.findings}


# -- the edits beside them ---------------------------------------------------------------------

def test_bi02_50_with_two_units_on_a_professional_line(checker: Checker) -> None:
    """No MPFS file needed: the IOCE's conditional designation of 20610 decides."""
    c = claim(["M17.0"], [line("20610", "50", units=2)])
    assert found(checker, c) == [
        ("BILATERAL_UNITS_WITH_50", "warning", ("service_lines", 0, "units"), ("20610", "50"),
         ("1",))]
    assert message(checker, c, "BILATERAL_UNITS_WITH_50") == (
        "Line 1 (20610) has modifier 50 and 2 units: 50 already means both sides, and "
        "Medicare takes a bilateral procedure on a single line with 1 unit (Claims "
        "Processing Manual ch.12 §40.7.B); bill 20610 once with modifier 50 and 1 unit.")
    assert found(checker, claim(["M17.0"], [line("20610", "50")])) == []
    assert found(checker, claim(["M17.0"], [line("20610", "50", units=2)], payer="aetna")) \
        == []


def test_sg04_80_and_as_on_one_line(checker: Checker) -> None:
    assert found(checker, claim(["M17.11"], [line("27447", "80", "AS", "RT")])) == [
        ("MOD_COMBINATION_INVALID", "error", ("service_lines", 0, "modifiers", 1),
         ("80", "AS"), ())]
    assert found(checker, claim(["M17.11"], [line("27447", "AS", "RT")])) == []


def test_bi10_without_the_file_50_on_an_inherently_bilateral_code(checker: Checker) -> None:
    """77066 50 for a right breast lump was told "bill RT instead of 50"."""
    c = claim(["N63.10"], [line("77066", "50")])
    assert found(checker, c) == [
        ("LATERALITY_MISMATCH", "error", ("service_lines", 0, "modifiers", 0),
         ("77066", "50", "N63.10"), ())]
    assert message(checker, c, "LATERALITY_MISMATCH") == (
        "Line 1: modifier 50 means both sides, but the diagnosis it points to (N63.10) "
        "names the right side only, and 77066 covers both sides by itself: remove 50 (for "
        "a procedure done on one side only, bill its one-side code where CPT has one).")


def test_a_loaded_file_without_the_procedure_is_not_asked_for(
        tmp_path: Path, rvu: procedure.MpfsTable) -> None:
    """EM_MINOR_PROC_NO_MOD25 said "Load the MPFS RVU file" with one loaded (31500 has no
    row in this one)."""
    checker = ptp_checker(tmp_path, "column_1,column_2,effective_date,deletion_date,"
                          "modifier_indicator\n31500,99213,2012-01-01,,1\n")
    c = claim(["J96.01"], [line("99213"), line("31500")], pos="23")
    (f,) = [f for f in checker.check(c).findings if f.rule == "EM_MINOR_PROC_NO_MOD25"]
    assert f.fix == ("25", "57")
    assert f.message.endswith("otherwise remove it. (The loaded MPFS RVU file has no global "
                              "days for 31500.)")


def test_a_telemedicine_visit_is_said_once(checker: Checker,
                                           rvu: procedure.MpfsTable) -> None:
    """98005 has MPFS status I in 2025: PROC_TELEMEDICINE_NOT_MEDICARE says it with the
    office visit Medicare pays (99213), and the status-I finding, which knows no code to
    name for it, is not said beside it."""
    got = found(checker, claim(["I10"], [line("98005")], pos="10"))
    assert [g[0] for g in got] == ["PROC_TELEMEDICINE_NOT_MEDICARE"]
    assert got[0][4] == ("99213",)

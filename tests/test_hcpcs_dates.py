"""HCPCS Level II validity by CMS's HCPCS file (``ADD DT``, ``TERM DT``), the I/OCE's date
edits kept as the outpatient edits they are (a review of 2026-12-06, items 2, 6 and 7).

The October 2025 file's dates are bundled (``data/procedures/hcpcs_dates.ckt``); the
reference copy of the file (``../shared``) is read only by the build test, which skips
without it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, NotValidOnDate, UnknownCode, hcpcs, procedure

from .conftest import reference, shipped_procedures_but

D = dt.date.fromisoformat


def _valid(code: str, *days: str) -> list[bool]:
    return [hcpcs.is_valid(code, on=d) for d in days]


# -- the I/OCE's date edits inside the file's dates: valid -----------------------------------


@pytest.mark.parametrize("code", ["G0011", "G0012", "G0013", "J0739", "J0750", "J0751",
                                  "J0799"])
def test_hiv_prep_codes_have_no_gap_before_their_ncd(code: str) -> None:
    """Valid from 2024-01-02 (J0739 from 2022-07-01) through the NCD approval of
    2024-09-30: codekit rejected 2024-07-01 to 2024-09-29 (I/OCE edit 68 from the July
    2024 quarter) while it accepted the quarter before under the same NCD."""
    assert _valid(code, "2024-06-30", "2024-07-01", "2024-08-15", "2024-09-29",
                  "2024-09-30", "2025-10-15") == [True] * 6
    limit = procedure.date_limit(code, on="2024-08-15")
    assert (limit.rule, limit.approved) == ("PROC_BEFORE_NCD_APPROVAL", D("2024-09-30"))
    assert limit.violated_on(D("2024-08-15")) and not limit.violated_on(D("2024-09-30"))
    assert procedure.date_limit(code, on="2024-03-01") is None  # no edit in that quarter
    start = D("2022-07-01") if code == "J0739" else D("2024-01-02")
    assert hcpcs.lookup(code, on="2024-08-15").valid_ranges == ((start, None),)


def test_hiv_prep_codes_start_on_the_file_s_add_date() -> None:
    """ADD DT 2024-01-02 (the I/OCE's quarter lists them from 2024-01-01)."""
    assert _valid("G0011", "2024-01-01", "2024-01-02") == [False, True]
    with pytest.raises(NotValidOnDate) as info:
        hcpcs.validate("J0751", on="2024-01-01")
    assert str(info.value) == ("'J0751': not valid on 2024-01-01: it takes effect on "
                               "2024-01-02. Valid: 2024-01-02 to now")


def test_j9247_runs_to_its_termination_date() -> None:
    """The I/OCE's approval period (edit 69) ends 2024-02-23, when FDA withdrew the drug;
    the code ends 2025-03-31 (TERM DT)."""
    assert _valid("J9247", "2024-02-23", "2024-02-24", "2024-06-01", "2025-03-31",
                  "2025-04-01") == [True, True, True, True, False]
    assert procedure.date_limit("J9247", on="2024-06-01").terminated == D("2024-02-23")
    with pytest.raises(NotValidOnDate, match="deleted after 2025-03-31"):
        hcpcs.validate("J9247", on="2025-04-01")


@pytest.mark.parametrize(("code", "before", "first", "after"), [
    ("G2010", "2019-12-31", "2020-01-01", "2020-02-29"),  # edit 68 from 2020-03-01
    ("G2012", "2019-12-31", "2020-01-01", "2020-02-29"),
    ("Q0222", "2022-06-30", "2022-07-01", "2022-08-14"),  # edit 110 2022-08-15
    ("Q5107", "2019-07-01", "2019-07-05", "2019-07-17"),  # edit 110 2019-07-18
    ("Q5112", "2020-03-31", "2020-04-01", "2020-04-14"),
    ("Q5113", "2019-12-31", "2020-01-01", "2020-03-15"),
    ("Q5114", "2019-09-30", "2019-10-01", "2019-11-28"),
    ("Q5115", "2019-09-30", "2019-10-01", "2019-11-10"),
    ("Q5116", "2019-12-31", "2020-01-01", "2020-02-22"),
    ("Q5118", "2019-12-31", "2020-01-01", "2020-01-12"),
    ("Q5121", "2020-07-01", "2020-07-01", "2020-07-05"),  # ADD DT 2020-07-01, edit 110 07-06
])
def test_former_gaps_are_valid(code: str, before: str, first: str, after: str) -> None:
    """Before, at the start and at the end of the days the I/OCE's date edit rejected."""
    assert _valid(code, before, first, after) == [True, True, True]
    assert procedure.date_limit(code, on=after).violated_on(D(after))


def test_g2061_to_g2063_run_from_their_add_date() -> None:
    for code in ("G2061", "G2062", "G2063"):
        assert _valid(code, "2019-12-31", "2020-01-01", "2020-02-29", "2020-12-31",
                      "2021-01-01") == [False, True, True, True, False], code


# -- the I/OCE accepts days outside the file's dates: not valid --------------------------------


@pytest.mark.parametrize("code", ["G2023", "G2024", "U0003", "U0004", "U0005"])
def test_the_phe_codes_end_with_the_emergency(code: str) -> None:
    """TERM DT 2023-05-11; accepted to 2023-06-30 before."""
    assert _valid(code, "2023-05-11", "2023-05-12", "2023-06-30") == [True, False, False]
    with pytest.raises(NotValidOnDate, match="deleted after 2023-05-11"):
        hcpcs.validate(code, on="2023-06-01")


@pytest.mark.parametrize(("code", "last"), [
    ("M0220", "2024-12-12"), ("M0248", "2024-12-12"), ("Q0220", "2024-12-12"),
    ("Q0222", "2024-12-12"), ("Q0247", "2024-12-12"), ("M0245", "2023-12-13"),
    ("Q0245", "2023-12-13"), ("M1145", "2022-02-27"),
])
def test_the_antibodies_end_on_their_termination_date(code: str, last: str) -> None:
    """The I/OCE's approval periods end a day later; the file's TERM DT wins."""
    after = str(D(last) + dt.timedelta(days=1))
    assert _valid(code, last, after) == [True, False]
    assert procedure.date_limit(code, on=after).allows(D(after))  # the I/OCE took it


def test_q5119_and_q5120_start_in_july_2020() -> None:
    """ADD DT 2020-07-01 (the January 2020 file lists neither); the IOCE quarters list
    them earlier."""
    assert _valid("Q5119", "2020-03-01", "2020-06-30", "2020-07-01") == [False, False, True]
    assert _valid("Q5120", "2019-12-01", "2020-07-01") == [False, True]
    with pytest.raises(NotValidOnDate, match="it takes effect on 2020-07-01"):
        hcpcs.validate("Q5119", on="2020-03-01")


# -- whole IOCE quarters without the code: the quarters win ------------------------------------


def test_j0570_was_deleted_and_reinstated() -> None:
    """The file shows J0570 reinstated (ACTION CD R) on 2025-10-01 and no TERM DT; the
    IOCE quarters lack it from 2025-01-01 to 2025-09-30."""
    assert _valid("J0570", "2024-12-31", "2025-01-01", "2025-09-30", "2025-10-01") == \
        [True, False, False, True]
    assert hcpcs.lookup("J0570", on="2025-03-01").valid_ranges == (
        (D("2019-07-01"), D("2024-12-31")), (D("2025-10-01"), None))


@pytest.mark.parametrize(("code", "day", "said"), [
    ("J0570", "2025-03-01", "deleted after 2024-12-31 and is valid again from 2025-10-01"),
    ("Q4236", "2022-06-01", "deleted after 2021-09-30 and is valid again from 2023-01-01")])
def test_a_code_in_its_gap_is_said_to_come_back(code: str, day: str, said: str) -> None:
    """In the gap the error said only "it was deleted after 2024-12-31": a coder read a
    code gone for good, where it is valid again (the ranges said so, the words did not)."""
    with pytest.raises(NotValidOnDate, match=said):
        hcpcs.validate(code, on=day)


def test_q4236_keeps_its_gap() -> None:
    assert _valid("Q4236", "2021-09-30", "2021-10-01", "2022-12-31", "2023-01-01") == \
        [True, False, False, True]


# -- codes the file does not list -------------------------------------------------------------


@pytest.mark.parametrize("code", ["M1072", "M1089", "M1094", "M1105"])
def test_payer_only_codes_are_no_level_ii_codes(code: str) -> None:
    for day in ("2022-01-01", "2025-10-15", "2026-05-01"):
        assert not hcpcs.is_valid(code, on=day)
    with pytest.raises(UnknownCode) as info:
        hcpcs.validate(code, on="2025-10-15")
    assert info.value.code == "PROC_CODE_UNKNOWN"
    assert f"{code} is no HCPCS Level II code: CMS's HCPCS file HCPC2025_OCT_ANWEB does " \
        "not list it, though the I/OCE's tables carry it from 2022-01-01 (as 'Payer Only " \
        "code'" in str(info.value)
    e = hcpcs.lookup(code, on="2025-10-15")  # the I/OCE's row is still shown
    assert (e.valid, e.valid_ranges, e.short_description) == (False, (), "Payer Only code")
    assert code not in hcpcs.suggest(code[:4] + "0", on="2025-10-15", limit=20)


def test_other_codes_follow_the_quarters() -> None:
    """Codes the file and the quarters agree on, CPT codes, CDT codes and dates after the
    file's quarter are answered as before."""
    assert _valid("J1030", "2024-03-31", "2024-04-01") == [True, False]
    assert _valid("G2211", "2023-12-31", "2024-01-01") == [True, True]
    assert procedure.is_valid("0001A", on="2023-04-17")
    assert not procedure.is_valid("0001A", on="2023-04-18")  # CPT: the I/OCE's dates
    assert procedure.is_valid("C9818", on="2026-01-05")  # after 2025-12-31: the quarter


def test_a_data_folder_without_the_file_s_dates_keeps_the_date_edits(tmp_path: Path) -> None:
    """Tables built before ``hcpcs_dates.ckt``: Level II validity by the IOCE quarters and
    their date edits, as it was."""
    from codekit.procedure import ProcedureStore

    data = Path(__file__).resolve().parents[1] / "data" / "procedures"
    (tmp_path / "procedures").mkdir()
    for name in ("codes.ckt", "modifiers.ckt", "xref.ckt"):
        (tmp_path / "procedures" / name).symlink_to(data / name)
    s = ProcedureStore(tmp_path)
    assert s.hcpcs_dates.through is None and not s.by_hcpcs_file("G0011")
    assert not hcpcs.is_valid("G0011", on="2024-08-15", store=s)
    assert hcpcs.is_valid("G2023", on="2023-06-01", store=s)
    assert hcpcs.is_valid("M1072", on="2025-10-15", store=s)
    with pytest.raises(NotValidOnDate, match="before its National Coverage Determination"):
        hcpcs.validate("G0011", on="2024-08-15", store=s)


# -- on claims -------------------------------------------------------------------------------


def _claim(day: str, dx: str, lines: list[tuple[str, str]], kind: str = "prof",
           payer: str = "medicare") -> Claim:
    d: dict[str, Any] = {
        "payer": payer, "patient": {"sex": "F", "birth_date": "1960-01-01"},
        "date_of_service": day, "diagnoses": [dx],
        "service_lines": [{"procedure_code": c, "units": 1} for c, _ in lines]}
    if kind == "prof":
        d["claim_type"] = "professional"
        for line in d["service_lines"]:
            line["diagnosis_pointers"] = [1]
    else:
        d.update(claim_type="institutional", bill_type=kind)
        for line, (_, rev) in zip(d["service_lines"], lines, strict=True):
            line["revenue_code"] = rev
    return Claim.from_dict(d)


def _found(claim: Claim) -> list[tuple[str, tuple[Any, ...]]]:
    return [(f.rule, f.location) for f in Checker().check(claim).findings]


def test_the_red_team_claims() -> None:
    prep = [("G0011", "0510"), ("J0751", "0636")]
    assert _found(_claim("2024-08-15", "Z20.6", prep)) == []
    assert _found(_claim("2024-08-15", "Z20.6", prep, payer="commercial")) == []
    assert _found(_claim("2024-06-01", "C90.00", [("J9247", "0636")])) == []
    assert _found(_claim("2022-01-01", "L97.412", [("Q4236", "0636")], payer="commercial")) \
        == [("PROC_NOT_VALID_ON_DOS", ("service_lines", 0, "procedure_code"))]
    assert _found(_claim("2025-10-15", "I10", [("M1072", "0510")])) == \
        [("PROC_CODE_UNKNOWN", ("service_lines", 0, "procedure_code"))]


def test_the_outpatient_date_edits_still_judge_the_lines() -> None:
    """Under medicare-outpatient the I/OCE's date edit fires on a valid Level II line (as
    the I/OCE raises edit 68 beside 62 on G0011, status B); from its date, nothing."""
    prep = [("G0011", "0510"), ("J0751", "0636")]
    out = _found(_claim("2024-08-15", "Z20.6", prep, kind="131"))
    assert out == [  # (and J0751, a drug, with no payable procedure: edit 99, as pyoce)
        ("PROC_NOT_RECOGNIZED_BY_OPPS", ("service_lines", 0, "procedure_code")),
        ("DRUG_WITHOUT_PAYABLE_PROCEDURE", ("service_lines", 1, "procedure_code")),
        ("PROC_BEFORE_NCD_APPROVAL", ("service_lines", 0, "procedure_code")),
        ("PROC_BEFORE_NCD_APPROVAL", ("service_lines", 1, "procedure_code"))]
    assert ("PROC_BEFORE_NCD_APPROVAL", ("service_lines", 1, "procedure_code")) not in \
        _found(_claim("2024-09-30", "Z20.6", prep, kind="131"))
    assert _found(_claim("2024-06-01", "C90.00", [("J9247", "0636")], kind="131")) == \
        [("PROC_OUTSIDE_APPROVAL_PERIOD", ("service_lines", 0, "procedure_code"))]
    # not valid by the file and outside the I/OCE's dates too: one finding, the I/OCE's
    assert _found(_claim("2024-12-20", "Z20.822", [("M0220", "0636")], kind="131")) == \
        [("PROC_OUTSIDE_DESIGNATED_PERIOD", ("service_lines", 0, "procedure_code"))]
    assert _found(_claim("2024-12-13", "Z20.822", [("M0220", "0636")], kind="131")) == \
        [("PROC_NOT_VALID_ON_DOS", ("service_lines", 0, "procedure_code"))]


def test_edit_124_replaces_the_validity_finding() -> None:
    """U0003 after the emergency, before the I/OCE's table drops it: 124 under
    medicare-outpatient, PROC_NOT_VALID_ON_DOS elsewhere."""
    lines = [("99283", "0450"), ("U0003", "0300")]
    assert _found(_claim("2023-06-01", "Z20.822", lines, kind="131")) == \
        [("PROC_VALID_ONLY_DURING_PHE", ("service_lines", 1, "procedure_code"))]
    assert _found(_claim("2023-06-01", "Z20.822", lines)) == \
        [("PROC_NOT_VALID_ON_DOS", ("service_lines", 1, "procedure_code"))]


# -- the build --------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_build_reproduces_the_shipped_dates(tmp_path: Path) -> None:
    from codekit.build.hcpcs_dates import build_hcpcs_dates

    ref = reference("hcpcs_2025q4", "HCPC2025_OCT_ANWEB.xlsx").parents[1]
    data, out = shipped_procedures_but(tmp_path, "hcpcs_dates.ckt")
    rec = build_hcpcs_dates(ref, out)
    assert (out / "procedures" / "hcpcs_dates.ckt").read_bytes() == \
        (data / "procedures" / "hcpcs_dates.ckt").read_bytes()
    assert rec == json.loads((data / "PROVENANCE.json").read_text("utf-8"))["hcpcs_dates"]
    checks = rec["checks"]
    assert (len(checks["ioce_date_edit_days_inside_the_file_dates"]),
            len(checks["ioce_days_outside_the_file_dates"]),
            sorted(checks["ioce_quarters_without_the_code_inside_the_file_dates"]),
            checks["ended_by_the_file_yet_listed_by_later_quarters"],
            checks["added_after_the_file_quarter"]) == (22, 34, ["J0570", "Q4236"], [], [])
    assert all(g["ends_on_the_last_action"] for g in
               checks["ioce_quarters_without_the_code_inside_the_file_dates"].values())
    assert rec["counts"]["unlisted_by_ioce_title"] == {"Payer Only code": 30}

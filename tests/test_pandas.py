"""codekit.pandas: columns validated in bulk agree with the per-code verbs, row by row;
bad cells and dates are rows with a reason; claims from a long table; summaries."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import codekit.pandas as ckpd
from codekit import InvalidArgument, _cache, icd10cm
from codekit.errors import ClaimFormatError
from codekit.pandas import COLUMNS

DOS = "2025-06-01"


def test_icd10cm_column_exact_rows() -> None:
    codes = pd.Series(["E11.9", "e1165", "I10.", "E11", "G35", "E11.99", "T78.40A",
                       "M17.11RT", "E119,I10", "S72.001A"], index=list("abcdefghij"))
    days = pd.Series(["2025-06-01"] * 4 + ["2025-10-01"] + ["2025-06-01"] * 5,
                     index=codes.index)
    out = ckpd.validate(codes, on=days)
    assert list(out.columns) == list(COLUMNS)
    assert list(out.index) == list("abcdefghij")
    assert out["code"].tolist() == ["E11.9", "E11.65", "I10", "E11", "G35", "E11.99",
                                    "T78.40A", "M17.11", "E11.9, I10", "S72.001A"]
    assert out["valid"].tolist() == [True, True, True, False, False, False, False, False,
                                     True, True]
    assert out["billable"].tolist() == out["valid"].tolist()
    assert out["rule"].tolist() == [None, None, None, "DX_NOT_BILLABLE", "DX_NOT_VALID_ON_DOS",
                                    "DX_CODE_UNKNOWN", "DX_PLACEHOLDER_X_MISSING",
                                    "DX_MODIFIER_ATTACHED", None, None]
    assert out.loc["a", "title"] == "Type 2 diabetes mellitus without complications"
    assert out.loc["a", "release"] == "FY2025-04"
    assert out.loc["e", "release"] == "FY2026"
    assert out.loc["c", "note"] == "read as I10: the trailing '.' was dropped"
    assert out.loc["i", "note"] == "2 codes in one cell (E11.9, I10): each is validated"
    assert out.loc["i", "title"] == ("Type 2 diabetes mellitus without complications | "
                                     "Essential (primary) hypertension")
    assert out.loc["d", "fix"][:3] == ("E11.00", "E11.01", "E11.10")
    assert out.loc["d", "title"] == "Type 2 diabetes mellitus"
    assert out.loc["e", "fix"][:2] == ("G35.A", "G35.B0")
    assert out.loc["g", "fix"] == ("T78.40XA",)
    assert out.loc["h", "fix"] == ("M17.11",)
    assert out.loc["h", "title"] == "Unilateral primary osteoarthritis, right knee"
    assert out.loc["f", "fix"] and out.loc["f", "fix"][0] == "E11.9"
    assert out.loc["a", "fix"] == ()
    assert out.loc["e", "message"].startswith("'G35': not valid on 2025-10-01: ")


def test_agrees_with_validate_row_by_row() -> None:
    """Over many dates (before ICD-10-CM, releases, gaps between them, past the data),
    every row says what icd10cm.validate says for it: validity, rule, message (with the
    row's own date), title, code."""
    rng = random.Random(15)
    codes = ["E11.9", "G35", "G35.A", "E11", "U07.1", "M54.5", "M54.50", "I10", "Z00.00",
             "O80", "E11.99", "R05", "R05.9", "J12.82", "F32.A", "K35.80", "K35.8", "E78.5",
             "S72.001A", "T78.40A", "e1165", " i10 ", "ZZZ", "E1.165", "D75.84", "G20.A1"]
    start = dt.date(2014, 6, 1)
    days = [start + dt.timedelta(days=rng.randrange(365 * 13)) for _ in range(3000)]
    col = [rng.choice(codes) for _ in days]
    out = ckpd.validate(col, on=days)
    for i, (code, day) in enumerate(zip(col, days, strict=True)):
        row = out.iloc[i]
        err = icd10cm.why_invalid(code, on=day)
        if err is not None:
            got = (row["valid"], row["rule"], row["message"])
            assert got == (False, err.code, str(err)), (code, day)
        else:
            e = icd10cm.validate(code, on=day)
            assert (row["valid"], row["code"], row["title"], row["release"]) == \
                (True, e.dotted, e.title, e.release), (code, day)


def test_bad_cells_are_rows_with_a_reason() -> None:
    big = "E" * 10_000_000
    cells = [None, float("nan"), pd.NA, 250.0, 42, ["E11.9"], {"a": 1}, b"E11.9", big, "",
             "  ", "E11.9"]
    frame = pd.DataFrame({"dx": pd.Series(cells, dtype=object)})
    before = frame.copy()
    out = ckpd.validate(frame["dx"], on=DOS)
    assert out["rule"].tolist() == [
        "CODE_MISSING", "CODE_MISSING", "CODE_MISSING", "DX_FORMAT_INVALID",
        "DX_FORMAT_INVALID", "DX_FORMAT_INVALID", "DX_FORMAT_INVALID", "DX_FORMAT_INVALID",
        "DX_FORMAT_INVALID", "CODE_MISSING", "CODE_MISSING", None]
    assert out.loc[3, "message"] == "expected a code as text, got float 250.0"
    assert out.loc[5, "message"] == "expected a code as text, got list ['E11.9']"
    assert out.loc[8, "message"].startswith("10,000,000 characters: too long")
    assert out["valid"].tolist() == [False] * 11 + [True]
    pd.testing.assert_frame_equal(frame, before)
    assert frame["dx"][8] is big
    sizes = _cache.sizes()
    assert all(v < 1_000_000 for v in sizes.values())


def test_bad_dates_are_rows_with_a_reason() -> None:
    codes = pd.Series(["E11.9"] * 6)
    days = pd.Series(["2025-06-01", None, "junk", "2025-13-01", 20250601, dt.date(2025, 6, 1)],
                     dtype=object)
    out = ckpd.validate(codes, on=days)
    assert out["valid"].tolist() == [True, False, False, False, False, True]
    assert out["rule"].tolist() == [None, "DATE_INVALID", "DATE_INVALID", "DATE_INVALID",
                                    "DATE_INVALID", None]
    assert out.loc[1, "message"] == "the date of service is missing"
    assert out.loc[2, "message"] == ("not a date of service: 'junk' (expected YYYY-MM-DD or "
                                     "an ISO date-time)")
    assert out.loc[2, "code"] == "E11.9"
    assert out.loc[4, "message"] == (
        "not a date of service: 20250601 (expected YYYY-MM-DD or an ISO date-time); a "
        "number is not a date: if it is year, month and day (20251103), convert the column "
        "first, pd.to_datetime(column.astype(str), format='%Y%m%d')")
    stamps = pd.Series(pd.to_datetime(["2025-06-01", None, "2025-10-01T23:30:00"],
                                      format="ISO8601"))
    out = ckpd.validate(pd.Series(["G35", "G35", "G35"]), on=stamps)
    assert out["rule"].tolist() == [None, "DATE_INVALID", "DX_NOT_VALID_ON_DOS"]
    aware = stamps.dt.tz_localize("America/New_York")
    assert ckpd.validate(pd.Series(["G35"] * 3), on=aware)["rule"].tolist() == \
        [None, "DATE_INVALID", "DX_NOT_VALID_ON_DOS"]
    with pytest.raises(InvalidArgument, match="on="):
        ckpd.validate(["E11.9"], on="06/01/2025")
    with pytest.raises(InvalidArgument, match="2 dates for 1 codes"):
        ckpd.validate(["E11.9"], on=["2025-06-01", "2025-06-02"])


def test_dtypes_categorical_arrow_and_numpy_strings() -> None:
    values = ["E11.9", "E11", None, "I10"]
    expected = [True, False, False, True]
    for series in (pd.Series(values, dtype="category"),
                   pd.Series(values, dtype="string[pyarrow]"),
                   pd.Series(values, dtype="string"),
                   pd.Series(np.array(["E11.9", "E11", "", "I10"]))):
        out = ckpd.validate(series, on=DOS)
        assert out["valid"].tolist() == expected, series.dtype
    out = ckpd.validate(pd.Series(values, dtype="category"), on=DOS)
    assert out["rule"].tolist() == [None, "DX_NOT_BILLABLE", "CODE_MISSING", None]


def test_empty_and_list_input() -> None:
    out = ckpd.validate(pd.Series([], dtype=object), on=DOS)
    assert list(out.columns) == list(COLUMNS) and len(out) == 0
    out = ckpd.validate(["E11.9", "E11"], on=DOS)
    assert list(out.index) == [0, 1]
    with pytest.raises(InvalidArgument):
        ckpd.validate("E11.9", on=DOS)
    with pytest.raises(InvalidArgument):
        ckpd.validate(["E11.9"], on=DOS, system="icd9")


def test_procedure_systems() -> None:
    codes = pd.Series(["99213", "99201", "99213-25", 99213, 99213.0, "G0121", "J3490",
                       "W1234", None])
    out = ckpd.validate(codes, on="2025-02-01", system="procedure")
    assert out["rule"].tolist() == [None, "PROC_NOT_VALID_ON_DOS", "PROC_MODIFIER_ATTACHED",
                                    None, None, None, None, "PROC_FORMAT_INVALID",
                                    "CODE_MISSING"]
    assert out.loc[3, "note"] == "read as 99213: the code was stored as a number"
    assert out.loc[2, "fix"] == ("99213",)
    assert out.loc[6, "title"] == "Drugs unclassified injection"
    mods = ckpd.validate(pd.Series(["RT", "-25", "JG", "88"]), on="2025-02-01",
                         system="modifiers")
    assert mods["valid"].tolist() == [True, True, False, False]
    assert mods["rule"].tolist() == [None, None, "MOD_INVALID", "MOD_INVALID"]
    cpt = ckpd.validate(pd.Series(["99213", "G0121"]), on="2025-02-01", system="cpt")
    assert cpt["valid"].tolist() == [True, False]
    pcs = ckpd.validate(pd.Series(["0DTJ4ZZ", "0dtj4zz.", "0DTJ4Z", None]), on="2025-06-01",
                        system="icd10pcs")
    assert pcs["valid"].tolist() == [True, True, False, False]
    assert pcs["rule"].tolist() == [None, None, "PCS_FORMAT_INVALID", "CODE_MISSING"]
    assert pcs.loc[0, "title"] == "Resection of Appendix, Percutaneous Endoscopic Approach"


def test_suggest_false_leaves_did_you_mean_out() -> None:
    out = ckpd.validate(["E11.99", "E11"], on=DOS, suggest=False)
    assert out["fix"][0] == ()
    assert out["fix"][1][:1] == ("E11.00",)  # a header's codes are not a did-you-mean


def test_accessors() -> None:
    df = pd.DataFrame({"dx": ["E11.9", "E11"], "dos": ["2025-06-01", "2025-06-01"],
                       "cpt": ["99213", "99201"]}, index=[10, 20])
    out = df.codekit.validate("dx", on="dos", prefix="dx_")
    assert list(out.columns) == [f"dx_{c}" for c in COLUMNS]
    assert list(out.index) == [10, 20]
    assert df.join(out)["dx_valid"].tolist() == [True, False]
    assert df.codekit.validate("cpt", on="2025-02-01", system="cpt")["rule"].tolist() == \
        [None, "PROC_NOT_VALID_ON_DOS"]
    assert df["dx"].codekit.is_valid(on=df["dos"]).tolist() == [True, False]
    with pytest.raises(InvalidArgument, match="no such column"):
        df.codekit.validate("nope")
    with pytest.raises(InvalidArgument, match="no such column, and not a date"):
        df.codekit.validate("dx", on="dos_")


LINES = pd.DataFrame({
    "claim_id": ["C1", "C1", "C2", "C3", "C4"],
    "payer": ["medicare", "medicare", "commercial", "medicare", "medicare"],
    "claim_type": "professional",
    "sex": ["F", "F", "M", "F", "F"],
    "age": [70, 70, 40, 70, None],
    "date_of_service": ["2025-11-03", "2025-11-03", "2025-12-01", "2026-01-05", "2025-11-03"],
    "dx1": ["E11.9", "E11.9", "E11", "E11.9", "I10"],
    "dx2": ["E10.9", "E10.9", None, None, None],
    "line_id": ["C1-1", "C1-2", "C2-1", "C3-1", "C4-1"],
    "procedure_code": ["99213", "20610", "99213", "99213", "99213"],
    "modifier1": [None, "RT", None, None, None],
    "units": [1, 1, 0, 1, 1],
    "pointer1": [1, 1, 1, 1, 1],
})


def test_check_claims_long_table() -> None:
    before = LINES.copy()
    found = ckpd.check_claims(LINES)
    pd.testing.assert_frame_equal(LINES, before)
    assert list(found.columns) == list(ckpd.FINDING_COLUMNS)
    got = sorted(zip(found["claim_id"], found["rule"], found["line_id"].fillna("-"),
                     strict=True))
    assert ("C1", "DX_EXCLUDES1_CONFLICT", "-") in got
    assert ("C2", "DX_NOT_BILLABLE", "-") in got
    assert ("C2", "UNITS_INVALID", "C2-1") in got
    assert ("C4", "CLAIM_FORMAT_INVALID", "-") in got  # no age: read, reported, goes on
    assert not any(c == "C3" for c, _, _ in got)
    units = found[found["rule"] == "UNITS_INVALID"].iloc[0]
    assert (units["line"], units["path"], units["payer"], units["severity"]) == \
        (1, "$.service_lines[0].units", "commercial", "error")
    assert units["date_of_service"] == pd.Timestamp("2025-12-01")
    assert found["kind"].tolist() == ["finding"] * len(found)
    # C1's is a warning; no practitioner NCCI tables; C2 (commercial) lists the MUE edit,
    # which that profile runs only once configured
    assert found.attrs["codekit"] == {
        "claims": 4, "claims_with_findings": 3, "claims_with_errors": 2,
        "claims_with_notices": 0, "claims_outside_data": 0, "claims_with_rules_not_run": 3,
        "not_run": {"EM_MINOR_PROC_NO_MOD25": 1, "MUE_EXCEEDED": 3, "NCCI_PTP_CONFLICT": 1}}


def test_check_claims_column_names_and_summary() -> None:
    renamed = LINES.rename(columns={"procedure_code": "cpt", "claim_id": "pcn"})
    found = renamed.codekit.check_claims(columns={"procedure_code": "cpt", "claim_id": "pcn"})
    assert set(found["claim_id"]) == {"C1", "C2", "C4"}
    with pytest.raises(InvalidArgument, match="claim_id"):
        ckpd.check_claims(LINES.drop(columns=["claim_id"]))
    s = ckpd.summarize(found)
    assert s.totals["claims"] == 4 and s.totals["claims_with_errors"] == 2
    assert s.totals["findings"] == len(found)
    assert s.by_rule.loc["UNITS_INVALID", "error"] == 1
    assert list(s.by_month.index) == ["2025-11", "2025-12"]
    assert set(s.by_payer.index) == {"medicare", "commercial"}
    assert s.by_rule["total"].sum() == len(found)
    html = s._repr_html_()
    assert "UNITS_INVALID" in html and "<script" not in html
    assert repr(s).startswith(f"<Summary: {len(found)} findings on 3 of 4 claims")


def test_summary_plot() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    s = ckpd.summarize(ckpd.check_claims(LINES))
    ax = s.plot()
    assert ax.get_title() == "Findings by month and severity"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-11", "2025-12"]
    ax = s.plot(by="rule")
    assert ax.get_legend() is not None
    with pytest.raises(InvalidArgument):
        s.plot(by="payer")
    empty = ckpd.summarize(ckpd.check_claims(LINES[LINES["claim_id"] == "C3"]))
    assert empty.totals["findings"] == 0 and empty.plot().get_title() == "no findings"


def _one_claim(**fields: object) -> pd.DataFrame:
    row: dict[str, object] = {"claim_id": "F1", "payer": "medicare", "sex": "F", "age": 70,
                              "date_of_service": "2025-11-03", "dx1": "E11.9",
                              "line_id": "F1-1", "procedure_code": "99213", "units": 1,
                              "pointer1": 1}
    row.update(fields)
    return pd.DataFrame([row])


def test_check_claims_keeps_the_notices() -> None:
    """A claim past the data codekit has is judged with notices: each is a row of kind
    notice (not a finding), counted, and summarize does not call the claim clean."""
    found = ckpd.check_claims(_one_claim(date_of_service="2040-01-01"))
    assert found[["claim_id", "line", "line_id", "rule", "severity", "kind", "path"]
                 ].to_dict("records") == [
        {"claim_id": "F1", "line": None, "line_id": None, "rule": "ICD10CM_DATE_NOT_COVERED",
         "severity": None, "kind": "notice", "path": "$"},
        {"claim_id": "F1", "line": 1, "line_id": "F1-1",
         "rule": "PROCEDURE_DATE_NOT_COVERED", "severity": None, "kind": "notice",
         "path": "$.service_lines[0].procedure_code"},
        {"claim_id": "F1", "line": None, "line_id": None, "rule": "NCCI_TABLE_PAST_QUARTER",
         "severity": None, "kind": "notice", "path": "$"}]
    assert found.loc[0, "message"].startswith(
        "2040-01-01 is after the last date codekit's ICD-10-CM data describes (2027-03-31)")
    assert found.loc[0, "catalog"] == "docs/catalog.md#notices"
    assert (found.loc[0, "payer"], found.loc[0, "date_of_service"]) == \
        ("medicare", pd.Timestamp("2040-01-01"))
    assert found.attrs["codekit"] == {
        "claims": 1, "claims_with_findings": 0, "claims_with_errors": 0,
        "claims_with_notices": 1, "claims_outside_data": 1, "claims_with_rules_not_run": 1,
        "not_run": {"MUE_EXCEEDED": 1}}
    s = ckpd.summarize(found)
    assert (s.totals["claims"], s.totals["claims_with_findings"], s.totals["findings"],
            s.totals["notices"], s.totals["claims_with_notices"],
            s.totals["claims_outside_data"],
            s.totals["claims_with_rules_not_run"]) == (1, 0, 0, 3, 1, 1, 1)
    assert s.by_rule.empty
    assert s.notices.to_dict() == {"ICD10CM_DATE_NOT_COVERED": 1, "NCCI_TABLE_PAST_QUARTER": 1,
                                   "PROCEDURE_DATE_NOT_COVERED": 1}
    assert s.not_run.to_dict() == {"MUE_EXCEEDED": 1}
    assert repr(s) == "<Summary: 0 findings on 0 of 1 claims; 1 with notices; 1 judged " \
        "outside the data; 1 with edits not run>"
    html = s._repr_html_()
    assert "ICD10CM_DATE_NOT_COVERED" in html and "MUE_EXCEEDED" in html
    # a findings table without kind (made elsewhere): every row is a finding
    plain = ckpd.summarize(found.drop(columns=["kind"]).assign(severity="error"))
    assert (plain.totals["findings"], plain.totals["notices"]) == (3, 0)


def test_validate_pairs_dates_with_codes_by_index_label() -> None:
    codes = pd.Series(["E11.9", "G35"], index=[10, 20])
    days = pd.Series(["2025-10-01", "2025-06-01"], index=[20, 10])
    out = codes.codekit.validate(on=days)
    assert list(out.index) == [10, 20]
    assert out["valid"].tolist() == [True, False]
    assert out["rule"].tolist() == [None, "DX_NOT_VALID_ON_DOS"]
    assert out.loc[20, "message"].startswith("'G35': not valid on 2025-10-01: ")
    more = pd.Series(["2025-10-01", "2025-06-01", "2025-06-01"], index=[20, 10, 30])
    assert codes.codekit.validate(on=more)["rule"].tolist() == [None, "DX_NOT_VALID_ON_DOS"]
    with pytest.raises(InvalidArgument, match=r"no date for the code\(s\) labelled 10"):
        codes.codekit.validate(on=pd.Series(["2025-06-01"], index=[20]))
    with pytest.raises(InvalidArgument, match="repeated labels"):
        codes.codekit.validate(on=pd.Series(["2025-06-01"] * 2, index=[20, 20]))
    # a list of dates goes by position
    assert ckpd.validate(codes, on=["2025-10-01", "2025-06-01"])["rule"].tolist() == \
        [None, None]


def test_check_claims_lines_that_disagree_on_a_claim_field() -> None:
    lines = pd.DataFrame({
        "claim_id": ["C1", "C1", "C2", "C2"],
        "payer": ["medicare", "aetna", None, "Medicare "],
        "sex": ["F", "M", "F", "F"], "age": 70, "date_of_service": "2025-11-03",
        "dx1": ["E11.9", "I10", "E11", None], "line_id": ["C1-1", "C1-2", "C2-1", "C2-2"],
        "procedure_code": ["99213", "99214", "99213", "99214"], "units": 1, "pointer1": 1},
        index=[10, 11, 12, 13])
    before = lines.copy()
    found = ckpd.check_claims(lines)
    pd.testing.assert_frame_equal(lines, before)
    rows = found[["claim_id", "rule", "severity", "path", "message"]].to_dict("records")
    tail = "; a claim-level field must be the same on every line of the claim (or blank)"
    assert rows == [
        {"claim_id": "C1", "rule": "CLAIM_FORMAT_INVALID", "severity": "error",
         "path": "$.payer", "message": "the lines of the claim disagree on payer: "
         "'medicare' (row 10), 'aetna' (row 11)" + tail},
        {"claim_id": "C1", "rule": "CLAIM_FORMAT_INVALID", "severity": "error",
         "path": "$.patient.sex",
         "message": "the lines of the claim disagree on sex: 'F' (row 10), 'M' (row 11)" + tail},
        {"claim_id": "C1", "rule": "CLAIM_FORMAT_INVALID", "severity": "error",
         "path": "$.diagnoses", "message": "the lines of the claim disagree on dx1: "
         "'E11.9' (row 10), 'I10' (row 11)" + tail},
        # C2 goes on: a blank cell is no disagreement, its payer is read from row 13
        {"claim_id": "C2", "rule": "DX_NOT_BILLABLE", "severity": "error",
         "path": "$.diagnoses[0]", "message": found.loc[3, "message"]}]
    assert found.loc[3, "payer"] == "medicare"
    assert found.attrs["codekit"]["claims"] == 2
    c1, c2 = ckpd.claims_of(lines)
    assert isinstance(c1, ClaimFormatError) and len(c1.problems) == 3
    assert isinstance(c2, dict) and c2["payer"] == "Medicare " and c2["diagnoses"] == ["E11"]
    renamed = lines.rename(columns={"payer": "plan"})
    found = ckpd.check_claims(renamed, columns={"payer": "plan"})
    assert found.loc[0, "message"].startswith("the lines of the claim disagree on plan: ")


def test_check_claims_compares_what_it_reads_not_the_text() -> None:
    """Rows of one claim are compared by what the door reads: an age written "70" (a CSV
    read with dtype=str), "70.0" (a float column with gaps written to CSV) and 70 is one
    age; "100", 100.0 and "100.00" one total charge; a date, a timestamp and a date-time
    of one day one date of service. They were each a CLAIM_FORMAT_INVALID (the text
    compared), while the Spark door read the age and charge as one number."""
    lines = pd.DataFrame({
        "claim_id": ["C1", "C1", "C1", "C2", "C2"], "payer": "medicare", "sex": "F",
        "age": pd.Series(["70", "70.0", 70, "70", "71"], dtype=object),
        "total_charge": pd.Series(["100", 100.0, "100.00", "100", "100"], dtype=object),
        "date_of_service": pd.Series(
            ["2025-11-03", pd.Timestamp("2025-11-03 08:00"), "2025-11-03T09:00:00",
             "2025-11-03", "2025-11-03"], dtype=object),
        "dx1": ["E11", "e11 ", "E11", "E11.9", "E11.9"],
        "line_id": ["C1-1", "C1-2", "C1-3", "C2-1", "C2-2"],
        "procedure_code": ["99213", "36415", "80053", "99213", "36415"], "units": 1,
        "pointer1": 1})
    found = ckpd.check_claims(lines)
    assert found[["claim_id", "rule", "path"]].values.tolist() == [
        ["C1", "DX_NOT_BILLABLE", "$.diagnoses[0]"],
        # what differs is still said: ages 70 and 71
        ["C2", "CLAIM_FORMAT_INVALID", "$.patient.age"]]
    assert found.loc[1, "message"].startswith(
        "the lines of the claim disagree on age: '70' (row 3), '71' (row 4); ")
    c1 = ckpd.claims_of(lines)[0]
    assert isinstance(c1, dict)
    assert (c1["patient"]["age"], c1["total_charge"], c1["date_of_service"]) == (
        70, 100, "2025-11-03")


@pytest.mark.parametrize("pos", [2, "2", " 2", 2.0, "02"])
@pytest.mark.parametrize("column", ["place_of_service", "line_place_of_service"])
def test_check_claims_pads_a_place_of_service_that_lost_its_zero(column: str,
                                                                 pos: object) -> None:
    """Place of service 02 (telehealth) read from a CSV as the number 2 (or saved by Excel
    as "2") was the place "2", which no edit knows: 20610 (not on the Medicare
    Telehealth Services List) billed at it lost MOD_TELEHEALTH_NOT_ELIGIBLE. A CMS place
    of service is two digits: the door pads it, as it pads a revenue code (450: 0450)."""
    lines = pd.DataFrame({
        "claim_id": ["P1"], "payer": "medicare", "sex": "F", "age": 70,
        "date_of_service": "2025-11-03", "dx1": "M17.11", "procedure_code": ["20610"],
        "modifier1": "RT", "units": 1, "pointer1": 1, column: [pos]})
    found = ckpd.check_claims(lines)
    assert found[["rule", "path"]].values.tolist() == [
        ["MOD_TELEHEALTH_NOT_ELIGIBLE", "$.place_of_service"
         if column == "place_of_service" else "$.service_lines[0].place_of_service"]]
    assert "place of service 02 bills it as telehealth" in found.loc[0, "message"]


def test_check_claims_rows_without_a_claim_id_are_each_their_own() -> None:
    lines = pd.DataFrame({
        "claim_id": ["C1", None, "C1", np.nan, pd.NA], "payer": "medicare", "sex": "F",
        "age": 70, "date_of_service": "2025-11-03",
        "dx1": ["E11.9", "E11", "E11.9", "E11", "E11"],
        "line_id": ["L1", "L2", "L3", "L4", None],
        "procedure_code": ["99213", "99213", "G0439", "99213", "99213"], "units": 1,
        "pointer1": 1}, index=list("abcde"))
    found = ckpd.check_claims(lines)
    tail = (": a line without its claim's id cannot be put with the other lines of its "
            "claim, so it was not checked")
    assert found[["claim_id", "rule", "path", "message"]].to_dict("records") == [
        {"claim_id": None, "rule": "CLAIM_FORMAT_INVALID", "path": "$.claim_id",
         "message": "missing on row 'b' (line_id 'L2')" + tail},
        {"claim_id": None, "rule": "CLAIM_FORMAT_INVALID", "path": "$.claim_id",
         "message": "missing on row 'd' (line_id 'L4')" + tail},
        {"claim_id": None, "rule": "CLAIM_FORMAT_INVALID", "path": "$.claim_id",
         "message": "missing on row 'e'" + tail}]
    assert found.attrs["codekit"]["claims"] == 4  # C1 (lines L1 and L3), and three rows
    claims = ckpd.claims_of(lines)
    assert [len(c["service_lines"]) if isinstance(c, dict) else None for c in claims] == \
        [2, None, None, None]
    s = ckpd.summarize(found)
    assert (s.totals["claims"], s.totals["claims_with_findings"],
            s.totals["claims_with_errors"]) == (4, 3, 3)


def test_check_claims_ids_of_mixed_types_are_one_claim_as_shown() -> None:
    # a column put together from a CSV (text) and a spreadsheet (numbers): "7", 7 and 7.0
    # are one claim '7', not three claims all reported as '7'; "7.0" as text stays its own
    lines = pd.DataFrame({
        "claim_id": ["7", 7, 7.0, "7.0", np.int64(8), "8"], "payer": "medicare", "sex": "F",
        "age": 70, "date_of_service": "2025-11-03", "dx1": "E11.9",
        "procedure_code": ["99213", "82947", "93000", "99213", "99214", "82947"],
        "units": [1, 1, 0, 1, 1, 1], "pointer1": 1})
    before = lines.copy()
    claims = ckpd.claims_of(lines)
    assert [(c["claim_id"], [ln["procedure_code"] for ln in c["service_lines"]])
            for c in claims] == [("7", ["99213", "82947", "93000"]), ("7.0", ["99213"]),
                                 ("8", ["99214", "82947"])]
    found = ckpd.check_claims(lines)
    assert found.attrs["codekit"]["claims"] == 3
    assert found[["claim_id", "rule", "path"]].to_dict("records") == [
        {"claim_id": "7", "rule": "UNITS_INVALID", "path": "$.service_lines[2].units"}]
    pd.testing.assert_frame_equal(lines, before)


def test_check_claims_columns_must_be_a_mapping() -> None:
    with pytest.raises(InvalidArgument, match=r"columns: expected a mapping .* got list"):
        ckpd.check_claims(LINES, columns=[("procedure_code", "cpt")])  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="both as text"):
        ckpd.check_claims(LINES, columns={"procedure_code": 5})  # type: ignore[dict-item]


def test_check_claims_codes_under_a_name_codekit_does_not_read() -> None:
    """A 'cpt' column was not read: every claim had no lines and came back clean."""
    table = LINES.rename(columns={"procedure_code": "cpt"})
    with pytest.raises(InvalidArgument) as info:
        ckpd.check_claims(table)
    assert str(info.value) == (
        "the table has no procedure_code column codekit reads, but has 'cpt': pass "
        "columns={'procedure_code': 'cpt'} (see docs/pandas.md for the names read)")
    assert ckpd.check_claims(table, columns={"procedure_code": "cpt"}).equals(
        ckpd.check_claims(LINES))
    dx = [c for c in LINES.columns if str(c).startswith("dx")]
    table = LINES.drop(columns=dx[1:]).rename(columns={dx[0]: "Diagnosis"})
    with pytest.raises(InvalidArgument, match=r"no diagnoses column .* has 'Diagnosis': "
                       r"pass columns=\{'dx1': 'Diagnosis'\}"):
        ckpd.check_claims(table)


def test_check_claims_numbered_columns_under_an_export_name() -> None:
    """dx1.. named diag1.. (ICD10 Dx 1, DIAG_CD_1), pointer1 named ptr1 and modifier1
    named cpt_mod1 were not read: every claim had DX_MISSING, every line PTR_MISSING, and
    modifier RT on 20610 was dropped without a word."""
    table = LINES.rename(columns={"dx1": "ICD10 Dx 1", "dx2": "ICD10 Dx 2"})
    with pytest.raises(InvalidArgument) as info:
        ckpd.check_claims(table)
    assert str(info.value) == (
        "the table has no diagnosis columns codekit reads, but has 'ICD10 Dx 1', "
        "'ICD10 Dx 2': pass columns={'dx1': 'ICD10 Dx 1', 'dx2': 'ICD10 Dx 2'} (see "
        "docs/pandas.md for the names read)")
    mapped = ckpd.check_claims(table, columns={"dx1": "ICD10 Dx 1", "dx2": "ICD10 Dx 2"})
    assert mapped.equals(ckpd.check_claims(LINES))
    with pytest.raises(InvalidArgument, match=r"no diagnosis columns .* has 'DIAG_CD_1'"):
        ckpd.check_claims(LINES.drop(columns="dx2").rename(columns={"dx1": "DIAG_CD_1"}))
    with pytest.raises(InvalidArgument, match=r"no diagnosis pointer columns codekit "
                       r"reads, but has 'dx_ptr1': pass columns=\{'pointer1': 'dx_ptr1'\}"):
        ckpd.check_claims(LINES.rename(columns={"pointer1": "dx_ptr1"}))
    with pytest.raises(InvalidArgument, match=r"no modifier columns codekit reads, but has "
                       r"'cpt_mod1': pass columns=\{'modifier1': 'cpt_mod1'\}"):
        ckpd.check_claims(LINES.rename(columns={"modifier1": "cpt_mod1"}))
    # a column 'icd10' (one code a row) is the unnumbered name, not diagnosis 10
    with pytest.raises(InvalidArgument, match=r"no diagnoses column .* has 'icd10': pass "
                       r"columns=\{'dx1': 'icd10'\}"):
        ckpd.check_claims(LINES.drop(columns="dx2").rename(columns={"dx1": "icd10"}))


@pytest.mark.parametrize(("theirs", "field"), [
    ("DOS", "date_of_service"), ("service_date", "date_of_service"), ("gender", "sex"),
    ("units_of_service", "units"), ("modifier", "modifiers"),
    ("principal_diagnosis", "dx1")])
def test_check_claims_fields_under_an_export_name(theirs: str, field: str) -> None:
    """A date of service in 'DOS', the sex in 'gender', units in 'units_of_service' were
    not read: a CLAIM_FORMAT_INVALID or UNITS_INVALID on every claim, which did not say
    that the table has the column; modifiers in 'modifier' were dropped silently."""
    ours = {"modifiers": "modifier1", "dx1": "dx1"}.get(field, field)
    table = LINES.drop(columns="dx2" if field == "dx1" else []).rename(
        columns={ours: theirs})
    with pytest.raises(InvalidArgument) as info:
        ckpd.check_claims(table)
    want = "diagnoses" if field == "dx1" else field
    assert str(info.value) == (
        f"the table has no {want} column codekit reads, but has {theirs!r}: pass "
        f"columns={{{field!r}: {theirs!r}}} (see docs/pandas.md for the names read)")
    if field != "modifiers":  # one modifier column read as a list: the same claims
        assert ckpd.check_claims(table, columns={field: theirs}).equals(
            ckpd.check_claims(LINES.drop(columns="dx2" if field == "dx1" else [])))


def test_check_claims_an_export_name_beside_the_field_read_is_left_alone() -> None:
    """Only a field codekit would miss is said: 'dob' beside 'age', 'dos' beside the
    line dates, 'qty' beside 'units' are other columns of the table."""
    table = LINES.assign(dob="1955-01-01", qty=3, line_date="2025-11-03")
    assert ckpd.check_claims(table.drop(columns="date_of_service").assign(dos="x")).equals(
        ckpd.check_claims(table.drop(columns="date_of_service")))
    assert ckpd.check_claims(table).equals(ckpd.check_claims(LINES.assign(
        line_date="2025-11-03")))


def test_check_claims_row_is_the_input_row_of_the_line() -> None:
    """The findings table had no way back to the row of the table: ``line`` counts a
    claim's lines after ordering them by a ``line`` column, which no merge can redo.
    ``row`` is the index label of the line's row (None for a finding about the claim),
    for a claim that could not be read and for a notice at a line too."""
    lines = pd.DataFrame({
        "claim_id": ["C1", "C2", "C1", "C2", "C3"], "payer": "medicare", "sex": "F",
        "age": 70, "date_of_service": ["2025-11-03"] * 4 + ["2040-01-02"],
        "dx1": ["M17.11", "E11", "M17.11", "E11", "E11.9"], "line": [2, 1, 1, 2, 1],
        "procedure_code": ["20610", "99213", "99213", "G0439", "99213"],
        "units": [1, 0, 1, "x", 1], "pointer1": 1}, index=[101, 102, 103, 104, 105])
    found = lines.codekit.check_claims()
    assert list(found.columns) == list(ckpd.FINDING_COLUMNS)
    assert ckpd.FINDING_COLUMNS[-1] == "row"
    assert found.row.dtype == "Int64"
    # C2 cannot be read (units 'x' on its line 2, row 104); C3 is judged with notices
    assert found[["claim_id", "line", "rule", "row"]].astype(object).where(
        found[["claim_id", "line", "rule", "row"]].notna(), None).to_dict("records") == [
        {"claim_id": "C1", "line": 2, "rule": "MOD_LATERALITY_MISSING", "row": 101},
        {"claim_id": "C2", "line": 2, "rule": "CLAIM_FORMAT_INVALID", "row": 104},
        {"claim_id": "C3", "line": None, "rule": "ICD10CM_DATE_NOT_COVERED", "row": None},
        {"claim_id": "C3", "line": 1, "rule": "PROCEDURE_DATE_NOT_COVERED", "row": 105},
        {"claim_id": "C3", "line": None, "rule": "NCCI_TABLE_PAST_QUARTER", "row": None}]
    joined = found.join(lines[["procedure_code"]], on="row")
    assert joined.procedure_code.tolist()[:2] == ["20610", "G0439"]
    # any index: text labels, a MultiIndex's tuples (object column)
    found = lines.set_axis(list("abcde")).codekit.check_claims()
    assert found.row.dtype == object and found.row.tolist()[:2] == ["a", "d"]
    multi = pd.MultiIndex.from_tuples([("x", 1), ("x", 2), ("y", 1), ("y", 2), ("z", 1)])
    assert lines.set_axis(multi).codekit.check_claims().row.tolist()[:2] == [
        ("x", 1), ("y", 2)]
    assert ckpd.check_claims(lines.iloc[:0]).row.dtype == "Int64"


def test_check_claims_reads_the_claim_id_from_the_index() -> None:
    """lines.set_index("claim_id") (read_csv(index_col="claim_id")) raised "the table
    needs a claim_id column"; pandas' groupby and merge take an index level's name where
    a column's goes. Named levels that are not columns are read as columns; the caller's
    frame is not changed, and ``row`` is its own index label."""
    indexed = LINES.set_index(["claim_id", "line_id"])
    before = indexed.copy()
    found = indexed.codekit.check_claims()
    assert found.drop(columns="row").equals(ckpd.check_claims(LINES).drop(columns="row"))
    assert found.row.tolist() == [
        None if r is None else tuple(LINES.loc[r, ["claim_id", "line_id"]])
        for r in ckpd.check_claims(LINES).row.astype(object).where(
            ckpd.check_claims(LINES).row.notna(), None)]
    pd.testing.assert_frame_equal(indexed, before)
    renamed = LINES.rename(columns={"claim_id": "ClaimNo"}).set_index("ClaimNo")
    assert ckpd.check_claims(renamed, columns={"claim_id": "ClaimNo"}).drop(
        columns="row").equals(ckpd.check_claims(LINES).drop(columns="row"))


def test_dates_in_a_spreadsheet_shape_say_how_to_convert_them() -> None:
    """11/03/2025, an Excel serial date (45964) and 20251103 read from a CSV as a number
    were "not a date (YYYY-MM-DD...)", with no word of the pd.to_datetime call that reads
    each; each is still refused (the text cannot say month/day from day/month)."""
    lines = pd.DataFrame({
        "claim_id": ["C1", "C2", "C3"], "payer": "medicare", "sex": "F",
        "Birth Date": ["1955-04-05", 20240, "1955-04-05"],
        "DOS": ["11/03/2025", 45964, 20251103], "dx1": "E11.9", "procedure_code": "99213",
        "units": 1, "pointer1": 1})
    found = ckpd.check_claims(lines, columns={"date_of_service": "DOS"})
    assert found[["claim_id", "rule", "path", "message"]].to_dict("records") == [
        {"claim_id": "C1", "rule": "CLAIM_FORMAT_INVALID", "path": "$.date_of_service",
         "message": "not a date (YYYY-MM-DD, or an ISO date-time): '11/03/2025'; a date "
                    "written with slashes is not read (03/11/2025 is March 11 in the US, 3 "
                    "November elsewhere): convert the column first, "
                    "pd.to_datetime(df['DOS'], format='%m/%d/%Y')"},
        {"claim_id": "C2", "rule": "CLAIM_FORMAT_INVALID", "path": "$.date_of_service",
         "message": "not a date (YYYY-MM-DD, or an ISO date-time): 45964; a number is not "
                    "a date: if it is an Excel serial date (45964 is 2025-11-03), convert "
                    "the column first, pd.to_datetime(df['DOS'], unit='D', "
                    "origin='1899-12-30')"},
        {"claim_id": "C2", "rule": "CLAIM_FORMAT_INVALID", "path": "$.patient.birth_date",
         "message": "not a date (YYYY-MM-DD, or an ISO date-time): 20240; a number is not "
                    "a date: if it is an Excel serial date (20240 is 1955-05-31), convert "
                    "the column first, pd.to_datetime(df['Birth Date'], unit='D', "
                    "origin='1899-12-30')"},
        {"claim_id": "C3", "rule": "CLAIM_FORMAT_INVALID", "path": "$.date_of_service",
         "message": "not a date (YYYY-MM-DD, or an ISO date-time): 20251103; a number is "
                    "not a date: if it is year, month and day (20251103), convert the "
                    "column first, pd.to_datetime(df['DOS'].astype(str), format='%Y%m%d')"}]
    # converted as said, the claims are read (and clean)
    fixed = lines.assign(DOS=pd.to_datetime(["2025-11-03"] * 3),
                         **{"Birth Date": "1955-04-05"})
    assert ckpd.check_claims(fixed, columns={"date_of_service": "DOS"}).empty
    out = pd.DataFrame({"dx": ["E11.9"], "dos": ["11/03/2025"]}).codekit.validate(
        "dx", on="dos")
    assert out.loc[0, "rule"] == "DATE_INVALID"
    assert out.loc[0, "message"].endswith("pd.to_datetime(df['dos'], format='%m/%d/%Y')")


def test_the_accessor_reads_columns_by_any_label() -> None:
    """A frame read without a header has columns 0, 1...: validate(0, on=1) said "no such
    column"; two columns of one name said "got a DataFrame", which the caller had not
    passed."""
    df = pd.DataFrame({0: ["E11.9", "G35"], 1: ["2025-06-01", "2025-11-03"]})
    assert df.codekit.validate(0, on=1)["rule"].tolist() == [None, "DX_NOT_VALID_ON_DOS"]
    twice = pd.DataFrame([["E11.9", "I10"]], columns=["dx", "dx"])
    with pytest.raises(InvalidArgument, match=r"column='dx': 2 columns of the frame have "
                       "this name"):
        twice.codekit.validate("dx", on="2025-11-03")


def test_a_diagnoses_cell_splits_on_spaces_too() -> None:
    """'E11.9 E11' in a diagnoses cell was one code (DX_FORMAT_INVALID) where
    codekit.cells reads two."""
    table = pd.DataFrame({
        "claim_id": ["C1"], "payer": "medicare", "sex": "F", "age": 70,
        "date_of_service": "2025-11-03", "diagnoses": ["E11.9 E11; I10,J45.909"],
        "procedure_code": "99213", "units": 1, "pointer1": 1})
    (claim,) = ckpd.claims_of(table)
    assert isinstance(claim, dict)
    assert claim["diagnoses"] == ["E11.9", "E11", "I10", "J45.909"]


def test_numbers_of_every_numeric_type_read_as_codes() -> None:
    """A nullable Int64 column (df.convert_dtypes()), NumPy numbers in an object column
    and float32 are read as int64/float64 columns are: 99213 is CPT 99213."""
    note = "read as 99213: the code was stored as a number"
    for series in (pd.Series([99213, None], dtype="Int64"),
                   pd.Series([99213.0, None], dtype="Float64"),
                   pd.Series([np.int64(99213), None], dtype=object),
                   pd.Series([np.float32(99213.0), None], dtype=object),
                   pd.Series([np.uint32(99213), None], dtype=object),
                   pd.Series([99213, np.nan], dtype="float32"),
                   pd.Series([99213, 0]).convert_dtypes().where([True, False])):
        out = ckpd.validate(series, on="2025-06-01", system="cpt")
        assert out["rule"].tolist() == [None, "CODE_MISSING"], series.dtype
        assert (out.loc[0, "code"], out.loc[0, "valid"], out.loc[0, "note"]) == \
            ("99213", True, note), series.dtype
    hcpcs = ckpd.validate(pd.Series([np.int64(99213)], dtype=object), on="2025-06-01",
                          system="procedure")
    assert hcpcs["rule"].tolist() == [None]


@pytest.mark.parametrize("processes", [1, 2])
def test_a_claim_whose_check_fails_is_its_row_and_the_frame_comes_back(
        processes: int) -> None:
    """A codekit bug met by one claim (a rule raising KeyError for claim BAD) raised out
    of check_claims: no frame at all. The claim is now its CLAIM_CHECK_FAILED error row,
    counted with the errors, and the others are checked."""
    from tests.test_batch import BROKEN

    table = LINES[LINES["claim_id"].isin(["C1", "C3"])].copy()
    table.loc[table["claim_id"] == "C3", ["claim_id", "line_id"]] = ["BAD", "BAD-1"]
    found = ckpd.check_claims(table, checker=BROKEN, processes=processes)
    got = list(zip(found["claim_id"], found["rule"], found["severity"], strict=True))
    assert got == [("C1", "DX_EXCLUDES1_CONFLICT", "warning"),
                   ("BAD", "CLAIM_CHECK_FAILED", "error")]
    assert "KeyError: 'no entry for " in found["message"].iloc[1]
    assert found.attrs["codekit"]["claims_with_errors"] == 1


def test_check_claims_reads_a_lines_own_rendering_provider(tmp_path: Path) -> None:
    """A group's table names each line's rendering NPI (837P 2420A) in
    ``line_rendering_provider``: the NCCI practitioner PTP edit pairs only one provider's
    lines, so 29881 and 29877 (indicator 0) by two NPIs are no pair; by one NPI they
    are. Before, the column was not read: every line was the claim's provider's."""
    from codekit import Checker, ncci

    (tmp_path / "ptp.csv").write_text(
        "column1,column2,effective,deletion,modifier\n29881,29877,2012-01-01,,0\n")
    checker = Checker(ptp=ncci.load_ptp(tmp_path / "ptp.csv", setting="practitioner"),
                      policies=())

    def table(second: str | None) -> pd.DataFrame:
        return pd.DataFrame({
            "claim_id": ["G1", "G1"], "payer": "medicare", "sex": "F",
            "birth_date": "1960-01-01", "date_of_service": "2025-11-20", "dx1": "M23.221",
            "billing_provider": "1234567893", "procedure_code": ["29881", "29877"],
            "modifier1": "RT", "units": 1, "pointer1": 1,
            "line_rendering_provider": ["1245319599", second]})

    claim = ckpd.claims_of(table("1003000126"))[0]
    assert isinstance(claim, dict)
    assert [ln.get("rendering_provider") for ln in claim["service_lines"]] == [
        "1245319599", "1003000126"]

    def pairs(found: pd.DataFrame) -> list[list[str]]:
        return found[found.rule == "NCCI_PTP_CONFLICT"][["rule", "path"]].values.tolist()

    assert pairs(ckpd.check_claims(table("1003000126"), checker=checker)) == []
    assert pairs(ckpd.check_claims(table("1245319599"), checker=checker)) == [
        ["NCCI_PTP_CONFLICT", "$.service_lines[1].procedure_code"]]


def test_check_claims_reads_the_patients_name() -> None:
    """A claim dict, a FHIR Claim, an 837 and the Spark door's patient struct carry the
    patient's name, and write_837 requires it (NM103); the pandas door read no column of
    it, so every claim of a table was refused by write_837 ("an 837P requires what the
    claim does not have: patient.name"). ``patient_name`` fills it, compared across the
    claim's rows as every claim field is."""
    lines = pd.DataFrame({
        "claim_id": ["N1", "N1"], "payer": "medicare", "patient_id": "1EG4TE5MK73",
        "patient_name": ["ROE, ANN", "Roe, Ann "], "sex": "F", "birth_date": "1955-03-01",
        "date_of_service": "2025-11-03", "dx1": "E11.9", "procedure_code": ["99213", "36415"],
        "units": 1, "pointer1": 1, "charge": [125, 15], "billing_provider": "1234567893",
        "place_of_service": "11"})
    (claim,) = ckpd.claims_of(lines)
    assert isinstance(claim, dict)
    assert claim["patient"] == {"id": "1EG4TE5MK73", "name": "ROE, ANN", "sex": "F",
                                "birth_date": "1955-03-01"}
    pytest.importorskip("pyx12")
    from codekit import Claim
    from codekit.x12 import read_claims, write_837

    text = write_837([Claim.from_dict(claim)], date=dt.date(2025, 11, 10), newline="\n")
    assert isinstance(text, str)
    (back,) = [r.claim for r in read_claims(text.encode()) if r.kind == "claim"]
    assert back is not None and back.patient.name == "ROE, ANN"
    other = lines.assign(patient_name=["ROE, ANN", "DOE, JOHN"])
    assert [(r.rule, r.path, r.message) for r in ckpd.check_claims(other).itertuples()] == [
        ("CLAIM_FORMAT_INVALID", "$.patient.name", "the lines of the claim disagree on "
         "patient_name: 'ROE, ANN' (row 0), 'DOE, JOHN' (row 1); a claim-level field must "
         "be the same on every line of the claim (or blank)")]

"""codekit.pandas: columns validated in bulk agree with the per-code verbs, row by row;
bad cells and dates are rows with a reason; claims from a long table; summaries."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

import codekit.pandas as ckpd
from codekit import InvalidArgument, _cache, icd10cm
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
    assert out.loc[4, "message"] == ("not a date of service: 20250601 (expected YYYY-MM-DD "
                                     "or an ISO date-time)")
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
    assert found.attrs["codekit"] == {"claims": 4, "claims_with_findings": 3,
                                      "claims_with_errors": 2}  # C1's is a warning


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

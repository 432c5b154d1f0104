"""codekit.pandas with the frames analysts really have: pyarrow and Period dates, nullable
and boolean dtypes, MultiIndex and repeated labels, column names as people write them,
summaries of hand-made tables, and findings exported to Excel without formula injection."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import codekit.pandas as ckpd
from codekit import Claim, ClaimFormatError, InvalidArgument, _progress, _xlsx
from tests.conftest import TickingClock

pytest.importorskip("pyarrow")


def test_pyarrow_dates_are_dates() -> None:
    """A date32/date64 column (read_parquet, dtype_backend="pyarrow") raised NumPy's
    ValueError "Could not convert object to NumPy datetime"."""
    for dtype in ("date32[pyarrow]", "date64[pyarrow]"):
        days = pd.Series([dt.date(2025, 6, 1), dt.date(2025, 10, 1), None], dtype=dtype)
        out = ckpd.validate(pd.Series(["G35", "G35", "G35"]), on=days)
        assert out["rule"].tolist() == [None, "DX_NOT_VALID_ON_DOS", "DATE_INVALID"], dtype
        assert out.loc[2, "message"] == "the date of service is missing"
        assert out.loc[1, "message"].startswith("'G35': not valid on 2025-10-01: ")


def test_period_dates_are_their_day() -> None:
    """A daily Period (df["dos"].dt.to_period("D")) was "not a date of service"; a month
    is not a day and says so."""
    days = pd.Series(pd.PeriodIndex(["2025-06-01", "2025-10-01", None], freq="D"))
    out = ckpd.validate(pd.Series(["G35"] * 3), on=days)
    assert out["rule"].tolist() == [None, "DX_NOT_VALID_ON_DOS", "DATE_INVALID"]
    assert ckpd.validate(["G35"], on=pd.Period("2025-10-01", freq="D"))["rule"].tolist() \
        == ["DX_NOT_VALID_ON_DOS"]
    assert ckpd.validate(["E11.9"], on=[pd.Period("2025-06-01 10:00", freq="h")]
                         )["valid"].tolist() == [True]
    month = ckpd.validate(["E11.9"], on=pd.Series(pd.PeriodIndex(["2025-06"], freq="M")))
    assert (month.loc[0, "rule"], month.loc[0, "message"]) == (
        "DATE_INVALID", "not a date of service: 2025-06 is a period of more than one day "
        "(freq M); give the day of service")
    with pytest.raises(InvalidArgument, match=r"on=Period\('2025-06', 'M'\): not a date"):
        ckpd.validate(["E11.9"], on=pd.Period("2025-06", freq="M"))
    lines = _lines()
    periods = lines.assign(date_of_service=pd.Series(
        pd.PeriodIndex(["2025-11-03"] * 3, freq="D")))
    assert ckpd.check_claims(periods).equals(ckpd.check_claims(lines))


def test_a_boolean_cell_is_named_plainly() -> None:
    out = ckpd.validate(pd.Series([True, pd.NA], dtype="boolean"), on="2025-06-01")
    assert out["rule"].tolist() == ["DX_FORMAT_INVALID", "CODE_MISSING"]
    assert out.loc[0, "message"] == "expected a code as text, got bool True"  # not np.True_


def _lines(**fields: object) -> pd.DataFrame:
    row: dict[str, object] = {
        "claim_id": ["C1", "C1", "C2"], "payer": "medicare", "sex": "F", "age": 70,
        "date_of_service": "2025-11-03", "dx1": ["E11.9", "E11.9", "E11"],
        "line_id": ["L1", "L2", "L3"], "procedure_code": ["99213", "G0439", "99213"],
        "units": [1, 1, 0], "pointer1": 1}
    row.update(fields)
    return pd.DataFrame(row)


TAIL = "; a claim-level field must be the same on every line of the claim (or blank)"


def test_row_labels_of_a_multiindex_and_of_repeated_labels() -> None:
    """A MultiIndex label was shown as ('a', np.int64(1)); a repeated label alone did not
    say which row (both rows '0')."""
    table = _lines(payer=["medicare", "aetna", "medicare"])
    multi = table.set_axis(pd.MultiIndex.from_tuples([("a", 1), ("a", 2), ("b", 1)]))
    found = ckpd.check_claims(multi)
    assert found.loc[0, "message"] == ("the lines of the claim disagree on payer: "
                                       "'medicare' (row ('a', 1)), 'aetna' (row ('a', 2))"
                                       + TAIL)
    repeated = table.set_axis([0, 0, 1])
    before = repeated.copy()
    found = ckpd.check_claims(repeated)
    assert found.loc[0, "message"] == ("the lines of the claim disagree on payer: "
                                       "'medicare' (row 0, iloc 0), 'aetna' (row 0, iloc 1)"
                                       + TAIL)
    pd.testing.assert_frame_equal(repeated, before)
    no_id = _lines(claim_id=["C1", None, "C2"]).set_axis([5, 5, 6])
    assert ckpd.check_claims(no_id).loc[0, "message"].startswith(
        "missing on row 5, iloc 1 (line_id 'L2'): ")


def test_column_names_written_with_other_case_and_spacing() -> None:
    """'DX1' was not read: every claim came back DX_MISSING; 'Claim ID' raised "needs a
    claim_id column"."""
    plain = ckpd.check_claims(_lines())
    assert plain[["claim_id", "rule"]].to_dict("records") == [
        {"claim_id": "C2", "rule": "DX_NOT_BILLABLE"},
        {"claim_id": "C2", "rule": "UNITS_INVALID"}]
    renamed = _lines().rename(columns={
        "claim_id": "Claim ID", "dx1": "DX1", "date_of_service": "Date of Service",
        "procedure_code": "Procedure-Code", "payer": " PAYER ", "line_id": "Line_ID"})
    before = renamed.copy()
    assert ckpd.check_claims(renamed).equals(plain)
    pd.testing.assert_frame_equal(renamed, before)
    assert renamed.columns[0] == "Claim ID"
    disagree = _lines(payer=["medicare", "aetna", "medicare"]).rename(
        columns={"payer": "Payer"})
    assert ckpd.check_claims(disagree).loc[0, "message"].startswith(
        "the lines of the claim disagree on Payer: ")
    both = _lines().assign(Payer="aetna")
    with pytest.raises(InvalidArgument, match="columns 'payer' and 'Payer' are both read "
                       "as payer: drop or rename one"):
        ckpd.check_claims(both)


def test_summary_months_of_every_kind_of_date() -> None:
    """A time-zone aware date_of_service warned (UserWarning, in the notebook); Periods and
    ISO date-times beside dates were all month 'unknown'."""
    found = ckpd.check_claims(_lines())
    aware = found.assign(date_of_service=found["date_of_service"].dt.tz_localize(
        "America/New_York"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ckpd.summarize(aware).by_month.index.tolist() == ["2025-11"]
    period = found.assign(date_of_service=found["date_of_service"].dt.to_period("D"))
    assert ckpd.summarize(period).by_month.index.tolist() == ["2025-11"]
    text = found.assign(date_of_service=["2025-11-03", "2025-12-04T10:00:00"])
    assert ckpd.summarize(text).by_month.index.tolist() == ["2025-11", "2025-12"]
    mixed = found.assign(date_of_service=pd.Series(
        [pd.Timestamp("2025-11-03", tz="UTC"), pd.Timestamp("2025-12-03", tz="Asia/Tokyo")],
        dtype=object))
    assert ckpd.summarize(mixed).by_month.index.tolist() == ["2025-11", "2025-12"]


def _sheet(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_findings_to_excel_never_write_a_formula() -> None:
    """DataFrame.to_excel (openpyxl) stores a text starting with '=' as a formula: a claim
    id or code from anyone runs when the workbook is opened."""
    lines = _lines(claim_id=["=1+2", "=1+2", "@SUM(A1)"],
                   procedure_code=["99213", "-2+3", "99213"])
    found = ckpd.check_claims(lines)
    found.loc[0, "message"] = "+" + "x" * 40_000 + "\x00é"
    before = found.copy()
    buf = io.BytesIO()
    found.codekit.to_excel(buf)
    pd.testing.assert_frame_equal(found, before)
    sheet = _sheet(buf.getvalue())
    assert "<f>" not in sheet and "<f " not in sheet
    assert '<c r="A2" t="inlineStr" s="1"><is><t>=1+2</t></is></c>' in sheet
    assert re.search(r'<c r="H[0-9]+" t="inlineStr" s="1"><is><t>-2\+3</t></is></c>', sheet)
    assert "\x00" not in sheet
    rows = list(_xlsx.iter_rows(_save(buf, "found.xlsx")))
    assert rows[0] == (1, list(ckpd.FINDING_COLUMNS))
    got = {r[1][3]: r[1] for r in rows[1:]}
    assert len(rows) == len(found) + 1
    message = rows[1][1][8]
    assert len(message) == _xlsx.MAX_CELL_CHARS
    assert message.startswith("+xxx") and message.endswith(" [cut: 40,002 characters]")
    units = got["UNITS_INVALID"]
    assert (units[0], units[1], units[7], units[9], units[13]) == \
        ("@SUM(A1)", "1", "99213", "", "2025-11-03")
    fmt = got["PROC_FORMAT_INVALID"]
    assert (fmt[7], fmt[9]) == ("-2+3", "23000, 23020, 23030, 23031, 23035")
    dx = next(r[1] for r in rows[1:] if r[1][3] == "DX_NOT_BILLABLE")
    assert dx[9].startswith("E11.00, E11.01, ")


def _save(buf: io.BytesIO, name: str) -> str:
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(buf.getvalue())
    return str(path)


def test_to_excel_of_any_frame() -> None:
    out = ckpd.validate(pd.Series(["E11.9", "É11", None], index=pd.MultiIndex.from_tuples(
        [("a", 1), ("a", 2), ("b", 1)], names=["site", "n"])), on="2025-06-01")
    buf = io.BytesIO()
    ckpd.to_excel(out, buf, index=True, sheet="dx")
    rows = [r for _, r in _xlsx.iter_rows(_save(buf, "dx.xlsx"))]
    assert rows[0] == ["site", "n", *ckpd.COLUMNS]
    assert rows[1][:6] == ["a", "1", "E11.9", "1", "1", ""]
    assert rows[2][:6] == ["a", "2", "", "0", "0", "DX_FORMAT_INVALID"]
    assert rows[3][5] == "CODE_MISSING"
    assert "É11" in rows[2][6]
    wb = zipfile.ZipFile(io.BytesIO(buf.getvalue())).read("xl/workbook.xml").decode()
    assert '<sheet name="dx"' in wb
    series = io.BytesIO()
    ckpd.to_excel(pd.Series([np.int64(1), np.nan, pd.NaT], name="x", dtype=object), series)
    assert [r for _, r in _xlsx.iter_rows(_save(series, "s.xlsx"))] == \
        [["x"], ["1"], [], []]  # two empty rows
    empty = io.BytesIO()
    ckpd.to_excel(pd.DataFrame(), empty)
    assert list(_xlsx.iter_rows(_save(empty, "e.xlsx"))) == [(1, [])]
    with pytest.raises(InvalidArgument, match="sheet="):
        ckpd.to_excel(out, io.BytesIO(), sheet="a/b")
    with pytest.raises(InvalidArgument, match="expected a DataFrame"):
        ckpd.to_excel([1, 2], io.BytesIO())  # type: ignore[arg-type]


def test_a_column_name_with_other_case_is_named() -> None:
    df = pd.DataFrame({"DX": ["E11.9"], "Date of Service": ["2025-06-01"]})
    with pytest.raises(InvalidArgument, match=r"^column='dx': no such column \(the frame "
                       r"has 'DX'\)$"):
        df.codekit.validate("dx", on="Date of Service")
    with pytest.raises(InvalidArgument, match=r"no such column, and not a date"):
        df.codekit.validate("DX", on="date_of_service")


def test_a_summary_of_huge_values_stays_small() -> None:
    """A findings table whose payer is a megabyte of text made a megabyte of HTML."""
    found = ckpd.check_claims(_lines())
    found["payer"] = "<b>" + "p" * 1_000_000
    html = ckpd.summarize(found)._repr_html_()
    assert len(html) < 20_000  # the styled tables: about 10 KB
    assert "&lt;b&gt;ppp" in html and "... (1,000,003 characters)</span>" in html
    assert "<b>ppp" not in html


def test_suggest_false_works_out_no_did_you_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    """A column of procedure codes with suggest=False worked out every unknown code's
    did-you-mean (a few ms each distinct (code, date)) and then dropped it."""
    from codekit import procedure

    asked: list[object] = []
    real = procedure.suggest
    monkeypatch.setattr(procedure, "suggest",
                        lambda code, **kw: asked.append(code) or real(code, **kw))
    codes = pd.Series(["W1234", "99213", "W1234", "99Z13", "99201"])
    days = pd.Series(pd.to_datetime(["2023-11-17", "2023-11-17", "2023-11-18",
                                     "2023-11-19", "2023-11-19"]))
    out = ckpd.validate(codes, on=days, system="procedure", suggest=False)
    assert out["rule"].tolist() == [
        "PROC_FORMAT_INVALID", None, "PROC_FORMAT_INVALID", "PROC_FORMAT_INVALID",
        "PROC_NOT_VALID_ON_DOS"]
    assert out["fix"].tolist() == [()] * 5
    assert asked == []
    out = ckpd.validate(codes, on=days, system="procedure")
    assert out.loc[3, "fix"] == tuple(real("99Z13", on="2023-11-19"))
    assert out.loc[3, "fix"][0] == "99213" and asked


def test_an_invisible_character_in_a_cell_is_noted() -> None:
    """'E11.9' with a zero-width space after it was valid with no note: read past in
    silence."""
    note = "read as E11.9: the invisible character U+200B (zero width space) was dropped"
    out = ckpd.validate(pd.Series(["E11.9\u200b", "E11.9", "E11.9\u200b"]),
                        on=pd.Series(["2025-06-01", "2025-06-01", "2030-01-01"]))
    assert out["valid"].tolist() == [True, True, True]
    assert out["code"].tolist() == ["E11.9"] * 3
    assert out["note"].tolist()[:2] == [note, None]
    assert out.loc[2, "note"].startswith(note + " the date is after the last date")
    out = ckpd.validate(["992\u200b13", "W12\u200b34"], on="2025-06-01", system="procedure")
    assert (out.loc[0, "valid"], out.loc[0, "code"], out.loc[0, "note"]) == (
        True, "99213",
        "read as 99213: the invisible character U+200B (zero width space) was dropped")
    assert out.loc[1, "rule"] == "PROC_FORMAT_INVALID"
    assert out.loc[1, "note"] == \
        "read as W1234: the invisible character U+200B (zero width space) was dropped"


def test_a_message_keeps_its_other_dates_when_one_is_the_class_first_date() -> None:
    """A column's messages are worked out once a class of dates and given each row's date.
    Every occurrence of the class's first date was replaced: with 2023-09-30 first seen,
    G20.A1's "until 2023-09-30 code it as G20" read "until 2023-05-19" on a row of
    2023-05-19; W45.1XXA's successor "from 2016-10-01" moved with the row's date. Run in a
    fresh process: which date of a class a process sees first decides the collision."""
    import subprocess
    import sys

    script = (
        "import codekit.pandas as ckpd\n"
        "from codekit import icd10cm\n"
        "rows = [('G20.A1', '2023-09-30'), ('G20.A1', '2023-05-19'),\n"
        "        ('W45.1XXA', '2016-10-01'), ('W45.1XXA', '2016-11-01')]\n"
        "out = ckpd.validate([c for c, _ in rows], on=[d for _, d in rows])\n"
        "for i, (c, d) in enumerate(rows):\n"
        "    assert out.iloc[i]['message'] == str(icd10cm.why_invalid(c, on=d)), i\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_a_line_of_a_claim_that_cannot_be_read_keeps_its_line_id_and_number() -> None:
    # a claim-only row first, then two lines: the second line's units are not a number
    lines = pd.DataFrame({
        "claim_id": ["C1", "C1", "C1", "C2"], "payer": "medicare", "sex": "F", "age": 70,
        "date_of_service": "2025-11-03", "dx1": "E11.9",
        "line_id": [None, "C1-A", "C1-B", "C2-A"],
        "procedure_code": [None, "99213", "G0439", "99213"],
        "units": [None, "1", "x", "0"], "pointer1": 1})
    found = ckpd.check_claims(lines)
    assert found[["claim_id", "line", "line_id", "rule", "path", "message"]].to_dict(
        "records") == [
        {"claim_id": "C1", "line": 2, "line_id": "C1-B", "rule": "CLAIM_FORMAT_INVALID",
         "path": "$.service_lines[1].units", "message": "must be a number, got 'x'"},
        {"claim_id": "C2", "line": 1, "line_id": "C2-A", "rule": "UNITS_INVALID",
         "path": "$.service_lines[0].units",
         "message": "Line 1 (99213): units are 0; report at least 1."}]
    # the same line read: the same line number and id. A line without a number is
    # numbered by its place among the claim's lines, as Claim.from_dict and the Spark door
    # number it: the claim-only row is no line (it made C1-B line 3, "Line 3 (G0439)" at
    # $.service_lines[1], and C1-A line 2)
    found = ckpd.check_claims(lines.assign(units=[None, "1", "0", "1"]))
    assert found[["line", "line_id", "rule", "path", "message"]].to_dict("records") == [
        {"line": 2, "line_id": "C1-B", "rule": "UNITS_INVALID",
         "path": "$.service_lines[1].units",
         "message": "Line 2 (G0439): units are 0; report at least 1."}]
    found = ckpd.check_claims(lines.assign(units=[None, "0", "1", "1"]))
    assert found[["line", "line_id", "message"]].to_dict("records") == [
        {"line": 1, "line_id": "C1-A",
         "message": "Line 1 (99213): units are 0; report at least 1."}]
    (claim, _) = ckpd.claims_of(lines)
    assert [ln["line"] for ln in claim["service_lines"]] == [1, 2]


def test_a_row_with_line_data_and_no_code_is_a_line_missing_its_code() -> None:
    """Line L2 (units 1, modifier RT, no procedure code) was taken for a claim-only row
    and dropped: the claim came back clean, its second line never said. A row of claim
    fields alone (the diagnoses, a pointer repeated on every row) is still no line."""
    lines = pd.DataFrame({
        "claim_id": ["C1", "C1", "C1"], "payer": "medicare", "sex": "F", "age": 70,
        "date_of_service": "2025-11-03", "dx1": "M17.11",
        "line_id": [None, "L1", "L2"], "procedure_code": [np.nan, "99213", None],
        "units": [None, 1, 1], "modifiers": [None, "", "RT"], "pointer1": 1},
        index=[10, 11, 12])
    found = ckpd.check_claims(lines)
    assert found[["claim_id", "line", "line_id", "rule", "path", "message"]].to_dict(
        "records") == [
        {"claim_id": "C1", "line": 2, "line_id": "L2", "rule": "CLAIM_FORMAT_INVALID",
         "path": "$.service_lines[1].procedure_code",
         "message": "missing on row 12, which has line_id 'L2', units 1, modifiers 'RT': a "
                    "line needs its procedure code (or a revenue code); a row of claim "
                    "fields alone is no line"}]
    (bad,) = ckpd.claims_of(lines)
    assert isinstance(bad, ClaimFormatError)
    # numbered modifier columns count too; the claim's own row (index 10) stays no line
    found = ckpd.check_claims(lines.drop(columns=["modifiers", "line_id"]).assign(
        units=[None, 1, None], modifier1=[None, None, "RT"]))
    assert found[["line", "path"]].to_dict("records") == [
        {"line": 2, "path": "$.service_lines[1].procedure_code"}]
    assert found.loc[0, "message"].startswith("missing on row 12, which has modifier1 'RT':")
    assert ckpd.check_claims(lines.iloc[:2]).empty


def test_a_time_zone_date_is_its_local_date_in_every_dtype() -> None:
    """A pyarrow timestamp with a zone (what read_parquet gives for one) was read at its
    UTC date: 2025-09-30 23:30 in Los Angeles judged on 2025-10-01, when G35 is a header
    (a data analyst's review of 2026-12-06, item 2). NumPy's datetime64[.., tz] was read at its
    local date."""
    import pyarrow as pa

    local = pd.Series([pd.Timestamp("2025-09-30 23:30", tz="US/Pacific"), pd.NaT])
    for dtype in (pd.ArrowDtype(pa.timestamp("us", tz="US/Pacific")),
                  "datetime64[us, US/Pacific]"):
        days = local.astype(dtype)
        out = ckpd.validate(pd.Series(["G35", "G35"]), on=days)
        assert out[["valid", "rule"]].to_dict("records") == [
            {"valid": True, "rule": None}, {"valid": False, "rule": "DATE_INVALID"}], dtype
        assert ckpd.summarize(pd.DataFrame({
            "claim_id": ["C1"], "rule": ["DX_NOT_BILLABLE"], "severity": ["error"],
            "payer": ["medicare"], "date_of_service": days[:1]})).by_month.index.tolist() \
            == ["2025-09"], dtype


_KNEE = {"claim_id": "C1", "payer": "medicare", "sex": "F", "age": 70,
         "date_of_service": "2025-11-03", "procedure_code": "20610", "modifier1": "LT",
         "units": 1, "pointer1": 3}
_GAP = ("a diagnosis is named by its place (pointer 3 is the third diagnosis), so the "
        "diagnoses after a blank would move up and the pointers would name others; fill "
        "it, or move the later diagnoses up and change the pointers that name them")


@pytest.mark.parametrize(("diagnoses", "blank"), [
    ({"dx1": "E11.9", "dx2": None, "dx3": "M17.12", "dx4": "M17.11"},
     "dx2 is blank but dx3 is 'M17.12'"),
    ({"dx1": "E11.9", "dx2": " ", "dx3": "M17.12", "dx4": "M17.11"},
     "dx2 is blank but dx3 is 'M17.12'"),
    ({"dx1": "E11.9", "dx3": "M17.12", "dx4": "M17.11"},
     "the table has no column dx2 but dx3 is 'M17.12'"),
    ({"diagnoses": "E11.9,,M17.12,M17.11"},
     "diagnoses (code 2) is blank but diagnoses (code 3) is 'M17.12'"),
    ({"diagnoses": ["E11.9", None, "M17.12", "M17.11"]},
     "diagnoses (code 2) is blank but diagnoses (code 3) is 'M17.12'")])
def test_a_blank_diagnosis_before_filled_ones_is_refused_not_closed_up(
        diagnoses: dict[str, object], blank: str) -> None:
    """A blank dx2 before a filled dx3 (or "E11.9,,M17.12") was dropped: the later
    diagnoses moved up, the pointers did not, and pointer 3 named M17.11 (right) instead
    of M17.12 (left): a false LATERALITY_MISMATCH (that review's item 1). The claim model has no
    empty place (a null in diagnoses is a format error, as Spark says it): the claim is
    refused where the blank is."""
    lines = pd.DataFrame([{**_KNEE, **diagnoses}])
    found = ckpd.check_claims(lines)
    assert found[["rule", "path", "message"]].to_dict("records") == [{
        "rule": "CLAIM_FORMAT_INVALID", "path": "$.diagnoses[1]",
        "message": f"{blank}: {_GAP}"}]
    assert isinstance(ckpd.claims_of(lines)[0], ClaimFormatError)


def test_blank_diagnoses_after_the_last_one_are_no_gap() -> None:
    """Fewer diagnoses than columns (or a trailing comma) is the usual wide table."""
    for diagnoses in ({"dx1": "E11.9", "dx2": "M17.12", "dx3": None, "dx4": ""},
                      {"diagnoses": "E11.9, M17.12,"}, {"diagnoses": ["E11.9", "M17.12", None]}):
        lines = pd.DataFrame([{**_KNEE, **diagnoses, "pointer1": 2}])
        assert ckpd.claims_of(lines)[0]["diagnoses"] == ["E11.9", "M17.12"], diagnoses
        assert ckpd.check_claims(lines).empty, diagnoses


def test_to_excel_where_it_cannot_write_names_the_path(tmp_path: Path) -> None:
    """A missing folder raised a raw FileNotFoundError (a data analyst's review)."""
    frame = pd.DataFrame({"claim_id": ["C1"]})
    for path in (tmp_path / "missing" / "findings.xlsx", tmp_path):
        with pytest.raises(InvalidArgument, match=re.escape(
                f"path={str(path)!r}: the workbook cannot be written there: ")):
            ckpd.to_excel(frame, path)
    assert not (tmp_path / "missing").exists()


def test_lines_are_in_line_order_whatever_the_rows_order() -> None:
    """A shuffled table gave the Spark door's finding another path (pandas kept the rows'
    order, Spark sorts by line): both order by line, rows without a number after."""
    rows = [{"claim_id": "Q1", "payer": "medicare", "sex": "F", "age": 70,
             "date_of_service": "2025-11-03", "dx1": "E11.9", "line": n,
             "line_id": f"Q1-{n}", "procedure_code": c, "units": u, "pointer1": 1}
            for n, c, u in [(2, "17000", 0), (None, "G0439", 0), (1, "99213", 1)]]
    found = ckpd.check_claims(pd.DataFrame(rows))
    assert found[["line", "line_id", "rule", "path"]].to_dict("records") == [
        {"line": 2, "line_id": "Q1-2", "rule": "UNITS_INVALID",
         "path": "$.service_lines[1].units"},
        {"line": 3, "line_id": "Q1-None", "rule": "UNITS_INVALID",
         "path": "$.service_lines[2].units"}]


def test_numeric_claim_ids_become_text_by_one_rule() -> None:
    lines = pd.DataFrame({"claim_id": [Decimal("7.00"), 7, Decimal("7.50"), -0.0],
                          "payer": "medicare", "sex": "F", "age": 70,
                          "date_of_service": "2025-11-03", "dx1": "E11.9",
                          "procedure_code": "99213", "units": 1, "pointer1": 1})
    assert [c["claim_id"] for c in ckpd.claims_of(lines)] == ["7", "7.5", "0"]


def test_a_claim_id_cell_that_is_no_id_is_a_claim_of_its_own() -> None:
    """A claim id cell holding a list, a dict, a set or an array (a JSON export's nested
    value, a Parquet list column): ``pd.factorize`` raised ``TypeError: unhashable type``
    for the whole table. The row cannot be put with others: it is said, as a missing id
    is, and C1 is checked."""
    cells = [["C", 1], {"id": "C"}, {"C"}, np.array(["C", "1"])]
    lines = _lines(claim_id=pd.Series(["C1", "C1", cells[0]], dtype=object))
    lines = pd.concat([lines] + [lines.iloc[[2]].assign(
        claim_id=pd.Series([cell], index=[2], dtype=object)) for cell in cells[1:]],
        ignore_index=True)
    found = ckpd.check_claims(lines)
    tail = (": a line without its claim's id cannot be put with the other lines of its "
            "claim, so it was not checked")
    assert found[["claim_id", "rule", "path", "message"]].to_dict("records") == [
        {"claim_id": None, "rule": "CLAIM_FORMAT_INVALID", "path": "$.claim_id",
         "message": f"is {kind}, not an id, on row {row} (line_id 'L3')" + tail}
        for row, kind in ((2, "an array"), (3, "an object"), (4, "a Python set"),
                          (5, "a Python ndarray"))]
    assert found.attrs["codekit"]["claims"] == 5  # C1, and four rows


def _as_csv_text(lines: pd.DataFrame) -> pd.DataFrame:
    """The table as an analyst reads its CSV: every cell text (``dtype=str``), blanks NaN."""
    return pd.read_csv(io.StringIO(lines.to_csv(index=False)), dtype=str)


def test_a_table_read_as_text_is_read_as_its_numbers() -> None:
    """read_csv(dtype=str) (to keep revenue code 0450) made every claim a format error:
    age '70' and each line '1' "must be a whole number"; a pointer2 column with gaps
    is written "2.0", and units written "0.0" said "units are 0.0"."""
    lines = pd.DataFrame({
        "claim_id": "C1", "payer": "medicare", "sex": "F", "age": 70,
        "date_of_service": "2025-11-03", "dx1": "E11.9", "dx2": "I10",
        "line": [2, 1, 3], "line_id": ["C1-2", "C1-1", "C1-3"],
        "procedure_code": ["99213", "17000", "G0439"], "units": [0, 1.5, 1],
        "pointer1": 1, "pointer2": [2, None, None], "charge": [80, 55.25, 100.0],
        "total_charge": 235.25})
    text = _as_csv_text(lines)
    assert text.loc[0, ["age", "line", "units", "pointer2"]].tolist() == \
        ["70", "2", "0.0", "2.0"]
    expected = [{"claim_id": "C1", "line": 2, "line_id": "C1-2", "rule": "UNITS_INVALID",
                 "path": "$.service_lines[1].units", "row": 0,
                 "message": "Line 2 (99213): units are 0; report at least 1."}]
    for table in (lines, text):
        found = ckpd.check_claims(table)
        assert found[["claim_id", "line", "line_id", "rule", "path", "row", "message"]
                     ].to_dict("records") == expected
    # the same claims, field by field: lines in line order, 1.5 units, 55.25 charged
    assert [Claim.from_dict(c) for c in ckpd.claims_of(text)] == \
        [Claim.from_dict(c) for c in ckpd.claims_of(lines)]
    (claim,) = ckpd.claims_of(text.assign(age=" 70 ", diagnosis_pointers="1,2").drop(
        columns=["pointer1", "pointer2"]))
    assert claim["patient"]["age"] == 70
    assert [ln["diagnosis_pointers"] for ln in claim["service_lines"]] == [[1, 2]] * 3


def test_an_institutional_table_read_as_text() -> None:
    stay = pd.DataFrame({
        "claim_id": "H1", "claim_type": "institutional", "payer": "medicare", "sex": "F",
        "age": 70, "bill_type": "0131", "statement_from": "2025-11-03",
        "statement_through": "2025-11-03", "dx1": "E11.9", "revenue_code": "0450",
        "line": [1, 2], "procedure_code": "99283", "line_date": "2025-11-03",
        "units": [1, 0], "charge": [250, 1], "value_code1": "80", "value_amount1": 1})
    text = _as_csv_text(stay)
    assert text.loc[0, ["revenue_code", "age", "value_amount1"]].tolist() == ["0450", "70", "1"]
    for table in (stay, text):
        found = ckpd.check_claims(table)
        assert found[["claim_id", "line", "rule", "path", "row"]].to_dict("records") == [
            {"claim_id": "H1", "line": 2, "rule": "UNITS_INVALID",
             "path": "$.service_lines[1].units", "row": 1}]


def test_a_flag_read_as_text_is_the_boolean_it_spells() -> None:
    """read_csv(dtype=str) reads a bool column back as "True": an ambulatory surgical
    center's facility claim (asc_facility) was a CLAIM_FORMAT_INVALID ("must be true or
    false, got 'True'") and its E/M line was never judged. Text true or false, in any
    case (Excel writes TRUE, Spark true), is the boolean; other text stays an error."""
    lines = pd.DataFrame({
        "claim_id": ["A1", "A1"], "payer": "medicare", "sex": "F", "age": 70,
        "date_of_service": "2025-11-03", "dx1": "H25.11", "place_of_service": "24",
        "procedure_code": ["66984", "99213"], "modifier1": ["RT", None], "units": 1,
        "pointer1": 1, "asc_facility": True})
    text = _as_csv_text(lines)
    assert text["asc_facility"].tolist() == ["True", "True"]
    for table in (lines, text, text.assign(asc_facility=["TRUE", " true"])):
        found = ckpd.check_claims(table)
        assert found[["line", "rule", "path"]].values.tolist() == [
            [2, "PROC_NOT_ASC_FACILITY_SERVICE", "$.service_lines[1].procedure_code"]]
    found = ckpd.check_claims(text.assign(asc_facility="Y"))
    assert found[["rule", "path", "message"]].values.tolist() == [
        ["CLAIM_FORMAT_INVALID", "$.asc_facility", "must be true or false, got 'Y'"]]


@pytest.mark.parametrize(("column", "cell", "path", "message"), [
    ("age", "70.5", "$.patient.age", "must be a whole number, got '70.5'"),
    ("age", "seventy", "$.patient.age", "must be a whole number, got 'seventy'"),
    ("line", "1a", "$.service_lines[0].line", "must be a whole number, got '1a'"),
    ("units", "1,000", "$.service_lines[0].units", "must be a number, got '1,000'"),
    ("charge", "$100", "$.service_lines[0].charge", "must be a number, got '$100'"),
    ("pointer1", "1.5", "$.service_lines[0].diagnosis_pointers[0]",
     "must be a whole number (or A-L), got '1.5'"),
])
def test_text_that_is_no_clean_number_stays_a_format_finding(
        column: str, cell: str, path: str, message: str) -> None:
    row = {"claim_id": "C1", "payer": "medicare", "sex": "F", "age": "70",
           "date_of_service": "2025-11-03", "dx1": "E11.9", "line": "1", "line_id": "C1-1",
           "procedure_code": "99213", "units": "1", "pointer1": "1", "charge": "100.00"}
    found = ckpd.check_claims(pd.DataFrame([{**row, column: cell}], index=[7]))
    assert found[["rule", "path", "message"]].to_dict("records") == [
        {"rule": "CLAIM_FORMAT_INVALID", "path": path, "message": message}]
    assert found.loc[0, "row"] is pd.NA if column == "age" else found.loc[0, "row"] == 7
    assert ckpd.check_claims(pd.DataFrame([row])).empty


def _two_claims() -> pd.DataFrame:
    return pd.DataFrame({"claim_id": ["C1", "C1", "C2"], "payer": "medicare", "sex": "F",
                         "age": 70, "date_of_service": "2025-11-03",
                         "dx1": ["E11.9", "E11.9", "E11"],
                         "procedure_code": ["99213", "82947", "99213"],
                         "line": [1, 2, 1], "units": 1, "pointer1": 1})


def test_check_claims_shows_its_progress_as_codekit_check_does(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Over a million lines check_claims ran for minutes without a word."""
    monkeypatch.setattr(_progress, "time", TickingClock())
    seen: list[tuple[int, int | None]] = []
    found = ckpd.check_claims(_two_claims(), progress=lambda n, total: seen.append((n, total)))
    assert seen == [(1, 2), (2, 2), (2, 2)]  # each claim (a second apart), then the end
    assert found["rule"].tolist() == ["DX_NOT_BILLABLE"]
    assert capsys.readouterr().err == ""
    _two_claims().codekit.check_claims(progress=True)
    err = capsys.readouterr().err
    assert err.startswith("\r[##########          ] checked 1 of 2 claims (1/s)"
                          "\r[####################] checked 2 of 2 claims (1/s)\r")
    assert err.endswith(" " * 60 + "\r")  # cleared at the end
    ckpd.check_claims(_two_claims())
    assert capsys.readouterr().err == ""  # off by default
    with pytest.raises(InvalidArgument, match="progress: expected True, False or a function"):
        ckpd.check_claims(_two_claims(), progress="bar")


def test_check_claims_reads_each_claim_as_it_checks_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every claim of the table was made a claim dict before the first was checked: on
    20,000 lines the read was 41 % of the time with no progress shown, and its 28.7 MB
    of claim dicts were held to the end. Each claim is read as it is checked now (a row
    that cannot be read among them), and the findings are the same."""
    from codekit import Checker
    from codekit.pandas import _claims

    made: list[int] = []  # a claim's lines are made when it is read
    real = _claims._service_lines
    monkeypatch.setattr(_claims, "_service_lines",
                        lambda data, rows, *rest: made.append(rows[0]) or real(data, rows, *rest))
    seen: list[int] = []

    class Watching:
        """A checker that notes how many claims were read when each reaches it."""

        def check_many(self, claims: Any, **kw: Any) -> Any:
            def watched() -> Any:
                for claim in claims:
                    seen.append(len(made))
                    yield claim
            return Checker().check_many(watched(), **kw)

    lines = pd.concat([_two_claims(), _two_claims().iloc[[2]].assign(claim_id=None),
                       _two_claims().iloc[[0]].assign(claim_id="C3")], ignore_index=True)
    found = ckpd.check_claims(lines, checker=Watching())
    assert seen == [1, 2, 4]  # C1, C2; the row without an id is not checked; C3
    assert found[["claim_id", "rule", "path", "row"]].values.tolist() == [
        ["C2", "DX_NOT_BILLABLE", "$.diagnoses[0]", pd.NA],
        [None, "CLAIM_FORMAT_INVALID", "$.claim_id", pd.NA]]
    assert found.attrs["codekit"]["claims"] == 4


def test_severity_sorts_and_compares_as_the_ordered_categorical() -> None:
    """severity is text: sorted, it put error before info before warning, and `>=` compared
    letters. ckpd.SEVERITY is its order (info < warning < error); the column stays text,
    a notice's None included, so callers that compare, concat or test None are unchanged."""
    lines = pd.concat([_two_claims(), _two_claims().iloc[[0]].assign(
        claim_id="C3", date_of_service="2040-01-02"), _two_claims().iloc[[0]].assign(
        claim_id="C4", dx1="M17.11", procedure_code="20610")], ignore_index=True)
    found = ckpd.check_claims(lines)
    assert found[["claim_id", "rule", "severity"]].values.tolist() == [
        ["C2", "DX_NOT_BILLABLE", "error"],
        ["C3", "ICD10CM_DATE_NOT_COVERED", None],
        ["C3", "PROCEDURE_DATE_NOT_COVERED", None],
        ["C3", "NCCI_TABLE_PAST_QUARTER", None],
        ["C4", "MOD_LATERALITY_MISSING", "warning"]]
    assert found.severity.dtype == object
    sev = found.severity.astype(ckpd.SEVERITY)
    assert list(ckpd.SEVERITY.categories) == ["info", "warning", "error"]
    assert ckpd.SEVERITY.ordered
    assert (sev >= "warning").tolist() == [True, False, False, False, True]
    assert (sev > "warning").tolist() == [True, False, False, False, False]
    assert found.sort_values("severity", key=lambda s: s.astype(ckpd.SEVERITY),
                             ascending=False)["rule"].tolist()[:2] == [
        "DX_NOT_BILLABLE", "MOD_LATERALITY_MISSING"]
    assert found.severity.tolist()[1] is None  # a notice's, unchanged

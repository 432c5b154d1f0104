"""Never an answer from the wrong date, nor silently from data that does not cover it:
one date rule for a claim given without its date (every door judges an institutional
claim on its statement period's end, as the 837I reader does), code-level answers past
the data say so (invalid ones too), and the batch summaries never count a claim judged
outside the data as clean (CLI, X12, pandas, Spark)."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, cells, icd10cm, icd10pcs, modifiers
from codekit.batch import report_of
from codekit.claims import claim_date
from codekit.errors import InvalidModifier, NotValidOnDate, UnknownCode, ValueNotAllowed
from codekit.findings import COVERAGE_NOTICES
from tests.claims_gen import KNEE_CLAIM

CHECKER = Checker()
D = dt.date

#: A stay of 2025-09-25 to 2025-10-02: G35 is billable on the admission day and a header
#: from 2025-10-01 (FY2026 split it into G35.A...), so on the discharge date it is not valid.
STAY: dict[str, Any] = {
    "claim_id": "I1", "claim_type": "institutional", "bill_type": "111", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1955-03-01", "name": "Doe, Ann"},
    "statement_period": ["2025-09-25", "2025-10-02"],
    "admission_date": "2025-09-25", "discharge_status": "01", "total_charge": 700,
    "diagnoses": [{"code": "G35", "poa": "Y"}], "admitting_diagnosis": "R07.9",
    "service_lines": [{"line": 1, "revenue_code": "0110", "units": 7, "charge": 700,
                       "date_of_service": "2025-09-25"}]}
#: An outpatient visit of 2025-09-29 to 2025-10-02 (type of bill 131), its line dated on the
#: first day.
VISIT: dict[str, Any] = {
    "claim_id": "O1", "claim_type": "institutional", "bill_type": "131", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1955-03-01", "name": "Doe, Ann"},
    "statement_period": ["2025-09-29", "2025-10-02"],
    "total_charge": 100, "diagnoses": ["G35"],
    "service_lines": [{"line": 1, "revenue_code": "0510", "procedure_code": "99213",
                       "units": 1, "charge": 100, "date_of_service": "2025-09-29"}]}


def _rules(report: Any) -> list[str]:
    return [f.rule for f in report.findings if f.rule.startswith("DX_")]


# -- one date rule for every door ------------------------------------------------------------


def test_claim_date_is_one_rule() -> None:
    stay = (D(2025, 9, 25), D(2025, 10, 2))
    assert claim_date("institutional", stay, [D(2025, 9, 25)]) == D(2025, 10, 2)
    assert claim_date("institutional", None, [D(2025, 9, 25), D(2025, 10, 2)]) == \
        D(2025, 10, 2)
    assert claim_date("institutional", None, [D(2025, 9, 25), None]) is None
    assert claim_date("professional", stay, [D(2025, 10, 1), D(2025, 9, 30)]) == \
        D(2025, 9, 30)
    assert claim_date("professional", stay, [D(2025, 10, 1), None]) == D(2025, 10, 2)
    assert claim_date("professional", None, []) is None


def test_an_inpatient_stay_without_its_date_is_judged_on_its_discharge() -> None:
    """Claim dict, JSON text, the JSON front door and the 837I reader: one date, one
    answer. The line dated on the admission day used to date the claim (G35 clean)."""
    from codekit import x12

    claim = Claim.from_dict(STAY)
    assert claim.date_of_service == D(2025, 10, 2)
    assert Claim.from_json(json.dumps(STAY)).date_of_service == D(2025, 10, 2)
    (f,) = CHECKER.check(claim).findings
    assert (f.rule, f.location) == ("DX_NOT_VALID_ON_DOS", ("diagnoses", 0))
    assert "not valid on 2025-10-02" in f.message
    assert _rules(report_of(CHECKER, json.dumps(STAY))) == ["DX_NOT_VALID_ON_DOS"]
    (read,) = x12.read_claims(x12.write_837([claim]).encode())
    assert read.claim is not None and read.claim.date_of_service == D(2025, 10, 2)
    assert _rules(CHECKER.check(read.claim)) == ["DX_NOT_VALID_ON_DOS"]
    # without the line's date: the same
    undated = {**STAY, "service_lines": [{k: v for k, v in STAY["service_lines"][0].items()
                                          if k != "date_of_service"}]}
    assert _rules(CHECKER.check(Claim.from_dict(undated))) == ["DX_NOT_VALID_ON_DOS"]


@pytest.mark.parametrize(("dx", "rule"), [("G35", "DX_NOT_VALID_ON_DOS"),
                                          ("E11.A", "DX_SPANS_CODE_SET_CHANGE")])
def test_an_outpatient_claim_without_its_date_is_judged_on_its_through_date(
        dx: str, rule: str) -> None:
    """131 over 2025-09-29 to 2025-10-02: the diagnoses are judged on the through date, as
    on the 837I (G35 a header then; E11.A, new on 2025-10-01, valid then but not on the
    first day: the period spans the release), never on the line's date."""
    from codekit import x12

    claim = Claim.from_dict({**VISIT, "diagnoses": [dx]})
    assert claim.date_of_service == D(2025, 10, 2)
    assert _rules(CHECKER.check(claim)) == [rule]
    (read,) = x12.read_claims(x12.write_837([claim]).encode())
    assert read.claim is not None and _rules(CHECKER.check(read.claim)) == [rule]


def test_pandas_line_dates_do_not_move_the_stay() -> None:
    """check_claims on the stay, with a line_date and without: the same finding, and the
    rows' date_of_service is the date it was judged on (it was NaT without line dates)."""
    pd = pytest.importorskip("pandas")
    import codekit.pandas as ckpd

    row = {"claim_id": "I1", "claim_type": "institutional", "bill_type": "111",
           "payer": "medicare", "sex": "F", "age": 70, "statement_from": "2025-09-25",
           "statement_through": "2025-10-02", "admission_date": "2025-09-25",
           "discharge_status": "01", "dx1": "G35", "poa1": "Y", "revenue_code": "0110",
           "admitting_diagnosis": "R07.9",
           "units": 7, "charge": 700}
    for lines in (pd.DataFrame([{**row, "line_date": "2025-09-25"}]), pd.DataFrame([row])):
        found = ckpd.check_claims(lines)
        assert found[["rule", "date_of_service"]].to_dict("records") == [
            {"rule": "DX_NOT_VALID_ON_DOS", "date_of_service": pd.Timestamp("2025-10-02")}]


def _spark_rows(job_shape: str, texts: list[str], ids: list[str],
                clean_rows: bool = False) -> list[dict[str, Any]]:
    """The Spark worker's rows for ``texts`` (what mapInArrow hands it), no session."""
    pa = pytest.importorskip("pyarrow")
    from codekit.spark import _worker

    job = _worker.Job(pickle.dumps(CHECKER), f"digest-dates-{clean_rows}", job_shape,
                      "claim_id", "claim", clean_rows=clean_rows)
    batch = pa.RecordBatch.from_pydict({"claim_id": ids, "claim": texts})
    return pa.Table.from_batches(list(_worker.check_batches(job, [batch]))).to_pylist()


def test_spark_judges_the_stay_on_its_discharge() -> None:
    rows = _spark_rows("json", [json.dumps(STAY)], ["I1"])
    assert [(r["claim_id"], r["rule"], r["kind"]) for r in rows] == [
        ("I1", "DX_NOT_VALID_ON_DOS", "finding")]


# -- code-level answers past the data say so --------------------------------------------------

PAST = ("2028-01-01 is after the last date codekit's ICD-10-CM data describes (2027-03-31): "
        "diagnoses are answered as of then; add the newer CDC/CMS release (codekit data add)")


def test_an_invalid_diagnosis_past_the_data_says_so() -> None:
    """E11.B may be an FY2028 code: 'in no release codekit knows' alone said it is none."""
    with pytest.raises(UnknownCode) as e:
        icd10cm.validate("E11.B", on="2028-01-01")
    assert e.value.reason == f"E11.B is in no ICD-10-CM release codekit knows; {PAST}"
    with pytest.raises(UnknownCode) as e:  # a date the data describes: as it was
        icd10cm.validate("E11.B", on="2026-06-01")
    assert e.value.reason == "E11.B is in no ICD-10-CM release codekit knows"
    with pytest.raises(NotValidOnDate) as nv:
        icd10cm.validate("G35", on="2028-01-01")
    assert nv.value.reason.endswith(f"Valid: 2015-10-01 to 2025-09-30; {PAST}")
    assert nv.value.fix[:2] == ("G35.A", "G35.B0")
    # the claim report's notice says it in the same words
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2028-01-01",
        "patient": {"sex": "F", "age": 70}, "diagnoses": ["E11.9"],
        "service_lines": [{"procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]}]})
    notices = {n.code: n.message for n in CHECKER.check(claim).notices}
    assert notices["ICD10CM_DATE_NOT_COVERED"] == PAST == icd10cm.coverage_note(on="2028-01-01")
    assert icd10cm.coverage_note(on="2027-03-31") is None


def test_a_valid_cell_past_the_data_carries_the_notice() -> None:
    c = cells.check("E11.9", on="2031-01-01")
    assert (c.valid, c.note) == (True, icd10cm.coverage_note(on="2031-01-01"))
    assert c.note is not None and c.note.startswith("2031-01-01 is after the last date")
    assert cells.check("E11.9", on="2027-03-31").note is None
    two = cells.check("E119,I10", on="2031-01-01")
    assert two.note == ("2 codes in one cell (E11.9, I10): each is validated; "
                        + icd10cm.coverage_note(on="2031-01-01"))  # type: ignore[operator]
    bad = cells.check("E11.B", on="2028-01-01")
    assert (bad.valid, bad.rule) == (False, "DX_CODE_UNKNOWN") and PAST in (bad.message or "")
    cpt = cells.check("99213", system="cpt", on="2031-01-01")
    assert cpt.valid and (cpt.note or "").startswith(
        "2031-01-01 is after the last quarter codekit's data describes")


def test_pandas_answers_each_date_on_its_side_of_the_data() -> None:
    """2027-03-15 and 2027-04-02 are both FY2027: one class of dates until now, so the
    first date seen decided the note of both (a covered date was said to be past the
    data, or the other way round)."""
    pd = pytest.importorskip("pandas")
    import codekit.pandas as ckpd

    out = ckpd.validate(pd.Series(["E11.9", "E11.9", "E11.B", "E11.B"]),
                        on=pd.Series(["2027-04-02", "2027-03-15", "2027-04-02", "2027-03-15"]))
    assert out["valid"].tolist() == [True, True, False, False]
    assert out["note"].tolist()[1] is None and out["note"][0].startswith(
        "the date is after the last date codekit's ICD-10-CM data describes (2027-03-31)")
    assert out["message"][2].endswith(PAST.replace("2028-01-01", "2027-04-02"))
    assert out["message"][3] == "'E11.B': E11.B is in no ICD-10-CM release codekit knows"
    frame = pd.DataFrame({"dx": ["G35", "G35"], "dos": ["2028-01-01", "2028-02-01"]})
    got = frame.codekit.validate("dx", on="dos")["message"].tolist()
    assert got[0].endswith(PAST)
    assert got[1].endswith(PAST.replace("2028-01-01", "2028-02-01"))


def test_validate_code_past_the_data_says_so() -> None:
    from codekit.fhir import terminology

    p = terminology.validate_code("http://hl7.org/fhir/sid/icd-10-cm", "E11.B",
                                  date="2028-01-01")
    got = {x["name"]: x for x in p["parameter"]}
    assert got["result"]["valueBoolean"] is False
    assert got["message"]["valueString"].endswith(PAST)


def test_modifiers_and_pcs_past_the_data_say_so() -> None:
    with pytest.raises(InvalidModifier) as m:
        modifiers.validate("88", on="2028-01-01")
    assert "2028-01-01 is after the last quarter codekit's data describes" in str(m.value)
    with pytest.raises(InvalidModifier) as m:
        modifiers.validate("88", on="2026-01-01")
    assert "data describes" not in str(m.value)
    with pytest.raises(UnknownCode) as p:
        icd10pcs.validate("0DTJXZZ", on="2028-01-01")
    assert str(p.value).endswith(
        "2028-01-01 is after the last date codekit's ICD-10-PCS data describes (2027-03-31): "
        "procedures are answered from the newest data; add the CMS release of that date "
        "(codekit data add-pcs)")


def test_a_pcs_code_in_no_table_before_icd10_says_so() -> None:
    """0DTJ4ZY (no qualifier Y in table 0DT) on 2015-09-30 was answered from the tables of
    every year ("allowed: G Hand-Assisted, Z No Qualifier") without a word that no
    ICD-10-PCS code could be reported then; the date after the data said so already."""
    before = ("2015-09-30 is before ICD-10-PCS took effect (2015-10-01): ICD-10-PCS codes "
              "are not valid then")
    for verb in (icd10pcs.validate, icd10pcs.lookup):
        with pytest.raises(ValueNotAllowed) as e:
            verb("0DTJ4ZY", on="2015-09-30")
        assert e.value.code == "PCS_CODE_UNKNOWN"
        assert str(e.value).endswith("allowed: G Hand-Assisted, Z No Qualifier; " + before)
        with pytest.raises(ValueNotAllowed) as e:
            verb("0DTJ4ZY", on="2015-10-01")
        assert "took effect" not in str(e.value)
    with pytest.raises(ValueNotAllowed) as e:
        icd10pcs.validate("ZZZZZZZ", on="2010-01-01")
    assert str(e.value).endswith(before.replace("2015-09-30", "2010-01-01"))
    assert icd10pcs.resolve("0DTJ4ZY", on="2015-09-30").error.message.endswith(before)
    # a code of some year already says it, once
    with pytest.raises(NotValidOnDate) as v:
        icd10pcs.validate("0DTJ4ZZ", on="2015-09-30")
    assert str(v.value).count("took effect") == 1


# -- batches never count a claim judged outside the data as clean ----------------------------

GOOD: dict[str, Any] = KNEE_CLAIM
LATE = {**GOOD, "claim_id": "G2", "date_of_service": "2031-06-01"}


def test_report_outside_data() -> None:
    late = CHECKER.check(Claim.from_dict(LATE))
    assert late.ok and late.findings == ()
    assert [n.code for n in late.outside_data] == [
        "ICD10CM_DATE_NOT_COVERED", "PROCEDURE_DATE_NOT_COVERED", "NCCI_TABLE_PAST_QUARTER"]
    assert CHECKER.check(Claim.from_dict(GOOD)).outside_data == ()
    # its headline says it (text, HTML): no error found is not clean, only unflagged
    assert late.text().splitlines()[0] == \
        "claim G2 OK, judged outside the data (medicare-professional): 0 error(s), 0 warning(s)"
    assert ">OK, judged outside the data</span>" in late._repr_html_()
    assert str(CHECKER.check(Claim.from_dict(GOOD))).startswith("claim G1 OK (")
    catalog = (Path(__file__).parents[1] / "docs" / "catalog.md").read_text()
    notices = catalog.split("## Notices", 1)[1].split("\n## ", 1)[0]
    assert all(f"| `{code}` |" in notices for code in COVERAGE_NOTICES)


def test_cli_counts_a_claim_past_the_data_apart(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from codekit.cli import main

    both = tmp_path / "two.jsonl"
    both.write_text(json.dumps(GOOD) + "\n" + json.dumps(LATE) + "\n")
    assert main(["check", str(both), "--format", "jsonl"]) == 1  # it was 0, "2 clean"
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("2 claims: 1 clean, 1 judged outside the data only, 0 with warnings "
                      "only, 0 with errors, 0 unreadable")
    assert err[1].startswith(
        "judged outside the data: 1 claim(s) with a date codekit's data does not cover "
        "(ICD10CM_DATE_NOT_COVERED 1, PROCEDURE_DATE_NOT_COVERED 1, NCCI_TABLE_PAST_QUARTER 1)")
    one = tmp_path / "good.json"
    one.write_text(json.dumps(GOOD))
    assert main(["check", str(one)]) == 0
    late = tmp_path / "late.json"
    late.write_text(json.dumps(LATE))
    assert main(["check", str(late)]) == 1


def test_the_cli_summary_names_where_each_kind_of_newer_data_comes_from(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A claim past the CPT/HCPCS data (2026-06-30) but within ICD-10-CM's (2027-03-31):
    the summary sent it to `codekit data add`, which adds ICD-10-CM releases only."""
    from codekit.cli import check as check_cli
    from codekit.cli import main

    assert set(check_cli._NEWER_DATA) == COVERAGE_NOTICES
    december = tmp_path / "december.json"
    december.write_text(json.dumps({**GOOD, "claim_id": "G3", "date_of_service": "2026-12-01"}))
    assert main(["check", str(december), str(december), "--format", "jsonl"]) == 1
    assert capsys.readouterr().err.splitlines()[1] == (
        "judged outside the data: 2 claim(s) with a date codekit's data does not cover "
        "(PROCEDURE_DATE_NOT_COVERED 2, NCCI_TABLE_PAST_QUARTER 2): their answers are "
        "extrapolated; add newer data (CPT/HCPCS: a CMS quarterly code list or HCPCS file, "
        "loaded in Python (codekit.procedure.load_quarter, codekit.hcpcs.load_release); "
        "NCCI: the CMS files of the quarter (--ncci DIR, --ptp, --mue)) or review them")
    late = tmp_path / "late.json"  # past ICD-10-CM's data too: codekit data add is named
    late.write_text(json.dumps(LATE))
    main(["check", str(late), str(late), "--format", "jsonl"])
    assert "add newer data (ICD-10-CM: codekit data add; CPT/HCPCS: " in \
        capsys.readouterr().err


def test_x12_summary_counts_a_claim_past_the_data_apart() -> None:
    from codekit import x12

    claims = [Claim.from_dict({**d, "place_of_service": "11", "total_charge": 100,
                               "patient": {**d["patient"], "id": "MBR1", "name": "P, Q"},
                               "service_lines": [{**d["service_lines"][0], "charge": 100}]})
              for d in (GOOD, LATE)]
    run = x12.check(x12.write_837(claims).encode())
    checked = list(run)
    assert [(r.claim_id, r.ok) for r in checked] == [("G1", True), ("G2", True)]
    assert [str(r).splitlines()[0].rsplit("): ", 1)[1] for r in checked] == [
        "OK, 0 error(s), 0 warning(s)", "OK, judged outside the data, 0 error(s), 0 warning(s)"]
    s = run.summary
    assert (s.claims, s.accepted, s.outside_data) == (2, 2, 1)
    assert s.to_dict()["outside_data"] == 1
    assert str(s).startswith("2 claim(s): 2 accepted, 0 rejected (0 not readable); 1 judged "
                             "outside the data")


def test_spark_rows_keep_the_notices() -> None:
    """A claim dated 2031 was a clean row (notices were dropped): it has its notice rows,
    kind notice, and no clean row; a claim judged inside the data keeps its clean row."""
    rows = _spark_rows("json", [json.dumps(GOOD), json.dumps(LATE)], ["G1", "G2"],
                       clean_rows=True)
    got = [(r["claim_id"], r["rule"], r["severity"], r["kind"], r["path"]) for r in rows]
    assert got == [
        ("G1", None, None, None, None),
        ("G2", "ICD10CM_DATE_NOT_COVERED", None, "notice", "$"),
        ("G2", "PROCEDURE_DATE_NOT_COVERED", None, "notice",
         "$.service_lines[0].procedure_code"),
        ("G2", "NCCI_TABLE_PAST_QUARTER", None, "notice", "$")]
    assert rows[2]["line"] == 1 and rows[1]["catalog"] == "docs/catalog.md#notices"


def test_spark_837_files_keep_the_notices() -> None:
    """check_837's rows: the claim dated 2031 has its notice rows (kind notice, its X12
    location), the 2025 claim none."""
    pa = pytest.importorskip("pyarrow")
    pytest.importorskip("pyx12")
    from codekit import x12
    from codekit.spark import _worker

    claims = [Claim.from_dict({**d, "place_of_service": "11", "total_charge": 100,
                               "patient": {**d["patient"], "id": "MBR1", "name": "P, Q"},
                               "service_lines": [{**d["service_lines"][0], "charge": 100}]})
              for d in (GOOD, LATE)]
    job = _worker.Job(pickle.dumps(CHECKER), "digest-dates-837", "x12")
    batch = pa.RecordBatch.from_pydict({"path": ["two.837"],
                                        "content": [x12.write_837(claims).encode()]})
    rows = pa.Table.from_batches(list(_worker.file_batches(job, [batch]))).to_pylist()
    got = [(r["claim_id"], r["rule"], r["kind"], r["source"]) for r in rows]
    assert got == [("G2", "ICD10CM_DATE_NOT_COVERED", "notice", "two.837"),
                   ("G2", "PROCEDURE_DATE_NOT_COVERED", "notice", "two.837"),
                   ("G2", "NCCI_TABLE_PAST_QUARTER", "notice", "two.837")]
    assert all(r["location"] and "CLM" in r["location"] for r in rows)

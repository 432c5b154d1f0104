"""codekit.spark on a local[2] session: every finding as the single-process checker's
(issue 16). One session for the module; skipped, saying why, without pyspark or Java."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import json
import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed: the Spark tests need "
                    "pip install 'codekit[spark]'")
pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (codekit[spark])")
_JAVA = shutil.which("java") or (os.environ.get("JAVA_HOME") and
                                 Path(os.environ["JAVA_HOME"], "bin", "java").exists())
if not _JAVA:
    pytest.skip("no Java runtime (java on PATH or JAVA_HOME): the Spark tests need Java 17",
                allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

import codekit.spark as cks  # noqa: E402
from codekit import Checker, Claim, InvalidArgument, ncci  # noqa: E402
from codekit.findings import Finding, Severity  # noqa: E402
from codekit.rules import rule  # noqa: E402
from codekit.spark import _codes, _worker  # noqa: E402
from tests.claims_gen import make_professional, nested_schema, nested_table, with_ids  # noqa: E402
from tests.conftest import reference  # noqa: E402

CHECKER = Checker()
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning")
ROW_KEYS = ("claim_id", "line", "line_id", "rule", "severity", "path", "codes", "message",
            "fix", "catalog", "policy")


@pytest.fixture(scope="module")
def spark(spark_session: SparkSession) -> SparkSession:
    return spark_session  # one session for the Spark modules (tests/conftest.py)


@pytest.fixture(scope="module")
def claims() -> list[dict[str, Any]]:
    out = with_ids(make_professional(2500, seed=16), "C{:05d}")
    out[11]["service_lines"] = []  # a claim without lines
    return out


def _key(row: dict[str, Any]) -> str:
    return repr(tuple(tuple(v) if isinstance(v, list) else v for v in
                      (row[k] for k in ROW_KEYS)))


def _rows(report: Any) -> list[dict[str, Any]]:
    """The findings table's rows of a report: Report.rows(), and one row per notice (its
    code in rule, no severity: a claim without lines, a payer in no routing...)."""
    notices = []
    for n in report.notices:
        at = Finding(n.code, Severity.INFO, n.message, n.location)
        line, line_id = report.line_of(at)
        notices.append({"claim_id": report.claim_id, "line": line, "line_id": line_id,
                        "rule": n.code, "severity": None, "path": at.path, "codes": [],
                        "message": n.message, "fix": [],
                        "catalog": "docs/catalog.md#notices", "policy": None})
    return [*report.rows(), *notices]


def _expected(checker: Checker, dicts: list[dict[str, Any]]) -> list[str]:
    return sorted(_key(r) for d in dicts for r in _rows(checker.check(Claim.from_dict(d))))


def _got(df: Any) -> list[str]:
    return sorted(_key(r.asDict()) for r in df.collect())


# -- the three shapes, against Checker.check ----------------------------------------------------

NESTED = nested_schema()


@pytest.mark.slow
def test_nested_claims_find_what_the_checker_finds(spark: SparkSession,
                                                   claims: list[dict[str, Any]]) -> None:
    df = spark.createDataFrame(nested_table(claims)).repartition(3)
    findings = cks.check(df, checker=CHECKER)
    assert findings.schema == cks.findings_schema()
    got = findings.collect()
    expected = _expected(CHECKER, claims)
    assert len(expected) > 400
    assert sorted(_key(r.asDict()) for r in got) == expected
    # the SNIP level of codekit's own edits
    snips = {(r.rule, r.snip) for r in got if r.kind == "finding"}
    notices = {(r.rule, r.snip, r.severity) for r in got if r.kind == "notice"}
    assert notices == {("NO_SERVICE_LINES", None, None)}  # claim 11 has no lines
    assert ("PROC_CODE_UNKNOWN", 5) in snips and ("DX_NOT_BILLABLE", 5) in snips
    assert ("MED_NECESSITY_DX_NOT_COVERED", 7) in snips and ("PTR_INVALID", 4) in snips
    assert all(snip is not None for _, snip in snips)


def _long_rows(dicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for d in dicts:
        head = {k: d[k] for k in ("claim_id", "claim_type", "payer", "patient",
                                  "date_of_service", "diagnoses")}
        lines = d["service_lines"] or [{}]  # a claim without lines: one row, no line fields
        for line in reversed(lines):  # the adapter orders them by line number
            rows.append({**head, **{k: line.get(k) for k in (
                "line", "line_id", "procedure_code", "modifiers", "units",
                "diagnosis_pointers")}})
    return rows


@pytest.mark.slow
def test_long_format_groups_lines_by_claim(spark: SparkSession,
                                           claims: list[dict[str, Any]]) -> None:
    schema = pa.schema([f for f in NESTED if f.name != "service_lines"] +
                       list(NESTED.field("service_lines").type.value_type))
    schema = schema.set(schema.get_field_index("date_of_service"),
                        pa.field("date_of_service", pa.string()))
    schema = schema.set(schema.get_field_index("patient"), pa.field(
        "patient", pa.struct([("sex", pa.string()), ("birth_date", pa.string())])))
    df = spark.createDataFrame(pa.Table.from_pylist(_long_rows(claims), schema=schema))
    findings = cks.check(df, checker=CHECKER, partitions=3)  # format auto: "lines"
    assert _got(findings) == _expected(CHECKER, claims)


def test_json_column_beside_a_numeric_claim_id(spark: SparkSession,
                                               claims: list[dict[str, Any]]) -> None:
    some = claims[:400]
    texts = [json.dumps({k: v for k, v in d.items() if k != "claim_id"}) for d in some]
    df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "pcn long, claim string")
    findings = cks.check(df, checker=CHECKER, claim_id="pcn")
    renamed = [{**d, "claim_id": str(i)} for i, d in enumerate(some)]
    assert _got(findings) == _expected(CHECKER, renamed)


def test_the_checker_travels_to_the_workers(spark: SparkSession,
                                            claims: list[dict[str, Any]]) -> None:
    # without the shipped Medicare policies: no policy finding, the rest the same
    policy = ("MED_NECESSITY_DX_NOT_COVERED", "COVERAGE_CRITERIA_NOT_MET")
    some = claims[:200] + [d for d in claims[200:] if any(
        f.rule in policy for f in CHECKER.check(Claim.from_dict(d)).findings)]
    no_policies = Checker(policies=())
    df = spark.createDataFrame(nested_table(some))
    got = _got(cks.check(df, checker=no_policies))
    assert got == _expected(no_policies, some)
    assert got != _expected(CHECKER, some)


def test_ncci_tables_travel_as_their_files(spark: SparkSession, tmp_path: Path,
                                           claims: list[dict[str, Any]]) -> None:
    # a directory of quarterly CMS files, as on a cluster's shared storage
    name = "ncci_mue_practitioner_2024q3.csv"
    (tmp_path / name).symlink_to(reference("northstar_2024q3", name))
    checker = Checker(tables=ncci.TableLibrary(directory=tmp_path))
    # the library travels as its directory: a few hundred bytes beyond a checker without it
    assert len(pickle.dumps(checker)) - len(pickle.dumps(Checker())) < 1_000
    some = copy.deepcopy(claims[:300])
    for i, d in enumerate(some):  # into the table's quarter, some units over the limit
        _, m, day = map(int, d["date_of_service"].split("-"))
        d["date_of_service"] = f"2024-{m - 3:02d}-{min(day, 30):02d}"
        if i % 10 == 0 and d["service_lines"]:
            d["service_lines"][0]["units"] = 40
    expected = _expected(checker, some)
    assert "MUE_EXCEEDED" in " ".join(expected)
    texts = [(d["claim_id"], json.dumps(d)) for d in some]
    df = spark.createDataFrame(texts, "claim_id string, claim string")
    assert _got(cks.check(df, checker=checker)) == expected



def test_long_format_reads_a_lines_own_rendering_provider(spark: SparkSession,
                                                         tmp_path: Path) -> None:
    """``line_rendering_provider`` (837P 2420A) fills the line's own provider: the NCCI
    practitioner PTP edit pairs one provider's lines, so 29881 and 29877 (indicator 0)
    by two NPIs of one group are no pair, by one NPI one pair. Before, the column was an
    unknown claim or line field."""
    (tmp_path / "ptp.csv").write_text(
        "column1,column2,effective,deletion,modifier\n29881,29877,2012-01-01,,0\n")
    checker = Checker(ptp=ncci.load_ptp(tmp_path / "ptp.csv", setting="practitioner"),
                      policies=())
    rows = [(claim, "professional", "medicare", ("F", "1960-01-01"), "2025-11-20",
             ["M23.221"], "1234567893", line, code, ["RT"], 1, [1], npi)
            for claim, second in (("TWO", "1003000126"), ("ONE", "1245319599"))
            for line, code, npi in ((1, "29881", "1245319599"), (2, "29877", second))]
    df = spark.createDataFrame(rows, (
        "claim_id string, claim_type string, payer string, "
        "patient struct<sex:string, birth_date:string>, date_of_service string, "
        "diagnoses array<string>, billing_provider string, line int, "
        "procedure_code string, modifiers array<string>, units int, "
        "diagnosis_pointers array<int>, line_rendering_provider string"))
    got = [(r.claim_id, r.path) for r in cks.check(df, checker=checker).collect()
           if r.rule == "NCCI_PTP_CONFLICT"]
    assert got == [("ONE", "$.service_lines[1].procedure_code")]

# -- bad input: findings for the claim, never a failed job -----------------------------------

GOOD = {"claim_id": "OK", "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1950-04-02"},
        "date_of_service": "2025-11-03", "diagnoses": ["E11"],
        "service_lines": [{"line": 1, "procedure_code": "99213", "units": "1",
                           "diagnosis_pointers": [1]}]}


def _findings(df: Any) -> dict[str, list[tuple[str, str, str]]]:
    out: dict[str, list[tuple[str, str, str]]] = {}
    for r in df.collect():
        out.setdefault(r.claim_id, []).append((r.rule, r.path, r.message))
    return {k: sorted(v) for k, v in out.items()}


def test_bad_rows_are_findings_of_their_claims(spark: SparkSession) -> None:
    # mistyped columns: units and date_of_service as text, pointers as text
    schema = ("claim_id string, claim_type string, payer string, "
              "patient struct<sex:string, birth_date:string>, date_of_service string, "
              "diagnoses array<string>, service_lines array<struct<line:int, "
              "procedure_code:string, units:string, diagnosis_pointers:array<string>>>")
    bad_units = {**GOOD, "claim_id": "UNITS", "service_lines": [
        {"line": 1, "procedure_code": "99213", "units": "abc", "diagnosis_pointers": ["1"]}]}
    rows = [GOOD, bad_units,
            {**GOOD, "claim_id": "DATE", "date_of_service": "2025-13-40"},
            {**GOOD, "claim_id": "NODX", "diagnoses": None},
            {**GOOD, "claim_id": "NOPATIENT", "patient": None},
            {**GOOD, "claim_id": "NULLS", "claim_type": None, "diagnoses": ["I10", None]},
            {**GOOD, "claim_id": None}]
    df = spark.createDataFrame(rows, schema).coalesce(1)  # all in one partition
    got = _findings(cks.check(df))
    fmt = "CLAIM_FORMAT_INVALID"
    header = ("DX_NOT_BILLABLE", "$.diagnoses[0]")
    assert [f[:2] for f in got["OK"]] == [header]
    assert got["UNITS"] == [(fmt, "$.service_lines[0].units", "must be a number, got 'abc'")]
    assert got["DATE"] == [(fmt, "$.date_of_service",
                            "not a date (YYYY-MM-DD, or an ISO date-time): '2025-13-40'")]
    # a null diagnoses array is core's "diagnoses": None, a claim without diagnoses that
    # is checked, not a key missing (a format error): as Claim.from_dict reads the dict
    assert got["NODX"] == [("DX_MISSING", "$.diagnoses", "The claim has no diagnosis: add "
                            "the principal/first-listed ICD-10-CM code.")]
    assert got["NOPATIENT"] == [(fmt, "$.patient", "missing")]
    assert got["NULLS"] == [(fmt, "$.claim_type", "missing"),
                            (fmt, "$.diagnoses[1]", "must be text, got null")]
    assert [f[:2] for f in got[None]] == [header]  # no id: checked all the same

    # a whole column of the wrong type: every claim says so
    typed = spark.createDataFrame([("A", "professional", 20251103)],
                                  "claim_id string, claim_type string, date_of_service long")
    assert _findings(cks.check(typed)) == {"A": [
        (fmt, "$.date_of_service", "not a date (YYYY-MM-DD, or an ISO date-time): 20251103"),
        (fmt, "$.diagnoses", "missing"), (fmt, "$.patient", "missing")]}


def test_bad_json_and_bad_line_rows(spark: SparkSession) -> None:
    texts = [("J1", json.dumps(GOOD)), ("J2", '{"claim_type": "professional",'),
             ("J3", None), ("J4", "[1, 2]")]
    got = _findings(cks.check(spark.createDataFrame(texts, "claim_id string, claim string")))
    assert [f[:2] for f in got["J1"]] == [("DX_NOT_BILLABLE", "$.diagnoses[0]")]
    assert [f[:2] for f in got["J2"]] == [("CLAIM_FORMAT_INVALID", "$")]
    assert got["J2"][0][2].startswith("not JSON: ")
    assert got["J3"] == [("CLAIM_FORMAT_INVALID", "$", "the claim JSON (claim) is null")]
    assert got["J4"] == [("CLAIM_FORMAT_INVALID", "$", "a claim must be an object, got an array")]

    line = {"claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
            "patient": {"sex": "M", "birth_date": "1950-01-01"}, "diagnoses": ["I10"],
            "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]}
    rows = [{**line, "claim_id": "L1", "line": 1},
            {**line, "claim_id": "L1", "line": 2, "procedure_code": "93000"},
            {**line, "claim_id": "L2", "line": 1},
            {**line, "claim_id": "L2", "line": 2, "diagnoses": ["I10", "E11.9"]},
            {**line, "claim_id": None, "line": 1}]
    schema = ("claim_id string, claim_type string, payer string, date_of_service string, "
              "patient struct<sex:string, birth_date:string>, diagnoses array<string>, "
              "line int, procedure_code string, units int, diagnosis_pointers array<int>")
    got = _findings(cks.check(spark.createDataFrame(rows, schema), format="lines"))
    assert "L1" not in got  # clean
    assert got["L2"] == [("CLAIM_FORMAT_INVALID", "$.diagnoses",
                          "differs between the claim's line rows: ['I10'] (row 1), "
                          "['I10', 'E11.9'] (row 2)")]
    assert got[None] == [("CLAIM_FORMAT_INVALID", "$.claim_id", "missing: the long format "
                          "groups a claim's line rows by its claim id")]


def test_clean_rows_give_every_claim_a_row(spark: SparkSession) -> None:
    clean = {**GOOD, "claim_id": "CLEAN", "diagnoses": ["E11.9"]}
    df = spark.createDataFrame([(c["claim_id"], json.dumps(c)) for c in (GOOD, clean)],
                               "claim_id string, claim string")
    rows = {r.claim_id: r for r in cks.check(df, clean_rows=True).collect()}
    assert rows["OK"].rule == "DX_NOT_BILLABLE" and rows["OK"].fix[:2] == ["E11.00", "E11.01"]
    assert rows["CLEAN"].rule is None and rows["CLEAN"].codes == []
    assert cks.check(df).where("claim_id = 'CLEAN'").count() == 0


def test_mistakes_in_the_call_are_said_before_any_job(spark: SparkSession) -> None:
    df = spark.createDataFrame([("A", "professional", "x")],
                               "claim_id string, claim_type string, diagnosis string")
    with pytest.raises(InvalidArgument, match="'diagnosis' are no claim field"):
        cks.check(df)
    with pytest.raises(InvalidArgument, match="claim_id='claim_id': no such column"):
        cks.check(df.drop("claim_id"), format="lines")
    with pytest.raises(InvalidArgument, match="needs the claim id column"):
        cks.check(df.drop("claim_id"), format="lines", claim_id=None)
    with pytest.raises(InvalidArgument, match="claim_id='pcn': no such column"):
        cks.check(df, claim_id="pcn")
    with pytest.raises(InvalidArgument, match="format='csv'"):
        cks.check(df, format="csv")
    lines = spark.createDataFrame([("A", "99213")], "claim_id string, procedure_code string")
    with pytest.raises(InvalidArgument, match="needs a 'line' column"):
        cks.check(lines)
    with pytest.raises(InvalidArgument, match="is int: expected text"):
        cks.check(spark.createDataFrame([(1,)], "claim int"), format="json")


# -- code columns ---------------------------------------------------------------------------


def test_code_columns_against_date_columns(spark: SparkSession) -> None:
    rows = [("E11.9", dt.date(2025, 11, 3)), ("E11", dt.date(2025, 11, 3)),
            ("E1165", dt.date(2025, 11, 3)), ("I1O", dt.date(2025, 11, 3)),
            ("E11.A", dt.date(2025, 9, 30)), ("E11.A", dt.date(2025, 10, 1)),
            (None, dt.date(2025, 11, 3)), ("I10", None)]
    df = spark.createDataFrame(rows, "dx string, dos date")
    out = cks.validate_codes(df, "dx", "dos").collect()
    assert out[0].asDict() == {
        "dx": "E11.9", "dos": dt.date(2025, 11, 3), "dx_valid": True, "dx_error": None,
        "dx_message": None, "dx_fix": [],
        "dx_title": "Type 2 diabetes mellitus without complications"}
    assert (out[1].dx_valid, out[1].dx_error, out[1].dx_title) == (
        False, "DX_NOT_BILLABLE", "Type 2 diabetes mellitus")
    assert out[1].dx_fix[:3] == ["E11.00", "E11.01", "E11.10"]
    assert out[2].dx_valid and out[2].dx_title.startswith("Type 2 diabetes mellitus with hyper")
    assert (out[3].dx_valid, out[3].dx_error, out[3].dx_fix[0], out[3].dx_title) == (
        False, "DX_CODE_UNKNOWN", "I10", None)
    assert (out[4].dx_valid, out[4].dx_error) == (False, "DX_NOT_VALID_ON_DOS")  # before FY2026
    assert out[5].dx_valid is True
    # a null code is said, as the pandas door says it (it had no error and no message)
    assert (out[6].dx_valid, out[6].dx_error, out[6].dx_message) == (
        False, "CODE_MISSING", "the cell is empty: no code")
    assert (out[7].dx_valid, out[7].dx_error, out[7].dx_message) == (
        None, "INVALID_ARGUMENT", "no date of service (the date is null)")

    procs = spark.createDataFrame([("99213",), ("J1030",), ("9921",)], "hcpcs string")
    got = [(r.hcpcs_valid, r.hcpcs_error) for r in cks.validate_codes(
        procs, "hcpcs", system="procedure", on="2025-11-03").collect()]
    assert got == [(True, None), (False, "PROC_NOT_VALID_ON_DOS"),
                   (False, "PROC_FORMAT_INVALID")]
    # a CSV column Spark inferred as numbers (nulls make it floats in Python): read as the
    # pandas front door reads it, and said so
    numbers = spark.createDataFrame([(99213,), (None,), (100,), (99213,)], "cpt long")
    got = [(r.cpt_valid, r.cpt_error, r.cpt_message) for r in cks.validate_codes(
        numbers, "cpt", system="cpt", on="2025-11-03").collect()]
    assert got == [(True, None, "read as 99213: the code was stored as a number"),
                   (False, "CODE_MISSING", "the cell is empty: no code"),
                   (True, None, "read as 00100: the code was stored as a number"),
                   (True, None, "read as 99213: the code was stored as a number")]
    texts = spark.createDataFrame([("E11.9", "2025-11-03"), ("E11.9", "11/03/2025")],
                                  "code string, day string")
    checked = texts.select(cks.validation("code", "day").alias("v")).collect()
    assert checked[0].v.valid is True
    assert checked[1].v.valid is None and "11/03/2025" in checked[1].v.message
    with pytest.raises(InvalidArgument, match="not both"):
        cks.validation("code", "day", on="2025-11-03")
    with pytest.raises(InvalidArgument, match="system='icd9'"):
        cks.validate_codes(texts, "code", "day", system="icd9")
    with pytest.raises(InvalidArgument, match="exist already"):
        cks.validate_codes(texts.withColumn("code_valid", texts.code), "code", "day")


def test_code_columns_pandas_cannot_take_are_answered_not_a_failed_job(
        spark: SparkSession) -> None:
    """validate_codes failed the whole job, in PySpark's conversion of a batch to pandas,
    on a code or date of text that is not UTF-8 (``ArrowException: Wrapping \\xffE
    failed``) and on a timestamp date outside the years 1677-2262 (``out of bounds
    timestamp``: 0001-01-01 and 9999-12-31 are many warehouses' "none" and "open"). Such
    text is answered with U+FFFD where its bytes are not UTF-8; such a timestamp as its
    day, as any timestamp is."""
    df = spark.sql(
        "select cast(X'FF4531312E39' as string) dx, timestamp'2025-11-03 10:30:00' dos, "
        "'2025-11-03' day union all select 'E11.9', timestamp'0001-01-01 00:00:00', "
        "cast(X'32303235FF' as string) union all select 'E11.9', "
        "timestamp'2025-11-03 23:59:59', '2025-11-03'").coalesce(1)
    answers = ("dx_valid", "dx_error", "dx_message")  # (Python has no year 0 to collect)
    got = [tuple(r) for r in cks.validate_codes(df, "dx", "dos").select(*answers).collect()]
    assert got == [
        (False, "DX_FORMAT_INVALID", "'\ufffdE11.9': the dot must follow the 3rd character "
                                     "(category), e.g. E11.65"),
        (False, "DX_NOT_VALID_ON_DOS", "'E11.9': ICD-10-CM took effect on 2015-10-01; for "
                                       "a date of service of 0001-01-01 use ICD-9-CM"),
        (True, None, None)]
    by_text = [tuple(r) for r in
               cks.validate_codes(df, "dx", "day").select(*answers).collect()]
    assert by_text[1] == (None, "INVALID_ARGUMENT", "the date '2025\ufffd': expected a "
                          "date, 'YYYY-MM-DD' or an ISO date-time")
    assert by_text[2] == (True, None, None)


# -- the worker side, without Spark -------------------------------------------------------------


def test_each_distinct_code_and_date_is_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from codekit import icd10cm

    calls: list[tuple[object, object]] = []

    class Counting:
        def validate(self, code: object, *, on: object) -> Any:
            calls.append((code, on))
            return icd10cm.validate(code, on=on)

        def lookup(self, code: object, *, on: object) -> Any:
            return icd10cm.lookup(code, on=on)

        def parse(self, code: object) -> Any:  # cells.read: does the cell hold a code?
            return icd10cm.parse(code)

    monkeypatch.setattr(_codes.codesystem, "get", lambda name: Counting())
    codes = ["E11.9", "E11", "E11.9", "E11", "E11.9", None]
    dates = ["2025-11-03", "2025-11-03", "2025-11-03", dt.date(2025, 11, 3),
             "2025-10-01", "2025-11-03"]
    answers = _codes.validate_pairs("icd10cm", codes, dates)
    assert [a[0] for a in answers] == [True, False, True, False, True, False]
    assert calls == [("E11.9", dt.date(2025, 11, 3)), ("E11", dt.date(2025, 11, 3)),
                     ("E11.9", dt.date(2025, 10, 1))]


def test_procedure_codes_stored_as_numbers_are_read_as_the_pandas_door_reads_them() -> None:
    # an int column with nulls reaches the UDF as floats: the message named 99213.0 and
    # "got float", for a column that holds 99213
    day = ["2025-11-03"] * 6
    got = _codes.validate_pairs("procedure", [99213.0, 99213, 1234, 27447.5, True, 10**9], day)
    assert got[0] == got[1] == (True, None, "read as 99213: the code was stored as a number",
                                [], None)
    assert got[2][:3] == (True, None, "read as 01234: the code was stored as a number")
    assert [a[:3] for a in got[3:]] == [
        (False, "PROC_FORMAT_INVALID", "expected a code as text, got float 27447.5"),
        (False, "PROC_FORMAT_INVALID", "expected a code as text, got bool True"),
        (False, "PROC_FORMAT_INVALID", "expected a code as text, got int 1000000000")]
    # read, then judged: the note comes first in the message of a code not valid
    assert _codes.validate_pairs("hcpcs", [99213], ["2025-11-03"])[0][:2] == (
        False, "PROC_FORMAT_INVALID")
    assert _codes.validate_pairs("cpt", [1], ["2025-11-03"])[0][2].startswith(
        "read as 00001: the code was stored as a number; ")
    # diagnoses are never numbers
    assert _codes.validate_pairs("icd10cm", [410], ["2025-11-03"])[0][:3] == (
        False, "DX_FORMAT_INVALID", "expected a code as text, got int 410")


def test_a_cell_without_a_code_is_answered_as_the_pandas_door_answers_it() -> None:
    """validate_codes and pandas validate disagreed: "" was DX_FORMAT_INVALID ("empty")
    beside CODE_MISSING, a null code had no error and no message, and an array<string>
    code showed NumPy's repr (a data analyst's review, 2026-12-06). The same cells through both
    doors (Spark's UDF body, which gets an array column's cells as NumPy arrays) now give the same
    answer."""
    import numpy as np
    import pandas as pd

    import codekit.pandas as ckpd

    cells = [None, "", "  ", "N/A", "...", np.array(["E11.9"], dtype=object), ["E11.9"],
             True, 27447.5, "E11", "E11.9", "x" * 5000]
    for system in ("icd10cm", "procedure"):
        codes = pd.Series(cells, dtype=object)
        pandas = ckpd.validate(codes, on="2025-11-03", system=system)
        spark = _codes.validate_series(system, "2025-11-03", codes, None)
        assert spark[["valid", "error", "message"]].values.tolist() == \
            pandas[["valid", "rule", "message"]].values.tolist(), system
    assert spark["message"][:7].tolist() == [
        "the cell is empty: no code", "the cell holds no code: ''",
        "the cell holds no code: '  '",
        "the cell holds no code: 'N/A' is how a missing value is written",
        "the cell holds no code: '...'", "expected a code as text, got list ['E11.9']",
        "expected a code as text, got list ['E11.9']"]


def test_a_claim_runs_across_batches_and_the_checker_is_unpickled_once() -> None:
    payload = pickle.dumps(CHECKER)
    job = _worker.Job(payload, "digest-test", "lines", "id", "row",
                      claim_columns=(("claim_type", "claim_type"), ("diagnoses", "diagnoses"),
                                     ("patient", "patient"),
                                     ("date_of_service", "date_of_service")),
                      line_columns=(("line", "line"), ("procedure_code", "procedure_code"),
                                    ("units", "units"),
                                    ("diagnosis_pointers", "diagnosis_pointers")))
    head = {"claim_type": "professional", "diagnoses": ["E11"], "patient": {"sex": "F",
            "age": 70}, "date_of_service": "2025-11-03", "units": 1, "diagnosis_pointers": [1]}
    rows = [{"id": "A", "row": json.dumps({**head, "line": n, "procedure_code": code})}
            for n, code in ((1, "99213"), (2, "93000"))]
    rows += [{"id": "B", "row": json.dumps({**head, "line": 1, "procedure_code": "0000"})}]
    batches = [pa.RecordBatch.from_pylist(rows[:1]), pa.RecordBatch.from_pylist(rows[1:])]
    out = pa.Table.from_batches(list(_worker.check_batches(job, batches))).to_pylist()
    assert [(r["claim_id"], r["line"], r["rule"], r["path"], r["kind"]) for r in out] == [
        ("A", None, "PAYER_UNROUTED", "$.payer", "notice"),  # no payer
        ("A", None, "DX_NOT_BILLABLE", "$.diagnoses[0]", "finding"),
        ("B", None, "PAYER_UNROUTED", "$.payer", "notice"),
        ("B", None, "DX_NOT_BILLABLE", "$.diagnoses[0]", "finding"),
        ("B", 1, "PROC_FORMAT_INVALID", "$.service_lines[0].procedure_code", "finding")]
    first = _worker.checker_of(job)
    assert _worker.checker_of(job) is first


def test_the_policy_column_names_a_payer_policys_rule_id() -> None:
    # the findings table's last column: the policy's rule ID (Finding.policy), a nullable
    # string, null for a built-in edit's finding, a notice and a clean row
    assert cks.findings_schema()["policy"] == T.StructField("policy", T.StringType(), True)
    assert cks.findings_schema().names[-1] == "policy"
    assert cks.FINDINGS_DDL.endswith(", kind string, policy string")
    assert cks.FILE_FINDINGS_DDL.endswith(", policy string, source string, location string")
    g2211 = {"claim_id": "G-1", "claim_type": "professional", "payer": "medicare",
             "patient": {"sex": "F", "birth_date": "1952-05-14"},
             "date_of_service": "2025-03-04", "diagnoses": ["M17.11", "E11.9"],
             "service_lines": [
                 {"procedure_code": "99213", "modifiers": ["25"], "units": 1,
                  "diagnosis_pointers": [2, 1]},
                 {"procedure_code": "G2211", "units": 1, "diagnosis_pointers": [2]},
                 {"procedure_code": "20610", "modifiers": ["LT"], "units": 1,
                  "diagnosis_pointers": [1]}]}
    clean = {**GOOD, "claim_id": "CLEAN", "diagnoses": ["E11.9"]}
    late = {**GOOD, "claim_id": "LATE", "date_of_service": "2040-01-02"}
    job = _worker.Job(pickle.dumps(CHECKER), "digest-policy", "json", "claim_id", "claim",
                      clean_rows=True)
    batch = pa.RecordBatch.from_pylist([{"claim_id": d["claim_id"], "claim": json.dumps(d)}
                                        for d in (g2211, clean, late)])
    (out,) = _worker.check_batches(job, [batch])
    assert out.schema.field("policy").type == pa.string()
    rows = [(r["claim_id"], r["kind"], r["rule"], r["policy"]) for r in out.to_pylist()]
    assert rows[:3] == [("G-1", "finding", "LATERALITY_MISMATCH", None),
                        ("G-1", "finding", "COVERAGE_CRITERIA_NOT_MET", "MCR-G2211-MOD25"),
                        ("CLEAN", None, None, None)]
    assert {(kind, policy) for _, kind, _, policy in rows[3:]} == {("notice", None),
                                                                   ("finding", None)}


def test_a_reused_worker_freezes_what_its_task_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    # Spark's daemon runs a full gc.collect() after each task of a reused worker: what a
    # task leaves (the tables, the memos) is frozen first, so that collection skips it
    job = _worker.Job(pickle.dumps(CHECKER), "digest-settle", "json", "claim_id", "claim")
    rows = [{"claim_id": "S1", "claim": json.dumps(GOOD)},
            {"claim_id": "S2", "claim": json.dumps({**GOOD, "diagnoses": ["E11.9"]})}]
    gc.unfreeze()  # the test process freezes nothing of its own
    monkeypatch.delenv("SPARK_REUSE_WORKER", raising=False)
    plain = pa.Table.from_batches(list(_worker.check_batches(
        job, [pa.RecordBatch.from_pylist(rows)]))).to_pylist()
    assert gc.get_freeze_count() == 0  # not in a Spark worker: nothing is frozen
    checker = _worker.checker_of(job)
    monkeypatch.setenv("SPARK_REUSE_WORKER", "1")
    try:
        reused = pa.Table.from_batches(list(_worker.check_batches(
            job, [pa.RecordBatch.from_pylist(rows)]))).to_pylist()
        assert gc.get_freeze_count() > 1000  # codekit's tables and memos among them
        gc.collect()
        # the checker the worker keeps is in no generation: no collection walks it
        assert gc.is_tracked(checker)
        assert not any(o is checker for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(o is checker for o in gc.get_objects())
    assert reused == plain
    assert [(r["claim_id"], r["rule"]) for r in plain] == [("S1", "DX_NOT_BILLABLE")]


def test_spark_workers_are_reused_and_freeze(spark: SparkSession,
                                             claims: list[dict[str, Any]]) -> None:
    # the premise of settle(): PySpark tells its reused workers so (SPARK_REUSE_WORKER)
    df = spark.createDataFrame(nested_table(claims[:400])).repartition(4)
    cks.check(df, checker=CHECKER).count()

    def probe(batches: Iterator[Any]) -> Iterator[Any]:
        import gc as worker_gc
        import os as worker_os

        for _ in batches:
            pass
        yield pa.RecordBatch.from_pylist([{
            "reuse": worker_os.environ.get("SPARK_REUSE_WORKER"),
            "frozen": worker_gc.get_freeze_count()}])

    seen = spark.range(0, 8, numPartitions=8).mapInArrow(
        probe, "reuse string, frozen long").collect()
    assert {r.reuse for r in seen} == {"1"}
    assert max(r.frozen for r in seen) > 1000


@rule("TEST_BOOM", "Z", "error", "tests.test_spark")
def _boom(ctx: Any) -> Any:
    """A codekit bug met by every claim."""
    raise RuntimeError("boom")


def test_a_claim_whose_check_raises_is_a_finding() -> None:
    """The claim's CLAIM_CHECK_FAILED row, under the row's claim id (X, its JSON's is OK)."""
    job = _worker.Job(pickle.dumps(Checker().with_rules(_boom)), "digest-boom", "json",
                      "claim_id", "claim")
    batch = pa.RecordBatch.from_pylist([{"claim_id": "X", "claim": json.dumps(GOOD)}])
    (out,) = _worker.check_batches(job, [batch])
    row = out.to_pylist()[0]
    assert (row["claim_id"], row["rule"], row["severity"]) == ("X", "CLAIM_CHECK_FAILED",
                                                               "error")
    assert "RuntimeError: boom" in row["message"]


@pytest.mark.parametrize("broken", ["BROKEN", "LOOKUP_BROKEN"])
def test_an_837_files_claim_whose_check_fails_is_its_finding_and_the_file_goes_on(
        broken: str) -> None:
    """A codekit bug met by the second claim of an 837 file (a rule raising KeyError for
    claim BAD, or a ValidationError it did not catch) was one CLAIM_CHECK_FAILED row for
    the whole file: the findings of its other claims were lost. The claim's own row now
    says it, and the others are checked."""
    from codekit import Claim, x12
    from tests import test_batch
    from tests.test_batch import broken_claim

    claims = [Claim.from_dict(dict(broken_claim(c), diagnoses=["E11"]))
              for c in ("A", "BAD", "C")]
    content = x12.write_837(claims).encode()
    job = _worker.Job(pickle.dumps(getattr(test_batch, broken)), "digest-broken-837", "x12")
    batch = pa.RecordBatch.from_pylist([{"path": "claims.837", "content": content}])
    (out,) = _worker.file_batches(job, [batch])
    got = sorted((r["claim_id"], r["rule"]) for r in out.to_pylist())
    assert got == [("A", "DX_NOT_BILLABLE"), ("BAD", "CLAIM_CHECK_FAILED"),
                   ("C", "DX_NOT_BILLABLE")]


@rule("TEST_NO_MEMORY", "Z", "error", "tests.test_spark")
def _no_memory(ctx: Any) -> Any:
    """No memory left while checking a claim."""
    raise MemoryError


def test_no_memory_fails_the_task_as_in_every_door() -> None:
    """A MemoryError was one CLAIM_CHECK_FAILED row in Spark (its own try/except), while
    check_many, codekit check, pandas, X12 and FHIR raise it (codekit.batch.FATAL): Spark
    now raises it too, and the task fails."""
    from codekit import Claim, x12
    from tests.test_batch import broken_claim

    content = x12.write_837([Claim.from_dict(broken_claim("A"))]).encode()
    job = _worker.Job(pickle.dumps(Checker().with_rules(_no_memory)), "digest-no-memory",
                      "x12")
    batch = pa.RecordBatch.from_pylist([{"path": "claims.837", "content": content}])
    with pytest.raises(MemoryError):
        list(_worker.file_batches(job, [batch]))


# -- files: 837 interchanges and FHIR NDJSON, read on the executors ---------------------------


def _file_rows(df: Any) -> list[tuple[Any, ...]]:
    return sorted(((Path(r.source).name, r.claim_id, r.line, r.rule, r.path, r.snip,
                    r.location) for r in df.collect()), key=repr)


def test_837_files_into_the_findings_table(spark: SparkSession, tmp_path: Path) -> None:
    import attrs

    from codekit import x12

    base = x12._example()
    claims = [attrs.evolve(base, claim_id=f"X{i}",
                           diagnoses=("E11", "I10") if i % 2 else ("E11.9", "I10"))
              for i in range(6)]
    # an 837P line coded WK (kept in extra, no claim line): its finding names LX 1
    wk = attrs.evolve(
        claims[5], service_lines=(attrs.evolve(base.service_lines[0], line=2),),
        total_charge=base.total_charge + 40, extra={"x12_other_procedure_codes": [
            {"line": 1, "element": "SV101-2", "qualifier": "WK", "code": "AAAAA",
             "modifiers": [], "charge": "40", "unit_basis": "UN", "units": "1",
             "place_of_service": None, "pointers": ["1"], "date": "2025-11-03",
             "line_id": "R-ONE", "ndc": None}]})
    claims[5] = wk
    (tmp_path / "a.837").write_text(x12.write_837(claims[:4]))
    (tmp_path / "b.837").write_text(x12.write_837(claims[4:], interchange=2))
    (tmp_path / "junk.837").write_text("not an interchange\n")
    (tmp_path / "notes.txt").write_text("skipped by the glob")
    got = _file_rows(cks.check_837(spark, str(tmp_path), checker=CHECKER, glob="*.837"))
    expected = []
    for name in ("a.837", "b.837"):
        for result in x12.check((tmp_path / name).read_bytes(), CHECKER):
            report = result.report
            for xf in result.findings:
                line = report.line_of(xf.finding)[0] if report is not None else None
                expected.append((name, result.claim_id, line or xf.line, xf.rule,
                                 xf.finding.path, xf.snip, str(xf.location)))
    assert {r[1] for r in expected} >= {"X1", "X3", "X5"}  # E11 is a header: findings
    assert ("b.837", "X5", 1, "X12_PROCEDURE_CODE_SET", "$") in [r[:5] for r in got]
    assert sorted(expected, key=repr) == [r for r in got if r[0] != "junk.837"]
    (junk,) = [r for r in got if r[0] == "junk.837"]
    assert junk[1:6] == (None, None, "X12_NOT_READABLE", "$", None)


def test_fhir_ndjson_into_the_findings_table(spark: SparkSession, tmp_path: Path) -> None:
    from codekit import fhir

    claim = {
        "resourceType": "Claim", "status": "active", "use": "claim",
        "identifier": [{"value": "PCN-7"}],
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type",
                             "code": "professional"}]},
        "contained": [{"resourceType": "Patient", "id": "p", "gender": "female",
                       "birthDate": "1956-03-02"}],
        "patient": {"reference": "#p"}, "created": "2025-11-03",
        "provider": {"display": "Dr. Who"}, "priority": {"coding": [{"code": "normal"}]},
        "insurer": {"display": "Medicare"},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "Part B"}}],
        "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [
            {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.99"}]}}],
        "item": [{"sequence": 1, "diagnosisSequence": [1], "servicedDate": "2025-11-03",
                  "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt",
                                                   "code": "99213"}]},
                  "modifier": [{"coding": [{"code": "ZZ"}]}], "quantity": {"value": 1}}]}
    other = {**claim, "identifier": [{"value": "PCN-8"}]}
    text = "\n".join([json.dumps(claim), "{not json", json.dumps(other)]) + "\n"
    (tmp_path / "claims.ndjson").write_text(text)
    got = _file_rows(cks.check_fhir(spark, str(tmp_path / "claims.ndjson"), checker=CHECKER))
    expected = []
    for result in fhir.check_ndjson(text.encode().splitlines(), checker=CHECKER):
        if result.read is None:
            for f in result.to_report().findings:
                expected.append(("claims.ndjson", None, None, f.rule, f.path, None,
                                 result.where))
            continue
        for f, where in result.issues():
            line = result.report.line_of(f)[0] if result.report is not None else None
            group = {r.id: r.group for r in CHECKER.rules}.get(f.rule)
            expected.append(("claims.ndjson", result.read.claim_id, line, f.rule, f.path,
                             cks.snip_level(f.rule, group), f"{result.where}: {where}"))
    assert sorted(expected, key=repr) == got, got
    assert ("claims.ndjson", "PCN-8", 1, "MOD_INVALID", "$.service_lines[0].modifiers[0]", 5,
            "line 3: Claim: Claim.item[0].modifier[0]") in got
    assert any(r[3] == "FHIR_FORMAT_INVALID" and r[6] == "line 2" for r in got)


# -- edge cases of real pipelines ----------------------------------------------------------------


def test_a_lone_surrogate_in_claim_json_does_not_fail_the_batch(spark: SparkSession) -> None:
    # JSON text may escape half of a UTF-16 pair ("\ud800"): Python reads it, UTF-8 cannot
    # hold it; the claim's findings keep it escaped and the other claims of the batch go on
    broken_id = json.dumps({**GOOD, "claim_id": "\ud800X"})
    broken_dx = {**GOOD, "claim_id": "S2", "diagnoses": ["E11\udc80"]}
    rows = [("A", json.dumps(GOOD)), (None, broken_id), ("S2", json.dumps(broken_dx)),
            ("D", json.dumps(GOOD))]
    df = spark.createDataFrame(rows, "claim_id string, claim string").coalesce(1)
    got = [(r.claim_id, r.rule, r.path, r.codes, r.message) for r in cks.check(df).collect()]
    (core,) = CHECKER.check(Claim.from_dict(broken_dx)).rows()
    assert core["rule"] == "DX_FORMAT_INVALID" and core["codes"] == ["E11\udc80"]
    header = ("DX_NOT_BILLABLE", "$.diagnoses[0]")
    assert [g[0] for g in got] == ["A", "\\ud800X", "S2", "D"]
    assert [g[1:3] for g in got] == [header, header, ("DX_FORMAT_INVALID", "$.diagnoses[0]"),
                                     header]
    assert got[2][3:] == (["E11\\udc80"], core["message"].replace("\udc80", "\\udc80"))
    assert "E11\\udc80" in got[2][4]


def test_text_that_is_not_utf8_is_its_rows_finding_not_a_failed_job(
        spark: SparkSession) -> None:
    """A Spark string may hold bytes that are not UTF-8 (a binary column cast to string,
    Parquet another tool wrote). In the claim JSON column, or as a claim id (a binary id
    column is cast to text), it failed the whole job: ``UnicodeDecodeError`` where the
    worker took the Arrow column as Python text. The JSON is its row's format error, as
    the same bytes in a binary column are; an id is decoded with replacement, as a binary
    id's bytes are; the other rows are checked."""
    bad_json = b'{"claim_type": "professional", "payer": "caf\xe9"}'
    rows = [("A", bytearray(json.dumps(GOOD).encode())), ("B", bytearray(bad_json)),
            ("C", bytearray(json.dumps(GOOD).encode()))]
    raw = spark.createDataFrame(rows, "claim_id string, claim binary").coalesce(1)
    as_text = raw.select("claim_id", F.col("claim").cast("string").alias("claim"))
    said = ("CLAIM_FORMAT_INVALID", "not JSON: 'utf-8' codec can't decode byte 0xe9 in "
            "position 44: invalid continuation byte")
    expected = [("A", "DX_NOT_BILLABLE"), ("B", said), ("C", "DX_NOT_BILLABLE")]

    def got(df: Any) -> list[tuple[str, Any]]:
        return [(r.claim_id, r.rule if r.rule != "CLAIM_FORMAT_INVALID" else
                 (r.rule, r.message)) for r in cks.check(df).collect()]

    assert got(raw) == expected  # the binary column's answer, as it was
    assert got(as_text) == expected
    ids = spark.createDataFrame([(bytearray(b"P\xff1"), json.dumps(GOOD)),
                                 (bytearray(b"P2"), json.dumps(GOOD))],
                                "pcn binary, claim string").coalesce(1)
    assert [(r.claim_id, r.rule) for r in cks.check(ids, claim_id="pcn").collect()] == [
        ("P\ufffd1", "DX_NOT_BILLABLE"), ("P2", "DX_NOT_BILLABLE")]
    # the long format groups the lines by the id's bytes: two ids that are not UTF-8
    # stay two claims
    lines = spark.sql(
        "select cast(X'50FF' as string) claim_id, 1 line, 'professional' claim_type, "
        "'medicare' payer, '2025-11-03' date_of_service, named_struct('sex', 'F', 'age', "
        "70) patient, array('E11.9') diagnoses, '99213' procedure_code, 1 units, "
        "array(1) diagnosis_pointers "
        "union all select cast(X'50FE' as string), 1, 'professional', 'medicare', "
        "'2025-11-03', named_struct('sex', 'M', 'age', 70), array('E11.9'), '99213', 1, "
        "array(1)")
    got_lines = cks.check(lines, format="lines", clean_rows=True).collect()
    assert [(r.claim_id, r.rule) for r in got_lines] == [("P\ufffd", None)] * 2


def test_mistakes_with_columns_and_arguments_are_typed(spark: SparkSession) -> None:
    a = spark.createDataFrame([("A", "professional")], "claim_id string, claim_type string")
    b = spark.createDataFrame([("A", "2025-11-03")], "claim_id string, date_of_service string")
    joined = a.join(b, a.claim_id == b.claim_id)  # both sides' claim_id
    with pytest.raises(InvalidArgument, match="'claim_id' appear more than once"):
        cks.check(joined)
    assert cks.check(joined.select(a.claim_id, "claim_type", "date_of_service")).count() == 2
    with pytest.raises(InvalidArgument, match=r"checker='x': expected a codekit\.Checker"):
        cks.check(a, checker="x")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="partitions=True"):
        cks.check(a, partitions=True)
    for too_many in (2**31, 10**12):  # a raw Py4JError: repartition(Long) does not exist
        with pytest.raises(InvalidArgument, match=f"partitions={too_many}: expected a whole "
                           "number from 1 to 2,147,483,647"):
            cks.check(a, partitions=too_many)
    # text stored as binary (Parquet without its UTF-8 annotation) would be base64 codes
    binary = a.withColumn("diagnoses", F.array(F.lit("E11.9").cast("binary")))
    with pytest.raises(InvalidArgument, match="'diagnoses' hold binary values"):
        cks.check(binary)
    with pytest.raises(InvalidArgument, match="'procedure_code' hold binary values"):
        cks.check(spark.sql("select 'A' claim_id, 1 line, cast('99213' as binary) "
                            "procedure_code"))
    with pytest.raises(InvalidArgument, match="claim_id='claim_id' is map<string,int>"):
        cks.check(spark.sql("select map('a', 1) claim_id, 1 line, '99213' procedure_code"))
    # any column name: a backtick or a dot in the claim id column's name
    odd = spark.createDataFrame([("P`1", json.dumps(GOOD))], T.StructType([
        T.StructField("pcn`x.y", T.StringType()), T.StructField("claim.json", T.StringType())]))
    got = cks.check(odd, claim_id="pcn`x.y", json_column="claim.json").collect()
    assert [(r.claim_id, r.rule) for r in got] == [("P`1", "DX_NOT_BILLABLE")]


@pytest.mark.slow  # three Spark jobs: 17 s on a loaded 2-core VM
def test_the_docs_recipes_trace_every_line_and_count_every_error(
        spark: SparkSession, tmp_path: Path) -> None:
    """docs/spark.md: the JSON-lines recipe gave a line that is not JSON claim_id null and
    path $, untraceable; `where(~dx1_valid)` dropped the rows whose date is bad (valid
    null); a claim that cannot be read named its line by position, without its id
    (a data analyst's review of 2026-12-06, items 3, 5, 6). The recipes as the page writes them."""
    late = {**GOOD, "claim_id": "L", "service_lines": [
        {"line": 7, "line_id": "L-7", "procedure_code": "99213", "units": "x"}]}
    no_id = {k: v for k, v in GOOD.items() if k != "claim_id"}
    (tmp_path / "claims.jsonl").write_text("\n".join(
        [json.dumps(GOOD), "{ not json", json.dumps(late), json.dumps(no_id)]) + "\n")
    claims = spark.read.text(str(tmp_path))                    # one claim a line
    claims = claims.select(F.coalesce(
        F.get_json_object("value", "$.claim_id"),
        F.concat(F.col("_metadata.file_path"), F.lit("#"),
                 F.monotonically_increasing_id().cast("string"))).alias("claim_id"), "value")
    findings = cks.check(claims, format="json", json_column="value")
    unread = findings.where((F.col("rule") == "CLAIM_FORMAT_INVALID") & (F.col("path") == "$"))
    bad_lines = claims.join(unread, "claim_id")
    assert [r.value for r in bad_lines.collect()] == ["{ not json"]
    got = sorted((r.claim_id.rsplit("#", 1)[0], r.line, r.line_id, r.rule)
                 for r in findings.collect())
    where = (tmp_path / "claims.jsonl").as_uri().replace("file:///", "file:/")
    assert got == [("L", 7, "L-7", "CLAIM_FORMAT_INVALID"), ("OK", None, None, "DX_NOT_BILLABLE"),
                   (where, None, None, "CLAIM_FORMAT_INVALID"),
                   (where, None, None, "DX_NOT_BILLABLE")]
    lines = spark.createDataFrame([("E11", None), ("E11", "2025-11-03"), ("E11.9", "2025-11-03"),
                                   (None, "2025-11-03")], "dx1 string, service_date string")
    lines = cks.validate_codes(lines, "dx1", "service_date")
    counted = lines.where(F.col("dx1_error").isNotNull()).groupBy("dx1_error").count()
    assert sorted(map(tuple, counted.collect())) == [
        ("CODE_MISSING", 1), ("DX_NOT_BILLABLE", 1), ("INVALID_ARGUMENT", 1)]


def test_files_mistakes_in_the_call_are_typed(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="partitions=0"):
        cks.check_837(spark, str(tmp_path), partitions=0)
    with pytest.raises(InvalidArgument, match="spark='spark': expected a SparkSession"):
        cks.check_fhir("spark", str(tmp_path))
    with pytest.raises(InvalidArgument, match="PATH_NOT_FOUND"):
        cks.check_837(spark, str(tmp_path / "missing"))


def test_timestamps_of_one_day_agree_between_line_rows(spark: SparkSession) -> None:
    # an event time repeated as the claim's date of service: the claim's date is its day
    head = {"claim_id": "TS", "claim_type": "professional", "payer": "medicare",
            "patient": {"sex": "M", "birth_date": "1950-01-01"}, "diagnoses": ["E11", "I10"]}
    rows = [{**head, "date_of_service": dt.datetime(2025, 11, 3, 8 + n,
                                                    tzinfo=dt.UTC),
             "line": n, "procedure_code": code, "units": 1, "diagnosis_pointers": [2]}
            for n, code in ((1, "99213"), (2, "93000"))]
    schema = ("claim_id string, claim_type string, payer string, date_of_service timestamp, "
              "patient struct<sex:string, birth_date:string>, diagnoses array<string>, "
              "line int, procedure_code string, units int, diagnosis_pointers array<int>")
    df = spark.createDataFrame(rows, schema)
    zone = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "UTC")  # the day of 08:00Z is the 3rd
    claim = {**head, "date_of_service": "2025-11-03", "service_lines": [
        {k: r[k] for k in ("line", "procedure_code", "units", "diagnosis_pointers")}
        for r in rows]}
    expected = _expected(CHECKER, [claim])
    assert "DX_NOT_BILLABLE" in " ".join(expected)
    next_day = F.lit(dt.datetime(2025, 11, 4, 8, tzinfo=dt.UTC))
    later = df.withColumn("date_of_service", F.when(F.col("line") == 2, next_day)
                          .otherwise(F.col("date_of_service")))
    try:
        assert _got(cks.check(df)) == expected
        assert _findings(cks.check(later)) == {"TS": [(
            "CLAIM_FORMAT_INVALID", "$.date_of_service", "differs between the claim's line "
            "rows: '2025-11-03' (row 1), '2025-11-04' (row 2)")]}
    finally:
        spark.conf.set("spark.sql.session.timeZone", zone)


def test_lines_without_line_numbers_keep_their_input_order(spark: SparkSession) -> None:
    # line ids only: L1, L2, L10 are the claim's lines 1, 2, 3 as given (sorted as text,
    # L10 was line 2 and L2 line 3)
    head = ("C", "professional", "medicare", "2025-11-03", ["I10"], ("F", 40))
    rows = [(*head, lid, code, units) for lid, code, units in (
        ("L1", "99213", 1), ("L2", "93000", 0), ("L10", "36415", 0))]
    claim = ("claim_id string, claim_type string, payer string, date_of_service string, "
             "diagnoses array<string>, patient struct<sex:string, age:int>, ")
    df = spark.createDataFrame(rows, claim + "line_id string, procedure_code string, units int")
    got = sorted((r["line_id"], r["rule"], r["path"])
                 for r in cks.check(df, partitions=2).collect() if r["rule"] == "UNITS_INVALID")
    assert got == [("L10", "UNITS_INVALID", "$.service_lines[2].units"),
                   ("L2", "UNITS_INVALID", "$.service_lines[1].units")]
    same = spark.createDataFrame([(*r[:6], 1, *r[6:]) for r in rows],
                                 claim + "line int, line_id string, procedure_code string, "
                                 "units int")
    # one line number on three rows is a claim that cannot be read (each line has a
    # number of its own): said for the claim, at the lines, and the job goes on
    got = sorted((r["rule"], r["path"]) for r in cks.check(same).collect())
    assert got == [("CLAIM_FORMAT_INVALID", "$.service_lines[1].line"),
                   ("CLAIM_FORMAT_INVALID", "$.service_lines[2].line")]


def test_code_columns_of_any_name_and_struct_dates(spark: SparkSession) -> None:
    df = spark.createDataFrame([("E11.9", "2025-11-03", {"day": 3}), ("E11", "2025-11-03", None)],
                               T.StructType([T.StructField("dx.1", T.StringType()),
                                             T.StructField("dos.x", T.StringType()),
                                             T.StructField("st", T.StructType([
                                                 T.StructField("day", T.IntegerType())]))]))
    out = cks.validate_codes(df, "dx.1", "dos.x").collect()
    assert [(r["dx.1_valid"], r["dx.1_error"]) for r in out] == [
        (True, None), (False, "DX_NOT_BILLABLE")]
    # a struct is no date: said for the row (a null struct: no date), never a failed job
    out = cks.validate_codes(df, "dx.1", "st", prefix="s_").collect()
    assert [(r.s_valid, r.s_error, r.s_message) for r in out] == [
        (None, "INVALID_ARGUMENT",
         "the date {'day': 3}: expected a date, 'YYYY-MM-DD' or an ISO date-time"),
        (None, "INVALID_ARGUMENT", "no date of service (the date is null)")]
    with pytest.raises(InvalidArgument, match="df=str"):
        cks.validate_codes("dx", "dx")  # type: ignore[arg-type]

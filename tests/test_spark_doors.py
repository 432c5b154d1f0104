"""The Spark and pandas doors give the same findings for the same table (a data
engineer's review of 2026-12-06, items 3-9): lines in order of their numbers, numeric claim ids as
text by one rule, a double NaN as core says it, a null diagnosis array as core's None, a rule of
``__main__`` said on the driver. Two Spark jobs; the rest runs without one."""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

from pyspark.sql import SparkSession  # noqa: E402

import codekit.pandas as ckpd  # noqa: E402
import codekit.spark as cks  # noqa: E402
from codekit import Checker, InvalidArgument  # noqa: E402
from codekit.batch import report_of  # noqa: E402
from codekit.findings import Severity  # noqa: E402
from codekit.rules import Rule  # noqa: E402
from codekit.spark._codes import validate_pairs  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning")


@pytest.fixture(scope="module")
def spark(spark_session: SparkSession) -> SparkSession:
    return spark_session


LINES = ("claim_id double, claim_type string, payer string, patient struct<sex:string, "
         "age:int>, date_of_service string, diagnoses array<string>, line int, "
         "line_id string, procedure_code string, units double, "
         "diagnosis_pointers array<int>")


def _row(cid: float, line: int, code: str, units: float, diagnoses: Any = ("E11.9",),
         pointers: Any = (1,)) -> tuple[Any, ...]:
    return (cid, "professional", "medicare", ("F", 70), "2025-11-03",
            None if diagnoses is None else list(diagnoses), line, f"L{line}", code, units,
            None if pointers is None else list(pointers))


ROWS = [
    _row(0.0, 2, "17000", 1.0, pointers=(2,)),  # claim '0': its lines out of order
    _row(7.0, 1, "99213", 1.0, None, None),  # claim '7': no diagnosis on any row
    _row(-0.0, 1, "99213", 1.0),         # -0.0 is the same claim '0'
    _row(8.5, 1, "99213", math.nan),     # claim '8.5': a double NaN
]


def test_the_long_format_agrees_with_the_pandas_door(spark: SparkSession) -> None:
    got = sorted(((r.claim_id, r.line, r.rule, r.path, r.message) for r in cks.check(
        spark.createDataFrame(ROWS, LINES).coalesce(1), format="lines").collect()),
        key=repr)
    assert got == sorted([
        ("0", 2, "PTR_INVALID", "$.service_lines[1].diagnosis_pointers[0]",
         "Line 2: pointer 2 points to diagnosis 2, but the claim has 1 diagnosis."),
        ("7", None, "DX_MISSING", "$.diagnoses",
         "The claim has no diagnosis: add the principal/first-listed ICD-10-CM code."),
        ("7", 1, "PTR_MISSING", "$.service_lines[0].diagnosis_pointers",
         "Line 1 (99213) points to no diagnosis: add a pointer (1-12) to the diagnosis it "
         "treats."),
        ("8.5", 1, "CLAIM_FORMAT_INVALID", "$.service_lines[0].units",
         "must be a finite number, got nan")], key=repr)
    # the same table through the pandas door: the same claims, lines, paths (a NaN there
    # is pandas' missing value: "units are missing", docs/pandas.md)
    frame = pd.DataFrame([{
        "claim_id": r[0], "claim_type": r[1], "payer": r[2], "sex": r[3][0], "age": r[3][1],
        "date_of_service": r[4], "diagnoses": r[5], "line": r[6], "line_id": r[7],
        "procedure_code": r[8], "units": r[9], "diagnosis_pointers": r[10]} for r in ROWS])
    found = ckpd.check_claims(frame)
    assert sorted(((c, None if pd.isna(ln) else int(ln), rule, p, m) for c, ln, rule, p, m in zip(
        found.claim_id, found.line, found.rule, found.path, found.message, strict=True)
        if c != "8.5"), key=repr) == [g for g in got if g[0] != "8.5"]


NESTED = ("claim_id decimal(10,2), claim_type string, payer string, "
          "patient struct<sex:string, age:double>, date_of_service string, "
          "diagnoses array<string>, total_charge double, service_lines array<struct<"
          "line:int, procedure_code:string, units:double, diagnosis_pointers:array<int>>>")


def test_nested_nulls_and_doubles_are_what_core_says_of_the_dict(spark: SparkSession) -> None:
    def claim(age: float, diagnoses: Any, charge: float | None, units: float) -> dict[str, Any]:
        return {"claim_type": "professional", "payer": "medicare",
                "patient": {"sex": "F", "age": age}, "date_of_service": "2025-11-03",
                "diagnoses": diagnoses, "total_charge": charge,
                "service_lines": [{"line": 1, "procedure_code": "99213", "units": units,
                                   "diagnosis_pointers": None}]}

    dicts = {"7": claim(70.0, None, None, 1.0),      # null diagnoses: core's None
             "7.5": claim(math.nan, ["E11.9"], math.inf, -math.inf)}
    rows = [(Decimal("7.00"), *claim(70.0, None, None, 1.0).values()),
            (Decimal("7.50"), *dicts["7.5"].values())]
    rows = [(cid, t, p, (pt["sex"], pt["age"]), d, dx, c,
             [(ln["line"], ln["procedure_code"], ln["units"], ln["diagnosis_pointers"])
              for ln in lines]) for cid, t, p, pt, d, dx, c, lines in rows]
    got = sorted((r.claim_id, r.rule, r.path, r.message) for r in cks.check(
        spark.createDataFrame(rows, NESTED), format="nested").collect())
    expected = sorted((cid, f.rule, f.path, f.message) for cid, d in dicts.items()
                      for f in report_of(Checker(), {"claim_id": cid, **{
                          k: v for k, v in d.items() if v is not None or k == "diagnoses"}
                      }).findings)
    assert got == expected
    assert [r for r in got if r[0] == "7.5"] == [
        ("7.5", "CLAIM_FORMAT_INVALID", "$.patient.age", "must be a whole number, got nan"),
        ("7.5", "CLAIM_FORMAT_INVALID", "$.service_lines[0].units",
         "must be a finite number, got -inf"),
        ("7.5", "CLAIM_FORMAT_INVALID", "$.total_charge", "must be a finite number, got inf")]
    assert ("7", "DX_MISSING", "$.diagnoses") in [r[:3] for r in got]


def _check_in_main(ctx: Any) -> tuple[()]:
    return ()


def test_a_rule_of_main_is_said_on_the_driver(spark: SparkSession,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A notebook's rule pickles as a reference to ``__main__``, which no executor has:
    every task failed with a raw AttributeError. Said before any job runs."""
    monkeypatch.setattr(_check_in_main, "__module__", "__main__")
    df = spark.createDataFrame([_row(1.0, 1, "99213", 1.0)], LINES)
    mine = Rule("TEST_MAIN", "A", Severity.ERROR, "test", "a notebook's rule", _check_in_main)
    monkeypatch.setattr(sys.modules["__main__"], "MAIN_RULE", mine, raising=False)
    with pytest.raises(InvalidArgument, match=r"rule TEST_MAIN is defined in __main__ .* "
                       "put it in a module installed on every executor"):
        cks.check(df, checker=Checker(rules=(*Checker().rules, mine)))
    monkeypatch.delattr(sys.modules["__main__"], "MAIN_RULE")  # pickled field by field
    with pytest.raises(InvalidArgument, match="rule TEST_MAIN is defined in __main__"):
        cks.check(df, checker=Checker(rules=(*Checker().rules, mine)))


def test_numbered_diagnosis_columns_name_the_array_they_make(spark: SparkSession) -> None:
    df = spark.createDataFrame([("C1", "E11.9", "I10", 1, "99213")],
                               "claim_id string, dx1 string, dx2 string, line int, "
                               "procedure_code string")
    with pytest.raises(InvalidArgument, match=r"F\.filter\(F\.array\(\"dx1\", \"dx2\"\), "
                       r"lambda c: c\.isNotNull\(\)\)\.alias\(\"diagnoses\"\)"):
        cks.check(df, format="lines")


@pytest.mark.parametrize(("system", "cell"), [
    ("icd10cm", "E11.9\u200b"), ("icd10cm", "I10."), ("icd10cm", "E119,I10"),
    ("icd10cm", "M17.11RT"), ("icd10cm", "M17.11-LT"), ("cpt", "99213-25"),
    ("cpt", "99213.0"), ("hcpcs", "J3490,G0439")])
def test_code_columns_read_a_spreadsheets_quirks_as_the_pandas_door(system: str,
                                                                    cell: str) -> None:
    """validate_codes judged these as written (I10. a format error, M17.11RT an unknown
    code) where the pandas door forgives or explains them: the same answer now."""
    p = ckpd.validate(pd.Series([cell]), on="2025-10-01", system=system).iloc[0]
    valid, rule, message, fix, title = validate_pairs(system, [cell], ["2025-10-01"])[0]
    assert (valid, rule, tuple(fix), title) == (p["valid"], p["rule"], p["fix"], p["title"])
    assert message == (p["note"] if p["valid"] else p["message"])


TEXT_LINES = ("claim_id string, claim_type string, payer string, patient struct<sex:string, "
              "age:string>, date_of_service string, diagnoses array<string>, line string, "
              "line_id string, procedure_code string, units string, charge string, "
              "diagnosis_pointers array<string>")


def test_number_fields_of_text_read_as_the_pandas_door_reads_them(spark: SparkSession) -> None:
    """A table of string columns (spark.read.csv without inferSchema) made every claim a
    format error (age '70', each line '2': "must be a whole number") and ordered no line;
    a whole number as text is now that number in both doors, other text stays an error."""
    def row(cid: str, age: str, line: str | None, code: str, units: str,
            pointers: list[str]) -> tuple[Any, ...]:
        return (cid, "professional", "medicare", ("F", age), "2025-11-03", ["E11.9", "I10"],
                line, f"{cid}-{line}", code, units, "80.00", pointers)

    rows = [row("C1", "70", "2", "99213", "0.0", ["1", "2.0"]),  # lines out of order
            row("C1", "70", " 1 ", "17000", "1.5", ["1"]),
            row("C2", "70.5", "x", "99213", "1,000", ["1"])]
    got = sorted([(r.claim_id, r.line, r.rule, r.path, r.message) for r in cks.check(
        spark.createDataFrame(rows, TEXT_LINES).coalesce(1), format="lines").collect()],
        key=repr)
    assert got == [
        ("C1", 2, "UNITS_INVALID", "$.service_lines[1].units",
         "Line 2 (99213): units are 0; report at least 1."),
        ("C2", 1, "CLAIM_FORMAT_INVALID", "$.service_lines[0].line",
         "must be a whole number, got 'x'"),
        ("C2", 1, "CLAIM_FORMAT_INVALID", "$.service_lines[0].units",
         "must be a number, got '1,000'"),
        ("C2", None, "CLAIM_FORMAT_INVALID", "$.patient.age",
         "must be a whole number, got '70.5'")]
    frame = pd.DataFrame([{
        "claim_id": r[0], "claim_type": r[1], "payer": r[2], "sex": r[3][0], "age": r[3][1],
        "date_of_service": r[4], "diagnoses": ",".join(r[5]), "line": r[6], "line_id": r[7],
        "procedure_code": r[8], "units": r[9], "charge": r[10],
        "diagnosis_pointers": ",".join(r[11])} for r in rows])
    found = ckpd.check_claims(frame)
    assert sorted([(c, None if pd.isna(ln) else int(ln), rule, p, m)
                   for c, ln, rule, p, m in zip(found.claim_id, found.line, found.rule,
                                                found.path, found.message, strict=True)],
                  key=repr) == got


def test_nested_number_fields_of_text_are_their_numbers(spark: SparkSession) -> None:
    schema = ("claim_id string, claim_type string, payer string, patient struct<sex:string, "
              "age:string>, date_of_service string, diagnoses array<string>, "
              "total_charge string, service_lines array<struct<line:string, "
              "procedure_code:string, units:string, diagnosis_pointers:array<string>>>")
    rows = [("N1", "professional", "medicare", ("F", " 70 "), "2025-11-03", ["E11.9"],
             "80.00", [("2", "99213", "0", ["1.0"]), ("1", "17000", "1", ["1"])])]
    got = [(r.claim_id, r.line, r.rule, r.path) for r in cks.check(
        spark.createDataFrame(rows, schema), format="nested").collect()]
    assert got == [("N1", 2, "UNITS_INVALID", "$.service_lines[0].units")]


READ_LINES = ("claim_id string, claim_type string, payer string, patient struct<sex:string, "
              "age:string>, date_of_service string, place_of_service int, bill_type string, "
              "statement_period array<string>, discharge_status string, "
              "diagnoses array<string>, line int, procedure_code string, "
              "modifiers array<string>, revenue_code string, units int, "
              "diagnosis_pointers array<int>, line_date_of_service string, opps string")


def test_rows_are_compared_and_codes_padded_as_both_doors_read_them(
        spark: SparkSession) -> None:
    """The rows of a claim agree when they read alike: a date and a date-time of one day
    (C1: the Spark door said they differed; the pandas door, and its ages "70" and "70.0",
    too), discharge status "1" and "01" (H1: both doors said they differed). A place of
    service that lost its zero (P1: 2 in an int column, as inferSchema reads 02) is 02:
    20610 billed at it is not on the Medicare Telehealth Services List, which the place
    "2" hid. Text "True" of a flag is true (H1's opps: "must be true or false"). Both
    doors give the same findings."""
    prof = ("professional", "medicare")
    inst = ("institutional", "medicare", ("F", "70"), None, None, "131")
    rows = [
        ("C1", *prof, ("F", "70"), "2025-11-03", None, None, None, None, ["E11"], 1, "99213",
         None, None, 1, [1], None, None),
        ("C1", *prof, ("F", "70.0"), "2025-11-03T00:00:00", None, None, None, None, ["E11"],
         2, "36415", None, None, 1, [1], None, None),
        ("H1", *inst, ["2025-11-03", "2025-11-03"], "1", ["R07.9"], 1, None, None, "450", 1,
         None, "2025-11-03", "True"),
        ("H1", *inst, ["2025-11-03T00:00:00", "2025-11-03"], "01", ["R07.9"], 2, "80053",
         None, "300", 1, None, "2025-11-03", "true"),
        ("P1", *prof, ("F", "70"), "2025-11-03", 2, None, None, None, ["M17.11"], 1,
         "20610", ["RT"], None, 1, [1], None, None)]
    got = sorted((r.claim_id, r.line, r.rule, r.path) for r in cks.check(
        spark.createDataFrame(rows, READ_LINES).coalesce(1), format="lines").collect())
    assert got == [
        ("C1", None, "DX_NOT_BILLABLE", "$.diagnoses[0]"),
        ("H1", 1, "REVENUE_CODE_REQUIRES_HCPCS", "$.service_lines[0].procedure_code"),
        ("P1", None, "MOD_TELEHEALTH_NOT_ELIGIBLE", "$.place_of_service")]
    frame = pd.DataFrame([{
        "claim_id": r[0], "claim_type": r[1], "payer": r[2], "sex": r[3][0], "age": r[3][1],
        "date_of_service": r[4], "place_of_service": r[5], "bill_type": r[6],
        "statement_from": r[7] and r[7][0], "statement_through": r[7] and r[7][1],
        "discharge_status": r[8], "dx1": r[9][0], "line": r[10], "procedure_code": r[11],
        "modifier1": r[12] and r[12][0], "revenue_code": r[13], "units": r[14],
        "pointer1": r[15] and r[15][0], "line_date": r[16], "opps": r[17]} for r in rows])
    found = ckpd.check_claims(frame)
    assert sorted((c, None if pd.isna(ln) else int(ln), rule, p) for c, ln, rule, p in zip(
        found.claim_id, found.line, found.rule, found.path, strict=True)) == got


def test_an_ndc_column_of_numbers_is_read_as_the_pandas_door_reads_it() -> None:
    """spark.read.csv with inferSchema reads an NDC column (00009034702) as numbers, as
    pd.read_csv does: the claim held 9034702, which an 837 cannot hold (LIN03 is the 11
    digits). Both doors read a cell of fewer than 10 digits as the 11-digit NDC; no job
    runs here: what the worker is told to read, and how it reads it."""
    from pyspark.sql import types as T

    from codekit.spark import _cells
    from codekit.spark._worker import cell_values

    lines = {"claim_id": T.StringType(), "ndc": T.LongType(), "line": T.IntegerType()}
    nested = {"service_lines": T.ArrayType(T.StructType([
        T.StructField("line", T.IntegerType()), T.StructField("ndc", T.DoubleType())]))}
    assert _cells(lines, "claim_id", text=True) == {"ndc": "ndc"}
    assert _cells({**lines, "ndc": T.StringType()}, "claim_id", text=True) == {"ndc": "ndc"}
    assert _cells(nested, None, text=False) == {"service_lines": [{"ndc": "ndc"}]}
    assert cell_values({"ndc": 9034702, "line": 1}, {"ndc": "ndc"}) == {
        "ndc": "00009034702", "line": 1}
    assert cell_values({"service_lines": [{"ndc": 9034702.0}, {"ndc": 1234567890}]},
                       {"service_lines": [{"ndc": "ndc"}]}) == {
        "service_lines": [{"ndc": "00009034702"}, {"ndc": "1234567890"}]}
    frame = pd.DataFrame({"claim_id": ["C1"], "sex": "F", "age": 70, "dx1": "E11.9",
                          "date_of_service": "2025-11-03", "procedure_code": "J1100",
                          "ndc": [9034702], "units": 1})
    (claim,) = ckpd.claims_of(frame)
    assert isinstance(claim, dict)
    assert claim["service_lines"][0]["ndc"] == "00009034702"

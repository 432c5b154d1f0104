"""codekit.spark's long format: a claim field null on some of a claim's line rows is "not
given" there, not a disagreement (as the pandas door reads a blank cell); values that
differ are still said, naming the rows that give them."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

from pyspark.sql import SparkSession

import codekit.spark as cks


@pytest.fixture(scope="module")
def spark(spark_session: SparkSession) -> SparkSession:
    return spark_session


SCHEMA = ("claim_id string, claim_type string, payer string, date_of_service string, "
          "patient struct<sex:string, age:int>, diagnoses array<string>, line int, "
          "line_id string, procedure_code string, units int, diagnosis_pointers array<int>")


def row(claim_id: str, line: int, **kw: Any) -> dict[str, Any]:
    out = {"claim_id": claim_id, "claim_type": "professional", "payer": "medicare",
           "date_of_service": "2025-11-03", "patient": {"sex": "F", "age": 70},
           "diagnoses": ["E11.9"], "line": line, "line_id": f"{claim_id}-{line}",
           "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]}
    return {**out, **kw}


def test_a_claim_field_null_on_some_rows_is_not_a_disagreement(spark: SparkSession) -> None:
    rows = [row("N1", 1, payer=None), row("N1", 2, procedure_code="G0439"),
            row("N2", 1), row("N2", 2, payer=None, diagnoses=None, units=0),
            row("N3", 1, payer=None), row("N3", 2, payer="aetna"),
            row("N3", 3, payer="medicare")]
    got = sorted((r.claim_id, r.line_id, r.rule, r.path, r.message) for r in
                 cks.check(spark.createDataFrame(rows, SCHEMA), format="lines",
                           clean_rows=True).collect())
    assert got == [
        ("N1", None, None, None, None),  # clean
        ("N2", "N2-2", "UNITS_INVALID", "$.service_lines[1].units",
         "Line 2 (99213): units are 0; report at least 1."),
        ("N3", None, "CLAIM_FORMAT_INVALID", "$.payer",
         "differs between the claim's line rows: 'aetna' (row 2), 'medicare' (row 3)")]


def test_a_struct_field_null_blank_text_or_case_is_no_disagreement(spark: SparkSession) -> None:
    """A data engineer's claims lake: a struct's field null on one row, a payer in another case
    with a trailing space, an empty diagnosis list: "not given" or the same, as the pandas
    door reads them; the claim is checked, not refused."""
    rows = [row("S1", 1), row("S1", 2, patient={"sex": "F", "age": None},
                              procedure_code="82947"),
            row("S2", 1), row("S2", 2, payer="Medicare ", procedure_code="82947"),
            row("S3", 1), row("S3", 2, diagnoses=[], units=0),
            row("S4", 1), row("S4", 2, patient={"sex": "M", "age": 70})]
    got = sorted((r.claim_id, r.line_id, r.rule, r.path, r.message) for r in
                 cks.check(spark.createDataFrame(rows, SCHEMA), format="lines",
                           clean_rows=True).collect())
    assert got == [
        ("S1", None, None, None, None),
        ("S2", None, None, None, None),
        ("S3", "S3-2", "UNITS_INVALID", "$.service_lines[1].units",
         "Line 2 (99213): units are 0; report at least 1."),
        ("S4", None, "CLAIM_FORMAT_INVALID", "$.patient",
         "differs between the claim's line rows: {'sex': 'F', 'age': 70} (row 1), "
         "{'sex': 'M', 'age': 70} (row 2)")]

"""codekit.spark with a hospital's extract on local[2]: one row per revenue line, a
diagnosis table (sequence, POA) and an ICD-10-PCS procedure table put on the lines as the
docs/spark.md recipe does; the findings are the single-process checker's, with the
institutional fields' locations, and a bad claim mid-batch is a result of its own. One
small session; skipped, saying why, without pyspark or Java."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed: the Spark tests need "
                    "pip install 'codekit[spark]'")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (codekit[spark])")
_JAVA = shutil.which("java") or (os.environ.get("JAVA_HOME") and
                                 Path(os.environ["JAVA_HOME"], "bin", "java").exists())
if not _JAVA:
    pytest.skip("no Java runtime (java on PATH or JAVA_HOME): the Spark tests need Java 17",
                allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

import codekit.spark as cks  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning")

D = dt.date


@pytest.fixture(scope="module")
def spark(spark_session: SparkSession) -> SparkSession:
    return spark_session  # one session for the Spark modules (tests/conftest.py)


def _line(cid: str, tob: str, period: tuple[dt.date, dt.date], line: int, rev: str,
          code: str | None, day: dt.date, **more: Any) -> dict[str, Any]:
    return {"claim_id": cid, "claim_type": "institutional", "payer": "medicare",
            "sex": "F", "age": 70, "bill_type": tob, "statement_from": period[0],
            "statement_through": period[1], "admission_date": more.get("admission"),
            "admitting_diagnosis": more.get("admitting"), "visit_reason": more.get("reason"),
            "discharge_status": more.get("status"),
            "line": line, "revenue_code": rev, "procedure_code": code,
            "line_date_of_service": day, "units": 1}


def test_hospital_extract_on_spark(spark: SparkSession) -> None:
    stay, visit = (D(2025, 11, 1), D(2025, 11, 3)), (D(2025, 11, 5), D(2025, 11, 5))
    backwards = (D(2025, 11, 6), D(2025, 11, 5))
    lines = spark.createDataFrame([
        _line("H1", "0111", stay, 1, "0120", None, D(2025, 11, 1), admission=D(2025, 11, 1),
              admitting="R07", status="99"),
        _line("H1", "0111", stay, 2, "0450", "99283", D(2025, 11, 4),
              admission=D(2025, 11, 1), admitting="R07", status="99"),
        _line("H3", "0131", backwards, 1, "0450", "99283", D(2025, 11, 5)),  # mid-batch
        # a hospice status on an outpatient claim: not judged (an inpatient code list)
        _line("H2", "0131", visit, 1, "0450", "99283", D(2025, 11, 5), reason="XYZ",
              status="41"),
        _line("H2", "0131", visit, 2, "0300", None, D(2025, 11, 5), reason="XYZ"),
    ], "claim_id string, claim_type string, payer string, sex string, age int, "
       "bill_type string, statement_from date, statement_through date, admission_date date, "
       "admitting_diagnosis string, visit_reason string, discharge_status string, "
       "line int, revenue_code string, "
       "procedure_code string, line_date_of_service date, units int")
    dx = spark.createDataFrame(
        [("H1", 2, "E11.9", "N"), ("H1", 1, "I21.4", "Q"), ("H2", 1, "R07.9", None),
         ("H3", 1, "R07.9", None)], "claim_id string, sequence int, code string, poa string")
    px = spark.createDataFrame([("H1", 1, "02703ZZ", D(2025, 11, 2)), ("H1", 2, "0270", None),
                                ("H1", 3, "0DTJ4ZZ", D(2025, 11, 4))],
                               "claim_id string, sequence int, code string, date date")
    # the docs/spark.md recipe: each table's codes as one array per claim, in sequence
    # order, joined onto the lines; the period's two columns as one array
    def in_order(table: Any, *fields: str) -> Any:
        return table.groupBy("claim_id").agg(F.transform(
            F.array_sort(F.collect_list(F.struct("sequence", *fields))),
            lambda s: F.struct(*[s[f].alias(f) for f in fields])))

    diagnoses = in_order(dx, "code", "poa").toDF("claim_id", "diagnoses")
    procedures = in_order(px, "code", "date").toDF("claim_id", "procedures")
    claims = (lines.join(diagnoses, "claim_id", "left").join(procedures, "claim_id", "left")
              .withColumn("patient", F.struct("sex", "age"))
              .withColumn("statement_period", F.array("statement_from", "statement_through"))
              .withColumn("visit_reasons", F.when(F.col("visit_reason").isNotNull(),
                                                  F.array("visit_reason")))
              .drop("sex", "age", "statement_from", "statement_through", "visit_reason"))
    got = sorted((r.claim_id, r.line or 0, r.rule, r.path, r.message[:44])
                 for r in cks.check(claims, format="lines").collect())
    assert got == [
        ("H1", 0, "DISCHARGE_STATUS_INVALID", "$.discharge_status",
         "The patient discharge status '99' is not a N"),
        ("H1", 0, "DX_NOT_BILLABLE", "$.admitting_diagnosis",
         "The admitting diagnosis 'R07': R07 is a head"),
        ("H1", 0, "PCS_DATE_AFTER_DISCHARGE", "$.procedures[2].date",
         "Procedure 3 0DTJ4ZZ is dated 2025-11-04, 1 d"),
        ("H1", 0, "PCS_FORMAT_INVALID", "$.procedures[1].code",
         "Procedure 2 '0270': looks like an ICD-9-CM p"),
        ("H1", 0, "POA_INVALID", "$.diagnoses[0].poa",
         "Diagnosis 1 I21.4: POA indicator 'Q' is not "),
        ("H1", 2, "LINE_DATE_OUTSIDE_PERIOD", "$.service_lines[1].date_of_service",
         "Line 2 is dated 2025-11-04, after the period"),
        ("H2", 0, "DX_FORMAT_INVALID", "$.visit_reasons[0]",
         "The patient's reason for visit 1 'XYZ': not "),
        # laboratory (0300) without a HCPCS code on a 13x claim: I/OCE edit 48
        ("H2", 2, "REVENUE_CODE_REQUIRES_HCPCS", "$.service_lines[1].procedure_code",
         "Line 2: revenue code 0300 needs a HCPCS code"),
        ("H3", 0, "CLAIM_FORMAT_INVALID", "$.statement_period",
         "runs backwards: 2025-11-06 to 2025-11-05"),
    ]

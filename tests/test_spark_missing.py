"""Without PySpark, ``import codekit.spark`` names the extra to install (issue 16)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def test_import_without_pyspark_names_the_extra() -> None:
    code = ("import sys; sys.modules['pyspark'] = None\n"
            "import codekit\n"
            "try:\n"
            "    import codekit.spark\n"
            "except codekit.ExtraNotInstalled as e:\n"
            "    print(e.code, e.extra, e.package, isinstance(e, ImportError)); print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC)}, check=True).stdout.splitlines()
    assert out == ["EXTRA_NOT_INSTALLED spark pyspark True",
                   "codekit.spark needs PySpark 4 with Arrow (pyspark is missing): "
                   "pip install 'codekit[spark]'"]


def test_code_columns_without_pandas_name_the_extra() -> None:
    """PySpark and pyarrow without pandas (``pip install pyspark pyarrow``, not the
    ``spark`` extra's ``pyspark[sql]``): claims check (their path needs no pandas), but
    ``validation`` and ``validate_codes`` raised a bare ``ModuleNotFoundError``."""
    code = ("import sys; import pyspark.sql, pyarrow; sys.modules['pandas'] = None\n"
            "import codekit, codekit.spark\n"
            "try:\n"
            "    codekit.spark.validation('dx', on='2025-06-01')\n"
            "except codekit.ExtraNotInstalled as e:\n"
            "    print(e.code, e.extra, e.package, isinstance(e, ImportError)); print(e)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(SRC)})
    if "No module named 'pyspark'" in proc.stderr or "No module named 'pyarrow'" in proc.stderr:
        pytest.skip("the spark extra is not installed")
    assert proc.stdout.splitlines() == [
        "EXTRA_NOT_INSTALLED spark pandas True",
        "codekit.spark.validation validates codes in a pandas UDF, and pandas is not "
        "installed: pip install 'codekit[spark]'"], proc.stderr

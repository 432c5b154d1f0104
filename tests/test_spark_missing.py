"""Without PySpark, ``import codekit.spark`` names the extra to install (issue 16)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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

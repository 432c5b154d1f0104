"""Without pandas, ``import codekit.pandas`` names the extra to install, as the X12, FHIR,
server and Spark doors do (it raised a bare ``ModuleNotFoundError: No module named
'pandas'``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.mark.parametrize("missing", ["pandas", "numpy"])
def test_import_without_pandas_names_the_extra(missing: str) -> None:
    code = (f"import sys; sys.modules[{missing!r}] = None\n"
            "import codekit\n"
            "try:\n"
            "    import codekit.pandas\n"
            "except codekit.ExtraNotInstalled as e:\n"
            "    print(e.code, e.extra, e.package, isinstance(e, ImportError)); print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC)}, check=True).stdout.splitlines()
    assert out == [f"EXTRA_NOT_INSTALLED pandas {missing} True",
                   f"codekit.pandas needs pandas 2.2 or later ({missing} is missing): "
                   "pip install 'codekit[pandas]'"]

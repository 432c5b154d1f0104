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


def test_plot_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """pandas installed alone (no matplotlib): ``Summary.plot()`` raised
    ``InvalidArgument``, as if the call were wrong; a missing package is the typed
    ``ExtraNotInstalled`` of every door."""
    pd = pytest.importorskip("pandas")
    import codekit
    from codekit import pandas as ckpd

    lines = pd.DataFrame({"claim_id": ["K-1"], "payer": "medicare", "sex": "F",
                          "birth_date": "1960-01-01", "date_of_service": "2025-11-03",
                          "dx1": "E11.99", "line_id": ["K-1-1"], "procedure_code": "99213",
                          "units": [1], "pointer1": 1})
    summary = ckpd.summarize(ckpd.check_claims(lines))
    for name in ("matplotlib", "matplotlib.pyplot"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(codekit.ExtraNotInstalled) as info:
        summary.plot()
    e = info.value
    assert (e.code, e.extra, e.package) == ("EXTRA_NOT_INSTALLED", "pandas", "matplotlib")
    assert str(e) == ("Summary.plot draws with matplotlib, which is not installed: "
                      "pip install 'codekit[pandas]'")

"""The example notebook of the docs (docs/notebooks/pandas_tour.ipynb) runs, and shows
what the docs say it shows: it is executed here, so it never rots."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

import codekit

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebooks" / "pandas_tour.ipynb"

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")


@pytest.fixture(scope="module")
def executed() -> Any:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import render_notebook
    finally:
        sys.path.pop(0)
    # the kernel imports the codekit this test imports (a source tree or the install)
    source = str(Path(codekit.__file__).resolve().parents[1])
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = source + (os.pathsep + old if old else "")
    try:
        return render_notebook.execute(NOTEBOOK, timeout=600), render_notebook
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old


def _outputs(nb: Any, index: int) -> tuple[str, str]:
    """(text/plain + stream text, text/html) of code cell ``index``."""
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][index]
    plain, html = [], []
    for out in cell.get("outputs", []):
        assert out["output_type"] != "error", out
        if out["output_type"] == "stream":
            plain.append(out["text"])
        data = out.get("data", {})
        plain.append(data.get("text/plain", ""))
        html.append(data.get("text/html", ""))
    return "".join(plain), "".join(html)


def test_the_notebook_runs_without_errors(executed: Any) -> None:
    nb, _ = executed
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", "".join(out.get("traceback", []))


def test_the_column_is_validated(executed: Any) -> None:
    plain, html = _outputs(executed[0], 1)
    for text in ("DX_NOT_BILLABLE", "DX_NOT_VALID_ON_DOS", "DX_MODIFIER_ATTACHED",
                 "CODE_MISSING", "read as I10", "2 codes in one cell"):
        assert text in plain + html, text
    message, _ = _outputs(executed[0], 2)
    assert "a diagnosis carries its side in the code itself" in message


def test_entries_and_search_display(executed: Any) -> None:
    _, entry = _outputs(executed[0], 3)
    assert "Type 2 diabetes mellitus with hyperglycemia" in entry and "hierarchy" in entry
    _, hits = _outputs(executed[0], 4)
    assert "I21.9" in hits and "no good match" not in hits
    _, weak = _outputs(executed[0], 5)
    assert "no good match" in weak


def test_claims_summary_plot_and_report(executed: Any) -> None:
    nb, render = executed
    plain, _ = _outputs(nb, 6)
    assert "claim_id" in plain and "DX_NOT_BILLABLE" in plain
    _, summary = _outputs(nb, 7)
    assert "findings by rule" in summary and "findings by month" in summary
    png = render.plot_png(nb)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    shipped = ROOT / "docs" / "img" / "pandas_summary_plot.png"
    assert shipped.read_bytes().startswith(b"\x89PNG"), \
        "render it with: PYTHONPATH=src python tools/render_notebook.py"
    _, report = _outputs(nb, 9)
    assert "NOT OK" in report and "claim <code>C" in report

"""Execute docs/notebooks/pandas_tour.ipynb and save the pictures the docs show.

    PYTHONPATH=src python tools/render_notebook.py

Writes ``docs/img/pandas_summary_plot.png`` (the notebook's plot). The test suite
executes the same notebook and checks its outputs (tests/test_notebook.py).
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebooks" / "pandas_tour.ipynb"
PLOT = ROOT / "docs" / "img" / "pandas_summary_plot.png"


def execute(path: Path = NOTEBOOK, timeout: int = 600) -> object:
    """The notebook, executed (a kernel of this Python; cells run in the repo root)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    return nb


def plot_png(nb: object) -> bytes:
    """The PNG of the notebook's plot (the last image it shows)."""
    images = [out["data"]["image/png"] for cell in nb["cells"]  # type: ignore[index]
              for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
    if not images:
        raise SystemExit("the notebook showed no plot")
    return base64.b64decode(images[-1])


def main() -> int:
    nb = execute()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    PLOT.write_bytes(plot_png(nb))
    print(f"wrote {PLOT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Shared test helpers: where the read-only reference extracts live (``../shared``)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Hermetic runs: never read the developer's own user-added releases. The folder goes when
# the run ends (each pytest process, xdist workers included, made one and left it behind).
_USER_DATA = tempfile.mkdtemp(prefix="codekit-test-userdata-")
os.environ["CODEKIT_DATA_DIR"] = _USER_DATA
atexit.register(shutil.rmtree, _USER_DATA, True)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CODEKIT_SHARED", ROOT.parent / "shared"))
REFERENCE = SHARED / "data" / "reference"


def reference(*parts: str) -> Path:
    """Path of a reference extract, or skip the test when ``../shared`` is absent."""
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference extract not available: {path}")
    return path


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user data directory, so tests never see the developer's own releases."""
    monkeypatch.setenv("CODEKIT_DATA_DIR", str(tmp_path / "userdata"))
    return tmp_path / "userdata"

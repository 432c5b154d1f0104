"""Shared test helpers: where the read-only reference extracts live (``../shared``)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local[2] Spark session for every Spark test module (starting one takes seconds
    of the suite's budget); the modules skip, saying why, before asking for it."""
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("codekit-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "3")
               # small Arrow batches: claims of the long format run across batch ends
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "97")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

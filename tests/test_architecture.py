"""The architecture of docs/architecture.md, checked on every import of src/codekit.

- Layers point down (the import-linter contracts in pyproject.toml; ``lint-imports``).
- A package's private modules are its own: ``codekit.icd10cm._store`` may be imported
  only from inside ``codekit.icd10cm``; the private implementation package
  ``codekit._procedures`` only by the procedure code systems. Private modules directly
  under ``codekit`` (``_dates``, ``_cache``...) are the shared core: anyone may use them.
  The one exception is the data build, which writes the artifacts the code systems read
  with their own writers (``pack_*``).
- Every module of edits (``codekit.rules`` modules with ``RULES``) is in
  ``rules/builtin.py`` and named in the page's description of the rules layer.
"""

from __future__ import annotations

import ast
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

#: Top-level private packages and the modules that may use them.
OWNERS = {"_procedures": ("cpt", "hcpcs", "modifiers", "procedure", "_procedures")}


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "codekit").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every import of a codekit module in ``path``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            if target.startswith("codekit"):
                # "from . import _codes" imports the module codekit.x._codes
                found += [(f"{target}.{n}", [], node.lineno) for n in names
                          if n.startswith("_") and not n.startswith("__")]
                found.append((target, names, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names
                      if a.name.startswith("codekit")]
    return found


def _violation(importer: str, target: str, names: list[str]) -> str | None:
    parts = target.split(".")
    for k in range(1, len(parts)):
        part = parts[k]
        if not part.startswith("_") or part.startswith("__"):
            continue
        owner = ".".join(parts[:k])
        if k == 1:  # codekit._x: the shared core, or a private package with its owners
            allowed = OWNERS.get(part)
            if allowed is None:
                return None
            if importer.split(".")[1] in allowed:
                return None
            return f"{importer} imports {target}, private to {', '.join(allowed)}"
        if importer == owner or importer.startswith(owner + "."):
            return None
        if importer.startswith("codekit.build.") and names and \
                all(n.startswith("pack_") for n in names):
            return None  # the data build writes what the code system reads
        return f"{importer} imports {target}, a private module of {owner}"
    return None


def test_no_module_reaches_into_another_packages_private_modules() -> None:
    problems = []
    for name, path in sorted(_modules().items()):
        for target, names, line in _imports(name, path):
            why = _violation(name, target, names)
            if why:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {why}")
    assert problems == []


def test_the_checker_catches_a_private_import() -> None:
    assert _violation("codekit.rules.context", "codekit.icd10cm._store", ["Store"])
    assert _violation("codekit.policies._codesets", "codekit._procedures._codes", ["x"])
    assert _violation("codekit.rules.context", "codekit._cache", ["owned"]) is None
    assert _violation("codekit.icd10cm._facts", "codekit.icd10cm._store", ["x"]) is None
    assert _violation("codekit.build.procedures", "codekit.ncci._ptp", ["pack_ptp"]) is None


def test_layers_point_down() -> None:
    """The import-linter contracts of pyproject.toml (run by .ci/run as well)."""
    exe = str(Path(sys.executable).parent / "lint-imports")  # this environment's own
    if not Path(exe).exists():
        exe = shutil.which("lint-imports") or exe
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    out = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def _rules_layer() -> str:
    """The page's bullet about the rules layer (to the next bullet)."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    m = re.search(r"^- \*\*Rules\*\*(.*?)(?=^- \*\*)", page, re.M | re.S)
    assert m is not None, "docs/architecture.md has no bullet on the rules layer"
    return m.group(1)


def test_every_module_of_edits_is_built_in_and_on_the_page() -> None:
    from codekit.rules import builtin_rules

    built_in = {r.id for r in builtin_rules()}
    layer = _rules_layer()
    missing_page, missing_builtin = [], []
    for path in sorted((SRC / "codekit" / "rules").glob("*.py")):
        module = importlib.import_module(f"codekit.rules.{path.stem}")
        if not hasattr(module, "RULES"):
            continue
        if f"`{path.stem}`" not in layer:
            missing_page.append(path.stem)
        if not {r.id for r in module.RULES} <= built_in:
            missing_builtin.append(path.stem)
    assert missing_page == []
    assert missing_builtin == []

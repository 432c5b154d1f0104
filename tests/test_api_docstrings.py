"""The API reference shows every public member: each one has a docstring.

mkdocstrings builds the API pages (``docs/api/*.md``) from the sources with griffe, and
leaves out what has no docstring (``show_if_no_docstring: false`` in mkdocs.yml). So a
public function, class, constant, method or property without one is missing from the
site. Checked here as griffe reads the sources, with the extension mkdocs.yml loads
(``tools/griffe_comments.py``: a ``#:`` comment above an assignment is its docstring):

- every ``::: target`` of the API pages exists, and so does each name its ``members:``
  option lists;
- every member a module page shows (its ``members:`` list, else the module's
  ``__all__``, else its public names) has a docstring;
- every public method and property of each class shown has one.

The fields of attrs classes (``Claim.payer``) are not required: many are described in
their class's docstring instead.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
API = ROOT / "docs" / "api"
TARGET = re.compile(r"^::: (\S+)(.*?)(?=^::: |^\S|\Z)", re.M | re.S)
#: Reading the whole package with griffe takes 2-4 s, the same on every dependency version:
#: CI runs it once, with the slow tests (not again on the floors of the dependencies).
pytestmark = pytest.mark.slow


def _comments() -> Any:
    if not (ROOT / "tools" / "griffe_comments.py").exists():  # a tree without tools/
        pytest.skip("tools/griffe_comments.py is not here (a checkout has it)")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import griffe_comments
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return griffe_comments


def _targets() -> dict[str, list[str] | None]:
    """``::: target`` of every API page, with the names of its ``members:`` option."""
    found: dict[str, list[str] | None] = {}
    for page in sorted(API.glob("*.md")):
        for m in TARGET.finditer(page.read_text(encoding="utf-8")):
            members = re.search(r"^\s+members: \[(.*?)\]", m.group(2), re.M)
            found[m.group(1)] = [n.strip() for n in members.group(1).split(",")] \
                if members else None
    return found


def _documented(obj: Any) -> bool:
    return obj.docstring is not None and bool(obj.docstring.value.strip())


def _runtime_property(path: str) -> bool:
    """Whether ``module.Class.name`` is a property at run time (``property(...)`` written
    as an assignment reads as an attribute to griffe)."""
    module, cls, name = path.rsplit(".", 2)
    try:
        owner = getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError):
        return False
    try:
        static = inspect.getattr_static(owner, name)
    except AttributeError:
        return False
    return isinstance(static, property)


@pytest.fixture(scope="module")
def package() -> Any:
    griffe = pytest.importorskip("griffe")
    loader = griffe.GriffeLoader(
        search_paths=[str(ROOT / "src")],
        extensions=griffe.load_extensions(_comments().CommentDocstrings))
    pkg = loader.load("codekit")
    loader.resolve_aliases(implicit=False, external=False)
    return pkg


def _undocumented(pkg: Any) -> tuple[list[str], list[str]]:
    """(targets or members that do not exist, public members without a docstring)."""
    missing: list[str] = []
    bare: list[str] = []

    def member_paths(obj: Any, names: list[str] | None) -> list[tuple[str, Any]]:
        if names is None:
            if obj.is_module and obj.exports is not None:
                names = [str(n) for n in obj.exports]
            else:
                names = [n for n in obj.members if not n.startswith("_")]
        out = []
        for name in names:
            if name not in obj.members:
                missing.append(f"{obj.path}.{name}")
                continue
            member = obj.members[name]
            if member.is_alias:
                try:
                    member = member.final_target
                except Exception:  # an alias to a module outside codekit
                    continue
            out.append((f"{obj.path}.{name}", member))
        return out

    def check_class(path: str, cls: Any) -> None:
        for name, member in cls.members.items():
            if name.startswith("_") or member.is_alias:
                continue
            shown = member.is_function or "property" in member.labels or (
                member.is_attribute and _runtime_property(f"{path}.{name}"))
            if shown and not _documented(member):
                bare.append(f"{path}.{name}")

    for target, names in _targets().items():
        try:
            obj = pkg if target == "codekit" else pkg[target.removeprefix("codekit.")]
        except KeyError:
            missing.append(target)
            continue
        if obj.is_alias:
            obj = obj.final_target
        if not obj.is_module:
            if not _documented(obj):
                bare.append(target)
            if obj.is_class:
                check_class(target, obj)
            continue
        for path, member in member_paths(obj, names):
            if member.is_module:
                continue
            if not _documented(member):
                bare.append(path)
            if member.is_class:
                check_class(path, member)
    return missing, bare


@pytest.fixture(scope="module")
def walked(package: Any) -> tuple[list[str], list[str]]:
    return _undocumented(package)


def test_every_target_of_the_api_pages_exists(walked: tuple[list[str], list[str]]) -> None:
    assert walked[0] == []


def test_every_public_member_has_a_docstring(walked: tuple[list[str], list[str]]) -> None:
    assert sorted(set(walked[1])) == []


def test_the_pages_document_what_the_guides_use(package: Any) -> None:
    """Names the guides point readers at, by their documented paths."""
    for path in ("findings.Report.errors", "findings.Report.warnings",
                 "findings.Report.to_dict", "claims.Claim.to_json",
                 "icd10cm.entry.Entry.parent", "icd10cm.entry.Entry.block",
                 "codesystem.CodeSystem.validate", "batch.MAX_PROBLEMS"):
        obj = package[path]
        assert _documented(obj.final_target if obj.is_alias else obj), path


def test_a_comment_above_an_assignment_is_its_docstring() -> None:
    comment_above = _comments().comment_above
    lines = ["x = 1", "#: The answer,", "#:   told twice.", "ANSWER = 42", "",
             "# a plain comment", "OTHER = 1", "#:", "EMPTY = 2"]
    assert comment_above(lines, 4) == "The answer,\n  told twice."
    assert comment_above(lines, 7) is None
    assert comment_above(lines, 9) is None
    assert comment_above(lines, 1) is None

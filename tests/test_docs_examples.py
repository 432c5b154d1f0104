"""What the README and docs/ say about the code holds: the finding IDs of the catalog and the
IDs the code raises are the same, the severities of the docs/rules.md table are the
profiles', the precedence rules name every edit that replaces another, the example claims
exit as the pages say, and every internal link reaches its page and heading.

(The ``>>>`` examples of the pages are doctests: pytest runs them from ``docs/`` and
``README.md`` itself.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from codekit import Checker, Claim
from codekit.cli import main
from codekit.rules import builtin_rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CATALOG = (DOCS / "catalog.md").read_text(encoding="utf-8")
#: Every finding ID with an entry of its own (`### ID`), which is its anchor.
CATALOG_IDS = set(re.findall(r"^### ([A-Z][A-Z0-9_]+)\s*$", CATALOG, re.M))
#: The report notices (not findings): the table of the catalog's "Notices" section.
NOTICES = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|",
                         CATALOG.split("\n## Notices\n")[1].split("\n## ")[0], re.M))
#: A string that may be a finding ID: it starts as an ID of the catalog does.
PREFIXES = sorted({i.split("_")[0] for i in CATALOG_IDS} | {"DX", "PROC", "MOD", "X12", "FHIR"})
FINDING_LIKE = re.compile(rf"""["']((?:{'|'.join(PREFIXES)})_[A-Z0-9_]+)["']""")
IMPORTS = re.compile(r"^from\s+\S+\s+import\s+(?:\(([^)]*)\)|([^\n]*))", re.M)
#: Cell-level rules of the pandas front door (a column's `rule`), listed in docs/pandas.md.
CELL_RULES = {"CODE_MISSING", "DATE_INVALID", "DX_MODIFIER_ATTACHED", "PROC_MODIFIER_ATTACHED"}
#: The code of the base class of the X12 reader's errors, which is never raised itself.
ABSTRACT = {"X12_ERROR"}
#: Misspelt IDs the docstrings show being refused (``UnknownEdit``): never raised.
MISSPELT = {"LATERALITY_MISMACH", "PTR_DUPLICAT"}
SOURCES = sorted((ROOT / "src" / "codekit").rglob("*.py"))


def _literals() -> dict[str, set[str]]:
    """Finding-like string literals of src/codekit, by the files holding them; a module's
    own names (``"EM_RANGES"`` in an ``__all__``) are not IDs and are left out."""
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        imported = " ".join(" ".join(m.groups("")) for m in IMPORTS.finditer(text))
        names = set(re.findall(r"\w+", imported))
        for m in FINDING_LIKE.finditer(text):
            name = m.group(1)
            if name in names or re.search(rf"^{name}\b\s*[:=]", text, re.M):
                continue
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_catalog_id_is_raised_in_the_code() -> None:
    literals = _literals()
    assert len(CATALOG_IDS) > 100
    assert sorted(CATALOG_IDS - set(literals)) == []


def test_every_id_the_code_raises_is_in_the_catalog() -> None:
    literals = _literals()
    unlisted = {name: sorted(files) for name, files in literals.items()
                if name not in CATALOG_IDS | NOTICES | CELL_RULES | ABSTRACT | MISSPELT}
    assert unlisted == {}
    rules = {r.id for r in builtin_rules()}
    assert sorted(rules - CATALOG_IDS) == []
    pandas_page = (DOCS / "pandas.md").read_text(encoding="utf-8")
    assert [r for r in sorted(CELL_RULES) if f"`{r}`" not in pandas_page] == []


def test_the_catalog_counts_the_built_in_edits() -> None:
    assert f"The {len(builtin_rules())} built-in edits live in" in CATALOG


def test_the_icd10pcs_page_names_every_procedure_and_poa_edit() -> None:
    """docs/icd10pcs.md's "On a claim" lists the edits of a claim's ICD-10-PCS procedures
    and POA indicators: a new one is named there too."""
    page = (DOCS / "icd10pcs.md").read_text(encoding="utf-8")
    edits = [r.id for r in builtin_rules() if r.id.startswith(("PCS_", "POA_"))]
    assert len(edits) > 10
    assert [e for e in edits if f"`{e}`" not in page] == []


def test_the_precedence_rules_name_every_edit_that_replaces_another() -> None:
    precedence = CATALOG.split("\n## Precedence\n")[1].split("\n## ")[0]
    missing = [(r.id, other) for r in builtin_rules() for other in r.replaces
               if f"`{other}`" not in precedence
               or (f"`{r.id}`" not in precedence and not r.id.startswith("PROC_"))]
    assert missing == []


def _severities(cell: str) -> tuple[str | None, dict[str, str]]:
    """``"warning (medicare-inpatient, medicare-outpatient: error)"`` -> the default word
    (None for ``off``) and the profiles named with theirs."""
    default = cell.split()[0]
    named: dict[str, str] = {}
    inner = re.search(r"\((.*)\)", cell)
    # names separated by ", " (one way only: a nested repeat, ``(?:[a-z-]+(?:, )?)+``,
    # backtracked for a minute over "commercial, medicare-inpatient: off")
    for names, sev in re.findall(r"((?:[a-z-]+, )*[a-z-]+): (error|warning|info)",
                                 inner.group(1) if inner else ""):
        for name in names.split(", "):
            named[name] = sev
    return (None if default == "off" else default), named


def test_the_severities_of_the_rules_page_are_the_profiles() -> None:
    table = {m.group(1): m.group(2).strip() for m in re.finditer(
        r"^\| [A-I] \| `([A-Z0-9_]+)` \| ([^|]+) \|",
        (DOCS / "rules.md").read_text(encoding="utf-8"), re.M)}
    profiles = Checker().profiles
    wrong = []
    for r in builtin_rules():
        default, named = _severities(table[r.id])
        if default is not None and default != r.severity.value:
            wrong.append((r.id, "default", default, r.severity.value))
        for name, p in profiles.items():
            actual = p.severity_of(r).value
            said = named.get(name, default)
            if said is not None and said != actual:
                wrong.append((r.id, name, said, actual))
    assert wrong == []


@pytest.mark.parametrize(("example", "status", "rules"), [
    ("knee_injection.json", 2, ["DX_EXCLUDES1_CONFLICT", "LATERALITY_MISMATCH"]),
    ("office_visit_clean.json", 0, []),
    ("inpatient_admission.json", 2, ["DX_DUPLICATE", "DX_EXCLUDES1_CONFLICT",
                                     "DX_MANIFESTATION_FIRST_LISTED", "DX_AGE_CONFLICT",
                                     "POA_MISSING", "POA_MISSING",
                                     "POA_MISSING", "POA_MISSING"]),
])
def test_the_example_claims_exit_as_the_pages_say(
        example: str, status: int, rules: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    path = DOCS / "examples" / example
    report = Checker().check(Claim.from_dict(json.loads(path.read_text(encoding="utf-8"))))
    assert [f.rule for f in report.findings] == rules
    assert main(["check", str(path), "--quiet"]) == status
    capsys.readouterr()


def test_the_exit_codes_of_docs_rules(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """docs/rules.md and docs/batch.md: 1 warnings only, 2 a claim that cannot be read,
    3 an input that cannot be opened."""
    warned = tmp_path / "warned.json"
    warned.write_text(json.dumps({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1951-04-12"}, "date_of_service": "2025-11-03",
        "diagnoses": ["M17.11", "E11.9", "E10.9"],
        "service_lines": [{"procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]}]}))
    unreadable = tmp_path / "dental.json"
    unreadable.write_text('{"claim_type": "dental"}')
    assert main(["check", str(warned), "--quiet"]) == 1
    assert main(["check", str(unreadable), "--quiet"]) == 2
    assert main(["check", str(tmp_path / "missing.json"), "--quiet"]) == 3
    capsys.readouterr()


def _anchors(page: Path) -> set[str]:
    toc = pytest.importorskip("markdown.extensions.toc")
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    found = set(re.findall(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", text, re.M))
    for heading in re.findall(r"^#+\s+(.*?)\s*(?:\{[^}]*\})?\s*$", text, re.M):
        found.add(toc.slugify(heading.replace("`", ""), "-"))
    return found


PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_internal_links_reach_their_page_and_heading(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for url in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", url):
            continue
        path, _, anchor = url.partition("#")
        target = (page.parent / path).resolve() if path else page
        missing_anchor = bool(anchor) and target.suffix == ".md" and target.exists() \
            and anchor not in _anchors(target)
        if not target.exists() or missing_anchor:
            broken.append(url)
    assert broken == []

"""A user's program against the public API, as a type checker reads it.

``tests/test_public_api.py`` runs ``mypy --strict`` on this file with codekit's sources
on the path: every ``assert_type`` must hold (a name that reaches the user as ``Any``
fails it), and every ``# type: ignore[...]`` must be needed (mypy --strict warns of an
unused one: a mistake a user makes must stay an error). Nothing here runs at import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import assert_type

import codekit
from codekit import (
    Checker,
    Claim,
    FileLimits,
    Finding,
    Patient,
    Profile,
    Report,
    ServiceLine,
    Severity,
    check,
    clear_caches,
    icd10cm,
    modifiers,
    ncci,
)
from codekit import batch as _batch
from codekit import claims as _claims
from codekit import findings as _findings
from codekit.batch import check_many
from codekit.modifiers import ModifierEntry

DOS = dt.date(2025, 11, 3)


def top_level_names(claim: Claim) -> None:
    """The names ``codekit`` gives are its modules' classes and functions, not Any."""
    assert_type(Claim, type[_claims.Claim])
    assert_type(Finding, type[_findings.Finding])
    assert_type(Checker().check(claim), _findings.Report)
    assert_type(codekit.__version__, str)
    assert_type(codekit.icd10cm.is_valid("E11.65", on=DOS), bool)
    assert_type(codekit.batch.cpus(), int)
    clear_caches()
    FileLimits(max_bytes=1 << 20)


def build_and_check() -> list[str]:
    """A claim built in code, checked; its findings read."""
    claim = Claim(
        claim_type="professional", payer="Medicare Part B",
        patient=Patient(sex="F", birth_date=dt.date(1951, 4, 12), id="MBR-7"),
        date_of_service=DOS, diagnoses=("M17.11",),
        service_lines=(ServiceLine(line=1, procedure_code="20610", modifiers=("LT",),
                                   units=Decimal(1), diagnosis_pointers=(1,)),),
        claim_id="PCN-0042")
    report = check(claim)
    assert_type(report, Report)
    out = []
    for finding in report.findings:
        assert_type(finding.severity, Severity)
        assert_type(finding.fix, tuple[str, ...])
        out.append(f"{finding.rule} {finding.path} {finding.message}")
    return out


def mistakes(claim: Claim, profile: Profile) -> None:
    """What a type checker must catch."""
    Claim(claim_type=1)  # type: ignore[arg-type, call-arg]
    Checker().check({"claim_id": "X"})  # type: ignore[arg-type]
    Checker(tables="ncci/")  # type: ignore[arg-type]
    Checker(require=5)  # type: ignore[arg-type]
    modifiers.is_valid(on=DOS)  # type: ignore[call-overload]
    Checker(profile=profile).check(claim)


def streams(items: list[dict[str, object]]) -> Iterator[str]:
    """``check_many`` yields reports, or what ``render`` makes of them."""
    assert_type(check_many(Checker(), items), Iterator[Report])
    assert_type(_batch.check_many(Checker(), items, render=Report.to_json), Iterator[str])
    yield from check_many(Checker(), items, render=lambda r: r.to_json())


def code_systems() -> None:
    """Answers of the code systems have types a user can name."""
    limit = icd10cm.ioce_age_limit("Z02.84", on="2024-01-12")
    assert_type(limit, icd10cm.AgeLimit | None)
    assert_type(modifiers.lookup("25", on=DOS), ModifierEntry)
    assert_type(Checker(tables=ncci.TableLibrary()).tables, ncci.TableLibrary | None)

"""One owner for caches: loading or unloading data changes every answer at once.

Regression tests for the stale answers of the first architecture review: after
``hcpcs.load_release`` a new or existing Checker still reported ``PROC_CODE_UNKNOWN``; a
modifier loaded the same way stayed ``MOD_INVALID`` (an ``lru_cache`` nothing cleared);
the policy code-set checks were ``lru_cache``s never cleared, one of them asking
``today()`` inside.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

import codekit
from codekit import Checker, Claim, PolicyError, _cache, hcpcs, modifiers, policies

ON = "2026-07-15"  # after the bundled IOCE quarters end (2026-06-30)


def _record(hcpc: str, recid: str, long: str, short: str, add: str, acteff: str) -> str:
    """One 320-character record of the CMS HCPCS ANWEB text file."""
    line = [" "] * 320
    for pos, text, width in ((0, hcpc.rjust(5), 5), (5, "00100", 5), (10, recid, 1),
                             (11, long, 80), (91, short, 28), (268, add, 8),
                             (276, acteff, 8), (292, "A", 1)):
        line[pos:pos + width] = list(text.ljust(width)[:width])
    return "".join(line)


@pytest.fixture
def release_file(tmp_path: Path) -> Iterator[Path]:
    """A HCPCS file for July 2026 adding the code G0000 and the modifier X9; whatever a
    test loads into the process-wide store is unloaded after it."""
    path = tmp_path / "HCPC2026_JUL_ANWEB.txt"
    path.write_text("\r\n".join([
        _record("G0000", "3", "codekit test new code", "codekit g0000", "20260701",
                "20260701"),
        _record("X9", "7", "codekit test new modifier", "codekit x9", "20260701",
                "20260701"),
    ]) + "\r\n", encoding="latin-1")
    yield path
    hcpcs.unload_releases()


def _claim() -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "commercial",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": ON,
        "diagnoses": ["I10"],
        "service_lines": [{"procedure_code": "G0000", "units": 1, "diagnosis_pointers": [1]},
                          {"procedure_code": "99213", "modifiers": ["X9"], "units": 1,
                           "diagnosis_pointers": [1]}]})


def _rules(checker: Checker) -> set[str]:
    return {f.rule for f in checker.check(_claim()).findings}


def test_loading_a_hcpcs_file_changes_every_checker_at_once(release_file: Path) -> None:
    existing = Checker(policies=())
    assert not hcpcs.is_valid("G0000", on=ON)
    assert {"PROC_CODE_UNKNOWN", "MOD_INVALID"} <= _rules(existing)
    generation = _cache.generation()

    hcpcs.load_release(release_file)

    assert _cache.generation() > generation
    assert hcpcs.is_valid("G0000", on=ON) and modifiers.is_valid("X9", on=ON)
    assert _rules(existing) == set()  # the checker made before the load
    assert _rules(Checker(policies=())) == set()  # and a new one

    hcpcs.unload_releases()

    assert {"PROC_CODE_UNKNOWN", "MOD_INVALID"} <= _rules(existing)
    assert not modifiers.is_valid("X9", on=ON)


def test_a_modifier_loaded_from_a_file_is_no_longer_invalid(release_file: Path) -> None:
    checker = Checker(policies=())
    claim = Claim.from_dict({**_claim().to_dict(), "service_lines": [
        {"procedure_code": "99213", "modifiers": ["X9"], "units": 1,
         "diagnosis_pointers": [1]}]})
    assert [f.rule for f in checker.check(claim).findings] == ["MOD_INVALID"]
    hcpcs.load_release(release_file)
    assert checker.check(claim).findings == ()


POLICY = """
rule TEST-G0000
  payer: commercial
  source: "codekit test"
  for each line where procedure in G0000
  require pointed dx in I10
end
"""


def test_policy_code_checks_follow_the_data(release_file: Path) -> None:
    with pytest.raises(PolicyError) as e:
        policies.loads(POLICY)
    assert e.value.kind == "unknown_code"
    hcpcs.load_release(release_file)
    assert policies.loads(POLICY).ids == ("TEST-G0000",)


def test_no_cached_answer_depends_on_today() -> None:
    """A cache may not hide a call to today(): its answer would outlive the day."""
    from codekit.policies import _codesets

    for fn in (_codesets._icd_problem, _codesets._procedure_problem,
               _codesets._modifier_problem):
        assert "today(" not in inspect.getsource(fn)


def test_every_cache_is_registered_and_emptied() -> None:
    codekit.icd10cm.validate("E11.9", on=dt.date(2025, 11, 3))
    codekit.procedure.resolve("99213", on=dt.date(2025, 11, 3))
    held = _cache.sizes()
    assert held["icd10cm.seen"] > 0 and held["procedure.resolved"] > 0
    codekit.clear_caches()
    assert not any(_cache.sizes().values())
    # answers do not change
    assert codekit.icd10cm.validate("E11.9", on=dt.date(2025, 11, 3)).code == "E119"

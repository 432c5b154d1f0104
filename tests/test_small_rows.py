"""Small misses a certified coder's review of 837P claims found (2026-12-06), on real codes (date of
service 2025-06-10): CPT age limits the IOCE does not carry (``PROC_AGE_CPT_CONFLICT``: 90460 at 30,
99100 at 50), modifier 51 on an add-on code (``MOD_INVALID``: 11045-51), a CPT fracture treatment
line pointing to a routine-healing fracture (``DX_ENCOUNTER_CHARACTER_CONFLICT``: 25600-RT
with S52.501D) and a preventive visit pointing to no examination code
(``PTR_PREVENTIVE_NO_EXAM_DX``: 99395 with I10)."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim

CHECKERS: dict[str, Checker] = {}


def _found(rule: str, dx: list[str], lines: list[tuple[str, list[str], list[int]]], *,
           born: str = "1995-03-01", payer: str = "medicare") -> list[tuple[Any, ...]]:
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": payer, "date_of_service": "2025-06-10",
        "patient": {"sex": "F", "birth_date": born}, "diagnoses": dx,
        "service_lines": [{"line": n + 1, "procedure_code": code, "modifiers": mods,
                           "diagnosis_pointers": ptrs, "units": 1}
                          for n, (code, mods, ptrs) in enumerate(lines)]})
    checker = CHECKERS.get(payer)
    if checker is None:
        checker = CHECKERS[payer] = Checker()
    return [(f.severity.value, tuple(f.location), f.codes, f.fix, f.message)
            for f in checker.check(claim).findings if f.rule == rule]


def test_90460_on_a_30_year_old() -> None:
    assert _found("PROC_AGE_CPT_CONFLICT", ["Z23"],
                  [("90460", [], [1]), ("90686", [], [1])]) == [(
        "warning", ("service_lines", 0, "procedure_code"), ("90460",), ("90471",),
        "Line 1: 90460 is limited by age (CPT 90460: through age 18) but the patient is 30 "
        "on 2025-06-10: report 90471 instead.")]


@pytest.mark.parametrize(("lines", "born", "found"), [
    # 90461 from 19: 90472
    ([("90460", [], [1]), ("90461", [], [1]), ("90686", [], [1]), ("90715", [], [1])],
     "2006-06-10", [("90460", ("90471",)), ("90461", ("90472",))]),
    # 18 the day before the 19th birthday: through age 18 passes
    ([("90460", [], [1]), ("90686", [], [1])], "2006-06-11", []),
    ([("90460", [], [1]), ("90686", [], [1])], "2015-01-01", []),
])
def test_90460_90461_through_age_18(lines: list[tuple[str, list[str], list[int]]],
                                    born: str, found: list[tuple[str, tuple[str, ...]]]
                                    ) -> None:
    assert [(f[2][0], f[3]) for f in _found("PROC_AGE_CPT_CONFLICT", ["Z23"], lines,
                                             born=born)] == found


@pytest.mark.parametrize(("born", "fires"), [
    ("1975-01-01", True),   # 50
    ("2024-06-10", True),   # 1 on the day
    ("2024-06-11", False),  # 0: under 1 year
    ("1955-01-01", False),  # 70: over 70 but on the birthday
    ("1950-01-01", False),  # 75
])
def test_99100_under_1_or_over_70(born: str, fires: bool) -> None:
    found = _found("PROC_AGE_CPT_CONFLICT", ["K80.20"],
                   [("00790", [], [1]), ("99100", [], [1])], born=born)
    assert [(f[1], f[3]) for f in found] == (
        [(("service_lines", 1, "procedure_code"), ())] if fires else [])
    if fires:
        assert found[0][4].endswith(": remove the line.")


def test_51_on_an_add_on_code() -> None:
    assert _found("MOD_INVALID", ["L97.412"],
                  [("11042", [], [1]), ("11045", ["51"], [1])]) == [(
        "error", ("service_lines", 1, "modifiers", 0), ("51",), (),
        "Line 2, modifier '51': 11045 is an add-on code, exempt from the multiple procedure "
        "modifier 51 (CPT Appendix D; NCCI add-on code type 1): remove 51.")]
    # 51 on the second primary procedure is its place
    assert _found("MOD_INVALID", ["L97.412", "L97.422"],
                  [("11042", [], [1]), ("11042", ["51", "LT"], [2])]) == []


def test_fracture_treatment_line_pointing_to_routine_healing() -> None:
    assert _found("DX_ENCOUNTER_CHARACTER_CONFLICT", ["S52.501D"],
                  [("25600", ["RT"], [1])]) == [(
        "warning", ("diagnoses", 0), ("S52.501D", "25600"), ("S52.501A",),
        "Diagnosis 1 S52.501D is a subsequent encounter with routine healing (7th character "
        "D), but line 1 (25600) treats the fracture and points to it: an encounter of "
        "active treatment takes the initial-encounter character: S52.501A (Guidelines "
        "I.C.19.a, I.C.19.c.1).")]


@pytest.mark.parametrize(("dx", "lines"), [
    (["S52.501A"], [("25600", ["RT"], [1])]),               # initial encounter
    (["S52.501D"], [("25600", ["RT", "55"], [1])]),         # postoperative care only
    (["S52.501D"], [("99213", [], [1])]),                   # a follow-up visit
    (["S52.501D", "I10"], [("25600", ["RT"], [2])]),        # the line points elsewhere
    (["S52.501K"], [("25600", ["RT"], [1])]),               # nonunion: not judged
])
def test_fracture_treatment_quiet(dx: list[str],
                                  lines: list[tuple[str, list[str], list[int]]]) -> None:
    assert _found("DX_ENCOUNTER_CHARACTER_CONFLICT", dx, lines) == []


@pytest.mark.parametrize("payer", ["medicare", "acme"])
def test_preventive_visit_pointing_to_i10_only(payer: str) -> None:
    assert _found("PTR_PREVENTIVE_NO_EXAM_DX", ["I10"], [("99395", [], [1])],
                  payer=payer) == [(
        "warning", ("service_lines", 0, "diagnosis_pointers"), ("99395", "I10"), (),
        "Line 1 (99395) is a preventive medicine visit, but it points only to I10: point "
        "first to the examination code (Z00.00, Z00.01, Z00.121, Z00.129, Z01.411, "
        "Z01.419...) and add it to the diagnoses if it is missing; the conditions addressed "
        "stay as additional pointers (Guideline I.C.21.c.13).")]


@pytest.mark.parametrize(("dx", "ptrs"), [
    (["Z00.00", "I10"], [1, 2]),
    (["I10", "Z00.00"], [1, 2]),
    (["Z01.419"], [1]),
    (["I10"], []),  # no pointer: PTR_MISSING's
])
def test_preventive_visit_quiet(dx: list[str], ptrs: list[int]) -> None:
    assert _found("PTR_PREVENTIVE_NO_EXAM_DX", dx, [("99395", [], ptrs)]) == []

"""A service line's number (``"line"`` in the claim dict: the 837's LX01, FHIR's
``item.sequence``) is a whole number from 1, unique within the claim: findings and report
rows name lines by it, so a line 0 or two lines 1 could not be told apart."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from codekit import Checker, Claim, ClaimFormatError

BASE: dict[str, Any] = {
    "claim_id": "LN-1", "claim_type": "professional", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1950-01-01"}, "date_of_service": "2025-11-03",
    "diagnoses": ["M17.11", "I10"]}
CODES = ("99213", "20610", "36415")
RANGE = "must be from 1 to 999999999 (837 LX01 and FHIR item.sequence count from 1), got "
TWICE = ("which is also the number of service_lines[0]: each line of a claim has a number "
         "of its own (837 LX01, FHIR item.sequence)")


def _claim(*numbers: object) -> dict[str, Any]:
    """BASE with one line per number (``...``: a line without ``"line"``)."""
    lines = []
    for n, code in zip(numbers, CODES, strict=False):
        line: dict[str, Any] = {"procedure_code": code, "units": 1, "diagnosis_pointers": [1]}
        if n is not ...:
            line["line"] = n
        lines.append(line)
    return {**copy.deepcopy(BASE), "service_lines": lines}


def _problems(d: dict[str, Any]) -> tuple[tuple[tuple[str | int, ...], str], ...]:
    before = copy.deepcopy(d)
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(d)
    assert d == before  # the dict is not changed
    return info.value.problems


@pytest.mark.parametrize(("numbers", "problems"), [
    ((0,), ((("service_lines", 0, "line"), RANGE + "0"),)),
    ((-1,), ((("service_lines", 0, "line"), RANGE + "-1"),)),
    ((1, 0), ((("service_lines", 1, "line"), RANGE + "0"),)),
    ((10**9,), ((("service_lines", 0, "line"), RANGE + "1000000000"),)),
    ((1, 1), ((("service_lines", 1, "line"), "is 1, " + TWICE),)),
    ((2, 1, 2), ((("service_lines", 2, "line"), "is 2, " + TWICE),)),
    ((1.0, 1), ((("service_lines", 1, "line"), "is 1, " + TWICE),)),
    # a line without a number takes its position, which another line may have
    ((2, ...), ((("service_lines", 1, "line"),
                 "is missing, so it is the line's position, 2, " + TWICE),)),
    ((..., 1), ((("service_lines", 1, "line"), "is 1, " + TWICE),)),
    ((True,), ((("service_lines", 0, "line"), "must be a whole number, got True"),)),
    (("1",), ((("service_lines", 0, "line"), "must be a whole number, got '1'"),)),
    ((1.5,), ((("service_lines", 0, "line"), "must be a whole number, got 1.5"),)),
])
def test_bad_line_numbers_are_format_errors(numbers: tuple[object, ...],
                                            problems: tuple[Any, ...]) -> None:
    assert _problems(_claim(*numbers)) == problems


def test_every_bad_number_is_listed_once() -> None:
    d = _claim(0, 3, 3)
    assert _problems(d) == (
        (("service_lines", 0, "line"), RANGE + "0"),
        (("service_lines", 2, "line"), "is 3, which is also the number of service_lines[1]: "
         "each line of a claim has a number of its own (837 LX01, FHIR item.sequence)"))


@pytest.mark.parametrize(("numbers", "read"), [
    ((1, 3, 2), (1, 3, 2)),  # FHIR's item.sequence is unique, not ordered; so is "line"
    ((5, 7), (5, 7)),  # a part of a claim: gaps are allowed
    ((1.0, 2.0), (1, 2)),  # pandas and Spark write whole numbers with gaps as 2.0
    ((..., ..., ...), (1, 2, 3)),
    ((3, ..., 1), (3, 2, 1)),
    ((999_999_999,), (999_999_999,)),
])
def test_good_line_numbers_are_read(numbers: tuple[object, ...], read: tuple[int, ...]) -> None:
    claim = Claim.from_dict(_claim(*numbers))
    assert tuple(ln.line for ln in claim.service_lines) == read
    assert all(type(ln.line) is int for ln in claim.service_lines)


def test_a_bad_line_number_in_a_batch_is_that_claims_result() -> None:
    twice, zero, good = _claim(1, 1), _claim(0), _claim(1, 3, 2)
    twice["claim_id"], zero["claim_id"], good["claim_id"] = "T", "Z", "G"
    reports = list(Checker().check_many([twice, zero, good]))
    assert [(r.claim_id, [(f.rule, f.path, f.message) for f in r.findings])
            for r in reports[:2]] == [
        ("T", [("CLAIM_FORMAT_INVALID", "$.service_lines[1].line", "is 1, " + TWICE)]),
        ("Z", [("CLAIM_FORMAT_INVALID", "$.service_lines[0].line", RANGE + "0")])]
    assert reports[2].claim_id == "G"
    assert reports[2].profile == "medicare-professional"
    assert reports[2].line_numbers == (1, 3, 2)
    assert all(f.rule != "CLAIM_FORMAT_INVALID" for f in reports[2].findings)


@pytest.mark.parametrize("numbers", [(0,), (1, 0), (1, 1), (2, 1, 2), (0, 3, 3), (-5, 2)])
def test_a_claim_built_by_hand_with_bad_line_numbers_is_refused_as_from_dict_does(
        numbers: tuple[int, ...]) -> None:
    """``Claim(...)`` has no validators: a line 0 or two lines 1 reached the checker, whose
    report named lines it could not tell apart. ``check`` raises the problems
    ``Claim.from_dict`` gives for the same numbers; ``check_many`` makes them the claim's
    report."""
    import attrs

    good = Claim.from_dict(_claim(*(range(1, len(numbers) + 1))))
    hand = attrs.evolve(good, service_lines=tuple(
        attrs.evolve(ln, line=n) for ln, n in zip(good.service_lines, numbers, strict=True)))
    expected = _problems(_claim(*numbers))
    with pytest.raises(ClaimFormatError) as info:
        Checker().check(hand)
    assert info.value.problems == expected
    with pytest.raises(ClaimFormatError):
        list(Checker().iter_findings(hand))
    (report,) = Checker().check_many([hand])
    assert [(f.rule, f.path, f.message) for f in report.findings] == [
        ("CLAIM_FORMAT_INVALID", f"$.service_lines[{path[1]}].line", message)
        for path, message in expected]


@pytest.mark.parametrize("numbers", [(1, 3, 2), (5, 7), (3, 2, 1)])
def test_a_claim_built_by_hand_with_good_line_numbers_is_checked(
        numbers: tuple[int, ...]) -> None:
    import attrs

    good = Claim.from_dict(_claim(*(range(1, len(numbers) + 1))))
    hand = attrs.evolve(good, service_lines=tuple(
        attrs.evolve(ln, line=n) for ln, n in zip(good.service_lines, numbers, strict=True)))
    report = Checker().check(hand)
    assert report.line_numbers == numbers
    assert report == Checker().check(Claim.from_dict(_claim(*numbers)))


def test_a_hand_built_claim_refused_in_a_batch_keeps_its_claim_id() -> None:
    """check_many gives a refused hand-built claim's report its claim id, so its rows
    join back like any other's (it had none)."""
    from codekit import Patient, ServiceLine

    claim = Claim(claim_type="professional", payer="medicare", patient=Patient(sex="F", age=40),
                  date_of_service=dt.date(2025, 11, 3), diagnoses=("I10",),
                  service_lines=(ServiceLine(1, "99213"), ServiceLine(1, "93000")),
                  claim_id="C77")
    (report,) = Checker().check_many([claim])
    assert report.claim_id == "C77"
    assert [(f.rule, f.location) for f in report.findings] == [
        ("CLAIM_FORMAT_INVALID", ("service_lines", 1, "line"))]

"""Bad input never escapes as an uncaught exception.

Property tests (hypothesis): a claim dict with junk in every field -- random types,
strings, numbers, nested junk, missing keys, huge lists, Unicode -- gives either a claim
whose check returns a :class:`~codekit.Report`, or exactly one
:class:`~codekit.ClaimFormatError`; the input dict is never mutated. Well-typed random
claims (random strings for codes, whole numbers >= 0 for pointers and units, dates
2010-2030) always build and always give a report. Plain tests pin down
``ClaimFormatError``: every problem with its path, pickling, no half-built claim.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import pickle
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from codekit import Checker, Claim, ClaimFormatError, Report

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CHECKER = Checker()  # picks the profile from each claim (payer, claim type, bill type)
PROFILES = ("medicare-professional", "medicare-outpatient", "medicare-inpatient",
            "commercial", "medicare-dme")

# -- strategies ------------------------------------------------------------------------------

DX = ("E11.9", "E119", "I10", "e11.65", " M17.11 ", "G35", "G35.A", "Z86.010", "S52.521",
      "T78.40A", "W19.XXXA", "G63", "Z38.00", "O80", "N40.0", "Z51.89", "E11", "250.00",
      "Ｅ１１．９", "", " ", "E11.9\u200b", "É11.9", "E1.19", "Z00.00", "M54.50", "M54.42")
PROC = ("99213", "20610", "J3301", "17003", "99201", "J1030", "00000", "9921", "99213-25",
        "g0008", "0001U", "55700", "57454", "99397", "", "٩٩٢١٣")
MOD = ("25", "RT", "LT", "50", "59", "KX", "JG", "88", "", "rt", "F5", "E1", "XS")
DATE_TEXT = ("2025-11-03", "2024-09-30", "2024-10-01", "2015-09-30", "0001-01-01",
             "9999-12-31", "2025-13-01", "2025-02-29", "20251103", "2025-W45-1", "",
             "03/11/2025", " 2025-11-03 ")
POINTER_TEXT = ("M", "-1", "1.0", "", "1e0", "Ⅳ")
UNIT_TEXT = ("-1", "NaN", "sNaN", "Infinity", "-Infinity", "", "x", "1e999999", "½")
OTHER_TEXT = ("dental", "institutional ", "PROFESSIONAL", "2025-13-01", "2025-02-29",
              "2025-W45-1", "03/11/2025", "")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-2, 20),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True),
    st.text(max_size=12), st.binary(max_size=6), st.dates(), st.datetimes(),
    st.sampled_from(DX + PROC + MOD + DATE_TEXT + POINTER_TEXT + UNIT_TEXT + OTHER_TEXT),
    st.complex_numbers(max_magnitude=10), st.fractions(),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.tuples(inner, inner),
        st.frozensets(st.text(max_size=3) | st.integers(), max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.sampled_from(
            ("line", "units", "sex", "age", "birth_date", "procedure_code"))), inner,
            max_size=4)),
    max_leaves=12,
)


# Values that read (the rules judge them); the junk above holds the ones that do not.
DATES = st.one_of(st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)).map(str),
                  st.dates().map(str), st.dates(), st.datetimes(),
                  st.sampled_from(("2025-11-03", "2024-09-30", "2024-10-01", "2015-09-30",
                                   "0001-01-01", "9999-12-31", " 2025-11-03 ", "20251103")))
UNITS = st.one_of(st.integers(0, 10 ** 30), st.floats(0, 1e9), st.decimals(0, 10 ** 6),
                  st.sampled_from(("1", "2.5", "0", "1e5", " 3 ", "1_000")))
POINTER = st.integers(-3, 20) | st.integers() | st.text(max_size=3) | st.sampled_from(
    ("1", " 2 ", "A", "l", "0", "13", "٣", "00004"))


@st.composite
def junk_claims(draw: st.DrawFn) -> dict[Any, Any]:
    """A claim dict in which each field, list item and key is junk (or missing) with a
    rate drawn per claim: none, a little, a lot, or nearly everything."""
    rate = draw(st.sampled_from((0.0, 0.0, 0.0, 0.02, 0.1, 0.4, 0.9)))

    def value(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(junk) if draw(st.floats(0, 1)) < rate else draw(strategy)

    def present() -> bool:
        return draw(st.floats(0, 1)) >= rate / 2

    def many(strategy: st.SearchStrategy[Any]) -> Any:
        if draw(st.floats(0, 1)) < rate:
            return draw(junk)
        if draw(st.integers(0, 9)):
            return [value(strategy) for _ in range(draw(st.integers(0, 6)))]
        return [value(strategy)] * draw(st.integers(30, 300))  # a huge list

    def record(required: dict[str, Any], optional: dict[str, Any]) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key, make in required.items():
            if present():
                out[key] = make()
        for key, make in optional.items():
            if draw(st.booleans()):
                out[key] = make()
        if draw(st.floats(0, 1)) < rate:
            out[draw(st.text(max_size=6) | st.integers())] = draw(junk)
        return out

    def line() -> Any:
        return record(
            {"procedure_code": lambda: value(st.sampled_from(PROC) | st.text(max_size=9)),
             "units": lambda: value(UNITS),
             "diagnosis_pointers": lambda: many(POINTER)},
            {"line": lambda: value(st.integers(-5, 10 ** 12)),
             "modifiers": lambda: many(st.sampled_from(MOD) | st.text(max_size=3)),
             "revenue_code": lambda: value(st.sampled_from(("0450", "0300", "", "45"))),
             "date_of_service": lambda: value(DATES),
             "charge": lambda: draw(junk)})

    def patient() -> Any:
        born = {"birth_date": lambda: value(DATES),
                "age": lambda: value(st.integers(-5, 200) | st.integers())}
        first = draw(st.sampled_from(sorted(born)))
        return record(
            {"sex": lambda: value(st.sampled_from(("M", "F", "U", "X", "m", " f ", ""))
                                  | st.text(max_size=3)), first: born.pop(first)},
            {**born, "name": lambda: draw(junk)})

    return record(
        {"claim_type": lambda: value(st.sampled_from(("professional", "institutional"))),
         "payer": lambda: value(st.sampled_from(("medicare", "MEDICARE ", "commercial",
                                                 "acme", "")) | st.text(max_size=5)),
         "patient": lambda: value(st.builds(patient)) if rate else patient(),
         "date_of_service": lambda: value(DATES),
         "diagnoses": lambda: many(st.sampled_from(DX) | st.text(max_size=9)),
         "service_lines": lambda: many(st.builds(line))},
        {"bill_type": lambda: value(st.sampled_from(("111", "0111", "131", "11", "abc"))),
         "discharge_status": lambda: value(st.sampled_from(("01", "1", "09", "99", ""))
                                           | st.integers(-5, 120)),
         "condition_codes": lambda: many(st.sampled_from(("45", "44", ""))),
         "claim_id": lambda: draw(junk)})


def build_and_check(d: Any) -> Report | ClaimFormatError:
    """The contract: a report, or one ClaimFormatError; nothing else escapes."""
    try:
        claim = Claim.from_dict(d)
    except ClaimFormatError as e:
        error = e
    else:
        error = None
    if error is not None:
        assert error.problems, "a ClaimFormatError lists at least one problem"
        event(f"format error, {min(len(error.problems), 3)}+ problems")
        return error
    report = CHECKER.check(claim)
    event(f"report, {min(len(report.findings), 3)}+ findings")
    assert isinstance(report, Report)
    str(report)
    report.to_json()
    assert list(CHECKER.iter_findings(claim)) == list(report.findings)
    return report


# -- properties ------------------------------------------------------------------------------


@SETTINGS
@given(junk_claims())
def test_junk_claims_give_a_report_or_one_format_error(d: dict[str, Any]) -> None:
    before = copy.deepcopy(d)
    build_and_check(d)
    assert _same(d, before), "the input dict was mutated"


@SETTINGS
@given(junk)
def test_anything_at_all_gives_a_report_or_one_format_error(d: Any) -> None:
    before = copy.deepcopy(d)
    result = build_and_check(d)
    if not isinstance(d, dict):
        assert isinstance(result, ClaimFormatError)
    assert _same(d, before)


def _same(a: Any, b: Any) -> bool:
    """Deep equality that treats NaN as equal to itself (junk holds NaNs, and a signalling
    NaN refuses to be compared at all)."""
    if isinstance(a, decimal.Decimal):
        return type(b) is decimal.Decimal and a.compare_total(b) == 0
    if isinstance(a, float | complex):
        return type(a) is type(b) and repr(a) == repr(b)
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(
            _same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(
            _same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, frozenset | set):
        return a == b or (type(a) is type(b) and len(a) == len(b))
    return type(a) is type(b) and a == b


def _numbered(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines whose numbers (given, or their positions) are unique, as from_dict requires."""
    numbers = [ln.get("line", i + 1) for i, ln in enumerate(lines)]
    if len(set(numbers)) != len(numbers):
        for i, ln in enumerate(lines):
            ln["line"] = i + 1
    return lines


good_lines = st.fixed_dictionaries({
    "procedure_code": st.text(max_size=8) | st.sampled_from(PROC),
    "modifiers": st.lists(st.text(max_size=3) | st.sampled_from(MOD), max_size=5),
    "units": st.integers(0, 10 ** 6),
    "diagnosis_pointers": st.lists(st.integers(0, 30), max_size=6),
}, optional={
    "line": st.integers(1, 10 ** 6),
    "revenue_code": st.text(max_size=4),
    "date_of_service": st.dates(dt.date(2010, 1, 1), dt.date(2030, 12, 31)).map(str),
})
good_claims = st.fixed_dictionaries({
    "claim_type": st.sampled_from(("professional", "institutional")),
    "payer": st.sampled_from(("medicare", "commercial", "acme")) | st.text(max_size=8),
    "patient": st.one_of(
        st.fixed_dictionaries({"sex": st.sampled_from("MFU") | st.text(max_size=2),
                               "age": st.integers(0, 130)}),
        st.fixed_dictionaries({"sex": st.sampled_from("MFU"), "birth_date": st.dates(
            dt.date(1900, 1, 1), dt.date(2030, 12, 31)).map(str)})),
    "date_of_service": st.dates(dt.date(2010, 1, 1), dt.date(2030, 12, 31)).map(str),
    "diagnoses": st.lists(st.text(max_size=9) | st.sampled_from(DX), max_size=30),
    "service_lines": st.lists(good_lines, max_size=6).map(_numbered),
}, optional={
    "bill_type": st.sampled_from(("111", "0111", "131", "831")) | st.text(max_size=4),
    "discharge_status": st.sampled_from(("01", "1", "30", "09", "41", "99")) | st.text(
        max_size=3) | st.integers(0, 120),
    "condition_codes": st.lists(st.sampled_from(("45", "44")) | st.text(max_size=2),
                                max_size=3),
})


@SETTINGS
@given(good_claims, st.sampled_from((None, *PROFILES)))
def test_well_typed_claims_always_give_a_report(d: dict[str, Any], profile: str | None,
                                                ) -> None:
    before = copy.deepcopy(d)
    claim = Claim.from_dict(d)
    report = Checker(profile=profile).check(claim)
    assert isinstance(report, Report)
    str(report)
    report.to_json()
    assert d == before
    assert Claim.from_dict(claim.to_dict()) == claim
    assert Claim.from_json(claim.to_json()) == claim


# -- ClaimFormatError --------------------------------------------------------------------------

GOOD: dict[str, Any] = {
    "claim_type": "professional", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1956-03-02"},
    "date_of_service": "2025-11-03", "diagnoses": ["E11.9", "I10"],
    "service_lines": [
        {"line": 1, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1, 2]},
        {"line": 2, "procedure_code": "83036", "units": 1, "diagnosis_pointers": [1]},
    ],
}


def test_the_good_claim_builds() -> None:
    claim = Claim.from_dict(GOOD)
    assert claim.diagnoses == ("E11.9", "I10") and len(claim.service_lines) == 2


def test_an_unknown_key_names_the_key_it_stands_for() -> None:
    """Another tool's names for a claim's keys (``lines``, ``procedure``, ``pointers``,
    ``dob``), another case or a typo: the error names codekit's key, at each level."""
    d = {"claim_type": "professional", "payer": "medicare", "dos": "2025-11-03",
         "patient": {"gender": "F", "birth_date": "1950-04-02"},
         "Diagnoses": ["I10"],
         "lines": [{"procedure_code": "99213"}]}
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(d)
    got = dict(info.value.problems)
    assert got[("lines",)] == ("unknown field: did you mean 'service_lines'? "
                               "(put your own under 'extra')")
    assert got[("dos",)].startswith("unknown field: did you mean 'date_of_service'?")
    assert got[("Diagnoses",)].startswith("unknown field: did you mean 'diagnoses'?")
    assert got[("patient", "gender")] == "unknown field: did you mean 'sex'?"
    d = {"claim_type": "professional", "date_of_service": "2025-11-03",
         "patient": {"sex": "F", "dob": "1950-04-02"}, "diagnoses": [{"code": "I10", "POA": "Y"}],
         "service_lines": [{"procedure": "99213", "pointers": [1], "qty": 1, "modifer": ["25"]}]}
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(d)
    got = dict(info.value.problems)
    assert got[("patient", "dob")] == "unknown field: did you mean 'birth_date'?"
    assert got[("diagnoses", 0, "POA")] == "unknown field: did you mean 'poa'?"
    line = ("service_lines", 0)
    assert got[(*line, "procedure")] == "unknown field: did you mean 'procedure_code'?"
    assert got[(*line, "pointers")] == "unknown field: did you mean 'diagnosis_pointers'?"
    assert got[(*line, "qty")] == "unknown field: did you mean 'units'?"
    assert got[(*line, "modifer")] == "unknown field: did you mean 'modifiers'?"


def test_a_claim_level_key_of_the_patient_or_a_line_says_where_it_goes() -> None:
    """A flat claim (``sex``, ``patient_id``, ``cpt``, ``units`` at the top) is told where
    each key goes, not a bare "unknown field"; ``procedure`` also names ``procedures``."""
    d = {"claim_type": "professional", "date_of_service": "2025-11-03", "patient_id": "P1",
         "sex": "F", "dob": "1950-04-02", "diagnoses": ["I10"], "cpt": "99213", "units": 1,
         "procedure": "99214", "claim_number": "C-7", "insurance": "medicare"}
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(d)
    got = {path: text.removesuffix(" (put your own under 'extra')")
           for path, text in info.value.problems}
    assert got[("patient_id",)] == "unknown field: give it under 'patient' (as 'id')"
    assert got[("sex",)] == "unknown field: give it under 'patient' (as 'sex')"
    assert got[("dob",)] == "unknown field: give it under 'patient' (as 'birth_date')"
    assert got[("cpt",)] == ("unknown field: give it on each of 'service_lines' "
                             "(as 'procedure_code')")
    assert got[("units",)] == "unknown field: give it on each of 'service_lines' (as 'units')"
    assert got[("procedure",)] == ("unknown field: give it on each of 'service_lines' (as "
                                   "'procedure_code'); ICD-10-PCS codes go in 'procedures'")
    assert got[("claim_number",)] == "unknown field: did you mean 'claim_id'?"
    assert got[("insurance",)] == "unknown field: did you mean 'payer'?"
    assert got[("patient",)] == "missing"


def test_every_problem_is_listed_with_its_path() -> None:
    d = copy.deepcopy(GOOD)
    d["claim_type"] = "dental"
    d["patient"] = {"sex": 1.5, "birth_date": "1956-02-30", "colour": "blue"}
    d["diagnoses"] = ["E11.9", None]
    d["service_lines"][0]["units"] = "two"
    d["service_lines"][0]["diagnosis_pointers"] = [1, "Q"]
    d["service_lines"][1] = "83036"
    d["colour"] = 1
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(d)
    assert info.value.problems == (
        (("claim_type",), "must be 'professional' or 'institutional', got 'dental'"),
        (("colour",), "unknown field (put your own under 'extra')"),
        (("diagnoses", 1), "must be text, got null"),
        (("patient", "birth_date"), "not a date (YYYY-MM-DD, or an ISO date-time): '1956-02-30'"),
        (("patient", "colour"), "unknown field"),
        (("patient", "sex"), "must be text, got a number (1.5)"),
        (("service_lines", 0, "diagnosis_pointers", 1), "must be a whole number (or A-L), "
                                                        "got 'Q'"),
        (("service_lines", 0, "units"), "must be a number, got 'two'"),
        (("service_lines", 1), "must be an object, got a string ('83036')"),
    )
    text = str(info.value)
    assert text.startswith("9 problems in the claim:")
    assert "  service_lines[0].units: must be a number, got 'two'" in text
    assert "  service_lines[0].diagnosis_pointers[1]: must be a whole number" in text
    assert info.value.code == "CLAIM_FORMAT_INVALID"
    assert isinstance(info.value, ValueError)


def test_missing_keys_are_listed_at_once() -> None:
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict({"service_lines": [{}]})
    assert info.value.problems == (
        (("claim_type",), "missing"),
        (("date_of_service",), "missing (give it, or a date on every line)"),
        (("diagnoses",), "missing"),
        (("patient",), "missing"),
        (("service_lines", 0, "procedure_code"), "missing (give it, or a revenue_code for "
                                                 "a line that has none)"),
    )


def test_a_revenue_code_only_line_needs_no_procedure_code() -> None:
    """An 837I room-and-board line (revenue code 0120, no HCPCS) had to be written with
    ``"procedure_code": ""``; leaving the key out was "procedure_code: missing"."""
    base = {"claim_type": "institutional", "bill_type": "111", "payer": "medicare",
            "date_of_service": "2025-11-03", "admission_date": "2025-11-01",
            "patient": {"sex": "F", "age": 70}, "diagnoses": [{"code": "I10", "poa": "Y"}]}
    claim = Claim.from_dict({**base, "service_lines": [{"revenue_code": "0120", "units": 2}]})
    assert (claim.service_lines[0].procedure_code, claim.service_lines[0].revenue_code) == \
        ("", "0120")
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict({**base, "service_lines": [{"revenue_code": " ", "units": 2}]})
    assert info.value.problems == ((("service_lines", 0, "procedure_code"),
                                    "missing (give it, or a revenue_code for a line that has "
                                    "none)"),)


@pytest.mark.parametrize("value", [None, [], "claim", 42, b"{}", ("a", 1)])
def test_a_claim_that_is_not_an_object(value: Any) -> None:
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(value)
    [(path, message)] = info.value.problems
    assert path == () and message.startswith("a claim must be an object, got ")


def test_bad_json() -> None:
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_json("{not json")
    [(path, message)] = info.value.problems
    assert path == () and message.startswith("not JSON: ")


def test_format_error_pickles_with_every_problem() -> None:
    d = copy.deepcopy(GOOD)
    d["service_lines"][0]["units"] = "many"
    d["date_of_service"] = "2025-13-01"
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(d)
    err = pickle.loads(pickle.dumps(info.value))
    assert type(err) is ClaimFormatError
    assert err.problems == info.value.problems == (
        (("date_of_service",), "not a date (YYYY-MM-DD, or an ISO date-time): '2025-13-01'"),
        (("service_lines", 0, "units"), "must be a number, got 'many'"),
    )
    assert str(err) == str(info.value)


def test_never_half_builds_and_never_mutates() -> None:
    """One bad field deep inside: no claim comes back, the dict is untouched, and the
    same dict with the field fixed builds the whole claim."""
    d = copy.deepcopy(GOOD)
    d["service_lines"][1]["units"] = float("inf")
    before = copy.deepcopy(d)
    result: Claim | None = None
    with pytest.raises(ClaimFormatError) as info:
        result = Claim.from_dict(d)
    assert result is None
    assert info.value.problems == ((("service_lines", 1, "units"),
                                    "must be a finite number, got inf"),)
    assert d == before
    d["service_lines"][1]["units"] = 1
    claim = Claim.from_dict(d)
    assert [ln.procedure_code for ln in claim.service_lines] == ["99213", "83036"]


def test_well_typed_but_wrong_values_are_findings_not_format_errors() -> None:
    d = copy.deepcopy(GOOD)
    d["patient"]["sex"] = "X"
    d["service_lines"][0]["units"] = 0
    d["service_lines"][0]["diagnosis_pointers"] = [13]
    d["diagnoses"] = ["E11.99", "I10"]
    rules = {f.rule for f in Checker().check(Claim.from_dict(d)).findings}
    assert {"PATIENT_SEX_INVALID", "UNITS_INVALID", "PTR_INVALID",
            "DX_CODE_UNKNOWN"} <= rules


def test_empty_service_lines_on_an_inpatient_claim() -> None:
    claim = Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
        "patient": {"sex": "M", "age": 70}, "date_of_service": "2025-11-03",
        "diagnoses": [{"code": "I50.20", "poa": "Y"}, {"code": "E11.65", "poa": "Y"}],
        "admitting_diagnosis": "R06.00", "service_lines": []})
    assert claim.service_lines == () and claim.is_inpatient
    report = Checker().check(claim)
    assert report.profile == "medicare-inpatient" and report.findings == ()


# -- once bugs: a superscript pointer escaped as ValueError; huge units broke to_json ------


def test_pointer_with_a_non_decimal_digit_is_a_format_error() -> None:
    d = copy.deepcopy(GOOD)
    d["service_lines"][0]["diagnosis_pointers"] = ["\u00b2"]
    try:
        claim = Claim.from_dict(d)
    except ClaimFormatError as e:  # the fix that reports it
        problems = e.problems
    else:  # or the fix that reads it as 2
        assert claim.service_lines[0].diagnosis_pointers == (2,)
        return
    assert problems == ((("service_lines", 0, "diagnosis_pointers", 0),
                         "must be a whole number (or A-L), got '\u00b2'"),)


def test_huge_units_round_trip() -> None:
    d = copy.deepcopy(GOOD)
    d["service_lines"][0]["units"] = "1e5000"
    try:
        claim = Claim.from_dict(d)
    except ClaimFormatError:
        return  # the fix that refuses such units
    assert Claim.from_json(claim.to_json()) == claim


@SETTINGS
@given(good_claims)
def test_the_fast_path_and_the_reader_agree(d: dict[str, Any]) -> None:
    """Claim.from_dict builds plain claims on a fast path; whatever it accepts, the
    careful reader builds identically (and the reader judges everything else)."""
    from codekit.claims import _fast_claim, _Reader

    fast = _fast_claim(d)
    try:
        careful: Claim | Exception = _Reader().claim(d)
    except ClaimFormatError as e:
        careful = e
    if fast is not None:
        assert fast == careful


def test_the_fast_path_takes_typical_claims() -> None:
    from codekit.claims import _fast_claim, _Reader
    from tests.claims_gen import make_professional

    dicts = make_professional(500, seed=3)
    fast = [_fast_claim(d) for d in dicts]
    assert all(c is not None for c in fast)
    assert fast == [_Reader().claim(d) for d in dicts]
    # with dates as datetime.date objects, as Arrow, Parquet and Spark rows give them
    dated = [{**d, "date_of_service": dt.date.fromisoformat(d["date_of_service"]),
              "patient": {**d["patient"],
                          "birth_date": dt.date.fromisoformat(d["patient"]["birth_date"])}}
             for d in dicts]
    assert all(_fast_claim(d) is not None for d in dated)
    assert [_fast_claim(d) for d in dated] == fast


def test_whole_numbers_written_as_floats_are_read() -> None:
    # pandas and Spark write a column of whole numbers with gaps as 30.0 in JSON; the
    # claim schema's "integer" accepts 30.0 too: from_dict read it as an error
    d = copy.deepcopy(GOOD)
    d["patient"] = {"sex": "F", "age": 69.0}
    d["service_lines"][0].update(line=1.0, diagnosis_pointers=[1.0, 2.0])
    claim = Claim.from_dict(d)
    assert (claim.patient.age, claim.service_lines[0].line,
            claim.service_lines[0].diagnosis_pointers) == (69, 1, (1, 2))
    assert type(claim.patient.age) is int and type(claim.service_lines[0].line) is int
    d["patient"]["age"] = 69.5
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(d)
    assert info.value.problems == ((("patient", "age"), "must be a whole number, got 69.5"),)


def test_two_spellings_of_one_field_must_agree() -> None:
    # provider (the older name of billing_provider) and notes (kept in extra) were dropped
    # silently when the other spelling was there too, even when they said something else
    d = {**copy.deepcopy(GOOD), "provider": "1234567893", "billing_provider": "1111111112"}
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict(d)
    assert info.value.problems == ((("provider",), "is '1234567893' but billing_provider is "
                                    "'1111111112': provider is the older name of "
                                    "billing_provider; give one of them"),)
    d["provider"] = [1, 2]
    with pytest.raises(ClaimFormatError, match="provider: must be text, got an array"):
        Claim.from_dict(d)
    d["provider"] = "1111111112"
    assert Claim.from_dict(d).billing_provider == "1111111112"
    d = {**copy.deepcopy(GOOD), "notes": "call back", "extra": {"notes": "paid"}}
    with pytest.raises(ClaimFormatError, match=r"notes: is given at the top level and as "
                       r"extra\.notes"):
        Claim.from_dict(d)
    d["extra"]["notes"] = "call back"
    assert Claim.from_dict(d).extra == {"notes": "call back"}


def test_a_number_too_long_for_python_is_said_without_pythons_advice() -> None:
    # the message was Python's: "... use sys.set_int_max_str_digits() to increase the limit"
    from codekit import FhirFormatError, fhir

    text = '{"patient": {"age": ' + "9" * 5000 + "}}"
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_json(text)
    assert info.value.problems == (((), "not JSON: a number of 5000 digits (JSON numbers of "
                                     "codekit's input have at most 4300)"),)
    with pytest.raises(FhirFormatError, match=r"not JSON: a number of 5000 digits"):
        fhir.read(text)


def test_a_value_of_the_wrong_kind_is_named_in_json_words() -> None:
    """Claims arrive as JSON: `got NoneType` / `got list` meant nothing to a sender who
    wrote `null` / `[...]`; and a procedure that was not text was said twice ("must be
    text, got list" then "must be text")."""
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict({"claim_type": "institutional", "bill_type": "111",
                         "patient": {"sex": "F", "age": 50},
                         "date_of_service": "2025-11-03", "diagnoses": ["I10", True],
                         "procedures": [["0DTJ4ZZ"], None, 5.5, {"0DTJ4ZZ"}],
                         "service_lines": "99213"})
    assert info.value.problems == (
        (("diagnoses", 1), "must be text, got a boolean (true)"),
        (("procedures", 0), "must be text, got an array"),
        (("procedures", 1), "must be text, got null"),
        (("procedures", 2), "must be text, got a number (5.5)"),
        (("procedures", 3), "must be text, got a Python set"),  # not JSON, said so
        (("service_lines",), "must be a list, got a string ('99213')"))


def test_half_a_statement_period_is_said() -> None:
    """``["2025-11-01", null]`` gave a claim without its period and no word (the schema
    refuses it: the period is two dates)."""
    base = {"claim_type": "institutional", "bill_type": "131", "payer": "medicare",
            "date_of_service": "2025-11-03", "patient": {"sex": "F", "age": 70},
            "diagnoses": ["I10"],
            "service_lines": [{"procedure_code": "99283", "revenue_code": "0450"}]}
    with pytest.raises(ClaimFormatError) as info:
        Claim.from_dict({**base, "statement_period": ["2025-11-01", None]})
    assert info.value.problems == ((("statement_period", 1),
                                    "missing (null): the period needs both dates"),)
    assert Claim.from_dict({**base, "statement_period": None}).statement_period is None


def _at(d: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A deep copy of ``d`` with ``value`` at ``path``."""
    d = copy.deepcopy(d)
    here: Any = d
    for key in path[:-1]:
        here = here[key]
    here[path[-1]] = value
    return d


#: Where a value without a truth value made Claim.from_dict raise TypeError / ValueError
#: (the fast path's `claim_type != ...`, `if mods:`, `if ptrs:`, `if conditions:`; the
#: reader's `if mods`) and what it says now.
NO_TRUTH_VALUE = (
    (("claim_type",), "must be text, got a Python {}"),
    (("service_lines", 0, "modifiers"), "must be a list, got a Python {}"),
    (("service_lines", 0, "diagnosis_pointers"), "must be a list of numbers, got a Python {}"),
    (("condition_codes",), "must be a list, got a Python {}"),
)


@pytest.mark.parametrize(("path", "message"), NO_TRUTH_VALUE)
def test_pandas_na_and_arrays_in_a_claim_dict_are_format_errors(
        path: tuple[Any, ...], message: str) -> None:
    """``df.to_dict("records")`` of a nullable column puts ``pandas.NA`` in the dicts, a
    Parquet list column a NumPy array: neither has a truth value, and ``Claim.from_dict``
    raised ``TypeError: boolean value of NA is ambiguous`` (``ValueError`` for an array);
    ``check_many`` called it a bug in codekit (CLAIM_CHECK_FAILED)."""
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    for value in (pd.NA, np.array(["25", "RT"])):
        d = _at(GOOD, path, value)
        with pytest.raises(ClaimFormatError) as info:
            Claim.from_dict(d)
        assert info.value.problems == ((path, message.format(type(value).__name__)),)
        reports = list(CHECKER.check_many([d, GOOD]))
        assert [[f.rule for f in r.findings if f.rule.startswith("CLAIM_")]
                for r in reports] == [["CLAIM_FORMAT_INVALID"], []]


def test_notes_without_a_truth_value_are_compared_without_raising() -> None:
    np = pytest.importorskip("numpy")
    d = {**copy.deepcopy(GOOD), "notes": np.array(["a", "b"]), "extra": {"notes": "a"}}
    with pytest.raises(ClaimFormatError, match=r"notes: is given at the top level and as "
                       r"extra\.notes"):
        Claim.from_dict(d)


@pytest.mark.parametrize("key", ["condition_codes", "diagnosis_pointers", "modifiers"])
@pytest.mark.parametrize("value", ["", 0, False, {}])
def test_the_fast_path_and_the_reader_agree_on_empty_non_lists(key: str, value: Any) -> None:
    """``"condition_codes": ""`` (or 0, false, {}) was read as no codes on the fast path
    and refused by the reader: the same claim built or not by whether it had a key the
    fast path does not read (``total_charge``)."""
    from codekit.claims import _fast_claim, _Reader

    d = _at(GOOD, ("service_lines", 0, key) if key != "condition_codes" else (key,), value)
    fast = _fast_claim(d)
    try:
        careful: Claim | Exception = _Reader().claim(d)
    except ClaimFormatError as e:
        careful = e
    assert fast is None or fast == careful

    def problems(data: dict[str, Any]) -> Any:
        try:
            Claim.from_dict(data)
        except ClaimFormatError as e:
            return e.problems
        return None

    assert problems(d) == problems({**d, "total_charge": 100})


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(good_claims, st.data())
def test_a_value_without_a_truth_value_anywhere_gives_a_report_or_one_format_error(
        d: dict[str, Any], data: st.DataObject) -> None:
    """pandas.NA, NaT, NaN and NumPy arrays at any place of a well-typed claim."""
    from tests.fuzz.mutate import paths_of

    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    paths = [p for p in paths_of(d) if p]
    path = data.draw(st.sampled_from(paths))
    value = data.draw(st.sampled_from((pd.NA, pd.NaT, np.nan, np.array(["25", "RT"]),
                                       np.array([]), np.array([1]), np.float64("nan"))))
    d = _at(d, path, value)
    before = pickle.dumps(d)
    build_and_check(d)
    assert pickle.dumps(d) == before, "the input dict was mutated"


def test_from_json_of_something_not_text_is_a_format_error() -> None:
    """``Claim.from_json(5)`` raised ``TypeError: object of type 'int' has no len()``."""
    for value in (5, None, 1.5):
        with pytest.raises(ClaimFormatError) as info:
            Claim.from_json(value)  # type: ignore[arg-type]
        assert info.value.problems == (((), "not JSON: the JSON object must be str, bytes "
                                        f"or bytearray, not {type(value).__name__}"),)

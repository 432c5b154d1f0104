"""The ICD-10-CM code format: clean-up, parse, compact/format, grammar vs fast path."""

from __future__ import annotations

import itertools
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codekit import InvalidFormat, ValidationError
from codekit.icd10cm import Icd10cmCode, compact, format, parse
from codekit.icd10cm._format import FAST_PATTERN, parse_with_grammar


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("S72.001A", "S72001A"),
        ("s72001a", "S72001A"),
        ("  S72.001A\t", "S72001A"),
        ("Ｓ７２．００１Ａ", "S72001A"),  # full-width
        ("S72\u00b7001A", "S72001A"),  # middle dot
        ("S72\u2024001a", "S72001A"),  # one-dot leader
        ("e11.65", "E1165"),
        ("\u00a0I10\u00a0", "I10"),  # no-break spaces
        ("QA0.0101", "QA00101"),  # FY2026's QA0 category
        ("\u0130\u0031\u0030", "I10"),  # Turkish upper-casing of i10 (was not syntax)
        ("\u0131\u0031\u0030", "I10"),  # the dotless small i
    ],
)
def test_compact(raw: str, expected: str) -> None:
    assert compact(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("S72001A", "S72.001A"), ("e1165", "E11.65"), ("I10", "I10"), ("t7840xa", "T78.40XA"),
     ("W19XXXA", "W19.XXXA"), ("Z3A.39", "Z3A.39")],
)
def test_format(raw: str, expected: str) -> None:
    assert format(raw) == expected


def test_parse_parts() -> None:
    assert parse("S72.001A") == Icd10cmCode("S72", "001", "A")
    assert parse("E11.65") == Icd10cmCode("E11", "65", "")
    assert parse("I10") == Icd10cmCode("I10", "", "")
    c = parse("T78.40XA")
    assert (c.category, c.etiology, c.extension, c.placeholders) == ("T78", "40X", "A", 1)
    assert parse("W19.XXXA").placeholders == 3
    assert parse("S72.001").extension == ""  # six characters: no 7th character
    assert pickle.loads(pickle.dumps(c)) == c
    assert hash(c) == hash(Icd10cmCode("T78", "40X", "A"))


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("250.00", "ICD-9-CM"),
        ("4019", "ICD-9-CM"),
        ("99213", "looks like a CPT code (a procedure: it belongs on a service line) or an "
                  "ICD-9-CM code without its dot"),
        ("0001F", "looks like a CPT code"),
        ("0DTJ4ZZ", "not ICD-10-CM syntax"),  # PCS, or a CM code mistyped: no guess
        ("E1.165", "dot must follow the 3rd character"),
        ("R5.09", "dot must follow the 3rd character"),
        ("E11.", "not ICD-10-CM syntax"),
        ("S72.001AA", "too long"),
        ("E1", "too short"),
        ("", "empty"),
        ("E11..9", "not ICD-10-CM syntax"),
        ("1E11", "not ICD-10-CM syntax"),
        ("EB1.9", "not ICD-10-CM syntax"),  # second character may be a digit or A only
        ("E11-9", "not ICD-10-CM syntax"),
    ],
)
def test_invalid_format(raw: str, fragment: str) -> None:
    with pytest.raises(InvalidFormat) as info:
        parse(raw)
    assert fragment in str(info.value)
    assert info.value.value == raw
    assert info.value.code == "DX_FORMAT_INVALID"
    assert isinstance(info.value, ValidationError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("junk", [None, 42, 3.5, b"E11.9", ["E11.9"], object()])
def test_non_text_is_invalid_format(junk: object) -> None:
    with pytest.raises(InvalidFormat):
        parse(junk)


def _agree(text: str) -> None:
    try:
        fast = parse(text)
    except InvalidFormat:
        fast = None
    try:
        slow = parse_with_grammar(text)
    except InvalidFormat:
        slow = None
    assert fast == slow, text


def test_fast_path_agrees_with_grammar_exhaustively() -> None:
    """Every string of up to 8 characters over a covering alphabet (a letter, a digit,
    the letter A that may stand second, and the dot)."""
    alphabet = "E0A."
    count = 0
    for n in range(9):
        for chars in itertools.product(alphabet, repeat=n):
            _agree("".join(chars))
            count += 1
    assert count == sum(4**n for n in range(9))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ABEIOQSTWXZ0123456789.-", max_size=10))
def test_fast_path_agrees_with_grammar_random(text: str) -> None:
    _agree(text)


def test_fast_pattern_is_anchored_by_fullmatch() -> None:
    assert FAST_PATTERN.fullmatch("E1165") is not None
    assert FAST_PATTERN.fullmatch("E1165Z99") is None

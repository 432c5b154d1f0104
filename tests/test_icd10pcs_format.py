"""The ICD-10-PCS code format: the grammar is the truth, the regex fast path agrees, and
every kind of bad input is a typed error that says what is wrong."""

from __future__ import annotations

import itertools
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codekit import InvalidFormat, ValidationError
from codekit.icd10pcs import PcsCode, compact, format, parse
from codekit.icd10pcs._format import FAST_PATTERN, parse_with_grammar

PCS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@pytest.mark.parametrize(("raw", "expected"), [
    ("0DTJ4ZZ", "0DTJ4ZZ"), (" 0dtj4zz\t", "0DTJ4ZZ"), ("０ＤＴＪ４ＺＺ", "0DTJ4ZZ"),
    ("\u00a0XW033A3\u00a0", "XW033A3"), ("0dt j4 zz", "0DTJ4ZZ")])
def test_compact(raw: str, expected: str) -> None:
    assert compact(raw) == format(raw) == expected


def test_parts() -> None:
    c = parse("0DTJ4ZZ")
    assert (c.section, c.body_system, c.root_operation, c.body_part, c.approach, c.device,
            c.qualifier, c.table) == ("0", "D", "T", "J", "4", "Z", "Z", "0DT")
    assert pickle.loads(pickle.dumps(c)) == c == PcsCode("0DTJ4ZZ")


@pytest.mark.parametrize(("raw", "fragment"), [
    ("", "empty"),
    ("0DT.J4ZZ", "no dot or hyphen: write 0DTJ4ZZ"),
    ("0DTJ4ZZ.", "no dot or hyphen: write 0DTJ4ZZ"),
    ("0DT-J4ZZ", "no dot or hyphen: write 0DTJ4ZZ"),
    # (no did-you-mean: parse has no date to tell a valid code by; validate says it)
    ("ODTJ4ZZ", "never uses the letters I and O (character 1 'O')"),
    ("0DTJ4ZO", "character 7 'O'"),
    ("0dtj4zo", "character 7 'O'"),  # lower case: upper-cased first, then judged
    ("0IT04ZZ", "character 2 'I'"),
    ("99213", "looks like a CPT code"),
    ("0001U", "looks like a CPT code"),
    ("J3490", "HCPCS Level II"),
    ("99213-25", "looks like a CPT code; procedures on an inpatient"),  # not "write 9921325"
    ("99213-25-59", "looks like a CPT code"),
    ("J3490-JW", "HCPCS Level II"),
    ("47.01", "ICD-9-CM procedure"),
    ("4701", "ICD-9-CM procedure"),
    ("E11.65", "ICD-10-CM diagnosis"),
    ("K35.80", "ICD-10-CM diagnosis"),
    ("0DT", "is a table"),
    ("0DTJ4Z", "too short (6 characters)"),
    ("0DTJ4ZZZ", "too long (8 characters)"),
    ("0DTJ4Z!", "character 7 '!'"),
    ("0DTJ4Z*", "character 7 '*'"),
])
def test_bad_input_is_a_typed_error_that_says_why(raw: str, fragment: str) -> None:
    for fn in (parse, parse_with_grammar):
        with pytest.raises(InvalidFormat) as info:
            fn(raw)
        assert fragment in str(info.value)
        assert info.value.code == "PCS_FORMAT_INVALID"
        assert info.value.value == raw
        assert isinstance(info.value, ValidationError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("junk", [None, 42, 7.0, b"0DTJ4ZZ", ["0DTJ4ZZ"]])
def test_non_text(junk: object) -> None:
    with pytest.raises(InvalidFormat, match="expected an ICD-10-PCS code as text"):
        parse(junk)


def test_seven_character_junk_in_every_position() -> None:
    """A bad character in any of the seven positions, each kind of bad character."""
    for pos, bad in itertools.product(range(7), "IO.-*é_ "):
        raw = "0DTJ4ZZ"[:pos] + bad + "0DTJ4ZZ"[pos + 1:]
        with pytest.raises(InvalidFormat) as info:
            parse(raw)
        assert info.value.code == "PCS_FORMAT_INVALID", raw
        if bad in "IO":
            assert f"character {pos + 1} '{bad}'" in str(info.value)


@settings(max_examples=3000, deadline=None, database=None)
@given(st.text(alphabet=PCS + "IOio.- xa*", min_size=0, max_size=9))
def test_grammar_and_fast_path_accept_the_same_strings(text: str) -> None:
    try:
        a: object = parse(text)
    except InvalidFormat as e:
        a = ("error", str(e))
    try:
        b: object = parse_with_grammar(text)
    except InvalidFormat as e:
        b = ("error", str(e))
    assert a == b


def test_fast_path_is_the_grammar_on_every_single_character() -> None:
    for ch in map(chr, range(32, 127)):
        text = "0DTJ4Z" + ch
        assert bool(FAST_PATTERN.fullmatch(text)) == (ch in PCS)
        ok = True
        try:
            parse_with_grammar(text)
        except InvalidFormat:
            ok = False
        assert ok == (ch.upper() in PCS), ch

"""codekit.cells: spreadsheet cells read leniently where unambiguous; strict otherwise."""

from __future__ import annotations

import pytest

from codekit import InvalidArgument, InvalidFormat, cells, icd10cm

DOS = "2025-06-01"


@pytest.mark.parametrize(("value", "codes", "note"), [
    ("I10.", ("I10",), "read as I10: the trailing '.' was dropped"),
    (" 'E11.9 ", ("E11.9",), "read as E11.9: the quotes were dropped"),
    ("\"E11.65.\"", ("E11.65",),
     "read as E11.65: the quotes were dropped and the trailing '.' was dropped"),
    ("Ｅ１１．９", ("E11.9",), None),
    ("E119,I10", ("E11.9", "I10"), "2 codes in one cell (E11.9, I10): each is validated"),
    ("E11.9; I10;", ("E11.9", "I10"), "2 codes in one cell (E11.9, I10): each is validated"),
    ("E11.9 I10", ("E11.9", "I10"), "2 codes in one cell (E11.9, I10): each is validated"),
    ("E11.9|I10|J45.909", ("E11.9", "I10", "J45.909"),
     "3 codes in one cell (E11.9, I10, J45.909): each is validated"),
])
def test_forgiven(value: str, codes: tuple[str, ...], note: str | None) -> None:
    c = cells.check(value, on=DOS)
    assert (c.valid, c.codes, c.note, c.rule) == (True, codes, note, None)
    assert [e.dotted for e in c.entries] == list(codes)


def test_strict_validate_is_unchanged() -> None:
    with pytest.raises(InvalidFormat):
        icd10cm.validate("I10.", on=DOS)
    assert not icd10cm.is_valid("E119,I10", on=DOS)


@pytest.mark.parametrize(("value", "fix", "side_note"), [
    ("M17.11RT", "M17.11", False),
    ("M17.11-RT", "M17.11", False),
    ("M17.11 LT", "M17.11", True),  # right knee with LT: said
    ("H66.91RT", "H66.91", False),
    ("E11.9RT", "E11.9", False),
])
def test_side_glued_to_a_diagnosis(value: str, fix: str, side_note: bool) -> None:
    c = cells.check(value, on=DOS)
    assert (c.valid, c.rule, c.fix, c.codes) == (False, "DX_MODIFIER_ATTACHED", (fix,), (fix,))
    assert "a diagnosis carries its side in the code itself" in (c.message or "")
    assert ("is not on the" in (c.message or "")) is side_note


def test_a_real_seven_character_code_is_not_read_as_glued() -> None:
    c = cells.check("S72.001A", on=DOS)
    assert c.valid and c.rule is None


@pytest.mark.parametrize(("value", "system"), [
    ("99213-25", "cpt"), ("9921325", "cpt"), ("99213 25 59", "procedure"),
    ("20610RT", "procedure"), ("G0121-GT", "hcpcs"),
])
def test_modifier_glued_to_a_procedure(value: str, system: str) -> None:
    c = cells.check(value, system=system, on=DOS)
    assert not c.valid and c.rule == "PROC_MODIFIER_ATTACHED"
    assert len(c.fix) == 1 and c.fix == c.codes
    assert "each modifier in its own" in (c.message or "")


def test_a_part_of_a_cell_that_is_not_valid() -> None:
    c = cells.check("E11.9, I1O", on=DOS)
    assert (c.valid, c.rule, c.codes) == (False, "DX_CODE_UNKNOWN", ("E11.9", "I1O"))
    assert c.message.startswith("1 of the 2 codes in the cell are not valid: 'I1O'")
    assert c.fix[:1] == ("I10",)


@pytest.mark.parametrize(("value", "rule"), [
    (None, "CODE_MISSING"), (float("nan"), "CODE_MISSING"), ("", "CODE_MISSING"),
    (" , ", "CODE_MISSING"), (250.0, "DX_FORMAT_INVALID"), (["E11.9"], "DX_FORMAT_INVALID"),
    ("x" * 10_000_000, "DX_FORMAT_INVALID"), ("E11", "DX_NOT_BILLABLE"),
])
def test_problems_never_raise(value: object, rule: str) -> None:
    c = cells.check(value, on=DOS)
    assert (c.valid, c.rule) == (False, rule) and c.message


def test_numbers_for_procedure_codes() -> None:
    c = cells.check(99213, system="cpt", on=DOS)
    assert (c.valid, c.codes, c.note) == \
        (True, ("99213",), "read as 99213: the code was stored as a number")
    assert cells.check(100, system="cpt", on=DOS).codes == ("00100",)
    assert cells.check(99213.5, system="cpt", on=DOS).rule == "PROC_FORMAT_INVALID"
    assert cells.check(True, system="cpt", on=DOS).rule == "PROC_FORMAT_INVALID"


def test_a_bad_date_is_the_callers_mistake() -> None:
    with pytest.raises(InvalidArgument):
        cells.check("E11.9", on="06/01/2025")

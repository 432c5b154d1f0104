"""codekit.cells: spreadsheet cells read leniently where unambiguous; strict otherwise."""

from __future__ import annotations

import pytest

from codekit import InvalidArgument, InvalidFormat, cells, icd10cm
from codekit.errors import NotBillable

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


# -- cells as CSV exports and spreadsheets really write them ----------------------------------


@pytest.mark.parametrize(("value", "system", "codes", "note"), [
    # a number column written out as text: what a CSV of a float column holds
    ("99213.0", "cpt", ("99213",), "read as 99213: the code was stored as a number"),
    ("99213.00", "procedure", ("99213",), "read as 99213: the code was stored as a number"),
    ("100.0", "cpt", ("00100",), "read as 00100: the code was stored as a number"),
    ("\"99213.0\"", "cpt", ("99213",),
     "read as 99213: the quotes were dropped and the code was stored as a number"),
    ("99213.0, 99214.0", "cpt", ("99213", "99214"),
     "2 codes in one cell (99213, 99214): each is validated"),
    # each code of a list quoted, or the list written with its brackets (a list column)
    ("'E11.9', 'I10'", "icd10cm", ("E11.9", "I10"),
     "2 codes in one cell (E11.9, I10): each is validated"),
    ("\"E11.9\",\"I10\"", "icd10cm", ("E11.9", "I10"),
     "2 codes in one cell (E11.9, I10): each is validated"),
    ("['E11.9', 'I10']", "icd10cm", ("E11.9", "I10"),
     "2 codes in one cell (E11.9, I10): each is validated"),
    ("[I10]", "icd10cm", ("I10",), "read as I10: the brackets were dropped"),
    # a stray dot after a separator is no code
    ("I10,.", "icd10cm", ("I10",), None),
    ("E11.9; .; I10", "icd10cm", ("E11.9", "I10"),
     "2 codes in one cell (E11.9, I10): each is validated"),
    # full-width separators, as full-width codes are forgiven
    ("E11.9；I10", "icd10cm", ("E11.9", "I10"),
     "2 codes in one cell (E11.9, I10): each is validated"),
    ("E11.9，I10、J45.909", "icd10cm", ("E11.9", "I10", "J45.909"),
     "3 codes in one cell (E11.9, I10, J45.909): each is validated"),
])
def test_export_quirks_are_forgiven(value: str, system: str, codes: tuple[str, ...],
                                    note: str | None) -> None:
    c = cells.check(value, system=system, on=DOS)
    assert (c.valid, c.codes, c.note, c.rule, c.message) == (True, codes, note, None, None)


@pytest.mark.parametrize("value", [
    ".", "...", " . ", "nan", "NaN", " NaN ", "None", "null", "NULL", "N/A", "#N/A", "<NA>",
    "NA", "'nan'", "[]",
])
def test_a_cell_that_says_missing_is_missing(value: str) -> None:
    for system in ("icd10cm", "cpt", "hcpcs", "modifiers"):
        c = cells.check(value, system=system, on=DOS)
        assert (c.valid, c.codes, c.rule, c.fix) == (False, (), "CODE_MISSING", ())
        assert c.message is not None and c.message.startswith(
            f"the cell holds no code: {value!r}")


def test_a_side_glued_to_a_code_that_is_not_valid_either_offers_the_code_systems_fix() -> None:
    c = cells.check("E11RT", on=DOS)
    with pytest.raises(NotBillable) as e:
        icd10cm.validate("E11", on=DOS)
    assert (c.valid, c.rule, c.codes) == (False, "DX_MODIFIER_ATTACHED", ("E11",))
    assert c.fix == tuple(e.value.fix) and "E11" not in c.fix and "E11.9" in c.fix
    assert c.message is not None and c.message.endswith(f"; and {e.value}")


def test_several_codes_and_a_side_are_not_one_code_with_a_side() -> None:
    c = cells.check("E11.9 I10 RT", on=DOS)
    assert (c.valid, c.rule, c.codes) == (False, "DX_FORMAT_INVALID", ("E11.9 I10 RT",))
    assert "E11.9I10" not in c.fix and "E11.9I10" not in (c.message or "")


def test_the_message_of_a_long_cell_stays_short() -> None:
    c = cells.check("x," * 2000, on=DOS)
    assert (c.valid, c.rule, len(c.codes)) == (False, "DX_FORMAT_INVALID", 2000)
    one = "'x': too short: an ICD-10-CM code has 3 to 7 characters"
    assert c.message == ("2000 of the 2000 codes in the cell are not valid: "
                         + "; ".join([one] * 5) + "; and 1,995 more")
    c = cells.check("." * 4096, on=DOS)
    assert (c.rule, c.message) == ("CODE_MISSING", "the cell holds no code: '" + "." * 60
                                   + "'... (4,096 characters)")


@pytest.mark.parametrize(("value", "system", "codes", "note"), [
    ("E11.9\u200b", "icd10cm", ("E11.9",),
     "read as E11.9: the invisible character U+200B (zero width space) was dropped"),
    ("\u200bE11.9", "icd10cm", ("E11.9",),
     "read as E11.9: the invisible character U+200B (zero width space) was dropped"),
    ("E\u200b11.9\ufeff", "icd10cm", ("E11.9",),
     "read as E11.9: the invisible characters U+200B (zero width space), U+FEFF (zero "
     "width no-break space) were dropped"),
    ("I10.\u2060", "icd10cm", ("I10",),
     "read as I10: the trailing '.' was dropped and the invisible character U+2060 (word "
     "joiner) was dropped"),
    ("E119,\u200bI10", "icd10cm", ("E11.9", "I10"),
     "2 codes in one cell (E11.9, I10): each is validated; the invisible character U+200B "
     "(zero width space) was dropped"),
    ("992\u200d13", "cpt", ("99213",),
     "read as 99213: the invisible character U+200D (zero width joiner) was dropped"),
])
def test_an_invisible_character_is_said(value: str, system: str, codes: tuple[str, ...],
                                        note: str) -> None:
    """A zero-width space pasted with a code was read past without a word; every other
    character forgiven is named in the note."""
    c = cells.check(value, system=system, on=DOS)
    assert (c.valid, c.codes, c.note, c.rule) == (True, codes, note, None)
    assert cells.read(value, system).as_written is False


def test_a_cell_of_invisible_characters_is_missing() -> None:
    c = cells.check("\u200b\ufeff", on=DOS)
    assert (c.valid, c.codes, c.rule, c.message) == (
        False, (), "CODE_MISSING", "the cell holds no code, only the invisible characters "
        "U+200B (zero width space), U+FEFF (zero width no-break space)")
    assert cells.check("N/A\u200b", on=DOS).rule == "CODE_MISSING"
    c = cells.check("W12\u200b34", system="procedure", on=DOS)
    assert (c.valid, c.rule, c.codes, c.note) == (
        False, "PROC_FORMAT_INVALID", ("W1234",),
        "read as W1234: the invisible character U+200B (zero width space) was dropped")


def test_suggest_false_leaves_the_did_you_mean_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """suggest=False: no did-you-mean is worked out (it was, and then thrown away); the
    fixes that are no guess (a header's codes, the code under a glued side) stay."""
    from codekit import procedure

    asked: list[object] = []
    for module in (procedure, icd10cm):
        real = module.suggest
        monkeypatch.setattr(module, "suggest",
                            lambda code, _real=real, **kw: asked.append(code) or _real(code, **kw))
    day = "2024-02-29"
    off = [cells.check(v, system=s, on=day, suggest=False) for v, s in (
        ("W1234", "procedure"), ("E11.999", "icd10cm"), ("E11.999RT", "icd10cm"),
        ("99Z13", "cpt"))]
    assert [(c.rule, c.fix) for c in off] == [
        ("PROC_FORMAT_INVALID", ()), ("DX_CODE_UNKNOWN", ()), ("DX_MODIFIER_ATTACHED", ()),
        ("PROC_FORMAT_INVALID", ())]
    assert asked == []
    c = cells.check("E11", on=day, suggest=False)
    assert (c.rule, c.fix[:2]) == ("DX_NOT_BILLABLE", ("E11.00", "E11.01"))
    c = cells.check("E11RT", on=day, suggest=False)
    assert (c.rule, c.fix[:2]) == ("DX_MODIFIER_ATTACHED", ("E11.00", "E11.01"))
    assert cells.check("M17.11RT", on=day, suggest=False).fix == ("M17.11",)
    assert asked == []
    c = cells.check("W1234", system="procedure", on=day)
    assert (c.rule, c.fix) == ("PROC_FORMAT_INVALID", tuple(procedure.suggest("W1234", on=day)))
    assert c.fix and asked

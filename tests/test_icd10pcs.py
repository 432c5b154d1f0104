"""ICD-10-PCS answers by date: validity, titles by fiscal year, the seven axes explained
in their section, errors that say the fix, FY2027 notes, and users' own CMS files."""

from __future__ import annotations

import datetime as dt
import gzip
import pickle
from pathlib import Path

import pytest

from codekit import (
    InvalidFormat,
    MalformedFile,
    NotValidOnDate,
    UnknownCode,
    ValueNotAllowed,
    icd10pcs,
)
from tests.conftest import fresh_python, reference

D = dt.date


def test_valid_by_date_from_the_mce_table() -> None:
    # 0370046 (dilation, drug-eluting device, bifurcation) existed FY2017-FY2019 only.
    assert icd10pcs.valid_ranges("0370046") == ((D(2016, 10, 1), D(2019, 9, 30)),)
    assert not icd10pcs.is_valid("0370046", on="2016-09-30")
    assert icd10pcs.is_valid("0370046", on="2016-10-01")
    assert icd10pcs.is_valid("0370046", on="2019-09-30")
    assert not icd10pcs.is_valid("0370046", on="2019-10-01")
    # before ICD-10 took effect nothing is valid
    assert not icd10pcs.is_valid("0DTJ4ZZ", on="2015-09-30")
    assert icd10pcs.is_valid("0DTJ4ZZ", on="2015-10-01")


def test_titles_come_from_the_fiscal_years_order_file() -> None:
    e = icd10pcs.validate("0DTJ4ZZ", on="2025-06-01")
    assert (e.code, e.formatted, e.valid, e.release) == ("0DTJ4ZZ", "0DTJ4ZZ", True, "FY2025")
    assert e.title == "Resection of Appendix, Percutaneous Endoscopic Approach"
    assert e.note is None
    # CMS renamed body part B of table 0JX in FY2018: each year keeps its own title.
    assert icd10pcs.lookup("0JX43ZB", on="2017-06-01").title.startswith(
        "Transfer Anterior Neck Subcutaneous Tissue")
    assert icd10pcs.lookup("0JX43ZB", on="2025-06-01").title.startswith(
        "Transfer Right Neck Subcutaneous Tissue")
    assert icd10pcs.lookup("0RGT4JZ", on="2016-06-01").title.startswith(
        "Fusion of Left Metacarpocarpal Joint")
    assert icd10pcs.lookup("0RGT4JZ", on="2026-06-01").title.startswith(
        "Fusion of Left Carpometacarpal Joint")


def test_the_seven_axes_are_explained_in_their_section() -> None:
    axes = icd10pcs.lookup("0DTJ4ZZ", on="2025-06-01").axes
    assert [(a.position, a.name, a.value, a.label) for a in axes] == [
        (1, "Section", "0", "Medical and Surgical"),
        (2, "Body System", "D", "Gastrointestinal System"),
        (3, "Operation", "T", "Resection"),
        (4, "Body Part", "J", "Appendix"),
        (5, "Approach", "4", "Percutaneous Endoscopic"),
        (6, "Device", "Z", "No Device"),
        (7, "Qualifier", "Z", "No Qualifier")]
    assert axes[2].definition == "Cutting out or off, without replacement, all of a body part"
    assert axes[4].definition.startswith("Entry, by puncture or minor incision")
    # Imaging (section B): the axes mean other things.
    img = icd10pcs.lookup("BW03ZZZ", on="2025-06-01").axes
    assert [a.name for a in img] == ["Section", "Body System", "Type", "Body Part",
                                     "Contrast", "Qualifier", "Qualifier"]
    assert (img[0].label, img[2].label) == ("Imaging", "Plain Radiography")
    # Administration (section 3): character 5 is an approach, 6 a substance.
    adm = icd10pcs.lookup("3E0234Z", on="2025-06-01").axes
    assert [a.name for a in adm][3:] == ["Body System / Region", "Approach", "Substance",
                                         "Qualifier"]
    assert adm[5].label == "Serum, Toxoid and Vaccine"


def test_a_character_the_row_does_not_allow_names_the_allowed_values() -> None:
    with pytest.raises(ValueNotAllowed) as info:
        icd10pcs.validate("0DTJXZZ", on="2025-06-01")
    e = info.value
    assert (e.code, e.position, e.axis) == ("PCS_CODE_UNKNOWN", 5, "Approach")
    assert e.allowed == {"0": "Open", "4": "Percutaneous Endoscopic",
                         "7": "Via Natural or Artificial Opening",
                         "8": "Via Natural or Artificial Opening Endoscopic"}
    assert "with body part J Appendix" in str(e)
    assert e.fix[:2] == ("0DTJ0ZZ", "0DTJ4ZZ")  # nearest valid codes of table 0DT
    assert all(c.startswith("0DT") and icd10pcs.is_valid(c, on="2025-06-01") for c in e.fix)
    assert isinstance(e, UnknownCode)
    again = pickle.loads(pickle.dumps(e))
    assert (again.position, again.allowed, again.fix, str(again)) == \
        (e.position, e.allowed, e.fix, str(e))
    with pytest.raises(ValueNotAllowed) as info:
        icd10pcs.validate("0DTJ4ZX", on="2025-06-01")
    assert info.value.position == 7
    assert info.value.allowed == {"G": "Hand-Assisted", "Z": "No Qualifier"}
    with pytest.raises(ValueNotAllowed) as info:
        icd10pcs.validate("Q000000", on="2025-06-01")
    assert info.value.position == 1 and "0 Medical and Surgical" in str(info.value)


def test_a_code_valid_another_year_says_when() -> None:
    with pytest.raises(NotValidOnDate) as info:
        icd10pcs.validate("0370046", on="2020-01-01")
    e = info.value
    assert e.code == "PCS_NOT_VALID_ON_DOS"
    assert e.valid_ranges == ((D(2016, 10, 1), D(2019, 9, 30)),)
    assert "valid 2016-10-01 to 2019-09-30 (FY2017-FY2019)" in str(e)
    assert e.fix and all(c.startswith("037") and icd10pcs.is_valid(c, on="2020-01-01")
                         for c in e.fix)
    # lookup still describes it
    old = icd10pcs.lookup("0370046", on="2020-01-01")
    assert not old.valid and old.title.startswith("Dilation of Right Internal Mammary")


def test_a_code_of_a_table_with_no_valid_code_names_its_body_system_s_codes() -> None:
    """Table XD2's four codes ended on 2026-09-30 (MCE v44): the nearest valid codes are
    body system XD's, and the message no longer says they are table XD2's."""
    with pytest.raises(NotValidOnDate) as info:
        icd10pcs.validate("XD2G4V7", on="2026-11-02")
    assert str(info.value) == (
        "'XD2G4V7': not valid on 2026-11-02; valid 2021-10-01 to 2026-09-30 (FY2022-FY2026). "
        "No code of table XD2 is valid on 2026-11-02; valid in body system XD: XDPH8K7, "
        "XDJ07LB")
    assert info.value.fix == ("XDPH8K7", "XDJ07LB")
    with pytest.raises(NotValidOnDate) as info:
        icd10pcs.validate("X2KB317", on="2026-11-02")
    assert str(info.value).endswith(
        ". Valid on 2026-11-02 in table X2K: X2KA30A, X2KH3D9, X2KH3E9")


def test_a_code_still_valid_names_every_fiscal_year_to_the_end_of_the_data() -> None:
    # the label of an open range was its first year only: "to now (FY2016)"
    with pytest.raises(NotValidOnDate, match=r"valid 2015-10-01 to now \(FY2016-FY2027\)"):
        icd10pcs.validate("0DTJ4ZZ", on="2015-09-30")
    with pytest.raises(NotValidOnDate, match=r"valid 2025-10-01 to now \(FY2026-FY2027\)"):
        icd10pcs.validate("00H033J", on="2025-09-30")


def test_a_code_deleted_for_a_code_of_another_table_gets_its_successor_first() -> None:
    # X27H385 (section X, NTG 5) ended on 2024-09-30; its concept went to table 047:
    # 047K342 has the same title words (the fix was X27P3TA...: other arteries, devices)
    with pytest.raises(NotValidOnDate) as info:
        icd10pcs.validate("X27H385", on="2024-10-01")
    e = info.value
    assert e.fix[:2] == ("047K342", "X27P3TA")
    assert "Replaced on 2024-10-01 by 047K342 (the same title)." in str(e)
    # XW033C3 ended on 2021-09-30: XW033C7, same words in another order, on 2022-03-01
    with pytest.raises(NotValidOnDate) as info:
        icd10pcs.validate("XW033C3", on="2022-03-01")
    assert info.value.fix[0] == "XW033C7"
    # a body part CMS merged: Proximal Right Popliteal Artery -> Right Popliteal Artery
    with pytest.raises(NotValidOnDate) as info:
        icd10pcs.validate("X27K385", on="2025-06-01")
    assert info.value.fix[0] == "047M342"
    assert "047M342 (the same title without 'Proximal')" in str(info.value)
    # a code deleted with no such successor keeps the codes of its table
    with pytest.raises(NotValidOnDate) as info:
        icd10pcs.validate("0370046", on="2020-01-01")
    assert "Replaced" not in str(info.value) and info.value.fix[0] == "037004Z"


def test_every_fy2025_move_from_x27_to_047_gets_its_successor_first() -> None:
    """The 48 X27 codes deleted on 2024-10-01: 32 have a 047 code of the same title words,
    the 16 of the proximal and distal popliteal arteries the popliteal artery's code."""
    s = icd10pcs.default_store()
    old, new = icd10pcs.lookup, D(2024, 10, 1)
    gone = sorted(c for c, m in s.validity.masks.items() if c.startswith("X27")
                  and icd10pcs.valid_ranges(c)[-1][1] == D(2024, 9, 30))
    assert len(gone) == 48
    same = merged = 0
    for code in gone:
        with pytest.raises(NotValidOnDate) as info:
            icd10pcs.validate(code, on=new)
        first = info.value.fix[0]
        assert first.startswith("047") and icd10pcs.valid_ranges(first)[0][0] == new, code
        # the same artery ("Dilation of Right Femoral Artery") and number of devices
        was = old(code, on="2024-09-30").title.replace("Proximal ", "").replace("Distal ", "")
        now = old(first, on=new).title
        assert now.split(" with ")[0] == was.split(" with ")[0], code
        assert [n in now for n in ("Two", "Three", "Four")] == \
            [n in was for n in ("Two", "Three", "Four")], code
        if "(the same title)" in str(info.value):
            same += 1
        else:
            merged += 1
            assert code[3] in "KLMN" and first[3] in "MN", code  # popliteal
    assert (same, merged) == (32, 16)


def test_the_did_you_mean_of_the_letters_o_and_i_names_only_a_valid_code() -> None:
    on = "2025-11-03"
    with pytest.raises(InvalidFormat) as info:  # O for 0 that makes a valid code
        icd10pcs.validate("ODTJ4ZZ", on=on)
    assert str(info.value).endswith("(character 1 'O'); did you mean 0DTJ4ZZ?")
    assert info.value.fix[0] == "0DTJ4ZZ"
    # 0DTJ4Z0 is no code (table 0DT, appendix: qualifier G or Z): it named it
    with pytest.raises(InvalidFormat) as info:
        icd10pcs.validate("0DTJ4ZO", on=on)
    assert str(info.value) == (
        "'0DTJ4ZO': ICD-10-PCS never uses the letters I and O (character 7 'O'); read "
        "with the digits 0 and 1, 0DTJ4Z0 is not valid on 2025-11-03 either: did you mean "
        "0DTJ4ZG?")
    assert info.value.fix[:2] == ("0DTJ4ZG", "0DTJ4ZZ")
    # 01T04ZZ: body system 1 has no operation T
    with pytest.raises(InvalidFormat) as info:
        icd10pcs.lookup("0IT04ZZ", on=on)
    assert "01T04ZZ is not valid on 2025-11-03 either: did you mean 01504ZZ?" in \
        str(info.value)
    for raw in ("0DTJ4ZO", "0IT04ZZ", "ODTJ4ZZ"):  # on a claim, the same words
        err = icd10pcs.resolve(raw, on=D(2025, 11, 3)).error
        said = str(err).split("did you mean ")[1].rstrip("?")
        assert icd10pcs.is_valid(said, on=on) and said == err.fix[0], raw
        again = pickle.loads(pickle.dumps(err))
        assert (str(again), again.fix) == (str(err), err.fix)


def test_explain_is_a_dated_verb_of_its_own() -> None:
    # explain(code, tables) needed an internal Tables: explain("0DTJ4ZZ") was a TypeError
    axes = icd10pcs.explain("0DTJ4ZZ", on="2025-11-03")
    assert axes == icd10pcs.lookup("0DTJ4ZZ", on="2025-11-03").axes
    assert [str(a) for a in axes][2:5] == [
        "3 Operation: T = Resection", "4 Body Part: J = Appendix",
        "5 Approach: 4 = Percutaneous Endoscopic"]
    assert icd10pcs.explain(" 0dtj4zz ") == axes  # today; written as a person writes it
    # a code valid on no date is still read character by character
    assert [(a.value, a.label) for a in icd10pcs.explain("0DTJXZZ", on="2025-11-03")][3:6] \
        == [("J", "Appendix"), ("X", None), ("Z", "No Device")]
    with pytest.raises(InvalidFormat, match="did you mean 0DTJ4ZZ"):
        icd10pcs.explain("ODTJ4ZZ", on="2025-11-03")
    for junk in (None, 42, "99213", "0DTJ4Z"):
        with pytest.raises(InvalidFormat):
            icd10pcs.explain(junk, on="2025-11-03")
    with pytest.raises(ValueNotAllowed, match="character 1 \\(section\\)"):
        icd10pcs.explain("S72001A", on="2025-11-03")


def test_fy2027_dates_say_no_titles_or_tables_are_bundled() -> None:
    e = icd10pcs.validate("0DTJ4ZZ", on="2026-11-01")
    assert e.valid and e.release == "FY2026"
    assert "no FY2027 ICD-10-PCS order file or tables" in e.note
    assert "codekit data add-pcs --id FY2027" in e.note
    # 028F3Z0 is new on 2026-10-01: valid by the MCE table, no title anywhere
    new = icd10pcs.validate("028F3Z0", on="2026-11-01")
    assert new.valid and new.title is None
    # a sentence of its own after the FY2027 note (it began in lower case)
    assert new.note.endswith(
        "--tables icd10pcs_tables_2027.xml`. No order file codekit has lists 028F3Z0, so it "
        "has no title (a code added after the last bundled order file)")
    assert not icd10pcs.is_valid("028F3Z0", on="2026-09-30")
    assert icd10pcs.valid_ranges("028F3Z0")[0][0] == D(2026, 10, 1)


def test_mce_flags_by_date() -> None:
    assert icd10pcs.lookup("0VT04ZZ", on="2024-09-30").mce.sex == "M"
    assert icd10pcs.lookup("0VT04ZZ", on="2024-10-01").mce.sex is None  # sex edit retired
    assert icd10pcs.lookup("0TY00Z0", on="2025-06-01").mce.limited_coverage
    assert icd10pcs.lookup("0DF5XZZ", on="2025-06-01").mce.noncovered
    r = icd10pcs.resolve("0FYG0Z0", on="2025-06-01")
    assert r.flags == ("lcov", "ncov45") and r.error is None


def test_on_a_claim_the_code_must_be_written_as_cms_prints_it() -> None:
    """validate() upper-cases (the contract of every code system); resolve(), what claim
    edits read, calls lower case or an inner space the format error the MCE sees."""
    assert icd10pcs.validate("0dtj4zz", on="2025-06-01").code == "0DTJ4ZZ"
    for raw in ("0dtj4zz", "0DT J4ZZ", "0DTj4ZZ"):
        r = icd10pcs.resolve(raw, on="2025-06-01")
        assert (r.entry, r.error.code, r.error.fix) == (None, "PCS_FORMAT_INVALID",
                                                         ("0DTJ4ZZ",)), raw
    assert icd10pcs.resolve(" 0DTJ4ZZ ", on="2025-06-01").entry is not None


def test_a_code_of_another_system_gets_no_pcs_code_as_its_fix() -> None:
    """A CPT, HCPCS, ICD-9 or ICD-10-CM code is named as such, and no PCS code is near it
    (the fix a pipeline may apply is empty, not 099130Z for 99213); a mistyped PCS code
    keeps its nearest codes."""
    for raw, what in (("99213", "CPT code"), ("A0425", "HCPCS Level II"),
                      ("47.01", "ICD-9-CM"), ("470", "ICD-9-CM"), ("E11.65", "ICD-10-CM")):
        err = icd10pcs.resolve(raw, on="2025-11-03").error
        assert (err.code, err.fix) == ("PCS_FORMAT_INVALID", ()), raw
        assert what in str(err), raw
        assert icd10pcs.suggest(raw, on="2025-11-03") == [], raw
    for raw in ("0DTJ4Z", "0DTJ.4ZZ", "ODTJ4ZZ", "0DTJ4ZZZ"):
        assert icd10pcs.resolve(raw, on="2025-11-03").error.fix[0] == "0DTJ4ZZ", raw


def test_resolve_keeps_the_error() -> None:
    assert icd10pcs.resolve("99213", on="2025-06-01").error.code == "PCS_FORMAT_INVALID"
    r = icd10pcs.resolve("0DTJXZZ", on="2025-06-01")
    assert (r.code, r.entry, r.error.code) == ("0DTJXZZ", None, "PCS_CODE_UNKNOWN")
    assert icd10pcs.resolve("0DTJ4ZZ", on="2025-06-01") is \
        icd10pcs.resolve("0DTJ4ZZ", on=D(2025, 6, 1))  # remembered


def _answer(r: icd10pcs.Resolved) -> tuple[object, ...]:
    e = r.entry
    return (r.code, r.flags, None if r.error is None else r.error.code,
            None if e is None else (e.code, e.valid, e.on, e.release, e.title, e.short_title,
                                    e.note))


#: Dates around what changes an answer: validity periods (0370046: FY2017-FY2019), the MCE
#: flags (02WA3QZ non-covered until 2022-03-31, limited coverage from 2022-04-01, inside
#: one fiscal year; 0U570ZZ female-only until 2024-09-30), fiscal years (titles), FY2027
#: (no order file: a note) and after the MCE table's end.
_DAYS = (D(2015, 9, 30), D(2015, 10, 1), D(2016, 9, 30), D(2016, 10, 1), D(2019, 9, 30),
         D(2019, 10, 1), D(2022, 3, 30), D(2022, 3, 31), D(2022, 4, 1), D(2022, 4, 2),
         D(2024, 9, 30), D(2024, 10, 1), D(2024, 10, 2), D(2025, 11, 3), D(2026, 11, 3),
         D(2026, 12, 1), D(2027, 6, 1))


def _resolve_as_validate() -> None:
    from codekit.icd10pcs._store import default_store

    flags = default_store().validity.flags
    for code in ("02WA3QZ", "0U570ZZ", "0370046", "0DTJ4ZZ", "0VT04ZZ", "XW033E5"):
        for day in _DAYS:
            got = icd10pcs.resolve(code, on=day)
            if not icd10pcs.is_valid(code, on=day):
                with pytest.raises(NotValidOnDate) as info:
                    icd10pcs.validate(code, on=day)
                err = info.value
                assert (got.entry, got.error.code, got.error.args) == (None, err.code, err.args)
                continue
            e = icd10pcs.validate(code, on=day)
            want = (code, flags(code, day), None, (e.code, e.valid, day, e.release, e.title,
                                                   e.short_title, e.note))
            assert _answer(got) == want, (code, day)


def test_resolve_answers_each_date_as_validate_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """resolve() shares one answer among the dates of a class (same validity period, MCE
    flags period and fiscal year); each date still gets exactly what validate() and the
    MCE flags say for it, its own date in the entry."""
    import codekit
    from codekit.icd10pcs._store import Validity

    codekit.clear_caches()
    _resolve_as_validate()
    assert icd10pcs.resolve("02WA3QZ", on=D(2022, 3, 31)).flags == ("noncovered",)
    assert icd10pcs.resolve("02WA3QZ", on=D(2022, 4, 1)).flags == ("lcov",)
    assert icd10pcs.resolve("0U570ZZ", on=D(2024, 10, 1)).flags == ("ncov_z302",)
    # Today every flag change and fiscal year starts a validity period too; were they not
    # (one period for all dates), the flags' periods and the fiscal years still tell the
    # classes apart.
    codekit.clear_caches()
    monkeypatch.setattr(Validity, "period", lambda self, on: 0)
    _resolve_as_validate()
    codekit.clear_caches()


def test_resolve_validates_once_per_class_of_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    import codekit
    from codekit.icd10pcs import _codes

    codekit.clear_caches()  # nothing remembered from other tests
    first = icd10pcs.resolve("0DTJ4ZZ", on=D(2025, 11, 3))
    calls: list[object] = []
    real = _codes.validate

    def counted(code: object, **kw: object) -> icd10pcs.Entry:
        calls.append(kw["on"])
        return real(code, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(_codes, "validate", counted)
    r = icd10pcs.resolve("0DTJ4ZZ", on=D(2025, 11, 4))  # FY2026, as the first: shared
    assert calls == [] and r.entry is not first.entry
    assert (r.entry.on, r.entry.title, r.flags) == (D(2025, 11, 4), first.entry.title, ())
    assert _answer(r)[:3] == _answer(first)[:3]
    icd10pcs.resolve("0DTJ4ZZ", on=D(2025, 9, 30))  # FY2025: another class
    icd10pcs.resolve("0DTJ4ZZ", on=D(2026, 11, 3))  # FY2027: a note names the date
    icd10pcs.resolve("0DTJ4ZZ", on=D(2026, 11, 4))  # ... so never shared
    assert calls == [D(2025, 9, 30), D(2026, 11, 3), D(2026, 11, 4)]


def test_a_remembered_valid_answer_costs_no_more_than_it_is_counted() -> None:
    """The PCS memos count a valid code's entry without weighing it: what they say must be
    what weighing says (a Resolved that grew a field would break it)."""
    from codekit import _cache
    from codekit.icd10pcs import _codes

    for code, day in (("0DTJ4ZZ", D(2025, 6, 1)), ("0U570ZZ", D(2016, 6, 1)),
                      ("  XW033E5 ", D(2021, 6, 1))):
        r = icd10pcs.resolve(code, on=day)
        assert r.error is None
        weighed = _cache.weigh((code, day)) + _cache.weigh(r) + _cache.ENTRY_OVERHEAD
        assert _codes._weigh_resolved((code, day), r) == weighed, code
    bad = icd10pcs.resolve("0DTJXZZ", on=D(2025, 6, 1))
    key = ("0DTJXZZ", D(2025, 6, 1))
    assert _codes._weigh_resolved(key, bad) == \
        _cache.weigh(key) + _cache.weigh(bad) + _cache.ENTRY_OVERHEAD > 1000


def test_bad_dates_and_junk() -> None:
    from codekit import InvalidArgument

    with pytest.raises(InvalidArgument):
        icd10pcs.is_valid("0DTJ4ZZ", on="06/01/2025")
    for junk in (None, 7, "", "x" * 1000, ["0DTJ4ZZ"]):
        assert icd10pcs.is_valid(junk, on="2025-06-01") is False
    with pytest.raises(InvalidFormat) as info:
        icd10pcs.validate("0DTJ4ZO", on="2025-06-01")
    assert info.value.fix[:1] == ("0DTJ4Z0",) or "0DTJ4ZZ" in info.value.fix


# -- users' own CMS files ---------------------------------------------------------------------


def _order_line(n: int, code: str, valid: bool, short: str, long: str) -> str:
    return f"{n:05d} {code:<7} {int(valid)} {short:<60} {long}"


def test_add_pcs_release_from_the_cms_files(tmp_path: Path, user_dir: Path) -> None:
    """A user's FY2027 files: a real FY2026 order file and tables stand in for them."""
    from codekit.build.icd10pcs import add_pcs_release

    order = reference("icd10pcs_fy2026", "icd10pcs_order_2026.txt.gz")
    tables = reference("icd10pcs_fy2026", "icd10pcs_tables_2026.xml.gz")
    rec = add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                          tables=tables, data_dir=user_dir)
    assert rec["counts"] == {"codes": 79115, "headers": 914}
    try:
        e = icd10pcs.validate("0DTJ4ZZ", on="2026-11-01")
        assert (e.release, e.note) == ("FY2027", None)
        assert e.title == "Resection of Appendix, Percutaneous Endoscopic Approach"
        # the user's release decides validity from its effective date: 028F3Z0 (new in
        # the MCE on 2026-10-01) is not in this order file
        assert not icd10pcs.is_valid("028F3Z0", on="2026-11-01")
        assert icd10pcs.is_valid("028F3Z0", on="2027-01-01") is False
        assert icd10pcs.is_valid("0DTJ4ZZ", on="2026-09-30")  # bundled before
    finally:
        for p in (user_dir / "icd10pcs").glob("*.ckt"):
            p.unlink()
        from codekit import _cache
        _cache.data_changed(reopen=True)
    assert icd10pcs.is_valid("028F3Z0", on="2026-11-01")


def test_add_pcs_release_refuses_bad_files(tmp_path: Path, user_dir: Path) -> None:
    from codekit.build.icd10pcs import add_pcs_release

    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(MalformedFile, match="empty"):
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=empty,
                        data_dir=user_dir)
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join([
        _order_line(1, "0DT", False, "Resection", "Gastrointestinal System, Resection"),
        _order_line(2, "0DTJ4ZZ", True, "Resection of Appendix", "Resection of Appendix"),
        _order_line(3, "0DTJ4ZO", True, "Bad", "Bad")]))
    with pytest.raises(MalformedFile) as info:
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=bad,
                        data_dir=user_dir)
    assert info.value.line == 3 and "not an ICD-10-PCS code" in str(info.value)
    good = tmp_path / "good.txt.gz"
    good.write_bytes(gzip.compress("\n".join([
        _order_line(1, "0DT", False, "Resection", "Gastrointestinal System, Resection"),
        _order_line(2, "0DTJ4ZZ", True, "Resection of Appendix",
                    "Resection of Appendix")]).encode()))
    tables = tmp_path / "t.xml"
    tables.write_text("<ICD10PCS.tabular><version>2027</version></ICD10PCS.tabular>")
    with pytest.raises(MalformedFile, match="no <pcsTable>"):
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=good,
                        tables=tables, data_dir=user_dir)
    assert not (user_dir / "icd10pcs").exists() or not list((user_dir / "icd10pcs").iterdir())


# -- bad and edge-case input (probe) -----------------------------------------------------------


def test_a_cpt_or_hcpcs_code_with_modifiers_is_not_a_pcs_code_with_a_hyphen() -> None:
    """99213-25 on an inpatient claim was "ICD-10-PCS codes have no dot or hyphen: write
    9921325", with 0271356, 027135Z... as its fix: CPT with a modifier, no PCS code."""
    for raw, what in (("99213-25", "looks like a CPT code"), ("99213-25-59", "CPT code"),
                      ("J3490-JW", "HCPCS Level II")):
        with pytest.raises(InvalidFormat) as info:
            icd10pcs.validate(raw, on="2025-11-03")
        assert what in str(info.value) and "write" not in str(info.value), raw
        assert info.value.fix == () and icd10pcs.suggest(raw, on="2025-11-03") == [], raw
        assert icd10pcs.resolve(raw, on="2025-11-03").error.fix == (), raw
    # a PCS code with a hyphen is still one
    with pytest.raises(InvalidFormat, match="no dot or hyphen: write 0DTJ4ZZ"):
        icd10pcs.validate("0DT-J4ZZ", on="2025-11-03")


def test_an_icd10cm_code_in_no_pcs_section_gets_no_pcs_codes() -> None:
    """S72001A is PCS syntax (seven characters, no I or O) but S is no PCS section: the
    error said only "character 1 (section) 'S' is not allowed" and suggest() proposed
    001607A, 00160JA..., fuzzy matches of nothing."""
    with pytest.raises(ValueNotAllowed) as info:
        icd10pcs.validate("S72001A", on="2025-11-03")
    e = info.value
    assert str(e).startswith("'S72001A': looks like an ICD-10-CM diagnosis code, not an "
                             "ICD-10-PCS procedure code")
    assert (e.position, e.fix) == (1, ())
    assert icd10pcs.suggest("S72001A", on="2025-11-03") == []
    assert icd10pcs.suggest("s72001a", on="2025-11-03") == []
    # a PCS section letter keeps its nearest codes (B: imaging)
    assert icd10pcs.suggest("BW03ZZX", on="2025-11-03")[0].startswith("BW03")


def test_text_of_a_str_subclass_is_judged_as_the_text() -> None:
    """numpy.str_ (what a NumPy array of codes yields) was never valid for is_valid, while
    validate() said it was; resolve() let its lower case through."""
    np = pytest.importorskip("numpy")

    class Code(str):
        pass

    for raw in (np.str_("0DTJ4ZZ"), Code("0DTJ4ZZ")):
        assert icd10pcs.is_valid(raw, on="2025-11-03") is True
        assert icd10pcs.is_valid(raw, on="2015-09-30") is False
        assert icd10pcs.resolve(raw, on="2025-11-03").entry.code == "0DTJ4ZZ"
    r = icd10pcs.resolve(np.str_("0dtj4zz"), on="2025-11-03")
    assert (r.entry, r.error.code, r.error.fix) == (None, "PCS_FORMAT_INVALID", ("0DTJ4ZZ",))


def test_an_entry_before_icd10_says_why_it_is_not_valid() -> None:
    e = icd10pcs.lookup("0DTJ4ZZ", on="2015-09-30")
    assert (e.valid, e.covered, e.release) == (False, False, "FY2016")
    assert e.note == ("2015-09-30 is before ICD-10-PCS took effect (2015-10-01): no "
                      "ICD-10-PCS code may be reported then (inpatient procedures were "
                      "ICD-9-CM volume 3 codes); title from FY2016.")
    assert icd10pcs.lookup("0DTJ4ZZ", on="2015-10-01").note is None


def test_search_finds_titles_that_share_a_word_with_the_query() -> None:
    """Punctuation found 0016070... with score 0; cholecystectomy found Sperm Collection
    and an arthroplasty of the whole knee Hyperthermia of Soft Palate, both "good"."""
    day = "2025-11-03"
    for q in ("(((", "%", ".*", "\\", "zzqxw", "of the", "x"):
        r = icd10pcs.search(q, on=day)
        assert (list(r), r.good) == ([], False), q
    knee = icd10pcs.search("knee arthroplasty, total", on=day, limit=20)
    assert len(knee) == 20 and all("Knee" in h.title for h in knee)
    assert knee[0].title.startswith("Replacement of ")
    hits = icd10pcs.search("0dtj4zz", on=day, limit=3)
    assert [(h.code, h.confidence) for h in hits][:1] == [("0DTJ4ZZ", 1.0)]
    append = icd10pcs.search("append", on=day, limit=10)  # the start of a title's word
    assert len(append) == 10 and all("Appendix" in h.title for h in append)


@pytest.mark.parametrize(("query", "first"), [
    ("laparoscopic cholecystectomy", "0FT44ZZ"),  # Resection of Gallbladder, Perc Endo
    ("laparoscopic appendectomy", "0DTJ4ZZ"),
    ("hysterectomy", "0UT90ZZ"),
    # a -centesis is a needle puncture: Percutaneous (the open approach came first)
    ("thoracentesis", "0W9B3ZZ"),  # Drainage of Left Pleural Cavity, Percutaneous
    ("paracentesis", "0W9G3ZZ"),  # Drainage of Peritoneal Cavity, Percutaneous
    # the prepuce cut directly: External (2026-12-07; the PCS Index, the GEM of ICD-9-CM 64.0 and
    # payers' circumcision policies give 0VTTXZZ; 0VTT0ZZ, Open, was listed here)
    ("circumcision", "0VTTXZZ"),
    ("egd", "0DJ08ZZ"),  # Inspection of Upper Intestinal Tract, Via Natural ... Endoscopic
    ("tracheostomy", "0B110F4"),  # with Tracheostomy Device (the tube it puts in)
    ("carotid endarterectomy", "03CJ0ZZ"),
    ("lumbar laminectomy", "0QB00ZZ"),
])
def test_search_reads_surgical_terms_in_the_words_of_pcs_titles(query: str,
                                                                 first: str) -> None:
    """PCS titles name the root operation and the body part: a surgical term is read as
    its ending (the operation) and its stem (the body part); cholecystectomy found
    nothing (or "Sperm Collection") before."""
    hits = icd10pcs.search(query, on="2025-11-03", limit=5)
    assert hits[0].code == first, [(h.code, h.title) for h in hits]
    assert hits[0].good


def test_validating_a_code_does_not_load_the_search_index() -> None:
    # the cold target of issue 17 (import + first validation <= 0.15 s): the search
    # index, its readings and rapidfuzz are loaded on the first search, not before
    code = ("import sys, codekit.icd10pcs as m\n"
            "assert m.is_valid('0DTJ4ZZ', on='2026-03-01')\n"
            "loaded = sorted(n for n in ('codekit._search', 'codekit.icd10pcs._search', "
            "'rapidfuzz') if n in sys.modules)\n"
            "assert not loaded, loaded\n"
            "assert m.search('appendectomy', on='2026-03-01')\n"
            "assert 'codekit.icd10pcs._search' in sys.modules")
    result = fresh_python(code)
    assert result.returncode == 0, result.stderr


def test_first_lookups_bisect_the_table_and_agree_with_the_dict(monkeypatch) -> None:
    # Validity.mask answers a process's first lookups by bisecting the table's sorted
    # codes (no dict of 82,000 codes for a script that validates a few); every answer
    # must be the dict's, for every code and for near misses of each
    from codekit.icd10pcs import _store

    table = icd10pcs.default_store().validity.table
    full = _store.Validity(table).masks
    monkeypatch.setattr(_store, "PROBES", 10**9)
    v = _store.Validity(table)
    near = ["", "0", "0DTJ4Z", "0DTJ4ZZZ", "0dtj4zz", "0DTJ4Z\u00e9", "0000000", "ZZZZZZZ",
            "XW033E5", "0370046"]
    for code in full:
        near.append(code[:6] + ("Z" if code[6] != "Z" else "0"))
    for code in [*full, *near]:
        assert v.mask(code) == full.get(code), code
    assert v.made_masks is None  # all of that without making the dict
    monkeypatch.setattr(_store, "PROBES", 3)
    w = _store.Validity(table)
    assert [w.mask("0DTJ4ZZ") for _ in range(3)] == [full["0DTJ4ZZ"]] * 3
    assert w.made_masks is None
    assert w.mask("0DTJ4ZZ") == full["0DTJ4ZZ"] and w.made_masks == full


def test_the_dict_is_made_from_the_sections_the_first_lookups_read() -> None:
    # the first lookups read (decompress and check) the codes and masks sections; the
    # dict of every code made after them reads neither again
    from codekit.icd10pcs import _store

    table = icd10pcs.default_store().validity.table
    read: list[str] = []

    class Counting:
        meta, path = table.meta, table.path

        def section(self, name: str) -> bytes:
            read.append(name)
            return table.section(name)

    v = _store.Validity(Counting())  # type: ignore[arg-type]
    assert v.mask("0DTJ4ZZ") is not None and sorted(read) == ["codes", "masks"]
    assert v.masks == _store.Validity(table).masks
    assert sorted(read) == ["codes", "masks"]


def test_a_cold_process_validates_without_the_dict_of_every_code() -> None:
    code = ("import codekit.icd10pcs as m\n"
            "from codekit.icd10pcs import default_store\n"
            "assert m.is_valid('0DTJ4ZZ', on='2026-03-01')\n"
            "assert not m.is_valid('0DTJ4ZO', on='2026-03-01')\n"
            "assert m.is_valid('0370046', on='2019-09-30')\n"
            "assert not m.is_valid('0370046', on='2019-10-01')\n"
            "assert default_store().validity.made_masks is None\n"
            "for i in range(300):  # then the dict, made once\n"
            "    m.is_valid(f'0DTJ{i:03d}', on='2026-03-01')\n"
            "assert default_store().validity.made_masks is not None")
    result = fresh_python(code)
    assert result.returncode == 0, result.stderr

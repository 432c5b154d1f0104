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
from tests.conftest import reference

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


def test_fy2027_dates_say_no_titles_or_tables_are_bundled() -> None:
    e = icd10pcs.validate("0DTJ4ZZ", on="2026-11-01")
    assert e.valid and e.release == "FY2026"
    assert "no FY2027 ICD-10-PCS order file or tables" in e.note
    assert "codekit data add-pcs --id FY2027" in e.note
    # 028F3Z0 is new on 2026-10-01: valid by the MCE table, no title anywhere
    new = icd10pcs.validate("028F3Z0", on="2026-11-01")
    assert new.valid and new.title is None and "no order file codekit has" in new.note
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


def test_resolve_keeps_the_error() -> None:
    assert icd10pcs.resolve("99213", on="2025-06-01").error.code == "PCS_FORMAT_INVALID"
    r = icd10pcs.resolve("0DTJXZZ", on="2025-06-01")
    assert (r.code, r.entry, r.error.code) == ("0DTJXZZ", None, "PCS_CODE_UNKNOWN")
    assert icd10pcs.resolve("0DTJ4ZZ", on="2025-06-01") is \
        icd10pcs.resolve("0DTJ4ZZ", on=D(2025, 6, 1))  # remembered


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

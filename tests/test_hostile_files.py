"""Hostile files for every loader of user files (issue 11, items 2, 3 and 9).

Each test builds a tiny file that reproduces one defect and checks the loader answers
with a typed codekit error naming the file (or, where the file is fine, the right table).
Decompression bombs are reproduced at a small scale: the same shape, under limits scaled
down with it (``FileLimits``), or over the default ratio limit (a few MB of one byte
compresses more than 100-fold). The figures of the full-size bombs are in
``docs/procedures.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import codekit
from codekit import ncci
from codekit._files import FileLimits, read_bytes
from codekit._procedures._descriptors import load_descriptors
from codekit._procedures._mpfs import load_mpfs
from codekit._procedures._quarter import load_quarter
from codekit._procedures._release import load_release as load_hcpcs
from codekit.build.icd10cm_sources import read_order_file, read_tabular
from codekit.errors import (
    CodekitError,
    DataError,
    FileLimitExceeded,
    InvalidArgument,
    MalformedFile,
)

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "reference"

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
MUE_HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>HCPCS/CPT Code</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>Practitioner Services MUE Values</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>MUE Adjudication Indicator</t></is></c></row>')
MUE_ROW = ('<row r="2"><c r="A2" t="inlineStr"><is><t>99213</t></is></c><c r="B2"><v>1</v></c>'
           '<c r="C2"><v>2</v></c></row>')


def sheet(rows: str) -> str:
    return f"<worksheet {NS}><sheetData>{rows}</sheetData></worksheet>"


def xlsx(path: Path, sheet_xml: str | bytes, shared: str | None = None,
         method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def load_mue_eff(path: Path, **kw: Any) -> Any:
    return ncci.load_mue(path, effective="2026-04-01", **kw)


# --------------------------------------------------------------------------------------
# 2. cell references outside the sheet


@pytest.mark.parametrize("ref", ["ZZZZZZ2", "ZZZZZZZ2", "XFE2", "A99999999", "a2", "2A"])
def test_xlsx_cell_reference_outside_the_grid_is_refused(tmp_path: Path, ref: str) -> None:
    # ZZZZZZ2 made the reader allocate a row 321 million cells wide (4.9 GB)
    p = xlsx(tmp_path / "wide.xlsx", sheet(MUE_HEADER + f'<row r="2"><c r="{ref}"><v>1</v>'
                                           "</c></row>"))
    with pytest.raises(DataError, match=rf"wide.xlsx.*{ref}.*columns A to XFD"):
        load_mue_eff(p)


def test_xlsx_last_column_xfd_is_read(tmp_path: Path) -> None:
    from codekit._xlsx import iter_rows

    p = xlsx(tmp_path / "xfd.xlsx", sheet('<row r="1"><c r="XFD1"><v>7</v></c></row>'))
    [(n, cells)] = list(iter_rows(p))
    assert (n, len(cells), cells[-1], cells[0]) == (1, 16384, "7", "")


@pytest.mark.parametrize("r", ["abc", "0", "1048577", "-1", "1e3", "\u00b2"])
def test_xlsx_row_number_not_in_the_sheet_is_refused(tmp_path: Path, r: str) -> None:
    p = xlsx(tmp_path / "rows.xlsx", sheet(MUE_HEADER + f'<row r="{r}"><c><v>1</v></c></row>'))
    with pytest.raises(DataError, match=r"rows.xlsx.*row number"):
        load_mue_eff(p)


# --------------------------------------------------------------------------------------
# 3. decompression bombs and unbounded files


def test_xlsx_part_expanding_past_the_ratio_is_refused_before_inflating(tmp_path: Path) -> None:
    # the shape of the 1 GiB cell in a 1 MB file: one cell of one repeated byte
    cell = "A" * (20 << 20)
    p = xlsx(tmp_path / "bomb.xlsx", sheet(MUE_HEADER + '<row r="2"><c r="A2" t="inlineStr">'
                                           f"<is><t>{cell}</t></is></c></row>"))
    assert p.stat().st_size < 200_000
    with pytest.raises(FileLimitExceeded, match=r"bomb.xlsx.*100-fold.*sheet1.xml") as e:
        load_mue_eff(p)
    assert (e.value.limit, e.value.path) == ("max_ratio", str(p))


def test_xlsx_cell_longer_than_max_row_chars_is_refused(tmp_path: Path) -> None:
    p = xlsx(tmp_path / "cell.xlsx", sheet(MUE_HEADER + '<row r="2"><c r="A2" t="inlineStr">'
                                           f"<is><t>{'B' * 5000}</t></is></c></row>"))
    with pytest.raises(FileLimitExceeded, match=r"cell.xlsx: a row longer than 4,000") as e:
        load_mue_eff(p, limits=FileLimits(max_row_chars=4000))
    assert e.value.limit == "max_row_chars"


def test_xlsx_huge_tag_is_refused_while_streaming(tmp_path: Path) -> None:
    # no element ends for more than max_row_chars bytes: the parser would hold it all
    p = xlsx(tmp_path / "tag.xlsx", sheet(MUE_HEADER + '<row r="2"><c r="A2" x="'
                                          + "x" * 300_000 + '"><v>1</v></c></row>'))
    with pytest.raises(FileLimitExceeded, match=r"tag.xlsx.*sheet1.xml"):
        load_mue_eff(p, limits=FileLimits(max_row_chars=100_000))


def test_xlsx_rows_past_max_rows_are_refused(tmp_path: Path) -> None:
    # the shape of "1 GiB of rows in 3.6 MB"
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>99213</t></is></c>'
                   f'<c r="B{i}"><v>1</v></c><c r="C{i}"><v>2</v></c></row>'
                   for i in range(2, 60))
    p = xlsx(tmp_path / "many.xlsx", sheet(MUE_HEADER + rows))
    with pytest.raises(FileLimitExceeded, match=r"many.xlsx: more than 50 rows"):
        load_mue_eff(p, limits=FileLimits(max_rows=50))


def test_xlsx_blank_rows_run_is_refused(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t> </t></is></c></row>'
                   for i in range(2, 30))
    p = xlsx(tmp_path / "blank.xlsx", sheet(MUE_HEADER + rows))
    with pytest.raises(FileLimitExceeded, match=r"blank.xlsx: more than 20 blank rows"):
        load_mue_eff(p, limits=FileLimits(max_blank_rows=20))


def test_xlsx_document_type_declaration_is_refused(tmp_path: Path) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + sheet(MUE_HEADER))
    p = xlsx(tmp_path / "dtd.xlsx", bomb)
    with pytest.raises(DataError, match=r"dtd.xlsx.*document type"):
        load_mue_eff(p)


#: XML declarations the parser cannot honour, and what Python raised for each before they
#: were caught: LookupError (an encoding Python does not know, or one that is not a text
#: encoding), ValueError (multi-byte encodings expat cannot be fed), UnicodeError ("idna").
#: A fuzzed slice of the real HCPCS workbook found the first (``UTF-0``, at _xlsx.py:320).
BAD_ENCODINGS = ["UTF-0", "rot13", "hex", "shift_jis", "utf-7", "idna"]


def _declared(encoding: str, body: str) -> bytes:
    return f'<?xml version="1.0" encoding="{encoding}"?>{body}'.encode()


@pytest.mark.parametrize("encoding", BAD_ENCODINGS)
def test_xlsx_sheet_declaring_an_unreadable_encoding_is_a_data_error(tmp_path: Path,
                                                                     encoding: str) -> None:
    p = xlsx(tmp_path / "enc.xlsx", _declared(encoding, sheet(MUE_HEADER + MUE_ROW)))
    with pytest.raises(DataError, match=r"enc.xlsx: xl/worksheets/sheet1.xml declares an "
                                        r"encoding it cannot be read in"):
        load_mue_eff(p)


@pytest.mark.parametrize("encoding", BAD_ENCODINGS)
def test_xlsx_shared_strings_declaring_an_unreadable_encoding_is_a_data_error(
        tmp_path: Path, encoding: str) -> None:
    shared = _declared(encoding, f'<sst {NS}><si><t>99213</t></si></sst>').decode()
    p = xlsx(tmp_path / "enc.xlsx", sheet(MUE_HEADER), shared=shared)
    with pytest.raises(DataError, match=r"xl/sharedStrings.xml declares an encoding"):
        load_mue_eff(p)


@pytest.mark.parametrize("encoding", BAD_ENCODINGS)
def test_xlsx_workbook_part_declaring_an_unreadable_encoding_falls_back_to_the_first_sheet(
        tmp_path: Path, encoding: str) -> None:
    """The sheet list is only a hint: an unreadable one means the first sheet by name."""
    p = xlsx(tmp_path / "wb.xlsx", sheet(MUE_HEADER + MUE_ROW))
    with zipfile.ZipFile(p, "a") as z:
        z.writestr("xl/workbook.xml", _declared(encoding, "<workbook/>"))
        z.writestr("xl/_rels/workbook.xml.rels", "<Relationships/>")
    assert ncci.load_mue(p, effective="2026-04-01").codes == ("99213",)


@pytest.mark.parametrize("encoding", BAD_ENCODINGS)
def test_tabular_declaring_an_unreadable_encoding_is_a_data_error(encoding: str) -> None:
    with pytest.raises(DataError, match=r"tabular XML declares an encoding it cannot be "
                                        r"read in"):
        read_tabular(_declared(encoding, "<ICD10CM.tabular/>"), source="t.xml")


@pytest.mark.parametrize("encoding", BAD_ENCODINGS)
def test_pcs_tables_and_definitions_declaring_an_unreadable_encoding_are_malformed(
        encoding: str) -> None:
    from codekit.build.icd10pcs import read_definitions, read_tables

    with pytest.raises(MalformedFile, match=r"t.xml: the tables XML declares an encoding"):
        read_tables(_declared(encoding, "<ICD10PCS.tabular/>"), "t.xml")
    with pytest.raises(MalformedFile, match=r"d.xml: the definitions XML declares an"):
        read_definitions(_declared(encoding, "<ICD10PCS.definitions/>"), "d.xml")


def test_pcs_tables_xml_is_read_within_the_xml_limits() -> None:
    """A user's PCS tables XML was parsed whole with ``ET.fromstring``: now bounded like the
    ICD-10-CM tabular (depth and element count, before the tree is complete)."""
    from codekit.build.icd10pcs import read_tables

    deep = b"<ICD10PCS.tabular>" + b"<x>" * 5000 + b"</x>" * 5000 + b"</ICD10PCS.tabular>"
    with pytest.raises(FileLimitExceeded, match="nested more than 100 deep"):
        read_tables(deep, "deep.xml")
    with pytest.raises(MalformedFile, match=r"t.xml: the tables XML does not parse"):
        read_tables(b"<ICD10PCS.tabular><pcsTable>", "t.xml")


def test_order_gz_expanding_past_the_ratio_is_refused(tmp_path: Path) -> None:
    # gzip.decompress of the whole file took 2 GB for a 1 MB order.txt.gz
    p = tmp_path / "icd10cm_order_2027.txt.gz"
    p.write_bytes(gzip.compress(b" " * (6 << 20), 9))
    with pytest.raises(FileLimitExceeded, match=r"order_2027.txt.gz: expands more than 100"):
        read_bytes(p)


def test_user_release_order_file_is_read_bounded(tmp_path: Path) -> None:
    from codekit.build.user import _read

    p = tmp_path / "icd10cm_order_2027.txt.gz"
    p.write_bytes(gzip.compress(b" " * (6 << 20), 9))
    with pytest.raises(FileLimitExceeded):
        _read(p)


def test_gzipped_mue_csv_of_newlines_is_refused_quickly(tmp_path: Path) -> None:
    # a 1 MB gzipped MUE CSV of newlines ran for over 300 s
    p = tmp_path / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv.gz"
    p.write_bytes(gzip.compress(b"HCPCS/CPT Code,Practitioner Services MUE Values,MUE "
                                b"Adjudication Indicator\n" + b"\n" * 2_000_000))
    with pytest.raises(FileLimitExceeded, match=r"more than 10,000 blank rows") as e:
        ncci.load_mue(p)
    assert e.value.limit == "max_blank_rows"


def test_text_line_longer_than_max_row_chars_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "ptp.csv.gz"
    p.write_bytes(gzip.compress(b"column_1,column_2,deletion_date,modifier_indicator\n"
                                + b"9" * 300_000))
    with pytest.raises(FileLimitExceeded, match=r"ptp.csv.gz: a row longer than 100,000"):
        ncci.load_ptp(p, limits=FileLimits(max_row_chars=100_000))


def test_quoted_field_over_many_lines_is_bounded(tmp_path: Path) -> None:
    p = tmp_path / "MCR_MUE_X_Eff_04-01-2026.csv"
    p.write_text('"copyright\n' + "x\n" * 60_000 + '"\ncode,mue,mai\n99213,1,2\n')
    with pytest.raises(FileLimitExceeded, match=r"a row longer than 100,000"):
        ncci.load_mue(p, limits=FileLimits(max_row_chars=100_000))


def test_preamble_without_header_is_bounded(tmp_path: Path) -> None:
    p = tmp_path / "MCR_MUE_X_Eff_04-01-2026.csv"
    p.write_text("junk\n" * 50)
    with pytest.raises(FileLimitExceeded, match=r"more than 20 rows before the header"):
        ncci.load_mue(p, limits=FileLimits(max_preamble_rows=20))


def test_collected_problems_are_bounded(tmp_path: Path) -> None:
    p = tmp_path / "MCR_MUE_X_Eff_04-01-2026.csv"
    p.write_text("code,mue,mai\n" + "99213,x,2\n" * 30)
    t = ncci.load_mue(p, errors="collect", limits=FileLimits(max_problems=30))
    assert len(t.problems) == 30
    p.write_text("code,mue,mai\n" + "99213,x,2\n" * 31)
    with pytest.raises(FileLimitExceeded, match=r"more than 30 malformed rows"):
        ncci.load_mue(p, errors="collect", limits=FileLimits(max_problems=30))


def test_plain_file_larger_than_max_bytes_is_refused_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "addon.csv"
    p.write_text("add_on_code,primary_code,aoc_edit_type\n" + "99292,99291,1\n" * 100)
    with pytest.raises(FileLimitExceeded, match=r"more than 1,000 bytes"):
        ncci.load_addon(p, limits=FileLimits(max_bytes=1000))


def test_file_limits_are_validated_and_public() -> None:
    assert codekit.FileLimits is FileLimits is ncci.FileLimits
    with pytest.raises(InvalidArgument, match=r"max_rows=-1"):
        FileLimits(max_rows=-1)
    with pytest.raises(InvalidArgument, match=r"limits=100"):
        ncci.load_mue("x.csv", limits=100)  # type: ignore[arg-type]


def test_default_limits_fit_the_largest_real_files() -> None:
    # the whole practitioner PTP table as one CSV: 8,063,445 bytes gzipped, 160,386,652
    # bytes and 2,546,018 lines once inflated; the IOCE HCPCS extract expands 32-fold;
    # the HCPCS workbook's sheet part 14,427,809 bytes from 1,532,486
    lim = FileLimits()
    assert lim.budget(8_063_445)[0] >= 2 * 160_386_652
    assert lim.budget(309_389)[0] >= 2 * 9_979_099
    assert lim.budget(1_532_486)[0] >= 2 * 14_427_809
    assert lim.max_rows >= 2 * 2_546_018


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared reference data absent")
def test_real_gzipped_files_read_within_default_limits() -> None:
    order = read_bytes(REFERENCE / "icd10cm_fy2026" / "icd10cm_order_2026.txt.gz")
    assert len(order) == 14_694_719
    assert len(read_order_file(order.decode("latin-1"))) == 98_186
    tab = read_tabular(read_bytes(REFERENCE / "icd10cm_fy2023" / "icd10cm_tabular_2023.xml.gz"))
    assert len(tab.nodes) == 45_869


# --------------------------------------------------------------------------------------
# 9. escapes that were not CodekitError


def corrupt_gzip(path: Path, text: bytes) -> Path:
    data = gzip.compress(text * 50)
    path.write_bytes(data[:len(data) // 2] + bytes(b ^ 0x5A for b in data[len(data) // 2:]))
    return path


LOADERS: dict[str, tuple[Callable[..., Any], bytes]] = {
    "ptp": (ncci.load_ptp, b"column_1,column_2,deletion_date,modifier_indicator\n"
                           b"99213,99212,*,1\n"),
    "mue": (load_mue_eff, b"code,mue,mai\n99213,1,2\n"),
    "addon": (ncci.load_addon, b"add_on_code,primary_code,aoc_edit_type\n99292,99291,1\n"),
    "hcpcs": (lambda p, **kw: load_hcpcs(p, effective="2026-01-01", **kw),
              b"HCPC,LONG DESCRIPTION,SHORT DESCRIPTION,TERM DT\nA0021,Ambulance,Amb,\n"),
    "cpt": (load_descriptors, b"99213\tOffice visit\n"),
    "quarter": (lambda p, **kw: load_quarter(p, effective="2026-01-01", **kw),
                b"HCPCS Code,SI\n99213,V\n"),
    "mpfs": (lambda p, **kw: load_mpfs(p, effective="2025-01-01", **kw),
             b"HCPCS,MOD,GLOB DAYS\n10060,,010\n"),
    "tabular": (lambda p, **kw: read_tabular(read_bytes(p), source=str(p)),
                b"<ICD10CM.tabular><version>2027</version><chapter><name>1</name><desc>Certain "
                b"infectious diseases</desc><section id='A00-A09'><desc>Intestinal</desc><diag>"
                b"<name>A00</name><desc>Cholera</desc><excludes1><note>x</note></excludes1><diag>"
                b"<name>A00.0</name><desc>Cholera due to Vibrio cholerae</desc></diag></diag>"
                b"</section></chapter></ICD10CM.tabular>"),
    "order": (lambda p, **kw: read_order_file(read_bytes(p).decode("latin-1")),
              b"00001 A00     0 Cholera                                                      "
              b"Cholera\n"),
}


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_corrupt_gzip_is_a_data_error_from_every_loader(tmp_path: Path, kind: str) -> None:
    load, text = LOADERS[kind]
    p = corrupt_gzip(tmp_path / f"{kind}.csv.gz", text)
    with pytest.raises(DataError, match=rf"{kind}.csv.gz"):
        load(p)


def test_truncated_gzip_is_a_data_error(tmp_path: Path) -> None:
    p = tmp_path / "ptp.csv.gz"
    p.write_bytes(gzip.compress(LOADERS["ptp"][1] * 100)[:-12])
    with pytest.raises(DataError, match=r"ptp.csv.gz"):
        ncci.load_ptp(p)


def test_xlsx_crc_error_is_a_data_error(tmp_path: Path) -> None:
    p = xlsx(tmp_path / "crc.xlsx", sheet(MUE_HEADER + MUE_ROW), method=zipfile.ZIP_STORED)
    data = bytearray(p.read_bytes())
    i = data.find(b"<v>1</v>")
    data[i + 3] = ord("5")
    p.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"crc.xlsx.*CRC"):
        load_mue_eff(p)


def test_xlsx_malformed_shared_strings_is_a_data_error(tmp_path: Path) -> None:
    p = xlsx(tmp_path / "sst.xlsx", sheet(MUE_HEADER), shared=f"<sst {NS}><si><t>99213</t></si")
    with pytest.raises(DataError, match=r"sst.xlsx: corrupt xl/sharedStrings.xml"):
        load_mue_eff(p)


@pytest.mark.parametrize("index", ["-1", "1", " 1_0", "\u0661", "9" * 5000])
def test_xlsx_shared_string_index_must_point_to_a_string(tmp_path: Path, index: str) -> None:
    # -1 used to read the last string silently
    row = (f'<row r="2"><c r="A2" t="s"><v>{index}</v></c><c r="B2"><v>1</v></c>'
           '<c r="C2"><v>2</v></c></row>')
    p = xlsx(tmp_path / "idx.xlsx", sheet(MUE_HEADER + row),
             shared=f"<sst {NS}><si><t>99213</t></si></sst>")
    with pytest.raises(DataError, match=r"idx.xlsx.*A2 points to no shared string"):
        load_mue_eff(p)


def test_xlsx_shared_strings_read_right(tmp_path: Path) -> None:
    strings = "".join(f"<si><t>{c}</t></si>" for c in ("99213", "99214")) + \
        "<si><r><t>9921</t></r><r><t>5</t></r><rPh><t>phonetic</t></rPh></si>"
    rows = "".join(f'<row r="{i + 2}"><c r="A{i + 2}" t="s"><v>{i}</v></c><c r="B{i + 2}">'
                   f'<v>{i + 1}</v></c><c r="C{i + 2}"><v>2</v></c></row>' for i in range(3))
    p = xlsx(tmp_path / "ok.xlsx", sheet(MUE_HEADER + rows), shared=f"<sst {NS}>{strings}</sst>")
    t = load_mue_eff(p)
    assert [t.get(c).units for c in ("99213", "99214", "99215")] == [1, 2, 3]


def test_mue_value_in_superscript_digits_is_a_malformed_row(tmp_path: Path) -> None:
    # str.isdigit accepts "²", then int("²") raised ValueError
    p = tmp_path / "MCR_MUE_X_Eff_04-01-2026.csv"
    p.write_text("code,mue,mai\n0001U,\u00b2,2\n", encoding="utf-8")
    with pytest.raises(MalformedFile, match=r"MUE value must be a whole number") as e:
        ncci.load_mue(p)
    assert (e.value.path, e.value.line) == (str(p), 2)


def test_invalid_date_in_a_mue_file_name_is_a_data_error(tmp_path: Path) -> None:
    p = tmp_path / "MCR_MUE_PractitionerServices_Eff_02-30-2026.csv"
    p.write_text("code,mue,mai\n0001U,1,2\n")
    with pytest.raises(DataError, match=r"Eff_02-30-2026.*not a date; pass effective="):
        ncci.load_mue(p)
    assert ncci.load_mue(p, effective="2026-04-01").effective == dt.date(2026, 4, 1)


@pytest.mark.parametrize("header", [
    "column_1,column_2\n",
    "column_1,column_2,deletion_date,modifier_indicator\n",
])
def test_header_only_ptp_csv_is_a_data_error(tmp_path: Path, header: str) -> None:
    # "column_1,column_2" alone raised KeyError: 'deletion'
    p = tmp_path / "ptp.csv"
    p.write_text(header)
    with pytest.raises(DataError, match=r"ptp.csv: .*(no deletion|no PTP edits after)"):
        ncci.load_ptp(p)


def test_ptp_rationale_with_a_newline_is_kept_on_one_line(tmp_path: Path) -> None:
    # raised ValueError: newline inside a packed string
    p = tmp_path / "ptp.csv"
    p.write_text("column_1,column_2,effective_date,deletion_date,modifier_indicator,rationale\n"
                 '99213,99212,20200101,*,1,"Mutually\nexclusive  procedures"\n')
    t = ncci.load_ptp(p)
    edit = t.pair("99213", "99212", on="2026-01-01")
    assert edit is not None and edit.rationale == "Mutually exclusive procedures"
    t.save(tmp_path / "ptp.ckt")
    again = ncci.load_ptp(tmp_path / "ptp.ckt").pair("99213", "99212", on="2026-01-01")
    assert again is not None and again.rationale == "Mutually exclusive procedures"


def deep_tabular(depth: int) -> bytes:
    diags = "".join(f"<diag><name>A{i:05d}</name><desc>x</desc>" for i in range(depth))
    return (f"<ICD10CM.tabular><version>2027</version><chapter><name>1</name><desc>x</desc>"
            f"<section id='A00-A09'><desc>x</desc>{diags}{'</diag>' * depth}</section>"
            f"</chapter></ICD10CM.tabular>").encode()


def test_deep_tabular_nesting_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(FileLimitExceeded, match=r"user.xml: XML nested more than 100 deep"):
        read_tabular(deep_tabular(3000), source="user.xml")


def test_deep_tabular_nesting_under_a_raised_limit_reads_iteratively() -> None:
    tab = read_tabular(deep_tabular(3000), limits=FileLimits(max_xml_depth=4000))
    assert len(tab.nodes) == 3000
    assert tab.nodes["A02999"].parent == "A02998"
    assert tab.nodes["A00000"].children == ["A00001"]


def test_tabular_element_count_is_bounded() -> None:
    with pytest.raises(FileLimitExceeded, match=r"more than 100 XML elements"):
        read_tabular(deep_tabular(60), limits=FileLimits(max_xml_elements=100))


# --------------------------------------------------------------------------------------
# mutated small real-shaped files: only a CodekitError, or a table


def mutations() -> st.SearchStrategy[tuple[str, int, int, bool]]:
    return st.tuples(st.sampled_from(["truncate", "flip", "regzip", "regzip-truncate"]),
                     st.integers(0, 10_000), st.integers(0, 7), st.booleans())


def mutate(data: bytes, how: str, pos: int, bit: int) -> bytes:
    i = pos % max(len(data), 1)
    if how == "truncate":
        return data[:i]
    if how == "flip":
        return data[:i] + bytes([data[i] ^ (1 << bit)]) + data[i + 1:] if data else data
    z = gzip.compress(data)
    return z if how == "regzip" else z[:pos % max(len(z), 1)]


def mue_xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", f"<sst {NS}><si><t>99213</t></si></sst>")
        z.writestr("xl/worksheets/sheet1.xml", sheet(
            MUE_HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1</v></c>'
            '<c r="C2"><v>2</v></c></row>'))
    return buf.getvalue()


@pytest.mark.parametrize("kind", [*sorted(LOADERS), "mue-xlsx"])
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(m=mutations())
def test_mutated_files_give_a_table_or_a_codekit_error(tmp_path: Path, kind: str,
                                                        m: tuple[str, int, int, bool]) -> None:
    how, pos, bit, as_gz_name = m
    if kind == "mue-xlsx":
        load, data, name = load_mue_eff, mue_xlsx_bytes(), "f.xlsx"
    else:
        load, text = LOADERS[kind]
        data, name = (text if kind == "tabular" else text * 3), "f.csv"
    data = mutate(data, how, pos, bit)
    p = tmp_path / (name + (".gz" if as_gz_name and kind != "mue-xlsx" else ""))
    p.write_bytes(data)
    with contextlib.suppress(CodekitError):  # anything else fails the test
        load(p)


def test_xlsx_elements_that_hold_no_cell_are_bounded(tmp_path: Path) -> None:
    # no tree is built, but each element costs a call: junk elements are counted
    junk = "<cols>" + '<col min="1"/>' * 2000 + "</cols>"
    p = xlsx(tmp_path / "junk.xlsx", f"<worksheet {NS}>{junk}<sheetData>{MUE_HEADER}{MUE_ROW}"
             "</sheetData></worksheet>")
    assert load_mue_eff(p).get("99213").units == 1
    with pytest.raises(FileLimitExceeded, match=r"junk.xlsx: more than 1,000 XML elements"):
        load_mue_eff(p, limits=FileLimits(max_xml_elements=1000))

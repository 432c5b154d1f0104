"""Reading the first worksheet of an ``.xlsx`` file with the standard library only.

CMS publishes its quarterly HCPCS, NCCI PTP/MUE and add-on files as Excel workbooks. An
``.xlsx`` file is a zip of XML parts; this reader streams the first sheet (shared strings,
inline strings, numbers) without openpyxl. Formulas, styles and dates formatted as Excel
serial numbers come back as the stored text (callers turn serials into dates).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .errors import DataError

__all__ = ["iter_rows"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_COL = re.compile(r"[A-Z]+")


def _col_index(ref: str) -> int:
    m = _COL.match(ref)
    n = 0
    for ch in m.group() if m else "A":
        n = n * 26 + ord(ch) - 64
    return n - 1


def _first_sheet(z: zipfile.ZipFile) -> str:
    names = set(z.namelist())
    try:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        sheet = wb.find(f"{_NS}sheets/{_NS}sheet")
        rid = sheet.get(f"{_REL_NS}id") if sheet is not None else None
        for rel in rels:
            if rel.get("Id") == rid:
                target = rel.get("Target", "").lstrip("/")
                path = target if target.startswith("xl/") else "xl/" + target
                if path in names:
                    return path
    except (KeyError, ET.ParseError):
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
    if not sheets:
        raise DataError("no worksheet in the workbook")
    return sheets[0]


def iter_rows(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` for each row of the first sheet; empty cells are ``""``."""
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise DataError(f"{path}: not a readable .xlsx workbook: {e}") from e
    with z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            with z.open("xl/sharedStrings.xml") as f:
                for _, el in ET.iterparse(f):
                    if el.tag == _NS + "si":
                        shared.append("".join(t.text or "" for t in el.iter(_NS + "t")))
                        el.clear()
        with z.open(_first_sheet(z)) as f:
            try:
                for _, el in ET.iterparse(f):
                    if el.tag != _NS + "row":
                        continue
                    cells: list[str] = []
                    for c in el.iter(_NS + "c"):
                        i = _col_index(c.get("r", "A"))
                        kind = c.get("t")
                        if kind == "inlineStr":
                            value = "".join(t.text or "" for t in c.iter(_NS + "t"))
                        else:
                            v = c.find(_NS + "v")
                            value = v.text or "" if v is not None else ""
                            if kind == "s" and value:
                                try:
                                    value = shared[int(value)]
                                except (IndexError, ValueError):
                                    raise DataError(f"{path}: cell {c.get('r')} points to "
                                                    f"no shared string ({value})") from None
                        if i >= len(cells):
                            cells.extend([""] * (i + 1 - len(cells)))
                        cells[i] = value
                    yield int(el.get("r", "0")), cells
                    el.clear()
            except ET.ParseError as e:
                raise DataError(f"{path}: corrupt worksheet XML: {e}") from e

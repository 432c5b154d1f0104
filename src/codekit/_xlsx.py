"""Reading the first worksheet of an ``.xlsx`` file with the standard library only.

CMS publishes its quarterly HCPCS, NCCI PTP/MUE and add-on files as Excel workbooks. An
``.xlsx`` file is a zip of XML parts; this reader streams the first sheet (shared strings,
inline strings, numbers) without openpyxl. Formulas, styles and dates formatted as Excel
serial numbers come back as the stored text (callers turn serials into dates).

A workbook is untrusted input, so the reader is bounded by :class:`~codekit.FileLimits`:
each part it reads is checked against its declared size before a byte is inflated (and
counted while it streams), cell references are bounded by Excel's own grid (columns A to
XFD, rows 1 to 1,048,576), a row or a shared string is bounded by ``max_row_chars``, a
document type declaration (the way to entity bombs) is refused, no XML tree is built
(the parser calls a target that keeps only the row being read), and every corrupt-zip or
XML error becomes a :class:`~codekit.DataError` naming the file.

:func:`write` is the other way: a table to a one-sheet workbook (the pandas front door's
``to_excel``), with the standard library too. A workbook is where an exported cell can
turn into code: a text cell that starts with ``=``, ``+``, ``-`` or ``@`` (a claim id or a
code typed by anyone) is a formula when a writer stores it as one. :func:`write` stores
every text as text (an inline string: a cell that holds no formula) and marks those that
start so with Excel's quote prefix, so that editing the cell keeps it text; characters
XML cannot hold are dropped and a text longer than an Excel cell holds (32,767
characters) is cut, saying so at its end.

>>> import io
>>> buf = io.BytesIO()
>>> write(buf, ["claim_id", "units"], [["=1+2", 1], ["C2", None]])
>>> sheet = zipfile.ZipFile(buf).read("xl/worksheets/sheet1.xml").decode()
>>> "<f>" in sheet, '<c r="A2" t="inlineStr" s="1"><is><t>=1+2</t></is></c>' in sheet
(False, True)
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ._files import (
    DECOMPRESS_ERRORS,
    DEFAULT_LIMITS,
    XML_ENCODING_ERRORS,
    XML_ERRORS,
    FileLimits,
    limit_error,
)
from .errors import DataError, InvalidArgument

__all__ = ["MAX_CELL_CHARS", "MAX_COLUMNS", "MAX_ROWS", "SharedStrings", "iter_rows",
           "write"]

#: Excel's grid: columns A..XFD, rows 1..1,048,576.
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
#: The most characters an Excel cell holds.
MAX_CELL_CHARS = 32_767

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DIGITS = re.compile(r"[0-9]{1,10}")
_CHUNK = 1 << 16

_ROW, _C, _V, _T, _IS, _SI, _RPH = (
    _NS + n for n in ("row", "c", "v", "t", "is", "si", "rPh"))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class _Part:
    """Parse one zip part through ``target``, bounded by its declared size and limits."""

    def __init__(self, z: zipfile.ZipFile, name: str, path: Path, limits: FileLimits) -> None:
        self.path, self.name, self.limits = path, name, limits
        try:
            info = z.getinfo(name)
        except KeyError:
            raise DataError(f"{path}: the workbook has no {name}") from None
        budget, limit = limits.budget(info.compress_size)
        if info.file_size > budget:
            raise limit_error(path, limits, limit, budget, extra=f" in {name}")
        self.budget, self.limit = budget, limit
        try:
            self.stream: IO[bytes] = z.open(info)
        except (*DECOMPRESS_ERRORS, RuntimeError, ValueError) as e:
            raise DataError(f"{path}: cannot open {name}: {e}") from e

    def chunks(self) -> Iterator[bytes]:
        total = 0
        with self.stream:
            while True:
                try:
                    data = self.stream.read(_CHUNK)
                except DECOMPRESS_ERRORS as e:
                    raise DataError(f"{self.path}: corrupt {self.name}: {e}") from e
                if not data:
                    return
                total += len(data)
                if total > self.budget:
                    raise limit_error(self.path, self.limits, self.limit, self.budget,
                                      extra=f" in {self.name}")
                yield data

    def read(self) -> bytes:
        return b"".join(self.chunks())


class SharedStrings:
    """The shared strings of a workbook, stored compactly: blocks of 4,096 strings joined
    into one ``str`` each, with offsets (a workbook of a million tiny strings costs about
    the bytes of their text, not a million Python objects)."""

    BLOCK = 4096

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.starts = array("I")
        self.pending: list[str] = []
        self.offset = 0
        self.count = 0

    def append(self, text: str) -> None:
        self.starts.append(self.offset)
        self.pending.append(text)
        self.offset += len(text)
        self.count += 1
        if self.count % self.BLOCK == 0:
            self.finish()

    def finish(self) -> None:
        if self.pending:
            self.blocks.append("".join(self.pending))
            self.pending, self.offset = [], 0

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> str:
        block = self.blocks[i // self.BLOCK]
        start = self.starts[i]
        end = self.starts[i + 1] if (i + 1) % self.BLOCK and i + 1 < self.count else \
            len(block)
        return block[start:end]


class _Target:
    """What the XML parser calls (no tree is built, so memory does not grow with the part):
    a document type declaration (the way to entity bombs) is refused; text is collected
    only where it is read, at most ``max_row_chars`` of it per row or shared string."""

    def __init__(self, part: _Part) -> None:
        self.part = part
        self.cap = part.limits.max_row_chars
        self.buf: list[str] | None = None  # where character data goes, if anywhere
        self.size = 0
        self.ends = 0  # elements ended so far (one huge tag ends none)
        self.others = 0  # elements that hold no cell or string (formatting, junk)
        self.max_others = part.limits.max_xml_elements

    def _other(self) -> None:
        self.others += 1
        if self.others > self.max_others:
            raise limit_error(self.part.path, self.part.limits, "max_xml_elements",
                              extra=f" in {self.part.name} that hold no cell")

    def _bad(self, what: str) -> DataError:
        return DataError(f"{self.part.path}: {self.part.name}: {what}")

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise self._bad("declares a document type: not a workbook part (refused: it could "
                        "declare entities)")

    def data(self, text: str) -> None:
        buf = self.buf
        if buf is not None:
            self.size += len(text)
            if self.size > self.cap:
                raise limit_error(self.part.path, self.part.limits, "max_row_chars",
                                  extra=f" in {self.part.name}")
            buf.append(text)

    def close(self) -> None:
        return None


class _StringsTarget(_Target):
    def __init__(self, part: _Part) -> None:
        super().__init__(part)
        self.items = SharedStrings()
        self.current: list[str] | None = None
        self.phonetic = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _T:
            if self.current is not None and not self.phonetic:
                self.buf = self.current
        elif tag == _SI:
            self.current, self.size = [], 0
        elif tag == _RPH:
            self.phonetic += 1

    def end(self, tag: str) -> None:
        self.ends += 1
        if tag == _T:
            self.buf = None
        elif tag == _SI:
            if self.current is not None:
                self.items.append("".join(self.current))
            self.current = None
        elif tag == _RPH:
            self.phonetic -= 1
            self._other()
        else:
            self._other()


_COLUMN_OF: dict[str, int] = {}


def _column(letters: str) -> int:
    """The 0-based index of column ``letters`` (``A`` = 0), or -1 past XFD."""
    i = _COLUMN_OF.get(letters)
    if i is None:
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isupper()
                and letters.isalpha()):
            return -1
        i = _col_index(letters)
        if i >= MAX_COLUMNS:
            return -1
        _COLUMN_OF[letters] = i
    return i


class _SheetTarget(_Target):
    def __init__(self, part: _Part, shared: SharedStrings | list[str]) -> None:
        super().__init__(part)
        self.shared = shared
        self.n_shared = len(shared)
        self.done: list[tuple[int, list[str]]] = []
        self.row = 0
        self.rows = 0
        self.cells: list[str] | None = None
        self.col = -1
        self.kind: str | None = None
        self.ref: str | None = None
        self.value: list[str] | None = None
        self.in_is = False
        self.phonetic = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _C:
            if self.cells is None:
                return  # a cell outside a row: not read
            ref = attrib.get("r")
            if ref is None:
                self.col += 1
            else:
                letters = ref.rstrip("0123456789")
                digits = ref[len(letters):]
                self.col = _column(letters)
                if self.col < 0 or not 0 < len(digits) <= 7:
                    raise self._bad(f"row {self.row}: {ref[:40]!r} is not a cell of a sheet "
                                    "(columns A to XFD, rows 1 to 1048576)")
            if self.col >= MAX_COLUMNS:
                raise self._bad(f"row {self.row}: a cell past column XFD, the last column "
                                "of a sheet")
            self.kind, self.ref, self.value = attrib.get("t"), ref, []
        elif tag == _V:
            if not self.in_is:
                self.buf = self.value
        elif tag == _T:
            if self.in_is and not self.phonetic:
                self.buf = self.value
        elif tag == _ROW:
            r = attrib.get("r")
            if r is None:
                n = self.row + 1
            elif _DIGITS.fullmatch(r) is None:
                raise self._bad(f"row number {r[:40]!r} is not a number")
            else:
                n = int(r)
            if not 1 <= n <= MAX_ROWS:
                raise self._bad(f"row number {n} is outside 1..{MAX_ROWS:,}")
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise self._bad(f"more than {MAX_ROWS:,} rows, the most a sheet has")
            self.row, self.cells, self.col, self.size = n, [], -1, 0
        elif tag == _IS:
            self.in_is = True
        elif tag == _RPH:
            self.phonetic += 1

    def end(self, tag: str) -> None:
        self.ends += 1
        if tag in (_V, _T):
            self.buf = None
        elif tag == _C:
            cells, parts = self.cells, self.value
            if cells is None or parts is None:
                return
            value = "".join(parts)
            if self.kind == "s" and value:
                text = value.strip()
                if _DIGITS.fullmatch(text) is None or int(text) >= self.n_shared:
                    raise self._bad(f"cell {self.ref or self.col} points to no shared string "
                                    f"({value[:40]!r}; the workbook has {self.n_shared:,})")
                value = self.shared[int(text)]
                self.size += len(value)
                if self.size > self.cap:
                    raise limit_error(self.part.path, self.part.limits, "max_row_chars",
                                      extra=f" (row {self.row})")
            col = self.col
            if col >= len(cells):
                cells.extend([""] * (col + 1 - len(cells)))
            cells[col] = value
            self.value = None
        elif tag == _ROW:
            if self.cells is not None:
                self.done.append((self.row, self.cells))
            self.cells = None
        elif tag == _IS:
            self.in_is = False
        elif tag == _RPH:
            self.phonetic -= 1
            self._other()
        else:
            self._other()


def _parse(part: _Part, target: _Target) -> Iterator[None]:
    """Feed ``part`` to an XML parser driving ``target``, a chunk at a time (yielding after
    each). A stretch of more than ``max_row_chars`` bytes in which no element ends (one
    huge tag) is refused: the parser would hold all of it."""
    parser = ET.XMLParser(target=target)
    ends, since, cap = -1, 0, part.limits.max_row_chars
    try:
        for data in part.chunks():
            parser.feed(data)
            if target.ends != ends:
                ends, since = target.ends, 0
            else:
                since += len(data)
                if since > cap:
                    raise limit_error(part.path, part.limits, "max_row_chars",
                                      extra=f" in {part.name}")
            yield
        parser.close()
    except ET.ParseError as e:
        raise DataError(f"{part.path}: corrupt {part.name}: {e}") from e
    except XML_ENCODING_ERRORS as e:
        raise DataError(f"{part.path}: {part.name} declares an encoding it cannot be read "
                        f"in: {e}") from None
    yield


def _first_sheet(z: zipfile.ZipFile, path: Path, limits: FileLimits) -> str:
    names = set(z.namelist())
    try:
        wb = ET.fromstring(_Part(z, "xl/workbook.xml", path, limits).read())
        rels = ET.fromstring(_Part(z, "xl/_rels/workbook.xml.rels", path, limits).read())
        sheet = wb.find(f"{_NS}sheets/{_NS}sheet")
        rid = sheet.get(f"{_REL_NS}id") if sheet is not None else None
        for rel in rels:
            if rel.get("Id") == rid:
                target = rel.get("Target", "").lstrip("/")
                name = target if target.startswith("xl/") else "xl/" + target
                if name in names:
                    return name
    except (DataError, *XML_ERRORS):  # no usable sheet list: the first sheet by name
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
    if not sheets:
        raise DataError(f"{path}: no worksheet in the workbook")
    return sheets[0]


def iter_rows(path: str | Path, limits: FileLimits | None = None, *,
              data: bytes | None = None) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` for each row of the first sheet; empty cells are ``""``.
    ``data``: the workbook's bytes, already read (``path`` names it in messages).

    Raises :class:`~codekit.DataError` for a corrupt workbook and
    :class:`~codekit.FileLimitExceeded` past ``limits``."""
    p = Path(path)
    lim = limits or DEFAULT_LIMITS
    try:
        z = zipfile.ZipFile(p if data is None else io.BytesIO(data))
    except (*DECOMPRESS_ERRORS, ValueError) as e:
        raise DataError(f"{p}: not a readable .xlsx workbook: {e}") from e
    with z:
        shared = SharedStrings()
        if "xl/sharedStrings.xml" in z.namelist():
            strings = _StringsTarget(_Part(z, "xl/sharedStrings.xml", p, lim))
            for _ in _parse(strings.part, strings):
                pass
            strings.items.finish()
            shared = strings.items
        # a plain list is faster to index; kept compact only when it is huge
        lookup: SharedStrings | list[str] = shared if len(shared) > 1 << 18 else \
            [shared[i] for i in range(len(shared))]
        sheet = _SheetTarget(_Part(z, _first_sheet(z, p, lim), p, lim), lookup)
        for _ in _parse(sheet.part, sheet):
            if sheet.done:
                yield from sheet.done
                sheet.done.clear()


# -- writing -----------------------------------------------------------------------------------

#: Characters XML 1.0 cannot hold (C0 controls but tab, newline and return; lone
#: surrogates; U+FFFE and U+FFFF): a workbook holding one does not open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: How a text starts that a spreadsheet would read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>')
#: Style 0: plain; style 1: text with Excel's quote prefix (stays text when edited).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="2">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'quotePrefix="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>')


def _letters(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        out = chr(65 + r) + out
    return out


def _xml_text(text: str) -> str:
    text = _NOT_XML.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        tail = f" [cut: {len(text):,} characters]"
        text = text[:MAX_CELL_CHARS - len(tail)] + tail
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value: Any) -> str:
    """One ``<c>`` element: None an empty cell (nothing written), a bool a boolean, a
    finite int or float a number, everything else text (never a formula)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) and abs(value) < 10 ** 15:  # Excel keeps 15 digits
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, float) and math.isfinite(value):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, dt.date | dt.datetime):
        value = value.isoformat()
    text = value if isinstance(value, str) else str(value)
    if not text:
        return ""
    style = ' s="1"' if text.startswith(_FORMULA_START) else ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{_xml_text(text)}</t></is></c>'


def write(file: str | os.PathLike[str] | IO[bytes], header: Sequence[object],
          rows: Iterable[Sequence[Any]], *, sheet: str = "Sheet1") -> None:
    """Write ``header`` and ``rows`` to a one-sheet ``.xlsx`` workbook (a path or a binary
    file object). Cells: None is an empty cell, a bool a boolean, an int or a finite float
    a number (an int of more than 15 digits, a NaN or an infinity as text), a date ISO
    text, anything else its text: an inline string, never a formula, with Excel's quote
    prefix when it starts with ``=``, ``+``, ``-`` or ``@``. More rows or columns than a
    sheet holds, or a sheet name Excel refuses, raise :class:`~codekit.InvalidArgument`.
    """
    if not isinstance(sheet, str) or not 0 < len(sheet) <= 31 or \
            _SHEET_NAME_BAD.search(sheet) or sheet.startswith("'") or sheet.endswith("'"):
        raise InvalidArgument(f"sheet={sheet!r}: a sheet name has 1 to 31 characters, none "
                              "of [ ] : * ? / \\ and no quote at either end")
    width = len(header)
    if width > MAX_COLUMNS:
        raise InvalidArgument(f"{width:,} columns: a sheet holds at most {MAX_COLUMNS:,}")
    refs = [_letters(i) for i in range(width)]
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{_xml_text(sheet)}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>")
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                      b'2006/main"><sheetData>')
            n = 0
            chunk: list[str] = []
            for n, row in enumerate(_with_header(header, rows), 1):
                if n > MAX_ROWS:
                    raise InvalidArgument(f"more than {MAX_ROWS:,} rows (the header "
                                          "included): a sheet holds no more; write the "
                                          "table in parts")
                if len(row) > width:
                    raise InvalidArgument(f"row {n}: {len(row)} cells for {width} columns")
                chunk.append(f'<row r="{n}">' + "".join(
                    _cell(f"{refs[i]}{n}", v) for i, v in enumerate(row)
                    if v is not None) + "</row>")
                if len(chunk) >= 1024:
                    out.write("".join(chunk).encode("utf-8"))
                    chunk.clear()
            out.write("".join(chunk).encode("utf-8"))
            out.write(b"</sheetData></worksheet>")


def _with_header(header: Sequence[object], rows: Iterable[Sequence[Any]]
                 ) -> Iterator[Sequence[Any]]:
    yield [None if h is None else str(h) for h in header]
    yield from rows

"""Reading the first worksheet of an ``.xlsx`` file with the standard library only.

CMS publishes its quarterly HCPCS, NCCI PTP/MUE and add-on files as Excel workbooks. An
``.xlsx`` file is a zip of XML parts; this reader streams the first sheet (shared strings,
inline strings, numbers) without openpyxl. Formulas, styles and dates formatted as Excel
serial numbers come back as the stored text (callers turn serials into dates).

A workbook is untrusted input, so the reader is bounded by :class:`~codekit.FileLimits`:
each part it reads is checked against its declared size before a byte is inflated (and
counted while it streams), cell references are bounded by Excel's own grid (columns A to
XFD, rows 1 to 1,048,576), a row or a shared string is bounded by ``max_row_chars``, a
document type declaration (the way to entity bombs) is refused, and every corrupt-zip or
XML error becomes a :class:`~codekit.DataError` naming the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ._files import DECOMPRESS_ERRORS, DEFAULT_LIMITS, FileLimits, limit_error
from .errors import DataError

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "SharedStrings", "iter_rows"]

#: Excel's grid: columns A..XFD, rows 1..1,048,576.
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_DIGITS = re.compile(r"[0-9]{1,10}")
_CHUNK = 1 << 16

_ROW, _C, _V, _T, _IS, _SI, _RPH, _DATA = (
    _NS + n for n in ("row", "c", "v", "t", "is", "si", "rPh", "sheetData"))


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


_XML_DECL = re.compile(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)")


def _events(part: _Part) -> Iterator[list[Any]]:
    """Parse events of ``part``, streamed, a list per chunk. The part must be UTF-8 with no
    document type declaration (the way to entity bombs); a stretch of more than
    ``max_row_chars`` bytes in which no element ends (one huge tag or text) is refused, as
    the parser would hold all of it."""
    parser: ET.XMLPullParser = ET.XMLPullParser(("start", "end"))
    cap = part.limits.max_row_chars
    since = 0
    tail = b""
    first = True
    try:
        for data in part.chunks():
            if first:
                first = False
                head = data[:200].lstrip(b"\xef\xbb\xbf")
                m = _XML_DECL.match(head)
                if not head.startswith(b"<") or (
                        m is not None and m[1].lower() not in (b"utf-8", b"utf8")):
                    raise DataError(f"{part.path}: {part.name} is not UTF-8 XML")
            if b"<!DOCTYPE" in tail + data[:16] or b"<!DOCTYPE" in data:
                raise DataError(f"{part.path}: {part.name} declares a document type: not a "
                                "workbook part (refused: it could declare entities)")
            tail = data[-16:]
            parser.feed(data)
            got = list(parser.read_events())
            since = 0 if got else since + len(data)
            if since > cap:
                raise limit_error(part.path, part.limits, "max_row_chars",
                                  extra=f" in {part.name}")
            yield got
        parser.close()
        yield list(parser.read_events())
    except ET.ParseError as e:
        raise DataError(f"{part.path}: corrupt {part.name}: {e}") from e


def _text(el: ET.Element) -> str:
    """The text of a shared string or inline string, without phonetic runs."""
    t = el.find(_T)
    if t is not None and len(el) == 1:
        return t.text or ""
    return "".join(t.text or "" for r in el for t in ([r] if r.tag == _T else
                                                        r.iter(_T) if r.tag != _RPH else []))


def _shared_strings(part: _Part) -> SharedStrings:
    out = SharedStrings()
    cap = part.limits.max_row_chars
    parent: ET.Element | None = None
    for events in _events(part):
        for event, el in events:
            if event == "start":
                if parent is None:
                    parent = el
                continue
            if el.tag == _SI:
                text = _text(el)
                if len(text) > cap:
                    raise limit_error(part.path, part.limits, "max_row_chars",
                                      extra=f" in {part.name}")
                out.append(text)
                parent.clear()  # type: ignore[union-attr]
    out.finish()
    return out


def _row_number(el: ET.Element, last: int, path: Path, name: str) -> int:
    r = el.get("r")
    if r is None:
        n = last + 1
    elif _DIGITS.fullmatch(r) is None:
        raise DataError(f"{path}: {name}: row number {r[:40]!r} is not a number")
    else:
        n = int(r)
    if not 1 <= n <= MAX_ROWS:
        raise DataError(f"{path}: {name}: row number {n} is outside 1..{MAX_ROWS:,}")
    return n


def _rows(part: _Part, shared: SharedStrings) -> Iterator[tuple[int, list[str]]]:
    path, name = part.path, part.name
    n_shared = len(shared)
    # a plain list is faster to index; kept compact only when it is huge
    lookup: SharedStrings | list[str] = shared if n_shared > 1 << 18 else \
        [shared[i] for i in range(n_shared)]
    data_el: ET.Element | None = None
    row = 0
    for events in _events(part):
        for event, el in events:
            if event == "start":
                if data_el is None and el.tag == _DATA:
                    data_el = el
                continue
            if el.tag != _ROW:
                continue
            row = _row_number(el, row, path, name)
            yield row, _cells(el, row, part, lookup, n_shared)
            if data_el is not None:
                data_el.clear()
            else:
                el.clear()


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


def _cells(el: ET.Element, row: int, part: _Part, shared: SharedStrings | list[str],
           n_shared: int) -> list[str]:
    cap = part.limits.max_row_chars
    cells: list[str] = []
    col = -1
    size = 0
    for c in el.iter(_C):
        ref = c.get("r")
        if ref is None:
            col += 1
        else:
            letters = ref.rstrip("0123456789")
            digits = ref[len(letters):]
            col = _column(letters)
            if col < 0 or not 0 < len(digits) <= 7:
                raise DataError(f"{part.path}: {part.name}: row {row}: {ref[:40]!r} is not a "
                                "cell of a sheet (columns A to XFD, rows 1 to 1048576)")
        if col >= MAX_COLUMNS:
            raise DataError(f"{part.path}: {part.name}: row {row}: a cell past column XFD, "
                            "the last column of a sheet")
        kind = c.get("t")
        if kind == "inlineStr":
            inline = c.find(_IS)
            value = _text(inline) if inline is not None else ""
        else:
            v = c.find(_V)
            value = v.text or "" if v is not None else ""
            if kind == "s" and value:
                text = value.strip()
                if _DIGITS.fullmatch(text) is None or int(text) >= n_shared:
                    raise DataError(
                        f"{part.path}: {part.name}: cell {ref or col} points to no shared "
                        f"string ({value[:40]!r}; the workbook has {n_shared:,})")
                value = shared[int(text)]
        size += len(value)
        if size > cap:
            raise limit_error(part.path, part.limits, "max_row_chars", extra=f" (row {row})")
        if col >= len(cells):
            cells.extend([""] * (col + 1 - len(cells)))
        cells[col] = value
    return cells


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
    except (DataError, ET.ParseError):
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
    if not sheets:
        raise DataError(f"{path}: no worksheet in the workbook")
    return sheets[0]


def iter_rows(path: str | Path,
              limits: FileLimits | None = None) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` for each row of the first sheet; empty cells are ``""``.

    Raises :class:`~codekit.DataError` for a corrupt workbook and
    :class:`~codekit.FileLimitExceeded` past ``limits``."""
    p = Path(path)
    lim = limits or DEFAULT_LIMITS
    try:
        z = zipfile.ZipFile(p)
    except (*DECOMPRESS_ERRORS, ValueError) as e:
        raise DataError(f"{p}: not a readable .xlsx workbook: {e}") from e
    with z:
        shared = SharedStrings()
        if "xl/sharedStrings.xml" in z.namelist():
            shared = _shared_strings(_Part(z, "xl/sharedStrings.xml", p, lim))
        name = _first_sheet(z, p, lim)
        yield from _rows(_Part(z, name, p, lim), shared)

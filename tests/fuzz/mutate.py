"""Mutation primitives shared by the fuzz targets (no test here).

Every function takes a :class:`random.Random`, so that a run is reproducible from its seed
and the same generators serve the hypothesis tests (which pass a hypothesis-controlled
``Random``) and ``tools/fuzz.py`` (a plain seeded ``Random``, fast).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import gzip
import io
import random
import re
import zipfile
from typing import Any

#: Characters that look like, or are, digits or letters to some part of Python but are
#: not ASCII: superscripts (``isdigit`` is True), fullwidth forms, look-alikes, controls.
ODD_CHARS = ("²", "³", "¹", "٣", "０", "Ａ", "Ｅ", "É", "ß", "ı", "İ", "ſ", "K", "Ω",
             "\u200b", "\ufeff", "\x00", "\x85", "\u2028", "\t", "\r", "\n", " ", "-", ".",
             "*", ",", "~", "^", ":", "|", '"', "'", "\\", "{", "}", "[", "]", "%", "O",
             "I", "l", "0", "1", "X", "x", "9", "Z")

#: Dates of every awkward kind: ``None``, strings, objects, before ICD-10, far future.
DATES: tuple[Any, ...] = (
    None, "2025-06-01", "2025-10-01", "2015-10-01", "2015-09-30", "2014-01-01", "1999-12-31",
    "1900-01-01", "0001-01-01", "9999-12-31", "2099-01-01", "2026-02-30", "2025-13-01",
    "20250601", "06/01/2025", "2025-6-1", "", " ", "yesterday", "2025-06-01T10:00:00",
    "２０２５-０６-０１", "2025-06-01\x00", dt.date(2025, 6, 1), dt.date(1, 1, 1),
    dt.date(9999, 12, 31), dt.date(2010, 1, 1), dt.datetime(2025, 6, 1, 12, 0),
    20250601, 2025, -1, 0, 1.5, float("nan"), True, b"2025-06-01", ["2025-06-01"],
    {"on": "2025-06-01"},
)


def random_date(rng: random.Random) -> Any:
    """A date argument: mostly one of :data:`DATES`, sometimes a random day of any year."""
    r = rng.random()
    if r < 0.6:
        return rng.choice(DATES)
    if r < 0.9:
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 366))
        return day.isoformat() if rng.random() < 0.7 else day
    year = rng.choice((1, 100, 1000, 1899, 1970, 2015, 2100, 3000, 9999))
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def random_text(rng: random.Random, max_len: int = 40) -> str:
    """Random text: ASCII letters and digits, odd characters, or any code point."""
    n = rng.randint(0, max_len)
    r = rng.random()
    if r < 0.4:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.- "
        return "".join(rng.choice(alphabet) for _ in range(n))
    if r < 0.7:
        return "".join(rng.choice(ODD_CHARS) for _ in range(n))
    if r < 0.9:
        return "".join(chr(rng.randint(32, 0x7E)) for _ in range(n))
    return "".join(chr(rng.choice((rng.randint(0, 0x2FF), rng.randint(0x300, 0x10FFFF))))
                   for _ in range(n)).encode("utf-8", "replace").decode("utf-8", "replace")


def mutate_text(rng: random.Random, text: str, rounds: int | None = None) -> str:
    """``text`` with 1-4 random edits (delete, insert, replace, duplicate, case, truncate)."""
    for _ in range(rounds if rounds is not None else rng.randint(1, 4)):
        i = rng.randint(0, len(text))
        op = rng.randrange(9)
        if op == 0:
            text = text[:i] + text[i + rng.randint(1, 8):]
        elif op == 1:
            text = text[:i] + rng.choice(ODD_CHARS) + text[i:]
        elif op == 2:
            text = text[:i] + rng.choice(ODD_CHARS) + text[i + 1:]
        elif op == 3:
            j = min(len(text), i + rng.randint(1, 20))
            text = text[:j] + text[i:j] * rng.randint(1, 3) + text[j:]
        elif op == 4:
            text = text.lower() if rng.random() < 0.5 else text.swapcase()
        elif op == 5:
            text = text[:i]
        elif op == 6:
            text = text[:i] + random_text(rng, 6) + text[i:]
        elif op == 7:
            text = text[:i] + str(rng.choice((0, 9, 99, 10**6, -1, 2**63))) + text[i:]
        else:
            text = text.replace(rng.choice(text or "x"), rng.choice(ODD_CHARS), 1)
    return text


def junk_value(rng: random.Random, depth: int = 0) -> Any:
    """A JSON-ish or Python value of a random type (including ones JSON does not have)."""
    r = rng.randrange(18 if depth < 3 else 13)
    if r == 0:
        return None
    if r == 1:
        return rng.choice((True, False))
    if r == 2:
        return rng.choice((0, 1, -1, 2, 12, 13, 99, 100, 999, 10**9, 2**63, -2**63))
    if r == 3:
        return rng.choice((0.5, -0.0, 1e308, float("inf"), float("-inf"), float("nan")))
    if r == 4:
        return random_text(rng)
    if r == 5:
        return ""
    if r == 6:
        return rng.choice(("M", "F", "U", "medicare", "professional", "institutional",
                           "111", "2025-06-01", "1", "Y"))
    if r == 7:
        return random_date(rng)
    if r == 8:
        return b"\xff\xfe" + random_text(rng, 8).encode("utf-8", "replace")
    if r == 9:
        return rng.choice(("99213", "E11.9", "I10", "25", "0DTJ4ZZ", "G0121", "J1100"))
    if r == 10:
        return "x" * rng.choice((100, 1000, 5000))
    if r == 11:
        return 10 ** rng.choice((20, 400, 4301, 5000))  # past int-to-str's digit limit
    if r == 12:
        return rng.choice(("[" * 2000, "{" * 2000, "1e999999", "-0", "١٢", "0x10", "1_000"))
    if r < 15:
        return [junk_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if r == 15:
        return {random_text(rng, 8): junk_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    if r == 16:
        return nested(rng.randint(10, 3000))
    return rng.choice((dt.date(2025, 6, 1), object(), {1, 2}, (1, 2), complex(1, 2)))


def nested(depth: int) -> Any:
    """A list nested ``depth`` deep."""
    v: Any = []
    for _ in range(depth):
        v = [v]
    return v


def paths_of(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indexes) into a nested dict/list structure."""
    out = [prefix]
    if len(prefix) > 12:  # junk nests thousands deep; mutate near the top
        return out
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += paths_of(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += paths_of(v, (*prefix, i))
    return out


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        obj = obj[p]
    return obj


def mutate_tree(rng: random.Random, obj: Any, rounds: int | None = None) -> Any:
    """A deep copy of a JSON-like ``obj`` with 1-4 random edits at random places: delete a
    key, replace a value with junk, mutate a string, duplicate or drop list items, add an
    unknown key, change a container's type."""
    obj = copy.deepcopy(obj)
    for _ in range(rounds if rounds is not None else rng.randint(1, 4)):
        paths = paths_of(obj)
        path = rng.choice(paths)
        if not path:
            if rng.random() < 0.1:
                return junk_value(rng)
            continue
        parent = _get(obj, path[:-1])
        key = path[-1]
        value = parent[key]
        op = rng.randrange(8)
        if op == 0:
            del parent[key]
        elif op == 1:
            parent[key] = junk_value(rng)
        elif op == 2 and isinstance(value, str):
            parent[key] = mutate_text(rng, value)
        elif op == 3 and isinstance(value, list) and value:
            parent[key] = value * rng.choice((2, 3, 30)) if rng.random() < 0.5 else value[1:]
        elif op == 4 and isinstance(parent, dict):
            parent[random_text(rng, 12)] = junk_value(rng)
        elif op == 5 and isinstance(value, dict):
            parent[key] = list(value.values())
        elif op == 6 and isinstance(value, int | str) and not isinstance(value, bool):
            parent[key] = rng.choice((str(value), [value], None, -1, 0, 10**6))
        else:
            with contextlib.suppress(RecursionError):  # maybe an ancestor
                parent[key] = copy.deepcopy(_get(obj, rng.choice(paths)))
    return obj


# -- bytes and files -------------------------------------------------------------------------


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """``data`` with 1-3 byte-level edits: truncation, bit flips, inserted or deleted or
    duplicated ranges."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        i = rng.randint(0, len(b))
        op = rng.randrange(6)
        if op == 0:
            del b[i:]
        elif op == 1:
            for _ in range(rng.randint(1, 8)):
                if b:
                    j = rng.randrange(len(b))
                    b[j] ^= 1 << rng.randrange(8)
        elif op == 2:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 3:
            del b[i:i + rng.randint(1, 64)]
        elif op == 4:
            j = min(len(b), i + rng.randint(1, 200))
            b[j:j] = b[i:j] * rng.randint(1, 4)
        else:
            b[i:i] = rng.choice((b"\xef\xbb\xbf", b"\r", b"\n" * 50, b"\x00", b"\xff", b"\xc3",
                                 "²".encode(), b",,,,", b"\t\t", b'"', b"*"))
    return bytes(b)


def reencode(rng: random.Random, data: bytes) -> bytes:
    """``data`` read as UTF-8 (or Latin-1) and written in another encoding."""
    text = data.decode("utf-8", "replace") if rng.random() < 0.5 else data.decode("latin-1")
    enc = rng.choice(("utf-16", "utf-16-le", "utf-8-sig", "cp1252", "utf-32", "cp500"))
    return text.encode(enc, "replace")


def gzipped(rng: random.Random, data: bytes) -> bytes:
    """``data`` gzipped, the result sometimes truncated or bit-flipped (a corrupt .gz)."""
    z = gzip.compress(data, mtime=0)
    r = rng.random()
    if r < 0.3:
        return z
    if r < 0.6:
        return z[:rng.randint(0, len(z))]
    return mutate_bytes(rng, z)


def xlsx_bytes(rows: list[list[object]], *, shared: bool = False) -> bytes:
    """A minimal one-sheet workbook: inline strings (or a sharedStrings part) and numbers."""

    def col(i: int) -> str:
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    strings: list[str] = []
    cells = []
    for r, row in enumerate(rows, 1):
        cs = []
        for c, v in enumerate(row):
            ref = f"{col(c)}{r}"
            if isinstance(v, int | float):
                cs.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif v != "" and shared:
                strings.append(str(v))
                cs.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            elif v != "":
                cs.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
        cells.append(f'<row r="{r}">{"".join(cs)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", f'<workbook {ns} {rel_ns}><sheets><sheet name="s" '
                   'sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
                   'Type="x"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<worksheet {ns}><sheetData>{"".join(cells)}</sheetData></worksheet>')
        if shared:
            sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
            z.writestr("xl/sharedStrings.xml", f'<sst {ns}>{sst}</sst>')
    return buf.getvalue()


def xlsx_head(data: bytes, max_bytes: int = 64 * 1024) -> bytes:
    """A slice of a real workbook, still a workbook: the rows of its first sheet within
    the first ``max_bytes / 2`` of the sheet data and within as many from its middle (a
    CMS file's first rows are often all of one kind: HCPCS's are modifiers), and only the
    shared strings those rows use, renumbered; the other parts as they are. Mutating it
    is what a text file's first 64 KiB are to the text loaders: fast, and still the real
    file's shape."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    text = parts[sheet]
    start = text.index(b"<sheetData>") + len(b"<sheetData>")
    stop = text.index(b"</sheetData>")
    half = max_bytes // 2
    cut = text.rindex(b"</row>", start, start + half) + len(b"</row>")
    middle = text.index(b"<row ", max(cut, (start + stop) // 2))
    head = text[:cut] + text[middle : text.rindex(b"</row>", middle, middle + half) + 6]
    parts[sheet] = head + b"</sheetData></worksheet>"
    if "xl/sharedStrings.xml" in parts:  # only the strings the head uses, renumbered
        strings = parts["xl/sharedStrings.xml"]
        items = re.findall(rb"<si>.*?</si>", strings, re.S)
        kept: dict[int, int] = {}

        def renumber(cell: re.Match[bytes]) -> bytes:
            new = kept.setdefault(int(cell[2]), len(kept))
            return cell[1] + str(new).encode() + b"</v>"

        head = re.sub(rb'(<c [^>]*t="s"[^>]*><v>)([0-9]+)</v>', renumber, head)
        parts[sheet] = head + b"</sheetData></worksheet>"
        sst = strings[: strings.index(b"<si>")]
        parts["xl/sharedStrings.xml"] = sst + b"".join(items[i] for i in kept) + b"</sst>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return buf.getvalue()


def mutate_xlsx(rng: random.Random, data: bytes) -> bytes:
    """A workbook with one of its XML parts edited (cell references, row numbers, shared
    string indexes, text) and re-zipped, or the zip bytes themselves damaged."""
    if rng.random() < 0.3:
        return mutate_bytes(rng, data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = rng.choice([n for n in parts if n.endswith("sheet1.xml") or "shared" in n] or
                      list(parts))
    text = parts[name].decode("utf-8")
    r = rng.random()
    if r < 0.25:
        text = text.replace('r="A', f'r="{rng.choice(("ZZZ", "XFD", "AAAA", "", "1"))}', 1)
    elif r < 0.4:
        text = text.replace('<row r="2"', f'<row r="{rng.choice(("abc", "-1", "0", "99"))}"', 1)
    elif r < 0.55:
        text = text.replace("<v>0</v>", f"<v>{rng.choice(('-1', '99', 'x', ''))}</v>", 1)
    else:
        text = mutate_text(rng, text)
    parts[name] = text.encode("utf-8", "replace")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return buf.getvalue()


def mutate_file(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    """A damaged version of the file ``name`` (its name may change, e.g. to ``.gz``)."""
    if name.endswith(".xlsx"):
        return name, mutate_xlsx(rng, data)
    r = rng.random()
    if r < 0.45:
        return name, mutate_bytes(rng, data)
    if r < 0.65:
        text = data.decode("latin-1")
        return name, mutate_text(rng, text).encode("utf-8", "replace")
    if r < 0.75:
        return name, reencode(rng, data)
    if r < 0.9:
        return name + ".gz", gzipped(rng, data)
    return name + ".gz", gzip.compress(mutate_bytes(rng, data), mtime=0)


def anweb_record(hcpc: str, recid: str, long: str, short: str = "", add: str = "",
           acteff: str = "", term: str = "", action: str = "N", seq: str = "00100") -> str:
    """One 320-character record of the CMS ANWEB text file."""
    line = [" "] * 320

    def put(pos: int, text: str, width: int) -> None:
        line[pos:pos + width] = list(text.ljust(width)[:width])

    put(0, hcpc.rjust(5), 5)
    put(5, seq, 5)
    put(10, recid, 1)
    put(11, long, 80)
    put(91, short, 28)
    put(268, add, 8)
    put(276, acteff, 8)
    put(284, term, 8)
    put(292, action, 1)
    return "".join(line)

"""Reading the tabular files users download from CMS: text, CSV, gzip, xlsx.

Every loader reports a malformed row with the file and the line it is on. With
``errors="raise"`` (the default) the first one raises :class:`MalformedFile`; with
``errors="collect"`` the loader keeps going and the table it returns lists them in
``problems``. Rows are never dropped silently.

>>> parse_date("20241231"), parse_date("2024-12-31"), parse_date("*"), parse_date("2024366")
(datetime.date(2024, 12, 31), datetime.date(2024, 12, 31), None, datetime.date(2024, 12, 31))
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gzip
import hashlib
import io
import itertools
import lzma
import os
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import attrs

from .errors import DataError, FileLimitExceeded, InvalidArgument, MalformedFile

C = TypeVar("C")

__all__ = [
    "DEFAULT_LIMITS",
    "XML_ENCODING_ERRORS",
    "XML_ERRORS",
    "FileIdentity",
    "FileLimits",
    "Fingerprint",
    "MalformedFile",
    "Problems",
    "RowProblem",
    "check_errors_arg",
    "check_identity",
    "identify",
    "iter_rows",
    "norm_header",
    "open_rows",
    "open_text",
    "parse_date",
    "parse_xml",
    "read_bytes",
    "reread",
    "rows_after_header",
]

csv.field_size_limit(1 << 24)  # a quoted field is bounded by FileLimits.max_row_chars first


# --------------------------------------------------------------------------------------
# limits


def _positive(_: Any, attribute: attrs.Attribute, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgument(f"FileLimits.{attribute.name}={value!r}: expected a positive "
                              "whole number")


@attrs.frozen
class FileLimits:
    """What a file loader will read before it gives up with :class:`FileLimitExceeded`.

    Every loader of user files (``ncci.load_ptp``, ``load_mue``, ``load_addon``,
    ``hcpcs.load_release``, ``cpt.load_descriptors``, ``procedure.load_quarter``,
    ``procedure.load_mpfs``, ``codekit data add``) takes ``limits=FileLimits(...)``. The
    defaults are generous for every file CMS and the CDC publish (the largest, a whole
    practitioner PTP table as one 160 MB CSV of 2.5 million rows, gzipped 20:1, fits with
    room to spare) and keep a hostile file cheap to reject: a file of 1 MB, whatever it
    holds, is refused within a few seconds and about 100 MB (``docs/procedures.md``).

    >>> FileLimits().max_row_chars
    1048576
    >>> FileLimits(max_bytes=0)
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidArgument: FileLimits.max_bytes=0: expected a positive whole number
    """

    #: Bytes one file may hold once decompressed (a ``.gz`` file, an xlsx part) or as is.
    max_bytes: int = attrs.field(default=1 << 30, validator=_positive)
    #: Decompressed bytes per compressed byte a ``.gz`` file or an xlsx part may expand to
    #: (real CMS and CDC files: 5 to 32 overall, at most 48 over any first megabytes) ...
    max_ratio: int = attrs.field(default=100, validator=_positive)
    #: ... once past this many decompressed bytes (small files are never refused for it).
    ratio_free_bytes: int = attrs.field(default=4 << 20, validator=_positive)
    #: Rows (lines of text, rows of a sheet) one file may hold.
    max_rows: int = attrs.field(default=10_000_000, validator=_positive)
    #: Characters in one row (a line, or a quoted field over several lines; an xlsx row).
    max_row_chars: int = attrs.field(default=1 << 20, validator=_positive)
    #: Blank rows in a row.
    max_blank_rows: int = attrs.field(default=10_000, validator=_positive)
    #: Rows before the header row (copyright notices, titles).
    max_preamble_rows: int = attrs.field(default=10_000, validator=_positive)
    #: Malformed rows ``errors="collect"`` lists before it gives up on the file.
    max_problems: int = attrs.field(default=10_000, validator=_positive)
    #: Elements of an XML file read whole (the ICD-10-CM tabular: about 180,000), and
    #: elements of an xlsx part that are not rows, cells, values or strings (formatting).
    max_xml_elements: int = attrs.field(default=500_000, validator=_positive)
    #: Nesting depth of an XML file (the ICD-10-CM tabular: 10).
    max_xml_depth: int = attrs.field(default=100, validator=_positive)

    def budget(self, compressed: int | None) -> tuple[int, str]:
        """The decompressed bytes allowed for a stream of ``compressed`` bytes (None: not
        compressed) and the limit that sets it."""
        if compressed is None:
            return self.max_bytes, "max_bytes"
        by_ratio = max(self.ratio_free_bytes, self.max_ratio * compressed)
        return (by_ratio, "max_ratio") if by_ratio < self.max_bytes else \
            (self.max_bytes, "max_bytes")


DEFAULT_LIMITS = FileLimits()

_WHAT = {
    "max_bytes": "more than {v:,} bytes{extra}",
    "max_ratio": "expands more than {r}-fold ({v:,} bytes{extra}): a decompression bomb?",
    "max_rows": "more than {v:,} rows",
    "max_row_chars": "a row longer than {v:,} characters{extra}",
    "max_blank_rows": "more than {v:,} blank rows in a row{extra}",
    "max_preamble_rows": "more than {v:,} rows before the header{extra}",
    "max_problems": "more than {v:,} malformed rows",
    "max_xml_elements": "more than {v:,} XML elements",
    "max_xml_depth": "XML nested more than {v:,} deep{extra}",
}


def limit_error(path: str | os.PathLike[str], limits: FileLimits, limit: str,
                value: int | None = None, extra: str = "") -> FileLimitExceeded:
    """The error for ``path`` going past ``limits.<limit>`` (``value``: the number the
    message states, when it is not the limit itself, as for a ratio's byte budget)."""
    v = getattr(limits, limit) if value is None else value
    what = _WHAT[limit].format(v=v, r=limits.max_ratio, extra=extra)
    return FileLimitExceeded(
        f"{path}: {what} (FileLimits.{limit}={getattr(limits, limit):,}; if the file is "
        f"genuine, pass limits=codekit.FileLimits({limit}=...))",
        path=str(path), limit=limit, value=getattr(limits, limit))


#: What the XML parser raises for text it cannot read: malformed XML, and an encoding
#: declaration Python does not know ("UTF-0": LookupError), cannot feed to expat
#: ("shift_jis", "utf-7": ValueError) or that fails to decode ("idna": UnicodeError).
XML_ENCODING_ERRORS = (LookupError, ValueError)
XML_ERRORS = (ET.ParseError, *XML_ENCODING_ERRORS)


def parse_xml(data: bytes | bytearray, limits: FileLimits, source: str, *,
              what: str = "XML") -> ET.Element:
    """The XML tree of ``data`` (a file a user gave: ``source`` names it in errors, ``what``
    says what it should be), refused past ``limits.max_xml_elements`` elements or
    ``limits.max_xml_depth`` levels, counted as it parses, before the tree is complete.
    Whatever the bytes, the only errors are :class:`~codekit.DataError` (and its
    :class:`~codekit.FileLimitExceeded`).

    >>> parse_xml(b"<a><b/></a>", FileLimits(), "t.xml").tag
    'a'
    >>> parse_xml(b'<?xml version="1.0" encoding="UTF-0"?><a/>', FileLimits(), "t.xml")
    Traceback (most recent call last):
    codekit.errors.DataError: t.xml: XML declares an encoding it cannot be read in: ...
    """
    parser: ET.XMLPullParser = ET.XMLPullParser(("start", "end"))
    root: ET.Element | None = None
    depth = elements = 0
    step = 1 << 16
    try:
        for i in range(0, max(len(data), 1), step):
            parser.feed(data[i:i + step])
            for ev in parser.read_events():
                event, el = cast("tuple[str, ET.Element]", ev)
                if event == "end":
                    depth -= 1
                    continue
                if root is None:
                    root = el
                depth += 1
                elements += 1
                if depth > limits.max_xml_depth:
                    raise limit_error(source, limits, "max_xml_depth")
                if elements > limits.max_xml_elements:
                    raise limit_error(source, limits, "max_xml_elements")
        parser.close()
    except ET.ParseError as e:
        raise DataError(f"{source}: {what} does not parse: {e}") from e
    except XML_ENCODING_ERRORS as e:
        raise DataError(f"{source}: {what} declares an encoding it cannot be read in: "
                        f"{e}") from None
    if root is None:
        raise DataError(f"{source}: {what} does not parse: no element")
    return root


#: What a corrupt compressed stream raises from the standard library's readers.
DECOMPRESS_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile,
                     NotImplementedError)


class _Counted(io.RawIOBase):
    """A file read through, counting the bytes read (the compressed side of a stream) and,
    with a :class:`Fingerprint`, hashing them as they are read."""

    def __init__(self, raw: IO[bytes], fingerprint: Fingerprint | None = None) -> None:
        self._raw = raw
        self._fingerprint = fingerprint
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._raw.readinto(b)  # type: ignore[attr-defined]
        self.total += n or 0
        if n and self._fingerprint is not None:
            self._fingerprint.update(memoryview(b)[:n])
        return n or 0

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _Bounded(io.RawIOBase):
    """A binary stream that stops at ``budget`` bytes and turns a corrupt-stream error
    into :class:`DataError` naming the file. With ``compressed`` (the count of compressed
    bytes read so far), the ratio is checked as the stream goes: a bomb is refused after
    ``ratio_free_bytes``, not after its whole byte budget."""

    def __init__(self, raw: Any, path: Path, limits: FileLimits, budget: int,
                 limit: str, compressed: _Counted | None = None, lines: bool = True) -> None:
        self._raw, self._path, self._limits = raw, path, limits
        self._budget, self._limit = budget, limit
        self._compressed = compressed
        self.total = 0
        self.run = 0  # bytes since the last line end
        self._lines = lines  # bound lines by max_row_chars

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        try:
            data = self._raw.read(len(b))
        except DECOMPRESS_ERRORS as e:
            raise DataError(f"{self._path}: corrupt or unreadable file: {e}") from e
        n = len(data)
        self.total += n
        if self.total > self._budget:
            raise limit_error(self._path, self._limits, self._limit, self._budget)
        lim = self._limits
        if self._lines:
            end = max(data.rfind(b"\n"), data.rfind(b"\r"))
            self.run = self.run + n if end < 0 else n - end - 1
            if self.run > lim.max_row_chars:
                raise limit_error(self._path, lim, "max_row_chars")
        if self._compressed is not None and self.total > lim.ratio_free_bytes and \
                self.total > lim.max_ratio * self._compressed.total:
            raise limit_error(self._path, lim, "max_ratio", self.total,
                              extra=f" from the first {self._compressed.total:,}")
        b[:n] = data
        return n

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


@attrs.frozen
class FileIdentity:
    """What identifies the content of a file a user loaded: where it is (the absolute
    path, so that a worker process or a later ``os.chdir`` finds the same file), its size
    and the sha256 of its bytes as stored (:func:`identify`, at load). A loaded file
    pickles with it: what reads it again in another process (a spawned worker of
    ``check_many``) checks that it read the same content (:func:`check_identity`)."""

    #: the absolute path of the file as loaded
    path: str
    #: its size in bytes
    size: int
    #: the hex sha256 of its bytes
    sha256: str

    def record(self) -> dict[str, Any]:
        """What a table loaded from the file says of it in its ``meta["files"]``: the
        file's name, size and sha256, as ``data/PROVENANCE.json`` says them of a source.

        >>> FileIdentity("/tmp/mue_2026q2.csv", 3, "ab").record()
        {'file': 'mue_2026q2.csv', 'bytes': 3, 'sha256': 'ab'}
        """
        return {"file": os.path.basename(self.path), "bytes": self.size,
                "sha256": self.sha256}


def identify(path: Path) -> FileIdentity:
    """The :class:`FileIdentity` of the file at ``path`` (read once, hashed as read)."""
    where = os.path.abspath(path)
    try:
        with open(where, "rb") as f:
            digest = hashlib.file_digest(f, "sha256")
            size = f.tell()
    except OSError as e:
        raise DataError(f"cannot read {path}: {e}") from e
    return FileIdentity(where, size, digest.hexdigest())


class Fingerprint:
    """The sha256 and size of a file's bytes as stored, taken as a loader's read of them
    goes (:func:`open_rows`, :func:`open_text`): the bytes hashed are the bytes parsed, in
    one read (a gzip file's compressed bytes). :meth:`identity` once the read is done."""

    __slots__ = ("_digest", "path", "size")

    def __init__(self, path: Path) -> None:
        self.path = os.path.abspath(path)
        self._digest = hashlib.sha256()
        self.size = 0

    def update(self, data: Any) -> None:
        """Hash ``data``, the next bytes of the file."""
        self._digest.update(data)
        self.size += len(data)

    def identity(self) -> FileIdentity:
        """The :class:`FileIdentity` of the bytes read so far (the whole file, once its
        reader has reached its end)."""
        return FileIdentity(self.path, self.size, self._digest.hexdigest())


def reread(load: Callable[..., Any], source: FileIdentity, options: dict[str, Any]) -> Any:
    """A user file ``load`` read at load time, read again by it from its absolute path
    (``source``) with the ``options`` it was read with (a loaded file's pickle: a spawned
    worker of ``check_many``), checked to be the content loaded: a :class:`DataError`
    naming the file when it changed (:func:`check_identity`)."""
    loaded = load(source.path, **options)
    check_identity(loaded.source, source)
    return loaded


def check_identity(found: FileIdentity, expected: FileIdentity) -> None:
    """Raise :class:`DataError` naming the file and what differs when ``found`` (the file
    read again) is not the content of ``expected`` (as it was loaded)."""
    if (found.size, found.sha256) == (expected.size, expected.sha256):
        return
    raise DataError(
        f"{expected.path}: not the file that was loaded (changed or replaced since): it "
        f"now has {found.size:,} bytes, sha256 {found.sha256}; loaded, it had "
        f"{expected.size:,} bytes, sha256 {expected.sha256}")


@attrs.frozen
class RowProblem:
    """A row that could not be read: where it is, why, and what it said."""

    path: str
    line: int
    reason: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def check_limits_arg(limits: FileLimits | None) -> FileLimits:
    if limits is None:
        return DEFAULT_LIMITS
    if not isinstance(limits, FileLimits):
        raise InvalidArgument(f"limits={limits!r}: expected a codekit.FileLimits")
    return limits


def check_errors_arg(errors: str) -> str:
    if errors not in ("raise", "collect"):
        raise InvalidArgument(f"errors={errors!r}: expected 'raise' or 'collect'")
    return errors


class Problems:
    """Collects (or raises) row problems for one file."""

    def __init__(self, path: str | os.PathLike[str], errors: str = "raise",
                 limits: FileLimits | None = None) -> None:
        self.path = str(path)
        self.errors = check_errors_arg(errors)
        self.limits = check_limits_arg(limits)
        self.items: list[RowProblem] = []
        #: The file's :class:`FileIdentity` once :func:`rows_after_header` has read it.
        self.source: FileIdentity | None = None

    def add(self, line: int, reason: str, cells: Any = "") -> None:
        text = "\t".join(cells) if isinstance(cells, list | tuple) else str(cells)
        problem = RowProblem(self.path, line, reason, text[:200])
        if self.errors == "raise":
            raise MalformedFile(f"{problem} (row: {problem.text!r})", path=self.path,
                                line=line, reason=reason)
        if len(self.items) >= self.limits.max_problems:
            raise limit_error(self.path, self.limits, "max_problems")
        self.items.append(problem)

    def fail(self, reason: str) -> DataError:
        """A whole-file problem (no header found, wrong kind of file)."""
        return DataError(f"{self.path}: {reason}")


# --------------------------------------------------------------------------------------
# dates

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_NONE = frozenset({"", "*", "99991231", "9999-12-31", "12/31/9999", "9999999", "NULL", "NA",
                   "N/A"})
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str) -> dt.date | None:
    """A date from the ways CMS files write them; None for "none" (``*``, blank, 9999...).

    Accepts ``YYYYMMDD``, ``YYYY-MM-DD``, ``M/D/YYYY``, Julian ``YYYYDDD`` (add-on code
    files) and Excel serial numbers. Raises ValueError for anything else.
    """
    try:
        return _parse_date(text)
    except OverflowError:
        raise ValueError(f"not a date: {text!r}") from None


def _parse_date(text: str) -> dt.date | None:
    t = text.strip().strip('"')
    if t.endswith(".0"):
        t = t[:-2]
    if t.upper() in _NONE:
        return None
    if t.isdigit():
        if len(t) == 8:
            return dt.date(int(t[:4]), int(t[4:6]), int(t[6:]))
        if len(t) == 7:
            return dt.date(int(t[:4]), 1, 1) + dt.timedelta(days=int(t[4:]) - 1)
        if len(t) == 5 and 20000 <= int(t) <= 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(t))
        raise ValueError(f"not a date: {text!r}")
    m = _ISO.fullmatch(t[:10]) if len(t) >= 8 else None
    if m is not None and (len(t) == 10 or t[10:11] in (" ", "T")):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _US.fullmatch(t.split(" ")[0]):
        return dt.date(int(m[3]), int(m[1]), int(m[2]))
    raise ValueError(f"not a date: {text!r}")


# --------------------------------------------------------------------------------------
# files


def _open_binary(p: Path, limits: FileLimits, lines: bool = True,
                 fingerprint: Fingerprint | None = None) -> io.BufferedReader:
    """``p`` as a bounded binary stream, decompressed when it is gzip (by its first bytes
    or its ``.gz`` name); ``lines``: a line longer than ``max_row_chars`` is refused;
    ``fingerprint``: hashes the file's bytes as they are read."""
    try:
        size = p.stat().st_size
        f = open(p, "rb")  # noqa: SIM115
        magic = f.read(2)
        f.seek(0)
    except OSError as e:
        raise DataError(f"cannot read {p}: {e}") from e
    if magic == b"\x1f\x8b" or p.suffix.lower() == ".gz":
        counted = _Counted(f, fingerprint)
        gz = gzip.GzipFile(fileobj=io.BufferedReader(counted, 1 << 14), mode="rb")
        budget, limit = limits.budget(size)
        return io.BufferedReader(_Bounded(_Closing(gz, counted), p, limits, budget, limit,
                                          counted, lines), 1 << 16)
    budget, limit = limits.budget(None)
    if size > budget:
        f.close()
        raise limit_error(p, limits, limit)
    raw: Any = f if fingerprint is None else _Counted(f, fingerprint)
    return io.BufferedReader(_Bounded(raw, p, limits, budget, limit, lines=lines), 1 << 16)


class _Closing:
    """A gzip stream that closes the file under it too (GzipFile(fileobj=) does not)."""

    def __init__(self, gz: gzip.GzipFile, under: io.RawIOBase) -> None:
        self._gz, self._under = gz, under

    def read(self, n: int) -> bytes:
        return self._gz.read(n)

    def close(self) -> None:
        self._gz.close()
        self._under.close()


def read_bytes(path: str | os.PathLike[str], limits: FileLimits | None = None,
               fingerprint: Fingerprint | None = None) -> bytearray:
    """The bytes of ``path``, gunzipped when it is gzip, within ``limits`` (bytes and
    ratio; a whole-file read has no line bound: an XML file may be one line);
    ``fingerprint`` hashes the file's bytes as they are read."""
    p = Path(path)
    out = bytearray()  # grown in place: no list of chunks joined into a second copy
    with _open_binary(p, check_limits_arg(limits), lines=False,
                      fingerprint=fingerprint) as f:
        while chunk := f.read(1 << 20):
            out += chunk
    return out


@contextlib.contextmanager
def open_text(path: str | os.PathLike[str], limits: FileLimits | None = None,
              fingerprint: Fingerprint | None = None) -> Iterator[IO[str]]:
    """A text stream over ``path`` (gunzipped when it is gzip), UTF-8 or else Latin-1,
    within ``limits``: past ``max_bytes`` (or the ratio), or a line longer than
    ``max_row_chars`` bytes, reading raises :class:`FileLimitExceeded`. The file is read
    once: its encoding is told from the start of the same read (``fingerprint`` hashes
    the bytes that read gives)."""
    p = Path(path)
    lim = check_limits_arg(limits)
    binary = _open_binary(p, lim, fingerprint=fingerprint)
    try:
        head = binary.peek(1 << 16)[:1 << 16]
    except BaseException:
        binary.close()
        raise
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if e.start < len(head) - 4:
            encoding = "latin-1"
    stream = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
    with stream:
        yield stream


def _is_xlsx(path: Path) -> bool:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04" and path.suffix.lower() not in (".zip", ".gz")
    except OSError:
        return False


def _sniff(sample: str) -> str:
    lines = sample.splitlines()[:400]
    tabs = sum(line.count("\t") for line in lines)
    commas = sum(line.count(",") for line in lines)
    pipes = sum(line.count("|") for line in lines)
    if tabs and tabs >= commas / 4:
        return "\t"
    if pipes > commas:
        return "|"
    return ","


class RowSource:
    """Rows of cells from a file; ``line`` is the line (or sheet row) of the last row read;
    :meth:`identity`, once every row is read, the file's :class:`FileIdentity` (the bytes
    the rows were parsed from, hashed as read)."""

    def __init__(self, rows: Iterator[list[str]], line: Any,
                 fingerprint: Fingerprint | None = None) -> None:
        self._rows = rows
        self._line = line
        self._fingerprint = fingerprint

    def __iter__(self) -> Iterator[list[str]]:
        return self._rows

    @property
    def line(self) -> int:
        return int(self._line())

    def identity(self) -> FileIdentity:
        """The :class:`FileIdentity` of the bytes read (call it after the last row)."""
        assert self._fingerprint is not None
        return self._fingerprint.identity()


def _guarded(rows: Iterable[list[str]], path: Path, limits: FileLimits,
             line: Callable[[], int]) -> Iterator[list[str]]:
    """``rows`` with the row count and runs of blank rows bounded by ``limits``."""
    blank = 0
    max_rows, max_blank = limits.max_rows, limits.max_blank_rows
    for count, cells in enumerate(rows, 1):
        if count > max_rows:
            raise limit_error(path, limits, "max_rows")
        if (cells and cells[0].strip()) or any(c.strip() for c in cells):
            blank = 0
        else:
            blank += 1
            if blank > max_blank:
                raise limit_error(path, limits, "max_blank_rows",
                                  extra=f" (line {line()})")
        yield cells


@contextlib.contextmanager
def open_rows(path: str | os.PathLike[str],
              limits: FileLimits | None = None) -> Iterator[RowSource]:
    """The rows of a delimited text file or of the first sheet of an xlsx workbook, within
    ``limits`` (:class:`FileLimitExceeded` past one of them).

    The delimiter (tab, comma or pipe) is guessed from the start of the file; comma files
    may quote fields (CMS MUE files quote their multi-line copyright notice).
    """
    p = Path(path)
    lim = check_limits_arg(limits)
    if not p.exists():
        raise DataError(f"no such file: {p}")
    fingerprint = Fingerprint(p)
    if _is_xlsx(p):
        from ._xlsx import iter_rows as xlsx_rows

        # a workbook is a zip, read from its end: its bytes are read (and hashed) once
        data = read_bytes(p, lim, fingerprint)
        state = [0]

        def gen() -> Iterator[list[str]]:
            for n, cells in xlsx_rows(p, lim, data=bytes(data)):
                state[0] = n
                yield cells

        yield RowSource(_guarded(gen(), p, lim, lambda: state[0]), lambda: state[0],
                        fingerprint)
        return
    with open_text(p, lim, fingerprint) as f:
        # the delimiter is told from the start of the one read, whole lines of it, which
        # are then read again from memory
        sample = f.read(1 << 16)
        if len(sample) == 1 << 16:
            sample += f.readline()
        delim = _sniff(sample)
        lines = itertools.chain(io.StringIO(sample, newline=""), f)
        if delim == "\t":
            reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        else:
            reader = csv.reader(lines, delimiter=delim)

        def checked() -> Iterator[list[str]]:
            # one loop for speed: rows, blank runs, rows over several lines (a quoted
            # field) no longer than max_row_chars; a line is bounded in the byte stream
            count = blank = last = 0
            max_rows, max_blank, cap = lim.max_rows, lim.max_blank_rows, lim.max_row_chars
            try:
                for cells in reader:
                    count += 1
                    if count > max_rows:
                        raise limit_error(p, lim, "max_rows")
                    if not (cells and cells[0].strip()) and not any(c.strip() for c in cells):
                        blank += 1
                        if blank > max_blank:
                            raise limit_error(p, lim, "max_blank_rows",
                                              extra=f" (line {reader.line_num})")
                    else:
                        blank = 0
                    n = reader.line_num
                    if n - last > 1 and sum(map(len, cells)) > cap:
                        raise limit_error(p, lim, "max_row_chars", extra=f" (line {n})")
                    last = n
                    yield cells
            except csv.Error as e:
                raise DataError(f"{p}:{reader.line_num}: cannot read: {e}") from e

        yield RowSource(checked(), lambda: reader.line_num, fingerprint)


def iter_rows(path: str | os.PathLike[str],
              limits: FileLimits | None = None) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` for each row of a delimited text file or an xlsx sheet."""
    with open_rows(path, limits) as src:
        for cells in src:
            yield src.line, cells


def rows_after_header(
    path: str | os.PathLike[str], find_columns: Callable[[list[str]], C | None],
    probs: Problems, missing: str,
) -> Iterator[tuple[int, list[str], C]]:
    """``(line number, cells, columns)`` for each non-blank row after the first row that
    ``find_columns`` recognises as the header (CMS files open with a copyright notice or
    other preamble). When no row is, ``probs.fail(missing)`` is raised at the end; past
    ``probs.limits.max_preamble_rows`` rows without one, :class:`FileLimitExceeded`. After
    the last row, ``probs.source`` is the file's :class:`FileIdentity`: the bytes the rows
    were parsed from, hashed in the same read."""
    cols: C | None = None
    preamble = 0
    limits = probs.limits
    with open_rows(path, limits) as src:
        for cells in src:
            if not any(c.strip() for c in cells):
                continue
            if cols is None:
                cols = find_columns(cells)
                if cols is None:
                    preamble += 1
                    if preamble > limits.max_preamble_rows:
                        raise limit_error(path, limits, "max_preamble_rows",
                                          extra=f": {missing}")
                continue
            yield src.line, cells, cols
        probs.source = src.identity()
    if cols is None:
        raise probs.fail(missing)


def norm_header(cell: str) -> str:
    """A header cell reduced to lower-case letters and digits: ``"HCPCS/\\nCPT Code"`` →
    ``"hcpcscptcode"``."""
    return re.sub(r"[^a-z0-9]", "", cell.lower())

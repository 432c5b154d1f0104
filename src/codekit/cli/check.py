"""``codekit check``: claims in, reports out -- one claim or millions.

::

    codekit check claim.json                        # one claim, a readable report
    codekit check claims.jsonl --format jsonl       # a stream: one JSON report a line
    codekit check a.json b.jsonl - --processes 2    # several inputs, '-' = standard input

An input is a claim (a JSON object), a JSON list of claims, JSON lines (one claim a
line, NDJSON), claims one after another (pretty-printed or not: ``jq '.[]'`` output), or
FHIR R4 (a Claim, a Bundle of Claims, a list, NDJSON of them or resources one after
another, told apart as claims are: one report per Claim, locations as FHIRPath); other
formats (X12 837) plug into :data:`READERS`. JSON lines and claims one
after another are streamed, told apart by the first two lines (docs/batch.md, "What is
read"). A line or an object that cannot be read is one result (its position and
problems), and the stream goes on: after a damaged object, at the next line that starts
with ``{``. A pipe that stalls has the claims read so far checked and reported. Input is
UTF-8 (a BOM allowed); UTF-16 and UTF-32 are read too; every format may be
gzip-compressed (told by its first bytes).
``--format``: ``text`` (the default), ``json`` (the report of an input that is one claim;
a JSON list for a list or a stream, even of one) or ``jsonl`` (one report a line, each
with its claim id, its position and its findings). A progress line shows on standard
error when it is a terminal and the reports go elsewhere (``--quiet`` hides it and the
summary).

Exit codes: 0 every claim clean; 1 warnings only, or a claim judged outside the data (a
coverage notice: a date codekit's data does not cover); 2 a claim with errors (or
unreadable); 3 usage, input or data error (or a worker process that died, or standard
output that cannot be written: a full disk, or a claim whose check met a bug in codekit:
``CLAIM_CHECK_FAILED``, the other claims checked first); 130 interrupted (Ctrl-C), 143 SIGTERM, 129
SIGHUP -- in all three the reports of the claims checked are written (a JSON list closed:
``[]`` before the first), whether the signal reached the command alone or its whole
process group (its worker processes too). A closed pipe (``| head``) ends the run quietly
with 0.
"""

from __future__ import annotations

import argparse
import codecs
import collections
import contextlib
import io
import json
import os
import re
import select
import signal
import stat
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import IO, Any

import attrs

from .._frozen import maker
from .._json import not_json
from .._progress import Progress
from .._show import json_kind
from ..batch import CHECK_FAILED, check_failed
from ..errors import ClaimFormatError, CodekitError, FhirFormatError, WorkerDied
from ..findings import Report, Severity
from ._checker import add_checker_options, checker_of, checker_usage_problem

__all__ = ["READERS", "Input", "Reader", "add_parser", "read_inputs"]

# -- inputs ---------------------------------------------------------------------------------


@attrs.frozen(weakref_slot=False)
class Input:
    """One claim of an input: where it is (``file:line`` or ``file[index]``) and what it
    holds: a Claim, a claim dict, JSON text, or a ClaimFormatError (unreadable)."""

    where: str
    item: object
    #: What a front door wants echoed in the claim's report (an X12 or FHIR location map).
    meta: Any = None


@attrs.frozen
class Reader:
    """A claim-file format: ``detect(head)`` says from the file's first bytes whether it
    is one; ``read(stream, name)`` yields its claims as :class:`Input`."""

    name: str
    detect: Callable[[bytes], bool]
    read: Callable[[IO[bytes], str], Iterator[Input]]


_BLANK = b"\xef\xbb\xbf \t\r\n"  # what may come before the first character (a UTF-8 BOM)


def _first_char(head: bytes) -> bytes:
    return head.lstrip(_BLANK)[:1]


class _Chunks(io.RawIOBase):
    """A byte stream read from an iterator of byte strings (wrapped in a BufferedReader:
    what the readers are given)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buf = memoryview(chunk)
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _read_some(stream: IO[bytes]) -> bytes:
    """What ``stream`` has now, up to 64 KiB (waiting only when it has nothing): claims
    piped in as they come are checked as they come, not once 64 KiB have arrived."""
    read1 = getattr(stream, "read1", None)
    return bytes(read1(1 << 16) if read1 is not None else stream.read(1 << 16))


def _stream_of(chunks: Iterator[bytes]) -> io.BufferedReader:
    return io.BufferedReader(_Chunks(chunks), 1 << 16)


#: How long a pipe or a terminal may send nothing before the reports of the claims read
#: from it so far are checked and written (and standard output flushed).
_STALL = 0.25

#: How long a run whose worker process died waits for a signal sent to the whole process
#: group, which ended the worker, to reach it too (seconds): the run then ends as the
#: signal asks (143 for SIGTERM), not as a crash.
_GROUP_SIGNAL = 0.2
#: ``json.dumps`` of a str (its default ``ensure_ascii``), without the encoder's machinery
#: around it: a JSONL report's input name, written on every line.
_json_text = json.encoder.encode_basestring_ascii

#: Not an input: the source has stalled (see :data:`_STALL`). ``read_inputs`` never gives
#: it; the command sends it on to the checker (:data:`codekit.batch.FLUSH`).
_PAUSE = Input("", None)


def _waitable(stream: IO[bytes]) -> int | None:
    """The file descriptor of ``stream`` when it is a pipe, a terminal or a socket (reading
    it may wait for the sender), else None (a file, or no descriptor)."""
    if os.name == "nt":  # select() takes sockets only there
        return None
    try:
        fd = stream.fileno()
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
        return None
    return fd if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode) else None


class _Feed:
    """The bytes of one input as they come, what one read gives (up to 64 KiB); for a pipe
    or a terminal, ``None`` once when it has sent nothing for :data:`_STALL` seconds (the
    next read then waits as long as it takes)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.fd = _waitable(stream)
        # whether the next read just waits for what comes: the first gives what the
        # format detection peeked at (in the stream's buffer: the descriptor may have
        # nothing more); after one read of 64 KiB the buffer is empty, and the descriptor
        # says whether a read would wait; after a stall, the next read waits
        self.wait = True
        self.eof = False

    def read(self) -> bytes | None:
        if self.eof:
            return b""
        if not self.wait and self.fd is not None:
            try:
                ready = bool(select.select([self.fd], [], [], _STALL)[0])
            except (OSError, ValueError):  # read as it comes
                ready = True
            if not ready:
                self.wait = True
                return None
        self.wait = self.fd is None
        chunk = _read_some(self.stream)
        self.eof = not chunk
        return chunk


def _whole_value(line: bytes) -> bool:
    """The line is one JSON value, or would be but for its encoding (a Latin-1 byte) or its
    depth (nested too deeply to read): the line is then a result of its own saying so,
    and the next lines are read."""
    try:
        json.loads(line)
    except (UnicodeDecodeError, RecursionError):
        return True
    except ValueError:
        return False
    return True


_NOT_BLANK = re.compile(rb"[^\xef\xbb\xbf \t\r\n]")  # the first character (after a BOM)


def _kind_of_json(buf: bytes | bytearray, eof: bool, whole: dict[int, bool]) -> str | None:
    """How to read JSON input whose first bytes are ``buf`` (``eof``: all of it), from its
    first two non-blank lines: ``"lines"`` (JSON lines: a first line that is one value, or
    a damaged first object followed by a line that is one, starting a line with ``{``),
    ``"list"`` (a JSON list, read whole), ``"objects"`` (values one after another,
    pretty-printed or not: one object, or what ``jq '.[]'`` writes); None when ``buf``
    does not tell yet. At most a claim's worth (:data:`~codekit.batch.MAX_CLAIM_BYTES`)
    of each line is looked at. ``whole`` remembers which lines are whole values."""
    from ..batch import MAX_CLAIM_BYTES

    def is_whole(start: int, end: int) -> bool:
        if start not in whole:
            whole[start] = _whole_value(bytes(buf[start:end]).rstrip())
        return whole[start]

    found = _NOT_BLANK.search(buf)
    if found is None:  # blanks so far (the values reader skips them as they come)
        return "objects" if eof or len(buf) > MAX_CLAIM_BYTES else None
    s1 = found.start()
    list_first = buf[s1:s1 + 1] == b"["
    e1 = buf.find(b"\n", s1)
    if e1 < 0 and not eof and len(buf) - s1 <= MAX_CLAIM_BYTES:
        return None
    if (e1 if e1 >= 0 else len(buf)) - s1 > MAX_CLAIM_BYTES:
        return "list" if list_first else "objects"  # one long line: a list, or a big value
    if e1 < 0:
        e1 = len(buf)
    whole1 = is_whole(s1, e1)
    if list_first and not whole1:
        return "list"  # a JSON list written over several lines
    second = _NOT_BLANK.search(buf, e1)  # a BOM too: files put one after another
    if second is None:
        if not eof and len(buf) - e1 <= MAX_CLAIM_BYTES:
            return None
        return "list" if list_first else "objects"
    s2 = second.start()
    opens = buf[s2:s2 + 1]
    if whole1:
        return "lines" if opens in (b"{", b"[") else "list" if list_first else "objects"
    # a first object that does not parse: JSON lines when the second line is one value
    # starting the line with "{" (in a pretty-printed object, a key comes second)
    if opens != b"{" or buf[e1:s2].rpartition(b"\n")[2].strip(b"\xef\xbb\xbf"):
        return "objects"
    e2 = buf.find(b"\n", s2)
    if e2 < 0 and not eof and len(buf) - s2 <= MAX_CLAIM_BYTES:
        return None
    if e2 < 0:
        e2 = len(buf)
    return "lines" if e2 - s2 <= MAX_CLAIM_BYTES and is_whole(s2, e2) else "objects"


def _look_ahead(feed: _Feed) -> Generator[Input, None, tuple[str, bytes]]:
    """Read ``feed`` until its format is known (:func:`_kind_of_json`): the kind, and the
    bytes read (to be read again). Yields :data:`_PAUSE` when the feed stalls."""
    from ..batch import MAX_CLAIM_BYTES

    buf = bytearray()
    whole: dict[int, bool] = {}
    while True:
        kind = _kind_of_json(buf, feed.eof, whole)
        if kind is not None:
            return kind, bytes(buf)
        while True:  # until a line ends, the input ends, or a line is past the bound
            chunk = feed.read()
            if chunk is None:
                yield _PAUSE
                continue
            buf += chunk
            if not chunk or b"\n" in chunk or len(buf) > 2 * MAX_CLAIM_BYTES or \
                    len(buf) - len(chunk) <= MAX_CLAIM_BYTES < len(buf):
                break


@attrs.frozen
class _LongLine:
    """A line longer than a claim may be, skipped: its length in bytes."""

    size: int


def _lines(feed: _Feed, ahead: bytes, cap: int | None
           ) -> Iterator[bytes | _LongLine | Input]:
    """The lines of ``ahead`` and then of ``feed`` (each with its ``\n``; blank ones too),
    streamed; a line longer than ``cap`` bytes is a :class:`_LongLine`, never held whole;
    :data:`_PAUSE` when the feed stalls."""
    pieces: list[bytes] = []  # the line being read, before its "\n"
    size = 0
    skipping = -1  # the bytes of a long line skipped so far (-1: none)
    chunk: bytes | None = ahead
    while True:
        if chunk and skipping >= 0:  # the rest of a long line
            end = chunk.find(b"\n")
            if end < 0:
                skipping += len(chunk)
                chunk = b""
            else:
                yield _LongLine(skipping + end)
                skipping = -1
                chunk = chunk[end + 1:]
        if chunk:
            if b"\n" not in chunk:
                pieces.append(chunk)
                size += len(chunk)
            else:
                data = b"".join([*pieces, chunk]) if pieces else chunk
                parts = data.split(b"\n")
                rest = parts.pop()
                for part in parts:
                    yield _LongLine(len(part)) if cap is not None and len(part) > cap \
                        else part + b"\n"
                pieces, size = ([rest], len(rest)) if rest else ([], 0)
            if cap is not None and size > cap:
                skipping, pieces, size = size, [], 0
        if feed.eof:
            break
        chunk = feed.read()
        if chunk is None:
            yield _PAUSE
    if skipping >= 0:
        yield _LongLine(skipping)
    elif pieces:
        last = b"".join(pieces)
        yield _LongLine(len(last)) if cap is not None and len(last) > cap else last


#: :class:`Input`'s constructor for every line of a stream (``codekit._frozen``: the same
#: objects, made without attrs' ``object.__setattr__`` a field).
_new_input = maker(Input)


def _json_lines(feed: _Feed, ahead: bytes, name: str) -> Iterator[Input]:
    """JSON lines, streamed (a file of millions of claims is never held whole); a line
    longer than a claim may be (:data:`~codekit.batch.MAX_CLAIM_BYTES`) is a result saying
    so, skipped without being held."""
    from ..batch import MAX_CLAIM_BYTES

    n = 0
    for raw in _lines(feed, ahead, MAX_CLAIM_BYTES):
        if type(raw) is bytes:
            n += 1
            # not blank (bytes.isspace() tests the ASCII whitespace bytes.strip() strips,
            # without copying the line)
            if raw and not raw.isspace():
                yield _new_input(f"{name}:{n}", raw)
        elif raw is _PAUSE:
            yield _PAUSE
        else:
            n += 1
            yield Input(f"{name}:{n}", _too_long(raw.size, "line"))  # type: ignore[union-attr]


def _too_long(size: int, what: str) -> ClaimFormatError:
    from ..batch import MAX_CLAIM_BYTES

    return ClaimFormatError([((), (
        f"the {what} is {size:,} bytes long: codekit reads a claim of at most "
        f"{MAX_CLAIM_BYTES:,} bytes, and did not read this one"))])


def _not_utf8(data: bytes, e: UnicodeDecodeError) -> str:
    line = data.count(b"\n", 0, e.start) + 1
    column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
    return _not_utf8_at(data[e.start], line, column)


def _not_utf8_at(byte: int, line: int, column: int) -> str:
    return (f"not UTF-8 text: byte 0x{byte:02x} at line {line}, column {column} "
            "(codekit reads JSON as UTF-8: save the file as UTF-8, e.g. "
            "iconv -f LATIN1 -t UTF-8)")


def _read_list(data: bytes, name: str) -> Iterator[Input]:
    """A JSON list of claims (read whole), each element an input."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        # never read with the bytes replaced (a claim id 'PCN-\ufffd' is not the one
        # sent): one result naming the byte
        yield Input(name, ClaimFormatError([((), _not_utf8(data, e))]))
        return
    try:
        items = json.loads(text)
    except (ValueError, RecursionError) as e:
        yield Input(name, ClaimFormatError([((), f"not JSON: {not_json(e)}")]))
        return
    for i, item in enumerate(items):
        # an element is a claim (an object): text is not read as JSON text of one
        yield Input(f"{name}[{i}]", item if type(item) is not str else
                    ClaimFormatError([((), "a claim must be an object, got "
                                           f"{json_kind(item)}")]))


_SPACE = re.compile("[ \t\r\n\ufeff]*")  # between values (a BOM too: files put together)
_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as decoded here
_DAMAGED = "; this value is skipped: reading goes on at the next line that starts with '{'"


class _Text:
    """The decoded text of an input as it is read, and where its pieces are in the input:
    ``text[0]`` is at byte ``base``, on line ``line`` (counted up to ``text[counted]``),
    whose first byte is at ``line_start`` when the line began before ``text``."""

    def __init__(self, ahead: bytes, eof: bool) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self.text = self.decoder.decode(ahead, final=eof)
        self.base = self.line_start = 0
        self.line, self.counted = 1, 0

    def add(self, chunk: bytes, keep: int) -> int:
        """Append ``chunk`` (``b""`` at the end), dropping the text before ``keep``;
        ``keep``'s new index."""
        text = self.text
        if keep:
            gone = text[:keep]
            self.line += text.count("\n", self.counted, keep)
            self.counted = 0
            nl = gone.rfind("\n")
            if nl >= 0:
                self.line_start = self.base + _size(gone[:nl + 1])
            self.base += _size(gone)
            text = text[keep:]
        self.text = text + self.decoder.decode(chunk, final=not chunk)
        return 0

    def line_of(self, i: int) -> int:
        """The line of ``text[i]`` (``i`` never before the last asked)."""
        self.line += self.text.count("\n", self.counted, i)
        self.counted = i
        return self.line

    def where(self, i: int) -> tuple[int, int, int]:
        """Line, column (1-based, in bytes) and byte offset of ``text[i]``."""
        text = self.text
        line = self.line + text.count("\n", self.counted, i)
        nl = text.rfind("\n", 0, i)
        offset = self.base + _size(text[:i])
        start = self.base + _size(text[:nl + 1]) if nl >= 0 else self.line_start
        return line, offset - start + 1, offset


def _too_big() -> str:
    from ..batch import MAX_CLAIM_BYTES

    return f"a value longer than {MAX_CLAIM_BYTES:,} bytes, the most codekit reads of a claim,"


def _size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogateescape"))


@attrs.frozen
class _Value:
    """One JSON value of values one after another, as its text, and the line it starts
    on (what :func:`_objects` gives with ``raw=True``: a FHIR resource is parsed again by
    its own reader, which keeps decimals exact and refuses a property named twice); or,
    for a value that cannot be read (damaged, not UTF-8), the ``error`` that says why."""

    line: int
    text: str = ""
    error: ClaimFormatError | None = None


def _objects(feed: _Feed, ahead: bytes, name: str, *, raw: bool = False,
             bounded: bool = True) -> Iterator[Input]:
    """JSON values one after another, pretty-printed or not (``jq '.[]'`` output; one
    object is a file of one claim), streamed: each value an input at its first line. A
    value that does not parse is one result, with its line, column and byte offset; the
    values after it are read from the next line that starts with ``{`` (a damaged value
    never costs the others). A value longer than a claim may be
    (:data:`~codekit.batch.MAX_CLAIM_BYTES`) is one result too, unless not ``bounded``
    (a FHIR Bundle holds thousands of Claims). ``raw``: each value's item is a
    :class:`_Value` (its text and line), whatever JSON value it is, for a reader that
    parses it its own way (FHIR)."""
    from ..batch import MAX_CLAIM_BYTES

    most = MAX_CLAIM_BYTES if bounded else None
    state = _Text(ahead, feed.eof)
    decoder = json.JSONDecoder()
    i = 0
    held: Input | None = None  # the first value: the only one is the file's claim
    given = 0
    while True:
        text = state.text
        end = len(text)
        i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        if i >= end:  # the next value is still to come
            if feed.eof:
                break
            chunk = feed.read()
            if chunk is None:
                yield _PAUSE
            else:
                i = state.add(chunk, i)
            continue
        start = i
        pos = start
        failed: str | None = None
        try:
            value, stop = decoder.raw_decode(text, start)
        except RecursionError:
            failed = "nested too deeply"
        except json.JSONDecodeError as e:
            pos = e.pos
            # final when the input has ended or a line ends after where it failed (no JSON
            # token spans a line end): else the value may go on in what comes next
            if feed.eof or text.find("\n", pos) >= 0:
                failed = e.msg.removesuffix(" at")  # "Invalid control character at"
            elif most is not None and end - start > most:  # said where a line starts "{"
                failed, pos = _too_big(), end if "\n{" in text[start:end] else start
        except ValueError as e:  # a number of more digits than Python reads
            failed = not_json(e)
        else:
            if stop == end and not feed.eof and not isinstance(value, dict | list | str):
                pos = -1  # a number or a literal: it may go on in what comes next
            elif most is not None and stop - start > most // 4 and \
                    _size(text[start:stop]) > most:
                failed, pos = _too_big(), stop if "\n{" in text[start:stop] else start
            else:
                line = state.line_of(start)
                bad = _ESCAPED.search(text, start, stop)
                if bad is not None:  # never read with the bytes replaced
                    at, column, _ = state.where(bad.start())
                    unread = ClaimFormatError([((), _not_utf8_at(
                        ord(text[bad.start()]) - 0xdc00, at, column))])
                    item: object = _Value(line, error=unread) if raw else unread
                elif raw:
                    item = _Value(line, text[start:stop])
                elif type(value) is str:
                    item = ClaimFormatError([((), "a claim must be an object, got "
                                                 f"{json_kind(value)}")])
                else:
                    item = value
                i = stop
                if held is None and not given:
                    held = Input(f"{name}:{line}", item)
                    continue
                if held is not None:
                    yield held
                    held = None
                given += 1
                yield Input(f"{name}:{line}", item)
                continue
        if failed is None:
            # not yet known: read until the value has twice its length, the input stalls
            # (try what has come) or ends; a long value is parsed O(log n) times
            want = 2 * (end - start)
            while not feed.eof:
                chunk = feed.read()
                if chunk is None:
                    yield _PAUSE
                    break
                i = state.add(chunk, start)
                start = 0
                if len(state.text) >= want:
                    break
            continue
        # a damaged value: one result, then on from the next line that starts with "{"
        # (a value read on into such a line, and failing after it, is said to end there:
        # a claim line after a line cut short is read, not taken for part of it)
        line = state.line_of(start)
        frame = text.find("\n{", start, max(pos + 1, start))
        at, column, offset = state.where(frame if frame >= 0 else max(pos, start))
        where = f"at line {at}, column {column} (byte {offset:,} of the input)"
        if frame < 0 and _ESCAPED.match(text, pos) is not None:  # a byte that is not UTF-8
            failed = _not_utf8_at(ord(text[pos]) - 0xdc00, at, column).split(" at line")[0]
        if held is not None:
            yield held
            held = None
        given += 1
        damaged = ClaimFormatError([((), (
            f"not JSON: the value has not ended {where}, where the next line starts with "
            "'{'; this value is skipped: reading goes on there" if frame >= 0 else
            f"not JSON: {failed} {where}{_DAMAGED}"))])
        yield Input(f"{name}:{line}", _Value(line, error=damaged) if raw else damaged)
        look = start
        while True:
            text = state.text
            found = text.find("\n{", look)
            if found >= 0:
                i = found + 1
                break
            if feed.eof:
                i = len(text)
                break
            chunk = feed.read()
            if chunk is None:
                yield _PAUSE
                continue
            # what is skipped is dropped as it comes (a "\n" at the end may start a line)
            look = state.add(chunk, max(len(text) - 1, state.counted))
    if held is not None:
        yield attrs.evolve(held, where=name) if not given else held


def _is_json(head: bytes) -> bool:
    return _first_char(head) in (b"{", b"[")


def _read_any_json(stream: IO[bytes], name: str) -> Iterator[Input]:
    """JSON lines (streamed), values one after another (streamed; one object is a claim
    file), or a JSON list (read whole), told apart by the first two lines."""
    feed = _Feed(stream)
    kind, ahead = yield from _look_ahead(feed)
    if kind == "lines":
        yield from _json_lines(feed, ahead, name)
    elif kind == "objects":
        yield from _objects(feed, ahead, name)
    else:
        yield from _read_list((yield from _rest(feed, ahead)), name)


def _rest(feed: _Feed, ahead: bytes) -> Generator[Input, None, bytes]:
    """All of ``feed`` after ``ahead`` (a JSON list or FHIR document is read whole), a
    pause yielded whenever the stream has nothing yet."""
    rest = [ahead]
    while not feed.eof:
        chunk = feed.read()
        if chunk is None:
            yield _PAUSE
        else:
            rest.append(chunk)
    return b"".join(rest)


def _is_x12(head: bytes) -> bool:
    """An X12 interchange (ISA), or X12 segments without their ISA envelope (GS, ST): the
    X12 reader then says what is missing."""
    from ..x12 import looks_like_x12

    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return looks_like_x12(head) or (text[:3] in (b"GS*", b"ST*"))


def _read_x12(stream: IO[bytes], name: str) -> Iterator[Input]:
    """An X12 837P/837I interchange (detected by its ISA header): one input per claim,
    with the claim's X12 record as ``meta`` (its SNIP 1-4 findings and locations, which
    the claim's report then carries, see ``_results``); an envelope record is an input
    too. A file that is not X12 from its start (an 837 that starts at GS or ST, an ISA
    whose delimiters cannot be read), or from where it breaks (binary junk), ends in one
    envelope record whose error is the ``X12NotReadable`` (``X12_NOT_READABLE``): the
    run goes on with the next input."""
    from ..errors import X12NotReadable
    from ..x12 import Envelope, Location, X12Claim, read_claims

    try:
        for record in read_claims(stream):
            where = f"{name}:{record.location.line}" if record.location.line else name
            if record.claim is not None:
                item: object = record.claim
            else:
                reason = record.error.reason if record.error is not None else "envelope"
                item = ClaimFormatError([((), reason)])
            yield Input(where, item, record)
    except X12NotReadable as e:
        where = f"{name}:{e.line}" if e.line else name
        record = X12Claim(None, Envelope(), Location(line=e.line, offset=e.offset,
                                                     segment=e.segment or None),
                          error=e, kind="envelope")
        yield Input(where, ClaimFormatError([((), e.reason)]), record)
    except CodekitError as e:  # pyx12 not installed
        raise _InputError(str(e)) from None


def _is_fhir(head: bytes) -> bool:
    from ..fhir import looks_like_fhir

    return looks_like_fhir(head.decode("utf-8", "replace"))


_FHIR_VALIDATE: list[bool] = []


def _fhir_validate() -> bool:
    """Validate FHIR input with fhir.resources when it is installed (said once when not)."""
    if not _FHIR_VALIDATE:
        from ..fhir import can_validate

        if can_validate():
            _FHIR_VALIDATE.append(True)
        else:
            print("codekit: fhir.resources is not installed: FHIR input is read without "
                  "model validation (pip install 'codekit[fhir]')", file=sys.stderr)
            _FHIR_VALIDATE.append(False)
    return _FHIR_VALIDATE[0]


def _read_fhir(stream: IO[bytes], name: str) -> Iterator[Input]:
    """FHIR JSON: a Claim, a Bundle of Claims, a JSON list of them, NDJSON, or resources
    one after another (pretty-printed or not: ``jq '.[]'`` output), told apart as JSON
    claims are (:func:`_kind_of_json`): NDJSON and resources one after another are
    streamed, each line or value a record of its own (one that holds no claim, ``null``,
    is one result, and the others are read; a damaged value is one result, and reading
    goes on at the next line that starts with ``{``); one input per Claim, its reader
    findings and FHIRPath map carried in ``meta``."""
    from .. import fhir

    validate = _fhir_validate()
    feed = _Feed(stream)
    kind, ahead = yield from _look_ahead(feed)
    if kind == "lines":  # one resource a line
        yield from _fhir_inputs(fhir.records_ndjson(
            (line for line in _lines(feed, ahead, None) if type(line) is bytes),
            validate=validate), name)
    elif kind == "objects":  # one resource, or several one after another
        for inp in _objects(feed, ahead, name, raw=True, bounded=False):
            value = inp.item
            if not isinstance(value, _Value):  # a pause
                yield inp
            elif value.error is not None:  # a value that cannot be read: at its line
                at = f"line {value.line}"
                yield from _fhir_inputs(iter([fhir.Result(None, error=FhirFormatError(
                    [(at, m) for _, m in value.error.problems]), where=at)]), name)
            elif inp.where == name:  # the input's only resource: read as a file of one
                yield from _fhir_inputs(fhir.records(value.text, validate=validate), name)
            else:
                yield from _fhir_inputs(fhir.records(value.text, validate=validate,
                                                     line=value.line), name)
    else:
        yield from _fhir_inputs(fhir.records((yield from _rest(feed, ahead)),
                                             validate=validate), name)


def _fhir_inputs(records: Iterator[Any], name: str) -> Iterator[Input]:
    """One input per FHIR record (:class:`codekit.fhir.Result`): its claim, or the
    problems that say why it holds none."""
    for r in records:
        where = f"{name}:{r.where}" if r.where else name
        if r.claim is not None:
            yield Input(where, r.claim, meta=r)
        else:
            problems = r.error.problems if r.error is not None else tuple(
                (x, f.message) for f, x in r.issues() if f.severity.value == "error")
            yield Input(where, ClaimFormatError([((x,) if x else (), m) for x, m in problems]),
                        meta=r)


def _text(inp: Input, report: Any) -> str:
    """The text of a report: a claim of FHIR input says where each finding is as the
    OperationOutcome does, in FHIRPath (``Claim.item[1].modifier[0]``; a line of NDJSON
    that holds no claim at ``line 7``), not as a JSON path."""
    fhir = sys.modules.get("codekit.fhir")
    meta = inp.meta
    if fhir is None or not isinstance(meta, fhir.Result) or not isinstance(report, Report):
        return str(report)
    return report.text(lambda f: fhir.expression_of(f.location) or meta.where)


#: The claim-file formats ``codekit check`` knows, tried in order on a file's first bytes.
READERS: list[Reader] = [Reader("FHIR", _is_fhir, _read_fhir),
                         Reader("json", _is_json, _read_any_json),
                         Reader("X12 837", _is_x12, _read_x12)]


def read_inputs(paths: Iterable[str]) -> Iterator[Input]:
    """Every claim of every input, in order (``-`` is standard input)."""
    return (inp for inp in _inputs(paths) if inp is not _PAUSE)


def _inputs(paths: Iterable[str]) -> Iterator[Input]:
    """:func:`read_inputs`, and :data:`_PAUSE` where a pipe or a terminal stalls."""
    for path in paths:
        if path == "-":
            if sys.stdin is None:  # `<&-`
                raise _InputError("standard input ('-') is closed")
            raw = getattr(sys.stdin, "buffer", None)
            stream: IO[bytes] = raw if isinstance(raw, io.BufferedReader) else \
                io.BufferedReader(io.BytesIO(sys.stdin.read().encode("utf-8"))) \
                if raw is None else io.BufferedReader(raw, 1 << 16)
            yield from _read_stream(stream, "<stdin>")
            continue
        try:
            f = open(path, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as e:
            what = "a folder, not a claim file" if isinstance(e, IsADirectoryError) else \
                e.strerror or str(e)
            raise _InputError(f"cannot read {path}: {what}") from None
        with f:
            yield from _read_stream(f, path)


class _InputError(Exception):
    """An input that cannot be opened (a missing file, a folder, standard input closed),
    or what the readers need is missing: the run ends (exit 3)."""


class _Unreadable(_InputError):
    """An input that opens but whose content breaks where no reader can go on (a UTF-16
    file with bytes that are not UTF-16): what was read before it is reported, then one
    unreadable result for the rest, and the run goes on with the next input."""


#: Byte-order marks of the encodings read by transcoding to UTF-8 (what Windows tools
#: such as PowerShell 5 ``>`` write), longest first.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _transcoded(stream: IO[bytes], encoding: str, name: str) -> Iterator[bytes]:
    """``stream`` (UTF-16 or UTF-32 with its BOM) as UTF-8, streamed."""
    decoder = codecs.getincrementaldecoder(encoding)()
    read = 0
    while True:
        chunk = _read_some(stream)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as e:
            raise _Unreadable(f"not {encoding.upper()} text at byte "
                              f"{read + max(e.start, 0):,} ({e.reason}): the input is "
                              "not read from there") from None
        read += len(chunk)
        if text:
            yield text.encode("utf-8")
        if not chunk:
            return


#: The first bytes of gzip-compressed data (RFC 1952), whatever the file is called.
_GZIP = b"\x1f\x8b"


def _gunzipped(stream: IO[bytes]) -> Iterator[bytes]:
    """``stream`` (gzip-compressed: one member, or several one after another as ``cat
    a.gz b.gz`` writes them) decompressed, streamed at most 64 KiB at a time (a small
    file that expands a thousandfold is never held whole). Damaged or cut short, or
    followed by bytes that are no member (trailing garbage), it is :class:`_Unreadable`
    where it breaks: the claims before are read."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    fed = False  # whether the current member has begun (none at the end is fine)
    done = 0  # decompressed bytes given
    pending = b""
    while True:
        if not pending:
            pending = _read_some(stream)
            if not pending:
                if fed and not d.eof:
                    out = d.flush()  # what the last read left inside the decompressor
                    done += len(out)
                    if out:
                        yield out
                if fed and not d.eof:
                    raise _Unreadable(f"the gzip-compressed input ends early, after "
                                      f"{done:,} bytes of it decompressed (a file cut "
                                      "short?): it is not read from there")
                return
        if not fed and not pending.strip(b"\0"):  # zero padding after the last member
            pending = b""
            continue
        if not fed and pending[:2] != _GZIP[:len(pending)]:
            # the data is whole, and what follows it is no member (gzip -d: "trailing
            # garbage ignored"): not "damaged", which zlib's "incorrect header check" said
            raise _Unreadable(f"the gzip-compressed input ends after {done:,} bytes "
                              f"decompressed, and what follows it is not gzip-compressed "
                              f"(trailing bytes {pending[:16]!r}...): it is not read")
        fed = True
        try:
            out = d.decompress(pending, 1 << 16)
        except zlib.error as e:
            raise _Unreadable(f"the gzip-compressed input is damaged after {done:,} bytes "
                              f"of it decompressed ({e}): it is not read from there") from None
        done += len(out)
        if out:
            yield out
        if d.eof:  # the next member, if any
            pending = d.unused_data
            d, fed = zlib.decompressobj(16 + zlib.MAX_WBITS), False
        else:
            pending = d.unconsumed_tail


def _read_stream(stream: IO[bytes], name: str) -> Iterator[Input]:
    """The claims of one input. One that holds none codekit can read -- empty, binary,
    in no claim format, broken in its encoding -- is one unreadable result (its report
    says why: ``CLAIM_FORMAT_INVALID``, or an X12 file's ``X12_NOT_READABLE``), never the
    end of the run: an unreadable file among good ones does not stop the others."""
    try:
        yield from _read_content(stream, name)
    except _Unreadable as e:
        yield Input(name, ClaimFormatError([((), str(e))]))
    except OSError as e:  # it opened, but reading failed (EIO: a failing disk, a stale
        # NFS handle): as for an input that cannot be opened, the run ends (exit 3)
        raise _InputError(f"cannot read {name}: {e.strerror or e}") from None


def _read_content(stream: IO[bytes], name: str) -> Iterator[Input]:
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    if head[:2] == _GZIP:  # claims.jsonl.gz: read as what it holds
        yield from _read_content(_stream_of(_gunzipped(stream)), name)
        return
    encoding = next((e for bom, e in _BOMS if head.startswith(bom)), None)
    if encoding is None and len(head) >= 4:
        # UTF-16 or UTF-32 without a BOM, told by its zero bytes as json.loads tells it
        # (read line by line as UTF-8, each of its lines was a result "not JSON")
        guess = json.detect_encoding(head)
        if guess[:6] in ("utf-16", "utf-32") and \
                head.decode(guess, "ignore").lstrip()[:1] in ("{", "["):
            encoding = guess
    if encoding is not None:
        utf8 = _stream_of(_transcoded(stream, encoding, name))
        head, stream = utf8.peek(4096)[:4096], utf8
    if not head.strip():
        raise _Unreadable("empty input: no claim in it")
    for reader in READERS:
        if reader.detect(head):
            yield from reader.read(stream, name)
            return
    others = "".join(f", {r.name}" for r in READERS if r.name != "json")
    raise _Unreadable(f"not a claim file codekit knows (a JSON claim, a JSON list of "
                      f"claims, JSON lines{others}){_what_json(head)}")


#: Files told by their first bytes that codekit does not read, and what to do instead.
_OTHER_FILES = ((b"PK\x03\x04", "a zip archive: unzip it, and check the files it holds"),
                (b"BZh", "compressed with bzip2: decompress it (bunzip2), or gzip it"),
                (b"\xfd7zXZ\x00", "compressed with xz: decompress it (unxz), or gzip it"),
                (b"\x28\xb5\x2f\xfd", "compressed with zstd: decompress it (unzstd), or "
                                       "gzip it"),
                (b"<", "XML (FHIR XML, or another XML claim format): codekit reads FHIR as "
                       "JSON"))


def _looks_like_table(start: bytes) -> bool:
    """A first line that is a CSV or TSV header: two or more names split by commas, tabs
    or semicolons, text only (``claim_id,procedure_code``)."""
    first = start.split(b"\n", 1)[0].rstrip(b"\r")
    if not first or first[:1] in b"{[" or not first.isascii():
        return False
    if first[:1] == b'"':  # "claim_id","procedure_code", not a JSON string
        try:
            json.loads(first)
            return False
        except ValueError:
            pass
    for sep in (b",", b"\t", b";"):
        names = [n.strip().strip(b'"') for n in first.split(sep)]
        if len(names) > 1 and all(n and n.replace(b"_", b"").replace(b" ", b"").isalnum()
                                  for n in names):
            return True
    return False


def _what_json(head: bytes) -> str:
    """What a file of one JSON value that is not an object or a list holds, or what a
    file codekit does not read is (a zip archive, XML...)."""
    start = head.lstrip(_BLANK)
    if head[257:262] == b"ustar":  # a tar header's magic (POSIX and GNU): claims.tar.gz
        return ": it is a tar archive: extract it (tar -xf), and check the files it holds"
    for magic, what in _OTHER_FILES:
        if (start if magic == b"<" else head).startswith(magic):
            return f": it is {what}"
    if _looks_like_table(start):
        return (": it looks like a table (CSV or tab-separated: a header, then rows): read "
                "it with pandas and check it with codekit.pandas.check_claims (docs/pandas.md)")
    try:
        value = json.loads(head)
    except (ValueError, RecursionError):
        return ""
    return f": it holds {json_kind(value)}, and a claim is a JSON object"


# -- the command ------------------------------------------------------------------------------


def _checker(args: argparse.Namespace) -> Any:
    """The checker of the command's options (:func:`codekit.cli._checker.checker_of`)."""
    return checker_of(args)


def _json_report(report: Any, where: str) -> dict[str, Any]:
    d: dict[str, Any] = {"input": where}
    d.update(report.to_dict())
    return d


def _results(checker: Any, inputs: Iterator[Input], processes: int
             ) -> Generator[tuple[Input, Any], None, None]:
    """(input, report) in input order, on ``processes`` workers; ``(_PAUSE, None)`` where
    the input stalled, after the reports of every claim read before."""
    from ..batch import FLUSH, report_of

    groups = {r.id: r.group for r in checker.rules}

    def finish(inp: Input, report: Any) -> Any:
        # a front door's record makes its own report of the checker's: FHIR puts its
        # reader findings first and every location as a FHIRPath; X12 adds the SNIP 1-4
        # findings and the X12 locations
        meta = inp.meta
        if meta is None:
            return report
        own = getattr(meta, "finish", None)
        if callable(own):
            return own(report)
        return meta.result(report if meta.claim is not None else None, groups)

    if processes == 1:
        for inp in inputs:
            if inp is _PAUSE:
                yield inp, None
                continue
            yield inp, finish(inp, report_of(checker, inp.item))
        return
    waiting: collections.deque[Input] = collections.deque()

    def items() -> Iterator[object]:
        for inp in inputs:
            if inp is _PAUSE:  # the input stalls: the claims read so far, checked now
                yield FLUSH
                continue
            waiting.append(inp)
            yield inp.item

    for report in checker.check_many(items(), processes=processes):
        if report is FLUSH:
            yield _PAUSE, None
            continue
        inp = waiting.popleft()
        yield inp, finish(inp, report)


class _Terminated(BaseException):
    """SIGTERM or SIGHUP reached the command: it ends the run as an interrupt does. A
    ``BaseException``, as ``KeyboardInterrupt``: no ``except Exception`` on its way (a
    reader's, a worker pool's) takes it for an error to recover from."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


#: The signals that end the run cleanly (the reports made are written): a scheduler's or
#: service manager's stop (SIGTERM: ``kill``, ``timeout``, ``docker stop``, systemd), a
#: closed terminal or ssh session (SIGHUP, where the system has it).
_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _on_signals() -> dict[int, Any]:
    """Make SIGTERM and SIGHUP end the run cleanly (the reports made are written, the JSON
    list is closed), once; the previous handlers, to put back. A forked worker process inherits
    the handler: there the signal stays what it was, the end of the process (the worker
    pool's own workers set that when they start; see ``codekit.batch``)."""
    owner = os.getpid()
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        # one signal ends the run cleanly; a second while it ends (the worker processes
        # finish their chunks) is the end of the process, not an interrupt of that end
        _put_back(previous)
        raise _Terminated(signum)

    try:
        for signum in _ENDING:
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread (the command run from a thread): left alone
        pass
    return previous


def _put_back(previous: dict[int, Any]) -> None:
    """The signal handlers of before :func:`_on_signals` (once the run ends: a second
    SIGTERM while the reports are written is the end of the process)."""
    while previous:
        signum, handler = previous.popitem()
        if handler is not None:  # None: a handler not set from Python, left as it is
            signal.signal(signum, handler)


def _cmd_check(args: argparse.Namespace) -> int:
    if args.json and args.format not in (None, "json"):
        print(f"codekit: --json is --format json: it conflicts with --format {args.format}",
              file=sys.stderr)
        return 3
    problem = checker_usage_problem(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 3
    if args.claims.count("-") > 1:  # the second would read nothing: an unreadable claim
        print("codekit: standard input ('-') is given more than once: it can be read once",
              file=sys.stderr)
        return 3
    try:
        checker = _checker(args)
    except OSError as e:
        print(f"codekit: {e}", file=sys.stderr)
        return 3
    fmt = "json" if args.json else args.format or "text"
    out = sys.stdout
    # on a terminal, and not where the reports are shown (a progress line written between
    # them cut them up): for `codekit check big.jsonl > reports.jsonl`
    progress = Progress(not args.quiet and sys.stderr.isatty() and not out.isatty())
    stats: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    first: tuple[Input, Any] | None = None  # held back until we know there is a second
    n = 0

    opened = [False]  # a JSON list has been started
    files = {"<stdin>" if path == "-" else path for path in args.claims}

    def single(inp: Input) -> bool:
        """The only claim, written as a report of its own (not in a list, no header): an
        input that is one claim, not a list or a stream that holds one (the output of a
        batch has the same shape on the day it has one claim)."""
        return fmt != "jsonl" and inp.where in files

    shown = [0]  # reports written

    def show(inp: Input, report: Any, alone: bool) -> None:
        _write(inp, report, alone)
        shown[0] += 1

    def _write(inp: Input, report: Any, alone: bool) -> None:
        if fmt == "jsonl":
            if type(report) is Report:  # its to_json is json.dumps(to_dict()), quicker
                out.write(f'{{"input": {_json_text(inp.where)}, {report.to_json()[1:]}\n')
            else:
                out.write(json.dumps(_json_report(report, inp.where)) + "\n")
        elif fmt == "json" and alone:
            out.write(report.to_json(indent=2) + "\n")
        elif fmt == "json":
            out.write(("," if opened[0] else "[") + "\n"
                      + json.dumps(_json_report(report, inp.where), indent=2))
            opened[0] = True
        else:
            out.write(("" if alone else f"== {inp.where}\n") + _text(inp, report) + "\n")

    def written() -> None:
        """What was checked before the run ended early is written whole (a JSON list
        closed): the end of the run is not the end of the reports already made."""
        progress.done()
        if first is not None:
            show(*first, alone=single(first[0]))
        if fmt == "json" and opened[0]:
            out.write("\n]\n")
        elif fmt == "json" and not shown[0]:  # ended before the first report: still JSON
            out.write("[]\n")

    previous = _on_signals()

    def stopped(e: KeyboardInterrupt | _Terminated) -> int:
        # Ctrl-C, SIGTERM or SIGHUP: the reports of the claims checked are written, the run
        # says where it stopped, and exits as a shell reports a signal (128 + its number);
        # a second signal meanwhile is the end of the process
        _put_back(previous)
        with contextlib.suppress(Exception):  # worker processes end before the message
            results.close()
        written()
        how = e.name if isinstance(e, _Terminated) else "interrupted"
        with contextlib.suppress(OSError):  # SIGHUP: the terminal may be gone
            print(f"codekit: {how}: stopped after {shown[0]:,} claims (their reports are "
                  "written; the claims after them were not checked)", file=sys.stderr)
        return 128 + (e.signum if isinstance(e, _Terminated) else signal.SIGINT)

    results = _results(checker, _inputs(args.claims), args.processes)
    try:
        for inp, report in results:
            if inp is _PAUSE:  # the input stalls: what is written is seen now
                out.flush()
                continue
            n += 1
            _count(report, stats, rules, unread=isinstance(inp.item, ClaimFormatError))
            if first is not None:
                show(*first, alone=False)
                first = None
            elif n == 1 and single(inp):  # one claim, or the first of several?
                first = (inp, report)
                continue
            show(inp, report, alone=False)
            progress.update(n)
    except _InputError as e:
        _put_back(previous)
        written()
        print(f"codekit: {e}", file=sys.stderr)
        return 3
    except (WorkerDied, BrokenProcessPool):
        # a worker process was killed (the out-of-memory killer...): what was checked is
        # written, and the run ends as an error rather than with a traceback; unless a
        # signal sent to the whole process group (kill -TERM -- -PGID, a service manager
        # stopping its control group, a closed terminal) ended the workers: it reached
        # this process too, and its handler runs in the pause (if it has not run yet)
        try:
            time.sleep(_GROUP_SIGNAL)
        except _Terminated as e:
            return stopped(e)
        _put_back(previous)
        written()
        print(f"codekit: a worker process died (killed from outside, or out of memory): "
              f"stopped after {shown[0]:,} claims (their reports are written); run again "
              "with fewer --processes", file=sys.stderr)
        return 3
    except (KeyboardInterrupt, _Terminated) as e:
        return stopped(e)
    finally:
        _put_back(previous)
    progress.done()
    if first is not None:  # a single claim
        show(*first, alone=single(first[0]))
    if fmt == "json" and (opened[0] or not n):
        out.write("\n]\n" if n else "[]\n")
    if n != 1 and not args.quiet:  # none at all is said too (a run over an empty batch)
        _summary(n, stats, rules, sys.stderr if fmt != "text" else out)
    if stats["failed"]:  # the other claims are checked and written: the run is not clean
        print(f"codekit: internal error: {stats['failed']:,} claim(s) could not be checked "
              "(CLAIM_CHECK_FAILED in their reports): a bug in codekit, not in the input; "
              "the other claims were checked. Please report it with the failure id of the "
              "report and the traceback logged above it.", file=sys.stderr)
        return 3
    if stats["errors"] or stats["unreadable"] or stats["envelope_errors"]:
        return 2
    return 1 if stats["warnings"] or stats["outside"] else 0


def _outside_data(report: Any) -> tuple[Any, ...]:
    """The report's coverage notices (:attr:`codekit.Report.outside_data`); an X12 result
    holds its claim's report (None for a claim that could not be read)."""
    if not isinstance(report, Report):  # a FHIR claim's report is one (its items' lines)
        report = getattr(report, "report", None)
        if not isinstance(report, Report):
            return ()
    return report.outside_data


#: (A class attribute of an enum is a slow look-up on every claim with findings.)
_ERROR, _WARNING = Severity.ERROR, Severity.WARNING


def _count(report: Any, stats: Counter[str], rules: Counter[str], unread: bool = False
           ) -> None:
    """Count ``report`` in the summary; ``unread``: its reader made no claim of the input
    (a line that is not JSON, a FHIR record that is no Claim codekit could read, an X12
    claim that could not be read), which is unreadable whatever its findings are called
    (``FHIR_FORMAT_INVALID`` as ``CLAIM_FORMAT_INVALID``)."""
    if type(report) is Report and not report.notices and not unread:
        # most claims (a plain report of a read claim, no notice): what the steps below
        # say of it, in one pass over its findings (none on two claims in three)
        findings = report.findings
        if not findings:
            stats["ok"] += 1
            return
        names = [f.rule for f in findings]
        if "CLAIM_FORMAT_INVALID" in names:
            stats["unreadable"] += 1
        elif CHECK_FAILED in names:
            stats["failed"] += 1
        else:
            key = "ok"
            for f in findings:
                if f.severity is _ERROR:
                    key = "errors"
                    break
                if f.severity is _WARNING:
                    key = "warnings"
            stats[key] += 1
        for name in names:
            rules[name] += 1
        return
    if getattr(report, "kind", "claim") != "claim":  # an X12 envelope record
        stats["envelopes"] += 1
        if report.errors:
            stats["envelope_errors"] += 1
        rules.update(f.rule for f in report.findings)
        return
    outside = _outside_data(report)
    if outside:  # judged where codekit's data does not cover a date: never clean
        stats["outside_any"] += 1
        for code in dict.fromkeys(n.code for n in outside):
            stats["notice " + code] += 1
    if unread or getattr(report, "error", None) is not None or \
            any(f.rule == "CLAIM_FORMAT_INVALID" for f in report.findings):
        stats["unreadable"] += 1
    elif check_failed(report):
        stats["failed"] += 1
    elif report.errors:
        stats["errors"] += 1
    elif report.warnings:
        stats["warnings"] += 1
    elif outside:
        stats["outside"] += 1
    else:
        stats["ok"] += 1
    rules.update(f.rule for f in report.findings)


#: Where the newer data of each coverage notice comes from, as the notices say it:
#: ``codekit data add`` adds ICD-10-CM releases only.
_NEWER_DATA = {
    "ICD10CM_DATE_NOT_COVERED": "ICD-10-CM: codekit data add",
    "ICD10PCS_DATE_NOT_COVERED": "ICD-10-PCS: codekit data add-pcs",
    "PROCEDURE_DATE_NOT_COVERED": "CPT/HCPCS: a CMS quarterly code list or HCPCS file, "
                                  "loaded in Python (codekit.procedure.load_quarter, "
                                  "codekit.hcpcs.load_release)",
    "NCCI_TABLE_PAST_QUARTER": "NCCI: the CMS files of the quarter (--ncci DIR, --ptp, "
                               "--mue)",
    "IOCE_DATE_NOT_COVERED": "I/OCE lists: a codekit release with a later I/OCE quarter",
}


def _summary(n: int, stats: Counter[str], rules: Counter[str], out: IO[str]) -> None:
    n -= stats["envelopes"]
    out.write(f"{n:,} claims: {stats['ok']:,} clean, {stats['outside']:,} judged outside "
              f"the data only, {stats['warnings']:,} with warnings only, "
              f"{stats['errors']:,} with errors, {stats['unreadable']:,} unreadable\n")
    if stats["failed"]:
        out.write(f"could not be checked: {stats['failed']:,} claim(s) (CLAIM_CHECK_FAILED: "
                  "a bug in codekit; not counted above)\n")
    if stats["outside_any"]:
        counted = [(k[7:], c) for k, c in stats.most_common() if k.startswith("notice ")]
        codes = ", ".join(f"{code} {c:,}" for code, c in counted)
        remedies = "; ".join(dict.fromkeys(_NEWER_DATA[code] for code, _ in counted
                                           if code in _NEWER_DATA))
        out.write(f"judged outside the data: {stats['outside_any']:,} claim(s) with a date "
                  f"codekit's data does not cover ({codes}): their answers are "
                  f"extrapolated; add newer data ({remedies}) or review them\n")
    if stats["envelopes"]:
        out.write(f"{stats['envelopes']:,} X12 envelope record(s) (what is wrong outside "
                  f"any claim), {stats['envelope_errors']:,} with errors\n")
    if rules:
        top = ", ".join(f"{r} {c:,}" for r, c in rules.most_common(10))
        out.write(f"findings by rule: {top}\n")


def _processes(text: str) -> int:
    """``--processes``: a whole number >= 0 (more than the CPUs is the CPUs: check_many
    caps it), else a usage error."""
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0 (0 = one per CPU), "
                                         f"got {text[:40]!r}")
    return n


def add_parser(sub: Any) -> None:
    sp = sub.add_parser("check", help="check claims (JSON, JSON lines, FHIR, X12 837) against "
                        "the edits",
                        epilog="exit codes: 0 every claim clean; 1 warnings only, or a claim "
                        "judged outside the data; 2 a claim with an error, or one that "
                        "cannot be read; 3 usage, an input or table that cannot be read, "
                        "or a bug in codekit (docs/cli.md)")
    sp.add_argument("claims", nargs="+", metavar="FILE",
                    help="claim files: a JSON claim, a JSON list, JSON lines, FHIR (a "
                    "Claim, a Bundle, NDJSON), an X12 837P/837I (found by its ISA header), "
                    "each gzipped too (.jsonl.gz); '-' for standard input")
    sp.add_argument("--format", choices=("text", "json", "jsonl"), default=None,
                    help="text (default), json, or jsonl: one JSON report a line")
    sp.add_argument("--json", action="store_true", help="the same as --format json")
    add_checker_options(sp)
    sp.add_argument("--processes", type=_processes, default=1, metavar="N",
                    help="worker processes (0 = one per CPU; never more than the CPUs; "
                    "default 1)")
    sp.add_argument("--quiet", action="store_true", help="no progress line, no summary")
    sp.set_defaults(fn=_cmd_check)


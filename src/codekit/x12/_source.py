"""Opening an X12 source and cutting it into segments, with where each one is.

A source is a path, bytes, a binary stream or a text stream. Bytes are read in chunks and
decoded as Latin-1 (one byte, one character: X12 is a single-byte format, and offsets stay
byte offsets) after a UTF-8 byte-order mark is skipped; UTF-16 (with or without a BOM) is
recognised and decoded, two bytes a character. The ISA header is read by its element
separator, not by fixed columns, so that an ISA that is not 106 characters is still read
(and reported); the delimiters come from it. Memory is bounded: a segment longer than
:data:`MAX_SEGMENT` characters means the input is not X12 text, and reading stops with
:class:`~codekit.errors.X12NotReadable` naming the byte.

>>> src = Source.open(b"ISA*00*          *00*          *ZZ*S              *ZZ*R              "
...                   b"*250101*1200*^*00501*000000001*0*P*:~GS*HC*S*R~")
>>> src.delimiters
Delimiters(element='*', component=':', segment='~', repetition='^')
>>> [(s.text[:3], s.line, s.offset) for s in src.segments()]
[('ISA', 1, 0), ('GS*', 1, 106)]
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator
from typing import IO, Any

import attrs

from .._frozen import maker
from ..errors import InvalidArgument, X12NotReadable

__all__ = ["MAX_SEGMENT", "Delimiters", "IsaProblem", "RawSegment", "Source", "is_x12_text",
           "looks_like_x12"]

CHUNK = 1 << 16
#: The longest segment codekit reads (characters); X12 segments are a few hundred at most.
MAX_SEGMENT = 1 << 20
#: The fixed widths of ISA01..ISA16.
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
ISA_LENGTH = 106
_WHITE = " \t\r\n"


@attrs.frozen
class Delimiters:
    """The separators an interchange declares in its ISA header."""

    element: str
    component: str
    segment: str
    repetition: str | None


@attrs.frozen(weakref_slot=False)
class RawSegment:
    """One segment as written (``text`` without its terminator or the whitespace before
    it), its 1-based ``line`` in the file, the byte ``offset`` of its first character,
    whether whitespace stood before it (``indented``) and whether the file ended before its
    terminator (``unterminated``)."""

    text: str
    line: int
    offset: int
    indented: bool = False
    #: The file ended before this segment's terminator (a truncated file).
    unterminated: bool = False
    #: An ISA segment: the delimiters it declares (they hold until the next ISA) ...
    delimiters: Delimiters | None = None
    #: ... and what is wrong with it that still lets it be read.
    isa_problems: tuple[IsaProblem, ...] = ()
    #: A later ISA whose header cannot be read: why, and where reading goes on ("" for
    #: every other segment). The segment is not given to pyx12.
    broken: str = ""
    #: The segment had no terminator: a line break inside it was followed by a segment ID
    #: of the 837 and the element separator (``HI*``, given here), where the segment it
    #: was read as was cut ("" for every other segment).
    run_on: str = ""


#: RawSegment(...), faster (one per segment)
_new_segment = maker(RawSegment)


@attrs.frozen
class IsaProblem:
    """Something wrong with the ISA header that still lets it be read."""

    element: str
    message: str
    #: "error", or "warning" for what readers commonly accept (4010's ISA11 "U" in 5010).
    severity: str = "error"


#: The segment IDs of the 005010 837P and 837I (pyx12's maps), the 837D's own and the
#: envelope's: a line break inside a segment followed by one of them and the element
#: separator is a missing terminator, not a segment wrapped over lines.
SEGMENT_IDS = frozenset({
    "ISA", "IEA", "GS", "GE", "ST", "SE", "TA1", "BHT", "NM1", "N3", "N4", "REF", "PER",
    "HL", "PRV", "SBR", "PAT", "DMG", "CLM", "DTP", "CL1", "PWK", "CN1", "AMT", "K3", "NTE",
    "CR1", "CR2", "CR3", "CRC", "HI", "HCP", "LX", "SV1", "SV2", "SV3", "SV5", "TOO", "DN1",
    "DN2", "MEA", "LIN", "CTP", "LQ", "FRM", "MOA", "MIA", "OI", "QTY", "PS1", "SVD", "CAS",
    "CUR"})


def _run_on(text: str, ele: str) -> re.Match[str] | None:
    """The first line break (with the whitespace after it) in ``text``, a segment read up
    to its terminator, that a segment ID of :data:`SEGMENT_IDS` and the element separator
    follow: where the terminator of the segment before it is missing (None: the line
    breaks are a segment wrapped over lines).

    >>> _run_on("CL1*1*7*01\\nHI*ABK:K3580", "*").end()
    11
    >>> _run_on("NM1*IL*1*SMITH*AN\\nN*****MI*1EG4", "*") is None
    True
    >>> _run_on("LIN**\\nN4*00052060201", "*") is None  # wrapped after a separator
    True
    """
    for m in _LINE_BREAK.finditer(text):
        if m.start() and text[m.start() - 1] == ele:
            continue  # "LIN**" + break + "N4*...": a wrap after a separator, not a run-on
        j = m.end()
        i = text.find(ele, j, j + 4)
        if i > j and text[j:i] in SEGMENT_IDS:
            return m
    return None


def _run_on_said(head: str, rest: str, ele: str) -> str:
    """:attr:`RawSegment.run_on` of ``head``, cut from the segment ``rest`` starts: the
    segment ID ``rest`` starts with and the element separator (``HI*``); "" when ``head``
    is no segment (a line of text among the segments: pyx12 says it is none, and no
    terminator is said missing after it)."""
    return rest[:rest.find(ele) + 1] if _segment_start(head, ele) else ""


def _segment_start(text: str, ele: str) -> bool:
    """Whether ``text`` starts like a segment: 2-3 letters or digits (a letter first),
    then the element separator."""
    i = text.find(ele)
    return 2 <= i <= 3 and text[0].isalpha() and text[:i].isalnum() and text[:i].isupper()


def looks_like_x12(head: bytes | str) -> bool:
    """Whether the first bytes of a file are an X12 interchange: ``ISA`` and a separator
    (after whitespace or a byte-order mark), in one of the encodings codekit reads.

    >>> looks_like_x12(b"ISA*00*"), looks_like_x12(b'{"claim_type": 1}')
    (True, False)
    >>> looks_like_x12(b"\\xff\\xfeI\\x00S\\x00A\\x00*\\x00")
    True
    """
    if isinstance(head, str):
        text = head.lstrip("\ufeff" + _WHITE)
    else:
        _, codec, skip = _sniff(head)
        try:
            text = codecs.decode(head[skip:skip + 64], codec, "ignore").lstrip(_WHITE)
        except LookupError:  # pragma: no cover - every codec named is built in
            return False
    return text.startswith("ISA") and len(text) > 3 and not text[3].isalnum() and \
        not text[3].isspace()


def is_x12_text(text: str) -> bool:
    """Whether a ``str`` is X12 content rather than a path: it starts (after whitespace
    or a byte-order mark) with an ISA header -- ``ISA``, its element separator, the two
    characters of ISA01 and the separator again -- and is no file that exists.

    >>> is_x12_text("ISA*00*          *00*   ..."), is_x12_text("claims/ISA*00*.837")
    (True, False)
    >>> is_x12_text("ISA-claims.837")
    False
    """
    head = text[:256]
    head = (head[1:] if head.startswith("\ufeff") else head).lstrip(_WHITE)
    if not (looks_like_x12(head) and len(head) > 6 and head[6] == head[3]):
        return False
    return len(text) > 4096 or not os.path.exists(text)


#: How much of a path a message quotes (characters).
_PATH_SHOWN = 80


def _path_shown(name: str | bytes) -> str:
    """A path as a message quotes it: a long one (text passed where a path goes) by its
    start and length, line breaks escaped.

    >>> _path_shown("GS*HC*S*R~ST*837*0001~" * 1000)
    "'GS*HC*S*R~ST*837*0001~GS*HC*S*R~ST*837*0'... (22,000 characters)"
    >>> _path_shown("claims.837")
    'claims.837'
    """
    text = os.fsdecode(name)
    if len(text) <= _PATH_SHOWN and text.isprintable():
        return text
    return f"{text[:_PATH_SHOWN // 2]!r}... ({len(text):,} characters)" \
        if len(text) > _PATH_SHOWN else repr(text)


#: Text that starts like a segment (``GS*``, ``ST|``), not like a path.
_SEGMENT_LIKE = re.compile(r"\s*[A-Z][A-Z0-9]{1,2}[^A-Za-z0-9\s./\\_-]")


def _not_a_path(name: str | bytes) -> str:
    """What to say of a path that looks like content (long, or several lines)."""
    text = os.fsdecode(name)
    if len(text) <= 1024 and "\n" not in text and not _SEGMENT_LIKE.match(text):
        return ""
    return (" (this is text, not a path: X12 content is passed as bytes, a stream, or a "
            "str that starts with the ISA header)")


def _sniff(head: bytes) -> tuple[str, str, int]:
    """(encoding name shown to users, codec, bytes to skip) from the first bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return "UTF-8 with a byte-order mark", "latin-1", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "UTF-16LE", "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "UTF-16BE", "utf-16-be", 2
    stripped = head.lstrip(b" \t\r\n")
    if stripped[:6] == b"I\x00S\x00A\x00":
        return "UTF-16LE", "utf-16-le", 0
    if stripped[:6] == b"\x00I\x00S\x00A":
        return "UTF-16BE", "utf-16-be", 0
    return "", "latin-1", 0


class _IsaUnreadable(ValueError):
    """The delimiters of an ISA cannot be read (the reason)."""


def read_isa(text: str) -> tuple[Delimiters, tuple[IsaProblem, ...], list[str]]:
    """The delimiters, the problems and the elements (ISA01..ISA16) of the ISA segment
    ``text`` starts with (it runs at least to the terminator after ISA16); raises
    ``_IsaUnreadable`` when the delimiters cannot be read.

    >>> d, problems, elements = read_isa("ISA*00*          *00*          *ZZ*S              "
    ...                                  "*ZZ*R              *250101*1200*U*00501*000000001"
    ...                                  "*0*P*:~")
    >>> d.repetition, [(p.element, p.severity) for p in problems]
    (None, [('ISA11', 'warning')])
    """
    if len(text) < 4:
        raise _IsaUnreadable("the ISA segment is cut off")
    ele = text[3]
    if ele.isalnum() or ele in _WHITE:
        raise _IsaUnreadable(f"ISA is followed by {ele!r}, which cannot be the element "
                             "separator")
    # ISA01..ISA16: 16 separators; ISA16 is one character, the terminator follows it.
    pos = 3
    for _ in range(15):
        nxt = text.find(ele, pos + 1)
        if nxt < 0 or nxt - pos > 64:
            raise _IsaUnreadable(f"the ISA segment does not have 16 elements separated "
                                 f"by {ele!r}: the delimiters cannot be read")
        pos = nxt
    if pos + 2 >= len(text):
        raise _IsaUnreadable("the ISA segment is cut off after ISA16")
    component = text[pos + 1]
    segment = text[pos + 2]
    elements = [*text[4:pos].split(ele), component]
    widths = [len(e) for e in elements]
    problems: list[IsaProblem] = []
    bad = [i for i, (w, want) in enumerate(zip(widths, ISA_WIDTHS, strict=True))
           if w != want]
    if bad:
        what = ", ".join(f"ISA{i + 1:02d} is {widths[i]} characters (must be "
                         f"{ISA_WIDTHS[i]})" for i in bad[:4])
        problems.append(IsaProblem(f"ISA{bad[0] + 1:02d}",
                                   f"the ISA segment must be {ISA_LENGTH} characters with "
                                   f"fixed-width elements: {what}; readers that take the "
                                   "delimiters from fixed columns will misread it"))
    repetition = elements[10] if elements[11] == "00501" else None
    if segment.isalnum() or segment == " ":
        raise _IsaUnreadable(f"the segment terminator after ISA16 is {segment!r}: the "
                             "delimiters cannot be read")
    seps = [("element", ele), ("component", component), ("segment", segment)]
    if repetition is not None and (repetition.isalnum() or repetition in _WHITE):
        # 4010's ISA11 "U" (the standards identifier) left in a 5010 header
        problems.append(IsaProblem(
            "ISA11", f"ISA11 is {repetition!r}, a letter, digit or space: in a 00501 "
            "interchange ISA11 is the repetition separator (4010's standards identifier "
            "\"U\" is not used); read as no repetition separator", "warning"))
        repetition = None
    if repetition is not None:
        seps.append(("repetition", repetition))
    seen: dict[str, str] = {}
    for what, ch in seps:
        if ch in seen:
            if {what, seen[ch]} == {"component", "repetition"}:
                problems.append(IsaProblem(
                    "ISA16", f"ISA16 (component separator {ch!r}) is also ISA11, the "
                    "repetition separator: the two must differ"))
                repetition = None
                continue
            raise _IsaUnreadable(f"the {what} separator {ch!r} is also the {seen[ch]} "
                                 "separator: the delimiters cannot be told apart")
        seen[ch] = what
    if component.isalnum() or component == " ":
        problems.append(IsaProblem("ISA16", f"the component separator {component!r} is "
                                   "a letter, digit or space"))
    return Delimiters(ele, component, segment, repetition), tuple(problems), elements


class Source:
    """An open X12 source: its name, its encoding, the ISA's delimiters and problems, and
    an iterator over its segments (:meth:`segments`, once)."""

    def __init__(self, stream: IO[Any], name: str, *, close: bool) -> None:
        self.name = name
        self._stream = stream
        self._close = close
        self._text = not isinstance(stream.read(0), bytes)
        #: How the bytes were decoded, when they were not plain ASCII/Latin-1 ("" else).
        self.encoding = ""
        self._width = 1  # bytes per character
        self._base = 0  # bytes skipped before the first character (a BOM)
        self._decoder: Any = None
        self._buffer = ""
        self._pos = 0  # characters consumed before self._buffer
        self._line = 1  # the line self._buffer starts on
        self.delimiters: Delimiters
        self.isa_problems: list[IsaProblem] = []
        self._start()

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, source: object) -> Source:
        """Open a path (``str`` or ``os.PathLike``), X12 text (a ``str`` that starts with
        an ISA header), ``bytes``, or a readable binary or text stream; raises
        :class:`~codekit.errors.X12NotReadable` for what is not X12."""
        if isinstance(source, str) and is_x12_text(source):
            return cls(io.StringIO(source), "<text>", close=True)
        if isinstance(source, str | os.PathLike):
            name = os.fspath(source)
            try:
                stream: IO[Any] = open(name, "rb")  # noqa: SIM115 - closed by close()
            except (OSError, ValueError) as e:
                reason = getattr(e, "strerror", None) or e
                raise X12NotReadable(f"cannot open the file: {reason}{_not_a_path(name)}",
                                     source=_path_shown(name)) from None
            try:
                return cls(stream, str(name), close=True)
            except BaseException:
                stream.close()
                raise
        if isinstance(source, bytes | bytearray | memoryview):
            return cls(io.BytesIO(bytes(source)), "<bytes>", close=True)
        if hasattr(source, "read"):
            return cls(source, str(getattr(source, "name", "<stream>")), close=False)  # type: ignore[arg-type]
        raise InvalidArgument(f"an X12 source is a path, bytes or a readable stream, got "
                              f"{type(source).__name__}")

    def close(self) -> None:
        if self._close:
            self._stream.close()

    def _read(self) -> str:
        """The next piece of text ("" at the end)."""
        try:
            data = self._stream.read(CHUNK)
        except (OSError, ValueError) as e:
            raise X12NotReadable(f"cannot read: {e}", source=self.name,
                                 offset=self.byte_offset(self._pos + len(self._buffer))) \
                from None
        if self._text:
            if not isinstance(data, str):
                raise X12NotReadable("the stream mixes text and bytes", source=self.name)
            return data
        if not data:
            return self._decoder.decode(b"", final=True) if self._decoder else ""
        return self._decoder.decode(data)

    def _start(self) -> None:
        if self._text:
            first = self._stream.read(CHUNK)
            if first.startswith("\ufeff"):
                first = first[1:]
            self._buffer = first
        else:
            head = self._stream.read(CHUNK)
            if not isinstance(head, bytes | bytearray):
                raise X12NotReadable("the stream returned neither text nor bytes",
                                     source=self.name)
            self.encoding, codec, skip = _sniff(bytes(head))
            self._base = skip
            self._width = 2 if codec.startswith("utf-16") else 1
            self._decoder = codecs.getincrementaldecoder(codec)("replace")
            self._buffer = self._decoder.decode(bytes(head[skip:]))
        # Lines end with LF (or CRLF); a file with CR alone counts CRs.
        self._nl = "\r" if "\r" in self._buffer and "\n" not in self._buffer else "\n"
        # leading whitespace (blank lines) before the ISA
        lead = len(self._buffer) - len(self._buffer.lstrip(_WHITE))
        while lead == len(self._buffer):
            self._consume(lead)
            more = self._read()
            if not more:
                break
            self._buffer += more
            lead = len(self._buffer) - len(self._buffer.lstrip(_WHITE))
        self._consume(lead)
        while len(self._buffer) < 512:
            more = self._read()
            if not more:
                break
            self._buffer += more
        self._isa()

    def _consume(self, n: int) -> None:
        piece = self._buffer[:n]
        self._line += piece.count(self._nl)
        self._pos += n
        self._buffer = self._buffer[n:]

    def byte_offset(self, char_pos: int) -> int:
        """The byte offset of a character position (0-based) of the decoded text."""
        return self._base + char_pos * self._width

    def _fail(self, reason: str, segment: str = "") -> X12NotReadable:
        return X12NotReadable(reason, source=self.name, line=self._line,
                              offset=self.byte_offset(self._pos), segment=segment)

    def _isa(self) -> None:
        text = self._buffer
        if not text.startswith("ISA"):
            shown = text[:20]
            if not shown:
                raise self._fail("the input is empty: an 837 interchange starts with an ISA "
                                 "segment")
            seg = shown.split("*", 1)[0][:3] if shown[:3].isalpha() else ""
            if any(not (c.isprintable() or c in _WHITE) for c in shown):
                what = f"binary data ({shown[:8].encode('latin-1', 'replace')!r})"
            else:
                what = repr(shown)
            raise self._fail(f"not an X12 interchange: it starts with {what}; an 837 starts "
                             "with the ISA segment that declares its delimiters", seg)
        try:
            self.delimiters, problems, self.isa_elements = read_isa(text)
        except _IsaUnreadable as e:
            raise self._fail(str(e), "ISA") from None
        self.isa_problems = list(problems)

    # -- segments ------------------------------------------------------------------------

    def _check_terminator(self, text: str, line: int, char_pos: int) -> None:
        """A "segment" whose lines start with segment IDs: the segments end with line
        breaks, not with the terminator the ISA declares."""
        ele = self.delimiters.element
        lines = text.replace("\r", "\n").split("\n")
        looks = sum(1 for ln in lines[1:] if _segment_start(ln.lstrip(), ele))
        if looks >= 2:
            self._line, self._pos = line, char_pos
            raise self._fail(
                f"the ISA declares {self.delimiters.segment!r} as the segment terminator "
                f"(the character after ISA16), but {looks} lines from here start with a "
                "segment ID and end with no terminator: the file ends its segments with "
                "line breaks, or its ISA is wrong", lines[0][:3])

    def segments(self) -> Iterator[RawSegment]:
        """Every segment, in order, with its line and byte offset. Each ISA segment
        carries the delimiters it declares and its problems: an interchange after an IEA
        may use other delimiters than the one before it."""
        term = self.delimiters.segment
        buffer = self._buffer
        pos = self._pos  # character position of buffer[0]
        line = self._line
        byte = self.byte_offset
        white = _WHITE
        newline_term = term == "\n"
        nl = self._nl
        new = _new_segment
        # the first ISA was read by _start; a later one is read when a segment starts with
        # "ISA": the segment was cut with the old terminator, so it is cut again with the
        # terminator its own header declares (the check costs nothing on other segments)
        isa: tuple[Delimiters, tuple[IsaProblem, ...]] | None = (
            self.delimiters, tuple(self.isa_problems))
        # a later ISA whose header cannot be read: its character position, why, and where
        # it ends when that is before the next terminator (not read again as more comes)
        bad_at, bad_why = -1, ""
        broken = ""  # the segment cut now is such an ISA: why
        while True:
            start = 0
            while True:
                end = buffer.find(term, start)
                if end < 0:
                    if isa is None:
                        # an ISA with none of the old terminators after it in what is read
                        lead = len(buffer) - start - len(buffer[start:].lstrip(white))
                        at_isa = start + lead
                        if buffer.startswith("ISA", at_isa) and len(buffer) > at_isa + 3 \
                                and not buffer[at_isa + 3].isalnum() and \
                                pos + at_isa != bad_at:
                            buffer, pos, start, got = self._isa_here(buffer, pos, start, lead)
                            if isinstance(got, _BrokenIsa):
                                if got.cut < 0:  # it runs to a terminator not read yet
                                    bad_at, bad_why = pos + start + lead, got.why
                                    break
                                seg, line = self._broken(buffer, pos, start, lead, got, line)
                                yield seg
                                start = got.cut
                                continue
                            isa = got
                            term, newline_term = isa[0].segment, isa[0].segment == "\n"
                            continue
                    break
                raw = buffer[start:end]
                text = raw.lstrip(white)
                lead = len(raw) - len(text)
                is_isa = text[:3] == "ISA"
                if is_isa and isa is None and not buffer[start + lead + 3].isalnum():
                    if pos + start + lead == bad_at:
                        broken = bad_why
                    else:
                        # a later interchange (after an IEA or not), which may declare other
                        # delimiters: read its header, then cut its first segment again
                        buffer, pos, start, got = self._isa_here(buffer, pos, start, lead)
                        if not isinstance(got, _BrokenIsa):
                            isa = got
                            term, newline_term = isa[0].segment, isa[0].segment == "\n"
                            continue
                        if got.cut >= 0:  # a well-formed ISA or a segment cuts it short
                            seg, line = self._broken(buffer, pos, start, lead, got, line)
                            yield seg
                            start = got.cut
                            continue
                        # it runs to the terminator in force (the buffer may have moved)
                        broken = got.why
                        end = buffer.find(term, start)
                        raw = buffer[start:end]
                if lead:
                    skipped = raw[:lead]
                    line += skipped.count(nl)
                    indented = bool(skipped.strip("\r\n"))
                else:
                    indented = False
                if text:
                    at = byte(pos + start + lead)
                    if broken:
                        # a later ISA that cannot be read: one segment, to the terminator
                        # in force, given to no one but the record that says so
                        text = raw[lead:]
                        line_after = line + text.count(nl)
                        yield RawSegment(text.replace("\r", "").replace("\n", ""), line, at,
                                         indented, broken=broken)
                        broken = ""
                        line = line_after
                        if newline_term:
                            line += 1
                        start = end + 1
                        continue
                    if not newline_term and ("\n" in text or "\r" in text):
                        # a segment wrapped over several lines (80-column files) -- or
                        # lines that are segments: the ISA declares the wrong terminator
                        self._check_terminator(text, line, pos + start + lead)
                        cut = None if is_isa else _run_on(text, self.delimiters.element)
                        if cut is not None:
                            # a line that starts with a segment ID of the 837: the segment
                            # before it lacks its terminator; what follows the line break
                            # is read as any segment is (a later ISA as an ISA)
                            head = text[:cut.start()]
                            yield new(head.replace("\r", "").replace("\n", ""), line, at,
                                      indented, run_on=_run_on_said(head, text[cut.end():],
                                                                    self.delimiters.element))
                            line += head.count(nl)
                            start += lead + cut.start()
                            continue
                        line_after = line + text.count(nl)
                        text = text.replace("\r", "").replace("\n", "")
                        is_isa = text[:3] == "ISA"
                    else:
                        line_after = line
                    if is_isa and isa is not None:
                        yield new(text, line, at, indented, delimiters=isa[0],
                                  isa_problems=isa[1])
                        isa = None
                    else:
                        yield new(text, line, at, indented)
                    line = line_after
                if newline_term:
                    line += 1
                start = end + 1
            rest = buffer[start:]
            pos += start
            more = self._read()
            if not more:
                # what follows the last terminator: nothing, whitespace, an end-of-file
                # mark (^Z) or NULs -- or a last segment the file cut off
                tail = rest.strip().strip("\x00\x1a")
                if tail:
                    lead = len(rest) - len(rest.lstrip(white))
                    line += rest[:lead].count(nl)
                    text = rest[lead:].rstrip().rstrip("\x00\x1a")
                    broken = bad_why if pos + lead == bad_at else ""
                    indented = bool(rest[:lead].strip("\r\n"))
                    if ("\n" in text or "\r" in text) and not broken:
                        self._check_terminator(text.replace("\r", ""), line, pos + lead)
                        cut = _run_on(text, self.delimiters.element) \
                            if text[:3] != "ISA" else None
                        if cut is not None:  # as above, in the last segment
                            head, brk, text = \
                                text[:cut.start()], cut.group(), text[cut.end():]
                            yield RawSegment(
                                head.replace("\r", "").replace("\n", ""), line,
                                byte(pos + lead), indented,
                                run_on=_run_on_said(head, text, self.delimiters.element))
                            line += head.count(nl) + brk.count(nl)
                            lead += cut.end()
                            indented = bool(brk.strip("\r\n"))
                    text = text.replace("\r", "")
                    yield RawSegment(text.replace("\n", ""), line, byte(pos + lead),
                                     indented, unterminated=True, broken=broken)
                return
            if len(rest) > MAX_SEGMENT:
                lead = len(rest) - len(rest.lstrip(white))
                self._line, self._pos = line + rest[:lead].count(nl), pos + lead
                raise self._fail(f"no segment terminator {term!r} in {MAX_SEGMENT:,} "
                                 "characters: this is not X12 text (or the ISA declares the "
                                 "wrong terminator)", self._segment_id(rest[lead:lead + 8]))
            buffer = rest + more

    def _isa_here(self, buffer: str, pos: int, start: int, lead: int
                  ) -> tuple[str, int, int, tuple[Delimiters, tuple[IsaProblem, ...]] |
                             _BrokenIsa]:
        """Read the header of the ISA that starts ``lead`` characters (of whitespace) after
        ``start``, reading more text when it needs it: the buffer, the position of its first
        character and ``start`` in it (moved when more was read), and the ISA's delimiters
        and problems -- or, when the header cannot be read, a :class:`_BrokenIsa` saying
        why and where reading goes on."""
        if len(buffer) - start < lead + 1024:
            buffer, pos, start = buffer[start:], pos + start, 0
            while len(buffer) < lead + 1024:
                more = self._read()
                if not more:
                    break
                buffer += more
        at = start + lead
        window = buffer[at:at + 1024]
        got = self._next_isa(window)
        if not isinstance(got, str):
            return buffer, pos, start, got
        cut, where = self._after_broken_isa(window)
        d = self.delimiters
        why = f"this ISA cannot be read: {got}; it is skipped, and reading goes on {where}"
        if cut < 0 or not where.endswith("ISA after it"):
            why += (f", with the delimiters in force ({d.element!r}, {d.component!r}, "
                    f"{d.segment!r})")
        return buffer, pos, start, _BrokenIsa(why, at + cut if cut >= 0 else -1)

    def _broken(self, buffer: str, pos: int, start: int, lead: int, got: _BrokenIsa,
                line: int) -> tuple[RawSegment, int]:
        """The segment of a later ISA that cannot be read, from ``start + lead`` to where
        ``got`` says reading goes on; and the line that starts on."""
        at = start + lead
        skipped = buffer[start:at]
        line += skipped.count(self._nl)
        piece = buffer[at:got.cut]
        text = piece.rstrip(_WHITE).replace("\r", "").replace("\n", "")
        seg = RawSegment(text, line, self.byte_offset(pos + at),
                         bool(skipped.strip("\r\n")), broken=got.why)
        return seg, line + piece.count(self._nl)

    def _after_broken_isa(self, text: str) -> tuple[int, str]:
        """Where reading goes on after a later ISA (``text`` starts with it) that cannot be
        read, before the next segment terminator in force: at a well-formed ISA, or at a
        segment of the delimiters in force that starts a line; (-1, ...) when neither comes
        first: after that terminator. The index and the words that say it."""
        d = self.delimiters
        end = text.find(d.segment, 3)
        limit = len(text) if end < 0 else end
        isa_at = -1
        i = text.find("ISA", 3)
        # an ISA far into the text (more than 512 characters) is not looked at: its
        # header might not be all there
        while 0 <= i < min(limit, 512):
            if isinstance(self._next_isa(text[i:], check=True), tuple):
                isa_at = i
                break
            i = text.find("ISA", i + 1)
        for m in _LINE_BREAK.finditer(text, 3, isa_at if isa_at >= 0 else limit):
            j = m.end()
            if _segment_start(text[j:j + 8], d.element):
                if text.startswith("ISA", j) and j == isa_at:
                    break
                seg_id = text[j:j + 4].split(d.element, 1)[0]
                return j, f"at the next segment ({seg_id}), on the next line"
        if isa_at >= 0:
            return isa_at, "at the well-formed ISA after it"
        return -1, (f"after the next segment terminator ({d.segment!r})" if end >= 0 else
                    f"after the next segment terminator ({d.segment!r}) or the end of the "
                    "file")

    def _segment_id(self, text: str) -> str:
        """The segment ID ``text`` starts with ("" when it does not start like a
        segment)."""
        ele = self.delimiters.element
        return text.split(ele, 1)[0] if _segment_start(text, ele) else ""

    def _next_isa(self, text: str, check: bool = False
                  ) -> tuple[Delimiters, tuple[IsaProblem, ...]] | str:
        """Read an ISA after the first (``text`` starts with it): it declares the
        delimiters from here on. Why it cannot be, when it cannot (``check``: only
        whether it can, the delimiters in force kept)."""
        try:
            d, problems, elements = read_isa(text)
        except _IsaUnreadable as e:
            reason = str(e)
            elements = []
        else:
            reason = ""
        if text[3:4] == self.delimiters.segment and \
                [len(e) for e in elements] != list(ISA_WIDTHS):
            # "ISA" and the terminator in force: a stray ISA segment, unless what follows
            # is a whole ISA of its fixed widths that separates its elements so
            return ("'ISA' is followed by the segment terminator in force, and what follows "
                    "is not an ISA header of its fixed widths: a stray or cut-off ISA")
        if reason:
            return reason
        # ISA, 16 separators and 16 elements: where the header ends
        end = 3 + sum(len(e) + 1 for e in elements)
        inner = _INNER_ISA.search(text, 3, end)
        if inner is not None:
            return (f"another ISA begins inside its header ({inner.end() - 4} characters "
                    "in): it is cut off")
        if [len(e) for e in elements] != list(ISA_WIDTHS):
            # not the fixed widths: a cut ISA and the segments after it can read as one,
            # with a "terminator" from the middle of a segment; a header is trusted when a
            # segment of its delimiters follows it (GS)
            after = text[end + 1:].lstrip(_WHITE)
            if after and not _segment_start(after[:8], d.element):
                return (f"its elements are not of the ISA's fixed widths, and what follows "
                        f"the terminator it would declare ({d.segment!r}) is no segment")
        if not check:
            self.delimiters, self.isa_problems, self.isa_elements = \
                d, list(problems), elements
        return d, problems


@attrs.frozen
class _BrokenIsa:
    """A later ISA whose header cannot be read: why (the finding's message), and where
    reading goes on: a character index of the buffer before the next terminator in force
    (a well-formed ISA, a segment starting a line), or -1: after that terminator."""

    why: str
    cut: int


#: A line break and the whitespace after it.
_LINE_BREAK = re.compile(r"[\r\n][ \t\r\n]*")
#: An ISA that begins after whitespace (inside another ISA's header: that one is cut off).
_INNER_ISA = re.compile(r"\sISA[^A-Za-z0-9\s]")

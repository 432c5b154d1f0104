"""One pass of pyx12 over the segments: where each segment belongs, and what is wrong.

For every segment of the source, :class:`Engine` does what pyx12's own validator
(``x12valid``) does -- its reader's envelope bookkeeping (ISA/GS/ST counts, HL and LX
sequences), the map walk that finds the segment's loop in the implementation guide, and the
segment's element checks -- and hands the segment on with its loop and its problems,
instead of collecting them into pyx12's error tree. The claim mapper
(:mod:`codekit.x12._mapper`) reads the same stream: the file is walked once.

pyx12 picks a guide by GS08; codekit picks it per transaction from ST03 (GS08 when ST03 is
missing), since that is the guide the transaction declares, and reads 837P errata and 837I
versions pyx12 has no map of with the nearest map it has, saying so. A transaction that is
not an 837P or 837I of 5010 is passed through unvalidated and marked unsupported. An
exception raised inside pyx12 becomes a problem on the segment, never a traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import attrs

from .. import _cache
from ..errors import ExtraNotInstalled
from ._source import RawSegment, Source

__all__ = ["GUIDES", "Engine", "Event", "Problem", "Transaction", "guide_for"]

#: The guides codekit reads: claim type, the map pyx12 validates with, and the versions
#: that map is the guide of (others of the same family are read with it, with a warning).
GUIDES = {
    "005010X222": ("professional", "005010X222A1", ("005010X222A1",)),
    "005010X223": ("institutional", "005010X223A2", ("005010X223A1", "005010X223A2")),
}


def _pyx12() -> Any:
    try:
        import pyx12.map_if
        import pyx12.map_index
        import pyx12.map_walker
        import pyx12.params
        import pyx12.segment
        import pyx12.x12file
    except ImportError:  # pragma: no cover - the x12 extra is part of the test install
        raise ExtraNotInstalled("codekit.x12 reads 837 files with pyx12, which is not "
                                "installed: pip install 'codekit[x12]'", extra="x12",
                                package="pyx12") from None
    logging.getLogger("pyx12").addHandler(logging.NullHandler())
    return pyx12


#: Loaded pyx12 maps by file name (a handful: the control maps and the two 837 guides).
_MAPS: dict[str, Any] = _cache.owned("x12.maps", {}, tables=True)


def _map(name: str) -> Any:
    found = _MAPS.get(name)
    if found is None:
        px = _pyx12()
        if name == "maps.xml":
            found = px.map_index.map_index()
        else:
            found = px.map_if.load_map_file(name, px.params.ParamsBase())
        _MAPS[name] = found
    return found


def guide_for(transaction_set: str, version: str) -> tuple[str, str, bool] | str:
    """``(claim type, the version whose map validates it, whether that is the version
    itself)`` for a transaction codekit reads, else the reason it does not.

    >>> guide_for("837", "005010X222A1")
    ('professional', '005010X222A1', True)
    >>> guide_for("837", "005010X223A3")
    ('institutional', '005010X223A2', False)
    >>> guide_for("837", "004010X098A1")
    '004010X098A1 is a 4010 guide: codekit reads 5010 837P (005010X222A1) and 837I (005010X223A2)'
    """
    if transaction_set != "837":
        return (f"transaction set {transaction_set or '(none)'} is not a claim (837): "
                "codekit reads 837P and 837I")
    v = version.strip()
    family = GUIDES.get(v[:10])
    if family is not None:
        claim_type, vriic, native = family
        return claim_type, vriic, v in native
    if v.startswith("004010"):
        return (f"{v} is a 4010 guide: codekit reads 5010 837P (005010X222A1) and 837I "
                "(005010X223A2)")
    if v.startswith("005010X224"):
        return (f"{v} is the 837 dental guide: codekit reads 837P (005010X222A1) and 837I "
                "(005010X223A2)")
    return (f"{v or '(no version)'} is not an 837 guide codekit reads: 837P (005010X222A1) "
            "and 837I (005010X223A2)")


@attrs.frozen
class Problem:
    """Something pyx12 (or the reading) found wrong with a segment: the finding ID,
    severity, message, the element (``CLM05-1``), the value, and the loop it is about."""

    rule: str
    severity: str
    message: str
    element: str = ""
    value: str | None = None
    loop: str | None = None
    #: The segment the problem is about when it is not the one it was found at (a missing
    #: segment).
    segment: str | None = None
    #: The codes it is about, and the fix (the value to send instead), when there is one.
    codes: tuple[str, ...] = ()
    fix: tuple[str, ...] = ()


@attrs.frozen
class Transaction:
    """The transaction a segment is in: control numbers, version, claim type, and why it
    is not read (``unsupported``, "" when it is)."""

    interchange: str | None
    group: str | None
    control: str | None
    version: str
    claim_type: str | None
    guide: str | None
    unsupported: str = ""
    #: Line and byte offset of the segment that says the version (ST or GS).
    line: int = 0
    offset: int = 0


@attrs.frozen
class Event:
    """One segment: as written, split into elements, with its place (loop, its ordinal
    in the transaction) and its problems."""

    raw: RawSegment
    elements: list[str] = attrs.field(eq=False)
    loop: str | None
    ordinal: int | None
    problems: list[Problem] = attrs.field(eq=False)
    transaction: Transaction | None

    @property
    def id(self) -> str:
        seg_id = self.elements[0]
        # text with no element separator is no segment ID: its first characters stand
        # for it, marked as cut (pyx12 says the identifier is invalid)
        return seg_id if len(seg_id) <= 8 else f"{seg_id[:8]}..."


# pyx12 error codes -> (finding ID, severity)
_ISA = ("X12_INTERCHANGE_INVALID", "error")
_GS = ("X12_GROUP_INVALID", "error")
_ST = ("X12_TRANSACTION_INVALID", "error")
_SEG = {
    "1": ("X12_SEGMENT_UNEXPECTED", "error"),
    "2": ("X12_SEGMENT_NOT_USED", "error"),
    "3": ("X12_SEGMENT_MISSING", "error"),
    "4": ("X12_LOOP_REPEAT_EXCEEDED", "error"),
    "5": ("X12_SEGMENT_REPEAT_EXCEEDED", "error"),
    "6": ("X12_SEGMENT_UNEXPECTED", "error"),
    "7": ("X12_SEGMENT_UNEXPECTED", "error"),
    "8": ("X12_SEGMENT_SYNTAX", "error"),
    "HL1": ("X12_HL_INVALID", "error"),
    "HL2": ("X12_HL_INVALID", "error"),
    "LX": ("X12_LX_SEQUENCE", "error"),
    "SEG1": ("X12_SEGMENT_TRAILING_SEPARATOR", "warning"),
}
_ELE = {
    "1": ("X12_ELEMENT_MISSING", "error"),
    "2": ("X12_ELEMENT_CONDITIONAL", "error"),
    "3": ("X12_ELEMENT_TOO_MANY", "error"),
    "4": ("X12_ELEMENT_LENGTH", "error"),
    "5": ("X12_ELEMENT_LENGTH", "error"),
    "6": ("X12_ELEMENT_CHARACTER", "error"),
    "7": ("X12_ELEMENT_CODE_INVALID", "error"),
    "8": ("X12_ELEMENT_DATE_INVALID", "error"),
    "9": ("X12_ELEMENT_DATE_INVALID", "error"),
    "10": ("X12_ELEMENT_NOT_USED", "error"),
    "12": ("X12_ELEMENT_TOO_MANY", "error"),
}
#: The element a reader error is about.
_READER_ELEMENT = {"HL1": "HL01", "HL2": "HL02", "LX": "LX01"}
#: The loop of a segment the map walk did not find.
_NOT_FOUND = "?"
_STARTED_AT = re.compile(r"\s*Started at (/\S*)")
_NOT_USED_COMPOSITE = re.compile(r"Composite .* is marked as Not Used")


def _where(path: str) -> str:
    parts = [p for p in path.split("/") if p and not p.endswith("_LOOP") and p != "DETAIL"]
    return "/".join(parts[-2:]) or path


def _tidy(message: str) -> str:
    """pyx12's messages without its internal map paths."""
    return _STARTED_AT.sub(lambda m: f" (after {_where(m.group(1))})", message).strip()


def _code_in_list(node: Any, value: str | None) -> str | None:
    """The code of the element's code list that ``value``, which pyx12 found in none, stands
    for: written in lower case or with spaces around it (a POA indicator ``y``: ``Y``;
    X12 code lists are upper case and case-sensitive), else None."""
    if not value:
        return None
    fixed = value.strip().upper()
    codes = getattr(node, "valid_codes", None)
    if fixed == value or not fixed or not codes or fixed not in codes:
        return None
    return fixed


def _ref(seg_id: str, node: Any) -> str:
    """``HI01-2`` for an element node of a map."""
    try:
        parent = node.parent
        if parent is not None and parent.is_composite():
            return f"{seg_id}{parent.seq:02d}-{node.seq}"
        return f"{seg_id}{node.seq:02d}"
    except Exception:  # pragma: no cover - a map node without positions
        return ""


def _refdes(seg_id: str, refdes: object) -> str:
    """pyx12's ``HI01-02`` / ``05`` / ``5`` as ``HI01-2`` / ``CLM05``."""
    if refdes is None or refdes == "":
        return ""
    refdes = str(refdes)
    ref = refdes[len(seg_id):] if refdes.startswith(seg_id) else refdes
    ele, _, sub = ref.partition("-")
    try:
        out = f"{seg_id}{int(ele):02d}"
        return f"{out}-{int(sub)}" if sub else out
    except ValueError:
        return refdes


def _loop_of(node: Any) -> str | None:
    """The loop ID (``2300``) of a map node, or None for the envelope."""
    try:
        n = node.parent
        while n is not None and not n.is_map_root():
            if n.is_loop():
                lid = n.id
                if lid and not lid.endswith("_LOOP"):
                    return str(lid)
                return None
            n = n.parent
    except Exception:  # pragma: no cover
        return None
    return None


class _Ids(list[Any]):
    """pyx12 keeps the control numbers it has seen in lists and asks ``in``; with a set
    beside them, a file of 100,000 transactions is not quadratic."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self._set = set(self)

    def append(self, item: Any) -> None:
        super().append(item)
        self._set.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def _reader_class() -> Any:
    px = _pyx12()

    base: Any = px.x12file.X12Reader

    class Reader(base):
        """pyx12's reader with codekit's segment cutter in front (any ISA layout,
        encodings, positions): it keeps its envelope bookkeeping (``_parse_segment``)."""

        def __init__(self, source: Source, icvn: str) -> None:
            px.x12file.X12Base.__init__(self)
            self.fd_in = None
            self.need_to_close = False
            d = source.delimiters
            self.seg_term, self.ele_term = d.segment, d.element
            self.subele_term, self.repetition_term = d.component, d.repetition
            self.icvn = icvn
            #: HL01 of the transaction's last HL (a number), None before the first
            self.last_hl01: int | None = None
            self._fix_ids()

        def _fix_ids(self) -> None:
            for name in ("isa_ids", "gs_ids", "st_ids"):
                if type(getattr(self, name)) is not _Ids:
                    setattr(self, name, _Ids(getattr(self, name)))

        def _parse_segment(self, seg_data: Any) -> None:
            stack: list[int] | None = None
            me: Any = self  # pyx12's reader state is untyped
            seg_id = seg_data.get_seg_id()
            hl01: int | None = None
            count = 0
            if seg_id == "ST":
                self.last_hl01 = None
            elif seg_id == "HL":
                # pyx12 empties its HL stack when HL02 names no open HL, and then finds
                # every later HL's (valid) parent invalid: one bad HL would reject every
                # claim after it. The stack is kept as it was, the bad HL added to it.
                parent = seg_data.get_value("HL02")
                if parent and me._int(parent) not in me.hl_stack:
                    stack = list(me.hl_stack)
                # pyx12 counts the HLs and never takes up HL01 again: after one missing
                # HL, every later HL's count was wrong, and every claim after it
                # rejected. The count is said at the HL where it goes wrong; the next HL
                # may go on from there (an HL was missing) or from the count (that HL01
                # was wrong). HL02 names HL01s: the stack of open HLs holds HL01s.
                hl01 = me._int(seg_data.get_value("HL01"))
                if hl01 is not None:
                    count = me.hl_count + 1
                    if hl01 != count and (self.last_hl01 is None or
                                          hl01 != self.last_hl01 + 1):
                        self._seg_error("HL1", f"My HL count {count:d} does not match your "
                                               f"HL count {seg_data.get_value('HL01')}")
                    else:
                        count = hl01
                    me.hl_count = hl01 - 1  # pyx12 counts it as HL01: no error of its own
            elif seg_id in _TRAILERS and self._stray(seg_id):
                # an SE, GE or IEA with no ST, GS or ISA open (a second SE, GE or IEA):
                # pyx12 would close the level above (an SE the group) and then fail on an
                # empty stack; it is said, and closes nothing
                px.x12file.X12Base._parse_segment(self, seg_data)
                self._fix_ids()
                return
            elif seg_id in ("GE", "IEA"):
                self._unclosed(seg_id)
            super()._parse_segment(seg_data)
            if hl01 is not None:
                me.hl_count = count
                self.last_hl01 = hl01
            if stack is not None:
                me.hl_stack = [*stack, me.hl_stack[-1]]
            self._fix_ids()

        def _stray(self, seg_id: str) -> bool:
            """Whether this trailer ends nothing (saying so): an SE when the innermost open
            level is not a transaction, a GE with no group open, an IEA with no interchange
            open."""
            me: Any = self
            opened = me.loops
            header, name, error, article = _TRAILERS[seg_id]
            if (seg_id == "SE" and opened and opened[-1][0] == "ST") or \
                    (seg_id != "SE" and any(kind == header for kind, _ in opened)):
                return False
            getattr(self, error)("stray", f"this {seg_id} ends no {name}: no {header} is open "
                                          f"({article} {seg_id} before it ended the {name}, "
                                          f"or its {header} is missing); it closes nothing")
            return True

        def _unclosed(self, seg_id: str) -> None:
            """Close, saying so, the levels a GE or IEA finds still open inside the one it
            ends: a transaction whose SE is missing (``X12_TRANSACTION_INVALID``), a group
            whose GE is missing (``X12_GROUP_INVALID``). pyx12 closed one level only, named
            it in its own words (``Unterminated segment 0001``) under the trailer's level,
            and, with both SE and GE missing, then compared IEA02 with GS06 and left the
            interchange open: a false 'IEA id does not match' and 'IEA missing'."""
            me: Any = self
            opened = me.loops
            name = "group" if seg_id == "GE" else "interchange"
            while opened and opened[-1][0] in ("ST", "GS") and \
                    not (seg_id == "GE" and opened[-1][0] == "GS"):
                kind, number = opened.pop()
                if kind == "ST":
                    self._st_error("unclosed", (
                        f"transaction {number} (ST02) has no SE: this {seg_id} ends its "
                        f"{name} while the transaction is open (SE, the transaction set "
                        "trailer, closes every ST)"))
                else:
                    self._gs_error("unclosed", (
                        f"group {number} (GS06) has no GE: this IEA ends its interchange "
                        "while the group is open (GE, the functional group trailer, closes "
                        "every GS)"))

    return Reader


#: Trailer -> the header it closes, what that is, pyx12's reader error method of its
#: level, and the article of the trailer's name.
_TRAILERS = {"SE": ("ST", "transaction", "_st_error", "an"),
             "GE": ("GS", "group", "_gs_error", "a"),
             "IEA": ("ISA", "interchange", "_isa_error", "an")}

_READER: list[Any] = []


class Engine:
    """Walks a :class:`Source` with pyx12: :meth:`events` yields one :class:`Event` per
    segment, then the problems found at the end (missing trailers) in :attr:`final`."""

    def __init__(self, source: Source) -> None:
        self.px = _pyx12()
        if not _READER:
            _READER.append(_reader_class())
        self.source = source
        isa = getattr(source, "isa_elements", [""] * 16)
        self.isa12 = isa[11] if len(isa) > 11 else ""
        self.icvn = self.isa12 if self.isa12 in ("00401", "00501") else "00501"
        self.reader = _READER[0](source, self.icvn)
        self.final: list[Problem] = []

    def events(self) -> Iterator[Event]:
        px = self.px
        reader = self.reader
        control = _map(f"x12.control.{self.icvn}.xml")
        index = _map("maps.xml")
        walker = px.map_walker.walk_tree()
        node: Any = control.getnodebypath("/ISA_LOOP/ISA")
        gs_node: Any = None  # the GS node of the current transaction map
        cur_map: Any = None
        isa13: str | None = None
        gs06: str | None = None
        gs08 = ""
        gs_at = (0, 0)
        transaction: Transaction | None = None
        skipping = False  # inside an unsupported transaction: not validated
        walked = False  # a transaction of the current group was walked with its map
        ordinal = 0
        Segment = px.segment.Segment
        d = self.source.delimiters
        ele_term = d.element
        rep = d.repetition
        for raw in self.source.segments():
            if raw.broken:
                # a later ISA that cannot be read: not given to pyx12 (it is no segment of
                # any transaction, and would reset pyx12's envelope)
                yield Event(raw, [raw.text[:3]], None, None,
                            [Problem("X12_INTERCHANGE_INVALID", "error", raw.broken)],
                            transaction)
                continue
            if raw.delimiters is not None and raw.delimiters != d:
                # a later interchange with delimiters of its own
                d = raw.delimiters
                ele_term, rep = d.element, d.repetition
                reader.seg_term, reader.ele_term = d.segment, d.element
                reader.subele_term, reader.repetition_term = d.component, d.repetition
            elements = raw.text.split(ele_term)
            seg_id = elements[0]
            problems: list[Problem] = []
            loop: str | None = None
            if seg_id == "ST":
                ordinal = 1
            elif ordinal:
                ordinal += 1
            try:
                if raw.text[-1] == ele_term:
                    reader._seg_error("SEG1", "Segment contains trailing element terminators")
                seg = Segment(raw.text, d.segment, ele_term, d.component)
                reader._parse_segment(seg)
            except Exception as e:
                problems += self._reader_problems(reader.pop_errors())
                problems.append(Problem(
                    "X12_VALIDATOR_FAILED", "warning", f"pyx12 could not read this {seg_id} "
                    f"segment ({type(e).__name__}: {e}); it is read as written"))
                yield Event(raw, elements, None, ordinal or None, problems, transaction)
                continue
            problems += self._reader_problems(reader.pop_errors())
            if seg_id == "ISA":
                isa13 = _get(elements, 13)
                node = control.getnodebypath("/ISA_LOOP/ISA")
                walker.forceWalkCounterToLoopStart("/ISA_LOOP", "/ISA_LOOP/ISA")
                skipping, transaction, ordinal, cur_map, gs_node = False, None, 0, None, None
                problems += self._validate(node, seg, seg_id, None)
            elif seg_id == "GS":
                gs06, gs08 = _get(elements, 6), _get(elements, 8) or ""
                gs_at = (raw.line, raw.offset)
                skipping, transaction, ordinal, walked = False, None, 0, False
                walker.forceWalkCounterToLoopStart("/ISA_LOOP/GS_LOOP", "/ISA_LOOP/GS_LOOP/GS")
                guide = guide_for("837", gs08)
                if isinstance(guide, tuple):
                    cur_map = _map(index.get_filename("00501", guide[1], "HC"))
                    gs_node = node = cur_map.getnodebypath("/ISA_LOOP/GS_LOOP/GS")
                    problems += [p for p in self._validate(node, seg, seg_id, None)
                                 if not (guide[2] is False and p.element == "GS08")]
                else:
                    cur_map = gs_node = None
                    node = control.getnodebypath("/ISA_LOOP/GS_LOOP/GS")
            elif seg_id == "ST":
                version = _get(elements, 3) or gs08
                guide = guide_for(_get(elements, 1) or "", version)
                at = (raw.line, raw.offset) if _get(elements, 3) else gs_at
                if isinstance(guide, str):
                    transaction = Transaction(isa13, gs06, _get(elements, 2), version, None,
                                              None, guide, *at)
                    skipping = True
                else:
                    claim_type, vriic, _native = guide
                    transaction = Transaction(isa13, gs06, _get(elements, 2), version,
                                              claim_type, vriic, "", *at)
                    skipping, walked = False, True
                    problems += self._version_problems(gs08, version, guide)
                    wanted = index.get_filename("00501", vriic, "HC")
                    if cur_map is None or cur_map is not _MAPS.get(wanted):
                        cur_map = _map(wanted)
                        gs_node = cur_map.getnodebypath("/ISA_LOOP/GS_LOOP/GS")
                    node = gs_node
                    node, loop, walk_problems = self._walk(walker, node, seg, seg_id)
                    problems += walk_problems
                    problems += [p for p in self._validate(node, seg, seg_id, loop)
                                 if not (guide[2] is False and p.element == "ST03")]
            elif skipping and seg_id not in ("GE", "IEA"):
                if seg_id == "SE":
                    skipping = False  # the next ST is judged on its own
                    node = gs_node if gs_node is not None else node
            elif seg_id in ("GE", "IEA") and (cur_map is None or skipping or
                                              (seg_id == "GE" and not walked)):
                # (a group whose transactions were all unsupported: its guide's map never
                # saw an ST, and would say one is missing)
                skipping = False
                node = control.getnodebypath(f"/ISA_LOOP/{'GS_LOOP/' if seg_id == 'GE' else ''}"
                                             f"{seg_id}")
                problems += self._validate(node, seg, seg_id, None)
            elif cur_map is None:
                pass  # segments of a group of another transaction set
            else:
                node, loop, walk_problems = self._walk(walker, node, seg, seg_id)
                problems += walk_problems
                problems += self._validate(node, seg, seg_id, loop)
            if rep is not None and rep in raw.text and seg_id != "ISA" and \
                    cur_map is not None and not skipping:
                problems += _repetitions(node if loop is not _NOT_FOUND else None,
                                         elements, seg_id, d)
            if seg_id in ("SE", "GE", "IEA"):
                ordinal_out = ordinal if seg_id == "SE" else None
                yield Event(raw, elements, None if loop is _NOT_FOUND else loop,
                            ordinal_out or None, problems, transaction)
                if seg_id == "SE":
                    ordinal = 0
                elif seg_id == "GE":
                    transaction = None
                continue
            yield Event(raw, elements, None if loop is _NOT_FOUND else loop, ordinal or None,
                        problems, transaction)
        try:
            reader.cleanup()
        except Exception as e:  # pragma: no cover
            self.final.append(Problem("X12_VALIDATOR_FAILED", "warning",
                                      f"pyx12 could not finish ({type(e).__name__}: {e})"))
        self.final += self._reader_problems(reader.pop_errors())

    # -- pyx12 calls, made safe ----------------------------------------------------------

    def _walk(self, walker: Any, node: Any, seg: Any, seg_id: str
              ) -> tuple[Any, str | None, list[Problem]]:
        """Find the segment's map node from ``node``: (the node, or ``node`` itself when
        the segment is not found; its loop; the problems met on the way)."""
        reader = self.reader
        try:
            found, _pop, _push, errors = walker.walk_errors(
                node, seg, reader.get_seg_count(), reader.get_cur_line(), reader.get_ls_id())
        except Exception as e:
            return node, None, [Problem(
                "X12_VALIDATOR_FAILED", "warning",
                f"pyx12 could not place this {seg_id} segment in the guide "
                f"({type(e).__name__}: {e}); it is read as written")]
        problems = []
        for err in errors:
            rule, severity = _SEG.get(err.err_cde, ("X12_SEGMENT_UNEXPECTED", "error"))
            missing = None
            loop = None
            if err.map_node is not None and err.err_cde == "3":
                missing = getattr(err.map_node, "id", None)
                loop = _loop_of(err.map_node) if err.map_node.is_segment() else \
                    getattr(err.map_node, "id", None)
            problems.append(Problem(rule, severity, _tidy(err.err_str), "", err.err_val, loop,
                                    missing))
        if found is None:
            return node, _NOT_FOUND, problems
        return found, _loop_of(found), problems

    def _validate(self, node: Any, seg: Any, seg_id: str, loop: str | None) -> list[Problem]:
        """The segment's element checks against its map node (none for a segment the walk
        did not find: its elements are not those of the node it stayed on)."""
        if loop is _NOT_FOUND or node is None or not node.is_segment():
            return []
        try:
            _ok, errors = node.is_valid_errors(seg)
        except Exception as e:
            return [self._crash(node, seg, seg_id, e)]
        out = []
        for err in errors:
            if err.map_node is not None:
                element = _ref(seg_id, err.map_node)
                rule, severity = _ELE.get(err.err_cde, ("X12_ELEMENT_CODE_INVALID", "error"))
                if rule == "X12_ELEMENT_CODE_INVALID":
                    fixed = _code_in_list(err.map_node, err.err_val)
                    if fixed is not None:
                        out.append(Problem(rule, severity, f"{_tidy(err.err_str)}: send "
                                           f"{fixed}", element, err.err_val, loop,
                                           codes=(err.err_val,), fix=(fixed,)))
                        continue
            else:
                element = _refdes(seg_id, err.refdes)
                if _NOT_USED_COMPOSITE.match(err.err_str):
                    rule, severity = "X12_ELEMENT_NOT_USED", "error"
                elif err.err_cde == "1":
                    rule, severity = "X12_ELEMENT_MISSING", "error"
                elif err.err_cde == "3":
                    rule, severity = "X12_ELEMENT_TOO_MANY", "error"
                else:
                    rule, severity = "X12_SEGMENT_SYNTAX", "error"
            out.append(Problem(rule, severity, _tidy(err.err_str), element, err.err_val, loop))
        return out

    def _crash(self, node: Any, seg: Any, seg_id: str, exc: Exception) -> Problem:
        """pyx12 raised while checking a segment: say what it could not check, and the
        likely cause when it is a composite with more components than the guide has."""
        try:
            for i, child in enumerate(node.children):
                if child.is_composite():
                    have = seg.ele_len(f"{i + 1:02d}")
                    allowed = child.get_child_count()
                    if have > allowed:
                        return Problem(
                            "X12_ELEMENT_TOO_MANY", "error",
                            f"{seg_id}{i + 1:02d} has {have} components; the guide's "
                            f'"{child.name}" has {allowed}', f"{seg_id}{i + 1:02d}",
                            seg.get_value(f"{i + 1:02d}"))
        except Exception:  # pragma: no cover - the diagnosis is best effort
            pass
        return Problem("X12_VALIDATOR_FAILED", "warning",
                       f"pyx12 could not check this {seg_id} segment ({type(exc).__name__}: "
                       f"{exc}); its elements are not validated")

    def _reader_problems(self, errors: list[Any]) -> list[Problem]:
        out = []
        for kind, code, message, value, _line in errors:
            if kind == "isa":
                rule, severity = _ISA
            elif kind == "gs":
                rule, severity = _GS
            elif kind == "st":
                rule, severity = _ST
            else:
                rule, severity = _SEG.get(code, ("X12_SEGMENT_UNEXPECTED", "error"))
            if "leading space" in message:
                continue  # codekit reports indentation itself (X12_SEGMENT_INDENTED)
            out.append(Problem(rule, severity, _tidy(message), _READER_ELEMENT.get(code, ""),
                               value))
        return out

    def _version_problems(self, gs08: str, version: str, guide: tuple[str, str, bool]
                          ) -> list[Problem]:
        out = []
        claim_type, vriic, native = guide
        if gs08 and version != gs08:
            out.append(Problem(
                "X12_VERSION_MISMATCH", "error",
                f"GS08 says {gs08} but ST03 says {version}: the group and its transaction "
                f"must name the same guide (read as {version}, {claim_type})", "ST03",
                version))
        if not native:
            out.append(Problem(
                "X12_VERSION_SUBSTITUTED", "warning",
                f"{version} is validated with pyx12's {vriic} guide, the nearest it has: "
                "findings of levels 1-2 follow that guide", "ST03", version))
        if self.isa12 != "00501":
            out.append(Problem(
                "X12_VERSION_MISMATCH", "error",
                f"ISA12 is {self.isa12!r}: a 5010 transaction ({version}) travels in a 00501 "
                "interchange", "ISA12", self.isa12, segment="ISA"))
        return out


def _repetitions(node: Any, elements: list[str], seg_id: str, d: Any) -> list[Problem]:
    """X12_ELEMENT_CHARACTER at each element (or component) that holds the interchange's
    repetition separator (ISA11) but does not repeat (no element of the 837P and 837I
    guides does; ``node``, the segment's map node when the walk found it, says)."""
    rep, comp = d.repetition, d.component
    out = []
    children = list(getattr(node, "children", None) or ()) if node is not None and \
        node.is_segment() else []
    for i, value in enumerate(elements[1:], start=1):
        if rep not in value:
            continue
        child = children[i - 1] if i <= len(children) else None
        if child is not None and str(getattr(child, "max_use", 1) or 1) not in ("1", ""):
            continue  # an element the guide lets repeat
        parts = value.split(comp)
        held = [(f"{seg_id}{i:02d}-{j}", part) for j, part in enumerate(parts, start=1)
                if rep in part] if len(parts) > 1 else [(f"{seg_id}{i:02d}", value)]
        for ref, text in held:
            out.append(Problem(
                "X12_ELEMENT_CHARACTER", "error",
                f"{ref} {text!r} holds {rep!r}, the repetition separator this interchange "
                f"declares (ISA11), and {ref} does not repeat: a reader splits the value "
                "there (no value may hold a delimiter of its interchange); codekit reads it "
                "as written", ref, text))
    return out


def _get(elements: list[str], i: int) -> str | None:
    return elements[i] if len(elements) > i and elements[i] != "" else None

"""From the segment stream to claims: one codekit claim per 2300 CLM loop.

The mapper follows the 837's hierarchy (HL 20 billing provider, 22 subscriber, 23
patient), collects each claim's segments, and when the claim ends (the next CLM, HL, SE...)
builds the :class:`~codekit.claims.Claim`, the table from claim paths to X12 locations,
and the findings of levels 1-4: pyx12's on the claim's own segments and on the envelope
and hierarchy levels above it, the balancing totals (level 3), and the situational rules
the edits need (level 4). What lies outside any claim (a transaction with no claims, a
wrong SE count, missing trailers) becomes an envelope record.

Mapping (837P 005010X222A1 / 837I 005010X223A2):

- ``claim_id`` CLM01; ``total_charge`` CLM02; 837P ``place_of_service`` CLM05-1; 837I
  ``bill_type`` CLM05-1 + CLM05-3; ``frequency_code`` CLM05-3.
- ``billing_provider`` 2010AA NM109; ``asc_facility`` true when the billing provider's
  taxonomy (2000A PRV*BI, PRV03) is an ambulatory surgical center's, 261QA1903X (an 837P;
  else None: no 837P says for certain that a claim is not an ASC's); ``rendering_provider``
  2310B (837P) / 2310D (837I) NM1*82 NM109; ``filing_indicator`` SBR09 (the raw code);
  ``payer`` 2010BB NM103.
- ``patient``: 2010CA (and its DMG) when the patient is not the subscriber, else 2010BA;
  ``patient.id`` the subscriber's member ID (2010BA NM109; 5010 has no patient ID).
- diagnoses: 837P the HI ABK/ABF (BK/BF) composites in position order (pointers SV107
  count them); 837I principal ABK, other ABF, then external causes ABN, each with its
  present-on-admission indicator (HI0x-9); ``admitting_diagnosis`` ABJ,
  ``visit_reasons`` APR, ``procedures`` BBR/BBQ with their dates, ``condition_codes`` BG,
  ``occurrence_codes`` BH (with the D8 date), ``occurrence_spans`` BI (with the RD8 span)
  and ``value_codes`` BE (with the amount, HI0x-5) of an 837I.
- dates: 837P line DTP*472 (the claim's date is the earliest); 837I
  ``statement_period`` DTP*434 (the claim's date is its through date; without a valid
  one, the last line date), ``admission_date`` DTP*435, line DTP*472
  (:func:`codekit.claims.claim_date`: one rule for every door).
- lines (2400): LX01, SV1 (procedure SV101-2, modifiers SV101-3..6, charge SV102, units
  SV104, place of service SV105, pointers SV107) or SV2 (revenue code SV201, procedure
  SV202-2, modifiers SV202-3..6, charge SV203, units SV205); ``line_id`` REF*6R; ``ndc``
  LIN*N4; ``rendering_provider`` the line's own, 2420A (837P) / 2420C (837I) NM1*82
  NM109. An SV202 code that is not CPT/HCPCS (SV202-1 HP, ER, IV, WK) leaves the revenue
  line without a procedure code; the code is kept in ``Claim.extra`` (OTHER_CODES_KEY),
  as is a principal procedure in advanced billing concepts (HI CAH, with its date; beside
  an HI BBR, a second principal procedure HI, its row says where the BBR was: ``bbr``) and
  the code of an 837P line whose SV101-1 is ER, IV or WK (the line is then not a codekit
  line: its row keeps the rest of the line, modifiers, charge, units, place, pointers,
  date, line id and NDC, for the 837 writer to write it back). An SV1
  line in minutes (SV103 MJ, anesthesia time) is one unit; its minutes are kept in
  ``Claim.extra`` (MINUTES_KEY).
- 2300 REF*F8 (the payer's claim control number of the claim a replacement or void
  corrects): ``corrected_claim_id``.
- 837I 2300 CL1-03 (patient status code, the NUBC patient discharge status):
  ``discharge_status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from ..claims import (
    ASC_TAXONOMY,
    Claim,
    Occurrence,
    OccurrenceSpan,
    Patient,
    Procedure,
    ServiceLine,
    ValueCode,
)
from ..errors import X12ClaimUnreadable, X12Error, X12Unsupported
from ..findings import Finding, Severity
from ..procedure import MODIFIER_PATTERN
from ._checks import OTHER_CODE_SETS
from ._engine import Event, Problem, Transaction
from ._model import Envelope, Location, X12Claim, X12Finding
from ._snip import X12_RULES

__all__ = ["Mapper"]

# (segment ID, loop, ordinal, line, byte offset)
Pos = tuple[str, str | None, int | None, int, int]
Path = tuple[str | int, ...]

_DX_QUALIFIERS_P = {"ABK", "ABF", "BK", "BF"}
_ICD9 = {"BK", "BF", "BJ", "BN", "PR", "BR", "BQ"}
_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
#: The HL03 level codes of an 837, the level each one's parent must be ("" none), loops.
_HL_PARENT = {"20": "", "22": "20", "23": "22"}
_HL_NAME = {"20": "billing provider", "22": "subscriber", "23": "patient"}
_HL_LOOP = {"20": "2000A", "22": "2000B", "23": "2000C"}
#: The segments that start a level of the hierarchy (the first after its HL, or the
#: level's name: NM1*85 billing provider, NM1*IL subscriber, NM1*QC patient), by the
#: level's HL03. One pyx12 cannot place (X12_SEGMENT_UNEXPECTED) after a claim, or below
#: the deepest level an HL opened, stands where its level's HL is missing.
_LEVEL_START = {("NM1", "85"): "20", ("PRV", "BI"): "20", ("SBR", ""): "22",
                ("NM1", "IL"): "22", ("PAT", ""): "23", ("NM1", "QC"): "23"}
_HL_ATTR = {"20": "billing", "22": "subscriber", "23": "patient"}
#: The 837I HI composites with a date of their own in HI0x-4 besides the procedures': the
#: format HI0x-3 must say and the element's name (an occurrence code, BH, on a day; an
#: occurrence span code, BI, over a range).
_HI_DATES = {"BH": ("D8", "Occurrence Code Date"), "BI": ("RD8", "Occurrence Span Code Date")}
#: SV202-1 qualifiers of codes that are not CPT/HCPCS (837I: ER jurisdiction-specific,
#: HP HIPPS rate codes, IV home infusion EDI coalition, WK advanced billing concepts).
OTHER_PROCEDURE_CODES = frozenset(OTHER_CODE_SETS)
#: The key of ``Claim.extra`` that keeps those codes (codekit checks CPT/HCPCS only).
OTHER_CODES_KEY = "x12_other_procedure_codes"
#: The key of ``Claim.extra`` that keeps the minutes of 837P lines whose unit basis
#: (SV103) is ``MJ`` (anesthesia time): the line's ``units`` is then one service.
MINUTES_KEY = "x12_service_minutes"
#: The longest value a finding's message quotes in full (characters).
MAX_SHOWN = 80
#: How many problems one claim or envelope record keeps (then one says how many more).
MAX_PROBLEMS = 200
#: How many CLM01s a file's reader remembers to find a repeated one (about 130 bytes
#: each): later claims are compared with them, but not remembered.
MAX_CLAIM_IDS = 100_000


def _d8(text: str) -> dt.date | None:
    """A D8 date (``CCYYMMDD``, exactly 8 digits), or None."""
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        return None
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _whole_number(text: str) -> int | None:
    """The whole number an element of ASCII digits writes (``LX01``, a pointer of
    ``SV107``), or None: not digits, or more than 18 of them after leading zeros, far past
    any line number or pointer (Python refuses to read over 4,300 digits as an int: a
    5,000-digit LX01 stopped the whole interchange).

    >>> _whole_number("0003"), _whole_number("1A"), _whole_number("9" * 5000)
    (3, None, None)
    """
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > 18:
        return None
    return int(text)


def _period(fmt: str | None, text: str | None) -> tuple[dt.date, dt.date] | None:
    """A DTP value as (from, through): RD8 ``CCYYMMDD-CCYYMMDD``, D8 ``CCYYMMDD`` (exactly
    8 digits: ``202511031`` is no date, nor is a range under D8), DT (the date of
    ``CCYYMMDDHHMM``). None when it is not one, a range that runs backwards included
    (:func:`_backwards` says so; pyx12 says the others).

    >>> _period("D8", "20251103"), _period("D8", "202511031"), _period("D8", "20251103-20251105")
    ((datetime.date(2025, 11, 3), datetime.date(2025, 11, 3)), None, None)
    >>> _period("RD8", "20251101-20251103")[1], _period("DT", "202511030800")[0]
    (datetime.date(2025, 11, 3), datetime.date(2025, 11, 3))
    """
    if not text:
        return None
    if fmt == "RD8" or (fmt is None and "-" in text):
        a, _, b = text.partition("-")
        start, end = _d8(a), _d8(b)
        if start is None or end is None or end < start:
            return None
        return start, end
    if fmt == "DT":
        # the date and hour (pyx12 checks the time; a DT of the date alone it accepts)
        day = _d8(text[:8]) if text.isascii() and text.isdigit() else None
    else:
        day = _d8(text)
    return None if day is None else (day, day)


def _backwards(elements: list[str]) -> Problem | None:
    """The problem of a DTP whose RD8 range (DTP03) ends before it starts: an invalid
    date, like the ones pyx12 finds (it checks each end, not their order).

    >>> _backwards(["DTP", "434", "RD8", "20251103-20251101"]).message
    'DTP*434: the date range runs backwards (20251103-20251101): 2025-11-03 is after 2025-11-01'
    >>> _backwards(["DTP", "434", "RD8", "20251101-20251103"]) is None
    True
    """
    text = _el(elements, 3)
    if _el(elements, 2) != "RD8" or "-" not in text:
        return None
    a, _, b = text.partition("-")
    start, end = _d8(a), _d8(b)
    if start is None or end is None or not end < start:
        return None
    return Problem("X12_ELEMENT_DATE_INVALID", "error",
                   f"DTP*{_el(elements, 1)}: the date range runs backwards ({text}): "
                   f"{start} is after {end}", "DTP03", text)


def _amount(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _el(elements: list[str], i: int) -> str:
    return elements[i] if len(elements) > i else ""


#: The segments of the envelope, read in a transaction that is not read too.
_ENVELOPE_SEGMENTS = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})


class _Level:
    """A level of the envelope or hierarchy (interchange, group, transaction, billing
    provider, subscriber, patient): its data, its problems, whether a claim took them, and
    (``headless``) why the claims under it are not read: a level no HL opened."""

    __slots__ = ("data", "headless", "pos", "problems", "used")

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.pos: dict[str, tuple[Pos, str]] = {}
        self.problems: list[tuple[Problem, Pos]] = []
        self.used = False
        self.headless: str | None = None


class _Claim:
    """A claim being read: its segments' data and positions."""

    def __init__(self, event: Event, pos: Pos, comp: str, rep: str | None) -> None:
        e = event.elements
        self.event = event
        self.pos = pos
        self.comp = comp
        self.claim_id = _el(e, 1)
        self.total = _amount(_el(e, 2))
        c5 = _el(e, 5).split(comp)
        self.facility = c5[0] if c5 else ""
        self.frequency = c5[2] if len(c5) > 2 else ""
        self.paths: dict[Path, tuple[Pos, str]] = {
            (): (pos, ""), ("claim_id",): (pos, "CLM01"), ("total_charge",): (pos, "CLM02"),
            ("frequency_code",): (pos, "CLM05-3")}
        self.problems: list[tuple[Problem, Pos]] = []
        self.hi: list[tuple[str, list[str], Pos, str]] = []  # qualifier, comps, pos, ref
        self.dates: dict[str, tuple[str | None, str | None, Pos]] = {}
        self.rendering: str | None = None
        #: 2300 REF*F8, the payer claim control number a replacement or void corrects
        self.original: str | None = None
        #: 2300 CL1-03, the patient (discharge) status code (837I)
        self.status: str | None = None
        self.lines: list[dict[str, Any]] = []
        self.zone = "2300"  # 2300, 2310, 2320 (other subscriber / 2330), 2400, 2420, 2430
        self.cob: list[dict[str, Any]] = []  # 2320 other payers
        #: byte offset of a segment of a service line -> index of its line in ``lines``
        self.seg_line: dict[int, int] = {}


class Mapper:
    """Turns :class:`~codekit.x12._engine.Event` objects into :class:`X12Claim` records."""

    def __init__(self, source_name: str, delimiters: Any, isa_problems: list[Any],
                 encoding: str) -> None:
        self.name = source_name
        self.comp = delimiters.component
        self.rep = delimiters.repetition
        self.interchange = _Level()
        self.group = _Level()
        self.transaction = _Level()
        self.billing = _Level()
        self.subscriber = _Level()
        self.patient = _Level()
        self.claim: _Claim | None = None
        self.tx: Transaction | None = None
        self.isa_problems = isa_problems
        self.encoding = encoding
        self.claim_type: str | None = None
        self.sender: str | None = None
        self.receiver: str | None = None
        self.isa13: str | None = None
        self.gs06: str | None = None
        self.transaction_claims = 0
        self.indented_seen = False
        #: HL01 -> HL03 of the transaction's HL segments so far
        self.hl_levels: dict[str, str] = {}
        #: CLM01 -> the line of the first claim with it, in the whole file (at most
        #: MAX_CLAIM_IDS of them: memory stays bounded)
        self.claim_ids: dict[str, int] = {}
        #: whether a claim was read since the last HL (or level without one) began
        self.claim_since_hl = False
        #: CLM01 of the last claim read (as written)
        self.last_claim_id = ""
        #: whether an interchange is open (an ISA read, its IEA not yet)
        self.in_interchange = False
        #: envelope records found inside the claim being read, yielded after it
        self.pending: list[X12Claim] = []
        #: an interchange was begun by an ISA that cannot be read, and no GS came since
        self.broken_head = False
        #: the problem of a last segment cut off outside any claim (no terminator), and
        #: where: said by :meth:`finish`
        self.cut_off: tuple[Problem, Pos] | None = None

    # -- the stream ----------------------------------------------------------------------

    def feed(self, ev: Event) -> Iterator[X12Claim]:
        """Take one segment; yield the records it completes."""
        seg = ev.id
        pos: Pos = (seg, ev.loop, ev.ordinal, ev.raw.line, ev.raw.offset)
        cut = Problem("X12_SEGMENT_UNTERMINATED", "error",
                      f"the file ends inside this {seg} segment: it has no terminator (the "
                      "file is cut off, or its last terminator is missing: X12 ends every "
                      "segment with one)") if ev.raw.unterminated else None
        if ev.raw.run_on:
            run_on = ev.raw.run_on
            cut = Problem(
                "X12_SEGMENT_TERMINATOR_MISSING", "error", f"segment terminator missing after "
                f"{seg}? The line break after this {seg} segment is followed by {run_on!r}, "
                f"which starts a segment ({run_on[:-1]}): read as two segments (a segment "
                "wrapped over lines is joined only when no line of it starts so); end the "
                f"{seg} segment with the segment terminator")
        if ev.raw.broken:
            if cut is not None:
                ev = Event(ev.raw, ev.elements, ev.loop, ev.ordinal, [cut, *ev.problems],
                           ev.transaction)
            yield from self._broken_isa(ev, pos)
            return
        tx = ev.transaction
        unsupported = tx is not None and bool(tx.unsupported)
        headless = None if unsupported else self._headless(ev)
        if seg == "HL":
            ev = self._missing_before_hl(self._hl_count_after_headless(ev, pos), pos)
        if (seg in ("ISA", "GS", "ST", "SE", "GE", "IEA", "HL", "CLM") or headless) and \
                self.claim is not None:
            # a missing segment of the claim is found at the segment after it
            keep = [p for p in ev.problems if p.rule == "X12_SEGMENT_MISSING" and
                    p.loop is not None and p.loop[:2] in ("23", "24")]
            for p in keep:
                self.claim.problems.append((p, pos))
            if keep:
                ev = Event(ev.raw, ev.elements, ev.loop, ev.ordinal,
                           [p for p in ev.problems if p not in keep], ev.transaction)
            yield from self._close_claim()
        if headless:
            yield from self._open_headless(headless, ev, pos)
        if ev.raw.indented and not self.indented_seen:
            self.indented_seen = True
            self._problem(Problem("X12_SEGMENT_INDENTED", "warning",
                                  "segments are indented (whitespace before the segment ID), "
                                  "from here on: X12 allows no whitespace between a "
                                  "terminator and the next segment"), pos, seg)
        if cut is not None:
            if self.claim is not None:  # a segment of the claim being read
                self.claim.problems.append((cut, pos))
            elif unsupported and seg not in _ENVELOPE_SEGMENTS:
                # a segment of a transaction that is not read (its problems go nowhere):
                # said at the end, with the trailers the cut left missing (a missing
                # terminator inside it goes where its other problems go)
                if not ev.raw.run_on:
                    self.cut_off = (cut, pos)
            else:
                # with the segment's own problems: on the trailer's envelope record, on
                # the claim a CLM begins, on the level a header or HL begins (no claim
                # comes after it to take it: an envelope record at the end)
                ev = Event(ev.raw, ev.elements, ev.loop, ev.ordinal, [cut, *ev.problems],
                           ev.transaction)
        if seg == "ISA":
            yield from self._close_levels(self.interchange)
            self.in_interchange, self.broken_head = True, False
            self.isa13 = _el(ev.elements, 13).strip() or None
            self.sender = _el(ev.elements, 6).strip() or None
            self.receiver = _el(ev.elements, 8).strip() or None
            if ev.raw.delimiters is not None:
                # each ISA declares its interchange's delimiters, and has its own problems
                self.comp, self.rep = ev.raw.delimiters.component, ev.raw.delimiters.repetition
                self.isa_problems = list(ev.raw.isa_problems)
            for p in self.isa_problems:
                self.interchange.problems.append((Problem(
                    "X12_INTERCHANGE_INVALID", p.severity, p.message, p.element), pos))
            if self.encoding:
                self.interchange.problems.append((Problem(
                    "X12_ENCODING", "warning", f"the file is {self.encoding}: X12 "
                    "interchanges are single-byte text (ASCII); read as "
                    f"{self.encoding}"), pos))
            self._add(ev, pos, self.interchange)
            return
        if seg == "GS":
            yield from self._close_levels(self.group)
            self.broken_head = False
            self.gs06 = _el(ev.elements, 6) or None
            self._add(ev, pos, self.group)
            return
        if seg == "ST":
            yield from self._close_levels(self.transaction)
            self.tx = tx
            self.claim_type = tx.claim_type if tx is not None else None
            self.transaction_claims = 0
            self.hl_levels = {}
            self.claim_since_hl = False
            self._add(ev, pos, self.transaction)
            self.transaction.pos["claim_type"] = (pos, "ST03")
            return
        if seg in ("SE", "GE", "IEA"):
            if seg == "SE":
                yield from self._close_levels(self.transaction)
            elif seg == "GE":
                yield from self._close_levels(self.group)
            else:
                yield from self._close_levels(self.interchange)
                self.in_interchange = self.broken_head = False
            if ev.problems:
                yield self._envelope_record(ev.problems, pos, seg)
            if seg == "SE" and unsupported and self.transaction_claims == 0 and tx is not None:
                yield self._envelope_record([], pos, seg, error=self._unsupported(tx))
            return
        if unsupported:
            if seg == "CLM" and tx is not None:
                self.transaction_claims += 1
                yield self._unsupported_claim(ev, pos, tx)
            return
        if seg == "HL":
            self.claim_since_hl = False
            level = _el(ev.elements, 3)
            if level == "20":
                yield from self._close_levels(self.billing)
                self._add(ev, pos, self.billing)
                target = self.billing
            elif level == "22":
                yield from self._close_levels(self.subscriber)
                self._add(ev, pos, self.subscriber)
                target = self.subscriber
            else:
                yield from self._close_levels(self.patient)
                self.patient.data["present"] = True
                self._add(ev, pos, self.patient)
                target = self.patient
            wrong = self._hl_parent(ev.elements)
            if wrong is not None:
                target.problems.append((wrong, pos))
            return
        if seg == "CLM":
            self.transaction_claims += 1
            self.claim_since_hl = True
            self.last_claim_id = _el(ev.elements, 1)
            self.claim = _Claim(ev, pos, self.comp, self.rep)
            self.claim.problems += [(p, pos) for p in ev.problems]
            if self.claim_type == "institutional":
                self.claim.paths[("bill_type",)] = (pos, "CLM05-1")
            else:
                self.claim.paths[("place_of_service",)] = (pos, "CLM05-1")
            return
        if self.claim is not None:
            self._claim_segment(self.claim, ev, pos)
            return
        self._level_segment(ev, pos)

    def _broken_isa(self, ev: Event, pos: Pos) -> Iterator[X12Claim]:
        """A later ISA that cannot be read (its delimiters are unknown: the source read on
        with those in force, or from the next well-formed ISA). After an IEA it heads what
        follows, up to the next ISA: an interchange of its own, whose claims carry it (as
        an ISA's problems), else an envelope record. Inside an interchange it is a stray
        segment: an envelope record of its own (after the claim it stands in, which goes
        on), and the interchange goes on -- unless that interchange was begun by a broken
        ISA and has had no GS yet: then this one begins another."""
        if not self.in_interchange or self.broken_head:
            yield from self._close_levels(self.interchange)
            self.broken_head = True
            self.isa13 = self.sender = self.receiver = self.gs06 = None
            self.tx = None
            self.claim_type = None
            self.interchange.problems += [(p, pos) for p in ev.problems]
            self.interchange.pos.setdefault("_start", (pos, ""))
            self.in_interchange = True
            return
        record = self._envelope_record(ev.problems, pos, "ISA")
        if self.claim is not None:
            self.pending.append(record)
        else:
            yield record

    def _headless(self, ev: Event) -> str:
        """The HL03 (``22``...) of the level ``ev`` starts when it stands where that
        level's HL is missing, else "": a segment that starts a level (SBR, NM1*IL; PAT,
        NM1*QC; NM1*85, PRV*BI) which pyx12 could not place, after a claim (without a
        new HL, the claims after it would be read as the last claim's subscriber, patient
        or billing provider's) or below the deepest level an HL opened."""
        if ev.loop is not None or ev.id not in ("NM1", "PRV", "SBR", "PAT") or \
                not any(p.rule == "X12_SEGMENT_UNEXPECTED" for p in ev.problems):
            return ""
        code = _LEVEL_START.get((ev.id, "" if ev.id in ("SBR", "PAT") else
                                 _el(ev.elements, 1)))
        if code is None:
            return ""
        if self.claim is not None or self.claim_since_hl:
            return code
        deepest = "23" if self.patient.data.get("present") else \
            "22" if self.subscriber.pos else "20" if self.billing.pos else ""
        return code if deepest < code else ""

    def _open_headless(self, code: str, ev: Event, pos: Pos) -> Iterator[X12Claim]:
        """Begin the level (HL03 ``code``) whose HL is missing: a level of its own, so no
        claim after it is read with the levels before it, marked so that the claims under
        it are not read, with an X12_SEGMENT_MISSING finding where it begins."""
        after = self.last_claim_id if self.claim_since_hl else None
        yield from self._close_levels(getattr(self, _HL_ATTR[code]))
        level: _Level = getattr(self, _HL_ATTR[code])
        name, loop = _HL_NAME[code], _HL_LOOP[code]
        first = ev.id + (f"*{_el(ev.elements, 1)}" if ev.id in ("NM1", "PRV") else "")
        where = f"after claim {_shown(after)}" if after is not None else \
            f"where no HL (HL03 {code}) opened one"
        level.headless = (f"its {name} loop ({loop}) has no HL: {first} at line {pos[3]} "
                          f"begins it {where}, with no HL (HL03 {code}) before it")
        level.pos["_start"] = (pos, "")
        if code == "23":
            level.data["present"] = True
        level.problems.append((Problem(
            "X12_SEGMENT_MISSING", "error",
            f"{first} begins a {name} loop ({loop}) {where}, with no HL (HL03 {code}) "
            f"before it: the {name}'s HL segment is missing, so the claims under it are not "
            "read (the hierarchy does not say whose they are)", "", None, loop, "HL"), pos))
        self.claim_since_hl = False

    def _missing_before_hl(self, ev: Event, pos: Pos) -> Event:
        """pyx12 finds a missing segment or loop at the segment after it: at an HL, one of
        a claim (2300, 2400...) or of a level as deep as this HL's or deeper (a billing
        provider with no subscriber loop, found at the next billing provider's HL) is
        about what came before: it is said on the claim before, or (none open) the level
        before when no claim took it -- not on the claims of this HL."""
        code = _el(ev.elements, 3)
        deep = {"A": "20", "B": "22", "C": "23"}

        def before(p: Problem) -> bool:
            loop = p.loop or ""
            return p.rule == "X12_SEGMENT_MISSING" and (
                loop[:2] in ("23", "24") or (code in _HL_PARENT and loop[:2] == "20" and
                                             deep.get(loop[4:5], "") >= code))

        moved = [p for p in ev.problems if before(p)]
        if not moved:
            return ev
        if self.claim is not None:
            self.claim.problems += [(p, pos) for p in moved]
        else:
            level = self._current()
            if level.used or level in (self.interchange, self.group, self.transaction):
                return ev
            level.problems += [(p, pos) for p in moved]
        return Event(ev.raw, ev.elements, ev.loop, ev.ordinal,
                     [p for p in ev.problems if p not in moved], ev.transaction)

    def _hl_count_after_headless(self, ev: Event, pos: Pos) -> Event:
        """An HL after a level whose HL is missing has the wrong count (HL01 one more than
        the HLs before it): that is the missing HL's, said on the claim (or level) it
        left without one, not on the claims of this HL."""
        broken = next((lv for lv in (self.patient, self.subscriber, self.billing)
                       if lv.headless), None)
        if broken is None:
            return ev
        moved = [p for p in ev.problems if p.rule == "X12_HL_INVALID" and
                 p.element == "HL01"]
        if not moved:
            return ev
        if self.claim is not None:
            self.claim.problems += [(p, pos) for p in moved]
        elif not broken.used:
            broken.problems += [(p, pos) for p in moved]
        else:
            return ev
        return Event(ev.raw, ev.elements, ev.loop, ev.ordinal,
                     [p for p in ev.problems if p not in moved], ev.transaction)

    def _hl_parent(self, e: list[str]) -> Problem | None:
        """The problem of an HL whose parent (HL02) is not the level above its own in the
        837 hierarchy: a subscriber (22) is under a billing provider (20), a patient (23)
        under a subscriber. (pyx12 checks only that HL02 names an open HL.)"""
        hl_id, parent, level = _el(e, 1), _el(e, 2), _el(e, 3)
        self.hl_levels.setdefault(hl_id, level)
        want = _HL_PARENT.get(level)
        if want is None:
            return None  # an HL03 the guide does not have: pyx12 says so
        if not want or not parent:
            return None  # HL02 present on 20 or missing on 22/23: pyx12's map says so
        got = self.hl_levels.get(parent) if parent != hl_id else None
        if got is None or got == want:
            return None  # no such earlier HL: pyx12 says so ("HL parent ... not valid")
        return Problem("X12_HL_INVALID", "error",
                       f"HL {hl_id or '?'} ({_HL_NAME[level]}, HL03 {level}) is under HL "
                       f"{parent}, a {_HL_NAME.get(got, 'level')} (HL03 {got}): it belongs "
                       f"under a {_HL_NAME[want]} (HL03 {want})", "HL02", parent,
                       _HL_LOOP[level])

    def cut(self, error: X12Error) -> None:
        """The source stopped being readable (``error``) inside the claim being read: the
        claim is read as far as it goes, and says so."""
        c = self.claim
        if c is None:
            return
        seg = error.segment or ""
        c.problems.append((Problem(
            "X12_SEGMENT_UNTERMINATED", "error",
            f"the file cannot be read from here on ({error.reason}): this claim is cut off "
            "there and read as far as it goes", "", None, c.zone),
            (seg, c.zone, None, error.line or 0, error.offset or 0)))

    def finish(self, final: list[Problem]) -> Iterator[X12Claim]:
        """The end of the source: close what is open; the problems found at the end."""
        yield from self._close_claim()
        for level in (self.patient, self.subscriber, self.billing, self.transaction,
                      self.group, self.interchange):
            yield from self._close_levels(level)
        nowhere: Pos = ("", None, None, 0, 0)
        pending = [(p, nowhere) for p in final]
        if self.cut_off is not None:
            pending.insert(0, self.cut_off)
            self.cut_off = None
        if pending:
            yield self._envelope_from(pending)

    # -- levels --------------------------------------------------------------------------

    def _problem(self, p: Problem, pos: Pos, seg: str) -> None:
        target = self.claim.problems if self.claim is not None else self._current().problems
        target.append((p, pos))

    def _current(self) -> _Level:
        for level in (self.patient, self.subscriber, self.billing, self.transaction,
                      self.group, self.interchange):
            if level.data or level.problems or level.pos:
                return level
        return self.interchange

    def _add(self, ev: Event, pos: Pos, level: _Level) -> None:
        level.problems += [(p, pos) for p in ev.problems]
        level.pos.setdefault("_start", (pos, ""))

    def _level_segment(self, ev: Event, pos: Pos) -> None:
        """A segment outside any claim: the header, a billing provider, a subscriber or
        patient level."""
        e = ev.elements
        seg = ev.id
        if self.patient.data.get("present"):
            level = self.patient
        elif self.subscriber.pos:
            level = self.subscriber
        elif self.billing.pos:
            level = self.billing
        else:
            level = self.transaction
        level.problems += [(p, pos) for p in ev.problems]
        d = level.data
        if seg == "NM1":
            who = _el(e, 1)
            if who == "85" and level is self.billing:
                d["npi"] = _el(e, 9) or None
                level.pos["npi"] = (pos, "NM109")
            elif who == "IL" and level is self.subscriber:
                d["member_id"] = _el(e, 9) or None
                d["name"] = _name(e)
                d["nm1"] = pos
                level.pos["member_id"] = (pos, "NM109")
                level.pos["person"] = (pos, "")
                d["in"] = "IL"
            elif who == "PR" and level is self.subscriber:
                d["payer"] = _el(e, 3) or None
                d["payer_id"] = _el(e, 9) or None
                level.pos["payer"] = (pos, "NM103")
                d["in"] = "PR"
            elif who == "QC" and level is self.patient:
                d["name"] = _name(e)
                level.pos["person"] = (pos, "")
                d["in"] = "QC"
            else:
                d["in"] = who
        elif seg == "PRV" and level is self.billing and _el(e, 1) == "BI":
            # the billing provider's taxonomy: an ambulatory surgical center's (PRV03
            # 261QA1903X) makes an 837P the ASC's facility claim (Claim.asc_facility)
            d["taxonomy"] = _el(e, 3).strip().upper()
            level.pos["taxonomy"] = (pos, "PRV03")
        elif seg == "SBR" and level is self.subscriber:
            d["sbr02"] = _el(e, 2)
            d["filing"] = _el(e, 9) or None
            level.pos["filing"] = (pos, "SBR09")
            level.pos["sbr"] = (pos, "SBR02")
        elif seg == "PAT" and level is self.patient:
            level.pos["pat"] = (pos, "PAT01")
        elif seg == "DMG" and d.get("in") in ("IL", "QC"):
            d["birth"] = _d8(_el(e, 2))
            d["birth_text"] = _el(e, 2)
            d["sex"] = _el(e, 3)
            level.pos["birth"] = (pos, "DMG02")
            level.pos["sex"] = (pos, "DMG03")
            level.pos["dmg"] = (pos, "")

    @staticmethod
    def _line_rendering(line: dict[str, Any], e: list[str], pos: Pos) -> None:
        """A line's own rendering provider: the NPI (NM109) of 2420A (837P) / 2420C (837I)
        ``NM1*82``, the first of the line's; the line's services are that provider's,
        not the claim's (2310B) -- what the NCCI practitioner edits group by."""
        if _el(e, 1) == "82" and "rendering" not in line:
            line["rendering"] = _el(e, 9) or None
            line["rendering_pos"] = pos

    @staticmethod
    def _fifth_modifier(c: Any, proc: list[str], element: str, pos: Pos) -> None:
        """A procedure composite with four modifiers and a modifier-like description
        (``HC:99213:25:59:76:77:91``): the fifth is not read (an 837 line has four modifier
        places), which is said, not left to look like a description."""
        desc = proc[6] if len(proc) > 6 else ""
        if len(_mods(proc)) == 4 and MODIFIER_PATTERN.fullmatch(desc):
            c.problems.append((Problem(
                "X12_MODIFIER_IN_DESCRIPTION", "warning",
                f"{element}-7 {desc!r} looks like a fifth modifier: an 837 line has four "
                f"modifier places ({element}-3 to {element}-6) and {element}-7 is the "
                "procedure's description, so it is not read as a modifier", f"{element}-7",
                desc, "2400"), pos))

    def _claim_segment(self, c: _Claim, ev: Event, pos: Pos) -> None:
        e = ev.elements
        seg = ev.id
        if ev.loop is None:  # a segment the guide does not place: say where it stands
            pos = (pos[0], c.zone, pos[2], pos[3], pos[4])
        c.problems += [(p, pos) for p in ev.problems]
        if seg == "DTP":
            backwards = _backwards(e)
            if backwards is not None:
                c.problems.append((backwards, pos))
        comp = self.comp
        if seg == "LX":
            c.zone = "2400"
            number = _el(e, 1)
            c.lines.append({"lx": _whole_number(number), "lx_text": number, "lx_pos": pos,
                            "adjudications": []})
            c.seg_line[pos[4]] = len(c.lines) - 1
            return
        if c.lines and c.zone in ("2400", "2420", "2430"):
            c.seg_line[pos[4]] = len(c.lines) - 1
        if c.zone == "2400" and c.lines:
            line = c.lines[-1]
            if seg in ("SV1", "SV2") and "sv" not in line:
                line["sv"] = seg
                line["sv_pos"] = pos
                if seg == "SV1":
                    proc = _el(e, 1).split(comp)
                    line["qualifier"] = proc[0]
                    line["code"] = proc[1] if len(proc) > 1 else ""
                    line["mods"] = _mods(proc)
                    self._fifth_modifier(c, proc, "SV101", pos)
                    line["charge"] = _amount(_el(e, 2))
                    line["units"] = _amount(_el(e, 4))
                    line["basis"] = _el(e, 3)
                    line["pos"] = _el(e, 5) or None
                    ptr = _el(e, 7)
                    line["pointers"] = ptr.split(comp) if ptr else []
                else:
                    line["revenue"] = _el(e, 1) or None
                    proc = _el(e, 2).split(comp) if _el(e, 2) else []
                    line["qualifier"] = proc[0] if proc else ""
                    line["code"] = proc[1] if len(proc) > 1 else ""
                    line["mods"] = _mods(proc)
                    self._fifth_modifier(c, proc, "SV202", pos)
                    line["charge"] = _amount(_el(e, 3))
                    line["units"] = _amount(_el(e, 5))
            elif seg == "DTP" and _el(e, 1) == "472" and "date" not in line:
                line["date"] = _period(_el(e, 2) or None, _el(e, 3))
                line["date_pos"] = pos
            elif seg == "REF" and _el(e, 1) == "6R" and "line_id" not in line:
                line["line_id"] = _el(e, 2) or None
                line["line_id_pos"] = pos
            elif seg == "LIN" and _el(e, 2) == "N4" and "ndc" not in line:
                line["ndc"] = _el(e, 3) or None
                line["ndc_pos"] = pos
            elif seg == "SVD":
                line["adjudications"].append({"payer": _el(e, 1), "paid": _amount(_el(e, 2)),
                                              "pos": pos, "cas": Decimal(0)})
                c.zone = "2430"
            elif seg == "NM1":
                c.zone = "2420"
                self._line_rendering(line, e, pos)
            return
        if c.zone == "2430" and c.lines:
            adj = c.lines[-1]["adjudications"]
            if seg == "CAS" and adj:
                adj[-1]["cas"] += _cas_total(e)
            return
        if c.zone == "2420":
            if seg == "NM1" and c.lines:
                self._line_rendering(c.lines[-1], e, pos)
            elif seg == "SVD" and c.lines:
                c.lines[-1]["adjudications"].append({"payer": _el(e, 1),
                                                     "paid": _amount(_el(e, 2)),
                                                     "pos": pos, "cas": Decimal(0)})
                c.zone = "2430"
            return
        if seg == "SBR":
            c.zone = "2320"
            c.cob.append({"pos": pos, "paid": None, "cas": Decimal(0), "payer": None})
            return
        if c.zone == "2320":
            other = c.cob[-1]
            if seg == "AMT" and _el(e, 1) == "D":
                other["paid"] = _amount(_el(e, 2))
                other["paid_pos"] = pos
            elif seg == "CAS":
                other["cas"] += _cas_total(e)
            elif seg == "NM1" and _el(e, 1) == "PR":
                other["payer"] = _el(e, 9)
            return
        # 2300 / 2310
        if seg == "HI":
            for i, composite in enumerate(e[1:], start=1):
                parts = composite.split(comp)
                c.hi.append((parts[0], parts, pos, f"HI{i:02d}"))
        elif seg == "CL1" and c.zone == "2300" and c.status is None:
            c.status = _el(e, 3) or None
            c.paths[("discharge_status",)] = (pos, "CL103")
        elif seg == "REF" and c.zone == "2300" and _el(e, 1) == "F8":
            c.original = _el(e, 2) or None
            c.paths[("corrected_claim_id",)] = (pos, "REF02")
        elif seg == "DTP":
            qual = _el(e, 1)
            if qual in ("434", "435") and qual not in c.dates:
                c.dates[qual] = (_el(e, 2) or None, _el(e, 3) or None, pos)
        elif seg == "NM1":
            c.zone = "2310"
            if _el(e, 1) == "82" and c.rendering is None:
                c.rendering = _el(e, 9) or None
                c.paths[("rendering_provider",)] = (pos, "NM109")

    # -- closing -------------------------------------------------------------------------

    _LEVELS = ("interchange", "group", "transaction", "billing", "subscriber", "patient")

    def _close_levels(self, level: _Level) -> Iterator[X12Claim]:
        """A level ends, and the levels below it: if no claim took their problems, they
        become an envelope record; each starts afresh."""
        order = [getattr(self, name) for name in self._LEVELS]
        start = next((i for i, lv in enumerate(order) if lv is level), 0)
        pending: list[tuple[Problem, Pos]] = []
        for lv in order[start:]:
            if not lv.used:
                pending += lv.problems
        for name in self._LEVELS[start:]:
            setattr(self, name, _Level())
        if pending:
            yield self._envelope_from(pending)

    def _envelope(self) -> Envelope:
        tx = self.tx
        return Envelope(interchange=self.isa13, group=self.gs06,
                        transaction=tx.control if tx else None, sender=self.sender,
                        receiver=self.receiver, version=tx.version if tx else None,
                        guide=tx.guide if tx else None, claim_type=self.claim_type)

    def _location(self, pos: Pos, element: str = "", claim_id: str | None = None,
                  loop: str | None = None) -> Location:
        seg, seg_loop, ordinal, line, offset = pos
        tx = self.tx
        return Location(interchange=self.isa13, group=self.gs06,
                        transaction=tx.control if tx is not None and ordinal else None,
                        claim_id=claim_id, loop=loop or seg_loop, segment=seg or None,
                        ordinal=ordinal, line=line or None,
                        offset=offset if line else None, element=element or None)

    def _x12_finding(self, p: Problem, pos: Pos, path: Path = (),
                     claim_id: str | None = None,
                     line: tuple[int | None, str | None] = (None, None)) -> X12Finding:
        level = X12_RULES.get(p.rule, (1, p.severity))[0]
        if p.segment == "ISA" and "_start" in self.interchange.pos:
            # found at the ST (ISA12 against ST03), about the ISA: the ISA's place
            pos = self.interchange.pos["_start"][0]
        message = p.message
        value = p.value
        if value is not None and len(value) > MAX_SHOWN:
            # a value of thousands of characters is shown by its start and its length
            shown = f"{value[:MAX_SHOWN // 2]}... ({len(value):,} characters)"
            message = message.replace(value, shown)
            value = shown
        if len(message) > 4 * MAX_SHOWN:
            message = f"{message[:2 * MAX_SHOWN]}... ({len(message):,} characters)"
        if value is not None and value != "" and repr(value) not in message and \
                f"({value})" not in message:
            message += f" (value {value!r})"
        f = Finding(p.rule, _SEVERITY.get(p.severity, Severity.ERROR), message, path,
                    p.codes, "WEDI SNIP; ASC X12 005010 TR3 (pyx12)" if level <= 2 else
                    "ASC X12 005010 TR3", p.fix)
        return X12Finding(f, level, self._location(pos, p.element, claim_id, p.loop), *line)

    def _capped(self, items: list[tuple[Problem, Pos]]) -> list[tuple[Problem, Pos]]:
        if len(items) <= MAX_PROBLEMS:
            return items
        rest = len(items) - MAX_PROBLEMS
        last = items[MAX_PROBLEMS - 1][1]
        return [*items[:MAX_PROBLEMS], (Problem(
            "X12_SEGMENT_SYNTAX", "error", f"... and {rest} more problems, not listed "
            f"(the first {MAX_PROBLEMS} are)"), last)]

    def _envelope_from(self, pending: list[tuple[Problem, Pos]]) -> X12Claim:
        findings = tuple(self._x12_finding(p, pos) for p, pos in self._capped(pending))
        first = pending[0][1]
        return X12Claim(None, self._envelope(), self._location(first), findings,
                        kind="envelope")

    def _envelope_record(self, problems: list[Problem], pos: Pos, seg: str,
                         error: X12Error | None = None) -> X12Claim:
        findings = tuple(self._x12_finding(p, pos) for p, pos in
                         self._capped([(p, pos) for p in problems]))
        return X12Claim(None, self._envelope(), self._location(pos), findings, error=error,
                        kind="envelope")

    def _unsupported(self, tx: Transaction) -> X12Unsupported:
        return X12Unsupported(tx.unsupported, source=self.name, line=tx.line or None,
                              offset=tx.offset if tx.line else None,
                              segment="ST" if tx.line else "")

    def _unsupported_claim(self, ev: Event, pos: Pos, tx: Transaction) -> X12Claim:
        claim_id = _el(ev.elements, 1) or None
        return X12Claim(None, self._envelope(), self._location(pos, "", claim_id, "2300"),
                        error=self._unsupported(tx))

    def _close_claim(self) -> Iterator[X12Claim]:
        c = self.claim
        if c is None:
            return
        self.claim = None
        yield self._build(c)
        if self.pending:
            yield from self.pending
            self.pending = []

    def _build(self, c: _Claim) -> X12Claim:
        from ._checks import check_claim, code_formats, number_lines

        levels = [self.interchange, self.group, self.transaction, self.billing,
                  self.subscriber, self.patient]
        for lv in levels:
            lv.used = True
        claim_id = c.claim_id or None
        sub, pat = self.subscriber, self.patient
        paths = dict(c.paths)
        problems: list[tuple[Problem, Pos]] = []
        for lv in levels:
            problems += lv.problems
        problems += c.problems
        institutional = self.claim_type == "institutional"
        # who
        person = pat if pat.data.get("present") else sub
        pd = person.data
        person_paths: list[tuple[str, Path]] = [
            ("sex", ("patient", "sex")), ("birth", ("patient", "birth_date")),
            ("person", ("patient",))]
        for key, ppath in person_paths:
            if key in person.pos:
                paths[ppath] = person.pos[key]
        if "member_id" in sub.pos:
            paths[("patient", "id")] = sub.pos["member_id"]
        if "npi" in self.billing.pos:
            paths[("billing_provider",)] = self.billing.pos["npi"]
        asc = not institutional and self.billing.data.get("taxonomy") == ASC_TAXONOMY
        if asc:
            paths[("asc_facility",)] = self.billing.pos["taxonomy"]
        if "payer" in sub.pos:
            paths[("payer",)] = sub.pos["payer"]
        if "filing" in sub.pos:
            paths[("filing_indicator",)] = sub.pos["filing"]
        if "claim_type" in self.transaction.pos:
            paths[("claim_type",)] = self.transaction.pos["claim_type"]
        patient = Patient(sex=(pd.get("sex") or "").strip().upper(), birth_date=pd.get("birth"),
                          id=sub.data.get("member_id"), name=pd.get("name"))
        # diagnoses and the rest of HI
        dx: list[str] = []
        poa: list[str | None] = []
        dx_hi: dict[int, tuple[Pos, str]] = {}  # diagnosis index -> position
        principal: tuple[str, str | None, Pos, str] | None = None
        others: list[tuple[str, str | None, Pos, str]] = []
        external: list[tuple[str, str | None, Pos, str]] = []
        admitting: tuple[str, Pos, str] | None = None
        reasons: list[tuple[str, Pos, str]] = []
        procedures: list[tuple[Procedure, Pos, str]] = []
        conditions: list[tuple[str, Pos, str]] = []
        #: the 837I's occurrence codes (BH), spans (BI) and value codes (BE) that carry
        #: their date, span or amount (one without: pyx12 says so, the claim has no entry)
        nubc: dict[str, list[tuple[Any, Pos, str]]] = {"BH": [], "BI": [], "BE": []}
        icd9: list[tuple[str, Pos, str]] = []
        bad_dates: list[tuple[Problem, Pos, Path]] = []
        #: codes codekit does not check (not CPT/HCPCS, not ICD-10-PCS), kept in extra
        other_codes: list[dict[str, Any]] = []
        minutes: list[dict[str, Any]] = []
        # an HI BBR (ICD-10-PCS principal procedure, procedures[0]) beside an HI CAH: the
        # CAH row says which came first ("bbr": "before" / "after"), for the 837 writer
        bbr_seen = False
        cah_at: list[dict[str, Any]] = []
        dx_segments = {pos[4] for q, _, pos, ref in c.hi
                       if ref == "HI01" and q in _DX_QUALIFIERS_P}
        for qualifier, parts, pos, ref in c.hi:
            code = parts[1] if len(parts) > 1 else ""
            q = qualifier
            if q in _ICD9 and code:
                icd9.append((q, pos, ref))
            if not institutional:
                if pos[4] in dx_segments:
                    # every position of the diagnosis HI counts for the pointers (SV107)
                    dx_hi[len(dx)] = (pos, f"{ref}-2")
                    dx.append(code)
                elif q == "BG" and code:
                    conditions.append((code, pos, f"{ref}-2"))
                continue
            p9 = parts[8] if len(parts) > 8 and parts[8] else None
            if q in ("ABK", "BK") and principal is None:
                principal = (code, p9, pos, ref)
            elif q in ("ABF", "BF"):
                others.append((code, p9, pos, ref))
            elif q in ("ABN", "BN"):
                external.append((code, p9, pos, ref))
            elif q in ("ABJ", "BJ") and admitting is None:
                admitting = (code, pos, f"{ref}-2")
            elif q in ("APR", "PR"):
                reasons.append((code, pos, f"{ref}-2"))
            elif q in ("BBR", "BBQ", "BR", "BQ", "CAH") and code:
                d8 = parts[3] if len(parts) > 3 and parts[2] == "D8" else ""
                day = _d8(d8) if d8 else None
                # a principal procedure in advanced billing concepts (CAH) is not
                # ICD-10-PCS: kept in extra with its date, for the 837 writer
                where: Path = ("extra", OTHER_CODES_KEY, len(other_codes), "date") \
                    if q == "CAH" else ("procedures", len(procedures))
                if d8 and day is None:
                    name = "Procedure Date" if q in ("BBQ", "BQ") else \
                        "Principal Procedure Date"
                    # pyx12 does not check HI0x-4 (its type is text): the procedure is
                    # kept, without its date
                    bad_dates.append((Problem(
                        "X12_ELEMENT_DATE_INVALID", "error", f'Data element "{name}" '
                        f'({ref}-4) contains an invalid date ({d8})', f"{ref}-4", d8,
                        "2300"), pos, where))
                if q == "CAH":
                    cah_row: dict[str, Any] = {
                        "line": None, "element": f"{ref}-2", "qualifier": q, "code": code,
                        "date": None if day is None else day.isoformat()}
                    if bbr_seen:
                        # a second principal procedure HI (pyx12's
                        # X12_SEGMENT_REPEAT_EXCEEDED): procedures[0] was HI BBR, before it
                        cah_row["bbr"] = "before"
                    cah_at.append(cah_row)
                    other_codes.append(cah_row)
                else:
                    if q in ("BBR", "BR") and not procedures:
                        bbr_seen = True
                        for earlier in cah_at:  # the HI CAH read before this HI BBR
                            earlier["bbr"] = "after"
                    procedures.append((Procedure(code, day), pos, f"{ref}-2"))
            elif q == "BG" and code:
                conditions.append((code, pos, f"{ref}-2"))
            elif q in _HI_DATES and len(parts) > 3 and parts[2] == _HI_DATES[q][0] and \
                    parts[3] and _period(parts[2], parts[3]) is None:
                # an occurrence code's date (D8) or span (RD8): pyx12 does not check HI0x-4
                # (its type is text); one that is not a date is not read
                hi_fmt, hi_name = _HI_DATES[q]
                backwards = " (the range runs backwards)" if hi_fmt == "RD8" and _period(
                    hi_fmt, "-".join(reversed(parts[3].split("-", 1)))) is not None else ""
                bad_dates.append((Problem(
                    "X12_ELEMENT_DATE_INVALID", "error", f'Data element "{hi_name}" '
                    f"({ref}-4) contains an invalid "
                    f"{'date' if hi_fmt == 'D8' else 'date range'} ({parts[3]}){backwards}",
                    f"{ref}-4", parts[3], "2300"), pos, ()))
            elif q in nubc and code:
                if q == "BE":
                    amount = _amount(parts[4] if len(parts) > 4 else None)
                    if amount is not None:
                        nubc[q].append((ValueCode(code.strip(), amount), pos, f"{ref}-2"))
                else:
                    span = _period(parts[2], parts[3]) if len(parts) > 3 and \
                        parts[2] == _HI_DATES[q][0] else None
                    if span is not None:
                        nubc[q].append((Occurrence(code.strip(), span[0]) if q == "BH" else
                                        OccurrenceSpan(code.strip(), *span), pos, f"{ref}-2"))
        if institutional and (principal or others or external):
            for item in ([principal] if principal else [("", None, c.pos, "")]) + \
                    others + external:
                code, p9, pos, ref = item
                if ref:
                    dx_hi[len(dx)] = (pos, f"{ref}-2")
                    # the POA edits report at ("diagnoses", i, "poa"): HI0x-9, where the
                    # indicator is or belongs (pyx12's findings on it get the same path)
                    paths[("diagnoses", len(dx), "poa")] = (pos, f"{ref}-9")
                    if p9 is not None:
                        paths[("poa", len(dx))] = (pos, f"{ref}-9")
                else:
                    dx_hi[len(dx)] = (pos, "")
                dx.append(code)
                poa.append(p9)
        if dx:
            first_hi = next(iter(dx_hi.values()))
            paths[("diagnoses",)] = (first_hi[0], "")
        for i, at in dx_hi.items():
            paths[("diagnoses", i)] = at
        if admitting:
            paths[("admitting_diagnosis",)] = (admitting[1], admitting[2])
        for i, (_, pos, ref) in enumerate(reasons):
            paths[("visit_reasons", i)] = (pos, ref)
        for i, (proc, pos, ref) in enumerate(procedures):
            paths[("procedures", i)] = (pos, ref)
            if proc.date is not None:  # HI0x-4, the procedure's date (the date edits)
                paths[("procedures", i, "date")] = (pos, ref.replace("-2", "-4"))
        for i, (_, pos, ref) in enumerate(conditions):
            paths[("condition_codes", i)] = (pos, ref)
        for q, name in (("BH", "occurrence_codes"), ("BI", "occurrence_spans"),
                        ("BE", "value_codes")):
            for i, (_, pos, ref) in enumerate(nubc[q]):
                paths[(name, i)] = (pos, ref)
        # dates
        statement = None
        if "434" in c.dates:
            fmt, text, pos = c.dates["434"]
            statement = _period(fmt, text)
            paths[("statement_period",)] = (pos, "DTP03")
        admission = None
        if "435" in c.dates:
            fmt, text, pos = c.dates["435"]
            got = _period(fmt, text)
            admission = got[0] if got else None
            paths[("admission_date",)] = (pos, "DTP03")
        # lines
        lines: list[ServiceLine] = []
        sv = "SV2" if institutional else "SV1"
        line_days: list[tuple[dt.date, Pos]] = []
        # LX01 0, repeated or not a number: the lines are numbered by their position in
        # the claim, so no two have one number (check_claim says X12_LX_SEQUENCE)
        by_position = number_lines(c.lines)
        for ln in c.lines:
            if "sv" not in ln:
                continue  # an LX with no SV1/SV2: pyx12 reports the missing segment
            k = len(lines)
            svp: Pos = ln["sv_pos"]
            s = ln["sv"]
            number = ln["number"]
            if s == "SV1" and ln["code"] and ln["qualifier"] in OTHER_PROCEDURE_CODES:
                # SV101-1 ER, IV, WK: not a CPT/HCPCS code, and an 837P line has no other
                # code to check it by: the line is not a codekit line (its date still
                # counts for the claim's); the code is kept in the claim's extra
                ln["other"] = True
                other_codes.append({"line": number, "element": "SV101-2",
                                    "qualifier": ln["qualifier"], "code": ln["code"],
                                    **_other_line(ln)})
                if ln.get("date"):
                    line_days.append((ln["date"][0], ln["date_pos"]))
                continue
            paths[("service_lines", k)] = (ln["lx_pos"], "")
            paths[("service_lines", k, "line")] = (ln["lx_pos"], "LX01")
            proc_el = f"{s}01" if s == "SV1" else f"{s}02"
            paths[("service_lines", k, "procedure_code")] = (svp, f"{proc_el}-2")
            paths[("service_lines", k, "modifiers")] = (svp, f"{proc_el}-3")
            for j, (_, at) in enumerate(ln["mods"]):
                paths[("service_lines", k, "modifiers", j)] = (svp, f"{proc_el}-{at}")
            if s == "SV1":
                paths[("service_lines", k, "charge")] = (svp, "SV102")
                paths[("service_lines", k, "units")] = (svp, "SV104")
                paths[("service_lines", k, "place_of_service")] = (svp, "SV105")
                paths[("service_lines", k, "diagnosis_pointers")] = (svp, "SV107")
                # an empty component (SV107 1::2) is no pointer: the others keep their
                # places (SV107-1, SV107-3)
                ln["pointer_at"] = [j + 1 for j, p in enumerate(ln["pointers"]) if p.strip()]
                for j, at in enumerate(ln["pointer_at"]):
                    paths[("service_lines", k, "diagnosis_pointers", j)] = (svp, f"SV107-{at}")
            else:
                paths[("service_lines", k, "revenue_code")] = (svp, "SV201")
                paths[("service_lines", k, "charge")] = (svp, "SV203")
                paths[("service_lines", k, "units")] = (svp, "SV205")
            day = None
            if ln.get("date"):
                day = ln["date"][0]
                paths[("service_lines", k, "date_of_service")] = (ln["date_pos"], "DTP03")
                line_days.append((day, ln["date_pos"]))
            if ln.get("line_id"):
                paths[("service_lines", k, "line_id")] = (ln["line_id_pos"], "REF02")
            if ln.get("ndc"):
                paths[("service_lines", k, "ndc")] = (ln["ndc_pos"], "LIN03")
            if ln.get("rendering"):
                paths[("service_lines", k, "rendering_provider")] = (ln["rendering_pos"],
                                                                     "NM109")
            pointers = []
            for p in ln.get("pointers", []):
                t = p.strip().upper()
                if not t:
                    continue
                # SV107 is numeric (pyx12 says so of anything else); a CMS-1500 letter A-L
                # is read as its number, as a claim dict's is, so the pointer edits judge
                # what was meant, not "pointer 0"; other text stays 0 (PTR_INVALID)
                n = _whole_number(t)
                pointers.append(n if n is not None else
                                ord(t) - 64 if len(t) == 1 and "A" <= t <= "L" else 0)
            mods = tuple(m for m, _ in ln["mods"])
            code = ln["code"]
            units = ln["units"]
            if s == "SV1" and ln.get("basis") == "MJ" and units is not None and units > 0:
                # SV103 MJ: SV104 is anesthesia time in minutes, not a count of services;
                # the units and MUE edits count services, so the line is one service
                # and its minutes are kept in the claim's extra
                minutes.append({"line": number, "element": "SV104", "minutes": str(units)})
                units = Decimal(1)
            if s == "SV2" and code and ln.get("revenue") and \
                    ln["qualifier"] in OTHER_PROCEDURE_CODES:
                # not a CPT/HCPCS code (a HIPPS rate code on 0022-0024...): the line is
                # checked as a revenue-code-only line; the code is kept in the claim's extra
                other_codes.append({"line": number,
                                    "element": "SV202-2", "qualifier": ln["qualifier"],
                                    "code": code})
                code = ""
            lines.append(ServiceLine(
                line=number, procedure_code=code, modifiers=mods, units=units,
                diagnosis_pointers=tuple(pointers), revenue_code=ln.get("revenue"),
                date_of_service=day, line_id=ln.get("line_id"),
                place_of_service=ln.get("pos"), charge=ln["charge"], ndc=ln.get("ndc"),
                rendering_provider=ln.get("rendering")))
        del sv
        # the claim's date
        dos: dt.date | None = None
        if institutional and statement is not None:
            dos = statement[1]
            paths[("date_of_service",)] = paths[("statement_period",)]
        elif line_days:
            # claims.claim_date's rule: an 837P's earliest line date; an 837I without a
            # statement period, its last (the through date its lines imply)
            first = (max if institutional else min)(line_days, key=lambda t: t[0])
            dos = first[0]
            paths[("date_of_service",)] = (first[1], "DTP03")
        loc_paths = {path: self._location(pos, element, claim_id)
                     for path, (pos, element) in paths.items()}
        # reverse: (segment, element) -> the claim path, for pyx12's findings; a segment
        # with no element of the claim falls back to the line it is in
        reverse: dict[tuple[int, str], Path] = {}
        for where, (pos, element) in paths.items():
            rkey = (pos[4], element)
            if rkey not in reverse or len(where) > len(reverse[rkey]):
                reverse[rkey] = where
        k_of = {i: k for k, i in enumerate(i for i, ln in enumerate(c.lines)
                                           if "sv" in ln and not ln.get("other"))}
        for offset, i in c.seg_line.items():
            if i in k_of:
                reverse.setdefault((offset, ""), ("service_lines", k_of[i]))

        findings: list[X12Finding] = []
        for p, pos in self._capped(problems):
            # a missing segment is found at the segment after it, which it is not about
            where = () if p.rule == "X12_SEGMENT_MISSING" else _reverse(reverse, pos,
                                                                        p.element)
            findings.append(self._x12_finding(p, pos, where, claim_id,
                                              _line_of(c, lines, p, pos, where)))
        envelope = self._envelope()
        clm_loc = self._location(c.pos, "", claim_id, "2300")
        loc_paths[()] = clm_loc
        error: X12Error | None = None
        claim: Claim | None = None
        first_line = None
        if c.claim_id:
            first_line = self.claim_ids.get(c.claim_id)
            if first_line is None and len(self.claim_ids) < MAX_CLAIM_IDS:
                self.claim_ids[c.claim_id] = c.pos[3]
        extra_checks = check_claim(
            c, institutional=institutional, lines=lines, dx=dx, statement=statement,
            admission=admission, icd9=icd9, patient_present=bool(pat.data.get("present")),
            subscriber=sub, bill_type=(c.facility + c.frequency) if institutional else None,
            line_days=line_days, dos=dos, first_line=first_line, by_position=by_position)
        for p, pos, where in bad_dates + extra_checks:
            findings.append(self._x12_finding(p, pos, where, claim_id,
                                              _line_of(c, lines, p, pos, where)))
        for p, pos in code_formats(c):
            where = _reverse(reverse, pos, p.element)
            findings.append(self._x12_finding(p, pos, where, claim_id,
                                              _line_of(c, lines, p, pos, where)))
        headless = next((lv.headless for lv in (self.billing, sub, pat) if lv.headless),
                        None)
        if headless is not None:
            # the claim's hierarchy is broken (an HL is missing): its subscriber, patient
            # or billing provider would be those of the claim before it
            error = X12ClaimUnreadable(
                f"claim {_shown(claim_id)}: {headless}, so the claim's billing provider, "
                "subscriber and patient cannot be told (see X12_SEGMENT_MISSING): it is not "
                "checked", source=self.name, line=c.pos[3], offset=c.pos[4], segment="CLM")
        elif dos is None:
            what = ("no valid statement period (DTP*434) and no valid line date (DTP*472)"
                    if institutional else "no line has a valid service date (DTP*472)")
            if any(p.rule == "X12_ELEMENT_DATE_INVALID" for p, _ in c.problems):
                what += ": a date there is not a date (see X12_ELEMENT_DATE_INVALID)"
            error = X12ClaimUnreadable(f"claim {claim_id}: {what}, so it has no date of "
                                       "service to check its codes on", source=self.name,
                                       line=c.pos[3], offset=c.pos[4], segment="CLM")
        else:
            payer = (sub.data.get("payer") or "").strip().lower() or "unknown"
            claim = Claim(
                claim_type=self.claim_type or "professional", payer=payer, patient=patient,
                date_of_service=dos, diagnoses=tuple(dx), service_lines=tuple(lines),
                bill_type=(c.facility + c.frequency) if institutional and c.facility else None,
                condition_codes=tuple(code for code, _, _ in conditions),
                claim_id=claim_id, billing_provider=self.billing.data.get("npi"),
                rendering_provider=c.rendering,
                place_of_service=None if institutional else (c.facility or None),
                total_charge=c.total, frequency_code=c.frequency or None,
                corrected_claim_id=c.original,
                filing_indicator=sub.data.get("filing"),
                poa=tuple(poa) if any(p is not None for p in poa) else (),
                procedures=tuple(p for p, _, _ in procedures),
                admitting_diagnosis=admitting[0] if admitting else None,
                visit_reasons=tuple(code for code, _, _ in reasons),
                statement_period=statement, admission_date=admission,
                discharge_status=c.status if institutional else None,
                occurrence_codes=tuple(o for o, _, _ in nubc["BH"]),
                occurrence_spans=tuple(o for o, _, _ in nubc["BI"]),
                value_codes=tuple(v for v, _, _ in nubc["BE"]),
                asc_facility=True if asc else None,
                extra={**({OTHER_CODES_KEY: other_codes} if other_codes else {}),
                       **({MINUTES_KEY: minutes} if minutes else {})})
        return X12Claim(claim, envelope, clm_loc, tuple(findings), error=error,
                        paths=loc_paths)


def _line_of(c: _Claim, lines: list[ServiceLine], p: Problem, pos: Pos, where: Path
             ) -> tuple[int | None, str | None]:
    """(number, id) of the service line a finding of claim ``c`` is about: its path's
    (``where``, into ``lines``, the claim's), else the line whose 2400 loop holds the
    segment it is at (an 837P line kept in extra, ER/IV/WK, has no path); a missing
    segment, found at the segment after it, is about no line."""
    if len(where) > 1 and where[0] == "service_lines":
        k = where[1]
        if type(k) is int and k < len(lines):
            return lines[k].line, lines[k].line_id
    if p.rule != "X12_SEGMENT_MISSING":
        i = c.seg_line.get(pos[4])
        if i is not None:
            return c.lines[i].get("number"), c.lines[i].get("line_id")
    return None, None


def _reverse(reverse: dict[tuple[int, str], Path], pos: Pos, element: str) -> Path:
    """The claim path of an X12 element of this claim: the element's own; for another
    component of an HI composite (the qualifier HI0x-1, a date HI0x-3/-4, an indicator
    HI0x-9 the claim holds no field for: an admitting diagnosis's), its code's (HI0x-2);
    its segment's line, or () (the claim)."""
    composite, _, component = element.partition("-")
    code = f"{composite}-2" if composite.startswith("HI") and component else element
    for el in (element, code, composite, "") if element else ("",):
        hit = reverse.get((pos[4], el))
        if hit is not None:
            return hit
    return ()


def _other_line(ln: dict[str, Any]) -> dict[str, Any]:
    """The rest of an 837P line whose code is not CPT/HCPCS (SV101-1 ER, IV, WK), kept in
    its ``extra`` row (OTHER_CODES_KEY) beside the code, so that the 837 writer writes the
    line back (JSON values: amounts as decimal text, the date ISO)."""
    date = ln.get("date")
    return {"modifiers": [m for m, _ in ln["mods"]],
            "charge": None if ln["charge"] is None else str(ln["charge"]),
            "unit_basis": ln.get("basis") or None,
            "units": None if ln["units"] is None else str(ln["units"]),
            "place_of_service": ln.get("pos"), "pointers": list(ln.get("pointers", [])),
            "date": date[0].isoformat() if date else None,
            "line_id": ln.get("line_id"), "ndc": ln.get("ndc")}


def _shown(claim_id: str | None) -> str:
    """A CLM01 as a message names it: a long one by its start and length.

    >>> _shown("X1"), _shown(None), _shown("9" * 200)[-20:]
    ('X1', '(no CLM01)', '... (200 characters)')
    """
    if not claim_id:
        return "(no CLM01)"
    if len(claim_id) > MAX_SHOWN:
        return f"{claim_id[:MAX_SHOWN // 2]}... ({len(claim_id):,} characters)"
    return claim_id


def _mods(proc: list[str]) -> list[tuple[str, int]]:
    """The modifiers of a procedure composite (components 3-6) with their component
    numbers, blanks left out."""
    return [(m, i) for i, m in enumerate(proc[2:6], start=3) if m]


def _name(e: list[str]) -> str | None:
    last, first = _el(e, 3), _el(e, 4)
    if not last and not first:
        return None
    return f"{last}, {first}" if first else last


def _cas_total(e: list[str]) -> Decimal:
    """The sum of the adjustment amounts of a CAS segment (CAS03, 06, 09, 12, 15, 18)."""
    total = Decimal(0)
    for i in (3, 6, 9, 12, 15, 18):
        amount = _amount(_el(e, i))
        if amount is not None:
            total += amount
    return total

r"""Claims out as an 837: the writer the round-trip tests use, and a way to make test files.

:func:`write_837` writes codekit claims as one interchange: one functional group and one
transaction per run of claims of one type (837P 005010X222A1 for professional claims, 837I
005010X223A2 for institutional ones), one billing provider level per run of claims with the
same billing NPI, and a subscriber level per claim (the patient is written as the
subscriber, SBR02 = 18). What :func:`~codekit.x12.read_claims` reads back is the same claim,
field for field, except what an 837 has no place for and what it must have (the list is in
``docs/x12.md``, "What an 837 does not carry"): ``patient.age``, ``opps``,
``dme_supplier`` and ``extra``; on
an 837P the institutional fields (``bill_type``, ``poa``, ``procedures``,
``admitting_diagnosis``, ``visit_reasons``, ``statement_period``, ``discharge_status``) and
the lines' ``revenue_code``; on an 837I the place of service and the lines' pointers and
places of service, and a POA ``1`` (4010A's exempt indicator, which a claim may carry: 5010
has no ``1``, so it is written as the blank HI0x-9 that means exempt, read back as None).
A professional line without a date gets the claim's date (837P requires
one per line), an institutional claim without a statement period gets its date of service as
one, a claim without a frequency code gets ``1``, an institutional claim without a type of
bill ``13`` and its frequency code, an institutional claim without a discharge status ``01``
(CL1-03 is required), a claim without a total charge the sum of its lines' charges (CLM02
is that sum). An 837I line without a date, on a type of bill whose lines all need
one (13x, 71x, 85x...: the reader's ``X12_SERVICE_DATE_MISSING``), gets the statement
period's day when the period is one day (the 837I requires DTP*472 on outpatient lines only
when the period is longer: within one day, that day is the line's).

Of ``extra``, the keys the reader fills with what a line had are written back: an
837P line in minutes (``x12_service_minutes``: SV103 ``MJ``, SV104 the minutes; the line's
``units`` must be 1, as the reader makes it), an 837I revenue line's code that is not
CPT/HCPCS (``x12_other_procedure_codes`` rows of element ``SV202-2``: SV202 is that
qualifier and code; the line must have no ``procedure_code``) and an 837P line coded
ER/IV/WK (rows of element ``SV101-2``, which keep the whole line: written where its LX
number puts it among the claim's lines), and a principal procedure in advanced billing
concepts (rows of element ``HI01-2``, qualifier ``CAH``, with the procedure's ``date``:
written as the 2300 Principal Procedure Information HI, ``HI*CAH:code:D8:date``, where
an ICD-10-PCS principal procedure's ``HI*BBR`` would be; the claim's ``procedures`` are
then all other procedures, ``HI*BBQ``, as the reader reads them back; a row whose ``bbr``
is ``"before"`` or ``"after"`` was read beside an ``HI*BBR``, ``procedures[0]``, and both
principal procedure HIs are written back in that order).

What an 837 cannot hold is refused, never written wrong: a value with a separator, a
line break or a character outside the X12 extended character set, a value that begins or
ends with a space, a code the reader would say is not written as the 837 sends codes
(``_codes``, the one definition of both: a code or modifier in lower case, an ICD-10-PCS
code with a decimal point, a condition code that is not two upper-case letters or digits,
an NDC that is not 11 digits, LIN03's 5-4-2 format), a value longer than its element,
more modifiers, pointers, diagnoses,
procedures, condition codes, reasons for visit or lines than the guide's loops and
composites have room for, an amount that is not a finite number of at most 18 digits
(units: 15), a frequency code that is not the last
digit of the type of bill, line numbers that do not count 1, 2, 3... in the order the
lines are written (LX01: renumber the claim; the writer does not change its numbers); and
what an 837I requires that the claim does not say: an ICD-10-PCS procedure without its
date (HI BBR/BBQ require HI0x-3 ``D8`` and HI0x-4, the date; so does HI CAH), a line
without a date on
a type of bill that needs one on every line when the statement period is more than one
day; and what the guide requires that the claim does not have (``claim_id``, the
patient's last name, on an 837P the patient's ``id`` and ``place_of_service``, a birth date
beside a sex, a diagnosis, a line, each line's charge and units, an 837P line's code and
pointer, an 837I line's revenue code: a required element left empty, or blank, fails
pyx12, and write_837 does not make them up; all of them in one error), and a blank
diagnosis, procedure, condition code or modifier: :class:`~codekit.errors.InvalidArgument`
naming the claim, its index in ``claims`` and the field, before any segment of that claim
is written. With ``out``, the claims before it are then in ``out`` as a complete
interchange (SE, GE and IEA are written before the error is raised); with ``on_refused``,
the claim is skipped and the others written. A blank value (``""``, spaces) of a field
the 837 may leave out (``rendering_provider``, ``corrected_claim_id``, ``line_id``,
``ndc``...) is written as absent, read back as None.

It writes the loops the guides require with placeholder values where a claim has nothing
to say (submitter and receiver names and contact, the billing provider's name, address and
tax ID, the payer ID ``PAYER1``, the rendering provider's name, SBR02 ``18``, CLM06-09,
837I CL1-01 and CL1-02, a drug's quantity ``CTP****1*UN``: every one is listed in
``docs/x12.md``, "What write_837 writes that a claim does not say"), so the output passes
pyx12's validation; it is a test and integration tool, not a billing system.

>>> from codekit.x12 import _example
>>> text = write_837([_example()], date=dt.date(2025, 11, 4), newline="\n")
>>> print("\n".join(text.splitlines()[17:22]))
CLM*PCN-1*125***11:B:1*Y*A*Y*Y~
HI*ABK:E119*ABF:I10~
LX*1~
SV1*HC:99213*125*UN*1***1:2~
DTP*472*D8*20251103~
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from ..claims import ASC_TAXONOMY, CORRECTIONS, REOPENING, bill_class
from ..errors import InvalidArgument, format_path
from ._codes import ICD, NDC, NUBC, PROCEDURE, refusal

if TYPE_CHECKING:
    from ..claims import Claim, ServiceLine

__all__ = ["write_837"]

_VERSION = {"professional": "005010X222A1", "institutional": "005010X223A2"}
#: The X12 5010 extended character set (what pyx12 accepts in an element).
_CHARSET = "A-Za-z0-9!\"&'()*+,\\-./:;?= %~@\\[\\]_{}\\\\|<>^`#$"
#: The most of each repeating thing the guides have room for, per claim type
#: (837P, 837I): diagnoses (HI ABK + ABF), ICD-10-PCS procedures (BBR + 2 HI of BBQ),
#: condition codes (2 HI of BG), reasons for visit (APR), lines (2400 LX); 837I only:
#: occurrence spans (2 HI of BI), occurrence codes (2 HI of BH), value codes (2 HI of BE).
_MOST = {"diagnoses": (12, 25), "procedures": (0, 25), "condition_codes": (24, 24),
         "visit_reasons": (0, 3), "service_lines": (50, 999), "occurrence_spans": (0, 24),
         "occurrence_codes": (0, 24), "value_codes": (0, 24)}
Path = tuple[str | int, ...]


def _d8(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else \
        format(value, "f")
    return text


def _code(code: str) -> str:
    """A diagnosis as X12 writes it: no decimal point."""
    return code.replace(".", "")


def _given(value: str | None) -> str | None:
    """``value``, or None when it is empty or blank (spaces only): an X12 element of
    spaces says nothing (pyx12 and the reader take it as a value), so the writer writes
    a blank optional value as absent and refuses a blank required one."""
    return value if value and value.strip(" ") else None


class _Out:
    """The segments of an interchange, written a claim at a time: :meth:`seg` adds one to
    the claim (or envelope) being written, :meth:`commit` sends them to ``out`` (or keeps
    them for the returned text), :meth:`drop` forgets them."""

    def __init__(self, out: IO[str] | None, d: tuple[str, str, str, str], newline: str
                 ) -> None:
        self.out = out
        self.parts: list[str] = []
        self.pending: list[str] = []
        self.ele, self.comp, self.term, self.rep = d
        self.end = self.term + newline
        self.count = 0  # segments in the current transaction
        self.broken = False  # a write to out raised: nothing more is written to it

    def seg(self, *elements: str) -> None:
        fields = list(elements)
        while len(fields) > 1 and fields[-1] == "":
            fields.pop()
        self.pending.append(self.ele.join(fields) + self.end)
        self.count += 1

    def comps(self, *parts: str) -> str:
        fields = list(parts)
        while len(fields) > 1 and fields[-1] == "":
            fields.pop()
        return self.comp.join(fields)

    def commit(self) -> None:
        text = "".join(self.pending)
        self.pending.clear()
        if self.out is None:
            self.parts.append(text)
            return
        self.broken = True  # until the write returns: a stream that failed is left alone
        self.out.write(text)
        self.broken = False

    def drop(self, count: int) -> None:
        self.pending.clear()
        self.count = count


class _State:
    """Where the interchange is: the open transaction's claim type, the groups and
    transactions so far, the last HL and the billing provider level open."""

    __slots__ = ("billing", "billing_hl", "groups", "hl", "open_type", "st_count")

    def __init__(self) -> None:
        self.open_type: str | None = None
        self.groups = self.st_count = self.hl = self.billing_hl = 0
        self.billing: object = object()

    def copy(self) -> _State:
        other = _State()
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        return other


def write_837(claims: Iterable[Claim], out: IO[str] | None = None, *,
              sender: str = "CODEKIT", receiver: str = "RECEIVER", interchange: int = 1,
              date: dt.date | None = None, delimiters: str = "*:~^", newline: str = "",
              usage: str = "T",
              on_refused: Callable[[int, Claim, InvalidArgument], object] | None = None
              ) -> str | None:
    """Write ``claims`` as one 837 interchange (a functional group and a transaction per
    run of claims of one type). Returns the text, or writes it to ``out``
    (a text stream) a claim at a time and returns None -- for files of any size.

    ``delimiters`` are the element, component, segment and repetition separators;
    ``newline`` is written after each segment terminator (``"\\n"`` for one segment a
    line); ``usage`` is ISA15 (``T`` test, ``P`` production); ``date`` is the
    interchange date (today when None).

    Each claim is checked completely, and its segments made, before any of them is
    written. A claim an 837 cannot hold raises :class:`~codekit.errors.InvalidArgument`
    naming it (its claim_id and its index in ``claims``); with ``out``, the claims
    before it are in ``out`` as a complete interchange: the open transaction, group and
    interchange are closed (SE, GE, IEA, with their counts) before the error is raised,
    and no claim after it is written. With ``on_refused``, such a claim is skipped
    instead: ``on_refused(index, claim, error)`` is called and the next claims are
    written. An exception from ``claims`` itself (a generator that fails) or from
    ``on_refused`` closes the interchange the same way and is raised as it was; one
    from ``out.write`` is raised as it was, and nothing more is written to ``out``.
    """
    if len(delimiters) != 4 or len(set(delimiters)) != 4 or any(
            c.isalnum() or c == " " for c in delimiters):
        raise InvalidArgument(f"delimiters={delimiters!r}: four distinct characters, none a "
                              "letter, digit or space (element, component, segment, "
                              "repetition)")
    if "." in delimiters or "-" in delimiters:
        raise InvalidArgument(f"delimiters={delimiters!r}: '.' and '-' are in the numbers "
                              "and date ranges an 837 holds, they cannot be separators")
    if not 0 <= interchange <= 999_999_999:
        raise InvalidArgument(f"interchange={interchange}: a control number of up to 9 "
                              "digits")
    if newline not in ("", "\n", "\r\n", "\r"):
        raise InvalidArgument(f"newline={newline!r}: '', '\\n', '\\r\\n' or '\\r'")
    if usage not in ("T", "P"):
        raise InvalidArgument(f"usage={usage!r}: 'T' (test) or 'P' (production)")
    d = (delimiters[0], delimiters[1], delimiters[2], delimiters[3])
    bad = re.compile(f"[^{_CHARSET}]|[{re.escape(delimiters)}]")
    for arg, value in (("sender", sender), ("receiver", receiver)):
        if not 1 <= len(value) <= 15 or value.strip() != value or bad.search(value):
            raise InvalidArgument(f"{arg}={value!r}: 1 to 15 characters of the X12 "
                                  "character set, no separator, no leading or trailing "
                                  "space (ISA06/ISA08, GS02/GS03)")
    try:
        items = iter(claims)
    except TypeError:
        raise InvalidArgument(f"claims: a {type(claims).__name__} is not an iterable of "
                              "claims") from None
    from ..claims import Claim

    w = _Out(out, d, newline)
    day = date or dt.date.today()
    isa13 = f"{interchange:09d}"
    w.seg("ISA", "00", " " * 10, "00", " " * 10, "ZZ", f"{sender[:15]:<15}", "ZZ",
          f"{receiver[:15]:<15}", day.strftime("%y%m%d"), "1200", d[3], "00501", isa13, "0",
          usage, d[1])
    w.commit()
    # one functional group per run of claims of one type (a group has one version)
    state = _State()
    written = 0
    refusal: InvalidArgument | None = None
    try:
        for index, claim in enumerate(items):
            try:
                if not isinstance(claim, Claim):
                    raise InvalidArgument(f"a {type(claim).__name__} is not a codekit Claim")
                if claim.claim_type not in _VERSION:
                    raise InvalidArgument(f"claim {claim.claim_id}: claim_type "
                                          f"{claim.claim_type!r} has no 837")
                _check(claim, bad, delimiters)
            except InvalidArgument as e:
                if on_refused is None:
                    refusal = InvalidArgument(_refused(e, index, written, out is not None))
                    raise refusal from e
                on_refused(index, claim, e)
                continue
            before, count = state.copy(), w.count
            try:
                _add(w, state, claim, sender, receiver, day, interchange)
            except BaseException:
                w.drop(count)
                state = before
                raise
            w.commit()
            written += 1
    except BaseException as e:
        if not w.broken:
            _close(w, state, isa13)
            if out is not None and e is not refusal:
                e.add_note(f"write_837: {_held(written)}")
        raise
    _close(w, state, isa13)
    return None if out is not None else "".join(w.parts)


def _refused(e: InvalidArgument, index: int, written: int, streaming: bool) -> str:
    """The message of the error write_837 raises for a claim it cannot write: the
    refusal, the claim's index in ``claims`` and, when streaming, what ``out`` holds."""
    held = f"; {_held(written)}" if streaming else ""
    return f"{e} (claims[{index}]{held}; on_refused= skips such claims)"


def _held(written: int) -> str:
    """What ``out`` holds once write_837 has closed it early."""
    if not written:
        return "out holds an interchange of no claim (ISA, IEA)"
    return (f"out holds the {written} claim{'s' * (written != 1)} written before it, closed "
            "as a complete interchange (SE, GE, IEA)")


def _add(w: _Out, s: _State, claim: Claim, sender: str, receiver: str, day: dt.date,
         interchange: int) -> None:
    """The segments of one claim (a checked one), with the transaction, group and billing
    provider level it opens."""
    if claim.claim_type != s.open_type:
        if s.open_type is not None:
            w.seg("SE", str(w.count + 1), f"{s.st_count:04d}")
            w.seg("GE", "1", str(s.groups))
        s.open_type = claim.claim_type
        s.groups += 1
        w.seg("GS", "HC", sender, receiver, _d8(day), "1200",
              str(s.groups), "X", _VERSION[s.open_type])
        s.st_count += 1
        w.count = 0
        w.seg("ST", "837", f"{s.st_count:04d}", _VERSION[s.open_type])
        w.seg("BHT", "0019", "00", f"{interchange}-{s.st_count}", _d8(day), "1200", "CH")
        w.seg("NM1", "41", "2", sender, "", "", "", "", "46", sender)
        w.seg("PER", "IC", "CONTACT", "TE", "5555555555")
        w.seg("NM1", "40", "2", receiver, "", "", "", "", "46", receiver)
        s.hl, s.billing = 0, object()
    npi = _given(claim.billing_provider)
    # an ambulatory surgical center's facility claim: its billing provider's taxonomy
    # (2000A PRV*BI), which the reader reads back as asc_facility
    asc = bool(claim.asc_facility) and claim.claim_type == "professional"
    if (npi, asc) != s.billing:
        s.billing = (npi, asc)
        s.hl += 1
        s.billing_hl = s.hl
        w.seg("HL", str(s.hl), "", "20", "1")
        if asc:
            w.seg("PRV", "BI", "PXC", ASC_TAXONOMY)
        w.seg("NM1", "85", "2", "BILLING PROVIDER", "", "", "", "", "XX" if npi else "",
              npi or "")
        w.seg("N3", "1 MAIN ST")
        w.seg("N4", "ANYTOWN", "NY", "100010001")
        w.seg("REF", "EI", "123456789")
    s.hl += 1
    w.seg("HL", str(s.hl), str(s.billing_hl), "22", "0")
    _claim(w, claim, s.open_type == "institutional")


def _close(w: _Out, s: _State, isa13: str) -> None:
    """The trailers of what is open: SE and GE of the last transaction, then IEA."""
    w.pending.clear()
    if s.open_type is not None:
        w.seg("SE", str(w.count + 1), f"{s.st_count:04d}")
        w.seg("GE", "1", str(s.groups))
    w.seg("IEA", str(s.groups), isa13)
    w.commit()


def _claim(w: _Out, c: Claim, institutional: bool) -> None:
    p = c.patient
    # the patient is the subscriber (SBR02 18, self): a claim has no subscriber of its
    # own (docs/x12.md, "What write_837 writes that a claim does not say")
    w.seg("SBR", "P", "18", "", "", "", "", "", "", _given(c.filing_indicator) or "")
    last, _, first = (p.name or "").partition(", ")
    member = _given(p.id)
    w.seg("NM1", "IL", "1", last, _given(first) or "", "", "", "", "MI" if member else "",
          member or "")
    if p.birth_date is not None or p.sex:
        w.seg("DMG", "D8", _d8(p.birth_date) if p.birth_date else "", p.sex)
    # NM109 (the payer identifier) is required, and a claim names its payer only
    w.seg("NM1", "PR", "2", c.payer, "", "", "", "", "PI", "PAYER1")
    freq = _given(c.frequency_code) or "1"
    if institutional:
        bill = _bill_type(c)
        if len(bill) == 4 and bill[0] == "0":
            # NUBC's four-digit form (0111, FHIR's TypeOfBill): CLM05-1 is the two
            # digits after the leading 0 (a three-digit CLM05-1 is invalid X12)
            bill = bill[1:]
        facility, freq = bill[:-1], bill[-1]
        w.seg("CLM", c.claim_id or "", _num(_total(c)), "", "",
              w.comps(facility, "A", freq), "", "A", "Y", "Y")
        period = _period(c)
        w.seg("DTP", "434", "RD8", f"{_d8(period[0])}-{_d8(period[1])}")
        if c.admission_date is not None:
            w.seg("DTP", "435", "D8", _d8(c.admission_date))
        # CL1-03 is required: a claim without a status is written as 01 (read back so)
        w.seg("CL1", "1", "1", c.discharge_status or "01")
        corrected = _given(c.corrected_claim_id)
        if corrected is not None:  # 2300 REF*F8, after CL1 (837I)
            w.seg("REF", "F8", corrected)
        poa = c._poa()
        if c.diagnoses:
            w.seg("HI", _hi(w, "ABK", c.diagnoses[0], poa[0]))
        admitting = _given(c.admitting_diagnosis)
        if admitting is not None:
            w.seg("HI", w.comps("ABJ", _code(admitting)))
        if c.visit_reasons:
            w.seg("HI", *(w.comps("APR", _code(r)) for r in c.visit_reasons))
        others = [_hi(w, "ABF", code, poa[i]) for i, code in enumerate(c.diagnoses)
                  if i > 0]
        for k in range(0, len(others), 12):
            w.seg("HI", *others[k:k + 12])
        # the principal procedure: an advanced billing concepts code the reader kept in
        # extra (HI CAH), else the first ICD-10-PCS procedure (HI BBR); then the others.
        # A CAH row with "bbr" was read beside an HI BBR (procedures[0]), before or after
        # it: both are written back where they were (two principal procedure HIs)
        cah = [row for _, row in _cah_rows(c)]
        bbr = _cah_bbr(c)
        shift = 1 if cah and bbr is None else 0  # procedures[0]'s place among the HIs
        procs = [w.comps("BBR" if i + shift == 0 else "BBQ", pr.code,
                         "D8" if pr.date else "", _d8(pr.date) if pr.date else "")
                 for i, pr in enumerate(c.procedures)]
        if bbr == "before":
            w.seg("HI", procs[0])
        if cah:
            w.seg("HI", w.comps("CAH", cah[0]["code"], "D8",
                                _d8(dt.date.fromisoformat(cah[0]["date"]))))
        if bbr == "after" or (procs and not cah):
            w.seg("HI", procs[0])
        for k in range(1 - shift, len(procs), 12):
            w.seg("HI", *procs[k:k + 12])
    else:
        w.seg("CLM", c.claim_id or "", _num(_total(c)), "", "",
              w.comps(c.place_of_service or "", "B", freq), "Y", "A", "Y", "Y")
        if c.admission_date is not None:  # 2300 DTP*435, inpatient professional services
            w.seg("DTP", "435", "D8", _d8(c.admission_date))
        corrected = _given(c.corrected_claim_id)
        if corrected is not None:  # 2300 REF*F8, after the dates (837P)
            w.seg("REF", "F8", corrected)
        codes = [w.comps("ABK" if i == 0 else "ABF", _code(code))
                 for i, code in enumerate(c.diagnoses)]
        for k in range(0, len(codes), 12):
            w.seg("HI", *codes[k:k + 12])
    if institutional:
        # 2300 HI: occurrence spans (BI), occurrence codes (BH), value codes (BE), in the
        # guide's order, before the condition codes (BG)
        nubc = ([w.comps("BI", o.code, "RD8", f"{_d8(o.start)}-{_d8(o.end)}")
                 for o in c.occurrence_spans],
                [w.comps("BH", o.code, "D8", _d8(o.date)) for o in c.occurrence_codes],
                [w.comps("BE", v.code, "", "", _num(v.amount)) for v in c.value_codes])
        for composites in nubc:
            for k in range(0, len(composites), 12):
                w.seg("HI", *composites[k:k + 12])
    if c.condition_codes:
        for k in range(0, len(c.condition_codes), 12):
            w.seg("HI", *(w.comps("BG", code) for code in c.condition_codes[k:k + 12]))
    rendering = _given(c.rendering_provider)
    if rendering is not None:
        # NM103 (the last name) is required and a claim has the NPI only; the provider's
        # taxonomy (PRV, situational in 2310B) is not written
        w.seg("NM1", "82", "1", "RENDERING", "", "", "", "", "XX", rendering)
    minutes, line_codes, other_lines = _extras(c) if c.extra else ({}, {}, [])
    for line in c.service_lines:
        # an 837P line the reader kept in extra (SV101-1 ER, IV, WK) goes back where its
        # LX number puts it among the claim's lines
        while other_lines and other_lines[0][0] < line.line:
            _other_line(w, other_lines.pop(0)[1])
        _line(w, c, line, institutional, minutes.get(line.line), line_codes.get(line.line))
    for _, row in other_lines:
        _other_line(w, row)


def _total(c: Claim) -> Decimal | None:
    """CLM02: the claim's total charge, else the sum of its lines' charges."""
    return c.total_charge if c.total_charge is not None else _line_total(c)


def _bill_type(c: Claim) -> str:
    """The type of bill an 837I of ``c`` has (CLM05-1 + CLM05-3)."""
    return _given(c.bill_type) or f"13{_given(c.frequency_code) or '1'}"


def _period(c: Claim) -> tuple[dt.date, dt.date]:
    """The statement period (2300 DTP*434) an 837I of ``c`` has."""
    return c.statement_period or (c.date_of_service, c.date_of_service)


def _line_date_needed(bill: str) -> bool:
    """Whether every revenue line of a type of bill needs its service date, as the
    reader checks it (X12_SERVICE_DATE_MISSING)."""
    from ._checks import LINE_DATE_BILLS

    return bill_class(bill) in LINE_DATE_BILLS


def _hi(w: _Out, qualifier: str, code: str, poa: str | None) -> str:
    if poa is None or poa == "1":
        # 4010A's exempt "1" (which a claim may still carry) is a blank HI0x-9 in 5010
        return w.comps(qualifier, _code(code))
    return w.comps(qualifier, _code(code), "", "", "", "", "", "", poa)


def _extras(c: Claim) -> tuple[dict[int, str], dict[int, tuple[str, str]],
                              list[tuple[int, Mapping[str, Any]]]]:
    """What the 837 reader keeps of a line in ``Claim.extra`` and the writer puts back
    (:func:`_check` has refused any other shape): line number -> the minutes of an 837P
    anesthesia line (SV103 MJ, SV104), line number -> the (qualifier, code) of an
    837I revenue line's SV202 code that is not CPT/HCPCS (HP, ER, IV, WK), and the 837P
    lines whose SV101 code is not CPT/HCPCS (ER, IV, WK), by line number."""
    from ._mapper import MINUTES_KEY, OTHER_CODES_KEY  # the reader's keys (imported late:
    # write_837 does not need the reader's imports)

    minutes: dict[int, str] = {}
    others: dict[int, tuple[str, str]] = {}
    for row in c.extra.get(MINUTES_KEY) or ():
        minutes[row["line"]] = str(row["minutes"])
    for row in c.extra.get(OTHER_CODES_KEY) or ():
        if row.get("element") == "SV202-2":
            others[row["line"]] = (row["qualifier"], row["code"])
    return minutes, others, [(row["line"], row) for _, row in _sv101_rows(c)]


def _cah_bbr(c: Claim) -> str | None:
    """Where the reader read an HI BBR (``procedures[0]``) beside the claim's HI CAH row:
    its ``bbr``, ``"before"`` or ``"after"`` the CAH (two principal procedure HIs); None
    when the CAH is the one principal procedure (the procedures are all HI BBQ)."""
    rows = _cah_rows(c)
    if not rows or not c.procedures:
        return None
    bbr = rows[0][1].get("bbr")
    return bbr if bbr in ("before", "after") else None


def _cah_rows(c: Claim) -> list[tuple[int, Mapping[str, Any]]]:
    """(index in the list, row) of the HI rows of the reader's OTHER_CODES_KEY (element
    ``HIxx-2`` or qualifier ``CAH``: a principal procedure in advanced billing concepts)."""
    from ._mapper import OTHER_CODES_KEY

    rows = c.extra.get(OTHER_CODES_KEY) if c.extra else None
    if not isinstance(rows, list | tuple):
        return []
    return [(i, row) for i, row in enumerate(rows) if isinstance(row, Mapping) and (
        row.get("qualifier") == "CAH" or _HI_ELEMENT.fullmatch(str(row.get("element"))))]


#: An element of an HI composite's code (``HI01-2``...).
_HI_ELEMENT = re.compile(r"HI\d\d-2")


def _sv101_rows(c: Claim) -> list[tuple[int, Mapping[str, Any]]]:
    """(index in the list, row) of the 837P lines the claim's extra holds (SV101-2 rows of
    the reader's OTHER_CODES_KEY: lines coded ER, IV, WK), by line number once
    :func:`_check_extras` has held their numbers to be whole numbers; in list order before
    (a list that is no list: none)."""
    from ._mapper import OTHER_CODES_KEY

    rows = c.extra.get(OTHER_CODES_KEY) if c.extra else None
    if not isinstance(rows, list | tuple):
        return []
    found = [(i, row) for i, row in enumerate(rows)
             if isinstance(row, Mapping) and row.get("element") == "SV101-2"]
    if all(type(row.get("line")) is int for _, row in found):
        found.sort(key=lambda t: t[1]["line"])
    return found


def _other_line(w: _Out, row: Mapping[str, Any]) -> None:
    """An 837P line whose code is not CPT/HCPCS, from the row the reader kept of it."""
    w.seg("LX", str(row["line"]))
    units = row["units"]
    w.seg("SV1", w.comps(row["qualifier"], row["code"], *row["modifiers"]),
          _num(None if row["charge"] is None else Decimal(row["charge"])),
          row["unit_basis"] or "", _num(None if units is None else Decimal(units)),
          _given(row["place_of_service"]) or "", "", w.comps(*row["pointers"]))
    if row["date"] is not None:
        w.seg("DTP", "472", "D8", _d8(dt.date.fromisoformat(row["date"])))
    line_id, ndc = _given(row["line_id"]), _given(row["ndc"])
    if line_id is not None:
        w.seg("REF", "6R", line_id)
    if ndc is not None:
        _drug(w, ndc)


def _line(w: _Out, c: Claim, line: ServiceLine, institutional: bool,
          minutes: str | None = None, other: tuple[str, str] | None = None) -> None:
    w.seg("LX", str(line.line))
    units = _num(line.units)
    if institutional:
        code = _given(line.procedure_code)
        proc = w.comps("HC", code, *line.modifiers) if code \
            else w.comps(*other) if other is not None else ""
        w.seg("SV2", line.revenue_code or "", proc, _num(line.charge), "UN" if units else "",
              units)
    else:
        pointers = w.comps(*(str(p) for p in line.diagnosis_pointers))
        # an anesthesia line in minutes: read as one unit, its minutes kept in extra
        basis, count = ("MJ", minutes) if minutes is not None else ("UN" if units else "",
                                                                    units)
        w.seg("SV1", w.comps("HC", line.procedure_code, *line.modifiers), _num(line.charge),
              basis, count, _given(line.place_of_service) or "", "", pointers)
    day = line.date_of_service if institutional else c.line_date(line)
    if day is None and institutional and _line_date_needed(_bill_type(c)):
        # the type of bill needs DTP*472 on every line (NUBC UB-04 manual, FL 45; X12 RFI
        # 1435); the 837I requires it on outpatient lines only when the statement period
        # (2300 DTP*434) is more than one day: within a one-day period every service is on
        # that day, so the line's date is it (_check refused a longer period)
        start, end = _period(c)
        day = start if start == end else None
    if day is not None:
        w.seg("DTP", "472", "D8", _d8(day))
    line_id, ndc = _given(line.line_id), _given(line.ndc)
    if line_id is not None:
        w.seg("REF", "6R", line_id)
    if ndc is not None:
        _drug(w, ndc)
    rendering = _given(line.rendering_provider)
    if rendering is not None:
        # the line's own rendering provider: 837P 2420A, 837I 2420C (a placeholder last
        # name, as 2310B's)
        w.seg("NM1", "82", "1", "RENDERING", "", "", "", "", "XX", rendering)


def _drug(w: _Out, ndc: str) -> None:
    """2410 LIN (the NDC) and the CTP the guide requires beside it: a claim has no drug
    quantity (CTP04) or unit (CTP05-1), so they are written as 1 and UN (docs/x12.md,
    "What write_837 writes that a claim does not say")."""
    w.seg("LIN", "", "N4", ndc)
    w.seg("CTP", "", "", "", "1", "UN")


def _check(c: Claim, bad: re.Pattern[str], delimiters: str) -> None:
    """Refuse what the 837 of ``c`` cannot hold (see the module docstring): one
    :class:`InvalidArgument` naming the claim and the field."""
    institutional = c.is_institutional
    who = f"claim {c.claim_id[:40]!r}" if c.claim_id is not None else \
        "a claim without claim_id"
    kind = "837I" if institutional else "837P"

    def fail(path: Path, why: str) -> None:
        raise InvalidArgument(f"{who}: {format_path(path)} {why}: an {kind} cannot hold it")

    def text(path: Path, value: str | None, most: int = 0, least: int = 1) -> None:
        if not _given(value):
            return  # none or blank: not written, or required (see _missing)
        assert value is not None
        if value[0] == " " or value[-1] == " ":
            fail(path, f"{value[:40]!r} " + (
                "begins with a space, which an 837 keeps as part of the value (strip it)"
                if value[0] == " " else "ends with a space (pyx12 rejects trailing spaces: "
                "strip it)"))
        hit = bad.search(value)
        if hit is not None:
            ch = hit.group()
            fail(path, f"{value[:40]!r} has {ch!r}, " + (
                "a separator of this interchange" if ch in delimiters else
                "which is not in the X12 character set"))
        if most and len(value) > most:
            fail(path, f"is {len(value)} characters long (at most {most})")
        if len(value) < least:
            fail(path, f"{value!r} is {len(value)} character{'s' * (len(value) != 1)} long "
                 f"(at least {least})")

    def number(path: Path, value: Decimal | None, digits: int) -> None:
        if value is None:
            return
        if not value.is_finite():
            fail(path, f"is {value}, not a number")
        if len(_num(value).lstrip("-").replace(".", "")) > digits:
            fail(path, f"{value} has more than {digits} digits")

    def count(name: str, n: int) -> None:
        most = _MOST[name][institutional]
        if n > most:
            fail((name,), f"has {n} (at most {most})")

    p = c.patient
    text(("claim_id",), c.claim_id, 38)
    text(("payer",), c.payer, 60)
    text(("patient", "id"), p.id, 80, 2)
    text(("patient", "sex"), p.sex, 1)
    if p.sex and p.sex not in ("F", "M", "U"):
        fail(("patient", "sex"), f"{p.sex!r} is not F, M or U (DMG03)")
    last, _, first = (p.name or "").partition(", ")
    text(("patient", "name"), last, 60)
    text(("patient", "name"), first, 35)
    for key in ("billing_provider", "rendering_provider"):
        text((key,), getattr(c, key), 80, 2)
    # (an 837I has no place of service: not written)
    text(("place_of_service",), c.place_of_service, 2, 1 if institutional else 2)
    for key, most in (("filing_indicator", 2),
                      ("frequency_code", 1), ("corrected_claim_id", 50), ("bill_type", 30),
                      ("admitting_diagnosis", 30)):
        text((key,), getattr(c, key), most)
    frequency = _bill_type(c)[-1] if institutional else (_given(c.frequency_code) or "1")
    corrected = _given(c.corrected_claim_id)
    if corrected is not None and frequency not in CORRECTIONS and frequency != REOPENING:
        # the reader's X12_SEGMENT_NOT_USED: REF*F8 is sent on a replacement or void only
        # (or a reopening, Q: X12 RFI 2173)
        fail(("corrected_claim_id",), f"{corrected[:40]!r} names a claim this "
             f"one corrects, but its frequency code (CLM05-3) is {frequency!r}, neither a "
             "replacement (7) nor a void (8): the 2300 REF*F8 is sent on those only")
    if institutional:  # (an 837P has no admitting diagnosis: not written)
        _sent(fail, ("admitting_diagnosis",), c.admitting_diagnosis, ICD,
              _code(c.admitting_diagnosis or ""))
    if institutional and c.discharge_status is not None:
        if not c.discharge_status.strip():
            fail(("discharge_status",), f"is {c.discharge_status!r}: CL1-03 (patient status "
                 "code) is required, so it cannot be blank (leave discharge_status out and "
                 "it is written as 01)")
        text(("discharge_status",), c.discharge_status, 2)
    number(("total_charge",), c.total_charge, 18)
    for name in ("diagnoses", "condition_codes", "visit_reasons"):
        codes = getattr(c, name)
        count(name, len(codes))
        for i, code in enumerate(codes):
            if not _given(code):
                fail((name, i), f"is blank ({code!r}): each HI composite requires its code")
            text((name, i), code, 30)
            if name == "condition_codes":
                _sent(fail, (name, i), code, NUBC)
            elif name == "diagnoses" or institutional:  # (no reason for visit on an 837P)
                _sent(fail, (name, i), code, ICD, _code(code))
    for name in ("occurrence_spans", "occurrence_codes", "value_codes"):
        # an 837P has no place for them: not carried, as an 837I's other fields
        items = getattr(c, name) if institutional else ()
        count(name, len(items))
        for i, item in enumerate(items):
            if not _given(item.code):
                fail((name, i, "code"), f"is blank ({item.code!r}): each HI composite "
                     "requires its code")
            text((name, i, "code"), item.code, 30)
            _sent(fail, (name, i, "code"), item.code, NUBC)
            if name == "value_codes":
                number((name, i, "amount"), item.amount, 18)
    for i, poa in enumerate(c._poa()):
        text(("poa", i), poa, 1)
        if poa and institutional and poa not in ("N", "U", "W", "Y", "1"):
            # 5010's present-on-admission codes; 4010's exempt "1" is written blank
            fail(("poa", i), f"{poa!r} is not Y, N, U or W (HI0x-9; exempt is no "
                 "indicator)")
    # a principal procedure in advanced billing concepts (HI CAH, kept in extra) takes the
    # place of HI BBR: the claim's procedures are then all HI BBQ (2 segments of 12)
    cah = institutional and bool(_cah_rows(c)) and _cah_bbr(c) is None
    if institutional:
        most = _MOST["procedures"][institutional] - cah
        if len(c.procedures) > most:
            fail(("procedures",), f"has {len(c.procedures)} (at most {most}" + (
                ", all in HI BBQ: the principal procedure is the HI CAH row of extra."
                "x12_other_procedure_codes)" if cah else ")"))
    for i, pr in enumerate(c.procedures):
        if not _given(pr.code):
            fail(("procedures", i, "code"), f"is blank ({pr.code!r}): each HI composite "
                 "requires its code")
        text(("procedures", i), pr.code, 30)
        if institutional:  # (an 837P has no ICD-10-PCS procedures: not written)
            _sent(fail, ("procedures", i), pr.code, ICD)
        if institutional and pr.date is None:
            # 005010X223A2: HI BBR/BBQ composites require HI0x-3 (D8) and HI0x-4, the
            # procedure date; no other date of the claim is the procedure's
            k = i + cah
            where = "HI01-4 of HI BBR, the principal procedure date" if k == 0 else \
                f"HI{(k - 1) % 12 + 1:02d}-4 of HI BBQ, the procedure date"
            fail(("procedures", i, "date"), f"is missing: {pr.code[:40]} needs its date in "
                 f"{where}, which the guide requires: give Procedure({pr.code[:40]!r}, date)")
    if institutional and _given(c.bill_type) and _given(c.frequency_code) and \
            c.bill_type[-1] != c.frequency_code:  # type: ignore[index]
        fail(("frequency_code",), f"{c.frequency_code!r} is not the last digit of the type "
             f"of bill {c.bill_type!r} (CLM05-3 is both)")
    count("service_lines", len(c.service_lines) + len(_sv101_rows(c)))
    bill = _bill_type(c) if institutional else ""
    period = _period(c) if institutional else None
    for k, ln in enumerate(c.service_lines):
        at: Path = ("service_lines", k)
        if period is not None and ln.date_of_service is None and \
                _line_date_needed(bill) and period[0] != period[1]:
            fail((*at, "date_of_service"), f"is missing on line {ln.line} (revenue code "
                 f"{(ln.revenue_code or '?')[:40]}): type of bill {bill[:40]}"
                 f"{'' if _given(c.bill_type) else ' (a claim without bill_type)'} needs a "
                 "service "
                 "date (2400 DTP*472) on every line, and the statement period "
                 f"{period[0]} to {period[1]} is more than one day: give the line its "
                 "date_of_service")
        if type(ln.line) is not int or not 1 <= ln.line <= 999_999:
            fail((*at, "line"), f"{str(ln.line)[:40]} is not a line number (LX01: 1 to "
                 "999999)")
        text((*at, "procedure_code"), ln.procedure_code, 48)
        _sent(fail, (*at, "procedure_code"), ln.procedure_code, PROCEDURE)
        if len(ln.modifiers) > 4:
            fail((*at, "modifiers"), f"has {len(ln.modifiers)} modifiers (at most 4)")
        for j, m in enumerate(ln.modifiers):
            if not _given(m):
                fail((*at, "modifiers", j), "is blank (a blank modifier place is no modifier)")
            text((*at, "modifiers", j), m, 2, 2)
            _sent(fail, (*at, "modifiers", j), m, PROCEDURE)
        if institutional and ln.modifiers and not _given(ln.procedure_code):
            fail((*at, "modifiers"), "has modifiers but no procedure_code (SV202 holds both)")
        if not institutional:
            if len(ln.diagnosis_pointers) > 4:
                fail((*at, "diagnosis_pointers"),
                     f"has {len(ln.diagnosis_pointers)} pointers (at most 4)")
            for j, ptr in enumerate(ln.diagnosis_pointers):
                if not 0 <= ptr <= 99:
                    fail((*at, "diagnosis_pointers", j), f"{ptr} is not a pointer (SV107: 1 "
                         "or 2 digits)")
        for key, most in (("revenue_code", 48), ("line_id", 50), ("ndc", 48)):
            text((*at, key), getattr(ln, key), most)
        text((*at, "rendering_provider"), ln.rendering_provider, 80, 2)
        _sent(fail, (*at, "ndc"), ln.ndc, NDC)
        text((*at, "place_of_service"), ln.place_of_service, 2, 1 if institutional else 2)
        number((*at, "charge"), ln.charge, 18)
        number((*at, "units"), ln.units, 15)
    _check_extras(c, fail, text)
    _check_numbers(c, fail)
    missing = _missing(c)
    if missing:
        raise InvalidArgument(
            f"{who}: an {kind} requires what the claim does not have: "
            f"{', '.join(f'{format_path(path)} ({element})' for path, element in missing)}"
            ": give them (write_837 does not make these up: docs/x12.md lists the values "
            "it writes that a claim does not say)")


def _missing(c: Claim) -> list[tuple[Path, str]]:
    """What the 837 of ``c`` requires that ``c`` does not have (pyx12's 005010X222A1 and
    X223A2 maps: a required element left empty fails them): (the claim path, the X12
    element), in the order they are written. A claim without ``total_charge`` whose
    lines all have their charges is written with their sum (CLM02 is that sum)."""
    from ._mapper import OTHER_CODES_KEY

    institutional = c.is_institutional
    p = c.patient
    out: list[tuple[Path, str]] = []
    if not _given(c.claim_id):
        out.append((("claim_id",), "CLM01" + _blank(c.claim_id)))
    others = _sv101_rows(c)
    if c.total_charge is None and _line_total(c) is None:
        out.append((("total_charge",), "CLM02"))
    if not institutional and not _given(c.place_of_service):
        out.append((("place_of_service",), "CLM05-1" + _blank(c.place_of_service)))
    if not c.payer.strip():
        out.append((("payer",), "NM103 of 2010BB, the payer's name"))
    last = (p.name or "").partition(", ")[0]
    if not _given(last):
        out.append((("patient", "name"), "NM103, the last name" + _blank(last)))
    if not institutional and not _given(p.id):
        out.append((("patient", "id"), "NM109" + _blank(p.id)))
    if p.sex and p.birth_date is None:
        out.append((("patient", "birth_date"), "DMG02" + (
            ": an 837 carries the birth date, not the age" if p.age is not None else "")))
    if p.birth_date is not None and not p.sex:
        out.append((("patient", "sex"), "DMG03"))
    frequency = _bill_type(c)[-1] if institutional else (_given(c.frequency_code) or "1")
    if frequency in CORRECTIONS and not _given(c.corrected_claim_id):
        out.append((("corrected_claim_id",), f"REF*F8, the payer's claim control number of "
                    f"the claim a {'replacement' if frequency == '7' else 'void'} "
                    f"(CLM05-3 {frequency}) corrects" + _blank(c.corrected_claim_id)))
    if not c.diagnoses:
        out.append((("diagnoses",), "HI ABK, the principal diagnosis"))
    if not c.service_lines and not others:
        out.append((("service_lines",), "LX: a claim has one line at least"))
    sv = "SV2" if institutional else "SV1"
    for k, ln in enumerate(c.service_lines):
        at: Path = ("service_lines", k)
        if institutional and not _given(ln.revenue_code):
            out.append(((*at, "revenue_code"), "SV201" + _blank(ln.revenue_code)))
        if not institutional and not _given(ln.procedure_code):
            out.append(((*at, "procedure_code"), "SV101-2" + _blank(ln.procedure_code)))
        if ln.charge is None:
            out.append(((*at, "charge"), f"{sv}0{3 if institutional else 2}"))
        if ln.units is None:
            out.append(((*at, "units"), f"{sv}0{5 if institutional else 4}"))
        if not institutional and not ln.diagnosis_pointers:
            out.append(((*at, "diagnosis_pointers"), "SV107-1"))
    for i, row in others:
        at = ("extra", OTHER_CODES_KEY, i)
        for key, element in (("charge", "SV102"), ("unit_basis", "SV103"), ("units", "SV104"),
                             ("pointers", "SV107-1")):
            if not row[key]:
                out.append(((*at, key), element))
    return out


def _sent(fail: Callable[[Path, str], None], path: Path, code: str | None, kind: str,
          written: str | None = None) -> None:
    """Refuse ``code`` (at ``path``) when the reader would say that its 837 form
    (``written``, else ``code``: a diagnosis is written without its decimal point) is not
    written as the 837 sends a code of ``kind`` (``_codes``, the one definition of both:
    X12_CODE_FORMAT, X12_ELEMENT_CODE_INVALID). A blank one is not written (or refused
    as blank elsewhere)."""
    value = _given(code)
    if value is None:
        return
    why = refusal(value if written is None else written, kind)
    if why is not None:
        fail(path, f"{value[:40]!r} {why[:200]}")


def _blank(value: str | None) -> str:
    """What :func:`_missing` says of a required value that is there but blank."""
    return f": {value!r} is blank" if value and not _given(value) else ""


def _line_total(c: Claim) -> Decimal | None:
    """The sum of the charges of the lines an 837 of ``c`` has (with the 837P lines kept
    in extra), None when one has none."""
    total = Decimal(0)
    for ln in c.service_lines:
        if ln.charge is None:
            return None
        total += ln.charge
    for _, row in _sv101_rows(c):
        if row["charge"] is None:
            return None
        total += Decimal(row["charge"])
    return total


def _check_numbers(c: Claim, fail: Callable[[Path, str], None]) -> None:
    """The lines' numbers (LX01), in the order :func:`_claim` writes them (the 837P lines
    kept in extra where their numbers put them), must count 1, 2, 3...: the guides
    require it, and the claim's numbers are not changed behind its back."""
    from ._mapper import OTHER_CODES_KEY

    lines = c.service_lines
    if not c.extra and all(ln.line == k + 1 for k, ln in enumerate(lines)):
        return  # the usual claim
    others = [(row["line"], i) for i, row in _sv101_rows(c)]
    written: list[tuple[int, Path]] = []
    for k, ln in enumerate(lines):
        while others and others[0][0] < ln.line:
            number, i = others.pop(0)
            written.append((number, ("extra", OTHER_CODES_KEY, i, "line")))
        written.append((ln.line, ("service_lines", k, "line")))
    written += [(number, ("extra", OTHER_CODES_KEY, i, "line")) for number, i in others]
    for n, (number, path) in enumerate(written, start=1):
        if number != n:
            fail(path, f"is {number}, but it would be written as line {n} of the claim: "
                 "LX01 numbers an 837's lines 1, 2, 3... in the order they are written; "
                 "renumber the claim's lines (each line's line_id, REF*6R, stays with it)")


#: The keys of an SV101-2 row of OTHER_CODES_KEY (the reader's ``_other_line``).
_OTHER_LINE_KEYS = ("line", "element", "qualifier", "code", "modifiers", "charge",
                    "unit_basis", "units", "place_of_service", "pointers", "date", "line_id",
                    "ndc")


def _check_extras(c: Claim, fail: Callable[[Path, str], None],
                  text: Callable[..., None]) -> None:
    """The line data the 837 reader keeps in ``Claim.extra`` (MINUTES_KEY,
    OTHER_CODES_KEY) must name lines the claim has, as the reader writes them: what is
    written back from it is what was read."""
    from ._mapper import MINUTES_KEY, OTHER_CODES_KEY, OTHER_PROCEDURE_CODES

    if MINUTES_KEY not in c.extra and OTHER_CODES_KEY not in c.extra:
        return
    lines: dict[object, ServiceLine] = {ln.line: ln for ln in c.service_lines}
    rows = c.extra.get(MINUTES_KEY)
    if rows is not None:
        if not isinstance(rows, list | tuple):
            fail(("extra", MINUTES_KEY), "is not a list of {line, minutes}")
        for i, row in enumerate(rows):
            at: Path = ("extra", MINUTES_KEY, i)
            ln = lines.get(row.get("line")) if isinstance(row, Mapping) else None
            if ln is None:
                fail(at, "does not name a service line of the claim ({line, minutes})")
                continue
            if c.is_institutional:
                fail(at, "is an anesthesia line in minutes (SV103 MJ), which only an 837P "
                     "line has")
            minutes = str(row.get("minutes"))
            try:
                value = Decimal(minutes) if len(minutes) <= 40 else Decimal("NaN")
            except ArithmeticError:
                value = Decimal("NaN")
            if not value.is_finite() or value <= 0 or minutes != _num(value) or \
                    len(minutes.replace(".", "")) > 15:
                fail((*at, "minutes"), f"{minutes[:40]!r} is not a number of minutes (SV104: "
                     "more than 0, at most 15 digits)")
            if ln.units != 1:
                fail(at, f"names line {ln.line}, whose units are {ln.units}: a line in "
                     "minutes is one service")
    rows = c.extra.get(OTHER_CODES_KEY)
    if rows is not None:
        if not isinstance(rows, list | tuple):
            fail(("extra", OTHER_CODES_KEY), "is not a list of {line, element, qualifier, "
                 "code}")
        for i, row in enumerate(rows):
            at = ("extra", OTHER_CODES_KEY, i)
            if isinstance(row, Mapping) and row.get("element") == "SV101-2":
                _check_other_line(c, row, at, lines, fail, text)
                continue
            if isinstance(row, Mapping) and (row.get("qualifier") == "CAH" or _HI_ELEMENT.
                                             fullmatch(str(row.get("element")))):
                _check_cah(c, row, at, fail, text)
                continue
            if not isinstance(row, Mapping) or row.get("element") != "SV202-2":
                continue  # not written (see the module docstring)
            ln = lines.get(row.get("line"))
            if ln is None or not c.is_institutional:
                fail(at, "does not name a service line of the 837I claim")
                continue
            if _given(ln.procedure_code):
                fail(at, f"names line {ln.line}, which has procedure code "
                     f"{ln.procedure_code!r}: SV202 holds one code")
            if row.get("qualifier") not in OTHER_PROCEDURE_CODES:
                fail((*at, "qualifier"), f"{str(row.get('qualifier'))[:40]!r} is not one of "
                     f"{', '.join(sorted(OTHER_PROCEDURE_CODES))}")
            code = row.get("code")
            if not isinstance(code, str) or not _given(code):
                fail((*at, "code"), "is not a code")
            text((*at, "code"), code, 48)


#: The keys of an HI CAH row of OTHER_CODES_KEY (the reader's).
_CAH_KEYS = ("line", "element", "qualifier", "code", "date")


def _check_cah(c: Claim, row: Mapping[str, Any], at: Path,
               fail: Callable[[Path, str], None],
               text: Callable[..., None]) -> None:
    """An HI row of OTHER_CODES_KEY is a principal procedure in advanced billing concepts
    (HI CAH) the reader kept: the 837I's Principal Procedure Information HI (one segment
    of one composite, HI01) holds it, with its date (HI01-3 ``D8``, HI01-4: required)."""
    if not c.is_institutional:
        fail(at, "is a principal procedure in advanced billing concepts (HI CAH), which "
             "only an 837I has")
    missing = [key for key in _CAH_KEYS if key not in row]
    if missing:
        fail(at, f"is not an HI CAH row of the 837 reader ({', '.join(missing)} missing: "
             "it keeps line null, element HI01-2, qualifier CAH, code and date)")
    if row["qualifier"] != "CAH":
        fail((*at, "qualifier"), f"{str(row['qualifier'])[:40]!r} is not CAH (HI01-1 of the "
             "principal procedure HI: BBR is an ICD-10-PCS code, a Procedure of procedures)")
    if row["element"] != "HI01-2" or row["line"] is not None:
        fail(at, f"is element {str(row['element'])[:40]!r}, line {str(row['line'])[:40]}: "
             "a principal procedure in advanced billing concepts is HI01-2 of the 2300 "
             "principal procedure HI (element HI01-2, line null)")
    cah = _cah_rows(c)
    if len(cah) > 1 and cah[0][0] != at[-1]:  # the rows after the first
        fail(at, "is a second principal procedure (HI CAH): the 837I has one principal "
             "procedure HI")
    if "bbr" in row:
        if row["bbr"] not in ("before", "after"):
            fail((*at, "bbr"), f"{str(row['bbr'])[:40]!r} is not 'before' or 'after' (where "
                 "the reader read the HI BBR of procedures[0] beside this HI CAH)")
        elif not c.procedures:
            fail((*at, "bbr"), f"is {row['bbr']!r}: the row was read beside an HI BBR, "
                 "the principal procedure procedures[0], and the claim has no procedures")
    code = row["code"]
    if not isinstance(code, str) or not _given(code):
        fail((*at, "code"), "is not a code")
    text((*at, "code"), code, 30)
    day = row["date"]
    if day is None:
        fail((*at, "date"), f"is missing: {code[:40]} needs its date in HI01-4 of HI CAH, "
             "the principal procedure date, which the guide requires: give the row its "
             "date (YYYY-MM-DD)")
    try:
        iso = dt.date.fromisoformat(day).isoformat()
    except (TypeError, ValueError):
        iso = None
    if iso != day:  # YYYY-MM-DD, as the reader writes it
        fail((*at, "date"), f"{str(day)[:40]!r} is not an ISO date (HI01-4)")


def _check_other_line(c: Claim, row: Mapping[str, Any], at: Path,
                      lines: Mapping[object, ServiceLine], fail: Callable[[Path, str], None],
                      text: Callable[..., None]) -> None:
    """An SV101-2 row of OTHER_CODES_KEY is an 837P line the reader kept whole (SV101-1 ER,
    IV, WK): it is written back as it was read, so it must be a row the reader writes."""
    if c.is_institutional:
        fail(at, "is an 837P line (SV101), which an 837I has no place for")
    missing = [key for key in _OTHER_LINE_KEYS if key not in row]
    if missing:
        fail(at, f"does not keep the line it names ({', '.join(missing)} missing): it is "
             "not a row of the 837 reader, which keeps the whole line")
    number = row["line"]
    if not isinstance(number, int) or isinstance(number, bool) or \
            not 1 <= number <= 999_999:
        fail((*at, "line"), f"{str(number)[:40]!r} is not a line number (LX01: 1 to 999999)")
    if number in lines:
        fail((*at, "line"), f"{number} is also the number of a service line of the claim")
    if row["qualifier"] not in ("ER", "IV", "WK"):
        fail((*at, "qualifier"), f"{str(row['qualifier'])[:40]!r} is not one of ER, IV, WK "
             "(SV101-1)")
    code = row["code"]
    if not isinstance(code, str) or not _given(code):
        fail((*at, "code"), "is not a code")
    text((*at, "code"), code, 48)
    mods = row["modifiers"]
    if not isinstance(mods, list | tuple) or len(mods) > 4 or \
            not all(isinstance(m, str) and _given(m) for m in mods):
        fail((*at, "modifiers"), "is not a list of at most 4 modifiers")
    for j, m in enumerate(mods):
        text((*at, "modifiers", j), m, 2, 2)
    for key, digits in (("charge", 18), ("units", 15)):
        value = row[key]
        if value is None:
            continue
        try:
            d = Decimal(value) if isinstance(value, str) and len(value) <= 40 else None
        except ArithmeticError:
            d = None
        if d is None or not d.is_finite() or \
                len(_num(d).lstrip("-").replace(".", "")) > digits:
            fail((*at, key), f"{str(value)[:40]!r} is not an amount of at most {digits} "
                 "digits")
    if row["unit_basis"] not in (None, "UN", "MJ"):
        fail((*at, "unit_basis"), f"{str(row['unit_basis'])[:40]!r} is not UN or MJ (SV103)")
    pointers = row["pointers"]
    if not isinstance(pointers, list | tuple) or len(pointers) > 4:
        fail((*at, "pointers"), "is not a list of at most 4 pointers (SV107)")
    for j, ptr in enumerate(pointers):
        if not isinstance(ptr, str) or not _given(ptr):
            fail((*at, "pointers", j), "is not a pointer")
        text((*at, "pointers", j), ptr, 2)
    day = row["date"]
    if day is not None:
        try:
            iso = dt.date.fromisoformat(day).isoformat()
        except (TypeError, ValueError):
            iso = None
        if iso != day:  # YYYY-MM-DD, as the reader writes it
            fail((*at, "date"), f"{str(day)[:40]!r} is not an ISO date (DTP*472)")
    for key, most in (("place_of_service", 2), ("line_id", 50), ("ndc", 48)):
        value = row[key]
        if value is not None and not isinstance(value, str):
            fail((*at, key), "is not text")
        text((*at, key), value, most, 2 if key == "place_of_service" else 1)
    _sent(fail, (*at, "ndc"), row["ndc"], NDC)

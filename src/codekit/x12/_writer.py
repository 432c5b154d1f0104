r"""Claims out as an 837: the writer the round-trip tests use, and a way to make test files.

:func:`write_837` writes codekit claims as one interchange: one functional group and one
transaction per run of claims of one type (837P 005010X222A1 for professional claims,
837I 005010X223A2 for institutional ones), one billing provider level per run of claims
with the same billing NPI, and a subscriber level per claim (the patient is written as
the subscriber, SBR02 = 18). What :func:`~codekit.x12.read_claims` reads back is the same
claim, field for field, except what an 837 has no place for (``patient.age``, ``opps``,
``extra``) and what it must have: a professional line without a date gets the claim's
date (837P requires one per line), an institutional claim without a statement period
gets its date of service as one, a claim without a frequency code gets ``1``.

It writes the loops the guides require with placeholder values where a claim has nothing
to say (submitter and receiver names, the billing provider's address and tax ID), so the
output passes pyx12's validation; it is a test and integration tool, not a billing system.

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
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from ..errors import InvalidArgument

if TYPE_CHECKING:
    from ..claims import Claim, ServiceLine

__all__ = ["write_837"]

_VERSION = {"professional": "005010X222A1", "institutional": "005010X223A2"}


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


class _Out:
    def __init__(self, out: IO[str] | None, d: tuple[str, str, str, str], newline: str
                 ) -> None:
        self.out = out
        self.parts: list[str] = []
        self.ele, self.comp, self.term, self.rep = d
        self.newline = newline
        self.count = 0  # segments in the current transaction

    def seg(self, *elements: str) -> None:
        fields = list(elements)
        while len(fields) > 1 and fields[-1] == "":
            fields.pop()
        text = self.ele.join(fields) + self.term + self.newline
        self.count += 1
        if self.out is not None:
            self.out.write(text)
        else:
            self.parts.append(text)

    def comps(self, *parts: str) -> str:
        fields = list(parts)
        while len(fields) > 1 and fields[-1] == "":
            fields.pop()
        return self.comp.join(fields)


def write_837(claims: Iterable[Claim], out: IO[str] | None = None, *,
              sender: str = "CODEKIT", receiver: str = "RECEIVER", interchange: int = 1,
              date: dt.date | None = None, delimiters: str = "*:~^", newline: str = "",
              usage: str = "T") -> str | None:
    """Write ``claims`` as one 837 interchange (a functional group and a transaction per
    run of claims of one type). Returns the text, or writes it to ``out``
    (a text stream) segment by segment and returns None -- for files of any size.

    ``delimiters`` are the element, component, segment and repetition separators;
    ``newline`` is written after each segment terminator (``"\\n"`` for one segment a
    line); ``usage`` is ISA15 (``T`` test, ``P`` production); ``date`` is the
    interchange date (today when None).
    """
    if len(delimiters) != 4 or len(set(delimiters)) != 4 or any(
            c.isalnum() or c == " " for c in delimiters):
        raise InvalidArgument(f"delimiters={delimiters!r}: four distinct characters, none a "
                              "letter, digit or space (element, component, segment, "
                              "repetition)")
    if not 0 <= interchange <= 999_999_999:
        raise InvalidArgument(f"interchange={interchange}: a control number of up to 9 "
                              "digits")
    d = (delimiters[0], delimiters[1], delimiters[2], delimiters[3])
    w = _Out(out, d, newline)
    day = date or dt.date.today()
    isa13 = f"{interchange:09d}"
    w.seg("ISA", "00", " " * 10, "00", " " * 10, "ZZ", f"{sender[:15]:<15}", "ZZ",
          f"{receiver[:15]:<15}", day.strftime("%y%m%d"), "1200", d[3], "00501", isa13, "0",
          usage, d[1])
    # one functional group per run of claims of one type (a group has one version)
    st_count = groups = 0
    open_type: str | None = None
    hl = 0
    billing_hl = 0
    billing: object = object()
    for claim in claims:
        if claim.claim_type != open_type:
            if open_type is not None:
                w.seg("SE", str(w.count + 1), f"{st_count:04d}")
                w.seg("GE", "1", str(groups))
            open_type = claim.claim_type
            if open_type not in _VERSION:
                raise InvalidArgument(f"claim {claim.claim_id}: claim_type "
                                      f"{open_type!r} has no 837")
            groups += 1
            w.seg("GS", "HC", sender, receiver, _d8(day), "1200",
                  str(groups), "X", _VERSION[open_type])
            st_count += 1
            w.count = 0
            w.seg("ST", "837", f"{st_count:04d}", _VERSION[open_type])
            w.seg("BHT", "0019", "00", f"{interchange}-{st_count}", _d8(day), "1200", "CH")
            w.seg("NM1", "41", "2", sender, "", "", "", "", "46", sender)
            w.seg("PER", "IC", "CONTACT", "TE", "5555555555")
            w.seg("NM1", "40", "2", receiver, "", "", "", "", "46", receiver)
            hl, billing = 0, object()
        if claim.billing_provider != billing:
            billing = claim.billing_provider
            hl += 1
            billing_hl = hl
            w.seg("HL", str(hl), "", "20", "1")
            if open_type == "institutional":
                w.seg("PRV", "BI", "PXC", "282N00000X")
            npi = claim.billing_provider or ""
            w.seg("NM1", "85", "2", "BILLING PROVIDER", "", "", "", "", "XX" if npi else "",
                  npi)
            w.seg("N3", "1 MAIN ST")
            w.seg("N4", "ANYTOWN", "NY", "100010001")
            w.seg("REF", "EI", "123456789")
        hl += 1
        w.seg("HL", str(hl), str(billing_hl), "22", "0")
        _claim(w, claim, open_type == "institutional")
    if open_type is not None:
        w.seg("SE", str(w.count + 1), f"{st_count:04d}")
        w.seg("GE", "1", str(groups))
    w.seg("IEA", str(groups), isa13)
    return None if out is not None else "".join(w.parts)


def _claim(w: _Out, c: Claim, institutional: bool) -> None:
    p = c.patient
    w.seg("SBR", "P", "18", "", "", "", "", "", "", c.filing_indicator or "")
    last, _, first = (p.name or "").partition(", ")
    w.seg("NM1", "IL", "1", last, first, "", "", "", "MI" if p.id else "", p.id or "")
    if p.birth_date is not None or p.sex:
        w.seg("DMG", "D8", _d8(p.birth_date) if p.birth_date else "", p.sex)
    w.seg("NM1", "PR", "2", c.payer, "", "", "", "", "PI", "PAYER1")
    freq = c.frequency_code or "1"
    if institutional:
        bill = c.bill_type or "131"
        facility, freq = bill[:-1], bill[-1]
        w.seg("CLM", c.claim_id or "", _num(c.total_charge), "", "",
              w.comps(facility, "A", freq), "", "A", "Y", "Y")
        period = c.statement_period or (c.date_of_service, c.date_of_service)
        w.seg("DTP", "434", "RD8", f"{_d8(period[0])}-{_d8(period[1])}")
        if c.admission_date is not None:
            w.seg("DTP", "435", "D8", _d8(c.admission_date))
        w.seg("CL1", "1", "1", "01")
        poa = c._poa()
        if c.diagnoses:
            w.seg("HI", _hi(w, "ABK", c.diagnoses[0], poa[0]))
        if c.admitting_diagnosis is not None:
            w.seg("HI", w.comps("ABJ", _code(c.admitting_diagnosis)))
        if c.visit_reasons:
            w.seg("HI", *(w.comps("APR", _code(r)) for r in c.visit_reasons))
        others = [_hi(w, "ABF", code, poa[i]) for i, code in enumerate(c.diagnoses)
                  if i > 0]
        for k in range(0, len(others), 12):
            w.seg("HI", *others[k:k + 12])
        procs = [w.comps("BBR" if i == 0 else "BBQ", pr.code, "D8" if pr.date else "",
                         _d8(pr.date) if pr.date else "")
                 for i, pr in enumerate(c.procedures)]
        if procs:
            w.seg("HI", procs[0])
        for k in range(1, len(procs), 12):
            w.seg("HI", *procs[k:k + 12])
    else:
        w.seg("CLM", c.claim_id or "", _num(c.total_charge), "", "",
              w.comps(c.place_of_service or "", "B", freq), "Y", "A", "Y", "Y")
        codes = [w.comps("ABK" if i == 0 else "ABF", _code(code))
                 for i, code in enumerate(c.diagnoses)]
        for k in range(0, len(codes), 12):
            w.seg("HI", *codes[k:k + 12])
    if c.condition_codes:
        for k in range(0, len(c.condition_codes), 12):
            w.seg("HI", *(w.comps("BG", code) for code in c.condition_codes[k:k + 12]))
    if c.rendering_provider is not None:
        w.seg("NM1", "82", "1", "RENDERING", "PROVIDER", "", "", "", "XX",
              c.rendering_provider)
        if not institutional:
            w.seg("PRV", "PE", "PXC", "207Q00000X")
    for line in c.service_lines:
        _line(w, c, line, institutional)


def _hi(w: _Out, qualifier: str, code: str, poa: str | None) -> str:
    if poa is None:
        return w.comps(qualifier, _code(code))
    return w.comps(qualifier, _code(code), "", "", "", "", "", "", poa)


def _line(w: _Out, c: Claim, line: ServiceLine, institutional: bool) -> None:
    w.seg("LX", str(line.line))
    units = _num(line.units)
    if institutional:
        proc = w.comps("HC", line.procedure_code, *line.modifiers) if line.procedure_code \
            else ""
        w.seg("SV2", line.revenue_code or "", proc, _num(line.charge), "UN" if units else "",
              units)
    else:
        pointers = w.comps(*(str(p) for p in line.diagnosis_pointers))
        w.seg("SV1", w.comps("HC", line.procedure_code, *line.modifiers), _num(line.charge),
              "UN" if units else "", units, line.place_of_service or "", "", pointers)
    day = line.date_of_service if institutional else c.line_date(line)
    if day is not None:
        w.seg("DTP", "472", "D8", _d8(day))
    if line.line_id is not None:
        w.seg("REF", "6R", line.line_id)
    if line.ndc is not None:
        w.seg("LIN", "", "N4", line.ndc)
        w.seg("CTP", "", "", "", "1", "UN")

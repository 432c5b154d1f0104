"""Round trips, field by field: a claim holding each field, written by each writer
(``Claim.to_dict``, ``x12.write_837``, ``fhir.from_claim``) and read back, is the same
claim, and the written claim has no reader findings its source did not have (nor loses
one). What an 837 does not carry is listed in docs/x12.md and checked here as such."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import attrs
import pytest

from codekit import fhir
from codekit.claims import Claim, Procedure, ServiceLine
from codekit.errors import InvalidArgument
from codekit.x12 import read_claims, write_837
from tests.test_x12 import _inst, _prof

pytest.importorskip("pyx12")
D = dt.date

MINUTES = {"x12_service_minutes": [{"line": 2, "element": "SV104", "minutes": "45"}]}
HIPPS = {"x12_other_procedure_codes": [{"line": 1, "element": "SV202-2", "qualifier": "HP",
                                        "code": "NHNE1"}]}


def _dated(c: Claim) -> Claim:
    """An outpatient (13x) claim: every revenue line has its date (X12_SERVICE_DATE_MISSING)."""
    return attrs.evolve(c, admission_date=None, service_lines=tuple(
        attrs.evolve(ln, date_of_service=ln.date_of_service or D(2025, 3, 4))
        for ln in c.service_lines))


def _anesthesia() -> Claim:
    lines = _prof().service_lines
    return _prof(service_lines=(lines[0], ServiceLine(
        2, "00840", ("AA",), Decimal(1), (1,), date_of_service=D(2025, 3, 4),
        charge=Decimal(40))), extra=MINUTES)


def _snf() -> Claim:
    return _inst(bill_type="211", service_lines=(ServiceLine(
        1, "", (), Decimal(3), revenue_code="0022", date_of_service=D(2025, 3, 3),
        charge=Decimal(4000)),), extra=HIPPS)


def _one_day(first_line: dt.date | None = None) -> Claim:
    """An outpatient (131) claim of one day, 2025-03-04, its first line undated."""
    lines = _inst().service_lines
    return _inst(bill_type="131", admission_date=None, admitting_diagnosis=None, procedures=(),
                 statement_period=(D(2025, 3, 4), D(2025, 3, 4)), date_of_service=D(2025, 3, 4),
                 service_lines=(attrs.evolve(lines[0], date_of_service=first_line),
                                attrs.evolve(lines[1], date_of_service=D(2025, 3, 4))))


#: One claim per field (real codes and dates), each valid for every writer.
FIELDS: dict[str, Claim] = {
    "professional": _prof(),
    "institutional": _inst(),
    "admitting_diagnosis": _inst(admitting_diagnosis="R0789"),
    "visit_reasons": _dated(_inst(bill_type="131", visit_reasons=("R079", "R0789"),
                                  admitting_diagnosis=None, procedures=())),
    "poa": _inst(poa=("Y", "W", "U")),
    "poa, some not given": _inst(poa=("Y", None, "N")),
    "procedures with dates": _inst(procedures=(Procedure("0DTJ4ZZ", D(2025, 3, 3)),
                                               Procedure("0SR90J9", D(2025, 3, 4)))),
    "revenue-code-only lines": _inst(service_lines=(
        ServiceLine(1, "", (), Decimal(3), revenue_code="0120", charge=Decimal(3000)),
        ServiceLine(2, "", (), Decimal(1), revenue_code="0250", charge=Decimal(1000)))),
    "line ids, charges, places of service": _prof(service_lines=(
        ServiceLine(1, "99213", ("25",), Decimal(1), (1, 2), date_of_service=D(2025, 3, 3),
                    charge=Decimal("125.50"), line_id="L-1", place_of_service="22"),
        ServiceLine(2, "93000", (), Decimal(1), (2,), date_of_service=D(2025, 3, 4),
                    charge=Decimal(40), line_id="L-2", place_of_service="11"))),
    "providers": _prof(billing_provider="1234567893", rendering_provider="1497758544"),
    "institutional rendering provider": _inst(rendering_provider="1497758544"),
    "condition codes (837P)": _prof(condition_codes=("02", "03")),
    "condition codes (837I)": _inst(condition_codes=("07", "40")),
    "discharge status": _inst(discharge_status="06"),
    "statement period, admission date": _inst(
        statement_period=(D(2025, 2, 27), D(2025, 3, 5)), admission_date=D(2025, 2, 27)),
    "ndc": _inst(service_lines=(ServiceLine(
        1, "J1100", (), Decimal(2), revenue_code="0636", date_of_service=D(2025, 3, 3),
        charge=Decimal(4000), ndc="00009034702"),)),
    "anesthesia minutes (837P SV103 MJ)": _anesthesia(),
    "HIPPS code on a revenue line (837I SV202 HP)": _snf(),
    "an undated line on a one-day outpatient claim": _one_day(),
}
#: What an 837 does not carry (docs/x12.md), per case: the claim as read back.
X12_READ_AS: dict[str, Claim] = {
    # type of bill 13x needs DTP*472 on every line; within a one-day statement period the
    # line's day is that day, which the writer writes (docs/x12.md)
    "an undated line on a one-day outpatient claim": _one_day(D(2025, 3, 4)),
}
#: The info finding every 837 with an SV202 HP code has (the code is kept, not checked).
HIPPS_FINDING = ("X12_PROCEDURE_CODE_SET", "SV202-1", (
    "line 1: SV202-1 HP (a HIPPS rate code): NHNE1 is not a CPT/HCPCS code; codekit does not "
    "check it (it is kept in the claim's extra, x12_other_procedure_codes) (value 'HP')"))
X12_FINDINGS = {"HIPPS code on a revenue line (837I SV202 HP)": [HIPPS_FINDING]}


def _x12(claim: Claim) -> tuple[Claim, list[tuple[str, str, str]]]:
    text = write_837([claim], date=D(2025, 3, 10), newline="\n")
    assert isinstance(text, str)
    return _read_x12(text)


def _read_x12(text: str) -> tuple[Claim, list[tuple[str, str, str]]]:
    records = list(read_claims(text.encode()))
    (claim,) = [r.claim for r in records if r.kind == "claim"]
    assert claim is not None
    return claim, sorted((f.finding.rule, f.location.element or "", f.finding.message)
                         for r in records for f in r.findings)


@pytest.mark.parametrize("name", list(FIELDS))
def test_claim_dict_round_trip(name: str) -> None:
    claim = FIELDS[name]
    assert Claim.from_dict(json.loads(json.dumps(claim.to_dict()))) == claim


@pytest.mark.parametrize("name", list(FIELDS))
def test_fhir_round_trip(name: str) -> None:
    claim = FIELDS[name]
    (r,) = fhir.read(json.dumps(fhir.from_claim(claim)))
    assert r.claim == claim
    assert r.findings == ()


@pytest.mark.parametrize("name", list(FIELDS))
def test_837_round_trip(name: str) -> None:
    claim = FIELDS[name]
    back, findings = _x12(claim)
    assert back == X12_READ_AS.get(name, claim)
    assert findings == X12_FINDINGS.get(name, [])


def test_an_837_drops_only_what_it_has_no_place_for() -> None:
    """docs/x12.md "What an 837 does not carry": opps, extra (but its 837 keys)."""
    claim = _dated(_inst(bill_type="131", opps=False, extra={"batch": "B7", **HIPPS},
                         service_lines=_snf().service_lines))
    back, findings = _x12(claim)
    assert back == attrs.evolve(claim, opps=None, extra=HIPPS)
    assert findings == [HIPPS_FINDING]


# -- an 837 read, written and read again: the same claim and the same findings -------------


def _edit(text: str, old: str, new: str) -> str:
    assert old in text
    lines = text.replace(old, new, 1).splitlines()
    st = next(i for i, s in enumerate(lines) if s.startswith("ST*"))
    se = next(i for i, s in enumerate(lines) if s.startswith("SE*"))
    lines[se] = f"SE*{se - st + 1}*0001~"
    return "\n".join(lines) + "\n"


def _base(claim: Claim) -> str:
    text = write_837([attrs.evolve(claim, extra={})], date=D(2025, 3, 10), newline="\n")
    assert isinstance(text, str)
    return text


SOURCES = {
    # minutes were written back as SV103 UN, SV104 1: the 45 minutes were lost
    "anesthesia": (_base(_anesthesia()), "SV1*HC:00840:AA*40*UN*1***1~",
                   "SV1*HC:00840:AA*40*MJ*45***1~"),
    # SV202 was written empty: NHNE1 and its X12_PROCEDURE_CODE_SET finding were lost
    "hipps": (_base(_snf()), "SV2*0022**4000*UN*3~", "SV2*0022*HP:NHNE1*4000*UN*3~"),
    # an 837P line coded WK / ER / IV is no codekit line: it was not written back at all
    # (the read-back lost it, its X12_PROCEDURE_CODE_SET, and gained
    # X12_CLAIM_TOTAL_MISMATCH); its extra row keeps the whole line now
    "wk": (_base(_prof()), "SV1*HC:93000*40*UN*1***2~", "SV1*WK:AAAAA*40*UN*1***2~"),
    "er, modifier, place, pointers": (_base(_prof()), "SV1*HC:93000*40*UN*1***2~",
                                      "SV1*ER:X1234:59*40*UN*1*11**2:1~"),
    "iv, the first line": (_base(_prof()), "SV1*HC:99213*125.50*UN*1***1:2~",
                           "SV1*IV:S9500*125.50*UN*1***1~"),
}


@pytest.mark.parametrize("name", list(SOURCES))
def test_an_837_read_and_written_again_is_the_same(name: str) -> None:
    text, old, new = SOURCES[name]
    source = _edit(text, old, new)
    claim, findings = _read_x12(source)
    assert claim.extra  # the reader kept the line's 837 data in extra
    again = write_837([claim], date=D(2025, 3, 10), newline="\n")
    assert isinstance(again, str)
    assert new in again.splitlines()
    assert _read_x12(again) == (claim, findings)


def test_the_837_keys_of_extra_written_back_are_the_readers() -> None:
    assert _read_x12(_edit(*SOURCES["anesthesia"]))[0].extra == MINUTES
    claim, findings = _read_x12(_edit(*SOURCES["hipps"]))
    assert claim.extra == HIPPS
    assert findings == [HIPPS_FINDING]
    claim, findings = _read_x12(_edit(*SOURCES["er, modifier, place, pointers"]))
    assert [ln.line for ln in claim.service_lines] == [1]
    assert claim.extra == {"x12_other_procedure_codes": [ER_ROW]}
    assert findings == [("X12_PROCEDURE_CODE_SET", "SV101-1", (
        "line 2: SV101-1 ER (a jurisdiction-specific code): X1234 is not a CPT/HCPCS code; "
        "codekit does not check it (it is kept in the claim's extra, "
        "x12_other_procedure_codes) (value 'ER')"))]


#: The row the reader keeps of ``SV1*ER:X1234:59*40*UN*1*11**2:1~`` (LX 2, 2025-03-04).
ER_ROW = {"line": 2, "element": "SV101-2", "qualifier": "ER", "code": "X1234",
          "modifiers": ["59"], "charge": "40", "unit_basis": "UN", "units": "1",
          "place_of_service": "11", "pointers": ["2", "1"], "date": "2025-03-04",
          "line_id": None, "ndc": None}


def _er(**kw: object) -> Claim:
    """The professional claim with line 2 an ER line, kept in extra."""
    lines = _prof().service_lines
    return _prof(service_lines=lines[:1], extra={"x12_other_procedure_codes": [
        {**ER_ROW, **kw}]})


@pytest.mark.parametrize(("claim", "message"), [
    (attrs.evolve(_anesthesia(), extra={"x12_service_minutes": [
        {"line": 3, "element": "SV104", "minutes": "45"}]}),
     "claim 'P1': extra.x12_service_minutes[0] does not name a service line of the claim "
     "({line, minutes}): an 837P cannot hold it"),
    (attrs.evolve(_anesthesia(), extra={"x12_service_minutes": [
        {"line": 1, "element": "SV104", "minutes": "45"}]}, service_lines=(
        attrs.evolve(_anesthesia().service_lines[0], units=Decimal(2)),
        _anesthesia().service_lines[1])),
     "claim 'P1': extra.x12_service_minutes[0] names line 1, whose units are 2: a line in "
     "minutes is one service: an 837P cannot hold it"),
    (attrs.evolve(_anesthesia(), extra={"x12_service_minutes": [
        {"line": 2, "element": "SV104", "minutes": "0"}]}),
     "claim 'P1': extra.x12_service_minutes[0].minutes '0' is not a number of minutes "
     "(SV104: more than 0, at most 15 digits): an 837P cannot hold it"),
    (attrs.evolve(_inst(), extra=MINUTES),
     "claim 'I1': extra.x12_service_minutes[0] is an anesthesia line in minutes (SV103 MJ), "
     "which only an 837P line has: an 837I cannot hold it"),
    (attrs.evolve(_inst(), extra={"x12_other_procedure_codes": [
        {"line": 2, "element": "SV202-2", "qualifier": "HP", "code": "NHNE1"}]}),
     "claim 'I1': extra.x12_other_procedure_codes[0] names line 2, which has procedure code "
     "'93005': SV202 holds one code: an 837I cannot hold it"),
    (attrs.evolve(_snf(), extra={"x12_other_procedure_codes": [
        {"line": 1, "element": "SV202-2", "qualifier": "HC", "code": "NHNE1"}]}),
     "claim 'I1': extra.x12_other_procedure_codes[0].qualifier 'HC' is not one of ER, HP, "
     "IV, WK: an 837I cannot hold it"),
    # a row without the line (as the reader wrote it before it kept the whole line)
    (_prof(service_lines=_prof().service_lines[:1], extra={"x12_other_procedure_codes": [
        {"line": 2, "element": "SV101-2", "qualifier": "WK", "code": "AAAAA"}]}),
     "claim 'P1': extra.x12_other_procedure_codes[0] does not keep the line it names "
     "(modifiers, charge, unit_basis, units, place_of_service, pointers, date, line_id, ndc "
     "missing): it is not a row of the 837 reader, which keeps the whole line: an 837P "
     "cannot hold it"),
    (_er(line=1),
     "claim 'P1': extra.x12_other_procedure_codes[0].line 1 is also the number of a service "
     "line of the claim: an 837P cannot hold it"),
    (_er(qualifier="HC"),
     "claim 'P1': extra.x12_other_procedure_codes[0].qualifier 'HC' is not one of ER, IV, WK "
     "(SV101-1): an 837P cannot hold it"),
    (_er(charge="forty"),
     "claim 'P1': extra.x12_other_procedure_codes[0].charge 'forty' is not an amount of at "
     "most 18 digits: an 837P cannot hold it"),
    (_er(date="20250304"),
     "claim 'P1': extra.x12_other_procedure_codes[0].date '20250304' is not an ISO date "
     "(DTP*472): an 837P cannot hold it"),
    (attrs.evolve(_inst(), extra=_er().extra),
     "claim 'I1': extra.x12_other_procedure_codes[0] is an 837P line (SV101), which an 837I "
     "has no place for: an 837I cannot hold it"),
])
def test_837_keys_of_extra_that_do_not_fit_the_claim_are_refused(claim: Claim,
                                                                  message: str) -> None:
    with pytest.raises(InvalidArgument) as e:
        write_837([claim])
    assert str(e.value) == message + " (claims[0]; on_refused= skips such claims)"


# -- what an 837I needs and a claim does not say: refused, naming what to add -------------


@pytest.mark.parametrize(("claim", "message"), [
    # 005010X223A2: HI BBR/BBQ require HI0x-3 (D8) and HI0x-4, the procedure date; written
    # without, the read-back had two X12_ELEMENT_MISSING
    (_inst(procedures=(Procedure("0DTJ4ZZ"),)),
     "claim 'I1': procedures[0].date is missing: 0DTJ4ZZ needs its date in HI01-4 of HI "
     "BBR, the principal procedure date, which the guide requires: give "
     "Procedure('0DTJ4ZZ', date): an 837I cannot hold it"),
    (_inst(procedures=(Procedure("0DTJ4ZZ", D(2025, 3, 3)), Procedure("0SR90J9"))),
     "claim 'I1': procedures[1].date is missing: 0SR90J9 needs its date in HI01-4 of HI "
     "BBQ, the procedure date, which the guide requires: give Procedure('0SR90J9', date): "
     "an 837I cannot hold it"),
    # type of bill 13x needs DTP*472 on every line; over a statement period of more than a
    # day the line's day is not known (written without, the read-back had
    # X12_SERVICE_DATE_MISSING)
    (_inst(bill_type="131", admission_date=None),
     "claim 'I1': service_lines[0].date_of_service is missing on line 1 (revenue code "
     "0120): type of bill 131 needs a service date (2400 DTP*472) on every line, and the "
     "statement period 2025-03-02 to 2025-03-05 is more than one day: give the line its "
     "date_of_service: an 837I cannot hold it"),
    (_inst(bill_type=None, admission_date=None),
     "claim 'I1': service_lines[0].date_of_service is missing on line 1 (revenue code "
     "0120): type of bill 131 (a claim without bill_type) needs a service date (2400 "
     "DTP*472) on every line, and the statement period 2025-03-02 to 2025-03-05 is more "
     "than one day: give the line its date_of_service: an 837I cannot hold it"),
], ids=["undated principal procedure", "undated other procedure",
        "undated line, 131 of 4 days", "undated line, no bill type"])
def test_what_an_837i_needs_and_the_claim_does_not_say_is_refused(claim: Claim,
                                                                  message: str) -> None:
    with pytest.raises(InvalidArgument) as e:
        write_837([claim])
    assert str(e.value) == message + " (claims[0]; on_refused= skips such claims)"


def test_an_undated_line_of_an_inpatient_claim_is_written_undated() -> None:
    """Type of bill 111 does not need a line date (the 837I's DTP*472 is for outpatient
    lines): the line stays undated and the read-back has no finding."""
    claim = _inst()
    assert claim.service_lines[0].date_of_service is None
    assert _x12(claim) == (claim, [])


@pytest.mark.parametrize("claim", [
    _prof(frequency_code="7", corrected_claim_id="PCN20250301A"),
    _inst(bill_type="118", frequency_code="8", corrected_claim_id="PCN20250301B")],
    ids=["replacement", "void"])
def test_a_replacement_or_void_keeps_the_claim_it_corrects(claim: Claim) -> None:
    """The corrected claim's control number (837 2300 REF*F8) had no place in the claim
    model: the writer could not write it and the read-back gained X12_SEGMENT_MISSING.
    It is ``corrected_claim_id`` now, through the dict, FHIR (``related``, prior) and the
    837."""
    back, findings = _x12(claim)
    assert (back, findings) == (claim, [])
    assert Claim.from_dict(claim.to_dict()) == claim
    (read,) = fhir.read(fhir.from_claim(claim))
    assert read.claim == claim and read.findings == ()


# -- LX01: the 837's lines count 1, 2, 3... in the order written ----------------------------

RENUMBER = ("LX01 numbers an 837's lines 1, 2, 3... in the order they are written; renumber "
            "the claim's lines (each line's line_id, REF*6R, stays with it): an 837P cannot "
            "hold it")


def _numbered(*numbers: int) -> Claim:
    """The professional claim with its two lines numbered ``numbers``."""
    return _prof(service_lines=tuple(attrs.evolve(ln, line=n) for ln, n in
                                     zip(_prof().service_lines, numbers, strict=True)))


@pytest.mark.parametrize(("claim", "message"), [
    # written as LX*0 (read back with X12_LX_SEQUENCE, as line 1)
    (_numbered(0, 1), "claim 'P1': service_lines[0].line 0 is not a line number (LX01: 1 to "
     "999999): an 837P cannot hold it"),
    # written as LX*1 twice, LX*2 then LX*1, LX*1 then LX*3: the guides' LX01 counts the
    # claim's lines
    (_numbered(1, 1), "claim 'P1': service_lines[1].line is 1, but it would be written as "
     f"line 2 of the claim: {RENUMBER}"),
    (_numbered(2, 1), "claim 'P1': service_lines[0].line is 2, but it would be written as "
     f"line 1 of the claim: {RENUMBER}"),
    (_numbered(1, 3), "claim 'P1': service_lines[1].line is 3, but it would be written as "
     f"line 2 of the claim: {RENUMBER}"),
    # an 837P line kept in extra goes where its number puts it: after line 1, as line 2
    (_er(line=3), "claim 'P1': extra.x12_other_procedure_codes[0].line is 3, but it would be "
     f"written as line 2 of the claim: {RENUMBER}"),
    (_er(line=0), "claim 'P1': extra.x12_other_procedure_codes[0].line '0' is not a line "
     "number (LX01: 1 to 999999): an 837P cannot hold it"),
], ids=["line 0", "1, 1", "2, 1", "1, 3", "extra line 3 after line 1", "extra line 0"])
def test_line_numbers_an_837_cannot_write_are_refused(claim: Claim, message: str) -> None:
    with pytest.raises(InvalidArgument) as e:
        write_837([claim])
    assert str(e.value) == message + " (claims[0]; on_refused= skips such claims)"


def test_lines_numbered_1_2_3_with_one_kept_in_extra_are_written() -> None:
    """Line 1, the ER line 2 kept in extra, line 3: LX*1, LX*2, LX*3, read back the same."""
    lines = _prof().service_lines
    claim = _prof(service_lines=(lines[0], attrs.evolve(lines[1], line=3)),
                  total_charge=Decimal("205.50"), extra=_er().extra)
    text = write_837([claim], date=D(2025, 3, 10), newline="\n")
    assert [s for s in text.splitlines() if s.startswith("LX")] == ["LX*1~", "LX*2~", "LX*3~"]
    back, findings = _read_x12(text)
    assert back == claim
    assert [rule for rule, _, _ in findings] == ["X12_PROCEDURE_CODE_SET"]  # the ER line


# -- a principal procedure in advanced billing concepts (837I HI CAH) ---------------------


#: The row the reader keeps of ``HI*CAH:ABC123:D8:20250303~``.
CAH_ROW = {"line": None, "element": "HI01-2", "qualifier": "CAH", "code": "ABC123",
           "date": "2025-03-03"}


@pytest.mark.parametrize(("old", "new", "procedures"), [
    ("HI*BG:07~", "HI*CAH:ABC123:D8:20250303~", ()),
    # the guide's other procedures (HI BBQ) beside a CAH principal: the claim's procedures
    ("HI*BBR:02703DZ:D8:20250303~", "HI*CAH:ABC123:D8:20250303~\nHI*BBQ:02703DZ:D8:20250303~",
     (Procedure("02703DZ", D(2025, 3, 3)),)),
], ids=["alone", "with other procedures"])
def test_an_hi_cah_principal_procedure_is_written_back(old: str, new: str,
                                                       procedures: tuple[Procedure, ...]
                                                       ) -> None:
    """The reader kept HI CAH's code without its date and the writer left the row out:
    the claim written back had lost its principal procedure."""
    base = _inst(procedures=procedures)
    text = _base(base)
    source = _edit(text, old, new if procedures else f"{new}\n{old}")
    claim, findings = _read_x12(source)
    assert claim == attrs.evolve(base, extra={"x12_other_procedure_codes": [CAH_ROW]})
    assert findings == []
    again = write_837([claim], date=D(2025, 3, 10), newline="\n")
    assert isinstance(again, str)
    assert [s for s in again.splitlines() if s.startswith("HI*")] == [
        "HI*ABK:I214:::::::Y~", "HI*ABJ:R079~", "HI*ABF:E119:::::::N*ABF:I10:::::::Y~",
        "HI*CAH:ABC123:D8:20250303~",
        *(["HI*BBQ:02703DZ:D8:20250303~"] if procedures else []), "HI*BG:07~"]
    assert _read_x12(again) == (claim, findings)


def test_an_hi_cah_date_that_is_not_a_date_is_said_and_the_row_kept() -> None:
    text = _edit(_base(_inst(procedures=())), "HI*BG:07~", "HI*CAH:ABC123:D8:20251302~\n"
                 "HI*BG:07~")
    records = list(read_claims(text.encode()))
    (claim,) = [r.claim for r in records if r.kind == "claim"]
    assert claim is not None
    assert claim.extra == {"x12_other_procedure_codes": [{**CAH_ROW, "date": None}]}
    assert [(f.finding.rule, f.finding.path, f.location.element, f.finding.message)
            for r in records for f in r.findings] == [(
                "X12_ELEMENT_DATE_INVALID", "$.extra.x12_other_procedure_codes[0].date",
                "HI01-4", 'Data element "Principal Procedure Date" (HI01-4) contains an '
                "invalid date (20251302)")]


def _cah(procedures: tuple[Procedure, ...] = (), **kw: object) -> Claim:
    """The institutional claim with an HI CAH principal procedure kept in extra."""
    return _inst(procedures=procedures, extra={"x12_other_procedure_codes": [
        {**CAH_ROW, **kw}]})


_CAH_END = ": an 837I cannot hold it"


@pytest.mark.parametrize(("claim", "message"), [
    (_cah(code="ABC*123"),
     "claim 'I1': extra.x12_other_procedure_codes[0].code 'ABC*123' has '*', a separator of "
     "this interchange" + _CAH_END),
    (_cah(code="ABC\n123"),
     "claim 'I1': extra.x12_other_procedure_codes[0].code 'ABC\\n123' has '\\n', which is "
     "not in the X12 character set" + _CAH_END),
    (_cah(code="A" * 31),
     "claim 'I1': extra.x12_other_procedure_codes[0].code is 31 characters long (at most "
     "30)" + _CAH_END),
    (_cah(code=""), "claim 'I1': extra.x12_other_procedure_codes[0].code is not a code"
     + _CAH_END),
    (_cah(date=None),
     "claim 'I1': extra.x12_other_procedure_codes[0].date is missing: ABC123 needs its "
     "date in HI01-4 of HI CAH, the principal procedure date, which the guide requires: "
     "give the row its date (YYYY-MM-DD)" + _CAH_END),
    (_cah(date="20250303"),
     "claim 'I1': extra.x12_other_procedure_codes[0].date '20250303' is not an ISO date "
     "(HI01-4)" + _CAH_END),
    # the row as the reader wrote it before it kept the date
    (_inst(procedures=(), extra={"x12_other_procedure_codes": [
        {"line": None, "element": "HI01-2", "qualifier": "CAH", "code": "ABC123"}]}),
     "claim 'I1': extra.x12_other_procedure_codes[0] is not an HI CAH row of the 837 "
     "reader (date missing: it keeps line null, element HI01-2, qualifier CAH, code and "
     "date)" + _CAH_END),
    (_cah(element="HI02-2"),
     "claim 'I1': extra.x12_other_procedure_codes[0] is element 'HI02-2', line None: a "
     "principal procedure in advanced billing concepts is HI01-2 of the 2300 principal "
     "procedure HI (element HI01-2, line null)" + _CAH_END),
    (_cah(qualifier="BBR"),
     "claim 'I1': extra.x12_other_procedure_codes[0].qualifier 'BBR' is not CAH (HI01-1 of "
     "the principal procedure HI: BBR is an ICD-10-PCS code, a Procedure of procedures)"
     + _CAH_END),
    (_inst(procedures=(), extra={"x12_other_procedure_codes": [CAH_ROW, CAH_ROW]}),
     "claim 'I1': extra.x12_other_procedure_codes[1] is a second principal procedure (HI "
     "CAH): the 837I has one principal procedure HI" + _CAH_END),
    (_prof(extra={"x12_other_procedure_codes": [CAH_ROW]}),
     "claim 'P1': extra.x12_other_procedure_codes[0] is a principal procedure in advanced "
     "billing concepts (HI CAH), which only an 837I has: an 837P cannot hold it"),
    # with a CAH principal every ICD-10-PCS procedure is another procedure (HI BBQ)
    (_cah((Procedure("0DTJ4ZZ"),)),
     "claim 'I1': procedures[0].date is missing: 0DTJ4ZZ needs its date in HI01-4 of HI "
     "BBQ, the procedure date, which the guide requires: give Procedure('0DTJ4ZZ', date)"
     + _CAH_END),
    (_cah(tuple(Procedure("0DTJ4ZZ", D(2025, 3, 3)) for _ in range(25))),
     "claim 'I1': procedures has 25 (at most 24, all in HI BBQ: the principal procedure is "
     "the HI CAH row of extra.x12_other_procedure_codes)" + _CAH_END),
], ids=["separator", "line break", "too long", "empty code", "no date", "date not ISO",
        "row without date", "not HI01", "not CAH", "two", "837P", "undated procedure",
        "25 procedures"])
def test_an_hi_cah_row_that_an_837i_cannot_hold_is_refused(claim: Claim,
                                                           message: str) -> None:
    with pytest.raises(InvalidArgument) as e:
        write_837([claim])
    assert str(e.value) == message + " (claims[0]; on_refused= skips such claims)"

"""Property: claims written as an 837 by codekit.x12.write_837 and read back with
read_claims are the same claims, field for field, whatever the delimiters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codekit.claims import Claim, Patient, Procedure, ServiceLine
from codekit.x12 import read_claims, write_837

pytest.importorskip("pyx12")

ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
days = st.dates(dt.date(2016, 1, 1), dt.date(2026, 6, 30))
dx = st.builds(lambda a, b, c: a + b + c, st.sampled_from("ABCDEFGHIJKLMNOPRSTZ"),
               st.text("0123456789", min_size=2, max_size=2),
               st.text(ALNUM, min_size=0, max_size=4))
proc = st.text(ALNUM, min_size=5, max_size=5)
mods = st.lists(st.text(ALNUM, min_size=2, max_size=2), max_size=4).map(tuple)
money = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False,
                    allow_infinity=False)
# (units, charges, a claim ID, the patient's last name and, on an 837P, ID, place of
# service, pointers are required: write_837 refuses a claim without them)
units = st.one_of(st.integers(1, 999).map(Decimal),
                  st.decimals(min_value=Decimal("0.5"), max_value=99, places=3))
ident = st.text(ALNUM, min_size=1, max_size=12)
npi = st.text("0123456789", min_size=10, max_size=10)
word = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
payer = st.builds(lambda a, b: a if b is None else f"{a} {b}", word, st.none() | word)
name = st.builds(lambda a, b: a if b is None else f"{a}, {b}",
                             st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10),
                             st.none() | st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1,
                                                 max_size=10))
member = st.text(ALNUM, min_size=2, max_size=12)  # NM109: 2 characters at least
patient = st.builds(Patient, st.sampled_from(["M", "F", "U"]), days, id=member, name=name)
filing = st.none() | st.sampled_from(["MB", "MA", "MC", "CI", "BL", "HM", "16"])


@st.composite
def professional(draw: st.DrawFn) -> Claim:
    n_dx = draw(st.integers(1, 12))
    diagnoses = tuple(draw(st.lists(dx, min_size=n_dx, max_size=n_dx)))
    lines = []
    for i in range(draw(st.integers(1, 4))):
        lines.append(ServiceLine(
            i + 1, draw(proc), draw(mods), draw(units),
            tuple(draw(st.lists(st.integers(1, n_dx), min_size=1, max_size=4))),
            date_of_service=draw(days), line_id=draw(st.none() | ident),
            place_of_service=draw(st.none() | st.sampled_from(["11", "22", "23"])),
            charge=draw(money), ndc=draw(st.none() | st.text("0123456789", min_size=11,
                                                             max_size=11))))
    frequency = draw(st.sampled_from("178"))
    return Claim(
        claim_type="professional", payer=draw(payer), patient=draw(patient),
        date_of_service=min(ln.date_of_service for ln in lines),  # type: ignore[type-var]
        diagnoses=diagnoses, service_lines=tuple(lines), claim_id=draw(ident),
        billing_provider=draw(st.none() | npi), rendering_provider=draw(st.none() | npi),
        place_of_service=draw(st.sampled_from(["11", "19", "21", "41"])),
        total_charge=draw(st.none() | money), frequency_code=frequency,
        # a replacement or void names the claim it corrects, no other claim does (REF*F8:
        # write_837 requires it there and refuses it elsewhere)
        corrected_claim_id=draw(ident) if frequency in "78" else None,
        filing_indicator=draw(filing),
        condition_codes=tuple(draw(st.lists(st.text(ALNUM, min_size=2, max_size=2),
                                            max_size=3))))


@st.composite
def institutional(draw: st.DrawFn) -> Claim:
    n_dx = draw(st.integers(1, 14))
    diagnoses = tuple(draw(st.lists(dx, min_size=n_dx, max_size=n_dx)))
    poa = tuple(draw(st.lists(st.none() | st.sampled_from("YNUW"), min_size=n_dx,
                              max_size=n_dx)))
    start = draw(days)
    end = start + dt.timedelta(days=draw(st.integers(0, 30)))
    facility = draw(st.sampled_from(["11", "13", "71", "85"]))
    lines = []
    for i in range(draw(st.integers(1, 4))):
        code = draw(st.just("") | proc)
        lines.append(ServiceLine(
            i + 1, code, draw(mods) if code else (), draw(units),
            revenue_code=draw(st.text("0123456789", min_size=4, max_size=4)),
            # 13x, 71x, 85x need a date on every line (write_837 refuses an undated one
            # over a period of days and writes the day of a one-day period)
            date_of_service=draw(st.none() | st.just(start)) if facility == "11" else start,
            line_id=draw(st.none() | ident), charge=draw(money)))
    frequency = draw(st.sampled_from("178"))
    # an 837I procedure needs its date (HI0x-4): write_837 refuses one without
    procedures = tuple(Procedure(draw(st.text(ALNUM, min_size=7, max_size=7)), start)
                       for _ in range(draw(st.integers(0, 3))))
    return Claim(
        claim_type="institutional", payer=draw(payer), patient=draw(patient),
        date_of_service=end, diagnoses=diagnoses, service_lines=tuple(lines),
        bill_type=facility + frequency,
        frequency_code=frequency, claim_id=draw(ident),
        corrected_claim_id=draw(ident) if frequency in "78" else None,
        billing_provider=draw(st.none() | npi), rendering_provider=draw(st.none() | npi),
        total_charge=draw(st.none() | money), filing_indicator=draw(filing),
        poa=poa if any(p is not None for p in poa) else (), procedures=procedures,
        admitting_diagnosis=draw(st.none() | dx),
        visit_reasons=tuple(draw(st.lists(dx, max_size=3))),
        statement_period=(start, end), admission_date=draw(st.none() | st.just(start)),
        # CL1-03 is required: a claim without one is written as 01 (docs/x12.md)
        discharge_status=draw(st.sampled_from(["01", "06", "20", "30", "7", "99"])),
        condition_codes=tuple(draw(st.lists(st.text(ALNUM, min_size=2, max_size=2),
                                            max_size=3))))


def _as_written(claim: Claim) -> Claim:
    """The claim an 837 of ``claim`` holds: without total_charge, its lines' sum (CLM02)."""
    if claim.total_charge is not None:
        return claim
    return attrs.evolve(claim, total_charge=sum(ln.charge for ln in claim.service_lines))


@settings(max_examples=60, deadline=None)
@given(st.lists(professional() | institutional(), min_size=1, max_size=4),
       st.sampled_from(["*:~^", "|^\n`", "~>_!", "*:~>"]), st.sampled_from(["", "\n", "\r\n"]))
def test_claims_written_to_837_read_back_equal(claims: list[Claim], delimiters: str,
                                               newline: str) -> None:
    if "\n" in delimiters and newline:
        newline = ""
    text = write_837(claims, date=dt.date(2026, 1, 5), delimiters=delimiters,
                     newline=newline)
    back = [r for r in read_claims(text.encode()) if r.kind == "claim"]
    assert [r.claim for r in back] == [_as_written(c) for c in claims]
    # and pyx12 finds nothing wrong with it (SNIP 1-2): write_837 writes no invalid file.
    # An anesthesia line the claim gives in units (no minutes: 00100 x 1) is written as the
    # claim says it, SV103 UN, which the reader warns of (X12_ANESTHESIA_NOT_MINUTES, a
    # warning about the claim's content, test_x12_writer: only the claim's minutes fix it).
    assert [(f.rule, f.location.element) for r in back for f in r.findings
            if f.snip <= 2 and f.rule != "X12_ANESTHESIA_NOT_MINUTES"] == []
    # and every claim is where the writer put it
    for r in back:
        loc = r.locate(("service_lines", 0, "charge"))
        assert loc.segment in ("SV1", "SV2")
        assert text.encode()[loc.offset:loc.offset + 3].decode() == loc.segment


ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                   max_size=40)


@settings(max_examples=80, deadline=None)
@given(professional(), ANY_TEXT, ANY_TEXT, ANY_TEXT, st.sampled_from(["*:~^", "|^\n`"]))
def test_any_text_is_refused_or_read_back_the_same(claim: Claim, claim_id: str,
                                                   line_id: str, last: str,
                                                   delimiters: str) -> None:
    """Separators, line breaks and characters outside X12's set in a value are an
    InvalidArgument; whatever is written reads back as it was."""
    from codekit.errors import InvalidArgument

    line = attrs.evolve(claim.service_lines[0], line_id=line_id)
    claim = attrs.evolve(claim, claim_id=claim_id,
                         patient=attrs.evolve(claim.patient, name=last),
                         service_lines=(line, *claim.service_lines[1:]))
    try:
        text = write_837([claim], date=dt.date(2026, 1, 5), delimiters=delimiters)
    except InvalidArgument as e:
        message = str(e)
    else:
        # a blank line id or first name (spaces only) is an absent one (docs/x12.md)
        last, _, first = last.partition(", ")
        blank_as_absent = attrs.evolve(
            claim, service_lines=(attrs.evolve(line, line_id=line_id if line_id.strip(" ")
                                               else None), *claim.service_lines[1:]),
            patient=attrs.evolve(claim.patient, name=f"{last}, {first}" if first.strip(" ")
                                 else last))
        assert [r.claim for r in read_claims(text.encode())] == [_as_written(blank_as_absent)]
        return
    assert message.startswith(f"claim {claim_id[:40]!r}: ")


@settings(max_examples=3, deadline=None, derandomize=True, database=None)
@given(professional() | institutional(), st.sampled_from(("9" * 5000, "0" * 10 + "1" * 4400)))
def test_a_number_of_any_length_in_a_numeric_element_is_a_result(claim: Claim,
                                                                  digits: str) -> None:
    """Each element or component of an 837P/837I written by write_837 that holds digits,
    in turn replaced by thousands of digits (past Python's 4,300-digit ``int()``): the
    claim is a result, and only a codekit error comes out (an LX01 or an SV107 pointer
    that long was a ``ValueError`` for the whole interchange)."""
    from codekit.errors import CodekitError
    from codekit.x12 import check

    segments = write_837([claim], date=dt.date(2026, 1, 5)).split("~")
    places = [(i, j, k) for i, seg in enumerate(segments) if not seg.startswith("ISA")
              for j, element in enumerate(seg.split("*")) if j
              for k, part in enumerate(element.split(":")) if part.isdigit()]
    for i, j, k in places:
        elements = segments[i].split("*")
        parts = elements[j].split(":")
        parts[k] = digits
        elements[j] = ":".join(parts)
        text = "~".join([*segments[:i], "*".join(elements), *segments[i + 1:]])
        try:
            results = [r for r in check(text.encode()) if r.kind == "claim"]
        except CodekitError:
            continue
        assert len(results) == 1, segments[i]
        results[0].to_dict()

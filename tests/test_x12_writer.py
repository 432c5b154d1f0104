"""write_837 as a pipeline uses it (a review of 2026-12-06, items 2, 6 and 9): a refused claim or a
failing input leaves ``out`` a complete interchange of the claims written; blank values
are absent or refused, never written as empty or blank elements; and what the writer
writes that a claim does not say is no more than docs/x12.md lists."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from codekit.claims import Claim, ServiceLine
from codekit.errors import InvalidArgument
from codekit.x12 import _example, read_claims, write_837

pytest.importorskip("pyx12")
D = dt.date
EX = _example()  # PCN-1: 837P, HI*ABK:E119*ABF:I10, SV1*HC:99213, DTP*472*D8*20251103
DOCS = Path(__file__).resolve().parents[1] / "docs" / "x12.md"


def _clean(text: str) -> list[str | None]:
    """The claim IDs of what ``text`` reads back as, each with no X12 finding (SNIP 1-5)
    and no envelope record: every written file is a valid 837."""
    records = list(read_claims(text.encode()))
    assert [(f.rule, f.location.element) for r in records for f in r.findings] == []
    assert {r.kind for r in records} <= {"claim"}
    return [r.claim_id for r in records]


def _claim(**kw: Any) -> Claim:
    return attrs.evolve(EX, **{"diagnoses": ("E119", "I10"), **kw})


def _line(**kw: Any) -> Claim:
    return _claim(service_lines=(attrs.evolve(EX.service_lines[0], **kw),))


# -- a claim write_837 cannot write, an input that fails: out stays a valid interchange ----


def test_a_refused_claim_closes_the_interchange_before_the_error() -> None:
    """The second of three claims has a separator in CLM01: write_837 raised with out cut
    after the first claim's last DTP (no SE, GE, IEA), so the file was not an 837."""
    out = io.StringIO()
    with pytest.raises(InvalidArgument) as e:
        write_837([EX, attrs.evolve(EX, claim_id="A*B"), attrs.evolve(EX, claim_id="PCN-3")],
                  out, date=D(2025, 11, 4), newline="\n")
    assert str(e.value) == (
        "claim 'A*B': claim_id 'A*B' has '*', a separator of this interchange: an 837P "
        "cannot hold it (claims[1]; out holds the 1 claim written before it, closed as a "
        "complete interchange (SE, GE, IEA); on_refused= skips such claims)")
    text = out.getvalue()
    assert text.endswith("DTP*472*D8*20251103~\nSE*21*0001~\nGE*1*1~\nIEA*1*000000001~\n")
    assert _clean(text) == ["PCN-1"]


def test_a_refused_claim_after_a_group_closes_the_open_transaction_and_group() -> None:
    inst = Claim.from_dict({
        "claim_id": "I1", "claim_type": "institutional", "payer": "acme health",
        "patient": {"sex": "F", "birth_date": "1960-01-02", "id": "MBR1", "name": "DOE, JANE"},
        "date_of_service": "2025-11-03", "diagnoses": ["E119"], "bill_type": "131",
        "service_lines": [{"line": 1, "procedure_code": "", "revenue_code": "0450",
                           "units": 1, "charge": 100, "date_of_service": "2025-11-03"}]})
    out = io.StringIO()
    with pytest.raises(InvalidArgument, match=r"\(claims\[2\]; out holds the 2 claims "):
        write_837([EX, inst, attrs.evolve(EX, claim_id="P*2")], out, newline="\n")
    text = out.getvalue()
    assert re.findall(r"(?m)^(?:GS|ST|SE|GE|IEA)\*.*$", text) == [
        f"GS*HC*CODEKIT*RECEIVER*{dt.date.today():%Y%m%d}*1200*1*X*005010X222A1~",
        "ST*837*0001*005010X222A1~", "SE*21*0001~", "GE*1*1~",
        f"GS*HC*CODEKIT*RECEIVER*{dt.date.today():%Y%m%d}*1200*2*X*005010X223A2~",
        "ST*837*0002*005010X223A2~", "SE*23*0002~", "GE*1*2~", "IEA*2*000000001~"]
    assert _clean(text) == ["PCN-1", "I1"]


def test_a_first_claim_refused_leaves_an_interchange_of_no_claim() -> None:
    out = io.StringIO()
    with pytest.raises(InvalidArgument, match=r"\(claims\[0\]; out holds an interchange of "
                       r"no claim \(ISA, IEA\); on_refused= skips such claims\)$"):
        write_837([attrs.evolve(EX, claim_id="A*B"), EX], out, date=D(2025, 11, 4))
    assert out.getvalue().endswith("*0*T*:~IEA*0*000000001~")
    assert _clean(out.getvalue()) == []


def test_a_failing_input_closes_the_interchange_then_raises_as_it_was() -> None:
    """A generator that raises after one claim (a database gone): out was left cut after
    that claim."""
    def claims() -> Iterator[Claim]:
        yield EX
        raise ConnectionError("the claims database went away")

    out = io.StringIO()
    with pytest.raises(ConnectionError, match="went away") as e:
        write_837(claims(), out)
    assert e.value.__notes__ == ["write_837: out holds the 1 claim written before it, "
                                 "closed as a complete interchange (SE, GE, IEA)"]
    assert _clean(out.getvalue()) == ["PCN-1"]


def test_on_refused_skips_a_claim_and_writes_the_others() -> None:
    refused: list[tuple[int, object, str]] = []
    claims = [EX, attrs.evolve(EX, claim_id="A*B"), {"claim_id": "X"},
              attrs.evolve(EX, claim_id="PCN-3", place_of_service="  "),
              attrs.evolve(EX, claim_id="PCN-4")]
    out = io.StringIO()
    assert write_837(claims, out, on_refused=lambda i, c, e: refused.append(
        (i, c, str(e)))) is None
    assert refused == [
        (1, claims[1], "claim 'A*B': claim_id 'A*B' has '*', a separator of this "
         "interchange: an 837P cannot hold it"),
        (2, claims[2], "a dict is not a codekit Claim"),
        (3, claims[3], "claim 'PCN-3': an 837P requires what the claim does not have: "
         "place_of_service (CLM05-1: '  ' is blank): give them (write_837 does not make "
         "these up: docs/x12.md lists the values it writes that a claim does not say)")]
    assert _clean(out.getvalue()) == ["PCN-1", "PCN-4"]
    # the same without out: the text of the claims written
    text = write_837(claims, on_refused=lambda i, c, e: None)
    assert isinstance(text, str) and _clean(text) == ["PCN-1", "PCN-4"]


def test_an_error_in_on_refused_closes_the_interchange_too() -> None:
    def stop(index: int, claim: Claim, error: InvalidArgument) -> None:
        raise RuntimeError(f"stop at {index}")

    out = io.StringIO()
    with pytest.raises(RuntimeError, match="stop at 1"):
        write_837([EX, attrs.evolve(EX, claim_id="A*B"), EX], out, on_refused=stop)
    assert _clean(out.getvalue()) == ["PCN-1"]


def test_a_stream_that_fails_is_not_written_to_again() -> None:
    class Full(io.StringIO):
        writes = 0

        def write(self, s: str) -> int:
            self.writes += 1
            if self.writes == 2:
                raise OSError(28, "No space left on device")
            return super().write(s)

    out = Full()
    with pytest.raises(OSError, match="No space left"):
        write_837([EX, EX], out)
    assert out.writes == 2 and out.getvalue().startswith("ISA*") and "CLM" not in \
        out.getvalue()


# -- blank values: absent where the guide lets the 837 leave them out, else refused ---------


@pytest.mark.parametrize(("claim", "gone", "back"), [
    # NM1*82 with an empty NM109 (X12_SEGMENT_SYNTAX)
    (_claim(rendering_provider=""), "NM1*82", {"rendering_provider": None}),
    (_claim(rendering_provider="  "), "NM1*82", {"rendering_provider": None}),
    # REF*F8 and REF*6R with an empty REF02 (X12_ELEMENT_MISSING, X12_SEGMENT_SYNTAX)
    (_claim(corrected_claim_id=""), "REF*F8", {"corrected_claim_id": None}),
    (_line(line_id=""), "REF*6R", {"line_id": None}),
    (_line(line_id="   "), "REF*6R", {"line_id": None}),
    # LIN*N4 with an empty LIN03 (X12_ELEMENT_MISSING)
    (_line(ndc=""), "LIN*", {"ndc": None}),
    # SV105 of two spaces (X12_ELEMENT_CODE_INVALID)
    (_line(place_of_service="  "), "*UN*1*  *", {"place_of_service": None}),
    # SBR09 of spaces (X12_ELEMENT_CODE_INVALID)
    (_claim(filing_indicator="  "), "*  ~", {"filing_indicator": None}),
    (_claim(billing_provider=" "), "*XX*", {"billing_provider": None}),
], ids=["rendering empty", "rendering blank", "corrected empty", "line_id empty",
        "line_id blank", "ndc empty", "line place blank", "filing blank", "billing blank"])
def test_a_blank_value_the_837_may_leave_out_is_not_written(claim: Claim, gone: str,
                                                            back: dict[str, None]) -> None:
    text = write_837([claim], newline="\n")
    assert isinstance(text, str) and gone not in text
    [record] = read_claims(text.encode())
    assert record.findings == ()
    on_line = back.keys() <= {"line_id", "ndc", "place_of_service"}
    assert record.claim == (_line(**back) if on_line else _claim(**back))


@pytest.mark.parametrize(("claim", "message"), [
    # CLM05-1 of two spaces (X12_ELEMENT_CODE_INVALID)
    (_claim(place_of_service="  "), "claim 'PCN-1': an 837P requires what the claim does "
     "not have: place_of_service (CLM05-1: '  ' is blank)"),
    (_claim(patient=attrs.evolve(EX.patient, id="  ")), "claim 'PCN-1': an 837P requires "
     "what the claim does not have: patient.id (NM109: '  ' is blank)"),
    (_line(procedure_code="     "), "claim 'PCN-1': an 837P requires what the claim does "
     "not have: service_lines[0].procedure_code (SV101-2: '     ' is blank)"),
    (_claim(frequency_code="7", corrected_claim_id=" "), "claim 'PCN-1': an 837P requires "
     "what the claim does not have: corrected_claim_id (REF*F8, the payer's claim control "
     "number of the claim a replacement (CLM05-3 7) corrects: ' ' is blank)"),
    (_claim(diagnoses=("E119", "  ")), "claim 'PCN-1': diagnoses[1] is blank ('  '): each "
     "HI composite requires its code: an 837P cannot hold it"),
    (_line(modifiers=("  ",)), "claim 'PCN-1': service_lines[0].modifiers[0] is blank (a "
     "blank modifier place is no modifier): an 837P cannot hold it"),
    # trailing spaces: pyx12's X12_ELEMENT_CHARACTER; a leading one is kept in the value
    (_line(line_id="A "), "claim 'PCN-1': service_lines[0].line_id 'A ' ends with a space "
     "(pyx12 rejects trailing spaces: strip it): an 837P cannot hold it"),
    (_claim(payer="ACME "), "claim 'PCN-1': payer 'ACME ' ends with a space (pyx12 rejects "
     "trailing spaces: strip it): an 837P cannot hold it"),
    (_claim(diagnoses=("E119", " I10")), "claim 'PCN-1': diagnoses[1] ' I10' begins with a "
     "space, which an 837 keeps as part of the value (strip it): an 837P cannot hold it"),
    # what the reader says X12_CODE_FORMAT of: code lists are upper case, and LIN03 (N4)
    # holds an NDC as 11 digits (the 5-4-2 format without hyphens)
    (_claim(diagnoses=("e11.9", "I10")), "claim 'PCN-1': diagnoses[0] 'e11.9' is not "
     "written as the 837 sends a code: it has lower-case letters (code lists are upper "
     "case) (send E119): an 837P cannot hold it"),
    (_line(modifiers=("rt",)), "claim 'PCN-1': service_lines[0].modifiers[0] 'rt' is not "
     "written as the 837 sends a code: it has lower-case letters (code lists are upper "
     "case) (send RT): an 837P cannot hold it"),
    (_line(procedure_code="J1100", ndc="00641-0376-21"), "claim 'PCN-1': service_lines[0].ndc "
     "'00641-0376-21' is not an NDC as LIN03 holds it (LIN02 N4: the 5-4-2 format, 11 "
     "digits without hyphens): it is the 5-4-2 NDC with its hyphens (send 00641037621): an "
     "837P cannot hold it"),
    # what the reader says X12_SEGMENT_NOT_USED of: REF*F8 on no replacement or void
    (_claim(frequency_code="1", corrected_claim_id="PCN0"), "claim 'PCN-1': "
     "corrected_claim_id 'PCN0' names a claim this one corrects, but its frequency code "
     "(CLM05-3) is '1', neither a replacement (7) nor a void (8): the 2300 REF*F8 is sent "
     "on those only: an 837P cannot hold it"),
], ids=["place blank", "patient id blank", "procedure blank", "corrected blank on a 7",
        "diagnosis blank", "modifier blank", "trailing space", "payer trailing space",
        "leading space", "lower case diagnosis", "lower case modifier", "ndc hyphens",
        "corrected on a 1"])
def test_a_blank_required_value_or_a_value_written_wrong_is_refused(claim: Claim,
                                                                    message: str) -> None:
    with pytest.raises(InvalidArgument) as e:
        write_837([claim])
    assert str(e.value).startswith(message)
    assert str(e.value).endswith(" (claims[0]; on_refused= skips such claims)")


# -- what the writer writes that a claim does not say --------------------------------------


def test_what_is_written_is_the_claim_and_the_placeholders_docs_list() -> None:
    """The rendering provider had a made-up taxonomy (PRV*PE*PXC*207Q00000X) and first name,
    an 837I billing provider another (PRV*BI*PXC*282N00000X): PRV is situational in
    2000A and 2310B and is not written. Every other value that is not the claim's is one
    of docs/x12.md's table."""
    claim = attrs.evolve(EX, rendering_provider="1245319599", service_lines=(
        attrs.evolve(EX.service_lines[0], line_id="L1", ndc="00641037621"),))
    text = write_837([claim], date=D(2025, 11, 4), newline="\n")
    assert text == (
        "ISA*00*          *00*          *ZZ*CODEKIT        *ZZ*RECEIVER       *251104*1200*^*"
        "00501*000000001*0*T*:~\n"
        "GS*HC*CODEKIT*RECEIVER*20251104*1200*1*X*005010X222A1~\n"
        "ST*837*0001*005010X222A1~\n"
        "BHT*0019*00*1-1*20251104*1200*CH~\n"
        "NM1*41*2*CODEKIT*****46*CODEKIT~\n"
        "PER*IC*CONTACT*TE*5555555555~\n"
        "NM1*40*2*RECEIVER*****46*RECEIVER~\n"
        "HL*1**20*1~\n"
        "NM1*85*2*BILLING PROVIDER*****XX*1234567893~\n"
        "N3*1 MAIN ST~\n"
        "N4*ANYTOWN*NY*100010001~\n"
        "REF*EI*123456789~\n"
        "HL*2*1*22*0~\n"
        "SBR*P*18*******CI~\n"
        "NM1*IL*1*DOE*JANE****MI*MBR1~\n"
        "DMG*D8*19600102*F~\n"
        "NM1*PR*2*acme health*****PI*PAYER1~\n"
        "CLM*PCN-1*125***11:B:1*Y*A*Y*Y~\n"
        "HI*ABK:E119*ABF:I10~\n"
        "NM1*82*1*RENDERING*****XX*1245319599~\n"
        "LX*1~\n"
        "SV1*HC:99213*125*UN*1***1:2~\n"
        "DTP*472*D8*20251103~\n"
        "REF*6R*L1~\n"
        "LIN**N4*00641037621~\n"
        "CTP****1*UN~\n"
        "SE*25*0001~\n"
        "GE*1*1~\n"
        "IEA*1*000000001~\n")
    assert _clean(text) == ["PCN-1"]


def test_a_lines_own_rendering_provider_is_written_in_its_2420a_and_read_back() -> None:
    """A line rendered by another practitioner than the claim's: NM1*82 after the line
    (837P 2420A), read back as the line's; a line without one writes none."""
    second = attrs.evolve(EX.service_lines[0], line=2, rendering_provider="1679576722")
    claim = _claim(rendering_provider="1245319599", total_charge=Decimal(250),
                   service_lines=(EX.service_lines[0], second))
    text = write_837([claim], date=D(2025, 11, 4), newline="\n")
    assert text.count("NM1*82*") == 2
    assert "LX*2~\nSV1*HC:99213*125*UN*1***1:2~\nDTP*472*D8*20251103~\n" \
        "NM1*82*1*RENDERING*****XX*1679576722~\n" in text
    (back,) = [r.claim for r in read_claims(text.encode()) if r.kind == "claim"]
    assert back == claim
    assert _clean(text) == ["PCN-1"]


def test_every_value_write_837_makes_up_is_in_the_docs_table() -> None:
    """docs/x12.md lists what write_837 writes that a claim does not say, with the value:
    each of these (the payer ID, the drug quantity, the rendering provider's name, the
    subscriber relationship...) is written and is in the table."""
    docs = DOCS.read_text(encoding="utf-8")
    table = docs[docs.index("### What write_837 writes that a claim does not say"):
                 docs.index("### An 837 read and written back")]
    inst = Claim.from_dict({
        "claim_id": "I1", "claim_type": "institutional", "payer": "acme health",
        "patient": {"sex": "F", "birth_date": "1960-01-02", "id": "MBR1", "name": "DOE, JANE"},
        "date_of_service": "2025-11-03", "diagnoses": ["E119"], "bill_type": "131",
        "rendering_provider": "1245319599", "billing_provider": "1234567893",
        "service_lines": [{"line": 1, "procedure_code": "J1100", "revenue_code": "0636",
                           "units": 1, "charge": 100, "date_of_service": "2025-11-03",
                           "ndc": "00641037621"}]})
    prof = attrs.evolve(EX, rendering_provider="1245319599", service_lines=(
        attrs.evolve(EX.service_lines[0], ndc="00641037621"),))
    text = write_837([prof, inst], date=D(2025, 11, 4), newline="\n")
    # (what the 837 has, what the table says it writes)
    for written, said in [
            ("*251104*1200*^*00501*000000001*0*T*:~", "| ISA14 | `0` |"),
            ("BHT*0019*00*1-1*20251104*1200*CH~", "`BHT*0019*00*1-1*20251104*1200*CH`"),
            ("NM1*41*2*CODEKIT*****46*CODEKIT~", "`NM1*41*2*CODEKIT*****46*CODEKIT`"),
            ("PER*IC*CONTACT*TE*5555555555~", "`PER*IC*CONTACT*TE*5555555555`"),
            ("NM1*40*2*RECEIVER*****46*RECEIVER~", "`NM1*40*2*RECEIVER*****46*RECEIVER`"),
            ("NM1*85*2*BILLING PROVIDER*****XX*1234567893~",
             "`NM1*85*2*BILLING PROVIDER*****XX*1234567893`"),
            ("N3*1 MAIN ST~", "`N3*1 MAIN ST`"), ("N4*ANYTOWN*NY*100010001~",
                                                  "`N4*ANYTOWN*NY*100010001`"),
            ("REF*EI*123456789~", "`REF*EI*123456789`"),
            ("SBR*P*18*******CI~", "| 2000B SBR01, SBR02 | `P`, `18` |"),
            ("*****PI*PAYER1~", "| 2010BB NM108, NM109 | `PI`, `PAYER1` |"),
            ("CLM*PCN-1*125***11:B:1*Y*A*Y*Y~", "837P `Y`, `A`, `Y`, `Y`"),
            ("CLM*I1*100***13:A:1**A*Y*Y~", "837I (CLM07-CLM09) `A`, `Y`, `Y`"),
            ("CL1*1*1*01~", "| 837I CL1-01, CL1-02 | `1`, `1` |"),
            ("NM1*82*1*RENDERING*****XX*1245319599~",
             "`NM1*82*1*RENDERING*****XX*1245319599`"),
            ("LIN**N4*00641037621~\nCTP****1*UN~", "`CTP****1*UN`")]:
        assert written in text and said in table, (written, said)
    assert text.count("CTP****1*UN~") == 2
    assert "PRV" not in text
    assert _clean(text) == ["PCN-1", "I1"]


def test_the_most_lines_a_claim_has_still_write_in_one_commit() -> None:
    """A claim is written in one piece (its segments made first): 50 lines, one write."""
    lines = tuple(ServiceLine(i + 1, "99213", (), Decimal(1), (1,), date_of_service=D(2025,
              11, 3), charge=Decimal(1)) for i in range(50))
    writes: list[str] = []

    class Out(io.StringIO):
        def write(self, s: str) -> int:
            writes.append(s)
            return super().write(s)

    write_837([_claim(service_lines=lines, total_charge=Decimal(50))], Out())
    assert [w[:3] for w in writes] == ["ISA", "GS*", "SE*"]
    assert writes[1].count("LX*") == 50


# -- one definition of a code as the 837 sends it: the writer refuses what the reader flags -


#: An 837I claim with an ICD-10-PCS procedure (HI*BBR:02703DZ:D8:20251102).
INST = Claim.from_dict({
    "claim_id": "I1", "claim_type": "institutional", "payer": "acme health",
    "patient": {"sex": "M", "birth_date": "1940-01-02", "id": "M2", "name": "DOE, JOHN"},
    "date_of_service": "2025-11-03", "diagnoses": ["I214"], "bill_type": "111",
    "statement_period": ["2025-11-01", "2025-11-03"], "admission_date": "2025-11-01",
    "procedures": [{"code": "02703DZ", "date": "2025-11-02"}],
    "service_lines": [{"line": 1, "procedure_code": "", "revenue_code": "0120", "units": 2,
                       "charge": 3000}]})

#: Where a code goes: (the claim holding ``v``; the text of the 837 whose element holds
#: what write_837 writes for ``v`` -- a diagnosis without its decimal point, a condition
#: code without the spaces around it, as every claim keeps it; the claim path of that
#: element).
SLOTS: dict[str, tuple[Any, Any, str]] = {
    "diagnosis": (lambda v: _claim(diagnoses=(v, "I10")),
                  lambda v: write_837([EX]).replace("ABK:E119*", "ABK:" + v.replace(".", "")
                                                    + "*"), "$.diagnoses[0]"),
    "procedure code": (lambda v: _line(procedure_code=v),
                       lambda v: write_837([EX]).replace("SV1*HC:99213*", f"SV1*HC:{v}*"),
                       "$.service_lines[0].procedure_code"),
    "modifier": (lambda v: _line(modifiers=(v,)),
                 lambda v: write_837([_line(modifiers=("25",))]).replace(":25*", f":{v}*"),
                 "$.service_lines[0].modifiers[0]"),
    "ndc": (lambda v: _line(procedure_code="J1100", ndc=v),
            lambda v: write_837([_line(procedure_code="J1100", ndc="00641037621")]).replace(
                "N4*00641037621~", f"N4*{v}~"), "$.service_lines[0].ndc"),
    "condition code": (lambda v: _claim(condition_codes=(v,)),
                       lambda v: write_837([_claim(condition_codes=("07",))]).replace(
                           "BG:07~", f"BG:{v.strip()}~"), "$.condition_codes[0]"),
    "icd-10-pcs": (lambda v: attrs.evolve(INST, procedures=(
                       attrs.evolve(INST.procedures[0], code=v),)),
                   lambda v: write_837([INST]).replace("BBR:02703DZ:", f"BBR:{v}:"),
                   "$.procedures[0]"),
}

#: The values tried in every slot: lower case, a decimal point, a leading or trailing space,
#: full-width digits, an NDC in 5-4-2 with hyphens, 10 digits, letters; and codes as the
#: 837 sends them.
VALUES = ["E119", "e119", "E11.9", "e11.9", " E119", "E119 ", "E\uff11\uff119", "00641037621",
          "00641-0376-21", "0641037621", "ABCDE123456", "25", "rt", " 25", "07", "g0", "7",
          " 41", "J0696", "j0696", "0DTJ4ZZ", "0DT.J4ZZ", "0dtj4zz"]


@pytest.mark.parametrize("slot", list(SLOTS))
def test_write_837_refuses_exactly_the_codes_the_reader_flags(slot: str) -> None:
    """The reader's X12_CODE_FORMAT (``_checks``) and write_837's refusals (``_writer``)
    said what a code as the 837 sends it is in two places, and disagreed: an ICD-10-PCS
    code with a decimal point was written (``HI*BBR:0DT.J4ZZ``) and read back as
    X12_CODE_FORMAT; a lower-case or one-character condition code was written and read
    back without a word. Both now ask ``x12._codes``: for every value in every slot, the
    writer refuses the claim exactly when the reader, given the element write_837 would
    write, says something of it (pyx12's X12_ELEMENT_CHARACTER and X12_ELEMENT_LENGTH,
    codekit's X12_CODE_FORMAT and X12_ELEMENT_CODE_INVALID)."""
    make, text_of, path = SLOTS[slot]
    table = []
    for v in VALUES:
        try:
            write_837([make(v)])
        except InvalidArgument:
            refused = True
        else:
            refused = False
        [record] = read_claims(text_of(v).encode())
        said = sorted({f.rule for f in record.findings if f.finding.path == path})
        table.append((v, refused, said))
    assert [(v, refused) for v, refused, said in table] == [
        (v, bool(said)) for v, refused, said in table], table


@pytest.mark.parametrize(("claim", "message"), [
    (attrs.evolve(INST, procedures=(attrs.evolve(INST.procedures[0], code="0DT.J4ZZ"),)),
     "claim 'I1': procedures[0] '0DT.J4ZZ' is not written as the 837 sends a code: it has a "
     "decimal point, which the 837 does not send (it is implied) (send 0DTJ4ZZ): an 837I "
     "cannot hold it"),
    (_claim(condition_codes=("07", "7")), "claim 'PCN-1': condition_codes[1] '7' is not a "
     "code of the NUBC lists as the 837 sends it (HI BG, BH, BI, BE: two upper-case letters "
     "or digits): it is 1 character (07?): an 837P cannot hold it"),
    (_claim(condition_codes=("g0",)), "claim 'PCN-1': condition_codes[0] 'g0' is not "
     "written as the 837 sends a code: it has lower-case letters (code lists are upper "
     "case) (send G0): an 837P cannot hold it"),
], ids=["pcs decimal point", "condition code of one digit", "condition code lower case"])
def test_a_procedure_or_condition_code_the_reader_flags_is_refused(claim: Claim,
                                                                    message: str) -> None:
    """Written before, and read back as X12_CODE_FORMAT (the PCS code) or without a word
    (the condition codes, which the reader did not look at)."""
    with pytest.raises(InvalidArgument) as e:
        write_837([claim])
    assert str(e.value) == message + " (claims[0]; on_refused= skips such claims)"


def test_an_anesthesia_line_in_units_is_written_as_the_claim_says_it_and_warned() -> None:
    """00100 x 1 with no minutes (a claim dict's units): written SV103 UN, SV104 1, which
    the reader warns of (an 837P sends anesthesia time in minutes); with its minutes in
    ``extra`` it is SV103 MJ and clean. (The property test of written claims leaves this
    warning out: it is about the claim, not the file.)"""
    units = _line(procedure_code="00100", units=Decimal(1))
    records = list(read_claims(write_837([units], date=D(2025, 11, 4)).encode()))
    assert [(f.rule, f.severity, f.location.element) for r in records for f in r.findings] \
        == [("X12_ANESTHESIA_NOT_MINUTES", "warning", "SV103")]
    minutes = attrs.evolve(units, extra={"x12_service_minutes": [
        {"line": 1, "element": "SV104", "minutes": "45"}]})
    assert _clean(write_837([minutes], date=D(2025, 11, 4))) == ["PCN-1"]

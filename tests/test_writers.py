"""The writers refuse what their format cannot hold (a typed error naming the claim and the
field), and what they write is valid and reads back the same: 837 (write_837), FHIR Claim
(fhir.from_claim), OperationOutcome (fhir._outcome)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest

from codekit import fhir
from codekit.claims import Claim, Patient, Procedure, ServiceLine
from codekit.errors import InvalidArgument
from codekit.fhir import _outcome as O
from codekit.findings import Finding, Severity
from codekit.x12 import check, read_claims, write_837
from tests.test_x12 import _inst, _prof

pytest.importorskip("pyx12")
D = dt.date


def _line(c: Claim, i: int = 0, **kw: Any) -> Claim:
    lines = list(c.service_lines)
    lines[i] = attrs.evolve(lines[i], **kw)
    return attrs.evolve(c, service_lines=tuple(lines))


def _write(*claims: Claim, **kw: Any) -> str:
    text = write_837(list(claims), date=D(2025, 3, 10), newline="\n", **kw)
    assert isinstance(text, str)
    return text


def _x12_errors(text: str) -> list[tuple[str, str]]:
    """pyx12's findings (SNIP 1-2) on what was written."""
    return sorted({(f.finding.rule, f.location.element or f.location.segment)
                   for r in check(text.encode()) for f in r.findings if f.snip <= 2})


# -- 837: what the file cannot hold is refused ----------------------------------------------

PATIENT = Patient("F", D(1950, 4, 1), id="M1", name="ROE, ANN")
#: what write_837 adds to the refusal of the only claim it is given (its index in claims)
ALONE = " (claims[0]; on_refused= skips such claims)"


@pytest.mark.parametrize(("claim", "message"), [
    # a separator inside a value cut the claim (CLM01 'A', CLM02 lost) or the interchange
    (_prof(claim_id="A*B"), "claim 'A*B': claim_id 'A*B' has '*', a separator of this "
     "interchange: an 837P cannot hold it"),
    (_prof(claim_id="A:B"), "claim 'A:B': claim_id 'A:B' has ':', a separator of this "
     "interchange: an 837P cannot hold it"),
    (_line(_prof(), line_id="L~1"), "claim 'P1': service_lines[0].line_id 'L~1' has '~', "
     "a separator of this interchange: an 837P cannot hold it"),
    (_prof(patient=attrs.evolve(PATIENT, name="O*BRIEN, ANN")), "claim 'P1': patient.name "
     "'O*BRIEN' has '*', a separator of this interchange: an 837P cannot hold it"),
    (_prof(payer="acme^x"), "claim 'P1': payer 'acme^x' has '^', a separator of this "
     "interchange: an 837P cannot hold it"),
    # a line break was dropped by the reader ('A\nB' read back 'AB')
    (_prof(claim_id="A\nB"), "claim 'A\\nB': claim_id 'A\\nB' has '\\n', which is not in "
     "the X12 character set: an 837P cannot hold it"),
    # not X12 (pyx12: X12_ELEMENT_CHARACTER); read back from bytes as 'MÃ\x9cLLER'
    (_prof(patient=attrs.evolve(PATIENT, name="MÜLLER, ANN")), "claim 'P1': patient.name "
     "'MÜLLER' has 'Ü', which is not in the X12 character set: an 837P cannot hold it"),
    # too long for CLM01 (X12_ELEMENT_LENGTH)
    (_prof(claim_id="X" * 39), f"claim {'X' * 39!r}: claim_id is 39 characters long (at "
     "most 38): an 837P cannot hold it"),
    # a fifth modifier went to SV101-7, the description, and was not read back
    (_line(_prof(), modifiers=("25", "59", "RT", "LT", "KX")), "claim 'P1': "
     "service_lines[0].modifiers has 5 modifiers (at most 4): an 837P cannot hold it"),
    (_line(_prof(), modifiers=("", "25")), "claim 'P1': service_lines[0].modifiers[0] is "
     "blank (a blank modifier place is no modifier): an 837P cannot hold it"),
    (_line(_prof(), diagnosis_pointers=(1, 2, 1, 2, 1)), "claim 'P1': "
     "service_lines[0].diagnosis_pointers has 5 pointers (at most 4): an 837P cannot hold it"),
    # -1 was read back as pointer 0
    (_line(_prof(), diagnosis_pointers=(-1,)), "claim 'P1': "
     "service_lines[0].diagnosis_pointers[0] -1 is not a pointer (SV107: 1 or 2 digits): an "
     "837P cannot hold it"),
    # LX*-1 was read back as line 1
    (_line(_prof(), line=-1), "claim 'P1': service_lines[0].line -1 is not a line number "
     "(LX01: 1 to 999999): an 837P cannot hold it"),
    # NaN units were written as 'NaN' and read back as no units
    (_line(_prof(), units=Decimal("NaN")), "claim 'P1': service_lines[0].units is NaN, not "
     "a number: an 837P cannot hold it"),
    (_line(_prof(), charge=Decimal("1E+20")), "claim 'P1': service_lines[0].charge 1E+20 "
     "has more than 18 digits: an 837P cannot hold it"),
    # a second HI of diagnoses (X12_SEGMENT_UNEXPECTED), a third (SEGMENT_REPEAT_EXCEEDED)
    (_prof(diagnoses=tuple(f"E11{i}" for i in range(13))), "claim 'P1': diagnoses has 13 "
     "(at most 12): an 837P cannot hold it"),
    (_inst(diagnoses=tuple(f"E11{i}" for i in range(26)), poa=()), "claim 'I1': diagnoses "
     "has 26 (at most 25): an 837I cannot hold it"),
    (_inst(procedures=(Procedure("02703DZ", D(2025, 3, 3)),) * 26), "claim 'I1': "
     "procedures has 26 (at most 25): an 837I cannot hold it"),
    (_prof(condition_codes=tuple(f"{i:02d}" for i in range(25))), "claim 'P1': "
     "condition_codes has 25 (at most 24): an 837P cannot hold it"),
    (_inst(visit_reasons=("R079", "R10", "R11", "R12")), "claim 'I1': visit_reasons has 4 "
     "(at most 3): an 837I cannot hold it"),
    # X12_LOOP_REPEAT_EXCEEDED
    (_prof(service_lines=tuple(ServiceLine(i + 1, "99213", (), Decimal(1), (1,),
                                           date_of_service=D(2025, 3, 3))
                               for i in range(51))),
     "claim 'P1': service_lines has 51 (at most 50): an 837P cannot hold it"),
    # the frequency code was replaced by the bill type's last digit ('7' read back '1')
    (_inst(frequency_code="7"), "claim 'I1': frequency_code '7' is not the last digit of "
     "the type of bill '111' (CLM05-3 is both): an 837I cannot hold it"),
    # the modifiers of a revenue-code-only 837I line were dropped
    (_line(_inst(), modifiers=("25",)), "claim 'I1': service_lines[0].modifiers has "
     "modifiers but no procedure_code (SV202 holds both): an 837I cannot hold it"),
])
def test_what_an_837_cannot_hold_is_refused(claim: Claim, message: str) -> None:
    with pytest.raises(InvalidArgument) as e:
        _write(claim)
    assert str(e.value) == message + ALONE


def test_a_refused_claim_leaves_nothing_of_itself_in_the_stream() -> None:
    import io

    out = io.StringIO()
    with pytest.raises(InvalidArgument):
        write_837([_prof(), _prof(claim_id="P*2")], out, date=D(2025, 3, 10))
    assert "CLM*P1*" in out.getvalue()
    assert "P*2" not in out.getvalue()


@pytest.mark.parametrize(("kw", "message"), [
    ({"sender": "S" * 16}, "sender='SSSSSSSSSSSSSSSS': 1 to 15 characters of the X12 "
     "character set, no separator, no leading or trailing space (ISA06/ISA08, GS02/GS03)"),
    ({"receiver": "A*B"}, "receiver='A*B': 1 to 15 characters of the X12 character set, no "
     "separator, no leading or trailing space (ISA06/ISA08, GS02/GS03)"),
    ({"delimiters": "-:~^"}, "delimiters='-:~^': '.' and '-' are in the numbers and date "
     "ranges an 837 holds, they cannot be separators"),
    ({"usage": "X"}, "usage='X': 'T' (test) or 'P' (production)"),
    ({"newline": "~"}, "newline='~': '', '\\n', '\\r\\n' or '\\r'"),
])
def test_bad_writer_arguments_are_refused(kw: dict[str, str], message: str) -> None:
    kw = {"newline": "\n", **kw}
    with pytest.raises(InvalidArgument) as e:
        write_837([_inst()], date=D(2025, 3, 10), **kw)
    assert str(e.value) == message


# -- 837: what it holds it carries ---------------------------------------------------------


def test_a_professional_admission_date_is_written_and_read_back() -> None:
    claim = _prof(admission_date=D(2025, 3, 1))
    text = _write(claim)
    assert "DTP*435*D8*20250301~" in text.splitlines()
    assert [r.claim for r in read_claims(text.encode())] == [claim]
    assert _x12_errors(text) == []


def test_an_undated_outpatient_line_of_a_one_day_claim_is_written_with_the_day() -> None:
    """Type of bill 131 needs DTP*472 on every line; the statement period is the one day
    2025-03-04, so that is the day of the undated revenue line 0120."""
    lines = _inst().service_lines
    claim = _inst(bill_type="131", admission_date=None, procedures=(),
                  statement_period=(D(2025, 3, 4), D(2025, 3, 4)), date_of_service=D(2025, 3, 4),
                  service_lines=(lines[0], attrs.evolve(lines[1], date_of_service=D(2025, 3, 4))))
    text = _write(claim).splitlines()
    at = text.index("SV2*0120**3000*UN*3~")
    assert text[at + 1] == "DTP*472*D8*20250304~"
    assert _x12_errors("\n".join(text)) == []


def test_an_institutional_claim_without_a_bill_type_keeps_its_frequency_code() -> None:
    claim = _inst(bill_type=None, frequency_code="7", corrected_claim_id="PCN0",
                  service_lines=tuple(attrs.evolve(ln, date_of_service=D(2025, 3, 3))
                                      for ln in _inst().service_lines))
    text = _write(claim)
    assert "CLM*I1*4000***13:A:7**A*Y*Y~" in text.splitlines()
    (back,) = [r.claim for r in read_claims(text.encode())]
    assert back is not None
    assert (back.frequency_code, back.bill_type) == ("7", "137")


def test_the_most_the_guides_allow_is_written_and_valid() -> None:
    prof = _prof(diagnoses=tuple(f"E11{i}" for i in range(12)),
                 condition_codes=tuple(f"{i:02d}" for i in range(24)),
                 service_lines=tuple(
                     ServiceLine(i + 1, "99213", ("25", "59", "RT", "LT"), u, (1, 2, 3, 12),
                                 date_of_service=D(2025, 3, 3), charge=Decimal(1))
                     for i, u in enumerate([Decimal(0), Decimal(-1), Decimal("0.25")] +
                                           [Decimal(1)] * 47)),
                 total_charge=Decimal(50))
    inst = _inst(diagnoses=tuple(f"E11{i}" for i in range(25)), poa=("Y",) * 25,
                 procedures=(Procedure("02703DZ", D(2025, 3, 3)),) * 25,
                 visit_reasons=("R079", "R10", "R11"))
    text = _write(prof, inst)
    assert [r.claim for r in read_claims(text.encode())] == [prof, inst]
    assert _x12_errors(text) == []


def test_an_exempt_poa_1_is_written_blank_and_checks_clean() -> None:
    """A claim's POA "1" (4010A's exempt form, still read as exempt) was refused (a review
    of 2026-12-06: written as is, it is X12_ELEMENT_CODE_INVALID at HI0x-9): 5010 says exempt with
    a blank HI0x-9. Z79.4 is on the CDC POA-exempt list; "X" is still refused."""
    claim = _inst(diagnoses=("I214", "E119", "Z794"), poa=("Y", "N", "1"))
    text = _write(claim)
    assert "HI*ABK:I214:::::::Y~\nHI*ABJ:R079~\nHI*ABF:E119:::::::N*ABF:Z794~" in text
    results = list(check(text.encode()))
    assert [f.finding.rule for r in results for f in r.findings
            if f.finding.rule.startswith(("X12_", "POA_"))] == []
    (back,) = [r.claim for r in results if r.kind == "claim"]
    assert back == attrs.evolve(claim, poa=("Y", "N", None))
    with pytest.raises(InvalidArgument) as e:
        _write(_inst(poa=("Y", "X", "Y")))
    assert str(e.value) == ("claim 'I1': poa[1] 'X' is not Y, N, U or W (HI0x-9; exempt is "
                            "no indicator): an 837I cannot hold it" + ALONE)


# -- FHIR Claim ----------------------------------------------------------------------------


def test_an_exempt_poa_1_is_a_fhir_poa_code_written_and_read_as_is() -> None:
    """FHIR's POA code systems (NUBC, OID 2.16.840.1.113883.6.301.11, and the CMS one THO
    publishes) have "1", exempt: from_claim writes it, the reader reads it back."""
    claim = _inst(diagnoses=("I214", "E119", "Z794"), poa=("Y", "N", "1"))
    resource = fhir.from_claim(claim)
    assert resource["diagnosis"][2]["onAdmission"] == {"coding": [{
        "system": "https://www.nubc.org/CodeSystem/PresentOnAdmissionIndicator", "code": "1"}]}
    (r,) = fhir.read(resource)
    assert (r.claim, r.findings) == (claim, ())


@pytest.mark.parametrize(("claim", "message"), [
    # NaN was written as a JSON NaN (not JSON), Infinity raised OverflowError
    (_line(_prof(), units=Decimal("NaN")), "claim 'P1': service_lines[0].units is NaN, not "
     "a finite number below 10^12: a FHIR Claim cannot hold it"),
    (_line(_prof(), units=Decimal("Infinity")), "claim 'P1': service_lines[0].units is "
     "Infinity, not a finite number below 10^12: a FHIR Claim cannot hold it"),
    # written as a float and read back as no charge
    (_line(_prof(), charge=Decimal("12345678901234567")), "claim 'P1': "
     "service_lines[0].charge is 12345678901234567, not a finite number below 10^12: a FHIR "
     "Claim cannot hold it"),
    # read back rounded (0.12345678901234568)
    (_line(_prof(), units=Decimal("0.12345678901234567890")), "claim 'P1': "
     "service_lines[0].units 0.12345678901234567890 has more digits than a JSON number "
     "keeps: a FHIR Claim cannot hold it"),
    # blank text: invalid FHIR (fhir.resources: string_pattern_mismatch)
    (_prof(claim_id=""), "a claim without claim_id: claim_id is '': FHIR has no blank "
     "strings: a FHIR Claim cannot hold it"),
    (_prof(patient=attrs.evolve(PATIENT, id="")), "claim 'P1': patient.id is '': FHIR has "
     "no blank strings: a FHIR Claim cannot hold it"),
    (_line(_prof(), line_id=""), "claim 'P1': service_lines[0].line_id is '': FHIR has no "
     "blank strings: a FHIR Claim cannot hold it"),
    (_prof(diagnoses=(" E119", "I10")), "claim 'P1': diagnoses[0] ' E119' is not a FHIR "
     "code (blank, or leading, trailing or doubled spaces): a FHIR Claim cannot hold it"),
    (_line(_prof(), modifiers=("",)), "claim 'P1': service_lines[0].modifiers[0] '' is not "
     "a FHIR code (blank, or leading, trailing or doubled spaces): a FHIR Claim cannot hold "
     "it"),
    # a professional revenue-code-only item was dropped by the reader
    (_line(_prof(), procedure_code="", revenue_code="0450"), "claim 'P1': "
     "service_lines[0].procedure_code is blank: only an institutional item is read without "
     "one (a revenue-code-only line): a FHIR Claim cannot hold it"),
    # extra that is not JSON was silently left out
    (_prof(extra={"day": D(2025, 1, 1)}), "claim 'P1': extra is not JSON (Object of type "
     "date is not JSON serializable): a FHIR Claim cannot hold it"),
    (_prof(extra={1: "a"}), "claim 'P1': extra is not JSON (a key that is not text): a FHIR "
     "Claim cannot hold it"),
    # item.sequence and diagnosisSequence are positiveInt: 0 made an invalid resource
    (_line(_prof(), line=0), "claim 'P1': service_lines[0].line is 0: an item's sequence is "
     "1 or more: a FHIR Claim cannot hold it"),
    (_line(_prof(), diagnosis_pointers=(1, 0)), "claim 'P1': "
     "service_lines[0].diagnosis_pointers[1] is 0: a diagnosisSequence is 1 or more: a FHIR "
     "Claim cannot hold it"),
])
def test_what_a_fhir_claim_cannot_hold_is_refused(claim: Claim, message: str) -> None:
    with pytest.raises(InvalidArgument) as e:
        fhir.from_claim(claim)
    assert str(e.value) == message


def test_a_blank_sex_is_no_gender_and_the_claim_valid_fhir() -> None:
    from fhir.resources.R4B.claim import Claim as ClaimModel

    # what read_claims gives for an 837 patient without DMG: sex ''
    claim = _prof(patient=Patient("", None, age=None, id="M1"))
    resource = fhir.from_claim(claim)
    assert resource["contained"][0] == {
        "resourceType": "Patient", "id": "patient", "identifier": [{"type": {"coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MB"}]},
            "value": "M1"}]}
    ClaimModel.model_validate(resource)
    (r,) = fhir.read(json.dumps(resource))
    assert r.claim is not None and r.claim.patient.sex == "U"


def test_claims_read_from_an_837_convert_to_valid_fhir_and_back() -> None:
    from fhir.resources.R4B.claim import Claim as ClaimModel

    claims = [_prof(admission_date=D(2025, 3, 1)), _inst()]
    for rec in read_claims(_write(*claims).encode()):
        assert rec.claim is not None
        resource = fhir.from_claim(rec.claim)
        ClaimModel.model_validate(resource)
        (r,) = fhir.read(resource)
        assert r.claim == rec.claim


# -- OperationOutcome ----------------------------------------------------------------------


def _valid(outcome: dict[str, Any]) -> None:
    from fhir.resources.R4B.operationoutcome import OperationOutcome

    OperationOutcome.model_validate(outcome)


def test_blank_texts_never_make_an_invalid_operation_outcome() -> None:
    f = Finding(rule="DX_CODE_UNKNOWN", severity=Severity.ERROR, message="  ")
    oo = O.operation_outcome([O.issue(f, ""), O.notice_issue("PAYER_NOT_ROUTED", "", "Claim"),
                              O.not_run_issue("NCCI_PTP_CONFLICT", "", " ")],
                             claim_id="", profile=" ")
    _valid(oo)
    assert "extension" not in oo
    assert [(i["diagnostics"], i.get("expression")) for i in oo["issue"]] == [
        ("DX_CODE_UNKNOWN", None), ("PAYER_NOT_ROUTED", ["Claim"]),
        ("NCCI_PTP_CONFLICT was not run", None)]
    fatal = O.fatal_outcome([("", "")])
    _valid(fatal)
    assert fatal["issue"][0]["diagnostics"] == "the input could not be read"
    assert "expression" not in fatal["issue"][0]


def test_a_clean_outcome_for_a_blank_claim_id_says_the_claim() -> None:
    oo = O.operation_outcome([], claim_id="", profile="medicare-physician")
    _valid(oo)
    assert oo["extension"] == [{"url": O.PROFILE_EXTENSION,
                                "valueString": "medicare-physician"}]
    assert oo["issue"][0]["diagnostics"] == ("No issues: the claim passed every edit that "
                                             "ran (medicare-physician).")


def test_unicode_and_very_long_messages_are_kept_whole_and_valid() -> None:
    message = "código ünïcödé 🙂 " * 20_000
    f = Finding(rule="DX_CODE_UNKNOWN", severity=Severity.WARNING, message=message,
                codes=("E11.9", "A B"), fix=("E11.9",))
    oo = O.operation_outcome([O.issue(f, "Claim.diagnosis[0].diagnosisCodeableConcept")],
                             claim_id="Ω-1")
    _valid(oo)
    (i,) = oo["issue"]
    assert (i["severity"], i["code"], i["diagnostics"], i["expression"]) == (
        "warning", "code-invalid", message, ["Claim.diagnosis[0].diagnosisCodeableConcept"])
    assert json.loads(json.dumps(oo, ensure_ascii=False)) == oo

"""codekit.x12 on what an 837I means to a hospital biller: the type of bill and the
profile it picks, replacements and voids, the statement period across October 1, the
admission date and the length of stay, every HI family, revenue-code lines, subscriber and
patient loops. The 837Is are written here by hand (segment by segment); the third-party
samples of ../shared are read there, never copied, and skipped when absent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from codekit.claims import Occurrence, OccurrenceSpan, Procedure, ValueCode
from codekit.x12 import check, read_claims
from tests.conftest import reference

pytest.importorskip("pyx12")

D = dt.date

ISA = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *251110*1200*^"
       "*00501*000000001*0*T*:~\n")
HEAD = ISA + """\
GS*HC*SENDER*RECEIVER*20251110*1200*1*X*005010X223A2~
ST*837*0001*005010X223A2~
BHT*0019*00*B1*20251110*1200*CH~
NM1*41*2*GENERAL HOSPITAL*****46*SENDER~
PER*IC*BILLING*TE*5555550100~
NM1*40*2*MEDICARE*****46*RECEIVER~
HL*1**20*1~
NM1*85*2*GENERAL HOSPITAL*****XX*1234567893~
N3*1 MAIN ST~
N4*SPRINGFIELD*IL*627010001~
REF*EI*123456789~
HL*2*1*22*0~
SBR*P*18*******MA~
NM1*IL*1*ROE*ANN****MI*1EG4TE5MK73~
N3*2 OAK ST~
N4*SPRINGFIELD*IL*627010001~
DMG*D8*19500401*F~
NM1*PR*2*MEDICARE PART A*****PI*00120~
"""

LINE = "LX*1~\nSV2*0450*HC:99283*300*UN*1~\nDTP*472*D8*20251101~\n"


def clm(claim_id: str = "A1", tob: str = "11:A:1", total: str = "300", *,
        period: str = "20251101-20251105", admission: str | None = "202511010800",
        cl1: str = "CL1*1*7*01~\n", refs: str = "",
        hi: str = "HI*ABK:K3580:::::::Y~\n", lines: str = LINE,
        admitting: str | None = "R69") -> str:
    """One 2300 claim loop, in the guide's segment order; an inpatient one (11x) with its
    admitting diagnosis (HI*ABJ after the principal's HI) unless ``admitting`` is None or
    ``hi`` has one."""
    text = f"CLM*{claim_id}*{total}***{tob}**A*Y*Y~\nDTP*434*RD8*{period}~\n"
    if admission is not None:
        text += f"DTP*435*DT*{admission}~\n"
    if admitting is not None and tob.lstrip("0").startswith("11") and "HI*ABJ" not in hi:
        first, _, rest = hi.partition("~\n")
        hi = f"{first}~\nHI*ABJ:{admitting}~\n{rest}" if first.startswith("HI*ABK") else hi
    return text + cl1 + refs + hi + lines


def x12(*claims: str, head: str = HEAD) -> bytes:
    body = head + "".join(claims)
    count = body[body.index("ST*837"):].count("~") + 1  # ST to SE
    return (body + f"SE*{count}*0001~\nGE*1*1~\nIEA*1*000000001~\n").encode()


def one(*claims: str, head: str = HEAD):  # type: ignore[no-untyped-def]
    [result] = [r for r in check(x12(*claims, head=head)) if r.kind == "claim"]
    return result


def found(result) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(f.rule, f.finding.path, f.location.segment, f.location.element)
            for f in result.findings]


# -- the type of bill ----------------------------------------------------------------------


@pytest.mark.parametrize(("tob", "bill_type", "frequency", "profile"), [
    ("11:A:1", "111", "1", "medicare-inpatient"),
    ("13:A:1", "131", "1", "medicare-outpatient"),
    ("85:A:1", "851", "1", "medicare-outpatient"),
    ("12:A:1", "121", "1", "medicare-outpatient"),  # inpatient Part B: the I/OCE's
    ("11:A:0", "110", "0", "medicare-inpatient"),
])
def test_the_type_of_bill_is_clm05_1_and_3_and_picks_the_profile(
        tob: str, bill_type: str, frequency: str, profile: str) -> None:
    result = one(clm(tob=tob))
    assert (result.claim.bill_type, result.claim.frequency_code) == (bill_type, frequency)
    assert result.report.profile == profile
    assert result.ok, found(result)


def test_a_three_digit_facility_code_is_said_and_still_read_as_inpatient() -> None:
    """CLM05-1 '011' (the UB-04's leading zero) is longer than the element: pyx12 says so,
    and the type of bill 0111 still reaches the inpatient profile."""
    result = one(clm(tob="011:A:1"))
    assert result.claim.bill_type == "0111"
    assert result.report.profile == "medicare-inpatient"
    assert [(r, e) for r, _, _, e in found(result)] == [("X12_ELEMENT_LENGTH", "CLM05-1")]


@pytest.mark.parametrize(("tob", "what"), [("11:A:7", "a replacement"),
                                           ("11:A:8", "a void"), ("13:A:8", "a void")])
def test_a_replacement_or_void_without_the_claim_it_corrects_is_said(tob: str,
                                                                     what: str) -> None:
    """CLM05-3 7 or 8 with no 2300 REF*F8 (the payer claim control number the TR3 requires
    on a replacement or void): accepted, so the payer could not tell which claim it was."""
    freq = tob[-1]
    result = one(clm(tob=tob))
    assert found(result) == [("X12_SEGMENT_MISSING", "$.frequency_code", "CLM", "CLM05-3")]
    [f] = result.findings
    assert (f.snip, f.severity.value, f.location.loop) == (2, "error", "2300")
    assert f.finding.message == (
        f"CLM05-3 is '{freq}' ({what} of a claim sent before): the payer's claim control "
        "number of the claim it corrects (2300 REF*F8) is required, so the payer can find "
        "that claim")
    assert not result.ok
    # with the payer's claim number the void is accepted; another REF is not it
    assert one(clm(tob=tob, refs="REF*F8*PCN0001234~\n")).ok
    other = one(clm(tob=tob, refs="REF*D9*CLEARINGHOUSE1~\n"))
    assert [r for r, *_ in found(other)] == ["X12_SEGMENT_MISSING"]
    # an original claim needs none
    assert one(clm(tob=tob[:-1] + "1")).ok


@pytest.mark.parametrize("tob", ["11:A:1", "13:A:1", "11:A:5"])
def test_a_payer_claim_number_on_a_claim_that_corrects_none_is_said(tob: str) -> None:
    """REF*F8 on an original (111, 131) or a late charge (115): accepted, and read as the
    claim it corrected. The TR3's 2300 REF*F8: required on a replacement or void (CLM05-3
    7, 8); "If not required by this implementation guide, do not send" (X12 RFI 2110: not
    on a type of bill xx1)."""
    result = one(clm(tob=tob, refs="REF*F8*PCN0001234~\n"))
    assert found(result) == [("X12_SEGMENT_NOT_USED", "$.corrected_claim_id", "REF",
                              "REF02")]
    [f] = result.findings
    assert (f.snip, f.severity.value, f.location.loop) == (2, "error", "2300")
    assert f.finding.message == (
        f"REF*F8 names a claim this one corrects ('PCN0001234'), but CLM05-3 is "
        f"'{tob[-1]}', neither a replacement (7) nor a void (8): the payer's claim control "
        "number is sent on those only (if not required, do not send), and a payer may read "
        "this claim as a correction of that one")
    assert result.claim.corrected_claim_id == "PCN0001234"  # read as sent


def test_a_void_is_checked_like_any_claim() -> None:
    """A 118 with its REF*F8 gets every edit an original gets: G35 is a header from
    2025-10-01, also on the void of a claim that used it."""
    result = one(clm(tob="11:A:8", refs="REF*F8*PCN0001234~\n",
                     hi="HI*ABK:G35:::::::Y~\n"))
    assert [r for r, *_ in found(result)] == ["DX_NOT_VALID_ON_DOS"]


# -- dates: the statement period, the admission, the length of stay ---------------------------


def test_an_inpatient_stay_across_october_1_is_coded_for_the_discharge() -> None:
    """111, 2025-09-28 to 2025-10-02: the discharge's release (FY2026) judges the
    diagnoses. G35 (billable until 2025-09-30) is not valid; E11.A (from 2025-10-01) is,
    and as the principal it is on the MCE's questionable-admission list of that date."""
    result = one(clm(period="20250928-20251002", admission="202509280800",
                     hi="HI*ABK:E11A:::::::Y~\nHI*ABF:G35:::::::Y~\n",
                     lines=LINE.replace("20251101", "20250929")))
    assert result.claim.date_of_service == D(2025, 10, 2)
    assert result.claim.statement_period == (D(2025, 9, 28), D(2025, 10, 2))
    assert found(result) == [("DX_NOT_VALID_ON_DOS", "$.diagnoses[1]", "HI", "HI01-2"),
                             ("DX_ADMISSION_QUESTIONABLE", "$.diagnoses[0]", "HI", "HI01-2")]
    assert "2025-10-02 is the discharge date" in result.findings[0].finding.message


def test_an_outpatient_period_across_october_1_is_said() -> None:
    """131, 2025-09-28 to 2025-10-02, E11.A: valid on the through date, not on the first
    day: DX_SPANS_CODE_SET_CHANGE (split the claim)."""
    result = one(clm(tob="13:A:1", period="20250928-20251002", admission=None,
                     hi="HI*ABK:E11A~\nHI*ABF:I10~\n",
                     lines=LINE.replace("20251101", "20250929")))
    assert found(result) == [("DX_SPANS_CODE_SET_CHANGE", "$.diagnoses[0]", "HI", "HI01-2")]


@pytest.mark.parametrize(("admission", "through", "fires"), [
    ("202511010800", "20251104", True),     # 3 days
    ("202511010800", "20251105", False),    # 4 days
    ("202510312330", "20251104", False),    # the hour does not count: 4 days
])
def test_the_length_of_stay_reaches_the_mce_edit(admission: str, through: str,
                                                 fires: bool) -> None:
    """5A1955Z (ventilation over 96 consecutive hours) needs a stay of 4 days: the
    statement period's through date less the DTP*435 date."""
    result = one(clm(period=f"20251101-{through}", admission=admission,
                     hi="HI*ABK:J9601:::::::Y~\nHI*BBR:5A1955Z:D8:20251101~\n"))
    assert result.claim.admission_date == D(int(admission[:4]), int(admission[4:6]),
                                            int(admission[6:8]))
    if fires:
        assert found(result) == [("PCS_LOS_INCONSISTENT", "$.procedures[0].code", "HI",
                                  "HI01-2")]
        assert result.findings[0].finding.message.startswith(
            "Procedure 1 5A1955Z (ventilation over 96 consecutive hours) on a stay of 3 "
            "days (2025-11-01 to 2025-11-04)")
    else:
        assert result.ok, found(result)


def test_an_inpatient_claim_without_an_admission_date() -> None:
    result = one(clm(admission=None, hi="HI*ABK:J9601:::::::Y~\nHI*BBR:5A1955Z:D8:20251101~\n"))
    assert found(result) == [("X12_ADMISSION_DATE_MISSING", "$.admission_date", "CLM", None)]
    # the stay counts from the statement period's from date (UB-04 FL 6): 4 days
    assert result.report.not_run == ()
    result = one(clm(admission=None, period="20251101-20251104",
                     hi="HI*ABK:J9601:::::::Y~\nHI*BBR:5A1955Z:D8:20251101~\n"))
    assert found(result) == [("X12_ADMISSION_DATE_MISSING", "$.admission_date", "CLM", None),
                             ("PCS_LOS_INCONSISTENT", "$.procedures[0].code", "HI", "HI01-2")]


# -- HI: every family ---------------------------------------------------------------------


EVERY_HI = """\
HI*ABK:K3580:::::::Y~
HI*ABJ:R1031~
HI*APR:R1031*APR:R109~
HI*ABN:W1830XA:::::::N*ABN:Y9289~
HI*BBR:0DTJ4ZZ:D8:20251102~
HI*BBQ:0DTJ0ZZ:D8:20251103*BBQ:0WJG4ZZ:D8:20251103~
HI*DR:343~
HI*ABF:E119:::::::N*ABF:I10:::::::U*ABF:Z9981*ABF:R509:::::::W~
HI*BI:70:RD8:20251010-20251020~
HI*BH:11:D8:20251025~
HI*BE:80:::4~
HI*BG:45*BG:A7~
"""


def test_every_hi_family_reaches_the_claim_or_is_said_not_to() -> None:
    result = one(clm(hi=EVERY_HI))
    c = result.claim
    assert c.diagnoses == ("K3580", "E119", "I10", "Z9981", "R509", "W1830XA", "Y9289")
    assert c.poa == ("Y", "N", "U", None, "W", "N", None)
    assert (c.admitting_diagnosis, c.visit_reasons) == ("R1031", ("R1031", "R109"))
    assert c.procedures == (Procedure("0DTJ4ZZ", D(2025, 11, 2)),
                            Procedure("0DTJ0ZZ", D(2025, 11, 3)),
                            Procedure("0WJG4ZZ", D(2025, 11, 3)))
    assert c.condition_codes == ("45", "A7")
    # occurrence spans (BI), occurrence codes (BH) and value codes (BE) with their dates
    # and amount (not mapped before 2026-12-06)
    assert c.occurrence_spans == (OccurrenceSpan("70", D(2025, 10, 10), D(2025, 10, 20)),)
    assert c.occurrence_codes == (Occurrence("11", D(2025, 10, 25)),)
    assert c.value_codes == (ValueCode("80", Decimal(4)),)
    assert c.extra == {}
    # the DRG is not mapped (docs/x12.md); Z99.81 and Y92.89 are POA-exempt, so their
    # blank indicators are right
    assert found(result) == []
    where = {p: (loc.segment, loc.element, loc.line) for p, loc in
             ((p, result.record.locate(p)) for p in (
                 ("diagnoses", 0), ("diagnoses", 4, "poa"), ("diagnoses", 6, "poa"),
                 ("admitting_diagnosis",), ("visit_reasons", 1), ("procedures", 2),
                 ("condition_codes", 1), ("occurrence_spans", 0), ("occurrence_codes", 0),
                 ("value_codes", 0)))}
    assert where == {
        ("diagnoses", 0): ("HI", "HI01-2", 24), ("diagnoses", 4, "poa"): ("HI", "HI04-9", 31),
        ("diagnoses", 6, "poa"): ("HI", "HI02-9", 27),
        ("admitting_diagnosis",): ("HI", "HI01-2", 25),
        ("visit_reasons", 1): ("HI", "HI02-2", 26), ("procedures", 2): ("HI", "HI02-2", 29),
        ("condition_codes", 1): ("HI", "HI02-2", 35),
        ("occurrence_spans", 0): ("HI", "HI01-2", 32),
        ("occurrence_codes", 0): ("HI", "HI01-2", 33), ("value_codes", 0): ("HI", "HI01-2", 34)}


def test_a_decimal_point_in_an_837i_diagnosis_is_said_with_its_fix() -> None:
    """HI*ABK:K35.80 with its POA, and an admitting diagnosis R10.9: the 837I TR3's HI
    notes say the decimal point is implied, not sent; the claim was accepted."""
    result = one(clm(hi="HI*ABK:K35.80:::::::Y~\n", admitting="R10.9"))
    assert result.claim.diagnoses == ("K35.80",)  # kept as sent
    said = [(f.location.element, f.finding.path, f.finding.fix) for f in result.findings
            if f.rule == "X12_CODE_FORMAT"]
    assert said == [("HI01-2", "$.diagnoses[0]", ("K3580",)),
                    ("HI01-2", "$.admitting_diagnosis", ("R109",))]
    assert (result.findings[0].location.line, result.findings[1].location.line) == (24, 25)


@pytest.mark.parametrize("bg", ["HI*BG:41~\n", "HI*BG: 41~\n", "HI*BG:41 ~\n"])
def test_a_condition_code_with_spaces_is_the_code(bg: str) -> None:
    """HI BG " 41" or "41 " (a fixed-width element) is condition code 41: a CMHC claim
    (761, 2024-03-01) with partial hospitalization is not returned by I/OCE edit 118. It
    was: the code kept its spaces, so the claim had no condition code 41 (a false
    BILL_TYPE_INVALID)."""
    lines = ("LX*1~\nSV2*0915*HC:G0410*300*UN*1~\nDTP*472*D8*20240301~\n"
             "LX*2~\nSV2*0730*HC:93000*300*UN*1~\nDTP*472*D8*20240301~\n")
    result = one(clm(tob="76:A:1", total="600", period="20240301-20240301", admission=None,
                     hi="HI*ABK:F331~\n" + bg, lines=lines))
    assert result.claim.condition_codes == ("41",)
    # (pyx12 says a trailing space is not an element's character: X12_ELEMENT_CHARACTER)
    assert [f.rule for f in result.report.findings if not f.rule.startswith("X12_")] == [
        "PROC_NOT_BILLABLE_TO_MAC"]
    assert result.record.locate(("condition_codes", 0)).element == "HI01-2"


def test_nubc_codes_of_hi_have_their_code_lists_shape() -> None:
    """HI BG condition, BH occurrence, BI occurrence span and BE value codes were read
    without a look: a lower-case condition code (g0), one of one character (7), an
    occurrence code of three (111), a value code with a leading space, an occurrence date
    that is no date (20251301) and a span that runs backwards passed. Each is said at its
    element (X12_CODE_FORMAT with the code to send, where it stands for one; else
    X12_ELEMENT_CODE_INVALID: NUBC codes are two letters or digits; X12_ELEMENT_DATE_INVALID:
    pyx12 does not check HI0x-4); the claim is read, its condition codes as sent, its
    occurrence and value codes as their fields keep them (an occurrence code or span
    without a valid date has no entry; a code without its spaces, as a condition code)."""
    result = one(clm(hi="HI*ABK:K3580:::::::Y~\nHI*BI:70:RD8:20251103-20251101~\n"
                        "HI*BH:111:D8:20251101*BH:11:D8:20251301~\n"
                        "HI*BE: 80:::4*BE:A1:::12.5~\nHI*BG:g0*BG:7*BG:07~\n"))
    assert result.claim.condition_codes == ("g0", "7", "07")
    assert result.claim.occurrence_codes == (Occurrence("111", D(2025, 11, 1)),)
    assert result.claim.occurrence_spans == ()
    assert result.claim.value_codes == (ValueCode("80", Decimal(4)),
                                        ValueCode("A1", Decimal("12.5")))
    assert [(r, p, e, f.location.line, f.finding.fix) for (r, p, _, e), f in zip(
        found(result), result.findings, strict=True)] == [
        ("X12_ELEMENT_DATE_INVALID", "$", "HI01-4", 26, ()),
        ("X12_ELEMENT_DATE_INVALID", "$", "HI02-4", 27, ()),
        ("X12_ELEMENT_CODE_INVALID", "$.occurrence_codes[0]", "HI01-2", 27, ()),
        ("X12_CODE_FORMAT", "$.value_codes[0]", "HI01-2", 28, ("80",)),
        ("X12_CODE_FORMAT", "$.condition_codes[0]", "HI01-2", 29, ("G0",)),
        ("X12_ELEMENT_CODE_INVALID", "$.condition_codes[1]", "HI02-2", 29, ())]
    assert [f.finding.message for f in result.findings] == [
        'Data element "Occurrence Span Code Date" (HI01-4) contains an invalid date range '
        "(20251103-20251101) (the range runs backwards)",
        'Data element "Occurrence Code Date" (HI02-4) contains an invalid date (20251301)',
        "(111) is not a valid code for Occurrence Code (HI01-2): NUBC occurrence codes (code "
        "source 132) are two letters or digits, and it is 3 characters",
        "HI01-2 ' 80' is not written as the 837 sends a code: it has a leading space, which "
        "X12 keeps as part of the value: send 80",
        "HI01-2 'g0' is not written as the 837 sends a code: it has lower-case letters (code "
        "lists are upper case): send G0",
        "(7) is not a valid code for Condition Code (HI02-2): NUBC condition codes (code "
        "source 132) are two letters or digits, and it is 1 character (07?)"]


def test_a_code_outside_ascii_is_pyx12s_not_a_code_format_with_a_wrong_fix() -> None:
    """A full-width digit in a diagnosis (E１１9, UTF-8): besides pyx12's
    X12_ELEMENT_CHARACTER it was X12_CODE_FORMAT "lower-case letters" with the fix
    'Eï¼\x91...' upper-cased (the bytes read as Latin-1): no fix is right, and the
    character is said once (and codekit's edits find no such diagnosis)."""
    result = one(clm(hi="HI*ABK:E\uff11\uff119:::::::Y~\n"))
    assert [(r, e) for r, _, _, e in found(result)] == [("X12_ELEMENT_CHARACTER", "HI01-2"),
                                                        ("DX_FORMAT_INVALID", "HI01-2")]


def test_poa_findings_are_at_the_poa_element() -> None:
    """The POA edits report at $.diagnoses[i].poa: it was located at HI0x-2, the code,
    and pyx12's finding on the same indicator had another path ($.poa[i])."""
    result = one(clm(hi="HI*ABK:K3580:::::::Y~\n"
                        "HI*ABF:E119:::::::N*ABF:J189:::::::Q*ABF:R509*ABF:Z9981:::::::W~\n"))
    assert found(result) == [
        ("X12_ELEMENT_CODE_INVALID", "$.diagnoses[2].poa", "HI", "HI02-9"),
        ("POA_MISSING", "$.diagnoses[3].poa", "HI", "HI03-9"),
        ("POA_INVALID", "$.diagnoses[2].poa", "HI", "HI02-9"),
        ("POA_EXEMPT_REPORTED", "$.diagnoses[4].poa", "HI", "HI04-9")]
    messages = [f.finding.message for f in result.findings]
    assert messages[1].startswith("Diagnosis 4 R50.9 needs a POA indicator (Y, N, U or W): "
                                  "got none, and R50.9 is not on the CDC POA-exempt list of "
                                  "FY2026; a hospital exempt from POA reporting")
    # 5010 has no '1': blank is exempt (pyx12 says so; the POA edits read it as blank)
    result = one(clm(hi="HI*ABK:K3580:::::::Y~\nHI*ABF:Z9981:::::::1~\n"))
    assert found(result) == [("X12_ELEMENT_CODE_INVALID", "$.diagnoses[1].poa", "HI",
                              "HI01-9")]


def test_a_lower_case_poa_indicator_is_given_its_fix() -> None:
    """HI*ABK:K3580:::::::y: pyx12 says y is not in the POA code list (Y, N, U, W: X12
    code lists are case-sensitive) and the POA edits read it as Y (no POA finding); the
    finding had no fix. It has Y, machine-readable, as X12_CODE_FORMAT has for codes; so
    does any code of a code list sent in lower case (CLM05-2 a)."""
    (f,) = one(clm(hi="HI*ABK:K3580:::::::y~\n")).findings
    assert (f.rule, f.finding.path, f.location.element, f.finding.codes, f.finding.fix) == (
        "X12_ELEMENT_CODE_INVALID", "$.diagnoses[0].poa", "HI01-9", ("y",), ("Y",))
    assert f.finding.message == ("(y) is not a valid code for Present on Admission "
                                 "Indicator (HI01-09): send Y")
    (f,) = one(clm(tob="11:a:1")).findings
    assert (f.rule, f.location.element, f.finding.fix) == (
        "X12_ELEMENT_CODE_INVALID", "CLM05-2", ("A",))
    # a code of no list stays without a fix (Q is no POA indicator, in any case)
    (f, _poa) = one(clm(hi="HI*ABK:K3580:::::::q~\n")).findings
    assert (f.rule, f.finding.fix, _poa.rule) == ("X12_ELEMENT_CODE_INVALID", (),
                                                  "POA_INVALID")


def test_a_missing_terminator_before_a_segment_on_the_next_line_is_said() -> None:
    """CL1*1*7*01 and a line break, its "~" left out, then HI*ABK:...: the two were read
    as one segment wrapped over lines, CL103 "01HI" (X12_ELEMENT_LENGTH, then
    DISCHARGE_STATUS_INVALID), the principal diagnosis lost (X12_SEGMENT_MISSING HI,
    DX_MISSING). A line break followed by a segment ID of the 837 and the element
    separator ends the segment: said there, and both segments are read."""
    result = one(clm(cl1="CL1*1*7*01\n"))
    assert found(result) == [("X12_SEGMENT_TERMINATOR_MISSING", "$", "CL1", None)]
    (f,) = result.findings
    assert f.finding.severity.value == "error" and f.snip == 1
    assert f.finding.message == (
        "segment terminator missing after CL1? The line break after this CL1 segment is "
        "followed by 'HI*', which starts a segment (HI): read as two segments (a segment "
        "wrapped over lines is joined only when no line of it starts so); end the CL1 "
        "segment with the segment terminator")
    assert (result.claim.discharge_status, result.claim.diagnoses) == ("01", ("K3580",))
    # each at its own line and byte
    body = x12(clm(cl1="CL1*1*7*01\n")).decode()
    assert (f.location.line, f.location.offset) == (23, body.index("CL1*"))
    assert (result.record.locate(("diagnoses", 0)).line,
            result.record.locate(("diagnoses", 0)).offset) == (24, body.index("HI*ABK"))
    # the last segment of the file too (IEA after GE, the terminator between left out)
    text = x12(clm()).decode().replace("GE*1*1~\n", "GE*1*1\n")
    results = list(check(text.encode()))
    assert [(f.rule, f.location.segment) for r in results for f in r.findings] == [
        ("X12_SEGMENT_TERMINATOR_MISSING", "GE")]
    # an IEA without its terminator before the next interchange's ISA: the ISA is read as
    # the header it is (its delimiters, its control number)
    second = x12(clm("A2")).decode().replace("000000001", "000000002")
    text = x12(clm()).decode().replace("IEA*1*000000001~\n", "IEA*1*000000001\n") + second
    results = list(check(text.encode()))
    assert [(r.kind, r.claim.claim_id if r.claim else None,
             [(f.rule, f.location.segment) for f in r.findings]) for r in results] == [
        ("claim", "A1", []), ("envelope", None, [("X12_SEGMENT_TERMINATOR_MISSING", "IEA")]),
        ("claim", "A2", [])]


def test_a_segment_wrapped_over_lines_is_still_one_segment() -> None:
    """Segments wrapped over lines (80-column files: docs/x12.md) are joined: a line
    that does not start with a segment ID and the element separator continues the
    segment before it (CL1*1*7* / 01~; NM1*IL*1*R / OE*ANN..., where OE* looks like a
    segment's start but OE is no segment ID of the 837; and every segment after the ISA
    cut every 80 characters), and the claim reads as the unwrapped one does."""
    plain = one(clm())
    wrapped = one(clm(cl1="CL1*1*7*\n01~\n"))
    assert found(wrapped) == found(plain) == []
    assert wrapped.claim == plain.claim
    wrapped = one(clm(), head=HEAD.replace("NM1*IL*1*ROE", "NM1*IL*1*R\nOE"))
    assert (found(wrapped), wrapped.claim) == ([], plain.claim)
    flat = x12(clm()).decode().replace("\n", "")[len(ISA) - 1:]
    cut = (ISA + "\n".join(flat[i:i + 80] for i in range(0, len(flat), 80))).encode()
    [result] = [r for r in check(cut) if r.kind == "claim"]
    assert (found(result), result.claim) == ([], plain.claim)


def test_a_finding_on_another_component_of_an_hi_code_has_that_codes_path() -> None:
    """A POA indicator on the admitting diagnosis (HI01-9 of HI ABJ, not used: the claim
    has no field for it), a principal procedure's date under RD8 (HI01-3: the procedure is
    kept without its date): pyx12's findings had the claim's path ($), not the code's
    whose composite they are in."""
    result = one(clm(hi="HI*ABK:K3580:::::::Y~\nHI*ABJ:R1031:::::::Y~\n"
                        "HI*BBR:0DTJ4ZZ:RD8:20251101-20251102~\n"))
    assert found(result) == [
        ("X12_ELEMENT_NOT_USED", "$.admitting_diagnosis", "HI", "HI01-9"),
        ("X12_ELEMENT_CODE_INVALID", "$.procedures[0]", "HI", "HI01-3")]
    assert result.claim.procedures == (Procedure("0DTJ4ZZ", None),)


def test_a_missing_claim_segment_is_not_said_of_the_line_after_it() -> None:
    """No principal diagnosis HI: pyx12 finds it missing at the LX that follows, and the
    finding's path was that line ($.service_lines[0]); no CL1: at the HI
    ($.diagnoses)."""
    result = one(clm(hi="HI*ABF:I10:::::::Y~\n", cl1=""))
    assert found(result) == [("X12_SEGMENT_MISSING", "$", "HI", None),
                             ("X12_SEGMENT_MISSING", "$", "LX", None),
                             ("DX_MISSING", "$.diagnoses[0]", "CLM", None),
                             ("ADMITTING_DX_MISSING", "$.admitting_diagnosis", "CLM", None)]
    assert [f.finding.message for f in result.findings][:2] == [
        'Mandatory segment "Institutional Claim Code" (CL1) missing',
        'Mandatory segment "Principal Diagnosis" (HI) missing']
    assert {f.location.loop for f in result.findings[:2]} == {"2300"}


def test_icd9_qualifiers_before_the_transition() -> None:
    """BK/BR in a stay of 2015-09: read, and said to be ICD-9-CM (a warning)."""
    result = one(clm(period="20150901-20150905", admission="201509010800",
                     hi="HI*BK:5409:::::::Y~\nHI*BR:4701:D8:20150902~\n",
                     lines=LINE.replace("20251101", "20150901")))
    assert result.claim.procedures == (Procedure("4701", D(2015, 9, 2)),)
    assert found(result)[0] == ("X12_DX_CODE_SET", "$.diagnoses", "HI", "HI01-1")
    assert result.findings[0].severity.value == "warning"


def test_hcpcs_procedures_in_hi_are_4010_and_said() -> None:
    result = one(clm(tob="13:A:1", hi="HI*ABK:K3580~\nHI*BP:99283:D8:20251101~\n"))
    assert found(result) == [("X12_SEGMENT_UNEXPECTED", "$", "HI", None)]
    assert result.claim.procedures == ()


def test_an_advanced_billing_concepts_procedure_is_kept_not_checked() -> None:
    result = one(clm(hi="HI*ABK:K3580:::::::Y~\nHI*CAH:ABC123:D8:20251102~\n"))
    assert result.ok and result.claim.procedures == ()
    assert result.claim.extra == {"x12_other_procedure_codes": [
        {"line": None, "element": "HI01-2", "qualifier": "CAH", "code": "ABC123",
         "date": "2025-11-02"}]}


# -- SV2 revenue lines ----------------------------------------------------------------------


def test_revenue_lines_as_an_outpatient_biller_sends_them() -> None:
    lines = ("LX*1~\nSV2*0250**40*UN*3~\nDTP*472*RD8*20251101-20251103~\n"
             "LX*2~\nSV2*0300*HC:80053:90:91:QW:59*60*UN*1.5~\nDTP*472*D8*20251102~\n"
             "LX*3~\nSV2*0636*HC:J1100*10*UN*4~\nDTP*472*D8*20251101~\n")
    result = one(clm(tob="13:A:1", total="110", period="20251101-20251103", admission=None,
                     hi="HI*ABK:R1031~\n", lines=lines))
    got = [(ln.line, ln.revenue_code, ln.procedure_code, ln.modifiers, ln.charge, ln.units,
            ln.date_of_service) for ln in result.claim.service_lines]
    assert got == [
        (1, "0250", "", (), Decimal(40), Decimal(3), D(2025, 11, 1)),   # a range: its first day
        (2, "0300", "80053", ("90", "91", "QW", "59"), Decimal(60), Decimal("1.5"),
         D(2025, 11, 2)),
        (3, "0636", "J1100", (), Decimal(10), Decimal(4), D(2025, 11, 1))]
    assert result.record.locate(("service_lines", 1, "modifiers", 3)).element == "SV202-6"
    assert result.record.locate(("service_lines", 0, "units")).element == "SV205"


def test_a_missing_unit_count_is_said_twice_over() -> None:
    result = one(clm(tob="13:A:1", admission=None, hi="HI*ABK:R1031~\n",
                     lines="LX*1~\nSV2*0450*HC:99284*300*UN~\nDTP*472*D8*20251101~\n"))
    assert found(result) == [
        ("X12_SEGMENT_SYNTAX", "$.service_lines[0]", "SV2", "SV204"),
        ("X12_ELEMENT_MISSING", "$.service_lines[0].units", "SV2", "SV205"),
        ("UNITS_INVALID", "$.service_lines[0].units", "SV2", "SV205")]


def test_a_hipps_rate_code_is_not_checked_as_a_hcpcs_code() -> None:
    """A SNF claim's 0022 line with its HIPPS code (SV202-1 HP): it was checked as a
    HCPCS code and rejected (PROC_FORMAT_INVALID: 'HCPCS Level II codes never start with
    N'), as every SNF, home health and IRF claim with its HIPPS code would be."""
    lines = ("LX*1~\nSV2*0022*HP:NHNE1*0*UN*1~\nDTP*472*D8*20251101~\n"
             "LX*2~\nSV2*0191**900*DA*3~\nDTP*472*RD8*20251101-20251103~\n"
             "LX*3~\nSV2*0420*HC:97110:GP*100*UN*2~\nDTP*472*D8*20251102~\n")
    result = one(clm(tob="21:A:1", total="1000", period="20251101-20251103", lines=lines,
                     hi="HI*ABK:S72001D~\n"))
    assert [(ln.revenue_code, ln.procedure_code, ln.units) for ln in
            result.claim.service_lines] == [("0022", "", Decimal(1)),
                                            ("0191", "", Decimal(3)),
                                            ("0420", "97110", Decimal(2))]
    assert result.claim.extra == {"x12_other_procedure_codes": [
        {"line": 1, "element": "SV202-2", "qualifier": "HP", "code": "NHNE1"}]}
    assert not [r for r, *_ in found(result) if r.startswith("PROC_")], found(result)
    assert result.record.locate(("service_lines", 0, "procedure_code")).element == "SV202-2"
    assert [f for f in found(result) if f[0] == "X12_PROCEDURE_CODE_SET"] == [
        ("X12_PROCEDURE_CODE_SET", "$.service_lines[0]", "SV2", "SV202-1")]


def test_a_home_health_hipps_line_needs_no_hcpcs_code() -> None:
    """A home health claim's 0023 line with the period's HIPPS code (SV202-1 HP), as CMS
    asks: the line is read as revenue-code-only, and the I/OCE, whose HCPCS field holds the
    HIPPS code, does not say it lacks one. It failed before: REVENUE_CODE_REQUIRES_HCPCS
    ('revenue code 0023 needs a HCPCS code ... the claim is returned') on every such
    claim."""
    lines = ("LX*1~\nSV2*0023*HP:1AA11*0*UN*1~\nDTP*472*D8*20251101~\n"
             "LX*2~\nSV2*0551*HC:G0299*400*UN*4~\nDTP*472*D8*20251103~\n")
    result = one(clm(tob="32:A:9", total="400", period="20251101-20251130", lines=lines,
                     hi="HI*ABK:I5022~\n"))
    assert result.claim.service_lines[0].procedure_code == ""
    assert [r for r, *_ in found(result)] == ["X12_PROCEDURE_CODE_SET"], found(result)


def test_a_hospice_month_from_an_837i() -> None:
    """A hospice's 837I (81x): the level-of-care line's site-of-service code is SV202
    (HC:Q5001); one without it is HOSPICE_SITE_OF_SERVICE_MISSING at SV202-2 of its line,
    and a statement period (DTP*434) into a second month HOSPICE_PERIOD_SPANS_MONTHS at
    DTP03 (Claims Processing Manual ch.11 §30.3, §90). Both passed before."""
    visit = "LX*2~\nSV2*0551*HC:G0299*400*UN*4~\nDTP*472*D8*20251103~\n"
    good = one(clm(tob="81:A:1", total="6400", period="20251101-20251130", admission=None,
                   cl1="CL1*1**01~\n", hi="HI*ABK:C3490~\n",
                   lines="LX*1~\nSV2*0651*HC:Q5001*6000*UN*30~\n"
                         "DTP*472*RD8*20251101-20251130~\n" + visit))
    assert good.claim.service_lines[0].procedure_code == "Q5001"
    assert good.report.profile == "medicare-outpatient"
    assert found(good) == []
    bad = one(clm(tob="81:A:1", total="6400", period="20251101-20251201", admission=None,
                  cl1="CL1*1**01~\n", hi="HI*ABK:C3490~\n",
                  lines="LX*1~\nSV2*0651**6000*DA*30~\n"
                        "DTP*472*RD8*20251101-20251130~\n" + visit))
    assert [f for f in found(bad) if f[0].startswith("HOSPICE_")] == [
        ("HOSPICE_SITE_OF_SERVICE_MISSING", "$.service_lines[0].procedure_code", "SV2",
         "SV202-2"),
        ("HOSPICE_PERIOD_SPANS_MONTHS", "$.statement_period", "DTP", "DTP03")]


# -- who, and how many -------------------------------------------------------------------------


def test_patient_loops_and_several_claims_in_one_transaction() -> None:
    """A subscriber with two dependants (2000C): each claim has its own patient's sex and
    birth date, the subscriber's member ID; two claims under the first patient."""
    head = HEAD.replace("HL*2*1*22*0~\nSBR*P*18*******MA~", "HL*2*1*22*1~\nSBR*P********MA~")

    def patient(hl: int, first: str, dob: str, sex: str) -> str:
        return (f"HL*{hl}*2*23*0~\nPAT*19~\nNM1*QC*1*ROE*{first}~\nN3*2 OAK ST~\n"
                f"N4*SPRINGFIELD*IL*627010001~\nDMG*D8*{dob}*{sex}~\n")

    out = clm("K1", "13:A:1", period="20251101-20251101", admission=None,
              hi="HI*ABK:Z3800~\n")
    text = (patient(3, "KID", "20251101", "M") + out + out.replace("K1", "K2")
            + patient(4, "TEEN", "20100101", "F")
            + clm("K3", "13:A:1", period="20251102-20251102", admission=None,
                  hi="HI*ABK:N400~\n", lines=LINE.replace("20251101", "20251102")))
    data = x12(text, head=head)
    results = [r for r in check(data) if r.kind == "claim"]
    assert [(r.claim_id, r.claim.patient.sex, r.claim.patient.birth_date,
             r.claim.patient.id, r.claim.patient.name) for r in results] == [
        ("K1", "M", D(2025, 11, 1), "1EG4TE5MK73", "ROE, KID"),
        ("K2", "M", D(2025, 11, 1), "1EG4TE5MK73", "ROE, KID"),
        ("K3", "F", D(2010, 1, 1), "1EG4TE5MK73", "ROE, TEEN")]
    assert [found(r) for r in results[:2]] == [[], []]
    assert [r for r, *_ in found(results[2])] == ["DX_SEX_CONFLICT"]
    sex = results[2].record.locate(("patient", "sex"))
    assert (sex.loop, sex.element) == ("2010CA", "DMG03")
    assert data[sex.offset:].startswith(b"DMG*D8*20100101*F~")


def test_several_transactions_in_one_group() -> None:
    data = x12(clm("S1", "13:A:1", admission=None, hi="HI*ABK:R1031~\n")).decode()
    st = data[data.index("ST*837"):data.index("GE*")]
    data = data.replace("GE*1*1~", st.replace("0001", "0002").replace("S1", "S2") + "GE*2*1~")
    results = list(check(data.encode()))
    assert [(r.kind, r.claim_id, r.envelope.transaction, found(r)) for r in results] == [
        ("claim", "S1", "0001", []), ("claim", "S2", "0002", [])]


# -- the third-party samples (../shared) -----------------------------------------------------


def _sample(name: str):  # type: ignore[no-untyped-def]
    [rec] = [r for r in read_claims(reference("x12_837_samples", name)) if r.kind == "claim"]
    return rec


def test_dbx_837i_poa_is_located_at_hi_9() -> None:
    rec = _sample("dbx_CC_837I_EDI.txt")
    data = reference("x12_837_samples", "dbx_CC_837I_EDI.txt").read_bytes()
    assert rec.claim.poa == ("Y", "Y", "Y", "Y", "N")
    where = [rec.locate(("diagnoses", i, "poa")) for i in (0, 4)]
    assert [loc.element for loc in where] == ["HI01-9", "HI04-9"]
    assert [data[loc.offset:loc.offset + 10] for loc in where] == [b"HI*ABK:F39",
                                                                  b"HI*ABF:F13"]


def test_hdi_837i_all_fields_reads_every_hi_family() -> None:
    rec = _sample("hdi_837I-all-fields.dat")
    c = rec.claim
    assert (c.bill_type, c.admission_date, c.admitting_diagnosis, c.visit_reasons) == \
        ("111", D(2019, 3, 10), "H5988", ("H59369",))
    assert c.diagnoses[-3:] == ("V4312XA", "Z970", "Z9681")  # the external causes, last
    assert len(c.procedures) == 13 and c.procedures[0] == Procedure("009G0ZZ", D(2017, 10, 3))
    assert len(c.condition_codes) == 12 and c.extra == {}
    assert rec.locate(("diagnoses", 1, "poa")).element == "HI01-9"


def test_the_admitting_diagnosis_and_the_reasons_for_visit_are_checked() -> None:
    """HI ABJ (admitting) and APR (reasons for visit) were read and never judged: G35, a
    header since 2025-10-01, passed as the admitting diagnosis (the MCE's
    INVALID_ADMIT_DX), and an unknown reason for visit passed an outpatient claim."""
    inpatient = one(clm(hi="HI*ABK:K3580:::::::Y~\nHI*ABJ:G35~\n"))
    assert [(f.rule, f.finding.path, f.location.segment, f.location.element)
            for f in inpatient.findings if f.rule.startswith("DX_")] == [
        ("DX_NOT_VALID_ON_DOS", "$.admitting_diagnosis", "HI", "HI01-2")]
    outpatient = one(clm(tob="13:A:1", admission=None, cl1="",
                         hi="HI*ABK:R1031~\nHI*APR:R1031*APR:R1O9~\n"))
    assert [(f.rule, f.finding.path, f.finding.message) for f in outpatient.findings
            if f.rule.startswith("DX_")] == [
        ("DX_CODE_UNKNOWN", "$.visit_reasons[1]", "The patient's reason for visit 2 "
         "'R1O9': R1O.9 is in no ICD-10-CM release codekit knows")]


def test_a_line_dated_outside_the_statement_period_is_said() -> None:
    """A line DTP*472 of 2025-10-15 on a statement period of 2025-11-01 to 2025-11-05 gave
    no finding."""
    early = "LX*1~\nSV2*0450*HC:99283*300*UN*1~\nDTP*472*D8*20251015~\n"
    result = one(clm(tob="13:A:1", admission=None, cl1="", lines=early))
    assert [(f.rule, f.finding.path, f.location.segment, f.location.element)
            for f in result.findings if f.rule == "LINE_DATE_OUTSIDE_PERIOD"] == [
        ("LINE_DATE_OUTSIDE_PERIOD", "$.service_lines[0].date_of_service", "DTP",
         "DTP03")]
    assert not [f for f in one(clm(tob="13:A:1", admission=None, cl1="")).findings
                if f.rule == "LINE_DATE_OUTSIDE_PERIOD"]


def test_an_empty_sv202_qualifier_is_said_not_read_as_hc_without_a_word() -> None:
    r = one(clm(lines="LX*1~\nSV2*0730*:93005*300*UN*1~\nDTP*472*D8*20251101~\n"))
    assert r.claim is not None and r.claim.service_lines[0].procedure_code == "93005"
    assert [(f.rule, f.finding.path, f.location.segment, f.location.element, f.finding.message)
            for f in r.findings if f.rule.startswith("X12_")] == [
        ("X12_ELEMENT_MISSING", "$.service_lines[0].procedure_code", "SV2", "SV202-1",
         'Mandatory data element "Product or Service ID Qualifier" (SV202-01) is missing on '
         "line 1: 93005 is sent without its code set (HC for CPT/HCPCS); codekit reads it as "
         "CPT/HCPCS")]
    # with HC it is not said
    r = one(clm(lines="LX*1~\nSV2*0730*HC:93005*300*UN*1~\nDTP*472*D8*20251101~\n"))
    assert [f.rule for f in r.findings if f.rule.startswith("X12_")] == []

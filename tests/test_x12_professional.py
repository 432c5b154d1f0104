"""codekit.x12 on what an 837P means to a physician biller: the places of service of the
claim and its lines, frequency codes, the billing and rendering NPIs, SV1 (qualifiers other
than HC, anesthesia minutes, decimal units, pointers), HI across the ICD-9/ICD-10 line,
line dates, drug lines, the filing indicator and the profile it picks, other payers,
ambulance and DME lines. The 837Ps are written here by hand (segment by segment); the
third-party samples of ../shared are read there, never copied, and skipped when absent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from codekit import Checker, ncci
from codekit.x12 import check, read_claims
from codekit.x12._checks import OTHER_CODE_SETS
from tests.conftest import reference

pytest.importorskip("pyx12")

D = dt.date
SAMPLES = "x12_837_samples"

ISA = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *251110*1200*^"
       "*00501*000000001*0*T*:~\n")


def head(sbr: str = "SBR*P*18*******MB~", payer: str = "MEDICARE B") -> str:
    return ISA + f"""\
GS*HC*SENDER*RECEIVER*20251110*1200*1*X*005010X222A1~
ST*837*0001*005010X222A1~
BHT*0019*00*B1*20251110*1200*CH~
NM1*41*2*PHYSICIAN GROUP*****46*SENDER~
PER*IC*BILLING*TE*5555550100~
NM1*40*2*MEDICARE*****46*RECEIVER~
HL*1**20*1~
NM1*85*2*PHYSICIAN GROUP*****XX*1234567893~
N3*1 MAIN ST~
N4*SPRINGFIELD*IL*627010001~
REF*EI*123456789~
HL*2*1*22*0~
{sbr}
NM1*IL*1*ROE*ANN****MI*1EG4TE5MK73~
N3*2 OAK ST~
N4*SPRINGFIELD*IL*627010001~
DMG*D8*19500401*F~
NM1*PR*2*{payer}*****PI*00120~
"""


def clm(claim_id: str = "P1", total: str = "100", *, pos: str = "11", freq: str = "1",
        before_hi: str = "", hi: str = "HI*ABK:E119~\n", after_hi: str = "",
        lines: str = "LX*1~\nSV1*HC:99213*100*UN*1***1~\nDTP*472*D8*20251103~\n") -> str:
    """One 2300 claim loop, in the guide's segment order."""
    return (f"CLM*{claim_id}*{total}***{pos}:B:{freq}*Y*A*Y*Y~\n" + before_hi + hi + after_hi
            + lines)


def x12(*claims: str, **kw: str) -> bytes:
    body = head(**kw) + "".join(claims)
    count = body[body.index("ST*837"):].count("~") + 1  # ST to SE
    return (body + f"SE*{count}*0001~\nGE*1*1~\nIEA*1*000000001~\n").encode()


def one(*claims: str, checker: Checker | None = None, **kw: str):  # type: ignore[no-untyped-def]
    [result] = [r for r in check(x12(*claims, **kw), checker=checker) if r.kind == "claim"]
    return result


def found(result) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(f.rule, f.finding.path, f.location.segment, f.location.element)
            for f in result.findings]


@pytest.fixture(scope="module")
def mue(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    """A practitioner MUE table (hand-written): 00840 one per day (MAI 2), J9355 five."""
    path = tmp_path_factory.mktemp("ncci") / "mue.csv"
    path.write_text("code,mue,mai\n00840,1,2\nJ9355,5,3\n")
    return Checker(mue=ncci.load_mue(path, effective="2025-10-01", setting="practitioner"))


# -- places of service, frequency, claim ID, providers ---------------------------------------


def test_claim_place_of_service_and_a_line_that_differs() -> None:
    """CLM05-1 is the claim's place; SV105 (sent only where a line differs) stays on its
    line: the claim's place is not replaced by a line's."""
    lines = ("LX*1~\nSV1*HC:99213*60*UN*1***1~\nDTP*472*D8*20251103~\n"
             "LX*2~\nSV1*HC:99214*40*UN*1*22**1~\nDTP*472*D8*20251103~\n")
    result = one(clm(lines=lines))
    claim = result.claim
    assert claim.place_of_service == "11"
    assert [ln.place_of_service for ln in claim.service_lines] == [None, "22"]
    assert result.findings == ()
    assert result.record.locate(("place_of_service",)).element == "CLM05-1"
    assert result.record.locate(("service_lines", 1, "place_of_service")).element == "SV105"


@pytest.mark.parametrize(("freq", "refs", "rules"), [
    ("1", "", []),
    ("7", "REF*F8*ICN20251103001~\n", []),
    ("8", "REF*F8*ICN20251103001~\n", []),
    ("7", "", ["X12_SEGMENT_MISSING"]),
])
def test_frequency_codes(freq: str, refs: str, rules: list[str]) -> None:
    result = one(clm(freq=freq, before_hi=refs))
    assert result.claim.frequency_code == freq
    assert [f.rule for f in result.findings] == rules
    if rules:
        assert result.findings[0].finding.message == (
            "CLM05-3 is '7' (a replacement of a claim sent before): the payer's claim "
            "control number of the claim it corrects (2300 REF*F8) is required, so the "
            "payer can find that claim")


def test_claim_id_line_ids_and_the_two_npis() -> None:
    """CLM01 is the claim ID, REF*6R each line's ID; 2010AA NM109 the billing NPI, 2310B
    NM1*82 the rendering NPI; a line's own rendering provider (2420A NM1*82) is not the
    claim's: it is the line's (a group's claim of two practitioners), and a line without
    one is the claim's."""
    lines = ("LX*1~\nSV1*HC:99213*100*UN*1***1~\nDTP*472*D8*20251103~\nREF*6R*LINE-0001~\n"
             "NM1*82*1*DOE*JAMES****XX*1679576722~\n")
    result = one(clm("PCN-2025-77", after_hi="NM1*82*1*SMITH*JOHN****XX*1245319599~\n"
                     "PRV*PE*PXC*207Q00000X~\n", lines=lines))
    claim = result.claim
    assert (claim.claim_id, claim.billing_provider, claim.rendering_provider) == (
        "PCN-2025-77", "1234567893", "1245319599")
    assert claim.service_lines[0].line_id == "LINE-0001"
    assert result.findings == ()
    assert [ln.rendering_provider for ln in claim.service_lines] == ["1679576722"]
    assert [claim.provider_of(ln) for ln in claim.service_lines] == ["1679576722"]
    at = result.record.locate(("service_lines", 0, "rendering_provider"))
    assert (at.loop, at.segment, at.element) == ("2420A", "NM1", "NM109")


def test_two_rendering_providers_of_a_group_are_no_ptp_pair(tmp_path: Path) -> None:
    """29881 by the claim's rendering NPI (2310B) and 29877 by another (2420A) on one
    837P: NCCI pairs one provider's services, so no PTP finding; the same two lines with
    no 2420A are one provider's pair."""
    (tmp_path / "ptp.csv").write_text("column_1,column_2,effective_date,deletion_date,"
                                      "modifier_indicator\n29881,29877,2012-01-01,,0\n")
    checker = Checker(ptp=ncci.load_ptp(tmp_path / "ptp.csv", setting="practitioner"))
    knee = ("LX*1~\nSV1*HC:29881:RT*100*UN*1***1~\nDTP*472*D8*20251103~\n"
            "LX*2~\nSV1*HC:29877:RT*100*UN*1***1~\nDTP*472*D8*20251103~\n")
    two = knee + "NM1*82*1*DOE*JAMES****XX*1679576722~\n"
    rendering = "NM1*82*1*SMITH*JOHN****XX*1245319599~\n"
    for lines, rules in ((two, []), (knee, ["NCCI_PTP_CONFLICT"])):
        result = one(clm(total="200", hi="HI*ABK:M23221~\n", after_hi=rendering, lines=lines),
                     checker=checker)
        assert [f.rule for f in result.findings] == rules


# -- SV1 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("qualifier", "code"), [
    ("WK", "AAAAA"), ("ER", "X1234"), ("IV", "S9500")])
def test_sv101_codes_that_are_not_hcpcs_are_kept_not_rejected(qualifier: str,
                                                              code: str) -> None:
    """SV101-1 ER (jurisdiction-specific), IV (home infusion EDI coalition) and WK (advanced
    billing concepts) name codes that are not CPT/HCPCS: the line is kept out of the
    claim's CPT/HCPCS lines (not rejected as PROC_FORMAT_INVALID); its code is in extra and
    its date still counts; the HC line beside it is checked as before."""
    lines = (f"LX*1~\nSV1*{qualifier}:{code}*40*UN*1***1~\nDTP*472*D8*20251102~\n"
             "LX*2~\nSV1*HC:99213*60*UN*1***1:2~\nDTP*472*D8*20251103~\n")
    result = one(clm(lines=lines))
    claim = result.claim
    assert [(ln.line, ln.procedure_code) for ln in claim.service_lines] == [(2, "99213")]
    assert claim.extra == {"x12_other_procedure_codes": [
        {"line": 1, "element": "SV101-2", "qualifier": qualifier, "code": code,
         # the rest of the line, for the 837 writer to write it back (test_round_trip)
         "modifiers": [], "charge": "40", "unit_basis": "UN", "units": "1",
         "place_of_service": None, "pointers": ["1"], "date": "2025-11-02", "line_id": None,
         "ndc": None}]}
    assert claim.date_of_service == D(2025, 11, 2)
    # the HC line's findings are located on it (index 0 of the claim, LX 2 of the file)
    assert found(result) == [("PTR_INVALID", "$.service_lines[0].diagnosis_pointers[1]",
                              "SV1", "SV107-2"),
                             ("X12_PROCEDURE_CODE_SET", "$", "SV1", "SV101-1")]
    assert result.findings[0].location.line == 26
    # the code codekit does not check is said (information), not only kept in extra
    said = result.findings[1].finding
    assert (said.severity.value, said.message) == (
        "info", f"line 1: SV101-1 {qualifier} ({OTHER_CODE_SETS[qualifier]}): {code} is "
        "not a CPT/HCPCS code; codekit does not check it (it is kept in the claim's extra, "
        f"x12_other_procedure_codes) (value {qualifier!r})")


def test_sv101_other_code_with_a_negative_charge_is_said_on_the_claim() -> None:
    lines = ("LX*1~\nSV1*WK:AAAAA*-10*UN*1***1~\nDTP*472*D8*20251103~\n"
             "LX*2~\nSV1*HC:99213*110*UN*1***1~\nDTP*472*D8*20251103~\n")
    result = one(clm(lines=lines))
    assert found(result) == [("X12_AMOUNT_NEGATIVE", "$", "SV1", "SV102"),
                             ("X12_PROCEDURE_CODE_SET", "$", "SV1", "SV101-1")]


def test_anesthesia_minutes_are_one_service_for_the_mue(mue: Checker) -> None:
    """SV103 MJ: SV104 is anesthesia time in minutes (CMS Claims Processing Manual ch.12
    §50: anesthesia time is reported in minutes), not units of service; the MUE of an
    anesthesia code counts services. 45 minutes are one service, not 45 over an MUE of 1;
    the minutes are kept in extra."""
    lines = "LX*1~\nSV1*HC:00840:AA*900*MJ*45***1~\nDTP*472*D8*20251103~\n"
    result = one(clm(total="900", pos="22", hi="HI*ABK:K3580~\n", lines=lines),
                 checker=mue)
    line = result.claim.service_lines[0]
    assert (line.procedure_code, line.modifiers, line.units) == ("00840", ("AA",),
                                                                 Decimal(1))
    assert result.claim.extra == {"x12_service_minutes": [
        {"line": 1, "element": "SV104", "minutes": "45"}]}
    assert result.findings == ()


def test_units_of_service_still_meet_the_mue(mue: Checker) -> None:
    """The same line in UN units (SV103 UN): 45 units are 45, over the MUE of 1; and an
    anesthesia line is to be sent in minutes (X12_ANESTHESIA_NOT_MINUTES)."""
    lines = "LX*1~\nSV1*HC:00840:AA*900*UN*45***1~\nDTP*472*D8*20251103~\n"
    result = one(clm(total="900", pos="22", hi="HI*ABK:K3580~\n", lines=lines),
                 checker=mue)
    assert result.claim.service_lines[0].units == Decimal(45)
    assert found(result) == [("X12_ANESTHESIA_NOT_MINUTES", "$.service_lines[0].units",
                              "SV1", "SV103"),
                             ("MUE_EXCEEDED", "$.service_lines[0].units", "SV1", "SV104")]
    assert result.findings[1].finding.message == (
        "Line 1: 00840: 45 units on 2025-11-03 exceed its MUE of 1 per day (MAI 2, "
        "absolute: the units of every line of the code on the date are summed, whatever "
        "their modifiers). To stay within it, bill at most 1 unit on line 1.")


def test_anesthesia_in_units_is_said() -> None:
    """005010X222A1 SV103: MJ (minutes) is required for anesthesia claims (X12 RFI 1571,
    final 2012-05: anesthesia services must be reported in minutes; RFI 1110: the codes
    00100-01999 whose descriptor names no period). An anesthesia line sent in units is said
    on SV103, a SNIP 2 warning; in minutes it is clean."""
    lines = "LX*1~\nSV1*HC:00840:AA:P2*900*UN*4***1~\nDTP*472*D8*20251103~\n"
    result = one(clm(total="900", pos="22", hi="HI*ABK:K3580~\n", lines=lines))
    assert found(result) == [("X12_ANESTHESIA_NOT_MINUTES", "$.service_lines[0].units",
                              "SV1", "SV103")]
    f = result.findings[0]
    assert (f.finding.severity.value, f.snip) == ("warning", 2)
    assert f.finding.message == (
        "line 1: 00840 is an anesthesia service sent in units (SV103 UN, SV104 4): an 837P "
        "reports anesthesia time in minutes, SV103 MJ with the minutes in SV104 "
        "(005010X222A1 SV103: MJ is required for anesthesia claims; X12 RFI 1571); codekit "
        "reads the line as 4 units of service (value 'UN')")
    # in minutes; the daily management 01996 and a non-anesthesia line in units
    for sv1 in ("SV1*HC:00840:AA:P2*900*MJ*60***1", "SV1*HC:01996:AA*90*UN*1***1",
                "SV1*HC:99213*100*UN*1***1", "SV1*HC:99100*50*UN*1***1"):
        lines = f"LX*1~\n{sv1}~\nDTP*472*D8*20251103~\n"
        total = sv1.split("*")[2]
        result = one(clm(total=total, pos="22", hi="HI*ABK:K3580~\n", lines=lines))
        assert [r for r in found(result) if r[0] == "X12_ANESTHESIA_NOT_MINUTES"] == [], sv1


def test_zero_minutes_stay_zero_units() -> None:
    lines = "LX*1~\nSV1*HC:00840:AA*900*MJ*0***1~\nDTP*472*D8*20251103~\n"
    result = one(clm(total="900", pos="22", hi="HI*ABK:K3580~\n", lines=lines))
    assert result.claim.service_lines[0].units == Decimal(0)
    assert "x12_service_minutes" not in result.claim.extra
    assert found(result) == [("UNITS_INVALID", "$.service_lines[0].units", "SV1", "SV104")]


def test_decimal_units_are_kept_exactly() -> None:
    lines = "LX*1~\nSV1*HC:J1100*100*UN*1.5***1~\nDTP*472*D8*20251103~\n"
    result = one(clm(hi="HI*ABK:C50911~\n", lines=lines))
    assert result.claim.service_lines[0].units == Decimal("1.5")
    assert result.findings == ()


def test_pointers_five_zero_and_beyond_the_diagnoses() -> None:
    lines = ("LX*1~\nSV1*HC:99213*100*UN*1***1:2:3:4:5~\nDTP*472*D8*20251103~\n"
             "LX*2~\nSV1*HC:99214*0*UN*1***0~\nDTP*472*D8*20251103~\n"
             "LX*3~\nSV1*HC:93000*0*UN*1***3~\nDTP*472*D8*20251103~\n")
    result = one(clm(hi="HI*ABK:E119*ABF:I10~\n", lines=lines))
    assert [ln.diagnosis_pointers for ln in result.claim.service_lines] == [
        (1, 2, 3, 4, 5), (0,), (3,)]
    assert [(f.rule, f.location.element) for f in result.findings] == [
        ("X12_ELEMENT_TOO_MANY", "SV107"), ("X12_ELEMENT_CODE_INVALID", "SV107-1"),
        ("PTR_INVALID", "SV107-3"), ("PTR_INVALID", "SV107-4"), ("PTR_INVALID", "SV107-5"),
        ("PTR_INVALID", "SV107-1"), ("PTR_INVALID", "SV107-1"), ("PTR_TOO_MANY", "SV107-5")]
    messages = [f.finding.message for f in result.findings if f.rule.startswith("PTR_")]
    assert messages[3:] == ["Line 2: pointer 0 is not between 1 and 12.",
                            "Line 3: pointer 3 points to diagnosis 3, but the claim has 2 "
                            "diagnoses.",
                            "Line 1 has 5 pointers; a line points to at most 4 diagnoses."]


# -- HI and dates --------------------------------------------------------------------------


def test_icd9_qualifiers_before_october_2015() -> None:
    lines = "LX*1~\nSV1*HC:99213*100*UN*1***1:2~\nDTP*472*D8*20150910~\n"
    result = one(clm(hi="HI*BK:25000*BF:4019~\n", lines=lines))
    assert result.claim.diagnoses == ("25000", "4019")
    f = result.findings[0]
    assert (f.rule, f.snip, f.finding.severity.value, f.location.element) == (
        "X12_DX_CODE_SET", 5, "warning", "HI01-1")


def test_thirteen_diagnoses() -> None:
    hi = ("HI*ABK:E119*ABF:I10*ABF:E785*ABF:J449*ABF:K5900*ABF:E039*ABF:K219*ABF:M170"
          "*ABF:G4733*ABF:F329*ABF:E6601*ABF:Z7984*ABF:R079~\n")
    lines = "LX*1~\nSV1*HC:99213*100*UN*1***1:12~\nDTP*472*D8*20251103~\n"
    result = one(clm(hi=hi, lines=lines))
    assert len(result.claim.diagnoses) == 13
    assert found(result) == [("X12_ELEMENT_TOO_MANY", "$.diagnoses", "HI", "HI13"),
                             ("DX_COUNT_EXCEEDED", "$.diagnoses[12]", "HI", "HI13-2")]


def test_a_line_date_range_across_october_first_is_judged_on_its_first_day() -> None:
    """DTP*472 RD8 20250929-20251002: a codekit line has one date, the range's first (the
    line's from date, the date CMS has professional lines coded by); a code new on
    2025-10-01 (FY2026: E11A) pointed to by it is not valid on 2025-09-29."""
    lines = "LX*1~\nSV1*HC:99213*100*UN*1***1~\nDTP*472*RD8*20250929-20251002~\n"
    result = one(clm(hi="HI*ABK:E11A~\n", lines=lines))
    assert result.claim.service_lines[0].date_of_service == D(2025, 9, 29)
    assert result.claim.date_of_service == D(2025, 9, 29)
    assert [f.rule for f in result.findings] == ["DX_NOT_VALID_ON_DOS"]


def test_onset_and_initial_treatment_dates_are_read_by_pyx12_only() -> None:
    result = one(clm(before_hi="DTP*431*D8*20251001~\nDTP*454*D8*20251002~\n"))
    assert result.claim.date_of_service == D(2025, 11, 3)
    assert result.findings == ()


def test_drug_line_ndc_is_kept_and_its_quantity_is_not(mue: Checker) -> None:
    """LIN*N4 is the line's NDC; CTP (the drug quantity and unit) has no place on a codekit
    line: the MUE judges SV104, the HCPCS units."""
    lines = ("LX*1~\nSV1*HC:J9355*100*UN*4***1~\nDTP*472*D8*20251103~\n"
             "LIN**N4*00052060201~\nCTP****2*ML~\n")
    result = one(clm(hi="HI*ABK:C50911~\n", lines=lines), checker=mue)
    line = result.claim.service_lines[0]
    assert (line.ndc, line.units) == ("00052060201", Decimal(4))
    assert result.record.locate(("service_lines", 0, "ndc")).element == "LIN03"
    assert result.findings == ()


def test_a_drug_line_wrapped_after_a_separator_keeps_its_ndc(mue: Checker) -> None:
    """An 80-column file may wrap LIN right after its separators: "LIN**" then "N4*..."
    on the next line is one segment (N4 is also a segment ID, but the text before the
    break ends with the element separator: a wrap, not a missing terminator). It was read
    as two segments, with six findings and the NDC lost."""
    lines = ("LX*1~\nSV1*HC:J9355*100*UN*4***1~\nDTP*472*D8*20251103~\n"
             "LIN**\nN4*00052060201~\nCTP****2*ML~\n")
    result = one(clm(hi="HI*ABK:C50911~\n", lines=lines), checker=mue)
    assert result.claim.service_lines[0].ndc == "00052060201"
    assert result.findings == ()


@pytest.mark.parametrize(("ndc", "fix", "why"), [
    ("00641-0376-21", "00641037621", "it is the 5-4-2 NDC with its hyphens"),
    ("0641-0376-21", "00641037621", "it is a 10-digit NDC in the 4-4-2 layout, which is "
                                    "11 digits with a 0 before the labeler code"),
    ("50242-040-62", "50242004062", "it is a 10-digit NDC in the 5-3-2 layout, which is "
                                    "11 digits with a 0 before the product code"),
    ("60575-4112-1", "60575411201", "it is a 10-digit NDC in the 5-4-1 layout, which is "
                                    "11 digits with a 0 before the package code"),
    ("0641037621", None, "it is 10 digits without hyphens: which of the 4-4-2, 5-3-2 and "
                         "5-4-1 layouts it is (where the 0 goes) is not known"),
    ("ABC-12", None, "it is 6 characters, 2 of them digits"),
])
def test_an_ndc_that_is_not_eleven_digits_is_said(ndc: str, fix: str | None,
                                                  why: str) -> None:
    """LIN02 N4 is "National Drug Code in 5-4-2 Format": LIN03 is 11 digits, no hyphens.
    A hyphenated or short NDC (even ``ABC-12``) was read without a word; the fix is the 11
    digits where the hyphens say the layout."""
    lines = ("LX*1~\nSV1*HC:J9355*100*UN*4***1~\nDTP*472*D8*20251103~\n"
             f"LIN**N4*{ndc}~\nCTP****2*ML~\n")
    result = one(clm(hi="HI*ABK:C50911~\n", lines=lines))
    assert result.claim.service_lines[0].ndc == ndc  # kept as sent
    assert found(result) == [("X12_CODE_FORMAT", "$.service_lines[0].ndc", "LIN", "LIN03")]
    f = result.findings[0].finding
    assert (f.severity.value, f.codes, f.fix) == ("error", (ndc,), (fix,) if fix else ())
    assert f.message == (f"LIN03 {ndc!r} is not an NDC as LIN02 N4 sends it (the 5-4-2 "
                         f"format: 11 digits, no hyphens): {why}"
                         + (f": send {fix}" if fix else ""))
    assert (result.findings[0].line, result.findings[0].location.loop) == (1, "2410")


@pytest.mark.parametrize(("old", "new", "element", "path", "fix", "what"), [
    ("HI*ABK:E119~", "HI*ABK:E11.9~", "HI01-2", "$.diagnoses[0]", "E119",
     "a decimal point, which the 837 does not send (it is implied)"),
    ("HI*ABK:E119~", "HI*ABK:E119*ABF: I10~", "HI02-2", "$.diagnoses[1]", "I10",
     "a leading space, which X12 keeps as part of the value"),
    ("HI*ABK:E119~", "HI*ABK:e119~", "HI01-2", "$.diagnoses[0]", "E119",
     "lower-case letters (code lists are upper case)"),
    ("SV1*HC:99213*", "SV1*HC:j0696*", "SV101-2", "$.service_lines[0].procedure_code",
     "J0696", "lower-case letters (code lists are upper case)"),
    ("SV1*HC:99213*", "SV1*HC:99213:rt*", "SV101-3", "$.service_lines[0].modifiers[0]",
     "RT", "lower-case letters (code lists are upper case)"),
    ("HI*ABK:E119~", "HI*ABK: e11.9~", "HI01-2", "$.diagnoses[0]", "E119",
     "a leading space, which X12 keeps as part of the value and a decimal point, which "
     "the 837 does not send (it is implied) and lower-case letters (code lists are upper "
     "case)"),
    # an 837P condition code (HI BG, NUBC: two upper-case letters or digits) was not looked
    # at: G0 (a distinct visit) sent as g0 reached the edits as no G0
    ("HI*ABK:E119~", "HI*ABK:E119~\nHI*BG:g0~", "HI01-2", "$.condition_codes[0]", "G0",
     "lower-case letters (code lists are upper case)"),
])
def test_a_code_not_written_as_the_837_sends_codes_is_said(
        old: str, new: str, element: str, path: str, fix: str, what: str) -> None:
    """HI*ABK:E11.9 (the TR3's HI notes: the decimal point is implied, not sent), a
    leading space, lower case: read without a word (codekit's edits strip and upper-case
    codes, so the claim passed), though a payer's front end rejects them."""
    text = x12(clm()).decode().replace(old, new)
    [result] = [r for r in check(text.encode()) if r.kind == "claim"]
    code = new.split(":")[1].split("~")[0].split("*")[0] if "ABF" not in new else " I10"
    if element == "SV101-3":
        code = "rt"
    if "BG" in new:
        code = "g0"
    assert [(f.rule, f.finding.path, f.location.element) for f in result.findings] == [
        ("X12_CODE_FORMAT", path, element)]
    f = result.findings[0].finding
    assert (f.severity.value, f.codes, f.fix) == ("error", (code,), (fix,))
    assert f.message == (f"{element} {code!r} is not written as the 837 sends a code: it "
                         f"has {what}: send {fix}")
    assert result.findings[0].snip == 2
    # trailing spaces are pyx12's (X12_ELEMENT_CHARACTER): not said twice
    text = x12(clm()).decode().replace("SV1*HC:99213*", "SV1*HC:99213 *")
    [result] = [r for r in check(text.encode()) if r.kind == "claim"]
    assert [f.rule for f in result.findings] == ["X12_ELEMENT_CHARACTER"]


def test_rows_name_the_service_line_by_lx01_and_ref_6r() -> None:
    """A row's ``line`` was the file's line and REF*6R in no row: a finding could not be
    joined to its line when an ER/IV/WK line is kept in extra or LX does not start at 1
    (PROC_CODE_UNKNOWN of LX 2 had path $.service_lines[0]). Now ``line`` is the line's
    number (LX01) and ``line_id`` its REF*6R, as in every door; the file's line is
    ``file_line``."""
    lines = ("LX*1~\nSV1*WK:AAAAA*10*UN*1***1~\nDTP*472*D8*20251103~\nREF*6R*R-ONE~\n"
             "LX*2~\nSV1*HC:99999*90*UN*1***1~\nDTP*472*D8*20251103~\nREF*6R*R-TWO~\n")
    result = one(clm(lines=lines))
    rows = {r["rule"]: r for r in result.rows()}
    wk, unknown = rows["X12_PROCEDURE_CODE_SET"], rows["PROC_CODE_UNKNOWN"]
    assert (unknown["path"], unknown["line"], unknown["line_id"], unknown["file_line"]) == (
        "$.service_lines[0].procedure_code", 2, "R-TWO", 27)
    # the WK line is no claim line (path $), but its finding names its line
    assert (wk["path"], wk["line"], wk["line_id"], wk["file_line"]) == ("$", 1, "R-ONE", 23)
    assert list(unknown)[:3] == ["claim_id", "line", "line_id"]
    assert "offset" in unknown and unknown["offset"] > 0
    # as the claim's own report names it
    [(line, line_id)] = [(r["line"], r["line_id"]) for r in result.report.rows()
                         if r["rule"] == "PROC_CODE_UNKNOWN"]
    assert (line, line_id) == (2, "R-TWO")
    # an LX that does not start at 1: the line is LX01 as read
    result = one(clm(lines="LX*3~\nSV1*HC:99999*100*UN*1***1~\nDTP*472*D8*20251103~\n"))
    assert {(r["rule"], r["line"]) for r in result.rows()} >= {
        ("X12_LX_SEQUENCE", 3), ("PROC_CODE_UNKNOWN", 3)}
    assert [r["line"] for r in result.rows() if r["rule"] == "X12_LX_SEQUENCE"] == [3]


# -- the payer -----------------------------------------------------------------------------


@pytest.mark.parametrize(("indicator", "payer", "profile"), [
    ("MB", "MEDICARE B", "medicare-professional"),
    ("MB", "ACME", "medicare-professional"),
    ("MA", "NOVITAS", "medicare-professional"),
    ("16", "HUMANA MEDICARE ADVANTAGE", "commercial"),
    ("MC", "IL MEDICAID", "commercial"),
    ("CI", "AETNA", "commercial"),
    ("BL", "BCBS", "commercial"),
    ("HM", "HMO X", "commercial"),
    ("ZZ", "ACME", "commercial"),
])
def test_filing_indicator_and_profile(indicator: str, payer: str, profile: str) -> None:
    result = one(clm(), sbr=f"SBR*P*18*******{indicator}~", payer=payer)
    assert result.claim.filing_indicator == indicator
    assert result.report.profile == profile


COB = """\
NM1*82*1*SMITH*JOHN****XX*1245319599~
PRV*PE*PXC*207Q00000X~
SBR*P*18*GRP1******{other}~
AMT*D*60~
OI***Y***Y~
NM1*IL*1*ROE*ANN****MI*W123~
N3*2 OAK ST~
N4*SPRINGFIELD*IL*627010001~
NM1*PR*2*{name}*****PI*60054~
"""
COB_LINE = """\
LX*1~
SV1*HC:99213*100*UN*1***1~
DTP*472*D8*20251103~
SVD*60054*60*HC:99213**1~
CAS*CO*45*20~
CAS*PR*1*20~
DTP*573*D8*20251120~
"""


@pytest.mark.parametrize(("sbr", "payer", "other", "name", "profile"), [
    # Medicare secondary (MSP type 12) to a commercial primary
    ("SBR*S*18***12****MB~", "MEDICARE B", "CI", "AETNA", "medicare-professional"),
    # commercial primary, Medicare the other payer
    ("SBR*P*18*******CI~", "AETNA", "MB", "MEDICARE B", "commercial"),
])
def test_other_payers_leave_the_profile_to_the_destination_payer(
        sbr: str, payer: str, other: str, name: str, profile: str) -> None:
    """The 2320 SBR09 of another payer is not the claim's filing indicator (2000B's is)."""
    result = one(clm(after_hi=COB.format(other=other, name=name), lines=COB_LINE),
                 sbr=sbr, payer=payer)
    assert result.claim.filing_indicator == sbr.split("*")[9].rstrip("~")
    assert result.report.profile == profile
    assert result.findings == ()


def test_other_payer_paid_amount_is_balanced() -> None:
    cob = COB.format(other="CI", name="AETNA").replace("AMT*D*60", "AMT*D*70")
    result = one(clm(after_hi=cob, lines=COB_LINE), sbr="SBR*S*18***12****MB~")
    assert found(result) == [("X12_PAYER_PAID_MISMATCH", "$.total_charge", "AMT", "AMT02")]


# -- ambulance, DME ------------------------------------------------------------------------


def test_ambulance_mileage_units_and_origin_destination_modifiers() -> None:
    before = "CR1*LB*140**A*DH*12.5~\nCRC*07*Y*01~\n"
    after = ("NM1*PW*2~\nN3*1 ELM ST~\nN4*SPRINGFIELD*IL*627010001~\n"
             "NM1*45*2~\nN3*1 MAIN ST~\nN4*SPRINGFIELD*IL*627010001~\n")
    lines = ("LX*1~\nSV1*HC:A0427:RH*500*UN*1***1~\nDTP*472*D8*20251103~\n"
             "LX*2~\nSV1*HC:A0425:RH*212.5*UN*12.5***1~\nDTP*472*D8*20251103~\n")
    result = one(clm(total="712.5", pos="41", before_hi=before, hi="HI*ABK:S72001A~\n",
                     after_hi=after,
                     lines=lines))
    assert [(ln.procedure_code, ln.modifiers, ln.units)
            for ln in result.claim.service_lines] == [
        ("A0427", ("RH",), Decimal(1)), ("A0425", ("RH",), Decimal("12.5"))]
    assert result.findings == ()


def test_dme_rental_with_certification_and_attachment() -> None:
    before = "PWK*CT*AA***AC*DMN0012~\n"
    lines = ("LX*1~\nSV1*HC:E0601:RR:KX*100*UN*1***1~\nPWK*CT*AA***AC*DMN0012~\n"
             "CR3*I*MO*12~\nDTP*472*D8*20251103~\nDTP*461*D8*20251103~\n")
    result = one(clm(pos="12", before_hi=before, hi="HI*ABK:G4733~\n", lines=lines))
    assert result.claim.service_lines[0].modifiers == ("RR", "KX")
    assert result.findings == ()


# -- the samples of ../shared (read there, never copied) ----------------------------------


def sample(name: str) -> Path:
    return reference(SAMPLES, name)


def test_dbx_837p_sample() -> None:
    [a, b] = [r.claim for r in read_claims(sample("dbx_837p.txt")) if r.kind == "claim"]
    assert (a.claim_id, b.claim_id) == ("1000A", "1001A")
    assert (a.place_of_service, a.frequency_code, a.filing_indicator) == ("19", "1", "12")
    assert a.billing_provider == "1122334455"
    assert [(ln.procedure_code, ln.units, ln.diagnosis_pointers)
            for ln in a.service_lines] == [("99213", Decimal(1), (1,))]


def test_chpw_sample_rendering_providers_and_line_ids() -> None:
    claims = [r.claim for r in read_claims(sample("dbx_CHPW_Claimdata.txt"))
              if r.kind == "claim"]
    assert [(c.claim_id, c.rendering_provider, c.place_of_service,
             c.service_lines[0].line_id) for c in claims] == [
        ("1805080AV3648339", "1112223338", "57", "142671"),
        ("1805080AV3648347", "1112223346", "57", "143792"),
        ("1805080AV3648340", "1112223346", "57", "140976"),
        ("1805080AV3648353", "1112223346", "53", "140787"),
        ("1805080AV3648355", "1112223338", "57", "143907")]
    assert {c.billing_provider for c in claims} == {"1122334455"}


def test_anesthesia_minutes_of_a_real_sample() -> None:
    """hdi_multi-tran.dat starts at ST (no ISA/GS): wrapped in one here, in memory, its
    anesthesia claim (00142 QK QS P1, SV103 MJ, 61 minutes a line) reads as one service a
    line with its minutes kept."""
    raw = sample("hdi_multi-tran.dat").read_bytes()
    data = (ISA.encode() + b"GS*HC*SENDER*RECEIVER*20061015*1023*1*X*005010X222A1~\n"
            + raw + b"GE*3*1~\nIEA*1*000000001~\n")
    [claim] = [r.claim for r in read_claims(data)
               if r.claim is not None and r.claim.claim_id == "153829140"]
    assert [(ln.procedure_code, ln.modifiers, ln.units) for ln in claim.service_lines] == [
        ("00142", ("QK", "QS", "P1"), Decimal(1))] * 2
    assert claim.extra == {"x12_service_minutes": [
        {"line": 1, "element": "SV104", "minutes": "61"},
        {"line": 2, "element": "SV104", "minutes": "61"}]}

"""codekit.x12 on the third-party 837 samples of ../shared (read there, never copied), on
837s it writes itself, and on bad input: every claim read, hand-checked mappings, the
errors the sources describe, X12 locations that point at the bytes, SNIP levels."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from codekit import Checker
from codekit.claims import Claim, Patient, Procedure, ServiceLine
from codekit.errors import CodekitError, X12NotReadable, X12Unsupported
from codekit.x12 import X12_RULES, check, is_x12, read_claims, snip_level, write_837
from tests.conftest import ROOT, reference

pytest.importorskip("pyx12")

SAMPLES = "x12_837_samples"
D = dt.date


def sample(name: str) -> Path:
    return reference(SAMPLES, name)


def sample_bytes(name: str) -> bytes:
    data = sample(name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def records(name: str) -> list:
    return list(_records(name))


@functools.cache
def _records(name: str) -> tuple:
    """The records of a sample, read once for every test of this module (frozen values)."""
    return tuple(read_claims(sample_bytes(name) if name.endswith(".gz") else sample(name)))


def claims_of(name: str) -> list:
    return [r for r in records(name) if r.kind == "claim"]


def rules_of(result_or_record) -> list[str]:
    return [f.rule for f in result_or_record.findings]


# -- every claim of every file -------------------------------------------------------------

#: file -> (claims read into codekit claims, claims with an unsupported-version error);
#: the counts are the README's CLM counts.
READ = {
    "camel_837-to-xml-input-message.edi": (1, 0),
    "dbx_837p.txt": (2, 0),
    "dbx_CC_837I_EDI.txt": (1, 0),
    "dbx_CHPW_Claimdata.txt": (5, 0),
    "edifabric_ClaimPaymentEVV.txt": (1, 0),
    "fastval_837I_sample.txt": (0, 1),  # 4010
    "hdi_837D-all-fields.dat": (0, 1),  # dental
    "hdi_837I-all-fields.dat": (1, 0),
    "hdi_837P-all-fields.dat": (1, 0),
    "hdi_837P-minimal.dat": (1, 0),
    "hdi_837P-validation-issues.edi": (1, 0),
    "hdi_ambulance.dat": (1, 0),
    "hdi_chiro.dat": (1, 0),
    "hdi_commercial.dat": (1, 0),
    "hw_837_example_1.txt": (1, 0),
    "ims_x12_bad_first_line.txt": (2, 0),
    "ims_x12_bad_valid_code.txt": (2, 0),
    "ims_x12_complex.txt": (6, 0),
    "ims_x12_many_claims.txt.gz": (820, 0),
    "ims_x12_missing_elements.txt": (2, 0),
    "ims_x12_multiple_gs.txt": (6, 0),
    "ims_x12_segments_out_of_order.txt": (2, 0),
    "ims_x12_valid.txt": (2, 0),
    "ims_x12_valid_different_separators.txt": (2, 0),
    "kw_edi_sample_25_claims.txt": (25, 0),
    "kw_edi_sample_75_claims.txt": (75, 0),
    "kw_workflow_edi_sample_25_claims.txt": (15, 0),  # the name says 25; it holds 15
    "lfh_4010X096A1_institutional.837": (0, 1),  # 4010
    "lfh_demo.drug.example10.3.837": (1, 0),
    "lfh_demo.example1.837": (1, 0),
    "lfh_demo.example6.837": (1, 0),
    "lfh_institutional-claim.837i": (1, 0),
    "lfh_out-of-network-repriced-claim.837i": (1, 0),
    "lfh_two-claims-single-provider.837i": (2, 0),
    "oop_837I_4010_FromSwreed_Batch1.txt": (0, 54),  # 4010
    "oop_837I_5010_Spec_3.1.1.txt": (1, 0),
    "oop_837P_5010_Example1_2_And_3_Combined.txt": (3, 0),
    "oop_837P_5010_MissingEntityCode.txt": (5, 0),
    "oop_837P_5010_UnicodeExample.txt": (0, 0),  # UTF-16, cut off before any claim
    "oop_InstitutionalClaim5010.txt": (1, 0),
    "pyx12_x12testdata_simple_837i.txt": (0, 2),  # 4010
    "staedi_837-header-ref-only.edi": (0, 0),
    "staedi_sample837-original.edi": (1, 0),
}
#: Files with no ISA envelope (they start at GS or ST): a clear error naming the start.
NO_ISA = ["dbx_malformed_files_CC_837I_EDI.txt", "hdi_837I-inst-claim.dat",
          "hdi_cob-payera-payerb.dat", "hdi_home-infusion-ndc.dat", "hdi_multi-tran.dat",
          "ims_x12_no_isa_line.txt"]


def test_the_table_covers_every_sample_file() -> None:
    folder = reference(SAMPLES)
    names = {p.name for p in folder.iterdir()} - {"README.md"}
    # the vendor's expected-output report is not an 837 input
    assert names - {"hdi_837P-validation-issues.txt"} == set(READ) | set(NO_ISA)


@pytest.mark.parametrize("name", sorted(READ))
def test_every_claim_of_every_file_is_read(name: str) -> None:
    read, unsupported = READ[name]
    recs = claims_of(name)
    assert sum(r.claim is not None for r in recs) == read
    errors = [r.error for r in recs if r.error is not None]
    assert len(errors) == unsupported
    assert all(isinstance(e, X12Unsupported) and e.line and e.offset is not None
               for e in errors)
    for r in recs:
        assert r.claim_id, name  # every claim keeps its CLM01
        assert r.envelope.interchange and r.location.segment == "CLM"
        assert r.location.line is not None and r.location.offset is not None


#: The claims of the samples write_837 refuses, by file: (CLM01, the field it names, or
#: "requires" for what the guide requires and the claim does not have). Each one is a
#: claim whose file the reader said was wrong right there.
REFUSED = {
    # REF*F8 on an original (CLM05-3 1: X12_SEGMENT_NOT_USED); its NDC 00093-0051-05 too
    "hdi_837I-all-fields.dat": [("ABC0002", "corrected_claim_id")],
    "hdi_837P-all-fields.dat": [("36463774", "corrected_claim_id")],  # REF*F8 on a 111:B:1
    "hdi_837P-validation-issues.edi": [("26463774", "place_of_service")],  # 3 characters
    "hw_837_example_1.txt": [("4742333269", "requires")],  # SV1 lines in an 837I
    **{name: [("A37YH556", "diagnoses[0]"), ("A37YH667", "diagnoses[0]")] * n  # HI*BK*8901
       for name, n in (("ims_x12_bad_first_line.txt", 1), ("ims_x12_bad_valid_code.txt", 1),
                       ("ims_x12_missing_elements.txt", 1), ("ims_x12_multiple_gs.txt", 3),
                       ("ims_x12_segments_out_of_order.txt", 1), ("ims_x12_valid.txt", 1),
                       ("ims_x12_valid_different_separators.txt", 1))},
    "ims_x12_complex.txt": [("A37YH556", "diagnoses[0]"), ("A37YH667", "diagnoses[0]"),
                            ("A37YH668", "diagnoses[0]")] * 2,
    "lfh_demo.example6.837": [("125WILL", "place_of_service")],  # 6 characters
    "lfh_out-of-network-repriced-claim.837i": [("W392-49141", "requires")],  # no HI ABK
    "oop_837I_5010_Spec_3.1.1.txt": [("756048Q", "bill_type")],  # 14:A:1, ISA16 not ':'
    "oop_837P_5010_MissingEntityCode.txt": [("9999", "requires")] * 5,  # no HI
}


@pytest.mark.parametrize("name", sorted(n for n in READ if READ[n][0] and
                                        not n.endswith(".gz")))
def test_every_sample_claim_written_back_reads_the_same(name: str) -> None:
    """read -> write_837 -> read on every claim of the samples (the .gz one is
    ims_x12_valid's claims 410 times): each claim written reads back equal, field for
    field, and with no X12 finding its file did not have (at the same element: what the
    written file loses is the envelope and segments docs/x12.md lists); a claim write_837
    refuses is one whose file the reader said was wrong at the field the refusal names,
    never a claim the reader passed."""
    recs = [r for r in records(name) if r.claim is not None]
    refused: list[tuple[int, str]] = []
    text = write_837([r.claim for r in recs], date=D(2025, 11, 4),
                     on_refused=lambda i, c, e: refused.append((i, str(e))))
    assert text is not None
    back = [r for r in read_claims(text.encode()) if r.kind == "claim"]
    kept = [r for i, r in enumerate(recs) if i not in dict(refused)]
    assert [b.claim for b in back] == [r.claim for r in kept]
    for r, b in zip(kept, back, strict=True):
        said = {(f.rule, f.location.element) for f in r.findings}
        assert {(f.rule, f.location.element) for f in b.findings} <= said, r.claim_id
    table = []
    for i, message in refused:
        what = message.split(": ", 1)[1]
        field = "requires" if what.startswith("an 837") else what.split(" ", 1)[0]
        errors = {(f.finding.path, f.rule) for f in recs[i].findings
                  if f.severity.value == "error"}
        if field == "requires":  # a required segment the file did not have either
            assert "X12_SEGMENT_MISSING" in {rule for _, rule in errors}, message
        else:
            assert any(path == f"$.{field}" for path, _ in errors), (message, errors)
        table.append((recs[i].claim_id, field))
    assert table == REFUSED.get(name, [])


@pytest.mark.parametrize("name", NO_ISA)
def test_files_without_an_isa_fail_cleanly_naming_where(name: str) -> None:
    with pytest.raises(X12NotReadable) as e:
        list(read_claims(sample(name)))
    assert e.value.line == 1 and e.value.offset == 0
    assert "ISA" in e.value.reason and e.value.code == "X12_NOT_READABLE"


def test_4010_and_dental_are_unsupported_with_the_version_and_its_position() -> None:
    (rec,) = claims_of("lfh_4010X096A1_institutional.837")
    assert rec.claim_id == "1234567890" or rec.claim_id  # CLM01 kept
    assert "004010X096A1 is a 4010 guide" in rec.error.reason
    assert rec.error.segment == "ST" or rec.error.segment == ""
    (dental,) = claims_of("hdi_837D-all-fields.dat")
    assert "837 dental" in dental.error.reason
    batch = claims_of("oop_837I_4010_FromSwreed_Batch1.txt")
    assert len({r.envelope.transaction for r in batch}) == 54  # 54 ST, one claim each


# -- hand-checked mappings -------------------------------------------------------------------


def test_dbx_837p_professional_claims_field_by_field() -> None:
    first, second = (r.claim for r in claims_of("dbx_837p.txt"))
    assert first == Claim(
        claim_type="professional", payer="payer", claim_id="1000A",
        patient=Patient("M", D(1957, 1, 11), id="1234567890", name="BLOGGS, JOE"),
        date_of_service=D(2015, 11, 24), diagnoses=("I10",),
        service_lines=(ServiceLine(1, "99213", units=Decimal(1), diagnosis_pointers=(1,),
                                   date_of_service=D(2015, 11, 24), charge=Decimal(140)),),
        billing_provider="1122334455", place_of_service="19", total_charge=Decimal(140),
        frequency_code="1", filing_indicator="12")
    assert (second.claim_id, second.patient.name, second.patient.birth_date) == \
        ("1001A", "BLOGGS, FRED", D(1970, 6, 1))


def test_837p_all_fields_patient_loop_modifiers_ndc_conditions() -> None:
    (rec,) = claims_of("hdi_837P-all-fields.dat")
    c = rec.claim
    # 2000C patient (Ted, M, 1973) rather than the subscriber (Jane, F, 1943)
    assert c.patient == Patient("M", D(1973, 5, 1), id="JS00111223333", name="SMITH, TED")
    assert (c.payer, c.filing_indicator, c.billing_provider, c.rendering_provider) == \
        ("key insurancecompany", "CI", "9876543210", "1234567804")
    assert (c.claim_id, c.total_charge, c.place_of_service, c.frequency_code) == \
        ("36463774", Decimal(100), "11", "1")
    assert c.diagnoses == ("J0300", "Z1159") and c.condition_codes == ("17", "67")
    line = c.service_lines[0]
    assert (line.procedure_code, line.modifiers, line.diagnosis_pointers, line.charge,
            line.line_id, line.ndc, line.place_of_service) == \
        ("99299", ("26", "27", "28", "29"), (1, 2), Decimal(40), "54321", "00002143481", "11")
    assert [ln.procedure_code for ln in c.service_lines] == ["99299", "87099", "99214",
                                                             "86663"]
    assert c.date_of_service == D(2005, 3, 14)  # the earliest line date (837P has no other)


def test_837i_present_on_admission_revenue_lines_statement_period() -> None:
    (rec,) = claims_of("dbx_CC_837I_EDI.txt")
    c = rec.claim
    assert (c.claim_type, c.bill_type, c.frequency_code, c.filing_indicator, c.payer) == \
        ("institutional", "111", "1", "MC", "centene")
    assert c.diagnoses == ("F39", "F1319", "F419", "F17210", "E876")
    assert c.poa == ("Y", "Y", "Y", "Y", "N")
    assert c.admitting_diagnosis == "F39"
    assert c.statement_period == (D(2018, 6, 28), D(2018, 7, 2))
    assert c.date_of_service == D(2018, 7, 2)  # the through date
    assert c.admission_date == D(2018, 6, 28)  # DTP*435*DT*201806280800
    assert [ln.revenue_code for ln in c.service_lines] == [
        "0124", "0250", "0260", "0300", "0301", "0305", "0306", "0307", "0351"]
    assert all(ln.procedure_code == "" for ln in c.service_lines)
    assert c.total_charge == Decimal("17166.7") == sum(ln.charge for ln in c.service_lines)
    assert c.patient == Patient("F", D(1996, 2, 15), id="U0000000001", name="TEST, MEMBER")


def test_837i_every_hi_family() -> None:
    (rec,) = claims_of("hdi_837I-all-fields.dat")
    c = rec.claim
    # principal ABK, other ABF, then the external causes ABN
    assert c.diagnoses == ("M24562", "E8359", "A0102", "A0103", "V4312XA", "Z970", "Z9681")
    assert c.poa == ("N", "N", "Y", "Y", None, None, None)
    assert (c.admitting_diagnosis, c.visit_reasons) == ("H5988", ("H59369",))
    assert c.procedures[0] == Procedure("009G0ZZ", D(2017, 10, 3))  # BBR
    assert c.procedures[-1] == Procedure("B8001ZZ", D(2017, 11, 23))  # last BBQ
    assert len(c.procedures) == 13
    assert c.condition_codes == ("03", "04", "12", "20", "22", "26", "28", "39", "41", "71",
                                 "73", "A0")
    assert (c.bill_type, c.rendering_provider, c.filing_indicator) == ("111", "9995553336",
                                                                       "13")
    assert c.patient == Patient("M", D(2019, 9, 10), id="1008716534V004619", name="DOE, FRED")
    first = c.service_lines[0]
    assert (first.revenue_code, first.procedure_code, first.modifiers, first.line_id,
            first.ndc, first.charge) == ("0300", "81099", ("A1", "05", "02", "01"),
                                         "LX0004-1", "00002143481", Decimal("173.42"))


def test_837i_two_claims_under_one_provider() -> None:
    a, b = (r.claim for r in claims_of("lfh_two-claims-single-provider.837i"))
    assert (a.claim_id, a.diagnoses, a.bill_type, a.billing_provider) == \
        ("756048Q", ("3669", "4019", "79431"), "131", "1234567890")
    assert [(ln.revenue_code, ln.procedure_code, ln.units) for ln in a.service_lines] == \
        [("0305", "85025", Decimal("1.00")), ("0730", "93005", Decimal("3.00"))]
    assert (b.claim_id, b.patient.name, b.statement_period, b.total_charge) == \
        ("756049Q", "SMITH, JOE", (D(2005, 4, 1), D(2005, 4, 1)), Decimal("50.00"))


def test_ambulance_medicare_part_b() -> None:
    (rec,) = claims_of("hdi_ambulance.dat")
    c = rec.claim
    assert (c.payer, c.filing_indicator, c.place_of_service) == ("medicare part b", "MB",
                                                                 "41")
    assert c.diagnoses == ("S279XXA", "W1830XA", "S4980XA")
    assert [(ln.procedure_code, ln.modifiers, ln.line_id) for ln in c.service_lines] == [
        ("A0427", ("RH",), "1001"), ("A0425", ("RH",), "1002"), ("A0422", ("RH",), "1003"),
        ("A0382", ("RH",), "1004")]


def test_odd_delimiters_read_the_same_claims() -> None:
    plain = [r.claim for r in claims_of("ims_x12_valid.txt")]
    odd = [r.claim for r in claims_of("ims_x12_valid_different_separators.txt")]
    assert plain == odd and plain[0].claim_id == "A37YH556"


# -- locations ----------------------------------------------------------------------------------


def test_locations_point_at_the_bytes() -> None:
    data = sample("hdi_837P-all-fields.dat").read_bytes()
    (rec,) = claims_of("hdi_837P-all-fields.dat")
    loc = rec.locate(("service_lines", 0, "modifiers", 1))
    assert (loc.segment, loc.element, loc.loop, loc.claim_id) == ("SV1", "SV101-4", "2400",
                                                                  "36463774")
    assert data[loc.offset:loc.offset + 4] == b"SV1*"
    assert data[:loc.offset].count(b"\n") + 1 == loc.line
    dx = rec.locate(("diagnoses", 1))
    assert (dx.segment, dx.element) == ("HI", "HI02-2")
    assert data[dx.offset:dx.offset + 3] == b"HI*"
    sex = rec.locate(("patient", "sex"))
    assert (sex.segment, sex.element, sex.loop) == ("DMG", "DMG03", "2010CA")
    # a path with no element of its own falls back to its line, then to the claim
    assert rec.locate(("service_lines", 0, "no_such_field")).segment == "LX"
    assert rec.locate(("nothing",)).segment == "CLM"
    assert (loc.interchange, loc.group, loc.transaction) == ("000010216", "20213", "0031")
    assert loc.ordinal == data[:loc.offset].count(b"~") - 2 + 1  # ST is segment 1


def test_checker_findings_carry_x12_locations_and_snip_levels() -> None:
    (result,) = [r for r in check(sample("hdi_837P-validation-issues.edi"))
                 if r.kind == "claim"]
    by_rule = {f.rule: f for f in result.findings}
    proc = by_rule["PROC_FORMAT_INVALID"]  # HCPCS JXXXX
    assert (proc.snip, proc.location.element, proc.finding.location) == \
        (5, "SV101-2", ("service_lines", 0, "procedure_code"))
    balance = by_rule["X12_CLAIM_TOTAL_MISMATCH"]
    assert (balance.snip, balance.location.element) == (3, "CLM02")
    assert "100.00" in balance.finding.message and "99.00" in balance.finding.message
    row = proc.row()
    assert (row["claim_id"], row["segment"], row["element"], row["snip"]) == \
        ("26463774", "SV1", "SV101-2", 5)
    assert [f.snip for f in result.findings] == sorted(f.snip for f in result.findings)
    assert result.report is not None and not result.report.ok


# -- what the sources say is wrong --------------------------------------------------------------


def test_vendor_validation_issues_are_all_found() -> None:
    """hdi_837P-validation-issues.txt lists 10 findings; each is here, with its element."""
    results = list(check(sample("hdi_837P-validation-issues.edi")))
    found = {(f.rule, f.location.element or f.location.segment, f.location.loop)
             for r in results for f in r.findings}
    expected = {
        ("X12_ELEMENT_CODE_INVALID", "CLM05-1", "2300"),  # POS 111
        ("X12_ELEMENT_LENGTH", "CLM05-1", "2300"),  # 111 is 3 long
        ("X12_ELEMENT_CODE_INVALID", "CLM06", "2300"),  # V
        ("X12_CLAIM_TOTAL_MISMATCH", "CLM02", "2300"),  # 99.00 vs 100.00
        ("X12_ELEMENT_DATE_INVALID", "DTP03", "2300"),  # 20051309, 20051301
        ("X12_SEGMENT_UNEXPECTED", "N3", "2310"),  # N3 in 2310A
        ("X12_SEGMENT_UNEXPECTED", "N4", "2310"),
        ("X12_SEGMENT_UNEXPECTED", "REF", "2310"),  # REF*X2
        ("PROC_FORMAT_INVALID", "SV101-2", "2400"),  # JXXXX
        ("X12_TRANSACTION_INVALID", "SE", None),  # SE01 25, 29 counted
    }
    assert expected <= found
    dates = [f.finding.message for r in results for f in r.findings
             if f.rule == "X12_ELEMENT_DATE_INVALID"]
    assert any("20051309" in m for m in dates) and any("20051301" in m for m in dates)
    se = [f for r in results for f in r.findings if f.rule == "X12_TRANSACTION_INVALID"]
    assert "SE count of 25" in se[0].finding.message and "29" in se[0].finding.message


def test_ims_deliberate_errors() -> None:
    missing = [f for r in claims_of("ims_x12_missing_elements.txt") for f in r.findings]
    assert any(f.rule == "X12_ELEMENT_MISSING" and f.location.element == "NM102" and
               f.location.loop == "1000B" for f in missing)
    assert any(f.rule == "X12_ELEMENT_MISSING" and f.location.element == "CLM05" and
               f.location.loop == "2300" for f in missing)
    order = [f for r in claims_of("ims_x12_segments_out_of_order.txt") for f in r.findings]
    assert any(f.rule == "X12_SEGMENT_MISSING" and "N4" in f.finding.message and
               f.location.loop == "2010AA" for f in order)
    assert any(f.rule == "X12_SEGMENT_MISSING" and "N3" in f.finding.message and
               f.location.loop == "2010AB" for f in order)
    bad = [f for r in claims_of("ims_x12_bad_valid_code.txt") for f in r.findings]
    assert any(f.rule == "X12_SEGMENT_UNEXPECTED" and "NM1*117" in f.finding.message and
               "2000A" in f.finding.message for f in bad)
    first_line = claims_of("ims_x12_bad_first_line.txt")
    isa = [f for f in first_line[0].findings if f.rule == "X12_INTERCHANGE_INVALID"]
    assert "ISA02 is 9 characters (must be 10)" in isa[0].finding.message
    assert isa[0].location.line == 1 and isa[0].location.offset == 0


def test_fastval_4010_claim_is_reported_unsupported() -> None:
    (rec,) = claims_of("fastval_837I_sample.txt")
    assert rec.claim is None and "004010X098A1" in rec.error.reason


def test_missing_entity_code_is_found() -> None:
    """The NM1 with an empty NM101 (line 25 of the file) matches no NM1 of the guide."""
    found = [f for r in claims_of("oop_837P_5010_MissingEntityCode.txt") for f in r.findings
             if "Segment NM1* not found" in f.finding.message]
    assert found and found[0].rule == "X12_SEGMENT_UNEXPECTED"
    assert (found[0].location.line, found[0].location.segment) == (25, "NM1")


def test_utf16_file_cut_off_before_any_claim() -> None:
    recs = records("oop_837P_5010_UnicodeExample.txt")
    assert not [r for r in recs if r.kind == "claim"]
    rules = {f.rule for r in recs for f in r.findings}
    assert {"X12_ENCODING", "X12_TRANSACTION_INVALID", "X12_GROUP_INVALID",
            "X12_INTERCHANGE_INVALID"} <= rules
    messages = " ".join(f.finding.message for r in recs for f in r.findings)
    assert "UTF-16LE" in messages and "(SE=000000001) missing" in messages


def test_header_only_837_has_no_claims_and_says_so() -> None:
    recs = records("staedi_837-header-ref-only.edi")
    assert recs and all(r.kind == "envelope" for r in recs)
    assert any(f.rule == "X12_SEGMENT_MISSING" and "2000A" in f.finding.message
               for r in recs for f in r.findings)


def test_version_substitution_and_mismatch_are_said() -> None:
    (rec,) = claims_of("lfh_demo.example1.837")
    assert "X12_VERSION_SUBSTITUTED" in rules_of(rec)  # 005010X222A2 read with X222A1
    (oop,) = claims_of("oop_InstitutionalClaim5010.txt")
    assert oop.claim.claim_type == "institutional"  # ST03 X223 wins over GS08 X222
    assert "X12_VERSION_MISMATCH" in rules_of(oop)


def test_icd9_qualifiers_are_a_code_set_finding() -> None:
    (rec,) = claims_of("lfh_institutional-claim.837i")
    f = next(f for f in rec.findings if f.rule == "X12_DX_CODE_SET")
    assert f.snip == 5 and f.finding.severity.value == "warning"  # services in 2005
    assert "ICD-9-CM" in f.finding.message


def test_a_pyx12_crash_is_a_finding_not_a_traceback() -> None:
    """pyx12 raises IndexError on an SV101 with 9 components (kw 75-claim sample)."""
    results = list(check(sample("kw_edi_sample_75_claims.txt")))
    too_many = [f for r in results for f in r.findings if f.rule == "X12_ELEMENT_TOO_MANY"]
    assert too_many and "SV101 has 9 components" in too_many[0].finding.message
    assert sum(r.kind == "claim" for r in results) == 75


def test_many_claims_in_one_transaction() -> None:
    recs = claims_of("ims_x12_many_claims.txt.gz")
    assert len(recs) == 820 and len({r.claim_id for r in recs}) >= 1
    assert all(r.envelope.transaction == "987654" for r in recs)


# -- SNIP levels and the catalog ---------------------------------------------------------------


def test_every_x12_finding_id_has_its_catalog_entry() -> None:
    catalog = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    entries = set(re.findall(r"^### (\S+)$", catalog, re.M))
    assert set(X12_RULES) <= entries, set(X12_RULES) - entries


def test_snip_levels() -> None:
    assert [snip_level(r) for r in ("X12_SEGMENT_SYNTAX", "X12_ELEMENT_MISSING",
                                    "X12_CLAIM_TOTAL_MISMATCH", "X12_ADMISSION_DATE_MISSING",
                                    "X12_DX_CODE_SET")] == [1, 2, 3, 4, 5]
    groups = {r.id: r.group for r in Checker().rules}
    assert snip_level("PTR_INVALID", groups["PTR_INVALID"]) == 4
    assert snip_level("DX_CODE_UNKNOWN", groups["DX_CODE_UNKNOWN"]) == 5
    assert snip_level("DX_EXCLUDES1_CONFLICT", groups["DX_EXCLUDES1_CONFLICT"]) == 6
    assert snip_level("NCCI_PTP_CONFLICT", groups["NCCI_PTP_CONFLICT"]) == 7
    assert snip_level("MY_PAYER_RULE") == 7


# -- what codekit writes it reads back ---------------------------------------------------------


def _prof(**kw: object) -> Claim:
    base: dict = {
        "claim_type": "professional", "payer": "acme health", "claim_id": "P1",
        "patient": Patient("F", D(1950, 4, 1), id="M1", name="ROE, ANN"),
        "date_of_service": D(2025, 3, 3), "diagnoses": ("E119", "I10"),
        "service_lines": (
            ServiceLine(1, "99213", (), Decimal(1), (1, 2), date_of_service=D(2025, 3, 3),
                        charge=Decimal("125.50"), line_id="L1"),
            ServiceLine(2, "93000", (), Decimal(1), (2,), date_of_service=D(2025, 3, 4),
                        charge=Decimal(40))),
        "billing_provider": "1234567893", "place_of_service": "11",
        "total_charge": Decimal("165.50"), "frequency_code": "1", "filing_indicator": "MB"}
    base.update(kw)
    return Claim(**base)


def _inst(**kw: object) -> Claim:
    base: dict = {
        "claim_type": "institutional", "payer": "medicare", "claim_id": "I1",
        "patient": Patient("M", D(1940, 1, 2), id="M2", name="DOE, JOHN"),
        "date_of_service": D(2025, 3, 5), "diagnoses": ("I214", "E119", "I10"),
        "poa": ("Y", "N", "Y"), "admitting_diagnosis": "R079", "visit_reasons": (),
        "procedures": (Procedure("02703DZ", D(2025, 3, 3)),), "condition_codes": ("07",),
        "statement_period": (D(2025, 3, 2), D(2025, 3, 5)), "admission_date": D(2025, 3, 2),
        "discharge_status": "01",
        "bill_type": "111", "frequency_code": "1", "filing_indicator": "MA",
        "billing_provider": "1234567893", "total_charge": Decimal(4000),
        "service_lines": (
            ServiceLine(1, "", (), Decimal(3), revenue_code="0120", charge=Decimal(3000)),
            ServiceLine(2, "93005", (), Decimal(1), revenue_code="0730",
                        date_of_service=D(2025, 3, 3), charge=Decimal(1000)))}
    base.update(kw)
    return Claim(**base)


def test_written_837_validates_and_reads_back() -> None:
    claims = [_prof(), _inst(), _prof(claim_id="P2", billing_provider="1999999984")]
    text = write_837(claims, date=D(2025, 3, 10), newline="\n")
    results = list(check(text.encode()))
    assert [r.claim for r in results if r.kind == "claim"] == claims
    # pyx12 finds nothing wrong with what codekit writes (SNIP 1-2), and it balances
    assert not [f for r in results for f in r.findings if f.snip <= 3]
    assert [r.envelope.claim_type for r in results] == ["professional", "institutional",
                                                        "professional"]
    assert [r.envelope.transaction for r in results] == ["0001", "0002", "0003"]


def test_any_delimiters_round_trip() -> None:
    claims = [_prof(), _inst()]
    for delimiters in ("|^\n`", "~>_!", "*:~^"):
        text = write_837(claims, date=D(2025, 3, 10), delimiters=delimiters)
        assert [r.claim for r in read_claims(io.StringIO(text))] == claims


def test_text_streams_bytes_and_paths_read_alike(tmp_path: Path) -> None:
    text = write_837([_prof()], date=D(2025, 3, 10), newline="\r\n")
    path = tmp_path / "one.837"
    path.write_text(text, newline="")
    a = [r.claim for r in read_claims(path)]
    b = [r.claim for r in read_claims(text.encode())]
    c = [r.claim for r in read_claims(io.StringIO(text))]
    d = [r.claim for r in read_claims(io.BytesIO(text.encode("utf-16")))]
    assert a == b == c == d == [_prof()]
    assert is_x12(path) and not is_x12(tmp_path / "missing.837")


def test_balancing_and_situational_findings() -> None:
    bad = _prof(total_charge=Decimal(200))
    inst = _inst(admission_date=None)
    text = write_837([bad, inst], date=D(2025, 3, 10))
    recs = list(read_claims(text.encode()))
    total = next(f for f in recs[0].findings if f.rule == "X12_CLAIM_TOTAL_MISMATCH")
    assert total.finding.location == ("total_charge",) and total.location.element == "CLM02"
    assert "200.00" in total.finding.message and "165.50" in total.finding.message
    adm = next(f for f in recs[1].findings if f.rule == "X12_ADMISSION_DATE_MISSING")
    assert adm.snip == 4 and "111" in adm.finding.message


def test_a_bad_procedure_date_is_an_invalid_date_and_the_procedure_is_kept() -> None:
    text = write_837([_inst()], date=D(2025, 3, 10), newline="\n")
    assert "HI*BBR:02703DZ:D8:20250303~" in text
    bad = text.replace("HI*BBR:02703DZ:D8:20250303~", "HI*BBR:02703DZ:D8:20251302~")
    [result] = check(bad.encode())
    assert result.claim is not None
    assert result.claim.procedures == (Procedure("02703DZ", None),)
    [date] = [f for f in result.findings if f.rule == "X12_ELEMENT_DATE_INVALID"]
    assert (date.snip, date.location.segment, date.location.element, date.location.loop) == \
        (1, "HI", "HI01-4", "2300")
    assert date.finding.location == ("procedures", 0)
    assert date.finding.message == \
        'Data element "Principal Procedure Date" (HI01-4) contains an invalid date (20251302)'
    assert not result.ok


def test_a_date_range_that_runs_backwards_is_an_invalid_date() -> None:
    text = write_837([_inst()], date=D(2025, 3, 10), newline="\n")
    # the statement period: read as no period, the claim's date the line's (as for a
    # range pyx12 finds invalid)
    stmt = text.replace("DTP*434*RD8*20250302-20250305~", "DTP*434*RD8*20250305-20250302~")
    [result] = check(stmt.encode())
    assert result.claim is not None and result.claim.statement_period is None
    assert result.claim.date_of_service == D(2025, 3, 3)
    [date] = [f for f in result.findings if f.rule == "X12_ELEMENT_DATE_INVALID"]
    assert (date.location.segment, date.location.element, date.location.loop) == \
        ("DTP", "DTP03", "2300")
    assert date.finding.location == ("statement_period",)
    assert date.finding.message == ("DTP*434: the date range runs backwards "
                                    "(20250305-20250302): 2025-03-05 is after 2025-03-02")
    assert not result.ok
    # a line's service dates: the line has no date
    prof = write_837([_prof()], date=D(2025, 3, 10), newline="\n")
    assert "DTP*472*D8*20250304~" in prof
    line = prof.replace("DTP*472*D8*20250304~", "DTP*472*RD8*20250305-20250301~")
    [result] = check(line.encode())
    assert result.claim is not None
    assert [ln.date_of_service for ln in result.claim.service_lines] == [D(2025, 3, 3), None]
    [date] = [f for f in result.findings if f.rule == "X12_ELEMENT_DATE_INVALID"]
    assert (date.location.element, date.location.loop) == ("DTP03", "2400")
    assert date.finding.location == ("service_lines", 1)
    assert "DTP*472: the date range runs backwards" in date.finding.message
    assert not result.ok


def test_a_fifth_modifier_in_the_description_is_said() -> None:
    """SV1*HC:99213:25:59:76:77:91: the 91 sits in SV101-7, the description, and was
    dropped with no word (FHIR gives MOD_COUNT_EXCEEDED for five modifiers)."""
    text = write_837([_prof()], date=D(2025, 3, 10), newline="\n")
    bad = text.replace("SV1*HC:99213*", "SV1*HC:99213:25:59:76:77:91*")
    [result] = check(bad.encode())
    assert result.claim is not None
    assert result.claim.service_lines[0].modifiers == ("25", "59", "76", "77")
    [f] = [f for f in result.findings if f.rule == "X12_MODIFIER_IN_DESCRIPTION"]
    assert (f.snip, f.location.element, f.finding.location) == (2, "SV101-7",
                                                                ("service_lines", 0))
    assert f.finding.message.startswith("SV101-7 '91' looks like a fifth modifier")
    # a real description beside four modifiers, or fewer modifiers: nothing to say
    for sv in ("SV1*HC:99213:25:59:76:77:OFFICE VISIT*", "SV1*HC:99213:25:59::::91*"):
        [result] = check(text.replace("SV1*HC:99213*", sv).encode())
        assert not [f for f in result.findings if f.rule == "X12_MODIFIER_IN_DESCRIPTION"]


def test_a_pointer_written_as_a_letter_is_read_as_its_number() -> None:
    """SV107 'A': pyx12 says it is not numeric; the pointer edits said "pointer 0 is not
    between 1 and 12" beside it (the user wrote A, not 0): a CMS-1500 letter A-L is read
    as its number, as a claim dict's is."""
    text = write_837([_prof()], date=D(2025, 3, 10), newline="\n")
    assert "SV1*HC:99213*125.50*UN*1***1:2~" in text
    bad = text.replace("SV1*HC:99213*125.50*UN*1***1:2~",
                       "SV1*HC:99213*125.50*UN*1***A:B~")
    [result] = check(bad.encode())
    assert result.claim is not None
    assert result.claim.service_lines[0].diagnosis_pointers == (1, 2)
    assert sorted({f.rule for f in result.findings}) == [
        "X12_ELEMENT_CHARACTER", "X12_ELEMENT_CODE_INVALID"]


def test_an_admission_after_the_discharge_is_said() -> None:
    """DTP*435 after the end of DTP*434 passed with no word (Claim.from_dict rejects such a
    claim dict): a SNIP 4 error, and the claim is still checked."""
    text = write_837([_inst()], date=D(2025, 3, 10), newline="\n")
    late = text.replace("DTP*435*D8*20250302~", "DTP*435*D8*20250306~")
    [result] = check(late.encode())
    assert result.claim is not None and result.claim.admission_date == D(2025, 3, 6)
    [f] = [f for f in result.findings if f.rule == "X12_ADMISSION_AFTER_DISCHARGE"]
    assert (f.snip, f.finding.location) == (4, ("admission_date",))
    assert f.finding.message == (
        "the admission date (2300 DTP*435) 2025-03-06 is after the statement period's end "
        "(2300 DTP*434) 2025-03-05: a stay cannot end before it starts (value '20250306')")
    [result] = check(text.encode())
    assert not [f for f in result.findings if f.rule == "X12_ADMISSION_AFTER_DISCHARGE"]


def test_a_claim_whose_only_dates_are_invalid_says_so() -> None:
    """Line dates 20251303 and 20251304: the claim is unreadable, and it said "no line has a
    service date (DTP*472)" though both lines have one: it now says they are not dates."""
    text = write_837([_prof()], date=D(2025, 3, 10), newline="\n")
    bad = text.replace("DTP*472*D8*20250303~", "DTP*472*D8*20251303~").replace(
        "DTP*472*D8*20250304~", "DTP*472*D8*20251304~")
    [result] = check(bad.encode())
    assert result.claim is None and result.error is not None
    assert "claim P1: no line has a valid service date (DTP*472): a date there is not a " \
        "date (see X12_ELEMENT_DATE_INVALID), so it has no date of service" in str(result.error)
    assert [f.rule for f in result.findings].count("X12_ELEMENT_DATE_INVALID") == 2


def test_a_claim_without_any_service_date_is_an_error_result_and_the_next_is_read() -> None:
    text = write_837([_prof(), _prof(claim_id="P2")], date=D(2025, 3, 10), newline="\n")
    lines = text.split("\n")
    # drop the DTP*472 of the first claim's two lines
    first_clm = next(i for i, ln in enumerate(lines) if ln.startswith("CLM*P1"))
    second_clm = next(i for i, ln in enumerate(lines) if ln.startswith("CLM*P2"))
    kept = [ln for i, ln in enumerate(lines)
            if not (first_clm < i < second_clm and ln.startswith("DTP*472"))]
    recs = list(read_claims("\n".join(kept).encode()))
    assert recs[0].claim is None and recs[0].error.code == "X12_CLAIM_UNREADABLE"
    assert "X12_SERVICE_DATE_MISSING" in rules_of(recs[0])
    assert recs[1].claim == _prof(claim_id="P2")
    results = list(check("\n".join(kept).encode()))
    assert [r.ok for r in results if r.kind == "claim"] == [False, True]


# -- bad input ----------------------------------------------------------------------------------


def test_binary_junk_is_not_x12() -> None:
    for junk in (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b"", b"   \n\n",
                 b'{"claim_type": "professional"}', b"ISA"):
        with pytest.raises(X12NotReadable) as e:
            list(read_claims(junk))
        assert e.value.offset is not None


def test_junk_after_a_good_claim_stops_with_the_byte() -> None:
    good = write_837([_prof()], date=D(2025, 3, 10)).encode()
    cut = good.index(b"SE*")
    data = good[:cut] + b"\x00\x01junk" * 300_000  # 3 MB with no terminator
    recs: list = []
    with pytest.raises(X12NotReadable) as e:
        recs.extend(read_claims(data))
    assert e.value.offset == cut and "no segment terminator" in e.value.reason
    assert [r.claim for r in recs] == [_prof()]  # the claim before it was read


def test_truncated_file_reports_the_cut() -> None:
    good = write_837([_prof(), _prof(claim_id="P2")], date=D(2025, 3, 10)).encode()
    cut = good.index(b"CLM*P2") + 12  # inside the second CLM
    results = list(check(good[:cut]))
    claims = [r for r in results if r.kind == "claim"]
    assert claims[0].claim == _prof() and claims[0].ok
    rules = {f.rule for r in results for f in r.findings}
    assert "X12_SEGMENT_UNTERMINATED" in rules and "X12_TRANSACTION_INVALID" in rules
    messages = " ".join(f.finding.message for r in results for f in r.findings)
    assert "(SE=0001) missing" in messages and "(IEA=000000001) missing" in messages


def test_wrong_delimiters() -> None:
    text = write_837([_prof()], date=D(2025, 3, 10))
    # the ISA says the segments end with '~' but the body ends them with '\n'
    body_nl = text[:106] + text[106:].replace("~", "\n")
    with pytest.raises(X12NotReadable):
        list(read_claims(body_nl.encode()))
    # one character for two separators
    clash = text[:104] + "*" + text[105:]
    with pytest.raises(X12NotReadable) as e:
        list(read_claims(clash.encode()))
    assert "cannot be told apart" in e.value.reason


def test_zero_claims() -> None:
    text = write_837([], date=D(2025, 3, 10))
    recs = list(read_claims(text.encode()))
    assert not [r for r in recs if r.kind == "claim"]
    run = check(text.encode())
    list(run)
    assert run.summary.claims == 0


def test_errors_are_codekit_errors() -> None:
    with pytest.raises(CodekitError):
        list(read_claims(b"\x00" * 100))
    with pytest.raises(CodekitError):
        list(read_claims("/no/such/file.837"))


class _Generated(io.RawIOBase):
    """A stream of an 837 of ``n`` claims made as it is read: nothing holds the file."""

    def __init__(self, n: int) -> None:
        self._parts = self._make(n)
        self._buf = b""

    @staticmethod
    def _make(n: int):  # type: ignore[no-untyped-def]
        text = write_837([_prof(claim_id="P0")], date=D(2025, 3, 10))
        head, _, rest = text.partition("HL*1*")
        claim = "HL*1*" + rest[:rest.index("SE*")]
        tail = rest[rest.index("SE*"):]
        yield head.encode()
        for _ in range(n):
            yield claim.encode()
        yield tail.encode()

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        while len(self._buf) < len(b):
            try:
                self._buf += next(self._parts)
            except StopIteration:
                break
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _peak(n: int) -> tuple[int, int]:
    import tracemalloc

    tracemalloc.start()
    count = 0
    for r in read_claims(io.BufferedReader(_Generated(n))):
        count += r.kind == "claim"
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak


def test_memory_does_not_grow_with_the_file() -> None:
    """A generator-backed stream of 400 and of 2,000 claims: the peak memory of reading
    them is the same (claims are yielded and dropped; nothing keeps the file)."""
    _peak(50)  # maps loaded
    small, peak_small = _peak(400)
    big, peak_big = _peak(2000)
    assert (small, big) == (400, 2000)
    assert peak_big < peak_small * 1.5 + 2_000_000, (peak_small, peak_big)


# -- the command line ------------------------------------------------------------------------


def test_codekit_check_reads_an_837(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    import json

    from codekit.cli import main

    good = tmp_path / "good.837"
    good.write_text(write_837([_prof(), _inst()], date=D(2025, 3, 10)), newline="")
    assert main(["check", str(good), "--format", "jsonl", "--quiet"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["kind"], r["claim_id"], r["ok"]) for r in rows] == [("claim", "P1", True),
                                                                    ("claim", "I1", True)]
    bad = tmp_path / "bad.837"
    bad.write_text(write_837([_prof(total_charge=Decimal(1))], date=D(2025, 3, 10)),
                   newline="")
    assert main(["check", str(bad), "--format", "jsonl", "--quiet"]) == 2
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (f,) = row["findings"]
    assert (f["rule"], f["snip"], f["segment"], f["element"], f["path"]) == \
        ("X12_CLAIM_TOTAL_MISMATCH", 3, "CLM", "CLM02", "$.total_charge")
    # the file position is file_line and offset; line and line_id name a service line
    # (a claim-level finding has none)
    assert f["file_line"] == 1 and f["offset"] > 0
    assert (f["line"], f["line_id"]) == (None, None)
    assert main(["check", str(bad)]) == 2
    assert "X12_CLAIM_TOTAL_MISMATCH" in capsys.readouterr().out
    junk = tmp_path / "junk.837"
    junk.write_bytes(b"GS*HC*A*B~ST*837*1~")
    assert main(["check", str(junk)]) == 2
    assert "NOT READ: not an X12 interchange: it starts with 'GS*HC*A*B~ST*837*1~'" in \
        capsys.readouterr().out


def test_an_unreadable_file_among_good_ones_is_one_result_and_the_others_are_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``codekit check a.837 junk.837 b.837`` ended at junk.837 with exit 3 (an empty file,
    binary data, an 837 without its ISA, one cut by binary junk): b.837 was never checked,
    and a clearinghouse's batch stopped at its first bad file. Each is one result saying
    why (an X12 file's X12_NOT_READABLE, as an envelope record; a file in no claim format
    CLAIM_FORMAT_INVALID), the run goes on, and exits 2."""
    import json

    from codekit.cli import main

    good = write_837([_prof()], date=D(2025, 3, 10))
    cut = good.index("SE*")  # then 1.2 MB of binary junk with no segment terminator
    files = {"a.837": good, "empty.837": "", "binary.837": b"\x00\x9f\x92\x96" * 64,
             "gs.837": "GS*HC*A*B~ST*837*1~",
             "cut.837": good[:cut].replace("CLM*P1", "CLM*C1").encode()
             + b"\x00\x01junk" * 200_000, "b.837": good.replace("CLM*P1", "CLM*P2")}
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    code = main(["check", *(str(tmp_path / n) for n in files), "--format", "jsonl", "--quiet"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 2
    said = [(Path(r["input"]).name, r.get("kind"), r["claim_id"], r["ok"],
             (r.get("error") or {}).get("code") or [f["rule"] for f in r["findings"]])
            for r in rows]
    assert said == [
        ("a.837:1", "claim", "P1", True, []),
        ("empty.837", None, None, False, ["CLAIM_FORMAT_INVALID"]),
        ("binary.837", None, None, False, ["CLAIM_FORMAT_INVALID"]),
        ("gs.837:1", "envelope", None, False, "X12_NOT_READABLE"),
        # the claim the junk cut into, as far as it was read
        ("cut.837:1", "claim", "C1", False, ["X12_SEGMENT_UNTERMINATED"]),
        ("cut.837:1", "envelope", None, False, "X12_NOT_READABLE"),
        ("b.837:1", "claim", "P2", True, [])]
    assert [f["message"] for r in rows[1:3] for f in r["findings"]] == [
        "empty input: no claim in it",
        "not a claim file codekit knows (a JSON claim, a JSON list of claims, JSON lines, "
        "FHIR, X12 837)"]
    assert rows[3]["error"]["message"].endswith(
        "line 1, byte 0: not an X12 interchange: it starts with 'GS*HC*A*B~ST*837*1~'; an "
        "837 starts with the ISA segment that declares its delimiters")
    assert rows[5]["error"]["message"].endswith(
        f"line 1, byte {cut}: no segment terminator '~' in 1,048,576 characters: this is "
        "not X12 text (or the ISA declares the wrong terminator)")


def test_a_claim_whose_check_fails_is_rejected_and_the_interchange_goes_on() -> None:
    """A codekit bug met by the second claim of an 837 (a rule raising KeyError for claim
    BAD) raised out of x12.check: the third claim was never checked. The claim is now
    rejected with one CLAIM_CHECK_FAILED error, and the others are checked."""
    from tests.test_batch import BROKEN, broken_claim

    content = write_837([Claim.from_dict(broken_claim(c)) for c in ("A", "BAD", "C")])
    run = check(content.encode(), BROKEN)
    got = [(r.claim_id, r.ok, [f.rule for f in r.findings]) for r in run]
    assert got == [("A", True, []), ("BAD", False, ["CLAIM_CHECK_FAILED"]), ("C", True, [])]
    assert (run.summary.claims, run.summary.accepted, run.summary.rejected) == (3, 2, 1)


def test_a_validation_error_a_rule_did_not_catch_rejects_only_its_claim() -> None:
    """A rule's uncaught UnknownCode (a CodekitError) for the second claim raised out of
    x12.check (batch.check_claim re-raised every CodekitError); it is now that claim's
    CLAIM_CHECK_FAILED, as in every door."""
    from tests.test_batch import LOOKUP_BROKEN, broken_claim

    content = write_837([Claim.from_dict(broken_claim(c)) for c in ("A", "BAD", "C")])
    run = check(content.encode(), LOOKUP_BROKEN)
    got = [(r.claim_id, r.ok, [f.rule for f in r.findings]) for r in run]
    assert got == [("A", True, []), ("BAD", False, ["CLAIM_CHECK_FAILED"]), ("C", True, [])]

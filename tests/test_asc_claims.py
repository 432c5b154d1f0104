"""An ambulatory surgical center's facility claim (``Claim.asc_facility``) and its edits.

An ASC bills Medicare its facility fee on an 837P with place of service 24, as the surgeon
who operated there bills his: before the field, codekit could not tell the two claims
apart, so ``45378 53`` at place of service 24 was clean whoever billed it (right for the
surgeon; an ASC reports 73 or 74, Claims Processing Manual ch.14 §40.4), an anesthesia
line on the ASC's claim was asked for a payment modifier (an E/M visit there, for 25
beside a procedure), and 73 or 74 on a physician's
claim at the office passed. Real codes and dates (2026-03-02: a colonoscopy, 45378, its
anesthesia 00811); every door that carries the flag (claim dict and schema, 837P
reader and writer, FHIR, pandas).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from codekit import Checker, Claim, ClaimFormatError, x12
from codekit.claims import ASC_TAXONOMY
from codekit.findings import Severity

CHECKER = Checker(policies=())
DAY = "2026-03-02"
FACILITY = ("74", "73", "52")


def claim_dict(*lines: tuple[str, ...], pos: str = "24", payer: str = "medicare",
               dx: tuple[str, ...] = ("Z12.11", "K63.5"), **fields: Any) -> dict[str, Any]:
    """A Medicare 837P of a screening colonoscopy turned diagnostic (patient F born
    1955-03-02), each line (code, *modifiers) 1 unit pointing to diagnosis 1."""
    return {"claim_type": "professional", "payer": payer, "place_of_service": pos,
            "patient": {"sex": "F", "birth_date": "1955-03-02"}, "date_of_service": DAY,
            "diagnoses": list(dx),
            "service_lines": [{"procedure_code": code, "modifiers": list(mods), "units": 1,
                               "diagnosis_pointers": [1]} for code, *mods in lines],
            **fields}


def found(d: dict[str, Any], checker: Checker = CHECKER) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity, f.location, f.codes, f.fix)
            for f in checker.check(Claim.from_dict(d)).findings]


# -- the claim field ---------------------------------------------------------------------------

def test_the_claim_field_reads_writes_and_refuses() -> None:
    c = Claim.from_dict(claim_dict(("45378", "74"), asc_facility=True))
    assert c.asc_facility is True and c.to_dict()["asc_facility"] is True
    assert Claim.from_dict(c.to_dict()) == c and Claim.from_json(c.to_json()) == c
    assert Claim.from_dict(claim_dict(("45378",), asc_facility=False)).asc_facility is False
    plain = Claim.from_dict(claim_dict(("45378",)))
    assert plain.asc_facility is None and "asc_facility" not in plain.to_dict()
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_dict(claim_dict(("45378",), asc_facility="yes"))
    assert e.value.problems == ((("asc_facility",), "must be true or false, got 'yes'"),)
    # an institutional claim is an ASC's by its type of bill, 83x: said, it must agree
    inst = {**claim_dict(("45378",), asc_facility=True), "claim_type": "institutional",
            "bill_type": "831"}
    c = Claim.from_dict(inst)
    assert (c.asc_facility, c.is_asc_facility) == (True, True)
    assert Claim.from_dict(c.to_dict()) == c
    assert Claim.from_dict({**inst, "asc_facility": None}).is_asc_facility is True
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_dict({**inst, "bill_type": "0131"})
    assert e.value.problems == ((("asc_facility",), (
        "is true on an institutional claim of type of bill '0131': an ambulatory surgical "
        "center's institutional claim (837I, UB-04) is one of type of bill 83x (facility "
        "type 8, special facility; bill classification 3, ambulatory surgery center), and "
        "an ASC bills Medicare its facility fee on a professional claim (837P, place of "
        "service 24); give the type of bill 83x or claim_type 'professional', or leave "
        "asc_facility out")),)
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_dict({**inst, "bill_type": None})
    assert e.value.problems[0][1].startswith(
        "is true on an institutional claim without a type of bill: ")
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_dict({**inst, "asc_facility": False, "bill_type": " 0831"})
    assert e.value.problems == ((("asc_facility",), (
        "is false on an institutional claim of type of bill ' 0831', an ambulatory surgery "
        "center's (83x: facility type 8, special facility; bill classification 3, "
        "ambulatory surgery center): give the facility's type of bill, or leave "
        "asc_facility out")),)
    hospital = Claim.from_dict({**inst, "asc_facility": False, "bill_type": "131"})
    assert (hospital.asc_facility, hospital.is_asc_facility) == (False, False)
    assert plain.is_asc_facility is False and c.is_institutional
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_dict(claim_dict(("45378",), asc_facility=True, dme_supplier=True))
    assert e.value.problems == ((("asc_facility",), (
        "and dme_supplier are both true: a claim is an ambulatory surgical center's facility "
        "claim or a DMEPOS supplier's, not both; leave out the one that is not")),)


@pytest.mark.parametrize("value", [True, False, None, 1, "true"])
def test_the_reader_reads_it_and_the_fast_path_leaves_it(value: object) -> None:
    from codekit.claims import _fast_claim, _Reader

    d = claim_dict(("45378", "53"), asc_facility=value)
    assert _fast_claim(d) is None  # a rare field: the reader reads it
    if value is None or type(value) is bool:
        assert _Reader().claim(d).asc_facility is value
    else:
        with pytest.raises(ClaimFormatError):
            _Reader().claim(d)
    del d["asc_facility"]
    assert _fast_claim(d) == _Reader().claim(d)


def test_the_claim_schema_knows_asc_facility() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import codekit

    schema = jsonschema.Draft202012Validator(codekit.schema("claim"))
    assert schema.is_valid(claim_dict(("45378", "74"), asc_facility=True))
    assert schema.is_valid(claim_dict(("45378", "74"), asc_facility=None))
    assert not schema.is_valid(claim_dict(("45378",), asc_facility="yes"))
    inst = {**claim_dict(("45378",), asc_facility=True), "claim_type": "institutional"}
    assert not schema.is_valid(inst)
    assert schema.is_valid({**inst, "asc_facility": False})
    # the type of bill 83x is an ASC's: asc_facility may say so, not the contrary
    assert schema.is_valid({**inst, "bill_type": "0831"})
    assert not schema.is_valid({**inst, "bill_type": "0131"})
    assert not schema.is_valid({**inst, "bill_type": " 831", "asc_facility": False})
    assert schema.is_valid({**inst, "bill_type": "131", "asc_facility": False})
    assert not schema.is_valid(claim_dict(("45378",), asc_facility=True, dme_supplier=True))
    assert schema.is_valid(claim_dict(("E0601",), asc_facility=False, dme_supplier=True))


# -- MOD_53_FACILITY on an ASC's claim ---------------------------------------------------------

def test_53_on_the_ascs_claim_is_the_facilitys_73_or_74() -> None:
    assert found(claim_dict(("45378", "53"), asc_facility=True)) == [
        ("MOD_53_FACILITY", Severity.WARNING, ("service_lines", 0, "modifiers", 0),
         ("45378", "53"), FACILITY)]
    (f,) = CHECKER.check(Claim.from_dict(claim_dict(("45378", "53"), asc_facility=True))
                         ).findings
    assert f.message == (
        "Line 1 (45378): modifier 53 is the physician's for a discontinued procedure; an "
        "ambulatory surgical center's facility claim does not use it: report 74 "
        "(discontinued after anesthesia was given or the procedure started), 73 (before "
        "anesthesia, the patient prepared and in the room) or 52 (a service that needs no "
        "anesthesia).")
    # a radiology service (an upper GI series, 74240) discontinued: 52
    assert found(claim_dict(("74240", "53"), dx=("R13.10",), asc_facility=True)) == [
        ("MOD_53_FACILITY", Severity.WARNING, ("service_lines", 0, "modifiers", 0),
         ("74240", "53"), ("52",))]
    assert found(claim_dict(("45378", "74"), asc_facility=True)) == []
    assert found(claim_dict(("45378", "73"), asc_facility=True)) == []


@pytest.mark.parametrize("asc", [None, False])
def test_53_on_the_surgeons_claim_stays_clean(asc: bool | None) -> None:
    """The same line on the surgeon's claim (not said to be the ASC's) is right."""
    assert found(claim_dict(("45378", "53"), asc_facility=asc)) == []


def test_the_asc_edits_are_medicares() -> None:
    """Under commercial (no option asc_edits), 53 on an ASC's claim is not judged, as on a
    hospital's 13x."""
    assert found(claim_dict(("45378", "53"), payer="aetna", asc_facility=True)) == []


# -- MOD_73_74_PROFESSIONAL --------------------------------------------------------------------

@pytest.mark.parametrize(("pos", "asc"), [("11", None), ("22", None), ("19", None),
                                          ("24", False), ("11", False)])
@pytest.mark.parametrize("mod", ["73", "74"])
def test_73_or_74_on_a_physicians_claim(pos: str, asc: bool | None, mod: str) -> None:
    assert found(claim_dict(("45378", mod), pos=pos, asc_facility=asc)) == [
        ("MOD_73_74_PROFESSIONAL", Severity.WARNING, ("service_lines", 0, "modifiers", 0),
         ("45378", mod), ("53",))]


def test_the_message_and_the_payers() -> None:
    (f,) = CHECKER.check(Claim.from_dict(claim_dict(("45378", "74"), pos="11"))).findings
    assert f.message == (
        "Line 1 (45378): modifier 74 is a facility's (a hospital outpatient department's or "
        "an ambulatory surgical center's) for a procedure discontinued after anesthesia; on "
        "a physician's claim a discontinued procedure takes 53.")
    assert found(claim_dict(("45378", "73"), pos="11", payer="aetna")) == [
        ("MOD_73_74_PROFESSIONAL", Severity.WARNING, ("service_lines", 0, "modifiers", 0),
         ("45378", "73"), ("53",))]


def test_73_or_74_where_the_claim_may_be_the_ascs() -> None:
    """At place of service 24 with asc_facility unknown, not judged; the ASC's claim takes
    them; a line's place of service decides over the claim's."""
    assert found(claim_dict(("45378", "74"))) == []
    assert found(claim_dict(("45378", "74"), asc_facility=True)) == []
    d = claim_dict(("45378", "74"))
    d["service_lines"][0]["place_of_service"] = "11"
    assert [f[0] for f in found(d)] == ["MOD_73_74_PROFESSIONAL"]
    d = claim_dict(("45378", "74"), pos="11")
    d["service_lines"][0]["place_of_service"] = "24"
    assert found(d) == []


def test_73_or_74_on_a_hospital_claim_is_not_this_edit() -> None:
    inst = {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
            "patient": {"sex": "F", "birth_date": "1955-03-02"}, "date_of_service": DAY,
            "diagnoses": ["Z12.11", "K63.5"],
            "service_lines": [{"procedure_code": "45378", "modifiers": ["74"], "units": 1,
                               "revenue_code": "0360"}]}
    assert "MOD_73_74_PROFESSIONAL" not in [f[0] for f in found(inst)]


# -- PROC_NOT_ASC_FACILITY_SERVICE -------------------------------------------------------------

@pytest.mark.parametrize("mods", [(), ("QZ",), ("AA", "P2")])
def test_anesthesia_on_the_ascs_claim(mods: tuple[str, ...]) -> None:
    """00811 (anesthesia for a colonoscopy) is the anesthesiologist's or CRNA's: on the
    ASC's claim it is to go, and is not asked for a payment modifier."""
    assert found(claim_dict(("45378",), ("00811", *mods), asc_facility=True)) == [
        ("PROC_NOT_ASC_FACILITY_SERVICE", Severity.ERROR,
         ("service_lines", 1, "procedure_code"), ("00811",), ())]


def test_the_message_and_two_anesthesia_lines() -> None:
    d = claim_dict(("00811",), asc_facility=True)
    (f,) = CHECKER.check(Claim.from_dict(d)).findings
    assert f.message == (
        "Line 1: 00811 is an anesthesia service, which is not an ambulatory surgical "
        "center's facility service (the ASC's payment covers only the anesthesia materials "
        "and the surgeon's supervision of an anesthetist): the anesthesiologist or CRNA "
        "bills it on a claim of their own; remove the line from the ASC's claim.")
    # two base codes of one day: each line goes, neither is told to merge with the other
    d = claim_dict(("00790", "AA", "P3"), ("00840", "AA", "P3"), dx=("K80.20",),
                   asc_facility=True)
    assert [(f[0], f[2]) for f in found(d)] == [
        ("PROC_NOT_ASC_FACILITY_SERVICE", ("service_lines", 0, "procedure_code")),
        ("PROC_NOT_ASC_FACILITY_SERVICE", ("service_lines", 1, "procedure_code"))]
    d["asc_facility"] = None
    assert [f[0] for f in found(d)] == ["PROC_ANESTHESIA_MULTIPLE"]


@pytest.mark.parametrize("visit", ["99213", "99203", "99223", "99291"])
def test_a_visit_on_the_ascs_claim(visit: str) -> None:
    """An E/M visit is the physician's: on the ASC's claim it is to go."""
    d = claim_dict(("45378",), (visit,), dx=("K63.5",), asc_facility=True)
    assert found(d) == [
        ("PROC_NOT_ASC_FACILITY_SERVICE", Severity.ERROR,
         ("service_lines", 1, "procedure_code"), (visit,), ())]
    assert found({**d, "asc_facility": None}) == []
    (f,) = CHECKER.check(Claim.from_dict(d)).findings
    assert f.message == (
        f"Line 2: {visit} is an evaluation and management visit, a physician's service, not "
        "an ambulatory surgical center's facility service (the ASC is paid for covered "
        "surgical procedures and their covered ancillary services): the physician bills it "
        "on a claim of his own; remove the line from the ASC's claim.")


def test_a_visit_on_the_ascs_claim_is_not_told_to_take_25(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """With the practitioner PTP row 45378/99213 (indicator 1; the CMS file of 2024-07-01
    has it) loaded, the surgeon's claim is told 25 (EM_MINOR_PROC_NO_MOD25); the ASC's is
    told to remove the visit, once."""
    from tests.claims_gen import ptp_checker

    checker = ptp_checker(tmp_path_factory.mktemp("asc_ptp"),
                          "column_1,column_2,effective_date,deletion_date,modifier_indicator\n"
                          "45378,99213,2020-01-01,,1\n")
    d = claim_dict(("45378",), ("99213",), dx=("K63.5",))
    assert [(f[0], f[2]) for f in found(d, checker)] == [
        ("EM_MINOR_PROC_NO_MOD25", ("service_lines", 1, "modifiers"))]
    assert [(f[0], f[2]) for f in found({**d, "asc_facility": True}, checker)] == [
        ("PROC_NOT_ASC_FACILITY_SERVICE", ("service_lines", 1, "procedure_code"))]


@pytest.mark.parametrize("asc", [None, False])
def test_the_anesthesiologists_claim_is_judged_as_before(asc: bool | None) -> None:
    assert found(claim_dict(("00811", "QZ"), asc_facility=asc)) == []
    assert [f[0] for f in found(claim_dict(("00811",), asc_facility=asc))] == [
        "MOD_ANESTHESIA_PAYMENT_MISSING"]


def test_anesthesia_on_an_ascs_claim_under_commercial_is_not_judged() -> None:
    assert [f[0] for f in found(claim_dict(("00811", "QZ", "P2"), payer="aetna",
                                           asc_facility=True))] == []


# -- the doors ---------------------------------------------------------------------------------

def _x12_dict(**fields: Any) -> dict[str, Any]:
    d = claim_dict(("45378", "53"), claim_id="ASC1", total_charge=900, billing_provider=(
        "1234567893"), filing_indicator="MB", **fields)
    d["patient"] = {**d["patient"], "id": "1EG4TE5MK73", "name": "Doe, Ann"}
    d["service_lines"][0]["charge"] = 900
    return d


def test_the_837p_reader_reads_the_billing_providers_asc_taxonomy() -> None:
    asc = Claim.from_dict(_x12_dict(asc_facility=True))
    surgeon = Claim.from_dict({**_x12_dict(), "claim_id": "SUR1"})
    text = x12.write_837([asc, surgeon, asc])
    # each claim its billing provider level: the ASC's with its taxonomy (2000A PRV*BI)
    assert [s for s in text.split("~") if s.startswith(("HL*", "PRV"))] == [
        "HL*1**20*1", f"PRV*BI*PXC*{ASC_TAXONOMY}", "HL*2*1*22*0", "HL*3**20*1",
        "HL*4*3*22*0", "HL*5**20*1", f"PRV*BI*PXC*{ASC_TAXONOMY}", "HL*6*5*22*0"]
    records = list(x12.read_claims(text))
    assert [r.claim.asc_facility for r in records if r.claim] == [True, None, True]
    first = records[0]
    assert first.paths[("asc_facility",)].segment == "PRV"
    assert first.paths[("asc_facility",)].element == "PRV03"
    # the edit judges the claim the file says is the ASC's, and leaves the surgeon's
    (r1, r2, _) = x12.check(text)
    assert [(f.rule, f.location.element) for f in r1.findings] == [
        ("MOD_53_FACILITY", "SV101-3")]
    assert r2.findings == ()


def test_another_billing_taxonomy_says_nothing() -> None:
    """A physician group's taxonomy (207RG0100X, gastroenterology) is no ASC's, but no
    taxonomy says for certain a claim is not an ASC's: None."""
    text = x12.write_837([Claim.from_dict(_x12_dict(asc_facility=True))])
    other = text.replace(f"PRV*BI*PXC*{ASC_TAXONOMY}", "PRV*BI*PXC*207RG0100X")
    (record,) = list(x12.read_claims(other))
    assert record.claim is not None and record.claim.asc_facility is None
    assert ("asc_facility",) not in record.paths


def test_an_837i_with_the_taxonomy_is_no_asc_facility_claim() -> None:
    inst = {"claim_id": "H1", "claim_type": "institutional", "payer": "medicare",
            "bill_type": "831", "filing_indicator": "MA", "billing_provider": "1234567893",
            "total_charge": 900, "statement_period": [DAY, DAY],
            "patient": {"sex": "F", "birth_date": "1955-03-02", "id": "1EG4TE5MK73",
                        "name": "Doe, Ann"}, "date_of_service": DAY,
            "diagnoses": ["Z12.11", "K63.5"],
            "service_lines": [{"procedure_code": "45378", "modifiers": ["74"], "units": 1,
                               "revenue_code": "0360", "charge": 900, "date_of_service": DAY}]}
    text = x12.write_837([Claim.from_dict(inst)])
    assert "PRV*" not in text
    head, sep, rest = text.partition("NM1*85")
    records = list(x12.read_claims(head + f"PRV*BI*PXC*{ASC_TAXONOMY}~" + sep + rest))
    (record,) = [r for r in records if r.claim is not None]  # (and the SE count's record)
    assert record.claim.asc_facility is None and record.claim.bill_type == "831"


def test_the_fhir_door_carries_asc_facility() -> None:
    pytest.importorskip("fhir.resources")
    from codekit import fhir

    c = Claim.from_dict(claim_dict(("45378", "74"), asc_facility=True))
    resource = fhir.from_claim(c)
    assert {"url": "urn:codekit:fhir:asc-facility", "valueBoolean": True} in \
        resource["extension"]
    (r,) = fhir.read(json.dumps(resource), validate=False)
    assert r.claim == c
    inst = copy.deepcopy(resource)
    inst["type"]["coding"][0]["code"] = "institutional"
    (r,) = fhir.read(json.dumps(inst), validate=False)
    assert r.claim is not None and r.claim.asc_facility is None
    at = next(i for i, e in enumerate(inst["extension"])
              if e["url"] == "urn:codekit:fhir:asc-facility")
    assert [(f.rule, f.severity, f.message) for f in r.findings
            if "asc-facility" in f.message] == [
        ("FHIR_STRUCTURE_INVALID", Severity.WARNING,
         f"Claim.extension[{at}]: urn:codekit:fhir:asc-facility is true on an institutional "
         "claim of no type of bill: an ambulatory surgical center's institutional claim is "
         "one of type of bill 83x (facility type 8, bill classification 3, ambulatory "
         "surgery center), and an ASC bills Medicare its facility fee on a professional "
         "claim; it is not read")]


def test_the_pandas_door_reads_an_asc_facility_column() -> None:
    pd = pytest.importorskip("pandas")
    from codekit.pandas import claims_of

    lines = pd.DataFrame({
        "claim_id": ["A1", "A1", "S1"], "payer": "medicare", "sex": "F",
        "birth_date": "1955-03-02", "date_of_service": DAY, "dx1": "Z12.11",
        "place_of_service": "24", "procedure_code": ["45378", "00811", "45378"],
        "units": 1, "asc_facility": [True, True, None]})
    got = claims_of(lines)
    assert [c.get("asc_facility") if isinstance(c, dict) else c for c in got] == [True, None]


# -- an ASC's 837I: type of bill 83x -----------------------------------------------------------

def inst_dict(*lines: tuple[str, ...], payer: str = "medicare", bill: str = "0831",
              **fields: Any) -> dict[str, Any]:
    """The facility claim of an ambulatory surgery center on the 837I (UB-04 FL 4 type of
    bill 0831: facility type 8, special facility; classification 3, ambulatory surgery
    center), each line (code, *modifiers) under revenue code 0490 (ambulatory surgical
    care), 1 unit, charge 450; patient F born 1955-03-02, 2026-03-02."""
    return {"claim_id": "ASC9", "claim_type": "institutional", "payer": payer,
            "bill_type": bill, "filing_indicator": "MB", "billing_provider": "1234567893",
            "total_charge": 450 * len(lines), "statement_period": [DAY, DAY],
            "patient": {"sex": "F", "birth_date": "1955-03-02", "id": "1EG4TE5MK73",
                        "name": "Doe, Ann"}, "date_of_service": DAY,
            "diagnoses": ["Z12.11", "K63.5", "H25.12"],
            "service_lines": [{"procedure_code": code, "modifiers": list(mods), "units": 1,
                               "revenue_code": "0490", "charge": 450, "date_of_service": DAY}
                              for code, *mods in lines],
            **fields}


def test_53_on_an_ascs_837i_is_the_facilitys_73_or_74() -> None:
    """An 837I of type of bill 83x is the ASC's facility claim (Claims Processing Manual
    ch.14 §40.4: a terminated procedure takes 73, 74 or 52): a colonoscopy stopped (45378
    53) beside a cataract surgery (66984 LT) is told 74, 73 or 52 under
    medicare-outpatient, as on a hospital's 13x and on the ASC's 837P. The I/OCE takes 53
    there (pyoce 0.1.0 on 831, non-OPPS: no edit). It was clean."""
    d = inst_dict(("45378", "53"), ("66984", "LT"))
    claim = Claim.from_dict(d)
    assert claim.asc_facility is None and claim.is_asc_facility
    report = CHECKER.check(claim)
    assert report.profile == "medicare-outpatient"
    assert [(f.rule, f.severity, f.location, f.codes, f.fix) for f in report.findings] == [
        ("MOD_53_FACILITY", Severity.WARNING, ("service_lines", 0, "modifiers", 0),
         ("45378", "53"), FACILITY)]
    assert report.findings[0].message == (
        "Line 1 (45378): modifier 53 is the physician's for a discontinued procedure; an "
        "ambulatory surgery center's claim (type of bill 0831) does not use it: report 74 "
        "(discontinued after anesthesia was given or the procedure started), 73 (before "
        "anesthesia, the patient prepared and in the room) or 52 (a service that needs no "
        "anesthesia).")
    assert found(inst_dict(("45378", "74"), ("66984", "LT"))) == []
    assert found(inst_dict(("45378", "53"), payer="aetna", filing_indicator="CI")) == []
    # a critical access hospital's 85x stays unjudged (its method II professional lines)
    assert found(inst_dict(("45378", "53"), bill="851")) == []


def _doors_findings(d: dict[str, Any]) -> dict[str, list[tuple[str, Any]]]:
    """The rule and codes of each finding, and whether the claim is the ASC's, of ``d``
    read by each door: the claim dict, the 837I written and read back, FHIR written and
    read back, a pandas long table (one row a line)."""
    from codekit import fhir

    claim = Claim.from_dict(d)
    out = {"dict": [(f.rule, f.codes) for f in CHECKER.check(claim).findings]}
    (x,) = [r for r in x12.check(x12.write_837([claim]), CHECKER) if r.claim is not None]
    assert x.claim is not None and x.claim.is_asc_facility
    out["x12"] = [(f.rule, f.finding.codes) for f in x.findings]
    (fr,) = fhir.check_each(fhir.from_claim(claim), checker=CHECKER, validate=False)
    assert fr.claim is not None and fr.claim.is_asc_facility
    out["fhir"] = [(f.rule, f.codes) for f, _ in fr.issues()]
    pd = pytest.importorskip("pandas")
    from codekit.pandas import check_claims

    rows = pd.DataFrame([{
        "claim_id": d["claim_id"], "claim_type": "institutional", "payer": d["payer"],
        "bill_type": d["bill_type"], "sex": "F", "birth_date": "1955-03-02",
        "date_of_service": DAY, "dx1": "Z12.11", "dx2": "K63.5", "dx3": "H25.12",
        "procedure_code": ln["procedure_code"], "modifier1": (ln["modifiers"] or [None])[0],
        "revenue_code": "0490", "units": 1, **({"asc_facility": d["asc_facility"]}
                                               if "asc_facility" in d else {})}
        for ln in d["service_lines"]])
    table = check_claims(rows, checker=CHECKER)
    out["pandas"] = [(r.rule, tuple(r.codes)) for r in table.itertuples()]
    return out


@pytest.mark.parametrize("said", [None, True])
def test_every_door_judges_the_ascs_837i_alike(said: bool | None) -> None:
    """The claim, the 837I (CLM05 83:A:1), FHIR (type institutional, supportingInfo
    typeofbill 0831) and a pandas table agree: the claim is the ASC's by its type of bill,
    and asc_facility true, where a door carries it, agrees with it. Before, a claim dict
    or pandas row saying true was a format error (the claim not checked) and FHIR's
    extension a warning, not read."""
    d = inst_dict(("45378", "53"), ("66984", "LT"))
    if said is not None:
        d["asc_facility"] = said
    got = _doors_findings(d)
    assert got == {door: [("MOD_53_FACILITY", ("45378", "53"))]
                   for door in ("dict", "x12", "fhir", "pandas")}


def test_the_fhir_door_reads_asc_facility_with_the_type_of_bill() -> None:
    """urn:codekit:fhir:asc-facility true on an institutional claim of type of bill 0831
    is read (it agrees); false there is a warning, and the type of bill says it."""
    from codekit import fhir

    c = Claim.from_dict(inst_dict(("45378", "74"), asc_facility=True))
    resource = fhir.from_claim(c)
    assert {"url": "urn:codekit:fhir:asc-facility", "valueBoolean": True} in \
        resource["extension"]
    (r,) = fhir.read(json.dumps(resource), validate=False)
    assert r.claim == c and r.findings == ()
    at = next(i for i, e in enumerate(resource["extension"])
              if e["url"] == "urn:codekit:fhir:asc-facility")
    resource["extension"][at]["valueBoolean"] = False
    (r,) = fhir.read(json.dumps(resource), validate=False)
    assert r.claim is not None and r.claim.asc_facility is None and r.claim.is_asc_facility
    assert [(f.rule, f.message) for f in r.findings] == [
        ("FHIR_STRUCTURE_INVALID", f"Claim.extension[{at}]: urn:codekit:fhir:asc-facility "
         "is false on an institutional claim of type of bill 0831, an ambulatory surgery "
         "center's (83x); it is not read")]

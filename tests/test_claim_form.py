"""A claim's own consistency in every door (rules/claim_form.py): the total charge against
the lines' charges, negative charges, and the claim a replacement or void corrects. The 837
door said these (X12_CLAIM_TOTAL_MISMATCH, X12_AMOUNT_NEGATIVE, X12_SEGMENT_MISSING,
X12_SEGMENT_NOT_USED); a claim dict, a JSON line on the command line, a FHIR Claim and a
pandas row got nothing for the same claim."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, fhir, x12
from codekit.cli import main

CHECKER = Checker(policies=())

#: Medicare professional, 2025-11-03: an office visit, a quality-data code at $0.00 (right:
#: Category II codes are reported at zero charge) and a glucose test, $200 in all.
PROF: dict[str, Any] = {
    "claim_id": "P1", "claim_type": "professional", "payer": "medicare",
    "billing_provider": "1234567893", "filing_indicator": "MB",
    "patient": {"sex": "F", "birth_date": "1956-03-02", "id": "MBR1", "name": "DOE, JANE"},
    "date_of_service": "2025-11-03", "place_of_service": "11", "diagnoses": ["E11.9", "I10"],
    "total_charge": 200,
    "service_lines": [
        {"procedure_code": "99213", "units": 1, "diagnosis_pointers": [1, 2], "charge": 150},
        {"procedure_code": "3074F", "units": 1, "diagnosis_pointers": [1], "charge": 0},
        {"procedure_code": "82947", "units": 1, "diagnosis_pointers": [1], "charge": 50}]}
#: Medicare hospital outpatient (131), 2025-11-03: an emergency visit and the ECG tracing.
INST: dict[str, Any] = {
    "claim_id": "I1", "claim_type": "institutional", "payer": "medicare",
    "billing_provider": "1234567893", "filing_indicator": "MA", "bill_type": "131",
    "patient": {"sex": "M", "birth_date": "1950-05-05", "id": "MBR2", "name": "ROE, RICHARD"},
    "statement_period": ["2025-11-03", "2025-11-03"], "diagnoses": ["R07.9", "I10"],
    "total_charge": 500,
    "service_lines": [
        {"procedure_code": "99284", "revenue_code": "0450", "units": 1, "charge": 400,
         "date_of_service": "2025-11-03"},
        {"procedure_code": "93005", "revenue_code": "0730", "units": 1, "charge": 100,
         "date_of_service": "2025-11-03"}]}
EDITS = ("CLAIM_TOTAL_MISMATCH", "CHARGE_NEGATIVE", "CORRECTED_CLAIM_ID_MISSING",
         "CORRECTED_CLAIM_ID_UNEXPECTED")


def claim(base: dict[str, Any], lines: dict[int, dict[str, Any]] | None = None,
          **fields: Any) -> dict[str, Any]:
    """``base`` with ``fields`` set (None: left out) and its lines' fields changed."""
    d = copy.deepcopy(base)
    for key, value in fields.items():
        if value is None:
            d.pop(key, None)
        else:
            d[key] = value
    for i, changes in (lines or {}).items():
        for key, value in changes.items():
            if value is None:
                d["service_lines"][i].pop(key, None)
            else:
                d["service_lines"][i][key] = value
    return d


def found(d: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(rule, severity, path) of this module's findings on the claim dict."""
    return [(f.rule, f.severity.value, f.path)
            for f in CHECKER.check(Claim.from_dict(d)).findings if f.rule in EDITS]


def test_the_base_claims_are_clean_in_every_door() -> None:
    for d in (PROF, INST, claim(PROF, payer="commercial", filing_indicator="CI")):
        c = Claim.from_dict(d)
        assert CHECKER.check(c).findings == ()
        assert [r.findings for r in fhir.check_each(fhir.from_claim(c))] == [()]
        text = x12.write_837([c], date=dt.date(2025, 11, 10))
        assert [r.findings for r in x12.check(text) if r.kind == "claim"] == [()]


# -- CLAIM_TOTAL_MISMATCH ------------------------------------------------------------------


def test_a_total_that_is_not_the_sum_of_the_lines_is_said() -> None:
    (f,) = CHECKER.check(Claim.from_dict(claim(PROF, total_charge=210))).findings
    assert (f.rule, f.severity.value, f.location, f.codes, f.fix) == (
        "CLAIM_TOTAL_MISMATCH", "error", ("total_charge",), (), ())
    assert f.message == ("The total charge 210.00 is not the sum of the 3 line charges, "
                         "200.00: correct the total or the line charge that is wrong (the "
                         "claim must balance).")
    assert found(claim(INST, total_charge=510)) == [
        ("CLAIM_TOTAL_MISMATCH", "error", "$.total_charge")]
    assert found(claim(PROF, total_charge=210, payer="commercial")) == [
        ("CLAIM_TOTAL_MISMATCH", "error", "$.total_charge")]


def test_cents_are_compared_exactly_as_decimals() -> None:
    thirds = {0: {"charge": 33.33}, 1: {"charge": 33.33}, 2: {"charge": 33.33}}
    assert found(claim(PROF, thirds, total_charge=100)) == [
        ("CLAIM_TOTAL_MISMATCH", "error", "$.total_charge")]
    assert found(claim(PROF, thirds, total_charge=99.99)) == []
    # JSON numbers are read as the decimals they say: 0.1 + 0.2 is 0.3 here
    text = json.dumps(claim(PROF, {0: {"charge": 0.1}, 2: {"charge": 0.2}}, total_charge=0.3))
    assert [f.rule for f in CHECKER.check(Claim.from_json(text)).findings] == []


def test_charges_not_given_are_not_balanced() -> None:
    """Coding checked before pricing: no charges, a total without line charges, a line
    left uncharged: nothing to balance."""
    uncharged = {i: {"charge": None} for i in range(3)}
    assert found(claim(PROF, uncharged, total_charge=None)) == []
    assert found(claim(PROF, uncharged)) == []
    assert found(claim(PROF, {2: {"charge": None}})) == []
    assert found(claim(PROF, total_charge=None)) == []  # lines charged, no total


def test_the_ub04_total_line_is_not_added_to_the_total() -> None:
    """A claim read from a UB-04 may carry its total line, revenue code 0001 (FL 42 line
    23), whose charge is the total (FL 47): balancing it against itself doubled the total."""
    stay = claim(INST, bill_type="111", statement_period=["2025-11-01", "2025-11-03"],
                 admission_date="2025-11-01", discharge_status="01", total_charge=2300)
    stay["service_lines"] = [
        {"revenue_code": "0120", "units": 2, "charge": 2000},
        {"revenue_code": "0250", "units": 1, "charge": 300},
        {"revenue_code": "0001", "units": 1, "charge": 2300}]
    assert found(stay) == []
    stay["service_lines"][2]["revenue_code"] = "001"  # the three-digit form
    assert found(stay) == []
    stay["total_charge"] = 2400  # the service lines still balance against the total
    (f,) = [f for f in CHECKER.check(Claim.from_dict(stay)).findings
            if f.rule == "CLAIM_TOTAL_MISMATCH"]
    assert f.message.startswith(
        "The total charge 2,400.00 is not the sum of the 2 line charges, 2,300.00:")


# -- CHARGE_NEGATIVE -----------------------------------------------------------------------


def test_a_negative_charge_is_said_even_when_the_claim_balances() -> None:
    d = claim(PROF, {2: {"charge": -50}}, total_charge=100)
    (f,) = CHECKER.check(Claim.from_dict(d)).findings
    assert (f.rule, f.severity.value, f.location, f.codes) == (
        "CHARGE_NEGATIVE", "error", ("service_lines", 2, "charge"), ("82947",))
    assert f.message == ("Line 3: the charge (-50) is negative: a charge is zero or more; a "
                         "claim sent before is corrected by a replacement (frequency 7) or a "
                         "void (8), not by negative amounts.")
    everything = claim(PROF, {0: {"charge": -150}, 2: {"charge": -50}}, total_charge=-200)
    assert found(everything) == [("CHARGE_NEGATIVE", "error", "$.total_charge"),
                                 ("CHARGE_NEGATIVE", "error", "$.service_lines[0].charge"),
                                 ("CHARGE_NEGATIVE", "error", "$.service_lines[2].charge")]
    # a line charge alone, without a total
    assert found(claim(PROF, {1: {"charge": -1}}, total_charge=None)) == [
        ("CHARGE_NEGATIVE", "error", "$.service_lines[1].charge")]
    # and a total alone on a claim with no line
    assert found(claim(INST, total_charge=-5, service_lines=[])) == [
        ("CHARGE_NEGATIVE", "error", "$.total_charge")]


# -- CORRECTED_CLAIM_ID_MISSING / _UNEXPECTED ----------------------------------------------


def test_a_replacement_or_void_names_the_claim_it_corrects() -> None:
    for frequency, what in (("7", "a replacement"), ("8", "a void")):
        (f,) = CHECKER.check(Claim.from_dict(claim(PROF, frequency_code=frequency))).findings
        assert (f.rule, f.severity.value, f.location) == (
            "CORRECTED_CLAIM_ID_MISSING", "error", ("frequency_code",))
        assert f.message.startswith(f"The claim frequency is {frequency} ({what} of a claim "
                                    "sent before) but the claim does not name")
        assert found(claim(PROF, frequency_code=frequency, corrected_claim_id="PCN0001234")) \
            == []
    assert found(claim(PROF, frequency_code=" 7", corrected_claim_id="  ")) == [
        ("CORRECTED_CLAIM_ID_MISSING", "error", "$.frequency_code")]
    # an institutional claim's frequency is its type of bill's last digit
    assert found(claim(INST, bill_type="0137")) == [
        ("CORRECTED_CLAIM_ID_MISSING", "error", "$.bill_type")]
    assert found(claim(INST, bill_type="138", corrected_claim_id="PCN0001234")) == []


def test_an_original_claim_names_no_claim_it_corrects() -> None:
    (f,) = CHECKER.check(Claim.from_dict(
        claim(PROF, frequency_code="1", corrected_claim_id="PCN0001234"))).findings
    assert (f.rule, f.severity.value, f.location) == (
        "CORRECTED_CLAIM_ID_UNEXPECTED", "error", ("corrected_claim_id",))
    assert f.message.startswith("The claim names 'PCN0001234' as the claim it corrects, but "
                                "its frequency is 1, neither a replacement (7) nor a void (8)")
    assert found(claim(PROF, corrected_claim_id="PCN0001234")) == [
        ("CORRECTED_CLAIM_ID_UNEXPECTED", "error", "$.corrected_claim_id")]
    assert found(claim(INST, corrected_claim_id="PCN0001234")) == [
        ("CORRECTED_CLAIM_ID_UNEXPECTED", "error", "$.corrected_claim_id")]
    assert found(claim(PROF, frequency_code="1")) == []


def test_a_reopening_may_name_the_claim_it_reopens() -> None:
    """A reopening outside the timely filing limits (Medicare's TOB xxQ) is a correction
    of an adjudicated claim: X12 RFI 2173 calls its REF*F8 "appropriate and useful", so
    neither the rule nor the 837 door may call it unexpected, and write_837 writes it."""
    reopened = claim(INST, bill_type="013Q", corrected_claim_id="21925300123456")
    assert found(reopened) == []
    assert found(claim(INST, bill_type="013Q")) == []  # not required either
    c = Claim.from_dict(reopened)
    [result] = fhir.check_each(fhir.from_claim(c))
    assert [f.rule for f in result.findings] == []
    text = x12.write_837([c], date=dt.date(2025, 11, 10), newline="\n")
    assert isinstance(text, str) and "REF*F8*21925300123456~" in text
    [result] = [r for r in x12.check(text) if r.kind == "claim"]
    assert [f.rule for f in result.findings] == []
    # a late charge (5) is no correction: its REF*F8 is still unexpected in every door
    late = Claim.from_dict(claim(INST, bill_type="0135", corrected_claim_id="21925300123456"))
    assert [f.rule for f in CHECKER.check(late).findings] == ["CORRECTED_CLAIM_ID_UNEXPECTED"]


# -- every door ----------------------------------------------------------------------------


BAD = [  # (claim, the findings every door but the 837 gives, the 837's own)
    (claim(PROF, total_charge=210), [("CLAIM_TOTAL_MISMATCH", "$.total_charge")],
     [("X12_CLAIM_TOTAL_MISMATCH", "$.total_charge")]),
    (claim(INST, total_charge=510), [("CLAIM_TOTAL_MISMATCH", "$.total_charge")],
     [("X12_CLAIM_TOTAL_MISMATCH", "$.total_charge")]),
    (claim(PROF, {2: {"charge": -50}}, total_charge=100),
     [("CHARGE_NEGATIVE", "$.service_lines[2].charge")],
     [("X12_AMOUNT_NEGATIVE", "$.service_lines[2].charge")]),
    (claim(PROF, frequency_code="7"), [("CORRECTED_CLAIM_ID_MISSING", "$.frequency_code")],
     [("X12_SEGMENT_MISSING", "$.frequency_code")]),
    (claim(PROF, frequency_code="1", corrected_claim_id="PCN0001234"),
     [("CORRECTED_CLAIM_ID_UNEXPECTED", "$.corrected_claim_id")],
     [("X12_SEGMENT_NOT_USED", "$.corrected_claim_id")]),
]


def _837(d: dict[str, Any]) -> str:
    """The claim as an 837 (write_837 refuses a claim that does not balance or misuses
    REF*F8: it is written right, then the segment is changed as a sender would)."""
    good = claim(d, total_charge=sum(ln["charge"] for ln in d["service_lines"]),
                 frequency_code="7" if d.get("frequency_code") == "7" else None,
                 corrected_claim_id="PCN0001234" if "corrected_claim_id" in d or
                 d.get("frequency_code") == "7" else None)
    if good.get("frequency_code") != "7":
        good.pop("corrected_claim_id", None)
    text = x12.write_837([Claim.from_dict(good)], date=dt.date(2025, 11, 10), newline="\n")
    assert isinstance(text, str)
    total = f"CLM*{d['claim_id']}*{good['total_charge']}*"
    assert total in text
    text = text.replace(total, f"CLM*{d['claim_id']}*{d['total_charge']}*")
    if d.get("frequency_code") == "7":
        text = text.replace("REF*F8*PCN0001234~\n", "")
    if d.get("corrected_claim_id"):
        clm = next(s for s in text.split("\n") if s.startswith("CLM*"))
        text = text.replace(clm, f"{clm}\nREF*F8*{d['corrected_claim_id']}~")
    return text


@pytest.mark.parametrize(("d", "said", "x12_said"), BAD)
def test_every_door_says_it_once(d: dict[str, Any], said: list[tuple[str, str]],
                                 x12_said: list[tuple[str, str]]) -> None:
    c = Claim.from_dict(d)
    assert [(f.rule, f.path) for f in CHECKER.check(c).findings] == said
    [result] = fhir.check_each(fhir.from_claim(c))
    assert [(f.rule, f.path) for f in result.findings] == said
    [result] = [r for r in x12.check(_837(d)) if r.kind == "claim"]
    assert [(f.rule, f.finding.path) for f in result.findings] == x12_said


@pytest.mark.parametrize(("d", "issue"), [
    (BAD[0][0], "business-rule"), (BAD[2][0], "value"), (BAD[3][0], "required"),
    (BAD[4][0], "business-rule")])
def test_the_fhir_outcome_gives_each_its_issue_type(d: dict[str, Any], issue: str) -> None:
    """A negative charge is a wrong value and a replacement without the claim it corrects
    lacks a required element (FHIR IssueType ``value``, ``required``), as UNITS_INVALID
    and DX_MISSING are; a total against its lines is a business rule."""
    [result] = fhir.check_each(fhir.from_claim(Claim.from_dict(d)))
    assert [(i["details"]["coding"][0]["code"], i["code"])
            for i in result.to_outcome()["issue"]
            if i["details"]["coding"][0]["code"] in EDITS] == [
        (rule, issue) for rule, _ in next(b[1] for b in BAD if b[0] is d)]


def test_the_command_line_says_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "claim.json"
    path.write_text(json.dumps(claim(PROF, total_charge=210)), encoding="utf-8")
    assert main(["check", str(path), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in out["findings"]] == ["CLAIM_TOTAL_MISMATCH"]


def test_a_pandas_table_says_it_and_reads_the_corrected_claim_id() -> None:
    pd = pytest.importorskip("pandas")
    import codekit.pandas as ckpd

    def rows(**claim_fields: Any) -> Any:
        return pd.DataFrame([
            {"claim_id": "P1", "claim_type": "professional", "payer": "medicare",
             "date_of_service": "2025-11-03", "sex": "F", "birth_date": "1956-03-02",
             "dx1": "E11.9", "dx2": "I10", "procedure_code": code, "units": 1,
             "pointer1": 1, "charge": charge, **claim_fields}
            for code, charge in (("99213", 150), ("3074F", 0), ("82947", 50))])

    out = ckpd.check_claims(rows(total_charge=210))
    assert list(zip(out.rule, out.path, strict=True)) == [
        ("CLAIM_TOTAL_MISMATCH", "$.total_charge")]
    out = ckpd.check_claims(rows(total_charge=200, frequency_code="7"))
    assert list(out.rule) == ["CORRECTED_CLAIM_ID_MISSING"]
    # the column a replacement needs is read (it was not: the claim could not be right)
    assert ckpd.check_claims(rows(total_charge=200, frequency_code="7",
                                  corrected_claim_id="PCN0001234")).empty


def test_an_837_line_of_another_code_set_still_balances() -> None:
    """An 837P line coded WK (no CPT/HCPCS) is no line of the claim, but its SV102 counts
    for CLM02: the 837 balances, and the claim-level edit is not said on it."""
    d = claim(PROF, total_charge=240)
    d["service_lines"].append({"procedure_code": "93000", "units": 1,
                               "diagnosis_pointers": [1], "charge": 40})
    text = x12.write_837([Claim.from_dict(d)], date=dt.date(2025, 11, 10), newline="\n")
    assert isinstance(text, str) and "SV1*HC:93000*40*UN*1***1~" in text
    [result] = [r for r in x12.check(text.replace("SV1*HC:93000*", "SV1*WK:AAAAA*"))
                if r.kind == "claim"]
    assert len(result.claim.service_lines) == 3 and result.claim.total_charge == 240
    assert [f.rule for f in result.findings] == ["X12_PROCEDURE_CODE_SET"]


# -- LINE_DUPLICATE ------------------------------------------------------------------------


def duplicates(d: dict[str, Any]) -> list[tuple[str, tuple[Any, ...], tuple[str, ...]]]:
    return [(f.path, f.codes, f.fix) for f in CHECKER.check(Claim.from_dict(d)).findings
            if f.rule == "LINE_DUPLICATE"]


def test_an_exact_duplicate_line_is_said_with_the_repeat_modifier() -> None:
    """82947 billed twice alike (CMS CR 8121: the duplicate edits compare the lines of the
    same claim, and deny an exact duplicate); nothing said before in any door."""
    lab = {"procedure_code": "82947", "units": 1, "diagnosis_pointers": [1], "charge": 50}
    d = claim(PROF, total_charge=250)
    d["service_lines"].append(dict(lab))
    (f,) = [f for f in CHECKER.check(Claim.from_dict(d)).findings if f.rule == "LINE_DUPLICATE"]
    assert (f.severity.value, f.location, f.codes, f.fix) == (
        "warning", ("service_lines", 3, "modifiers"), ("82947",), ("91",))
    assert f.message == (
        "Line 4 (82947) is an exact duplicate of line 3 (the same code, modifiers, date, "
        "units, place of service, provider and charge), which payers deny as a duplicate "
        "(Medicare since CMS CR 8121, CARC 18); if it was done again that day, bill it as "
        "one line of more units where the code allows, or add 91 (repeat clinical "
        "laboratory test) to this line; if it was billed twice by mistake, remove the line.")
    # the FHIR door's OperationOutcome calls it a duplicate
    (result,) = fhir.check_each(fhir.from_claim(Claim.from_dict(d)))
    assert [(i["severity"], i["code"]) for i in result.to_outcome()["issue"]
            if i["details"]["coding"][0]["code"] == "LINE_DUPLICATE"] == [
        ("warning", "duplicate")]
    # another diagnosis pointed to is the same service all the same
    d["service_lines"][3]["diagnosis_pointers"] = [2]
    assert duplicates(d) == [("$.service_lines[3].modifiers", ("82947",), ("91",))]
    # 91 on the repeat, another date, other units, another charge: not a duplicate
    for change in ({"modifiers": ["91"]}, {"date_of_service": "2025-11-04"},
                   {"units": 2, "charge": 100}, {"charge": 45}):
        assert duplicates(claim(d, {3: change}, total_charge=None)) == []


def test_a_repeated_procedure_is_told_76_or_77_and_an_em_visit_to_go() -> None:
    scan = {"procedure_code": "71275", "units": 1, "diagnosis_pointers": [1]}
    d = claim(PROF, total_charge=None)
    d["service_lines"] = [dict(scan), dict(scan)]
    assert duplicates(d) == [("$.service_lines[1].modifiers", ("71275",), ("76", "77"))]
    # 76 on the second line says the repeat; a third line just like it is a duplicate
    # again, which no modifier fixes (MM8121; the count goes in the units or a note)
    d["service_lines"] = [dict(scan), {**scan, "modifiers": ["76"]},
                          {**scan, "modifiers": ["76"]}]
    assert duplicates(d) == [("$.service_lines[2].procedure_code", ("71275",), ())]
    # an E/M twice: 76/77 are no E/M modifiers; the day's visits are one E/M
    d["service_lines"] = [PROF["service_lines"][0], PROF["service_lines"][0]]
    (f,) = [f for f in CHECKER.check(Claim.from_dict(d)).findings if f.rule == "LINE_DUPLICATE"]
    # the advice is to remove the line: the finding is at its code (837 SV101-2), not at
    # the modifiers a fix would add to
    assert f.fix == () and f.path == "$.service_lines[1].procedure_code"
    assert f.message.endswith(
        "a practitioner's visits of one date are one E/M visit (Claims Processing Manual "
        "ch.12 §30.6.7: the day's visits billed once, at the level of their combined work, "
        "but for unrelated problems that could not be handled at one encounter): remove "
        "the line.")


def test_sides_and_providers_tell_lines_apart() -> None:
    knee = {"procedure_code": "20610", "units": 1, "diagnosis_pointers": [1]}
    d = claim(PROF, total_charge=None, diagnoses=["M17.0"])
    d["service_lines"] = [{**knee, "modifiers": ["RT"]}, {**knee, "modifiers": ["LT"]}]
    assert duplicates(d) == []
    d["service_lines"] = [{**knee, "rendering_provider": "1234567893"},
                          {**knee, "rendering_provider": "1245319599"}]
    assert duplicates(d) == []
    # an institutional claim: a revenue code line without a procedure code is not judged
    inst = claim(INST, total_charge=None)
    room = {"revenue_code": "0250", "units": 1, "date_of_service": "2025-11-03"}
    inst["service_lines"] += [dict(room), dict(room)]
    assert duplicates(inst) == []
    inst["service_lines"].append(dict(inst["service_lines"][1]))
    assert duplicates(inst) == [("$.service_lines[4].modifiers", ("93005",), ("76", "77"))]


def test_a_quality_data_code_or_a_drug_twice_is_not_told_76_or_77() -> None:
    """76 and 77 say a repeated procedure or service (CPT Appendix A): a quality-data code
    reports a measure's action once, and a drug's doses are the units of its line."""
    d = claim(PROF, total_charge=None)
    d["service_lines"].insert(2, dict(d["service_lines"][1]))  # 3074F $0.00 twice
    (f,) = [f for f in CHECKER.check(Claim.from_dict(d)).findings if f.rule == "LINE_DUPLICATE"]
    assert (f.path, f.codes, f.fix) == ("$.service_lines[2].procedure_code", ("3074F",), ())
    assert f.message.endswith("(Medicare since CMS CR 8121, CARC 18); a quality-data code "
                              "reports a quality measure's action for the visit, once: "
                              "remove the line.")
    inst = claim(INST, total_charge=None)
    saline = {"procedure_code": "J7030", "revenue_code": "0258", "units": 1, "charge": 30,
              "date_of_service": "2025-11-03"}
    inst["service_lines"] += [dict(saline), dict(saline)]
    (f,) = [f for f in CHECKER.check(Claim.from_dict(inst)).findings
            if f.rule == "LINE_DUPLICATE"]
    assert (f.path, f.codes, f.fix) == ("$.service_lines[3].procedure_code", ("J7030",), ())
    assert f.message.endswith(
        "a drug's doses are the units of its line (76 and 77 say a repeated procedure or "
        "service): bill the doses given that day as the units of one line; if it was billed "
        "twice by mistake, remove the line.")


@pytest.mark.parametrize(("code", "kind", "seq", "payer", "rev"), [
    ("96413", "chemotherapy infusion", "96417", "aetna", None),
    ("96365", "infusion", "96367", "aetna", None),
    ("96374", "push", "96375", "medicare", "0260"),
])
def test_an_initial_drug_administration_twice_is_told_its_sequential_code(
        code: str, kind: str, seq: str, payer: str, rev: str | None) -> None:
    """An infusion department's probe of 2026-12-07: 96413 on two lines of one date was told
    76 or 77, which do not make a second initial service (CPT's drug administration
    guidelines; NCCI Policy Manual ch.XI: one initial service a date, or an encounter)."""
    line: dict[str, Any] = {"procedure_code": code, "units": 1, "charge": 300,
                            "date_of_service": "2025-11-03"}
    if rev is not None:
        line["revenue_code"] = rev
    d: dict[str, Any] = {
        "claim_type": "institutional" if rev else "professional", "payer": payer,
        "patient": {"sex": "F", "birth_date": "1950-03-01"}, "date_of_service": "2025-11-03",
        "diagnoses": ["C18.9"], "service_lines": [dict(line), dict(line)]}
    if rev is not None:
        d["bill_type"] = "131"
    (f,) = [f for f in CHECKER.check(Claim.from_dict(d)).findings
            if f.rule == "LINE_DUPLICATE"]
    assert (f.path, f.codes, f.fix) == ("$.service_lines[1].procedure_code", (code,), (seq,))
    assert f.message.endswith(
        f"(Medicare since CMS CR 8121, CARC 18); {code} is an initial drug administration "
        f"service ({kind}), reported once a date, or an encounter for a hospital (CPT's drug "
        "administration guidelines; NCCI Policy Manual ch.XI): bill another drug's "
        f"administration after it as {seq} in place of this line, and more time of the same "
        "one as its additional-hour code; a second initial service only if a separate IV "
        "site was required, with 59 or XU on this line; if it was billed twice by mistake, "
        "remove the line.")


def test_an_ambulance_leg_without_its_pair_is_told_the_pair_not_76() -> None:
    """A0428 on two lines with no origin/destination modifier: the legs of a trip look
    alike until their pairs are added, so MOD_AMBULANCE_TRIP_MISSING (Medicare) is the one
    finding of each line, not LINE_DUPLICATE's "add 76 or 77"."""
    leg = {"procedure_code": "A0428", "units": 1, "diagnosis_pointers": [1]}
    d = claim(PROF, total_charge=None, place_of_service="41")
    d["service_lines"] = [dict(leg), dict(leg)]
    assert [(f.rule, f.path) for f in Checker().check(Claim.from_dict(d)).findings
            if f.rule in ("LINE_DUPLICATE", "MOD_AMBULANCE_TRIP_MISSING")] == [
        ("MOD_AMBULANCE_TRIP_MISSING", "$.service_lines[0].modifiers"),
        ("MOD_AMBULANCE_TRIP_MISSING", "$.service_lines[1].modifiers")]
    # the pairs tell the legs apart; the same leg twice is a duplicate again
    d["service_lines"] = [{**leg, "modifiers": ["RH"]}, {**leg, "modifiers": ["HR"]}]
    assert duplicates(d) == []
    d["service_lines"] = [{**leg, "modifiers": ["RH"]}, {**leg, "modifiers": ["RH"]}]
    assert duplicates(d) == [("$.service_lines[1].modifiers", ("A0428",), ("76", "77"))]


def test_a_wound_repair_twice_is_told_to_sum_not_76() -> None:
    """12002 on two lines (two wounds of one group): CPT sums the lengths into one code, so
    76/77 is the wrong advice; with the MUE table, MUE_EXCEEDED's summing advice is the one
    finding of the line (tests/test_ed_coder.py)."""
    d = claim(PROF, total_charge=None, diagnoses=["S01.81XA", "S51.812A"])
    d["service_lines"] = [
        {"procedure_code": "12002", "units": 1, "diagnosis_pointers": [1]},
        {"procedure_code": "12002", "units": 1, "diagnosis_pointers": [2]}]
    (f,) = [f for f in CHECKER.check(Claim.from_dict(d)).findings if f.rule == "LINE_DUPLICATE"]
    assert (f.path, f.fix) == ("$.service_lines[1].procedure_code", ())
    assert f.message.endswith(
        "repairs of one classification and anatomic group are reported once, with the code "
        "of the wounds' summed length (CPT repair guidelines, multiple wounds): add the "
        "lengths and bill the code of the total, 1 unit, on one line.")



def test_a_code_written_in_lower_case_is_the_same_code_twice() -> None:
    """J1100 and j1100 on two lines alike: the rule compares the resolved codes, but the
    plan compared the codes as written and never ran it (every door but the 837, whose
    writer refuses lower case)."""
    inst = claim(INST, total_charge=None)
    dex = {"procedure_code": "J1100", "revenue_code": "0636", "units": 1,
           "date_of_service": "2025-11-03"}
    inst["service_lines"] += [dict(dex), {**dex, "procedure_code": "j1100"}]
    assert duplicates(inst) == [("$.service_lines[3].procedure_code", ("J1100",), ())]
    (result,) = fhir.check_each(fhir.from_claim(Claim.from_dict(inst)))
    assert [(f.rule, f.path) for f in result.findings] == [
        ("LINE_DUPLICATE", "$.service_lines[3].procedure_code")]
    inst["service_lines"][3]["units"] = 2  # two doses more: no duplicate
    assert duplicates(inst) == []


# -- CLAIM_FREQUENCY_INVALID ---------------------------------------------------------------


def test_a_frequency_a_professional_claim_does_not_take_is_said_in_every_door(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """837P CLM05-3 / CMS-1500 item 22: 1, 7 or 8. Q (a reopening, an institutional type
    of bill xxQ), 9 or 5 went through every door without a word (write_837 wrote them)."""
    for frequency in ("Q", "9", "5", " 2"):
        d = claim(PROF, frequency_code=frequency)
        (f,) = CHECKER.check(Claim.from_dict(d)).findings
        assert (f.rule, f.severity.value, f.location) == (
            "CLAIM_FREQUENCY_INVALID", "error", ("frequency_code",))
        assert f.message.startswith(f"The claim frequency code {frequency.strip()!r} is not "
                                    "one a professional claim takes: 1 (an original claim), "
                                    "7 (a replacement) or 8 (a void of a claim sent before)")
        if frequency.strip() != frequency:
            continue  # (blanks around it: no FHIR code, and no X12 element, can hold it)
        c = Claim.from_dict(d)
        [result] = fhir.check_each(fhir.from_claim(c))
        assert [(g.rule, g.path) for g in result.findings] == [
            ("CLAIM_FREQUENCY_INVALID", "$.frequency_code")]
        text = x12.write_837([c], date=dt.date(2025, 11, 10), newline="\n")
        assert isinstance(text, str) and f"*11:B:{frequency}*" in text
        [result] = [r for r in x12.check(text) if r.kind == "claim"]
        assert [(g.rule, g.finding.path, g.location.element) for g in result.findings] == [
            ("CLAIM_FREQUENCY_INVALID", "$.frequency_code", "CLM05-3")]
    (f,) = CHECKER.check(Claim.from_dict(claim(PROF, frequency_code="Q"))).findings
    assert "(Q, a reopening, is an institutional claim's type of bill xxQ)" in f.message
    for frequency in ("1", "7", "8", None):
        d = claim(PROF, frequency_code=frequency,
                  corrected_claim_id="PCN0001234" if frequency in ("7", "8") else None)
        assert found(d) == [] and [f.rule for f in CHECKER.check(Claim.from_dict(d)).findings
                                   if f.rule == "CLAIM_FREQUENCY_INVALID"] == []
    path = tmp_path / "claim.json"
    path.write_text(json.dumps(claim(PROF, frequency_code="9")), encoding="utf-8")
    assert main(["check", str(path), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert [(g["rule"], g["path"]) for g in out["findings"]] == [
        ("CLAIM_FREQUENCY_INVALID", "$.frequency_code")]


def test_an_institutional_frequency_code_is_its_type_of_bills_last_character() -> None:
    """bill_type 131 (an original) with frequency_code 7: the rules read the type of bill
    and the caller said a replacement; write_837 refused the claim (CLM05-3 is both), the
    dict, command line, FHIR and pandas doors said nothing."""
    d = claim(INST, frequency_code="7")
    (f,) = CHECKER.check(Claim.from_dict(d)).findings
    assert (f.rule, f.severity.value, f.location) == (
        "CLAIM_FREQUENCY_INVALID", "error", ("frequency_code",))
    assert f.message == (
        "The claim frequency code '7' is not the last character of the type of bill 131 "
        "('1'), which is an institutional claim's frequency (UB-04 FL 4; the 837I's CLM05-3 "
        "is both) and the one read: give the type of bill whose last character is the "
        "frequency meant, or leave frequency_code out.")
    [result] = fhir.check_each(fhir.from_claim(Claim.from_dict(d)))
    assert [(g.rule, g.path) for g in result.findings] == [
        ("CLAIM_FREQUENCY_INVALID", "$.frequency_code")]
    # agreeing, or not given, or a claim without a type of bill: nothing
    assert found(claim(INST, frequency_code="1")) == []
    assert [g.rule for g in CHECKER.check(Claim.from_dict(claim(
        INST, bill_type="0137", frequency_code="7", corrected_claim_id="PCN0001234"))).findings
    ] == []
    assert [g.rule for g in CHECKER.check(Claim.from_dict(claim(
        INST, bill_type="013Q", frequency_code="Q"))).findings] == []
    # no type of bill: frequency_code is the frequency (a late charge, 5, is one)
    assert [g.rule for g in CHECKER.check(Claim.from_dict(claim(
        INST, bill_type=None, frequency_code="5"))).findings] == []
    pd = pytest.importorskip("pandas")
    import codekit.pandas as ckpd
    rows = pd.DataFrame([
        {"claim_id": "I1", "claim_type": "institutional", "payer": "medicare",
         "bill_type": "131", "frequency_code": "7", "corrected_claim_id": "PCN0001234",
         "date_of_service": "2025-11-03", "sex": "M", "birth_date": "1950-05-05",
         "dx1": "R07.9", "dx2": "I10", "procedure_code": code, "revenue_code": rev,
         "units": 1, "charge": charge, "total_charge": 500}
        for code, rev, charge in (("99284", "0450", 400), ("93005", "0730", 100))])
    out = ckpd.check_claims(rows)
    assert list(zip(out.rule, out.path, strict=True)) == [
        ("CLAIM_FREQUENCY_INVALID", "$.frequency_code"),
        ("CORRECTED_CLAIM_ID_UNEXPECTED", "$.corrected_claim_id")]


# -- LINE_ID_DUPLICATE ---------------------------------------------------------------------


def test_a_line_id_given_twice_is_said_in_every_door() -> None:
    """837 2400 REF*6R: the line item control number is unique within the claim (TR3 note;
    X12 RFI 1917), which the remittance returns to match each line; two lines of one id
    went through every door (write_837 wrote REF*6R*A1 twice, the 837 door took it)."""
    d = claim(PROF, {0: {"line_id": "A1"}, 1: {"line_id": "A1"}, 2: {"line_id": "A2"}})
    (f,) = CHECKER.check(Claim.from_dict(d)).findings
    assert (f.rule, f.severity.value, f.location) == (
        "LINE_ID_DUPLICATE", "error", ("service_lines", 1, "line_id"))
    assert f.message == (
        "Line 2: its line id 'A1' (837 REF*6R, the line item control number) is also that "
        "of line 1: each line of a claim has an id of its own, which the payer returns on "
        "the remittance (835 REF*6R) to match its payment to the line; give this line "
        "another id.")
    c = Claim.from_dict(d)
    [result] = fhir.check_each(fhir.from_claim(c))
    assert [(g.rule, g.path) for g in result.findings] == [
        ("LINE_ID_DUPLICATE", "$.service_lines[1].line_id")]
    text = x12.write_837([c], date=dt.date(2025, 11, 10), newline="\n")
    assert isinstance(text, str) and text.count("REF*6R*A1~") == 2
    [result] = [r for r in x12.check(text) if r.kind == "claim"]
    assert [(g.rule, g.finding.path, g.location.element) for g in result.findings] == [
        ("LINE_ID_DUPLICATE", "$.service_lines[1].line_id", "REF02")]
    # ids of their own, or none on some lines: nothing (an id is compared as written:
    # X12 takes leading spaces as significant, RFI 2224)
    assert [g.rule for g in CHECKER.check(Claim.from_dict(claim(
        PROF, {0: {"line_id": "A1"}, 1: {"line_id": "A2"}}))).findings] == []
    assert [g.rule for g in CHECKER.check(Claim.from_dict(claim(
        PROF, {0: {"line_id": "A1"}, 1: {"line_id": " A1"}}))).findings] == []
    assert [g.rule for g in CHECKER.check(Claim.from_dict(claim(
        PROF, {2: {"line_id": "A1"}}))).findings] == []


# -- the UB-04 total line ------------------------------------------------------------------


def test_the_ub04_total_line_is_no_service_to_the_line_edits() -> None:
    """A claim read from a UB-04 carries its total line (revenue code 0001, line 23): no
    units (FL 46), no HCPCS code, and the bill's creation date in FL 45. It got
    REVENUE_CODE_REQUIRES_HCPCS (I/OCE edit 48: the I/OCE table has 0001, status E1, but
    the I/OCE never receives it), UNITS_INVALID and LINE_DATE_OUTSIDE_PERIOD."""
    d = claim(INST, statement_period=["2025-11-03", "2025-11-03"])
    d["service_lines"].append({"revenue_code": "0001", "charge": 500})
    assert [(f.rule, f.path) for f in Checker().check(Claim.from_dict(d)).findings] == []
    d["service_lines"][2].update(units=1, date_of_service="2025-11-10")  # the creation date
    assert [(f.rule, f.path) for f in Checker().check(Claim.from_dict(d)).findings] == []
    [result] = fhir.check_each(fhir.from_claim(Claim.from_dict(d)))
    assert [f.rule for f in result.findings] == []
    # a service line of revenue code 0450 without its HCPCS code is still told to give it,
    # and a service line dated after the period is still said
    d["service_lines"][2].update(revenue_code="0450", charge=0)
    assert [(f.rule, f.path) for f in Checker().check(Claim.from_dict(d)).findings] == [
        ("LINE_DATE_OUTSIDE_PERIOD", "$.service_lines[2].date_of_service"),
        ("REVENUE_CODE_REQUIRES_HCPCS", "$.service_lines[2].procedure_code")]
    del d["service_lines"][2]["units"]
    assert "UNITS_INVALID" in [f.rule for f in Checker().check(Claim.from_dict(d)).findings]


# -- a FHIR Claim's related prior ----------------------------------------------------------


def test_a_fhir_prior_claim_without_its_frequency_is_not_called_an_original() -> None:
    """FHIR R4: related.relationship prior is "a prior claim instance for the same intended
    suite of services": the claim says it follows that one, not whether it replaces (7)
    or voids (8) it. Without the X12 frequency it was told it is an original claim."""
    resource = fhir.from_claim(Claim.from_dict(
        claim(PROF, frequency_code="7", corrected_claim_id="PCN0001234")))
    resource["supportingInfo"] = [
        si for si in resource["supportingInfo"]
        if not any(c.get("system") == "https://codesystem.x12.org/005010/1325"
                   for c in si.get("code", {}).get("coding", []))]
    [result] = fhir.check_each(resource)
    (f,) = result.findings
    assert (f.rule, f.path) == ("CORRECTED_CLAIM_ID_UNEXPECTED", "$.corrected_claim_id")
    assert f.message == (
        "The claim names 'PCN0001234' as the claim it corrects, but its frequency is not "
        "given (an 837 sends 1, an original claim, then), neither a replacement (7) nor a "
        "void (8): the claim control number is sent on those only; leave corrected_claim_id "
        "out, or give the frequency of the correction.")


# -- a place of service on an institutional claim ------------------------------------------


def test_a_place_of_service_on_an_institutional_claim_does_not_tell_lines_apart() -> None:
    """The UB-04 and the 837I have no place of service (CLM05-1 is the facility type code);
    a FHIR item may carry one (CARIN's inpatient EOB example: 21). It is legal there and
    not flagged, and two lines of an institutional claim that differ by it alone are the
    same service to the duplicate edit, as an 837I (which cannot send it) shows them."""
    assert found(claim(INST, place_of_service="11")) == []
    assert CHECKER.check(Claim.from_dict(claim(INST, place_of_service="11"))).findings == ()
    inst = claim(INST, total_charge=None)
    inst["service_lines"].append({**inst["service_lines"][1], "place_of_service": "22"})
    assert duplicates(inst) == [("$.service_lines[2].modifiers", ("93005",), ("76", "77"))]
    # a professional claim's lines at two places are two services
    d = claim(PROF, total_charge=None)
    d["service_lines"].append({**d["service_lines"][2], "place_of_service": "22"})
    assert duplicates(d) == []

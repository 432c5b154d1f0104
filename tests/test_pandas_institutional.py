"""codekit.pandas with a hospital's extract: one row per revenue line (the claim's columns
repeated), a diagnosis table with sequence and POA, an ICD-10-PCS procedure table with
dates. Every institutional field of the claim reaches the checker, and the findings say
where on the claim they are."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest

import codekit.pandas as ckpd
from codekit import Claim, InvalidArgument

#: A Medicare inpatient stay (type of bill 111) and an outpatient visit (131), one row per
#: revenue line, as a UB-04 extract has them.
BASE = {"claim_type": "institutional", "payer": "medicare", "sex": "F", "age": 70}


def _stay(**more: object) -> pd.DataFrame:
    return pd.DataFrame({
        "claim_id": ["H1", "H1"], **BASE, "bill_type": [111, 111],
        "statement_from": pd.to_datetime(["2025-11-01"] * 2),
        "statement_through": pd.to_datetime(["2025-11-03"] * 2),
        "revenue_code": ["0120", "0450"], "procedure_code": [np.nan, "99283"],
        "line_date": ["2025-11-01", "2025-11-02"], "units": 1,
        "admitting_diagnosis": "R07.9", **more})


def _found(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return [(r.claim_id, None if pd.isna(r.line) else int(r.line), r.rule, r.path)
            for r in frame.itertuples()]


def test_revenue_only_lines_are_lines() -> None:
    """A row with a revenue code and no procedure code (None, NaN, "" or spaces: room and
    board, pharmacy) was dropped as a "claim-only row" without a word: its date, units and
    charge were never checked. It is a revenue-code-only line now; a revenue code read as
    a number (120 from a CSV) is its four digits."""
    lines = pd.DataFrame({
        "claim_id": ["H2"] * 4, **BASE, "bill_type": "0131",
        "statement_from": "2025-11-05", "statement_through": "2025-11-05", "dx1": "R07.9",
        "revenue_code": [120, "0250", "0300", "0450"],
        "procedure_code": [None, np.nan, "  ", "99283"],
        "line_date": ["2025-11-06", "2025-11-05", "2025-11-05", "2025-11-05"], "units": 1})
    before = lines.copy()
    (claim,) = ckpd.claims_of(lines)
    assert isinstance(claim, dict)
    assert [(ln["line"], ln["revenue_code"], ln.get("procedure_code"))
            for ln in claim["service_lines"]] == [
        (1, "0120", None), (2, "0250", None), (3, "0300", None), (4, "0450", "99283")]
    found = ckpd.check_claims(lines)
    # room and board (0120) and laboratory (0300) need a HCPCS code on a 13x claim (I/OCE
    # edit 48); pharmacy (0250) does not
    assert _found(found) == [
        ("H2", 1, "LINE_DATE_OUTSIDE_PERIOD", "$.service_lines[0].date_of_service"),
        ("H2", 1, "REVENUE_CODE_REQUIRES_HCPCS", "$.service_lines[0].procedure_code"),
        ("H2", 3, "REVENUE_CODE_REQUIRES_HCPCS", "$.service_lines[2].procedure_code")]
    assert found.loc[0, "message"].startswith("Line 1 is dated 2025-11-06, after the period "
                                              "ends (the statement covers 2025-11-05 to "
                                              "2025-11-05)")
    pd.testing.assert_frame_equal(lines, before)


def test_institutional_columns_reach_the_claim() -> None:
    """statement_from/statement_through, admission_date, poa1..., visit_reason1...,
    condition_code1..., pcs1... with pcs_date1..., opps were not read (the claim was
    judged without its period, its POA indicators, its PCS procedures). Each finding is
    at its place on the claim."""
    stay = _stay(admission_date=pd.to_datetime(["2025-11-01", None]),
                 admitting_diagnosis="R07", dx1="I21.4", poa1="Q", dx2="E11.9", poa2="N",
                 pcs1="02703ZZ", pcs_date1="2025-11-02", pcs2="0270")
    visit = pd.DataFrame({
        "claim_id": ["H2"], **BASE, "bill_type": ["0131"], "statement_from": "2025-11-05",
        "statement_through": "2025-11-05", "dx1": "R07.9", "visit_reason1": "R07.9",
        "visit_reason2": "XYZ", "condition_code1": [7.0], "opps": [True],
        "revenue_code": ["0450"], "procedure_code": ["99283"], "line_date": "2025-11-05",
        "units": 1})
    lines = pd.concat([stay, visit], ignore_index=True)
    h1, h2 = ckpd.claims_of(lines)
    assert isinstance(h1, dict) and isinstance(h2, dict)
    assert h1["statement_period"] == ["2025-11-01T00:00:00", "2025-11-03T00:00:00"]
    assert h1["admission_date"] == "2025-11-01T00:00:00"
    assert h1["bill_type"] == 111
    assert h1["diagnoses"] == [{"code": "I21.4", "poa": "Q"}, {"code": "E11.9", "poa": "N"}]
    assert h1["procedures"] == [{"code": "02703ZZ", "date": "2025-11-02"}, "0270"]
    assert (h2["visit_reasons"], h2["condition_codes"], h2["opps"]) == (
        ["R07.9", "XYZ"], ["07"], True)
    assert _found(ckpd.check_claims(lines)) == [
        ("H1", None, "DX_NOT_BILLABLE", "$.admitting_diagnosis"),
        ("H1", None, "PCS_FORMAT_INVALID", "$.procedures[1].code"),
        ("H1", None, "POA_INVALID", "$.diagnoses[0].poa"),
        ("H2", None, "DX_FORMAT_INVALID", "$.visit_reasons[1]")]


def test_diagnosis_and_procedure_tables() -> None:
    """The diagnoses and procedures as tables of their own (one row per code, in
    sequence order, with POA and procedure dates), put with the lines by claim id; a
    claim found only in the diagnosis table, and a diagnosis row without a claim id, are
    results of their own, never dropped."""
    lines = pd.concat([_stay(admission_date="2025-11-01"),
                       _stay().assign(claim_id=7, bill_type="0111")], ignore_index=True)
    dx = pd.DataFrame({"Claim ID": ["H1", "H1", "H1", "7", "H9", None],
                       "DX Sequence": [2, 1, np.nan, 1.0, 1, 1],
                       "Diagnosis Code": ["E11.9", "I21.4", "I10", "I21.4", "I10", "I10"],
                       "POA": ["N", "Y", None, "Y", "Y", "Y"]})
    px = pd.DataFrame({"claim_id": ["H1", "H1"], "PCS Code": ["0270", "02703ZZ"],
                       "sequence": [2, 1],
                       "Procedure Date": pd.to_datetime(["2025-11-02", "2025-11-02"])})
    read = ckpd.claims_of(lines, diagnoses=dx, procedures=px,
                          columns={"claim_id": "claim_id"})
    h1, seven = read[0], read[1]
    assert isinstance(h1, dict) and isinstance(seven, dict)
    assert h1["diagnoses"] == [{"code": "I21.4", "poa": "Y"}, {"code": "E11.9", "poa": "N"},
                               "I10"]
    assert h1["procedures"] == [{"code": "02703ZZ", "date": "2025-11-02T00:00:00"},
                                {"code": "0270", "date": "2025-11-02T00:00:00"}]
    assert seven["diagnoses"] == [{"code": "I21.4", "poa": "Y"}]
    found = ckpd.check_claims(lines, diagnoses=dx.rename(columns={"Claim ID": "claim_id"}),
                              procedures=px)
    assert _found(found) == [
        ("H1", None, "PCS_FORMAT_INVALID", "$.procedures[1].code"),
        ("H1", None, "POA_MISSING", "$.diagnoses[2].poa"),
        (None, None, "CLAIM_FORMAT_INVALID", "$.claim_id"),
        ("H9", None, "CLAIM_FORMAT_INVALID", "$.claim_id")]
    assert found.loc[2, "message"] == (
        "missing on row 5 of the diagnoses table: a diagnosis without its claim's id "
        "cannot be put with its claim, so it was not checked")
    assert found.loc[3, "message"] == (
        "'H9' is in the diagnoses table but has no row in lines: its codes were not "
        "checked")
    assert found.attrs["codekit"]["claims"] == 4


def test_statement_period_with_one_date_is_said() -> None:
    """A period with its through date blank (NaT) would reach the claim as half a period,
    which the claim reader drops without a word: it is a finding at that date."""
    lines = _stay(dx1="I21.4", poa1="Y")
    lines.loc[:, "statement_through"] = pd.NaT
    found = ckpd.check_claims(lines)
    assert _found(found) == [("H1", None, "CLAIM_FORMAT_INVALID", "$.statement_period[1]")]
    assert found.loc[0, "message"] == (
        "statement_through is blank but statement_from is '2025-11-01T00:00:00': the "
        "statement covers period needs both dates")


def test_poa_beside_diagnoses_keeps_positions() -> None:
    """A poa cell beside a diagnoses cell: one indicator per code, a blank between commas
    is a code without one (it must not shift the next code's indicator onto it); an
    indicator without its diagnosis is said."""
    lines = _stay(diagnoses="I21.4, E11.9, I10", poa="Y,,N")
    (claim,) = ckpd.claims_of(lines)
    assert isinstance(claim, dict)
    assert claim["diagnoses"] == [{"code": "I21.4", "poa": "Y"}, "E11.9",
                                  {"code": "I10", "poa": "N"}]
    orphan = ckpd.check_claims(_stay(dx1="I21.4", poa1="Y", poa3="N"))
    assert _found(orphan) == [("H1", None, "CLAIM_FORMAT_INVALID", "$.diagnoses")]
    assert orphan.loc[0, "message"] == ("poa3 is 'N' but there is no diagnosis 3 for it: a "
                                        "POA indicator goes with the diagnosis of its "
                                        "number")


def test_lines_that_disagree_on_poa() -> None:
    lines = _stay(dx1="I21.4", poa1=["Y", "N"])
    found = ckpd.check_claims(lines)
    assert _found(found) == [("H1", None, "CLAIM_FORMAT_INVALID", "$.diagnoses")]
    assert found.loc[0, "message"].startswith(
        "the lines of the claim disagree on poa1: 'Y' (row 0), 'N' (row 1)")


@pytest.mark.parametrize(("column", "said"), [
    ("Type of Bill", "columns={'bill_type': 'Type of Bill'}"),
    ("admit_dx", "columns={'admitting_diagnosis': 'admit_dx'}"),
    ("Rev Code", "columns={'revenue_code': 'Rev Code'}"),
    ("thru_date", "columns={'statement_through': 'thru_date'}"),
    ("line_date_of_service", "columns={'line_date': 'line_date_of_service'}"),
    ("statement_period", "statement_from and statement_through"),
])
def test_institutional_names_not_read_are_said(column: str, said: str) -> None:
    """A UB-04 extract's usual names (type of bill, admitting dx, revenue code, the
    period's dates, Spark's line_date_of_service) were not read, so the claims were
    checked without them: the call says which name reads each."""
    lines = pd.DataFrame({"claim_id": ["H1"], **BASE, "dx1": "I10",
                          "procedure_code": ["99283"], column: ["x"]})
    with pytest.raises(InvalidArgument, match=said.replace("(", r"\(").replace("{", r"\{")):
        ckpd.check_claims(lines)


def test_diagnoses_from_two_places_raise() -> None:
    dx = pd.DataFrame({"claim_id": ["H1"], "code": ["I10"]})
    with pytest.raises(InvalidArgument, match="diagnoses come from two places: the "
                       "diagnoses table and the column\\(s\\) 'dx1' of lines"):
        ckpd.check_claims(_stay(dx1="I21.4"), diagnoses=dx)
    with pytest.raises(InvalidArgument, match="diagnoses: the table needs a code column"):
        ckpd.check_claims(_stay(), diagnoses=dx.rename(columns={"code": "icd"}))


@pytest.mark.parametrize("column", ["condition_code1", "condition_codes"])
@pytest.mark.parametrize("written", [" 41", "41 "])
def test_a_condition_code_with_spaces_is_the_code(column: str, written: str) -> None:
    """A CSV cell " 41" (a fixed-width export) is condition code 41, in a numbered column
    as in a list column: a CMHC claim (761, 2024-03-01) with partial hospitalization is not
    returned by I/OCE edit 118. In condition_code1 it was not (a false BILL_TYPE_INVALID)."""
    lines = pd.DataFrame({
        "claim_id": ["P1", "P1"], **BASE, "bill_type": "761",
        "statement_from": "2024-03-01", "statement_through": "2024-03-01", "dx1": "F33.1",
        column: written, "revenue_code": ["0915", "0730"],
        "procedure_code": ["G0410", "93000"], "line_date": "2024-03-01", "units": 1})
    assert _found(ckpd.check_claims(lines)) == [
        ("P1", 2, "PROC_NOT_BILLABLE_TO_MAC", "$.service_lines[1].procedure_code")]


def _snf_last_bill(**more: object) -> pd.DataFrame:
    """A SNF's last bill (214) whose covered care ended on its through date, 2025-06-18,
    with the patient discharged home (status 01), one row per revenue line."""
    return pd.DataFrame({
        "claim_id": ["S1", "S1"], **BASE, "bill_type": "214",
        "statement_from": "2025-06-01", "statement_through": "2025-06-18",
        "admission_date": "2025-05-20", "discharge_status": 1, "dx1": "I69.351",
        "revenue_code": ["0022", "0420"], "procedure_code": ["HAAA1", "97110"],
        "line_date": "2025-06-18", "units": [18, 1], **more})


def test_codes_that_lost_their_leading_zeros_are_padded_text_or_number() -> None:
    """A CSV Excel saved drops the leading zeros of its codes, and read_csv(dtype=str) keeps
    what is left as text: discharge status "1", revenue code "22" (0022, the SNF's HIPPS
    line), "420" (0420), beside rows that kept "01". A number was padded (1: 01), text was
    not, and the claim's rows "1" and "01" disagreed (CLAIM_FORMAT_INVALID, the claim not
    checked). NUBC codes have a fixed number of digits, so text of fewer digits is padded
    as the number is, and the claim is judged as the table with its zeros is."""
    lines = _snf_last_bill(occurrence_code1=22, occurrence_date1="2025-06-18").astype(str)
    expected = [("S1", None, "SNF_ACTIVE_CARE_ENDED_STATUS", "$.discharge_status"),
                ("S1", None, "BILL_TYPE_NOT_EDITED_BY_CMS", "$.bill_type")]  # a notice
    assert _found(ckpd.check_claims(lines)) == expected
    lost = lines.assign(discharge_status=["1", "01"], revenue_code=["22", "420"],
                        occurrence_code1=["22", "22"])
    assert _found(ckpd.check_claims(lost)) == expected
    (claim,) = ckpd.claims_of(lost)
    assert isinstance(claim, dict)
    assert (claim["discharge_status"], [ln["revenue_code"] for ln in claim["service_lines"]]
            ) == ("01", ["0022", "0420"])


def test_occurrence_span_and_value_codes_are_numbered_columns() -> None:
    """An extract's occurrence codes (occurrence_code1 with occurrence_date1...),
    occurrence spans (occurrence_span_code1, _from1, _through1) and value codes
    (value_code1, value_amount1): the claim's (UB-04 FL 31-41, 837I HI BH, BI, BE), as
    the ICD-10-PCS pcs1 come with pcs_date1. Occurrence code 22 on the through date with
    status 01 is SNF_ACTIVE_CARE_ENDED_STATUS, as from a claim dict; the columns were not
    read (the claim was clean). A code read as a number is its two digits."""
    lines = _snf_last_bill(
        occurrence_code1=22, occurrence_date1=pd.Timestamp("2025-06-18"),
        occurrence_code2="A3", occurrence_date2="2025-06-02",
        **{"Occurrence Span Code 1": "70", "occurrence_span_from1": "2025-05-16",
           "occurrence_span_through1": "2025-05-19"},
        value_code1=80, value_amount1=18.0)
    (claim,) = ckpd.claims_of(lines)
    assert isinstance(claim, dict)
    assert (claim["occurrence_codes"], claim["occurrence_spans"], claim["value_codes"]) == (
        [{"code": "22", "date": "2025-06-18T00:00:00"}, {"code": "A3", "date": "2025-06-02"}],
        [{"code": "70", "from": "2025-05-16", "through": "2025-05-19"}],
        [{"code": "80", "amount": 18}])
    found = ckpd.check_claims(lines)
    assert _found(found[found.kind == "finding"]) == [
        ("S1", None, "SNF_ACTIVE_CARE_ENDED_STATUS", "$.discharge_status")]


def test_an_occurrence_date_without_its_code_is_said() -> None:
    """A date or amount without a code of its number is said at its field (as a
    pcs_date without its pcs is); a code without its date is the claim reader's
    missing date."""
    found = ckpd.check_claims(_snf_last_bill(occurrence_date2="2025-06-02",
                                             occurrence_code1="22"))
    assert [(r.rule, r.path, r.message) for r in found.itertuples()] == [
        ("CLAIM_FORMAT_INVALID", "$.occurrence_codes",
         "occurrence_date2 is '2025-06-02' but there is no occurrence_code2: a date goes "
         "with the code of its number"),
        ("CLAIM_FORMAT_INVALID", "$.occurrence_codes[0].date", "missing")]


@pytest.mark.parametrize("bills", [["111", "0111"], [111, "0111"], ["0111", " 111"],
                                   ["111", "0111 "]])
def test_a_type_of_bill_of_three_digits_and_of_four_is_one(bills: list[object]) -> None:
    """The 837I writes the type of bill in three digits (CLM05-1 and CLM05-3), the
    UB-04 in four with a leading 0 (FL 4): rows of one stay that mix the two ("111" from
    one extract, "0111" from another) were rows that disagree, a CLAIM_FORMAT_INVALID
    that left the stay unchecked, though the checker reads both as class 11. The Spark
    door merges them alike; a real difference (111 and 0131) is still said. Both doors
    compare by one key (codekit._text.cell_key): "111" and "0111 " (a fixed-width
    extract's trailing space) were one bill to the pandas door and two to the Spark door."""
    from codekit.spark._worker import _DISAGREE, _merged

    same = ckpd.check_claims(_stay(bill_type=bills))
    assert ckpd.check_claims(_stay()).equals(same)
    assert "CLAIM_FORMAT_INVALID" not in set(same["rule"])
    assert _merged(bills[0], bills[1], "bill_type") is bills[0]
    differ = ckpd.check_claims(_stay(bill_type=["111", "0131"]))
    assert _found(differ)[:1] == [("H1", None, "CLAIM_FORMAT_INVALID", "$.bill_type")]
    assert _merged("111", "0131", "bill_type") is _DISAGREE


def test_an_ndc_that_lost_its_leading_zeros_is_its_11_digits() -> None:
    """A hospital's drug line (revenue code 0636, J1100 dexamethasone) with NDC
    00009034702 (11 digits, 5-4-2: what an 837's LIN03 holds). Written to CSV and read
    back, the NDC column is numbers: the claim held '9034702', which write_837 refused
    ("not an NDC as LIN03 holds it"), and a policy on the NDC did not match it. No NDC
    layout has fewer than 10 digits, so such a cell (a number, or text Excel saved) is
    the 11-digit NDC zero-padded; ten digits of text (a 10-digit NDC, whose layout is not
    known) are left as they are."""
    pytest.importorskip("pyx12")
    from codekit.x12 import read_claims, write_837

    lines = pd.DataFrame({
        "claim_id": ["O1", "O1"], **BASE, "patient_name": "ROE, ANN",
        "bill_type": "131", "date_of_service": "2025-11-03",
        "statement_from": "2025-11-03", "statement_through": "2025-11-03", "dx1": "J45.909",
        "revenue_code": ["0636", "0636"], "procedure_code": ["J1100", "J1100"],
        "ndc": ["00009034702", "0009034702"], "units": 1, "line_date": "2025-11-03",
        "charge": [40, 40], "line": [1, 2]}).drop(columns="age").assign(
            birth_date="1955-03-01")
    csv = lines.to_csv(index=False)
    numbers = pd.read_csv(io.StringIO(csv))
    assert numbers["ndc"].tolist() == [9034702, 9034702]
    excel = pd.read_csv(io.StringIO(csv), dtype=str).assign(ndc=["9034702", "0009034702"])
    for frame, ndcs in ((lines, ["00009034702", "0009034702"]),
                        (numbers, ["00009034702", "00009034702"]),
                        (excel, ["00009034702", "0009034702"])):
        (claim,) = ckpd.claims_of(frame)
        assert isinstance(claim, dict)
        assert [ln["ndc"] for ln in claim["service_lines"]] == ndcs
    (claim,) = ckpd.claims_of(numbers)
    assert isinstance(claim, dict)
    text = write_837([Claim.from_dict(claim)], date=dt.date(2025, 11, 10), newline="\n")
    assert isinstance(text, str)
    assert [s for s in text.splitlines() if s.startswith("LIN")] == [
        "LIN**N4*00009034702~"] * 2
    (back,) = [r.claim for r in read_claims(text.encode()) if r.kind == "claim"]
    assert back is not None
    assert [ln.ndc for ln in back.service_lines] == ["00009034702"] * 2

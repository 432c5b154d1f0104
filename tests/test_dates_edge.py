"""Dates of service at the edges: a date argument of any type means its own day, and what
the data does not cover is said, never answered silently."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

import codekit
from codekit import icd10cm, icd10pcs, ncci, poa

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# One instant, two days of service: 2025-10-01 in UTC, 2025-09-30 in New York.
OCT_1_UTC = dt.datetime(2025, 10, 1, 0, 30, tzinfo=dt.UTC)
SEP_30_NY = dt.datetime(2025, 9, 30, 20, 30, tzinfo=NEW_YORK)


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    codekit.clear_caches()


@pytest.mark.parametrize("first", [OCT_1_UTC, SEP_30_NY])
def test_equal_instants_in_two_zones_are_two_days_for_icd10cm(first: dt.datetime) -> None:
    """G35 was billable until 2025-09-30: whichever instant is asked first, each datetime
    is answered on its own day."""
    assert OCT_1_UTC == SEP_30_NY
    icd10cm.is_valid("G35", on=first)
    icd10cm.lookup("G35", on=first)
    assert icd10cm.is_valid("G35", on=SEP_30_NY) is True
    assert icd10cm.is_valid("G35", on=OCT_1_UTC) is False
    assert icd10cm.lookup("G35", on=SEP_30_NY).billable is True
    assert icd10cm.lookup("G35", on=OCT_1_UTC).billable is False
    assert icd10cm.validate("G35", on=SEP_30_NY).on == dt.date(2025, 9, 30)
    with pytest.raises(codekit.NotValidOnDate, match="not valid on 2025-10-01"):
        icd10cm.validate("G35", on=OCT_1_UTC)


@pytest.mark.parametrize("first", [OCT_1_UTC, SEP_30_NY])
def test_equal_instants_in_two_zones_are_two_days_for_icd10pcs(first: dt.datetime) -> None:
    icd10pcs.lookup("0DTJ4ZZ", on=first)
    icd10pcs.is_valid("0DTJ4ZZ", on=first)
    assert icd10pcs.lookup("0DTJ4ZZ", on=SEP_30_NY).on == dt.date(2025, 9, 30)
    assert icd10pcs.lookup("0DTJ4ZZ", on=OCT_1_UTC).on == dt.date(2025, 10, 1)
    assert icd10pcs.lookup("0DTJ4ZZ", on=SEP_30_NY).release == "FY2025"
    assert icd10pcs.lookup("0DTJ4ZZ", on=OCT_1_UTC).release == "FY2026"


@pytest.mark.parametrize("first", [OCT_1_UTC, SEP_30_NY])
def test_equal_instants_in_two_zones_are_two_quarters_for_ncci(first: dt.datetime) -> None:
    """The hospital PTP edit 0010U/87513 takes effect on 2025-10-01."""
    ptp = ncci.hospital_ptp()
    ptp.pair("0010U", "87513", on=first)
    assert ptp.pair("0010U", "87513", on=SEP_30_NY) is None
    edit = ptp.pair("0010U", "87513", on=OCT_1_UTC)
    assert edit is not None and edit.effective == dt.date(2025, 10, 1)
    assert ptp.indicator("0010U", "87513", on=SEP_30_NY) is None
    assert ptp.indicator("0010U", "87513", on=OCT_1_UTC) == 1


def test_a_numpy_month_is_not_a_date_for_ncci_either() -> None:
    """np.datetime64("2025-10") equals its first day, but every verb refuses a month."""
    np = pytest.importorskip("numpy")
    ptp = ncci.hospital_ptp()
    assert ptp.pair("29881", "29877", on=np.datetime64("2025-10-01")) is not None
    for verb in (lambda on: ptp.pair("29881", "29877", on=on),
                 lambda on: ptp.indicator("29881", "29877", on=on),
                 lambda on: icd10cm.validate("E11.9", on=on)):
        with pytest.raises(codekit.InvalidArgument, match="on='2025-10': expected a date"):
            verb(np.datetime64("2025-10"))


def test_date_view_reads_a_date_as_every_on_does() -> None:
    pd = pytest.importorskip("pandas")
    assert icd10cm.date_view(pd.Timestamp("2025-09-30 23:00")).release.id == "FY2025-04"
    assert icd10cm.date_view("2025-10-01T00:30:00Z").release.id == "FY2026"
    assert icd10cm.date_view(SEP_30_NY).day == dt.date(2025, 9, 30)
    with pytest.raises(codekit.InvalidArgument, match="day=NaT: a missing date"):
        icd10cm.date_view(pd.NaT)
    with pytest.raises(codekit.InvalidArgument, match="day='11/03/2025': expected a date"):
        icd10cm.date_view("11/03/2025")
    with pytest.raises(codekit.InvalidArgument, match="day=20251103: expected a date"):
        icd10cm.date_view(20251103)


@pytest.mark.parametrize("day", ["1900-01-01", "0001-01-01", "2015-09-30"])
def test_lookup_before_icd10cm_says_it_had_not_taken_effect(day: str) -> None:
    e = icd10cm.lookup("Z37.0", on=day)
    assert (e.covered, e.billable, e.release) == (False, False, "FY2016")
    assert e.release_note == (
        f"{day} is before ICD-10-CM took effect (2015-10-01): no ICD-10-CM code is valid "
        "then (use ICD-9-CM); titles and notes from FY2016 (October 2015).")


def test_the_pcs_note_past_the_data_keeps_its_sentences_apart() -> None:
    note = icd10pcs.lookup("0DTJ4ZZ", on="2027-04-01").note
    assert note is not None
    assert ("--tables icd10pcs_tables_2027.xml`. 2027-04-01 is after the last date "
            "codekit's ICD-10-PCS data describes (2027-03-31)") in note


@pytest.mark.parametrize("year", ["2026", 2026.0, True, "FY2026"])
def test_poa_exempt_codes_refuses_a_year_that_is_not_an_integer(year: object) -> None:
    """"2026" must not be answered "no list" (None): the FY2026 list is bundled."""
    with pytest.raises(codekit.InvalidArgument, match=r"fiscal_year=.*expected a fiscal year"):
        poa.exempt_codes(year)  # type: ignore[arg-type]
    assert "Z370" in (poa.exempt_codes(2026) or ())
    assert poa.exempt_codes(2027) is None  # FY2027: no CDC list bundled


@pytest.mark.parametrize("code", [None, 370, ["Z37.0"]])
def test_poa_is_exempt_refuses_a_code_that_is_not_text(code: object) -> None:
    with pytest.raises(codekit.InvalidArgument, match=r"code=.*expected an ICD-10-CM code"):
        poa.is_exempt(code, on="2025-11-03")  # type: ignore[arg-type]


# -- what the data does not cover, and the dates codekit reads ------------------------------


def _inpatient(day: str) -> codekit.Claim:
    return codekit.Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
        "patient": {"sex": "F", "age": 30}, "date_of_service": day, "diagnoses": ["O80"],
        "service_lines": []})


@pytest.mark.parametrize(("day", "year"), [("2026-10-01", 2027), ("2018-09-30", 2018)])
def test_poa_not_run_names_the_fiscal_year_without_a_list(day: str, year: int) -> None:
    """The reason named the discharge date only; it names the fiscal year it has no list
    for (2026-10-01 is in FY2027)."""
    report = codekit.Checker().check(_inpatient(day))
    why = (f"no CDC POA-exempt list for FY{year}, the fiscal year of {day} (codekit has "
           "FY2019-FY2026)")
    assert report.not_run == (("POA_MISSING", why), ("POA_EXEMPT_REPORTED", why))


@pytest.mark.parametrize("day", ["9999-10-01", "9999-12-31"])
def test_the_pcs_note_past_the_last_fiscal_year_that_can_be_named(day: str) -> None:
    """From 9999-10-01 the fiscal year is FY10000: the note suggested adding CMS FY10000
    files effective 9999-10-01."""
    e = icd10pcs.lookup("0DTJ4ZZ", on=day)
    assert (e.release, e.title) == ("FY2026", "Resection of Appendix, Percutaneous "
                                    "Endoscopic Approach")
    assert e.note == (
        f"{day} falls in no fiscal year that can be named (the last, FY9999, ends on "
        "9999-09-30): there are no CMS files of its year to add, and such a date is "
        "usually a placeholder, not a date of service. Validity on "
        f"{day} is from the CMS MCE table (to 2027-03-31), titles and axis meanings from "
        f"FY2026. {day} is after the last date codekit's ICD-10-PCS data describes "
        "(2027-03-31); the answer is that of the last period.")
    assert "FY10000" not in e.note and "add-pcs" not in e.note
    # the last day of FY9999 still names its year and the command that adds its files
    last = icd10pcs.lookup("0DTJ4ZZ", on="9999-09-30").note
    assert last is not None and "--id FY9999 --effective 9998-10-01" in last


def test_the_basic_iso_form_is_a_date_everywhere() -> None:
    """20251001 (ISO 8601 basic, as X12 writes dates) is read as 2025-10-01 by every verb
    and by a claim."""
    assert codekit._dates.coerce_date("20251001") == dt.date(2025, 10, 1)
    assert codekit._dates.coerce_date(" 20251001 ") == dt.date(2025, 10, 1)
    assert icd10cm.is_valid("G35", on="20251001") is False
    assert icd10cm.is_valid("G35", on="20250930") is True
    assert ncci.hospital_ptp().indicator("0010U", "87513", on="20251001") == 1
    assert ncci.hospital_ptp().pair("0010U", "87513", on="20250930") is None
    claim = codekit.Claim.from_dict({
        "claim_type": "professional", "patient": {"sex": "F", "birth_date": "19500101"},
        "date_of_service": "20251103", "diagnoses": ["E11.9"],
        "service_lines": [{"procedure_code": "99213", "units": 1}]})
    assert claim.date_of_service == dt.date(2025, 11, 3)


@pytest.mark.parametrize("text", ["2025-W40-3", "2025W403", "2025-W40", "2025-W40-3T09:00"])
def test_an_iso_week_date_is_refused(text: str) -> None:
    """Python reads 2025-W40-3 as 2025-10-01: a date of service never comes as a week
    date, and a typo in one would silently be another day."""
    why = (f"on={text!r}: an ISO week date is not read as a date of service (a typo in it "
           "would be another date); expected a date, 'YYYY-MM-DD', 'YYYYMMDD' or an ISO "
           "date-time")
    with pytest.raises(codekit.InvalidArgument) as e:
        codekit._dates.coerce_date(text)
    assert str(e.value) == why
    for verb in (lambda: icd10cm.is_valid("G35", on=text),
                 lambda: icd10pcs.lookup("0DTJ4ZZ", on=text),
                 lambda: ncci.hospital_ptp().pair("0010U", "87513", on=text),
                 lambda: ncci.addons().covers(on=text)):
        with pytest.raises(codekit.InvalidArgument, match="an ISO week date"):
            verb()
    with pytest.raises(codekit.InvalidArgument, match=r"day='2025-W40-3'"):
        ncci.TableLibrary().ptp("hospital", "2025-W40-3")
    # a claim's dates too: the claim reader's fast path read 2025-W40-3 as 2025-10-01
    with pytest.raises(codekit.ClaimFormatError, match="date_of_service: not a date"):
        codekit.Claim.from_dict({"claim_type": "professional", "date_of_service": text,
                                 "patient": {"sex": "F", "age": 40}, "diagnoses": ["I10"]})
    from codekit.fhir._read import _parse_day

    assert _parse_day(text) is None  # a FHIR date is YYYY-MM-DD (its reader said 10-01)

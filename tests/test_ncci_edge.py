"""Group G edge cases held to the NCCI Policy Manual (ch. I: PTP modifier indicators and
NCCI-associated modifiers, MUE adjudication indicators, add-on code types).

The PTP and MUE tables are small synthetic files in the CMS plain-CSV layout with real code
numbers (what a row says is the test's premise, not CMS's); one test reads the CMS July
2024 practitioner PTP extract from ``../shared`` and skips when it is absent.
"""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, ncci
from tests.conftest import reference

PTP_ROWS = """column_1,column_2,effective_date,deletion_date,modifier_indicator
29881,29877,2012-01-01,,0
11042,97597,2012-01-01,,1
26055,20550,2012-01-01,,1
11102,99213,2012-01-01,,1
93000,93005,2012-01-01,,9
12002,64450,2025-11-15,,1
0001U,0029U,2018-07-01,2026-06-30,1
77066,77067,2018-01-01,,1
96372,99213,2012-01-01,,1
90471,99213,2012-01-01,,1
99291,36415,2012-01-01,,1
80053,82947,2012-01-01,,1
11102,17000,2012-01-01,,1
95004,98005,2025-07-01,,1
98005,96127,2025-07-01,,1
"""

MUE_ROWS = "code,mue,mai\n0001U,1,2\n0009U,2,3\n17000,1,2\n20610,1,1\n27447,1,2\n"


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    folder = tmp_path_factory.mktemp("ncci_edge")
    (folder / "ptp.csv").write_text(PTP_ROWS)
    (folder / "mue.csv").write_text(MUE_ROWS)
    ptp = ncci.load_ptp(folder / "ptp.csv", setting="practitioner")
    mue = ncci.load_mue(folder / "mue.csv", effective="2025-10-01", setting="practitioner")
    return Checker(ptp=ptp, mue=mue, policies=())


def line(code: str, *mods: str, **extra: Any) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), **extra}


def claim(lines: list[dict[str, Any]], dx: str, *, day: str = "2025-11-20",
          institutional: bool = False) -> Claim:
    d: dict[str, Any] = {
        "claim_type": "institutional" if institutional else "professional",
        "payer": "medicare", "patient": {"sex": "F", "birth_date": "1950-02-01"},
        "date_of_service": day, "diagnoses": [dx],
        "service_lines": [{"units": 1, "diagnosis_pointers": [1], **ln} for ln in lines]}
    if institutional:
        d["bill_type"] = "131"
    return Claim.from_dict(d)


def found(checker: Checker, c: Claim, rule: str) -> list[Any]:
    return [f for f in checker.check(c).findings if f.rule == rule]


# -- PTP: modifier indicators and NCCI-associated modifiers -----------------------------------


@pytest.mark.parametrize(("first", "second", "dx"), [
    (("11042", "RT"), ("97597", "RT"), "L97.412"),
    (("26055", "F1"), ("20550", "F1"), "M65.30"),
])
def test_the_same_anatomic_modifier_on_both_lines_does_not_bypass(
        checker: Checker, first: tuple[str, str], second: tuple[str, str], dx: str) -> None:
    """NCCI manual ch. I: anatomic modifiers bypass an indicator-1 edit for procedures at
    different sites; the same modifier on both lines names one site."""
    (f,) = found(checker, claim([line(*first), line(*second)], dx), "NCCI_PTP_CONFLICT")
    assert f.location == ("service_lines", 1, "procedure_code")
    assert f.codes == (first[0], second[0])
    assert f.fix == ("59", "XS", "XE", "XP", "XU")
    assert f.message == (
        f"Line 2: {second[0]} is bundled into {first[0]} (line 1) by an NCCI practitioner "
        f"PTP edit (column 1 {first[0]}, column 2 {second[0]}, modifier indicator 1): append "
        "an NCCI-associated modifier (59, XS/XE/XP/XU, anatomic...) to "
        f"{second[0]} only if the services were distinct; {first[1]} on both lines marks "
        "the same site and does not bypass the edit.")


@pytest.mark.parametrize("mods", [
    (("RT",), ("LT",)),            # different sides
    (("RT",), ()),                 # a side on one line only (either line counts)
    ((), ("LT",)),
    (("RT",), ("RT", "59")),       # 59 says distinct whatever the side
    (("RT", "XS"), ("RT",)),
])
def test_anatomic_and_other_modifiers_that_bypass(checker: Checker,
                                                  mods: tuple[tuple[str, ...], ...]) -> None:
    c = claim([line("11042", *mods[0]), line("97597", *mods[1])], "L97.412")
    assert found(checker, c, "NCCI_PTP_CONFLICT") == []


_AS_MANUAL = (" (NCCI Policy Manual ch.I §E: a modifier bypasses an edit only where Medicare "
              "allows it).")


@pytest.mark.parametrize(("first", "second", "why"), [
    (("11042", "25"), ("97597",), "25 on line 1 bypasses nothing: 25 is an E/M modifier, "
                                  "not 11042's"),
    (("11042",), ("97597", "57"), "57 on line 2 bypasses nothing: 57 is an E/M modifier, "
                                  "not 97597's"),
    (("11042",), ("97597", "24"), "24 on line 2 bypasses nothing: 24 is an E/M modifier, "
                                  "not 97597's"),
    (("11042",), ("97597", "27"), "27 on line 2 bypasses nothing: 27 is the outpatient "
                                  "hospital's modifier (multiple E/M encounters of one "
                                  "date), not a practitioner's"),
    (("11042",), ("97597", "91"), "91 on line 2 bypasses nothing: 91 is a repeated "
                                  "clinical laboratory test's modifier, not 97597's"),
])
def test_an_ncci_modifier_on_a_code_medicare_does_not_allow_it_on_bypasses_nothing(
        checker: Checker, first: tuple[str, ...], second: tuple[str, ...], why: str) -> None:
    """NCCI Policy Manual ch.I §E: a modifier bypasses a PTP edit only if Medicare's
    restrictions on it are met. 24, 25 and 57 are E/M modifiers, 27 the outpatient
    hospital's, 91 a repeated laboratory test's: on 11042 or 97597 they bypass nothing
    (97597-24 and 97597-27 were clean, with no other finding)."""
    c = claim([line(*first), line(*second)], "L97.412")
    (f,) = found(checker, c, "NCCI_PTP_CONFLICT")
    assert (f.location, f.codes, f.fix) == (("service_lines", 1, "procedure_code"),
                                            ("11042", "97597"), ("59", "XS", "XE", "XP", "XU"))
    assert f.message == (
        "Line 2: 97597 is bundled into 11042 (line 1) by an NCCI practitioner PTP edit "
        "(column 1 11042, column 2 97597, modifier indicator 1): append an NCCI-associated "
        "modifier (59, XS/XE/XP/XU, anatomic...) to 97597 only if the services were "
        f"distinct. {why}{_AS_MANUAL}")


@pytest.mark.parametrize("mod", ["59", "XU"])
def test_59_on_the_em_of_column_1_bypasses_nothing(checker: Checker, mod: str) -> None:
    """CPT modifier 59 is for services other than E/M services: 99291-59 beside 36415 (row
    99291/36415, indicator 1; the CMS July 2024 practitioner file has it) was clean; 59 on
    36415 is the bypass."""
    c = claim([line("99291", mod), line("36415")], "R57.9")
    (f,) = found(checker, c, "NCCI_PTP_CONFLICT")
    assert (f.location, f.codes) == (("service_lines", 1, "procedure_code"), ("99291", "36415"))
    assert f.message.endswith(
        f"to 36415 only if the services were distinct. {mod} on line 1 bypasses nothing: "
        f"{mod} marks a distinct service other than an E/M (CPT modifier 59, of which XE, "
        f"XP, XS and XU are subsets), never a visit{_AS_MANUAL}")
    assert found(checker, claim([line("99291"), line("36415", mod)], "R57.9"),
                 "NCCI_PTP_CONFLICT") == []


# The two rows of 98005 above are real: the bundled hospital outpatient table (the I/OCE's,
# from 2025-07-01) has them at indicator 1; the practitioner file is not bundled.


@pytest.mark.parametrize("mod", ["59", "XU"])
def test_59_on_a_telemedicine_visit_of_column_1_bypasses_nothing(checker: Checker,
                                                                 mod: str) -> None:
    """CPT's telemedicine visits 98000-98015 are E/M services (CPT's E/M section from
    2025): 59 and X{EPSU} mark a service "other than E/M services" (CPT modifier 59; NCCI
    Policy Manual ch.I §E). 98005-59 beside 96127 (row 98005/96127, indicator 1) was
    clean, as 99291-59 was before 2026-12; 59 on 96127 is the bypass."""
    c = claim([line("98005", mod), line("96127")], "F41.1")
    (f,) = found(checker, c, "NCCI_PTP_CONFLICT")
    assert (f.location, f.codes) == (("service_lines", 1, "procedure_code"), ("98005", "96127"))
    assert f.message == (
        "Line 2: 96127 is bundled into 98005 (line 1) by an NCCI practitioner PTP edit "
        "(column 1 98005, column 2 96127, modifier indicator 1): append an NCCI-associated "
        "modifier (59, XS/XE/XP/XU, anatomic...) to 96127 only if the services were "
        f"distinct. {mod} on line 1 bypasses nothing: {mod} marks a distinct service other "
        "than an E/M (CPT modifier 59, of which XE, XP, XS and XU are subsets), never a "
        f"visit{_AS_MANUAL}")
    assert found(checker, claim([line("98005"), line("96127", mod)], "F41.1"),
                 "NCCI_PTP_CONFLICT") == []


@pytest.mark.parametrize("mod", ["59", "XS", "RT"])
def test_a_telemedicine_visit_in_column_2_takes_25(checker: Checker, mod: str) -> None:
    """95004 bundles 98005 (indicator 1) as it bundles an office visit: only 25 or 57 on
    the visit bypass the edit (NCCI Policy Manual ch.I §E), and the E/M-beside-a-procedure
    edit says 25 (95004 with 98005-59 was clean; with 98005 alone the PTP finding advised
    59 on the visit)."""
    day = "2025-11-20"
    for mods in ((mod,), ()):
        c = claim([line("95004"), line("98005", *mods)], "J30.9", day=day)
        (f,) = found(checker, c, "EM_MINOR_PROC_NO_MOD25")
        assert (f.location, f.codes, f.fix) == (("service_lines", 1, "modifiers"),
                                                ("98005", "95004"), ("25", "57"))
        assert f.message.startswith(
            "Line 2: 98005 is reported on the same day as 95004 (line 1), which includes "
            "the E/M: append 25 if the E/M was significant and separately identifiable")
        assert found(checker, c, "NCCI_PTP_CONFLICT") == []  # superseded by it
    clean = claim([line("95004"), line("98005", "25")], "J30.9", day=day)
    assert not {"EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT"} & set(
        checker.check(clean).by_rule())


def test_the_outpatient_profile_keeps_any_modifier_on_a_telemedicine_visit() -> None:
    """The I/OCE (medicare-outpatient, the bundled hospital table's row 95004/98005,
    indicator 1) bypasses on any NCCI-associated modifier, 59 on the visit too."""
    edits = {"NCCI_PTP_CONFLICT", "EM_MINOR_PROC_NO_MOD25"}
    plain = claim([line("95004"), line("98005")], "J30.9", institutional=True)
    assert [(f.rule, f.codes) for f in Checker(policies=()).check(plain).findings
            if f.rule in edits] == [("EM_MINOR_PROC_NO_MOD25", ("98005", "95004"))]
    c = claim([line("95004"), line("98005", "59")], "J30.9", institutional=True)
    assert not edits & set(Checker(policies=()).check(c).by_rule())


def test_modifiers_where_medicare_allows_them_still_bypass(checker: Checker) -> None:
    """91 on the repeated laboratory test, 79 on a procedure: bypassed as before."""
    assert found(checker, claim([line("80053"), line("82947", "91")], "E87.1"),
                 "NCCI_PTP_CONFLICT") == []
    assert found(checker, claim([line("11042"), line("97597", "79")], "L97.412"),
                 "NCCI_PTP_CONFLICT") == []


def test_the_outpatient_profile_keeps_any_modifier_on_either_line() -> None:
    """The I/OCE (medicare-outpatient, bundled hospital table: 11042/97597 indicator 1)
    bypasses on any NCCI-associated modifier, wherever it is (pyoce ``NcciLogic``)."""
    c = claim([line("11042"), line("97597", "25")], "L97.412", institutional=True)
    assert "NCCI_PTP_CONFLICT" not in Checker(policies=()).check(c).by_rule()


def test_an_addon_whose_only_primary_is_bundled_is_named(checker: Checker) -> None:
    """CMS add-on code edits: a type-1 add-on is paid only if a listed primary is; 17003's
    only primary here, 17000, is bundled into 11102 (the CMS July 2024 practitioner file
    has 11102/17000 at indicator 1), so the finding says 17003 goes with it."""
    c = claim([line("11102"), line("17000"), line("17003", units=3)], "L57.0")
    (f,) = found(checker, c, "NCCI_PTP_CONFLICT")
    assert (f.location, f.codes) == (("service_lines", 1, "procedure_code"), ("11102", "17000"))
    assert f.message == (
        "Line 2: 17000 is bundled into 11102 (line 1) by an NCCI practitioner PTP edit "
        "(column 1 11102, column 2 17000, modifier indicator 1): append an NCCI-associated "
        "modifier (59, XS/XE/XP/XU, anatomic...) to 17000 only if the services were "
        "distinct. 17003 (line 3), an add-on code with no other primary on its date, is "
        "paid only if 17000 is (CMS NCCI add-on code edits, type 1).")
    assert found(checker, c, "ADDON_WITHOUT_PRIMARY") == []
    assert found(checker, claim([line("11102"), line("17000", "59"), line("17003")], "L57.0"),
                 "NCCI_PTP_CONFLICT") == []


def test_different_digits_bypass(checker: Checker) -> None:
    c = claim([line("26055", "F1"), line("20550", "F2")], "M65.30")
    assert found(checker, c, "NCCI_PTP_CONFLICT") == []


def test_the_outpatient_profile_keeps_the_ioce_rule_for_the_same_side() -> None:
    """The I/OCE bypasses on any NCCI-associated modifier (bundled hospital table, row
    11042/97597 indicator 1): RT on both lines passes there."""
    c = claim([line("11042", "RT"), line("97597", "RT")], "L97.412", institutional=True)
    report = Checker(policies=()).check(c)
    assert report.profile == "medicare-outpatient"
    assert "NCCI_PTP_CONFLICT" not in report.by_rule()
    plain = claim([line("11042"), line("97597")], "L97.412", institutional=True)
    assert "NCCI_PTP_CONFLICT" in Checker(policies=()).check(plain).by_rule()


def test_a_column_2_line_is_bundled_once_however_many_lines_bill_column_1(
        checker: Checker) -> None:
    c = claim([line("29881"), line("29881"), line("29877", "59")], "M23.221")
    (f,) = found(checker, c, "NCCI_PTP_CONFLICT")
    assert f.location == ("service_lines", 2, "procedure_code") and f.fix == ()
    assert f.message == (
        "Line 3: 29877 is bundled into 29881 (line 1) by an NCCI practitioner PTP edit "
        "(column 1 29881, column 2 29877, modifier indicator 0): no modifier bypasses it: "
        "remove the column-2 code.")


def test_the_column_1_line_a_side_matches_is_the_one_reported(checker: Checker) -> None:
    """97597-RT is distinct from 11042-LT but not from 11042-RT (line 2)."""
    c = claim([line("11042", "LT"), line("11042", "RT"), line("97597", "RT")], "L97.412")
    (f,) = found(checker, c, "NCCI_PTP_CONFLICT")
    assert f.location == ("service_lines", 2, "procedure_code")
    assert "into 11042 (line 2)" in f.message


def test_indicator_9_and_other_dates_never_fire(checker: Checker) -> None:
    assert found(checker, claim([line("93000"), line("93005")], "R07.9"),
                 "NCCI_PTP_CONFLICT") == []
    apart = claim([line("29881", date_of_service="2025-11-20"),
                   line("29877", date_of_service="2025-11-21")], "M23.221")
    assert found(checker, apart, "NCCI_PTP_CONFLICT") == []


@pytest.mark.parametrize(("pair", "day", "fires"), [
    (("12002", "64450"), "2025-11-14", False),   # effective mid-quarter, 2025-11-15
    (("12002", "64450"), "2025-11-15", True),
    (("0001U", "0029U"), "2026-06-30", True),    # deleted: 2026-06-30 is its last day
    (("0001U", "0029U"), "2026-07-01", False),
])
def test_effective_and_deletion_dates(checker: Checker, pair: tuple[str, str], day: str,
                                      fires: bool) -> None:
    dx = "S01.01XA" if pair[0] == "12002" else "D57.1"
    got = found(checker, claim([line(pair[0]), line(pair[1])], dx, day=day),
                "NCCI_PTP_CONFLICT")
    assert [f.codes for f in got] == ([pair] if fires else [])


def test_the_em_modifier_counts_on_the_em_line_only(checker: Checker) -> None:
    """Professional (NCCI manual): 25 on 11102 does not bypass 11102/99213; 25 on the E/M
    does."""
    c = claim([line("99213"), line("11102", "25")], "L98.9")
    (f,) = found(checker, c, "EM_MINOR_PROC_NO_MOD25")
    assert f.location == ("service_lines", 0, "modifiers")
    assert found(checker, claim([line("99213", "25"), line("11102")], "L98.9"),
                 "EM_MINOR_PROC_NO_MOD25") == []


def test_practitioner_extract_same_side() -> None:
    """The CMS July 2024 practitioner PTP file: 11042/97597 is indicator 1."""
    table = ncci.load_ptp(reference("northstar_2024q3", "ncci_ptp_practitioner_2024q3.csv.gz"))
    assert table.indicator("11042", "97597", on="2024-08-01") == 1
    chk = Checker(ptp=table, policies=())
    same = claim([line("11042", "RT"), line("97597", "RT")], "L97.412", day="2024-08-01")
    (f,) = found(chk, same, "NCCI_PTP_CONFLICT")
    assert f.codes == ("11042", "97597") and "RT on both lines" in f.message
    sides = claim([line("11042", "RT"), line("97597", "LT")], "L97.412", day="2024-08-01")
    assert found(chk, sides, "NCCI_PTP_CONFLICT") == []


# -- MUE ------------------------------------------------------------------------------------


def test_a_date_of_service_mue_states_the_day_total(checker: Checker) -> None:
    """MAI 2: the units of every 17000 line of the date are summed (3), not the running
    total at the line where the MUE is first passed (2)."""
    c = claim([line("17000"), line("17000", "76"), line("17000", "RT")], "L57.0")
    (f,) = found(checker, c, "MUE_EXCEEDED")
    # the line to remove has no units fix: "0" was no line (UNITS_INVALID), review item 4
    assert f.location == ("service_lines", 1, "units") and f.fix == ()
    assert f.message == (
        "Line 2: 17000: 3 units on 2025-11-20 (lines 1, 2, 3) exceed its MUE of 1 per day "
        "(MAI 2, absolute: the units of every line of the code on the date are summed, "
        "whatever their modifiers). To stay within it, remove line 2 (the lines before it "
        "bill the MUE of 1) and line 3.")


@pytest.mark.parametrize(("units", "at"), [((-1, 2), 1), ((2, -1), 0), ((0, 2), 1)])
def test_a_line_of_no_units_gives_none_back_to_the_date(
        checker: Checker, units: tuple[int, int], at: int) -> None:
    """MAI 2: a line of 0 or negative units (UNITS_INVALID) bills no service: -1 + 2 units
    of 0001U (MUE 1) summed to 1 and hid the excess of the other line; 2 + -1 was told "1
    unit ... exceeds its MUE of 1". The date's total is the units of the lines billing
    some."""
    c = claim([line("0001U", units=units[0]), line("0001U", units=units[1])], "D57.1")
    (f,) = found(checker, c, "MUE_EXCEEDED")
    assert (f.location, f.fix) == (("service_lines", at, "units"), ("1",))
    assert f.message == (
        f"Line {at + 1}: 0001U: 2 units on 2025-11-20 exceed its MUE of 1 per day (MAI 2, "
        "absolute: the units of every line of the code on the date are summed, whatever "
        f"their modifiers). To stay within it, bill at most 1 unit on line {at + 1}.")


def test_a_clinical_date_of_service_mue_over_several_dates(checker: Checker) -> None:
    """MAI 3, per date: 2 units on 11-20 pass; 2 + 1 on 11-21 do not."""
    c = claim([line("0009U", units=2, date_of_service="2025-11-20"),
               line("0009U", "91", units=2, date_of_service="2025-11-21"),
               line("0009U", "91", units=1, date_of_service="2025-11-21")], "D57.1")
    (f,) = found(checker, c, "MUE_EXCEEDED")
    assert f.location == ("service_lines", 2, "units") and f.fix == ()
    assert f.message.startswith("Line 3: 0009U: 3 units on 2025-11-21 (lines 2, 3) exceed "
                                "its MUE of 2 per day (MAI 3, appealable")
    assert f.message.endswith("To stay within it, remove line 3 (the lines before it bill "
                              "the MUE of 2); more units are paid only on appeal, with the "
                              "medical records.")


def test_a_line_mue_judges_each_line(checker: Checker) -> None:
    """MAI 1: 20610-RT and 20610-LT, 1 unit each, pass; 2 units on one line do not."""
    assert found(checker, claim([line("20610", "RT"), line("20610", "LT")], "M17.11"),
                 "MUE_EXCEEDED") == []
    (f,) = found(checker, claim([line("20610", units=2)], "M17.11"), "MUE_EXCEEDED")
    assert (f.location, f.fix) == (("service_lines", 0, "units"), ("1",))
    assert "per line (MAI 1)" in f.message


# -- one provider's lines: a group's claim of several rendering providers ------------------

SMITH, DOE = "1245319599", "1679576722"  # the claim's rendering NPI (2310B), another's


def by(c: Claim, **claim_fields: Any) -> Claim:
    """``c`` with claim-level fields set (the rendering provider...)."""
    return Claim.from_dict({**c.to_dict(), **claim_fields})


@pytest.mark.parametrize(("own", "n"), [
    ((None, DOE), 0),     # 29877 rendered by another NPI of the group: no pair
    ((DOE, None), 0),
    ((None, SMITH), 1),   # its own NPI is the claim's: one provider
    ((DOE, DOE), 1),      # both lines by the same other NPI
    ((None, None), 1),
])
def test_ptp_pairs_only_one_providers_lines(checker: Checker, own: tuple[str | None, ...],
                                            n: int) -> None:
    """NCCI PTP edits pair the services of the same provider for the same beneficiary on
    the same date (NCCI Policy Manual ch.I): 29881 and 29877 (indicator 0) rendered by two
    practitioners of one group billing on one 837P (2420A NM1*82 on a line) are no pair."""
    lines = [line(code, **({} if npi is None else {"rendering_provider": npi}))
             for code, npi in zip(("29881", "29877"), own, strict=True)]
    c = by(claim(lines, "M23.221"), rendering_provider=SMITH)
    got = found(checker, c, "NCCI_PTP_CONFLICT")
    assert [(f.location, f.codes) for f in got] == \
        [(("service_lines", 1, "procedure_code"), ("29881", "29877"))] * n


def test_ptp_a_line_of_the_billing_provider_when_the_claim_names_no_rendering_one(
        checker: Checker) -> None:
    """An 837P sends 2310B only where the rendering provider is not the billing provider
    (2010AA): a line without its own NPI is then the billing provider's, who is the
    provider of a line naming the billing NPI too."""
    lines = [line("29881"), line("29877", rendering_provider="1234567893")]
    c = by(claim(lines, "M23.221"), billing_provider="1234567893")
    assert len(found(checker, c, "NCCI_PTP_CONFLICT")) == 1
    c = by(claim([line("29881"), line("29877", rendering_provider=DOE)], "M23.221"),
           billing_provider="1234567893")
    assert found(checker, c, "NCCI_PTP_CONFLICT") == []


def test_an_outpatient_hospital_claim_is_one_provider(checker: Checker) -> None:
    """The hospital's claim bills the facility's services, whoever the line's rendering
    NPI: the outpatient hospital PTP edit pairs its lines (as the I/OCE does)."""
    c = claim([line("29881"), line("29877", rendering_provider=DOE)], "M23.221",
              institutional=True)
    assert [f.codes for f in found(checker, c, "NCCI_PTP_CONFLICT")] == [("29881", "29877")]


def test_a_date_of_service_mue_sums_one_providers_units(checker: Checker) -> None:
    """MAI 2 (17000, MUE 1): the units of a date are summed per provider (the MUE is what
    "a provider" reports for a beneficiary on a date): one unit by each of two NPIs passes;
    a second unit by the claim's NPI (lines 1 and 3) is over, and the finding names that
    provider's lines only."""
    two = by(claim([line("17000"), line("17000", rendering_provider=DOE)], "L57.0"),
             rendering_provider=SMITH)
    assert found(checker, two, "MUE_EXCEEDED") == []
    three = by(claim([line("17000"), line("17000", rendering_provider=DOE),
                      line("17000", rendering_provider=SMITH)], "L57.0"),
               rendering_provider=SMITH)
    (f,) = found(checker, three, "MUE_EXCEEDED")
    assert (f.location, f.fix) == (("service_lines", 2, "units"), ())
    assert f.message == (
        "Line 3: 17000: 2 units on 2025-11-20 (lines 1, 3) exceed its MUE of 1 per day "
        "(MAI 2, absolute: the units of every line of the code on the date are summed, "
        "whatever their modifiers). To stay within it, remove line 3 (the lines before it "
        "bill the MUE of 1).")
    # the claim's NPI is DOE's: line 1 (none of its own) is DOE's too, line 3 SMITH's
    (f,) = found(checker, by(three, rendering_provider=DOE), "MUE_EXCEEDED")
    assert f.location == ("service_lines", 1, "units")
    assert f.message.startswith("Line 2: 17000: 2 units on 2025-11-20 (lines 1, 2) exceed")
    # no line names a provider of its own: the date's three units, as before
    (f,) = found(checker, claim([line("17000")] * 3, "L57.0"), "MUE_EXCEEDED")
    assert f.message.startswith("Line 2: 17000: 3 units on 2025-11-20 (lines 1, 2, 3)")


@pytest.mark.parametrize(("own", "fires"), [
    ((None, DOE), True),     # 22614 by another NPI of the group than 22612
    ((DOE, None), True),
    ((None, SMITH), False),  # its own NPI is the claim's: one provider
    ((DOE, DOE), False),
    ((None, None), False),
])
def test_an_addon_needs_a_primary_of_its_own_provider(
        checker: Checker, own: tuple[str | None, ...], fires: bool) -> None:
    """CMS pays a type-1 add-on code only if a listed primary "is also eligible for
    payment to the same practitioner for the same patient on the same date of service"
    (CMS Medicare NCCI Add-on Code Edits): 22614 by one practitioner of a group and 22612
    by another, on one 837P (2420A on a line), was clean."""
    lines = [line(code, **({} if npi is None else {"rendering_provider": npi}))
             for code, npi in zip(("22612", "22614"), own, strict=True)]
    c = by(claim(lines, "M43.16"), rendering_provider=SMITH)
    got = found(checker, c, "ADDON_WITHOUT_PRIMARY")
    if not fires:
        assert got == []
        return
    (f,) = got
    assert (f.location, f.codes, f.fix) == (("service_lines", 1, "procedure_code"), ("22614",),
                                            ("22600", "22610", "22612", "22630", "22633"))
    mine, other = (DOE, SMITH) if own[1] == DOE else (SMITH, DOE)
    assert f.message == (
        "Line 2: 22614 is an add-on code (type 1) and needs one of its primary codes "
        "(22600, 22610, 22612, 22630, 22633) on the same date. 22612 (line 1) is another "
        f"rendering provider's (NPI {other}; line 2's is {mine}): an add-on code is paid "
        "only beside a primary of the same practitioner on the same date (CMS NCCI add-on "
        "code edits); if one practitioner furnished both, bill both lines under that "
        "practitioner's NPI.")


def test_an_addon_with_the_claims_provider_only_is_judged_as_before(
        checker: Checker) -> None:
    """No line names a provider of its own: the date's lines are one provider's."""
    assert found(checker, claim([line("22612"), line("22614")], "M43.16"),
                 "ADDON_WITHOUT_PRIMARY") == []
    (f,) = found(checker, by(claim([line("22614")], "M43.16"), rendering_provider=SMITH),
                 "ADDON_WITHOUT_PRIMARY")
    assert f.message == ("Line 1: 22614 is an add-on code (type 1) and needs one of its "
                         "primary codes (22600, 22610, 22612, 22630, 22633) on the same "
                         "date.")


@pytest.mark.parametrize("npis", [(DOE, None), (None, DOE)])
def test_an_addon_message_names_a_line_of_no_provider_so(
        checker: Checker, npis: tuple[str | None, ...]) -> None:
    """On a claim that names no provider of its own (no 2310B, no 2010AA NPI given), a line
    without 2420A has none: the finding said "line 2's is None" (or "NPI None")."""
    lines = [line(code, **({} if npi is None else {"rendering_provider": npi}))
             for code, npi in zip(("22612", "22614"), npis, strict=True)]
    (f,) = found(checker, claim(lines, "M43.16"), "ADDON_WITHOUT_PRIMARY")
    other, mine = (x or "none named" for x in npis)
    assert f"22612 (line 1) is another rendering provider's (NPI {other}; line 2's is " \
        f"{mine}): an add-on code" in f.message
    assert "None" not in f.message


def test_another_practitioners_critical_care_is_the_one_exception(checker: Checker) -> None:
    """The exception of CMS's add-on code edits (CR 7501; Claims Processing Manual ch.12
    §30.6.12): of practitioners of one group and specialty giving critical care on one
    date, one reports 99291 and the others 99292 alone: 99292 by another NPI beside the
    group's 99291 is no finding; 99292 with no 99291 on the date still is."""
    c = by(claim([line("99291"), line("99292", rendering_provider=DOE)], "R57.9"),
           rendering_provider=SMITH)
    assert found(checker, c, "ADDON_WITHOUT_PRIMARY") == []
    alone = by(claim([line("36556"), line("99292", rendering_provider=DOE)], "R57.9"),
               rendering_provider=SMITH)
    (f,) = found(checker, alone, "ADDON_WITHOUT_PRIMARY")
    assert f.message == ("Line 2: 99292 is an add-on code (type 1) and needs one of its "
                         "primary codes (99291) on the same date.")


def test_an_addon_riding_on_a_bundled_primary_is_judged_per_provider(
        checker: Checker) -> None:
    """11102 bundles 17000 (indicator 1); 17003's primary is 17000. By one NPI, the PTP
    finding names 17003 (paid only if 17000 is) and there is no add-on finding; 17003 by
    another NPI has no primary of its own practitioner (the add-on edit, naming 17000),
    and the PTP finding does not name it; 17000 and 17003 by another NPI than 11102's are
    no PTP pair and 17003 has its primary."""
    def run(*npis: str | None) -> tuple[list[Any], list[Any]]:
        lines = [line(code, **({} if npi is None else {"rendering_provider": npi}))
                 for code, npi in zip(("11102", "17000", "17003"), npis, strict=True)]
        c = by(claim(lines, "L57.0"), rendering_provider=SMITH)
        return found(checker, c, "NCCI_PTP_CONFLICT"), found(checker, c, "ADDON_WITHOUT_PRIMARY")

    ptp, addon = run(DOE, DOE, DOE)
    assert addon == [] and ptp[0].message.endswith(
        "17003 (line 3), an add-on code with no other primary on its date, is paid only if "
        "17000 is (CMS NCCI add-on code edits, type 1).")
    ptp, addon = run(None, None, DOE)
    (p,), (a,) = ptp, addon
    assert p.codes == ("11102", "17000") and p.message.endswith(
        "to 17000 only if the services were distinct.")
    assert (a.location, a.codes) == (("service_lines", 2, "procedure_code"), ("17003",))
    assert a.message == (
        "Line 3: 17003 is an add-on code (type 1) and needs one of its primary codes (17000) "
        f"on the same date. 17000 (line 2) is another rendering provider's (NPI {SMITH}; "
        f"line 3's is {DOE}): an add-on code is paid only beside a primary of the same "
        "practitioner on the same date (CMS NCCI add-on code edits); if one practitioner "
        "furnished both, bill both lines under that practitioner's NPI.")
    assert run(None, DOE, DOE) == ([], [])


def test_a_psychiatric_addon_beside_another_providers_evaluation(checker: Checker) -> None:
    """90833 by one NPI beside 90792 by another: 90833 lacks an E/M of its own
    practitioner, and 90792 is not its provider's to remove it for."""
    c = by(claim([line("90792"), line("90833", rendering_provider=DOE)], "F43.10",
                 day="2025-06-10"), rendering_provider=SMITH)
    (f,) = found(checker, c, "ADDON_WITHOUT_PRIMARY")
    assert f.message.startswith("Line 2: 90833 is an add-on code (type 1) and needs one of "
                                "its primary codes (99202, 99203,")
    assert f.fix[:2] == ("99202", "99203")


def test_an_institutional_claims_addon_is_the_facilitys(checker: Checker) -> None:
    """A hospital's claim is one provider's whoever rendered its lines: 17003 with another
    NPI beside 17000 has its primary (the I/OCE's add-on logic, a non-OPPS 131)."""
    c = by(claim([line("17000"), line("17003", rendering_provider=DOE)], "L57.0",
                 institutional=True), opps=False)
    assert found(checker, c, "ADDON_WITHOUT_PRIMARY") == []
    alone = by(claim([line("17003", rendering_provider=DOE)], "L57.0", institutional=True),
               opps=False)
    assert len(found(checker, alone, "ADDON_WITHOUT_PRIMARY")) == 1


# -- add-on codes -----------------------------------------------------------------------------


def test_a_type_3_addon_says_cms_lists_only_some_primaries(checker: Checker) -> None:
    """88311 (type 3): any procedure may be its primary, so the message must not claim
    that only the listed ones do."""
    (f,) = found(checker, claim([line("88311")], "C50.911"), "ADDON_WITHOUT_PRIMARY")
    assert f.fix == ("17311", "17313", "88302", "88304", "88305", "88307", "88309")
    assert f.message == (
        "Line 1: 88311 is an add-on code (type 3) and needs a primary procedure (CMS lists "
        "17311, 17313, 88302, 88304, 88305, 88307, 88309; the contractor may accept "
        "others) on the same date.")
    assert found(checker, claim([line("99213"), line("88311")], "C50.911"),
                 "ADDON_WITHOUT_PRIMARY") == []


def test_a_medicare_addon_names_no_primary_medicare_does_not_recognize(
        checker: Checker) -> None:
    """99417 alone on a Medicare 837P of 2025-11-20: CMS's add-on table lists the
    telemedicine visits 98003, 98007, 98011, 98015 and the consultation 99245 among its
    primaries, which Medicare does not recognize (98000-98015 MPFS status I, CY 2025 PFS
    final rule; consultations not paid since 2010-01-01, CR 6740): they were in the fix.
    Another payer is told every listed primary."""
    (f,) = found(checker, claim([line("99417")], "I10"), "ADDON_WITHOUT_PRIMARY")
    assert f.fix == ("99205", "99215", "99345", "99350", "99483")
    assert f.message == ("Line 1: 99417 is an add-on code (type 1) and needs one of its "
                         "primary codes (99205, 99215, 99345, 99350, 99483) on the same "
                         "date.")
    aetna = Claim.from_dict({**claim([line("99417")], "I10").to_dict(), "payer": "aetna"})
    (f,) = found(checker, aetna, "ADDON_WITHOUT_PRIMARY")
    assert f.fix == ("98003", "98007", "98011", "98015", "99205", "99215", "99245", "99345",
                     "99350", "99483")
    # 90833 beside no E/M: Medicare's list leaves out the consultations 99242-99255
    (f,) = found(checker, claim([line("90833")], "F32.1"), "ADDON_WITHOUT_PRIMARY")
    assert not {"99242", "99245", "99252", "99255", "G0463"} & set(f.fix)
    assert {"99213", "99233", "99349"} <= set(f.fix)


def test_a_type_1_primary_on_another_date_does_not_count(checker: Checker) -> None:
    c = claim([line("11042", date_of_service="2025-11-19"), line("11045")], "L97.412")
    (f,) = found(checker, c, "ADDON_WITHOUT_PRIMARY")
    assert f.location == ("service_lines", 1, "procedure_code") and f.fix == ("11042",)
    assert f.message == ("Line 2: 11045 is an add-on code (type 1) and needs one of its "
                         "primary codes (11042) on the same date.")
    assert found(checker, claim([line("11042"), line("11045")], "L97.412"),
                 "ADDON_WITHOUT_PRIMARY") == []


def test_a_type_2_addon_with_any_procedure(checker: Checker) -> None:
    assert found(checker, claim([line("36556"), line("76937")], "I83.90"),
                 "ADDON_WITHOUT_PRIMARY") == []


@pytest.mark.parametrize(("codes", "fires"), [
    (("99213", "99140"), True),           # an office visit qualifies no anesthesia
    (("47562", "99140"), True),           # nor does the surgeon's cholecystectomy
    (("99135",), True),
    (("00790", "99140"), False),
    (("01996", "99100"), False),
    (("00560", "99116", "99135"), False),
])
def test_a_qualifying_circumstance_needs_an_anesthesia_code(
        checker: Checker, codes: tuple[str, ...], fires: bool) -> None:
    """99100, 99116, 99135, 99140 (type 2: no CMS list of primaries) qualify an anesthesia
    service (CPT Anesthesia guidelines): any other procedure used to satisfy them (an
    anesthesia coder's review: 99140 beside 99213 passed)."""
    got = found(checker, claim([line(c) for c in codes], "K80.20", day="2025-03-10"),
                "ADDON_WITHOUT_PRIMARY")
    assert bool(got) is fires
    if fires:
        (f,) = got
        code = codes[-1]
        assert (f.location, f.codes, f.fix) == (
            ("service_lines", len(codes) - 1, "procedure_code"), (code,), ())
        assert f.message == (
            f"Line {len(codes)}: {code} is an add-on code (type 2), a qualifying circumstance "
            "of an anesthesia service (CPT Anesthesia guidelines), and needs an anesthesia "
            "code (00100-01999) on the same date: report it with the anesthesia it "
            "qualifies, or remove it.")


def test_both_sides_on_two_lines_over_an_mue_of_1_are_told_how_to_bill(
        checker: Checker) -> None:
    """27447 RT and 27447 LT (MUE 1, MAI 2): the finding gave units 0 and no word on how a
    bilateral procedure is billed (one line, modifier 50, 1 unit)."""
    (f,) = found(checker, claim([line("27447", "RT"), line("27447", "LT")], "M17.0"),
                 "MUE_EXCEEDED")
    assert f.message.endswith("whatever their modifiers). Both sides done: bill 27447 "
                              "once, on one line with modifier 50 instead of RT and LT, and "
                              "1 unit.")
    assert (f.location, f.fix) == (("service_lines", 1, "modifiers", 0), ("50",))
    # one side twice is not both sides; a code done once for both sides is not either
    (one,) = found(checker, claim([line("27447", "RT"), line("27447", "RT")], "M17.11"),
                   "MUE_EXCEEDED")
    assert one.message.endswith("whatever their modifiers). To stay within it, remove line "
                                "2 (the lines before it bill the MUE of 1).")
    (inherent,) = found(checker, claim([line("17000", "RT"), line("17000", "LT")], "L57.0"),
                        "MUE_EXCEEDED")
    assert "Both sides" not in inherent.message


# -- every MUE and PTP message says what its fix says: a real practitioner MUE table ---------

MUE_2026Q2 = ("ncci_mue_2026q2", "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv")


@pytest.fixture(scope="module")
def cms_mue(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    """CMS's practitioner MUE file of April 2026 (27447: 1, MAI 2; 20610: 2, MAI 3) and the
    synthetic PTP rows above."""
    mue = ncci.load_mue(reference(*MUE_2026Q2))
    e27447, e20610 = mue.get("27447", on="2026-05-04"), mue.get("20610", on="2026-05-04")
    assert (e27447.units, e27447.mai, e20610.units, e20610.mai) == (1, 2, 2, 3)
    ptp = tmp_path_factory.mktemp("ncci_cms_mue") / "ptp.csv"
    ptp.write_text(PTP_ROWS)
    return Checker(ptp=ncci.load_ptp(ptp, setting="practitioner"), mue=mue, policies=())


MUE_TAIL = ("whatever their modifiers). Both sides done: bill 27447 once, on one line with "
            "modifier 50 instead of RT and LT, and 1 unit.")


@pytest.mark.parametrize(("lines", "where", "total"), [
    # RT and LT on two lines: the fix was units 0 for the LT line while the message said
    # one line with 50 and 1 unit; now both say 50, in place of the LT
    ([line("27447", "RT"), line("27447", "LT")], ("service_lines", 1, "modifiers", 0),
     "Line 2: 27447: 2 units on 2026-05-04 (lines 1, 2) exceed"),
    # the line where the total passes the MUE has no side modifier: 50 is added to it
    ([line("27447", "RT"), line("27447"), line("27447", "LT")],
     ("service_lines", 1, "modifiers"), "Line 2: 27447: 3 units on 2026-05-04 (lines 1, 2, 3) "
     "exceed"),
    # RT and LT on one line of 2 units: the fix was units 1, the message modifier 50
    ([line("27447", "RT", "LT", units=2)], ("service_lines", 0, "modifiers", 0),
     "Line 1: 27447: 2 units on 2026-05-04 exceed"),
])
def test_both_sides_over_an_mue_of_1_fix_with_50_as_the_message_says(
        cms_mue: Checker, lines: list[dict[str, Any]], where: tuple[Any, ...],
        total: str) -> None:
    (f,) = found(cms_mue, claim(lines, "M17.0", day="2026-05-04"), "MUE_EXCEEDED")
    assert f.message == (f"{total} its MUE of 1 per day (MAI 2, absolute: the units of every "
                         f"line of the code on the date are summed, {MUE_TAIL}")
    assert (f.location, f.codes, f.fix) == (where, ("27447",), ("50",))


def test_other_mue_messages_and_fixes_agree(cms_mue: Checker) -> None:
    """Without both sides the MUE fix is the units the line may keep, at its units, and
    the message states the MUE it comes from."""
    day = "2026-05-04"
    (one_side,) = found(cms_mue, claim([line("27447", "RT"), line("27447", "RT")], "M17.11",
                                       day=day), "MUE_EXCEEDED")
    # the line to remove: no fix (it was "0", which UNITS_INVALID rejects), the message
    # says to remove it
    assert (one_side.location, one_side.fix) == (("service_lines", 1, "units"), ())
    assert one_side.message == (
        "Line 2: 27447: 2 units on 2026-05-04 (lines 1, 2) exceed its MUE of 1 per day (MAI "
        "2, absolute: the units of every line of the code on the date are summed, whatever "
        "their modifiers). To stay within it, remove line 2 (the lines before it bill the "
        "MUE of 1).")
    (with_50,) = found(cms_mue, claim([line("27447", "50"), line("27447", "RT")], "M17.0",
                                      day=day), "MUE_EXCEEDED")
    assert (with_50.location, with_50.fix) == (("service_lines", 1, "units"), ())
    assert "Both sides" not in with_50.message
    # 20610: MUE 2, MAI 3; the line where 2 + 3 passes 2 may keep none of its units
    (f,) = found(cms_mue, claim([line("20610", "RT", units=2), line("20610", "LT", units=3)],
                                "M17.0", day=day), "MUE_EXCEEDED")
    assert (f.location, f.fix) == (("service_lines", 1, "units"), ())
    assert f.message == (
        "Line 2: 20610: 5 units on 2026-05-04 (lines 1, 2) exceed its MUE of 2 per day (MAI "
        "3, appealable: the units of every line of the code on the date are summed, whatever "
        "their modifiers). To stay within it, remove line 2 (the lines before it bill the "
        "MUE of 2); more units are paid only on appeal, with the medical records.")
    (part,) = found(cms_mue, claim([line("20610", "RT"), line("20610", "LT", units=3)],
                                   "M17.0", day=day), "MUE_EXCEEDED")
    assert (part.location, part.fix) == (("service_lines", 1, "units"), ("1",))
    assert part.message.endswith(
        "To stay within it, bill at most 1 unit on line 2 (the lines before it bill 1 "
        "unit); more units are paid only on appeal, with the medical records.")


def test_redspec_4_a_units_fix_is_never_0(cms_mue: Checker) -> None:
    """A specialty coder's review item 4 and a DME coder's item 9 (2026-12-06): 80053 + 80053-91
    (MUE 1, MAI 3) gave fix "0" for line 2, and applying it gave UNITS_INVALID (0 units is no line):
    now no fix, the message says to remove line 2. 93306-26 + 93306-TC (MUE 1) from one provider is
    told to bill the global service once. A fix is a positive count, at the units."""
    day = "2026-05-01"
    (lab,) = found(cms_mue, claim([line("80053"), line("80053", "91")], "E87.1", day=day),
                   "MUE_EXCEEDED")
    assert (lab.location, lab.codes, lab.fix) == (("service_lines", 1, "units"),
                                                  ("80053",), ())
    assert lab.message == (
        "Line 2: 80053: 2 units on 2026-05-01 (lines 1, 2) exceed its MUE of 1 per day (MAI "
        "3, appealable: the units of every line of the code on the date are summed, whatever "
        "their modifiers). To stay within it, remove line 2 (the lines before it bill the "
        "MUE of 1); more units are paid only on appeal, with the medical records.")
    (echo,) = found(cms_mue, claim([line("93306", "26"), line("93306", "TC")], "I50.9",
                                   day=day), "MUE_EXCEEDED")
    assert (echo.location, echo.fix) == (("service_lines", 1, "units"), ())
    assert echo.message.endswith(
        "whatever their modifiers). 26 and TC of 93306 on one date are its global service: "
        "if one provider furnished both, bill 93306 once, on one line without 26 or TC (1 "
        "unit), and remove line 2.")
    # no MUE fix of any of these claims is "0" or below
    for lines, dx in (([line("80053"), line("80053", "91")], "E87.1"),
                      ([line("20610", units=3)], "M17.0"),
                      ([line("20610", units=2), line("20610", units=1),
                        line("20610", units=4)], "M17.0")):
        for f in found(cms_mue, claim(lines, dx, day=day), "MUE_EXCEEDED"):
            assert all(int(n) > 0 for n in f.fix), f


def test_ptp_messages_name_the_modifiers_of_their_fix(cms_mue: Checker) -> None:
    """The modifiers a PTP message proposes are its fix, in the fix's order."""
    day = "2026-05-04"
    (f,) = found(cms_mue, claim([line("11042"), line("97597")], "L97.412", day=day),
                 "NCCI_PTP_CONFLICT")
    assert f.fix == ("59", "XS", "XE", "XP", "XU")
    assert "(59, XS/XE/XP/XU, anatomic...)" in f.message
    (zero,) = found(cms_mue, claim([line("29881"), line("29877", "59")], "M23.221", day=day),
                    "NCCI_PTP_CONFLICT")
    assert zero.fix == () and "no modifier bypasses it: remove the column-2 code" in \
        zero.message


# -- a specialty coder's review of 2026-12-06 (items 5 and 7) ----------------------------------

def test_redspec_5_screening_and_diagnostic_mammography_are_told_gg(checker: Checker) -> None:
    """77067 + 77066-GG on an 837P: Medicare pays both with GG on the diagnostic code
    (Claims Processing Manual ch.18 §20): GG bypasses the PTP pair there (it was an error
    whose message said the coding was right); without GG the finding names GG, never 59
    or X{EPSU}, as MOD_GG_MISSING does, and the fix (GG) is MOD_GG_MISSING's, on the
    diagnostic line."""
    def mammograms(*mods: str) -> Claim:
        return Claim.from_dict({
            "claim_type": "professional", "payer": "medicare",
            "patient": {"sex": "F", "birth_date": "1950-02-01"},
            "date_of_service": "2025-11-20", "diagnoses": ["Z12.31", "N63.10"],
            "service_lines": [line("77067", units=1, diagnosis_pointers=[1]),
                              line("77066", *mods, units=1, diagnosis_pointers=[2])]})

    assert found(checker, mammograms("GG"), "NCCI_PTP_CONFLICT") == []
    assert checker.check(mammograms("GG")).findings == ()
    report = checker.check(mammograms())
    ptp, gg = ([g for g in report.findings if g.rule == rule]
               for rule in ("NCCI_PTP_CONFLICT", "MOD_GG_MISSING"))
    assert [(g.fix, g.message.split("indicator 1): ")[1]) for g in ptp] == [(
        (), "a diagnostic mammography that a screening of the same day led to is billed "
            "with GG on the diagnostic code, for which Medicare pays both (Claims Processing "
            "Manual ch.18 §20): add GG to 77066 on line 2 (MOD_GG_MISSING).")]
    assert [(g.location, g.fix) for g in gg] == [(("service_lines", 1, "modifiers"),
                                                  ("GG",))]
    for g in ptp:
        assert "59" not in g.message and "XS" not in g.message


def test_redspec_7_no_57_beside_a_drug_or_vaccine_administration(checker: Checker) -> None:
    """EM_MINOR_PROC_NO_MOD25 without an MPFS file offered 25 or 57 beside 96372 and
    90471; an administration is never a major surgery: 25 only, and 57 on the E/M is the
    wrong modifier. A surgery code keeps 25 or 57 (its global days unknown)."""
    for admin in ("96372", "90471"):
        (f,) = found(checker, claim([line("99213"), line(admin)], "M54.50"),
                     "EM_MINOR_PROC_NO_MOD25")
        assert (f.location, f.fix) == (("service_lines", 0, "modifiers"), ("25",))
        assert f.message == (
            f"Line 1: 99213 is reported on the same day as {admin} (line 2), a drug or "
            "vaccine administration (never a major surgery) that includes the E/M: append 25 "
            "if the E/M was significant and separately identifiable, otherwise remove it.")
        (f,) = found(checker, claim([line("99213", "57"), line(admin)], "M54.50"),
                     "EM_MINOR_PROC_NO_MOD25")
        assert f.fix == ("25",) and f.message.startswith(
            "Line 1: 99213 carries 57, the modifier for the decision for a major surgery, "
            f"but {admin} (line 2) is a drug or vaccine administration (never a major "
            "surgery): use 25")
        assert found(checker, claim([line("99213", "25"), line(admin)], "M54.50"),
                     "EM_MINOR_PROC_NO_MOD25") == []
    (f,) = found(checker, claim([line("99213"), line("11102")], "L98.9"),
                 "EM_MINOR_PROC_NO_MOD25")
    assert f.fix == ("25", "57")

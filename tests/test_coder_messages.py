"""Messages and fixes a certified coder found wrong or unclear, and the commercial profile
that said nothing of the edits it did not run (a certified coder's review of 837P claims of
2026-12-06: section 2 item 8, section 3 items 5, 6, 7, 9, 10, 11).

The PTP and MUE rows are copied by code number from the CMS practitioner tables (July 2024
and April 2026); the HCPCS Level II descriptor is CMS's (public domain). No CPT
descriptors.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, hcpcs, icd10cm, ncci

DOS = "2025-06-10"
OFF = ("the profile commercial runs the NCCI PTP and MUE edits only when configured (many "
       "payers apply NCCI): evolve it with options={'ncci': True} and load the CMS tables "
       "(codekit.ncci.load_ptp, load_mue)")

PTP_CSV = """column_1,column_2,effective_date,deletion_date,modifier_indicator
99214,99173,2012-01-01,,1
99291,36415,2012-01-01,,1
99214,G0444,2012-01-01,,1
90837,99214,2013-01-01,,0
90837,99284,2013-01-01,,0
90834,99213,2013-01-01,,0
20610,99213,2012-01-01,,1
90839,90785,2013-01-01,,0
90792,90833,2013-01-01,,0
11402,11045,2011-01-01,,1
"""
MUE_CSV = ("code,mue,mai\nJ3301,16,3\nJ7175,9000,1\n99397,0,3\n99396,0,3\n92015,0,3\n"
           "99244,0,3\n99253,0,3\n")


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    folder = tmp_path_factory.mktemp("coder")
    (folder / "ptp.csv").write_text(PTP_CSV)
    (folder / "mue.csv").write_text(MUE_CSV)
    return (ncci.load_ptp(folder / "ptp.csv", setting="practitioner"),
            ncci.load_mue(folder / "mue.csv", effective="2024-07-01", setting="practitioner"))


@pytest.fixture(scope="module")
def checker(tables: tuple[Any, Any]) -> Checker:
    ptp, mue = tables
    return Checker(ptp=ptp, mue=mue, policies=())


def line(code: str, *mods: str, units: int = 1) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), "units": units,
            "diagnosis_pointers": [1]}


def claim(dx: list[str], lines: list[dict[str, Any]], payer: str = "medicare",
          born: str = "1952-05-14", day: str = DOS, **more: Any) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": payer, "place_of_service": "11",
        "patient": {"sex": "F", "birth_date": born}, "date_of_service": day,
        "diagnoses": dx, "service_lines": lines, **more})


def found(checker: Checker, c: Claim, *rules: str) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity.value, f.location, f.codes, f.fix, f.message)
            for f in checker.check(c).findings if not rules or f.rule in rules]


# -- 1. commercial: the add-on edit runs, the PTP and MUE edits say they did not -------------

def test_commercial_addon_without_its_primary() -> None:
    """VX05: commercial 90715 + 90472 without 90471 passed silently (the add-on edit was
    off with group G): CPT's add-on convention holds for every payer, a warning."""
    bare = Checker(policies=())
    c = claim(["Z23"], [line("90715"), line("90472")], payer="commercial", born="1990-01-01")
    report = bare.check(c)
    assert report.profile == "commercial"
    assert found(bare, c) == [(
        "ADDON_WITHOUT_PRIMARY", "warning", ("service_lines", 1, "procedure_code"),
        ("90472",), ("90460", "90471", "90473", "G0008", "G0009", "G0010"),
        "Line 2: 90472 is an add-on code (type 1) and needs one of its primary codes (90460, "
        "90471, 90473, G0008, G0009, G0010) on the same date.")]
    assert report.not_run == (("NCCI_PTP_CONFLICT", OFF), ("MUE_EXCEEDED", OFF))
    assert found(bare, claim(["Z23"], [line("90715"), line("90471"), line("90472")],
                             payer="commercial", born="1990-01-01")) == []
    # 11045 alone (its primary is 11042)
    assert [(f[0], f[4]) for f in found(bare, claim(["L97.912"], [line("11045")],
                                                    payer="commercial"))] == [
        ("ADDON_WITHOUT_PRIMARY", ("11042",))]


def test_commercial_institutional_claims_keep_the_addon_edit_off() -> None:
    """An outpatient hospital claim to another payer: Medicare's own editor packages add-on
    codes there (OPPS); a same-date edit would be a false finding."""
    c = Claim.from_dict({
        "claim_type": "institutional", "payer": "aetna", "bill_type": "131",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": "2024-03-01",
        "diagnoses": ["L57.0"], "service_lines": [
            {"procedure_code": "17003", "units": 1, "revenue_code": "0510"}]})
    report = Checker(policies=()).check(c)
    assert report.profile == "commercial"
    assert [f.rule for f in report.findings] == []
    assert report.not_run == (("MUE_EXCEEDED", OFF),)


def test_commercial_lists_the_edits_it_did_not_run(checker: Checker) -> None:
    """Commercial 99213 + 20610 without 25: silent, with an empty not_run, though the
    practitioner PTP table was loaded. Configured, the E/M edit judges it."""
    c = claim(["M17.11"], [line("99213"), line("20610", "RT")], payer="commercial",
              born="1990-01-01")
    report = checker.check(c)
    assert report.findings == ()
    assert report.not_run == (("EM_MINOR_PROC_NO_MOD25", OFF), ("NCCI_PTP_CONFLICT", OFF),
                              ("MUE_EXCEEDED", OFF))
    on = checker.with_profile(checker.profiles["commercial"].evolve(
        name="commercial-ncci", options={"ncci": True}))
    assert [f[0] for f in found(on, c)] == ["EM_MINOR_PROC_NO_MOD25"]
    # medicare-inpatient runs no NCCI edit and says nothing of it
    inpatient = Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": DOS,
        "admission_date": "2025-06-08", "diagnoses": ["M17.11"], "service_lines": []})
    assert checker.check(inpatient).not_run == ()


# -- 2. a service an E/M includes: 25 on the E/M first ---------------------------------------

def test_vision_screening_beside_an_em(checker: Checker) -> None:
    """99214 (column 1) with 99173 (column 2): the fix was 59/X{EPSU} on 99173."""
    got = found(checker, claim(["E11.9", "Z01.00"], [line("99214"), line("99173")],
                               payer="aetna", born="2015-03-02"), "NCCI_PTP_CONFLICT")
    assert got == []  # commercial: not configured (listed not run)
    on = checker.with_profile(checker.profiles["commercial"].evolve(
        name="commercial-ncci", options={"ncci": True}))
    c = claim(["E11.9", "Z01.00"], [line("99214"), line("99173")], payer="aetna",
              born="2015-03-02")
    assert found(on, c, "NCCI_PTP_CONFLICT") == [(
        "NCCI_PTP_CONFLICT", "error", ("service_lines", 0, "modifiers"), ("99214", "99173"),
        ("25",),
        "Line 1: 99214 includes 99173 (line 2) by an NCCI practitioner PTP edit (column 1 "
        "99214, column 2 99173, modifier indicator 1): if the E/M was significant and "
        "separately identifiable from 99173, append 25 to 99214, the modifier of an E/M "
        "separate from another service of its date (59 or XU on 99173 bypasses the edit "
        "too, and is the one an audit questions: 59 and X{EPSU} do not make an E/M "
        "separate); otherwise bill one of the two.")]
    for lines in ([line("99214", "25"), line("99173")], [line("99214"), line("99173", "59")]):
        assert found(on, claim(["E11.9", "Z01.00"], lines, payer="aetna",
                               born="2015-03-02"), "NCCI_PTP_CONFLICT") == []


def test_a_service_critical_care_includes_keeps_the_generic_advice(checker: Checker) -> None:
    """99291 (column 1) with 36415: critical care includes the venipuncture; 25 on 99291
    would mark nothing separate. 59 or X{EPSU} on 36415, only if done apart."""
    got = found(checker, claim(["A41.9", "R65.21"], [line("99291"), line("36415")]),
                "NCCI_PTP_CONFLICT")
    assert [(f[2], f[4], f[5].split(": ", 1)[1]) for f in got] == [(
        ("service_lines", 1, "procedure_code"), ("59", "XS", "XE", "XP", "XU"),
        "36415 is bundled into 99291 (line 1) by an NCCI practitioner PTP edit (column 1 "
        "99291, column 2 36415, modifier indicator 1): append an NCCI-associated modifier "
        "(59, XS/XE/XP/XU, anatomic...) to 36415 only if the services were distinct.")]


# -- 3. psychotherapy beside an E/M: the E/M with the psychotherapy add-on --------------------

def test_psychotherapy_beside_an_em(checker: Checker) -> None:
    """SS07: 90837 + 99214-25 (indicator 0) was told "remove the column-2 code" (the E/M)."""
    assert found(checker, claim(["F33.1"], [line("90837"), line("99214", "25")])) == [(
        "NCCI_PTP_CONFLICT", "error", ("service_lines", 0, "procedure_code"),
        ("90837", "99214"), ("90838", "90836", "90833"),
        "Line 1: 90837 and 99214 (line 2) are billed together, which an NCCI practitioner "
        "PTP edit (column 1 90837, column 2 99214, modifier indicator 0) never allows: "
        "psychotherapy on the day of an E/M by the same provider is reported as the E/M with "
        "a psychotherapy add-on code (90833, 90836 or 90838, by the psychotherapy time, the "
        "E/M's time not counted; CPT psychotherapy guidelines): report 99214 with 90838 in "
        "place of 90837, or a shorter add-on if the psychotherapy time apart from the E/M is "
        "shorter; if no separate E/M was done, bill 90837 alone and remove line 2.")]
    got = found(checker, claim(["F33.1"], [line("90834"), line("99213", "25")]))
    assert [(f[2], f[4]) for f in got] == [(("service_lines", 0, "procedure_code"),
                                            ("90836", "90833"))]
    # the add-on is not reported with an emergency department visit: the generic advice
    got = [f for f in found(checker, claim(["F33.1"], [line("90837"), line("99284", "25")]))
           if f[0] == "NCCI_PTP_CONFLICT"]  # (and an ED visit at an office: its own edit)
    assert [(f[2], f[4], f[5].split(": ", 1)[1]) for f in got] == [(
        ("service_lines", 1, "procedure_code"), (),
        "99284 is bundled into 90837 (line 1) by an NCCI practitioner PTP edit (column 1 "
        "90837, column 2 99284, modifier indicator 0): no modifier bypasses it: remove the "
        "column-2 code.")]


def test_psychotherapy_addon_beside_a_diagnostic_evaluation() -> None:
    """90792 + 90833 was told "90833 ... needs one of its primary codes (99202, 99203...)",
    fix 46 E/M codes: adding one makes a second mistake (90791 or 90792 with an E/M of its
    date is an NCCI indicator-0 pair, as with 90833: CPT does not report psychotherapy with
    the diagnostic evaluation). The add-on is removed."""
    bare = Checker(policies=())
    c = claim(["F43.10"], [line("90792"), line("90833")])
    assert found(bare, c) == [(
        "ADDON_WITHOUT_PRIMARY", "error", ("service_lines", 1, "procedure_code"), ("90833",),
        (), "Line 2: 90833 is a psychotherapy add-on code, reported with an E/M of its date, "
        "and 90792 (line 1) is a psychiatric diagnostic evaluation, not an E/M: CPT does not "
        "report psychotherapy with 90791 or 90792 on the same date (NCCI PTP edit column 1 "
        "90792, column 2 90833, modifier indicator 0): remove 90833; if the service was an "
        "E/M with psychotherapy, report the E/M in place of 90792 and keep 90833.")]
    # commercial: CPT's convention, a warning; 90791 with 90836 alike
    got = found(bare, claim(["F43.10"], [line("90836"), line("90791")], payer="commercial",
                            born="1990-01-01"), "ADDON_WITHOUT_PRIMARY")
    assert [(f[1], f[2], f[4], f[5].split(": CPT", 1)[0]) for f in got] == [(
        "warning", ("service_lines", 0, "procedure_code"), (),
        "Line 1: 90836 is a psychotherapy add-on code, reported with an E/M of its date, "
        "and 90791 (line 2) is a psychiatric diagnostic evaluation, not an E/M")]
    # with an E/M of the date the add-on has its primary (the pair is the PTP edit's)
    assert found(bare, claim(["F43.10"], [line("90792"), line("99214"), line("90833")]),
                 "ADDON_WITHOUT_PRIMARY") == []
    # without the evaluation the generic finding stands, with the E/M codes as the fix;
    # not G0463, the hospital clinic visit the bundled (I/OCE) list names from 2024
    ((*_, fix, message),) = found(bare, claim(["F43.10"], [line("90833")]))
    assert message.startswith("Line 1: 90833 is an add-on code (type 1) and needs one of its "
                              "primary codes (99202, ") and "99214" in fix
    assert "G0463" in ncci.addons().primaries("90833", on=DOS) and "G0463" not in fix


def test_interactive_complexity_beside_crisis_psychotherapy() -> None:
    """90839 + 90785 was told 90785 "needs one of its primary codes (90791, 90792, ...)":
    CPT does not report interactive complexity with psychotherapy for crisis."""
    bare = Checker(policies=())
    assert found(bare, claim(["F43.0"], [line("90839"), line("90785")])) == [(
        "ADDON_WITHOUT_PRIMARY", "error", ("service_lines", 1, "procedure_code"), ("90785",),
        (), "Line 2: 90785 (interactive complexity) is an add-on code without its primary "
        "here: CPT does not report it with psychotherapy for crisis, 90839 (line 1) (NCCI "
        "PTP edit column 1 90839, column 2 90785, modifier indicator 0): remove 90785.")]
    # beside 90834, its primary, the add-on edit has nothing to say
    assert found(bare, claim(["F43.0"], [line("90839"), line("90834"), line("90785")]),
                 "ADDON_WITHOUT_PRIMARY") == []


def test_one_mistake_found_by_the_addon_and_the_ptp_edits_is_one_finding(
        checker: Checker) -> None:
    """90839 + 90785 and 90792 + 90833 with the practitioner PTP table loaded gave two
    errors at the add-on line with one advice (remove the add-on): NCCI_PTP_CONFLICT and
    ADDON_WITHOUT_PRIMARY. The add-on edit's finding, the more specific one, is the one
    reported, as without the table; severity the more severe of the two."""
    bare = Checker(policies=())
    for dx, pair in ((["F43.0"], ("90839", "90785")), (["F43.10"], ("90792", "90833"))):
        c = claim(dx, [line(pair[0]), line(pair[1])])
        got = found(checker, c)
        assert [(f[0], f[1], f[2], f[3], f[4]) for f in got] == [
            ("ADDON_WITHOUT_PRIMARY", "error", ("service_lines", 1, "procedure_code"),
             (pair[1],), ())]
        assert got == found(bare, c)
    # commercial with the NCCI edits on: the PTP edit's error, the add-on edit's warning;
    # one finding, the add-on edit's, an error
    on = checker.with_profile(checker.profiles["commercial"].evolve(
        name="commercial-ncci", options={"ncci": True}))
    got = found(on, claim(["F43.0"], [line("90839"), line("90785")], payer="commercial",
                          born="1990-01-01"))
    assert [(f[0], f[1]) for f in got] == [("ADDON_WITHOUT_PRIMARY", "error")]
    # a profile without the add-on edit gets the PTP finding back
    off = checker.with_profile(checker.profiles["medicare-professional"].evolve(
        name="no-addon", disable=["ADDON_WITHOUT_PRIMARY"]))
    assert [f[0] for f in found(off, claim(["F43.0"], [line("90839"), line("90785")]))] == [
        "NCCI_PTP_CONFLICT"]
    # two problems at one line, with two advices, stay two: 11045 without its primary
    # 11042 (add 11042) and bundled into 11402 (indicator 1: a modifier if distinct)
    got = found(checker, claim(["D23.5"], [line("11402"), line("11045")]))
    assert [(f[0], f[2], f[3], f[4]) for f in got] == [
        ("NCCI_PTP_CONFLICT", ("service_lines", 1, "procedure_code"), ("11402", "11045"),
         ("59", "XS", "XE", "XP", "XU")),
        ("ADDON_WITHOUT_PRIMARY", ("service_lines", 1, "procedure_code"), ("11045",),
         ("11042",))]


# -- 4. drug units far above the MUE: units count the descriptor's dose ----------------------

IN02 = ["M65.311"], [line("96372"), line("J3301", units=40)]
J3301_HEAD = (
    "Line 2: J3301: 40 units on 2025-11-03 exceed its MUE of 16 per day (MAI 3, appealable: "
    "the units of every line of the code on the date are summed, whatever their modifiers). "
    "40 units are 2.5 times the MUE. A unit of a drug code is the dose in its HCPCS "
    "descriptor, not a milligram or one dose given: ")


@pytest.fixture
def hcpcs_file(tmp_path: Path) -> Iterator[None]:
    """A CMS HCPCS file (CSV export) of October 2025 with J3301's long descriptor; the
    other Level II codes of the claims are left to the bundled quarters by not being
    used."""
    f = tmp_path / "hcpcs_export.csv"
    f.write_text("HCPC,SEQNUM,RECID,LONG DESCRIPTION,SHORT DESCRIPTION,ADD DT,ACT EFF DT,"
                 "TERM DT,ACTION CD\nJ3301,00100,3,\"Injection, triamcinolone acetonide, not "
                 "otherwise specified, 10 mg\",Triamcinolone acet inj nos,20000101,20251001,"
                 ",N\n", encoding="utf-8")
    hcpcs.load_release(f)
    yield
    hcpcs.unload_releases()


def test_drug_units_far_above_the_mue(checker: Checker) -> None:
    """IN02: J3301 x 40 (triamcinolone 40 mg: 4 units) was an appealable over-quantity
    with fix 16 (160 mg)."""
    assert found(checker, claim(*IN02, day="2025-11-03"), "MUE_EXCEEDED") == [(
        "MUE_EXCEEDED", "error", ("service_lines", 1, "units"), ("J3301",), (),
        J3301_HEAD + "check the units against J3301's dose per unit (the CMS HCPCS file "
        "names it; loaded with codekit.hcpcs.load_release, it is named here).")]
    # below twice the MUE: the count, not the measure, is in question
    got = found(checker, claim(["M65.311"], [line("96372"), line("J3301", units=20)],
                               day="2025-11-03"), "MUE_EXCEEDED")
    assert [(f[4], f[5].endswith("whatever their modifiers). To stay within it, bill at "
                                 "most 16 units on line 2; more units are paid only on "
                                 "appeal, with the medical records.")) for f in got] == [
        (("16",), True)]
    # MAI 1 (per line): J7175 x 20,000 against 9,000
    got = found(checker, claim(["D68.2"], [line("J7175", units=20000)], day="2025-11-03"),
                "MUE_EXCEEDED")
    assert [(f[4], f[5]) for f in got] == [((), (
        "Line 1: 20000 units of J7175 exceed its MUE of 9000 per line (MAI 1): split only "
        "if the services were separate, otherwise correct the units. 20000 units are 2.2 "
        "times the MUE. A unit of a drug code is the dose in its HCPCS descriptor, not a "
        "milligram or one dose given: a unit of J7175 is 1iu (20000 units bill 20000 iu); "
        "check the units against the dose given."))]


def test_drug_units_name_the_descriptors_dose(checker: Checker, hcpcs_file: None) -> None:
    assert found(checker, claim(*IN02, day="2025-11-03"), "MUE_EXCEEDED") == [(
        "MUE_EXCEEDED", "error", ("service_lines", 1, "units"), ("J3301",), (),
        J3301_HEAD + "a unit of J3301 is 10 mg (40 units bill 400 mg); check the units "
        "against the dose given.")]


# -- 5. a preventive visit for another age band names its code --------------------------------

@pytest.mark.parametrize(("code", "born", "age", "ages", "fix", "band"), [
    ("99395", "1985-01-01", 40, "18-39", "99396", "40-64"),
    ("99396", "1953-01-01", 72, "40-64", "99397", "65 and over"),
    ("99381", "2020-01-01", 5, "0-0", "99383", "5-11"),
    ("99392", "2025-01-01", 0, "1-4", "99391", "under 1"),
])
def test_preventive_visit_of_another_age_band(code: str, born: str, age: int, ages: str,
                                              fix: str, band: str) -> None:
    got = found(Checker(policies=()), claim(["Z00.00" if age >= 18 else "Z00.129"],
                                            [line(code)], payer="aetna", born=born),
                "PROC_AGE_CONFLICT")
    assert got == [(
        "PROC_AGE_CONFLICT", "error", ("service_lines", 0, "procedure_code"), (code,), (fix,),
        f"Line 1: {code} is for ages {ages} but the patient is {age} on {DOS}: use {fix}, "
        f"the code of its kind for ages {band}.")]


def test_other_age_limits_name_no_code() -> None:
    got = found(Checker(policies=()), claim(["J96.00"], [line("99475")], born="2024-03-01"),
                "PROC_AGE_CONFLICT")
    assert [(f[4], f[5]) for f in got] == [((), (
        "Line 1: 99475 is for ages 2-5 but the patient is 1 on 2025-06-10: use the code of "
        "its kind for the patient's age where there is one; otherwise check the code and "
        "the patient's birth date."))]


def test_an_age_limit_without_a_code_of_another_age_says_what_is_true() -> None:
    """A specialty coder's review (2026-12-06), item 7: 59400 (delivery care) at 75 was told "use
    the code for the patient's age group", and no maternity service has a code for other ages: check
    the code and the birth date."""
    got = found(Checker(policies=()), claim(["O80", "Z3A.39"], [line("59400")],
                                            born="1950-03-01"), "PROC_AGE_CONFLICT")
    assert [(f[4], f[5]) for f in got] == [((), (
        "Line 1: 59400 is for ages 9-64 but the patient is 75 on 2025-06-10: a maternity "
        "service has no code for other ages: check the code and the patient's birth "
        "date."))]


# -- 6. MUE 0: Medicare's own preventive visits, GY -------------------------------------------

MCR_PREVENTIVE = (
    "Line 1: 1 unit of 99397: its practitioner MUE is 0 (MAI 3): CMS allows no units of "
    "99397 in this setting: Medicare does not cover a routine preventive visit (SSA "
    "§1862(a)(7); Benefit Policy Manual ch.16 §90). Its own are the initial preventive "
    "physical examination (G0402, in the first 12 months of Part B) and the annual wellness "
    "visit (G0438 the first, G0439 after; Claims Processing Manual ch.18 §80, §140): bill "
    "the one furnished in place of 99397, or bill 99397 with GY (statutorily excluded) for "
    "the denial, so that the patient or a secondary payer pays; otherwise remove the line")


def test_preventive_visit_on_medicare(checker: Checker) -> None:
    assert found(checker, claim(["Z00.00"], [line("99397")]), "MUE_EXCEEDED") == [(
        "MUE_EXCEEDED", "error", ("service_lines", 0, "units"), ("99397",), (),
        MCR_PREVENTIVE + ".")]
    got = found(checker, claim(["Z00.00"], [line("99397", "GA")]), "MUE_EXCEEDED")
    assert [f[5] for f in got] == [
        MCR_PREVENTIVE + ". GA does not change this: an MUE denial is a coding denial, for "
        "which an ABN shifts no liability to the patient; a service Medicare excludes by "
        "statute, billed for the denial, takes GY."]
    # with GY: the note, not the error
    assert [f[0] for f in found(checker, claim(["Z00.00"], [line("99397", "GY")]))] == [
        "MUE_ZERO_WITH_GY"]
    # another code of MUE 0: GY named as the way for a statutory exclusion
    got = found(checker, claim(["H52.13"], [line("92015")]), "MUE_EXCEEDED")
    assert [f[5] for f in got] == [
        "Line 1: 1 unit of 92015: its practitioner MUE is 0 (MAI 3): CMS allows no units of "
        "92015 in this setting; remove the line, or bill the code the payer covers for the "
        "service; a service Medicare excludes by statute, billed for the denial, takes GY."]


def test_preventive_visit_on_another_payer(checker: Checker) -> None:
    """A payer that applies the Medicare MUE table (ncci=True) is told nothing of
    Medicare's coverage."""
    on = checker.with_profile(checker.profiles["commercial"].evolve(
        name="commercial-ncci", options={"ncci": True}))
    got = found(on, claim(["Z00.00"], [line("99396")], payer="aetna", born="1970-01-01"),
                "MUE_EXCEEDED")
    assert [f[5] for f in got] == [
        "Line 1: 1 unit of 99396: its practitioner MUE is 0 (MAI 3): CMS allows no units of "
        "99396 in this setting; remove the line, or bill the code the payer covers for the "
        "service."]


def test_consultation_on_medicare(checker: Checker) -> None:
    """A specialty coder's review (2026-12-06, item 7): MUE 0 on 99244 gave the generic message;
    Medicare has not paid the consultation codes since 2010 (CR 6740): bill the E/M of the
    setting, as the preventive visits are told their own codes."""
    head = ("Line 1: 1 unit of {0}: its practitioner MUE is 0 (MAI 3): CMS allows no units "
            "of {0} in this setting: Medicare has not paid the consultation codes since "
            "2010-01-01 (CMS CR 6740; Claims Processing Manual ch.12 §30.6.10): bill the E/M "
            "of the setting where the visit took place, at the level furnished, in place of "
            "{0}: ")
    assert found(checker, claim(["I10"], [line("99244")]), "MUE_EXCEEDED") == [(
        "MUE_EXCEEDED", "error", ("service_lines", 0, "units"), ("99244",), (),
        head.format("99244") + "an office or other outpatient visit, new patient "
        "99202-99205 or established 99212-99215 (in the emergency department, 99281-99285); "
        "otherwise remove the line.")]
    assert [f[5] for f in found(checker, claim(["I10"], [line("99253")], place_of_service="21"),
                                "MUE_EXCEEDED")] == [
        head.format("99253") + "hospital inpatient or observation care, initial 99221-99223 "
        "(the first visit) or subsequent 99231-99233, or in a nursing facility initial "
        "99304-99306 or subsequent 99307-99310; otherwise remove the line."]
    # another payer applying the Medicare table is told nothing of Medicare's policy
    on = checker.with_profile(checker.profiles["commercial"].evolve(
        name="commercial-ncci", options={"ncci": True}))
    assert [f[5] for f in found(on, claim(["I10"], [line("99244")], payer="aetna"),
                                "MUE_EXCEEDED")] == [
        "Line 1: 1 unit of 99244: its practitioner MUE is 0 (MAI 3): CMS allows no units of "
        "99244 in this setting; remove the line, or bill the code the payer covers for the "
        "service."]


# -- 7. release labels people read ----------------------------------------------------------

def test_a_mid_year_release_is_named_readably() -> None:
    """DX_NOT_VALID_ON_DOS said "a header in FY2025-04"; the id stays in machine fields."""
    got = found(Checker(policies=()), claim(["Z86.010"], [line("99213")]),
                "DX_NOT_VALID_ON_DOS")
    assert got == [(
        "DX_NOT_VALID_ON_DOS", "error", ("diagnoses", 0), ("Z86.010",),
        ("Z86.0100", "Z86.0101", "Z86.0102", "Z86.0109"),
        "Diagnosis 1 'Z86.010': not valid on 2025-06-10: on 2025-06-10 it is a header in "
        "FY2025 (April 2025 update): use a more specific code, e.g. Z86.0100, Z86.0101, "
        "Z86.0102, Z86.0109. Valid: 2015-10-01 to 2024-09-30")]
    assert icd10cm.lookup("Z86.010", on=DOS).release == "FY2025-04"
    named = {r.id: r.readable for r in icd10cm.releases()}
    assert (named["FY2025-04"], named["FY2021-01"], named["FY2026"]) == (
        "FY2025 (April 2025 update)", "FY2021 (January 2021 update)", "FY2026")


@pytest.mark.parametrize(("raw", "hinted"), [
    ('{"code": "E87.1", "poa": "N"}', True),
    (' {"code":"I10"} ', True),
    ('{"poa": "N"}', False),          # no code: no object of a diagnosis
    ("{E87.1}", False),               # not JSON
    ('{"code": "E87.1", "x": ' + "[" * 40 + "]" * 40 + "}", True),
    ('{"code": ["E87.1"]}', False),   # its code no text
])
def test_a_diagnosis_written_as_json_text_is_said_to_be_one(raw: str, hinted: bool) -> None:
    """A diagnosis object's JSON text in the diagnoses (what spark.read.json makes of
    objects among strings in one array) was told only "the dot must follow the 3rd
    character": the message now says what it is and what to give instead."""
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "diagnoses": [raw, "I10"],
        "service_lines": [{"procedure_code": "99213", "units": 1,
                           "diagnosis_pointers": [1, 2]}]})
    (f,) = [f for f in Checker().check(claim).findings if f.rule == "DX_FORMAT_INVALID"]
    assert ("this is a diagnosis object written as JSON text: give the object itself, "
            '{"code": ' in f.message) is hinted
    if hinted:
        assert f.message.endswith("or the code; a Spark array of diagnoses holds one "
                                  "type: docs/spark.md)")

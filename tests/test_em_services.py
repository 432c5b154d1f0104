"""The E/M services of the modifier edits (``procedure.is_em``) beyond the office and
hospital visits, and the modifiers that belong on an E/M or never do -- a professional
coder's checks of 837P claims (a review of 2026-12-06: critical care told to take 59, 25 and 57 on
procedures, 80 and 26 on an E/M, the advice beside a service without a global period or
a preventive screening code).

The PTP rows are copied by code number from the CMS practitioner table of July 2024 (all
indicator 1); the global days are those of the MPFS RVU file. No CPT descriptors.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, procedure
from tests.claims_gen import loaded_mpfs, ptp_checker

DOS = "2025-06-10"

PTP_CSV = """column_1,column_2,effective_date,deletion_date,modifier_indicator
36556,99291,2012-01-01,,1
36556,99292,2012-01-01,,1
31500,99291,2012-01-01,,1
99291,99284,2012-01-01,,1
99292,99284,2012-01-01,,1
99291,94660,2012-01-01,,0
99292,94660,2012-01-01,,0
65222,92012,2013-07-01,,1
65222,92014,2013-07-01,,1
99214,G0442,2012-01-01,,1
99214,G0443,2012-01-01,,1
99214,G0444,2012-01-01,,1
99214,G0447,2012-01-01,,1
96372,99214,2012-01-01,,1
59425,99213,2012-01-01,,1
20610,99213,2012-01-01,,1
"""


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    return ptp_checker(tmp_path_factory.mktemp("em_ptp"), PTP_CSV)


@pytest.fixture
def mpfs(tmp_path: Path) -> Iterator[None]:
    """Global days as the MPFS RVU file gives them."""
    yield from loaded_mpfs(tmp_path / "PPRRVU25_JAN.csv", "code,global_days\n36556,000\n96372,XXX\n"
                           "59425,MMM\n20610,000\n99213,XXX\n99214,XXX\n99291,XXX\n"
                           "65222,000\n92012,XXX\n")


def line(code: str, *mods: str, units: int = 1) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), "units": units,
            "diagnosis_pointers": [1]}


def claim(dx: list[str], lines: list[dict[str, Any]], pos: str = "11",
          born: str = "1952-05-14") -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "place_of_service": pos,
        "patient": {"sex": "F", "birth_date": born}, "date_of_service": DOS,
        "diagnoses": dx, "service_lines": lines})


def found(checker: Checker, c: Claim, *rules: str) -> list[tuple[Any, ...]]:
    return [(f.rule, f.location, f.codes, f.fix, f.message)
            for f in checker.check(c).findings if not rules or f.rule in rules]


# -- which codes are E/M services ----------------------------------------------------------

@pytest.mark.parametrize(("code", "em"), [
    ("99213", True), ("99291", True), ("99292", True), ("99460", True), ("99463", True),
    ("99466", True), ("99468", True), ("99472", True), ("99477", True), ("99480", True),
    ("99483", True), ("99495", True), ("99496", True),
    # E/M-section codes that are no visit of their own, and codes that only look close
    ("99464", False), ("99465", False), ("99470", False), ("99473", False),
    ("99474", False), ("99497", False), ("99417", False), ("20610", False)])
def test_is_em(code: str, em: bool) -> None:
    assert procedure.is_em(code) is em


def test_visit_kinds_are_the_visit_ranges() -> None:
    """Two visits of one kind are one visit (§30.6.5): the kinds are the visit ranges
    only, so critical care or neonatal codes are never "visits of one kind"."""
    assert procedure.EM_RANGES[:7] == procedure.EM_VISIT_KINDS
    assert (99291, 99292) in procedure.EM_RANGES
    assert not any(lo <= 99291 <= hi for lo, hi in procedure.EM_VISIT_KINDS)


# -- critical care beside a procedure: 25 on the E/M, never 59 -------------------------------

CRITICAL = ["A41.9", "R65.21"]


def test_critical_care_beside_a_central_line(checker: Checker) -> None:
    """NC01: 99291 + 36556 (PTP 36556/99291, indicator 1). It was NCCI_PTP_CONFLICT
    asking for 59/X{EPSU} on 99291; an E/M takes 25 (NCCI Policy Manual ch.I §E)."""
    got = found(checker, claim(CRITICAL, [line("99291"), line("36556")], pos="21"))
    assert got == [(
        "EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("99291", "36556"),
        ("25", "57"),
        "Line 1: 99291 is reported on the same day as 36556 (line 2), which includes the "
        "E/M: append 25 if the E/M was significant and separately identifiable (a minor "
        "procedure, 0 or 10 global days), 57 if it was the decision for a major surgery (90 "
        "global days); otherwise remove it. (Load the MPFS RVU file to tell which: "
        "codekit.procedure.load_mpfs.)")]


def test_critical_care_beside_an_intubation(checker: Checker) -> None:
    """NC02: 99291 + 31500 (PTP 31500/99291, indicator 1)."""
    got = found(checker, claim(["J96.01"], [line("99291"), line("31500")], pos="23"))
    assert [(r, loc, codes, fix) for r, loc, codes, fix, _ in got] == [
        ("EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("99291", "31500"),
         ("25", "57"))]


def test_critical_care_beside_a_central_line_with_the_mpfs_file(checker: Checker,
                                                               mpfs: None) -> None:
    got = found(checker, claim(CRITICAL, [line("99291"), line("36556")], pos="21"))
    assert [(r, fix) for r, _, _, fix, _ in got] == [("EM_MINOR_PROC_NO_MOD25", ("25",))]
    assert "36556 (line 2), a minor procedure (000 global days) that includes the E/M" \
        in got[0][4]


def test_59_on_critical_care_does_not_bypass(checker: Checker) -> None:
    """99291-59 + 36556 passed silently as a bypass."""
    got = found(checker, claim(CRITICAL, [line("99291", "59"), line("36556")], pos="21"))
    assert [(r, loc, fix) for r, loc, _, fix, _ in got] == [
        ("EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("25", "57"))]
    assert got[0][4].endswith(
        " (59 on line 1 does not make an E/M separate: 59 and X{EPSU} are not used for E/M "
        "services, 25 on the E/M is: NCCI Policy Manual ch.I §E.)")


def test_each_critical_care_line_takes_25(checker: Checker) -> None:
    """99291 and 99292 are both bundled into 36556: each line is told."""
    got = found(checker, claim(["J96.01"], [line("99291"), line("99292"), line("36556")],
                               pos="23"))
    assert [(r, loc, codes) for r, loc, codes, _, _ in got] == [
        ("EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("99291", "36556")),
        ("EM_MINOR_PROC_NO_MOD25", ("service_lines", 1, "modifiers"), ("99292", "36556"))]


@pytest.mark.parametrize("lines", [
    [line("99291", "25"), line("36556")],
    [line("99291", "25"), line("99292", "25"), line("36556")],
    [line("99291", "25"), line("31500")],
])
def test_critical_care_with_25_is_clean(checker: Checker, lines: list[dict[str, Any]]) -> None:
    assert found(checker, claim(CRITICAL, lines, pos="21")) == []


def test_emergency_visit_and_critical_care(checker: Checker) -> None:
    """99284 (column 2) with 99291: both are paid only when the visit came first (ch.12
    §30.6.12), with 25 on the critical care line, where CMS asks for it (CY 2022 PFS final
    rule); it was told 25 or 57 as beside a procedure, then 25 on the visit alone."""
    got = found(checker, claim(["J96.01"], [line("99284"), line("99291")], pos="23"))
    assert got == [(
        "NCCI_PTP_CONFLICT", ("service_lines", 0, "procedure_code"), ("99291", "99284"),
        ("25",),
        "Line 1: 99284 is bundled into 99291 (line 2) by an NCCI practitioner PTP edit "
        "(column 1 99291, column 2 99284, modifier indicator 1): an E/M visit and critical "
        "care (99291) on one date are both paid only when the visit came first, while the "
        "patient did not need critical care: append 25 to 99291 (line 2) if so, as CMS "
        "asks of critical care billed with another E/M of its date (CY 2022 PFS final rule; "
        "Claims Processing Manual ch.12 §30.6.12), otherwise report the day's work as "
        "critical care and remove line 1.")]
    assert found(checker, claim(["J96.01"], [line("99284", "25"), line("99291")],
                                pos="23")) == []


@pytest.mark.parametrize("lines", [
    [line("99284"), line("99291", "25")],
    [line("99284"), line("99291", "25"), line("99292")],
])
def test_25_on_critical_care_beside_a_visit(checker: Checker,
                                            lines: list[dict[str, Any]]) -> None:
    """99291-25 with 99284 of its date: 25 where CMS asks for it ("practitioners must report
    modifier -25 on the claim when reporting these critical care services", CY 2022 PFS
    final rule; ch.12 §30.6.12) bypasses the PTP edit 99291/99284 (a modifier on either
    line: the spec's G1). It was NCCI_PTP_CONFLICT, "append 25 to 99284"."""
    assert found(checker, claim(["J96.01"], lines, pos="23")) == []


def test_57_on_critical_care_beside_a_visit_is_no_bypass(checker: Checker) -> None:
    """57 is the decision for surgery, not the visit before critical care: 99291-57 with
    99284 stays an edit."""
    got = found(checker, claim(["J96.01"], [line("99284"), line("99291", "57")], pos="23"))
    assert [(r, loc, fix) for r, loc, _, fix, _ in got] == [
        ("NCCI_PTP_CONFLICT", ("service_lines", 0, "procedure_code"), ("25",))]


def test_visit_bundled_into_critical_care_and_its_addon_is_one_finding(checker: Checker) -> None:
    """99284 is in column 2 of both 99291 and its add-on 99292 (CMS practitioner table
    of July 2024, indicator 1): it was two NCCI_PTP_CONFLICT findings at line 3, one per
    column-1 code, for one problem with one remedy."""
    got = found(checker, claim(["J96.01"], [line("99291"), line("99292"), line("99284")],
                               pos="23"))
    assert got == [(
        "NCCI_PTP_CONFLICT", ("service_lines", 2, "procedure_code"), ("99291", "99284"),
        ("25",),
        "Line 3: 99284 is bundled into 99291 (line 1) and its add-on code 99292 (line 2) "
        "by an NCCI practitioner PTP edit (column 1 99291, column 2 99284, modifier "
        "indicator 1; the same for 99292): an E/M visit and critical care (99291) on one "
        "date are both paid only when the visit came first, while the patient did not need "
        "critical care: append 25 to 99291 (line 1) if so, as CMS asks of critical care "
        "billed with another E/M of its date (CY 2022 PFS final rule; Claims Processing "
        "Manual ch.12 §30.6.12), otherwise report the day's work as critical care and remove "
        "line 3.")]
    # the add-on first on the claim: still the primary's finding
    got = found(checker, claim(["J96.01"], [line("99292"), line("99291"), line("99284")],
                               pos="23"))
    assert [(loc, codes) for _, loc, codes, _, _ in got] == [
        (("service_lines", 2, "procedure_code"), ("99291", "99284"))]
    # indicator 0 (94660 in column 2 of both): one "remove" finding
    got = found(checker, claim(["J96.01"], [line("99291"), line("99292", units=2),
                                            line("94660")], pos="21"))
    assert [(loc, codes, fix) for _, loc, codes, fix, _ in got] == [
        (("service_lines", 2, "procedure_code"), ("99291", "94660"), ())]
    # 25 on the visit: clean, as before
    assert found(checker, claim(["J96.01"], [line("99291"), line("99292"),
                                             line("99284", "25")], pos="23")) == []


def test_emergency_visit_and_critical_care_before_2022(checker: Checker) -> None:
    """Before the CY 2022 PFS final rule an emergency department visit was not paid on the
    date of critical care by the same physician: no modifier helps."""
    c = Claim.from_dict({**claim(["J96.01"], [line("99284"), line("99291")],
                                 pos="23").to_dict(), "date_of_service": "2021-06-10"})
    got = found(checker, c, "NCCI_PTP_CONFLICT")
    assert [(loc, fix) for _, loc, _, fix, _ in got] == [
        (("service_lines", 0, "procedure_code"), ())]
    assert got[0][4].endswith(
        "(column 1 99291, column 2 99284, modifier indicator 1): before 2022 Medicare paid "
        "no emergency department visit on the date of critical care by the same physician "
        "(Claims Processing Manual ch.12 §30.6.9.A as then in force): report the day's work "
        "as critical care (99291) and remove line 1.")


# -- the telemedicine visits 98000-98015 are E/M visits beside is_em -------------------------

def aetna(lines: list[dict[str, Any]]) -> Claim:
    """A commercial 837P of 2025-06-10 at place of service 10: the payers that take CPT's
    telemedicine visits (Medicare does not: PROC_TELEMEDICINE_NOT_MEDICARE)."""
    return Claim.from_dict({**claim(["I10"], lines, pos="10").to_dict(), "payer": "aetna"})


def test_a_telemedicine_visit_billed_twice_is_one_visit() -> None:
    """98005 twice on one date was told to add 76 or 77 (repeat procedure modifiers, which
    no E/M takes: CPT Appendix A) since ``is_em`` leaves 98000-98015 out; 99213 twice is
    told to remove the line. Now both."""
    for code in ("98005", "99213"):
        got = [(f.rule, f.location, f.fix) for f in Checker(policies=()).check(
            aetna([line(code), line(code)])).findings if f.rule == "LINE_DUPLICATE"]
        assert got == [("LINE_DUPLICATE", ("service_lines", 1, "procedure_code"), ())], code


@pytest.mark.parametrize("mod", ["26", "TC", "80", "AS"])
def test_a_telemedicine_visit_takes_no_component_or_assistant_modifier(mod: str) -> None:
    """98005-26 passed where 99213-26 is MOD_INVALID: a telemedicine visit is an E/M of
    CPT's E/M section (2025), with no professional or technical component and no
    assistant at surgery."""
    got = [(f.rule, f.location, f.codes) for f in Checker(policies=()).check(
        aetna([line("98005", mod)])).findings if f.rule == "MOD_INVALID"]
    assert got == [("MOD_INVALID", ("service_lines", 0, "modifiers", 0), (mod,))]


# -- the eye examinations 92002-92014 are visits ----------------------------------------------

EYE = ["T15.01XA"]


def test_eye_exam_beside_a_minor_procedure_takes_25(checker: Checker) -> None:
    """92012 beside 65222 (PTP 65222/92012, indicator 1, from 2013-07-01): it was
    NCCI_PTP_CONFLICT asking for 59/X{EPSU} on the exam, or nothing when the procedure
    carried RT (an anatomic modifier on one line bypassed it); an eye examination is a
    visit, separate only with 25 (NCCI Policy Manual ch.I §E, ch.XI)."""
    got = found(checker, claim(EYE, [line("92012"), line("65222", "RT")]))
    assert got == [(
        "EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("92012", "65222"),
        ("25", "57"),
        "Line 1: 92012 is reported on the same day as 65222 (line 2), which includes the "
        "E/M: append 25 if the E/M was significant and separately identifiable (a minor "
        "procedure, 0 or 10 global days), 57 if it was the decision for a major surgery (90 "
        "global days); otherwise remove it. (Load the MPFS RVU file to tell which: "
        "codekit.procedure.load_mpfs.)")]
    # 59 on the exam bypassed the edit: it does not make a visit separate
    got = found(checker, claim(EYE, [line("92014", "59"), line("65222", "RT")]))
    assert [(r, loc, fix) for r, loc, _, fix, _ in got] == [
        ("EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("25", "57"))]
    assert "(59 on line 1 does not make an E/M separate" in got[0][4]
    assert found(checker, claim(EYE, [line("92012", "25"), line("65222", "RT")])) == []


def test_eye_exam_beside_a_minor_procedure_with_the_mpfs_file(checker: Checker,
                                                              mpfs: None) -> None:
    got = found(checker, claim(EYE, [line("92012"), line("65222", "RT")]))
    assert [(r, fix) for r, _, _, fix, _ in got] == [("EM_MINOR_PROC_NO_MOD25", ("25",))]
    got = found(checker, claim(EYE, [line("92012", "57"), line("65222", "RT")]))
    assert [(r, fix) for r, _, _, fix, _ in got] == [("EM_MINOR_PROC_NO_MOD25", ("25",))]


def test_is_em_or_eye_exam() -> None:
    assert [procedure.is_em_or_eye_exam(c) for c in ("92002", "92004", "92012", "92014",
                                                      "99213", "92015", "92018")] == [
        True, True, True, True, True, False, False]
    assert not procedure.is_em("92012")


# -- 25 and 57 belong on an E/M ---------------------------------------------------------------

MOD25 = ("25 is an E/M modifier (the E/M was separate from a procedure or other service of "
         "its date): it belongs on an E/M code (CPT 99202-99499; the eye examinations "
         "92002-92014; the telemedicine visits 98000-98016), not on ")
MOD57 = ("57 is an E/M modifier (the E/M was the decision for a major surgery): it belongs "
         "on an E/M code (CPT 99202-99499; the eye examinations 92002-92014; the "
         "telemedicine visits 98000-98016), not on ")


@pytest.mark.parametrize(("lines", "at", "message"), [
    # EM15: on the procedure and on the E/M
    ([line("99213", "25"), line("20610", "RT", "25")], ("service_lines", 1, "modifiers", 1),
     "Line 2, modifier '25': " + MOD25 + "20610: remove it (line 1, 99213, carries it)."),
    # on the procedure only: it goes to the E/M line
    ([line("99213"), line("20610", "25", "RT")], ("service_lines", 1, "modifiers", 0),
     "Line 2, modifier '25': " + MOD25 + "20610: move it to line 1 (99213)."),
    # alone
    ([line("20610", "RT", "25")], ("service_lines", 0, "modifiers", 1),
     "Line 1, modifier '25': " + MOD25 + "20610: remove it."),
])
def test_25_on_a_procedure(lines: list[dict[str, Any]], at: tuple[Any, ...],
                           message: str) -> None:
    """CPT Appendix A, NCCI Policy Manual ch.I §D: 25 is for an E/M service only."""
    got = found(Checker(policies=()), claim(["M17.11"], lines), "MOD_INVALID")
    assert got == [("MOD_INVALID", at, ("25",), (), message)]


def test_57_on_a_surgery_and_on_a_venipuncture() -> None:
    """EM16: 57 on 27447 beside 99223-57; 57 on 36415 beside a bare 99214."""
    ck = Checker(policies=())
    got = found(ck, claim(["M17.11"], [line("99223", "57"), line("27447", "RT", "57")],
                          pos="21"), "MOD_INVALID")
    assert got == [("MOD_INVALID", ("service_lines", 1, "modifiers", 1), ("57",), (),
                    "Line 2, modifier '57': " + MOD57 + "27447: remove it (line 1, 99223, "
                    "carries it).")]
    got = found(ck, claim(["E11.9"], [line("99214"), line("36415", "57")]), "MOD_INVALID")
    assert [m for *_, m in got] == [
        "Line 2, modifier '57': " + MOD57 + "36415: move it to line 1 (99214)."]


@pytest.mark.parametrize("lines", [
    [line("20610", "RT")],                                  # no modifier 25 at all
    [line("99213", "25"), line("20610", "RT")],
    [line("92012", "25"), line("67820", "E1")],             # an eye examination takes 25
    [line("99291", "25"), line("36556")],
    [line("G0439", "25")],                                  # HCPCS Level II: not judged
])
def test_25_where_it_belongs_is_clean(lines: list[dict[str, Any]]) -> None:
    assert found(Checker(policies=()), claim(["H02.831"], lines), "MOD_INVALID") == []


def test_the_outpatient_profile_takes_25_anywhere() -> None:
    """The I/OCE's edit 22 takes a valid modifier on any code (medicare-outpatient)."""
    c = Claim.from_dict({**claim(["M17.11"], [line("20610", "RT", "25")]).to_dict(),
                         "claim_type": "institutional", "bill_type": "131"})
    assert found(Checker(policies=()), c, "MOD_INVALID") == []


# -- modifiers an E/M never takes -------------------------------------------------------------

ASSISTANT = ("is an assistant-at-surgery modifier: an assistant helps with a surgical "
             "procedure, and is billed on it (Claims Processing Manual ch.12 §20.4.3): "
             "remove it from ")


@pytest.mark.parametrize(("code", "mod", "message"), [
    ("99213", "80", "Line 1, modifier '80': 80 " + ASSISTANT + "99213."),    # EM20
    ("99214", "AS", "Line 1, modifier 'AS': AS " + ASSISTANT + "99214."),
    ("99291", "82", "Line 1, modifier '82': 82 " + ASSISTANT + "99291."),
    ("99213", "26", "Line 1, modifier '26': 26 is the professional component of a service "
                    "that has a technical one: an E/M has no professional and technical "
                    "components (MPFS PC/TC indicator 0, a physician service): remove it "
                    "from 99213."),                                         # RD03
    ("99213", "TC", "Line 1, modifier 'TC': TC is the technical component of a service "
                    "that has a professional one: an E/M has no professional and technical "
                    "components (MPFS PC/TC indicator 0, a physician service): remove it "
                    "from 99213."),
])
def test_not_on_an_em(code: str, mod: str, message: str) -> None:
    got = found(Checker(policies=()), claim(["I10"], [line(code, mod)]), "MOD_INVALID")
    assert got == [("MOD_INVALID", ("service_lines", 0, "modifiers", 0), (mod,), (), message)]


@pytest.mark.parametrize("lines", [
    [line("27447", "80", "RT")], [line("27447", "AS", "RT")], [line("71046", "26")],
    [line("93000")], [line("99213")]])
def test_assistant_and_components_elsewhere_are_clean(lines: list[dict[str, Any]]) -> None:
    assert found(Checker(policies=()), claim(["M17.11"], lines), "MOD_INVALID") == []


# -- the modifiers of a postoperative period: 24 on an E/M, 58/78/79 on a procedure ---------

POSTOP = ("is a procedure's modifier of a surgery's postoperative period ({}): an E/M there "
          "takes 24 when it is unrelated to the surgery, and is part of the surgery's "
          "package when it is not (CPT Appendix A; Claims Processing Manual ch.12 §40.1.A, "
          "§40.2.A): remove it from ")


@pytest.mark.parametrize(("code", "mod", "what"), [
    ("99213", "79", "79, an unrelated procedure"),
    ("99214", "58", "58, a staged or related procedure"),
    ("99232", "78", "78, a return to the operating room"),
    ("98005", "79", "79, an unrelated procedure"),
])
def test_a_procedure_s_postoperative_modifier_on_an_em(code: str, mod: str, what: str) -> None:
    """99213-79 passed clean: 79 (58, 78) marks a procedure of a postoperative period; an
    E/M there takes 24 (CPT Appendix A; ch.12 §40.2.A): fix 24."""
    got = found(Checker(policies=()), claim(["I10"], [line(code, mod)]), "MOD_INVALID")
    assert got == [("MOD_INVALID", ("service_lines", 0, "modifiers", 0), (mod,), ("24",),
                    f"Line 1, modifier '{mod}': {mod} " + POSTOP.format(what) + f"{code}.")]


def test_24_on_a_procedure() -> None:
    """11402-24 passed clean: 24 is the E/M's modifier of a postoperative period; a
    procedure there takes 79, 78 or 58 (CPT Appendix A; ch.12 §40.2.A)."""
    got = found(Checker(policies=()), claim(["D23.5"], [line("11402", "24")]), "MOD_INVALID")
    assert got == [(
        "MOD_INVALID", ("service_lines", 0, "modifiers", 0), ("24",), (),
        "Line 1, modifier '24': 24 is an E/M modifier (an unrelated E/M in a postoperative "
        "period; a procedure there takes 79, 78 or 58): it belongs on an E/M code (CPT "
        "99202-99499; the eye examinations 92002-92014; the telemedicine visits "
        "98000-98016), not on 11402.")]


@pytest.mark.parametrize("lines", [
    [line("99213", "24")], [line("92012", "24")], [line("11402", "79")],
    [line("27447", "78", "RT")], [line("11402", "58")], [line("G0439", "24")]])
def test_the_postoperative_modifiers_where_they_belong(lines: list[dict[str, Any]]) -> None:
    assert found(Checker(policies=()), claim(["D23.5"], lines), "MOD_INVALID") == []


# -- EM_MINOR_PROC_NO_MOD25: a service without a global period --------------------------------

def test_no_global_period_takes_25_only(checker: Checker, mpfs: None) -> None:
    """96372 has global days XXX in the MPFS file: 25 is the only fix, and the message no
    longer asks to load the file that is loaded."""
    got = found(checker, claim(["E11.9"], [line("99214"), line("96372"), line("J1100")]))
    assert got == [(
        "EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("99214", "96372"),
        ("25",),
        "Line 1: 99214 is reported on the same day as 96372 (line 2), a service without a "
        "global period (XXX) that includes the E/M: append 25 if the E/M was significant "
        "and separately identifiable, otherwise remove it.")]


def test_57_beside_a_service_without_a_global_period(checker: Checker, mpfs: None) -> None:
    """57 (the decision for a major surgery) beside 96372 was accepted."""
    got = found(checker, claim(["E11.9"], [line("99214", "57"), line("96372")]))
    assert got == [(
        "EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("99214", "96372"),
        ("25",),
        "Line 1: 99214 carries 57, the modifier for the decision for a major surgery, but "
        "96372 (line 2) is a service without a global period (XXX): use 25 if the E/M was "
        "significant and separately identifiable, otherwise remove it.")]
    assert found(checker, claim(["E11.9"], [line("99214", "25"), line("96372")])) == []


def test_global_period_the_file_leaves_open(checker: Checker, mpfs: None) -> None:
    """59425 (MMM, maternity) in the file: 25 or 57, without asking to load it."""
    got = found(checker, claim(["Z34.82", "J06.9"], [line("99213"), line("59425")],
                               born="1994-02-11"), "EM_MINOR_PROC_NO_MOD25")
    assert got == [(
        "EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("99213", "59425"),
        ("25", "57"),
        "Line 1: 99213 is reported on the same day as 59425 (line 2), which includes the "
        "E/M (global days MMM: maternity): append 25 if the E/M was significant and "
        "separately identifiable (a minor procedure), 57 if it was the decision for a major "
        "surgery; otherwise remove it.")]


# -- a preventive screening code bundled into an E/M: 25 on the E/M ---------------------------

@pytest.mark.parametrize(("code", "kind"), [
    ("G0444", "annual depression screening"), ("G0442", "annual alcohol misuse screening"),
    ("G0443", "brief counseling for alcohol misuse"),
    ("G0447", "behavioral counseling for obesity")])
def test_screening_beside_an_em(checker: Checker, code: str, kind: str) -> None:
    """99214 (column 1) with G0444 (column 2): the fix was 59/X{EPSU} on G0444; the E/M
    takes 25, as the MACs instruct (the finding is at the E/M's modifiers)."""
    got = found(checker, claim(["E11.9", "Z13.31"], [line("99214"), line(code)]))
    assert got == [(
        "NCCI_PTP_CONFLICT", ("service_lines", 0, "modifiers"), ("99214", code), ("25",),
        f"Line 1: 99214 includes {code} (line 2, {kind}) by an NCCI practitioner PTP edit "
        f"(column 1 99214, column 2 {code}, modifier indicator 1): if the E/M was a "
        f"problem-oriented visit significant and separate from the {kind}, append 25 to "
        "99214, as Medicare contractors instruct for a preventive service billed with an "
        f"E/M (59 or XU on {code} bypasses the edit too, and is the one an audit "
        "questions); otherwise bill one of the two.")]
    assert found(checker, claim(["E11.9", "Z13.31"], [line("99214", "25"), line(code)])) == []
    assert found(checker, claim(["E11.9", "Z13.31"], [line("99214"), line(code, "59")])) == []


# -- the global surgical package where no PTP pair says it (an ED coder's review) --------------

@pytest.fixture
def package_mpfs(tmp_path: Path) -> Iterator[None]:
    """Global days of the MPFS RVU file for an emergency physician's procedures, none of
    which the PTP rows of this module pair with 99281-99285 (nor does CMS's table)."""
    yield from loaded_mpfs(tmp_path / "PPRRVU25_JAN.csv", "code,global_days\n12002,010\n"
                           "10060,010\n25600,090\n99283,XXX\n99284,XXX\n99291,XXX\n")


WOUND = ["S01.81XA", "W01.0XXA"]
MINOR_PACKAGE = (
    "Line 1: 99283 is reported on the same day as 12002 (line 2), a minor procedure (010 "
    "global days) whose global surgical package includes a visit of its day unless a "
    "significant, separately identifiable service was also performed (Claims Processing "
    "Manual ch.12 §40.1.C): append 25 if the E/M was significant and separately "
    "identifiable, otherwise remove it.")


def test_a_visit_on_the_day_of_a_minor_procedure_without_a_pair(checker: Checker,
                                                               package_mpfs: None) -> None:
    """99283 + 12002 at an emergency department: no PTP pair (CMS pairs 12002 with 99213,
    not 99281-99285), but the global package of a 010 procedure includes the visit of its
    day (ch.12 §40.1.C, whose example is a scalp wound sutured): 25, as the MACs' global
    surgery edits ask. It passed clean."""
    got = found(checker, claim(WOUND, [line("99283"), line("12002")], pos="23"))
    assert got == [("EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"),
                    ("99283", "12002"), ("25",), MINOR_PACKAGE)]
    assert found(checker, claim(WOUND, [line("99283", "25"), line("12002")], pos="23")) == []
    got = found(checker, claim(WOUND, [line("99283", "57"), line("12002")], pos="23"))
    assert [(r, fix) for r, _, _, fix, _ in got] == [("EM_MINOR_PROC_NO_MOD25", ("25",))]
    assert got[0][4].startswith("Line 1: 99283 carries 57, the modifier for the decision for "
                                "a major surgery, but 12002 (line 2) is a minor procedure")


def test_a_visit_on_the_day_of_a_major_surgery_without_a_pair(checker: Checker,
                                                            package_mpfs: None) -> None:
    """99284 + 25600 (090): the visit of the day is in the package unless it was the
    decision for surgery, 57 (ch.12 §40.1.A, §40.2.A.4); 25 is the wrong modifier."""
    fracture = ["S52.501A", "W19.XXXA"]
    got = found(checker, claim(fracture, [line("99284"), line("25600", "RT")], pos="23"))
    assert got == [(
        "EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers"), ("99284", "25600"),
        ("57",),
        "Line 1: 99284 is reported on the same day as 25600 (line 2), a major surgery (090 "
        "global days) whose global surgical package includes a visit of its day unless it "
        "was the decision for the surgery (Claims Processing Manual ch.12 §40.1.A, "
        "§40.2.A.4): append 57 if so, otherwise remove it.")]
    assert found(checker, claim(fracture, [line("99284", "57"), line("25600", "RT")],
                                pos="23")) == []
    got = found(checker, claim(fracture, [line("99284", "25"), line("25600", "RT")], pos="23"))
    assert [(r, loc, fix) for r, loc, _, fix, _ in got] == [
        ("EM_MINOR_PROC_NO_MOD25", ("service_lines", 0, "modifiers", 0), ("57",))]


@pytest.mark.parametrize("lines", [
    [line("99291"), line("10060")],            # critical care: not a visit of a setting
    [line("99283", "FT"), line("12002")],      # an unrelated E/M, the payer's to judge
])
def test_the_package_judges_visits_only(checker: Checker, package_mpfs: None,
                                        lines: list[dict[str, Any]]) -> None:
    assert found(checker, claim(["L02.411"], lines, pos="23"), "EM_MINOR_PROC_NO_MOD25") == []


def test_the_package_needs_the_global_days(checker: Checker) -> None:
    """Without the MPFS file codekit cannot tell a procedure's global days: no pair, no
    finding (as before)."""
    assert found(checker, claim(WOUND, [line("99283"), line("12002")], pos="23")) == []


def test_the_package_is_not_the_hospitals(package_mpfs: None) -> None:
    """The global surgical package is the practitioner's payment rule: a 131 claim with
    99283 and 12002 (no pair in the hospital table) is clean of it."""
    c = Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "131",
        "patient": {"sex": "F", "birth_date": "1952-05-14"}, "date_of_service": DOS,
        "diagnoses": WOUND, "service_lines": [
            {"procedure_code": "99283", "revenue_code": "0450", "units": 1},
            {"procedure_code": "12002", "revenue_code": "0450", "units": 1}]})
    assert [f for f in Checker(policies=()).check(c).findings
            if f.rule == "EM_MINOR_PROC_NO_MOD25"] == []


# -- GLOBAL_PERIOD_MODIFIER_MISSING: the package across the claim's dates -------------------

@pytest.fixture
def surgery_mpfs(tmp_path: Path) -> Iterator[None]:
    """Global days of the MPFS RVU file: a major surgery (27447, 090), a minor procedure
    (11402, 010), a procedure of its day only (20610, 000), visits (XXX)."""
    yield from loaded_mpfs(tmp_path / "PPRRVU25_JAN.csv", "code,global_days\n27447,090\n"
                           "11402,010\n20610,000\n99213,XXX\n99214,XXX\n99223,XXX\n")


GLOBAL = "GLOBAL_PERIOD_MODIFIER_MISSING"
KNEE = ["M17.11"]


def dated(code: str, day: str, *mods: str, **more: Any) -> dict[str, Any]:
    return {**line(code, *mods), "date_of_service": day, **more}


def test_a_visit_the_day_before_a_major_surgery(surgery_mpfs: None) -> None:
    """99214 on 2025-06-09, 27447 on 2025-06-10: the package of a major surgery holds the
    visits from the day before it unless the visit was the decision for it (ch.12
    §40.1.A, §40.2.A.4). No edit judged two dates of a claim against each other."""
    got = found(Checker(policies=()), claim(KNEE, [dated("99214", "2025-06-09"),
                                                   line("27447", "RT")]), GLOBAL)
    assert got == [(
        GLOBAL, ("service_lines", 0, "modifiers"), ("99214", "27447"), ("57",),
        "Line 1: 99214 on 2025-06-09 is the day before 27447 (line 2, 2025-06-10), a major "
        "surgery (090 global days) whose global surgical package includes the visits from "
        "the day before it, unless the visit was the decision for the surgery (Claims "
        "Processing Manual ch.12 §40.1.A, §40.2.A.4): append 57 if so, otherwise remove "
        "it.")]
    for lines in ([dated("99214", "2025-06-09", "57"), line("27447", "RT")],
                  [dated("99214", "2025-06-08"), line("27447", "RT")],
                  [dated("99214", "2025-06-09"), line("11402")]):   # a minor one: its day
        assert found(Checker(policies=()), claim(KNEE, lines), GLOBAL) == []


def test_a_visit_in_the_postoperative_days(surgery_mpfs: None) -> None:
    """The surgeon's visits of the 90 (10) days after the day of the procedure are in its
    package; an unrelated one takes 24 (ch.12 §40.1.A, §40.2.A)."""
    got = found(Checker(policies=()), claim(KNEE, [dated("27447", "2025-06-09", "RT"),
                                                   line("99223")], pos="21"), GLOBAL)
    assert got == [(
        GLOBAL, ("service_lines", 1, "modifiers"), ("99223", "27447"), ("24",),
        "Line 2: 99223 on 2025-06-10 is in the postoperative period of 27447 (line 1, "
        "2025-06-09: 090 global days, through 2025-09-07), whose global surgical package "
        "includes the surgeon's visits of the period (Claims Processing Manual ch.12 "
        "§40.1.A): append 24 if the visit was unrelated to the surgery (§40.2.A), otherwise "
        "remove it.")]
    fires = [[dated("27447", "2025-03-12", "RT"), line("99213")],   # the 90th day
             [dated("11402", "2025-05-31"), line("99213")]]          # the 10th day
    for lines in fires:
        assert [r for r, *_ in found(Checker(policies=()), claim(KNEE, lines), GLOBAL)] \
            == [GLOBAL]
    clean = [[dated("27447", "2025-03-11", "RT"), line("99213")],    # the 91st day
             [dated("11402", "2025-05-30"), line("99213")],          # the 11th day
             [dated("20610", "2025-06-09", "RT"), line("99213")],    # 000: its day only
             [dated("27447", "2025-06-09", "RT"), line("99213", "24")],
             [dated("27447", "2025-06-09", "RT"), line("99213", "FT")],
             [dated("27447", "2025-06-09", "RT", "54"), line("99213")],
             [dated("27447", "2025-06-09", "RT"), line("99291")]]    # no visit of a setting
    for lines in clean:
        assert found(Checker(policies=()), claim(KNEE, lines), GLOBAL) == [], lines


def test_a_procedure_in_the_postoperative_days(surgery_mpfs: None) -> None:
    got = found(Checker(policies=()), claim(KNEE, [dated("27447", "2025-06-01", "RT"),
                                                   line("20610", "RT")]), GLOBAL)
    assert [(loc, codes, fix) for _, loc, codes, fix, _ in got] == [
        (("service_lines", 1, "modifiers"), ("20610", "27447"), ("58", "78", "79"))]
    assert got[0][4].endswith(
        "append 58 if the procedure was staged or related (planned, or more extensive), 78 "
        "if it was an unplanned return to the operating room for a complication, 79 if it "
        "was unrelated (§40.2.A); otherwise it is part of the package: remove it.")
    assert found(Checker(policies=()), claim(KNEE, [dated("27447", "2025-06-01", "RT"),
                                                    line("20610", "RT", "79")]), GLOBAL) == []


def test_the_package_is_one_providers(surgery_mpfs: None) -> None:
    """Lines of two rendering providers (837P 2420A) are not judged against each other."""
    lines = [dated("27447", "2025-06-09", "RT", rendering_provider="1234567893"),
             {**line("99213"), "rendering_provider": "1245319599"}]
    assert found(Checker(policies=()), claim(KNEE, lines), GLOBAL) == []
    lines[1]["rendering_provider"] = "1234567893"
    assert [r for r, *_ in found(Checker(policies=()), claim(KNEE, lines), GLOBAL)] == [GLOBAL]


def test_the_package_needs_the_file_and_medicare(surgery_mpfs: None) -> None:
    lines = [dated("27447", "2025-06-09", "RT"), line("99213")]
    c = Claim.from_dict({**claim(KNEE, lines).to_dict(), "payer": "aetna"})
    assert found(Checker(policies=()), c, GLOBAL) == []


def test_the_package_without_the_file() -> None:
    lines = [dated("27447", "2025-06-09", "RT"), line("99213")]
    assert found(Checker(policies=()), claim(KNEE, lines), GLOBAL) == []

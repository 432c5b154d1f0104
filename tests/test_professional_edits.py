"""E/M and modifier misses a certified coder's review of 837P claims found (2026-12-06; its §2
items 5, 13, 15, 21; §3 item 3): ``EM_PLACE_OF_SERVICE_MISMATCH`` (an E/M category its
place of service contradicts; FS in an office), ``MOD_25_WITHOUT_OTHER_SERVICE``,
``PROC_TELEMEDICINE_NOT_MEDICARE`` (98000-98015, MPFS status I from 2025, and the
telehealth message for them), ``MOD_ANESTHESIA_PAYMENT_MISSING``, FS off an E/M code
(``MOD_INVALID``). The review's own claims, and the correctly coded claims beside
them."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from pathlib import Path
from typing import Any

import attrs
import pytest

from codekit import Checker, Claim, procedure
from codekit.rules import context
from codekit.rules.professional_edits import office_visit_of

CHECKER = Checker(policies=())
NEW = ("EM_PLACE_OF_SERVICE_MISMATCH", "MOD_25_WITHOUT_OTHER_SERVICE",
       "PROC_TELEMEDICINE_NOT_MEDICARE", "MOD_ANESTHESIA_PAYMENT_MISSING")
HOSPITAL = ("99221", "99222", "99223", "99231", "99232", "99233", "99234", "99235", "99236",
            "99238", "99239")
OFFICE = ("99202", "99203", "99204", "99205", "99211", "99212", "99213", "99214", "99215")


def red(pos: str, dx: list[str], lines: list[dict[str, Any]], *,
        payer: str = "medicare") -> dict[str, Any]:
    """A claim of the review's shape (patient F born 1952-05-14, 2025-06-10)."""
    return {"claim_type": "professional", "payer": payer, "place_of_service": pos,
            "patient": {"sex": "F", "birth_date": "1952-05-14"},
            "date_of_service": "2025-06-10", "diagnoses": dx,
            "service_lines": [{"units": 1, "diagnosis_pointers": [1], **ln} for ln in lines]}


def line(code: str, *mods: str, **more: Any) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), **more}


def found(d: dict[str, Any], checker: Checker = CHECKER,
          rules: tuple[str, ...] = NEW) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity.value, f.location, f.codes, f.fix)
            for f in checker.check(Claim.from_dict(d)).findings if f.rule in rules]


# -- POS_INVALID ---------------------------------------------------------------------------

POS = ("POS_INVALID",)


@pytest.mark.parametrize(("pos", "fix"), [("2", ("02",)), ("2.0", ("02",)), (" 02", ("02",)),
                                          ("011", ("11",)), ("30", ()), ("00", ()),
                                          ("99.5", ()), ("OF", ()), ("", ())])
def test_a_place_of_service_not_of_the_cms_set(pos: str, fix: tuple[str, ...]) -> None:
    # 2 (a CSV number column's 02) passed, and with it the telehealth edits, which
    # compare the two digits: now the one reading is the fix
    d = red(pos, ["M17.11"], [line("20610", "RT")])
    assert found(d, rules=POS) == [("POS_INVALID", "error", ("place_of_service",), (pos,), fix)]
    assert found(red(pos, ["M17.11"], [line("20610", "RT")], payer="aetna"),
                 rules=POS) == [("POS_INVALID", "error", ("place_of_service",), (pos,), fix)]


def test_a_fixed_place_of_service_is_judged_by_the_other_edits() -> None:
    d = red("2", ["M17.11"], [line("20610", "RT")])
    assert [f.rule for f in CHECKER.check(Claim.from_dict(d)).findings] == ["POS_INVALID"]
    d["place_of_service"] = "02"
    assert [f.rule for f in CHECKER.check(Claim.from_dict(d)).findings] == [
        "MOD_TELEHEALTH_NOT_ELIGIBLE"]


@pytest.mark.parametrize(("pos", "day", "since"), [
    ("27", "2023-09-30", "2023-10-01"), ("10", "2021-12-31", "2022-01-01"),
    ("58", "2019-12-31", "2020-01-01"), ("02", "2016-12-31", "2017-01-01"),
    ("19", "2015-12-31", "2016-01-01")])
def test_a_place_of_service_before_it_took_effect(pos: str, day: str, since: str) -> None:
    d = red(pos, ["I10"], [line("99213")])
    d["date_of_service"] = day
    got = [f for f in CHECKER.check(Claim.from_dict(d)).findings if f.rule == "POS_INVALID"]
    assert [(f.location, f.fix) for f in got] == [(("place_of_service",), ())]
    assert f"took effect on {since}, after the date of service {day}" in got[0].message
    d["date_of_service"] = since
    assert found(d, rules=POS) == []


def test_a_line_s_own_place_of_service_on_its_own_date() -> None:
    d = red("11", ["I10"], [line("99213"), line("G2012", place_of_service="10",
                                                 date_of_service="2021-12-30")])
    d["date_of_service"] = "2022-01-03"
    d["service_lines"][0]["date_of_service"] = "2022-01-03"
    assert found(d, rules=POS) == [
        ("POS_INVALID", "error", ("service_lines", 1, "place_of_service"), ("10",), ())]
    d["service_lines"][1]["place_of_service"] = "4"
    assert found(d, rules=POS) == [
        ("POS_INVALID", "error", ("service_lines", 1, "place_of_service"), ("4",), ("04",))]


@pytest.mark.parametrize("pos", ["01", "11", "22", "24", "27", "66", "99"])
def test_every_code_of_the_set_in_effect_is_clean(pos: str) -> None:
    assert found(red(pos, ["I10"], [line("99213")]), rules=POS) == []


def test_a_long_or_odd_place_of_service_is_shown_short() -> None:
    d = red("1" * 4000, ["I10"], [line("99213")])
    f, = [f for f in CHECKER.check(Claim.from_dict(d)).findings if f.rule == "POS_INVALID"]
    assert len(f.message) < 250 and "(4,000 characters)" in f.message
    assert found(red("\uff10\uff12", ["I10"], [line("99213")]), rules=POS) == [
        ("POS_INVALID", "error", ("place_of_service",), ("\uff10\uff12",), ())]


def test_institutional_claims_and_no_place_of_service_are_not_judged() -> None:
    d = red("2", ["I10"], [line("99213", revenue_code="0510")])
    d.update(claim_type="institutional", bill_type="131")
    assert found(d, rules=POS) == []
    d = red("11", ["I10"], [line("99213")])
    del d["place_of_service"]
    assert found(d, rules=POS) == []


# -- EM_PLACE_OF_SERVICE_MISMATCH -------------------------------------------------------------

def test_nc08_an_office_visit_at_an_inpatient_hospital() -> None:
    # the review's NC08, as written (the line's POS and the claim's)
    d = red("21", ["J18.9"], [line("99213", place_of_service="21")])
    assert found(d) == [("EM_PLACE_OF_SERVICE_MISMATCH", "warning",
                         ("service_lines", 0, "procedure_code"), ("99213",), HOSPITAL)]
    message = CHECKER.check(Claim.from_dict(d)).findings[0].message
    assert "99213 is an office or other outpatient visit (99202-99215)" in message
    assert "hospital inpatient or observation care visit (99221-99239)" in message
    assert "registered hospital inpatient seen in the practitioner's office" in message
    # an inpatient psychiatric facility alike (its inpatient keeps 51 wherever seen)
    d = red("51", ["F33.2"], [line("99214")])
    assert found(d) == [("EM_PLACE_OF_SERVICE_MISMATCH", "warning",
                         ("service_lines", 0, "procedure_code"), ("99214",), HOSPITAL)]
    assert CHECKER.check(Claim.from_dict(d)).findings[0].message == (
        "Line 1: 99214 is an office or other outpatient visit (99202-99215), and its place of "
        "service 51 is an inpatient psychiatric facility: a visit there is a hospital "
        "inpatient or observation care visit (99221-99239). Correct the code, or the place of "
        "service if the patient was seen elsewhere. (A registered hospital inpatient seen in "
        "the practitioner's office keeps place of service 51: Claims Processing Manual ch.26 "
        "§10.5.)")


@pytest.mark.parametrize(("code", "pos", "fix"), [
    ("99232", "11", OFFICE),  # NC09
    ("99284", "11", OFFICE),  # NC10
    ("99284", "20", OFFICE),  # urgent care is no emergency department
    ("99214", "31", ("99304", "99305", "99306", "99307", "99308", "99309", "99310", "99315",
                     "99316")),
    ("99214", "32", ("99304", "99305", "99306", "99307", "99308", "99309", "99310", "99315",
                     "99316")),
    ("99308", "12", ("99341", "99342", "99344", "99345", "99347", "99348", "99349", "99350")),
    ("99349", "23", ("99281", "99282", "99283", "99284", "99285")),
    # psychiatric settings: an inpatient psychiatric facility's patients are inpatients, a
    # psychiatric residential treatment center's residents take the nursing facility codes
    ("99214", "51", HOSPITAL),
    ("99214", "56", ("99304", "99305", "99306", "99307", "99308", "99309", "99310", "99315",
                     "99316")),
    ("99349", "56", ("99304", "99305", "99306", "99307", "99308", "99309", "99310", "99315",
                     "99316")),
])
def test_categories_that_do_not_fit_the_place(code: str, pos: str,
                                              fix: tuple[str, ...]) -> None:
    for payer in ("medicare", "aetna"):  # CPT's categories: every payer
        assert found(red(pos, ["I10"], [line(code)], payer=payer)) == [
            ("EM_PLACE_OF_SERVICE_MISMATCH", "warning",
             ("service_lines", 0, "procedure_code"), (code,), fix)]


@pytest.mark.parametrize(("code", "pos"), [
    ("99213", "11"), ("99213", "22"), ("99213", "19"), ("99213", "23"), ("99213", "10"),
    ("99232", "21"), ("99232", "22"), ("99232", "12"),  # hospital at home: left out
    ("99284", "23"), ("99284", "21"), ("99284", "19"),  # boarded, off-campus: left out
    ("99308", "31"), ("99308", "32"), ("99308", "21"),  # swing beds: left out
    ("99349", "12"), ("99349", "13"), ("99349", "21"),  # hospital at home: left out
    ("99232", "51"), ("99308", "56"),  # an inpatient psychiatric facility, a PRTC
    ("99213", "52"), ("99213", "53"), ("99213", "57"),  # partial hospitalization, CMHC...
    ("99291", "11"), ("20610", "21"),  # not a category of a setting
])
def test_correctly_coded_or_left_out(code: str, pos: str) -> None:
    assert found(red(pos, ["I10"], [line(code)])) == []


def test_the_line_place_of_service_wins_and_institutional_claims_are_not_judged() -> None:
    assert found(red("21", ["I10"], [line("99213", place_of_service="11")])) == []
    d = red("11", ["I10"], [line("99232", place_of_service="21"), line("99213")])
    assert found(d) == []
    d = red("21", ["I10"], [line("99213")])
    d.update(claim_type="institutional", bill_type="131")
    d["service_lines"][0]["revenue_code"] = "0510"
    assert found(d) == []
    # no place of service at all: nothing to compare
    d = red("21", ["I10"], [line("99213")])
    del d["place_of_service"]
    assert found(d) == []


def test_ss02_split_shared_in_an_office_medicare_only() -> None:
    d = red("11", ["I10"], [line("99214", "FS")])  # the review's SS02
    assert found(d) == [("EM_PLACE_OF_SERVICE_MISMATCH", "warning",
                         ("service_lines", 0, "modifiers", 0), ("99214", "FS"), ())]
    assert "remove FS" in CHECKER.check(Claim.from_dict(d)).findings[0].message
    assert found(red("21", ["I10"], [line("99232", "FS")])) == []
    assert found(red("31", ["I10"], [line("99308", "FS")])) == []
    assert found(red("11", ["I10"], [line("99214", "FS")], payer="aetna")) == []


def test_ss03_split_shared_on_a_procedure_is_mod_invalid() -> None:
    d = red("11", ["M17.11"], [line("20610", "FS")])  # the review's SS03
    assert found(d, rules=("MOD_INVALID", *NEW)) == [
        ("MOD_INVALID", "error", ("service_lines", 0, "modifiers", 0), ("FS",), ())]
    message = CHECKER.check(Claim.from_dict(d)).findings[0].message
    assert "it belongs on an E/M code (CPT 99202-99499), not on 20610" in message
    assert found(red("21", ["I10"], [line("99232", "FS")]), rules=("MOD_INVALID",)) == []
    assert found(red("21", ["I10"], [line("G0316", "FS")]), rules=("MOD_INVALID",)) == []


# -- MOD_25_WITHOUT_OTHER_SERVICE -------------------------------------------------------------

def test_em06_25_on_the_only_service() -> None:
    d = red("11", ["I10"], [line("99213", "25")])  # the review's EM06
    assert found(d) == [("MOD_25_WITHOUT_OTHER_SERVICE", "warning",
                         ("service_lines", 0, "modifiers", 0), ("99213", "25"), ())]
    assert found(red("11", ["I10"], [line("99213", "25")], payer="aetna")) != []
    # another date's line is no service of this one
    d = red("11", ["M17.11"], [line("99213", "25", date_of_service="2025-06-10"),
                               line("20610", "RT", date_of_service="2025-06-12")])
    assert [f[2] for f in found(d)] == [("service_lines", 0, "modifiers", 0)]


@pytest.mark.parametrize("other", [
    line("20610", "RT"), line("99397"), line("36415"),
    line("00000"),  # an unknown code is still a line of the date
])
def test_25_beside_another_service(other: dict[str, Any]) -> None:
    assert found(red("11", ["M17.11"], [line("99214", "25"), other])) == []
    # an add-on of the visit beside the other service changes nothing
    assert found(red("11", ["M17.11"], [line("99214", "25"), line("G2211"), other])) == []


@pytest.mark.parametrize(("em", "addons", "pos"), [
    ("99214", ("G2211",), "11"), ("99215", ("G2212",), "11"), ("99215", ("99417",), "11"),
    ("99205", ("G2212", "G2211"), "11"), ("99291", ("99292",), "21"),
    ("99223", ("G0316",), "21"),
])
def test_25_beside_only_an_addon_of_the_visit_itself(em: str, addons: tuple[str, ...],
                                                     pos: str) -> None:
    """99215-25 with G2212 alone on its date was told nothing (nor with 99417;
    99214-25 with G2211 only by the G2211 policy): every other line of the date counted
    as another service. G2211 (the visit's complexity), the visit's prolonged time (G2212,
    99417, G0316) and critical care's further time (99292) report more of the same E/M,
    no procedure or service separate from it (CPT Appendix A, modifier 25)."""
    d = red(pos, ["I10"], [line(em, "25"), *(line(a) for a in addons)])
    assert found(d) == [("MOD_25_WITHOUT_OTHER_SERVICE", "warning",
                         ("service_lines", 0, "modifiers", 0), (em, "25"), ())]


def test_the_message_of_25_beside_an_addon_of_the_visit() -> None:
    def message(d: dict[str, Any]) -> str:
        (f,) = [f for f in CHECKER.check(Claim.from_dict(d)).findings
                if f.rule == "MOD_25_WITHOUT_OTHER_SERVICE"]
        return f.message

    head = ("Line 1: 99215 carries modifier 25, which says the E/M was significant and "
            "separately identifiable from another procedure or service of its date, and ")
    tail = (": remove 25 (it stays only if the other service of that day is billed on "
            "another claim).")
    assert message(red("11", ["I10"], [line("99215", "25"), line("G2212")])) == (
        head + "the other line of 2025-06-10 is G2212, an add-on code of the E/M itself "
        "(more of the same visit), not a service separate from it" + tail)
    assert message(red("11", ["I10"], [line("99215", "25"), line("G2211"), line("G2212"),
                                       line("1036F")])) == (
        head + "the other lines of 2025-06-10 are G2211, G2212, add-on codes of the E/M "
        "itself (more of the same visit) and 1036F, a quality-data code (a quality "
        "measure's action), not a service separate from it" + tail)


def test_25_quiet_cases() -> None:
    assert found(red("11", ["I10"], [line("99213")])) == []
    d = red("11", ["I10"], [line("99213", "25")])
    d.update(claim_type="institutional", bill_type="131")
    d["service_lines"][0]["revenue_code"] = "0510"
    assert found(d) == []
    # 25 on a procedure is MOD_INVALID's, not this edit's
    assert found(red("11", ["M17.11"], [line("20610", "25", "RT")])) == []


# -- PROC_TELEMEDICINE_NOT_MEDICARE and the telehealth message -------------------------------

def test_office_visit_of_every_telemedicine_code() -> None:
    assert frozenset(str(n) for n in range(98000, 98016)) == procedure.TELEMEDICINE_VISITS
    got = [office_visit_of(str(n)) for n in range(98000, 98016)]
    assert got == ["99202", "99203", "99204", "99205", "99212", "99213", "99214", "99215"] * 2


def test_th09_a_telemedicine_code_on_medicare() -> None:
    d = red("10", ["I10"], [line("98005")])  # the review's TH09
    report = CHECKER.check(Claim.from_dict(d))
    assert [(f.rule, f.severity.value, f.location, f.codes, f.fix) for f in report.findings] \
        == [("PROC_TELEMEDICINE_NOT_MEDICARE", "error",
             ("service_lines", 0, "procedure_code"), ("98005",), ("99213",))]
    message = report.findings[0].message
    assert "not recognize (MPFS status I since 2025" in message
    assert "99213, with place of service 10 (the patient at home) or 02" in message
    assert "in person" not in message
    audio = CHECKER.check(Claim.from_dict(red("10", ["I10"], [line("98013")]))).findings
    assert audio[0].fix == ("99213",) and "modifier 93 (audio-only)" in audio[0].message
    assert found(red("11", ["I10"], [line("98000", "95")]))[0][-1] == ("99202",)
    # other payers took the codes; 98016 is payable (its telehealth finding is the old one)
    assert found(red("10", ["I10"], [line("98005")], payer="aetna")) == []
    assert found(red("10", ["I10"], [line("98016")])) == []


def test_the_telehealth_message_for_telemedicine_codes() -> None:
    """§3 item 3: 'report the place where it was furnished in person' is wrong for a visit
    that is by telecommunication by its nature."""
    profile = CHECKER.profiles["medicare-professional"].evolve(
        disable=["PROC_TELEMEDICINE_NOT_MEDICARE"])
    checker = CHECKER.with_profile(profile)
    for lines in ([line("98005")], [line("98005", "95")]):
        report = checker.check(Claim.from_dict(red("10", ["I10"], lines)))
        assert [(f.rule, f.location, f.fix) for f in report.findings] == [
            ("MOD_TELEHEALTH_NOT_ELIGIBLE", ("service_lines", 0, "procedure_code"),
             ("99213",))]
        assert "in person" not in report.findings[0].message
        assert "99213, with place of service 10" in report.findings[0].message
    # a code that is not telemedicine keeps its message
    report = checker.check(Claim.from_dict(red("10", ["M17.11"], [line("20610", "RT")])))
    assert "report the place where it was furnished in person" in report.findings[0].message


# -- the telephone E/M services 99441-99443 after CPT deleted them --------------------------

VALIDITY = ("PROC_NOT_VALID_ON_DOS",)


@pytest.mark.parametrize(("payer", "fix", "says"), [
    ("medicare", ("99212", "99213", "99214", "99215"),
     "Medicare (this claim's profile) pays an audio-only visit with an established patient as "
     "the office or other outpatient visit of its level, 99212-99215, with modifier 93"),
    ("aetna", ("98012", "98013", "98014", "98015"),
     "an audio-only visit with an established patient is CPT's telemedicine visit "
     "98012-98015 (a new patient's 98008-98011), where the payer takes them"),
])
def test_a_telephone_visit_after_2024(payer: str, fix: tuple[str, ...], says: str) -> None:
    """99442 on 2025-06-10: CPT deleted 99441-99443 on 2025-01-01 and the finding had no
    fix. Medicare pays audio-only visits as 99212-99215 with 93 and does not recognize
    98000-98015 (CY 2025 PFS final rule); CPT's audio-only visits of an established
    patient are 98012-98015: the fix is the profile's payer's, and the message says whose."""
    report = CHECKER.check(Claim.from_dict(red("10", ["I10"], [line("99442")], payer=payer)))
    assert [(f.rule, f.location, f.fix) for f in report.findings] == [
        ("PROC_NOT_VALID_ON_DOS", ("service_lines", 0, "procedure_code"), fix)]
    assert report.findings[0].message.startswith(
        "Line 1: '99442': not valid on 2025-06-10: it was deleted after 2024-12-31.")
    assert says in report.findings[0].message


def test_a_telephone_visit_before_2025_and_other_deleted_codes() -> None:
    """99443 on 2024-12-31 is valid; a code deleted otherwise keeps its own answer (99201,
    deleted after 2020: no fix); an outpatient hospital claim is not told a practitioner's
    codes."""
    d = red("10", ["I10"], [line("99443")])
    assert found({**d, "date_of_service": "2024-12-31"}, rules=VALIDITY) == []
    assert found(red("11", ["I10"], [line("99201")]), rules=VALIDITY) == [
        ("PROC_NOT_VALID_ON_DOS", "error", ("service_lines", 0, "procedure_code"),
         ("99201",), ())]
    hospital = {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
                "patient": {"sex": "F", "birth_date": "1952-05-14"},
                "date_of_service": "2025-06-10", "diagnoses": ["I10"],
                "service_lines": [{"procedure_code": "99441", "revenue_code": "0510",
                                   "units": 1}]}
    got = CHECKER.check(Claim.from_dict(hospital)).findings
    assert [(f.rule, f.fix) for f in got if f.rule in VALIDITY] == [
        ("PROC_NOT_VALID_ON_DOS", ())]


# -- MOD_ANESTHESIA_PAYMENT_MISSING -----------------------------------------------------------

def test_an05_anesthesia_without_a_payment_modifier() -> None:
    d = red("21", ["M17.11"], [line("01402", units=95)])  # the review's AN05
    assert found(d) == [("MOD_ANESTHESIA_PAYMENT_MISSING", "error",
                         ("service_lines", 0, "modifiers"), ("01402",),
                         ("AA", "QK", "QY", "QX", "QZ", "AD"))]
    assert found(red("21", ["M17.11"], [line("01402", "P2", units=95)])) != []
    for mods in (("AA",), ("QZ", "P2"), ("QK",), ("QX",), ("QY",), ("AD",)):
        assert found(red("21", ["M17.11"], [line("01402", *mods, units=95)])) == []
    assert found(red("21", ["M17.11"], [line("01402", units=95)], payer="aetna")) == []


# -- MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING: P1-P6 (commercial) ------------------------------

STATUS = ("MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING",)


def test_anesthesia_without_a_physical_status_modifier() -> None:
    """CPT reports every anesthesia service with its physical-status modifier: a warning
    under commercial; Medicare takes P1-P6 as information only (off)."""
    d = red("21", ["M17.11"], [line("01402", "AA", units=95)], payer="aetna")
    assert found(d, rules=STATUS) == [("MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING", "warning",
                                       ("service_lines", 0, "modifiers"), ("01402",),
                                       ("P1", "P2", "P3", "P4", "P5", "P6"))]
    assert found({**d, "payer": "medicare"}, rules=STATUS) == []
    assert found({**d, "payer": "medicare", "dme_supplier": True}, rules=STATUS) == []
    for lines in ([line("01402", "AA", "P2", units=95)], [line("01402", "QZ", "P6")],
                  [line("01967", "AA", "P1", units=120), line("01968", "AA", units=60)],
                  [line("01996")], [line("27447", "RT")]):
        assert found(red("21", ["M17.11"], lines, payer="aetna"), rules=STATUS) == [], lines


# -- PROC_ANESTHESIA_MULTIPLE: two anesthesia base codes on one date ---------------------------

MULTIPLE = ("PROC_ANESTHESIA_MULTIPLE",)


@pytest.mark.parametrize("payer", ["medicare", "aetna"])
def test_two_anesthesia_base_codes_on_one_date(payer: str) -> None:
    """A cholecystectomy's anesthesia and a lower abdominal one billed on one date: one
    anesthesia is one line, the code with the highest base units with the total time
    (Claims Processing Manual ch.12 §50); the NCCI PTP tables pair no two base codes."""
    d = red("22", ["K80.20"], [line("00790", "AA", "P3", units=60),
                               line("00840", "AA", "P3", units=30)], payer=payer)
    assert found(d, rules=MULTIPLE) == [("PROC_ANESTHESIA_MULTIPLE", "warning",
                                         ("service_lines", 1, "procedure_code"),
                                         ("00840", "00790"), ())]
    assert CHECKER.check(Claim.from_dict(d)).findings[0].message == (
        "Line 2: 00840 and 00790 (line 1) are two anesthesia procedure codes on 2025-06-10: "
        "for several procedures under one anesthesia, report only the anesthesia code with "
        "the highest base units, with the total anesthesia time on its line (Claims "
        "Processing Manual ch.12 §50); if this was an anesthesia session of its own, mark it "
        "with 59 or XE.")


@pytest.mark.parametrize("lines", [
    # a session of its own (59, XE; a return to the operating room, 78)
    [line("00790", "AA", "P3", units=60), line("00840", "AA", "P3", "XE", units=30)],
    [line("00790", "AA", "P3", "59", units=60), line("00840", "AA", "P3", units=30)],
    [line("00790", "AA", "P3", units=60), line("00840", "AA", "P3", "78", units=30)],
    # one case under medical direction: the anesthesiologist's and the CRNA's lines
    [line("00790", "QK", "P3", units=60), line("00790", "QX", "P3", units=60)],
    # an add-on code; the daily management of an epidural (NCCI PTP pairs it)
    [line("01967", "AA", "P1", units=120), line("01968", "AA", "P1", units=60)],
    [line("00790", "AA", "P3", units=60), line("01996", "AA")],
    # two dates
    [line("00790", "AA", "P3", units=60),
     line("00840", "AA", "P3", units=30, date_of_service="2025-06-11")],
])
def test_one_anesthesia_a_session_is_clean(lines: list[dict[str, Any]]) -> None:
    for payer in ("medicare", "aetna"):
        assert found(red("22", ["K80.20"], lines, payer=payer), rules=MULTIPLE) == []


def test_an_institutional_claim_is_not_judged() -> None:
    d = {**red("22", ["K80.20"], [line("00790", units=1), line("00840", units=1)]),
         "claim_type": "institutional", "bill_type": "131"}
    for ln in d["service_lines"]:
        ln["revenue_code"] = "0370"
    assert found(d, rules=MULTIPLE) == []


# -- PROC_PERIOD_REPEATED (a telehealth coder's review: care management or monitoring, twice) --

def _period(*dated: tuple[str, str], payer: str = "medicare") -> dict[str, Any]:
    d = red("11", ["I10", "E11.9"], [line(code, date_of_service=day) for code, day in dated],
            payer=payer)
    d["date_of_service"] = dated[0][1]
    return d


def _period_found(d: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f.location, f.codes, f.fix, f.message) for f in
            CHECKER.check(Claim.from_dict(d)).findings if f.rule == "PROC_PERIOD_REPEATED"]


def test_chronic_care_management_twice_in_a_calendar_month() -> None:
    assert _period_found(_period(("99490", "2026-05-04"), ("99490", "2026-05-26"))) == [(
        ("service_lines", 1, "procedure_code"), ("99490",), (),
        "Line 2: 99490 (chronic care management) on 2026-05-26 is in the same calendar month "
        "(2026-05) as line 1 on 2026-05-04: Medicare pays 99490 once per calendar month (its "
        "further time on its add-on code, if any); remove this line, or correct its date.")]
    # collaborative care and RPM treatment management, the lines out of order
    got = _period_found(_period(("99493", "2026-05-28"), ("99493", "2026-05-04"),
                                ("99457", "2026-05-04"), ("99457", "2026-05-29")))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 0, "procedure_code"), ("99493",)),
        (("service_lines", 3, "procedure_code"), ("99457",))]
    assert "(behavioral health integration) on 2026-05-28" in got[0][3]


def test_remote_monitoring_device_supply_twice_in_30_days() -> None:
    got = _period_found(_period(("99454", "2026-05-04"), ("99454", "2026-05-20")))
    assert got == [(("service_lines", 1, "procedure_code"), ("99454",), (),
                    "Line 2: 99454 (remote physiologic monitoring device supply) on "
                    "2026-05-20 is 16 days after line 1 on 2026-05-04: Medicare pays 99454 "
                    "once per 30 days (the next period starts 30 days after the first line); "
                    "remove this line, or correct its date.")]
    # a third line 30 days after the first starts a new period; one 29 days after does not
    got = _period_found(_period(("99454", "2026-05-04"), ("99454", "2026-06-02"),
                                ("99454", "2026-06-03"), ("99454", "2026-06-20")))
    assert [at[1] for at, _, _, _ in got] == [1, 3]


def test_remote_interrogation_of_a_cardiac_device_once_per_period() -> None:
    """93294 (pacemaker) covers up to 90 days, 93297 and 93298 up to 30 days: a second
    line inside the period was clean (codekit knew no period of them)."""
    got = _period_found(_period(("93294", "2026-03-02"), ("93294", "2026-04-15")))
    assert got == [(("service_lines", 1, "procedure_code"), ("93294",), (),
                    "Line 2: 93294 (remote interrogation device evaluation) on 2026-04-15 is "
                    "44 days after line 1 on 2026-03-02: Medicare pays 93294 once per 90 "
                    "days (the next period starts 90 days after the first line); remove "
                    "this line, or correct its date.")]
    got = _period_found(_period(("93298", "2026-03-02"), ("93298", "2026-03-20"),
                                ("93298", "2026-04-01")))
    assert [(at[1], "once per 30 days" in m) for at, _, _, m in got] == [(1, True)]
    # 90 days on: a new period
    assert _period_found(_period(("93295", "2026-01-05"), ("93295", "2026-04-05"))) == []


@pytest.mark.parametrize(("code", "second", "period"), [
    ("99445", "2026-05-20", "once per 30 days"),   # RPM device supply, 2-15 days
    ("98984", "2026-05-20", "once per 30 days"),   # RTM device supply, 2-15 days
    ("98985", "2026-05-20", "once per 30 days"),
    ("98986", "2026-05-20", "once per 30 days"),
    ("98978", "2026-05-20", "once per 30 days"),   # RTM device supply (CBT), 2023
    ("99470", "2026-05-26", "once per calendar month"),  # first 10 minutes, RPM
    ("98979", "2026-05-26", "once per calendar month"),  # first 10 minutes, RTM
])
def test_the_2026_remote_monitoring_codes_once_per_period(code: str, second: str,
                                                          period: str) -> None:
    got = _period_found(_period((code, "2026-05-04"), (code, second)))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), (code,))]
    assert period in got[0][3]


@pytest.mark.parametrize(("whole", "part", "second", "period"), [
    ("99454", "99445", "2026-05-20", "per 30 days"),          # RPM device supply
    ("98976", "98984", "2026-05-20", "per 30 days"),          # RTM respiratory
    ("98977", "98985", "2026-05-20", "per 30 days"),          # RTM musculoskeletal
    ("98978", "98986", "2026-05-20", "per 30 days"),          # RTM CBT
    ("99457", "99470", "2026-05-26", "per calendar month"),   # RPM treatment management
    ("98980", "98979", "2026-05-26", "per calendar month"),   # RTM treatment management
])
def test_a_2026_code_for_part_of_a_period_and_its_whole_period_code(
        whole: str, part: str, second: str, period: str) -> None:
    """99445 (2-15 days) and 99454 (16-30 days) in one 30 days, 99470 (10 minutes) and
    99457 (20 minutes) in one month were clean, on two dates or one: the CY 2026 PFS final
    rule pays one of the two for a period."""
    got = _period_found(_period((whole, "2026-05-04"), (part, second)))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), (part, whole))]
    assert f"Medicare pays one of {part} and {whole} {period}" in got[0][3]
    # on one date, in either order: the MUE (one per code) cannot see it
    got = _period_found(_period((part, "2026-05-04"), (whole, "2026-05-04")))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), (whole, part))]
    assert f"Line 2: {whole} (" in got[0][3] and "on the date of line 1, which bills " \
        f"{part}" in got[0][3]
    # in the next period each is paid
    assert _period_found(_period((part, "2026-05-04"), (whole, "2026-06-04"))) == []


def test_the_part_of_period_message() -> None:
    assert _period_found(_period(("99454", "2026-03-02"), ("99445", "2026-03-12"))) == [(
        ("service_lines", 1, "procedure_code"), ("99445", "99454"), (),
        "Line 2: 99445 (remote physiologic monitoring device supply) on 2026-03-12 is 10 "
        "days after line 1 on 2026-03-02, which bills 99454: Medicare pays one of 99445 and "
        "99454 per 30 days (99445 for 2-15 days of data in the 30 days, 99454 for 16-30 "
        "days; CY 2026 PFS final rule): report the one that fits the period and remove the "
        "other line, or correct its date.")]


def test_the_period_codes_are_the_resolved_period_bit() -> None:
    """The rule is planned by the ``proc-period`` feature: every code it knows must set
    the bit, and no other."""
    from codekit.rules.professional_edits import ONCE_PER_PERIOD, PART_OF_PERIOD

    day = dt.date(2026, 5, 4)
    marked = {c for c in ONCE_PER_PERIOD
              if procedure.resolve(c, on=day).bits & procedure.Resolved.PERIOD}
    assert marked == set(ONCE_PER_PERIOD)
    assert not procedure.resolve("99213", on=day).bits & procedure.Resolved.PERIOD
    assert set(PART_OF_PERIOD) | set(PART_OF_PERIOD.values()) <= set(ONCE_PER_PERIOD)


@pytest.mark.parametrize("dated", [
    (("99490", "2026-04-28"), ("99490", "2026-05-04")),       # two months
    (("99454", "2026-05-04"), ("99454", "2026-06-03")),       # 30 days
    (("99490", "2026-05-04"), ("99439", "2026-05-04"), ("99439", "2026-05-20")),  # add-ons
    (("99490", "2026-05-04"), ("99495", "2026-05-20")),       # CCM and TCM: both paid
    (("99213", "2026-05-04"), ("99213", "2026-05-20")),       # visits repeat
])
def test_a_new_period_or_another_code_is_clean(dated: tuple[tuple[str, str], ...]) -> None:
    assert _period_found(_period(*dated)) == []


def test_one_date_is_the_mue_s_and_other_payers_are_not_judged() -> None:
    d = _period(("99490", "2026-05-04"), ("99490", "2026-05-04"))
    assert _period_found(d) == []
    assert _period_found(_period(("99490", "2026-05-04"), ("99490", "2026-05-26"),
                                 payer="aetna")) == []


# -- PROC_PERIOD_REPEATED: one service a period, whichever code (2026-12-07: monthly services) ---

@pytest.mark.parametrize(("earlier", "later"), [
    ("99490", "99491"), ("99491", "99487"), ("99487", "99490"),   # chronic care management
    ("99424", "99426"),                                           # principal care management
    ("99492", "99493"),                                           # collaborative care
    ("G0556", "G0557"), ("G0558", "G0557"),                       # APCM, one level a month
    ("G0568", "G0569"),                           # collaborative care with APCM (2026)
])
def test_two_codes_of_one_monthly_service_in_a_month(earlier: str, later: str) -> None:
    """99490 and 99491 in one month were clean (the catalog called it NCCI's question, but
    NCCI's PTP edit compares the lines of one date only): Medicare pays one of them a
    calendar month."""
    got = _period_found(_period((earlier, "2026-05-04"), (later, "2026-05-20")))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), (later, earlier))]
    assert "in the same calendar month (2026-05) as line 1 on 2026-05-04, which bills " \
        f"{earlier}: Medicare pays one of " in got[0][3]
    # the next month is another period
    assert _period_found(_period((earlier, "2026-05-04"), (later, "2026-06-01"))) == []


def test_the_one_service_message() -> None:
    assert _period_found(_period(("99490", "2026-05-04"), ("99491", "2026-05-20"))) == [(
        ("service_lines", 1, "procedure_code"), ("99491", "99490"), (),
        "Line 2: 99491 (chronic care management) on 2026-05-20 is in the same calendar month "
        "(2026-05) as line 1 on 2026-05-04, which bills 99490: Medicare pays one of 99490, "
        "99491 and 99487 a calendar month (chronic care management, its further time on the "
        "add-on code of the one billed); report the one that fits and remove the other "
        "line, or correct its date.")]


# -- PROC_PERIOD_REPEATED: the IPPE and the annual wellness visit, one in 12 months ---------

def _wellness(*dated: tuple[str, str]) -> list[tuple[Any, ...]]:
    d = _period(*dated)
    d["diagnoses"] = ["Z00.00"]
    return _period_found(d)


def test_two_annual_wellness_visits_on_one_claim() -> None:
    """G0439 on two dates of one claim was clean until 2026-12-07 (the MUE counts a date,
    the PTP edit pairs one date's lines): Medicare pays a subsequent AWV only when 11 full
    months have passed after the month of the last AWV (42 CFR 410.15; Claims Processing
    Manual ch.18 §140)."""
    assert _wellness(("G0439", "2024-08-12"), ("G0439", "2024-09-20")) == [(
        ("service_lines", 1, "procedure_code"), ("G0439",), (),
        "Line 2: G0439 (annual wellness visit) on 2024-09-20 is 1 month after line 1 on "
        "2024-08-12: Medicare pays G0439 only when 11 full months have passed after the "
        "month of the last annual wellness visit; remove this line, or correct its date.")]
    # 11 months is not enough, the same month a year later is
    assert [at for at, *_ in _wellness(("G0439", "2024-08-12"), ("G0439", "2025-07-31"))] \
        == [("service_lines", 1, "procedure_code")]
    assert _wellness(("G0439", "2024-08-12"), ("G0439", "2025-08-01")) == []
    # the IPPE and the first AWV once in a lifetime
    got = _wellness(("G0402", "2024-08-12"), ("G0402", "2025-09-20"))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), ("G0402",))]
    assert "Medicare pays G0402 once in a lifetime;" in got[0][3]


def test_the_ippe_and_the_first_and_a_later_wellness_visit_are_one_service() -> None:
    assert _wellness(("G0438", "2024-08-12"), ("G0439", "2024-09-20")) == [(
        ("service_lines", 1, "procedure_code"), ("G0439", "G0438"), (),
        "Line 2: G0439 (annual wellness visit) on 2024-09-20 is 1 month after line 1 on "
        "2024-08-12, which bills G0438: Medicare pays one of G0402, G0438 and G0439 in 12 "
        "months (the initial preventive physical examination once in a lifetime, in the "
        "first 12 months of Part B; the first annual wellness visit once in a lifetime, not "
        "within 12 months of it; a subsequent one 11 full months after the month of the "
        "last); report the one that fits and remove the other line, or correct its date.")]
    got = _wellness(("G0402", "2024-08-12"), ("G0438", "2024-09-20"))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), ("G0438", "G0402"))]
    # one date: the practitioner PTP table pairs them (indicator 0) and says it, once;
    # without a table covering the date, this edit does
    d = _period(("G0438", "2024-08-12"), ("G0439", "2024-08-12"))
    d["diagnoses"] = ["Z00.00"]
    assert [(at, codes) for at, codes, _, _ in _period_found(d)] == [
        (("service_lines", 1, "procedure_code"), ("G0439", "G0438"))]
    rules = {f.rule for f in _ptp_2024().check(Claim.from_dict(d)).findings}
    assert "NCCI_PTP_CONFLICT" in rules and "PROC_PERIOD_REPEATED" not in rules
    # one code twice on one date is the MUE's; other payers are not judged
    assert _wellness(("G0439", "2024-08-12"), ("G0439", "2024-08-12")) == []
    d = _period(("G0439", "2024-08-12"), ("G0439", "2024-09-20"), payer="aetna")
    assert _period_found(d) == []


@pytest.mark.parametrize("code", ["G0557", "G0019", "G0023", "G0140", "G0570"])
def test_apcm_community_health_integration_and_navigation_once_a_month(code: str) -> None:
    """Advanced primary care management (CY 2025 PFS), community health integration and
    principal illness navigation (CY 2024 PFS; its peer support G0140, CY 2025) are
    billed per calendar month: a second line in the month was clean."""
    got = _period_found(_period((code, "2026-05-04"), (code, "2026-05-29")))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), (code,))]
    assert f"Medicare pays {code} once per calendar month" in got[0][3]
    assert _period_found(_period((code, "2026-05-29"), (code, "2026-06-01"))) == []


def test_transitional_care_management_twice_in_its_30_days() -> None:
    """99495 on 2026-05-04 and 2026-05-14 was clean. A TCM's date is its face-to-face
    visit, within 14 days of the discharge for 99495 (7 for 99496), and another TCM is not
    reported for a discharge within the first one's 30 days: a second TCM fewer than 16
    (23) days later is in them whatever the discharges were."""
    got = _period_found(_period(("99495", "2026-05-04"), ("99495", "2026-05-14")))
    assert got == [(("service_lines", 1, "procedure_code"), ("99495",), (),
                    "Line 2: 99495 (transitional care management) on 2026-05-14 is 10 days "
                    "after line 1 on 2026-05-04: Medicare pays 99495 once in the 30 days from "
                    "a discharge, and 99495's date is its face-to-face visit, within 14 days "
                    "of the discharge: a TCM fewer than 16 days later falls within the same "
                    "30 days; remove this line, or correct its date.")]
    assert len(_period_found(_period(("99495", "2026-05-04"), ("99495", "2026-05-19")))) == 1
    # 16 days on, a discharge 30 days after the first one's may have begun a new period
    assert _period_found(_period(("99495", "2026-05-04"), ("99495", "2026-05-20"))) == []
    got = _period_found(_period(("99496", "2026-05-04"), ("99495", "2026-05-26")))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), ("99495", "99496"))]
    assert "Medicare pays one of 99495 and 99496 in the 30 days from a discharge" in got[0][3]
    assert _period_found(_period(("99496", "2026-05-04"), ("99495", "2026-05-27"))) == []


@functools.cache
def _ptp_2024() -> Checker:
    """A checker with the July 2024 practitioner PTP table (read from ``../shared``)."""
    from codekit import ncci

    from .conftest import reference

    return Checker(ptp=ncci.load_ptp(reference("northstar_2024q3",
                                               "ncci_ptp_practitioner_2024q3.csv.gz")),
                   policies=())


def test_one_service_on_one_date_is_ncci_s_where_its_table_pairs_them() -> None:
    """99490 and 99491 on one date: the practitioner PTP table pairs them (indicator 0), so
    with the table loaded NCCI_PTP_CONFLICT says it, once; without a table covering the
    date the period edit does (and NCCI_PTP_CONFLICT is not run)."""
    d = _period(("99490", "2024-08-05"), ("99491", "2024-08-05"))
    assert [(at, codes) for at, codes, _, _ in _period_found(d)] == [
        (("service_lines", 1, "procedure_code"), ("99491", "99490"))]
    rules = {f.rule for f in _ptp_2024().check(Claim.from_dict(d)).findings}
    assert "NCCI_PTP_CONFLICT" in rules and "PROC_PERIOD_REPEATED" not in rules
    # two dates of the month: the PTP edit cannot see them, the period edit does
    d = _period(("99490", "2024-08-05"), ("99491", "2024-08-20"))
    assert [f.rule for f in _ptp_2024().check(Claim.from_dict(d)).findings] == [
        "PROC_PERIOD_REPEATED"]


def test_a_same_date_pair_ncci_lets_pass_is_judged_by_the_period_edits(
        tmp_path: Path) -> None:
    """A pair of one date is left to NCCI_PTP_CONFLICT only where that edit reports it:
    the period edits asked the table for the pair's indicator (0 or 1), so an indicator-1
    pair with a bypassing modifier (59), which NCCI lets pass, was judged by neither. Read
    as NCCI judges it (``ptp_holds``) the period edit says it."""
    from codekit import ncci

    table = tmp_path / "ncci_ptp_practitioner_test.csv"
    table.write_text("column_1,column_2,deletion_date,modifier_indicator,rationale\n"
                     "99491,99490,,1,test\n99484,99492,,1,test\n")
    checker = Checker(ptp=ncci.load_ptp(table), policies=())
    d = _period(("99491", "2024-08-05"), ("99490", "2024-08-05"))
    assert [f.rule for f in checker.check(Claim.from_dict(d)).findings] == [
        "NCCI_PTP_CONFLICT"]
    d["service_lines"][1]["modifiers"] = ["59"]
    assert [f.rule for f in checker.check(Claim.from_dict(d)).findings] == [
        "PROC_PERIOD_REPEATED"]
    d = _period(("99484", "2024-08-05"), ("99492", "2024-08-05"))
    d["service_lines"][1]["modifiers"] = ["59"]
    assert [f.rule for f in checker.check(Claim.from_dict(d)).findings] == [
        "PROC_PERIOD_EXCLUSIVE"]


# -- PROC_PERIOD_EXCLUSIVE (2026-12-07: services one practitioner does not bill in one month) --

def _exclusive_found(d: dict[str, Any], checker: Checker = CHECKER) -> list[tuple[Any, ...]]:
    return [(f.location, f.codes, f.fix, f.message) for f in
            checker.check(Claim.from_dict(d)).findings if f.rule == "PROC_PERIOD_EXCLUSIVE"]


@pytest.mark.parametrize(("earlier", "later"), [
    ("G0557", "99490"), ("99491", "G0556"),          # APCM and chronic care management
    ("G0558", "99424"), ("G0557", "99426"),          # APCM and principal care management
    ("G0557", "99496"), ("99495", "G0557"),          # APCM and transitional care management
    ("99490", "99424"), ("99426", "99487"),          # chronic and principal care management
    ("99484", "99492"), ("G2214", "99484"),          # general BHI and collaborative care
])
def test_two_services_one_practitioner_does_not_bill_in_one_month(earlier: str,
                                                                   later: str) -> None:
    """G0557 (APCM) and 99490 (CCM) in one month were clean: APCM includes the month's
    chronic, principal and transitional care management (CY 2025 PFS); CCM and PCM, and
    general BHI and collaborative care, are one practitioner's choice for a month."""
    got = _exclusive_found(_period((earlier, "2026-05-04"), (later, "2026-05-20")))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), (later, earlier))]
    assert _exclusive_found(_period((earlier, "2026-04-30"), (later, "2026-05-01"))) == []
    assert _exclusive_found(_period((earlier, "2026-05-04"), (later, "2026-05-20"),
                                    payer="aetna")) == []


def test_the_exclusive_message() -> None:
    assert _exclusive_found(_period(("G0557", "2026-05-04"), ("99490", "2026-05-20"),
                                    ("99439", "2026-05-20"))) == [(
        ("service_lines", 1, "procedure_code"), ("99490", "G0557"), (),
        "Line 2: 99490 (chronic care management) on 2026-05-20 is in the same calendar month "
        "(2026-05) as line 1 on 2026-05-04, which bills G0557 (advanced primary care "
        "management): Medicare does not pay one practitioner both for a patient in one "
        "month (advanced primary care management includes the month's chronic, principal "
        "and transitional care management; CY 2025 PFS final rule); bill the one that fits "
        "the month and remove the other line, or correct its date.")]
    # on one date, no PTP table covering it: judged here, "on the date of line 1"
    (got,) = _exclusive_found(_period(("99490", "2026-05-04"), ("G0557", "2026-05-04")))
    assert got[3].startswith("Line 2: G0557 (advanced primary care management) on "
                             "2026-05-04 is on the date of line 1, which bills 99490 ")


@pytest.mark.parametrize("dated", [
    (("99490", "2026-05-04"), ("99495", "2026-05-20")),   # CCM and TCM (CY 2020 PFS)
    (("99490", "2026-05-04"), ("99484", "2026-05-20")),   # CCM and general BHI
    (("G0557", "2026-05-04"), ("G0019", "2026-05-20")),   # APCM and CHI
    (("G0557", "2026-05-04"), ("G0023", "2026-05-20")),   # APCM and PIN
    (("G0557", "2026-05-04"), ("99454", "2026-05-20")),   # APCM and RPM
    (("99492", "2026-05-04"), ("99493", "2026-05-20")),   # one service: PROC_PERIOD_REPEATED
])
def test_services_billed_together_are_not_exclusive(dated: tuple[tuple[str, str], ...]) -> None:
    assert _exclusive_found(_period(*dated)) == []


def test_exclusive_services_on_one_date_are_ncci_s_where_its_table_pairs_them() -> None:
    """99490 and 99424 on one date: the 2024 practitioner PTP table pairs them (indicator
    0): NCCI_PTP_CONFLICT alone; on two dates of the month, the period edit."""
    d = _period(("99490", "2024-08-05"), ("99424", "2024-08-05"))
    assert len(_exclusive_found(d)) == 1
    assert _exclusive_found(d, _ptp_2024()) == []
    assert "NCCI_PTP_CONFLICT" in {f.rule for f in _ptp_2024().check(Claim.from_dict(d)).findings}
    d = _period(("99490", "2024-08-05"), ("99424", "2024-08-20"))
    assert len(_exclusive_found(d, _ptp_2024())) == 1
    # a profile without the PTP edit: the period edit judges the date
    quiet = attrs.evolve(_ptp_2024(), profile=CHECKER.profiles[
        "medicare-professional"].evolve(disable=["NCCI_PTP_CONFLICT"]))
    d = _period(("99490", "2024-08-05"), ("99424", "2024-08-05"))
    assert [codes for _, codes, _, _ in _exclusive_found(d, quiet)] == [("99424", "99490")]


# -- the behavioral health add-ons of APCM, G0568-G0570 (CY 2026 PFS) --------------------------

def _addon_found(d: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f.location, f.codes, f.fix, f.message) for f in
            CHECKER.check(Claim.from_dict(d)).findings
            if f.rule == "PROC_PERIOD_ADDON_WITHOUT_BASE"]


def test_an_apcm_behavioral_health_addon_without_apcm_in_its_month() -> None:
    """G0568 with no APCM line was clean: the CY 2026 PFS made G0568-G0570 add-ons of
    APCM G0556-G0558, billed by the practitioner who bills APCM in the same month."""
    assert _addon_found(_period(("G0568", "2026-03-02"))) == [(
        ("service_lines", 0, "procedure_code"), ("G0568",), ("G0556", "G0557", "G0558"),
        "Line 1: G0568 (psychiatric collaborative care with advanced primary care "
        "management) on 2026-03-02 is an add-on of advanced primary care management, and no "
        "line bills G0556, G0557 or G0558 in 2026-03: Medicare pays it only beside the APCM "
        "code the same practitioner bills for the month (CY 2026 PFS final rule). Report the "
        "month's APCM code; without APCM, bill the service as 99492 (if the month's APCM code "
        "is on another claim, nothing to correct).")]
    # APCM in March does not carry April's add-on; G0570 mirrors 99484
    got = _addon_found(_period(("G0557", "2026-03-02"), ("G0569", "2026-04-06"),
                               ("G0570", "2026-04-06")))
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 1, "procedure_code"), ("G0569",)),
        (("service_lines", 2, "procedure_code"), ("G0570",))]
    assert "bill the service as 99493" in got[0][3] and "as 99484" in got[1][3]


@pytest.mark.parametrize("dated", [
    (("G0557", "2026-03-31"), ("G0568", "2026-03-02")),   # APCM later in the same month
    (("G0570", "2026-05-04"), ("G0556", "2026-05-04")),   # one date, APCM level 1
    (("G0558", "2026-04-01"), ("G0569", "2026-04-30")),
])
def test_an_apcm_addon_with_apcm_in_its_month_is_clean(dated: tuple[tuple[str, str], ...]
                                                       ) -> None:
    d = _period(*dated)
    assert _addon_found(d) == []
    assert [f.rule for f in CHECKER.check(Claim.from_dict(d)).findings] == []


@pytest.mark.parametrize(("own", "fires"), [
    ((None, "1679576722"), True),   # G0568 by another NPI of the group than the APCM code
    (("1679576722", None), True),
    (("1679576722", "1679576722"), False),
    ((None, "1245319599"), False),  # the claim's NPI
])
def test_an_apcm_addon_beside_another_practitioners_apcm(own: tuple[str | None, ...],
                                                         fires: bool) -> None:
    """The add-on is paid beside the APCM code the same practitioner bills for the month
    (CY 2026 PFS final rule): on a group's claim whose lines name their own rendering
    provider (837P 2420A), another NPI's G0556 does not carry G0568 (it was clean)."""
    d = _period(("G0556", "2026-03-02"), ("G0568", "2026-03-02"))
    d["rendering_provider"] = "1245319599"
    for ln, npi in zip(d["service_lines"], own, strict=True):
        if npi is not None:
            ln["rendering_provider"] = npi
    got = _addon_found(d)
    if not fires:
        assert got == []
        return
    mine, other = ("1679576722", "1245319599") if own[1] else ("1245319599", "1679576722")
    assert got == [(
        ("service_lines", 1, "procedure_code"), ("G0568",), ("G0556", "G0557", "G0558"),
        "Line 2: G0568 (psychiatric collaborative care with advanced primary care "
        "management) on 2026-03-02 is an add-on of advanced primary care management, and no "
        f"line of its rendering provider (NPI {mine}) bills G0556, G0557 or G0558 in 2026-03 "
        f"(G0556 on line 1 is another rendering provider's, NPI {other}): Medicare pays it "
        "only beside the APCM code the same practitioner bills for the month (CY 2026 PFS "
        "final rule). Report the month's APCM code; without APCM, bill the service as 99492 "
        "(if the month's APCM code is on another claim, nothing to correct).")]


@pytest.mark.parametrize("own", [(None, "1679576722"), ("1679576722", None)])
def test_an_apcm_addon_message_names_a_line_of_no_provider_so(
        own: tuple[str | None, ...]) -> None:
    """A claim that names no provider of its own (no 2310B, no 2010AA NPI given): a line
    without 2420A has none, which the finding gave as "NPI None"."""
    d = _period(("G0556", "2026-03-02"), ("G0568", "2026-03-02"))
    for ln, npi in zip(d["service_lines"], own, strict=True):
        if npi is not None:
            ln["rendering_provider"] = npi
    ((*_, message),) = _addon_found(d)
    other, mine = (x or "none named" for x in own)
    assert f"no line of its rendering provider (NPI {mine}) bills G0556, G0557 or G0558 in " \
        f"2026-03 (G0556 on line 1 is another rendering provider's, NPI {other}):" in message
    assert "None" not in message


def test_the_apcm_addons_before_2026_and_off_medicare() -> None:
    # G0568 is not a code in 2025 (PROC_NOT_VALID_ON_DOS says so); commercial payers set
    # their own rules
    d = _period(("G0568", "2025-12-15"))
    assert _addon_found(d) == []
    assert [f.rule for f in CHECKER.check(Claim.from_dict(d)).findings] == [
        "PROC_NOT_VALID_ON_DOS"]
    assert _addon_found(_period(("G0570", "2026-03-02"), payer="aetna")) == []


@pytest.mark.parametrize(("earlier", "later"), [
    ("G0568", "99492"), ("99493", "G0569"), ("G2214", "G0568"),   # CoCM with and without APCM
    ("G0570", "99484"),                                           # general BHI, both ways
    ("G0570", "99492"), ("99484", "G0569"),                       # CoCM or general BHI
])
def test_an_apcm_addon_with_the_code_it_stands_for(earlier: str, later: str) -> None:
    """G0568 and 99492 in one month (the first month of collaborative care billed twice:
    G0568 is 99492 with APCM) were clean; so were G0570 and 99484."""
    d = _period(("G0557", "2026-03-02"), (earlier, "2026-03-02"), (later, "2026-03-20"))
    got = _exclusive_found(d)
    assert [(at, codes) for at, codes, _, _ in got] == [
        (("service_lines", 2, "procedure_code"), (later, earlier))]
    assert got[0][3].endswith(
        "Medicare does not pay one practitioner both for a patient in one month (with "
        "advanced primary care management the month's collaborative care or behavioral "
        "health integration is billed with its add-on code, G0568, G0569 or G0570, in place "
        "of 99492, 99493, G2214 or 99484; CY 2026 PFS final rule); bill the one that fits "
        "the month and remove the other line, or correct its date.")
    # April's code is April's
    d = _period(("G0557", "2026-03-02"), (earlier, "2026-03-02"), ("G0557", "2026-04-01"),
                (later, "2026-04-01"))
    assert _exclusive_found(d) == []


# -- PROC_DRUG_TEST_NOT_MEDICARE ----------------------------------------------------------------

DRUG = ("PROC_DRUG_TEST_NOT_MEDICARE",)


def test_cpt_definitive_drug_test_on_medicare() -> None:
    """80320-80377 on a Medicare 837P were clean: the CLFS pays none of them, Medicare
    pays G0480-G0483 or G0659 (CY 2016 and CY 2018 CLFS determinations)."""
    d = red("81", ["F11.20"], [line("80320")])
    assert found(d, rules=DRUG) == [(
        "PROC_DRUG_TEST_NOT_MEDICARE", "error", ("service_lines", 0, "procedure_code"),
        ("80320",), ("G0480", "G0659"))]
    assert CHECKER.check(Claim.from_dict(d)).findings[0].message == (
        "Line 1: 80320 is a CPT definitive drug test, which Medicare does not pay (the "
        "Clinical Laboratory Fee Schedule prices none of 80320-80377): Medicare pays the "
        "definitive drug testing of a day as one line, by the number of drug classes "
        "tested: G0480 (1-7), G0481 (8-14), G0482 (15-21), G0483 (22 or more), or G0659 "
        "(any number, by a method without the calibration, quality control or internal "
        "standards G0480-G0483 call for). Report the testing of 2025-06-10 (line 1) as one "
        "line of the code of its number of drug classes.")


def test_many_definitive_drug_tests_of_a_day() -> None:
    """Eight distinct codes may be eight classes: G0481 is in the fix; a presumptive test
    (80307) is Medicare's and not judged."""
    codes = ["80324", "80326", "80346", "80348", "80353", "80358", "80361", "80365"]
    d = red("81", ["F11.20"], [line("80307"), *map(line, codes)])
    got = found(d, rules=DRUG)
    assert [(at[1], fix) for _, _, at, _, fix in got] == [
        (i, ("G0480", "G0481", "G0659")) for i in range(1, 9)]
    message = CHECKER.check(Claim.from_dict(d)).findings[0].message
    assert message.endswith("Report the testing of 2025-06-10 (lines 2, 3, 4, 5, 6, 7, 8, "
                            "9) as one line of the code of its number of drug classes.")


@pytest.mark.parametrize(("codes", "payer"), [
    (["G0480", "80307"], "medicare"), (["G0483"], "medicare"), (["G0659"], "medicare"),
    (["80320"], "aetna")])
def test_medicare_drug_testing_codes_are_clean(codes: list[str], payer: str) -> None:
    assert found(red("81", ["F11.20"], [line(c) for c in codes], payer=payer),
                 rules=DRUG) == []


# -- every new edit decides for itself ----------------------------------------------------------

def test_the_features_never_change_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """The claims above, and variants, with every feature forced on (as
    tests/test_rule_plan.py does for the generated claims)."""
    claims = [
        red("21", ["J18.9"], [line("99213")]), red("11", ["I10"], [line("99232")]),
        red("11", ["I10"], [line("99214", "FS")]), red("11", ["I10"], [line("99213", "25")]),
        red("11", ["M17.11"], [line("99213", "25"), line("20610", "RT")]),
        red("10", ["I10"], [line("98005")]), red("21", ["M17.11"], [line("01402")]),
        red("21", ["M17.11"], [line("01402", "AA")]), red("22", ["I10"], [line("99213")]),
        red("11", ["M17.11"], [line("20610", "FS")]),
        _period(("99490", "2026-05-04"), ("99490", "2026-05-26")),
        _period(("99454", "2026-05-04"), ("99454", "2026-06-03")),
        _period(("G0568", "2026-03-02")), _period(("G0557", "2026-03-02"), ("G0570", "2026-03-09")),
        red("22", ["K80.20"], [line("00790", "AA", "P3", units=60),
                               line("00840", "AA", "P3", units=30)])]
    claims += [{**copy.deepcopy(d), "payer": "aetna"} for d in claims]
    every = frozenset().union(*(r.when for r in CHECKER.rules))

    def reports() -> list[list[tuple[Any, ...]]]:
        return [[(f.rule, f.location, f.message) for f in
                 CHECKER.check(Claim.from_dict(d)).findings] for d in claims]

    narrow = reports()
    original = context.ClaimContext._features
    monkeypatch.setattr(context.ClaimContext, "_features",
                        lambda self, *a: original(self, *a) | every)
    assert reports() == narrow
    assert sum(map(len, narrow)) == 19


def test_the_period_bit_marks_exactly_the_codes_paid_once_a_period() -> None:
    # PROC_PERIOD_REPEATED is planned by the procedure bit PERIOD (the code system's list,
    # a layer below the rules) and judges the codes of ONCE_PER_PERIOD: a code in one
    # list and not the other would never be planned, or planned for nothing
    from codekit._procedures._facts import PERIOD_SERVICES
    from codekit.rules.professional_edits import (
        APCM_ADDONS,
        APCM_BASE,
        EXCLUSIVE_IN_MONTH,
        ONCE_PER_PERIOD,
        ONE_SERVICE,
        PART_OF_PERIOD,
    )

    assert set(ONCE_PER_PERIOD) == PERIOD_SERVICES
    assert set(PART_OF_PERIOD) | set(PART_OF_PERIOD.values()) <= PERIOD_SERVICES
    # PROC_PERIOD_EXCLUSIVE is planned by the same bit: its codes must carry it
    assert set(ONE_SERVICE) | set(ONE_SERVICE.values()) <= PERIOD_SERVICES
    assert {c for a, b, _ in EXCLUSIVE_IN_MONTH for c in (*a[0], *b[0])} <= PERIOD_SERVICES
    # PROC_PERIOD_ADDON_WITHOUT_BASE too
    assert set(APCM_ADDONS) | set(APCM_BASE) <= PERIOD_SERVICES

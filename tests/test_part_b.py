"""Medicare Part B's own vaccine codes, Part D vaccines, modifier 33 on advance care planning
with the annual wellness visit (rules/part_b.py), and G2211 beside an E/M with modifier 25
from 2025 (policy MCR-G2211-MOD25): the claims of a certified coder's review of 837P
claims (2026-12-06; section 2,
items 1, 3, 16, 19), exact findings, and the nearest correct claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from codekit import Checker, Claim, procedure
from codekit.rules import ClaimContext

CHECKER = Checker()
PATIENT = {"sex": "F", "birth_date": "1952-05-14"}


def prof(day: str, dx: list[str], lines: list[tuple[str, list[str], list[int]]], *,
         payer: str = "medicare", units: dict[int, int] | None = None) -> dict[str, Any]:
    return {"claim_type": "professional", "payer": payer, "place_of_service": "11",
            "patient": PATIENT, "date_of_service": day, "diagnoses": dx,
            "service_lines": [{"procedure_code": c, "units": (units or {}).get(i, 1),
                               "diagnosis_pointers": p, **({"modifiers": m} if m else {})}
                              for i, (c, m, p) in enumerate(lines)]}


def found(d: dict[str, Any], rule: str, checker: Checker = CHECKER) -> list[tuple[Any, ...]]:
    return [(f.severity.value, f.location, f.codes, f.fix, f.message)
            for f in checker.check(Claim.from_dict(d)).findings if f.rule == rule]


# -- VACCINE_ADMIN_CODE_MISMATCH ---------------------------------------------------------

#: VX02 of that review: 90662 (influenza) with 90471.
VX02 = prof("2025-06-10", ["Z23"], [("90662", [], [1]), ("90471", [], [1])])
#: VX03: 90677 (pneumococcal) with G0008 (the influenza administration code).
VX03 = prof("2025-06-10", ["Z23"], [("90677", [], [1]), ("G0008", [], [1])])


def test_influenza_vaccine_with_a_cpt_administration_code() -> None:
    assert found(VX02, "VACCINE_ADMIN_CODE_MISMATCH") == [(
        "error", ("service_lines", 1, "procedure_code"), ("90471", "90662"), ("G0008",),
        "Line 2 (90471) bills the administration of the vaccine on line 1 (90662), an "
        "influenza vaccine, with a CPT immunization administration code: Medicare Part B "
        "pays the administration of an influenza, pneumococcal or hepatitis B vaccine only "
        "as G0008, G0009 or G0010: report G0008 for it in place of 90471.")]


def test_pneumococcal_vaccine_with_the_influenza_administration_code() -> None:
    assert found(VX03, "VACCINE_ADMIN_CODE_MISMATCH") == [(
        "error", ("service_lines", 1, "procedure_code"), ("G0008", "90677"), ("G0009",),
        "Line 2: G0008 is the administration of an influenza vaccine, and no such vaccine "
        "is billed on 2025-06-10; the vaccine on line 1 (90677) is a pneumococcal vaccine, "
        "whose administration Medicare pays as G0009: report G0009 (and keep G0008 only if "
        "that vaccine, supplied free, was given too).")]


@pytest.mark.parametrize(("lines", "units", "want"), [
    # two Part B vaccines, two CPT administrations: each its G code, in claim order
    ([("90686", [], [1]), ("90732", [], [1]), ("90471", [], [1]), ("90472", [], [1])], {},
     [(2, "G0008"), (3, "G0009")]),
    ([("90686", [], [1]), ("90732", [], [1]), ("90471", [], [1]), ("90472", [], [1])],
     {3: 1}, [(2, "G0008"), (3, "G0009")]),
    # a hepatitis B vaccine given with 90471: G0010
    ([("90746", [], [1]), ("90471", [], [1])], {}, [(1, "G0010")]),
    # an intranasal influenza vaccine with 90473: G0008
    ([("90672", [], [1]), ("90473", [], [1])], {}, [(1, "G0008")]),
    # a tetanus toxoid takes the first administration, the flu vaccine the second
    ([("90715", [], [1]), ("90686", [], [1]), ("90471", [], [1]), ("90472", [], [1])], {},
     [(3, "G0008")]),
])
def test_which_administration_line_and_which_code(lines: list[Any], units: dict[int, int],
                                                  want: list[tuple[int, str]]) -> None:
    d = prof("2025-10-14", ["Z23"], lines, units=units)
    assert [(loc[1], fix[0]) for _, loc, _, fix, _ in
            found(d, "VACCINE_ADMIN_CODE_MISMATCH")] == want


@pytest.mark.parametrize("lines", [
    [("90662", [], [1]), ("G0008", [], [1])],                    # the right codes
    [("90677", [], [1]), ("G0009", [], [1])],
    [("90662", [], [1]), ("G0008", [], [1]), ("90677", [], [1]), ("G0009", [], [1])],
    [("90686", [], [1]), ("90715", [], [1]), ("90471", [], [1])],  # 90471: the toxoid's
    [("90715", [], [1]), ("90471", [], [1])],                    # no Part B vaccine
    [("G0008", [], [1])],                                        # vaccine supplied free
    [("90686", [], [1]), ("G0008", [], [1]), ("90715", [], [1]), ("90471", [], [1])],
    [("90686", [], [1])],                                        # no administration billed
])
def test_clean_vaccine_claims(lines: list[Any]) -> None:
    assert found(prof("2025-10-14", ["Z23"], lines), "VACCINE_ADMIN_CODE_MISMATCH") == []


def test_the_administration_of_another_date_is_not_this_dates() -> None:
    d = prof("2025-10-14", ["Z23"], [("90686", [], [1]), ("90471", [], [1])])
    d["service_lines"][1]["date_of_service"] = "2025-10-15"
    assert found(d, "VACCINE_ADMIN_CODE_MISMATCH") == []


def test_outpatient_claims_too_and_no_other_payer() -> None:
    inst = {**VX02, "claim_type": "institutional", "bill_type": "131",
            "service_lines": [{**ln, "revenue_code": "0771"} for ln in VX02["service_lines"]]}
    assert [(s, loc, fix) for s, loc, _, fix, _ in found(inst, "VACCINE_ADMIN_CODE_MISMATCH")] \
        == [("error", ("service_lines", 1, "procedure_code"), ("G0008",))]
    for d in (VX02, VX03, inst):
        assert found({**d, "payer": "aetna"}, "VACCINE_ADMIN_CODE_MISMATCH") == []


def _families(day: dt.date) -> set[str]:
    return {c for c in procedure.PART_B_VACCINES if procedure.is_valid(c, on=day)}


@pytest.mark.parametrize("day", ["2019-07-01", "2020-03-01", "2021-01-01", "2022-07-01",
                                 "2023-10-01", "2024-06-15", "2024-10-01", "2025-06-10",
                                 "2026-04-01"])
def test_the_vaccine_lists_are_the_ioce_reasonable_cost_vaccines(day: str) -> None:
    """CMS's I/OCE gives the Part B vaccines of 90476-90759 status indicator L (influenza,
    pneumococcal; hepatitis B, in some quarters, F): the lists hold exactly those codes,
    and two influenza codes on the dates the I/OCE did not recognize them (E1): 90658
    until 2024-07-31 (Medicare took Q2035-Q2038 for it), 90694 until 2020-06-30."""
    on = dt.date.fromisoformat(day)
    status = {str(n): procedure.lookup(str(n), on=on).status_indicator
              for n in range(90476, 90760) if procedure.is_valid(str(n), on=on)}
    ours = {c for c in _families(on) if c[0] == "9"}
    assert {c for c, si in status.items() if si in ("L", "F")} == \
        {c for c in ours if status[c] != "E1"}
    assert {c for c in ours if status[c] == "E1"} <= {"90658", "90694"}
    assert ("90658" in ours and status["90658"] == "E1") is (on < dt.date(2024, 8, 1))
    assert {c for c in _families(on) if c[0] == "Q"} == {f"Q203{i}" for i in range(4, 10)}


# -- VACCINE_ADMIN_CODE_MISMATCH: COVID-19 vaccines, 90480 from 2023-09-11 -----------------


def test_covid_vaccine_with_a_cpt_administration_code() -> None:
    """A DME and drug coder's review (2026-12-06), item 5: Medicare pays a COVID-19 vaccine's
    administration as 90480 from 2023-09-11 (MLN Connects 2023-09-14), not 90471."""
    d = prof("2024-10-14", ["Z23"], [("91320", [], [1]), ("90471", [], [1])])
    assert found(d, "VACCINE_ADMIN_CODE_MISMATCH") == [(
        "error", ("service_lines", 1, "procedure_code"), ("90471", "91320"), ("90480",),
        "Line 2 (90471) bills the administration of the vaccine on line 1 (91320), a "
        "COVID-19 vaccine, with a CPT immunization administration code: Medicare Part B "
        "pays the administration of a COVID-19 vaccine as 90480 (from 2023-09-11): report "
        "90480 for it in place of 90471.")]


def test_covid_vaccine_with_the_influenza_administration_code() -> None:
    d = prof("2024-10-14", ["Z23"], [("91320", [], [1]), ("G0008", [], [1])])
    assert [(loc, codes, fix) for _, loc, codes, fix, _ in
            found(d, "VACCINE_ADMIN_CODE_MISMATCH")] == [
        (("service_lines", 1, "procedure_code"), ("G0008", "91320"), ("90480",))]


def test_90480_is_an_administration_not_a_vaccine_of_the_date() -> None:
    """90480 lies in the CPT vaccine range (90476-90759): counted as a vaccine, it took the
    90471 beside an influenza vaccine for its own."""
    d = prof("2024-10-14", ["Z23"], [("91320", [], [1]), ("90480", [], [1]),
                                     ("90686", [], [1]), ("90471", [], [1])])
    assert [(loc, fix) for _, loc, _, fix, _ in found(d, "VACCINE_ADMIN_CODE_MISMATCH")] \
        == [(("service_lines", 3, "procedure_code"), ("G0008",))]


@pytest.mark.parametrize(("day", "lines"), [
    ("2024-10-14", ["91320", "90480"]),
    ("2024-10-14", ["91320", "90480", "90686", "G0008"]),
    ("2024-10-14", ["91320", "90715", "90471"]),  # the 90471 may be the toxoid's
    ("2023-09-20", ["91304", "90471"]),  # Novavax took 90480 on 2023-10-03
])
def test_clean_covid_vaccine_claims(day: str, lines: list[str]) -> None:
    d = prof(day, ["Z23"], [(c, [], [1]) for c in lines])
    assert found(d, "VACCINE_ADMIN_CODE_MISMATCH") == []
    assert found({**d, "payer": "aetna"}, "VACCINE_ADMIN_CODE_MISMATCH") == []


def test_the_covid_vaccines_are_the_ioce_reasonable_cost_codes_of_their_dates() -> None:
    """The COVID-19 vaccines of procedure.COVID_VACCINES have I/OCE status indicator L
    (paid at reasonable cost) on their first date; every other 913xx code valid from
    then on is one Medicare does not pay (status E1: the bivalent vaccines, which the
    I/OCE lists to 2023-12-31)."""
    for code, first in procedure.COVID_VACCINES.items():
        assert procedure.lookup(code, on=first).status_indicator == "L", code
    for day in (dt.date(2023, 10, 3), dt.date(2024, 10, 14), dt.date(2026, 4, 1)):
        status = {str(n): procedure.lookup(str(n), on=day).status_indicator
                  for n in range(91300, 91400) if procedure.is_valid(str(n), on=day)}
        assert {c for c, si in status.items() if si == "L"} == \
            {c for c in procedure.COVID_VACCINES if c in status}, day
        assert {si for c, si in status.items() if c not in procedure.COVID_VACCINES} <= \
            {"E1"}, day


# -- VACCINE_HOME_ADDON_WITHOUT_ADMIN -----------------------------------------------------

HOME_MESSAGE = (
    "Line {n}: M0201 is Medicare's additional payment for a Part B vaccine administered in "
    "the patient's home, and no line of {day} bills the administration of an influenza, "
    "pneumococcal, hepatitis B or COVID-19 vaccine: M0201 is paid only with that "
    "administration code, billed beside it: {add}; otherwise remove M0201.")


def home(day: str, lines: list[tuple[str, list[str], list[int]]], **kw: Any) -> dict[str, Any]:
    return {**prof(day, ["Z23"], lines, **kw), "place_of_service": "12"}


def test_home_vaccine_payment_billed_alone() -> None:
    """M0201 is billed with the administration code ("You must use both", CMS Home
    Vaccine Administration Additional Payment): alone it was clean until 2026-12-07 (the
    CMS add-on tables do not list it)."""
    assert found(home("2024-10-14", [("M0201", [], [1])]),
                 "VACCINE_HOME_ADDON_WITHOUT_ADMIN") == [(
        "error", ("service_lines", 0, "procedure_code"), ("M0201",), (),
        HOME_MESSAGE.format(n=1, day="2024-10-14", add=(
            "add the administration code of the vaccine given (G0008 influenza, G0009 "
            "pneumococcal, G0010 hepatitis B, 90480 COVID-19)")))]


@pytest.mark.parametrize(("lines", "want"), [
    # a vaccine of the date without its administration: the code to add
    ([("90662", [], [1]), ("M0201", [], [1])], [(1, ("G0008",))]),
    ([("91320", [], [1]), ("90677", [], [1]), ("M0201", [], [1])],
     [(2, ("90480", "G0009"))]),
    # a CPT administration of a vaccine Part B pays only after an exposure: no home payment
    ([("90715", [], [1]), ("90471", [], [1]), ("M0201", [], [1])], [(2, ())]),
    # the administration code with it: clean
    ([("90662", [], [1]), ("G0008", [], [1]), ("M0201", [], [1])], []),
    ([("90480", [], [1]), ("M0201", [], [1])], []),
    ([("90746", [], [1]), ("G0010", [], [1]), ("M0201", [], [1])], []),
    # 90471 with a flu vaccine is VACCINE_ADMIN_CODE_MISMATCH's to recode (one finding)
    ([("90662", [], [1]), ("90471", [], [1]), ("M0201", [], [1])], []),
])
def test_home_vaccine_payment_and_the_administration_of_its_date(
        lines: list[Any], want: list[tuple[int, tuple[str, ...]]]) -> None:
    got = found(home("2024-10-14", lines), "VACCINE_HOME_ADDON_WITHOUT_ADMIN")
    assert [(loc[1], fix) for _, loc, _, fix, _ in got] == want
    if want and want[0][1]:
        assert got[0][4] == HOME_MESSAGE.format(
            n=want[0][0] + 1, day="2024-10-14",
            add=f"add {' and '.join(want[0][1])}, the administration of the vaccine"
                f"{'s' if len(want[0][1]) > 1 else ''} billed that day")


def test_home_vaccine_payment_other_dates_and_payers() -> None:
    # a COVID-19 vaccine's own administration code before 90480
    assert found(home("2021-07-14", [("91300", [], [1]), ("0001A", [], [1]),
                                     ("M0201", [], [1])]),
                 "VACCINE_HOME_ADDON_WITHOUT_ADMIN") == []
    # the administration on another date does not count
    other = home("2024-10-14", [("G0008", [], [1]), ("M0201", [], [1])])
    other["service_lines"][1]["date_of_service"] = "2024-10-15"
    assert [f[1] for f in found(other, "VACCINE_HOME_ADDON_WITHOUT_ADMIN")] == [
        ("service_lines", 1, "procedure_code")]
    assert found(home("2024-10-14", [("M0201", [], [1])], payer="aetna"),
                 "VACCINE_HOME_ADDON_WITHOUT_ADMIN") == []
    inst = {**prof("2024-10-14", ["Z23"], [("M0201", [], [1])]),
            "claim_type": "institutional", "bill_type": "131"}
    inst["service_lines"] = [{**ln, "revenue_code": "0771"} for ln in inst["service_lines"]]
    assert [f[1] for f in found(inst, "VACCINE_HOME_ADDON_WITHOUT_ADMIN")] == [
        ("service_lines", 0, "procedure_code")]


# -- PROC_PART_D_VACCINE -----------------------------------------------------------------

#: VX09: 90750 (zoster) on a Medicare Part B claim.
VX09 = prof("2025-06-10", ["Z23"], [("90750", [], [1]), ("90471", [], [1])])


def test_zoster_vaccine_on_a_part_b_claim() -> None:
    assert found(VX09, "PROC_PART_D_VACCINE") == [(
        "warning", ("service_lines", 0, "procedure_code"), ("90750",), (),
        "Line 1: 90750 is a zoster vaccine, which Medicare Part B does not pay: it is a Part "
        "D drug (Social Security Act §1860D-2(e)(1)), billed with its administration to the "
        "patient's Part D plan. Take the vaccine and its administration off the Part B claim "
        "(or add GY to have Part B deny them for a secondary payer).")]
    # the CPT administration is the zoster vaccine's: no G-code finding
    assert found(VX09, "VACCINE_ADMIN_CODE_MISMATCH") == []


def test_zoster_vaccine_clean_cases() -> None:
    gy = prof("2025-06-10", ["Z23"], [("90750", ["GY"], [1]), ("90471", ["GY"], [1])])
    assert found(gy, "PROC_PART_D_VACCINE") == []
    assert found({**VX09, "payer": "aetna"}, "PROC_PART_D_VACCINE") == []
    # the hospital's claim: the I/OCE's status M says it (PROC_NOT_BILLABLE_TO_MAC)
    inst = {**VX09, "claim_type": "institutional", "bill_type": "131",
            "service_lines": [{**ln, "revenue_code": "0771"} for ln in VX09["service_lines"]]}
    report = CHECKER.check(Claim.from_dict(inst))
    assert [(f.rule, f.location) for f in report.findings
            if f.rule in ("PROC_PART_D_VACCINE", "PROC_NOT_BILLABLE_TO_MAC")] == [
        ("PROC_NOT_BILLABLE_TO_MAC", ("service_lines", 0, "procedure_code"))]


#: An RSV vaccine (90678, 90679, 90683) on a Medicare Part B professional claim: Part D's,
#: like zoster (SSA §1860D-2(e)(1); Benefit Policy Manual ch.15 §50.4.4.2: Part B pays other
#: vaccines only after an injury or a direct exposure, which the MACs' lists, e.g. WPS LCD
#: L34596, never give an RSV vaccine for). Until 2026-12-07 these were clean.
@pytest.mark.parametrize(("day", "code"), [
    ("2023-10-16", "90678"), ("2024-10-14", "90679"), ("2025-10-14", "90683")])
def test_rsv_vaccine_on_a_part_b_claim(day: str, code: str) -> None:
    d = prof(day, ["Z23"], [(code, [], [1]), ("90471", [], [1])])
    assert found(d, "PROC_PART_D_VACCINE") == [(
        "warning", ("service_lines", 0, "procedure_code"), (code,), (),
        f"Line 1: {code} is an RSV vaccine, which Medicare Part B does not pay: it is a Part "
        "D drug (Social Security Act §1860D-2(e)(1)), billed with its administration to the "
        "patient's Part D plan. Take the vaccine and its administration off the Part B claim "
        "(or add GY to have Part B deny them for a secondary payer).")]
    # the CPT administration is the RSV vaccine's, not a Part B vaccine's
    assert found(d, "VACCINE_ADMIN_CODE_MISMATCH") == []
    # with GY, for another payer, and on the hospital's claim (status M there) it is not
    gy = prof(day, ["Z23"], [(code, ["GY"], [1]), ("90471", ["GY"], [1])])
    assert found(gy, "PROC_PART_D_VACCINE") == []
    assert found({**d, "payer": "aetna"}, "PROC_PART_D_VACCINE") == []
    inst = {**d, "claim_type": "institutional", "bill_type": "131",
            "service_lines": [{**ln, "revenue_code": "0771"} for ln in d["service_lines"]]}
    assert [f.rule for f in CHECKER.check(Claim.from_dict(inst)).findings
            if f.rule in ("PROC_PART_D_VACCINE", "PROC_NOT_BILLABLE_TO_MAC")] == [
        "PROC_NOT_BILLABLE_TO_MAC"]


#: The FDA approvals of the RSV vaccines (the I/OCE gives them E1 before, as a code not yet
#: payable): 90679 2023-05-03, 90678 2023-05-31, 90683 2024-05-31.
APPROVED = {"90679": dt.date(2023, 5, 3), "90678": dt.date(2023, 5, 31),
            "90683": dt.date(2024, 5, 31)}


def test_the_part_d_vaccines_are_not_billable_to_the_mac_in_the_ioce() -> None:
    """Every vaccine of ``PART_D_VACCINES`` has the I/OCE's status M (not billable to the
    MAC) on the first day of every quarter it is valid, from its approval on."""
    assert set(procedure.PART_D_VACCINE_KINDS) == procedure.PART_D_VACCINES
    for code in procedure.PART_D_VACCINES:
        seen = set()
        for year in range(2019, 2027):
            for month in (1, 4, 7, 10):
                day = dt.date(year, month, 1)
                entry = procedure.resolve(code, on=day).entry
                if entry is None or day < APPROVED.get(code, day) or \
                        not procedure.covers(on=day):
                    continue
                seen.add(entry.status_indicator)
        assert seen == {"M"}, code


# -- MOD_33_MISSING ----------------------------------------------------------------------

#: PV10: G0439 with 99497, no 33.
PV10 = prof("2025-06-10", ["Z00.00", "Z71.89"], [("G0439", [], [1]), ("99497", [], [2])])


def test_advance_care_planning_with_the_wellness_visit_without_33() -> None:
    assert found(PV10, "MOD_33_MISSING") == [(
        "warning", ("service_lines", 1, "modifiers"), ("99497", "G0439"), ("33",),
        "Line 2 (99497) reports advance care planning on 2025-06-10, the day of the annual "
        "wellness visit on line 1 (G0439): as the visit's optional element, Medicare waives "
        "its deductible and coinsurance when the line carries modifier 33: add 33 (without "
        "it the patient is charged coinsurance).")]
    both = prof("2025-06-10", ["Z00.00", "Z71.89"],
                [("G0438", [], [1]), ("99497", ["33"], [2]), ("99498", [], [2])])
    assert [(loc, codes) for _, loc, codes, _, _ in found(both, "MOD_33_MISSING")] == [
        (("service_lines", 2, "modifiers"), ("99498", "G0438"))]


def test_advance_care_planning_clean_cases() -> None:
    with_33 = prof("2025-06-10", ["Z00.00", "Z71.89"],
                   [("G0439", [], [1]), ("99497", ["33"], [2]), ("99498", ["33"], [2])])
    alone = prof("2025-06-10", ["Z71.89"], [("99214", ["25"], [1]), ("99497", [], [1])])
    other_day = prof("2025-06-10", ["Z00.00", "Z71.89"], [("G0439", [], [1]),
                                                          ("99497", [], [2])])
    other_day["service_lines"][1]["date_of_service"] = "2025-06-17"
    for d in (with_33, alone, other_day, {**PV10, "payer": "aetna"}):
        assert found(d, "MOD_33_MISSING") == []


# -- MOD_33_NOT_APPLICABLE -------------------------------------------------------------

#: A specialty coder's review's small miss (2026-12-06): 99497-33 with no AWV that day.
ACP_33 = prof("2026-05-01", ["Z71.89"], [("99497", ["33"], [1])])


def test_advance_care_planning_with_33_and_no_wellness_visit() -> None:
    """33 waives the ACP deductible and coinsurance only with the AWV on its claim (CR
    9271): without one that day, 33 waives nothing."""
    assert found(ACP_33, "MOD_33_NOT_APPLICABLE") == [(
        "warning", ("service_lines", 0, "modifiers", 0), ("99497",), (),
        "Line 1 (99497) reports advance care planning with modifier 33 on 2026-05-01, and "
        "the claim has no annual wellness visit (G0438, G0439) that day: Medicare waives the "
        "deductible and coinsurance of advance care planning only when it is furnished with "
        "the AWV, the same day by the same provider, and billed on the AWV's claim with 33 "
        "(CR 9271); without the AWV, 33 waives nothing and the patient owes them: remove 33, "
        "or, if an AWV was furnished with it that day, bill the two on one claim.")]
    # beside a problem visit, not an AWV; 99498 with 33 too: one finding a line
    visit = prof("2026-05-01", ["I10", "Z71.89"], [("99214", ["25"], [1]),
                                                   ("99497", ["33"], [2]),
                                                   ("99498", ["GA", "33"], [2])])
    assert [(loc, codes) for _, loc, codes, _, _ in found(visit, "MOD_33_NOT_APPLICABLE")] == [
        (("service_lines", 1, "modifiers", 0), ("99497",)),
        (("service_lines", 2, "modifiers", 1), ("99498",))]
    # the AWV on another day of the claim waives nothing on this one
    other_day = prof("2026-05-01", ["Z00.00", "Z71.89"], [("G0439", [], [1]),
                                                          ("99497", ["33"], [2])])
    other_day["service_lines"][1]["date_of_service"] = "2026-05-08"
    assert [loc for _, loc, *_ in found(other_day, "MOD_33_NOT_APPLICABLE")] == [
        ("service_lines", 1, "modifiers", 0)]


def test_advance_care_planning_33_clean_cases() -> None:
    with_awv = prof("2026-05-01", ["Z00.00", "Z71.89"],
                    [("G0438", [], [1]), ("99497", ["33"], [2]), ("99498", ["33"], [2])])
    without_33 = prof("2026-05-01", ["Z71.89"], [("99497", [], [1])])
    for d in (with_awv, without_33, {**ACP_33, "payer": "aetna"}):
        assert found(d, "MOD_33_NOT_APPLICABLE") == []
    assert found(with_awv, "MOD_33_MISSING") == []


# -- the rules cost nothing on claims without a vaccine or ACP ----------------------------

def test_claims_without_them_do_not_plan_the_rules() -> None:
    plain = Claim.from_dict(prof("2025-06-10", ["M17.11"], [("99213", ["25"], [1]),
                                                            ("20610", ["RT"], [1])]))
    route = CHECKER.route(plain)
    features = ClaimContext(plain, route.profile).features
    assert not {"proc-vaccine", "proc-acp"} & features
    for d, feature in ((VX02, "proc-vaccine"), (VX09, "proc-vaccine"), (PV10, "proc-acp")):
        c = Claim.from_dict(d)
        assert feature in ClaimContext(c, CHECKER.route(c).profile).features
    # G0008 and 90471 alone give no feature: the rules need a vaccine
    alone = Claim.from_dict(prof("2025-06-10", ["Z23"], [("G0008", [], [1]),
                                                         ("90471", [], [1])]))
    assert "proc-vaccine" not in ClaimContext(alone, CHECKER.route(alone).profile).features


# -- G2211 beside an E/M with modifier 25, from 2025 (policy MCR-G2211-MOD25) -------------

#: GX02 of the certified coder's review: 99214-25 + G2211 + 20610-RT on 2025-03-04.
GX02 = prof("2025-03-04", ["M17.11", "E11.9"], [("99214", ["25"], [2, 1]),
                                               ("G2211", [], [2]), ("20610", ["RT"], [1])])
G2211_2025 = (
    "Line 2: G2211 (the E/M visit complexity add-on) is not paid when its office/outpatient "
    "E/M visit carries modifier 25, unless the other service of the day is an annual "
    "wellness visit, a vaccine administration or a Part B preventive service (CMS-1807-F), "
    "and no line of that day is one: remove G2211, or modifier 25 if no other service of "
    "the day needed it")


def _policy(d: dict[str, Any]) -> list[tuple[str, Any, str]]:
    return [(f.rule, f.location, f.reference.rsplit("[", 1)[-1])
            for f in CHECKER.check(Claim.from_dict(d)).findings
            if "[policy MCR-G2211" in f.reference]


def test_g2211_with_modifier_25_beside_a_procedure_in_2025() -> None:
    assert found(GX02, "COVERAGE_CRITERIA_NOT_MET") == [(
        "error", ("service_lines", 1), ("G2211", "E11.9"), (), G2211_2025)]
    assert _policy(GX02) == [("COVERAGE_CRITERIA_NOT_MET", ("service_lines", 1),
                              "policy MCR-G2211-MOD25]")]
    # the same with a drug injection (96372 + J1100), and in 2026
    drug = prof("2026-02-10", ["M17.11", "E11.9"], [
        ("99214", ["25"], [2, 1]), ("G2211", [], [2]), ("96372", [], [1]),
        ("J1100", [], [1])], units={3: 4})
    assert _policy(drug) == [("COVERAGE_CRITERIA_NOT_MET", ("service_lines", 1),
                              "policy MCR-G2211-MOD25]")]


@pytest.mark.parametrize("other", [
    ("G0439", [], [1]), ("G0438", [], [1]),              # an annual wellness visit
    ("G0008", [], [1]), ("90471", [], [1]), ("90480", [], [1]),  # a vaccine administration
    ("G0444", [], [1]), ("77067", [], [1]), ("G0442", [], [1]), ("99406", [], [1]),
    ("G0402", [], [1]), ("G0447", [], [1]), ("G0103", [], [1]),  # Part B preventive
])
def test_g2211_paid_beside_an_awv_vaccine_or_preventive_service(other: Any) -> None:
    d = prof("2025-03-04", ["M17.11", "E11.9"], [
        ("99214", ["25"], [2, 1]), ("G2211", [], [2]), ("20610", ["RT"], [1]), other])
    assert _policy(d) == []


def test_every_part_b_vaccine_makes_the_exception() -> None:
    """The policy's vaccine set holds every code of procedure.PART_B_VACCINES valid in 2025
    (one list in Python, one in the policy file)."""
    for day in ("2025-03-04", "2025-11-03"):
        for code in sorted(_families(dt.date.fromisoformat(day))):
            d = prof(day, ["M17.11", "E11.9", "Z23"], [
                ("99214", ["25"], [2, 1]), ("G2211", [], [2]), ("20610", ["RT"], [1]),
                (code, [], [3])])
            assert _policy(d) == [], (day, code)


def _dated(lines: list[tuple[str, list[str], list[int], str]]) -> dict[str, Any]:
    """A Medicare claim of 2025-03-04 whose lines carry their own dates."""
    d = prof("2025-03-04", ["M17.11", "E11.9", "Z00.00"],
             [(c, m, p) for c, m, p, _ in lines])
    for out, (*_, day) in zip(d["service_lines"], lines, strict=True):
        out["date_of_service"] = day
    return d


def test_g2211_looks_at_its_own_day() -> None:
    """CMS-1807-F and MM13887 speak of the E/M and the other service *of the same day*
    (a payer-policy review of 2026-12-06, item 5): a visit with 25 on another day makes no finding,
    and an annual wellness visit on another day makes no exception."""
    # 99214-25 + 20610 on 03-04; 99214 without 25 + G2211 on 03-18: no finding
    assert _policy(_dated([("99214", ["25"], [1], "2025-03-04"),
                           ("20610", ["RT"], [1], "2025-03-04"),
                           ("99214", [], [2], "2025-03-18"),
                           ("G2211", [], [2], "2025-03-18")])) == []
    # 99214-25 + G2211 + 20610 on 03-04, the AWV on 03-25: the G2211 is not paid
    awv_later = _dated([("99214", ["25"], [1], "2025-03-04"), ("G2211", [], [1], "2025-03-04"),
                        ("20610", ["RT"], [1], "2025-03-04"), ("G0439", [], [3], "2025-03-25")])
    assert found(awv_later, "COVERAGE_CRITERIA_NOT_MET") == [(
        "error", ("service_lines", 1), ("G2211", "M17.11"), (), G2211_2025)]
    # the AWV on the G2211's own day excuses that G2211 only
    two_visits = _dated([("99214", ["25"], [1], "2025-03-04"), ("G2211", [], [1], "2025-03-04"),
                         ("20610", ["RT"], [1], "2025-03-04"),
                         ("99214", ["25"], [2], "2025-03-25"), ("G2211", [], [2], "2025-03-25"),
                         ("G0439", [], [3], "2025-03-25")])
    assert _policy(two_visits) == [("COVERAGE_CRITERIA_NOT_MET", ("service_lines", 1),
                                    "policy MCR-G2211-MOD25]")]
    # 2024: a G2211 on the day of the visit with 25, on a claim of two days
    d = _dated([("99214", [], [2], "2024-08-12"), ("G2211", [], [2], "2024-08-12"),
                ("99214", ["25"], [1], "2024-08-26"), ("G2211", [], [1], "2024-08-26"),
                ("20610", ["RT"], [1], "2024-08-26")])
    assert _policy({**d, "date_of_service": "2024-08-12"}) == [
        ("COVERAGE_CRITERIA_NOT_MET", ("service_lines", 3), "policy MCR-G2211-MOD25-2024]")]


@pytest.mark.parametrize(("day", "payer", "mods"), [
    ("2025-03-04", "aetna", ["25"]),       # other payers
    ("2025-03-04", "medicare", []),        # no modifier 25
])
def test_g2211_2025_clean(day: str, payer: str, mods: list[str]) -> None:
    d = prof(day, ["M17.11", "E11.9"], [("99214", mods, [2, 1]), ("G2211", [], [2]),
                                        ("20610", ["RT"], [1])], payer=payer)
    assert _policy(d) == []


def test_the_2024_rule_ends_where_the_2025_rule_starts() -> None:
    for day, rule in (("2024-12-31", "MCR-G2211-MOD25-2024"), ("2025-01-01", "MCR-G2211-MOD25")):
        d = {**GX02, "date_of_service": day}
        assert _policy(d) == [("COVERAGE_CRITERIA_NOT_MET", ("service_lines", 1),
                               f"policy {rule}]")]

"""Professional-claim gaps of a review of 2026-12-05 (tests/test_pro_probe.py): newborn care
codes for an adult, the fix of an eyelid, finger or toe modifier of the wrong part, a
service not on the Medicare telehealth list billed as telehealth on an 837P, the
screening HCPCS codes of one sex (G0101 and Q0091 female, G0102 and G0103 male), and the
neonatal and pediatric critical care age bands."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, procedure
from codekit.rules import ClaimContext

DAY = "2025-11-03"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(policies=())


def claim(dx: list[str], code: str, *mods: str, birth: str = "1960-05-01", sex: str = "F",
          pos: str | None = None, line_pos: str | None = None, day: str = DAY,
          payer: str = "medicare") -> Claim:
    line: dict[str, Any] = {"procedure_code": code, "modifiers": list(mods), "units": 1,
                            "diagnosis_pointers": list(range(1, len(dx) + 1))}
    if line_pos:
        line["place_of_service"] = line_pos
    d: dict[str, Any] = {
        "claim_type": "professional", "payer": payer,
        "patient": {"sex": sex, "birth_date": birth}, "date_of_service": day,
        "diagnoses": dx, "service_lines": [line]}
    if pos:
        d["place_of_service"] = pos
    return Claim.from_dict(d)


def found(checker: Checker, c: Claim, rule: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.message, f.fix) for f in checker.check(c).findings if f.rule == rule]


# -- 1. newborn care codes: ages 0-0 -----------------------------------------------------

@pytest.mark.parametrize("code", ["99460", "99461", "99462", "99463"])
def test_newborn_care_codes_are_for_age_0(code: str) -> None:
    e = procedure.lookup(code, on=DAY)
    assert (e.min_age, e.max_age) == (None, 0)
    assert procedure.lookup("99464", on=DAY).max_age is None  # left to the IOCE


def test_newborn_care_for_an_adult(checker: Checker) -> None:
    got = found(checker, claim(["Z00.00"], "99460", birth="1994-05-01"), "PROC_AGE_CONFLICT")
    assert got == [("Line 1: 99460 is for ages 0-0 but the patient is 31 on 2025-11-03: "
                    "use the code of its kind for the patient's age where there is one; "
                    "otherwise check the code and the patient's birth date.", ())]
    got = found(checker, claim(["Z00.129"], "99460", birth="2023-11-01"), "PROC_AGE_CONFLICT")
    assert [m.split(" but ")[1] for m, _ in got] == [
        "the patient is 2 on 2025-11-03: use the code of its kind for the patient's age "
        "where there is one; otherwise check the code and the patient's birth date."]
    assert found(checker, claim(["Z38.00"], "99460", birth="2025-11-02"),
                 "PROC_AGE_CONFLICT") == []


@pytest.mark.parametrize(("code", "band"), [
    ("99468", (None, 0)), ("99469", (None, 0)), ("99477", (None, 0)),
    ("99471", (None, 2)), ("99472", (None, 2)), ("99485", (None, 2)), ("99486", (None, 2)),
    ("99475", (2, 5)), ("99476", (2, 5)), ("99478", (None, None))])  # by weight: none
def test_neonatal_and_pediatric_critical_care_age_bands(code: str, band: tuple[Any, Any]
                                                        ) -> None:
    e = procedure.lookup(code, on=DAY)
    assert (e.min_age, e.max_age) == band


@pytest.mark.parametrize(("code", "birth", "age"), [
    ("99468", "2024-09-01", 1),   # neonatal critical care for a child of one
    ("99471", "2022-06-01", 3),   # 29 days through 24 months: not at three
    ("99475", "2024-09-01", 1),   # 2 through 5 years: not at one
    ("99476", "2019-09-01", 6),
])
def test_critical_care_for_the_wrong_age(checker: Checker, code: str, birth: str,
                                         age: int) -> None:
    (msg, fix), = found(checker, claim(["J96.00"], code, birth=birth), "PROC_AGE_CONFLICT")
    assert msg.startswith(f"Line 1: {code} is for ages ") and \
        f"the patient is {age} on 2025-11-03" in msg and fix == ()


@pytest.mark.parametrize(("code", "birth"), [
    ("99468", "2025-10-20"), ("99471", "2024-09-01"), ("99475", "2022-06-01"),
    ("99476", "2020-11-04")])  # 4 years and 364 days, still 2-5 on 2025-11-03
def test_critical_care_for_its_age(checker: Checker, code: str, birth: str) -> None:
    assert found(checker, claim(["J96.00"], code, birth=birth), "PROC_AGE_CONFLICT") == []


# -- 2. LATERALITY_MISMATCH: the eyelid, finger or toe modifier of the diagnosis ---------

@pytest.mark.parametrize(("code", "mod", "dx", "fix"), [
    ("26055", "F1", "M65.331", ("F7",)),      # right middle finger: third digit
    ("26055", "F6", "M65.331", ("F7",)),      # right second digit: not the middle finger
    ("26055", "F1", "M65.311", ("F5",)),      # right thumb
    ("26055", "F5", "M65.341", ("F8",)),      # right ring finger: fourth digit
    ("15823", "E1", "H02.831", ("E3",)),      # right upper eyelid
    ("15823", "E4", "H02.831", ("E3",)),
    ("15823", "E3", "H02.834", ("E1",)),      # left upper eyelid
    ("28285", "TA", "S92.411A", ("T5",)),     # right great toe
    ("28285", "TA", "S92.511A", ()),          # right lesser toe: T6-T9, no one modifier
    ("26055", "F1", "M79.644", ()),           # right finger(s): no digit named
])
def test_part_modifier_fix(checker: Checker, code: str, mod: str, dx: str,
                           fix: tuple[str, ...]) -> None:
    got = found(checker, claim([dx], code, mod), "LATERALITY_MISMATCH")
    assert [f for _, f in got] == [fix]


def test_part_modifier_message(checker: Checker) -> None:
    got = found(checker, claim(["M65.331"], "26055", "F1"), "LATERALITY_MISMATCH")
    assert got == [("Line 1: modifier F1 (left hand, second digit) does not match the "
                    "diagnoses it points to: M65.331 (right middle finger). Correct the "
                    "modifier or the diagnosis.", ("F7",))]


@pytest.mark.parametrize(("code", "mod", "dx"), [
    ("26055", "F7", "M65.331"), ("26055", "F5", "M65.311"), ("15823", "E3", "H02.831"),
    ("28285", "T5", "S92.411A"), ("28285", "T7", "S92.511A"), ("26055", "F9", "M79.644"),
])
def test_part_modifier_clean(checker: Checker, code: str, mod: str, dx: str) -> None:
    assert found(checker, claim([dx], code, mod), "LATERALITY_MISMATCH") == []


# -- 3. MOD_TELEHEALTH_NOT_ELIGIBLE on medicare-professional -----------------------------

def test_telehealth_modifier_on_a_code_not_on_the_list(checker: Checker) -> None:
    got = found(checker, claim(["M17.11"], "20610", "RT", "95", pos="10"),
                "MOD_TELEHEALTH_NOT_ELIGIBLE")
    assert got == [(
        "Line 1: 20610 is not on the Medicare Telehealth Services List on 2025-11-03 (the "
        "I/OCE's telehealth flag), and modifier 95 bills it as telehealth: remove 95 if it "
        "was furnished in person; a service not on the list is not paid as telehealth.", ())]
    f = next(f for f in checker.check(claim(["M17.11"], "20610", "RT", "95", pos="10"))
             .findings if f.rule == "MOD_TELEHEALTH_NOT_ELIGIBLE")
    assert (f.severity, f.location) == ("error", ("service_lines", 0, "modifiers", 1))


@pytest.mark.parametrize("mod", ["GT", "GQ", "93", "FQ"])
def test_other_telehealth_modifiers(checker: Checker, mod: str) -> None:
    got = found(checker, claim(["M17.11"], "20610", "RT", mod), "MOD_TELEHEALTH_NOT_ELIGIBLE")
    assert [m.split(" and ")[1][:len(mod) + 9] for m, _ in got] == [f"modifier {mod}"]


def test_telehealth_place_of_service(checker: Checker) -> None:
    got = found(checker, claim(["M17.11"], "20610", "RT", pos="10"),
                "MOD_TELEHEALTH_NOT_ELIGIBLE")
    assert got == [(
        "Line 1: 20610 is not on the Medicare Telehealth Services List on 2025-11-03 (the "
        "I/OCE's telehealth flag), and place of service 10 bills it as telehealth: report "
        "the place where it was furnished in person; a service not on the list is not paid "
        "as telehealth.", ())]
    c = claim(["M17.11"], "20610", "RT", pos="11", line_pos="02")
    f = [f for f in checker.check(c).findings if f.rule == "MOD_TELEHEALTH_NOT_ELIGIBLE"]
    assert [x.location for x in f] == [("service_lines", 0, "place_of_service")]
    # the line's place of service answers for it
    assert found(checker, claim(["M17.11"], "20610", "RT", pos="10", line_pos="11"),
                 "MOD_TELEHEALTH_NOT_ELIGIBLE") == []


@pytest.mark.parametrize(("code", "mods", "kw"), [
    ("99213", ("95",), {"pos": "10"}),                  # on the list
    ("99213", (), {"pos": "02"}),
    ("20610", ("RT",), {"pos": "11"}),                  # not billed as telehealth
    ("20610", ("RT", "95"), {"day": "2023-06-30"}),     # before the I/OCE's flag
    ("20610", ("RT", "95"), {"payer": "aetna"}),        # commercial
])
def test_telehealth_clean(checker: Checker, code: str, mods: tuple[str, ...],
                          kw: dict[str, Any]) -> None:
    assert found(checker, claim(["M17.11"], code, *mods, **kw),
                 "MOD_TELEHEALTH_NOT_ELIGIBLE") == []


def test_a_remote_service_billed_as_telehealth_is_told_it_is_no_telehealth_service(
        checker: Checker) -> None:
    """Remote physiologic monitoring (99457) with 95: not a Medicare telehealth service
    (CY 2019 PFS final rule: services furnished remotely by their nature, not subject to
    section 1834(m)); it takes no telehealth modifier. The message said "remove 95 if it
    was furnished in person", the advice for 20610, which a remote service never is."""
    got = found(checker, claim(["I10"], "99457", "95"), "MOD_TELEHEALTH_NOT_ELIGIBLE")
    assert got == [(
        "Line 1: 99457 is remote physiologic monitoring, a service furnished remotely by "
        "its nature: it is not a Medicare telehealth service (not on the Medicare "
        "Telehealth Services List on 2025-11-03, not subject to its conditions) and is "
        "billed without a telehealth modifier: remove 95.", ())]
    got = found(checker, claim(["I10"], "99457", pos="10"), "MOD_TELEHEALTH_NOT_ELIGIBLE")
    assert got == [(
        "Line 1: 99457 is remote physiologic monitoring, a service furnished remotely by "
        "its nature: it is not a Medicare telehealth service (not on the Medicare "
        "Telehealth Services List on 2025-11-03, not subject to its conditions), and place "
        "of service 10 is for telehealth: report the place of service of the practice that "
        "bills it (where its practitioner would see the patient in person).", ())]
    got = found(checker, claim(["I10"], "99457", "95", pos="02"),
                "MOD_TELEHEALTH_NOT_ELIGIBLE")
    assert [m.split("conditions)")[1] for m, _ in got] == [
        " and is billed without a telehealth modifier, with the place of service of the "
        "practice that bills it: remove 95, and report that place of service instead of 02."]


@pytest.mark.parametrize(("code", "kind", "day"), [
    ("99453", "remote physiologic monitoring", DAY),
    ("99454", "remote physiologic monitoring", DAY),
    ("99458", "remote physiologic monitoring", DAY),
    ("99091", "remote physiologic monitoring", DAY),
    ("99445", "remote physiologic monitoring", "2026-02-02"),
    ("99470", "remote physiologic monitoring", "2026-02-02"),
    ("98975", "remote therapeutic monitoring", DAY),
    ("98977", "remote therapeutic monitoring", DAY),
    ("98980", "remote therapeutic monitoring", DAY),
    ("98981", "remote therapeutic monitoring", DAY),
    ("98979", "remote therapeutic monitoring", "2026-02-02"),
    ("98984", "remote therapeutic monitoring", "2026-02-02"),
    # 98986 (2026) and the remote interrogations of cardiac devices were told "remove 95
    # if it was furnished in person"
    ("98986", "remote therapeutic monitoring", "2026-02-02"),
    ("93294", "remote monitoring of an implanted cardiac device (a remote interrogation, "
     "covering a period of 30 or 90 days)", DAY),
    ("93296", "remote monitoring of an implanted cardiac device (a remote interrogation, "
     "covering a period of 30 or 90 days)", "2026-02-02"),
    ("93298", "remote monitoring of an implanted cardiac device (a remote interrogation, "
     "covering a period of 30 or 90 days)", DAY),
    ("G2012", "a virtual check-in (a communication technology-based service)", "2024-06-03"),
    ("G2252", "a virtual check-in (a communication technology-based service)", DAY),
    ("G2251", "a virtual check-in (a communication technology-based service)", DAY),
    ("98016", "a virtual check-in (a communication technology-based service)", DAY),
    ("G2010", "a remote evaluation of recorded images (a communication technology-based "
     "service)", DAY),
    ("G2250", "a remote evaluation of recorded images (a communication technology-based "
     "service)", DAY),
    ("99421", "an online digital assessment (e-visit)", DAY),
    ("99423", "an online digital assessment (e-visit)", DAY),
    ("98970", "an online digital assessment (e-visit)", DAY),
    ("99446", "an interprofessional consultation", DAY),
    ("99452", "an interprofessional consultation", DAY),
    ("G0546", "an interprofessional consultation", DAY),
    ("99490", "care management, billed for a calendar month", DAY),
    ("99439", "care management, billed for a calendar month", DAY),
    ("99491", "care management, billed for a calendar month", DAY),
    ("99487", "care management, billed for a calendar month", DAY),
    ("99424", "care management, billed for a calendar month", DAY),
    ("99427", "care management, billed for a calendar month", DAY),
    # behavioral health integration: care management of a calendar month (a behavioral
    # health coder's review: 99492 at place of service 10 was told "report the place where it
    # was furnished in person")
    ("99484", "behavioral health integration (care management), billed for a calendar "
     "month", DAY),
    ("99492", "behavioral health integration (care management), billed for a calendar "
     "month", DAY),
    ("99493", "behavioral health integration (care management), billed for a calendar "
     "month", "2024-06-03"),
    ("G2214", "behavioral health integration (care management), billed for a calendar "
     "month", "2026-05-04"),
])
def test_remote_services_by_kind(checker: Checker, code: str, kind: str, day: str) -> None:
    """Each kind of service CMS pays as furnished remotely by its nature, billed with 95
    (none is on the telehealth list: the I/OCE's flag), is told so, not "if it was
    furnished in person"."""
    got = found(checker, claim(["I10"], code, "95", day=day), "MOD_TELEHEALTH_NOT_ELIGIBLE")
    assert [m for m, _ in got] == [
        f"Line 1: {code} is {kind}, a service furnished remotely by its nature: it is not a "
        "Medicare telehealth service (not on the Medicare Telehealth Services List on "
        f"{day}, not subject to its conditions) and is billed without a telehealth "
        "modifier: remove 95."]


def test_collaborative_care_at_the_home_place_of_service(checker: Checker) -> None:
    """Psychiatric collaborative care (99492) with place of service 10 and the 99494
    add-on: each is told it is care management (the place of service of the billing
    practice), not "report the place where it was furnished in person"."""
    c = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "place_of_service": "10",
        "patient": {"sex": "F", "birth_date": "1955-03-01"}, "date_of_service": "2026-05-04",
        "diagnoses": ["F33.1"], "service_lines": [
            {"procedure_code": "99492", "units": 1, "diagnosis_pointers": [1]},
            {"procedure_code": "99494", "units": 2, "diagnosis_pointers": [1]}]})
    got = [(f.message, f.location) for f in checker.check(c).findings
           if f.rule == "MOD_TELEHEALTH_NOT_ELIGIBLE"]
    assert got == [(
        f"Line {n}: {code} is behavioral health integration (care management), billed for a "
        "calendar month, a service furnished remotely by its nature: it is not a Medicare "
        "telehealth service (not on the Medicare Telehealth Services List on 2026-05-04, not "
        "subject to its conditions), and place of service 10 is for telehealth: report the "
        "place of service of the practice that bills it (where its practitioner would see "
        "the patient in person).", ("place_of_service",))
        for n, code in ((1, "99492"), (2, "99494"))]


@pytest.mark.parametrize(("code", "day"), [
    ("98966", DAY), ("G0506", DAY), ("99495", DAY), ("99441", "2024-06-03")])
def test_remote_kinds_on_the_telehealth_list_stay_clean(checker: Checker, code: str,
                                                        day: str) -> None:
    """Codes on the list on the date (telephone assessment 98966, the CCM initiation
    add-on G0506, transitional care 99495, telephone E/M 99441 in 2024) are telehealth
    services there: no finding."""
    assert found(checker, claim(["I10"], code, "95", day=day),
                 "MOD_TELEHEALTH_NOT_ELIGIBLE") == []


def test_a_remote_service_on_a_critical_access_hospital_claim() -> None:
    """The I/OCE's edit 126 (85x): 99457 with 95 is told to drop 95, not to "bill the
    telehealth service's own code"."""
    c = Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "851",
        "opps": False, "patient": {"sex": "F", "age": 70}, "date_of_service": "2024-03-01",
        "diagnoses": ["I10"], "service_lines": [
            {"procedure_code": "99457", "modifiers": ["95"], "units": 1,
             "revenue_code": "0960"}]})
    got = [f.message for f in Checker(policies=()).check(c).findings
           if f.rule == "MOD_TELEHEALTH_NOT_ELIGIBLE"]
    assert got == [
        "Line 1: 99457 is not a service the I/OCE accepts as telehealth on 2024-03-01: "
        "remove 95 (99457 is remote physiologic monitoring, a service furnished remotely "
        "by its nature, not a Medicare telehealth service)."]


@pytest.mark.parametrize(("mods", "kw", "has"), [
    (("RT",), {"pos": "11"}, False), (("RT",), {}, False),
    (("RT", "95"), {}, True), (("RT",), {"pos": "10"}, True),
    (("RT",), {"pos": "11", "line_pos": "02"}, True),
])
def test_telehealth_feature_gates_the_rule(checker: Checker, mods: tuple[str, ...],
                                           kw: dict[str, Any], has: bool) -> None:
    """Claims with no telehealth modifier or place of service do not run the edit."""
    c = claim(["M17.11"], "20610", *mods, **kw)
    assert ("telehealth" in ClaimContext(c, checker.route(c).profile).features) is has


# -- 5. HCPCS screening services of one sex --------------------------------------------

@pytest.mark.parametrize(("code", "limit", "dx"), [
    ("G0101", "F", "Z00.00"), ("Q0091", "F", "Z00.00"),
    # the screening DRE and PSA are for men (42 CFR 410.39; an outpatient coder's review:
    # G0103 for a woman gave no procedure finding)
    ("G0102", "M", "Z12.5"), ("G0103", "M", "Z12.5")])
def test_a_screening_service_of_one_sex_on_the_other(checker: Checker, code: str,
                                                     limit: str, dx: str) -> None:
    other, kind = ("M", "female") if limit == "F" else ("F", "male")
    assert procedure.lookup(code, on=DAY).sex == limit
    got = found(checker, claim([dx], code, sex=other), "PROC_SEX_CONFLICT")
    assert got == [(f"Line 1: {code} is a {kind}-only procedure but the patient's sex is "
                    f"{other}: check the code or the sex (modifier KX on the line when it "
                    "is correct).", ())]
    assert found(checker, claim([dx], code, "KX", sex=other), "PROC_SEX_CONFLICT") == []
    assert found(checker, claim([dx], code, sex=limit), "PROC_SEX_CONFLICT") == []


# -- 4. G2211 beside an office E/M with modifier 25 (policy MCR-G2211-MOD25-2024) --------

def _g2211(day: str, em_mods: tuple[str, ...], other: str | None = "20610") -> Claim:
    lines: list[dict[str, Any]] = [
        {"procedure_code": "99214", "modifiers": list(em_mods), "units": 1,
         "diagnosis_pointers": [1]},
        {"procedure_code": "G2211", "modifiers": [], "units": 1, "diagnosis_pointers": [1]}]
    if other:
        lines.append({"procedure_code": other, "modifiers": ["RT"] if other == "20610"
                      else [], "units": 1, "diagnosis_pointers": [1]})
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1955-03-01"}, "date_of_service": day,
        "diagnoses": ["M17.11"], "service_lines": lines})


def test_g2211_with_modifier_25_in_2024() -> None:
    got = [(f.rule, f.message, f.location, f.reference.rsplit("[", 1)[-1])
           for f in Checker().check(_g2211("2024-08-12", ("25",))).findings]
    assert got == [(
        "COVERAGE_CRITERIA_NOT_MET",
        "Line 2: G2211 (the E/M visit complexity add-on) is not paid in 2024 when its "
        "office/outpatient E/M visit carries modifier 25 (CMS-1784-F): remove G2211, or "
        "modifier 25 if no other service of the day needed it",
        ("service_lines", 1), "policy MCR-G2211-MOD25-2024]")]


@pytest.mark.parametrize(("day", "mods", "other", "payer"), [
    ("2024-08-12", (), None, "medicare"),          # the visit alone, no 25
    ("2023-12-29", ("25",), "20610", "medicare"),  # before G2211 was paid at all
    ("2025-03-03", ("25",), "G0439", "medicare"),  # 2025: beside a wellness visit
    ("2024-08-12", ("25",), "20610", "aetna"),
])
def test_g2211_clean(day: str, mods: tuple[str, ...], other: str | None,
                     payer: str) -> None:
    c = _g2211(day, mods, other)
    if payer != "medicare":
        c = Claim.from_dict({**c.to_dict(), "payer": payer})
    assert [f.rule for f in Checker().check(c).findings
            if f.rule == "COVERAGE_CRITERIA_NOT_MET"] == []

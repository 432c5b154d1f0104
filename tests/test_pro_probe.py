"""A certified coder's probes of the professional profiles (medicare-professional,
commercial): E/M pairs of the NCCI PTP table, 59/X{EPSU} beside an E/M, the annual
wellness visit, and the diagnosis a line's first pointer makes primary.

The PTP rows are copied by code number from the CMS practitioner table of July 2024 (all
indicator 1); one test reads that table itself from ``../shared`` and skips when absent.
"""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, ncci
from tests.claims_gen import ptp_checker
from tests.conftest import reference

PTP_ROWS = """column_1,column_2,effective_date,deletion_date,modifier_indicator
99214,99213,2012-01-01,,1
99203,99213,2012-01-01,,1
99284,99283,2012-01-01,,1
99348,99347,2012-01-01,,1
99223,99213,2012-01-01,,1
G0439,99213,2012-01-01,,1
20610,99213,2012-01-01,,1
"""

DAY = "2024-08-12"


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    return ptp_checker(tmp_path_factory.mktemp("pro_probe"), PTP_ROWS)


def line(code: str, *mods: str, ptr: tuple[int, ...] = (1,)) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), "units": 1,
            "diagnosis_pointers": list(ptr)}


def claim(dx: list[str], lines: list[dict[str, Any]], *, payer: str = "medicare",
          day: str = DAY) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": payer,
        "patient": {"sex": "F", "birth_date": "1955-03-01"}, "date_of_service": day,
        "diagnoses": dx, "service_lines": lines})


def found(checker: Checker, c: Claim) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.rule, f.message, f.fix) for f in checker.check(c).findings]


# -- NCCI_PTP_CONFLICT: an E/M bundled into another E/M ----------------------------------

def test_two_office_visits_same_day(checker: Checker) -> None:
    """99214 and 99213 on one date, visits of one kind: one provider reports one E/M at
    the level of the combined visits (ch.12 §30.6.5); two only for unrelated problems that
    could not be handled at the same encounter (§30.6.7.B). The fix is no modifier: it was
    25 (and before, 25 and 57), which a tool applying fixes would have added to a visit
    that is to be combined with the other."""
    got = found(checker, claim(["E11.9"], [line("99213"), line("99214")]))
    assert got == [(
        "NCCI_PTP_CONFLICT",
        "Line 1: 99213 is bundled into 99214 (line 2) by an NCCI practitioner PTP edit "
        "(column 1 99214, column 2 99213, modifier indicator 1): 99214 and 99213 are visits "
        "of one kind (99202-99215) on one date: one provider reports them as one E/M at "
        "the level of the combined visits (Claims Processing Manual ch.12 §30.6.5): "
        "remove line 1 and report the day's work on one line; visits for unrelated "
        "problems that could not be handled at the same encounter are billed apart "
        "(§30.6.7.B), with 25 on 99213.", ())]
    assert found(checker, claim(["E11.9"], [line("99213", "25"), line("99214")])) == []


@pytest.mark.parametrize(("c1", "c2", "kind"), [
    ("99203", "99213", "99202-99215"), ("99284", "99283", "99281-99285"),
    ("99348", "99347", "99341-99350")])
def test_two_visits_of_one_kind_have_no_modifier_fix(checker: Checker, c1: str, c2: str,
                                                     kind: str) -> None:
    """A new and an established office visit, two emergency department visits, two home
    visits: one kind each, so the fix is to report one E/M (no modifier); the exception
    of §30.6.7.B is said for the office visits only (§30.6.5 for the others)."""
    got = found(checker, claim(["I10"], [line(c2), line(c1)]))
    assert [(r, fix) for r, _, fix in got] == [("NCCI_PTP_CONFLICT", ())]
    assert f"{c1} and {c2} are visits of one kind ({kind}) on one date" in got[0][1]
    tail = ("visits for unrelated problems that could not be handled at the same encounter "
            f"are billed apart (§30.6.7.B), with 25 on {c2}." if kind == "99202-99215" else
            f"visits for unrelated problems are billed apart (§30.6.5), with 25 on {c2}.")
    assert got[0][1].endswith("remove line 1 and report the day's work on one line; " + tail)


def test_office_visit_on_the_day_of_admission(checker: Checker) -> None:
    """An office E/M that led to the admission is part of the admission's first inpatient
    visit code (Claims Processing Manual ch.12 §30.6.9.1.C): remove it, no modifier."""
    got = found(checker, claim(["J18.9"], [line("99213"), line("99223")]))
    assert [(r, fix) for r, _, fix in got] == [("NCCI_PTP_CONFLICT", ())]
    assert "part of the initial hospital or observation care (99223; Claims Processing " \
           "Manual ch.12 §30.6.9.1.C): report the day's work in 99223 and remove 99213." \
           in got[0][1]


# -- EM_MINOR_PROC_NO_MOD25 -------------------------------------------------------------

def test_annual_wellness_visit_and_problem_visit(checker: Checker) -> None:
    """G0439 with 99213: 25 on the problem-oriented visit, not "25 or 57" and global days;
    57 there is the wrong modifier (it was accepted)."""
    got = found(checker, claim(["I10"], [line("99213"), line("G0439")]))
    assert got == [(
        "EM_MINOR_PROC_NO_MOD25",
        "Line 1: 99213 is reported on the same day as G0439 (line 2), a preventive or "
        "annual wellness visit that includes it: append 25 if the E/M was a significant, "
        "separately identifiable problem-oriented visit, otherwise remove it.", ("25",))]
    got = found(checker, claim(["I10"], [line("99213", "57"), line("G0439")]))
    assert [(r, fix) for r, _, fix in got] == [("EM_MINOR_PROC_NO_MOD25", ("25",))]
    assert "57 is for the decision for a major surgery; use 25 if" in got[0][1]
    assert found(checker, claim(["I10"], [line("99213", "25"), line("G0439")])) == []


@pytest.mark.parametrize(("lines", "said"), [
    ([line("99213", "59"), line("20610", "RT")], "59 on line 1 does"),
    ([line("99213"), line("20610", "RT", "XS")], "XS on line 2 does"),
    ([line("99213", "XE"), line("20610", "RT", "59")], "XE on line 1, 59 on line 2 do"),
])
def test_59_beside_an_em_is_named(checker: Checker, lines: list[dict[str, Any]],
                                  said: str) -> None:
    """A coder who put 59 or X{EPSU} on either line meant the E/M to be separate: the
    finding says those modifiers do not do it (NCCI Policy Manual ch.I §E)."""
    got = found(checker, claim(["M17.11"], lines))
    assert [r for r, _, _ in got] == ["EM_MINOR_PROC_NO_MOD25"]
    assert got[0][1].endswith(
        f" ({said} not make an E/M separate: 59 and X{{EPSU}} are not used for E/M "
        "services, 25 on the E/M is: NCCI Policy Manual ch.I §E.)")


def test_em_pairs_with_the_cms_practitioner_table() -> None:
    """The same E/M pair with the CMS practitioner table of July 2024."""
    path = reference("northstar_2024q3", "ncci_ptp_practitioner_2024q3.csv.gz")
    ck = Checker(ptp=ncci.load_ptp(path), policies=())
    got = found(ck, claim(["E11.9"], [line("99213"), line("99215")]))
    assert [(r, fix) for r, _, fix in got] == [("NCCI_PTP_CONFLICT", ())]
    assert "99215 and 99213 are visits of one kind (99202-99215) on one date" in got[0][1]


# -- PTR_PRIMARY_NOT_ALLOWED ------------------------------------------------------------

@pytest.mark.parametrize("payer", ["medicare", "aetna"])
def test_first_pointer_to_a_manifestation(checker: Checker, payer: str) -> None:
    got = found(checker, claim(["G30.9", "F02.80"], [line("99214", ptr=(2, 1))],
                               payer=payer))
    assert got == [(
        "PTR_PRIMARY_NOT_ALLOWED",
        "Line 1 (99214): its first pointer, 2, makes F02.80 the line's primary diagnosis, "
        "but F02.80 is a manifestation code, never first-listed (Guideline I.A.13): point "
        "first to the condition treated (G30.9, pointer 1) and to F02.80 after it.",
        ("1", "2"))]
    c = claim(["G30.9", "F02.80"], [line("99214", ptr=(2, 1))], payer=payer)
    f = checker.check(c).findings[0]
    assert (f.severity, f.location) == ("warning", ("service_lines", 0, "diagnosis_pointers", 0))
    assert found(checker, claim(["G30.9", "F02.80"], [line("99214", ptr=(1, 2))],
                                payer=payer)) == []


def test_first_pointer_to_an_external_cause(checker: Checker) -> None:
    got = found(checker, claim(["S52.501A", "W19.XXXA"], [line("25600", "RT", ptr=(2,))]))
    assert got == [(
        "PTR_PRIMARY_NOT_ALLOWED",
        "Line 1 (25600): its first pointer, 2, makes W19.XXXA the line's primary diagnosis, "
        "but W19.XXXA is an external-cause code, never first-listed (Guideline I.C.20); it "
        "only adds the cause, intent, place, activity or status of the injury or condition: "
        "point first to the condition treated, and to W19.XXXA after it.", ())]
    assert found(checker, claim(["S52.501A", "W19.XXXA"],
                                [line("25600", "RT", ptr=(1, 2))])) == []


def test_first_pointer_to_an_additional_code_only(checker: Checker) -> None:
    """Z68 (BMI) and B96.20 are additional codes only; the fix is the line's pointers with
    the first other pointer to a code that can be primary moved first (not that pointer
    alone, which written at the first pointer's place would repeat it)."""
    got = found(checker, claim(["E66.01", "Z68.41"], [line("99214", ptr=(2,))]))
    assert [(r, fix) for r, _, fix in got] == [("PTR_PRIMARY_NOT_ALLOWED", ())]
    got = found(checker, claim(["I10", "B96.20", "N39.0"], [line("99214", ptr=(2, 3))]))
    assert [(r, fix) for r, _, fix in got] == [("PTR_PRIMARY_NOT_ALLOWED", ("3", "2"))]
    got = found(checker, claim(["I10", "B96.20", "N39.0"], [line("99214", ptr=(2, 1, 3))]))
    assert [(r, fix) for r, _, fix in got] == [("PTR_PRIMARY_NOT_ALLOWED", ("1", "2", "3"))]
    assert found(checker, claim(["E66.01", "Z68.41"], [line("99214", ptr=(1, 2))])) == []


def test_first_pointer_to_diagnosis_1_is_the_claim_edit(checker: Checker) -> None:
    """Diagnosis 1 is judged by the first-listed edits, once, not again per line."""
    got = found(checker, claim(["F02.80", "G30.9"], [line("99214", ptr=(1, 2))]))
    assert [r for r, _, _ in got] == ["DX_MANIFESTATION_FIRST_LISTED"]


# -- DX_GUIDELINE_SEQUENCE: a sequela listed before its residual condition ---------------

@pytest.mark.parametrize(("dx", "fix"), [
    (["S72.002S", "M25.552"], ("M25.552",)),
    (["T24.232S", "L90.5"], ("L90.5",)),
    (["S72.002S", "W19.XXXS", "M25.552"], ("M25.552",)),
])
def test_sequela_first_listed(checker: Checker, dx: list[str], fix: tuple[str, ...]) -> None:
    """I.B.10: the residual condition first, the sequela code (7th character S) second."""
    got = found(checker, claim(dx, [line("97110", "GP", ptr=(1, 2))], day="2025-11-03"))
    assert [(r, f) for r, _, f in got] == [("DX_GUIDELINE_SEQUENCE", fix)]
    assert got[0][1] == (
        f"{dx[0]} is a sequela (7th character S) and is listed first: the residual "
        "condition goes first and the sequela code after it (Guidelines I.B.10, "
        f"I.C.19.a): list {fix[0]} first if it is the residual of {dx[0]}.")


@pytest.mark.parametrize(("dx", "fix"), [
    # a residual the titles make plausible comes after a code they do not: it is named
    (["S72.002S", "I10", "M16.52"], ("M16.52",)),
    # the knee beside the upper end of the tibia, of the same side
    (["S82.101S", "M17.31"], ("M17.31",)),
])
def test_the_residual_named_is_one_the_titles_allow(checker: Checker, dx: list[str],
                                                     fix: tuple[str, ...]) -> None:
    got = found(checker, claim(dx, [line("97110", "GP", ptr=(1, 2))], day="2025-11-03"))
    assert [(r, f) for r, _, f in got if r == "DX_GUIDELINE_SEQUENCE"] == [
        ("DX_GUIDELINE_SEQUENCE", fix)]


@pytest.mark.parametrize("dx", [
    ["S72.001S", "I10"],             # hypertension is no residual of a hip fracture
    ["S72.002S", "M25.551"],         # the other hip
    ["S06.2X9S", "G93.41"],          # a metabolic encephalopathy: no injury's residual
    ["S62.102S", "M84.642S"],        # the hand beside the wrist, but itself a sequela
])
def test_no_residual_is_named_when_the_titles_allow_none(checker: Checker,
                                                         dx: list[str]) -> None:
    """I.B.10: the sequela first is still the finding (its residual goes first, and may be
    missing from the claim), but no code is nominated as the residual, and no fix given."""
    got = found(checker, claim(dx, [line("97110", "GP", ptr=(1, 2))], day="2025-11-03"))
    assert [(r, m, f) for r, m, f in got if r == "DX_GUIDELINE_SEQUENCE"] == [(
        "DX_GUIDELINE_SEQUENCE",
        f"{dx[0]} is a sequela (7th character S) and is listed first: the residual "
        "condition goes first and the sequela code after it (Guidelines I.B.10, "
        f"I.C.19.a): list the residual condition (the condition {dx[0]} left) first, "
        "adding its code if the claim lacks it.", ())]


def test_the_residual_named_is_may_be_residuals(checker: Checker) -> None:
    """``_sequela_first`` asks ``_may_be_residual``: over sequelae and candidate
    residuals of several regions and sides, the code it names is the one the function
    allows."""
    from codekit import icd10cm
    from codekit.rules.guideline_pairs import _may_be_residual

    day = "2025-11-03"
    sequelae = ["S72.002S", "S82.101S", "S52.501S", "T24.232S", "S06.2X9S", "T40.2X1S",
                "S43.401S", "S62.102S"]
    residuals = ["M25.552", "M25.551", "M16.52", "M17.31", "M17.12", "M25.531", "L90.5",
                 "L91.0", "I10", "G93.40", "M25.511", "M75.101", "H53.9", "M84.642S",
                 "M84.642A", "Q66.92", "Q74.2"]
    for s in sequelae:
        for r in residuals:
            got = found(checker, claim([s, r], [line("97110", "GP", ptr=(1, 2))], day=day))
            fixes = [f for rule, _, f in got if rule == "DX_GUIDELINE_SEQUENCE"]
            may = _may_be_residual(icd10cm.facts(s, on=day),  # type: ignore[arg-type]
                                   icd10cm.facts(r, on=day))  # type: ignore[arg-type]
            assert fixes == [(r,) if may else ()], (s, r, fixes)


@pytest.mark.parametrize("dx", [
    ["M25.552", "S72.002S"],     # the right order
    ["S72.002S"],                # alone
    ["S72.002S", "W19.XXXS"],    # its external cause only
    ["S72.002S", "Z96.642"],     # a status Z code is not a residual
    ["S72.002D", "M25.552"],     # a subsequent encounter, not a sequela
    # no code that can be the residual listed first: one whose "Code first" note names the
    # sequela (already in order), a code never first, an additional code only, an injury
    ["S06.2X9S", "F02.80"],
    ["S06.2X9S", "R65.20"],
    ["S06.2X9S", "B96.20"],
    ["S72.002S", "S72.002D"],
    ["S72.002S", "S52.501A"],
])
def test_sequela_clean(checker: Checker, dx: list[str]) -> None:
    got = found(checker, claim(dx, [line("97110", "GP", ptr=(1,))], day="2025-11-03"))
    assert [r for r, _, _ in got if r == "DX_GUIDELINE_SEQUENCE"] == []


@pytest.mark.parametrize(("dx", "fix"), [
    # the brain (S06): encephalopathy, a cognitive deficit, postconcussional syndrome,
    # post-traumatic headache (I.B.10: the condition produced, listed first)
    (["S06.2X9S", "G93.40"], "G93.40"),
    (["S06.2X9S", "R41.840"], "R41.840"),
    (["S06.0X0S", "F07.81"], "F07.81"),
    (["S06.2X9S", "G44.309"], "G44.309"),
    # the spinal cord: its level's paralysis
    (["S14.115S", "G82.53"], "G82.53"),
    (["S24.111S", "G82.21"], "G82.21"),
    (["S34.111S", "G83.4"], "G83.4"),
    # the spine and the neck: whiplash's cervicalgia, a compression fracture's traumatic
    # spondylopathy of its level
    (["S13.4XXS", "M54.2"], "M54.2"),
    (["S22.060S", "M48.34"], "M48.34"),
    # the skull and the face: I.B.10's own example, the deviated septum of a nasal
    # fracture; the skull beside the brain and the ear (the temporal bone's hearing loss,
    # of the same side); the mandible's joint of the same side; the orbit's diplopia
    (["S02.2XXS", "J34.2"], "J34.2"),
    (["S02.0XXS", "G93.40"], "G93.40"),
    (["S02.101S", "H90.A21"], "H90.A21"),
    (["S02.611S", "M26.621"], "M26.621"),
    (["S02.31XS", "H53.2"], "H53.2"),
    # the trunk: ribs and chest pain, the pelvis and its deformity, the ilium beside the hip
    (["S22.41XS", "R07.89"], "R07.89"),
    (["S32.810S", "M95.5"], "M95.5"),
    (["S32.301S", "M25.551"], "M25.551"),
    # the eye and the ear, and a burn of the neck's scar
    (["S05.21XS", "H54.413A"], "H54.413A"),
    (["S09.21XS", "H72.01"], "H72.01"),
    (["T20.27XS", "L90.5"], "L90.5"),
])
def test_a_sequela_of_the_head_neck_or_trunk_names_its_residual(
        checker: Checker, dx: list[str], fix: str) -> None:
    """I.B.10, I.C.19.a: the residual of an injury of the head, the neck or the trunk is
    named as it is for a limb's."""
    got = found(checker, claim(dx, [line("97110", "GP", ptr=(1, 2))], day="2025-11-03"))
    assert [(r, m, f) for r, m, f in got if r == "DX_GUIDELINE_SEQUENCE"] == [(
        "DX_GUIDELINE_SEQUENCE",
        f"{dx[0]} is a sequela (7th character S) and is listed first: the residual "
        "condition goes first and the sequela code after it (Guidelines I.B.10, "
        f"I.C.19.a): list {fix} first if it is the residual of {dx[0]}.", (fix,))]


@pytest.mark.parametrize("dx", [
    ["S06.2X9S", "I10"],         # hypertension is no residual of a brain injury
    ["S06.2X9S", "M17.12"],      # nor a knee's arthritis
    ["S06.2X9S", "I69.310"],     # a stroke's cognitive deficit, not the injury's
    ["S14.115S", "G82.21"],      # a C5 lesion's paralysis is a quadriplegia
    ["S34.111S", "G82.53"],      # an L1 lesion's is no quadriplegia
    ["S02.611S", "M26.622"],     # the other joint of the mandible
    ["S13.4XXS", "M45.2"],       # an ankylosing spondylitis
    ["S12.000S", "M47.812"],     # a spondylosis
    ["S36.200S", "M95.2"],       # the head of the pancreas is no head
    ["S00.33XS", "M95.0"],       # a contusion (a superficial injury) leaves a scar only
    ["T20.27XS", "M43.6"],       # a burn's residual is its scar (L90.5), not read further
])
def test_a_sequela_of_the_head_neck_or_trunk_names_no_unrelated_code(
        checker: Checker, dx: list[str]) -> None:
    got = found(checker, claim(dx, [line("97110", "GP", ptr=(1, 2))], day="2025-11-03"))
    assert [(r, f) for r, _, f in got if r == "DX_GUIDELINE_SEQUENCE"] == [
        ("DX_GUIDELINE_SEQUENCE", ())]


def test_a_burn_sequela_before_a_current_burn_of_a_higher_degree(checker: Checker) -> None:
    """A burn sequela listed before another condition and a current burn of a higher
    degree: the burn row's finding (the current burn first, I.C.19.d.1), not the sequela
    test's, which would name the first other code (I82.C13) as a possible residual."""
    got = found(checker, claim(["T23.572S", "I82.C13", "T20.611A"],
                               [line("97110", "GP", ptr=(1, 2))], day="2025-11-03"))
    assert [(r, f) for r, _, f in got if r == "DX_GUIDELINE_SEQUENCE"] == [
        ("DX_GUIDELINE_SEQUENCE", ("T20.611A",))]
    assert next(m for r, m, _ in got if r == "DX_GUIDELINE_SEQUENCE").startswith(
        "T20.611A should be listed before T23.572S: when more than one burn or corrosion "
        "is present, the code of the highest degree is sequenced first")


# -- MUE_EXCEEDED: an MUE of 0 ------------------------------------------------------------

def test_preventive_visit_with_the_cms_practitioner_mue() -> None:
    """99396 has a practitioner MUE of 0 (MAI 3, "CMS Policy", April 2026): the message was
    "exceeds its MUE of 0 per day (MAI 3, appealable...)" with a units fix of 0."""
    path = reference("ncci_mue_2026q2", "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv")
    ck = Checker(mue=ncci.load_mue(path), policies=())
    c = claim(["Z00.00"], [line("99396")], day="2026-05-04")
    (f,) = [f for f in ck.check(c).findings if f.rule == "MUE_EXCEEDED"]
    assert (f.location, f.fix, f.message) == (
        ("service_lines", 0, "units"), (),
        "Line 1: 1 unit of 99396: its practitioner MUE is 0 (MAI 3, rationale: CMS Policy): "
        "CMS allows no units of 99396 in this setting: Medicare does not cover a routine "
        "preventive visit (SSA §1862(a)(7); Benefit Policy Manual ch.16 §90). Its own are "
        "the initial preventive physical examination (G0402, in the first 12 months of Part "
        "B) and the annual wellness visit (G0438 the first, G0439 after; Claims Processing "
        "Manual ch.18 §80, §140): bill the one furnished in place of 99396, or bill 99396 "
        "with GY (statutorily excluded) for the denial, so that the patient or a secondary "
        "payer pays; otherwise remove the line.")

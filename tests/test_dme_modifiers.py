"""A DME and drug coder's review (2026-12-06), its rule findings (items 1, 3 and 4): a
line pointing to a diagnosis with no side is not judged by LATERALITY_MISMATCH (diabetic
shoes for both feet); JW/JZ on a code that is no drug, and the DMEPOS modifiers on a drug, a
procedure or an ambulance code (MOD_INVALID), a drug's JZ line beside its JW line
(MOD_JZ_WITH_JW), a JW line without the line of the dose given
(MOD_JW_WITHOUT_ADMINISTERED, an oncology biller's probe of 2026-12-07); the DME MACs'
RT/LT lines on orthoses under medicare-dme (MOD_DME_SIDE_MISSING, MOD_DME_50,
MOD_DME_SIDE_UNITS). Real codes and dates, exact findings, and the nearest correct
claims."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, procedure

CHECKER = Checker()
PATIENT = {"sex": "F", "birth_date": "1950-03-01"}


def prof(dx: list[str], lines: list[tuple[str, list[str], int, list[int]]], *,
         day: str = "2026-05-12", dme: bool = False, payer: str = "medicare"
         ) -> dict[str, Any]:
    return {"claim_type": "professional", "payer": payer, "patient": PATIENT,
            "date_of_service": day, "diagnoses": dx, "dme_supplier": dme,
            "service_lines": [{"procedure_code": c, "modifiers": m, "units": u,
                               "diagnosis_pointers": p} for c, m, u, p in lines]}


def found(d: dict[str, Any]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    report = CHECKER.check(Claim.from_dict(d))
    return [(f.rule, f.severity.value, f.path, f.fix) for f in report.findings]


# -- 1. LATERALITY_MISMATCH: a diagnosis with no side keeps the line quiet ----------------

#: Diabetic shoes for both feet (L33369: diabetes and one qualifying condition of either
#: foot, a right great toe's amputation here), RT and LT on two lines.
SHOES = prof(["E11.42", "Z89.411"], [("A5500", ["RT", "KX"], 1, [1, 2]),
                                     ("A5500", ["LT", "KX"], 1, [1, 2])], dme=True)


def test_diabetic_shoes_for_both_feet_are_clean() -> None:
    assert found(SHOES) == []
    assert found({**SHOES, "dme_supplier": False}) == []


def test_a_line_pointing_only_to_diagnoses_of_the_other_side_still_fires() -> None:
    d = prof(["M17.11"], [("27447", ["LT"], 1, [1])])
    assert found(d) == [("LATERALITY_MISMATCH", "error", "$.service_lines[0].modifiers[0]",
                         ("RT",))]
    # the shoe pointing to the right toe's amputation alone: an acquired absence is the side
    # no longer there, which the other foot's shoe rightly follows (not judged)
    shoe = prof(["E11.42", "Z89.411"], [("A5500", ["LT", "KX"], 1, [2])], dme=True)
    assert found(shoe) == []


def test_an_acquired_absence_is_no_side_a_modifier_contradicts() -> None:
    """A mammogram of the remaining right breast after a left mastectomy (Z90.12); a right
    great toe's amputation when the left was lost before (Z89.412): both clean."""
    d = prof(["Z90.12"], [("77065", ["RT"], 1, [1])])
    assert [r for r, *_ in found(d)] == []
    d = prof(["Z89.412", "E11.52"], [("28820", ["T5"], 1, [1])])
    assert [r for r, *_ in found(d)] == []
    # the other side of a sided diagnosis still fires beside such a line
    d = prof(["Z90.12", "C50.912"], [("77065", ["RT"], 1, [1]), ("19303", ["RT"], 1, [2])])
    assert [(r, p) for r, _, p, _ in found(d)] == [
        ("LATERALITY_MISMATCH", "$.service_lines[1].modifiers[0]")]


def test_a_diagnosis_with_no_side_beside_one_of_the_other_side_is_quiet() -> None:
    """Spec F5: "unspecified-side or no-laterality dx -> no edit"."""
    assert found(prof(["M17.11", "E66.9"], [("27447", ["LT"], 1, [1, 2])])) == []


# -- 3. JW and JZ ---------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "mod"), [("99213", "JZ"), ("96413", "JZ"), ("96372", "JW")])
def test_jw_or_jz_on_a_code_that_is_no_drug(code: str, mod: str) -> None:
    d = prof(["C18.9"], [(code, [mod], 1, [1])])
    assert found(d) == [("MOD_INVALID", "error", "$.service_lines[0].modifiers[0]", ())]
    assert [r for r, *_ in found({**d, "payer": "aetna"})] == ["MOD_INVALID"]


@pytest.mark.parametrize(("code", "mod"), [
    ("J9035", "JZ"), ("90375", "JW"), ("90686", "JZ"), ("91320", "JZ"), ("95165", "JW")])
def test_jw_or_jz_on_a_drug_is_not_misplaced(code: str, mod: str) -> None:
    d = prof(["C18.9"], [(code, [mod], 1, [1])])
    assert "MOD_INVALID" not in [r for r, *_ in found(d)]


def test_a_drugs_jz_line_beside_its_jw_line() -> None:
    d = prof(["C18.9"], [("J9035", ["JZ"], 75, [1]), ("J9035", ["JW"], 5, [1])])
    report = CHECKER.check(Claim.from_dict(d))
    (f,) = report.findings
    assert (f.rule, f.severity.value, f.path, f.codes, f.fix) == (
        "MOD_JZ_WITH_JW", "warning", "$.service_lines[0].modifiers[0]",
        ("J9035", "JZ", "JW"), ())
    assert f.message == (
        "Line 1 (J9035-JZ) says none of the drug was discarded, but line 2 (J9035-JW) bills "
        "an amount of it discarded on 2026-05-12: with an amount discarded, bill the amount "
        "given on a line without JZ and the amount discarded with JW (or, if none was "
        "discarded, remove the JW line).")


@pytest.mark.parametrize("lines", [
    [("J9035", [], 75, [1]), ("J9035", ["JW"], 5, [1])],        # the waste billed right
    # two drugs: JZ on one does not pair with the other's JW line
    [("J9035", ["JZ"], 80, [1]), ("J9271", [], 40, [1]), ("J9271", ["JW"], 5, [1])],
])
def test_jw_and_jz_lines_that_agree(lines: list[tuple[str, list[str], int, list[int]]]
                                    ) -> None:
    assert found(prof(["C18.9"], lines)) == []


# -- 3a. A JW line without the line of the dose given (MOD_JW_WITHOUT_ADMINISTERED) ---------
# (an oncology biller's probe of 2026-12-07: J9035-JW alone beside 96413 was clean). The
# amount discarded is billed on its own line beside the amount administered (Claims
# Processing Manual ch.17 §40); First Coast rejects a claim holding only the JW line.


def test_a_jw_line_without_the_dose_given() -> None:
    d = prof(["C18.9"], [("96413", [], 1, [1]), ("J9035", ["JW"], 5, [1])])
    (f,) = CHECKER.check(Claim.from_dict(d)).findings
    assert (f.rule, f.severity.value, f.path, f.codes, f.fix) == (
        "MOD_JW_WITHOUT_ADMINISTERED", "error", "$.service_lines[1].modifiers[0]",
        ("J9035", "JW"), ())
    assert f.message == (
        "Line 2 (J9035-JW) bills an amount of the drug discarded on 2026-05-12, but no line "
        "bills J9035 administered that day: the amount discarded from a single-dose "
        "container is paid beside the dose given, on a line of its own, so bill the dose "
        "given on a line of J9035 without JW (its units the dose over the code's dose per "
        "unit) and keep the JW line for the rest of the container (Claims Processing Manual "
        "ch.17 §40); a drug none of which was given is not billed.")
    # any payer; two JW lines of the drug: one finding, at the first
    assert [r for r, *_ in found({**d, "payer": "aetna"})] == ["MOD_JW_WITHOUT_ADMINISTERED"]
    two = prof(["C18.9"], [("96413", [], 1, [1]), ("J9035", ["JW"], 5, [1]),
                           ("J9035", ["JW"], 3, [1])])
    assert [(r, p) for r, _, p, _ in found(two)] == [
        ("MOD_JW_WITHOUT_ADMINISTERED", "$.service_lines[1].modifiers[0]")]
    # the dose given as another drug (a biosimilar, Q5107) is not J9035's dose
    bio = prof(["C18.9"], [("96413", [], 1, [1]), ("Q5107", [], 40, [1]),
                           ("J9035", ["JW"], 5, [1])])
    assert [r for r, *_ in found(bio)] == ["MOD_JW_WITHOUT_ADMINISTERED"]


def test_a_jw_line_without_the_dose_given_on_a_hospital_claim() -> None:
    d = {"claim_type": "institutional", "bill_type": "131", "payer": "medicare",
         "patient": PATIENT, "date_of_service": "2026-05-12", "diagnoses": ["C18.9"],
         "service_lines": [
             {"procedure_code": "96413", "units": 1, "revenue_code": "0335"},
             {"procedure_code": "J9035", "modifiers": ["JW"], "units": 5,
              "revenue_code": "0636"}]}
    assert [(r, p) for r, _, p, _ in found(d)] == [
        ("MOD_JW_WITHOUT_ADMINISTERED", "$.service_lines[1].modifiers[0]")]
    d["service_lines"].insert(1, {"procedure_code": "J9035", "units": 40,
                                  "revenue_code": "0636"})
    assert found(d) == []


@pytest.mark.parametrize(("lines", "rules"), [
    # the dose's line and the JW line: right (with JZ on the dose: MOD_JZ_WITH_JW alone)
    ([("96413", [], 1, [1]), ("J9035", [], 40, [1]), ("J9035", ["JW"], 5, [1])], []),
    ([("96413", [], 1, [1]), ("J9035", ["JZ"], 40, [1]), ("J9035", ["JW"], 5, [1])],
     ["MOD_JZ_WITH_JW"]),
    # JW and JZ on one line: MOD_COMBINATION_INVALID's; JW on no drug: MOD_INVALID's
    ([("96413", [], 1, [1]), ("J9035", ["JW", "JZ"], 5, [1])], ["MOD_COMBINATION_INVALID"]),
    ([("96413", ["JW"], 1, [1]), ("J9035", [], 40, [1])], ["MOD_INVALID"]),
])
def test_a_jw_line_told_once(lines: list[tuple[str, list[str], int, list[int]]],
                             rules: list[str]) -> None:
    assert [r for r, *_ in found(prof(["C18.9"], lines))] == rules


def test_jz_and_jw_of_one_drug_on_two_dates() -> None:
    d = prof(["C18.9"], [("J9035", ["JZ"], 80, [1]), ("J9035", [], 75, [1]),
                         ("J9035", ["JW"], 5, [1])])
    d["service_lines"][1]["date_of_service"] = "2026-05-26"
    d["service_lines"][2]["date_of_service"] = "2026-05-26"
    assert found(d) == []


# -- 3b. JW, JZ and the DMEPOS modifiers on a HCPCS Level II code of the wrong kind --------
# (MOD_INVALID; that review's prof claims of 2025-06-01: E0601 JZ, J9035 RR, G0121 KH were
# clean, every Level II code was left alone). A Level II code's kind is its J code or its
# OPPS status indicator on the date, or its letter (codekit.modifiers.level2_kind).


@pytest.mark.parametrize(("code", "mods", "dx", "at"), [
    ("E0601", ["JZ"], "G47.33", 0),         # a CPAP device (E: equipment)
    ("K0001", ["RR", "JW"], "M62.81", 1),   # a wheelchair (K)
    ("L3000", ["RT", "JZ"], "M21.41", 1),   # a foot insert (L: orthotics)
    ("A0428", ["RH", "JW"], "S72.001A", 1),  # an ambulance trip
    ("G0121", ["JZ"], "Z12.11", 0),         # a screening colonoscopy (status T)
    ("J9035", ["RR"], "C18.9", 0),          # bevacizumab (a J code) rented
    ("J1100", ["KJ"], "C18.9", 0),          # dexamethasone (J, status N)
    ("Q5101", ["NU"], "C18.9", 0),          # filgrastim-sndz (status K)
    ("G0121", ["KH"], "Z12.11", 0),         # a screening colonoscopy's first rental month
    ("J9035", ["MS"], "C18.9", 0),          # a drug's maintenance and servicing
    ("94760", ["MS"], "R09.02", 0),         # a CPT code (pulse oximetry)
])
def test_a_modifier_on_a_level2_code_of_the_wrong_kind(code: str, mods: list[str], dx: str,
                                                       at: int) -> None:
    assert found(prof([dx], [(code, mods, 1, [1])], day="2025-06-01")) == [
        ("MOD_INVALID", "error", f"$.service_lines[0].modifiers[{at}]", ())]


def test_the_message_names_the_kind_of_code() -> None:
    def message(code: str, mod: str, dx: str) -> str:
        (f,) = CHECKER.check(Claim.from_dict(prof([dx], [(code, [mod], 1, [1])],
                                                  day="2025-06-01"))).findings
        return f.message

    assert message("E0601", "JZ", "G47.33") == (
        "Line 1, modifier 'JZ': JZ is a drug amount modifier (JW: part of a single-dose "
        "container's drug discarded; JZ: none discarded): it belongs on the drug's own line "
        "(a HCPCS drug code such as J9035; the drugs CPT numbers: immune globulins "
        "90281-90399, vaccines 90476-90759 and 91300-91399, allergen extracts 95115-95199), "
        "not on E0601 (an item of equipment, an orthotic or prosthetic, or a vision or "
        "hearing code: HCPCS E, K, L and V codes, no drug).")
    dmepos = ("it belongs on a DMEPOS item's HCPCS Level II code (durable medical "
              "equipment, prosthetics, orthotics and supplies: E, K, L and A codes such as "
              "E0601), not on ")
    assert message("J9035", "RR", "C18.9") == (
        "Line 1, modifier 'RR': RR is a DMEPOS payment-category modifier (NU: new equipment "
        "bought; RR: rented; UE: used equipment bought): " + dmepos + "J9035 (a drug or "
        "biological: a HCPCS J code).")
    assert message("Q5101", "RR", "C18.9").endswith(
        "not on Q5101 (a drug or biological: OPPS status indicator K).")
    assert message("G0121", "KH", "Z12.11") == (
        "Line 1, modifier 'KH': KH is a DMEPOS capped-rental month modifier (KH: the first "
        "month or the initial purchase claim; KI: the second and third months; KJ: the "
        "fourth to fifteenth): " + dmepos + "G0121 (a procedure or service: OPPS status "
        "indicator T).")


@pytest.mark.parametrize(("code", "mods", "dx"), [
    ("J9035", ["JZ"], "C18.9"), ("J3490", ["JW"], "C18.9"), ("Q5101", ["JZ"], "C18.9"),
    ("E0601", ["RR"], "G47.33"), ("E0601", ["NU"], "G47.33"), ("E0601", ["RR", "KH"], "G47.33"),
    ("K0001", ["RR", "KJ"], "M62.81"), ("B9002", ["RR", "KI"], "K90.9"),
    ("E1390", ["MS"], "J96.11"), ("A4253", ["KX"], "E11.9"), ("L3000", ["NU", "RT"], "M21.41"),
    # not judged: supplies' status N holds drugs too (A4802, protamine), and a drug the DME
    # supplier dispenses (Q4074, iloprost, status Y) takes no JW/JZ but is no error with one
    ("A4253", ["JW"], "E11.9"), ("Q4074", ["JZ"], "I27.0"),
])
def test_a_level2_code_of_the_right_kind_or_of_no_known_kind(code: str, mods: list[str],
                                                             dx: str) -> None:
    assert "MOD_INVALID" not in [r for r, *_ in found(prof([dx], [(code, mods, 1, [1])],
                                                           day="2025-06-01"))]


def test_the_i_oce_takes_a_valid_modifier_on_any_code() -> None:
    """Under medicare-outpatient the placement part does not run (I/OCE edit 22)."""
    d = {"claim_type": "institutional", "bill_type": "131", "payer": "medicare",
         "patient": PATIENT, "date_of_service": "2025-06-01", "diagnoses": ["C18.9"],
         "service_lines": [{"procedure_code": "J9035", "modifiers": ["RR"], "units": 1,
                            "revenue_code": "0636"}]}
    assert "MOD_INVALID" not in [r for r, *_ in found(d)]
    assert [r for r, *_ in found(prof(["C18.9"], [("J9035", ["RR"], 1, [1])],
                                      day="2025-06-01"))] == ["MOD_INVALID"]


# -- 4. The DME MACs' RT and LT lines on orthoses (medicare-dme) ----------------------------


def test_knee_orthosis_without_a_side() -> None:
    d = prof(["M17.11"], [("L1832", [], 1, [1])], dme=True)
    assert found(d) == [("MOD_DME_SIDE_MISSING", "error", "$.service_lines[0].modifiers",
                         ("RT",))]
    (f,) = CHECKER.check(Claim.from_dict(d)).findings
    assert f.message == (
        "Line 1 (L1832) has neither RT nor LT: the DME MACs reject this orthosis without its "
        "side: add RT, the right side its diagnoses name (for both sides, two lines, one RT "
        "and one LT, 1 unit each: DME MAC joint publication of 2018-12-06).")
    # both knees: no side to suggest
    assert found(prof(["M17.0"], [("L1832", ["KX"], 1, [1])], dme=True)) == [
        ("MOD_DME_SIDE_MISSING", "error", "$.service_lines[0].modifiers", ())]


def test_the_dme_side_edits_are_medicare_dmes() -> None:
    d = prof(["M17.11"], [("L1832", [], 1, [1])])
    assert found(d) == []  # not a supplier's claim: medicare-professional
    assert found({**d, "dme_supplier": True, "payer": "aetna"}) == []


def test_50_on_an_orthosis() -> None:
    d = prof(["M17.0"], [("L1832", ["50"], 1, [1])], dme=True)
    assert found(d) == [("MOD_DME_50", "error", "$.service_lines[0].modifiers[0]", ())]
    # 50 with RT: the DME finding replaces MOD_LATERALITY_CONFLICT's advice to drop RT
    d = prof(["M17.11"], [("L1832", ["50", "RT"], 1, [1])], dme=True)
    assert found(d) == [("MOD_DME_50", "error", "$.service_lines[0].modifiers[0]", ())]


def test_one_side_with_two_units() -> None:
    d = prof(["M17.0"], [("L1832", ["RT"], 2, [1])], dme=True)
    assert found(d) == [("MOD_DME_SIDE_UNITS", "error", "$.service_lines[0].units", ())]
    # an addition "each joint": a KAFO has two knee joints
    assert found(prof(["M17.0"], [("L2385", ["RT"], 2, [1])], dme=True)) == []


def test_the_right_billing_of_both_knees_is_clean() -> None:
    d = prof(["M17.0"], [("L1832", ["RT"], 1, [1]), ("L1832", ["LT"], 1, [1])], dme=True)
    assert found(d) == []


def test_the_side_lists() -> None:
    assert procedure.DMEPOS_ONE_A_SIDE <= procedure.DMEPOS_SIDED
    assert {"L2300", "L2310"}.isdisjoint(procedure.DMEPOS_SIDED)  # one bar, both hips
    for code in procedure.DMEPOS_SIDED:
        assert procedure.is_valid(code, on="2019-07-01") or \
            procedure.is_valid(code, on="2026-04-01"), code

"""Modifiers of the specialty professional claims a Medicare Part B biller works:
anesthesia (physical status, payment modifiers), laboratory (90, 91), therapy (GN, GO,
GP, CQ, CO), ambulance (origin/destination, QM, QN), DMEPOS (NU, RR, UE, KH, KI, KJ, RT
and LT), drugs (JW, JZ, JG, TB) and the liability modifiers (GA, GX, GZ), Category II (8P).
Real codes and dates; no CPT descriptors."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, modifiers

DOS = "2025-11-03"


def claim(lines: list[dict[str, Any]], dx: tuple[str, ...] = ("M17.11",), *,
          on: str = DOS, institutional: bool = False, sex: str = "F") -> Claim:
    extra: dict[str, Any] = {"claim_type": "institutional", "bill_type": "131"} \
        if institutional else {"claim_type": "professional"}
    return Claim.from_dict({
        **extra, "payer": "medicare", "patient": {"sex": sex, "birth_date": "1950-01-01"},
        "date_of_service": on, "diagnoses": list(dx),
        "service_lines": [{"line": i + 1, "units": 1, "diagnosis_pointers": [1], **ln}
                          for i, ln in enumerate(lines)]})


def line(code: str, *mods: str, **more: Any) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), **more}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(profile="medicare-professional", policies=())


def found(report: Any, rule: str) -> list[tuple[str, tuple[Any, ...], tuple[str, ...]]]:
    return [(f.message, f.location, f.codes) for f in report.findings if f.rule == rule]


def rules(report: Any) -> list[str]:
    return [f.rule for f in report.findings]


class TestContradictionsOnOneLine:
    """Two modifiers one line cannot carry together: ``MOD_COMBINATION_INVALID``."""

    @pytest.mark.parametrize(("code", "mods", "dx", "pair", "why"), [
        # CPT anesthesia guidelines: one physical-status modifier (ASA class) a service
        ("01402", ("P2", "P3", "AA"), "M17.11", ("P2", "P3"),
         "P2 and P3 are both anesthesia physical-status modifiers (the patient's ASA "
         "class): a line carries one"),
        # Claims Processing Manual ch.12 §50, §140.3.3
        ("01402", ("QK", "AA", "P2"), "M17.11", ("QK", "AA"),
         "AA and QK are both anesthesia payment modifiers, each saying who furnished the "
         "anesthesia and how (Claims Processing Manual ch.12 §50, §140.3.3; the "
         "anesthesiologist and the CRNA each bill their own line): a line carries one"),
        ("01402", ("QX", "QZ"), "M17.11", ("QX", "QZ"), None),
        ("01402", ("AA", "QZ"), "M17.11", ("AA", "QZ"), None),
        # CMS JW/JZ policy
        ("J9035", ("JW", "JZ"), "C50.911", ("JW", "JZ"),
         "JW (an amount of the drug was discarded) and JZ (none was discarded) cannot both "
         "be true: the amount administered goes on one line (JZ when nothing was "
         "discarded, else no modifier) and the discarded amount on its own line with JW "
         "(CMS JW/JZ policy)"),
        # Claims Processing Manual ch.5 §20.1
        ("97110", ("GP", "GO"), "M54.50", ("GP", "GO"),
         "GO and GP are both therapy discipline modifiers, naming the plan of care the "
         "service is under (Claims Processing Manual ch.5 §20.1): a line carries one"),
        ("97530", ("GO", "CQ"), "M54.50", ("GO", "CQ"),
         "CQ (in part by a physical therapist assistant) goes with GP, not GO (Claims "
         "Processing Manual ch.5 §20.1)"),
        ("97530", ("GP", "CO"), "M54.50", ("GP", "CO"), None),
        ("92507", ("GN", "CQ"), "R47.01", ("GN", "CQ"), None),
        # DMEPOS payment category and capped-rental month
        ("E0143", ("NU", "RR"), "S72.001A", ("NU", "RR"),
         "NU and RR are both DMEPOS payment-category modifiers (new purchase, rental, used "
         "purchase): a line carries one"),
        ("E0143", ("RR", "KH", "KI"), "S72.001A", ("KH", "KI"), None),
        # a rental month on a purchase (it was clean): Claims Processing Manual ch.20 §30.5
        ("E0260", ("NU", "KI"), "G47.33", ("NU", "KI"),
         "KI (the second or third month of a rental: an item of the capped rental "
         "category, or a PEN pump) cannot share a line with NU (a new purchase): a rental "
         "month is billed with RR (Claims Processing Manual ch.20 §30.5), a purchase "
         "without a rental-month modifier other than KH"),
        ("E0260", ("KJ", "UE"), "G47.33", ("KJ", "UE"), None),
        ("A0427", ("RH", "QM", "QN"), "S72.001A", ("QM", "QN"), None),
        # CMS CR 6563: GX with GA or GZ returns the claim
        ("97110", ("GP", "GX", "GA"), "M54.50", ("GX", "GA"),
         "GX (a voluntary notice for a service Medicare never covers) cannot share a line "
         "with GA (an ABN a covered service required): Medicare returns the claim (CMS CR "
         "6563)"),
        ("97110", ("GP", "GZ", "GX"), "M54.50", ("GZ", "GX"), None),
    ])
    def test_fires_at_the_second(self, checker: Checker, code: str, mods: tuple[str, ...],
                                 dx: str, pair: tuple[str, str], why: str | None) -> None:
        report = checker.check(claim([line(code, *mods)], (dx,)))
        hits = found(report, "MOD_COMBINATION_INVALID")
        assert [(loc, codes) for _, loc, codes in hits] == [
            (("service_lines", 0, "modifiers", mods.index(pair[1])), pair)]
        if why is not None:
            assert hits[0][0] == f"Line 1 has {pair[0]} and {pair[1]}: {why}."

    @pytest.mark.parametrize(("code", "mods", "dx"), [
        ("01402", ("P2", "AA"), "M17.11"), ("01402", ("QK", "QS", "P3"), "M17.11"),
        ("01402", ("QX", "P1"), "M17.11"), ("J9035", ("JZ",), "C50.911"),
        ("J9035", ("JZ", "TB"), "C50.911"), ("97110", ("GP", "CQ"), "M54.50"),
        ("97530", ("GO", "CO"), "M54.50"), ("97110", ("GP", "KX"), "M54.50"),
        ("E0143", ("RR", "KH"), "S72.001A"), ("E0143", ("NU", "KX"), "S72.001A"),
        ("E0260", ("NU", "KH"), "G47.33"), ("E0260", ("RR", "KJ"), "G47.33"),
        ("97110", ("GP", "GX", "GY"), "M54.50"), ("A0427", ("RH", "QN"), "S72.001A"),
    ])
    def test_what_goes_together_is_clean(self, checker: Checker, code: str,
                                         mods: tuple[str, ...], dx: str) -> None:
        assert rules(checker.check(claim([line(code, *mods)], (dx,)))) == []

    def test_a_rental_month_without_rr(self, checker: Checker) -> None:
        """E0260-KI (a capped-rental month, no payment category) was clean: a rental month
        is billed with RR (Claims Processing Manual ch.20 §30.5)."""
        report = checker.check(claim([line("E0260", "KI")], ("G47.33",)))
        assert [(f.rule, f.location, f.codes, f.fix, f.message) for f in report.findings] == [(
            "MOD_COMBINATION_INVALID", ("service_lines", 0, "modifiers", 0), ("KI",),
            ("RR",), "Line 1 has KI (the second or third month of a rental) without RR: a "
            "rental month is billed with RR and its month modifier (Claims Processing Manual "
            "ch.20 §30.5); add RR to E0260, or, if the item was bought, remove KI.")]
        hits = found(checker.check(claim([line("E0143", "KX", "KJ")], ("S72.001A",))),
                     "MOD_COMBINATION_INVALID")
        assert [(loc, codes) for _, loc, codes in hits] == [
            (("service_lines", 0, "modifiers", 1), ("KJ",))]
        # with RR clean; with NU the pair is the finding; KH (a first month, or the
        # initial claim of a purchase) may go alone; on a CPT code KI is MOD_INVALID's
        assert rules(checker.check(claim([line("E0260", "KI", "RR")], ("G47.33",)))) == []
        assert [codes for _, _, codes in found(checker.check(claim(
            [line("E0260", "KI", "NU")], ("G47.33",))), "MOD_COMBINATION_INVALID")] == [
            ("KI", "NU")]
        assert rules(checker.check(claim([line("E0143", "KH")], ("S72.001A",)))) == []
        assert rules(checker.check(claim([line("85025", "KI")], ("D64.9",)))) == [
            "MOD_INVALID"]
        # a drug or a lens is never rented: RR is not the answer there
        assert found(checker.check(claim([line("J1100", "KJ")], ("M54.50",))),
                     "MOD_COMBINATION_INVALID") == []
        assert found(checker.check(claim([line("V2313", "KI")], ("H52.03",))),
                     "MOD_COMBINATION_INVALID") == []
        # a wheelchair (K), a nutrition pump (B9): rentals
        for code, dx in (("K0001", "M62.81"), ("B9002", "K90.9")):
            hits = found(checker.check(claim([line(code, "KJ")], (dx,))),
                         "MOD_COMBINATION_INVALID")
            assert [(loc, codes) for _, loc, codes in hits] == [
                (("service_lines", 0, "modifiers", 0), ("KJ",))], code

    def test_two_ambulance_trips_on_one_line(self, checker: Checker) -> None:
        """Claims Processing Manual ch.15 §30: one origin/destination modifier a line."""
        report = checker.check(claim([line("A0427", "RH", "HR")], ("S72.001A",)))
        assert found(report, "MOD_COMBINATION_INVALID") == [(
            "Line 1 has RH and HR: an ambulance line carries one origin/destination "
            "modifier (origin first, one trip): bill each trip on its own lines (Claims "
            "Processing Manual ch.15 §30).", ("service_lines", 0, "modifiers", 1),
            ("RH", "HR"))]
        assert rules(checker.check(claim([line("A0427", "RH"), line("A0425", "RH")],
                                         ("S72.001A",)))) == []

    def test_every_contradiction_keeps_one_of_its_pair(self) -> None:
        for pair, why, keep in modifiers.CONTRADICTIONS:
            assert len(pair) == 2 and set(keep) <= pair and why


class TestModifierOnTheWrongKindOfCode:
    """``MOD_INVALID``: a modifier that belongs on one kind of code only
    (``codekit.modifiers.PLACEMENT``), on a valid code of another kind."""

    def test_physical_status_on_a_surgery_code(self, checker: Checker) -> None:
        report = checker.check(claim([line("27447", "P1", "RT")]))
        assert found(report, "MOD_INVALID") == [(
            "Line 1, modifier 'P1': P1 is an anesthesia physical-status modifier: it "
            "belongs on an anesthesia code (00100-01999), not on 27447.",
            ("service_lines", 0, "modifiers", 0), ("P1",))]
        assert rules(checker.check(claim([line("01402", "P1", "AA")]))) == []

    def test_anesthesia_by_the_surgeon_on_an_anesthesia_code(self) -> None:
        """47 (anesthesia by the surgeon) goes on the surgeon's surgical code, never on an
        anesthesia code (CPT modifier 47; Noridian JE Part B, modifier 47): every payer."""
        for payer, also in (("medicare", ["MOD_ANESTHESIA_PAYMENT_MISSING"]),
                            ("aetna", ["MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING"])):
            report = Checker(policies=()).check(Claim.from_dict({
                **claim([line("01402", "47")]).to_dict(), "payer": payer}))
            assert found(report, "MOD_INVALID") == [(
                "Line 1, modifier '47': 47 is the modifier of anesthesia given by the "
                "operating surgeon, reported on the surgery itself: it belongs on the "
                "surgeon's surgical code (CPT 10004-69990), not on 01402.",
                ("service_lines", 0, "modifiers", 0), ("47",))]
            assert sorted(rules(report)) == sorted(["MOD_INVALID", *also])
        # on the surgery it is where it belongs (27447: total knee; 64445: a nerve block)
        checker = Checker(profile="medicare-professional", policies=())
        assert rules(checker.check(claim([line("27447", "47", "RT")]))) == []
        assert rules(checker.check(claim([line("64445", "47", "RT")]))) == []

    @pytest.mark.parametrize(("code", "mod", "dx"), [
        ("99213", "91", "E11.9"), ("99213", "90", "E11.9"), ("J9035", "P3", "C50.911"),
        ("99213", "8P", "I10"), ("99213", "1P", "I10"), ("99214", "3P", "E11.9"),
        ("99213", "47", "I10"), ("99213", "QW", "J02.9"), ("20610", "QW", "M17.11"),
        ("36415", "NU", "E11.9"), ("80053", "RR", "E11.9"), ("94760", "UE", "J44.9"),
        ("82947", "KH", "E11.9"), ("85025", "KI", "D64.9"), ("97110", "KJ", "M54.50"),
    ])
    def test_fires(self, checker: Checker, code: str, mod: str, dx: str) -> None:
        report = checker.check(claim([line(code, mod)], (dx,)))
        hits = found(report, "MOD_INVALID")
        assert [(loc, codes) for _, loc, codes in hits] == [
            (("service_lines", 0, "modifiers", 0), (mod,))]
        assert hits[0][0].endswith(f"not on {code}.")

    @pytest.mark.parametrize(("code", "mod", "dx"), [
        ("80053", "91", "E11.9"), ("0001U", "90", "E11.9"), ("G0103", "91", "Z12.5"),
        ("3074F", "8P", "I10"), ("G8431", "8P", "I10"), ("01402", "P6 AA", "M17.11"),
        ("3046F", "1P", "E11.9"), ("3008F", "2P", "E66.9"), ("4086F", "3P", "I25.10"),
        ("87880", "QW", "J02.9"), ("87804", "QW", "J11.1"), ("87811", "QW", "Z20.822"),
        ("E0601", "RR KX", "G47.33"), ("K0001", "RR KH", "M62.81"),
        ("L3000", "NU RT", "M21.41"),
    ])
    def test_clean(self, checker: Checker, code: str, mod: str, dx: str) -> None:
        # the screening PSA is for men (PROC_SEX_CONFLICT on a woman); an anesthesia line
        # on Medicare carries its payment modifier (AA: MOD_ANESTHESIA_PAYMENT_MISSING)
        sex = "M" if code == "G0103" else "F"
        assert rules(checker.check(claim([line(code, *mod.split())], (dx,), sex=sex))) == []

    def test_qw_is_a_clia_waived_test(self, checker: Checker) -> None:
        """QW marks a test of the CMS list of CLIA-waived tests (Claims Processing Manual
        ch.16, the CLIA edits): a laboratory code, never a visit."""
        report = checker.check(claim([line("99213", "QW"), line("87880", "QW")],
                                     ("J02.9",), on="2024-08-15"))
        assert found(report, "MOD_INVALID") == [(
            "Line 1, modifier 'QW': QW is a laboratory modifier: it belongs on a laboratory "
            "code (CPT 80047-89398, PLA and MAAA codes, or a HCPCS laboratory code), not on "
            "99213.", ("service_lines", 0, "modifiers", 0), ("QW",))]

    def test_a_dmepos_modifier_on_a_cpt_code(self, checker: Checker) -> None:
        """NU, RR, UE and KH, KI, KJ describe a DMEPOS item (HCPCS Level II modifiers;
        Claims Processing Manual ch.20): no CPT code is one."""
        report = checker.check(claim([line("80053", "NU"), line("E0601", "RR", "KH")],
                                     ("G47.33",), on="2024-08-15"))
        assert found(report, "MOD_INVALID") == [(
            "Line 1, modifier 'NU': NU is a DMEPOS payment-category modifier (NU: new "
            "equipment bought; RR: rented; UE: used equipment bought): it belongs on a "
            "DMEPOS item's HCPCS Level II code (durable medical equipment, prosthetics, "
            "orthotics and supplies: E, K, L and A codes such as E0601), not on 80053.",
            ("service_lines", 0, "modifiers", 0), ("NU",))]

    def test_a_repeated_laboratory_test_takes_91(self, checker: Checker) -> None:
        """76 and 77 repeat a procedure; a laboratory test repeated for a subsequent result
        is 91 (CPT modifier 91; the Medicare MACs' modifier 76 pages, Novitas and First
        Coast, list repeat laboratory services as an incorrect use of 76)."""
        report = checker.check(claim([line("85025"), line("85025", "76")], ("D64.9",),
                                     on="2024-08-15"))
        assert found(report, "MOD_INVALID") == [(
            "Line 2, modifier '76': 76 is the repeat of a procedure by the same physician, "
            "not of a laboratory test: a laboratory test repeated on the date for a "
            "subsequent result takes 91 (CPT modifier 91; the Medicare MACs' modifier 76 "
            "pages, Novitas and First Coast, list repeat laboratory services as an "
            "incorrect use of 76): use 91 on 85025 in its place.",
            ("service_lines", 1, "modifiers", 0), ("76",))]
        assert [f.fix for f in report.findings] == [("91",)]
        report = checker.check(claim([line("84132"), line("84132", "77", "91")], ("E87.6",),
                                     on="2024-08-15"))
        assert [(f.rule, f.location, f.fix) for f in report.findings] == [
            ("MOD_INVALID", ("service_lines", 1, "modifiers", 0), ())]
        assert report.findings[0].message.endswith(": remove it (the line has 91).")

    @pytest.mark.parametrize(("code", "mods", "dx"), [
        ("85025", ("91",), "D64.9"), ("71046", ("76",), "J18.9"),
        ("93010", ("76",), "I48.91"), ("88305", ("76",), "K63.5"),
    ])
    def test_a_repeat_of_another_service_keeps_76(self, checker: Checker, code: str,
                                                  mods: tuple[str, ...], dx: str) -> None:
        """76 on radiology, an ECG, a surgical pathology: CPT's repeat of a procedure (91
        is for clinical laboratory tests, not the anatomic pathology of 88000-89398)."""
        report = checker.check(claim([line(code), line(code, *mods)], (dx,),
                                     on="2024-08-15"))
        assert found(report, "MOD_INVALID") == []

    def test_an_invalid_code_is_not_compared(self, checker: Checker) -> None:
        """Precedence rule 3: the line's invalid code is the finding."""
        assert rules(checker.check(claim([line("99999", "P1")], ("I10",)))) == \
            ["PROC_CODE_UNKNOWN"]

    def test_outpatient_follows_the_ioce(self) -> None:
        """The I/OCE's edit 22 takes a valid modifier on any code."""
        report = Checker(policies=()).check(claim(
            [line("27447", "P1", revenue_code="0360")], institutional=True))
        assert found(report, "MOD_INVALID") == []


def test_an_ended_modifier_keeps_its_reason_off_an_ambulance_line(checker: Checker) -> None:
    """JG (340B) ended 2024-12-31; its letters also spell an ambulance trip (free-standing
    to hospital-based ESRD facility), which is not what a drug line meant."""
    report = checker.check(claim([line("J9035", "JG")], ("C50.911",), on="2025-01-01"))
    assert found(report, "MOD_INVALID") == [(
        "Line 1, modifier 'JG': not valid on 2025-01-01: it was discontinued after "
        "2024-12-31: report TB in its place. Valid: 2019-07-01 to 2024-12-31",
        ("service_lines", 0, "modifiers", 0),
        ("JG",))]
    assert rules(checker.check(claim([line("A0427", "JG")], ("N18.6",),
                                     on="2025-01-01"))) == []


# -- the 340B modifiers JG and TB go on the drug's line ----------------------------------
# (an oncology biller's probe of 2026-12-07: 96413-TB beside J9035 was clean; JG and TB say
# that a drug or biological was acquired with the 340B discount, and are reported on the
# drug's claim line: CY 2018 OPPS/ASC final rule, CMS's 340B modifier guidance)

_340B = ("TB is a 340B modifier (a drug or biological acquired with the 340B drug pricing "
         "program's discount: JG until 2024-12-31, TB): it belongs on the drug's own line (a "
         "HCPCS drug code such as J9035; the drugs CPT numbers: immune globulins "
         "90281-90399, vaccines 90476-90759 and 91300-91399, allergen extracts "
         "95115-95199), not on ")


@pytest.mark.parametrize(("code", "dx", "where"), [
    ("96413", "C18.9", "96413"),                # the drug's administration
    ("99213", "I10", "99213"),                  # a visit
    ("G0121", "Z12.11", "G0121 (a procedure or service: OPPS status indicator T)"),
])
def test_tb_on_a_code_that_is_no_drug(checker: Checker, code: str, dx: str,
                                      where: str) -> None:
    report = checker.check(claim([line(code, "TB"), line("J9035", units=40)], (dx,)))
    assert found(report, "MOD_INVALID") == [(
        f"Line 1, modifier 'TB': {_340B}{where}.", ("service_lines", 0, "modifiers", 0),
        ("TB",))]


def test_jg_on_a_code_that_is_no_drug_while_jg_was_valid(checker: Checker) -> None:
    report = checker.check(claim([line("96413", "JG"), line("J9035", units=40)], ("C18.9",),
                                 on="2024-09-12"))
    assert found(report, "MOD_INVALID") == [(
        "Line 1, modifier 'JG': " + _340B.replace("TB is", "JG is") + "96413.",
        ("service_lines", 0, "modifiers", 0), ("JG",))]
    # after 2024-12-31 JG is told once, ended (not also misplaced)
    report = checker.check(claim([line("96413", "JG"), line("J9035", units=40)], ("C18.9",),
                                 on="2025-01-01"))
    assert [(m.split(": ")[1], loc) for m, loc, _ in found(report, "MOD_INVALID")] == [
        ("not valid on 2025-01-01", ("service_lines", 0, "modifiers", 0))]


@pytest.mark.parametrize(("lines", "dx", "on"), [
    ([line("96413"), line("J9035", "TB", units=40)], "C18.9", DOS),   # the drug's line
    ([line("96413"), line("J9035", "JG", units=40)], "C18.9", "2024-09-12"),
    ([line("90686", "TB"), line("G0008")], "Z23", DOS),  # a vaccine CPT numbers: not judged
    ([line("A0427", "JG")], "N18.6", "2024-09-12"),       # an ambulance trip's JG
])
def test_340b_modifiers_where_they_belong(checker: Checker, lines: list[dict[str, Any]],
                                          dx: str, on: str) -> None:
    assert found(checker.check(claim(lines, (dx,), on=on)), "MOD_INVALID") == []


def test_the_ioce_takes_tb_on_any_code() -> None:
    """Under medicare-outpatient the placement part does not run (I/OCE edit 22)."""
    report = Checker(policies=()).check(claim(
        [line("96413", "TB", revenue_code="0335"),
         line("J9035", units=40, revenue_code="0636")], ("C18.9",), institutional=True))
    assert found(report, "MOD_INVALID") == []


def test_dmepos_sides_go_on_two_lines(checker: Checker) -> None:
    """DME MAC joint publication of 2018-12-06 (from 2019-03-01): RT and LT on two lines
    of 1 unit each; 50 is not a DMEPOS modifier."""
    report = checker.check(claim([line("L1832", "LT", "RT")], ("M17.0",)))
    assert found(report, "MOD_LATERALITY_CONFLICT") == [(
        "Line 1 (L1832) has RT and LT: a DMEPOS item for each side is billed on two lines, "
        "one RT and one LT, 1 unit each (DME MAC joint publication of 2018-12-06: RT and "
        "LT on one line are rejected).", ("service_lines", 0, "modifiers", 0),
        ("L1832", "RT", "LT"))]
    assert "50 (1 unit)" in found(checker.check(claim([line("20610", "LT", "RT")],
                                                      ("M17.0",))),
                                  "MOD_LATERALITY_CONFLICT")[0][0]

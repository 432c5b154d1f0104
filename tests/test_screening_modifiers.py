"""Medicare's modifiers of a screening turned diagnostic (PT, GG) and modifier 53 on a
hospital outpatient claim (an outpatient coder's review, 2026-12-06): ``MOD_PT_MISSING``,
``MOD_PT_NOT_APPLICABLE`` (I/OCE edit 120 on 837I), ``MOD_GG_MISSING``,
``MOD_53_FACILITY``. Real codes and dates; each I/OCE decision was also run through pyoce
0.1.0 (``tests/test_ioce_crosscheck.py``, ``KNOWN``)."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, procedure

DOS = "2024-03-01"
CHECKER = Checker(policies=())


def claim(dx: list[str], lines: list[tuple[Any, ...]], *, kind: str = "prof",
          payer: str = "medicare", opps: bool | None = None,
          conditions: tuple[str, ...] = ()) -> Claim:
    """Lines ``(code, modifiers, pointers or revenue code[, date])``: pointers on an 837P
    (``kind`` "prof"), the revenue code on an 837I (``kind`` its type of bill)."""
    out: dict[str, Any] = {"claim_type": "professional" if kind == "prof" else "institutional",
                           "payer": payer, "patient": {"sex": "F", "age": 70},
                           "date_of_service": DOS, "diagnoses": dx, "service_lines": []}
    if kind != "prof":
        out["bill_type"] = kind
        if opps is not None:
            out["opps"] = opps
        if conditions:
            out["condition_codes"] = list(conditions)
    for code, mods, where, *on in lines:
        ln: dict[str, Any] = {"procedure_code": code, "modifiers": list(mods), "units": 1}
        if kind == "prof":
            ln["diagnosis_pointers"] = list(where)
        else:
            ln["revenue_code"] = where
        if on:
            ln["date_of_service"] = on[0]
        out["service_lines"].append(ln)
    return Claim.from_dict(out)


def found(c: Claim, rule: str, checker: Checker = CHECKER) -> list[tuple[Any, ...]]:
    return [(f.severity.value, f.location, f.codes, f.fix)
            for f in checker.check(c).findings if f.rule == rule]


def test_the_code_lists() -> None:
    assert {"45330", "45338", "45350", "45378", "45385", "45398"} <= \
        procedure.COLORECTAL_ENDOSCOPY
    assert not {"45300", "45399", "44388", "G0121"} & procedure.COLORECTAL_ENDOSCOPY
    on = "2024-03-01"
    screening = procedure.Resolved.SCREENING
    assert procedure.resolve("45385", on=on).bits & screening
    assert procedure.resolve("77066", on=on).bits & screening
    assert not procedure.resolve("G0121", on=on).bits & screening
    assert not procedure.resolve("99213", on=on).bits & screening
    # the I/OCE's colorectal flag (edit 120): the endoscopies, not the screening G codes
    assert "colorectal" in procedure.ioce_companion_flags("45385", on=on)
    assert "colorectal" in procedure.ioce_companion_flags("44388", on=on)
    assert "colorectal" not in procedure.ioce_companion_flags("G0121", on=on)
    assert "colorectal" not in procedure.ioce_companion_flags("00811", on=on)


# -- MOD_PT_MISSING -------------------------------------------------------------------------


def test_screening_turned_therapeutic_without_pt() -> None:
    c = claim(["Z12.11", "D12.5"], [("45385", (), [1, 2])])
    report = CHECKER.check(c)
    [f] = [f for f in report.findings if f.rule == "MOD_PT_MISSING"]
    assert (f.severity.value, f.location, f.codes, f.fix) == (
        "warning", ("service_lines", 0, "modifiers"), ("45385", "Z12.11", "D12.5"), ("PT",))
    assert f.message == (
        "Line 1 (45385) reports a colorectal cancer screening (Z12.11, the line's first "
        "diagnosis) that found D12.5: Medicare takes a screening that became diagnostic or "
        "therapeutic as 45385 with modifier PT (the deductible does not apply): add PT; if "
        "no diagnostic or therapeutic service was done, report G0121 or G0105 instead.")
    assert [f.rule for f in report.findings] == ["MOD_PT_MISSING"]


@pytest.mark.parametrize(("dx", "lines"), [
    (["Z12.11", "D12.5"], [("45385", ("PT",), [1, 2])]),   # PT there
    (["K63.5", "Z12.11"], [("45385", (), [1, 2])]),        # a diagnostic colonoscopy
    (["Z12.11"], [("45385", (), [1])]),                     # no finding (another mistake)
    (["Z12.11", "Z80.0"], [("45378", (), [1, 2])]),         # a risk factor, no finding
    (["Z86.010", "D12.5"], [("45385", (), [1, 2])]),        # surveillance listed first
    (["Z12.11", "D12.5"], [("45385", (), [1])]),            # the finding not pointed
    (["Z12.11", "D12.5"], [("45378", ("53",), [1, 2])]),    # interrupted
    (["Z12.11", "D12.5"], [("G0121", (), [1, 2])]),         # the screening code
    (["Z12.31", "D12.5"], [("45385", (), [1, 2])]),         # another screening
])
def test_pt_missing_clean(dx: list[str], lines: list[tuple[Any, ...]]) -> None:
    assert found(claim(dx, lines), "MOD_PT_MISSING") == []


def test_pt_missing_sigmoidoscopy_names_g0104_and_rectum() -> None:
    c = claim(["Z12.12", "K62.1"], [("45338", (), [1, 2])])
    [f] = [f for f in CHECKER.check(c).findings if f.rule == "MOD_PT_MISSING"]
    assert f.codes == ("45338", "Z12.12", "K62.1") and "report G0104 instead" in f.message


def test_pt_missing_on_the_outpatient_claim_and_other_payers() -> None:
    c = claim(["Z12.11", "K63.5"], [("45380", (), "0360")], kind="131")
    assert found(c, "MOD_PT_MISSING") == [
        ("warning", ("service_lines", 0, "modifiers"), ("45380", "Z12.11", "K63.5"), ("PT",))]
    assert "first-listed" in CHECKER.check(c).findings[0].message
    assert found(claim(["Z12.11", "K63.5"], [("45380", ("74",), "0360")], kind="131"),
                 "MOD_PT_MISSING") == []
    assert found(claim(["K63.5", "Z12.11"], [("45380", (), "0360")], kind="131"),
                 "MOD_PT_MISSING") == []
    # commercial payers take modifier 33 on a preventive service: not this edit
    assert found(claim(["Z12.11", "D12.5"], [("45385", (), [1, 2])], payer="aetna"),
                 "MOD_PT_MISSING") == []
    assert found(claim(["Z12.11", "D12.5"], [("45385", (), [1, 2])]), "MOD_PT_MISSING",
                 Checker(profile="commercial", policies=())) == []


# -- MOD_PT_NOT_APPLICABLE --------------------------------------------------------------------


def test_pt_on_a_day_without_a_colorectal_code_is_ioce_edit_120() -> None:
    c = claim(["Z12.11"], [("G0121", ("PT",), "0360")], kind="131")
    report = CHECKER.check(c)
    [f] = [f for f in report.findings if f.rule == "MOD_PT_NOT_APPLICABLE"]
    assert (f.severity.value, f.location, f.codes, f.fix) == (
        "error", ("service_lines", 0, "modifiers", 0), ("G0121", "PT"), ())
    assert f.message == (
        "Line 1 (G0121) has modifier PT, a colorectal cancer screening that became "
        "diagnostic or therapeutic, and no line of 2024-03-01 reports a colorectal procedure "
        "the I/OCE takes PT with (I/OCE edit 120, the claim is returned): put PT on the "
        "colonoscopy or sigmoidoscopy code the screening became (e.g. 45380, 45385), or "
        "remove it.")


@pytest.mark.parametrize(("dx", "lines", "kw", "fires"), [
    (["Z12.11", "D12.5"], [("45385", ("PT",), "0360")], {}, []),
    (["Z12.11", "Z80.0"], [("G0105", ("PT",), "0360")], {}, [0]),
    # anesthesia and pathology with PT pass on the day of a colorectal code
    (["Z12.11", "D12.5"], [("45385", ("PT",), "0360"), ("88305", ("PT",), "0310")], {}, []),
    (["Z12.11", "D12.5"], [("45385", (), "0360"), ("00811", ("PT",), "0370")], {}, []),
    (["Z12.11", "D12.5"], [("99283", (), "0450"), ("88305", ("PT",), "0310"),
                           ("45385", (), "0360", "2024-03-02")], {}, [1]),
    (["I10"], [("99283", ("PT",), "0450")], {"opps": False}, [0]),
    (["I10"], [("99283", ("PT",), "0450")], {"kind": "121"}, [0]),
    (["I10"], [("99283", ("PT",), "0450")], {"kind": "851", "opps": False}, [0]),
    # the I/OCE paths without edit 120
    (["I10"], [("99283", ("PT",), "0450")], {"kind": "141"}, []),
    (["I10"], [("99283", ("PT",), "0450")], {"kind": "831", "opps": False}, []),
    (["I10"], [("99283", ("PT",), "0450")], {"kind": "221"}, []),
    (["I10"], [("99283", ("PT",), "0450")], {"conditions": ("89",)}, []),
    (["I10"], [("99283", ("PT",), "0450")], {"kind": "851", "conditions": ("89",),
                                               "opps": False}, []),
])
def test_edit_120_days_and_paths(dx: list[str], lines: list[tuple[Any, ...]],
                                 kw: dict[str, Any], fires: list[int]) -> None:
    kw = {"kind": "131", **kw}
    got = found(claim(dx, lines, **kw), "MOD_PT_NOT_APPLICABLE")
    assert [loc[1] for _, loc, _, _ in got] == fires
    assert {sev for sev, *_ in got} <= {"error"}


def test_pt_on_the_screening_code_of_a_professional_claim() -> None:
    c = claim(["Z12.11"], [("G0121", ("PT",), [1])])
    [f] = [f for f in CHECKER.check(c).findings if f.rule == "MOD_PT_NOT_APPLICABLE"]
    assert (f.severity.value, f.location, f.codes, f.fix) == (
        "warning", ("service_lines", 0, "modifiers", 0), ("G0121", "PT"), ())
    assert f.message.startswith("Line 1: G0121 is the screening colonoscopy itself, and "
                                "modifier PT says")
    assert found(claim(["Z12.11", "D12.5"], [("45385", ("PT",), [1, 2])]),
                 "MOD_PT_NOT_APPLICABLE") == []
    assert [c for _, _, c, _ in found(claim(["Z12.11"], [("G0104", ("PT",), [1])]),
                                      "MOD_PT_NOT_APPLICABLE")] == [("G0104", "PT")]
    # on an 837P PT on an anesthesia or surgical code is the MAC's call: not judged
    assert found(claim(["Z12.11", "D12.5"], [("00811", ("PT",), [1, 2])]),
                 "MOD_PT_NOT_APPLICABLE") == []
    assert found(claim(["Z12.11"], [("G0121", ("PT",), [1])], payer="aetna"),
                 "MOD_PT_NOT_APPLICABLE") == []


def test_anesthesia_of_a_screening_colonoscopy_that_became_diagnostic() -> None:
    """Medicare since 2018: the anesthesia of a screening colonoscopy is 00812, of one that
    became diagnostic or therapeutic 00811 with PT (CMS MLN MM10181). An anesthesia red
    team: 00811 without PT, and 00812 with PT, passed."""
    c = claim(["Z12.11", "K63.5"], [("00811", ("QZ", "P2"), [1, 2])])
    [f] = [f for f in CHECKER.check(c).findings if f.rule == "MOD_PT_MISSING"]
    assert (f.severity.value, f.location, f.codes, f.fix) == (
        "warning", ("service_lines", 0, "modifiers"), ("00811", "Z12.11", "K63.5"), ("PT",))
    assert f.message == (
        "Line 1 (00811) is the anesthesia of a colorectal cancer screening (Z12.11, the "
        "line's first diagnosis) that found K63.5: Medicare takes the anesthesia of a "
        "screening colonoscopy that became diagnostic or therapeutic as 00811 with modifier "
        "PT (the deductible does not apply; CMS MLN MM10181): add PT; if the colonoscopy "
        "stayed a screening, report 00812 instead.")
    for dx, lines, kw in (
            (["Z12.11", "K63.5"], [("00811", ("QZ", "PT"), [1, 2])], {}),
            (["Z12.11", "K63.5"], [("00812", ("QZ",), [1, 2])], {}),
            (["K63.5", "Z12.11"], [("00811", ("QZ",), [1, 2])], {}),  # diagnostic from start
            (["Z12.11", "K63.5"], [("00811", ("QZ",), [1, 2])], {"payer": "aetna"})):
        assert found(claim(dx, lines, **kw), "MOD_PT_MISSING") == [], (dx, lines, kw)
    [(sev, loc, codes, fix)] = found(claim(["Z12.11", "K63.5"], [("00812", ("QZ", "PT"),
                                                                    [1, 2])]),
                                     "MOD_PT_NOT_APPLICABLE")
    assert (sev, loc, codes, fix) == (
        "warning", ("service_lines", 0, "modifiers", 1), ("00812", "PT"), ())
    assert procedure.resolve("00811", on=DOS).bits & procedure.Resolved.SCREENING


# -- MOD_GG_MISSING ---------------------------------------------------------------------------


def test_diagnostic_mammography_on_the_day_of_a_screening_one() -> None:
    c = claim(["Z12.31", "R92.8"], [("77067", (), [1]), ("77065", ("RT",), [2])])
    report = CHECKER.check(c)
    [f] = [f for f in report.findings if f.rule == "MOD_GG_MISSING"]
    assert (f.severity.value, f.location, f.codes, f.fix) == (
        "warning", ("service_lines", 1, "modifiers"), ("77065", "77067"), ("GG",))
    assert f.message == (
        "Line 2 (77065) is a diagnostic mammography on 2024-03-01, the day of the screening "
        "mammography on line 1 (77067): Medicare pays both when the diagnostic one carries "
        "modifier GG: add GG.")
    assert [f.rule for f in report.findings] == ["MOD_GG_MISSING"]


def test_gg_missing_clean_and_institutional() -> None:
    assert found(claim(["Z12.31", "R92.8"], [("77067", (), [1]), ("77065", ("RT", "GG"), [2])]),
                 "MOD_GG_MISSING") == []
    assert found(claim(["Z12.31", "R92.8"], [("77067", (), [1]),
                                             ("77065", ("RT",), [2], "2024-03-04")]),
                 "MOD_GG_MISSING") == []
    assert found(claim(["R92.8"], [("77066", (), [1])]), "MOD_GG_MISSING") == []
    assert found(claim(["Z12.31", "R92.8"], [("77067", (), [1]), ("77065", ("RT",), [2])],
                       payer="aetna"), "MOD_GG_MISSING") == []
    c = claim(["Z12.31", "R92.8"], [("77067", (), "0403"), ("77066", (), "0401")], kind="131")
    report = CHECKER.check(c)
    assert [(f.rule, f.location[:2]) for f in report.findings] == [
        ("MOD_GG_MISSING", ("service_lines", 1)), ("NCCI_PTP_CONFLICT", ("service_lines", 0))]


# -- MOD_53_FACILITY --------------------------------------------------------------------------


def test_modifier_53_on_a_hospital_outpatient_claim() -> None:
    c = claim(["Z12.11", "K63.5"], [("45378", ("53",), "0360")], kind="131")
    report = CHECKER.check(c)
    assert [(f.rule, f.severity.value, f.location, f.codes, f.fix) for f in report.findings] \
        == [("MOD_53_FACILITY", "warning", ("service_lines", 0, "modifiers", 0),
             ("45378", "53"), ("74", "73", "52"))]
    assert report.findings[0].message == (
        "Line 1 (45378): modifier 53 is the physician's for a discontinued procedure; a "
        "hospital outpatient claim does not use it: report 74 (discontinued after anesthesia "
        "was given or the procedure started), 73 (before anesthesia, the patient prepared and "
        "in the room) or 52 (a service that needs no anesthesia).")
    assert found(claim(["R92.8"], [("77065", ("53",), "0401")], kind="131"),
                 "MOD_53_FACILITY") == [
        ("warning", ("service_lines", 0, "modifiers", 0), ("77065", "53"), ("52",))]


@pytest.mark.parametrize(("kind", "rev", "kw"), [
    ("851", "0360", {"opps": False}),    # critical access hospital: off
    ("131", "0960", {}),                  # the physician's part under a professional fee
    ("prof", [1, 2], {}),                 # the physician's modifier
    ("131", "0360", {"payer": "aetna"}),  # not run under commercial
])
def test_modifier_53_clean(kind: str, rev: Any, kw: dict[str, Any]) -> None:
    c = claim(["Z12.11", "K63.5"], [("45378", ("53",), rev)], kind=kind, **kw)
    assert found(c, "MOD_53_FACILITY") == []
    assert found(claim(["Z12.11", "K63.5"], [("45378", ("74",), "0360")], kind="131"),
                 "MOD_53_FACILITY") == []

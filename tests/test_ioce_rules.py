"""The outpatient editor's own rules (issue 10, item 8), with real codes and dates.

Each case was also run through the CMS I/OCE port (pyoce 0.1.0, type of bill 131); the
I/OCE edit it reproduces is named. ``tests/test_ioce_crosscheck.py`` runs the same claims
through pyoce when it is available (``KNOWN``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

from codekit import Checker, Claim, InvalidFormat, Report, icd10cm, ncci, procedure, x12
from codekit.modifiers import origin_destination

CHECKER = Checker(policies=())


def claim(day: str, dx: list[str], lines: list[tuple[Any, ...]], *, opps: bool | None = None,
          kind: str = "131", sex: str = "F", age: int = 70) -> dict[str, Any]:
    """A Medicare claim: ``kind`` "131" (outpatient, routed to medicare-outpatient) or
    "prof"; lines ``(code, modifiers, revenue code[, date])``."""
    out: dict[str, Any] = {
        "claim_type": "professional" if kind == "prof" else "institutional",
        "payer": "medicare", "patient": {"sex": sex, "age": age}, "date_of_service": day,
        "diagnoses": dx, "service_lines": []}
    if kind != "prof":
        out["bill_type"] = kind
        if opps is not None:
            out["opps"] = opps
    for code, mods, rev, *on in lines:
        line: dict[str, Any] = {"procedure_code": code, "modifiers": list(mods), "units": 1}
        if kind == "prof":
            line["diagnosis_pointers"] = [1]
        else:
            line["revenue_code"] = rev
        if on:
            line["date_of_service"] = on[0]
        out["service_lines"].append(line)
    return out


def check(d: dict[str, Any]) -> Report:
    return CHECKER.check(Claim.from_dict(d))


def found(report: Report, *rules: str) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(rule, severity, location) of the findings of ``rules``."""
    return [(f.rule, f.severity.value, f.location) for f in report.findings
            if f.rule in rules]


# -- edit 113: the I/OCE's unacceptable principal diagnoses ---------------------------------------

PDX = "DX_SECONDARY_ONLY_FIRST_LISTED"


def test_ioce_list_is_a_facts_field_with_dates() -> None:
    f = icd10cm.facts("T36.0X5A", on="2024-08-01")
    assert f is not None and f.ioce_unacceptable_principal
    assert not icd10cm.facts("T36.0X5A", on="2019-09-30").ioce_unacceptable_principal  # type: ignore[union-attr]
    assert icd10cm.facts("R40.2112", on="2024-08-01").ioce_unacceptable_principal  # type: ignore[union-attr]
    # On the MCE's inpatient list, not on the I/OCE's: ordinary outpatient encounters.
    for code in ("Z00.00", "Z23", "Z09"):
        f = icd10cm.facts(code, on="2024-08-01")
        assert f is not None and f.unacceptable_principal and not f.ioce_unacceptable_principal
    assert not icd10cm.facts("I10", on="2024-08-01").ioce_unacceptable_principal  # type: ignore[union-attr]


def test_ioce_list_changes_split_date_views() -> None:
    """Two dates answer alike only if the I/OCE list is the same on both."""
    assert icd10cm.date_view(dt.date(2019, 9, 30)) is not icd10cm.date_view(dt.date(2019, 10, 1))


def test_adverse_effect_principal_is_returned_on_outpatient_claims() -> None:
    r = check(claim("2024-08-01", ["T36.0X5A", "L27.0"], [("99283", (), "0450")]))
    assert r.profile == "medicare-outpatient"
    assert found(r, PDX) == [(PDX, "error", ("diagnoses", 0))]
    msg = next(f.message for f in r.findings if f.rule == PDX)
    assert "I/OCE edit 113" in msg and "I.C.19.e.5" in msg
    # The nature of the adverse effect first, as the guideline says: clean.
    assert found(check(claim("2024-08-01", ["L27.0", "T36.0X5A"], [("99283", (), "0450")])),
                 PDX) == []


def test_edit_113_starts_2019_10_01() -> None:
    lines = [("99283", (), "0450")]
    assert found(check(claim("2019-09-30", ["T36.0X5A", "L27.0"], lines)), PDX) == []
    assert found(check(claim("2019-10-01", ["T36.0X5A", "L27.0"], lines)), PDX) != []


def test_edit_113_after_the_last_ioce_quarter_says_so() -> None:
    assert icd10cm.ioce_coverage() == (dt.date(2019, 7, 1), dt.date(2026, 6, 30))
    r = check(claim("2026-08-03", ["T36.0X5A", "L27.0"], []))
    assert found(r, PDX) == [(PDX, "error", ("diagnoses", 0))]
    assert [(n.code, n.location) for n in r.notices] == [
        ("NO_SERVICE_LINES", ("service_lines",)), ("IOCE_DATE_NOT_COVERED", ("diagnoses", 0))]
    assert [n.code for n in check(claim("2026-06-30", ["T36.0X5A", "L27.0"], [])).notices] \
        == ["NO_SERVICE_LINES"]


def test_coma_scale_principal() -> None:
    r = check(claim("2024-08-01", ["R40.2112", "S06.0X0A"], [("99284", (), "0450")]))
    assert found(r, PDX) == [(PDX, "error", ("diagnoses", 0))]
    assert "I.C.18.e" in next(f.message for f in r.findings if f.rule == PDX)


def test_ioce_list_applies_to_outpatient_claims_only() -> None:
    lines = [("99213", (), "0510")]
    # Professional: the classification's secondary-only codes and the guidelines'
    # never-first ones only (a warning): a coma scale code is on the I/OCE list only; an
    # adverse effect is on both (Guideline I.C.19.e.5.a: its nature first)
    assert found(check(claim("2024-08-01", ["R40.2112", "S06.0X0A"], lines, kind="prof")),
                 PDX) == []
    assert found(check(claim("2024-08-01", ["T36.0X5A", "L27.0"], lines, kind="prof")),
                 PDX) == [(PDX, "warning", ("diagnoses", 0))]
    assert found(check(claim("2024-08-01", ["Z68.41", "E66.01"], lines, kind="prof")),
                 PDX) == [(PDX, "warning", ("diagnoses", 0))]
    # Outpatient: Z00.00 is on the MCE (inpatient) list only.
    assert found(check(claim("2024-08-01", ["Z00.00"], [("G0463", (), "0510")])), PDX) == []
    # Inpatient: the MCE list.
    assert found(check(claim("2024-08-01", ["Z00.00"], [], kind="111")), PDX) == \
        [(PDX, "error", ("diagnoses", 0))]


def _inpatient_added(code: str, day: str) -> bool:
    f = icd10cm.facts(code, on=day)
    assert f is not None, code
    return f.ioce_unacceptable_principal_inpatient and not f.ioce_unacceptable_principal


def test_the_inpatient_list_of_edit_113_is_bundled_by_date() -> None:
    """The codes the I/OCE's inpatient form of edit 113 adds (its diagnosis table's
    ``unacceptable_pdx_exclusion_ignored`` flag): from 2025-04-01; F07.81 to 2026-03-31.
    ``Facts.ioce_unacceptable_principal_inpatient`` holds the whole inpatient form."""
    for code in ("F0390", "F0280", "F060", "F09", "R54", "R627", "R5381", "R5383"):
        assert _inpatient_added(code, "2025-04-01"), code
        assert not _inpatient_added(code, "2025-03-31"), code
        facts = icd10cm.facts(code, on="2025-04-01")
        assert facts is not None and not facts.ioce_unacceptable_principal
        assert facts.bits & facts.NOT_PRINCIPAL  # the rule's feature: planned for it
    assert _inpatient_added("F0781", "2026-03-31")
    assert not _inpatient_added("F0781", "2026-04-01")
    both = icd10cm.facts("T360X5A", on="2025-04-01")  # on both lists
    assert both is not None and both.ioce_unacceptable_principal and \
        both.ioce_unacceptable_principal_inpatient
    i10 = icd10cm.facts("I10", on="2025-04-01")
    assert i10 is not None and not i10.ioce_unacceptable_principal_inpatient
    # the dates the list changes split date views: 2025-03-31 and 2025-04-01 differ
    assert icd10cm.date_view("2025-03-31") is not icd10cm.date_view("2025-04-01")


def with_07(d: dict[str, Any]) -> dict[str, Any]:
    """The claim with condition code 07 and a cast (29075): the I/OCE's CC07 path on 22x,
    23x, 32x, 72x, 74x, 75x, 81x and 82x OPPS claims."""
    d["condition_codes"] = ["07"]
    d["service_lines"].append({"procedure_code": "29075", "modifiers": [], "units": 1,
                               "revenue_code": "0360"})
    return d


@pytest.mark.parametrize(("kind", "cc07", "opps", "fires"), [
    ("121", False, True, True), ("121", False, False, True), ("221", False, True, True),
    ("811", False, True, True), ("821", False, None, True),
    ("131", False, True, False), ("141", False, True, False), ("231", False, True, False),
    ("321", False, True, False), ("851", False, False, False), ("431", False, True, False),
    # condition code 07 and a cast: the CC07 path, which runs the outpatient list
    ("221", True, True, False), ("811", True, True, False), ("821", True, None, False),
    # ... on OPPS claims only: a non-OPPS 22x claim stays on the 22x path
    ("221", True, False, True),
])
def test_edit_113_follows_the_list_of_the_ioce_path(kind: str, cc07: bool, opps: bool | None,
                                                    fires: bool) -> None:
    """F03.90 (on the I/OCE's inpatient list from 2025-04-01, not on its outpatient list)
    as the principal diagnosis, as the I/OCE decides each claim (``KNOWN``): edit 113 on
    12x, 22x, 81x and 82x, not on the other paths nor on the CC07 path."""
    d = claim("2025-06-02", ["F03.90", "I10"], [("G0463", (), "0510")], kind=kind, opps=opps)
    r = check(with_07(d) if cc07 else d)
    assert r.profile == "medicare-outpatient"
    assert found(r, PDX) == ([(PDX, "error", ("diagnoses", 0))] if fires else [])


def test_edit_113_inpatient_list_messages() -> None:
    lines = [("G0463", (), "0510")]
    r = check(claim("2025-06-02", ["F03.90", "I10"], lines, kind="811"))
    f = next(f for f in r.findings if f.rule == PDX)
    assert f.message == (
        "F03.90 is unacceptable as the principal diagnosis of a claim of type of bill 81x "
        "(I/OCE edit 113, the list of types of bill 12x, 22x, 81x and 82x): list the "
        "underlying condition chiefly responsible for the services first.")
    assert f.codes == ("F03.90",) and f.fix == ()
    # F02.80's "Code first" note names G30.9: said, and offered as the fix; the I/OCE
    # raises edit 86 (manifestation) and 113 both, and so does codekit
    r = check(claim("2025-06-02", ["F02.80", "G30.9"], lines, kind="221"))
    assert found(r, PDX, "DX_MANIFESTATION_FIRST_LISTED") == [
        ("DX_MANIFESTATION_FIRST_LISTED", "error", ("diagnoses", 0)),
        (PDX, "error", ("diagnoses", 0))]
    f = next(f for f in r.findings if f.rule == PDX)
    assert f.message == (
        "F02.80 is unacceptable as the principal diagnosis of a claim of type of bill 22x "
        "(I/OCE edit 113, the list of types of bill 12x, 22x, 81x and 82x): list the "
        "underlying condition its \"Code first\" note asks for (G30.9 here) first, this "
        "code after it.")
    assert f.fix == ("G30.9",)
    # a code of both lists keeps its own advice
    r = check(claim("2025-06-02", ["T36.0X5A", "L27.0"], lines, kind="121"))
    assert "type of bill 12x" in next(f.message for f in r.findings if f.rule == PDX)
    assert "I.C.19.e.5" in next(f.message for f in r.findings if f.rule == PDX)


def test_edit_113_inpatient_list_dates_and_other_profiles() -> None:
    lines = [("G0463", (), "0510")]
    for code in ("R54", "R62.7", "R53.83", "F06.0", "F09"):
        assert found(check(claim("2025-04-01", [code, "I10"], lines, kind="821")), PDX) == [
            (PDX, "error", ("diagnoses", 0))], code
        assert found(check(claim("2025-03-31", [code, "I10"], lines, kind="821")), PDX) == [], \
            code
    # No I/OCE list outside medicare-outpatient: professional and commercial claims
    assert found(check(claim("2025-06-02", ["F03.90", "I10"], [("99213", (), "")],
                             kind="prof")), PDX) == []
    commercial = claim("2025-06-02", ["F03.90", "I10"], lines, kind="811")
    commercial["payer"] = "commercial"
    assert found(check(commercial), PDX) == []
    # the outpatient list on 43x: the I/OCE makes no diagnosis edit there
    assert found(check(claim("2025-06-02", ["T36.0X5A", "L27.0"], lines, kind="431")),
                 PDX) == []
    # classification secondary-only codes stay reported on every path (a B95-B97 code)
    assert found(check(claim("2025-06-02", ["B96.20", "N39.0"], lines, kind="431")),
                 PDX) == [(PDX, "error", ("diagnoses", 0))]


# -- ambulance origin/destination modifiers -------------------------------------------------------


def test_origin_destination_modifiers() -> None:
    assert origin_destination("RH") == ("residence", "hospital")
    assert origin_destination("DR") == ("diagnostic or therapeutic site other than P or H",
                                        "residence")
    assert origin_destination("XR") is None  # X is a destination only
    assert origin_destination("RX") is not None
    assert origin_destination("25") is None and origin_destination(None) is None


def test_origin_destination_pairs_are_valid_on_ambulance_lines() -> None:
    r = check(claim("2024-08-01", ["S72.001A"], [("A0427", ("RH",), "0540"),
                                                  ("A0425", ("RH",), "0540")]))
    assert found(r, "MOD_INVALID") == []
    # Professional ambulance claims have no revenue code: the HCPCS code says it.
    r = check(claim("2024-08-01", ["S72.001A"], [("A0427", ("DR",), None)], kind="prof"))
    assert found(r, "MOD_INVALID") == []


def test_origin_destination_pairs_elsewhere_and_x_as_origin() -> None:
    r = check(claim("2024-08-01", ["S72.001A"], [("71046", ("RH",), "0320"),
                                                  ("A0427", ("XR",), "0540")]))
    assert found(r, "MOD_INVALID") == [("MOD_INVALID", "error", ("service_lines", 0,
                                                                 "modifiers", 0)),
                                       ("MOD_INVALID", "error", ("service_lines", 1,
                                                                 "modifiers", 0))]
    messages = [f.message for f in r.findings if f.rule == "MOD_INVALID"]
    assert "ambulance origin/destination modifier (residence to hospital)" in messages[0]
    assert "destination only" in messages[1]


# -- add-on codes ---------------------------------------------------------------------------------

ADDON = "ADDON_WITHOUT_PRIMARY"


def _addons(r: Report) -> list[int]:
    return [int(f.location[1]) for f in r.findings if f.rule == ADDON]


def test_addon_chain_needs_its_base_code() -> None:
    """90785 (interactive complexity) lists 90836 as a primary, but 90836 is itself an
    add-on code that needs an E/M: without 99213 neither is satisfied (I/OCE 106 on both,
    non-OPPS claim)."""
    chain = [("90785", (), "0914"), ("90836", (), "0914")]
    assert _addons(check(claim("2024-03-01", ["F41.1"], chain, opps=False))) == [0, 1]
    assert _addons(check(claim("2024-03-01", ["F41.1"], [*chain, ("99213", (), "0510")],
                               opps=False))) == []
    # The NCCI manual's profile too: an add-on code is no primary without its own.
    assert _addons(check(claim("2024-03-01", ["F41.1"], chain, kind="prof"))) == [0, 1]
    assert _addons(check(claim("2024-03-01", ["F41.1"], [*chain, ("99213", (), None)],
                               kind="prof"))) == []


def test_addons_listed_as_each_others_primary_satisfy_each_other() -> None:
    """0836T lists 88177 as a primary and 88177 lists 0836T (from 2024-04-01): together
    they are satisfied (so is the I/OCE, which does not know 0836T after March 2024);
    88177 alone needs 88172 or 0836T."""
    assert _addons(check(claim("2024-07-15", ["C50.911"], [("88177", (), None),
                                                          ("0836T", (), None)],
                               kind="prof"))) == []
    assert _addons(check(claim("2024-07-15", ["C50.911"], [("88177", (), "0310"),
                                                          ("0836T", (), "0310")],
                               opps=False))) == []
    assert _addons(check(claim("2024-07-15", ["C50.911"], [("88177", (), "0310")],
                               opps=False))) == [0]


def test_type_3_addon_needs_a_listed_primary_on_outpatient_claims() -> None:
    """88311 (decalcification, type 3) lists 88302-88309, 17311, 17313: with only 99213 the
    I/OCE denies it (edit 108); the NCCI manual lets the contractor accept others."""
    lines = [("88311", (), "0310"), ("99213", (), "0510")]
    assert _addons(check(claim("2024-03-01", ["C50.911"], lines, opps=False))) == [0]
    assert _addons(check(claim("2024-03-01", ["C50.911"], [("88311", (), "0310"),
                                                           ("88305", (), "0310")],
                               opps=False))) == []
    assert _addons(check(claim("2024-03-01", ["C50.911"], lines, kind="prof"))) == []


def test_addons_on_opps_claims_are_not_edited() -> None:
    """OPPS packages add-on codes: the I/OCE runs its NCCI add-on edits on non-OPPS
    claims only. An unknown OPPS flag is OPPS, the I/OCE's default."""
    lines = [("17003", (), "0360")]
    assert _addons(check(claim("2024-03-01", ["L57.0"], lines, opps=True))) == []
    assert _addons(check(claim("2024-03-01", ["L57.0"], lines))) == []
    assert _addons(check(claim("2024-03-01", ["L57.0"], lines, opps=False))) == [0]
    assert _addons(check(claim("2024-03-01", ["L57.0"], lines, kind="prof"))) == [0]


def test_ioce_addon_maps_on_opps_claims() -> None:
    maps = ncci.ioce_addons().meta["maps"]
    assert maps["0722T"] == "saas" and maps["C7902"] == "remote_mental_health"
    assert maps["U0005"] == "covid_lab" and maps["96375"] == "drug_admin"
    # Software as a Service (0722T, quantitative CT tissue characterization): a listed
    # imaging primary anywhere on the claim.
    assert _addons(check(claim("2024-01-15", ["I10"], [("0722T", (), "0350")],
                               opps=True))) == [0]
    assert _addons(check(claim("2024-01-15", ["I10"], [("0722T", (), "0350"),
                                                       ("70450", (), "0350")],
                               opps=True))) == []
    # Remote mental health (C7902 needs C7900 or C7901 on the same date).
    assert _addons(check(claim("2024-01-15", ["F32.A"], [("C7902", (), "0900")],
                               opps=True))) == [0]
    assert _addons(check(claim("2024-01-15", ["F32.A"], [("C7900", (), "0900"),
                                                         ("C7902", (), "0900")],
                               opps=True))) == []
    # COVID-19 laboratory add-on U0005 (with U0003/U0004, same date), OPPS or not.
    for opps in (True, False):
        assert _addons(check(claim("2021-06-01", ["Z20.822"], [("U0005", (), "0300")],
                                   opps=opps))) == [0]
        assert _addons(check(claim("2021-06-01", ["Z20.822"], [("U0003", (), "0300"),
                                                               ("U0005", (), "0300")],
                                   opps=opps))) == []


@pytest.mark.parametrize(("kind", "conditions", "saas", "remote"), [
    ("131", (), [1], [1]), ("137", (), [1], [1]), ("131", ("89",), [], []),
    ("131", ("41",), [], [1]), ("121", (), [], [1]), ("121", ("W2",), [], [1]),
    ("141", (), [], []),
])
def test_ioce_addon_maps_on_the_paths_that_run_them(
        kind: str, conditions: tuple[str, ...], saas: list[int], remote: list[int]) -> None:
    """pyoce 0.1.0 runs its Software as a Service map (``AddonSaaSLogic``, edit 106) on
    the OPPS 13x path only, not with condition code 41, 89 or 92, and its remote mental
    health map (``AddonRemoteMentalHealthLogic``) on OPPS 12x and on 13x without 89: 0764T
    (SaaS, with G0463) has edit 106 on 131 and 137 only, C7902 (remote mental health,
    with G0463) on those, 131 with 41 and 121; codekit told both on every OPPS claim
    before 2026-12-07 (121, 137 with 89: found by the I/OCE cross-check)."""
    d = with_conditions(claim("2025-10-02", ["I48.91"], [
        ("G0463", (), "0510"), ("0764T", (), "0360")], kind=kind, opps=True), *conditions)
    assert _addons(check(d)) == saas
    d = with_conditions(claim("2024-01-15", ["F32.A"], [
        ("G0463", (), "0510"), ("C7902", (), "0900")], kind=kind, opps=True), *conditions)
    assert _addons(check(d)) == remote


@pytest.mark.parametrize(("kind", "opps", "fires"), [
    ("131", True, False), ("131", False, True), ("141", True, False), ("141", False, True),
    ("221", True, True), ("231", True, True), ("321", True, True), ("711", True, True),
    ("811", True, True), ("341", True, True), ("341", False, True), ("431", False, False),
    ("851", False, True),
])
def test_ncci_addon_edits_on_the_paths_that_run_them(kind: str, opps: bool,
                                                     fires: bool) -> None:
    """pyoce 0.1.0 runs the NCCI add-on edits (106-108: ``AddonType1And3PairLogic``,
    ``AddonType2Logic``, ``AddonDrugPairLogic``) on 12x, 13x and 14x non-OPPS claims only,
    on 34x off its OPPS branch (no vaccine, antigen, cast, splint or wound therapy code),
    never on 43x, and on every other path whatever the OPPS flag: 17003 (type 1) without
    17000, and 96375 (drug administration) without its primary, get edit 106 on each claim
    marked here, none on the others. codekit went by the OPPS flag alone before
    2026-12-07 (221, 231, 321, 711, 811 and 341 with the flag set: silent)."""
    for lines in ([("17003", (), "0360"), ("99213", (), "0510")],
                  [("96375", (), "0260"), ("99213", (), "0510")]):
        d = claim("2024-03-01", ["L57.0"], lines, kind=kind, opps=opps)
        assert _addons(check(d)) == ([0] if fires else []), lines


def test_drug_administration_addons_on_non_opps_claims() -> None:
    lines = [("96375", (), "0260")]
    assert _addons(check(claim("2024-03-01", ["E86.0"], lines, opps=False))) == [0]
    assert _addons(check(claim("2024-03-01", ["E86.0"], [("96374", (), "0260"), *lines],
                               opps=False))) == []
    assert _addons(check(claim("2024-03-01", ["E86.0"], lines, opps=True))) == []


def test_addon_primary_on_the_day_before() -> None:
    """Critical care past midnight: 99292 on the day after 99291 is satisfied (the I/OCE
    looks at the add-on's date and the day before); two days later it is not."""
    d = ["R57.9"]
    on = [("99291", (), "0450", "2024-03-01"), ("99292", (), "0450", "2024-03-02")]
    assert _addons(check(claim("2024-03-01", d, on, opps=False))) == []
    late = [("99291", (), "0450", "2024-03-01"), ("99292", (), "0450", "2024-03-03")]
    assert _addons(check(claim("2024-03-01", d, late, opps=False))) == [1]


def test_type_2_addon_under_a_professional_fee_revenue_code() -> None:
    """A type-2 add-on (no primary listed) on a professional-fee line (096x-098x) of a
    non-OPPS claim: I/OCE edit 107; under a facility revenue code the contractor decides."""
    e = ncci.addons().get("0054T", on="2024-03-01")
    assert e is not None and e.type == 2
    assert _addons(check(claim("2024-03-01", ["M17.11"], [("0054T", (), "0960"),
                                                          ("27447", (), "0960")],
                               opps=False))) == [0]
    assert _addons(check(claim("2024-03-01", ["M17.11"], [("0054T", (), "0360"),
                                                          ("27447", (), "0360")],
                               opps=False))) == []


# -- modifier CS -----------------------------------------------------------------------------------


def test_cs_after_the_public_health_emergency() -> None:
    r = check(claim("2023-05-12", ["Z20.822"], [("99213", ("CS",), "0510")]))
    assert found(r, "MOD_CS_AFTER_PHE", "MOD_CS_NOT_ELIGIBLE") == \
        [("MOD_CS_AFTER_PHE", "error", ("service_lines", 0, "modifiers", 0))]
    assert found(check(claim("2023-05-11", ["Z20.822"], [("99213", ("CS",), "0510")])),
                 "MOD_CS_AFTER_PHE", "MOD_CS_NOT_ELIGIBLE") == []
    # A warning where no editor of the setting returns the claim for it.
    r = check(claim("2024-01-10", ["Z20.822"], [("99213", ("CS",), None)], kind="prof"))
    assert found(r, "MOD_CS_AFTER_PHE") == \
        [("MOD_CS_AFTER_PHE", "warning", ("service_lines", 0, "modifiers", 0))]


def test_cs_on_a_service_the_waiver_does_not_cover() -> None:
    assert procedure.cs_waiver_eligible("99213", on="2021-06-01")
    assert not procedure.cs_waiver_eligible("71046", on="2021-06-01")
    assert not procedure.cs_waiver_eligible("not a code", on="2021-06-01")
    r = check(claim("2021-06-01", ["J18.9"], [("71046", ("CS",), "0320")]))
    assert found(r, "MOD_CS_NOT_ELIGIBLE", "MOD_CS_AFTER_PHE") == \
        [("MOD_CS_NOT_ELIGIBLE", "error", ("service_lines", 0, "modifiers", 0))]
    assert found(check(claim("2021-06-01", ["J18.9"], [("99213", ("CS",), "0510")])),
                 "MOD_CS_NOT_ELIGIBLE") == []
    # Before the waiver began (2020-03-18) CS meant the 2010 Gulf oil spill: not this edit.
    assert found(check(claim("2020-03-17", ["J18.9"], [("71046", ("CS",), "0320")])),
                 "MOD_CS_NOT_ELIGIBLE") == []
    # After the PHE ended, the I/OCE keeps edit 114 until its version of 2023-07-01: so does
    # medicare-outpatient (beside MOD_CS_AFTER_PHE); other profiles say it once.
    r = check(claim("2023-06-30", ["J18.9"], [("71046", ("CS",), "0320")]))
    assert [f.rule for f in r.findings if f.rule.startswith("MOD_CS")] == \
        ["MOD_CS_AFTER_PHE", "MOD_CS_NOT_ELIGIBLE"]
    r = check(claim("2023-07-01", ["J18.9"], [("71046", ("CS",), "0320")]))
    assert [f.rule for f in r.findings if f.rule.startswith("MOD_CS")] == ["MOD_CS_AFTER_PHE"]
    r = check(claim("2023-06-30", ["J18.9"], [("71046", ("CS",), None)], kind="prof"))
    assert [f.rule for f in r.findings if f.rule.startswith("MOD_CS")] == ["MOD_CS_AFTER_PHE"]


# -- E/M with 59 instead of 25 ---------------------------------------------------------------------


def test_em_with_59_is_bypassed_as_the_ioce_does() -> None:
    """Hospital PTP 11102/99213 (indicator 1): on an outpatient claim 59 on either line
    bypasses it, as the I/OCE does; 25 is the E/M modifier the NCCI manual asks for."""
    edit = ncci.hospital_ptp().pair("11102", "99213", on="2025-11-03")
    assert edit is not None and edit.modifier_indicator == 1
    rules = ("EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT")
    for mods in (("59",), ("XU",), ("25",)):
        r = check(claim("2025-11-03", ["L98.9"], [("99213", mods, "0510"),
                                                  ("11102", (), "0360")]))
        assert found(r, *rules) == [], mods
    r = check(claim("2025-11-03", ["L98.9"], [("99213", (), "0510"), ("11102", (), "0360")]))
    assert found(r, *rules) == [("EM_MINOR_PROC_NO_MOD25", "error",
                                 ("service_lines", 0, "modifiers"))]


@pytest.mark.parametrize(("mods", "rules"), [
    (("59",), ["EM_MINOR_PROC_NO_MOD25"]), (("XU",), ["EM_MINOR_PROC_NO_MOD25"]),
    (("RT",), ["EM_MINOR_PROC_NO_MOD25"]), (("25",), [])])
def test_em_with_59_under_the_ncci_manual(tmp_path: Path, mods: tuple[str, ...],
                                          rules: list[str]) -> None:
    """The professional profile follows the NCCI manual: only 25 (or 57) on the E/M
    bypasses an E/M column-2 edit; 59, X{EPSU} and anatomic modifiers do not."""
    (tmp_path / "ptp.csv").write_text("column_1,column_2,effective_date,deletion_date,"
                                      "modifier_indicator\n11102,99213,2000-01-01,,1\n")
    checker = Checker(policies=(), ptp=ncci.load_ptp(tmp_path / "ptp.csv",
                                                     setting="practitioner"))
    d = claim("2025-11-03", ["L98.9"], [("99213", mods, None), ("11102", (), None)],
              kind="prof")
    r = checker.check(Claim.from_dict(d))
    assert r.profile == "medicare-professional"
    assert [f.rule for f in r.findings
            if f.rule in ("EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT")] == rules


def test_em_finding_keeps_an_unbypassable_pair_of_another_procedure() -> None:
    """99203 without 25 beside 96365 (hospital PTP indicator 1) is the E/M finding; the
    indicator-0 pair 80504/99203 on the same line is another mistake and keeps its own
    finding (the I/OCE: edits 40 and 20 on the E/M line)."""
    r = check(claim("2022-02-12", ["I10"], [("96365", (), "0260"), ("99203", (), "0510"),
                                            ("80504", (), "0300")]))
    assert [(f.rule, f.location[:2], f.codes) for f in r.findings
            if f.rule in ("EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT")] == [
        ("EM_MINOR_PROC_NO_MOD25", ("service_lines", 1), ("99203", "96365")),
        ("NCCI_PTP_CONFLICT", ("service_lines", 1), ("80504", "99203"))]


# -- bilateral procedures (I/OCE edits 17, 74, 37) and telehealth modifiers (126) -----------------

BILATERAL = ("BILATERAL_REPEATED", "BILATERAL_UNITS_WITH_50", "MOD_TERMINATED_MULTIPLE",
             "MOD_TELEHEALTH_NOT_ELIGIBLE")
ED_VISIT = ("99283", (), "0450")


def units(d: dict[str, Any], *per_line: int) -> dict[str, Any]:
    """``d`` with the lines' units set in order."""
    for line, n in zip(d["service_lines"], per_line, strict=True):
        line["units"] = n
    return d


def findings(r: Report) -> list[tuple[str, str, tuple[Any, ...], tuple[str, ...], str]]:
    return [(f.rule, f.severity.value, f.location, f.fix, f.message) for f in r.findings
            if f.rule in BILATERAL]


def test_the_designations_are_the_ioce_data() -> None:
    on = dt.date(2024, 3, 1)
    bilateral = {c: procedure.resolve(c, on=on).entry.bilateral  # type: ignore[union-attr]
                 for c in ("69210", "92012", "20610", "99213")}
    assert bilateral == {"69210": "inherent", "92012": "inherent", "20610": "conditional",
                         "99213": None}
    assert "telehealth" in procedure.resolve("99213", on=on).entry.flags  # type: ignore[union-attr]
    assert "telehealth" not in procedure.resolve("G0463", on=on).entry.flags  # type: ignore[union-attr]


def test_inherently_bilateral_code_on_two_lines() -> None:
    """I/OCE edit 17 on both lines of 69210 (the code covers both sides)."""
    r = check(claim("2024-03-01", ["H61.23"], [ED_VISIT, ("69210", (), "0510"),
                                               ("69210", (), "0510")]))
    msg = ("69210 covers both sides (IOCE bilateral designation inherent) and is reported on "
           "2 lines on 2024-03-01: bill 69210 once, on one line with 1 unit and without 50")
    assert findings(r) == [
        ("BILATERAL_REPEATED", "error", ("service_lines", 1, "procedure_code"), (),
         f"Line 2: {msg}; if it was repeated, add 76 or 77 to the repeat line."),
        ("BILATERAL_REPEATED", "error", ("service_lines", 2, "procedure_code"), ("76", "77"),
         f"Line 3: {msg}; if it was repeated, add 76 or 77 to this line.")]


def test_inherently_bilateral_code_with_two_units() -> None:
    r = check(units(claim("2024-03-01", ["H61.23"], [ED_VISIT, ("69210", (), "0510")]), 1, 2))
    assert findings(r) == [
        ("BILATERAL_REPEATED", "error", ("service_lines", 1, "units"), ("1",),
         "Line 2: 69210 covers both sides (IOCE bilateral designation inherent) and is "
         "reported with 2 units on 2024-03-01: bill 69210 once, on one line with 1 unit and "
         "without 50.")]


def test_inherently_bilateral_repeat_and_other_days_are_accepted() -> None:
    # 76 on the repeat line: a repeat procedure, not counted
    assert findings(check(claim("2024-03-01", ["H61.23"], [
        ED_VISIT, ("69210", (), "0510"), ("69210", ("76",), "0510")]))) == []
    # the same code on two dates of service
    assert findings(check(claim("2024-03-01", ["Z12.31"], [
        ED_VISIT, ("77067", (), "0403"), ("77067", (), "0403", "2024-03-02")]))) == []
    # status indicator V with condition code G0 (distinct visits on the day)
    d = claim("2024-03-01", ["H61.23"], [("92012", (), "0510"), ("92012", (), "0510")])
    assert [f[:3] for f in findings(check(d))] == [
        ("BILATERAL_REPEATED", "error", ("service_lines", 0, "procedure_code")),
        ("BILATERAL_REPEATED", "error", ("service_lines", 1, "procedure_code"))]
    d["condition_codes"] = ["G0"]
    assert findings(check(d)) == []


def test_bilateral_edits_on_professional_claims() -> None:
    """The I/OCE's repeated-line edit stays an outpatient editor's; 50 with 2 units is a
    warning on a professional claim: ch.12 §40.7.B asks for one line with 1 unit, and the
    MPFS prices 2 units too (its bilateral indicator 1), so it is no certain rejection."""
    lines = [("69210", (), None), ("69210", (), None)]
    assert findings(check(claim("2024-03-01", ["H61.23"], lines, kind="prof"))) == []
    (f,) = findings(check(units(claim("2024-03-01", ["M17.0"], [("20610", ("50",), None)],
                                      kind="prof"), 2)))
    assert f[:4] == ("BILATERAL_UNITS_WITH_50", "warning", ("service_lines", 0, "units"),
                     ("1",))
    assert "ch.12 §40.7.B" in f[4]


def test_modifier_50_with_two_units() -> None:
    r = check(units(claim("2024-03-01", ["M17.0"], [ED_VISIT, ("20610", ("50",), "0360")]),
                    1, 2))
    assert findings(r) == [
        ("BILATERAL_UNITS_WITH_50", "error", ("service_lines", 1, "units"), ("1",),
         "Line 2 (20610) has modifier 50 and 2 units: 50 already means both sides; bill "
         "20610 once with modifier 50 and 1 unit.")]
    assert findings(check(claim("2024-03-01", ["M17.0"], [
        ED_VISIT, ("20610", ("50",), "0360")]))) == []
    # condition code 89: the I/OCE runs none of its bilateral edits
    d = units(claim("2024-03-01", ["M17.0"], [ED_VISIT, ("20610", ("50",), "0360")]), 1, 2)
    d["condition_codes"] = ["89"]
    assert findings(check(d)) == []


def test_terminated_procedure_billed_as_more_than_one() -> None:
    r = check(units(claim("2024-03-01", ["M17.0"], [ED_VISIT, ("20610", ("52",), "0360")],
                          opps=True), 1, 2))
    assert findings(r) == [
        ("MOD_TERMINATED_MULTIPLE", "error", ("service_lines", 1, "units"), ("1",),
         "Line 2 (20610) has modifier 52 and 2 units: a terminated procedure is billed with "
         "1 unit; bill each procedure that was completed on its own line.")]
    r = check(claim("2024-03-01", ["M17.0"], [ED_VISIT, ("20610", ("73", "50"), "0360")]))
    assert findings(r) == [
        ("MOD_TERMINATED_MULTIPLE", "error", ("service_lines", 1, "modifiers", 1),
         ("RT", "LT"), "Line 2 (20610) has modifiers 73 and 50: a terminated procedure is "
         "not billed as bilateral; bill the side terminated with RT or LT and 73, and a side "
         "completed on its own line.")]
    # the I/OCE edits OPPS claims only (13x)
    assert findings(check(units(claim("2024-03-01", ["M17.0"], [
        ED_VISIT, ("20610", ("52",), "0360")], opps=False), 1, 2))) == []


def test_critical_access_hospital_bilateral_lines() -> None:
    """Type of bill 85x: a code billed by the facility and under a professional-fee
    revenue code (096x-098x) is one procedure (no edit 17); edit 74 looks at the
    professional lines only, their units summed per code and revenue code."""
    cah: dict[str, Any] = {"kind": "851", "opps": False}
    assert findings(check(claim("2024-03-01", ["H61.23"], [
        ("69210", (), "0510"), ("69210", (), "0960")], **cah))) == []
    assert len(findings(check(claim("2024-03-01", ["H61.23"], [
        ("69210", (), "0510"), ("69210", (), "0510")], **cah)))) == 2
    assert findings(check(units(claim("2024-03-01", ["M17.0"], [
        ("20610", ("50",), "0360")], **cah), 2))) == []
    r = check(claim("2024-03-01", ["M17.0"], [("20610", ("50",), "0960"),
                                              ("20610", (), "0960")], **cah))
    assert [f[:4] for f in findings(r)] == [
        ("BILATERAL_UNITS_WITH_50", "error", ("service_lines", 0, "units"), ("1",)),
        ("BILATERAL_UNITS_WITH_50", "error", ("service_lines", 1, "units"), ("1",))]
    assert findings(r)[0][4] == (
        "Line 1 (20610, revenue code 0960): 20610 is billed with modifier 50 and 2 units in "
        "all on 2024-03-01: 50 already means both sides; bill 20610 once with modifier 50 "
        "and 1 unit.")


def test_critical_access_hospital_facility_and_professional_lines_are_two_bills() -> None:
    """Type of bill 85x (method II): the facility's line and its practitioner's line under
    0960-0989 are two bills (Claims Processing Manual ch.4 §250.2); the I/OCE (NcciLogic,
    AddonType1And3Pair85xLogic, AddonDrugPairLogic) pairs them neither as an NCCI edit nor
    as an add-on and its primary. Lines of one kind still are."""
    cah: dict[str, Any] = {"kind": "851", "opps": False}
    rules = ("NCCI_PTP_CONFLICT", "EM_MINOR_PROC_NO_MOD25", "ADDON_WITHOUT_PRIMARY")

    def ncci(lines: list[tuple[Any, ...]], dx: str = "I10") -> list[tuple[str, str, Any]]:
        return found(check(claim("2025-06-12", [dx], lines, **cah)), *rules)

    # the facility's clinic visit and the physician's office visit of the same encounter
    assert ncci([("G0463", (), "0510"), ("99213", (), "0960")]) == []
    assert ncci([("96365", (), "0260"), ("96374", (), "0960")], "A41.9") == []
    assert ncci([("99291", (), "0450"), ("99285", (), "0981")], "I21.4") == []
    assert ncci([("99213", (), "0960"), ("11720", (), "0510")], "B35.1") == []
    # two facility lines, two professional lines: the edits as on 13x
    assert ncci([("96365", (), "0260"), ("96374", (), "0260")], "A41.9") == [
        ("NCCI_PTP_CONFLICT", "error", ("service_lines", 1, "procedure_code"))]
    assert ncci([("99213", (), "0960"), ("11720", (), "0960")], "B35.1") == [
        ("EM_MINOR_PROC_NO_MOD25", "error", ("service_lines", 0, "modifiers"))]
    # the physician's add-on needs the physician's primary (edit 106)
    addon = [("ADDON_WITHOUT_PRIMARY", "error", ("service_lines", 1, "procedure_code"))]
    assert ncci([("99291", (), "0450"), ("99292", (), "0960")], "I46.9") == addon
    assert ncci([("99291", (), "0450"), ("99292", (), "0960"), ("99291", (), "0960")],
                "I46.9") == []
    assert ncci([("96413", (), "0335"), ("96415", (), "0960")], "C50.911") == addon
    assert ncci([("96413", (), "0335"), ("96415", (), "0335")], "C50.911") == []
    assert ncci([("11042", (), "0361"), ("11045", (), "0960")], "L97.412") == addon
    # type of bill 131: one bill, whatever the revenue codes
    assert found(check(claim("2025-06-12", ["A41.9"], [
        ("96365", (), "0260"), ("96374", (), "0960")])), *rules) == [
        ("NCCI_PTP_CONFLICT", "error", ("service_lines", 1, "procedure_code"))]


def test_clinic_visit_bundled_into_a_procedure_is_told_25() -> None:
    """G0463 (the hospital's clinic visit) in column 2 of a procedure's PTP edit (96372,
    indicator 1): the visit is marked separate with 25, not 59 or X{EPSU} (NCCI Policy
    Manual ch.I §E); the I/OCE raises edit 40 on it (PO is no NCCI modifier) and takes
    25 (edit 21's modifier too)."""
    r = check(claim("2025-06-12", ["I10"], [("G0463", ("PO",), "0510"),
                                            ("96372", ("PO",), "0510"),
                                            ("J1885", (), "0636")]))
    f = [f for f in r.findings if f.rule == "NCCI_PTP_CONFLICT"]
    assert [(x.location, x.codes, x.fix) for x in f] == [
        (("service_lines", 0, "procedure_code"), ("96372", "G0463"), ("25",))]
    assert f[0].message == (
        "Line 1: G0463 is bundled into 96372 (line 2) by an NCCI hospital PTP edit (column 1 "
        "96372, column 2 G0463, modifier indicator 1): a clinic visit on the day of a "
        "procedure is billed apart only if it was significant and separately identifiable: "
        "then append 25 to G0463 (the I/OCE also returns a visit without 25 on the day of a "
        "surgical or significant procedure, edit 21), otherwise remove it; 59 and X{EPSU} do "
        "not mark a visit separate (NCCI Policy Manual ch.I §E).")
    assert [x.rule for x in check(claim("2025-06-12", ["I10"], [
        ("G0463", ("25",), "0510"), ("96372", (), "0510"), ("J1885", (), "0636")])).findings
        if x.rule == "NCCI_PTP_CONFLICT"] == []


def test_telehealth_modifier_on_a_code_not_flagged_telehealth() -> None:
    """I/OCE edit 126, from 2023-07-01, on critical access hospital claims (85x)."""
    r = check(claim("2024-03-01", ["I10"], [("G0463", ("95",), "0510")], kind="851",
                    opps=False))
    assert findings(r) == [
        ("MOD_TELEHEALTH_NOT_ELIGIBLE", "error", ("service_lines", 0, "modifiers", 0), (),
         "Line 1: G0463 is not a service the I/OCE accepts as telehealth on 2024-03-01: "
         "remove 95 (or bill the telehealth service's own code).")]
    # a code flagged telehealth; before 2023-07-01; type of bill 131; professional 99213
    for d in (claim("2024-03-01", ["I10"], [("99213", ("95",), "0510")], kind="851"),
              claim("2023-06-30", ["I10"], [("G0463", ("95",), "0510")], kind="851"),
              claim("2024-03-01", ["I10"], [ED_VISIT, ("G0463", ("GT",), "0510")]),
              claim("2024-03-01", ["I10"], [("99213", ("95",), None)], kind="prof")):
        assert findings(check(d)) == [], d
    # an OPPS 851 claim: the I/OCE returns it with edit 118 first (85x is not an OPPS
    # type of bill) and runs no edit 126
    r = check(claim("2024-03-01", ["I10"], [("G0463", ("95",), "0510")], kind="851",
                    opps=True))
    assert [f.rule for f in r.findings] == ["BILL_TYPE_INVALID"]
    # medicare-professional: the Medicare Telehealth Services List (tests/test_pro2_gaps.py)
    r = check(claim("2024-03-01", ["I10"], [("G0463", ("95",), None)], kind="prof"))
    assert [f[:3] for f in findings(r)] == [
        ("MOD_TELEHEALTH_NOT_ELIGIBLE", "error", ("service_lines", 0, "modifiers", 0))]


# -- the status-indicator edits (28, 62, 50, 61): codekit.rules.ioce_status -----------------------

STATUS_RULES = ("PROC_NOT_RECOGNIZED_BY_MEDICARE", "PROC_NOT_RECOGNIZED_BY_OPPS",
                "PROC_STATUTORY_EXCLUSION", "PROC_DME_MAC_ONLY")


def status_findings(report: Report) -> list[tuple[str, str, tuple[Any, ...], tuple[str, ...],
                                                  str]]:
    return [(f.rule, f.severity.value, f.location, f.codes, f.message)
            for f in report.findings if f.rule in STATUS_RULES]


def test_the_status_edits_read_the_ioce_quarter_of_the_date() -> None:
    on = "2024-03-01"
    status = {c: (e.status_indicator, sorted(set(e.flags) & {
        "not_recognized_mcare", "not_recognized_opps", "statutory_exclusion",
        "dmerc_billable_only", "non_covered"}))
        for c in ("99243", "80320", "92015", "E0601", "99213", "99386")
        for e in [procedure.resolve(c, on=on).entry] if e is not None}
    assert status == {"99243": ("E1", ["not_recognized_mcare"]),
                      "80320": ("B", ["not_recognized_opps"]),
                      "92015": ("E1", ["statutory_exclusion"]),
                      "E0601": ("Y", ["dmerc_billable_only"]),
                      "99213": ("B", ["not_recognized_opps"]),
                      "99386": ("E1", ["non_covered"])}


def test_code_not_recognized_by_medicare() -> None:
    """I/OCE edit 28 (line rejection): status E1, not recognized for outpatient claims."""
    r = check(claim("2024-03-01", ["I10"], [ED_VISIT, ("99243", (), "0510")]))
    assert status_findings(r) == [
        ("PROC_NOT_RECOGNIZED_BY_MEDICARE", "error", ("service_lines", 1, "procedure_code"),
         ("99243",), "Line 2: 99243 has status indicator E1 (Non-allowed item or service) on "
         "2024-03-01: Medicare does not recognize it on outpatient claims (I/OCE edit 28, the "
         "line is rejected): report the service with the code Medicare recognizes for it (an "
         "alternate code may be available; codekit's data names none), or take the line "
         "off.")]
    d = claim("2024-03-01", ["I10"], [ED_VISIT, ("99243", (), "0510")])
    d["condition_codes"] = ["89"]  # the I/OCE's path with 89 has no edit 28
    assert status_findings(check(d)) == []
    # a non-covered service (E1, edit 9: denied whatever the coding) is not a coding error
    assert status_findings(check(claim("2024-03-01", ["Z00.00"], [
        ED_VISIT, ("99386", (), "0510")]))) == []


def test_code_not_recognized_by_opps() -> None:
    """I/OCE edit 62 (the claim is returned): status B, on OPPS claims only."""
    r = check(claim("2024-03-01", ["Z31.5"], [ED_VISIT, ("96040", (), "0300")]))
    assert status_findings(r) == [
        ("PROC_NOT_RECOGNIZED_BY_OPPS", "error", ("service_lines", 1, "procedure_code"),
         ("96040",), "Line 2: 96040 has status indicator B (Non-allowed item or service for "
         "OPPS) on 2024-03-01: OPPS does not recognize it (I/OCE edit 62, the claim is "
         "returned): report the service with the code OPPS recognizes for it (an alternate "
         "code may be available; codekit's data names none).")]
    assert [f.fix for f in r.findings if f.rule in STATUS_RULES] == [()]
    # a CPT definitive drug test: Medicare's G codes (PROC_DRUG_TEST_NOT_MEDICARE's advice)
    r = check(claim("2024-03-01", ["F19.20"], [ED_VISIT, ("80320", (), "0300")]))
    assert [(f.codes, f.fix) for f in r.findings if f.rule in STATUS_RULES] == [
        (("80320",), ("G0480", "G0481", "G0482", "G0483", "G0659"))]
    # an office or outpatient visit code: OPPS pays clinic visits as G0463 (from 2014)
    r = check(claim("2024-03-01", ["I10"], [("99213", (), "0510")]))
    assert [(f.codes, f.fix, f.message[-140:]) for f in r.findings
            if f.rule in STATUS_RULES] == [
        (("99213",), ("G0463",), "returned): report the hospital outpatient clinic visit as "
         "G0463, the code OPPS pays clinic visits with since 2014 (CY 2014 OPPS final rule).")]
    for d in (claim("2024-03-01", ["F19.20"], [ED_VISIT, ("80320", (), "0300")], opps=False),
              claim("2024-03-01", ["F19.20"], [("80320", (), "0300")], kind="851"),
              claim("2024-03-01", ["F19.20"], [("80320", (), None)], kind="prof")):
        assert status_findings(check(d)) == [], d


def test_statutory_exclusion() -> None:
    """I/OCE edit 50 (the claim is returned): status E1, excluded by statute."""
    r = check(claim("2024-03-01", ["H52.13"], [ED_VISIT, ("92015", (), "0510")], opps=False))
    assert status_findings(r) == [
        ("PROC_STATUTORY_EXCLUSION", "error", ("service_lines", 1, "procedure_code"),
         ("92015",), "Line 2: 92015 has status indicator E1 (Non-allowed item or service) on "
         "2024-03-01: the service is excluded from Medicare by statute (I/OCE edit 50, the "
         "claim is returned): take the line off the Medicare claim.")]


def test_dme_billable_only_to_the_dme_mac() -> None:
    """I/OCE edit 61 (the claim is returned): status Y; not when a comprehensive APC
    procedure (J1) on an OPPS claim takes in every other line."""
    r = check(claim("2024-03-01", ["G47.33"], [ED_VISIT, ("E0601", (), "0290")]))
    assert status_findings(r) == [
        ("PROC_DME_MAC_ONLY", "error", ("service_lines", 1, "procedure_code"), ("E0601",),
         "Line 2: E0601 has status indicator Y (Non-implantable DME) on 2024-03-01: it is "
         "billable only to the DME MAC (I/OCE edit 61, the claim is returned): bill it to the "
         "DME MAC and take the line off this claim.")]
    tka = [("27447", (), "0360"), ("E0601", (), "0290")]
    assert procedure.resolve("27447", on="2024-03-01").entry.status_indicator == "J1"  # type: ignore[union-attr]
    assert status_findings(check(claim("2024-03-01", ["M17.11"], tka, opps=True))) == []
    assert [f[0] for f in status_findings(check(claim("2024-03-01", ["M17.11"], tka,
                                                       opps=False)))] == ["PROC_DME_MAC_ONLY"]


def test_service_not_billable_to_the_mac() -> None:
    """I/OCE edit 72 (the claim is returned): status M with the I/OCE's flag, e.g. 93000
    (the global ECG) where the facility bills 93005; OPPS or not, with condition code 89
    too (the 13x path runs the step on every claim)."""
    ecg = [ED_VISIT, ("93000", (), "0730")]
    r = check(claim("2024-03-01", ["R00.2"], ecg))
    assert [(f.rule, f.severity.value, f.location, f.codes, f.message) for f in r.findings
            if f.rule == "PROC_NOT_BILLABLE_TO_MAC"] == [
        ("PROC_NOT_BILLABLE_TO_MAC", "error", ("service_lines", 1, "procedure_code"),
         ("93000",),
         "Line 2: 93000 has status indicator M (Service not billable to the FI/MAC) on "
         "2024-03-01: it is not billable to the MAC on a facility claim (I/OCE edit 72, the "
         "claim is returned): report the facility's own code for the service (the technical "
         "component), or bill the service where it is payable and take the line off this "
         "claim.")]
    entry = procedure.resolve("93000", on="2024-03-01").entry
    assert entry is not None and entry.status_indicator == "M" \
        and "non_billable_mac" in entry.flags
    assert found(check(claim("2024-03-01", ["R00.2"], [ED_VISIT, ("93005", (), "0730")])),
                 "PROC_NOT_BILLABLE_TO_MAC") == []
    assert len(found(check(claim("2024-03-01", ["R00.2"], ecg, opps=False)),
                     "PROC_NOT_BILLABLE_TO_MAC")) == 1
    assert len(found(check(with_conditions(claim("2024-03-01", ["R00.2"], ecg), "89")),
                     "PROC_NOT_BILLABLE_TO_MAC")) == 1
    # professional claims bill 93000: no I/OCE there
    assert found(check(claim("2024-03-01", ["R00.2"], [("93000", (), None)], kind="prof")),
                 "PROC_NOT_BILLABLE_TO_MAC") == []


@pytest.mark.parametrize(("kind", "opps", "rev", "fires"), [
    ("121", True, "0730", True), ("141", True, "0730", True), ("221", True, "0730", True),
    ("321", True, "0730", True), ("341", True, "0730", True), ("811", True, "0730", True),
    ("831", False, "0730", True), ("851", False, "0730", True), ("891", False, "0730", True),
    # 43x: no step; 71x, 77x: the I/OCE bypasses status M
    ("431", True, "0730", False), ("711", True, "0730", False), ("771", True, "0730", False),
    # a hospice's physician-service line (0657), a CAH's professional-fee line (0985)
    ("811", True, "0657", False), ("821", True, "0657", False), ("851", False, "0985", False),
])
def test_edit_72_on_the_ioce_paths(kind: str, opps: bool, rev: str, fires: bool) -> None:
    """As the I/OCE decides each of these claims (``KNOWN``)."""
    d = claim("2024-03-01", ["R00.2"], [("G0463", (), "0510"), ("93000", (), rev)],
              kind=kind, opps=opps)
    assert found(check(d), "PROC_NOT_BILLABLE_TO_MAC") == (
        [("PROC_NOT_BILLABLE_TO_MAC", "error", ("service_lines", 1, "procedure_code"))]
        if fires else [])


def test_status_edits_are_the_outpatient_editors() -> None:
    """Off under medicare-professional (no I/OCE there)."""
    d = claim("2024-03-01", ["I10"], [("99243", (), None), ("E0601", (), None)], kind="prof")
    assert status_findings(check(d)) == []


def test_status_after_the_last_quarter_says_so() -> None:
    """A date after codekit's I/OCE quarters: the status is the last quarter's, and the
    finding says so (the report's notice too)."""
    r = check(claim("2026-08-03", ["I10"], [ED_VISIT, ("99243", (), "0510")]))
    [f] = [f for f in r.findings if f.rule == "PROC_NOT_RECOGNIZED_BY_MEDICARE"]
    assert f.message.startswith(
        "Line 2: 99243 has status indicator E1 (Non-allowed item or service) on 2026-08-03 "
        "(as of IOCE 27.1.0, the nearest quarter codekit has: 2026-08-03 is outside its "
        "data): Medicare does not recognize it")
    assert "PROCEDURE_DATE_NOT_COVERED" in [n.code for n in r.notices]


# -- the revenue-code edits (41, 48, 65): codekit.rules.ioce_status -------------------------------

REVENUE_RULES = ("REVENUE_CODE_INVALID", "REVENUE_CODE_REQUIRES_HCPCS",
                 "REVENUE_CODE_NOT_RECOGNIZED")


def revenue_findings(report: Report) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity.value, f.location, f.codes, f.message)
            for f in report.findings if f.rule in REVENUE_RULES]


def with_conditions(d: dict[str, Any], *codes: str) -> dict[str, Any]:
    return {**d, "condition_codes": list(codes)}


def test_revenue_code_reads_the_ioce_table_of_the_date() -> None:
    """``procedure.revenue_code``: the I/OCE's revenue code table on the date (status
    indicator, flags), None for a code it does not know, a typed error for anything not
    written as a revenue code, and a note for a date outside the table."""
    e = procedure.revenue_code("0450", on="2024-03-01")
    assert e is not None
    assert (e.code, e.status_indicator, e.status_description, e.flags, e.effective, e.until,
            e.covered, e.note) == ("0450", "E1", "Non-allowed item or service", frozenset(),
                                   None, None, True, None)
    assert e.requires_hcpcs and not e.not_recognized
    # the I/OCE reads the field as a number: 450 (text or int) is 0450
    assert procedure.revenue_code(450, on="2024-03-01") == e
    assert procedure.revenue_code(" 450 ", on="2024-03-01") == e
    packaged = procedure.revenue_code("0250", on="2024-03-01")
    assert packaged is not None and packaged.status_indicator == "N"
    assert not packaged.requires_hcpcs
    crna = procedure.revenue_code("0964", on="2024-03-01")
    assert crna is not None and crna.status_indicator == "F" and not crna.requires_hcpcs
    # 0905: not recognized by Medicare until 2023-12-31, recognized from 2024-01-01
    before = procedure.revenue_code("0905", on="2023-12-31")
    after = procedure.revenue_code("0905", on="2024-01-01")
    assert before is not None and before.not_recognized and not before.requires_hcpcs
    assert before.until == dt.date(2023, 12, 31)
    assert after is not None and not after.not_recognized and after.effective == dt.date(2024, 1, 1)
    assert procedure.revenue_code("0457", on="2024-03-01") is None
    for bad, why in (("45A0", "not digits"), ("04500", "5 digits"), ("", "blank")):
        with pytest.raises(InvalidFormat) as err:
            procedure.revenue_code(bad, on="2024-03-01")
        assert err.value.code == "REVENUE_CODE_INVALID"
        assert f"not a revenue code ({why}): NUBC revenue codes are four digits" in str(err.value)
    assert procedure.revenue_coverage() == (dt.date(2019, 7, 1), dt.date(2026, 6, 30))
    late = procedure.revenue_code("0450", on="2027-01-05")
    assert late is not None and not late.covered
    assert late.note == ("2027-01-05 is outside codekit's I/OCE revenue code data (2019-07-01 "
                         "to 2026-06-30): answered as of 2026-06-30, the nearest day it has")


def test_revenue_code_the_ioce_does_not_know() -> None:
    """I/OCE edit 41 (the claim is returned): a revenue code not in the I/OCE's table on
    the date, or one not written as a revenue code; 510 is read as 0510 and passes."""
    r = check(claim("2024-03-01", ["I10"], [ED_VISIT, ("G0463", (), "0457")]))
    assert revenue_findings(r) == [
        ("REVENUE_CODE_INVALID", "error", ("service_lines", 1, "revenue_code"), ("0457",),
         "Line 2: revenue code 0457 is not a revenue code the I/OCE knows on 2024-03-01 "
         "(I/OCE edit 41, the claim is returned): correct the line's revenue code (the NUBC "
         "code of the department that gave the service).")]
    r = check(claim("2024-03-01", ["I10"], [ED_VISIT, ("G0463", (), "45A0")]))
    assert revenue_findings(r) == [
        ("REVENUE_CODE_INVALID", "error", ("service_lines", 1, "revenue_code"), ("45A0",),
         "Line 2: revenue code '45A0' is not a revenue code (not digits): NUBC revenue codes "
         "are four digits (e.g. 0450) (I/OCE edit 41, the claim is returned): write the "
         "line's NUBC revenue code as four digits.")]
    assert revenue_findings(check(claim("2024-03-01", ["I10"],
                                        [ED_VISIT, ("G0463", (), "510")]))) == []


NO_REVENUE = ("Line 2 has no revenue code (I/OCE edit 41, the claim is returned): report the "
              "line's NUBC revenue code (four digits: the code of the department that gave "
              "the service).")


@pytest.mark.parametrize("kind", ["131", "141", "811", "341"])
@pytest.mark.parametrize("rev", [None, "", "  "])
def test_a_line_without_a_revenue_code(kind: str, rev: str | None) -> None:
    """I/OCE edit 41 (the claim is returned): the I/OCE takes a blank revenue code as an
    invalid one, on every path; the claim model makes it optional (an 837I's SV201 is
    required). It was clean."""
    r = check(claim("2024-03-01", ["I10"], [("G0463", (), "0510"), ("G0463", (), rev)],
                    kind=kind))
    assert r.profile == "medicare-outpatient"
    assert revenue_findings(r) == [
        ("REVENUE_CODE_INVALID", "error", ("service_lines", 1, "revenue_code"), (), NO_REVENUE)]


def test_a_line_without_a_revenue_code_where_the_ioce_has_no_path() -> None:
    """No I/OCE path runs on an OPPS claim of a type of bill it edits on non-OPPS claims
    only (851 with the OPPS flag: the I/OCE returns the claim with edit 118 and no line
    edit), nor on professional claims (no revenue codes)."""
    lines = [("G0463", (), "0510"), ("G0463", (), None)]
    r = check(claim("2024-03-01", ["I10"], lines, kind="851", opps=True))
    assert revenue_findings(r) == []
    assert [(f.rule, f.location) for f in r.findings] == [("BILL_TYPE_INVALID", ("bill_type",))]
    assert [f[:3] for f in revenue_findings(check(claim("2024-03-01", ["I10"], lines,
                                                        kind="851", opps=False)))] == [
        ("REVENUE_CODE_INVALID", "error", ("service_lines", 1, "revenue_code"))]
    assert revenue_findings(check(claim("2024-03-01", ["I10"], lines, kind="prof"))) == []


def test_a_missing_sv201_is_said_once_by_the_x12_door() -> None:
    """An 837I revenue line without SV201: pyx12's X12_ELEMENT_MISSING at the revenue code,
    and not REVENUE_CODE_INVALID beside it (one mistake, one finding)."""
    d = claim("2024-03-01", ["I10"], [ED_VISIT, ("G0463", (), None)])
    d.update(claim_id="REV1", total_charge="200",
             patient={"sex": "F", "birth_date": "1950-01-02", "name": "DOE, JANE", "id": "M1"})
    for line in d["service_lines"]:
        line["charge"] = "100"
    # (write_837 refuses a line without its revenue code: SV201 is taken out of the text)
    d["service_lines"][1]["revenue_code"] = "0510"
    text = x12.write_837([Claim.from_dict(d)]).replace("SV2*0510*HC:G0463", "SV2**HC:G0463")
    assert "SV2**HC:G0463*100*UN*1" in text
    [result] = [r for r in x12.check(text.encode()) if r.kind == "claim"]
    assert [(f.rule, f.finding.path, f.location.element) for f in result.findings
            if f.finding.path.startswith("$.service_lines")] == [
        ("X12_ELEMENT_MISSING", "$.service_lines[1].revenue_code", "SV201")]


def test_revenue_code_after_the_last_quarter_says_so() -> None:
    r = check(claim("2027-01-05", ["I10"], [ED_VISIT, ("G0463", (), "0457")]))
    [f] = [f for f in r.findings if f.rule == "REVENUE_CODE_INVALID"]
    assert f.message.startswith(
        "Line 2: revenue code 0457 is not a revenue code the I/OCE knows on 2027-01-05 (as of "
        "2026-06-30, the nearest day codekit's I/OCE data has: 2027-01-05 is outside it) "
        "(I/OCE edit 41")


def test_revenue_code_requires_hcpcs() -> None:
    """I/OCE edit 48 (the claim is returned): a revenue-code-only line whose revenue code
    needs a HCPCS code; not 0250 (packaged, N) nor 0964 (F); not with condition code 89
    on 13x, nor on a critical access hospital claim (85x); on 14x too."""
    r = check(claim("2024-03-01", ["I10"], [ED_VISIT, ("", (), "0450")]))
    assert revenue_findings(r) == [
        ("REVENUE_CODE_REQUIRES_HCPCS", "error", ("service_lines", 1, "procedure_code"),
         ("0450",), "Line 2: revenue code 0450 needs a HCPCS code on outpatient claims on "
         "2024-03-01, and the line has none (I/OCE edit 48, the claim is returned): report "
         "the CPT/HCPCS code of the service on the line.")]
    assert revenue_findings(check(claim("2024-03-01", ["I10"], [
        ED_VISIT, ("", (), "0250"), ("", (), "0964")]))) == []
    assert revenue_findings(check(with_conditions(claim(
        "2024-03-01", ["I10"], [ED_VISIT, ("", (), "0450")]), "89"))) == []
    assert revenue_findings(check(claim("2024-03-01", ["I10"], [
        ("G0463", (), "0510"), ("", (), "0450")], kind="851", opps=False))) == []
    assert [f[:3] for f in revenue_findings(check(claim(
        "2024-03-01", ["I10"], [("G0463", (), "0510"), ("", (), "0450")], kind="141")))] == [
        ("REVENUE_CODE_REQUIRES_HCPCS", "error", ("service_lines", 1, "procedure_code"))]


def test_revenue_code_not_recognized_by_medicare() -> None:
    """I/OCE edit 65 (the line is rejected): 0905 until 2023-12-31; 0500 with or without
    a HCPCS code."""
    r = check(claim("2023-06-01", ["I10"], [ED_VISIT, ("", (), "0905")]))
    assert revenue_findings(r) == [
        ("REVENUE_CODE_NOT_RECOGNIZED", "error", ("service_lines", 1, "revenue_code"),
         ("0905",), "Line 2: revenue code 0905 is not recognized by Medicare on outpatient "
         "claims on 2023-06-01 (I/OCE edit 65, status indicator E1: the line is rejected): "
         "bill the service under the revenue code Medicare recognizes for it, or take the "
         "line off.")]
    assert revenue_findings(check(claim("2024-01-02", ["I10"], [ED_VISIT, ("", (), "0905")]))) == []
    assert [f[:4] for f in revenue_findings(check(claim(
        "2024-03-01", ["I10"], [ED_VISIT, ("G0463", (), "0500")])))] == [
        ("REVENUE_CODE_NOT_RECOGNIZED", "error", ("service_lines", 1, "revenue_code"),
         ("0500",))]


def test_revenue_edits_are_the_outpatient_editors() -> None:
    """Off under medicare-professional and medicare-inpatient (no I/OCE there)."""
    lines = [("99283", (), "0457"), ("", (), "0450"), ("G0463", (), "0500")]
    assert revenue_findings(check(claim("2024-03-01", ["I10"], lines, kind="111"))) == []
    prof = claim("2024-03-01", ["I10"], [("99283", (), None)], kind="prof")
    prof["service_lines"][0]["revenue_code"] = "0457"
    assert revenue_findings(check(prof)) == []


# -- the missing-companion edits: 43, 87, 92, 93 --------------------------------------------------

COMPANION_RULES = ("BLOOD_PROCEDURE_WITHOUT_PRODUCT", "SKIN_SUBSTITUTE_WITHOUT_PRODUCT",
                   "DEVICE_PROCEDURE_WITHOUT_DEVICE", "CORNEA_TISSUE_WITHOUT_TRANSPLANT")


def companion_findings(report: Report) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity.value, f.location, f.codes, f.fix, f.message)
            for f in report.findings if f.rule in COMPANION_RULES]


def test_companion_flags_read_the_ioce_table_of_the_date() -> None:
    """``procedure.ioce_companion_flags``: the I/OCE's HCPCS flags of the four edits on the
    date; 15271 is flagged for high cost products to 2025, as an application from 2026."""
    flags = procedure.ioce_companion_flags
    assert flags("36430", on="2024-03-01") == {"blood_service"}
    assert flags("P9016", on="2024-03-01") == {"blood_product", "packed_red_cells"}
    assert flags("33208", on="2024-03-01") == {"device_procedure"}
    assert flags("63650", on="2024-03-01") == {"device_procedure", "bypass_e92_modifier"}
    assert flags("C1785", on="2024-03-01") == {"device"}
    assert flags("15271", on="2025-12-31") == {"skin_substitute_sg_hi"}
    assert flags("15271", on="2026-01-01") == {"skin_substitute_application_procedure"}
    assert flags("C5271", on="2025-03-03") == {"skin_substitute_sg_lo"}
    assert flags("Q4101", on="2025-03-03") == {"skin_substitute_hi"}
    assert flags("Q4102", on="2025-03-03") == {"skin_substitute_lo"}
    assert flags("V2785", on="2024-03-01") == {"cornea_tissue_processing"}
    assert flags("65710", on="2024-03-01") == {"cornea_transplant"}
    assert flags("99213", on="2024-03-01") == frozenset()
    assert flags("not a code", on="2024-03-01") == frozenset()
    assert flags("33208", on="2027-01-05") == {"device_procedure"}  # as of 2026-06-30


def test_blood_procedure_without_blood_product() -> None:
    """I/OCE edit 43 (the claim is returned): a blood procedure and no blood product on
    the claim; on OPPS claims only, not with condition code 89 on 13x, not on 14x."""
    lines = [ED_VISIT, ("36430", (), "0391")]
    assert companion_findings(check(claim("2024-03-01", ["D64.9"], lines))) == [
        ("BLOOD_PROCEDURE_WITHOUT_PRODUCT", "error", ("service_lines", 1, "procedure_code"),
         ("36430",), (), "Line 2: 36430 is a blood procedure in the I/OCE's HCPCS table on "
         "2024-03-01, and no line of the claim reports a blood product (I/OCE edit 43, the "
         "claim is returned): report the blood product given (its HCPCS code, one the I/OCE "
         "flags as a blood product: e.g. P9010, P9021; codekit's data does not say which "
         "one) on a line of the claim.")]
    assert companion_findings(check(claim("2024-03-01", ["D64.9"], [
        *lines, ("P9016", (), "0390", "2024-03-02")]))) == []  # any day of the claim
    assert companion_findings(check(claim("2024-03-01", ["D64.9"], lines, opps=False))) == []
    assert companion_findings(check(with_conditions(
        claim("2024-03-01", ["D64.9"], lines), "89"))) == []
    assert companion_findings(check(claim("2024-03-01", ["D64.9"], lines, kind="141"))) == []


def test_device_procedure_without_device() -> None:
    """I/OCE edit 92 (the claim is returned): a device-intensive procedure with no device
    code on its day; not with modifier 52/73/74, nor CG on a code flagged to bypass the
    edit (63650; 33208 is not); OPPS claims only."""
    msg = ("Line 1: 33208 is a device-intensive procedure in the I/OCE's HCPCS table on "
           "2024-03-01, and no line of 2024-03-01 reports a device code (I/OCE edit 92, the "
           "claim is returned): report the device implanted (its HCPCS device code, one the "
           "I/OCE flags as a device: e.g. a C-code; codekit's data does not say which one) on "
           "a line of the same date; if the procedure was discontinued or reduced, report it "
           "with modifier 73, 74 or 52.")
    want = [("DEVICE_PROCEDURE_WITHOUT_DEVICE", "error", ("service_lines", 0, "procedure_code"),
             ("33208",), (), msg)]
    assert companion_findings(check(claim("2024-03-01", ["I49.5"],
                                          [("33208", (), "0360")]))) == want
    assert companion_findings(check(claim("2024-03-01", ["I49.5"], [
        ("33208", (), "0360"), ("C1785", (), "0278")]))) == []
    # the device on another day does not count
    assert companion_findings(check(claim("2024-03-01", ["I49.5"], [
        ("33208", (), "0360"), ("C1785", (), "0278", "2024-03-02")]))) == want
    assert companion_findings(check(claim("2024-03-01", ["I49.5"],
                                          [("33208", ("73",), "0360")]))) == []
    assert companion_findings(check(claim("2024-03-01", ["I49.5"], [("33208", (), "0360")],
                                          opps=False))) == []
    assert companion_findings(check(claim("2024-03-01", ["G89.4"],
                                          [("63650", ("CG",), "0360")]))) == []
    assert [f[:4] for f in companion_findings(check(claim(
        "2024-03-01", ["I49.5"], [("33208", ("CG",), "0360")])))] == [
        ("DEVICE_PROCEDURE_WITHOUT_DEVICE", "error", ("service_lines", 0, "procedure_code"),
         ("33208",))]


def test_skin_substitute_application_without_product() -> None:
    """I/OCE edit 87 (the claim is returned): to 2025-12-31 the application for high
    cost products (15271) needs a high cost product on its day (Q4101, not Q4102); from
    2026-01-01 any product of status indicator S1 (Q4102 too). Not with condition code
    41 on 13x."""
    lines = [ED_VISIT, ("15271", (), "0360")]
    assert companion_findings(check(claim("2025-03-03", ["L97.412"], lines))) == [
        ("SKIN_SUBSTITUTE_WITHOUT_PRODUCT", "error", ("service_lines", 1, "procedure_code"),
         ("15271",), (), "Line 2: 15271 is a skin substitute application in the I/OCE's "
         "HCPCS table on 2025-03-03, and no line of 2025-03-03 reports a high cost skin "
         "substitute product (I/OCE edit 87, the claim is returned): report the skin "
         "substitute product applied (its HCPCS code; codekit's data does not say which one) "
         "on a line of the same date.")]
    assert companion_findings(check(claim("2025-03-03", ["L97.412"], [
        *lines, ("Q4101", (), "0636")]))) == []
    assert [f[:4] for f in companion_findings(check(claim("2025-03-03", ["L97.412"], [
        *lines, ("Q4102", (), "0636")])))] == [
        ("SKIN_SUBSTITUTE_WITHOUT_PRODUCT", "error", ("service_lines", 1, "procedure_code"),
         ("15271",))]
    assert companion_findings(check(claim("2026-03-02", ["L97.412"], lines))) == [
        ("SKIN_SUBSTITUTE_WITHOUT_PRODUCT", "error", ("service_lines", 1, "procedure_code"),
         ("15271",), (), "Line 2: 15271 is a skin substitute application in the I/OCE's "
         "HCPCS table on 2026-03-02, and no line of 2026-03-02 reports a skin substitute "
         "product, a code of status indicator S1 then (I/OCE edit 87, the claim is "
         "returned): report the skin substitute product applied (its HCPCS code; codekit's "
         "data does not say which one) on a line of the same date.")]
    assert companion_findings(check(claim("2026-03-02", ["L97.412"], [
        *lines, ("Q4102", (), "0636")]))) == []
    assert companion_findings(check(with_conditions(
        claim("2025-03-03", ["L97.412"], lines), "41"))) == []


def test_cornea_tissue_without_transplant() -> None:
    """I/OCE edit 93 (the line is rejected): cornea tissue processing (V2785) with no
    cornea transplant on its day; a non-covered transplant (65767, E1) does not count."""
    assert companion_findings(check(claim("2024-03-01", ["H18.601"], [
        ED_VISIT, ("V2785", (), "0360")]))) == [
        ("CORNEA_TISSUE_WITHOUT_TRANSPLANT", "error", ("service_lines", 1, "procedure_code"),
         ("V2785",), (), "Line 2: V2785 is cornea tissue processing in the I/OCE's HCPCS "
         "table on 2024-03-01, and no line of 2024-03-01 reports a cornea transplant (I/OCE "
         "edit 93, the line is rejected): report the cornea transplant procedure (e.g. 65710 "
         "or 65730; codekit's data does not say which one) on a line of the same date, or "
         "take the line off.")]
    assert companion_findings(check(claim("2024-03-01", ["H18.601"], [
        ("65710", (), "0360"), ("V2785", (), "0360")]))) == []
    [f] = companion_findings(check(claim("2024-03-01", ["H18.601"], [
        ED_VISIT, ("65767", (), "0360"), ("V2785", (), "0360")])))
    assert f[2] == ("service_lines", 2, "procedure_code")
    assert "reports a cornea transplant the I/OCE accepts (it denies or rejects 65767 on " \
        "line 2 first) (I/OCE edit 93, the line is rejected)" in f[5]
    # a transplant under a revenue code Medicare does not recognize (0500: edit 65) is
    # rejected first too; under 0360 it counts
    [f] = companion_findings(check(claim("2024-03-01", ["H18.601"], [
        ED_VISIT, ("65710", (), "0500"), ("V2785", (), "0360")])))
    assert "(it denies or rejects 65710 on line 2 first)" in f[5]


def test_companion_edits_are_the_outpatient_editors() -> None:
    """Off under medicare-professional and medicare-inpatient (no I/OCE there)."""
    lines = [("33208", (), "0360"), ("36430", (), "0391"), ("V2785", (), "0360")]
    assert companion_findings(check(claim("2024-03-01", ["I49.5"], lines, kind="111"))) == []
    assert companion_findings(check(claim("2024-03-01", ["I49.5"], lines, kind="prof"))) == []
    assert len(companion_findings(check(claim("2024-03-01", ["I49.5"], lines)))) == 3


# -- edit 99: a drug on a claim without an OPPS payable procedure --------------------------------
# (an infusion department's probe of 2026-12-07: J9035 alone on a 131 was clean; the I/OCE
# returns it with edit 99. pyoce 0.1.0 agrees on each claim below: the KNOWN_99 claims of
# tests/test_ioce_crosscheck.py)

DRUG_99 = "DRUG_WITHOUT_PAYABLE_PROCEDURE"


def drug_claim(day: str, lines: list[tuple[Any, ...]], units: tuple[int, ...], *,
               kind: str = "131", opps: bool | None = None, dx: str = "C18.9"
               ) -> dict[str, Any]:
    d = claim(day, [dx], lines, kind=kind, opps=opps)
    for ln, u in zip(d["service_lines"], units, strict=True):
        ln["units"] = u
    return d


def test_a_drug_without_a_payable_procedure() -> None:
    report = check(drug_claim("2024-08-12", [("J9035", (), "0636")], (40,)))
    (f,) = [f for f in report.findings if f.rule == DRUG_99]
    assert (f.severity.value, f.location, f.codes, f.fix) == (
        "error", ("service_lines", 0, "procedure_code"), ("J9035",), ())
    status = procedure.resolve("J9035", on="2024-08-12").entry.status_description
    assert status is not None and status.startswith("Nonpass-Through Drugs")
    assert f.message == (
        f"Line 1: J9035 has status indicator K ({status}) on 2024-08-12, a separately payable "
        "drug or biological, and no line of the claim is an OPPS payable procedure (status "
        "indicator J1, J2, P, Q1-Q3, S, T or V: the drug's administration, a visit...) "
        "(I/OCE edit 99, the claim is returned): report the service the drug was given "
        "with (its administration, e.g. 96413, 96365, 96372) on the claim.")


@pytest.mark.parametrize(("day", "lines", "units", "kind", "at"), [
    ("2024-08-12", [("36415", (), "0300"), ("J9035", (), "0636")], (1, 40), "131", [1]),
    ("2024-08-12", [("J1100", (), "0636"), ("J9035", (), "0636")], (4, 40), "131", [1]),
    ("2024-08-12", [("J9035", (), "0636")], (40,), "121", [0]),
    ("2026-03-02", [("J9035", (), "0636")], (40,), "131", [0]),
    ("2025-03-03", [("Q5107", (), "0636")], (40,), "131", [0]),  # a biosimilar
])
def test_drug_lines_without_a_payable_procedure(day: str, lines: list[tuple[Any, ...]],
                                                units: tuple[int, ...], kind: str,
                                                at: list[int]) -> None:
    report = check(drug_claim(day, lines, units, kind=kind))
    assert [f.location[1] for f in report.findings if f.rule == DRUG_99] == at


@pytest.mark.parametrize(("lines", "units", "kind", "opps", "dx"), [
    ([("96413", (), "0335"), ("J9035", (), "0636")], (1, 40), "131", None, "C18.9"),
    ([("J9035", (), "0636")], (40,), "131", False, "C18.9"),     # not OPPS
    ([("J7192", (), "0636")], (1000,), "131", None, "D66"),      # bypass_e99: a factor
    ([("J2506", (), "0636")], (6,), "131", None, "C18.9"),       # bypass_e99: pegfilgrastim
    ([("J9035", (), "0636")], (40,), "prof", None, "C18.9"),     # a practitioner's claim
    # not judged: a blood product (R) the CMS description counts as payable, the port not
    ([("P9016", (), "0390"), ("J9035", (), "0636")], (1, 40), "131", None, "C18.9"),
])
def test_drug_lines_not_judged_by_edit_99(lines: list[tuple[Any, ...]], units: tuple[int, ...],
                                          kind: str, opps: bool | None, dx: str) -> None:
    report = check(drug_claim("2024-08-12", lines, units, kind=kind, opps=opps, dx=dx))
    assert [f for f in report.findings if f.rule == DRUG_99] == []


def test_edit_99_is_not_run_with_condition_code_89() -> None:
    d = drug_claim("2024-08-12", [("J9035", (), "0636")], (40,))
    d["condition_codes"] = ["89"]
    assert [f for f in check(d).findings if f.rule == DRUG_99] == []


def test_the_bypass_e99_flag_is_bundled() -> None:
    assert "bypass_e99" in procedure.ioce_companion_flags("J7192", on="2024-08-12")
    assert "bypass_e99" in procedure.ioce_companion_flags("J2506", on="2024-08-12")
    assert "bypass_e99" not in procedure.ioce_companion_flags("J9035", on="2024-08-12")


# -- the I/OCE's paths: home health (34x), condition code 07 ------------------------------------

IOCE_STATUS = (*STATUS_RULES, *REVENUE_RULES, *COMPANION_RULES)


def ioce_status(report: Report) -> list[tuple[str, int]]:
    """(rule, line) of the findings of ``codekit.rules.ioce_status``."""
    return [(f.rule, int(f.location[1])) for f in report.findings if f.rule in IOCE_STATUS]


def test_the_ioce_claim_flags_of_the_home_health_and_cc07_paths() -> None:
    """The codes whose I/OCE flags choose the paths, from the bundled I/OCE HCPCS flags
    (``data/procedures/ioce_companion.ckt``, built from the I/OCE's table) on the line's
    date: 34 cast, 7 splint, 10 antigen codes; negative pressure wound therapy to the
    I/OCE version of 2023-10-01."""
    flags = procedure.ioce_companion_flags
    assert [sorted(flags(c, on="2024-03-01")) for c in ("29075", "29105", "95165")] == [
        ["cast"], ["splint"], ["antigen"]]
    assert [sorted(flags(c, on=d)) for c, d in (("97607", "2023-12-31"),
                                                ("97608", "2023-12-31"),
                                                ("97607", "2024-01-01"))] == [
        ["negative_pressure_wound_therapy"], ["negative_pressure_wound_therapy"], []]
    counted = {"cast": 0, "splint": 0, "antigen": 0}
    for code in [f"{n:05d}" for n in range(29000, 29800)] + [f"{n}" for n in range(95144, 95200)]:
        for flag in flags(code, on="2024-03-01") & counted.keys():
            counted[flag] += 1
    assert counted == {"cast": 34, "splint": 7, "antigen": 10}
    assert "vaccine" in procedure.resolve("90471", on="2024-03-01").entry.flags  # type: ignore[union-attr]


@pytest.mark.parametrize(("day", "other", "opps", "fires"), [
    ("2024-03-01", ("90471", (), "0771"), None, True),    # a vaccine administration
    ("2024-03-01", ("29075", (), "0360"), None, True),    # a cast
    ("2024-03-01", ("95165", (), "0300"), None, True),    # an antigen
    ("2022-03-01", ("97607", (), "0420"), None, True),    # wound therapy, to 2023-12-31
    ("2024-03-01", ("97607", (), "0420"), None, False),   # no longer flagged
    ("2024-03-01", ("G0463", (), "0510"), None, False),   # none of them
    ("2024-03-01", ("90471", (), "0771"), False, False),  # not OPPS
])
def test_blood_procedure_on_a_home_health_claim(day: str, other: tuple[Any, ...],
                                                opps: bool | None, fires: bool) -> None:
    """I/OCE edit 43 on type of bill 34x: only on an OPPS claim with a vaccine, antigen,
    cast, splint or negative pressure wound therapy code (the OPPS branch of the 34x path,
    pyoce ``BillType34xLogicPath``). It never fired on 34x."""
    r = check(claim(day, ["D64.9"], [("36430", (), "0391"), other], kind="341", opps=opps))
    assert [f for f in ioce_status(r) if f[0] == "BLOOD_PROCEDURE_WITHOUT_PRODUCT"] == (
        [("BLOOD_PROCEDURE_WITHOUT_PRODUCT", 0)] if fires else [])


def test_the_home_health_path_runs_edits_28_and_62_on_its_opps_branch_only() -> None:
    """34x: edits 28 and 62 with a vaccine, antigen, cast, splint or wound therapy code on
    an OPPS claim; edit 61 never (its path has no DME step)."""
    lines = [("99243", (), "0510"), ("80320", (), "0300"), ("E0601", (), "0290")]
    assert ioce_status(check(claim("2024-03-01", ["I10"], lines, kind="341"))) == []
    assert ioce_status(check(claim("2024-03-01", ["I10"], [*lines, ("29075", (), "0360")],
                                   kind="341"))) == [
        ("PROC_NOT_RECOGNIZED_BY_MEDICARE", 0), ("PROC_NOT_RECOGNIZED_BY_OPPS", 1)]


CC07_LINES = [("99243", (), "0510"), ("80320", (), "0300"), ("E0601", (), "0290"),
              ("", (), "0450"), ("36430", (), "0391"), ("29075", (), "0360")]


def test_condition_code_07_path() -> None:
    """An OPPS claim of 22x, 23x, 32x, 72x, 74x, 75x, 81x or 82x with condition code 07
    and an antigen, cast or splint code takes the I/OCE's CC07 path: edits 28, 43 and 62
    (not on 22x, 23x) run there, 48 and 61 do not. Home health (32x) without it: 48 alone
    (its path has no edits 28, 61, 62)."""
    cc07 = with_conditions(claim("2024-03-01", ["I10"], CC07_LINES, kind="321"), "07")
    assert ioce_status(check(cc07)) == [
        ("PROC_NOT_RECOGNIZED_BY_MEDICARE", 0), ("PROC_NOT_RECOGNIZED_BY_OPPS", 1),
        ("BLOOD_PROCEDURE_WITHOUT_PRODUCT", 4)]
    assert ioce_status(check(claim("2024-03-01", ["I10"], CC07_LINES, kind="321"))) == [
        ("REVENUE_CODE_REQUIRES_HCPCS", 3)]
    # 22x (SNF inpatient Part B): 28 and 43, not 62; without 07: 28, 48, 61
    snf = with_conditions(claim("2024-03-01", ["I10"], CC07_LINES, kind="221"), "07")
    assert ioce_status(check(snf)) == [
        ("PROC_NOT_RECOGNIZED_BY_MEDICARE", 0), ("BLOOD_PROCEDURE_WITHOUT_PRODUCT", 4)]
    assert ioce_status(check(claim("2024-03-01", ["I10"], CC07_LINES, kind="221"))) == [
        ("PROC_NOT_RECOGNIZED_BY_MEDICARE", 0), ("PROC_DME_MAC_ONLY", 2),
        ("REVENUE_CODE_REQUIRES_HCPCS", 3)]


def test_condition_code_07_needs_opps_and_an_antigen_cast_or_splint() -> None:
    """A vaccine does not send a claim down the CC07 path (only the 34x branch), nor does
    a non-OPPS claim; 13x with 07 keeps its own path."""
    vaccine = [*CC07_LINES[:5], ("90471", (), "0771")]
    for d in (with_conditions(claim("2024-03-01", ["I10"], vaccine, kind="321"), "07"),
              with_conditions(claim("2024-03-01", ["I10"], CC07_LINES, kind="321",
                                    opps=False), "07")):
        assert ioce_status(check(d)) == [("REVENUE_CODE_REQUIRES_HCPCS", 3)], d
    d = with_conditions(claim("2024-03-01", ["D64.9"], [ED_VISIT, ("36430", (), "0391")]),
                        "07")
    assert ioce_status(check(d)) == [("BLOOD_PROCEDURE_WITHOUT_PRODUCT", 1)]


def test_device_procedure_with_condition_code_89() -> None:
    """I/OCE edit 92 on 13x: not with condition code 89 (its 13x path leaves the step out,
    as for 43; its 12x path keeps it). It fired."""
    assert ioce_status(check(with_conditions(
        claim("2024-03-01", ["I49.5"], [("33208", (), "0360")]), "89"))) == []
    assert ioce_status(check(with_conditions(
        claim("2024-03-01", ["I49.5"], [("33208", (), "0360")], kind="121"), "89"))) == [
        ("DEVICE_PROCEDURE_WITHOUT_DEVICE", 0)]


BILATERAL_RULES = ("BILATERAL_REPEATED", "BILATERAL_UNITS_WITH_50", "MOD_TERMINATED_MULTIPLE")


@pytest.mark.parametrize(("kind", "conditions", "fires"), [
    ("131", (), BILATERAL_RULES), ("131", ("89",), ()),
    ("121", ("89",), BILATERAL_RULES),
    ("141", (), ("BILATERAL_UNITS_WITH_50", "MOD_TERMINATED_MULTIPLE")),
    ("321", (), ()), ("341", (), ()),
    ("851", (), ("BILATERAL_REPEATED", "MOD_TERMINATED_MULTIPLE")),
])
def test_the_bilateral_edits_run_on_the_ioce_paths_that_run_them(
        kind: str, conditions: tuple[str, ...], fires: tuple[str, ...]) -> None:
    """I/OCE edits 17 (an inherently bilateral code twice), 74 (modifier 50 with 2 units)
    and 37 (modifier 52 with 2 units) on the I/OCE paths that run them, as the I/OCE
    decides each of these claims (``tests/test_ioce_crosscheck.py``, ``KNOWN``): 12x even
    with condition code 89, which takes 13x off; 14x not 17; home health (32x, 34x
    without a vaccine, antigen, cast, splint or wound therapy code) none; 85x edits 74
    under a professional-fee revenue code only."""
    opps = kind != "851"
    claims = {
        "BILATERAL_REPEATED": claim("2024-03-01", ["H61.23"], [
            ("69210", (), "0510"), ("69210", (), "0510")], kind=kind, opps=opps),
        "BILATERAL_UNITS_WITH_50": units(claim("2024-03-01", ["M17.0"], [
            ("20610", ("50",), "0510")], kind=kind, opps=opps), 2),
        "MOD_TERMINATED_MULTIPLE": units(claim("2024-03-01", ["M17.0"], [
            ("20610", ("52",), "0510")], kind=kind, opps=opps), 2)}
    got = [rule for rule, d in claims.items() if rule in {
        f.rule for f in check(with_conditions(d, *conditions)).findings}]
    assert got == list(fires)


# -- edit 118 (and 46): the type of bill the I/OCE returns before any other edit ------------------

BILL = "BILL_TYPE_INVALID"
PHP_LINES = [("G0410", (), "0915"), ("93000", (), "0730")]  # 93000: edit 72 where edits run
ECG_LINE = ("93000", (), "0730")


def bill_findings(report: Report) -> list[tuple[str, str, tuple[Any, ...], tuple[str, ...]]]:
    """(rule, severity, location, codes) of every finding but the notices."""
    return [(f.rule, f.severity.value, f.location, f.codes) for f in report.findings]


def test_a_cmhc_claim_without_its_program_condition_code_is_returned() -> None:
    """I/OCE edit 118 from 2024-01-01 (version 94, the claim's first day): a community
    mental health center claim (761) without condition code 41 (partial hospitalization)
    or 92 (intensive outpatient program) is returned and no other edit runs: 93000 (edit
    72) is not reported. It failed before: codekit took the 76x path and reported edit 72
    alone."""
    d = claim("2024-03-01", ["F33.1"], PHP_LINES, kind="761")
    r = check(d)
    assert r.profile == "medicare-outpatient"
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), ("761",))]
    assert r.findings[0].message == (
        "Type of bill 761 (community mental health center) without condition code 41 or 92 "
        "on a claim from 2024-03-01 (I/OCE edit 118, the claim is returned; from 2024-01-01 "
        "a CMHC bills partial hospitalization, condition code 41, or an intensive outpatient "
        "program, condition code 92, on 76x): report the program's condition code.")
    edit_72 = [("PROC_NOT_BILLABLE_TO_MAC", "error", ("service_lines", 1, "procedure_code"),
                ("93000",))]
    for codes in (("41",), ("92",)):
        assert bill_findings(check(with_conditions(d, *codes))) == edit_72
    # before version 94: the 76x path, no edit 118 (the claim's first day decides)
    before = claim("2023-12-29", ["F33.1"], PHP_LINES, kind="761")
    assert bill_findings(check(before)) == edit_72
    assert bill_findings(check({**before, "date_of_service": "2024-01-02",
                                "statement_period": ["2023-12-29", "2024-01-02"]})) == edit_72
    assert bill_findings(check({**d, "statement_period": ["2024-01-01", "2024-03-01"]})) \
        == [(BILL, "error", ("bill_type",), ("761",))]
    # the professional and inpatient profiles have no such edit
    assert [f.rule for f in check({**d, "bill_type": "0111"}).findings if f.rule == BILL] == []


def test_partial_hospitalization_on_a_hospital_claim_of_12x_or_14x() -> None:
    """Condition code 41 on 12x or 14x: edit 46 to 2023-12-31, 118 from 2024-01-01; the
    I/OCE runs no other edit either way (a hospital bills partial hospitalization on 13x).
    On 43x edit 46 too, and the I/OCE goes on; on 13x nothing. It failed before: codekit
    ran the paths (edits 72, 43, 17)."""
    lines = [("G0463", (), "0510"), ("93000", (), "0730"), ("36430", (), "0391")]
    for kind in ("121", "141"):
        r = check(with_conditions(claim("2024-03-01", ["F33.1"], lines, kind=kind), "41"))
        assert bill_findings(r) == [(BILL, "error", ("bill_type",), (kind,))], kind
        assert r.findings[0].message == (
            f"Type of bill {kind} (hospital) with condition code 41 (partial "
            "hospitalization) on a claim from 2024-03-01 (I/OCE edit 118, the claim is "
            "returned; a hospital bills partial hospitalization on type of bill 13x): bill "
            "the program on 13x, or take condition code 41 off.")
    twice = claim("2023-12-29", ["F33.1"], [("G0463", (), "0510"), ("69210", (), "0510")],
                  kind="121")
    twice["service_lines"][1]["units"] = 2  # edit 17's trigger, were the path run
    r = check(with_conditions(twice, "41"))
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), ("121",))]
    assert r.findings[0].message == (
        "Type of bill 121 with condition code 41 (partial hospitalization) (I/OCE edit 46, "
        "the claim is returned: partial hospitalization is not billed on this type of "
        "bill; a hospital bills it on 13x): bill the program on 13x, or take condition code "
        "41 off.")
    r = check(with_conditions(claim("2024-03-01", ["F33.1"], PHP_LINES, kind="431"), "41"))
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), ("431",))]
    assert r.findings[0].message == (
        "Type of bill 431 with condition code 41 (partial hospitalization) (I/OCE edit 46, "
        "the claim is returned: partial hospitalization is not billed on this type of "
        "bill): take condition code 41 off.")
    assert [f.rule for f in check(with_conditions(
        claim("2024-03-01", ["F33.1"], PHP_LINES, kind="131"), "41")).findings] == [
        "PROC_NOT_BILLABLE_TO_MAC"]


def test_a_type_of_bill_the_ioce_edits_for_the_other_kind_of_provider() -> None:
    """Edit 118 on a type of bill the I/OCE takes from non-OPPS providers only (851) on an
    OPPS claim, or from OPPS providers only (761) on a non-OPPS claim; an unknown OPPS flag
    is no conflict."""
    r = check(claim("2024-03-01", ["I10"], [("93000", (), "0730")], kind="851", opps=True))
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), ("851",))]
    assert r.findings[0].message == (
        "Type of bill 851 on an OPPS claim: the I/OCE edits type of bill 85x for non-OPPS "
        "providers only (I/OCE edit 118, the claim is returned): correct the type of bill, "
        "or the claim's OPPS flag.")
    r = check(with_conditions(claim("2024-03-01", ["F33.1"], PHP_LINES, kind="761",
                                    opps=False), "41"))
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), ("761",))]
    assert "on a non-OPPS claim: the I/OCE edits type of bill 76x for OPPS providers" in \
        r.findings[0].message
    assert [f.rule for f in check(claim("2024-03-01", ["I10"], [("93000", (), "0730")],
                                        kind="851")).findings] == ["PROC_NOT_BILLABLE_TO_MAC"]


def test_coding_errors_are_still_reported_on_a_returned_claim() -> None:
    """The I/OCE stops at edit 118; codekit reports every coding error of the claim beside
    it (the cross-check's category "claim stopped by edit 118"), as with edit 27."""
    r = check(with_conditions(claim("2024-03-01", ["F02.80", "G30.9"], [
        ("G0463", (), "0510"), ("93000", (), "0730")], kind="121"), "41"))
    assert [(f.rule, f.location) for f in r.findings] == [
        ("DX_MANIFESTATION_FIRST_LISTED", ("diagnoses", 0)), (BILL, ("bill_type",))]


@pytest.mark.parametrize("written", [" 41", "41 ", " 41 ", "41\t"])
def test_a_condition_code_with_spaces_around_it_is_the_code(written: str) -> None:
    """A condition code as a fixed-width 837 element or a CSV cell may carry it (" 41",
    "41 "): the claim model strips it (the I/OCE trims it too), so a CMHC claim (761)
    with partial hospitalization is not returned by edit 118 and a 121 with it is. It
    failed before: " 41" was not "41", a false BILL_TYPE_INVALID on 761 and a miss on 121."""
    d = with_conditions(claim("2024-03-01", ["F33.1"], PHP_LINES, kind="761"), written)
    assert Claim.from_dict(d).condition_codes == ("41",)
    assert bill_findings(check(d)) == [
        ("PROC_NOT_BILLABLE_TO_MAC", "error", ("service_lines", 1, "procedure_code"),
         ("93000",))]
    d = with_conditions(claim("2024-03-01", ["F33.1"], PHP_LINES, kind="121"), written)
    assert bill_findings(check(d)) == [(BILL, "error", ("bill_type",), ("121",))]


def test_the_claim_model_strips_condition_codes_however_it_is_made() -> None:
    """One place: the ``Claim`` field itself (what every door builds), not each reader."""
    c = Claim.from_dict(with_conditions(claim("2024-03-01", ["I10"], [ECG_LINE]), " 07", "G0 "))
    assert c.condition_codes == ("07", "G0")
    assert attrs.evolve(c, condition_codes=[" 92"]).condition_codes == ("92",)
    assert Claim.from_dict(c.to_dict()) == c and c.to_dict()["condition_codes"] == ["07", "G0"]


@pytest.mark.parametrize(("day", "edit"), [
    ("2022-03-01", 46), ("2023-06-01", 46), ("2023-12-29", 46), ("2024-01-01", 118),
    ("2024-03-01", 118), ("2025-06-02", 118)])
@pytest.mark.parametrize("kind", ["121", "141"])
def test_partial_hospitalization_on_12x_or_14x_is_edit_46_before_2024_and_118_after(
        day: str, edit: int, kind: str) -> None:
    """Condition code 41 on 12x or 14x: the claim is returned whatever the year, by edit 46
    (``ConditionCode41NotAllowedLogic``, on the 12x and 14x paths) through 2023-12-31 and
    by edit 118 (``ValidateBillType``, version 94 on) from 2024-01-01, as pyoce 0.1.0 does
    on each of these dates (``tests/test_ioce_crosscheck.py``, ``KNOWN``)."""
    r = check(with_conditions(claim(day, ["F33.1"], [("G0463", (), "0510"), ECG_LINE],
                                    kind=kind), "41"))
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), (kind,))]
    assert f"(I/OCE edit {edit}, the claim is returned" in r.findings[0].message


#: An emergency visit (a separately paid line) and 93000 (status M: edit 72 wherever the
#: I/OCE's path edits run), on 2025-03-03: the claim of a payment-integrity review's bill-type
#: probes.
PROBE_LINES = [("99283", (), "0450"), ECG_LINE]
EDIT_72 = [("PROC_NOT_BILLABLE_TO_MAC", "error", ("service_lines", 1, "procedure_code"),
            ("93000",))]
OUTPATIENT = Checker(profile="medicare-outpatient", policies=())


@pytest.mark.parametrize(("written", "codes"), [
    ("", ()), ("   ", ()), ("0", ("0",)), ("13", ("13",)), ("13 ", ("13",)),
    ("A31", ("A31",)), ("1X1", ("1X1",)), ("999", ("999",)), ("1311", ("1311",)),
    ("091", ("091",))])
def test_a_type_of_bill_that_is_not_one_is_returned(written: str,
                                                    codes: tuple[str, ...]) -> None:
    """A type of bill that is not one (blank, not three characters after the UB-04's
    leading zero, not two digits first, type of facility 0 or 9): the I/OCE returns the
    claim with edit 118 (``ValidateBillType``) and runs no other edit, as pyoce 0.1.0 does
    on each (``tests/test_ioce_crosscheck.py``, ``KNOWN``). The payer routing sends such a
    claim to medicare-outpatient (no notice: it is no type of bill at all); 93000's edit
    72 is not reported. It failed before: no finding but edit 72 (the claim was taken as
    13x; "1X1", "A31" and "999" with the notice that no CMS editor takes them)."""
    d = claim("2025-03-03", ["R07.9"], PROBE_LINES, kind=written)
    for r in (check(d), OUTPATIENT.check(Claim.from_dict(d))):
        assert r.profile == "medicare-outpatient"
        assert bill_findings(r) == [(BILL, "error", ("bill_type",), codes)]
        assert r.notices == ()


def test_the_message_of_a_type_of_bill_that_is_not_one() -> None:
    """What is wrong, what a type of bill is, the edit, what to do."""
    said = {w: check(claim("2025-03-03", ["R07.9"], PROBE_LINES, kind=w)).findings[0].message
            for w in ("1X1", "", "13 ", "999")}
    assert said["1X1"] == (
        "Type of bill 1X1 does not start with two digits (the type of facility and the bill "
        "classification): a type of bill is three characters, the type of facility, the "
        "bill classification and the frequency, e.g. 131 (UB-04 FL4, whose leading zero "
        "codekit drops: 0131 is 131; 837I CLM05-1 and CLM05-3) (I/OCE edit 118, the claim "
        "is returned): report the claim's type of bill.")
    assert said[""].startswith("The type of bill is blank: a type of bill is three")
    assert said["13 "].startswith("Type of bill '13 ' has 2 characters, not 3: ")
    assert said["999"].startswith("Type of bill 999 starts with 9, a type of facility the "
                                  "NUBC reserves for national assignment (none in use): ")


@pytest.mark.parametrize("written", ["0131", "131", "131 ", " 131", "13A", "130", None])
def test_a_type_of_bill_read_as_13x_is_not_returned(written: str | None) -> None:
    """The UB-04's four-character form (0131), spaces around it, any frequency: 13x, as
    the I/OCE reads them (pyoce takes ``0131`` as four characters and returns it: its
    input is the three, which codekit's reading gives it). A claim without a type of bill
    is taken as 13x, as before: 93000's edit 72 alone."""
    d = claim("2025-03-03", ["R07.9"], PROBE_LINES)
    if written is None:
        del d["bill_type"]
    else:
        d["bill_type"] = written
    assert bill_findings(check(d)) == EDIT_72


@pytest.mark.parametrize("written", ["181", "191", "211", "311", "331", "351", "391", "411",
                                     "611", "791", "861"])
def test_a_type_of_bill_the_ioce_has_no_path_for(written: str) -> None:
    """A type of bill whose first two digits the I/OCE processes on no path (a swing bed,
    18x; a skilled nursing facility's inpatient claim, 21x; a religious nonmedical
    institution, 41x; 79x, 86x; the payment-integrity review's 19x, 31x, 33x, 35x, 39x, 61x): under
    medicare-outpatient chosen for every claim, the I/OCE returns it (edit 118) and runs no
    other edit. Routed
    by its payer, the claim keeps the notice that no CMS editor takes the type of bill (a
    skilled nursing facility's claim is its own payment system's, not one the I/OCE
    returns) and no I/OCE edit judges it: no BILL_TYPE_INVALID, and no edit 72 on 93000 (it
    was judged as 13x until 2026-12-06: edit 72). It failed before under medicare-outpatient: edit
    72 alone."""
    d = claim("2025-03-03", ["R07.9"], PROBE_LINES, kind=written)
    r = OUTPATIENT.check(Claim.from_dict(d))
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), (written,))]
    assert r.findings[0].message == (
        f"Type of bill {written}: the I/OCE processes types of bill 12x-14x, 22x, 23x, 32x, "
        "34x, 43x, 71x-78x, 81x-85x, 87x and 89x only, not "
        f"{written[:2]}x (I/OCE edit 118, the claim is returned): correct the type of bill; "
        "if it is right, CMS does not run the I/OCE on the claim, so check it under a "
        "profile of its own payment system.")
    routed = check(d)
    assert routed.profile == "medicare-outpatient"
    assert bill_findings(routed) == []
    assert [n.code for n in routed.notices] == ["BILL_TYPE_NOT_EDITED_BY_CMS"]


@pytest.mark.parametrize("written", ["111", "0111", "117"])
def test_an_inpatient_type_of_bill_under_the_outpatient_profile(written: str) -> None:
    """A hospital inpatient claim (11x) judged under medicare-outpatient chosen for every
    claim: the I/OCE processes no 11x claim (edit 118); the report says to check it under
    medicare-inpatient. Routed by its payer it goes to medicare-inpatient, which has no
    such edit. It failed before: no finding (every I/OCE rule skipped an 11x claim)."""
    d = claim("2025-03-03", ["R07.9"], PROBE_LINES, kind=written)
    if written == "117":  # a replacement names the claim it corrects
        d["corrected_claim_id"] = "PCN0001234"
    r = OUTPATIENT.check(Claim.from_dict(d))
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), (written,))]
    assert r.findings[0].message == (
        f"Type of bill {written} is a hospital inpatient claim (11x), which CMS edits with "
        "the MCE; the I/OCE processes no 11x claim (I/OCE edit 118, the claim is returned): "
        "check it under medicare-inpatient, or, if it is an outpatient claim, correct the "
        "type of bill.")
    routed = check(d)
    assert routed.profile == "medicare-inpatient"
    assert BILL not in [f.rule for f in routed.findings]


def test_011_is_no_type_of_bill_to_the_ioce_and_11x_to_the_routing() -> None:
    """``011`` (three characters, type of facility 0): no type of bill to the I/OCE (edit
    118, as pyoce says); the payer routing reads a type of bill without its leading zeros
    (``Claim.is_inpatient``), so it sends the claim to medicare-inpatient, where no I/OCE
    edit runs (documented in the catalog, BILL_TYPE_INVALID)."""
    d = claim("2025-03-03", ["R07.9"], PROBE_LINES, kind="011")
    r = OUTPATIENT.check(Claim.from_dict(d))
    assert bill_findings(r) == [(BILL, "error", ("bill_type",), ("011",))]
    assert r.findings[0].message.startswith(
        "Type of bill 011 starts with 0, which is no type of facility: ")
    assert check(d).profile == "medicare-inpatient"


def test_a_professional_claim_under_the_outpatient_profile_has_no_type_of_bill_edit() -> None:
    """A professional claim has no type of bill: the edit is not about it (the report says
    the profile does not fit it: ``PROFILE_CLAIM_MISMATCH``)."""
    d = claim("2025-03-03", ["R07.9"], [("99283", (), "0450")], kind="prof")
    d["bill_type"] = "1X1"
    r = OUTPATIENT.check(Claim.from_dict(d))
    assert BILL not in [f.rule for f in r.findings]
    assert [n.code for n in r.notices] == ["PROFILE_CLAIM_MISMATCH"]


def test_two_emergency_department_visits_on_a_hospital_claim() -> None:
    """99284 and 99283 on one date of a 131 claim (the hospital PTP table, indicator 1):
    visits of one kind, reported as one visit, or as distinct encounters with 27 (the
    hospital's modifier for them); no modifier fix. It was "append 25" (the physician's
    modifier), fix 25, with the physician's manual cited."""
    d = claim("2024-03-01", ["S01.01XA", "R10.9"], [("99284", (), "0450"),
                                                    ("99283", (), "0450")])
    r = check(d)
    assert [(f.rule, f.location, f.fix) for f in r.findings] == [
        ("NCCI_PTP_CONFLICT", ("service_lines", 1, "procedure_code"), ())]
    assert r.findings[0].message.endswith(
        "99284 and 99283 are visits of one kind (99281-99285) on one date: report them as "
        "one visit (remove line 2), or, if they were distinct encounters, append 27 to 99283 "
        "(multiple outpatient hospital E/M encounters on the same date).")
    d["service_lines"][1]["modifiers"] = ["27"]
    assert check(d).findings == ()


# -- edit 124: a code valid only during the public health emergency ------------------------------

PHE = "PROC_VALID_ONLY_DURING_PHE"


def test_the_phe_only_codes_are_the_ioce_flags() -> None:
    """The I/OCE's ``cms_mid_quarter_termination`` flag, bundled with the companion flags
    (``data/procedures/ioce_companion.ckt``): six codes from version 23.2 (2022-07-01), to
    2023-06-30 but K1034."""
    flag = "cms_mid_quarter_termination"
    for code in ("G2023", "G2024", "K1034", "U0003", "U0004", "U0005"):
        assert flag in procedure.ioce_companion_flags(code, on="2023-06-01"), code
        assert flag not in procedure.ioce_companion_flags(code, on="2022-06-30"), code
    assert flag not in procedure.ioce_companion_flags("U0003", on="2023-07-01")
    assert flag in procedure.ioce_companion_flags("K1034", on="2024-03-01")
    assert flag not in procedure.ioce_companion_flags("87635", on="2023-06-01")


def test_a_phe_only_code_after_the_emergency_returns_the_claim() -> None:
    """I/OCE edit 124: U0003 on 2023-06-01, after the PHE ended (2023-05-11), while the
    code is still in the HCPCS file (to 2023-06-30). It failed before: no finding."""
    lines = [("99283", (), "0450"), ("U0003", (), "0300")]
    r = check(claim("2023-06-01", ["Z20.822"], lines))
    assert bill_findings(r) == [(PHE, "error", ("service_lines", 1, "procedure_code"),
                                 ("U0003",))]
    assert r.findings[0].message == (
        "Line 2: U0003 is valid only during the COVID-19 public health emergency in the "
        "I/OCE's HCPCS table on 2023-06-01, and the emergency ended on 2023-05-11 (I/OCE "
        "edit 124, the claim is returned): report the service with a code valid after the "
        "emergency, or take the line off.")
    assert bill_findings(check(claim("2023-05-11", ["Z20.822"], lines))) == []
    assert [f.rule for f in check(claim("2023-07-01", ["Z20.822"], lines)).findings] == [
        "PROC_NOT_VALID_ON_DOS"]
    assert [f.rule for f in check(claim("2024-03-01", ["Z20.822"], [
        ("99283", (), "0450"), ("K1034", (), "0300")])).findings] == [PHE]
    # professional claims: no I/OCE edit
    assert [f.rule for f in check(claim("2023-06-01", ["Z20.822"], lines, kind="prof")
                                  ).findings if f.rule == PHE] == []


@pytest.mark.parametrize(("kind", "conditions", "fires"), [
    ("131", ("89",), True), ("851", (), True), ("771", (), True), ("771", ("65",), False),
    ("431", (), False), ("121", ("41",), False),
])
def test_edit_124_on_the_ioce_paths(kind: str, conditions: tuple[str, ...],
                                    fires: bool) -> None:
    """Every I/OCE path runs edit 124 but 43x, and 77x with condition code 65 (as the
    I/OCE decides each, ``tests/test_ioce_crosscheck.py``, ``KNOWN``); nor a claim the
    I/OCE returns with edit 118 first."""
    d = with_conditions(claim("2023-06-01", ["Z20.822"], [
        ("G0463", (), "0510"), ("U0004", (), "0300")], kind=kind,
        opps=False if kind == "851" else None), *conditions)
    assert (PHE in [f.rule for f in check(d).findings]) is fires


def test_a_cpt_visit_beside_the_clinic_visit_g0463_is_one_visit_twice() -> None:
    """99213 beside G0463 on a 131 claim (an outpatient coder's review, 2026-12-06): the
    E/M is not recognized by OPPS (bill G0463), and the NCCI pair says the visit is billed
    twice; G0463 is no minor procedure the E/M needs 25 or 57 beside (that finding
    contradicted the other)."""
    d = {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
         "date_of_service": "2025-03-10", "statement_period": ["2025-03-10", "2025-03-10"],
         "patient": {"sex": "F", "birth_date": "1960-01-01"}, "diagnoses": ["I10"],
         "service_lines": [
             {"line": 1, "procedure_code": "G0463", "revenue_code": "0510", "units": 1},
             {"line": 2, "procedure_code": "99213", "revenue_code": "0510", "units": 1}]}
    got = [(f.rule, f.fix) for f in Checker().check(Claim.from_dict(d)).findings]
    assert got == [("PROC_NOT_RECOGNIZED_BY_OPPS", ("G0463",)), ("NCCI_PTP_CONFLICT", ())]
    (ptp,) = [f for f in Checker().check(Claim.from_dict(d)).findings
              if f.rule == "NCCI_PTP_CONFLICT"]
    assert ptp.message.endswith(
        "G0463 is the hospital outpatient clinic visit and 99213 the same visit billed "
        "again: report it once, as G0463 (OPPS pays clinic visits with it since 2014), "
        "and remove line 2.")


def _drug_admin(codes: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    d = {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
         "date_of_service": "2025-03-10", "statement_period": ["2025-03-10", "2025-03-10"],
         "patient": {"sex": "F", "birth_date": "1960-01-01"}, "diagnoses": ["E86.0"],
         "service_lines": [{"line": i + 1, "procedure_code": c.split("-")[0],
                            "modifiers": c.split("-")[1:], "units": 1,
                            "revenue_code": "0260" if c.startswith("96") else "0300"}
                           for i, c in enumerate(codes)]}
    return [(f.rule, f.message.split("modifier indicator 1): ")[1], f.fix)
            for f in Checker().check(Claim.from_dict(d)).findings]


@pytest.mark.parametrize(("codes", "advice", "fix"), [
    # the push outranks hydration: the hydration line (column 1) becomes 96361
    (["96374", "96360"], "keep 96374 (push) as the initial service and report line 2's "
     "hydration as 96361 instead of 96360; 59 or XU on 96374 only if a second IV site was "
     "medically necessary.", ()),
    (["96365", "96374"], "keep 96365 (infusion) as the initial service and report line 2's "
     "push as 96375 instead of 96374; 59 or XU on 96374 only if a second IV site was "
     "medically necessary.", ("96375",)),
    (["96413", "96365"], "keep 96413 (chemotherapy infusion) as the initial service and "
     "report line 2's infusion as 96367 instead of 96365; 59 or XU on 96365 only if a "
     "second IV site was medically necessary.", ("96367",)),
])
def test_two_initial_drug_administrations_follow_the_hierarchy(
        codes: list[str], advice: str, fix: tuple[str, ...]) -> None:
    """One initial drug administration service per encounter, for a hospital the highest
    of the hierarchy (an outpatient coder's review: the message said "append 59")."""
    assert _drug_admin(codes) == [("NCCI_PTP_CONFLICT", (
        "one initial drug administration service is reported per encounter, for a hospital "
        "the highest in CPT's facility hierarchy (Claims Processing Manual ch.4 §230.2): "
        + advice), fix)]


def test_a_panel_and_its_component() -> None:
    """The advice names 91 for a test repeated later the day, which bypasses the edit as
    every NCCI-associated modifier does (a lab coder's review: the message said 91 did not, while
    80053 + 82947-91 was clean)."""
    assert _drug_admin(["80053", "82947"]) == [("NCCI_PTP_CONFLICT", (
        "the panel 80053 includes 82947 (NCCI Policy Manual ch.X): remove 82947; 59 or XU "
        "only if it was tested on a separate specimen, 91 only if it was repeated later "
        "that day for a subsequent result (not to confirm a result, nor after a specimen "
        "or equipment problem: CPT modifier 91)."), ("59", "XU", "91"))]
    assert _drug_admin(["80053", "82947-91"]) == []


@pytest.mark.parametrize(("codes", "advice", "fix"), [
    # a direct LDL is no test of the lipid panel (its LDL is calculated): NCD 190.23
    (["80061", "83721"], "83721 (LDL measured directly) is not a test of the lipid panel "
     "80061, whose LDL is calculated: Medicare pays both on one date only when the "
     "triglycerides were too high for the calculation (NCD 190.23, Lipid Testing; NCCI "
     "Policy Manual ch.X): then append 59 or XU to 83721, otherwise remove it.",
     ("59", "XU")),
    # 80047 has ionized calcium (82330), which 80053 lacks: two panels sharing tests
    (["80053", "80047"], "two panels that share tests are not both reported for one "
     "specimen (CPT's panel guidelines; NCCI Policy Manual ch.X): keep 80053 and report the "
     "tests of 80047 it lacks (82330) on lines of their own in place of 80047; 59 or XU "
     "only if 80047 was tested on a separate specimen.", ("82330",)),
    # a clinical pathology consultation is no test of the panel
    (["80061", "80503"], "80503 is not one of the panel's tests, but the edit bundles it "
     "with 80061: append 59 or XU to 80503 only if it was a distinct test (its own order "
     "and medical necessity, or a separate specimen), otherwise remove it.", ("59", "XU")),
    # the electrolyte panel's four tests are all in the comprehensive one
    (["80053", "80051"], "the panel 80053 includes 80051 (NCCI Policy Manual ch.X): remove "
     "80051; 59 or XU only if it was tested on a separate specimen, 91 only if it was "
     "repeated later that day for a subsequent result (not to confirm a result, nor after a "
     "specimen or equipment problem: CPT modifier 91).", ("59", "XU", "91")),
])
def test_a_panel_and_a_test_that_is_not_its_own(codes: list[str], advice: str,
                                                 fix: tuple[str, ...]) -> None:
    """Only a test of the panel is "included" (CPT's panel definitions, by code number:
    ``procedure.LAB_PANELS``); a lab coder's review: 80061 + 83721 said the lipid panel included
    a direct LDL, and 80053 + 80047 that 80053 included ionized calcium."""
    assert _drug_admin(codes) == [("NCCI_PTP_CONFLICT", advice, fix)]


def test_two_initial_drug_administrations_on_a_practitioner_claim(tmp_path: Path) -> None:
    """A practitioner's initial service is the reason for the encounter, not the
    hierarchy: either may be it, the other reported as its sequential code. (A test row
    of the PTP table's form.)"""
    (tmp_path / "ptp.csv").write_text(
        "column_1,column_2,effective_date,deletion_date,modifier_indicator\n"
        "96365,96374,2012-01-01,,1\n")
    checker = Checker(ptp=ncci.load_ptp(tmp_path / "ptp.csv", setting="practitioner"),
                      policies=())
    c = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-03-10",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "diagnoses": ["E86.0"],
        "service_lines": [{"procedure_code": c, "units": 1, "diagnosis_pointers": [1]}
                          for c in ("96365", "96374")]})
    (f,) = [f for f in checker.check(c).findings if f.rule == "NCCI_PTP_CONFLICT"]
    assert (f.message.split("modifier indicator 1): ")[1], f.fix) == (
        "one initial drug administration service is reported per encounter (NCCI Policy "
        "Manual ch.XI): 96365 (infusion) or 96374 (push), whichever was the reason for the "
        "encounter, and the other as its sequential or subsequent code (96375 for 96374); "
        "59 or XU on 96374 only if a second IV site was medically necessary.", ("96375",))


# -- the billing-form edits (codekit.rules.ioce_billing; edit 102: MOD_COMBINATION_INVALID) -----

BILLING_RULES = ("BLOOD_PRODUCT_BILLING_INVALID", "BLOOD_REVENUE_CODE_MISMATCH",
                 "ALLOGENEIC_TRANSPLANT_WITHOUT_DONOR_ACQUISITION",
                 "OTP_SERVICE_BILL_TYPE_INVALID", "OBSERVATION_REVENUE_CODE_MISMATCH",
                 "DIRECT_REFERRAL_WITHOUT_OBSERVATION", "OBSERVATION_BILL_TYPE_INVALID",
                 "TRAUMA_RESPONSE_WITHOUT_CRITICAL_CARE", "MOD_340B_ON_PASS_THROUGH",
                 "MOD_COMBINATION_INVALID")
TRANSFUSION = ("36430", (), "0391")


def billing(report: Report) -> list[tuple[str, tuple[Any, ...], tuple[str, ...]]]:
    """(rule, location, fix) of the billing-form findings, all errors."""
    assert {f.severity.value for f in report.findings if f.rule in BILLING_RULES} <= {"error"}
    return [(f.rule, f.location, f.fix) for f in report.findings if f.rule in BILLING_RULES]


def test_the_billing_flags_read_the_ioce_table_of_the_date() -> None:
    """The I/OCE's HCPCS flags of the billing-form edits, bundled with the companion flags
    (``data/procedures/ioce_companion.ckt``)."""
    flags = procedure.ioce_companion_flags
    assert flags("P9016", on="2024-03-01") == {"blood_product", "packed_red_cells"}
    assert flags("P9010", on="2024-03-01") == {"blood_product", "whole_blood"}
    assert flags("P9051", on="2024-03-01") == {"blood_product", "packed_red_cells",
                                               "whole_blood"}
    assert "packed_red_cells" not in flags("P9027", on="2024-09-30")
    assert "packed_red_cells" in flags("P9027", on="2024-10-01")
    assert flags("38240", on="2024-03-01") == {"allogeneic_transplant"}
    assert flags("G2067", on="2024-03-01") == {"opioid_treatment_program"}
    assert flags("G0378", on="2024-03-01") == {"observation", "observation_hourly",
                                               "observation_hospital_only"}
    assert flags("G0379", on="2024-03-01") == {"observation", "observation_direct_admit",
                                               "observation_hospital_only"}
    assert flags("G0390", on="2024-03-01") == {"trauma_revenue_code"}
    assert flags("99291", on="2024-03-01") == {"trauma_critical_care"}


@pytest.mark.parametrize(("lines", "want"), [
    # a blood product bought (BL) on its 038x and 039x lines, the same units: clean
    ([("P9016", ("BL",), "0390"), ("P9016", ("BL",), "0381")], []),
    # not bought: 039x alone, without BL: clean
    ([("P9016", (), "0390")], []),
    # 038x alone; another revenue code; 039x with BL alone
    ([("P9016", (), "0381")], [2]), ([("P9016", (), "0300")], [2]),
    ([("P9016", ("BL",), "0390")], [2]),
    # BL on one of the two lines only (the fix on the line without it), or on neither
    ([("P9016", ("BL",), "0390"), ("P9016", (), "0381")], [2, 3]),
    ([("P9016", (), "0390"), ("P9016", (), "0381")], [2, 3]),
])
def test_blood_product_billing(lines: list[tuple[Any, ...]], want: list[int]) -> None:
    """I/OCE edit 73 (the claim is returned), as pyoce's ``BloodLogic`` decides it."""
    r = check(claim("2024-03-01", ["D64.9"], [ED_VISIT, TRANSFUSION, *lines]))
    assert [(f[0], f[1][1]) for f in billing(r)] == [
        ("BLOOD_PRODUCT_BILLING_INVALID", i) for i in want]


def test_blood_product_billing_messages_and_units() -> None:
    r = check(claim("2024-03-01", ["D64.9"], [ED_VISIT, TRANSFUSION,
                                              ("P9016", ("BL",), "0390"), ("P9016", (), "0381")]))
    assert billing(r) == [
        ("BLOOD_PRODUCT_BILLING_INVALID", ("service_lines", 2, "procedure_code"), ()),
        ("BLOOD_PRODUCT_BILLING_INVALID", ("service_lines", 3, "procedure_code"), ("BL",))]
    # (the ED visit without 25 on the transfusion's day is I/OCE edit 21 too, as pyoce says)
    assert [f.rule for f in r.findings if f.rule == VISIT_21] == [VISIT_21]
    assert [f for f in r.findings if f.rule == "BLOOD_PRODUCT_BILLING_INVALID"][-1].message == (
        "Line 4: P9016 is billed with modifier BL under revenue code 0390 on line 3 and "
        "without it under 0381 on line 4 on 2024-03-01: a blood product the hospital paid "
        "for carries modifier BL on both its 038x and 039x lines; add BL to this line (I/OCE "
        "edit 73, the claim is returned).")
    two = units(claim("2024-03-01", ["D64.9"], [ED_VISIT, TRANSFUSION,
                                                ("P9016", ("BL",), "0390"),
                                                ("P9016", ("BL",), "0381")]), 1, 1, 2, 1)
    r = check(two)
    assert [f.location[1] for f in r.findings if f.rule == "BLOOD_PRODUCT_BILLING_INVALID"] \
        == [2, 3]
    assert "with modifier BL for 1 unit(s) under 038x and 2 under 039x on 2024-03-01" in \
        [f for f in r.findings if f.rule == "BLOOD_PRODUCT_BILLING_INVALID"][-1].message
    # non-OPPS 13x, 13x with condition code 89, 14x: not run
    for d in (claim("2024-03-01", ["D64.9"], [ED_VISIT, ("P9016", (), "0381")], opps=False),
              with_conditions(claim("2024-03-01", ["D64.9"], [ED_VISIT, ("P9016", (), "0381")]),
                              "89"),
              claim("2024-03-01", ["D64.9"], [ED_VISIT, ("P9016", (), "0381")], kind="141")):
        assert billing(check(d)) == []


def test_blood_revenue_code_and_its_product() -> None:
    """I/OCE edit 79: 0381 (packed red cells) with a code that is not one, 0382 (whole
    blood) likewise; the fix is the revenue code of the product billed, when it is one."""
    r = check(claim("2024-03-01", ["D64.9"], [ED_VISIT, TRANSFUSION, ("P9010", (), "0381")]))
    assert billing(r) == [
        ("BLOOD_PRODUCT_BILLING_INVALID", ("service_lines", 2, "procedure_code"), ()),
        ("BLOOD_REVENUE_CODE_MISMATCH", ("service_lines", 2, "revenue_code"), ("0382",))]
    assert [f for f in r.findings if f.rule == "BLOOD_REVENUE_CODE_MISMATCH"][-1].message == (
        "Line 3: revenue code 0381 (packed red cells) with P9010, which is not a packed red "
        "cells code in the I/OCE's HCPCS table on 2024-03-01 (I/OCE edit 79, the claim is "
        "returned): bill P9010 under revenue code 0382.")
    assert billing(check(claim("2024-03-01", ["D64.9"], [ED_VISIT, ("85025", (), "0381")]))) \
        == [("BLOOD_REVENUE_CODE_MISMATCH", ("service_lines", 1, "revenue_code"), ())]
    assert billing(check(claim("2024-03-01", ["D64.9"], [ED_VISIT, ("85025", (), "0381")],
                               opps=False))) == []
    # a critical access hospital (85x, not OPPS): run; a line without a code there too (85x
    # runs no edit 48); on 13x the missing code is REVENUE_CODE_REQUIRES_HCPCS's alone
    assert billing(check(claim("2024-03-01", ["D64.9"], [("G0463", (), "0510"),
                                                         ("", (), "0382")], kind="851",
                               opps=False))) == [
        ("BLOOD_REVENUE_CODE_MISMATCH", ("service_lines", 1, "revenue_code"), ())]
    r = check(claim("2024-03-01", ["D64.9"], [ED_VISIT, TRANSFUSION, ("", (), "0381")]))
    # (and the ED visit without 25 on the transfusion's day: edit 21, as pyoce says)
    assert [f.rule for f in r.findings] == ["REVENUE_CODE_REQUIRES_HCPCS",
                                            "BLOOD_PROCEDURE_WITHOUT_PRODUCT", VISIT_21]


def test_allogeneic_transplant_without_donor_acquisition() -> None:
    """I/OCE edit 100: 38240 and no line under revenue code 0815 on the claim (any day)."""
    r = check(claim("2024-03-01", ["C92.00"], [("38240", (), "0362")]))
    assert billing(r) == [("ALLOGENEIC_TRANSPLANT_WITHOUT_DONOR_ACQUISITION",
                           ("service_lines", 0, "procedure_code"), ("0815",))]
    assert r.findings[0].message == (
        "Line 1: 38240 is an allogeneic stem cell transplant (HSCT) in the I/OCE's HCPCS "
        "table on 2024-03-01, and no line of the claim bills the donor acquisition under "
        "revenue code 0815 (I/OCE edit 100, the claim is returned): report the donor search "
        "and acquisition charges on a line under revenue code 0815.")
    assert billing(check(claim("2024-03-01", ["C92.00"], [
        ("38240", (), "0362"), ("", (), "0815", "2024-03-02")]))) == []
    assert billing(check(claim("2024-03-01", ["C92.00"], [("38240", (), "0362")],
                               opps=False))) != []
    assert billing(check(with_conditions(claim("2024-03-01", ["C92.00"], [
        ("38240", (), "0362")]), "89"))) == []


@pytest.mark.parametrize(("kind", "opps", "conditions", "day", "fires"), [
    ("131", None, (), "2024-03-01", True), ("131", None, ("89",), "2024-03-01", False),
    ("871", False, (), "2024-03-01", False), ("851", False, (), "2024-03-01", True),
    ("851", False, ("89",), "2024-03-01", False), ("121", None, (), "2024-03-01", True),
    ("141", None, (), "2024-03-01", True), ("431", None, (), "2024-03-01", False),
    ("131", None, (), "2020-01-02", True),
])
def test_opioid_treatment_program_code_on_another_claim(
        kind: str, opps: bool | None, conditions: tuple[str, ...], day: str,
        fires: bool) -> None:
    """I/OCE edit 116 (from 2020-01-01): an opioid treatment program code on a type of bill
    that is not a program's (87x; 13x and 85x with condition code 89)."""
    d = with_conditions(claim(day, ["F11.20"], [("G0463", (), "0510"), ("G2067", (), "0510")],
                              kind=kind, opps=opps), *conditions)
    want = [("OTP_SERVICE_BILL_TYPE_INVALID", ("service_lines", 1, "procedure_code"), ())]
    assert billing(check(d)) == (want if fires else [])


def test_observation_revenue_code_with_another_code() -> None:
    """I/OCE edit 44: 0762 with a code that is not observation (G0378, G0379 are); not a
    line without a code, nor one whose code is invalid (the validity edit says it)."""
    r = check(claim("2024-03-01", ["R07.9"], [ED_VISIT, ("99213", (), "0762")]))
    assert billing(r) == [("OBSERVATION_REVENUE_CODE_MISMATCH",
                           ("service_lines", 1, "revenue_code"), ())]
    for lines in ([ED_VISIT, ("G0378", (), "0762")], [ED_VISIT, ("", (), "0762")],
                  [ED_VISIT, ("9921X", (), "0762")]):
        assert billing(check(claim("2024-03-01", ["R07.9"], lines))) == []
    assert billing(check(claim("2024-03-01", ["R07.9"], [ED_VISIT, ("99213", (), "0762")],
                               kind="121"))) == []


def test_direct_referral_without_hourly_observation() -> None:
    """I/OCE edit 58: G0379 without G0378 on its date (OPPS 12x, 13x; 85x); on 12x the
    I/OCE rejects G0379 first (edit 53)."""
    want = [("DIRECT_REFERRAL_WITHOUT_OBSERVATION", ("service_lines", 0, "procedure_code"),
             ("G0378",))]
    assert billing(check(claim("2024-03-01", ["R07.9"], [("G0379", (), "0762")]))) == want
    assert billing(check(claim("2024-03-01", ["R07.9"], [
        ("G0379", (), "0762"), ("G0378", (), "0762")]))) == []
    assert billing(check(claim("2024-03-01", ["R07.9"], [
        ("G0379", (), "0762"), ("G0378", (), "0762", "2024-03-02")]))) == want
    assert billing(check(claim("2024-03-01", ["R07.9"], [("G0379", (), "0762")],
                               opps=False))) == []
    assert billing(check(claim("2024-03-01", ["R07.9"], [("G0379", (), "0762")], kind="851",
                               opps=False))) == want
    assert [f[0] for f in billing(check(claim("2024-03-01", ["R07.9"], [
        ("G0463", (), "0510"), ("G0379", (), "0762")], kind="121")))] == [
        "OBSERVATION_BILL_TYPE_INVALID"]


def test_hourly_observation_on_more_than_one_line() -> None:
    """I/OCE edit 51: G0378 once a claim, the stay's hours as its units, dated the day
    observation began (a stay past midnight too); every G0378 line after the first is
    the finding. OPPS 13x (not with condition code 41, 89, 92), 85x (not with 89)."""
    hours = [ED_VISIT, ("G0378", (), "0762"), ("G0378", (), "0762", "2025-06-13")]
    d = units(claim("2025-06-12", ["R07.89"], hours), 1, 10, 14)
    d["statement_period"] = ["2025-06-12", "2025-06-13"]
    r = check(d)
    assert found(r, "OBSERVATION_MULTIPLE_LINES") == [
        ("OBSERVATION_MULTIPLE_LINES", "error", ("service_lines", 2, "procedure_code"))]
    assert r.findings[0].codes == ("G0378",) and r.findings[0].fix == ()
    assert r.findings[0].message == (
        "Line 3: G0378 (hourly observation) is also billed on line 2, and the I/OCE takes "
        "it once a claim (I/OCE edit 51, the claim is returned): report the stay's hours on "
        "one G0378 line, dated the day observation began (2025-06-12), with the total "
        "hours as its units (24 on these lines), even when the stay runs past midnight; "
        "remove this line.")
    # the later line first on the claim: the finding is at the line of the later date
    d["service_lines"] = [d["service_lines"][i] for i in (0, 2, 1)]
    assert found(check(d), "OBSERVATION_MULTIPLE_LINES") == [
        ("OBSERVATION_MULTIPLE_LINES", "error", ("service_lines", 1, "procedure_code"))]
    same_day = [ED_VISIT, ("G0378", (), "0762"), ("G0378", (), "0762")]
    assert len(found(check(claim("2025-06-12", ["R07.89"], same_day, kind="851",
                                 opps=False)), "OBSERVATION_MULTIPLE_LINES")) == 1
    for d in (claim("2025-06-12", ["R07.89"], same_day, opps=False),
              with_conditions(claim("2025-06-12", ["R07.89"], same_day), "89"),
              claim("2025-06-12", ["R07.89"], same_day[:2])):
        assert found(check(d), "OBSERVATION_MULTIPLE_LINES") == [], d


def test_modifier_ca_on_an_inpatient_only_procedure() -> None:
    """I/OCE edits 70 and 60 (OPPS 13x without condition code 41, 89, 92): CA on a status
    C procedure needs the discharge status of a patient who expired or was transferred,
    and is taken on one procedure, 1 unit, a claim; a separate procedure (38100) beside a
    comprehensive (J1) one is left out, as the I/OCE does."""
    ca = ("MOD_CA_MORE_THAN_ONE", "MOD_CA_DISCHARGE_STATUS")

    def with_status(d: dict[str, Any], status: str | None) -> dict[str, Any]:
        return d if status is None else {**d, "discharge_status": status}

    one = claim("2025-06-12", ["I21.4"], [("99291", (), "0450"), ("33533", ("CA",), "0360")])
    r = check(with_status(one, "01"))
    assert found(r, *ca) == [
        ("MOD_CA_DISCHARGE_STATUS", "error", ("service_lines", 1, "procedure_code"))]
    f = next(f for f in r.findings if f.rule == "MOD_CA_DISCHARGE_STATUS")
    assert f.codes == ("33533", "CA") and f.message == (
        "Line 2: 33533 carries modifier CA (an inpatient-only procedure performed on an "
        "outpatient who died before admission), and the claim's patient discharge status is "
        "01, not that of a patient who expired (20) or was transferred (I/OCE edit 70, the "
        "claim is returned): correct the discharge status; if the patient neither died nor "
        "was transferred, remove CA: an inpatient-only procedure is billed on the inpatient "
        "claim.")
    for status in ("20", "02", None):  # expired, transferred; no status given: not judged
        assert found(check(with_status(one, status)), *ca) == [], status
    for d in (claim("2025-06-12", ["I21.4"], [("99291", ("CA",), "0450")]),  # not status C
              claim("2025-06-12", ["I21.4"], [("33533", ("CA",), "0360")], opps=False),
              claim("2025-06-12", ["I21.4"], [("33533", ("CA",), "0360")], kind="851",
                    opps=False),
              with_conditions(claim("2025-06-12", ["I21.4"], [("33533", ("CA",), "0360")]),
                              "41"),
              claim("2025-06-12", ["S36.030A"], [("38100", ("CA",), "0360"),
                                                 ("27447", (), "0360"),
                                                 ("C1776", (), "0278")])):
        assert found(check(with_status(d, "01")), *ca) == [], d
    two = with_status(claim("2025-06-12", ["I21.4"], [("33533", ("CA",), "0360"),
                                                      ("33510", ("CA",), "0360")]), "20")
    assert found(check(two), *ca) == [
        ("MOD_CA_MORE_THAN_ONE", "error", ("service_lines", 0, "procedure_code")),
        ("MOD_CA_MORE_THAN_ONE", "error", ("service_lines", 1, "procedure_code"))]
    r = check(units(with_status(claim("2025-06-12", ["I21.4"], [
        ("33533", ("CA",), "0360")]), "20"), 2))
    assert [f.message for f in r.findings if f.rule in ca] == [
        "Line 1: 33533 carries modifier CA, and the claim has 2 units of inpatient-only "
        "procedures with CA (line 1): the I/OCE takes CA on one procedure, 1 unit, a claim "
        "(I/OCE edit 60, the claim is returned): keep CA on the one procedure performed "
        "before the patient died, 1 unit."]


VISIT_21 = "VISIT_SAME_DAY_PROCEDURE_NO_MOD25"


@pytest.mark.parametrize(("day", "visit", "mods", "rev", "proc"), [
    ("2025-06-01", "99283", (), "0450", "11042"), ("2025-06-01", "99283", ("59",), "0450",
                                                   "11042"),
    ("2024-06-01", "G0463", (), "0510", "10060"), ("2022-06-01", "99285", (), "0450", "20610"),
    ("2025-06-01", "G0402", (), "0510", "96374"),  # status V beside status S
])
def test_a_visit_on_the_day_of_a_significant_procedure_needs_25(
        day: str, visit: str, mods: tuple[str, ...], rev: str, proc: str) -> None:
    """I/OCE edit 21 (pyoce 0.1.0 returns each of these claims with edit 21 on the visit):
    a medical visit (V, or a J2 emergency department or clinic visit, paid as V) without
    25 on the date of a status S or T procedure. codekit said nothing before 2026-12-06
    (no hospital NCCI pair bundles them; 59 passes the I/OCE's NCCI logic, not edit 21)."""
    r = check(claim(day, ["S61.411A"], [(visit, mods, rev), (proc, (), "0360")]))
    assert [(f.rule, f.severity.value, f.location, f.codes, f.fix) for f in r.findings
            if f.rule == VISIT_21] == [
        (VISIT_21, "error", ("service_lines", 0, "modifiers"), (visit, proc), ("25",))]


def test_the_visit_message_names_the_procedure_and_its_status() -> None:
    r = check(claim("2025-06-01", ["S61.411A"], [("99283", (), "0450"),
                                                 ("11042", (), "0360")]))
    (f,) = [f for f in r.findings if f.rule == VISIT_21]
    assert f.message == (
        "Line 1: 99283 is a medical visit (status indicator J2, paid as V) on 2025-06-01, "
        "the day of 11042 (line 2, status indicator T), without modifier 25 (I/OCE edit 21, "
        "the claim is returned): append 25 if the visit was significant and separately "
        "identifiable from the procedure; otherwise remove the visit line (it is part of "
        "the procedure).")


@pytest.mark.parametrize("lines", [
    [("99283", ("25",), "0450"), ("11042", (), "0360")],  # 25: separate
    [("99283", (), "0450"), ("12002", (), "0360")],  # Q1: packaged with the visit
    [("99283", (), "0450"), ("36556", (), "0360")],  # J1: the visit is packaged
    [("99291", (), "0450"), ("11042", (), "0360")],  # critical care: paid as S, no visit
    [("99283", (), "0450"), ("11042", (), "0360", "2025-06-02")],  # another day
    # observation without a T line: a comprehensive observation stay packages the visit
    [("99283", (), "0450"), ("96374", (), "0260"), ("G0378", (), "0762")],
    [("92014", (), "0510"), ("97597", ("GP",), "0420")],  # sometimes therapy: paid as A
    [("99283", (), "0450"), ("70450", (), "0350")],  # Q3: the I/OCE's status, not known
])
def test_visits_edit_21_does_not_take(lines: list[tuple[Any, ...]]) -> None:
    """Each as pyoce 0.1.0 answers (no edit 21; G0378 with 12 hours), but the last one,
    which it returns with edit 21 (70450 alone is paid as S): codekit does not follow the
    I/OCE's composite logic, and says nothing rather than something wrong."""
    d = claim("2025-06-01", ["S61.411A"], lines)
    for line in d["service_lines"]:
        line["units"] = 12 if line["procedure_code"] == "G0378" else 1
    assert VISIT_21 not in [f.rule for f in check(d).findings]


@pytest.mark.parametrize(("day", "lines", "fires"), [
    # edit 41 returns the claim and leaves the line in edit 21 (visit or procedure)
    ("2025-06-02", [("99283", (), "4194"), ("11042", (), "0360")], [0]),
    ("2025-06-02", [("99283", (), "0450"), ("11042", (), "4194")], [0]),
    # a Q2 code is packaged beside a T line anywhere on the claim, not only on its date
    ("2026-04-01", [("92012", (), "0510"), ("96413", (), "0260"), ("74190", (), "0320"),
                    ("11042", (), "0360", "2026-04-02")], [0]),
    # hourly observation with a T line on the claim: no comprehensive observation stay
    ("2025-06-02", [("99283", (), "0450"), ("11042", (), "0360"), ("G0378", (), "0762")],
     [0]),
    # GP on a procedure that is no "sometimes therapy" code: it keeps its status T
    ("2025-06-02", [("92014", (), "0510"), ("11312", ("GP",), "0360")], [0]),
    # an inherently bilateral visit on two lines: both rejected (edit 17), no edit 21
    ("2025-06-02", [("92012", (), "0510"), ("92012", (), "0510"), ("11042", (), "0360")],
     []),
])
def test_visits_edit_21_keeps_what_the_ioce_keeps(day: str, lines: list[tuple[Any, ...]],
                                                   fires: list[int]) -> None:
    """Edit 21 as pyoce 0.1.0 answers each claim (found by the I/OCE cross-check of
    2026-12-07 on 1,500 more claims, codekit silent before on the first five): a line
    whose revenue code the I/OCE does not know stays in its edit 21 (edit 41 is a claim
    return, not a line rejection); the I/OCE packages a Q2 code claim-wide
    (``ConditionalClaimLogic``), no comprehensive observation follows a T line
    (``ComprehensiveObservationLogic``), and only the 9 codes it flags
    ``therapy_conditionally_paid`` are paid as therapy."""
    d = claim(day, ["S61.411A"], lines)
    for line in d["service_lines"]:
        line["units"] = 12 if line["procedure_code"] == "G0378" else 1
    assert [f.location[1] for f in check(d).findings if f.rule == VISIT_21] == fires


def test_edit_17_is_worked_out_once_a_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    """``BILATERAL_REPEATED`` reports edit 17's lines and edit 21 leaves them out: both
    read one answer a claim (``ctx.memo``), not two runs of the edit."""
    from codekit.rules import modifier_edits

    runs = []
    edit_17 = modifier_edits._bilateral_repeated

    def counted(ctx: Any) -> Any:
        runs.append(ctx)
        return edit_17(ctx)

    monkeypatch.setattr(modifier_edits, "_bilateral_repeated", counted)
    d = claim("2025-06-02", ["S61.411A"], [("92012", (), "0510"), ("92012", (), "0510"),
                                          ("11042", (), "0360")])
    for line in d["service_lines"]:
        line["units"] = 1
    assert [(f.rule, f.location[1]) for f in check(d).findings] == [
        ("BILATERAL_REPEATED", 0), ("BILATERAL_REPEATED", 1)]
    assert len(runs) == 1


@pytest.mark.parametrize(("lines", "conditions", "fires"), [
    ([("99283", (), "0450"), ("11042", (), "0360")], (), [0]),
    ([("99291", (), "0450"), ("11042", (), "0360")], (), [0]),  # every J2 code is a visit
    ([("G0463", (), "0510"), ("11042", (), "0960")], (), [0]),  # a professional-fee line
    ([("99283", (), "0450"), ("11042", (), "0360")], ("89",), []),
    ([("99213", (), "0960"), ("11042", (), "0360")], (), []),  # status B: no visit
    ([("G0463", (), "0510"), ("70450", (), "0350")], (), []),  # Q3 is no S or T on 85x
    # a direct referral is packaged without hourly observation, or beside a T or V line
    ([("G0379", (), "0762"), ("96374", (), "0260"), ("G0378", (), "0762")], (), [0]),
    ([("G0379", (), "0762"), ("11042", (), "0360"), ("G0378", (), "0762")], (), []),
    ([("G0379", (), "0510"), ("96374", (), "0260")], (), []),
])
def test_visits_edit_21_on_a_critical_access_hospital_claim(
        lines: list[tuple[Any, ...]], conditions: tuple[str, ...], fires: list[int]) -> None:
    """The I/OCE's 85x path (``SameDayEandMSurgery85xLogic``, not with condition code 89)
    takes a V or any J2 line as the visit, on the table's statuses (no APC is assigned):
    pyoce 0.1.0 returns each claim that fires here with edit 21 on the visit, and none of
    the others (851, non-OPPS, 2025-06-02; G0378 with 12 hours)."""
    d = with_conditions(claim("2025-06-02", ["S61.411A"], lines, kind="851", opps=False),
                        *conditions)
    for line in d["service_lines"]:
        line["units"] = 12 if line["procedure_code"] == "G0378" else 1
    r = check(d)
    assert [f.location[1] for f in r.findings if f.rule == VISIT_21] == fires
    if fires and lines[0][0] == "99291":
        (f,) = [f for f in r.findings if f.rule == VISIT_21]
        assert f.message.startswith(
            "Line 1: 99291 is a medical visit (status indicator J2, a visit on a critical "
            "access hospital's claim) on 2025-06-02, the day of 11042 (line 2, status "
            "indicator T)")


@pytest.mark.parametrize(("day", "lines"), [
    # a Q2 code alone on its date (its T line rejected, or none): pyoce pays 64584 and
    # 75716 as J1 (comprehensive), which packages the visit (N) and the S line
    ("2023-03-29", [("99283", (), "0450"), ("64584", (), "0360"), ("96411", (), "0940")]),
    ("2023-03-29", [("99283", (), "0450"), ("64584", (), "0360"), ("11042", (), "0360")]),
    ("2026-06-14", [("99283", (), "0450"), ("96161", (), "0940"), ("75716", (), "0320")]),
    # G0390 (status S) without 068x or 99291: rejected by edit 76, out of edit 21
    ("2022-03-30", [("99283", (), "0450"), ("G0390", (), "0450")]),
    ("2025-01-02", [("G0463", (), "0510"), ("G0390", (), "0681")]),
    # 0722T (status S), an add-on code without its primary: denied (edit 106) before 21
    ("2024-01-15", [("99283", (), "0450"), ("0722T", (), "0350")]),
])
def test_visits_edit_21_leaves_out_what_the_ioce_packages_or_rejects(
        day: str, lines: list[tuple[Any, ...]]) -> None:
    """No edit 21 from pyoce 0.1.0 on any of these (the cross-check's claims found them:
    codekit fired on the visit before 2026-12-07): a Q2 code the I/OCE pays on its own may
    be comprehensive (J1), so codekit does not decide the claim; the I/OCE rejects a trauma
    response line (edit 76) and denies an add-on code without its primary (edit 106)
    before edit 21, and codekit leaves them out too."""
    d = claim(day, ["S61.411A"], lines)
    rules = [f.rule for f in check(d).findings]
    assert VISIT_21 not in rules
    assert ("TRAUMA_RESPONSE_WITHOUT_CRITICAL_CARE" in rules) is (lines[1][0] == "G0390")


@pytest.mark.parametrize(("kind", "conditions", "opps", "fires"), [
    ("121", ("W2",), None, True), ("121", (), None, False), ("131", ("41",), None, False),
    ("131", (), False, False), ("851", (), False, True), ("851", ("89",), False, False),
])
def test_visits_edit_21_on_the_paths_that_run_it(kind: str, conditions: tuple[str, ...],
                                                 opps: bool | None, fires: bool) -> None:
    d = with_conditions(claim("2025-06-01", ["S61.411A"], [
        ("99283", (), "0450"), ("11042", (), "0360")], kind=kind, opps=opps), *conditions)
    assert (VISIT_21 in [f.rule for f in check(d).findings]) is fires
    prof = claim("2025-06-01", ["S61.411A"], [("99283", (), ""), ("11042", (), "")],
                 kind="prof")
    assert VISIT_21 not in [f.rule for f in check(prof).findings]


def test_modifier_ca_on_a_part_b_inpatient_rebill() -> None:
    """The I/OCE's 12x path runs its inpatient procedure step (edits 60 and 70) on OPPS
    claims with condition code W2 (a Part B inpatient claim rebilled after a Part A
    denial), as pyoce 0.1.0 answers: 121 + W2 with 33405 CA and 33533 CA (status 20) gets
    edit 60 on both lines, with 33405 CA alone and status 01 edit 70; the same 121 without
    W2 neither (pyoce: edits 18 and 127 there, not 60 or 70)."""
    ca = ("MOD_CA_MORE_THAN_ONE", "MOD_CA_DISCHARGE_STATUS")
    two = [("33405", ("CA",), "0360"), ("33533", ("CA",), "0360")]
    one = [("33405", ("CA",), "0360")]
    rebill = with_conditions(claim("2025-06-02", ["I21.4"], two, kind="121"), "W2")
    assert found(check({**rebill, "discharge_status": "20"}), *ca) == [
        ("MOD_CA_MORE_THAN_ONE", "error", ("service_lines", 0, "procedure_code")),
        ("MOD_CA_MORE_THAN_ONE", "error", ("service_lines", 1, "procedure_code"))]
    rebill = with_conditions(claim("2025-06-02", ["I21.4"], one, kind="121"), "W2")
    assert found(check({**rebill, "discharge_status": "01"}), *ca) == [
        ("MOD_CA_DISCHARGE_STATUS", "error", ("service_lines", 0, "procedure_code"))]
    for d in (claim("2025-06-02", ["I21.4"], one, kind="121"),
              with_conditions(claim("2025-06-02", ["I21.4"], one, kind="121", opps=False),
                              "W2")):
        assert found(check({**d, "discharge_status": "01"}), *ca) == [], d


@pytest.mark.parametrize(("kind", "opps", "conditions", "fires"), [
    ("121", None, (), True), ("141", None, (), True), ("711", False, (), True),
    ("131", None, ("89",), True), ("131", None, (), False), ("851", False, (), False),
    ("431", None, (), False),
])
def test_observation_on_a_type_of_bill_without_observation(
        kind: str, opps: bool | None, conditions: tuple[str, ...], fires: bool) -> None:
    """I/OCE edit 53 (the line is rejected): G0378 or G0379 off 13x and 85x."""
    d = with_conditions(claim("2024-03-01", ["R07.9"], [("G0463", (), "0510"),
                                                        ("G0378", (), "0762")], kind=kind,
                              opps=opps), *conditions)
    want = [("OBSERVATION_BILL_TYPE_INVALID", ("service_lines", 1, "procedure_code"), ())]
    assert billing(check(d)) == (want if fires else [])


def test_trauma_response_without_068x_and_critical_care() -> None:
    """I/OCE edit 76 (the line is rejected): G0390 needs revenue code 068x and 99291 on
    its date (the edit's description; pyoce's range also takes 0580-0679)."""
    want = [("TRAUMA_RESPONSE_WITHOUT_CRITICAL_CARE", ("service_lines", 0, "procedure_code"),
             ())]
    for lines, fires in (
            ([("G0390", (), "0681"), ("99291", (), "0450")], False),
            ([("G0390", (), "0450"), ("99291", (), "0450"), ("", (), "0682")], False),
            ([("G0390", (), "0450"), ("99291", (), "0450")], True),
            ([("G0390", (), "0681"), ("99285", (), "0450")], True),
            ([("G0390", (), "0681"), ("99291", (), "0450", "2024-03-02")], True),
            ([("G0390", (), "0450"), ("99291", (), "0450"), ("J1100", (), "0636")], True)):
        assert billing(check(claim("2024-03-01", ["S06.9X0A"], lines))) == (
            want if fires else []), lines
    r = check(claim("2024-03-01", ["S06.9X0A"], [("G0390", (), "0450"), ("99285", (), "0450")]))
    assert "2024-03-01 has no line under revenue code 068x (trauma response) and no 99291 " \
        "(critical care) (I/OCE edit 76, the line is rejected)" in r.findings[0].message


def test_ioce_modifier_pairs() -> None:
    """I/OCE edit 102: two of CT, FX, FY, or two of ER, PN, PO, on one line of an
    outpatient claim (MOD_COMBINATION_INVALID); not 13x with condition code 89, nor 23x;
    a professional claim keeps its own pairs."""
    r = check(claim("2024-03-01", ["R07.9"], [ED_VISIT, ("71046", ("FX", "FY"), "0320")]))
    assert billing(r) == [("MOD_COMBINATION_INVALID", ("service_lines", 1, "modifiers", 1),
                           ())]
    assert r.findings[0].message == (
        "Line 2 has FX and FY: FX and FY are both imaging modifiers that reduce the payment "
        "for the equipment used (CT: a CT scan on equipment that does not meet the NEMA "
        "XR-29 standard; FX: an X-ray taken on film; FY: an X-ray taken by computed "
        "radiography); the I/OCE does not allow them on one line (I/OCE edit 102, the claim "
        "is returned): report the one that applies.")
    po_pn = [("G0463", ("PO", "PN"), "0510")]
    assert [f[0] for f in billing(check(claim("2024-03-01", ["R07.9"], po_pn)))] == [
        "MOD_COMBINATION_INVALID"]
    assert billing(check(with_conditions(claim("2024-03-01", ["R07.9"], po_pn), "89"))) == []
    assert billing(check(claim("2024-03-01", ["R07.9"], po_pn, kind="231"))) == []
    assert billing(check(claim("2024-03-01", ["R07.9"], [("71046", ("FX", "FY"), "")],
                               kind="prof"))) == []


def test_340b_modifier_on_a_pass_through_drug() -> None:
    """I/OCE edit 122: JG on a drug of status G, on OPPS claims, 2022-04-01 to
    2024-12-31 (the claim's first day); the fix is TB."""
    def jg(day: str, code: str = "J1932", mod: str = "JG", **kw: Any) -> list[Any]:
        return billing(check(claim(day, ["C50.911"], [ED_VISIT, (code, (mod,), "0636")],
                                   **kw)))
    want = [("MOD_340B_ON_PASS_THROUGH", ("service_lines", 1, "modifiers", 0), ("TB",))]
    assert jg("2023-03-01") == want
    assert jg("2023-03-01", mod="TB") == []
    assert jg("2023-03-01", opps=False) == []
    assert jg("2022-03-01", "J0699") == []
    assert jg("2022-04-01", "J0699") == want
    assert jg("2024-12-31", "J0219") == want
    assert jg("2023-03-01", "J9045") == []  # not pass-through


def test_billing_edits_are_the_outpatient_editors() -> None:
    """Off under medicare-professional and medicare-inpatient (no I/OCE there)."""
    lines = [("G2067", (), "0510"), ("G0379", (), "0762"), ("38240", (), "0362"),
             ("J1932", ("JG",), "0636")]
    assert len(billing(check(claim("2023-03-01", ["F11.20"], lines)))) == 4
    assert billing(check(claim("2023-03-01", ["F11.20"], lines, kind="111"))) == []
    assert billing(check(claim("2023-03-01", ["F11.20"], lines, kind="prof"))) == []


def test_a_cpt_definitive_drug_test_on_an_opps_claim_is_told_the_g_codes() -> None:
    """80320 on a 131 claim: status B, I/OCE edit 62. The message said "codekit's data
    names none"; Medicare pays definitive drug testing with G0480-G0483 or G0659 (CMS
    Clinical Laboratory Fee Schedule, CY 2016 and CY 2018)."""
    d = {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
         "date_of_service": "2026-03-02", "statement_period": ["2026-03-02", "2026-03-02"],
         "patient": {"sex": "F", "birth_date": "1960-01-01"}, "diagnoses": ["F11.20"],
         "service_lines": [
             {"line": 1, "procedure_code": "80320", "revenue_code": "0300", "units": 1}]}
    (f,) = [f for f in CHECKER.check(Claim.from_dict(d)).findings
            if f.rule == "PROC_NOT_RECOGNIZED_BY_OPPS"]
    assert f.fix == ("G0480", "G0481", "G0482", "G0483", "G0659")
    assert f.message.endswith(
        "(I/OCE edit 62, the claim is returned): report the day's definitive drug testing "
        "as one line of the Level II code Medicare pays it with, by the number of drug "
        "classes tested: G0480 (1-7), G0481 (8-14), G0482 (15-21), G0483 (22 or more), or "
        "G0659 (CMS Clinical Laboratory Fee Schedule).")


# -- partial hospitalization and intensive outpatient programs (29, 109, 80, 132, 81, 133) -------

PROGRAM = ("PHP_IOP_PRINCIPAL_NOT_MENTAL_HEALTH", "PHP_IOP_SERVICE_NOT_APPROVED",
           "PHP_IOP_SERVICE_OUTSIDE_PROGRAM")
G0410, G90853 = ("G0410", (), "0915"), ("90853", (), "0915")


def program(day: str, dx: list[str], lines: list[tuple[Any, ...]], *, bill: str = "131",
            conditions: tuple[str, ...] = (), opps: bool | None = True) -> Report:
    d = claim(day, dx, lines, opps=opps, kind=bill)
    if conditions:
        d["condition_codes"] = list(conditions)
    return check(d)


def test_a_program_claim_needs_a_mental_health_principal() -> None:
    """I/OCE edit 29 (as pyoce 0.1.0 decides each, ``tests/test_ioce_crosscheck.py``,
    ``KNOWN``): the principal diagnosis of a partial hospitalization (41) or, from
    2024-01-01, intensive outpatient (92) claim on 13x, and of any 76x claim, must be on the
    I/OCE's mental health list -- G30.9 is, I10 is not."""
    at = [("PHP_IOP_PRINCIPAL_NOT_MENTAL_HEALTH", "error", ("diagnoses", 0))]
    r = program("2024-03-01", ["I10"], [G0410, G90853], conditions=("41",))
    assert found(r, *PROGRAM) == at
    (f,) = [f for f in r.findings if f.rule in PROGRAM]
    assert f.message.startswith(
        "I10, the principal diagnosis of a partial hospitalization claim (condition code 41, "
        "type of bill 131), is not on the I/OCE's list of mental health diagnoses on "
        "2024-03-01 (I/OCE edit 29, the claim is returned)")
    assert f.fix == ()
    assert found(program("2024-03-01", ["I10"], [G0410, G90853], conditions=("92",)),
                 *PROGRAM) == at
    assert found(program("2024-03-01", ["I10"], [G0410, G90853], bill="761",
                         conditions=("92",)), *PROGRAM) == at
    assert found(program("2024-03-01", ["I10"], [G0410, G90853], bill="761",
                         conditions=("41",)), *PROGRAM) == at
    # F32.1 and G30.9 are on the list; non-OPPS: no such path; 92 before 2024: no IOP path
    assert found(program("2024-03-01", ["F32.1"], [G0410, G90853], conditions=("41",)),
                 *PROGRAM) == []
    assert found(program("2024-03-01", ["G30.9", "I10"], [G0410, G90853],
                         conditions=("41",)), *PROGRAM) == []
    assert found(program("2024-03-01", ["I10"], [G0410, G90853], conditions=("41",),
                         opps=False), *PROGRAM) == []
    assert found(program("2023-06-01", ["I10"], [G0410, G90853], conditions=("92",)),
                 *PROGRAM) == []
    # not a program claim at all
    assert found(program("2024-03-01", ["I10"], [("G0463", (), "0510")]), *PROGRAM) == []
    # a mental health diagnosis of the claim is the fix
    (f,) = [f for f in program("2024-03-01", ["I10", "F32.1"], [G0410],
                               conditions=("41",)).findings if f.rule in PROGRAM]
    assert f.fix == ("F32.1",) and f.message.endswith("list F32.1, on the claim, first.")


def test_a_code_first_principal_needs_a_mental_health_first_secondary() -> None:
    """I/OCE edit 109: T14.91XA (suicide attempt) as the principal of a partial
    hospitalization claim is accepted with a mental health diagnosis as the first
    secondary diagnosis, not with one later on the claim."""
    r = program("2024-03-01", ["T14.91XA", "I10", "F32.1"], [G0410], conditions=("41",))
    (f,) = [f for f in r.findings if f.rule in PROGRAM]
    assert f.location == ("diagnoses", 0) and f.fix == ("F32.1",)
    assert "the first secondary diagnosis, I10, is not one (I/OCE edit 109" in f.message
    assert found(program("2024-03-01", ["T14.91XA", "F32.1"], [G0410], conditions=("41",)),
                 *PROGRAM) == []
    (f,) = [f for f in program("2024-03-01", ["T14.91XA"], [G0410],
                               conditions=("41",)).findings if f.rule in PROGRAM]
    assert "the claim has no secondary diagnosis (I/OCE edit 109" in f.message


def test_a_program_diagnosis_newer_than_the_last_ioce_quarter_is_not_judged() -> None:
    """F64.A took effect on 2026-10-01 (CMS FY2027 code list), after the last I/OCE
    quarter codekit has (27.1, 2026-04-01 to 2026-06-30), whose diagnosis table does not
    list it: edits 29 and 109 are not judged by that list (the report says so) rather than
    returning the claim. A code the list knows is judged as of its last quarter, and the
    notice says so."""
    assert icd10cm.ioce_coverage()[1] == dt.date(2026, 6, 30)
    why = ("F64.A, {role}, took effect on 2026-10-01, after the last I/OCE quarter codekit "
           "has (to 2026-06-30): that quarter's list of mental health diagnoses does not "
           "know it, so I/OCE edits 29 and 109 were not judged")
    rule = "PHP_IOP_PRINCIPAL_NOT_MENTAL_HEALTH"
    r = program("2026-11-10", ["F64.A"], [G0410, G90853], conditions=("41",))
    assert found(r, *PROGRAM) == []
    assert (rule, why.format(role="the principal diagnosis")) in r.not_run
    assert "IOCE_DATE_NOT_COVERED" not in [n.code for n in r.notices]
    r = program("2026-11-10", ["T14.91XA", "F64.A"], [G0410], conditions=("41",))
    assert found(r, *PROGRAM) == []
    assert (rule, why.format(role="the first secondary diagnosis")) in r.not_run
    # known to the list: judged as of its last quarter, and said
    r = program("2026-11-10", ["I10"], [G0410, G90853], conditions=("41",))
    assert found(r, *PROGRAM) == [(rule, "error", ("diagnoses", 0))]
    assert [(n.code, n.message) for n in r.notices if n.code == "IOCE_DATE_NOT_COVERED"] == [
        ("IOCE_DATE_NOT_COVERED", "2026-11-10 is after the last I/OCE quarter codekit has "
         "(to 2026-06-30): the I/OCE's list of mental health diagnoses is answered as of "
         "then")]
    assert found(program("2026-11-10", ["F64.8"], [G0410], conditions=("41",)),
                 *PROGRAM) == []


def test_a_program_claim_before_the_first_ioce_quarter_says_so() -> None:
    """Before the first I/OCE quarter codekit has (20.2, from 2019-07-01) the list of
    mental health diagnoses is answered as of that quarter: edit 29 on a 2016 claim was
    judged by it in silence (only PROCEDURE_DATE_NOT_COVERED, which names the CPT/HCPCS
    data), as the notice says after the last quarter."""
    assert icd10cm.ioce_coverage()[0] == dt.date(2019, 7, 1)
    rule = "PHP_IOP_PRINCIPAL_NOT_MENTAL_HEALTH"
    r = program("2016-06-01", ["I10"], [G0410], conditions=("41",))
    assert found(r, *PROGRAM) == [(rule, "error", ("diagnoses", 0))]
    assert [(n.code, n.message, n.location) for n in r.notices
            if n.code == "IOCE_DATE_NOT_COVERED"] == [
        ("IOCE_DATE_NOT_COVERED", "2016-06-01 is before the first I/OCE quarter codekit has "
         "(from 2019-07-01): the I/OCE's list of mental health diagnoses is answered as of "
         "that quarter", ("diagnoses", 0))]
    for day in ("2019-07-01", "2026-06-30"):  # dates the quarters cover: nothing said
        r = program(day, ["I10"], [G0410], conditions=("41",))
        assert found(r, *PROGRAM) == [(rule, "error", ("diagnoses", 0))]
        assert "IOCE_DATE_NOT_COVERED" not in [n.code for n in r.notices]


def test_edit_113_of_a_code_newer_than_the_last_ioce_quarter_says_so() -> None:
    """Z87.8901 took effect on 2026-10-01; the MCE lists it as unacceptable as principal
    (MCE v44), the last I/OCE quarter codekit has does not know it: no finding, and the
    notice says the list could not judge it."""
    r = check(claim("2026-11-10", ["Z87.8901", "E66.9"], [("G0463", (), "0510")]))
    assert found(r, PDX) == []
    assert [(n.code, n.message, n.location) for n in r.notices
            if n.code == "IOCE_DATE_NOT_COVERED"] == [
        ("IOCE_DATE_NOT_COVERED", "Z87.8901 took effect on 2026-10-01, after the last I/OCE "
         "quarter codekit has (to 2026-06-30): the I/OCE's unacceptable-principal list "
         "(edit 113) of that quarter does not know it, so it was not judged by it (the MCE "
         "lists it as unacceptable as principal)", ("diagnoses", 0))]
    # a code the list knows and does not hold (I10), or a covered date: nothing said
    assert "IOCE_DATE_NOT_COVERED" not in [
        n.code for n in check(claim("2026-11-10", ["I10"], [("G0463", (), "0510")])).notices]
    assert "IOCE_DATE_NOT_COVERED" not in [
        n.code for n in check(claim("2026-06-10", ["Z87.890", "E66.9"],
                                    [("G0463", (), "0510")])).notices]


def test_a_mental_health_code_not_approved_for_the_program() -> None:
    """I/OCE edits 80 and 132: 90853 is not approved for partial hospitalization to
    2023-12-31 (on 13x the I/OCE runs the edit to 2022-12-31 only, on 76x always); 0362T
    not for an intensive outpatient program (76x with 92, from 2024-01-01)."""
    at = [("PHP_IOP_SERVICE_NOT_APPROVED", "error", ("service_lines", 1, "procedure_code"))]
    assert found(program("2022-03-01", ["F32.1"], [G0410, G90853], conditions=("41",)),
                 *PROGRAM) == at
    assert found(program("2023-03-01", ["F32.1"], [G0410, G90853], conditions=("41",)),
                 *PROGRAM) == []
    assert found(program("2022-03-01", ["F32.1"], [G0410, G90853], bill="761"),
                 *PROGRAM) == at
    assert found(program("2024-03-01", ["F32.1"], [G0410, ("90865", (), "0912")],
                         bill="761", conditions=("41",)), *PROGRAM) == at
    r = program("2024-03-01", ["F84.0"], [("G0410", (), "0905"), ("0362T", (), "0905")],
                bill="761", conditions=("92",))
    assert found(r, *PROGRAM) == at
    (f,) = [f for f in r.findings if f.rule in PROGRAM]
    assert "(I/OCE edit 132, the claim is returned)" in f.message


def test_a_program_code_outside_the_program() -> None:
    """I/OCE edits 81 and (from 2024-01-01) 133: G0410 on a 13x claim without condition
    code 41 or 92 (nor 89), one finding a line."""
    at = [("PHP_IOP_SERVICE_OUTSIDE_PROGRAM", "error", ("service_lines", 1, "procedure_code"))]
    lines = [("85025", (), "0300"), G0410]
    r = program("2024-03-01", ["F32.1"], lines)
    assert found(r, *PROGRAM) == at
    assert "(I/OCE edits 81 and 133, the claim is returned)" in \
        next(f for f in r.findings if f.rule in PROGRAM).message
    r = program("2023-03-01", ["F32.1"], lines)
    assert found(r, *PROGRAM) == at
    assert "(I/OCE edit 81, the claim is returned)" in \
        next(f for f in r.findings if f.rule in PROGRAM).message
    for conditions in (("41",), ("92",), ("89",)):
        assert found(program("2024-03-01", ["F32.1"], lines, conditions=conditions),
                     "PHP_IOP_SERVICE_OUTSIDE_PROGRAM") == []
    assert found(program("2024-03-01", ["F32.1"], lines, opps=False), *PROGRAM) == []
    # off where no I/OCE runs
    assert found(program("2024-03-01", ["F32.1"], lines, bill="prof"), *PROGRAM) == []


def test_the_mental_health_list_is_the_ioces() -> None:
    """The I/OCE's own list, not chapter 5: Z63.0, G30.9 and R45.851 are on it, I10 is
    not; T14.91XA is a "code first" diagnosis."""
    assert icd10cm.ioce_mental_health("Z63.0", on="2024-03-01")
    assert icd10cm.ioce_mental_health("G30.9", on="2024-03-01")
    assert icd10cm.ioce_mental_health("R45.851", on="2024-03-01")
    assert not icd10cm.ioce_mental_health("I10", on="2024-03-01")
    assert not icd10cm.ioce_mental_health("not a code", on="2024-03-01")
    assert icd10cm.ioce_code_first("T14.91XA", on="2024-03-01")
    assert not icd10cm.ioce_code_first("F32.1", on="2024-03-01")

"""An ambulance trip's modifiers (Medicare Claims Processing Manual ch.15 §30.A):
``MOD_AMBULANCE_TRIP_MISSING`` (the origin/destination modifier on each line of a trip)
and ``MOD_AMBULANCE_ARRANGEMENT_MISSING`` (QM or QN on an institutional provider's line).
Real codes: the Medicare ambulance fee schedule's A0425-A0436; an acute MI, I21.4."""

from __future__ import annotations

from typing import Any

from codekit import Checker, Claim, procedure

CHECKER = Checker(policies=())
RULES = ("MOD_AMBULANCE_TRIP_MISSING", "MOD_AMBULANCE_ARRANGEMENT_MISSING", "MOD_INVALID")


def claim(lines: list[tuple[str, tuple[str, ...]]], *, bill_type: str | None = None,
          payer: str = "medicare") -> Claim:
    """An 837P at POS 41 (ground ambulance), or an 837I of ``bill_type`` with every line
    under revenue code 0540, dated 2025-06-10."""
    out: dict[str, Any] = {
        "claim_type": "professional" if bill_type is None else "institutional",
        "payer": payer, "patient": {"sex": "M", "birth_date": "1948-02-20"},
        "date_of_service": "2025-06-10", "diagnoses": ["I21.4"], "service_lines": []}
    if bill_type is None:
        out["place_of_service"] = "41"
    else:
        out["bill_type"] = bill_type
    for code, mods in lines:
        ln: dict[str, Any] = {"procedure_code": code, "modifiers": list(mods),
                              "units": 12 if code in ("A0425", "A0435", "A0436") else 1}
        if bill_type is None:
            ln["diagnosis_pointers"] = [1]
        else:
            ln["revenue_code"] = "0540"
        out["service_lines"].append(ln)
    return Claim.from_dict(out)


def found(c: Claim) -> list[tuple[Any, ...]]:
    """(rule, severity, location, codes, fix) of the ambulance and modifier findings."""
    return [(f.rule, f.severity.value, f.location, f.codes, f.fix)
            for f in CHECKER.check(c).findings if f.rule in RULES]


def test_the_codes_judged() -> None:
    assert frozenset(
        {"A0425", "A0426", "A0427", "A0428", "A0429", "A0430", "A0431", "A0432", "A0433",
         "A0434", "A0435", "A0436"}) == procedure.AMBULANCE_TRIPS


def test_mileage_without_the_trips_pair_gets_the_base_rates_pair() -> None:
    c = claim([("A0427", ("RH",)), ("A0425", ())])
    assert found(c) == [("MOD_AMBULANCE_TRIP_MISSING", "error",
                         ("service_lines", 1, "modifiers"), ("A0425",), ("RH",))]
    msg = CHECKER.check(c).findings[0].message
    assert msg == ("Line 2 (A0425) is an ambulance service without an origin/destination "
                   "modifier, which Medicare requires on each line of a trip (Claims "
                   "Processing Manual ch.15 §30.A): add RH, the trip's pair on the claim's "
                   "other lines.")
    assert found(claim([("A0427", ("RH",)), ("A0425", ("RH",))])) == []


def test_no_pair_anywhere_has_no_fix_to_give() -> None:
    got = found(claim([("A0429", ()), ("A0425", ())]))
    assert [(r, loc, fix) for r, _, loc, _, fix in got] == [
        ("MOD_AMBULANCE_TRIP_MISSING", ("service_lines", 0, "modifiers"), ()),
        ("MOD_AMBULANCE_TRIP_MISSING", ("service_lines", 1, "modifiers"), ())]
    # a round trip (two pairs): the missing line's pair cannot be told
    got = found(claim([("A0428", ("RH",)), ("A0428", ("HR",)), ("A0425", ())]))
    assert got == [("MOD_AMBULANCE_TRIP_MISSING", "error", ("service_lines", 2, "modifiers"),
                    ("A0425",), ())]


def test_air_ambulance_and_other_transport_codes() -> None:
    assert [r for r, *_ in found(claim([("A0431", ("SH",)), ("A0436", ())]))] == \
        ["MOD_AMBULANCE_TRIP_MISSING"]
    # non-emergency transport outside the ambulance fee schedule: not judged
    assert found(claim([("A0130", ())])) == []
    assert found(claim([("A0999", ())])) == []


def test_institutional_lines_need_qm_or_qn_too() -> None:
    got = found(claim([("A0427", ("RH",))], bill_type="131"))
    assert got == [("MOD_AMBULANCE_ARRANGEMENT_MISSING", "error",
                    ("service_lines", 0, "modifiers"), ("A0427",), ("QN", "QM"))]
    assert found(claim([("A0427", ("RH", "QN")), ("A0425", ("RH", "QN"))],
                       bill_type="131")) == []
    assert found(claim([("A0427", ("RH", "QM"))], bill_type="851")) == []
    # a professional claim has no QM/QN to give
    assert found(claim([("A0427", ("RH",))])) == []


def test_profiles() -> None:
    # commercial: the pair as a warning; QM/QN are Medicare's
    assert [(r, s) for r, s, *_ in found(claim([("A0427", ())], payer="aetna"))] == \
        [("MOD_AMBULANCE_TRIP_MISSING", "warning")]
    assert [(r, s) for r, s, *_ in found(claim([("A0427", ())], bill_type="131",
                                               payer="aetna"))] == \
        [("MOD_AMBULANCE_TRIP_MISSING", "warning")]
    # an inpatient stay: neither
    inpatient = CHECKER.check(claim([("A0427", ())], bill_type="111"))
    assert inpatient.profile == "medicare-inpatient"
    assert not [f for f in inpatient.findings if f.rule in RULES[:2]]


def test_a_pair_where_it_may_not_stand_stays_mod_invalids() -> None:
    """XR, XH: X is a destination only. The line has a pair, an invalid one: MOD_INVALID
    says so, and MOD_AMBULANCE_TRIP_MISSING ("without an origin/destination modifier")
    does not fire as well (a specialty coder's review, item 6: one mistake, one finding)."""
    got = found(claim([("A0427", ("XR",))]))
    assert [r for r, *_ in got] == ["MOD_INVALID"]
    c = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1950-03-01"}, "date_of_service": "2026-05-01",
        "diagnoses": ["N18.6"], "service_lines": [
            {"procedure_code": "A0428", "modifiers": ["XH"], "units": 1,
             "diagnosis_pointers": [1]}]})
    [f] = [f for f in CHECKER.check(c).findings if f.rule in RULES]
    assert (f.rule, f.location, f.message) == (
        "MOD_INVALID", ("service_lines", 0, "modifiers", 0),
        "Line 1, modifier 'XH': XH: X (an intermediate stop at a physician's office) is an "
        "ambulance destination only; the origin comes first (e.g. HX).")
    # XE, XP, XS, XU are modifiers of their own, no pair: the trip still has none
    assert [r for r, *_ in found(claim([("A0427", ("XS",))]))] == [
        "MOD_AMBULANCE_TRIP_MISSING"]
    # the mileage line of a trip whose base rate has XH: its own line still lacks a pair
    assert [(r, loc) for r, _, loc, *_ in found(claim([("A0427", ("XH",)), ("A0425", ())]))
            ] == [("MOD_INVALID", ("service_lines", 0, "modifiers", 0)),
                  ("MOD_AMBULANCE_TRIP_MISSING", ("service_lines", 1, "modifiers"))]


# -- MOD_AMBULANCE_TRIP_MISMATCH ------------------------------------------------------------

def mismatch(c: Claim) -> list[tuple[Any, ...]]:
    """(severity, location, codes, fix, message) of MOD_AMBULANCE_TRIP_MISMATCH."""
    return [(f.severity.value, f.location, f.codes, f.fix, f.message)
            for f in CHECKER.check(c).findings if f.rule == "MOD_AMBULANCE_TRIP_MISMATCH"]


def test_a_mileage_line_with_another_pair_than_its_base_rate() -> None:
    """A specialty coder's review's small miss (2026-12-06): A0428 RH with A0425 RN passed.
    The lines of one trip carry its pair (ch.15 §30.A)."""
    assert mismatch(claim([("A0428", ("RH",)), ("A0425", ("RN",))])) == [(
        "warning", ("service_lines", 1, "modifiers", 0), ("A0425", "A0428", "RN", "RH"),
        ("RH",),
        "Line 2 (A0425) bills the mileage of the trip whose base rate is line 1 (A0428 RH), "
        "with another origin/destination modifier, RN: the lines of one trip carry its pair "
        "(Claims Processing Manual ch.15 §30.A): replace RN with RH, or correct line 1's if "
        "RN is the trip's.")]
    # air and ground trips of one day: each kind's lines are paired apart
    got = mismatch(claim([("A0431", ("SH",)), ("A0436", ("SN",)), ("A0427", ("SI",)),
                          ("A0425", ("SI",))]))
    assert [(loc, codes, fix) for _, loc, codes, fix, _ in got] == [
        (("service_lines", 1, "modifiers", 0), ("A0436", "A0431", "SN", "SH"), ("SH",))]
    # an institutional provider's lines (QN after the pair) and another payer: warnings too
    got = mismatch(claim([("A0428", ("QN", "RH")), ("A0425", ("QN", "RN"))], bill_type="131"))
    assert [(s, loc) for s, loc, *_ in got] == [("warning",
                                                 ("service_lines", 1, "modifiers", 1))]
    assert [s for s, *_ in mismatch(claim([("A0428", ("RH",)), ("A0425", ("RN",))],
                                          payer="aetna"))] == ["warning"]


def test_lines_codekit_does_not_pair_are_left_alone() -> None:
    for lines in (
            [("A0428", ("RH",)), ("A0425", ("RH",))],  # one trip, one pair
            # a round trip: two base rates, the mileage lines not paired
            [("A0428", ("RH",)), ("A0425", ("RH",)), ("A0428", ("HR",)), ("A0425", ("RH",))],
            [("A0428", ("RX",)), ("A0425", ("RH",))],  # an intermediate stop
            [("A0428", ()), ("A0425", ("RH",))],  # MOD_AMBULANCE_TRIP_MISSING's
            [("A0428", ("RH", "HR")), ("A0425", ("RN",))],  # two pairs on a line
            [("A0430", ("RH",)), ("A0425", ("RN",))],  # air base, ground mileage
    ):
        assert mismatch(claim(lines)) == [], lines
    # an inpatient stay: no ambulance modifier edit
    assert mismatch(claim([("A0428", ("RH",)), ("A0425", ("RN",))], bill_type="111")) == []


def test_the_mileage_codes_and_their_base_rates() -> None:
    assert dict(procedure.AMBULANCE_MILEAGE) == {
        "A0425": frozenset({"A0426", "A0427", "A0428", "A0429", "A0433", "A0434"}),
        "A0435": frozenset({"A0430"}), "A0436": frozenset({"A0431"})}
    assert set(procedure.AMBULANCE_MILEAGE).union(
        *procedure.AMBULANCE_MILEAGE.values()) == procedure.AMBULANCE_TRIPS - {"A0432"}

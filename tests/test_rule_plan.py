"""Skipping rules by claim features never changes a report.

The engine runs only the rules whose ``when`` features the claim has (``dx-sex``,
``mods-side``, ...; see ``ClaimContext._features``). These tests run the same claims again
with every feature switched on, so that every rule runs and must decide for itself, and
require identical reports: a feature computed too narrowly would show up here as a
finding that only the full run sees.
"""

from __future__ import annotations

import pytest

from codekit import Checker, Claim
from codekit.rules import context
from tests.claims_gen import make_professional


def _every_feature(checker: Checker) -> frozenset[str]:
    return frozenset().union(*(r.when for r in checker.rules))


def _reports(checker: Checker, claims: list[Claim]) -> list[list[tuple[object, ...]]]:
    return [[(f.rule, f.severity, f.location, f.codes, f.message)
             for f in checker.check(c).findings] for c in claims]


def _compare(checker: Checker, claims: list[Claim], monkeypatch: pytest.MonkeyPatch) -> int:
    skipped = _reports(checker, claims)
    original = context.ClaimContext._features
    every = _every_feature(checker)
    monkeypatch.setattr(context.ClaimContext, "_features",
                        lambda self, *a: original(self, *a) | every)
    full = _reports(checker, claims)
    monkeypatch.undo()
    for claim, a, b in zip(claims, skipped, full, strict=True):
        assert a == b, claim
    return sum(map(len, skipped))


def test_professional_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    dicts = make_professional(3000, seed=11)
    claims = [Claim.from_dict(d) for d in dicts]
    for profile in ("medicare-professional", "commercial"):
        assert _compare(Checker(profile=profile), claims, monkeypatch) > 300


def test_inpatient_claims_of_the_mce_crosscheck(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_mce_crosscheck import make_claims

    claims = [Claim.from_dict(d) for d in make_claims()[:3000]]
    assert _compare(Checker(profile="medicare-inpatient"), claims, monkeypatch) > 1000
    outpatient = [Claim.from_dict({**d, "bill_type": "131"}) for d in make_claims()[:1000]]
    assert _compare(Checker(), outpatient, monkeypatch) > 300


def test_every_when_feature_is_one_the_context_can_report() -> None:
    """A rule waiting for a feature nobody computes would never run."""
    import inspect

    source = inspect.getsource(context.ClaimContext) + inspect.getsource(context._modifiers)
    for rule in Checker().rules:
        for feature in rule.when:
            # a validity error code is a feature (rules wait on their own, and on the
            # one whose finding they replace)
            assert f'"{feature}"' in source or feature == rule.id \
                or feature in rule.supersedes, (rule.id, feature)


def test_well_typed_random_claims() -> None:
    """Hypothesis claims with junk codes, modifiers, units, pointers, sexes and ages."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.test_claims_property import PROFILES, good_claims

    checkers = {p: Checker(profile=p) for p in (None, *PROFILES)}
    every = _every_feature(Checker())
    original = context.ClaimContext._features

    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(good_claims, st.sampled_from((None, *PROFILES)))
    def same(d: dict[str, object], profile: str | None) -> None:
        claim = Claim.from_dict(d)
        skipped = _reports(checkers[profile], [claim])
        context.ClaimContext._features = (  # type: ignore[method-assign]
            lambda self, *a: original(self, *a) | every)
        try:
            full = _reports(checkers[profile], [claim])
        finally:
            context.ClaimContext._features = original  # type: ignore[method-assign]
        assert skipped == full

    same()


def test_inpatient_claims_with_procedures_and_poa(monkeypatch: pytest.MonkeyPatch) -> None:
    """Group I's features (``pcs``, ``pcs-flags``, ``inpatient``, ``dx-wrong-procedure``,
    the PCS validity codes) never hide a finding."""
    from tests.claims_gen import make_inpatient
    from tests.test_mce_crosscheck_procedures import make_claims

    claims = [Claim.from_dict(d) for d in make_claims(1500) + make_inpatient(1500)]
    assert _compare(Checker(profile="medicare-inpatient"), claims, monkeypatch) > 1000
    outpatient = [Claim.from_dict({**d, "bill_type": "131"}) for d in make_claims(500)]
    assert _compare(Checker(), outpatient, monkeypatch) > 200


def test_inpatient_claims_with_dated_procedures(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pcs-dated`` and ``discharge-status`` never hide a finding: procedures dated from
    two weeks before the discharge to two days after, with and without an admission date
    or a statement period, any discharge status, under the inpatient and commercial
    profiles and on an outpatient type of bill."""
    import datetime as dt
    import random

    rng = random.Random(5)
    codes = ("0DTJ4ZZ", "0SR90J9", "02703DZ", "5A1955Z", "0DTJXZZ", "10D00Z1", "0FYG0Z0")
    dicts = []
    for _ in range(300):
        out = dt.date(2025, 11, 1) + dt.timedelta(days=rng.randrange(60))
        day = out.isoformat()
        d: dict[str, object] = {
            "claim_type": "institutional", "payer": rng.choice(("medicare", "aetna")),
            "bill_type": rng.choice(("111", "111", "117", "131")),
            "patient": {"sex": rng.choice("MF"), "age": rng.randint(20, 90)},
            "date_of_service": day, "diagnoses": [{"code": "K35.80", "poa": "Y"}],
            "procedures": [{"code": rng.choice(codes), "date": (out + dt.timedelta(
                days=rng.randint(-14, 2))).isoformat()} if rng.random() < 0.8
                else rng.choice(codes) for _ in range(rng.randint(1, 3))]}
        if rng.random() < 0.7:
            d["discharge_status"] = rng.choice(("01", "1", f"{rng.randrange(100):02d}"))
        start = out - dt.timedelta(days=rng.randint(0, 8))
        if rng.random() < 0.6:
            d["statement_period"] = [start.isoformat(), day]
        if rng.random() < 0.6:
            d["admission_date"] = start.isoformat()
        dicts.append(d)
    claims = [Claim.from_dict(d) for d in dicts]
    rules = {f.rule for c in claims for f in Checker().check(c).findings}
    assert {"PCS_DATE_AFTER_DISCHARGE", "PCS_DATE_BEFORE_ADMISSION",
            "DISCHARGE_STATUS_INVALID"} <= rules
    assert _compare(Checker(), claims, monkeypatch) > 200
    assert _compare(Checker(profile="medicare-inpatient"), claims, monkeypatch) > 200


def test_a_rule_runs_only_under_the_profile_options_it_declares() -> None:
    """``options=["ioce"]`` (the I/OCE's own edits): not planned under a profile without
    the option, so its check is never called there; planned under one with it."""
    from codekit.rules import Hit, rule

    calls: list[str] = []

    @rule("X_IOCE_ONLY", "E", "warning", "test", options=["ioce"])
    def ioce_only(ctx: context.ClaimContext) -> list[Hit]:
        calls.append(ctx.profile.name)
        return [Hit("said", ("diagnoses", 0), ("I10",))]

    claim = Claim.from_dict({"claim_type": "institutional", "payer": "medicare",
                             "bill_type": "131", "date_of_service": "2025-11-03",
                             "patient": {"sex": "F", "age": 60}, "diagnoses": ["I10"],
                             "service_lines": [{"line": 1, "procedure_code": "99284",
                                                "revenue_code": "0450", "units": 1}]})
    found = {p: [f.rule for f in Checker(profile=p).with_rules(ioce_only).check(claim).findings
                 if f.rule == "X_IOCE_ONLY"]
             for p in ("medicare-outpatient", "medicare-professional", "commercial")}
    assert found == {"medicare-outpatient": ["X_IOCE_ONLY"], "medicare-professional": [],
                     "commercial": []}
    assert calls == ["medicare-outpatient"]
    assert ioce_only.options == ("ioce",)


def test_plans_of_a_long_stream_stay_remembered_and_leave_room_for_routes() -> None:
    """The plans were kept with the checker's other remembered answers under one bound of
    1,024: a stream meets new sets of features for as long as it runs (948 distinct ones in
    20,000 typical professional claims), so past the bound every new set was planned again
    on each claim (17 us) and routes were no longer remembered either. A plan is the same
    for every claim of its features, whatever came between."""
    from codekit import checker as checker_module

    checker = Checker()
    profile = checker.profiles["medicare-professional"]
    sets = [frozenset({"dx-several", "lines", f"never-{i}"}) for i in range(2000)]
    first = [checker._plan(profile, f) for f in sets]
    assert all(checker._plan(profile, f) is plan for f, plan in zip(sets, first, strict=True))
    # the rules waiting for features a set does not have are left out of its plan
    steps = {step[0].id for step in first[0][0]}
    assert "DX_EXCLUDES1_CONFLICT" in steps and "LINE_COUNT_EXCEEDED" not in steps
    claim = Claim.from_dict(make_professional(1)[0])
    assert checker.route(claim) is checker.route(claim)
    assert checker_module.MAX_PLANS >= 4096


def test_claims_with_codes_outside_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    """``code-not-ascii`` (CODE_NOT_ASCII) is reported for a character outside ASCII in
    any code: a diagnosis, a procedure code, a modifier, an ICD-10-PCS code, the admitting
    diagnosis or a reason for visit."""
    odd = ("\u200b", "\u00a0", "\ufeff", "\uff11", "\u0669")
    claims = []
    for i, d in enumerate(make_professional(120, seed=17)):
        ch = odd[i % len(odd)]
        where = i // len(odd) % 3
        if where == 0 and d["diagnoses"]:
            d["diagnoses"][-1] = d["diagnoses"][-1] + ch
        elif where == 1 and d["service_lines"]:
            d["service_lines"][0]["procedure_code"] = ch + d["service_lines"][0]["procedure_code"]
        elif d["service_lines"]:
            d["service_lines"][-1]["modifiers"] = [*d["service_lines"][-1]["modifiers"], "2" + ch]
        claims.append(Claim.from_dict(d))
    stay = {"claim_type": "institutional", "payer": "medicare", "bill_type": "111",
            "patient": {"sex": "M", "age": 67}, "statement_period": ["2025-11-01", "2025-11-03"],
            "admission_date": "2025-11-01", "date_of_service": "2025-11-03",
            "diagnoses": [{"code": "I21.4", "poa": "Y"}, {"code": "I10", "poa": "Y"}],
            "visit_reasons": ["R07.9"],
            "service_lines": [{"line": 1, "revenue_code": "0120", "units": 2}]}
    for ch in odd:
        claims.append(Claim.from_dict({**stay, "admitting_diagnosis": "R07.9" + ch}))
        claims.append(Claim.from_dict({**stay, "visit_reasons": ["R07" + ch + ".9"]}))
        claims.append(Claim.from_dict({**stay, "procedures": [
            {"code": "02703DZ" + ch, "date": "2025-11-02"}]}))
    assert _compare(Checker(), claims, monkeypatch) > 100
    assert sum(f.rule == "CODE_NOT_ASCII" for c in claims
               for f in Checker().check(c).findings) > 60

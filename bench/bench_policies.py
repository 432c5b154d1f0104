"""What compiled payer policies cost: checking claims with and without 200 coverage rules,
and loading 200 rules.

    python bench/bench_policies.py [--claims 2000] [--rules 200] [--repeat 9]
                                   [--pass-rate 0.8]

Workload (fixed seeds): 200 coverage rules in the policy language, each "for each line
where procedure in <a CPT code, or a range of 3 for one rule in 10> require any pointed dx
in <4-12 ICD-10-CM codes (70 %), ranges within a category (15 %) and prefixes (15 %)>",
payer medicare, over real codes valid on 2025-11-03; and Medicare professional claims with
1-4 lines and 1-6 diagnoses, whose procedure codes are drawn half from the rules' trigger
codes and half from other CPT codes. A line with a trigger code points to a diagnosis
covered by each rule it triggers 80 % of the time (``--pass-rate``; most claims meet
coverage, the rest fail it and cost a finding each).

Measured (interleaved passes over the same claims, one Checker each, timed in chunks of
100 claims; the best of ``--repeat`` for each chunk, summed):
- built-in edits alone (``Checker()``);
- built-in edits + the 200 rules as one PolicySet (``Checker(policies=[rules])``, the
  indexed path); the ratio of the two is the target (<= 1.25);
- built-in edits + the 200 rules one by one (``Checker(policies=list(rules))``: each Policy
  filters itself), for comparison;
- loading ``policies.loads`` of the 200-rule text: first in a fresh interpreter that has
  checked one claim (codekit's tables loaded, as in any checking process; lark imported
  and the grammar built by the load), again in the same process, and in a cold interpreter
  (which also pays for importing codekit and loading its code tables).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DOS = "2025-11-03"


def _cpt_codes(n: int, rng: random.Random) -> list[str]:
    from codekit import procedure

    out: list[str] = []
    candidates = [f"{i:05d}" for i in range(10004, 99607, 7)]
    rng.shuffle(candidates)
    for c in candidates:
        if procedure.is_valid(c, on=DOS):
            out.append(c)
            if len(out) == n:
                break
    return out


def _dx_codes(rng: random.Random) -> list[str]:
    from codekit.icd10cm import default_store

    rel = default_store().release("FY2026")
    codes = [c for i, c in enumerate(rel.codes) if rel.is_billable_row(i)
             and len(c) in (4, 5) and c[0] not in "STVWXY"]
    rng.shuffle(codes)
    return codes[:3000]


def _dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def make_rules(n: int, seed: int = 2025
               ) -> tuple[str, list[str], list[str], list[str], dict[str, list[str]]]:
    """Policy text with ``n`` rules, the trigger codes, other CPT codes, the dx pool and,
    for each trigger code, a covered diagnosis (dotted) of each rule it triggers."""
    from codekit import icd10cm

    rng = random.Random(seed)
    cpt = _cpt_codes(2 * n + 200, rng)
    triggers, others = cpt[:n], cpt[n:]
    dx = _dx_codes(rng)
    by_category: dict[str, list[str]] = {}
    for c in sorted(dx):
        by_category.setdefault(c[:3], []).append(c)
    out = []
    covered: dict[str, list[str]] = {}
    for k, code in enumerate(triggers):
        items = []
        for _ in range(rng.randint(4, 12)):
            d = rng.choice(dx)
            kind = rng.random()
            later = [c for c in by_category[d[:3]] if c > d]
            if kind < 0.15 and len(d) == 5:
                items.append(f"{_dotted(d[:4])}-")  # a prefix such as M54.4-
            elif kind < 0.3 and later:  # a range within the category, I70.211-I70.218
                end = rng.choice(later[:8])
                if icd10cm.tabular_key(end) < icd10cm.tabular_key(d):
                    d, end = end, d  # the tabular's order (C96.Z before C96.9)
                items.append(f"{_dotted(d)}-{_dotted(end)}")
            else:
                items.append(_dotted(d))
        ok = items[0].split("-")[0] if not items[0].endswith("-") else None
        ok = ok or _dotted(next(d for d in dx if _dotted(d).startswith(items[0][:-1])))
        trigger, codes = code, [code]
        if k % 10 == 0:  # some rules trigger on a range
            nxt = sorted(c for c in triggers if c > code)[:2]
            if nxt:
                trigger = f"{code}-{nxt[-1]}"
                codes = [c for c in triggers if code <= c <= nxt[-1]]
        for c in codes:
            covered.setdefault(c, []).append(ok)
        out.append(
            f"rule BENCH-{k:03d}\n"
            f"  title: \"bench rule {k}\"\n"
            f"  payer: medicare\n"
            f"  effective: 2015-10-01\n"
            f"  source: \"synthetic coverage rule {k}\"\n"
            f"  for each line where procedure in {trigger}\n"
            f"  require any pointed dx in {{{', '.join(items)}}}\n"
            f"end\n")
    return "\n".join(out), triggers, others, dx, covered


def make_claims(n: int, triggers: list[str], others: list[str], dx: list[str],
                covered: dict[str, list[str]], seed: int = 7,
                pass_rate: float = 0.8) -> list[object]:
    from codekit import Claim

    rng = random.Random(seed)
    claims = []
    for _ in range(n):
        diagnoses = [_dotted(c) for c in rng.sample(dx[:400], rng.randint(1, 6))]
        lines = []
        for i in range(rng.randint(1, 4)):
            code = rng.choice(triggers if rng.random() < 0.5 else others)
            ptrs = sorted(rng.sample(range(1, len(diagnoses) + 1),
                                     rng.randint(1, min(2, len(diagnoses)))))
            if code in covered and rng.random() < pass_rate:
                for ok in covered[code]:  # a covered diagnosis for every rule it triggers
                    if ok not in diagnoses:
                        diagnoses.append(ok)
                    ptrs = sorted({*ptrs, diagnoses.index(ok) + 1})
            lines.append({"line": i + 1, "procedure_code": code, "units": 1,
                          "diagnosis_pointers": ptrs})
        claims.append(Claim.from_dict({
            "claim_type": "professional", "payer": "medicare",
            "patient": {"sex": rng.choice("MF"), "age": rng.randint(65, 90)},
            "date_of_service": DOS, "diagnoses": diagnoses, "service_lines": lines}))
    return claims


def _time(checker: object, claims: list[object], repeat: int) -> tuple[float, int]:
    best = float("inf")
    findings = 0
    for _ in range(repeat):
        t = time.perf_counter()
        n = 0
        for c in claims:
            n += len(checker.check(c).findings)  # type: ignore[attr-defined]
        best = min(best, time.perf_counter() - t)
        findings = n
    return best, findings


_FRESH = """
import sys, time
sys.path.insert(0, {src!r})
text = open({path!r}, encoding="utf-8").read()
if {warm_data!r}:  # a process that has checked a claim: codekit's tables are loaded
    from codekit import Checker, Claim
    Checker().check(Claim.from_dict({{
        "claim_type": "professional", "payer": "medicare",
        "patient": {{"sex": "F", "age": 70}}, "date_of_service": "2025-11-03",
        "diagnoses": ["I10"], "service_lines": [{{"procedure_code": "99213", "units": 1,
                                                  "diagnosis_pointers": [1]}}]}}))
t = time.perf_counter()
from codekit import policies
rules = policies.loads(text)
print(time.perf_counter() - t, len(rules))
"""


def _fresh(path: Path, warm_data: bool, runs: int = 5) -> float:
    """Median time of ``policies.loads`` in fresh interpreters."""
    times = []
    for _ in range(runs):
        script = _FRESH.format(src=str(ROOT / "src"), path=str(path), warm_data=warm_data)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True).stdout.split()
        times.append(float(out[0]))
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=2000)
    ap.add_argument("--rules", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--pass-rate", type=float, default=0.8,
                    help="share of triggered lines that carry a covered diagnosis")
    args = ap.parse_args(argv)

    from codekit import Checker, policies

    text, triggers, others, dx, covered = make_rules(args.rules)
    claims = make_claims(args.claims, triggers, others, dx, covered, pass_rate=args.pass_rate)
    rules = policies.loads(text)
    print(f"{len(rules)} rules, {len(claims)} claims, "
          f"{sum(len(c.service_lines) for c in claims)} lines")  # type: ignore[attr-defined]

    base = Checker()
    indexed = Checker(policies=[rules])
    flat = Checker(policies=list(rules))
    variants = {"base": base, "indexed": indexed, "flat": flat}
    for ch in variants.values():  # warm caches (codes seen, entries, tables)
        _time(ch, claims, 1)
    # Interleaved in chunks of 100 claims, best of each chunk, summed: the VM's speed
    # drifts from second to second, and a slow second then spoils one chunk of one
    # pass, not a whole pass of one variant.
    chunks = [claims[i:i + 100] for i in range(0, len(claims), 100)]
    best = {name: [float("inf")] * len(chunks) for name in variants}
    found = dict.fromkeys(variants, 0)
    for _ in range(args.repeat):
        for name, ch in variants.items():
            total = 0
            for k, chunk in enumerate(chunks):
                t, n = _time(ch, chunk, 1)
                best[name][k] = min(best[name][k], t)
                total += n
            found[name] = total
    t_base, t_idx, t_flat = (sum(best[k]) for k in ("base", "indexed", "flat"))
    f_base, f_idx, f_flat = found["base"], found["indexed"], found["flat"]
    per = 1e6 / len(claims)
    print(f"built-in edits alone        : {t_base * per:8.1f} us/claim  ({f_base} findings)")
    print(f"+ {len(rules)} rules, PolicySet   : {t_idx * per:8.1f} us/claim  ({f_idx} findings)"
          f"  ratio {t_idx / t_base:.3f}  (+{(t_idx / t_base - 1) * 100:.1f} %, target <= 25 %)")
    print(f"+ {len(rules)} rules, one by one  : {t_flat * per:8.1f} us/claim  ({f_flat} findings)"
          f"  ratio {t_flat / t_base:.3f}")
    assert f_idx == f_flat, "indexed and per-policy checking disagree"

    warm = []
    for _ in range(5):
        t = time.perf_counter()
        policies.loads(text)
        warm.append(time.perf_counter() - t)
    path = Path(__file__).with_name(".bench_policies_rules.policy")
    path.write_text(text, encoding="utf-8")
    try:
        cold = _fresh(path, warm_data=False)
        first = _fresh(path, warm_data=True)
    finally:
        path.unlink()
    print(f"load {len(rules)} rules, first in a checking process: {first:6.3f} s "
          "(tables loaded; lark import + grammar + parse + compile; median of 5; "
          "target <= 0.2 s)")
    print(f"load {len(rules)} rules, again in the same process : {min(warm):6.3f} s "
          "(best of 5)")
    print(f"load {len(rules)} rules, cold interpreter          : {cold:6.3f} s "
          "(also imports codekit and loads its ICD-10-CM and procedure tables)")


if __name__ == "__main__":
    main()

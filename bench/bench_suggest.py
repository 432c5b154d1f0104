"""Did-you-mean for distinct mistyped codes: rapidfuzz over every code against codekit's
prefiltered search (codekit._fuzzy), side by side in one run.

    PYTHONPATH=src python bench/bench_suggest.py [--n 2000]

For each code system (the ICD-10-CM codes billable on 2025-11-03, the CPT/HCPCS codes
active then, the ICD-10-PCS codes valid then), ``n`` distinct texts -- a quarter random
letters and digits, a quarter real codes with one to three characters changed, a quarter
prefixes of real codes, a quarter long junk -- each asked for its 5 nearest codes:

- **rapidfuzz**: ``process.extract(text, codes, scorer=fuzz.ratio, limit=5,
  score_cutoff=50)`` over the whole list, what a caller would write;
- **codekit**: ``FuzzyCodes(codes).extract(text, limit=5, cutoff=50)``, the same answer
  (checked here on every text) from the codes that can reach the floor.

CPU time per text (best of 3), and the ratio. Then the whole verbs
(``icd10cm.suggest``, ``procedure.suggest``, ``icd10pcs.suggest``) on the same texts.
Figures in docs/performance.md (Did-you-mean).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import string
import time
from collections.abc import Callable

DAY = dt.date(2025, 11, 3)
ALNUM = string.ascii_uppercase + string.digits


def texts(codes: list[str], n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        kind = len(out) % 4
        if kind == 0:
            out.add("".join(rnd.choices(ALNUM, k=rnd.randint(3, 8))))
        elif kind == 1:
            chars = list(rnd.choice(codes))
            for _ in range(rnd.randint(1, 3)):
                chars[rnd.randrange(len(chars))] = rnd.choice(ALNUM)
            out.add("".join(chars))
        elif kind == 2:
            code = rnd.choice(codes)
            out.add(code[:rnd.randint(2, len(code))])
        else:
            out.add("".join(rnd.choices(ALNUM + "%$.- ", k=rnd.randint(10, 40))))
    return sorted(out, key=lambda t: rnd.random())


def cpu_per_call(fn: Callable[[str], object], items: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        for x in items:
            fn(x)
        best = min(best, time.process_time() - t)
    return best / len(items)


def _peer(codes: list[str], text: str) -> object:
    from rapidfuzz import fuzz, process

    return process.extract(text, codes, scorer=fuzz.ratio, limit=5, score_cutoff=50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    from rapidfuzz import fuzz, process

    from codekit import icd10cm, icd10pcs, procedure
    from codekit._fuzzy import FuzzyCodes
    from codekit._procedures._suggest import _active
    from codekit.icd10cm._store import default_store as cm_store
    from codekit.icd10cm._suggest import _INDEX
    from codekit.icd10pcs._store import default_store as pcs_store

    cm = cm_store()
    rel, _ = cm.release_for(DAY)
    pcs = pcs_store()
    systems: list[tuple[str, list[str], Callable[[str], object]]] = [
        ("ICD-10-CM", _INDEX.billable(cm, rel, DAY), lambda x: icd10cm.suggest(x, on=DAY)),
        ("CPT/HCPCS", _active(procedure.default_store(), DAY, None),
         lambda x: procedure.suggest(x, on=DAY)),
        ("ICD-10-PCS", pcs.valid_list(pcs.validity.period(DAY)),
         lambda x: icd10pcs.suggest(x, on=DAY)),
    ]
    print(f"did-you-mean for {args.n:,} distinct texts a system (5 nearest, floor 50), "
          "CPU per text, best of 3\n")
    print(f"{'system':11} {'codes':>7} {'rapidfuzz, every code':>22} {'codekit':>10} "
          f"{'ratio':>7} {'build':>8} {'whole verb':>11}")
    for name, codes, verb in systems:
        items = texts(codes, args.n, seed=len(codes))
        t = time.process_time()
        fuzzy = FuzzyCodes(codes)
        build = time.process_time() - t
        for x in items:  # the same answers, every one
            plain = [c for c, _s, _ in process.extract(x, codes, scorer=fuzz.ratio, limit=5,
                                                        score_cutoff=50)]
            assert fuzzy.extract(x, limit=5, cutoff=50) == plain, x
        peer = cpu_per_call(functools.partial(_peer, codes), items)
        ours = cpu_per_call(functools.partial(fuzzy.extract, limit=5, cutoff=50), items)
        verb(items[0])
        whole = cpu_per_call(verb, items, repeat=1)
        print(f"{name:11} {len(codes):>7,} {peer * 1e3:>19.3f} ms {ours * 1e3:>7.3f} ms "
              f"{peer / ours:>6.1f}x {build:>6.2f} s {whole * 1e3:>8.3f} ms")


if __name__ == "__main__":
    main()

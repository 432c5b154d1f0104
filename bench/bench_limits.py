"""Worst-case cost of one call of each entry point as its input grows (docs/reliability.md,
"Resource limits").

    python bench/bench_limits.py            # every case
    python bench/bench_limits.py suggest    # the cases whose name contains "suggest"

Each measurement runs in a fresh process (so the peak RSS is that call's), after a warm-up
call on a small input that loads the tables; it reports the wall time of the one call and
the growth of peak RSS over the warm process. A call that runs past ``--timeout`` seconds
(default 20) is killed and reported as such, and so is one that fails; a measurement never
takes the machine down (the worker's address space is capped at ``--memory-mb``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CLAIM = {"claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
         "patient": {"sex": "F", "birth_date": "1950-03-04"}}

#: (case name, size label, setup code, the measured statement). ``n`` is the size.
CASES: list[tuple[str, list[int], str, str]] = [
    ("icd10cm.suggest(len n)", [64, 1000, 5000],
     "from codekit import icd10cm; icd10cm.suggest('E11.9', on='2025-06-01'); q='E119X'*(n//5)",
     "icd10cm.suggest(q, on='2025-06-01')"),
    ("icd10cm.search(len n)", [100, 10_000, 100_000],
     "from codekit import icd10cm; icd10cm.search('diabetes', on='2025-06-01');"
     "q=('diabetes type ' * n)[:n]", "icd10cm.search(q, on='2025-06-01')"),
    ("icd10cm.search(limit n)", [10, 10_000, 1_000_000],
     "from codekit import icd10cm; icd10cm.search('diabetes', on='2025-06-01')",
     "icd10cm.search('fracture', on='2025-06-01', limit=n)"),
    ("hcpcs.search(len n)", [100, 10_000, 100_000],
     "from codekit import hcpcs; hcpcs.search('injection', on='2025-06-01');"
     "q=('injection of drug ' * n)[:n]", "hcpcs.search(q, on='2025-06-01')"),
    ("icd10pcs.search(len n)", [100, 1000, 10_000],
     "from codekit import icd10pcs; icd10pcs.search('appendix resection', on='2025-06-01');"
     "q=('resection of appendix ' * n)[:n]", "icd10pcs.search(q, on='2025-06-01')"),
    ("procedure.suggest(len n)", [100, 1000, 10_000],
     "from codekit import procedure; procedure.suggest('9921', on='2025-06-01'); q='9921X'*(n//5)",
     "procedure.suggest(q, on='2025-06-01')"),
    ("procedure.parse_line(n modifiers)", [10, 10_000, 300_000],
     "from codekit import procedure; q='99213' + '-25' * n", "procedure.parse_line(q)"),
    ("icd10cm.validate(len n)", [100, 100_000, 10_000_000],
     "from codekit import icd10cm; icd10cm.is_valid('I10', on='2025-06-01'); q='E' * n",
     "icd10cm.is_valid(q, on='2025-06-01')"),
    ("check(n diagnoses)", [12, 99, 4000],
     "import codekit, json, random; from codekit import Checker, Claim;"
     "from codekit.icd10cm import default_store;"
     "codes=[c for c in default_store().release('FY2026').codes if len(c)>3][:n];"
     f"d=dict({CLAIM!r}, diagnoses=codes, service_lines=[{{'procedure_code':'99213',"
     "'diagnosis_pointers':[1]}]); ch=Checker(); ch.check(Claim.from_dict(dict(d, "
     "diagnoses=codes[:2]))); c=Claim.from_dict(d)", "ch.check(c)"),
    ("check(n lines, professional)", [50, 999, 5000],
     "from codekit import Checker, Claim; "
     f"d=dict({CLAIM!r}, diagnoses=['I10','E11.9'], service_lines=[{{'procedure_code':"
     "['99213','36415','80053','20610'][i%4],'diagnosis_pointers':[1]} for i in range(n)]);"
     "ch=Checker(); ch.check(Claim.from_dict(dict(d, service_lines=d['service_lines'][:2])));"
     "c=Claim.from_dict(d)", "ch.check(c)"),
    ("check(n lines, outpatient)", [50, 999, 5000],
     "from codekit import Checker, Claim; "
     "d={'claim_type':'institutional','payer':'medicare','bill_type':'131',"
     "'date_of_service':'2025-11-03','patient':{'sex':'F','age':70},"
     "'diagnoses':['I10','E11.9'],'service_lines':[{'procedure_code':"
     "['99213','36415','80053','20610'][i%4],'revenue_code':'0510','diagnosis_pointers':[1]}"
     " for i in range(n)]};"
     "ch=Checker(); ch.check(Claim.from_dict(dict(d, service_lines=d['service_lines'][:2])));"
     "c=Claim.from_dict(d)", "ch.check(c)"),
    ("policy nesting depth n (30 lines)", [2, 4, 5],
     "from codekit import Checker, Claim; from codekit.policies import loads;"
     "cond='procedure in 99213'\n"
     "for _ in range(n): cond=f'any line where ({cond})'\n"
     "ps=loads('rule NEST\\n  finding: COVERAGE_CRITERIA_NOT_MET\\n  payer: medicare\\n"
     "  effective: 2015-10-01\\n  source: \"x\"\\n"
     "  when '+cond+'\\n  require age between 50 and 77\\n  message: \"x\"\\nend\\n');"
     f"d=dict({CLAIM!r}, patient={{'sex':'F','age':80}}, diagnoses=['I10'],"
     "service_lines=[{'procedure_code':'99213','diagnosis_pointers':[1]}]*30);"
     "ch=Checker(policies=(ps,)); c=Claim.from_dict(d)", "ch.check(c)"),
    ("ncci.load_mue(n MB csv)", [1, 10],
     "from codekit import ncci; p=WORK/'mue.csv';"
     "p.write_text('code,mue,mai\\n' + '17000,1,2\\n' * (n*1024*1024//11))",
     "ncci.load_mue(p)"),
    ("ncci.load_mue(1 MB .gz of n MB newlines)", [10, 100],
     "import gzip; from codekit import ncci; p=WORK/'mue.csv.gz';"
     "p.write_bytes(gzip.compress(b'code,mue,mai\\n' + b'\\n' * (n*1024*1024)))",
     "ncci.load_mue(p)"),
    ("hcpcs.load_release(xlsx, cell ref column n)", [3, 4],
     "from codekit import hcpcs; from codekit.procedure import default_store;"
     "import zipfile; p=WORK/'HCPC2025_OCT_ANWEB.xlsx'; col='Z'*n;"
     "ns='xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"';"
     "z=zipfile.ZipFile(p,'w'); z.writestr('xl/workbook.xml', f'<workbook {ns} "
     "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
     "<sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>');"
     "z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns=\"http://schemas."
     "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "
     "Target=\"worksheets/sheet1.xml\" Type=\"x\"/></Relationships>');"
     "z.writestr('xl/worksheets/sheet1.xml', f'<worksheet {ns}><sheetData><row r=\"1\">"
     "<c r=\"A1\" t=\"inlineStr\"><is><t>HCPC</t></is></c></row><row r=\"2\"><c r=\"{col}2\">"
     "<v>1</v></c></row></sheetData></worksheet>'); z.close(); st=type(default_store())()",
     "hcpcs.load_release(p, store=st)"),
]

RUNNER = r"""
import json, os, resource, sys, time
from pathlib import Path
cap = int(sys.argv[2]) * 1024 * 1024
if cap: resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
n = int(sys.argv[1]); WORK = Path(sys.argv[3])
setup, stmt = sys.stdin.read().split("\x00")
ns = {"n": n, "WORK": WORK}
exec(setup, ns)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    exec(stmt, ns)
    err = None
except BaseException as e:
    err = f"{type(e).__name__}: {str(e)[:120]}"
took = time.perf_counter() - t0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": took, "rss_mb": after / 1024, "grew_mb": (after - before) / 1024,
                  "error": err}))
"""


def measure(setup: str, stmt: str, n: int, timeout: float, memory_mb: int) -> dict:
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}")
    with tempfile.TemporaryDirectory() as work:
        env["CODEKIT_DATA_DIR"] = work
        try:
            p = subprocess.run([sys.executable, "-c", RUNNER, str(n), str(memory_mb), work],
                               input=f"{setup}\x00{stmt}", capture_output=True, text=True,
                               timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return {"seconds": None, "grew_mb": None, "error": f"killed after {timeout:.0f} s"}
    if p.returncode:
        return {"seconds": None, "grew_mb": None, "error": p.stderr.strip().splitlines()[-1]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("only", nargs="*")
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--memory-mb", type=int, default=3072)
    args = ap.parse_args()
    print("| entry point | n | one call | peak RSS growth | note |")
    print("|---|---:|---:|---:|---|")
    for name, sizes, setup, stmt in CASES:
        if args.only and not any(o in name for o in args.only):
            continue
        for n in sizes:
            r = measure(setup, stmt, n, args.timeout, args.memory_mb)
            secs = "-" if r["seconds"] is None else f"{r['seconds']:.3f} s"
            grew = "-" if r["grew_mb"] is None else f"{r['grew_mb']:.0f} MB"
            print(f"| {name} | {n:,} | {secs} | {grew} | {r['error'] or ''} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

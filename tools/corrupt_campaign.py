"""Corruption campaign over codekit's bundled data (issue 11, item 6).

Copies ``data/`` to a temporary directory, then runs trials: each damages one bundled file
of the copy (truncation, a bit flip in the header, a bit flip in a section, or deletion),
points codekit at the copy in a fresh forked process and asks a fixed set of questions of
every entry point (ICD-10-CM, ICD-10-PCS, CPT/HCPCS, modifiers, NCCI, POA, the search
indexes and the checker under every profile). Each trial is one of:

- ``same``: every answer equals the undamaged copy's (the damaged part was not read);
- ``loud``: every answer that differs is a :class:`codekit.DataError` (the target);
- ``other_typed``: an answer that differs is another typed error that is not a refusal of
  the input (e.g. ``PolicyError`` from a damaged policy file);
- ``silent``: an answer differs without an error (a wrong answer: the target is 0);
- ``escape``: an answer raised an exception that is not a ``CodekitError`` (target 0);
- ``hang``: the trial ran past its time limit.

codekit is pointed at the copy by setting ``codekit._paths._REPO_DATA`` in the forked child
(a source checkout reads ``data/`` from there; run this from the repository with
``PYTHONPATH=src``). No environment override exists or is needed.

    PYTHONPATH=src python tools/corrupt_campaign.py --trials 400 --seed 1
    PYTHONPATH=src python tools/corrupt_campaign.py --trials 36 --json   # quick
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import select
import shutil
import struct
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

KINDS = ("truncate", "flip_header", "flip_section", "delete")
OUTCOMES = ("same", "loud", "other_typed", "silent", "escape", "hang")


# -- the questions ------------------------------------------------------------------------


def _summary(value: Any) -> str:
    text = repr(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16] + " " + text[:160]


def probes(dates: list[str]) -> Iterator[tuple[str, Callable[[], Any]]]:
    """(name, question) pairs covering every bundled table."""
    import codekit
    from codekit import (
        Checker,
        Claim,
        hcpcs,
        icd10cm,
        icd10pcs,
        modifiers,
        ncci,
        poa,
        procedure,
    )

    def entry(code: str, day: str) -> Callable[[], Any]:
        def ask() -> Any:
            e = icd10cm.lookup(code, on=day)
            return (e, e.short_title, e.excludes1, e.excludes2, e.seventh_characters,
                    e.block, e.chapter, e.code_first, e.use_additional_code, e.mce,
                    e.valid_ranges)
        return ask

    yield "icd10cm.releases", lambda: icd10cm.releases()
    for day in dates:
        yield f"icd10cm.validate E11.65 {day}", lambda d=day: icd10cm.validate("E11.65", on=d)
        yield f"icd10cm.is_valid G35 {day}", lambda d=day: icd10cm.is_valid("G35", on=d)
        yield f"icd10cm.is_valid U07.1 {day}", lambda d=day: icd10cm.is_valid("U07.1", on=d)
        yield f"icd10cm.lookup S52.90XA {day}", entry("S52.90XA", day)
        yield f"icd10cm.lookup E11.9 {day}", entry("E11.9", day)
        yield f"icd10cm.why_invalid Z00.00 {day}", lambda d=day: icd10cm.why_invalid(
            "Z00.00", on=d)
        yield f"icd10pcs.lookup 0DTJ4ZZ {day}", lambda d=day: icd10pcs.lookup(
            "0DTJ4ZZ", on=d)
        yield f"icd10pcs.is_valid XW033E5 {day}", lambda d=day: icd10pcs.is_valid(
            "XW033E5", on=d)
        yield f"procedure.validate 99213 {day}", lambda d=day: procedure.validate(
            "99213", on=d)
        yield f"hcpcs.lookup G0008 {day}", lambda d=day: hcpcs.lookup("G0008", on=d)
        yield f"modifiers.validate 25 {day}", lambda d=day: modifiers.validate("25", on=d)
        yield f"poa.is_exempt Z3800 {day}", lambda d=day: poa.is_exempt("Z3800", on=d)
        yield f"ncci.ptp 20610 {day}", lambda d=day: ncci.hospital_ptp().edits("20610", on=d)
        yield f"ncci.addon 99292 {day}", lambda d=day: ncci.addons().get("99292", on=d)
        yield f"procedure.cs_waiver 99213 {day}", lambda d=day: procedure.cs_waiver_eligible(
            "99213", on=d)
    yield "icd10cm.valid_ranges G35", lambda: icd10cm.valid_ranges("G35")
    yield "icd10cm.search", lambda: icd10cm.search("diabetes with hyperglycemia")[:5]
    yield "icd10cm.suggest", lambda: icd10cm.suggest("E11.6", on="2025-06-01")[:5]
    yield "icd10pcs.search", lambda: icd10pcs.search("appendectomy")[:5]
    yield "procedure.search", lambda: procedure.search("office visit")[:5]
    yield "ncci.ioce_addons U0005", lambda: ncci.ioce_addons().get("U0005", on="2021-06-01")
    yield "poa.fiscal_years", lambda: poa.fiscal_years()

    base = {
        "claim_id": "C1", "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1960-05-17"},
        "date_of_service": "2025-11-03", "diagnoses": ["E11.9", "I10", "Z00.00"],
        "service_lines": [
            {"line": 1, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1, 2],
             "modifiers": ["25"]},
            {"line": 2, "procedure_code": "20610", "units": 1, "diagnosis_pointers": [1]},
            {"line": 3, "procedure_code": "G0008", "units": 1, "diagnosis_pointers": [3]},
            {"line": 4, "procedure_code": "99292", "units": 1, "diagnosis_pointers": [1]},
        ],
    }
    inpatient = {**base, "claim_type": "institutional", "bill_type": "111",
                 "diagnoses": ["Z00.00", "S52.90XA", "O80"], "procedures": ["0DTJ4ZZ"]}
    for profile in ("medicare-professional", "medicare-outpatient", "medicare-inpatient",
                    "commercial"):
        for name, claim in (("professional", base), ("inpatient", inpatient)):
            def check(p: str = profile, c: dict = claim) -> Any:
                report = Checker(profile=p).check(Claim.from_dict(c))
                return sorted((f.rule, repr(f.location), f.message) for f in report.findings)
            yield f"check {profile} {name}", check
    yield "codekit.preload", lambda: codekit.preload()


def ask_all(dates: list[str]) -> dict[str, list[Any]]:
    """Every question's outcome: ["ok", summary] or ["err", type, is CodekitError, is
    DataError, message]."""
    from codekit import CodekitError, DataError

    out: dict[str, list[Any]] = {}
    for name, ask in probes(dates):
        try:
            out[name] = ["ok", _summary(ask())]
        except Exception as e:  # what the campaign counts
            where = traceback.extract_tb(e.__traceback__)[-1]
            out[name] = ["err", type(e).__name__, isinstance(e, CodekitError),
                         isinstance(e, DataError),
                         f"{str(e)[:200]} @ {Path(where.filename).name}:{where.lineno}"]
    return out


def _child(data: Path, dates: list[str] | None, write_fd: int) -> None:
    import codekit
    from codekit import _paths

    _paths._REPO_DATA = data
    codekit.clear_caches()
    if dates is None:  # discovery: the effective dates of the undamaged releases
        from codekit import icd10cm

        days = sorted({str(r.effective) for r in icd10cm.releases()})
        result: Any = [*days, "2015-10-01", "2026-12-31", "2030-01-01"]
    else:
        result = ask_all(dates)
    data_out = json.dumps(result).encode()
    with os.fdopen(write_fd, "wb") as f:
        f.write(data_out)


def run_forked(data: Path, dates: list[str] | None, timeout: float) -> Any:
    """Run one child; its JSON result, or None when it ran past ``timeout``."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        code = 0
        try:
            _child(data, dates, w)
        except BaseException:
            traceback.print_exc()
            code = 1
        os._exit(code)
    os.close(w)
    chunks = []
    deadline = time.monotonic() + timeout
    with os.fdopen(r, "rb") as f:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([f], [], [], left)[0]:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                return None
            chunk = os.read(f.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if status != 0 and not chunks:
        raise RuntimeError(f"campaign child failed (status {status})")
    return json.loads(b"".join(chunks))


# -- damage --------------------------------------------------------------------------------


def _header_end(blob: bytes) -> int:
    if blob[:4] == b"CKT1" and len(blob) >= 8:
        return min(len(blob), 8 + struct.unpack("<I", blob[4:8])[0])
    return max(1, len(blob) // 10)


def damage(path: Path, kind: str, rng: random.Random) -> str:
    """Damage ``path`` in place; returns what was done."""
    if kind == "delete":
        path.unlink()
        return "deleted"
    blob = bytearray(path.read_bytes())
    if kind == "truncate":
        n = rng.randrange(0, len(blob))
        path.write_bytes(bytes(blob[:n]))
        return f"truncated to {n} of {len(blob)} bytes"
    end = _header_end(bytes(blob))
    lo, hi = (0, end) if kind == "flip_header" or end >= len(blob) else (end, len(blob))
    at, bit = rng.randrange(lo, hi), rng.randrange(8)
    blob[at] ^= 1 << bit
    path.write_bytes(bytes(blob))
    return f"bit {bit} of byte {at} flipped ({'header' if at < end else 'section'})"


def classify(base: dict[str, list[Any]], got: dict[str, list[Any]] | None) -> str:
    if got is None:
        return "hang"
    differ = [(base[k], got.get(k)) for k in base if got.get(k) != base[k]]
    if not differ:
        return "same"
    if any(g and g[0] == "err" and not g[2] for _, g in differ):
        return "escape"
    if any(g is None or g[0] == "ok" for _, g in differ):
        return "silent"
    # every differing answer is a typed error: a DataError is the loud refusal; any other
    # (a ValidationError saying "unknown code", a PolicyError) is listed for a look
    return "loud" if all(g[3] for _, g in differ) else "other_typed"


def bundled_files(data: Path) -> list[str]:
    return sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file())


def campaign(trials: int, seed: int, timeout: float = 120.0,
             only: list[str] | None = None) -> dict[str, Any]:
    from codekit._paths import bundled_data_dir

    source = bundled_data_dir()
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="codekit-corrupt-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(source, data)
        files = only or bundled_files(data)
        t0 = time.perf_counter()
        dates = run_forked(data, None, timeout)
        base = run_forked(data, dates, timeout)
        baseline_s = time.perf_counter() - t0
        assert base is not None
        again = run_forked(data, dates, timeout)
        if again != base:
            raise RuntimeError("the undamaged copy answers differently twice: "
                               + str([k for k in base if base[k] != again.get(k)][:5]))
        counts: Counter[str] = Counter()
        by_kind: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
        bad: list[dict[str, Any]] = []
        t0 = time.perf_counter()
        for i in range(trials):
            name = files[i % len(files)]
            kind = KINDS[(i // len(files)) % len(KINDS)] if trials >= 4 * len(files) \
                else rng.choice(KINDS)
            path = data / name
            what = damage(path, kind, rng)
            try:
                got = run_forked(data, dates, timeout)
            finally:
                shutil.copy2(source / name, path)
            outcome = classify(base, got)
            counts[outcome] += 1
            by_kind[kind][outcome] += 1
            if outcome not in ("same", "loud"):
                diffs = {k: [base[k], (got or {}).get(k)] for k in base
                         if got is None or got.get(k) != base[k]}
                bad.append({"file": name, "damage": what, "outcome": outcome,
                            "answers": dict(list(diffs.items())[:3])})
        return {"trials": trials, "seed": seed, "files": len(files),
                "questions": len(base), "baseline_s": round(baseline_s, 2),
                "seconds": round(time.perf_counter() - t0, 1),
                "outcomes": {k: counts.get(k, 0) for k in OUTCOMES},
                "by_kind": {k: dict(v) for k, v in by_kind.items()},
                "not_loud": bad}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--trials", type=int, default=400)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per trial")
    p.add_argument("--only", nargs="*", help="files of data/ to damage (default: all)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    args = p.parse_args(argv)
    result = campaign(args.trials, args.seed, args.timeout, args.only)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{result['trials']} trials over {result['files']} files, "
              f"{result['questions']} questions each, {result['seconds']} s")
        for k, v in result["outcomes"].items():
            print(f"  {k:<12} {v}")
        for kind, c in result["by_kind"].items():
            print(f"  {kind:<13} {dict(c)}")
        for b in result["not_loud"]:
            print(" ", json.dumps(b)[:600])
    bad = sum(result["outcomes"][k] for k in ("silent", "escape", "hang", "other_typed"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

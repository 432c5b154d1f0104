"""The fuzz targets: every public entry point group, with a generator of hostile inputs and
the call that feeds one to codekit (no test here).

A :class:`Target` has a ``gen(rng)`` that draws an input (from mutated real codes, claims,
policies and files, or junk) and a ``call(inp)`` that runs codekit on it and returns what
must survive a JSON round trip. :func:`check_one` is the oracle: only
:class:`codekit.errors.CodekitError` subclasses may come out, the input is never changed,
and the result round-trips through JSON. The hypothesis tests (``test_fuzz_*.py``) and
``tools/fuzz.py`` drive the same targets.

Inputs are plain data (strings, dicts, ``(file name, bytes)``), so an escape's reproducer
is the pickled input and the target's name (see :func:`reproducer`).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import datetime as dt
import functools
import json
import os
import pickle
import random
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from . import mutate as m

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "data" / "policies" / "medicare"
SHARED = Path(os.environ.get("CODEKIT_SHARED", ROOT.parent / "shared"))
REFERENCE = SHARED / "data" / "reference"


@attrs.frozen
class Target:
    """One fuzzed entry point: ``group`` for the tables, ``gen`` draws an input, ``call``
    runs codekit on it and returns the result to round-trip through JSON."""

    name: str
    group: str
    gen: Callable[[random.Random], Any]
    call: Callable[[Any], Any]


@attrs.frozen
class Escape:
    """An exception other than a CodekitError, or a broken promise (input changed, result
    not JSON)."""

    target: str
    kind: str  # "exception", "mutated", "json"
    error: str
    site: str  # where it was raised (last codekit frame), to group escapes


class Broken(Exception):
    """A promise other than 'only CodekitError' broke (input mutated, result not JSON)."""


# -- the oracle ---------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Whether ``b`` (the input after the call) equals ``a`` (a deep copy from before):
    by ``==``, else by pickled bytes (NaN, ``object()`` and sets of junk compare so)."""
    try:
        if a == b:
            return True
    except (ValueError, RecursionError, TypeError):
        pass
    try:
        return pickle.dumps(a) == pickle.dumps(b)
    except (RecursionError, pickle.PicklingError, TypeError):
        return True  # cannot tell


def jsonable(result: Any) -> Any:
    """``result`` as JSON data through codekit's own serialisers, or raise :class:`Broken`
    when it does not survive ``json.dumps`` / ``json.loads`` unchanged."""
    if result is None or isinstance(result, bool | int | str):
        data = result
    elif hasattr(result, "to_json") and hasattr(result, "to_dict"):
        data = result.to_dict()
        text = result.to_json()
        if json.loads(text) != json.loads(json.dumps(data, allow_nan=False)):
            raise Broken("to_json() differs from to_dict()")
    elif hasattr(result, "as_dict"):
        data = result.as_dict()
    elif hasattr(result, "to_dict"):
        data = result.to_dict()
    elif isinstance(result, dict):
        data = result
    elif isinstance(result, list | tuple):
        return [jsonable(x) for x in result]
    elif attrs.has(type(result)):
        data = {k: v for k, v in attrs.asdict(result, recurse=False).items()
                if v is None or isinstance(v, str | int | float | bool)}
    else:
        data = str(result)
    try:
        text = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise Broken(f"result is not JSON: {e}") from None
    if json.loads(text) != json.loads(json.dumps(json.loads(text))):
        raise Broken("result does not round-trip through JSON")
    return data


def _site(e: BaseException) -> str:
    tb = e.__traceback__
    where = "?"
    while tb is not None:
        f = tb.tb_frame.f_code.co_filename
        if "codekit" in f and "/tests/" not in f:
            where = f"{f.rsplit('src/', 1)[-1]}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def check_one(target: Target, inp: Any) -> Escape | None:
    """Run ``target`` on ``inp``; None when every promise holds, else the :class:`Escape`."""
    from codekit.errors import CodekitError

    before = _snapshot(inp)
    try:
        jsonable(target.call(inp))
    except CodekitError:
        pass
    except Broken as e:
        return Escape(target.name, "json", str(e)[:300], "result")
    except Exception as e:  # the escape the oracle is here to find
        return Escape(target.name, "exception", f"{type(e).__name__}: {str(e)[:300]}",
                      f"{type(e).__name__} at {_site(e)}")
    if before is not None and not _same(before, inp):
        return Escape(target.name, "mutated", "the input was changed", "input")
    return None


def _snapshot(inp: Any) -> Any:
    try:
        return copy.deepcopy(inp)
    except RecursionError:
        return None


def _shown(inp: Any, depth: int = 0) -> Any:
    """``inp`` for display: integers past ``repr``'s digit limit and deep nesting named."""
    if isinstance(inp, int) and not isinstance(inp, bool) and inp.bit_length() > 10_000:
        return _Named(f"<int of {inp.bit_length()} bits>")
    if depth > 50:
        return _Named("<nested deeper>")
    if isinstance(inp, dict):
        return {k: _shown(v, depth + 1) for k, v in inp.items()}
    if isinstance(inp, list | tuple):
        return type(inp)(_shown(v, depth + 1) for v in inp)
    return inp


class _Named(str):
    def __repr__(self) -> str:
        return str(self)


def _safe(text: str) -> str:
    """``text`` safe inside a triple-quoted docstring."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def reproducer(target: Target, inp: Any, escape: Escape) -> str:
    """A Python script that reproduces ``escape`` (run from the repository root)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))  # junk nests thousands deep
    try:
        blob = base64.b64encode(pickle.dumps(inp)).decode()
    finally:
        sys.setrecursionlimit(limit)
    lines = [blob[i:i + 96] for i in range(0, len(blob), 96)]
    try:
        shown = repr(_shown(inp))
    except (ValueError, RecursionError):
        shown = "<not representable>"
    if len(shown) > 2000:
        shown = shown[:2000] + " ..."
    return "\n".join([
        '"""' + _safe(f"Fuzz escape in {target.name}: {escape.error}"),
        _safe(f"site: {escape.site}"),
        "",
        f"input: {_safe(shown)}",
        '"""',
        "import base64, pickle, sys",
        "sys.path[:0] = ['src', '.']",
        "sys.setrecursionlimit(20_000)  # to unpickle deeply nested junk; reset below",
        "from tests.fuzz.targets import TARGETS",
        "",
        "BLOB = (",
        *[f'    "{ln}"' for ln in lines],
        ")",
        "INPUT = pickle.loads(base64.b64decode(BLOB))",
        "sys.setrecursionlimit(1000)",
        f"TARGETS[{target.name!r}].call(INPUT)",
        "",
    ])


# -- codes --------------------------------------------------------------------------------

VERBS = ("is_valid", "validate", "compact", "format", "parse", "lookup", "suggest", "search")
PROC_VERBS = (*VERBS, "describe", "parse_line", "validate_line")


@functools.cache
def _pools() -> dict[str, list[str]]:
    """Real codes of each system, to mutate."""
    from codekit import icd10pcs, procedure
    from codekit.icd10cm import default_store
    from tests import claims_gen as cg

    rel = default_store().release("FY2026")
    cm = list(rel.codes[::37]) + list(cg.COMMON_DX) + list(cg.BAD_DX)
    ps = icd10pcs.default_store()
    pcs = ps.valid_list(ps.validity.period(dt.date(2025, 11, 1)))[::97] + list(cg.BAD_PCS)
    store = procedure.default_store()
    try:
        procs = sorted(store.codes.masks)[::13]
    except AttributeError:  # pragma: no cover - the table's layout changed
        procs = []
    procs += [c for c, _, _ in cg.PROCS] + list(cg.EM) + list(cg.BAD_PROCS)
    mods = ["25", "59", "RT", "LT", "GP", "AT", "XU", "XS", "JG", "TC", "26", "GA", "KX",
            "50", "76", "91", "QW", "CS", "FX", "ZZ", "A1", "E1", "F5", "TA", "LC", "RH"]
    hc = [c for c in procs if c[:1].isalpha()] or ["G0121", "J1100"]
    cpt = [c for c in procs if c[:1].isdigit()] or ["99213"]
    return {"icd10cm": cm, "icd10pcs": pcs, "cpt": cpt, "hcpcs": hc, "modifiers": mods,
            "procedure": procs}


WORDS = ("diabetes", "type 2", "fracture", "knee", "left", "injection", "office visit",
         "heart failure", "copd", "mri", "x-ray", "htn", "sugar", "broken arm", "a", "the",
         "of", "and", "*", "%", "E11", "9921", "0DT", "")


def _code_value(rng: random.Random, system: str, verb: str) -> Any:
    pool = _pools()[system]
    r = rng.random()
    if verb == "search":
        if r < 0.6:
            return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
        if r < 0.85:
            return m.mutate_text(rng, " ".join(rng.choice(WORDS) for _ in range(3)))
        if r < 0.995:
            return m.junk_value(rng) if rng.random() < 0.3 else m.random_text(rng, 60)
        return "diabetes " * rng.choice((50, 200))  # long, but not the 10 MB of issue 11
    if verb == "parse_line":
        code = rng.choice(_pools()["procedure"])
        mods = "".join(f"-{rng.choice(_pools()['modifiers'])}" for _ in range(rng.randint(0, 6)))
        line = code + mods
        return m.mutate_text(rng, line) if r < 0.5 else line
    if verb == "validate_line":
        line = {"code": rng.choice(_pools()["procedure"]),
                "modifiers": [rng.choice(_pools()["modifiers"])
                              for _ in range(rng.randint(0, 5))]}
        return m.mutate_tree(rng, line) if r < 0.6 else line
    if r < 0.25:
        return rng.choice(pool)
    if r < 0.75:
        return m.mutate_text(rng, rng.choice(pool))
    if r < 0.9:
        return m.random_text(rng, 12)
    if r < 0.998:
        return m.junk_value(rng)
    return rng.choice(pool) * rng.choice((100, 1000))


def _code_gen(system: str) -> Callable[[random.Random], Any]:
    verbs = PROC_VERBS if system == "procedure" else VERBS

    def gen(rng: random.Random) -> dict[str, Any]:
        verb = rng.choice(verbs)
        inp: dict[str, Any] = {"verb": verb, "value": _code_value(rng, system, verb)}
        if verb not in ("compact", "format", "parse", "parse_line"):
            inp["on"] = m.random_date(rng)
        if verb in ("suggest", "search") and rng.random() < 0.2:
            inp["limit"] = rng.choice((0, 1, -1, 3, 50, 1000, "5", None, 2.5, True))
        return inp

    return gen


def _code_call(system: str) -> Callable[[dict[str, Any]], Any]:
    def call(inp: dict[str, Any]) -> Any:
        import importlib

        mod = importlib.import_module(f"codekit.{system}")
        kw = {k: v for k, v in inp.items() if k in ("on", "limit")}
        result = getattr(mod, inp["verb"])(inp["value"], **kw)
        if inp["verb"] in ("parse", "parse_line"):
            return str(result)
        return result

    return call


# -- claims -------------------------------------------------------------------------------

PROFILES = ("auto", "medicare-professional", "medicare-outpatient", "medicare-inpatient",
            "commercial", "medicare-dme")


@functools.cache
def _claims() -> list[dict[str, Any]]:
    from tests import claims_gen as cg

    out = cg.make_professional(60, seed=11) + cg.make_inpatient(30, seed=12)
    out.append({"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
                "patient": {"sex": "F", "birth_date": "1950-03-04"},
                "date_of_service": "2025-11-03", "diagnoses": ["I10", "E11.9"],
                "service_lines": [
                    {"procedure_code": "99213", "revenue_code": "0510", "units": 1,
                     "modifiers": ["25"], "diagnosis_pointers": [1]},
                    {"procedure_code": "36415", "revenue_code": "0300", "units": 1}]})
    return out


@functools.cache
def _checker(profile: str) -> Any:
    from codekit import Checker

    return Checker(profile=None if profile == "auto" else profile)


def claim_input(rng: random.Random) -> Any:
    """A claim dict mutated from a realistic one, mostly; sometimes JSON text or junk."""
    r = rng.random()
    base = rng.choice(_claims())
    if r < 0.8:
        return m.mutate_tree(rng, base)
    if r < 0.85:
        return base
    if r < 0.9:
        try:
            text = json.dumps(m.mutate_tree(rng, base))
        except (TypeError, ValueError, RecursionError):
            text = json.dumps(base)
        return m.mutate_text(rng, text) if rng.random() < 0.5 else text
    if r < 0.95:
        return m.junk_value(rng)
    big = copy.deepcopy(base)
    key = rng.choice(("diagnoses", "service_lines"))
    if big.get(key):
        big[key] = big[key] * rng.choice((5, 20, 60))
    return big


def _claim_gen(rng: random.Random) -> dict[str, Any]:
    return {"mode": rng.choice(("check", "check", "check_many")), "claim": claim_input(rng)}


def _claim_call(profile: str) -> Callable[[dict[str, Any]], Any]:
    def call(inp: dict[str, Any]) -> Any:
        from codekit import Claim

        checker = _checker(profile)
        claim = inp["claim"]
        if inp["mode"] == "check_many":
            return list(checker.check_many([claim]))
        if isinstance(claim, str | bytes):
            return checker.check(Claim.from_json(claim))
        return checker.check(Claim.from_dict(claim))

    return call


# -- policies -----------------------------------------------------------------------------


@functools.cache
def _policy_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(POLICY_DIR.glob("*.policy"))]


def _nested_policy(depth: int) -> str:
    cond = "procedure in 99213"
    for _ in range(depth):
        cond = f"any line where ({cond})"
    return ("rule NEST\n  finding: COVERAGE_CRITERIA_NOT_MET\n  payer: medicare\n"
            "  effective: 2015-10-01\n  source: \"fuzz\"\n"
            f"  when {cond}\n  require age between 50 and 77\n  message: \"nested\"\nend\n")


def _policy_gen(rng: random.Random) -> dict[str, Any]:
    r = rng.random()
    text = rng.choice(_policy_texts())
    if r < 0.75:
        text = m.mutate_text(rng, text, rng.randint(1, 6))
    elif r < 0.85:
        lines = text.splitlines()
        rng.shuffle(lines)
        text = "\n".join(lines[: rng.randint(0, len(lines))])
    elif r < 0.97:
        text = _nested_policy(rng.randint(1, 3))
    else:
        text = m.random_text(rng, 200)
    return {"text": text, "claim": rng.choice(_claims()[:12])}


def _policy_call(inp: dict[str, Any]) -> Any:
    from codekit import Checker, Claim
    from codekit.policies import loads

    ps = loads(inp["text"], file="fuzz.policy")
    return Checker(policies=(ps,)).check(Claim.from_dict(inp["claim"]))


# -- front doors --------------------------------------------------------------------------


def _billable(i: int, d: dict[str, Any]) -> dict[str, Any]:
    """A generated claim with what an 837 requires that it may not have (write_837 refuses
    a claim without): its ID, the patient's ID and name, place of service, line charges."""
    d = copy.deepcopy(d)
    d["claim_id"] = d.get("claim_id") or f"F{i}"
    patient = d.setdefault("patient", {})
    patient.setdefault("id", f"MBR{i}")
    patient.setdefault("name", f"PATIENT, NUMBER{i}")
    if d.get("claim_type") == "professional":
        d.setdefault("place_of_service", "11")
    for line in d.get("service_lines") or ():
        line.setdefault("charge", "100")
    return d


@functools.cache
def _x12_seeds() -> list[bytes]:
    from codekit import Claim
    from codekit.x12 import write_837

    claims = [Claim.from_dict(_billable(i, c)) for i, c in enumerate(_claims()[:8])]
    # an 837I too: the outpatient claim (type of bill 131, its lines with revenue codes)
    institutional = Claim.from_dict(_billable(90, _claims()[-1]))
    out = [write_837(claims[:3]).encode(), write_837(claims[3:4], newline="\n").encode(),
           write_837(claims[5:8], delimiters="|>!^").encode(),
           write_837([institutional]).encode()]
    return [b for b in out if b]


def _x12_gen(rng: random.Random) -> bytes:
    data = rng.choice(_x12_seeds())
    r = rng.random()
    if r < 0.4:
        return m.mutate_bytes(rng, data)
    if r < 0.8:
        text = data.decode("latin-1")
        seg = text.split("~")
        op = rng.randrange(4)
        i = rng.randrange(len(seg))
        if op == 0:
            del seg[i]
        elif op == 1:
            seg.insert(i, seg[rng.randrange(len(seg))])
        elif op == 2:
            seg[i] = m.mutate_text(rng, seg[i])
        else:
            parts = seg[i].split("*")
            j = rng.randrange(len(parts))
            parts[j] = m.random_text(rng, 20) if rng.random() < 0.7 else "9" * 5000
            seg[i] = "*".join(parts)
        return "~".join(seg).encode("utf-8", "replace")
    if r < 0.9:
        return m.reencode(rng, data)
    return m.random_text(rng, 300).encode("utf-8", "replace")


def _x12_call(data: bytes) -> Any:
    from codekit import x12

    checked = x12.check(data)
    return checked


@functools.cache
def _fhir_seeds() -> list[dict[str, Any]]:
    from codekit import Claim, fhir

    return [fhir.from_claim(Claim.from_dict(c)) for c in _claims()[:6] + _claims()[60:63]]


def _fhir_gen(rng: random.Random) -> Any:
    seed = rng.choice(_fhir_seeds())
    r = rng.random()
    if r < 0.6:
        return m.mutate_tree(rng, seed, rng.randint(1, 5))
    if r < 0.75:
        return {"resourceType": "Bundle", "type": "collection",
                "entry": [{"resource": m.mutate_tree(rng, seed)} for _ in range(2)]}
    if r < 0.9:
        return m.mutate_text(rng, json.dumps(seed))
    return m.junk_value(rng)


def _fhir_call(source: Any) -> Any:
    from codekit import fhir

    return fhir.check(source, validate=False)


# -- file loaders -------------------------------------------------------------------------

PTP_TXT = "\n".join([
    "CPT only copyright 2025 American Medical Association. All rights reserved.", "",
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
    "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\t"
    "PTP Edit Rationale",
    "29881\t29877\t\t20120101\t*\t0\tMutually exclusive procedures",
    "93000\t93005\t*\t19960101\t*\t1\tHCPCS/CPT procedure code definition",
    "11042\t97597\t\t20130101\t20231231\t1\tStandards of medical / surgical practice",
    "11042\t97597\t\t20240101\t*\t0\tStandards of medical / surgical practice",
    "20610\tJ1030\t\t20190101\t*\t9\tMisuse of column two code with column one code", "",
]) + "\n"
PTP_CSV = ("column_1,column_2,effective_date,deletion_date,modifier_indicator,rationale\n"
           "20610,99213,20200101,,1,x\n29881,29877,20120101,*,0,Mutually exclusive\n")
MUE_CSV = ("code,mue,mai,rationale\n17000,1,2,x\n0009U,2,3,\n96372,4,1,Clinical: Data\n"
           "J1100,40,3,Prescribing Information\n")
MUE_CMS = ("\"CPT codes and descriptions only are copyright 2025 American Medical "
           "Association.\"\n\n\"HCPCS/CPT Code\",\"Practitioner Services MUE Values\","
           "\"MUE Adjudication Indicator\",\"MUE Rationale\"\n"
           "\"17000\",\"1\",\"2 Date of Service Edit: Policy\",\"Clinical: Data\"\n"
           "\"0001U\",\"1\",\"2 Date of Service Edit: Policy\",\"CMS Policy\"\n"
           "\"96372\",\"4\",\"3 Date of Service Edit: Clinical\",\"Clinical: Data\"\n")
ADDON_CSV = ("add_on_code,primary_code,aoc_edit_type,effective_date,deletion_date\n"
             "17003,17000,1,2024001,*\n11045,11042,1,20110101,\n99292,99291,1,,\n"
             "G2211,CCCCC,2,,\n")
QUARTER_CSV = ("CPT codes and descriptions only are copyright 2025 American Medical "
               "Association.\n,,,,\nHCPCS Code,Short Descriptor,SI,APC,Payment Rate\n"
               "99213,(descriptor),V,5012,120.00\nG0121,Colon ca scrn not hi rsk ind,Q1,"
               "5311,600.00\n0650U,(descriptor),A,,\nJ0175,Inj donanemab-azbt 2mg,K,9376,"
               "10.00\n")
MPFS_CSV = ("Medicare physician fee schedule, relative value file (test extract)\n"
            "HCPCS,MOD,DESCRIPTION,CODE,PAYMENT,GLOB DAYS\n"
            "20610,,,A,,000\n27130,,,A,,090\n27130,62,,A,,090\n99223,,,A,,XXX\n")
CPT_DESC = "99213\tcodekit test descriptor\n27447\tcodekit test, knee\n36415\tdraw\n"


def _anweb_record(hcpc: str, recid: str, long: str, short: str, add: str = "20250101",
                  acteff: str = "20250101", term: str = "", action: str = "N") -> str:
    return m.anweb_record(hcpc, recid, long, short, add, acteff, term, action)


HCPCS_TXT = "\r\n".join([
    "Note regarding coverage and payment indicators (made-up preamble)", "",
    _anweb_record("G0121", "3", "Colorectal cancer screening; colonoscopy on individual not "
                  "meeting the criteria for high risk", "Colon ca scrn not hi rsk ind"),
    _anweb_record("J1100", "3", "Injection, dexamethasone sodium phosphate, 1 mg",
                  "Dexamethasone sodium phos"),
    _anweb_record("25", "7", "Significant, separately identifiable e/m service",
                  "Significant, separate e/m"),
]) + "\r\n"
HCPCS_ROWS: list[list[object]] = [
    ["HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION", "SHORT DESCRIPTION", "ADD DT", "ACT EFF DT",
     "TERM DT", "ACTION CD"],
    ["G0121", 100, 3, "Colorectal cancer screening; colonoscopy", "Colon ca scrn not hi rsk ind",
     20250101, 20250101, "", "N"],
    ["J1100", 100, 3, "Injection, dexamethasone sodium phosphate, 1 mg", "Dexamethasone",
     20250101, 20250101, "", "N"],
]
ICD_ORDER = "\n".join(
    f"{n:05d} {code:<7} {b} {short:<60} {long}"
    for n, (code, b, short, long) in enumerate([
        ("E11", 0, "Type 2 diabetes mellitus", "Type 2 diabetes mellitus"),
        ("E119", 1, "Type 2 diabetes mellitus without complications",
         "Type 2 diabetes mellitus without complications"),
        ("S52", 0, "Fracture of forearm", "Fracture of forearm"),
        ("S5290XA", 1, "Unsp fx unsp forearm, init", "Unspecified fracture of unspecified "
         "forearm, initial encounter for closed fracture"),
    ], 1)) + "\n"
ICD_TABULAR = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular><version>2099</version><chapter><name>4</name>
<desc>Endocrine, nutritional and metabolic diseases (E00-E89)</desc>
<section id="E08-E13"><desc>Diabetes mellitus (E08-E13)</desc>
<diag><name>E11</name><desc>Type 2 diabetes mellitus</desc>
<excludes1><note>type 1 diabetes mellitus (E10.-)</note></excludes1>
<sevenChrNote><note>One of the following 7th characters is to be assigned to codes in
subcategory E11 to designate the encounter and type</note></sevenChrNote>
<diag><name>E11.9</name><desc>Type 2 diabetes mellitus without complications</desc></diag>
</diag></section></chapter></ICD10CM.tabular>
"""


def _pcs_line(n: int, code: str, billable: bool, short: str, long: str) -> str:
    return f"{n:05d} {code:<7} {int(billable)} {short:<60} {long}"


PCS_ORDER = "\n".join([
    _pcs_line(1, "0DT", False, "Resection", "Gastrointestinal System, Resection"),
    _pcs_line(2, "0DTJ4ZZ", True, "Resection of Appendix, Perc Endo",
              "Resection of Appendix, Percutaneous Endoscopic Approach"),
    _pcs_line(3, "0DTJ0ZZ", True, "Resection of Appendix, Open",
              "Resection of Appendix, Open Approach"),
]) + "\n"


def _pcs_axis(pos: int, title: str, labels: dict[str, str], definition: str = "") -> str:
    inner = "".join(f'<label code="{c}">{t}</label>' for c, t in labels.items())
    extra = f"<definition>{definition}</definition>" if definition else ""
    return f'<axis pos="{pos}" values="{len(labels)}"><title>{title}</title>{inner}{extra}</axis>'


#: The CMS tables XML of PCS_ORDER's codes (table 0DT, appendix, open or endoscopic).
PCS_TABLES = (
    '<?xml version="1.0" encoding="utf-8"?>\n<ICD10PCS.tabular><version>2099</version>'
    "<pcsTable>" + _pcs_axis(1, "Section", {"0": "Medical and Surgical"})
    + _pcs_axis(2, "Body System", {"D": "Gastrointestinal System"})
    + _pcs_axis(3, "Operation", {"T": "Resection"}, "Cutting out or off, without "
                "replacement, all of a body part")
    + '<pcsRow codes="2">' + _pcs_axis(4, "Body Part", {"J": "Appendix"})
    + _pcs_axis(5, "Approach", {"0": "Open", "4": "Percutaneous Endoscopic"})
    + _pcs_axis(6, "Device", {"Z": "No Device"})
    + _pcs_axis(7, "Qualifier", {"Z": "No Qualifier"}) + "</pcsRow></pcsTable>"
    "</ICD10PCS.tabular>\n")

#: (target suffix, file name, file bytes) of every loader's small valid seed file.
SEED_FILES: tuple[tuple[str, str, bytes], ...] = (
    ("ptp", "ccipra-v321r0-f1.txt", PTP_TXT.encode("latin-1")),
    ("ptp", "ptp.csv", PTP_CSV.encode()),
    ("mue", "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv", MUE_CMS.encode()),
    ("mue", "mue.csv", MUE_CSV.encode()),
    ("addon", "aoc.csv", ADDON_CSV.encode()),
    ("hcpcs", "HCPC2025_OCT_ANWEB.txt", HCPCS_TXT.encode("latin-1")),
    ("hcpcs", "HCPC2025_OCT_ANWEB.xlsx", m.xlsx_bytes(HCPCS_ROWS)),
    ("hcpcs", "HCPC2025_JUL_ANWEB.xlsx", m.xlsx_bytes(HCPCS_ROWS, shared=True)),
    ("quarter", "2026_JUL_Addendum_B.csv", QUARTER_CSV.encode()),
    ("mpfs", "PPRRVU24_JUL.csv", MPFS_CSV.encode()),
    ("cpt_descriptors", "mine.txt", CPT_DESC.encode()),
    ("icd10cm_release", "icd10cm_order_2099.txt", ICD_ORDER.encode("latin-1")),
    ("icd10cm_release", "icd10cm_tabular_2099.xml", ICD_TABULAR.encode()),
    ("icd10pcs_release", "icd10pcs_order_2099.txt", PCS_ORDER.encode()),
    ("icd10pcs_release", "icd10pcs_tables_2099.xml", PCS_TABLES.encode()),
)

#: Real files read from ../shared at run time (never copied), when present: their first
#: 64 KiB are mutated like the seeds.
SHARED_FILES: tuple[tuple[str, str], ...] = (
    ("mue", "ncci_mue_2026q2/MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"),
    ("addon", "northstar_2024q3/ncci_aoc_2024-06.csv"),
    ("ptp", "northstar_2024q3/ncci_ptp_practitioner_2024q3.csv.gz"),
    ("hcpcs", "hcpcs_2025q4/HCPC2025_OCT_ANWEB.xlsx"),
    ("icd10pcs_release", "icd10pcs_fy2026/icd10pcs_tables_2026.xml.gz"),
)


@functools.cache
def _loader_seeds(kind: str) -> list[tuple[str, bytes]]:
    import gzip

    out = [(name, data) for k, name, data in SEED_FILES if k == kind]
    for k, rel in SHARED_FILES:
        path = REFERENCE / rel
        if k != kind or not path.exists():
            continue
        if rel.endswith(".xml.gz"):  # the tables of the head, still XML (of other codes)
            with gzip.open(path) as f:
                data, rel = f.read(64 * 1024), rel[:-3]
            data = data[: data.rindex(b"</pcsTable>") + 11] + b"\n</ICD10PCS.tabular>\n"
        elif rel.endswith(".gz"):  # only the head: the whole PTP file is 300 MB unpacked
            with gzip.open(path) as f:
                data, rel = f.read(64 * 1024), rel[:-3]
        else:
            data = path.read_bytes()
        if not rel.endswith(".xlsx"):
            data = data[: 64 * 1024]  # a real head; the loader must cope with the cut line
        elif len(data) > 1024 * 1024:
            data = m.xlsx_head(data)  # the whole workbook: see _whole_workbooks
        out.append((Path(rel).name, data))
    return out


@functools.cache
def _whole_workbooks(kind: str) -> list[tuple[str, bytes]]:
    """The real workbooks of ``kind`` over 1 MB, whole: only in the long run
    (``CODEKIT_FUZZ_BIG``), and one input in a thousand there: reading and re-zipping one
    takes seconds, a thousand times its head."""
    if not os.environ.get("CODEKIT_FUZZ_BIG"):
        return []
    out = []
    for k, rel in SHARED_FILES:
        path = REFERENCE / rel
        if k == kind and rel.endswith(".xlsx") and path.exists():
            data = path.read_bytes()
            if len(data) > 1024 * 1024:
                out.append((Path(rel).name, data))
    return out


def _loader_gen(kind: str) -> Callable[[random.Random], tuple[str, bytes]]:
    def gen(rng: random.Random) -> tuple[str, bytes]:
        seeds = _loader_seeds(kind)
        local = sum(1 for k, _, _ in SEED_FILES if k == kind)
        # the real files of ../shared (after the local seeds) one time in ten: they are big
        name, data = rng.choice(seeds[local:] if len(seeds) > local and rng.random() < 0.1
                                else seeds[:local])
        whole = _whole_workbooks(kind)
        if whole and rng.random() < 0.001:
            name, data = rng.choice(whole)
        r = rng.random()
        if r < 0.05:
            return name, data
        if r < 0.1:
            return m.mutate_text(rng, name, 1).replace("/", "_") or "x", data
        if r < 0.12 and kind in ("mue", "ptp", "hcpcs", "quarter"):
            return name.replace("04-01", rng.choice(("02-30", "13-01", "00-00"))), data
        return m.mutate_file(rng, name, data)

    return gen


@contextlib.contextmanager
def _file(name: str, data: bytes) -> Iterable[Path]:
    folder = Path(tempfile.mkdtemp(prefix="codekit-fuzz-"))
    try:
        path = folder / (name.replace(os.sep, "_").replace("\x00", "_")[:200] or "x")
        path.write_bytes(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _loader_call(kind: str) -> Callable[[tuple[str, bytes]], Any]:
    def call(inp: tuple[str, bytes]) -> Any:
        from codekit import cpt, hcpcs, icd10cm, ncci, procedure
        from codekit.procedure import default_store  # noqa: F401  (the type of the store)

        name, data = inp
        with _file(name, data) as path:
            errors = "collect" if len(data) % 2 else "raise"
            if kind == "ptp":
                return _table_summary(ncci.load_ptp(path, errors=errors))
            if kind == "mue":
                return _table_summary(ncci.load_mue(path, errors=errors))
            if kind == "addon":
                return _table_summary(ncci.load_addon(path, errors=errors))
            store = _private_procedure_store()
            if kind == "hcpcs":
                rel = hcpcs.load_release(path, errors=errors, store=store)
                hcpcs.validate("G0121", on="2025-11-01", store=store)
                return _table_summary(rel)
            if kind == "quarter":
                return _table_summary(procedure.load_quarter(path, errors=errors, store=store))
            if kind == "mpfs":
                return _table_summary(procedure.load_mpfs(
                    path, effective="2025-01-01", errors=errors, store=store))
            if kind == "cpt_descriptors":
                return _table_summary(cpt.load_descriptors(path, errors=errors, store=store))
            user = path.parent / "user"
            if kind == "icd10cm_release":
                from codekit.build.user import add_release

                tab = path if name.endswith(".xml") else None
                add_release(release_id="FY2099", effective="2098-10-01",
                            tabular=tab, order=None if tab else path, data_dir=user)
                st = icd10cm.Store(user=user)
                icd10cm.is_valid("E11.9", on="2098-11-01", store=st)
                icd10cm.validate("E11.9", on="2025-11-01", store=st)
                return icd10cm.is_valid("E11.9", on="2098-11-01", store=st)
            from codekit.build.icd10pcs import add_pcs_release
            from codekit.icd10pcs import Store as PcsStore

            if name.endswith(".xml"):  # the tables XML, beside the seed order file
                order = path.parent / "icd10pcs_order_2099.txt"
                order.write_text(PCS_ORDER)
                add_pcs_release(release_id="FY2099", effective="2098-10-01", order=order,
                                tables=path, data_dir=user)
            else:
                add_pcs_release(release_id="FY2099", effective="2098-10-01", order=path,
                                data_dir=user)
            ps = PcsStore(user=user)
            from codekit import icd10pcs

            return icd10pcs.is_valid("0DTJ4ZZ", on="2098-11-01", store=ps)

    return call


def _private_procedure_store() -> Any:
    from codekit.procedure import default_store

    return type(default_store())()


def _table_summary(t: Any) -> dict[str, Any]:
    probs = getattr(t, "problems", ())
    return {"type": type(t).__name__, "problems": [str(p) for p in probs][:20],
            "len": len(t) if hasattr(t, "__len__") else None}


# -- the registry -------------------------------------------------------------------------

LOADERS = ("ptp", "mue", "addon", "hcpcs", "quarter", "mpfs", "cpt_descriptors",
           "icd10cm_release", "icd10pcs_release")
SYSTEMS = ("icd10cm", "icd10pcs", "cpt", "hcpcs", "modifiers", "procedure")


def _build() -> dict[str, Target]:
    out: list[Target] = []
    out += [Target(f"codes.{s}", "codes", _code_gen(s), _code_call(s)) for s in SYSTEMS]
    out += [Target(f"claims.{p}", "claims", _claim_gen, _claim_call(p)) for p in PROFILES]
    out.append(Target("policies.loads+check", "policies", _policy_gen, _policy_call))
    out.append(Target("frontdoors.x12", "frontdoors", _x12_gen, _x12_call))
    out.append(Target("frontdoors.fhir", "frontdoors", _fhir_gen, _fhir_call))
    out += [Target(f"loaders.{k}", "loaders", _loader_gen(k), _loader_call(k)) for k in LOADERS]
    return {t.name: t for t in out}


TARGETS: dict[str, Target] = _build()
GROUPS: tuple[str, ...] = ("codes", "claims", "policies", "frontdoors", "loaders")


def targets_of(group: str) -> list[Target]:
    """The targets of ``group`` (or the one target named ``group``)."""
    if group in TARGETS:
        return [TARGETS[group]]
    return [t for t in TARGETS.values() if t.group == group]

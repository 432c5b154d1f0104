"""Reproducible answers: an auditor gets the same bytes for the same input and data, in any
process -- whatever the hash seed (``PYTHONHASHSEED``), the time zone, the locale, the
number of worker processes, the order of the claims or what the process checked before --
and an input file's encoding (a BOM, CRLF line ends, UTF-16) changes nothing but where a
claim was read. What depends on the machine's date (an ``on=`` left out) says the date."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import codekit
from codekit import Checker, Claim
from codekit.cli import main
from tests.claims_gen import make_inpatient, make_professional, with_ids

ROOT = Path(__file__).resolve().parent.parent

#: Modifiers of every kind (sides, NCCI, therapy, fingers/toes, invalid, lower case): lists
#: of several modifiers give messages and ``fix`` lists naming several codes.
_MODS = ("25", "59", "XS", "XU", "XE", "XP", "LT", "RT", "50", "26", "TC", "GP", "GO", "QW",
         "91", "76", "KX", "GA", "GY", "GZ", "E1", "F1", "FA", "TA", "T5", "lt", "xs", "24",
         "57", "79", "51", "52", "22", "80", "AS", "JW", "JZ", "95", "ZZ", "99", "a1")
_CODES = ("99213", "99214", "20610", "29881", "64483", "64484", "11042", "97110", "J1100",
          "36415", "93000", "76942", "20611", "G0008", "90686", "A4550", "E0114", "L3908",
          "11102", "11103", "17000", "17003", "69210", "g0008", "j1100", "99201", "J1030")
_DX = ("M17.11", "M17.12", "M17.0", "I10", "E11.9", "S83.241A", "M25.561", "m17.11", "Z23",
       "E11", "I1O", "M54.50", "G89.29", "S93.401A", "R10.9", "J06.9", "T78.40A", "W19.XXXA")
_DATES = ("2023-03-01", "2024-09-30", "2024-10-01", "2025-04-01", "2026-01-15", "2015-10-01",
          "2027-06-01")


def _noisy(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Professional claims with random modifier lists, codes as coders mistype them and
    dates across releases: what reaches the edits that name several codes."""
    rng = random.Random(seed)
    claims = make_professional(n, seed=seed)
    for c in claims:
        for ln in c["service_lines"]:
            if rng.random() < 0.5:
                ln["procedure_code"] = rng.choice(_CODES)
            ln["modifiers"] = rng.sample(_MODS, rng.randint(0, 4))
            ln["units"] = rng.choice((1, 1, 2, 3, 10, 99))
        if rng.random() < 0.3:
            c["diagnoses"] = rng.sample(_DX, rng.randint(1, 5))
        if rng.random() < 0.2:
            c["date_of_service"] = rng.choice(_DATES)
        if rng.random() < 0.1:
            c["payer"] = rng.choice(("commercial", "medicaid", "Medicare Part B"))
    return claims


def _claims(scale: int) -> list[dict[str, Any]]:
    return (with_ids(make_professional(3 * scale), "P{}")
            + with_ids(make_inpatient(scale), "I{}")
            + with_ids(_noisy(3 * scale), "N{}"))


def _write_jsonl(path: Path, claims: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    return path


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for k, v in changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def _codekit(args: list[str], env: dict[str, str], cwd: Path) -> bytes:
    """``python -m codekit ARGS`` in a fresh process: its standard output."""
    run = subprocess.run([sys.executable, "-m", "codekit", *args], cwd=cwd, env=env,
                         capture_output=True, timeout=600)
    assert run.returncode in (0, 1, 2), run.stderr.decode()
    return run.stdout


def _without_input(out: bytes) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in out.splitlines()]
    for r in rows:
        del r["input"]
    return rows


# -- fresh processes: hash seeds, time zones, locales, worker processes ------------------


@pytest.fixture(scope="module")
def claims_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_jsonl(tmp_path_factory.mktemp("repro") / "claims.jsonl", _claims(200))


@pytest.fixture(scope="module")
def baseline(claims_file: Path) -> bytes:
    return _codekit(["check", claims_file.name, "--format", "jsonl", "--quiet"],
                    _env(PYTHONHASHSEED="0", TZ="UTC"), claims_file.parent)


def test_the_claims_reach_the_edits_that_list_several_codes(baseline: bytes) -> None:
    findings = [f for line in baseline.splitlines() for f in json.loads(line)["findings"]]
    rules = {f["rule"] for f in findings}
    assert {"MOD_INVALID", "MOD_COMBINATION_INVALID", "LATERALITY_MISMATCH", "DX_NOT_BILLABLE",
            "DX_EXCLUDES1_CONFLICT", "POA_MISSING", "PTR_INVALID"} <= rules
    assert sum(len(f["fix"]) > 1 for f in findings) > 100
    assert sum(len(f["codes"]) > 1 for f in findings) > 50


@pytest.mark.parametrize("env", [
    {"PYTHONHASHSEED": "1", "TZ": "Pacific/Kiritimati", "LC_ALL": "C"},
    {"PYTHONHASHSEED": "12345", "TZ": "America/Los_Angeles", "LC_ALL": "C.UTF-8"},
    {"PYTHONHASHSEED": "random", "TZ": "Etc/GMT+12", "LANG": None, "LC_ALL": None},
], ids=["seed1-kiritimati-C", "seed12345-LA-C.UTF-8", "random-GMT+12-nolocale"])
def test_check_jsonl_is_byte_identical_in_every_process(
        claims_file: Path, baseline: bytes, env: dict[str, str | None]) -> None:
    out = _codekit(["check", claims_file.name, "--format", "jsonl", "--quiet"], _env(**env),
                   claims_file.parent)
    assert out == baseline


def test_check_jsonl_is_byte_identical_with_two_worker_processes(
        claims_file: Path, baseline: bytes) -> None:
    out = _codekit(["check", claims_file.name, "--format", "jsonl", "--quiet",
                    "--processes", "2"], _env(PYTHONHASHSEED="random"), claims_file.parent)
    assert out == baseline


@pytest.mark.slow
def test_a_few_thousand_claims_across_hash_seeds(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "claims.jsonl", _claims(700))  # 4,900 claims
    outs = {seed: _codekit(["check", path.name, "--format", "jsonl", "--quiet"],
                           _env(PYTHONHASHSEED=seed), tmp_path)
            for seed in ("0", "1", "12345", "random")}
    assert len(outs["0"].splitlines()) == 4900
    assert len(set(outs.values())) == 1


_VERBS = r"""
import json
from codekit import cpt, hcpcs, icd10cm, icd10pcs, modifiers
out = []
systems = {"icd10cm": icd10cm, "icd10pcs": icd10pcs, "hcpcs": hcpcs, "cpt": cpt,
           "modifiers": modifiers}
for day in ("2025-11-03", "2019-10-01"):
    for name, m in systems.items():
        for q in ("knee pain", "insulin", "fracture left wrist", "injection", "left",
                  "pain", "bilateral", "wheelchair", "dog bite"):
            if name != "cpt":  # no CPT descriptor is shipped: nothing to search
                out.append([name, q, day, [(h.code, h.score)
                                           for h in m.search(q, on=day, limit=40)]])
        for code in ("E11", "I1O", "M17.1", "T78.40A", "J110", "9921", "0DTJ4Z", "ODTJ4ZZ",
                     "ZZ", "X5", "E1", "59", "0370046", "99201", "J1030"):
            try:
                m.validate(code, on=day)
                got = "valid"
            except codekit.ValidationError as e:
                got = [str(e), list(e.fix)]
            out.append([name, code, day, m.suggest(code, on=day, limit=20), got])
print(json.dumps(out))
"""


def test_code_system_verbs_are_the_same_across_hash_seeds(tmp_path: Path) -> None:
    """Search hits of equal scores, did-you-mean lists and error messages that list codes
    come in one order."""
    script = "import codekit\n" + _VERBS
    outs = [subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                           env=_env(PYTHONHASHSEED=seed), timeout=600, check=True).stdout
            for seed in ("0", "1", "12345")]
    assert outs[0] == outs[1] == outs[2]
    answers = json.loads(outs[0])
    hits = answers[0][3]  # icd10cm "knee pain": ties broken by code
    scores = [s for _, s in hits]
    assert len(scores) > len(set(scores))


# -- one process: the order of the calls, cold and warm caches ---------------------------


@pytest.fixture(scope="module")
def some_claims() -> list[dict[str, Any]]:
    return _claims(40)


def test_the_order_of_the_claims_and_the_worker_processes_change_no_report(
        some_claims: list[dict[str, Any]]) -> None:
    checker = Checker()
    forwards = [checker.check(Claim.from_dict(c)).to_json() for c in some_claims]
    backwards = [checker.check(Claim.from_dict(c)).to_json() for c in reversed(some_claims)]
    assert backwards[::-1] == forwards
    assert [r.to_json() for r in checker.check_many(some_claims, processes=2)] == forwards
    assert [r.to_json() for r in checker.check_many(some_claims, processes=1)] == forwards


def test_the_first_claim_of_a_process_gets_the_report_a_later_one_does(
        some_claims: list[dict[str, Any]]) -> None:
    checker = Checker()
    picked = some_claims[::28]  # professional, inpatient and noisy claims
    warm = [checker.check(Claim.from_dict(c)).to_json() for c in picked]
    cold = []
    for c in picked:
        codekit.clear_caches()  # every remembered answer and opened table forgotten
        cold.append(Checker().check(Claim.from_dict(c)).to_json())
    assert cold == warm


# -- input encodings -----------------------------------------------------------------------


def test_a_bom_crlf_or_utf16_changes_nothing_but_where_a_claim_was_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claims = with_ids(_noisy(30, seed=3), "E{}")
    for c in claims:
        c["extra"] = {"name": "José Müller"}
    lines = [json.dumps(c, ensure_ascii=False) for c in claims]
    files = {
        "plain": "\n".join(lines).encode() + b"\n",
        "bom": b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n",
        "crlf": "\r\n".join(lines).encode() + b"\r\n",
        "bom-crlf": b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n",
        "utf16": ("\n".join(lines) + "\n").encode("utf-16"),
        "list-bom-crlf": b"\xef\xbb\xbf" + json.dumps(claims, indent=2, ensure_ascii=False)
        .replace("\n", "\r\n").encode(),
    }
    outs = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        main(["check", str(tmp_path / name), "--format", "jsonl", "--quiet"])
        outs[name] = _without_input(capsys.readouterr().out.encode())
    assert len(outs["plain"]) == 30
    assert all(out == outs["plain"] for out in outs.values())
    # a Latin-1 byte in a name: that line is a result saying so, the others are read
    raw = [line.encode() for line in lines]
    raw[3] = lines[3].encode("latin-1")
    (tmp_path / "latin1").write_bytes(b"\n".join(raw) + b"\n")
    main(["check", str(tmp_path / "latin1"), "--format", "jsonl", "--quiet"])
    got = _without_input(capsys.readouterr().out.encode())
    assert [f["rule"] for f in got[3]["findings"]] == ["CLAIM_FORMAT_INVALID"]
    assert "can't decode byte 0xe9" in got[3]["findings"][0]["message"]
    assert got[:3] + got[4:] == outs["plain"][:3] + outs["plain"][4:]


# -- the machine's date ------------------------------------------------------------------


def test_validate_and_suggest_json_say_the_date_they_answer_for(
        capsys: pytest.CaptureFixture[str]) -> None:
    # lookup and search said it (`on`); validate and suggest did not: the same command
    # without --on answered for another day (or time zone) with nothing to tell them apart
    assert main(["validate", "E11.9", "E11", "--on", "2025-11-03", "--json"]) == 1
    valid, header = json.loads(capsys.readouterr().out)
    assert (valid["valid"], valid["on"]) == (True, "2025-11-03")
    assert (header["error"], header["on"]) == ("DX_NOT_BILLABLE", "2025-11-03")
    assert main(["suggest", "E11.99", "--on", "2025-11-03", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item == {"input": "E11.99", "system": "icd10cm", "on": "2025-11-03",
                    "suggestions": ["E11.9", "E11.3299", "E11.3399", "E11.3499",
                                    "E11.3599"], "covered": True, "note": None}


def test_without_on_the_answer_is_for_the_local_date_and_says_so(tmp_path: Path) -> None:
    """"Today" is the machine's local date: 26 hours apart, UTC+14 and UTC-12 are never on
    the same date, and every JSON answer names its own."""
    dates = []
    for tz in ("AAA-14", "BBB+12"):  # POSIX TZ (no tz database needed): UTC+14, UTC-12
        env = _env(TZ=tz)
        answers = [json.loads(_codekit([cmd, code, "--json"], env, tmp_path))[0]["on"]
                   for cmd, code in (("validate", "E11.9"), ("suggest", "E11.99"),
                                     ("lookup", "E11.9"))]
        assert len(set(answers)) == 1, answers
        dates.append(answers[0])
    east, west = dates
    assert east > west


# -- an output that is not UTF-8 -----------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_character_the_output_cannot_encode_is_escaped_not_a_traceback(
        tmp_path: Path, encoding: str) -> None:
    """Under a Latin-1 locale (or PYTHONIOENCODING=ascii) a claim id or a code with a
    character the output lacks ended the text report with a UnicodeEncodeError traceback
    (exit 1), the claims after it unchecked."""
    claim = {"claim_id": "Łódź-1", "claim_type": "professional", "date_of_service":
             "2025-11-03", "patient": {"sex": "F", "age": 70},
             "diagnoses": ["M17.11", "E11\u00b79", "Łx"],
             "service_lines": [{"procedure_code": "20610", "modifiers": ["LT"], "units": 1,
                                "diagnosis_pointers": [1]}]}
    path = tmp_path / "claims.jsonl"
    _write_jsonl(path, [claim, {**claim, "claim_id": "C-2"}])
    env = _env(PYTHONIOENCODING=encoding)
    run = subprocess.run([sys.executable, "-m", "codekit", "check", path.name], cwd=tmp_path,
                         env=env, capture_output=True, timeout=600)
    assert run.returncode == 2 and b"Traceback" not in run.stderr, run.stderr.decode()
    out = run.stdout.decode(encoding).splitlines()
    first = ("claim \\u0141\\u00f3d\\u017a-1" if encoding == "ascii" else
             "claim \\u0141ód\\u017a-1")  # ó is Latin-1
    # the warnings: LATERALITY_MISMATCH, and CODE_NOT_ASCII for the middle dot in E11·9
    assert out[:2] == ["== claims.jsonl:1",
                       first + " NOT OK (commercial): 1 error(s), 2 warning(s)"]
    assert out[2] == ("  ERROR   DX_FORMAT_INVALID at $.diagnoses[2]: Diagnosis 3 '\\u0141x': "
                      "too short: an ICD-10-CM code has 3 to 7 characters")
    assert "claim C-2 NOT OK (commercial): 1 error(s), 2 warning(s)" in out  # checked too
    # JSON stays JSON: what the output lacks is written as JSON escapes
    run = subprocess.run([sys.executable, "-m", "codekit", "validate", "Łx", "E11\u00b79",
                          "--on", "2025-11-03", "--json"], cwd=tmp_path, env=env,
                         capture_output=True, timeout=600)
    assert run.returncode == 1 and b"Traceback" not in run.stderr, run.stderr.decode()
    items = json.loads(run.stdout.decode(encoding))
    assert [(i["input"], i["valid"]) for i in items] == [("Łx", False), ("E11·9", True)]

"""The commands and Python snippets of the README and of every page of docs/ run as
written, from the root of a checkout, on the example files of docs/examples.

Each ``codekit`` or ``curl`` command of a ``sh`` block (and each ``$ codekit`` command of a
plain or ``sh`` block, whose next lines are its output) is run here, its exit code and key
output checked, or is listed with why it is not run (it starts a server, or needs files CMS
or CDC publish). A command added to a page, or one gone, fails until this table says what
it gives.

Each ``python`` block without ``>>>`` (those are doctests, which pytest runs from the
pages) compiles, its names of codekit exist, and it runs here with the data the page's
text gives it (a DataFrame, a claim), its result checked; or is listed with why it does
not run (a Spark session, files CMS publishes or the AMA licenses). A block added to a
page, or one gone, fails until this table says what it needs."""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import io
import itertools
import json
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codekit.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))]
#: A fenced block of a page, at any indent (a block inside a list item is indented).
FENCE = re.compile(r"^[ \t]*```(\w*)[^\n]*\n(.*?)^[ \t]*```", re.M | re.S)
CMS = "needs the CMS NCCI files of a quarter, which codekit cannot ship"
SERVER = "starts a server: tests/test_server.py runs one (the curl commands run here)"
SYNOPSIS = ("a synopsis: FILE_OR_DIR, DIR and claim.json stand for the reader's own files "
            "(the commands of README.md and docs/cli.md run them on data/policies/medicare)")
#: The three claims of docs/examples/claims.{jsonl,json,837}, in order.
IDS = ["KNEE-1", "VISIT-1", "DM-1"]


def _commands(page: str) -> list[tuple[str, list[str]]]:
    """(command, the output the page shows after it) of each shell command of ``page``."""
    text = (ROOT / page).read_text(encoding="utf-8")
    found: list[tuple[str, list[str]]] = []
    for lang, body in FENCE.findall(text):
        lines = body.replace("\\\n", " ").splitlines()
        for i, line in enumerate(lines):
            line = line.strip()
            if lang == "sh" and line.startswith(("codekit ", "curl ")):
                found.append((line, []))
            elif lang in ("", "sh") and line.startswith("$ codekit "):
                shown = []
                for after in lines[i + 1:]:
                    if after.startswith("$ "):
                        break
                    shown.append(after)
                found.append((line[2:], shown))
    return found


def _key(command: str) -> str:
    """The command without its comment, its words joined by one space."""
    if command.startswith("curl "):
        return " ".join(command.split("#")[0].split()) if " # " in command else \
            " ".join(command.split())
    return " ".join(shlex.split(command, comments=True))


ALL = {(_key(c), tuple(shown)): page for page in PAGES for c, shown in _commands(page)}
#: Each command's words, as the shell splits them (the key joins them with spaces).
WORDS = {_key(c): shlex.split(c, comments=True) for page in PAGES for c, _ in _commands(page)
         if c.startswith("codekit ")}


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def _ids_in_order(out: str) -> bool:
    return [d["claim_id"] for d in _lines(out)] == IDS


#: command -> (exit code, a test of its standard output), or why it is not run here.
EXPECT: dict[str, Any] = {
    # README.md, docs/rules.md, docs/cli.md
    "codekit check docs/examples/knee_injection.json": (
        2, lambda out: "ERROR   LATERALITY_MISMATCH at $.service_lines[1].modifiers[0]" in out
        and "WARNING DX_EXCLUDES1_CONFLICT at $.diagnoses[2]" in out),
    "codekit check docs/examples/claims.837": (
        2, lambda out: "claim KNEE-1 (line 18, byte 546: CLM" in out and "3 claims: 1 clean, "
        "0 judged outside the data only, 1 with warnings only, 1 with errors" in out),
    "codekit check docs/examples/claims.jsonl --format jsonl --processes 2 > reports.jsonl": (
        2, _ids_in_order),
    "codekit serve": SERVER,
    "codekit lookup E11.65 99213 JG --on 2025-06-01": (
        1, lambda out: out.startswith("E11.65  Type 2 diabetes mellitus with hyperglycemia")
        and "99213" in out and "JG" in out),
    "codekit validate E11.65 G35 99213-25 --on 2025-10-01": (
        1, lambda out: out.splitlines()[0].startswith("E11.65: valid  E11.65 ")
        and "G35: DX_NOT_VALID_ON_DOS" in out and "99213-25: valid  99213-25" in out),
    "codekit search type 2 diabetes with hyperglycemia": (
        0, lambda out: out.startswith("E11.65 ")),
    "codekit suggest E11.6S 0DTJXZZ --on 2025-10-01": (
        0, lambda out: out.startswith("E11.6S: E11.65, ")
        and "0DTJXZZ: 0DTJ0ZZ, 0DTJ4ZZ" in out),
    "codekit releases": (0, lambda out: out.startswith("FY2016 ") and "\nFY2027 " in out),
    "codekit --version": (0, lambda out: out.startswith("codekit ")
                          and "\nICD-10-CM    2015-10-01 .. " in out),
    "codekit data list": (0, lambda out: out.startswith("no user releases")),
    "codekit policy test data/policies/medicare": (
        0, lambda out: re.search(r"^(\d+) example\(s\): \1 passed, 0 failed$", out, re.M)),
    "codekit data add --id FY2028 --effective 2027-10-01 --addenda "
    "icd10cm_order_addenda_2028.txt --base FY2027": "needs the CDC addenda of FY2028",
    # docs/icd10cm.md
    "codekit data add --id FY2023 --base FY2023 --effective 2022-10-01 --until 2023-03-31 "
    "--tabular icd10cm_tabular_2023.xml": "needs the CDC tabular of FY2023",
    # docs/icd10pcs.md
    "codekit data add-pcs --id FY2027 --effective 2026-10-01 --order icd10pcs_order_2027.txt "
    "--tables icd10pcs_tables_2027.xml": "needs the CMS ICD-10-PCS files of FY2027",
    "codekit suggest 0DTJXZZ --on 2025-11-03 --limit 2": (
        0, lambda out: out == "0DTJXZZ: 0DTJ0ZZ, 0DTJ4ZZ\n"),
    "codekit search resection appendix --system icd10pcs --on 2025-11-03 --json": (
        0, lambda out: [h["code"] for h in json.loads(out)][:2] == ["0DTJ0ZZ", "0DTJ4ZZ"]),
    # docs/procedures.md
    "codekit validate 99213-25 G0438 E11.9 0DTJ4ZZ --on 2025-11-03": (
        0, lambda out: len(out.splitlines()) == 4 and all(
            ": valid  " in line for line in out.splitlines())),
    "codekit validate 99999 E11.6 --on 2025-11-03 --json": (
        1, lambda out: [(a["input"], a["valid"], a["error"]) for a in json.loads(out)]
        == [("99999", False, "PROC_CODE_UNKNOWN"), ("E11.6", False, "DX_NOT_BILLABLE")]),
    # docs/search.md
    "codekit search introduction of remdesivir into peripheral vein --system icd10pcs --on "
    "2020-06-01 --limit 1": (0, lambda out: out.startswith("3E030WK ")),
    # docs/policies.md
    "codekit policy check FILE_OR_DIR...": SYNOPSIS,
    "codekit policy test DIR...": SYNOPSIS,
    "codekit check claim.json --policies DIR": SYNOPSIS,
    # docs/batch.md
    "codekit check docs/examples/claims.jsonl --format jsonl > reports.jsonl": (
        2, _ids_in_order),
    "codekit check docs/examples/claims.json --format json": (
        2, lambda out: [d["claim_id"] for d in json.loads(out)] == IDS),
    "codekit check - --format jsonl < docs/examples/claims.jsonl": (
        2, lambda out: _ids_in_order(out)
        and [d["input"] for d in _lines(out)] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]),
    "codekit check docs/examples/claims.jsonl --format jsonl --require ncci": (
        2, lambda out: all("EDIT_REQUIRED_NOT_RUN" in [f["rule"] for f in d["findings"]]
                           for d in _lines(out)) and _ids_in_order(out)),
    "codekit check docs/examples/claims.jsonl --processes 2 --ncci ncci/2025q4/ --quiet": CMS,
    # docs/x12.md
    "codekit check docs/examples/claims.837 --format jsonl": (
        2, lambda out: _ids_in_order(out)),
    # docs/server.md
    "codekit serve --port 9000 --trusted": SERVER,
    "codekit serve --body-timeout 120": SERVER,
    "codekit serve --max-records 5000 --max-body 32MiB": SERVER,
    "codekit serve --ncci ncci/2025q4/ --require ncci": SERVER,
    "curl -s -X POST localhost:8080/Claim/\\$validate -H 'Content-Type: "
    "application/fhir+json' --data @docs/examples/fhir_claim.json": "curl",
    "curl -s 'localhost:8080/CodeSystem/$validate-code?url=http://hl7.org/fhir/sid/"
    "icd-10-cm&code=G35&date=2025-11-03'": "curl",
    # docs/rules.md
    "codekit check docs/examples/knee_injection.json --profile commercial --json": (
        1, lambda out: [f["severity"] for f in json.loads(out)["findings"]]
        == ["warning", "warning"]),
    "codekit check docs/examples/knee_injection.json --ptp ccipra-v313r0-f1.txt --ptp "
    "ccipra-v313r0-f2.txt --ptp ccipra-v313r0-f3.txt --ptp ccipra-v313r0-f4.txt --mue "
    "MCR_MUE_PractitionerServices_Eff_10-01-2025.csv": CMS,
    # docs/cli.md
    "codekit check docs/examples/claims.jsonl docs/examples/claims.837 --format jsonl "
    "--quiet": (2, lambda out: [d["claim_id"] for d in _lines(out)] == IDS + IDS),
    "codekit check docs/examples/fhir_claim.json --profile commercial": (
        1, lambda out: "claim KNEE-1 OK (commercial): 0 error(s), 2 warning(s)" in out
        and "WARNING LATERALITY_MISMATCH at Claim.item[1].modifier[0]" in out),
    "codekit search blood glucose test strips --system hcpcs --on 2025-11-03 --limit 3": (
        0, lambda out: out.startswith("A4772 ") and len(out.splitlines()) == 3),
    "codekit policy check data/policies/medicare": (
        0, lambda out: re.match(r"data/policies/medicare: ok, \d+ rule\(s\), \d+ example",
                                out)),
}


def test_every_command_of_the_pages_is_in_the_table() -> None:
    on_pages = {key for key, _ in ALL}
    assert sorted(on_pages - set(EXPECT)) == []
    assert sorted(set(EXPECT) - on_pages) == []


def test_the_cms_files_a_command_names_are_of_the_quarter_of_its_claims() -> None:
    """docs/rules.md checked the knee claim (2025-11-03) with the NCCI files of April 2026
    (`ccipra-v321r0`, `Eff_04-01-2026`), docs/batch.md the example claims with a folder
    `ncci/2026q2/`: a reader who fetched those files still had every PTP and MUE edit not
    run for them."""
    from codekit import Claim
    from codekit.ncci._names import effective_of, quarter_end

    checked = 0
    for key, _ in ALL:
        words = WORDS.get(key, [])
        tables = [w for o, w in itertools.pairwise(words) if o in ("--ptp", "--mue", "--ncci")]
        claims = [w for w in words if w.startswith("docs/examples/claims.json")
                  or w == "docs/examples/knee_injection.json"]
        if not tables or not claims:
            continue
        for name in claims:
            text = (ROOT / name).read_text()
            data = [json.loads(line) for line in text.splitlines()] \
                if name.endswith(".jsonl") else json.loads(text)
            for d in data if isinstance(data, list) else [data]:
                day = Claim.from_dict(d).date_of_service
                for table in tables:
                    start = effective_of(table.rstrip("/"))
                    assert start is not None and start <= day <= quarter_end(start), \
                        (key, table, start, day)
                    checked += 1
    # docs/rules.md: four PTP parts and an MUE file; docs/batch.md: a folder, three claims
    assert checked == 5 + 3


def _run(argv: list[str], stdin: Path | None, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.read_bytes())))
    try:
        status = main(argv)
    except SystemExit as e:  # --version, --help: argparse ends the command
        status = int(e.code or 0)
    return status, capsys.readouterr().out


RUN = sorted({key for key, _ in ALL if isinstance(EXPECT.get(key), tuple)})


@pytest.mark.parametrize("command", RUN)
def test_the_command_runs_as_the_page_says(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CODEKIT_DATA_DIR", str(tmp_path / "user"))
    words = WORDS[command]
    stdin = None
    if "<" in words:
        i = words.index("<")
        stdin, words = ROOT / words[i + 1], words[:i] + words[i + 2:]
    if ">" in words:  # written to tmp_path, not into the checkout
        words = words[:words.index(">")]
    status, out = _run(words[1:], stdin, monkeypatch, capsys)
    expected, holds = EXPECT[command]
    assert status == expected
    assert holds(out), out[:2000]
    for key, shown in ALL:  # the output a page shows after `$ command`
        if key == command and shown:
            first = shown[0].split("...")[0]
            assert out.startswith(first), (first, out[:300])


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    uvicorn = pytest.importorskip("uvicorn")
    pytest.importorskip("fhir.resources")
    from codekit.server import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port,
                                        log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    yield port
    srv.should_exit = True
    thread.join(10)


CURLS = sorted(key for key, _ in ALL if EXPECT.get(key) == "curl")


@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl on this machine")
@pytest.mark.parametrize("command", CURLS)
def test_the_curl_commands_of_the_server_page(command: str, server: int) -> None:
    """docs/server.md's requests, as written but for the port of the test's server."""
    line = command.replace("localhost:8080", f"127.0.0.1:{server}")
    done = subprocess.run(["bash", "-c", line], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    if "Claim/" in command:
        assert answer["resourceType"] == "OperationOutcome"
        issues = {(i["severity"], i["details"]["coding"][0]["code"], i["expression"][0])
                  for i in answer["issue"] if i["details"]["coding"][0]["system"]
                  == "urn:codekit:fhir:rule"}
        assert ("error", "LATERALITY_MISMATCH", "Claim.item[1].modifier[0]") in issues
        assert ("warning", "DX_EXCLUDES1_CONFLICT",
                "Claim.diagnosis[2].diagnosisCodeableConcept") in issues
        # what the page says of codekit's own claim JSON: no FHIR resource, a 400
        own = line.replace("fhir_claim.json", "knee_injection.json").replace(
            "curl -s", "curl -s -w '\\n%{http_code}'")
        done = subprocess.run(["bash", "-c", own], cwd=ROOT, capture_output=True, text=True,
                              timeout=60, check=False)
        body, _, status = done.stdout.rpartition("\n")
        (issue,) = json.loads(body)["issue"]
        assert (status, issue["details"]["coding"][0]["code"]) == ("400", "FHIR_FORMAT_INVALID")
        assert "not a FHIR resource: no resourceType; this is codekit's own claim JSON" in \
            issue["diagnostics"]
    else:
        assert answer["resourceType"] == "Parameters"
        result = next(p for p in answer["parameter"] if p["name"] == "result")
        assert result["valueBoolean"] is False


def test_the_x12_snippets_run_on_the_example_file(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyx12")
    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "x12.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)
              if "docs/examples/claims.837" in b]
    assert len(blocks) == 2
    scope: dict[str, Any] = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(blocks[0], scope)  # the page's own snippet
        exec("from codekit import x12\n" + blocks[1].replace("    record.", "    _ = record.")
             + "    break\n", scope)
    printed = out.getvalue()
    assert printed.startswith("claim KNEE-1 (")
    assert "3 claim(s): 2 accepted, 1 rejected (0 not readable); 0 envelope record(s)" in \
        printed
    record = scope["record"]
    assert record.claim_id == "KNEE-1" and record.error is None
    assert record.locate(("service_lines", 1, "modifiers", 0)).element == "SV101-3"


def _snippets(page: str) -> list[tuple[str, str]]:
    """(first line, its words joined by one space; text) of each ``python`` block of
    ``page`` that is not a doctest."""
    text = (ROOT / page).read_text(encoding="utf-8")
    return [(" ".join(body.splitlines()[0].split()), body) for lang, body in FENCE.findall(text)
            if lang == "python" and ">>>" not in body]


SNIPPETS = {(page, first): body for page in PAGES for first, body in _snippets(page)}
#: The long table of docs/pandas.md's examples, one row a service line.
LINES = ('lines = pd.DataFrame({"claim_id": ["C1", "C1", "C2"], "payer": "medicare", '
         '"sex": "F", "age": 70, "date_of_service": "2025-11-03", '
         '"dx1": ["E11.9", "E11.9", "E11"], "procedure_code": ["99213", "G0439", "99213"], '
         '"units": [1, 1, 0], "pointer1": 1})\n')
CMS_NCCI = "needs the CMS NCCI files of a quarter (practitioner PTP, MUE, add-on codes)"
SPARK = ("needs a Spark session and the reader's own tables and paths; "
         "tests/test_spark*.py run these calls on frames of their own")
#: A block -> (the module it needs, what the page's text gives it, a test of the names it
#: leaves), when it runs here; else why it does not. It runs in a temporary folder that
#: sees the checkout's docs/ (what it writes stays there).
RUNS: dict[tuple[str, str], tuple[str | None, str, Any] | str] = {
    ("README.md", "import codekit.pandas # the .codekit accessor"): (
        "pandas",
        'import pandas as pd\n' + LINES + 'df = pd.DataFrame({"dx": ["E11.9", "G35"], '
        '"date_of_service": ["2025-06-01", "2025-10-01"]})\n',
        lambda ns: ns["checked"]["rule"].tolist() == [None, "DX_NOT_VALID_ON_DOS"]
        and ns["findings"]["rule"].tolist() == ["DX_NOT_BILLABLE", "UNITS_INVALID"]),
    ("docs/pandas.md", "import codekit.pandas as ckpd # registers the .codekit accessor"): (
        "pandas",
        'import pandas as pd\ndf = pd.DataFrame({"dx": ["E11.9", "G35"], '
        '"dos": ["2025-06-01", "2025-10-01"]})\n',
        lambda ns: ns["checked"]["rule"].tolist() == [None, "DX_NOT_VALID_ON_DOS"]),
    ("docs/pandas.md", 'found.codekit.to_excel("findings.xlsx") # or ckpd.to_excel(found, '
     'path, index=True)'): (
        "pandas",
        'import pandas as pd\nimport codekit.pandas as ckpd\n' + LINES
        + 'found = lines.codekit.check_claims()\n',
        lambda ns: Path("findings.xlsx").stat().st_size > 0),
    ("docs/fhir.md", 'store = {"Patient/123": {"resourceType": "Patient", "gender": "male", '
     '"birthDate": "1950-01-01"}}'): (
        "fhir.resources",
        'from codekit import fhir\n'
        'claim = json.loads(Path("docs/examples/fhir_claim.json").read_text())\n'
        'claim.pop("contained", None)\nclaim["patient"] = {"reference": "Patient/123"}\n',
        lambda ns: [i["details"]["coding"][0]["code"] for i in ns["outcome"]["issue"]
                    if i["details"]["coding"][0]["code"].startswith("FHIR_PATIENT")] == []),
    ("docs/x12.md", "from codekit import x12"): (
        "pyx12", "",
        lambda ns: (ns["run"].summary.claims, ns["run"].summary.rejected) == (3, 1)),
    ("docs/x12.md", 'for record in x12.read_claims("docs/examples/claims.837"):'): (
        "pyx12", "from codekit import x12\n",
        lambda ns: ns["record"].claim_id == "DM-1" and ns["record"].error is None),
    ("docs/procedures.md", "from codekit import cpt, procedure"):
        "needs the CMS Addendum B file of January 2027",
    ("docs/procedures.md", "from codekit import ncci"): CMS_NCCI,
    ("docs/procedures.md", "from codekit import FileLimits, FileLimitExceeded, ncci"):
        "needs a partner's PTP file and CMS's PTP tables of all settings since 1996",
    ("docs/procedures.md", "from codekit import hcpcs, modifiers"):
        "needs the CMS HCPCS file of July 2026",
    ("docs/procedures.md", "from codekit import cpt"):
        "needs CPT descriptors licensed from the AMA, which codekit cannot ship",
    ("docs/spark.md", "import codekit.spark"): SPARK,
    ("docs/spark.md", "def in_order(table, *fields): # one array per claim, in sequence order"):
        SPARK,
    ("docs/spark.md", "summary = (codekit.spark.check(claims, checker=checker, "
     "clean_rows=True)"): SPARK,
    ("docs/spark.md", 'lines = codekit.spark.validate_codes(lines, "dx1", "service_date")'):
        SPARK,
    ("docs/spark.md", "from glob import glob"): SPARK,
    ("docs/spark.md", 'findings = codekit.spark.check_837(spark, "s3://lake/837/2025-11-03/", '
     'checker=checker,'): SPARK,
    ("docs/spark.md", 'claims = spark.read.text("s3://lake/claims-jsonl/") # one claim a line'):
        SPARK,
}


def test_every_python_block_of_the_pages_is_in_the_table() -> None:
    assert sorted(set(SNIPPETS) - set(RUNS)) == []
    assert sorted(set(RUNS) - set(SNIPPETS)) == []


def _codekit_names(tree: ast.AST) -> dict[str, str]:
    """The names a block binds to codekit modules or objects: ``{"ncci": "codekit.ncci"}``
    for ``from codekit import ncci``, ``{"codekit": "codekit"}`` for ``import codekit.x``
    (which is imported here too, as the block would)."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "codekit":
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "codekit":
                    _resolve(alias.name)
                    bound[alias.asname or "codekit"] = alias.name if alias.asname else "codekit"
    return bound


def _resolve(dotted: str) -> Any:
    """The object a dotted name of codekit names (a module, or an attribute of one)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError as e:
            if (e.name or "").split(".")[0] != "codekit":
                pytest.skip(f"{dotted} needs {e.name}, which is not installed")
            continue
        for part in parts[i:]:
            obj = getattr(obj, part)
        return obj
    raise AssertionError(f"{dotted}: no such module")


@pytest.mark.parametrize("key", sorted(SNIPPETS), ids=lambda k: f"{k[0]}:{k[1][:40]}")
def test_the_python_block_compiles_and_names_what_codekit_has(key: tuple[str, str]) -> None:
    """Also the blocks that do not run here: a name they call on codekit (``ncci.load_mue``,
    ``codekit.spark.check_837``) exists, read up to the first call."""
    tree = ast.parse(SNIPPETS[key], filename=f"<a python block of {key[0]}>")
    bound = _codekit_names(tree)
    missing = []
    for node in ast.walk(tree):
        chain: list[str] = []
        while isinstance(node, ast.Attribute):
            chain.insert(0, node.attr)
            node = node.value
        if not chain or not isinstance(node, ast.Name) or node.id not in bound:
            continue
        obj = _resolve(bound[node.id])
        for attr in chain:
            if not hasattr(obj, attr):
                missing.append(f"{node.id}.{'.'.join(chain)}")
                break
            obj = getattr(obj, attr)
    assert missing == []


NOT_RUN = sorted(key for key, how in RUNS.items() if isinstance(how, str))


def _bad_calls(tree: ast.AST) -> list[str]:
    """The calls on codekit's names of a block (``ncci.load_ptp(..., limits=big)``) whose
    arguments the callee's signature does not take, each with why."""
    # a block may go on from an earlier one of its page (``import codekit.spark`` there)
    bound = {"codekit": "codekit", **_codekit_names(tree)}
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or any(
                isinstance(a, ast.Starred) for a in node.args) or any(
                k.arg is None for k in node.keywords):
            continue
        chain: list[str] = []
        func = node.func
        while isinstance(func, ast.Attribute):
            chain.insert(0, func.attr)
            func = func.value
        if not isinstance(func, ast.Name) or func.id not in bound:
            continue
        try:
            signature = inspect.signature(_resolve(".".join([bound[func.id], *chain])))
        except (AttributeError, TypeError, ValueError):  # no such callable: see the test above
            continue
        try:
            signature.bind(*node.args, **{k.arg: k.value for k in node.keywords if k.arg})
        except TypeError as e:
            bad.append(f"{ast.unparse(node)[:80]}: {e}")
    return bad


@pytest.mark.parametrize("key", NOT_RUN, ids=lambda k: f"{k[0]}:{k[1][:40]}")
def test_the_calls_of_a_block_that_does_not_run_fit_their_signatures(
        key: tuple[str, str]) -> None:
    """A block that cannot run here (it needs CMS's files, a Spark session) is still held to
    codekit's API: each call on a codekit name passes arguments its signature takes (a
    keyword renamed in the code, ``limits=``, ``glob=``, fails here, not in a reader's
    hands)."""
    assert _bad_calls(ast.parse(SNIPPETS[key])) == []


def test_a_call_that_does_not_fit_its_signature_is_found() -> None:
    tree = ast.parse('from codekit import ncci\nncci.load_ptp("p.txt", limit=1)\n'
                     'ncci.load_mue("m.csv", effective="2026-04-01")\n')
    (bad,) = _bad_calls(tree)
    assert bad.startswith("ncci.load_ptp('p.txt', limit=1): ")


RUN_HERE = sorted(key for key, how in RUNS.items() if isinstance(how, tuple))


@pytest.mark.parametrize("key", RUN_HERE, ids=lambda k: f"{k[0]}:{k[1][:40]}")
def test_the_python_block_runs(key: tuple[str, str], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    how = RUNS[key]
    assert isinstance(how, tuple)
    needs, given, holds = how
    if needs:
        pytest.importorskip(needs)
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {"json": json, "Path": Path}
    exec(given, scope)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(SNIPPETS[key], f"<a python block of {key[0]}>", "exec"), scope)
    assert holds(scope)

"""The front doors agree: one claim, every door, one report (a differential harness).

Generated claims holding every field of the claim model (``claims_gen.make_every_field``:
professional, hospital outpatient, inpatient with POA and ICD-10-PCS, ASC; fixed seed) go
through every door and every writer: the claim dict, ``write_837`` read back by the X12
door, ``fhir.from_claim`` read back by the FHIR door, a long table read by the pandas door
(as built, and after a CSV), ``codekit check`` on the same claims as JSON lines, an 837 and
FHIR NDJSON, the HTTP server, and Spark (marked slow). The claims read back are compared
field by field, the reports finding by finding (rule, location, message, fix), and each
door's locations are followed back into what it read (the 837 element, the FHIR element)
to the value the finding is about. What a format cannot carry is a documented limit
(docs/x12.md "What an 837 does not carry"; the FHIR and pandas pages): the expected claim
and report say it here, nothing else may differ."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from codekit import Checker, Claim, fhir
from codekit.findings import Report
from tests.claims_gen import make_every_field

pytest.importorskip("pyx12")
pd = pytest.importorskip("pandas")

import codekit.pandas as ckpd  # noqa: E402
from codekit.x12 import check as x12_check  # noqa: E402
from codekit.x12 import read_claims, write_837  # noqa: E402

D = dt.date
CHECKER = Checker()
#: The claim dicts, and the claims, of the harness (seed fixed: the same claims every run).
DICTS = make_every_field(160, seed=4)
CLAIMS = [Claim.from_dict(d) for d in DICTS]
#: The edits an 837I's missing OPPS flag changes (docs/x12.md): the I/OCE's status and
#: type-of-bill edits read ``Claim.opps``.
OPPS_RULES = frozenset({"PROC_NOT_RECOGNIZED_BY_OPPS", "BILL_TYPE_INVALID"})
#: What write_837 refuses of a claim (docs/x12.md: it makes up no patient's birth date).
REFUSED = re.compile(r"an 837[PI] requires what the claim does not have: patient\.birth_date")


def _findings(report: Report) -> list[tuple[Any, ...]]:
    return sorted((f.rule, f.path, f.message, f.fix, f.policy) for f in report.findings)


def _fields(a: Claim, b: Claim) -> list[str]:
    """The fields (a line's too) where two claims differ, by name."""
    out = []
    for f in attrs.fields(Claim):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x == y:
            continue
        if f.name == "service_lines" and len(x) == len(y):
            out += [f"service_lines[{i}].{g.name}"
                    for i, (p, q) in enumerate(zip(x, y, strict=True))
                    for g in attrs.fields(type(p)) if getattr(p, g.name) != getattr(q, g.name)]
        else:
            out.append(f.name)
    return out


# -- what a format does not carry (the documented limits) -------------------------------------


def _undotted(code: str | None) -> str | None:
    return None if code is None else code.replace(".", "")


def as_837(c: Claim) -> Claim:
    """``c`` as an 837 carries it (docs/x12.md "What an 837 does not carry"): payer in
    lower case, diagnosis codes without their dot, the total charge the lines' sum when
    not given, an 837P's date its earliest line date; no OPPS flag, no DME supplier's
    flag, an 837I's ASC flag left to its type of bill (83x), no ``extra``."""
    lines = c.service_lines
    day = c.date_of_service
    if not c.is_institutional:
        day = min(ln.date_of_service or day for ln in lines)
    return attrs.evolve(
        c, payer=c.payer.lower(), date_of_service=day,
        diagnoses=tuple(_undotted(d) or "" for d in c.diagnoses),
        admitting_diagnosis=_undotted(c.admitting_diagnosis),
        visit_reasons=tuple(_undotted(d) or "" for d in c.visit_reasons),
        total_charge=c.total_charge if c.total_charge is not None else sum(
            (ln.charge or Decimal(0) for ln in lines), Decimal(0)),
        opps=None, dme_supplier=None,
        asc_facility=None if c.is_institutional else c.asc_facility, extra={})


def as_fhir(c: Claim) -> Claim:
    """``c`` as a FHIR Claim carries it (docs/fhir.md): the payer read in lower case."""
    return attrs.evolve(c, payer=c.payer.lower())


def _837(claims: list[Claim]) -> str:
    text = write_837(claims, date=D(2025, 12, 1), newline="\n")
    assert isinstance(text, str)
    return text


def _refusals() -> dict[str, str]:
    """What write_837 refuses of the claims (claim id -> its word), writing them all."""
    refused: dict[str, str] = {}
    write_837(CLAIMS, date=D(2025, 12, 1), on_refused=lambda _, c, e: refused.setdefault(
        c.claim_id or "", str(e)))
    return refused


REFUSALS = _refusals()
WRITTEN = [c for c in CLAIMS if c.claim_id not in REFUSALS]


def test_write_837_refuses_only_what_an_837_cannot_hold() -> None:
    """The one refusal the claims meet is the documented one: an age without a birth date
    (DMG02 carries the birth date; write_837 makes none up)."""
    assert REFUSALS
    for cid, why in REFUSALS.items():
        (c,) = [c for c in CLAIMS if c.claim_id == cid]
        assert REFUSED.search(why) and c.patient.birth_date is None, why


def test_the_claims_hold_every_field() -> None:
    """The generator fills every field of the claim model, and of a line, somewhere (a
    field no claim holds would be one no door is tested on)."""
    empty = {f.name for f in attrs.fields(Claim)} - {"extra"}
    line_empty = {f.name for f in attrs.fields(type(CLAIMS[0].service_lines[0]))}
    patient_empty = {f.name for f in attrs.fields(type(CLAIMS[0].patient))}
    for c in CLAIMS:
        empty -= {f.name for f in attrs.fields(Claim)
                  if getattr(c, f.name) not in (None, (), {})}
        patient_empty -= {k for k, v in attrs.asdict(c.patient).items() if v is not None}
        for ln in c.service_lines:
            line_empty -= {k for k, v in attrs.asdict(ln, recurse=False).items()
                           if v not in (None, (), "")}
    assert (empty, line_empty, patient_empty) == (set(), set(), set())
    assert len(WRITTEN) == 139  # the others: an age without a birth date


# -- the claim dict, FHIR and the 837 -----------------------------------------------------


@functools.cache
def read_back() -> dict[str, tuple[Claim | None, tuple[Any, ...], Claim | None, list[Any]]]:
    """Per claim id: the claim the FHIR door read of ``fhir.from_claim`` and its reader
    findings, the claim the X12 door read of one 837 of every claim write_837 takes and
    its reader findings (None where it refused the claim)."""
    out: dict[str, tuple[Claim | None, tuple[Any, ...], Claim | None, list[Any]]] = {}
    for c in CLAIMS:
        (r,) = fhir.read(json.dumps(fhir.from_claim(c)))
        out[c.claim_id or ""] = (r.claim, r.findings, None, [])
    for record in read_claims(_837(WRITTEN).encode()):
        assert record.kind == "claim" and record.claim is not None
        fc, ff, _, _ = out[record.claim.claim_id or ""]
        out[record.claim.claim_id or ""] = (fc, ff, record.claim, list(record.findings))
    return out


def test_every_writer_and_reader_keeps_the_claim() -> None:
    """Field by field: the claim dict and FHIR give back the claim (FHIR reads the payer
    in lower case), the 837 the claim as an 837 carries it; neither reader has a word to
    say about what the writers wrote."""
    back = read_back()
    for c in CLAIMS:
        assert Claim.from_dict(json.loads(json.dumps(c.to_dict()))) == c
        fc, ff, xc, xf = back[c.claim_id or ""]
        assert ff == ()
        assert fc is not None and _fields(as_fhir(c), fc) == [], c.claim_id
        if c in WRITTEN:
            assert xf == []
            assert xc is not None and _fields(as_837(c), xc) == [], c.claim_id
    assert sum(xc is not None for _, _, xc, _ in back.values()) == len(WRITTEN)


def test_every_door_gives_the_same_findings() -> None:
    """The report of the claim read back by each door is the claim's own, finding by
    finding, except where the 837 cannot carry what the edits read: the OPPS flag. Those
    claims are asserted too: a non-OPPS hospital's 131 with 99213 gets
    PROC_NOT_RECOGNIZED_BY_OPPS from its 837, an 851 with opps true loses
    BILL_TYPE_INVALID (docs/x12.md)."""
    opps_changed: dict[str, set[str]] = {}
    back = read_back()
    for c in CLAIMS:
        own = _findings(CHECKER.check(c))
        fc, _, xc, _ = back[c.claim_id or ""]
        assert fc is not None and _findings(CHECKER.check(fc)) == own
        if xc is None:
            continue
        got = _findings(CHECKER.check(xc))
        if c.opps is None:
            assert got == own, c.claim_id
            continue
        changed = {f[0] for f in set(own) ^ set(got)}
        assert changed <= OPPS_RULES, (c.claim_id, changed)
        assert got == _findings(CHECKER.check(attrs.evolve(c, opps=None)))
        if changed:
            opps_changed[f"{(c.bill_type or '')[:2]}x opps={c.opps}"] = changed
    assert opps_changed == {
        "13x opps=False": {"PROC_NOT_RECOGNIZED_BY_OPPS"},
        "85x opps=True": {"BILL_TYPE_INVALID"}}


# -- locations: each door's, followed back into what it read ------------------------------


def _at(claim: Claim, location: tuple[str | int, ...]) -> Any:
    value: Any = claim
    for part in location:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return value


def _element(segment: str, name: str) -> str:
    """The value of ``name`` (``HI01-2``, ``SV101-3``, ``CLM05-1``) in an 837 segment
    written with codekit's delimiters."""
    element, _, component = name.partition("-")
    parts = segment.rstrip("~").split("*")
    assert parts[0] == element[:-2]
    value = parts[int(element[-2:])] if int(element[-2:]) < len(parts) else ""
    return value.split(":")[int(component) - 1] if component else value


def test_x12_locations_point_at_the_element_holding_the_value() -> None:
    """Every finding about a code the X12 door reports is at the 837 element holding that
    code: its segment's line in the file and its element hold the claim's value."""
    text = _837(WRITTEN)
    segments = text.split("\n")
    followed = 0
    for result in x12_check(text.encode()):
        if result.kind != "claim":
            continue
        assert result.claim is not None
        for xf in result.findings:
            f, at = xf.finding, xf.location
            value = _at(result.claim, f.location) if f.location else None
            if not isinstance(value, str) or at.element is None:
                continue
            assert at.line is not None
            assert _element(segments[at.line - 1], at.element) == value.replace(".", ""), (
                result.claim_id, f.rule, f.path, str(at))
            followed += 1
    assert followed >= 100


def _fhirpath(resource: dict[str, Any], expression: str) -> Any:
    value: Any = {"Claim": resource}
    for name, index in re.findall(r"([A-Za-z]+)(?:\[(\d+)\])?", expression):
        value = value[name]
        if index:
            value = value[int(index)]
    return value


def _code_of(element: Any) -> Any:
    """The code a FHIR element holds: a CodeableConcept's first coding's, a Coding's, an
    extension's ``valueCoding``'s; else the element."""
    if isinstance(element, dict):
        element = element.get("valueCoding", element)
        if "coding" in element:
            return element["coding"][0]["code"]
        return element.get("code", element)
    return element


def test_fhir_locations_point_at_the_element_holding_the_value() -> None:
    """Every finding about a code the FHIR door reports is at the FHIR element holding
    it (``Claim.diagnosis[2].diagnosisCodeableConcept``, ``Claim.item[0].modifier[1]``,
    the place-of-service extension ``Claim.extension[0]``)."""
    followed = 0
    for c in CLAIMS:
        resource = fhir.from_claim(c)
        (r,) = fhir.check_each(json.dumps(resource))
        assert r.claim is not None
        for f, expression in r.issues():
            value = _at(r.claim, f.location) if f.location else None
            if not isinstance(value, str) or value == "":
                continue
            got = _code_of(_fhirpath(resource, expression))
            assert str(got).replace(".", "") == value.replace(".", ""), (
                c.claim_id, f.rule, f.path, expression)
            followed += 1
    assert followed >= 100


# -- pandas --------------------------------------------------------------------------------


def table_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """A claim dict as the rows of a long table, one a service line, in the columns
    docs/pandas.md names (claim fields repeated on every line)."""
    claim_fields = ("claim_id", "claim_type", "payer", "filing_indicator", "billing_provider",
                    "rendering_provider", "place_of_service", "total_charge",
                    "frequency_code", "corrected_claim_id", "bill_type",
                    "admitting_diagnosis", "date_of_service", "admission_date",
                    "discharge_status", "opps", "dme_supplier", "asc_facility")
    base: dict[str, Any] = {k: d[k] for k in claim_fields if k in d}
    p = d["patient"]
    base.update({"patient_id": p.get("id"), "patient_name": p.get("name"), "sex": p["sex"],
                 "birth_date": p.get("birth_date"), "age": p.get("age")})
    if "statement_period" in d:
        base["statement_from"], base["statement_through"] = d["statement_period"]
    for i, dx in enumerate(d["diagnoses"], 1):
        base[f"dx{i}"] = dx["code"] if isinstance(dx, dict) else dx
        base[f"poa{i}"] = dx.get("poa") if isinstance(dx, dict) else None
    for key, stem in (("condition_codes", "condition_code"), ("visit_reasons", "visit_reason")):
        for i, v in enumerate(d.get(key, ()), 1):
            base[f"{stem}{i}"] = v
    for i, px in enumerate(d.get("procedures", ()), 1):
        base[f"pcs{i}"], base[f"pcs_date{i}"] = px["code"], px["date"]
    for i, o in enumerate(d.get("occurrence_codes", ()), 1):
        base[f"occurrence_code{i}"], base[f"occurrence_date{i}"] = o["code"], o["date"]
    for i, o in enumerate(d.get("occurrence_spans", ()), 1):
        base[f"occurrence_span_code{i}"] = o["code"]
        base[f"occurrence_span_from{i}"] = o["from"]
        base[f"occurrence_span_through{i}"] = o["through"]
    for i, o in enumerate(d.get("value_codes", ()), 1):
        base[f"value_code{i}"], base[f"value_amount{i}"] = o["code"], o["amount"]
    rows = []
    for ln in d["service_lines"]:
        row = {**base, "line": ln["line"], "procedure_code": ln["procedure_code"] or None,
               "units": ln["units"], "charge": ln["charge"],
               "revenue_code": ln.get("revenue_code"), "line_id": ln.get("line_id"),
               "ndc": ln.get("ndc"), "line_date": ln.get("date_of_service"),
               "line_place_of_service": ln.get("place_of_service"),
               "line_rendering_provider": ln.get("rendering_provider")}
        for i, m in enumerate(ln["modifiers"], 1):
            row[f"modifier{i}"] = m
        for i, ptr in enumerate(ln.get("diagnosis_pointers", ()), 1):
            row[f"pointer{i}"] = ptr
        rows.append(row)
    return rows


TABLE = pd.DataFrame([row for d in DICTS for row in table_rows(d)])


@pytest.mark.parametrize("read", ["frame", "csv", "csv as text"])
def test_the_pandas_door_reads_every_field_and_finds_the_same(read: str) -> None:
    """The claims of a long table are the claims, field by field (the patient's name,
    which the door did not read, and the NDC of a CSV's number column, 00009034702 read as
    9034702, were the differences), and check_claims gives each claim's findings, at its
    lines' numbers, ids and paths. A CSV read back (numbers inferred, or every cell text)
    reads the same."""
    frame = TABLE
    if read != "frame":
        csv = io.StringIO(TABLE.to_csv(index=False))
        frame = pd.read_csv(csv, dtype=str if read == "csv as text" else None)
    got = ckpd.claims_of(frame)
    assert len(got) == len(CLAIMS)
    for c, d in zip(CLAIMS, got, strict=True):
        assert isinstance(d, dict), (c.claim_id, d)
        assert _fields(c, Claim.from_dict(d)) == [], c.claim_id
    if read != "frame":
        return
    found = ckpd.check_claims(frame)
    want = sorted(((row["claim_id"], row["line"], row["line_id"], row["rule"], row["path"],
                    row["message"]) for c in CLAIMS for row in CHECKER.check(c).rows()),
                  key=repr)
    assert sorted(((r.claim_id, None if pd.isna(r.line) else int(r.line), r.line_id, r.rule,
                    r.path, r.message) for r in found.itertuples() if r.kind == "finding"),
                  key=repr) == want


# -- the command line ---------------------------------------------------------------------


def _cli(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    from codekit.cli import main

    main(["check", "--format", "jsonl", str(path)])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    return {r["claim_id"]: r for r in out}


def _said(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((f["rule"], f.get("line") or 0, f.get("line_id") or "", f["message"],
                   tuple(f.get("fix") or ())) for f in report["findings"])


def test_codekit_check_says_the_same_of_json_837_and_fhir(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``codekit check`` of the claims as JSON lines, as one 837 and as FHIR NDJSON: per
    claim the same findings (rule, line, line id, message, fix), profile, edits not run
    and notices; the 837's differ only on the OPPS flag it cannot carry."""
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(c.to_dict()) + "\n"
                                              for c in WRITTEN))
    (tmp_path / "c.837").write_text(_837(WRITTEN))
    (tmp_path / "c.ndjson").write_text("".join(json.dumps(fhir.from_claim(c)) + "\n"
                                               for c in WRITTEN))
    runs = {name: _cli(tmp_path / name, capsys) for name in ("c.jsonl", "c.837", "c.ndjson")}
    assert len(runs["c.jsonl"]) == len(WRITTEN)
    opps = {c.claim_id for c in WRITTEN if c.opps is not None}
    # a DME supplier's Medicare claim: from its 837, a practitioner's (docs/x12.md)
    dme = {cid for cid, r in runs["c.jsonl"].items() if r["profile"] == "medicare-dme"}
    assert dme == {c.claim_id for c in WRITTEN if c.dme_supplier and CHECKER.check(
        attrs.evolve(c, dme_supplier=None)).profile == "medicare-professional"}
    for name in ("c.837", "c.ndjson"):
        assert runs[name].keys() == runs["c.jsonl"].keys()
        for cid, mine in runs["c.jsonl"].items():
            theirs = runs[name][cid]
            if name == "c.837" and cid in opps:
                assert {f[0] for f in set(_said(mine)) ^ set(_said(theirs))} <= OPPS_RULES
            else:
                assert _said(theirs) == _said(mine), (name, cid)
            if name == "c.837" and cid in dme:
                assert (mine["profile"], theirs["profile"]) == ("medicare-dme",
                                                                "medicare-professional")
            else:
                assert (theirs["profile"], theirs["not_run"]) == (mine["profile"],
                                                                  mine["not_run"])
            assert [n["code"] for n in theirs["notices"]] == [
                n["code"] for n in mine["notices"]]


# -- the HTTP server ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    """The server on a free loopback port, in a thread (as tests/test_server.py runs it)."""
    uvicorn = pytest.importorskip("uvicorn")
    pytest.importorskip("starlette")
    import socket
    import threading
    import time

    from codekit.server import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port,
                                        log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        assert thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    yield "127.0.0.1", port
    srv.should_exit = True
    thread.join(10)


def test_the_server_answers_as_the_library(server: tuple[str, int]) -> None:
    """``POST /Claim/$validate`` of each FHIR Claim (a sample of every kind) answers the
    OperationOutcome ``fhir.check_each`` gives."""
    import http.client

    for c in CLAIMS[::8]:
        resource = fhir.from_claim(c)
        conn = http.client.HTTPConnection(*server, timeout=30)
        conn.request("POST", "/Claim/$validate", body=json.dumps(resource).encode(),
                     headers={"Content-Type": "application/fhir+json"})
        answer = conn.getresponse()
        status, body = answer.status, json.loads(answer.read())
        conn.close()
        (r,) = fhir.check_each(json.dumps(resource))
        assert (status, body) == (200, r.to_outcome()), c.claim_id


# -- Spark (a session takes seconds to start) -----------------------------------------------


@pytest.fixture
def spark(request: pytest.FixtureRequest) -> Any:
    """The tests' Spark session (tests/conftest.py), when pyspark is installed."""
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    return request.getfixturevalue("spark_session")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark_finds_the_same(tmp_path: Path, spark: Any) -> None:
    """Spark on a sample of every kind gives each claim's findings: the claim JSON read
    as text (the json format) and the long format from a file of line rows whose
    diagnoses are all objects (schema inferred by spark.read.json). The nested format from
    spark.read.json of claim dicts whose diagnoses mix codes and {code, poa} objects is
    the documented limit (docs/spark.md): the array is inferred as text, each object its
    JSON text, a DX_FORMAT_INVALID on every such diagnosis."""
    import codekit.spark as cks

    sample = DICTS[:48]
    want = sorted(((row["claim_id"], row["line"], row["line_id"], row["rule"], row["path"],
                    row["message"]) for d in sample
                   for row in CHECKER.check(Claim.from_dict(d)).rows()), key=repr)

    def got(df: Any, **kw: Any) -> list[tuple[Any, ...]]:
        return sorted(((r.claim_id, r.line, r.line_id, r.rule, r.path, r.message)
                       for r in cks.check(df, **kw).collect() if r.kind == "finding"),
                      key=repr)
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps(d) + "\n" for d in sample))
    assert got(spark.read.text(str(claims)).withColumnRenamed("value", "claim")) == want
    renamed = {"date_of_service": "line_date_of_service",
               "place_of_service": "line_place_of_service",
               "rendering_provider": "line_rendering_provider"}
    rows = tmp_path / "lines.jsonl"
    rows.write_text("".join(json.dumps({
        **{k: v for k, v in d.items() if k != "service_lines"},
        "diagnoses": [x if isinstance(x, dict) else {"code": x} for x in d["diagnoses"]],
        **{renamed.get(k, k): v or None for k, v in ln.items()}}) + "\n"
        for d in sample for ln in d["service_lines"]))
    lines = spark.read.json(str(rows))
    assert lines.schema["diagnoses"].dataType.simpleString() == (
        "array<struct<code:string,poa:string>>")
    assert got(lines, format="lines") == want
    nested = spark.read.json(str(claims))
    assert nested.schema["diagnoses"].dataType.simpleString() == "array<string>"
    mixed = {r[0] for r in got(nested, format="nested")
             if r[3] == "DX_FORMAT_INVALID" and "'{\"code\": " in r[5]}
    assert mixed == {d["claim_id"] for d in sample
                     if any(isinstance(x, dict) for x in d["diagnoses"])}

"""Examples of docs/catalog.md, run as written: each case quotes the sketch it runs (the
quote must stay in its ``### ID`` entry), builds the claim the sketch describes with the
catalog's defaults ("How the examples were checked": payer medicare, patient F born
1960-01-01, 1 unit a line, professional lines pointing to diagnosis 1) and checks what the
sketch says: the finding ID, where, its severity and fix, or that the edit stays quiet.

The catalog lists the entries whose examples are run here, and
:func:`test_the_catalog_lists_the_entries_run_here` holds that list and this file equal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, fhir

ROOT = Path(__file__).resolve().parents[1]
CATALOG = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
CHECKER = Checker()


def entry(rule: str) -> str:
    """The text of the catalog's ``### rule`` entry, its lines joined."""
    m = re.search(rf"^### {rule}\n(.*?)(?=^### |^## )", CATALOG, re.M | re.S)
    assert m is not None, rule
    return " ".join(m.group(1).split())


def claim(kind: str, date: str, dx: list[Any], lines: list[dict[str, Any]] | None = None,
          **extra: Any) -> dict[str, Any]:
    """A claim as the catalog sketches it: ``kind`` "prof" or a type of bill ("131")."""
    patient = extra.pop("patient", {"sex": "F", "birth_date": "1960-01-01"})
    d: dict[str, Any] = {"payer": extra.pop("payer", "medicare"), "patient": patient,
                         "date_of_service": date, "diagnoses": dx}
    if kind == "prof":
        d["claim_type"] = "professional"
    else:
        d["claim_type"], d["bill_type"] = "institutional", kind
    out = []
    for ln in lines or []:
        ln = {"units": 1, **ln}
        if kind == "prof":
            ln.setdefault("diagnosis_pointers", [1])
        out.append(ln)
    d["service_lines"] = out
    d.update(extra)
    return d


def found(d: dict[str, Any], checker: Checker = CHECKER) -> list[tuple[str, str, str, list[str]]]:
    """(rule, severity, path, fix) of every finding on the claim."""
    return [(f.rule, f.severity.value, f.path, list(f.fix))
            for f in checker.check(Claim.from_dict(d)).findings]


# (entry, the sketch quoted from it, the claim, what the sketch says)
#   ("fires", rule, severity, path, fix or None): a finding of that rule there
#   ("quiet", rule): no finding of that rule
#   ("only", [rules]): exactly these findings, in order
CASES: list[tuple[str, str, dict[str, Any], tuple[Any, ...]]] = [
    ("DX_MISSING", 'prof, 2025-11-03, dx `""`, `I10`; line 99213 ptr [2] → `DX_MISSING` at '
     "`diagnoses[0]` (only finding)",
     claim("prof", "2025-11-03", ["", "I10"], [{"procedure_code": "99213",
                                                "diagnosis_pointers": [2]}]),
     ("only", ["DX_MISSING"])),
    ("DX_MISSING", "prof, dx none; line 99213 ptr [] → `DX_MISSING` at `diagnoses`, plus "
     "`PTR_MISSING` for the line",
     claim("prof", "2025-11-03", [], [{"procedure_code": "99213", "diagnosis_pointers": []}]),
     ("only", ["DX_MISSING", "PTR_MISSING"])),
    ("DX_NOT_VALID_ON_DOS", "prof, 2025-11-03, dx `G35` → `DX_NOT_VALID_ON_DOS` at "
     "`diagnoses[0]`",
     claim("prof", "2025-11-03", ["G35"]),
     ("fires", "DX_NOT_VALID_ON_DOS", "error", "$.diagnoses[0]", None)),
    ("DX_NOT_VALID_ON_DOS", "on 2025-09-30 → clean",
     claim("prof", "2025-09-30", ["G35"]), ("quiet", "DX_NOT_VALID_ON_DOS")),
    ("DX_NOT_VALID_ON_DOS", "prof, 2025-10-01, dx `S30.1XXA` → fires, fix `S30.11XA`, "
     "`S30.12XA`, `S30.13XA`",
     claim("prof", "2025-10-01", ["S30.1XXA"]),
     ("fires", "DX_NOT_VALID_ON_DOS", "error", "$.diagnoses[0]",
      ["S30.11XA", "S30.12XA", "S30.13XA"])),
    ("DX_EXCLUDES1_CONFLICT", "prof, 2025-11-03, dx `E11.9`, `E10.9`; line 99213 ptr [1,2] → "
     "`DX_EXCLUDES1_CONFLICT` at `diagnoses[1]`",
     claim("prof", "2025-11-03", ["E11.9", "E10.9"], [{"procedure_code": "99213",
                                                       "diagnosis_pointers": [1, 2]}]),
     ("fires", "DX_EXCLUDES1_CONFLICT", "warning", "$.diagnoses[1]", None)),
    ("DX_EXCLUDES1_CONFLICT", "Clean (Excludes2 only): dx `K21.9`, `K44.9`",
     claim("prof", "2025-11-03", ["K21.9", "K44.9"]), ("quiet", "DX_EXCLUDES1_CONFLICT")),
    ("LATERALITY_MISMATCH", "prof, 2025-11-03, dx `M17.11`; line 20610 LT → "
     "`LATERALITY_MISMATCH` at `service_lines[0].modifiers[0]` (aetna: warning)",
     claim("prof", "2025-11-03", ["M17.11"], [{"procedure_code": "20610",
                                               "modifiers": ["LT"]}]),
     ("fires", "LATERALITY_MISMATCH", "error", "$.service_lines[0].modifiers[0]", ["RT"])),
    ("LATERALITY_MISMATCH", "(aetna: warning)",
     claim("prof", "2025-11-03", ["M17.11"], [{"procedure_code": "20610",
                                               "modifiers": ["LT"]}], payer="aetna"),
     ("fires", "LATERALITY_MISMATCH", "warning", "$.service_lines[0].modifiers[0]", ["RT"])),
    ("BILATERAL_UNITS_WITH_50", "prof, 2025-06-10, dx `M17.0`; line 20610 50 with 2 units → "
     "`BILATERAL_UNITS_WITH_50` (warning) at `service_lines[0].units`, fix `[\"1\"]`",
     claim("prof", "2025-06-10", ["M17.0"], [{"procedure_code": "20610", "modifiers": ["50"],
                                              "units": 2}]),
     ("fires", "BILATERAL_UNITS_WITH_50", "warning", "$.service_lines[0].units", ["1"])),
    ("BILATERAL_UNITS_WITH_50", "131, 2024-03-01, dx `M17.0`; lines 99283, 20610 50 with 2 "
     "units → `BILATERAL_UNITS_WITH_50` at `service_lines[1].units`",
     claim("131", "2024-03-01", ["M17.0"], [
         {"procedure_code": "99283"}, {"procedure_code": "20610", "modifiers": ["50"],
                                       "units": 2}]),
     ("fires", "BILATERAL_UNITS_WITH_50", "error", "$.service_lines[1].units", ["1"])),
    ("CLAIM_TOO_LARGE", "a professional claim with 100 diagnoses → `CLAIM_TOO_LARGE` at "
     "`$.diagnoses[99]`",
     claim("prof", "2025-11-03", ["I10"] * 100, [{"procedure_code": "99213"}]),
     ("only", ["CLAIM_TOO_LARGE"])),
    ("CORNEA_TISSUE_WITHOUT_TRANSPLANT", "131, 2024-03-01, dx `H18.601`; lines 99283 (revenue "
     "code 0450), V2785 (0360) → `CORNEA_TISSUE_WITHOUT_TRANSPLANT` at "
     "`service_lines[1].procedure_code`",
     claim("131", "2024-03-01", ["H18.601"], [
         {"procedure_code": "99283", "revenue_code": "0450"},
         {"procedure_code": "V2785", "revenue_code": "0360"}]),
     ("fires", "CORNEA_TISSUE_WITHOUT_TRANSPLANT", "error",
      "$.service_lines[1].procedure_code", None)),
    ("DIRECT_REFERRAL_WITHOUT_OBSERVATION", "131, 2024-03-01, dx `R07.9`; line G0379 (0762) → "
     "`DIRECT_REFERRAL_WITHOUT_OBSERVATION` at `service_lines[0].procedure_code`, fix `G0378`",
     claim("131", "2024-03-01", ["R07.9"], [{"procedure_code": "G0379",
                                             "revenue_code": "0762"}]),
     ("fires", "DIRECT_REFERRAL_WITHOUT_OBSERVATION", "error",
      "$.service_lines[0].procedure_code", ["G0378"])),
    ("DX_ADMISSION_QUESTIONABLE", "111, 2025-03-01, dx `I10` (POA Y) → fires at "
     "`diagnoses[0]`",
     claim("111", "2025-03-01", [{"code": "I10", "poa": "Y"}]),
     ("fires", "DX_ADMISSION_QUESTIONABLE", None, "$.diagnoses[0]", None)),
    ("DX_AGE_CONFLICT", "prof, 2025-11-03, age 31, dx `Z38.00` → `DX_AGE_CONFLICT` at "
     "`diagnoses[0]` (newborn band)",
     claim("prof", "2025-11-03", ["Z38.00"], patient={"sex": "F", "age": 31}),
     ("fires", "DX_AGE_CONFLICT", None, "$.diagnoses[0]", None)),
    ("DX_AGE_CONFLICT", "prof, born 2007-11-03, dx `Z00.129` → fires (18 on the date); born "
     "2007-11-04 → clean",
     claim("prof", "2025-11-03", ["Z00.129"], patient={"sex": "F", "birth_date": "2007-11-03"}),
     ("fires", "DX_AGE_CONFLICT", None, "$.diagnoses[0]", None)),
    ("DX_AGE_CONFLICT", "born 2007-11-04 → clean",
     claim("prof", "2025-11-03", ["Z00.129"], patient={"sex": "F", "birth_date": "2007-11-04"}),
     ("quiet", "DX_AGE_CONFLICT")),
    ("DX_BMI_AGE_CONFLICT", "prof, 2025-11-03, age 16, dx `E66.9`, `Z68.41` → "
     "`DX_BMI_AGE_CONFLICT` at `diagnoses[1]`, fix `Z68.51`–`Z68.56`",
     claim("prof", "2025-11-03", ["E66.9", "Z68.41"], patient={"sex": "F", "age": 16}),
     ("fires", "DX_BMI_AGE_CONFLICT", None, "$.diagnoses[1]",
      ["Z68.51", "Z68.52", "Z68.53", "Z68.54", "Z68.55", "Z68.56"])),
    ("MOD_PT_NOT_APPLICABLE", "131, 2024-03-01, dx `Z12.11`; line G0121 PT (0360) → "
     "`MOD_PT_NOT_APPLICABLE` (error) at `service_lines[0].modifiers[0]`",
     claim("131", "2024-03-01", ["Z12.11"], [{"procedure_code": "G0121", "modifiers": ["PT"],
                                              "revenue_code": "0360"}]),
     ("fires", "MOD_PT_NOT_APPLICABLE", "error", "$.service_lines[0].modifiers[0]", None)),
    ("PCS_NOT_VALID_ON_DOS", "111, 2024-10-01, procedures `X27H385` → fires (\"Replaced on "
     "2024-10-01 by 047K342 (the same title)\"), fix `047K342` first",
     claim("111", "2024-10-01", [{"code": "I25.10", "poa": "Y"}], procedures=["X27H385"]),
     ("fires", "PCS_NOT_VALID_ON_DOS", "error", "$.procedures[0].code", "047K342")),
    ("POA_MISSING", "111, 2025-11-03, dx `K35.80` (no POA) → fires at `diagnoses[0].poa`",
     claim("111", "2025-11-03", ["K35.80"]),
     ("fires", "POA_MISSING", "error", "$.diagnoses[0].poa", None)),
    ("PROC_FORMAT_INVALID", "prof, 2025-11-03, line `9921` → `PROC_FORMAT_INVALID` at "
     "`service_lines[0].procedure_code`",
     claim("prof", "2025-11-03", ["I10"], [{"procedure_code": "9921"}]),
     ("fires", "PROC_FORMAT_INVALID", "error", "$.service_lines[0].procedure_code", None)),
    ("PROC_NOT_RECOGNIZED_BY_OPPS", "131, 2024-03-01, dx `I10`; line 99213 → "
     "`PROC_NOT_RECOGNIZED_BY_OPPS` at `service_lines[0].procedure_code`, fix `G0463`",
     claim("131", "2024-03-01", ["I10"], [{"procedure_code": "99213"}]),
     ("fires", "PROC_NOT_RECOGNIZED_BY_OPPS", "error", "$.service_lines[0].procedure_code",
      ["G0463"])),
    ("PTR_MISSING", "prof, 2025-11-03, dx `I10`; line 99213 ptr [] → `PTR_MISSING` at "
     "`service_lines[0].diagnosis_pointers`",
     claim("prof", "2025-11-03", ["I10"], [{"procedure_code": "99213",
                                            "diagnosis_pointers": []}]),
     ("fires", "PTR_MISSING", "error", "$.service_lines[0].diagnosis_pointers", None)),
    ("UNITS_INVALID", "prof, 2025-11-03, line 99213 units 0 → `UNITS_INVALID` at "
     "`service_lines[0].units`",
     claim("prof", "2025-11-03", ["I10"], [{"procedure_code": "99213", "units": 0}]),
     ("fires", "UNITS_INVALID", "error", "$.service_lines[0].units", None)),
    ("MOD_INVALID", "prof, 2025-11-03, line 99213 88 → `MOD_INVALID` at "
     "`service_lines[0].modifiers[0]`",
     claim("prof", "2025-11-03", ["I10"], [{"procedure_code": "99213", "modifiers": ["88"]}]),
     ("fires", "MOD_INVALID", "error", "$.service_lines[0].modifiers[0]", None)),
]


@pytest.mark.parametrize(("rule", "quote", "data", "says"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_the_catalog_example_holds(rule: str, quote: str, data: dict[str, Any],
                                   says: tuple[Any, ...]) -> None:
    assert " ".join(quote.split()) in entry(rule)
    got = found(data)
    if says[0] == "only":
        assert [g[0] for g in got] == says[1]
    elif says[0] == "quiet":
        assert says[1] not in [g[0] for g in got]
    else:
        _, which, severity, path, fix = says
        hits = [g for g in got if g[0] == which and g[2] == path]
        assert hits, got
        if severity is not None:
            assert hits[0][1] == severity
        if isinstance(fix, str):  # the fix named first
            assert hits[0][3][:1] == [fix]
        elif fix is not None:
            assert hits[0][3] == fix


def test_the_fhir_examples_of_the_catalog() -> None:
    """FHIR_FORMAT_INVALID and FHIR_DATE_OF_SERVICE_MISSING, on input of the repository."""
    assert '`{"resourceType": "Bundle", "type": "collection"}`' in entry("FHIR_FORMAT_INVALID")
    out = fhir.check(b'{"resourceType": "Bundle", "type": "collection"}')
    (issue,) = out["issue"]
    assert (issue["severity"], issue["details"]["coding"][0]["code"], issue["diagnostics"],
            issue["expression"]) == ("fatal", "FHIR_FORMAT_INVALID",
                                     "the Bundle holds no Claim (it has no entries)",
                                     ["Bundle"])
    assert "`docs/examples/fhir_claim.json` without its `billablePeriod`" in \
        entry("FHIR_DATE_OF_SERVICE_MISSING")
    resource = json.loads((ROOT / "docs" / "examples" / "fhir_claim.json").read_text())
    del resource["billablePeriod"]
    out = fhir.check(json.dumps(resource).encode())
    assert [(i["details"]["coding"][0]["code"], i["expression"]) for i in out["issue"]] == \
        [("FHIR_DATE_OF_SERVICE_MISSING", ["Claim.billablePeriod"])]


def test_the_catalog_lists_the_entries_run_here() -> None:
    how = CATALOG.split("\n### How the examples were checked\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"\[`([A-Z0-9_]+)`\]\(#[a-z0-9_]+\)",
                            how.split("run here:", 1)[1].split("\n\n", 1)[0]))
    run = {c[0] for c in CASES} | {"FHIR_FORMAT_INVALID", "FHIR_DATE_OF_SERVICE_MISSING"}
    assert listed == run

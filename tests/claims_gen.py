"""Generated claims shared by the tests and the benches (no test here).

:func:`make_professional` draws typical Medicare 837P claims, :func:`make_inpatient` an
inpatient stream as a hospital sends it; both with a fixed seed, described in
``bench/bench_claims.py``, whose benchmarks run on them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Common primary-care / office diagnoses (valid FY2026 codes, no age or sex limit), written
#: as coders do (dotted, some undotted).
COMMON_DX = (
    "I10", "E11.9", "E11.65", "E1122", "E78.5", "E78.2", "E66.9", "E66.01", "E03.9",
    "E55.9", "D64.9", "D50.9", "J06.9", "J02.9", "J20.9", "J18.9", "J45.909", "J44.9",
    "J30.9", "J01.90", "R05.9", "R50.9", "R51.9", "R10.9", "R10.13", "R53.83", "R42",
    "R07.9", "R06.02", "M54.50", "M54.2", "M25.561", "M25.562", "M17.11", "M17.12", "M17.0",
    "M19.90", "M79.7", "M62.830", "G43.909", "G47.00", "F32.A", "F41.1", "F41.9", "F17.210",
    "K21.9", "K59.00", "K58.9", "K64.9", "N39.0", "N18.30", "L30.9", "L57.0", "L82.1",
    "B35.1", "H10.9", "H66.90", "H61.21", "I2510", "I48.91", "I50.9", "I73.9", "Z23",
    "Z12.31", "Z12.11", "Z79.4", "Z79.01", "Z79.899", "Z87.891", "Z91.81", "Z13.220",
    "Z71.3", "Z11.3", "S93.401A", "S83.241A", "S61.411A", "T78.40XA", "W19.XXXA", "Z96.651",
    "G89.29", "Z51.81",
)
#: Codes a patient of one sex or age band gets, used only for such patients.
MALE_DX = ("N40.0", "N40.1", "C61", "Z12.5", "N52.9")
FEMALE_DX = ("N95.1", "Z01.419", "N94.6", "Z30.011", "N76.0")
ADULT_FIRST = ("Z00.00", "Z00.01")  # only first-listed (Guideline I.C.21.c.16)
CHILD_FIRST = ("Z00.129", "Z00.121")
#: Mistakes a claim scrubber sees: headers, typos, deleted, missing 7th character.
BAD_DX = ("E11", "I25.1", "M17.1", "E11.99", "I1O", "G35", "Z86.010", "R10.2", "S52.521",
          "T78.40A", "250.00", "J06")
EM = ("99212", "99213", "99213", "99214", "99214", "99215", "99203", "99204")
PROCS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    # (code, modifiers, units)
    ("36415", (), 1), ("80053", (), 1), ("85025", (), 1), ("83036", (), 1),
    ("80061", (), 1), ("84443", (), 1), ("81002", (), 1), ("81003", (), 1),
    ("87804", (), 1), ("87880", (), 1), ("93000", (), 1), ("71046", (), 1),
    ("73562", ("RT",), 1), ("73562", ("LT",), 1), ("20610", ("RT",), 1),
    ("20610", ("LT",), 1), ("20610", (), 1), ("96372", (), 1), ("J1100", (), 4),
    ("J3301", (), 40), ("90471", (), 1), ("90686", (), 1), ("G0008", (), 1),
    ("97110", ("GP",), 2), ("97140", ("GP",), 1), ("97530", ("GP",), 2), ("11721", (), 1),
    ("17000", (), 1), ("17003", (), 3), ("17110", (), 1), ("69210", ("RT",), 1),
    ("11102", (), 1), ("94640", (), 1), ("94010", (), 1), ("G2211", (), 1),
)
VACCINE = frozenset({"G0008", "90471", "90686"})
#: Procedure mistakes: deleted (J1030 after 2024-03-31, 99201 in 2021), unknown, a
#: modifier glued to the code.
BAD_PROCS = ("J1030", "99201", "00000", "99213-25")
QUARTER = (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
#: ICD-10-PCS mistakes on an inpatient claim: a CPT code, the letter O, a deleted code.
BAD_PCS = ("99213", "ODTJ4ZZ", "0370046", "0DTJXZZ")
MCE_SUBSET = frozenset({
    "DX_FORMAT_INVALID", "DX_CODE_UNKNOWN", "DX_NOT_BILLABLE", "DX_SEVENTH_CHAR_MISSING",
    "DX_SEVENTH_CHAR_INVALID", "DX_PLACEHOLDER_X_MISSING", "DX_NOT_VALID_ON_DOS",
    "DX_AGE_CONFLICT", "DX_SEX_CONFLICT", "DX_MANIFESTATION_FIRST_LISTED",
    "DX_EXTERNAL_CAUSE_FIRST_LISTED", "DX_SECONDARY_ONLY_FIRST_LISTED", "DX_DUPLICATE",
})


#: One clean Medicare professional claim (20610-RT for M17.11, right knee, on 2025-11-03),
#: what the tests of reading and counting claims pass beside a bad one.
KNEE_CLAIM: dict[str, Any] = {
    "claim_id": "G1", "claim_type": "professional", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1951-04-12"}, "date_of_service": "2025-11-03",
    "diagnoses": ["M17.11"],
    "service_lines": [{"line": 1, "procedure_code": "20610", "modifiers": ["RT"], "units": 1,
                       "diagnosis_pointers": [1]}]}


def loaded_mpfs(path: Path, text: str) -> Iterator[Any]:
    """The MPFS RVU file ``text``, written at ``path`` and loaded while the generator runs:
    a fixture's body (``yield from loaded_mpfs(...)``), the table unloaded after the test."""
    from codekit import procedure

    path.write_text(text)
    table = procedure.load_mpfs(path)
    try:
        yield table
    finally:
        procedure.unload_mpfs()


def ptp_checker(folder: Path, rows: str) -> Any:
    """A checker without policies over the practitioner PTP edits of CSV ``rows`` (the
    CMS columns), written in ``folder``: what the modifier and E/M tests judge with."""
    from codekit import Checker, ncci

    (folder / "ptp.csv").write_text(rows)
    return Checker(ptp=ncci.load_ptp(folder / "ptp.csv", setting="practitioner"),
                   policies=())


def _plain_codes() -> list[str]:
    """FY2026 billable codes without an MCE age or sex limit on 2025-11-01."""
    store = _store()
    rel, v = store.release("FY2026"), store.validity
    limited = {"newborn", "pediatric", "maternity", "adult", "male", "female"}
    day = dt.date(2025, 11, 1)
    return [c for i, c in enumerate(rel.codes) if rel.is_billable_row(i)
            and not limited & set(v.flags(c, day) or ())
            and not limited & set(v.flags(c, dt.date(2024, 9, 30)) or ())]


def make_professional(n: int, seed: int = 20251103) -> list[dict[str, Any]]:
    """``n`` typical Medicare 837P claims (see the module docstring)."""
    plain = _plain_codes()
    rng = random.Random(seed)
    span = (QUARTER[1] - QUARTER[0]).days + 1
    claims = []
    for _ in range(n):
        r = rng.random()
        age = rng.randint(65, 95) if r < 0.80 else rng.randint(18, 64) if r < 0.95 \
            else rng.randint(2, 17)
        sex = rng.choice("MF")
        n_dx = rng.randint(2, 6)
        dx: list[str] = []
        if rng.random() < 0.10:
            dx.append(rng.choice(ADULT_FIRST if age >= 18 else CHILD_FIRST))
        while len(dx) < n_dx:
            r = rng.random()
            code = (rng.choice(COMMON_DX) if r < 0.78 else
                    rng.choice(MALE_DX if sex == "M" else FEMALE_DX) if r < 0.83 else
                    rng.choice(plain) if r < 0.97 else rng.choice(BAD_DX))
            if code not in dx:
                dx.append(code)
        if dx[0][0] in "VWXY":  # an external cause is never listed first
            dx.append(dx.pop(0))
        day = QUARTER[0] + dt.timedelta(days=rng.randrange(span))
        birth = day - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
        lines: list[dict[str, Any]] = []
        n_lines = rng.randint(1, 4)
        if rng.random() < 0.8:
            lines.append({"procedure_code": rng.choice(EM),
                          "modifiers": ["25"] if n_lines > 1 else []})
        while len(lines) < n_lines:
            code, mods, units = rng.choice(PROCS)
            if rng.random() < 0.01:
                code, mods = rng.choice(BAD_PROCS), ()
            elif code == "17003" and rng.random() < 0.9:  # the add-on with its primary
                lines.append({"procedure_code": "17000", "modifiers": [], "units": 1})
            elif code == "G2211" and (not lines or rng.random() < 0.1):
                continue  # the add-on goes with an office visit
            lines.append({"procedure_code": code, "modifiers": list(mods), "units": units})
        del lines[4:]
        vaccine = any(ln["procedure_code"] in VACCINE for ln in lines)
        if vaccine and "Z23" not in dx:
            dx[-1] = "Z23"  # a vaccine is given for Z23 (the coverage rule checks it)
        for i, ln in enumerate(lines):
            ln["line"] = i + 1
            ln.setdefault("units", 1)
            k = rng.randint(1, min(4, n_dx))
            ptr = sorted(rng.sample(range(1, n_dx + 1), k))
            if ln["procedure_code"] in VACCINE:
                ptr = [dx.index("Z23") + 1]
            if rng.random() < 0.01:
                ptr = [n_dx + 1]  # points past the last diagnosis
            ln["diagnosis_pointers"] = ptr
        claims.append({
            "claim_type": "professional", "payer": "medicare",
            "patient": {"sex": sex, "birth_date": birth.isoformat()},
            "date_of_service": day.isoformat(), "diagnoses": dx, "service_lines": lines,
        })
    return claims


def make_inpatient(n: int, seed: int = 20251201) -> list[dict[str, Any]]:
    """``n`` inpatient (837I, type of bill 111) Medicare claims as a hospital sends them:
    discharges over one quarter (2025-10-01 to 2025-12-31), 3-15 diagnoses (mean 9),
    codes drawn with a heavy-tailed (Zipf-like) frequency from the FY2026 billable codes
    without age or sex limits -- real claims reuse a few thousand codes most of the time
    --, the principal never an external cause; 1 % of the diagnoses a code with an MCE age
    or sex limit (some conflict with the patient), 2 % a mistake (header, typo, deleted
    code, missing 7th character); ages 65-99 (85 %) or 18-64, sexes M/F.

    Every diagnosis carries its POA indicator (Y mostly, N, U, W; exempt codes 1 or
    blank; 1 % missing or wrong), and 60 % of the claims ICD-10-PCS procedures (1-6,
    heavy-tailed over the FY2026 codes; 1 % a code the MCE flags -- non-covered, limited
    coverage --, 1 % a mistake: a CPT code, the letter O, a deleted code), with an
    admission date 1-12 days before the discharge."""
    store = _store()
    v = store.validity
    day0 = dt.date(2025, 11, 1)
    rng = random.Random(seed)
    plain = _plain_codes()
    rng.shuffle(plain)
    weights = [1 / (rank + 20) ** 1.1 for rank in range(len(plain))]
    cum = list(itertools.accumulate(weights))
    principal = [c for c in plain[:20_000] if c[0] not in "VWXY"
                 and "unacceptable" not in (v.flags(c, day0) or ())
                 and "manifestation" not in (v.flags(c, day0) or ())]
    pcum = list(itertools.accumulate(1 / (rank + 20) ** 1.1
                                     for rank in range(len(principal))))
    limited = [c for c in v.mce_codes() if v.masks.get(c, 0) >> v.period(day0) & 1
               and {"newborn", "pediatric", "maternity", "male", "female"}
               & set(v.flags(c, day0) or ())]
    span = (QUARTER[1] - QUARTER[0]).days + 1
    from codekit import icd10pcs, poa

    ps = icd10pcs.default_store()
    pv = ps.validity
    pcs = ps.valid_list(pv.period(day0))
    pcs = [c for c in pcs if not pv.flags(c, day0)]
    rng.shuffle(pcs)
    pcs_cum = list(itertools.accumulate(1 / (rank + 10) ** 1.2 for rank in range(len(pcs))))
    flagged = sorted(c for c in ps.valid_list(pv.period(day0))
                     if {"noncovered", "lcov"} & set(pv.flags(c, day0)))
    exempt: dict[str, bool] = {}
    claims = []
    for _ in range(n):
        age = rng.randint(65, 99) if rng.random() < 0.85 else rng.randint(18, 64)
        dx = [rng.choices(principal, cum_weights=pcum)[0]]
        want = rng.randint(3, 15)
        while len(dx) < want:
            r = rng.random()
            code = (rng.choice(BAD_DX) if r < 0.02 else rng.choice(limited) if r < 0.03
                    else rng.choices(plain, cum_weights=cum)[0])
            if code not in dx:
                dx.append(code)
        day = QUARTER[0] + dt.timedelta(days=rng.randrange(span))
        written = [c[:3] + "." + c[3:] if len(c) > 3 and rng.random() < 0.5 else c
                   for c in dx]
        diagnoses: list[Any] = []
        for c in written:
            r = rng.random()
            if exempt.get(c) is None:
                exempt[c] = bool(poa.is_exempt(c, on=day0))
            value = ("1" if rng.random() < 0.7 else None) if exempt[c] else \
                ("Y" if r < 0.85 else "N" if r < 0.95 else "U" if r < 0.97 else "W")
            if rng.random() < 0.01:
                value = rng.choice((None, "Q", "Y"))
            diagnoses.append(c if value is None else {"code": c, "poa": value})
        claim: dict[str, Any] = {
            "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
            "patient": {"sex": rng.choice("MF"), "age": age},
            "date_of_service": day.isoformat(), "diagnoses": diagnoses,
            "service_lines": [],
        }
        if rng.random() < 0.6:
            procs = []
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4, 6))):
                r = rng.random()
                procs.append(rng.choice(BAD_PCS) if r < 0.01 else rng.choice(flagged)
                             if r < 0.02 else rng.choices(pcs, cum_weights=pcs_cum)[0])
            claim["procedures"] = procs
            claim["admission_date"] = (day - dt.timedelta(days=rng.randint(1, 12))).isoformat()
        claims.append(claim)
    return claims


def _store() -> Any:
    from codekit.icd10cm import default_store

    return default_store()


def with_ids(claims: list[dict[str, Any]], claim_id: str, start: int = 0
             ) -> list[dict[str, Any]]:
    """``claims`` given a claim id (``claim_id.format(i)``, ``i`` from ``start``) and each
    line the id ``<claim id>-<line number>``; changed in place and returned."""
    for i, d in enumerate(claims, start):
        cid = d["claim_id"] = claim_id.format(i)
        for j, line in enumerate(d["service_lines"]):
            line["line_id"] = f"{cid}-{j + 1}"
    return claims


def nested_schema() -> Any:
    """The Arrow schema of professional claims as nested rows (one row a claim, its lines
    a list of structs; dates as dates), as a claims lake would hold them (needs pyarrow)."""
    import pyarrow as pa

    return pa.schema([
        ("claim_id", pa.string()), ("claim_type", pa.string()), ("payer", pa.string()),
        ("patient", pa.struct([("sex", pa.string()), ("birth_date", pa.date32())])),
        ("date_of_service", pa.date32()), ("diagnoses", pa.list_(pa.string())),
        ("service_lines", pa.list_(pa.struct([
            ("line", pa.int32()), ("line_id", pa.string()), ("procedure_code", pa.string()),
            ("modifiers", pa.list_(pa.string())), ("units", pa.int64()),
            ("diagnosis_pointers", pa.list_(pa.int32()))])))])


def nested_table(claims: list[dict[str, Any]]) -> Any:
    """``claims`` (dicts, not changed) as an Arrow table of :func:`nested_schema`."""
    import pyarrow as pa

    rows = []
    for d in claims:
        r = dict(d)
        r["date_of_service"] = dt.date.fromisoformat(d["date_of_service"])
        r["patient"] = {**d["patient"],
                        "birth_date": dt.date.fromisoformat(d["patient"]["birth_date"])}
        rows.append(r)
    return pa.Table.from_pylist(rows, schema=nested_schema())


# -- every field of the claim model, for the front doors' differential tests -----------------

#: Real codes for :func:`make_every_field`: diagnoses (a header and a code not valid before
#: FY2026 among them), professional lines (code, modifiers), hospital outpatient revenue
#: lines (revenue code, code, modifiers; "" a revenue-code-only line), inpatient diagnoses
#: and ICD-10-PCS procedures, ASC lines, NPIs.
_EVERY_DX = ("E11.9", "I10", "M17.11", "M17.12", "J06.9", "M54.50", "R51.9", "E78.5",
             "S52.501A", "Z00.00", "J45.909", "N39.0", "K21.9", "E11.65", "Z79.4", "F41.1",
             "M25.561", "L57.0", "Z23", "E11", "G35")
_EVERY_PROF = (("99213", ()), ("99214", ("25",)), ("20610", ("RT",)), ("20610", ("LT",)),
               ("93000", ()), ("36415", ()), ("90686", ()), ("90471", ()), ("17000", ()),
               ("17003", ()), ("97110", ("GP",)), ("11042", ("59",)), ("J1100", ()),
               ("G0439", ()), ("80053", ()), ("71046", ("26",)), ("99214", ()), ("G2211", ()))
_EVERY_OUT = (("0450", "99283", ()), ("0300", "80053", ()), ("0636", "J1100", ()),
              ("0320", "71046", ()), ("0730", "93005", ()), ("0360", "29881", ("RT",)),
              ("0250", "", ()), ("0510", "99213", ()))
_EVERY_INP_DX = ("I21.4", "E11.9", "I10", "N17.9", "J18.9", "E87.1", "I50.9", "Z79.4",
                 "E78.5", "K57.30", "A41.9", "N18.30", "D64.9")
_EVERY_PCS = ("02703DZ", "0DTJ4ZZ", "0SR90J9", "5A1955Z", "B2111ZZ", "30233N1")
_EVERY_ASC = (("0490", "66984", ("RT",)), ("0490", "45378", ()), ("0490", "29881", ("LT",)),
              ("0360", "64483", ()))
_EVERY_NPI = ("1234567893", "1497758544", "1245319599", "1999999984")
#: The 11-digit NDC of a J1100 line (5-4-2, as an 837's LIN03 holds it).
EVERY_NDC = "00009034702"


def _every_patient(rng: random.Random, day: dt.date) -> dict[str, Any]:
    age = rng.randint(20, 90)
    birth = day - dt.timedelta(days=int(age * 365.25) + rng.randrange(300))
    patient: dict[str, Any] = {
        "sex": rng.choice("MFFMU"), "birth_date": birth.isoformat(),
        "id": f"M{rng.randrange(10 ** 6)}",
        "name": rng.choice(("DOE, JOHN", "ROE, ANN", "SMITH, PAT", "LEE", "O'NEIL, MARY"))}
    if rng.random() < 0.08:  # an age without a birth date (an 837 cannot carry it)
        del patient["birth_date"]
        patient["age"] = age
    return patient


def _every_frequency(rng: random.Random, claim: dict[str, Any]) -> None:
    frequency = rng.choice("11178")
    claim["frequency_code"] = frequency
    if frequency in "78":  # a replacement or void names the claim it corrects
        claim["corrected_claim_id"] = f"ORIG{rng.randrange(10 ** 5)}"


def _every_professional(rng: random.Random, i: int) -> dict[str, Any]:
    day = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randrange(300))
    dx = rng.sample(_EVERY_DX, rng.randint(1, 5))
    lines = []
    for n in range(rng.randint(1, 5)):
        code, mods = rng.choice(_EVERY_PROF)
        line: dict[str, Any] = {
            "line": n + 1, "procedure_code": code, "modifiers": list(mods),
            "units": rng.choice((1, 1, 1, 2, 1.5, 0.25, 10)),
            "diagnosis_pointers": sorted(rng.sample(range(1, len(dx) + 1),
                                                    rng.randint(1, min(4, len(dx))))),
            "date_of_service": (day + dt.timedelta(days=rng.choice((0, 0, 0, 1)))).isoformat(),
            "charge": rng.choice((40, 125.5, 250, 99.99, 15))}
        if rng.random() < 0.5:
            line["line_id"] = f"P{i}-{n + 1}"
        if rng.random() < 0.3:
            line["place_of_service"] = rng.choice(("11", "22", "02", "10"))
        if rng.random() < 0.2:
            line["rendering_provider"] = rng.choice(_EVERY_NPI)
        if code == "J1100":
            line["ndc"] = EVERY_NDC
        lines.append(line)
    first = min(ln["date_of_service"] for ln in lines)  # the claim's date: its first line's
    claim: dict[str, Any] = {
        "claim_id": f"P{i}", "claim_type": "professional",
        "payer": rng.choice(("medicare", "acme health", "aetna", "Medicare", "BCBS of TX")),
        "patient": _every_patient(rng, day), "date_of_service": first,
        "diagnoses": dx, "service_lines": lines, "billing_provider": rng.choice(_EVERY_NPI),
        "place_of_service": rng.choice(("11", "22", "24", "02")),
        "filing_indicator": rng.choice(("MB", "CI", "16"))}
    if rng.random() < 0.5:
        claim["rendering_provider"] = rng.choice(_EVERY_NPI)
    if rng.random() < 0.8:
        claim["total_charge"] = round(sum(ln["charge"] for ln in lines), 2)
    if rng.random() < 0.2:
        claim["condition_codes"] = rng.sample(("02", "03", "07"), 1)
    if rng.random() < 0.1:
        claim["dme_supplier"] = True
    _every_frequency(rng, claim)
    return claim


def _every_institutional(rng: random.Random, i: int, bill: str, first: dt.date,
                         last: dt.date, table: tuple[tuple[str, str, tuple[str, ...]], ...],
                         dx_pool: tuple[str, ...]) -> dict[str, Any]:
    dx = rng.sample(dx_pool, rng.randint(1, 6))
    lines = []
    for n in range(rng.randint(1, 5)):
        rev, code, mods = rng.choice(table)
        line: dict[str, Any] = {
            "line": n + 1, "procedure_code": code, "modifiers": list(mods),
            "units": rng.choice((1, 1, 2, 3, 0.5)), "revenue_code": rev,
            "charge": rng.choice((1000, 250.25, 80, 3000, 0.01, 12345.67))}
        if code and rng.random() < 0.1:
            line["modifiers"] += ["59", "XS", "76"][:rng.randint(1, 3)]
        if bill[:2] != "11" or rng.random() < 0.5:  # 13x, 83x, 85x lines are dated
            line["date_of_service"] = (first + dt.timedelta(
                days=rng.randint(0, (last - first).days))).isoformat()
        if rng.random() < 0.4:
            line["line_id"] = f"I{i}-{n + 1}"
        if code == "J1100":
            line["ndc"] = EVERY_NDC
        if code and rng.random() < 0.15:
            line["rendering_provider"] = rng.choice(_EVERY_NPI)
        lines.append(line)
    claim: dict[str, Any] = {
        "claim_id": f"I{i}", "claim_type": "institutional",
        "payer": rng.choice(("medicare", "acme health")),
        "patient": _every_patient(rng, last), "date_of_service": last.isoformat(),
        "diagnoses": dx, "service_lines": lines, "billing_provider": rng.choice(_EVERY_NPI),
        "statement_period": [first.isoformat(), last.isoformat()],
        "filing_indicator": rng.choice(("MA", "MB", "CI")),
        "discharge_status": rng.choice(("01", "06", "03", "20") if bill[:2] == "11"
                                       else ("01",))}
    if rng.random() < 0.8:
        claim["total_charge"] = round(sum(ln["charge"] for ln in lines), 2)
    if rng.random() < 0.3:
        claim["condition_codes"] = rng.sample(("07", "40", "A1", "44"), rng.randint(1, 2))
    if rng.random() < 0.4:
        claim["occurrence_codes"] = [{"code": rng.choice(("11", "01", "24")),
                                      "date": first.isoformat()}]
    if rng.random() < 0.3:
        claim["value_codes"] = [{"code": rng.choice(("80", "01", "A1")),
                                 "amount": rng.choice((3, 150.5, 20))}]
    if rng.random() < 0.2:
        claim["occurrence_spans"] = [{"code": rng.choice(("74", "70")),
                                      "from": first.isoformat(), "through": last.isoformat()}]
    if rng.random() < 0.3:
        claim["rendering_provider"] = rng.choice(_EVERY_NPI)
    _every_frequency(rng, claim)
    claim["bill_type"] = bill[:2] + claim["frequency_code"]
    return claim


def make_every_field(n: int, seed: int = 20261207) -> list[dict[str, Any]]:
    """``n`` claim dicts (real codes, 2025 dates of service) that hold every field of the
    claim model between them, in turn professional (837P: NPIs, claim and line places of
    service, line dates, charges, fractional units, modifiers, an NDC, a line's own
    rendering NPI, frequency 1/7/8 with the corrected claim's id, condition codes, a DME
    supplier's claim), hospital outpatient (131/137/851...: revenue lines, visit reasons,
    occurrence codes and spans, value codes, the OPPS flag), inpatient (111/117: POA,
    admitting diagnosis, ICD-10-PCS procedures with dates, admission date, discharge
    status) and ASC (831: ``asc_facility``). Some are wrong on purpose (a header, a code
    deleted on the date, a missing laterality) so that the edits have something to say."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            out.append(_every_professional(rng, i))
            continue
        if kind == 1:  # hospital outpatient
            first = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randrange(300))
            last = first + dt.timedelta(days=rng.choice((0, 0, 1, 2)))
            claim = _every_institutional(rng, i, rng.choice(("131", "131", "137", "851")),
                                         first, last, _EVERY_OUT, _EVERY_DX)
            if rng.random() < 0.7:
                claim["visit_reasons"] = rng.sample(("R07.9", "R10.9", "R51.9", "M54.50"),
                                                    rng.randint(1, 2))
            if rng.random() < 0.3:
                claim["opps"] = rng.choice((True, False))
        elif kind == 2:  # inpatient
            last = dt.date(2025, 1, 10) + dt.timedelta(days=rng.randrange(300))
            first = last - dt.timedelta(days=rng.randint(1, 8))
            claim = _every_institutional(
                rng, i, rng.choice(("111", "111", "117")), first, last,
                (("0120", "", ()), ("0250", "", ()), ("0300", "80053", ()),
                 ("0730", "93005", ())), _EVERY_INP_DX)
            # the POA-exempt Z79.4 as a plain code, the others with their indicator
            claim["diagnoses"] = [c if c == "Z79.4" else
                                  {"code": c, "poa": rng.choice("YYNUW")}
                                  for c in claim["diagnoses"]]
            claim["admission_date"] = first.isoformat()
            claim["admitting_diagnosis"] = rng.choice(("R07.9", "R06.02", "R50.9"))
            if rng.random() < 0.8:
                claim["procedures"] = [{"code": c, "date": (first + dt.timedelta(
                    days=rng.randint(0, (last - first).days))).isoformat()}
                    for c in rng.sample(_EVERY_PCS, rng.randint(1, 3))]
        else:  # an ambulatory surgical center's facility claim
            day = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randrange(300))
            claim = _every_institutional(rng, i, "831", day, day, _EVERY_ASC, _EVERY_DX)
            if rng.random() < 0.5:
                claim["asc_facility"] = True
        out.append(claim)
    return out

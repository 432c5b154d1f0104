"""Claims from a long-format table (one row per service line) into a findings table."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidArgument

__all__ = ["FINDING_COLUMNS", "check_claims", "claims_of"]

#: The columns of the findings table, in order.
FINDING_COLUMNS = ("claim_id", "line", "line_id", "rule", "severity", "path", "codes",
                   "message", "fix", "catalog", "payer", "profile", "date_of_service")

#: Claim-level fields read from the first row of a claim.
_CLAIM_FIELDS = ("claim_type", "payer", "filing_indicator", "billing_provider",
                 "rendering_provider", "place_of_service", "total_charge", "frequency_code",
                 "bill_type", "admitting_diagnosis", "date_of_service")
_PATIENT_FIELDS = {"patient_id": "id", "sex": "sex", "birth_date": "birth_date", "age": "age"}
_LINE_FIELDS = ("line", "line_id", "procedure_code", "units", "revenue_code", "ndc",
                "charge")
_LINE_DATE = "line_date"
_LINE_POS = "line_place_of_service"


def _plain(value: object) -> Any:
    """A cell as the claim reader expects it: None for a missing value, Python scalars,
    ISO text for dates."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a whole number read as a float (a column with gaps)
    return value


def _numbered(columns: list[str], stem: str) -> list[str]:
    """``dx1``, ``dx2``... (or ``dx_1``) in number order."""
    found = []
    for c in columns:
        rest = c[len(stem):].lstrip("_") if c.startswith(stem) else ""
        if rest.isdigit():
            found.append((int(rest), c))
    return [c for _, c in sorted(found)]


def _listed(value: object) -> list[Any]:
    """A cell holding several values: a list, or text separated by commas/semicolons."""
    value = _plain(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
    if isinstance(value, list | tuple | np.ndarray):
        return [v for v in (_plain(x) for x in value) if v is not None]
    return [value]


def claims_of(lines: pd.DataFrame, *, columns: Mapping[str, str] | None = None
              ) -> list[dict[str, Any]]:
    """Claim dicts (:meth:`codekit.Claim.from_dict` shape) from a long-format table: one
    row per service line, claim fields repeated on every line of a claim (the first row
    of a claim is read for them). ``columns`` maps codekit's names to yours
    (``{"procedure_code": "cpt"}``). See ``docs/pandas.md`` for the names read."""
    if not isinstance(lines, pd.DataFrame):
        raise InvalidArgument(f"lines: expected a DataFrame, got {type(lines).__name__}")
    rename = {v: k for k, v in (columns or {}).items()}
    missing = [v for v in rename if v not in lines.columns]
    if missing:
        raise InvalidArgument(f"columns: no column {missing[0]!r} in the table")
    names = [rename.get(str(c), str(c)) for c in lines.columns]
    if "claim_id" not in names:
        raise InvalidArgument("the table needs a claim_id column (or columns={'claim_id': "
                              "'<your column>'}): it says which lines make a claim")
    data = {name: lines.iloc[:, i].to_numpy(dtype=object) for i, name in enumerate(names)}
    dx_cols = _numbered(names, "dx") or _numbered(names, "diagnosis")
    mod_cols = _numbered(names, "modifier") or _numbered(names, "mod")
    ptr_cols = _numbered(names, "pointer") or _numbered(names, "diagnosis_pointer")
    ids = data["claim_id"]
    order, uniq = pd.factorize(pd.Series(ids, dtype=object), use_na_sentinel=False)
    groups: dict[int, list[int]] = {}
    for i, g in enumerate(np.asarray(order).tolist()):
        groups.setdefault(g, []).append(i)
    out = []
    for g in range(len(uniq)):
        rows = groups[g]
        first = rows[0]
        claim: dict[str, Any] = {"claim_id": _text_id(ids[first])}
        for f in _CLAIM_FIELDS:
            if f in data:
                v = _plain(data[f][first])
                if v is not None:
                    claim[f] = v
        claim.setdefault("claim_type", "professional")
        patient: dict[str, Any] = {}
        for col, key in _PATIENT_FIELDS.items():
            if col in data:
                v = _plain(data[col][first])
                if v is not None:
                    patient[key] = v
        claim["patient"] = patient
        if dx_cols:
            claim["diagnoses"] = [v for v in (_plain(data[c][first]) for c in dx_cols)
                                  if v is not None]
        elif "diagnoses" in data:
            claim["diagnoses"] = _listed(data["diagnoses"][first])
        else:
            claim["diagnoses"] = []
        service_lines = []
        for n, i in enumerate(rows, 1):
            if "procedure_code" not in data or _plain(data["procedure_code"][i]) is None:
                continue  # a claim-only row (no line)
            line: dict[str, Any] = {"line": n}
            for f in _LINE_FIELDS:
                if f in data:
                    v = _plain(data[f][i])
                    if v is not None:
                        line[f] = str(v) if f in ("line_id", "procedure_code",
                                                  "revenue_code") else v
            if mod_cols:
                line["modifiers"] = [str(v) for v in (_plain(data[c][i]) for c in mod_cols)
                                     if v is not None]
            elif "modifiers" in data:
                line["modifiers"] = [str(v) for v in _listed(data["modifiers"][i])]
            if ptr_cols:
                line["diagnosis_pointers"] = [v for v in (_plain(data[c][i])
                                                          for c in ptr_cols) if v is not None]
            elif "diagnosis_pointers" in data:
                line["diagnosis_pointers"] = _listed(data["diagnosis_pointers"][i])
            if _LINE_DATE in data and _plain(data[_LINE_DATE][i]) is not None:
                line["date_of_service"] = _plain(data[_LINE_DATE][i])
            if _LINE_POS in data and _plain(data[_LINE_POS][i]) is not None:
                line["place_of_service"] = _plain(data[_LINE_POS][i])
            service_lines.append(line)
        claim["service_lines"] = service_lines
        out.append(claim)
    return out


def _text_id(value: object) -> Any:
    v = _plain(value)
    return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


def check_claims(lines: pd.DataFrame, *, checker: Any = None,
                 columns: Mapping[str, str] | None = None, processes: int = 1
                 ) -> pd.DataFrame:
    """See :func:`codekit.pandas.check_claims`."""
    from ..checker import Checker

    checker = checker if checker is not None else Checker()
    claims = claims_of(lines, columns=columns)
    rows: list[dict[str, Any]] = []
    counts = {"claims": 0, "claims_with_findings": 0, "claims_with_errors": 0}
    for claim, report in zip(claims, checker.check_many(claims, processes=processes),
                             strict=True):
        counts["claims"] += 1
        if report.findings:
            counts["claims_with_findings"] += 1
        if not report.ok:
            counts["claims_with_errors"] += 1
        payer = str(claim.get("payer") or "").strip().lower() or "unknown"
        day = claim.get("date_of_service")
        if day is None:
            days = [ln.get("date_of_service") for ln in claim["service_lines"]]
            day = min((d for d in days if d), default=None)
        when = _day(day)
        for row in report.rows():
            row["codes"] = tuple(row["codes"])
            row["fix"] = tuple(row["fix"])
            row.update(payer=payer, profile=report.profile or None, date_of_service=when)
            rows.append(row)
    data: dict[str, Any] = {}
    for name in FINDING_COLUMNS:
        values = [row[name] for row in rows]
        if name == "line":
            data[name] = pd.array(values, dtype="Int64")
        elif name == "date_of_service":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object))
        else:  # text as Python objects, None where missing, on every pandas version
            column = np.empty(len(values), dtype=object)
            column[:] = values if name not in ("codes", "fix") else [None] * len(values)
            if name in ("codes", "fix"):
                for i, v in enumerate(values):
                    column[i] = v
            data[name] = pd.Series(column, dtype=object)
    frame = pd.DataFrame(data, columns=list(FINDING_COLUMNS))
    frame.attrs["codekit"] = counts
    return frame


def _day(value: object) -> dt.date | None:
    from .._dates import coerce_date

    try:
        return coerce_date(value, "date_of_service") if value is not None else None
    except Exception:  # the claim's own format error says why
        return None

"""Claims from a long-format table (one row per service line) into a findings table."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import deque
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .._progress import Progress
from .._show import json_kind, shown
from .._text import DATE, TEXT, cell_key, cell_value, field_kind, padded_code, whole_text
from ..claims import claim_date
from ..errors import ClaimFormatError, InvalidArgument
from ..findings import Finding, Report, Severity

__all__ = ["FINDING", "FINDING_COLUMNS", "NOTICE", "SEVERITY", "check_claims", "claims_of"]

#: The columns of the findings table, in order (a column added later comes last: none
#: moves). ``policy`` is the rule ID of the payer policy that raised the finding
#: (``MCR-G2211-MOD25``; :attr:`codekit.Finding.policy`), None for a built-in edit's
#: finding and for a notice; text as Python objects, as the other text columns:
#: ``frame[frame.policy == "MCR-G2211-MOD25"]``, ``frame.groupby("policy").size()``
#: (built-in edits left out, as ``groupby`` leaves out None; ``dropna=False`` keeps them).
#: ``row`` is the index label, in the table given, of the row of the line a finding or
#: notice is at (None for one about the claim): ``found.join(lines, on="row")``.
FINDING_COLUMNS = ("claim_id", "line", "line_id", "rule", "severity", "kind", "path",
                   "codes", "message", "fix", "catalog", "payer", "profile",
                   "date_of_service", "policy", "row")
#: ``kind`` of a row: a finding (an edit fired; ``severity`` says how bad), or a notice of
#: the report (how the claim was judged: data that does not cover its date, a payer the
#: routing could not place...; ``rule`` is the notice's code, ``severity`` is empty).
FINDING, NOTICE = "finding", "notice"
#: ``severity`` as an ordered categorical, least bad first: ``info`` < ``warning`` <
#: ``error``. The findings table keeps ``severity`` as text, as its other text columns
#: (``==``, ``isin``, ``groupby`` and ``pd.concat`` with an older table as before; a
#: notice's is None); ``found.severity.astype(SEVERITY)`` sorts and compares by how bad:
#: ``found[found.severity.astype(SEVERITY) >= "warning"]``.
SEVERITY = pd.CategoricalDtype([Severity.INFO.value, Severity.WARNING.value,
                                Severity.ERROR.value], ordered=True)

#: Claim-level fields: the same on every row of a claim.
_CLAIM_FIELDS = ("claim_type", "payer", "filing_indicator", "billing_provider",
                 "rendering_provider", "place_of_service", "total_charge", "frequency_code",
                 "corrected_claim_id", "bill_type", "admitting_diagnosis", "date_of_service",
                 "admission_date", "discharge_status", "opps", "dme_supplier", "asc_facility")
#: The statement covers period (institutional) from two columns: from, through.
_PERIOD = ("statement_from", "statement_through")
#: Claim-level cells holding several values (a list, or text separated by commas,
#: semicolons or spaces); each also as numbered columns (``condition_code1``...).
_LISTS = {"diagnoses": "dx", "poa": "poa", "condition_codes": "condition_code",
          "visit_reasons": "visit_reason", "procedures": "pcs"}
#: An institutional claim's NUBC codes with their dates or amount (UB-04 FL 31-41, 837I
#: HI BH, BI, BE), from numbered columns as ICD-10-PCS procedures come with their dates
#: (``occurrence_code1`` with ``occurrence_date1``...): the claim field -> the stem of
#: its code columns, and the claim dict's key and column stem of each of its values.
_NUBC = {"occurrence_codes": ("occurrence_code", (("date", "occurrence_date"),)),
         "occurrence_spans": ("occurrence_span_code", (("from", "occurrence_span_from"),
                                                       ("through", "occurrence_span_through"))),
         "value_codes": ("value_code", (("amount", "value_amount"),))}
#: Each column stem of them -> the claim field.
_NUBC_STEMS = {stem: field for field, (code, parts) in _NUBC.items()
               for stem in (code, *(s for _, s in parts))}
#: The patient's columns -> the ``patient`` fields they fill (``patient_name``: the name an
#: 837 requires, ``LAST, FIRST``; no edit reads it).
_PATIENT_FIELDS = {"patient_id": "id", "patient_name": "name", "sex": "sex",
                   "birth_date": "birth_date", "age": "age"}
_LINE_FIELDS = ("line", "line_id", "procedure_code", "units", "revenue_code", "ndc",
                "charge")
_LINE_DATE = "line_date"
_LINE_POS = "line_place_of_service"
#: A line's own rendering provider (837P 2420A), where not the claim's: the NCCI
#: practitioner edits pair and sum one provider's lines.
_LINE_PROVIDER = "line_rendering_provider"

#: The claim field a column fills, where the column is not named as the field (numbered
#: columns by their stem: ``value_amount2``, ``pcs_date1``): the column is read as that
#: field is (:func:`_kind`).
_FIELD_OF: dict[str, tuple[str, ...]] = {
    **{col: ("patient", key) for col, key in _PATIENT_FIELDS.items()},
    **dict.fromkeys(_PERIOD, ("statement_period",)),
    "condition_code": ("condition_codes",), "pcs_date": ("procedures", "date"),
    **{stem: (field, part) for field, (code, parts) in _NUBC.items()
       for part, stem in (("code", code), *parts)},
    **{f: ("service_lines", f) for f in _LINE_FIELDS},
    _LINE_DATE: ("service_lines", "date_of_service"),
    _LINE_POS: ("service_lines", "place_of_service"),
    _LINE_PROVIDER: ("service_lines", "rendering_provider")}


def _kind(column: str) -> Any:
    """How the column ``column`` is read, for the claim and to compare its cells across
    the claim's rows (by what is read, not by the text): as the claim field it fills
    (:data:`codekit._text.FIELD_KINDS`, the Spark door's too): a number field's whole text
    is its int and its cells one number, a date field's cells one date, a code of a fixed
    number of digits padded, a flag's text its boolean, a type of bill compared in four
    digits; else text, compared without case or surrounding spaces.

    >>> _kind("value_amount2"), _kind("statement_from"), _kind("revenue_code"), _kind("dx1")
    ('number', 'date', 4, 'text')
    """
    stem = column.rstrip("0123456789").rstrip("_") if column[-1:].isdigit() else column
    return field_kind(*_FIELD_OF.get(stem, (stem,)))


#: How a line's cells are read: a number's whole text as its int (``"2"``, ``"2.0"``; other
#: text is the claim reader's), a revenue code (four digits: ``450`` is ``0450``) and a
#: place of service (two) padded.
_LINE_KINDS = {f: _kind(f) for f in (*_LINE_FIELDS, _LINE_POS, _LINE_PROVIDER)}


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
    if isinstance(value, pd.Period) and value.start_time.date() == value.end_time.date():
        return value.start_time.date().isoformat()  # a day (a month stays: not a date)
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


_SEPARATORS = re.compile(r"[,;\s]+")


def _listed(value: object) -> list[Any]:
    """A cell holding several values: a list, or text separated by commas, semicolons or
    spaces (``"E11.9 E11"`` is two codes, as :func:`codekit.cells.check` reads it)."""
    value = _plain(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in _SEPARATORS.split(value) if p]
    if isinstance(value, list | tuple | np.ndarray):
        return [v for v in (_plain(x) for x in value) if v is not None]
    return [value]


def claims_of(lines: pd.DataFrame, *, columns: Mapping[str, str] | None = None,
              diagnoses: pd.DataFrame | None = None, procedures: pd.DataFrame | None = None
              ) -> list[dict[str, Any] | ClaimFormatError]:
    """Claim dicts (:meth:`codekit.Claim.from_dict` shape) from a long-format table: one
    row per service line, claim fields repeated on every line of a claim. ``columns`` maps
    codekit's names to yours (``{"procedure_code": "cpt"}``). See ``docs/pandas.md`` for
    the names read.

    A claim-level field (payer, sex, date of service, a diagnosis...) may be blank on some
    rows of a claim: the rows that give it are read. A claim whose rows give different
    values of one, and a row without a claim id (it cannot be put with its claim; each
    such row is a result of its own), cannot be read: in their place the list holds a
    :class:`codekit.errors.ClaimFormatError` naming the field, the values and the rows,
    which :meth:`codekit.Checker.check_many` reports as ``CLAIM_FORMAT_INVALID``.

    ``diagnoses`` and ``procedures`` are tables of their own, one row per code (a
    diagnosis table with ``claim_id``, ``code``, ``sequence``, ``poa``; an ICD-10-PCS
    procedure table with ``claim_id``, ``code``, ``sequence``, ``date``), put with the
    claims of ``lines`` by claim id.
    """
    return [claim if not problems else ClaimFormatError(problems)
            for _, claim, problems in _read(lines, columns, diagnoses, procedures)]


#: (claim id, claim dict, problems that keep it from being read: (path, message) pairs)
_Read = tuple[Any, dict[str, Any], list[tuple[tuple[str | int, ...], str]]]
#: A claim read, and the positions in the table of its service lines' rows (in the order
#: of its ``service_lines``; none for a claim found only in a diagnosis or procedure table).
_Stream = tuple[Any, dict[str, Any], list[tuple[tuple[str | int, ...], str]], list[int]]


def _read(lines: pd.DataFrame, columns: Mapping[str, str] | None,
          dx_table: pd.DataFrame | None = None, px_table: pd.DataFrame | None = None
          ) -> list[_Read]:
    """The claims of a long table, in the order of their first row (then the claims
    found only in a diagnosis or procedure table, each a result saying so)."""
    return [(cid, claim, problems)
            for cid, claim, problems, _ in _reads(lines, columns, dx_table, px_table)[1]]


def _reads(lines: pd.DataFrame, columns: Mapping[str, str] | None,
           dx_table: pd.DataFrame | None = None, px_table: pd.DataFrame | None = None
           ) -> tuple[int, Iterator[_Stream]]:
    """:func:`_read`'s claims one at a time, each with the positions of its lines' rows,
    and how many there are. The table's columns are read (and a table codekit cannot
    read raises) at once; each claim dict is made when the iterator reaches it, so a long
    table is never held as claim dicts all at once."""
    if not isinstance(lines, pd.DataFrame):
        raise InvalidArgument(f"lines: expected a DataFrame, got {type(lines).__name__}")
    if columns is not None and not isinstance(columns, Mapping):
        raise InvalidArgument(
            f"columns: expected a mapping of codekit's names to yours (e.g. "
            f"{{'procedure_code': 'cpt'}}), got {type(columns).__name__}")
    for k, v in (columns or {}).items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise InvalidArgument(f"columns: {k!r}: {v!r}: expected codekit's name and "
                                  "your column's name, both as text")
    labels = lines.index  # the caller's rows, as findings name them
    lines = _with_index_levels(lines)
    rename = {v: k for k, v in (columns or {}).items()}
    missing = [v for v in rename if v not in lines.columns]
    if missing:
        raise InvalidArgument(f"columns: no column {missing[0]!r} in the table")
    names = _as_read([rename.get(str(c)) for c in lines.columns],
                     [str(c) for c in lines.columns])
    if "claim_id" not in names:
        raise InvalidArgument("the table needs a claim_id column (or columns={'claim_id': "
                              "'<your column>'}): it says which lines make a claim")
    _named_as_codekit_reads(names, dx_table is not None)
    data = {name: lines.iloc[:, i].to_numpy(dtype=object) for i, name in enumerate(names)}
    theirs = {name: str(lines.columns[i]) for i, name in enumerate(names)}
    dx_cols = _numbered(names, "dx") or _numbered(names, "diagnosis")
    lists = {key: _numbered(names, stem) or ([key] if key in data else [])
             for key, stem in _LISTS.items() if key != "diagnoses"}
    pcs_dates = _numbered(names, "pcs_date")
    nubc = {stem: _numbered(names, stem) for stem in _NUBC_STEMS}
    side: dict[str, tuple[dict[Any, list[Any]], dict[Any, list[_Problem]], list[_Read]]] = {}
    dx_given = [*(dx_cols or [c for c in ("diagnoses",) if c in data]), *lists["poa"]]
    for key, table, given in (("diagnoses", dx_table, dx_given),
                              ("procedures", px_table, [*lists["procedures"], *pcs_dates])):
        if table is None:
            continue
        if given:
            raise InvalidArgument(
                f"{key} come from two places: the {key} table and the column(s) "
                f"{', '.join(repr(theirs[c]) for c in given)} of lines: give one of them")
        side[key] = _side(table, key, columns)
    mod_cols = _numbered(names, "modifier") or _numbered(names, "mod")
    ptr_cols = _numbered(names, "pointer") or _numbered(names, "diagnosis_pointer")
    ids = data["claim_id"]
    # Rows are put together by the claim id as the report shows it: in a column of mixed
    # types "1", 1 and 1.0 are one claim '1' (not two claims both reported as '1'). A
    # column of text, or of numbers alone, already compares as it shows.
    keys = ids if pd.api.types.infer_dtype(ids, skipna=True) in (
        "string", "integer", "floating", "mixed-integer-float", "empty") \
        else np.array([_group_key(v) for v in ids], dtype=object)
    # a row without a claim id is a claim of its own (a group of one row)
    order, uniq = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    order = np.asarray(order, dtype=np.int64).copy()
    no_id = np.flatnonzero(order < 0)
    order[no_id] = len(uniq) + np.arange(len(no_id))
    ngroups = len(uniq) + len(no_id)
    groups: dict[int, list[int]] = {}
    for i, g in enumerate(order.tolist()):
        groups.setdefault(g, []).append(i)
    first = np.fromiter((groups[g][0] for g in range(ngroups)), dtype=np.int64,
                        count=ngroups)
    # per claim-level column: the row each claim reads it from, the claims that disagree
    shared = [f for f in (*_CLAIM_FIELDS, *_PATIENT_FIELDS, *_PERIOD) if f in data]
    shared += dx_cols or (["diagnoses"] if "diagnoses" in data else [])
    shared += [c for cols in lists.values() for c in cols] + pcs_dates
    shared += [c for cols in nubc.values() for c in cols]
    picks: dict[str, np.ndarray] = {}
    disagree: dict[int, list[str]] = {}
    kinds = {f: _kind(f) for f in shared}
    for f in shared:
        picks[f], bad = _pick(data[f], order, first, f in _LISTS, kinds[f])
        for g in bad.tolist():
            disagree.setdefault(g, []).append(f)
    # a date column with a cell in a spreadsheet's shape (11/03/2025, 45964): its claims
    # say how to convert it (looked for once per distinct cell, not per claim)
    hinted = px_table is not None or any(
        _hinted(data[c]) for c in (*_DATE_FIELDS, *pcs_dates) if c in data)
    total = ngroups
    if side:  # and the claims found only in a diagnosis or procedure table
        taken = {_text_id(ids[groups[g][0]]) for g in range(len(uniq))}
        total += len({cid for entries, troubles, _ in side.values()
                      for cid in (*entries, *troubles)} - taken)
        total += sum(len(orphans) for _, _, orphans in side.values())

    def results() -> Iterator[_Stream]:
        # claims in the order of their first row (rows without an id interleaved)
        for g in sorted(range(ngroups), key=lambda g: first[g]) if len(no_id) else range(ngroups):
            rows = groups[g]
            claim: dict[str, Any] = {"claim_id": _text_id(ids[rows[0]])}
            for f in _CLAIM_FIELDS:
                if f in data:
                    v = _plain(data[f][picks[f][g]])
                    if v is not None:
                        claim[f] = cell_value(v, kinds[f])
            claim.setdefault("claim_type", "professional")
            patient: dict[str, Any] = {}
            for col, key in _PATIENT_FIELDS.items():
                if col in data:
                    v = _plain(data[col][picks[col][g]])
                    if v is not None:
                        patient[key] = cell_value(v, kinds[col])
            claim["patient"] = patient
            problems: list[_Problem] = []

            def cell(c: str, g: int = g) -> Any:
                return _plain(data[c][picks[c][g]])

            _institutional(claim, cell, theirs, dx_cols, lists, pcs_dates, problems)
            if any(nubc.values()):
                _nubc(claim, cell, theirs, nubc, problems)
            cid = _group_key(ids[rows[0]])  # the claim id as the tables' keys are
            for key, (entries, troubles, _) in side.items():
                claim[key] = entries.pop(cid, [])
                problems += troubles.pop(cid, [])
            at: list[int] = []
            claim["service_lines"] = _service_lines(data, rows, mod_cols, ptr_cols, problems,
                                                    labels, theirs, at)
            if hinted:
                _read_dates(claim, problems, theirs)
            if g >= len(uniq):
                line_id = _plain(data["line_id"][rows[0]]) if "line_id" in data else None
                given = claim["claim_id"]
                problems.append((("claim_id",), (
                    (f"missing on row {_label(labels, rows[0])}" if given is None else
                     f"is {json_kind(given)}, not an id, on row {_label(labels, rows[0])}")
                    + f"{'' if line_id is None else f' (line_id {_short(line_id)})'}: a line "
                    "without its claim's id cannot be put with the other lines of its claim, "
                    "so it was not checked")))
            for f in disagree.get(g, ()):
                problems.append((_path_of(f), _disagreement(
                    theirs[f], data[f], rows, labels, f in _LISTS, kinds[f])))
            if problems and g < len(uniq):
                try:  # the claim's other problems, all in one result
                    from ..claims import Claim

                    Claim.from_dict(claim)
                except ClaimFormatError as e:
                    said = {p for p, _ in problems}  # a blank diagnosis: said above, not as null
                    problems += [(tuple(p), m) for p, m in e.problems if tuple(p) not in said]
            yield claim["claim_id"], claim, problems, at
        # what no claim of lines took: one result per claim id, naming the tables it is in
        left: dict[Any, list[_Problem]] = {}
        for key, (entries, troubles, orphans) in side.items():
            for cid, claim, problems in orphans:
                yield cid, claim, problems, []
            for cid in dict.fromkeys([*entries, *troubles]):
                left.setdefault(cid, []).extend([*troubles.get(cid, []), (("claim_id",), (
                    f"{_short(cid)} is in the {key} table but has no row in lines: its codes "
                    "were not checked"))])
        for cid, problems in left.items():
            yield cid, {"claim_id": cid, "service_lines": []}, problems, []

    return total, results()


_Problem = tuple[tuple[str | int, ...], str]


def _with_index_levels(lines: pd.DataFrame) -> pd.DataFrame:
    """The table with each named level of its index that is not also a column read as a
    column (``lines.set_index("claim_id")``: the claim id is read from the index, as
    pandas' ``groupby`` and ``merge`` take an index level's name where a column's goes);
    a new frame, the caller's is not changed."""
    taken = {str(c) for c in lines.columns}
    levels = [n for n in lines.index.names if isinstance(n, str) and n not in taken]
    if not levels or len(set(levels)) < len(levels):
        return lines
    return lines.reset_index(level=levels)


#: The columns of dates (besides ``pcs_date1``...).
_DATE_FIELDS = tuple(c for c in (*_CLAIM_FIELDS, *_PATIENT_FIELDS, *_PERIOD, _LINE_DATE)
                     if _kind(c) == DATE)


def _hinted(values: np.ndarray) -> bool:
    """Whether a column of dates has a cell :func:`_read_dates` would say more of."""
    from ._columns import _factorize, date_hint

    try:
        return any(date_hint(v) for v in _factorize(values)[1])
    except Exception:  # a hostile cell: look at every claim
        return True


def _read_dates(claim: dict[str, Any], problems: list[_Problem],
                theirs: Mapping[str, str]) -> None:
    """A claim date written with slashes (``11/03/2025``), as a number of eight digits
    (``20251103`` read from a CSV as an integer) or a number that may be an Excel serial
    date is said with the conversion that reads it, naming the column (the claim reader
    says only that it is not a date)."""
    from ._columns import date_hint

    patient = claim.get("patient")
    period = claim.get("statement_period")
    dates: list[tuple[object, tuple[str | int, ...], str | None]] = [
        (claim[f], (f,), theirs.get(f)) for f in ("date_of_service", "admission_date")
        if f in claim]
    if isinstance(patient, dict) and "birth_date" in patient:
        dates.append((patient["birth_date"], ("patient", "birth_date"),
                      theirs.get("birth_date")))
    if isinstance(period, list):
        dates += [(period[k], ("statement_period", k), theirs.get(_PERIOD[k]))
                  for k in range(min(len(period), 2))]
    dates += [(line["date_of_service"], ("service_lines", k, "date_of_service"),
               theirs.get(_LINE_DATE))
              for k, line in enumerate(claim.get("service_lines") or ())
              if "date_of_service" in line]
    dates += [(px["date"], ("procedures", k, "date"), None)
              for k, px in enumerate(claim.get("procedures") or ())
              if isinstance(px, dict) and "date" in px]
    for value, path, column in dates:
        try:
            hint = date_hint(value, column)
        except Exception:  # a hostile object's own exception: the reader says it
            hint = ""
        if hint:
            problems.append((path, f"not a date (YYYY-MM-DD, or an ISO date-time): "
                                   f"{_short(value)}{hint}"))


def _number(name: str) -> int:
    """The number a numbered column ends with (``dx12``, ``poa_3``)."""
    digits = name[len(name.rstrip("0123456789")):]
    return int(digits)


def _path_of(column: str) -> tuple[str | int, ...]:
    """Where on the claim a claim-level column goes."""
    if column in _PATHS:
        return _PATHS[column]
    if column in _PERIOD:
        return ("statement_period", _PERIOD.index(column))
    if column in _LISTS:
        return ("diagnoses",) if column == "poa" else (column,)
    stem = column.rstrip("0123456789").rstrip("_")
    for key, s in _LISTS.items():
        if stem == s:
            return ("diagnoses",) if key == "poa" else (key,)
    if stem == "pcs_date":
        return ("procedures",)
    if stem in _NUBC_STEMS:
        return (_NUBC_STEMS[stem],)
    return ("diagnoses",)  # dx1, diagnosis1...


def _nubc(claim: dict[str, Any], cell: Any, theirs: Mapping[str, str],
          columns: Mapping[str, list[str]], problems: list[_Problem]) -> None:
    """The claim's occurrence codes, occurrence spans and value codes from their numbered
    columns (:data:`_NUBC`), in number order: each code with the values of its number
    (one missing is the claim reader's to say: ``$.occurrence_codes[0].date`` missing); a
    value without a code of its number is said. A code read as a number is its two digits
    (``7``: ``07``), as a condition code is."""
    for field, (code_stem, parts) in _NUBC.items():
        codes = {_number(c): cell(c) for c in columns[code_stem]}
        values = [(key, {_number(c): c for c in columns[stem]}) for key, stem in parts]
        kind = _kind(code_stem)
        entries: list[dict[str, Any]] = []
        for n in sorted({*codes, *(k for _, cols in values for k in cols)}):
            code = codes.get(n)
            given = {key: whole_text(cell(cols[n])) if n in cols else None
                     for key, cols in values}
            if _blank(code):
                for key, cols in values:
                    if n in cols and given[key] is not None:
                        problems.append(((field,), (
                            f"{theirs[cols[n]]} is {_short(given[key])} but there is no "
                            f"{code_stem}{n}: a {key} goes with the code of its number")))
                continue
            entries.append({"code": _text_code(code, kind), **given})
        if entries:
            claim[field] = entries


def _indicators(value: object) -> list[Any]:
    """A cell of POA indicators, one per diagnosis in order: a list, or text separated by
    commas or semicolons (a blank between two is a diagnosis without one: ``"Y,,N"``), or
    by spaces (``"Y N"``)."""
    if isinstance(value, str) and _BY_COMMA.search(value):
        return [p.strip() or None for p in _BY_COMMA.split(value)]
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(x) for x in value]
    return _listed(value)


_BY_COMMA = re.compile(r"[,;]")


def _blank(value: Any) -> bool:
    """A cell without a code: missing, or text of spaces alone."""
    return value is None or (isinstance(value, str) and not value.strip())


def _numbered_codes(given: list[tuple[int, Any, str]]) -> list[tuple[int, Any, str]]:
    """Numbered diagnosis columns (number, cell, column name) as diagnoses 1, 2... in
    order, each with its cell and its name; a blank cell, or a number the table has no
    column of (``dx1`` and ``dx3`` without ``dx2``), is None, named by what is wrong."""
    by_number = {k: (None, f"{name} is blank") if _blank(v) else (v, name)
                 for k, v, name in given}
    start = 0 if 0 in by_number else 1  # dx0, dx1... numbered from 0
    last = max((k for k, (v, _) in by_number.items() if v is not None), default=start - 1)
    stem = given[0][2].rstrip("0123456789") if given else "dx"
    return [(k - start + 1, *by_number.get(k, (None, f"the table has no column {stem}{k}")))
            for k in range(start, last + 1)]


def _diagnosis_cell(value: object) -> list[Any]:
    """The codes of a ``diagnoses`` cell in their places: a list, or text separated by
    commas or semicolons (a blank between two is a place without a code: ``"E11.9,,I10"``,
    None), or by spaces."""
    value = _plain(value)
    if isinstance(value, str):
        if not _BY_COMMA.search(value):
            return _listed(value)
        out: list[Any] = []
        for part in _BY_COMMA.split(value):
            codes = part.split()
            out += codes or [None]
        return out
    if isinstance(value, list | tuple | np.ndarray):
        return [None if _blank(v) else v for v in (_plain(x) for x in value)]
    return _listed(value)


def _text_code(value: Any, kind: Any = TEXT) -> Any:
    """A code cell as text: a whole number as its digits (a ``kind`` that is a width
    (:func:`_kind`): a code of that many digits, zero-padded, a number or text of fewer
    digits alike: a condition code 7 read from a CSV, or "7" read with ``dtype=str``, is
    07); anything else as given (the claim reader judges it)."""
    if type(kind) is int:
        return padded_code(value, kind)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _institutional(claim: dict[str, Any], cell: Any, theirs: Mapping[str, str],
                   dx_cols: list[str], lists: Mapping[str, list[str]], pcs_dates: list[str],
                   problems: list[_Problem]) -> None:
    """The claim's diagnoses (with their POA indicators), statement covers period,
    condition codes, reasons for visit and ICD-10-PCS procedures from its columns."""
    poa_cols = lists["poa"]
    if poa_cols == ["poa"]:
        poas: dict[int, Any] = dict(enumerate(_indicators(cell("poa")), 1))
        poa_name = {k: f"{theirs['poa']} (indicator {k})" for k in poas}
    else:
        poas = {_number(c): cell(c) for c in poa_cols}
        poa_name = {_number(c): theirs[c] for c in poa_cols}
    if dx_cols:
        coded = _numbered_codes([(_number(c), cell(c), theirs[c]) for c in dx_cols])
    else:
        listed = _diagnosis_cell(cell("diagnoses")) if "diagnoses" in theirs else []
        coded = [(k, v, f"{theirs['diagnoses']} (code {k})") for k, v in enumerate(listed, 1)]
        coded = [(k, v, f"{name} is blank" if v is None else name) for k, v, name in coded]
    while coded and coded[-1][1] is None:
        coded.pop()  # blanks after the last diagnosis: fewer diagnoses than columns
    dx: list[Any] = []
    for k, code, name in coded:
        if code is None:  # a blank before a diagnosis: it keeps its place, and is said
            later = next((n, v) for _, v, n in coded[k:] if v is not None)
            problems.append((("diagnoses", len(dx)), (
                f"{name} but {later[0]} is {_short(later[1])}: a diagnosis is named by "
                "its place (pointer 3 is the third diagnosis), so the diagnoses after a "
                "blank would move up and the pointers would name others; fill it, or "
                "move the later diagnoses up and change the pointers that name them")))
            dx.append(None)
            continue
        poa = poas.pop(k, None)
        dx.append(code if poa is None else {"code": code, "poa": _text_code(poa)})
    for k, poa in poas.items():
        if poa is not None:
            problems.append((("diagnoses",), (
                f"{poa_name[k]} is {_short(poa)} but there is no diagnosis "
                f"{k} for it: a POA indicator goes with the diagnosis of its number")))
    claim["diagnoses"] = dx
    a, b = (cell(c) if c in theirs else None for c in _PERIOD)
    if a is not None or b is not None:
        if a is None or b is None:
            blank, given = (_PERIOD[0], b) if a is None else (_PERIOD[1], a)
            problems.append((("statement_period", _PERIOD.index(blank)), (
                f"{blank} is blank but {_PERIOD[1 - _PERIOD.index(blank)]} is "
                f"{_short(given)}: the statement covers period needs both dates")))
        else:
            claim["statement_period"] = [a, b]
    for key in ("condition_codes", "visit_reasons"):
        cols = lists[key]
        values = _listed(cell(key)) if cols == [key] else [cell(c) for c in cols]
        kind = _kind(key)
        values = [_text_code(v, kind) for v in values if v is not None]
        if values:
            claim[key] = values
    cols = lists["procedures"]
    if cols == ["procedures"]:
        procs: list[Any] = _listed(cell("procedures"))
    else:
        days = {_number(c): (c, cell(c)) for c in pcs_dates}
        procs = []
        for c in cols:
            code = cell(c)
            name, day = days.pop(_number(c), ("", None))
            if code is not None:
                procs.append(code if day is None else {"code": code, "date": day})
            elif day is not None:
                days[_number(c)] = (name, day)
        for name, day in days.values():
            if day is not None:
                problems.append((("procedures",), (
                    f"{theirs[name]} is {_short(day)} but there is no procedure of its "
                    "number: a procedure date goes with the pcs column of its number")))
    if procs:
        claim["procedures"] = procs


#: The column names codekit reads (besides the numbered ones: ``dx1``, ``modifier1``...).
_READ = frozenset({"claim_id", *_CLAIM_FIELDS, *_PATIENT_FIELDS, *_LINE_FIELDS, _LINE_DATE,
                   _LINE_POS, _LINE_PROVIDER, *_PERIOD, *_LISTS, "modifiers", "diagnosis_pointers"})
_NUMBERED = re.compile(r"(?:dx|diagnosis|modifier|mod|pointer|diagnosis_pointer|poa|"
                       r"condition_code|visit_reason|pcs|pcs_date|occurrence_code|"
                       r"occurrence_date|occurrence_span_code|occurrence_span_from|"
                       r"occurrence_span_through|value_code|value_amount)_?[0-9]+")
_SPACING = re.compile(r"[\s.\-]+")


def _as_read(mapped: list[str | None], names: list[str]) -> list[str]:
    """The name codekit reads each column by: the ``columns=`` mapping's, the column's own
    name, or a name codekit reads written with other case or spacing (``Claim ID``,
    ``DX1``, ``Date of Service``: ``claim_id``, ``dx1``, ``date_of_service``), which was
    not read at all (every claim without diagnoses). Two columns read as one name raise
    :class:`InvalidArgument`."""
    out: list[str] = []
    for m, name in zip(mapped, names, strict=True):
        if m is not None or name in _READ or _NUMBERED.fullmatch(name):
            out.append(m if m is not None else name)
            continue
        norm = _SPACING.sub("_", name.strip()).strip("_").casefold()
        out.append(norm if norm in _READ or _NUMBERED.fullmatch(norm) else name)
    seen: dict[str, str] = {}
    for name, read in zip(names, out, strict=True):
        if read in seen and (read in _READ or _NUMBERED.fullmatch(read)):
            raise InvalidArgument(
                f"columns {seen[read]!r} and {name!r} are both read as {read}: drop or "
                f"rename one (or pass columns={{{read!r}: <the one to read>}})")
        seen.setdefault(read, name)
    return out


#: Column names that mean a field codekit reads under another name: a table with one of
#: them and without codekit's name lost that field silently (a 'cpt' column: claims with
#: no lines, all "clean").
_ALIASES = {
    "procedure_code": ("cpt", "hcpcs", "cpt_code", "hcpcs_code", "cpt_hcpcs", "proc",
                       "proc_code", "procedure", "procedure_cd", "px"),
    "dx1": ("diagnosis", "diagnosis_code", "dx", "dx_code", "icd10", "icd_10", "icd10_code",
            "icd10cm", "diag", "diag_code", "primary_diagnosis", "principal_diagnosis",
            "principal_dx", "prin_dx", "primary_dx", "pdx", "principal_diagnosis_code"),
    # institutional claims: a UB-04 extract's usual names
    "bill_type": ("type_of_bill", "tob", "bill_type_code"),
    "revenue_code": ("rev_code", "rev_cd", "revenue_cd", "revenue"),
    "admission_date": ("admit_date", "admit_dt", "admission_dt", "date_of_admission"),
    "discharge_status": ("patient_status", "patient_status_code", "discharge_status_code",
                         "patient_discharge_status", "ptnt_dschrg_stus_cd"),
    "admitting_diagnosis": ("admit_dx", "admitting_dx", "admit_diagnosis",
                            "admitting_dx_code", "admit_dx_code"),
    "statement_from": ("statement_period", "from_date", "statement_from_date", "stmt_from",
                       "statement_start"),
    "statement_through": ("thru_date", "through_date", "statement_thru",
                          "statement_through_date", "stmt_thru", "statement_end"),
    "visit_reasons": ("reason_for_visit", "visit_reason", "patient_reason_dx",
                      "reason_for_visit_dx"),
    "condition_codes": ("condition_code",),
    "line_date": ("line_date_of_service", "line_service_date", "service_line_date",
                  "line_dos"),
    # a professional extract's usual names
    "date_of_service": ("dos", "service_date", "svc_date", "date_of_svc", "dos_from",
                        "from_dos", "service_from_date", "visit_date", "encounter_date"),
    "sex": ("gender", "patient_sex", "patient_gender", "member_sex", "member_gender",
            "sex_code", "gender_code"),
    "birth_date": ("dob", "date_of_birth", "birthdate", "birth_dt", "patient_dob",
                   "patient_birth_date", "member_dob", "member_birth_date"),
    "age": ("patient_age", "member_age", "age_years"),
    "units": ("qty", "quantity", "service_units", "units_of_service", "unit_count",
              "svc_units", "days_or_units", "days_units"),
    "modifiers": ("modifier", "mods", "modifier_codes", "procedure_modifiers",
                  "cpt_modifiers", "hcpcs_modifiers"),
    "diagnosis_pointers": ("pointers", "dx_pointers", "diag_pointers", "dx_pointer",
                           "diag_pointer"),
}
#: Fields read from several columns: any of them present means the field is given.
_GIVEN_AS = {"visit_reasons": "visit_reason", "condition_codes": "condition_code",
             "modifiers": "modifier", "diagnosis_pointers": "pointer"}
#: Fields another column gives in their place: the claim's date from the line dates or the
#: statement period; the patient's age from the birth date.
_GIVEN_BY = {"date_of_service": ("line_date", *_PERIOD), "birth_date": ("age",),
             "age": ("birth_date",)}
#: Numbered columns under an export's usual stems (``diag1``, ``icd10_dx_1``, ``ptr1``,
#: ``cpt_mod1``), which codekit reads as ``dx1``, ``pointer1``, ``modifier1``: a table
#: with them and without codekit's columns lost the field silently (claims "without a
#: diagnosis", lines "pointing to none", modifiers dropped).
_NUMBERED_ALIASES = {
    "dx": ("diag", "dx_code", "dx_cd", "diag_code", "diag_cd", "diagnosis_code",
           "diagnosis_cd", "icd10", "icd_10", "icd10cm", "icd10_dx", "icd_dx", "icd10_code",
           "icd10_diagnosis", "icd_code", "other_dx", "secondary_dx"),
    "pointer": ("ptr", "dx_ptr", "diag_ptr", "dx_pointer", "diag_pointer", "diagnosis_ptr",
                "icd_pointer", "dx_pntr"),
    "modifier": ("cpt_mod", "hcpcs_mod", "proc_mod", "px_mod", "mod_cd", "modifier_cd",
                 "modifier_code", "cpt_modifier", "hcpcs_modifier", "proc_modifier",
                 "procedure_modifier"),
}
#: What a numbered stem is called in messages.
_NUMBERED_WHAT = {"dx": "diagnosis", "pointer": "diagnosis pointer", "modifier": "modifier"}


def _named_as_codekit_reads(names: list[str], dx_table: bool = False) -> None:
    """Raise :class:`InvalidArgument` for a table whose procedure codes or diagnoses sit in
    a column codekit does not read (``cpt``, ``diagnosis``...), naming the ``columns=``
    that reads it."""
    have = {_SPACING.sub("_", n.strip()).strip("_").casefold(): n for n in names}
    _numbered_as_codekit_reads(names, have, dx_table)
    for field, aliases in _ALIASES.items():
        if field == "procedure_code" and "procedure_code" in names:
            continue
        if field == "dx1" and (_numbered(names, "dx") or _numbered(names, "diagnosis")
                               or "diagnoses" in names or dx_table):
            continue
        if field in names or (field in _GIVEN_AS and _numbered(names, _GIVEN_AS[field])):
            continue
        if field == "modifiers" and _numbered(names, "mod"):
            continue
        if field == "diagnosis_pointers" and _numbered(names, "diagnosis_pointer"):
            continue
        if any(other in names for other in _GIVEN_BY.get(field, ())):
            continue
        found = [have[a] for a in aliases if a in have]
        if found and found[0] == "statement_period":
            raise InvalidArgument(
                "the table has a 'statement_period' column, which codekit does not read: "
                "give the period's dates as two columns, statement_from and "
                "statement_through (see docs/pandas.md for the names read)")
        if found:
            want = "diagnoses" if field == "dx1" else field
            raise InvalidArgument(
                f"the table has no {want} column codekit reads, but has {found[0]!r}: pass "
                f"columns={{{field!r}: {found[0]!r}}} (see docs/pandas.md for the names "
                "read)")


def _numbered_as_codekit_reads(names: list[str], have: Mapping[str, str],
                               dx_table: bool) -> None:
    """Raise :class:`InvalidArgument` for numbered diagnosis, pointer or modifier columns
    under a name codekit does not read (``diag1``, ``ICD10 Dx 1``, ``ptr1``,
    ``cpt_mod1``) when the table has none codekit reads, naming the ``columns=`` that
    reads them all."""
    given = {"dx": bool(_numbered(names, "dx") or _numbered(names, "diagnosis")
                        or "diagnoses" in names or dx_table),
             "pointer": bool(_numbered(names, "pointer")
                             or _numbered(names, "diagnosis_pointer")
                             or "diagnosis_pointers" in names),
             "modifier": bool(_numbered(names, "modifier") or _numbered(names, "mod")
                              or "modifiers" in names)}
    for stem, aliases in _NUMBERED_ALIASES.items():
        if given[stem]:
            continue
        for alias in aliases:
            # a stem ending in a digit (icd10) needs a separator before the number
            sep = "_" if alias[-1].isdigit() else "_?"
            pattern = re.compile(rf"{alias}{sep}([0-9]{{1,2}})")
            found = sorted((int(m.group(1)), name) for norm, name in have.items()
                           if (m := pattern.fullmatch(norm)))
            if found:
                mapping = ", ".join(f"'{stem}{k}': {name!r}" for k, name in found)
                raise InvalidArgument(
                    f"the table has no {_NUMBERED_WHAT[stem]} columns codekit reads, but "
                    f"has {', '.join(repr(n) for _, n in found)}: pass "
                    f"columns={{{mapping}}} (see docs/pandas.md for the names read)")


def _code_cell(data: dict[str, np.ndarray], name: str, i: int) -> Any:
    """A line's procedure or revenue code cell: None when missing or blank text."""
    if name not in data:
        return None
    v = _plain(data[name][i])
    return None if isinstance(v, str) and not v.strip() else v


#: The columns of a diagnosis or procedure table (one row per code), by the names read
#: (a name written with other case or spacing is read as the name it spells).
_SIDE: dict[str, dict[str, tuple[str, ...]]] = {
    "diagnoses": {
        "code": ("code", "diagnosis", "diagnosis_code", "dx", "dx_code", "icd10",
                 "icd10_code", "icd10cm", "icd10cm_code"),
        "sequence": ("sequence", "seq", "sequence_number", "dx_sequence", "position"),
        "poa": ("poa", "poa_indicator", "present_on_admission")},
    "procedures": {
        "code": ("code", "procedure", "procedure_code", "pcs", "pcs_code", "icd10pcs",
                 "icd10pcs_code"),
        "sequence": ("sequence", "seq", "sequence_number", "px_sequence", "position"),
        "date": ("date", "procedure_date", "pcs_date", "date_of_procedure")}}


def _side(table: object, kind: str, columns: Mapping[str, str] | None
          ) -> tuple[dict[Any, list[Any]], dict[Any, list[_Problem]], list[_Read]]:
    """A diagnosis or procedure table (one row per code) by claim id: each claim's
    entries in ``sequence`` order (rows without one after, in table order), the problems
    of its rows, and a result for each row without a claim id."""
    if not isinstance(table, pd.DataFrame):
        raise InvalidArgument(f"{kind}: expected a DataFrame (one row per code), got "
                              f"{type(table).__name__}")
    spec = _SIDE[kind]
    id_name = (columns or {}).get("claim_id", "claim_id")
    at: dict[str, int] = {}
    for i, c in enumerate(table.columns):
        name = str(c)
        read = "claim_id" if name == id_name else \
            _SPACING.sub("_", name.strip()).strip("_").casefold()
        read = next((f for f, names in spec.items() if read in names), read)
        if read in ("claim_id", *spec):
            if read in at:
                raise InvalidArgument(
                    f"{kind}: columns {str(table.columns[at[read]])!r} and {name!r} are "
                    f"both read as {read}: drop or rename one")
            at[read] = i
    for need in ("claim_id", "code"):
        if need not in at:
            raise InvalidArgument(
                f"{kind}: the table needs a {need} column (columns: "
                f"{', '.join(map(repr, map(str, table.columns))) or 'none'}; the code as "
                f"one of {', '.join(spec['code'])})")
    col = {f: table.iloc[:, i].to_numpy(dtype=object) for f, i in at.items()}
    n = len(table)
    if "sequence" in col:
        seq = pd.to_numeric(pd.Series(col["sequence"], dtype=object), errors="coerce") \
            .to_numpy(dtype=float)
        order = sorted(range(n), key=lambda i: (math.isnan(seq[i]),
                                                0.0 if math.isnan(seq[i]) else seq[i], i))
    else:
        order = list(range(n))
    other = "poa" if kind == "diagnoses" else "date"
    one = "diagnosis" if kind == "diagnoses" else "procedure"
    entries: dict[Any, list[Any]] = {}
    troubles: dict[Any, list[_Problem]] = {}
    orphans: list[_Read] = []
    for i in order:
        cid = _text_id(col["claim_id"][i])
        code = _plain(col["code"][i])
        code = None if isinstance(code, str) and not code.strip() else code
        extra = _plain(col[other][i]) if other in col else None
        where = f"row {_label(table.index, i)} of the {kind} table"
        if cid is None:
            orphans.append((None, {"claim_id": None, "service_lines": []}, [(("claim_id",), (
                f"missing on {where}: a {one} without its claim's id cannot be put "
                "with its claim, so it was not checked"))]))
            continue
        if code is None:
            if extra is not None:
                troubles.setdefault(cid, []).append(((kind,), (
                    f"{where} has {other} {_short(extra)} but no code: a {other} goes with "
                    f"its {one}")))
            continue  # a row without a code or anything else says nothing
        entries.setdefault(cid, []).append(
            code if extra is None else {"code": code, other: _text_code(extra)})
    return entries, troubles, orphans


def _line_order(data: dict[str, np.ndarray], rows: list[int]) -> list[int]:
    """A claim's rows in order of their ``line`` numbers, as the Spark door orders them:
    rows without a number (a blank, text) after them, each in table order.

    A number written as text (``"3"``: a CSV read with ``dtype=str``) is that number.

    >>> _line_order({"line": np.array([2, None, 1.0, "x", "0"], dtype=object)},
    ...             [0, 1, 2, 3, 4])
    [4, 2, 0, 1, 3]
    """
    if "line" not in data:
        return rows

    def key(i: int) -> tuple[int, Any]:
        v = whole_text(_plain(data["line"][i]))
        number = (isinstance(v, int) and not isinstance(v, bool)) or (
            isinstance(v, float) and v == v) or (isinstance(v, Decimal) and not v.is_nan())
        return (0, v) if number else (1, 0)

    return sorted(rows, key=key)  # stable: rows of one number keep their order


#: Columns that only a service line has: a row with one of them filled and without a
#: procedure or revenue code is a line whose code is missing, not a claim-only row (a
#: pointer or charge column is left out: a table may repeat them on a claim's own row).
_LINE_ONLY = ("line_id", "units", "ndc", _LINE_DATE, _LINE_POS, _LINE_PROVIDER, "modifiers")


def _line_data(data: dict[str, np.ndarray], i: int, mod_cols: list[str],
               theirs: Mapping[str, str]) -> list[str]:
    """The line-only cells row ``i`` fills, as ``column value`` (none for a claim-only
    row)."""
    out = []
    for c in (*_LINE_ONLY, *mod_cols):
        if c in data:
            v = _plain(data[c][i])
            if not _blank(v) and not (c == "modifiers" and not _listed(v)):
                out.append(f"{theirs[c]} {_short(v)}")
    return out


def _service_lines(data: dict[str, np.ndarray], rows: list[int], mod_cols: list[str],
                   ptr_cols: list[str], problems: list[_Problem], labels: pd.Index,
                   theirs: Mapping[str, str], at: list[int]) -> list[dict[str, Any]]:
    """A claim's service lines from its rows (the position of each line's row appended to
    ``at``); a row with line data and no code is a line all the same, its missing code
    said in ``problems`` (naming the row)."""
    service_lines: list[dict[str, Any]] = []
    for i in _line_order(data, rows):
        if _code_cell(data, "procedure_code", i) is None and \
                _code_cell(data, "revenue_code", i) is None:
            filled = _line_data(data, i, mod_cols, theirs)
            if not filled:
                continue  # a claim-only row (no line)
            problems.append((("service_lines", len(service_lines), "procedure_code"), (
                f"missing on row {_label(labels, i)}, which has {', '.join(filled[:3])}: "
                "a line needs its procedure code (or a revenue code); a row of claim "
                "fields alone is no line")))
        # a revenue-code-only line (room and board, 0120) has no procedure code: it is a
        # line all the same (an 837I's SV2 without SV202). A line without a number takes
        # its place among the claim's lines (a claim-only row is none), as Claim.from_dict
        # and the Spark door number it
        line: dict[str, Any] = {"line": len(service_lines) + 1}
        for f in _LINE_FIELDS:
            if f in data:
                v = _code_cell(data, f, i) if f in ("procedure_code", "revenue_code") \
                    else _plain(data[f][i])
                if v is not None:
                    v = cell_value(v, _LINE_KINDS[f])  # a revenue code 450: 0450
                    line[f] = str(v) if f in ("line_id", "procedure_code",
                                              "revenue_code") else v
        if mod_cols:
            line["modifiers"] = [str(v) for v in (_plain(data[c][i]) for c in mod_cols)
                                 if v is not None]
        elif "modifiers" in data:
            line["modifiers"] = [str(v) for v in _listed(data["modifiers"][i])]
        if ptr_cols:
            line["diagnosis_pointers"] = [whole_text(v) for v in (
                _plain(data[c][i]) for c in ptr_cols) if v is not None]
        elif "diagnosis_pointers" in data:
            line["diagnosis_pointers"] = [whole_text(v) for v in
                                          _listed(data["diagnosis_pointers"][i])]
        if _LINE_DATE in data and _plain(data[_LINE_DATE][i]) is not None:
            line["date_of_service"] = _plain(data[_LINE_DATE][i])
        if _LINE_POS in data and _plain(data[_LINE_POS][i]) is not None:
            line["place_of_service"] = cell_value(_plain(data[_LINE_POS][i]),
                                                  _LINE_KINDS[_LINE_POS])
        if _LINE_PROVIDER in data and _plain(data[_LINE_PROVIDER][i]) is not None:
            line["rendering_provider"] = cell_value(_plain(data[_LINE_PROVIDER][i]),
                                                    _LINE_KINDS[_LINE_PROVIDER])
        service_lines.append(line)
        at.append(i)
    return service_lines


#: Where on the claim a claim-level column goes (the diagnosis columns: ``diagnoses``).
_PATHS: dict[str, tuple[str | int, ...]] = {
    **{f: (f,) for f in _CLAIM_FIELDS},
    **{col: ("patient", key) for col, key in _PATIENT_FIELDS.items()}}


def _key(value: object, listed: bool = False, kind: Any = TEXT) -> Any:
    """What two cells of a claim-level column are compared by: what the door reads
    (:func:`_kind`, :func:`codekit._text.cell_key`: None for a blank cell, a number
    field's number, a date field's date, a code of a fixed width padded, text without
    case or surrounding spaces); a list cell as a tuple."""
    if listed:
        items = tuple(_key(v, False, kind) for v in _listed(value))
        return items or None
    v = cell_key(_plain(value), kind)
    if isinstance(v, list | tuple | np.ndarray):
        return tuple(_key(x) for x in v)
    try:
        hash(v)
        return v
    except Exception:  # unhashable, or a hostile object's own exception
        return ("cell", _short(v))


def _pick(values: np.ndarray, order: np.ndarray, first: np.ndarray, listed: bool,
          kind: Any = TEXT) -> tuple[np.ndarray, np.ndarray]:
    """Per claim (``order``: each row's claim), the row its value of a claim-level column
    is read from (the first row that has one, else the claim's first row); and the claims
    whose rows give different values."""
    from ._columns import _factorize, _object_array

    try:
        idx, uniq = _factorize(values)
        keys = _object_array([_key(u, listed, kind) for u in uniq])
        kidx, kuniq = pd.factorize(keys, use_na_sentinel=True)
    except Exception:  # a cell whose own hash or comparison raises: every cell its own
        idx = np.arange(len(values), dtype=np.int64)
        kidx, kuniq = idx, idx
    kidx = np.append(np.asarray(kidx, dtype=np.int64), -1)  # idx -1: a missing cell
    norm = kidx[idx]
    present = np.flatnonzero(norm >= 0)
    pick = first.copy()
    if not len(present):
        return pick, np.empty(0, dtype=np.int64)
    g = order[present]
    got, at = np.unique(g, return_index=True)  # the first row with a value, per claim
    pick[got] = present[at]
    k = len(kuniq)
    pairs = np.unique(g * k + norm[present])
    counts = np.bincount(pairs // k, minlength=len(first))
    return pick, np.flatnonzero(counts > 1)


def _disagreement(column: str, values: np.ndarray, rows: list[int], labels: pd.Index,
                  listed: bool, kind: Any = TEXT) -> str:
    seen: dict[Any, str] = {}
    for i in rows:
        k = _key(values[i], listed, kind)
        if k is not None and k not in seen:
            seen[k] = f"{_short(_plain(values[i]))} (row {_label(labels, i)})"
    shown = list(seen.values())
    more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
    return (f"the lines of the claim disagree on {column}: {', '.join(shown[:3])}{more}; "
            "a claim-level field must be the same on every line of the claim (or blank)")


def _label(labels: pd.Index, i: int) -> str:
    """Row ``i``'s index label, as the caller finds it with ``lines.loc`` (a MultiIndex
    label as a tuple of plain values); and its position (``lines.iloc``) when the index
    repeats labels, so the label alone does not say which row."""
    label = labels[i]
    shown = _short(tuple(_plain(v) for v in label) if isinstance(label, tuple)
                   else _plain(label))
    return shown if labels.is_unique else f"{shown}, iloc {i}"


def _short(value: object) -> str:
    return shown(value, 40)


def _text_id(value: object) -> Any:
    """A claim id cell as the report shows it, by the rule the Spark door follows too: a
    whole number as its digits (``7``, ``7.0``, ``Decimal("7.00")`` and ``-0.0``:
    ``'7'``, ``'0'``), a decimal without its trailing zeros (``Decimal("7.50")``:
    ``'7.5'``); a missing value (NaN) is no id.

    >>> _text_id(7.0), _text_id(-0.0), _text_id(Decimal("7.00")), _text_id(Decimal("7.50"))
    ('7', '0', '7', '7.5')
    """
    v = _plain(value)
    if isinstance(v, Decimal):
        if not v.is_finite():
            return None if v.is_nan() else str(v)
        return str(int(v)) if v == v.to_integral_value() else format(v.normalize(), "f")
    return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


def _group_key(value: object) -> Any:
    """What a claim id cell groups its rows by: :func:`_text_id`, or None (no id: the row
    is a claim of its own, whose report says its ``claim_id`` is not text) for a cell
    that is no id at all and cannot be one of a group's keys: a list, a dict, a set, an
    array.

    >>> _group_key(7.0), _group_key(["C", 1])
    ('7', None)
    """
    key = _text_id(value)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def check_claims(lines: pd.DataFrame, *, checker: Any = None,
                 columns: Mapping[str, str] | None = None, processes: int = 1,
                 diagnoses: pd.DataFrame | None = None,
                 procedures: pd.DataFrame | None = None,
                 progress: Any = False) -> pd.DataFrame:
    """See :func:`codekit.pandas.check_claims`."""
    from ..checker import Checker

    if not isinstance(progress, bool) and progress is not None and not callable(progress):
        raise InvalidArgument(f"progress: expected True, False or a function "
                              f"progress(done, total), got {type(progress).__name__}")
    checker = checker if checker is not None else Checker()
    total, reads = _reads(lines, columns, diagnoses, procedures)
    meter = Progress(progress is True, total, progress if callable(progress) else None)
    out: dict[str, list[Any]] = {name: [] for name in FINDING_COLUMNS}
    counts = {"claims": 0, "claims_with_findings": 0, "claims_with_errors": 0,
              "claims_with_notices": 0, "claims_outside_data": 0,
              "claims_with_rules_not_run": 0}
    not_run: dict[str, int] = {}
    labels = lines.index
    for (_, claim, _, at), report in _checked(reads, checker, processes):
        counts["claims"] += 1
        if report.findings:
            counts["claims_with_findings"] += 1
        if not report.ok:
            counts["claims_with_errors"] += 1
        if report.notices:
            counts["claims_with_notices"] += 1
            if report.outside_data:
                counts["claims_outside_data"] += 1
        if report.not_run:
            counts["claims_with_rules_not_run"] += 1
            for rule in dict(report.not_run):
                not_run[rule] = not_run.get(rule, 0) + 1
        payer = _payer(claim.get("payer"))
        when = _claim_day(claim)
        where = [f.location for f in report.findings] + [n.location for n in report.notices]
        for row, loc in zip([*report.rows(), *_notice_rows(report)], where, strict=True):
            n = loc[1] if len(loc) > 1 and loc[0] == "service_lines" else None
            row["row"] = labels[at[n]] if isinstance(n, int) and 0 <= n < len(at) else None
            row["codes"] = tuple(row["codes"])
            row["fix"] = tuple(row["fix"])
            row.setdefault("kind", FINDING)
            row.update(payer=payer, profile=report.profile or None, date_of_service=when)
            for name, kept in out.items():  # by column: no dict kept a finding
                kept.append(row[name])
        meter.update(counts["claims"])
    meter.done(counts["claims"])
    data: dict[str, Any] = {}
    for name, values in out.items():
        if name == "line" or (name == "row" and _integer_labels(labels)):
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
        values.clear()
    frame = pd.DataFrame(data, columns=list(FINDING_COLUMNS))
    frame.attrs["codekit"] = {**counts, "not_run": dict(sorted(not_run.items()))}
    return frame


def _checked(reads: Iterator[_Stream], checker: Any, processes: int
             ) -> Iterator[tuple[_Stream, Report]]:
    """Each claim read with its report, in table order. The claims are read as they are
    checked, one stream (a long table is never held as claim dicts all at once, and the
    progress counts the reading too): ``check_many`` answers in the order of its input,
    so each report is the first pending claim's that was read; a claim that cannot be
    read before it gets a report of its format error, which names the lines the table
    gave (their numbers and ids), as a checked claim's would."""
    from ..batch import format_error_report

    pending: deque[_Stream] = deque()  # read, not yet reported (in table order)

    def readable() -> Iterator[dict[str, Any]]:
        for item in reads:
            pending.append(item)
            if not item[2]:
                yield item[1]

    def unread() -> Iterator[tuple[_Stream, Report]]:
        while pending and pending[0][2]:
            item = pending.popleft()
            yield item, format_error_report(ClaimFormatError(item[2]), item[1])

    for report in checker.check_many(readable(), processes=processes):
        yield from unread()
        yield pending.popleft(), report
    yield from unread()


def _integer_labels(labels: pd.Index) -> bool:
    """Whether the table's index labels are integers (its ``row`` column is then
    ``Int64``, as the index would be with missing values)."""
    return not isinstance(labels, pd.MultiIndex) and pd.api.types.is_integer_dtype(
        labels.dtype)


def _payer(value: object) -> str:
    try:
        return str(value or "").strip().lower() or "unknown"
    except Exception:  # a hostile object's own exception: the claim's finding says why
        return "unknown"


def _notice_rows(report: Report) -> list[dict[str, Any]]:
    """A row per notice of the report, in the shape of :meth:`Report.rows`."""
    out = []
    for n in report.notices:
        at = Finding(n.code, Severity.INFO, n.message, n.location)  # for its path and line
        line, line_id = report.line_of(at)
        out.append({"claim_id": report.claim_id, "line": line, "line_id": line_id,
                    "rule": n.code, "severity": None, "kind": NOTICE, "path": at.path,
                    "codes": (), "message": n.message, "fix": (),
                    "catalog": "docs/catalog.md#notices", "policy": None})
    return out


def _claim_day(claim: Mapping[str, Any]) -> dt.date | None:
    """The date the claim was judged on, for its rows: its ``date_of_service``, else the
    date the reader gives it (:func:`codekit.claims.claim_date`: an institutional claim's
    statement period end, a professional claim's first line date); for a claim that could
    not be read, its earliest line date, if any."""
    given = claim.get("date_of_service")
    if given is not None:
        return _day(given)
    period = claim.get("statement_period")
    start, end = (_day(period[0]), _day(period[1])) \
        if isinstance(period, list) and len(period) == 2 else (None, None)
    days = [_day(ln.get("date_of_service")) for ln in claim.get("service_lines") or ()
            if isinstance(ln, dict)]
    day = claim_date(claim.get("claim_type"),
                     (start, end) if start is not None and end is not None else None, days)
    return day if day is not None else min((d for d in days if d), default=None)


def _day(value: object) -> dt.date | None:
    from .._dates import coerce_date

    try:
        return coerce_date(value, "date_of_service") if value is not None else None
    except Exception:  # the claim's own format error says why
        return None

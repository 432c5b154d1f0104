"""What runs on the Spark executors: Arrow record batches of claims in, findings out.

The claims arrive as JSON text, one claim (or one line row) a row: the JVM writes a
nested row as JSON (null fields left out) faster than Arrow-to-Python conversion builds
the same dict, and ``json.loads`` is the fastest way to a claim dict in Python.
Nothing here imports pyspark: the functions take and yield ``pyarrow.RecordBatch`` objects
(what ``mapInArrow`` hands a Python worker), so they are tested without a Spark session.
The checker travels as its pickle (a few KB: tables pickle as their paths) and is
unpickled once per worker process, kept in :data:`_CHECKERS` under the pickle's digest, so
its opened tables and remembered answers serve every batch and every task the worker runs.
"""

from __future__ import annotations

import gc
import json
import math
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .. import _cache
from .._text import FIELD_KINDS, TEXT, cell_key, cell_value, fold
from ..batch import CHECK_FAILED, FATAL, check_failed, format_error_report, report_of
from ..claims import Claim
from ..errors import ClaimFormatError, format_path
from ..findings import Finding, Notice, Report, Severity

if TYPE_CHECKING:
    import pyarrow as pa

    from ..checker import Checker

__all__ = ["CHECK_FAILED", "FILE_COLUMNS", "FINDING_COLUMNS", "Job", "cell_values",
           "check_batches", "file_batches", "nonfinite", "settle", "snip_level"]

FORMAT_RULE = "CLAIM_FORMAT_INVALID"

#: The findings table: (name, Spark SQL type) in order (``codekit.spark.FINDINGS_DDL``).
FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("claim_id", "string"), ("line", "int"), ("line_id", "string"), ("rule", "string"),
    ("severity", "string"), ("path", "string"), ("codes", "array<string>"),
    ("message", "string"), ("fix", "array<string>"), ("catalog", "string"),
    ("snip", "int"), ("kind", "string"), ("policy", "string"))
#: ``kind`` of a row: a finding (an edit fired), or a notice of the claim's report (how it
#: was judged: a date outside the data, a payer in no routing...), as the pandas door's.
FINDING, NOTICE = "finding", "notice"
NOTICE_CATALOG = "docs/catalog.md#notices"
#: The findings of files (837, FHIR NDJSON): the findings table and where each one is.
FILE_COLUMNS = (*FINDING_COLUMNS, ("source", "string"), ("location", "string"))

# -- SNIP levels ------------------------------------------------------------------------------

#: Findings about the input rather than the claim: no SNIP level.
_NO_SNIP = frozenset({FORMAT_RULE, CHECK_FAILED})


def snip_level(rule: str, group: str | None = None) -> int | None:
    """The WEDI SNIP level of a finding ID (``codekit.x12.snip_level``: 1-4 the X12 front
    door's own, 5 code sets, 6 clinical coding, 7 payer edits and policies), or None where
    the finding is about the input rather than the claim: a row that could not be read
    (``CLAIM_FORMAT_INVALID``, ``FHIR_*``), a check that raised (``CLAIM_CHECK_FAILED``).

    >>> snip_level("DX_CODE_UNKNOWN", "A"), snip_level("DX_EXCLUDES1_CONFLICT", "B")
    (5, 6)
    >>> snip_level("NCCI_PTP_CONFLICT", "G"), snip_level("PTR_INVALID", "D")
    (7, 4)
    >>> snip_level("CLAIM_FORMAT_INVALID") is None, snip_level("X12_ELEMENT_LENGTH")
    (True, 1)
    """
    if rule in _NO_SNIP or rule.startswith("FHIR_"):
        return None
    from ..x12 import snip_level as x12_level

    return x12_level(rule, group)


# -- the job and the checker on the worker -------------------------------------------------------


@attrs.frozen
class Job:
    """What a task needs, pickled into the Spark plan once: the checker's pickle and its
    digest, the input's shape, and the names of its columns."""

    checker: bytes
    digest: str
    #: "json" (one claim a row, as JSON text) or "lines" (one line a row, as a JSON object,
    #: sorted by claim id and line).
    shape: str
    #: The claim id column (None: no such column; the id is the claim's own).
    id_column: str | None = None
    #: The column of JSON text.
    json_column: str | None = None
    #: lines: the claim-level fields (name, claim key) and line-level ones (name, line key).
    claim_columns: tuple[tuple[str, str], ...] = ()
    line_columns: tuple[tuple[str, str], ...] = ()
    #: One row (rule null) for a claim without findings.
    clean_rows: bool = False
    #: The JSON column's name in the caller's DataFrame, for messages (else json_column).
    json_name: str | None = None
    #: Where the rows' JSON holds doubles (:func:`nonfinite`): column name -> True for a
    #: double, a struct's fields by name, ``[tree]`` for an array of them.
    doubles: Mapping[str, Any] = attrs.field(factory=dict)
    #: Where the rows' JSON holds a number field as text, a code of a fixed number of
    #: digits that may have lost its leading zeros, or a true-or-false field as text
    #: (:func:`cell_values`): the same shape, the kind at a leaf (``"number"``, the
    #: width, ``"flag"``).
    cells: Mapping[str, Any] = attrs.field(factory=dict)


#: Checkers unpickled in this worker process, by the digest of their pickle: a Spark
#: Python worker runs many tasks and keeps the checker (its opened tables, its plans).
_CHECKERS: dict[str, Any] = _cache.owned("spark.checkers", {}, tables=True)
_SNIPS: dict[str, dict[str, int | None]] = _cache.owned("spark.snip_levels", {})


def settle() -> None:
    """At the end of a task in a reused PySpark worker: collect the young generations
    and freeze what survives (:func:`gc.freeze`), so Spark's own full collection skips it.

    Spark's Python daemon runs a full ``gc.collect()`` after every task a reused worker
    (``SPARK_REUSE_WORKER``, the default) runs. A full collection walks every object
    the collector tracks, and a worker holds codekit's tables and memos: 0.1-0.3 s a
    collection, about 7 µs a claim when tasks are 40,000 claims. These objects live as
    long as the worker, and checking a claim leaves no reference cycles behind (measured:
    none in 100,000 claims), so freezing them loses nothing; objects frozen are still
    freed when their last reference goes. Outside such a worker (a test calling
    :func:`check_batches`, a plain process) this does nothing.
    """
    if os.environ.get("SPARK_REUSE_WORKER"):
        gc.collect(1)
        gc.freeze()


def checker_of(job: Job) -> Checker:
    """The job's checker, unpickled once per worker process."""
    checker = _CHECKERS.get(job.digest)
    if checker is None:
        checker = pickle.loads(job.checker)  # our own pickle, from the driver
        if len(_CHECKERS) >= 8:
            _CHECKERS.clear()
        _CHECKERS[job.digest] = checker
    return checker


_LEVELS: dict[str, int | None] = _cache.owned("spark.snip_of_rule", {})


def _level(rule: str, group: str | None = None) -> int | None:
    key = f"{rule}/{group}"
    if key not in _LEVELS:
        if len(_LEVELS) >= 4096 or not _cache.cacheable(key):
            return snip_level(rule, group)
        _LEVELS[key] = snip_level(rule, group)
    return _LEVELS[key]


def _snips(job: Job, checker: Checker) -> dict[str, int | None]:
    levels = _SNIPS.get(job.digest)
    if levels is None:
        levels = {r.id: _level(r.id, r.group) for r in checker.rules}
        if len(_SNIPS) >= 8:
            _SNIPS.clear()
        _SNIPS[job.digest] = levels
    return levels


# -- rows in ------------------------------------------------------------------------------------


def _id_text(value: object) -> str | None:
    """A claim id cell as text (a whole number keeps its digits)."""
    if value is None:
        return None
    if type(value) is str:
        return value
    if type(value) is bytes:
        return value.decode("utf-8", "replace")
    return str(value)


def _values(batch: pa.RecordBatch, name: str) -> list[Any]:
    """The column ``name`` of ``batch`` as Python values. A Spark string may hold bytes
    that are not UTF-8 (a binary column cast to string, Parquet another tool wrote), which
    Arrow cannot give as text: then that column's values come as text where they are
    UTF-8 and as their bytes where not (read as a binary column's are: a claim JSON that
    is not UTF-8 is its row's format error, an id is decoded with replacement), never a
    failed task."""
    column = batch.column(batch.schema.names.index(name))
    try:
        return column.to_pylist()
    except UnicodeDecodeError:
        import pyarrow as pa

        return [_utf8_or_bytes(v) for v in column.cast(pa.binary()).to_pylist()]


def _utf8_or_bytes(value: bytes | None) -> str | bytes | None:
    if value is None:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


#: What ``to_json`` writes for a double that is no finite number, read back.
_NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _marked(text: str) -> bool:
    """The JSON text may hold a non-finite double (as ``to_json`` writes it: quoted)."""
    return '"NaN"' in text or 'Infinity"' in text


def nonfinite(value: Any, tree: Any) -> Any:
    """``value`` (a row's JSON, loaded) with the texts ``"NaN"``, ``"Infinity"`` and
    ``"-Infinity"`` where ``tree`` says a double stands read back as the floats they
    were: Spark's ``to_json`` writes them quoted, and a claim would be told its units
    are text ("must be a number ... got 'NaN'") rather than what ``Claim.from_dict``
    says of the double ("must be a finite number, got nan"). Text columns are untouched.

    >>> nonfinite({"units": "NaN", "ndc": "NaN", "patient": {"age": "-Infinity"}},
    ...           {"units": True, "patient": {"age": True}})
    {'units': nan, 'ndc': 'NaN', 'patient': {'age': -inf}}
    >>> nonfinite({"service_lines": [{"charge": "Infinity"}, {"charge": 2.5}]},
    ...           {"service_lines": [{"charge": True}]})
    {'service_lines': [{'charge': inf}, {'charge': 2.5}]}
    """
    return _at_leaves(value, tree, _nonfinite_leaf)


def _nonfinite_leaf(value: Any, tree: Any) -> Any:
    return _NONFINITE.get(value, value) if type(value) is str else value


def _at_leaves(value: Any, tree: Any, leaf: Callable[[Any, Any], Any]) -> Any:
    """``value`` with ``leaf(value, tree)`` applied where ``tree`` says (a list of one
    tree: each item of a list; a dict: the keys it names; anything else is a leaf, passed
    to ``leaf``: ``True``, a width), in place for dicts: the walk :func:`nonfinite`,
    :func:`cell_values` share."""
    if type(tree) is list:
        return [_at_leaves(v, tree[0], leaf) for v in value] if type(value) is list \
            else value
    if type(tree) is not dict:
        return leaf(value, tree)
    if type(value) is dict:
        for key, inner in tree.items():
            if key in value:
                value[key] = _at_leaves(value[key], inner, leaf)
    return value


def cell_values(value: Any, tree: Any) -> Any:
    """``value`` (a row's JSON, loaded) with each cell where ``tree`` says read as the
    pandas door reads it (:func:`codekit._text.cell_value`, the kind at the leaf): the
    text of a whole number in a number field (``"number"``) as that number (``"70"``,
    ``" 2 "``, ``"2.0"``; other text stays, for the claim reader to judge); a code of a
    fixed number of digits (its width: a place of service 2, a revenue code 4...) padded
    when it lost its leading zeros (a number column's ``2``, a string column's ``"2"``);
    the text ``"true"`` or ``"false"`` of a ``"flag"`` as its boolean.

    >>> cell_values({"line": "2", "line_id": "2", "patient": {"age": " 70 "}},
    ...             {"line": "number", "patient": {"age": "number"}})
    {'line': 2, 'line_id': '2', 'patient': {'age': 70}}
    >>> cell_values({"diagnosis_pointers": ["1", "2.0", "x"], "units": "1.5"},
    ...             {"diagnosis_pointers": ["number"], "units": "number"})
    {'diagnosis_pointers': [1, 2, 'x'], 'units': '1.5'}
    >>> cell_values({"place_of_service": 2, "discharge_status": "1",
    ...              "condition_codes": [7, "A1"], "revenue_code": "450"},
    ...             {"place_of_service": 2, "discharge_status": 2, "condition_codes": [2],
    ...              "revenue_code": 4})  # doctest: +NORMALIZE_WHITESPACE
    {'place_of_service': '02', 'discharge_status': '01', 'condition_codes': ['07', 'A1'],
     'revenue_code': '0450'}
    >>> cell_values({"opps": "True", "dme_supplier": "no"},
    ...             {"opps": "flag", "dme_supplier": "flag"})
    {'opps': True, 'dme_supplier': 'no'}
    """
    return _at_leaves(value, tree, cell_value)


# -- reports ------------------------------------------------------------------------------------


def _report(checker: Checker, item: object, claim_id: str | None) -> Report:
    """The item's report (:func:`codekit.batch.report_of`, as every door makes it: a
    codekit bug met by the claim is its ``CLAIM_CHECK_FAILED`` finding, what every claim
    would meet, :data:`codekit.batch.FATAL`, fails the job), the failed one under the row's
    claim id."""
    report = report_of(checker, item)
    return attrs.evolve(report, claim_id=claim_id) if check_failed(report) else report


class _Out:
    """Findings rows gathered column by column, then one record batch."""

    __slots__ = ("clean_rows", "cols", "columns", "snips")

    def __init__(self, snips: Mapping[str, int | None], clean_rows: bool,
                 columns: tuple[tuple[str, str], ...] = FINDING_COLUMNS) -> None:
        self.columns = columns
        self.cols: list[list[Any]] = [[] for _ in columns]
        self.snips = snips
        self.clean_rows = clean_rows

    def row(self, report: Report, f: Finding, snip: int | None, *extra: Any,
            at: tuple[int | None, str | None] | None = None) -> None:
        """One finding of a file's claim, with its SNIP level and the extra columns; ``at``,
        the (line, line_id) of its service line when the door knows it (an X12 finding
        in the 2400 loop of a line that is no claim line), else the report's."""
        line, line_id = report.line_of(f) if at is None else at
        values = (report.claim_id, line, line_id, f.rule, f.severity.value, f.path,
                  list(f.codes), f.message, list(f.fix), f.catalog, snip, FINDING, f.policy,
                  *extra)
        for col, value in zip(self.cols, values, strict=True):
            col.append(value)

    def notice(self, report: Report, claim_id: str | None, n: Notice, *extra: Any) -> None:
        """A row for a notice of ``report`` (``kind`` notice: its code in ``rule``, no
        severity, no SNIP level), so that a claim judged outside the data, or under a
        payer no routing places, is never shown as clean."""
        at = Finding(n.code, Severity.INFO, n.message, n.location)  # for its path and line
        line, line_id = report.line_of(at)
        values = (claim_id, line, line_id, n.code, None, at.path, [], n.message, [],
                  NOTICE_CATALOG, None, NOTICE, None, *extra)
        for col, value in zip(self.cols, values, strict=True):
            col.append(value)

    def add(self, report: Report, claim_id: str | None) -> None:
        if claim_id is None:
            claim_id = report.claim_id
        (c_id, c_line, c_line_id, c_rule, c_sev, c_path, c_codes, c_msg, c_fix, c_cat,
         c_snip, c_kind, c_policy) = self.cols[:len(FINDING_COLUMNS)]
        for n in report.notices:
            self.notice(report, claim_id, n)
        if not report.findings:
            if self.clean_rows and not report.notices:
                clean: tuple[Any, ...] = (claim_id, None, None, None, None, None, [], None,
                                          [], None, None, None, None)
                for col, value in zip(self.cols, clean, strict=True):
                    col.append(value)
            return
        snips = self.snips
        for f in report.findings:
            line, line_id = report.line_of(f)
            c_id.append(claim_id)
            c_line.append(line)
            c_line_id.append(line_id)
            c_rule.append(f.rule)
            c_sev.append(f.severity.value)
            c_path.append(f.path)
            c_codes.append(list(f.codes))
            c_msg.append(f.message)
            c_fix.append(list(f.fix))
            c_cat.append(f.catalog)
            rule = f.rule
            c_snip.append(snips[rule] if rule in snips else _level(rule))
            c_kind.append(FINDING)
            c_policy.append(f.policy)

    def __len__(self) -> int:
        return len(self.cols[0])

    def batch(self) -> pa.RecordBatch:
        import pyarrow as pa

        arrays = []
        for col, (_, kind) in zip(self.cols, self.columns, strict=True):
            try:
                arrays.append(pa.array(col, type=_ARROW_TYPES[kind]))
            except UnicodeEncodeError:
                # a lone surrogate ("\ud800" in a claim's JSON text) cannot be UTF-8: one
                # such claim must not fail its batch, so the text is kept with it escaped
                arrays.append(pa.array([_utf8(v) for v in col], type=_ARROW_TYPES[kind]))
        return pa.RecordBatch.from_arrays(arrays, names=[name for name, _ in self.columns])


def _utf8(value: Any) -> Any:
    """A findings cell that UTF-8 can encode: lone surrogates escaped (``\\ud800``)."""
    if type(value) is str:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if type(value) is list:
        return [_utf8(v) for v in value]
    return value


class _ArrowTypes(dict[str, Any]):
    def __missing__(self, kind: str) -> Any:
        import pyarrow as pa

        types = {"string": pa.string(), "int": pa.int32(), "array<string>": pa.list_(pa.string())}
        self.update(types)
        return types[kind]


_ARROW_TYPES = _ArrowTypes()


# -- the three shapes ---------------------------------------------------------------------------


def check_batches(job: Job, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Findings record batches for the claims in ``batches`` (``mapInArrow``'s function)."""
    checker = checker_of(job)
    snips = _snips(job, checker)
    if job.shape == "lines":
        yield from _lines(job, checker, snips, batches)
    else:
        for batch in batches:
            out = _Out(snips, job.clean_rows)
            _json_batch(job, checker, batch, out)
            if len(out):
                yield out.batch()
    settle()


def _read_row(job: Job, text: str, row: object = None) -> Any:
    """A row's JSON ``text`` (or ``row``, its value when loaded already) read as the pandas
    door reads its cells, where the job says the columns need it: a double NaN or infinity
    as a number (:func:`nonfinite`), a number field's whole text as its number
    (``"70"`` is 70), a code that lost its leading zeros padded and a flag's text as its
    boolean (a place of service 2 is 02): :func:`cell_values`. The text itself when none
    applies (the checker reads it)."""
    item = text if row is None else row
    if job.doubles and _marked(text):
        item = nonfinite(json.loads(text) if item is text else item, job.doubles)
    if job.cells:
        item = cell_values(json.loads(text) if item is text else item, job.cells)
    return item


def _json_batch(job: Job, checker: Checker, batch: pa.RecordBatch, out: _Out) -> None:
    assert job.json_column is not None
    texts = _values(batch, job.json_column)
    ids: list[Any] = (_values(batch, job.id_column) if job.id_column is not None
                      else [None] * len(texts))
    for text, raw_id in zip(texts, ids, strict=True):
        claim_id = _id_text(raw_id)
        if text is None:
            report = format_error_report(ClaimFormatError(
                [((), f"the claim JSON ({job.json_name or job.json_column}) is null")]))
        elif type(text) is bytes:  # not UTF-8 (_values): the reader says where it fails
            report = _report(checker, text, claim_id)
        else:
            report = _report(checker, _read_row(job, text), claim_id)
        out.add(report, claim_id)


def _lines(job: Job, checker: Checker, snips: Mapping[str, int | None],
           batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Line rows (each a JSON object) sorted by claim id and line within the partition:
    consecutive rows of one id are one claim, which may run on into the next batch."""
    assert job.id_column is not None and job.json_column is not None
    group: list[dict[str, Any]] = []
    current: str | bytes | None = None
    for batch in batches:
        out = _Out(snips, job.clean_rows)
        # an id as the JVM sorted it (its bytes, where they are not UTF-8), read as text
        # for the claim
        ids = _values(batch, job.id_column)
        texts = batch.column(batch.schema.names.index(job.json_column)).to_pylist()
        for key, text in zip(ids, texts, strict=True):
            if group and (key != current or key is None):
                _line_claim(job, checker, _id_text(current), group, out)
                group = []
            current = key
            group.append(_read_row(job, text, json.loads(text)))
        if len(out):
            yield out.batch()
    if group:
        out = _Out(snips, job.clean_rows)
        _line_claim(job, checker, _id_text(current), group, out)
        if len(out):
            yield out.batch()


#: what :func:`_merged` answers for two values of a claim field that disagree
_DISAGREE = object()


def _blank(value: object) -> bool:
    """A claim field's value not given on a line row: null, blank text, an empty list or
    struct (as the pandas door reads a blank cell)."""
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, list | dict) and not value)


def _merged(value: Any, other: Any, name: str | None = None) -> Any:
    """Two line rows' values of the claim field ``name``, merged, or :data:`_DISAGREE`:
    a blank is not given (:func:`_blank`); texts agree without case or surrounding spaces,
    as the pandas door compares them (the first row's text is kept); values of a field of
    a kind (:data:`codekit._text.FIELD_KINDS`) agree when they read alike
    (:func:`codekit._text.cell_key`, the pandas door's comparison): a date field's when
    they are one date (``2025-11-03`` and ``2025-11-03T00:00:00``), a number field's when
    they are one number (``100`` and ``"100.00"``), a type of bill's in four digits; a
    struct merges field by field (``patient`` with a null ``birth_date`` on one row and a
    date on another); a list element by element.

    >>> _merged({"sex": "F", "birth_date": None}, {"sex": "f", "birth_date": "1950-03-04"})
    {'sex': 'F', 'birth_date': '1950-03-04'}
    >>> _merged("medicare", "Medicare "), _merged("aetna", "medicare") is _DISAGREE
    ('medicare', True)
    >>> _merged("2025-11-03", "2025-11-03T00:00:00", "date_of_service")
    '2025-11-03'
    >>> _merged(100, "100.00", "total_charge"), _merged(100, "100.5", "total_charge") is _DISAGREE
    (100, True)
    """
    return _merge(value, other, FIELD_KINDS.get(name, TEXT) if name is not None else TEXT)


def _merge(value: Any, other: Any, kind: Any) -> Any:
    """:func:`_merged` of two values of a field of that ``kind`` (a kind tree)."""
    if _blank(other):
        return value
    if _blank(value):
        return other
    if isinstance(value, dict) and isinstance(other, dict):
        out = dict(value)
        for k, v in other.items():
            m = _merge(out.get(k), v, kind.get(k, TEXT) if type(kind) is dict else TEXT)
            if m is _DISAGREE:
                return _DISAGREE
            out[k] = m
        return out
    if isinstance(value, list) and isinstance(other, list):
        if len(value) != len(other):
            return _DISAGREE
        inner = kind[0] if type(kind) is list else TEXT
        items = [_merge(x, y, inner) for x, y in zip(value, other, strict=True)]
        return _DISAGREE if any(m is _DISAGREE for m in items) else items
    if isinstance(value, str) and isinstance(other, str) and fold(value) == fold(other):
        return value
    if value == other or (value != value and other != other):  # NaN: the same
        return value
    if kind == TEXT or type(kind) not in (str, int):  # text, or a struct's kind for a scalar
        return _DISAGREE
    key = cell_key(value, kind)
    return value if key is not None and key == cell_key(other, kind) else _DISAGREE


def _line_claim(job: Job, checker: Checker, claim_id: str | None,
                rows: list[dict[str, Any]], out: _Out) -> None:
    """One claim from its line rows: claim-level fields from the first row (they must
    agree on every row), one service line per row that has any line-level value."""
    if claim_id is None:
        out.add(format_error_report(ClaimFormatError([(
            ("claim_id",), "missing: the long format groups a claim's line rows by its "
            "claim id")])), None)
        return
    problems: list[tuple[tuple[str | int, ...], str]] = []
    data: dict[str, Any] = {}
    for column, key in job.claim_columns:
        # a null is "not given" on that row, no disagreement (as the pandas door reads a
        # blank cell): the payer on the first row only is the claim's payer
        given = [(n, row[column]) for n, row in enumerate(rows, 1)
                 if not _blank(row.get(column))]
        if not given:
            continue
        first, value = given[0]
        for n, other in given[1:]:
            merged = _merged(value, other, key)
            if merged is _DISAGREE:
                problems.append(((key,), f"differs between the claim's line rows: "
                                 f"{_short(given[0][1])} (row {first}), {_short(other)} "
                                 f"(row {n})"))
                break
            value = merged
        data[key] = value
    lines = []
    for row in rows:
        line = {key: row[column] for column, key in job.line_columns if column in row}
        if line:
            lines.append(line)
    data["service_lines"] = lines
    # no row gives a diagnosis: a claim without diagnoses (DX_MISSING), as the pandas door
    # reads blank diagnosis cells, rather than a format error (the key missing)
    data.setdefault("diagnoses", [])
    data["claim_id"] = claim_id
    if problems:
        try:
            Claim.from_dict(data)
        except ClaimFormatError as e:
            problems += e.problems
        problems.sort(key=lambda p: format_path(p[0]))
        report = format_error_report(ClaimFormatError(problems), data)
    else:
        report = _report(checker, data, claim_id)
    out.add(report, claim_id)


# -- files: 837 interchanges, FHIR NDJSON -------------------------------------------------------


def file_batches(job: Job, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Findings (:data:`FILE_COLUMNS`) of the files in ``batches`` (``path``, ``content``
    rows of Spark's binaryFile source): an 837 interchange (``job.shape == "x12"``) or FHIR
    NDJSON (``"fhir"``) each; a file that cannot be read is a finding, never a failed job
    (what every file would meet, :data:`codekit.batch.FATAL`, fails it)."""
    checker = checker_of(job)
    snips = _snips(job, checker)
    for batch in batches:
        names = batch.schema.names
        paths = batch.column(names.index("path")).to_pylist()
        contents = batch.column(names.index("content")).to_pylist()
        out = _Out(snips, False, FILE_COLUMNS)
        for path, content in zip(paths, contents, strict=True):
            try:
                if job.shape == "x12":
                    _x12_file(checker, path, content or b"", out)
                else:
                    _fhir_file(checker, path, content or b"", out)
            except FATAL:  # every file would meet it (damaged data...): the job fails
                raise
            except Exception as e:  # the file is reported, the partition goes on
                code = getattr(e, "code", CHECK_FAILED)
                text = f"{type(e).__name__}: {e}" if code == CHECK_FAILED else str(e)
                out.row(Report((), ""), Finding(code, Severity.ERROR, text[:1000]), None, path,
                        None)
        if len(out):
            yield out.batch()
    settle()


def _x12_file(checker: Checker, path: str, content: bytes, out: _Out) -> None:
    from .. import x12

    for result in x12.check(content, checker):
        report = result.report or Report((), "", claim_id=result.claim_id)
        if report.claim_id is None and result.claim_id is not None:
            report = attrs.evolve(report, claim_id=result.claim_id)
        err = result.error
        if err is not None:
            out.row(report, Finding(err.code, Severity.ERROR, err.reason), None, path,
                    str(result.location))
        for xf in result.findings:
            out.row(report, xf.finding, xf.snip, path, str(xf.location),
                    at=(xf.line, xf.line_id))
        for n in report.notices:  # the claim's (a record without a report has none)
            out.notice(report, report.claim_id, n, path, str(result.location))


def _fhir_file(checker: Checker, path: str, content: bytes, out: _Out) -> None:
    from .. import fhir

    for result in fhir.check_ndjson(content.splitlines(), checker=checker):
        if result.read is None:  # no claim on the line: its problems
            report = result.to_report()
            for f in report.findings:
                out.row(report, f, None, path, result.where)
            continue
        report = result.report or Report((), "", claim_id=result.read.claim_id)
        if report.claim_id is None:
            report = attrs.evolve(report, claim_id=result.read.claim_id)
        where = f"{result.where}: " if result.where else ""
        # the reader's findings (first) are at FHIR elements: the line of one at an item
        # is the FHIR report's (its items' lines); the checker's, the claim's report's
        mine = len(result.read.findings)
        lined = result.to_report() if mine else None
        for k, (f, expression) in enumerate(result.issues()):
            level = out.snips[f.rule] if f.rule in out.snips else _level(f.rule)
            at = lined.line_of(lined.findings[k]) if lined is not None and k < mine \
                else None
            out.row(report, f, level, path, where + expression, at=at)
        for n in report.notices:
            out.notice(report, report.claim_id, n, path,
                       where + result.read.paths.expression(n.location))

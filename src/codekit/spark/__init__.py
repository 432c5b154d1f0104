"""Claims on Spark: the same checker, the same findings, over a DataFrame of any size.

``pip install 'codekit[spark]'`` (PySpark 4 with its Arrow and pandas support; Java 17).
:func:`check` turns a DataFrame of claims into a DataFrame of findings, one row per
finding (:data:`FINDINGS_DDL`), in one call::

    import codekit.spark
    from codekit import Checker
    from codekit.ncci import TableLibrary

    checker = Checker(tables=TableLibrary(directory="/mnt/ncci/2025q4"))
    findings = codekit.spark.check(claims_df, checker=checker)
    findings.write.parquet("s3://bucket/findings/")

The claims may come in three shapes (``format=``):

- ``"nested"``: one row per claim, columns named and shaped as the claim dict of
  :meth:`codekit.Claim.from_dict` (``claim_type``, ``patient`` a struct, ``diagnoses`` an
  array, ``service_lines`` an array of structs...); dates as dates, timestamps or text;
- ``"lines"``: one row per service line, grouped by the claim id column: the claim's
  fields repeated on each row, the line's fields beside them (``procedure_code``,
  ``modifiers``, ``units``, ``diagnosis_pointers``, ``line``, ``line_id``...; the line's own
  date, place of service and rendering provider as ``line_date_of_service``,
  ``line_place_of_service`` and ``line_rendering_provider``);
- ``"json"``: a column of claim JSON text (one claim each), beside a claim id column.

Each claim is checked by :meth:`codekit.Checker.check` in the executors' Python workers,
which receive the rows as Arrow record batches (``mapInArrow``), never row by row; the
checker travels as its pickle (a few KB) and is unpickled once per worker process. A
claim that cannot be read -- a null or mistyped column, broken JSON -- gives its
``CLAIM_FORMAT_INVALID`` findings, like :meth:`codekit.Checker.check_many`, and the job
goes on. :func:`check_837` and :func:`check_fhir` read directories of X12 837 files and
FHIR NDJSON on the executors into the same table. :func:`validate_codes` checks a column
of codes of any code system against a date column. See ``docs/spark.md`` for the cluster
recipe and the numbers.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
import re
import types
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .._show import shown
from .._text import FIELD_KINDS, FLAG, NDC, NUMBER, TEXT
from ..claims import CLAIM_KEYS
from ..errors import ExtraNotInstalled, InvalidArgument
from ..rules import Rule

try:
    import pyarrow  # noqa: F401 -- the workers exchange Arrow batches
    from pyspark.sql import Column, DataFrame
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as _e:  # pragma: no cover -- the extra is installed in the test env
    _missing = (_e.name or "pyspark").split(".")[0]
    raise ExtraNotInstalled(
        f"codekit.spark needs PySpark 4 with Arrow ({_missing} is missing): "
        "pip install 'codekit[spark]'", extra="spark", package=_missing) from None

from ._codes import VALIDATION_COLUMNS, validate_series
from ._worker import (
    CHECK_FAILED,
    FILE_COLUMNS,
    FINDING_COLUMNS,
    Job,
    check_batches,
    file_batches,
    snip_level,
)

if TYPE_CHECKING:
    from ..checker import Checker

__all__ = ["CHECK_FAILED", "FILE_FINDINGS_DDL", "FINDINGS_DDL", "LINE_COLUMNS",
           "VALIDATION_DDL", "check", "check_837", "check_fhir", "findings_schema",
           "snip_level", "validate_codes", "validation"]

#: The findings table, as Spark SQL DDL: one row per finding.
#:
#: - ``claim_id``: the claim id column's value as text (else the claim's own ``claim_id``);
#: - ``line``, ``line_id``: the service line a finding is about (its ``line`` number and
#:   ``line_id``), null for a claim-level finding;
#: - ``rule``: the finding ID (``docs/catalog.md``), ``severity`` ``error``/``warning``/``info``;
#: - ``path``: where on the claim, as a JSON path (``$.service_lines[0].modifiers[1]``);
#: - ``codes``: the codes involved, ``message``, ``fix`` (codes to use instead or to add,
#:   best first), ``catalog``: the catalog entry;
#: - ``snip``: the WEDI SNIP level (:func:`snip_level`), null for a finding about the
#:   input rather than the claim;
#: - ``kind``: ``finding``, or ``notice`` for a row per notice of the claim's report (how
#:   it was judged: a date codekit's data does not cover, a payer in no routing; its code
#:   in ``rule``, ``severity`` and ``snip`` null, ``catalog`` ``docs/catalog.md#notices``),
#:   as the pandas door's rows;
#: - ``policy`` (a nullable string, the last column: a column added later comes last, so
#:   none moves): the rule ID of the payer policy that raised the finding
#:   (``MCR-G2211-MOD25``, :attr:`codekit.Finding.policy`; ``rule`` is then the finding ID
#:   the policy raises, ``COVERAGE_CRITERIA_NOT_MET``), null for a built-in edit's finding,
#:   a notice and a clean row: ``findings.where("policy = 'MCR-G2211-MOD25'")``,
#:   ``findings.groupBy("policy").count()``.
#:
#: A claim without findings or notices has no row, unless ``clean_rows=True``: then it
#: has one row whose ``rule`` (and every other column but ``claim_id``) is null. A claim
#: with notices only is not clean: it has its notice rows.
FINDINGS_DDL = ", ".join(f"{name} {kind}" for name, kind in FINDING_COLUMNS)

#: The findings of files (:func:`check_837`, :func:`check_fhir`): :data:`FINDINGS_DDL`
#: and ``source`` (the file's path) and ``location`` (where in the file: the X12 loop,
#: segment, element, line and byte; the NDJSON line and the FHIRPath).
FILE_FINDINGS_DDL = ", ".join(f"{name} {kind}" for name, kind in FILE_COLUMNS)

#: The result columns of :func:`validate_codes` (with its prefix) and the fields of
#: :func:`validation`'s struct: ``valid`` (null when the row cannot be judged: no code, no
#: date), ``error`` (the error's stable code, e.g. ``DX_NOT_BILLABLE``), ``message``,
#: ``fix`` (codes to use instead, best first) and ``title`` (the code's title, also for a
#: code not valid on the date where one is known; null for CPT).
VALIDATION_DDL = ", ".join(f"{name} {kind}" for name, kind in VALIDATION_COLUMNS)

#: The long format's line-level columns and the service-line keys they fill.
LINE_COLUMNS: dict[str, str] = {
    "line": "line", "line_id": "line_id", "procedure_code": "procedure_code",
    "modifiers": "modifiers", "units": "units", "diagnosis_pointers": "diagnosis_pointers",
    "revenue_code": "revenue_code", "line_date_of_service": "date_of_service",
    "line_place_of_service": "place_of_service", "charge": "charge", "ndc": "ndc",
    "line_rendering_provider": "rendering_provider"}

_FORMATS = ("auto", "nested", "lines", "json")


def findings_schema() -> T.StructType:
    """The findings table's schema (:data:`FINDINGS_DDL`) as a Spark ``StructType``.

    >>> findings_schema()["snip"]
    StructField('snip', IntegerType(), True)
    """
    kinds = {"string": T.StringType(), "int": T.IntegerType(),
             "array<string>": T.ArrayType(T.StringType())}
    return T.StructType([T.StructField(name, kinds[kind]) for name, kind in FINDING_COLUMNS])


@contextmanager
def _quiet() -> Iterator[None]:
    # PySpark warns about pandas 3 whenever an Arrow UDF is declared; the claim path never
    # uses pandas, and the code path only hands it plain objects.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*does not yet fully support pandas",
                                category=FutureWarning)
        yield


def check(df: DataFrame, checker: Checker | None = None, *, format: str = "auto",
          claim_id: str | None = "claim_id", json_column: str = "claim",
          clean_rows: bool = False, partitions: int | None = None) -> DataFrame:
    """The findings of every claim of ``df`` (a lazy DataFrame of :data:`FINDINGS_DDL`).

    ``checker``: a :class:`codekit.Checker` (default: ``Checker()``, the bundled data and
    policies); it is pickled once here and unpickled once per worker process, so make its
    NCCI tables from files every executor can read (``TableLibrary(directory=...)`` on
    shared storage, or tables saved to ``.ckt``): a table pickles as its path.

    ``format``: ``"nested"``, ``"lines"`` or ``"json"`` (see the module doc); ``"auto"``
    picks ``"json"`` when ``df`` has a text column named ``json_column``, ``"lines"``
    when it has a ``procedure_code`` column, else ``"nested"``.

    ``claim_id``: the claim id column, whatever its name (its value, as text, is the
    ``claim_id`` of every finding of the row's claim and the claim's own id); optional
    for ``"nested"`` and ``"json"`` when no such column exists, required for ``"lines"``
    (it groups the lines). For ``"nested"`` and ``"lines"`` every other column must be a
    claim field (a line field for ``"lines"``): a misspelt column raises
    :class:`~codekit.InvalidArgument` here rather than vanish; select the columns first,
    or keep yours in an ``extra`` struct. ``"json"`` reads only its two columns.

    ``clean_rows``: also one row (``rule`` null) for each claim without findings.
    ``partitions``: repartition the claims into that many partitions first (the lines
    are always shuffled by claim id; this sets how many partitions).

    Bad data never fails the job: each claim that cannot be read has its
    ``CLAIM_FORMAT_INVALID`` findings; a claim whose check raised (a codekit bug) has one
    ``CLAIM_CHECK_FAILED`` finding.
    """
    if not isinstance(df, DataFrame):
        raise InvalidArgument(f"df={type(df).__name__}: expected a Spark DataFrame")
    if format not in _FORMATS:
        raise InvalidArgument(f"format={format!r}: expected one of {', '.join(_FORMATS)}")
    _partitions(partitions)
    payload = _pickled(checker)
    digest = hashlib.sha256(payload).hexdigest()
    fields = _fields(df)
    if claim_id is not None and claim_id not in fields:
        if claim_id != "claim_id" or format == "lines":
            raise InvalidArgument(f"claim_id={claim_id!r}: no such column (columns: "
                                  f"{', '.join(fields) or 'none'})")
        claim_id = None
    shape = format
    if shape == "auto":
        shape = ("json" if isinstance(fields.get(json_column), T.StringType | T.BinaryType)
                 else "lines" if "procedure_code" in fields else "nested")
    _once(df, {c for c in (claim_id, json_column) if c is not None}
          if shape == "json" else None)
    if shape == "json":
        if json_column not in fields:
            raise InvalidArgument(f"json_column={json_column!r}: no such column")
        if not isinstance(fields[json_column], T.StringType | T.BinaryType):
            kind = fields[json_column].simpleString()
            raise InvalidArgument(f"json_column={json_column!r} is {kind}: expected text "
                                  "(string or binary)")
        # under a name of ours: mapInArrow cannot take a column named "claim.json"
        job = Job(payload, digest, "json", _ID if claim_id is not None else None, _ROW,
                  clean_rows=clean_rows, json_name=json_column)
        df = df.select(*([_id(claim_id, fields)] if claim_id is not None else []),
                       _col(json_column).alias(_ROW))
        if partitions is not None:
            df = df.repartition(partitions)
    elif shape == "nested":
        _known(fields, CLAIM_KEYS, claim_id, "claim")
        _no_binary(fields, claim_id)
        if partitions is not None:
            df = df.repartition(partitions)
        # each claim as JSON text, written by the JVM (null fields left out): one string
        # a claim crosses to Python, where json.loads is the fastest way to a claim dict
        df = df.select(*([_id(claim_id, fields)] if claim_id is not None else []),
                       _json([c for c in fields if c != claim_id], fields, claim_id,
                             nested=True).alias(_ROW))
        job = Job(payload, digest, "json", _ID if claim_id is not None else None, _ROW,
                  clean_rows=clean_rows, doubles=_doubles(fields, claim_id),
                  cells=_cells(fields, claim_id, False))
    else:
        if claim_id is None:
            raise InvalidArgument("the long format needs the claim id column (claim_id=)")
        _known(fields, CLAIM_KEYS | set(LINE_COLUMNS), claim_id, "claim or line")
        _no_binary(fields, claim_id)
        if isinstance(fields[claim_id], T.MapType | T.VariantType):
            raise InvalidArgument(f"claim_id={claim_id!r} is {fields[claim_id].simpleString()}"
                                  ": the long format groups and sorts the lines by it; "
                                  "give a column of text or numbers")
        if "line" not in fields and "line_id" not in fields:
            raise InvalidArgument("the long format needs a 'line' column (or 'line_id') to "
                                  "put each claim's lines in order")
        if "service_lines" in fields:
            raise InvalidArgument("the long format has one row per line: a service_lines "
                                  "column belongs to the nested format (format='nested')")
        claim_cols = tuple((c, c) for c in fields if c in CLAIM_KEYS and c != claim_id)
        line_cols = tuple((c, LINE_COLUMNS[c]) for c in fields if c in LINE_COLUMNS)
        job = Job(payload, digest, "lines", _ID, _ROW, claim_cols, line_cols, clean_rows,
                  doubles=_doubles(fields, claim_id), cells=_cells(fields, claim_id, True))
        # lines in order of their 'line' numbers; rows without one, or with the same one,
        # in the order they had in the input (taken before the shuffle), as the pandas
        # door orders them. A line_id is an identifier, not an order: sorted as text, L10
        # came before L2. A 'line' column of text orders by the whole numbers it holds
        # ("2", " 2 ", "2.0": the worker reads them as numbers, as the pandas door does);
        # other text orders nothing (and is a format error).
        df = df.withColumn(_POS, F.monotonically_increasing_id())
        order = [_col(c).asc_nulls_last() for c in ("line",)
                 if isinstance(fields.get(c), T.NumericType)]
        if isinstance(fields.get("line"), T.StringType):
            order = [F.when(_col("line").rlike(_WHOLE_LINE), F.regexp_extract(
                _col("line"), r"[+-]?[0-9]+", 0).cast("long")).asc_nulls_last()]
        # grouped and sorted by the id as text: the doubles 0.0 and -0.0 are one claim '0'
        df = df.withColumn(_ID, _id(claim_id, fields))
        id_col = F.col(_ID)
        df = (df.repartition(partitions, id_col) if partitions is not None
              else df.repartition(id_col)).sortWithinPartitions(id_col, *order, _POS)
        # a claim field as a timestamp is the claim's date (in the session time zone), so
        # the rows of one claim agree when their times of that day differ
        days = {c for c, _ in claim_cols
                if isinstance(fields[c], T.TimestampType | T.TimestampNTZType)}
        df = df.select(id_col, _json([c for c in fields if c != claim_id], fields,
                                     dates=days).alias(_ROW))
    with _quiet():
        return df.mapInArrow(functools.partial(check_batches, job), FINDINGS_DDL)


_ID = "__codekit_claim_id"
_POS = "__codekit_input_position"
_ROW = "__codekit_row"
#: Claims as JSON: null fields left out (a column is always there; null means not given),
#: dates as YYYY-MM-DD, whatever the session's JSON settings.
_JSON_OPTIONS = {"ignoreNullFields": "true", "dateFormat": "yyyy-MM-dd",
                 "timestampFormat": "yyyy-MM-dd'T'HH:mm:ss", "timestampNTZFormat":
                 "yyyy-MM-dd'T'HH:mm:ss"}


def _col(name: str) -> Column:
    """The top-level column of that name, whatever it holds (dots, backticks)."""
    return F.col("`" + name.replace("`", "``") + "`")


def _id(column: str, fields: dict[str, Any]) -> Column:
    """The claim id column as text, by the rule the pandas door follows too: a whole
    number as its digits (``7``, ``7.0`` and ``7.00`` are ``'7'``; ``-0.0`` is ``'0'``), a
    decimal without its trailing zeros (``7.50`` is ``'7.5'``), a double NaN as no id."""
    col, kind = _col(column), fields[column]
    if isinstance(kind, T.FloatType | T.DoubleType):
        x = col.cast("double")
        # CASE WHEN evaluates in order: the cast to a long only where it cannot overflow
        text = (F.when(F.isnan(x), F.lit(None).cast("string"))
                .when(F.abs(x) >= 9.2e18, x.cast("string"))
                .when(x == x.cast("long"), x.cast("long").cast("string"))
                .otherwise(x.cast("string")))
    elif isinstance(kind, T.DecimalType) and kind.scale > 0:
        text = F.regexp_replace(col.cast("string"), r"\.?0+$", "")
    else:
        text = col.cast("string")
    return text.alias(_ID)


def _json(columns: list[str], fields: dict[str, Any], claim_id: str | None = None,
          dates: set[str] | frozenset[str] = frozenset(), nested: bool = False) -> Column:
    """The columns as one JSON object a row (the claim id, as text, under ``claim_id``;
    the ``dates`` columns as their date). In the ``nested`` shape a null ``diagnoses``
    array is ``[]``: a claim without diagnoses (``DX_MISSING``), as ``Claim.from_dict``
    reads ``"diagnoses": None``; left out, it would be a format error (missing)."""
    parts = []
    for c in columns:
        if c in dates:
            parts.append(_col(c).cast("date").alias(c))
        elif nested and c == "diagnoses" and isinstance(fields[c], T.ArrayType):
            parts.append(F.coalesce(_col(c), F.array().cast(fields[c])).alias(c))
        else:
            parts.append(_col(c))
    if claim_id is not None:
        parts.append(_id(claim_id, fields).alias("claim_id"))
    return F.to_json(F.struct(*parts), _JSON_OPTIONS)


#: A line number as text that sorts as its number: what ``codekit._text.whole_text`` reads
#: as a whole number (up to 18 digits, which a long holds; no line number is that long).
_WHOLE_LINE = r"^\s*[+-]?[0-9]{1,18}(\.0*)?\s*$"


def _kind_of(column: str) -> Any:
    """How a column is read (:data:`codekit._text.FIELD_KINDS`, the pandas door's too):
    as the claim field of its name, or in the long format the line field it fills
    (:data:`LINE_COLUMNS`)."""
    if column in LINE_COLUMNS:
        return FIELD_KINDS["service_lines"][0].get(LINE_COLUMNS[column], TEXT)
    return FIELD_KINDS.get(column, TEXT)


def _trees(fields: dict[str, Any], claim_id: str | None,
           leaf: Callable[[Any, Any], Any]) -> dict[str, Any]:
    """Per column (the claim id and ``extra`` aside), where its values need the worker
    to read them as the pandas door reads its cells: the tree of :func:`_tree`."""
    out = {}
    for name, kind in fields.items():
        tree = _tree(_kind_of(name), kind, leaf)
        if tree is not None and name not in (claim_id, "extra"):
            out[name] = tree
    return out


def _tree(kind: Any, spark_type: Any, leaf: Callable[[Any, Any], Any]) -> Any:
    """The field's kind tree walked beside its Spark type: ``leaf(kind, type)`` at a leaf
    (None: nothing there), a struct's fields that hold something by name, ``[tree]`` for
    an array's items; None where nothing is."""
    if type(kind) is list:
        if not isinstance(spark_type, T.ArrayType):
            return None
        inner = _tree(kind[0], spark_type.elementType, leaf)
        return None if inner is None else [inner]
    if type(kind) is dict:
        if not isinstance(spark_type, T.StructType):
            return None
        found = {f.name: t for f in spark_type.fields
                 if (t := _tree(kind.get(f.name, TEXT), f.dataType, leaf)) is not None}
        return found or None
    return leaf(kind, spark_type)


def _cells(fields: dict[str, Any], claim_id: str | None, text: bool) -> dict[str, Any]:
    """Where the columns' values need reading as the pandas door reads its cells, for the
    worker (:func:`codekit.spark._worker.cell_values`), the kind at a leaf
    (:func:`codekit._text.cell_value`): a claim's number fields in string columns
    (``line``, ``units``, a ``patient`` struct's ``age``, ``diagnosis_pointers`` as an
    array of text: ``"number"``, a whole number's text read as that number); codes of a
    fixed number of digits (the width) that lose their leading zeros in a number column
    (``inferSchema``: place of service 02 is 2), or in text a spreadsheet wrote (CMS place
    of service, NUBC revenue code, discharge status, condition codes, the ``code`` of an
    occurrence code, span or value code; a line's NDC of fewer than 10 digits, the
    11-digit NDC: ``"ndc"``), padded: number columns, and string ones too
    when ``text`` (the long format, whose rows the worker reads anyway; a nested claim's
    text is the claim dict's own), with the true-or-false fields a string column holds
    as text (``"true"``: ``"flag"``) then."""
    def leaf(kind: Any, t: Any) -> Any:
        string = isinstance(t, T.StringType)
        if kind == NUMBER:
            return NUMBER if string else None
        if type(kind) is int or kind == NDC:
            return kind if isinstance(t, T.NumericType) or (text and string) else None
        return FLAG if kind == FLAG and text and string else None

    return _trees(fields, claim_id, leaf)


def _doubles(fields: dict[str, Any], claim_id: str | None) -> dict[str, Any]:
    """Where the columns hold doubles (or floats), for the worker to read ``"NaN"`` and
    ``"Infinity"`` back as numbers: ``to_json`` writes them as text (see
    :func:`codekit.spark._worker.nonfinite`)."""
    out = {}
    for name, kind in fields.items():
        tree = _double_tree(kind)
        if tree is not None and name not in (claim_id, "extra"):
            out[name] = tree
    return out


def _double_tree(kind: Any) -> Any:
    """True for a double; a struct's fields that hold one, by name; ``[tree]`` for an
    array of them; None where no double is."""
    if isinstance(kind, T.FloatType | T.DoubleType):
        return True
    if isinstance(kind, T.ArrayType):
        inner = _double_tree(kind.elementType)
        return None if inner is None else [inner]
    if isinstance(kind, T.StructType):
        inner = {f.name: t for f in kind.fields if (t := _double_tree(f.dataType)) is not None}
        return inner or None
    return None


#: The most partitions Spark makes (a Java int): more raised a raw Py4JError.
_MAX_PARTITIONS = 2**31 - 1


def _partitions(partitions: object) -> None:
    if partitions is not None and (type(partitions) is not int or
                                   not 1 <= partitions <= _MAX_PARTITIONS):
        raise InvalidArgument(f"partitions={partitions!r}: expected a whole number from 1 "
                              f"to {_MAX_PARTITIONS:,} (the most partitions Spark makes)")


def _pickled(checker: object) -> bytes:
    """The checker's pickle (default: ``Checker()``), said wrong on the driver rather than
    on every executor."""
    from ..checker import Checker

    if checker is None:
        checker = Checker()
    elif not isinstance(checker, Checker):
        raise InvalidArgument(f"checker={shown(checker, 60)}: expected a codekit.Checker")
    out = io.BytesIO()
    try:
        _Sendable(out, protocol=pickle.HIGHEST_PROTOCOL).dump(checker)
    except _InMain as e:
        raise InvalidArgument(
            f"the checker cannot be sent to the executors: {e.args[0]} is defined in "
            "__main__ (a notebook or a script), which the executors' Python workers do "
            "not run: put it in a module installed on every executor, as codekit is, and "
            "import it from there") from None
    except Exception as e:  # a policy or table that cannot travel to the executors
        raise InvalidArgument(f"the checker cannot be sent to the executors (pickle: "
                              f"{type(e).__name__}: {e})") from None
    return out.getvalue()


class _InMain(Exception):
    """Something the checker holds is defined in ``__main__`` (its text: what)."""


class _Sendable(pickle.Pickler):
    """A pickler that refuses what the executors cannot unpickle: a function or class
    of ``__main__`` (pickled by reference, it fails there with an AttributeError in every
    task), and a :class:`codekit.Rule` whose check is one (it pickles as a reference to
    the module attribute that holds it)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, type | types.FunctionType):
            if getattr(obj, "__module__", None) == "__main__":
                kind = "class" if isinstance(obj, type) else "function"
                raise _InMain(f"the {kind} {getattr(obj, '__qualname__', '?')}")
        elif isinstance(obj, Rule) and getattr(obj.check, "__module__", None) == "__main__":
            raise _InMain(f"rule {obj.id}")
        return NotImplemented


def _fields(df: DataFrame) -> dict[str, Any]:
    """The DataFrame's columns by name."""
    return {f.name: f.dataType for f in df.schema.fields}


def _once(df: DataFrame, used: set[str] | None = None) -> None:
    """A column name twice (a join keeps both sides' ``claim_id``) among the columns read
    (``used``; None: all) is said, not left to Spark's AMBIGUOUS_REFERENCE."""
    names = [f.name for f in df.schema.fields]
    twice = [n for n in dict.fromkeys(names)
             if names.count(n) > 1 and (used is None or n in used)]
    if twice:
        raise InvalidArgument(f"column(s) {', '.join(map(repr, twice))} appear more than "
                              "once (a join keeps both sides' columns): drop or rename one")


def _has_binary(kind: Any) -> bool:
    if isinstance(kind, T.BinaryType):
        return True
    if isinstance(kind, T.ArrayType):
        return _has_binary(kind.elementType)
    if isinstance(kind, T.MapType):
        return _has_binary(kind.keyType) or _has_binary(kind.valueType)
    if isinstance(kind, T.StructType):
        return any(_has_binary(f.dataType) for f in kind.fields)
    return False


def _no_binary(fields: dict[str, Any], claim_id: str | None) -> None:
    """A binary claim field (Parquet text written without its UTF-8 annotation) would
    reach the claim as base64 text, a wrong code rather than a finding: said here."""
    binary = [c for c, kind in fields.items()
              if c not in (claim_id, "extra") and _has_binary(kind)]
    if binary:
        raise InvalidArgument(
            f"column(s) {', '.join(map(repr, binary))} hold binary values, not text: cast "
            "them to string first (Parquet text without its UTF-8 annotation: "
            "spark.sql.parquet.binaryAsString=true)")


def _known(fields: dict[str, Any], known: frozenset[str] | set[str], claim_id: str | None,
           what: str) -> None:
    unknown = [c for c in fields if c not in known and c != claim_id]
    if unknown:
        raise InvalidArgument(
            f"column(s) {', '.join(map(repr, unknown))} are no {what} field: select the "
            "claim's columns first (df.select(...)), rename them, or keep yours in an "
            f"'extra' struct column{_numbered_hint(unknown)}")
    if claim_id is not None and claim_id != "claim_id" and "claim_id" in fields:
        raise InvalidArgument(f"two claim id columns: {claim_id!r} (claim_id=) and "
                              "'claim_id'; drop one")


#: Numbered columns (as the pandas door reads them) and the array column they make.
_NUMBERED = (("dx", "diagnoses"), ("diagnosis", "diagnoses"), ("modifier", "modifiers"),
             ("mod", "modifiers"), ("pointer", "diagnosis_pointers"))


def _numbered_hint(unknown: list[str]) -> str:
    """How numbered columns (``dx1``..``dx12``, the pandas door's) become the array
    column of the claim's shape, naming them."""
    for stem, key in _NUMBERED:
        cols = sorted((c for c in unknown if re.fullmatch(f"{stem}_?[0-9]+", c, re.I)),
                      key=lambda c: int(re.sub("[^0-9]", "", c)))
        if cols:
            listed = ", ".join(f'"{c}"' for c in cols)
            return (f"; numbered columns are one array column here: F.filter(F.array("
                    f"{listed}), lambda c: c.isNotNull()).alias(\"{key}\")")
    return ""


# -- files -------------------------------------------------------------------------------------


def _files(spark: Any, path: str | list[str], checker: Checker | None, shape: str,
           glob: str | None, recursive: bool, partitions: int | None) -> DataFrame:
    from pyspark.errors import AnalysisException

    if not hasattr(spark, "read"):  # a SparkSession, classic or Spark Connect
        raise InvalidArgument(f"spark={shown(spark, 60)}: expected a SparkSession")
    _partitions(partitions)
    payload = _pickled(checker)
    job = Job(payload, hashlib.sha256(payload).hexdigest(), shape)
    reader = spark.read.format("binaryFile").option("recursiveFileLookup",
                                                    str(bool(recursive)).lower())
    if glob is not None:
        reader = reader.option("pathGlobFilter", glob)
    try:
        files = reader.load(path).select("path", "content")
    except AnalysisException as e:
        if e.getCondition() != "PATH_NOT_FOUND":
            raise
        raise InvalidArgument(f"path={shown(path, 60)}: {e.getMessage()}") from None
    if partitions is not None:
        files = files.repartition(partitions)
    with _quiet():
        return files.mapInArrow(functools.partial(file_batches, job),
                                FILE_FINDINGS_DDL)


def check_837(spark: Any, path: str | list[str], checker: Checker | None = None, *,
              glob: str | None = None, recursive: bool = False,
              partitions: int | None = None) -> DataFrame:
    """The findings (:data:`FILE_FINDINGS_DDL`) of every claim of the X12 837P/837I files
    at ``path`` (a directory, a file, a glob or a list of them, as Spark's ``load`` takes
    them; ``glob`` filters file names, ``recursive`` descends into directories), checked
    at every WEDI SNIP level by :func:`codekit.x12.check` on the executors (they need the
    ``x12`` extra): the X12 front door's SNIP 1-4 findings and the checker's, each with its
    SNIP level and its X12 location. Each file is read whole by one task (Spark's
    ``binaryFile`` source: at most 2 GB a file); a file that is not X12 is one finding
    (``X12_NOT_READABLE``), a claim that cannot be read one with its error's code.
    """
    return _files(spark, path, checker, "x12", glob, recursive, partitions)


def check_fhir(spark: Any, path: str | list[str], checker: Checker | None = None, *,
               glob: str | None = None, recursive: bool = False,
               partitions: int | None = None) -> DataFrame:
    """The findings (:data:`FILE_FINDINGS_DDL`) of the FHIR R4 Claims in the NDJSON files
    at ``path`` (one Claim or Bundle a line, as a FHIR bulk export writes them; ``glob``,
    ``recursive`` as in :func:`check_837`), read by :func:`codekit.fhir.check_ndjson` on
    the executors (they need the ``fhir`` extra): the reader's ``FHIR_*`` findings and the
    checker's, ``location`` the NDJSON line and the FHIRPath of the element. Each file is
    read whole by one task (at most 2 GB a file); a line that is not a Claim is a finding.
    """
    return _files(spark, path, checker, "fhir", glob, recursive, partitions)


# -- code columns -------------------------------------------------------------------------------


def validation(code: str | Column, date: str | Column | None = None, *,
               system: str = "icd10cm", on: object = None) -> Column:
    """A struct column (:data:`VALIDATION_DDL`) that validates ``code`` (a column of
    codes of ``system``: ``icd10cm``, ``icd10pcs``, ``cpt``, ``hcpcs``, ``modifiers``,
    ``procedure``) on the date in ``date`` (a date, timestamp or ``YYYY-MM-DD`` text
    column) or on the one date ``on``::

        df.withColumn("dx_check", codekit.spark.validation("dx", "service_date"))

    Each batch of rows reaches Python as Arrow columns, and each distinct (code, date)
    of a batch is validated once. A cell is read as :func:`codekit.pandas.validate` reads
    it (:mod:`codekit.cells`): a spreadsheet's quirks (``I10.``, ``E119,I10``, an invisible
    character) are forgiven, saying so in ``message``, and a glued modifier explained
    (``M17.11RT``: ``DX_MODIFIER_ATTACHED``); a null or blank code is ``CODE_MISSING``, an
    array or a boolean the system's format error. A null or malformed date gives
    ``valid`` null with the reason in ``message`` (never today's date).

    PySpark hands each batch to pandas before codekit sees it, and fails the task on a
    code or date of text that is not UTF-8 (a binary column cast to string) or a
    timestamp outside the years 1677-2262 (``0001-01-01``, ``9999-12-31``):
    :func:`validate_codes` passes such columns through ``F.make_valid_utf8`` and a
    timestamp date as its date; given a column here, do the same.
    """
    from .. import codesystem

    codesystem.get(system)  # an unknown system raises InvalidArgument here, not on a worker
    if (date is None) == (on is None):
        raise InvalidArgument("give the date column (date=) or one date (on=), not both "
                              "and not neither")
    fixed: str | None = None
    if on is not None:
        from .._dates import coerce_date

        fixed = coerce_date(on, "on").isoformat()
    try:  # the claim path needs no pandas; a code column is a pandas UDF
        import pandas as pd
    except ImportError:
        raise ExtraNotInstalled(
            "codekit.spark.validation validates codes in a pandas UDF, and pandas is not "
            "installed: pip install 'codekit[spark]'", extra="spark", package="pandas") \
            from None
    from pyspark.sql.functions import pandas_udf

    def answers(codes: pd.Series, dates: pd.Series) -> pd.DataFrame:
        return validate_series(system, fixed, codes, dates)

    # the hints as objects (this module's annotations are text): pandas_udf reads them
    answers.__annotations__ = {"codes": pd.Series, "dates": pd.Series, "return": pd.DataFrame}
    with _quiet():
        udf = pandas_udf(answers, VALIDATION_DDL)  # type: ignore[call-overload]
        code_col = F.col(code) if isinstance(code, str) else code
        if date is None:
            return udf(code_col, F.lit(None).cast("string"))
        date_col = F.col(date) if isinstance(date, str) else date
        return udf(code_col, date_col)


def _convertible(name: str, kind: Any, day: bool = False) -> Column:
    """The column ``name`` (of type ``kind``) as the pandas UDF can be given it. PySpark
    turns each batch into pandas before codekit sees it, and fails the task on two things
    a table may hold: text that is not UTF-8 (a binary column cast to string: ``Wrapping
    ... failed``), given here with each byte sequence that is not UTF-8 replaced by
    U+FFFD (the code is then said to be malformed, the character shown); and, for the
    date (``day``), a timestamp outside pandas' years 1677-2262 (``0001-01-01`` and
    ``9999-12-31`` stand for "none" and "open" in many warehouses: ``out of bounds
    timestamp``), given here as its day, all that is validated."""
    col = _col(name)
    if isinstance(kind, T.StringType):
        return F.make_valid_utf8(col)
    if day and isinstance(kind, T.TimestampType | T.TimestampNTZType):
        return col.cast("date")
    return col


def validate_codes(df: DataFrame, code: str, date: str | None = None, *,
                   system: str = "icd10cm", on: object = None,
                   prefix: str | None = None) -> DataFrame:
    """``df`` with the columns ``<prefix>valid``, ``<prefix>error``, ``<prefix>message``,
    ``<prefix>fix`` and ``<prefix>title`` (:data:`VALIDATION_DDL`; ``prefix`` defaults to
    ``"<code>_"``): the validation of the ``code`` column's codes of ``system`` on the
    ``date`` column's dates, or on ``on`` (see :func:`validation`)::

        checked = codekit.spark.validate_codes(lines, "hcpcs", "service_date",
                                               system="procedure")
        checked.where("not hcpcs_valid").groupBy("hcpcs_error").count()
    """
    if not isinstance(df, DataFrame):
        raise InvalidArgument(f"df={type(df).__name__}: expected a Spark DataFrame")
    if code not in df.columns:
        raise InvalidArgument(f"code={code!r}: no such column")
    if date is not None and date not in df.columns:
        raise InvalidArgument(f"date={date!r}: no such column")
    prefix = f"{code}_" if prefix is None else prefix
    clash = [f"{prefix}{name}" for name, _ in VALIDATION_COLUMNS
             if f"{prefix}{name}" in df.columns]
    if clash:
        raise InvalidArgument(f"column(s) {', '.join(clash)} exist already: pass prefix=")
    tmp = f"__codekit_{hashlib.sha256(prefix.encode()).hexdigest()[:12]}"
    # the columns by their names, whatever they hold ("dx.1" is a column, not a field),
    # as PySpark can hand them to pandas (_convertible)
    fields = _fields(df)
    out = df.withColumn(tmp, validation(
        _convertible(code, fields[code]),
        None if date is None else _convertible(date, fields[date], day=True),
        system=system, on=on))
    return out.select("*", *[F.col(f"{tmp}.{name}").alias(f"{prefix}{name}")
                             for name, _ in VALIDATION_COLUMNS]).drop(tmp)


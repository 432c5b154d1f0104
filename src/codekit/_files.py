"""Reading the tabular files users download from CMS: text, CSV, gzip, xlsx.

Every loader reports a malformed row with the file and the line it is on. With
``errors="raise"`` (the default) the first one raises :class:`MalformedFile`; with
``errors="collect"`` the loader keeps going and the table it returns lists them in
``problems``. Rows are never dropped silently.

>>> parse_date("20241231"), parse_date("2024-12-31"), parse_date("*"), parse_date("2024366")
(datetime.date(2024, 12, 31), datetime.date(2024, 12, 31), None, datetime.date(2024, 12, 31))
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gzip
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs

from .errors import DataError, InvalidArgument, MalformedFile

C = TypeVar("C")

__all__ = [
    "MalformedFile",
    "Problems",
    "RowProblem",
    "check_errors_arg",
    "iter_rows",
    "norm_header",
    "open_rows",
    "open_text",
    "parse_date",
    "rows_after_header",
]

csv.field_size_limit(1 << 24)


@attrs.frozen
class RowProblem:
    """A row that could not be read: where it is, why, and what it said."""

    path: str
    line: int
    reason: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def check_errors_arg(errors: str) -> str:
    if errors not in ("raise", "collect"):
        raise InvalidArgument(f"errors={errors!r}: expected 'raise' or 'collect'")
    return errors


class Problems:
    """Collects (or raises) row problems for one file."""

    def __init__(self, path: str | os.PathLike[str], errors: str = "raise") -> None:
        self.path = str(path)
        self.errors = check_errors_arg(errors)
        self.items: list[RowProblem] = []

    def add(self, line: int, reason: str, cells: Any = "") -> None:
        text = "\t".join(cells) if isinstance(cells, list | tuple) else str(cells)
        problem = RowProblem(self.path, line, reason, text[:200])
        if self.errors == "raise":
            raise MalformedFile(f"{problem} (row: {problem.text!r})", path=self.path,
                                line=line, reason=reason)
        self.items.append(problem)

    def fail(self, reason: str) -> DataError:
        """A whole-file problem (no header found, wrong kind of file)."""
        return DataError(f"{self.path}: {reason}")


# --------------------------------------------------------------------------------------
# dates

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_NONE = frozenset({"", "*", "99991231", "9999-12-31", "12/31/9999", "9999999", "NULL", "NA",
                   "N/A"})
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str) -> dt.date | None:
    """A date from the ways CMS files write them; None for "none" (``*``, blank, 9999...).

    Accepts ``YYYYMMDD``, ``YYYY-MM-DD``, ``M/D/YYYY``, Julian ``YYYYDDD`` (add-on code
    files) and Excel serial numbers. Raises ValueError for anything else.
    """
    try:
        return _parse_date(text)
    except OverflowError:
        raise ValueError(f"not a date: {text!r}") from None


def _parse_date(text: str) -> dt.date | None:
    t = text.strip().strip('"')
    if t.endswith(".0"):
        t = t[:-2]
    if t.upper() in _NONE:
        return None
    if t.isdigit():
        if len(t) == 8:
            return dt.date(int(t[:4]), int(t[4:6]), int(t[6:]))
        if len(t) == 7:
            return dt.date(int(t[:4]), 1, 1) + dt.timedelta(days=int(t[4:]) - 1)
        if len(t) == 5 and 20000 <= int(t) <= 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(t))
        raise ValueError(f"not a date: {text!r}")
    m = _ISO.fullmatch(t[:10]) if len(t) >= 8 else None
    if m is not None and (len(t) == 10 or t[10:11] in (" ", "T")):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _US.fullmatch(t.split(" ")[0]):
        return dt.date(int(m[3]), int(m[1]), int(m[2]))
    raise ValueError(f"not a date: {text!r}")


# --------------------------------------------------------------------------------------
# files


@contextlib.contextmanager
def open_text(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text stream over ``path`` (gzip when it ends in .gz), UTF-8 or else Latin-1."""
    p = Path(path)
    with contextlib.ExitStack() as stack:
        raw: gzip.GzipFile | io.BufferedReader
        try:
            if p.suffix.lower() == ".gz":
                raw = stack.enter_context(gzip.open(p, "rb"))
            else:
                raw = stack.enter_context(open(p, "rb"))
        except OSError as e:
            raise DataError(f"cannot read {p}: {e}") from e
        try:
            head = raw.read(1 << 16)
            raw.seek(0)
        except (OSError, EOFError) as e:
            raise DataError(f"cannot read {p}: {e}") from e
        encoding = "utf-8-sig"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            # A multi-byte character cut at the end of the sample is still UTF-8.
            if e.start < len(head) - 4:
                encoding = "latin-1"
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        try:
            yield stream
        finally:
            stream.detach()


def _is_xlsx(path: Path) -> bool:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04" and path.suffix.lower() not in (".zip", ".gz")
    except OSError:
        return False


def _sniff(sample: str) -> str:
    lines = sample.splitlines()[:400]
    tabs = sum(line.count("\t") for line in lines)
    commas = sum(line.count(",") for line in lines)
    pipes = sum(line.count("|") for line in lines)
    if tabs and tabs >= commas / 4:
        return "\t"
    if pipes > commas:
        return "|"
    return ","


class RowSource:
    """Rows of cells from a file; ``line`` is the line (or sheet row) of the last row read."""

    def __init__(self, rows: Iterator[list[str]], line: Any) -> None:
        self._rows = rows
        self._line = line

    def __iter__(self) -> Iterator[list[str]]:
        return self._rows

    @property
    def line(self) -> int:
        return int(self._line())


@contextlib.contextmanager
def open_rows(path: str | os.PathLike[str]) -> Iterator[RowSource]:
    """The rows of a delimited text file or of the first sheet of an xlsx workbook.

    The delimiter (tab, comma or pipe) is guessed from the start of the file; comma files
    may quote fields (CMS MUE files quote their multi-line copyright notice).
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"no such file: {p}")
    if _is_xlsx(p):
        from ._xlsx import iter_rows as xlsx_rows

        state = [0]

        def gen() -> Iterator[list[str]]:
            for n, cells in xlsx_rows(p):
                state[0] = n
                yield cells

        yield RowSource(gen(), lambda: state[0])
        return
    with open_text(p) as f:
        try:
            sample = f.read(1 << 16)
        except (OSError, EOFError) as e:
            raise DataError(f"cannot read {p}: {e}") from e
    delim = _sniff(sample)
    with open_text(p) as f:
        if delim == "\t":
            reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        else:
            reader = csv.reader(f, delimiter=delim)

        def checked() -> Iterator[list[str]]:
            try:
                yield from reader
            except (csv.Error, OSError, EOFError) as e:
                raise DataError(f"{p}:{reader.line_num}: cannot read: {e}") from e

        yield RowSource(checked(), lambda: reader.line_num)


def iter_rows(path: str | os.PathLike[str]) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` for each row of a delimited text file or an xlsx sheet."""
    with open_rows(path) as src:
        for cells in src:
            yield src.line, cells


def rows_after_header(
    path: str | os.PathLike[str], find_columns: Callable[[list[str]], C | None],
    probs: Problems, missing: str,
) -> Iterator[tuple[int, list[str], C]]:
    """``(line number, cells, columns)`` for each non-blank row after the first row that
    ``find_columns`` recognises as the header (CMS files open with a copyright notice or
    other preamble). When no row is, ``probs.fail(missing)`` is raised at the end."""
    cols: C | None = None
    for line, cells in iter_rows(path):
        if not any(c.strip() for c in cells):
            continue
        if cols is None:
            cols = find_columns(cells)
            continue
        yield line, cells, cols
    if cols is None:
        raise probs.fail(missing)


def norm_header(cell: str) -> str:
    """A header cell reduced to lower-case letters and digits: ``"HCPCS/\\nCPT Code"`` →
    ``"hcpcscptcode"``."""
    return re.sub(r"[^a-z0-9]", "", cell.lower())

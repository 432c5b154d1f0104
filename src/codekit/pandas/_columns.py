"""Validating a column of codes against a column of dates (or one date), in bulk.

Each distinct (code, date) question is answered once. For ICD-10-CM the dates are first
grouped into :class:`codekit.icd10cm.DateView` classes (dates on which every code gets the
same answer), so a million rows over ten years are a few hundred thousand distinct
questions at most, most of them a dictionary look-up; validity itself is worked out for
the whole column at once from the validity masks. Other systems answer each distinct
(code, date) pair through :func:`codekit.cells.check`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _cache, cells, codesystem
from .._dates import coerce_date
from ..errors import InvalidArgument, NotBillable, NotValidOnDate, ValidationError

__all__ = ["COLUMNS", "validate"]

#: The result columns, in order.
COLUMNS = ("code", "valid", "billable", "rule", "message", "fix", "title", "release", "note")

DATE_INVALID = "DATE_INVALID"
_EPOCH = dt.date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min
_UNSEEN: Any = object()
_CACHE_MAX = 200_000
#: (cell, date view, suggest) -> the answer. A column's distinct invalid cells each hold
#: their message and did-you-means (about 1 KB): 64 MiB keeps the 50,000 distinct codes of a
#: realistic column over ten years of dates, so a second call recomputes nothing.
_ANSWERS: dict[tuple[str, Any, bool], Answer] = _cache.owned(
    "pandas.answers", {}, max_entries=_CACHE_MAX, max_bytes=64 << 20)
_NO_FIX = np.empty(1, dtype=object)
_NO_FIX[0] = ()
#: cell -> (compact code, validity mask, dotted code, row in the shared title table):
#: about 400 bytes an entry as counted, so 32 MiB keep the 74,000 codes ever valid.
_CODES: dict[str, tuple[Any, int, Any, int]] = _cache.owned("pandas.codes", {},
                                                            max_bytes=32 << 20)
#: title table id -> its long titles as decoded so far (None: not yet): at most one table,
#: about 10 MB when every title has been asked for.
_DECODED: dict[str, np.ndarray] = _cache.owned("pandas.titles", {})
#: Cells longer than this are never handed to the code systems' caches.
_MAX_KEY = 64

#: One answer: (code, valid, billable, rule, message, fix, title, release, note).
Answer = tuple[str | None, bool, bool, str | None, str | None, tuple[str, ...], str | None,
               str | None, str | None]


# -- inputs -----------------------------------------------------------------------------------


def _values(codes: object) -> tuple[Any, pd.Index]:
    """The codes as something pandas can factorize, and the index of the result."""
    if isinstance(codes, pd.Series):
        return codes, codes.index
    if isinstance(codes, pd.DataFrame):
        raise InvalidArgument("codes: expected one column (a Series), got a DataFrame; "
                              "use df.codekit.validate(column, ...)")
    if isinstance(codes, pd.Index):
        return codes, pd.RangeIndex(len(codes))
    if isinstance(codes, str | bytes) or not hasattr(codes, "__len__"):
        raise InvalidArgument(f"codes: expected a column of codes (a Series, a list...), "
                              f"got {type(codes).__name__}")
    values = codes if isinstance(codes, np.ndarray | pd.Categorical) else \
        _object_array(codes)  # type: ignore[arg-type]
    return values, pd.RangeIndex(len(values))


def _object_array(items: Sequence[object]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, v in enumerate(items):  # not np.array(items): it would split nested lists
        out[i] = v
    return out


def _factorize(values: Any) -> tuple[np.ndarray, list[object]]:
    """(per-row index into the distinct values, -1 for a missing one; the distinct values,
    NumPy numbers as Python numbers).

    Unhashable cells (a list in a cell) are each their own value."""
    try:
        idx, uniq = pd.factorize(values, use_na_sentinel=True)
        # text only (the usual column): nothing to turn into Python numbers
        plain = pd.api.types.infer_dtype(uniq, skipna=True) in ("string", "empty")
        return np.asarray(idx, dtype=np.int64), \
            list(uniq) if plain else [_python(u) for u in uniq]
    except TypeError:
        pass
    keys = []
    for i, v in enumerate(np.asarray(values, dtype=object)):
        try:
            hash(v)
            keys.append(v)
        except TypeError:
            keys.append(_Unhashable(i, v))
    idx, uniq = pd.factorize(_object_array(keys), use_na_sentinel=True)
    return np.asarray(idx, dtype=np.int64), [_python(u.value if isinstance(u, _Unhashable)
                                                     else u) for u in uniq]


def _hint(raw: object, column: object) -> str:
    """:func:`date_hint`, never raising (a hostile object's own exception: no hint)."""
    try:
        return date_hint(raw, column)
    except Exception:
        return ""


def _python(value: object) -> object:
    """A NumPy number as the Python number it is (an ``Int64`` column's cells, a number in
    an object column, ``float32``; a ``boolean`` column's cells): read as a plain int,
    float or bool is."""
    if isinstance(value, np.integer | np.floating | np.bool_):
        return value.item()
    return value


#: The last day an Excel serial date can name (9999-12-31), and its day 0 (Excel's 1900
#: date system, which counts 1900-02-29: pandas' ``origin='1899-12-30'``).
_EXCEL_LAST, _EXCEL_ORIGIN = 2_958_465, dt.date(1899, 12, 30)
#: A date written month/day/year (or day/month/year: the text cannot say which).
_SLASHED = re.compile(r"\s*[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\s*")


def date_hint(raw: object, column: object = None) -> str:
    """How to turn a date cell that is not read (it is not a date, nor ISO text) into one
    that is, where its shape says: text written with slashes (month/day/year in the US),
    a whole number of eight digits (year, month, day: a CSV of X12 dates read as
    integers), or a number that may be an Excel serial date; each converted with
    ``pd.to_datetime`` as the caller means it (``column``: the name of the cell's column,
    shown in the call); else ``""``.

    >>> date_hint(45964)[:70]
    '; a number is not a date: if it is an Excel serial date (45964 is 2025'
    >>> date_hint(20251103, "dos")[-54:]
    "pd.to_datetime(df['dos'].astype(str), format='%Y%m%d')"
    """
    v = _python(raw)
    cells = "column" if column is None else f"df[{str(column)!r}]"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and not isinstance(v, bool) and 10_000_101 <= v <= 99_991_231:
        return ("; a number is not a date: if it is year, month and day (20251103), "
                f"convert the column first, pd.to_datetime({cells}.astype(str), "
                "format='%Y%m%d')")
    if isinstance(v, str) and _SLASHED.fullmatch(v):
        return ("; a date written with slashes is not read (03/11/2025 is March 11 in the "
                "US, 3 November elsewhere): convert the column first, "
                f"pd.to_datetime({cells}, format='%m/%d/%Y')")
    if isinstance(v, int | float) and not isinstance(v, bool) and v == v and \
            1 <= v <= _EXCEL_LAST:
        day = _EXCEL_ORIGIN + dt.timedelta(days=int(v))
        return (f"; a number is not a date: if it is an Excel serial date ({v} is "
                f"{day.isoformat()}), convert the column first, pd.to_datetime({cells}, "
                "unit='D', origin='1899-12-30')")
    return ""


class _Unhashable:
    __slots__ = ("i", "value")

    def __init__(self, i: int, value: object) -> None:
        self.i, self.value = i, value

    def __hash__(self) -> int:
        return hash(("unhashable", self.i))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unhashable) and other.i == self.i


class _Dates:
    """The dates of service: per row an index into ``days`` (a date, or the reason there
    is none)."""

    def __init__(self, on: object, n: int) -> None:
        self.days: list[dt.date | str] = []
        if on is None or _is_scalar(on):
            self.days.append(_scalar_date(on))  # a bad scalar date raises: the caller's
            self.index = np.zeros(n, dtype=np.int64)
            return
        series = on if isinstance(on, pd.Series) else pd.Series(
            on if isinstance(on, np.ndarray | pd.Index) else _object_array(list(on)),  # type: ignore[call-overload]
            dtype=None)
        if len(series) != n:
            raise InvalidArgument(f"on: {len(series)} dates for {n} codes; give one date, "
                                  "or one a code")
        series = local_time(series)  # each date in its own time zone
        if str(getattr(series.dtype, "pyarrow_dtype", "")).startswith("date"):
            # pyarrow dates (read_parquet, dtype_backend="pyarrow"): NumPy cannot take
            # them as datetime64 directly
            series = series.astype("datetime64[s]")
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            try:
                days = series.to_numpy("datetime64[D]").astype(np.int64)
            except (TypeError, ValueError, OverflowError):
                days = None  # a datetime type NumPy cannot take: value by value
            if days is not None:
                self._from_days(days)
                return
        self._from_values(series)

    def _from_days(self, ints: np.ndarray) -> None:
        missing = ints == _NAT
        ok = ints[~missing]
        self.index = np.full(len(ints), -1, dtype=np.int64)
        if len(ok):
            lo = int(ok.min())
            present = np.flatnonzero(np.bincount(ok - lo))
            table = np.full(len(present) and int(present[-1]) + 1, -1, dtype=np.int64)
            for j, offset in enumerate(present):
                table[offset] = j
                self.days.append(dt.date.fromordinal(int(offset) + lo + _EPOCH))
            self.index[~missing] = table[ok - lo]
        if missing.any():
            self.index[missing] = len(self.days)
            self.days.append("the date of service is missing")

    def _from_values(self, series: pd.Series) -> None:
        idx, uniq = _factorize(series)
        table = np.empty(len(uniq) + 1, dtype=np.int64)
        seen: dict[object, int] = {}
        for j, raw in enumerate([*uniq, None]):
            try:
                day: dt.date | str = _period_day(raw) if isinstance(raw, pd.Period) else \
                    coerce_date(raw, "date") if not cells._missing(raw) \
                    else "the date of service is missing"
            except Exception:  # InvalidArgument, or a hostile object's own exception
                day = (f"not a date of service: {_short(raw)} (expected YYYY-MM-DD or an "
                       f"ISO date-time){_hint(raw, series.name)}")
            k = seen.get(day)
            if k is None:
                k = seen[day] = len(self.days)
                self.days.append(day)
            table[j] = k
        self.index = table[idx]  # idx -1 (missing) picks the last entry: None


def local_time(series: pd.Series) -> pd.Series:
    """Datetimes with a time zone as the wall time in their zone, so that each is read at
    its own date (``2025-09-30 23:30-07:00`` is 2025-09-30, not the UTC 2025-10-01):
    NumPy's ``datetime64[.., tz]`` and pyarrow's ``timestamp[.., tz=...]`` (what
    ``read_parquet`` gives for a column with a zone); any other series as it is."""
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return series.dt.tz_localize(None)
    if getattr(getattr(dtype, "pyarrow_dtype", None), "tz", None) is not None:
        try:
            return series.dt.tz_localize(None)
        except (AttributeError, NotImplementedError, TypeError, ValueError):
            return series.astype(object)  # read value by value, each in its zone
    return series


def _period_day(p: pd.Period) -> dt.date | str:
    """A pandas Period as a date of service: the day it lies in (a daily, hourly...
    period), or why not (a month, a week: more than one day)."""
    start = p.start_time
    if start.date() == p.end_time.date():
        return start.date()
    return (f"not a date of service: {p} is a period of more than one day (freq "
            f"{p.freqstr}); give the day of service")


def _scalar_date(on: object) -> dt.date:
    """One date for every row; a malformed one raises: the caller's mistake."""
    if isinstance(on, pd.Period):
        day = _period_day(on)
        if isinstance(day, str):
            raise InvalidArgument(f"on={on!r}: {day}")
        return day
    return coerce_date(on)


def _aligned(on: pd.Series, index: pd.Index) -> pd.Series:
    """The dates of a Series of dates paired with the codes by index label, as pandas
    pairs two Series (by position when the indexes are the same)."""
    if on.index.equals(index):
        return on
    if not on.index.is_unique:
        raise InvalidArgument("on: its index differs from the codes' and has repeated "
                              "labels, so the dates cannot be paired with the codes by "
                              "label; give them the codes' index")
    lacking = index.difference(on.index) if index.is_unique else \
        index[~index.isin(on.index)].unique()
    if len(lacking):
        shown = ", ".join(_short(v) for v in lacking[:3])
        raise InvalidArgument(f"on: no date for the code(s) labelled {shown}"
                              f"{'...' if len(lacking) > 3 else ''} (the dates are paired "
                              "with the codes by index label): give a date for every code")
    return on.reindex(index)


def _is_scalar(on: object) -> bool:
    return isinstance(on, str | dt.date | np.datetime64) or not hasattr(on, "__len__")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- answers ----------------------------------------------------------------------------------


class _Answers:
    """Per distinct question, an :data:`Answer`; then the columns, row by row."""

    def __init__(self, system: str, suggest: bool) -> None:
        self.system = system
        self.mod = codesystem.get(system)
        self.suggest = suggest
        self.readings: dict[int, cells.Reading] = {}

    def reading(self, c: int, raw: object) -> cells.Reading:
        r = self.readings.get(c)
        if r is None:
            r = self.readings[c] = cells.read(raw, self.system)
        return r

    def problem(self, rule: str, message: str) -> Answer:
        return (None, False, False, rule, message, (), None, None, None)

    def cell(self, raw: object, day: dt.date) -> Answer:
        """The answer of :func:`codekit.cells.check` (any system, any cell)."""
        c = cells.check(raw, system=self.system, on=day, suggest=self.suggest)
        entries = c.entries
        fix = c.fix if self.suggest or c.rule not in _SUGGESTED else ()
        if c.valid:
            titles = [e.title for e in entries]
            title = " | ".join(t or "" for t in titles) if len(titles) > 1 else titles[0]
            releases = {e.release for e in entries}
            # the cell's note says what was forgiven and, for a date past the data, so
            # (an entry not covered says it again in its own note)
            notes = [n for n in (c.note, *(e.note for e in entries if e.covered)) if n]
            return (", ".join(c.codes), True, True, None, None, (), title,
                    ", ".join(sorted(r for r in releases if r)) or None,
                    " ".join(notes) or None)
        title = None
        if len(c.codes) == 1 and c.rule in _HAS_ENTRY:
            title = self.title_of(c.codes[0], day)
        shown = [_format(self.mod, code) for code in c.codes]
        code = None if None in shown or not shown else ", ".join(x for x in shown if x)
        return (code, False, False, c.rule, c.message, fix, title, None, c.note)

    def title_of(self, code: str, day: dt.date) -> str | None:
        try:
            title = self.mod.lookup(code, on=day).title
            return None if title is None else str(title)
        except ValidationError:
            return None


#: Errors whose code has an entry (a title) on some date; and those whose fix is a
#: did-you-mean (costly: computed only with suggest=True).
_HAS_ENTRY = frozenset({"DX_NOT_BILLABLE", "DX_NOT_VALID_ON_DOS", "PROC_NOT_VALID_ON_DOS",
                        "MOD_INVALID", cells.DX_ATTACHED, cells.PROC_ATTACHED})
_SUGGESTED = frozenset({"DX_CODE_UNKNOWN", "PROC_CODE_UNKNOWN", "DX_FORMAT_INVALID",
                        "PROC_FORMAT_INVALID", "MOD_INVALID"})


def validate(codes: object, on: object = None, *, system: str = "icd10cm",
             suggest: bool = True) -> pd.DataFrame:
    """See :func:`codekit.pandas.validate`."""
    if not isinstance(suggest, bool):
        raise InvalidArgument(f"suggest={suggest!r}: expected True or False")
    answers = _Answers(system, suggest)  # an unknown system raises here
    values, index = _values(codes)
    cidx, cuniq = _factorize(values)
    if isinstance(codes, pd.Series) and isinstance(on, pd.Series):
        on = _aligned(on, codes.index)
    dates = _Dates(on, len(cidx))
    if system == "icd10cm":
        frame = _icd10cm(answers, cidx, cuniq, dates)
    else:
        frame = _generic(answers, cidx, cuniq, dates)
    frame.index = index
    return frame


def _generic(answers: _Answers, cidx: np.ndarray, cuniq: list[object],
             dates: _Dates) -> pd.DataFrame:
    """Any code system: each distinct (code, date) through :func:`cells.check`."""
    nd = len(dates.days) + 1
    key = (cidx + 1) * nd + dates.index
    pidx, pkeys = pd.factorize(key)
    out: list[Answer] = []
    for k in np.asarray(pkeys).tolist():
        c, d = divmod(k, nd)
        c -= 1
        day = dates.days[d]
        if c < 0:
            out.append(answers.problem(cells.MISSING, "the cell is empty: no code"))
        elif isinstance(day, str):
            out.append(_date_problem(answers, c, cuniq[c], day))
        else:
            out.append(answers.cell(cuniq[c], day))
    return _frame(out, np.asarray(pidx, dtype=np.int64))


def _date_problem(answers: _Answers, c: int, raw: object, why: str) -> Answer:
    r = answers.reading(c, raw)
    shown = None
    if r.problem is None:
        parts = [_format(answers.mod, code) for code in r.codes]
        shown = None if None in parts else ", ".join(p for p in parts if p)
    return (shown, False, False, DATE_INVALID, why, (), None, None, r.note)


def _format(mod: Any, code: str) -> str | None:
    try:
        return str(mod.format(code))
    except ValidationError:
        return None


def _icd10cm(answers: _Answers, cidx: np.ndarray, cuniq: list[object],
             dates: _Dates) -> pd.DataFrame:
    """ICD-10-CM: dates grouped into date views; validity of every row from the validity
    masks at once; the titles of the valid rows from the shared title table at once;
    everything else once per (code, view).
    """
    from .. import icd10cm

    views: list[Any] = []  # the distinct date views, then the date problems (text)
    view_ids: dict[int, int] = {}
    class_of_day = np.empty(len(dates.days), dtype=np.int64)
    for j, day in enumerate(dates.days):
        if isinstance(day, str):
            class_of_day[j] = len(views)
            views.append(day)
            continue
        dv = icd10cm.date_view(day)
        k = view_ids.get(id(dv))
        if k is None:
            k = view_ids[id(dv)] = len(views)
            views.append(dv)
        class_of_day[j] = k
    n = len(cidx)
    kidx = class_of_day[dates.index] if len(views) else np.zeros(n, dtype=np.int64)
    dvs = [v for v in views if not isinstance(v, str)]
    # per view: its validity period (-1: nothing is valid), its release
    releases: list[Any] = []
    rel_ids: dict[str, int] = {}
    period_k = np.full(len(views) + 1, -1, dtype=np.int64)
    rel_k = np.zeros(len(views) + 1, dtype=np.int64)
    last = icd10cm.coverage()[1]
    note_k = np.empty(len(views) + 1, dtype=object)
    for k, v in enumerate(views):
        if isinstance(v, str):
            continue
        period_k[k] = v.period
        r = rel_ids.get(v.release.id)
        if r is None:
            r = rel_ids[v.release.id] = len(releases)
            releases.append(v.release)
        rel_k[k] = r
        note_k[k] = _class_note(v, last)
    # per distinct code: its compact form, validity mask, dotted form, title-table row
    masks = dvs[0].masks if dvs else {}
    layouts = [rel.title_layout() for rel in releases]
    shared = next((got[0] for got in layouts if got is not None), None)
    infos: list[tuple[Any, int, Any, int]] = []
    known = _CODES.get
    unusual: list[int] = []  # codes ever valid written with characters beyond ASCII
    for c, raw in enumerate(cuniq):
        if not isinstance(raw, str) or len(raw) > _MAX_KEY:
            infos.append(_NO_CODE)
            continue
        if type(raw) is not str:
            raw = cuniq[c] = str(raw)  # NumPy's str_: its text
        got = known(raw)
        if got is None:
            got = _CODES[raw] = _code_info(raw, masks, shared)
        infos.append(got)
        if not raw.isascii() and got[1]:
            unusual.append(c)
    keys: list[str | None] = [i[0] for i in infos]
    mask_c = np.zeros(len(infos) + 1, dtype=np.uint64)  # the last: a missing cell
    mask_c[:-1] = np.fromiter((i[1] for i in infos), dtype=np.uint64, count=len(infos))
    dotted = np.empty(len(infos), dtype=object)
    dotted[:] = [i[2] for i in infos]
    jc = np.fromiter((i[3] for i in infos), dtype=np.int64, count=len(infos))
    periods = period_k[kidx]
    valid = (periods >= 0) & \
        ((mask_c[cidx] >> np.maximum(periods, 0).astype(np.uint64)) & np.uint64(1)
         ).astype(bool)
    # the valid rows: their titles, each distinct title decoded once
    vrows = np.flatnonzero(valid)
    vc, vk = cidx[vrows], kidx[vrows]
    row_titles, lacking = _titles(vc, rel_k[vk], releases, layouts, keys, jc, shared)
    for row in lacking.tolist():
        # a code the date's release lacks (valid by the MCE table): the nearest that has it
        hit = views[int(vk[row])].resolve(cuniq[int(vc[row])])
        row_titles[row] = (hit.title or None) if hit is not False else None
    columns = {name: np.full(n, None, dtype=object) for name in COLUMNS
               if name not in ("valid", "billable")}
    columns["code"][vrows] = dotted[vc]
    columns["title"][vrows] = row_titles
    columns["release"][vrows] = np.asarray([r.id for r in releases], dtype=object)[rel_k[vk]] \
        if releases else None
    columns["note"][vrows] = note_k[vk]
    if unusual:
        _cell_notes(answers, unusual, cuniq, columns["note"], vrows, vc)
    columns["fix"] = np.repeat(_NO_FIX, n)
    # the other rows: one answer per (code, view)
    irows = np.flatnonzero(~valid)
    if len(irows):
        nk = len(views) + 1
        pidx, pkeys = pd.factorize((cidx[irows] + 1) * nk + kidx[irows])
        out: list[Answer] = []
        for key2 in np.asarray(pkeys).tolist():
            c, k = divmod(key2, nk)
            out.append(_icd_answer(answers, c - 1, cuniq, views, k))
        pidx = np.asarray(pidx, dtype=np.int64)
        for j, name in enumerate(COLUMNS):
            if name in ("valid", "billable"):
                continue
            arr = np.fromiter((a[j] for a in out), dtype=object, count=len(out))
            columns[name][irows] = arr[pidx]
        good = np.fromiter((a[1] for a in out), dtype=bool, count=len(out))
        valid[irows] = good[pidx]
        _redate(columns["message"], irows, out, pidx, dates, views, kidx[irows])
    return _assemble(columns, valid)


def _cell_notes(answers: _Answers, unusual: list[int], cuniq: list[object],
                notes: np.ndarray, vrows: np.ndarray, vc: np.ndarray) -> None:
    """The valid rows (``vrows``, their distinct codes ``vc``) whose cell says what was
    forgiven to read it get that note before the date's: an invisible character in it,
    the one quirk the validity masks read past that :func:`codekit.cells.read` notes
    (``unusual``: the distinct codes ever valid written with characters beyond ASCII)."""
    noted: dict[int, str] = {}
    for c in unusual:
        note = answers.reading(c, cuniq[c]).note
        if note:
            noted[c] = note
    if not noted:
        return
    for row in np.flatnonzero(np.isin(vc, list(noted))).tolist():
        k = vrows[row]
        notes[k] = " ".join(n for n in (noted[int(vc[row])], notes[k]) if n)


def _code_info(raw: str, masks: Any, shared: Any) -> tuple[Any, int, Any, int]:
    """A cell's (compact code, validity mask, dotted code, row in the shared title table);
    (None, 0, None, -1) for a cell that is no code ever valid."""
    from .. import icd10cm

    key: str | None = raw
    m = masks.get(raw)
    if m is None and len(raw) > 4 and raw[3] == ".":
        key = raw[:3] + raw[4:]
        m = masks.get(key)
    if m is None:
        try:
            key = icd10cm.compact(raw)
        except ValidationError:
            return _NO_CODE
        m = masks.get(key)
    if not m or key is None:
        return _NO_CODE
    j = shared.index.get(key, -1) if shared is not None else -1
    return key, m, key if len(key) == 3 else key[:3] + "." + key[3:], j


_NO_CODE: tuple[Any, int, Any, int] = (None, 0, None, -1)


def _titles(codes: np.ndarray, rels: np.ndarray, releases: list[Any],
            layouts: list[tuple[Any, bytes, dict[int, int]] | None],
            keys: list[str | None], jc: np.ndarray, shared: Any
            ) -> tuple[np.ndarray, np.ndarray]:
    """The long title of each (distinct code ``codes[i]``, release ``releases[rels[i]]``)
    row, and the rows with none (the release lacks the code): the string row of every row
    worked out on the whole column at once from the releases' layout on the shared title
    table (``layouts``: each release's ``title_layout()``; ``jc``: each distinct code's row
    in the table), each distinct string decoded once."""
    out = np.full(len(codes), None, dtype=object)
    lacking = np.ones(len(codes), dtype=bool)
    # a release on the shared table: (its rows, its title overrides); else None
    on_table = [(got[1], got[2]) if got is not None and got[0] is shared else None
                for got in layouts]
    if shared is not None:
        jrow = jc[codes]
        # each row's string row in the shared table (-1: the release lacks the code),
        # worked out for the rows of each release used (not the whole table: a call over
        # ten cells costs ten cells)
        sid = np.full(len(codes), -1, dtype=np.int64)
        for r in np.unique(rels).tolist():
            layout = on_table[r]
            if layout is None:
                continue
            present, over = layout
            sel = np.flatnonzero((rels == r) & (jrow >= 0))
            j = jrow[sel].astype(np.int64)
            ids = j.copy()
            if over:
                keys_ = np.fromiter(over.keys(), dtype=np.int64, count=len(over))
                order = np.argsort(keys_)
                keys_ = keys_[order]
                vals = np.fromiter(over.values(), dtype=np.int64, count=len(over))[order]
                pos = np.minimum(np.searchsorted(keys_, j), len(keys_) - 1)
                hit = keys_[pos] == j
                ids[hit] = vals[pos[hit]]
            sid[sel] = np.where(np.frombuffer(present, dtype=np.uint8)[j] != 0, ids, -1)
        have = np.flatnonzero(sid >= 0)
        if len(have):
            idx, uniq = pd.factorize(sid[have])
            out[have] = _decoded(shared, np.asarray(uniq, dtype=np.int64))[idx]
            lacking[have] = False
    for r, layout in enumerate(on_table):
        if layout is not None:
            continue
        # a release with titles of its own: once per distinct code
        sel = np.flatnonzero(rels == r)
        if len(sel):
            uniq, inv = np.unique(codes[sel], return_inverse=True)
            found = np.empty(len(uniq), dtype=object)
            found[:] = releases[r].long_titles([keys[c] for c in uniq.tolist()])
            out[sel] = found[inv]
            lacking[sel] = np.fromiter((t is None for t in found[inv]), dtype=bool,
                                       count=len(sel))
    return out, np.flatnonzero(lacking)


def _decoded(shared: Any, ids: np.ndarray) -> np.ndarray:
    """The strings ``ids`` of the shared title table, decoded once per table and kept: a
    column of the same codes again costs an array look-up."""
    column = _DECODED.get(shared.id)
    if column is None:
        column = np.full(len(shared.long), None, dtype=object)
        _DECODED.clear()  # one title table at a time
        _DECODED[shared.id] = column
    got = column[ids]
    new = np.flatnonzero(pd.isna(got))
    if len(new):
        strings = shared.long
        fresh = np.empty(len(new), dtype=object)
        fresh[:] = [strings[k] for k in ids[new].tolist()]
        column[ids[new]] = fresh
        got[new] = fresh
    return got


def _icd_answer(answers: _Answers, c: int, cuniq: list[object], views: list[Any],
                k: int) -> Answer:
    if c < 0:
        return answers.problem(cells.MISSING, "the cell is empty: no code")
    raw = cuniq[c]
    view = views[k]
    if isinstance(view, str):
        return _date_problem(answers, c, raw, view)
    if type(raw) is not str or len(raw) > _MAX_KEY:
        return answers.cell(raw, view.day)
    key = (raw, view, answers.suggest)
    found = _ANSWERS.get(key)
    if found is None:
        r = answers.reading(c, raw)
        if r.as_written and r.attached is None and \
                (view.period < 0 or view.resolve(raw) is False):
            found = _icd_error(answers, raw, view)
        else:
            found = answers.cell(raw, view.day)
        if len(_ANSWERS) >= _CACHE_MAX:
            _ANSWERS.clear()
        _ANSWERS[key] = found
    return found


def _assemble(columns: dict[str, np.ndarray], valid: np.ndarray) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for name in COLUMNS:
        if name in ("valid", "billable"):
            data[name] = valid if name == "valid" else valid.copy()
        else:
            data[name] = pd.Series(columns[name], dtype=object, copy=False)
    return pd.DataFrame(data, copy=False)


def _class_note(view: Any, last: dt.date) -> str | None:
    # a class of dates is on one side of the data's end (icd10cm.date_view), so its first
    # date says it for all
    if view.day > last:
        return (f"the date is after the last date codekit's ICD-10-CM data describes "
                f"({last}): answered as of then; add the newer CDC/CMS release (codekit "
                "data add)")
    if not view.exact:
        return (f"no release of the date's fiscal year is bundled: title from "
                f"{view.release.label}; validity from the CMS MCE table")
    return None


def _icd_error(answers: _Answers, raw: str, view: Any) -> Answer:
    err = view.error(raw, view.day)
    code: str | None = None
    title = None
    if isinstance(err, NotBillable | NotValidOnDate):
        try:
            from .. import icd10cm

            entry = icd10cm.lookup(raw, on=view.day)
            code, title = entry.dotted, entry.title
        except ValidationError:
            pass
    if code is None:
        try:
            code = str(answers.mod.format(raw))
        except ValidationError:
            code = None
    fix = tuple(err.fix) if answers.suggest or err.code not in _SUGGESTED else ()
    return (code, False, False, err.code, str(err), fix, title, view.release.id, None)


@functools.lru_cache(maxsize=256)
def _at_dos(day: str) -> re.Pattern[str]:
    """Where a validity message names ``day`` as the date of service (and, on a date
    past the data, where it says so: ``2031-01-01 is after the last date``)."""
    return re.compile(r"(?:(?<=valid on )|(?<=: on )|(?<=service of )|(?<=code set of ))"
                      + re.escape(day) + "|" + re.escape(day) + "(?= is after the last date)")


def _redate(messages: np.ndarray, rows: np.ndarray, out: list[Answer], pidx: np.ndarray,
            dates: _Dates, views: list[Any], kidx: np.ndarray) -> None:
    """Messages that name the date: each row gets its own date in them.

    An answer is worked out once for a class of dates, on the class's first date, and
    only validity messages name the date of service (``not valid on 2025-10-01``, ``on
    2025-11-03 it is a header``, ``for a date of service of``, ``the code set of``).
    Those places get the row's date; other dates of the message stay, even when one is
    the class's first date (``until``/``from`` dates of the conversion table, the day a
    deleted code's successors took effect: ``replaced it on 2016-10-01``).
    """
    firsts: list[str | None] = [None] * len(out)
    k_of_p = np.full(len(out), -1, dtype=np.int64)
    k_of_p[pidx] = kidx
    for p, ans in enumerate(out):
        msg = ans[4]
        k = int(k_of_p[p])
        if msg is None or k < 0 or isinstance(views[k], str):
            continue
        first = views[k].day.isoformat()
        if first in msg:
            firsts[p] = first
    dated = np.fromiter((f is not None for f in firsts), dtype=bool, count=len(out))
    if not dated.any():
        return
    sel = np.flatnonzero(dated[pidx])
    nd = len(dates.days) + 1
    day_of_row = dates.index[rows[sel]]
    sub_idx, sub_keys = pd.factorize(pidx[sel] * nd + day_of_row)
    new: list[str] = []
    for key in np.asarray(sub_keys).tolist():
        p, d = divmod(key, nd)
        day = dates.days[d]
        msg = out[p][4]
        assert msg is not None and not isinstance(day, str)
        first = firsts[p] or ""
        new.append(_at_dos(first).sub(day.isoformat(), msg))
    messages[rows[sel]] = np.asarray(new, dtype=object)[np.asarray(sub_idx)]


def _frame(out: list[Answer], pidx: np.ndarray) -> pd.DataFrame:
    columns: dict[str, np.ndarray] = {}
    for j, name in enumerate(COLUMNS):
        dtype = bool if name in ("valid", "billable") else object
        arr = np.fromiter((a[j] for a in out), dtype=dtype, count=len(out))
        columns[name] = arr[pidx]
    return _assemble(columns, columns["valid"])

"""A DataFrame (a findings table, a validated column) to an Excel workbook, safely."""

from __future__ import annotations

import datetime as dt
import math
import os
from typing import IO, Any

import numpy as np
import pandas as pd

from .. import _xlsx
from .._show import shown
from ..errors import InvalidArgument

__all__ = ["to_excel"]


def to_excel(frame: pd.DataFrame | pd.Series, path: str | os.PathLike[str] | IO[bytes], *,
             index: bool = False, sheet: str = "codekit") -> None:
    """See :func:`codekit.pandas.to_excel`."""
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise InvalidArgument(f"frame: expected a DataFrame, got {type(frame).__name__}")
    if not isinstance(index, bool):
        raise InvalidArgument(f"index={index!r}: expected True or False")
    if not isinstance(path, str | os.PathLike) and not hasattr(path, "write"):
        raise InvalidArgument(f"path: expected a file name or a binary file, got "
                              f"{type(path).__name__}")
    header = [_name(c) for c in frame.columns]
    columns = [frame.iloc[:, i].to_numpy(dtype=object) for i in range(frame.shape[1])]
    if index:
        idx = frame.index
        names = [_name(n) if n is not None else ("index" if idx.nlevels == 1 else
                                                  f"level_{k}")
                 for k, n in enumerate(idx.names)]
        levels = [idx.get_level_values(k).to_numpy(dtype=object)
                  for k in range(idx.nlevels)]
        header, columns = [*names, *header], [*levels, *columns]
    rows = ([_cell(v) for v in row] for row in zip(*columns, strict=True)) if columns \
        else ([] for _ in range(len(frame)))
    if hasattr(path, "write"):
        _xlsx.write(path, header, rows, sheet=sheet)
        return
    try:
        out = open(path, "wb")  # noqa: SIM115 - closed below; its error is the caller's
    except OSError as e:  # a missing folder, a folder, no permission
        raise InvalidArgument(f"path={os.fspath(path)!r}: the workbook cannot be written "
                              f"there: {e.strerror or e}") from e
    with out:
        _xlsx.write(out, header, rows, sheet=sheet)


def _name(label: object) -> str:
    if isinstance(label, tuple):  # a MultiIndex column
        return " / ".join(_name(p) for p in label)
    return _text(label)


def _cell(value: object) -> Any:
    """A cell as the workbook writer takes it: None, bool, int, float, or text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None if math.isnan(value) else str(value)
    if isinstance(value, np.generic):
        return _cell(value.item())
    if isinstance(value, dt.datetime):  # a pandas Timestamp too
        if value != value:  # NaT
            return None
        midnight = value.time() == dt.time() and not getattr(value, "nanosecond", 0)
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | np.ndarray):  # the codes and fix of a finding
        return ", ".join(_text(v) for v in value)
    return _text(value)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:  # a hostile __str__: its repr, cut
        return shown(value)

"""The ``.codekit`` accessor of Series and DataFrames."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..errors import InvalidArgument
from . import _claims, _columns, _export, _summary

__all__ = ["FrameAccessor", "SeriesAccessor"]


def _folded(name: str) -> str:
    """A column name without case and spacing: ``Dx Code`` and ``dx_code`` alike."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


@pd.api.extensions.register_series_accessor("codekit")
class SeriesAccessor:
    """``series.codekit``: the codes of a Series validated (:func:`codekit.pandas.validate`).

    >>> import pandas as pd, codekit.pandas
    >>> pd.Series(["E11.9", "E11"]).codekit.validate(on="2025-06-01")["rule"].tolist()
    [None, 'DX_NOT_BILLABLE']
    """

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def validate(self, on: object = None, *, system: str = "icd10cm",
                 suggest: bool = True) -> pd.DataFrame:
        """The result columns, aligned with the Series (its index)."""
        return _columns.validate(self._series, on, system=system, suggest=suggest)

    def is_valid(self, on: object = None, *, system: str = "icd10cm") -> pd.Series:
        """A boolean Series: the code may be reported on the date (strict reading)."""
        return self.validate(on, system=system, suggest=False)["valid"]


@pd.api.extensions.register_dataframe_accessor("codekit")
class FrameAccessor:
    """``df.codekit``: validate a code column against a date column (or one date), check
    the claims of a long-format table, summarize findings.

    >>> import pandas as pd, codekit.pandas
    >>> df = pd.DataFrame({"cpt": ["99213", "99201"], "dos": ["2025-06-01", "2025-06-01"]})
    >>> df.codekit.validate("cpt", on="dos", system="cpt")[["valid", "rule"]]
       valid                   rule
    0   True                   None
    1  False  PROC_NOT_VALID_ON_DOS
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def _column(self, name: object, what: str) -> pd.Series:
        if isinstance(name, pd.Series):
            return name
        if self._has(name):
            found = self._frame[name]
            if isinstance(found, pd.DataFrame):  # the label names several columns
                raise InvalidArgument(
                    f"{what}={name!r}: {found.shape[1]} columns of the frame have this "
                    "name; rename them (df.columns) or pass the one you mean as a Series")
            return found
        near = [c for c in self._frame.columns if isinstance(name, str) and
                isinstance(c, str) and _folded(c) == _folded(name)]
        raise InvalidArgument(f"{what}={name!r}: no such column"
                              + (f" (the frame has {near[0]!r})" if near else ""))

    def _has(self, name: object) -> bool:
        """Whether ``name`` is a column label of the frame (a text or any other label: a
        frame read without a header has columns 0, 1, 2...)."""
        try:
            return name in self._frame.columns
        except TypeError:  # an unhashable value is no label
            return False

    def validate(self, column: str, on: object = None, *, system: str = "icd10cm",
                 suggest: bool = True, prefix: str | None = None) -> pd.DataFrame:
        """The result columns of ``column`` (:data:`codekit.pandas.COLUMNS`) aligned with
        the frame. ``on`` is a column name, a Series, or one date for every row; with
        ``prefix`` the columns are named ``<prefix>valid``... (to join them back)."""
        codes = self._column(column, "column")
        if not isinstance(on, pd.Series) and self._has(on):
            on = self._column(on, "on")
        elif isinstance(on, str):
            from .._dates import coerce_date

            try:
                coerce_date(on)
            except InvalidArgument:
                raise InvalidArgument(f"on={on!r}: no such column, and not a date "
                                      "(YYYY-MM-DD)") from None
        out = _columns.validate(codes, on, system=system, suggest=suggest)
        return out.add_prefix(prefix) if prefix else out

    def check_claims(self, *, checker: Any = None, columns: Mapping[str, str] | None = None,
                     processes: int = 1, diagnoses: pd.DataFrame | None = None,
                     procedures: pd.DataFrame | None = None,
                     progress: Any = False) -> pd.DataFrame:
        """The findings of the claims in this long-format table, with their diagnosis and
        procedure tables when given (:func:`codekit.pandas.check_claims`)."""
        return _claims.check_claims(self._frame, checker=checker, columns=columns,
                                    processes=processes, diagnoses=diagnoses,
                                    procedures=procedures, progress=progress)

    def summarize(self) -> _summary.Summary:
        """This findings table summarized (:func:`codekit.pandas.summarize`)."""
        return _summary.summarize(self._frame)

    def to_excel(self, path: Any, *, index: bool = False, sheet: str = "codekit") -> None:
        """This frame to an ``.xlsx`` workbook, every text stored as text, never a formula
        (:func:`codekit.pandas.to_excel`)."""
        _export.to_excel(self._frame, path, index=index, sheet=sheet)

"""Tables of the I/OCE built into ``data/procedures/`` as rows by code, each row a range of
days (``code<TAB>effective<TAB>end<TAB>...``, ordinals) and the values of that range; the
table's meta says the days its I/OCE quarters describe (``coverage``)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, ClassVar, Generic, Self, TypeVar

from .. import _artifact
from ..errors import DataError

__all__ = ["DatedRows"]

R = TypeVar("R", bound=tuple[Any, ...])


class DatedRows(Generic[R]):
    """The rows of a dated I/OCE table by code. A subclass names its artifact ``KIND``,
    what it is for messages (``WHAT``), and reads a row's values (:meth:`values`)."""

    __slots__ = ("first", "last", "meta", "path", "rows")
    KIND: ClassVar[str] = ""
    WHAT: ClassVar[str] = ""

    def __init__(self, rows: dict[str, tuple[R, ...]], meta: dict[str, Any],
                 path: str = "") -> None:
        self.rows = rows
        self.meta = meta
        self.path = path
        try:
            first, last = meta["coverage"]
            #: The first and last day the table's I/OCE quarters describe.
            self.first = dt.date.fromisoformat(first)
            self.last = dt.date.fromisoformat(last)
        except (KeyError, TypeError, ValueError) as e:
            raise DataError(f"{path}: {self.WHAT} without its coverage: {e}") from e

    @classmethod
    def values(cls, fields: list[str]) -> R:
        """A row's ``(effective, end, ...)`` from its fields after the code."""
        raise NotImplementedError

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Self:
        t = _artifact.Table(path)
        if t.meta.get("kind") != cls.KIND:
            raise DataError(f"{path}: not {cls.WHAT} (kind {t.meta.get('kind')!r})")
        rows: dict[str, list[R]] = {}
        try:
            for line in _artifact.StringColumn(t.section("rows")):
                code, *fields = line.split("\t")
                rows.setdefault(code, []).append(cls.values(fields))
        except ValueError as e:
            raise DataError(f"{path}: corrupt {cls.WHAT}: {e}") from e
        return cls({c: tuple(r) for c, r in rows.items()}, t.meta, str(path))

    def __len__(self) -> int:
        return len(self.rows)

"""The HCPCS flags of the I/OCE's "missing companion code" edits, by date
(``data/procedures/ioce_companion.ckt``, written by :mod:`codekit.build.ioce` from the
I/OCE's ``data_hcpcs`` table): blood procedures and blood products (edit 43), skin
substitute applications and products (87), device-intensive procedures and devices (92),
cornea tissue processing and cornea transplants (93). Read through
:func:`codekit.procedure.ioce_companion_flags`."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from .. import _artifact
from ..errors import DataError

__all__ = ["CompanionTable"]

_NONE: frozenset[str] = frozenset()


class CompanionTable:
    """The rows of ``ioce_companion.ckt`` by code (see the module doc)."""

    __slots__ = ("first", "last", "meta", "path", "rows")

    def __init__(self, rows: dict[str, tuple[tuple[int, int, frozenset[str]], ...]],
                 meta: dict[str, Any], path: str = "") -> None:
        self.rows = rows
        self.meta = meta
        self.path = path
        try:
            first, last = meta["coverage"]
            #: The first and last day the table's I/OCE quarters describe.
            self.first = dt.date.fromisoformat(first)
            self.last = dt.date.fromisoformat(last)
        except (KeyError, TypeError, ValueError) as e:
            raise DataError(f"{path}: I/OCE companion table without its coverage: {e}") from e

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> CompanionTable:
        t = _artifact.Table(path)
        if t.meta.get("kind") != "ioce-companion":
            raise DataError(f"{path}: not an I/OCE companion table (kind "
                            f"{t.meta.get('kind')!r})")
        rows: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
        try:
            for line in _artifact.StringColumn(t.section("rows")):
                code, eff, end, flags = line.split("\t")
                rows.setdefault(code, []).append(
                    (int(eff), int(end), frozenset(f for f in flags.split(",") if f)))
        except ValueError as e:
            raise DataError(f"{path}: corrupt I/OCE companion table: {e}") from e
        return cls({c: tuple(r) for c, r in rows.items()}, t.meta, str(path))

    def __len__(self) -> int:
        return len(self.rows)

    def flags(self, code: str, day: dt.date) -> frozenset[str]:
        """The flags of ``code`` (compact) on ``day`` (empty when it has none then); a day
        outside the table is answered as of its nearest day."""
        rows = self.rows.get(code)
        if not rows:
            return _NONE
        n = min(max(day, self.first), self.last).toordinal()
        for eff, end, flags in rows:
            if eff <= n <= end:
                return flags
        return _NONE

"""Code lists by date: ``code-ranges`` tables (a code and the date ranges it is on the list).

Small lists that a code system answers by date -- the I/OCE's unacceptable principal
diagnoses, the codes modifier CS may waive cost sharing for -- are written by the build
(``codekit.build.ioce``) as rows ``code<TAB>effective<TAB>last day`` (date ordinals; 0 for
"since before the first quarter", :data:`codekit._dates.OPEN` for an open end).

>>> import tempfile, os
>>> from codekit import _artifact
>>> path = os.path.join(tempfile.mkdtemp(), "l.ckt")
>>> import datetime as dt
>>> d = dt.date(2019, 10, 1).toordinal()
>>> _artifact.write(path, {"kind": "code-ranges"}, {"rows": _artifact.pack_strings(
...     [f"Z3800\\t{d}\\t10000000"])})
>>> t = CodeRanges.open(path)
>>> t.on_list("Z3800", dt.date(2019, 9, 30)), t.on_list("Z3800", dt.date(2019, 10, 1))
(False, True)
>>> t.period(dt.date(2019, 9, 30)) != t.period(dt.date(2019, 10, 1))
True
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from typing import Any

from . import _artifact
from .errors import DataError

__all__ = ["CodeRanges"]


class CodeRanges:
    """Which codes are on a list on which dates (see the module doc)."""

    __slots__ = ("_bounds", "_rows", "meta", "path")

    def __init__(self, rows: dict[str, tuple[tuple[int, int], ...]], meta: dict[str, Any],
                 path: str = "") -> None:
        self._rows = rows
        self.meta = meta
        self.path = path
        bounds = set()
        for ranges in rows.values():
            for eff, end in ranges:
                bounds.add(eff)
                bounds.add(end + 1)
        #: The dates (ordinals) on which some code joins or leaves the list.
        self._bounds = sorted(bounds)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> CodeRanges:
        t = _artifact.Table(path)
        if t.meta.get("kind") != "code-ranges":
            raise DataError(f"{path}: not a code list (kind {t.meta.get('kind')!r})")
        rows: dict[str, list[tuple[int, int]]] = {}
        try:
            for line in _artifact.StringColumn(t.section("rows")):
                code, eff, end = line.split("\t")
                rows.setdefault(code, []).append((int(eff), int(end)))
        except ValueError as e:
            raise DataError(f"{path}: corrupt code list: {e}") from e
        return cls({c: tuple(r) for c, r in rows.items()}, t.meta, str(path))

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, code: object) -> bool:
        """Whether ``code`` is on the list on any date."""
        return code in self._rows

    def on_list(self, code: str, day: dt.date) -> bool:
        """Whether ``code`` (compact) is on the list on ``day``."""
        ranges = self._rows.get(code)
        if not ranges:
            return False
        n = day.toordinal()
        return any(eff <= n <= end for eff, end in ranges)

    def period(self, day: dt.date) -> int:
        """A number that is the same for two dates exactly when no code joins or leaves
        the list between them."""
        return bisect.bisect_right(self._bounds, day.toordinal())

    @property
    def periods(self) -> int:
        """How many values :meth:`period` takes."""
        return len(self._bounds) + 1

    def ranges(self, code: str) -> list[tuple[dt.date | None, dt.date | None]]:
        """The date ranges ``code`` is on the list (None: open at that end)."""
        return [(None if eff == 0 else dt.date.fromordinal(eff),
                 None if end >= dt.date.max.toordinal() else dt.date.fromordinal(end))
                for eff, end in self._rows.get(code, ())]

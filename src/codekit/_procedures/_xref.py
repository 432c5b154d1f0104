"""The codes CMS names in place of discontinued HCPCS Level II codes, bundled
(``data/procedures/xref.ckt``, written by :mod:`codekit.build.hcpcs_xref` from the
official CMS HCPCS alpha-numeric file of October 2025, ``HCPC2025_OCT_ANWEB``).

The CMS file gives a discontinued code the code(s) to report in its place in its
cross-reference columns ``XREF1``-``XREF5`` (G2012, ended 2024-12-31: 98016; C9058, ended
2020-06-30: Q5120). The IOCE quarters the rest of the procedure data comes from carry no
cross-references. The table keeps, for each code the file lists with a termination date
and at least one cross-reference and that the bundled IOCE quarters know, its termination
date and the codes named, in the file's order. Codes the file lists without a
cross-reference (J1020, J1030, J1040, ended 2024-03-31) have none here either: codekit
names no successor CMS does not.

Layout: ``meta.kind == "procedure-cross-references"``, ``meta.release`` (the CMS file's
name), ``meta.effective`` (its quarter, ISO), and the section ``rows``: one row a code,
``code<TAB>termination date (ISO)<TAB>named codes (space-separated)``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import _artifact
from ..errors import DataError

__all__ = ["KIND", "CrossReferences", "pack_cross_references"]

KIND = "procedure-cross-references"


class CrossReferences:
    """The bundled cross-references by discontinued code (empty when the data folder has
    no ``xref.ckt``)."""

    __slots__ = ("effective", "label", "path", "rows")

    def __init__(self, rows: dict[str, tuple[dt.date, tuple[str, ...]]], label: str,
                 effective: dt.date | None, path: str = "") -> None:
        #: code -> (its termination date, the codes named in its place)
        self.rows = rows
        #: The CMS file the table was built from (``"HCPC2025_OCT_ANWEB"``).
        self.label = label
        #: The first day of that file's quarter (None for an empty table).
        self.effective = effective
        self.path = path

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> CrossReferences:
        """The table of ``path``; an empty one when there is no such file."""
        p = Path(path)
        if not p.exists():
            return cls({}, "", None, str(p))
        t = _artifact.Table(p)
        if t.meta.get("kind") != KIND:
            raise DataError(f"{p}: not a cross-reference table (kind {t.meta.get('kind')!r})")
        rows: dict[str, tuple[dt.date, tuple[str, ...]]] = {}
        try:
            label = str(t.meta["release"])
            effective = dt.date.fromisoformat(t.meta["effective"])
            for line in _artifact.StringColumn(t.section("rows")):
                if not line:  # (a table of no rows)
                    continue
                code, term, named = line.split("\t")
                rows[code] = (dt.date.fromisoformat(term), tuple(named.split()))
        except (KeyError, TypeError, ValueError) as e:
            raise DataError(f"{p}: corrupt cross-reference table: {e}") from e
        return cls(rows, label, effective, str(p))

    def __len__(self) -> int:
        return len(self.rows)

    def named(self, code: str) -> tuple[str, ...]:
        """The codes CMS names in place of the discontinued ``code`` (empty if none)."""
        row = self.rows.get(code)
        return row[1] if row is not None else ()


def pack_cross_references(rows: Iterable[tuple[str, dt.date, tuple[str, ...]]],
                          meta: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The meta and sections of ``xref.ckt``: ``rows`` of (code, termination date, codes
    named), written sorted by code; ``meta`` must hold ``release`` and ``effective``."""
    if not {"release", "effective"} <= meta.keys():
        raise DataError("a cross-reference table needs meta 'release' and 'effective'")
    lines = [f"{c}\t{term.isoformat()}\t{' '.join(named)}"
             for c, term, named in sorted(rows) if named]
    return {**meta, "kind": KIND, "rows": len(lines)}, \
        {"rows": _artifact.pack_strings(lines)}

"""The dates CMS's HCPCS file gives each Level II code, bundled
(``data/procedures/hcpcs_dates.ckt``, written by :mod:`codekit.build.hcpcs_dates` from the
official CMS HCPCS alpha-numeric file of October 2025, ``HCPC2025_OCT_ANWEB``).

The CMS HCPCS file is the authority for a Level II code's existence: ``ADD DT`` is the
first day a code may be reported, ``TERM DT`` the last. The IOCE quarters the rest of the
procedure data comes from carry other dates besides: the approval and termination dates of
the I/OCE's own date edits (67 FDA approval, 68 NCD approval, 69 and 134 approval period,
83 NCD non-coverage, 110 marketing date, 136 ACIP), which are outpatient edits, not the
code's existence (G0011 exists from 2024-01-02, its NCD approval is 2024-09-30). So a
Level II code (not a CDT ``D`` code, which the file leaves out) is valid on a day of
``[first bundled quarter, through]`` when

- the day's IOCE quarter lists it: a whole quarter without the code is a quarter in which
  CMS's quarterly HCPCS update did not have it (J0570, deleted after 2024-12-31 and
  reinstated on 2025-10-01; the file, which keeps only a code's latest action, shows the
  reinstatement as ``ACTION CD`` R on ``ACT EFF DT`` 2025-10-01 with no ``TERM DT``), and
- the file's ``ADD DT`` / ``TERM DT`` hold the day (G2023 ended 2023-05-11 though the
  IOCE quarter runs to 2023-06-30; Q5119 is added 2020-07-01 though IOCE quarters list it
  from 2020-01-01),

and is never valid when the IOCE lists it on or before ``through`` but the file does not
(M1072-M1089, M1094-M1105: the I/OCE's "Payer Only code"s). After ``through`` (the last
day of the file's quarter: a newer file would say what changed) the IOCE quarters answer
alone; before the first bundled quarter (2019-07-01) codekit answers as of that quarter.

Layout: ``meta.kind == "procedure-hcpcs-dates"``, ``meta.release`` (the CMS file's name),
``meta.effective`` (its quarter, ISO), ``meta.through`` (the last day it answers for, ISO),
and two sections: ``rows``, one row a code the file lists,
``code<TAB>ADD DT<TAB>TERM DT`` (ISO; empty for none), and ``unlisted``, one code a row.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import _artifact
from .._dates import subtract
from ..errors import DataError

__all__ = ["KIND", "HcpcsDates", "pack_hcpcs_dates"]

KIND = "procedure-hcpcs-dates"


def _quarter_start(day: dt.date) -> bool:
    return day.day == 1 and day.month in (1, 4, 7, 10)


class HcpcsDates:
    """The bundled ``ADD DT`` / ``TERM DT`` of Level II codes (an empty table, which
    changes nothing, when the data folder has no ``hcpcs_dates.ckt``)."""

    __slots__ = ("day_precise", "effective", "label", "path", "rows", "through", "unlisted")

    def __init__(self, rows: dict[str, tuple[dt.date | None, dt.date | None]],
                 unlisted: frozenset[str], label: str, effective: dt.date | None,
                 through: dt.date | None, path: str = "") -> None:
        #: code -> (the file's ADD DT, its TERM DT; None for none)
        self.rows = rows
        #: Codes the IOCE quarters list on or before :attr:`through` that the file does
        #: not: no HCPCS Level II code (the I/OCE's "Payer Only code"s).
        self.unlisted = unlisted
        #: The CMS file the table was built from (``"HCPC2025_OCT_ANWEB"``).
        self.label = label
        #: The first day of that file's quarter (None for an empty table).
        self.effective = effective
        #: The last day the file answers for: the end of its quarter (None: none).
        self.through = through
        self.path = path
        #: Codes whose dates fall inside a quarter (validity exact to the day there).
        self.day_precise = frozenset(
            c for c, (a, t) in rows.items()
            if (a is not None and not _quarter_start(a))
            or (t is not None and not _quarter_start(t + dt.timedelta(days=1))))

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> HcpcsDates:
        """The table of ``path``; an empty one when there is no such file."""
        p = Path(path)
        if not p.exists():
            return cls({}, frozenset(), "", None, None, str(p))
        t = _artifact.Table(p)
        if t.meta.get("kind") != KIND:
            raise DataError(f"{p}: not a HCPCS dates table (kind {t.meta.get('kind')!r})")
        rows: dict[str, tuple[dt.date | None, dt.date | None]] = {}
        try:
            label = str(t.meta["release"])
            effective = dt.date.fromisoformat(t.meta["effective"])
            through = dt.date.fromisoformat(t.meta["through"])
            for line in _artifact.StringColumn(t.section("rows")):
                if not line:  # (a table of no rows)
                    continue
                code, added, term = line.split("\t")
                rows[code] = (dt.date.fromisoformat(added) if added else None,
                              dt.date.fromisoformat(term) if term else None)
            unlisted = frozenset(c for c in _artifact.StringColumn(t.section("unlisted")) if c)
        except (KeyError, TypeError, ValueError) as e:
            raise DataError(f"{p}: corrupt HCPCS dates table: {e}") from e
        return cls(rows, unlisted, label, effective, through, str(p))

    def __len__(self) -> int:
        return len(self.rows)

    def allows(self, code: str, day: dt.date, first: dt.date) -> bool:
        """Whether the file lets the Level II ``code``, listed by the day's IOCE quarter,
        be reported on ``day`` (``first``: the first day of the bundled quarters, before
        which the file's dates are not applied)."""
        if code in self.unlisted:
            return False
        through = self.through
        if through is None or day > through or day < first:
            return True
        row = self.rows.get(code)
        if row is None:
            return True
        added, term = row
        return (added is None or added <= day) and (term is None or day <= term)

    def narrow(self, code: str, spans: list[tuple[int, int]],
               first: dt.date) -> list[tuple[int, int]]:
        """``spans`` (ordinals, end inclusive; the IOCE quarters listing ``code``) cut to
        the file's dates on ``[first, through]``."""
        if code in self.unlisted:
            return []
        row = self.rows.get(code)
        if row is None or self.through is None:
            return spans
        lo, hi = first.toordinal(), self.through.toordinal()
        added, term = row
        cuts = []
        if added is not None and added.toordinal() > lo:
            cuts.append((lo, min(added.toordinal() - 1, hi)))
        if term is not None and term.toordinal() < hi:
            cuts.append((max(term.toordinal() + 1, lo), hi))
        out = spans
        for cut in cuts:
            out = subtract(out, cut)
        return out


def pack_hcpcs_dates(rows: Iterable[tuple[str, dt.date | None, dt.date | None]],
                     unlisted: Iterable[str], meta: dict[str, Any]
                     ) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The meta and sections of ``hcpcs_dates.ckt``: ``rows`` of (code, ADD DT, TERM DT)
    and the ``unlisted`` codes, written sorted by code; ``meta`` must hold ``release``,
    ``effective`` and ``through`` (ISO dates)."""
    if not {"release", "effective", "through"} <= meta.keys():
        raise DataError("a HCPCS dates table needs meta 'release', 'effective' and 'through'")
    lines = [f"{c}\t{a.isoformat() if a else ''}\t{t.isoformat() if t else ''}"
             for c, a, t in sorted(rows, key=lambda r: r[0])]
    gone = sorted(set(unlisted))
    return {**meta, "kind": KIND, "rows": len(lines), "unlisted": len(gone)}, \
        {"rows": _artifact.pack_strings(lines), "unlisted": _artifact.pack_strings(gone)}


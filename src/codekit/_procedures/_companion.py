"""The HCPCS flags of the I/OCE's "missing companion code" edits, by date
(``data/procedures/ioce_companion.ckt``, written by :mod:`codekit.build.ioce` from the
I/OCE's ``data_hcpcs`` table): blood procedures and blood products (edit 43), skin
substitute applications and products (87), device-intensive procedures and devices (92),
cornea tissue processing and cornea transplants (93); and the flags of the I/OCE's other
line edits the outpatient rules read (the paths, edits 120 and 124, the billing-form edits,
the partial hospitalization and intensive outpatient edits 80, 81, 132, 133). Read through
:func:`codekit.procedure.ioce_companion_flags`."""

from __future__ import annotations

import datetime as dt

from ._dated import DatedRows

__all__ = ["CompanionTable"]

_NONE: frozenset[str] = frozenset()


class CompanionTable(DatedRows[tuple[int, int, frozenset[str]]]):
    """The rows of ``ioce_companion.ckt`` by code (see the module doc)."""

    __slots__ = ()
    KIND = "ioce-companion"
    WHAT = "an I/OCE companion table"

    @classmethod
    def values(cls, fields: list[str]) -> tuple[int, int, frozenset[str]]:
        eff, end, flags = fields
        return int(eff), int(end), frozenset(f for f in flags.split(",") if f)

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

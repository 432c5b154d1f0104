"""The revenue codes the I/OCE knows, by date (``data/procedures/revenue.ckt``, written by
:mod:`codekit.build.ioce` from the I/OCE's ``data_revenue`` table): each code's status
indicator and flags in the I/OCE quarter of a date. Read through
:func:`codekit.procedure.revenue_code`."""

from __future__ import annotations

import datetime as dt

import attrs

from .._dates import OPEN
from ..errors import InvalidFormat
from ._dated import DatedRows

__all__ = ["RevenueEntry", "RevenueTable", "revenue_key"]


@attrs.frozen
class RevenueEntry:
    """A revenue code as the I/OCE's revenue code table has it on a date.

    ``covered`` is False when the date is outside the quarters codekit has (``note`` says
    which quarter answered: the nearest one). No NUBC description is kept.
    """

    #: The code, four digits (``"0450"``).
    code: str
    #: The OPPS status indicator the I/OCE gives a line with this revenue code and no
    #: HCPCS code (``E1``, ``B``, ``N``, ``Z``, ``F``).
    status_indicator: str
    status_description: str | None
    #: The I/OCE's flags of the code (``not_recognized``: edit 65; ``bypass_e48``: a line
    #: with it needs no HCPCS code; ``therapy``, ``statutory_exclusion``...).
    flags: frozenset[str]
    #: The first and last day of the row that answered (None: since before the first
    #: quarter codekit has / still open).
    effective: dt.date | None
    until: dt.date | None
    covered: bool = True
    note: str | None = None

    @property
    def not_recognized(self) -> bool:
        """Medicare does not recognize the code on outpatient claims (I/OCE edit 65)."""
        return "not_recognized" in self.flags

    @property
    def requires_hcpcs(self) -> bool:
        """A line with this revenue code needs a HCPCS code (I/OCE edit 48): it is not
        bypassed, and the status the I/OCE gives the line without one is not N
        (packaged) or F."""
        return "bypass_e48" not in self.flags and self.status_indicator not in ("N", "F")


def revenue_key(code: object) -> str:
    """A revenue code as written (text or a whole number) -> four digits, as the I/OCE
    reads it (a number: ``450`` and ``"450"`` are ``"0450"``); raises
    :class:`~codekit.InvalidFormat` (``REVENUE_CODE_INVALID``) for anything else.

    >>> revenue_key(" 0450 "), revenue_key(450), revenue_key("73")
    ('0450', '0450', '0073')
    """
    if isinstance(code, int) and not isinstance(code, bool) and 0 <= code <= 9999:
        return f"{code:04d}"
    text = code.strip() if isinstance(code, str) else None
    if text is None or not (text.isascii() and text.isdigit() and len(text) <= 4):
        why = ("blank" if text == "" else "not text" if text is None else
               f"{len(text)} digits" if text.isascii() and text.isdigit() else
               "not digits")
        raise InvalidFormat(code, f"not a revenue code ({why}): NUBC revenue codes are "
                            "four digits (e.g. 0450)", code="REVENUE_CODE_INVALID")
    return text.zfill(4)


class RevenueTable(DatedRows[tuple[int, int, str, frozenset[str]]]):
    """The rows of ``revenue.ckt`` by code (see the module doc)."""

    __slots__ = ()
    KIND = "revenue-codes"
    WHAT = "a revenue code table"

    @classmethod
    def values(cls, fields: list[str]) -> tuple[int, int, str, frozenset[str]]:
        eff, end, si, flags = fields
        return int(eff), int(end), si, frozenset(f for f in flags.split(",") if f)

    def entry(self, key: str, day: dt.date) -> RevenueEntry | None:
        """The entry of ``key`` (four digits) on ``day``, or None when the I/OCE does not
        know it then; a day outside the table is answered as of its nearest day, and the
        entry says so."""
        covered = self.first <= day <= self.last
        asof = day if covered else self.first if day < self.first else self.last
        n = asof.toordinal()
        for eff, end, si, flags in self.rows.get(key, ()):
            if eff <= n <= end:
                note = None if covered else (
                    f"{day} is outside codekit's I/OCE revenue code data ({self.first} to "
                    f"{self.last}): answered as of {asof}, the nearest day it has")
                return RevenueEntry(
                    key, si, self.meta.get("status_indicators", {}).get(si) or None, flags,
                    None if eff == 0 else dt.date.fromordinal(eff),
                    None if end >= OPEN else dt.date.fromordinal(end), covered, note)
        return None

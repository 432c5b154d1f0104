"""What the names of NCCI files say: their setting, their first day, the words they hold.

Setting words are matched as whole words of the name (``readme_mue.txt`` holds the words
``readme`` and ``mue``, not ``dme``); CMS's CamelCase names split into their words
(``MCR_MUE_DMESupplierServices_Eff_04-01-2026.csv``: ``mcr``, ``mue``, ``dme``,
``supplier``, ``services``, ``eff``...).

>>> words("MCR_MUE_OutpatientHospitalServices_Eff_04-01-2026.csv")[:5]
['mcr', 'mue', 'outpatient', 'hospital', 'services']
>>> setting_of("readme_mue.txt"), setting_of("MCR_MUE_DMESupplierServices_Eff_04-01-2026.csv")
(None, 'dme')
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

from ..errors import DataError, InvalidArgument

__all__ = ["SETTINGS", "check_path_arg", "check_setting_arg", "coverage_of", "effective_of",
           "quarter_end", "setting_of", "words"]

#: The settings NCCI tables are published for.
SETTINGS = ("practitioner", "hospital", "dme")

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SETTING_WORDS = {
    "practitioner": "practitioner", "physician": "practitioner",
    "ccipra": "practitioner", "ccipr": "practitioner",
    "hospital": "hospital", "outpatient": "hospital", "facility": "hospital",
    "ccioph": "hospital", "ccioh": "hospital",
    "dme": "dme",
}
_EFF = re.compile(r"eff[_ -]?(\d{1,2})[-_](\d{1,2})[-_](\d{4})", re.I)
_QUARTER = re.compile(r"(20\d\d)[_ -]?q(\d+)", re.I)
_VERSION = re.compile(r"v(\d{2})(\d)r\d", re.I)  # ccipra-v322r0: NCCI version 32.2


def words(name: str) -> list[str]:
    """The words of a file name, lower-case: runs of letters (split at CamelCase) and of
    digits."""
    return [w.lower() for w in _WORD.findall(name)]


def setting_of(name: str) -> str | None:
    """``"practitioner"``, ``"hospital"`` or ``"dme"`` when a whole word of the file name
    says so (one setting only), else None."""
    found = {_SETTING_WORDS[w] for w in words(name) if w in _SETTING_WORDS}
    return found.pop() if len(found) == 1 else None


def effective_of(name: str, fix: str = "pass effective=") -> dt.date | None:
    """The first day a CMS NCCI file takes effect, read from its name (``Eff_04-01-2026``,
    ``2026q2``, NCCI version ``v322r0`` = 2026-07-01), or None when the name has no date.
    A name whose date is not one (``Eff_13-01-2026``, ``2019q5``) is a
    :class:`~codekit.DataError` ending with ``fix``: it must not pass for an undated file.

    >>> effective_of("ccipra-v322r0_f1.txt"), effective_of("mue_2024Q3.csv")
    (datetime.date(2026, 7, 1), datetime.date(2024, 7, 1))
    """
    if m := _EFF.search(name):
        try:
            return dt.date(int(m[3]), int(m[1]), int(m[2]))
        except ValueError:
            raise DataError(f"{name}: the date in the file name ({m[0]}) is not a date; "
                            f"{fix}") from None
    if m := _QUARTER.search(name):
        q = int(m[2])
        if not 1 <= q <= 4:
            raise DataError(f"{name}: the quarter in the file name ({m[0]}) is not a "
                            f"quarter (q1 to q4); {fix}")
        return dt.date(int(m[1]), 3 * q - 2, 1)
    if m := _VERSION.search(name):  # NCCI version NN.Q takes effect in year 1994+NN
        minor = int(m[2])
        if minor <= 3:
            return dt.date(1994 + int(m[1]), 1 + 3 * minor, 1)
    return None


def quarter_end(start: dt.date) -> dt.date:
    """The last day of the calendar quarter of ``start``.

    >>> quarter_end(dt.date(2026, 4, 1)), quarter_end(dt.date(9999, 10, 1))
    (datetime.date(2026, 6, 30), datetime.date(9999, 12, 31))
    """
    month = start.month - (start.month - 1) % 3 + 3
    if month > 12:
        return dt.date(start.year, 12, 31)
    return dt.date(start.year, month, 1) - dt.timedelta(days=1)


def coverage_of(meta: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
    """(first, last) day an NCCI table describes, by its ``meta``: its ``coverage``, the
    IOCE quarters it was built from (``versions``: the first one's first day to the end of
    the last one's quarter), its ``effective`` date or the quarter its file name says
    (``source``: ``Eff_04-01-2026``, ``2026q2``, ``ccipra-v322r0``) to the end of that
    quarter; None when nothing says (a file whose name names no quarter: its rows carry
    their own dates, but nothing says which quarter's edits it holds).

    >>> coverage_of({"source": "ptp_practitioner_2026q2.csv"})
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    >>> coverage_of({"source": "ptp_practitioner.csv"}) is None
    True
    """
    if cov := meta.get("coverage"):
        return dt.date.fromisoformat(cov[0]), dt.date.fromisoformat(cov[1])
    if versions := meta.get("versions"):
        return (dt.date.fromisoformat(versions[0]["start"]),
                quarter_end(dt.date.fromisoformat(versions[-1]["start"])))
    start = None
    if eff := meta.get("effective"):
        start = dt.date.fromisoformat(eff)
    elif source := meta.get("source"):
        try:
            start = effective_of(str(source))
        except DataError:  # a date that is not one (Eff_13-01-2026, 2019q5): undated
            start = None
    return None if start is None else (start, quarter_end(start))


def check_setting_arg(setting: str | None) -> str | None:
    """``setting`` when it is None or one of :data:`SETTINGS`, else InvalidArgument."""
    if setting is not None and setting not in SETTINGS:
        raise InvalidArgument(f"setting={setting!r}: expected 'practitioner', 'hospital' or "
                              "'dme' (or None: from the file name)")
    return setting


def check_path_arg(path: object, what: str = "path") -> str | os.PathLike[str]:
    """``path`` when it is a file name (str or path-like), else InvalidArgument."""
    if not isinstance(path, str | os.PathLike):
        raise InvalidArgument(f"{what}={path!r}: expected a file name (str or "
                              "os.PathLike)")
    return path

"""NCCI (National Correct Coding Initiative) edits: procedure-to-procedure (PTP) pairs,
medically unlikely edits (MUE) and add-on codes, by date of service.

The NCCI hospital outpatient PTP edits and the add-on code lists are bundled (from the CMS
IOCE quarters, 2019-07-01 on) and need no loading:

>>> from codekit import ncci
>>> e = ncci.hospital_ptp().pair("29881", "29877", on="2025-06-01")
>>> e.modifier_indicator, e.modifier_allowed
(0, False)
>>> ncci.hospital_ptp().pair("93000", "93005", on="2025-06-01").modifier_indicator
1
>>> ncci.addons().get("99292", on="2025-06-01").primaries
frozenset({'99291'})

The practitioner PTP edits, the MUE tables and newer quarters come from the files CMS
publishes each quarter: :func:`load_ptp`, :func:`load_mue`, :func:`load_addon`. Each
returns an immutable table with date-aware queries; malformed rows raise
:class:`MalformedFile` (file and line) or, with ``errors="collect"``, are listed in the
table's ``problems``. The look-ups answer any date from the rows' own dates; each table
says which dates it describes with ``coverage()`` (first and last day, None for a file
whose name names no quarter) and ``covers(on=)``. See ``docs/procedures.md``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from .. import _cache
from .._files import FileLimits, RowProblem
from .._paths import bundled_data_dir
from ..errors import MalformedFile
from ._addon import AddonEdit, AddonTable, load_addon
from ._library import SETTINGS, TableLibrary, quarter_of_name
from ._mue import MueEdit, MueTable, load_mue
from ._ptp import PtpEdit, PtpTable
from ._ptp_files import load_ptp

__all__ = [
    "SETTINGS",
    "AddonEdit",
    "AddonTable",
    "FileLimits",
    "MalformedFile",
    "MueEdit",
    "MueTable",
    "PtpEdit",
    "PtpTable",
    "RowProblem",
    "TableLibrary",
    "addons",
    "hospital_ptp",
    "ioce_addons",
    "load_addon",
    "load_mue",
    "load_ptp",
    "quarter_of_name",
]

_lock = threading.Lock()
_bundled: dict[str, object] = _cache.owned("ncci.bundled", {}, tables=True)


def _open_bundled(name: str, opener: Callable[..., Any]) -> Any:
    """The bundled table ``data/<name>``, opened once per process."""
    t = _bundled.get(name)
    if t is None:
        with _lock:
            t = _bundled.get(name)
            if t is None:
                t = _bundled[name] = opener(bundled_data_dir() / name, bundled_name=name)
    return t


def hospital_ptp() -> PtpTable:
    """The bundled NCCI hospital outpatient PTP edits (all IOCE quarters; opened once)."""
    return _open_bundled("ncci/ptp_hospital.ckt", PtpTable.open)


def addons() -> AddonTable:
    """The bundled NCCI add-on code lists, types 1, 2 and 3 (opened once)."""
    return _open_bundled("ncci/addon.ckt", AddonTable.open)


def ioce_addons() -> AddonTable:
    """The add-on maps the CMS I/OCE checks besides the NCCI add-on lists (every row type
    1): Software as a Service (``saas``), remote mental health (``remote_mental_health``),
    COVID-19 laboratory (``covid_lab``) and drug administration (``drug_admin``);
    ``meta["maps"]`` names each add-on code's map (opened once).

    >>> t = ioce_addons()
    >>> t.meta["maps"]["U0005"], sorted(t.get("U0005", on="2021-06-01").primaries)
    ('covid_lab', ['U0003', 'U0004'])
    """
    return _open_bundled("ncci/addon_ioce.ckt", AddonTable.open)

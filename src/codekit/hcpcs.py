"""HCPCS Level II (Healthcare Common Procedure Coding System): supplies, drugs, services
and temporary codes, by date of service.

Validity by date follows CMS's HCPCS file (``ADD DT`` and ``TERM DT`` of the October 2025
file, bundled) within the CMS IOCE quarters bundled with codekit (2019-07-01 on), with the
CMS short descriptors; the I/OCE's own date edits (NCD approval, marketing date ...) are
outpatient edits (:func:`codekit.procedure.date_limit`), not the code's validity. Load the
quarterly CMS HCPCS file
(``HCPC2025_OCT_ANWEB.xlsx`` or ``.txt``) with :func:`load_release` for long descriptors
and quarters newer than the bundled data:

>>> from codekit import hcpcs
>>> e = hcpcs.validate("g0121", on="2025-02-01")
>>> e.code, e.section, e.title
('G0121', 'procedures and professional services (temporary)', 'Colon ca scrn not hi rsk ind')
>>> hcpcs.is_valid("J3490", on="2025-02-01"), hcpcs.is_valid("W1234", on="2025-02-01")
(True, False)
>>> [h.code for h in hcpcs.search("unclassified drugs injection", on="2025-02-01")][:1]
['J3490']
>>> hcpcs.parse("W1234")
Traceback (most recent call last):
...
codekit.errors.InvalidFormat: 'W1234': HCPCS Level II codes never start with 'W': ...
"""

from __future__ import annotations

import datetime as _dt
import os

from ._files import FileLimits
from ._procedures import _codes, _suggest
from ._procedures._entries import HcpcsEntry
from ._procedures._format import LEVEL_II_SECTIONS, Category, ProcedureCode
from ._procedures._format import parse as _parse
from ._procedures._hcpcs_dates import pack_hcpcs_dates as pack_hcpcs_dates
from ._procedures._release import HcpcsRecord, HcpcsRelease
from ._procedures._release import load_release as _load
from ._procedures._search import pack_search as pack_search
from ._procedures._store import ProcedureStore, default_store
from ._procedures._xref import pack_cross_references as pack_cross_references
from .codesystem import DatedSearchResults, SearchHit

__all__ = [
    "LEVEL_II_SECTIONS",
    "Category",
    "HcpcsEntry",
    "HcpcsRecord",
    "HcpcsRelease",
    "ProcedureCode",
    "SearchHit",
    "compact",
    "coverage",
    "covers",
    "format",
    "is_valid",
    "load_release",
    "lookup",
    "parse",
    "releases",
    "search",
    "suggest",
    "unload_releases",
    "validate",
]

#: The system's name among :data:`codekit.codesystem.SYSTEMS`.
SYSTEM = "hcpcs"


def parse(value: object) -> ProcedureCode:
    """A HCPCS Level II code (a letter CMS uses and 4 digits); structure only.

    >>> parse("j3490").section
    'drugs administered other than oral method, chemotherapy drugs'
    """
    return _parse(value, SYSTEM)


def compact(value: object) -> str:
    """The code upper case, without white space.

    >>> compact(" j 3490 ")
    'J3490'
    """
    return _parse(value, SYSTEM).code


def format(value: object) -> str:
    """The display form (the compact form; Level II codes have no punctuation)."""
    return _parse(value, SYSTEM).code


def is_valid(code: object, *, on: object = None, store: ProcedureStore | None = None) -> bool:
    """True when ``code`` is a HCPCS Level II code that may be reported on ``on``."""
    return _codes.is_valid(code, on=on, system=SYSTEM, store=store)


def validate(code: object, *, on: object = None,
             store: ProcedureStore | None = None) -> HcpcsEntry:
    """The entry of a Level II code that may be reported on ``on``; else raises
    :class:`~codekit.InvalidFormat`, :class:`~codekit.NotValidOnDate` or
    :class:`~codekit.UnknownCode`.

    >>> validate("G0000", on="2025-02-01")
    Traceback (most recent call last):
    ...
    codekit.errors.UnknownCode: 'G0000': G0000 is in no HCPCS Level II quarter codekit ...
    """
    return _codes.validate(code, on=on, system=SYSTEM, store=store)  # type: ignore[return-value]


def lookup(code: object, *, on: object = None,
           store: ProcedureStore | None = None) -> HcpcsEntry:
    """Everything codekit knows about a Level II code as of ``on``, valid then or not."""
    return _codes.lookup(code, on=on, system=SYSTEM, store=store)  # type: ignore[return-value]


def suggest(code: object, *, on: object = None, limit: int = 5,
            store: ProcedureStore | None = None) -> list[str]:
    """Level II codes valid on ``on`` close to a mistyped ``code``, best first.

    >>> suggest("G012l", on="2025-02-01")[:1]
    ['G0121']
    """
    return _suggest.suggest(code, on=on, limit=limit, system=SYSTEM, store=store)


def search(text: str, *, on: object = None, limit: int = 10,
           store: ProcedureStore | None = None) -> DatedSearchResults:
    """Level II codes valid on ``on`` whose descriptors (short, and long when a CMS file
    is loaded) match ``text``, best first. When no hit is a good match (``good`` False),
    the results also say which codes of other dates match well (as ICD-10-CM's search
    does: ``results.later``, valid only after ``on``; ``results.earlier``, only before
    it; see :class:`~codekit.codesystem.DatedSearchResults`): the COVID-19 codes came in
    2020.

    >>> found = search("covid specimen collection", on="2019-10-01", limit=3)
    >>> found.good, found.later.on, found.later.codes
    (False, datetime.date(2020, 3, 1), ('G2023', 'C9803', 'G2024'))
    """
    return _suggest.search_dated(text, on=on, limit=limit, system=SYSTEM, store=store)


def coverage(*, store: ProcedureStore | None = None) -> tuple[_dt.date, _dt.date]:
    """The first and last date codekit's HCPCS Level II data describes: the bundled IOCE
    quarters and the CMS HCPCS files you loaded (:func:`load_release`), each to the end of
    its own quarter; other dates are
    answered as of the nearest quarter, and entries say so in ``covered`` and ``note``.

    >>> coverage()[0]
    datetime.date(2019, 7, 1)
    """
    return _codes.coverage(store or default_store())


def covers(code: object = None, *, on: object = None,
           store: ProcedureStore | None = None) -> bool:
    """Whether codekit's data describes ``on`` (default today): the bundled quarters, or
    a loaded CMS HCPCS file of that date (that lists ``code``, when given). Verbs that
    answer with a bool or a list (``is_valid``, ``suggest``) carry no note: for a date
    outside, they answer as of the nearest quarter; ask this first (``search``'s results
    say ``covered`` and ``note``).

    >>> covers(on="2025-06-01"), covers("J1030", on="2027-01-01")
    (True, False)
    """
    return _codes.covers_code(compact, code, on, store, "A0000")


def load_release(path: str | os.PathLike[str], *, effective: object = None,
                 errors: str = "raise", store: ProcedureStore | None = None,
                 limits: FileLimits | None = None) -> HcpcsRelease:
    """Load a CMS HCPCS alpha-numeric file (``HCPC2025_OCT_ANWEB.xlsx``, the fixed-width
    ``.txt``, or a CSV export) so that Level II codes and modifiers get long descriptions
    and the file answers for its quarter.

    The file answers from ``effective`` (default: the quarter in its name) until the next
    bundled IOCE quarter, or from then on when it is newer than the bundled data; it
    describes its own quarter only, so a later date is answered from it with ``covered``
    False and a note naming it (and the claim notice ``PROCEDURE_DATE_NOT_COVERED``). Nothing
    is written to disk. Malformed rows raise :class:`~codekit.ncci.MalformedFile` naming
    the file and line, or with ``errors="collect"`` are listed in ``problems``.
    ``limits`` bounds what the file may cost (:class:`~codekit.FileLimits`).
    """
    rel = _load(path, effective=effective, errors=errors, limits=limits)
    (store or default_store()).add_release(rel)
    return rel


def releases(*, store: ProcedureStore | None = None) -> list[HcpcsRelease]:
    """The CMS HCPCS files loaded so far, oldest first."""
    return list((store or default_store()).releases)


def unload_releases(*, store: ProcedureStore | None = None) -> None:
    """Forget every loaded CMS HCPCS file."""
    (store or default_store()).remove_releases()

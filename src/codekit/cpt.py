"""CPT (Current Procedural Terminology, HCPCS Level I): procedure codes by date of service.

Every question takes ``on=`` (a date of service; default today). Validity by date comes
from the CMS Integrated Outpatient Code Editor (IOCE) quarters bundled with codekit
(2019-07-01 on); entries carry the code's category, its CPT section and subsection by
range, OPPS status indicator, age limits and bilateral/add-on flags:

>>> from codekit import cpt
>>> cpt.is_valid("99201", on="2020-06-01"), cpt.is_valid("99201", on="2021-01-01")
(True, False)
>>> e = cpt.validate("27447", on="2025-02-01")
>>> e.category.label, e.section, e.subsection, e.bilateral
('CPT Category I', 'Surgery', 'Bones, joints and muscles', 'conditional')
>>> cpt.parse("0001U").category.label, cpt.parse("1036F").category.label
('CPT PLA (proprietary laboratory analyses)', 'CPT Category II (performance measurement)')
>>> cpt.validate("99241", on="2023-01-01")
Traceback (most recent call last):
...
codekit.errors.NotValidOnDate: '99241': not valid on 2023-01-01: it was deleted after 2022-12-31...

CPT descriptors are copyrighted by the AMA, so codekit ships none: ``title`` is None
unless you load your licensed descriptor file with :func:`load_descriptors` (kept in
memory, never written anywhere). See ``docs/procedures.md``.
"""

from __future__ import annotations

import datetime as _dt
import os

from ._dates import covered
from ._files import FileLimits
from ._procedures import _codes, _suggest
from ._procedures._descriptors import CptDescriptors
from ._procedures._descriptors import load_descriptors as _load
from ._procedures._entries import CptEntry
from ._procedures._format import Category, ProcedureCode
from ._procedures._format import parse as _parse
from ._procedures._sections import section_of
from ._procedures._store import ProcedureStore, default_store
from .codesystem import SearchHit, SearchResults
from .errors import InvalidArgument

__all__ = [
    "Category",
    "CptDescriptors",
    "CptEntry",
    "ProcedureCode",
    "SearchHit",
    "compact",
    "coverage",
    "covers",
    "format",
    "is_valid",
    "load_descriptors",
    "lookup",
    "parse",
    "search",
    "section_of",
    "suggest",
    "unload_descriptors",
    "validate",
]

#: The system's name among :data:`codekit.codesystem.SYSTEMS`.
SYSTEM = "cpt"


def parse(value: object) -> ProcedureCode:
    """A CPT code split into its category (structure only; no data consulted).

    >>> parse(" 0042t ")
    ProcedureCode(code='0042T', category='category_iii')
    >>> parse("9921")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidFormat: '9921': too short: a CPT code has 5 characters ...
    """
    return _parse(value, SYSTEM)


def compact(value: object) -> str:
    """The code upper case, without white space: ``" 0001u "`` → ``"0001U"``.

    >>> compact(" 0001u ")
    '0001U'
    """
    return _parse(value, SYSTEM).code


def format(value: object) -> str:
    """The display form (CPT codes have no punctuation, so the compact form).

    >>> format("99213")
    '99213'
    """
    return _parse(value, SYSTEM).code


def is_valid(code: object, *, on: object = None, store: ProcedureStore | None = None) -> bool:
    """True when ``code`` is a CPT code that may be reported on ``on``; False for anything
    else (a malformed date raises :class:`~codekit.InvalidArgument`).

    >>> is_valid("99213", on="2025-02-01"), is_valid("G0121", on="2025-02-01"), is_valid(None)
    (True, False, False)
    """
    return _codes.is_valid(code, on=on, system=SYSTEM, store=store)


def validate(code: object, *, on: object = None,
             store: ProcedureStore | None = None) -> CptEntry:
    """The entry of a CPT code that may be reported on ``on``; else raises
    :class:`~codekit.InvalidFormat`, :class:`~codekit.NotValidOnDate` or
    :class:`~codekit.UnknownCode` (with suggestions).

    >>> validate("99201", on="2020-06-01").valid
    True
    >>> validate("00000", on="2025-02-01")
    Traceback (most recent call last):
    ...
    codekit.errors.UnknownCode: '00000': 00000 is in no CPT quarter codekit knows ...
    """
    return _codes.validate(code, on=on, system=SYSTEM, store=store)  # type: ignore[return-value]


def lookup(code: object, *, on: object = None,
           store: ProcedureStore | None = None) -> CptEntry:
    """Everything codekit knows about a CPT code as of ``on``, valid then or not.

    >>> e = lookup("99201", on="2023-06-01")
    >>> e.valid, e.valid_ranges
    (False, ((datetime.date(2019, 7, 1), datetime.date(2020, 12, 31)),))
    """
    return _codes.lookup(code, on=on, system=SYSTEM, store=store)  # type: ignore[return-value]


def suggest(code: object, *, on: object = None, limit: int = 5,
            store: ProcedureStore | None = None) -> list[str]:
    """CPT codes valid on ``on`` close to a mistyped ``code``, best first.

    >>> suggest("99Z13", on="2025-02-01")[:1]
    ['99213']
    """
    return _suggest.suggest(code, on=on, limit=limit, system=SYSTEM, store=store)


def search(text: str, *, on: object = None, limit: int = 10,
           store: ProcedureStore | None = None) -> SearchResults:
    """CPT codes whose licensed descriptors match ``text``; needs :func:`load_descriptors`
    first (raises :class:`~codekit.DataError` otherwise)."""
    return _suggest.search(text, on=on, limit=limit, system=SYSTEM, store=store)


def coverage(*, store: ProcedureStore | None = None) -> tuple[_dt.date, _dt.date]:
    """The first and last date codekit's CPT data describes: the bundled IOCE quarters
    (and quarterly code lists you loaded); other dates are answered as of the nearest
    quarter, and entries say so in ``covered`` and ``note``.

    >>> coverage()[0]
    datetime.date(2019, 7, 1)
    """
    return _codes.coverage(store or default_store(), level_ii=False)


def covers(*, on: object = None, store: ProcedureStore | None = None) -> bool:
    """Whether codekit's CPT data describes ``on`` (default today): see :func:`coverage`.
    Verbs that answer with a bool or a list (``is_valid``, ``suggest``) carry no note: for
    a date outside, they answer as of the nearest quarter; ask this first (``search``'s
    results say ``covered`` and ``note``).

    >>> covers(on="2025-06-01"), covers(on="2018-01-01")
    (True, False)
    """
    return covered(coverage(store=store), on)


def load_descriptors(path: str | os.PathLike[str], *, errors: str = "raise",
                     store: ProcedureStore | None = None,
                     limits: FileLimits | None = None) -> CptDescriptors:
    """Load your licensed CPT descriptor file (tab- or comma-separated code + descriptor)
    so that entries get a ``title`` and :func:`search` works. The text stays in memory;
    codekit never writes it anywhere. ``errors="collect"`` lists bad rows in the result's
    ``problems`` instead of raising; ``limits`` bounds what the file may cost
    (:class:`~codekit.FileLimits`)."""
    if errors not in ("raise", "collect"):
        raise InvalidArgument(f"errors={errors!r}: expected 'raise' or 'collect'")
    d = _load(path, errors=errors, limits=limits)
    (store or default_store()).add_descriptors(d)
    return d


def unload_descriptors(*, store: ProcedureStore | None = None) -> None:
    """Forget every loaded CPT descriptor file."""
    (store or default_store()).remove_descriptors()

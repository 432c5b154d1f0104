"""The code-system contract: every code system answers the same verbs, the same way.

A code system is a module -- :mod:`codekit.icd10cm`, :mod:`codekit.cpt`,
:mod:`codekit.hcpcs`, :mod:`codekit.modifiers`, :mod:`codekit.procedure` (CPT or
HCPCS, by the code's format) and :mod:`codekit.icd10pcs` -- that satisfies
:class:`CodeSystem`:

- ``compact(value)`` -- the code upper-case, without white space or punctuation;
- ``format(value)`` -- the code as printed (``E11.65``; procedure codes and modifiers have
  no punctuation, so their compact form);
- ``parse(value)`` -- the code split into its parts, by format alone (no data);
- ``validate(code, *, on=None)`` -- the :class:`Entry` of a code that may be reported on
  ``on``, else the most specific :class:`~codekit.ValidationError`;
- ``is_valid(code, *, on=None)`` -- a bool; raises only for a bad ``on``;
- ``lookup(code, *, on=None)`` -- the entry of a code valid then or not;
- ``suggest(code, *, on=None, limit=5)`` -- codes valid on ``on`` close to a mistyped one;
- ``search(text, *, on=None, limit=10)`` -- :class:`SearchHit` objects for words, best
  first, in a :class:`SearchResults` list (which says whether any is a good match).

``on`` is keyword-only everywhere and takes a :class:`datetime.date`, a
:class:`datetime.datetime` (its date) or an ISO ``"YYYY-MM-DD"`` string; ``None`` means
today (the date of the machine the code runs on). A malformed date raises
:class:`~codekit.InvalidArgument` naming the argument. Every validation error carries the
machine-readable fix :attr:`~codekit.ValidationError.fix`. ``tests/test_contract.py``
checks every code-system module against this contract.

>>> from codekit import codesystem
>>> [codesystem.get(name).format("e1165" if name == "icd10cm" else "rt")
...  for name in ("icd10cm", "modifiers")]
['E11.65', 'RT']
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any, Protocol, runtime_checkable

import attrs

__all__ = ["SYSTEMS", "WEAK", "CodeSystem", "Entry", "SearchHit", "SearchResults", "get"]

#: The code-system modules of :mod:`codekit`, by name.
SYSTEMS = ("icd10cm", "cpt", "hcpcs", "modifiers", "procedure", "icd10pcs")

Range = tuple[dt.date, dt.date | None]


#: A search hit whose confidence is below this is a poor match: "no good match".
WEAK = 0.5


@attrs.frozen
class SearchHit:
    """A search result of any code system: the code (compact and as printed), its title,
    the text that matched, and how well it matched.

    ``confidence`` (0-1) says how well: 1.0 when every word of the query matched a text
    of the code that says nothing more (the concept itself), lower as query words go
    unmatched, the text says more than was asked, or words had to be corrected; below
    :data:`WEAK` (0.5) the hit is a poor match. ``score`` is the same on a 0-100 scale.
    """

    code: str
    formatted: str
    title: str
    matched: str
    score: float
    confidence: float = 0.0

    @property
    def good(self) -> bool:
        """The hit is a good match (:attr:`confidence` at least :data:`WEAK`)."""
        return self.confidence >= WEAK

    def _repr_html_(self) -> str:
        from . import _html

        return _html.search_results([self])


class SearchResults(list[SearchHit]):
    """The hits of a search, best first (a list), with the ``query`` and whether any is
    a good match (:attr:`good`); shown as a table in a notebook."""

    def __init__(self, hits: list[SearchHit] | tuple[SearchHit, ...] = (), *,
                 query: str = "") -> None:
        super().__init__(hits)
        self.query = query

    @property
    def good(self) -> bool:
        """At least one hit is a good match (say "no good match" otherwise)."""
        return any(h.good for h in self)

    @property
    def confidence(self) -> float:
        """The best hit's confidence (0 when there is none)."""
        return max((h.confidence for h in self), default=0.0)

    def _repr_html_(self) -> str:
        from . import _html

        return _html.search_results(self, query=self.query, weak=WEAK)


@runtime_checkable
class Entry(Protocol):
    """What every code system's entry has, under these names."""

    @property
    def code(self) -> str:
        """The compact code."""

    @property
    def formatted(self) -> str:
        """The code as printed (``E11.65``)."""

    @property
    def valid(self) -> bool:
        """True when the code may be reported on :attr:`on`."""

    @property
    def on(self) -> dt.date:
        """The date of service asked about."""

    @property
    def title(self) -> str | None:
        """The code's title (None where codekit may not ship it, e.g. CPT)."""

    @property
    def valid_ranges(self) -> tuple[Range, ...]:
        """Every ``(start, end)`` range (``end`` inclusive, None = open) it is valid."""

    @property
    def release(self) -> str | None:
        """The data release the answer comes from."""

    @property
    def note(self) -> str | None:
        """Why the answer may need care (data that does not cover the date...), or None."""

    @property
    def covered(self) -> bool:
        """Whether codekit's data describes :attr:`on` (False: the answer is extrapolated
        from the nearest data, and :attr:`note` says so). Machine-readable, for reports."""


class CodeSystem(Protocol):
    """The verbs of a code-system module (see the module documentation)."""

    SYSTEM: str

    def compact(self, value: object) -> str: ...

    def format(self, value: object) -> str: ...

    def parse(self, value: object) -> Any: ...

    def validate(self, code: object, *, on: object = None) -> Any: ...

    def is_valid(self, code: object, *, on: object = None) -> bool: ...

    def lookup(self, code: object, *, on: object = None) -> Any: ...

    def suggest(self, code: object, *, on: object = None, limit: int = 5) -> list[str]: ...

    def search(self, text: str, *, on: object = None, limit: int = 10) -> list[SearchHit]:
        ...

    def covers(self, *, on: object = None) -> bool: ...

    def coverage(self) -> tuple[dt.date, dt.date]: ...


def get(name: str) -> CodeSystem:
    """The code-system module called ``name`` (one of :data:`SYSTEMS`)."""
    if name not in SYSTEMS:
        from .errors import InvalidArgument

        raise InvalidArgument(f"system={name!r}: expected one of {', '.join(SYSTEMS)}")
    return importlib.import_module(f"codekit.{name}")

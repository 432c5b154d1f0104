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
  first, in a :class:`SearchResults` list (which says whether any is a good match, and
  the date, the release that answered, ``covered`` and a ``note`` as entries do); the
  systems that ship their titles (ICD-10-CM, ICD-10-PCS, HCPCS Level II) answer a
  :class:`DatedSearchResults`, which also names the codes of other dates that match when
  none of the date does (:class:`OtherDates`).

- ``covers(*, on=None)`` and ``coverage()`` -- the dates codekit's data describes.

The first parameter of every verb that takes a code is named ``code`` (``search``'s is
``text``); :mod:`codekit.modifiers` named it ``modifier`` until 2026-12, and still takes
``modifier=`` with a :class:`DeprecationWarning`. Every entry has the fields of
:class:`Entry` under the same names (``title`` and ``short_title`` for its texts, whatever
the system calls them too: HCPCS's ``short_description``, a modifier's ``label``...) and
``as_dict()``.

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
from collections.abc import Callable, Iterable
from typing import Any, Protocol, runtime_checkable

import attrs

from .errors import DataError

__all__ = ["SYSTEMS", "WEAK", "CodeSystem", "DatedSearchResults", "Entry", "OtherDates",
           "SearchHit", "SearchResults", "get", "other_dates_of"]

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
    """The hits of a search, best first (a list), with the ``query``, whether any is a
    good match (:attr:`good`), and what answered: the date asked (:attr:`on`), the data
    release that answered for it (:attr:`release`, named as entries name it), whether
    codekit's data describes that date (:attr:`covered`, the system's ``covers(on=)``) and,
    when it does not, a :attr:`note` saying what answered and what to do (worded as the
    system's entries say it). Shown as a table in a notebook.

    The fields are read-only (the list of hits is a list).

    >>> from codekit import icd10cm
    >>> hits = icd10cm.search("diabetes", on="2030-01-01", limit=1)
    >>> hits.on, hits.release, hits.covered
    (datetime.date(2030, 1, 1), 'FY2027', False)
    >>> hits.note.split(";")[0]
    "2030-01-01 is after the last date codekit's data describes (2027-03-31)"
    """

    __slots__ = ("_note", "_on", "_query", "_release")

    def __init__(self, hits: Iterable[SearchHit] = (), *, query: str = "",
                 on: dt.date | None = None, release: str | None = None,
                 note: str | None = None) -> None:
        super().__init__(hits)
        self._query = query
        self._on = on
        self._release = release
        self._note = note

    @property
    def query(self) -> str:
        """The text searched for (as cleaned for the search)."""
        return self._query

    @property
    def on(self) -> dt.date | None:
        """The date asked about (the date of service the hits are valid on)."""
        return self._on

    @property
    def release(self) -> str | None:
        """The data release that answered for :attr:`on` (``"FY2027"``,
        ``"IOCE 27.1.0"``, a loaded file's label), as entries name it."""
        return self._release

    @property
    def covered(self) -> bool:
        """Whether codekit's data describes :attr:`on` (the system's ``covers(on=)``);
        False: the hits are those of the nearest data, and :attr:`note` says so (a note
        is given exactly for a date the data does not describe)."""
        return self._note is None

    @property
    def note(self) -> str | None:
        """None when :attr:`covered`; otherwise what answered for :attr:`on` and what to
        do (add newer data), worded as the system's entries say it."""
        return self._note

    @property
    def good(self) -> bool:
        """At least one hit is a good match (say "no good match" otherwise)."""
        return any(h.good for h in self)

    @property
    def confidence(self) -> float:
        """The best hit's confidence (0 when there is none)."""
        return max((h.confidence for h in self), default=0.0)

    def as_dict(self) -> dict[str, Any]:
        """The fields of the search (not the hits): ``query``, ``on`` (ISO text),
        ``release``, ``covered`` and ``note``, for JSON."""
        return {"query": self._query, "on": self._on.isoformat() if self._on else None,
                "release": self._release, "covered": self._note is None, "note": self._note}

    def _repr_html_(self) -> str:
        from . import _html

        return _html.search_results(self, query=self.query, weak=WEAK, release=self.release,
                                    note=self.note)


@attrs.frozen
class OtherDates:
    """Codes that match a search well but are not valid on its date: valid only after it
    (``later``: the concept had no code yet, as COVID-19 before ICD-10-CM's U07.1 on
    2020-04-01) or only before it (``earlier``: no more). ``hits`` are the codes, best
    first, each with its title of the release in force on its date; ``dates`` each code's
    first day valid after the date asked (later) or last day valid before it (earlier);
    ``on`` the nearest of them to the date asked, and ``release`` the release in force on
    ``on`` (named as the system's entries name it: ``"FY2020-04"``, ``"FY2020"``,
    ``"IOCE 21.0.25"``)."""

    #: ``"later"`` or ``"earlier"``.
    direction: str
    on: dt.date
    release: str
    hits: tuple[SearchHit, ...]
    dates: tuple[dt.date, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes as printed (``U07.1``, ``XW033E5``), best first."""
        return tuple(h.formatted for h in self.hits)

    def as_dict(self) -> dict[str, Any]:
        """For JSON: ``direction``, ``on`` and each code's ``date`` as ISO text."""
        return {"direction": self.direction, "on": self.on.isoformat(),
                "release": self.release,
                "codes": [{"code": h.formatted, "title": h.title, "matched": h.matched,
                           "confidence": h.confidence, "date": d.isoformat()}
                          for h, d in zip(self.hits, self.dates, strict=True)]}

    def __str__(self) -> str:
        which = ", ".join(f"{h.formatted} ({d})" for h, d in zip(self.hits, self.dates,
                                                                   strict=True))
        if self.direction == "later":
            return f"codes valid from {self.on} on ({self.release}) match it: {which}"
        return f"codes valid until {self.on} ({self.release}) match it: {which}"


def other_dates_of(matches: Iterable[tuple[str, float, str]], day: dt.date,
                   ranges_of: Callable[[str], Iterable[tuple[dt.date, dt.date | None]]],
                   hit_of: Callable[[str, float, str, dt.date], SearchHit],
                   release_of: Callable[[dt.date], str]
                   ) -> tuple[OtherDates | None, OtherDates | None]:
    """(later, earlier) of a search with no good match on ``day``: ``matches`` are the
    codes not valid then that match well, best first, as (code, confidence, the text
    matched); ``ranges_of(code)`` its validity ranges (first day, last day or None; a
    :class:`~codekit.errors.DataError` leaves the code out), ``hit_of(code, confidence,
    matched, date)`` its hit with its title on that date, ``release_of(date)`` the
    release in force then. A code valid after ``day`` is ``later`` from its first such
    day, one valid before it ``earlier`` until its last (a code may be both)."""
    later: list[tuple[SearchHit, dt.date]] = []
    earlier: list[tuple[SearchHit, dt.date]] = []
    for code, confidence, matched in matches:
        try:
            spans = list(ranges_of(code))
        except DataError:
            continue
        after = [start for start, _ in spans if start > day]
        before = [end for _, end in spans if end is not None and end < day]
        if after:
            later.append((hit_of(code, confidence, matched, min(after)), min(after)))
        if before:
            earlier.append((hit_of(code, confidence, matched, max(before)), max(before)))

    def made(direction: str, rows: list[tuple[SearchHit, dt.date]],
             nearest: Callable[[Iterable[dt.date]], dt.date]) -> OtherDates | None:
        if not rows:
            return None
        on = nearest(d for _, d in rows)
        return OtherDates(direction, on, release_of(on), tuple(h for h, _ in rows),
                          tuple(d for _, d in rows))

    return made("later", later, min), made("earlier", earlier, max)


class DatedSearchResults(SearchResults):
    """The search results of the systems that ship their titles (ICD-10-CM, ICD-10-PCS,
    HCPCS Level II): :class:`SearchResults` and, when no hit is a good match on the date
    (``good`` False, no hit at all included), the codes that match well on other dates
    (:class:`OtherDates`): :attr:`later` (valid only after the date: the concept had no
    code yet) and :attr:`earlier` (valid only before it). ``as_dict()`` keeps the fields
    every system's results have; ``later.as_dict()`` gives the codes of other dates for
    JSON.

    >>> from codekit import icd10cm
    >>> found = icd10cm.search("covid", on="2020-03-01", limit=3)
    >>> list(found), found.later.on, found.later.codes
    ([], datetime.date(2020, 4, 1), ('U07.1', 'J12.82', 'Z11.52'))
    """

    __slots__ = ("_earlier", "_later")

    def __init__(self, hits: Iterable[SearchHit] = (), *, query: str = "",
                 on: dt.date | None = None, release: str | None = None,
                 note: str | None = None, later: OtherDates | None = None,
                 earlier: OtherDates | None = None) -> None:
        super().__init__(hits, query=query, on=on, release=release, note=note)
        self._later = later
        self._earlier = earlier

    @property
    def later(self) -> OtherDates | None:
        """Codes that match well and are valid only after :attr:`on` (None when a hit
        of the date is a good match, or no such code matches)."""
        return self._later

    @property
    def earlier(self) -> OtherDates | None:
        """Codes that match well and were valid only before :attr:`on` (None as for
        :attr:`later`)."""
        return self._earlier

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_dated, (list(self), self.query, self.on, self.release, self.note,
                                 self._later, self._earlier))


def _rebuild_dated(hits: list[SearchHit], query: str, on: dt.date | None,
                   release: str | None, note: str | None, later: OtherDates | None,
                   earlier: OtherDates | None) -> DatedSearchResults:
    return DatedSearchResults(hits, query=query, on=on, release=release, note=note,
                              later=later, earlier=earlier)


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
        """The code's title (None where codekit may not ship it, e.g. CPT): ICD-10-CM's
        and ICD-10-PCS's long title, a HCPCS Level II code's CMS long descriptor (else its
        short one), a CPT descriptor you loaded, a modifier's CMS description (else
        codekit's label)."""

    @property
    def short_title(self) -> str | None:
        """The short form of :attr:`title`, or None where there is none: the order file's
        short title (ICD-10-CM, ICD-10-PCS), the CMS short descriptor (HCPCS Level II,
        also ``short_description``), codekit's short label of a modifier (also
        ``label``); always None for CPT."""

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

    def as_dict(self) -> dict[str, Any]:
        """The entry as plain data for JSON (dates as ISO text), with at least the keys of
        these names (``code``, ``formatted``, ``valid``, ``on``, ``title``,
        ``short_title``, ``valid_ranges``, ``release``, ``note``, ``covered``)."""


class CodeSystem(Protocol):
    """The verbs of a code-system module (see the module documentation). The examples
    below ask :mod:`codekit.icd10cm`; every module of :data:`SYSTEMS` answers the same
    verbs with its own codes (:func:`get` gives one by name)."""

    #: The system's name, one of :data:`SYSTEMS` (``"icd10cm"``).
    SYSTEM: str

    def compact(self, value: object) -> str:
        """The code upper-case, without the white space around it and (ICD-10-CM) its
        dot: the form codekit compares codes in. Raises :class:`~codekit.InvalidFormat`
        (for a modifier :class:`~codekit.InvalidModifier`) for a value that is not text
        or cannot be a code of the system, by its shape alone (no table is read).

        >>> from codekit import icd10cm
        >>> icd10cm.compact(" e11.65 ")
        'E1165'
        """
        ...

    def format(self, value: object) -> str:
        """The code as printed: ICD-10-CM with its dot (``E11.65``), procedure codes and
        modifiers in their compact form (they have no punctuation). By format alone:
        the code need not exist.

        >>> from codekit import icd10cm
        >>> icd10cm.format("e1165")
        'E11.65'
        """
        ...

    def parse(self, value: object) -> Any:
        """The code split into its parts, by format alone (no data): a value object of
        the system (``icd10cm.Icd10cmCode``, ``icd10pcs.PcsCode``, ``procedure.ProcedureCode``
        ...). Raises :class:`~codekit.InvalidFormat` for a value that is not a code's shape.

        >>> from codekit import icd10cm
        >>> icd10cm.parse("E11.65")
        Icd10cmCode(category='E11', etiology='65', extension='')
        """
        ...

    def validate(self, code: object, *, on: object = None) -> Any:
        """The :class:`Entry` of ``code`` when it may be reported on ``on`` (None:
        today); otherwise raises the most specific :class:`~codekit.ValidationError`
        (:class:`~codekit.InvalidFormat`, :class:`~codekit.NotValidOnDate`,
        :class:`~codekit.NotBillable`, :class:`~codekit.UnknownCode`...), whose ``fix``
        lists the codes to use instead, best first.

        >>> from codekit import icd10cm
        >>> icd10cm.validate("G35", on="2025-11-03")
        Traceback (most recent call last):
        ...
        codekit.errors.NotValidOnDate: 'G35': not valid on 2025-11-03: ...
        """
        ...

    def is_valid(self, code: object, *, on: object = None) -> bool:
        """Whether :meth:`validate` would return an entry: True or False, never an error
        for a bad code. Raises :class:`~codekit.InvalidArgument` only for a malformed
        ``on``.

        >>> from codekit import icd10cm
        >>> icd10cm.is_valid("G35", on="2025-09-30"), icd10cm.is_valid("G35", on="2025-10-01")
        (True, False)
        """
        ...

    def lookup(self, code: object, *, on: object = None) -> Any:
        """The :class:`Entry` of ``code`` whether or not it is valid on ``on``
        (``entry.valid`` says; ``valid_ranges`` gives when it is). Raises
        :class:`~codekit.UnknownCode` for a code in no release codekit knows and
        :class:`~codekit.InvalidFormat` for a value that is not a code.

        >>> from codekit import icd10cm
        >>> e = icd10cm.lookup("G35", on="2025-11-03")
        >>> e.valid, e.valid_ranges[-1][1]
        (False, datetime.date(2025, 9, 30))
        """
        ...

    def suggest(self, code: object, *, on: object = None, limit: int = 5) -> list[str]:
        """Up to ``limit`` codes valid on ``on`` that are close to a mistyped or
        incomplete ``code`` (did you mean), as printed, best first; ``[]`` when none is
        close.

        >>> from codekit import icd10cm
        >>> icd10cm.suggest("I1O", on="2025-10-01")[0]
        'I10'
        """
        ...

    def search(self, text: str, *, on: object = None, limit: int = 10) -> SearchResults:
        """Codes valid on ``on`` whose titles (and, for ICD-10-CM, inclusion terms)
        match the words of ``text``: up to ``limit`` :class:`SearchHit` objects, best
        first, in a :class:`SearchResults` (a :class:`DatedSearchResults` for the systems
        that ship their titles).

        >>> from codekit import icd10cm
        >>> hit = icd10cm.search("heart attack", on="2025-06-01")[0]
        >>> hit.formatted, hit.confidence
        ('I21.9', 1.0)
        """
        ...

    def covers(self, *, on: object = None) -> bool:
        """Whether codekit's data describes the date ``on`` (None: today). Answers for
        a date outside it are extrapolated from the nearest data: entries say so in
        their ``note``; the verbs that answer a bool or a list do not, hence this.

        Where the answer depends on the code, the system also takes one, first and
        optional (``covers(code=None, *, on=)``), and answers as the code's entry's
        ``covered``: :mod:`~codekit.hcpcs`, :mod:`~codekit.procedure` and
        :mod:`~codekit.modifiers`, since a CMS HCPCS file you loaded describes its quarter
        for the Level II codes and modifiers it lists, not for CPT codes and modifiers
        or CDT (D) codes. The others' data describes a date for all their codes alike.

        >>> from codekit import icd10cm
        >>> icd10cm.covers(on="2025-06-01"), icd10cm.covers(on="2031-01-01")
        (True, False)
        """
        ...

    def coverage(self) -> tuple[dt.date, dt.date]:
        """The first and last dates of service codekit's data describes (ICD-10-CM and
        ICD-10-PCS: with the releases a user added).

        >>> from codekit import icd10cm
        >>> icd10cm.coverage()[0]
        datetime.date(2015, 10, 1)
        """
        ...


def get(name: str) -> CodeSystem:
    """The code-system module called ``name`` (one of :data:`SYSTEMS`)."""
    if name not in SYSTEMS:
        from .errors import InvalidArgument

        raise InvalidArgument(f"system={name!r}: expected one of {', '.join(SYSTEMS)}")
    return importlib.import_module(f"codekit.{name}")

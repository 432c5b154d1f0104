"""ICD-10-CM's search results (:func:`codekit.icd10cm.search`): every system's
:class:`~codekit.codesystem.SearchResults` and, when no hit is a good match on the date,
the codes of other dates that match (:class:`OtherDates`, found by
:func:`codekit.icd10cm._search.other_dates`). A module of its own so that importing
:mod:`codekit.icd10cm` does not load the search index's code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from ..codesystem import SearchHit, SearchResults

__all__ = ["DatedSearchResults", "OtherDates"]


@attrs.frozen
class OtherDates:
    """Codes that match a search well but are not valid on its date: valid only after it
    (``later``: the concept had no code yet, as COVID-19 before U07.1 on 2020-04-01) or
    only before it (``earlier``: no more). ``hits`` are the codes, best first, each with
    its title of the release in force on its date; ``dates`` each code's first day valid
    after the date asked (later) or last day valid before it (earlier); ``on`` the nearest
    of them to the date asked, and ``release`` the release in force on ``on``."""

    #: ``"later"`` or ``"earlier"``.
    direction: str
    on: dt.date
    release: str
    hits: tuple[SearchHit, ...]
    dates: tuple[dt.date, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes as printed (``U07.1``), best first."""
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


class DatedSearchResults(SearchResults):
    """ICD-10-CM's search results: :class:`~codekit.codesystem.SearchResults` and, when
    no hit is a good match on the date (``good`` False, no hit at all included), the codes
    that match well on other dates (:class:`OtherDates`): :attr:`later` (valid only after
    the date: the concept had no code yet) and :attr:`earlier` (valid only before it).
    ``as_dict()`` keeps the fields every system's results have; ``later.as_dict()`` gives
    the codes of other dates for JSON.

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
        return (_rebuild, (list(self), self.query, self.on, self.release, self.note,
                           self._later, self._earlier))


def _rebuild(hits: list[SearchHit], query: str, on: dt.date | None, release: str | None,
             note: str | None, later: OtherDates | None, earlier: OtherDates | None
             ) -> DatedSearchResults:
    return DatedSearchResults(hits, query=query, on=on, release=release, note=note,
                              later=later, earlier=earlier)

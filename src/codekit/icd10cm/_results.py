"""ICD-10-CM's search results (:func:`codekit.icd10cm.search`): the classes every system
that ships its titles shares, :class:`~codekit.codesystem.DatedSearchResults` and
:class:`~codekit.codesystem.OtherDates` (found by
:func:`codekit.icd10cm._search.other_dates`), named here as ICD-10-CM's modules import
them. A module of its own so that importing :mod:`codekit.icd10cm` does not load the
search index's code."""

from __future__ import annotations

import datetime as dt

from ..codesystem import DatedSearchResults, OtherDates, SearchHit

__all__ = ["DatedSearchResults", "OtherDates"]


def _rebuild(hits: list[SearchHit], query: str, on: dt.date | None, release: str | None,
             note: str | None, later: OtherDates | None, earlier: OtherDates | None
             ) -> DatedSearchResults:
    """Results pickled when the class lived here (they name this function)."""
    return DatedSearchResults(hits, query=query, on=on, release=release, note=note,
                              later=later, earlier=earlier)

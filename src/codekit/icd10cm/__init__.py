"""ICD-10-CM (International Classification of Diseases, 10th Revision, Clinical
Modification): diagnosis codes, answered for a date of service.

Every question takes ``on=`` (a date of service; default today) or ``release=`` (a release
id such as ``"FY2026"``):

>>> from codekit import icd10cm
>>> icd10cm.compact(" s72.001a "), icd10cm.format("S72001A")
('S72001A', 'S72.001A')
>>> icd10cm.is_valid("G35", on="2025-09-30"), icd10cm.is_valid("G35", on="2025-10-01")
(True, False)
>>> entry = icd10cm.validate("E11.65", on="2025-06-01")
>>> entry.title, entry.block.id, entry.parent
('Type 2 diabetes mellitus with hyperglycemia', 'E08-E13', 'E116')
>>> icd10cm.validate("G35", on="2025-10-01")
Traceback (most recent call last):
...
codekit.errors.NotValidOnDate: 'G35': not valid on 2025-10-01: ... header in FY2026: ...

Validity by date runs from 2015-10-01 (when ICD-10-CM took effect) to the end of the CMS
Medicare Code Editor table bundled with codekit; titles, hierarchy and notes come from the
release nearest the date. See ``docs/icd10cm.md``.
"""

from __future__ import annotations

import datetime as _dt

import attrs as _attrs

from ._codes import clear_caches, is_valid, lookup, validate
from ._format import Icd10cmCode, compact, parse
from ._format import format_code as format
from ._store import Store, default_store
from ._suggest import SearchHit, search, suggest
from .entry import Block, Chapter, Entry, MceFlags

__all__ = [
    "Block",
    "Chapter",
    "Entry",
    "Icd10cmCode",
    "MceFlags",
    "ReleaseInfo",
    "SearchHit",
    "Store",
    "clear_caches",
    "compact",
    "format",
    "is_valid",
    "lookup",
    "parse",
    "preload",
    "releases",
    "search",
    "suggest",
    "validate",
]


@_attrs.frozen
class ReleaseInfo:
    """A loaded ICD-10-CM release: id, label, the dates it answers for, where it came from."""

    id: str
    label: str
    effective: _dt.date
    until: _dt.date | None
    source: str
    has_tabular: bool
    codes: int
    billable: int


def preload() -> None:
    """Read every bundled and user ICD-10-CM table now instead of on first use (a service
    calls this once at start-up, so that no request pays for it)."""
    default_store().load()


def releases(*, store: Store | None = None) -> list[ReleaseInfo]:
    """The releases codekit has loaded (bundled and user-added), oldest first.

    >>> [(r.id, str(r.effective)) for r in releases()][-1]
    ('FY2026', '2025-10-01')
    """
    s = store or default_store()
    return [
        ReleaseInfo(r.id, r.label, r.effective, r.until, "user" if r.user else "bundled",
                    r.has_tabular, r.counts.get("codes", 0), r.counts.get("billable", 0))
        for r in s.releases
    ]

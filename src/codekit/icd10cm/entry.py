"""What :func:`codekit.icd10cm.lookup` and :func:`~codekit.icd10cm.validate` return.

An :class:`Entry` is a frozen value. Its identity (code, date, billable, release) is set
when it is made; everything else (titles, hierarchy, notes, MCE flags, valid ranges) is
read from the tables on first access and then kept, so a lookup costs little until you
ask for more. An entry pickles with a reference to its data store, which unpickles as the
worker's own store over the same folders.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .notes import CodeRef, Note, NoteList

if TYPE_CHECKING:
    from ._store import ReleaseTable, Store

__all__ = ["NOTE_ATTRIBUTES", "Block", "Chapter", "Context", "Entry", "MceFlags", "SourcedNote"]

#: Tabular note kind → Entry attribute, and how far notes above the code reach it:
#: "own" (the code itself), "ancestors" (its categories), "all" (also block and chapter).
NOTE_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "inclusionTerm": ("inclusion_terms", "own"),
    "includes": ("includes", "ancestors"),
    "excludes1": ("excludes1", "all"),
    "excludes2": ("excludes2", "all"),
    "codeFirst": ("code_first", "all"),  # the T36-T50 block's, for adverse effects
    "useAdditionalCode": ("use_additional_code", "ancestors"),
    "codeAlso": ("code_also", "ancestors"),
    "notes": ("notes", "ancestors"),
}

#: Raw note data: (origin, kind, text, refs-as-json).
RawNote = tuple[str, str, str, tuple[str | list[Any], ...]]


@attrs.frozen
class Chapter:
    """A chapter of the tabular (``number`` "4", title, first and last category)."""

    number: str
    title: str
    first: str
    last: str


@attrs.frozen
class Block:
    """A block (section) of the tabular, such as ``E08-E13`` Diabetes mellitus."""

    id: str
    title: str
    first: str
    last: str


@attrs.frozen
class MceFlags:
    """The Medicare Code Editor's edits for a code on a date.

    ``age_band`` is newborn, pediatric, maternity or adult (with ``age_range`` in years);
    ``sex`` is "M" or "F" for codes limited to one sex (no sex flags exist after
    2024-09-30, when CMS retired the inpatient sex edit). ``start``/``end`` is the date range
    of the MCE row these flags come from (``end`` None = open).
    """

    start: dt.date
    end: dt.date | None
    age_band: str | None = None
    age_range: tuple[int, int] | None = None
    sex: str | None = None
    manifestation: bool = False
    external_cause_principal: bool = False
    unacceptable_principal: bool = False
    questionable_admission: bool = False
    unspecified: bool = False
    other: tuple[str, ...] = ()

    @classmethod
    def from_flags(
        cls, flags: tuple[str, ...], start: dt.date, end: dt.date | None,
        bands: Mapping[str, tuple[int, int]],
    ) -> MceFlags:
        """The flags of one MCE table row: ``flags`` are its flag names (``"adult"``,
        ``"female"``, ``"manifestation"``, ``"ecodepdx"``, ``"unacceptable"``, ``"qadm"``,
        ``"unspecified"``...; a name codekit does not know is kept in ``other``),
        ``start``/``end`` the row's dates and ``bands`` the age range in years of each age
        band (``{"adult": (15, 124)}``).

        >>> import datetime as dt
        >>> f = MceFlags.from_flags(("adult", "female"), dt.date(2023, 10, 1), None,
        ...                         {"adult": (15, 124)})
        >>> f.age_band, f.age_range, f.sex
        ('adult', (15, 124), 'F')
        """
        known = {"newborn", "pediatric", "maternity", "adult", "male", "female",
                 "manifestation", "ecodepdx", "unacceptable", "qadm", "unspecified"}
        band = next((f for f in ("newborn", "pediatric", "maternity", "adult") if f in flags),
                    None)
        sex = "M" if "male" in flags else "F" if "female" in flags else None
        return cls(
            start=start, end=end, age_band=band, age_range=bands.get(band) if band else None,
            sex=sex, manifestation="manifestation" in flags,
            external_cause_principal="ecodepdx" in flags,
            unacceptable_principal="unacceptable" in flags,
            questionable_admission="qadm" in flags, unspecified="unspecified" in flags,
            other=tuple(f for f in flags if f not in known),
        )


@attrs.frozen
class SourcedNote(Note):
    """A note with the place it is written: a code (``E11``), a block or a chapter."""

    origin: str = ""


@attrs.frozen
class Context:
    """What entries made for one date share: the data store, the release, the date."""

    store: Store = attrs.field(eq=False, repr=False)
    release: str
    on: dt.date
    #: False when no release covers the date and the nearest one answers.
    exact: bool


@attrs.frozen(repr=False)
class Entry:
    """One ICD-10-CM code as a release describes it, answered for a date of service.

    ``billable`` says whether the code may be reported on ``on``; ``valid_ranges`` lists
    every date range in which it may. ``release`` names the release answering for the date;
    ``title`` is None when that release has no title for the code (``release_note`` then
    says why and what to do).
    """

    code: str
    billable: bool
    _ctx: Context = attrs.field(alias="ctx")
    #: Id of the release whose row describes the code (differs from ``release`` for a code
    #: that is not in the date's release), or None when no release has it.
    _holder: str | None = attrs.field(eq=False, alias="holder")
    #: The code's row in the holder release (-1 when there is none).
    _index: int = attrs.field(eq=False, alias="index", default=-1)
    #: The long title (None when no release codekit has describes the code).
    title: str | None = attrs.field(eq=False, default=None)

    @property
    def on(self) -> dt.date:
        """The date of service the entry answers for."""
        return self._ctx.on

    @property
    def release(self) -> str:
        """The release answering for ``on`` (titles and notes come from it)."""
        return self._ctx.release

    @property
    def _store(self) -> Store:
        return self._ctx.store

    @property
    def _exact(self) -> bool:
        return self._ctx.exact

    def __repr__(self) -> str:
        return (f"Entry(code={self.code!r}, dotted={self.dotted!r}, title={self.title!r}, "
                f"billable={self.billable}, on={self.on!r}, release={self.release!r})")

    def __str__(self) -> str:
        if self.title:
            return f"{self.dotted} {self.title}"
        rel = self._store.by_id.get(self.release)
        return f"{self.dotted} (no title in {rel.readable if rel else self.release})"

    def _repr_html_(self) -> str:
        from .. import _html

        return _html.entry(self)

    # -- identity and titles -------------------------------------------------------------

    @functools.cached_property
    def dotted(self) -> str:
        """The code with its dot (``E11.65``)."""
        c = self.code
        return c if len(c) == 3 else c[:3] + "." + c[3:]

    @property
    def formatted(self) -> str:
        """The code as printed: :attr:`dotted` (the name every code system shares)."""
        return self.dotted

    @property
    def valid(self) -> bool:
        """:attr:`billable`, under the name every code system shares: the code may be
        reported on :attr:`on`."""
        return self.billable

    @property
    def note(self) -> str | None:
        """:attr:`release_note`, under the name every code system shares."""
        return self.release_note

    @functools.cached_property
    def _row(self) -> tuple[ReleaseTable, int] | None:
        if self._holder is None:
            return None
        rel = self._store.by_id[self._holder]
        i = self._index if self._index >= 0 else rel.row(self.code)
        return None if i is None else (rel, i)

    @functools.cached_property
    def short_title(self) -> str | None:
        """The short description of the CMS order file (at most 60 characters, often
        abbreviated: ``Type 2 diab with mild nonp rtnop with macular edema, r eye`` for
        E11.3211), or None when no release codekit has describes the code."""
        row = self._row
        if row is None:
            return None
        return row[0].short_title(row[1]) or None

    @functools.cached_property
    def covered(self) -> bool:
        """Whether codekit's data describes :attr:`on`: False before ICD-10-CM took effect
        (2015-10-01) and after the last date the data covers (the end of the CMS MCE table,
        2027-03-31, or of a release you added), where the answer is extrapolated from the
        newest data (:attr:`release_note` says so). Machine-readable, for reports."""
        from ._codes import ICD10_START

        return ICD10_START <= self.on <= self._store.last_known

    @functools.cached_property
    def notes_source(self) -> str | None:
        """The release whose tabular the notes, 7th characters, block and chapter come
        from (:attr:`release` itself, another year's when the date's release came without
        a tabular, e.g. ``"FY2026"`` for FY2027), or None when no release has a tabular."""
        tab = self._tabular
        return tab.id if tab is not None else None

    @functools.cached_property
    def notes_note(self) -> str | None:
        """Where the notes come from when not from the tabular of :attr:`release` itself
        (another year's tabular; the code not in it; an inferred block), or None.

        >>> from codekit import icd10cm
        >>> e = icd10cm.lookup("K6A", on="2026-12-02")
        >>> e.notes_source, e.notes_note.split(":")[0]
        ('FY2026', 'Notes and 7th characters from the FY2026 tabular')
        """
        from . import _details

        return _details.notes_note(self._store, self.release, self.code)

    @functools.cached_property
    def release_note(self) -> str | None:
        """Why the answer is approximate (no files for the date's fiscal year, a date past
        the data, a code absent from the date's release), and how to fix it; or None."""
        from . import _details

        return _details.release_note(self._store, self.release, self._holder, self._exact,
                                     self.code, self.on)

    @functools.cached_property
    def kind(self) -> str:
        """"category" (3 characters), "subcategory" (a header) or "code" (billable)."""
        if len(self.code) == 3:
            return "category"
        row = self._row
        if row is not None and not row[0].is_billable_row(row[1]):
            return "subcategory"
        return "code"

    # -- hierarchy -----------------------------------------------------------------------

    @functools.cached_property
    def ancestors(self) -> tuple[str, ...]:
        """Parent, grandparent, ... up to the category (undotted codes)."""
        from . import _details

        return tuple(_details.ancestors(self._base, self.code))

    @property
    def parent(self) -> str | None:
        """The code one level up, undotted (``"E116"`` for E11.65), or None for a category
        (three characters); its block and chapter are :attr:`block` and :attr:`chapter`.

        >>> from codekit import icd10cm
        >>> e = icd10cm.lookup("E11.65", on="2025-10-01")
        >>> e.parent, e.block.id, e.chapter.number
        ('E116', 'E08-E13', '4')
        """
        a = self.ancestors
        return a[0] if a else None

    @functools.cached_property
    def children(self) -> tuple[str, ...]:
        """The codes one level down, undotted, in code order (empty for a billable code
        with nothing below it).

        >>> from codekit import icd10cm
        >>> icd10cm.lookup("E11", on="2025-10-01").children[:3]
        ('E110', 'E111', 'E112')
        """
        return tuple(self._base.children_of(self.code))

    @functools.cached_property
    def _base(self) -> ReleaseTable:
        return self._store.by_id[self._holder or self.release]

    @functools.cached_property
    def _tabular(self) -> ReleaseTable | None:
        from . import _details

        return _details.tabular_for(self._store, self._store.by_id[self.release])

    @functools.cached_property
    def _structure(self) -> tuple[Block | None, Chapter | None, dict | None, dict | None]:
        from . import _details

        b, c, _, _ = _details.block_for(self._store, self._store.by_id[self.release],
                                        self.code)
        block = Block(b["block"], b["title"], b["first"], b["last"]) if b else None
        chapter = Chapter(c["chapter"], c["title"], c.get("first", ""), c.get("last", "")) \
            if c else None
        return block, chapter, b, c

    @property
    def block(self) -> Block | None:
        """The block (section) of the tabular holding the code (``E08-E13`` Diabetes
        mellitus), or None when no tabular codekit has places it."""
        return self._structure[0]

    @property
    def chapter(self) -> Chapter | None:
        """The chapter of the tabular holding the code (``number`` ``"4"``), or None when
        no tabular codekit has places it."""
        return self._structure[1]

    @functools.cached_property
    def _chain(self) -> list[str]:
        from . import _details

        stem = _details.stem(self.code, self._tabular)
        return [stem] + [a for a in self.ancestors if len(a) < len(stem)]

    @functools.cached_property
    def seventh_character_defs(self) -> tuple[tuple[str, str], ...]:
        """``(character, meaning)`` pairs of the closest 7th-character definition."""
        from . import _details

        seven = _details.seven_defs(self._tabular, self._chain)
        return tuple(sorted(seven[1].items())) if seven else ()

    @property
    def seventh_characters(self) -> dict[str, str]:
        """The 7th characters that apply to this code (from the closest definition)."""
        return dict(self.seventh_character_defs)

    # -- dates and edits -----------------------------------------------------------------

    @functools.cached_property
    def mce(self) -> MceFlags | None:
        """The MCE flags on ``on`` (None when the MCE has no row for the code then)."""
        from . import _details

        return _details.mce_flags(self._store, self.code, self.on)

    @functools.cached_property
    def valid_ranges(self) -> tuple[tuple[dt.date, dt.date | None], ...]:
        """Every ``(start, end)`` range (end inclusive, None = open) the code is billable."""
        return tuple(self._store.validity.ranges(self.code))

    # -- notes ---------------------------------------------------------------------------

    @functools.cached_property
    def raw_notes(self) -> tuple[RawNote, ...]:
        """Every tabular note that applies to the code, as plain data: ``(origin, kind,
        text, refs)``, where ``origin`` is where the note is written (a code ``"E11"``, a
        block ``"J40-J4A"`` or ``"chapter 4"``), ``kind`` the tabular's element name
        (``excludes1``, ``codeFirst``...) and ``refs`` the code references in JSON form;
        from the code up to its chapter. The note properties (:attr:`excludes1`...) give
        them parsed; empty when no release has a tabular."""
        from . import _details

        tab = self._tabular
        if tab is None:
            return ()
        _, _, b, c = self._structure
        return _details.raw_notes(tab, self._chain, b, c)

    def _notes(self, kind: str) -> NoteList:
        notes = tuple(
            SourcedNote(text=text, refs=tuple(CodeRef.from_json(r) for r in refs),
                        origin=origin)
            for origin, k, text, refs in self.raw_notes if k == kind
        )
        return NoteList(kind=kind, notes=notes)

    @property
    def inclusion_terms(self) -> NoteList:
        """The tabular's inclusion terms (``inclusionTerm``): other words for the
        condition the code is reported for. Notes of the code and of every level above it
        (its categories, block and chapter), each with its ``origin``; an empty
        :class:`NoteList` when there are none."""
        return self._notes("inclusionTerm")

    @property
    def includes(self) -> NoteList:
        """The tabular's Includes notes: conditions the code (or its category) covers.
        Notes of the code and of every level above it (its categories, block and
        chapter), each with its ``origin``; an empty :class:`NoteList` when there are none.

        >>> from codekit import icd10cm
        >>> icd10cm.lookup("I10", on="2025-10-01").includes.texts[0]
        'high blood pressure'
        """
        return self._notes("includes")

    @property
    def excludes1(self) -> NoteList:
        """Excludes1 notes of the code and everything above it (chapter included)."""
        return self._notes("excludes1")

    @property
    def excludes2(self) -> NoteList:
        """The tabular's Excludes2 notes: conditions not part of the code, which may be
        coded with it when the patient has both (``matches(code)`` tests one).
        Notes of the code and of every level above it (its categories, block and
        chapter), each with its ``origin``; an empty :class:`NoteList` when there are none."""
        return self._notes("excludes2")

    @property
    def code_first(self) -> NoteList:
        """The tabular's "Code first" notes: the underlying condition to list before this
        code (a manifestation's etiology). Notes of the code and of every level above it
        (its categories, block and chapter), each with its ``origin``; an empty
        :class:`NoteList` when there are none."""
        return self._notes("codeFirst")

    @property
    def use_additional_code(self) -> NoteList:
        """The tabular's "Use additional code" notes: what to add after this code.
        Notes of the code and of every level above it (its categories, block and
        chapter), each with its ``origin``; an empty :class:`NoteList` when there are none.

        >>> from codekit import icd10cm
        >>> icd10cm.lookup("E11.65", on="2025-10-01").use_additional_code.matches("Z79.4")
        True
        """
        return self._notes("useAdditionalCode")

    @property
    def code_also(self) -> NoteList:
        """The tabular's "Code also" notes: another condition to code too, in either
        order. Notes of the code and of every level above it (its categories, block and
        chapter), each with its ``origin``; an empty :class:`NoteList` when there are none."""
        return self._notes("codeAlso")

    @property
    def notes(self) -> NoteList:
        """The tabular's plain notes (``notes``: definitions and instructions that are no
        other kind). Notes of the code and of every level above it (its categories, block and
        chapter), each with its ``origin``; an empty :class:`NoteList` when there are none."""
        return self._notes("notes")

    def as_dict(self) -> dict[str, object]:
        """Everything about the entry as plain data (dates as ISO strings), for JSON,
        under the names every code system's ``as_dict()`` has (``formatted``, ``valid``,
        ``note``...) and ICD-10-CM's own (``dotted``, ``billable``, ``release_note``)."""
        def iso(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        mce = self.mce
        return {
            "code": self.code, "formatted": self.formatted, "dotted": self.dotted,
            "title": self.title, "short_title": self.short_title, "valid": self.valid,
            "billable": self.billable,
            "on": self.on.isoformat(), "kind": self.kind, "release": self.release,
            "note": self.note, "release_note": self.release_note, "covered": self.covered,
            "notes_source": self.notes_source, "notes_note": self.notes_note,
            "chapter": attrs.asdict(self.chapter) if self.chapter else None,
            "block": attrs.asdict(self.block) if self.block else None,
            "parent": self.parent, "children": list(self.children),
            "ancestors": list(self.ancestors),
            "seventh_characters": self.seventh_characters,
            "mce": None if mce is None else {
                **attrs.asdict(mce), "start": iso(mce.start), "end": iso(mce.end)},
            "valid_ranges": [[iso(a), iso(b)] for a, b in self.valid_ranges],
            **{attr: list(getattr(self, attr).texts) for attr, _ in NOTE_ATTRIBUTES.values()},
        }

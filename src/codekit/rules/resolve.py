"""Resolving a claim's codes for its dates, remembered across claims.

A stream of claims repeats codes and dates. What a diagnosis code means on a date depends
on the date only through a few things: the validity period, the release that answers for
the date (and the order of the releases nearest it), and the MCE age bands in force (MCE
rows start and end on period boundaries). Dates that agree on all of them share a
:class:`DateClass`, and a code resolved for one date of a class is answered for every
date of it: a quarter of claims resolves each valid code once, not once per day.

Errors keep their date (their messages name it) and are remembered per (code, date).
Everything here answers from the default data store, and forgets it all when
:func:`codekit.icd10cm.clear_caches` is called.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from .. import icd10cm
from ..errors import ValidationError
from ..icd10cm import _codes, _details
from ..icd10cm._store import ReleaseTable, default_store
from ..icd10cm.entry import Entry, MceFlags

__all__ = ["INVALID", "DateClass", "DxFacts", "date_class", "diagnosis_error",
           "resolve_diagnosis", "resolve_procedure"]

#: What :func:`resolve_diagnosis` answers for a code that is not valid on the date.
INVALID = False
#: The last day of the last published MCE sex lists (CMS retired the edit on 2024-10-01).
LAST_SEX_LISTS = dt.date(2024, 9, 30)
_MAX_ANSWERS = 1 << 17  # remembered (raw diagnosis, date class) answers, all classes

# Guideline I.C.21.c.16: Z codes reported only as principal/first-listed.
FIRST_ONLY = ("Z00", "Z01", "Z02", "Z04", "Z3181", "Z3183", "Z3184", "Z332", "Z34", "Z38",
              "Z39", "Z40", "Z42", "Z510", "Z511", "Z52", "Z761", "Z762", "Z9912")
FIRST_ONLY_EXCEPT = ("Z006", "Z529")
#: Codes the classification allows only as additional codes, for every claim type.
SECONDARY_ONLY = ("B95", "B96", "B97", "Z37", "Z3A", "Z68")

#: :attr:`DxFacts.bits`: what a valid diagnosis may trigger, so that the claim context
#: can tell which rules have anything to look at (see ``ClaimContext.features``).
AGE_LIMIT = 1  # an MCE age band
SEX_LIMIT = 2  # a sex limit, on the date or in the last published lists
MANIFESTATION = 4
EXTERNAL_CAUSE = 8
FIRST_ONLY_Z = 16  # a Z code reported only first-listed
NOT_PRINCIPAL = 32  # secondary-only, or on the MCE unacceptable-principal list


class DxFacts:
    """What the rules need to know about one valid diagnosis: its titles and side (from
    its release), its MCE flags (from the MCE row of the date) and, read on first use, the
    code references of its Excludes1 and "Code first" notes.

    Facts are made once per code and :class:`DateClass` (dates that answer alike), so a
    stream of claims over a quarter builds them once per code.
    """

    __slots__ = ("_dc", "_holder", "_notes", "_side", "_title", "age_band", "age_range",
                 "bits", "code", "dotted", "external_cause", "last_listed_sex",
                 "manifestation", "mce_manifestation", "requires_secondary", "sex",
                 "unacceptable_principal")

    def __init__(self, code: str, dc: DateClass, mce: _MceFacts) -> None:
        self.code = code
        self.dotted = code if len(code) == 3 else code[:3] + "." + code[3:]
        self._dc = dc  # the dates these facts answer for
        self._holder: tuple[ReleaseTable | None, int] | None = None  # found on first use
        self._title: str | None = None  # read on first use
        self._side: tuple[str | None, str | None] | None = None
        (self.sex, self.age_band, self.age_range, self.mce_manifestation,
         self.unacceptable_principal, self.requires_secondary, self.last_listed_sex,
         bits) = mce
        self.external_cause = code[:1] in "VWXY"
        #: "in diseases classified elsewhere" in its title, or on the MCE manifestation list
        self.manifestation = self.mce_manifestation or (
            code in (dc._titled or dc.titled())
            and _MANIFESTATION_WORDS in self.title.lower())
        self._notes: tuple[_Notes, _Notes] | None = None  # Excludes1, Code first; on use
        #: What this diagnosis may trigger (:data:`AGE_LIMIT`, :data:`SEX_LIMIT`...)
        self.bits = bits | (MANIFESTATION if self.manifestation else 0) | \
            (EXTERNAL_CAUSE if self.external_cause else 0) | \
            (FIRST_ONLY_Z if code.startswith(FIRST_ONLY)
             and not code.startswith(FIRST_ONLY_EXCEPT) else 0) | \
            (NOT_PRINCIPAL if code.startswith(SECONDARY_ONLY) else 0)

    @property
    def _held(self) -> tuple[ReleaseTable | None, int]:
        """(the release whose row describes the code -- the date's release, else the
        nearest that has it; None when none has --, and the row)."""
        held = self._holder
        if held is None:
            dc = self._dc
            rel: ReleaseTable | None = dc.release
            i = rel.row(self.code)  # type: ignore[union-attr]
            if i is None:
                rel = next((r for r in dc.releases if r.row(self.code) is not None), None)
                i = rel.row(self.code) if rel is not None else None
            held = self._holder = (rel, -1 if i is None else i)
        return held

    @property
    def title(self) -> str:
        """The long title ("" when no release codekit has describes the code)."""
        title = self._title
        if title is None:
            rel, i = self._held
            title = self._title = rel.long_title(i) if rel is not None and i >= 0 else ""
        return title

    @property
    def side(self) -> str | None:
        """"right", "left" or "bilateral" when the title names a side."""
        if self._side is None:
            self._side = _side(self.title)
        return self._side[0]

    @property
    def detail(self) -> str | None:
        """The finger, toe or eyelid the title names, if any."""
        if self._side is None:
            self._side = _side(self.title)
        return self._side[1]

    def __repr__(self) -> str:
        return f"DxFacts({self.dotted!r})"

    @property
    def entry(self) -> Entry:
        """The code's entry on a date these facts answer for (notes, hierarchy...)."""
        return icd10cm.validate(self.code, on=self._dc.day)

    def _read_notes(self) -> tuple[_Notes, _Notes]:
        notes = self._notes
        if notes is None:
            release = self._dc.release
            ex, cf = _details.note_groups(default_store(), release,
                                          self._held[0] or release, self.code,
                                          "excludes1", "codeFirst")
            notes = self._notes = (_Notes(ex) if ex else _NO_NOTES,
                                   _Notes(cf) if cf else _NO_NOTES)
        return notes

    @property
    def excludes1(self) -> tuple[tuple[Any, str, str], ...]:
        """``(CodeRef, note text, origin)`` of every Excludes1 reference that applies (those
        of :attr:`codekit.icd10cm.Entry.excludes1`)."""
        return tuple(r for g in self._read_notes()[0].groups for r in g.refs)

    @property
    def code_first(self) -> tuple[tuple[Any, str, str], ...]:
        """``(CodeRef, note text, origin)`` of every "Code first" reference."""
        return tuple(r for g in self._read_notes()[1].groups for r in g.refs)

    @property
    def excludes1_index(self) -> _Notes:
        """The Excludes1 references indexed for "which note names this code"."""
        return (self._notes or self._read_notes())[0]

    @property
    def has_code_first(self) -> bool:
        return bool(self._read_notes()[1].groups)

    def excludes1_note(self, code: str) -> tuple[str, str] | None:
        """``(note text, origin)`` of an Excludes1 note of this code naming ``code``."""
        return (self._notes or self._read_notes())[0].note(code)

    def code_first_note(self, code: str) -> tuple[str, str] | None:
        """``(note text, origin)`` of a "Code first" note of this code naming ``code``."""
        return (self._notes or self._read_notes())[1].note(code)


_UNSEEN = object()
_NO_NOTES: _Notes  # set below the class: the notes of a code without any


class _Notes:
    """One kind of note of a code: its reference groups, and the answers to "which note
    names this other code" (most codes are of a category no reference names: one set
    look-up says so)."""

    __slots__ = ("categories", "groups", "memo", "ranges")

    def __init__(self, groups: tuple[_details.RefGroup, ...]) -> None:
        self.groups = groups
        self.categories = groups[0].categories if len(groups) == 1 else \
            frozenset().union(*(g.categories for g in groups))
        self.ranges = any(g.ranges for g in groups)
        self.memo: dict[str, tuple[str, str] | None] | None = None  # made on first use

    def note(self, code: str) -> tuple[str, str] | None:
        """``(note text, origin)`` of the first reference naming ``code``, or None."""
        if not self.ranges and code[:3] not in self.categories:
            return None
        memo = self.memo
        if memo is None:
            memo = self.memo = {}
        found = memo.get(code, _UNSEEN)
        if found is _UNSEEN:
            found = None
            for group in self.groups:
                ref = group.first(code)
                if ref is not None:
                    found = ref[1], ref[2]
                    break
            if len(memo) < 4096:
                memo[code] = found
        return found  # type: ignore[return-value]


_NO_NOTES = _Notes(())


_SIDE_WORDS = (("bilateral", "bilateral"), ("right", "right"), ("left", "left"))
_DETAILS = ("upper eyelid", "lower eyelid", "thumb", "index finger", "middle finger",
            "ring finger", "little finger", "great toe", "lesser toe")


def _side(title: str) -> tuple[str | None, str | None]:
    words = title.lower().replace(",", " ").split()
    sides = {s for w, s in _SIDE_WORDS if w in words}
    if "unspecified" in words and not sides - {"bilateral"}:
        return None, None
    side = "bilateral" if "bilateral" in sides or {"right", "left"} <= sides else \
        next(iter(sides), None)
    low = title.lower()
    detail = next((d for d in _DETAILS if d in low), None)
    return side, detail


class DateClass:
    """Dates on which every diagnosis code gets the same answer (see the module doc).

    ``answers`` maps a raw diagnosis string to its :class:`DxFacts` when valid on these
    dates, or :data:`INVALID`.
    """

    __slots__ = ("_titled", "_validity", "answers", "bands", "day", "exact", "facts",
                 "masks", "mce", "mce_rows", "period", "release", "releases")

    def __init__(self, day: dt.date, period: int, release: ReleaseTable, exact: bool,
                 releases: tuple[ReleaseTable, ...], bands: dict[str, tuple[int, int]]) -> None:
        self.day = day  # the first date seen of the class
        self.period = period
        self.release = release
        self.exact = exact  # the release covers the dates (not the nearest one)
        validity = default_store().validity
        self._validity = validity
        self.masks = validity.masks  # code -> the validity periods it is billable in
        self.mce_rows = validity.mce_rows
        self._titled: frozenset[str] | None = None
        self.releases = releases  # nearest the date first
        self.bands = bands
        self.mce: dict[object, _MceFacts] = {}  # see _mce_facts
        self.answers: dict[str, DxFacts | bool] = {}
        self.facts: dict[str, DxFacts] = {}  # compact code -> facts (E11.9 and E119 share)

    def __repr__(self) -> str:
        return f"<DateClass period {self.period} release {self.release.id} ({self.day})>"

    def titled(self) -> frozenset[str]:
        """Codes that may be titled "... in diseases classified elsewhere" on these dates:
        those of the date's release when it covers them (a code valid on its dates is in
        it), else those of every release (the title then comes from the nearest one)."""
        found = self._titled
        if found is None:
            if self.exact:
                found = _titled(self.release)
            else:
                found = frozenset().union(*(_titled(r) for r in default_store().releases))
            self._titled = found
        return found


_CLASSES: dict[tuple[Any, ...], DateClass] = {}
_BY_DAY: dict[dt.date, DateClass] = {}
_SIZE = [0]  # answers held by all classes together


def date_class(day: dt.date) -> DateClass:
    """The class of ``day``: one object for all dates that answer alike."""
    dc = _BY_DAY.get(day)
    if dc is None:
        store = default_store()
        v = store.validity
        period = v.period(day) if day >= _codes.ICD10_START else -1
        release, exact = store.release_for(day)
        releases = tuple(store.releases_by_distance(day))
        bands = _details.age_bands(store, day)
        key = (period, release.id, exact, tuple(r.id for r in releases),
               tuple(sorted(bands.items())))
        dc = _CLASSES.get(key)
        if dc is None:
            dc = _CLASSES[key] = DateClass(day, period, release, exact, releases, bands)
        if len(_BY_DAY) >= 1 << 14:
            _BY_DAY.clear()
        _BY_DAY[day] = dc
    return dc


#: What a code's MCE rows say on a class's dates: (sex, age band, age range, manifestation,
#: unacceptable principal, requires a secondary, sex in the last published lists, bits).
_MceFacts = tuple[str | None, str | None, tuple[int, int] | None, bool, bool, bool,
                  str | None, int]
_NO_MCE: _MceFacts = (None, None, None, False, False, False, None, 0)


def _mce_facts(rows: tuple[Any, ...], dc: DateClass) -> _MceFacts:
    """What ``rows`` (a code's MCE rows) say on the dates of ``dc``; remembered per row
    sequence, which codes share."""
    # Once Validity.load_mce has run, equal row sequences are one object that lives as
    # long as the store (and the classes): its id is a key that needs no hashing.
    key: object = id(rows) if dc._validity._mce_all is not None else rows
    hit = dc.mce.get(key)
    if hit is None:
        day = dc.day
        row = _details.row_on(rows, day)
        mce = None if row is None else MceFlags.from_flags(row[2], row[0], row[1], dc.bands)
        last = _details.row_on(rows, LAST_SEX_LISTS)
        flags = last[2] if last is not None else ()
        last_sex = "M" if "male" in flags else "F" if "female" in flags else None
        if mce is None:
            hit = (*_NO_MCE[:6], last_sex, SEX_LIMIT if last_sex else 0)
        else:
            hit = (mce.sex, mce.age_band, mce.age_range, mce.manifestation,
                   mce.unacceptable_principal, "reqsdx" in mce.other, last_sex,
                   (AGE_LIMIT if mce.age_range is not None else 0)
                   | (SEX_LIMIT if mce.sex or last_sex else 0)
                   | (NOT_PRINCIPAL if mce.unacceptable_principal else 0))
        if len(dc.mce) >= 4096:
            dc.mce.clear()
        dc.mce[key] = hit
    return hit


_MANIFESTATION_WORDS = "in diseases classified elsewhere"
_TITLED: dict[str, frozenset[str]] = {}  # release id -> codes titled a manifestation


def _titled(release: ReleaseTable) -> frozenset[str]:
    """Codes of ``release`` whose title says "in diseases classified elsewhere" (a few
    hundred): only these need their title read to tell a manifestation code."""
    found = _TITLED.get(release.id)
    if found is None:
        codes = release.codes
        found = _TITLED[release.id] = frozenset(
            codes[i] for i in release.rows_titled(_MANIFESTATION_WORDS))
    return found


def preload() -> None:
    """Work out now what the resolver otherwise works out on first use."""
    for release in default_store().releases:
        _titled(release)


def _facts(code: str, dc: DateClass) -> DxFacts:
    """Facts of ``code``, valid on the dates of ``dc`` (remembered there)."""
    facts = dc.facts.get(code)
    if facts is None:
        rows = dc.mce_rows(code)
        facts = dc.facts[code] = DxFacts(code, dc, _mce_facts(rows, dc) if rows else _NO_MCE)
    return facts


def resolve_diagnosis(raw: str, dc: DateClass) -> DxFacts | bool:
    """The facts of ``raw`` when it is valid on the dates of ``dc``, else :data:`INVALID`
    (a blank string is INVALID too); remembered in ``dc.answers``."""
    hit = dc.answers.get(raw)
    if hit is not None:
        return hit
    hit = INVALID
    if raw.strip():
        masks = dc.masks
        # Written canonically (E1165 or E11.65)? Then it is its own key (what _key says).
        key = raw
        mask = masks.get(raw)
        if mask is None:
            if len(raw) > 4 and raw[3] == ".":
                key = raw[:3] + raw[4:]
                mask = masks.get(key)
            if mask is None:
                key = _codes._key(raw)
                mask = masks.get(key, 0) if key else 0
        if key:
            p = dc.period
            if p >= 0 and mask >> p & 1:
                hit = dc.facts.get(key) or _facts(key, dc)
        else:  # not in the fast path's shape: validate's own parser decides
            with contextlib.suppress(ValidationError):
                hit = _facts(icd10cm.validate(raw, on=dc.day).code, dc)
    if _SIZE[0] >= _MAX_ANSWERS:
        for c in _CLASSES.values():
            c.answers.clear()
            c.facts.clear()
            c.mce.clear()
        _SIZE[0] = 0
    _SIZE[0] += 1
    dc.answers[raw] = hit
    return hit


_ERRORS: dict[tuple[str, dt.date], ValidationError] = {}


def diagnosis_error(raw: str, day: dt.date) -> ValidationError:
    """The validity error of a diagnosis :func:`resolve_diagnosis` found INVALID on
    ``day`` (the most specific one, rules catalog section 0.3), remembered."""
    key = (raw, day)
    err = _ERRORS.get(key)
    if err is None:
        try:
            icd10cm.validate(raw, on=day)
        except ValidationError as e:
            err = e.with_traceback(None)  # the traceback would keep frames alive
            err.__context__ = None
        else:  # pragma: no cover - resolve_diagnosis and validate agree (tested)
            raise AssertionError(f"{raw!r} is valid on {day}")
        if len(_ERRORS) >= 1 << 16:
            _ERRORS.clear()
        _ERRORS[key] = err
    return err


#: The last item of :func:`resolve_procedure`'s answer: what a valid procedure may trigger.
PROC_SEX = 1  # limited to one sex (IOCE data or the CPT genital/maternity ranges)
PROC_AGE = 2  # an age range (IOCE data)
PROC_SIDED = 4  # may be done on either side (IOCE bilateral indicator)

_PROCEDURES: dict[tuple[str, dt.date],
                  tuple[str | None, Any, ValidationError | None, int]] = {}


def procedure_sex(code: str) -> str | None:
    """Sex a CPT code is limited to by its range (genital systems, maternity care).

    >>> procedure_sex("55700"), procedure_sex("57454"), procedure_sex("99213")
    ('M', 'F', None)
    """
    if len(code) != 5 or not code.isdigit():
        return None
    if "54000" <= code <= "55899":
        return "M"
    if "56405" <= code <= "59899":
        return "F"
    return None


def resolve_procedure(raw: str, day: dt.date) -> tuple[str | None, Any,
                                                        ValidationError | None, int]:
    """(compact code or None, entry or None, error or None, :data:`PROC_SEX` and other
    bits), remembered per (code, day)."""
    key = (raw, day)
    hit = _PROCEDURES.get(key)
    if hit is None:
        from .. import procedure

        try:
            entry = procedure.validate(raw, on=day)
            bits = (PROC_SEX if getattr(entry, "sex", None) or procedure_sex(entry.code)
                    else 0) | \
                (PROC_AGE if getattr(entry, "min_age", None) is not None
                 or getattr(entry, "max_age", None) is not None else 0) | \
                (PROC_SIDED if getattr(entry, "bilateral", None) in (
                    "conditional", "independent") else 0)
            hit = (entry.code, entry, None, bits)
        except ValidationError as e:
            e = e.with_traceback(None)
            e.__context__ = None
            try:
                code: str | None = procedure.parse(raw).code
            except ValidationError:
                code = None
            hit = (code, None, e, 0)
        if len(_PROCEDURES) >= 65536:
            _PROCEDURES.clear()
        _PROCEDURES[key] = hit
    return hit


def _forget() -> None:
    _CLASSES.clear()
    _BY_DAY.clear()
    _SIZE[0] = 0
    _TITLED.clear()
    _ERRORS.clear()
    _PROCEDURES.clear()


_codes.CLEAR_HOOKS.append(_forget)

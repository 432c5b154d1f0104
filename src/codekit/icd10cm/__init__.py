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

from .. import _cache
from .._dates import coerce_date as _coerce_date
from ..codesystem import SearchHit
from ..errors import ValidationError as _ValidationError
from . import _codes, _ioce
from ._codes import clear_caches, codes, is_valid, lookup, validate
from ._facts import LAST_SEX_LISTS, DateView, Facts, NoteIndex, date_view, new_codes
from ._facts import diagnosis_error as _diagnosis_error
from ._facts import facts as _facts_of

# CODE_PATTERN: a well-formed code as release files write it (compact, upper case ASCII),
# the fast path of grammars/icd10cm.lark without the optional dot.
from ._format import COMPACT_PATTERN as CODE_PATTERN
from ._format import Icd10cmCode, compact, parse
from ._format import format_code as format
from ._ioce import AgeLimit
from ._results import DatedSearchResults, OtherDates
from ._store import Store, default_store
from ._suggest import search, suggest
from .entry import Block, Chapter, Entry, MceFlags

__all__ = [
    "CODE_PATTERN",
    "LAST_SEX_LISTS",
    "SYSTEM",
    "AgeLimit",
    "Block",
    "Chapter",
    "DateView",
    "DatedSearchResults",
    "Entry",
    "Facts",
    "Icd10cmCode",
    "MceFlags",
    "NoteIndex",
    "OtherDates",
    "ReleaseInfo",
    "SearchHit",
    "Store",
    "clear_caches",
    "codes",
    "compact",
    "coverage",
    "coverage_note",
    "covers",
    "date_view",
    "facts",
    "format",
    "ioce_age_limit",
    "ioce_code_first",
    "ioce_coverage",
    "ioce_mental_health",
    "is_valid",
    "lookup",
    "new_codes",
    "parse",
    "preload",
    "releases",
    "search",
    "suggest",
    "tabular_key",
    "valid_ranges",
    "validate",
    "why_invalid",
]


#: The system's name among :data:`codekit.codesystem.SYSTEMS`.
SYSTEM = "icd10cm"


@_attrs.frozen
class ReleaseInfo:
    """A loaded ICD-10-CM release: id, label, the dates it answers for, where it came from,
    and ``readable``, how messages name it ("FY2025 (April 2025 update)" for FY2025-04)."""

    id: str
    label: str
    effective: _dt.date
    until: _dt.date | None
    source: str
    has_tabular: bool
    codes: int
    billable: int
    readable: str = ""


_COVERAGE = _cache.Once("icd10cm.coverage",
                        lambda: (_codes.ICD10_START, default_store().last_known))


def coverage() -> tuple[_dt.date, _dt.date]:
    """The first and the last date codekit's ICD-10-CM data describes: 2015-10-01 (when
    ICD-10-CM took effect) and the end of the CMS MCE validity table (or of a user
    release). A later date is answered as of the last one, and the claim report says so.

    >>> coverage()[0]
    datetime.date(2015, 10, 1)
    """
    return _COVERAGE.value or _COVERAGE.get()


def preload() -> None:
    """Read every bundled and user ICD-10-CM table now instead of on first use (a service
    calls this once at start-up, so that no request pays for it)."""
    from . import _facts

    default_store().load()
    _facts.preload()


def facts(code: str, *, on: object = None) -> Facts | None:
    """What the claim edits need to know about ``code`` on ``on`` (default today): its
    MCE age band and sex, manifestation, external cause, first-listed-only or
    secondary-only, side, Excludes1 and Code-first references; None when the code may not
    be reported on the date (:func:`why_invalid` says why).

    Facts are shared by every date of a :class:`DateView` (dates that answer alike), so a
    stream of claims pays a dictionary look-up a code.

    >>> facts("M17.11", on="2025-06-01").side, facts("G35", on="2025-10-01")
    ('right', None)
    """
    if type(code) is not str:
        return None
    return _facts_of(code, _coerce_date(on))


def covers(*, on: object = None, store: Store | None = None) -> bool:
    """Whether codekit's ICD-10-CM data describes ``on`` (default today): from 2015-10-01
    (when ICD-10-CM took effect) to the end of the CMS MCE table (2027-03-31), or of a
    release you added. Later dates are answered from the newest data (entries say so in
    ``covered`` and ``release_note``).

    >>> covers(on="2026-12-02"), covers(on="2027-04-01"), covers(on="2015-09-30")
    (True, False, False)
    """
    day = _coerce_date(on)
    return _codes.ICD10_START <= day <= (store or default_store()).last_known


def coverage_note(*, on: object = None, store: Store | None = None) -> str | None:
    """What codekit says of ``on`` (default today) when its ICD-10-CM data does not
    describe it (:func:`covers` is False), or None when it does: the words of the claim
    report's ``ICD10CM_DATE_NOT_COVERED`` notice. Code-level answers for such a date carry
    it: a validity error's message ends with it, and a valid cell's note
    (:func:`codekit.cells.check`) is it.

    >>> coverage_note(on="2026-12-02") is None
    True
    >>> coverage_note(on="2031-01-01").split(": ")[0]
    "2031-01-01 is after the last date codekit's ICD-10-CM data describes (2027-03-31)"
    """
    return _codes.coverage_note(store or default_store(), _coerce_date(on))


def ioce_coverage() -> tuple[_dt.date, _dt.date]:
    """The first and the last date the I/OCE's list of unacceptable principal diagnoses
    (:attr:`Facts.ioce_unacceptable_principal`) describes: its IOCE versions bundled with
    codekit. A later date is answered as of the last version, and the claim report says
    so.

    >>> ioce_coverage()
    (datetime.date(2019, 7, 1), datetime.date(2026, 6, 30))
    """
    from . import _ioce

    return _ioce.coverage()


def ioce_age_limit(code: object, *, on: object = None) -> AgeLimit | None:
    """The CMS I/OCE's age limit of ``code`` on ``on`` (default today) where it differs from
    the MCE age band codekit gives then (:attr:`Facts.age_range`); None where the two agree,
    before the first bundled I/OCE version (2019-07-01), and for anything not a code. Dates
    after the last version (:func:`ioce_coverage`) are answered as of it. The answer, an
    :class:`AgeLimit`, has ``min_age``, ``max_age`` (0-124: the I/OCE sets no limit where
    the MCE does) and ``band``, the MCE band of that range (None if none). The data build
    compares the I/OCE's diagnosis table with the MCE's on every date: Z02.84 and Z13.32
    were limited by the I/OCE (v25.0) one quarter before the MCE.

    >>> ioce_age_limit("Z02.84", on="2024-01-12")
    AgeLimit(min_age=0, max_age=17, band='pediatric')
    >>> ioce_age_limit("Z02.84", on="2024-04-01"), facts("Z02.84", on="2024-04-01").age_range
    (None, (0, 17))
    """
    if type(code) is str and code.isalnum() and code.isupper():
        key = code  # compact already (the claim edits' case)
    else:
        try:
            key = compact(code)
        except _ValidationError:
            return None
    return _ioce.age_limit(key, on if type(on) is _dt.date else _coerce_date(on))


def _ioce_key(code: object) -> str | None:
    if type(code) is str and code.isalnum() and code.isupper():
        return code  # compact already (the claim edits' case)
    try:
        return compact(code)
    except _ValidationError:
        return None


def ioce_mental_health(code: object, *, on: object = None) -> bool:
    """Whether the CMS I/OCE counts ``code`` as a mental health diagnosis on ``on``
    (default today): its own list (the ``mental_health`` flag of its diagnosis table,
    bundled from pyoce), which the principal diagnosis of a partial hospitalization or
    intensive outpatient program claim must be (I/OCE edit 29). Not simply chapter 5:
    F01-F99, and G30, G31, G47, O9A, R37, R41, R45, R48, R69 and Z codes among them.
    False for anything not a code; dates after the last I/OCE version
    (:func:`ioce_coverage`) are answered as of it.

    >>> ioce_mental_health("F32.1", on="2024-03-01"), ioce_mental_health("G30.9", on="2024-03-01")
    (True, True)
    >>> ioce_mental_health("I10", on="2024-03-01")
    False
    """
    key = _ioce_key(code)
    return key is not None and _ioce.mental_health(
        key, on if type(on) is _dt.date else _coerce_date(on))


def ioce_code_first(code: object, *, on: object = None) -> bool:
    """Whether the CMS I/OCE takes ``code`` as a "code first" principal diagnosis on a
    partial hospitalization or intensive outpatient program claim on ``on`` (default
    today): accepted with a mental health diagnosis (:func:`ioce_mental_health`) as the
    first secondary diagnosis, I/OCE edit 109 without one (the ``code_first`` flag of its
    diagnosis table: intentional self-harm poisonings, T14.91X-). False for anything not
    a code.

    >>> ioce_code_first("T14.91XA", on="2024-03-01"), ioce_code_first("F32.1", on="2024-03-01")
    (True, False)
    """
    key = _ioce_key(code)
    return key is not None and _ioce.code_first(
        key, on if type(on) is _dt.date else _coerce_date(on))


def valid_ranges(code: object) -> tuple[tuple[_dt.date, _dt.date | None], ...]:
    """Every ``(start, end)`` date range (``end`` inclusive, None = open) in which ``code``
    may be reported; empty for a header, a malformed code or one no release has.

    >>> valid_ranges("G35")
    ((datetime.date(2015, 10, 1), datetime.date(2025, 9, 30)),)
    >>> valid_ranges("E11"), valid_ranges("nonsense")
    ((), ())
    """
    try:
        key = compact(code)
    except _ValidationError:
        return ()
    return tuple(default_store().validity.ranges(key))


#: The characters that follow a prefix in a code: what an inner order of the tabular
#: (:func:`_inner_orders`) places, and writes in a key (one character for one).
_CODE_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _translation(order: str) -> dict[str, str]:
    """Character -> the character a key writes for it, under a prefix whose codes the
    tabular orders as ``order`` (the characters that follow the prefix): keys then sort
    as ``order``, and a character it lacks (another release's code) goes right after
    its alphabetical predecessor in ``order`` (first when none).

    >>> t = _translation("01467AZ9")
    >>> "".join(sorted("01467AZ98B", key=t.__getitem__))
    '014678ABZ9'
    """
    at = {c: i for i, c in enumerate(order)}

    def place(ch: str) -> tuple[int, int, str]:
        if ch in at:
            return at[ch], 0, ch
        below = [c for c in order if c < ch]
        return (at[max(below)] if below else -1), 1, ch

    ranked = sorted(_CODE_CHARACTERS, key=place)
    return {ch: _CODE_CHARACTERS[i] for i, ch in enumerate(ranked)}


#: category -> (the lengths of its prefixes the tabular orders otherwise than
#: alphabetically, prefix -> :func:`_translation`)
_Inner = dict[str, tuple[tuple[int, ...], dict[str, dict[str, str]]]]


def _inner_orders(orders: dict[str, str]) -> _Inner:
    """:data:`_Inner` for the prefixes of ``orders`` (the bundled title table's
    :attr:`~codekit.icd10cm._store.Titles.tabular_order`)."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for prefix, order in orders.items():
        tables.setdefault(prefix[:3], {})[prefix] = _translation(order)
    return {cat: (tuple(sorted({len(p) for p in t})), t) for cat, t in tables.items()}


def _category_ranks() -> tuple[dict[str, str], tuple[str, ...], str, _Inner, dict[str, str]]:
    """(category -> its key prefix, the categories in ASCII order, the release whose
    tabular gives the order, category -> the tabular's order inside it where it is not
    alphabetical, the keys made for codes of those categories so far): the categories as
    the newest release with a tabular lists them, block by block (its order file's order);
    inside them, the order of the bundled order files
    (:attr:`~codekit.icd10cm._store.Titles.tabular_order`)."""
    store = default_store()
    rel = next((r for r in reversed(store.releases) if r.has_tabular), None)
    order = [] if rel is None else [c for b in rel.structure["blocks"]
                                    for c in b.get("categories", ())]
    ranks: dict[str, str] = {}
    for i, cat in enumerate(dict.fromkeys(order)):
        ranks[cat] = f"{2 * i + 2:05d}{cat}"
    ordered = tuple(sorted(ranks))
    inner = _inner_orders(store.titles.tabular_order if store.titles is not None else {})
    return ranks, ordered, rel.id if rel is not None else "", inner, {}


_RANKS = _cache.Once("icd10cm.tabular_order", _category_ranks)


def tabular_key(code: str) -> str:
    """A text that sorts compact codes in the order of the tabular list: categories as the
    newest release with a tabular lists them (its order file's order: C4A between C43 and
    C44, C7A and C7B after C75, D3A after D36, M1A after M08, Z3A after Z36, U00-U85 after
    Z99), and the codes of a category as the tabular lists them at every level, from the
    order files of every bundled release (a newer one's order first): alphabetically but
    in 28 categories, where letters come before "unspecified" 9s or among the digits
    (C84.Z before C84.9, D46.A-D46.C before D46.4, G40.A-G40.C before G40.4, S06.0XA
    before S06.0X9; G43.E after G43.9). A category no tabular lists (one of another
    release) goes right after the category before it in ASCII order; a code no release
    has, right after its alphabetical predecessor among its siblings. The key of a code
    starts with the key of each of its prefixes of 3 characters or more (one character of
    key for each after the category), so ``tabular_key(lo) <= tabular_key(code)[:n]``
    compares like the codes.

    >>> sorted(["C44", "C4A", "C43", "C76", "C7A"], key=tabular_key)
    ['C43', 'C4A', 'C44', 'C7A', 'C76']
    >>> sorted(["C8490", "C84Z0", "C8400", "C84A0"], key=tabular_key)
    ['C8400', 'C84A0', 'C84Z0', 'C8490']
    >>> sorted(["S060X9A", "S060XAA", "S060X1A"], key=tabular_key)
    ['S060X1A', 'S060XAA', 'S060X9A']
    >>> tabular_key("C4A10").endswith("C4A10"), tabular_key("C4A").startswith("0")
    (True, True)
    """
    got = _RANKS.value or _RANKS.get()
    cat = code[:3]
    found = got[0].get(cat)
    if found is None:
        if len(code) < 3:
            return "~" + code  # no code: after every key
        import bisect

        ranks, ordered = got[0], got[1]
        k = bisect.bisect_left(ordered, cat)
        before = int(ranks[ordered[k - 1]][:5]) if k else 0
        found = f"{before + 1:05d}{cat}"
    inner = got[3].get(cat)
    if inner is None:
        return found + code[3:]
    made = got[4]
    key = made.get(code)
    if key is not None:
        return key
    chars = None
    for n in inner[0]:
        if n < len(code):
            t = inner[1].get(code[:n])
            if t is not None:
                if chars is None:
                    chars = list(code)
                chars[n] = t.get(code[n], code[n])
    key = found + ("".join(chars[3:]) if chars is not None else code[3:])
    if len(made) >= 1 << 14:
        made.clear()
    made[code] = key
    return key


def why_invalid(code: object, *, on: object = None) -> _ValidationError | None:
    """The error :func:`validate` would raise for ``code`` on ``on``, returned (and
    remembered) instead of raised; None when the code is valid then.

    >>> why_invalid("G35", on="2025-10-01").code, why_invalid("G35", on="2025-09-30")
    ('DX_NOT_VALID_ON_DOS', None)
    """
    day = _coerce_date(on)
    if type(code) is str and _facts_of(code, day) is not None:
        return None
    if type(code) is not str:
        try:
            validate(code, on=day)
        except _ValidationError as e:
            return e
    return _diagnosis_error(code, day)  # type: ignore[arg-type]


def releases(*, store: Store | None = None) -> list[ReleaseInfo]:
    """The releases codekit has loaded (bundled and user-added), oldest first.

    >>> [(r.id, str(r.effective)) for r in releases()][-1]
    ('FY2027', '2026-10-01')
    """
    s = store or default_store()
    return [
        ReleaseInfo(r.id, r.label, r.effective, r.until, "user" if r.user else "bundled",
                    r.has_tabular, r.counts.get("codes", 0), r.counts.get("billable", 0),
                    r.readable)
        for r in s.releases
    ]

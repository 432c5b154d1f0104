"""validate / is_valid / lookup: answering for one code on one date.

The hot paths (:func:`is_valid`, and :func:`lookup`/:func:`validate` for a code seen
before) cost a few dictionary look-ups: the cleaned form of each raw input string and the
validity period of each date are remembered (in bounded caches).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .. import _cache
from .._dates import ICD10_START, coerce_date, fiscal_year, today
from ..errors import (
    InvalidFormat,
    NotBillable,
    NotValidOnDate,
    PlaceholderMissing,
    SeventhCharacterInvalid,
    SeventhCharacterMissing,
    UnknownCode,
    ValidationError,
)
from . import _details as det
from ._format import FAST_PATTERN, Icd10cmCode, clean, other_system, parse
from ._store import ReleaseTable, Store, default_store
from .entry import Context, Entry

__all__ = ["clear_caches", "explain_invalid", "is_valid", "lookup", "validate"]


# Raw input → compact code ("" when malformed), for the hot paths.
_KEYS: dict[str, str] = _cache.owned("icd10cm.keys", {}, max_entries=200_000)
_CACHE_MAX = 200_000
# The types of date argument answers are remembered under, exactly: a date, a str, None.
# Not datetimes (pandas Timestamps included): two aware datetimes of one instant in two
# zones are equal and hash alike, but each means its own day of service (2025-10-01T00:30Z
# and 2025-09-30T20:30-04:00), so one must never answer from the other's entry.
_CACHEABLE_DATE = (dt.date, str, type(None))


def _key(value: str) -> str:
    key = _KEYS.get(value)
    if key is None:
        try:
            text = clean(value)
        except InvalidFormat:
            return ""
        m = FAST_PATTERN.fullmatch(text)
        key = "" if m is None else text.replace(".", "")
        if len(value) <= _cache.MAX_KEY:  # junk of any length is answered, not remembered
            _KEYS[value] = key
    return key


class _DateInfo:
    """What a store answers for one date: the validity period, the release, the context
    shared by the entries made for it."""

    __slots__ = ("answers", "by_distance", "ctx", "day", "exact", "not_billable", "period",
                 "release")

    def __init__(self, store: Store, day: dt.date) -> None:
        self.day = day
        self.period = store.validity.period(day) if day >= ICD10_START else -1
        rel, self.exact = store.release_for(day)
        self.release: ReleaseTable = rel
        self.ctx = Context(store=store, release=rel.id, on=day, exact=self.exact)
        self.by_distance = store.releases_by_distance(day)
        self.answers = _ANSWERS.of(store)  # the store's caches, held by it
        self.not_billable = _NOT_BILLABLE.of(store)


def _nearest_with(info: _DateInfo, code: str) -> ReleaseTable | None:
    for r in info.by_distance:
        if r.row(code) is not None:
            return r
    return None


# Per store (held by the store: a store a caller made and dropped takes them along).
_DATES: _cache.PerOwner[object, _DateInfo] = _cache.PerOwner("icd10cm.dates", max_entries=4096)


def _date_info(store: Store, on: object) -> _DateInfo:
    day = today() if on is None else on
    dates = _DATES.of(store)
    try:
        info = dates.get(day)
    except TypeError:  # unhashable junk for a date
        info = None
    if info is None:
        day = coerce_date(day)
        info = _DateInfo(store, day)
        if type(on) in _CACHEABLE_DATE and _cache.cacheable(str(on)):
            dates[today() if on is None else on] = info
    return info


# The default store's answers on the hot path of is_valid: raw input string → validity
# mask (0 for malformed or unknown input), and date argument → validity period.
_RAW: dict[str, int] = _cache.owned("icd10cm.raw_masks", {}, max_entries=_CACHE_MAX)
_FAST: dict[object, int] = _cache.owned("icd10cm.periods", {}, max_entries=4096)


def is_valid(code: object, *, on: object = None, release: str | None = None,
             store: Store | None = None) -> bool:
    """True when ``code`` may be reported on ``on`` (default today); False for anything
    that is not such a code (junk, None, a header...).

    With ``release=`` the question is "is it billable in that release" instead.

    >>> is_valid("E11.65", on="2025-06-01"), is_valid("E11.A", on="2025-06-01")
    (True, False)
    >>> is_valid("G35", on="2025-09-30"), is_valid("G35", on="2025-10-01")
    (True, False)
    >>> is_valid(None), is_valid(["E11.9"]), is_valid("E1.165")
    (False, False, False)

    A malformed date is the caller's mistake, not the code's: it raises
    :class:`~codekit.InvalidArgument`. So does broken data (:class:`~codekit.DataError`).

    >>> is_valid("E11.9", on="junk")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidArgument: on='junk': expected a date, 'YYYY-MM-DD' or an ISO date-time
    """
    if type(code) is not str:
        if not isinstance(code, str):
            return False
        code = str.__str__(code)  # numpy.str_ and other str subclasses: the text itself
    if release is None and store is None:
        try:
            p = _FAST.get(today() if on is None else on)
        except TypeError:  # an unhashable date argument: coerce_date below says why
            p = None
        if p is not None:  # a date seen before: answer from the default store's masks
            mask = _RAW.get(code)
            if mask is None:
                mask = _raw_mask(code)
            return p >= 0 and bool(mask >> p & 1)
    s = store or default_store()
    if release is not None:
        key = _key(code)
        rel = s.release(release)  # DataError for an unknown release name
        i = rel.row(key) if key else None
        return i is not None and rel.is_billable_row(i)
    p = _date_info(s, on).period
    if store is None:
        if type(on) in _CACHEABLE_DATE and _cache.cacheable(str(on)):
            _FAST[today() if on is None else on] = p
        mask = _raw_mask(code)
    else:
        key = _key(code)
        mask = s.validity.masks.get(key, 0) if key else 0
    return p >= 0 and bool(mask >> p & 1)


_DEFAULT_MASKS: list[dict[str, int]] = [{}]
_cache.register("icd10cm.default_masks", lambda: _DEFAULT_MASKS.__setitem__(0, {}))


def _raw_mask(code: str) -> int:
    """The default store's validity mask of a raw input string, remembered. Until the
    validity table's dict is made, a look-up bisects its sorted codes
    (:meth:`~codekit.icd10cm._store.Validity.mask`: a cold script's few answers)."""
    masks = _DEFAULT_MASKS[0]
    get: Callable[[str], int | None]
    if masks:
        get = masks.get
    else:
        v = default_store().validity
        get = v.mask
        if v.made_masks is not None:
            _DEFAULT_MASKS[0] = v.made_masks
            get = v.made_masks.get
    # Written canonically (E1165 or E11.65)? Then no clean-up is needed.
    mask = get(code)
    if mask is None and len(code) > 4 and code[3] == ".":
        mask = get(code[:3] + code[4:])
    if mask is None:
        key = _key(code)
        mask = (get(key) or 0) if key else 0
    if len(code) <= _cache.MAX_KEY:
        _RAW[code] = mask
    return mask


def _entry(info: _DateInfo, code: str, billable: bool, i: int | None) -> Entry:
    rel: ReleaseTable | None = info.release
    if i is None:
        rel = _nearest_with(info, code)
        i = rel.row(code) if rel is not None else None
    if rel is None or i is None:
        return Entry(code=code, billable=billable, ctx=info.ctx, holder=None)
    return Entry(code=code, billable=billable, ctx=info.ctx, holder=rel.id, index=i,
                 title=rel.long_title(i))


_Answer = Entry | tuple[type[ValidationError], dict[str, Any]]


def _error(err: ValidationError) -> tuple[type[ValidationError], dict[str, Any]]:
    return type(err), err._fields


def _instance(answer: tuple[type[ValidationError], dict[str, Any]],
              value: object) -> ValidationError:
    cls, fields = answer
    return cls(**{**fields, "value": value})


def _copy(err: ValidationError) -> ValidationError:
    """A fresh instance of a remembered error (each raise gets its own object)."""
    new = err.__class__.__new__(err.__class__)
    new.args = err.args
    new.__dict__.update(err.__dict__)
    return new


# on → raw input → the entry, or the error instance to copy, for the default store.
_Seen = dict[object, dict[str, Entry | ValidationError]]
_SEEN_LOOKUP: _Seen = {}
_SEEN_VALIDATE: _Seen = {}


_SEEN_SIZE = [0, 0]  # answers and their bytes in _SEEN_LOOKUP and _SEEN_VALIDATE together
#: What _SEEN_LOOKUP and _SEEN_VALIDATE hold at most together: answers, approximate bytes
#: (a remembered error with its message and suggestions is ~1-2 KB).
SEEN_MAX = (_CACHE_MAX, _cache.DEFAULT_MAX_BYTES)


def _forget_seen() -> None:
    _SEEN_LOOKUP.clear()
    _SEEN_VALIDATE.clear()
    _SEEN_SIZE[0] = _SEEN_SIZE[1] = 0


_cache.register("icd10cm.seen", _forget_seen, lambda: _SEEN_SIZE[0])


def _recall(seen: _Seen, code: str, on: object) -> Entry | ValidationError | None:
    """The remembered answer for a raw input on a date argument, or None."""
    try:
        by_code = seen.get(today() if on is None else on)
    except TypeError:  # an unhashable date argument: not remembered
        return None
    return by_code.get(code) if by_code is not None else None


def _remember(seen: _Seen, code: object, on: object, answer: Entry | ValidationError) -> None:
    if type(code) is str and _cache.cacheable(code) and type(on) in _CACHEABLE_DATE \
            and _cache.cacheable(str(on)):
        if isinstance(answer, ValidationError):
            # A copy: the raised error gets a traceback, which would keep its frames (and
            # their locals) alive in the cache.
            answer = _copy(answer)
        if _SEEN_SIZE[0] >= SEEN_MAX[0] or _SEEN_SIZE[1] >= SEEN_MAX[1]:
            _forget_seen()  # bounded in total, across all dates, by count and bytes
        day = today() if on is None else on
        by_code = seen.get(day)
        if by_code is None:
            by_code = seen[day] = {}
        if code not in by_code:
            _SEEN_SIZE[0] += 1
            _SEEN_SIZE[1] += _cache.ENTRY_OVERHEAD + _cache.weigh(code) + (
                _cache.weigh(answer) if isinstance(answer, ValidationError) else 400)
        by_code[code] = answer


# Answers are remembered per (code, date), per store: entries keep what was read for them,
# so a claim-processing loop that sees the same codes again pays a dictionary look-up.
_ANSWERS: _cache.PerOwner[tuple[str, _DateInfo], _Answer] = \
    _cache.PerOwner("icd10cm.answers", max_entries=1 << 17)
_Error = tuple[type[ValidationError], dict[str, Any]]
_NOT_BILLABLE: _cache.PerOwner[tuple[str, _DateInfo], _Error] = \
    _cache.PerOwner("icd10cm.not_billable", max_entries=1 << 14)


def _answer(key: str, info: _DateInfo) -> _Answer:
    """lookup()'s answer: an entry (billable or not) or the error to raise."""
    cache = info.answers
    found = cache.get((key, info))
    if found is None:
        found = cache[key, info] = _find_answer(key, info)
    return found


def _find_answer(key: str, info: _DateInfo) -> _Answer:
    s = info.ctx.store
    billable = info.period >= 0 and bool(s.validity.masks.get(key, 0) >> info.period & 1)
    i = info.release.row(key)
    if billable or i is not None:
        return _entry(info, key, billable, i)
    # (a code no release has is answered without opening the other releases)
    if key in s.known_codes() and (_nearest_with(info, key) is not None
                                   or s.validity.masks.get(key)):
        # In another release, or valid by the MCE table but in no release with titles
        # (e.g. a new FY2027 code): still an entry, and its release_note says so.
        return _entry(info, key, billable, None)
    return _error(explain_invalid(s, key, parse(key), info.day))


def _not_billable(key: str, info: _DateInfo) -> tuple[type[ValidationError], dict[str, Any]]:
    """validate()'s error for a code that has an entry but is not billable on the date."""
    cache = info.not_billable
    found = cache.get((key, info))
    if found is None:
        found = cache[key, info] = _error(explain_invalid(info.ctx.store, key, parse(key),
                                                          info.day))
    return found


def clear_caches() -> None:
    """Forget remembered answers and re-read the data folders on next use (the same as
    :func:`codekit.clear_caches`). Loading data never needs it: every cache follows the
    data generation (see ``docs/architecture.md``)."""
    _cache.clear_caches()


def _compact_or_raise(code: object, on: object, store: Store | None) -> str:
    """The compact code for the slow paths of validate/lookup, or its format error."""
    key = _key(code) if type(code) is str else None
    return key or _parse_or_remember(code, on, seen=None if store is None else False)


#: What a code that may be ICD-9-CM is said to be on a date before ICD-10-CM.
_BEFORE_ICD10 = {
    "ICD-9-CM": "looks like an ICD-9-CM code",
    "CPT or ICD-9-CM": "looks like an ICD-9-CM code without its dot (or a CPT code, which "
                       "belongs on a service line)"}


def _parse_or_remember(code: object, on: object, seen: bool | None) -> str:
    """The compact code, or raise its format error (remembered for both verbs)."""
    try:
        return parse(code).code
    except InvalidFormat as bad:
        day = coerce_date(on)  # a bad date raises here instead
        kind = other_system(clean(code)) if day < ICD10_START else None
        if kind in _BEFORE_ICD10:
            # ICD-9-CM is the code set of that date: no code to convert, nor to suggest an
            # ICD-10-CM code for
            err = InvalidFormat(code, f"{_BEFORE_ICD10[kind]}, the code set of {day} "
                                f"(ICD-10-CM took effect on {ICD10_START}); codekit checks "
                                "ICD-10-CM only")
        else:
            err = _range_error(code, clean(code), day) or bad.suggest_from("icd10cm", day)
        if seen is None:
            _remember(_SEEN_LOOKUP, code, on, err)
            _remember(_SEEN_VALIDATE, code, on, err)
        raise err from None


_RANGE = re.compile(r"([A-Z][0-9][0-9A-Z])-([A-Z][0-9][0-9A-Z])")


def _range_error(value: object, text: str, day: dt.date) -> InvalidFormat | None:
    """The error of a block or chapter written where a code goes (``E08-E13``, ``E00-E89``):
    it names the block or chapter and its categories, which are the fix (a range that is
    neither: the categories in it); None for text that is no range of categories.

    >>> err = _range_error("E08-E13", "E08-E13", dt.date(2025, 6, 1))
    >>> err.reason  # doctest: +NORMALIZE_WHITESPACE
    'a block of ICD-10-CM (Diabetes mellitus (E08-E13)), not a code: code from one of its
    categories: E08, E09, E10, E11, E13'
    >>> err.fix
    ('E08', 'E09', 'E10', 'E11', 'E13')
    """
    found = _range_categories(default_store(), text, day)
    if found is None:
        return None
    what, cats = found
    shown = ", ".join(cats[:12]) + (f" ... ({len(cats)} categories)" if len(cats) > 12 else "")
    return InvalidFormat(value, f"{what}, not a code: code from one of its categories: "
                         f"{shown}", fix=cats).suggest_from("icd10cm", day)


def _range_categories(s: Store, text: str, day: dt.date) -> tuple[str, list[str]] | None:
    """(what ``text`` is, its categories) for a block, a chapter or a range of categories
    (``E08-E13``, ``E00-E89``, ``E10-E11``) in the tabular answering ``day``; None for
    text that is no range of categories, or one holding none."""
    m = _RANGE.fullmatch(text)
    if m is None:
        return None
    first, last = m.groups()
    rel, _ = s.release_for(max(day, ICD10_START))
    tab = det.tabular_for(s, rel) or rel
    structure = tab.structure
    block = tab.block_by_id(text)
    chapter = next((c for c in structure["chapters"]
                    if (c["first"], c["last"]) == (first, last)), None)
    if block is not None and block.get("categories"):
        cats = list(block["categories"])
        what = f"a block of ICD-10-CM ({block['title']})"
    elif chapter is not None:
        cats = [c for b in chapter["blocks"] for c in
                (tab.block_by_id(b) or {}).get("categories", ())]
        what = f"a chapter of ICD-10-CM ({chapter['chapter']}: {chapter['title']})"
    else:
        cats = [c for c in tab.codes if len(c) == 3 and first <= c <= last]
        what = "a range of ICD-10-CM categories"
    return (what, cats) if cats else None


def codes(within: object = None, *, on: object = None, billable: bool = True,
          store: Store | None = None) -> list[str]:
    """The codes (undotted, in code order) billable on ``on`` (default today): every one,
    or those ``within`` a category or subcategory (``"E11"``, ``"E11.6"`` or ``"e116"``:
    the code and every code below it), a block (``"E08-E13"``), a chapter (``"E00-E89"``)
    or a range of categories (``"E10-E11"``). With ``billable=False``, every code of the
    release answering ``on``, headers too (as :attr:`Entry.children` lists them, a level
    at a time).

    >>> codes("E11.6", on="2025-10-01")
    ['E11610', 'E11618', 'E11620', 'E11621', 'E11622', 'E11628', 'E11630', 'E11638',
     'E11641', 'E11649', 'E1165', 'E1169']
    >>> codes("e116", on="2025-10-01", billable=False)[:3]
    ['E116', 'E1161', 'E11610']
    >>> codes("G35", on="2025-09-30"), codes("G35", on="2025-10-01")[:3]
    (['G35'], ['G35A', 'G35B0', 'G35B1'])
    >>> blocks = codes("E08-E13", on="2025-10-01")
    >>> len(blocks), blocks[0], blocks[-1], "E1165" in blocks
    (432, 'E0800', 'E139', True)
    >>> len(codes(on="2025-10-01"))
    74719

    A code no release has, or text that is no code nor range, raises as :func:`lookup`
    does (:class:`~codekit.UnknownCode`, :class:`~codekit.InvalidFormat`); a code of
    other dates only (G35.A on 2025-09-30) has none.
    """
    s = store or default_store()
    info = _date_info(s, on)
    rel = info.release
    if within is None:
        prefixes: list[str] = [""]
    else:
        found = _range_categories(s, clean(within), info.day) \
            if isinstance(within, str) else None
        if found is not None:
            prefixes = found[1]
        else:
            lookup(within, on=info.day, store=store)  # its error for what is no code
            prefixes = [_compact_or_raise(within, info.day, store)]
    rows = rel.codes
    out: list[str] = []
    for prefix in prefixes:
        i = bisect.bisect_left(rows, prefix)
        j = bisect.bisect_left(rows, prefix + "~", i) if prefix else len(rows)
        out.extend(rows[i:j])
    if billable:
        p, masks = info.period, s.validity.masks
        out = [c for c in out if p >= 0 and masks.get(c, 0) >> p & 1]
    return out


def validate(code: object, *, on: object = None, release: str | None = None,
             store: Store | None = None) -> Entry:
    """The entry of ``code`` when it may be reported on ``on``; otherwise raise the most
    specific :class:`~codekit.ValidationError` (precedence: ``docs/catalog.md#precedence``).

    >>> validate("e11.65", on="2025-06-01").title
    'Type 2 diabetes mellitus with hyperglycemia'
    >>> validate("T78.40A", on="2025-06-01")
    Traceback (most recent call last):
    ...
    codekit.errors.PlaceholderMissing: 'T78.40A': ... did you mean T78.40XA?
    """
    if release is None and store is None and type(code) is str:
        seen = _recall(_SEEN_VALIDATE, code, on)
        if seen is not None:
            if isinstance(seen, Entry):
                return seen
            raise _copy(seen)
    s = store or default_store()
    key = _compact_or_raise(code, on, store)
    if release is not None:
        rel = s.release(release)
        i = rel.row(key)
        day = rel.effective if on is None else coerce_date(on)
        if i is not None and rel.is_billable_row(i):
            ctx = Context(store=s, release=rel.id, on=day, exact=True)
            return Entry(code=key, billable=True, ctx=ctx, holder=rel.id, index=i,
                         title=rel.long_title(i))
        raise explain_invalid(s, code, parse(code), rel.effective, rel)
    info = _date_info(s, on)
    answer = _answer(key, info)
    if isinstance(answer, Entry) and answer.billable:
        if store is None:
            _remember(_SEEN_VALIDATE, code, on, answer)
        return answer
    if isinstance(answer, Entry):
        answer = _not_billable(key, info)
    err = _instance(answer, code)
    if store is None:
        _remember(_SEEN_VALIDATE, code, on, err)
    raise err


def error_of(code: str, day: dt.date) -> ValidationError | None:
    """The error :func:`validate` raises for ``code`` on ``day`` (the bundled data),
    returned, or None when the code is valid then: for callers that keep errors in a memo
    of their own (:func:`codekit.icd10cm.diagnosis_error`), without raising and catching
    it and without a copy in validate's memo.

    >>> error_of("U07.1", dt.date(2019, 6, 1)).code, error_of("U07.1", dt.date(2021, 6, 1))
    ('DX_NOT_VALID_ON_DOS', None)
    """
    try:
        key = _compact_or_raise(code, day, None)
    except ValidationError as e:
        return e.with_traceback(None)
    info = _date_info(default_store(), day)
    answer = _answer(key, info)
    if isinstance(answer, Entry):
        if answer.billable:
            return None
        answer = _not_billable(key, info)
    return _instance(answer, code)


def lookup(code: object, *, on: object = None, release: str | None = None,
           store: Store | None = None) -> Entry:
    """Everything codekit knows about ``code`` (billable or header) as of ``on``.

    Unlike :func:`validate`, a header or a code not billable on the date still gets an
    entry (``billable`` is False). A code in no release raises :class:`~codekit.UnknownCode`
    (or the 7th-character / placeholder error that explains it).

    >>> e = lookup("E11", on="2025-06-01")
    >>> e.billable, e.kind, e.block.id, e.chapter.number
    (False, 'category', 'E08-E13', '4')
    >>> e.excludes1.matches("E10.9")
    True
    """
    if release is None and store is None and type(code) is str:
        seen = _recall(_SEEN_LOOKUP, code, on)
        if seen is not None:
            if isinstance(seen, Entry):
                return seen
            raise _copy(seen)
    s = store or default_store()
    key = _compact_or_raise(code, on, store)
    if release is not None:
        rel = s.release(release)
        day = rel.effective if on is None else coerce_date(on)
        i = rel.row(key)
        if i is None:
            raise explain_invalid(s, code, parse(code), day, rel)
        p = s.validity.period(day) if day >= ICD10_START else -1
        ctx = Context(store=s, release=rel.id, on=day, exact=True)
        return Entry(code=key, billable=p >= 0 and bool(s.validity.masks.get(key, 0) >> p & 1),
                     ctx=ctx, holder=rel.id, index=i, title=rel.long_title(i))
    answer = _answer(key, _date_info(s, on))
    result = answer if isinstance(answer, Entry) else _instance(answer, code)
    if store is None:
        _remember(_SEEN_LOOKUP, code, on, result)
    if isinstance(result, Entry):
        return result
    raise result


# --------------------------------------------------------------------------------------
# why a code is not valid (the precedence of docs/catalog.md#precedence)


def _fmt_ranges(ranges: list[tuple[dt.date, dt.date | None]]) -> str:
    return ", ".join(f"{a} to {b if b else 'now'}" for a, b in ranges)


def _choices(allowed: dict[str, str]) -> str:
    return ", ".join(f"{c} ({m})" for c, m in allowed.items())


def _seventh_char_error(store: Store, rel: ReleaseTable, value: object,
                        code: str) -> ValidationError | None:
    """SeventhCharacterMissing/Invalid or PlaceholderMissing when they explain ``code``."""
    tab = det.tabular_for(store, rel)
    if tab is None:
        return None
    holder = rel
    if rel.row(det.stem(code)) is None and rel.row(code) is None:
        holder = det.nearest_with(store, det.stem(code), rel.effective) or rel

    def chain_of(c: str) -> list[str]:
        return [c, *det.ancestors(holder, c)]

    def allowed_for(node: str, seven: dict[str, str]) -> dict[str, str]:
        padded = node.ljust(6, "X")
        return {c: m for c, m in seven.items() if holder.row(padded + c) is not None}

    if len(code) == 7:
        stem = det.stem(code)
        if holder.row(stem) is None:
            return None
        seven = det.seven_defs(tab, chain_of(stem))
        if seven is None:
            i = holder.row(stem)
            below = [det.dotted(k) for k in holder.children_of(stem)]
            if i is not None and not holder.is_billable_row(i) and below:
                # Z91.0113: Z91.011 is a header whose codes have seven characters of their
                # own (Z91.0110-Z91.0112), not a code taking a 7th character
                level = "category" if len(stem) == 3 else "subcategory"
                return UnknownCode(
                    value, f"{det.dotted(code)} is not a code: {det.dotted(stem)} is a header "
                    f"({level}); use one of its codes, {', '.join(below[:8])}",
                    on=rel.effective, suggestions=below[:5])
            return UnknownCode(value, f"{det.dotted(stem)} takes no 7th character; use "
                               f"{det.dotted(stem)} itself or one of its codes",
                               on=rel.effective)
        allowed = allowed_for(stem, seven[1])
        if not allowed and holder.children_of(stem):
            # S72.00XA: the 7th character after a header padded with X (S72.00 has codes
            # below it, each taking its own 7th character)
            ext = code[6]
            kids: list[str] = []
            todo = list(holder.children_of(stem))
            while todo and len(kids) < 8:  # the codes below it, in order, that take ext
                k = todo.pop(0)
                if holder.row(k.ljust(6, "X") + ext) is not None:
                    kids.append(det.dotted(k.ljust(6, "X") + ext))
                elif len(k) < 6:
                    todo[:0] = holder.children_of(k)
            if kids:
                level = "category" if len(stem) == 3 else "subcategory"
                return NotBillable(
                    value, f"{det.dotted(stem)} is a header ({level}), so "
                    f"{det.dotted(code)} is not a code: use one of the codes below it with "
                    f"its 7th character, e.g. {', '.join(kids[:8])}", children=kids)
        if code[6] not in allowed:
            return SeventhCharacterInvalid(
                value, f"7th character {code[6]!r} is not defined for {det.dotted(stem)}; "
                f"use one of: {_choices(allowed)}", allowed=allowed)
        padded = stem.ljust(6, "X") + code[6]
        if padded != code:
            return UnknownCode(value, "placeholder X goes only after the last character of "
                               f"{det.dotted(stem)}: use {det.dotted(padded)}",
                               on=rel.effective, suggestions=[det.dotted(padded)])
        return None
    node = code if holder.row(code) is not None else code.rstrip("X")
    if holder.row(node) is not None:
        kids = holder.children_of(node)
        if all(len(k) == 7 for k in kids):
            seven = det.seven_defs(tab, chain_of(node))
            allowed = allowed_for(node, seven[1]) if seven else {}
            if allowed:
                example = det.dotted(node.ljust(6, "X") + next(iter(allowed)))
                # placeholder X only where the code is shorter than 6 characters (T78.40:
                # T78.40XA); S72.001 and O36.593 take their 7th character as they are
                how = "" if len(node) >= 6 else " after placeholder X to fill 6 characters"
                return SeventhCharacterMissing(
                    value, f"{det.dotted(node)} needs a 7th character{how}, e.g. {example}; "
                    f"one of: {_choices(allowed)}", allowed=allowed)
    # A 7th character written without its placeholder X: T78.40A -> T78.40XA; the X
    # left out inside the code: T36.01A -> T36.0X1A; an X short: W19.XA -> W19.XXXA.
    if 4 <= len(code) <= 6:
        stem, ext = code[:-1], code[-1]
        candidates = [stem.ljust(6, "X") + ext, stem.rstrip("X").ljust(6, "X") + ext]
        if len(code) == 6:
            candidates.append(code[:4] + "X" + code[4:])
        for candidate in candidates:
            if len(candidate) == 7 and holder.row(candidate) is not None and (
                    holder.row(candidate[:6].rstrip("X")) is not None):
                return PlaceholderMissing(
                    value, "a 7th character needs placeholder X to fill 6 characters: did "
                    f"you mean {det.dotted(candidate)}?", suggestion=det.dotted(candidate))
    return None


_DESCENDANTS: _cache.PerOwner[tuple[Any, ...], tuple[tuple[str, ...], tuple[str, ...]]] = \
    _cache.PerOwner("icd10cm.descendants", max_entries=4096)


def _descendants(store: Store, holder: ReleaseTable, code: str, day: dt.date,
                 release: ReleaseTable | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the billable descendants of header ``code`` in ``holder`` that are billable on
    ``day`` -- or in ``release`` when given --, all of them), dotted; remembered per
    validity period, since a category such as S52 has thousands."""
    if release is not None:
        tag: tuple[str, object] = ("release", release.id)
    else:
        tag = ("period", store.validity.period(day) if day >= ICD10_START else -1)
    key = (holder.id, code, tag)
    cache = _DESCENDANTS.of(store)
    hit = cache.get(key)
    if hit is None:
        every = holder.billable_descendants(code)
        if release is not None:
            now = [c for c in every
                   if (i := release.row(c)) is not None and release.is_billable_row(i)]
        else:
            p, masks = int(tag[1]), store.validity.masks  # type: ignore[call-overload]
            now = [c for c in every if p >= 0 and masks.get(c, 0) >> p & 1]
        hit = (tuple(map(det.dotted, now)), tuple(map(det.dotted, every)))
        cache[key] = hit
    return hit


_DAY = dt.timedelta(days=1)


def _successors(store: Store, rel: ReleaseTable, code: str, last: dt.date, day: dt.date,
                release: ReleaseTable | None) -> tuple[str, ...]:
    """The codes that replaced ``code`` (deleted after ``last``, not in ``rel``) and are
    billable on ``day`` (or in ``release``), dotted: below its nearest ancestor ``rel``
    has, the codes that took effect the day after ``last``, agreeing with ``code`` on
    every character after that ancestor but its placeholder X's (S30.1XXA, deleted after
    2025-09-30: S30.11XA, S30.12XA, S30.13XA; T52.8X1A after 2026-09-30: T52.811A,
    T52.821A, T52.891A), or that ancestor when it became billable then (H81.41 and
    H81.49 folded into H81.4 on 2019-10-01). () when the codes that replaced it are
    elsewhere (W45.1XXA went to W26.2XXA on 2016-10-01): :func:`_converted_to` asks the
    CDC conversion table then. Of the 604 deletions of FY2016 to FY2026 this names codes
    for 410, the conversion table's for 404 of them (the other 6 are V29.81X-/V29.88X-,
    which the table misspells); of the other 194, the table names codes for 60 (named
    from it, but M97.8XXS, another encounter, that it gives for T84.048D) and none for
    134."""
    base = next((code[:n] for n in range(len(code) - 1, 2, -1)
                 if rel.row(code[:n]) is not None), None)
    if base is None:
        return ()
    v = store.validity
    before, after = v.period(last), v.period(last + _DAY)

    def new(c: str) -> bool:
        mask = v.masks.get(c, 0)
        return not mask >> before & 1 and bool(mask >> after & 1)

    i = rel.row(base)
    if i is not None and rel.is_billable_row(i):
        return (det.dotted(base),) if new(base) else ()
    tail, n = code[len(base):], len(base)
    return tuple(d for d in _descendants(store, rel, base, day, release)[0]
                 if len(c := d.replace(".", "")) == len(code) and new(c)
                 and all(x in ("X", y) for x, y in zip(tail, c[n:], strict=True)))


def _billable_on(store: Store, day: dt.date,
                 release: ReleaseTable | None) -> Callable[[str], bool]:
    """Whether a code is billable on ``day`` (or, with ``release``, in that release)."""
    if release is not None:
        def in_release(c: str) -> bool:
            i = release.row(c)
            return i is not None and release.is_billable_row(i)
        return in_release
    p, masks = store.validity.period(day), store.validity.masks
    return lambda c: p >= 0 and bool(masks.get(c, 0) >> p & 1)


def _billable_in_span(rel: ReleaseTable, token: str, billable: Callable[[str], bool],
                      seventh: str | None) -> list[str]:
    """The codes of ``rel`` a conversion-table token names that ``billable`` accepts: the
    code itself when it is billable; else the billable codes of the span (``first-last``,
    or one header: the codes below it, as for a header). With ``seventh``, a code of seven
    characters counts only with that 7th character: a conversion keeps the encounter
    (W44.A0XA's previous codes, "Codes in Categories T15-T19", are the T15-T19 codes of
    an initial encounter; the table's T84.048D for M97.8XXS is a slip)."""
    first, _, last = token.partition("-")
    last = last or first
    if seventh is not None and len(first) == len(last) == 7 and first[6] == last[6] \
            and first[6] != seventh:
        return []
    if first == last and billable(first):
        return [first]
    codes = rel.codes
    out = []
    for i in range(bisect.bisect_left(codes, first), len(codes)):
        c = codes[i]
        if c > last and not c.startswith(last):
            break
        if billable(c) and (seventh is None or len(c) < 7 or c[6] == seventh):
            out.append(c)
    return out


def _unique_dotted(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(det.dotted(c) for c in dict.fromkeys(codes))


def _predecessors(store: Store, rel: ReleaseTable, code: str, effective: dt.date,
                  day: dt.date, release: ReleaseTable | None) -> tuple[str, ...]:
    """The previous codes the CDC conversion table gives for ``code``, which took effect
    on ``effective``, billable on ``day`` (or in ``release``), dotted (G35.A before
    2025-10-01: G35; a header's billable codes for a header). () when the table does not
    list the code or names nothing billable then."""
    conv = store.conversion
    billable = _billable_on(store, day, release)
    rows = conv.previous(code) if conv is not None else ()
    if not rows:
        return _expanded_from(store, code, effective, billable)
    seventh = code[6] if len(code) == 7 else None
    return _unique_dotted(c for eff, tokens in rows if eff == effective
                          for t in tokens for c in _billable_in_span(rel, t, billable, seventh))


def _expanded_from(store: Store, code: str, effective: dt.date,
                   billable: Callable[[str], bool]) -> tuple[str, ...]:
    """For a code the conversion table does not list (the bundled table is CDC's FY2026:
    FY2027's additions are not in it), the code it was expanded from, dotted: its nearest
    ancestor that stopped being billable the day ``code`` took effect (it became a header
    over its new codes: I42.0 over I42.00, I42.01, I42.09 on 2026-10-01, as the FY2027
    addenda delete and re-add it), when that ancestor is billable on the date asked
    (``billable``); () otherwise (a code added in a new subcategory, E89.830)."""
    v = store.validity
    before, after = v.period(effective - _DAY), v.period(effective)
    for n in range(len(code) - 1, 2, -1):
        mask = v.masks.get(code[:n], 0)
        if mask:
            ended = bool(mask >> before & 1) and not mask >> after & 1
            return (det.dotted(code[:n]),) if ended and billable(code[:n]) else ()
    return ()


def _converted_to(store: Store, rel: ReleaseTable, code: str, last: dt.date, day: dt.date,
                  release: ReleaseTable | None) -> tuple[str, ...]:
    """The codes the CDC conversion table gives for ``code``, deleted after ``last``: the
    current codes of its rows effective the day after whose previous codes include it,
    billable on ``day`` (or in ``release``; a header's billable codes for a header), dotted
    (W45.1XXA after 2016-09-30: W26.2XXA), those of seven characters only with ``code``'s
    7th character when it has one."""
    conv = store.conversion
    if conv is None:
        return ()
    billable = _billable_on(store, day, release)
    seventh = code[6] if len(code) == 7 else None
    return _unique_dotted(c for current in conv.replaced_by(code, last + _DAY)
                          for c in _billable_in_span(rel, current, billable, seventh))


def _conversion_gap(store: Store, effective: dt.date, what: str) -> str:
    """What an error adds when it names no code because the bundled CDC conversion table
    predates the update of ``effective`` (S23.420A, deleted on 2026-10-01, and FY2027's
    other changes: the table is CDC's FY2026 one); "" when the table covers that date."""
    conv = store.conversion
    last = conv.last_effective if conv is not None else None
    if last is None or effective <= last:
        return ""
    return (f" (codekit's CDC conversion table lists the changes up to {last}, not those "
            f"of {effective}, so it cannot name {what}: see the CDC conversion table of "
            f"FY{fiscal_year(effective)})")


def _listed(codes: Sequence[str]) -> str:
    return ", ".join(codes[:8]) + (f" ... ({len(codes)} codes)" if len(codes) > 8 else "")


def coverage_note(store: Store, day: dt.date) -> str | None:
    """What is said of ``day`` when ``store``'s data does not describe it (the claim
    report's ``ICD10CM_DATE_NOT_COVERED`` notice; :func:`codekit.icd10cm.coverage_note`),
    or None."""
    last = store.last_known
    if day > last:
        return (f"{day} is after the last date codekit's ICD-10-CM data describes ({last}): "
                "diagnoses are answered as of then; add the newer CDC/CMS release "
                "(codekit data add)")
    if day < ICD10_START:
        return (f"{day} is before ICD-10-CM took effect ({ICD10_START}): ICD-10-CM codes are "
                "not valid then")
    return None


def explain_invalid(store: Store, value: object, parsed: Icd10cmCode, day: dt.date,
                    release: ReleaseTable | None = None) -> ValidationError:
    """The one most specific error for a well-formed code that is not billable on ``day``
    (or, with ``release``, in that release). On a date after the data the error says so
    (the answer is the newest data's, and a code added since is unknown to it); only
    invalid answers are worked out here, so the covered path pays nothing for it."""
    err = _explain(store, value, parsed, day, release)
    if release is None and day > store.last_known:
        fields = err._fields
        err = type(err)(**{**fields, "message": f"{fields['message']}; "
                           f"{coverage_note(store, day)}"})
    return err


def _explain(store: Store, value: object, parsed: Icd10cmCode, day: dt.date,
             release: ReleaseTable | None = None) -> ValidationError:
    code = parsed.code
    v = store.validity
    ranges = v.ranges(code)
    if not ranges and (release is not None or day >= ICD10_START):
        known = store.known_codes()
        near: tuple[str, ...] = (code, det.stem(code), code.rstrip("X"), code[:-1])
        if 4 <= len(code) <= 6:  # a placeholder X left out (T36.01A, W19.XA): see below
            near += (code[:-1].rstrip("X").ljust(6, "X") + code[-1], code[:4] + "X" + code[4:])
        if not any(c in known for c in near):
            # Nothing of it exists anywhere: the common typo, answered without the tables.
            return UnknownCode(
                value, f"{det.dotted(code)} is in no ICD-10-CM release codekit knows", on=day)
    rel = release or store.release_for(day)[0]
    if release is None and day < ICD10_START:
        return NotValidOnDate(
            value, f"ICD-10-CM took effect on {ICD10_START}; for a date of service of {day} "
            "use ICD-9-CM", on=day, valid_ranges=ranges)
    if ranges:
        i = rel.row(code)
        replacements: tuple[str, ...] = ()
        if i is not None and not rel.is_billable_row(i):
            replacements = _descendants(store, rel, code, day, release)[0]
            what = (f"on {day} it is a header in {rel.readable}: use a more specific code, e.g. "
                    + ", ".join(replacements[:8]))
        elif ranges[0][0] > day:
            first = ranges[0][0]
            replacements = _predecessors(store, rel, code, first, day, release)
            what = f"it takes effect on {first}"
            if len(replacements) == 1:
                what += f"; until {first - _DAY} code it as {replacements[0]}"
            elif replacements:
                what += (f"; until {first - _DAY} code it with its previous codes in the "
                         f"CDC conversion table: {_listed(replacements)}")
            else:
                what += _conversion_gap(store, first, "its previous code")
        else:
            last = max((b for _, b in ranges if b is not None), default=None)
            if last and last < day:
                replacements = _successors(store, rel, code, last, day, release)
                what = f"it was deleted after {last}" + (
                    f": use one of the codes that replaced it on {last + _DAY}, "
                    + _listed(replacements) if replacements else "")
                if not replacements:
                    replacements = _converted_to(store, rel, code, last, day, release)
                    if len(replacements) == 1:
                        what += (f": use {replacements[0]}, the code the CDC conversion "
                                 f"table gives for it from {last + _DAY}")
                    elif replacements:
                        what += (": use one of the codes the CDC conversion table gives for "
                                 f"it from {last + _DAY}, {_listed(replacements)}")
                    else:
                        what += _conversion_gap(store, last + _DAY, "the code that replaced it")
            else:
                what = f"it is not valid on {day}"
        where = f"in {rel.readable}" if release is not None else f"on {day}"
        return NotValidOnDate(
            value, f"not valid {where}: {what}. Valid: {_fmt_ranges(ranges)}",
            on=day, valid_ranges=ranges, replacements=list(replacements))
    err = _seventh_char_error(store, rel, value, code)
    if err is not None:
        return err
    holder = rel if rel.row(code) is not None else det.nearest_with(store, code, day)
    if holder is not None:
        now, every = _descendants(store, holder, code, day, release)
        kids = now or every
        level = "category" if len(code) == 3 else "subcategory"
        return NotBillable(
            value, f"{det.dotted(code)} is a header ({level}), not a billable code: use one of "
            "its codes, e.g. " + ", ".join(kids[:8]), children=list(kids))
    return UnknownCode(value, f"{det.dotted(code)} is in no ICD-10-CM release codekit knows",
                       on=day)

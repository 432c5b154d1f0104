"""validate / is_valid / lookup / resolve / suggest / search for ICD-10-PCS.

The hot path (:func:`is_valid`, and the remembered answers of :func:`lookup`,
:func:`validate` and :func:`resolve`) costs a few dictionary look-ups: each raw input
string's validity mask and each date argument's period are remembered (bounded caches).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import sys
import threading
from collections.abc import Callable

import attrs

from .. import _cache
from .._dates import ICD10_START, coerce_date, fiscal_year, today
from .._text import MAX_SUGGEST, MIN_SIMILARITY, limit_arg, query_arg
from ..codesystem import WEAK, DatedSearchResults, SearchHit
from ..errors import (
    InvalidFormat,
    NotValidOnDate,
    ValidationError,
    ValueNotAllowed,
)
from ._format import (
    _ICD10CM,
    _OTHER,
    FAST_PATTERN,
    FORMAT_CODE,
    clean,
    other_system,
    parse,
    read_as_digits,
)
from ._store import Store, default_store, prefix_range
from .entry import Axis, Entry, MceFlags, axes_of

__all__ = ["Resolved", "explain", "is_valid", "lookup", "resolve", "search", "suggest",
           "validate"]

SYSTEM = "icd10pcs"
_MAX = 200_000
# Answers are remembered under a date argument of exactly these types: not datetimes,
# whose equality is the instant's (2025-10-01T00:30Z == 2025-09-30T20:30-04:00) while each
# means its own day of service.
_CACHEABLE_DATE = (dt.date, str, type(None))

# raw input string -> the default store's validity mask (0: malformed or unknown)
_RAW: dict[str, int] = _cache.owned("icd10pcs.raw_masks", {})
# date argument -> period index of the default store
_FAST: dict[object, int] = _cache.owned("icd10pcs.periods", {})
_MASKS: list[dict[str, int]] = [{}]
_cache.register("icd10pcs.default_masks", lambda: _MASKS.__setitem__(0, {}))


def _raw_mask(code: str) -> int:
    masks = _MASKS[0]
    get: Callable[[str], int | None]
    if masks:
        get = masks.get
    else:  # the dict of every code is not made yet: the first lookups bisect the table
        v = default_store().validity
        made = v.made_masks
        if made is not None:
            _MASKS[0] = made
        get = v.mask if made is None else made.get
    mask = get(code)
    if mask is None:
        try:
            text = clean(code)
        except InvalidFormat:  # pragma: no cover - code is a str here
            text = ""
        mask = (get(text) or 0) if FAST_PATTERN.fullmatch(text) else 0
    if _cache.cacheable(code):
        if len(_RAW) >= _MAX:
            _RAW.clear()
        _RAW[code] = mask
    return mask


def is_valid(code: object, *, on: object = None, store: Store | None = None) -> bool:
    """True when ``code`` may be reported on ``on`` (default today); False for anything
    that is not such a code (junk, None, a table, a code of another year...).

    >>> is_valid("0DTJ4ZZ", on="2025-06-01"), is_valid("0dtj4zz", on="2025-06-01")
    (True, True)
    >>> is_valid("0370046", on="2019-09-30"), is_valid("0370046", on="2019-10-01")
    (True, False)
    >>> is_valid(None), is_valid("0DTJ4ZO"), is_valid("99213")
    (False, False, False)

    A malformed date raises :class:`~codekit.InvalidArgument`.
    """
    if type(code) is not str:
        if not isinstance(code, str):
            return False
        code = str.__str__(code)  # numpy.str_ and other str subclasses: the text itself
    if store is None:
        try:
            p = _FAST.get(today() if on is None else on)
        except TypeError:
            p = None
        if p is not None:
            mask = _RAW.get(code)
            if mask is None:
                mask = _raw_mask(code)
            return p >= 0 and bool(mask >> p & 1)
    s = store or default_store()
    day = coerce_date(on)
    p = s.validity.period(day) if day >= ICD10_START else -1
    if store is None:
        if type(on) in _CACHEABLE_DATE and (on is None or type(on) is not str
                                                or _cache.cacheable(on)):
            if len(_FAST) >= 4096:
                _FAST.clear()
            _FAST[today() if on is None else on] = p
        mask = _raw_mask(code)
    else:
        try:
            key = clean(code)
        except InvalidFormat:  # pragma: no cover
            return False
        mask = s.validity.masks.get(key, 0)
    return p >= 0 and bool(mask >> p & 1)


# -- entries ---------------------------------------------------------------------------------


#: The last fiscal year whose files can be added (FY9999 ends on 9999-09-30; FY10000 would
#: need a five-digit year).
_LAST_NAMED_FY = dt.MAXYEAR


def _release_and_title(s: Store, code: str, day: dt.date) -> tuple[str, str | None,
                                                                    str | None, str | None]:
    """(release id, long title, short title, note) for ``code`` on ``day``."""
    user = s.user_release_for(day)
    if user is not None:
        t = user.titles(code)
        if t is not None:
            return user.id, t[0], t[1], None
    fy = fiscal_year(day)
    years = s.titles.years
    year = s.titles.year_for(day)
    found = s.titles.titles(code, year)
    notes = []
    if user is not None:
        # the user's files answer for the date: the code is not in them
        notes.append(f"{code} is not in the user release {user.id} covering {day}"
                     + (f"; title from FY{year}" if found is not None else ""))
    else:
        year_note = _no_files_note(s, day)
        if year_note:
            notes.append(year_note)
    if found is None:
        notes.append(f"No order file codekit has lists {code}, so it has no title"
                     + (" (a code added after the last bundled order file)"
                        if s.validity.masks.get(code) else ""))
        rel = f"FY{year}"
        return rel, None, None, " ".join(notes) or None
    long, short, held = found
    if held != year and fy <= years[-1] and day >= ICD10_START:
        notes.append(f"{code} is not in the FY{year} order file (the file of {day}); its "
                     f"title is from FY{held}" + (" (a code of a mid-year update)"
                                                   if held == year + 1 else ""))
    return f"FY{year}", long, short, " ".join(notes) or None


def _no_files_note(s: Store, day: dt.date) -> str | None:
    """For a date of a fiscal year codekit bundles no files of (and no user release
    covers): what answers, and which CMS files to add."""
    fy, last = fiscal_year(day), s.titles.years[-1]
    if fy > _LAST_NAMED_FY:  # from 9999-10-01: no FY files to add for such a date
        return (f"{day} falls in no fiscal year that can be named (the last, FY"
                f"{_LAST_NAMED_FY}, ends on {_LAST_NAMED_FY}-09-30): there are no CMS files "
                f"of its year to add, and such a date is usually a placeholder, not a date "
                f"of service. Validity on {day} is from the CMS MCE table (to "
                f"{s.base_validity.table_end}), titles and axis meanings from FY{last}.")
    if fy > last:
        return (f"codekit bundles no FY{fy} ICD-10-PCS order file or tables (CMS files for "
                f"FY{fy} were not available to its build): validity on {day} is from the "
                f"CMS MCE table (to {s.base_validity.table_end}), titles and axis meanings "
                f"from FY{last}. Add the CMS FY{fy} files with `codekit data add-pcs --id "
                f"FY{fy} --effective {fy - 1}-10-01 --order icd10pcs_order_{fy}.txt "
                f"--tables icd10pcs_tables_{fy}.xml`.")
    return None


def _outside_note(s: Store, day: dt.date, release: str, titles: str) -> str | None:
    """For a date outside what the data describes: how it was answered (``titles``:
    ``title`` for an entry, ``titles`` for a search)."""
    if day > s.last_known:
        return (f"{day} is after the last date codekit's ICD-10-PCS data describes "
                f"({s.last_known}); the answer is that of the last period.")
    if day < ICD10_START:
        return (f"{day} is before ICD-10-PCS took effect ({ICD10_START}): no ICD-10-PCS "
                "code may be reported then (inpatient procedures were ICD-9-CM volume 3 "
                f"codes); {titles} from {release}.")
    return None


def _make_entry(s: Store, code: str, day: dt.date, valid: bool) -> Entry:
    rel, long, short, note = _release_and_title(s, code, day)
    extra = _outside_note(s, day, rel, "title")
    if extra:
        note = f"{note} {extra}" if note else extra
    return Entry(code=code, valid=valid, on=day, release=rel, title=long, short_title=short,
                 note=note, store=s)


# -- why a code is not valid -----------------------------------------------------------------


def _fmt_ranges(ranges: list[tuple[dt.date, dt.date | None]]) -> str:
    return ", ".join(f"{a} to {b if b else 'now'}" for a, b in ranges)


def _nearest(s: Store, code: str, day: dt.date, limit: int = 5) -> list[str]:
    """Valid codes on ``day`` of ``code``'s table, fewest differing characters first
    (a difference in an earlier character counts more)."""
    p = s.validity.period(day) if day >= ICD10_START else -1
    codes = s.valid_list(p)
    i, j = prefix_range(codes, code[:3])
    if i == j:
        i, j = prefix_range(codes, code[:2])
    cands = codes[i:j]

    def cost(c: str) -> tuple[int, int, str]:
        diff = [k for k in range(7) if c[k] != code[k]]
        return len(diff), -min(diff, default=7), c

    return sorted(cands, key=cost)[:limit]


#: The start of a code: 1 to 7 of the characters ICD-10-PCS uses (no I, no O).
_PREFIX = re.compile(r"[0-9A-HJ-NP-Z]{1,7}")


def codes(within: object = None, *, on: object = None, store: Store | None = None
          ) -> list[str]:
    """The codes valid on ``on`` (default today), in code order: every one, or those
    ``within`` a section, body system, table... (the code's first characters: ``"0"``
    Medical and Surgical, ``"0D"`` its Gastrointestinal System, ``"0DT"`` Resection; a
    whole code: itself when valid), case and blanks aside.

    >>> codes("0dtj", on="2025-06-01")
    ['0DTJ0ZZ', '0DTJ4ZG', '0DTJ4ZZ', '0DTJ7ZZ', '0DTJ8ZZ']
    >>> codes("0370046", on="2019-09-30"), codes("0370046", on="2019-10-01")
    (['0370046'], [])

    Text that is no start of a code is an :class:`~codekit.InvalidFormat`.
    """
    s = store or default_store()
    day = coerce_date(on)
    valid = s.valid_list(s.validity.period(day) if day >= ICD10_START else -1)
    if within is None:
        return list(valid)
    prefix = clean(within)
    if not _PREFIX.fullmatch(prefix):
        raise InvalidFormat(within, "not the start of an ICD-10-PCS code: 1 to 7 letters "
                            "or digits, no I or O (e.g. 0DT, the Resection table of the "
                            "Gastrointestinal System)", code=FORMAT_CODE)
    i, j = prefix_range(valid, prefix)
    return valid[i:j]


def _foreign(s: Store, text: str) -> str | None:
    """:func:`other_system`, and also ICD-10-CM for seven characters written as an
    ICD-10-CM code whose first is no PCS section (``S72001A``: well-formed PCS syntax, but
    no PCS code is near it)."""
    other = other_system(text)
    if other is None and len(text) == 7 and _ICD10CM.fullmatch(text) and \
            text[0] not in {k[0] for k in s.tables.table_keys()}:
        return "ICD-10-CM"
    return other


#: "New Technology Group 5" and the like: section X titles name the group, which the code
#: that takes the concept over in another section does not
_NEW_TECH = re.compile(r",?\s*New Technology Group \d+", re.IGNORECASE)
#: words that only join a title's parts ("with", "using" swap places between tables)
_JOINERS = frozenset({"a", "an", "and", "by", "for", "from", "in", "into", "of", "on", "or",
                      "the", "to", "using", "via", "with"})
#: the words that divide a body part CMS merged into one (FY2018: Right and Left
#: Diaphragm into Diaphragm, Greater and Lesser Omentum into Omentum; FY2025: Proximal
#: and Distal Popliteal Artery into Popliteal Artery): a successor's title may lack one
_DIVIDERS = frozenset({"distal", "greater", "left", "lesser", "proximal", "right"})
#: (store, first day) -> the title words of the codes added that day -> those codes
_ADDED: dict[tuple[Store, dt.date], dict[frozenset[str], list[str]]] = \
    _cache.owned("icd10pcs.added_titles", {})


def _title_words(title: str) -> frozenset[str]:
    """The words that say what a title means: lower case, without the words that only join
    its parts and without a new-technology group."""
    return frozenset(w for w in re.split(r"[^a-z0-9-]+", _NEW_TECH.sub("", title).lower())
                     if w and w not in _JOINERS)


def _added(s: Store, start: dt.date) -> dict[frozenset[str], list[str]]:
    """The codes valid from ``start`` that were not the day before, by their title words
    (worked out once per store and day: a few hundred codes a year)."""
    key = (s, start)
    found = _ADDED.get(key)
    if found is None:
        v = s.validity
        now = v.period(start)
        before = v.period(start - dt.timedelta(days=1)) if start > ICD10_START else -1
        found = {}
        for c, m in v.masks.items():
            if m >> now & 1 and not (before >= 0 and m >> before & 1):
                title = _release_and_title(s, c, start)[1]
                if title:
                    found.setdefault(_title_words(title), []).append(c)
        if len(_ADDED) >= 64:
            _ADDED.clear()
        _ADDED[key] = found
    return found


def _successors(s: Store, code: str, ended: dt.date, day: dt.date) -> list[tuple[str, str]]:
    """The codes that took over ``code``'s concept when it ended on ``ended``, valid on
    ``day``, as (code, why): added the next day with the same title (X27H385 ended on
    2024-09-30; 047K342, added on 2024-10-01, has its title's words but the new-technology
    group), else with the same title but one word that divided a body part CMS merged
    (X27K385 Proximal Right Popliteal Artery: 047M342 Right Popliteal Artery). None when
    no code or more than one code (of a merge) fits: a wrong successor is worse than
    none."""
    start = ended + dt.timedelta(days=1)
    old = _release_and_title(s, code, ended)[1]
    if not old:
        return []
    words = _title_words(old)
    added = _added(s, start)
    p = s.validity.period(day)
    masks = s.validity.masks

    def valid(c: str) -> bool:
        return bool(masks.get(c, 0) >> p & 1)

    same = [c for c in added.get(words, ()) if valid(c)]
    if same:
        return [(c, "the same title") for c in sorted(same)]
    merged = [(c, w) for w in words & _DIVIDERS for c in added.get(words - {w}, ())
              if valid(c)]
    if len(merged) == 1:
        c, w = merged[0]
        return [(c, f"the same title without {w.capitalize()!r}")]
    return []


def explain_invalid(s: Store, value: object, code: str, day: dt.date) -> ValidationError:
    """The most specific error for a well-formed ``code`` not valid on ``day``; on a date
    outside the data it says so, in the words of the claim report's
    ``ICD10PCS_DATE_NOT_COVERED`` notice: after it (a code added since is unknown to the
    data), or before ICD-10-PCS took effect (the tables judged are FY2016's; a code valid
    in some year already says so: :class:`~codekit.NotValidOnDate`)."""
    err = _explain(s, value, code, day)
    last = s.last_known
    said = None
    if day > last:
        said = (f"{day} is after the last date codekit's ICD-10-PCS data describes "
                f"({last}): procedures are answered from the newest data; add the CMS "
                "release of that date (codekit data add-pcs)")
    elif day < ICD10_START and not isinstance(err, NotValidOnDate):
        said = (f"{day} is before ICD-10-PCS took effect ({ICD10_START}): ICD-10-PCS codes "
                "are not valid then")
    if said is not None:
        fields = err._fields
        err = type(err)(**{**fields, "message": f"{fields['message']}; {said}"})
    return err


def _explain(s: Store, value: object, code: str, day: dt.date) -> ValidationError:
    masks = s.validity.masks
    ranges = s.validity.ranges(code) if masks.get(code) else []
    if ranges:
        # an open range runs to the last fiscal year the data describes (0DTJ4ZZ is valid
        # FY2016-FY2027, not "FY2016")
        last_fy = fiscal_year(s.last_known)
        years = sorted({fiscal_year(a) for a, _ in ranges} |
                       {fiscal_year(b) if b else max(last_fy, fiscal_year(a))
                        for a, b in ranges})
        when = "before ICD-10-PCS took effect (2015-10-01)" if day < ICD10_START else ""
        fix = _nearest(s, code, day) if day >= ICD10_START else []
        ended = max((b for _, b in ranges if b is not None and b < day), default=None)
        moved = _successors(s, code, ended, day) if ended is not None else []
        said = ""
        if moved and ended is not None:
            fix = [*(c for c, _ in moved), *(c for c in fix if c not in dict(moved))]
            said = (f". Replaced on {ended + dt.timedelta(days=1)} by "
                    + ", ".join(f"{c} ({why})" for c, why in moved))
        table = [c for c in fix if c not in dict(moved)]
        # the nearest codes are the table's, or, when no code of the table is valid on
        # the date (XD2, deleted whole on 2026-10-01), its body system's (_nearest)
        where = (f"Valid on {day} in table {code[:3]}" if table[:1] and
                 table[0][:3] == code[:3] else f"No code of table {code[:3]} is valid on "
                 f"{day}; valid in body system {code[:2]}")
        msg = (f"not valid on {day}{': ' + when if when else ''}; valid "
               f"{_fmt_ranges(ranges)} (FY{years[0]}"
               + (f"-FY{years[-1]}" if years[-1] != years[0] else "") + ")" + said
               + (f". {where}: {', '.join(table[:3])}" if table else ""))
        return NotValidOnDate(value, msg, code="PCS_NOT_VALID_ON_DOS", on=day,
                              valid_ranges=ranges, replacements=fix)
    p = s.validity.period(day) if day >= ICD10_START else -1
    codes = s.valid_list(p)
    i, j = prefix_range(codes, code[:3])
    if i == j:  # no valid code of this table on the date: judge against every year's codes
        codes = s.ever_list()
    tables = s.tables_for(day)
    k = 1
    while k <= 7:
        i, j = prefix_range(codes, code[:k])
        if i == j:
            break
        k += 1
    lo, hi = prefix_range(codes, code[:k - 1])
    allowed_values = sorted({c[k - 1] for c in codes[lo:hi]})
    axes = axes_of(code[:k - 1] + allowed_values[0] + code[k:] if allowed_values else code,
                   tables)
    axis = axes[k - 1].name or ("Section" if k == 1 else f"character {k}")
    t = tables.table(code[:3])
    labels: dict[str, str] = {}
    for v in allowed_values:
        probe = code[:k - 1] + v + (code[k:] if k < 7 else "")
        probe = (probe + "ZZZZZZZ")[:7]
        labels[v] = axes_of(probe, tables)[k - 1].label or ""
    shown = ", ".join(f"{v} {labels[v]}".strip() for v in allowed_values[:40])
    if len(allowed_values) > 40:
        shown += f" and {len(allowed_values) - 40} more"
    context = ""
    if k >= 4 and t is not None:
        context = f" in table {code[:3]} ({t['labels'][2]}, {t['labels'][1]})"
        if k >= 5:
            context += " with " + ", ".join(
                f"{a.name.lower()} {a.value} {a.label or ''}".rstrip()
                for a in axes[3:k - 1])
    elif k == 3:
        context = f" in body system {code[1]} of section {code[0]}"
    elif k == 2:
        context = f" in section {code[0]}"
    fix = _nearest(s, code, day) if k > 1 else []
    msg = (f"character {k} ({axis.lower()}) {code[k - 1]!r} is not allowed{context}; "
           f"allowed: {shown}" + (f". Nearest valid codes: {', '.join(fix[:3])}" if fix else ""))
    other = _foreign(s, code) if k == 1 else None
    if other is not None:
        msg = f"{_OTHER[other]}: {msg}"
    return ValueNotAllowed(value, msg, code="PCS_CODE_UNKNOWN", on=day, suggestions=fix,
                           position=k, axis=axis, allowed=labels)


# -- the remembered answers ------------------------------------------------------------------

_Answer = Entry | ValidationError
_SEEN: dict[tuple[object, str], _Answer] = _cache.owned("icd10pcs.answers", {})


def _copy(err: ValidationError) -> ValidationError:
    new = err.__class__.__new__(err.__class__)
    new.args = err.args
    new.__dict__.update(err.__dict__)
    return new


def _format_error(s: Store, value: object, err: InvalidFormat, day: dt.date) -> InvalidFormat:
    """``err`` (text that is not PCS syntax) for ``day``: its fix the codes valid then,
    and, for a code written with the letter O or I, the did-you-mean of its message: the
    code read with the digits 0 and 1 when that is valid on the date, else the fix's first
    (0DTJ4ZO: 0DTJ4Z0 is no code, 0DTJ4ZG is), else none."""
    err.suggest_from(SYSTEM, day)
    read = read_as_digits(clean(value)) if isinstance(value, str) else None
    if read is None:
        return err
    p = s.validity.period(day) if day >= ICD10_START else -1
    if p >= 0 and s.validity.masks.get(read, 0) >> p & 1:
        new = InvalidFormat(value, f"{err.reason}; did you mean {read}?", code=FORMAT_CODE)
        return new.suggest_from(SYSTEM, day)  # (its fix starts with it, computed if asked)
    fix = err.fix
    msg = f"{err.reason}; read with the digits 0 and 1, {read} is not valid on {day} either"
    if fix:
        msg += f": did you mean {fix[0]}?"
    return InvalidFormat(value, msg, code=FORMAT_CODE, fix=fix).suggest_from(SYSTEM, day)


def _answer(code: object, on: object, store: Store | None) -> _Answer:
    """lookup()'s answer: an entry (valid or not) or the error to raise."""
    key: tuple[object, str] | None = None
    if store is None and type(code) is str and _cache.cacheable(code) and \
            type(on) in _CACHEABLE_DATE and (type(on) is not str or _cache.cacheable(on)):
        key = (today() if on is None else on, code)
        hit = _SEEN.get(key)
        if hit is not None:
            return hit
    s = store or default_store()
    day = coerce_date(on)
    answer: _Answer
    try:
        pc = parse(code).code
    except InvalidFormat as e:
        answer = _format_error(s, code, e, day)
    else:
        p = s.validity.period(day) if day >= ICD10_START else -1
        mask = s.validity.masks.get(pc, 0)
        if mask or s.titles.row(pc) is not None:
            answer = _make_entry(s, pc, day, p >= 0 and bool(mask >> p & 1))
        else:
            answer = explain_invalid(s, code, pc, day)
    if key is not None:
        if len(_SEEN) >= _MAX:
            _SEEN.clear()
        _SEEN[key] = answer if isinstance(answer, Entry) else _copy(answer)
    return answer


def lookup(code: object, *, on: object = None, store: Store | None = None) -> Entry:
    """Everything codekit knows about ``code`` as of ``on``: valid then or not (see
    ``valid``). A code no year has raises :class:`~codekit.UnknownCode`
    (:class:`~codekit.ValueNotAllowed` naming the character and the values allowed);
    text that is not PCS raises :class:`~codekit.InvalidFormat`.

    >>> e = lookup("0DTJ4ZZ", on="2025-06-01")
    >>> e.title
    'Resection of Appendix, Percutaneous Endoscopic Approach'
    >>> [(a.name, a.label) for a in e.axes][2:5]
    [('Operation', 'Resection'), ('Body Part', 'Appendix'), ('Approach', 'Percutaneous Endoscopic')]
    """
    answer = _answer(code, on, store)
    if isinstance(answer, Entry):
        return answer
    raise _copy(answer)


def validate(code: object, *, on: object = None, store: Store | None = None) -> Entry:
    """The entry of ``code`` when it may be reported on ``on``; otherwise the most
    specific error: :class:`~codekit.InvalidFormat` (``PCS_FORMAT_INVALID``), then
    :class:`~codekit.NotValidOnDate` (``PCS_NOT_VALID_ON_DOS``: valid in other years, it
    says when), then :class:`~codekit.ValueNotAllowed` (``PCS_CODE_UNKNOWN``: the first
    character its table row does not allow, with the allowed values).

    >>> validate("0DTJXZZ", on="2025-06-01")
    Traceback (most recent call last):
    ...
    codekit.errors.ValueNotAllowed: '0DTJXZZ': character 5 (approach) 'X' is not allowed ...
    """
    answer = _answer(code, on, store)
    if isinstance(answer, Entry):
        if answer.valid:
            return answer
        s = store or default_store()
        err = explain_invalid(s, code, answer.code, answer.on)
        raise err
    raise _copy(answer)


def explain(code: object, *, on: object = None, store: Store | None = None
            ) -> tuple[Axis, ...]:
    """The seven characters of ``code`` explained by the tables in force on ``on``
    (default today): for each, the axis title of its section and table and the value's
    meaning there (:class:`Axis`), as :attr:`Entry.axes <codekit.icd10pcs.Entry.axes>`
    gives them, for any well-formed code, valid on the date or not. A character its
    table has no such value for has ``label`` None (``0DTJXZZ``: table 0DT has no
    approach X; :func:`validate` says which values it allows).

    Text that is not PCS syntax raises :class:`~codekit.InvalidFormat`
    (``PCS_FORMAT_INVALID``, as :func:`validate` words it); a code whose first character
    is no section raises the :class:`~codekit.ValueNotAllowed` of :func:`validate`; a
    malformed date :class:`~codekit.InvalidArgument`.

    >>> for axis in explain("0DTJ4ZZ", on="2025-11-03")[2:5]:
    ...     print(axis)
    3 Operation: T = Resection
    4 Body Part: J = Appendix
    5 Approach: 4 = Percutaneous Endoscopic
    >>> print(explain("0DTJXZZ", on="2025-11-03")[4])
    5 Approach: X = ?
    """
    s = store or default_store()
    day = coerce_date(on)
    try:
        pc = parse(code).code
    except InvalidFormat as e:
        raise _format_error(s, code, e, day) from None
    axes = axes_of(pc, s.tables_for(day))
    if axes[0].label is None:  # no such section: nothing to explain
        raise explain_invalid(s, code, pc, day)
    return axes


# -- what claim edits need -------------------------------------------------------------------


@attrs.frozen(slots=True)
class Resolved:
    """A PCS code as written on a claim, resolved for a date: its compact ``code`` (when
    well formed), its ``entry`` when valid then, else the ``error`` :func:`validate`
    raises, and its MCE ``flags`` on the date (empty when none)."""

    code: str | None
    entry: Entry | None
    error: ValidationError | None
    flags: tuple[str, ...] = ()

    @property
    def mce(self) -> MceFlags:
        """:attr:`flags` as :class:`~codekit.icd10pcs.MceFlags` (sex, non-covered, limited
        coverage...)."""
        return MceFlags(self.flags)


def _weigh_resolved(key: tuple[str, dt.date], value: Resolved) -> int:
    """What a remembered :class:`Resolved` costs: for a valid code, what
    :func:`_cache.weigh` would say, summed from the parts that vary (a few C calls; a test
    holds them equal), an error weighed. A stream meets new (code, date) pairs all the time,
    and weighing them was most of their cost."""
    if value.error is None:
        flags = value.flags
        return _FIXED + _size(key[0]) + _size(value.code) + _size(value.entry) + \
            _size(flags) + sum(map(_size, flags))
    return _cache.entry_weight(key, value)


_size = sys.getsizeof
#: the parts of every valid entry's weight that do not vary: the key's tuple and date, the
#: Resolved itself, the cache's overhead
_FIXED = _size(("", dt.date(2000, 1, 1))) + _size(dt.date(2000, 1, 1)) + \
    _size(Resolved(None, None, None)) + _cache.ENTRY_OVERHEAD
_RESOLVED: dict[tuple[str, dt.date], Resolved] = _cache.owned(
    "icd10pcs.resolved", {}, weigher=_weigh_resolved)
_LOCK = threading.Lock()


def resolve(code: str, *, on: object = None) -> Resolved:
    """``code`` (as written on a claim) resolved for ``on``, remembered per (code, date):
    a stream of claims pays a dictionary look-up a procedure.

    A claim goes to a payer's editor as written, and the MCE reads a PCS code only as CMS
    prints it: so here, unlike :func:`validate`, lower case or a space inside the code is
    the format error it is on the claim (surrounding blanks are not).

    >>> r = resolve("0VT04ZZ", on="2024-06-01")
    >>> r.code, r.entry.title, r.flags
    ('0VT04ZZ', 'Resection of Prostate, Percutaneous Endoscopic Approach', ('male',))
    >>> resolve("0DTJ4ZO", on="2024-06-01").error.code
    'PCS_FORMAT_INVALID'
    >>> print(resolve("0dtj4zz", on="2024-06-01").error)
    '0dtj4zz': write ICD-10-PCS codes as CMS prints them, in upper case without spaces: ...
    """
    # a claim's date is a date already: straight to the (code, date) memo
    day = on if type(on) is dt.date else coerce_date(on)
    if type(code) is not str and isinstance(code, str):
        code = str.__str__(code)  # numpy.str_: judged as the text it is
    key = (code, day)
    hit = _RESOLVED.get(key) if type(code) is str else None
    if hit is not None:
        return hit
    s = default_store()
    cacheable = type(code) is str and _cache.cacheable(code)
    same: tuple[str, tuple[object, ...]] | None = None
    if cacheable:
        # another date of the same class answered already: the same entry but its date
        same = (code, _class_of(s, day))
        base = _SAME.get(same)
        if base is not None and base.entry is not None:  # (only valid answers are kept)
            e = base.entry
            hit = Resolved(base.code, Entry(code=e.code, valid=e.valid, on=day,
                                            release=e.release, title=e.title,
                                            short_title=e.short_title, store=e._store),
                           None, base.flags)
    if hit is None:
        try:
            entry = validate(code, on=day)
            if type(code) is str and code.strip() != entry.code:
                raise InvalidFormat(code, "write ICD-10-PCS codes as CMS prints them, in "
                                    f"upper case without spaces: {entry.code} (the MCE "
                                    f"rejects {code.strip()!r})", code="PCS_FORMAT_INVALID",
                                    fix=(entry.code,))
        except ValidationError as e:
            err = _copy(e)
            pc = None if isinstance(e, InvalidFormat) else parse(code).code
            hit = Resolved(pc, None, err, ())
        else:
            hit = Resolved(entry.code, entry, None, s.validity.flags(entry.code, day))
            if same is not None and entry.note is None:  # no word of its date in it
                with _LOCK:
                    if len(_SAME) >= _MAX:
                        _SAME.clear()
                    _SAME[same] = hit
    if cacheable:
        with _LOCK:
            if len(_RESOLVED) >= _MAX:
                _RESOLVED.clear()
            _RESOLVED[key] = hit
    return hit


#: (code as written, class of dates) -> its :class:`Resolved` on a date of the class, when
#: valid and its entry has no note (a note may name the date): the dates of a class give
#: every code the same answer but the entry's ``on`` (see :func:`_class_of`). A stream of
#: claims then resolves a code on a date it has not seen in two look-ups and an
#: :class:`Entry`, not a validation.
_SAME: dict[tuple[str, tuple[object, ...]], Resolved] = _cache.owned(
    "icd10pcs.same", {}, weigher=_weigh_resolved)
#: date -> its class (see :func:`_class_of`)
_CLASSES: dict[dt.date, tuple[object, ...]] = _cache.owned("icd10pcs.date_classes", {})


def _class_of(s: Store, day: dt.date) -> tuple[object, ...]:
    """What :func:`resolve`'s answer for a valid code depends on besides the code, when its
    entry has no note: the validity period (valid or not), the MCE flags' period, the
    fiscal year (titles) and the user release covering the date (its titles)."""
    found = _CLASSES.get(day)
    if found is None:
        v = s.validity
        user = s.user_release_for(day)
        found = (v.period(day) if day >= ICD10_START else -1, v.flag_period(day),
                 fiscal_year(day), None if user is None else user.id)
        with _LOCK:
            if len(_CLASSES) >= 1 << 14:
                _CLASSES.clear()
            _CLASSES[day] = found
    return found


# -- suggest and search ----------------------------------------------------------------------


def suggest(code: object, *, on: object = None, limit: int = 5,
            store: Store | None = None) -> list[str]:
    """Codes valid on ``on`` close to a mistyped ``code``, best first: the code with the
    letters O and I read as 0 and 1 and separators dropped, then the nearest valid codes
    of the same table (fewest differing characters), then fuzzy matches.

    >>> suggest("ODTJ4ZZ", on="2025-06-01")[:1]
    ['0DTJ4ZZ']
    >>> suggest("0DTJXZZ", on="2025-06-01")[:2]
    ['0DTJ0ZZ', '0DTJ4ZZ']
    """
    limit = limit_arg(limit)
    day = coerce_date(on)
    try:
        text = clean(code)
    except InvalidFormat:
        return []
    s = store or default_store()
    if len(text) > MAX_SUGGEST or _foreign(s, text) is not None:
        return []  # no code is near such a text, or a CPT, HCPCS, ICD-9 or ICD-10-CM code
    p = s.validity.period(day) if day >= ICD10_START else -1
    masks = s.validity.masks
    text = "".join(ch for ch in text if ch not in ".-_/")
    fixed = text.replace("O", "0").replace("I", "1")
    out: list[str] = []

    def add(c: str) -> None:
        if c not in out and p >= 0 and masks.get(c, 0) >> p & 1:
            out.append(c)

    add(fixed)
    if len(fixed) >= 3 and FAST_PATTERN.fullmatch((fixed + "ZZZZZZZ")[:7]):
        for c in _nearest(s, (fixed + "ZZZZZZZ")[:7], day, limit * 2):
            add(c)
    if len(out) < limit and fixed:
        for cand in s.valid_fuzzy(p).extract(fixed, limit=limit, cutoff=MIN_SIMILARITY):
            add(cand)
    return out[:limit]


def search(text: str, *, on: object = None, limit: int = 10,
           store: Store | None = None) -> DatedSearchResults:
    """Codes valid on ``on`` whose title matches ``text``, best first (``confidence``: 1.0
    when the title has every word of the query and says nothing more, lower as query
    words go unmatched or the title says more; see :mod:`codekit.icd10pcs._search`). The
    query is also read in the words of PCS titles (``cholecystectomy``: resection or
    excision of gallbladder; see :mod:`codekit.icd10pcs._words`); only titles holding a
    word of a reading (or a word it begins: ``append`` finds ``Appendix``, or a close
    spelling of it) are candidates, so text sharing no word with any title (``(((``)
    finds nothing. A query that is a code valid on ``on`` finds that code first.

    When no hit is a good match (``results.good`` False), the results also say which
    codes of other dates match well (as ICD-10-CM's search does: ``results.later``, valid
    only after ``on``; ``results.earlier``, only before it; see
    :class:`~codekit.codesystem.DatedSearchResults`): the COVID-19 drugs' new-technology
    codes came on 2020-08-01.

    >>> [h.code for h in search("resection appendix percutaneous endoscopic",
    ...                         on="2025-06-01")][:1]
    ['0DTJ4ZZ']
    >>> len(search("(((", on="2025-06-01")), search("0dtj4zz", on="2025-06-01")[0].code
    (0, '0DTJ4ZZ')
    >>> search("laparoscopic cholecystectomy", on="2025-06-01")[0].title
    'Resection of Gallbladder, Percutaneous Endoscopic Approach'
    >>> found = search("introduction of remdesivir into peripheral vein", on="2020-06-01")
    >>> found.good, found.later.on, found.later.codes
    (False, datetime.date(2020, 8, 1), ('XW033E5',))

    """
    # the search index and its readings are imported on first search, not with the code
    # system: a script that only validates codes starts without them (the cold target)
    from ._search import other_dates, rank, release_on

    text = query_arg(text)
    limit = limit_arg(limit)
    s = store or default_store()
    day = coerce_date(on)
    # the codes valid on the date with a title, their titles, and the best of them for
    # the query as written and read in the words of PCS titles, as (position, score)
    codes, texts, ranked = rank(s, day, text, limit)
    hits: list[SearchHit] = []
    try:
        code = parse(text).code
    except InvalidFormat:
        code = ""
    i = bisect.bisect_left(codes, code)
    if code and i < len(codes) and codes[i] == code:  # the query is a code: it first
        hits.append(SearchHit(code, code, texts[i], code, 100.0, 1.0))
    hits += [SearchHit(codes[i], codes[i], texts[i], texts[i], round(float(sc), 1),
                       round(float(sc) / 100, 3))
             for i, sc in ranked[:limit + 1] if codes[i] != code]
    hits = hits[:limit]
    # what answered (as an entry names it) and, for a date the data does not describe,
    # a note worded as an entry's (see _release_and_title and _make_entry)
    user = s.user_release_for(day)
    release = release_on(s, day)
    note = _outside_note(s, day, release, "titles")
    if note and day > s.last_known and user is None:
        year_note = _no_files_note(s, day)
        note = f"{year_note} {note}" if year_note else note
    # no good match on the date: do codes of other dates match? (the concept had no code
    # yet, or no more: docs/search.md); a good match on the date costs nothing more
    top = max((h.confidence for h in hits), default=0.0)
    later, earlier = other_dates(s, text, code, day, limit, top) if top < WEAK \
        else (None, None)
    return DatedSearchResults(hits, query=text, on=day, release=release, note=note,
                              later=later, earlier=earlier)

"""Did-you-mean for mistyped procedure codes, and description search (rapidfuzz)."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterator

from .. import _cache
from .._dates import coerce_date, covered
from .._fuzzy import FuzzyCodes
from .._text import MAX_SUGGEST, MIN_SIMILARITY, limit_arg, query_arg
from ..codesystem import (
    WEAK,
    DatedSearchResults,
    OtherDates,
    SearchHit,
    SearchResults,
    other_dates_of,
)
from ..errors import DataError
from ._codes import _known, coverage, coverage_note, covers, file_descriptor, ranges, valid_on
from ._format import FAST_CODE, FAST_LINE, clean, other_system
from ._store import ProcedureStore, default_store

__all__ = ["other_dates", "search", "search_coverage", "search_dated", "suggest"]

#: Characters commonly typed (or OCR'd) for one another.
CONFUSIONS: dict[str, str] = {
    "O": "0", "0": "O", "I": "1", "1": "I", "L": "1", "S": "5", "5": "S", "B": "8",
    "8": "B", "Z": "2", "2": "Z", "G": "6", "6": "G", "Q": "0", "D": "0",
}
_SEPARATORS = re.compile(r"[^0-9A-Z]")


#: The letters :data:`CONFUSIONS` reads as digits, as a ``str.translate`` table.
_TO_DIGIT = str.maketrans({k: v for k, v in CONFUSIONS.items() if v.isdigit()})


def _digit_reading(code: str) -> str:
    """``code`` with every character after the first that :data:`CONFUSIONS` reads as a
    digit read so (``EO6O1`` -> ``E0601``): the places a Level II code, and all but the
    last of a CPT code, hold digits. Two slips there leave no one-character change well
    formed.

    >>> _digit_reading("EO6O1"), _digit_reading("GO43B"), _digit_reading("0O1I5")
    ('E0601', 'G0438', '00115')
    """
    return code[:1] + code[1:].translate(_TO_DIGIT)


def _variants(code: str) -> Iterator[str]:
    n = len(code)
    digits = _digit_reading(code)
    if digits != code:
        yield digits
    for i, ch in enumerate(code):
        alt = CONFUSIONS.get(ch)
        if alt:
            yield code[:i] + alt + code[i + 1:]
    for i in range(n - 1):
        if code[i] != code[i + 1]:
            yield code[:i] + code[i + 1] + code[i] + code[i + 2:]
    if n == 6:
        for i in range(n):
            yield code[:i] + code[i + 1:]
    if n == 5:
        for i in range(n):
            for ch in "0123456789":
                if ch != code[i]:
                    yield code[:i] + ch + code[i + 1:]


def _candidates(store: ProcedureStore, q: int, system: str | None) -> list[str]:
    """Sorted: the codes of ``system`` that may be valid on a day answered by quarter
    ``q`` (``store.quarters.index(day)``): the quarter's codes and those of the loaded HCPCS
    files and quarterly code lists.
    Built once a quarter; :func:`valid_on` says which of them a given day takes (a code
    approved or ended mid-quarter, a file's own dates)."""
    key = ("candidates", q, system)
    cache = store.entry_cache
    codes = cache.get(key)
    if codes is None:
        since = _cache.changes()  # kept only if no data change began meanwhile
        # the codes of the loaded HCPCS files and quarterly code lists too: a code a newer
        # quarter added (0650U in an Addendum B) is a did-you-mean on its dates
        extra = {c for r in store.releases for c in r.codes} | \
            {c for qf in store.quarter_files for c in qf.codes}
        codes = sorted(c for c in {*store.codes.codes_in(q), *extra} if _system_ok(c, system))
        cache.put(key, codes, since)
    return codes


def _active(store: ProcedureStore, day: dt.date, system: str | None) -> list[str]:
    """Sorted: the codes of ``system`` valid on ``day`` (:func:`_candidates` of its
    quarter, those valid on the day)."""
    return [c for c in _candidates(store, store.quarters.index(day), system)
            if valid_on(store, c, day)]


def _fuzzy(store: ProcedureStore, q: int, system: str | None) -> FuzzyCodes:
    """The fuzzy index of the :func:`_candidates` of quarter ``q``, built once a quarter."""
    key = ("fuzzy", q, system)
    cache = store.entry_cache
    found = cache.get(key)
    if found is None:
        since = _cache.changes()  # kept only if no data change began meanwhile
        found = FuzzyCodes(_candidates(store, q, system))
        cache.put(key, found, since)
    return found


#: How many candidates more than ``limit`` :func:`_nearest` asks the quarter's fuzzy index
#: for at first (the codes not valid on the day are dropped from them).
_EXTRA = 5


def _nearest(store: ProcedureStore, day: dt.date, system: str | None, text: str,
             limit: int) -> list[str]:
    """The ``limit`` codes valid on ``day`` nearest ``text``, best first: exactly what a
    fuzzy index of the day's codes alone (:func:`_active`) answers. The quarter's index is
    asked for a few more, those not valid on the day are dropped, and more are asked for
    while fewer than ``limit`` remain and the index had more to give: the index ranks by
    score, ties by position in the sorted list, so dropping codes leaves the others in the
    order the day's own list gives them."""
    fuzzy = _fuzzy(store, store.quarters.index(day), system)
    want = limit + _EXTRA
    while True:
        got = fuzzy.extract(text, limit=want, cutoff=MIN_SIMILARITY)
        valid = [c for c in got if valid_on(store, c, day)]
        if len(valid) >= limit or len(got) < want:
            return valid[:limit]
        want *= 4


def _system_ok(code: str, system: str | None) -> bool:
    """Whether ``code`` is of ``system`` (``"cpt"``: starts with a digit; ``"hcpcs"``: a
    letter; None: either)."""
    return system is None or (system == "cpt") == code[0].isdigit()


def suggest(code: object, *, on: object = None, limit: int = 5, system: str | None = None,
            store: ProcedureStore | None = None) -> list[str]:
    """Codes valid on ``on`` that are close to a mistyped ``code``, best first. None for a
    code of the other system (99213 asked of HCPCS Level II, J1885 of CPT): it is no typo
    of a code of this one (``validate`` says which module takes it), and Level II codes
    that look like it (D9913 for 99213) would mislead."""
    limit = limit_arg(limit)
    if not isinstance(code, str):
        return []
    s = store or default_store()
    day = coerce_date(on)
    text = clean(code)
    m = FAST_LINE.fullmatch(text)
    if m is not None and m.group(2) and _system_ok(m.group(1), system) and \
            valid_on(s, m.group(1), day):
        # a code with modifiers attached (99213-25, 99213RT): its format error says to
        # pass the code alone, and that is the fix (not 99231, 99203... by likeness)
        return [m.group(1)]
    if len(text) > MAX_SUGGEST or other_system(text) is not None:
        return []  # no code is near such a text, or a diagnosis or ICD-10-PCS code
    plain = m.group(1) if m else _SEPARATORS.sub("", text)
    if system is not None and FAST_CODE.fullmatch(plain) and \
            not _system_ok(plain, system) and _known(s, plain):
        return []  # a code of the other system: validate names the module that takes it
    joined = text.replace("-", "")
    if joined != text and FAST_CODE.fullmatch(joined) and _system_ok(joined, system) and \
            valid_on(s, joined, day):
        return [joined]  # E-0601: the code, split by a hyphen (its format error says so)
    out: list[str] = []

    def add(c: str) -> None:
        if c not in out and FAST_CODE.fullmatch(c) and _system_ok(c, system) and \
                valid_on(s, c, day):
            out.append(c)

    add(plain)
    for cand in _variants(plain):
        if len(out) >= limit:
            break
        add(cand)
    if len(out) < limit and 1 <= len(plain) < 5:
        # sorted: the codes starting with ``plain`` abut (add() keeps those valid on the day)
        codes = _candidates(s, s.quarters.index(day), system)
        for c in itertools.islice(codes, bisect.bisect_left(codes, plain), None):
            if not c.startswith(plain):
                break
            add(c)
            if len(out) >= limit:
                break
    if len(out) < limit and plain:
        for cand in _nearest(s, day, system, plain, limit):
            add(cand)
    return out[:limit]


def search(text: str, *, on: object = None, limit: int = 10, system: str = "hcpcs",
           store: ProcedureStore | None = None) -> SearchResults:
    """Codes valid on ``on`` whose descriptors match ``text``, best first, each with its
    confidence (:class:`~codekit.codesystem.SearchHit`)."""
    text = query_arg(text)
    limit = limit_arg(limit)
    s = store or default_store()
    day = coerce_date(on)
    if system == "cpt" and not s.descriptors:
        raise DataError(
            "CPT descriptors are copyrighted by the AMA and codekit ships none: load your "
            "licensed descriptor file with codekit.cpt.load_descriptors(path) to search "
            "CPT text")
    from ._search import indexes_for

    def accept(code: str) -> bool:
        return (system == "cpt") == code[0].isdigit() and valid_on(s, code, day)

    best: dict[str, tuple[float, str]] = {}
    for index in indexes_for(s, system):
        for code, matched, score in index.search(text, accept=accept, limit=limit):
            if code not in best or score > best[code][0]:
                best[code] = (score, matched)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    release, note = search_coverage(s, day, system)
    return SearchResults([SearchHit(c, c, _title(s, c, day, system) or matched, matched,
                                    round(100 * score, 1), round(score, 3))
                          for c, (score, matched) in ranked], query=text, on=day,
                         release=release, note=note)


def search_dated(text: str, *, on: object = None, limit: int = 10, system: str = "hcpcs",
                 store: ProcedureStore | None = None) -> DatedSearchResults:
    """:func:`search`, and when no hit is a good match on the date (``good`` False), the
    codes of other dates that match well (:func:`other_dates`), as ICD-10-CM's search
    says them (HCPCS Level II: a code CMS added after the date, or ended before it)."""
    s = store or default_store()
    found = search(text, on=on, limit=limit, system=system, store=s)
    day = found.on
    assert day is not None  # (search always sets it)
    later, earlier = other_dates(s, found.query, day, limit_arg(limit), found.confidence,
                                 system) if not found.good else (None, None)
    return DatedSearchResults(found, query=found.query, on=day, release=found.release,
                              note=found.note, later=later, earlier=earlier)


def other_dates(store: ProcedureStore, text: str, day: dt.date, limit: int, best: float,
                system: str = "hcpcs") -> tuple[OtherDates | None, OtherDates | None]:
    """(later, earlier): the codes of ``system`` not valid on ``day`` whose descriptors
    match ``text`` well (confidence at least :data:`~codekit.codesystem.WEAK` and above
    ``best``, the date's best hit), split by whether they are valid after ``day`` (the
    first such day) or were before it (the last), each code's dates from its validity
    ranges (the bundled quarters, to the day where CMS approved or ended a code
    mid-quarter, and the files loaded). One more search of the same indexes; none for a
    date before the bundled quarters (codekit cannot tell what was valid then: the
    results' note says so)."""
    if day < store.quarters.first:
        return None, None

    def accept(code: str) -> bool:
        return (system == "cpt") == code[0].isdigit() and not valid_on(store, code, day)

    from ._search import indexes_for

    found: dict[str, tuple[float, str]] = {}
    for index in indexes_for(store, system):
        for code, matched, score in index.search(text, accept=accept, limit=limit):
            if score >= WEAK and score > best and (code not in found or
                                                   score > found[code][0]):
                found[code] = (score, matched)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]

    def hit(c: str, score: float, matched: str, on: dt.date) -> SearchHit:
        return SearchHit(c, c, _title(store, c, on, system) or matched, matched,
                         round(100 * score, 1), round(score, 3))

    return other_dates_of(((c, score, matched) for c, (score, matched) in ranked), day,
                          lambda c: ranges(store, c), hit,
                          lambda on: search_coverage(store, on, system)[0])


def search_coverage(store: ProcedureStore, day: dt.date,
                    system: str) -> tuple[str, str | None]:
    """(release, note) of a search of ``system`` (``"cpt"``, ``"hcpcs"``,
    ``"modifiers"`` or ``"procedure"``) on ``day``: the release that answers, named as
    entries name it (the IOCE quarter, or the loaded quarterly list or CMS HCPCS file of
    the date); and when the data does not describe ``day`` (as that system's
    ``covers(on=)`` says), what answered and what to do, worded as the entries' note.

    >>> from codekit._procedures._store import default_store
    >>> search_coverage(default_store(), dt.date(2025, 6, 1), "hcpcs")
    ('IOCE 26.1.4', None)
    """
    qs = store.quarters
    release = "IOCE " + qs.ids[qs.index(day)]
    if system != "modifiers" and store.quarter_files:
        qf = store.quarter_for(day)
        if qf is not None:
            release = qf.label
    if system in ("hcpcs", "modifiers") and store.releases:
        rel = store.release_for(day)
        if rel is not None:
            release = rel.label
    if system == "hcpcs":  # as hcpcs.covers(on=) and procedure.covers(on=) say it
        ok = covers(store, day, "A0000")
    elif system == "procedure":
        ok = covers(store, day, "0")
    else:  # as cpt.covers(on=) and modifiers.covers(on=) say it
        ok = covered(coverage(store, level_ii=system == "modifiers",
                              code_lists=system != "modifiers"), day)
    return release, None if ok else coverage_note(store, day, system)


def _title(store: ProcedureStore, code: str, day: dt.date, system: str) -> str | None:
    if system == "cpt":
        return store.cpt_title(code)
    t = store.codes
    row = t.row(code, store.quarters.index(day))
    short = t.description(row) if row is not None else None
    if store.releases:
        rel = store.release_for(day)
        rec = rel.codes.get(code) if rel is not None else None
        if rec is None:  # no file answers for the day: its text, if it is the day's
            rec = file_descriptor(store, code, short)
        if rec is not None and rec.long_description:
            return rec.long_description
    return short

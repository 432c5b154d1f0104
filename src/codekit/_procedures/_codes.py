"""validate / is_valid / lookup for CPT and HCPCS codes on a date of service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import _cache
from .._dates import coerce_date
from ..errors import InvalidFormat, NotValidOnDate, UnknownCode, ValidationError
from ._entries import CptEntry, HcpcsEntry, ProcedureEntry
from ._format import FAST_CODE, Category, ProcedureCode, clean, level_ii_section, parse
from ._sections import section_of, sex_of
from ._store import (
    ProcedureStore,
    default_store,
    described_until,
)

if TYPE_CHECKING:
    from ._quarter import QuarterFile
    from ._release import HcpcsRecord, HcpcsRelease

__all__ = ["covers", "explain_invalid", "is_valid", "lookup", "ranges", "successors",
           "valid_on", "validate"]

NOT_VALID = "PROC_NOT_VALID_ON_DOS"
UNKNOWN = "PROC_CODE_UNKNOWN"
_NAMES = {"cpt": "CPT", "hcpcs": "HCPCS Level II", None: "CPT or HCPCS"}

# Raw input → compact code ("" when malformed), for is_valid's hot path.
_KEYS: dict[str, str] = _cache.owned("procedure.keys", {})
_KEYS_MAX = 200_000


def _key(value: str) -> str:
    key = _KEYS.get(value)
    if key is None:
        try:
            text = clean(value)
        except InvalidFormat:
            return ""
        key = text if FAST_CODE.fullmatch(text) else ""
        if len(_KEYS) >= _KEYS_MAX:
            _KEYS.clear()
        _KEYS[value] = key
    return key


_PARSED: dict[str, ProcedureCode] = _cache.owned("procedure.parsed", {})


def _parse(value: object, system: str | None) -> ProcedureCode:
    """:func:`parse` with a cache of the codes already seen (validate's hot path)."""
    if type(value) is str:
        parsed = _PARSED.get(value)
        if parsed is not None and (system is None or parsed.system == system):
            return parsed
    parsed = parse(value, system)
    if type(value) is str:
        if len(_PARSED) >= _KEYS_MAX:
            _PARSED.clear()
        _PARSED[value] = parsed
    return parsed


def _parse_on(value: object, system: str | None, day: dt.date,
              store: ProcedureStore | None = None) -> ProcedureCode:
    """:func:`_parse`; a format error's fix is the did-you-mean of ``day``."""
    try:
        return _parse(value, system)
    except InvalidFormat as e:
        raise _with_fix(e, value, system, day, store) from None


def _with_fix(e: InvalidFormat, value: object, system: str | None, day: dt.date,
              store: ProcedureStore | None) -> InvalidFormat:
    """The format error ``e`` with its fix: the did-you-mean of ``day``, except for a code
    the other system knows (99213 given to hcpcs, J1885 to cpt), which is no typo of a
    code of this one: no fix (the message names the module to use)."""
    if system is not None and isinstance(value, str):
        try:
            text = clean(value)
        except InvalidFormat:
            text = ""
        if FAST_CODE.fullmatch(text) and not _system_ok(text, system) and \
                _known(store or default_store(), text):
            return InvalidFormat(value, e.reason, code=e.code, fix=()).suggest_from(system, day)
    return e.suggest_from(system or "procedure", day)


def _system_ok(code: str, system: str | None) -> bool:
    return system is None or (system == "cpt") == code[0].isdigit()


def valid_on(store: ProcedureStore, code: str, day: dt.date) -> bool:
    """True when the (compact, well-formed) ``code`` may be reported on ``day``."""
    return store.valid_on("codes", code, day)


def ranges(store: ProcedureStore, code: str) -> list[tuple[dt.date, dt.date | None]]:
    """Every date range in which ``code`` may be reported (end inclusive, None = open)."""
    return store.ranges("codes", code)


def is_valid(code: object, *, on: object = None, system: str | None = None,
             store: ProcedureStore | None = None) -> bool:
    """True when ``code`` may be reported on ``on`` (default today); False for anything
    that is not such a code. A malformed date raises :class:`~codekit.InvalidArgument`,
    broken data :class:`~codekit.DataError`."""
    if type(code) is not str:
        if not isinstance(code, str):
            return False
        code = str.__str__(code)  # numpy.str_ and other str subclasses: the text itself
    day = coerce_date(on)
    key = _key(code)
    if not key or not _system_ok(key, system):
        return False
    return valid_on(store or default_store(), key, day)


def coverage(store: ProcedureStore, level_ii: bool = True,
             code_lists: bool = True) -> tuple[dt.date, dt.date]:
    """The first and last date ``store``'s data describes: the bundled IOCE quarters, the
    loaded quarterly code lists (``code_lists``: for codes; they list no modifier) and
    (``level_ii``: for HCPCS Level II codes and modifiers) the loaded CMS HCPCS files."""
    qs = store.quarters
    last = qs.last_known
    for _, stop, f in (*(store.windows() if level_ii else ()),
                       *(store.quarter_windows() if code_lists else ())):
        # a file answers past its quarter (the nearest data) but describes its quarter only
        last = max(last, min(dt.date.fromordinal(min(stop, dt.date.max.toordinal())),
                             described_until(f)))
    return qs.first, last


def covers_code(compact: Callable[[object], str], code: object, on: object,
                store: ProcedureStore | None, none: str) -> bool:
    """The ``covers(code, on=)`` of procedure and hcpcs: ``code`` compacted by their own
    ``compact`` (a malformed one, or None, counts as ``none``: a code standing for no
    particular Level II code), then :func:`covers`."""
    try:
        key = compact(code) if code is not None else none
    except ValidationError:
        key = none
    return covers(store or default_store(), coerce_date(on), key)


def covers(store: ProcedureStore, day: dt.date, code: str, kind: str = "codes") -> bool:
    """Whether the data codekit has describes ``day`` for ``code``: the bundled quarters
    (2019-07-01 to the end of the last one), a loaded quarterly code list of that date, or
    a loaded CMS HCPCS file of that date that lists the Level II code
    (``kind="modifiers"``: the modifier); a loaded file describes its own quarter only."""
    qs = store.quarters
    if qs.first <= day <= qs.last_known:
        return True
    if kind == "codes" and store.quarter_files and store.quarter_covers(day):
        return True
    return store.release_covers(kind, code, day)


def _note(store: ProcedureStore, day: dt.date, code: str) -> str | None:
    if covers(store, day, code):
        return None
    return coverage_note(store, day, "cpt" if code[:1].isdigit() else "hcpcs")


def _with_mpfs_gap(store: ProcedureStore, day: dt.date, note: str | None) -> str | None:
    """``note``, and why the entry has no MPFS answer when MPFS files are loaded but none
    answers for ``day`` (else ``mpfs=None`` would read as "no row for this code")."""
    gap = store.mpfs_gap(day)
    if gap is None:
        return note
    gap = f"{gap[0].upper()}{gap[1:]}."
    return gap if note is None else f"{note} {gap}"


def coverage_note(store: ProcedureStore, day: dt.date, system: str) -> str:
    """What answered for a ``day`` the data of ``system`` (``"cpt"``, ``"hcpcs"``,
    ``"modifiers"``, ``"procedure"``) does not describe, and what to load: a CMS HCPCS
    file moves Level II codes and modifiers, a quarterly code list CPT codes (a HCPCS
    file holds none)."""
    qs = store.quarters
    what = "modifier" if system == "modifiers" else "procedure"
    if day < qs.first:
        return (f"codekit's {what} data starts with the IOCE quarter of {qs.first}; "
                f"{day} is answered as of that quarter.")
    if system == "cpt":
        fix = ("Load a newer CMS quarterly code list with codekit.procedure.load_quarter() "
               "for CPT codes.")
    else:
        fix = ("Load the CMS HCPCS file of a newer quarter with codekit.hcpcs.load_release() "
               f"for Level II {'modifiers' if system == 'modifiers' else 'codes'}.")
    # a loaded file past the bundled quarters answers for the day, past its own quarter
    loaded: HcpcsRelease | QuarterFile | None = \
        store.release_for(day) if system != "cpt" and store.releases else None
    if loaded is None and system != "modifiers" and store.quarter_files:
        loaded = store.quarter_for(day)
    if loaded is not None:
        return (f"{day} is after the last quarter codekit's data describes (the loaded file "
                f"{loaded.label}, {loaded.effective} to {described_until(loaded)}); answered "
                f"as of that file. {fix}")
    return (f"{day} is after the last quarter codekit's data describes ({qs.starts[-1]} to "
            f"{qs.last_known}); answered as of that quarter. {fix}")


def _bilateral(flags: tuple[str, ...]) -> str | None:
    for f in flags:
        if f.startswith("bilateral_"):
            return f[len("bilateral_"):]
    return None


def _addon(flags: tuple[str, ...]) -> int | None:
    for f in flags:
        if f.startswith("addon_type"):
            return int(f[-1])
    return None


def make_entry(store: ProcedureStore, parsed: ProcedureCode, day: dt.date) -> ProcedureEntry:
    code = parsed.code
    cache = store.entry_cache
    cached = cache.get((code, day))
    if cached is not None:
        return cached
    since = _cache.changes()  # kept only if no data change began meanwhile
    t = store.codes
    q = store.quarters.index(day)
    row = t.row(code, q)
    active = row is not None
    if row is None:
        row = t.nearest_row(code, q)
    valid = valid_on(store, code, day)
    rng = tuple(ranges(store, code))
    common: dict[str, object] = {
        "code": code, "system": parsed.system, "category": parsed.category, "on": day,
        "valid": valid, "valid_ranges": rng,
        "note": _with_mpfs_gap(store, day, _note(store, day, code)),
        "global_days": store.global_days(code, day),
        "mpfs": store.mpfs_row(code, day),
        "covered": covers(store, day, code), "date_limit": store.date_limit(code, day),
        "replacements": () if valid else successors(store, code, day, rng)[0],
    }
    short = None
    if row is not None:
        flags = t.flag_names(row)
        si = t.status(row)
        lo, hi = t.ages(row)
        common.update(
            status_indicator=si,
            status_description=t.meta.get("status_indicators", {}).get(si) if si else None,
            min_age=lo, max_age=hi, bilateral=_bilateral(flags), addon_type=_addon(flags),
            flags=tuple(f for f in flags if not f.startswith(("bilateral_", "addon_type"))),
            release="IOCE " + store.quarters.ids[q if active else t.nearest_quarter(row, q)])
        short = t.description(row)
    qf = store.quarter_for(day) if store.quarter_files else None
    if qf is not None:  # a loaded quarterly list answers for the day
        qrec = qf.codes.get(code)
        if qrec is not None:
            si = qrec.status_indicator
            common.update(status_indicator=si, status_description=t.meta.get(
                "status_indicators", {}).get(si) if si else None)
        common["release"] = qf.label
    entry: ProcedureEntry
    if parsed.category is Category.LEVEL_II:
        rel = store.release_for(day)
        rec = rel.codes.get(code) if rel is not None else None
        if rec is not None and rel is not None:
            common["release"] = rel.label  # the loaded CMS file answered
        else:  # the descriptions of the newest file that has them (the quarters answer)
            rec = file_descriptor(store, code, short)
        entry = HcpcsEntry(
            **common,  # type: ignore[arg-type]
            section=level_ii_section(code), sex=sex_of(code),
            short_description=short or (rec.short_description if rec else None) or None,
            long_description=rec.long_description if rec else None)
    else:
        sec, sub = section_of(code, parsed.category)
        entry = CptEntry(**common, section=sec, subsection=sub,  # type: ignore[arg-type]
                         sex=sex_of(code), descriptor=store.cpt_title(code))
    cache.put((code, day), entry, since)
    return entry


def _words(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def file_descriptor(store: ProcedureStore, code: str,
                    short: str | None) -> HcpcsRecord | None:
    """The record of the Level II ``code`` in the newest loaded CMS HCPCS file that lists
    it, for its descriptors on a date the file does not answer for; None when none lists
    it, or when ``short`` (the CMS short descriptor of the date's IOCE quarter) says
    something else than the file's: the descriptor changed in between (M0201, a COVID-19
    vaccine given at home in 2021, any of four vaccines from 2024), and the file's long
    text would describe the code as it was not on that date."""
    for r in reversed(store.releases):
        rec = r.codes.get(code)
        if rec is not None:
            if short and rec.short_description and \
                    _words(short) != _words(rec.short_description):
                return None
            return rec
    return None


def _fmt(r: list[tuple[dt.date, dt.date | None]]) -> str:
    return ", ".join(f"{a} to {b if b else 'now'}" for a, b in r)


def explain_invalid(store: ProcedureStore, value: object, parsed: ProcedureCode,
                    day: dt.date) -> Exception:
    """The error for a well-formed code that may not be reported on ``day``."""
    key = ("error", parsed.code, day)
    cached = store.entry_cache.get(key)
    if cached is None:
        since = _cache.changes()  # kept only if no data change began meanwhile
        cached = _explanation(store, parsed, day)
        store.entry_cache.put(key, cached, since)
    cls, message, fields = cached
    return cls(value, message, **fields)


def _explanation(store: ProcedureStore, parsed: ProcedureCode,
                 day: dt.date) -> tuple[type, str, dict[str, object]]:
    code = parsed.code
    rng = ranges(store, code)
    if rng:
        # (a Level II code's validity follows CMS's HCPCS file, not the I/OCE date edit)
        limit = None if store.by_hcpcs_file(code) else store.date_limit(code, day)
        why = limit.explain(day) if limit is not None else ""
        if why:
            what = f"the date is {why}"
        elif rng[0][0] > day:
            what = f"it takes effect on {rng[0][0]}"
        else:
            last = max((b for _, b in rng if b is not None and b < day), default=None)
            again = min((a for a, _ in rng if a > day), default=None)
            what = f"it was deleted after {last}" if last else f"it is not valid on {day}"
            if last and again:  # (J0570: deleted after 2024-12-31, back on 2025-10-01)
                what += f" and is valid again from {again}"
        fix, source = successors(store, code, day, rng)
        if fix:
            what += f": use {', '.join(fix)} (the cross-reference of {source})"
        return (NotValidOnDate, f"not valid on {day}: {what}. Valid: {_fmt(rng)}",
                {"code": NOT_VALID, "on": day, "valid_ranges": rng, "replacements": fix})
    listed = None if code[0].isdigit() else next(
        ((r.label, r.codes[code]) for r in reversed(store.releases) if code in r.codes), None)
    if listed is not None:
        # a code a loaded CMS file lists with dates none of codekit's dates reach (C9027:
        # 2015-01-01 to 2015-12-31): known, not valid, and the file says when it was
        label, rec = listed
        span = " ".join((*([f"from {rec.added}"] if rec.added else ()),
                         *([f"to {rec.terminated}"] if rec.terminated else ())))
        what = (f"CMS's HCPCS file {label} lists it {span or 'without dates'}, outside the "
                "dates codekit's quarters and the file's own quarter describe")
        fix, source = successors(store, code, day, rng)
        if fix:
            what += f": use {', '.join(fix)} (the cross-reference of {source})"
        return (NotValidOnDate, f"not valid on {day}: {what}",
                {"code": NOT_VALID, "on": day, "valid_ranges": (), "replacements": fix})
    qs = store.quarters
    dates = store.hcpcs_dates
    if code in dates.unlisted:
        return (UnknownCode, f"{code} is no HCPCS Level II code: CMS's HCPCS file "
                f"{dates.label} does not list it, though the I/OCE's tables carry it from "
                f"{_first_listed(store, code)} (as {_ioce_title(store, code)}, a code for "
                "payers' use, not reported on a claim)",
                {"code": UNKNOWN, "system": parsed.system, "on": day})
    files = [*(q.label for q in store.quarter_files),
             *(r.label for r in store.releases if not code[0].isdigit())]
    loaded = f" or in the loaded file(s) {', '.join(files)}" if files else ""
    beyond = "" if covers(store, day, code) else (
        f"; {day} is before the data, so a code deleted before {qs.first} is unknown to it"
        if day < qs.first else
        f"; {day} is outside the data, so a code created since is unknown to it: load a "
        "newer CMS HCPCS file (Level II) or IOCE quarter (see docs/procedures.md)")
    return (UnknownCode, f"{code} is in no {_NAMES[parsed.system]} quarter codekit knows "
            f"({qs.first} to {qs.last_known}){loaded}{beyond}",
            {"code": UNKNOWN, "system": parsed.system, "on": day})


def _first_listed(store: ProcedureStore, code: str) -> dt.date:
    """The first day of the first bundled IOCE quarter that lists ``code``."""
    mask = store.codes.masks.get(code, 0)
    q = (mask & -mask).bit_length() - 1
    return store.quarters.starts[max(q, 0)]


def _ioce_title(store: ProcedureStore, code: str) -> str:
    t = store.codes
    row = t.nearest_row(code, len(store.quarters) - 1)
    title = t.description(row) if row is not None else None
    return f"{title!r}" if title else "a code without a title"


def successors(store: ProcedureStore, code: str, day: dt.date,
               rng: list[tuple[dt.date, dt.date | None]] | tuple[
                   tuple[dt.date, dt.date | None], ...]) -> tuple[tuple[str, ...], str]:
    """The codes CMS names in place of the Level II ``code`` (whose valid ranges are
    ``rng``) that may be reported on ``day``, and where they come from, when the code
    ended before ``day``: every range ended before it, or, for a code no quarter has, the
    newest loaded CMS HCPCS file listing it ended it before. Nothing for a CPT code, a
    code valid on ``day`` or not valid yet."""
    if code[0].isdigit():
        return (), ""
    if rng:
        ended = all(b is not None and b < day for _, b in rng)
    else:
        rec = next((r.codes[code] for r in reversed(store.releases) if code in r.codes),
                   None)
        ended = rec is not None and rec.terminated is not None and rec.terminated < day
    return _cross_references(store, code, day) if ended else ((), "")


def _cross_references(store: ProcedureStore, code: str,
                      day: dt.date) -> tuple[tuple[str, ...], str]:
    """The codes CMS names in place of the discontinued Level II ``code`` that may be
    reported on ``day``, and the file naming them: the ``XREF`` columns of the newest CMS
    HCPCS file that lists the code with a cross-reference -- a loaded one, or the October
    2025 file whose cross-references are bundled (:mod:`._xref`; a loaded file of the
    same quarter or newer answers first) -- followed (three steps at most) past a named
    code itself discontinued by then (C9058 -> Q5120)."""
    if code[0].isdigit():
        return (), ""
    bundled = store.cross_references
    if not store.releases and not bundled.rows:
        return (), ""
    # the files newest first; the bundled table after the loaded files of its date or newer
    files: list[tuple[str, Callable[[str], tuple[str, ...]]]] = []
    placed = not bundled.rows
    for r in reversed(store.releases):
        if not placed and bundled.effective is not None and r.effective < bundled.effective:
            files.append((bundled.label, bundled.named))
            placed = True
        files.append((r.label, _release_xrefs(r)))
    if not placed:
        files.append((bundled.label, bundled.named))

    def named(c: str) -> tuple[tuple[str, ...], str]:
        for label, of in files:
            found = of(c)
            if found:
                return found, label
        return (), ""

    found, source = named(code)
    out: list[str] = []
    seen = {code}
    todo = [(c, 1) for c in found]
    while todo:
        c, depth = todo.pop(0)
        if c in seen:
            continue
        seen.add(c)
        if valid_on(store, c, day):
            out.append(c)
        elif depth < 3 and not c[0].isdigit():
            todo += [(n, depth + 1) for n in named(c)[0]]
    return tuple(out), f"CMS's HCPCS file {source}"


def _release_xrefs(release: HcpcsRelease) -> Callable[[str], tuple[str, ...]]:
    """The cross-references a loaded CMS HCPCS file gives a code (empty if none)."""
    codes = release.codes

    def of(code: str) -> tuple[str, ...]:
        rec = codes.get(code)
        return rec.cross_references if rec is not None else ()

    return of


def _known(store: ProcedureStore, code: str) -> bool:
    if code in store.codes.masks:
        return True
    if any(code in q.codes for q in store.quarter_files):
        return True
    return not code[0].isdigit() and any(code in r.codes for r in store.releases)


def validate(code: object, *, on: object = None, system: str | None = None,
             store: ProcedureStore | None = None) -> ProcedureEntry:
    """The entry of ``code`` when it may be reported on ``on``; otherwise raise
    :class:`~codekit.InvalidFormat`, :class:`~codekit.NotValidOnDate` or
    :class:`~codekit.UnknownCode`."""
    day = coerce_date(on)
    try:
        parsed = _parse(code, system)
    except InvalidFormat as e:  # its fix: the did-you-mean of the date
        raise _with_fix(e, code, system, day, store) from None
    s = store or default_store()
    if valid_on(s, parsed.code, day):
        return make_entry(s, parsed, day)
    raise explain_invalid(s, code, parsed, day)


def lookup(code: object, *, on: object = None, system: str | None = None,
           store: ProcedureStore | None = None) -> ProcedureEntry:
    """Everything codekit knows about ``code`` as of ``on``, valid then or not (``valid``
    says); :class:`~codekit.UnknownCode` when no quarter or loaded file has it."""
    day = coerce_date(on)
    parsed = _parse_on(code, system, day, store)
    s = store or default_store()
    if not _known(s, parsed.code):
        raise explain_invalid(s, code, parsed, day)
    return make_entry(s, parsed, day)

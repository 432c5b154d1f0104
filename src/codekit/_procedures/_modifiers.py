"""validate / is_valid / lookup for modifiers on a date of service."""

from __future__ import annotations

import datetime as dt

from .._dates import coerce_date
from ..errors import InvalidModifier, ModifierNotValidOnDate
from ._codes import coverage_note, covers
from ._entries import ModifierEntry
from ._format import FAST_MODIFIER, parse_modifier
from ._modmeta import ANATOMIC, LABELS, NCCI_ASSOCIATED, SUCCESSORS, is_cpt_modifier
from ._store import ProcedureStore, default_store

__all__ = ["ModifierNotValidOnDate", "is_valid", "lookup", "ranges", "successors", "valid_on",
           "validate"]

MOD_INVALID = "MOD_INVALID"


def valid_on(store: ProcedureStore, code: str, day: dt.date) -> bool:
    return store.valid_on("modifiers", code, day)


def ranges(store: ProcedureStore, code: str) -> list[tuple[dt.date, dt.date | None]]:
    return store.ranges("modifiers", code)


def successors(store: ProcedureStore, code: str, day: dt.date) -> tuple[str, ...]:
    """The modifiers to report in place of ``code`` on ``day`` (:data:`SUCCESSORS`), when
    every range of ``code`` ended before ``day``: those of them active on ``day``."""
    named = SUCCESSORS.get(code)
    if not named:
        return ()
    rng = ranges(store, code)
    if not rng or any(b is None or b >= day for _, b in rng):
        return ()
    return tuple(m for m in named if valid_on(store, m, day))


def _known(store: ProcedureStore, code: str) -> bool:
    return code in store.modifiers.masks or any(code in r.modifiers for r in store.releases)


def is_valid(modifier: object, *, on: object = None,
             store: ProcedureStore | None = None) -> bool:
    """True when ``modifier`` is active on ``on`` (default today); False for anything
    that is not such a modifier. A malformed date raises :class:`~codekit.InvalidArgument`,
    broken data :class:`~codekit.DataError`."""
    if type(modifier) is not str:
        if not isinstance(modifier, str):
            return False
        modifier = str.__str__(modifier)  # numpy.str_ and other str subclasses: the text itself
    day = coerce_date(on)
    try:
        code = modifier if FAST_MODIFIER.fullmatch(modifier) else parse_modifier(modifier)
    except InvalidModifier:
        return False
    return valid_on(store or default_store(), code, day)


def _entry(store: ProcedureStore, code: str, day: dt.date) -> ModifierEntry:
    t = store.modifiers
    q = store.quarters.index(day)
    row = t.row(code, q)
    if row is None:
        row = t.nearest_row(code, q)
    flags = t.flag_names(row) if row is not None else ()
    release = None if row is None else \
        "IOCE " + store.quarters.ids[t.nearest_quarter(row, q)]
    description = None
    answering = store.release_for(day) if not is_cpt_modifier(code) else None
    for r in reversed(store.releases):
        rec = r.modifiers.get(code)
        if rec is not None:
            description = rec.long_description
            if r is answering or row is None:
                release = r.label
            break
    anatomy = ANATOMIC.get(code)
    valid = valid_on(store, code, day)
    note, covered = None, covers(store, day, code, "modifiers")
    if covered:
        pass
    elif day < store.quarters.first:
        note = (f"codekit's modifier data starts with the IOCE quarter of "
                f"{store.quarters.first}; {day} is answered as of that quarter.")
    else:  # after the last quarter (and no loaded file covers it), as a code's note says
        note = coverage_note(store, day, "modifiers")
    return ModifierEntry(
        code=code, level="cpt" if is_cpt_modifier(code) else "hcpcs", on=day,
        valid=valid, valid_ranges=tuple(ranges(store, code)),
        label=LABELS.get(code), description=description,
        side=anatomy.side if anatomy else None, region=anatomy.region if anatomy else None,
        ncci_associated="ncci" in flags if row is not None else code in NCCI_ASSOCIATED,
        flags=tuple(f for f in flags if f != "ncci"), release=release, note=note,
        covered=covered, replacements=() if valid else successors(store, code, day))


def _parse(modifier: object, day: dt.date) -> str:
    try:
        return parse_modifier(modifier)
    except InvalidModifier as e:
        raise e.suggest_from("modifiers", day) from None


def _fmt(r: list[tuple[dt.date, dt.date | None]]) -> str:
    return ", ".join(f"{a} to {b if b else 'now'}" for a, b in r)


def explain_invalid(store: ProcedureStore, value: object, code: str,
                    day: dt.date) -> InvalidModifier:
    """Why ``code`` is not a modifier active on ``day``; on a date the data does not
    describe, the error says so (a modifier created since is unknown to the data)."""
    err = _explain(store, value, code, day)
    if not covers(store, day, code, "modifiers"):
        fields = err._fields
        err = type(err)(**{**fields, "message": f"{fields['message']}; "
                           f"{coverage_note(store, day, 'modifiers')}"})
        err.suggest_from("modifiers", day)
    return err


def _explain(store: ProcedureStore, value: object, code: str,
             day: dt.date) -> InvalidModifier:
    rng = ranges(store, code)
    if rng:
        if rng[0][0] > day:
            what = f"it takes effect on {rng[0][0]}"
        else:
            last = max((b for _, b in rng if b is not None and b < day), default=None)
            what = f"it was discontinued after {last}" if last else f"not active on {day}"
        named = successors(store, code, day)
        if named:
            what += f": report {' or '.join(named)} in its place"
        return ModifierNotValidOnDate(value, f"not valid on {day}: {what}. Valid: {_fmt(rng)}",
                                      code=MOD_INVALID, on=day, valid_ranges=rng,
                                      replacements=named)
    return InvalidModifier(value, f"{code} is not a CPT or HCPCS modifier codekit knows "
                           "(IOCE modifier list and any loaded CMS HCPCS file)",
                           code=MOD_INVALID).suggest_from("modifiers", day)


def validate(modifier: object, *, on: object = None,
             store: ProcedureStore | None = None) -> ModifierEntry:
    """The entry of ``modifier`` when it is active on ``on``; otherwise raise
    :class:`~codekit.InvalidModifier` (:class:`ModifierNotValidOnDate` for a known
    modifier outside its dates)."""
    day = coerce_date(on)
    code = _parse(modifier, day)
    s = store or default_store()
    if valid_on(s, code, day):
        return _entry(s, code, day)
    raise explain_invalid(s, modifier, code, day)


def lookup(modifier: object, *, on: object = None,
           store: ProcedureStore | None = None) -> ModifierEntry:
    """Everything codekit knows about ``modifier`` as of ``on``, active then or not."""
    day = coerce_date(on)
    code = _parse(modifier, day)
    s = store or default_store()
    if not _known(s, code):
        raise explain_invalid(s, modifier, code, day)
    return _entry(s, code, day)

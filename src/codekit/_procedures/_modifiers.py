"""validate / is_valid / lookup for modifiers on a date of service."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any, overload

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


class _Required:
    """The default of a modifier verb's ``code``: none was given. It has one so that a
    call naming the modifier with the old keyword ``modifier=`` still works."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<required>"


#: A modifier verb's ``code`` (and old ``modifier=``) when the call gave none.
REQUIRED: Any = _Required()


def renamed(code: object, modifier: object, verb: str) -> object:
    """The modifier a call of ``verb`` names: ``code``, or (deprecated, with a
    :class:`DeprecationWarning`) the old keyword ``modifier=``; a :class:`TypeError` when
    the call gives both or neither, as Python says of a missing or repeated argument."""
    if modifier is REQUIRED:
        if code is REQUIRED:
            raise TypeError(f"{verb}() missing 1 required argument: 'code'")
        return code
    if code is not REQUIRED:
        raise TypeError(f"{verb}() got the modifier twice: as 'code' and as the old keyword "
                        "'modifier'")
    warnings.warn(f"codekit.modifiers.{verb}(modifier=...) is deprecated: the first "
                  f"argument is 'code', as in every code system ({verb}(code=...))",
                  DeprecationWarning, stacklevel=3)
    return modifier


# ``code`` is required: the sentinel default only lets the deprecated ``modifier=`` stand
# in for it, which type checkers see as its own signature
@overload
def is_valid(code: object, *, on: object = None,
             store: ProcedureStore | None = None) -> bool: ...
@overload
def is_valid(*, on: object = None, store: ProcedureStore | None = None,
             modifier: object) -> bool: ...


def is_valid(code: object = REQUIRED, *, on: object = None,
             store: ProcedureStore | None = None, modifier: object = REQUIRED) -> bool:
    """True when the modifier ``code`` is active on ``on`` (default today); False for
    anything that is not such a modifier. A malformed date raises
    :class:`~codekit.InvalidArgument`, broken data :class:`~codekit.DataError`.
    ``modifier=`` is the deprecated name of ``code`` (a :class:`DeprecationWarning`)."""
    if modifier is not REQUIRED or code is REQUIRED:
        code = renamed(code, modifier, "is_valid")
    if type(code) is not str:
        if not isinstance(code, str):
            return False
        code = str.__str__(code)  # numpy.str_ and other str subclasses: the text itself
    day = coerce_date(on)
    try:
        key = code if FAST_MODIFIER.fullmatch(code) else parse_modifier(code)
    except InvalidModifier:
        return False
    return valid_on(store or default_store(), key, day)


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
                           "(the IOCE modifier list with CPT's 1P-3P, and any loaded CMS HCPCS "
                           "file)",
                           code=MOD_INVALID).suggest_from("modifiers", day)


# ``code`` is required, as for is_valid
@overload
def validate(code: object, *, on: object = None,
             store: ProcedureStore | None = None) -> ModifierEntry: ...
@overload
def validate(*, on: object = None, store: ProcedureStore | None = None,
             modifier: object) -> ModifierEntry: ...


def validate(code: object = REQUIRED, *, on: object = None,
             store: ProcedureStore | None = None,
             modifier: object = REQUIRED) -> ModifierEntry:
    """The entry of the modifier ``code`` when it is active on ``on``; otherwise raise
    :class:`~codekit.InvalidModifier` (:class:`ModifierNotValidOnDate` for a known
    modifier outside its dates). ``modifier=`` is the deprecated name of ``code`` (a
    :class:`DeprecationWarning`)."""
    if modifier is not REQUIRED or code is REQUIRED:
        code = renamed(code, modifier, "validate")
    day = coerce_date(on)
    key = _parse(code, day)
    s = store or default_store()
    if valid_on(s, key, day):
        return _entry(s, key, day)
    raise explain_invalid(s, code, key, day)


# ``code`` is required, as for is_valid
@overload
def lookup(code: object, *, on: object = None,
           store: ProcedureStore | None = None) -> ModifierEntry: ...
@overload
def lookup(*, on: object = None, store: ProcedureStore | None = None,
           modifier: object) -> ModifierEntry: ...


def lookup(code: object = REQUIRED, *, on: object = None,
           store: ProcedureStore | None = None,
           modifier: object = REQUIRED) -> ModifierEntry:
    """Everything codekit knows about the modifier ``code`` as of ``on``, active then or
    not. ``modifier=`` is the deprecated name of ``code`` (a :class:`DeprecationWarning`)."""
    if modifier is not REQUIRED or code is REQUIRED:
        code = renamed(code, modifier, "lookup")
    day = coerce_date(on)
    key = _parse(code, day)
    s = store or default_store()
    if not _known(s, key):
        raise explain_invalid(s, code, key, day)
    return _entry(s, key, day)

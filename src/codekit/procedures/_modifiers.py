"""validate / is_valid / lookup for modifiers on a date of service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .._dates import coerce_date
from ..errors import InvalidModifier
from ._entries import ModifierEntry
from ._format import FAST_MODIFIER, parse_modifier
from ._modmeta import ANATOMIC, LABELS, NCCI_ASSOCIATED, is_cpt_modifier
from ._store import ProcedureStore, default_store

__all__ = ["ModifierNotValidOnDate", "is_valid", "lookup", "ranges", "valid_on", "validate"]

MOD_INVALID = "MOD_INVALID"


class ModifierNotValidOnDate(InvalidModifier):
    """A known modifier that is not active on the date of service (e.g. JG after 2024).

    ``valid_ranges`` holds the ``(start, end)`` date ranges (``end`` inclusive, None =
    open) in which it is active.

    >>> import pickle
    >>> e = ModifierNotValidOnDate("JG", "deleted", on=dt.date(2025, 1, 1),
    ...                            valid_ranges=[(dt.date(2019, 7, 1), dt.date(2024, 12, 31))])
    >>> e2 = pickle.loads(pickle.dumps(e))
    >>> e2.code, e2.on, e2.valid_ranges[0][1]
    ('MOD_INVALID', datetime.date(2025, 1, 1), datetime.date(2024, 12, 31))
    """

    def __init__(self, value: object, message: str = "", *, code: str | None = None,
                 on: dt.date | None = None,
                 valid_ranges: Sequence[tuple[dt.date, dt.date | None]] = ()) -> None:
        super().__init__(value, message, code=code, on=on, valid_ranges=tuple(valid_ranges))
        self.on = on
        self.valid_ranges = tuple(valid_ranges)


def valid_on(store: ProcedureStore, code: str, day: dt.date) -> bool:
    return store.valid_on("modifiers", code, day)


def ranges(store: ProcedureStore, code: str) -> list[tuple[dt.date, dt.date | None]]:
    return store.ranges("modifiers", code)


def _known(store: ProcedureStore, code: str) -> bool:
    return code in store.modifiers.masks or any(code in r.modifiers for r in store.releases)


def is_valid(modifier: object, *, on: object = None,
             store: ProcedureStore | None = None) -> bool:
    """True when ``modifier`` is active on ``on`` (default today). Never raises."""
    if type(modifier) is not str:
        return False
    try:
        code = modifier if FAST_MODIFIER.fullmatch(modifier) else parse_modifier(modifier)
        return valid_on(store or default_store(), code, coerce_date(on))
    except Exception:
        return False


def _entry(store: ProcedureStore, code: str, day: dt.date) -> ModifierEntry:
    t = store.modifiers
    q = store.quarters.index(day)
    row = t.row(code, q)
    if row is None:
        row = t.nearest_row(code, q)
    flags = t.flag_names(row) if row is not None else ()
    description = None
    for r in reversed(store.releases):
        rec = r.modifiers.get(code)
        if rec is not None:
            description = rec.long_description
            break
    anatomy = ANATOMIC.get(code)
    note = None
    if day < store.quarters.first:
        note = (f"codekit's modifier data starts with the IOCE quarter of "
                f"{store.quarters.first}; {day} is answered as of that quarter.")
    return ModifierEntry(
        code=code, level="cpt" if is_cpt_modifier(code) else "hcpcs", on=day,
        valid=valid_on(store, code, day), valid_ranges=tuple(ranges(store, code)),
        label=LABELS.get(code), description=description,
        side=anatomy.side if anatomy else None, region=anatomy.region if anatomy else None,
        ncci_associated="ncci" in flags if row is not None else code in NCCI_ASSOCIATED,
        flags=tuple(f for f in flags if f != "ncci"), note=note)


def _fmt(r: list[tuple[dt.date, dt.date | None]]) -> str:
    return ", ".join(f"{a} to {b if b else 'now'}" for a, b in r)


def explain_invalid(store: ProcedureStore, value: object, code: str,
                    day: dt.date) -> InvalidModifier:
    rng = ranges(store, code)
    if rng:
        if rng[0][0] > day:
            what = f"it takes effect on {rng[0][0]}"
        else:
            last = max((b for _, b in rng if b is not None and b < day), default=None)
            what = f"it was discontinued after {last}" if last else f"not active on {day}"
        return ModifierNotValidOnDate(value, f"not valid on {day}: {what}. Valid: {_fmt(rng)}",
                                      code=MOD_INVALID, on=day, valid_ranges=rng)
    return InvalidModifier(value, f"{code} is not a CPT or HCPCS modifier codekit knows "
                           "(IOCE modifier list and any loaded CMS HCPCS file)",
                           code=MOD_INVALID)


def validate(modifier: object, *, on: object = None,
             store: ProcedureStore | None = None) -> ModifierEntry:
    """The entry of ``modifier`` when it is active on ``on``; otherwise raise
    :class:`~codekit.InvalidModifier` (:class:`ModifierNotValidOnDate` for a known
    modifier outside its dates)."""
    code = parse_modifier(modifier)
    s = store or default_store()
    day = coerce_date(on)
    if valid_on(s, code, day):
        return _entry(s, code, day)
    raise explain_invalid(s, modifier, code, day)


def lookup(modifier: object, *, on: object = None,
           store: ProcedureStore | None = None) -> ModifierEntry:
    """Everything codekit knows about ``modifier`` as of ``on``, active then or not."""
    code = parse_modifier(modifier)
    s = store or default_store()
    day = coerce_date(on)
    if not _known(s, code):
        raise explain_invalid(s, modifier, code, day)
    return _entry(s, code, day)

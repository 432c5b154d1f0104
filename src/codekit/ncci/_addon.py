"""NCCI add-on code (AOC) edits: which primary codes an add-on code needs, by date.

Types (CMS NCCI add-on code edits): **1** the CPT/HCPCS files list every acceptable primary
code; **2** they list none (the contractor decides); **3** they list some, and contractors
may accept others.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .. import _artifact
from .._dates import OPEN, coerce_date, covered
from .._files import FileLimits, Problems, RowProblem, norm_header, parse_date, rows_after_header
from ..errors import DataError, InvalidArgument
from ..procedure import CODE_PATTERN as FAST_CODE
from ..procedure import compact
from ._names import check_path_arg, coverage_of
from ._ptp import BUNDLED, bundled_coverage

__all__ = ["AddonEdit", "AddonTable", "load_addon"]

#: The CMS placeholder for "contractor-defined primary codes".
CONTRACTOR = "CCCCC"

Row = tuple[str, int, int, int]  # primary ("" = none listed), type, effective, end


@attrs.frozen
class AddonEdit:
    """An add-on code on a date: its type and the primary codes listed for it.

    >>> from codekit import ncci
    >>> e = ncci.addons().get("17003", on="2025-06-01")
    >>> e.type, sorted(e.primaries), e.accepts("17000"), e.accepts("99213")
    (1, ['17000'], True, False)
    """

    code: str
    type: int
    primaries: frozenset[str] = frozenset()

    def accepts(self, primary: str) -> bool | None:
        """Whether ``primary`` satisfies the add-on code: True when listed; False when not
        listed and the type is 1; None when the contractor decides (types 2 and 3).
        ``primary`` is read as written (``" 64483"``, ``"0001u"``); a malformed code is an
        :class:`~codekit.InvalidFormat`."""
        if primary in self.primaries or (
                not (type(primary) is str and FAST_CODE.fullmatch(primary))
                and compact(primary) in self.primaries):
            return True
        return False if self.type == 1 else None


def _open_ckt(path: str, content: str | None = None) -> AddonTable:
    if path.startswith(BUNDLED):
        from .._paths import bundled_data_dir

        return AddonTable.open(bundled_data_dir() / path[len(BUNDLED):],
                               bundled_name=path[len(BUNDLED):])
    table = AddonTable.open(path)  # (a user's file: the content opened before, or an error)
    _artifact.check_content(path, table._content or "", content)
    return table


def _from_rows(rows: dict[str, tuple[Row, ...]], meta: dict[str, Any],
               problems: tuple[RowProblem, ...]) -> AddonTable:
    return AddonTable(rows, meta, problems=problems)


class AddonTable:
    """Add-on code edits with date-aware queries. Immutable; pickles cheaply."""

    __slots__ = ("_content", "_origin", "_rows", "meta", "problems")

    def __init__(self, rows: dict[str, tuple[Row, ...]], meta: dict[str, Any], *,
                 origin: str | None = None, problems: Sequence[RowProblem] = (),
                 content: str | None = None) -> None:
        self._rows = rows
        self._origin = origin
        #: the content id of the .ckt file it was opened from (_artifact.Table.content_id)
        self._content = content
        self.meta = meta
        self.problems: tuple[RowProblem, ...] = tuple(problems)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, bundled_name: str | None = None
             ) -> AddonTable:
        """The table of a ``.ckt`` file written by :meth:`save` (or :func:`load_addon`
        of a ``.ckt``); :class:`~codekit.DataError` for a file that is not an add-on
        table or is damaged. ``bundled_name`` is for codekit's own bundled tables."""
        t = _artifact.Table(path)
        if t.meta.get("kind") != "ncci-addon":
            raise DataError(f"{path}: not an add-on code table (kind {t.meta.get('kind')!r})")
        rows: dict[str, list[Row]] = {}
        try:
            for line in _artifact.StringColumn(t.section("rows")):
                addon, primary, typ, eff, end = line.split("\t")
                rows.setdefault(addon, []).append((primary, int(typ), int(eff), int(end)))
        except ValueError as e:
            raise DataError(f"{path}: corrupt add-on table: {e}") from e
        meta = t.meta
        if bundled_name and coverage_of(meta) is None:
            # a bundled table built from the IOCE quarters of the bundled PTP table, whose
            # header does not name them
            meta = {**meta, "coverage": [d.isoformat() for d in bundled_coverage()]}
        return cls({k: tuple(v) for k, v in rows.items()}, meta,
                   origin=BUNDLED + bundled_name if bundled_name else os.path.abspath(path),
                   content=t.content_id())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the table to a ``.ckt`` file (read back with :func:`load_addon`)."""
        _artifact.write(path, self.meta, pack_addon(self._rows))

    def __reduce__(self) -> tuple[Any, ...]:
        if self._origin is not None:  # opened again by its absolute path: the same
            return (_open_ckt, (self._origin, self._content))  # content, or an error
        return (_from_rows, (self._rows, self.meta, self.problems))

    def __repr__(self) -> str:
        return f"<AddonTable {len(self._rows)} add-on codes from {self.meta.get('source')}>"

    def __len__(self) -> int:
        return sum(len(v) for v in self._rows.values())

    def __contains__(self, code: object) -> bool:
        """Whether ``code`` (compact) is an add-on code on any date."""
        return code in self._rows

    def any_of(self, codes: Iterable[object]) -> bool:
        """Whether any of ``codes`` (compact) is an add-on code on any date: one question
        for a claim's codes (most claims have none)."""
        return not self._rows.keys().isdisjoint(codes)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every add-on code in the table (any date)."""
        return tuple(sorted(self._rows))

    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """The first and the last day the table describes: the IOCE quarters of a bundled
        table; for a loaded one, the quarter its file name names (``AOC_V2026Q2``), from
        its first day to its last. None when the name names no quarter: its rows carry
        their own dates, but add-on codes CMS listed after the file was made are not in
        it, so it describes no date for certain (a :class:`~codekit.ncci.TableLibrary`
        answers from it with a note, the notice ``NCCI_TABLE_PAST_QUARTER`` on a claim).

        >>> from codekit import ncci
        >>> ncci.addons().coverage()
        (datetime.date(2019, 7, 1), datetime.date(2026, 6, 30))
        """
        return coverage_of(self.meta)

    def covers(self, on: object = None) -> bool:
        """Whether the table describes the date ``on`` (default today): within
        :meth:`coverage`; never for a table whose file names no quarter. :meth:`get`
        answers any date from the rows' own dates, without a note: ask this first.

        >>> from codekit import ncci
        >>> ncci.addons().covers(on="2026-06-30"), ncci.addons().covers(on="2026-07-01")
        (True, False)
        """
        return covered(self.coverage(), on)

    def _key(self, code: object) -> str:
        if isinstance(code, str) and code in self._rows:
            return code
        return compact(code)

    def get(self, code: str, *, on: object = None) -> AddonEdit | None:
        """The add-on edit for ``code`` on ``on`` (default today), or None when ``code`` is
        not an add-on code then. Any date is answered from the rows' own dates:
        :meth:`covers` says whether the table describes it."""
        rows = self._rows.get(self._key(code))
        if not rows:
            return None
        day = coerce_date(on).toordinal()
        live = [r for r in rows if r[2] <= day <= r[3]]
        if not live:
            return None
        typ = min(r[1] for r in live)
        return AddonEdit(self._key(code), typ,
                         frozenset(r[0] for r in live if r[0] and r[1] == typ))

    def is_addon(self, code: str, *, on: object = None) -> bool:
        """True when ``code`` is an add-on code on ``on``."""
        return self.get(code, on=on) is not None

    def primaries(self, code: str, *, on: object = None) -> frozenset[str]:
        """The primary codes listed for add-on ``code`` on ``on`` (empty for type 2)."""
        e = self.get(code, on=on)
        return e.primaries if e is not None else frozenset()

    def has_primary(self, code: str, codes: Iterable[str], *, on: object = None) -> bool | None:
        """Whether one of ``codes`` (the claim's procedures for the date) is an acceptable
        primary for add-on ``code``: True, False (type 1 and none listed is present), or
        None (not an add-on code, or the contractor decides)."""
        if isinstance(codes, str):  # one code, not its characters
            raise InvalidArgument(f"codes={codes!r}: expected the claim's codes as a list "
                                  f"(e.g. [{codes!r}]), not one string")
        e = self.get(code, on=on)
        if e is None:
            return None
        answers = {e.accepts(c) for c in codes}
        if True in answers:
            return True
        return False if e.type == 1 else None

    def ranges(self, code: str) -> list[tuple[dt.date | None, dt.date | None, int, str]]:
        """Every row for ``code``: (effective, last day, type, primary)."""
        return [(None if eff == 0 else dt.date.fromordinal(eff),
                 None if end == OPEN else dt.date.fromordinal(end), typ, primary)
                for primary, typ, eff, end in self._rows.get(self._key(code), ())]


def pack_addon(rows: Mapping[str, Sequence[Row]]) -> dict[str, bytes]:
    lines = sorted(f"{addon}\t{p}\t{t}\t{e}\t{d}" for addon, rs in rows.items()
                   for p, t, e, d in rs)
    return {"rows": _artifact.pack_strings(lines)}


# --------------------------------------------------------------------------------------
# CMS add-on code files and CSVs


def _columns(cells: list[str]) -> dict[str, Any] | None:
    norm = [norm_header(c) for c in cells]
    cols: dict[str, Any] = {"deletion": []}
    for i, n in enumerate(norm):
        if not n:
            continue
        if "del" in n:
            cols["deletion"].append(i)
        elif "eff" in n:
            cols.setdefault("effective", i)
        elif n.startswith(("addon", "aoc")) and "type" not in n:
            cols.setdefault("addon", i)
        elif n.startswith("primary"):
            cols.setdefault("primary", i)
        elif "type" in n:
            cols.setdefault("type", i)
    return cols if "addon" in cols and "type" in cols else None


def load_addon(path: str | os.PathLike[str], *, errors: str = "raise",
               limits: FileLimits | None = None) -> AddonTable:
    """Read NCCI add-on code edits from the CMS quarterly file (xlsx, or text/CSV saved
    from it) or a plain CSV with columns ``add_on_code,primary_code,aoc_edit_type``
    (optional ``effective_date``, ``deletion_date``). Julian dates (``2024001``), CMS
    ``*`` and blank deletion dates are understood; primary ``CCCCC`` (contractor-defined)
    counts as no listed primary (types 2 and 3 only: a type 1 row must list its primary).
    A row effective after its deletion date, or listed again with another type, is
    malformed. A ``.ckt`` written by :meth:`AddonTable.save` loads too.
    ``limits`` bounds what the file may cost (:class:`~codekit.FileLimits`).
    """
    p = Path(check_path_arg(path))
    if p.suffix == ".ckt":
        return AddonTable.open(p)
    probs = Problems(p, errors, limits)
    rows: dict[str, set[Row]] = {}
    # (add-on, primary, effective, end) -> (type, line): a row listed again with another
    # type contradicts the first
    types: dict[tuple[str, str, int, int], tuple[int, int]] = {}
    fast = FAST_CODE.fullmatch
    for line, cells, cols in rows_after_header(
            p, _columns, probs, "no add-on code header found (expected columns such as "
            "add_on_code, primary_code, aoc_edit_type)"):
        try:
            addon = cells[cols["addon"]].strip().upper()
            primary = cells[cols["primary"]].strip().upper() if "primary" in cols else ""
            typ_text = cells[cols["type"]].strip()
            dates = [cells[i] for i in cols["deletion"] if i < len(cells)]
            eff_text = cells[cols["effective"]] if "effective" in cols else ""
        except IndexError:
            probs.add(line, f"expected at least {len(cells) + 1} columns", cells)
            continue
        if fast(addon) is None:
            probs.add(line, f"not a CPT or HCPCS add-on code: {addon!r}", cells)
            continue
        contractor = primary == CONTRACTOR
        if contractor:
            primary = ""
        if primary and fast(primary) is None:
            probs.add(line, f"not a CPT or HCPCS primary code: {primary!r}", cells)
            continue
        if typ_text.endswith(".0"):
            typ_text = typ_text[:-2]
        if typ_text not in ("1", "2", "3"):
            probs.add(line, f"add-on edit type must be 1, 2 or 3, not {typ_text!r}", cells)
            continue
        typ = int(typ_text)
        if typ == 1 and not primary:
            probs.add(line, f"a type 1 add-on code lists its primary codes, but this row of "
                      f"{addon} has {'CCCCC (contractor-defined)' if contractor else 'none'}",
                      cells)
            continue
        try:
            e = parse_date(eff_text) if eff_text.strip() else None
            ends = [d for d in (parse_date(t) for t in dates) if d is not None]
        except ValueError as ex:
            probs.add(line, str(ex), cells)
            continue
        end = min(ends) if ends else None
        if e is not None and end is not None and e > end:
            probs.add(line, f"effective date {e} is after the deletion date {end}", cells)
            continue
        key = (addon, primary, e.toordinal() if e else 0, end.toordinal() if end else OPEN)
        old = types.get(key)
        if old is not None and old[0] != typ:
            probs.add(line, f"{addon} with primary {primary or 'none'} appears again with a "
                      f"different add-on edit type ({old[0]} on line {old[1]})", cells)
            continue
        if old is None:
            types[key] = (typ, line)
        rows.setdefault(addon, set()).add((primary, typ, *key[2:]))
    if not rows and not probs.items:
        raise probs.fail("no add-on code rows after the header")
    meta = {"kind": "ncci-addon", "source": p.name,
            "files": [probs.source.record()] if probs.source is not None else []}
    return AddonTable({k: tuple(sorted(v)) for k, v in rows.items()}, meta,
                      problems=probs.items)

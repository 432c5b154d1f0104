"""What :func:`codekit.icd10pcs.lookup` and :func:`~codekit.icd10pcs.validate` return:
an :class:`Entry` with the code's seven :class:`Axis` values explained in its section."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ._store import Store, Tables

__all__ = ["Axis", "Entry", "MceFlags"]


@attrs.frozen
class Axis:
    """One character of a PCS code and what it means in its section and table.

    ``name`` is the axis title the CMS tables give it there (``"Body Part"``,
    ``"Approach"``; in the imaging section ``"Type"``, ``"Contrast"``...); ``label`` the
    value's meaning (``"Appendix"``); ``definition``, ``explanation`` and ``includes``
    come from the CMS definitions file where it has them.
    """

    position: int
    name: str
    value: str
    label: str | None
    definition: str | None = None
    explanation: str | None = None
    includes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.position} {self.name}: {self.value} = {self.label or '?'}"


@attrs.frozen
class MceFlags:
    """The Medicare Code Editor's flags of a procedure on a date: ``sex`` ("M"/"F" for a
    procedure limited to one sex; none after 2024-09-30), ``noncovered`` (never covered),
    ``limited_coverage``, and ``other`` (the flags that make it non-covered or limited
    only with certain diagnoses, procedures or ages: ``ncov6``, ``ncov7``, ``ncov45``,
    ``ncov_z302``, ``ncov12agele60``, ``kidneyxp``, ``lcov_artheartxpa``/``b``, ``csect``,
    ``vagdel``, ``los``)."""

    flags: tuple[str, ...]

    @property
    def sex(self) -> str | None:
        """``"M"`` or ``"F"`` for a procedure the MCE limits to one sex on the date, else
        None (always None after 2024-09-30, when CMS retired the sex edit)."""
        return "M" if "male" in self.flags else "F" if "female" in self.flags else None

    @property
    def noncovered(self) -> bool:
        """Whether the MCE lists the procedure as never covered by Medicare (MCE
        non-covered procedure edit)."""
        return "noncovered" in self.flags

    @property
    def limited_coverage(self) -> bool:
        """Whether the MCE lists the procedure as of limited coverage (covered only in
        the circumstances CMS names: MCE limited coverage edit)."""
        return "lcov" in self.flags

    @property
    def other(self) -> tuple[str, ...]:
        """The flags that are none of :attr:`sex`, :attr:`noncovered` and
        :attr:`limited_coverage` (``ncov6``, ``csect``...: see the class), in the
        table's order."""
        return tuple(f for f in self.flags
                     if f not in ("male", "female", "noncovered", "lcov"))


def _definition(defs: dict[str, Any], section: str, pos: int, label: str | None,
                system: str | None) -> dict[str, Any]:
    if not label:
        return {}
    terms = defs.get(section, {}).get(str(pos), {})
    return terms.get(label) or (terms.get(f"{label} in {system}") if system else None) or {}


def axes_of(code: str, tables: Tables) -> tuple[Axis, ...]:
    """The seven axes of the well-formed ``code`` explained from ``tables`` (labels missing
    where the tables have no such value: a code of a table or row that no longer exists).
    The public verb is :func:`codekit.icd10pcs.explain` (a code as written, ``on=``).

    The axes are made once per table and value (:attr:`Tables.axes_memo`): the codes of a
    table share them (an :class:`Axis` is immutable), so a code seen first costs the
    choice of its row, not seven new axes and their definitions."""
    memo = tables.axes_memo
    head = memo.get(code[:3])
    if head is None:
        head = _head(code, tables)
        if len(memo) < _MAX_MEMO:
            memo[code[:3]] = head
    t, first, by_part = head
    if t is None:
        # No such table in these tables: the section (and body system) may still be known.
        return first + tuple(Axis(p, "", code[p - 1], None) for p in range(len(first) + 1, 8))
    rows = t["rows"]
    # the row that matches most of the code's last four characters, the first of them on a
    # tie: one whose 4th character is the code's, when one is (the others match none)
    best, score = (-1 if not rows else 0), 0
    for i in by_part.get(code[3], ()):
        row = rows[i]
        n = 1
        for k in range(1, 4):
            if code[3 + k] not in row[k][1]:
                break
            n += 1
        if n > score:
            best, score = i, n
    axes = list(first)
    for k in range(4):
        key = (code[:3], best, k, code[3 + k])
        axis = memo.get(key)
        if axis is None:
            axis = _axis(tables, t, rows, best, k, code)
            if len(memo) < _MAX_MEMO:
                memo[key] = axis
        axes.append(axis)
    return tuple(axes)


#: the most axes (and tables' first three) a :class:`Tables` remembers
_MAX_MEMO = 1 << 16


def _head(code: str, tables: Tables
          ) -> tuple[dict[str, Any] | None, tuple[Axis, ...], dict[str, tuple[int, ...]]]:
    """(the table of ``code``, its first three axes, the numbers of its rows by each value
    of their 4th character), or (None, the axes of the section and body system when
    known, {}) for a code of no table."""
    t = tables.table(code[:3])
    if t is None:
        axes: list[Axis] = []
        for pos in (1, 2):
            other = next((tables.table(k) for k in tables.table_keys()
                          if k[:pos] == code[:pos]), None)
            if other is None:
                break
            axes.append(Axis(pos, other["titles"][pos - 1], code[pos - 1],
                             other["labels"][pos - 1]))
        return None, tuple(axes), {}
    defs = tables.definitions()
    section = code[0]
    system = t["labels"][1]
    first = []
    for pos in (1, 2, 3):
        label = t["labels"][pos - 1]
        d = _definition(defs, section, pos, label, system)
        definition = (t.get("definition") or d.get("definition")) if pos == 3 else \
            d.get("definition")
        first.append(Axis(pos, t["titles"][pos - 1], code[pos - 1], label, definition or None,
                          d.get("explanation"), tuple(d.get("includes", ()))))
    by_part: dict[str, list[int]] = {}
    for i, row in enumerate(t["rows"]):
        for value in row[0][1]:
            by_part.setdefault(value, []).append(i)
    return t, tuple(first), {v: tuple(rows) for v, rows in by_part.items()}


def _axis(tables: Tables, t: dict[str, Any], rows: list[Any], best: int, k: int,
          code: str) -> Axis:
    """The axis of character ``4 + k`` of ``code`` in table ``t``, ``best`` the index of
    the row that matches most of its characters (-1: no row)."""
    pos = 4 + k
    value = code[pos - 1]
    name, label = "", None
    if best >= 0:
        name = rows[best][k][0]
        label = rows[best][k][1].get(value)
    if label is None:
        for row in rows:
            if value in row[k][1]:
                name, label = row[k][0], row[k][1][value]
                break
    d = _definition(tables.definitions(), code[0], pos, label, t["labels"][1])
    return Axis(pos, name, value, label, d.get("definition"), d.get("explanation"),
                tuple(d.get("includes", ())))


@attrs.frozen(repr=False)
class Entry:
    """One ICD-10-PCS code answered for a date of service.

    ``valid`` says whether the code may be reported on ``on`` (by the CMS MCE validity
    table, or a user release covering the date); ``title`` is the long title from the
    order file of the date's fiscal year (or the nearest year that has the code: ``note``
    then says so); :attr:`axes` explains every character.
    """

    code: str
    valid: bool
    on: dt.date
    release: str
    title: str | None = attrs.field(eq=False, default=None)
    short_title: str | None = attrs.field(eq=False, default=None)
    note: str | None = attrs.field(eq=False, default=None)
    _store: Store = attrs.field(eq=False, alias="store", default=None)

    def __repr__(self) -> str:
        return (f"Entry(code={self.code!r}, title={self.title!r}, valid={self.valid}, "
                f"on={self.on!r}, release={self.release!r})")

    def __str__(self) -> str:
        return f"{self.code} {self.title or '(no title)'}"

    def _repr_html_(self) -> str:
        from .. import _html

        return _html.entry(self)

    @property
    def covered(self) -> bool:
        """Whether codekit's data describes :attr:`on`: False before ICD-10-PCS took effect
        (2015-10-01) and after the last date the data covers (the end of the CMS MCE table,
        2027-03-31, or of a release you added), where :attr:`note` says the answer is
        extrapolated. Machine-readable, for reports.

        >>> from codekit import icd10pcs
        >>> icd10pcs.lookup("0DTJ4ZZ", on="2025-11-03").covered
        True
        >>> icd10pcs.lookup("0DTJ4ZZ", on="2027-06-01").covered
        False
        """
        from ._codes import ICD10_START

        return self.on >= ICD10_START and (self._store is None
                                           or self.on <= self._store.last_known)

    @property
    def formatted(self) -> str:
        """The code as printed (PCS codes have no punctuation)."""
        return self.code

    @property
    def billable(self) -> bool:
        """:attr:`valid` (every valid PCS code may be reported: tables are not codes)."""
        return self.valid

    @property
    def table(self) -> str:
        """The first three characters: section, body system, root operation."""
        return self.code[:3]

    @functools.cached_property
    def valid_ranges(self) -> tuple[tuple[dt.date, dt.date | None], ...]:
        """Every ``(start, end)`` range (end inclusive, None = open) the code is valid."""
        return tuple(self._store.validity.ranges(self.code))

    @functools.cached_property
    def axes(self) -> tuple[Axis, ...]:
        """The seven characters explained in the code's section and table."""
        return axes_of(self.code, self._store.tables_for(self.on))

    @property
    def section(self) -> str | None:
        """The section's name (``"Medical and Surgical"``)."""
        return self.axes[0].label

    @property
    def root_operation(self) -> Axis:
        """The third character explained (:attr:`axes` ``[2]``): in section 0 the root
        operation, with its label and CMS definition.

        >>> from codekit import icd10pcs
        >>> icd10pcs.lookup("0DTJ4ZZ", on="2025-10-01").root_operation.label
        'Resection'
        """
        return self.axes[2]

    @functools.cached_property
    def mce(self) -> MceFlags:
        """The MCE flags on :attr:`on` (empty when the MCE has none)."""
        return MceFlags(self._store.validity.flags(self.code, self.on))

    def as_dict(self) -> dict[str, Any]:
        """Everything about the entry as plain data (dates as ISO strings), for JSON,
        under the names every code system's ``as_dict()`` has."""
        def iso(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "code": self.code, "formatted": self.formatted, "title": self.title,
            "short_title": self.short_title, "valid": self.valid, "on": self.on.isoformat(),
            "release": self.release, "note": self.note, "covered": self.covered,
            "table": self.table,
            "axes": [attrs.asdict(a) for a in self.axes],
            "mce": list(self.mce.flags),
            "valid_ranges": [[iso(a), iso(b)] for a, b in self.valid_ranges],
        }
